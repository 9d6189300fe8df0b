/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Miner command lines: XMRig and its forks, xmr-stak, cpuminer and
 * cpuminer-opt, and the common GPU miners' pool options, also inside a
 * cron line, a shell one-liner (`nohup ... &`, `;`, `&&`, `|`),
 * `sh -c '...'` and a systemd `ExecStart=`.  Pure C, no plugin API:
 * compiled into the `cmdline` feed and into the core (`poolwall miner`).
 * The pools found are added to a struct pw_miner (xmrig-parse.h).
 */
#ifndef PW_CMDLINE_PARSE_H
#define PW_CMDLINE_PARSE_H

#include <stddef.h>

#include "../xmrig/xmrig-parse.h"

#define PW_CMDLINE_MAX_WORDS	4096	/* words of one command line */
#define PW_CMDLINE_MAX_DEPTH	3	/* sh -c '...' inside sh -c ... */

/*
 * Find the miner options in one shell line s[0..len) and add the pools
 * they name to m, each with `line`.  A line without a miner adds nothing.
 * Returns 0, -ENOMEM or -ENOSPC (too many pools).
 */
int pw_miner_cmdline_parse(struct pw_miner *m, const char *s, size_t len,
			   unsigned line);

/* The same for an argument vector, e.g. from /proc/PID/cmdline. */
int pw_miner_argv_parse(struct pw_miner *m, char *const *argv, size_t argc,
			unsigned line);

/* Does this program name look like a miner (xmrig, xmr-stak, cpuminer,
   minerd, *miner*)?  The directory and a `.exe` suffix are ignored. */
int pw_miner_program_kind(const char *prog, const char **kind);

#endif
