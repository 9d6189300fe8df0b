/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic benchmark input generator.
 *
 *   gen hosts N [SEED]     hosts-file lines `0.0.0.0 name`
 *   gen adblock N [SEED]   adblock filter rules `||name^`
 *   gen ipv4 N [SEED]      one IPv4 address or CIDR a line
 *
 * N lines go to stdout; the same N and SEED always give the same bytes.
 * Realistic noise is mixed in: mixed case, ~10% duplicates, subdomains of
 * earlier names, ~1% junk (comments, blank lines, names with spaces or
 * quotes, bare TLDs, invalid labels).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchgen.h"

static void mixed_case(struct bg_rng *r, char *s)
{
	unsigned how = bg_below(r, 100);

	if (how >= 15)
		return;
	for (; *s; s++) {
		if (how < 3 || bg_below(r, 4) == 0)
			*s = (char)toupper((unsigned char)*s);
	}
}

/* ~1% of lines: things a real list contains that are not names */
static void junk_line(struct bg_rng *r, const char *prefix, FILE *out)
{
	char name[2 * BG_NAME_MAX];

	bg_name(r, name);
	switch (bg_below(r, 9)) {
	case 0:
		fprintf(out, "# %s blocked since 2024\n", name);
		break;
	case 1:
		fputs("\n", out);
		break;
	case 2:
		fprintf(out, "%sbad name.%s\n", prefix, name);
		break;
	case 3:
		fprintf(out, "%s\"%s\"\n", prefix, name);
		break;
	case 4:
		fprintf(out, "%s%s\n", prefix,
			bg_tlds[bg_below(r, sizeof(bg_tlds) /
						    sizeof(bg_tlds[0]))]);
		break;
	case 5:
		fprintf(out, "%s-%s\n", prefix, name);
		break;
	case 6:
		fprintf(out, "%sa..%s\n", prefix, name);
		break;
	case 7:
		fprintf(out, "%slocalhost\n", prefix);
		break;
	default:
		fprintf(out, "%s%s:3333\n", prefix, name);
		break;
	}
}

static void gen_hosts(struct bg_rng *r, unsigned long n, FILE *out)
{
	static struct bg_ring ring;
	char name[2 * BG_NAME_MAX];
	unsigned long i;
	unsigned x;

	if (n)
		fputs("# poolwall benchmark hosts list\n", out);
	for (i = 1; i < n; i++) {
		x = bg_below(r, 1000);
		if (x < 10) {
			junk_line(r, "0.0.0.0 ", out);
			continue;
		}
		bg_list_name(r, &ring, name);
		mixed_case(r, name);
		if (x < 30)
			fprintf(out, "127.0.0.1\t%s\n", name);
		else if (x < 40)
			fprintf(out, "0.0.0.0 %s # miner\n", name);
		else
			fprintf(out, "0.0.0.0 %s\n", name);
	}
}

static void gen_adblock(struct bg_rng *r, unsigned long n, FILE *out)
{
	static struct bg_ring ring;
	char name[2 * BG_NAME_MAX];
	const char *old;
	unsigned long i;
	unsigned x;

	if (n)
		fputs("[Adblock Plus 2.0]\n", out);
	for (i = 1; i < n; i++) {
		x = bg_below(r, 1000);
		if (x < 10) {
			fprintf(out, "! rule set %lu\n", i);
		} else if (x < 20) {
			bg_name(r, name);
			fprintf(out, "%s##.coin-hive-banner\n", name);
		} else if (x < 30 && (old = bg_ring_get(&ring, r))) {
			fprintf(out, "@@||%s^\n", old);
		} else if (x < 35) {
			junk_line(r, "||", out);
		} else {
			bg_list_name(r, &ring, name);
			mixed_case(r, name);
			if (x < 85)
				fprintf(out, "||%s^$third-party\n", name);
			else
				fprintf(out, "||%s^\n", name);
		}
	}
}

static void gen_ipv4(struct bg_rng *r, unsigned long n, FILE *out)
{
	struct bg_v4 st = { 0 };
	unsigned long i;
	unsigned plen;
	uint32_t a;

	for (i = 0; i < n; i++) {
		a = bg_ipv4(r, &st, &plen);
		if (plen == 32)
			fprintf(out, "%u.%u.%u.%u\n", a >> 24, (a >> 16) & 255,
				(a >> 8) & 255, a & 255);
		else
			fprintf(out, "%u.%u.%u.%u/%u\n", a >> 24,
				(a >> 16) & 255, (a >> 8) & 255, a & 255,
				plen);
	}
}

static int usage(void)
{
	fputs("usage: gen hosts|adblock|ipv4 N [SEED]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct bg_rng r = { 0x706f6f6c77616c6cull };	/* "poolwall" */
	static char buf[1 << 16];
	unsigned long n;
	char *end;

	if (argc < 3 || argc > 4)
		return usage();
	errno = 0;
	n = strtoul(argv[2], &end, 10);
	if (errno || *end || end == argv[2])
		return usage();
	if (argc == 4)
		r.s = strtoull(argv[3], NULL, 0);
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	if (strcmp(argv[1], "hosts") == 0)
		gen_hosts(&r, n, stdout);
	else if (strcmp(argv[1], "adblock") == 0)
		gen_adblock(&r, n, stdout);
	else if (strcmp(argv[1], "ipv4") == 0)
		gen_ipv4(&r, n, stdout);
	else
		return usage();
	if (fflush(stdout) || ferror(stdout)) {
		perror("gen: stdout");
		return 1;
	}
	return 0;
}
