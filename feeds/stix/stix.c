/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stix: STIX 2.0 and 2.1 bundles (also a bare array of objects or one
 * object), read with jansson.
 *
 * Indicators: the comparisons of a STIX pattern whose value names an
 * indicator, joined by AND, OR and observation operators:
 *
 *	[domain-name:value = '...']	[ipv4-addr:value = '...']
 *	[ipv6-addr:value = '...']	[url:value = '...']
 *	[network-traffic:dst_port = 3333]
 *	[network-traffic:dst_ref.value = '...']
 *	[file:hashes.'SHA-256' = '...'] (also MD5, SHA-1, hashes.md5 ...)
 *
 * with `=`, `IN (...)` and, for addresses, ISSUBSET; a negated comparison,
 * LIKE and MATCHES give nothing.  Observed data (2.0 `objects`) and 2.1
 * cyber-observable objects: domain-name, ipv4-addr, ipv6-addr, url, file
 * hashes, network-traffic dst_port.  Observed data that MISP labels as an
 * external analysis or an internal reference (a link to the report
 * itself) is skipped.
 *
 * A token's line is the line of its object's "id" in the source (every
 * object of a minified bundle is on line 1).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <jansson.h>

#include <poolwall/plugin.h>

#include "../common/jsonpos.h"

#define STIX_MAX_BODY (64ul << 20)	/* bytes of one bundle */

struct stix_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT for names */
	struct pw_jsonpos jp;	/* the source, for line numbers */
	char *scratch;		/* decoded pattern literals */
};

static const struct pw_option stix_options[] = {
	{ .name = NULL }
};

/* ---- lines ---- */

/* the line of the next `"key": "value"` (jsonpos.h); an empty value has
   the cursor's */
static unsigned stix_line_of(struct stix_state *st, const char *key,
			     const char *value)
{
	return *value ? pw_jsonpos_find(&st->jp, key, value) : st->jp.line;
}

/* ---- emitting ---- */

static int stix_emit(struct stix_state *st, unsigned line, const char *s,
		     size_t len, enum pw_hint hint)
{
	if (!len)
		return 0;
	return pw_emit_token(st->h, &(struct pw_token){
		.line = line,
		.tok = s,
		.len = len,
		.hint = hint,
		.flags = hint == PW_H_DOMAIN || hint == PW_H_ANY ?
			 st->flags : 0,
	});
}

static bool stix_hash_name(const char *s, size_t len)
{
	char t[16];
	size_t n = 0, i;

	for (i = 0; i < len && n + 1 < sizeof(t); i++) {
		char c = s[i];

		if (c == '\'' || c == '-' || c == '_')
			continue;
		t[n++] = c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
	}
	t[n] = '\0';
	return i == len && (!strcmp(t, "md5") || !strcmp(t, "sha1") ||
			    !strcmp(t, "sha256"));
}

/*
 * What an object path names: a hint, or -1.  `type:prop...` with quoted
 * components such as hashes.'SHA-256'.
 */
static int stix_path_hint(const char *p, size_t len)
{
	static const struct {
		const char *path;
		enum pw_hint hint;
	} paths[] = {
		{ "domain-name:value", PW_H_DOMAIN },
		{ "ipv4-addr:value", PW_H_IP },
		{ "ipv6-addr:value", PW_H_IP },
		{ "url:value", PW_H_URL },
		{ "network-traffic:dst_port", PW_H_PORT },
		{ "network-traffic:dst_ref.value", PW_H_ANY },
	};
	const char *h;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strlen(paths[i].path) == len &&
		    !strncasecmp(p, paths[i].path, len))
			return paths[i].hint;
	/* file:hashes.'SHA-256', process:image_ref.hashes.MD5 ... */
	for (h = p; h + 7 < p + len; h++)
		if (!strncmp(h, "hashes.", 7) && (h == p || h[-1] == '.' ||
						  h[-1] == ':'))
			return stix_hash_name(h + 7,
					      (size_t)(p + len - h - 7)) ?
			       PW_H_HASH : -1;
	return -1;
}

/* ---- patterns ---- */

enum stix_tok {
	ST_END = 0, ST_PATH, ST_STRING, ST_NUMBER, ST_WORD, ST_OP, ST_LPAREN,
	ST_RPAREN, ST_OTHER,
};

struct stix_lex {
	const char *p, *end;
	enum stix_tok t;
	const char *s;		/* the token's text */
	size_t len;
	char *lit;		/* ST_STRING: decoded, in scratch */
	size_t litlen;
};

static bool stix_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool stix_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* a quoted literal at x->p (after its opening quote); decoded to lit */
static void stix_string(struct stix_lex *x)
{
	size_t n = 0;

	while (x->p < x->end && *x->p != '\'') {
		if (*x->p == '\\' && x->p + 1 < x->end)
			x->p++;
		x->lit[n++] = *x->p++;
	}
	if (x->p < x->end)
		x->p++;
	x->litlen = n;
}

static void stix_next(struct stix_lex *x)
{
	const char *p;

	while (x->p < x->end && strchr(" \t\r\n[]", *x->p))
		x->p++;
	x->s = x->p;
	x->len = 0;
	if (x->p >= x->end) {
		x->t = ST_END;
		return;
	}
	p = x->p;
	if (*p == '\'') {
		x->p++;
		stix_string(x);
		x->t = ST_STRING;
	} else if ((*p == 'h' || *p == 'b' || *p == 't') &&
		   p + 1 < x->end && p[1] == '\'') {
		/* hex, binary and timestamp literals */
		x->p += 2;
		stix_string(x);
		x->t = ST_OTHER;
	} else if (stix_digit(*p) || (*p == '-' && p + 1 < x->end &&
				      stix_digit(p[1]))) {
		x->p++;
		while (x->p < x->end && (stix_digit(*x->p) || *x->p == '.'))
			x->p++;
		x->t = ST_NUMBER;
	} else if (stix_alpha(*p) || *p == '_') {
		bool path = false;

		/* a word, or an object path with its quoted components */
		while (x->p < x->end) {
			char c = *x->p;

			if (c == '\'' && path) {
				x->p++;
				while (x->p < x->end && *x->p != '\'') {
					if (*x->p == '\\' && x->p + 1 < x->end)
						x->p++;
					x->p++;
				}
				if (x->p < x->end)
					x->p++;
				continue;
			}
			if (c == ':')
				path = true;
			else if (c == '[' && path) {
				/* to_refs[*] */
				while (x->p < x->end && *x->p != ']')
					x->p++;
			} else if (!stix_alpha(c) && !stix_digit(c) &&
				   c != '_' && c != '-' && c != '.')
				break;
			x->p++;
		}
		x->t = path ? ST_PATH : ST_WORD;
	} else if (strchr("=!<>", *p)) {
		x->p++;
		if (x->p < x->end && *x->p == '=')
			x->p++;
		x->t = ST_OP;
	} else if (*p == '(') {
		x->p++;
		x->t = ST_LPAREN;
	} else if (*p == ')') {
		x->p++;
		x->t = ST_RPAREN;
	} else {
		x->p++;
		x->t = ST_OTHER;
	}
	x->len = (size_t)(x->p - x->s);
}

static bool stix_word(const struct stix_lex *x, const char *w)
{
	return x->t == ST_WORD && strlen(w) == x->len &&
	       !strncasecmp(x->s, w, x->len);
}

static int stix_value(struct stix_state *st, unsigned line,
		      const struct stix_lex *x, int hint, unsigned *n)
{
	if (hint < 0)
		return 0;
	if (x->t == ST_STRING) {
		(*n)++;
		return stix_emit(st, line, x->lit, x->litlen,
				 (enum pw_hint)hint);
	}
	if (x->t == ST_NUMBER && hint == PW_H_PORT) {
		(*n)++;
		return stix_emit(st, line, x->s, x->len, PW_H_PORT);
	}
	return 0;
}

/* every `path = value` (and IN, ISSUBSET) comparison of a pattern */
static int stix_pattern(struct stix_state *st, unsigned line, const char *pat,
			unsigned *n)
{
	struct stix_lex x = { .p = pat, .end = pat + strlen(pat),
			      .lit = st->scratch };
	bool neg;
	int hint, err = 0;

	stix_next(&x);
	while (x.t != ST_END && !err) {
		if (x.t != ST_PATH) {
			stix_next(&x);
			continue;
		}
		hint = stix_path_hint(x.s, x.len);
		stix_next(&x);
		neg = stix_word(&x, "NOT");
		if (neg)
			stix_next(&x);
		if (x.t == ST_OP && x.len == 1 && x.s[0] == '=') {
			stix_next(&x);
			if (!neg)
				err = stix_value(st, line, &x, hint, n);
		} else if (stix_word(&x, "ISSUBSET") && hint == PW_H_IP) {
			stix_next(&x);
			if (!neg)
				err = stix_value(st, line, &x, hint, n);
		} else if (stix_word(&x, "IN")) {
			stix_next(&x);
			if (x.t != ST_LPAREN)
				continue;
			for (stix_next(&x); x.t != ST_END && x.t != ST_RPAREN &&
			     !err; stix_next(&x))
				if (!neg)
					err = stix_value(st, line, &x, hint, n);
		} else {
			continue;
		}
		stix_next(&x);
	}
	return err;
}

/* ---- objects ---- */

static int stix_sco(struct stix_state *st, unsigned line, json_t *o,
		    bool observed)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	json_t *v = json_object_get(o, "value"), *h;
	const char *k;
	char port[24];
	int n;

	if (!type)
		return 0;
	if (!strcmp(type, "domain-name") && json_is_string(v))
		return stix_emit(st, line, json_string_value(v),
				 json_string_length(v), PW_H_DOMAIN);
	if ((!strcmp(type, "ipv4-addr") || !strcmp(type, "ipv6-addr")) &&
	    json_is_string(v))
		return stix_emit(st, line, json_string_value(v),
				 json_string_length(v), PW_H_IP);
	if (!strcmp(type, "url") && json_is_string(v))
		return stix_emit(st, line, json_string_value(v),
				 json_string_length(v), PW_H_URL);
	if (!strcmp(type, "file")) {
		int err = 0, found = 0;

		json_object_foreach(json_object_get(o, "hashes"), k, h) {
			if (!json_is_string(h) || !stix_hash_name(k, strlen(k)))
				continue;
			found++;
			err = stix_emit(st, line, json_string_value(h),
					json_string_length(h), PW_H_HASH);
			if (err)
				return err;
		}
		if (!found && observed)
			pw_skip(st->h, line, "non-indicator-object", type,
				strlen(type));
		return 0;
	}
	if (!strcmp(type, "network-traffic")) {
		v = json_object_get(o, "dst_port");
		if (json_is_integer(v)) {
			n = snprintf(port, sizeof(port), "%lld",
				     (long long)json_integer_value(v));
			if (n > 0 && (size_t)n < sizeof(port))
				return stix_emit(st, line, port, (size_t)n,
						 PW_H_PORT);
		}
		return 0;
	}
	if (observed)
		pw_skip(st->h, line, "non-indicator-object", type,
			strlen(type));
	return 0;
}

/* MISP's STIX export: a link to the report, not an indicator */
static bool stix_reference(json_t *o)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(o, "labels"), i, l) {
		const char *s = json_string_value(l);

		if (s && (!strcmp(s, "misp:category=\"External analysis\"") ||
			  !strcmp(s, "misp:category=\"Internal reference\"")))
			return true;
	}
	return false;
}

static int stix_object(struct stix_state *st, json_t *o)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *pat, *pt, *k;
	unsigned line, n = 0;
	json_t *v;
	int err = 0;

	if (!type)
		return 0;
	line = id ? stix_line_of(st, "id", id) : st->jp.line;
	if (!strcmp(type, "indicator")) {
		pat = json_string_value(json_object_get(o, "pattern"));
		pt = json_string_value(json_object_get(o, "pattern_type"));
		if (json_is_true(json_object_get(o, "revoked"))) {
			pw_skip(st->h, line, "revoked", pat, pat ? strlen(pat) :
								   0);
			return 0;
		}
		if (pt && strcmp(pt, "stix")) {
			pw_skip(st->h, line, "non-stix-pattern", pt,
				strlen(pt));
			return 0;
		}
		if (!pat) {
			pw_skip(st->h, line, "no-pattern", id, id ? strlen(id) :
								    0);
			return 0;
		}
		err = stix_pattern(st, line, pat, &n);
		if (!err && !n)
			pw_skip(st->h, line, "no-indicator-pattern", pat,
				strlen(pat));
		return err;
	}
	if (!strcmp(type, "observed-data")) {
		if (stix_reference(o)) {
			json_object_foreach(json_object_get(o, "objects"), k,
					    v) {
				const char *val = json_string_value(
					json_object_get(v, "value"));

				pw_skip(st->h, line, "reference-link",
					val ? val : k, strlen(val ? val : k));
			}
			return 0;
		}
		json_object_foreach(json_object_get(o, "objects"), k, v) {
			err = stix_sco(st, line, v, true);
			if (err)
				return err;
		}
		return 0;
	}
	return stix_sco(st, line, o, false);
}

static int stix_parse(void *state, const char *buf, size_t len)
{
	struct stix_state *st = state;
	json_t *root = NULL, *objs, *o;
	json_error_t e;
	size_t i;
	int err = 0;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	pw_jsonpos_init(&st->jp, buf, len);
	if (len > STIX_MAX_BODY) {
		pw_log(st->h, LOG_ERR, "bundle of %zu bytes refused: more than "
		       "%lu", len, STIX_MAX_BODY);
		return -EFBIG;
	}
	/* a pattern literal is never longer than the document */
	st->scratch = malloc(len + 1);
	if (!st->scratch)
		return -ENOMEM;
	root = json_loadb(buf, len, 0, &e);
	if (!root) {
		pw_log(st->h, LOG_ERR, "not JSON: line %d, column %d: %s",
		       e.line, e.column, e.text);
		err = json_error_code(&e) == json_error_out_of_memory ?
		      -ENOMEM : -EINVAL;
		goto out;
	}
	objs = json_object_get(root, "objects");
	if (json_is_array(root)) {
		objs = root;
	} else if (!json_is_array(objs)) {
		if (!json_is_string(json_object_get(root, "type"))) {
			pw_log(st->h, LOG_ERR, "not STIX 2: neither a bundle "
			       "with \"objects\" nor an object with a "
			       "\"type\"");
			err = -EINVAL;
			goto out;
		}
		err = stix_object(st, root);
		goto out;
	}
	json_array_foreach(objs, i, o) {
		if (!json_is_object(o))
			continue;
		err = stix_object(st, o);
		if (err)
			break;
	}
out:
	json_decref(root);
	free(st->scratch);
	st->scratch = NULL;
	st->jp.buf = NULL;
	return err;
}

static int stix_create(struct pw_host *h, const void *conf, void **state)
{
	struct stix_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void stix_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "stix",
	.kind = PW_FEED,
	.summary = "STIX 2.0/2.1 bundles: indicator patterns and observed "
		   "domains, addresses, URLs, hashes, ports",
	.options = stix_options,
	.conf_size = 0,
	.create = stix_create,
	.destroy = stix_destroy,
	.parse = stix_parse,
};
