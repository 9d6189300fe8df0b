/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnostics: every rejected token is counted by reason with source:line
 * and its (quoted, truncated) value; the first few per reason are printed,
 * the rest summarized.
 */
#ifndef PW_DIAG_H
#define PW_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* Reasons a token is rejected (returned negated by the normalizers). */
enum pw_reason {
	PW_R_OK = 0,
	PW_R_EMPTY,		/* nothing left after trimming */
	PW_R_TOOLONG,		/* over the token cap */
	PW_R_BINARY,		/* NUL or control bytes */
	PW_R_UTF8,		/* invalid UTF-8 */
	PW_R_CHARS,		/* characters not allowed in a name */
	PW_R_LABEL_EMPTY,	/* empty label (a..b, leading dot) */
	PW_R_LABEL_LEN,		/* label over 63 octets */
	PW_R_NAME_LEN,		/* name over 253 characters */
	PW_R_HYPHEN,		/* label starts or ends with '-' */
	PW_R_IDNA,		/* IDNA 2008 conversion refused */
	PW_R_WILDCARD,		/* `*` anywhere but the whole leftmost label */
	PW_R_SINGLE_LABEL,	/* bare TLD or single label */
	PW_R_PUBLIC_SUFFIX,	/* a public suffix such as co.uk */
	PW_R_IP_LITERAL,	/* an IP address where a name was expected */
	PW_R_NUMERIC_TLD,	/* last label all digits */
	PW_R_IP_SYNTAX,		/* not an address / prefix / range */
	PW_R_PREFIX_LEN,	/* bad prefix length */
	PW_R_PREFIX_SHORT,	/* shorter than /8 (v4) or /32 (v6) */
	PW_R_RESERVED,		/* loopback, RFC 1918, link-local, ... */
	PW_R_RANGE,		/* bad a-b range */
	PW_R_PORT_SYNTAX,	/* not a port, range or proto/port */
	PW_R_PORT_PROTECTED,	/* below 1024 or a protected port */
	PW_R_URL,		/* unusable URL */
	PW_R_URL_SCHEME,	/* scheme we do not block on */
	PW_R_WALLET,		/* not a valid wallet address */
	PW_R_HASH,		/* not md5/sha1/sha256 hex */
	PW_R_HASH_EMPTY,	/* the hash of empty input */
	PW_R_UNKNOWN,		/* no indicator kind matches */
	PW_R_PLACEHOLDER,	/* sample-config placeholder */
	PW_R_ALLOWED,		/* spared by the allowlist */
	PW_R_COVERED,		/* (set) dropped: covered by a parent */
	PW_R_DUPLICATE,		/* (set) merged with an equal indicator */
	PW_R_CAP,		/* over the per-feed token cap */
	PW_R_NOMEM,		/* out of memory (fatal for the run) */
	PW_R_MAX
};

/* Notes on accepted tokens, reported like reasons but not rejections. */
enum pw_note_id {
	PW_DN_HOSTBITS = PW_R_MAX,
	PW_DN_MAPPED,
	PW_DN_SKIPPED,		/* a plugin skipped the line (pw_skip) */
	PW_DN_RESERVED_TRIM,	/* (set) the reserved part of a prefix cut */
	PW_DN_MAX
};

const char *pw_reason_name(int reason);		/* "label-too-long" */
const char *pw_reason_text(int reason);		/* "label over 63 octets" */

struct pw_diag;

/* `show` is how many examples per reason are printed (default 5). */
struct pw_diag *pw_diag_new(FILE *out, unsigned show);
void pw_diag_free(struct pw_diag *d);	/* NULL-safe */

/* One event.  `source` is the feed name, `what` a slug for pw_skip. */
void pw_diag_add(struct pw_diag *d, const char *source, unsigned line,
		 int reason, const char *what, const char *val, size_t len);
/* Total of rejected tokens (reasons < PW_R_MAX only) and per reason. */
unsigned long pw_diag_rejected(const struct pw_diag *d);
unsigned long pw_diag_count(const struct pw_diag *d, int reason);
/* Print "...and N more <reason>" lines and a per-reason summary. */
void pw_diag_summary(struct pw_diag *d);

/* Quote a value for a message: printable ASCII, escapes, truncated. */
void pw_diag_quote(char *buf, size_t cap, const char *val, size_t len);

#endif
