/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `hosts`: a hosts(5) file mapping every blocked name to an
 * unroutable address, for /etc/hosts, dnsmasq --addn-hosts and the like.
 *
 * A hosts file matches exact names only: a name that covers its subdomains
 * is written as itself, and the names below it are blocked only where a
 * feed named them (the set keeps no name below a covering parent, so those
 * are gone too: use a DNS output for them).  `*.name` entries (the names
 * below only) cannot be expressed and are counted, not written; so are
 * observe-only names.  ipv6=yes adds a `::` line for every name.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#define HOSTS_MAX_SRC 64

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
	bool scan;			/* first pass: counts and sources */
	unsigned long written, inexpressible, monitor;
	char *src[HOSTS_MAX_SRC];	/* distinct source names */
	size_t n_src;
	char *last_src;
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

static void hosts_clear(struct hosts_state *s)
{
	size_t i;

	for (i = 0; i < s->n_src; i++)
		free(s->src[i]);
	s->n_src = 0;
	free(s->last_src);
	s->last_src = NULL;
	s->written = s->inexpressible = s->monitor = 0;
}

static void hosts_destroy(void *state)
{
	struct hosts_state *s = state;

	if (!s)
		return;
	hosts_clear(s);
	free(s);
}

/* the source names of an item, for the header */
static int hosts_sources(struct hosts_state *s, const char *list)
{
	const char *p, *end;
	size_t i, len;

	if (!list || !*list ||
	    (s->last_src && strcmp(s->last_src, list) == 0))
		return 0;
	free(s->last_src);
	s->last_src = strdup(list);
	if (!s->last_src)
		return -ENOMEM;
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		for (i = 0; i < s->n_src; i++)
			if (strlen(s->src[i]) == len &&
			    !memcmp(s->src[i], p, len))
				break;
		if (i < s->n_src || !len || s->n_src == HOSTS_MAX_SRC)
			continue;
		s->src[s->n_src] = strndup(p, len);
		if (!s->src[s->n_src])
			return -ENOMEM;
		s->n_src++;
	}
	return 0;
}

static int hosts_item(void *ctx, const struct pw_item *it)
{
	struct hosts_state *s = ctx;
	int err;

	if (s->scan) {
		err = hosts_sources(s, it->sources);
		if (err)
			return err;
	}
	if (it->flags & PW_F_MONITOR) {
		s->monitor += s->scan;
		return 0;
	}
	if (!(it->flags & PW_F_SELF)) {
		s->inexpressible += s->scan;
		return 0;
	}
	if (s->scan) {
		s->written++;
		return 0;
	}
	err = pw_sink_printf(s->out, "%s %s\n", s->addr, it->value);
	if (!err && s->c.ipv6)
		err = pw_sink_printf(s->out, "%s %s\n", s->addr6, it->value);
	return err;
}

static int hosts_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Generator, sources and counts; no time: the same set gives the same
 * bytes, run after run (and whoever compares generations can).
 */
static int hosts_header(struct hosts_state *s)
{
	size_t i;
	int err;

	qsort(s->src, s->n_src, sizeof(s->src[0]), hosts_cmp);
	err = pw_sink_printf(s->out,
			     "# poolwall hosts file: exact names only; a name "
			     "does not block the names below it\n"
			     "# generator: poolwall %s\n"
			     "# sources:%s", PACKAGE_VERSION,
			     s->n_src ? "" : " none");
	for (i = 0; i < s->n_src && !err; i++)
		err = pw_sink_printf(s->out, "%s%s", i ? ", " : " ",
				     s->src[i]);
	if (!err)
		err = pw_sink_printf(s->out,
				     "\n# %lu names; left out: %lu below a "
				     "name only (*.name), %lu observe-only\n",
				     s->written, s->inexpressible, s->monitor);
	return err;
}

static int hosts_render(void *state, const struct pw_set *set,
			struct pw_sink *out)
{
	struct hosts_state *s = state;
	int err;

	hosts_clear(s);
	s->out = out;
	s->scan = true;
	err = pw_set_iter(set, PW_IMASK(PW_I_DOMAIN), hosts_item, s);
	s->scan = false;
	if (!err)
		err = hosts_header(s);
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
