/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feed fetching (libcurl multi) with a cache per feed and last-known-good.
 *
 * Every request ends in one of four states.  A network feed first loads its
 * cached good copy (NAME.body + NAME.json in the cache directory, the body
 * checked against the SHA-256 in the metadata), sends a conditional GET
 * from it, and then either takes a new body (NEW), reuses the cached one
 * (UNCHANGED: 304 or the same digest), or falls back to it when the fetch
 * failed or brought junk (STALE, when younger than max_age), or gives up
 * (FAILED).  Nothing new reaches the cache before pw_fetch_commit(), which
 * the caller calls only once the body parsed well.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "fetch.h"
#include "jsondump.h"
#include "sha256.h"

#define FETCH_CONNECT_TIMEOUT	15L
#define FETCH_TOTAL_TIMEOUT	120L
#define FETCH_MAX_BYTES		((size_t)256 << 20)
#define FETCH_MAX_REDIRS	5u
#define FETCH_MAX_AGE		((int64_t)7 * 86400)
#define FETCH_PARALLEL		4u
#define FETCH_BACKOFF_MAX_MS	60000
#define FETCH_NAME_MAX		128	/* feed name, bytes */
#define FETCH_META_MAX		65536	/* metadata file, bytes */
#define FETCH_URL_SHOWN		96	/* URL in a message, bytes */
#define FETCH_SHRINK_MIN	4096	/* shrink check from this size on */
#define FETCH_USER_AGENT	"poolwall/" PACKAGE_VERSION

#define FETCH_RES_FIELD(f) (sizeof(((struct pw_fetch_result *)0)->f))
#define FETCH_ETAG_MAX	FETCH_RES_FIELD(etag)
#define FETCH_LM_MAX	FETCH_RES_FIELD(last_modified)

/* the options with their defaults applied */
struct fetch_conf {
	const char *cache_dir;
	long connect_timeout, total_timeout;
	size_t max_bytes;
	unsigned retries, max_redirects, parallel;
	const char *ca_file, *proxy;
	int64_t max_age, now;
	bool offline;
	void (*progress)(void *ctx, const char *name, const char *what,
			 size_t bytes);
	void *progress_ctx;
};

/* a feed's good copy in the cache, as loaded and checked */
struct fetch_cache {
	bool usable;
	char why[192];			/* why not usable */
	json_t *meta;
	char *body;
	size_t len;
	char sha256[PW_SHA256_HEX];
	char etag[FETCH_ETAG_MAX];
	char last_modified[FETCH_LM_MAX];
	char url[512];			/* redacted, as stored */
	int64_t fetched_at, checked_at;
};

enum fetch_src { SRC_HTTP = 1, SRC_FILE, SRC_PATH, SRC_STDIN, SRC_BAD };
enum fetch_state { JOB_IDLE, JOB_WAIT, JOB_ACTIVE, JOB_DONE };

struct fetch_job {
	const struct fetch_conf *c;
	const struct pw_fetch_req *req;
	struct pw_fetch_result *res;
	struct fetch_cache cache;
	char shown[FETCH_URL_SHOWN];	/* redacted URL for messages */
	enum fetch_src src;
	enum fetch_state state;
	bool https;
	/* one transfer */
	CURL *h;
	struct curl_slist *hdrs;
	char *buf;
	size_t len, cap;
	bool over_cap, oom;
	unsigned attempts;
	int64_t retry_at;		/* monotonic ms */
	char etag[FETCH_ETAG_MAX];
	char last_modified[FETCH_LM_MAX];
	char ctype[128];
	char clen[24];			/* Content-Length, as sent */
	char errbuf[CURL_ERROR_SIZE];
};

static void conf_init(struct fetch_conf *c, const struct pw_fetch_opts *o)
{
	static const struct pw_fetch_opts none;

	if (!o)
		o = &none;
	c->cache_dir = o->cache_dir && *o->cache_dir ? o->cache_dir : NULL;
	c->connect_timeout = o->connect_timeout > 0 ? o->connect_timeout :
						     FETCH_CONNECT_TIMEOUT;
	c->total_timeout = o->total_timeout > 0 ? o->total_timeout :
						 FETCH_TOTAL_TIMEOUT;
	c->max_bytes = o->max_bytes ? o->max_bytes : FETCH_MAX_BYTES;
	/* the body, its NUL and size arithmetic must fit */
	if (c->max_bytes > SIZE_MAX / 4)
		c->max_bytes = SIZE_MAX / 4;
	c->retries = o->retries;
	c->max_redirects = o->max_redirects ? o->max_redirects :
					      FETCH_MAX_REDIRS;
	c->parallel = o->parallel ? o->parallel : FETCH_PARALLEL;
	c->ca_file = o->ca_file && *o->ca_file ? o->ca_file : NULL;
	c->proxy = o->proxy && *o->proxy ? o->proxy : NULL;
	c->max_age = o->max_age > 0 ? o->max_age : FETCH_MAX_AGE;
	c->now = o->now > 0 ? o->now : (int64_t)time(NULL);
	c->offline = o->offline;
	c->progress = o->progress;
	c->progress_ctx = o->progress_ctx;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- small text helpers ------------------------------------------------ */

/* snprintf that reports truncation as -ENAMETOOLONG */
static int fmt_path(char *buf, size_t cap, const char *dir, const char *name,
		    const char *ext, bool tmp)
{
	int n = snprintf(buf, cap, tmp ? "%s/.%s.%s.XXXXXX" : "%s/%s.%s",
			 dir, name, ext);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* snprintf into a fixed message field; a cut message ends in "..." */
static void fmt_msg(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fmt_msg(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	else if ((size_t)n >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

static void fmt_iso(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		fmt_msg(buf, cap, "@%" PRId64, t);
}

static void fmt_age(int64_t s, char *buf, size_t cap)
{
	if (s < 120)
		fmt_msg(buf, cap, "%" PRId64 "s", s);
	else if (s < 2 * 3600)
		fmt_msg(buf, cap, "%" PRId64 "m", s / 60);
	else if (s < 2 * 86400)
		fmt_msg(buf, cap, "%" PRId64 "h", s / 3600);
	else
		fmt_msg(buf, cap, "%" PRId64 "d", s / 86400);
}

static bool is_ascii_alnum(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

/* the feed name is a file stem: [A-Za-z0-9._-], no leading dot */
static bool fetch_name_ok(const char *s)
{
	size_t n;

	if (!s || !*s || *s == '.')
		return false;
	for (n = 0; s[n]; n++) {
		if (n >= FETCH_NAME_MAX)
			return false;
		if (!is_ascii_alnum((unsigned char)s[n]) && s[n] != '.' &&
		    s[n] != '_' && s[n] != '-')
			return false;
	}
	return true;
}

/* a header value or cached validator we may send back: printable ASCII */
static bool token_ok(const char *s, size_t cap)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return false;
	return n < cap;
}

static bool sha_hex_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 2 * PW_SHA256_LEN;
}

static void sha_of(const void *buf, size_t len, char hex[PW_SHA256_HEX])
{
	uint8_t d[PW_SHA256_LEN];

	pw_sha256(buf, len, d);
	pw_sha256_hex(d, hex);
}

/* ---- redaction ----------------------------------------------------------- */

struct redact_out {
	char *p;
	size_t cap, n;
	bool cut;
};

static void redact_put(struct redact_out *o, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (o->n + 1 >= o->cap) {
			o->cut = true;
			return;
		}
		/* no terminal or log control through a message */
		o->p[o->n++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
}

static bool redact_secret_name(const char *s, size_t len)
{
	static const char *const words[] = {
		"token", "key", "secret", "pass", "pwd", "auth", "sig",
		"credential", "session",
	};
	char low[64];
	size_t i;

	if (!len || len >= sizeof(low))
		return len >= sizeof(low);
	for (i = 0; i < len; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	low[len] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}

/* name=value pairs split on & and ;, values of secret names replaced */
static void redact_params(struct redact_out *o, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, eq;

		while (j < len && s[j] != '&' && s[j] != ';')
			j++;
		for (eq = i; eq < j && s[eq] != '='; eq++)
			;
		if (eq < j && redact_secret_name(s + i, eq - i)) {
			redact_put(o, s + i, eq - i + 1);
			redact_put(o, "REDACTED", 8);
		} else {
			redact_put(o, s + i, j - i);
		}
		if (j < len)
			redact_put(o, s + j, 1);
		i = j + 1;
	}
}

/* length of a URL scheme followed by "://", or 0 */
static size_t url_scheme_len(const char *url)
{
	size_t n = 0;

	if (!((url[0] >= 'a' && url[0] <= 'z') ||
	      (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	while (is_ascii_alnum((unsigned char)url[n]) || url[n] == '+' ||
	       url[n] == '-' || url[n] == '.')
		n++;
	return strncmp(url + n, "://", 3) == 0 ? n : 0;
}

void pw_fetch_redact(const char *url, char *buf, size_t cap)
{
	struct redact_out o = { .p = buf, .cap = cap };
	const char *s, *auth, *at, *q, *f;
	size_t sl;

	if (!buf || !cap)
		return;
	if (!url)
		url = "(none)";
	sl = url_scheme_len(url);
	if (!sl) {
		/* a local path, or "-" */
		redact_put(&o, url, strlen(url));
		goto out;
	}
	redact_put(&o, url, sl + 3);
	auth = url + sl + 3;
	s = auth + strcspn(auth, "/?#");
	/* user:password@ goes; the last @ ends it */
	for (at = s; at > auth && at[-1] != '@'; at--)
		;
	redact_put(&o, at, (size_t)(s - at));
	q = s + strcspn(s, "?#");
	redact_put(&o, s, (size_t)(q - s));
	if (*q == '?') {
		f = q + strcspn(q, "#");
		redact_put(&o, "?", 1);
		redact_params(&o, q + 1, (size_t)(f - q - 1));
		q = f;
	}
	if (*q == '#') {
		redact_put(&o, "#", 1);
		redact_params(&o, q + 1, strlen(q + 1));
	}
out:
	if (o.cut && cap > 4) {
		memcpy(buf + cap - 4, "...", 3);
		o.n = cap - 1;
	}
	buf[o.n] = '\0';
}

/* the URL for a message: redacted, and shortened */
static void url_shown(const char *url, char *buf, size_t cap)
{
	pw_fetch_redact(url, buf, cap);
}

/* ---- reading files ------------------------------------------------------- */

/*
 * Read fd to its end into a malloc'ed, NUL-terminated buffer of at most max
 * bytes.  -EFBIG when there is more.
 */
static int read_capped(int fd, size_t max, char **out, size_t *outlen)
{
	char *buf, *nb;
	size_t len = 0, cap = 4096;
	struct stat st;
	int ret = 0;

	*out = NULL;
	*outlen = 0;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (S_ISREG(st.st_mode)) {
			if ((uint64_t)st.st_size > max)
				return -EFBIG;
			/* room for the file, its NUL and the read at EOF */
			if ((size_t)st.st_size + 2 > cap)
				cap = (size_t)st.st_size + 2;
		}
	}
	/* max + 1 bytes tell a body over the cap; one more for the NUL */
	if (cap > max + 2)
		cap = max + 2;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (len + 1 == cap) {
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;

			nb = realloc(buf, ncap);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			ret = -EFBIG;
			goto out;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
out:
	free(buf);
	return ret;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* ---- the cache ----------------------------------------------------------- */

static void cache_clear(struct fetch_cache *k)
{
	json_decref(k->meta);
	free(k->body);
	memset(k, 0, sizeof(*k));
}

static int cache_mkdir(const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	return -errno;
}

/*
 * Replace dir/name.ext with buf, atomically: a temporary file created
 * exclusively beside it, fsynced, renamed over, and the directory fsynced.
 */
static int cache_put(const char *dir, const char *name, const char *ext,
		     const void *buf, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	bool made = false;
	int fd = -1, dfd, ret;

	ret = fmt_path(path, sizeof(path), dir, name, ext, false);
	if (!ret)
		ret = fmt_path(tmp, sizeof(tmp), dir, name, ext, true);
	if (ret)
		goto out;
#ifdef HAVE_MKOSTEMP
	fd = mkostemp(tmp, O_CLOEXEC);
#else
	fd = mkstemp(tmp);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	made = true;
	ret = write_all(fd, buf, len);
	if (ret)
		goto out;
	if (fchmod(fd, 0644) || fsync(fd)) {
		ret = -errno;
		goto out;
	}
	ret = close(fd);
	fd = -1;
	if (ret) {
		ret = -errno;
		goto out;
	}
	if (rename(tmp, path)) {
		ret = -errno;
		goto out;
	}
	made = false;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		ret = -errno;
		goto out;
	}
	if (fsync(dfd))
		ret = -errno;
	close(dfd);
out:
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp);
	return ret;
}

static const char *meta_str(json_t *meta, const char *key)
{
	json_t *v = json_object_get(meta, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* an optional validator: absent, null or a sendable string */
static bool meta_token(json_t *meta, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(meta, key);

	dst[0] = '\0';
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || !token_ok(json_string_value(v), cap))
		return false;
	memcpy(dst, json_string_value(v), strlen(json_string_value(v)) + 1);
	return true;
}

/*
 * Load name's good copy and check it: metadata that parses, says "good",
 * and whose size and SHA-256 match the body.  Anything else leaves
 * k->usable false with the reason in k->why; never an error.
 */
static int cache_load(const struct fetch_conf *c, const char *name,
		      struct fetch_cache *k)
{
	char path[PATH_MAX], hex[PW_SHA256_HEX];
	json_error_t jerr;
	json_t *v;
	struct stat st;
	const char *s;
	int fd, ret = 0;

	cache_clear(k);
	if (!c->cache_dir) {
		fmt_msg(k->why, sizeof(k->why), "no cache directory");
		goto out;
	}
	if (fmt_path(path, sizeof(path), c->cache_dir, name, "json", false)) {
		fmt_msg(k->why, sizeof(k->why), "cache path too long");
		goto out;
	}
	if (stat(path, &st)) {
		if (errno == ENOENT)
			fmt_msg(k->why, sizeof(k->why), "no cached copy");
		else
			fmt_msg(k->why, sizeof(k->why), "cache '%s.json': %s",
				name, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > FETCH_META_MAX) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.json': not a metadata file", name);
		goto out;
	}
	k->meta = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!k->meta) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.json' does not parse: %s (line %d)", name,
			jerr.text, jerr.line);
		goto out;
	}
	s = meta_str(k->meta, "status");
	if (!json_is_object(k->meta) || !s || strcmp(s, "good")) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.json': no good copy recorded", name);
		goto out;
	}
	s = meta_str(k->meta, "sha256");
	v = json_object_get(k->meta, "bytes");
	if (!s || !sha_hex_ok(s) || !json_is_integer(v) ||
	    json_integer_value(v) < 0 ||
	    !json_is_integer(json_object_get(k->meta, "fetched_at")) ||
	    !meta_token(k->meta, "etag", k->etag, sizeof(k->etag)) ||
	    !meta_token(k->meta, "last_modified", k->last_modified,
			sizeof(k->last_modified))) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.json': missing or invalid fields", name);
		goto out;
	}
	memcpy(k->sha256, s, sizeof(k->sha256));
	k->fetched_at = json_integer_value(json_object_get(k->meta,
							   "fetched_at"));
	v = json_object_get(k->meta, "checked_at");
	k->checked_at = json_is_integer(v) ? json_integer_value(v) :
					     k->fetched_at;
	if (k->checked_at < k->fetched_at)
		k->checked_at = k->fetched_at;
	s = meta_str(k->meta, "url");
	fmt_msg(k->url, sizeof(k->url), "%s", s ? s : "");
	v = json_object_get(k->meta, "bytes");
	if ((uint64_t)json_integer_value(v) > c->max_bytes) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.body': %" JSON_INTEGER_FORMAT
			" bytes, over the cap of %zu", name,
			json_integer_value(v), c->max_bytes);
		goto out;
	}

	if (fmt_path(path, sizeof(path), c->cache_dir, name, "body", false)) {
		fmt_msg(k->why, sizeof(k->why), "cache path too long");
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fmt_msg(k->why, sizeof(k->why), "cache '%s.body': %s", name,
			strerror(errno));
		goto out;
	}
	ret = read_capped(fd, c->max_bytes, &k->body, &k->len);
	close(fd);
	if (ret == -ENOMEM)
		goto out;
	if (ret) {
		fmt_msg(k->why, sizeof(k->why), "cache '%s.body': %s", name,
			strerror(-ret));
		ret = 0;
		goto out;
	}
	if ((json_int_t)k->len != json_integer_value(v)) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.body' has %zu bytes, its metadata says %"
			JSON_INTEGER_FORMAT, name, k->len,
			json_integer_value(v));
		goto out;
	}
	sha_of(k->body, k->len, hex);
	if (strcmp(hex, k->sha256)) {
		fmt_msg(k->why, sizeof(k->why),
			"cache '%s.body' does not match its sha256", name);
		goto out;
	}
	k->usable = true;
	k->why[0] = '\0';
out:
	return ret;
}

static int64_t cache_age(const struct fetch_conf *c,
			 const struct fetch_cache *k)
{
	return c->now > k->checked_at ? c->now - k->checked_at : 0;
}

static bool cache_fresh(const struct fetch_conf *c,
			const struct fetch_cache *k)
{
	return k->usable && cache_age(c, k) <= c->max_age;
}

static int meta_set_time(json_t *meta, const char *key, int64_t t)
{
	char iso[32], isokey[32];

	fmt_iso(t, iso, sizeof(iso));
	fmt_msg(isokey, sizeof(isokey), "%s_iso", key);
	if (json_object_set_new(meta, key, json_integer(t)) ||
	    json_object_set_new(meta, isokey, json_string(iso)))
		return -ENOMEM;
	return 0;
}

static json_t *meta_opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int meta_write(const struct fetch_conf *c, const char *name,
		      json_t *meta)
{
	char *text, *nl;
	size_t len;
	int ret = -ENOMEM;

	text = pw_json_dumps(meta, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text)
		goto out;
	/* json_dumps leaves no newline; the file gets one */
	len = strlen(text);
	nl = realloc(text, len + 2);
	if (!nl)
		goto out;
	text = nl;
	text[len++] = '\n';
	text[len] = '\0';
	ret = cache_put(c->cache_dir, name, "json", text, len);
out:
	free(text);
	return ret;
}

/*
 * The server confirmed the good copy (304, or the same digest): record when,
 * and its new validators, so that max_age counts from the last
 * confirmation.
 */
static int cache_touch(const struct fetch_conf *c, const char *name,
		       struct fetch_cache *k, const char *url,
		       const char *etag, const char *lm)
{
	int ret;

	if (!k->meta || !c->cache_dir)
		return 0;
	ret = meta_set_time(k->meta, "checked_at", c->now);
	if (!ret && etag && *etag)
		ret = json_object_set_new(k->meta, "etag", json_string(etag));
	if (!ret && lm && *lm)
		ret = json_object_set_new(k->meta, "last_modified",
					  json_string(lm));
	if (!ret && url)
		ret = json_object_set_new(k->meta, "url", json_string(url));
	if (ret)
		return -ENOMEM;
	ret = meta_write(c, name, k->meta);
	if (!ret)
		k->checked_at = c->now;
	return ret;
}

/* ---- outcomes ----------------------------------------------------------- */

static void res_take_cache(struct pw_fetch_result *res, struct fetch_cache *k)
{
	free(res->body);
	res->body = k->body;
	res->len = k->len;
	k->body = NULL;
	k->len = 0;
	res->fetched_at = k->fetched_at;
	memcpy(res->sha256, k->sha256, sizeof(res->sha256));
	memcpy(res->etag, k->etag, sizeof(res->etag));
	memcpy(res->last_modified, k->last_modified,
	       sizeof(res->last_modified));
}

static void res_drop_body(struct pw_fetch_result *res)
{
	free(res->body);
	res->body = NULL;
	res->len = 0;
	res->sha256[0] = '\0';
}

/*
 * The fetch failed, or brought junk (why): the good copy if it is young
 * enough (STALE), else FAILED.  Nothing is written.
 */
static void fetch_settle(const struct fetch_conf *c, struct fetch_cache *k,
			 struct pw_fetch_result *res, const char *step,
			 const char *shown, const char *why)
{
	char iso[32], age[32], lim[32];

	res_drop_body(res);
	if (cache_fresh(c, k)) {
		fmt_iso(k->fetched_at, iso, sizeof(iso));
		fmt_age(cache_age(c, k), age, sizeof(age));
		res->status = PW_FETCH_STALE;
		res_take_cache(res, k);
		fmt_msg(res->error, sizeof(res->error),
			"%s '%s': %s; using the last good copy of %s "
			"(confirmed %s ago)", step, shown, why, iso, age);
		return;
	}
	res->status = PW_FETCH_FAILED;
	res->fetched_at = 0;
	res->etag[0] = res->last_modified[0] = '\0';
	if (k->usable) {
		fmt_iso(k->fetched_at, iso, sizeof(iso));
		fmt_age(cache_age(c, k), age, sizeof(age));
		fmt_age(c->max_age, lim, sizeof(lim));
		fmt_msg(res->error, sizeof(res->error),
			"%s '%s': %s; the last good copy of %s is too old "
			"(%s > max_age %s)", step, shown, why, iso, age, lim);
	} else {
		fmt_msg(res->error, sizeof(res->error),
			"%s '%s': %s; no usable good copy (%s)", step, shown,
			why, k->why);
	}
}

/* An HTML page where a list was expected: 1 by its Content-Type, 2 by its
   first non-blank bytes, 0 if not HTML. */
static int body_is_html(const char *p, size_t len, const char *ctype)
{
	static const char *const heads[] = { "<!doctype html", "<html" };
	size_t i, n;

	if (ctype && (strncasecmp(ctype, "text/html", 9) == 0 ||
		      strncasecmp(ctype, "application/xhtml+xml", 21) == 0))
		return 1;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		len -= 3;
	}
	while (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		       *p == '\f' || *p == '\v')) {
		p++;
		len--;
	}
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		n = strlen(heads[i]);
		if (len >= n && strncasecmp(p, heads[i], n) == 0)
			return 2;
	}
	return 0;
}

/* A new body (len bytes in buf, owned) passes the junk checks or is
   dropped for the good copy. */
static void fetch_accept(struct fetch_job *j, char *buf, size_t len,
			 const char *step, const char *ctype)
{
	const struct fetch_conf *c = j->c;
	struct fetch_cache *k = &j->cache;
	struct pw_fetch_result *res = j->res;
	char why[160], hex[PW_SHA256_HEX], url[sizeof(k->url)];
	int html, ret;

	why[0] = '\0';
	html = j->req->expect_html ? 0 : body_is_html(buf, len, ctype);
	if (html == 1)
		fmt_msg(why, sizeof(why), "an HTML page where a list was "
			"expected (Content-Type '%s')", ctype);
	else if (html == 2)
		fmt_msg(why, sizeof(why), "an HTML page where a list was "
			"expected (by its first bytes)");
	else if (k->usable && k->len && !len)
		fmt_msg(why, sizeof(why),
			"an empty body (the last good copy has %zu bytes)",
			k->len);
	else if (k->usable && k->len > FETCH_SHRINK_MIN && len < k->len / 10)
		fmt_msg(why, sizeof(why),
			"%zu bytes, under 10%% of the last good copy "
			"(%zu bytes)", len, k->len);
	if (why[0]) {
		free(buf);
		fetch_settle(c, k, res, step, j->shown, why);
		return;
	}
	sha_of(buf, len, hex);
	if (j->src == SRC_HTTP && k->usable && strcmp(hex, k->sha256) == 0) {
		/* same bytes: the cached copy, parsed before */
		free(buf);
		res->status = PW_FETCH_UNCHANGED;
		res_take_cache(res, k);
		pw_fetch_redact(j->req->url, url, sizeof(url));
		ret = cache_touch(c, j->req->name, k, url, j->etag,
				  j->last_modified);
		if (ret)
			fmt_msg(res->error, sizeof(res->error),
				"cache '%s.json': cannot record the check: %s",
				j->req->name, strerror(-ret));
		if (j->etag[0])
			memcpy(res->etag, j->etag, sizeof(res->etag));
		if (j->last_modified[0])
			memcpy(res->last_modified, j->last_modified,
			       sizeof(res->last_modified));
		return;
	}
	res->status = PW_FETCH_NEW;
	res->body = buf;
	res->len = len;
	res->fetched_at = c->now;
	memcpy(res->sha256, hex, sizeof(res->sha256));
	memcpy(res->etag, j->etag, sizeof(res->etag));
	memcpy(res->last_modified, j->last_modified,
	       sizeof(res->last_modified));
}

/* ---- local sources ---------------------------------------------------- */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* file:///path or file://localhost/path, percent-decoded */
static int file_url_path(const char *url, char **out, char *why, size_t cap)
{
	const char *p = url + 7;	/* after file:// */
	char *path, *d;

	*out = NULL;
	if (strncasecmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/') {
		fmt_msg(why, cap, "a file:// URL names a host; only local "
			"files are read");
		return -EINVAL;
	}
	path = malloc(strlen(p) + 1);
	if (!path)
		return -ENOMEM;
	for (d = path; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*d = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			if (!*d) {
				free(path);
				fmt_msg(why, cap, "a NUL byte in the path");
				return -EINVAL;
			}
			d++;
			p += 2;
		} else {
			*d++ = *p;
		}
	}
	*d = '\0';
	*out = path;
	return 0;
}

static int fetch_local(struct fetch_job *j)
{
	const char *url = j->req->url;
	char why[160], *path = NULL, *buf = NULL;
	size_t len = 0;
	int fd = -1, ret = 0;

	why[0] = '\0';
	if (j->src == SRC_STDIN) {
		fd = STDIN_FILENO;
	} else {
		if (j->src == SRC_FILE) {
			ret = file_url_path(url, &path, why, sizeof(why));
			if (ret == -ENOMEM)
				goto out;
			if (ret)
				goto fail;
		}
		fd = open(path ? path : url, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			ret = -errno;
			fmt_msg(why, sizeof(why), "%s", strerror(errno));
			goto fail;
		}
	}
	ret = read_capped(fd, j->c->max_bytes, &buf, &len);
	if (ret == -ENOMEM)
		goto out;
	if (ret == -EFBIG) {
		fmt_msg(why, sizeof(why), "larger than the cap of %zu bytes",
			j->c->max_bytes);
		goto fail;
	}
	if (ret) {
		fmt_msg(why, sizeof(why), "%s", strerror(-ret));
		goto fail;
	}
	/* a local file is taken as it is, never "unchanged" */
	fetch_accept(j, buf, len, "read", NULL);
	ret = 0;
	goto out;
fail:
	fetch_settle(j->c, &j->cache, j->res, "read", j->shown, why);
	ret = 0;
out:
	if (fd > STDIN_FILENO)
		close(fd);
	free(path);
	return ret;
}

/* ---- network sources -------------------------------------------------- */

static size_t fetch_write_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct fetch_job *j = ud;
	size_t n = size * nmemb, max = j->c->max_bytes;

	/* decoded bytes: a gzip bomb stops here, at the cap */
	if (n > max - j->len) {
		j->over_cap = true;
		return 0;
	}
	if (j->len + n + 1 > j->cap) {
		size_t ncap = j->cap ? j->cap : 16384;
		char *nb;

		while (ncap < j->len + n + 1)
			ncap *= 2;
		if (ncap > max + 1)
			ncap = max + 1;
		nb = realloc(j->buf, ncap);
		if (!nb) {
			j->oom = true;
			return 0;
		}
		j->buf = nb;
		j->cap = ncap;
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
	return n;
}

/* "Name: value" into dst when the line is that header */
static void header_take(const char *p, size_t n, const char *name, char *dst,
			size_t cap)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(p, name, k) || p[k] != ':')
		return;
	p += k + 1;
	n -= k + 1;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' ||
		     p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	dst[0] = '\0';
	/* too long to send back: not kept */
	if (n >= cap)
		return;
	memcpy(dst, p, n);
	dst[n] = '\0';
	if (!token_ok(dst, cap))
		dst[0] = '\0';
}

static size_t fetch_header_cb(char *p, size_t size, size_t nitems, void *ud)
{
	struct fetch_job *j = ud;
	size_t n = size * nitems;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* a new response (redirect, proxy CONNECT): start over */
		j->etag[0] = j->last_modified[0] = j->ctype[0] = '\0';
		j->clen[0] = '\0';
		return n;
	}
	header_take(p, n, "ETag", j->etag, sizeof(j->etag));
	header_take(p, n, "Last-Modified", j->last_modified,
		    sizeof(j->last_modified));
	header_take(p, n, "Content-Type", j->ctype, sizeof(j->ctype));
	header_take(p, n, "Content-Length", j->clen, sizeof(j->clen));
	return n;
}

#define SETOPT(h, opt, val)                                                \
	do {                                                               \
		if (!ret && curl_easy_setopt(h, opt, val) != CURLE_OK)     \
			ret = -EINVAL;                                     \
	} while (0)

static int fetch_conditional(struct fetch_job *j)
{
	struct fetch_cache *k = &j->cache;
	struct curl_slist *l;
	char hdr[FETCH_ETAG_MAX + 32], url[sizeof(k->url)];

	if (!k->usable)
		return 0;
	/* validators belong to one resource: only for the same URL */
	pw_fetch_redact(j->req->url, url, sizeof(url));
	if (strcmp(url, k->url))
		return 0;
	if (k->etag[0]) {
		fmt_msg(hdr, sizeof(hdr), "If-None-Match: %s", k->etag);
		l = curl_slist_append(j->hdrs, hdr);
		if (!l)
			return -ENOMEM;
		j->hdrs = l;
	}
	if (k->last_modified[0]) {
		fmt_msg(hdr, sizeof(hdr), "If-Modified-Since: %s",
			k->last_modified);
		l = curl_slist_append(j->hdrs, hdr);
		if (!l)
			return -ENOMEM;
		j->hdrs = l;
	}
	return 0;
}

static int fetch_setup(struct fetch_job *j)
{
	const struct fetch_conf *c = j->c;
	CURL *h;
	int ret = 0;

	h = curl_easy_init();
	if (!h)
		return -ENOMEM;
	j->h = h;
	ret = fetch_conditional(j);
	SETOPT(h, CURLOPT_URL, j->req->url);
	SETOPT(h, CURLOPT_PRIVATE, (void *)j);
	SETOPT(h, CURLOPT_NOSIGNAL, 1L);
	SETOPT(h, CURLOPT_ERRORBUFFER, j->errbuf);
	SETOPT(h, CURLOPT_USERAGENT, FETCH_USER_AGENT);
	SETOPT(h, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	SETOPT(h, CURLOPT_WRITEDATA, (void *)j);
	SETOPT(h, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	SETOPT(h, CURLOPT_HEADERDATA, (void *)j);
	SETOPT(h, CURLOPT_CONNECTTIMEOUT, c->connect_timeout);
	SETOPT(h, CURLOPT_TIMEOUT, c->total_timeout);
	SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_bytes);
	/* every encoding this libcurl decodes; the cap counts decoded bytes */
	SETOPT(h, CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 1L);
	SETOPT(h, CURLOPT_MAXREDIRS, (long)c->max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
	SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* never to file:// or elsewhere, and never down from https */
	SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, j->https ? "https" :
							  "http,https");
#else
	SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SETOPT(h, CURLOPT_REDIR_PROTOCOLS,
	       (long)(j->https ? CURLPROTO_HTTPS :
				 CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* TLS verification is always on; a private hub brings its CA */
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file)
		SETOPT(h, CURLOPT_CAINFO, c->ca_file);
	/* without one, libcurl reads http_proxy, https_proxy and no_proxy */
	if (c->proxy)
		SETOPT(h, CURLOPT_PROXY, c->proxy);
	if (j->hdrs)
		SETOPT(h, CURLOPT_HTTPHEADER, j->hdrs);
	return ret;
}

static void fetch_reset(struct fetch_job *j)
{
	j->len = 0;
	j->over_cap = j->oom = false;
	j->etag[0] = j->last_modified[0] = j->ctype[0] = '\0';
	j->clen[0] = j->errbuf[0] = '\0';
}

static bool curl_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/*
 * A transfer ended: the outcome, or a retry.  Returns true when the job
 * should run again.
 */
static bool fetch_done(struct fetch_job *j, CURLcode rc)
{
	const struct fetch_conf *c = j->c;
	struct pw_fetch_result *res = j->res;
	curl_off_t clen = -1, got = 0;
	bool transient = false;
	char why[200], *buf;
	long code = 0;

	why[0] = '\0';
	j->attempts++;
	curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &code);
	res->http_code = code;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(j->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
				  &clen);
		curl_easy_getinfo(j->h, CURLINFO_SIZE_DOWNLOAD_T, &got);
	}
	if (j->over_cap) {
		fmt_msg(why, sizeof(why),
			"the body exceeds the cap of %zu bytes (after "
			"decompression)", c->max_bytes);
	} else if (j->oom) {
		fmt_msg(why, sizeof(why), "out of memory for the body");
	} else if (rc == CURLE_FILESIZE_EXCEEDED) {
		/* libcurl stops before it records the length: as sent */
		fmt_msg(why, sizeof(why),
			"the announced size (%s bytes) exceeds the cap of "
			"%zu bytes", j->clen[0] ? j->clen : "?", c->max_bytes);
	} else if (rc == CURLE_PARTIAL_FILE) {
		fmt_msg(why, sizeof(why), "truncated transfer: %s",
			j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		transient = true;
	} else if (rc != CURLE_OK) {
		fmt_msg(why, sizeof(why), "%s",
			j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		transient = curl_transient(rc);
	} else if (code == 304) {
		if (j->cache.usable) {
			int ret = cache_touch(c, j->req->name, &j->cache, NULL,
					      j->etag, j->last_modified);

			res->status = PW_FETCH_UNCHANGED;
			res_take_cache(res, &j->cache);
			if (ret)
				fmt_msg(res->error, sizeof(res->error),
					"cache '%s.json': cannot record the "
					"check: %s", j->req->name,
					strerror(-ret));
			if (j->etag[0])
				memcpy(res->etag, j->etag, sizeof(res->etag));
			if (j->last_modified[0])
				memcpy(res->last_modified, j->last_modified,
				       sizeof(res->last_modified));
			return false;
		}
		fmt_msg(why, sizeof(why), "HTTP 304 with no cached copy");
	} else if (code != 200 && code != 203) {
		fmt_msg(why, sizeof(why), "HTTP %ld", code);
		transient = code == 429 || code >= 500;
	} else if (clen >= 0 && got < clen) {
		fmt_msg(why, sizeof(why),
			"truncated transfer: %" CURL_FORMAT_CURL_OFF_T
			" of %" CURL_FORMAT_CURL_OFF_T " bytes", got, clen);
		transient = true;
	}

	if (!why[0]) {
		buf = j->buf ? j->buf : malloc(1);
		if (!buf) {
			fmt_msg(why, sizeof(why), "out of memory");
		} else {
			buf[j->len] = '\0';
			j->buf = NULL;
			j->cap = 0;
			fetch_accept(j, buf, j->len, "fetch", j->ctype);
			return false;
		}
	}
	if (transient && j->attempts <= c->retries) {
		int64_t wait = (int64_t)1000 << (j->attempts - 1 < 6 ?
						 j->attempts - 1 : 6);

		if (wait > FETCH_BACKOFF_MAX_MS)
			wait = FETCH_BACKOFF_MAX_MS;
		j->retry_at = mono_ms() + wait;
		return true;
	}
	if (j->attempts > 1) {
		size_t n = strlen(why);

		fmt_msg(why + n, sizeof(why) - n, " (%u attempts)",
			j->attempts);
	}
	free(j->buf);
	j->buf = NULL;
	j->cap = j->len = 0;
	fetch_settle(c, &j->cache, res, "fetch", j->shown, why);
	return false;
}

static int fetch_network(struct fetch_job *jobs, size_t n,
			 const struct fetch_conf *c)
{
	CURLM *m;
	size_t i, active = 0, waiting = 0;
	int ret = 0;

	for (i = 0; i < n; i++)
		if (jobs[i].state == JOB_WAIT)
			waiting++;
	if (!waiting)
		return 0;
	m = curl_multi_init();
	if (!m)
		return -ENOMEM;
	while (active || waiting) {
		int64_t now = mono_ms(), next = now + 1000;
		struct CURLMsg *msg;
		int running, left;
		CURLMcode mc;

		for (i = 0; i < n && active < c->parallel; i++) {
			struct fetch_job *j = &jobs[i];

			if (j->state != JOB_WAIT)
				continue;
			if (j->retry_at > now) {
				if (j->retry_at < next)
					next = j->retry_at;
				continue;
			}
			if (!j->h) {
				ret = fetch_setup(j);
				if (ret)
					goto out;
			}
			fetch_reset(j);
			if (curl_multi_add_handle(m, j->h) != CURLM_OK) {
				ret = -ENOMEM;
				goto out;
			}
			j->state = JOB_ACTIVE;
			active++;
			waiting--;
		}
		mc = curl_multi_perform(m, &running);
		if (mc != CURLM_OK) {
			ret = mc == CURLM_OUT_OF_MEMORY ? -ENOMEM : -EIO;
			goto out;
		}
		for (;;) {
			struct fetch_job *j;
			char *priv = NULL;

			msg = curl_multi_info_read(m, &left);
			if (!msg)
				break;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  &priv);
			j = (struct fetch_job *)(void *)priv;
			curl_multi_remove_handle(m, msg->easy_handle);
			active--;
			if (fetch_done(j, msg->data.result)) {
				j->state = JOB_WAIT;
				waiting++;
				if (j->retry_at < next)
					next = j->retry_at;
			} else {
				j->state = JOB_DONE;
			}
			if (j->c->progress)
				j->c->progress(j->c->progress_ctx, j->req->name,
					       j->state == JOB_WAIT ? "retrying" :
					       msg->data.result == CURLE_OK ?
							       "done" : "failed",
					       j->len);
		}
		if (!active && !waiting)
			break;
		now = mono_ms();
		mc = curl_multi_poll(m, NULL, 0,
				     next > now ? (int)(next - now) : 0, NULL);
		if (mc != CURLM_OK) {
			ret = -EIO;
			goto out;
		}
	}
out:
	for (i = 0; i < n; i++)
		if (jobs[i].state == JOB_ACTIVE)
			curl_multi_remove_handle(m, jobs[i].h);
	curl_multi_cleanup(m);
	return ret;
}

/* ---- the API ------------------------------------------------------------- */

static enum fetch_src fetch_source(const char *url, bool *https)
{
	size_t sl = url_scheme_len(url);

	*https = false;
	if (strcmp(url, "-") == 0)
		return SRC_STDIN;
	if (!sl)
		return url[0] ? SRC_PATH : SRC_BAD;
	if (sl == 4 && strncasecmp(url, "http", 4) == 0)
		return SRC_HTTP;
	if (sl == 5 && strncasecmp(url, "https", 5) == 0) {
		*https = true;
		return SRC_HTTP;
	}
	if (sl == 4 && strncasecmp(url, "file", 4) == 0)
		return SRC_FILE;
	return SRC_BAD;
}

static void job_free(struct fetch_job *j)
{
	if (j->h)
		curl_easy_cleanup(j->h);
	curl_slist_free_all(j->hdrs);
	free(j->buf);
	cache_clear(&j->cache);
}

static int fetch_check_reqs(const struct pw_fetch_req *reqs, size_t n,
			    struct pw_fetch_result *res)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (!fetch_name_ok(reqs[i].name)) {
			fmt_msg(res[i].error, sizeof(res[i].error),
				"invalid feed name '%.64s' (letters, digits, "
				". _ -, no leading dot)",
				reqs[i].name ? reqs[i].name : "");
			return -EINVAL;
		}
		if (!reqs[i].url) {
			fmt_msg(res[i].error, sizeof(res[i].error),
				"feed %s has no URL", reqs[i].name);
			return -EINVAL;
		}
		for (k = 0; k < i; k++)
			if (strcmp(reqs[k].name, reqs[i].name) == 0) {
				fmt_msg(res[i].error, sizeof(res[i].error),
					"feed name '%s' given twice",
					reqs[i].name);
				return -EINVAL;
			}
	}
	return 0;
}

int pw_fetch_all(const struct pw_fetch_opts *o, const struct pw_fetch_req *reqs,
		 size_t n, struct pw_fetch_result *res)
{
	struct fetch_conf c;
	struct fetch_job *jobs = NULL;
	bool curl_up = false;
	size_t i;
	int ret;

	if (n && (!reqs || !res))
		return -EINVAL;
	conf_init(&c, o);
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].status = PW_FETCH_FAILED;
	}
	ret = fetch_check_reqs(reqs, n, res);
	if (ret || !n)
		return ret;
	jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct fetch_job *j = &jobs[i];

		j->c = &c;
		j->req = &reqs[i];
		j->res = &res[i];
		j->src = fetch_source(reqs[i].url, &j->https);
		url_shown(reqs[i].url, j->shown, sizeof(j->shown));
		ret = cache_load(&c, reqs[i].name, &j->cache);
		if (ret)
			goto out;
		if (j->src == SRC_BAD) {
			fetch_settle(&c, &j->cache, j->res, "fetch", j->shown,
				     "unsupported source (http://, https://, "
				     "file://, a path or -)");
			j->state = JOB_DONE;
		} else if (j->src != SRC_HTTP) {
			ret = fetch_local(j);
			if (ret)
				goto out;
			j->state = JOB_DONE;
		} else if (c.offline) {
			if (cache_fresh(&c, &j->cache)) {
				res[i].status = PW_FETCH_UNCHANGED;
				res_take_cache(&res[i], &j->cache);
			} else {
				fetch_settle(&c, &j->cache, j->res, "offline",
					     j->shown,
					     "the network is not used");
			}
			j->state = JOB_DONE;
		} else {
			j->state = JOB_WAIT;
			if (!curl_up) {
				if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
					ret = -ENOMEM;
					goto out;
				}
				curl_up = true;
			}
		}
	}
	ret = fetch_network(jobs, n, &c);
out:
	for (i = 0; i < n; i++) {
		job_free(&jobs[i]);
		if (ret) {
			res_drop_body(&res[i]);
			res[i].status = PW_FETCH_FAILED;
			fmt_msg(res[i].error, sizeof(res[i].error),
				"fetch '%s': stopped: %s", jobs[i].shown,
				strerror(-ret));
		}
	}
	free(jobs);
	if (curl_up)
		curl_global_cleanup();
	return ret;
}

int pw_fetch_commit(const struct pw_fetch_opts *o,
		    const struct pw_fetch_req *req,
		    const struct pw_fetch_result *res, unsigned long lines,
		    unsigned long accepted, unsigned long rejected)
{
	char url[512], hex[PW_SHA256_HEX];
	struct fetch_conf c;
	json_t *meta = NULL;
	int ret;

	if (!req || !res || !fetch_name_ok(req->name) || !req->url)
		return -EINVAL;
	/* only a new body is stored; the others are the cache already */
	if (res->status != PW_FETCH_NEW)
		return res->status == PW_FETCH_FAILED ? -EINVAL : 0;
	if (!res->body && res->len)
		return -EINVAL;
	conf_init(&c, o);
	if (!c.cache_dir)
		return 0;
	ret = cache_mkdir(c.cache_dir);
	if (ret)
		return ret;
	sha_of(res->body ? res->body : "", res->len, hex);
	pw_fetch_redact(req->url, url, sizeof(url));
	meta = json_object();
	if (!meta)
		return -ENOMEM;
	if (json_object_set_new(meta, "url", json_string(url)) ||
	    json_object_set_new(meta, "etag", meta_opt_str(res->etag)) ||
	    json_object_set_new(meta, "last_modified",
				meta_opt_str(res->last_modified)) ||
	    meta_set_time(meta, "fetched_at", res->fetched_at ?
					      res->fetched_at : c.now) ||
	    meta_set_time(meta, "checked_at", res->fetched_at ?
					      res->fetched_at : c.now) ||
	    json_object_set_new(meta, "sha256", json_string(hex)) ||
	    json_object_set_new(meta, "bytes",
				json_integer((json_int_t)res->len)) ||
	    json_object_set_new(meta, "lines",
				json_integer((json_int_t)lines)) ||
	    json_object_set_new(meta, "accepted",
				json_integer((json_int_t)accepted)) ||
	    json_object_set_new(meta, "rejected",
				json_integer((json_int_t)rejected)) ||
	    json_object_set_new(meta, "status", json_string("good")) ||
	    json_object_set_new(meta, "http_code",
				json_integer(res->http_code))) {
		ret = -ENOMEM;
		goto out;
	}
	/* the body first: metadata naming a body that is not there yet
	   would be worse than a body without matching metadata */
	ret = cache_put(c.cache_dir, req->name, "body",
			res->body ? res->body : "", res->len);
	if (!ret)
		ret = meta_write(&c, req->name, meta);
out:
	json_decref(meta);
	return ret;
}

int pw_fetch_reject(const struct pw_fetch_opts *o,
		    const struct pw_fetch_req *req,
		    struct pw_fetch_result *res, const char *why)
{
	struct fetch_cache k = { 0 };
	struct fetch_conf c;
	char shown[FETCH_URL_SHOWN];
	int ret;

	if (!req || !res || !fetch_name_ok(req->name) || !req->url)
		return -EINVAL;
	if (!why || !*why)
		why = "rejected by the caller";
	pw_fetch_redact(req->url, shown, sizeof(shown));
	conf_init(&c, o);
	switch (res->status) {
	case PW_FETCH_NEW:
		ret = cache_load(&c, req->name, &k);
		if (ret)
			return ret;
		fetch_settle(&c, &k, res, "check", shown, why);
		cache_clear(&k);
		return 0;
	case PW_FETCH_UNCHANGED:
	case PW_FETCH_STALE:
		/* that was the good copy: nothing left to fall back to */
		res_drop_body(res);
		res->status = PW_FETCH_FAILED;
		fmt_msg(res->error, sizeof(res->error),
			"check '%s': %s, in the last good copy too", shown,
			why);
		return 0;
	default:
		return 0;
	}
}

void pw_fetch_result_free(struct pw_fetch_result *res)
{
	if (!res)
		return;
	free(res->body);
	res->body = NULL;
	res->len = 0;
}
