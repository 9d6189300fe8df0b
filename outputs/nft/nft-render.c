/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `nft`: the model of the table (options, sets, rules, elements)
 * and its text, an `nft -f` file.  No sockets, no files: the unit tests
 * link it directly (with nft-netlink.c, for the text of mode=netlink, which
 * is read back from the prebuilt element messages).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "nft.h"

/* nft datatype ids (nftables include/datatype.h) */
#define NFT_TYPE_IPADDR		7
#define NFT_TYPE_IP6ADDR	8
#define NFT_TYPE_INET_SERVICE	13

#define NFT_EXEMPT_MAX	256	/* entries of the `exempt` option */
#define NFT_TIMEOUT_MAX	(3650ull * 86400ull)	/* seconds */

/* In the order of the file; every udp set follows its tcp set. */
const struct nft_setdef nft_sets[NFT_S_MAX] = {
	[NFT_S_EXEMPT_V4] = { "exempt_v4", NFT_KEY_V4, NFT_T_EXEMPT, 0 },
	[NFT_S_EXEMPT_V6] = { "exempt_v6", NFT_KEY_V6, NFT_T_EXEMPT, 0 },
	[NFT_S_FEED_V4] = { "feed_v4", NFT_KEY_V4, NFT_T_FEED, 0 },
	[NFT_S_EMERG_V4] = { "emerg_v4", NFT_KEY_V4, NFT_T_EMERG, 0 },
	[NFT_S_MON_V4] = { "mon_v4", NFT_KEY_V4, NFT_T_MONITOR, 0 },
	[NFT_S_FEED_V6] = { "feed_v6", NFT_KEY_V6, NFT_T_FEED, 0 },
	[NFT_S_EMERG_V6] = { "emerg_v6", NFT_KEY_V6, NFT_T_EMERG, 0 },
	[NFT_S_MON_V6] = { "mon_v6", NFT_KEY_V6, NFT_T_MONITOR, 0 },
	[NFT_S_PORTS] = { "ports", NFT_KEY_PORT, NFT_T_FEED, IPPROTO_TCP },
	[NFT_S_PORTS_UDP] = { "ports_udp", NFT_KEY_PORT, NFT_T_FEED,
			      IPPROTO_UDP },
	[NFT_S_EMERG_PORTS] = { "emerg_ports", NFT_KEY_PORT, NFT_T_EMERG,
				IPPROTO_TCP },
	[NFT_S_EMERG_PORTS_UDP] = { "emerg_ports_udp", NFT_KEY_PORT,
				    NFT_T_EMERG, IPPROTO_UDP },
	[NFT_S_MON_PORTS] = { "mon_ports", NFT_KEY_PORT, NFT_T_MONITOR,
			      IPPROTO_TCP },
	[NFT_S_MON_PORTS_UDP] = { "mon_ports_udp", NFT_KEY_PORT,
				  NFT_T_MONITOR, IPPROTO_UDP },
	[NFT_S_OFF_V4] = { "offenders_v4", NFT_KEY_V4, NFT_T_OFFENDERS, 0 },
	[NFT_S_OFF_V6] = { "offenders_v6", NFT_KEY_V6, NFT_T_OFFENDERS, 0 },
};

static const char *const nft_hooks[] = {
	[NF_INET_PRE_ROUTING] = "prerouting",
	[NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};

#define NFT_N_HOOKS (sizeof(nft_hooks) / sizeof(nft_hooks[0]))

const char *nft_hook_name(unsigned hook)
{
	return hook < NFT_N_HOOKS ? nft_hooks[hook] : NULL;
}

uint32_t nft_set_flags(enum nft_sid id)
{
	switch (nft_sets[id].tier) {
	case NFT_T_OFFENDERS:
		return NFT_SET_EVAL | NFT_SET_TIMEOUT;
	case NFT_T_EMERG:
	case NFT_T_MONITOR:
		return NFT_SET_INTERVAL | NFT_SET_TIMEOUT;
	default:
		return NFT_SET_INTERVAL;
	}
}

uint32_t nft_set_keytype(enum nft_sid id)
{
	static const uint32_t t[] = {
		[NFT_KEY_V4] = NFT_TYPE_IPADDR,
		[NFT_KEY_V6] = NFT_TYPE_IP6ADDR,
		[NFT_KEY_PORT] = NFT_TYPE_INET_SERVICE,
	};

	return t[nft_sets[id].key];
}

uint32_t nft_set_keylen(enum nft_sid id)
{
	static const uint32_t l[] = {
		[NFT_KEY_V4] = 4, [NFT_KEY_V6] = 16, [NFT_KEY_PORT] = 2,
	};

	return l[nft_sets[id].key];
}

bool nft_set_refilled(enum nft_sid id)
{
	enum nft_tier t = nft_sets[id].tier;

	return t == NFT_T_EXEMPT || t == NFT_T_MONITOR || t == NFT_T_FEED;
}

bool nft_set_counted(const struct nft_cfg *cfg, enum nft_sid id)
{
	enum nft_tier t = nft_sets[id].tier;

	return cfg->counters && t != NFT_T_EXEMPT && t != NFT_T_OFFENDERS;
}

/* ---- keys ---- */

static int nft_key_cmp(const uint8_t *a, const uint8_t *b, size_t len)
{
	return memcmp(a, b, len);
}

int nft_key_next(uint8_t *a, size_t len)
{
	size_t i = len;

	while (i--) {
		if (++a[i])
			return 0;
	}
	return 1;
}

void nft_key_prev(uint8_t *a, size_t len)
{
	size_t i = len;

	while (i--) {
		if (a[i]--)
			return;
	}
}

static void nft_prefix_range(const uint8_t *addr, unsigned plen, size_t len,
			     uint8_t *lo, uint8_t *hi)
{
	size_t i;

	memset(lo, 0, 16);
	memset(hi, 0, 16);
	for (i = 0; i < len; i++) {
		unsigned bits = plen > 8 * i ? plen - 8 * (unsigned)i : 0;
		uint8_t mask = bits >= 8 ? 0xff :
			       (uint8_t)(0xff00u >> bits);

		lo[i] = addr[i] & mask;
		hi[i] = lo[i] | (uint8_t)~mask;
	}
}

/* The prefix length of [lo, hi], or -1 if it is not one prefix. */
static int nft_range_plen(const uint8_t *lo, const uint8_t *hi, size_t len)
{
	bool host = false;
	int plen = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t x = lo[i] ^ hi[i];

		if (host) {
			/* past the network part: lo all 0, hi all 1 */
			if (x != 0xff || lo[i])
				return -1;
			continue;
		}
		if (!x) {
			plen += 8;
			continue;
		}
		/* x must be 0...01...1 over bits lo has clear */
		if ((lo[i] & x) || (x & (x + 1)))
			return -1;
		plen += 8 - __builtin_popcount(x);
		host = true;
	}
	return plen;
}

int nft_elem_fmt(const struct nft_elem *e, enum nft_key key, char *buf,
		 size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int af = key == NFT_KEY_V4 ? AF_INET : AF_INET6;
	size_t klen = key == NFT_KEY_V4 ? 4 : 16;
	int n, plen;

	if (key == NFT_KEY_PORT) {
		unsigned lo = (unsigned)e->lo[0] << 8 | e->lo[1];
		unsigned hi = (unsigned)e->hi[0] << 8 | e->hi[1];

		n = lo == hi ? snprintf(buf, len, "%u", lo) :
			       snprintf(buf, len, "%u-%u", lo, hi);
		return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
	}
	if (!inet_ntop(af, e->lo, a, sizeof(a)))
		return -EINVAL;
	plen = nft_range_plen(e->lo, e->hi, klen);
	if (plen == (int)klen * 8) {
		n = snprintf(buf, len, "%s", a);
	} else if (plen >= 0) {
		n = snprintf(buf, len, "%s/%d", a, plen);
	} else {
		if (!inet_ntop(af, e->hi, b, sizeof(b)))
			return -EINVAL;
		n = snprintf(buf, len, "%s-%s", a, b);
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

void nft_dur_fmt(uint64_t secs, char *buf, size_t len)
{
	static const struct {
		uint64_t s;
		char u;
	} units[] = { { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	size_t i, off = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (!secs) {
		snprintf(buf, len, "0s");
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t v = secs / units[i].s;
		int n;

		if (!v)
			continue;
		secs -= v * units[i].s;
		n = snprintf(buf + off, len - off, "%llu%c",
			     (unsigned long long)v, units[i].u);
		if (n < 0 || (size_t)n >= len - off)
			return;		/* cut: buffers here are ample */
		off += (size_t)n;
	}
}

/* ---- options ---- */

static void nft_cfg_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void nft_cfg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int nft_parse_table(struct nft_cfg *cfg, const char *s, char *err,
			   size_t errlen)
{
	size_t i, n = strlen(s);

	/* it goes into the ruleset text unquoted: a plain identifier only */
	if (!n || n >= sizeof(cfg->table) ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		goto bad;
	for (i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			goto bad;
	}
	memcpy(cfg->table, s, n + 1);
	return 0;
bad:
	nft_cfg_err(err, errlen, "table '%.40s': a letter, then up to %d "
		    "letters, digits or '_'", s, NFT_NAME_MAX - 2);
	return -EINVAL;
}

static int nft_parse_hooks(struct nft_cfg *cfg, const char *s, char *err,
			   size_t errlen)
{
	const char *p = s;

	cfg->hooks = 0;
	while (*p) {
		const char *e;
		size_t n, h;

		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		e = p;
		while (*e && *e != ',' && *e != ' ' && *e != '\t')
			e++;
		n = (size_t)(e - p);
		for (h = 0; h < NFT_N_HOOKS; h++) {
			if (strlen(nft_hooks[h]) == n &&
			    !memcmp(nft_hooks[h], p, n))
				break;
		}
		if (h == NFT_N_HOOKS) {
			nft_cfg_err(err, errlen, "hooks: unknown hook '%.*s' "
				    "(prerouting, input, forward, output, "
				    "postrouting)", (int)(n > 40 ? 40 : n), p);
			return -EINVAL;
		}
		if (cfg->hooks & (1u << h)) {
			nft_cfg_err(err, errlen, "hooks: '%s' given twice",
				    nft_hooks[h]);
			return -EINVAL;
		}
		cfg->hooks |= 1u << h;
		p = e;
	}
	if (!cfg->hooks) {
		nft_cfg_err(err, errlen, "hooks: at least one hook is needed");
		return -EINVAL;
	}
	return 0;
}

static int nft_parse_prio(struct nft_cfg *cfg, const char *s, char *err,
			  size_t errlen)
{
	const char *p = s;
	long long v = 0;
	bool neg = false;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000000)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v > 1000000)
		goto bad;
	cfg->prio = (int32_t)(neg ? -v : v);
	return 0;
bad:
	nft_cfg_err(err, errlen, "priority '%.40s': an integer from -1000000 "
		    "to 1000000 (filter is 0)", s);
	return -EINVAL;
}

static int nft_parse_prefix(struct nft_cfg *cfg, const char *s, char *err,
			    size_t errlen)
{
	size_t i, n = strlen(s);

	/* into the ruleset text between double quotes, and into the log */
	if (n + sizeof(NFT_MON_SUFFIX) > sizeof(cfg->log_prefix)) {
		nft_cfg_err(err, errlen, "log_prefix: longer than %zu bytes",
			    sizeof(cfg->log_prefix) - sizeof(NFT_MON_SUFFIX));
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' ||
		    c == '$') {
			nft_cfg_err(err, errlen, "log_prefix: printable ASCII "
				    "without '\"', '\\' or '$' only");
			return -EINVAL;
		}
	}
	memcpy(cfg->log_prefix, s, n + 1);
	return 0;
}

static int nft_elem_cmp(const void *a, const void *b)
{
	const struct nft_elem *x = a, *y = b;
	int c = memcmp(x->lo, y->lo, 16);

	return c ? c : memcmp(x->hi, y->hi, 16);
}

/* Sort and merge overlapping or adjacent ranges in place. */
static size_t nft_ranges_merge(struct nft_elem *v, size_t n, size_t klen)
{
	size_t i, o = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), nft_elem_cmp);
	for (i = 1; i < n; i++) {
		uint8_t next[16];

		memcpy(next, v[o].hi, 16);
		if (nft_key_next(next, klen) ||
		    nft_key_cmp(v[i].lo, next, klen) <= 0) {
			/* overlapping, adjacent, or v[o] ends at the top */
			if (nft_key_cmp(v[i].hi, v[o].hi, klen) > 0)
				memcpy(v[o].hi, v[i].hi, 16);
			continue;
		}
		v[++o] = v[i];
	}
	return o + 1;
}

/* One `exempt` entry: ADDR or ADDR/LEN, host bits clear. */
static int nft_parse_net(const char *tok, struct nft_elem *e, bool *v6,
			 char *err, size_t errlen)
{
	char buf[64], *slash;
	uint8_t addr[16] = { 0 };
	unsigned plen, max;
	size_t klen;

	if (strlen(tok) >= sizeof(buf))
		goto bad;
	memcpy(buf, tok, strlen(tok) + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	*v6 = strchr(buf, ':') != NULL;
	if (inet_pton(*v6 ? AF_INET6 : AF_INET, buf, addr) != 1)
		goto bad;
	klen = *v6 ? 16 : 4;
	max = (unsigned)klen * 8;
	plen = max;
	if (slash) {
		const char *p = slash + 1;

		if (!*p || strlen(p) > 3)
			goto bad;
		plen = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			plen = plen * 10 + (unsigned)(*p - '0');
		}
		if (plen > max)
			goto bad;
	}
	memset(e, 0, sizeof(*e));
	nft_prefix_range(addr, plen, klen, e->lo, e->hi);
	if (memcmp(e->lo, addr, klen)) {
		char net[INET6_ADDRSTRLEN];

		inet_ntop(*v6 ? AF_INET6 : AF_INET, e->lo, net, sizeof(net));
		nft_cfg_err(err, errlen, "exempt '%s': host bits set "
			    "(the network is %s/%u)", tok, net, plen);
		return -EINVAL;
	}
	return 0;
bad:
	nft_cfg_err(err, errlen, "exempt '%.64s': not an IPv4 or IPv6 "
		    "address or CIDR", tok);
	return -EINVAL;
}

static int nft_parse_exempt(struct nft_cfg *cfg, const char *s, char *err,
			    size_t errlen)
{
	const char *p = s;
	int ret = 0;

	cfg->exempt4 = calloc(NFT_EXEMPT_MAX, sizeof(*cfg->exempt4));
	cfg->exempt6 = calloc(NFT_EXEMPT_MAX, sizeof(*cfg->exempt6));
	if (!cfg->exempt4 || !cfg->exempt6) {
		nft_cfg_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while (*p) {
		char tok[128];
		const char *e;
		struct nft_elem el;
		bool v6;
		size_t n;

		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		e = p;
		while (*e && *e != ',' && *e != ' ' && *e != '\t')
			e++;
		n = (size_t)(e - p);
		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;	/* too long: refused below */
		memcpy(tok, p, n);
		tok[n] = '\0';
		p = e;
		ret = nft_parse_net(tok, &el, &v6, err, errlen);
		if (ret)
			goto out;
		if (cfg->n_exempt4 + cfg->n_exempt6 == NFT_EXEMPT_MAX) {
			nft_cfg_err(err, errlen, "exempt: more than %d entries",
				    NFT_EXEMPT_MAX);
			ret = -E2BIG;
			goto out;
		}
		if (v6)
			cfg->exempt6[cfg->n_exempt6++] = el;
		else
			cfg->exempt4[cfg->n_exempt4++] = el;
	}
	cfg->n_exempt4 = nft_ranges_merge(cfg->exempt4, cfg->n_exempt4, 4);
	cfg->n_exempt6 = nft_ranges_merge(cfg->exempt6, cfg->n_exempt6, 16);
out:
	return ret;
}

int nft_cfg_parse(struct nft_cfg *cfg, const struct nft_conf *c, char *err,
		  size_t errlen)
{
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (!strcmp(c->mode, "file")) {
		cfg->netlink = false;
	} else if (!strcmp(c->mode, "netlink")) {
		cfg->netlink = true;
	} else {
		nft_cfg_err(err, errlen, "mode '%.40s': file or netlink",
			    c->mode);
		return -EINVAL;
	}
	if (!strcmp(c->action, "drop")) {
		cfg->action = NFT_A_DROP;
	} else if (!strcmp(c->action, "reject")) {
		cfg->action = NFT_A_REJECT;
	} else if (!strcmp(c->action, "log")) {
		cfg->action = NFT_A_LOG;
	} else {
		nft_cfg_err(err, errlen, "action '%.40s': drop, reject or log",
			    c->action);
		return -EINVAL;
	}
	if (c->offender_timeout < 0 ||
	    (uint64_t)c->offender_timeout > NFT_TIMEOUT_MAX) {
		nft_cfg_err(err, errlen, "offender_timeout: at most 3650d");
		return -EINVAL;
	}
	cfg->offender_timeout_ms = (uint64_t)c->offender_timeout * 1000;
	cfg->counters = c->counters != 0;
	ret = nft_parse_table(cfg, c->table, err, errlen);
	if (!ret)
		ret = nft_parse_hooks(cfg, c->hooks, err, errlen);
	if (!ret)
		ret = nft_parse_prio(cfg, c->priority, err, errlen);
	if (!ret)
		ret = nft_parse_prefix(cfg, c->log_prefix, err, errlen);
	if (!ret)
		ret = nft_parse_exempt(cfg, c->exempt, err, errlen);
	/* the kernel takes reject in prerouting, input, forward and output
	 * only; `nft -c` does not notice, the real load fails */
	if (!ret && cfg->action == NFT_A_REJECT &&
	    (cfg->hooks & (1u << NF_INET_POST_ROUTING))) {
		nft_cfg_err(err, errlen, "action=reject cannot be used in the "
			    "postrouting hook");
		ret = -EINVAL;
	}
	if (ret)
		nft_cfg_free(cfg);
	return ret;
}

void nft_cfg_free(struct nft_cfg *cfg)
{
	free(cfg->exempt4);
	free(cfg->exempt6);
	cfg->exempt4 = cfg->exempt6 = NULL;
	cfg->n_exempt4 = cfg->n_exempt6 = 0;
}

/* ---- rules ---- */

static void nft_rule_add(struct nft_rules *rs, enum nft_sid set,
			 enum nft_match m, uint8_t nfproto, int offenders,
			 bool counter, bool log, const char *prefix,
			 enum nft_verdict v)
{
	struct nft_rule *r = &rs->r[rs->n++];

	r->set = set;
	r->match = m;
	r->nfproto = nfproto;
	r->offenders = offenders;
	r->counter = counter;
	r->log = log;
	r->prefix = prefix;
	r->verdict = v;
}

/*
 * Every chain: exempt networks leave first (as source or destination);
 * then the observe-only tier counts and logs; then the blocks: emergency,
 * feed, stratum ports.  A block counts, records the source in the
 * offender set, logs (action=log, or any action with a log prefix) and
 * drops or rejects (action=log: nothing more).
 */
void nft_rules(const struct nft_cfg *cfg, struct nft_rules *rs)
{
	static const enum nft_sid blocks[] = {
		NFT_S_EMERG_V4, NFT_S_EMERG_V6, NFT_S_FEED_V4, NFT_S_FEED_V6,
		NFT_S_EMERG_PORTS, NFT_S_EMERG_PORTS_UDP, NFT_S_PORTS,
		NFT_S_PORTS_UDP,
	};
	static const enum nft_sid mons[] = {
		NFT_S_MON_V4, NFT_S_MON_V6, NFT_S_MON_PORTS,
		NFT_S_MON_PORTS_UDP,
	};
	bool track = cfg->offender_timeout_ms != 0;
	bool log = cfg->action == NFT_A_LOG || cfg->log_prefix[0];
	enum nft_verdict v = cfg->action == NFT_A_DROP ? NFT_V_DROP :
			     cfg->action == NFT_A_REJECT ? NFT_V_REJECT :
							   NFT_V_NONE;
	size_t i;

	memset(rs, 0, sizeof(*rs));
	/* nft_cfg_parse() left room for the suffix */
	i = strlen(cfg->log_prefix);
	memcpy(rs->mon_prefix, cfg->log_prefix, i);
	memcpy(rs->mon_prefix + i, NFT_MON_SUFFIX, sizeof(NFT_MON_SUFFIX));
	nft_rule_add(rs, NFT_S_EXEMPT_V4, NFT_M_SADDR, 0, -1, false, false,
		     NULL, NFT_V_RETURN);
	nft_rule_add(rs, NFT_S_EXEMPT_V4, NFT_M_DADDR, 0, -1, false, false,
		     NULL, NFT_V_RETURN);
	nft_rule_add(rs, NFT_S_EXEMPT_V6, NFT_M_SADDR, 0, -1, false, false,
		     NULL, NFT_V_RETURN);
	nft_rule_add(rs, NFT_S_EXEMPT_V6, NFT_M_DADDR, 0, -1, false, false,
		     NULL, NFT_V_RETURN);
	for (i = 0; i < sizeof(mons) / sizeof(mons[0]); i++) {
		enum nft_sid s = mons[i];
		enum nft_match m = nft_sets[s].key == NFT_KEY_PORT ?
			NFT_M_DPORT : NFT_M_DADDR;

		nft_rule_add(rs, s, m, 0, -1, cfg->counters, true,
			     rs->mon_prefix, NFT_V_NONE);
	}
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		enum nft_sid s = blocks[i];

		switch (nft_sets[s].key) {
		case NFT_KEY_V4:
			nft_rule_add(rs, s, NFT_M_DADDR, 0,
				     track ? NFT_S_OFF_V4 : -1, cfg->counters,
				     log, cfg->log_prefix, v);
			break;
		case NFT_KEY_V6:
			nft_rule_add(rs, s, NFT_M_DADDR, 0,
				     track ? NFT_S_OFF_V6 : -1, cfg->counters,
				     log, cfg->log_prefix, v);
			break;
		case NFT_KEY_PORT:
			if (!track) {
				nft_rule_add(rs, s, NFT_M_DPORT, 0, -1,
					     cfg->counters, log,
					     cfg->log_prefix, v);
				break;
			}
			/* one rule per family: the offender's address */
			nft_rule_add(rs, s, NFT_M_DPORT, NFPROTO_IPV4,
				     NFT_S_OFF_V4, cfg->counters, log,
				     cfg->log_prefix, v);
			nft_rule_add(rs, s, NFT_M_DPORT, NFPROTO_IPV6,
				     NFT_S_OFF_V6, cfg->counters, log,
				     cfg->log_prefix, v);
			break;
		}
	}
}

/* ---- elements ---- */

int nft_elems_push(struct nft_elems *a, const struct nft_elem *e)
{
	if (a->n == a->alloc) {
		size_t na = a->alloc ? a->alloc * 2 : 64;
		struct nft_elem *nv = realloc(a->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		a->v = nv;
		a->alloc = na;
	}
	a->v[a->n++] = *e;
	return 0;
}

void nft_elems_free(struct nft_elems *a)
{
	free(a->v);
	a->v = NULL;
	a->n = a->alloc = 0;
}

size_t nft_kind_sets(enum nft_key key, enum nft_sid *out)
{
	static const enum nft_sid v4[] = {
		NFT_S_FEED_V4, NFT_S_EMERG_V4, NFT_S_MON_V4,
	};
	static const enum nft_sid v6[] = {
		NFT_S_FEED_V6, NFT_S_EMERG_V6, NFT_S_MON_V6,
	};
	static const enum nft_sid ports[] = {
		NFT_S_PORTS, NFT_S_PORTS_UDP, NFT_S_EMERG_PORTS,
		NFT_S_EMERG_PORTS_UDP, NFT_S_MON_PORTS, NFT_S_MON_PORTS_UDP,
	};
	const enum nft_sid *v = key == NFT_KEY_V4 ? v4 :
				key == NFT_KEY_V6 ? v6 : ports;
	size_t n = key == NFT_KEY_PORT ? 6 : 3;

	memcpy(out, v, n * sizeof(*v));
	return n;
}

static enum nft_tier nft_item_tier(const struct nft_run *r,
				   const struct pw_item *it)
{
	if (it->flags & PW_F_MONITOR)
		return NFT_T_MONITOR;
	if (r->all_emerg || (it->flags & PW_F_EMERGENCY) || it->expires > 0)
		return NFT_T_EMERG;
	return NFT_T_FEED;
}

static enum nft_sid nft_tier_sid(enum nft_tier t, enum nft_key key,
				 bool udp)
{
	static const enum nft_sid m[3][3] = {
		/* feed, emergency, monitor */
		[NFT_KEY_V4] = { NFT_S_FEED_V4, NFT_S_EMERG_V4, NFT_S_MON_V4 },
		[NFT_KEY_V6] = { NFT_S_FEED_V6, NFT_S_EMERG_V6, NFT_S_MON_V6 },
		[NFT_KEY_PORT] = { NFT_S_PORTS, NFT_S_EMERG_PORTS,
				   NFT_S_MON_PORTS },
	};
	enum nft_sid id = m[key][t == NFT_T_FEED ? 0 :
				 t == NFT_T_EMERG ? 1 : 2];

	/* every udp set follows its tcp set */
	return udp ? (enum nft_sid)(id + 1) : id;
}

struct nft_walk {
	const struct nft_run *r;
	enum nft_key key;
	nft_sid_cb cb;
	void *ctx;
	unsigned long expired;
	/* per set: the last element handed out, to drop what it covers */
	struct nft_elem last[NFT_S_MAX];
	bool have_last[NFT_S_MAX];
	/* ports: collected, then sorted and merged */
	struct nft_elems ports[NFT_S_MAX];
};

static int nft_walk_emit(struct nft_walk *w, enum nft_sid id,
			 const struct nft_elem *e)
{
	size_t klen = nft_set_keylen(id);
	struct nft_elem *last = &w->last[id];
	struct nft_elem c;

	if (w->have_last[id] && memcmp(e->lo, last->lo, klen) >= 0 &&
	    memcmp(e->lo, last->hi, klen) <= 0) {
		/* sorted input overlapping the previous element: the core
		 * aggregates, so this is only a guard */
		if (memcmp(e->hi, last->hi, klen) <= 0)
			return 0;
		c = *e;
		memcpy(c.lo, last->hi, 16);
		nft_key_next(c.lo, klen);
		e = &c;
	}
	*last = *e;
	w->have_last[id] = true;
	return w->cb(w->ctx, id, e);
}

static int nft_walk_item(void *ctx, const struct pw_item *it)
{
	struct nft_walk *w = ctx;
	enum nft_tier tier = nft_item_tier(w->r, it);
	struct nft_elem e;
	int err = 0;

	memset(&e, 0, sizeof(e));
	if (it->expires > 0) {
		if (it->expires <= w->r->now) {
			w->expired++;
			return 0;
		}
		e.timeout_ms = (uint64_t)(it->expires - w->r->now) * 1000;
	}
	switch (it->kind) {
	case PW_I_IPV4:
		if (it->plen > 32)
			return 0;
		nft_prefix_range(it->addr, it->plen, 4, e.lo, e.hi);
		return nft_walk_emit(w, nft_tier_sid(tier, NFT_KEY_V4, false),
				     &e);
	case PW_I_IPV6:
		if (it->plen > 128)
			return 0;
		nft_prefix_range(it->addr, it->plen, 16, e.lo, e.hi);
		return nft_walk_emit(w, nft_tier_sid(tier, NFT_KEY_V6, false),
				     &e);
	case PW_I_PORT:
		if (!it->port_lo || it->port_hi < it->port_lo)
			return 0;
		e.lo[0] = (uint8_t)(it->port_lo >> 8);
		e.lo[1] = (uint8_t)it->port_lo;
		e.hi[0] = (uint8_t)(it->port_hi >> 8);
		e.hi[1] = (uint8_t)it->port_hi;
		if (it->proto & PW_PROTO_TCP)
			err = nft_elems_push(&w->ports[nft_tier_sid(
				tier, NFT_KEY_PORT, false)], &e);
		if (!err && (it->proto & PW_PROTO_UDP))
			err = nft_elems_push(&w->ports[nft_tier_sid(
				tier, NFT_KEY_PORT, true)], &e);
		return err;
	default:
		return 0;
	}
}

/* Sort, merge overlaps and neighbours (the longest timeout wins), emit. */
static int nft_walk_ports(struct nft_walk *w, enum nft_sid id)
{
	struct nft_elems *a = &w->ports[id];
	struct nft_elem *v = a->v;
	size_t i, o = 0;
	int err = 0;

	if (!a->n)
		return 0;
	qsort(v, a->n, sizeof(*v), nft_elem_cmp);
	for (i = 1; i < a->n; i++) {
		uint8_t next[2] = { v[o].hi[0], v[o].hi[1] };
		bool top = nft_key_next(next, 2);

		if (top || memcmp(v[i].lo, next, 2) <= 0) {
			if (memcmp(v[i].hi, v[o].hi, 2) > 0)
				memcpy(v[o].hi, v[i].hi, 2);
			if (!v[o].timeout_ms || !v[i].timeout_ms)
				v[o].timeout_ms = 0;
			else if (v[i].timeout_ms > v[o].timeout_ms)
				v[o].timeout_ms = v[i].timeout_ms;
			continue;
		}
		v[++o] = v[i];
	}
	for (i = 0; i <= o && !err; i++)
		err = w->cb(w->ctx, id, &v[i]);
	return err;
}

int nft_elems_walk(const struct nft_run *r, enum nft_key key, nft_sid_cb cb,
		   void *ctx, unsigned long *expired)
{
	static const unsigned kinds[] = {
		[NFT_KEY_V4] = PW_IMASK(PW_I_IPV4),
		[NFT_KEY_V6] = PW_IMASK(PW_I_IPV6),
		[NFT_KEY_PORT] = PW_IMASK(PW_I_PORT),
	};
	struct nft_walk *w = calloc(1, sizeof(*w));
	enum nft_sid ids[6];
	size_t i, n;
	int err = 0;

	if (!w)
		return -ENOMEM;
	w->r = r;
	w->key = key;
	w->cb = cb;
	w->ctx = ctx;
	if (r->set)
		err = pw_set_iter(r->set, kinds[key], nft_walk_item, w);
	n = nft_kind_sets(key, ids);
	for (i = 0; i < n && !err && key == NFT_KEY_PORT; i++)
		err = nft_walk_ports(w, ids[i]);
	if (expired)
		*expired = w->expired;
	for (i = 0; i < NFT_S_MAX; i++)
		nft_elems_free(&w->ports[i]);
	free(w);
	return err;
}

struct nft_one {
	enum nft_sid id;
	nft_elem_cb cb;
	void *ctx;
};

static int nft_one_cb(void *ctx, enum nft_sid id, const struct nft_elem *e)
{
	struct nft_one *o = ctx;

	return id == o->id ? o->cb(o->ctx, e) : 0;
}

int nft_elems_foreach(const struct nft_run *r, enum nft_sid id,
		      nft_elem_cb cb, void *ctx)
{
	const struct nft_setdef *d = &nft_sets[id];
	struct nft_one o = { id, cb, ctx };
	const struct nft_elem *v;
	size_t i, n;
	int err = 0;

	switch (d->tier) {
	case NFT_T_OFFENDERS:
		return 0;
	case NFT_T_EXEMPT:
		v = d->key == NFT_KEY_V4 ? r->cfg->exempt4 : r->cfg->exempt6;
		n = d->key == NFT_KEY_V4 ? r->cfg->n_exempt4 :
					   r->cfg->n_exempt6;
		for (i = 0; i < n && !err; i++)
			err = cb(ctx, &v[i]);
		return err;
	default:
		return nft_elems_walk(r, d->key, nft_one_cb, &o, NULL);
	}
}

static int nft_count_cb(void *ctx, enum nft_sid id, const struct nft_elem *e)
{
	struct nft_run *r = ctx;

	r->st.n[id]++;
	return 0;
}

int nft_run_count(struct nft_run *r)
{
	int k, err = 0;
	unsigned long exp;

	memset(&r->st, 0, sizeof(r->st));
	r->st.n[NFT_S_EXEMPT_V4] = r->cfg->n_exempt4;
	r->st.n[NFT_S_EXEMPT_V6] = r->cfg->n_exempt6;
	for (k = NFT_KEY_V4; k <= NFT_KEY_PORT && !err; k++) {
		exp = 0;
		err = nft_elems_walk(r, (enum nft_key)k, nft_count_cb, r, &exp);
		r->st.expired += exp;
	}
	for (k = PW_I_DOMAIN; k <= PW_I_HASH && r->set; k++) {
		if (k == PW_I_IPV4 || k == PW_I_IPV6 || k == PW_I_PORT)
			continue;
		r->st.other[k] = pw_set_count(r->set, (enum pw_ikind)k);
	}
	return err;
}

/* ---- the text ---- */

/* "a.b.c.d" without printf: a million of them per file */
static size_t nft_fmt_v4(const uint8_t *a, char *buf)
{
	size_t o = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i)
			buf[o++] = '.';
		if (v >= 100)
			buf[o++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[o++] = (char)('0' + v / 10 % 10);
		buf[o++] = (char)('0' + v % 10);
	}
	buf[o] = '\0';
	return o;
}

#define NFT_TEXT_BUF (64u << 10)

struct nft_text {
	struct pw_sink *out;
	enum nft_sid streamed;		/* written as it comes */
	unsigned long n;		/* elements written to the open set */
	struct nft_elems held[NFT_S_MAX];	/* the others, for later */
	/* elements are gathered here: one sink write per 64 KiB */
	char *buf;
	size_t used;
};

static int nft_text_flush(struct nft_text *t)
{
	int err = 0;

	if (t->used)
		err = pw_sink_write(t->out, t->buf, t->used);
	t->used = 0;
	return err;
}

static int nft_text_elem(struct nft_text *t, enum nft_sid id,
			 const struct nft_elem *e)
{
	char *buf;
	size_t o = 0;
	int plen, err;

	/* room for the longest element: two v6 addresses and a timeout */
	if (!t->buf) {
		t->buf = malloc(NFT_TEXT_BUF);
		if (!t->buf)
			return -ENOMEM;
	}
	if (NFT_TEXT_BUF - t->used < 2 * INET6_ADDRSTRLEN + 80) {
		err = nft_text_flush(t);
		if (err)
			return err;
	}
	buf = t->buf + t->used;

	/* ",\n\t\t\t" between elements: no trailing comma for nft */
	if (t->n++) {
		memcpy(buf, ",\n", 2);
		o = 2;
	}
	memcpy(buf + o, "\t\t\t", 3);
	o += 3;
	if (nft_sets[id].key == NFT_KEY_V4 &&
	    (plen = nft_range_plen(e->lo, e->hi, 4)) >= 0) {
		o += nft_fmt_v4(e->lo, buf + o);
		if (plen < 32)
			o += (size_t)snprintf(buf + o, 4, "/%d", plen);
	} else {
		err = nft_elem_fmt(e, nft_sets[id].key, buf + o,
				   2 * INET6_ADDRSTRLEN + 8);
		if (err)
			return err;
		o += strlen(buf + o);
	}
	if (e->timeout_ms) {
		/* whole seconds, rounded up: never shorter than asked */
		memcpy(buf + o, " timeout ", 9);
		o += 9;
		nft_dur_fmt((e->timeout_ms + 999) / 1000, buf + o, 40);
		o += strlen(buf + o);
	}
	t->used += o;
	return 0;
}

static int nft_text_cb(void *ctx, enum nft_sid id, const struct nft_elem *e)
{
	struct nft_text *t = ctx;

	if (id == t->streamed)
		return nft_text_elem(t, id, e);
	return nft_elems_push(&t->held[id], e);
}

/* Elements of set id in this text: none for the emergency sets of the
 * main file of a split output (they are in the part). */
static unsigned long nft_text_n(const struct nft_run *r, enum nft_sid id)
{
	return r->part && nft_sets[id].tier == NFT_T_EMERG ? 0 : r->st.n[id];
}

static int nft_text_set_open(struct nft_run *r, struct pw_sink *out,
			     enum nft_sid id)
{
	static const char *const types[] = {
		[NFT_KEY_V4] = "ipv4_addr",
		[NFT_KEY_V6] = "ipv6_addr",
		[NFT_KEY_PORT] = "inet_service",
	};
	const struct nft_setdef *d = &nft_sets[id];
	char tmo[48];
	int err;

	err = pw_sink_printf(out, "\tset %s {\n\t\ttype %s\n", d->name,
			     types[d->key]);
	if (err)
		return err;
	switch (d->tier) {
	case NFT_T_OFFENDERS:
		nft_dur_fmt(r->cfg->offender_timeout_ms / 1000, tmo,
			    sizeof(tmo));
		return pw_sink_printf(out, "\t\tsize %u\n"
				      "\t\tflags dynamic, timeout\n"
				      "\t\ttimeout %s\n", NFT_OFFENDERS_SIZE,
				      tmo);
	case NFT_T_EMERG:
	case NFT_T_MONITOR:
		err = pw_sink_printf(out, "\t\tflags interval, timeout\n");
		break;
	default:
		err = pw_sink_printf(out, "\t\tflags interval\n");
		break;
	}
	if (!err && nft_text_n(r, id))
		err = pw_sink_printf(out, "\t\telements = {\n");
	return err;
}

static int nft_text_set_close(struct nft_run *r, struct nft_text *t,
			      enum nft_sid id)
{
	int err = nft_text_flush(t);

	return err ? err : pw_sink_printf(t->out, "%s\t}\n",
					  nft_text_n(r, id) ? "\n\t\t}\n" :
							      "");
}

/* A set whose elements are at hand. */
static int nft_text_set(struct nft_run *r, struct nft_text *t,
			enum nft_sid id, const struct nft_elem *v, size_t n)
{
	size_t i;
	int err;

	err = nft_text_set_open(r, t->out, id);
	t->n = 0;
	if (!nft_text_n(r, id))
		n = 0;
	for (i = 0; i < n && !err; i++)
		err = nft_text_elem(t, id, &v[i]);
	if (!err)
		err = nft_text_set_close(r, t, id);
	return err;
}

/* The sets of one kind of key, in one pass over the items. */
static int nft_text_kind(struct nft_run *r, struct nft_text *t,
			 enum nft_key key)
{
	enum nft_sid ids[6];
	size_t i, n = nft_kind_sets(key, ids);
	int err;

	t->streamed = ids[0];
	t->n = 0;
	err = nft_text_set_open(r, t->out, ids[0]);
	if (!err)
		err = nft_elems_walk(r, key, nft_text_cb, t, NULL);
	if (!err)
		err = nft_text_set_close(r, t, ids[0]);
	for (i = 1; i < n && !err; i++)
		err = nft_text_set(r, t, ids[i], t->held[ids[i]].v,
				   t->held[ids[i]].n);
	for (i = 0; i < n; i++) {
		if (!err && r->keep && nft_sets[ids[i]].tier == NFT_T_EMERG) {
			/* for the part: moved, not copied */
			nft_elems_free(&r->keep[ids[i]]);
			r->keep[ids[i]] = t->held[ids[i]];
			memset(&t->held[ids[i]], 0, sizeof(t->held[0]));
		}
		nft_elems_free(&t->held[ids[i]]);
	}
	return err;
}

static int nft_text_rule(struct pw_sink *out, const struct nft_rule *r)
{
	static const char *const fam[] = {
		[NFT_KEY_V4] = "ip", [NFT_KEY_V6] = "ip6",
	};
	const struct nft_setdef *d = &nft_sets[r->set];
	int err;

	if (r->match == NFT_M_DPORT)
		err = pw_sink_printf(out, "\t\t%s%s dport @%s",
				     r->nfproto == NFPROTO_IPV4 ?
					     "meta nfproto ipv4 " :
				     r->nfproto == NFPROTO_IPV6 ?
					     "meta nfproto ipv6 " : "",
				     d->l4proto == IPPROTO_UDP ? "udp" : "tcp",
				     d->name);
	else
		err = pw_sink_printf(out, "\t\t%s %s @%s", fam[d->key],
				     r->match == NFT_M_SADDR ? "saddr" :
							       "daddr",
				     d->name);
	if (!err && r->counter)
		err = pw_sink_printf(out, " counter name \"%s\"", d->name);
	if (!err && r->offenders >= 0)
		err = pw_sink_printf(out, " update @%s { %s saddr counter }",
				     nft_sets[r->offenders].name,
				     r->offenders == NFT_S_OFF_V4 ? "ip" :
								    "ip6");
	if (!err && r->log)
		err = r->prefix && r->prefix[0] ?
			pw_sink_printf(out, " log prefix \"%s\"", r->prefix) :
			pw_sink_printf(out, " log");
	if (err)
		return err;
	switch (r->verdict) {
	case NFT_V_RETURN:
		return pw_sink_printf(out, " return\n");
	case NFT_V_DROP:
		return pw_sink_printf(out, " drop\n");
	case NFT_V_REJECT:
		return pw_sink_printf(out,
				      " reject with icmpx admin-prohibited\n");
	default:
		return pw_sink_printf(out, "\n");
	}
}

static int nft_text_header(struct nft_run *r, struct pw_sink *out,
			   const char *mode)
{
	static const struct {
		const char *label;
		enum nft_sid s[4];
		size_t n;
	} tiers[] = {
		{ "feed:     ", { NFT_S_FEED_V4, NFT_S_FEED_V6, NFT_S_PORTS,
			      NFT_S_PORTS_UDP }, 4 },
		{ "emergency:", { NFT_S_EMERG_V4, NFT_S_EMERG_V6,
			      NFT_S_EMERG_PORTS, NFT_S_EMERG_PORTS_UDP }, 4 },
		{ "monitor:  ", { NFT_S_MON_V4, NFT_S_MON_V6, NFT_S_MON_PORTS,
			      NFT_S_MON_PORTS_UDP }, 4 },
		{ "exempt:   ", { NFT_S_EXEMPT_V4, NFT_S_EXEMPT_V6 }, 2 },
	};
	const struct nft_stats *st = &r->st;
	time_t t = (time_t)r->now;
	char when[32] = "?";
	struct tm tm;
	size_t i;
	int err;

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	err = pw_sink_printf(out, "#!/usr/sbin/nft -f\n"
			     "# poolwall nftables ruleset for table inet %s "
			     "(mode=%s)\n# generator: poolwall %s\n"
			     "# generated: %s\n", r->cfg->table, mode,
			     PACKAGE_VERSION, when);
	for (i = 0; i < sizeof(tiers) / sizeof(tiers[0]) && !err; i++) {
		const enum nft_sid *s = tiers[i].s;

		if (r->part && s[0] == NFT_S_EMERG_V4) {
			/* they change without this file: not counted here */
			err = pw_sink_printf(out, "# %s in the part included "
					     "at the end\n", tiers[i].label);
			continue;
		}
		err = pw_sink_printf(out, "# %s %lu ipv4, %lu ipv6",
				     tiers[i].label, st->n[s[0]], st->n[s[1]]);
		if (!err && tiers[i].n == 4)
			err = pw_sink_printf(out, ", %lu tcp ports, "
					     "%lu udp ports", st->n[s[2]],
					     st->n[s[3]]);
		if (!err)
			err = pw_sink_printf(out, "\n");
	}
	if (!err)
		err = pw_sink_printf(out, "# not for nft: %lu domains, %lu "
				     "urls, %lu wallets, %lu hashes\n",
				     st->other[PW_I_DOMAIN],
				     st->other[PW_I_URL],
				     st->other[PW_I_WALLET],
				     st->other[PW_I_HASH]);
	if (!err && st->expired)
		err = pw_sink_printf(out, "# left out: %lu already expired\n",
				     st->expired);
	if (!err)
		err = pw_sink_printf(out,
			"#\n# Loading it replaces the whole table in one "
			"transaction; its counters\n# and offender sets "
			"start again from zero.\n");
	return err;
}

struct nft_text_one {
	struct nft_text *t;
	enum nft_sid id;
};

static int nft_text_one_cb(void *ctx, const struct nft_elem *e)
{
	struct nft_text_one *o = ctx;

	return nft_text_elem(o->t, o->id, e);
}

/* Every set, its elements taken from a prebuilt element batch. */
static int nft_text_sets_from(struct nft_run *r, struct nft_text *t,
			      const struct nft_elembatch *eb)
{
	size_t i;
	int err = 0;

	/* nft_sets[] is in the order of the file */
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		struct nft_text_one o = { t, (enum nft_sid)i };

		err = nft_text_set_open(r, t->out, o.id);
		t->n = 0;
		if (!err && nft_text_n(r, o.id))
			err = nft_elembatch_foreach(eb, r, o.id,
						    nft_text_one_cb, &o);
		if (!err)
			err = nft_text_set_close(r, t, o.id);
	}
	return err;
}

int nft_render_ruleset(struct nft_run *r, struct pw_sink *out,
		       const char *mode, const struct nft_elembatch *eb)
{
	const struct nft_cfg *cfg = r->cfg;
	struct nft_text t = { .out = out };
	struct nft_rules rs;
	unsigned h;
	size_t i;
	int k, err = 0;

	if (!eb)
		err = nft_run_count(r);
	if (!err)
		err = nft_text_header(r, out, mode);
	if (!err)
		err = pw_sink_printf(out, "table inet %s\ndelete table inet %s"
				     "\n\ntable inet %s {\n", cfg->table,
				     cfg->table, cfg->table);
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		if (nft_set_counted(cfg, (enum nft_sid)i))
			err = pw_sink_printf(out, "\tcounter %s {\n\t}\n",
					     nft_sets[i].name);
	}
	if (eb) {
		err = err ? err : nft_text_sets_from(r, &t, eb);
	} else {
		err = err ? err : nft_text_set(r, &t, NFT_S_EXEMPT_V4,
						cfg->exempt4, cfg->n_exempt4);
		err = err ? err : nft_text_set(r, &t, NFT_S_EXEMPT_V6,
						cfg->exempt6, cfg->n_exempt6);
		for (k = NFT_KEY_V4; k <= NFT_KEY_PORT && !err; k++)
			err = nft_text_kind(r, &t, (enum nft_key)k);
		err = err ? err : nft_text_set(r, &t, NFT_S_OFF_V4, NULL, 0);
		err = err ? err : nft_text_set(r, &t, NFT_S_OFF_V6, NULL, 0);
	}
	nft_rules(cfg, &rs);
	for (h = 0; h < NFT_N_HOOKS && !err; h++) {
		if (!(cfg->hooks & (1u << h)))
			continue;
		err = pw_sink_printf(out, "\tchain %s {\n\t\ttype filter hook "
				     "%s priority %d; policy accept;\n",
				     nft_hooks[h], nft_hooks[h],
				     (int)cfg->prio);
		for (i = 0; i < rs.n && !err; i++)
			err = nft_text_rule(out, &rs.r[i]);
		if (!err)
			err = pw_sink_printf(out, "\t}\n");
	}
	if (!err)
		err = pw_sink_printf(out, "}\n");
	/* the emergency elements, last: the sets and rules exist by then,
	 * and it all stays one transaction */
	if (!err && r->part)
		err = pw_sink_printf(out, "include \"%s\"\n", r->part);
	free(t.buf);
	return err;
}

const enum nft_sid nft_emerg_sets[4] = {
	NFT_S_EMERG_V4, NFT_S_EMERG_V6, NFT_S_EMERG_PORTS,
	NFT_S_EMERG_PORTS_UDP,
};

bool nft_path_ok(const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	/* nft reads the include between double quotes, with no escapes */
	if (*p != '/')
		return false;
	for (; *p; p++) {
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\' ||
		    *p == '$')
			return false;
	}
	return true;
}

int nft_render_emerg(const struct nft_run *r, struct pw_sink *out,
		     const char *mode, const struct nft_elems *v,
		     unsigned long expired, const char *mainpath)
{
	const char *tbl = r->cfg->table;
	struct nft_run rr = *r;
	struct nft_text t = { .out = out };
	time_t now = (time_t)r->now;
	char when[32] = "?";
	struct tm tm;
	size_t i, j;
	int err;

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	err = pw_sink_printf(out, "#!/usr/sbin/nft -f\n"
			     "# poolwall nftables emergency entries for table "
			     "inet %s (mode=%s)\n# generator: poolwall %s\n"
			     "# generated: %s\n# emergency: %zu ipv4, %zu "
			     "ipv6, %zu tcp ports, %zu udp ports\n", tbl,
			     mode, PACKAGE_VERSION, when,
			     v[NFT_S_EMERG_V4].n, v[NFT_S_EMERG_V6].n,
			     v[NFT_S_EMERG_PORTS].n,
			     v[NFT_S_EMERG_PORTS_UDP].n);
	if (!err && expired)
		err = pw_sink_printf(out, "# left out: %lu already expired\n",
				     expired);
	if (!err && mainpath)
		err = pw_sink_printf(out, "#\n# The ruleset %s includes this "
				     "file at its end.\n", mainpath);
	if (!err)
		err = pw_sink_printf(out, "#%s block, unblock and expire "
				     "rewrite only this file.  Loaded alone, "
				     "it\n# replaces the content of the "
				     "emergency sets in one transaction and\n"
				     "# touches nothing else.\n",
				     mainpath ? "" : "\n#");
	/* the sets as the main file declares them: created if missing */
	rr.part = NULL;
	memset(&rr.st, 0, sizeof(rr.st));
	if (!err)
		err = pw_sink_printf(out, "table inet %s {\n", tbl);
	for (i = 0; i < 4 && !err; i++) {
		err = nft_text_set_open(&rr, out, nft_emerg_sets[i]);
		if (!err)
			err = pw_sink_printf(out, "\t}\n");
	}
	if (!err)
		err = pw_sink_printf(out, "}\n");
	for (i = 0; i < 4 && !err; i++)
		err = pw_sink_printf(out, "flush set inet %s %s\n", tbl,
				     nft_sets[nft_emerg_sets[i]].name);
	for (i = 0; i < 4 && !err; i++) {
		enum nft_sid id = nft_emerg_sets[i];

		if (!v[id].n)
			continue;
		err = pw_sink_printf(out, "add element inet %s %s {\n", tbl,
				     nft_sets[id].name);
		t.n = 0;
		for (j = 0; j < v[id].n && !err; j++)
			err = nft_text_elem(&t, id, &v[id].v[j]);
		if (!err)
			err = nft_text_flush(&t);
		if (!err)
			err = pw_sink_printf(out, "\n}\n");
	}
	free(t.buf);
	return err;
}
