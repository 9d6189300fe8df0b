/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Miner command lines; see cmdline-parse.h.
 *
 * A line is cut into words as a POSIX shell would (quotes, backslashes,
 * `;` `&` `&&` `|` `||` `(` `)` and redirections), except that a
 * backslash before an ordinary character stays, so Windows paths such as
 * `C:\WINDOWS\system32\winlogui.exe` survive.  Each simple command is
 * then looked at: a cron time spec or `@reboot`, `ExecStart=`, variable
 * assignments and wrappers (nohup, setsid, nice, sudo, env, taskset,
 * cpulimit, timeout, screen ...) are passed over; `sh -c STRING` and any
 * quoted word that holds a whole miner command are read again, a few
 * levels deep.  The miner's pool options are then collected: every -o
 * starts a pool, and the -u, -p, --tls, -a ... after it belong to it.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline-parse.h"

#define CP_N(a) (sizeof(a) / sizeof((a)[0]))

struct cp_word {
	char *s;
	bool op;		/* ; & && | || ( ) or a newline */
	bool redir;		/* the target of a redirection */
};

struct cp_words {
	struct cp_word *w;
	size_t n, cap;
};

struct cp_ctx {
	struct pw_miner *m;
	unsigned line;
};

static int cp_line(struct cp_ctx *c, const char *s, size_t len,
		   unsigned depth);

static void cp_words_free(struct cp_words *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i].s);
	free(ws->w);
	ws->w = NULL;
	ws->n = ws->cap = 0;
}

/* append the word held in buf[0..len) */
static int cp_push(struct cp_words *ws, const char *buf, size_t len, bool op,
		   bool redir)
{
	struct cp_word *w;
	char *s;

	if (ws->n == PW_CMDLINE_MAX_WORDS)
		return -ENOSPC;
	if (ws->n == ws->cap) {
		size_t cap = ws->cap ? 2 * ws->cap : 32;

		w = realloc(ws->w, cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		ws->w = w;
		ws->cap = cap;
	}
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, buf, len);
	s[len] = '\0';
	ws->w[ws->n].s = s;
	ws->w[ws->n].op = op;
	ws->w[ws->n].redir = redir;
	ws->n++;
	return 0;
}

static bool cp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* characters a backslash escapes outside quotes */
static bool cp_special(char c)
{
	return cp_space(c) || c == '\n' ||
	       (c && strchr("\\'\"$`;&|<>()#*?[]{}!~", c));
}

static bool cp_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/*
 * Cut s[0..len) into words.  buf holds the word being built (len bytes
 * are enough: a word never grows past its source).
 */
static int cp_tokenize(const char *s, size_t len, struct cp_words *ws)
{
	char *buf = malloc(len + 1);
	size_t i = 0, n = 0;
	bool inword = false, redir = false;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (i < len) {
		char c = s[i];
		size_t k;

		if (c == '<') {
			/* -u <wallet>, http://<attacker-ip>/: redactions in
			   reports, not redirections */
			for (k = i + 1; k < len && k - i < 64 &&
			     ((s[k] >= 'a' && s[k] <= 'z') ||
			      (s[k] >= 'A' && s[k] <= 'Z') ||
			      (s[k] >= '0' && s[k] <= '9') || s[k] == '_' ||
			      s[k] == '-'); k++)
				;
			if (k < len && k > i + 1 && s[k] == '>' &&
			    (k + 1 == len || !strchr("&|>", s[k + 1]))) {
				memcpy(buf + n, s + i, k + 1 - i);
				n += k + 1 - i;
				i = k + 1;
				inword = true;
				continue;
			}
		}
		if (cp_space(c) || c == '\n' || c == ';' || c == '&' ||
		    c == '|' || c == '(' || c == ')' || c == '`' ||
		    c == '<' || c == '>') {
			/* 2>&1: the digits are a file descriptor */
			if (inword && (c == '<' || c == '>') &&
			    cp_digits(buf, n)) {
				inword = false;
				n = 0;
			}
			if (inword) {
				err = cp_push(ws, buf, n, false, redir);
				if (err)
					goto out;
				redir = false;
				inword = false;
				n = 0;
			}
			if (c == '<' || c == '>' ||
			    (c == '&' && i + 1 < len && s[i + 1] == '>')) {
				/* >file >>file >&2 &>file <file */
				i++;
				while (i < len && (s[i] == '>' || s[i] == '&' ||
						   s[i] == '|'))
					i++;
				redir = true;
				continue;
			}
			if (!cp_space(c)) {
				err = cp_push(ws, &c, 1, true, false);
				if (err)
					goto out;
				redir = false;
			}
			i++;
			continue;
		}
		if (c == '#' && !inword) {
			/* a comment runs to the end of the line */
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		inword = true;
		if (c == '\'' ||
		    (c == '$' && i + 1 < len && s[i + 1] == '\'')) {
			i += c == '$' ? 2 : 1;
			while (i < len && s[i] != '\'')
				buf[n++] = s[i++];
			i++;
			continue;
		}
		if (c == '"') {
			i++;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len &&
				    strchr("$`\"\\\n", s[i + 1]))
					i++;
				buf[n++] = s[i++];
			}
			i++;
			continue;
		}
		if (c == '\\' && i + 2 < len && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			/* a CRLF line continued */
			i += 3;
			continue;
		}
		if (c == '\\' && i + 1 < len && cp_special(s[i + 1])) {
			if (s[i + 1] != '\n')
				buf[n++] = s[i + 1];
			i += 2;
			continue;
		}
		if (c == '$' && i + 1 < len && s[i + 1] == '(') {
			/* $( starts a command of its own */
			if (n) {
				err = cp_push(ws, buf, n, false, redir);
				if (err)
					goto out;
				redir = false;
			}
			err = cp_push(ws, "(", 1, true, false);
			if (err)
				goto out;
			inword = false;
			n = 0;
			i += 2;
			continue;
		}
		buf[n++] = c;
		i++;
	}
	if (inword)
		err = cp_push(ws, buf, n, false, redir);
out:
	free(buf);
	/* a line over the word cap is read as far as it goes */
	return err == -ENOSPC ? 0 : err;
}

/* the name of a program: no directory, lower case, no .exe */
static void cp_base(const char *prog, char *out, size_t cap)
{
	const char *b = prog, *p;
	size_t n, i;

	for (p = prog; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	n = strlen(b);
	if (n > 4 && !strcasecmp(b + n - 4, ".exe"))
		n -= 4;
	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 'a' - 'A' : b[i];
	out[n] = '\0';
}

int pw_miner_program_kind(const char *prog, const char **kind)
{
	static const struct {
		const char *part, *kind;
	} names[] = {
		{ "xmrig", "xmrig" },
		{ "xmr-stak", "xmr-stak" },
		{ "xmrstak", "xmr-stak" },
		{ "cpuminer", "cpuminer" },
		{ "minerd", "cpuminer" },
		{ "miner", NULL },	/* ccminer, t-rex, lolminer, ... */
		{ "t-rex", NULL },
		{ "xmr", NULL },
	};
	char b[256];
	size_t i;

	*kind = NULL;
	cp_base(prog, b, sizeof(b));
	for (i = 0; i < CP_N(names); i++)
		if (strstr(b, names[i].part)) {
			*kind = names[i].kind;
			return 1;
		}
	return 0;
}

/* programs whose -o is a file, never a pool */
static bool cp_denied(const char *base)
{
	static const char *const tools[] = {
		"curl", "wget", "ssh", "scp", "sftp", "rsync", "tar", "git",
		"openssl", "mount", "dd", "cp", "mv", "ln", "chmod", "chown",
		"chattr", "rm", "mkdir", "cat", "sort", "gcc", "cc", "clang",
		"ld", "gzip", "zip", "unzip", "base64", "objcopy", "ps",
	};
	size_t i;

	for (i = 0; i < CP_N(tools); i++)
		if (!strcmp(base, tools[i]))
			return true;
	return false;
}

static const struct cp_wrapper {
	const char *name;
	const char *valopts;	/* short options that take a value */
	unsigned positional;	/* arguments before the command */
} cp_wrappers[] = {
	{ "nohup", "", 0 },	{ "setsid", "", 0 },
	{ "nice", "n", 0 },	{ "ionice", "cnp", 0 },
	{ "sudo", "ugCDprhT", 0 }, { "doas", "uC", 0 },
	{ "env", "uCS", 0 },	{ "exec", "a", 0 },
	{ "taskset", "", 1 },	{ "cpulimit", "lpe", 0 },
	{ "timeout", "sk", 1 },	{ "stdbuf", "ioe", 0 },
	{ "chrt", "", 1 },	{ "screen", "SLcp", 0 },
	{ "command", "", 0 },	{ "builtin", "", 0 },
	{ "time", "", 0 },	{ "chroot", "", 1 },
	{ "runuser", "ug", 0 },	{ "unbuffer", "", 0 },
	{ "torsocks", "", 0 },	{ "proxychains", "f", 0 },
	{ "proxychains4", "f", 0 }, { "flock", "w", 1 },
	{ "busybox", "", 0 },	{ "xargs", "", 0 },
};

static const char *const cp_shells[] = {
	"sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "fish",
};

static const struct cp_wrapper *cp_wrapper(const char *base)
{
	size_t i;

	for (i = 0; i < CP_N(cp_wrappers); i++)
		if (!strcmp(base, cp_wrappers[i].name))
			return &cp_wrappers[i];
	return NULL;
}

static bool cp_shell(const char *base)
{
	size_t i;

	for (i = 0; i < CP_N(cp_shells); i++)
		if (!strcmp(base, cp_shells[i]))
			return true;
	return false;
}

static bool cp_assignment(const char *s)
{
	size_t i;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	      *s == '_'))
		return false;
	for (i = 1; s[i] && s[i] != '='; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return s[i] == '=';
}

/* a cron time field: 5, *, 1-5, 0,30, every tenth minute, mon-fri, jan */
static bool cp_cron_field(const char *s)
{
	size_t i, run = 0;
	bool num = false;

	if (!*s || strlen(s) > 32)
		return false;
	for (i = 0; ; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			run++;
			continue;
		}
		/* names are three letters */
		if (run && run != 3)
			return false;
		run = 0;
		if (!c)
			break;
		if ((c >= '0' && c <= '9') || c == '*')
			num = true;
		else if (c != '/' && c != ',' && c != '-')
			return false;
	}
	return num || strlen(s) >= 3;
}

static bool cp_cron_word(const char *s)
{
	static const char *const at[] = {
		"@reboot", "@yearly", "@annually", "@monthly", "@weekly",
		"@daily", "@midnight", "@hourly",
	};
	size_t i;

	for (i = 0; i < CP_N(at); i++)
		if (!strcmp(s, at[i]))
			return true;
	return false;
}

/* does this word hold a whole miner command of its own? */
static bool cp_nested(const char *s)
{
	static const char *const marks[] = {
		"-o ", "--url", "--pool", "-pool ", "-epool ", "-P ",
		"stratum+", "stratum1+", "stratum2+",
	};
	size_t i;

	if (!strpbrk(s, " \t"))
		return false;
	for (i = 0; i < CP_N(marks); i++)
		if (strstr(s, marks[i]))
			return true;
	return false;
}

enum cp_opt {
	CP_URL = 1, CP_USER, CP_PASS, CP_USERPASS, CP_TLS, CP_ALGO, CP_COIN,
	CP_RIG, CP_CONFIG, CP_DONATE, CP_DAEMON, CP_NICEHASH, CP_PORT,
};

static const struct {
	const char *name;
	enum cp_opt opt;
	bool value;
} cp_opts[] = {
	{ "-o", CP_URL, true },		{ "--url", CP_URL, true },
	{ "--pool", CP_URL, true },	{ "-pool", CP_URL, true },
	{ "-P", CP_URL, true },		{ "-epool", CP_URL, true },
	{ "--server", CP_URL, true },	{ "--port", CP_PORT, true },
	{ "-u", CP_USER, true },	{ "--user", CP_USER, true },
	{ "--username", CP_USER, true }, { "-wal", CP_USER, true },
	{ "--wallet", CP_USER, true },	{ "-ewal", CP_USER, true },
	{ "-p", CP_PASS, true },	{ "--pass", CP_PASS, true },
	{ "--password", CP_PASS, true }, { "-pass", CP_PASS, true },
	{ "-epsw", CP_PASS, true },	{ "-psw", CP_PASS, true },
	{ "-O", CP_USERPASS, true },	{ "--userpass", CP_USERPASS, true },
	{ "--tls", CP_TLS, false },	{ "--ssl", CP_TLS, false },
	{ "-a", CP_ALGO, true },	{ "--algo", CP_ALGO, true },
	{ "--algorithm", CP_ALGO, true }, { "-algo", CP_ALGO, true },
	{ "--coin", CP_COIN, true },	{ "-coin", CP_COIN, true },
	{ "--currency", CP_COIN, true },
	{ "--rig-id", CP_RIG, true },	{ "--rigid", CP_RIG, true },
	{ "--worker", CP_RIG, true },	{ "-worker", CP_RIG, true },
	{ "-rig", CP_RIG, true },
	{ "-c", CP_CONFIG, true },	{ "--config", CP_CONFIG, true },
	{ "-C", CP_CONFIG, true },	{ "--poolconf", CP_CONFIG, true },
	{ "--donate-level", CP_DONATE, true },
	{ "--donate", CP_DONATE, true },
	{ "--daemon", CP_DAEMON, false },
	{ "--nicehash", CP_NICEHASH, false },
};

/* what -u, -p, --tls ... said before the first -o */
struct cp_pending {
	const char *user, *pass, *userpass, *rig;
	int tls, nicehash, daemon;
	unsigned long port;
	/* for the whole miner, kept only if the command is one */
	const char *algo, *coin, *config, *donate;
};

static int cp_flag(const char *v)
{
	if (!v)
		return 1;
	return !(!strcasecmp(v, "false") || !strcmp(v, "0") ||
		 !strcasecmp(v, "no") || !strcasecmp(v, "off"));
}

/* a pool URL, with a user:pass@ part moved to the login */
static int cp_set_url(struct pw_mpool *p, const char *v)
{
	struct pw_murl u;
	const char *colon;
	char *url;
	size_t sl, rest;
	int err;

	if (pw_miner_split_url(v, &u) || !u.user_len)
		return pw_miner_set(&p->url, v, strlen(v));
	colon = memchr(u.user, ':', u.user_len);
	err = pw_miner_set(&p->user, u.user,
			   colon ? (size_t)(colon - u.user) : u.user_len);
	if (!err && colon)
		err = pw_miner_set(&p->pass, colon + 1,
				   u.user_len - (size_t)(colon + 1 - u.user));
	if (err)
		return err;
	sl = u.scheme_len ? u.scheme_len + 3 : 0;
	rest = strlen(u.user + u.user_len + 1);
	url = malloc(sl + rest + 1);
	if (!url)
		return -ENOMEM;
	memcpy(url, v, sl);
	memcpy(url + sl, u.user + u.user_len + 1, rest + 1);
	free(p->url);
	p->url = url;
	return 0;
}

static int cp_userpass(struct pw_mpool *p, const char *v)
{
	const char *colon = strchr(v, ':');
	int err;

	err = pw_miner_set(&p->user, v, colon ? (size_t)(colon - v) :
					    strlen(v));
	if (!err && colon)
		err = pw_miner_set(&p->pass, colon + 1, strlen(colon + 1));
	return err;
}

static int cp_pending_apply(struct pw_mpool *p, const struct cp_pending *pd)
{
	int err = 0;

	if (pd->userpass && !p->user)
		err = cp_userpass(p, pd->userpass);
	if (!err && pd->user && !p->user)
		err = pw_miner_set(&p->user, pd->user, strlen(pd->user));
	if (!err && pd->pass && !p->pass)
		err = pw_miner_set(&p->pass, pd->pass, strlen(pd->pass));
	if (!err && pd->rig)
		err = pw_miner_set(&p->rig_id, pd->rig, strlen(pd->rig));
	if (pd->tls >= 0)
		p->tls = pd->tls;
	if (pd->nicehash >= 0)
		p->nicehash = pd->nicehash;
	if (pd->daemon > 0)
		p->daemon = true;
	return err;
}

/* --port N of gminer-style --server HOST */
static int cp_port(struct pw_mpool *p, unsigned long port)
{
	struct pw_murl u;
	char *url;
	size_t n;

	if (!p->url || port > 65535 || pw_miner_split_url(p->url, &u) ||
	    u.port)
		return 0;
	n = strlen(p->url) + 8;
	url = malloc(n);
	if (!url)
		return -ENOMEM;
	snprintf(url, n, "%s:%lu", p->url, port);
	free(p->url);
	p->url = url;
	return 0;
}

/*
 * *curp is the index of the pool the options apply to (SIZE_MAX: none yet),
 * never a pointer: a nested command line (sh -c '...') may add pools and
 * move m->pools in between.
 */
static int cp_option(struct cp_ctx *c, enum cp_opt opt, const char *v,
		     size_t *curp, struct cp_pending *pd, size_t first,
		     bool *any)
{
	struct pw_miner *m = c->m;
	struct pw_mpool *p = *curp < m->n_pools ? &m->pools[*curp] : NULL;
	char *end;
	int err;

	switch (opt) {
	case CP_URL:
		err = pw_miner_add(m, PW_MROLE_POOL, c->line, &p);
		if (err)
			return err;
		*curp = m->n_pools - 1;
		*any = true;
		err = cp_set_url(p, v);
		if (!err && m->n_pools - 1 == first)
			err = cp_pending_apply(p, pd);
		if (!err && pd->port)
			err = cp_port(p, pd->port);
		return err;
	case CP_PORT:
		pd->port = strtoul(v, &end, 10);
		if (*end)
			pd->port = 0;
		return p ? cp_port(p, pd->port) : 0;
	case CP_USER:
		if (p)
			return pw_miner_set(&p->user, v, strlen(v));
		pd->user = v;
		return 0;
	case CP_PASS:
		if (p)
			return pw_miner_set(&p->pass, v, strlen(v));
		pd->pass = v;
		return 0;
	case CP_USERPASS:
		if (p)
			return cp_userpass(p, v);
		pd->userpass = v;
		return 0;
	case CP_RIG:
		if (p)
			return pw_miner_set(&p->rig_id, v, strlen(v));
		pd->rig = v;
		return 0;
	case CP_TLS:
		if (p)
			p->tls = cp_flag(v);
		else
			pd->tls = cp_flag(v);
		return 0;
	case CP_NICEHASH:
		if (p)
			p->nicehash = cp_flag(v);
		else
			pd->nicehash = cp_flag(v);
		return 0;
	case CP_DAEMON:
		if (p)
			p->daemon = cp_flag(v);
		else
			pd->daemon = cp_flag(v);
		return 0;
	case CP_ALGO:
		if (p)
			return pw_miner_set(&p->algo, v, strlen(v));
		pd->algo = v;
		return 0;
	case CP_COIN:
		if (p)
			return pw_miner_set(&p->coin, v, strlen(v));
		pd->coin = v;
		return 0;
	case CP_CONFIG:
		if (!pd->config)
			pd->config = v;
		return 0;
	case CP_DONATE:
		pd->donate = v;
		return 0;
	}
	return 0;
}

/* what the command says about the miner as a whole */
static int cp_commit(struct pw_miner *m, const struct cp_pending *pd,
		     const char *prog, const char *kind)
{
	char *end;
	int err = 0;

	if (!m->program)
		err = pw_miner_set(&m->program, prog, strlen(prog));
	if (!err && pd->algo && !m->algo)
		err = pw_miner_set(&m->algo, pd->algo, strlen(pd->algo));
	if (!err && pd->coin && !m->coin)
		err = pw_miner_set(&m->coin, pd->coin, strlen(pd->coin));
	if (!err && pd->config && !m->config)
		err = pw_miner_set(&m->config, pd->config, strlen(pd->config));
	if (pd->donate) {
		m->donate = (int)strtol(pd->donate, &end, 10);
		if (*end || end == pd->donate)
			m->donate = -1;
	}
	if (kind && !m->kind) {
		m->kind = kind;
		m->kind_why = "program name";
	} else if (pd->donate && !m->kind) {
		m->kind = "xmrig";
		m->kind_why = "option --donate-level";
	}
	return err;
}

static void cp_rollback(struct pw_miner *m, size_t first)
{
	while (m->n_pools > first) {
		struct pw_mpool *p = &m->pools[--m->n_pools];

		free(p->url);
		free(p->user);
		free(p->pass);
		free(p->rig_id);
		free(p->coin);
		free(p->algo);
	}
}

/* skip what a wrapper takes: returns the index of the next command word */
static size_t cp_skip_wrapper(const struct cp_wrapper *w, char *const *argv,
			      size_t argc, size_t i)
{
	unsigned pos = w->positional;

	while (i < argc) {
		const char *a = argv[i];
		size_t n = strlen(a);

		if (!strcmp(a, "--"))
			return i + 1;
		if (a[0] == '-' && n > 1) {
			/* -n 10, -n10, -dmS name */
			if (a[1] != '-' && strchr(w->valopts, a[n - 1]) &&
			    (n == 2 || !strchr(w->valopts, a[1])))
				i++;
			i++;
			continue;
		}
		if (!strcmp(w->name, "env") && cp_assignment(a)) {
			i++;
			continue;
		}
		if (pos) {
			pos--;
			i++;
			continue;
		}
		break;
	}
	return i;
}

/* pass over a cron time spec at the start of a line */
static size_t cp_skip_cron(char *const *argv, size_t argc)
{
	size_t k;

	if (argc && cp_cron_word(argv[0]))
		return 1;
	if (argc <= 5)
		return 0;
	for (k = 0; k < 5 && cp_cron_field(argv[k]); k++)
		;
	return k == 5 ? 5 : 0;
}

/* one simple command: wrappers, a shell's -c, then the miner's options */
static int cp_simple(struct cp_ctx *c, char *const *argv, size_t argc,
		     unsigned depth)
{
	struct pw_miner *m = c->m;
	struct cp_pending pd = { .tls = -1, .nicehash = -1, .daemon = -1 };
	size_t cur = SIZE_MAX;
	const struct cp_wrapper *w;
	size_t i = 0, j, k, first = m->n_pools;
	const char *kind, *prog;
	char base[256];
	bool named, any = false;
	int err = 0;

	while (i < argc && cp_assignment(argv[i]))
		i++;
	while (i < argc) {
		cp_base(argv[i], base, sizeof(base));
		w = cp_wrapper(base);
		if (!w)
			break;
		i = cp_skip_wrapper(w, argv, argc, i + 1);
	}
	if (i >= argc)
		return 0;
	prog = argv[i];
	if (cp_nested(prog)) {
		/* exec -a "xmrig -o ..." sleep: a whole command in argv[0] */
		if (depth < PW_CMDLINE_MAX_DEPTH)
			err = cp_line(c, prog, strlen(prog), depth + 1);
		if (!err && i + 1 < argc && depth < PW_CMDLINE_MAX_DEPTH)
			err = cp_simple(c, argv + i + 1, argc - i - 1,
					depth + 1);
		return err;
	}
	cp_base(prog, base, sizeof(base));
	if (cp_shell(base)) {
		for (j = i + 1; j < argc && argv[j][0] == '-'; j++) {
			if (argv[j][1] != '-' && strchr(argv[j], 'c')) {
				if (j + 1 >= argc ||
				    depth >= PW_CMDLINE_MAX_DEPTH)
					return 0;
				return cp_line(c, argv[j + 1],
					       strlen(argv[j + 1]), depth + 1);
			}
		}
		if (j >= argc)
			return 0;
		/* sh ./run.sh -o pool: the script is the program */
		prog = argv[j];
		i = j;
		cp_base(prog, base, sizeof(base));
	}
	named = pw_miner_program_kind(prog, &kind);
	for (j = i + 1; j < argc && !err; j++) {
		const char *a = argv[j], *eq, *v = NULL;
		size_t n;

		if (a[0] != '-' || !a[1]) {
			if (cp_nested(a) && depth < PW_CMDLINE_MAX_DEPTH)
				err = cp_line(c, a, strlen(a), depth + 1);
			continue;
		}
		eq = a[1] == '-' ? strchr(a, '=') : NULL;
		n = eq ? (size_t)(eq - a) : strlen(a);
		for (k = 0; k < CP_N(cp_opts); k++)
			if (strlen(cp_opts[k].name) == n &&
			    !strncmp(cp_opts[k].name, a, n))
				break;
		if (k == CP_N(cp_opts))
			continue;
		if (eq) {
			v = eq + 1;
		} else if (cp_opts[k].value) {
			if (j + 1 >= argc)
				break;
			v = argv[++j];
		}
		/* su -c "...", powershell -c "...": a command, not a value */
		if (v && cp_nested(v)) {
			if (depth < PW_CMDLINE_MAX_DEPTH)
				err = cp_line(c, v, strlen(v), depth + 1);
			continue;
		}
		err = cp_option(c, cp_opts[k].opt, v, &cur, &pd, first, &any);
	}
	if (err)
		return err;
	if (any && !named) {
		/* unless the program looks like a miner, every pool needs a
		   port or a scheme, and curl -o FILE is never one */
		for (k = first; k < m->n_pools; k++) {
			struct pw_murl u;

			if (cp_denied(base) || !m->pools[k].url ||
			    pw_miner_split_url(m->pools[k].url, &u) ||
			    (!u.port && !u.scheme_len))
				break;
		}
		if (k < m->n_pools) {
			cp_rollback(m, first);
			any = false;
		}
	}
	if (any || named)
		err = cp_commit(m, &pd, prog, kind);
	return err;
}

static int cp_line(struct cp_ctx *c, const char *s, size_t len,
		   unsigned depth)
{
	struct cp_words ws = { 0 };
	char **argv = NULL;
	size_t i, n = 0, skip;
	bool start = true;
	int err;

	err = cp_tokenize(s, len, &ws);
	if (err)
		goto out;
	argv = calloc(ws.n + 1, sizeof(*argv));
	if (!argv) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i <= ws.n && !err; i++) {
		if (i < ws.n && !ws.w[i].op) {
			if (!ws.w[i].redir)
				argv[n++] = ws.w[i].s;
			continue;
		}
		skip = 0;
		if (start && depth == 0 && n) {
			/* systemd: ExecStart=-/usr/bin/xmrig ... */
			char *e = argv[0];

			if (!strncmp(e, "Exec", 4) && strchr(e, '=')) {
				e = strchr(e, '=') + 1;
				e += strspn(e, "-@:+!");
				argv[0] = e;
				skip = *e ? 0 : 1;
			}
			skip += cp_skip_cron(argv + skip, n - skip);
		}
		if (n > skip)
			err = cp_simple(c, argv + skip, n - skip, depth);
		start = false;
		n = 0;
	}
out:
	free(argv);
	cp_words_free(&ws);
	return err;
}

int pw_miner_cmdline_parse(struct pw_miner *m, const char *s, size_t len,
			   unsigned line)
{
	struct cp_ctx c = { .m = m, .line = line ? line : 1 };

	return cp_line(&c, s, len, 0);
}

int pw_miner_argv_parse(struct pw_miner *m, char *const *argv, size_t argc,
			unsigned line)
{
	struct cp_ctx c = { .m = m, .line = line ? line : 1 };

	return cp_simple(&c, argv, argc, 0);
}
