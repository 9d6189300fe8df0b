/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `rpz`: a DNS response policy zone for BIND 9.18 (`response-policy`)
 * and Unbound 1.17 (`rpz:`).  Every blocked domain becomes `name CNAME .`
 * and `*.name CNAME .` (the name only, or the names below only, where the
 * indicator says so), every blocked address an rpz-ip trigger, every
 * allowlist exception under a blocked name `CNAME rpz-passthru.`.  The
 * serial moves forward on every run.  See rpz.adoc and rpz-zone.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <poolwall/plugin.h>

#include "rpz-zone.h"

struct rpz_plugin_conf {
	struct rpz_conf z;
};

static const struct pw_option rpz_options[] = {
	RPZ_OPTIONS(struct rpz_plugin_conf, z),
	{ NULL, NULL, 0, 0, NULL },
};

static int rpz_create(struct pw_host *h, const void *conf, void **state)
{
	const struct rpz_plugin_conf *c = conf;
	struct rpz_zone *z;
	int err;

	err = rpz_zone_new(h, &c->z, &z);
	if (err)
		return err;
	*state = z;
	return 0;
}

static void rpz_destroy(void *state)
{
	rpz_zone_free(state);
}

static int rpz_render(void *state, const struct pw_set *s,
		      struct pw_sink *out)
{
	return rpz_zone_render(state, s, out, NULL);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "rpz",
	.kind = PW_OUTPUT,
	.summary = "DNS response policy zone for BIND and Unbound",
	.options = rpz_options,
	.conf_size = sizeof(struct rpz_plugin_conf),
	.create = rpz_create,
	.destroy = rpz_destroy,
	.render = rpz_render,
};
