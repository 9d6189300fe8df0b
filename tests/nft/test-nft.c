/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `nft` without a kernel: the options, the element walk, the text,
 * and the netlink batch parsed back with libnftnl and compared with golden
 * files (tests/nft/NNN-slug.nlmsg; PW_REGEN=1 rewrites them).  The host
 * (tests/nft/nft-host.c) stands in for the core.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft-host.h"
#include "nft.h"
#include "tap.h"

#define T_NOW 1764547200	/* 2025-12-01T00:00:00Z */
#define T_HOST { .now = T_NOW, .log = stdout, .log_prefix = "# log: " }

/* ---- options ---- */

static const struct nft_conf conf_default = {
	.mode = "netlink", .table = "poolwall", .hooks = "output,forward",
	.priority = "-10", .action = "drop", .log_prefix = "poolwall: ",
	.offender_timeout = 72 * 3600, .exempt = "", .counters = 1,
};

static int cfg_try(const struct nft_conf *c, char *err, size_t len)
{
	struct nft_cfg cfg;
	int ret = nft_cfg_parse(&cfg, c, err, len);

	if (!ret)
		nft_cfg_free(&cfg);
	return ret;
}

static void test_options(void)
{
	struct nft_conf c;
	struct nft_cfg cfg;
	char err[256], buf[128];
	static const struct {
		const char *field, *value, *msg;
	} bad[] = {
		{ "mode", "nft", "mode" },
		{ "table", "1abc", "table" },
		{ "table", "a b", "table" },
		{ "table", "abcdefghijabcdefghijabcdefghijabc", "table" },
		{ "table", "x;flush ruleset", "table" },
		{ "hooks", "output,ingress", "unknown hook" },
		{ "hooks", "output,output", "twice" },
		{ "hooks", " , ", "at least one" },
		{ "priority", "filter", "priority" },
		{ "priority", "-", "priority" },
		{ "priority", "99999999", "priority" },
		{ "action", "accept", "action" },
		{ "log_prefix", "a\"b", "log_prefix" },
		{ "log_prefix", "a\\b", "log_prefix" },
		{ "log_prefix", "a\tb", "log_prefix" },
		{ "exempt", "192.0.2.7/24", "host bits" },
		{ "exempt", "192.0.2.0/33", "not an IPv4" },
		{ "exempt", "192.0.2", "not an IPv4" },
		{ "exempt", "10.0.0.0/8;drop", "not an IPv4" },
		{ "exempt", "2001:db8::1/129", "not an IPv4" },
		{ "exempt", "10.0.0.0/+8", "not an IPv4" },
		{ "exempt", "fe80::/10x", "not an IPv4" },
	};
	size_t i;

	ok(!cfg_try(&conf_default, err, sizeof(err)), "default options");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = conf_default;
		if (!strcmp(bad[i].field, "mode"))
			c.mode = bad[i].value;
		else if (!strcmp(bad[i].field, "table"))
			c.table = bad[i].value;
		else if (!strcmp(bad[i].field, "hooks"))
			c.hooks = bad[i].value;
		else if (!strcmp(bad[i].field, "priority"))
			c.priority = bad[i].value;
		else if (!strcmp(bad[i].field, "action"))
			c.action = bad[i].value;
		else if (!strcmp(bad[i].field, "log_prefix"))
			c.log_prefix = bad[i].value;
		else
			c.exempt = bad[i].value;
		err[0] = '\0';
		ok(cfg_try(&c, err, sizeof(err)) == -EINVAL &&
			   strstr(err, bad[i].msg),
		   "%s '%s' refused: %s", bad[i].field, bad[i].value, err);
	}
	c = conf_default;
	c.log_prefix = "0123456789012345678901234567890123456789012345678901"
		       "2345678901234567890123456789012345678901234567890123"
		       "45678901234567890";
	ok(cfg_try(&c, err, sizeof(err)) == -EINVAL, "a long log_prefix: %s",
	   err);
	c = conf_default;
	c.action = "reject";
	c.hooks = "output,postrouting";
	ok(cfg_try(&c, err, sizeof(err)) == -EINVAL && strstr(err, "reject"),
	   "reject in postrouting refused: %s", err);
	c = conf_default;
	c.offender_timeout = 3651LL * 86400;
	ok(cfg_try(&c, err, sizeof(err)) == -EINVAL, "offender_timeout cap");

	c = conf_default;
	c.exempt = "10.1.0.0/16, 10.0.0.0/8,192.0.2.0/25 192.0.2.128/25,"
		   "2001:db8::/33,2001:db8:8000::/33, 198.51.100.255";
	c.hooks = "forward input";
	c.priority = "+5";
	ok(!nft_cfg_parse(&cfg, &c, err, sizeof(err)), "exempt list parses");
	is_int(cfg.n_exempt4, 3, "exempt v4 merged to 3 ranges");
	is_int(cfg.n_exempt6, 1, "exempt v6 merged to 1 range");
	nft_elem_fmt(&cfg.exempt4[0], NFT_KEY_V4, buf, sizeof(buf));
	is_str(buf, "10.0.0.0/8", "covering network kept");
	nft_elem_fmt(&cfg.exempt4[1], NFT_KEY_V4, buf, sizeof(buf));
	is_str(buf, "192.0.2.0/24", "adjacent halves merged");
	nft_elem_fmt(&cfg.exempt6[0], NFT_KEY_V6, buf, sizeof(buf));
	is_str(buf, "2001:db8::/32", "v6 halves merged");
	is_int(cfg.hooks, (1u << NF_INET_FORWARD) | (1u << NF_INET_LOCAL_IN),
	       "hooks separated by a space");
	is_int(cfg.prio, 5, "priority +5");
	nft_cfg_free(&cfg);
}

static void test_format(void)
{
	struct nft_elem e;
	char buf[128];

	memset(&e, 0, sizeof(e));
	inet_pton(AF_INET, "192.0.2.7", e.lo);
	inet_pton(AF_INET, "192.0.2.9", e.hi);
	nft_elem_fmt(&e, NFT_KEY_V4, buf, sizeof(buf));
	is_str(buf, "192.0.2.7-192.0.2.9", "a range that is no prefix");
	inet_pton(AF_INET, "192.0.2.7", e.hi);
	nft_elem_fmt(&e, NFT_KEY_V4, buf, sizeof(buf));
	is_str(buf, "192.0.2.7", "a single address");
	inet_pton(AF_INET, "0.0.0.0", e.lo);
	inet_pton(AF_INET, "255.255.255.255", e.hi);
	nft_elem_fmt(&e, NFT_KEY_V4, buf, sizeof(buf));
	is_str(buf, "0.0.0.0/0", "everything");
	inet_pton(AF_INET6, "2001:db8::", e.lo);
	inet_pton(AF_INET6, "2001:db8::ffff", e.hi);
	nft_elem_fmt(&e, NFT_KEY_V6, buf, sizeof(buf));
	is_str(buf, "2001:db8::/112", "v6 prefix");
	memset(&e, 0, sizeof(e));
	e.lo[1] = 80;
	e.hi[0] = 0x1f;
	e.hi[1] = 0x90;
	nft_elem_fmt(&e, NFT_KEY_PORT, buf, sizeof(buf));
	is_str(buf, "80-8080", "port range");
	ok(nft_elem_fmt(&e, NFT_KEY_PORT, buf, 4) == -ENOSPC,
	   "truncation is an error");
	nft_dur_fmt(72 * 3600, buf, sizeof(buf));
	is_str(buf, "3d", "72h is 3d");
	nft_dur_fmt(90061, buf, sizeof(buf));
	is_str(buf, "1d1h1m1s", "all units");
	nft_dur_fmt(0, buf, sizeof(buf));
	is_str(buf, "0s", "zero");
}

/* ---- walking the elements ---- */

struct collect {
	char text[4096];
	size_t n;
	enum nft_key key;
};

static int collect_cb(void *ctx, const struct nft_elem *e)
{
	struct collect *c = ctx;
	char buf[128];
	size_t l = strlen(c->text);

	nft_elem_fmt(e, c->key, buf, sizeof(buf));
	snprintf(c->text + l, sizeof(c->text) - l, "%s%s", c->n ? " " : "",
		 buf);
	if (e->timeout_ms) {
		l = strlen(c->text);
		snprintf(c->text + l, sizeof(c->text) - l, "@%llu",
			 (unsigned long long)e->timeout_ms / 1000);
	}
	c->n++;
	return 0;
}

static const char *walk(const struct nft_run *r, enum nft_sid id,
			struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->key = nft_sets[id].key;
	nft_elems_foreach(r, id, collect_cb, c);
	return c->text;
}

/* The set most cases use: a little of everything. */
static void fill_sample(struct pw_set *s)
{
	set_ip(s, "192.0.2.0", 24, 0, 0);
	set_ip(s, "198.51.100.7", 32, 0, 0);
	set_ip(s, "203.0.113.7", 32, PW_F_EMERGENCY, T_NOW + 3600);
	set_ip(s, "203.0.113.8", 31, 0, T_NOW + 7200);
	set_ip(s, "203.0.113.9", 32, PW_F_MONITOR, 0);
	set_ip(s, "203.0.113.66", 32, PW_F_EMERGENCY, T_NOW - 1);
	set_ip(s, "255.255.255.0", 24, 0, 0);
	set_ip(s, "2001:db8::", 32, 0, 0);
	set_ip(s, "2001:db8:ffff::1", 128, PW_F_EMERGENCY, T_NOW + 60);
	set_port(s, PW_PROTO_TCP, 3333, 3333, 0, 0);
	set_port(s, PW_PROTO_BOTH, 4444, 4444, 0, 0);
	set_port(s, PW_PROTO_TCP, 5000, 5010, 0, 0);
	set_port(s, PW_PROTO_TCP, 5005, 5020, 0, 0);
	set_port(s, PW_PROTO_UDP, 65535, 65535, 0, 0);
	set_port(s, PW_PROTO_TCP, 14444, 14444, PW_F_EMERGENCY, T_NOW + 10);
	set_add(s, PW_I_DOMAIN, PW_F_SELF, 0);
	set_add(s, PW_I_WALLET, 0, 0);
}

static void test_walk(void)
{
	struct pw_host h = T_HOST;
	struct pw_set s = { 0 };
	struct nft_cfg cfg;
	struct nft_conf c = conf_default;
	struct nft_run r = { .h = &h, .cfg = &cfg, .set = &s, .now = T_NOW };
	struct collect col;
	char err[256];

	c.exempt = "10.0.0.0/8";
	nft_cfg_parse(&cfg, &c, err, sizeof(err));
	fill_sample(&s);
	set_ip(&s, "2001:db8:1::", 48, 0, 0);	/* inside 2001:db8::/32 */
	is_str(walk(&r, NFT_S_FEED_V4, &col),
	       "192.0.2.0/24 198.51.100.7 255.255.255.0/24", "feed_v4");
	is_str(walk(&r, NFT_S_EMERG_V4, &col),
	       "203.0.113.7@3600 203.0.113.8/31@7200",
	       "emerg_v4: timeouts, expired left out");
	is_str(walk(&r, NFT_S_MON_V4, &col), "203.0.113.9", "mon_v4");
	is_str(walk(&r, NFT_S_FEED_V6, &col), "2001:db8::/32",
	       "feed_v6: a covered prefix from the set is dropped");
	is_str(walk(&r, NFT_S_EMERG_V6, &col), "2001:db8:ffff::1@60",
	       "emerg_v6");
	is_str(walk(&r, NFT_S_PORTS, &col), "3333 4444 5000-5020",
	       "ports: tcp and both, overlapping ranges merged");
	is_str(walk(&r, NFT_S_PORTS_UDP, &col), "4444 65535", "ports_udp");
	is_str(walk(&r, NFT_S_EMERG_PORTS, &col), "14444@10", "emerg_ports");
	is_str(walk(&r, NFT_S_EXEMPT_V4, &col), "10.0.0.0/8", "exempt_v4");
	is_str(walk(&r, NFT_S_OFF_V4, &col), "", "offenders: from the kernel");
	ok(!nft_run_count(&r), "count");
	is_int(r.st.expired, 1, "one expired");
	is_int(r.st.n[NFT_S_FEED_V4], 3, "three in feed_v4");
	is_int(r.st.other[PW_I_DOMAIN], 1, "one domain not for nft");
	is_int(r.st.other[PW_I_WALLET], 1, "one wallet not for nft");
	nft_cfg_free(&cfg);
	free(s.v);
}

/* ---- the batch, read back with libnftnl ---- */

static void out_add(struct pw_sink *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_add(struct pw_sink *o, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pw_sink_write(o, buf, strlen(buf));
}

static const char *msg_name(uint16_t t)
{
	switch (t) {
	case NFT_MSG_NEWTABLE: return "NEWTABLE";
	case NFT_MSG_DELTABLE: return "DELTABLE";
	case NFT_MSG_NEWCHAIN: return "NEWCHAIN";
	case NFT_MSG_NEWRULE: return "NEWRULE";
	case NFT_MSG_DELRULE: return "DELRULE";
	case NFT_MSG_NEWSET: return "NEWSET";
	case NFT_MSG_NEWSETELEM: return "NEWSETELEM";
	case NFT_MSG_DELSETELEM: return "DELSETELEM";
	case NFT_MSG_NEWOBJ: return "NEWOBJ";
	default: return "?";
	}
}

struct elem_print {
	struct pw_sink *o;
	enum nft_key key;
	unsigned long n, ends, bad;
};

static int elem_print_cb(struct nftnl_set_elem *e, void *data)
{
	struct elem_print *p = data;
	char a[INET6_ADDRSTRLEN];
	const uint8_t *k;
	uint32_t len = 0, flags = 0;

	k = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS))
		flags = nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS);
	p->n++;
	if (flags & NFT_SET_ELEM_INTERVAL_END)
		p->ends++;
	if (!p->o)
		return 0;
	if (p->key == NFT_KEY_PORT && len == 2)
		snprintf(a, sizeof(a), "%u", (unsigned)k[0] << 8 | k[1]);
	else if ((p->key == NFT_KEY_V4 && len == 4) ||
		 (p->key == NFT_KEY_V6 && len == 16))
		inet_ntop(p->key == NFT_KEY_V4 ? AF_INET : AF_INET6, k, a,
			  sizeof(a));
	else
		snprintf(a, sizeof(a), "(key of %u bytes)", len), p->bad++;
	out_add(p->o, "  elem %s%s", a,
		flags & NFT_SET_ELEM_INTERVAL_END ? " end" : "");
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_TIMEOUT))
		out_add(p->o, " timeout %llums", (unsigned long long)
			nftnl_set_elem_get_u64(e, NFTNL_SET_ELEM_TIMEOUT));
	out_add(p->o, "\n");
	return 0;
}

struct decoded {
	unsigned long msgs, acked, elems, ends, bad;
	size_t max_nest;
};

/* Every message of the batch, parsed by libnftnl, as text. */
static void decode(struct nft_batch *b, struct pw_sink *o,
		   struct decoded *d)
{
	struct iovec *iov;
	size_t n_iov, len, i;
	char buf[16384];

	memset(d, 0, sizeof(*d));
	if (nft_batch_iov(b, &iov, &n_iov, &len)) {
		d->bad++;
		return;
	}
	for (i = 0; i < n_iov; i++) {
		const struct nlmsghdr *nlh = iov[i].iov_base;
		int left = (int)iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			uint16_t t = nlh->nlmsg_type & 0xff;
			int ret = 0;

			d->msgs++;
			if (nlh->nlmsg_flags & NLM_F_ACK)
				d->acked++;
			if (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN ||
			    nlh->nlmsg_type == NFNL_MSG_BATCH_END) {
				if (o)
					out_add(o, "%u batch %s\n",
						nlh->nlmsg_seq,
						nlh->nlmsg_type ==
							NFNL_MSG_BATCH_BEGIN ?
						"begin" : "end");
				continue;
			}
			if (nlh->nlmsg_type >> 8 != NFNL_SUBSYS_NFTABLES)
				d->bad++;
			if (o)
				out_add(o, "%u %s%s%s%s\n", nlh->nlmsg_seq,
					msg_name(t),
					nlh->nlmsg_flags & NLM_F_CREATE ?
						" create" : "",
					nlh->nlmsg_flags & NLM_F_APPEND ?
						" append" : "",
					nlh->nlmsg_flags & NLM_F_EXCL ?
						" excl" : "");
			buf[0] = '\0';
			switch (t) {
			case NFT_MSG_NEWTABLE:
			case NFT_MSG_DELTABLE: {
				struct nftnl_table *x = nftnl_table_alloc();

				ret = nftnl_table_nlmsg_parse(nlh, x);
				nftnl_table_snprintf(buf, sizeof(buf), x,
						     NFTNL_OUTPUT_DEFAULT, 0);
				nftnl_table_free(x);
				break;
			}
			case NFT_MSG_NEWCHAIN: {
				struct nftnl_chain *x = nftnl_chain_alloc();

				ret = nftnl_chain_nlmsg_parse(nlh, x);
				nftnl_chain_snprintf(buf, sizeof(buf), x,
						     NFTNL_OUTPUT_DEFAULT, 0);
				nftnl_chain_free(x);
				break;
			}
			case NFT_MSG_NEWRULE:
			case NFT_MSG_DELRULE: {
				struct nftnl_rule *x = nftnl_rule_alloc();

				ret = nftnl_rule_nlmsg_parse(nlh, x);
				nftnl_rule_snprintf(buf, sizeof(buf), x,
						    NFTNL_OUTPUT_DEFAULT, 0);
				nftnl_rule_free(x);
				break;
			}
			case NFT_MSG_NEWOBJ: {
				struct nftnl_obj *x = nftnl_obj_alloc();

				ret = nftnl_obj_nlmsg_parse(nlh, x);
				nftnl_obj_snprintf(buf, sizeof(buf), x,
						   NFTNL_OUTPUT_DEFAULT, 0);
				nftnl_obj_free(x);
				break;
			}
			case NFT_MSG_NEWSET: {
				struct nftnl_set *x = nftnl_set_alloc();

				ret = nftnl_set_nlmsg_parse(nlh, x);
				nftnl_set_snprintf(buf, sizeof(buf), x,
						   NFTNL_OUTPUT_DEFAULT, 0);
				nftnl_set_free(x);
				break;
			}
			case NFT_MSG_NEWSETELEM:
			case NFT_MSG_DELSETELEM: {
				struct nftnl_set *x = nftnl_set_alloc();
				struct elem_print p = { .o = o };
				const struct nlattr *a;
				const char *name;
				size_t k;

				mnl_attr_for_each(a, nlh,
						  sizeof(struct nfgenmsg)) {
					if (mnl_attr_get_type(a) ==
					    NFTA_SET_ELEM_LIST_ELEMENTS &&
					    a->nla_len > d->max_nest)
						d->max_nest = a->nla_len;
				}
				ret = nftnl_set_elems_nlmsg_parse(nlh, x);
				name = nftnl_set_get_str(x, NFTNL_SET_NAME);
				for (k = 0; name && k < NFT_S_MAX; k++) {
					if (!strcmp(nft_sets[k].name, name))
						p.key = nft_sets[k].key;
				}
				if (o)
					out_add(o, "  %s %s\n",
						nftnl_set_get_str(
							x, NFTNL_SET_TABLE),
						name ? name : "?");
				nftnl_set_elem_foreach(x, elem_print_cb, &p);
				d->elems += p.n;
				d->ends += p.ends;
				d->bad += p.bad;
				nftnl_set_free(x);
				break;
			}
			default:
				d->bad++;
				break;
			}
			if (ret < 0) {
				d->bad++;
				if (o)
					out_add(o, "  PARSE ERROR\n");
			}
			if (o && buf[0])
				out_add(o, "  %s\n", buf);
		}
		if (left)
			d->bad++;
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Compare text with tests/nft/NAME (PW_REGEN=1: write it). */
static void golden(const char *name, const char *text)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	char *want;
	size_t i, line = 1;

	snprintf(path, sizeof(path), "%s/tests/nft/%s", top ? top : ".",
		 name);
	if (getenv("PW_REGEN") && *getenv("PW_REGEN")) {
		FILE *f = fopen(path, "w");

		ok(f && fputs(text, f) >= 0 && !fclose(f), "%s (regenerated)",
		   name);
		return;
	}
	want = slurp(path);
	if (!want) {
		ok(0, "%s: cannot read %s", name, path);
		return;
	}
	for (i = 0; want[i] && text[i] && want[i] == text[i]; i++)
		line += text[i] == '\n';
	if (!ok(!want[i] && !text[i], "%s", name))
		printf("# first difference at line %zu\n", line);
	free(want);
}

static void run_case(const char *name, const struct nft_conf *c,
		     const struct nft_kstate *ks, bool flush_emerg)
{
	struct pw_host h = T_HOST;
	struct pw_set s = { 0 };
	struct pw_sink o = { 0 };
	struct nft_batch *b = NULL;
	struct nft_elembatch *eb = NULL;
	struct nft_cfg cfg;
	struct nft_run r = { .h = &h, .cfg = &cfg, .set = &s, .now = T_NOW };
	struct decoded d;
	char err[256];

	if (nft_cfg_parse(&cfg, c, err, sizeof(err))) {
		ok(0, "%s: options: %s", name, err);
		return;
	}
	fill_sample(&s);
	ok(!nft_elems_build(&eb, &r) &&
		   !nft_batch_refresh(&b, &r, eb, ks, flush_emerg),
	   "%s: built", name);
	if (b) {
		decode(b, &o, &d);
		is_int(d.bad, 0, "%s: every message parses", name);
		is_int(d.acked, nft_batch_msgs(b),
		       "%s: every message asks for an ack", name);
		golden(name, o.buf ? o.buf : "");
	}
	nft_batch_free(b);
	nft_elembatch_free(eb);
	nft_cfg_free(&cfg);
	free(o.buf);
	free(s.v);
}

static void test_batches(void)
{
	struct nft_kstate ks;
	struct nft_elem k[4];
	struct nft_conf c = conf_default;
	size_t i;

	c.exempt = "10.0.0.0/8,2001:db8:1::/48";
	memset(&ks, 0, sizeof(ks));
	run_case("001-create.nlmsg", &c, &ks, false);

	ks.table = true;
	ks.genid = 42;
	snprintf(ks.why, sizeof(ks.why), "test");
	run_case("002-replace.nlmsg", &c, &ks, false);

	/* in place: every set there but emerg_v6; the kernel's emerg_v4
	 * holds the same 203.0.113.7, a /24 covering 203.0.113.8/31 and an
	 * unrelated 198.51.100.9, which stays */
	memset(k, 0, sizeof(k));
	inet_pton(AF_INET, "198.51.100.9", k[0].lo);
	inet_pton(AF_INET, "198.51.100.9", k[0].hi);
	inet_pton(AF_INET, "203.0.113.0", k[1].lo);
	inet_pton(AF_INET, "203.0.113.6", k[1].hi);
	inet_pton(AF_INET, "203.0.113.7", k[2].lo);
	inet_pton(AF_INET, "203.0.113.7", k[2].hi);
	inet_pton(AF_INET, "203.0.113.8", k[3].lo);
	inet_pton(AF_INET, "203.0.113.255", k[3].hi);
	ks.compatible = true;
	ks.genid = 0;
	for (i = 0; i < NFT_S_MAX; i++)
		ks.set[i] = i != NFT_S_EMERG_V6;
	ks.emerg[NFT_S_EMERG_V4] = k;
	ks.n_emerg[NFT_S_EMERG_V4] = 4;
	run_case("003-update.nlmsg", &c, &ks, false);
	run_case("004-update-flush-emergency.nlmsg", &c, &ks, true);

	c = conf_default;
	c.counters = 0;
	c.action = "reject";
	c.log_prefix = "";
	c.offender_timeout = 0;
	c.hooks = "input";
	c.priority = "0";
	memset(&ks, 0, sizeof(ks));
	run_case("005-no-counters-reject.nlmsg", &c, &ks, false);
}

static void test_elems_batch(void)
{
	struct nft_batch *b = NULL;
	struct pw_sink o = { 0 };
	struct nft_elem e[2];
	struct nft_cfg cfg;
	struct decoded d;
	char err[256];

	nft_cfg_parse(&cfg, &conf_default, err, sizeof(err));
	memset(e, 0, sizeof(e));
	inet_pton(AF_INET, "203.0.113.0", e[0].lo);
	inet_pton(AF_INET, "203.0.113.255", e[0].hi);
	inet_pton(AF_INET, "203.0.113.7", e[1].lo);
	inet_pton(AF_INET, "203.0.113.7", e[1].hi);
	e[1].timeout_ms = 2000;
	ok(!nft_batch_elems(&b, &cfg, NFT_S_EMERG_V4, e, 1, e + 1, 1),
	   "emergency batch built");
	decode(b, &o, &d);
	is_int(d.bad, 0, "emergency batch parses");
	golden("006-emergency-swap.nlmsg", o.buf ? o.buf : "");
	nft_batch_free(b);
	nft_cfg_free(&cfg);
	free(o.buf);
}

/* Many elements: messages split under 64 KiB, nothing lost. */
static void test_large(void)
{
	struct pw_host h = T_HOST;
	struct pw_set s = { 0 };
	struct nft_batch *b = NULL;
	struct nft_elembatch *eb = NULL;
	struct nft_cfg cfg;
	struct nft_run r = { .h = &h, .cfg = &cfg, .set = &s, .now = T_NOW };
	struct nft_kstate ks;
	struct decoded d;
	struct iovec *iov;
	size_t n_iov, len;
	char err[256], a[INET6_ADDRSTRLEN];
	unsigned long i, n4 = 150000, n6 = 20000;

	nft_cfg_parse(&cfg, &conf_default, err, sizeof(err));
	for (i = 0; i < n4; i++) {
		uint32_t v = htonl(0x0b000000u + 2 * (uint32_t)i);

		inet_ntop(AF_INET, &v, a, sizeof(a));
		set_ip(&s, a, 32, 0, 0);
	}
	for (i = 0; i < n6; i++) {
		snprintf(a, sizeof(a), "2001:db8:%lx:%lx::", i >> 12,
			 (i & 0xfff) << 4);
		set_ip(&s, a, 60, PW_F_EMERGENCY, T_NOW + 100);
	}
	memset(&ks, 0, sizeof(ks));
	ok(!nft_elems_build(&eb, &r) &&
		   !nft_batch_refresh(&b, &r, eb, &ks, false),
	   "large batch built");
	decode(b, NULL, &d);
	nft_batch_iov(b, &iov, &n_iov, &len);
	is_int(d.bad, 0, "large batch parses");
	is_int(d.elems, 2 * (n4 + n6), "every start and end element is there");
	is_int(d.ends, n4 + n6, "one end element each");
	ok(d.max_nest <= 65535, "element lists stay under 64 KiB (%zu)",
	   d.max_nest);
	ok(n_iov > 1 && n_iov <= 1024, "%zu pages, %zu bytes", n_iov, len);
	ok(len < (n4 * 40 + n6 * 76) * 11 / 10 + (1u << 16),
	   "the batch is close to the size of its elements");
	nft_batch_free(b);
	nft_elembatch_free(eb);
	nft_cfg_free(&cfg);
	free(s.v);
}

/* The text: what `nft -f` gets, and the same elements as the batch. */
static void test_text(void)
{
	struct pw_host h = T_HOST;
	struct pw_set s = { 0 };
	struct pw_sink o = { 0 };
	struct nft_cfg cfg;
	struct nft_conf c = conf_default;
	struct nft_run r = { .h = &h, .cfg = &cfg, .set = &s, .now = T_NOW };
	char err[256];

	c.mode = "file";
	nft_cfg_parse(&cfg, &c, err, sizeof(err));
	fill_sample(&s);
	ok(!nft_render_ruleset(&r, &o, "file", NULL), "text renders");
	ok(o.buf && strstr(o.buf, "table inet poolwall\ndelete table inet "
			   "poolwall\n"), "idempotent replacement idiom");
	ok(o.buf && strstr(o.buf, "\t\t\t203.0.113.7 timeout 1h,\n"),
	   "emergency element with its timeout");
	ok(o.buf && strstr(o.buf, "# left out: 1 already expired\n"),
	   "expired entries counted");
	ok(o.buf && strstr(o.buf, "ip daddr @feed_v4 counter name "
			   "\"feed_v4\" update @offenders_v4 { ip saddr "
			   "counter } log prefix \"poolwall: \" drop\n"),
	   "feed rule");
	{
		struct nft_elembatch *eb = NULL;
		struct pw_sink o2 = { 0 };
		unsigned long exp = r.st.expired;

		ok(!nft_elems_build(&eb, &r) &&
			   !nft_render_ruleset(&r, &o2, "file", eb),
		   "text from the prebuilt elements renders");
		is_int(r.st.expired, exp, "...with the same counts");
		if (!ok(o.buf && o2.buf && !strcmp(o.buf, o2.buf),
			"...and the same text as from two passes")) {
			size_t k = 0, line = 1;

			while (o.buf && o2.buf && o.buf[k] &&
			       o.buf[k] == o2.buf[k])
				line += o.buf[k++] == '\n';
			printf("# first difference at line %zu\n", line);
		}
		nft_elembatch_free(eb);
		free(o2.buf);
	}
	nft_cfg_free(&cfg);
	free(o.buf);
	free(s.v);
}

int main(void)
{
	test_options();
	test_format();
	test_walk();
	test_text();
	test_batches();
	test_elems_batch();
	test_large();
	return tap_done();
}
