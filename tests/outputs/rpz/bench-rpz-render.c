/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Render benchmark of the RPZ zone (outputs/rpz/rpz-zone.c) alone:
 *
 *	bench-rpz-render N FILE
 *
 * renders N distinct generated names (each with its subdomains, the common
 * case: two records a name) into FILE, and prints the wall time of the
 * render and the peak RSS of the process before and after it.  The names
 * are made on the fly by the set, as the core's set builds each item as
 * it visits it, so the figures are those of the renderer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "fake-host.h"
#include "rpz-zone.h"

static const char *const tlds[] = { "com", "net", "org", "io", "xyz", "ru" };

/* a name that looks real: a mixed-up label, the counter, a domain */
static void gen_name(unsigned long i, char *buf, size_t len)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz";
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull + 12345;
	char label[16];
	size_t k, n;

	n = 4 + (size_t)(x % 7);
	for (k = 0; k < n; k++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		label[k] = alpha[(x >> 33) % 26];
	}
	label[n] = '\0';
	/* the counter keeps every name distinct */
	snprintf(buf, len, "%s%lu.%s%s.%s", label, i,
		 (x & 4) ? "pool." : "", (x & 8) ? "mine" : "hash",
		 tlds[(x >> 7) % (sizeof(tlds) / sizeof(tlds[0]))]);
}

int pw_set_iter(const struct pw_set *s, unsigned kinds, pw_item_cb cb,
		void *ctx)
{
	struct pw_item it;
	char name[64];
	unsigned long i;
	int err;

	if (!(kinds & PW_IMASK(PW_I_DOMAIN)))
		return 0;
	for (i = 0; i < s->n_gen; i++) {
		gen_name(i, name, sizeof(name));
		memset(&it, 0, sizeof(it));
		it.kind = PW_I_DOMAIN;
		it.flags = PW_F_SELF | PW_F_SUBDOMAINS;
		it.value = name;
		it.sources = (i & 1) ? "coinblocker" : "coinblocker,nocoin";
		err = cb(ctx, &it);
		if (err)
			return err;
	}
	return 0;
}

int pw_set_iter_allow(const struct pw_set *s, pw_item_cb cb, void *ctx)
{
	return 0;
}

size_t pw_set_count(const struct pw_set *s, enum pw_ikind k)
{
	return k == PW_I_DOMAIN ? s->n_gen : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	struct rpz_conf c = {
		.origin = "rpz.poolwall", .policy = "nxdomain", .sinkhole = "",
		.monitor_policy = "passthru", .soa_mname = "localhost",
		.soa_rname = "hostmaster.localhost", .refresh = 3600,
		.retry = 600, .expire = 604800, .minimum = 60, .ttl = 60,
		.ip = 1,
	};
	struct pw_host h = { .now = 1767225600, .log = stderr };
	struct pw_set set = { 0 };
	struct rpz_zone *z = NULL;
	struct pw_sink o;
	long rss0, rss1;
	double t0, t1;
	int fd, err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s N FILE\n", argv[0]);
		return 2;
	}
	set.n_gen = strtoul(argv[1], NULL, 10);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	fake_sink_init(&o, fd);
	rss0 = maxrss_kb();
	t0 = now_s();
	err = rpz_zone_new(&h, &c, &z);
	if (!err)
		err = rpz_zone_render(z, &set, &o, NULL);
	if (!err)
		err = fake_sink_flush(&o);
	if (!err && fsync(fd))
		err = -errno;
	t1 = now_s();
	rss1 = maxrss_kb();
	rpz_zone_free(z);
	fake_sink_free(&o);
	close(fd);
	if (err) {
		fprintf(stderr, "render failed: %s\n", strerror(-err));
		return 1;
	}
	printf("render %lu names: %.3f s, peak RSS %.1f MB (%.1f MB before)"
	       ", %.1f MB written\n", set.n_gen, t1 - t0, rss1 / 1024.0,
	       rss0 / 1024.0, o.bytes / 1048576.0);
	return 0;
}
