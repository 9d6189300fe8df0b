/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The indicator set: dedup with merged provenance, domain collapse, CIDR
 * aggregation, allowlist and reserved-range subtraction, sorted iteration
 * (struct pw_set is the opaque type of plugin.h).
 */
#ifndef PW_SET_H
#define PW_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "indicator.h"

#define PW_SET_MAX_SOURCES 64	/* source indices 0..63; more fold into 63 */

struct pw_set;

struct pw_set *pw_set_new(void);
void pw_set_free(struct pw_set *s);	/* NULL-safe */

/* Strings of indicators added to the set should live here. */
struct pw_arena *pw_set_arena(struct pw_set *s);

/* Register a source name (copied); returns its index or a negative errno. */
int pw_set_source(struct pw_set *s, const char *name);
const char *pw_set_source_name(const struct pw_set *s, unsigned idx);
unsigned pw_set_n_sources(const struct pw_set *s);

/*
 * Add a normalized indicator (its strings must stay valid for the set's
 * lifetime: allocate them in pw_set_arena()).  An equal indicator merges:
 * sources OR-ed, first source:line kept, domain modes OR-ed
 * (EXACT + SUBS = TREE), monitor only if both were monitor, expiry the later
 * (0 = permanent wins), incident the first.  Returns 0 or -ENOMEM.
 */
int pw_set_add(struct pw_set *s, const struct pw_ind *in, unsigned src,
	       unsigned line, const char *incident, int64_t expires);

/* An allow entry: names (mode says exact / tree / subs), v4/v6 prefixes. */
int pw_set_allow(struct pw_set *s, const struct pw_ind *in);

struct pw_set_opts {
	bool allow_doc;		/* do not subtract documentation ranges */
	struct pw_diag *diag;	/* where covered/allowed/reserved are told */
};

struct pw_set_stats {
	unsigned long added[PW_I_HASH + 1];	/* pw_set_add calls per kind */
	unsigned long final[PW_I_HASH + 1];	/* items after finalize */
	unsigned long duplicates;	/* merged with an equal indicator */
	unsigned long covered;		/* domains dropped under a parent */
	unsigned long allowed;		/* dropped or trimmed by the allowlist */
	unsigned long reserved;		/* prefixes trimmed by reserved ranges */
	unsigned long aggregated;	/* prefixes merged away */
};

/*
 * Turn what was added into the final set: dedup, collapse domains covered
 * by a TREE/SUBS parent, subtract allow entries (an allowed /32 inside a
 * blocked /24 splits it) and reserved ranges, aggregate v4/v6 prefixes and
 * ports into minimal non-overlapping lists, sort every kind.  Must be
 * called once before pw_set_iter().  Returns 0 or -ENOMEM.
 */
int pw_set_finalize(struct pw_set *s, const struct pw_set_opts *o);
const struct pw_set_stats *pw_set_stats(const struct pw_set *s);

/*
 * Iteration (plugin.h): pw_set_iter, pw_set_count, pw_set_iter_allow.
 * Order: domains in hierarchy order (by reversed labels, so a name comes
 * right before the names below it), prefixes by address
 * then length, ports by proto then number, strings by byte order.
 */

#endif
