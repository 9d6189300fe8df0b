/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Normalization: raw token -> validated indicators (formats.md section 0).
 * The core alone decides what is valid; feed plugins only find tokens.
 */
#ifndef PW_NORMALIZE_H
#define PW_NORMALIZE_H

#include <sys/types.h>

#include "arena.h"
#include "diag.h"
#include "indicator.h"

struct pw_norm_opts {
	const uint16_t *stratum;	/* sorted stratum ports (tcp) */
	size_t n_stratum;
	const uint16_t *protected_ports;	/* refused as global port blocks
						   (besides 1..1023), sorted */
	size_t n_protected;
	bool allow_doc;		/* documentation ranges/`.test` may be blocked */
	bool allow_entry;	/* parsing an allowlist: no reserved checks,
				   no protected-port refusals */
	unsigned dmode_default;	/* enum pw_dmode for a plain name */
};

/* The defaults: stratum ports list and protected ports. */
void pw_norm_opts_default(struct pw_norm_opts *o);

/*
 * Normalize one token.  On success returns the number of indicators written
 * to out[0..PW_IND_MAX-1] (>= 1; an a-b range yields several prefixes) with strings in `a`; otherwise a negative
 * enum pw_reason.  `flags` are PW_T_* from the token (EXACT/TREE override
 * o->dmode_default for domains).
 */
int pw_normalize(struct pw_arena *a, const struct pw_norm_opts *o,
		 const char *tok, size_t len, enum pw_hint hint,
		 unsigned flags, struct pw_ind out[PW_IND_MAX]);

/*
 * Undo defanging into buf (at most cap-1 bytes + NUL): `[.]` `(.)` `{.}`
 * `[dot]` `(dot)` `hxxp` `hxxps` `[:]` `[://]` `[at]`, surrounding quotes,
 * angle brackets, and trailing sentence punctuation.  Returns the new
 * length, or -1 if it does not fit.  Sets *changed when anything was undone.
 */
ssize_t pw_refang(const char *in, size_t len, char *buf, size_t cap,
		  bool *changed);

/* Component normalizers (exposed for tests, fuzzers and `check`). */
int pw_norm_domain(struct pw_arena *a, const struct pw_norm_opts *o,
		   const char *s, size_t len, unsigned flags,
		   struct pw_ind *out);
/* address or CIDR, v4 or v6 (not a range) */
int pw_norm_ip(const struct pw_norm_opts *o, const char *s, size_t len,
	       struct pw_ind *out);
int pw_norm_port(const struct pw_norm_opts *o, const char *s, size_t len,
		 struct pw_ind *out);
int pw_norm_url(struct pw_arena *a, const struct pw_norm_opts *o,
		const char *s, size_t len, struct pw_ind out[PW_IND_MAX]);
int pw_norm_wallet(struct pw_arena *a, const char *s, size_t len,
		   struct pw_ind *out);
int pw_norm_hash(struct pw_arena *a, const char *s, size_t len,
		 struct pw_ind *out);

/*
 * An `a-b` address range is not one prefix: it is split into the minimal
 * list of prefixes.  Returns the number written (<= cap) or a negative
 * reason (PW_R_RANGE when it needs more than cap).
 */
int pw_norm_range(const struct pw_norm_opts *o, const char *s, size_t len,
		  struct pw_ind *out, size_t cap);

/* Format an indicator's canonical text into buf; returns length or -1. */
int pw_ind_format(const struct pw_ind *in, char *buf, size_t cap);

/* Is this a public suffix or bare TLD (never blockable as a whole)? */
bool pw_is_public_suffix(const char *name);
/*
 * For tests: the same question always put to libpsl, and whether the
 * filter in front of it (normalize.c) is in use in this process.
 */
bool pw_is_public_suffix_uncached(const char *name);
bool pw_psl_filter_active(void);

/* Free what normalization loaded lazily (the public suffix list). */
void pw_normalize_cleanup(void);

#endif
