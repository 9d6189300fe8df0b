/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `unbound`: what Unbound 1.17 needs to refuse the blocked names.
 *
 * mode=local-zone (the default) writes an include file of
 *	local-zone: "pool.example.test." always_nxdomain
 * lines.  A local zone covers its name and every name below it, so:
 *  - a name with its subdomains is one zone of the configured type;
 *  - an exact-only name is a `transparent` zone with null address data
 *    (exact=null: A 0.0.0.0 and AAAA ::, the names below still resolve),
 *    or a zone of the configured type (exact=subtree), or left out;
 *  - `*.name` (the names below only) cannot be written and is left out,
 *    with a warning: mode=rpz expresses it;
 *  - an allowlist exception under a blocked name is an `always_transparent`
 *    zone, an observe-only name an `inform` zone (logged, resolved).
 * mode=rpz writes the response policy zone of the `rpz` output (rpz-zone.c)
 * with the `rpz:` clause that loads it as a comment block at its top.
 * mode=control and mode=control-remove write the `name. type` and `name.`
 * lines that `unbound-control local_zones` and `local_zones_remove` read
 * on stdin: the emergency path that reaches a running Unbound at once.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#include "dns-meta.h"
#include "rpz-zone.h"

enum ub_mode { UB_LOCAL_ZONE, UB_RPZ, UB_CONTROL, UB_CONTROL_REMOVE };
enum ub_exact { UB_EXACT_NULL, UB_EXACT_SUBTREE, UB_EXACT_SKIP };

struct ub_conf {
	const char *mode;
	const char *type;
	const char *exact;
	const char *monitor_type;
	struct rpz_conf z;
};

static const struct pw_option ub_options[] = {
	{ "mode", "local-zone", PW_OPT_STR, offsetof(struct ub_conf, mode),
	  "local-zone, rpz, control or control-remove" },
	{ "type", "always_nxdomain", PW_OPT_STR,
	  offsetof(struct ub_conf, type),
	  "local-zone type of a blocked name" },
	{ "exact", "null", PW_OPT_STR, offsetof(struct ub_conf, exact),
	  "exact-only names: null (0.0.0.0 and ::), subtree or skip" },
	{ "monitor_type", "inform", PW_OPT_STR,
	  offsetof(struct ub_conf, monitor_type),
	  "local-zone type of an observe-only name: inform or none" },
	RPZ_OPTIONS(struct ub_conf, z),
	{ NULL, NULL, 0, 0, NULL },
};

/* the blocking types of unbound.conf(5) that need no local data */
static const char *const ub_types[] = {
	"always_nxdomain", "always_nodata", "always_null", "always_refuse",
	"always_deny", "static", "refuse", "deny", "inform_deny",
};

struct ub_stats {
	unsigned long zones, exact, exact_wide, below, monitor, exc,
		exc_wide, skipped;
};

struct ub_state {
	struct pw_host *h;
	enum ub_mode mode;
	enum ub_exact exact;
	const char *type;
	bool monitor;			/* write `inform` zones */
	unsigned ttl;
	struct rpz_zone *zone;		/* mode=rpz */
	/* one render */
	struct pw_sink *out;
	bool scan;
	struct ub_stats st;
	struct dns_meta meta;
};

static int ub_pick(const char *val, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(val, names[i]) == 0)
			return (int)i;
	return -1;
}

static int ub_create(struct pw_host *h, const void *conf, void **state)
{
	static const char *const modes[] = {
		[UB_LOCAL_ZONE] = "local-zone", [UB_RPZ] = "rpz",
		[UB_CONTROL] = "control",
		[UB_CONTROL_REMOVE] = "control-remove",
	};
	static const char *const exact[] = {
		[UB_EXACT_NULL] = "null", [UB_EXACT_SUBTREE] = "subtree",
		[UB_EXACT_SKIP] = "skip",
	};
	static const char *const mon[] = { "none", "inform" };
	const struct ub_conf *c = conf;
	struct ub_state *s;
	int m, e, t, i, err = -EINVAL;

	m = ub_pick(c->mode, modes, 4);
	e = ub_pick(c->exact, exact, 3);
	t = ub_pick(c->type, ub_types, sizeof(ub_types) / sizeof(ub_types[0]));
	i = ub_pick(c->monitor_type, mon, 2);
	if (m < 0) {
		pw_log(h, LOG_ERR, "mode '%.40s': expected local-zone, rpz, "
		       "control or control-remove", c->mode);
		return -EINVAL;
	}
	if (e < 0) {
		pw_log(h, LOG_ERR, "exact '%.40s': expected null, subtree or "
		       "skip", c->exact);
		return -EINVAL;
	}
	if (t < 0) {
		pw_log(h, LOG_ERR, "type '%.40s' is not a blocking local-zone "
		       "type (always_nxdomain, always_nodata, always_null, "
		       "always_refuse, always_deny, static, refuse, deny, "
		       "inform_deny)", c->type);
		return -EINVAL;
	}
	if (i < 0) {
		pw_log(h, LOG_ERR, "monitor_type '%.40s': expected inform or "
		       "none", c->monitor_type);
		return -EINVAL;
	}
	if (c->z.ttl < 0 || c->z.ttl > 0x7fffffff) {
		pw_log(h, LOG_ERR, "ttl %lld is out of range",
		       (long long)c->z.ttl);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->mode = (enum ub_mode)m;
	s->exact = (enum ub_exact)e;
	s->type = ub_types[t];
	s->monitor = i == 1;
	s->ttl = (unsigned)c->z.ttl;
	if (s->mode == UB_RPZ) {
		err = rpz_zone_new(h, &c->z, &s->zone);
		if (err)
			goto out;
	}
	*state = s;
	s = NULL;
	err = 0;
out:
	free(s);
	return err;
}

static void ub_destroy(void *state)
{
	struct ub_state *s = state;

	if (!s)
		return;
	rpz_zone_free(s->zone);
	dns_meta_clear(&s->meta);
	free(s);
}

/* one line of the output: a zone, or in control modes its stdin line */
static int ub_zone(struct ub_state *s, const char *name, const char *type)
{
	if (s->scan)
		return 0;
	switch (s->mode) {
	case UB_CONTROL:
		return pw_sink_printf(s->out, "%s. %s\n", name, type);
	case UB_CONTROL_REMOVE:
		return pw_sink_printf(s->out, "%s.\n", name);
	default:
		return pw_sink_printf(s->out, "local-zone: \"%s.\" %s\n",
				      name, type);
	}
}

static int ub_exact_null(struct ub_state *s, const char *name)
{
	if (s->scan)
		return 0;
	return pw_sink_printf(s->out,
			      "local-zone: \"%s.\" transparent\n"
			      "local-data: \"%s. %u IN A 0.0.0.0\"\n"
			      "local-data: \"%s. %u IN AAAA ::\"\n",
			      name, name, s->ttl, name, s->ttl);
}

static int ub_item(void *ctx, const struct pw_item *it)
{
	struct ub_state *s = ctx;
	bool self = it->flags & PW_F_SELF, subs = it->flags & PW_F_SUBDOMAINS;
	const char *name = it->value;
	int err;

	if (s->scan) {
		err = dns_meta_sources(&s->meta, it->sources);
		if (err)
			return err;
	}
	if (name[0] == '*' && name[1] == '.')
		name += 2;
	if (it->flags & PW_F_MONITOR) {
		/* observing the name itself too costs nothing */
		if (!s->monitor)
			return 0;
		s->st.monitor += s->scan;
		return ub_zone(s, name, "inform");
	}
	if (self && subs) {
		s->st.zones += s->scan;
		return ub_zone(s, name, s->type);
	}
	if (!self) {
		/* the names below only: a local zone would take the name too */
		if (s->scan && s->st.below++ < 5)
			pw_log(s->h, LOG_WARNING, "'%s' left out: a local zone "
			       "cannot block the names below a name without "
			       "the name itself (mode=rpz can)", it->value);
		return 0;
	}
	switch (s->exact) {
	case UB_EXACT_SUBTREE:
		s->st.exact_wide += s->scan;
		return ub_zone(s, name, s->type);
	case UB_EXACT_NULL:
		if (s->mode == UB_LOCAL_ZONE) {
			s->st.exact += s->scan;
			return ub_exact_null(s, name);
		}
		/* control modes: only the include file can carry data */
		/* fall through */
	default:
		s->st.skipped += s->scan;
		return 0;
	}
}

static int ub_exception(void *ctx, const struct pw_item *it)
{
	struct ub_state *s = ctx;
	const char *name = it->value;

	if (name[0] == '*' && name[1] == '.')
		name += 2;
	/* a zone that lets everything through, apex and below */
	if (!(it->flags & PW_F_SELF) || !(it->flags & PW_F_SUBDOMAINS))
		s->st.exc_wide += s->scan;
	s->st.exc += s->scan;
	/* never taken out: it may still be wanted under a feed's block */
	if (s->mode == UB_CONTROL_REMOVE)
		return 0;
	return ub_zone(s, name, "always_transparent");
}

static int ub_pass(struct ub_state *s, const struct pw_set *set)
{
	int err = pw_set_iter(set, PW_IMASK(PW_I_DOMAIN), ub_item, s);

	if (!err)
		err = pw_set_iter_allow(set, ub_exception, s);
	return err;
}

/* a path we may quote in a comment: printable, no quote */
static const char *ub_path(const char *p)
{
	const char *c;

	if (!p)
		return NULL;
	for (c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '"')
			return NULL;
	return p;
}

static int ub_header(struct ub_state *s)
{
	const char *path = ub_path(pw_host_target(s->h));
	const struct ub_stats *st = &s->st;
	int err;

	err = dns_meta_write(&s->meta, s->h, s->out, "#",
			     "Unbound local zones");
	if (err)
		return err;
	return pw_sink_printf(s->out,
			      "# %lu names with the names below (%s), "
			      "%lu exact (null answers), %lu exact as "
			      "zones, %lu observe-only (inform)\n"
			      "# %lu allowlist exceptions (always_transparent)"
			      "\n# left out: %lu names below a name only, %lu "
			      "exact\n"
			      "# use from unbound.conf: include: \"%s\"\n"
			      "server:\n",
			      st->zones, s->type, st->exact, st->exact_wide,
			      st->monitor, st->exc, st->below, st->skipped,
			      path ? path : "/path/to/this/file");
}

/* mode=rpz: the zone, with the clause that loads it */
static int ub_render_rpz(struct ub_state *s, const struct pw_set *set,
			 struct pw_sink *out)
{
	const char *path = ub_path(pw_host_target(s->h));
	const char *origin = rpz_zone_origin(s->zone);
	char *extra = NULL;
	size_t len;
	int n, err;

	len = 2 * strlen(origin) + (path ? strlen(path) : 32) + 512;
	extra = malloc(len);
	if (!extra)
		return -ENOMEM;
	n = snprintf(extra, len,
		     "; load it in Unbound (unbound.conf(5); \"respip\" is "
		     "required for rpz):\n"
		     ";   server:\n"
		     ";     module-config: \"respip validator iterator\"\n"
		     ";   rpz:\n"
		     ";     name: \"%s.\"\n"
		     ";     zonefile: \"%s\"\n"
		     ";     rpz-log: yes\n"
		     ";     rpz-log-name: \"poolwall\"\n"
		     "; reload it: unbound-control auth_zone_reload %s.\n",
		     origin, path ? path : "/path/to/this/file", origin);
	if (n < 0 || (size_t)n >= len)
		err = -ENAMETOOLONG;
	else
		err = rpz_zone_render(s->zone, set, out, extra);
	free(extra);
	return err;
}

static int ub_render(void *state, const struct pw_set *set,
		     struct pw_sink *out)
{
	struct ub_state *s = state;
	int err;

	if (s->mode == UB_RPZ)
		return ub_render_rpz(s, set, out);
	memset(&s->st, 0, sizeof(s->st));
	dns_meta_clear(&s->meta);
	s->out = out;
	s->scan = true;
	err = ub_pass(s, set);
	s->scan = false;
	if (err)
		return err;
	if (s->st.below > 5)
		pw_log(s->h, LOG_WARNING, "...and %lu more names below a name "
		       "only left out", s->st.below - 5);
	if (s->st.exact_wide)
		pw_log(s->h, LOG_NOTICE, "%lu exact-only names written as "
		       "zones: the names below them are blocked too "
		       "(exact=subtree)", s->st.exact_wide);
	if (s->st.exc_wide)
		pw_log(s->h, LOG_NOTICE, "%lu allowlist exceptions also let "
		       "through the name itself or the names below it: a "
		       "local zone covers both", s->st.exc_wide);
	if (s->st.skipped && s->mode != UB_LOCAL_ZONE)
		pw_log(s->h, LOG_NOTICE, "%lu exact-only names are not in "
		       "the control lines: they reach Unbound with the include "
		       "file and a reload", s->st.skipped);
	if (s->mode == UB_LOCAL_ZONE)
		err = ub_header(s);
	if (!err)
		err = ub_pass(s, set);
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "unbound",
	.kind = PW_OUTPUT,
	.summary = "Unbound local-zone include, RPZ zone or control lines",
	.options = ub_options,
	.conf_size = sizeof(struct ub_conf),
	.create = ub_create,
	.destroy = ub_destroy,
	.render = ub_render,
};
