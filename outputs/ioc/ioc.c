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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * A line is built from its pieces in a buffer and written at once: with
 * pw_sink_printf() per piece, formatting cost more than the whole set for
 * a million addresses.  A line longer than the buffer goes out in parts.
 */
struct ioc_line {
	struct pw_sink *o;
	size_t len;
	int err;
	char buf[1024];
};

static void ioc_put(struct ioc_line *l, const char *s, size_t len)
{
	if (l->err)
		return;
	if (len > sizeof(l->buf) - l->len) {
		l->err = pw_sink_write(l->o, l->buf, l->len);
		l->len = 0;
		if (!l->err && len > sizeof(l->buf))
			l->err = pw_sink_write(l->o, s, len);
		if (l->err || len > sizeof(l->buf))
			return;
	}
	memcpy(l->buf + l->len, s, len);
	l->len += len;
}

/* NULL as printf's %s wrote it, so that the bytes stay what they were */
static void ioc_puts(struct ioc_line *l, const char *s)
{
	if (!s)
		s = "(null)";
	ioc_put(l, s, strlen(s));
}

/* ` key=value` */
static void ioc_key(struct ioc_line *l, const char *key, const char *value)
{
	ioc_puts(l, key);
	ioc_puts(l, value);
}

static int ioc_item(void *ctx, const struct pw_item *it)
{
	struct ioc_state *s = ctx;
	struct ioc_line l;
	char num[16];

	l.o = s->out;
	l.len = 0;
	l.err = 0;
	ioc_puts(&l, ioc_kinds[it->kind]);
	ioc_put(&l, " ", 1);
	ioc_puts(&l, it->value);
	if (it->kind == PW_I_DOMAIN && !(it->flags & PW_F_SUBDOMAINS))
		ioc_puts(&l, " match=exact");
	if (it->kind == PW_I_URL) {
		ioc_key(&l, " host=", it->sub);
		if (it->port_lo) {
			snprintf(num, sizeof(num), "%u",
				 (unsigned)it->port_lo);
			ioc_key(&l, " port=", num);
		}
	}
	if (it->kind == PW_I_WALLET)
		ioc_key(&l, " coin=", it->sub);
	if (it->kind == PW_I_HASH)
		ioc_key(&l, " type=", it->sub);
	if (it->flags & PW_F_MONITOR)
		ioc_puts(&l, " tier=monitor");
	if (s->c.provenance && it->incident)
		ioc_key(&l, " incident=", it->incident);
	if (s->c.provenance && it->expires > 0) {
		time_t t = (time_t)it->expires;
		struct tm tm;
		char when[32];

		if (gmtime_r(&t, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			ioc_key(&l, " expires=", when);
	}
	if (s->c.provenance && it->sources && *it->sources)
		ioc_key(&l, " sources=", it->sources);
	ioc_put(&l, "\n", 1);
	if (!l.err && l.len)
		l.err = pw_sink_write(l.o, l.buf, l.len);
	return l.err;
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
