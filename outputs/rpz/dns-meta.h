/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The header comment every DNS output starts with (rpz, unbound, dnsmasq):
 * generator, generation time, the sources that contributed, and counts.
 * Compiled into each of those plugins; nothing here is exported from them.
 */
#ifndef PW_DNS_META_H
#define PW_DNS_META_H

#include <stddef.h>
#include <stdint.h>

#include <poolwall/plugin.h>

#define DNS_META_MAX_SRC 64

struct dns_meta {
	char *src[DNS_META_MAX_SRC];	/* distinct source names, sorted */
	size_t n_src;
	unsigned long more_src;		/* names past DNS_META_MAX_SRC */
	char *last;			/* the last sources list seen */
};

/* Note the comma-separated source names of one item (NULL or "" is none). */
int dns_meta_sources(struct dns_meta *m, const char *sources);
void dns_meta_clear(struct dns_meta *m);

/*
 * Write the common header lines, each starting with `cmt` and a space:
 * what the file is, generator, time and generation of the run, sources.
 */
int dns_meta_write(struct dns_meta *m, struct pw_host *h,
		   struct pw_sink *out, const char *cmt, const char *what);

/* Unix time as 2026-01-01T00:00:00Z; returns 0 or -EINVAL. */
int dns_meta_time(int64_t t, char *buf, size_t len);

/*
 * A value a host name check would accept in every label: letters, digits
 * and inner hyphens (RFC 952/1123, what BIND's check-names applies to the
 * owner of address records).  `len` bytes of `name`, labels split on '.'.
 */
int dns_is_hostname(const char *name, size_t len);

#endif
