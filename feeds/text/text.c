/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text: indicators found in free text (reports, chat, Markdown tables,
 * CSV-ish IoC files).
 *
 * Each line is cut into words at white space (also the Unicode spaces,
 * byte-order marks and direction marks that copy-paste brings along) and
 * at , ; | < > " ' ( ) [ ] { } and backticks, except where brackets
 * defang an indicator: `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[://]`,
 * `[/]`, `[@]`, `[https://]` stay part of the word.  Trailing sentence
 * punctuation is dropped.  A word is handed to the core only when it could
 * be an indicator: it has an inner dot (or a defanged one), a `://`, a
 * `host:port` ending, an IPv6 shape, 32/40/64 hex digits, or a wallet
 * shape; file paths (a leading '/', a backslash) and numbers such as 1.5
 * or 0.7.28 are left out.  Port numbers are recognised in prose ("port
 * 3333", "ports 3333, 4444 and 5555", "tcp/3333", "3333/tcp").  Everything
 * carries PW_T_PROSE, which makes the core stricter.  One pass, linear in
 * the input.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poolwall/plugin.h>

#define TEXT_GROUP_MAX 12	/* longest defang group, brackets included */

struct text_conf {
	int list;		/* a list of indicators, not prose */
};

struct text_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_PROSE unless list=yes */
	bool port_list;		/* after "port" / "ports" on this line */
};

static const struct pw_option text_options[] = {
	{ "list", "no", PW_OPT_BOOL, offsetof(struct text_conf, list),
	  "the input is a list of indicators (a trail file), not prose: "
	  "names need no known TLD and may end like file names (.sh)" },
	{ NULL, NULL, 0, 0, NULL },
};

static bool text_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool text_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool text_hex(char c)
{
	return text_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Bitcoin's base58: no 0, O, I, l */
static bool text_base58(char c)
{
	return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') ||
	       (c >= 'J' && c <= 'N') || (c >= 'P' && c <= 'Z') ||
	       (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
}

static bool text_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !strncasecmp(s, lit, len);
}

/* does s contain lit (case-insensitive)? */
static bool text_has(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= len; i++) {
		if (!strncasecmp(s + i, lit, n))
			return true;
	}
	return false;
}

/* position of "://" in s, or len */
static size_t text_find_scheme(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 3 <= len; i++) {
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return i;
	}
	return len;
}

/*
 * Bytes of the separator at s (0 if none): ASCII space and punctuation,
 * and UTF-8 spaces, BOMs, direction marks and typographic quotes.
 */
static size_t text_sep(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (strchr(" \t\r\v\f,;|<>\"'()[]{}`", s[0]))
		return 1;	/* also catches NUL, never reached here */
	if (len >= 2 && u[0] == 0xc2 &&
	    (u[1] == 0xa0 || u[1] == 0xab || u[1] == 0xbb))
		return 2;	/* no-break space, guillemets */
	if (len < 3)
		return 0;
	if (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;	/* U+FEFF */
	if (u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8f) || u[2] == 0x98 ||
	     u[2] == 0x99 || u[2] == 0x9c || u[2] == 0x9d ||
	     (u[2] >= 0xa8 && u[2] <= 0xaf)))
		return 3;	/* spaces, marks, quotes, separators */
	if (u[0] == 0xe2 && u[1] == 0x81 && (u[2] == 0x9f || u[2] == 0xa0))
		return 3;	/* medium mathematical space, word joiner */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;	/* ideographic space */
	return 0;
}

/*
 * Length of a defanging group at s (`[.]`, `[dot]`, `[:]`, `[://]`,
 * `[/]`, `[@]`, `[at]`, `[hxxps://]`, `(.)`, `(dot)`, `{.}`), or 0.
 */
static size_t text_group(const char *s, size_t len)
{
	char close;
	size_t i, n;

	if (s[0] == '[')
		close = ']';
	else if (s[0] == '(')
		close = ')';
	else if (s[0] == '{')
		close = '}';
	else
		return 0;
	for (i = 1; i < len && i < TEXT_GROUP_MAX; i++) {
		if (s[i] == close)
			break;
	}
	if (i >= len || s[i] != close)
		return 0;
	n = i - 1;	/* content */
	s++;
	if (text_is(s, n, ".") || text_is(s, n, "dot"))
		return n + 2;
	if (close != ']')
		return 0;
	if (text_is(s, n, ":") || text_is(s, n, "://") ||
	    text_is(s, n, "/") || text_is(s, n, "@") || text_is(s, n, "at"))
		return n + 2;
	/* a scheme: [https://] */
	if (n > 3 && !memcmp(s + n - 3, "://", 3)) {
		for (i = 0; i < n - 3; i++) {
			if (!text_alpha(s[i]))
				return 0;
		}
		return n + 2;
	}
	return 0;
}

/* 1-5 digits, or two of them joined by '-' */
static bool text_port_number(const char *s, size_t len)
{
	size_t i, run = 0, dashes = 0;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (text_digit(s[i])) {
			run++;
			if (run > 5)
				return false;
		} else if (s[i] == '-' && run && !dashes) {
			dashes++;
			run = 0;
		} else {
			return false;
		}
	}
	return run > 0;
}

/* tcp/3333, udp/3333, 3333/tcp, 14433-14444/tcp */
static bool text_port_proto(const char *s, size_t len)
{
	if (len > 4 && (!strncasecmp(s, "tcp/", 4) ||
			!strncasecmp(s, "udp/", 4)))
		return text_port_number(s + 4, len - 4);
	if (len > 4 && (!strncasecmp(s + len - 4, "/tcp", 4) ||
			!strncasecmp(s + len - 4, "/udp", 4)))
		return text_port_number(s, len - 4);
	return false;
}

/* a Monero, Bitcoin or Ethereum address shape */
static bool text_wallet(const char *s, size_t len)
{
	bool upper = false, lower = false;
	size_t i;

	if ((len == 95 || len == 106) && (s[0] == '4' || s[0] == '8')) {
		/* alphanumeric: the core tells a bad base58 character */
		for (i = 0; i < len; i++) {
			if (!text_digit(s[i]) && !text_alpha(s[i]))
				return false;
		}
		return true;
	}
	if (len == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++) {
			if (!text_hex(s[i]))
				return false;
		}
		return true;
	}
	if (len >= 14 && len <= 74 && (!strncmp(s, "bc1", 3) ||
				       !strncmp(s, "BC1", 3))) {
		for (i = 3; i < len; i++) {
			if (!text_digit(s[i]) && !text_alpha(s[i]))
				return false;
		}
		return true;
	}
	if (len >= 26 && len <= 35 && (s[0] == '1' || s[0] == '3')) {
		/* a base58 word with both cases, not a number or a word */
		for (i = 0; i < len; i++) {
			if (!text_base58(s[i]))
				return false;
			upper |= s[i] >= 'A' && s[i] <= 'Z';
			lower |= s[i] >= 'a' && s[i] <= 'z';
		}
		return upper && lower;
	}
	return false;
}

/* Could this word be an indicator (other than a port)? */
static bool text_candidate(const char *s, size_t len)
{
	size_t i, colons = 0, dots = 0, hex = 0, last_colon = len;
	bool digits_dots = true, v6_chars = true, letter = false;

	if (text_find_scheme(s, len) < len)
		return true;
	/* file paths: /var/tmp/x.sh, C:\Temp\a.exe */
	if (s[0] == '/' || memchr(s, '\\', len))
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			dots++;
		} else if (c == ':') {
			colons++;
			last_colon = i;
		} else if (!text_digit(c)) {
			digits_dots = false;
		}
		if (text_hex(c))
			hex++;
		else if (c != ':' && c != '.' && c != '/')
			v6_chars = false;
		if (text_alpha(c))
			letter = true;
	}
	/* a number such as 1.5 or a version such as 0.7.28 is no address */
	if (digits_dots && !colons)
		return dots == 3;
	if (dots && (s[0] != '.' || dots > 1))
		return true;
	if (text_has(s, len, "[.]") || text_has(s, len, "(.)") ||
	    text_has(s, len, "{.}") || text_has(s, len, "[dot]") ||
	    text_has(s, len, "(dot)") || text_has(s, len, "{dot}"))
		return true;
	/* IPv6: "::" or (nearly) all eight groups */
	if (v6_chars && colons >= 2 && hex &&
	    (text_has(s, len, "::") || colons >= 6))
		return true;
	/* host:port */
	if (last_colon > 0 && last_colon < len - 1 && letter &&
	    last_colon + 6 >= len) {
		for (i = last_colon + 1; i < len; i++) {
			if (!text_digit(s[i]))
				break;
		}
		if (i == len)
			return true;
	}
	if (hex == len && (len == 32 || len == 40 || len == 64))
		return true;
	return text_wallet(s, len);
}

static int text_emit(struct text_state *st, unsigned line, const char *s,
		     size_t len, enum pw_hint hint)
{
	struct pw_token t = {
		.line = line,
		.tok = s,
		.len = len,
		.hint = hint,
		.flags = st->flags,
	};

	return pw_emit_token(st->h, &t);
}

static int text_word(struct text_state *st, unsigned line, const char *s,
		     size_t len)
{
	size_t k, b, j;

	/* Markdown emphasis (not `*.name`), sentence punctuation behind */
	while (len && s[0] == '*' && !(len > 1 && s[1] == '.')) {
		s++;
		len--;
	}
	while (len >= 2 && s[0] == '_' && s[len - 1] == '_') {
		s++;
		len -= 2;
	}
	while (len && strchr(".,:;!?*", s[len - 1]))
		len--;
	if (!len)
		return 0;

	if (text_is(s, len, "port") || text_is(s, len, "ports")) {
		st->port_list = true;
		return 0;
	}
	if (text_port_proto(s, len))
		return text_emit(st, line, s, len, PW_H_PORT);
	if (st->port_list) {
		if (text_port_number(s, len))
			return text_emit(st, line, s, len, PW_H_PORT);
		if (text_is(s, len, "and") || text_is(s, len, "or") ||
		    text_is(s, len, "&"))
			return 0;
		st->port_list = false;
	}
	if (!text_candidate(s, len))
		return 0;

	/* url=http://x: the URL starts after the '=' */
	k = text_find_scheme(s, len);
	if (k < len) {
		b = k && s[k - 1] == '[' ? k - 1 : k;
		j = b;
		while (j > 0 && (text_alpha(s[j - 1]) ||
				 text_digit(s[j - 1]) ||
				 strchr("+-.", s[j - 1])))
			j--;
		if (j > 0 && j < b && s[j - 1] == '=') {
			s += j;
			len -= j;
		}
	}
	return text_emit(st, line, s, len, PW_H_ANY);
}

static int text_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct text_state *st = ctx;
	size_t i = 0, start, k;
	int err = 0;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && s[i] == '#')
		return 0;
	st->port_list = false;
	while (i < len) {
		k = text_group(s + i, len - i) ? 0 : text_sep(s + i, len - i);
		if (k) {
			i += k;
			continue;
		}
		start = i;
		while (i < len) {
			k = text_group(s + i, len - i);
			if (k) {
				i += k;
				continue;
			}
			if (text_sep(s + i, len - i))
				break;
			i++;
		}
		err = text_word(st, line, s + start, i - start);
		if (err)
			break;
	}
	return err;
}

static int text_parse(void *state, const char *buf, size_t len)
{
	return pw_lines(buf, len, text_line, state);
}

static int text_create(struct pw_host *h, const void *conf, void **state)
{
	struct text_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	st->flags = ((const struct text_conf *)conf)->list ? 0 : PW_T_PROSE;
	*state = st;
	return 0;
}

static void text_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "text",
	.kind = PW_FEED,
	.summary = "indicators found in free text: reports, chat, tables, CSV",
	.options = text_options,
	.conf_size = sizeof(struct text_conf),
	.create = text_create,
	.destroy = text_destroy,
	.parse = text_parse,
};
