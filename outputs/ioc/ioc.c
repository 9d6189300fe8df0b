/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `ioc`: the canonical typed-line format, one indicator a line,
 *
 *	KIND VALUE [key=value]...
 *
 * which the `ioc` feed reads back, so every result can be diffed, stored
 * and piped between hosts.  Keys: match=exact (a domain covering its name
 * only; `*.name` covers the names below only; the default is the name and
 * all below), tier=monitor, incident=, expires= (UTC), sources=, and for
 * information coin=, type=, host=, port=.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <poolwall/plugin.h>

struct ioc_conf {
	int provenance;
};

static const struct pw_option ioc_options[] = {
	{ "provenance", "yes", PW_OPT_BOOL, offsetof(struct ioc_conf, provenance),
	  "write sources=, incident= and expires= on each line" },
	{ NULL, NULL, 0, 0, NULL },
};

struct ioc_state {
	struct ioc_conf c;
	struct pw_sink *out;
};

static const char *const ioc_kinds[] = {
	[PW_I_DOMAIN] = "domain", [PW_I_IPV4] = "ipv4", [PW_I_IPV6] = "ipv6",
	[PW_I_PORT] = "port",	  [PW_I_URL] = "url",	[PW_I_WALLET] = "wallet",
	[PW_I_HASH] = "hash",
};

static int ioc_create(struct pw_host *h, const void *conf, void **state)
{
	struct ioc_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->c = *(const struct ioc_conf *)conf;
	*state = s;
	return 0;
}

static void ioc_destroy(void *state)
{
	free(state);
}

static int ioc_item(void *ctx, const struct pw_item *it)
{
	struct ioc_state *s = ctx;
	struct pw_sink *o = s->out;
	int err;

	err = pw_sink_printf(o, "%s %s", ioc_kinds[it->kind], it->value);
	if (!err && it->kind == PW_I_DOMAIN && !(it->flags & PW_F_SUBDOMAINS))
		err = pw_sink_printf(o, " match=exact");
	if (!err && it->kind == PW_I_URL)
		err = it->port_lo ?
			pw_sink_printf(o, " host=%s port=%u", it->sub,
				       (unsigned)it->port_lo) :
			pw_sink_printf(o, " host=%s", it->sub);
	if (!err && it->kind == PW_I_WALLET)
		err = pw_sink_printf(o, " coin=%s", it->sub);
	if (!err && it->kind == PW_I_HASH)
		err = pw_sink_printf(o, " type=%s", it->sub);
	if (!err && (it->flags & PW_F_MONITOR))
		err = pw_sink_printf(o, " tier=monitor");
	if (!err && s->c.provenance && it->incident)
		err = pw_sink_printf(o, " incident=%s", it->incident);
	if (!err && s->c.provenance && it->expires > 0) {
		time_t t = (time_t)it->expires;
		struct tm tm;
		char when[32];

		if (gmtime_r(&t, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			err = pw_sink_printf(o, " expires=%s", when);
	}
	if (!err && s->c.provenance && it->sources && *it->sources)
		err = pw_sink_printf(o, " sources=%s", it->sources);
	if (!err)
		err = pw_sink_write(o, "\n", 1);
	return err;
}

static int ioc_render(void *state, const struct pw_set *set,
		      struct pw_sink *out)
{
	struct ioc_state *s = state;
	int err;

	s->out = out;
	err = pw_sink_printf(out, "# poolwall ioc v1\n");
	if (!err)
		err = pw_set_iter(set, PW_IMASK_ALL, ioc_item, s);
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "ioc",
	.kind = PW_OUTPUT,
	.summary = "canonical typed lines (KIND VALUE key=value...), "
		   "read back by the ioc feed",
	.options = ioc_options,
	.conf_size = sizeof(struct ioc_conf),
	.create = ioc_create,
	.destroy = ioc_destroy,
	.render = ioc_render,
};
