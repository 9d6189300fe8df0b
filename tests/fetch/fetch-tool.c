/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fetch-tool URL NAME CACHEDIR [options]: runs pw_fetch_all() once and
 * prints each outcome in a stable form for tests/fetch/fetch.sh:
 *
 *   NAME STATUS http=CODE bytes=LEN sha256=HEX
 *   NAME error: TEXT                     (when there is one)
 *
 * CACHEDIR "none" means no cache.  Options:
 *   --feed URL NAME      one more feed, fetched in parallel
 *   --max-bytes N --timeout S --connect-timeout S --retries N
 *   --max-redirects N --parallel N --max-age S --now T
 *   --ca-file FILE --proxy URL --offline --expect-html
 *   --commit             store every NEW body as the good copy
 *   --min-lines N        reject a NEW body with fewer lines than N
 *   --body FILE          write the first feed's body there
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

#define TOOL_MAX_FEEDS 16

static const char *const status_names[] = {
	[PW_FETCH_NEW] = "new",
	[PW_FETCH_UNCHANGED] = "unchanged",
	[PW_FETCH_STALE] = "stale",
	[PW_FETCH_FAILED] = "failed",
};

static int usage(void)
{
	fprintf(stderr, "usage: fetch-tool URL NAME CACHEDIR [options]\n");
	return 2;
}

static int num(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || end == s || *end || *v < 0 ? -EINVAL : 0;
}

static unsigned long count_lines(const char *p, size_t len)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == '\n')
			n++;
	if (len && p[len - 1] != '\n')
		n++;
	return n;
}

int main(int argc, char **argv)
{
	struct pw_fetch_req reqs[TOOL_MAX_FEEDS] = { { 0 } };
	struct pw_fetch_result res[TOOL_MAX_FEEDS];
	struct pw_fetch_opts o = { 0 };
	const char *body_path = NULL;
	bool commit = false, expect_html = false;
	long long v, min_lines = -1;
	size_t n = 1, i;
	int a, ret, status = 0;

	if (argc < 4)
		return usage();
	reqs[0].url = argv[1];
	reqs[0].name = argv[2];
	if (strcmp(argv[3], "none"))
		o.cache_dir = argv[3];
	for (a = 4; a < argc; a++) {
		const char *opt = argv[a], *arg = a + 1 < argc ? argv[a + 1] :
								 NULL;

		if (strcmp(opt, "--offline") == 0) {
			o.offline = true;
			continue;
		}
		if (strcmp(opt, "--expect-html") == 0) {
			expect_html = true;
			continue;
		}
		if (strcmp(opt, "--commit") == 0) {
			commit = true;
			continue;
		}
		if (!arg)
			return usage();
		a++;
		if (strcmp(opt, "--feed") == 0) {
			if (a + 1 >= argc || n == TOOL_MAX_FEEDS)
				return usage();
			reqs[n].url = arg;
			reqs[n++].name = argv[++a];
		} else if (strcmp(opt, "--ca-file") == 0) {
			o.ca_file = arg;
		} else if (strcmp(opt, "--proxy") == 0) {
			o.proxy = arg;
		} else if (strcmp(opt, "--body") == 0) {
			body_path = arg;
		} else if (num(arg, &v)) {
			return usage();
		} else if (strcmp(opt, "--max-bytes") == 0) {
			o.max_bytes = (size_t)v;
		} else if (strcmp(opt, "--timeout") == 0) {
			o.total_timeout = (long)v;
		} else if (strcmp(opt, "--connect-timeout") == 0) {
			o.connect_timeout = (long)v;
		} else if (strcmp(opt, "--retries") == 0) {
			o.retries = (unsigned)v;
		} else if (strcmp(opt, "--max-redirects") == 0) {
			o.max_redirects = (unsigned)v;
		} else if (strcmp(opt, "--parallel") == 0) {
			o.parallel = (unsigned)v;
		} else if (strcmp(opt, "--max-age") == 0) {
			o.max_age = v;
		} else if (strcmp(opt, "--now") == 0) {
			o.now = v;
		} else if (strcmp(opt, "--min-lines") == 0) {
			min_lines = v;
		} else {
			return usage();
		}
	}
	for (i = 0; i < n; i++)
		reqs[i].expect_html = expect_html;

	ret = pw_fetch_all(&o, reqs, n, res);
	if (ret) {
		fprintf(stderr, "fetch-tool: pw_fetch_all: %s\n",
			strerror(-ret));
		for (i = 0; i < n; i++)
			if (res[i].error[0])
				printf("%s error: %s\n", reqs[i].name,
				       res[i].error);
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct pw_fetch_result *r = &res[i];
		unsigned long lines;

		if (r->status == PW_FETCH_NEW) {
			lines = count_lines(r->body, r->len);
			if (min_lines >= 0 &&
			    lines < (unsigned long)min_lines) {
				char why[128];

				snprintf(why, sizeof(why),
					 "%lu lines, fewer than the minimum "
					 "%lld", lines, min_lines);
				ret = pw_fetch_reject(&o, &reqs[i], r, why);
			} else if (commit) {
				ret = pw_fetch_commit(&o, &reqs[i], r, lines,
						      lines, 0);
			}
			if (ret) {
				printf("%s commit: %s\n", reqs[i].name,
				       strerror(-ret));
				status = 1;
			}
		}
		printf("%s %s http=%ld bytes=%zu sha256=%s\n", reqs[i].name,
		       status_names[r->status], r->http_code, r->len,
		       r->sha256[0] ? r->sha256 : "-");
		if (r->error[0])
			printf("%s error: %s\n", reqs[i].name, r->error);
	}
	if (body_path && res[0].body) {
		FILE *f = fopen(body_path, "wb");

		if (!f || fwrite(res[0].body, 1, res[0].len, f) != res[0].len) {
			fprintf(stderr, "fetch-tool: cannot write '%s': %s\n",
				body_path, strerror(errno));
			status = 1;
		}
		if (f && fclose(f))
			status = 1;
	}
	for (i = 0; i < n; i++)
		pw_fetch_result_free(&res[i]);
	return status;
}
