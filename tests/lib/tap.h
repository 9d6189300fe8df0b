/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP producer: ok/not ok lines, a plan at the end, exit status. */
#ifndef PW_TAP_H
#define PW_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

/* string equality with a diagnostic showing both sides */
#define is_str(got, want, ...)                                              \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		int c_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;       \
		if (!tap_ok(c_, __VA_ARGS__))                               \
			printf("#   got: '%s'\n#  want: '%s'\n",            \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
	} while (0)

#define is_int(got, want, ...)                                              \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		if (!tap_ok(g_ == w_, __VA_ARGS__))                         \
			printf("#   got: %lld\n#  want: %lld\n", g_, w_);   \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
