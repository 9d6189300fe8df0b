/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core's side of the nft plugin for its tests and benchmarks: the
 * plugin.h services the nft sources call, over a set that is a plain array
 * of items (kept in the order they were added, which must be the core's:
 * sorted, aggregated) and a sink that is a memory buffer.
 */
#ifndef PW_NFT_HOST_H
#define PW_NFT_HOST_H

#include <stdbool.h>
#include <stdio.h>

#include <poolwall/plugin.h>

struct pw_host {
	int64_t now;
	FILE *log;		/* where pw_log() writes, NULL: nowhere */
	const char *log_prefix;
	char last_log[512];
	unsigned n_logs;
};

struct pw_set {
	struct pw_item *v;
	size_t n, alloc;
};

struct pw_sink {
	char *buf;
	size_t len, alloc;
};

/* Append an item (exit(99) when out of memory: a test cannot go on). */
struct pw_item *set_add(struct pw_set *s, enum pw_ikind kind, unsigned flags,
			int64_t expires);
void set_ip(struct pw_set *s, const char *addr, unsigned plen, unsigned flags,
	    int64_t expires);
void set_port(struct pw_set *s, enum pw_proto proto, unsigned lo, unsigned hi,
	      unsigned flags, int64_t expires);

#endif
