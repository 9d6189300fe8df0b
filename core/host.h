/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core's side of a running plugin (struct pw_host of plugin.h): turns
 * a feed's raw tokens into validated indicators in a set, counting every
 * rejection by reason with source:line.
 */
#ifndef PW_HOST_H
#define PW_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "normalize.h"
#include "set.h"

struct pw_feed_stats {
	unsigned long tokens;	/* handed to the core */
	unsigned long accepted;	/* tokens that gave at least one indicator */
	unsigned long rejected;
	unsigned long skipped;	/* lines the plugin skipped on purpose */
	unsigned long indicators;
};

struct pw_host_conf {
	const char *kind;		/* "feed", "output", "allow" */
	const char *plugin;		/* plugin name, for messages */
	const char *source;		/* feed name: provenance and messages */
	int subdomains;			/* -1 plugin default, 0 no, 1 yes */
	bool allowlist;			/* every token is an allow entry */
	bool monitor;			/* observe-only tier */
	const char *incident;		/* provenance for every token */
	int64_t expires;		/* for tokens that carry none */
	unsigned token_flags;		/* PW_T_* added to every token */
	unsigned long max_tokens;	/* 0 = PW_HOST_MAX_TOKENS */
	const char *target;		/* output: file being replaced */
	uint64_t generation;		/* 0 outside `update` */
	int64_t now;			/* 0: SOURCE_DATE_EPOCH or time() */
	enum pw_apply_op apply_op;	/* output: what apply() gets */
};

#define PW_HOST_MAX_TOKENS 20000000ul

/* set and diag may be NULL for an output host. */
struct pw_host *pw_host_new(const struct pw_host_conf *c,
			    const struct pw_norm_opts *o, struct pw_set *set,
			    struct pw_diag *diag);
void pw_host_free(struct pw_host *h);	/* NULL-safe */
const struct pw_feed_stats *pw_host_stats(const struct pw_host *h);
/* "feed hosts[nocoin]: " */
const char *pw_host_prefix(const struct pw_host *h);

/*
 * The emergency part of an output (pw_host_split): the suffix the plugin
 * asked for (NULL: one file), and which file render() writes next, with
 * the part's absolute path (the main file includes it).
 */
const char *pw_host_part_suffix(const struct pw_host *h);
int pw_host_set_part(struct pw_host *h, enum pw_part part, const char *path);

/* The run's time: SOURCE_DATE_EPOCH when set, else the clock. */
int64_t pw_run_time(void);

/*
 * Read an allowlist file through the core: one entry a line (`#` comments):
 * `name` spares that name, `.name` the name and all below, `*.name` only
 * what is below, and CIDRs/addresses/ranges.
 */
int pw_allow_parse(struct pw_host *h, const char *buf, size_t len);

#endif
