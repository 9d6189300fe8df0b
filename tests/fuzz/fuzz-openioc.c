/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz the openioc feed plugin: the input is OpenIOC 1.0/1.1 XML (libxml2
 * reads it with the network, DTDs and entities off). Every token the plugin
 * emits goes through the core's pw_normalize() (host mock in quiet mode), so
 * the core's validators are fuzzed along. A breach of the plugin ABI that
 * the mock notices is a crash.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "host-mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_host h;

	if (pw_mock_init(&h, true))
		return 0;
	/* both answers of pw_host_subdomains() */
	h.subdomains = size & 1;
	pw_mock_run(&h, &poolwall_plugin, (const char *)data, size);
	if (h.violations)
		__builtin_trap();
	pw_mock_cleanup(&h);
	return 0;
}
