/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct reason_desc {
	const char *name;
	const char *text;
};

static const struct reason_desc reasons[PW_DN_MAX] = {
	[PW_R_OK] = { "ok", "accepted" },
	[PW_R_EMPTY] = { "empty", "nothing left after trimming" },
	[PW_R_TOOLONG] = { "too-long", "token over the length cap" },
	[PW_R_BINARY] = { "binary", "NUL or control bytes" },
	[PW_R_UTF8] = { "bad-utf8", "invalid UTF-8" },
	[PW_R_CHARS] = { "bad-chars", "characters not allowed in a name" },
	[PW_R_LABEL_EMPTY] = { "empty-label", "empty label" },
	[PW_R_LABEL_LEN] = { "label-too-long", "label over 63 octets" },
	[PW_R_NAME_LEN] = { "name-too-long", "name over 253 characters" },
	[PW_R_HYPHEN] = { "bad-hyphen", "label starts or ends with '-'" },
	[PW_R_IDNA] = { "bad-idna", "IDNA 2008 conversion refused" },
	[PW_R_WILDCARD] = { "bad-wildcard",
			    "'*' anywhere but the whole leftmost label" },
	[PW_R_SINGLE_LABEL] = { "single-label", "bare TLD or single label" },
	[PW_R_PUBLIC_SUFFIX] = { "public-suffix",
				 "a public suffix, never blocked whole" },
	[PW_R_IP_LITERAL] = { "ip-literal",
			      "an IP address where a name was expected" },
	[PW_R_NUMERIC_TLD] = { "numeric-tld", "last label is all digits" },
	[PW_R_IP_SYNTAX] = { "bad-ip", "not an address, prefix or range" },
	[PW_R_PREFIX_LEN] = { "bad-prefix-len", "bad prefix length" },
	[PW_R_PREFIX_SHORT] = { "prefix-too-short",
				"shorter than /8 (IPv4) or /32 (IPv6)" },
	[PW_R_RESERVED] = { "reserved",
			    "reserved or internal range, never blocked" },
	[PW_R_RANGE] = { "bad-range", "bad address range" },
	[PW_R_PORT_SYNTAX] = { "bad-port", "not a port or port range" },
	[PW_R_PORT_PROTECTED] = { "protected-port",
				  "a protected port, never blocked globally" },
	[PW_R_URL] = { "bad-url", "unusable URL" },
	[PW_R_URL_SCHEME] = { "url-scheme", "URL scheme not blocked on" },
	[PW_R_WALLET] = { "bad-wallet", "not a valid wallet address" },
	[PW_R_HASH] = { "bad-hash", "not an MD5, SHA-1 or SHA-256 digest" },
	[PW_R_HASH_EMPTY] = { "empty-input-hash",
			      "the digest of empty input" },
	[PW_R_UNKNOWN] = { "unknown", "not an indicator of any kind" },
	[PW_R_PLACEHOLDER] = { "placeholder",
			       "a placeholder from a sample config" },
	[PW_R_ALLOWED] = { "allowed", "spared by the allowlist" },
	[PW_R_COVERED] = { "covered", "covered by a blocked parent" },
	[PW_R_DUPLICATE] = { "duplicate", "merged with an equal indicator" },
	[PW_R_CAP] = { "over-cap", "over the per-feed token cap" },
	[PW_R_NOMEM] = { "no-memory", "out of memory" },
	[PW_DN_HOSTBITS] = { "host-bits", "host bits set, cleared" },
	[PW_DN_MAPPED] = { "ipv4-mapped", "IPv4-mapped IPv6, made IPv4" },
	[PW_DN_SKIPPED] = { "skipped", "line skipped by the format" },
	[PW_DN_RESERVED_TRIM] = { "reserved-trimmed",
				  "its reserved part is never blocked, the "
				  "rest is" },
};

const char *pw_reason_name(int reason)
{
	if (reason < 0)
		reason = -reason;
	if (reason >= PW_DN_MAX || !reasons[reason].name)
		return "unknown-reason";
	return reasons[reason].name;
}

const char *pw_reason_text(int reason)
{
	if (reason < 0)
		reason = -reason;
	if (reason >= PW_DN_MAX || !reasons[reason].text)
		return "unknown reason";
	return reasons[reason].text;
}

/*
 * Skips are counted per plugin slug ("cosmetic-rule"), reasons per enum;
 * both share the "first few shown, rest summarized" rule.
 */
#define DIAG_MAX_SLUGS 32

struct diag_bucket {
	char slug[32];		/* copied: plugins may be unloaded first */
	unsigned long n;
};

struct pw_diag {
	FILE *out;
	unsigned show;
	struct diag_bucket by_reason[PW_DN_MAX];
	struct diag_bucket by_slug[DIAG_MAX_SLUGS];
	unsigned n_slugs;
	unsigned long rejected;
};

struct pw_diag *pw_diag_new(FILE *out, unsigned show)
{
	struct pw_diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->out = out;
	d->show = show;
	return d;
}

void pw_diag_free(struct pw_diag *d)
{
	free(d);
}

void pw_diag_quote(char *buf, size_t cap, const char *val, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const size_t limit = 60;
	size_t i, o = 0;

	if (!cap)
		return;
	for (i = 0; i < len && i < limit; i++) {
		unsigned char c = (unsigned char)val[i];
		char esc[5];
		size_t n;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
		} else if (c < 0x20 || c >= 0x7f) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			n = 4;
		} else {
			esc[0] = (char)c;
			n = 1;
		}
		if (o + n + 4 >= cap)
			break;
		memcpy(buf + o, esc, n);
		o += n;
	}
	if (i < len && o + 4 < cap) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

static struct diag_bucket *diag_slug(struct pw_diag *d, const char *slug)
{
	unsigned i;

	for (i = 0; i < d->n_slugs; i++)
		if (strcmp(d->by_slug[i].slug, slug) == 0)
			return &d->by_slug[i];
	if (d->n_slugs == DIAG_MAX_SLUGS ||
	    strlen(slug) >= sizeof(d->by_slug[0].slug))
		return &d->by_reason[PW_DN_SKIPPED];
	memcpy(d->by_slug[d->n_slugs].slug, slug, strlen(slug) + 1);
	return &d->by_slug[d->n_slugs++];
}

void pw_diag_add(struct pw_diag *d, const char *source, unsigned line,
		 int reason, const char *what, const char *val, size_t len)
{
	struct diag_bucket *b;
	const char *label;
	char q[256];

	if (reason < 0)
		reason = -reason;
	if (reason <= PW_R_OK || reason >= PW_DN_MAX)
		reason = PW_R_UNKNOWN;
	if (reason < PW_R_MAX && reason != PW_R_COVERED &&
	    reason != PW_R_DUPLICATE && reason != PW_R_ALLOWED)
		d->rejected++;
	if (reason == PW_DN_SKIPPED && what) {
		b = diag_slug(d, what);
		label = b->slug[0] ? b->slug : what;
	} else {
		b = &d->by_reason[reason];
		label = pw_reason_name(reason);
	}
	b->n++;
	if (!d->out || b->n > d->show)
		return;
	pw_diag_quote(q, sizeof(q), val ? val : "", val ? len : 0);
	if (reason == PW_DN_SKIPPED)
		fprintf(d->out, "%s:%u: skipped (%s): \"%s\"\n",
			source ? source : "-", line, label, q);
	else
		fprintf(d->out, "%s:%u: %s (%s): \"%s\"\n",
			source ? source : "-", line,
			reason < PW_R_MAX && reason != PW_R_ALLOWED &&
					reason != PW_R_COVERED &&
					reason != PW_R_DUPLICATE ?
				"rejected" : "note",
			pw_reason_text(reason), q);
}

unsigned long pw_diag_rejected(const struct pw_diag *d)
{
	return d->rejected;
}

unsigned long pw_diag_count(const struct pw_diag *d, int reason)
{
	if (reason < 0)
		reason = -reason;
	if (reason >= PW_DN_MAX)
		return 0;
	if (reason == PW_DN_SKIPPED) {
		unsigned long n = d->by_reason[PW_DN_SKIPPED].n;
		unsigned i;

		for (i = 0; i < d->n_slugs; i++)
			n += d->by_slug[i].n;
		return n;
	}
	return d->by_reason[reason].n;
}

static void diag_more(struct pw_diag *d, const struct diag_bucket *b,
		      const char *label)
{
	if (b->n > d->show)
		fprintf(d->out, "...and %lu more %s\n", b->n - d->show,
			label);
}

void pw_diag_summary(struct pw_diag *d)
{
	unsigned i;

	if (!d->out)
		return;
	for (i = 1; i < PW_DN_MAX; i++)
		diag_more(d, &d->by_reason[i], pw_reason_name((int)i));
	for (i = 0; i < d->n_slugs; i++)
		diag_more(d, &d->by_slug[i], d->by_slug[i].slug);
}
