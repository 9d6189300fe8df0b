/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Name-based UUIDs, a string-keyed map, UTC time stamps: see pwo.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pwo.h"

/* uuid5(NAMESPACE_DNS, "poolwall.invalid") */
const uint8_t pwo_ns_poolwall[16] = {
	0xfb, 0xb7, 0x3b, 0x35, 0xcc, 0xa0, 0x5b, 0xb2,
	0xa2, 0xb5, 0x22, 0x3c, 0xff, 0xd8, 0x5a, 0xe8,
};

static void uuid_text(const uint8_t d[PWO_SHA1_LEN], char out[PWO_UUID_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t u[16];
	unsigned i, o = 0;

	memcpy(u, d, 16);
	u[6] = (u[6] & 0x0f) | 0x50;	/* version 5 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

void pwo_uuid5(const uint8_t ns[16], const void *name, size_t len,
	       char out[PWO_UUID_STRLEN])
{
	uint8_t d[PWO_SHA1_LEN];
	struct pwo_sha1 c;

	pwo_sha1_init(&c);
	pwo_sha1_update(&c, ns, 16);
	pwo_sha1_update(&c, name, len);
	pwo_sha1_final(&c, d);
	uuid_text(d, out);
}

void pwo_uuid5_parts(const uint8_t ns[16], const char *const *parts,
		     size_t n, char out[PWO_UUID_STRLEN])
{
	uint8_t d[PWO_SHA1_LEN];
	struct pwo_sha1 c;
	size_t i;

	pwo_sha1_init(&c);
	pwo_sha1_update(&c, ns, 16);
	for (i = 0; i < n; i++) {
		if (i)
			pwo_sha1_update(&c, "\n", 1);
		pwo_sha1_update(&c, parts[i], strlen(parts[i]));
	}
	pwo_sha1_final(&c, d);
	uuid_text(d, out);
}

static int uuid_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int pwo_uuid_parse(const char *s, uint8_t out[16])
{
	unsigned i, o = 0;
	int hi, lo;

	for (i = 0; i < 36; ) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			i++;
			continue;
		}
		hi = uuid_nibble(s[i]);
		lo = hi < 0 ? -1 : uuid_nibble(s[i + 1]);
		if (lo < 0)
			return -EINVAL;
		out[o++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return s[36] ? -EINVAL : 0;
}

/* ---- map: open addressing, linear probing, FNV-1a ------------------------ */

struct pwo_slot {
	char *key;		/* NULL: empty */
	size_t len;
	uint64_t hash;
	void *val;
};

struct pwo_map {
	struct pwo_slot *v;
	size_t cap, n, vsize;
};

static uint64_t map_hash(const char *k, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct pwo_map *pwo_map_new(size_t value_size)
{
	struct pwo_map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->vsize = value_size;
	m->cap = 64;
	m->v = calloc(m->cap, sizeof(*m->v));
	if (!m->v) {
		free(m);
		return NULL;
	}
	return m;
}

void pwo_map_free(struct pwo_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++) {
		free(m->v[i].key);
		free(m->v[i].val);
	}
	free(m->v);
	free(m);
}

static struct pwo_slot *map_find(struct pwo_slot *v, size_t cap,
				 const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (v[i].key) {
		if (v[i].hash == h && v[i].len == len &&
		    memcmp(v[i].key, key, len) == 0)
			return &v[i];
		i = (i + 1) & (cap - 1);
	}
	return &v[i];
}

static int map_grow(struct pwo_map *m)
{
	size_t cap = m->cap * 2, i;
	struct pwo_slot *v, *d;

	if (cap > SIZE_MAX / sizeof(*v))
		return -ENOMEM;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (!m->v[i].key)
			continue;
		d = map_find(v, cap, m->v[i].key, m->v[i].len, m->v[i].hash);
		*d = m->v[i];
	}
	free(m->v);
	m->v = v;
	m->cap = cap;
	return 0;
}

void *pwo_map_get(const struct pwo_map *m, const char *key, size_t len)
{
	struct pwo_slot *s = map_find(m->v, m->cap, key, len,
				      map_hash(key, len));

	return s->key ? s->val : NULL;
}

void *pwo_map_put(struct pwo_map *m, const char *key, size_t len, int *added)
{
	uint64_t h = map_hash(key, len);
	struct pwo_slot *s;
	char *k;
	void *val;

	*added = 0;
	s = map_find(m->v, m->cap, key, len, h);
	if (s->key)
		return s->val;
	if ((m->n + 1) * 4 > m->cap * 3) {
		if (map_grow(m))
			return NULL;
		s = map_find(m->v, m->cap, key, len, h);
	}
	k = malloc(len + 1);
	val = calloc(1, m->vsize ? m->vsize : 1);
	if (!k || !val) {
		free(k);
		free(val);
		return NULL;
	}
	memcpy(k, key, len);
	k[len] = '\0';
	s->key = k;
	s->len = len;
	s->hash = h;
	s->val = val;
	m->n++;
	*added = 1;
	return val;
}

size_t pwo_map_count(const struct pwo_map *m)
{
	return m->n;
}

/* ---- time, values -------------------------------------------------------- */

int pwo_time_utc(int64_t t, int millis, char out[PWO_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return -EOVERFLOW;
	if (!strftime(out, PWO_TIME_LEN,
		      millis ? "%Y-%m-%dT%H:%M:%S.000Z" : "%Y-%m-%dT%H:%M:%SZ",
		      &tm))
		return -EOVERFLOW;
	return 0;
}

int pwo_check_text(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i == max || s[i] < 0x20 || s[i] > 0x7e)
			return -EINVAL;
	}
	return 0;
}

int pwo_check_value(const char *s, const char *allowed)
{
	for (; *s; s++) {
		char ch = *s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9'))
			continue;
		if (!strchr(allowed, ch))
			return -EINVAL;
	}
	return 0;
}

void pwo_put(struct pwo_buf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->b + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len = n < 0 ? o->cap : o->len + (size_t)n;
}
