/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int main(void)
{
	struct pw_arena *a = pw_arena_new();
	char *s, *big, *prev = NULL;
	int i, aligned = 1, distinct = 1;

	ok(a != NULL, "arena created");
	s = pw_arena_strndup(a, "pool.example.test junk", 17);
	is_str(s, "pool.example.test", "strndup copies len bytes and ends them");
	for (i = 0; i < 100000; i++) {
		char *p = pw_arena_alloc(a, (size_t)(i % 37) + 1);

		if ((uintptr_t)p % 8)
			aligned = 0;
		if (p == prev)
			distinct = 0;
		memset(p, 'x', (size_t)(i % 37) + 1);
		prev = p;
	}
	ok(aligned, "every allocation is 8-byte aligned");
	ok(distinct, "consecutive allocations are distinct");
	ok(pw_arena_used(a) >= 100000, "used counts bytes (%zu)",
	   pw_arena_used(a));
	big = pw_arena_alloc(a, 4u << 20);
	ok(big != NULL, "a block larger than a chunk is served");
	memset(big, 0, 4u << 20);
	is_str(s, "pool.example.test", "earlier strings survive growth");
	ok(pw_arena_alloc(a, SIZE_MAX - 3) == NULL,
	   "an impossible size fails cleanly");
	pw_arena_free(a);
	pw_arena_free(NULL);
	ok(1, "free is NULL-safe");
	return tap_done();
}
