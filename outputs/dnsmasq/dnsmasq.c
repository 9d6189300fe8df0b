/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output `dnsmasq`: not written yet (a stub that renders nothing). */
#include "config.h"

#include <poolwall/plugin.h>

static int dnsmasq_create(struct pw_host *h, const void *conf, void **state)
{
	*state = NULL;
	return 0;
}

static int dnsmasq_render(void *state, const struct pw_set *s,
		       struct pw_sink *out)
{
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "dnsmasq",
	.kind = PW_OUTPUT,
	.summary = "(not written yet)",
	.create = dnsmasq_create,
	.render = dnsmasq_render,
};
