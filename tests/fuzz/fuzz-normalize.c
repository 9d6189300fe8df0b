/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz pw_normalize().  The first byte picks the hint, the token flags and
 * the options; the rest is the token.  Every accepted indicator must have
 * a canonical text made only of bytes that are safe in any output syntax,
 * and that text must normalize again to itself (with the kind's own hint).
 * A breach is a crash.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "normalize.h"

#define FUZZ_TEXT_MAX (16 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_require(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static bool fuzz_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* bytes an output may meet in the canonical text of each kind */
static bool fuzz_safe(unsigned kind, unsigned char c)
{
	switch (kind) {
	case PW_I_DOMAIN:
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		       c == '-' || c == '_' || c == '.' || c == '*';
	case PW_I_URL:
		return fuzz_alnum(c) ||
		       (c && strchr("-._~/?=&%:@+,![]", c) != NULL);
	case PW_I_IPV4:
	case PW_I_IPV6:
	case PW_I_PORT:
		return fuzz_alnum(c) || c == '.' || c == ':' || c == '/' ||
		       c == '-';
	default:
		return fuzz_alnum(c);
	}
}

static enum pw_hint fuzz_hint(unsigned kind)
{
	switch (kind) {
	case PW_I_DOMAIN:
		return PW_H_DOMAIN;
	case PW_I_IPV4:
	case PW_I_IPV6:
		return PW_H_IP;
	case PW_I_PORT:
		return PW_H_PORT;
	case PW_I_URL:
		return PW_H_URL;
	case PW_I_WALLET:
		return PW_H_WALLET;
	default:
		return PW_H_HASH;
	}
}

static void fuzz_check(struct pw_arena *a, const struct pw_norm_opts *o,
		       const struct pw_ind *in)
{
	static char text[FUZZ_TEXT_MAX], again[FUZZ_TEXT_MAX];
	static struct pw_ind out2[PW_IND_MAX];
	int len, len2, n, i;

	len = pw_ind_format(in, text, sizeof(text));
	fuzz_require(len > 0);
	for (i = 0; i < len; i++)
		fuzz_require(fuzz_safe(in->kind, (unsigned char)text[i]));
	if (in->kind == PW_I_DOMAIN)
		fuzz_require(len <= 255 && in->str && !strchr(in->str, '*'));

	n = pw_normalize(a, o, text, (size_t)len, fuzz_hint(in->kind), 0,
			 out2);
	fuzz_require(n >= 1);
	fuzz_require(out2[0].kind == in->kind);
	len2 = pw_ind_format(&out2[0], again, sizeof(again));
	fuzz_require(len2 == len && memcmp(text, again, (size_t)len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pw_ind out[PW_IND_MAX];
	struct pw_norm_opts o;
	struct pw_arena *a;
	unsigned sel, flags = 0;
	enum pw_hint hint;
	int n, i;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	hint = (enum pw_hint)(sel % 7);
	if (sel & 0x08)
		flags |= PW_T_PROSE;
	if (sel & 0x10)
		flags |= PW_T_EXACT;
	pw_norm_opts_default(&o);
	o.allow_doc = (sel & 0x20) != 0;
	o.allow_entry = (sel & 0x40) != 0;
	if (sel & 0x80)
		o.dmode_default = PW_D_EXACT;

	a = pw_arena_new();
	if (!a)
		return 0;
	n = pw_normalize(a, &o, (const char *)data, size, hint, flags, out);
	fuzz_require(n != 0 && n <= PW_IND_MAX);
	fuzz_require(n > 0 || (-n > PW_R_OK && -n < PW_R_MAX));
	for (i = 0; i < n; i++)
		fuzz_check(a, &o, &out[i]);
	pw_arena_free(a);
	return 0;
}
