/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domains: plain domain lists, one name per line.
 *
 * `#` and `!` start comment lines, a `#` anywhere ends the line, and
 * `*.name` is passed as it is (the core reads it as "subdomains only").
 * Anything after the first field is reported, not guessed at.  Names
 * cover their subdomains unless the feed says subdomains=no.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <poolwall/plugin.h>

struct domains_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT */
};

static const struct pw_option domains_options[] = {
	{ .name = NULL }
};

static bool domains_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int domains_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct domains_state *st = ctx;
	const char *stop, *hash, *tok, *p;
	size_t tlen;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	hash = memchr(s, '#', len);
	stop = hash ? hash : s + len;
	while (stop > s && domains_space(stop[-1]))
		stop--;
	p = s;
	while (p < stop && domains_space(*p))
		p++;
	if (p == stop || *p == '!')
		return 0;
	tok = p;
	while (p < stop && !domains_space(*p))
		p++;
	tlen = p - tok;
	while (p < stop && domains_space(*p))
		p++;
	if (p < stop)
		pw_skip(st->h, line, "extra-fields", p, stop - p);
	return pw_emit_token(st->h, &(struct pw_token){
		.line = line,
		.tok = tok,
		.len = tlen,
		.hint = PW_H_DOMAIN,
		.flags = st->flags,
	});
}

static int domains_parse(void *state, const char *buf, size_t len)
{
	struct domains_state *st = state;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	return pw_lines(buf, len, domains_line, st);
}

static int domains_create(struct pw_host *h, const void *conf, void **state)
{
	struct domains_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void domains_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "domains",
	.kind = PW_FEED,
	.summary = "plain domain lists: one name (or *.name) per line",
	.options = domains_options,
	.conf_size = 0,
	.create = domains_create,
	.destroy = domains_destroy,
	.parse = domains_parse,
};
