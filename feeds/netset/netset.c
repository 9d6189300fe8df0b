/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netset: IP lists (FireHOL .ipset/.netset, CoinBlockerLists IP lists).
 *
 * The first field of each line is an address, a CIDR prefix or an a-b
 * range; a range written with spaces (`a - b`, `a -b`, `a- b`) is joined
 * into `a-b`.  `#` and `;` start comments anywhere on a line (which also
 * drops the `;score` of LOKI-style `IP;score` lines); further fields are
 * ignored.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <poolwall/plugin.h>

/* two IPv6 addresses with a dash fit easily */
#define NETSET_RANGE_MAX 128

struct netset_state {
	struct pw_host *h;
	char range[NETSET_RANGE_MAX];
};

static const struct pw_option netset_options[] = {
	{ .name = NULL }
};

static bool netset_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* the next field in [*p, end): returns its length, 0 at the end */
static size_t netset_field(const char **p, const char *end, const char **f)
{
	const char *q = *p;

	while (q < end && netset_space(*q))
		q++;
	*f = q;
	while (q < end && !netset_space(*q))
		q++;
	*p = q;
	return q - *f;
}

static int netset_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct netset_state *st = ctx;
	const char *p = s, *end = s + len, *f1, *f2, *f3, *tok;
	size_t n1, n2, n3, tlen;
	size_t i;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '#' || s[i] == ';') {
			end = s + i;
			break;
		}
	}
	n1 = netset_field(&p, end, &f1);
	if (!n1)
		return 0;
	n2 = netset_field(&p, end, &f2);
	n3 = netset_field(&p, end, &f3);
	tok = f1;
	tlen = n1;
	if (n2 == 1 && f2[0] == '-' && n3) {
		/* a - b */
		if (n1 + 1 + n3 <= sizeof(st->range)) {
			memcpy(st->range, f1, n1);
			st->range[n1] = '-';
			memcpy(st->range + n1 + 1, f3, n3);
			tok = st->range;
			tlen = n1 + 1 + n3;
		} else {
			tlen = f3 + n3 - f1;
		}
	} else if (n2 && ((n1 > 1 && f1[n1 - 1] == '-') ||
			  (n2 > 1 && f2[0] == '-'))) {
		/* a- b, a -b */
		if (n1 + n2 <= sizeof(st->range)) {
			memcpy(st->range, f1, n1);
			memcpy(st->range + n1, f2, n2);
			tok = st->range;
			tlen = n1 + n2;
		} else {
			tlen = f2 + n2 - f1;
		}
	}
	return pw_emit(st->h, line, tok, tlen, PW_H_IP);
}

static int netset_parse(void *state, const char *buf, size_t len)
{
	return pw_lines(buf, len, netset_line, state);
}

static int netset_create(struct pw_host *h, const void *conf, void **state)
{
	struct netset_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void netset_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "netset",
	.kind = PW_FEED,
	.summary = "IP lists: one address, CIDR prefix or a-b range per line",
	.options = netset_options,
	.conf_size = 0,
	.create = netset_create,
	.destroy = netset_destroy,
	.parse = netset_parse,
};
