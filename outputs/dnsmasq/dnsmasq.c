/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `dnsmasq`: a dnsmasq 2.86+ configuration file (conf-file= or
 * conf-dir=) that refuses the blocked names:
 *   address=/pool.example.test/         the name and below: NXDOMAIN
 *   host-record=exact.test,0.0.0.0,::   the exact name only
 *   server=/ok.pool.example.test/#      allowlist exception: forwarded
 *   bogus-nxdomain=192.0.2.0/24         answers with a blocked address
 * and the names below a name only as `*.name` between the slashes.
 * directive=local writes local=/name/ (the same answer), directive=null
 * address=/name/# (0.0.0.0 and ::).  dnsmasq reads its configuration only
 * at start: restart it after a change (SIGHUP does not re-read it).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#include "dns-meta.h"

enum dm_exact { DM_EXACT_NULL, DM_EXACT_SUBTREE, DM_EXACT_SKIP };

struct dm_conf {
	const char *directive;
	const char *exact;
	int ip;
};

static const struct pw_option dm_options[] = {
	{ "directive", "address", PW_OPT_STR,
	  offsetof(struct dm_conf, directive),
	  "address (NXDOMAIN), local (NXDOMAIN) or null (0.0.0.0 and ::)" },
	{ "exact", "null", PW_OPT_STR, offsetof(struct dm_conf, exact),
	  "exact-only names: null (host-record), subtree or skip" },
	{ "ip", "yes", PW_OPT_BOOL, offsetof(struct dm_conf, ip),
	  "turn answers with a blocked address into NXDOMAIN "
	  "(bogus-nxdomain)" },
	{ NULL, NULL, 0, 0, NULL },
};

struct dm_stats {
	unsigned long tree, below, exact, exact_wide, skipped, monitor, exc,
		exc_wide, ip;
};

struct dm_state {
	struct pw_host *h;
	const char *pre, *post;		/* "address=/" NAME "/" */
	enum dm_exact exact;
	bool ip;
	struct pw_sink *out;
	bool scan;
	struct dm_stats st;
	struct dns_meta meta;
};

static int dm_create(struct pw_host *h, const void *conf, void **state)
{
	const struct dm_conf *c = conf;
	struct dm_state *s;
	const char *pre, *post = "/";
	enum dm_exact e;

	if (strcmp(c->directive, "address") == 0) {
		pre = "address=/";
	} else if (strcmp(c->directive, "local") == 0) {
		pre = "local=/";
	} else if (strcmp(c->directive, "null") == 0) {
		pre = "address=/";
		post = "/#";
	} else {
		pw_log(h, LOG_ERR, "directive '%.40s': expected address, "
		       "local or null", c->directive);
		return -EINVAL;
	}
	if (strcmp(c->exact, "null") == 0) {
		e = DM_EXACT_NULL;
	} else if (strcmp(c->exact, "subtree") == 0) {
		e = DM_EXACT_SUBTREE;
	} else if (strcmp(c->exact, "skip") == 0) {
		e = DM_EXACT_SKIP;
	} else {
		pw_log(h, LOG_ERR, "exact '%.40s': expected null, subtree or "
		       "skip", c->exact);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->pre = pre;
	s->post = post;
	s->exact = e;
	s->ip = c->ip;
	*state = s;
	return 0;
}

static void dm_destroy(void *state)
{
	struct dm_state *s = state;

	if (!s)
		return;
	dns_meta_clear(&s->meta);
	free(s);
}

/* `*.name` for the names below only: dnsmasq 2.86+ matches just those */
static int dm_block(struct dm_state *s, const char *value)
{
	if (s->scan)
		return 0;
	return pw_sink_printf(s->out, "%s%s%s\n", s->pre, value, s->post);
}

static int dm_item(void *ctx, const struct pw_item *it)
{
	struct dm_state *s = ctx;
	bool self = it->flags & PW_F_SELF, subs = it->flags & PW_F_SUBDOMAINS;
	int err;

	if (s->scan) {
		err = dns_meta_sources(&s->meta, it->sources);
		if (err)
			return err;
	}
	if (it->flags & PW_F_MONITOR) {
		/* dnsmasq has no observe-only answer; log-queries sees all */
		s->st.monitor += s->scan;
		return 0;
	}
	if (it->kind != PW_I_DOMAIN) {
		s->st.ip += s->scan;
		if (s->scan)
			return 0;
		return pw_sink_printf(s->out, "bogus-nxdomain=%s\n",
				      it->value);
	}
	if (subs) {
		if (self)
			s->st.tree += s->scan;
		else
			s->st.below += s->scan;
		return dm_block(s, it->value);
	}
	switch (s->exact) {
	case DM_EXACT_NULL:
		/* like a hosts file line: the name only, A and AAAA */
		s->st.exact += s->scan;
		if (s->scan)
			return 0;
		return pw_sink_printf(s->out, "host-record=%s,0.0.0.0,::\n",
				      it->value);
	case DM_EXACT_SUBTREE:
		s->st.exact_wide += s->scan;
		return dm_block(s, it->value);
	default:
		s->st.skipped += s->scan;
		return 0;
	}
}

static int dm_exception(void *ctx, const struct pw_item *it)
{
	struct dm_state *s = ctx;

	s->st.exc += s->scan;
	/* a server= line covers the names below too */
	if (!(it->flags & PW_F_SUBDOMAINS))
		s->st.exc_wide += s->scan;
	if (s->scan)
		return 0;
	/* '#': "use the standard servers", more specific than the block */
	return pw_sink_printf(s->out, "server=/%s/#\n", it->value);
}

static int dm_pass(struct dm_state *s, const struct pw_set *set)
{
	unsigned kinds = PW_IMASK(PW_I_DOMAIN);
	int err;

	if (s->ip)
		kinds |= PW_IMASK(PW_I_IPV4) | PW_IMASK(PW_I_IPV6);
	err = pw_set_iter(set, kinds, dm_item, s);
	if (!err)
		err = pw_set_iter_allow(set, dm_exception, s);
	return err;
}

static int dm_render(void *state, const struct pw_set *set,
		     struct pw_sink *out)
{
	struct dm_state *s = state;
	const struct dm_stats *st = &s->st;
	int err;

	memset(&s->st, 0, sizeof(s->st));
	dns_meta_clear(&s->meta);
	s->out = out;
	s->scan = true;
	err = dm_pass(s, set);
	s->scan = false;
	if (err)
		return err;
	if (st->exact_wide)
		pw_log(s->h, LOG_NOTICE, "%lu exact-only names written as "
		       "domains: the names below them are blocked too "
		       "(exact=subtree)", st->exact_wide);
	if (st->exc_wide)
		pw_log(s->h, LOG_NOTICE, "%lu exact allowlist exceptions also "
		       "let through the names below them: a server= line "
		       "covers both", st->exc_wide);
	err = dns_meta_write(&s->meta, s->h, out, "#",
			     "dnsmasq configuration (conf-file=)");
	if (!err)
		err = pw_sink_printf(out,
				     "# %lu names with the names below, %lu "
				     "only below, %lu exact (host-record), "
				     "%lu exact as domains\n"
				     "# %lu allowlist exceptions, %lu blocked "
				     "addresses (bogus-nxdomain)\n"
				     "# left out: %lu exact, %lu observe-only\n"
				     "# dnsmasq reads this only when it "
				     "starts: restart it after a change\n",
				     st->tree, st->below, st->exact,
				     st->exact_wide, st->exc, st->ip,
				     st->skipped, st->monitor);
	if (!err)
		err = dm_pass(s, set);
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "dnsmasq",
	.kind = PW_OUTPUT,
	.summary = "dnsmasq configuration: address=/name/ lines",
	.options = dm_options,
	.conf_size = sizeof(struct dm_conf),
	.create = dm_create,
	.destroy = dm_destroy,
	.render = dm_render,
};
