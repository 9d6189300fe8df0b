/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tokens-csv: tests/feeds/tokens-main.c for the csv feed, which has
 * options.  The configuration is filled as the core fills it (defaults,
 * then every -o KEY=VALUE, through the plugin's option table), and the
 * plugin runs under the host mock like every other feed:
 *
 *	tokens-csv [-o KEY=VALUE]... [-s 0|1] [-m MAX] [-c] [FILE|-]
 *
 * A bad option is a usage error (status 2) with the loader's message.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host-mock.h"
#include "loader.h"

#define TOKENS_MAX_INPUT (64ul << 20)

/* the filled configuration, for the wrapper below */
static const void *tokens_conf;

/* create() as the core calls it: with the filled configuration */
static int tokens_create(struct pw_host *h, const void *conf, void **state)
{
	return poolwall_plugin.create(h, tokens_conf, state);
}

static int tokens_read(FILE *f, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0, n;
	char *buf, *tmp;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= TOKENS_MAX_INPUT) {
				free(buf);
				return -EFBIG;
			}
			tmp = realloc(buf, cap * 2);
			if (!tmp) {
				free(buf);
				return -ENOMEM;
			}
			buf = tmp;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void tokens_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-o KEY=VALUE]... [-s 0|1] [-m MAX] [-c] "
		"[FILE|-]\n", prog);
}

int main(int argc, char **argv)
{
	struct pw_plugin desc = poolwall_plugin;
	struct pw_conf *conf;
	struct pw_host h;
	const char *path = "-";
	bool counts = false;
	unsigned long max = 0;
	int subdomains = -1, c, err, ret = 2;
	char *buf = NULL, *end, *eq, msg[512];
	size_t len = 0;
	FILE *f;

	conf = pw_conf_new(&poolwall_plugin, msg, sizeof(msg));
	if (!conf) {
		fprintf(stderr, "%s: %s\n", argv[0], msg);
		return 2;
	}
	for (;;) {
		c = getopt(argc, argv, "o:s:m:c");
		if (c == -1)
			break;
		switch (c) {
		case 'o':
			eq = strchr(optarg, '=');
			if (!eq) {
				tokens_usage(argv[0]);
				goto out;
			}
			*eq = '\0';
			if (pw_conf_set(conf, optarg, eq + 1, msg,
					sizeof(msg))) {
				fprintf(stderr, "%s: %s\n", argv[0], msg);
				goto out;
			}
			break;
		case 's':
			subdomains = !strcmp(optarg, "1") ||
				     !strcmp(optarg, "yes");
			break;
		case 'm':
			errno = 0;
			max = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				tokens_usage(argv[0]);
				goto out;
			}
			break;
		case 'c':
			counts = true;
			break;
		default:
			tokens_usage(argv[0]);
			goto out;
		}
	}
	if (optind + 1 < argc) {
		tokens_usage(argv[0]);
		goto out;
	}
	if (pw_conf_finish(conf, msg, sizeof(msg))) {
		fprintf(stderr, "%s: %s\n", argv[0], msg);
		goto out;
	}
	if (optind < argc)
		path = argv[optind];
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
		goto out;
	}
	err = tokens_read(f, &buf, &len);
	if (f != stdin)
		fclose(f);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(-err));
		goto out;
	}
	if (pw_mock_init(&h, counts))
		goto out;
	h.subdomains = subdomains;
	h.max_tokens = max;
	tokens_conf = pw_conf_data(conf);
	desc.create = tokens_create;
	err = pw_mock_run(&h, &desc, buf, len);
	fflush(stdout);
	if (err)
		fprintf(stderr, "parse\t%d\n", err);
	if (counts)
		printf("tokens %lu skips %lu\n", h.n_tokens, h.n_skips);
	if (h.violations)
		fprintf(stderr, "%s: %lu ABI breaches\n", argv[0],
			h.violations);
	ret = h.violations ? 1 : 0;
	pw_mock_cleanup(&h);
out:
	free(buf);
	pw_conf_free(conf);
	return ret;
}
