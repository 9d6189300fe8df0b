/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The response policy zone as text; see rpz-zone.h.
 *
 *   $ORIGIN rpz.poolwall.
 *   $TTL 60
 *   rpz.poolwall. 60 IN SOA localhost. hostmaster.localhost. ...
 *   rpz.poolwall. 60 IN NS localhost.
 *   pool.example.test CNAME .             ; the name itself
 *   *.pool.example.test CNAME .           ; every name below it
 *   ok.pool.example.test CNAME rpz-passthru. ; an allowlist exception
 *   24.0.2.0.192.rpz-ip CNAME .           ; 192.0.2.0/24 in an answer
 *
 * Owners are relative to the origin (a trailing dot would put them out of
 * the zone: BIND drops such a record, Unbound refuses the whole zone).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>

#include <ldns/ldns.h>

#include "dns-meta.h"
#include "rpz-zone.h"

#define RPZ_NAME_MAX 253	/* text of a name without its final dot */
#define RPZ_MAX_RR 4		/* records of one action (sinkhole) */
#define RPZ_LOG_MAX 5		/* dropped names told one by one */
#define RPZ_SERIAL_SCAN 64	/* directives and RRs read before the SOA */

struct rpz_action {
	const char *name;		/* as configured */
	char *rr[RPZ_MAX_RR];		/* "\tCNAME\t.\n" */
	size_t len[RPZ_MAX_RR];
	size_t n;
	bool local;			/* A/AAAA local data: check-names */
};

enum rpz_drop {
	RPZ_D_LONG,		/* owner name too long with the origin */
	RPZ_D_HOST,		/* not a host name, and local data */
	RPZ_D_RESERVED,		/* ends in an rpz-* label: a trigger */
	RPZ_D_N,
};

struct rpz_stats {
	unsigned long tree, exact, below, monitor, v4, v6, exc;
	unsigned long ip_off;
	unsigned long drop[RPZ_D_N];
};

struct rpz_zone {
	struct pw_host *h;
	char *origin;			/* no trailing dot, lower case */
	size_t origin_len;
	bool origin_host;		/* the origin passes check-names */
	ldns_rdf *origin_rdf, *mname, *rname;
	uint32_t refresh, retry, expire, minimum, ttl;
	bool ip;
	struct rpz_action block, monitor, pass;
	/* one render */
	struct pw_sink *out;
	bool scan;			/* first pass: count, log */
	struct rpz_stats st;
	struct dns_meta meta;
	char line[2 * RPZ_NAME_MAX + 64];
};

static const char *const rpz_drop_why[RPZ_D_N] = {
	[RPZ_D_LONG] = "longer than 253 characters once the origin is "
		       "appended",
	[RPZ_D_HOST] = "not a host name, which named's check-names refuses "
		       "as the owner of a sinkhole address",
	[RPZ_D_RESERVED] = "its last label is reserved for RPZ triggers",
};

static char *rpz_lower_dup(const char *s)
{
	size_t len = strlen(s), i;
	char *d;

	if (len && s[len - 1] == '.')
		len--;
	d = malloc(len + 1);
	if (!d)
		return NULL;
	for (i = 0; i < len; i++)
		d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	d[len] = '\0';
	return d;
}

/*
 * A configured name (origin, SOA names, sinkhole): letters, digits, '-'
 * and '_' in labels of 1..63, at most 253 characters, checked with ldns.
 * Returns the absolute dname, or NULL after logging why not.
 */
static ldns_rdf *rpz_conf_name(struct pw_host *h, const char *what,
			       const char *val, char **lower)
{
	ldns_rdf *rdf = NULL;
	char *l = rpz_lower_dup(val), abs[RPZ_NAME_MAX + 2];
	size_t i, len;
	int n;

	if (!l)
		return NULL;
	len = strlen(l);
	for (i = 0; i < len; i++) {
		char c = l[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			break;
	}
	n = snprintf(abs, sizeof(abs), "%s.", l);
	if (!len || i < len || n < 0 || (size_t)n >= sizeof(abs) ||
	    strstr(l, "..") || l[0] == '.' ||
	    ldns_str2rdf_dname(&rdf, abs) != LDNS_STATUS_OK) {
		pw_log(h, LOG_ERR, "%s '%.80s' is not a domain name", what,
		       val);
		free(l);
		return NULL;
	}
	if (lower)
		*lower = l;
	else
		free(l);
	return rdf;
}

/* one record of an action: "\tTYPE\tRDATA\n" */
static int rpz_action_add(struct rpz_action *a, const char *type,
			  const char *rdata)
{
	char buf[RPZ_NAME_MAX + 32];
	int n = snprintf(buf, sizeof(buf), "\t%s\t%s\n", type, rdata);

	if (n < 0 || (size_t)n >= sizeof(buf) || a->n == RPZ_MAX_RR)
		return -EINVAL;
	a->rr[a->n] = strdup(buf);
	if (!a->rr[a->n])
		return -ENOMEM;
	a->len[a->n++] = (size_t)n;
	return 0;
}

static void rpz_action_clear(struct rpz_action *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->rr[i]);
	memset(a, 0, sizeof(*a));
}

/* policy=sinkhole: "192.0.2.1", "192.0.2.1,2001:db8::1" or "sink.test" */
static int rpz_sinkhole(struct rpz_zone *z, struct rpz_action *a,
			const char *val, const char *opt)
{
	char tok[RPZ_NAME_MAX + 2], txt[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	const char *p = val, *comma;
	bool name = false;
	ldns_rdf *rdf;
	char *lower;
	size_t len;
	int n, err;

	if (!*val) {
		pw_log(z->h, LOG_ERR, "%s=sinkhole needs the sinkhole "
		       "option: an address or a host name", opt);
		return -EINVAL;
	}
	for (; *p; p = *comma ? comma + 1 : comma) {
		comma = strchr(p, ',');
		if (!comma)
			comma = p + strlen(p);
		len = (size_t)(comma - p);
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (!len || len >= sizeof(tok))
			goto bad;
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (inet_pton(AF_INET, tok, bin) == 1) {
			inet_ntop(AF_INET, bin, txt, sizeof(txt));
			err = rpz_action_add(a, "A", txt);
			a->local = true;
		} else if (inet_pton(AF_INET6, tok, bin) == 1) {
			inet_ntop(AF_INET6, bin, txt, sizeof(txt));
			err = rpz_action_add(a, "AAAA", txt);
			a->local = true;
		} else {
			rdf = rpz_conf_name(z->h, "sinkhole", tok, &lower);
			if (!rdf)
				return -EINVAL;
			ldns_rdf_deep_free(rdf);
			n = snprintf(tok, sizeof(tok), "%s.", lower);
			free(lower);
			if (n < 0 || (size_t)n >= sizeof(tok))
				goto bad;
			err = rpz_action_add(a, "CNAME", tok);
			name = true;
		}
		if (err)
			goto bad;
	}
	/* CNAME and other data at one owner: named refuses the zone */
	if (name && a->n > 1) {
		pw_log(z->h, LOG_ERR, "sinkhole '%.80s': a host name cannot "
		       "be combined with anything else", val);
		return -EINVAL;
	}
	if (a->local && !z->origin_host) {
		pw_log(z->h, LOG_ERR, "origin '%s' is not a host name, so "
		       "named's check-names would refuse every sinkhole "
		       "address record", z->origin);
		return -EINVAL;
	}
	return 0;
bad:
	pw_log(z->h, LOG_ERR, "sinkhole '%.80s': expected up to %d "
	       "addresses, or one host name", val, RPZ_MAX_RR);
	return -EINVAL;
}

static int rpz_policy(struct rpz_zone *z, struct rpz_action *a,
		      const char *opt, const char *val, const char *sink)
{
	static const struct {
		const char *name, *target;
	} cname[] = {
		{ "nxdomain", "." },
		{ "nodata", "*." },
		{ "drop", "rpz-drop." },
		{ "passthru", "rpz-passthru." },
		{ "tcp-only", "rpz-tcp-only." },
	};
	size_t i;

	a->name = val;
	for (i = 0; i < sizeof(cname) / sizeof(cname[0]); i++)
		if (strcmp(val, cname[i].name) == 0)
			return rpz_action_add(a, "CNAME", cname[i].target);
	if (strcmp(val, "sinkhole") == 0)
		return rpz_sinkhole(z, a, sink, opt);
	pw_log(z->h, LOG_ERR, "%s '%.40s': expected nxdomain, nodata, drop, "
	       "passthru, tcp-only or sinkhole", opt, val);
	return -EINVAL;
}

static int rpz_u32(struct rpz_zone *z, const char *what, int64_t v,
		   uint32_t *out)
{
	/* RFC 2181: TTLs and SOA timers are 0..2^31-1 */
	if (v < 0 || v > INT32_MAX) {
		pw_log(z->h, LOG_ERR, "%s %lld is out of range", what,
		       (long long)v);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

int rpz_zone_new(struct pw_host *h, const struct rpz_conf *c,
		 struct rpz_zone **zp)
{
	struct rpz_zone *z;
	int err = -EINVAL;

	*zp = NULL;
	z = calloc(1, sizeof(*z));
	if (!z)
		return -ENOMEM;
	z->h = h;
	z->ip = c->ip;
	z->origin_rdf = rpz_conf_name(h, "origin", c->origin, &z->origin);
	if (!z->origin_rdf)
		goto out;
	z->origin_len = strlen(z->origin);
	/* room for at least a short name below it */
	if (z->origin_len > RPZ_NAME_MAX - 64) {
		pw_log(h, LOG_ERR, "origin '%.80s...' is too long to leave "
		       "room for the names", z->origin);
		goto out;
	}
	z->origin_host = dns_is_hostname(z->origin, z->origin_len);
	z->mname = rpz_conf_name(h, "soa_mname", c->soa_mname, NULL);
	z->rname = rpz_conf_name(h, "soa_rname", c->soa_rname, NULL);
	if (!z->mname || !z->rname)
		goto out;
	if (rpz_u32(z, "refresh", c->refresh, &z->refresh) ||
	    rpz_u32(z, "retry", c->retry, &z->retry) ||
	    rpz_u32(z, "expire", c->expire, &z->expire) ||
	    rpz_u32(z, "minimum", c->minimum, &z->minimum) ||
	    rpz_u32(z, "ttl", c->ttl, &z->ttl))
		goto out;
	err = rpz_policy(z, &z->block, "policy", c->policy, c->sinkhole);
	if (!err)
		err = rpz_policy(z, &z->monitor, "monitor_policy",
				 c->monitor_policy, c->sinkhole);
	if (!err)
		err = rpz_policy(z, &z->pass, "exceptions", "passthru", "");
	if (err)
		goto out;
	*zp = z;
	z = NULL;
out:
	rpz_zone_free(z);
	return err;
}

void rpz_zone_free(struct rpz_zone *z)
{
	if (!z)
		return;
	free(z->origin);
	ldns_rdf_deep_free(z->origin_rdf);
	ldns_rdf_deep_free(z->mname);
	ldns_rdf_deep_free(z->rname);
	rpz_action_clear(&z->block);
	rpz_action_clear(&z->monitor);
	rpz_action_clear(&z->pass);
	dns_meta_clear(&z->meta);
	free(z);
}

const char *rpz_zone_origin(const struct rpz_zone *z)
{
	return z->origin;
}

/* ---- serial ---- */

uint32_t rpz_serial_next(int have_prev, uint32_t prev, int64_t now)
{
	uint32_t t = (uint32_t)now;

	/* RFC 1982: t is newer than prev when 0 < t - prev < 2^31 */
	if (have_prev && (t == prev || (uint32_t)(t - prev) >= 0x80000000u))
		t = prev + 1;
	return t;
}

int rpz_serial_read(const char *path, uint32_t *serial)
{
	ldns_rdf *origin = NULL, *prev = NULL;
	struct stat sb;
	uint32_t ttl = 3600;
	int line = 0, i, err = -EINVAL;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* /dev/null, a pipe, an empty file: no previous zone */
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || !sb.st_size) {
		err = -ENOENT;
		goto out;
	}
	/* a name for '@' and relative owners until the file sets its own */
	if (ldns_str2rdf_dname(&origin, ".") != LDNS_STATUS_OK) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < RPZ_SERIAL_SCAN; i++) {
		ldns_rr *rr = NULL;
		ldns_status st;

		st = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin, &prev, &line);
		if (st == LDNS_STATUS_SYNTAX_EMPTY ||
		    st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (st != LDNS_STATUS_OK)
			break;
		/* a zone file starts with its SOA record */
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
		    ldns_rr_rd_count(rr) == 7 && ldns_rr_rdf(rr, 2)) {
			*serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
			err = 0;
		}
		ldns_rr_free(rr);
		break;
	}
out:
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	fclose(f);
	return err;
}

static int rpz_serial(struct rpz_zone *z, uint32_t *serial)
{
	const char *target = pw_host_target(z->h);
	uint32_t prev = 0;
	int have = 0, err;

	if (target) {
		err = rpz_serial_read(target, &prev);
		if (!err)
			have = 1;
		else if (err != -ENOENT)
			pw_log(z->h, LOG_WARNING, "no serial in the previous "
			       "zone '%s' (%s); starting from the clock",
			       target, err == -EINVAL ? "no SOA record" :
			       strerror(-err));
	}
	*serial = rpz_serial_next(have, prev, pw_host_now(z->h));
	return 0;
}

/* ---- records ---- */

int rpz_ip_owner(char *buf, size_t len, const struct pw_item *it)
{
	const uint8_t *a = it->addr;
	unsigned w[8];
	int n, k, i, best = -1, best_len = 0, cur = -1, cur_len = 0;

	if (it->kind == PW_I_IPV4) {
		if (it->plen < 1 || it->plen > 32)
			return -EINVAL;
		n = snprintf(buf, len, "%u.%u.%u.%u.%u.rpz-ip", it->plen,
			     a[3], a[2], a[1], a[0]);
		return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : n;
	}
	if (it->kind != PW_I_IPV6 || it->plen < 1 || it->plen > 128)
		return -EINVAL;
	/* 16-bit words, least significant first, as the owner lists them */
	for (i = 0; i < 8; i++)
		w[i] = (unsigned)a[14 - 2 * i] << 8 | a[15 - 2 * i];
	/*
	 * "zz" stands for the longest run of two or more zero words, the
	 * last one in this order on a tie: BIND re-encodes every trigger
	 * this way and ignores one that differs ("not canonical").
	 */
	for (i = 0; i < 8; i++) {
		if (w[i]) {
			cur = -1;
			cur_len = 0;
			continue;
		}
		cur_len++;
		if (cur < 0)
			cur = i;
		else if (cur_len >= best_len) {
			best = cur;
			best_len = cur_len;
		}
	}
	n = snprintf(buf, len, "%u", it->plen);
	for (i = 0; i < 8 && n >= 0 && (size_t)n < len; i++) {
		if (i == best) {
			k = snprintf(buf + n, len - (size_t)n, ".zz");
			i += best_len - 1;
		} else {
			k = snprintf(buf + n, len - (size_t)n, ".%x", w[i]);
		}
		n = k < 0 ? -1 : n + k;
	}
	if (n >= 0 && (size_t)n < len) {
		k = snprintf(buf + n, len - (size_t)n, ".rpz-ip");
		n = k < 0 ? -1 : n + k;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : n;
}

static void rpz_drop(struct rpz_zone *z, enum rpz_drop why, const char *name)
{
	unsigned long n = z->st.drop[why]++;

	if (n < RPZ_LOG_MAX)
		pw_log(z->h, LOG_WARNING, "'%.260s' left out: %s", name,
		       rpz_drop_why[why]);
}

/* owner [*.]name (relative), then each record of the action */
static int rpz_write(struct rpz_zone *z, const struct rpz_action *a,
		     const char *name, size_t len, bool wild)
{
	size_t i, o = 0;
	int err = 0;

	/* rpz_check() keeps owners to 253 characters: line has room */
	if (len > RPZ_NAME_MAX)
		return -ENAMETOOLONG;
	if (wild) {
		memcpy(z->line, "*.", 2);
		o = 2;
	}
	memcpy(z->line + o, name, len);
	o += len;
	for (i = 0; i < a->n && !err; i++) {
		memcpy(z->line + o, a->rr[i], a->len[i]);
		err = pw_sink_write(z->out, z->line, o + a->len[i]);
	}
	return err;
}

/* Whether an owner `name` (+ "*." when wild) can be written with `a`. */
static int rpz_check(struct rpz_zone *z, const struct rpz_action *a,
		     const char *name, size_t len, bool wild, bool ip,
		     const char *shown)
{
	const char *dot = memrchr(name, '.', len);
	const char *last = dot ? dot + 1 : name;

	if (len + (wild ? 2 : 0) + 1 + z->origin_len > RPZ_NAME_MAX) {
		if (z->scan)
			rpz_drop(z, RPZ_D_LONG, shown);
		return 0;
	}
	/* `x.rpz-nsdname` from a feed would become a trigger of its own */
	if (!ip && (size_t)(name + len - last) >= 4 &&
	    !memcmp(last, "rpz-", 4)) {
		if (z->scan)
			rpz_drop(z, RPZ_D_RESERVED, shown);
		return 0;
	}
	if (a->local && !dns_is_hostname(name, len)) {
		if (z->scan)
			rpz_drop(z, RPZ_D_HOST, shown);
		return 0;
	}
	return 1;
}

/* a domain item: the name itself and/or the names below it */
static int rpz_domain(struct rpz_zone *z, const struct rpz_action *a,
		      const struct pw_item *it)
{
	const char *name = it->value;
	bool self = it->flags & PW_F_SELF, subs = it->flags & PW_F_SUBDOMAINS;
	size_t len;
	int err = 0;

	if (name[0] == '*' && name[1] == '.')
		name += 2;
	len = strlen(name);
	if (!self && !subs)
		return 0;
	if (!rpz_check(z, a, name, len, subs, false, it->value))
		return 1;
	if (z->scan)
		return 0;
	if (self)
		err = rpz_write(z, a, name, len, false);
	if (!err && subs)
		err = rpz_write(z, a, name, len, true);
	return err;
}

static int rpz_item(void *ctx, const struct pw_item *it)
{
	struct rpz_zone *z = ctx;
	bool mon = it->flags & PW_F_MONITOR;
	const struct rpz_action *a = mon ? &z->monitor : &z->block;
	char owner[64];
	int n, err;

	if (z->scan) {
		err = dns_meta_sources(&z->meta, it->sources);
		if (err)
			return err;
	}
	if (it->kind == PW_I_DOMAIN) {
		err = rpz_domain(z, a, it);
		if (err < 0 || !z->scan)
			return err < 0 ? err : 0;
		if (err)
			return 0;	/* dropped */
		if (mon)
			z->st.monitor++;
		else if ((it->flags & PW_F_SELF) &&
			 (it->flags & PW_F_SUBDOMAINS))
			z->st.tree++;
		else if (it->flags & PW_F_SELF)
			z->st.exact++;
		else
			z->st.below++;
		return 0;
	}
	if (!z->ip) {
		z->st.ip_off += z->scan;
		return 0;
	}
	n = rpz_ip_owner(owner, sizeof(owner), it);
	if (n < 0) {
		if (z->scan)
			pw_log(z->h, LOG_WARNING, "'%s' left out: no rpz-ip "
			       "encoding", it->value);
		return 0;
	}
	if (!rpz_check(z, a, owner, (size_t)n, false, true, it->value))
		return 0;
	if (z->scan) {
		if (it->kind == PW_I_IPV4)
			z->st.v4++;
		else
			z->st.v6++;
		return 0;
	}
	return rpz_write(z, a, owner, (size_t)n, false);
}

static int rpz_exception(void *ctx, const struct pw_item *it)
{
	struct rpz_zone *z = ctx;
	int err = rpz_domain(z, &z->pass, it);

	if (err < 0)
		return err;
	if (z->scan && !err)
		z->st.exc++;
	return 0;
}

static int rpz_header(struct rpz_zone *z, uint32_t serial, const char *extra)
{
	const struct rpz_stats *st = &z->st;
	unsigned long dropped = 0;
	ldns_rr *soa = NULL, *ns = NULL;
	char *soa_txt = NULL, *ns_txt = NULL, what[RPZ_NAME_MAX + 32];
	size_t i;
	int err = -ENOMEM;

	for (i = 0; i < RPZ_D_N; i++)
		dropped += st->drop[i];
	snprintf(what, sizeof(what), "response policy zone %s", z->origin);
	err = dns_meta_write(&z->meta, z->h, z->out, ";", what);
	if (err)
		goto out;
	err = pw_sink_printf(z->out,
			     "; names: %lu with the names below, %lu exact, "
			     "%lu only below, %lu observe-only (%s)\n"
			     "; addresses: %lu IPv4 and %lu IPv6 prefixes",
			     st->tree, st->exact, st->below, st->monitor,
			     z->monitor.name, st->v4, st->v6);
	if (!err && !z->ip)
		err = pw_sink_printf(z->out, " (ip=no: %lu not written)",
				     st->ip_off);
	if (!err)
		err = pw_sink_printf(z->out,
				     "\n; allowlist exceptions: %lu\n"
				     "; left out: %lu\n; policy: %s\n",
				     st->exc, dropped, z->block.name);
	if (!err && extra)
		err = pw_sink_printf(z->out, "%s", extra);
	if (err)
		goto out;

	/* apex: SOA and NS, through ldns */
	err = -ENOMEM;
	soa = ldns_rr_new();
	ns = ldns_rr_new();
	if (!soa || !ns)
		goto out;
	ldns_rr_set_type(soa, LDNS_RR_TYPE_SOA);
	ldns_rr_set_class(soa, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(soa, z->ttl);
	ldns_rr_set_owner(soa, ldns_rdf_clone(z->origin_rdf));
	if (!ldns_rr_owner(soa) ||
	    !ldns_rr_push_rdf(soa, ldns_rdf_clone(z->mname)) ||
	    !ldns_rr_push_rdf(soa, ldns_rdf_clone(z->rname)) ||
	    !ldns_rr_push_rdf(soa, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32,
							 serial)) ||
	    !ldns_rr_push_rdf(soa, ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD,
							 z->refresh)) ||
	    !ldns_rr_push_rdf(soa, ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD,
							 z->retry)) ||
	    !ldns_rr_push_rdf(soa, ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD,
							 z->expire)) ||
	    !ldns_rr_push_rdf(soa, ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD,
							 z->minimum)))
		goto out;
	for (i = 0; i < ldns_rr_rd_count(soa); i++)
		if (!ldns_rr_rdf(soa, i))
			goto out;
	ldns_rr_set_type(ns, LDNS_RR_TYPE_NS);
	ldns_rr_set_class(ns, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(ns, z->ttl);
	ldns_rr_set_owner(ns, ldns_rdf_clone(z->origin_rdf));
	if (!ldns_rr_owner(ns) ||
	    !ldns_rr_push_rdf(ns, ldns_rdf_clone(z->mname)) ||
	    !ldns_rr_rdf(ns, 0))
		goto out;
	soa_txt = ldns_rr2str(soa);
	ns_txt = ldns_rr2str(ns);
	if (!soa_txt || !ns_txt)
		goto out;
	err = pw_sink_printf(z->out, "$ORIGIN %s.\n$TTL %u\n%s%s", z->origin,
			     (unsigned)z->ttl, soa_txt, ns_txt);
out:
	free(soa_txt);
	free(ns_txt);
	ldns_rr_free(soa);
	ldns_rr_free(ns);
	return err;
}

static int rpz_pass(struct rpz_zone *z, const struct pw_set *s)
{
	unsigned kinds = PW_IMASK(PW_I_DOMAIN);
	int err;

	if (z->ip || z->scan)
		kinds |= PW_IMASK(PW_I_IPV4) | PW_IMASK(PW_I_IPV6);
	err = pw_set_iter(s, kinds, rpz_item, z);
	if (!err)
		err = pw_set_iter_allow(s, rpz_exception, z);
	return err;
}

int rpz_zone_render(struct rpz_zone *z, const struct pw_set *s,
		    struct pw_sink *out, const char *extra)
{
	unsigned long more;
	uint32_t serial;
	size_t i;
	int err;

	memset(&z->st, 0, sizeof(z->st));
	dns_meta_clear(&z->meta);
	z->out = out;
	/* first pass: counts and sources for the header, diagnostics */
	z->scan = true;
	err = rpz_pass(z, s);
	z->scan = false;
	if (err)
		return err;
	for (i = 0; i < RPZ_D_N; i++) {
		more = z->st.drop[i];
		if (more > RPZ_LOG_MAX)
			pw_log(z->h, LOG_WARNING, "...and %lu more names "
			       "left out: %s", more - RPZ_LOG_MAX,
			       rpz_drop_why[i]);
	}
	err = rpz_serial(z, &serial);
	if (!err)
		err = rpz_header(z, serial, extra);
	if (!err)
		err = rpz_pass(z, s);
	return err;
}
