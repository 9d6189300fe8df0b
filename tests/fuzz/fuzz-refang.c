/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz pw_refang().  The first byte picks a small output capacity; the
 * rest is the text.  Refanging never grows a value, always terminates
 * what it writes, never writes past the capacity it is given, and agrees
 * with itself whatever room it gets.  A breach is a crash.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_require(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static bool fuzz_inside(const char *hay, size_t len, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, s, n) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in;
	char *full = NULL, *small = NULL;
	size_t cap;
	ssize_t n, m;
	bool changed, changed2;

	if (size < 1)
		return 0;
	cap = data[0] % 32;
	in = (const char *)data + 1;
	size--;

	full = malloc(size + 1);
	small = malloc(cap ? cap : 1);
	if (!full || !small)
		goto out;
	n = pw_refang(in, size, full, size + 1, &changed);
	fuzz_require(n >= 0 && (size_t)n <= size);
	fuzz_require(full[n] == '\0');
	/* nothing undone: the value is the input, at most trimmed */
	if (!changed)
		fuzz_require(fuzz_inside(in, size, full, (size_t)n));

	/* the same answer, or "does not fit", with less room */
	m = pw_refang(in, size, small, cap, &changed2);
	if ((size_t)n < cap) {
		fuzz_require(m == n && changed2 == changed);
		fuzz_require(memcmp(small, full, (size_t)n + 1) == 0);
	} else {
		fuzz_require(m == -1);
	}
out:
	free(full);
	free(small);
	return 0;
}
