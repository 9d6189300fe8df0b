/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the core's side of an output plugin: a set that is a plain
 * array of items (and one of allowlist exceptions), a sink that collects
 * the text in memory or writes it to a file descriptor, and the run's
 * target, time and generation (fake-host.c; the array set in fake-set.c).
 * Enough for rpz-zone.c, dns-meta.c and the output plugins to run without
 * the core (unit test, render benchmark).
 */
#ifndef PW_FAKE_HOST_H
#define PW_FAKE_HOST_H

#include <stdint.h>
#include <stdio.h>

#include <poolwall/plugin.h>

struct pw_host {
	const char *target;
	uint64_t generation;
	int64_t now;
	FILE *log;		/* pw_log lines; NULL: counted only */
	unsigned long n_logs;
};

struct pw_set {
	const struct pw_item *items, *allow;
	size_t n_items, n_allow;
	unsigned long n_gen;	/* bench-rpz-render: names made up */
};

struct pw_sink {
	int fd;			/* >= 0: write here (buffered) */
	char *text;		/* fd < 0: collected, NUL-terminated */
	size_t len, cap;
	int fail_after;		/* > 0: fail past this many bytes */
	unsigned long long bytes;
};

void fake_sink_init(struct pw_sink *o, int fd);
int fake_sink_flush(struct pw_sink *o);
void fake_sink_free(struct pw_sink *o);

#endif
