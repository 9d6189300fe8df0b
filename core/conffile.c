/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "builtin.h"
#include "conffile.h"
#include "loader.h"

/*
 * inih's line buffer has a fixed size (INI_MAX_LINE); we feed it through
 * our own reader, which counts lines (so every message has file:line) and
 * refuses an over-long line instead of letting it be cut silently.
 */
#define CFG_MAX_LINE (INI_MAX_LINE - 3)

struct cfg_parse {
	struct pw_config *c;
	const char *file;
	const char *text;
	size_t pos, len;
	unsigned line;
	bool catalog;
	FILE *err;
	int errors;
	/* the section being read, and its object */
	char section[128];
	struct pw_feed_cfg *feed;
	struct pw_output_cfg *output;
};

static void cfg_error(struct cfg_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cfg_error(struct cfg_parse *p, const char *fmt, ...)
{
	va_list ap;

	p->errors++;
	if (!p->err)
		return;
	fprintf(p->err, "poolwall: %s:%u: ", p->file, p->line);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
}

static char *cfg_reader(char *str, int num, void *stream)
{
	struct cfg_parse *p = stream;
	const char *s, *nl;
	size_t n;

	if (p->pos >= p->len)
		return NULL;
	s = p->text + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - s) + 1 : p->len - p->pos;
	p->pos += n;
	p->line++;
	if (n >= (size_t)num - 1 || n > CFG_MAX_LINE) {
		cfg_error(p, "line longer than %d characters (continue a long "
			  "value on indented lines)", CFG_MAX_LINE);
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	if (memchr(s, '\0', n)) {
		cfg_error(p, "NUL byte in the configuration");
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	memcpy(str, s, n);
	str[n] = '\0';
	return str;
}

/* ---- values ---- */

int pw_parse_size(const char *s, unsigned long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1024;
		break;
	case 'M':
		mul = 1024 * 1024;
		break;
	case 'G':
		mul = 1024 * 1024 * 1024;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] && !(end[1] == 'B' && !end[2]))
		return -EINVAL;
	if (v > (unsigned long long)(unsigned long)-1 / mul)
		return -ERANGE;
	*out = (unsigned long)(v * mul);
	return 0;
}

int pw_parse_percent(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || (*end && strcmp(end, "%") != 0) || v > 100)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int cfg_strdup(struct cfg_parse *p, char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s) {
		cfg_error(p, "out of memory");
		return -ENOMEM;
	}
	free(*dst);
	*dst = s;
	return 0;
}

/* Split "a, b c" (commas and/or spaces) and append each to a list. */
static int cfg_list(struct cfg_parse *p, char ***list, size_t *n,
		    const char *v)
{
	const char *s = v;

	while (*s) {
		const char *e;
		char **nl, *item;

		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		e = s;
		while (*e && *e != ',' && *e != ' ' && *e != '\t')
			e++;
		item = strndup(s, (size_t)(e - s));
		nl = realloc(*list, (*n + 1) * sizeof(**list));
		if (!item || !nl) {
			free(item);
			if (nl)
				*list = nl;
			cfg_error(p, "out of memory");
			return -ENOMEM;
		}
		*list = nl;
		(*list)[(*n)++] = item;
		s = e;
	}
	return 0;
}

static void cfg_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int cfg_ports(struct cfg_parse *p, uint16_t *ports, size_t *n,
		     const char *v)
{
	char **items = NULL;
	size_t k = 0, i, j;
	int err;

	err = cfg_list(p, &items, &k, v);
	if (err)
		return err;
	*n = 0;
	for (i = 0; i < k; i++) {
		unsigned long port;

		if (pw_parse_uint(items[i], &port) || !port || port > 65535) {
			cfg_error(p, "'%s' is not a port (1-65535)", items[i]);
			err = -EINVAL;
			continue;
		}
		if (*n == 64) {
			cfg_error(p, "more than 64 ports");
			err = -EINVAL;
			break;
		}
		/* keep sorted and unique: the normalizer searches them */
		for (j = *n; j > 0 && ports[j - 1] > port; j--)
			ports[j] = ports[j - 1];
		if (j > 0 && ports[j - 1] == port) {
			memmove(ports + j, ports + j + 1,
				(*n - j) * sizeof(*ports));
			continue;
		}
		ports[j] = (uint16_t)port;
		(*n)++;
	}
	cfg_list_free(items, k);
	return err;
}

static int cfg_bool(struct cfg_parse *p, const char *name, const char *v,
		    bool *out)
{
	int b;

	if (pw_parse_bool(v, &b)) {
		cfg_error(p, "%s wants yes or no, not '%s'", name, v);
		return -EINVAL;
	}
	*out = b;
	return 0;
}

static int cfg_dur(struct cfg_parse *p, const char *name, const char *v,
		   int64_t *out)
{
	if (pw_parse_duration(v, out)) {
		cfg_error(p, "%s wants a duration (90s, 15m, 12h, 7d), not "
			  "'%s'", name, v);
		return -EINVAL;
	}
	return 0;
}

/* ---- sections ---- */

static int cfg_general(struct cfg_parse *p, const char *n, const char *v)
{
	struct pw_config *c = p->c;

	if (!strcmp(n, "state_dir"))
		return cfg_strdup(p, &c->state_dir, v);
	if (!strcmp(n, "cache_dir"))
		return cfg_strdup(p, &c->cache_dir, v);
	if (!strcmp(n, "stratum_ports"))
		return cfg_ports(p, c->stratum, &c->n_stratum, v);
	if (!strcmp(n, "protected_ports"))
		return cfg_ports(p, c->protected_ports, &c->n_protected, v);
	if (!strcmp(n, "shrink_guard")) {
		if (pw_parse_percent(v, &c->shrink_guard)) {
			cfg_error(p, "shrink_guard wants a percentage (0-100%%), "
				  "not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(n, "max_age"))
		return cfg_dur(p, n, v, &c->max_age);
	if (!strcmp(n, "lock_timeout"))
		return cfg_dur(p, n, v, &c->lock_timeout);
	if (!strcmp(n, "connect_timeout"))
		return cfg_dur(p, n, v, &c->connect_timeout);
	if (!strcmp(n, "total_timeout"))
		return cfg_dur(p, n, v, &c->total_timeout);
	if (!strcmp(n, "max_body")) {
		if (pw_parse_size(v, &c->max_body) || !c->max_body) {
			cfg_error(p, "max_body wants a size (512k, 64M, 1G), "
				  "not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(n, "parallel")) {
		if (pw_parse_uint(v, &c->parallel) || !c->parallel ||
		    c->parallel > 64) {
			cfg_error(p, "parallel wants 1-64, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(n, "ca_file"))
		return cfg_strdup(p, &c->ca_file, v);
	if (!strcmp(n, "proxy"))
		return cfg_strdup(p, &c->proxy, v);
	if (!strcmp(n, "canaries")) {
		cfg_list_free(c->canaries, c->n_canaries);
		c->canaries = NULL;
		c->n_canaries = 0;
		return cfg_list(p, &c->canaries, &c->n_canaries, v);
	}
	if (!strcmp(n, "own_networks"))
		return cfg_list(p, &c->own_networks, &c->n_own, v);
	if (!strcmp(n, "permit_documentation"))
		return cfg_bool(p, n, v, &c->permit_documentation);
	if (!strcmp(n, "cdn_guard"))
		return cfg_bool(p, n, v, &c->cdn_guard);
	if (!strcmp(n, "syslog"))
		return cfg_bool(p, n, v, &c->syslog);
	cfg_error(p, "unknown key '%s' in [general]", n);
	return -EINVAL;
}

static int cfg_kv(struct cfg_parse *p, struct pw_kv **kv, size_t *n,
		  const char *key, const char *val)
{
	struct pw_kv *nk;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*kv)[i].key, key)) {
			(*kv)[i].file = p->file;
			(*kv)[i].line = p->line;
			return cfg_strdup(p, &(*kv)[i].val, val);
		}
	nk = realloc(*kv, (*n + 1) * sizeof(**kv));
	if (!nk) {
		cfg_error(p, "out of memory");
		return -ENOMEM;
	}
	*kv = nk;
	nk[*n].key = strdup(key);
	nk[*n].val = strdup(val);
	nk[*n].file = p->file;
	nk[*n].line = p->line;
	if (!nk[*n].key || !nk[*n].val) {
		free(nk[*n].key);
		free(nk[*n].val);
		cfg_error(p, "out of memory");
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static int cfg_feed(struct cfg_parse *p, const char *n, const char *v)
{
	struct pw_feed_cfg *f = p->feed;

	f->file = p->file;
	if (!strcmp(n, "url"))
		return cfg_strdup(p, &f->url, v);
	if (!strcmp(n, "format"))
		return cfg_strdup(p, &f->format, v);
	if (!strcmp(n, "enabled"))
		return cfg_bool(p, n, v, &f->enabled);
	if (!strcmp(n, "refresh"))
		return cfg_dur(p, n, v, &f->refresh);
	if (!strcmp(n, "max_age"))
		return cfg_dur(p, n, v, &f->max_age);
	if (!strcmp(n, "licence") || !strcmp(n, "license"))
		return cfg_strdup(p, &f->licence, v);
	if (!strcmp(n, "description"))
		return cfg_strdup(p, &f->description, v);
	if (!strcmp(n, "subdomains")) {
		bool b;
		int err = cfg_bool(p, n, v, &b);

		if (!err)
			f->subdomains = b;
		return err;
	}
	if (!strcmp(n, "action")) {
		if (!strcmp(v, "block") || !strcmp(v, "monitor")) {
			f->monitor = v[0] == 'm';
			return 0;
		}
		cfg_error(p, "action wants block or monitor, not '%s'", v);
		return -EINVAL;
	}
	if (!strcmp(n, "min_entries")) {
		if (pw_parse_uint(v, &f->min_entries)) {
			cfg_error(p, "min_entries wants a number, not '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	/* anything else belongs to the format's plugin: checked later */
	return cfg_kv(p, &f->opts, &f->n_opts, n, v);
}

static int cfg_output(struct cfg_parse *p, const char *n, const char *v)
{
	struct pw_output_cfg *o = p->output;

	o->file = p->file;
	if (!strcmp(n, "plugin"))
		return cfg_strdup(p, &o->plugin, v);
	if (!strcmp(n, "path"))
		return cfg_strdup(p, &o->path, v);
	if (!strcmp(n, "validate"))
		return cfg_strdup(p, &o->validate, v);
	if (!strcmp(n, "reload"))
		return cfg_strdup(p, &o->reload, v);
	if (!strcmp(n, "live_add"))
		return cfg_strdup(p, &o->live_add, v);
	if (!strcmp(n, "live_remove"))
		return cfg_strdup(p, &o->live_remove, v);
	if (!strcmp(n, "enabled"))
		return cfg_bool(p, n, v, &o->enabled);
	return cfg_kv(p, &o->opts, &o->n_opts, n, v);
}

static bool cfg_name_ok(const char *s)
{
	const char *c;

	if (!*s || *s == '.' || strlen(s) > 64)
		return false;
	for (c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' ||
		      *c == '.'))
			return false;
	return true;
}

static struct pw_feed_cfg *cfg_feed_get(struct cfg_parse *p, const char *name)
{
	struct pw_config *c = p->c;
	struct pw_feed_cfg *f;
	size_t i;

	for (i = 0; i < c->n_feeds; i++)
		if (!strcmp(c->feeds[i].name, name)) {
			/* a user section over a catalog entry refines it */
			if (!p->catalog && c->feeds[i].catalog &&
			    c->feeds[i].file != p->file)
				c->feeds[i].enabled = true;
			return &c->feeds[i];
		}
	f = realloc(c->feeds, (c->n_feeds + 1) * sizeof(*f));
	if (!f)
		return NULL;
	c->feeds = f;
	f = &c->feeds[c->n_feeds];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	if (!f->name)
		return NULL;
	f->enabled = !p->catalog;
	f->catalog = p->catalog;
	f->subdomains = -1;
	f->refresh = 12 * 3600;
	f->line = p->line;
	f->file = p->file;
	c->n_feeds++;
	return f;
}

static struct pw_output_cfg *cfg_output_get(struct cfg_parse *p,
					    const char *name)
{
	struct pw_config *c = p->c;
	struct pw_output_cfg *o;
	size_t i;

	for (i = 0; i < c->n_outputs; i++)
		if (!strcmp(c->outputs[i].name, name))
			return &c->outputs[i];
	o = realloc(c->outputs, (c->n_outputs + 1) * sizeof(*o));
	if (!o)
		return NULL;
	c->outputs = o;
	o = &c->outputs[c->n_outputs];
	memset(o, 0, sizeof(*o));
	o->name = strdup(name);
	if (!o->name)
		return NULL;
	o->enabled = true;
	o->line = p->line;
	o->file = p->file;
	c->n_outputs++;
	return o;
}

static int cfg_handler(void *user, const char *section, const char *name,
		       const char *value)
{
	struct cfg_parse *p = user;
	const char *arg;

	if (strcmp(section, p->section) != 0) {
		/* a new section: resolve its object once */
		snprintf(p->section, sizeof(p->section), "%s", section);
		p->feed = NULL;
		p->output = NULL;
		if (!strncmp(section, "feed ", 5) ||
		    !strncmp(section, "output ", 7)) {
			arg = strchr(section, ' ') + 1;
			while (*arg == ' ')
				arg++;
			if (!cfg_name_ok(arg)) {
				cfg_error(p, "bad name in [%s] (letters, digits, "
					  "'.', '-', '_')", section);
				return 1;
			}
			if (section[0] == 'f')
				p->feed = cfg_feed_get(p, arg);
			else
				p->output = cfg_output_get(p, arg);
			if (!p->feed && !p->output) {
				cfg_error(p, "out of memory");
				return 1;
			}
		}
	}
	if (!strcmp(section, "general"))
		cfg_general(p, name, value);
	else if (!strcmp(section, "allow")) {
		if (!strcmp(name, "file"))
			cfg_list(p, &p->c->allow_files, &p->c->n_allow_files,
				 value);
		else if (!strcmp(name, "entries"))
			cfg_list(p, &p->c->allow_entries,
				 &p->c->n_allow_entries, value);
		else
			cfg_error(p, "unknown key '%s' in [allow] (file, "
				  "entries)", name);
	} else if (!strcmp(section, "incidents")) {
		if (!strcmp(name, "dir"))
			cfg_strdup(p, &p->c->incidents_dir, value);
		else
			cfg_error(p, "unknown key '%s' in [incidents] (dir)",
				  name);
	} else if (p->feed) {
		cfg_feed(p, name, value);
	} else if (p->output) {
		cfg_output(p, name, value);
	} else {
		cfg_error(p, "unknown section [%s]", section);
	}
	return 1;
}

static int cfg_parse_text(struct pw_config *c, const char *file,
			  const char *text, size_t len, bool catalog,
			  FILE *err)
{
	struct cfg_parse p = {
		.c = c, .file = file, .text = text, .len = len,
		.catalog = catalog, .err = err,
	};
	int ret;

	ret = ini_parse_stream(cfg_reader, &p, cfg_handler, &p);
	if (ret > 0) {
		p.line = (unsigned)ret;
		cfg_error(&p, "syntax error (expected [section] or key = "
			  "value)");
	} else if (ret < 0) {
		cfg_error(&p, "cannot parse");
	}
	return p.errors ? -EINVAL : 0;
}

/* ---- defaults and checks ---- */

static int cfg_defaults(struct pw_config *c, const char *state_dir)
{
	static const uint16_t prot[] = { 1080, 1194, 1433, 1521, 1723, 2049,
					 3306, 3389, 5060, 5432, 5900, 6379,
					 8000, 8008, 8080, 8443, 8888, 9000,
					 9090, 9200, 9443, 27017 };
	const char *p = pw_builtin_ports;
	size_t i;

	c->state_dir = strdup(state_dir ? state_dir : PW_STATEDIR);
	c->cache_dir = strdup(PW_CACHEDIR);
	c->incidents_dir = strdup(PW_SYSCONFDIR "/poolwall/incidents.d");
	if (!c->state_dir || !c->cache_dir || !c->incidents_dir)
		return -ENOMEM;
	/* stratum ports: the built-in list, one a line */
	while (*p) {
		const char *eol = strchr(p, '\n');
		unsigned long port;
		char num[8];
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n && n < sizeof(num) && *p != '#') {
			memcpy(num, p, n);
			num[n] = '\0';
			if (!pw_parse_uint(num, &port) && port && port < 65536 &&
			    c->n_stratum < 64)
				c->stratum[c->n_stratum++] = (uint16_t)port;
		}
		p = eol ? eol + 1 : p + n;
	}
	for (i = 0; i < sizeof(prot) / sizeof(prot[0]); i++)
		c->protected_ports[i] = prot[i];
	c->n_protected = sizeof(prot) / sizeof(prot[0]);
	c->shrink_guard = 50;
	c->max_age = 7 * 86400;
	c->lock_timeout = 60;
	c->connect_timeout = 15;
	c->total_timeout = 120;
	c->max_body = 256ul * 1024 * 1024;
	c->parallel = 4;
	c->cdn_guard = true;
	c->syslog = true;
	return 0;
}

/* The default canonical export, when no output is configured. */
static int cfg_default_output(struct pw_config *c)
{
	struct pw_output_cfg *o;
	size_t len = strlen(c->state_dir) + sizeof("/export.ioc");

	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	c->outputs = o;
	c->n_outputs = 1;
	o->name = strdup("export");
	o->plugin = strdup("ioc");
	o->path = malloc(len);
	if (!o->name || !o->plugin || !o->path)
		return -ENOMEM;
	snprintf(o->path, len, "%s/export.ioc", c->state_dir);
	o->enabled = true;
	o->builtin = true;
	o->file = "(built in)";
	return 0;
}

static void cfg_check_error(FILE *err, const char *file, unsigned line,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void cfg_check_error(FILE *err, const char *file, unsigned line,
			    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	fprintf(err, "poolwall: %s:%u: ", file ? file : "(built in)", line);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

static int cfg_check_opts(const char *dir, enum pw_kind kind,
			  const char *plugin, const struct pw_kv *kv,
			  size_t n, const char *file, unsigned line,
			  FILE *err)
{
	struct pw_module *m;
	struct pw_conf *conf;
	char msg[512];
	size_t i;
	int bad = 0;

	m = pw_module_load(dir, kind, plugin, msg, sizeof(msg));
	if (!m) {
		cfg_check_error(err, file, line, "%s", msg);
		return -EINVAL;
	}
	conf = pw_conf_new(pw_module_plugin(m), msg, sizeof(msg));
	if (!conf) {
		cfg_check_error(err, file, line, "%s", msg);
		pw_module_free(m);
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if (pw_conf_set(conf, kv[i].key, kv[i].val, msg, sizeof(msg))) {
			cfg_check_error(err, kv[i].file, kv[i].line, "%s%s",
					msg, "");
			bad = 1;
		}
	if (!bad && pw_conf_finish(conf, msg, sizeof(msg))) {
		cfg_check_error(err, file, line, "%s", msg);
		bad = 1;
	}
	pw_conf_free(conf);
	pw_module_free(m);
	return bad ? -EINVAL : 0;
}

static int cfg_check(struct pw_config *c, const char *plugin_dir, FILE *err)
{
	size_t i, j;
	int bad = 0;

	for (i = 0; i < c->n_feeds; i++) {
		struct pw_feed_cfg *f = &c->feeds[i];

		if (!f->enabled)
			continue;
		if (!f->url) {
			cfg_check_error(err, f->file, f->line,
					"[feed %s]: url is required",
					f->name);
			bad = 1;
		}
		if (!f->format) {
			cfg_check_error(err, f->file, f->line,
					"[feed %s]: format is required",
					f->name);
			bad = 1;
		}
		if (plugin_dir && f->format &&
		    cfg_check_opts(plugin_dir, PW_FEED, f->format, f->opts,
				   f->n_opts, f->file, f->line, err))
			bad = 1;
	}
	for (i = 0; i < c->n_outputs; i++) {
		struct pw_output_cfg *o = &c->outputs[i];

		if (!o->plugin && !(o->plugin = strdup(o->name)))
			return -ENOMEM;
		if (!o->enabled)
			continue;
		if (!o->path && strcmp(o->plugin, "nft") != 0 &&
		    !o->live_add && !o->live_remove) {
			cfg_check_error(err, o->file, o->line,
					"[output %s]: path is required",
					o->name);
			bad = 1;
		}
		for (j = 0; j < i; j++)
			if (o->path && c->outputs[j].path &&
			    !strcmp(o->path, c->outputs[j].path)) {
				cfg_check_error(err, o->file, o->line,
						"[output %s]: same path as "
						"[output %s]", o->name,
						c->outputs[j].name);
				bad = 1;
			}
		if (plugin_dir && strcmp(o->plugin, "metrics") != 0 &&
		    cfg_check_opts(plugin_dir, PW_OUTPUT, o->plugin, o->opts,
				   o->n_opts, o->file, o->line, err))
			bad = 1;
	}
	return bad ? -EINVAL : 0;
}

static int cfg_read(const char *path, char **buf, size_t *len, FILE *err)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, n = 0;
	char *b = NULL, *nb;
	int e = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > 16u << 20) {
				e = -EFBIG;
				break;
			}
			nb = realloc(b, cap);
			if (!nb) {
				e = -ENOMEM;
				break;
			}
			b = nb;
		}
		size_t r = fread(b + n, 1, cap - n - 1, f);

		n += r;
		if (r == 0)
			break;
	}
	if (!e && ferror(f))
		e = -EIO;
	fclose(f);
	if (e) {
		if (err)
			fprintf(err, "poolwall: %s: %s\n", path, strerror(-e));
		free(b);
		return e;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int pw_config_load(struct pw_config **out, const char *path,
		   const char *state_dir, const char *plugin_dir, FILE *err)
{
	struct pw_config *c = calloc(1, sizeof(*c));
	const char *file = path;
	char *text = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	if (!c)
		return -ENOMEM;
	ret = cfg_defaults(c, state_dir);
	if (ret)
		goto fail;
	ret = cfg_parse_text(c, "(feed catalog)", pw_builtin_catalog,
			     strlen(pw_builtin_catalog), true, err);
	if (ret)
		goto fail;
	if (!file && access(PW_DEFAULT_CONFIG, F_OK) == 0)
		file = PW_DEFAULT_CONFIG;
	if (file) {
		ret = cfg_read(file, &text, &len, err);
		if (ret == -ENOENT && err)
			fprintf(err, "poolwall: %s: no such file\n", file);
		if (ret)
			goto fail;
		c->path = file;
		ret = cfg_parse_text(c, file, text, len, false, err);
		free(text);
		if (ret)
			goto fail;
	}
	/* -S wins over the file's state_dir */
	if (state_dir) {
		free(c->state_dir);
		c->state_dir = strdup(state_dir);
		if (!c->state_dir) {
			ret = -ENOMEM;
			goto fail;
		}
	}
	if (!c->n_outputs) {
		ret = cfg_default_output(c);
		if (ret)
			goto fail;
	}
	if (!c->n_canaries) {
		static const char *const def[] = { "supportxmr.com",
						   "tcp/3333" };
		size_t i;

		c->canaries = calloc(2, sizeof(char *));
		if (!c->canaries) {
			ret = -ENOMEM;
			goto fail;
		}
		for (i = 0; i < 2; i++)
			if ((c->canaries[i] = strdup(def[i])))
				c->n_canaries++;
	}
	ret = cfg_check(c, plugin_dir, err);
	if (ret)
		goto fail;
	*out = c;
	return 0;
fail:
	pw_config_free(c);
	return ret;
}

static void cfg_kv_free(struct pw_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

void pw_config_free(struct pw_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_feeds; i++) {
		struct pw_feed_cfg *f = &c->feeds[i];

		free(f->name);
		free(f->url);
		free(f->format);
		free(f->licence);
		free(f->description);
		cfg_kv_free(f->opts, f->n_opts);
	}
	free(c->feeds);
	for (i = 0; i < c->n_outputs; i++) {
		struct pw_output_cfg *o = &c->outputs[i];

		free(o->name);
		free(o->plugin);
		free(o->path);
		free(o->validate);
		free(o->reload);
		free(o->live_add);
		free(o->live_remove);
		cfg_kv_free(o->opts, o->n_opts);
	}
	free(c->outputs);
	free(c->state_dir);
	free(c->cache_dir);
	free(c->ca_file);
	free(c->proxy);
	free(c->incidents_dir);
	cfg_list_free(c->canaries, c->n_canaries);
	cfg_list_free(c->own_networks, c->n_own);
	cfg_list_free(c->allow_files, c->n_allow_files);
	cfg_list_free(c->allow_entries, c->n_allow_entries);
	free(c);
}

const struct pw_feed_cfg *pw_config_feed(const struct pw_config *c,
					 const char *name)
{
	size_t i;

	for (i = 0; i < c->n_feeds; i++)
		if (!strcmp(c->feeds[i].name, name))
			return &c->feeds[i];
	return NULL;
}

const struct pw_output_cfg *pw_config_output(const struct pw_config *c,
					     const char *name)
{
	size_t i;

	for (i = 0; i < c->n_outputs; i++)
		if (!strcmp(c->outputs[i].name, name))
			return &c->outputs[i];
	return NULL;
}

static void print_dur(FILE *f, const char *key, int64_t s)
{
	if (s && s % 86400 == 0)
		fprintf(f, "%s = %lldd\n", key, (long long)(s / 86400));
	else if (s && s % 3600 == 0)
		fprintf(f, "%s = %lldh\n", key, (long long)(s / 3600));
	else if (s && s % 60 == 0)
		fprintf(f, "%s = %lldm\n", key, (long long)(s / 60));
	else
		fprintf(f, "%s = %llds\n", key, (long long)s);
}

static void print_list(FILE *f, const char *key, char **l, size_t n)
{
	size_t i;

	fprintf(f, "%s =", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : " ", l[i]);
	fputc('\n', f);
}

static void print_ports(FILE *f, const char *key, const uint16_t *p, size_t n)
{
	size_t i;

	fprintf(f, "%s =", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? "," : " ", (unsigned)p[i]);
	fputc('\n', f);
}

void pw_config_print(const struct pw_config *c, FILE *f)
{
	size_t i, j;

	fprintf(f, "; effective configuration (%s)\n",
		c->path ? c->path : "built-in defaults");
	fprintf(f, "[general]\nstate_dir = %s\ncache_dir = %s\n",
		c->state_dir, c->cache_dir);
	print_ports(f, "stratum_ports", c->stratum, c->n_stratum);
	print_ports(f, "protected_ports", c->protected_ports, c->n_protected);
	fprintf(f, "shrink_guard = %u%%\n", c->shrink_guard);
	print_dur(f, "max_age", c->max_age);
	print_dur(f, "lock_timeout", c->lock_timeout);
	print_dur(f, "connect_timeout", c->connect_timeout);
	print_dur(f, "total_timeout", c->total_timeout);
	fprintf(f, "max_body = %lu\nparallel = %lu\n", c->max_body,
		c->parallel);
	if (c->ca_file)
		fprintf(f, "ca_file = %s\n", c->ca_file);
	if (c->proxy)
		fprintf(f, "proxy = %s\n", c->proxy);
	print_list(f, "canaries", c->canaries, c->n_canaries);
	print_list(f, "own_networks", c->own_networks, c->n_own);
	fprintf(f, "permit_documentation = %s\ncdn_guard = %s\nsyslog = %s\n",
		c->permit_documentation ? "yes" : "no",
		c->cdn_guard ? "yes" : "no", c->syslog ? "yes" : "no");
	fprintf(f, "\n[allow]\n");
	print_list(f, "file", c->allow_files, c->n_allow_files);
	print_list(f, "entries", c->allow_entries, c->n_allow_entries);
	fprintf(f, "\n[incidents]\ndir = %s\n", c->incidents_dir);
	for (i = 0; i < c->n_feeds; i++) {
		const struct pw_feed_cfg *fd = &c->feeds[i];

		fprintf(f, "\n[feed %s]\n", fd->name);
		if (fd->catalog)
			fprintf(f, "; from the shipped catalog\n");
		fprintf(f, "enabled = %s\n", fd->enabled ? "yes" : "no");
		if (fd->url)
			fprintf(f, "url = %s\n", fd->url);
		if (fd->format)
			fprintf(f, "format = %s\n", fd->format);
		print_dur(f, "refresh", fd->refresh);
		if (fd->max_age)
			print_dur(f, "max_age", fd->max_age);
		fprintf(f, "action = %s\n", fd->monitor ? "monitor" : "block");
		if (fd->subdomains >= 0)
			fprintf(f, "subdomains = %s\n",
				fd->subdomains ? "yes" : "no");
		if (fd->min_entries)
			fprintf(f, "min_entries = %lu\n", fd->min_entries);
		if (fd->licence)
			fprintf(f, "licence = %s\n", fd->licence);
		if (fd->description)
			fprintf(f, "description = %s\n", fd->description);
		for (j = 0; j < fd->n_opts; j++)
			fprintf(f, "%s = %s\n", fd->opts[j].key,
				fd->opts[j].val);
	}
	for (i = 0; i < c->n_outputs; i++) {
		const struct pw_output_cfg *o = &c->outputs[i];

		fprintf(f, "\n[output %s]\n", o->name);
		if (o->builtin)
			fprintf(f, "; built in: no output is configured\n");
		fprintf(f, "plugin = %s\nenabled = %s\n", o->plugin,
			o->enabled ? "yes" : "no");
		if (o->path)
			fprintf(f, "path = %s\n", o->path);
		if (o->validate)
			fprintf(f, "validate = %s\n", o->validate);
		if (o->reload)
			fprintf(f, "reload = %s\n", o->reload);
		if (o->live_add)
			fprintf(f, "live_add = %s\n", o->live_add);
		if (o->live_remove)
			fprintf(f, "live_remove = %s\n", o->live_remove);
		for (j = 0; j < o->n_opts; j++)
			fprintf(f, "%s = %s\n", o->opts[j].key,
				o->opts[j].val);
	}
}
