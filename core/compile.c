/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `poolwall compile`: files or stdin in, files or stdout out; no config,
 * no state, no root.  Every input is parsed before any output is opened,
 * so an input error leaves no output behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "compile.h"
#include "diag.h"
#include "host.h"
#include "loader.h"
#include "log.h"
#include "normalize.h"
#include "set.h"
#include "sink.h"

#define MAX_SPECS 64

struct spec {
	enum pw_kind kind;
	char *name;		/* plugin name */
	const char *path;	/* input path / output path ("-" stdout) */
	const char *source;	/* feed: provenance name */
	struct pw_module *mod;
	struct pw_conf *conf;
	int subdomains;		/* feed: -1 plugin default */
	bool monitor;
};

struct compile {
	const struct pw_global *g;
	struct spec in[MAX_SPECS], out[MAX_SPECS];
	size_t n_in, n_out;
	const char *allow;
	const char *opts[MAX_SPECS];	/* -O NAME.KEY=VALUE */
	size_t n_opts;
	bool stats, allow_doc;
	struct pw_set *set;
	struct pw_diag *diag;
	struct pw_norm_opts nopts;
	char err[512];
};

int pw_read_file(const char *path, size_t cap, char **buf, size_t *len,
		 char *err, size_t errlen)
{
	size_t size = 0, alloc = 1 << 16;
	char *b = NULL, *nb;
	int fd, ret = 0;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
			 strerror(errno));
		return -errno;
	}
	b = malloc(alloc + 1);
	if (!b)
		goto nomem;
	for (;;) {
		ssize_t r;

		if (size == alloc) {
			if (alloc > cap) {
				snprintf(err, errlen,
					 "'%s' is larger than %zu bytes, "
					 "refused", path, cap);
				ret = -EFBIG;
				goto out;
			}
			alloc *= 2;
			nb = realloc(b, alloc + 1);
			if (!nb)
				goto nomem;
			b = nb;
		}
		r = read(fd, b + size, alloc - size);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read '%s': %s", path,
				 strerror(errno));
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		size += (size_t)r;
	}
	if (size > cap) {
		snprintf(err, errlen, "'%s' is larger than %zu bytes, refused",
			 path, cap);
		ret = -EFBIG;
		goto out;
	}
	b[size] = '\0';
	*buf = b;
	*len = size;
	b = NULL;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory reading '%s'", path);
	ret = -ENOMEM;
out:
	free(b);
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;
}

static void compile_usage(FILE *f)
{
	fputs("Usage: poolwall compile [-i FORMAT:PATH]... [--allow FILE]\n"
	      "                        [-t OUTPUT[:PATH]]... [-O NAME.KEY=VALUE]...\n"
	      "                        [--permit-documentation] [--stats]\n"
	      "\n"
	      "Turn feeds into outputs: no configuration, no state, no root.\n"
	      "\n"
	      "  -i, --input FORMAT:PATH   read PATH (- for stdin) with feed plugin\n"
	      "                            FORMAT; repeatable.  Without -i, the\n"
	      "                            built-in pool list and stratum ports\n"
	      "  -t, --output OUTPUT[:PATH]\n"
	      "                            render with output plugin OUTPUT to PATH\n"
	      "                            (default - for stdout); repeatable.\n"
	      "                            Without -t, `ioc` to stdout\n"
	      "  -a, --allow FILE          never block what FILE lists: `name`,\n"
	      "                            `.name` (and below), `*.name` (below\n"
	      "                            only), addresses, CIDRs, ranges\n"
	      "  -O NAME.KEY=VALUE         set option KEY of plugin NAME (see\n"
	      "                            `poolwall plugins NAME`); for feeds also\n"
	      "                            NAME.subdomains=yes|no, NAME.monitor=yes\n"
	      "      --permit-documentation  allow the RFC 5737/3849 documentation\n"
	      "                            ranges (tests and examples)\n"
	      "      --stats               per-input counts on stderr\n"
	      "  -h, --help                this help\n"
	      "\n"
	      "Exit: 0 done, 1 error (no output written), 2 usage.\n", f);
}

static int spec_parse(struct compile *c, enum pw_kind kind, char *arg)
{
	struct spec *s;
	char *colon = strchr(arg, ':');

	if (kind == PW_FEED && c->n_in == MAX_SPECS)
		return -ENOSPC;
	if (kind == PW_OUTPUT && c->n_out == MAX_SPECS)
		return -ENOSPC;
	s = kind == PW_FEED ? &c->in[c->n_in++] : &c->out[c->n_out++];
	s->kind = kind;
	s->subdomains = -1;
	if (colon)
		*colon = '\0';
	s->name = arg;
	s->path = colon ? colon + 1 : NULL;
	if (kind == PW_FEED) {
		const char *slash;

		if (!s->path || !*s->path) {
			pw_msg(LOG_ERR, "-i %s: needs FORMAT:PATH", arg);
			return -EINVAL;
		}
		slash = strrchr(s->path, '/');
		s->source = strcmp(s->path, "-") == 0 ? "stdin" :
			    slash ? slash + 1 : s->path;
	}
	if (s->path && !*s->path)
		s->path = NULL;
	return 0;
}

static int spec_load(struct compile *c, struct spec *s)
{
	const char *dir = pw_plugin_dir(c->g->plugin_dir);

	s->mod = pw_module_load(dir, s->kind, s->name, c->err,
				sizeof(c->err));
	if (!s->mod)
		return errno ? -errno : -ENOENT;
	s->conf = pw_conf_new(pw_module_plugin(s->mod), c->err,
			      sizeof(c->err));
	if (!s->conf)
		return errno ? -errno : -EINVAL;
	return 0;
}

/* -O NAME.KEY=VALUE: to every instance of plugin NAME that has KEY. */
static int compile_apply_opts(struct compile *c)
{
	size_t i, j;

	for (i = 0; i < c->n_opts; i++) {
		const char *o = c->opts[i], *dot = strchr(o, '.');
		const char *eq = dot ? strchr(dot, '=') : NULL;
		char name[64], key[64];
		bool used = false;

		if (!dot || !eq || dot == o || (size_t)(dot - o) >= sizeof(name) ||
		    (size_t)(eq - dot - 1) >= sizeof(key) || eq == dot + 1) {
			pw_msg(LOG_ERR, "-O '%s': expected NAME.KEY=VALUE", o);
			return -EINVAL;
		}
		memcpy(name, o, (size_t)(dot - o));
		name[dot - o] = '\0';
		memcpy(key, dot + 1, (size_t)(eq - dot - 1));
		key[eq - dot - 1] = '\0';
		for (j = 0; j < c->n_in + c->n_out; j++) {
			struct spec *s = j < c->n_in ? &c->in[j] :
						       &c->out[j - c->n_in];
			int b;

			if (strcmp(s->name, name) != 0)
				continue;
			if (s->kind == PW_FEED &&
			    (strcmp(key, "subdomains") == 0 ||
			     strcmp(key, "monitor") == 0)) {
				if (pw_parse_bool(eq + 1, &b)) {
					pw_msg(LOG_ERR,
					       "-O %s: wants yes or no", o);
					return -EINVAL;
				}
				if (key[0] == 's')
					s->subdomains = b;
				else
					s->monitor = b;
				used = true;
				continue;
			}
			if (!pw_conf_has(pw_module_plugin(s->mod), key))
				continue;
			if (pw_conf_set(s->conf, key, eq + 1, c->err,
					sizeof(c->err))) {
				pw_msg(LOG_ERR, "-O %s: %s", o, c->err);
				return -EINVAL;
			}
			used = true;
		}
		if (!used) {
			pw_msg(LOG_ERR, "-O %s: no -i or -t plugin '%s' takes "
			       "option '%s'", o, name, key);
			return -EINVAL;
		}
	}
	return 0;
}

static int compile_feed(struct compile *c, struct spec *s)
{
	const struct pw_plugin *p = pw_module_plugin(s->mod);
	struct pw_host_conf hc = {
		.kind = "feed", .plugin = p->name, .source = s->source,
		.subdomains = s->subdomains, .monitor = s->monitor,
	};
	const struct pw_feed_stats *st;
	struct pw_host *h;
	void *state = NULL;
	char *buf = NULL;
	size_t len = 0;
	int err;

	h = pw_host_new(&hc, &c->nopts, c->set, c->diag);
	if (!h) {
		pw_msg(LOG_ERR, "feed %s: out of memory", s->source);
		return -ENOMEM;
	}
	err = pw_read_file(s->path, PW_MAX_BODY, &buf, &len, c->err,
			   sizeof(c->err));
	if (err) {
		pw_msg(LOG_ERR, "%s%s", pw_host_prefix(h), c->err);
		goto out;
	}
	err = p->create(h, pw_conf_data(s->conf), &state);
	if (err) {
		pw_msg(LOG_ERR, "%scannot start: %s", pw_host_prefix(h),
		       strerror(-err));
		goto out;
	}
	err = p->parse(state, buf, len);
	if (err)
		pw_msg(LOG_ERR, "%sparse failed: %s", pw_host_prefix(h),
		       strerror(-err));
	if (p->destroy)
		p->destroy(state);
	st = pw_host_stats(h);
	if (c->stats)
		fprintf(stderr,
			"stats: input %s format %s tokens %lu accepted %lu "
			"rejected %lu skipped %lu indicators %lu\n",
			s->source, p->name, st->tokens, st->accepted,
			st->rejected, st->skipped, st->indicators);
out:
	free(buf);
	pw_host_free(h);
	return err;
}

static int compile_builtin(struct compile *c)
{
	struct pw_host_conf hc = {
		.kind = "feed", .plugin = "builtin", .source = "builtin",
		.subdomains = -1,
	};
	struct pw_host *h = pw_host_new(&hc, &c->nopts, c->set, c->diag);
	int err;

	if (!h) {
		pw_msg(LOG_ERR, "built-in data: out of memory");
		return -ENOMEM;
	}
	err = pw_builtin_parse(h);
	if (err)
		pw_msg(LOG_ERR, "built-in data: %s", strerror(-err));
	if (c->stats) {
		const struct pw_feed_stats *st = pw_host_stats(h);

		fprintf(stderr,
			"stats: input builtin format builtin tokens %lu "
			"accepted %lu rejected %lu skipped %lu indicators %lu\n",
			st->tokens, st->accepted, st->rejected, st->skipped,
			st->indicators);
	}
	pw_host_free(h);
	return err;
}

static int compile_allow(struct compile *c)
{
	const char *slash = strrchr(c->allow, '/');
	struct pw_host_conf hc = {
		.kind = "allow", .plugin = "allow",
		.source = slash ? slash + 1 : c->allow, .subdomains = -1,
		.allowlist = true,
	};
	struct pw_host *h = pw_host_new(&hc, &c->nopts, c->set, c->diag);
	char *buf = NULL;
	size_t len;
	int err;

	if (!h) {
		pw_msg(LOG_ERR, "allowlist: out of memory");
		return -ENOMEM;
	}
	err = pw_read_file(c->allow, PW_MAX_BODY, &buf, &len, c->err,
			   sizeof(c->err));
	if (err) {
		pw_msg(LOG_ERR, "allowlist: %s", c->err);
	} else {
		err = pw_allow_parse(h, buf, len);
		if (err)
			pw_msg(LOG_ERR, "allowlist %s: %s", c->allow,
			       strerror(-err));
	}
	free(buf);
	pw_host_free(h);
	return err;
}

static int compile_output(struct compile *c, struct spec *s)
{
	const struct pw_plugin *p = pw_module_plugin(s->mod);
	struct pw_host_conf hc = {
		.kind = "output", .plugin = p->name,
		.source = s->path ? s->path : "-", .subdomains = -1,
		.target = s->path && strcmp(s->path, "-") ? s->path : NULL,
	};
	struct pw_sink *o = NULL;
	struct pw_host *h;
	void *state = NULL;
	int err;

	h = pw_host_new(&hc, &c->nopts, NULL, NULL);
	if (!h) {
		pw_msg(LOG_ERR, "output %s: out of memory", p->name);
		return -ENOMEM;
	}
	err = p->create(h, pw_conf_data(s->conf), &state);
	if (err) {
		pw_msg(LOG_ERR, "%scannot start: %s", pw_host_prefix(h),
		       strerror(-err));
		goto out;
	}
	o = pw_sink_open(s->path, c->err, sizeof(c->err));
	if (!o) {
		pw_msg(LOG_ERR, "%s%s", pw_host_prefix(h), c->err);
		err = -EIO;
		goto out;
	}
	err = p->render(state, c->set, o);
	if (err) {
		pw_msg(LOG_ERR, "%srender failed: %s; '%s' left as it was",
		       pw_host_prefix(h), strerror(-err),
		       s->path ? s->path : "-");
		pw_sink_abort(o);
		goto out;
	}
	err = pw_sink_commit(o, c->err, sizeof(c->err));
	if (err) {
		pw_msg(LOG_ERR, "%s%s", pw_host_prefix(h), c->err);
		goto out;
	}
	/* a live output (nft mode=netlink) applies after its file is safe */
	if (p->apply) {
		err = p->apply(state, c->set);
		if (err)
			pw_msg(LOG_ERR, "%sapply failed: %s", pw_host_prefix(h),
			       strerror(-err));
	}
out:
	if (p->destroy)
		p->destroy(state);
	pw_host_free(h);
	return err;
}

static void compile_free(struct compile *c)
{
	size_t i;

	for (i = 0; i < c->n_in; i++) {
		pw_conf_free(c->in[i].conf);
		pw_module_free(c->in[i].mod);
	}
	for (i = 0; i < c->n_out; i++) {
		pw_conf_free(c->out[i].conf);
		pw_module_free(c->out[i].mod);
	}
	pw_set_free(c->set);
	pw_diag_free(c->diag);
}

static void compile_summary(struct compile *c)
{
	const struct pw_set_stats *st = pw_set_stats(c->set);
	static const char *const kinds[] = {
		[PW_I_DOMAIN] = "domains", [PW_I_IPV4] = "ipv4",
		[PW_I_IPV6] = "ipv6", [PW_I_PORT] = "ports",
		[PW_I_URL] = "urls", [PW_I_WALLET] = "wallets",
		[PW_I_HASH] = "hashes",
	};
	int k;

	if (!c->stats)
		return;
	fputs("stats: result", stderr);
	for (k = PW_I_DOMAIN; k <= PW_I_HASH; k++)
		fprintf(stderr, " %s %zu", kinds[k],
			pw_set_count(c->set, (enum pw_ikind)k));
	fprintf(stderr, " duplicates %lu covered %lu allowed %lu "
		"reserved %lu aggregated %lu rejected %lu\n",
		st->duplicates, st->covered, st->allowed, st->reserved,
		st->aggregated, pw_diag_rejected(c->diag));
}

int pw_cmd_compile(const struct pw_global *g, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 't' },
		{ "allow", required_argument, NULL, 'a' },
		{ "option", required_argument, NULL, 'O' },
		{ "stats", no_argument, NULL, 's' },
		{ "permit-documentation", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct compile *c = calloc(1, sizeof(*c));
	struct pw_set_opts so = { 0 };
	char def_out[] = "ioc";
	int opt, err = 0, ret = PW_EXIT_ERROR;
	size_t i;

	if (!c) {
		pw_msg(LOG_ERR, "out of memory");
		return PW_EXIT_ERROR;
	}
	c->g = g;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+i:t:a:O:h", lopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'i':
			err = spec_parse(c, PW_FEED, optarg);
			break;
		case 't':
			err = spec_parse(c, PW_OUTPUT, optarg);
			break;
		case 'a':
			c->allow = optarg;
			break;
		case 'O':
			if (c->n_opts == MAX_SPECS)
				err = -ENOSPC;
			else
				c->opts[c->n_opts++] = optarg;
			break;
		case 's':
			c->stats = true;
			break;
		case 'D':
			c->allow_doc = true;
			break;
		case 'h':
			compile_usage(stdout);
			ret = PW_EXIT_OK;
			goto out;
		default:
			compile_usage(stderr);
			ret = PW_EXIT_USAGE;
			goto out;
		}
		if (err) {
			if (err == -ENOSPC)
				pw_msg(LOG_ERR, "too many -i, -t or -O");
			ret = PW_EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		pw_msg(LOG_ERR, "compile: unexpected argument '%s'",
		       argv[optind]);
		compile_usage(stderr);
		ret = PW_EXIT_USAGE;
		goto out;
	}
	if (!c->n_out)
		spec_parse(c, PW_OUTPUT, def_out);
	for (i = 0; i < c->n_in + c->n_out; i++) {
		struct spec *s = i < c->n_in ? &c->in[i] : &c->out[i - c->n_in];

		err = spec_load(c, s);
		if (err) {
			/* a name that is not a plugin is a usage error */
			pw_msg(LOG_ERR, "%s", c->err);
			ret = err == -ENOENT || err == -EINVAL ? PW_EXIT_USAGE
							       : PW_EXIT_ERROR;
			goto out;
		}
	}
	if (compile_apply_opts(c)) {
		ret = PW_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < c->n_in + c->n_out; i++) {
		struct spec *s = i < c->n_in ? &c->in[i] : &c->out[i - c->n_in];

		if (pw_conf_finish(s->conf, c->err, sizeof(c->err))) {
			pw_msg(LOG_ERR, "%s", c->err);
			ret = PW_EXIT_USAGE;
			goto out;
		}
	}

	pw_norm_opts_default(&c->nopts);
	c->nopts.allow_doc = c->allow_doc;
	c->set = pw_set_new();
	c->diag = pw_diag_new(g->verbosity < 0 ? NULL : stderr,
			      g->verbosity > 0 ? 1000 : 5);
	if (!c->set || !c->diag) {
		pw_msg(LOG_ERR, "out of memory");
		goto out;
	}
	if (c->allow && compile_allow(c))
		goto out;
	if (!c->n_in && compile_builtin(c))
		goto out;
	for (i = 0; i < c->n_in; i++)
		if (compile_feed(c, &c->in[i]))
			goto out;
	so.allow_doc = c->allow_doc;
	so.diag = c->diag;
	if (pw_set_finalize(c->set, &so)) {
		pw_msg(LOG_ERR, "out of memory while merging");
		goto out;
	}
	pw_diag_summary(c->diag);
	compile_summary(c);
	ret = PW_EXIT_OK;
	for (i = 0; i < c->n_out; i++)
		if (compile_output(c, &c->out[i]))
			ret = PW_EXIT_ERROR;
out:
	compile_free(c);
	free(c);
	return ret;
}

static void extract_usage(FILE *f)
{
	fputs("Usage: poolwall extract [FILE|-]\n"
	      "\n"
	      "Find indicators in free text (a report, a chat log, a defanged\n"
	      "IoC list) and print them as `ioc` lines, which `poolwall block -`\n"
	      "and `poolwall compile -i ioc:-` accept.  Reads stdin by default.\n",
	      f);
}

int pw_cmd_extract(const struct pw_global *g, int argc, char **argv)
{
	char in[] = "text:-", out[] = "ioc";
	char spec[4096];
	char *args[8];
	int n = 0;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		extract_usage(stdout);
		return PW_EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		extract_usage(stderr);
		return PW_EXIT_USAGE;
	}
	args[n++] = argv[0];
	args[n++] = (char *)"-i";
	if (argc == 2) {
		int k = snprintf(spec, sizeof(spec), "text:%s", argv[1]);

		if (k < 0 || (size_t)k >= sizeof(spec)) {
			pw_msg(LOG_ERR, "extract: path too long");
			return PW_EXIT_USAGE;
		}
		args[n++] = spec;
	} else {
		args[n++] = in;
	}
	args[n++] = (char *)"-t";
	args[n++] = out;
	args[n] = NULL;
	return pw_cmd_compile(g, n, args);
}

struct list_ctx {
	const char *dir;
	enum pw_kind kind;
	const char *only;	/* NULL: one line each; else details */
	bool asciidoc;		/* --asciidoc: man page sections */
	int found, bad;
};

static void plugins_details(const struct pw_plugin *p, const char *path)
{
	const struct pw_option *o;

	printf("%s plugin %s: %s\n  file: %s\n", p->kind == PW_FEED ?
	       "feed" : "output", p->name, p->summary ? p->summary : "",
	       path);
	if (!p->options || !p->options->name) {
		printf("  options: none\n");
		return;
	}
	printf("  options:\n");
	for (o = p->options; o->name; o++)
		printf("    %-16s %-8s %s%s%s%s\n", o->name,
		       pw_opt_type_name(o->type), o->help ? o->help : "",
		       o->def ? " [default: " : " [required]",
		       o->def ? o->def : "", o->def ? "]" : "");
}

/*
 * Text from a plugin, as asciidoc that shows it verbatim: the inline pass
 * macro with special characters escaped for the backend; `]` ends the
 * macro, so it is escaped, and so is a backslash that would escape it.
 */
static void adoc_text(const char *s)
{
	fputs("pass:c[", stdout);
	for (; *s; s++) {
		if (*s == ']' || (*s == '\\' && (s[1] == ']' || !s[1])))
			putchar('\\');
		putchar(*s);
		/* a long list may break after a comma (troff \:) */
		if (*s == ',' && s[1] && s[1] != ' ')
			fputs("]{zwsp}pass:c[", stdout);
	}
	putchar(']');
}

/*
 * `poolwall plugins --asciidoc`: a section per plugin with its option
 * table, which the build includes in poolwall.conf(5) and
 * poolwall-plugins(7), so the pages always show the options of the
 * plugins that were built.
 */
static void plugins_asciidoc(const struct pw_plugin *p)
{
	const char *kind = p->kind == PW_FEED ? "feed" : "output";
	const struct pw_option *o;

	printf("=== %s plugin %s\n\n", kind, p->name);
	if (p->summary && *p->summary) {
		adoc_text(p->summary);
		fputs(".\n\n", stdout);
	}
	printf("File `%s_%s.so` in the plugin directory.  Used by `%s = %s` "
	       "in %s `[%s NAME]` section, or by `poolwall compile %s "
	       "%s%s`.\n\n", kind, p->name,
	       p->kind == PW_FEED ? "format" : "plugin", p->name,
	       p->kind == PW_FEED ? "a" : "an", kind,
	       p->kind == PW_FEED ? "-i" : "-t", p->name,
	       p->kind == PW_FEED ? ":PATH" : "[:PATH]");
	if (!p->options || !p->options->name) {
		printf("No options of its own.\n\n");
		return;
	}
	printf("Options (in the section, or `-O %s.KEY=VALUE`):\n\n",
	       p->name);
	for (o = p->options; o->name; o++) {
		printf("*%s* = _%s_", o->name, pw_opt_type_name(o->type));
		if (!o->def) {
			fputs(" (required)", stdout);
		} else if (!*o->def) {
			fputs(" (default: empty)", stdout);
		} else {
			fputs(" (default: ", stdout);
			adoc_text(o->def);
			putchar(')');
		}
		fputs("::\n  ", stdout);
		adoc_text(o->help && *o->help ? o->help : "(no description)");
		fputs("\n", stdout);
	}
	putchar('\n');
}

static int plugins_one(void *ctx, const char *name, const char *path)
{
	struct list_ctx *l = ctx;
	const struct pw_plugin *p;
	struct pw_module *m;
	char err[512];

	if (l->only && strcmp(l->only, name) != 0)
		return 0;
	m = pw_module_load(l->dir, l->kind, name, err, sizeof(err));
	if (!m) {
		pw_msg(LOG_WARNING, "%s", err);
		l->bad++;
		return 0;
	}
	p = pw_module_plugin(m);
	l->found++;
	if (l->asciidoc)
		plugins_asciidoc(p);
	else if (l->only)
		plugins_details(p, path);
	else
		printf("%-7s %-12s %s\n", l->kind == PW_FEED ? "feed" :
		       "output", p->name, p->summary ? p->summary : "");
	pw_module_free(m);
	return 0;
}

static void plugins_usage(FILE *f)
{
	fputs("Usage: poolwall plugins [--asciidoc] [NAME]\n"
	      "\n"
	      "List the feed and output plugins found in the plugin directory,\n"
	      "or describe plugin NAME and its options.\n"
	      "\n"
	      "      --asciidoc  print each plugin (or NAME) and its options as\n"
	      "                  asciidoc, for the manual pages\n"
	      "  -h, --help      this help\n", f);
}

int pw_cmd_plugins(const struct pw_global *g, int argc, char **argv)
{
	struct list_ctx l = { .dir = pw_plugin_dir(g->plugin_dir) };
	int err, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			plugins_usage(stdout);
			return PW_EXIT_OK;
		}
		if (strcmp(argv[i], "--asciidoc") == 0) {
			l.asciidoc = true;
			continue;
		}
		if (argv[i][0] == '-' || l.only) {
			plugins_usage(stderr);
			return PW_EXIT_USAGE;
		}
		l.only = argv[i];
	}
	for (l.kind = PW_FEED; l.kind <= PW_OUTPUT; l.kind++) {
		err = pw_plugin_scan(l.dir, l.kind, plugins_one, &l);
		if (err) {
			pw_msg(LOG_ERR, "plugin directory '%s': %s", l.dir,
			       strerror(-err));
			return PW_EXIT_ERROR;
		}
	}
	if (l.only && !l.found) {
		pw_msg(LOG_ERR, "no plugin '%s' in '%s'", l.only, l.dir);
		return PW_EXIT_ERROR;
	}
	if (!l.found)
		pw_msg(LOG_WARNING, "no plugins in '%s'", l.dir);
	return l.bad ? PW_EXIT_ERROR : PW_EXIT_OK;
}
