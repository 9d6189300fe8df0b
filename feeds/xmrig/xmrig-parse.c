/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Miner configurations: XMRig and xmrig-proxy config.json (current
 * `pools[]` schema, the flat v2 one, `//` comments of old releases),
 * xmr-stak pools.txt (a fragment of members with trailing commas) and
 * cpuminer / cpuminer-opt JSON (top-level url/user/pass, `_comment` keys).
 * See xmrig-parse.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "xmrig-parse.h"

#define XP_N(a) (sizeof(a) / sizeof((a)[0]))

struct pw_miner *pw_miner_new(void)
{
	struct pw_miner *m = calloc(1, sizeof(*m));

	if (m)
		m->donate = -1;
	return m;
}

static void xp_pool_clear(struct pw_mpool *p)
{
	free(p->url);
	free(p->user);
	free(p->pass);
	free(p->rig_id);
	free(p->coin);
	free(p->algo);
}

void pw_miner_free(struct pw_miner *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n_pools; i++)
		xp_pool_clear(&m->pools[i]);
	free(m->pools);
	free(m->algo);
	free(m->coin);
	free(m->config);
	free(m->program);
	free(m);
}

int pw_miner_set(char **dst, const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return -ENOMEM;
	memcpy(p, s, len);
	p[len] = '\0';
	free(*dst);
	*dst = p;
	return 0;
}

int pw_miner_add(struct pw_miner *m, enum pw_mrole role, unsigned line,
		 struct pw_mpool **out)
{
	struct pw_mpool *p;

	*out = NULL;
	if (m->n_pools == m->cap_pools) {
		size_t cap = m->cap_pools ? 2 * m->cap_pools : 8;

		if (m->n_pools >= PW_MINER_MAX_POOLS) {
			snprintf(m->err, sizeof(m->err),
				 "more than %d pools and listen addresses",
				 PW_MINER_MAX_POOLS);
			return -ENOSPC;
		}
		p = realloc(m->pools, cap * sizeof(*p));
		if (!p) {
			snprintf(m->err, sizeof(m->err), "out of memory");
			return -ENOMEM;
		}
		m->pools = p;
		m->cap_pools = cap;
	}
	p = &m->pools[m->n_pools++];
	memset(p, 0, sizeof(*p));
	p->role = role;
	p->line = line ? line : 1;
	p->tls = -1;
	p->nicehash = -1;
	*out = p;
	return 0;
}

/* ---- placeholders and local addresses ---- */

static bool xp_ieq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !strncasecmp(s, lit, len);
}

/* does s[0..len) end with `.suffix` or equal suffix? */
static bool xp_domain_in(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	if (len == n)
		return !strncasecmp(s, suffix, n);
	return len > n && s[len - n - 1] == '.' &&
	       !strncasecmp(s + len - n, suffix, n);
}

bool pw_miner_placeholder(const char *s, size_t len)
{
	static const char *const words[] = {
		"WALLET", "ADDRESS", "USERNAME", "USER", "WORKER", "POOL",
		"HOST", "PASSWORD", "LOGIN", "TOKEN",
	};
	bool upper = true, letter = false, under = false;
	size_t i;

	if (!len)
		return true;
	/* <wallet>, {WALLET}, %USERNAME%, an unexpanded $WALLET */
	if ((s[0] == '<' && s[len - 1] == '>') ||
	    (s[0] == '{' && s[len - 1] == '}') ||
	    (len > 1 && s[0] == '%' && s[len - 1] == '%') || s[0] == '$')
		return true;
	if (len >= 4 && !strncasecmp(s, "your", 4))
		return true;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			letter = true;
		else if (c == '_')
			under = true;
		else if (!(c >= '0' && c <= '9') && c != '-')
			upper = false;
	}
	if (upper && letter && under)
		return true;
	for (i = 0; upper && i < XP_N(words); i++)
		if (strlen(words[i]) == len && !memcmp(s, words[i], len))
			return true;
	return false;
}

/* sample-config pools: XMRig's donation pools, RFC 2606 names */
static bool xp_placeholder_host(const char *h, size_t len)
{
	static const char *const donate[] = {
		"donate.v2.xmrig.com", "donate.ssl.xmrig.com",
		"donate.xmrig.com",
	};
	static const char *const example[] = {
		"example.com", "example.net", "example.org", "example",
		"invalid",
	};
	size_t i;

	if (pw_miner_placeholder(h, len))
		return true;
	for (i = 0; i < XP_N(donate); i++)
		if (xp_ieq(h, len, donate[i]))
			return true;
	for (i = 0; i < XP_N(example); i++)
		if (xp_domain_in(h, len, example[i]))
			return true;
	return false;
}

static bool xp_local_host(const char *h, size_t len)
{
	static const char *const local[] = {
		"0.0.0.0", "::", "::1", "0", "*", "localhost",
		"0:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1",
	};
	size_t i;

	for (i = 0; i < XP_N(local); i++)
		if (xp_ieq(h, len, local[i]))
			return true;
	if (xp_domain_in(h, len, "localhost"))
		return true;
	return len > 4 && !memcmp(h, "127.", 4);
}

/* ---- URLs ---- */

int pw_miner_split_url(const char *url, struct pw_murl *u)
{
	const char *p = url, *end, *at, *hp, *colon, *q;
	size_t i;

	memset(u, 0, sizeof(*u));
	u->scheme = u->user = u->host = url;
	q = strstr(url, "://");
	if (q && q > url) {
		for (i = 0; url + i < q; i++) {
			char c = url[i];

			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '+' ||
			      c == '-' || c == '.'))
				break;
		}
		if (url + i == q) {
			u->scheme_len = (size_t)(q - url);
			p = q + 3;
		}
	}
	end = p + strcspn(p, "/?#");
	at = NULL;
	for (q = p; q < end; q++)
		if (*q == '@')
			at = q;
	if (at) {
		u->user = p;
		u->user_len = (size_t)(at - p);
		p = at + 1;
	}
	hp = p;
	colon = NULL;
	if (*hp == '[') {
		q = memchr(hp, ']', (size_t)(end - hp));
		if (!q)
			return -EINVAL;
		u->host = hp + 1;
		u->host_len = (size_t)(q - hp - 1);
		if (q + 1 < end && q[1] == ':')
			colon = q + 1;
	} else {
		size_t n = 0;

		for (q = hp; q < end; q++)
			if (*q == ':') {
				n++;
				colon = q;
			}
		/* a bare IPv6 address has no port */
		if (n > 1)
			colon = NULL;
		u->host = hp;
		u->host_len = (size_t)((colon ? colon : end) - hp);
	}
	if (colon) {
		unsigned long v = 0;

		for (q = colon + 1; q < end; q++) {
			if (*q < '0' || *q > '9' || v > 65535) {
				v = 65536;
				break;
			}
			v = v * 10 + (unsigned long)(*q - '0');
		}
		if (q == colon + 1)
			v = 65536;
		u->port = (unsigned)(v > 65536 ? 65536 : v);
	}
	return u->host_len ? 0 : -EINVAL;
}

const char *pw_miner_pool_skip(const struct pw_mpool *p)
{
	struct pw_murl u;

	if (p->role == PW_MROLE_LISTEN)
		return "listen-address";
	if (!p->url || pw_miner_split_url(p->url, &u))
		return "placeholder";
	if (xp_local_host(u.host, u.host_len))
		return "local-address";
	if (xp_placeholder_host(u.host, u.host_len))
		return "placeholder";
	return NULL;
}

static bool xp_has(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, lit, n))
			return true;
	return false;
}

bool pw_miner_pool_tls(const struct pw_mpool *p)
{
	struct pw_murl u;

	if (p->tls == 1)
		return true;
	if (!p->url || pw_miner_split_url(p->url, &u))
		return false;
	return xp_has(u.scheme, u.scheme_len, "ssl") ||
	       xp_has(u.scheme, u.scheme_len, "tls") ||
	       xp_ieq(u.scheme, u.scheme_len, "https") ||
	       xp_ieq(u.scheme, u.scheme_len, "daemon+https");
}

int pw_miner_pool_url(const struct pw_mpool *p, char *buf, size_t cap)
{
	char scheme[32], port[16] = "";
	const char *path = "", *open = "", *close = "";
	struct pw_murl u;
	bool tls = pw_miner_pool_tls(p);
	size_t i;
	int n;

	if (!p->url || pw_miner_split_url(p->url, &u) || u.port > 65535)
		return -EINVAL;
	if (!u.scheme_len) {
		snprintf(scheme, sizeof(scheme), "%s",
			 p->daemon ? (tls ? "https" : "http") :
			 tls ? "stratum+ssl" : "stratum+tcp");
	} else if (u.scheme_len >= sizeof(scheme)) {
		return -EINVAL;
	} else {
		for (i = 0; i < u.scheme_len; i++) {
			char c = u.scheme[i];

			scheme[i] = c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
		}
		scheme[i] = '\0';
		if (!strncmp(scheme, "daemon+", 7))
			memmove(scheme, scheme + 7, strlen(scheme + 7) + 1);
		/* PhoenixMiner and others: ssl://host:port, tcp://host:port */
		if (!strcmp(scheme, "ssl") || !strcmp(scheme, "tls"))
			snprintf(scheme, sizeof(scheme), "stratum+ssl");
		else if (!strcmp(scheme, "tcp"))
			snprintf(scheme, sizeof(scheme), "stratum+tcp");
		if (!strncmp(scheme, "stratum", 7)) {
			if (tls && !strstr(scheme, "ssl") &&
			    !strstr(scheme, "tls"))
				snprintf(scheme, sizeof(scheme), "stratum+ssl");
		} else {
			/* an HTTP(S) getwork or node URL keeps its path */
			path = u.host + u.host_len;
			path += strcspn(path, "/?#");
		}
	}
	if (memchr(u.host, ':', u.host_len)) {
		open = "[";
		close = "]";
	}
	if (u.port)
		snprintf(port, sizeof(port), ":%u", u.port);
	if (u.host_len > PW_MINER_MAX_URL)
		return -ENOSPC;
	n = snprintf(buf, cap, "%s://%s%.*s%s%s%s", scheme, open,
		     (int)u.host_len, u.host, close, port, path);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return n;
}

enum pw_mlogin pw_miner_login(const char *user, const char **w, size_t *wlen,
			      const char **rest, size_t *rlen)
{
	size_t len = user ? strlen(user) : 0, n, i;

	*w = user ? user : "";
	*wlen = 0;
	*rest = *w + len;
	*rlen = 0;
	if (!len || pw_miner_placeholder(user, len))
		return PW_ML_PLACEHOLDER;
	n = strcspn(user, ".+:/");
	*wlen = n;
	if (n < len) {
		*rest = user + n + 1;
		*rlen = len - n - 1;
	}
	if (pw_miner_placeholder(user, n))
		return PW_ML_PLACEHOLDER;
	if (n < 26 || n > 128)
		return PW_ML_NAME;
	for (i = 0; i < n; i++) {
		char c = user[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return PW_ML_NAME;
	}
	return PW_ML_WALLET;
}

/* ---- JSON with comments and trailing commas ---- */

static unsigned xp_line_at(const char *s, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

int pw_miner_json_prepass(const char *in, size_t len, char **out,
			  size_t *outlen, char *err, size_t errlen)
{
	size_t i = 0, last = (size_t)-1, first = (size_t)-1, start;
	bool str = false;
	char *t;

	t = malloc(len + 3);
	if (!t)
		return -ENOMEM;
	memcpy(t + 1, in, len);
	t[0] = ' ';
	/* work on t+1 .. t+len; t[0] may become '{' */
	if (len >= 3 && !memcmp(in, "\xef\xbb\xbf", 3))
		memset(t + 1, ' ', 3);
	for (i = 1; i <= len; i++) {
		char c = t[i];

		if (str) {
			if (c == '\\' && i < len)
				i++;
			else if (c == '"') {
				str = false;
				last = i;
			}
			continue;
		}
		if (c == '/' && i < len && t[i + 1] == '/') {
			for (; i <= len && t[i] != '\n'; i++)
				t[i] = ' ';
			continue;
		}
		if (c == '/' && i < len && t[i + 1] == '*') {
			start = i;
			for (; i < len && !(t[i] == '*' && t[i + 1] == '/');
			     i++)
				if (t[i] != '\n')
					t[i] = ' ';
			if (i >= len) {
				snprintf(err, errlen,
					 "line %u: unterminated /* comment",
					 xp_line_at(t + 1, start - 1));
				free(t);
				return -EINVAL;
			}
			t[i] = t[i + 1] = ' ';
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '\f' || c == '\v')
			continue;
		if ((c == '}' || c == ']') && last != (size_t)-1 &&
		    t[last] == ',')
			t[last] = ' ';
		if (c == '"')
			str = true;
		if (first == (size_t)-1)
			first = i;
		last = i;
	}
	if (str) {
		snprintf(err, errlen, "unterminated string at the end");
		free(t);
		return -EINVAL;
	}
	if (last != (size_t)-1 && t[last] == ',')
		t[last] = ' ';
	if (first != (size_t)-1 && t[first] == '"') {
		/* members without their object: xmr-stak pools.txt */
		t[0] = '{';
		t[len + 1] = '}';
		t[len + 2] = '\0';
		*out = t;
		*outlen = len + 2;
		return 0;
	}
	memmove(t, t + 1, len);
	t[len] = '\0';
	*out = t;
	*outlen = len;
	return 0;
}

/* ---- configs ---- */

struct xp_ctx {
	struct pw_miner *m;
	struct pw_jsonpos jp;
	bool proxy, cpuminer;
};

static int xp_str(json_t *v, char **dst)
{
	const char *s;

	if (json_is_string(v)) {
		s = json_string_value(v);
		return pw_miner_set(dst, s, strlen(s));
	}
	return 0;
}

/* true/false, 1/0, "true"/"false" */
static int xp_bool(json_t *v)
{
	const char *s;

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (!strcasecmp(s, "true") || !strcmp(s, "1") ||
		    !strcasecmp(s, "yes"))
			return 1;
		if (!strcasecmp(s, "false") || !strcmp(s, "0") ||
		    !strcasecmp(s, "no"))
			return 0;
	}
	return -1;
}

static int xp_oom(struct pw_miner *m)
{
	snprintf(m->err, sizeof(m->err), "out of memory");
	return -ENOMEM;
}

/* one pools[] member (XMRig) or pool_list[] member (xmr-stak) */
static int xp_pool(struct xp_ctx *c, json_t *o, bool stak)
{
	json_t *url = json_object_get(o, stak ? "pool_address" : "url");
	struct pw_mpool *p;
	unsigned line;
	int err = 0;

	if (!json_is_object(o))
		return 0;
	line = json_is_string(url) ?
	       pw_jsonpos_find(&c->jp, stak ? "pool_address" : "url",
				 json_string_value(url)) : c->jp.line;
	err = pw_miner_add(c->m, PW_MROLE_POOL, line, &p);
	if (err)
		return err;
	err |= xp_str(url, &p->url);
	if (stak) {
		err |= xp_str(json_object_get(o, "wallet_address"), &p->user);
		err |= xp_str(json_object_get(o, "pool_password"), &p->pass);
		err |= xp_str(json_object_get(o, "rig_id"), &p->rig_id);
		p->tls = xp_bool(json_object_get(o, "use_tls"));
		p->nicehash = xp_bool(json_object_get(o, "use_nicehash"));
	} else {
		err |= xp_str(json_object_get(o, "user"), &p->user);
		err |= xp_str(json_object_get(o, "pass"), &p->pass);
		err |= xp_str(json_object_get(o, "rig-id"), &p->rig_id);
		err |= xp_str(json_object_get(o, "coin"), &p->coin);
		err |= xp_str(json_object_get(o, "algo"), &p->algo);
		p->tls = xp_bool(json_object_get(o, "tls"));
		p->nicehash = xp_bool(json_object_get(o, "nicehash"));
		p->daemon = xp_bool(json_object_get(o, "daemon")) == 1;
	}
	return err ? xp_oom(c->m) : 0;
}

/* a listen address: "0.0.0.0:3333" or { "host": "::", "port": 3333 } */
static int xp_listen(struct xp_ctx *c, json_t *v)
{
	json_t *host = v, *port = NULL;
	struct pw_mpool *p;
	const char *h;
	char buf[320];
	int n, err;

	if (json_is_object(v)) {
		host = json_object_get(v, "host");
		port = json_object_get(v, "port");
	}
	if (!json_is_string(host))
		return 0;
	h = json_string_value(host);
	err = pw_miner_add(c->m, PW_MROLE_LISTEN,
			   pw_jsonpos_find(&c->jp, host == v ? NULL : "host",
					   h), &p);
	if (err)
		return err;
	n = -1;
	if (json_is_integer(port) && json_integer_value(port) > 0)
		n = snprintf(buf, sizeof(buf),
			     strchr(h, ':') ? "[%s]:%lld" : "%s:%lld", h,
			     (long long)json_integer_value(port));
	if (n > 0 && (size_t)n < sizeof(buf))
		err = pw_miner_set(&p->url, buf, (size_t)n);
	else
		err = pw_miner_set(&p->url, h, strlen(h));
	if (err)
		return xp_oom(c->m);
	if (json_is_object(v))
		p->tls = xp_bool(json_object_get(v, "tls"));
	return 0;
}

static bool xp_key_is(const char *k, const char *lit)
{
	return !strcmp(k, lit);
}

static int xp_walk(struct xp_ctx *c, json_t *root)
{
	struct pw_miner *m = c->m;
	json_t *v, *e, *user = NULL, *pass = NULL, *userpass = NULL;
	size_t legacy = (size_t)-1;
	bool pools = false, stak = false;
	const char *k;
	size_t i;
	int err = 0;

	json_object_foreach(root, k, v) {
		if (xp_key_is(k, "pools") || xp_key_is(k, "pool_list")) {
			stak = k[4] == '_';
			pools = true;
			if (!json_is_array(v))
				continue;
			json_array_foreach(v, i, e) {
				err = xp_pool(c, e, stak);
				if (err)
					break;
			}
		} else if (xp_key_is(k, "bind")) {
			c->proxy = true;
			if (!json_is_array(v)) {
				err = xp_listen(c, v);
			} else {
				json_array_foreach(v, i, e) {
					err = xp_listen(c, e);
					if (err)
						break;
				}
			}
		} else if (xp_key_is(k, "http") || xp_key_is(k, "api")) {
			if (json_is_object(v))
				err = xp_listen(c, v);
		} else if (xp_key_is(k, "api-bind")) {
			err = xp_listen(c, v);
		} else if (xp_key_is(k, "url")) {
			struct pw_mpool *p;

			if (!json_is_string(v))
				continue;
			err = pw_miner_add(m, PW_MROLE_POOL,
					   pw_jsonpos_find(&c->jp, "url",
						json_string_value(v)), &p);
			if (!err) {
				legacy = m->n_pools - 1;
				err = xp_str(v, &p->url);
			}
		} else if (xp_key_is(k, "user")) {
			user = v;
		} else if (xp_key_is(k, "pass")) {
			pass = v;
		} else if (xp_key_is(k, "userpass")) {
			userpass = v;
			c->cpuminer = true;
		} else if (xp_key_is(k, "algo") || xp_key_is(k, "algorithm")) {
			err = xp_str(v, &m->algo);
		} else if (xp_key_is(k, "coin") || xp_key_is(k, "currency")) {
			err = xp_str(v, &m->coin);
		} else if (xp_key_is(k, "donate-level")) {
			if (json_is_integer(v))
				m->donate = (int)json_integer_value(v);
		} else if (xp_key_is(k, "mode") || xp_key_is(k, "workers") ||
			   xp_key_is(k, "access-password") ||
			   xp_key_is(k, "custom-diff")) {
			c->proxy = true;
		} else if (!strncmp(k, "_comment", 8)) {
			c->cpuminer = true;
		}
		if (err == -ENOMEM)
			return xp_oom(m);
		if (err)
			return err;
	}
	if (legacy != (size_t)-1) {
		struct pw_mpool *p = &m->pools[legacy];
		const char *up, *colon;

		err |= xp_str(user, &p->user);
		err |= xp_str(pass, &p->pass);
		if (json_is_string(userpass) && !p->user) {
			up = json_string_value(userpass);
			colon = strchr(up, ':');
			err |= pw_miner_set(&p->user, up,
					    colon ? (size_t)(colon - up) :
						    strlen(up));
			if (colon)
				err |= pw_miner_set(&p->pass, colon + 1,
						    strlen(colon + 1));
		}
		if (err)
			return xp_oom(m);
		if (!pools) {
			m->kind = "cpuminer";
			m->kind_why = c->cpuminer ? "cpuminer config keys" :
				      "top-level url";
		}
	}
	if (pools && stak) {
		m->kind = "xmr-stak";
		m->kind_why = "pool_list";
	} else if (pools) {
		m->kind = c->proxy ? "xmrig-proxy" : "xmrig";
		m->kind_why = c->proxy ? "proxy config keys" : "pools[] config";
	}
	return 0;
}

int pw_miner_config_parse(struct pw_miner *m, const char *buf, size_t len)
{
	struct xp_ctx c = { .m = m };
	json_error_t jerr;
	json_t *root = NULL;
	char *text = NULL;
	size_t tlen;
	int err;

	if (len > PW_MINER_MAX_CONFIG) {
		snprintf(m->err, sizeof(m->err),
			 "%zu bytes, more than the %lu a miner config may have",
			 len, PW_MINER_MAX_CONFIG);
		return -EFBIG;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(m->err, sizeof(m->err), "not text: holds a NUL byte");
		return -EINVAL;
	}
	err = pw_miner_json_prepass(buf, len, &text, &tlen, m->err,
				    sizeof(m->err));
	if (err) {
		if (err == -ENOMEM)
			xp_oom(m);
		goto out;
	}
	root = json_loadb(text, tlen, 0, &jerr);
	if (!root) {
		snprintf(m->err, sizeof(m->err),
			 "not a miner config (JSON, also with // comments and "
			 "trailing commas): line %d, column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		err = json_error_code(&jerr) == json_error_out_of_memory ?
		      -ENOMEM : -EINVAL;
		goto out;
	}
	if (!json_is_object(root)) {
		snprintf(m->err, sizeof(m->err),
			 "not a miner config: the JSON is not an object");
		err = -EINVAL;
		goto out;
	}
	pw_jsonpos_init(&c.jp, text, tlen);
	err = xp_walk(&c, root);
out:
	json_decref(root);
	free(text);
	return err;
}
