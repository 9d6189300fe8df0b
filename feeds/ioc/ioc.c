/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioc: the canonical typed-line format, as the `ioc` output writes it.
 *
 *	KIND VALUE [key=value ...]
 *
 * KIND is domain, ipv4, ipv6, ip, port, url, wallet or hash; the keys
 * carry the domain match mode, the tier and the provenance (sources,
 * incident, expiry).  `#` starts a comment where a field would start.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poolwall/plugin.h>

struct ioc_state {
	struct pw_host *h;
	bool tree;		/* the default match mode of a domain */
};

static const struct {
	const char *name;
	enum pw_hint hint;
} ioc_kinds[] = {
	{ "domain", PW_H_DOMAIN },
	{ "ipv4", PW_H_IP },
	{ "ipv6", PW_H_IP },
	{ "ip", PW_H_IP },
	{ "port", PW_H_PORT },
	{ "url", PW_H_URL },
	{ "wallet", PW_H_WALLET },
	{ "hash", PW_H_HASH },
};

/* written by the `ioc` output and `poolwall miner` for people, ignored
   when read back */
static const char *const ioc_info_keys[] = {
	"coin", "type", "host", "port",
	"tls", "algo", "user", "worker", "pass", "family", "pid",
};

#define IOC_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct pw_option ioc_options[] = {
	{ .name = NULL }
};

static bool ioc_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool ioc_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !strncasecmp(s, lit, len);
}

static bool ioc_info_key(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < IOC_N(ioc_info_keys); i++) {
		if (ioc_is(s, len, ioc_info_keys[i]))
			return true;
	}
	return false;
}

static int ioc_digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool ioc_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* leap years in [1, y] */
static int64_t ioc_leaps(int64_t y)
{
	return y / 4 - y / 100 + y / 400;
}

/*
 * Parse `YYYY-MM-DDTHH:MM:SSZ` (UTC, 1970-01-01T00:00:01Z at the
 * earliest) into unix time.  Returns 0 or -EINVAL.
 */
static int ioc_time(const char *s, size_t len, int64_t *t)
{
	static const int before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
	};
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int y, mo, d, h, mi, sec;
	int64_t days;

	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -EINVAL;
	y = ioc_digits(s, 4);
	mo = ioc_digits(s + 5, 2);
	d = ioc_digits(s + 8, 2);
	h = ioc_digits(s + 11, 2);
	mi = ioc_digits(s + 14, 2);
	sec = ioc_digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -EINVAL;
	if (d > mdays[mo - 1] + (mo == 2 && ioc_leap(y)))
		return -EINVAL;
	days = (int64_t)365 * (y - 1970) + ioc_leaps(y - 1) - ioc_leaps(1969);
	days += before[mo - 1] + (mo > 2 && ioc_leap(y)) + d - 1;
	*t = days * 86400 + h * 3600 + mi * 60 + sec;
	/* 0 means "never expires" */
	return *t ? 0 : -EINVAL;
}

/* a NUL-terminated copy of a key's value, freed by the caller */
static int ioc_dup(const char *s, size_t len, char **out)
{
	char *p;

	free(*out);
	*out = NULL;
	p = malloc(len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, s, len);
	p[len] = '\0';
	*out = p;
	return 0;
}

/* the next field in [*p, end): its length, 0 at the end or at a comment */
static size_t ioc_field(const char **p, const char *end, const char **f)
{
	const char *q = *p;

	while (q < end && ioc_space(*q))
		q++;
	if (q == end || *q == '#') {
		*p = end;
		*f = end;
		return 0;
	}
	*f = q;
	while (q < end && !ioc_space(*q))
		q++;
	*p = q;
	return q - *f;
}

static int ioc_line(void *ctx, unsigned line, const char *s, size_t len)
{
	struct ioc_state *st = ctx;
	const char *p = s, *end, *kind, *val, *f, *eq, *v;
	struct pw_token t = { .line = line };
	char *source = NULL, *incident = NULL;
	size_t klen, vlen, n, vn, i;
	bool domain, bad = false;
	int match = -1, err = 0;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	while (len && ioc_space(s[len - 1]))
		len--;
	end = s + len;
	klen = ioc_field(&p, end, &kind);
	if (!klen)
		return 0;
	for (i = 0; i < IOC_N(ioc_kinds); i++) {
		if (ioc_is(kind, klen, ioc_kinds[i].name))
			break;
	}
	if (i == IOC_N(ioc_kinds)) {
		pw_skip(st->h, line, "unknown-kind", kind, klen);
		return 0;
	}
	t.hint = ioc_kinds[i].hint;
	domain = t.hint == PW_H_DOMAIN;
	vlen = ioc_field(&p, end, &val);
	if (!vlen) {
		pw_skip(st->h, line, "missing-value", s, len);
		return 0;
	}

	for (;;) {
		n = ioc_field(&p, end, &f);
		if (!n)
			break;
		eq = memchr(f, '=', n);
		if (!eq) {
			pw_skip(st->h, line, "unknown-key", f, n);
			continue;
		}
		v = eq + 1;
		vn = f + n - v;
		if (ioc_is(f, eq - f, "match")) {
			if (ioc_is(v, vn, "exact"))
				match = 0;
			else if (ioc_is(v, vn, "tree"))
				match = 1;
			else
				bad = true;
		} else if (ioc_is(f, eq - f, "tier")) {
			if (ioc_is(v, vn, "monitor"))
				t.flags |= PW_T_MONITOR;
			else if (!ioc_is(v, vn, "block"))
				bad = true;
		} else if (ioc_is(f, eq - f, "sources") ||
			   ioc_is(f, eq - f, "source")) {
			err = ioc_dup(v, vn, &source);
		} else if (ioc_is(f, eq - f, "incident")) {
			err = ioc_dup(v, vn, &incident);
		} else if (ioc_is(f, eq - f, "expires")) {
			if (ioc_time(v, vn, &t.expires))
				bad = true;
		} else if (!ioc_info_key(f, eq - f)) {
			pw_skip(st->h, line, "unknown-key", f, n);
		}
		if (err)
			goto out;
		if (bad) {
			/* a wrong expiry or tier must not widen the block */
			pw_skip(st->h, line, "bad-value", f, n);
			goto out;
		}
	}

	/* `*.name` says "subdomains only" by itself */
	if (domain && match < 0 && !(vlen >= 2 && !memcmp(val, "*.", 2)))
		match = st->tree;
	if (domain && match >= 0)
		t.flags |= match ? PW_T_TREE : PW_T_EXACT;
	t.tok = val;
	t.len = vlen;
	t.source = source;
	t.incident = incident;
	err = pw_emit_token(st->h, &t);
out:
	free(source);
	free(incident);
	return err;
}

static int ioc_parse(void *state, const char *buf, size_t len)
{
	struct ioc_state *st = state;

	st->tree = pw_host_subdomains(st->h, 1);
	return pw_lines(buf, len, ioc_line, st);
}

static int ioc_create(struct pw_host *h, const void *conf, void **state)
{
	struct ioc_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void ioc_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "ioc",
	.kind = PW_FEED,
	.summary = "poolwall's typed lines: KIND VALUE [key=value...]",
	.options = ioc_options,
	.conf_size = 0,
	.create = ioc_create,
	.destroy = ioc_destroy,
	.parse = ioc_parse,
};
