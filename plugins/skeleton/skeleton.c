/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal output plugin, built out of tree against the installed
 * <poolwall/plugin.h> (see Makefile).  It writes how many indicators of
 * each kind the final set holds: copy it to start a plugin of your own.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include <poolwall/plugin.h>

struct skel_conf {
	const char *title;
};

static const struct pw_option skel_options[] = {
	{ "title", "indicators", PW_OPT_STR, offsetof(struct skel_conf, title),
	  "first word of every line" },
	{ NULL, NULL, 0, 0, NULL },
};

struct skel_state {
	struct pw_host *h;
	const char *title;
};

static int skel_create(struct pw_host *h, const void *conf, void **state)
{
	const struct skel_conf *c = conf;
	struct skel_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->h = h;
	s->title = c->title;
	*state = s;
	return 0;
}

static void skel_destroy(void *state)
{
	free(state);
}

static int skel_render(void *state, const struct pw_set *set,
		       struct pw_sink *out)
{
	static const char *const names[] = { NULL,  "domain", "ipv4", "ipv6",
					     "port", "url",    "wallet",
					     "hash" };
	struct skel_state *s = state;
	int k, err = 0;

	for (k = PW_I_DOMAIN; k <= PW_I_HASH && !err; k++)
		err = pw_sink_printf(out, "%s %s %zu\n", s->title, names[k],
				     pw_set_count(set, (enum pw_ikind)k));
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "skeleton",
	.kind = PW_OUTPUT,
	.summary = "example plugin: counts indicators per kind",
	.options = skel_options,
	.conf_size = sizeof(struct skel_conf),
	.create = skel_create,
	.destroy = skel_destroy,
	.render = skel_render,
};
