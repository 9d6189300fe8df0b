/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_dumps() that fails cleanly (jsondump.h).  Built into the core and
 * into the plugins that write JSON.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jsondump.h"

/*
 * The buffer of pw_json_dumps(); the callback remembers a failure.
 */
struct pw_json_buf {
	char *buf;
	size_t len, cap;
	int fail;
};

static int pw_json_cb(const char *b, size_t n, void *data)
{
	struct pw_json_buf *d = data;
	char *nb;
	size_t cap;

	if (d->fail)
		return -1;
	if (n + 1 > d->cap - d->len) {
		cap = d->cap ? d->cap : 256;
		while (n + 1 > cap - d->len)
			cap *= 2;
		nb = realloc(d->buf, cap);
		if (!nb) {
			d->fail = 1;
			return -1;
		}
		d->buf = nb;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, b, n);
	d->len += n;
	d->buf[d->len] = '\0';
	return 0;
}

char *pw_json_dumps(const json_t *obj, size_t flags)
{
	struct pw_json_buf d = { 0 };

	if (json_dump_callback(obj, pw_json_cb, &d, flags) || d.fail ||
	    !d.buf) {
		free(d.buf);
		return NULL;
	}
	return d.buf;
}

