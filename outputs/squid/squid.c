/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `squid`: Squid 5 access control for the blocked names, networks
 * and stratum ports.
 *
 * An output writes one file, so by default (content=conf) that file is a
 * self-contained configuration snippet for squid.conf's `include`: the
 * `acl` lines with their values inline (several lines of one ACL name
 * accumulate) and the `http_access deny` rules.  One file means one atomic
 * rename and one `squid -k parse` check for the whole policy.  For sites
 * that keep their own acl lines, content=dstdomain, dst or port writes the
 * bare value list of one ACL instead, for `acl NAME TYPE "FILE"`.
 *
 * Squid 5.7 rules this file follows (formats.md 4): dstdomain entries are
 * `.name` (the name and below) or `name` (exact), and no entry may lie under
 * another one (fatal or silently ignored depending on the order): the core
 * hands over a collapsed set, and the plugin checks it again, since one
 * overlap stops Squid.  `*.name` (the names below only) has no dstdomain
 * form and goes to a dstdom_regex ACL.  dst entries are canonical CIDRs
 * (merged by the core), IPv6 without brackets.  Monitor-tier indicators are
 * observed elsewhere, never denied here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#include "pwo.h"

enum squid_content { SQ_CONF, SQ_DSTDOMAIN, SQ_DST, SQ_PORT };

struct squid_conf {
	const char *content;
	const char *acl_prefix;
	const char *incident;
	int rules;
};

static const struct pw_option squid_options[] = {
	{ "content", "conf", PW_OPT_STR, offsetof(struct squid_conf, content),
	  "conf (acl lines and http_access rules), or the value list of one "
	  "ACL: dstdomain, dst, port" },
	{ "acl_prefix", "poolwall", PW_OPT_STR,
	  offsetof(struct squid_conf, acl_prefix),
	  "ACL names are PREFIX_domains, _subdomains, _dst and _ports" },
	{ "rules", "yes", PW_OPT_BOOL, offsetof(struct squid_conf, rules),
	  "content=conf: write the http_access deny rules too" },
	{ "incident", "", PW_OPT_STR, offsetof(struct squid_conf, incident),
	  "only the indicators of this incident" },
	{ NULL, NULL, 0, 0, NULL },
};

struct squid_state {
	struct pw_host *h;
	struct squid_conf c;
	enum squid_content what;
	struct pw_sink *out;
	struct pwo_map *trees;	/* names written as `.name` */
	int pass;		/* domains: 0 collects trees, 1 writes */
	/* counts of what was written, per ACL, and of what was not */
	unsigned long n_dom, n_sub, n_dst, n_port;
	unsigned long monitor, covered, subs_only, udp;
};

static const char *const squid_contents[] = {
	[SQ_CONF] = "conf", [SQ_DSTDOMAIN] = "dstdomain", [SQ_DST] = "dst",
	[SQ_PORT] = "port",
};

static int squid_create(struct pw_host *h, const void *conf, void **state)
{
	const struct squid_conf *c = conf;
	struct squid_state *s;
	size_t i, n = sizeof(squid_contents) / sizeof(squid_contents[0]);

	for (i = 0; i < n; i++) {
		if (strcmp(c->content, squid_contents[i]) == 0)
			break;
	}
	if (i == n) {
		pw_log(h, LOG_ERR, "content '%.32s' is not one of conf, "
		       "dstdomain, dst, port", c->content);
		return -EINVAL;
	}
	if (!*c->acl_prefix || strlen(c->acl_prefix) > 32 ||
	    pwo_check_value(c->acl_prefix, "_-")) {
		pw_log(h, LOG_ERR, "acl_prefix '%.32s' must be 1 to 32 "
		       "letters, digits, '_' or '-'", c->acl_prefix);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->c = *c;
	s->what = (enum squid_content)i;
	*state = s;
	return 0;
}

static void squid_destroy(void *state)
{
	struct squid_state *s = state;

	if (!s)
		return;
	pwo_map_free(s->trees);
	free(s);
}

/* Should this item go into the file at all? */
static int squid_wanted(struct squid_state *s, const struct pw_item *it)
{
	if (*s->c.incident &&
	    (!it->incident || strcmp(it->incident, s->c.incident) != 0))
		return 0;
	if (it->flags & PW_F_MONITOR) {
		if (s->pass == 0)	/* count once, not in the second pass */
			s->monitor++;
		return 0;
	}
	return 1;
}

/* The value is about to become Squid syntax: it must be what was promised. */
static int squid_safe(struct squid_state *s, const char *v, const char *set)
{
	if (pwo_check_value(v, set) == 0)
		return 0;
	pw_log(s->h, LOG_ERR, "refusing value '%.64s': not a canonical "
	       "indicator", v);
	return -EINVAL;
}

/* Is `name` (without `*.`) under a name already written as `.name`? */
static int squid_covered(const struct squid_state *s, const char *name)
{
	const char *p = strchr(name, '.');

	while (p) {
		if (pwo_map_get(s->trees, p + 1, strlen(p + 1)))
			return 1;
		p = strchr(p + 1, '.');
	}
	return 0;
}

static int squid_acl(struct squid_state *s, const char *type,
		     const char *suffix, const char *flags, const char *val)
{
	if (s->what != SQ_CONF)
		return pw_sink_printf(s->out, "%s\n", val);
	return pw_sink_printf(s->out, "acl %s_%s %s %s%s\n", s->c.acl_prefix,
			      suffix, type, flags, val);
}

static int squid_domain(void *ctx, const struct pw_item *it)
{
	struct squid_state *s = ctx;
	const char *name = it->value;
	char re[2 * 256 + 4];
	size_t i, o = 0;
	int added, err;

	if (!squid_wanted(s, it))
		return 0;
	err = squid_safe(s, it->value, ".-_*");
	if (err)
		return err;
	if (!(it->flags & PW_F_SELF) && strncmp(name, "*.", 2) == 0)
		name += 2;
	if (s->pass == 0) {
		if ((it->flags & (PW_F_SELF | PW_F_SUBDOMAINS)) ==
		    (PW_F_SELF | PW_F_SUBDOMAINS) &&
		    !pwo_map_put(s->trees, name, strlen(name), &added))
			return -ENOMEM;
		return 0;
	}
	if (squid_covered(s, name)) {
		s->covered++;
		return 0;
	}
	if (it->flags & PW_F_SELF) {
		/* `.name`: the name and below; `name`: exact */
		re[0] = '.';
		if (snprintf(re + 1, sizeof(re) - 1, "%s", name) >=
		    (int)sizeof(re) - 1)
			return -ENAMETOOLONG;
		s->n_dom++;
		return squid_acl(s, "dstdomain", "domains", "-n ",
				 it->flags & PW_F_SUBDOMAINS ? re : re + 1);
	}
	/* `*.name`: the names below only */
	if (s->what != SQ_CONF) {
		s->subs_only++;
		return 0;
	}
	re[o++] = '\\';
	re[o++] = '.';
	for (i = 0; name[i] && o < sizeof(re) - 3; i++) {
		if (name[i] == '.')
			re[o++] = '\\';
		re[o++] = name[i];
	}
	re[o++] = '$';
	re[o] = '\0';
	s->n_sub++;
	return squid_acl(s, "dstdom_regex", "subdomains", "-n -i ", re);
}

static int squid_net(void *ctx, const struct pw_item *it)
{
	struct squid_state *s = ctx;
	int err;

	if (!squid_wanted(s, it))
		return 0;
	err = squid_safe(s, it->value, ".:/");
	if (err)
		return err;
	s->n_dst++;
	return squid_acl(s, "dst", "dst", "", it->value);
}

static int squid_port(void *ctx, const struct pw_item *it)
{
	struct squid_state *s = ctx;
	char v[16];

	if (!squid_wanted(s, it))
		return 0;
	/* a proxy carries TCP only */
	if (!(it->proto & PW_PROTO_TCP)) {
		s->udp++;
		return 0;
	}
	if (it->port_lo == it->port_hi)
		snprintf(v, sizeof(v), "%u", (unsigned)it->port_lo);
	else
		snprintf(v, sizeof(v), "%u-%u", (unsigned)it->port_lo,
			 (unsigned)it->port_hi);
	s->n_port++;
	return squid_acl(s, "port", "ports", "", v);
}

static int squid_domains(struct squid_state *s, const struct pw_set *set)
{
	int err;

	s->trees = pwo_map_new(0);
	if (!s->trees)
		return -ENOMEM;
	for (s->pass = 0; s->pass < 2; s->pass++) {
		err = pw_set_iter(set, PW_IMASK(PW_I_DOMAIN), squid_domain, s);
		if (err)
			return err;
	}
	s->pass = 0;
	return 0;
}

static int squid_deny(struct squid_state *s, unsigned long n,
		      const char *suffix)
{
	if (!n)
		return 0;
	return pw_sink_printf(s->out, "http_access deny %s_%s\n",
			      s->c.acl_prefix, suffix);
}

static int squid_render(void *state, const struct pw_set *set,
			struct pw_sink *out)
{
	struct squid_state *s = state;
	const char *path;
	unsigned kinds;
	int err = 0;

	s->out = out;
	/* the header names the file where it is known and printable */
	path = pw_host_target(s->h);
	if (!path || pwo_check_text(path, 1024) || strchr(path, '"'))
		path = "/PATH/TO/THIS/FILE";
	if (s->what == SQ_CONF)
		err = pw_sink_printf(out,
			"# poolwall: Squid ACLs for mining pools.  Include "
			"this file before the\n# site's own http_access allow "
			"rules: include %s\n", path);
	else
		err = pw_sink_printf(out,
			"# poolwall: values for acl NAME %s \"%s\"\n",
			squid_contents[s->what], path);
	switch (s->what) {
	case SQ_CONF:
		/* fall through */
	case SQ_PORT:
		if (!err)
			err = pw_set_iter(set, PW_IMASK(PW_I_PORT), squid_port,
					  s);
		if (s->what == SQ_PORT)
			break;
		/* fall through */
	case SQ_DSTDOMAIN:
		if (!err)
			err = squid_domains(s, set);
		if (s->what == SQ_DSTDOMAIN)
			break;
		/* fall through */
	case SQ_DST:
		kinds = PW_IMASK(PW_I_IPV4) | PW_IMASK(PW_I_IPV6);
		if (!err)
			err = pw_set_iter(set, kinds, squid_net, s);
		break;
	}
	/* ports first and the names next: neither needs DNS; dst last */
	if (!err && s->what == SQ_CONF && s->c.rules) {
		err = squid_deny(s, s->n_port, "ports");
		if (!err)
			err = squid_deny(s, s->n_dom, "domains");
		if (!err)
			err = squid_deny(s, s->n_sub, "subdomains");
		if (!err)
			err = squid_deny(s, s->n_dst, "dst");
	}
	if (err)
		return err;
	if (s->monitor)
		pw_log(s->h, LOG_INFO, "%lu monitor-tier indicators are not "
		       "denied", s->monitor);
	if (s->covered)
		pw_log(s->h, LOG_WARNING, "%lu names under a blocked name were "
		       "left out (Squid refuses such pairs)", s->covered);
	if (s->subs_only)
		pw_log(s->h, LOG_INFO, "%lu subdomain-only (*.name) entries "
		       "cannot be written to a dstdomain list", s->subs_only);
	if (s->udp)
		pw_log(s->h, LOG_INFO, "%lu UDP-only ports do not apply to a "
		       "proxy", s->udp);
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "squid",
	.kind = PW_OUTPUT,
	.summary = "Squid ACLs (dstdomain, dst, port) and http_access deny "
		   "rules, as an include file",
	.options = squid_options,
	.conf_size = sizeof(struct squid_conf),
	.create = squid_create,
	.destroy = squid_destroy,
	.render = squid_render,
};
