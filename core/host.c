/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "log.h"

struct pw_host {
	struct pw_host_conf c;
	struct pw_norm_opts o;
	struct pw_set *set;
	struct pw_diag *diag;
	int src;			/* index of c.source in set */
	char prefix[160];
	struct pw_feed_stats st;
	/* the last provenance name carried by data, and its index */
	char last_src[64];
	int last_src_idx;
	/* the last incident carried by data, copied into the set's arena */
	char last_inc[64];
	const char *last_inc_copy;
	struct pw_ind out[PW_IND_MAX];
	/* outputs: the emergency part (pw_host_split) */
	char part_suffix[16];
	char part_path[4096];
	enum pw_part part;
};

struct pw_host *pw_host_new(const struct pw_host_conf *c,
			    const struct pw_norm_opts *o, struct pw_set *set,
			    struct pw_diag *diag)
{
	struct pw_host *h = calloc(1, sizeof(*h));
	int n;

	if (!h)
		return NULL;
	h->c = *c;
	if (o)
		h->o = *o;
	else
		pw_norm_opts_default(&h->o);
	h->set = set;
	h->diag = diag;
	h->src = -1;
	h->last_src_idx = -1;
	if (!h->c.now)
		h->c.now = pw_run_time();
	if (!h->c.max_tokens)
		h->c.max_tokens = PW_HOST_MAX_TOKENS;
	if (c->allowlist)
		h->o.allow_entry = true;
	if (set && c->source) {
		h->src = pw_set_source(set, c->source);
		if (h->src < 0) {
			free(h);
			return NULL;
		}
	}
	n = snprintf(h->prefix, sizeof(h->prefix), "%s %s[%s]: ",
		     c->kind ? c->kind : "plugin",
		     c->plugin ? c->plugin : "?",
		     c->source ? c->source : "-");
	if (n < 0 || (size_t)n >= sizeof(h->prefix))
		memcpy(h->prefix + sizeof(h->prefix) - 6, "...: ", 6);
	return h;
}

void pw_host_free(struct pw_host *h)
{
	free(h);
}

const char *pw_host_target(const struct pw_host *h)
{
	return h->c.target;
}

uint64_t pw_host_generation(const struct pw_host *h)
{
	return h->c.generation;
}

int64_t pw_host_now(const struct pw_host *h)
{
	return h->c.now;
}

enum pw_apply_op pw_host_apply_op(const struct pw_host *h)
{
	return h->c.apply_op;
}

int pw_host_split(struct pw_host *h, const char *suffix)
{
	size_t n = suffix ? strlen(suffix) : 0;

	/* a plain suffix: ".emerg", not a path */
	if (!n || n >= sizeof(h->part_suffix) || strchr(suffix, '/'))
		return -EINVAL;
	memcpy(h->part_suffix, suffix, n + 1);
	return 0;
}

enum pw_part pw_host_part(const struct pw_host *h)
{
	return h->part;
}

const char *pw_host_part_path(const struct pw_host *h)
{
	return h->part_path[0] ? h->part_path : NULL;
}

const char *pw_host_part_suffix(const struct pw_host *h)
{
	return h->part_suffix[0] ? h->part_suffix : NULL;
}

int pw_host_set_part(struct pw_host *h, enum pw_part part, const char *path)
{
	size_t n = path ? strlen(path) : 0;

	if (n >= sizeof(h->part_path))
		return -ENAMETOOLONG;
	h->part = part;
	if (path)
		memcpy(h->part_path, path, n + 1);
	else
		h->part_path[0] = '\0';
	return 0;
}

/* SOURCE_DATE_EPOCH (reproducible builds) when set, else the clock. */
int64_t pw_run_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (e && *e) {
		errno = 0;
		v = strtoll(e, &end, 10);
		if (!errno && !*end && v >= 0)
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

const struct pw_feed_stats *pw_host_stats(const struct pw_host *h)
{
	return &h->st;
}

const char *pw_host_prefix(const struct pw_host *h)
{
	return h->prefix;
}

int pw_host_subdomains(const struct pw_host *h, int plugin_default)
{
	if (h->c.subdomains < 0)
		return plugin_default;
	return h->c.subdomains;
}

void pw_log(struct pw_host *h, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pw_vmsg(prio, h ? h->prefix : NULL, fmt, ap);
	va_end(ap);
}

void pw_skip(struct pw_host *h, unsigned line, const char *reason,
	     const char *val, size_t len)
{
	h->st.skipped++;
	if (h->diag)
		pw_diag_add(h->diag, h->c.source, line, PW_DN_SKIPPED,
			    reason ? reason : "skipped", val, len);
}

/*
 * Provenance carried by the data (an `ioc` file's sources= and incident=)
 * ends up in other outputs' comments and attributes: keep only a safe
 * alphabet and a short length.  Returns the length of the clean copy.
 */
static size_t host_clean(char *clean, size_t cap, const char *name)
{
	size_t i;

	for (i = 0; name[i] && i < cap - 1; i++) {
		char ch = name[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || (ch && strchr("._-+:@/,", ch)))
			clean[i] = ch;
		else
			clean[i] = '_';
	}
	clean[i] = '\0';
	return i;
}

/* the incident ID a token names, cleaned and kept once; -ENOMEM */
static int host_data_incident(struct pw_host *h, const char *inc,
			      const char **out)
{
	char clean[sizeof(h->last_inc)];
	size_t n = host_clean(clean, sizeof(clean), inc);
	const char *copy;

	*out = h->c.incident;
	if (!n)
		return 0;
	if (!h->last_inc_copy || strcmp(clean, h->last_inc) != 0) {
		copy = pw_arena_strndup(pw_set_arena(h->set), clean, n);
		if (!copy)
			return -ENOMEM;
		h->last_inc_copy = copy;
		memcpy(h->last_inc, clean, n + 1);
	}
	*out = h->last_inc_copy;
	return 0;
}

static int host_data_source(struct pw_host *h, const char *name)
{
	char clean[sizeof(h->last_src)];
	size_t i = host_clean(clean, sizeof(clean), name);

	if (!i)
		return h->src;
	if (h->last_src_idx >= 0 && strcmp(clean, h->last_src) == 0)
		return h->last_src_idx;
	h->last_src_idx = pw_set_source(h->set, clean);
	memcpy(h->last_src, clean, i + 1);
	return h->last_src_idx;
}

static void host_note(struct pw_host *h, unsigned line,
		      const struct pw_ind *in, const char *tok, size_t len)
{
	if (!h->diag)
		return;
	if (in->note & PW_N_HOSTBITS)
		pw_diag_add(h->diag, h->c.source, line, PW_DN_HOSTBITS, NULL,
			    tok, len);
	if (in->note & PW_N_MAPPED)
		pw_diag_add(h->diag, h->c.source, line, PW_DN_MAPPED, NULL,
			    tok, len);
}

int pw_emit_token(struct pw_host *h, const struct pw_token *t)
{
	unsigned flags = t->flags;
	const char *incident;
	int n, i, src, err = 0;

	if (!h->set)
		return -EINVAL;
	if (h->st.tokens >= h->c.max_tokens) {
		if (h->st.tokens++ == h->c.max_tokens && h->diag)
			pw_diag_add(h->diag, h->c.source, t->line, PW_R_CAP,
				    NULL, t->tok, t->len);
		h->st.rejected++;
		return -ENOSPC;
	}
	h->st.tokens++;
	flags |= h->c.token_flags;
	if (h->c.monitor)
		flags |= PW_T_MONITOR;
	n = pw_normalize(pw_set_arena(h->set), &h->o, t->tok, t->len,
			 t->hint, flags, h->out);
	if (n == -PW_R_NOMEM)
		return -ENOMEM;
	if (n < 0) {
		h->st.rejected++;
		if (h->diag)
			pw_diag_add(h->diag, h->c.source, t->line, n, NULL,
				    t->tok, t->len);
		return 0;
	}
	h->st.accepted++;
	src = t->source && *t->source ? host_data_source(h, t->source)
				      : h->src;
	if (src < 0)
		return -ENOMEM;
	incident = h->c.incident;
	if (t->incident && *t->incident &&
	    host_data_incident(h, t->incident, &incident) < 0)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct pw_ind *in = &h->out[i];

		host_note(h, t->line, in, t->tok, t->len);
		if (flags & PW_T_MONITOR)
			in->monitor = 1;
		if (flags & PW_T_EMERGENCY)
			in->emergency = 1;
		if (h->c.allowlist || (flags & PW_T_ALLOW))
			err = pw_set_allow(h->set, in);
		else
			err = pw_set_add(h->set, in, (unsigned)src, t->line,
					 incident,
					 t->expires ? t->expires : h->c.expires);
		if (err)
			return err;
		h->st.indicators++;
	}
	return 0;
}

int pw_emit(struct pw_host *h, unsigned line, const char *tok, size_t len,
	    enum pw_hint hint)
{
	struct pw_token t = {
		.line = line, .tok = tok, .len = len, .hint = hint,
	};

	return pw_emit_token(h, &t);
}

int pw_allow_parse(struct pw_host *h, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int err = 0;

	while (p < end && !err) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = eol ? eol : end;
		struct pw_token t = { .hint = PW_H_ANY, .flags = PW_T_EXACT };

		p = eol ? eol + 1 : end;
		line++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s == e || *s == '#' || *s == '\r')
			continue;
		t.tok = s;
		while (s < e && *s != ' ' && *s != '\t' && *s != '#' &&
		       *s != '\r')
			s++;
		t.len = (size_t)(s - t.tok);
		t.line = line;
		if (t.tok[0] == '.' && t.len > 1) {
			/* Squid style: the name and all below it */
			t.tok++;
			t.len--;
			t.flags = PW_T_TREE;
		}
		err = pw_emit_token(h, &t);
	}
	return err;
}
