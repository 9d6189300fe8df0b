/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * adblock: Adblock Plus / uBlock Origin / AdGuard filter lists.
 *
 * Only rules that block a whole host become tokens: `||host^`,
 * `||host^$options`, `||host` and, as uBlock Origin reads them, bare host
 * names on a line of their own.  `@@||host^` is an allow entry.  Every
 * other rule (cosmetic, regex, path, URL-anchored, generic) and every host
 * rule whose options make it something else than "block this host" is
 * reported with pw_skip() under a reason slug.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poolwall/plugin.h>

struct adblock_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT */
};

/*
 * Options after which a rule no longer means "block requests to this
 * host": they rewrite or redirect, disable another filter, or narrow the
 * rule to pages on some sites (`domain=`, `from=`) or to first-party
 * requests.  Request-type options ($script, $websocket, $third-party)
 * keep the host blocked and are accepted.
 */
static const char *const adblock_non_host[] = {
	"csp", "redirect", "redirect-rule", "rewrite", "removeparam",
	"queryprune", "badfilter", "popup", "popunder", "domain", "from",
	"to", "denyallow", "header", "removeheader", "replace", "cookie",
	"permissions", "urltransform", "jsonprune", "hls", "empty", "mp4",
	"first-party", "1p", "strict1p", "strict-first-party", "method",
};

#define ADBLOCK_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct pw_option adblock_options[] = {
	{ .name = NULL }
};

static bool adblock_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool adblock_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* a host name's bytes: letters, digits, `.-_`, UTF-8 of an IDN */
static bool adblock_host_char(unsigned char c)
{
	return adblock_alnum(c) || c == '.' || c == '-' || c == '_' ||
	       c >= 0x80;
}

/* does s start with the string lit? */
static bool adblock_prefix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && !memcmp(s, lit, n);
}

/* does one of marks[0..n-1] start at one of the `c` bytes of s? */
static bool adblock_marked(const char *s, size_t len, char c,
			   const char *const *marks, size_t n)
{
	const char *p = s, *end = s + len, *q;
	size_t i;

	for (;;) {
		q = memchr(p, c, end - p);
		if (!q)
			return false;
		for (i = 0; i < n; i++) {
			if (adblock_prefix(q, end - q, marks[i]))
				return true;
		}
		p = q + 1;
	}
}

/*
 * Element hiding, scriptlets and HTML filtering: `##`, `#@#`, `#?#`,
 * `#@?#`, `#$#`, `#@$#`, `#%#`, `#@%#` anywhere, or AdGuard's `$$`/`$@$`.
 */
static bool adblock_cosmetic(const char *s, size_t len)
{
	static const char *const hash_marks[] = {
		"##", "#@#", "#?#", "#@?#", "#$#", "#@$#", "#%#", "#@%#",
	};
	static const char *const dollar_marks[] = { "$$", "$@$" };

	return adblock_marked(s, len, '#', hash_marks,
			      ADBLOCK_N(hash_marks)) ||
	       adblock_marked(s, len, '$', dollar_marks,
			      ADBLOCK_N(dollar_marks));
}

/* Does one of the comma-separated options stop this being a host block? */
static bool adblock_non_host_opts(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *comma, *eq;
	size_t n, i;

	while (p < end) {
		comma = memchr(p, ',', end - p);
		if (!comma)
			comma = end;
		while (p < comma && adblock_space(*p))
			p++;
		if (p < comma && *p == '~')
			return true;
		eq = memchr(p, '=', comma - p);
		n = (eq ? eq : comma) - p;
		while (n && adblock_space(p[n - 1]))
			n--;
		for (i = 0; i < ADBLOCK_N(adblock_non_host); i++) {
			if (strlen(adblock_non_host[i]) == n &&
			    !strncasecmp(adblock_non_host[i], p, n))
				return true;
		}
		p = comma < end ? comma + 1 : end;
	}
	return false;
}

/*
 * A regex rule is `/.../` or `/.../$options`; the options of any other
 * rule start at its first `$`.  Returns the length of the pattern and sets
 * *regex.
 */
static size_t adblock_pattern(const char *s, size_t len, bool *regex)
{
	const char *d;
	size_t i;

	*regex = false;
	if (len >= 2 && s[0] == '/') {
		if (s[len - 1] == '/') {
			*regex = true;
			return len;
		}
		/* the last "/$" ends the expression */
		for (i = len - 1; i >= 2; i--) {
			if (s[i] == '$' && s[i - 1] == '/') {
				*regex = true;
				return i;
			}
		}
	}
	d = memchr(s, '$', len);
	return d ? (size_t)(d - s) : len;
}

/* what may follow the host of a host rule: nothing, ^, | or ^| */
static bool adblock_host_end(const char *s, size_t len)
{
	return len == 0 || (len == 1 && (s[0] == '^' || s[0] == '|')) ||
	       (len == 2 && s[0] == '^' && s[1] == '|');
}

/* IP literals go to the core unclassified; names as domains */
static enum pw_hint adblock_hint(const char *s, size_t len)
{
	size_t i;

	if (memchr(s, ':', len))
		return PW_H_ANY;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			return PW_H_DOMAIN;
	}
	return PW_H_ANY;
}

static int adblock_emit(struct adblock_state *st, unsigned line,
			const char *tok, size_t len, bool allow)
{
	struct pw_token t = {
		.line = line,
		.tok = tok,
		.len = len,
		.hint = adblock_hint(tok, len),
		.flags = st->flags | (allow ? PW_T_ALLOW : 0),
	};

	return pw_emit_token(st->h, &t);
}

static int adblock_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct adblock_state *st = ctx;
	const char *rule, *opts = NULL, *host, *rest;
	size_t rlen, plen, olen = 0, hlen, i;
	bool allow = false, regex;

	while (len && adblock_space(*s)) {
		s++;
		len--;
	}
	while (len && adblock_space(s[len - 1]))
		len--;
	if (!len || s[0] == '!')
		return 0;
	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	/* [Adblock Plus 2.0], [uBlock Origin]; "# text" (uBlock Origin) */
	if (s[0] == '[' && s[len - 1] == ']')
		return 0;
	if (s[0] == '#' && (len == 1 || adblock_space(s[1])))
		return 0;
	if (adblock_cosmetic(s, len)) {
		pw_skip(st->h, line, "cosmetic-rule", s, len);
		return 0;
	}
	/* what is left starting with '#' is a comment */
	if (s[0] == '#')
		return 0;

	rule = s;
	rlen = len;
	if (adblock_prefix(rule, rlen, "@@")) {
		allow = true;
		rule += 2;
		rlen -= 2;
	}
	plen = adblock_pattern(rule, rlen, &regex);
	if (plen < rlen) {
		opts = rule + plen + 1;
		olen = rlen - plen - 1;
	}
	if (regex) {
		pw_skip(st->h, line, "regex-rule", s, len);
		return 0;
	}
	if (!plen || (plen == 1 && rule[0] == '*')) {
		pw_skip(st->h, line, "generic-rule", s, len);
		return 0;
	}

	if (adblock_prefix(rule, plen, "||")) {
		host = rule + 2;
		for (hlen = 0; hlen < plen - 2; hlen++) {
			if (strchr("^/|$?:=", host[hlen]))
				break;
		}
		rest = host + hlen;
		i = plen - 2 - hlen;	/* bytes after the host */
		if (!hlen) {
			pw_skip(st->h, line, "generic-rule", s, len);
			return 0;
		}
		if (!adblock_host_end(rest, i)) {
			pw_skip(st->h, line, "path-rule", s, len);
			return 0;
		}
	} else if (rule[0] == '|') {
		pw_skip(st->h, line, "url-rule", s, len);
		return 0;
	} else {
		/* uBlock Origin reads a bare host name as ||host^ */
		host = rule;
		hlen = plen;
		for (i = 0; i < hlen; i++) {
			if (!adblock_host_char(host[i]))
				break;
		}
		if (opts || i < hlen || !(adblock_alnum(host[0]) ||
					  (unsigned char)host[0] >= 0x80)) {
			pw_skip(st->h, line, "path-rule", s, len);
			return 0;
		}
	}
	if (opts && adblock_non_host_opts(opts, olen)) {
		pw_skip(st->h, line, "non-host-option", s, len);
		return 0;
	}
	return adblock_emit(st, line, host, hlen, allow);
}

static int adblock_parse(void *state, const char *buf, size_t len)
{
	struct adblock_state *st = state;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	return pw_lines(buf, len, adblock_line, st);
}

static int adblock_create(struct pw_host *h, const void *conf, void **state)
{
	struct adblock_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void adblock_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "adblock",
	.kind = PW_FEED,
	.summary = "Adblock Plus / uBlock Origin lists: ||host^ rules and "
		   "bare host names",
	.options = adblock_options,
	.conf_size = 0,
	.create = adblock_create,
	.destroy = adblock_destroy,
	.parse = adblock_parse,
};
