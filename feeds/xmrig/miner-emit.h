/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tokens of one pool a miner is pointed at (xmrig-parse.h), shared by
 * the feeds that read miners (xmrig, cmdline): its URL (or the reason it
 * is skipped: a placeholder, a local address), then for a pool, not a
 * listen address, the wallet part of its login.
 */
#ifndef PW_MINER_EMIT_H
#define PW_MINER_EMIT_H

#include "xmrig-parse.h"

struct pw_host;

/* 0, or the first error of pw_emit() */
int pw_miner_emit(struct pw_host *h, const struct pw_mpool *p);

#endif
