/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feed `stix`: not written yet (a stub that finds nothing). */
#include "config.h"

#include <poolwall/plugin.h>

static int stix_create(struct pw_host *h, const void *conf, void **state)
{
	*state = h;
	return 0;
}

static int stix_parse(void *state, const char *buf, size_t len)
{
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "stix",
	.kind = PW_FEED,
	.summary = "(not written yet)",
	.create = stix_create,
	.parse = stix_parse,
};
