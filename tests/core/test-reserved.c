/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core/reserved.c: the tables and range classification. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "reserved.h"
#include "tap.h"

static uint32_t a4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return 0;
	return ntohl(a.s_addr);
}

static void a6(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		memset(out, 0xee, 16);
}

static int r4(const char *lo, const char *hi, bool doc, const char **name)
{
	return pw_reserved_v4(a4(lo), a4(hi), doc, name);
}

static int r6(const char *lo, const char *hi, bool doc, const char **name)
{
	uint8_t l[16], h[16];

	a6(lo, l);
	a6(hi, h);
	return pw_reserved_v6(l, h, doc, name);
}

static void test_tables(void)
{
	const struct pw_range4 *t4;
	const struct pw_range6 *t6;
	size_t n, i;
	bool sorted = true, named = true;
	int ndoc = 0;

	t4 = pw_reserved4(&n);
	is_int(n, 15, "15 IPv4 reserved ranges");
	for (i = 0; i < n; i++) {
		if (t4[i].lo > t4[i].hi || (i && t4[i].lo <= t4[i - 1].hi))
			sorted = false;
		if (!t4[i].name || !*t4[i].name)
			named = false;
		ndoc += t4[i].doc;
	}
	ok(sorted, "IPv4 table sorted by lo, non-overlapping");
	ok(named, "every IPv4 range has a name");
	is_int(ndoc, 3, "three IPv4 documentation ranges");
	is_int(t4[0].lo, 0, "0.0.0.0/8 first");
	is_int(t4[n - 1].hi, 0xffffffffu,
	       "240.0.0.0/4 reaches 255.255.255.255");

	t6 = pw_reserved6(&n);
	is_int(n, 11, "11 IPv6 reserved ranges");
	sorted = named = true;
	ndoc = 0;
	for (i = 0; i < n; i++) {
		if (memcmp(t6[i].lo, t6[i].hi, 16) > 0 ||
		    (i && memcmp(t6[i].lo, t6[i - 1].hi, 16) <= 0))
			sorted = false;
		if (!t6[i].name || !*t6[i].name)
			named = false;
		ndoc += t6[i].doc;
	}
	ok(sorted, "IPv6 table sorted by lo, non-overlapping");
	ok(named, "every IPv6 range has a name");
	is_int(ndoc, 2, "two IPv6 documentation ranges");
}

static void test_v4(void)
{
	const char *name;

	is_int(r4("10.1.2.3", "10.1.2.3", false, &name), 2, "10.1.2.3 inside");
	is_str(name, "rfc1918", "10.1.2.3 is rfc1918");
	is_int(r4("8.8.8.8", "8.8.8.8", false, &name), 0, "8.8.8.8 disjoint");
	ok(name == NULL, "no name when disjoint");
	is_int(r4("100.0.0.0", "100.255.255.255", false, &name), 1,
	       "100.0.0.0/8 overlaps");
	is_str(name, "cgnat", "100.0.0.0/8 hits cgnat");
	is_int(r4("100.64.0.0", "100.127.255.255", false, NULL), 2,
	       "100.64.0.0/10 inside");
	is_int(r4("100.63.255.255", "100.64.0.0", false, NULL), 1,
	       "straddling the cgnat start overlaps");
	is_int(r4("127.0.0.1", "127.0.0.1", false, &name), 2, "loopback");
	is_str(name, "loopback", "loopback name");
	is_int(r4("169.254.1.1", "169.254.1.1", false, &name), 2,
	       "link-local");
	is_str(name, "link-local", "link-local name");
	is_int(r4("172.15.255.255", "172.16.0.0", false, NULL), 1,
	       "172.15.255.255-172.16.0.0 overlaps");
	is_int(r4("172.31.255.255", "172.32.0.0", false, NULL), 1,
	       "172.16.0.0/12 end overlaps");
	is_int(r4("192.168.0.0", "192.168.255.255", false, NULL), 2,
	       "192.168.0.0/16 inside");
	is_int(r4("192.0.2.0", "192.0.2.255", false, &name), 2,
	       "192.0.2.0/24 documentation");
	is_str(name, "documentation", "documentation name");
	is_int(r4("192.0.2.0", "192.0.2.255", true, &name), 0,
	       "documentation allowed on opt-in");
	is_int(r4("198.51.100.7", "198.51.100.7", true, NULL), 0,
	       "198.51.100.0/24 allowed on opt-in");
	is_int(r4("203.0.113.0", "203.0.113.255", false, NULL), 2,
	       "203.0.113.0/24 documentation");
	is_int(r4("192.0.0.0", "192.0.2.255", false, &name), 1,
	       "192.0.0.0-192.0.2.255 has a gap (192.0.1.0/24)");
	is_str(name, "ietf-protocol", "first range hit is named");
	is_int(r4("192.0.0.0", "192.0.0.255", false, NULL), 2,
	       "192.0.0.0/24 inside");
	is_int(r4("192.88.99.1", "192.88.99.1", false, &name), 2, "6to4");
	is_int(r4("198.18.0.0", "198.19.255.255", false, &name), 2,
	       "198.18.0.0/15 inside");
	is_str(name, "benchmarking", "benchmarking name");
	is_int(r4("198.17.255.255", "198.18.0.0", false, NULL), 1,
	       "198.18.0.0/15 start overlaps");
	is_int(r4("224.0.0.0", "255.255.255.255", false, &name), 2,
	       "multicast + reserved adjacent cover 224/3");
	is_str(name, "multicast", "first hit is multicast");
	is_int(r4("255.255.255.255", "255.255.255.255", false, &name), 2,
	       "broadcast inside");
	is_str(name, "reserved", "broadcast in 240.0.0.0/4");
	is_int(r4("223.255.255.255", "224.0.0.0", false, NULL), 1,
	       "straddling 224.0.0.0 overlaps");
	is_int(r4("0.0.0.0", "255.255.255.255", false, &name), 1,
	       "everything overlaps");
	is_str(name, "this-network", "first hit of everything");
	is_int(r4("0.0.0.0", "0.255.255.255", false, NULL), 2,
	       "0.0.0.0/8 inside");
	is_int(r4("1.0.0.0", "9.255.255.255", false, NULL), 0,
	       "1.0.0.0-9.255.255.255 disjoint");
	is_int(r4("11.0.0.0", "100.63.255.255", false, NULL), 0,
	       "11.0.0.0-100.63.255.255 disjoint");
	is_int(pw_reserved_v4(5, 4, false, NULL), 0, "empty range");
}

static void test_v6(void)
{
	const char *name;

	is_int(r6("::", "::", false, &name), 2, ":: inside");
	is_str(name, "unspecified", ":: name");
	is_int(r6("::1", "::1", false, &name), 2, "::1 inside");
	is_str(name, "loopback", "::1 name");
	is_int(r6("::", "::1", false, NULL), 2, "::/127 covered by two");
	is_int(r6("::", "::2", false, NULL), 1, "::-::2 overlaps");
	is_int(r6("::ffff:1.2.3.4", "::ffff:1.2.3.4", false, &name), 2,
	       "mapped inside");
	is_str(name, "ipv4-mapped", "mapped name");
	is_int(r6("64:ff9b::1", "64:ff9b::1", false, &name), 2, "nat64");
	is_str(name, "nat64", "nat64 name");
	is_int(r6("100::1", "100::1", false, &name), 2, "discard");
	is_int(r6("100:0:0:1::", "100:0:0:1::", false, NULL), 0,
	       "past 100::/64 disjoint");
	is_int(r6("2001:db8::1", "2001:db8::1", false, &name), 2,
	       "2001:db8::1 documentation");
	is_str(name, "documentation", "2001:db8:: name");
	is_int(r6("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true,
		  NULL),
	       0, "2001:db8::/32 allowed on opt-in");
	is_int(r6("3fff:fff::1", "3fff:fff::1", false, NULL), 2,
	       "3fff:fff::1 in 3fff::/20");
	is_int(r6("3fff:1000::", "3fff:1000::", false, NULL), 0,
	       "3fff:1000:: outside 3fff::/20");
	is_int(r6("2001:4860::8888", "2001:4860::8888", false, NULL), 0,
	       "public v6 disjoint");
	is_int(r6("fd12:3456::1", "fd12:3456::1", false, &name), 2, "ULA");
	is_str(name, "unique-local", "ULA name");
	is_int(r6("fe80::1", "fe80::1", false, &name), 2, "link-local");
	is_int(r6("fe80::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false,
		  &name),
	       2, "fe80::/9 covered by link-local + site-local");
	is_str(name, "link-local", "fe80::/9 first hit");
	is_int(r6("fe00::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false,
		  NULL),
	       1, "fe00::/8 overlaps");
	is_int(r6("ff02::1", "ff02::1", false, &name), 2, "multicast");
	is_int(r6("fec0::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false,
		  NULL),
	       2, "fec0::/10 + ff00::/8 cover to the end");
	is_int(r6("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false,
		  &name),
	       1, "everything overlaps");
	is_int(r6("::2", "::2", false, NULL), 0, "::2 disjoint");
	is_int(r6("::2", "::1", false, NULL), 0, "empty range");
}

int main(void)
{
	test_tables();
	test_v4();
	test_v6();
	return tap_done();
}
