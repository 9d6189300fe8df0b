/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses, prefixes, ranges and ports (formats.md section 0): strict
 * dotted quads, inet_pton() for IPv6, host bits cleared, IPv4-mapped IPv6
 * turned into IPv4, too-short prefixes and reserved ranges refused, a-b
 * ranges split into the minimal list of prefixes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "reserved.h"

#define IP_V4_MIN_PLEN 8
#define IP_V6_MIN_PLEN 32

/* a parsed address: IPv4 in host order, or IPv6 in network order */
struct ip_addr {
	bool v6;
	bool mapped;		/* ::ffff:a.b.c.d turned into IPv4 */
	uint32_t v4;
	uint8_t a6[16];
};

/* IPv6 as two 64-bit halves, for range arithmetic */
struct ip_u128 {
	uint64_t hi, lo;
};

static const struct pw_norm_opts *ip_opts(const struct pw_norm_opts *o,
					  struct pw_norm_opts *def)
{
	if (o)
		return o;
	pw_norm_opts_default(def);
	return def;
}

static bool ip_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void ip_trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* Dotted quad only: four parts 0..255, no leading zeros, no shorthand. */
static int ip_parse4(const char *s, size_t len, uint32_t *out)
{
	uint32_t acc = 0;
	unsigned part = 0, digits = 0, parts = 0;
	size_t i;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (!digits || parts == 4)
				return -PW_R_IP_SYNTAX;
			acc = acc << 8 | part;
			parts++;
			part = 0;
			digits = 0;
			continue;
		}
		if (!ip_is_digit(s[i]) || (digits == 1 && part == 0))
			return -PW_R_IP_SYNTAX;
		part = part * 10 + (unsigned)(s[i] - '0');
		digits++;
		if (part > 255)
			return -PW_R_IP_SYNTAX;
	}
	if (parts != 4)
		return -PW_R_IP_SYNTAX;
	*out = acc;
	return 0;
}

static int ip_parse6(const char *s, size_t len, uint8_t out[16])
{
	char buf[INET6_ADDRSTRLEN];

	if (len >= sizeof(buf))
		return -PW_R_IP_SYNTAX;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, out) != 1)
		return -PW_R_IP_SYNTAX;
	return 0;
}

static bool ip_is_mapped(const uint8_t a6[16])
{
	static const uint8_t pre[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	return memcmp(a6, pre, sizeof(pre)) == 0;
}

static uint32_t ip_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* an address without prefix length; a mapped one becomes IPv4 */
static int ip_parse_addr(const char *s, size_t len, struct ip_addr *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	if (!memchr(s, ':', len))
		return ip_parse4(s, len, &a->v4);
	err = ip_parse6(s, len, a->a6);
	if (err)
		return err;
	if (ip_is_mapped(a->a6)) {
		a->v4 = ip_get32(a->a6 + 12);
		a->mapped = true;
		return 0;
	}
	a->v6 = true;
	return 0;
}

/* "/len": 0..max, decimal, no leading zeros; -1 if bad */
static int ip_parse_plen(const char *s, size_t len, int max)
{
	int v = 0;
	size_t i;

	if (!len || len > 3 || (s[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (!ip_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static uint32_t ip_mask4(unsigned plen)
{
	return plen ? ~(uint32_t)0 << (32 - plen) : 0;
}

static void ip_mask6(uint8_t a6[16], unsigned plen, bool *changed)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		uint8_t keep, v;

		if (plen >= 8 * (i + 1))
			keep = 0xff;
		else if (plen <= 8 * i)
			keep = 0;
		else
			keep = (uint8_t)(0xff << (8 - (plen - 8 * i)));
		v = a6[i] & keep;
		if (v != a6[i])
			*changed = true;
		a6[i] = v;
	}
}

static void ip_last6(const uint8_t lo[16], unsigned plen, uint8_t hi[16])
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		uint8_t host;

		if (plen >= 8 * (i + 1))
			host = 0;
		else if (plen <= 8 * i)
			host = 0xff;
		else
			host = (uint8_t)(0xff >> (plen - 8 * i));
		hi[i] = lo[i] | host;
	}
}

/* the refusals every prefix goes through (skipped for allow entries) */
static int ip_check4(const struct pw_norm_opts *o, uint32_t net,
		     unsigned plen)
{
	if (o->allow_entry)
		return 0;
	if (plen < IP_V4_MIN_PLEN)
		return -PW_R_PREFIX_SHORT;
	if (pw_reserved_v4(net, net | ~ip_mask4(plen), o->allow_doc, NULL) ==
	    2)
		return -PW_R_RESERVED;
	return 0;
}

static int ip_check6(const struct pw_norm_opts *o, const uint8_t net[16],
		     unsigned plen)
{
	uint8_t hi[16];

	if (o->allow_entry)
		return 0;
	if (plen < IP_V6_MIN_PLEN)
		return -PW_R_PREFIX_SHORT;
	ip_last6(net, plen, hi);
	if (pw_reserved_v6(net, hi, o->allow_doc, NULL) == 2)
		return -PW_R_RESERVED;
	return 0;
}

static void ip_fill4(struct pw_ind *out, uint32_t net, unsigned plen,
		     uint8_t note)
{
	memset(out, 0, sizeof(*out));
	out->kind = PW_I_IPV4;
	out->a.v4 = net;
	out->plen = (uint8_t)plen;
	out->note = note;
}

static void ip_fill6(struct pw_ind *out, const uint8_t net[16],
		     unsigned plen, uint8_t note)
{
	memset(out, 0, sizeof(*out));
	out->kind = PW_I_IPV6;
	memcpy(out->a.v6, net, 16);
	out->plen = (uint8_t)plen;
	out->note = note;
}

int pw_norm_ip(const struct pw_norm_opts *o, const char *s, size_t len,
	       struct pw_ind *out)
{
	struct pw_norm_opts def;
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	struct ip_addr a;
	uint8_t note = 0;
	bool hostbits = false;
	int plen = -1, err;

	o = ip_opts(o, &def);
	err = ip_parse_addr(s, alen, &a);
	if (err)
		return err;
	if (slash) {
		plen = ip_parse_plen(slash + 1, len - alen - 1,
				     a.v6 || a.mapped ? 128 : 32);
		if (plen < 0)
			return -PW_R_PREFIX_LEN;
	}
	if (a.mapped && plen >= 0 && plen < 96) {
		/* a prefix wider than the mapped block stays IPv6 */
		a.v6 = true;
		a.mapped = false;
	}
	if (a.v6) {
		if (plen < 0)
			plen = 128;
		ip_mask6(a.a6, (unsigned)plen, &hostbits);
		err = ip_check6(o, a.a6, (unsigned)plen);
		if (err)
			return err;
		ip_fill6(out, a.a6, (unsigned)plen,
			 hostbits ? PW_N_HOSTBITS : 0);
		return 0;
	}
	if (plen < 0)
		plen = 32;
	else if (a.mapped)
		plen -= 96;
	if (a.mapped)
		note |= PW_N_MAPPED;
	if (a.v4 & ~ip_mask4((unsigned)plen))
		note |= PW_N_HOSTBITS;
	a.v4 &= ip_mask4((unsigned)plen);
	err = ip_check4(o, a.v4, (unsigned)plen);
	if (err)
		return err;
	ip_fill4(out, a.v4, (unsigned)plen, note);
	return 0;
}

/* ---- ranges ------------------------------------------------------------ */

static struct ip_u128 ip_u128_get(const uint8_t a6[16])
{
	struct ip_u128 x = { 0, 0 };
	unsigned i;

	for (i = 0; i < 8; i++) {
		x.hi = x.hi << 8 | a6[i];
		x.lo = x.lo << 8 | a6[i + 8];
	}
	return x;
}

static void ip_u128_put(struct ip_u128 x, uint8_t a6[16])
{
	int i;

	for (i = 7; i >= 0; i--) {
		a6[i] = (uint8_t)x.hi;
		a6[i + 8] = (uint8_t)x.lo;
		x.hi >>= 8;
		x.lo >>= 8;
	}
}

static int ip_u128_cmp(struct ip_u128 a, struct ip_u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static uint64_t ip_low64(unsigned k)
{
	return k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1;
}

/* x with its low k bits set */
static struct ip_u128 ip_u128_fill(struct ip_u128 x, unsigned k)
{
	x.lo |= ip_low64(k);
	if (k > 64)
		x.hi |= ip_low64(k - 64);
	return x;
}

/* are the low k bits of x zero? */
static bool ip_u128_aligned(struct ip_u128 x, unsigned k)
{
	if (x.lo & ip_low64(k))
		return false;
	return k <= 64 || !(x.hi & ip_low64(k - 64));
}

static struct ip_u128 ip_u128_inc(struct ip_u128 x)
{
	x.lo++;
	if (x.lo == 0)
		x.hi++;
	return x;
}

/*
 * Split [lo, hi] of a `bits`-wide family into the largest aligned blocks.
 * IPv4 values sit in the low 32 bits.  Returns the count or -PW_R_RANGE.
 */
static int ip_split(struct ip_u128 lo, struct ip_u128 hi, unsigned bits,
		    struct ip_u128 *nets, unsigned *plens, size_t cap)
{
	size_t n = 0;

	for (;;) {
		struct ip_u128 last;
		unsigned k = 0;

		while (k < bits && ip_u128_aligned(lo, k + 1) &&
		       ip_u128_cmp(ip_u128_fill(lo, k + 1), hi) <= 0)
			k++;
		if (n == cap)
			return -PW_R_RANGE;
		nets[n] = lo;
		plens[n] = bits - k;
		n++;
		last = ip_u128_fill(lo, k);
		if (ip_u128_cmp(last, hi) >= 0)
			break;
		lo = ip_u128_inc(last);
	}
	return (int)n;
}

int pw_norm_range(const struct pw_norm_opts *o, const char *s, size_t len,
		  struct pw_ind *out, size_t cap)
{
	struct pw_norm_opts def;
	struct ip_u128 lo, hi, nets[256];
	unsigned plens[256];
	struct ip_addr a, b;
	const char *dash = memchr(s, '-', len), *l = s, *r;
	size_t ll, rl, i, max = cap < 256 ? cap : 256;
	uint8_t note;
	int n, err, kept = 0;

	o = ip_opts(o, &def);
	if (!dash)
		return -PW_R_RANGE;
	ll = (size_t)(dash - s);
	r = dash + 1;
	rl = len - ll - 1;
	ip_trim(&l, &ll);
	ip_trim(&r, &rl);
	err = ip_parse_addr(l, ll, &a);
	if (!err)
		err = ip_parse_addr(r, rl, &b);
	if (err)
		return err;
	if (a.v6 != b.v6)
		return -PW_R_RANGE;
	note = a.mapped || b.mapped ? PW_N_MAPPED : 0;
	if (a.v6) {
		lo = ip_u128_get(a.a6);
		hi = ip_u128_get(b.a6);
	} else {
		lo.hi = hi.hi = 0;
		lo.lo = a.v4;
		hi.lo = b.v4;
	}
	if (ip_u128_cmp(lo, hi) > 0)
		return -PW_R_RANGE;
	n = ip_split(lo, hi, a.v6 ? 128 : 32, nets, plens, max);
	if (n < 0)
		return n;
	for (i = 0; i < (size_t)n; i++) {
		uint8_t a6[16];

		/*
		 * Too short a prefix refuses the whole range; a prefix
		 * entirely inside a reserved range is dropped, like the
		 * set subtracts partial overlaps later.
		 */
		if (a.v6) {
			ip_u128_put(nets[i], a6);
			err = ip_check6(o, a6, plens[i]);
		} else {
			err = ip_check4(o, (uint32_t)nets[i].lo, plens[i]);
		}
		if (err == -PW_R_RESERVED)
			continue;
		if (err)
			return err;
		if (a.v6)
			ip_fill6(&out[kept], a6, plens[i], note);
		else
			ip_fill4(&out[kept], (uint32_t)nets[i].lo, plens[i],
				 note);
		kept++;
	}
	return kept ? kept : -PW_R_RESERVED;
}

/* ---- ports ------------------------------------------------------------- */

static int ip_u16cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

static bool ip_proto_word(const char *s, uint8_t *proto)
{
	char w[4];
	unsigned i;

	for (i = 0; i < 3; i++)
		w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
	w[3] = '\0';
	if (strcmp(w, "tcp") == 0)
		*proto = PW_PROTO_TCP;
	else if (strcmp(w, "udp") == 0)
		*proto = PW_PROTO_UDP;
	else if (strcmp(w, "any") == 0)
		*proto = PW_PROTO_BOTH;
	else
		return false;
	return true;
}

/* 1..65535, decimal, no sign, no leading zero; -1 if bad */
static long ip_port_num(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (!len || len > 5 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (!ip_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : -1;
}

static bool ip_port_protected(const struct pw_norm_opts *o, long lo, long hi)
{
	size_t i;

	if (lo <= 1023)
		return true;
	if (!o->protected_ports)
		return false;
	if (lo == hi)
		return bsearch(&(uint16_t){ (uint16_t)lo }, o->protected_ports,
			       o->n_protected, sizeof(uint16_t),
			       ip_u16cmp) != NULL;
	for (i = 0; i < o->n_protected; i++)
		if (o->protected_ports[i] >= lo && o->protected_ports[i] <= hi)
			return true;
	return false;
}

int pw_norm_port(const struct pw_norm_opts *o, const char *s, size_t len,
		 struct pw_ind *out)
{
	struct pw_norm_opts def;
	const char *dash;
	uint8_t proto = PW_PROTO_TCP;
	long lo, hi;

	o = ip_opts(o, &def);
	if (len > 4 && s[3] == '/' && ip_proto_word(s, &proto)) {
		s += 4;
		len -= 4;
	} else if (len > 4 && s[len - 4] == '/' &&
		   ip_proto_word(s + len - 3, &proto)) {
		len -= 4;
	}
	dash = memchr(s, '-', len);
	if (dash) {
		lo = ip_port_num(s, (size_t)(dash - s));
		hi = ip_port_num(dash + 1, len - (size_t)(dash - s) - 1);
	} else {
		lo = hi = ip_port_num(s, len);
	}
	if (lo < 1 || hi < 1 || lo > hi)
		return -PW_R_PORT_SYNTAX;
	if (!o->allow_entry && ip_port_protected(o, lo, hi))
		return -PW_R_PORT_PROTECTED;
	memset(out, 0, sizeof(*out));
	out->kind = PW_I_PORT;
	out->mode = proto;
	out->port_lo = (uint16_t)lo;
	out->port_hi = (uint16_t)hi;
	return 0;
}
