/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run's bump allocator: tokens and indicators freed all at once. */
#ifndef PW_ARENA_H
#define PW_ARENA_H

#include <stddef.h>

struct pw_arena;

struct pw_arena *pw_arena_new(void);
void pw_arena_free(struct pw_arena *a);		/* NULL-safe */
/* 8-byte aligned; NULL on allocation failure */
void *pw_arena_alloc(struct pw_arena *a, size_t n);
/* copies len bytes and adds a NUL */
char *pw_arena_strndup(struct pw_arena *a, const char *s, size_t len);
size_t pw_arena_used(const struct pw_arena *a);

#endif
