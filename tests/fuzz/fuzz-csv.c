/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz the csv feed plugin.  The first byte picks the options (filled
 * through the core's option table, as poolwall.conf would be: header,
 * column and type column by name and number, other delimiters), the rest
 * is the feed body.  Every token the plugin emits goes through the core's
 * pw_normalize() (host mock in quiet mode).  A breach of the plugin ABI
 * that the mock notices is a crash.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "host-mock.h"
#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_csv_opts[][2] = {
	{ NULL, NULL },
	{ "header", "yes" },
	{ "header", "no" },
	{ "column", "2" },
	{ "column", "value" },
	{ "type_column", "none" },
	{ "type_column", "type" },
	{ "delimiter", "tab" },
	{ "delimiter", ";" },
	{ "comment_column", "3" },
};

#define FUZZ_CSV_N (sizeof(fuzz_csv_opts) / sizeof(fuzz_csv_opts[0]))

/* the filled configuration, for the create() wrapper */
static const void *fuzz_csv_conf;

static int fuzz_csv_create(struct pw_host *h, const void *conf, void **state)
{
	return poolwall_plugin.create(h, fuzz_csv_conf, state);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_plugin desc = poolwall_plugin;
	struct pw_conf *conf;
	struct pw_host h;
	char err[256];
	size_t pick;

	if (!size)
		return 0;
	pick = data[0] % FUZZ_CSV_N;
	conf = pw_conf_new(&poolwall_plugin, err, sizeof(err));
	if (!conf)
		return 0;
	if (fuzz_csv_opts[pick][0] &&
	    pw_conf_set(conf, fuzz_csv_opts[pick][0], fuzz_csv_opts[pick][1],
			err, sizeof(err)))
		__builtin_trap();
	if (pw_mock_init(&h, true)) {
		pw_conf_free(conf);
		return 0;
	}
	h.subdomains = data[0] & 0x80 ? 1 : -1;
	fuzz_csv_conf = pw_conf_data(conf);
	desc.create = fuzz_csv_create;
	pw_mock_run(&h, &desc, (const char *)data + 1, size - 1);
	if (h.violations)
		__builtin_trap();
	pw_mock_cleanup(&h);
	pw_conf_free(conf);
	return 0;
}
