/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pw_lines(): the line loop of the line-oriented feed plugins (plugin.h).
 * A file of its own so that the plugins' unit tests and fuzz targets,
 * which link a mock host instead of the core, get the same loop.
 */
#include "config.h"

#include <string.h>

#include <poolwall/plugin.h>

int pw_lines(const char *buf, size_t len,
	     int (*line)(void *ctx, unsigned n, const char *s, size_t len),
	     void *ctx)
{
	const char *p = buf, *end = buf + len, *eol;
	unsigned n = 0;
	int err;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		err = line(ctx, ++n, p, (size_t)(eol - p));
		if (err)
			return err;
		p = eol < end ? eol + 1 : end;
	}
	return 0;
}
