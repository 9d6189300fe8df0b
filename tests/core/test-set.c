/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core/set.c: dedup and provenance, domain collapse, allowlist, reserved
 * trimming, prefix and port aggregation, the monitor tier, iteration.
 * Indicators are built by hand (no normalizer involved).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reserved.h"
#include "set.h"
#include "tap.h"

/* ---- building indicators ------------------------------------------------- */

static struct pw_ind dom(struct pw_set *s, const char *name, unsigned mode)
{
	struct pw_ind in;

	memset(&in, 0, sizeof(in));
	in.kind = PW_I_DOMAIN;
	in.mode = (uint8_t)mode;
	in.str = pw_arena_strndup(pw_set_arena(s), name, strlen(name));
	return in;
}

/* "192.0.2.0/24", "2001:db8::/32", "8.8.8.8" */
static struct pw_ind ip(const char *text)
{
	struct pw_ind in;
	char buf[64];
	char *slash;
	struct in_addr a;

	memset(&in, 0, sizeof(in));
	snprintf(buf, sizeof(buf), "%s", text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &a) == 1) {
		in.kind = PW_I_IPV4;
		in.a.v4 = ntohl(a.s_addr);
		in.plen = slash ? (uint8_t)atoi(slash) : 32;
	} else if (inet_pton(AF_INET6, buf, in.a.v6) == 1) {
		in.kind = PW_I_IPV6;
		in.plen = slash ? (uint8_t)atoi(slash) : 128;
	}
	return in;
}

static struct pw_ind port(unsigned proto, unsigned lo, unsigned hi)
{
	struct pw_ind in;

	memset(&in, 0, sizeof(in));
	in.kind = PW_I_PORT;
	in.mode = (uint8_t)proto;
	in.port_lo = (uint16_t)lo;
	in.port_hi = (uint16_t)hi;
	return in;
}

static struct pw_ind str_ind(struct pw_set *s, unsigned kind, unsigned mode,
			     const char *str)
{
	struct pw_ind in;

	memset(&in, 0, sizeof(in));
	in.kind = (uint8_t)kind;
	in.mode = (uint8_t)mode;
	in.str = pw_arena_strndup(pw_set_arena(s), str, strlen(str));
	return in;
}

static int add(struct pw_set *s, struct pw_ind in, unsigned src,
	       unsigned line)
{
	return pw_set_add(s, &in, src, line, NULL, 0);
}

static int add_mon(struct pw_set *s, struct pw_ind in, unsigned src)
{
	in.monitor = 1;
	return pw_set_add(s, &in, src, 1, NULL, 0);
}

static int allow(struct pw_set *s, struct pw_ind in)
{
	return pw_set_allow(s, &in);
}

/* ---- collecting items ---------------------------------------------------- */

#define MAX_ITEMS 20000

struct got {
	enum pw_ikind kind;
	unsigned flags;
	char value[300];
	char sources[128];
	char incident[32];
	char sub[32];
	int64_t expires;
	uint8_t addr[16];
	unsigned plen;
	enum pw_proto proto;
	uint16_t port_lo, port_hi;
};

static struct got items[MAX_ITEMS];
static size_t n_items;
static char joined[65536];

static int collect_cb(void *ctx, const struct pw_item *it)
{
	struct got *g;
	size_t o = strlen(joined);

	(void)ctx;
	if (n_items == MAX_ITEMS)
		return -ENOSPC;
	g = &items[n_items++];
	memset(g, 0, sizeof(*g));
	g->kind = it->kind;
	g->flags = it->flags;
	snprintf(g->value, sizeof(g->value), "%s", it->value);
	snprintf(g->sources, sizeof(g->sources), "%s",
		 it->sources ? it->sources : "(null)");
	snprintf(g->incident, sizeof(g->incident), "%s",
		 it->incident ? it->incident : "");
	snprintf(g->sub, sizeof(g->sub), "%s", it->sub ? it->sub : "");
	g->expires = it->expires;
	memcpy(g->addr, it->addr, 16);
	g->plen = it->plen;
	g->proto = it->proto;
	g->port_lo = it->port_lo;
	g->port_hi = it->port_hi;
	if (o + strlen(it->value) + 2 < sizeof(joined))
		snprintf(joined + o, sizeof(joined) - o, "%s%s", o ? " " : "",
			 it->value);
	return 0;
}

/* The values of the kinds in `kinds`, space-separated. */
static const char *collect(const struct pw_set *s, unsigned kinds)
{
	n_items = 0;
	joined[0] = '\0';
	if (pw_set_iter(s, kinds, collect_cb, NULL))
		return "(iter failed)";
	return joined;
}

static const char *collect_allow(const struct pw_set *s)
{
	n_items = 0;
	joined[0] = '\0';
	if (pw_set_iter_allow(s, collect_cb, NULL))
		return "(iter failed)";
	return joined;
}

static const struct got *find(const char *value)
{
	size_t i;

	for (i = 0; i < n_items; i++) {
		if (strcmp(items[i].value, value) == 0)
			return &items[i];
	}
	return NULL;
}

#define D PW_IMASK(PW_I_DOMAIN)
#define V4 PW_IMASK(PW_I_IPV4)
#define V6 PW_IMASK(PW_I_IPV6)
#define P PW_IMASK(PW_I_PORT)

/* A diag writing into memory, to check what was reported. */
struct memdiag {
	char *buf;
	size_t len;
	FILE *f;
	struct pw_diag *d;
};

static void md_open(struct memdiag *m)
{
	memset(m, 0, sizeof(*m));
	m->f = open_memstream(&m->buf, &m->len);
	m->d = pw_diag_new(m->f, 100);
}

static const char *md_text(struct memdiag *m)
{
	fflush(m->f);
	return m->buf ? m->buf : "";
}

static void md_close(struct memdiag *m)
{
	pw_diag_free(m->d);
	fclose(m->f);
	free(m->buf);
}

static int finalize(struct pw_set *s, struct pw_diag *d, bool doc)
{
	struct pw_set_opts o = { .allow_doc = doc, .diag = d };

	return pw_set_finalize(s, &o);
}

/* ---- tests --------------------------------------------------------------- */

static void test_sources(void)
{
	struct pw_set *s = pw_set_new();
	char name[16];
	int i, r = 0;

	is_int(pw_set_source(s, "nocoin"), 0, "first source is 0");
	is_int(pw_set_source(s, "coinblocker"), 1, "second source is 1");
	is_int(pw_set_source(s, "nocoin"), 0, "same name, same index");
	for (i = 2; i < 64; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		r = pw_set_source(s, name);
	}
	is_int(r, 63, "64th source is 63");
	is_int(pw_set_source(s, "one-too-many"), 63, "more fold into 63");
	is_int(pw_set_n_sources(s), 64, "64 names kept");
	is_str(pw_set_source_name(s, 1), "coinblocker", "name of index 1");
	ok(pw_set_source_name(s, 64) == NULL, "no name past the end");
	pw_set_free(s);
	pw_set_free(NULL);
}

static void test_dedup(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	const struct got *g;
	struct memdiag md;
	struct pw_ind in;

	pw_set_source(s, "A");
	pw_set_source(s, "B");
	pw_set_source(s, "C");
	is_int(add(s, dom(s, "dup.example", PW_D_EXACT), 1, 3), 0, "add");
	add(s, dom(s, "dup.example", PW_D_EXACT), 0, 7);
	add(s, dom(s, "dup.example", PW_D_EXACT), 1, 9);
	/* incident: first non-NULL; expiry: later wins */
	in = dom(s, "inc.example", PW_D_EXACT);
	pw_set_add(s, &in, 0, 1, NULL, 100);
	pw_set_add(s, &in, 1, 2, "IR-1", 300);
	pw_set_add(s, &in, 2, 3, "IR-2", 200);
	/* 0 = permanent wins */
	in = dom(s, "perm.example", PW_D_EXACT);
	pw_set_add(s, &in, 0, 1, "IR-3", 100);
	pw_set_add(s, &in, 1, 1, NULL, 0);
	pw_set_add(s, &in, 2, 1, NULL, 500);
	/* monitor only if all were monitor */
	add_mon(s, dom(s, "mon.example", PW_D_EXACT), 0);
	add_mon(s, dom(s, "mon.example", PW_D_EXACT), 1);
	add_mon(s, dom(s, "mix.example", PW_D_EXACT), 0);
	add(s, dom(s, "mix.example", PW_D_EXACT), 2, 4);
	/* a parent added later covers it: the report names A... B:3 */
	add(s, dom(s, "example", PW_D_TREE), 2, 1);
	is_int(st->duplicates, 8, "8 duplicates merged");
	is_int(st->added[PW_I_DOMAIN], 14, "14 domain adds");

	md_open(&md);
	is_int(finalize(s, md.d, false), 0, "finalize");
	ok(strstr(md_text(&md), "B:3:") != NULL,
	   "first source:line kept (B:3)");
	is_int(pw_diag_count(md.d, PW_R_COVERED), 5,
	       "5 names covered by `example`");
	is_int(st->covered, 5, "stats.covered");
	md_close(&md);
	pw_set_free(s);

	/* the same without the covering parent */
	s = pw_set_new();
	pw_set_source(s, "A");
	pw_set_source(s, "B");
	pw_set_source(s, "C");
	add(s, dom(s, "dup.example", PW_D_EXACT), 1, 3);
	add(s, dom(s, "dup.example", PW_D_EXACT), 0, 7);
	in = dom(s, "inc.example", PW_D_EXACT);
	pw_set_add(s, &in, 0, 1, NULL, 100);
	pw_set_add(s, &in, 1, 2, "IR-1", 300);
	pw_set_add(s, &in, 2, 3, "IR-2", 200);
	in = dom(s, "perm.example", PW_D_EXACT);
	pw_set_add(s, &in, 0, 1, "IR-3", 100);
	pw_set_add(s, &in, 1, 1, NULL, 0);
	pw_set_add(s, &in, 2, 1, NULL, 500);
	add_mon(s, dom(s, "mon.example", PW_D_EXACT), 0);
	add_mon(s, dom(s, "mon.example", PW_D_EXACT), 1);
	add_mon(s, dom(s, "mix.example", PW_D_EXACT), 0);
	add(s, dom(s, "mix.example", PW_D_EXACT), 2, 4);
	is_int(finalize(s, NULL, false), 0, "finalize without diag");
	is_int(pw_set_count(s, PW_I_DOMAIN), 5, "5 distinct names");
	collect(s, D);
	g = find("dup.example");
	ok(g != NULL, "dup.example kept");
	if (g) {
		is_str(g->sources, "A,B", "sources in index order");
		is_int(g->flags, PW_F_SELF, "exact name: SELF only");
		is_str(g->incident, "", "no incident");
		is_int(g->expires, 0, "permanent");
	}
	g = find("inc.example");
	ok(g && strcmp(g->incident, "IR-1") == 0, "first incident kept");
	ok(g && g->expires == 300, "later expiry wins");
	ok(g && strcmp(g->sources, "A,B,C") == 0, "three sources");
	g = find("perm.example");
	ok(g && g->expires == 0, "permanent wins over expiry");
	ok(g && strcmp(g->incident, "IR-3") == 0, "incident of perm kept");
	g = find("mon.example");
	ok(g && (g->flags & PW_F_MONITOR), "monitor + monitor = monitor");
	g = find("mix.example");
	ok(g && !(g->flags & PW_F_MONITOR), "monitor + block = block");
	ok(g && strcmp(g->sources, "A,C") == 0, "mixed sources");
	pw_set_free(s);
}

static void test_modes(void)
{
	struct pw_set *s = pw_set_new();
	const struct got *g;

	pw_set_source(s, "A");
	add(s, dom(s, "m.example", PW_D_EXACT), 0, 1);
	add(s, dom(s, "m.example", PW_D_SUBS), 0, 2);
	add(s, dom(s, "only-subs.example", PW_D_SUBS), 0, 3);
	add(s, dom(s, "only-exact.example", PW_D_EXACT), 0, 4);
	ok(add(s, dom(s, "bad.example", 0), 0, 5) == -EINVAL,
	   "mode 0 refused");
	finalize(s, NULL, false);
	is_str(collect(s, D),
	       "m.example only-exact.example *.only-subs.example",
	       "values and hierarchy order");
	g = find("m.example");
	ok(g && g->flags == (PW_F_SELF | PW_F_SUBDOMAINS),
	   "EXACT + SUBS = TREE");
	g = find("*.only-subs.example");
	ok(g && g->flags == PW_F_SUBDOMAINS, "SUBS: subdomains only");
	g = find("only-exact.example");
	ok(g && g->flags == PW_F_SELF, "EXACT: self only");
	pw_set_free(s);
}

static void test_collapse(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);

	pw_set_source(s, "A");
	/* the tricky ordering: '-' sorts before '.' in plain strcmp */
	add(s, dom(s, "a.example.com", PW_D_EXACT), 0, 1);
	add(s, dom(s, "example-x.com", PW_D_EXACT), 0, 2);
	add(s, dom(s, "example.com", PW_D_TREE), 0, 3);
	add(s, dom(s, "b.a.example.com", PW_D_TREE), 0, 4);
	add(s, dom(s, "zz.example.com", PW_D_SUBS), 0, 5);
	add(s, dom(s, "example.org", PW_D_EXACT), 0, 6);
	add(s, dom(s, "x.example.org", PW_D_EXACT), 0, 7);
	add(s, dom(s, "sub.net", PW_D_SUBS), 0, 8);
	add(s, dom(s, "a.sub.net", PW_D_EXACT), 0, 9);
	add(s, dom(s, "b.a.sub.net", PW_D_TREE), 0, 10);
	add(s, dom(s, "xsub.net", PW_D_EXACT), 0, 11);
	add(s, dom(s, "com.example", PW_D_EXACT), 0, 12);
	/* monitor tier: a monitor parent never hides a block */
	add_mon(s, dom(s, "watch.io", PW_D_TREE), 0);
	add(s, dom(s, "blocked.watch.io", PW_D_EXACT), 0, 13);
	add_mon(s, dom(s, "seen.watch.io", PW_D_EXACT), 0);
	add_mon(s, dom(s, "seen.blocked.io", PW_D_EXACT), 0);
	add(s, dom(s, "blocked.io", PW_D_TREE), 0, 14);
	finalize(s, NULL, false);
	is_str(collect(s, D),
	       "example.com example-x.com com.example blocked.io watch.io "
	       "blocked.watch.io *.sub.net xsub.net example.org "
	       "x.example.org",
	       "collapse keeps only uncovered names, in hierarchy order");
	is_int(st->covered, 7, "7 names covered");
	is_int(pw_set_count(s, PW_I_DOMAIN), 10, "10 domains");
	is_int(st->final[PW_I_DOMAIN], 10, "stats.final domains");
	ok(find("watch.io") && (find("watch.io")->flags & PW_F_MONITOR),
	   "monitor parent kept as monitor");
	ok(find("blocked.watch.io") &&
		   !(find("blocked.watch.io")->flags & PW_F_MONITOR),
	   "block under a monitor parent kept");
	pw_set_free(s);
}

static void test_allow_domains(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	const struct got *g;
	struct memdiag md;

	pw_set_source(s, "feed");
	pw_set_source(s, "ioc");
	/* equal names */
	add(s, dom(s, "good.com", PW_D_EXACT), 0, 1);
	allow(s, dom(s, "good.com", PW_D_EXACT));
	add(s, dom(s, "t.com", PW_D_TREE), 0, 2);
	allow(s, dom(s, "t.com", PW_D_EXACT));
	add(s, dom(s, "u.com", PW_D_TREE), 0, 3);
	allow(s, dom(s, "u.com", PW_D_SUBS));
	add(s, dom(s, "w.com", PW_D_SUBS), 0, 4);
	allow(s, dom(s, "w.com", PW_D_EXACT));
	add(s, dom(s, "v.com", PW_D_TREE), 0, 5);
	add(s, dom(s, "x.v.com", PW_D_EXACT), 0, 6);
	allow(s, dom(s, "v.com", PW_D_TREE));
	/* below allowed names */
	add(s, dom(s, "a.safe.org", PW_D_EXACT), 1, 7);
	add(s, dom(s, "b.c.safe.org", PW_D_TREE), 1, 8);
	allow(s, dom(s, "safe.org", PW_D_SUBS));
	add(s, dom(s, "safe.org", PW_D_EXACT), 1, 9);
	/* exceptions under a blocked parent */
	add(s, dom(s, "pool.net", PW_D_TREE), 0, 10);
	allow(s, dom(s, "ok.pool.net", PW_D_EXACT));
	allow(s, dom(s, "good.pool.net", PW_D_TREE));
	allow(s, dom(s, "deeper.good.pool.net", PW_D_EXACT));
	allow(s, dom(s, "ok.pool.net", PW_D_EXACT));
	add(s, dom(s, "x.good.pool.net", PW_D_EXACT), 1, 11);
	allow(s, dom(s, "unrelated.org", PW_D_TREE));
	allow(s, dom(s, "w.com", PW_D_EXACT));
	ok(pw_set_allow(s, &(struct pw_ind){ .kind = PW_I_PORT }) == -EINVAL,
	   "ports cannot be allowed");

	md_open(&md);
	finalize(s, md.d, false);
	is_str(collect(s, D), "*.t.com u.com *.w.com pool.net safe.org",
	       "allowlist applied");
	is_int(st->allowed, 8, "8 names dropped or trimmed");
	is_int(pw_diag_count(md.d, PW_R_ALLOWED), 8, "8 reported");
	ok(strstr(md_text(&md), "ioc:11:") != NULL,
	   "report names the blocked item's source:line");
	ok(strstr(md_text(&md), "x.good.pool.net") != NULL,
	   "report names the value");
	md_close(&md);
	g = find("*.t.com");
	ok(g && g->flags == PW_F_SUBDOMAINS, "TREE minus EXACT is SUBS");
	g = find("u.com");
	ok(g && g->flags == PW_F_SELF, "TREE minus SUBS is EXACT");
	is_str(collect_allow(s), "good.pool.net ok.pool.net",
	       "exceptions under blocked parents, in hierarchy order");
	g = find("good.pool.net");
	ok(g && g->flags == (PW_F_SELF | PW_F_SUBDOMAINS),
	   "tree exception flags");
	g = find("ok.pool.net");
	ok(g && g->flags == PW_F_SELF, "exact exception flags");
	ok(g && g->sources && strcmp(g->sources, "") == 0,
	   "exceptions carry empty sources");
	pw_set_free(s);
}

static void test_allow_ip(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	struct memdiag md;

	pw_set_source(s, "A");
	add(s, ip("8.8.8.0/24"), 0, 1);
	allow(s, ip("8.8.8.8"));
	add(s, ip("9.9.9.9"), 0, 2);
	allow(s, ip("9.9.0.0/16"));
	add(s, ip("2a00:1450::/32"), 0, 3);
	allow(s, ip("2a00:1450:4001::/48"));
	md_open(&md);
	finalize(s, md.d, false);
	is_str(collect(s, V4),
	       "8.8.8.0/29 8.8.8.9 8.8.8.10/31 8.8.8.12/30 8.8.8.16/28 "
	       "8.8.8.32/27 8.8.8.64/26 8.8.8.128/25",
	       "an allowed /32 splits a /24 into 8 prefixes");
	is_int(n_items, 8, "exactly 8");
	is_int(pw_set_count(s, PW_I_IPV4), 8, "count 8");
	ok(items[1].plen == 32 && items[1].addr[3] == 9,
	   "8.8.8.9 has plen 32 and network-order bytes");
	is_str(collect(s, V6),
	       "2a00:1450::/34 2a00:1450:4000::/48 2a00:1450:4002::/47 "
	       "2a00:1450:4004::/46 2a00:1450:4008::/45 "
	       "2a00:1450:4010::/44 2a00:1450:4020::/43 "
	       "2a00:1450:4040::/42 2a00:1450:4080::/41 "
	       "2a00:1450:4100::/40 2a00:1450:4200::/39 "
	       "2a00:1450:4400::/38 2a00:1450:4800::/37 "
	       "2a00:1450:5000::/36 2a00:1450:6000::/35 "
	       "2a00:1450:8000::/33",
	       "an allowed /48 inside a blocked v6 /32");
	is_int(st->allowed, 3, "3 prefixes trimmed by allow entries");
	is_int(pw_diag_count(md.d, PW_R_ALLOWED), 3, "and reported");
	md_close(&md);
	pw_set_free(s);
}

static void test_v4_aggregate(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	const struct got *g;

	pw_set_source(s, "A");
	pw_set_source(s, "B");
	/* two halves */
	add(s, ip("1.2.3.0/25"), 0, 1);
	add(s, ip("1.2.3.128/25"), 1, 2);
	/* nested */
	add(s, ip("5.5.5.5"), 1, 3);
	add(s, ip("5.0.0.0/8"), 0, 4);
	add(s, ip("5.200.0.0/16"), 0, 5);
	/* overlapping and adjacent */
	add(s, ip("6.0.0.0/16"), 0, 6);
	add(s, ip("6.0.128.0/17"), 0, 7);
	add(s, ip("6.1.0.0/16"), 0, 8);
	/* adjacent but not alignable */
	add(s, ip("7.0.0.1"), 0, 9);
	add(s, ip("7.0.0.2"), 0, 10);
	/* adjacent, aligned */
	add(s, ip("7.0.1.2"), 0, 11);
	add(s, ip("7.0.1.3"), 1, 12);
	/* provenance stays precise */
	add(s, ip("9.0.0.0/24"), 0, 13);
	add(s, ip("9.0.1.0/25"), 1, 14);
	/* host bits cleared; exact duplicate */
	add(s, ip("11.1.1.77/24"), 0, 15);
	add(s, ip("11.1.1.0/24"), 1, 16);
	/* the whole top of the space, minus reserved */
	add(s, ip("223.255.255.0/24"), 0, 17);
	ok(add(s, ip("1.1.1.1/33"), 0, 18) == -EINVAL, "plen 33 refused");
	finalize(s, NULL, false);
	is_str(collect(s, V4),
	       "1.2.3.0/24 5.0.0.0/8 6.0.0.0/15 7.0.0.1 7.0.0.2 7.0.1.2/31 "
	       "9.0.0.0/24 9.0.1.0/25 11.1.1.0/24 223.255.255.0/24",
	       "aggregated, sorted");
	g = find("1.2.3.0/24");
	ok(g && strcmp(g->sources, "A,B") == 0, "merged halves: both sources");
	ok(g && g->plen == 24 && g->addr[0] == 1 && g->addr[2] == 3,
	   "addr and plen");
	g = find("5.0.0.0/8");
	ok(g && strcmp(g->sources, "A,B") == 0, "nested: both sources");
	g = find("9.0.0.0/24");
	ok(g && strcmp(g->sources, "A") == 0, "adjacent /24 keeps its source");
	g = find("9.0.1.0/25");
	ok(g && strcmp(g->sources, "B") == 0, "adjacent /25 keeps its source");
	g = find("11.1.1.0/24");
	ok(g && strcmp(g->sources, "A,B") == 0, "host bits cleared, merged");
	is_int(st->duplicates, 1, "one exact duplicate");
	/* inputs 16 unique, outputs 10 before... 7.0.0.1+7.0.0.2 stay 2 */
	is_int(st->aggregated, 6, "6 prefixes merged away");
	is_int(st->added[PW_I_IPV4], 17, "17 v4 adds");
	pw_set_free(s);
}

static void test_v6_aggregate(void)
{
	struct pw_set *s = pw_set_new();

	pw_set_source(s, "A");
	add(s, ip("2a00::/32"), 0, 1);
	add(s, ip("2a00:1::/32"), 0, 2);
	add(s, ip("2a01::1"), 0, 3);
	add(s, ip("2a01::/64"), 0, 4);
	add(s, ip("2a02::/127"), 0, 5);
	add(s, ip("2a02::2/127"), 0, 6);
	add(s, ip("2a03::1"), 0, 7);
	add(s, ip("2a03::2"), 0, 8);
	add(s, ip("2a04::/64"), 0, 9);
	add(s, ip("2a04:0:0:1::/64"), 0, 10);
	add(s, ip("2a04:0:0:2::/63"), 0, 11);
	allow(s, ip("2a02::1"));
	finalize(s, NULL, false);
	is_str(collect(s, V6),
	       "2a00::/31 2a01::/64 2a02:: 2a02::2/127 2a03::1 2a03::2 "
	       "2a04::/62",
	       "v6 adjacent, nested, split, unaligned");
	ok(n_items == 7 && items[0].plen == 31 && items[0].addr[0] == 0x2a,
	   "v6 item fields");
	ok(n_items == 7 && items[2].plen == 128, "single v6 host plen 128");
	is_int(pw_set_count(s, PW_I_IPV6), 7, "7 v6 prefixes");
	pw_set_free(s);
}

static void test_reserved_trim(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	struct memdiag md;

	pw_set_source(s, "A");
	add(s, ip("100.0.0.0/8"), 0, 1);
	add(s, ip("10.1.0.0/16"), 0, 2);
	add(s, ip("172.0.0.0/8"), 0, 3);
	add(s, ip("2001::/16"), 0, 4);
	add(s, ip("fe80::1"), 0, 5);
	add(s, ip("192.0.2.1"), 0, 6);
	md_open(&md);
	finalize(s, md.d, false);
	is_str(collect(s, V4),
	       "100.0.0.0/10 100.128.0.0/9 172.0.0.0/12 172.32.0.0/11 "
	       "172.64.0.0/10 172.128.0.0/9",
	       "100/8 minus cgnat, 172/8 minus rfc1918, reserved gone");
	collect(s, V6);
	is_int(n_items, 16, "2001::/16 minus 2001:db8::/32: 16 prefixes");
	is_str(items[0].value, "2001::/21", "first piece");
	ok(find("2001:db8::/32") == NULL && find("2001:db9::/32") != NULL,
	   "the documentation /32 is cut out exactly");
	is_int(st->reserved, 6, "6 prefixes trimmed or dropped");
	is_int(pw_diag_count(md.d, PW_DN_RESERVED_TRIM), 6, "6 reported");
	ok(strstr(md_text(&md), "A:1:") != NULL, "report has source:line");
	md_close(&md);
	pw_set_free(s);

	/* documentation ranges on opt-in */
	s = pw_set_new();
	st = pw_set_stats(s);
	add(s, ip("192.0.2.1"), 0, 1);
	add(s, ip("198.51.100.0/24"), 0, 2);
	add(s, ip("2001:db8::/48"), 0, 3);
	add(s, ip("10.0.0.1"), 0, 4);
	finalize(s, NULL, true);
	is_str(collect(s, V4 | V6), "192.0.2.1 198.51.100.0/24 2001:db8::/48",
	       "documentation kept with allow_doc, rfc1918 still not");
	is_int(st->reserved, 1, "only 10.0.0.1 counted");
	pw_set_free(s);
}

static void test_ports(void)
{
	struct pw_set *s = pw_set_new();
	const struct got *g;

	pw_set_source(s, "A");
	pw_set_source(s, "B");
	add(s, port(PW_PROTO_TCP, 3333, 0), 0, 1);
	add(s, port(PW_PROTO_TCP, 3334, 3334), 1, 2);
	add(s, port(PW_PROTO_TCP, 14433, 14444), 0, 3);
	add(s, port(PW_PROTO_TCP, 14440, 14450), 0, 4);
	add(s, port(PW_PROTO_BOTH, 5555, 5555), 0, 5);
	add(s, port(PW_PROTO_UDP, 3333, 3333), 0, 6);
	add(s, port(PW_PROTO_TCP, 7777, 7777), 0, 7);
	add(s, port(PW_PROTO_TCP, 7777, 7777), 1, 8);
	add(s, port(PW_PROTO_TCP, 9000, 9010), 0, 9);
	add(s, port(PW_PROTO_TCP, 9011, 9020), 0, 10);
	add(s, port(PW_PROTO_TCP, 9005, 9006), 0, 11);
	ok(add(s, port(PW_PROTO_TCP, 10, 5), 0, 12) == -EINVAL,
	   "reversed range refused");
	ok(add(s, port(0, 10, 10), 0, 13) == -EINVAL, "proto 0 refused");
	finalize(s, NULL, false);
	is_str(collect(s, P),
	       "tcp/3333-3334 tcp/5555 tcp/7777 tcp/9000-9020 tcp/14433-14450 "
	       "udp/3333 udp/5555",
	       "ports merged per protocol");
	g = find("tcp/3333-3334");
	ok(g && g->proto == PW_PROTO_TCP && g->port_lo == 3333 &&
		   g->port_hi == 3334,
	   "port fields");
	ok(g && strcmp(g->sources, "A,B") == 0, "merged port sources");
	g = find("udp/5555");
	ok(g && g->proto == PW_PROTO_UDP && g->port_lo == 5555 &&
		   g->port_hi == 5555,
	   "both -> udp too");
	g = find("tcp/7777");
	ok(g && strcmp(g->sources, "A,B") == 0, "duplicate port merged");
	is_int(pw_set_count(s, PW_I_PORT), 7, "7 port items");
	pw_set_free(s);
}

static void test_monitor(void)
{
	struct pw_set *s = pw_set_new();
	const struct got *g;

	pw_set_source(s, "A");
	add(s, ip("11.0.0.0/24"), 0, 1);
	add_mon(s, ip("11.0.0.0/23"), 0);
	add(s, ip("12.0.0.0/16"), 0, 2);
	add_mon(s, ip("12.0.5.0/24"), 0);
	add_mon(s, ip("13.0.0.0/24"), 0);
	add(s, ip("13.0.0.0/24"), 0, 3);
	add_mon(s, ip("14.0.0.0/25"), 0);
	add_mon(s, ip("14.0.0.128/25"), 0);
	add(s, ip("14.0.0.64/26"), 0, 4);
	add_mon(s, port(PW_PROTO_TCP, 3333, 3340), 0);
	add(s, port(PW_PROTO_TCP, 3335, 3335), 0, 5);
	finalize(s, NULL, false);
	is_str(collect(s, V4),
	       "11.0.0.0/24 11.0.1.0/24 12.0.0.0/16 13.0.0.0/24 14.0.0.0/26 "
	       "14.0.0.64/26 14.0.0.128/25",
	       "monitor tier minus block ranges, merged by address");
	g = find("11.0.0.0/24");
	ok(g && !(g->flags & PW_F_MONITOR), "block part");
	g = find("11.0.1.0/24");
	ok(g && (g->flags & PW_F_MONITOR), "monitor remainder");
	g = find("13.0.0.0/24");
	ok(g && !(g->flags & PW_F_MONITOR), "equal block + monitor = block");
	g = find("14.0.0.0/26");
	ok(g && (g->flags & PW_F_MONITOR), "monitor left of a block hole");
	g = find("14.0.0.64/26");
	ok(g && !(g->flags & PW_F_MONITOR), "block inside monitor");
	is_str(collect(s, P), "tcp/3333-3334 tcp/3335 tcp/3336-3340",
	       "monitor ports minus block ports");
	ok(n_items == 3 && (items[0].flags & PW_F_MONITOR) &&
		   !(items[1].flags & PW_F_MONITOR) &&
		   (items[2].flags & PW_F_MONITOR),
	   "port tiers flagged");
	pw_set_free(s);
}

#define SHA256_TEST \
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define XMR_TEST                                                       \
	"4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtRe" \
	"oS44qo9mtmXCqY45DJ852K5Jv2684Rge"
#define BTC_TEST "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"

static int stop_cb(void *ctx, const struct pw_item *it)
{
	int *n = ctx;

	(void)it;
	return ++*n == 2 ? 42 : 0;
}

static void test_iter(void)
{
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	const struct got *g;
	struct pw_ind in;
	int n = 0;

	pw_set_source(s, "A");
	ok(pw_set_iter(s, PW_IMASK_ALL, collect_cb, NULL) == -EINVAL,
	   "iter before finalize fails");
	is_int(pw_set_count(s, PW_I_DOMAIN), 0, "count before finalize is 0");
	in = str_ind(s, PW_I_HASH, PW_HASH_SHA256,
		     SHA256_TEST);
	pw_set_add(s, &in, 0, 1, "IR-9", 1700000000);
	in = str_ind(s, PW_I_HASH, PW_HASH_MD5,
		     "098f6bcd4621d373cade4e832627b4f6");
	add(s, in, 0, 2);
	add(s, in, 0, 3);
	in = str_ind(s, PW_I_WALLET, PW_COIN_XMR, XMR_TEST);
	add(s, in, 0, 4);
	in = str_ind(s, PW_I_WALLET, PW_COIN_BTC, BTC_TEST);
	add(s, in, 0, 5);
	in = str_ind(s, PW_I_URL, 0, "stratum+tcp://pool.example.com:3333");
	in.host = "pool.example.com";
	in.port_lo = 3333;
	add(s, in, 0, 6);
	in = str_ind(s, PW_I_URL, 0, "http://a.example.com/x");
	in.host = "a.example.com";
	add(s, in, 0, 7);
	add(s, port(PW_PROTO_TCP, 3333, 3333), 0, 8);
	add(s, ip("2a00::/32"), 0, 9);
	add(s, ip("8.8.8.8"), 0, 10);
	add(s, dom(s, "pool.example.com", PW_D_TREE), 0, 11);
	in = ip("9.9.9.9");
	in.monitor = 1;
	pw_set_add(s, &in, 0, 12, NULL, 1800000000);
	in = (struct pw_ind){ .kind = 9 };
	ok(pw_set_add(s, &in, 0, 1, NULL, 0) == -EINVAL, "bad kind refused");
	is_int(finalize(s, NULL, false), 0, "finalize");
	ok(finalize(s, NULL, false) == -EINVAL, "finalize twice fails");
	ok(add(s, ip("1.1.1.1"), 0, 1) == -EINVAL, "add after finalize fails");

	collect(s, PW_IMASK_ALL);
	is_int(n_items, 11, "11 items");
	ok(n_items == 11 && items[0].kind == PW_I_DOMAIN &&
		   items[1].kind == PW_I_IPV4 && items[2].kind == PW_I_IPV4 &&
		   items[3].kind == PW_I_IPV6 && items[4].kind == PW_I_PORT &&
		   items[5].kind == PW_I_URL && items[6].kind == PW_I_URL &&
		   items[7].kind == PW_I_WALLET &&
		   items[8].kind == PW_I_WALLET && items[9].kind == PW_I_HASH &&
		   items[10].kind == PW_I_HASH,
	   "kinds in PW_IMASK order");
	g = find("stratum+tcp://pool.example.com:3333");
	ok(g && strcmp(g->sub, "pool.example.com") == 0 && g->port_lo == 3333,
	   "url sub is the host, port set");
	ok(n_items == 11 &&
		   strcmp(items[5].value, "http://a.example.com/x") == 0,
	   "urls sorted by string");
	g = find(BTC_TEST);
	ok(g && strcmp(g->sub, "btc") == 0, "wallet coin btc");
	ok(n_items == 11 && strcmp(items[8].sub, "xmr") == 0,
	   "wallet coin xmr, sorted after 1...");
	g = find("098f6bcd4621d373cade4e832627b4f6");
	ok(g && strcmp(g->sub, "md5") == 0, "hash md5");
	g = find(SHA256_TEST);
	ok(g && strcmp(g->sub, "sha256") == 0 && g->expires == 1700000000 &&
		   strcmp(g->incident, "IR-9") == 0,
	   "hash sha256 with incident and expiry");
	g = find("9.9.9.9");
	ok(g && (g->flags & PW_F_MONITOR) && g->expires == 1800000000,
	   "monitor v4 keeps expiry");
	ok(g && g->addr[0] == 9 && g->addr[3] == 9 && g->plen == 32,
	   "v4 addr bytes");
	is_int(st->duplicates, 1, "duplicate hash merged");
	is_int(pw_set_count(s, PW_I_HASH), 2, "2 hashes");
	is_int(pw_set_count(s, PW_I_WALLET), 2, "2 wallets");
	is_int(pw_set_count(s, PW_I_URL), 2, "2 urls");
	is_int(pw_set_count(s, PW_I_IPV4), 2, "2 v4");
	is_int(pw_set_count(s, 0), 0, "count of kind 0");
	is_str(collect(s, V4 | PW_IMASK(PW_I_WALLET)),
	       "8.8.8.8 9.9.9.9 " BTC_TEST " " XMR_TEST,
	       "only the kinds asked for");
	is_int(pw_set_iter(s, PW_IMASK_ALL, stop_cb, &n), 42,
	       "callback's non-zero return stops the walk");
	is_int(n, 2, "stopped after the second item");
	is_str(collect(s, 0), "", "no kinds, no items");
	pw_set_free(s);
}

/* ---- randomized property test -------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Two windows straddling reserved ranges: 100.63.192.0/18 + 100.64.0.0/18
 * (cgnat starts in the middle) and 192.0.0.0/22 (ietf, free, doc, free). */
#define W1 0x643fc000u
#define W1_BITS 15
#define W2 0xc0000000u
#define W2_BITS 10

static uint8_t cov_blk[1u << W1_BITS], cov_mon[1u << W1_BITS];
static uint8_t cov_allow[1u << W1_BITS];
static uint8_t out_cov[1u << W1_BITS];

static void mark(uint8_t *map, uint32_t base, uint32_t lo, uint32_t hi)
{
	uint64_t a;

	for (a = lo; a <= hi; a++)
		map[a - base] = 1;
}

static void property(uint32_t base, unsigned bits, int n_in, bool doc,
		     bool skew)
{
	struct pw_set *s = pw_set_new();
	uint32_t size = 1u << bits, a, lo, hi;
	struct pw_ind in;
	bool over = false, cover_ok = true, minimal = true, tier_ok = true;
	uint64_t prev_hi = 0;
	size_t i;
	int k;

	memset(cov_blk, 0, size);
	memset(cov_mon, 0, size);
	memset(cov_allow, 0, size);
	memset(out_cov, 0, size);
	pw_set_source(s, "r");
	for (k = 0; k < n_in; k++) {
		unsigned plen = 32 - rnd() % (bits - 1);

		/* skewed: mostly long prefixes, a sparse result */
		if (skew && plen < 28 && rnd() % 8)
			plen = 28 + rnd() % 5;

		memset(&in, 0, sizeof(in));
		in.kind = PW_I_IPV4;
		in.plen = (uint8_t)plen;
		in.a.v4 = base + rnd() % size;
		lo = in.a.v4 & ~(uint32_t)(0xffffffffull >> plen);
		hi = lo | (uint32_t)(0xffffffffull >> plen);
		if (k % 17 == 0) {
			in.plen = (uint8_t)(32 - rnd() % 4);
			lo = in.a.v4 & ~(uint32_t)(0xffffffffull >> in.plen);
			hi = lo | (uint32_t)(0xffffffffull >> in.plen);
			pw_set_allow(s, &in);
			mark(cov_allow, base, lo, hi);
			continue;
		}
		in.monitor = k % 5 == 0;
		pw_set_add(s, &in, 0, (unsigned)k + 1, NULL, 0);
		mark(in.monitor ? cov_mon : cov_blk, base, lo, hi);
	}
	finalize(s, NULL, doc);
	collect(s, V4);
	for (i = 0; i < n_items; i++) {
		uint32_t o = (uint32_t)items[i].addr[0] << 24 |
			     (uint32_t)items[i].addr[1] << 16 |
			     (uint32_t)items[i].addr[2] << 8 | items[i].addr[3];
		uint32_t oh = o | (uint32_t)(0xffffffffull >> items[i].plen);
		bool mon = items[i].flags & PW_F_MONITOR;

		if (i && o <= prev_hi)
			over = true;
		if (o < base || oh >= base + size) {
			cover_ok = false;
			continue;
		}
		for (a = o; a <= oh && a >= o; a++) {
			out_cov[a - base] = 1;
			/* a block output covers only block-covered space */
			if (!mon && !cov_blk[a - base])
				tier_ok = false;
			if (mon && cov_blk[a - base])
				tier_ok = false;
		}
		/* minimal: no sibling pair of the same tier */
		if (i && items[i - 1].plen == items[i].plen &&
		    !((items[i - 1].flags ^ items[i].flags) & PW_F_MONITOR) &&
		    prev_hi + 1 == o && items[i].plen > 0 &&
		    ((o >> (32 - items[i].plen)) & 1) == 1)
			minimal = false;
		prev_hi = oh;
	}
	for (a = 0; a < size; a++) {
		bool want = (cov_blk[a] || cov_mon[a]) && !cov_allow[a] &&
			    !pw_reserved_v4(base + a, base + a, doc, NULL);

		if (want != (out_cov[a] != 0)) {
			cover_ok = false;
			break;
		}
	}
	ok(n_items > 0, "property %08x/%u: %zu outputs", (unsigned)base,
	   32 - bits, n_items);
	ok(cover_ok, "property %08x: covered iff input and not allowed or "
	   "reserved", (unsigned)base);
	ok(!over, "property %08x: outputs sorted, never overlap",
	   (unsigned)base);
	ok(tier_ok, "property %08x: block/monitor tiers exact",
	   (unsigned)base);
	ok(minimal, "property %08x: no mergeable sibling pair",
	   (unsigned)base);
	pw_set_free(s);
}


/* Domains: the walk against a brute-force model over a tiny label space
 * (so that parents, children and equal names are frequent). */
#define RD_MAX 4000

struct rd {
	char name[64];
	unsigned mode, amode;	/* blocked (OR-ed), allowed (OR-ed) */
	bool blocked, allowed, monitor;
};

static struct rd rd[RD_MAX];
static size_t n_rd;

static struct rd *rd_get(const char *name)
{
	size_t i;

	for (i = 0; i < n_rd; i++) {
		if (strcmp(rd[i].name, name) == 0)
			return &rd[i];
	}
	if (n_rd == RD_MAX)
		return NULL;
	memset(&rd[n_rd], 0, sizeof(rd[0]));
	snprintf(rd[n_rd].name, sizeof(rd[0].name), "%s", name);
	rd[n_rd].monitor = true;
	return &rd[n_rd++];
}

static struct rd *rd_find(const char *name)
{
	size_t i;

	for (i = 0; i < n_rd; i++) {
		if (strcmp(rd[i].name, name) == 0)
			return &rd[i];
	}
	return NULL;
}

static void rd_key(const char *name, char *out)
{
	const char *e = name + strlen(name), *b;
	size_t o = 0;

	while (e > name) {
		b = e;
		while (b > name && b[-1] != '.')
			b--;
		memcpy(out + o, b, (size_t)(e - b));
		o += (size_t)(e - b);
		if (b > name) {
			out[o++] = '\3';
			e = b - 1;
		} else {
			e = name;
		}
	}
	out[o] = '\0';
}

static int rd_cmp(const void *a, const void *b)
{
	char ka[64], kb[64];

	rd_key(*(const char *const *)a, ka);
	rd_key(*(const char *const *)b, kb);
	return strcmp(ka, kb);
}

/* blocked mode of r after the allow entry of the same name */
static unsigned rd_eff(const struct rd *r)
{
	return r->blocked ? r->mode & ~r->amode : 0;
}

enum { RD_KEPT, RD_ALLOWED, RD_COVERED, RD_GONE };

static int rd_fate(const struct rd *r)
{
	const char *p;
	bool covered = false;

	if (!rd_eff(r))
		return RD_GONE;
	for (p = strchr(r->name, '.'); p; p = strchr(p + 1, '.')) {
		const struct rd *a = rd_find(p + 1);

		if (!a)
			continue;
		if (a->allowed && (a->amode & PW_D_SUBS))
			return RD_ALLOWED;
		if ((rd_eff(a) & PW_D_SUBS) && (!a->monitor || r->monitor))
			covered = true;
	}
	return covered ? RD_COVERED : RD_KEPT;
}

static void domain_property(unsigned n_add, unsigned n_allow)
{
	static const char *const lab[] = { "a", "b", "c", "a-b", "bb",
					   "ab", "b-a", "ba" };
	struct pw_set *s = pw_set_new();
	const struct pw_set_stats *st = pw_set_stats(s);
	static char want[65536], want_exc[65536];
	static const char *names[RD_MAX];
	unsigned long n_cov = 0, n_alw = 0;
	char name[64];
	size_t i, n, o, oe;
	unsigned k;

	n_rd = 0;
	for (k = 0; k < n_add + n_allow; k++) {
		unsigned labels = 1 + rnd() % 5, l, mode = rnd() % 10;
		struct rd *r;
		struct pw_ind in;

		o = 0;
		for (l = 0; l < labels; l++) {
			const char *x = lab[rnd() % 8];

			memcpy(name + o, x, strlen(x));
			o += strlen(x);
			name[o++] = '.';
		}
		memcpy(name + o, rnd() % 2 ? "x" : "y", 2);
		/* mostly exact, some trees, few subs-only */
		mode = mode < 7 ? PW_D_EXACT : mode < 9 ? PW_D_TREE : PW_D_SUBS;
		if (labels < 3 && k < n_add && rnd() % 4)
			mode = PW_D_EXACT;
		r = rd_get(name);
		if (!r)
			break;
		in = dom(s, name, mode);
		if (k < n_add) {
			in.monitor = rnd() % 4 == 0;
			pw_set_add(s, &in, rnd() % 3, k + 1, NULL, 0);
			r->blocked = true;
			r->mode |= mode;
			r->monitor = r->monitor && in.monitor;
		} else {
			pw_set_allow(s, &in);
			r->allowed = true;
			r->amode |= mode;
		}
	}
	for (i = 0; i < n_rd; i++) {
		if (!rd[i].blocked)
			rd[i].monitor = false;
		names[i] = rd[i].name;
	}
	n = n_rd;
	qsort(names, n, sizeof(names[0]), rd_cmp);
	o = oe = 0;
	want[0] = want_exc[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct rd *r = rd_find(names[i]);
		int fate = rd_fate(r);
		const char *p;

		/* a name is counted once, trimmed or dropped */
		n_alw += (r->blocked && r->mode != rd_eff(r)) ||
			 fate == RD_ALLOWED;
		n_cov += fate == RD_COVERED;
		if (fate == RD_KEPT)
			o += (size_t)snprintf(
				want + o, sizeof(want) - o, "%s%s%s%s",
				o ? " " : "",
				rd_eff(r) == PW_D_SUBS ? "*." : "", r->name,
				r->monitor ? "!" : "");
		if (!r->allowed)
			continue;
		/* an exception: the nearest covering ancestor is a block */
		for (p = strchr(r->name, '.'); p; p = strchr(p + 1, '.')) {
			const struct rd *a = rd_find(p + 1);

			if (!a)
				continue;
			if (a->allowed && (a->amode & PW_D_SUBS))
				break;
			if ((rd_eff(a) & PW_D_SUBS) && rd_fate(a) == RD_KEPT) {
				oe += (size_t)snprintf(
					want_exc + oe, sizeof(want_exc) - oe,
					"%s%s%s", oe ? " " : "",
					r->amode == PW_D_SUBS ? "*." : "",
					r->name);
				break;
			}
		}
	}
	finalize(s, NULL, false);
	collect(s, D);
	o = 0;
	joined[0] = '\0';
	for (i = 0; i < n_items; i++)
		o += (size_t)snprintf(joined + o, sizeof(joined) - o,
				      "%s%s%s", o ? " " : "", items[i].value,
				      items[i].flags & PW_F_MONITOR ? "!" : "");
	ok(strcmp(joined, want) == 0,
	   "domain property (%u adds, %u allows): %zu kept, as modelled",
	   n_add, n_allow, n_items);
	if (strcmp(joined, want) != 0)
		printf("#  got: %s\n# want: %s\n", joined, want);
	is_int(st->covered, n_cov, "domain property: covered count");
	is_int(st->allowed, n_alw, "domain property: allowed count");
	is_str(collect_allow(s), want_exc, "domain property: exceptions");
	pw_set_free(s);
}

int main(void)
{
	test_sources();
	test_dedup();
	test_modes();
	test_collapse();
	test_allow_domains();
	test_allow_ip();
	test_v4_aggregate();
	test_v6_aggregate();
	test_reserved_trim();
	test_ports();
	test_monitor();
	test_iter();
	property(W1, W1_BITS, 3000, false, false);
	property(W1, W1_BITS, 4000, false, true);
	property(W2, W2_BITS, 1500, false, false);
	property(W2, W2_BITS, 1500, true, true);
	property(W1, W1_BITS, 300, false, false);
	domain_property(1500, 150);
	domain_property(300, 300);
	domain_property(60, 10);
	return tap_done();
}
