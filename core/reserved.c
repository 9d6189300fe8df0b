/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reserved address ranges (IANA special-purpose registries, RFC 6890 and
 * successors) that are never blocked.
 */
#include "config.h"

#include <string.h>

#include "reserved.h"

#define R4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
	 ((uint32_t)(c) << 8) | (uint32_t)(d))
/* inclusive range of a v4 prefix */
#define P4(a, b, c, d, len) \
	R4(a, b, c, d), (R4(a, b, c, d) | (uint32_t)(0xffffffffull >> (len)))

static const struct pw_range4 reserved4[] = {
	{ P4(0, 0, 0, 0, 8), "this-network", false },
	{ P4(10, 0, 0, 0, 8), "rfc1918", false },
	{ P4(100, 64, 0, 0, 10), "cgnat", false },
	{ P4(127, 0, 0, 0, 8), "loopback", false },
	{ P4(169, 254, 0, 0, 16), "link-local", false },
	{ P4(172, 16, 0, 0, 12), "rfc1918", false },
	{ P4(192, 0, 0, 0, 24), "ietf-protocol", false },
	{ P4(192, 0, 2, 0, 24), "documentation", true },
	{ P4(192, 88, 99, 0, 24), "6to4-relay", false },
	{ P4(192, 168, 0, 0, 16), "rfc1918", false },
	{ P4(198, 18, 0, 0, 15), "benchmarking", false },
	{ P4(198, 51, 100, 0, 24), "documentation", true },
	{ P4(203, 0, 113, 0, 24), "documentation", true },
	{ P4(224, 0, 0, 0, 4), "multicast", false },
	{ P4(240, 0, 0, 0, 4), "reserved", false },
};

#define Z2 0, 0
#define Z4 Z2, Z2
#define Z8 Z4, Z4
#define F2 0xff, 0xff
#define F4 F2, F2
#define F8 F4, F4

static const struct pw_range6 reserved6[] = {
	/* ::/128 */
	{ { Z8, Z8 }, { Z8, Z8 }, "unspecified", false },
	/* ::1/128 */
	{ { Z8, Z4, Z2, 0, 1 }, { Z8, Z4, Z2, 0, 1 }, "loopback", false },
	/* ::ffff:0:0/96 */
	{ { Z8, Z2, F2, Z4 }, { Z8, Z2, F2, F4 }, "ipv4-mapped", false },
	/* 64:ff9b::/96 */
	{ { 0x00, 0x64, 0xff, 0x9b, Z8, Z4 },
	  { 0x00, 0x64, 0xff, 0x9b, Z8, F4 }, "nat64", false },
	/* 100::/64 */
	{ { 0x01, 0x00, Z2, Z4, Z8 }, { 0x01, 0x00, Z2, Z4, F8 },
	  "discard", false },
	/* 2001:db8::/32 */
	{ { 0x20, 0x01, 0x0d, 0xb8, Z8, Z4 },
	  { 0x20, 0x01, 0x0d, 0xb8, F8, F4 }, "documentation", true },
	/* 3fff::/20 (RFC 9637) */
	{ { 0x3f, 0xff, 0x00, Z4, Z8, 0 },
	  { 0x3f, 0xff, 0x0f, F4, F8, 0xff }, "documentation", true },
	/* fc00::/7 */
	{ { 0xfc, 0x00, Z2, Z4, Z8 }, { 0xfd, 0xff, F2, F4, F8 },
	  "unique-local", false },
	/* fe80::/10 */
	{ { 0xfe, 0x80, Z2, Z4, Z8 }, { 0xfe, 0xbf, F2, F4, F8 },
	  "link-local", false },
	/* fec0::/10 */
	{ { 0xfe, 0xc0, Z2, Z4, Z8 }, { 0xfe, 0xff, F2, F4, F8 },
	  "site-local", false },
	/* ff00::/8 */
	{ { 0xff, 0x00, Z2, Z4, Z8 }, { 0xff, 0xff, F2, F4, F8 },
	  "multicast", false },
};

const struct pw_range4 *pw_reserved4(size_t *n)
{
	*n = sizeof(reserved4) / sizeof(reserved4[0]);
	return reserved4;
}

const struct pw_range6 *pw_reserved6(size_t *n)
{
	*n = sizeof(reserved6) / sizeof(reserved6[0]);
	return reserved6;
}

int pw_reserved_v4(uint32_t lo, uint32_t hi, bool allow_doc,
		   const char **name)
{
	size_t i, n = sizeof(reserved4) / sizeof(reserved4[0]);
	uint64_t cur = lo;	/* first address not yet known covered */
	bool hit = false, gap = false;

	if (name)
		*name = NULL;
	if (lo > hi)
		return 0;
	for (i = 0; i < n; i++) {
		const struct pw_range4 *r = &reserved4[i];

		if (r->hi < lo)
			continue;
		if (r->lo > hi)
			break;
		if (allow_doc && r->doc)
			continue;
		if (!hit && name)
			*name = r->name;
		hit = true;
		if (r->lo > cur)
			gap = true;
		cur = (uint64_t)r->hi + 1;
	}
	if (!hit)
		return 0;
	return !gap && cur > hi ? 2 : 1;
}

int pw_reserved_v6(const uint8_t lo[16], const uint8_t hi[16],
		   bool allow_doc, const char **name)
{
	size_t i, n = sizeof(reserved6) / sizeof(reserved6[0]);
	uint8_t cur[16];	/* first address not yet known covered */
	bool hit = false, gap = false, done = false;
	int j;

	if (name)
		*name = NULL;
	if (memcmp(lo, hi, 16) > 0)
		return 0;
	memcpy(cur, lo, 16);
	for (i = 0; i < n; i++) {
		const struct pw_range6 *r = &reserved6[i];

		if (memcmp(r->hi, lo, 16) < 0)
			continue;
		if (memcmp(r->lo, hi, 16) > 0)
			break;
		if (allow_doc && r->doc)
			continue;
		if (!hit && name)
			*name = r->name;
		hit = true;
		if (done)
			continue;
		if (memcmp(r->lo, cur, 16) > 0)
			gap = true;
		/* cur = r->hi + 1; all ones means covered to the end */
		memcpy(cur, r->hi, 16);
		for (j = 15; j >= 0; j--) {
			if (++cur[j] != 0)
				break;
		}
		if (j < 0)
			done = true;
	}
	if (!hit)
		return 0;
	if (gap)
		return 1;
	return done || memcmp(cur, hi, 16) > 0 ? 2 : 1;
}
