/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tap.h"

static char *slurp(FILE *f)
{
	long n;
	char *b;

	fflush(f);
	n = ftell(f);
	rewind(f);
	b = calloc(1, (size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n)
		b[0] = '\0';
	return b;
}

static size_t count_lines(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s++;
	}
	return n;
}

int main(void)
{
	FILE *f = tmpfile();
	struct pw_diag *d = pw_diag_new(f, 3);
	char q[32], *out;
	int i;

	ok(d != NULL, "diag created");
	is_str(pw_reason_name(PW_R_LABEL_LEN), "label-too-long",
	       "reason name");
	is_str(pw_reason_name(-PW_R_PUBLIC_SUFFIX), "public-suffix",
	       "negative reasons are accepted");
	is_str(pw_reason_name(9999), "unknown-reason", "out of range");
	for (i = PW_R_EMPTY; i < PW_DN_MAX; i++)
		if (!strcmp(pw_reason_name(i), "unknown-reason"))
			break;
	is_int(i, PW_DN_MAX, "every reason has a name");

	pw_diag_quote(q, sizeof(q), "a\"b\\c\n\x01", 7);
	is_str(q, "a\\\"b\\\\c\\x0a\\x01", "quote escapes quotes, "
	       "backslashes and control bytes");
	pw_diag_quote(q, sizeof(q),
		      "0123456789012345678901234567890123456789", 40);
	ok(strlen(q) < sizeof(q), "quote never overflows (%zu)", strlen(q));
	ok(strstr(q, "...") != NULL, "a cut value says so");

	for (i = 0; i < 10; i++)
		pw_diag_add(d, "feed.txt", (unsigned)i + 1, -PW_R_CHARS, NULL,
			    "bad name", 8);
	pw_diag_add(d, "feed.txt", 42, PW_R_SINGLE_LABEL, NULL, "com", 3);
	pw_diag_add(d, "feed.txt", 43, PW_DN_SKIPPED, "cosmetic-rule",
		    "x##y", 4);
	pw_diag_add(d, "feed.txt", 44, PW_DN_HOSTBITS, NULL, "1.2.3.4/8", 9);
	is_int(pw_diag_rejected(d), 11, "rejections counted, skips and "
	       "notes not");
	is_int(pw_diag_count(d, PW_R_CHARS), 10, "per-reason count");
	is_int(pw_diag_count(d, PW_DN_SKIPPED), 1, "skips counted by slug");
	pw_diag_summary(d);
	out = slurp(f);
	ok(out != NULL, "read the messages");
	is_int(count_lines(out, "rejected (characters not allowed"), 3,
	       "only the first 3 examples of a reason are printed");
	ok(strstr(out, "feed.txt:1: rejected") != NULL,
	   "messages carry source:line");
	ok(strstr(out, "\"bad name\"") != NULL, "and the quoted value");
	ok(strstr(out, "...and 7 more bad-chars") != NULL,
	   "the rest is summarized");
	ok(strstr(out, "feed.txt:43: skipped (cosmetic-rule)") != NULL,
	   "skips name the plugin's reason");
	ok(strstr(out, "feed.txt:42: rejected (bare TLD") != NULL,
	   "single-label reason text");
	free(out);
	pw_diag_free(d);
	pw_diag_free(NULL);
	fclose(f);
	return tap_done();
}
