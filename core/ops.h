/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The analyst's commands (design.md "Commands"). */
#ifndef PW_OPS_H
#define PW_OPS_H

#include "compile.h"

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
