/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A response policy zone (RPZ) as text, for BIND 9.18 `response-policy`
 * and Unbound 1.17 `rpz:`.  Shared by the `rpz` output and the `unbound`
 * output in mode=rpz; pure logic over the plugin API, so the unit test and
 * the render benchmark link it directly.
 *
 * ldns is used where it adds correctness (the SOA record, the names of the
 * options, reading the previous zone's serial); the million trigger records
 * are written as text directly.
 */
#ifndef PW_RPZ_ZONE_H
#define PW_RPZ_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include <poolwall/plugin.h>

struct rpz_conf {
	const char *origin;
	const char *policy;
	const char *sinkhole;
	const char *monitor_policy;
	const char *soa_mname;
	const char *soa_rname;
	int64_t refresh, retry, expire, minimum, ttl;
	int ip;
};

/* The option table entries of struct rpz_conf `m` inside struct `type`. */
#define RPZ_OPTIONS(type, m)						\
	{ "origin", "rpz.poolwall", PW_OPT_STR,				\
	  offsetof(type, m.origin),					\
	  "zone name, as in the resolver's configuration" },		\
	{ "policy", "nxdomain", PW_OPT_STR, offsetof(type, m.policy),	\
	  "nxdomain, nodata, drop, passthru, tcp-only or sinkhole" },	\
	{ "sinkhole", "", PW_OPT_STR, offsetof(type, m.sinkhole),	\
	  "policy=sinkhole: IPv4 and/or IPv6 address, or a host name" }, \
	{ "monitor_policy", "passthru", PW_OPT_STR,			\
	  offsetof(type, m.monitor_policy),				\
	  "policy of observe-only names (logged, not blocked)" },	\
	{ "soa_mname", "localhost", PW_OPT_STR,				\
	  offsetof(type, m.soa_mname),					\
	  "SOA primary server name (also the NS record)" },		\
	{ "soa_rname", "hostmaster.localhost", PW_OPT_STR,		\
	  offsetof(type, m.soa_rname), "SOA mailbox, as a name" },	\
	{ "refresh", "1h", PW_OPT_DUR, offsetof(type, m.refresh),	\
	  "SOA refresh" },						\
	{ "retry", "10m", PW_OPT_DUR, offsetof(type, m.retry),		\
	  "SOA retry" },						\
	{ "expire", "7d", PW_OPT_DUR, offsetof(type, m.expire),		\
	  "SOA expire" },						\
	{ "minimum", "60s", PW_OPT_DUR, offsetof(type, m.minimum),	\
	  "SOA minimum (negative caching TTL)" },			\
	{ "ttl", "60s", PW_OPT_DUR, offsetof(type, m.ttl),		\
	  "TTL of every record ($TTL)" },				\
	{ "ip", "yes", PW_OPT_BOOL, offsetof(type, m.ip),		\
	  "write rpz-ip triggers for blocked addresses and prefixes" }

struct rpz_zone;

/* Check the options (errors are logged); *zp is freed by rpz_zone_free. */
int rpz_zone_new(struct pw_host *h, const struct rpz_conf *c,
		 struct rpz_zone **zp);
void rpz_zone_free(struct rpz_zone *z);

/*
 * Write the whole zone.  `extra` (may be NULL) is a block of comment lines
 * placed after the header, each already starting with ";".
 */
int rpz_zone_render(struct rpz_zone *z, const struct pw_set *s,
		    struct pw_sink *out, const char *extra);

/* The origin as configured, without the trailing dot. */
const char *rpz_zone_origin(const struct rpz_zone *z);

/* ---- pieces, for the unit test ---- */

/*
 * The next serial: the run's time in unix seconds, or one more than the
 * previous serial when that is not older (RFC 1982), so that the serial
 * moves forward even within one second or after the clock stepped back.
 */
uint32_t rpz_serial_next(int have_prev, uint32_t prev, int64_t now);

/*
 * The serial of the SOA record at the start of zone file `path`, read with
 * ldns; -ENOENT when there is no such file (or it is empty, or not a
 * regular file), -EINVAL when it does not start with a SOA record.
 */
int rpz_serial_read(const char *path, uint32_t *serial);

/*
 * The rpz-ip owner (relative to the origin) of an address item, in the
 * one canonical form BIND accepts: `24.0.2.0.192.rpz-ip`,
 * `48.zz.1.db8.2001.rpz-ip`.  Returns its length or a negative errno.
 */
int rpz_ip_owner(char *buf, size_t len, const struct pw_item *it);

#endif
