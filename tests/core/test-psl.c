/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The public-suffix filter of normalize.c answers without libpsl when it
 * can prove libpsl's answer.  This compares pw_is_public_suffix() with the
 * same question put to libpsl directly, over tricky suffixes, every rule
 * of the system's list (with names above and below it) and every name-like
 * token of the shared corpus ($PW_CORPUS).
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <idn2.h>
#include <libpsl.h>

#include "normalize.h"
#include "tap.h"

#define NAME_CAP 512

static unsigned long n_checked, n_wrong;

static void check(const char *name)
{
	bool fast = pw_is_public_suffix(name);
	bool slow = pw_is_public_suffix_uncached(name);

	n_checked++;
	if (fast != slow && ++n_wrong <= 20)
		printf("# '%s': filter says %d, libpsl %d\n", name, fast, slow);
}

/* name, then x.name and x.y.name, then each parent of name */
static void check_around(const char *name)
{
	char buf[NAME_CAP];
	const char *p;

	if (strlen(name) + 5 >= sizeof(buf))
		return;
	check(name);
	snprintf(buf, sizeof(buf), "x.%s", name);
	check(buf);
	snprintf(buf, sizeof(buf), "x.y.%s", name);
	check(buf);
	snprintf(buf, sizeof(buf), "www.%s", name);
	check(buf);
	for (p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
		check(p + 1);
}

static const char *const tricky[] = {
	"co.uk", "a.co.uk", "b.a.co.uk", "uk", "nhs.uk", "a.nhs.uk",
	"ck", "foo.ck", "a.foo.ck", "www.ck", "a.www.ck",
	"github.io", "x.github.io", "y.x.github.io", "io",
	"com", "example.com", "blogspot.com", "x.blogspot.com",
	"kawasaki.jp", "x.kawasaki.jp", "city.kawasaki.jp",
	"a.city.kawasaki.jp", "jp", "tokyo.jp", "a.tokyo.jp",
	"compute.amazonaws.com", "eu-west-1.compute.amazonaws.com",
	"x.eu-west-1.compute.amazonaws.com", "s3.amazonaws.com",
	"bd", "com.bd", "x.com.bd", "er", "x.er", "x.y.er",
	"xn--p1ai", "xn--80aswg.xn--p1ai", "a.xn--80aswg.xn--p1ai",
	"xn--fiqs8s", "a.xn--fiqs8s", "xn--55qx5d.cn", "a.xn--55qx5d.cn",
	"xn--90a3ac", "xn--o1ach.xn--90a3ac", "xn--mgbaam7a8h",
	"a.xn--mgbaam7a8h",
	"zzzz", "a.zzzz", "a.b.zzzz", "test", "a.test", "local", "a.local",
	"a_b.com", "_dmarc.co.uk", "1.2.3.4", "a-.com", "-a.co.uk",
	"supportxmr.com", "pool.supportxmr.com", "minexmr.com",
	/* off the filter's path: libpsl answers these itself */
	"CO.UK", "Co.Uk", "co.uk.", ".co.uk", "a..co.uk", "a.co..uk",
	"\xc3\xa5lesund.no", "x.\xc3\xa5lesund.no",
};

/* every rule of the list: ASCII as is, IDN through its A-label */
static void check_list(const char *path)
{
	char line[1024], *p, *e;
	uint8_t *a;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		printf("# %s: not readable, list rules not checked\n", path);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (p[0] == '/' && p[1] == '/')
			continue;
		for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\r' &&
			    *e != '\n'; e++)
			;
		*e = '\0';
		if (*p == '!')
			p++;
		else if (p[0] == '*' && p[1] == '.')
			p += 2;
		if (!*p)
			continue;
		check_around(p);
		if (idn2_lookup_u8((const uint8_t *)p, &a,
				   IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) ==
		    IDN2_OK) {
			check_around((const char *)a);
			idn2_free(a);
		}
	}
	fclose(fp);
}

static bool name_byte(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* every run of name bytes with a dot in it, lowercased */
static void check_file(const char *path)
{
	char name[NAME_CAP];
	size_t n = 0;
	bool dot = false;
	int c;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return;
	do {
		c = getc(fp);
		if (c != EOF && name_byte(c)) {
			if (n < sizeof(name) - 1)
				name[n++] = (char)(c >= 'A' && c <= 'Z' ?
						   c - 'A' + 'a' : c);
			dot |= c == '.';
			continue;
		}
		while (n && name[n - 1] == '.')
			n--;
		name[n] = '\0';
		if (dot && n)
			check(name[0] == '.' ? name + 1 : name);
		n = 0;
		dot = false;
	} while (c != EOF);
	fclose(fp);
}

static void check_tree(const char *dir, unsigned depth)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if (depth > 4)
		return;
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			check_tree(path, depth + 1);
		else if (S_ISREG(st.st_mode) && st.st_size < (64 << 20))
			check_file(path);
	}
	closedir(dp);
}

int main(void)
{
	const char *corpus = getenv("PW_CORPUS");
	const char *list = psl_builtin_filename();
	size_t i;
	int round;

	if (!pw_psl_filter_active())
		printf("# the filter is not in use here: both sides ask "
		       "libpsl\n");

	/* twice: the second round answers from the per-TLD memo */
	for (round = 0; round < 2; round++) {
		n_checked = n_wrong = 0;
		for (i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
			check(tricky[i]);
		ok(n_wrong == 0, "round %d: %lu tricky names agree", round,
		   n_checked);
	}

	n_checked = n_wrong = 0;
	if (list && *list)
		check_list(list);
	check_list("/usr/share/publicsuffix/public_suffix_list.dat");
	ok(n_wrong == 0, "%lu names around the list's rules agree", n_checked);

	n_checked = n_wrong = 0;
	if (corpus && *corpus)
		check_tree(corpus, 0);
	else
		printf("# PW_CORPUS not set: corpus names not checked\n");
	ok(n_wrong == 0, "%lu corpus names agree", n_checked);

	pw_normalize_cleanup();
	return tap_done();
}
