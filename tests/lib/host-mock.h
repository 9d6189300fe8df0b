/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the core's side of a feed plugin (struct pw_host): it
 * implements the plugin.h services a feed calls and records what the feed
 * hands over, in a stable text form that golden files can compare.
 *
 * stdout, one line per token:
 *	LINE <TAB> HINT <TAB> FLAGS <TAB> TOKEN [<TAB> key=value ...]
 * stderr, one line per pw_skip() and per pw_log():
 *	LINE <TAB> skip <TAB> REASON <TAB> "VALUE"	(value cut at 80 bytes)
 *	log <TAB> PRIO <TAB> MESSAGE
 * Bytes outside printable ASCII, the backslash and '"' are written as
 * \xNN.
 *
 * The mock also checks what the ABI promises and counts every breach in
 * `violations` (a token of zero length, line 0, lines going backwards, an
 * unknown hint or flag, a reason that is not a slug); each breach is also
 * told on stderr as `mock-error <TAB> ...`.
 *
 * In quiet mode nothing is printed.  When host-mock.c is compiled with
 * PW_MOCK_NORMALIZE (the fuzz targets), quiet mode also runs every token
 * through the core's pw_normalize() with the default options.
 */
#ifndef PW_HOST_MOCK_H
#define PW_HOST_MOCK_H

#include <stdbool.h>
#include <stdio.h>

#include <poolwall/plugin.h>

struct pw_host {
	int subdomains;			/* -1: the plugin default */
	unsigned long max_tokens;	/* 0: none; over it -ENOSPC */
	bool quiet;
	FILE *out;			/* tokens (stdout) */
	FILE *err;			/* skips, logs, breaches (stderr) */
	unsigned long n_tokens;
	unsigned long n_skips;
	unsigned long n_logs;
	unsigned long violations;
	unsigned last_line;
	void *norm;			/* quiet mode with PW_MOCK_NORMALIZE */
};

/* Defaults: plugin default for subdomains, no cap, stdout and stderr. */
int pw_mock_init(struct pw_host *h, bool quiet);
void pw_mock_cleanup(struct pw_host *h);

/*
 * Check the descriptor, then create, parse a private copy of buf (freed
 * before destroy, so a pointer kept into it shows up under ASan) and
 * destroy.  Returns the result of create or parse; a broken descriptor
 * counts as a breach and returns -EINVAL.
 */
int pw_mock_run(struct pw_host *h, const struct pw_plugin *p,
		const char *buf, size_t len);

/* Escape a value as the mock prints it, cut at `max` input bytes. */
void pw_mock_print(FILE *f, const char *s, size_t len, size_t max);

#endif
