/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin.h services for feed plugin tests and fuzz targets; see
 * host-mock.h for the output format.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host-mock.h"

#ifdef PW_MOCK_NORMALIZE
#include "normalize.h"

#define MOCK_ARENA_RESET (16u << 20)

struct mock_norm {
	struct pw_arena *a;
	struct pw_norm_opts o;
	struct pw_ind out[PW_IND_MAX];
};
#endif

#define MOCK_SKIP_MAX 80	/* value bytes shown for a skip */

static const char *const mock_hints[] = {
	[PW_H_ANY] = "any",
	[PW_H_DOMAIN] = "domain",
	[PW_H_IP] = "ip",
	[PW_H_URL] = "url",
	[PW_H_PORT] = "port",
	[PW_H_WALLET] = "wallet",
	[PW_H_HASH] = "hash",
};

static const struct {
	unsigned bit;
	const char *name;
} mock_flags[] = {
	{ PW_T_EXACT, "exact" },
	{ PW_T_TREE, "tree" },
	{ PW_T_ALLOW, "allow" },
	{ PW_T_MONITOR, "monitor" },
	{ PW_T_PROSE, "prose" },
};

#define MOCK_FLAGS_ALL \
	(PW_T_EXACT | PW_T_TREE | PW_T_ALLOW | PW_T_MONITOR | PW_T_PROSE)

static void mock_breach(struct pw_host *h, unsigned line, const char *what)
{
	h->violations++;
	if (h->err)
		fprintf(h->err, "mock-error\t%u\t%s\n", line, what);
}

void pw_mock_print(FILE *f, const char *s, size_t len, size_t max)
{
	size_t i, n = len < max ? len : max;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (n < len)
		fputs("...", f);
}

int pw_mock_init(struct pw_host *h, bool quiet)
{
	memset(h, 0, sizeof(*h));
	h->subdomains = -1;
	h->quiet = quiet;
	h->out = quiet ? NULL : stdout;
	h->err = quiet ? NULL : stderr;
#ifdef PW_MOCK_NORMALIZE
	if (quiet) {
		struct mock_norm *m = calloc(1, sizeof(*m));

		if (!m)
			return -ENOMEM;
		m->a = pw_arena_new();
		if (!m->a) {
			free(m);
			return -ENOMEM;
		}
		pw_norm_opts_default(&m->o);
		h->norm = m;
	}
#endif
	return 0;
}

void pw_mock_cleanup(struct pw_host *h)
{
#ifdef PW_MOCK_NORMALIZE
	struct mock_norm *m = h->norm;

	if (m) {
		pw_arena_free(m->a);
		free(m);
	}
#endif
	h->norm = NULL;
}

#ifdef PW_MOCK_NORMALIZE
static void mock_normalize(struct pw_host *h, const struct pw_token *t)
{
	struct mock_norm *m = h->norm;
	char text[2048];
	int i, n;

	if (pw_arena_used(m->a) > MOCK_ARENA_RESET) {
		pw_arena_free(m->a);
		m->a = pw_arena_new();
		if (!m->a) {
			mock_breach(h, t->line, "arena allocation failed");
			return;
		}
	}
	n = pw_normalize(m->a, &m->o, t->tok, t->len, t->hint, t->flags,
			 m->out);
	if (n > PW_IND_MAX) {
		mock_breach(h, t->line, "pw_normalize overflowed its output");
		return;
	}
	for (i = 0; i < n; i++)
		pw_ind_format(&m->out[i], text, sizeof(text));
}
#endif

static void mock_print_token(struct pw_host *h, const struct pw_token *t)
{
	unsigned printed = 0;
	size_t i;

	fprintf(h->out, "%u\t%s\t", t->line, mock_hints[t->hint]);
	for (i = 0; i < sizeof(mock_flags) / sizeof(mock_flags[0]); i++) {
		if (!(t->flags & mock_flags[i].bit))
			continue;
		fprintf(h->out, "%s%s", printed++ ? "," : "",
			mock_flags[i].name);
	}
	if (!printed)
		fputc('-', h->out);
	fputc('\t', h->out);
	pw_mock_print(h->out, t->tok, t->len, t->len);
	if (t->source) {
		fputs("\tsource=", h->out);
		pw_mock_print(h->out, t->source, strlen(t->source), (size_t)-1);
	}
	if (t->incident) {
		fputs("\tincident=", h->out);
		pw_mock_print(h->out, t->incident, strlen(t->incident),
			      (size_t)-1);
	}
	if (t->expires)
		fprintf(h->out, "\texpires=%lld", (long long)t->expires);
	fputc('\n', h->out);
}

int pw_emit_token(struct pw_host *h, const struct pw_token *t)
{
	if (!t->tok || !t->len)
		mock_breach(h, t->line, "empty token");
	if (!t->line)
		mock_breach(h, t->line, "line 0");
	if (t->line < h->last_line)
		mock_breach(h, t->line, "line numbers went backwards");
	if ((unsigned)t->hint > PW_H_HASH) {
		mock_breach(h, t->line, "unknown hint");
		return -EINVAL;
	}
	if (t->flags & ~MOCK_FLAGS_ALL)
		mock_breach(h, t->line, "unknown token flag");
	if ((t->flags & PW_T_EXACT) && (t->flags & PW_T_TREE))
		mock_breach(h, t->line, "both exact and tree");
	if (t->line > h->last_line)
		h->last_line = t->line;
	if (h->max_tokens && h->n_tokens >= h->max_tokens)
		return -ENOSPC;
	h->n_tokens++;
	if (!t->tok)
		return 0;
	if (h->out)
		mock_print_token(h, t);
#ifdef PW_MOCK_NORMALIZE
	if (h->norm)
		mock_normalize(h, t);
#endif
	return 0;
}

int pw_emit(struct pw_host *h, unsigned line, const char *tok, size_t len,
	    enum pw_hint hint)
{
	struct pw_token t = {
		.line = line,
		.tok = tok,
		.len = len,
		.hint = hint,
	};

	return pw_emit_token(h, &t);
}

static bool mock_is_slug(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	}
	return true;
}

void pw_skip(struct pw_host *h, unsigned line, const char *reason,
	     const char *val, size_t len)
{
	if (!line)
		mock_breach(h, line, "skip on line 0");
	if (line < h->last_line)
		mock_breach(h, line, "line numbers went backwards");
	if (!mock_is_slug(reason))
		mock_breach(h, line, "skip reason is not a slug");
	if (!val && len)
		mock_breach(h, line, "skip value NULL with a length");
	if (line > h->last_line)
		h->last_line = line;
	h->n_skips++;
	if (!h->err)
		return;
	fprintf(h->err, "%u\tskip\t%s\t\"", line, reason ? reason : "(null)");
	if (val)
		pw_mock_print(h->err, val, len, MOCK_SKIP_MAX);
	fputs("\"\n", h->err);
}

int pw_host_subdomains(const struct pw_host *h, int plugin_default)
{
	if (h->subdomains < 0)
		return plugin_default;
	return h->subdomains;
}

void pw_log(struct pw_host *h, int prio, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	h->n_logs++;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (!h->err)
		return;
	fprintf(h->err, "log\t%d\t", prio);
	pw_mock_print(h->err, msg, (size_t)n, (size_t)n);
	fputc('\n', h->err);
}

static int mock_check_plugin(struct pw_host *h, const struct pw_plugin *p)
{
	const struct pw_option *o;

	if (p->abi != PW_PLUGIN_ABI)
		mock_breach(h, 0, "descriptor: abi");
	if (p->size != sizeof(struct pw_plugin))
		mock_breach(h, 0, "descriptor: size");
	if (!p->name || !*p->name)
		mock_breach(h, 0, "descriptor: name");
	if (p->kind != PW_FEED)
		mock_breach(h, 0, "descriptor: kind is not PW_FEED");
	if (!p->summary || !*p->summary || strchr(p->summary, '\n'))
		mock_breach(h, 0, "descriptor: summary is not one line");
	if (!p->options) {
		mock_breach(h, 0, "descriptor: no option table");
	} else {
		for (o = p->options; o->name; o++) {
			if (o->offset >= p->conf_size)
				mock_breach(h, 0, "descriptor: option offset");
		}
	}
	if (!p->create || !p->destroy || !p->parse)
		mock_breach(h, 0, "descriptor: create/destroy/parse");
	if (p->render || p->apply)
		mock_breach(h, 0, "descriptor: a feed with render/apply");
	return h->violations ? -EINVAL : 0;
}

int pw_mock_run(struct pw_host *h, const struct pw_plugin *p,
		const char *buf, size_t len)
{
	void *conf = NULL, *state = NULL;
	char *copy = NULL;
	int err;

	err = mock_check_plugin(h, p);
	if (err)
		goto out;
	if (p->conf_size) {
		conf = calloc(1, p->conf_size);
		if (!conf) {
			err = -ENOMEM;
			goto out;
		}
	}
	/* exactly len bytes: reading buf[len] is caught by ASan */
	copy = malloc(len ? len : 1);
	if (!copy) {
		err = -ENOMEM;
		goto out;
	}
	if (len)
		memcpy(copy, buf, len);
	err = p->create(h, conf, &state);
	if (err)
		goto out;
	err = p->parse(state, copy, len);
out:
	free(copy);
	if (p->destroy) {
		p->destroy(state);
		p->destroy(NULL);
	}
	free(conf);
	return err;
}
