/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the RPZ zone renderer (outputs/rpz/rpz-zone.c) and the
 * header helpers (dns-meta.c), on a fake host and set: rpz-ip encodings
 * as BIND re-encodes them, the serial arithmetic, reading the previous
 * serial with ldns, and whole zones read back with ldns.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "dns-meta.h"
#include "fake-host.h"
#include "rpz-zone.h"
#include "tap.h"

static const struct rpz_conf defaults = {
	.origin = "rpz.poolwall", .policy = "nxdomain", .sinkhole = "",
	.monitor_policy = "passthru", .soa_mname = "localhost",
	.soa_rname = "hostmaster.localhost", .refresh = 3600, .retry = 600,
	.expire = 604800, .minimum = 60, .ttl = 60, .ip = 1,
};

static void ip_case(const char *addr, unsigned plen, const char *want)
{
	struct pw_item it = { .plen = plen };
	char buf[80];
	int n;

	if (strchr(addr, ':')) {
		it.kind = PW_I_IPV6;
		inet_pton(AF_INET6, addr, it.addr);
	} else {
		it.kind = PW_I_IPV4;
		inet_pton(AF_INET, addr, it.addr);
	}
	n = rpz_ip_owner(buf, sizeof(buf), &it);
	if (n < 0)
		buf[0] = '\0';
	is_str(buf, want, "rpz-ip owner of %s/%u", addr, plen);
	if (n >= 0)
		is_int(n, strlen(want), "  and its length");
}

static void test_ip_owner(void)
{
	struct pw_item it = { .kind = PW_I_IPV4, .plen = 33 };
	char buf[80];

	ip_case("192.0.2.0", 24, "24.0.2.0.192.rpz-ip");
	ip_case("192.0.2.128", 25, "25.128.2.0.192.rpz-ip");
	ip_case("203.0.113.255", 32, "32.255.113.0.203.rpz-ip");
	/* formats.md 2.1, as loaded by BIND and Unbound */
	ip_case("2001:db8::5", 128, "128.5.zz.db8.2001.rpz-ip");
	ip_case("2001:db8::", 32, "32.zz.db8.2001.rpz-ip");
	ip_case("2001:db8:1::", 48, "48.zz.1.db8.2001.rpz-ip");
	/* one zero word is written, not compressed */
	ip_case("2001:db8:a:0:b:0:c:d", 128, "128.d.c.0.b.0.a.db8.2001.rpz-ip");
	/* the longest run wins */
	ip_case("2001:db8:0:1::1", 128, "128.1.zz.1.0.db8.2001.rpz-ip");
	/* on a tie the run met last in reversed order: leftmost in text */
	ip_case("2001:db8:0:0:1:0:0:1", 128,
		"128.1.0.0.1.zz.db8.2001.rpz-ip");
	ip_case("2001:db8:1:2:3:4:5:6", 128,
		"128.6.5.4.3.2.1.db8.2001.rpz-ip");
	ip_case("2001:db8:ffff::", 48, "48.zz.ffff.db8.2001.rpz-ip");
	ip_case("::", 1, "1.zz.rpz-ip");
	ip_case("0:0:1::", 64, "64.zz.1.0.0.rpz-ip");
	ok(rpz_ip_owner(buf, sizeof(buf), &it) == -EINVAL,
	   "a prefix length of 33 is refused");
	it.plen = 24;
	ok(rpz_ip_owner(buf, 10, &it) == -ENAMETOOLONG,
	   "a short buffer is reported");
	it.kind = PW_I_DOMAIN;
	ok(rpz_ip_owner(buf, sizeof(buf), &it) == -EINVAL,
	   "a domain has no rpz-ip owner");
}

static void test_serial_next(void)
{
	is_int(rpz_serial_next(0, 0, 1767225600), 1767225600,
	       "no previous zone: the clock");
	is_int(rpz_serial_next(1, 1767225000, 1767225600), 1767225600,
	       "an older serial: the clock");
	is_int(rpz_serial_next(1, 1767225600, 1767225600), 1767225601,
	       "two runs within one second: one more");
	is_int(rpz_serial_next(1, 1767225601, 1767225600), 1767225602,
	       "a serial ahead of the clock: one more");
	is_int(rpz_serial_next(1, 1767225600, 1767220000), 1767225601,
	       "the clock stepped back: one more");
	is_int(rpz_serial_next(1, 2026010105u, 1767225600), 2026010106u,
	       "a YYYYMMDDnn serial is newer than the clock: one more");
	is_int(rpz_serial_next(1, 0xffffffffu, 5), 5,
	       "RFC 1982: 5 follows 4294967295");
	is_int(rpz_serial_next(1, 0xffffffffu, 0xfffffff0u), 0,
	       "RFC 1982: one more than 4294967295 wraps to 0");
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/test-rpz-zone.XXXXXX");
	int fd;

	if (!path)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void serial_case(const char *text, int want_err, uint32_t want,
			const char *what)
{
	char *path = write_tmp(text);
	uint32_t serial = 0;
	int err;

	if (!path) {
		ok(0, "%s: temporary file", what);
		return;
	}
	err = rpz_serial_read(path, &serial);
	is_int(err, want_err, "%s: result", what);
	if (!want_err)
		is_int(serial, want, "%s: serial", what);
	unlink(path);
	free(path);
}

static void test_serial_read(void)
{
	uint32_t serial;

	serial_case("; comment\n\n$ORIGIN rpz.poolwall.\n$TTL 60\n"
		    "rpz.poolwall.\t60\tIN\tSOA\tlocalhost. "
		    "hostmaster.localhost. 1767225600 3600 600 604800 60\n"
		    "rpz.poolwall.\t60\tIN\tNS\tlocalhost.\n", 0, 1767225600,
		    "our own header");
	serial_case("$TTL 300\n$ORIGIN rpz.example.\n"
		    "@ IN SOA ns1 hostmaster (\n"
		    "\t2026010102 ; serial\n\t1h 10m 1w 60 )\n"
		    "  IN NS ns1\n", 0, 2026010102,
		    "a hand-written zone, relative names, parentheses");
	serial_case("$ORIGIN rpz.poolwall.\n@ IN NS localhost.\n"
		    "@ IN SOA a. b. 7 1 1 1 1\n", -EINVAL, 0,
		    "a zone that does not start with its SOA");
	serial_case("0.0.0.0 pool.example.test\n", -EINVAL, 0,
		    "a hosts file");
	serial_case("", -ENOENT, 0, "an empty file: no previous zone");
	is_int(rpz_serial_read("/dev/null", &serial), -ENOENT,
	       "/dev/null: no previous zone");
	is_int(rpz_serial_read("/nonexistent/zone", &serial), -ENOENT,
	       "no previous file: -ENOENT");
}

static void test_hostname(void)
{
	ok(dns_is_hostname("pool.example.test", 17), "a host name");
	ok(dns_is_hostname("a--b.x1.test", 12), "inner hyphens");
	ok(!dns_is_hostname("under_score.test", 16), "an underscore");
	ok(!dns_is_hostname("-a.test", 7), "a leading hyphen");
	ok(!dns_is_hostname("a-.test", 7), "a trailing hyphen");
	ok(!dns_is_hostname("a..test", 7), "an empty label");
	ok(!dns_is_hostname("a.test.", 7), "a final dot");
	ok(!dns_is_hostname("", 0), "nothing");
	ok(dns_is_hostname("a.test.xyz", 6), "only len bytes count");
}

static void test_meta(void)
{
	struct dns_meta m = { 0 };
	struct pw_host h = { .now = 1767225600, .generation = 7 };
	struct pw_sink o;
	int err;

	fake_sink_init(&o, -1);
	err = dns_meta_sources(&m, "nocoin,coinblocker");
	err = err ? err : dns_meta_sources(&m, "nocoin,coinblocker");
	err = err ? err : dns_meta_sources(&m, "abc,nocoin");
	err = err ? err : dns_meta_sources(&m, "");
	err = err ? err : dns_meta_sources(&m, NULL);
	err = err ? err : dns_meta_write(&m, &h, &o, ";", "test file");
	is_int(err, 0, "header written");
	is_str(o.text, "; test file\n; generator: poolwall " PACKAGE_VERSION
		       "\n; generated: 2026-01-01T00:00:00Z (generation 7)\n"
		       "; sources: abc, coinblocker, nocoin\n",
	       "header: time from the host, sources sorted and unique");
	dns_meta_clear(&m);
	fake_sink_free(&o);
}

/* ---- whole zones ---- */

#define DOM(v, f) { .kind = PW_I_DOMAIN, .value = (v), .flags = (f), \
		    .sources = "feed" }
#define TREE (PW_F_SELF | PW_F_SUBDOMAINS)

static struct pw_item items[] = {
	DOM("exact.example.net", PW_F_SELF),
	DOM("*.wild.example.org", PW_F_SUBDOMAINS),
	DOM("monitor.example.test", TREE | PW_F_MONITOR),
	DOM("pool.example.test", TREE),
	DOM("under_score.example.test", TREE),
	DOM("x.rpz-nsdname", TREE),
	{ .kind = PW_I_IPV4, .value = "192.0.2.0/24", .plen = 24,
	  .addr = { 192, 0, 2, 0 } },
	{ .kind = PW_I_IPV6, .value = "2001:db8::/32", .plen = 32,
	  .addr = { 0x20, 0x01, 0x0d, 0xb8 } },
};

static struct pw_item allow[] = {
	DOM("ok.pool.example.test", PW_F_SELF),
	DOM("*.below.pool.example.test", PW_F_SUBDOMAINS),
};

static const struct pw_set set = {
	.items = items, .n_items = sizeof(items) / sizeof(items[0]),
	.allow = allow, .n_allow = sizeof(allow) / sizeof(allow[0]),
};

/* read a zone with ldns, as ldns-read-zone does; -1 if it does not load */
static int zone_rrs(const char *text, uint32_t *serial)
{
	ldns_zone *z = NULL;
	ldns_status st;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int n = -1, line = 0;

	if (!f)
		return -1;
	st = ldns_zone_new_frm_fp_l(&z, f, NULL, 60, LDNS_RR_CLASS_IN, &line);
	fclose(f);
	if (st != LDNS_STATUS_OK) {
		printf("# ldns: %s at line %d\n", ldns_get_errorstr_by_id(st),
		       line);
		return -1;
	}
	n = (int)ldns_rr_list_rr_count(ldns_zone_rrs(z));
	if (serial && ldns_zone_soa(z))
		*serial = ldns_rdf2native_int32(
			ldns_rr_rdf(ldns_zone_soa(z), 2));
	ldns_zone_deep_free(z);
	return n;
}

static int render(const struct rpz_conf *c, struct pw_host *h,
		  struct pw_sink *o)
{
	struct rpz_zone *z = NULL;
	int err;

	fake_sink_init(o, -1);
	err = rpz_zone_new(h, c, &z);
	if (!err)
		err = rpz_zone_render(z, &set, o, "; extra line\n");
	rpz_zone_free(z);
	return err;
}

static int has(const struct pw_sink *o, const char *line)
{
	return o->text && strstr(o->text, line) != NULL;
}

static void test_zone(void)
{
	struct pw_host h = { .now = 1767225600 };
	struct rpz_conf c = defaults;
	struct pw_sink o;
	uint32_t serial = 0;
	char *prev;
	int err;

	err = render(&c, &h, &o);
	is_int(err, 0, "default zone rendered");
	ok(has(&o, "\n$ORIGIN rpz.poolwall.\n$TTL 60\n"), "$ORIGIN and $TTL");
	ok(has(&o, "; extra line\n$ORIGIN"), "the extra comment block");
	ok(has(&o, "\npool.example.test\tCNAME\t.\n"
		   "*.pool.example.test\tCNAME\t.\n"), "a name and below");
	ok(has(&o, "\nexact.example.net\tCNAME\t.\n") &&
	   !has(&o, "*.exact.example.net"), "an exact name");
	ok(has(&o, "\n*.wild.example.org\tCNAME\t.\n") &&
	   !has(&o, "\nwild.example.org"), "the names below only");
	ok(has(&o, "\nmonitor.example.test\tCNAME\trpz-passthru.\n"),
	   "observe-only: passthru");
	ok(has(&o, "\n32.zz.db8.2001.rpz-ip\tCNAME\t.\n") &&
	   has(&o, "\n24.0.2.0.192.rpz-ip\tCNAME\t.\n"), "rpz-ip triggers");
	ok(has(&o, "\nok.pool.example.test\tCNAME\trpz-passthru.\n") &&
	   has(&o, "\n*.below.pool.example.test\tCNAME\trpz-passthru.\n"),
	   "allowlist exceptions");
	ok(!has(&o, "rpz-nsdname"), "no name ending in an rpz-* label");
	ok(has(&o, "; names: 2 with the names below, 1 exact, 1 only below, "
		   "1 observe-only (passthru)\n"), "header counts");
	ok(has(&o, "; left out: 1\n"), "header: what was left out");
	/* NS, 2 + 2 + 2 + 1 + 1 names, 2 addresses, 2 exceptions */
	is_int(zone_rrs(o.text, &serial), 1 + 8 + 2 + 2,
	       "ldns reads every record back");
	is_int(serial, 1767225600, "serial from the clock with no target");
	fake_sink_free(&o);

	/* the previous zone is ahead: one more than it */
	prev = write_tmp("$ORIGIN rpz.poolwall.\nrpz.poolwall. 60 IN SOA "
			 "localhost. hostmaster.localhost. 1767229999 1 1 1 "
			 "1\n");
	h.target = prev;
	err = render(&c, &h, &o);
	is_int(err, 0, "zone with a previous file rendered");
	zone_rrs(o.text, &serial);
	is_int(serial, 1767230000, "serial: previous + 1");
	fake_sink_free(&o);
	/* the previous file is no zone: the clock, and a warning */
	h.n_logs = 0;
	if (prev) {
		FILE *f = fopen(prev, "w");

		if (f) {
			fputs("not a zone\n", f);
			fclose(f);
		}
	}
	err = render(&c, &h, &o);
	zone_rrs(o.text, &serial);
	is_int(serial, 1767225600, "no serial in the previous file: clock");
	ok(h.n_logs >= 1, "and a warning");
	fake_sink_free(&o);
	if (prev)
		unlink(prev);
	free(prev);
	h.target = NULL;

	/* sinkhole addresses: local data, non-host names left out */
	c.policy = "sinkhole";
	c.sinkhole = "192.0.2.53, 2001:db8::53";
	h.n_logs = 0;
	err = render(&c, &h, &o);
	is_int(err, 0, "sinkhole zone rendered");
	ok(has(&o, "\npool.example.test\tA\t192.0.2.53\n"
		   "pool.example.test\tAAAA\t2001:db8::53\n"),
	   "sinkhole: A and AAAA");
	ok(!has(&o, "under_score"), "sinkhole: an underscore owner left out");
	ok(has(&o, "\nok.pool.example.test\tCNAME\trpz-passthru.\n"),
	   "sinkhole: exceptions still passthru");
	ok(zone_rrs(o.text, NULL) > 0, "sinkhole zone reads back");
	fake_sink_free(&o);

	c.sinkhole = "Sink.Example.NET";
	err = render(&c, &h, &o);
	ok(!err && has(&o, "\nunder_score.example.test\tCNAME\t"
			   "sink.example.net.\n"),
	   "sinkhole name: CNAME, underscore owners kept");
	fake_sink_free(&o);

	/* ip=no, nodata, and a longer origin */
	c = defaults;
	c.ip = 0;
	c.policy = "nodata";
	c.origin = "Policy.Example.ORG.";
	err = render(&c, &h, &o);
	ok(!err && !has(&o, "rpz-ip") && has(&o, "(ip=no: 2 not written)"),
	   "ip=no: no rpz-ip trigger, counted");
	ok(has(&o, "$ORIGIN policy.example.org.\n") &&
	   has(&o, "\npool.example.test\tCNAME\t*.\n"),
	   "origin lower-cased, nodata action");
	fake_sink_free(&o);

	/* a failing sink stops the render with its error */
	c = defaults;
	fake_sink_init(&o, -1);
	{
		struct rpz_zone *z = NULL;

		o.fail_after = 700;
		err = rpz_zone_new(&h, &c, &z);
		if (!err)
			err = rpz_zone_render(z, &set, &o, NULL);
		is_int(err, -ENOSPC, "a write error is returned");
		rpz_zone_free(z);
	}
	fake_sink_free(&o);
}

static void bad_conf(struct rpz_conf c, const char *what)
{
	struct pw_host h = { .now = 1 };
	struct rpz_zone *z = (struct rpz_zone *)&h;

	ok(rpz_zone_new(&h, &c, &z) == -EINVAL && !z && h.n_logs == 1,
	   "refused with one message: %s", what);
}

static void test_conf(void)
{
	struct rpz_conf c;

	c = defaults;
	c.policy = "block";
	bad_conf(c, "unknown policy");
	c = defaults;
	c.monitor_policy = "log";
	bad_conf(c, "unknown monitor_policy");
	c = defaults;
	c.policy = "sinkhole";
	bad_conf(c, "sinkhole without an address or name");
	c.sinkhole = "192.0.2.1,sink.test";
	bad_conf(c, "sinkhole address and name");
	c.sinkhole = "192.0.2.1,,::1";
	bad_conf(c, "sinkhole with an empty item");
	c.sinkhole = "sink test";
	bad_conf(c, "sinkhole that is no name");
	c = defaults;
	c.origin = "rpz..poolwall";
	bad_conf(c, "empty label in the origin");
	c.origin = "rpz poolwall";
	bad_conf(c, "space in the origin");
	c.origin = "";
	bad_conf(c, "empty origin");
	c.origin = "under_score.rpz";
	c.policy = "sinkhole";
	c.sinkhole = "0.0.0.0";
	bad_conf(c, "sinkhole addresses under a non-host origin");
	c = defaults;
	c.ttl = -1;
	bad_conf(c, "negative ttl");
	c = defaults;
	c.expire = (int64_t)1 << 31;
	bad_conf(c, "expire past 2^31-1");
	c = defaults;
	c.soa_rname = "hostmaster@example.org";
	bad_conf(c, "SOA mailbox as an e-mail address");
}

int main(void)
{
	test_ip_owner();
	test_serial_next();
	test_serial_read();
	test_hostname();
	test_meta();
	test_zone();
	test_conf();
	return tap_done();
}
