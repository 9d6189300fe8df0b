/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tokens-NAME: run one feed plugin (linked in, through &poolwall_plugin)
 * over a file with the host mock, and print what it handed to the core.
 *
 *	tokens-NAME [-s 0|1] [-m MAX] [-c] [FILE|-]
 *
 * -s sets what pw_host_subdomains() answers (default: the plugin default),
 * -m makes pw_emit() return -ENOSPC after MAX tokens, -c prints only
 * "tokens N skips M".  A parse error is printed as `parse <TAB> -ERRNO` on
 * stderr.  Exit status: 0, 1 when the plugin broke the ABI, 2 on usage or
 * I/O errors.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host-mock.h"

#define TOKENS_MAX_INPUT (64ul << 20)

static int tokens_read(FILE *f, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0, n;
	char *buf, *tmp;
	int err = 0;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= TOKENS_MAX_INPUT) {
				err = -EFBIG;
				goto out;
			}
			tmp = realloc(buf, cap * 2);
			if (!tmp) {
				err = -ENOMEM;
				goto out;
			}
			buf = tmp;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		err = -EIO;
out:
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void tokens_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s 0|1] [-m MAX] [-c] [FILE|-]\n", prog);
}

int main(int argc, char **argv)
{
	struct pw_host h;
	const char *path = "-";
	bool counts = false;
	unsigned long max = 0;
	int subdomains = -1;
	char *buf = NULL, *end;
	size_t len = 0;
	FILE *f;
	int c, err;

	for (;;) {
		c = getopt(argc, argv, "s:m:c");
		if (c == -1)
			break;
		switch (c) {
		case 's':
			subdomains = !strcmp(optarg, "1") ||
				     !strcmp(optarg, "yes");
			break;
		case 'm':
			errno = 0;
			max = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				tokens_usage(argv[0]);
				return 2;
			}
			break;
		case 'c':
			counts = true;
			break;
		default:
			tokens_usage(argv[0]);
			return 2;
		}
	}
	if (optind + 1 < argc) {
		tokens_usage(argv[0]);
		return 2;
	}
	if (optind < argc)
		path = argv[optind];

	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
		return 2;
	}
	err = tokens_read(f, &buf, &len);
	if (f != stdin)
		fclose(f);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(-err));
		return 2;
	}

	err = pw_mock_init(&h, counts);
	if (err) {
		free(buf);
		return 2;
	}
	h.subdomains = subdomains;
	h.max_tokens = max;
	err = pw_mock_run(&h, &poolwall_plugin, buf, len);
	free(buf);
	fflush(stdout);
	if (err)
		fprintf(stderr, "parse\t%d\n", err);
	if (counts)
		printf("tokens %lu skips %lu\n", h.n_tokens, h.n_skips);
	if (h.violations)
		fprintf(stderr, "%s: %lu ABI breaches\n", argv[0],
			h.violations);
	pw_mock_cleanup(&h);
	return h.violations ? 1 : 0;
}
