/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `domains`: one blocked name a line.  `*.name` stands for the
 * names below name only; a plain name stands for itself and, where the
 * indicator covers them, the names below it (what most domain-list
 * consumers do).  wildcard=yes writes such a name twice, as `name` and
 * `*.name`, for consumers that match exactly.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <poolwall/plugin.h>

#define DOMAINS_LINE 512	/* a name is at most 255 bytes, `*.` and `\n` */

struct domains_conf {
	int wildcard;
	int monitor;
};

static const struct pw_option domains_options[] = {
	{ "wildcard", "no", PW_OPT_BOOL,
	  offsetof(struct domains_conf, wildcard),
	  "also write `*.name` for a name that covers its subdomains" },
	{ "monitor", "no", PW_OPT_BOOL, offsetof(struct domains_conf, monitor),
	  "include observe-only (monitor tier) names" },
	{ NULL, NULL, 0, 0, NULL },
};

struct domains_state {
	struct domains_conf c;
	struct pw_sink *out;
};

static int domains_create(struct pw_host *h, const void *conf, void **state)
{
	struct domains_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->c = *(const struct domains_conf *)conf;
	*state = s;
	return 0;
}

static void domains_destroy(void *state)
{
	free(state);
}

/*
 * One pw_sink_write() a line: a million names through pw_sink_printf()
 * cost more than building the set (vsnprintf parses the format each time).
 */
static int domains_line(struct domains_state *s, const char *pre,
			size_t plen, const char *name)
{
	char line[DOMAINS_LINE];
	size_t len = strlen(name);
	int err;

	if (len > sizeof(line) - plen - 1) {
		err = pw_sink_write(s->out, pre, plen);
		if (!err)
			err = pw_sink_write(s->out, name, len);
		if (!err)
			err = pw_sink_write(s->out, "\n", 1);
		return err;
	}
	memcpy(line, pre, plen);
	memcpy(line + plen, name, len);
	line[plen + len] = '\n';
	return pw_sink_write(s->out, line, plen + len + 1);
}

static int domains_item(void *ctx, const struct pw_item *it)
{
	struct domains_state *s = ctx;
	int err;

	if ((it->flags & PW_F_MONITOR) && !s->c.monitor)
		return 0;
	err = domains_line(s, "", 0, it->value);
	if (!err && s->c.wildcard && (it->flags & PW_F_SELF) &&
	    (it->flags & PW_F_SUBDOMAINS))
		err = domains_line(s, "*.", 2, it->value);
	return err;
}

static int domains_render(void *state, const struct pw_set *set,
			  struct pw_sink *out)
{
	struct domains_state *s = state;

	s->out = out;
	return pw_set_iter(set, PW_IMASK(PW_I_DOMAIN), domains_item, s);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "domains",
	.kind = PW_OUTPUT,
	.summary = "plain list of blocked names, one a line",
	.options = domains_options,
	.conf_size = sizeof(struct domains_conf),
	.create = domains_create,
	.destroy = domains_destroy,
	.render = domains_render,
};
