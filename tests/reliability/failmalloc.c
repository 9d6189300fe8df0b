/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failmalloc: an LD_PRELOAD allocator shim for tests/reliability/failalloc.sh.
 *
 *	PW_FAIL_ALLOC=N		the Nth allocation (1-based) fails: NULL and
 *				errno ENOMEM, once; every other one succeeds
 *	PW_FAIL_ALLOC_TRACE=1	write the stack of the failed call to stderr
 *				(to find the code that does not cope)
 *	PW_FAIL_ALLOC_COUNT=1	at exit, write "failmalloc: calls=C live=L
 *				failed=F" to stderr: C allocations counted,
 *				L blocks still allocated, F the failed call
 *				(0: none)
 *
 * malloc, calloc, realloc, reallocarray, posix_memalign, aligned_alloc,
 * memalign, strdup and strndup are counted from the moment main() is
 * entered (what library constructors allocate before is not poolwall's:
 * __libc_start_main is wrapped to know when); strdup and strndup are
 * built on the counted malloc, so a copy counts once; free only keeps
 * the count of live blocks.  The real functions come from dlsym(RTLD_NEXT);
 * what dlsym itself allocates meanwhile comes from a small static pool
 * that is never freed.  The shim is built without sanitizers: it cannot
 * be preloaded into an AddressSanitizer build, whose runtime replaces
 * malloc itself, and failalloc.sh skips there.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FM_EXPORT __attribute__((visibility("default")))

FM_EXPORT void *malloc(size_t n);
FM_EXPORT void *calloc(size_t n, size_t size);
FM_EXPORT void *realloc(void *p, size_t n);
FM_EXPORT void *reallocarray(void *p, size_t n, size_t size);
FM_EXPORT void free(void *p);
FM_EXPORT int posix_memalign(void **out, size_t align, size_t n);
FM_EXPORT void *aligned_alloc(size_t align, size_t n);
FM_EXPORT void *memalign(size_t align, size_t n);
FM_EXPORT char *strdup(const char *s);
FM_EXPORT char *strndup(const char *s, size_t n);

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);

static unsigned long fm_fail_at;	/* 0: never */
static unsigned long fm_calls;		/* allocations counted */
static long fm_live;			/* blocks allocated, not freed */
static unsigned long fm_failed;		/* the call that failed, 0 none */
static int fm_report;
static int fm_trace;
static int fm_state;			/* 0 new, 1 resolving, 2 ready */
static int fm_armed;			/* main() has been entered */

/* what dlsym allocates while we resolve the real functions */
static _Alignas(16) unsigned char fm_pool[8192];
static size_t fm_pool_used;

static int fm_in_pool(const void *p)
{
	return (const unsigned char *)p >= fm_pool &&
	       (const unsigned char *)p < fm_pool + sizeof(fm_pool);
}

static void *fm_pool_alloc(size_t n)
{
	size_t at = (fm_pool_used + 15) & ~(size_t)15;

	if (n > sizeof(fm_pool) - at)
		return NULL;
	fm_pool_used = at + n;
	return fm_pool + at;
}

static void fm_init(void)
{
	const char *v;

	if (fm_state)
		return;
	fm_state = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(
		RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(
		RTLD_NEXT, "aligned_alloc");
	real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
							 "memalign");
	v = getenv("PW_FAIL_ALLOC");
	if (v && *v)
		fm_fail_at = strtoul(v, NULL, 10);
	v = getenv("PW_FAIL_ALLOC_COUNT");
	fm_report = v && *v && *v != '0';
	v = getenv("PW_FAIL_ALLOC_TRACE");
	fm_trace = v && *v && *v != '0';
	fm_state = 2;
}

/* count one allocation; 1 when this one is to fail */
static int fm_fail(void)
{
	unsigned long n;

	if (!__atomic_load_n(&fm_armed, __ATOMIC_RELAXED))
		return 0;
	n = __atomic_add_fetch(&fm_calls, 1, __ATOMIC_RELAXED);
	if (fm_fail_at && n == fm_fail_at) {
		fm_failed = n;
		if (fm_trace) {
			void *frames[32];
			int k = backtrace(frames, 32);
			static const char head[] = "failmalloc: failed here:\n";

			if (write(STDERR_FILENO, head, sizeof(head) - 1) > 0)
				backtrace_symbols_fd(frames, k, STDERR_FILENO);
		}
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

static void *fm_got(void *p)
{
	if (p)
		__atomic_add_fetch(&fm_live, 1, __ATOMIC_RELAXED);
	return p;
}

void *malloc(size_t n)
{
	if (fm_state != 2) {
		if (fm_state == 1)
			return fm_pool_alloc(n);
		fm_init();
	}
	if (fm_fail())
		return NULL;
	return fm_got(real_malloc(n));
}

void *calloc(size_t n, size_t size)
{
	if (fm_state != 2) {
		if (fm_state == 1) {
			/* the pool is static, hence zeroed, never reused */
			if (size && n > SIZE_MAX / size)
				return NULL;
			return fm_pool_alloc(n * size);
		}
		fm_init();
	}
	if (fm_fail())
		return NULL;
	return fm_got(real_calloc(n, size));
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (fm_state != 2)
		fm_init();
	if (p && fm_in_pool(p)) {
		/* out of the pool: a fresh block, the old one stays */
		q = malloc(n);
		if (q)
			memcpy(q, p, n < (size_t)(fm_pool + sizeof(fm_pool) -
						  (unsigned char *)p) ?
					     n :
					     (size_t)(fm_pool + sizeof(fm_pool) -
						      (unsigned char *)p));
		return q;
	}
	if (fm_fail())
		return NULL;
	q = real_realloc(p, n);
	if (!p && q)
		__atomic_add_fetch(&fm_live, 1, __ATOMIC_RELAXED);
	else if (p && !n && !q)
		__atomic_sub_fetch(&fm_live, 1, __ATOMIC_RELAXED);
	return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

void free(void *p)
{
	if (!p || fm_in_pool(p))
		return;
	if (fm_state != 2)
		fm_init();
	__atomic_sub_fetch(&fm_live, 1, __ATOMIC_RELAXED);
	real_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	int err;

	if (fm_state != 2)
		fm_init();
	if (fm_fail())
		return ENOMEM;
	err = real_posix_memalign(out, align, n);
	if (!err)
		fm_got(*out);
	return err;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (fm_state != 2)
		fm_init();
	if (fm_fail())
		return NULL;
	return fm_got(real_aligned_alloc(align, n));
}

void *memalign(size_t align, size_t n)
{
	if (fm_state != 2)
		fm_init();
	if (fm_fail())
		return NULL;
	return fm_got(real_memalign(align, n));
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* main() of the program: arm the counter, then run it */
typedef int (*fm_main_fn)(int, char **, char **);
static fm_main_fn fm_real_main;

static int fm_main(int argc, char **argv, char **envp)
{
	__atomic_store_n(&fm_armed, 1, __ATOMIC_RELAXED);
	return fm_real_main(argc, argv, envp);
}

FM_EXPORT int __libc_start_main(fm_main_fn main_fn, int argc, char **argv,
				void (*init)(void), void (*fini)(void),
				void (*rtld_fini)(void), void *stack_end);

int __libc_start_main(fm_main_fn main_fn, int argc, char **argv,
		      void (*init)(void), void (*fini)(void),
		      void (*rtld_fini)(void), void *stack_end)
{
	int (*real)(fm_main_fn, int, char **, void (*)(void),
		    void (*)(void), void (*)(void), void *);

	if (fm_state != 2)
		fm_init();
	real = (int (*)(fm_main_fn, int, char **, void (*)(void),
			void (*)(void), void (*)(void), void *))dlsym(
		RTLD_NEXT, "__libc_start_main");
	fm_real_main = main_fn;
	return real(fm_main, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((destructor)) static void fm_fini(void)
{
	char line[128];
	int n;

	if (!fm_report)
		return;
	n = snprintf(line, sizeof(line),
		     "failmalloc: calls=%lu live=%ld failed=%lu\n", fm_calls,
		     fm_live, fm_failed);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
