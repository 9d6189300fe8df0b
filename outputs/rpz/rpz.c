/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output `rpz`: not written yet (a stub that renders nothing). */
#include "config.h"

#include <poolwall/plugin.h>

static int rpz_create(struct pw_host *h, const void *conf, void **state)
{
	*state = NULL;
	return 0;
}

static int rpz_render(void *state, const struct pw_set *s,
		       struct pw_sink *out)
{
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "rpz",
	.kind = PW_OUTPUT,
	.summary = "(not written yet)",
	.create = rpz_create,
	.render = rpz_render,
};
