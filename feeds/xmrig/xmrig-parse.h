/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a miner is configured to do: its pools, logins, algorithm and the
 * addresses it listens on, read from an XMRig / xmrig-proxy config.json,
 * an xmr-stak pools.txt or a cpuminer JSON config (this file), or from a
 * command line (cmdline-parse.h).
 *
 * Pure C with jansson and no plugin API: the same code is compiled into
 * the `xmrig` and `cmdline` feed plugins and into the core for
 * `poolwall miner`, so there is one parser.  Nothing here decides whether
 * a value is a valid indicator; it only finds pools and logins and says
 * which ones are sample-config placeholders or local addresses.
 */
#ifndef PW_XMRIG_PARSE_H
#define PW_XMRIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/jsonpos.h"

#define PW_MINER_MAX_CONFIG	(16ul << 20)	/* bytes of one config */
#define PW_MINER_MAX_POOLS	4096		/* pools and listeners */
#define PW_MINER_MAX_URL	2048		/* a pool URL built */

enum pw_mrole {
	PW_MROLE_POOL = 1,	/* where the miner connects */
	PW_MROLE_LISTEN,	/* an address it listens on (bind, API) */
};

struct pw_mpool {
	enum pw_mrole role;
	unsigned line;		/* line of the entry in the input */
	char *url;		/* as written: host:port or scheme://... */
	char *user;		/* login: wallet[.worker][+diff] or a name */
	char *pass;
	char *rig_id;
	char *coin;
	char *algo;
	int tls;		/* -1 not said, 0 no, 1 yes */
	int nicehash;		/* -1 not said, 0 no, 1 yes */
	bool daemon;		/* solo mining against a node's RPC */
};

struct pw_miner {
	const char *kind;	/* "xmrig", "xmrig-proxy", "xmr-stak",
				   "cpuminer", or NULL when unknown */
	const char *kind_why;	/* what showed the kind (static text) */
	struct pw_mpool *pools;
	size_t n_pools, cap_pools;
	char *algo;		/* global algorithm (-a, top-level "algo") */
	char *coin;		/* global coin ("currency", --coin) */
	char *config;		/* -c/--config of a command line */
	char *program;		/* argv[0] of the miner's command line */
	int donate;		/* --donate-level, -1 none */
	char err[256];		/* why an input was refused */
};

/* Allocate an empty model; NULL when out of memory. */
struct pw_miner *pw_miner_new(void);
void pw_miner_free(struct pw_miner *m);		/* NULL-safe */

/*
 * Append an entry (*out); its strings are NULL and tls/nicehash -1.
 * Returns 0, -ENOMEM or -ENOSPC over PW_MINER_MAX_POOLS (m->err says).
 * *out is valid until the next call.
 */
int pw_miner_add(struct pw_miner *m, enum pw_mrole role, unsigned line,
		 struct pw_mpool **out);

/* Replace *dst by a copy of s[0..len): 0 or -ENOMEM. */
int pw_miner_set(char **dst, const char *s, size_t len);

/*
 * Read a miner configuration (JSON; `//` and `/ * * /` comments outside
 * strings, trailing commas and an xmr-stak fragment without its braces
 * are accepted) and add what it names to m.  Returns 0, -EINVAL (not
 * such a file: m->err says why, with the line), -EFBIG or -ENOMEM.
 */
int pw_miner_config_parse(struct pw_miner *m, const char *buf, size_t len);

/*
 * The pieces of a pool or listen address: host (without brackets), port
 * (0 when none), the scheme it was written with (may be empty) and the
 * user:pass@ part of a URL (may be empty).  Slices of `url`.
 */
struct pw_murl {
	const char *scheme, *user, *host;
	size_t scheme_len, user_len, host_len;
	unsigned port;		/* 0: none; 65536 and more: invalid */
};

int pw_miner_split_url(const char *url, struct pw_murl *u);

/*
 * Why an entry is not an indicator, as a pw_skip() reason slug, or NULL
 * when it is one: "listen-address" (bind, API), "local-address" (0.0.0.0,
 * ::, loopback, localhost), "placeholder" (example names, YOUR_... and
 * <redacted> values, XMRig's built-in donation pools, no address).
 */
const char *pw_miner_pool_skip(const struct pw_mpool *p);

/*
 * The pool as a URL the core can read: stratum+tcp://host:port, or
 * stratum+ssl:// when TLS is on; a node (daemon) is http(s)://.  A URL
 * written with another scheme keeps it.  Returns the length, or -EINVAL
 * (no host) / -ENOSPC (does not fit in cap, NUL included).
 */
int pw_miner_pool_url(const struct pw_mpool *p, char *buf, size_t cap);

/* Is TLS on for this pool (its flag, or an ssl/tls scheme)? */
bool pw_miner_pool_tls(const struct pw_mpool *p);

enum pw_mlogin {
	PW_ML_WALLET = 0,	/* *w, *wlen: the address part of the login */
	PW_ML_PLACEHOLDER,	/* empty, YOUR_WALLET..., <wallet> */
	PW_ML_NAME,		/* a login name, not an address */
};

/*
 * Split a login `wallet[.worker|+diff|:x|/worker]`: the wallet part in
 * w and wlen (always set, a slice of user), the rest in rest and rlen
 * (after the separator; may be empty).  The answer says whether the wallet part
 * looks like an address (letters and digits, 26 to 128 of them); the core
 * decides whether it is one.
 */
enum pw_mlogin pw_miner_login(const char *user, const char **w, size_t *wlen,
			      const char **rest, size_t *rlen);

/* Is this value a sample-config placeholder (see pw_miner_pool_skip)? */
bool pw_miner_placeholder(const char *s, size_t len);


/*
 * Make miner-config text readable by jansson: comments become spaces,
 * trailing commas are dropped and a fragment of members gets its braces
 * (on the same line, so line numbers hold).  *out is malloc'ed, *outlen
 * bytes plus a NUL.  Returns 0, -EINVAL (unterminated string or comment,
 * err says where) or -ENOMEM.
 */
int pw_miner_json_prepass(const char *in, size_t len, char **out,
			  size_t *outlen, char *err, size_t errlen);

#endif
