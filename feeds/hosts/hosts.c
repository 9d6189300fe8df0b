/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hosts: hosts-file feeds (`0.0.0.0 name [name...]`).
 *
 * The address in front is only a marker and is dropped; every name after
 * it is handed to the core as a domain.  Names that every hosts file
 * carries for the machine itself (localhost, ip6-allnodes, ...) are
 * skipped.  Hosts files match exact names, so tokens are PW_T_EXACT unless
 * the feed says subdomains=yes.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poolwall/plugin.h>

struct hosts_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_EXACT or PW_T_TREE */
};

#define HOSTS_NAME(s) { s, sizeof(s) - 1 }

/* names a hosts file gives the machine itself (lengths: checked per name) */
static const struct {
	const char *name;
	size_t len;
} hosts_builtin[] = {
	HOSTS_NAME("localhost"),
	HOSTS_NAME("localhost.localdomain"),
	HOSTS_NAME("local"),
	HOSTS_NAME("broadcasthost"),
	HOSTS_NAME("ip6-localhost"),
	HOSTS_NAME("ip6-loopback"),
	HOSTS_NAME("ip6-localnet"),
	HOSTS_NAME("ip6-mcastprefix"),
	HOSTS_NAME("ip6-allnodes"),
	HOSTS_NAME("ip6-allrouters"),
	HOSTS_NAME("ip6-allhosts"),
	HOSTS_NAME("0.0.0.0"),
};

#define HOSTS_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct pw_option hosts_options[] = {
	{ .name = NULL }
};

static bool hosts_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool hosts_is_builtin(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < HOSTS_N(hosts_builtin); i++) {
		if (hosts_builtin[i].len == len &&
		    !strncasecmp(hosts_builtin[i].name, s, len))
			return true;
	}
	return false;
}

/*
 * Is the first field the address of a hosts line?  A name never holds a
 * ':' (IPv6), and a dotted IPv4 address is digits and dots only.
 */
static bool hosts_is_addr(const char *s, size_t len)
{
	size_t i;

	if (memchr(s, ':', len))
		return true;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			return false;
	}
	return true;
}

static int hosts_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct hosts_state *st = ctx;
	const char *p, *end, *tok, *hash;
	bool first = true, named = false;
	int err = 0;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	/* a comment runs from '#' to the end of the line */
	hash = memchr(s, '#', len);
	end = hash ? hash : s + len;
	while (end > s && hosts_space(end[-1]))
		end--;
	for (p = s; p < end;) {
		while (p < end && hosts_space(*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !hosts_space(*p))
			p++;
		if (first) {
			first = false;
			if (hosts_is_addr(tok, p - tok))
				continue;
		}
		named = true;
		if (hosts_is_builtin(tok, p - tok)) {
			pw_skip(st->h, line, "hosts-builtin", tok, p - tok);
			continue;
		}
		err = pw_emit_token(st->h, &(struct pw_token){
			.line = line,
			.tok = tok,
			.len = p - tok,
			.hint = PW_H_DOMAIN,
			.flags = st->flags,
		});
		if (err)
			break;
	}
	/* an address and no name */
	if (!err && !first && !named)
		pw_skip(st->h, line, "no-name", s, end - s);
	return err;
}

static int hosts_parse(void *state, const char *buf, size_t len)
{
	struct hosts_state *st = state;

	st->flags = pw_host_subdomains(st->h, 0) ? PW_T_TREE : PW_T_EXACT;
	return pw_lines(buf, len, hosts_line, st);
}

static int hosts_create(struct pw_host *h, const void *conf, void **state)
{
	struct hosts_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void hosts_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "hosts",
	.kind = PW_FEED,
	.summary = "hosts-file lists: `0.0.0.0 name [name...]`, exact names",
	.options = hosts_options,
	.conf_size = 0,
	.create = hosts_create,
	.destroy = hosts_destroy,
	.parse = hosts_parse,
};
