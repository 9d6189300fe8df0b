/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address ranges never blocked: loopback, RFC 1918, CGNAT, link-local,
 * multicast, unspecified, "this network", broadcast, benchmarking, and the
 * documentation ranges (unless the caller opts in); IPv6 likewise.
 */
#ifndef PW_RESERVED_H
#define PW_RESERVED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_range4 {
	uint32_t lo, hi;	/* host byte order, inclusive */
	const char *name;	/* "rfc1918", "loopback", ... */
	bool doc;		/* documentation range: allowed on opt-in */
};

struct pw_range6 {
	uint8_t lo[16], hi[16];	/* network order, inclusive */
	const char *name;
	bool doc;
};

/* The tables, sorted by lo, non-overlapping. */
const struct pw_range4 *pw_reserved4(size_t *n);
const struct pw_range6 *pw_reserved6(size_t *n);

/*
 * Classify [lo, hi] against the reserved ranges: 0 disjoint, 1 overlaps,
 * 2 entirely inside one or more of them.  *name (if not NULL) gets the
 * first range hit.  Documentation ranges are ignored when allow_doc.
 */
int pw_reserved_v4(uint32_t lo, uint32_t hi, bool allow_doc,
		   const char **name);
int pw_reserved_v6(const uint8_t lo[16], const uint8_t hi[16],
		   bool allow_doc, const char **name);

#endif
