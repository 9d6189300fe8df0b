/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "loader.h"

struct pw_module {
	void *dl;			/* NULL for a static descriptor */
	const struct pw_plugin *p;
	char *path;
};

#define MAX_STRS 32

struct pw_conf {
	const struct pw_plugin *p;
	unsigned char *data;		/* conf_size bytes */
	unsigned char *set;		/* one flag per option */
	size_t n_opts;
	char *strs[MAX_STRS];		/* owned copies of string values */
	size_t n_strs;
};

static const char *const kind_prefix[] = {
	[PW_FEED] = "feed_", [PW_OUTPUT] = "output_",
};

const char *pw_plugin_dir(const char *override)
{
	const char *env;

	if (override && *override)
		return override;
	env = getenv("POOLWALL_PLUGIN_DIR");
	if (env && *env)
		return env;
	return PW_PLUGINDIR;
}

int pw_plugin_check(const struct pw_plugin *p, const char *where,
		    char *err, size_t errlen)
{
	const struct pw_option *o;

	if (p->abi != PW_PLUGIN_ABI) {
		snprintf(err, errlen, "%s: plugin ABI %" PRIu32
			 ", this poolwall needs ABI %d", where, p->abi,
			 PW_PLUGIN_ABI);
		return -EINVAL;
	}
	if (p->size < sizeof(struct pw_plugin)) {
		snprintf(err, errlen, "%s: descriptor is %" PRIu32
			 " bytes, expected at least %zu", where, p->size,
			 sizeof(struct pw_plugin));
		return -EINVAL;
	}
	if (!p->name || !p->create ||
	    (p->kind == PW_FEED && !p->parse) ||
	    (p->kind == PW_OUTPUT && !p->render) ||
	    (p->kind != PW_FEED && p->kind != PW_OUTPUT)) {
		snprintf(err, errlen, "%s: incomplete descriptor", where);
		return -EINVAL;
	}
	for (o = p->options; o && o->name; o++) {
		size_t sz = o->type == PW_OPT_BOOL ? sizeof(int) :
			    o->type == PW_OPT_UINT ? sizeof(unsigned long) :
			    o->type == PW_OPT_DUR ? sizeof(int64_t) :
						    sizeof(char *);

		if (o->offset > p->conf_size || p->conf_size - o->offset < sz) {
			snprintf(err, errlen,
				 "%s: option '%s' lies outside the "
				 "configuration", where, o->name);
			return -EINVAL;
		}
	}
	return 0;
}

static struct pw_module *module_new(void *dl, const struct pw_plugin *p,
				    const char *path)
{
	struct pw_module *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->path = strdup(path);
	if (!m->path) {
		free(m);
		return NULL;
	}
	m->dl = dl;
	m->p = p;
	return m;
}

struct pw_module *pw_module_load(const char *dir, enum pw_kind kind,
				 const char *name, char *err, size_t errlen)
{
	const struct pw_plugin *p;
	struct pw_module *m;
	char path[PATH_MAX];
	const char *c;
	void *dl;
	int n;

	errno = EINVAL;		/* for the name and path checks */
	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '-')) {
			snprintf(err, errlen, "bad plugin name '%.64s'", name);
			return NULL;
		}
	if (!*name) {
		snprintf(err, errlen, "empty plugin name");
		return NULL;
	}
	n = snprintf(path, sizeof(path), "%s/%s%s.so", dir, kind_prefix[kind],
		     name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		snprintf(err, errlen, "plugin path too long");
		return NULL;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		/*
		 * A plugin that is there but does not load (a broken file,
		 * a missing library, no memory) is an error of the run, not
		 * of the command line: errno tells the caller which.
		 */
		bool there = access(path, F_OK) == 0;

		snprintf(err, errlen, "%s %s plugin '%s' (%s)",
			 there ? "cannot load" : "no",
			 kind == PW_FEED ? "feed" : "output", name, dlerror());
		errno = there ? EIO : ENOENT;
		return NULL;
	}
	p = dlsym(dl, "poolwall_plugin");
	if (!p) {
		snprintf(err, errlen, "%s: no poolwall_plugin symbol", path);
		goto fail;
	}
	if (pw_plugin_check(p, path, err, errlen))
		goto fail;
	if (p->kind != kind || strcmp(p->name, name) != 0) {
		snprintf(err, errlen, "%s: describes %s '%s'", path,
			 p->kind == PW_FEED ? "feed" : "output", p->name);
		goto fail;
	}
	m = module_new(dl, p, path);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		dlclose(dl);
		errno = ENOMEM;
		return NULL;
	}
	return m;
fail:
	dlclose(dl);
	errno = EINVAL;
	return NULL;
}

struct pw_module *pw_module_static(const struct pw_plugin *p, char *err,
				   size_t errlen)
{
	struct pw_module *m;

	if (pw_plugin_check(p, "(built in)", err, errlen))
		return NULL;
	m = module_new(NULL, p, "(built in)");
	if (!m)
		snprintf(err, errlen, "out of memory");
	return m;
}

void pw_module_free(struct pw_module *m)
{
	if (!m)
		return;
	if (m->dl)
		dlclose(m->dl);
	free(m->path);
	free(m);
}

const struct pw_plugin *pw_module_plugin(const struct pw_module *m)
{
	return m->p;
}

const char *pw_module_path(const struct pw_module *m)
{
	return m->path;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pw_plugin_scan(const char *dir, enum pw_kind kind,
		   int (*cb)(void *ctx, const char *name, const char *path),
		   void *ctx)
{
	const char *pre = kind_prefix[kind];
	size_t plen = strlen(pre), n = 0, cap = 0, i;
	char **names = NULL, path[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char **nn;

		if (len <= plen + 3 || strncmp(de->d_name, pre, plen) != 0 ||
		    strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				err = -ENOMEM;
				goto out;
			}
			names = nn;
		}
		names[n] = strndup(de->d_name + plen, len - plen - 3);
		if (!names[n]) {
			err = -ENOMEM;
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && !err; i++) {
		int k = snprintf(path, sizeof(path), "%s/%s%s.so", dir, pre,
				 names[i]);

		if (k < 0 || (size_t)k >= sizeof(path))
			continue;
		err = cb(ctx, names[i], path);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return err;
}

/* ---- values ---- */

int pw_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

int pw_parse_uint(const char *s, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int pw_parse_duration(const char *s, int64_t *secs)
{
	unsigned long long v;
	int64_t mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mul = 60;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'd':
		mul = 86400;
		break;
	case 'w':
		mul = 7 * 86400;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1])
		return -EINVAL;
	if (v > (unsigned long long)INT64_MAX / (unsigned long long)mul)
		return -ERANGE;
	*secs = (int64_t)v * mul;
	return 0;
}

const char *pw_opt_type_name(enum pw_opt t)
{
	switch (t) {
	case PW_OPT_STR:
		return "string";
	case PW_OPT_BOOL:
		return "boolean";
	case PW_OPT_UINT:
		return "number";
	case PW_OPT_DUR:
		return "duration";
	case PW_OPT_PATH:
		return "path";
	}
	return "?";
}

/* ---- configuration ---- */

static const struct pw_option *conf_find(const struct pw_plugin *p,
					 const char *key, size_t *idx)
{
	const struct pw_option *o;
	size_t i = 0;

	for (o = p->options; o && o->name; o++, i++)
		if (strcmp(o->name, key) == 0) {
			if (idx)
				*idx = i;
			return o;
		}
	return NULL;
}

bool pw_conf_has(const struct pw_plugin *p, const char *key)
{
	return conf_find(p, key, NULL) != NULL;
}

static int conf_store(struct pw_conf *c, const struct pw_option *o,
		      const char *val, char *err, size_t errlen)
{
	unsigned char *dst = c->data + o->offset;
	unsigned long u;
	int64_t d;
	int b;
	char *s;

	switch (o->type) {
	case PW_OPT_STR:
	case PW_OPT_PATH:
		if (c->n_strs == MAX_STRS) {
			snprintf(err, errlen, "too many string options");
			return -ENOSPC;
		}
		s = strdup(val);
		if (!s)
			return -ENOMEM;
		c->strs[c->n_strs++] = s;
		memcpy(dst, &s, sizeof(s));
		return 0;
	case PW_OPT_BOOL:
		if (pw_parse_bool(val, &b))
			break;
		memcpy(dst, &b, sizeof(b));
		return 0;
	case PW_OPT_UINT:
		if (pw_parse_uint(val, &u))
			break;
		memcpy(dst, &u, sizeof(u));
		return 0;
	case PW_OPT_DUR:
		if (pw_parse_duration(val, &d))
			break;
		memcpy(dst, &d, sizeof(d));
		return 0;
	}
	snprintf(err, errlen, "%s: option '%s' wants a %s, not '%.64s'",
		 c->p->name, o->name, pw_opt_type_name(o->type), val);
	return -EINVAL;
}

struct pw_conf *pw_conf_new(const struct pw_plugin *p, char *err,
			    size_t errlen)
{
	const struct pw_option *o;
	struct pw_conf *c = calloc(1, sizeof(*c));

	if (!c)
		goto nomem;
	c->p = p;
	for (o = p->options; o && o->name; o++)
		c->n_opts++;
	c->data = calloc(1, p->conf_size ? p->conf_size : 1);
	c->set = calloc(1, c->n_opts ? c->n_opts : 1);
	if (!c->data || !c->set)
		goto nomem;
	for (o = p->options; o && o->name; o++) {
		if (!o->def)
			continue;
		int r = conf_store(c, o, o->def, err, errlen);

		if (r == -ENOMEM)
			goto nomem;
		if (r) {
			pw_conf_free(c);
			errno = EINVAL;
			return NULL;
		}
	}
	return c;
nomem:
	pw_conf_free(c);
	snprintf(err, errlen, "out of memory");
	errno = ENOMEM;
	return NULL;
}

int pw_conf_set(struct pw_conf *c, const char *key, const char *val,
		char *err, size_t errlen)
{
	const struct pw_option *o;
	size_t idx;
	int ret;

	o = conf_find(c->p, key, &idx);
	if (!o) {
		const struct pw_option *k;
		size_t n = 0;
		int w;

		w = snprintf(err, errlen, "%s: unknown option '%.64s'",
			     c->p->name, key);
		for (k = c->p->options; k && k->name && w > 0 &&
		     (size_t)w < errlen; k++, n++)
			w += snprintf(err + w, errlen - (size_t)w, "%s%s",
				      n ? ", " : " (known: ", k->name);
		if (n && w > 0 && (size_t)w < errlen)
			snprintf(err + w, errlen - (size_t)w, ")");
		else if (!n && w > 0 && (size_t)w < errlen)
			snprintf(err + w, errlen - (size_t)w,
				 " (it has none)");
		return -EINVAL;
	}
	ret = conf_store(c, o, val, err, errlen);
	if (!ret)
		c->set[idx] = 1;
	return ret;
}

int pw_conf_finish(struct pw_conf *c, char *err, size_t errlen)
{
	const struct pw_option *o;
	size_t i = 0;

	for (o = c->p->options; o && o->name; o++, i++)
		if (!o->def && !c->set[i]) {
			snprintf(err, errlen, "%s: option '%s' is required",
				 c->p->name, o->name);
			return -EINVAL;
		}
	return 0;
}

const void *pw_conf_data(const struct pw_conf *c)
{
	return c->data;
}

void pw_conf_free(struct pw_conf *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_strs; i++)
		free(c->strs[i]);
	free(c->data);
	free(c->set);
	free(c);
}
