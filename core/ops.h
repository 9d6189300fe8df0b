/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The analyst's commands (design.md "Commands"). */
#ifndef PW_OPS_H
#define PW_OPS_H

#include <jansson.h>
#include <stdbool.h>

#include "compile.h"
#include "update.h"

/* Read live state back from every output that can (nft). */
struct live_q {
	const char *output;	/* set for each output in turn */
	json_t *arr;
	int64_t window;
	unsigned long n;
	bool json;
	void *user;
};

int pw_live_each(struct pw_run *r, int what,
		 int (*cb)(void *ctx, const struct pw_stat *st),
		 struct live_q *lq);

int pw_cmd_block(const struct pw_global *g, int argc, char **argv);
int pw_cmd_unblock(const struct pw_global *g, int argc, char **argv);
int pw_cmd_expire(const struct pw_global *g, int argc, char **argv);
int pw_cmd_list(const struct pw_global *g, int argc, char **argv);
int pw_cmd_check(const struct pw_global *g, int argc, char **argv);
int pw_cmd_status(const struct pw_global *g, int argc, char **argv);
int pw_cmd_config(const struct pw_global *g, int argc, char **argv);
int pw_cmd_hits(const struct pw_global *g, int argc, char **argv);
int pw_cmd_export(const struct pw_global *g, int argc, char **argv);

#endif
