/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The analyst's commands: block, unblock, expire, list, check, status,
 * config, export.  block and unblock write the state first, then apply:
 * live outputs (the nft emergency sets) at once, then the file outputs:
 * an output that keeps its emergency entries in a part of its own (nft)
 * gets only that part rewritten, from the emergency entries alone; every
 * other file output is regenerated from the cached feeds and reloaded.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "jsondump.h"
#include "loader.h"
#include "log.h"
#include "ops.h"
#include "sink.h"
#include "update.h"

static const char *const kind_word[] = {
	[PW_I_DOMAIN] = "domain", [PW_I_IPV4] = "ipv4", [PW_I_IPV6] = "ipv6",
	[PW_I_PORT] = "port",	  [PW_I_URL] = "url",	[PW_I_WALLET] = "wallet",
	[PW_I_HASH] = "hash",
};

static void fmt_time(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, cap, "never");
}

static void fmt_left(int64_t secs, char *buf, size_t cap)
{
	if (secs <= 0)
		snprintf(buf, cap, "expired");
	else if (secs >= 86400)
		snprintf(buf, cap, "%lldd%02lldh", (long long)(secs / 86400),
			 (long long)(secs % 86400 / 3600));
	else if (secs >= 3600)
		snprintf(buf, cap, "%lldh%02lldm", (long long)(secs / 3600),
			 (long long)(secs % 3600 / 60));
	else
		snprintf(buf, cap, "%lldm%02llds", (long long)(secs / 60),
			 (long long)(secs % 60));
}

static void json_print(json_t *j)
{
	char *s = pw_json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);

	if (s) {
		puts(s);
		free(s);
	}
	json_decref(j);
}

/* ---- reading indicators given by an analyst ---- */

/* Is every non-comment line `KIND VALUE ...` (the ioc format)? */
static bool looks_like_ioc(const char *buf, size_t len)
{
	static const char *const words[] = { "domain ", "ipv4 ", "ipv6 ",
					     "ip ",	"port ",  "url ",
					     "wallet ", "hash " };
	const char *p = buf, *e = buf + len;
	bool any = false;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p), i;

		if (n && *p != '#' && *p != '\r') {
			for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
				if (n > strlen(words[i]) &&
				    !strncmp(p, words[i], strlen(words[i])))
					break;
			if (i == sizeof(words) / sizeof(words[0]))
				return false;
			any = true;
		}
		p = nl ? nl + 1 : e;
	}
	return any;
}

/*
 * Turn IOC arguments (or "-": stdin, as ioc lines or free text) into a
 * finalized set; with `allow`, allowlisted ones are dropped.
 */
static int read_iocs(struct pw_run *r, int argc, char **argv,
		     const char *incident, int64_t expires, bool allow,
		     struct pw_set **out, unsigned long *rejected)
{
	struct pw_norm_opts no;
	struct pw_host_conf hc = {
		.kind = "input", .plugin = "args", .source = "analyst",
		.subdomains = -1, .incident = incident, .expires = expires,
		.token_flags = PW_T_EMERGENCY,
	};
	struct pw_set_opts so = { 0 };
	struct pw_set *set = pw_set_new();
	struct pw_diag *diag = pw_diag_new(stderr, 100);
	struct pw_host *h = NULL;
	char *buf = NULL, err[512];
	size_t len;
	int i, ret = -ENOMEM;

	*out = NULL;
	if (!set || !diag)
		goto out;
	pw_run_norm_opts(r, &no);
	so.allow_doc = no.allow_doc;
	so.diag = diag;
	if (allow) {
		ret = pw_collect_allow(r, set, diag);
		if (ret)
			goto out;
	}
	h = pw_host_new(&hc, &no, set, diag);
	if (!h)
		goto out;
	ret = 0;
	for (i = 0; i < argc && !ret; i++) {
		struct pw_token t = {
			.line = (unsigned)i + 1, .tok = argv[i],
			.len = strlen(argv[i]), .hint = PW_H_ANY,
			.expires = expires, .flags = PW_T_EMERGENCY,
		};

		if (strcmp(argv[i], "-") != 0) {
			ret = pw_emit_token(h, &t);
			continue;
		}
		ret = pw_read_file("-", PW_MAX_BODY, &buf, &len, err,
				   sizeof(err));
		if (ret) {
			pw_msg(LOG_ERR, "%s", err);
			break;
		}
		hc.source = "stdin";
		pw_host_free(h);
		h = pw_host_new(&hc, &no, set, diag);
		if (!h) {
			ret = -ENOMEM;
			break;
		}
		ret = pw_run_parse(r, looks_like_ioc(buf, len) ? "ioc" : "text",
				   h, buf, len);
		free(buf);
		buf = NULL;
	}
	*rejected = pw_diag_rejected(diag);
	if (!ret)
		ret = pw_set_finalize(set, &so);
	if (!ret) {
		*out = set;
		set = NULL;
	}
out:
	pw_host_free(h);
	pw_set_free(set);
	pw_diag_free(diag);
	return ret;
}

/* ---- block / unblock ---- */

struct block_ctx {
	struct pw_run *r;
	const char *incident, *reason, *who;
	int64_t expires;
	bool remove;
	unsigned long done, missing;
	int err;
};

static int block_item(void *ctx, const struct pw_item *it)
{
	struct block_ctx *b = ctx;
	char when[32];
	int ret;

	if (b->remove) {
		ret = pw_state_emerg_del(b->r->st, kind_word[it->kind],
					 it->value);
		if (ret < 0) {
			b->err = ret;
			return ret;
		}
		if (!ret) {
			pw_msg(LOG_WARNING, "%s %s: no emergency block",
			       kind_word[it->kind], it->value);
			b->missing++;
			return 0;
		}
		b->done++;
		if (b->r->interactive)
			printf("unblocked %s %s\n", kind_word[it->kind],
			       it->value);
		return 0;
	}
	{
		struct pw_emerg e = {
			.kind = kind_word[it->kind], .value = it->value,
			.incident = b->incident, .reason = b->reason,
			.who = b->who, .created = b->r->now,
			.expires = b->expires,
		};

		ret = pw_state_emerg_add(b->r->st, &e);
	}
	if (ret) {
		b->err = ret;
		return ret;
	}
	b->done++;
	fmt_time(b->expires, when, sizeof(when));
	if (b->r->interactive)
		printf("blocked %s %s%s%s\n", kind_word[it->kind], it->value,
		       b->expires ? " until " : " permanently",
		       b->expires ? when : "");
	return 0;
}

/*
 * A configured output's plugin, started: module, options, host, state.
 * out_open() returns 1 when started, 0 when the plugin has neither the
 * callback `want` asks for (apply/query) nor a live command, -1 on error.
 */
struct out_inst {
	struct pw_module *m;
	struct pw_conf *conf;
	struct pw_host *h;
	const struct pw_plugin *p;
	void *state;
};

enum out_want { OUT_APPLY, OUT_QUERY };

static int out_open(struct pw_run *r, const struct pw_output_cfg *o,
		    const struct pw_host_conf *hc, enum out_want want,
		    bool has_cmd, struct out_inst *x)
{
	char err[512];
	size_t j;
	int ret = 0;

	memset(x, 0, sizeof(*x));
	if (!o->enabled || !strcmp(o->plugin, "metrics"))
		return 0;
	x->m = pw_module_load(r->plugin_dir, PW_OUTPUT, o->plugin, err,
			      sizeof(err));
	if (!x->m)
		return 0;
	x->p = pw_module_plugin(x->m);
	if (!(want == OUT_APPLY ? (x->p->apply || has_cmd) : !!x->p->query))
		return 0;
	x->conf = pw_conf_new(x->p, err, sizeof(err));
	for (j = 0; x->conf && j < o->n_opts && !ret; j++)
		ret = pw_conf_set(x->conf, o->opts[j].key, o->opts[j].val, err,
				  sizeof(err));
	x->h = pw_host_new(hc, NULL, NULL, NULL);
	if (!x->conf || ret || !x->h ||
	    x->p->create(x->h, pw_conf_data(x->conf), &x->state)) {
		pw_msg(LOG_ERR, "output %s: cannot start", o->name);
		x->state = NULL;
		return -1;
	}
	return 1;
}

static void out_close(struct out_inst *x)
{
	if (x->state && x->p->destroy)
		x->p->destroy(x->state);
	pw_host_free(x->h);
	pw_conf_free(x->conf);
	pw_module_free(x->m);
	memset(x, 0, sizeof(*x));
}

/*
 * A live command (`live_add` / `live_remove`, e.g. unbound-control
 * local_zones): the changed items, rendered by the output's plugin, on its
 * standard input.
 */
static int live_command(struct pw_run *r, const struct pw_output_cfg *o,
			const struct pw_plugin *p, void *state,
			struct pw_set *s, const char *cmd)
{
	char path[] = "/tmp/poolwall-live-XXXXXX", err[512];
	struct pw_sink *sink;
	int fd, ret;

	fd = mkstemp(path);
	if (fd < 0) {
		pw_msg(LOG_ERR, "output %s: temporary file: %s", o->name,
		       strerror(errno));
		return -errno;
	}
	close(fd);
	sink = pw_sink_open(path, err, sizeof(err));
	if (!sink) {
		pw_msg(LOG_ERR, "output %s: %s", o->name, err);
		unlink(path);
		return -EIO;
	}
	ret = p->render(state, s, sink);
	if (ret) {
		pw_sink_abort(sink);
		pw_msg(LOG_ERR, "output %s: render failed: %s", o->name,
		       strerror(-ret));
		unlink(path);
		return ret;
	}
	ret = pw_sink_commit(sink, err, sizeof(err));
	if (!ret)
		ret = pw_run_command("live command", cmd, path, path, err,
				     sizeof(err));
	if (ret)
		pw_msg(LOG_ERR, "output %s: %s", o->name, err);
	else if (r->interactive)
		printf("output %s: live change applied\n", o->name);
	unlink(path);
	return ret;
}

/* Live outputs (nft netlink, live commands) get the change at once. */
static int apply_live(struct pw_run *r, struct pw_set *s,
		      enum pw_apply_op op)
{
	size_t i;
	int failed = 0;

	for (i = 0; i < r->cfg->n_outputs; i++) {
		const struct pw_output_cfg *o = &r->cfg->outputs[i];
		struct pw_host_conf hc = {
			.kind = "output", .plugin = o->plugin,
			.source = o->name, .subdomains = -1,
			.target = NULL, .now = r->now, .apply_op = op,
		};
		const char *cmd = op == PW_APPLY_ADD ? o->live_add :
						       o->live_remove;
		struct out_inst x;
		int ret = out_open(r, o, &hc, OUT_APPLY, cmd != NULL, &x);

		if (ret < 0)
			failed++;
		if (ret <= 0) {
			out_close(&x);
			continue;
		}
		ret = 0;
		if (x.p->apply) {
			ret = x.p->apply(x.state, s);
			if (ret)
				pw_msg(LOG_ERR, "output %s: live change failed: "
				       "%s", o->name, strerror(-ret));
		}
		if (!ret && cmd)
			ret = live_command(r, o, x.p, x.state, s, cmd);
		if (ret)
			failed++;
		out_close(&x);
	}
	return failed;
}

static const char *whoami(void)
{
	const char *u = getenv("SUDO_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

static void block_usage(FILE *f, bool remove)
{
	if (remove)
		fputs("Usage: poolwall unblock IOC...|-\n"
		      "\n"
		      "Remove emergency blocks: from the state, from live "
		      "outputs at once,\nthen from every file output.\n",
		      f);
	else
		fputs("Usage: poolwall block [--ttl DUR] [--incident ID] "
		      "[--reason TEXT]\n"
		      "                      [--no-apply] IOC...|-\n"
		      "\n"
		      "Block indicators now: a pool URL, a (defanged) domain, "
		      "an address,\n"
		      "a port, a wallet, a hash; `-` reads ioc lines (such as "
		      "`poolwall miner`\n"
		      "prints) or free text from stdin.  The state is written "
		      "first; then live\n"
		      "outputs (nft) change at once and file outputs are "
		      "regenerated.\n"
		      "\n"
		      "      --ttl DUR       expire after DUR (default 72h; 0 = "
		      "permanent)\n"
		      "      --incident ID   the incident these belong to\n"
		      "      --reason TEXT   why (kept in the state)\n"
		      "      --no-apply      write the state only\n"
		      "\n"
		      "Exit: 0 done, 1 error or some IOCs refused, 2 usage, 4 "
		      "file outputs\nrefused by a guard (the block is live and "
		      "in the state).\n",
		      f);
}

static int cmd_block(const struct pw_global *g, int argc, char **argv,
		     bool remove)
{
	static const struct option lopts[] = {
		{ "ttl", required_argument, NULL, 't' },
		{ "incident", required_argument, NULL, 'i' },
		{ "reason", required_argument, NULL, 'r' },
		{ "no-apply", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pw_pipeline_opts po = { .offline = true, .keep_set = true,
				       .skip_live = true, .emerg_parts = true };
	struct block_ctx b = { .reason = NULL };
	struct pw_set *set = NULL;
	unsigned long rejected = 0;
	int64_t ttl = 72 * 3600;
	bool no_apply = false;
	struct pw_run r;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (remove || pw_parse_duration(optarg, &ttl)) {
				pw_msg(LOG_ERR, "--ttl '%s': wants a duration "
				       "(30m, 72h, 7d; 0 = permanent)", optarg);
				return PW_EXIT_USAGE;
			}
			break;
		case 'i':
			b.incident = optarg;
			break;
		case 'r':
			b.reason = optarg;
			break;
		case 'n':
			no_apply = true;
			break;
		case 'h':
			block_usage(stdout, remove);
			return PW_EXIT_OK;
		default:
			block_usage(stderr, remove);
			return PW_EXIT_USAGE;
		}
	}
	if (optind >= argc || (remove && (b.incident || b.reason))) {
		block_usage(stderr, remove);
		return PW_EXIT_USAGE;
	}
	ret = pw_run_open(&r, g, true);
	if (ret)
		goto out;
	b.r = &r;
	b.remove = remove;
	b.who = whoami();
	b.expires = ttl ? r.now + ttl : 0;
	ret = read_iocs(&r, argc - optind, argv + optind, b.incident,
			remove ? 0 : b.expires, !remove, &set, &rejected);
	if (ret) {
		ret = PW_EXIT_ERROR;
		goto out;
	}
	if (pw_state_begin(r.st)) {
		pw_msg(LOG_ERR, "state: cannot start a transaction");
		ret = PW_EXIT_ERROR;
		goto out;
	}
	ret = pw_set_iter(set, PW_IMASK_ALL, block_item, &b);
	if (ret || pw_state_commit(r.st)) {
		pw_state_rollback(r.st);
		pw_msg(LOG_ERR, "state: cannot record the %s",
		       remove ? "unblock" : "block");
		ret = PW_EXIT_ERROR;
		goto out;
	}
	if (!b.done) {
		pw_msg(LOG_ERR, "nothing to %s", remove ? "unblock" : "block");
		ret = PW_EXIT_ERROR;
		goto out;
	}
	ret = 0;
	if (!no_apply) {
		if (apply_live(&r, set,
			       remove ? PW_APPLY_REMOVE : PW_APPLY_ADD))
			ret = PW_EXIT_ERROR;
		po.why = remove ? "unblock" : "block";
		opt = pw_pipeline(&r, &po);
		/* stale feeds are normal here: only the cache is used */
		if (opt && opt != PW_EXIT_STALE)
			ret = opt;
	}
	if (!ret && (rejected || b.missing))
		ret = PW_EXIT_ERROR;
out:
	pw_set_free(set);
	pw_run_close(&r);
	return ret;
}

int pw_cmd_block(const struct pw_global *g, int argc, char **argv)
{
	return cmd_block(g, argc, argv, false);
}

int pw_cmd_unblock(const struct pw_global *g, int argc, char **argv)
{
	return cmd_block(g, argc, argv, true);
}

/* ---- expire ---- */

int pw_cmd_expire(const struct pw_global *g, int argc, char **argv)
{
	struct pw_pipeline_opts po = { .offline = true, .why = "expire",
				       .keep_set = true, .skip_live = true,
				       .emerg_parts = true };
	struct pw_run r;
	int n, ret;

	if (argc > 1) {
		fputs("Usage: poolwall expire\n\nRemove expired emergency "
		      "blocks from the state and the file outputs\n(the "
		      "kernel expires its own).  Does nothing when nothing "
		      "expired.\n", strcmp(argv[1], "--help") &&
				     strcmp(argv[1], "-h") ? stderr : stdout);
		return strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ?
			       PW_EXIT_USAGE : PW_EXIT_OK;
	}
	ret = pw_run_open(&r, g, true);
	if (ret)
		goto out;
	n = pw_state_emerg_expire(r.st, r.now);
	if (n < 0) {
		pw_msg(LOG_ERR, "state: cannot expire");
		ret = PW_EXIT_ERROR;
	} else if (n > 0) {
		if (r.interactive)
			printf("%d emergency block%s expired\n", n,
			       n == 1 ? "" : "s");
		ret = pw_pipeline(&r, &po);
		if (ret == PW_EXIT_STALE)
			ret = 0;
	}
out:
	pw_run_close(&r);
	return ret;
}

/* ---- list ---- */

struct list_ctx {
	json_t *arr;
	int64_t now;
	unsigned long n;
};

static int list_hit(void *ctx, const struct pw_state_hit *h)
{
	struct list_ctx *l = ctx;
	char when[32];

	l->n++;
	if (l->arr) {
		json_array_append_new(
			l->arr,
			json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:I, s:I, s:I}",
				  "kind", h->kind, "value", h->value,
				  "subdomains",
				  (h->flags & PW_F_SUBDOMAINS) != 0,
				  "sources", h->sources, "incident",
				  h->incident, "first_seen",
				  (json_int_t)h->first_seen, "last_seen",
				  (json_int_t)h->last_seen, "expires",
				  (json_int_t)h->expires));
		return 0;
	}
	printf("%s %s%s", h->kind,
	       h->kind[0] == 'd' && !(h->flags & PW_F_SELF) ? "*." : "",
	       h->value);
	if (!strcmp(h->kind, "domain") && (h->flags & PW_F_SELF) &&
	    !(h->flags & PW_F_SUBDOMAINS))
		printf(" match=exact");
	if (h->incident)
		printf(" incident=%s", h->incident);
	if (h->expires) {
		fmt_time(h->expires, when, sizeof(when));
		printf(" expires=%s", when);
	}
	printf(" sources=%s\n", h->sources ? h->sources : "");
	return 0;
}

static int list_emerg(void *ctx, const struct pw_emerg *e)
{
	struct list_ctx *l = ctx;
	char when[32], left[32];

	l->n++;
	fmt_time(e->expires, when, sizeof(when));
	fmt_left(e->expires - l->now, left, sizeof(left));
	if (l->arr) {
		json_array_append_new(
			l->arr,
			json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:I, s:I}",
				  "kind", e->kind, "value", e->value,
				  "incident", e->incident, "reason", e->reason,
				  "who", e->who, "created",
				  (json_int_t)e->created, "expires",
				  (json_int_t)e->expires));
		return 0;
	}
	printf("%s %s expires=%s left=%s%s%s%s%s by=%s\n", e->kind, e->value,
	       e->expires ? when : "never", e->expires ? left : "-",
	       e->incident ? " incident=" : "", e->incident ? e->incident : "",
	       e->reason ? " reason=" : "", e->reason ? e->reason : "",
	       e->who ? e->who : "?");
	return 0;
}

int pw_cmd_list(const struct pw_global *g, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "source", required_argument, NULL, 's' },
		{ "expiring", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = NULL, *source = NULL;
	struct list_ctx l = { 0 };
	bool expiring = false, json = g->json;
	struct pw_run r;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			kind = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'e':
			expiring = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs("Usage: poolwall list [--kind K] [--source S] "
			      "[--expiring] [--json]\n\nThe published "
			      "indicators (--expiring: the emergency blocks "
			      "and their time left).\n", stdout);
			return PW_EXIT_OK;
		default:
			return PW_EXIT_USAGE;
		}
	}
	ret = pw_run_open(&r, g, false);
	if (ret)
		goto out;
	l.now = r.now;
	l.arr = json ? json_array() : NULL;
	if (expiring)
		ret = pw_state_emerg_each(r.st, r.now, false, list_emerg, &l);
	else
		ret = pw_state_set_each(r.st, kind, source, NULL, list_hit,
					&l);
	if (ret) {
		pw_msg(LOG_ERR, "state: cannot list");
		json_decref(l.arr);
		ret = PW_EXIT_ERROR;
		goto out;
	}
	if (l.arr)
		json_print(l.arr);
out:
	pw_run_close(&r);
	return ret;
}

/* ---- check ---- */

struct check_ctx {
	json_t *hits;
	const char *query;
	bool json;
};

static int check_hit(void *ctx, const struct pw_state_hit *h)
{
	struct check_ctx *c = ctx;
	char first[32], last[32], exp[32];

	fmt_time(h->first_seen, first, sizeof(first));
	fmt_time(h->last_seen, last, sizeof(last));
	fmt_time(h->expires, exp, sizeof(exp));
	if (c->json) {
		json_array_append_new(
			c->hits,
			json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:I, s:I, s:I}",
				  "kind", h->kind, "value", h->value,
				  "subdomains",
				  (h->flags & PW_F_SUBDOMAINS) != 0,
				  "sources", h->sources, "incident",
				  h->incident, "first_seen",
				  (json_int_t)h->first_seen, "last_seen",
				  (json_int_t)h->last_seen, "expires",
				  (json_int_t)h->expires));
		return 0;
	}
	printf("%s: blocked by %s %s%s (sources %s%s%s; first seen %s, last "
	       "seen %s%s%s)\n", c->query, h->kind, h->value,
	       (h->flags & PW_F_SUBDOMAINS) ? " and the names below it" : "",
	       h->sources ? h->sources : "-",
	       h->incident ? "; incident " : "", h->incident ? h->incident : "",
	       first, last, h->expires ? "; expires " : "",
	       h->expires ? exp : "");
	return 0;
}

/* Does this one allow entry (one line of an allowlist) spare `q`? */
static bool allow_line_spares(struct pw_run *r, const char *q,
			      const char *line, size_t len)
{
	struct pw_host_conf ac = {
		.kind = "allow", .plugin = "allow", .source = "allow",
		.subdomains = -1, .allowlist = true,
	};
	struct pw_host_conf hc = {
		.kind = "check", .plugin = "args", .source = "check",
		.subdomains = -1,
	};
	struct pw_set *s = pw_set_new();
	struct pw_diag *d = pw_diag_new(NULL, 0);
	struct pw_set_opts so = { .diag = d };
	struct pw_norm_opts no;
	struct pw_host *h;
	bool spared = false;

	if (!s || !d)
		goto out;
	pw_run_norm_opts(r, &no);
	so.allow_doc = no.allow_doc;
	h = pw_host_new(&ac, &no, s, d);
	if (!h)
		goto out;
	pw_allow_parse(h, line, len);
	pw_host_free(h);
	h = pw_host_new(&hc, &no, s, d);
	if (!h)
		goto out;
	pw_emit(h, 1, q, strlen(q), PW_H_ANY);
	pw_host_free(h);
	if (!pw_set_finalize(s, &so))
		spared = pw_set_stats(s)->allowed > 0;
out:
	pw_set_free(s);
	pw_diag_free(d);
	return spared;
}

/* Try each line of buf; on a match say "LABEL:LINE: entry" in why. */
static bool allow_buf_spares(struct pw_run *r, const char *q,
			     const char *label, const char *buf, size_t len,
			     char *why, size_t cap)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		line++;
		if (n && *p != '#' && allow_line_spares(r, q, p, n)) {
			snprintf(why, cap, "spared by the allowlist: %s:%u: "
				 "%.*s", label, line, (int)(n > 120 ? 120 : n),
				 p);
			return true;
		}
		p = eol ? eol + 1 : end;
	}
	return false;
}

static bool allow_list_spares(struct pw_run *r, const char *q,
			      const char *label, char **l, size_t n,
			      char *why, size_t cap)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (allow_line_spares(r, q, l[i], strlen(l[i]))) {
			snprintf(why, cap, "spared by %s: %s", label, l[i]);
			return true;
		}
	return false;
}

/* Which allow entry spares `q`, if any: file:line and the entry. */
static bool check_allowed(struct pw_run *r, const char *q, char *why,
			  size_t cap)
{
	const struct pw_config *c = r->cfg;
	char err[512], *buf;
	bool found = false;
	size_t i, len;

	for (i = 0; i < c->n_allow_files && !found; i++) {
		if (pw_read_file(c->allow_files[i], c->max_body, &buf, &len,
				 err, sizeof(err)))
			continue;
		found = allow_buf_spares(r, q, c->allow_files[i], buf, len,
					 why, cap);
		free(buf);
	}
	if (!found)
		found = allow_list_spares(r, q, "[allow] entries",
					  c->allow_entries, c->n_allow_entries,
					  why, cap) ||
			allow_list_spares(r, q, "own_networks",
					  c->own_networks, c->n_own, why, cap);
	if (!found && c->cdn_guard)
		found = allow_buf_spares(r, q, "the CDN guard (cdn-ranges.list)",
					 pw_builtin_cdn, strlen(pw_builtin_cdn),
					 why, cap);
	return found;
}

/* Emergency blocks live in their own table until the next update. */
struct emerg_check {
	const struct pw_item *q;
	struct check_ctx *c;
	int64_t now;
	int hits;
};

static bool prefix_covers(const struct pw_item *q, const char *value,
			  enum pw_ikind kind)
{
	unsigned char a[16];
	char buf[64], *slash;
	unsigned plen, i, n = kind == PW_I_IPV4 ? 4 : 16;

	snprintf(buf, sizeof(buf), "%s", value);
	slash = strchr(buf, '/');
	plen = slash ? (unsigned)atoi(slash + 1) : n * 8;
	if (slash)
		*slash = '\0';
	if (inet_pton(kind == PW_I_IPV4 ? AF_INET : AF_INET6, buf, a) != 1 ||
	    q->plen < plen)
		return false;
	for (i = 0; i < n && plen; i++) {
		unsigned bits = plen >= 8 ? 8 : plen;
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		if ((q->addr[i] & mask) != (a[i] & mask))
			return false;
		plen -= bits;
	}
	return true;
}

static int emerg_check_one(void *ctx, const struct pw_emerg *e)
{
	struct emerg_check *ec = ctx;
	const struct pw_item *q = ec->q;
	const char *v = e->value;
	struct pw_state_hit h = {
		.kind = e->kind, .value = e->value, .sources = "emergency",
		.incident = e->incident, .first_seen = e->created,
		.last_seen = e->created, .expires = e->expires,
	};
	bool hit = false;

	if (strcmp(e->kind, kind_word[q->kind]) != 0)
		return 0;
	if (q->kind == PW_I_DOMAIN) {
		size_t ql = strlen(q->value), vl;

		if (v[0] == '*' && v[1] == '.')
			v += 2;
		vl = strlen(v);
		hit = (!strcmp(q->value, v) && e->value[0] != '*') ||
		      (ql > vl && q->value[ql - vl - 1] == '.' &&
		       !strcmp(q->value + ql - vl, v));
		h.flags = e->value[0] == '*' ? PW_F_SUBDOMAINS :
					       PW_F_SELF | PW_F_SUBDOMAINS;
	} else if (q->kind == PW_I_IPV4 || q->kind == PW_I_IPV6) {
		hit = prefix_covers(q, v, q->kind);
	} else {
		hit = !strcmp(q->value, v);
	}
	if (!hit)
		return 0;
	ec->hits++;
	return check_hit(ec->c, &h);
}

int pw_cmd_check(const struct pw_global *g, int argc, char **argv)
{
	struct check_ctx c = { .json = g->json };
	json_t *all = NULL;
	int i, ret, notblocked = 0, first = 1;
	struct pw_run r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			c.json = true;
			first = i + 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs("Usage: poolwall check [--json] IOC...\n\nIs each "
			      "indicator blocked, by which sources and "
			      "incidents,\nsince when and until when, or what "
			      "spares it.\nExit: 0 all blocked, 1 some not, 2 "
			      "usage.\n", stdout);
			return PW_EXIT_OK;
		}
	}
	if (first >= argc) {
		fputs("Usage: poolwall check [--json] IOC...\n", stderr);
		return PW_EXIT_USAGE;
	}
	ret = pw_run_open(&r, g, false);
	if (ret) {
		pw_run_close(&r);
		return ret;
	}
	if (c.json)
		all = json_array();
	for (i = first; i < argc; i++) {
		struct pw_norm_opts no;
		struct pw_arena *a = pw_arena_new();
		struct pw_ind ind[PW_IND_MAX];
		struct pw_item it = { 0 };
		char text[1024], why[256] = "";
		int n, hits = 0;

		if (!strcmp(argv[i], "--json"))
			continue;
		c.query = argv[i];
		c.hits = json_array();
		pw_run_norm_opts(&r, &no);
		n = a ? pw_normalize(a, &no, argv[i], strlen(argv[i]),
				     PW_H_ANY, PW_T_EXACT, ind) :
			-PW_R_UNKNOWN;
		if (n > 0 && pw_ind_format(&ind[0], text, sizeof(text)) >= 0) {
			it.kind = (enum pw_ikind)ind[0].kind;
			it.value = text;
			it.plen = ind[0].plen;
			if (ind[0].kind == PW_I_IPV4) {
				it.addr[0] = (uint8_t)(ind[0].a.v4 >> 24);
				it.addr[1] = (uint8_t)(ind[0].a.v4 >> 16);
				it.addr[2] = (uint8_t)(ind[0].a.v4 >> 8);
				it.addr[3] = (uint8_t)ind[0].a.v4;
			} else if (ind[0].kind == PW_I_IPV6) {
				memcpy(it.addr, ind[0].a.v6, 16);
			}
			hits = pw_state_check(r.st, &it, check_hit, &c);
			if (hits < 0)
				hits = 0;
			if (!hits) {
				struct emerg_check ec = {
					.q = &it, .c = &c, .now = r.now,
				};

				pw_state_emerg_each(r.st, r.now, false,
						    emerg_check_one, &ec);
				hits = ec.hits;
			}
			if (!hits && !check_allowed(&r, argv[i], why,
						    sizeof(why)))
				snprintf(why, sizeof(why), "in no source");
		} else {
			snprintf(why, sizeof(why), "never blocked: %s",
				 pw_reason_text(n < 0 ? n : -PW_R_UNKNOWN));
		}
		if (!hits) {
			notblocked++;
			if (!c.json)
				printf("%s: not blocked (%s)\n", argv[i], why);
		}
		if (c.json)
			json_array_append_new(
				all, json_pack("{s:s, s:b, s:o, s:s?}", "query",
					       argv[i], "blocked", hits > 0,
					       "hits", c.hits, "reason",
					       hits ? NULL : why));
		else
			json_decref(c.hits);
		pw_arena_free(a);
	}
	if (all)
		json_print(all);
	pw_run_close(&r);
	return notblocked ? PW_EXIT_ERROR : PW_EXIT_OK;
}

/* ---- live read-back (nft counters and offenders) ---- */

int pw_live_each(struct pw_run *r, int what,
		 int (*cb)(void *ctx, const struct pw_stat *st),
		 struct live_q *lq)
{
	size_t i;
	int failed = 0;

	for (i = 0; i < r->cfg->n_outputs; i++) {
		const struct pw_output_cfg *o = &r->cfg->outputs[i];
		struct pw_host_conf hc = {
			.kind = "output", .plugin = o->plugin,
			.source = o->name, .subdomains = -1, .now = r->now,
		};
		struct out_inst x;
		int ret = out_open(r, o, &hc, OUT_QUERY, false, &x);

		if (ret < 0)
			failed++;
		if (ret > 0) {
			lq->output = o->name;
			ret = x.p->query(x.state, what, cb, lq);
			if (ret) {
				pw_msg(LOG_ERR, "output %s: cannot read back: "
				       "%s", o->name, strerror(-ret));
				failed++;
			}
		}
		out_close(&x);
	}
	return failed;
}

static int hits_stat(void *ctx, const struct pw_stat *st)
{
	struct live_q *lq = ctx;
	char age[32], left[32];

	if (lq->window && st->age >= 0 && st->age > lq->window)
		return 0;
	lq->n++;
	if (lq->json) {
		json_array_append_new(
			lq->arr,
			json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "output",
				  lq->output, "address", st->name, "packets",
				  (json_int_t)st->packets, "bytes",
				  (json_int_t)st->bytes, "last_hit_ago",
				  (json_int_t)st->age, "forgotten_in",
				  (json_int_t)st->left));
		return 0;
	}
	fmt_left(st->age, age, sizeof(age));
	fmt_left(st->left, left, sizeof(left));
	printf("%-40s %10llu packets %12llu bytes  last hit %s ago, "
	       "forgotten in %s  (%s)\n", st->name,
	       (unsigned long long)st->packets,
	       (unsigned long long)st->bytes, st->age >= 0 ? age : "?",
	       left, lq->output);
	return 0;
}

int pw_cmd_hits(const struct pw_global *g, int argc, char **argv)
{
	struct live_q lq = { .json = g->json, .window = 24 * 3600 };
	struct pw_run r;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			lq.json = true;
		} else if (!strcmp(argv[i], "--window") && i + 1 < argc &&
			   !pw_parse_duration(argv[i + 1], &lq.window)) {
			i++;
		} else {
			fputs("Usage: poolwall hits [--window DUR] [--json]\n\n"
			      "Internal hosts that hit a block in the last DUR "
			      "(default 24h; 0: all\nthe kernel remembers), "
			      "with packets, bytes and time left, read from\n"
			      "the live outputs (nft offender sets).\n",
			      strcmp(argv[i], "--help") ? stderr : stdout);
			return strcmp(argv[i], "--help") ? PW_EXIT_USAGE :
							   PW_EXIT_OK;
		}
	}
	/* the kernel is the state here: no database needed */
	memset(&r, 0, sizeof(r));
	r.g = g;
	r.lock_fd = -1;
	r.now = (int64_t)time(NULL);
	r.plugin_dir = pw_plugin_dir(g->plugin_dir);
	if (pw_config_load(&r.cfg, g->config, g->state_dir, NULL, stderr))
		return PW_EXIT_ERROR;
	lq.arr = lq.json ? json_array() : NULL;
	ret = pw_live_each(&r, PW_Q_OFFENDERS, hits_stat, &lq) ? PW_EXIT_ERROR :
							     PW_EXIT_OK;
	if (lq.arr)
		json_print(lq.arr);
	else if (!lq.n && !ret)
		printf("no host hit a block in the window\n");
	pw_config_free(r.cfg);
	return ret;
}

static int status_counter(void *ctx, const struct pw_stat *st)
{
	struct live_q *lq = ctx;

	if (lq->json) {
		json_array_append_new(
			lq->arr, json_pack("{s:s, s:s, s:I, s:I}", "output",
					   lq->output, "counter", st->name,
					   "packets", (json_int_t)st->packets,
					   "bytes", (json_int_t)st->bytes));
		return 0;
	}
	printf("  %-12s %-28s %10llu packets %12llu bytes\n", lq->output,
	       st->name, (unsigned long long)st->packets,
	       (unsigned long long)st->bytes);
	return 0;
}

/* ---- status ---- */

struct status_ctx {
	struct pw_run *r;
	json_t *feeds, *emerg;
	bool json;
};

static int status_feed(void *ctx, const struct pw_feed_status *f)
{
	struct status_ctx *s = ctx;
	const struct pw_feed_cfg *fc = pw_config_feed(s->r->cfg, f->name);
	int64_t age = f->fetched_at ? s->r->now - f->fetched_at : -1;
	bool stale = !f->status || !strcmp(f->status, "stale") ||
		     !strcmp(f->status, "failed") ||
		     (fc && age > 2 * fc->refresh);
	char left[32];

	if (s->json) {
		json_array_append_new(
			s->feeds,
			json_pack("{s:s, s:s?, s:s?, s:I, s:b, s:I, s:I, s:s?}",
				  "name", f->name, "url", f->url, "status",
				  f->status, "age", (json_int_t)age, "stale",
				  stale, "accepted", (json_int_t)f->accepted,
				  "rejected", (json_int_t)f->rejected, "error",
				  f->error));
		return 0;
	}
	fmt_left(age, left, sizeof(left));
	printf("  %-24s %-9s age %-8s %lu accepted, %lu rejected%s%s\n",
	       f->name, f->status ? f->status : "?", age < 0 ? "-" : left,
	       f->accepted, f->rejected, stale ? "  STALE" : "",
	       f->error ? "" : "");
	if (f->error)
		printf("    %s\n", f->error);
	return 0;
}

static int status_emerg(void *ctx, const struct pw_emerg *e)
{
	struct status_ctx *s = ctx;
	char left[32];

	fmt_left(e->expires - s->r->now, left, sizeof(left));
	if (s->json) {
		json_array_append_new(
			s->emerg,
			json_pack("{s:s, s:s, s:s?, s:I, s:I}", "kind", e->kind,
				  "value", e->value, "incident", e->incident,
				  "expires", (json_int_t)e->expires, "left",
				  (json_int_t)(e->expires ?
						       e->expires - s->r->now :
						       0)));
		return 0;
	}
	printf("  %s %s  %s%s%s\n", e->kind, e->value,
	       e->expires ? left : "permanent",
	       e->incident ? "  incident " : "", e->incident ? e->incident : "");
	return 0;
}

int pw_cmd_status(const struct pw_global *g, int argc, char **argv)
{
	struct status_ctx s = { .json = g->json };
	char counts[4096], outputs[8192], when[32];
	struct pw_gen last;
	struct pw_run r;
	bool have;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--json")) {
		s.json = true;
	} else if (argc > 1) {
		fputs("Usage: poolwall status [--json]\n\nFeeds with age and "
		      "staleness, outputs with their last result, active\n"
		      "emergency blocks with time left, the last generation.\n",
		      strcmp(argv[1], "--help") ? stderr : stdout);
		return strcmp(argv[1], "--help") ? PW_EXIT_USAGE : PW_EXIT_OK;
	}
	ret = pw_run_open(&r, g, false);
	if (ret) {
		pw_run_close(&r);
		return ret;
	}
	s.r = &r;
	have = pw_state_gen_last(r.st, &last, counts, sizeof(counts), outputs,
				 sizeof(outputs)) == 0;
	if (s.json) {
		json_t *j = json_object();

		s.feeds = json_array();
		s.emerg = json_array();
		pw_state_feed_each(r.st, status_feed, &s);
		pw_state_emerg_each(r.st, r.now, false, status_emerg, &s);
		json_object_set_new(j, "feeds", s.feeds);
		json_object_set_new(j, "emergency", s.emerg);
		{
			struct live_q lq = { .json = true,
					     .arr = json_array() };

			pw_live_each(&r, PW_Q_COUNTERS, status_counter, &lq);
			json_object_set_new(j, "counters", lq.arr);
		}
		if (have)
			json_object_set_new(
				j, "generation",
				json_pack("{s:I, s:I, s:I, s:o?, s:o?}", "id",
					  (json_int_t)last.id, "time",
					  (json_int_t)last.time, "total",
					  (json_int_t)last.total, "counts",
					  json_loads(counts, 0, NULL),
					  "outputs",
					  json_loads(outputs, 0, NULL)));
		json_print(j);
	} else {
		if (have) {
			fmt_time(last.time, when, sizeof(when));
			printf("generation %lld at %s: %lu indicators\n",
			       (long long)last.id, when, last.total);
			printf("outputs: %s\n", outputs[0] ? outputs : "-");
		} else {
			printf("no generation published yet\n");
		}
		printf("feeds:\n");
		pw_state_feed_each(r.st, status_feed, &s);
		printf("emergency blocks:\n");
		pw_state_emerg_each(r.st, r.now, false, status_emerg, &s);
		{
			struct live_q lq = { 0 };

			printf("live counters:\n");
			pw_live_each(&r, PW_Q_COUNTERS, status_counter, &lq);
		}
	}
	pw_run_close(&r);
	return 0;
}

/* ---- config ---- */

int pw_cmd_config(const struct pw_global *g, int argc, char **argv)
{
	struct pw_config *c = NULL;
	bool check = argc > 1 && !strcmp(argv[1], "--check");
	int ret;

	if (argc > 2 || (argc == 2 && !check)) {
		fputs("Usage: poolwall config [--check]\n\nCheck the "
		      "configuration and print the effective one, defaults\n"
		      "included (--check: only check).  Exit 0 valid, 1 "
		      "not.\n", strcmp(argv[1], "--help") ? stderr : stdout);
		return strcmp(argv[1], "--help") ? PW_EXIT_USAGE : PW_EXIT_OK;
	}
	ret = pw_config_load(&c, g->config, g->state_dir,
			     pw_plugin_dir(g->plugin_dir), stderr);
	if (ret)
		return PW_EXIT_ERROR;
	if (check)
		printf("%s: configuration OK\n",
		       c->path ? c->path : "built-in defaults");
	else
		pw_config_print(c, stdout);
	pw_config_free(c);
	return PW_EXIT_OK;
}

/* ---- export ---- */

struct export_ctx {
	FILE *f;
};

static int export_hit(void *ctx, const struct pw_state_hit *h)
{
	struct export_ctx *e = ctx;
	char when[32];

	fprintf(e->f, "%s %s%s", h->kind,
		!strcmp(h->kind, "domain") && !(h->flags & PW_F_SELF) ? "*." :
									 "",
		h->value);
	if (!strcmp(h->kind, "domain") && (h->flags & PW_F_SELF) &&
	    !(h->flags & PW_F_SUBDOMAINS))
		fputs(" match=exact", e->f);
	if (h->flags & PW_F_MONITOR)
		fputs(" tier=monitor", e->f);
	if (h->incident)
		fprintf(e->f, " incident=%s", h->incident);
	if (h->expires) {
		fmt_time(h->expires, when, sizeof(when));
		fprintf(e->f, " expires=%s", when);
	}
	if (h->sources && *h->sources)
		fprintf(e->f, " sources=%s", h->sources);
	fputc('\n', e->f);
	return 0;
}

struct export_emerg {
	FILE *f;
	const char *incident;
};

/* live emergency blocks, which reach the stored set at the next update */
static int export_emerg(void *ctx, const struct pw_emerg *e)
{
	struct export_emerg *x = ctx;
	char when[32];

	if (x->incident && (!e->incident || strcmp(x->incident, e->incident)))
		return 0;
	fprintf(x->f, "%s %s", e->kind, e->value);
	if (e->incident)
		fprintf(x->f, " incident=%s", e->incident);
	if (e->expires) {
		fmt_time(e->expires, when, sizeof(when));
		fprintf(x->f, " expires=%s", when);
	}
	fputs(" sources=emergency\n", x->f);
	return 0;
}

/* Does output plugin NAME take an `incident` option (one document per
   incident)? */
static bool export_takes_incident(const struct pw_global *g, const char *t)
{
	char name[64], err[256];
	struct pw_module *m;
	size_t n = strcspn(t, ":");
	bool has;

	if (n >= sizeof(name))
		return false;
	memcpy(name, t, n);
	name[n] = '\0';
	m = pw_module_load(pw_plugin_dir(g->plugin_dir), PW_OUTPUT, name, err,
			   sizeof(err));
	if (!m)
		return false;
	has = pw_conf_has(pw_module_plugin(m), "incident");
	pw_module_free(m);
	return has;
}

int pw_cmd_export(const struct pw_global *g, int argc, char **argv)
{
	char path[] = "/tmp/poolwall-export-XXXXXX";
	const char *incident = NULL;
	struct export_ctx e = { 0 };
	char *args[200], spec[sizeof(path) + 8], incopt[64][160];
	int n = 0, i, fd, ret, n_inc = 0;
	struct pw_run r;

	args[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--incident") && i + 1 < argc) {
			incident = argv[++i];
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc && n < 130) {
			args[n++] = argv[i];
			args[n++] = argv[++i];
			/* one document per incident where the plugin can */
			if (n_inc < 64 && export_takes_incident(g, argv[i]))
				n_inc++;
			else
				continue;
			snprintf(incopt[n_inc - 1], sizeof(incopt[0]),
				 "%.*s.incident=", (int)strcspn(argv[i], ":"),
				 argv[i]);
		} else if (!strcmp(argv[i], "-O") && i + 1 < argc && n < 130) {
			args[n++] = argv[i];
			args[n++] = argv[++i];
		} else {
			fputs("Usage: poolwall export [--incident ID] -t "
			      "OUTPUT[:PATH]... [-O NAME.KEY=VALUE]...\n\nRender "
			      "the published set (or one incident's "
			      "indicators) with any\noutput plugin, e.g. an "
			      "OpenIOC document for the EDR.\n",
			      strcmp(argv[i], "--help") ? stderr : stdout);
			return strcmp(argv[i], "--help") ? PW_EXIT_USAGE :
							   PW_EXIT_OK;
		}
	}
	if (n == 1) {
		pw_msg(LOG_ERR, "export: give at least one -t OUTPUT");
		return PW_EXIT_USAGE;
	}
	ret = pw_run_open(&r, g, false);
	if (ret) {
		pw_run_close(&r);
		return ret;
	}
	fd = mkstemp(path);
	e.f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!e.f) {
		pw_msg(LOG_ERR, "export: temporary file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		pw_run_close(&r);
		return PW_EXIT_ERROR;
	}
	ret = pw_state_set_each(r.st, NULL, NULL, incident, export_hit, &e);
	if (!ret) {
		struct export_emerg x = { .f = e.f, .incident = incident };

		ret = pw_state_emerg_each(r.st, r.now, false, export_emerg, &x);
	}
	pw_run_close(&r);
	if (fclose(e.f) || ret) {
		pw_msg(LOG_ERR, "export: cannot read the state");
		unlink(path);
		return PW_EXIT_ERROR;
	}
	snprintf(spec, sizeof(spec), "ioc:%s", path);
	for (i = 0; incident && i < n_inc; i++) {
		size_t l = strlen(incopt[i]);

		snprintf(incopt[i] + l, sizeof(incopt[0]) - l, "%s", incident);
		args[n++] = (char *)"-O";
		args[n++] = incopt[i];
	}
	args[n++] = (char *)"-i";
	args[n++] = spec;
	args[n++] = (char *)"--permit-documentation";
	args[n] = NULL;
	ret = pw_cmd_compile(g, n, args);
	unlink(path);
	return ret;
}
