/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonpos.h: where a JSON value stands in its source text. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "jsonpos.h"

void pw_jsonpos_init(struct pw_jsonpos *jp, const char *buf, size_t len)
{
	jp->buf = buf;
	jp->len = len;
	jp->pos = 0;
	jp->budget = 8 * len + 65536;
	jp->line = 1;
}

/* is buf[0..at) `..."key" :` (blanks allowed around the colon)? */
static bool jsonpos_keyed(const char *buf, size_t at, const char *key)
{
	size_t klen;

	if (!key)
		return true;
	klen = strlen(key);
	while (at && strchr(" \t\r\n", buf[at - 1]))
		at--;
	if (!at || buf[--at] != ':')
		return false;
	while (at && strchr(" \t\r\n", buf[at - 1]))
		at--;
	return at >= klen + 2 && buf[at - 1] == '"' &&
	       buf[at - klen - 2] == '"' &&
	       !memcmp(buf + at - klen - 1, key, klen);
}

unsigned pw_jsonpos_find(struct pw_jsonpos *jp, const char *key,
			 const char *value)
{
	size_t vlen = strlen(value), at = jp->pos, i;
	const char *hit;

	while (at + vlen + 2 <= jp->len) {
		hit = memchr(jp->buf + at, '"', jp->len - at - vlen - 1);
		if (!hit)
			break;
		if ((size_t)(hit - jp->buf) - at + 1 > jp->budget) {
			jp->budget = 0;
			break;
		}
		jp->budget -= (size_t)(hit - jp->buf) - at + 1;
		at = (size_t)(hit - jp->buf);
		if (!memcmp(hit + 1, value, vlen) && hit[vlen + 1] == '"' &&
		    jsonpos_keyed(jp->buf, at, key)) {
			for (i = jp->pos; i < at; i++)
				if (jp->buf[i] == '\n')
					jp->line++;
			jp->pos = at + vlen + 2;
			return jp->line;
		}
		at++;
	}
	return jp->line;
}

