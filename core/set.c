/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The indicator set.
 *
 * Adding is cheap and allocation-free per indicator: every kind keeps
 * growable arrays (doubling), strings live in the set's arena, domains are
 * deduplicated on the fly through an open-addressing table of indices.
 * All the policy happens once, in pw_set_finalize():
 *
 * - domains are sorted by their labels reversed (`a.example.com` becomes
 *   `com\3example\3a`; a multikey quicksort that reads the first 8 bytes
 *   from the records), so a name comes right before the names below it;
 *   one walk with a stack of covering ancestors drops covered names, applies
 *   the allowlist and finds the allowed exceptions under blocked parents;
 * - prefixes and ports are sorted (radix sort on 64-bit keys for IPv4 and
 *   ports), exact duplicates merged, then overlapping and adjacent members
 *   merged into intervals, the holes (allow entries, reserved ranges, and
 *   for the monitor tier the blocked ranges) cut out, and what remains
 *   re-expressed as the minimal list of CIDR prefixes, each with the merged
 *   provenance of the members it overlaps;
 * - urls, wallets and hashes are sorted and deduplicated.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reserved.h"
#include "set.h"

typedef unsigned __int128 u128;

#define U128_MAX (~(u128)0)
#define PF_NEAR 8		/* prefetch distances for random walks */
#define PF_FAR 16
#define NAME_MAX_LEN 1024	/* far above 253: a sanity cap only */

/* key bytes of the domain sort (all below any name character) */
#define K_BLOCK '\1'		/* ends a blocked name */
#define K_ALLOW '\2'		/* ends an allowed name */
#define K_SEP '\3'		/* between reversed labels */

/*
 * Provenance of one entry.  The source mask is kept as two 32-bit halves
 * so that the struct is 4-byte aligned: 20 bytes instead of 24, in every
 * member and output of the set (a domain entry is 32 bytes, not 40).
 */
struct prov {
	uint32_t mask_lo;	/* one bit per source index: 0..31 */
	uint32_t mask_hi;	/* 32..63 */
	uint32_t line;		/* of the first source */
	uint32_t ext;		/* s->ext[] index; 0: none */
	uint8_t src;		/* first source */
	uint8_t monitor;
	uint8_t emergency;	/* only emergency blocks name it */
};

_Static_assert(sizeof(struct prov) == 20, "struct prov grew");

/* Rare provenance parts, shared by index. */
struct ext {
	const char *incident;
	int64_t expires;
};

struct dom {
	const char *name;
	struct prov p;
	uint16_t len;
	uint8_t mode;		/* enum pw_dmode; 0 once removed */
	uint8_t allowed;	/* already counted as trimmed by an allow */
};

struct adom {
	const char *name;
	uint16_t len;
	uint8_t mode;
};

/* url, wallet, hash */
struct sent {
	const char *str;
	const char *host;
	struct prov p;
	uint32_t seq;
	uint16_t port;
	uint8_t mode;
};

struct span {
	u128 lo, hi;
};

/*
 * Sort records: a 64-bit key (prefixes and ports: lo << 32 | hi; domains:
 * the first 8 bytes of the sort key, big-endian) and the entry index.
 */
struct k64 {
	uint64_t key;
	uint32_t idx;
	uint32_t off;		/* domains: offset of the sort key */
};

/*
 * An IPv6 member as added: the network address in two 64-bit halves (not
 * a u128, whose 16-byte alignment would make this 48 bytes, not 24), its
 * number of host bits (128 - plen: the end follows) and its index.  The
 * list is sorted in place by address, end, then index.
 */
struct w128 {
	uint64_t lo_hi, lo_lo;
	uint32_t idx;
	uint8_t hbits;
};

struct inport {
	uint16_t lo, hi;
	uint8_t proto;
};

/*
 * What an output keeps of its provenance: what pw_set_iter() tells.  The
 * first source and line only serve the diagnostics, all made before the
 * outputs are; without them (and with the flags beside the prefix length)
 * an IPv4 output is 20 bytes, not 28.
 */
struct oprov {
	uint32_t mask_lo, mask_hi;
	uint32_t ext;
};

struct o4 {
	uint32_t addr;
	struct oprov p;
	uint8_t plen;
	uint8_t monitor;
	uint8_t emergency;
};

_Static_assert(sizeof(struct o4) == 20, "struct o4 grew");

struct o6 {
	uint8_t addr[16];
	struct oprov p;
	uint8_t plen;
	uint8_t monitor;
	uint8_t emergency;
};

struct oport {
	uint16_t lo, hi;
	struct oprov p;
	uint8_t proto;
	uint8_t monitor;
	uint8_t emergency;
};

/* an output's provenance, and back (src and line left 0) */
#define OUT_SET_PROV(o, pv)                                                 \
	do {                                                                \
		(o)->p.mask_lo = (pv)->mask_lo;                             \
		(o)->p.mask_hi = (pv)->mask_hi;                             \
		(o)->p.ext = (pv)->ext;                                     \
		(o)->monitor = (pv)->monitor;                               \
		(o)->emergency = (pv)->emergency;                           \
	} while (0)
#define OUT_PROV(o)                                                         \
	((struct prov){ .mask_lo = (o)->p.mask_lo,                          \
			.mask_hi = (o)->p.mask_hi,                          \
			.ext = (o)->p.ext,                                  \
			.monitor = (o)->monitor,                            \
			.emergency = (o)->emergency })

/* a growable array */
struct vec {
	void *v;
	size_t n, cap;
};

struct pw_set {
	struct pw_arena *arena;
	char *src[PW_SET_MAX_SOURCES];
	unsigned n_src;
	size_t src_len;		/* sum of the source name lengths */

	struct vec ext;		/* struct ext; [0] unused */
	const char *inc_copy;	/* copy of the last incident added */
	const char *ext_inc;	/* the last ext made by pw_set_add */
	int64_t ext_exp;
	uint32_t ext_last;

	struct vec dom;		/* struct dom */
	uint64_t *htab;		/* hash << 32 | (dom index + 1) */
	size_t hcap;
	struct vec adom;	/* struct adom */

	struct vec k4;		/* uint64_t: lo << 32 | hi */
	struct vec p4;		/* struct prov */
	struct vec g6;		/* struct w128 */
	struct vec p6;
	struct vec gp;		/* struct inport */
	struct vec pp;
	struct vec a4, a6;	/* struct span: allowed prefixes */
	struct vec str[3];	/* struct sent: url, wallet, hash */

	bool final, tried;
	uint32_t *dom_order;	/* kept domains in hierarchy order */
	size_t n_dom_out;
	uint32_t *exc;		/* adom indices of the exceptions */
	size_t n_exc;
	struct vec o4, o6, op;
	struct pw_set_stats st;
};

/* ---- small helpers ---------------------------------------------------- */

static int vec_grow(struct vec *v, size_t esz)
{
	size_t cap;
	void *p;

	if (v->n < v->cap)
		return 0;
	cap = v->cap ? v->cap * 2 : 64;
	if (cap < v->cap || cap > SIZE_MAX / esz)
		return -ENOMEM;
	p = realloc(v->v, cap * esz);
	if (!p)
		return -ENOMEM;
	v->v = p;
	v->cap = cap;
	return 0;
}

/*
 * Room for n items at once.  The outputs of aggregation are reserved for
 * as many as there are members before they are emitted: grown by
 * doubling instead, once glibc has raised its mmap threshold (freeing the
 * feed's buffer does), each step is a copy on the heap that leaves the
 * previous block behind, still resident: 17 MB more at the peak of a
 * million IPv4 members.  Reserved and never touched costs no memory.
 */
static int vec_reserve(struct vec *v, size_t n, size_t esz)
{
	void *p;

	if (n <= v->cap)
		return 0;
	if (n > SIZE_MAX / esz)
		return -ENOMEM;
	p = realloc(v->v, n * esz);
	if (!p)
		return -ENOMEM;
	v->v = p;
	v->cap = n;
	return 0;
}

static void vec_free(struct vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

static int str_kind_slot(unsigned kind)
{
	switch (kind) {
	case PW_I_URL:
		return 0;
	case PW_I_WALLET:
		return 1;
	case PW_I_HASH:
		return 2;
	}
	return -1;
}

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static u128 v6_get(const uint8_t b[16])
{
	u128 x = 0;
	int i;

	for (i = 0; i < 16; i++)
		x = (x << 8) | b[i];
	return x;
}

static void v6_put(u128 x, uint8_t b[16])
{
	int i;

	for (i = 15; i >= 0; i--) {
		b[i] = (uint8_t)x;
		x >>= 8;
	}
}

/* all-ones in the low (width - plen) bits */
static u128 host_mask(unsigned width, unsigned plen)
{
	unsigned k = width - plen;

	return k >= 128 ? U128_MAX : ((u128)1 << k) - 1;
}

/* ---- provenance --------------------------------------------------------- */

static const char *prov_incident(const struct pw_set *s,
				 const struct prov *p)
{
	return p->ext ? ((const struct ext *)s->ext.v)[p->ext].incident : NULL;
}

static int64_t prov_expires(const struct pw_set *s, const struct prov *p)
{
	return p->ext ? ((const struct ext *)s->ext.v)[p->ext].expires : 0;
}

static int ext_new(struct pw_set *s, const char *incident, int64_t expires,
		   uint32_t *idx)
{
	struct ext *e;

	if (!incident && !expires) {
		*idx = 0;
		return 0;
	}
	if (s->ext.n == 0) {
		/* slot 0 means "none" */
		if (vec_grow(&s->ext, sizeof(*e)))
			return -ENOMEM;
		e = s->ext.v;
		e->incident = NULL;
		e->expires = 0;
		s->ext.n = 1;
	}
	if (s->ext.n >= UINT32_MAX)
		return -ENOMEM;
	if (vec_grow(&s->ext, sizeof(*e)))
		return -ENOMEM;
	e = (struct ext *)s->ext.v + s->ext.n;
	e->incident = incident;
	e->expires = expires;
	*idx = (uint32_t)s->ext.n++;
	return 0;
}

/*
 * Merge x into d (d came first): sources OR-ed, first source:line kept,
 * monitor only if both were, incident the first non-NULL, expiry the later
 * with 0 (permanent) winning.
 */
static int prov_merge(struct pw_set *s, struct prov *d, const struct prov *x)
{
	const char *di, *xi, *ri;
	int64_t de, xe, re;

	d->mask_lo |= x->mask_lo;
	d->mask_hi |= x->mask_hi;
	d->monitor = d->monitor && x->monitor;
	d->emergency = d->emergency && x->emergency;
	if (d->ext == x->ext)
		return 0;
	di = prov_incident(s, d);
	xi = prov_incident(s, x);
	de = prov_expires(s, d);
	xe = prov_expires(s, x);
	ri = di ? di : xi;
	re = (de == 0 || xe == 0) ? 0 : (de > xe ? de : xe);
	if (ri == di && re == de)
		return 0;
	if (ri == xi && re == xe) {
		d->ext = x->ext;
		return 0;
	}
	return ext_new(s, ri, re, &d->ext);
}

static int prov_init(struct pw_set *s, struct prov *p, unsigned src,
		     unsigned line, const char *incident, int64_t expires,
		     bool monitor, bool emergency)
{
	const char *inc;
	int err;

	if (src >= PW_SET_MAX_SOURCES)
		src = PW_SET_MAX_SOURCES - 1;
	p->mask_lo = src < 32 ? (uint32_t)1 << src : 0;
	p->mask_hi = src < 32 ? 0 : (uint32_t)1 << (src - 32);
	p->src = (uint8_t)src;
	p->line = line;
	p->monitor = monitor;
	p->emergency = emergency;
	p->ext = 0;
	if (!incident && !expires)
		return 0;
	if (incident && (!s->inc_copy || strcmp(s->inc_copy, incident))) {
		char *c = pw_arena_strndup(s->arena, incident,
					   strlen(incident));

		if (!c)
			return -ENOMEM;
		s->inc_copy = c;
	}
	inc = incident ? s->inc_copy : NULL;
	if (s->ext_last && s->ext_inc == inc && s->ext_exp == expires) {
		p->ext = s->ext_last;
		return 0;
	}
	err = ext_new(s, inc, expires, &p->ext);
	if (err)
		return err;
	s->ext_last = p->ext;
	s->ext_inc = inc;
	s->ext_exp = expires;
	return 0;
}

static const char *src_name(const struct pw_set *s, const struct prov *p)
{
	return p->src < s->n_src ? s->src[p->src] : "?";
}

/* ---- lifecycle, sources -------------------------------------------------- */

struct pw_set *pw_set_new(void)
{
	struct pw_set *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->arena = pw_arena_new();
	if (!s->arena) {
		free(s);
		return NULL;
	}
	return s;
}

void pw_set_free(struct pw_set *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->n_src; i++)
		free(s->src[i]);
	vec_free(&s->ext);
	vec_free(&s->dom);
	free(s->htab);
	vec_free(&s->adom);
	vec_free(&s->k4);
	vec_free(&s->p4);
	vec_free(&s->g6);
	vec_free(&s->p6);
	vec_free(&s->gp);
	vec_free(&s->pp);
	vec_free(&s->a4);
	vec_free(&s->a6);
	for (i = 0; i < 3; i++)
		vec_free(&s->str[i]);
	free(s->dom_order);
	free(s->exc);
	vec_free(&s->o4);
	vec_free(&s->o6);
	vec_free(&s->op);
	pw_arena_free(s->arena);
	free(s);
}

struct pw_arena *pw_set_arena(struct pw_set *s)
{
	return s->arena;
}

int pw_set_source(struct pw_set *s, const char *name)
{
	unsigned i;
	size_t len;

	if (!name)
		return -EINVAL;
	for (i = 0; i < s->n_src; i++) {
		if (strcmp(s->src[i], name) == 0)
			return (int)i;
	}
	if (s->n_src == PW_SET_MAX_SOURCES)
		return PW_SET_MAX_SOURCES - 1;
	len = strlen(name);
	s->src[s->n_src] = strdup(name);
	if (!s->src[s->n_src])
		return -ENOMEM;
	s->src_len += len;
	return (int)s->n_src++;
}

const char *pw_set_source_name(const struct pw_set *s, unsigned idx)
{
	return idx < s->n_src ? s->src[idx] : NULL;
}

unsigned pw_set_n_sources(const struct pw_set *s)
{
	return s->n_src;
}

/* ---- adding ------------------------------------------------------------- */

/* slots of the domain table: hash << 32 | (index + 1); 0 is empty */
#define SLOT_IDX(x) ((uint32_t)(x) - 1)
#define SLOT_HASH(x) ((uint32_t)((x) >> 32))

static int htab_grow(struct pw_set *s)
{
	size_t cap = s->hcap ? s->hcap * 2 : 1024, i, j;
	uint64_t *t;

	if (cap > SIZE_MAX / sizeof(*t))
		return -ENOMEM;
	t = calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < s->hcap; i++) {
		if (!s->htab[i])
			continue;
		for (j = SLOT_HASH(s->htab[i]) & (cap - 1); t[j];
		     j = (j + 1) & (cap - 1))
			;
		t[j] = s->htab[i];
	}
	free(s->htab);
	s->htab = t;
	s->hcap = cap;
	return 0;
}

/* The domain named name[0..len), or NULL and *slot = where it would go. */
static struct dom *dom_lookup(const struct pw_set *s, const char *name,
			      size_t len, uint32_t h, size_t *slot)
{
	struct dom *dv = s->dom.v, *d;
	size_t j;

	for (j = h & (s->hcap - 1); s->htab[j]; j = (j + 1) & (s->hcap - 1)) {
		if (SLOT_HASH(s->htab[j]) != h)
			continue;
		d = &dv[SLOT_IDX(s->htab[j])];
		if (d->len == len && memcmp(d->name, name, len) == 0) {
			*slot = j;
			return d;
		}
	}
	*slot = j;
	return NULL;
}

static int add_domain(struct pw_set *s, const struct pw_ind *in,
		      const struct prov *p)
{
	size_t len, j;
	uint32_t h;
	struct dom *d;

	if (!in->str || in->mode < PW_D_EXACT || in->mode > PW_D_TREE)
		return -EINVAL;
	len = strlen(in->str);
	if (len == 0 || len > NAME_MAX_LEN)
		return -EINVAL;
	if ((s->dom.n + 1) * 2 > s->hcap && htab_grow(s))
		return -ENOMEM;
	h = name_hash(in->str, len);
	d = dom_lookup(s, in->str, len, h, &j);
	if (d) {
		s->st.duplicates++;
		d->mode |= in->mode;
		return prov_merge(s, &d->p, p);
	}
	if (s->dom.n >= UINT32_MAX - 1 || vec_grow(&s->dom, sizeof(*d)))
		return -ENOMEM;
	d = (struct dom *)s->dom.v + s->dom.n;
	d->name = in->str;
	d->len = (uint16_t)len;
	d->mode = in->mode;
	d->allowed = 0;
	d->p = *p;
	s->htab[j] = (uint64_t)h << 32 | (uint32_t)++s->dom.n;
	return 0;
}

static int add_prov(struct vec *pv, const struct prov *p)
{
	if (vec_grow(pv, sizeof(*p)))
		return -ENOMEM;
	((struct prov *)pv->v)[pv->n++] = *p;
	return 0;
}

static int add_v4(struct pw_set *s, const struct pw_ind *in,
		  const struct prov *p)
{
	uint64_t lo, hi;

	if (in->plen > 32 || s->k4.n >= UINT32_MAX)
		return -EINVAL;
	hi = (uint64_t)in->a.v4 | (0xffffffffull >> in->plen);
	lo = hi & ~(0xffffffffull >> in->plen);
	if (vec_grow(&s->k4, sizeof(uint64_t)) || add_prov(&s->p4, p))
		return -ENOMEM;
	((uint64_t *)s->k4.v)[s->k4.n++] = lo << 32 | hi;
	return 0;
}

static int add_v6(struct pw_set *s, const struct pw_ind *in,
		  const struct prov *p)
{
	struct w128 *g;
	u128 lo;

	if (in->plen > 128 || s->g6.n >= UINT32_MAX)
		return -EINVAL;
	if (vec_grow(&s->g6, sizeof(*g)) || add_prov(&s->p6, p))
		return -ENOMEM;
	lo = v6_get(in->a.v6) & ~host_mask(128, in->plen);
	g = (struct w128 *)s->g6.v + s->g6.n;
	g->lo_hi = (uint64_t)(lo >> 64);
	g->lo_lo = (uint64_t)lo;
	g->idx = (uint32_t)s->g6.n++;
	g->hbits = (uint8_t)(128 - in->plen);
	return 0;
}

static int add_port(struct pw_set *s, const struct pw_ind *in,
		    const struct prov *p)
{
	struct inport *g;
	uint16_t hi = in->port_hi ? in->port_hi : in->port_lo;

	if (in->mode < PW_PROTO_TCP || in->mode > PW_PROTO_BOTH ||
	    hi < in->port_lo || s->gp.n >= UINT32_MAX)
		return -EINVAL;
	if (vec_grow(&s->gp, sizeof(*g)) || add_prov(&s->pp, p))
		return -ENOMEM;
	g = (struct inport *)s->gp.v + s->gp.n++;
	g->lo = in->port_lo;
	g->hi = hi;
	g->proto = in->mode;
	return 0;
}

static int add_str(struct pw_set *s, const struct pw_ind *in,
		   const struct prov *p)
{
	struct vec *v = &s->str[str_kind_slot(in->kind)];
	struct sent *e;

	if (!in->str || v->n >= UINT32_MAX)
		return -EINVAL;
	if (vec_grow(v, sizeof(*e)))
		return -ENOMEM;
	e = (struct sent *)v->v + v->n;
	e->str = in->str;
	e->host = in->host;
	e->port = in->port_lo;
	e->mode = in->mode;
	e->p = *p;
	e->seq = (uint32_t)v->n++;
	return 0;
}

int pw_set_add(struct pw_set *s, const struct pw_ind *in, unsigned src,
	       unsigned line, const char *incident, int64_t expires)
{
	struct prov p;
	int err;

	if (s->final || s->tried || in->kind < PW_I_DOMAIN ||
	    in->kind > PW_I_HASH)
		return -EINVAL;
	err = prov_init(s, &p, src, line, incident, expires, in->monitor,
			in->emergency);
	if (err)
		return err;
	switch (in->kind) {
	case PW_I_DOMAIN:
		err = add_domain(s, in, &p);
		break;
	case PW_I_IPV4:
		err = add_v4(s, in, &p);
		break;
	case PW_I_IPV6:
		err = add_v6(s, in, &p);
		break;
	case PW_I_PORT:
		err = add_port(s, in, &p);
		break;
	default:
		err = add_str(s, in, &p);
		break;
	}
	if (!err)
		s->st.added[in->kind]++;
	return err;
}

int pw_set_allow(struct pw_set *s, const struct pw_ind *in)
{
	struct adom *a;
	struct span *g;
	size_t len;
	u128 m;

	if (s->final || s->tried)
		return -EINVAL;
	switch (in->kind) {
	case PW_I_DOMAIN:
		if (!in->str || in->mode < PW_D_EXACT || in->mode > PW_D_TREE)
			return -EINVAL;
		len = strlen(in->str);
		if (len == 0 || len > NAME_MAX_LEN)
			return -EINVAL;
		if (vec_grow(&s->adom, sizeof(*a)))
			return -ENOMEM;
		a = (struct adom *)s->adom.v + s->adom.n++;
		a->name = in->str;
		a->len = (uint16_t)len;
		a->mode = in->mode;
		return 0;
	case PW_I_IPV4:
		if (in->plen > 32)
			return -EINVAL;
		if (vec_grow(&s->a4, sizeof(*g)))
			return -ENOMEM;
		m = host_mask(32, in->plen);
		g = (struct span *)s->a4.v + s->a4.n++;
		g->lo = (u128)in->a.v4 & ~m;
		g->hi = g->lo | m;
		return 0;
	case PW_I_IPV6:
		if (in->plen > 128)
			return -EINVAL;
		if (vec_grow(&s->a6, sizeof(*g)))
			return -ENOMEM;
		m = host_mask(128, in->plen);
		g = (struct span *)s->a6.v + s->a6.n++;
		g->lo = v6_get(in->a.v6) & ~m;
		g->hi = g->lo | m;
		return 0;
	}
	return -EINVAL;
}

/* ---- text of an item ----------------------------------------------------- */

static int fmt_domain(char *buf, size_t cap, const char *name, unsigned mode)
{
	int n = snprintf(buf, cap, "%s%s", mode == PW_D_SUBS ? "*." : "",
			 name);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : n;
}

/* decimal of v (< 1000) at p, no leading zeros; returns the end */
static char *fmt_dec(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * IPv4 by hand: a million inet_ntop() and snprintf() calls were a third of
 * a netset -> ioc compile.  The text is inet_ntop's: four decimal bytes
 * without leading zeros, then `/len` unless a host address (plen <= 32).
 */
static int fmt_prefix4(char *buf, size_t cap, const uint8_t *addr,
		       unsigned plen)
{
	char a[sizeof("255.255.255.255/32")], *p = a;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = fmt_dec(p, addr[i]);
	}
	if (plen != 32) {
		*p++ = '/';
		p = fmt_dec(p, plen);
	}
	n = (size_t)(p - a);
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(buf, a, n);
	buf[n] = '\0';
	return (int)n;
}

static int fmt_prefix(char *buf, size_t cap, int af, const uint8_t *addr,
		      unsigned plen)
{
	char a[INET6_ADDRSTRLEN];
	unsigned full = af == AF_INET ? 32 : 128;
	int n;

	if (af == AF_INET && plen <= 32)
		return fmt_prefix4(buf, cap, addr, plen);
	if (!inet_ntop(af, addr, a, sizeof(a)))
		return -EINVAL;
	if (plen == full)
		n = snprintf(buf, cap, "%s", a);
	else
		n = snprintf(buf, cap, "%s/%u", a, plen);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : n;
}

static void v4_bytes(uint32_t v, uint8_t b[4])
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static int fmt_span(char *buf, size_t cap, unsigned width, u128 lo,
		    unsigned plen)
{
	uint8_t b[16];

	if (width == 32) {
		v4_bytes((uint32_t)lo, b);
		return fmt_prefix(buf, cap, AF_INET, b, plen);
	}
	v6_put(lo, b);
	return fmt_prefix(buf, cap, AF_INET6, b, plen);
}

static void diag(const struct pw_set *s, const struct pw_set_opts *o,
		 const struct prov *p, int reason, const char *val)
{
	if (!o->diag)
		return;
	pw_diag_add(o->diag, src_name(s, p), p->line, reason, NULL, val,
		    strlen(val));
}

/* Stable LSD radix sort of 64-bit keys, 16 bits a pass. */
static int radix_sort(struct k64 *a, size_t n)
{
	struct k64 *tmp, *src = a, *dst, *sw;
	size_t *cnt, i, sum, c;
	unsigned shift;

	if (n < 2)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	cnt = malloc(65536 * sizeof(*cnt));
	if (!tmp || !cnt) {
		free(tmp);
		free(cnt);
		return -ENOMEM;
	}
	dst = tmp;
	for (shift = 0; shift < 64; shift += 16) {
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i].key >> shift) & 0xffff]++;
		if (cnt[(src[0].key >> shift) & 0xffff] == n)
			continue;	/* all the same digit */
		for (i = 0, sum = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i].key >> shift) & 0xffff]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
	free(cnt);
	return 0;
}

/* The same for plain 64-bit values, with room for n more from the caller. */
static int radix_sort64(uint64_t *a, size_t n, uint64_t *tmp)
{
	uint64_t *src = a, *dst, *sw;
	size_t *cnt, i, sum, c;
	unsigned shift;

	if (n < 2)
		return 0;
	cnt = malloc(65536 * sizeof(*cnt));
	if (!cnt)
		return -ENOMEM;
	dst = tmp;
	for (shift = 0; shift < 64; shift += 16) {
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 0xffff]++;
		if (cnt[(src[0] >> shift) & 0xffff] == n)
			continue;	/* all the same digit */
		for (i = 0, sum = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 0xffff]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(cnt);
	return 0;
}

/* ---- domains ------------------------------------------------------------- */

/* k64.idx of domain records: dom index, or adom index | DK_ALLOW */
#define DK_ALLOW 0x80000000u

/* Byte `depth` of a sort key: the first 8 come from the cached prefix. */
static inline unsigned char dk_ch(const char *kb, const struct k64 *k,
				  size_t depth)
{
	if (depth < 8)
		return (unsigned char)(k->key >> (56 - 8 * depth));
	return (unsigned char)kb[k->off + depth];
}

static int dk_cmp(const char *kb, const struct k64 *a, const struct k64 *b,
		  size_t depth)
{
	if (depth < 8 && a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (!(a->key & 0xff))
		return 0;	/* equal and ended within the prefix */
	if (depth < 8)
		depth = 8;
	return strcmp(kb + a->off + depth, kb + b->off + depth);
}

static void dk_swap(struct k64 *a, struct k64 *b)
{
	struct k64 t = *a;

	*a = *b;
	*b = t;
}

/* Heapsort fallback: keys equal up to depth, O(n log n) whatever comes. */
static void dk_sift(struct k64 *a, size_t root, size_t n, size_t depth,
		    const char *kb)
{
	size_t c;

	for (c = 2 * root + 1; c < n; c = 2 * root + 1) {
		if (c + 1 < n && dk_cmp(kb, &a[c], &a[c + 1], depth) < 0)
			c++;
		if (dk_cmp(kb, &a[root], &a[c], depth) >= 0)
			return;
		dk_swap(&a[root], &a[c]);
		root = c;
	}
}

static void dk_heapsort(struct k64 *a, size_t n, size_t depth,
			const char *kb)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		dk_sift(a, i, n, depth, kb);
	for (i = n; i-- > 1;) {
		dk_swap(&a[0], &a[i]);
		dk_sift(a, 0, i, depth, kb);
	}
}

static unsigned dk_budget(size_t n)
{
	unsigned b = 8;

	for (; n > 1; n >>= 1)
		b += 2;
	return b;
}

/*
 * Multikey quicksort (Bentley & Sedgewick) of NUL-terminated keys whose
 * first `depth` bytes are equal.  `budget` bounds the partitions at one
 * depth; a feed crafted against the pivot choice ends in heapsort, as in
 * introsort.
 */
static void dk_sort(struct k64 *a, size_t n, size_t depth, const char *kb,
		    unsigned budget)
{
	while (n > 1) {
		size_t lt = 0, i = 0, gt = n, nl, ne, ng;
		unsigned char v, c0, c1, c2;

		if (n < 12) {
			size_t x, y;

			for (x = 1; x < n; x++) {
				for (y = x; y > 0 &&
				     dk_cmp(kb, &a[y - 1], &a[y], depth) > 0;
				     y--)
					dk_swap(&a[y - 1], &a[y]);
			}
			return;
		}
		if (!budget--) {
			dk_heapsort(a, n, depth, kb);
			return;
		}
		/* median of three */
		c0 = dk_ch(kb, &a[0], depth);
		c1 = dk_ch(kb, &a[n / 2], depth);
		c2 = dk_ch(kb, &a[n - 1], depth);
		if ((c0 <= c1 && c1 <= c2) || (c2 <= c1 && c1 <= c0))
			v = c1;
		else if ((c1 <= c0 && c0 <= c2) || (c2 <= c0 && c0 <= c1))
			v = c0;
		else
			v = c2;
		while (i < gt) {
			unsigned char c = dk_ch(kb, &a[i], depth);

			if (c < v)
				dk_swap(&a[lt++], &a[i++]);
			else if (c > v)
				dk_swap(&a[i], &a[--gt]);
			else
				i++;
		}
		nl = lt;
		ne = gt - lt;
		ng = n - gt;
		/* recurse into the smaller parts, loop on the largest */
		if (nl >= ne && nl >= ng) {
			if (v)
				dk_sort(a + lt, ne, depth + 1, kb,
					dk_budget(ne));
			dk_sort(a + gt, ng, depth, kb, budget);
			n = nl;
		} else if (ng >= ne) {
			if (v)
				dk_sort(a + lt, ne, depth + 1, kb,
					dk_budget(ne));
			dk_sort(a, nl, depth, kb, budget);
			a += gt;
			n = ng;
		} else {
			dk_sort(a, nl, depth, kb, budget);
			dk_sort(a + gt, ng, depth, kb, budget);
			if (!v)
				return;
			a += lt;
			n = ne;
			depth++;
			budget = dk_budget(n);
		}
	}
}

/*
 * Write name with its labels reversed, K_SEP between, then `end`, NUL.
 * Returns the first 8 bytes of that key, big-endian, zero-padded.
 */
static uint64_t dk_make(char *out, const char *name, size_t len, char end)
{
	size_t e = len, o = 0, b;
	uint64_t pre = 0;

	while (e > 0) {
		b = e;
		while (b > 0 && name[b - 1] != '.')
			b--;
		memcpy(out + o, name + b, e - b);
		o += e - b;
		if (b > 0) {
			out[o++] = K_SEP;
			e = b - 1;
		} else {
			e = 0;
		}
	}
	out[o++] = end;
	out[o] = '\0';
	for (b = 0; b < 8; b++)
		pre = pre << 8 | (b < o ? (unsigned char)out[b] : 0u);
	return pre;
}

enum { ST_ALLOW, ST_BLOCK, ST_MONITOR };

/* covering ancestors of a name: at most one per label */
#define ST_MAX (NAME_MAX_LEN / 2 + 2)

struct dstack {
	const char *key;
	size_t len;
	int type;
};

/* Is `k` (of length >= len) the key of a name strictly below `anc`? */
static bool dk_below(const char *k, const struct dstack *anc)
{
	return strncmp(k, anc->key, anc->len) == 0 && k[anc->len] == K_SEP;
}

static bool dk_same(const char *k, const struct dstack *anc)
{
	return strncmp(k, anc->key, anc->len) == 0 &&
	       (k[anc->len] == K_BLOCK || k[anc->len] == K_ALLOW);
}

/* A blocked name equal to an allowed one loses the allowed part. */
static void dom_allow_same(struct pw_set *s, const struct pw_set_opts *o)
{
	const struct adom *a = s->adom.v;
	char txt[NAME_MAX_LEN + 3];
	size_t i, j;

	if (!s->hcap)
		return;
	for (i = 0; i < s->adom.n; i++) {
		struct dom *d;
		uint8_t m;

		d = dom_lookup(s, a[i].name, a[i].len,
			       name_hash(a[i].name, a[i].len), &j);
		if (!d || !d->mode)
			continue;
		m = d->mode & (uint8_t)~a[i].mode;
		if (m == d->mode)
			continue;
		if (!d->allowed) {
			s->st.allowed++;
			if (fmt_domain(txt, sizeof(txt), d->name, d->mode) >= 0)
				diag(s, o, &d->p, PW_R_ALLOWED, txt);
		}
		d->allowed = 1;
		d->mode = m;
	}
}

static int dom_finalize(struct pw_set *s, const struct pw_set_opts *o)
{
	struct dom *dv = s->dom.v;
	struct adom *av = s->adom.v;
	struct dstack st[ST_MAX];
	size_t n_st = 0, n_allow = 0, n_block = 0, n_cover = 0;
	char txt[NAME_MAX_LEN + 3];
	struct k64 *k = NULL;
	char *kb = NULL;
	size_t i, n = 0, kbl = 0, off = 0;
	int err = -ENOMEM;

	dom_allow_same(s, o);
	/* the hash table is not needed any more */
	free(s->htab);
	s->htab = NULL;
	s->hcap = 0;
	for (i = 0; i < s->dom.n; i++) {
		if (dv[i].mode) {
			n++;
			kbl += dv[i].len + 2u;
		}
	}
	for (i = 0; i < s->adom.n; i++) {
		n++;
		kbl += av[i].len + 2u;
	}
	if (kbl > UINT32_MAX || n > SIZE_MAX / sizeof(*k))
		goto out;
	k = malloc((n ? n : 1) * sizeof(*k));
	kb = malloc(kbl ? kbl : 1);
	s->dom_order = malloc((s->dom.n ? s->dom.n : 1) * sizeof(uint32_t));
	s->exc = malloc((s->adom.n ? s->adom.n : 1) * sizeof(uint32_t));
	if (!k || !kb || !s->dom_order || !s->exc)
		goto out;
	n = 0;
	for (i = 0; i < s->dom.n; i++) {
		if (!dv[i].mode)
			continue;
		k[n].key = dk_make(kb + off, dv[i].name, dv[i].len, K_BLOCK);
		k[n].off = (uint32_t)off;
		k[n++].idx = (uint32_t)i;
		off += dv[i].len + 2u;
	}
	for (i = 0; i < s->adom.n; i++) {
		k[n].key = dk_make(kb + off, av[i].name, av[i].len, K_ALLOW);
		k[n].off = (uint32_t)off;
		k[n++].idx = (uint32_t)i | DK_ALLOW;
		off += av[i].len + 2u;
	}
	/* in place; the first 8 key bytes are read from the records */
	dk_sort(k, n, 0, kb, dk_budget(n));

	for (i = 0; i < n; i++) {
		const char *key = kb + k[i].off;

		if (i + PF_NEAR < n) {
			__builtin_prefetch(kb + k[i + PF_NEAR].off);
			if (!(k[i + PF_NEAR].idx & DK_ALLOW))
				__builtin_prefetch(&dv[k[i + PF_NEAR].idx]);
		}
		struct dom *d;
		struct adom *a;
		size_t top;

		/* keep only ancestors (or the same name) on the stack */
		while (n_st && !dk_below(key, &st[n_st - 1]) &&
		       !dk_same(key, &st[n_st - 1])) {
			n_st--;
			n_allow -= st[n_st].type == ST_ALLOW;
			n_block -= st[n_st].type == ST_BLOCK;
			n_cover -= st[n_st].type != ST_ALLOW;
		}
		if (k[i].idx & DK_ALLOW) {
			uint32_t ai = k[i].idx & ~DK_ALLOW;

			a = &av[ai];
			/* duplicates of an allowed name: merge them */
			while (i + 1 < n && (k[i + 1].idx & DK_ALLOW) &&
			       strcmp(key, kb + k[i + 1].off) == 0) {
				i++;
				a->mode |= av[k[i].idx & ~DK_ALLOW].mode;
			}
			/* nearest strict ancestor on the stack */
			top = n_st;
			if (top && !dk_below(key, &st[top - 1]))
				top--;
			if (top && st[top - 1].type != ST_ALLOW) {
				s->exc[s->n_exc++] = ai;
			}
			if ((a->mode & PW_D_SUBS) && n_st < ST_MAX) {
				st[n_st].key = key;
				st[n_st].len = a->len;
				st[n_st++].type = ST_ALLOW;
				n_allow++;
			}
			continue;
		}
		d = &dv[k[i].idx];
		if (n_allow || (d->p.monitor ? n_cover : n_block)) {
			int why = n_allow ? PW_R_ALLOWED : PW_R_COVERED;

			/* a name is counted (and told) once */
			if (!n_allow)
				s->st.covered++;
			else if (!d->allowed)
				s->st.allowed++;
			if ((!n_allow || !d->allowed) &&
			    fmt_domain(txt, sizeof(txt), d->name, d->mode) >= 0)
				diag(s, o, &d->p, why, txt);
			d->mode = 0;
			continue;
		}
		s->dom_order[s->n_dom_out++] = k[i].idx;
		if ((d->mode & PW_D_SUBS) && n_st < ST_MAX) {
			st[n_st].key = key;
			st[n_st].len = d->len;
			st[n_st++].type = d->p.monitor ? ST_MONITOR : ST_BLOCK;
			n_block += !d->p.monitor;
			n_cover++;
		}
	}
	s->st.final[PW_I_DOMAIN] = s->n_dom_out;
	err = 0;
out:
	free(k);
	free(kb);
	return err;
}

/* ---- intervals: prefixes and ports --------------------------------------- */

/*
 * A packed IPv4 member, one uint64_t: the network address in bits 63..32,
 * the number of host bits (32 - plen) in 31..26, the member's index in
 * 25..0.  Sorting these as integers orders the members by address, then
 * by end (more host bits ends later), then in insertion order, as the
 * stable sort of struct k64 records does, in half the memory and without
 * a copy of the keys.  Used when there are at most V4_IDX_MASK + 1.
 */
#define V4_IDX_BITS 26
#define V4_IDX_MASK ((1u << V4_IDX_BITS) - 1)

/*
 * A sorted member list: packed IPv4 members, 64-bit keys (v4 when too
 * many to pack, ports) or IPv6 members.
 */
struct mlist {
	uint64_t *v4;
	struct k64 *k;
	struct w128 *w;
	size_t n;
	struct prov *prov;	/* indexed by the members' idx */
};

static inline void ml_get(const struct mlist *m, size_t i, u128 *lo, u128 *hi)
{
	if (m->v4) {
		uint64_t v = m->v4[i];

		*lo = v >> 32;
		*hi = *lo | ((((uint64_t)1) << ((v >> V4_IDX_BITS) & 63)) - 1);
	} else if (m->k) {
		*lo = m->k[i].key >> 32;
		*hi = (uint32_t)m->k[i].key;
	} else {
		*lo = (u128)m->w[i].lo_hi << 64 | m->w[i].lo_lo;
		*hi = *lo | host_mask(128, 128 - m->w[i].hbits);
	}
}

static inline struct prov *ml_prov(const struct mlist *m, size_t i)
{
	if (m->v4)
		return &m->prov[m->v4[i] & V4_IDX_MASK];
	return &m->prov[m->k ? m->k[i].idx : m->w[i].idx];
}

static size_t ml_esz(const struct mlist *m)
{
	if (m->v4)
		return sizeof(*m->v4);
	return m->k ? sizeof(struct k64) : sizeof(struct w128);
}

static void *ml_at(const struct mlist *m, size_t i)
{
	if (m->v4)
		return &m->v4[i];
	return m->k ? (void *)&m->k[i] : (void *)&m->w[i];
}

static unsigned ctz128(u128 x)
{
	uint64_t l = (uint64_t)x, h = (uint64_t)(x >> 64);

	if (l)
		return (unsigned)__builtin_ctzll(l);
	if (h)
		return 64 + (unsigned)__builtin_ctzll(h);
	return 128;
}

/* floor(log2(x)), x > 0 */
static unsigned log2_128(u128 x)
{
	uint64_t h = (uint64_t)(x >> 64);

	if (h)
		return 127 - (unsigned)__builtin_clzll(h);
	return 63 - (unsigned)__builtin_clzll((uint64_t)x);
}

static u128 low_mask(unsigned k)
{
	return k >= 128 ? U128_MAX : ((u128)1 << k) - 1;
}

/* The largest aligned block starting at lo inside [lo, hi]: its bits. */
static unsigned cidr_bits(u128 lo, u128 hi, unsigned width)
{
	unsigned k = ctz128(lo), k2;

	if (k > width)
		k = width;
	k2 = hi - lo == U128_MAX ? 128 : log2_128(hi - lo + 1);
	return k < k2 ? k : k2;
}

static size_t cidr_count(u128 lo, u128 hi, unsigned width)
{
	size_t c = 0;
	u128 end;

	for (;;) {
		end = lo | low_mask(cidr_bits(lo, hi, width));
		c++;
		if (end >= hi)
			return c;
		lo = end + 1;
	}
}

struct agg {
	struct pw_set *s;
	const struct mlist *m;
	unsigned width;		/* 32, 128: CIDR prefixes; 0: ranges */
	uint8_t proto;		/* ports */
	const struct span *holes;	/* sorted, disjoint */
	size_t nh;
	struct vec *out;
	int (*emit)(struct agg *g, u128 lo, u128 hi, unsigned plen,
		    const struct prov *p);
	size_t next, end;	/* members of this interval not yet active */
	struct vec act;		/* size_t: members that may overlap */
};

/* One output [lo, hi]: its provenance is that of the members it overlaps. */
static int agg_out(struct agg *g, u128 lo, u128 hi, unsigned plen)
{
	size_t *act, i, j;
	u128 ml, mh;
	struct prov p;
	int err;

	for (; g->next < g->end; g->next++) {
		ml_get(g->m, g->next, &ml, &mh);
		if (ml > hi)
			break;
		if (vec_grow(&g->act, sizeof(size_t)))
			return -ENOMEM;
		((size_t *)g->act.v)[g->act.n++] = g->next;
	}
	act = g->act.v;
	for (i = j = 0; i < g->act.n; i++) {
		ml_get(g->m, act[i], &ml, &mh);
		if (mh >= lo)
			act[j++] = act[i];
	}
	g->act.n = j;
	if (!j)
		return -EINVAL;	/* cannot be: outputs lie in members */
	p = *ml_prov(g->m, act[0]);
	for (i = 1; i < j; i++) {
		err = prov_merge(g->s, &p, ml_prov(g->m, act[i]));
		if (err)
			return err;
	}
	return g->emit(g, lo, hi, plen, &p);
}

static int agg_piece(struct agg *g, u128 lo, u128 hi)
{
	unsigned k;
	u128 end;
	int err;

	if (!g->width)
		return agg_out(g, lo, hi, 0);
	for (;;) {
		k = cidr_bits(lo, hi, g->width);
		end = lo | low_mask(k);
		err = agg_out(g, lo, end, g->width - k);
		if (err || end >= hi)
			return err;
		lo = end + 1;
	}
}

/* Merge the members into intervals, cut the holes out, emit the rest. */
static int agg_run(struct agg *g)
{
	const struct mlist *m = g->m;
	size_t i = 0, a, h, hp = 0;
	u128 lo, hi, l2, h2, cur;
	bool done;
	int err;

	while (i < m->n) {
		a = i;
		ml_get(m, i++, &lo, &hi);
		for (; i < m->n; i++) {
			ml_get(m, i, &l2, &h2);
			if (hi != U128_MAX && l2 > hi + 1)
				break;
			if (h2 > hi)
				hi = h2;
		}
		g->s->st.aggregated +=
			(i - a) - (g->width ? cidr_count(lo, hi, g->width) : 1);
		g->next = a;
		g->end = i;
		g->act.n = 0;
		while (hp < g->nh && g->holes[hp].hi < lo)
			hp++;
		cur = lo;
		done = false;
		for (h = hp; h < g->nh && g->holes[h].lo <= hi; h++) {
			if (g->holes[h].lo > cur) {
				err = agg_piece(g, cur, g->holes[h].lo - 1);
				if (err)
					return err;
			}
			if (g->holes[h].hi >= hi) {
				done = true;
				break;
			}
			cur = g->holes[h].hi + 1;
		}
		if (!done) {
			err = agg_piece(g, cur, hi);
			if (err)
				return err;
		}
	}
	return 0;
}

static int emit4(struct agg *g, u128 lo, u128 hi, unsigned plen,
		 const struct prov *p)
{
	struct o4 *o;

	if (vec_grow(g->out, sizeof(*o)))
		return -ENOMEM;
	o = (struct o4 *)g->out->v + g->out->n++;
	o->addr = (uint32_t)lo;
	o->plen = (uint8_t)plen;
	OUT_SET_PROV(o, p);
	return 0;
}

static int emit6(struct agg *g, u128 lo, u128 hi, unsigned plen,
		 const struct prov *p)
{
	struct o6 *o;

	if (vec_grow(g->out, sizeof(*o)))
		return -ENOMEM;
	o = (struct o6 *)g->out->v + g->out->n++;
	v6_put(lo, o->addr);
	o->plen = (uint8_t)plen;
	OUT_SET_PROV(o, p);
	return 0;
}

static int emitp(struct agg *g, u128 lo, u128 hi, unsigned plen,
		 const struct prov *p)
{
	struct oport *o;

	if (vec_grow(g->out, sizeof(*o)))
		return -ENOMEM;
	o = (struct oport *)g->out->v + g->out->n++;
	o->lo = (uint16_t)lo;
	o->hi = (uint16_t)hi;
	o->proto = g->proto;
	OUT_SET_PROV(o, p);
	return 0;
}

static void span4(const void *e, struct span *sp)
{
	const struct o4 *o = e;

	sp->lo = o->addr;
	sp->hi = sp->lo | low_mask(32 - o->plen);
}

static void span6(const void *e, struct span *sp)
{
	const struct o6 *o = e;

	sp->lo = v6_get(o->addr);
	sp->hi = sp->lo | low_mask(128 - o->plen);
}

static void spanp(const void *e, struct span *sp)
{
	const struct oport *o = e;

	sp->lo = o->lo;
	sp->hi = o->hi;
}

struct kops {
	size_t esz;
	int (*emit)(struct agg *g, u128 lo, u128 hi, unsigned plen,
		    const struct prov *p);
	void (*span)(const void *e, struct span *sp);
};

static const struct kops ops4 = { sizeof(struct o4), emit4, span4 };
static const struct kops ops6 = { sizeof(struct o6), emit6, span6 };
static const struct kops opsp = { sizeof(struct oport), emitp, spanp };

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

/* Append sp to a sorted list, coalescing overlapping and adjacent ones. */
static int span_push(struct vec *v, const struct span *sp)
{
	struct span *last;

	if (v->n) {
		last = (struct span *)v->v + v->n - 1;
		if (last->hi == U128_MAX || sp->lo <= last->hi + 1) {
			if (sp->hi > last->hi)
				last->hi = sp->hi;
			return 0;
		}
	}
	if (vec_grow(v, sizeof(*sp)))
		return -ENOMEM;
	((struct span *)v->v)[v->n++] = *sp;
	return 0;
}

/* out = union of two lists sorted by lo. */
static int span_union(const struct span *a, size_t na, const struct span *b,
		      size_t nb, struct vec *out)
{
	size_t i = 0, j = 0;
	int err = 0;

	while (!err && (i < na || j < nb)) {
		if (j >= nb || (i < na && a[i].lo <= b[j].lo))
			err = span_push(out, &a[i++]);
		else
			err = span_push(out, &b[j++]);
	}
	return err;
}

/* Sort and coalesce v in place. */
static int span_normalize(struct vec *v)
{
	struct vec t = { 0 };
	int err;

	if (v->n < 2)
		return 0;
	qsort(v->v, v->n, sizeof(struct span), span_cmp);
	err = span_union(v->v, v->n, NULL, 0, &t);
	if (err) {
		vec_free(&t);
		return err;
	}
	vec_free(v);
	*v = t;
	return 0;
}

static bool span_overlaps(const struct vec *v, u128 lo, u128 hi)
{
	const struct span *sp = v->v;
	size_t l = 0, r = v->n, mid;

	/* first span with hi >= lo */
	while (l < r) {
		mid = l + (r - l) / 2;
		if (sp[mid].hi < lo)
			l = mid + 1;
		else
			r = mid;
	}
	return l < v->n && sp[l].lo <= hi;
}

/*
 * Aggregate a kind's block tier then its monitor tier (minus the block
 * outputs) and leave both, merged by address, at the end of out.
 */
static int agg_tiers(struct pw_set *s, const struct kops *ops,
		     const struct mlist *blk, const struct mlist *mon,
		     unsigned width, uint8_t proto, const struct vec *holes,
		     struct vec *out)
{
	struct agg g = { .s = s, .width = width, .proto = proto,
			 .emit = ops->emit };
	struct vec bsp = { 0 }, h2 = { 0 }, mo = { 0 };
	size_t n0 = out->n, nb, i, j, t;
	struct span sp, sq;
	char *tmp = NULL;
	int err;

	g.m = blk;
	g.holes = holes->v;
	g.nh = holes->n;
	g.out = out;
	err = agg_run(&g);
	if (err || !mon->n)
		goto out;
	nb = out->n - n0;
	for (i = 0; i < nb; i++) {
		ops->span((char *)out->v + (n0 + i) * ops->esz, &sp);
		err = span_push(&bsp, &sp);
		if (err)
			goto out;
	}
	err = span_union(holes->v, holes->n, bsp.v, bsp.n, &h2);
	if (err)
		goto out;
	g.m = mon;
	g.holes = h2.v;
	g.nh = h2.n;
	g.out = &mo;
	err = agg_run(&g);
	if (err || !mo.n)
		goto out;
	/* merge the two sorted, disjoint runs */
	err = -ENOMEM;
	tmp = malloc((nb + mo.n) * ops->esz);
	if (!tmp)
		goto out;
	for (i = j = t = 0; i < nb || j < mo.n; t++) {
		const char *x = (char *)out->v + (n0 + i) * ops->esz;
		const char *y = (char *)mo.v + j * ops->esz;

		if (i < nb)
			ops->span(x, &sp);
		if (j < mo.n)
			ops->span(y, &sq);
		if (j >= mo.n || (i < nb && sp.lo < sq.lo)) {
			memcpy(tmp + t * ops->esz, x, ops->esz);
			i++;
		} else {
			memcpy(tmp + t * ops->esz, y, ops->esz);
			j++;
		}
	}
	while (out->cap < n0 + nb + mo.n) {
		out->n = out->cap;	/* make vec_grow double it */
		err = vec_grow(out, ops->esz);
		out->n = n0 + nb;
		if (err)
			goto out;
	}
	memcpy((char *)out->v + n0 * ops->esz, tmp, (nb + mo.n) * ops->esz);
	out->n = n0 + nb + mo.n;
	err = 0;
out:
	free(tmp);
	vec_free(&g.act);
	vec_free(&bsp);
	vec_free(&h2);
	vec_free(&mo);
	return err;
}

static int w128_cmp(const void *a, const void *b)
{
	const struct w128 *x = a, *y = b;

	if (x->lo_hi != y->lo_hi)
		return x->lo_hi < y->lo_hi ? -1 : 1;
	if (x->lo_lo != y->lo_lo)
		return x->lo_lo < y->lo_lo ? -1 : 1;
	/* same start: more host bits end later */
	if (x->hbits != y->hbits)
		return x->hbits < y->hbits ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * In a sorted list (equal members in insertion order), merge exact
 * duplicates into the first, then move the monitor tier to `mon`.
 */
static int ml_split(struct pw_set *s, struct mlist *blk, struct mlist *mon)
{
	size_t esz = ml_esz(blk), i, u = 0, nm = 0, b = 0;
	u128 lo, hi, plo = 0, phi = 0;
	char *mrec;
	int err;

	for (i = 0; i < blk->n; i++) {
		ml_get(blk, i, &lo, &hi);
		if (u && lo == plo && hi == phi) {
			err = prov_merge(s, ml_prov(blk, u - 1),
					 ml_prov(blk, i));
			if (err)
				return err;
			s->st.duplicates++;
			continue;
		}
		if (u != i)
			memcpy(ml_at(blk, u), ml_at(blk, i), esz);
		u++;
		plo = lo;
		phi = hi;
	}
	blk->n = u;
	for (i = 0; i < u; i++)
		nm += ml_prov(blk, i)->monitor;
	mon->prov = blk->prov;
	mon->n = 0;
	if (!nm)
		return 0;
	mrec = malloc(nm * esz);
	if (!mrec)
		return -ENOMEM;
	if (blk->v4)
		mon->v4 = (uint64_t *)mrec;
	else if (blk->k)
		mon->k = (struct k64 *)mrec;
	else
		mon->w = (struct w128 *)mrec;
	for (i = 0; i < u; i++) {
		if (ml_prov(blk, i)->monitor)
			memcpy(ml_at(mon, mon->n++), ml_at(blk, i), esz);
		else if (b++ != i)
			memcpy(ml_at(blk, b - 1), ml_at(blk, i), esz);
	}
	blk->n = b;
	return 0;
}

/* Count and report members touching allow entries or reserved ranges. */
static void ml_classify(struct pw_set *s, const struct pw_set_opts *o,
			const struct mlist *m, unsigned width,
			const struct vec *allow)
{
	char txt[INET6_ADDRSTRLEN + 8];
	uint8_t bl[16], bh[16];
	const char *rname;
	size_t i;
	u128 lo, hi;
	int r;

	for (i = 0; i < m->n; i++) {
		ml_get(m, i, &lo, &hi);
		if (allow->n && span_overlaps(allow, lo, hi)) {
			s->st.allowed++;
			if (fmt_span(txt, sizeof(txt), width, lo,
				     width - (hi == lo ? 0 :
					      log2_128(hi - lo) + 1)) >= 0)
				diag(s, o, ml_prov(m, i), PW_R_ALLOWED, txt);
		}
		if (width == 32) {
			r = pw_reserved_v4((uint32_t)lo, (uint32_t)hi,
					   o->allow_doc, &rname);
		} else {
			v6_put(lo, bl);
			v6_put(hi, bh);
			r = pw_reserved_v6(bl, bh, o->allow_doc, &rname);
		}
		if (r) {
			s->st.reserved++;
			if (fmt_span(txt, sizeof(txt), width, lo,
				     width - (hi == lo ? 0 :
					      log2_128(hi - lo) + 1)) >= 0)
				diag(s, o, ml_prov(m, i), PW_DN_RESERVED_TRIM, txt);
		}
	}
}

/* holes = allow entries + reserved ranges (documentation ones unless
 * allow_doc), sorted and coalesced; allow gets the allow entries alone. */
static int holes_build(struct vec *allow, bool v6, bool allow_doc,
		       struct vec *holes)
{
	struct vec res = { 0 };
	struct span sp;
	size_t i, n;
	int err;

	err = span_normalize(allow);
	if (err)
		return err;
	if (!v6) {
		const struct pw_range4 *r = pw_reserved4(&n);

		for (i = 0; i < n && !err; i++) {
			if (allow_doc && r[i].doc)
				continue;
			sp.lo = r[i].lo;
			sp.hi = r[i].hi;
			err = span_push(&res, &sp);
		}
	} else {
		const struct pw_range6 *r = pw_reserved6(&n);

		for (i = 0; i < n && !err; i++) {
			if (allow_doc && r[i].doc)
				continue;
			sp.lo = v6_get(r[i].lo);
			sp.hi = v6_get(r[i].hi);
			err = span_push(&res, &sp);
		}
	}
	if (!err)
		err = span_union(allow->v, allow->n, res.v, res.n, holes);
	vec_free(&res);
	return err;
}

/*
 * The keys of s->k4 packed in place (see V4_IDX_BITS), then sorted.  The
 * sort borrows its scratch from the room reserved for the outputs, which
 * are written only after it: a separate buffer would stay resident on
 * the heap after free() (see vec_reserve()), 8 MB a million members.
 */
static int v4_pack(struct pw_set *s, struct mlist *blk)
{
	uint64_t *v = s->k4.v, *tmp, lo, hi;
	uintptr_t at;
	size_t i, room, pad;
	int err;

	err = vec_reserve(&s->o4, s->o4.n + s->k4.n + 1, sizeof(struct o4));
	if (err)
		return err;
	at = (uintptr_t)((struct o4 *)s->o4.v + s->o4.n);
	pad = (8 - (at & 7)) & 7;
	room = (s->o4.cap - s->o4.n) * sizeof(struct o4);
	if (room < pad + s->k4.n * sizeof(*tmp))
		return -EINVAL;	/* cannot be: an o4 is larger */
	tmp = (uint64_t *)(at + pad);

	for (i = 0; i < s->k4.n; i++) {
		lo = v[i] >> 32;
		hi = (uint32_t)v[i];
		/* hi ^ lo is the host mask: its bits are 32 - plen */
		v[i] = lo << 32 |
		       (uint64_t)__builtin_popcount((uint32_t)(hi ^ lo))
			       << V4_IDX_BITS |
		       i;
	}
	blk->v4 = v;
	blk->n = s->k4.n;
	s->k4.v = NULL;		/* the list owns the array now */
	s->k4.n = s->k4.cap = 0;
	return radix_sort64(blk->v4, blk->n, tmp);
}

/* Too many to pack: the keys copied into k64 records, then sorted. */
static int v4_records(struct pw_set *s, struct mlist *blk)
{
	const uint64_t *key = s->k4.v;
	size_t i;

	blk->n = s->k4.n;
	blk->k = malloc((blk->n ? blk->n : 1) * sizeof(*blk->k));
	if (!blk->k)
		return -ENOMEM;
	for (i = 0; i < blk->n; i++) {
		blk->k[i].key = key[i];
		blk->k[i].idx = (uint32_t)i;
	}
	vec_free(&s->k4);	/* copied into the records */
	return radix_sort(blk->k, blk->n);
}

static int v4_finalize(struct pw_set *s, const struct pw_set_opts *o)
{
	struct mlist blk = { 0 }, mon = { 0 };
	struct vec holes = { 0 };
	int err;

	blk.prov = s->p4.v;
	if (s->k4.n && s->k4.n <= (size_t)V4_IDX_MASK + 1)
		err = v4_pack(s, &blk);
	else
		err = v4_records(s, &blk);
	if (!err)
		err = ml_split(s, &blk, &mon);
	if (!err)
		err = holes_build(&s->a4, false, o->allow_doc, &holes);
	if (err)
		goto out;
	ml_classify(s, o, &blk, 32, &s->a4);
	ml_classify(s, o, &mon, 32, &s->a4);
	err = vec_reserve(&s->o4, s->o4.n + blk.n + mon.n, sizeof(struct o4));
	if (!err)
		err = agg_tiers(s, &ops4, &blk, &mon, 32, 0, &holes, &s->o4);
	s->st.final[PW_I_IPV4] = s->o4.n;
out:
	free(blk.v4);
	free(mon.v4);
	free(blk.k);
	free(mon.k);
	vec_free(&holes);
	return err;
}

static int v6_finalize(struct pw_set *s, const struct pw_set_opts *o)
{
	struct mlist blk = { 0 }, mon = { 0 };
	struct vec holes = { 0 };
	int err;

	blk.prov = s->p6.v;
	blk.n = s->g6.n;
	blk.w = s->g6.v;	/* sorted in place: the list owns it now */
	s->g6.v = NULL;
	s->g6.n = s->g6.cap = 0;
	if (blk.n > 1)
		qsort(blk.w, blk.n, sizeof(*blk.w), w128_cmp);
	err = ml_split(s, &blk, &mon);
	if (!err)
		err = holes_build(&s->a6, true, o->allow_doc, &holes);
	if (err)
		goto out;
	ml_classify(s, o, &blk, 128, &s->a6);
	ml_classify(s, o, &mon, 128, &s->a6);
	err = vec_reserve(&s->o6, s->o6.n + blk.n + mon.n, sizeof(struct o6));
	if (!err)
		err = agg_tiers(s, &ops6, &blk, &mon, 128, 0, &holes, &s->o6);
	s->st.final[PW_I_IPV6] = s->o6.n;
out:
	free(blk.w);
	free(mon.w);
	vec_free(&holes);
	return err;
}

static int port_finalize(struct pw_set *s)
{
	const struct inport *g = s->gp.v;
	struct mlist blk = { 0 }, mon = { 0 };
	struct vec none = { 0 };
	uint8_t proto;
	size_t i;
	int err = -ENOMEM;

	blk.prov = s->pp.v;
	blk.k = malloc((s->gp.n ? s->gp.n : 1) * sizeof(*blk.k));
	if (!blk.k)
		goto out;
	for (proto = PW_PROTO_TCP; proto <= PW_PROTO_UDP; proto++) {
		blk.n = 0;
		for (i = 0; i < s->gp.n; i++) {
			if (!(g[i].proto & proto))
				continue;
			blk.k[blk.n].key = (uint64_t)g[i].lo << 32 | g[i].hi;
			blk.k[blk.n++].idx = (uint32_t)i;
		}
		free(mon.k);
		mon.k = NULL;
		err = radix_sort(blk.k, blk.n);
		if (!err)
			err = ml_split(s, &blk, &mon);
		if (!err)
			err = agg_tiers(s, &opsp, &blk, &mon, 0, proto, &none,
					&s->op);
		if (err)
			goto out;
	}
	s->st.final[PW_I_PORT] = s->op.n;
out:
	free(blk.k);
	free(mon.k);
	return err;
}

/* ---- urls, wallets, hashes ---------------------------------------------- */

static int sent_cmp(const void *a, const void *b)
{
	const struct sent *x = a, *y = b;
	int c = strcmp(x->str, y->str);

	if (c)
		return c;
	if (x->mode != y->mode)
		return x->mode < y->mode ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int str_finalize(struct pw_set *s, unsigned kind)
{
	struct vec *v = &s->str[str_kind_slot(kind)];
	struct sent *e = v->v;
	size_t i, u = 0;
	int err;

	if (v->n > 1)
		qsort(e, v->n, sizeof(*e), sent_cmp);
	for (i = 0; i < v->n; i++) {
		if (u && e[u - 1].mode == e[i].mode &&
		    strcmp(e[u - 1].str, e[i].str) == 0) {
			err = prov_merge(s, &e[u - 1].p, &e[i].p);
			if (err)
				return err;
			s->st.duplicates++;
			continue;
		}
		e[u++] = e[i];
	}
	v->n = u;
	s->st.final[kind] = u;
	return 0;
}

int pw_set_finalize(struct pw_set *s, const struct pw_set_opts *o)
{
	struct pw_set_opts none = { 0 };
	int err;

	if (s->final || s->tried)
		return -EINVAL;
	s->tried = true;	/* a failed finalize leaves the set unusable */
	if (!o)
		o = &none;
	err = dom_finalize(s, o);
	if (!err)
		err = v4_finalize(s, o);
	if (!err)
		err = v6_finalize(s, o);
	if (!err)
		err = port_finalize(s);
	if (!err)
		err = str_finalize(s, PW_I_URL);
	if (!err)
		err = str_finalize(s, PW_I_WALLET);
	if (!err)
		err = str_finalize(s, PW_I_HASH);
	if (err)
		return err;
	/* what finalize copied out is not needed any more */
	vec_free(&s->k4);
	vec_free(&s->p4);
	vec_free(&s->g6);
	vec_free(&s->p6);
	vec_free(&s->gp);
	vec_free(&s->pp);
	s->final = true;
	return 0;
}

const struct pw_set_stats *pw_set_stats(const struct pw_set *s)
{
	return &s->st;
}

/* ---- iteration ---------------------------------------------------------- */

struct iter {
	const struct pw_set *s;
	char *srcbuf;		/* sources text of the last mask */
	uint64_t srcmask;
	bool cached;
	char val[NAME_MAX_LEN + 8];
};

static const char *iter_sources(struct iter *it, uint64_t mask)
{
	const struct pw_set *s = it->s;
	size_t o = 0, len;
	unsigned i;

	if (it->cached && it->srcmask == mask)
		return it->srcbuf;
	for (i = 0; i < s->n_src; i++) {
		if (!(mask & ((uint64_t)1 << i)))
			continue;
		if (o)
			it->srcbuf[o++] = ',';
		len = strlen(s->src[i]);
		memcpy(it->srcbuf + o, s->src[i], len);
		o += len;
	}
	it->srcbuf[o] = '\0';
	it->srcmask = mask;
	it->cached = true;
	return it->srcbuf;
}

static void item_prov(struct iter *it, struct pw_item *item,
		      const struct prov *p)
{
	item->sources = iter_sources(it, (uint64_t)p->mask_hi << 32 |
					     p->mask_lo);
	item->incident = prov_incident(it->s, p);
	item->expires = prov_expires(it->s, p);
	if (p->monitor)
		item->flags |= PW_F_MONITOR;
	/* only emergency blocks carry an expiry, or are marked so */
	if (item->expires || p->emergency)
		item->flags |= PW_F_EMERGENCY;
}

static unsigned dom_flags(unsigned mode)
{
	unsigned f = 0;

	if (mode & PW_D_SUBS)
		f |= PW_F_SUBDOMAINS;
	if (mode & PW_D_EXACT)
		f |= PW_F_SELF;
	return f;
}

static int iter_domains(struct iter *it, pw_item_cb cb, void *ctx)
{
	const struct pw_set *s = it->s;
	const struct dom *dv = s->dom.v;
	struct pw_item item;
	size_t i;
	int err;

	for (i = 0; i < s->n_dom_out; i++) {
		const struct dom *d = &dv[s->dom_order[i]];

		/* hierarchy order is random in memory: fetch ahead */
		if (i + PF_FAR < s->n_dom_out)
			__builtin_prefetch(&dv[s->dom_order[i + PF_FAR]]);
		if (i + PF_NEAR < s->n_dom_out)
			__builtin_prefetch(dv[s->dom_order[i + PF_NEAR]].name);
		memset(&item, 0, sizeof(item));
		item.kind = PW_I_DOMAIN;
		if (d->mode == PW_D_SUBS) {
			err = fmt_domain(it->val, sizeof(it->val), d->name,
					 d->mode);
			if (err < 0)
				return err;
			item.value = it->val;
		} else {
			item.value = d->name;
		}
		item.flags = dom_flags(d->mode);
		item_prov(it, &item, &d->p);
		err = cb(ctx, &item);
		if (err)
			return err;
	}
	return 0;
}

static int iter_v4(struct iter *it, pw_item_cb cb, void *ctx)
{
	const struct o4 *o = it->s->o4.v;
	struct pw_item item;
	struct prov p;
	size_t i;
	int err;

	for (i = 0; i < it->s->o4.n; i++) {
		memset(&item, 0, sizeof(item));
		item.kind = PW_I_IPV4;
		v4_bytes(o[i].addr, item.addr);
		item.plen = o[i].plen;
		err = fmt_prefix(it->val, sizeof(it->val), AF_INET, item.addr,
				 item.plen);
		if (err < 0)
			return err;
		item.value = it->val;
		p = OUT_PROV(&o[i]);
		item_prov(it, &item, &p);
		err = cb(ctx, &item);
		if (err)
			return err;
	}
	return 0;
}

static int iter_v6(struct iter *it, pw_item_cb cb, void *ctx)
{
	const struct o6 *o = it->s->o6.v;
	struct pw_item item;
	struct prov p;
	size_t i;
	int err;

	for (i = 0; i < it->s->o6.n; i++) {
		memset(&item, 0, sizeof(item));
		item.kind = PW_I_IPV6;
		memcpy(item.addr, o[i].addr, 16);
		item.plen = o[i].plen;
		err = fmt_prefix(it->val, sizeof(it->val), AF_INET6,
				 item.addr, item.plen);
		if (err < 0)
			return err;
		item.value = it->val;
		p = OUT_PROV(&o[i]);
		item_prov(it, &item, &p);
		err = cb(ctx, &item);
		if (err)
			return err;
	}
	return 0;
}

static int iter_ports(struct iter *it, pw_item_cb cb, void *ctx)
{
	const struct oport *o = it->s->op.v;
	struct pw_item item;
	struct prov p;
	const char *proto;
	size_t i;
	int n, err;

	for (i = 0; i < it->s->op.n; i++) {
		memset(&item, 0, sizeof(item));
		item.kind = PW_I_PORT;
		item.proto = o[i].proto;
		item.port_lo = o[i].lo;
		item.port_hi = o[i].hi;
		proto = o[i].proto == PW_PROTO_UDP ? "udp" : "tcp";
		if (o[i].lo == o[i].hi)
			n = snprintf(it->val, sizeof(it->val), "%s/%u", proto,
				     (unsigned)o[i].lo);
		else
			n = snprintf(it->val, sizeof(it->val), "%s/%u-%u",
				     proto, (unsigned)o[i].lo,
				     (unsigned)o[i].hi);
		if (n < 0 || (size_t)n >= sizeof(it->val))
			return -ENAMETOOLONG;
		item.value = it->val;
		p = OUT_PROV(&o[i]);
		item_prov(it, &item, &p);
		err = cb(ctx, &item);
		if (err)
			return err;
	}
	return 0;
}

static const char *str_sub(unsigned kind, const struct sent *e)
{
	static const char *const coin[] = { NULL, "xmr", "btc", "eth" };
	static const char *const hash[] = { NULL, "md5", "sha1", "sha256" };

	switch (kind) {
	case PW_I_URL:
		return e->host;
	case PW_I_WALLET:
		return e->mode <= PW_COIN_ETH ? coin[e->mode] : NULL;
	case PW_I_HASH:
		return e->mode <= PW_HASH_SHA256 ? hash[e->mode] : NULL;
	}
	return NULL;
}

static int iter_str(struct iter *it, unsigned kind, pw_item_cb cb, void *ctx)
{
	const struct vec *v = &it->s->str[str_kind_slot(kind)];
	const struct sent *e = v->v;
	struct pw_item item;
	size_t i;
	int err;

	for (i = 0; i < v->n; i++) {
		memset(&item, 0, sizeof(item));
		item.kind = kind;
		item.value = e[i].str;
		item.sub = str_sub(kind, &e[i]);
		if (kind == PW_I_URL)
			item.port_lo = item.port_hi = e[i].port;
		item_prov(it, &item, &e[i].p);
		err = cb(ctx, &item);
		if (err)
			return err;
	}
	return 0;
}

static int iter_begin(const struct pw_set *s, struct iter **itp)
{
	struct iter *it;

	*itp = NULL;
	if (!s || !s->final)
		return -EINVAL;
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->s = s;
	it->srcbuf = malloc(s->src_len + s->n_src + 1);
	if (!it->srcbuf) {
		free(it);
		return -ENOMEM;
	}
	*itp = it;
	return 0;
}

static void iter_end(struct iter *it)
{
	if (!it)
		return;
	free(it->srcbuf);
	free(it);
}

int pw_set_iter(const struct pw_set *s, unsigned kinds, pw_item_cb cb,
		void *ctx)
{
	struct iter *it;
	unsigned k;
	int err;

	err = iter_begin(s, &it);
	if (err)
		return err;
	for (k = PW_I_DOMAIN; k <= PW_I_HASH && !err; k++) {
		if (!(kinds & PW_IMASK(k)))
			continue;
		switch (k) {
		case PW_I_DOMAIN:
			err = iter_domains(it, cb, ctx);
			break;
		case PW_I_IPV4:
			err = iter_v4(it, cb, ctx);
			break;
		case PW_I_IPV6:
			err = iter_v6(it, cb, ctx);
			break;
		case PW_I_PORT:
			err = iter_ports(it, cb, ctx);
			break;
		default:
			err = iter_str(it, k, cb, ctx);
			break;
		}
	}
	iter_end(it);
	return err;
}

size_t pw_set_count(const struct pw_set *s, enum pw_ikind k)
{
	if (!s || !s->final || k < PW_I_DOMAIN || k > PW_I_HASH)
		return 0;
	return s->st.final[k];
}

int pw_set_iter_allow(const struct pw_set *s, pw_item_cb cb, void *ctx)
{
	const struct adom *av;
	struct pw_item item;
	struct iter *it;
	size_t i;
	int err;

	err = iter_begin(s, &it);
	if (err)
		return err;
	av = s->adom.v;
	for (i = 0; i < s->n_exc && !err; i++) {
		const struct adom *a = &av[s->exc[i]];

		memset(&item, 0, sizeof(item));
		item.kind = PW_I_DOMAIN;
		item.flags = dom_flags(a->mode);
		item.sources = "";
		err = fmt_domain(it->val, sizeof(it->val), a->name, a->mode);
		if (err < 0)
			break;
		item.value = it->val;
		err = cb(ctx, &item);
	}
	iter_end(it);
	return err;
}
