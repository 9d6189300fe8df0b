/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic generators shared by the benchmark programs: a fixed-seed
 * PRNG, host names that look real, and IPv4 prefixes.
 */
#ifndef PW_BENCHGEN_H
#define PW_BENCHGEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct bg_rng {
	uint64_t s;
};

/* splitmix64: good enough, tiny, identical everywhere */
static inline uint64_t bg_next(struct bg_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) (n > 0; the bias is irrelevant here) */
static inline unsigned bg_below(struct bg_rng *r, unsigned n)
{
	return (unsigned)(bg_next(r) % n);
}

static const char *const bg_tlds[] = {
	"com", "net", "org", "io", "xyz", "info", "ru", "top",
};

/* One label of 3..12 characters: letters, some digits, rare hyphens. */
static inline size_t bg_label(struct bg_rng *r, char *out)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz";
	size_t len = 3 + bg_below(r, 10), i;

	for (i = 0; i < len; i++) {
		unsigned x = bg_below(r, 100);

		if (x < 8)
			out[i] = (char)('0' + bg_below(r, 10));
		else if (x < 10 && i > 0 && i + 1 < len && out[i - 1] != '-')
			out[i] = '-';
		else
			out[i] = alpha[bg_below(r, 26)];
	}
	return len;
}

#define BG_NAME_MAX 64	/* 3 labels of 12, a TLD, dots: well below */

/* A host name of 2..4 labels, the last one a TLD; returns its length. */
static inline size_t bg_name(struct bg_rng *r, char *out)
{
	unsigned labels = 2 + bg_below(r, 3), i;
	const char *tld;
	size_t o = 0;

	for (i = 0; i + 1 < labels; i++) {
		o += bg_label(r, out + o);
		out[o++] = '.';
	}
	tld = bg_tlds[bg_below(r, sizeof(bg_tlds) / sizeof(bg_tlds[0]))];
	memcpy(out + o, tld, strlen(tld));
	o += strlen(tld);
	out[o] = '\0';
	return o;
}

/* A ring of recent names, for duplicates and subdomains. */
#define BG_RING 4096

struct bg_ring {
	char name[BG_RING][BG_NAME_MAX];
	size_t n;
};

static inline void bg_ring_put(struct bg_ring *g, const char *name)
{
	size_t len = strlen(name);

	if (len >= BG_NAME_MAX)
		return;
	memcpy(g->name[g->n % BG_RING], name, len + 1);
	g->n++;
}

static inline const char *bg_ring_get(struct bg_ring *g, struct bg_rng *r)
{
	size_t n = g->n < BG_RING ? g->n : BG_RING;

	return n ? g->name[bg_below(r, (unsigned)n)] : NULL;
}

/*
 * The next name of a list: ~10% a duplicate of a recent one, ~10% a
 * subdomain of a recent one, otherwise new.  `out` holds 2*BG_NAME_MAX.
 */
static inline size_t bg_list_name(struct bg_rng *r, struct bg_ring *g,
				  char *out)
{
	unsigned x = bg_below(r, 100);
	const char *old = bg_ring_get(g, r);
	size_t len;

	if (old && x < 10) {
		len = strlen(old);
		memcpy(out, old, len + 1);
		return len;
	}
	if (old && x < 20 && strlen(old) + 14 < BG_NAME_MAX) {
		len = bg_label(r, out);
		out[len++] = '.';
		memcpy(out + len, old, strlen(old) + 1);
		len += strlen(old);
	} else {
		len = bg_name(r, out);
	}
	bg_ring_put(g, out);
	return len;
}

/*
 * IPv4 prefixes over the whole space, shaped like real block lists: about
 * 55% single addresses, 35% CIDRs (mostly /24../31, some /17../23, rare
 * /13../16, very rare /8../12), 5% prefixes overlapping the previous one
 * (inside or around it) and 5% the block adjacent to the previous one.
 * *plen gets 8..32; returns the address with host bits clear.
 */
struct bg_v4 {
	uint32_t last, last_len;
};

static inline uint32_t bg_v4_mask(unsigned plen)
{
	return plen ? (uint32_t)(0xffffffffull << (32 - plen)) : 0;
}

static inline uint32_t bg_ipv4(struct bg_rng *r, struct bg_v4 *st,
			       unsigned *plen)
{
	unsigned x = bg_below(r, 100), a;
	uint32_t addr;

	if (st->last_len && x < 5) {
		/* overlapping: a prefix inside or around the last one */
		*plen = st->last_len + bg_below(r, 9);
		if (*plen > 32)
			*plen = 32;
		if (bg_below(r, 2) && st->last_len > 12)
			*plen = st->last_len - 1 - bg_below(r, 4);
		addr = st->last |
		       ((uint32_t)bg_next(r) & ~bg_v4_mask(st->last_len));
	} else if (st->last_len && x < 10) {
		/* adjacent: the next block of the same size */
		*plen = st->last_len;
		addr = st->last + (uint32_t)(1ull << (32 - st->last_len));
	} else if (x < 65) {
		*plen = 32;
		addr = (uint32_t)bg_next(r);
	} else {
		a = bg_below(r, 100000);
		if (a < 3)
			*plen = 8 + bg_below(r, 5);
		else if (a < 300)
			*plen = 13 + bg_below(r, 4);
		else if (a < 15300)
			*plen = 17 + bg_below(r, 7);
		else
			*plen = 24 + bg_below(r, 8);
		addr = (uint32_t)bg_next(r);
	}
	addr &= bg_v4_mask(*plen);
	st->last = addr;
	st->last_len = *plen;
	return addr;
}

#endif
