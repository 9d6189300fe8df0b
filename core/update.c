/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `poolwall update`: what cron runs.  Lock, fetch/read every enabled feed,
 * read incident files, add live emergency blocks, normalize and merge,
 * apply the guards, then for every output: render into a temporary file
 * beside the target, validate it with the consumer's checker, rename it
 * over the old one, reload, and check the canaries.  Record the
 * generation.  Exit 0 published, 1 error, 2 usage, 3 published with stale
 * feeds, 4 refused by a guard (old outputs kept).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "diag.h"
#include "fetch.h"
#include "host.h"
#include "jsondump.h"
#include "loader.h"
#include "log.h"
#include "metrics.h"
#include "normalize.h"
#include "set.h"
#include "sink.h"
#include "update.h"

/* ---- run context ---- */

int pw_run_open(struct pw_run *r, const struct pw_global *g, bool writer)
{
	char err[512];
	int ret;

	memset(r, 0, sizeof(*r));
	r->g = g;
	r->lock_fd = -1;
	/* expiry and ages follow the real clock; SOURCE_DATE_EPOCH only
	   fixes the times that outputs print */
	r->now = (int64_t)time(NULL);
	r->plugin_dir = pw_plugin_dir(g->plugin_dir);
	r->interactive = g->verbosity > 0 ||
			 (g->verbosity == 0 && isatty(STDOUT_FILENO));
	/* readers (check, list, status) need not load every plugin */
	ret = pw_config_load(&r->cfg, g->config, g->state_dir,
			     writer ? r->plugin_dir : NULL, stderr);
	if (ret)
		return ret == -ENOMEM ? PW_EXIT_ERROR : PW_EXIT_ERROR;
	if (r->cfg->syslog && g->verbosity >= 0 && !isatty(STDERR_FILENO))
		pw_log_syslog(true);
	if (writer) {
		ret = pw_lock_acquire(r->cfg->state_dir, r->cfg->lock_timeout,
				      &r->lock_fd, err, sizeof(err));
		if (ret) {
			pw_msg(LOG_ERR, "%s", err);
			return PW_EXIT_ERROR;
		}
	}
	ret = pw_state_open(&r->st, r->cfg->state_dir, !writer, err,
			    sizeof(err));
	if (ret) {
		pw_msg(LOG_ERR, "%s", err);
		return PW_EXIT_ERROR;
	}
	return 0;
}

void pw_run_close(struct pw_run *r)
{
	pw_state_close(r->st);
	pw_lock_release(r->lock_fd);
	pw_config_free(r->cfg);
	memset(r, 0, sizeof(*r));
	r->lock_fd = -1;
}

/* ---- collecting the set ---- */

struct collect {
	struct pw_run *r;
	const struct pw_pipeline_opts *o;
	struct pw_set *set;
	struct pw_diag *diag;
	struct pw_norm_opts nopts;
	unsigned stale, failed;
	json_t *feeds;		/* per feed result, for the generation */
};

static void norm_opts_from(const struct pw_config *c, struct pw_norm_opts *o)
{
	pw_norm_opts_default(o);
	o->stratum = c->stratum;
	o->n_stratum = c->n_stratum;
	o->protected_ports = c->protected_ports;
	o->n_protected = c->n_protected;
	o->allow_doc = c->permit_documentation;
}

static int parse_with(struct collect *k, const char *format,
		      const struct pw_kv *opts, size_t n_opts,
		      struct pw_host *h, const char *buf, size_t len)
{
	const struct pw_plugin *p;
	struct pw_module *m;
	struct pw_conf *conf;
	void *state = NULL;
	char err[512];
	size_t i;
	int ret;

	m = pw_module_load(k->r->plugin_dir, PW_FEED, format, err,
			   sizeof(err));
	if (!m) {
		pw_msg(LOG_ERR, "%s%s", pw_host_prefix(h), err);
		return -ENOENT;
	}
	p = pw_module_plugin(m);
	conf = pw_conf_new(p, err, sizeof(err));
	ret = conf ? 0 : -ENOMEM;
	for (i = 0; !ret && i < n_opts; i++)
		ret = pw_conf_set(conf, opts[i].key, opts[i].val, err,
				  sizeof(err));
	if (!ret)
		ret = pw_conf_finish(conf, err, sizeof(err));
	if (ret) {
		pw_msg(LOG_ERR, "%s%s", pw_host_prefix(h), err);
		goto out;
	}
	ret = p->create(h, pw_conf_data(conf), &state);
	if (!ret) {
		ret = p->parse(state, buf, len);
		if (p->destroy)
			p->destroy(state);
	}
	if (ret)
		pw_msg(LOG_ERR, "%sparse failed: %s", pw_host_prefix(h),
		       strerror(-ret));
out:
	pw_conf_free(conf);
	pw_module_free(m);
	return ret;
}

int pw_run_parse(struct pw_run *r, const char *format, struct pw_host *h,
		 const char *buf, size_t len)
{
	struct pw_pipeline_opts po = { .why = "parse" };
	struct collect k = { .r = r, .o = &po };

	return parse_with(&k, format, NULL, 0, h, buf, len);
}

static unsigned long count_lines(const char *b, size_t len)
{
	unsigned long n = 0;
	const char *p = b, *e = b + len;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		n++;
		p++;
	}
	return n + (len && b[len - 1] != '\n');
}

/* Count what a body would give, without touching the real set. */
static int dry_count(struct collect *k, const struct pw_feed_cfg *f,
		     const char *buf, size_t len, unsigned long *accepted)
{
	struct pw_host_conf hc = {
		.kind = "feed", .plugin = f->format, .source = f->name,
		.subdomains = f->subdomains,
	};
	struct pw_set *scratch = pw_set_new();
	struct pw_host *h;
	int ret = -ENOMEM;

	if (!scratch)
		return -ENOMEM;
	h = pw_host_new(&hc, &k->nopts, scratch, NULL);
	if (h) {
		ret = parse_with(k, f->format, f->opts, f->n_opts, h, buf, len);
		*accepted = pw_host_stats(h)->accepted;
	}
	pw_host_free(h);
	pw_set_free(scratch);
	return ret;
}

/* On a terminal, a line per transfer as it ends; under cron, nothing. */
static void fetch_progress(void *ctx, const char *name, const char *what,
			   size_t bytes)
{
	fprintf(stderr, "poolwall: fetch %s: %s (%zu bytes)\n", name, what,
		bytes);
}

static const char *const status_word[] = {
	[PW_FETCH_NEW] = "fresh", [PW_FETCH_UNCHANGED] = "unchanged",
	[PW_FETCH_STALE] = "stale", [PW_FETCH_FAILED] = "failed",
};

static int collect_feeds(struct collect *k)
{
	struct pw_config *c = k->r->cfg;
	struct pw_fetch_opts fo = {
		.cache_dir = c->cache_dir,
		.connect_timeout = (long)c->connect_timeout,
		.total_timeout = (long)c->total_timeout,
		.max_bytes = c->max_body,
		.ca_file = c->ca_file,
		.proxy = c->proxy,
		.max_age = c->max_age,
		.parallel = (unsigned)c->parallel,
		.retries = 2,
		.progress = k->r->g->verbosity >= 0 && isatty(STDERR_FILENO) ?
				    fetch_progress : NULL,
		.offline = k->o->offline,
		.now = k->r->now,
	};
	struct pw_fetch_req *reqs;
	struct pw_fetch_result *res;
	const struct pw_feed_cfg **fc;
	size_t n = 0, i;
	int ret = 0;

	reqs = calloc(c->n_feeds + 1, sizeof(*reqs));
	res = calloc(c->n_feeds + 1, sizeof(*res));
	fc = calloc(c->n_feeds + 1, sizeof(*fc));
	if (!reqs || !res || !fc) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c->n_feeds; i++) {
		if (!c->feeds[i].enabled)
			continue;
		fc[n] = &c->feeds[i];
		reqs[n].name = c->feeds[i].name;
		reqs[n].url = c->feeds[i].url;
		reqs[n].expect_html = !strcmp(c->feeds[i].format, "openioc");
		n++;
	}
	if (!n)
		goto out;
	ret = pw_mkdir_p(c->cache_dir, 0750);
	if (ret) {
		pw_msg(LOG_WARNING, "cannot create the cache '%s': %s",
		       c->cache_dir, strerror(-ret));
		ret = 0;
	}
	ret = pw_fetch_all(&fo, reqs, n, res);
	if (ret) {
		pw_msg(LOG_ERR, "fetch: %s", strerror(-ret));
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		const struct pw_feed_cfg *f = fc[i];
		struct pw_host_conf hc = {
			.kind = "feed", .plugin = f->format, .source = f->name,
			.subdomains = f->subdomains, .monitor = f->monitor,
		};
		struct pw_feed_status fs = {
			.name = f->name, .url = f->url,
			.checked_at = k->r->now,
		};
		const struct pw_feed_stats *st;
		struct pw_host *h;
		unsigned long acc;
		char why[160];

		/*
		 * A new copy is parsed on the side first: one that does not
		 * parse (an XML bomb, JSON nested too deep) or gives fewer
		 * entries than the feed's minimum never reaches the set, and
		 * the last good copy is used instead.
		 */
		if (res[i].status == PW_FETCH_NEW) {
			int perr = dry_count(k, f, res[i].body, res[i].len,
					     &acc);

			if (perr == -ENOMEM) {
				ret = perr;
				break;
			}
			if (perr)
				snprintf(why, sizeof(why), "the new copy does "
					 "not parse (%s)", strerror(-perr));
			else if (f->min_entries && acc < f->min_entries)
				snprintf(why, sizeof(why), "%lu entries "
					 "accepted, the feed's minimum is %lu",
					 acc, f->min_entries);
			if (perr || (f->min_entries && acc < f->min_entries))
				pw_fetch_reject(&fo, &reqs[i], &res[i], why);
		}
		if (res[i].status == PW_FETCH_STALE) {
			k->stale++;
			pw_msg(LOG_WARNING, "feed %s: stale, using the copy of "
			       "%llds ago: %s", f->name,
			       (long long)(k->r->now - res[i].fetched_at),
			       res[i].error);
		} else if (res[i].status == PW_FETCH_FAILED) {
			k->failed++;
			pw_msg(LOG_ERR, "feed %s: failed, no usable copy: %s",
			       f->name, res[i].error);
		}
		fs.status = status_word[res[i].status];
		fs.error = res[i].error[0] ? res[i].error : NULL;
		fs.fetched_at = res[i].fetched_at;
		fs.sha256 = res[i].sha256[0] ? res[i].sha256 : NULL;
		if (res[i].body) {
			h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
			if (!h) {
				ret = -ENOMEM;
				break;
			}
			ret = parse_with(k, f->format, f->opts, f->n_opts, h,
					 res[i].body, res[i].len);
			if (ret && ret != -ENOMEM) {
				/* count the feed failed, go on with the others;
				   such a copy is never stored as good */
				k->failed++;
				fs.status = "failed";
				ret = 0;
				pw_host_free(h);
				h = NULL;
			}
			st = h ? pw_host_stats(h) : NULL;
			if (!st) {
				json_object_set_new(k->feeds, f->name,
						    json_pack("{s:s}", "status",
							      "failed"));
				if (!k->o->dry_run)
					pw_state_feed_put(k->r->st, &fs);
				continue;
			}
			fs.accepted = st->accepted;
			fs.rejected = st->rejected;
			fs.indicators = st->indicators;
			if (!ret && res[i].status == PW_FETCH_NEW &&
			    !k->o->dry_run)
				pw_fetch_commit(&fo, &reqs[i], &res[i],
						count_lines(res[i].body,
							    res[i].len),
						st->accepted, st->rejected);
			pw_host_free(h);
		}
		if (!k->o->dry_run && pw_state_feed_put(k->r->st, &fs))
			pw_msg(LOG_WARNING, "state: cannot record feed %s",
			       f->name);
		json_object_set_new(k->feeds, f->name,
				    json_pack("{s:s, s:i, s:i}", "status",
					      fs.status, "accepted",
					      (json_int_t)fs.accepted,
					      "rejected",
					      (json_int_t)fs.rejected));
	}
out:
	for (i = 0; res && i < n; i++)
		pw_fetch_result_free(&res[i]);
	free(reqs);
	free(res);
	free(fc);
	return ret;
}

/* Format of an incident file: a `# format: X` first line, or by suffix. */
static const char *incident_format(const char *name, const char *buf,
				   size_t len)
{
	static const struct {
		const char *ext, *format;
	} map[] = {
		{ ".ioc", "ioc" },	   { ".txt", "text" },
		{ ".md", "text" },	   { ".log", "text" },
		{ ".hosts", "hosts" },	   { ".domains", "domains" },
		{ ".list", "domains" },	   { ".netset", "netset" },
		{ ".ipset", "netset" },	   { ".csv", "csv" },
		{ ".xml", "openioc" },	   { ".json", "stix" },
		{ ".adblock", "adblock" },
	};
	static char fmt[32];
	const char *dot = strrchr(name, '.');
	size_t i;

	if (len > 10 && !strncmp(buf, "# format:", 9)) {
		const char *s = buf + 9, *e;

		while (*s == ' ')
			s++;
		e = s;
		while (e < buf + len && *e >= 'a' && *e <= 'z')
			e++;
		if (e > s && (size_t)(e - s) < sizeof(fmt)) {
			memcpy(fmt, s, (size_t)(e - s));
			fmt[e - s] = '\0';
			return fmt;
		}
	}
	for (i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(dot, map[i].ext))
			return map[i].format;
	return "text";
}

static int collect_incidents(struct collect *k)
{
	const char *dir = k->r->cfg->incidents_dir;
	struct dirent **ents = NULL;
	int n, i, ret = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char path[PATH_MAX], id[65], *buf = NULL, err[512];
		struct pw_host_conf hc = {
			.kind = "incident", .source = id, .subdomains = -1,
			.incident = id,
		};
		struct pw_host *h;
		struct stat sb;
		size_t len, j;
		int w;

		if (name[0] == '.' || name[strlen(name) - 1] == '~')
			continue;
		w = snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (w < 0 || (size_t)w >= sizeof(path) || stat(path, &sb) ||
		    !S_ISREG(sb.st_mode))
			continue;
		/* the incident ID: the file name without its suffix */
		for (j = 0; name[j] && name[j] != '.' && j < sizeof(id) - 1;
		     j++)
			id[j] = (name[j] >= 'a' && name[j] <= 'z') ||
					(name[j] >= 'A' && name[j] <= 'Z') ||
					(name[j] >= '0' && name[j] <= '9') ||
					name[j] == '-' || name[j] == '_' ?
				name[j] : '_';
		id[j] = '\0';
		if (pw_read_file(path, k->r->cfg->max_body, &buf, &len, err,
				 sizeof(err))) {
			pw_msg(LOG_ERR, "incident %s: %s", id, err);
			ret = -EIO;
			continue;
		}
		hc.plugin = incident_format(name, buf, len);
		h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
		if (h) {
			if (parse_with(k, hc.plugin, NULL, 0, h, buf, len))
				ret = -EIO;
			pw_host_free(h);
		} else {
			ret = -ENOMEM;
		}
		free(buf);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

static enum pw_hint hint_of(const char *kind)
{
	if (!strcmp(kind, "domain"))
		return PW_H_DOMAIN;
	if (!strcmp(kind, "ipv4") || !strcmp(kind, "ipv6"))
		return PW_H_IP;
	if (!strcmp(kind, "port"))
		return PW_H_PORT;
	if (!strcmp(kind, "url"))
		return PW_H_URL;
	if (!strcmp(kind, "wallet"))
		return PW_H_WALLET;
	if (!strcmp(kind, "hash"))
		return PW_H_HASH;
	return PW_H_ANY;
}

static int emerg_emit(void *ctx, const struct pw_emerg *e)
{
	struct pw_host *h = ctx;
	struct pw_token t = {
		.line = 0, .tok = e->value, .len = strlen(e->value),
		.hint = hint_of(e->kind), .incident = e->incident,
		.expires = e->expires, .flags = PW_T_EMERGENCY,
	};

	/* a blocked name covers its subdomains unless given as *.name */
	if (t.hint == PW_H_DOMAIN && e->value[0] != '*')
		t.flags |= PW_T_TREE;
	return pw_emit_token(h, &t);
}

static int collect_emergency(struct collect *k)
{
	struct pw_host_conf hc = {
		.kind = "state", .plugin = "emergency", .source = "emergency",
		.subdomains = -1,
	};
	struct pw_host *h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
	int ret;

	if (!h)
		return -ENOMEM;
	ret = pw_state_emerg_each(k->r->st, k->r->now, false, emerg_emit, h);
	pw_host_free(h);
	return ret;
}

static int collect_allow(struct collect *k);

int pw_collect_allow(struct pw_run *r, struct pw_set *set,
		     struct pw_diag *diag)
{
	struct pw_pipeline_opts po = { .why = "allow" };
	struct collect k = { .r = r, .o = &po, .set = set, .diag = diag };

	norm_opts_from(r->cfg, &k.nopts);
	return collect_allow(&k);
}

void pw_run_norm_opts(const struct pw_run *r, struct pw_norm_opts *o)
{
	norm_opts_from(r->cfg, o);
}

static int collect_allow(struct collect *k)
{
	struct pw_config *c = k->r->cfg;
	struct pw_host_conf hc = {
		.kind = "allow", .plugin = "allow", .subdomains = -1,
		.allowlist = true,
	};
	struct pw_host *h;
	char err[512], *buf;
	size_t i, len;
	int ret = 0;

	for (i = 0; i < c->n_allow_files && !ret; i++) {
		const char *slash = strrchr(c->allow_files[i], '/');

		hc.source = slash ? slash + 1 : c->allow_files[i];
		if (pw_read_file(c->allow_files[i], c->max_body, &buf, &len,
				 err, sizeof(err))) {
			/* a missing allowlist must not widen the blocks */
			pw_msg(LOG_ERR, "allowlist: %s", err);
			return -EIO;
		}
		h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
		ret = h ? pw_allow_parse(h, buf, len) : -ENOMEM;
		pw_host_free(h);
		free(buf);
	}
	/* inline entries, own networks, and the CDN ranges */
	for (i = 0; !ret && i < 3; i++) {
		char **l = i == 0 ? c->allow_entries : c->own_networks;
		size_t n = i == 0 ? c->n_allow_entries : c->n_own, j;
		struct pw_buf {
			char *p;
			size_t len, cap;
		} b = { 0 };

		if (i == 2) {
			if (!c->cdn_guard)
				break;
			hc.source = "cdn-guard";
			h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
			ret = h ? pw_allow_parse(h, pw_builtin_cdn,
						 strlen(pw_builtin_cdn)) :
				  -ENOMEM;
			pw_host_free(h);
			break;
		}
		hc.source = i == 0 ? "allow.entries" : "own_networks";
		for (j = 0; j < n; j++) {
			size_t need = b.len + strlen(l[j]) + 2;

			if (need > b.cap) {
				char *np = realloc(b.p, need * 2);

				if (!np) {
					free(b.p);
					return -ENOMEM;
				}
				b.p = np;
				b.cap = need * 2;
			}
			memcpy(b.p + b.len, l[j], strlen(l[j]));
			b.len += strlen(l[j]);
			b.p[b.len++] = '\n';
		}
		if (b.len) {
			h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
			ret = h ? pw_allow_parse(h, b.p, b.len) : -ENOMEM;
			pw_host_free(h);
		}
		free(b.p);
	}
	return ret;
}

static int collect(struct collect *k)
{
	struct pw_set_opts so = {
		.allow_doc = k->r->cfg->permit_documentation,
		.diag = k->diag,
	};
	int ret;

	norm_opts_from(k->r->cfg, &k->nopts);
	ret = collect_allow(k);
	if (!ret)
		ret = collect_feeds(k);
	if (!ret && collect_incidents(k))
		ret = -EIO;
	if (!ret)
		ret = collect_emergency(k);
	if (ret)
		return ret;
	ret = pw_set_finalize(k->set, &so);
	if (!ret)
		pw_diag_summary(k->diag);
	return ret;
}

/* ---- guards ---- */

static unsigned long set_total(const struct pw_set *s)
{
	unsigned long t = 0;
	int kind;

	for (kind = PW_I_DOMAIN; kind <= PW_I_HASH; kind++)
		t += pw_set_count(s, (enum pw_ikind)kind);
	return t;
}

struct canary {
	char text[256];		/* canonical form, as outputs write it */
	enum pw_ikind kind;
	unsigned proto;		/* port */
	uint16_t lo, hi;	/* port */
	bool found;
};

struct canaries {
	struct canary *c;
	size_t n;
};

/* Is canary c covered by item it (equal, a port range around it, or a
   parent name that covers the names below)? */
static bool canary_covered(const struct canary *c, const struct pw_item *it)
{
	size_t cl, il;

	if (c->kind != it->kind)
		return false;
	if (!strcmp(c->text, it->value))
		return true;
	if (c->kind == PW_I_PORT)
		return (it->proto & c->proto) == c->proto &&
		       it->port_lo <= c->lo && c->hi <= it->port_hi;
	if (c->kind != PW_I_DOMAIN || !(it->flags & PW_F_SUBDOMAINS))
		return false;
	cl = strlen(c->text);
	il = strlen(it->value);
	if (it->value[0] == '*' && it->value[1] == '.') {
		il -= 2;
		return cl > il + 1 && c->text[cl - il - 1] == '.' &&
		       !strcmp(c->text + cl - il, it->value + 2);
	}
	return cl > il + 1 && c->text[cl - il - 1] == '.' &&
	       !strcmp(c->text + cl - il, it->value);
}

static int canary_seen(void *ctx, const struct pw_item *it)
{
	struct canaries *cs = ctx;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!cs->c[i].found && canary_covered(&cs->c[i], it))
			cs->c[i].found = true;
	return 0;
}

static int canaries_prepare(struct pw_run *r, struct canaries *cs,
			    const struct pw_set *s)
{
	struct pw_norm_opts o;
	struct pw_arena *a = pw_arena_new();
	struct pw_ind ind[PW_IND_MAX];
	size_t i;
	int n;

	cs->c = calloc(r->cfg->n_canaries + 1, sizeof(*cs->c));
	if (!a || !cs->c) {
		pw_arena_free(a);
		return -ENOMEM;
	}
	norm_opts_from(r->cfg, &o);
	o.allow_entry = true;
	for (i = 0; i < r->cfg->n_canaries; i++) {
		n = pw_normalize(a, &o, r->cfg->canaries[i],
				 strlen(r->cfg->canaries[i]), PW_H_ANY, 0,
				 ind);
		if (n < 1 || pw_ind_format(&ind[0], cs->c[cs->n].text,
					   sizeof(cs->c[0].text)) < 0) {
			pw_msg(LOG_WARNING, "canary '%s' is not an indicator: "
			       "%s", r->cfg->canaries[i], pw_reason_text(n));
			continue;
		}
		cs->c[cs->n].kind = (enum pw_ikind)ind[0].kind;
		cs->c[cs->n].proto = ind[0].mode;
		cs->c[cs->n].lo = ind[0].port_lo;
		cs->c[cs->n].hi = ind[0].port_hi;
		cs->n++;
	}
	pw_arena_free(a);
	return pw_set_iter(s, PW_IMASK_ALL, canary_seen, cs);
}

/* Does `text` occur in the file as a whole token? */
static bool file_has(const char *buf, size_t len, const char *text)
{
	size_t tl = strlen(text);
	const char *p = buf, *e = buf + len;

	while (p < e && (p = memmem(p, (size_t)(e - p), text, tl))) {
		char before = p > buf ? p[-1] : ' ';
		char after = p + tl < e ? p[tl] : ' ';
		bool wb = !((before >= 'a' && before <= 'z') ||
			    (before >= '0' && before <= '9') || before == '-');
		bool wa = !((after >= 'a' && after <= 'z') ||
			    (after >= '0' && after <= '9') || after == '-');

		if (wb && wa)
			return true;
		p++;
	}
	return false;
}

/* ---- outputs ---- */


static int run_command_in(const char *what, const char *cmd,
			  const char *file, const char *in, char *msg,
			  size_t cap);

/* Run a configured command through /bin/sh with %f as "$1". */
static int run_command(const char *what, const char *cmd, const char *file,
		       char *msg, size_t cap)
{
	return run_command_in(what, cmd, file, NULL, msg, cap);
}

int pw_run_command(const char *what, const char *cmd, const char *file,
		   const char *in, char *msg, size_t cap)
{
	return run_command_in(what, cmd, file, in, msg, cap);
}

/* ...with its standard input from the file `in` (NULL: inherited). */
static int run_command_in(const char *what, const char *cmd,
			  const char *file, const char *in, char *msg,
			  size_t cap)
{
	char script[2048];
	size_t i, o = 0;
	pid_t pid;
	int status;

	for (i = 0; cmd[i] && o + 8 < sizeof(script); i++) {
		if (cmd[i] == '%' && cmd[i + 1] == 'f') {
			memcpy(script + o, "\"$1\"", 4);
			o += 4;
			i++;
		} else {
			script[o++] = cmd[i];
		}
	}
	script[o] = '\0';
	pid = fork();
	if (pid < 0) {
		snprintf(msg, cap, "%s: cannot fork: %s", what,
			 strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		/* the checker's chatter goes to our stderr, not stdout */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		if (in) {
			int fd = open(in, O_RDONLY | O_CLOEXEC);

			if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
				_exit(126);
		}
		execl("/bin/sh", "sh", "-c", script, "poolwall",
		      file ? file : "", (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(msg, cap, "%s: wait: %s", what,
				 strerror(errno));
			return -errno;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(msg, cap, "%s `%s` exited with %d", what, cmd,
			 WEXITSTATUS(status));
	else
		snprintf(msg, cap, "%s `%s` was killed by signal %d", what,
			 cmd, WTERMSIG(status));
	return -ECHILD;
}

static int read_all(const char *path, char **buf, size_t *len)
{
	char err[256];

	return pw_read_file(path, 1ul << 31, buf, len, err, sizeof(err));
}

/* --dry-run: what the new file would add and remove, line by line. */
static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **split_lines(char *buf, size_t len, size_t *n)
{
	size_t cap = 1024, k = 0;
	char **v = malloc(cap * sizeof(*v)), *p = buf, *e = buf + len;

	while (v && p < e) {
		char *nl = memchr(p, '\n', (size_t)(e - p));

		if (nl)
			*nl = '\0';
		if (*p && *p != '#' && *p != ';') {
			if (k == cap) {
				char **nv = realloc(v, cap * 2 * sizeof(*v));

				if (!nv) {
					free(v);
					return NULL;
				}
				v = nv;
				cap *= 2;
			}
			v[k++] = p;
		}
		p = nl ? nl + 1 : e;
	}
	if (v)
		qsort(v, k, sizeof(*v), cmp_line);
	*n = k;
	return v;
}

static void dry_run_diff(const struct pw_output_cfg *o, const char *oldpath,
			 const char *newpath)
{
	char *nb = NULL, *ob = NULL, **nv = NULL, **ov = NULL;
	size_t nl = 0, ol = 0, nn = 0, on = 0, i = 0, j = 0;
	unsigned long add = 0, del = 0;
	const char *ex_add[3] = { 0 }, *ex_del[3] = { 0 };

	if (read_all(newpath, &nb, &nl))
		return;
	if (oldpath && read_all(oldpath, &ob, &ol)) {
		ob = NULL;
		ol = 0;
	}
	nv = split_lines(nb, nl, &nn);
	ov = ob ? split_lines(ob, ol, &on) : NULL;
	while (nv && (i < nn || j < on)) {
		int c = i == nn ? 1 : j == on ? -1 : strcmp(nv[i], ov[j]);

		if (c < 0) {
			if (add < 3)
				ex_add[add] = nv[i];
			add++;
			i++;
		} else if (c > 0) {
			if (del < 3)
				ex_del[del] = ov[j];
			del++;
			j++;
		} else {
			i++;
			j++;
		}
	}
	printf("output %s (%s): %lu lines, +%lu -%lu\n", o->name,
	       oldpath ? oldpath : "-", (unsigned long)nn, add, del);
	for (i = 0; i < 3 && ex_add[i]; i++)
		printf("  + %.200s\n", ex_add[i]);
	for (i = 0; i < 3 && ex_del[i]; i++)
		printf("  - %.200s\n", ex_del[i]);
	free(nv);
	free(ov);
	free(nb);
	free(ob);
}

static int output_plugin(struct pw_run *r, const struct pw_output_cfg *o,
			 struct pw_module **m, struct pw_conf **conf,
			 char *msg, size_t cap)
{
	size_t i;

	*conf = NULL;
	*m = pw_module_load(r->plugin_dir, PW_OUTPUT, o->plugin, msg, cap);
	if (!*m)
		return -ENOENT;
	*conf = pw_conf_new(pw_module_plugin(*m), msg, cap);
	if (!*conf)
		return -ENOMEM;
	for (i = 0; i < o->n_opts; i++)
		if (pw_conf_set(*conf, o->opts[i].key, o->opts[i].val, msg,
				cap))
			return -EINVAL;
	return pw_conf_finish(*conf, msg, cap);
}

/* output_plugin(), then the host and the plugin's state (create()) */
static int output_start(struct pw_run *r, const struct pw_output_cfg *o,
			const struct pw_host_conf *hc, struct pw_module **m,
			struct pw_conf **conf, struct pw_host **h,
			void **state, char *msg, size_t cap)
{
	int ret;

	*h = NULL;
	*state = NULL;
	ret = output_plugin(r, o, m, conf, msg, cap);
	if (ret)
		return ret;
	*h = pw_host_new(hc, NULL, NULL, NULL);
	if (!*h) {
		snprintf(msg, cap, "out of memory");
		return -ENOMEM;
	}
	ret = pw_module_plugin(*m)->create(*h, pw_conf_data(*conf), state);
	if (ret)
		snprintf(msg, cap, "cannot start: %s", strerror(-ret));
	return ret;
}

/* what output_start() made, NULL-safe */
static void output_stop(struct pw_module *m, struct pw_conf *conf,
			struct pw_host *h, void *state)
{
	if (m && state && pw_module_plugin(m)->destroy)
		pw_module_plugin(m)->destroy(state);
	pw_host_free(h);
	pw_conf_free(conf);
	pw_module_free(m);
}

/*
 * The emergency part of a split output: PATH + suffix, as an absolute
 * path (the main file includes it, and nft reads a relative include from
 * its include path, not from beside the file).
 */
static int part_path(const char *path, const char *suffix, char *buf,
		     size_t cap)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(buf, cap, "%s%s", path, suffix);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		n = snprintf(buf, cap, "%s/%s%s", cwd, path, suffix);
	}
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* Put PATH.prev back over PATH (a refused or vanished generation). */
static void restore_prev(const struct pw_output_cfg *o, const char *prev,
			 const char *path)
{
	if (rename(prev, path))
		pw_msg(LOG_ERR, "output %s: cannot restore '%s': %s", o->name,
		       path, strerror(errno));
}

/*
 * Render one file of an output into a new sink: the whole output, or one
 * part of a split one.  The sink is flushed (ready for a validator).
 */
static int render_file(const struct pw_output_cfg *o, const struct pw_plugin *p,
		       void *state, struct pw_set *s, const char *path,
		       bool cleanup, struct pw_sink **out,
		       struct pw_out_result *res)
{
	struct pw_sink *sink;
	int ret;

	*out = NULL;
	/* litter of a run that was killed: we hold the lock */
	if (cleanup && pw_sink_cleanup(path) > 0)
		pw_msg(LOG_NOTICE, "output %s: removed a temporary file "
		       "left by an interrupted run", o->name);
	sink = pw_sink_open(path, res->msg, sizeof(res->msg));
	if (!sink)
		return -EIO;
	ret = p->render(state, s, sink);
	if (ret) {
		snprintf(res->msg, sizeof(res->msg), "render failed: %s",
			 strerror(-ret));
		pw_sink_abort(sink);
		return ret;
	}
	ret = pw_sink_flush(sink, res->msg, sizeof(res->msg));
	if (ret) {
		pw_sink_abort(sink);
		return ret;
	}
	*out = sink;
	return 0;
}

/*
 * Publish one output.  The old file stays until the new one is rendered,
 * validated and renamed; it is kept as PATH.prev so a missing canary can
 * put it back.
 *
 * A split output (pw_host_split) is two files: the main one and its
 * emergency part, which the main one includes.  Both are rendered first;
 * the part goes into place before the main file is validated (the main
 * file reads it), and goes back to its previous content if the main file
 * is refused.  Each file is replaced atomically, and each is valid with
 * the other's old or new content, so a crash between the two renames
 * leaves a pair that still loads.
 */
static int publish_one(struct pw_run *r, const struct pw_pipeline_opts *po,
		       struct pw_set *s, struct canaries *cs,
		       struct pw_out_result *res, int64_t gen)
{
	const struct pw_output_cfg *o = res->o;
	struct pw_host_conf hc = {
		.kind = "output", .plugin = o->plugin, .source = o->name,
		.subdomains = -1, .target = o->path, .now = pw_run_time(),
		.generation = (uint64_t)gen, .apply_op = PW_APPLY_REFRESH,
	};
	const struct pw_plugin *p;
	struct pw_module *m = NULL;
	struct pw_conf *conf = NULL;
	struct pw_host *h = NULL;
	struct pw_sink *sink = NULL, *psink = NULL;
	char prev[PATH_MAX], ppath[PATH_MAX], pprev[PATH_MAX + 8];
	char *nb = NULL, *ob = NULL;
	const char *suffix = NULL;
	size_t nl = 0, ol = 0, i;
	void *state = NULL;
	bool had_old = false, had_pold = false;
	int ret;

	res->result = "failed";
	res->part[0] = '\0';
	ret = output_start(r, o, &hc, &m, &conf, &h, &state, res->msg,
			   sizeof(res->msg));
	if (ret)
		goto out;
	p = pw_module_plugin(m);
	if (o->path)
		suffix = pw_host_part_suffix(h);
	if (suffix) {
		ret = part_path(o->path, suffix, ppath, sizeof(ppath));
		if (!ret)
			ret = pw_host_set_part(h, PW_PART_MAIN, ppath);
		if (ret) {
			snprintf(res->msg, sizeof(res->msg), "emergency part "
				 "of '%s': %s", o->path, strerror(-ret));
			goto out;
		}
	}
	if (o->path) {
		ret = render_file(o, p, state, s, o->path, !po->dry_run,
				  &sink, res);
		if (ret)
			goto out;
		if (suffix) {
			pw_host_set_part(h, PW_PART_EMERG, ppath);
			ret = render_file(o, p, state, s, ppath,
					  !po->dry_run, &psink, res);
			if (ret)
				goto out;
		}
		if (po->dry_run) {
			if (o->validate) {
				/* against the part in place: nothing moves */
				ret = run_command("validator", o->validate,
						  pw_sink_tmp_path(sink),
						  res->msg, sizeof(res->msg));
				if (ret)
					goto out;
			}
			dry_run_diff(o, o->path, pw_sink_tmp_path(sink));
			if (psink)
				dry_run_diff(o, ppath,
					     pw_sink_tmp_path(psink));
			res->result = "dry-run";
			goto out;
		}
		if (psink) {
			/* the part first: the main file being validated
			 * reads it */
			snprintf(pprev, sizeof(pprev), "%s.prev", ppath);
			unlink(pprev);
			had_pold = link(ppath, pprev) == 0;
			ret = pw_sink_commit(psink, res->msg,
					     sizeof(res->msg));
			psink = NULL;
			if (ret)
				goto out;
		}
		if (o->validate) {
			ret = run_command("validator", o->validate,
					  pw_sink_tmp_path(sink), res->msg,
					  sizeof(res->msg));
			if (ret)
				goto restore_part;
		}
		snprintf(prev, sizeof(prev), "%s.prev", o->path);
		unlink(prev);
		had_old = link(o->path, prev) == 0;
		ret = pw_sink_commit(sink, res->msg, sizeof(res->msg));
		sink = NULL;
		if (ret)
			goto restore_part;
		if (suffix)
			snprintf(res->part, sizeof(res->part), "%s", ppath);
		/* canaries: one the old file had must still be there */
		if (had_old && !read_all(o->path, &nb, &nl) &&
		    !read_all(prev, &ob, &ol)) {
			for (i = 0; i < cs->n; i++)
				if (file_has(ob, ol, cs->c[i].text) &&
				    !file_has(nb, nl, cs->c[i].text))
					break;
			if (i < cs->n) {
				snprintf(res->msg, sizeof(res->msg),
					 "canary '%s' vanished: previous "
					 "generation restored", cs->c[i].text);
				restore_prev(o, prev, o->path);
				had_old = false;
				if (had_pold) {
					restore_prev(o, pprev, ppath);
					had_pold = false;
				}
				res->part[0] = '\0';
				ret = -EPROTO;
				goto reload;
			}
		}
	} else if (po->dry_run) {
		printf("output %s: live only (%s)\n", o->name, o->plugin);
		res->result = "dry-run";
		goto out;
	} else if (o->live_add || o->live_remove) {
		/* a command fed by block/unblock only */
		res->result = "live-only";
		goto out;
	}
	if (p->apply && !po->skip_live) {
		ret = p->apply(state, s);
		if (ret) {
			snprintf(res->msg, sizeof(res->msg), "apply failed: %s",
				 strerror(-ret));
			goto out;
		}
	}
reload:
	if (o->reload) {
		char rmsg[512];

		if (run_command("reload", o->reload, o->path, rmsg,
				sizeof(rmsg))) {
			if (!ret)
				snprintf(res->msg, sizeof(res->msg), "%s",
					 rmsg);
			ret = ret ? ret : -ECHILD;
		}
	}
	if (!ret)
		res->result = "published";
	goto out;
restore_part:
	/* the main file stays as it was: so does its part */
	if (had_pold) {
		restore_prev(o, pprev, ppath);
		had_pold = false;
	}
out:
	if (had_old)
		unlink(prev);
	if (had_pold)
		unlink(pprev);
	free(nb);
	free(ob);
	pw_sink_abort(sink);
	pw_sink_abort(psink);
	output_stop(m, conf, h, state);
	if (ret)
		pw_msg(LOG_ERR, "output %s: %s; %s", o->name, res->msg,
		       o->path ? "the old file stays" : "not applied");
	return ret;
}

/* ---- block, unblock, expire: the emergency parts alone ---- */

static int stored_emit(void *ctx, const struct pw_state_hit *e)
{
	struct pw_host *h = ctx;
	char val[320];
	struct pw_token t = {
		.line = 0, .tok = e->value, .len = strlen(e->value),
		.hint = hint_of(e->kind), .incident = e->incident,
		.expires = e->expires, .flags = PW_T_EMERGENCY,
	};

	/* names are stored bare; the flags say what they cover */
	if (t.hint == PW_H_DOMAIN) {
		if ((e->flags & PW_F_SUBDOMAINS) && !(e->flags & PW_F_SELF)) {
			int n = snprintf(val, sizeof(val), "*.%s", e->value);

			if (n < 0 || (size_t)n >= sizeof(val))
				return 0;
			t.tok = val;
			t.len = (size_t)n;
		}
		t.flags |= e->flags & PW_F_SUBDOMAINS ? PW_T_TREE : PW_T_EXACT;
	}
	return pw_emit_token(h, &t);
}

/*
 * The emergency entries alone, as `update` would find them: the live
 * blocks of the state, and the published set's other emergency-tier rows
 * (an incident file's entry with an expiry), minus the allowlist.  A few
 * rows, whatever the size of the feeds: no feed is read.
 */
static int collect_emerg_only(struct collect *k)
{
	struct pw_set_opts so = {
		.allow_doc = k->r->cfg->permit_documentation,
		.diag = k->diag,
	};
	struct pw_host_conf hc = {
		.kind = "state", .plugin = "emergency", .source = "published",
		.subdomains = -1,
	};
	struct pw_host *h;
	int ret;

	norm_opts_from(k->r->cfg, &k->nopts);
	ret = collect_allow(k);
	if (!ret)
		ret = collect_emergency(k);
	if (ret)
		return ret;
	h = pw_host_new(&hc, &k->nopts, k->set, k->diag);
	if (!h)
		return -ENOMEM;
	ret = pw_state_set_emerg_each(k->r->st, k->r->now, stored_emit, h);
	pw_host_free(h);
	if (!ret)
		ret = pw_set_finalize(k->set, &so);
	return ret;
}

/* Was the output published split, with this part, by the last run? */
static bool part_published(json_t *outs, const struct pw_output_cfg *o,
			   const char *ppath)
{
	json_t *x = json_object_get(json_object_get(outs, o->name), "part");

	return json_is_string(x) && !strcmp(json_string_value(x), ppath);
}

/*
 * Rewrite the emergency part of one split output from `es` (the
 * emergency entries alone), validated alone, then reload the output.
 * Returns 1 when the output is not split (or was not published split:
 * the main file in place may not include the part), 0 when done, or
 * -errno.
 */
static int publish_part(struct pw_run *r, struct pw_set **es,
			struct collect *k, json_t *outs,
			struct pw_out_result *res)
{
	const struct pw_output_cfg *o = res->o;
	struct pw_host_conf hc = {
		.kind = "output", .plugin = o->plugin, .source = o->name,
		.subdomains = -1, .target = o->path, .now = pw_run_time(),
		.apply_op = PW_APPLY_REFRESH,
	};
	const struct pw_plugin *p;
	struct pw_module *m = NULL;
	struct pw_conf *conf = NULL;
	struct pw_host *h = NULL;
	struct pw_sink *sink = NULL;
	char ppath[PATH_MAX];
	const char *suffix;
	void *state = NULL;
	int ret;

	res->result = "failed";
	res->part[0] = '\0';
	if (!o->path)
		return 1;
	ret = output_start(r, o, &hc, &m, &conf, &h, &state, res->msg,
			   sizeof(res->msg));
	if (ret)
		goto out;
	p = pw_module_plugin(m);
	suffix = pw_host_part_suffix(h);
	if (!suffix || part_path(o->path, suffix, ppath, sizeof(ppath)) ||
	    !part_published(outs, o, ppath)) {
		ret = 1;
		goto out;
	}
	if (!*es) {
		/* built once, for every split output */
		k->set = pw_set_new();
		ret = k->set ? collect_emerg_only(k) : -ENOMEM;
		if (ret) {
			snprintf(res->msg, sizeof(res->msg), "collecting the "
				 "emergency entries: %s", strerror(-ret));
			goto out;
		}
		*es = k->set;
	}
	pw_host_set_part(h, PW_PART_EMERG, ppath);
	ret = render_file(o, p, state, *es, ppath, true, &sink, res);
	if (!ret && o->validate)
		ret = run_command("validator", o->validate,
				  pw_sink_tmp_path(sink), res->msg,
				  sizeof(res->msg));
	if (!ret) {
		ret = pw_sink_commit(sink, res->msg, sizeof(res->msg));
		sink = NULL;
	}
	if (!ret && o->reload)
		ret = run_command("reload", o->reload, o->path, res->msg,
				  sizeof(res->msg));
	if (!ret) {
		res->result = "published";
		snprintf(res->part, sizeof(res->part), "%s", ppath);
	}
out:
	pw_sink_abort(sink);
	output_stop(m, conf, h, state);
	if (ret < 0)
		pw_msg(LOG_ERR, "output %s: emergency part: %s; the old "
		       "part stays", o->name, res->msg);
	return ret;
}

static bool output_selected(const struct pw_pipeline_opts *po,
			    const struct pw_output_cfg *o)
{
	char **n;

	if (!po->only)
		return o->enabled;
	for (n = po->only; *n; n++)
		if (!strcmp(*n, o->name))
			return true;
	return false;
}

static json_t *counts_json(const struct pw_set *s)
{
	static const char *const kinds[] = {
		[PW_I_DOMAIN] = "domain", [PW_I_IPV4] = "ipv4",
		[PW_I_IPV6] = "ipv6",	  [PW_I_PORT] = "port",
		[PW_I_URL] = "url",	  [PW_I_WALLET] = "wallet",
		[PW_I_HASH] = "hash",
	};
	json_t *j = json_object();
	int k;

	for (k = PW_I_DOMAIN; j && k <= PW_I_HASH; k++)
		json_object_set_new(j, kinds[k],
				    json_integer((json_int_t)pw_set_count(
					    s, (enum pw_ikind)k)));
	return j;
}

static int record_gen(struct pw_run *r, const char *status,
		      unsigned long total, json_t *counts, json_t *outputs,
		      bool forced, int64_t *id)
{
	char *cj = counts ? pw_json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS) :
			    NULL;
	char *oj = outputs ? pw_json_dumps(outputs,
					JSON_COMPACT | JSON_SORT_KEYS) :
			     NULL;
	struct pw_gen g = {
		.time = r->now, .status = status, .total = total,
		.counts = cj, .outputs = oj, .forced = forced,
	};
	int ret = pw_state_gen_add(r->st, &g, id);

	free(cj);
	free(oj);
	if (ret)
		pw_msg(LOG_ERR, "state: cannot record the generation");
	return ret;
}

/*
 * block, unblock, expire: the emergency part of every split output that
 * the last generation published split, from the emergency entries alone.
 * part[i] tells which outputs are done (res[i] filled); returns how many
 * failed.
 */
static unsigned long publish_parts(struct pw_run *r,
				   const struct pw_pipeline_opts *po,
				   struct pw_out_result *res, bool *part,
				   size_t *n_part)
{
	struct collect k = { .r = r, .o = po };
	struct pw_set *es = NULL;
	struct pw_gen last;
	unsigned long failed = 0;
	json_t *outs = NULL;
	char *buf = malloc(64u << 10);
	size_t i;
	int ret;

	*n_part = 0;
	k.diag = pw_diag_new(r->g->verbosity < 0 ? NULL : stderr,
			     r->g->verbosity > 0 ? 1000 : 5);
	if (buf && k.diag &&
	    !pw_state_gen_last(r->st, &last, NULL, 0, buf, 64u << 10))
		outs = json_loads(buf, 0, NULL);
	for (i = 0; outs && i < r->cfg->n_outputs; i++) {
		const struct pw_output_cfg *o = &r->cfg->outputs[i];

		res[i].o = o;
		if (!output_selected(po, o) || !strcmp(o->plugin, "metrics"))
			continue;
		ret = publish_part(r, &es, &k, outs, &res[i]);
		if (ret > 0)
			continue;	/* rendered whole below */
		part[i] = true;
		(*n_part)++;
		if (ret)
			failed++;
		else if (r->interactive)
			printf("output %s: emergency part rewritten (%s)\n",
			       o->name, res[i].part);
	}
	if (es)
		pw_diag_summary(k.diag);
	json_decref(outs);
	pw_set_free(es);
	pw_diag_free(k.diag);
	free(buf);
	return failed;
}

int pw_pipeline(struct pw_run *r, const struct pw_pipeline_opts *po)
{
	struct collect k = { .r = r, .o = po };
	struct canaries cs = { 0 };
	struct pw_out_result *res = NULL;
	struct pw_gen last;
	json_t *counts = NULL, *outs = NULL;
	unsigned long total, failed_outputs = 0, done = 0, failed_parts = 0;
	bool have_last, *part = NULL;
	size_t n_part = 0, n_whole = 0;
	int64_t gen = 0;
	int ret = PW_EXIT_ERROR;
	size_t i;

	res = calloc(r->cfg->n_outputs + 1, sizeof(*res));
	part = calloc(r->cfg->n_outputs + 1, sizeof(*part));
	if (!res || !part) {
		pw_msg(LOG_ERR, "out of memory");
		goto out;
	}
	if (po->emerg_parts && !po->dry_run) {
		failed_parts = publish_parts(r, po, res, part, &n_part);
		for (i = 0; i < r->cfg->n_outputs; i++) {
			const struct pw_output_cfg *o = &r->cfg->outputs[i];

			if (!part[i] && output_selected(po, o) &&
			    strcmp(o->plugin, "metrics"))
				n_whole++;
		}
		if (n_part && !n_whole) {
			/* nothing else to render: no feed is read, the
			 * generation stays the one published */
			ret = failed_parts ? PW_EXIT_ERROR : 0;
			goto out;
		}
	}
	k.set = pw_set_new();
	k.diag = pw_diag_new(r->g->verbosity < 0 ? NULL : stderr,
			     r->g->verbosity > 0 ? 1000 : 5);
	k.feeds = json_object();
	if (!k.set || !k.diag || !k.feeds) {
		pw_msg(LOG_ERR, "out of memory");
		goto out;
	}
	if (collect(&k)) {
		pw_msg(LOG_ERR, "%s: nothing published", po->why);
		goto out;
	}
	total = set_total(k.set);
	counts = counts_json(k.set);
	json_object_set(counts, "feeds", k.feeds);
	have_last = pw_state_gen_last(r->st, &last, NULL, 0, NULL, 0) == 0;

	/* guards, before anything is touched */
	if (!total && !po->force) {
		pw_msg(LOG_ERR, "%s refused: the result is empty (old outputs "
		       "kept; --force overrides)", po->why);
		if (!po->dry_run)
			record_gen(r, "refused", 0, counts, NULL, false, NULL);
		ret = PW_EXIT_REFUSED;
		goto out;
	}
	if (have_last && last.total && !po->force &&
	    (unsigned long long)total * 100 <
		    (unsigned long long)last.total *
			    (100 - r->cfg->shrink_guard)) {
		pw_msg(LOG_ERR, "%s refused by the shrink guard: %lu "
		       "indicators against %lu published in generation %lld "
		       "(more than %u%% lost; old outputs kept; --force "
		       "overrides)", po->why, total, last.total,
		       (long long)last.id, r->cfg->shrink_guard);
		if (!po->dry_run)
			record_gen(r, "refused", total, counts, NULL, false,
				   NULL);
		ret = PW_EXIT_REFUSED;
		goto out;
	}
	if (canaries_prepare(r, &cs, k.set)) {
		pw_msg(LOG_ERR, "out of memory");
		goto out;
	}
	for (i = 0; i < cs.n; i++)
		if (!cs.c[i].found)
			pw_msg(LOG_WARNING, "canary '%s' is not in the result "
			       "(allowlisted, or every source lost it?)",
			       cs.c[i].text);

	gen = pw_state_gen_next(r->st);
	outs = json_object();
	for (i = 0; i < r->cfg->n_outputs; i++) {
		const struct pw_output_cfg *o = &r->cfg->outputs[i];

		res[i].o = o;
		if (!output_selected(po, o)) {
			res[i].result = "skipped";
			continue;
		}
		if (!strcmp(o->plugin, "metrics")) {
			res[i].result = "metrics";	/* written last */
			continue;
		}
		if (part[i]) {
			/* its emergency part is written already */
			if (strcmp(res[i].result, "published"))
				failed_outputs++;
			else
				done++;
		} else if (publish_one(r, po, k.set, &cs, &res[i], gen)) {
			failed_outputs++;
		} else {
			done++;
		}
		json_object_set_new(outs, o->name,
				    json_pack("{s:s, s:s}", "result",
					      res[i].result, "message",
					      res[i].msg));
		if (res[i].part[0])
			json_object_set_new(json_object_get(outs, o->name),
					    "part",
					    json_string(res[i].part));
	}
	if (po->dry_run) {
		printf("dry run: %lu indicators (%s), nothing changed\n", total,
		       have_last ? "compared with the files in place" :
				   "no previous generation");
		ret = failed_outputs ? PW_EXIT_ERROR : 0;
		goto out;
	}
	if (!done && failed_outputs) {
		record_gen(r, "failed", total, counts, outs, po->force, NULL);
		ret = PW_EXIT_ERROR;
		goto out;
	}
	if (pw_state_begin(r->st) ||
	    record_gen(r, failed_outputs ? "partial" : "published", total,
		       counts, outs, po->force, &gen) ||
	    (!po->keep_set &&
	     pw_state_set_store(r->st, k.set, gen, r->now)) ||
	    pw_state_commit(r->st)) {
		pw_state_rollback(r->st);
		pw_msg(LOG_ERR, "state: cannot record generation %lld",
		       (long long)gen);
		ret = PW_EXIT_ERROR;
		goto out;
	}
	pw_metrics_write(r, k.set, res, r->cfg->n_outputs);
	if (r->interactive)
		printf("generation %lld: %lu indicators to %lu output%s%s%s\n",
		       (long long)gen, total, done, done == 1 ? "" : "s",
		       k.stale ? ", some feeds stale" : "",
		       failed_outputs ? ", some outputs failed" : "");
	ret = failed_outputs ? PW_EXIT_ERROR :
	      k.stale || k.failed ? PW_EXIT_STALE : 0;
out:
	free(cs.c);
	free(res);
	free(part);
	json_decref(counts);
	json_decref(outs);
	json_decref(k.feeds);
	pw_set_free(k.set);
	pw_diag_free(k.diag);
	return ret;
}

static void update_usage(FILE *f)
{
	fputs("Usage: poolwall update [--offline] [--dry-run] [--force] "
	      "[--output NAME]...\n"
	      "\n"
	      "Fetch the enabled feeds, merge them with the incident files and\n"
	      "the live emergency blocks, and refresh every output atomically.\n"
	      "\n"
	      "      --offline      use cached feed copies only\n"
	      "      --dry-run      show what each output would gain and lose; "
	      "change\n"
	      "                     nothing\n"
	      "      --force        publish even if the shrink guard refuses\n"
	      "      --output NAME  refresh only this output (repeatable)\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "Exit: 0 published, 1 error, 2 usage, 3 published with stale "
	      "feeds,\n"
	      "4 refused by a safety guard (old outputs kept).\n", f);
}

int pw_cmd_update(const struct pw_global *g, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "offline", no_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pw_pipeline_opts po = { .why = "update" };
	char *only[65] = { 0 };
	struct pw_run r;
	size_t n_only = 0, i;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			po.offline = true;
			break;
		case 'n':
			po.dry_run = true;
			break;
		case 'f':
			po.force = true;
			break;
		case 'O':
			if (n_only == 64) {
				pw_msg(LOG_ERR, "too many --output");
				return PW_EXIT_USAGE;
			}
			only[n_only++] = optarg;
			break;
		case 'h':
			update_usage(stdout);
			return PW_EXIT_OK;
		default:
			update_usage(stderr);
			return PW_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		update_usage(stderr);
		return PW_EXIT_USAGE;
	}
	po.only = n_only ? only : NULL;
	ret = pw_run_open(&r, g, true);
	if (ret) {
		pw_run_close(&r);
		return ret;
	}
	for (i = 0; i < n_only; i++)
		if (!pw_config_output(r.cfg, only[i])) {
			pw_msg(LOG_ERR, "--output %s: no such output", only[i]);
			pw_run_close(&r);
			return PW_EXIT_USAGE;
		}
	ret = pw_pipeline(&r, &po);
	pw_run_close(&r);
	return ret;
}
