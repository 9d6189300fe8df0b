/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `update` pipeline and the commands that share it (block, unblock,
 * expire, export): collect feeds, incident files, emergency blocks and the
 * allowlist into one set; apply the safety guards; render, validate, swap,
 * reload and check every output; record the generation.
 */
#ifndef PW_UPDATE_H
#define PW_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "compile.h"
#include "conffile.h"
#include "diag.h"
#include "host.h"
#include "normalize.h"
#include "set.h"
#include "state.h"

/* update exit codes (design.md) */
#define PW_EXIT_STALE 3		/* published, some feeds stale or failed */
#define PW_EXIT_REFUSED 4	/* refused by a safety guard */

struct pw_run {
	const struct pw_global *g;
	struct pw_config *cfg;
	struct pw_state *st;
	int lock_fd;
	int64_t now;
	const char *plugin_dir;
	bool interactive;	/* stdout is a terminal, or -v */
};

struct pw_out_result {
	const struct pw_output_cfg *o;
	const char *result;	/* "published", "failed", "skipped", ... */
	char msg[512];
	char part[4096];	/* the emergency part written (absolute
				   path), if the output is split */
};

struct pw_pipeline_opts {
	bool offline;		/* cache only, no network */
	bool dry_run;		/* print what would change; change nothing */
	bool force;		/* override the shrink guard */
	char **only;		/* --output NAME..., NULL-terminated */
	const char *why;	/* "update", "block", "expire" (messages) */
	bool skip_live;		/* do not call apply() (block and unblock
				   changed the live outputs already; the
				   kernel expires its own) */
	bool keep_set;		/* do not rewrite the stored set (block,
				   unblock, expire: their change lives in the
				   emergency table, which `check` reads too) */
	bool emerg_parts;	/* block, unblock, expire: an output split
				   in two files (pw_host_split) gets only its
				   emergency part rewritten, from the
				   emergency entries alone; the others are
				   rendered whole from the cached feeds */
};

/* Load the configuration, open the state, take the lock. */
int pw_run_open(struct pw_run *r, const struct pw_global *g, bool writer);
void pw_run_close(struct pw_run *r);

/* Collect, guard, publish; returns an exit code. */
int pw_pipeline(struct pw_run *r, const struct pw_pipeline_opts *o);

/* The allowlist, own networks and CDN guard as allow entries of `set`. */
int pw_collect_allow(struct pw_run *r, struct pw_set *set,
		     struct pw_diag *diag);
/* Normalization options from the configuration. */
void pw_run_norm_opts(const struct pw_run *r, struct pw_norm_opts *o);
/* Load a feed plugin by name and run it over buf with host h. */
int pw_run_parse(struct pw_run *r, const char *format, struct pw_host *h,
		 const char *buf, size_t len);

/* Run a configured command (sh -c; %f is "$1"), stdin from `in` if set. */
int pw_run_command(const char *what, const char *cmd, const char *file,
		   const char *in, char *msg, size_t cap);

int pw_cmd_update(const struct pw_global *g, int argc, char **argv);

#endif
