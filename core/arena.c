/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_CHUNK (1u << 20)

struct chunk {
	struct chunk *next;
	size_t size, used;
	unsigned char mem[];
};

struct pw_arena {
	struct chunk *head;
	size_t total;
};

struct pw_arena *pw_arena_new(void)
{
	return calloc(1, sizeof(struct pw_arena));
}

void pw_arena_free(struct pw_arena *a)
{
	struct chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

#ifdef PW_DEBUG_ALLOC
/* Every allocation is its own chunk, so ASan sees each overflow. */
void *pw_arena_alloc(struct pw_arena *a, size_t n)
{
	struct chunk *c;

	if (n > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + (n ? n : 1));
	if (!c)
		return NULL;
	c->size = c->used = n;
	c->next = a->head;
	a->head = c;
	a->total += n;
	return c->mem;
}
#else
void *pw_arena_alloc(struct pw_arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t need = (n + 7u) & ~(size_t)7u;
	void *p;

	if (need < n)
		return NULL;
	if (!c || c->size - c->used < need) {
		size_t sz = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;

		if (sz > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + sz);
		if (!c)
			return NULL;
		c->size = sz;
		c->used = 0;
		if (need > ARENA_CHUNK / 4 && a->head) {
			/* big block: keep filling the current chunk */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->mem + c->used;
	c->used += need;
	a->total += need;
	return p;
}
#endif

char *pw_arena_strndup(struct pw_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = pw_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t pw_arena_used(const struct pw_arena *a)
{
	return a->total;
}
