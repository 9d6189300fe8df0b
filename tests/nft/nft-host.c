/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plugin.h services for the nft tests; see nft-host.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nft-host.h"

int64_t pw_host_now(const struct pw_host *h)
{
	return h->now;
}

void pw_log(struct pw_host *h, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->last_log, sizeof(h->last_log), fmt, ap);
	va_end(ap);
	h->n_logs++;
	if (h->log)
		fprintf(h->log, "%s%s\n", h->log_prefix ? h->log_prefix : "",
			h->last_log);
}

int pw_sink_write(struct pw_sink *o, const void *buf, size_t len)
{
	if (o->len + len + 1 > o->alloc) {
		size_t na = (o->len + len + 1) * 2;
		char *nb = realloc(o->buf, na);

		if (!nb)
			return -ENOMEM;
		o->buf = nb;
		o->alloc = na;
	}
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	o->buf[o->len] = '\0';
	return 0;
}

int pw_sink_printf(struct pw_sink *o, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small))
		return -ENOSPC;
	return pw_sink_write(o, small, (size_t)n);
}

int pw_set_iter(const struct pw_set *s, unsigned kinds, pw_item_cb cb,
		void *ctx)
{
	unsigned k;
	size_t i;
	int err;

	for (k = PW_I_DOMAIN; k <= PW_I_HASH; k++) {
		if (!(kinds & PW_IMASK(k)))
			continue;
		for (i = 0; i < s->n; i++) {
			if (s->v[i].kind != (enum pw_ikind)k)
				continue;
			err = cb(ctx, &s->v[i]);
			if (err)
				return err;
		}
	}
	return 0;
}

size_t pw_set_count(const struct pw_set *s, enum pw_ikind k)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->v[i].kind == k;
	return n;
}

struct pw_item *set_add(struct pw_set *s, enum pw_ikind kind,
			       unsigned flags, int64_t expires)
{
	struct pw_item *it;

	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 64;
		s->v = realloc(s->v, s->alloc * sizeof(*s->v));
		if (!s->v)
			exit(99);
	}
	it = &s->v[s->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->flags = flags;
	it->expires = expires;
	it->value = "";
	return it;
}

void set_ip(struct pw_set *s, const char *addr, unsigned plen,
		   unsigned flags, int64_t expires)
{
	bool v6 = strchr(addr, ':') != NULL;
	struct pw_item *it = set_add(s, v6 ? PW_I_IPV6 : PW_I_IPV4, flags,
				     expires);

	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, it->addr) != 1)
		exit(99);
	it->plen = plen;
}

void set_port(struct pw_set *s, enum pw_proto proto, unsigned lo,
		     unsigned hi, unsigned flags, int64_t expires)
{
	struct pw_item *it = set_add(s, PW_I_PORT, flags, expires);

	it->proto = proto;
	it->port_lo = (uint16_t)lo;
	it->port_hi = (uint16_t)hi;
}

