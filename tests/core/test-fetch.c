/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fetch without a server: redaction, feed names, local sources, the cache
 * round trip, the junk checks and every last-known-good path, with file
 * sources and a temporary cache directory.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fetch.h"
#include "sha256.h"
#include "tap.h"

#define NOW 1700000000		/* 2023-11-14T22:13:20Z */

static char top[512], cache[PATH_MAX];

/* dir/name[ext] in one of a few rotating buffers; never cut */
static const char *join(const char *dir, const char *name, const char *ext)
{
	static char buf[8][PATH_MAX];
	static unsigned i;
	char *p = buf[i++ % 8];
	int n = snprintf(p, PATH_MAX, "%s/%s%s", dir, name, ext);

	if (n < 0 || n >= PATH_MAX) {
		printf("Bail out! path too long: %s/%s\n", dir, name);
		exit(1);
	}
	return p;
}

static const char *in_top(const char *name)
{
	return join(top, name, "");
}

static const char *in_cache(const char *name)
{
	return join(cache, name, "");
}

/* a path that must outlive the rotating buffers (a request's URL) */
static char *kept[16];
static size_t nkept;

static const char *keep(const char *path)
{
	char *p = strdup(path);

	if (!p || nkept == sizeof(kept) / sizeof(kept[0])) {
		printf("Bail out! keep: out of room\n");
		exit(1);
	}
	kept[nkept++] = p;
	return p;
}

static int put(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ret = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		ret = -EIO;
	if (fclose(f))
		ret = -EIO;
	return ret;
}

static int puts_file(const char *path, const char *s)
{
	return put(path, s, strlen(s));
}

/* the file's bytes, NUL-terminated, or NULL */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static bool file_is(const char *path, const char *want)
{
	size_t len;
	char *got = slurp(path, &len);
	bool same = got && len == strlen(want) && memcmp(got, want, len) == 0;

	free(got);
	return same;
}

/* dot files (temporaries) and entries in the cache directory */
static int cache_entries(int *dots)
{
	DIR *d = opendir(cache);
	struct dirent *e;
	int n = 0;

	*dots = 0;
	if (!d)
		return -1;
	for (;;) {
		e = readdir(d);
		if (!e)
			break;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.')
			(*dots)++;
		n++;
	}
	closedir(d);
	return n;
}

static void rm_cache(void)
{
	DIR *d = opendir(cache);
	struct dirent *e;

	if (!d)
		return;
	for (;;) {
		e = readdir(d);
		if (!e)
			break;
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(in_cache(e->d_name));
	}
	closedir(d);
}

static struct pw_fetch_opts opts(void)
{
	struct pw_fetch_opts o = { .cache_dir = cache, .now = NOW };

	return o;
}

/* fetch one source into *res */
static int fetch1(const struct pw_fetch_opts *o, const char *name,
		  const char *url, bool html, struct pw_fetch_result *res)
{
	struct pw_fetch_req req = { .name = name, .url = url,
				    .expect_html = html };

	return pw_fetch_all(o, &req, 1, res);
}

/* read a local file and commit it as name's good copy */
static int make_good(const struct pw_fetch_opts *o, const char *name,
		     const char *content)
{
	static const char *src;
	struct pw_fetch_req req = { .name = name };
	struct pw_fetch_result res;
	int ret;

	if (!src)
		src = keep(in_top("good.src"));
	req.url = src;
	/* from scratch: no junk check against an earlier copy */
	unlink(join(cache, name, ".body"));
	unlink(join(cache, name, ".json"));
	ret = puts_file(req.url, content);
	if (!ret)
		ret = pw_fetch_all(o, &req, 1, &res);
	if (!ret && res.status != PW_FETCH_NEW)
		ret = -EPROTO;
	if (!ret)
		ret = pw_fetch_commit(o, &req, &res, 1, 1, 0);
	pw_fetch_result_free(&res);
	return ret;
}

static void test_redact(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "https://user:pw@host.example/path?token=abc&x=1",
		  "https://host.example/path?token=REDACTED&x=1" },
		{ "http://h.test/p?API_KEY=1;sig=2&q=ok#access_token=z",
		  "http://h.test/p?API_KEY=REDACTED;sig=REDACTED&q=ok"
		  "#access_token=REDACTED" },
		{ "HTTPS://u:p@H.test:8443/?Password=x&apikey=y&signature=z",
		  "HTTPS://H.test:8443/?Password=REDACTED&apikey=REDACTED"
		  "&signature=REDACTED" },
		{ "http://a@b@host.test/", "http://host.test/" },
		{ "http://host.test/path@x?auth=1&secret=2&api_key=3",
		  "http://host.test/path@x?auth=REDACTED&secret=REDACTED"
		  "&api_key=REDACTED" },
		{ "http://host.test/p?key", "http://host.test/p?key" },
		{ "/var/lib/feed@x.txt", "/var/lib/feed@x.txt" },
		{ "-", "-" },
		{ "file:///srv/feed.txt", "file:///srv/feed.txt" },
		{ "http://h.test/\n\x1b[31m", "http://h.test/??[31m" },
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pw_fetch_redact(v[i].in, buf, sizeof(buf));
		is_str(buf, v[i].out, "redact #%zu", i + 1);
	}
	pw_fetch_redact("https://user:pw@host.example/a/long/path", buf, 16);
	is_str(buf, "https://host...", "a cut URL ends in ...");
	pw_fetch_redact(NULL, buf, sizeof(buf));
	is_str(buf, "(none)", "NULL is shown as (none)");
	buf[0] = 'x';
	pw_fetch_redact("http://h/", buf, 1);
	is_str(buf, "", "a 1-byte buffer gets an empty string");
}

static void test_names(void)
{
	static const char *const bad[] = {
		".hidden", "a/b", "", "x y", "../up", "a\\b", "t\xc3\xa9st",
	};
	struct pw_fetch_opts o = opts();
	struct pw_fetch_result res[2];
	struct pw_fetch_req req[2];
	char longname[200];
	int dots, ret;
	size_t i;

	puts_file(in_top("n.txt"), "a.example.test\n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = fetch1(&o, bad[i], in_top("n.txt"), false, res);
		is_int(ret, -EINVAL, "name '%s' is refused", bad[i]);
	}
	ok(strstr(res[0].error, "invalid feed name"), "saying why: %s",
	   res[0].error);
	is_int(fetch1(&o, NULL, in_top("n.txt"), false, res), -EINVAL,
	       "no name is refused");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	is_int(fetch1(&o, longname, in_top("n.txt"), false, res), -EINVAL,
	       "a 199-byte name is refused");
	is_int(fetch1(&o, "x", NULL, false, res), -EINVAL,
	       "no URL is refused");
	is_int(fetch1(&o, "Good_name-1.x", in_top("n.txt"), false, res), 0,
	       "letters, digits, . _ - are fine");
	pw_fetch_result_free(res);

	req[0].name = req[1].name = "twice";
	req[0].url = req[1].url = in_top("n.txt");
	req[0].expect_html = req[1].expect_html = false;
	is_int(pw_fetch_all(&o, req, 2, res), -EINVAL,
	       "the same name twice is refused");
	ok(strstr(res[1].error, "given twice"), "saying why: %s",
	   res[1].error);

	req[0].name = "../evil";
	memset(res, 0, sizeof(res));
	res[0].status = PW_FETCH_NEW;
	res[0].body = (char *)"x\n";
	res[0].len = 2;
	is_int(pw_fetch_commit(&o, &req[0], &res[0], 1, 1, 0), -EINVAL,
	       "commit refuses a bad name");
	is_int(pw_fetch_reject(&o, &req[0], &res[0], "no"), -EINVAL,
	       "reject refuses a bad name");
	is_int(cache_entries(&dots), 0, "and nothing reached the cache");
}

static void test_local(void)
{
	struct pw_fetch_opts o = opts();
	struct pw_fetch_result res;
	char url[PATH_MAX + 32], hex[PW_SHA256_HEX];
	uint8_t d[PW_SHA256_LEN];
	int fd, saved;

	puts_file(in_top("a b.txt"), "one.example.test\ntwo.example.test\n");
	is_int(fetch1(&o, "local", in_top("a b.txt"), false, &res), 0,
	       "a path is read");
	is_int(res.status, PW_FETCH_NEW, "as a new body");
	is_int(res.len, 34, "all of it");
	ok(res.body && res.body[res.len] == '\0', "NUL-terminated");
	is_int(res.http_code, 0, "http_code 0 for a file");
	is_int(res.fetched_at, NOW, "fetched now");
	pw_sha256(res.body, res.len, d);
	pw_sha256_hex(d, hex);
	is_str(res.sha256, hex, "with its SHA-256");
	pw_fetch_result_free(&res);

	snprintf(url, sizeof(url), "file://%s/a%%20b.txt", top);
	fetch1(&o, "local", url, false, &res);
	ok(res.status == PW_FETCH_NEW && res.len == 34,
	   "file:///path, percent-decoded");
	pw_fetch_result_free(&res);
	snprintf(url, sizeof(url), "FILE://localhost%s/a%%20b.txt", top);
	fetch1(&o, "local", url, false, &res);
	ok(res.status == PW_FETCH_NEW, "file://localhost/path");
	pw_fetch_result_free(&res);
	snprintf(url, sizeof(url), "file://elsewhere.test%s/a%%20b.txt", top);
	fetch1(&o, "local", url, false, &res);
	is_int(res.status, PW_FETCH_FAILED, "file://host/path is refused");
	ok(strstr(res.error, "names a host") && !res.body, "saying why: %s",
	   res.error);
	snprintf(url, sizeof(url), "file://%s/a%%00b.txt", top);
	fetch1(&o, "local", url, false, &res);
	is_int(res.status, PW_FETCH_FAILED, "%%00 in a file URL is refused");

	fetch1(&o, "local", in_top("missing.txt"), false, &res);
	is_int(res.status, PW_FETCH_FAILED, "a missing file fails");
	ok(strstr(res.error, "No such file or directory") &&
	   strstr(res.error, "missing.txt") &&
	   strstr(res.error, "no usable good copy (no cached copy)"),
	   "naming the file, strerror and the cache: %s", res.error);
	fetch1(&o, "local", top, false, &res);
	ok(res.status == PW_FETCH_FAILED && strstr(res.error, "directory"),
	   "a directory fails: %s", res.error);
	fetch1(&o, "local", "ftp://ftp.example.test/list", false, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "unsupported source"),
	   "an unsupported scheme fails: %s", res.error);
	fetch1(&o, "local", "stratum+tcp://pool.example.test:3333", false,
	       &res);
	ok(res.status == PW_FETCH_FAILED, "so does stratum+tcp://");

	/* "-" is standard input */
	puts_file(in_top("stdin.txt"), "stdin.example.test\n");
	saved = dup(STDIN_FILENO);
	fd = open(in_top("stdin.txt"), O_RDONLY);
	if (saved >= 0 && fd >= 0 && dup2(fd, STDIN_FILENO) >= 0) {
		fetch1(&o, "stdin", "-", false, &res);
		ok(res.status == PW_FETCH_NEW && res.body &&
		   strcmp(res.body, "stdin.example.test\n") == 0,
		   "- reads standard input");
		pw_fetch_result_free(&res);
		dup2(saved, STDIN_FILENO);
	} else {
		ok(0, "cannot redirect standard input: %s", strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	if (saved >= 0)
		close(saved);

	/* the cap */
	o.max_bytes = 10;
	puts_file(in_top("ten.txt"), "123456789\n");
	puts_file(in_top("eleven.txt"), "1234567890\n");
	fetch1(&o, "capped", in_top("ten.txt"), false, &res);
	is_int(res.status, PW_FETCH_NEW, "a body at the cap is read");
	pw_fetch_result_free(&res);
	fetch1(&o, "capped", in_top("eleven.txt"), false, &res);
	is_int(res.status, PW_FETCH_FAILED, "one byte over the cap fails");
	ok(strstr(res.error, "larger than the cap of 10 bytes") != NULL,
	   "saying so: %s", res.error);

	fetch1(&o, "stdin", "", false, &res);
	is_int(res.status, PW_FETCH_FAILED, "an empty URL fails");
	pw_fetch_result_free(&res);
	pw_fetch_result_free(&res);
	pw_fetch_result_free(NULL);
	ok(1, "pw_fetch_result_free is NULL-safe and idempotent");
}

static void test_commit(void)
{
	struct pw_fetch_opts o = opts(), none = { .now = NOW };
	struct pw_fetch_req req = { .name = "round",
				    .url = keep(in_top("r.txt")) };
	struct pw_fetch_result res, other;
	json_error_t jerr;
	json_t *j;
	int dots;

	puts_file(req.url, "r1.example.test\nr2.example.test\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(pw_fetch_commit(&o, &req, &res, 2, 2, 1), 0, "commit works");
	ok(file_is(in_cache("round.body"),
		   "r1.example.test\nr2.example.test\n"),
	   "the body is stored as NAME.body");
	j = json_load_file(in_cache("round.json"), 0, &jerr);
	ok(j != NULL, "NAME.json parses");
	is_str(json_string_value(json_object_get(j, "status")), "good",
	       "status good");
	is_str(json_string_value(json_object_get(j, "sha256")), res.sha256,
	       "sha256");
	is_int(json_integer_value(json_object_get(j, "bytes")), 32, "bytes");
	is_int(json_integer_value(json_object_get(j, "lines")), 2, "lines");
	is_int(json_integer_value(json_object_get(j, "accepted")), 2,
	       "accepted");
	is_int(json_integer_value(json_object_get(j, "rejected")), 1,
	       "rejected");
	is_int(json_integer_value(json_object_get(j, "fetched_at")), NOW,
	       "fetched_at, unix");
	is_str(json_string_value(json_object_get(j, "fetched_at_iso")),
	       "2023-11-14T22:13:20Z", "and ISO 8601 UTC");
	is_str(json_string_value(json_object_get(j, "url")), req.url, "url");
	ok(json_is_null(json_object_get(j, "etag")) &&
	   json_is_null(json_object_get(j, "last_modified")),
	   "no validators for a file");
	is_int(json_integer_value(json_object_get(j, "http_code")), 0,
	       "http_code");
	json_decref(j);
	is_int(cache_entries(&dots), 2, "two files in the cache");
	is_int(dots, 0, "no temporary file left");

	/* only a NEW body is ever stored */
	memset(&other, 0, sizeof(other));
	other.status = PW_FETCH_STALE;
	other.body = (char *)"junk\n";
	other.len = 5;
	is_int(pw_fetch_commit(&o, &req, &other, 1, 1, 0), 0,
	       "committing a stale result does nothing");
	other.status = PW_FETCH_UNCHANGED;
	is_int(pw_fetch_commit(&o, &req, &other, 1, 1, 0), 0,
	       "nor an unchanged one");
	other.status = PW_FETCH_FAILED;
	is_int(pw_fetch_commit(&o, &req, &other, 1, 1, 0), -EINVAL,
	       "a failed one is an error");
	ok(file_is(in_cache("round.body"),
		   "r1.example.test\nr2.example.test\n"),
	   "the good copy is untouched");
	is_int(pw_fetch_commit(&none, &req, &res, 2, 2, 1), 0,
	       "without a cache directory commit does nothing");
	pw_fetch_result_free(&res);

	/* an empty body is a good copy too */
	req.name = "empty";
	puts_file(req.url, "");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_NEW && res.body && res.len == 0,
	   "an empty first body is new");
	is_int(pw_fetch_commit(&o, &req, &res, 0, 0, 0), 0,
	       "and commits");
	pw_fetch_result_free(&res);
	o.offline = true;
	req.url = "https://feeds.example.test/empty.txt";
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_UNCHANGED && res.body && res.len == 0,
	   "and comes back from the cache");
	pw_fetch_result_free(&res);
	rm_cache();
}

static void test_fallback(void)
{
	struct pw_fetch_opts o = opts();
	struct pw_fetch_req req = { .name = "lkg",
				    .url = keep(in_top("new.txt")) };
	struct pw_fetch_result res;
	const char *good = "g1.example.test\ng2.example.test\n";
	char big[8193];

	is_int(make_good(&o, "lkg", good), 0, "a good copy is made");

	/* rejected by the caller after parsing */
	puts_file(req.url, "n1.example.test\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_NEW, "a different body is new");
	is_int(pw_fetch_reject(&o, &req, &res, "1 accepted, minimum 5"), 0,
	       "reject works");
	is_int(res.status, PW_FETCH_STALE, "reject falls back: stale");
	is_str(res.body, good, "to the good copy");
	is_int(res.fetched_at, NOW, "with its time");
	ok(strstr(res.error, "1 accepted, minimum 5; using the last good "
			     "copy of 2023-11-14T22:13:20Z") != NULL,
	   "saying why and from when: %s", res.error);
	is_int(pw_fetch_reject(&o, &req, &res, "still junk"), 0,
	       "rejecting the good copy itself");
	ok(res.status == PW_FETCH_FAILED && !res.body &&
	   strstr(res.error, "in the last good copy too"),
	   "fails: %s", res.error);
	ok(file_is(in_cache("lkg.body"), good), "the cache is untouched");

	/* junk found by the fetch itself */
	puts_file(req.url, "<!DOCTYPE html>\n<html><body>502</body></html>\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "an HTML page: stale");
	ok(strstr(res.error, "an HTML page where a list was expected") &&
	   res.body && strcmp(res.body, good) == 0,
	   "with the good copy: %s", res.error);
	pw_fetch_result_free(&res);
	puts_file(req.url, "\xef\xbb\xbf \r\n\t<HtMl lang=en>");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE,
	       "<html after a BOM and blanks, any case: stale");
	pw_fetch_result_free(&res);
	req.expect_html = true;
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_NEW, "unless HTML is expected");
	pw_fetch_result_free(&res);
	req.expect_html = false;
	puts_file(req.url, "<?xml version=\"1.0\"?>\n<ioc/>\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_NEW, "XML is not HTML");
	pw_fetch_result_free(&res);

	puts_file(req.url, "");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "an empty body: stale");
	ok(strstr(res.error, "an empty body (the last good copy has 32 "
			     "bytes)") != NULL, "saying so: %s", res.error);
	pw_fetch_result_free(&res);

	unlink(req.url);
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "a missing file: stale");
	ok(strstr(res.error, "No such file or directory"), "saying so: %s",
	   res.error);
	pw_fetch_result_free(&res);

	o.max_bytes = 40;
	puts_file(req.url, "01234567890123456789012345678901234567890\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "over the cap: stale");
	ok(strstr(res.error, "larger than the cap of 40 bytes"),
	   "saying so: %s", res.error);
	pw_fetch_result_free(&res);
	o.max_bytes = 0;

	/* shrinking */
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	is_int(make_good(&o, "lkg", big), 0, "an 8 KiB good copy");
	puts_file(req.url, "tiny.example.test\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "a body under 10%% of it: stale");
	ok(strstr(res.error, "18 bytes, under 10% of the last good copy "
			     "(8192 bytes)") != NULL,
	   "saying so: %s", res.error);
	ok(res.len == 8192, "with the 8 KiB copy");
	pw_fetch_result_free(&res);
	memset(big, 'y', 900);
	big[900] = '\0';
	puts_file(req.url, big);
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_NEW, "a body over 10%% of it is new");
	pw_fetch_result_free(&res);
	is_int(make_good(&o, "lkg", "0123456789abcdef0123456789abcdef\n"), 0,
	       "a small good copy");
	puts_file(req.url, "x\n");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_NEW,
	       "no shrink check under a 4 KiB good copy");
	pw_fetch_result_free(&res);

	/* age */
	puts_file(req.url, "");
	o.now = NOW + 7 * 86400;
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "a 7-day-old copy is still used");
	pw_fetch_result_free(&res);
	o.now = NOW + 7 * 86400 + 1;
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_FAILED, "one second more: failed");
	ok(!res.body && strstr(res.error, "the last good copy of "
					  "2023-11-14T22:13:20Z is too old "
					  "(7d > max_age 7d)"),
	   "saying so: %s", res.error);
	o.max_age = 3600;
	o.now = NOW + 3600;
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "max_age 1h: an hour is fine");
	pw_fetch_result_free(&res);
	o.now = NOW + 3601;
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_FAILED, "a second more is not");
	o.max_age = 0;
	o.now = NOW;
	ok(file_is(in_cache("lkg.body"), "0123456789abcdef0123456789abcdef\n"),
	   "no fallback replaced the good copy");
	rm_cache();
}

static void test_broken_cache(void)
{
	struct pw_fetch_opts o = opts();
	struct pw_fetch_req req = { .name = "bc",
				    .url = keep(in_top("none.txt")) };
	struct pw_fetch_result res;
	const char *good = "b1.example.test\n";
	char *meta;
	size_t len;

	unlink(req.url);
	make_good(&o, "bc", good);
	meta = slurp(in_cache("bc.json"), &len);
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_STALE, "an intact cache is used");
	pw_fetch_result_free(&res);

	puts_file(in_cache("bc.json"), "{ \"status\": \"good\", ");
	pw_fetch_all(&o, &req, 1, &res);
	is_int(res.status, PW_FETCH_FAILED, "truncated metadata: failed");
	ok(strstr(res.error, "cache 'bc.json' does not parse") != NULL,
	   "saying so: %s", res.error);
	puts_file(in_cache("bc.json"), "[1, 2]");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "no good copy recorded"),
	   "metadata that is not an object: %s", res.error);
	puts_file(in_cache("bc.json"),
		  "{\"status\": \"good\", \"sha256\": 5, \"bytes\": \"x\"}");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "missing or invalid fields"),
	   "fields of the wrong type: %s", res.error);
	puts_file(in_cache("bc.json"), "{\"status\": \"junk\"}");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "no good copy recorded"),
	   "a status other than good: %s", res.error);

	put(in_cache("bc.json"), meta, len);
	puts_file(in_cache("bc.body"), "b1.example.tesT\n");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "cache 'bc.body' does not match its sha256"),
	   "a body that differs from its digest: %s", res.error);
	puts_file(in_cache("bc.body"), "b1.example.test\nmore\n");
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "has 21 bytes, its metadata says 16"),
	   "a body of another size: %s", res.error);
	unlink(in_cache("bc.body"));
	pw_fetch_all(&o, &req, 1, &res);
	ok(res.status == PW_FETCH_FAILED &&
	   strstr(res.error, "cache 'bc.body': No such file"),
	   "a missing body: %s", res.error);
	free(meta);
	rm_cache();
}

static void test_offline(void)
{
	struct pw_fetch_opts o = opts();
	struct pw_fetch_req reqs[3] = {
		{ .name = "off", .url = "https://feeds.example.test/a.txt" },
		{ .name = "nocopy", .url = "http://feeds.example.test/b.txt" },
		{ .name = "file", .url = keep(in_top("off.txt")) },
	};
	struct pw_fetch_result res[3];
	size_t i;

	make_good(&o, "off", "off.example.test\n");
	puts_file(in_top("off.txt"), "local.example.test\n");
	o.offline = true;
	is_int(pw_fetch_all(&o, reqs, 3, res), 0, "offline fetch");
	ok(res[0].status == PW_FETCH_UNCHANGED && res[0].body &&
	   strcmp(res[0].body, "off.example.test\n") == 0 && !res[0].error[0],
	   "offline: the good copy, unchanged");
	ok(res[1].status == PW_FETCH_FAILED &&
	   strstr(res[1].error, "no usable good copy (no cached copy)"),
	   "offline without a copy: failed: %s", res[1].error);
	ok(res[2].status == PW_FETCH_NEW, "offline still reads files");
	for (i = 0; i < 3; i++)
		pw_fetch_result_free(&res[i]);
	o.now = NOW + 8 * 86400;
	pw_fetch_all(&o, reqs, 1, res);
	ok(res[0].status == PW_FETCH_FAILED &&
	   strstr(res[0].error, "too old"),
	   "offline with a copy past max_age: failed: %s", res[0].error);
	rm_cache();
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	int n;

	n = snprintf(top, sizeof(top), "%s/pw-fetch-XXXXXX",
		     t && *t ? t : "/tmp");
	if (n < 0 || (size_t)n >= sizeof(top) || !mkdtemp(top)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	memcpy(cache, join(top, "cache", ""), sizeof(cache));
	if (mkdir(cache, 0700)) {
		printf("Bail out! mkdir: %s\n", strerror(errno));
		return 1;
	}
	test_redact();
	test_names();
	test_local();
	test_commit();
	test_fallback();
	test_broken_cache();
	test_offline();

	rm_cache();
	rmdir(cache);
	{
		static const char *const files[] = {
			"n.txt", "a b.txt", "stdin.txt", "ten.txt",
			"eleven.txt", "r.txt", "good.src", "new.txt",
			"off.txt",
		};
		size_t i;

		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			unlink(in_top(files[i]));
	}
	rmdir(top);
	while (nkept)
		free(kept[--nkept]);
	return tap_done();
}
