/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Micro-benchmark of the indicator set alone (no feed, no normalizer):
 *
 *   bench-set domains N    N generated names (15% with subdomains)
 *   bench-set ipv4 N       N generated IPv4 addresses and prefixes
 *
 * Prints the time to add, finalize and iterate, the result counts and the
 * peak RSS of the process.  Run one kind per process for a clean peak.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "benchgen.h"
#include "set.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return (double)ru.ru_maxrss / 1024.0;
}

static int count_cb(void *ctx, const struct pw_item *it)
{
	size_t *n = ctx;

	/* touch what an output would read */
	*n += it->value[0] != '\0' && it->sources[0] != '\0';
	return 0;
}

static void report(const char *what, unsigned long n, struct pw_set *s,
		   double t_gen, double t_add, double t_fin, double t_iter,
		   size_t visited)
{
	const struct pw_set_stats *st = pw_set_stats(s);

	printf("%s: N=%lu gen %.3f s, add %.3f s, finalize %.3f s, "
	       "iterate %.3f s (add+finalize %.3f s)\n",
	       what, n, t_gen, t_add, t_fin, t_iter, t_add + t_fin);
	printf("%s: out %zu, duplicates %lu, covered %lu, allowed %lu, "
	       "reserved %lu, aggregated %lu, arena %.1f MB, "
	       "peak RSS %.1f MB\n",
	       what, visited, st->duplicates, st->covered, st->allowed,
	       st->reserved, st->aggregated,
	       (double)pw_arena_used(pw_set_arena(s)) / 1048576.0, peak_mb());
}

static int bench_domains(unsigned long n)
{
	static struct bg_ring ring;
	struct bg_rng r = { 42 };
	struct pw_set_opts o = { 0 };
	struct pw_set *s = pw_set_new();
	const char **names = NULL;
	char buf[2 * BG_NAME_MAX];
	struct pw_ind in;
	double t0, t1, t2, t3, t4;
	size_t visited = 0, len;
	unsigned long i;
	int err = -ENOMEM;

	if (!s)
		goto out;
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names)
		goto out;
	pw_set_source(s, "hosts");
	pw_set_source(s, "adblock");
	t0 = now();
	for (i = 0; i < n; i++) {
		len = bg_list_name(&r, &ring, buf);
		names[i] = pw_arena_strndup(pw_set_arena(s), buf, len);
		if (!names[i])
			goto out;
	}
	/* a small allowlist, some of it hitting */
	memset(&in, 0, sizeof(in));
	in.kind = PW_I_DOMAIN;
	for (i = 0; i < n && i < 100000; i += 1000) {
		in.mode = i % 3000 ? PW_D_EXACT : PW_D_TREE;
		in.str = names[i];
		pw_set_allow(s, &in);
	}
	t1 = now();
	for (i = 0; i < n; i++) {
		in.str = names[i];
		in.mode = bg_below(&r, 100) < 15 ? PW_D_TREE : PW_D_EXACT;
		err = pw_set_add(s, &in, (unsigned)(i & 1), (unsigned)i + 1,
				 NULL, 0);
		if (err)
			goto out;
	}
	t2 = now();
	err = pw_set_finalize(s, &o);
	if (err)
		goto out;
	t3 = now();
	err = pw_set_iter(s, PW_IMASK_ALL, count_cb, &visited);
	if (err)
		goto out;
	t4 = now();
	report("domains", n, s, t1 - t0, t2 - t1, t3 - t2, t4 - t3, visited);
out:
	free(names);
	pw_set_free(s);
	return err;
}

static int bench_ipv4(unsigned long n)
{
	struct bg_rng r = { 0x706f6f6c77616c6cull };
	struct pw_set_opts o = { 0 };
	struct pw_set *s = pw_set_new();
	struct bg_v4 st = { 0 };
	struct pw_ind *v = NULL;
	double t0, t1, t2, t3, t4;
	size_t visited = 0;
	unsigned long i;
	unsigned plen;
	int err = -ENOMEM;

	if (!s)
		goto out;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		goto out;
	pw_set_source(s, "netset");
	t0 = now();
	for (i = 0; i < n; i++) {
		v[i].kind = PW_I_IPV4;
		v[i].a.v4 = bg_ipv4(&r, &st, &plen);
		v[i].plen = (uint8_t)plen;
	}
	t1 = now();
	for (i = 0; i < n; i++) {
		err = pw_set_add(s, &v[i], 0, (unsigned)i + 1, NULL, 0);
		if (err)
			goto out;
	}
	/* the input array is the feed's business, not the set's */
	free(v);
	v = NULL;
	t2 = now();
	err = pw_set_finalize(s, &o);
	if (err)
		goto out;
	t3 = now();
	err = pw_set_iter(s, PW_IMASK_ALL, count_cb, &visited);
	if (err)
		goto out;
	t4 = now();
	report("ipv4", n, s, t1 - t0, t2 - t1, t3 - t2, t4 - t3, visited);
out:
	free(v);
	pw_set_free(s);
	return err;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000;
	int err;

	if (argc < 2 || argc > 3) {
		fputs("usage: bench-set domains|ipv4 [N]\n", stderr);
		return 2;
	}
	if (argc == 3)
		n = strtoul(argv[2], NULL, 10);
	if (strcmp(argv[1], "domains") == 0) {
		err = bench_domains(n);
	} else if (strcmp(argv[1], "ipv4") == 0) {
		err = bench_ipv4(n);
	} else {
		fputs("usage: bench-set domains|ipv4 [N]\n", stderr);
		return 2;
	}
	if (err) {
		fprintf(stderr, "bench-set: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
