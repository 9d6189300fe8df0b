/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `poolwall miner`: what a miner on this host is pointed at (pools,
 * wallets, logins, algorithm, TLS) and which binary it is (SHA-256, the
 * miner and the malware family it belongs to), from its config, its
 * command line, a running process or the binary, printed as `ioc` lines
 * that `poolwall block -` takes.  --preserve keeps the evidence of a
 * running miner before it is killed.  Reads only; never stops anything.
 */
#ifndef PW_MINER_H
#define PW_MINER_H

#include "compile.h"

int pw_cmd_miner(const struct pw_global *g, int argc, char **argv);

#endif
