/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feed `csv`: not written yet (a stub that finds nothing). */
#include "config.h"

#include <poolwall/plugin.h>

static int csv_create(struct pw_host *h, const void *conf, void **state)
{
	*state = h;
	return 0;
}

static int csv_parse(void *state, const char *buf, size_t len)
{
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "csv",
	.kind = PW_FEED,
	.summary = "(not written yet)",
	.create = csv_create,
	.parse = csv_parse,
};
