/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See fake-host.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake-host.h"

#define FAKE_BUF (64u * 1024u)

void fake_sink_init(struct pw_sink *o, int fd)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
}

int fake_sink_flush(struct pw_sink *o)
{
	size_t off = 0;
	ssize_t n;

	if (o->fd < 0)
		return 0;
	while (off < o->len) {
		n = write(o->fd, o->text + off, o->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	o->len = 0;
	return 0;
}

void fake_sink_free(struct pw_sink *o)
{
	free(o->text);
	o->text = NULL;
	o->len = o->cap = 0;
}

int pw_sink_write(struct pw_sink *o, const void *buf, size_t len)
{
	char *nt;
	size_t cap;
	int err;

	if (o->fail_after > 0 && o->bytes + len > (size_t)o->fail_after)
		return -ENOSPC;
	o->bytes += len;
	if (o->fd >= 0 && o->len + len > FAKE_BUF) {
		err = fake_sink_flush(o);
		if (err)
			return err;
	}
	if (o->len + len + 1 > o->cap) {
		cap = o->cap ? o->cap : FAKE_BUF;
		while (cap < o->len + len + 1)
			cap *= 2;
		nt = realloc(o->text, cap);
		if (!nt)
			return -ENOMEM;
		o->text = nt;
		o->cap = cap;
	}
	memcpy(o->text + o->len, buf, len);
	o->len += len;
	o->text[o->len] = '\0';
	return 0;
}

int pw_sink_printf(struct pw_sink *o, const char *fmt, ...)
{
	char small[512], *big;
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(small))
		return pw_sink_write(o, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (!big)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	err = pw_sink_write(o, big, (size_t)n);
	free(big);
	return err;
}

void pw_log(struct pw_host *h, int prio, const char *fmt, ...)
{
	va_list ap;

	h->n_logs++;
	if (!h->log)
		return;
	fprintf(h->log, "# log %d: ", prio);
	va_start(ap, fmt);
	vfprintf(h->log, fmt, ap);
	va_end(ap);
	fputc('\n', h->log);
}

const char *pw_host_target(const struct pw_host *h)
{
	return h->target;
}

uint64_t pw_host_generation(const struct pw_host *h)
{
	return h->generation;
}

int64_t pw_host_now(const struct pw_host *h)
{
	return h->now;
}
