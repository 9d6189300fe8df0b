/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fetching feeds the way a careful cron job should (libcurl): several in
 * parallel, bounded in time and size, conditional GET, a cache per feed
 * with metadata, and last-known-good when a fetch fails or returns junk.
 *
 * Sources: https://, http://, file://, a local path, "-" (stdin).
 */
#ifndef PW_FETCH_H
#define PW_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_fetch_opts {
	const char *cache_dir;		/* required for http(s) caching */
	long connect_timeout;		/* seconds; 0 = 15 */
	long total_timeout;		/* seconds; 0 = 120 */
	size_t max_bytes;		/* body cap; 0 = 256 MiB */
	unsigned retries;		/* extra attempts on transient errors;
					   default 2, backoff 1 s, 2 s, ... */
	unsigned max_redirects;		/* 0 = 5 */
	const char *ca_file;		/* extra CA bundle (private hubs) */
	const char *proxy;		/* NULL: libcurl's *_proxy env vars */
	int64_t max_age;		/* last-known-good age limit, s; 0 = 7d */
	unsigned parallel;		/* transfers at once; 0 = 4 */
	bool offline;			/* never touch the network: cache only */
	/* optional: told when a network transfer ends (`what`: "done",
	   "retrying", "failed") with the bytes received, for a terminal */
	void (*progress)(void *ctx, const char *name, const char *what,
			 size_t bytes);
	void *progress_ctx;
	int64_t now;			/* run time; 0 = time() */
};

struct pw_fetch_req {
	const char *name;		/* feed name: cache file stem */
	const char *url;
	bool expect_html;		/* the format is HTML/XML: no HTML junk
					   check (openioc, ...) */
};

enum pw_fetch_status {
	PW_FETCH_NEW = 1,	/* a fresh body (200, or a local file) */
	PW_FETCH_UNCHANGED,	/* 304 (or same SHA-256): the cached body */
	PW_FETCH_STALE,		/* fetch failed or junk: last-known-good */
	PW_FETCH_FAILED,	/* fetch failed and no usable good copy */
};

struct pw_fetch_result {
	enum pw_fetch_status status;
	char *body;			/* malloc'ed, NUL-terminated; NULL when
					   FAILED */
	size_t len;
	long http_code;			/* 0 for files */
	int64_t fetched_at;		/* when body was fetched (cache time
					   for UNCHANGED/STALE) */
	char sha256[65];		/* hex digest of body */
	char error[256];		/* why STALE/FAILED, with the URL
					   (credentials stripped) */
	char etag[256];			/* the body's validators, kept by
					   pw_fetch_commit(); "" if none */
	char last_modified[64];
};

/*
 * Fetch every request (http(s) in parallel with curl multi); res[i] gets
 * the outcome of reqs[i].  Returns 0, or a negative errno for a failure of
 * the machinery itself (out of memory, curl init).  A new body is NOT yet
 * written to the cache: the caller parses it first and then calls
 * pw_fetch_commit() (good) or pw_fetch_reject() (junk after parsing, e.g.
 * fewer accepted entries than the feed's minimum), which switches res to
 * the last-known-good copy.
 */
int pw_fetch_all(const struct pw_fetch_opts *o, const struct pw_fetch_req *reqs,
		 size_t n, struct pw_fetch_result *res);

/* Store a new body as the good cache copy, atomically, with metadata
   (URL, ETag, Last-Modified, fetched-at, SHA-256, bytes, lines, accepted
   and rejected counts, status) as JSON beside it. */
int pw_fetch_commit(const struct pw_fetch_opts *o,
		    const struct pw_fetch_req *req,
		    const struct pw_fetch_result *res, unsigned long lines,
		    unsigned long accepted, unsigned long rejected);

/* The new body was junk: fall back to last-known-good (res becomes STALE
   or FAILED, its body replaced), with `why` in res->error. */
int pw_fetch_reject(const struct pw_fetch_opts *o,
		    const struct pw_fetch_req *req,
		    struct pw_fetch_result *res, const char *why);

void pw_fetch_result_free(struct pw_fetch_result *res);	/* body only */

/* For messages: the URL without user:password@ and without query
   parameters that look like credentials (token=, key=, ...). */
void pw_fetch_redact(const char *url, char *buf, size_t cap);

#endif
