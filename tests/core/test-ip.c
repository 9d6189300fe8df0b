/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses, prefixes, ranges and ports: strict syntax, host bits,
 * IPv4-mapped IPv6, too-short and reserved prefixes, a-b ranges split into
 * exact prefix lists, protocol/port forms and protected ports.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "normalize.h"
#include "tap.h"

static struct pw_arena *arena;
static struct pw_norm_opts opts;
static struct pw_ind out[PW_IND_MAX];

static const char *fmt_ind(const struct pw_ind *in)
{
	static char bufs[4][128];
	static unsigned k;
	char *b = bufs[k++ % 4];

	if (pw_ind_format(in, b, sizeof(bufs[0])) < 0)
		return "(unformattable)";
	return b;
}

static void ip_ok(const char *tok, const char *want, unsigned note)
{
	struct pw_ind in;
	int err;

	memset(&in, 0xa5, sizeof(in));
	err = pw_norm_ip(&opts, tok, strlen(tok), &in);
	if (err) {
		ok(0, "'%s' accepted (refused: %s)", tok, pw_reason_name(-err));
		return;
	}
	is_str(fmt_ind(&in), want, "'%s' -> '%s'", tok, want);
	is_int(in.note, note, "'%s' notes 0x%x", tok, note);
}

static void ip_bad(const char *tok, int reason)
{
	struct pw_ind in;
	int err = pw_norm_ip(&opts, tok, strlen(tok), &in);

	if (!tap_ok(err == -reason, "'%s' refused: %s", tok,
		    pw_reason_name(reason)))
		printf("#   got: %s\n",
		       err ? pw_reason_name(-err) : fmt_ind(&in));
}

/* a range and the exact prefix list it must become */
static void range_is(const char *tok, const char *want)
{
	char got[4096];
	size_t len = 0;
	int n, i;

	n = pw_norm_range(&opts, tok, strlen(tok), out, PW_IND_MAX);
	if (n < 0) {
		ok(0, "range '%s' accepted (refused: %s)", tok,
		   pw_reason_name(-n));
		return;
	}
	got[0] = '\0';
	for (i = 0; i < n && len < sizeof(got); i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
					i ? " " : "", fmt_ind(&out[i]));
	is_str(got, want, "range '%s'", tok);
}

static void range_bad(const char *tok, int reason)
{
	int n = pw_norm_range(&opts, tok, strlen(tok), out, PW_IND_MAX);

	if (!tap_ok(n == -reason, "range '%s' refused: %s", tok,
		    pw_reason_name(reason)))
		printf("#   got: %d\n", n);
}

static void port_ok(const char *tok, const char *want)
{
	struct pw_ind in;
	int err = pw_norm_port(&opts, tok, strlen(tok), &in);

	if (err) {
		ok(0, "port '%s' accepted (refused: %s)", tok,
		   pw_reason_name(-err));
		return;
	}
	is_str(fmt_ind(&in), want, "port '%s' -> '%s'", tok, want);
}

static void port_bad(const char *tok, int reason)
{
	struct pw_ind in;
	int err = pw_norm_port(&opts, tok, strlen(tok), &in);

	if (!tap_ok(err == -reason, "port '%s' refused: %s", tok,
		    pw_reason_name(reason)))
		printf("#   got: %s\n",
		       err ? pw_reason_name(-err) : fmt_ind(&in));
}

static void test_v4(void)
{
	struct pw_ind in;

	is_int(pw_norm_ip(&opts, "185.141.25.35", 13, &in), 0, "an address");
	is_int(in.kind, PW_I_IPV4, "kind ipv4");
	is_int(in.plen, 32, "plen 32");
	is_int(in.a.v4, 0xb98d1923u, "stored in host byte order");
	ip_ok("185.141.25.35", "185.141.25.35", 0);
	ip_ok("5.9.0.255", "5.9.0.255", 0);
	ip_ok("185.141.25.0/24", "185.141.25.0/24", 0);
	ip_ok("185.141.25.35/24", "185.141.25.0/24", PW_N_HOSTBITS);
	ip_ok("185.141.25.35/32", "185.141.25.35", 0);
	ip_ok("1.0.0.0/8", "1.0.0.0/8", 0);
	ip_bad("010.1.1.1", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.04", PW_R_IP_SYNTAX);
	ip_bad("1.2.3", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.4.5", PW_R_IP_SYNTAX);
	ip_bad("256.1.1.1", PW_R_IP_SYNTAX);
	ip_bad("1..2.3", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.4a", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.+4", PW_R_IP_SYNTAX);
	ip_bad("", PW_R_IP_SYNTAX);
	ip_bad("1.2.3.4/33", PW_R_PREFIX_LEN);
	ip_bad("1.2.3.4/", PW_R_PREFIX_LEN);
	ip_bad("1.2.3.4/024", PW_R_PREFIX_LEN);
	ip_bad("1.2.3.4/2x", PW_R_PREFIX_LEN);
	ip_bad("1.2.3/24", PW_R_IP_SYNTAX);
	ip_bad("1.0.0.0/7", PW_R_PREFIX_SHORT);
	ip_bad("0.0.0.0/0", PW_R_PREFIX_SHORT);

	/* reserved: inside refused, partial overlap accepted */
	ip_bad("10.1.2.3", PW_R_RESERVED);
	ip_bad("10.0.0.0/8", PW_R_RESERVED);
	ip_bad("192.168.1.1", PW_R_RESERVED);
	ip_bad("127.0.0.1", PW_R_RESERVED);
	ip_bad("169.254.1.1", PW_R_RESERVED);
	ip_bad("224.0.0.251", PW_R_RESERVED);
	ip_bad("100.64.0.1", PW_R_RESERVED);
	ip_bad("255.255.255.255", PW_R_RESERVED);
	ip_ok("172.0.0.0/8", "172.0.0.0/8", 0);
	ip_bad("192.0.2.1", PW_R_RESERVED);
	ip_bad("198.51.100.0/24", PW_R_RESERVED);
	opts.allow_doc = true;
	ip_ok("192.0.2.1", "192.0.2.1", 0);
	ip_bad("10.1.2.3", PW_R_RESERVED);
	opts.allow_doc = false;
	opts.allow_entry = true;
	ip_ok("10.0.0.0/8", "10.0.0.0/8", 0);
	ip_ok("0.0.0.0/0", "0.0.0.0/0", 0);
	ip_ok("192.168.1.7/24", "192.168.1.0/24", PW_N_HOSTBITS);
	opts.allow_entry = false;
}

static void test_v6(void)
{
	struct pw_ind in;
	static const unsigned char want[16] = {
		0x2a, 0x01, 0x04, 0xf8, 0x0c, 0x17, 0x00, 0x01,
		0, 0, 0, 0, 0, 0, 0, 0x05,
	};

	is_int(pw_norm_ip(&opts, "2a01:4f8:c17:1::5", 17, &in), 0,
	       "an IPv6 address");
	is_int(in.kind, PW_I_IPV6, "kind ipv6");
	is_int(in.plen, 128, "plen 128");
	ok(memcmp(in.a.v6, want, 16) == 0, "stored in network order");
	ip_ok("2A01:04F8:0C17:0001:0000:0000:0000:0005", "2a01:4f8:c17:1::5",
	      0);
	ip_ok("2a01:4f8::/32", "2a01:4f8::/32", 0);
	ip_ok("2a01:4f8:c17:1::5/64", "2a01:4f8:c17:1::/64", PW_N_HOSTBITS);
	ip_ok("2a01:4f8:c17:1::5/63", "2a01:4f8:c17::/63", PW_N_HOSTBITS);
	ip_bad("2a01::/16", PW_R_PREFIX_SHORT);
	ip_bad("2a01:4f8::/31", PW_R_PREFIX_SHORT);
	ip_bad("2a01:4f8::/129", PW_R_PREFIX_LEN);
	ip_bad("2a01:4f8:::1", PW_R_IP_SYNTAX);
	ip_bad("2a01:4f8::g", PW_R_IP_SYNTAX);
	ip_bad("fe80::1%eth0", PW_R_IP_SYNTAX);
	ip_bad("1:2:3:4:5:6:7:8:9", PW_R_IP_SYNTAX);
	ip_bad("::1", PW_R_RESERVED);
	ip_bad("::", PW_R_RESERVED);
	ip_bad("fe80::1", PW_R_RESERVED);
	ip_bad("fd00::1", PW_R_RESERVED);
	ip_bad("ff02::1", PW_R_RESERVED);
	ip_bad("2001:db8::1", PW_R_RESERVED);
	opts.allow_doc = true;
	ip_ok("2001:db8::1", "2001:db8::1", 0);
	opts.allow_doc = false;
	opts.allow_entry = true;
	ip_ok("::/0", "::/0", 0);
	opts.allow_entry = false;

	/* IPv4-mapped becomes IPv4 */
	is_int(pw_norm_ip(&opts, "::ffff:185.141.25.35", 20, &in), 0,
	       "a mapped address");
	is_int(in.kind, PW_I_IPV4, "... becomes IPv4");
	ip_ok("::ffff:185.141.25.35", "185.141.25.35", PW_N_MAPPED);
	ip_ok("::FFFF:b98d:1923", "185.141.25.35", PW_N_MAPPED);
	ip_ok("::ffff:185.141.25.0/120", "185.141.25.0/24", PW_N_MAPPED);
	ip_ok("::ffff:185.141.25.35/120", "185.141.25.0/24",
	      PW_N_MAPPED | PW_N_HOSTBITS);
	ip_bad("::ffff:10.0.0.1", PW_R_RESERVED);
	ip_bad("::ffff:0:0/96", PW_R_PREFIX_SHORT);
	ip_bad("::ffff:185.141.25.35/129", PW_R_PREFIX_LEN);
	ip_bad("::ffff:01.2.3.4", PW_R_IP_SYNTAX);
}

static void test_ranges(void)
{
	char big[128];
	int n, i, ok_all;

	range_is("185.141.25.0-185.141.25.255", "185.141.25.0/24");
	range_is("185.141.25.1-185.141.25.6",
		 "185.141.25.1 185.141.25.2/31 185.141.25.4/31 185.141.25.6");
	range_is("185.141.25.10 - 185.141.25.20",
		 "185.141.25.10/31 185.141.25.12/30 185.141.25.16/30 "
		 "185.141.25.20");
	range_is("185.141.25.7-185.141.25.7", "185.141.25.7");
	range_is("1.0.0.0-1.255.255.255", "1.0.0.0/8");
	range_is("1.0.0.0-2.255.255.255", "1.0.0.0/8 2.0.0.0/8");
	range_is("185.141.24.255-185.141.26.0",
		 "185.141.24.255 185.141.25.0/24 185.141.26.0");
	range_is("2a01:4f8::-2a01:4f8::ff", "2a01:4f8::/120");
	range_is("2a01:4f8::ff-2a01:4f8::100", "2a01:4f8::ff 2a01:4f8::100");
	range_is("::ffff:185.141.25.0-::ffff:185.141.25.127",
		 "185.141.25.0/25");
	ok(out[0].note & PW_N_MAPPED, "mapped range noted");
	range_bad("185.141.25.9-185.141.25.1", PW_R_RANGE);
	range_bad("185.141.25.1-2a01:4f8::1", PW_R_RANGE);
	range_bad("185.141.25-185.141.25.9", PW_R_IP_SYNTAX);
	range_bad("185.141.25.1-", PW_R_IP_SYNTAX);
	range_bad("185.141.25.1", PW_R_RANGE);
	range_bad("0.0.0.0-255.255.255.255", PW_R_PREFIX_SHORT);
	range_bad("10.0.0.0-10.0.0.255", PW_R_RESERVED);
	/* the part inside a reserved range is dropped */
	range_is("9.255.255.0-10.0.0.255", "9.255.255.0/24");

	/* the worst IPv6 split inside one /32: 2 * 96 - 2 prefixes */
	n = pw_norm_range(&opts,
			  "2a01:4f8::1-2a01:4f8:ffff:ffff:ffff:ffff:ffff:fffe",
			  50, out, PW_IND_MAX);
	is_int(n, 190, "a /32 minus its ends splits into 190 prefixes");
	if (n == 190) {
		is_str(fmt_ind(&out[0]), "2a01:4f8::1", "first prefix");
		is_str(fmt_ind(&out[1]), "2a01:4f8::2/127", "second prefix");
		is_str(fmt_ind(&out[94]), "2a01:4f8:4000::/34",
		       "the last prefix going up");
		is_str(fmt_ind(&out[95]), "2a01:4f8:8000::/34",
		       "the first prefix going down");
		is_str(fmt_ind(&out[189]),
		       "2a01:4f8:ffff:ffff:ffff:ffff:ffff:fffe", "last prefix");
		ok_all = 1;
		for (i = 0; i < n; i++)
			ok_all &= out[i].plen == out[n - 1 - i].plen &&
				  out[i].kind == PW_I_IPV6;
		ok(ok_all, "prefix lengths rise to /34 and fall back");
	}
	n = pw_norm_range(&opts, "2a01:4f8::1-2a01:4f8::fe", 24, out, 10);
	is_int(n, -PW_R_RANGE, "a split over the cap is refused");
	n = pw_norm_range(&opts, "185.141.25.0-185.141.25.255", 27, out, 1);
	is_int(n, 1, "a split that just fits the cap");
	/* all of IPv6 minus both ends: the most a token can give */
	opts.allow_entry = true;
	snprintf(big, sizeof(big), "%s",
		 "::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
	n = pw_norm_range(&opts, big, strlen(big), out, PW_IND_MAX);
	is_int(n, 254, "the largest split is 254 prefixes");
	opts.allow_entry = false;

	/* through pw_normalize */
	memset(out, 0, sizeof(out));
	n = pw_normalize(arena, &opts, "185.141.25.1-185.141.25.6", 25,
			 PW_H_IP, 0, out);
	is_int(n, 4, "pw_normalize returns every prefix of a range");
	is_int(out[3].kind, PW_I_IPV4, "each is an IPv4 prefix");
	n = pw_normalize(arena, &opts, "10.0.0.0 - 10.255.255.255", 25,
			 PW_H_ANY, 0, out);
	is_int(n, -PW_R_RESERVED, "a reserved range under ANY");
}

static void test_ports(void)
{
	struct pw_ind in;

	is_int(pw_norm_port(&opts, "3333", 4, &in), 0, "a bare port");
	is_int(in.kind, PW_I_PORT, "kind port");
	is_int(in.mode, PW_PROTO_TCP, "a bare port is tcp");
	is_int(in.port_lo, 3333, "port_lo");
	is_int(in.port_hi, 3333, "port_hi");
	port_ok("3333", "tcp/3333");
	port_ok("tcp/3333", "tcp/3333");
	port_ok("3333/tcp", "tcp/3333");
	port_ok("udp/3333", "udp/3333");
	port_ok("3333/UDP", "udp/3333");
	port_ok("any/3333", "any/3333");
	port_ok("TCP/14433-14444", "tcp/14433-14444");
	port_ok("14433-14444", "tcp/14433-14444");
	port_ok("14433-14444/udp", "udp/14433-14444");
	port_ok("65535", "tcp/65535");
	port_ok("1024", "tcp/1024");
	port_ok("1081-1193", "tcp/1081-1193");
	port_bad("0", PW_R_PORT_SYNTAX);
	port_bad("65536", PW_R_PORT_SYNTAX);
	port_bad("03333", PW_R_PORT_SYNTAX);
	port_bad("14444-14433", PW_R_PORT_SYNTAX);
	port_bad("14433-", PW_R_PORT_SYNTAX);
	port_bad("tcp/", PW_R_PORT_SYNTAX);
	port_bad("sctp/3333", PW_R_PORT_SYNTAX);
	port_bad("tcp/3333/udp", PW_R_PORT_SYNTAX);
	port_bad("-3333", PW_R_PORT_SYNTAX);
	port_bad("33 33", PW_R_PORT_SYNTAX);
	port_bad("", PW_R_PORT_SYNTAX);
	port_bad("80", PW_R_PORT_PROTECTED);
	port_bad("443", PW_R_PORT_PROTECTED);
	port_bad("1023", PW_R_PORT_PROTECTED);
	port_bad("udp/53", PW_R_PORT_PROTECTED);
	port_bad("3389", PW_R_PORT_PROTECTED);
	port_bad("8080", PW_R_PORT_PROTECTED);
	port_bad("27017", PW_R_PORT_PROTECTED);
	port_bad("1000-2000", PW_R_PORT_PROTECTED);
	port_bad("8001-8100", PW_R_PORT_PROTECTED);
	port_bad("1080-1081", PW_R_PORT_PROTECTED);
	opts.allow_entry = true;
	port_ok("443", "tcp/443");
	port_ok("1-65535", "tcp/1-65535");
	opts.allow_entry = false;
}

static void test_defaults(void)
{
	struct pw_norm_opts o;
	size_t i;
	int sorted = 1;

	pw_norm_opts_default(&o);
	is_int(o.n_stratum, 14, "14 stratum ports");
	is_int(o.n_protected, 22, "22 protected ports");
	for (i = 1; i < o.n_stratum; i++)
		sorted &= o.stratum[i - 1] < o.stratum[i];
	for (i = 1; i < o.n_protected; i++)
		sorted &= o.protected_ports[i - 1] < o.protected_ports[i];
	ok(sorted, "both lists are sorted");
	is_int(o.stratum[0], 3333, "first stratum port");
	is_int(o.stratum[o.n_stratum - 1], 45700, "last stratum port");
	is_int(o.protected_ports[0], 1080, "first protected port");
	ok(!o.allow_doc && !o.allow_entry, "no opt-ins by default");
	is_int(o.dmode_default, PW_D_TREE, "names cover subdomains by default");
}

int main(void)
{
	arena = pw_arena_new();
	if (!arena)
		return 1;
	pw_norm_opts_default(&opts);
	test_v4();
	test_v6();
	test_ranges();
	test_ports();
	test_defaults();
	pw_arena_free(arena);
	pw_normalize_cleanup();
	return tap_done();
}
