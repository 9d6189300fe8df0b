/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * csv: IoC tables, one indicator a row.
 *
 * Which column holds the value, and which (if any) says what kind of
 * indicator it is, comes from the options or is found from the header
 * (`IoC,Type`, `type,value`, `indicator,type,...`, `Indicator_type,Data`)
 * or, without a header, from a first row such as `SHA256,<hash>`.  The
 * type cell gives the token its hint (domain, ip, url, hash, wallet,
 * port); rows of other types (file names, paths, SSH keys) are skipped
 * with a reason.  Quoted fields (RFC 4180, also over several lines),
 * byte-order marks and no-break spaces around values, CRLF, and a row
 * separated by a TAB where the rest uses commas are handled.  Values are
 * handed over as they are: the core refangs and validates them.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#define CSV_MAX_FIELDS	256	/* columns read per row */
#define CSV_MAX_NAME	64	/* bytes of a column name compared */

struct csv_conf {
	const char *delimiter;
	const char *header;
	const char *column;
	const char *type_column;
	const char *comment_column;
};

enum csv_how { CSV_AUTO = 0, CSV_NONE, CSV_NUM, CSV_NAME };

struct csv_colspec {
	enum csv_how how;
	unsigned long num;	/* 1-based */
	const char *name;
};

struct csv_field {
	size_t off, len;	/* in the scratch buffer */
};

struct csv_state {
	struct pw_host *h;
	char delim;
	int header;		/* 1 yes, 0 no, -1 auto */
	struct csv_colspec val, type, comment;
	/* per parse */
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT */
	bool started;		/* the first row was looked at */
	int vcol, tcol, ccol;	/* 0-based, -1 none */
	char *scratch;		/* unquoted field text of one row */
	struct csv_field f[CSV_MAX_FIELDS];
	size_t nf;
};

static const struct pw_option csv_options[] = {
	{ "delimiter", ",", PW_OPT_STR, offsetof(struct csv_conf, delimiter),
	  "field separator: one character, or tab, space, semicolon, pipe" },
	{ "header", "auto", PW_OPT_STR, offsetof(struct csv_conf, header),
	  "is the first row column names: yes, no or auto" },
	{ "column", "auto", PW_OPT_STR, offsetof(struct csv_conf, column),
	  "the value column: 1-based number or header name (auto: value, "
	  "ioc, indicator, data, ... else 1)" },
	{ "type_column", "auto", PW_OPT_STR,
	  offsetof(struct csv_conf, type_column),
	  "the column naming each row's kind: number, header name, auto or "
	  "none" },
	{ "comment_column", "none", PW_OPT_STR,
	  offsetof(struct csv_conf, comment_column),
	  "a column of free text that is never read: number, name or none" },
	{ .name = NULL }
};

#define CSV_N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- text helpers ---- */

/* bytes of blank at s (ASCII blanks, NBSP, BOM, zero-width and direction
   marks), or 0 */
static size_t csv_blank(const unsigned char *s, size_t n)
{
	if (!n)
		return 0;
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' ||
	    *s == '\v' || *s == '\f')
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	/* U+200B..U+200F, U+202F, U+3000 */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x8b && s[2] <= 0x8f) || s[2] == 0xaf))
		return 3;
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* the same, ending at s+n */
static size_t csv_blank_end(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (csv_blank(s + n - k, k) == k)
			return k;
	return 0;
}

static void csv_trim(const char **s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = *len, k;

	while ((k = csv_blank(p, n))) {
		p += k;
		n -= k;
	}
	while ((k = csv_blank_end(p, n)))
		n -= k;
	*s = (const char *)p;
	*len = n;
}

static const char *csv_cell(const struct csv_state *st, size_t i, size_t *len)
{
	const char *s = st->scratch + st->f[i].off;

	*len = st->f[i].len;
	csv_trim(&s, len);
	return s;
}

/* lower case, `_` `-` and runs of blanks become one space */
static size_t csv_fold(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0, i;
	bool sp = false;

	for (i = 0; i < len && n + 1 < cap; i++) {
		char c = s[i];

		if (c == '_' || c == '-' || c == ' ' || c == '\t') {
			sp = n > 0;
			continue;
		}
		if ((unsigned char)c >= 0x80)
			continue;	/* BOMs and dashes inside names */
		if (sp && n + 2 < cap)
			out[n++] = ' ';
		sp = false;
		out[n++] = c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
	}
	out[n] = '\0';
	return n;
}

static bool csv_in(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* ---- what a type cell means ---- */

static const char *const csv_t_domain[] = {
	"domain", "domains", "hostname", "host", "dns", "fqdn", "domain name",
};
static const char *const csv_t_ip[] = {
	"ip", "ipv4", "ipv6", "ip dst", "ip address", "ipaddress",
	"ipv4 address", "ipv6 address", "ipv4 addr", "ipv6 addr", "ip addr",
};
static const char *const csv_t_url[] = {
	"url", "uri", "urls", "ip port", "domain port", "host port",
	"hostname port", "socket",
};
static const char *const csv_t_hash[] = {
	"md5", "sha1", "sha256", "sha 1", "sha 256", "md5sum", "sha1sum",
	"sha256sum", "file hash", "filehash",
};
static const char *const csv_t_port[] = {
	"port", "dst port", "destination port",
};
/* `X address` that is not a coin */
static const char *const csv_t_not_coin[] = {
	"ip", "ipv4", "ipv6", "email", "e mail", "mail", "mac", "physical",
	"street", "postal", "web",
};

/* 1 and *hint for an indicator type, 0 for another type */
static int csv_type_hint(const char *s, size_t len, enum pw_hint *hint)
{
	char t[CSV_MAX_NAME], first[CSV_MAX_NAME];
	size_t n = csv_fold(s, len, t, sizeof(t)), k;

	if (csv_in(t, csv_t_domain, CSV_N(csv_t_domain)))
		*hint = PW_H_DOMAIN;
	else if (csv_in(t, csv_t_ip, CSV_N(csv_t_ip)))
		*hint = PW_H_IP;
	else if (csv_in(t, csv_t_url, CSV_N(csv_t_url)))
		*hint = PW_H_URL;
	else if (csv_in(t, csv_t_hash, CSV_N(csv_t_hash)) ||
		 !strncmp(t, "hash", 4))
		*hint = PW_H_HASH;
	else if (csv_in(t, csv_t_port, CSV_N(csv_t_port)))
		*hint = PW_H_PORT;
	else if (strstr(t, "wallet") || !strcmp(t, "btc") ||
		 !strcmp(t, "xmr") || !strcmp(t, "eth"))
		*hint = PW_H_WALLET;
	else if (n > 8 && !strcmp(t + n - 8, " address")) {
		k = strcspn(t, " ");
		memcpy(first, t, k);
		first[k] = '\0';
		if (csv_in(first, csv_t_not_coin, CSV_N(csv_t_not_coin)))
			return 0;
		*hint = PW_H_WALLET;
	} else
		return 0;
	return 1;
}

/* ---- options ---- */

static int csv_colspec(struct pw_host *h, const char *key, const char *v,
		       const char *def, bool auto_ok, struct csv_colspec *c)
{
	char *end;

	if (!v || !*v)
		v = def;
	if (!strcasecmp(v, "auto") && auto_ok) {
		c->how = CSV_AUTO;
	} else if (!strcasecmp(v, "none") && strcmp(key, "column")) {
		c->how = CSV_NONE;
	} else if (*v >= '0' && *v <= '9') {
		c->num = strtoul(v, &end, 10);
		if (*end || !c->num || c->num > CSV_MAX_FIELDS) {
			pw_log(h, LOG_ERR, "%s '%.32s': expected a column "
			       "number from 1 to %d, a header name%s", key, v,
			       CSV_MAX_FIELDS, auto_ok ? " or auto" : "");
			return -EINVAL;
		}
		c->how = CSV_NUM;
	} else {
		c->how = CSV_NAME;
		c->name = v;
	}
	return 0;
}

static int csv_create(struct pw_host *h, const void *conf, void **state)
{
	static const struct csv_conf none = { NULL };
	const struct csv_conf *c = conf ? conf : &none;
	const char *d = c->delimiter && *c->delimiter ? c->delimiter : ",";
	const char *hd = c->header && *c->header ? c->header : "auto";
	struct csv_state *st;
	int err = 0;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	if (!strcasecmp(d, "tab") || !strcmp(d, "\\t"))
		st->delim = '\t';
	else if (!strcasecmp(d, "space"))
		st->delim = ' ';
	else if (!strcasecmp(d, "semicolon"))
		st->delim = ';';
	else if (!strcasecmp(d, "pipe"))
		st->delim = '|';
	else if (!strcasecmp(d, "comma"))
		st->delim = ',';
	else if (strlen(d) == 1 && d[0] != '"' && d[0] != '\n' &&
		 d[0] != '\r')
		st->delim = d[0];
	else {
		pw_log(h, LOG_ERR, "delimiter '%.32s': expected one character, "
		       "tab, space, semicolon or pipe", d);
		err = -EINVAL;
		goto out;
	}
	if (!strcasecmp(hd, "auto"))
		st->header = -1;
	else if (!strcasecmp(hd, "yes") || !strcasecmp(hd, "true") ||
		 !strcmp(hd, "1"))
		st->header = 1;
	else if (!strcasecmp(hd, "no") || !strcasecmp(hd, "false") ||
		 !strcmp(hd, "0"))
		st->header = 0;
	else {
		pw_log(h, LOG_ERR, "header '%.32s': expected yes, no or auto",
		       hd);
		err = -EINVAL;
		goto out;
	}
	err = csv_colspec(h, "column", c->column, "auto", true, &st->val);
	if (!err)
		err = csv_colspec(h, "type_column", c->type_column, "auto",
				  true, &st->type);
	if (!err)
		err = csv_colspec(h, "comment_column", c->comment_column,
				  "none", false, &st->comment);
	if (!err && st->header == 0 &&
	    (st->val.how == CSV_NAME || st->type.how == CSV_NAME ||
	     st->comment.how == CSV_NAME)) {
		pw_log(h, LOG_ERR, "a column given by name needs header=yes "
		       "or auto");
		err = -EINVAL;
	}
out:
	if (err) {
		free(st);
		return err;
	}
	*state = st;
	return 0;
}

/* ---- rows ---- */

/*
 * Read one record at *pp into st->f / st->scratch.  A quoted field may
 * hold delimiters, doubled quotes and newlines (*lines counts the extra
 * ones).  With `plain`, quotes are ordinary characters: the reading
 * again of a record whose quote never closes.  Returns false for an
 * unclosed quote.
 */
static bool csv_record(struct csv_state *st, const char **pp,
		       const char *end, bool plain, unsigned *lines)
{
	const char *p = *pp, *q;
	size_t n = 0;
	char *out = st->scratch;

	st->nf = 0;
	*lines = 0;
	for (;;) {
		size_t start = n;

		q = p;
		while (q < end && (*q == ' ' || *q == '\t') && *q != st->delim)
			q++;
		if (!plain && q < end && *q == '"') {
			p = q + 1;
			for (;;) {
				if (p == end)
					return false;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						out[n++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					(*lines)++;
				out[n++] = *p++;
			}
		}
		while (p < end && *p != st->delim && *p != '\n')
			out[n++] = *p++;
		if (st->nf < CSV_MAX_FIELDS) {
			st->f[st->nf].off = start;
			st->f[st->nf].len = n - start;
			st->nf++;
		}
		if (p < end && *p == st->delim) {
			p++;
			continue;
		}
		if (p < end)
			p++;
		break;
	}
	*pp = p;
	return true;
}

/* one field holding TABs where the delimiter is not one: split there */
static void csv_tab_split(struct csv_state *st)
{
	size_t off = st->f[0].off, len = st->f[0].len, i, start = off;

	if (st->delim == '\t' || st->nf != 1 ||
	    !memchr(st->scratch + off, '\t', len))
		return;
	st->nf = 0;
	for (i = off; i <= off + len && st->nf < CSV_MAX_FIELDS; i++) {
		if (i < off + len && st->scratch[i] != '\t')
			continue;
		st->f[st->nf].off = start;
		st->f[st->nf].len = i - start;
		st->nf++;
		start = i + 1;
	}
}

/* a header cell: a short name, no dots, colons, slashes or long runs */
static bool csv_name_like(const char *s, size_t len)
{
	size_t i, run = 0;
	bool letter = false;

	if (len > CSV_MAX_NAME)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' || c == ':' || c == '/' || c == '\\' || c == '@' ||
		    c == '[' || c == '=')
			return false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = true;
		run = c == ' ' ? 0 : run + 1;
		if (run > 24)
			return false;
	}
	return letter;
}

static bool csv_looks_header(const struct csv_state *st)
{
	const char *s;
	size_t i, len, cells = 0;

	for (i = 0; i < st->nf; i++) {
		s = csv_cell(st, i, &len);
		if (!len)
			continue;
		cells++;
		if (!csv_name_like(s, len))
			return false;
	}
	return cells > 0;
}

static int csv_find(const struct csv_state *st, const char *const *names,
		    size_t n, int not1, int not2)
{
	char t[CSV_MAX_NAME];
	const char *s;
	size_t i, len;

	for (i = 0; i < st->nf; i++) {
		if ((int)i == not1 || (int)i == not2)
			continue;
		s = csv_cell(st, i, &len);
		csv_fold(s, len, t, sizeof(t));
		if (csv_in(t, names, n))
			return (int)i;
	}
	return -1;
}

static int csv_named(struct csv_state *st, const char *key, const char *name)
{
	char want[CSV_MAX_NAME];
	const char *list[1] = { want };
	int col;

	csv_fold(name, strlen(name), want, sizeof(want));
	col = csv_find(st, list, 1, -1, -1);
	if (col < 0)
		pw_log(st->h, LOG_ERR, "%s '%.32s': no such column in the "
		       "header", key, name);
	return col;
}

/*
 * Decide the columns from the first row: a header (its names) or the
 * first data row (a known type word in front of a value).  Returns 1 when
 * the row was a header, 0 when it is data, -EINVAL on a bad option.
 */
static int csv_columns(struct csv_state *st)
{
	static const char *const vnames[] = {
		"value", "ioc", "indicator", "data", "observable", "ioc value",
		"indicator value", "host", "hostname", "domain", "ip", "url",
		"hash", "sha256",
	};
	static const char *const tnames[] = {
		"type", "indicator type", "ioc type", "kind", "value type",
	};
	enum pw_hint hint;
	const char *s;
	size_t len;
	int header = st->header;

	if (header < 0)
		header = csv_looks_header(st);
	st->vcol = st->tcol = st->ccol = -1;
	if (st->comment.how == CSV_NUM)
		st->ccol = (int)st->comment.num - 1;
	else if (st->comment.how == CSV_NAME) {
		if (!header)
			goto noheader;
		st->ccol = csv_named(st, "comment_column", st->comment.name);
		if (st->ccol < 0)
			return -EINVAL;
	}
	if (st->type.how == CSV_NUM)
		st->tcol = (int)st->type.num - 1;
	else if (st->type.how == CSV_NAME) {
		if (!header)
			goto noheader;
		st->tcol = csv_named(st, "type_column", st->type.name);
		if (st->tcol < 0)
			return -EINVAL;
	}
	if (st->val.how == CSV_NUM)
		st->vcol = (int)st->val.num - 1;
	else if (st->val.how == CSV_NAME) {
		if (!header)
			goto noheader;
		st->vcol = csv_named(st, "column", st->val.name);
		if (st->vcol < 0)
			return -EINVAL;
	}
	if (header) {
		if (st->type.how == CSV_AUTO)
			st->tcol = csv_find(st, tnames, CSV_N(tnames),
					    st->vcol, st->ccol);
		if (st->vcol < 0)
			st->vcol = csv_find(st, vnames, CSV_N(vnames),
					    st->tcol, st->ccol);
	} else if (st->vcol < 0 && st->type.how == CSV_AUTO &&
		   st->nf >= 2 && st->ccol != 0 && st->ccol != 1) {
		/* SHA256,<hash> without a header */
		s = csv_cell(st, 0, &len);
		if (csv_type_hint(s, len, &hint)) {
			st->tcol = 0;
			st->vcol = 1;
		}
	}
	if (st->vcol < 0)
		st->vcol = st->tcol == 0 || st->ccol == 0 ? 1 : 0;
	if (st->vcol == st->tcol || st->vcol == st->ccol) {
		pw_log(st->h, LOG_ERR, "the value column %d is also the type "
		       "or the comment column", st->vcol + 1);
		return -EINVAL;
	}
	return header;
noheader:
	pw_log(st->h, LOG_ERR, "columns are named but the first row is not "
	       "a header (set header=yes, or give column numbers)");
	return -EINVAL;
}

static int csv_row(struct csv_state *st, unsigned line)
{
	enum pw_hint hint = PW_H_ANY;
	const char *v, *t;
	size_t vlen, tlen, i;
	int err;

	for (i = 0; i < st->nf; i++) {
		csv_cell(st, i, &vlen);
		if (vlen)
			break;
	}
	if (i == st->nf)
		return 0;	/* a blank row */
	if (!st->started) {
		st->started = true;
		err = csv_columns(st);
		if (err)
			return err < 0 ? err : 0;
	}
	if ((size_t)st->vcol >= st->nf) {
		v = st->scratch + st->f[0].off;
		pw_skip(st->h, line, "missing-column", v, st->f[0].len);
		return 0;
	}
	v = csv_cell(st, (size_t)st->vcol, &vlen);
	if (st->tcol >= 0 && (size_t)st->tcol < st->nf) {
		t = csv_cell(st, (size_t)st->tcol, &tlen);
		if (tlen && !csv_type_hint(t, tlen, &hint)) {
			pw_skip(st->h, line, "non-indicator-type", t, tlen);
			return 0;
		}
	}
	if (!vlen) {
		pw_skip(st->h, line, "empty-value", NULL, 0);
		return 0;
	}
	/* an `ip` or `domain` row holding host:port (IPv6 has more colons) */
	if (hint == PW_H_IP || hint == PW_H_DOMAIN) {
		const char *colon = memchr(v, ':', vlen);

		if (colon && !memchr(colon + 1, ':',
				     vlen - (size_t)(colon + 1 - v)))
			hint = PW_H_URL;
	}
	return pw_emit_token(st->h, &(struct pw_token){
		.line = line,
		.tok = v,
		.len = vlen,
		.hint = hint,
		.flags = hint == PW_H_DOMAIN || hint == PW_H_ANY ?
			 st->flags : 0,
	});
}

static int csv_parse(void *state, const char *buf, size_t len)
{
	struct csv_state *st = state;
	const char *p = buf, *end = buf + len, *rec, *eol;
	unsigned line = 1, extra;
	int err = 0;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	st->started = false;
	free(st->scratch);
	st->scratch = malloc(len + 1);
	if (!st->scratch)
		return -ENOMEM;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		rec = p;
		eol = memchr(rec, '\n', (size_t)(end - rec));
		if (memchr(rec, '\0', (size_t)((eol ? eol : end) - rec))) {
			pw_skip(st->h, line, "nul-byte", rec,
				(size_t)((eol ? eol : end) - rec));
			p = eol ? eol + 1 : end;
			line++;
			continue;
		}
		if (!csv_record(st, &p, end, false, &extra)) {
			/* a quote that never closes is a character */
			p = rec;
			csv_record(st, &p, end, true, &extra);
		}
		csv_tab_split(st);
		err = csv_row(st, line);
		if (err)
			goto out;
		line += 1 + extra;
	}
out:
	free(st->scratch);
	st->scratch = NULL;
	return err;
}

static void csv_destroy(void *state)
{
	struct csv_state *st = state;

	if (st)
		free(st->scratch);
	free(st);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "csv",
	.kind = PW_FEED,
	.summary = "CSV IoC tables: a value column and an optional type column",
	.options = csv_options,
	.conf_size = sizeof(struct csv_conf),
	.create = csv_create,
	.destroy = csv_destroy,
	.parse = csv_parse,
};
