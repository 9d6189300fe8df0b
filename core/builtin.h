/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in default input: well-known pools and stratum ports. */
#ifndef PW_BUILTIN_H
#define PW_BUILTIN_H

#include <stddef.h>

struct pw_host;

/* Emit the built-in pool names and stratum ports through the core. */
int pw_builtin_parse(struct pw_host *h);

extern const char pw_builtin_pools[];
extern const char pw_builtin_ports[];
extern const char pw_builtin_catalog[];
extern const char pw_builtin_cdn[];	/* data/cdn-ranges.list */	/* data/feeds.conf */

#endif
