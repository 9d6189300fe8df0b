/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `hosts`: a hosts(5) file mapping every blocked name to an
 * unroutable address.  A hosts file matches exact names only: a name that
 * covers its subdomains is written as itself, and the names below it are
 * blocked only where a feed named them.  `*.name` entries (the names below
 * only) cannot be expressed and are counted, not written.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <syslog.h>

#include <poolwall/plugin.h>

struct hosts_conf {
	const char *address;
	const char *address6;
	int ipv6;
};

static const struct pw_option hosts_options[] = {
	{ "address", "0.0.0.0", PW_OPT_STR,
	  offsetof(struct hosts_conf, address),
	  "IPv4 address the names map to" },
	{ "address6", "::", PW_OPT_STR, offsetof(struct hosts_conf, address6),
	  "IPv6 address the names map to, with ipv6=yes" },
	{ "ipv6", "no", PW_OPT_BOOL, offsetof(struct hosts_conf, ipv6),
	  "also write an IPv6 line for every name" },
	{ NULL, NULL, 0, 0, NULL },
};

struct hosts_state {
	struct pw_host *h;
	struct hosts_conf c;
	char addr[INET_ADDRSTRLEN], addr6[INET6_ADDRSTRLEN];
	struct pw_sink *out;
	unsigned long written, inexpressible;
};

static int hosts_create(struct pw_host *h, const void *conf, void **state)
{
	const struct hosts_conf *c = conf;
	struct hosts_state *s;
	unsigned char bin[16];

	/* the addresses go into the file: accept only real addresses */
	if (inet_pton(AF_INET, c->address, bin) != 1) {
		pw_log(h, LOG_ERR, "address '%.64s' is not an IPv4 address",
		       c->address);
		return -EINVAL;
	}
	if (inet_pton(AF_INET6, c->address6, bin) != 1) {
		pw_log(h, LOG_ERR, "address6 '%.64s' is not an IPv6 address",
		       c->address6);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->c = *c;
	inet_pton(AF_INET, c->address, bin);
	inet_ntop(AF_INET, bin, s->addr, sizeof(s->addr));
	inet_pton(AF_INET6, c->address6, bin);
	inet_ntop(AF_INET6, bin, s->addr6, sizeof(s->addr6));
	*state = s;
	return 0;
}

static void hosts_destroy(void *state)
{
	free(state);
}

static int hosts_item(void *ctx, const struct pw_item *it)
{
	struct hosts_state *s = ctx;
	int err;

	if (!(it->flags & PW_F_SELF)) {
		s->inexpressible++;
		return 0;
	}
	if (it->flags & PW_F_MONITOR)
		return 0;
	err = pw_sink_printf(s->out, "%s %s\n", s->addr, it->value);
	if (!err && s->c.ipv6)
		err = pw_sink_printf(s->out, "%s %s\n", s->addr6, it->value);
	s->written++;
	return err;
}

static int hosts_render(void *state, const struct pw_set *set,
			struct pw_sink *out)
{
	struct hosts_state *s = state;
	int err;

	s->out = out;
	err = pw_sink_printf(out,
			     "# poolwall hosts file: exact names only; a name "
			     "does not block the names below it\n");
	if (!err)
		err = pw_set_iter(set, PW_IMASK(PW_I_DOMAIN), hosts_item, s);
	if (!err && s->inexpressible)
		pw_log(s->h, LOG_INFO,
		       "%lu subdomain-only (*.name) entries cannot be written "
		       "to a hosts file", s->inexpressible);
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "hosts",
	.kind = PW_OUTPUT,
	.summary = "hosts(5) file: blocked names to 0.0.0.0 (exact match)",
	.options = hosts_options,
	.conf_size = sizeof(struct hosts_conf),
	.create = hosts_create,
	.destroy = hosts_destroy,
	.render = hosts_render,
};
