/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stateless commands: compile, extract, plugins. */
#ifndef PW_COMPILE_H
#define PW_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

/* Options given before the command (design.md "Commands"). */
struct pw_global {
	const char *config;	/* -c FILE */
	const char *state_dir;	/* -S DIR */
	const char *plugin_dir;	/* --plugin-dir DIR */
	int verbosity;		/* -1 quiet, 0 normal, 1 verbose */
	bool json;
};

/* Exit codes (design.md): */
#define PW_EXIT_OK 0
#define PW_EXIT_ERROR 1
#define PW_EXIT_USAGE 2

#define PW_MAX_BODY (512ul * 1024 * 1024)	/* one input, bytes */

int pw_cmd_compile(const struct pw_global *g, int argc, char **argv);
int pw_cmd_extract(const struct pw_global *g, int argc, char **argv);
int pw_cmd_plugins(const struct pw_global *g, int argc, char **argv);

/* Read a whole file ("-" = stdin) up to cap bytes; *buf is malloc'ed. */
int pw_read_file(const char *path, size_t cap, char **buf, size_t *len,
		 char *err, size_t errlen);

#endif
