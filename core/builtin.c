/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include <poolwall/plugin.h>

#include "builtin.h"
/* generated from data/pools.list and data/stratum-ports.list */
#include "builtin-data.h"

/* "name [exact]" lines, `#` comments. */
static int builtin_lines(struct pw_host *h, const char *buf,
			 enum pw_hint hint)
{
	const char *p = buf;
	unsigned line = 0;
	int err = 0;

	while (*p && !err) {
		const char *eol = strchr(p, '\n');
		const char *e = eol ? eol : p + strlen(p);
		struct pw_token t = { .hint = hint };
		const char *s = p;

		p = eol ? eol + 1 : e;
		line++;
		if (s == e || *s == '#')
			continue;
		t.line = line;
		t.tok = s;
		while (s < e && *s != ' ')
			s++;
		t.len = (size_t)(s - t.tok);
		if (hint == PW_H_DOMAIN)
			t.flags = (e - s == 6 && memcmp(s, " exact", 6) == 0) ?
					  PW_T_EXACT :
					  PW_T_TREE;
		err = pw_emit_token(h, &t);
	}
	return err;
}

int pw_builtin_parse(struct pw_host *h)
{
	int err = builtin_lines(h, pw_builtin_pools, PW_H_DOMAIN);

	if (!err)
		err = builtin_lines(h, pw_builtin_ports, PW_H_PORT);
	return err;
}
