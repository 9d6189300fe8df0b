/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * poolwall plugin ABI.
 *
 * This is the only header a plugin includes.  A plugin is a shared object
 * exporting one symbol, `poolwall_plugin`, a const struct pw_plugin.  The
 * core (never the plugin) decides what a valid indicator is: a feed plugin
 * turns bytes into raw tokens with pw_emit(); an output plugin renders the
 * final, sorted, validated set it is handed through pw_set_iter() into a
 * sink it does not own.
 *
 * Compatibility: PW_PLUGIN_ABI is bumped only for incompatible changes.
 * New members are appended to the structs below; the core checks `size`.
 */
#ifndef POOLWALL_PLUGIN_H
#define POOLWALL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_PLUGIN_ABI 1

#if defined(__GNUC__)
#define PW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PW_EXPORT __attribute__((visibility("default")))
#else
#define PW_PRINTF(a, b)
#define PW_EXPORT
#endif

enum pw_kind { PW_FEED = 1, PW_OUTPUT };

enum pw_opt { PW_OPT_STR, PW_OPT_BOOL, PW_OPT_UINT, PW_OPT_DUR, PW_OPT_PATH };

/*
 * What a feed plugin believes a token is.  PW_H_ANY lets the core classify.
 * The core validates every token whatever the hint says.
 */
enum pw_hint {
	PW_H_ANY = 0,
	PW_H_DOMAIN,
	PW_H_IP,	/* address, CIDR or a-b range, v4 or v6 */
	PW_H_URL,	/* also host:port, [v6]:port */
	PW_H_PORT,	/* 3333, tcp/3333, 14433-14444/tcp */
	PW_H_WALLET,
	PW_H_HASH,
};

/* Token flags (struct pw_token.flags) */
#define PW_T_EXACT	0x01u	/* domain: this name only */
#define PW_T_TREE	0x02u	/* domain: this name and every name below */
#define PW_T_ALLOW	0x04u	/* an allow entry (adblock @@), never a block */
#define PW_T_MONITOR	0x08u	/* observe-only tier */
#define PW_T_PROSE	0x10u	/* found in free text: the core is stricter
				   (a domain needs a known public suffix) */
#define PW_T_EMERGENCY	0x20u	/* an emergency block (from `block`) */

/* A raw token as a feed plugin hands it to the core. */
struct pw_token {
	unsigned line;		/* 1-based line in the feed */
	const char *tok;	/* not NUL-terminated; not kept after return */
	size_t len;
	enum pw_hint hint;
	unsigned flags;		/* PW_T_* */
	const char *source;	/* optional: provenance carried by the data */
	const char *incident;	/* optional */
	int64_t expires;	/* optional: unix time, 0 = none */
};

struct pw_host;		/* the core's side of a running plugin */
struct pw_stat;		/* a live counter or offender (read-back) */
struct pw_set;		/* the final indicator set */
struct pw_sink;		/* where an output writes; owned by the core */

struct pw_option {
	const char *name;	/* key in the plugin's INI section */
	const char *def;	/* default as text; NULL = required */
	enum pw_opt type;
	size_t offset;		/* offsetof(struct <plugin>_conf, field) */
	const char *help;	/* one line; the man page says more */
};

/*
 * Option storage by type: PW_OPT_STR and PW_OPT_PATH are `const char *`
 * (owned by the core), PW_OPT_BOOL is `int`, PW_OPT_UINT is `unsigned long`,
 * PW_OPT_DUR is `int64_t` seconds.
 */

struct pw_plugin {
	uint32_t abi;		/* PW_PLUGIN_ABI */
	uint32_t size;		/* sizeof(struct pw_plugin) */
	const char *name;	/* "hosts", "nft", "rpz" */
	enum pw_kind kind;
	const char *summary;	/* one line for `poolwall plugins` */
	const struct pw_option *options;	/* ends with { NULL } */
	size_t conf_size;	/* zeroed, filled by the core */
	int (*create)(struct pw_host *h, const void *conf, void **state);
	void (*destroy)(void *state);		/* NULL-safe */
	/* feeds: called once with the whole body */
	int (*parse)(void *state, const char *buf, size_t len);
	/* outputs */
	int (*render)(void *state, const struct pw_set *s, struct pw_sink *out);
	int (*apply)(void *state, const struct pw_set *s);	/* optional */
	/* optional: read live state back (`status`, `hits`) */
	int (*query)(void *state, int what,
		     int (*cb)(void *ctx, const struct pw_stat *st), void *ctx);
};

/* ---- live read-back: query() ---- */
#define PW_Q_COUNTERS	1	/* the rules' counters */
#define PW_Q_OFFENDERS	2	/* hosts that hit a block */

struct pw_stat {
	const char *name;	/* counter name, or the offender's address */
	uint64_t packets, bytes;
	int64_t age;		/* offenders: seconds since the last hit
				   (-1 unknown) */
	int64_t left;		/* offenders: seconds until forgotten */
};

/* The one symbol a plugin exports. */
extern PW_EXPORT const struct pw_plugin poolwall_plugin;

/* ---- services the core provides to plugins ---- */

/*
 * The line loop of a line-oriented format: line() for each line of buf,
 * numbered from 1, without its `\n` (a `\r` before it is left to line());
 * a UTF-8 byte order mark at the start is skipped.  Stops at the first
 * non-zero return of line() and returns it; 0 at the end.
 */
PW_EXPORT int pw_lines(const char *buf, size_t len,
		       int (*line)(void *ctx, unsigned n, const char *s,
				   size_t len),
		       void *ctx);

/* Hand one raw token to the core. Returns 0, or -ENOSPC over the token cap. */
PW_EXPORT int pw_emit(struct pw_host *h, unsigned line, const char *tok, size_t len,
	    enum pw_hint hint);
PW_EXPORT int pw_emit_token(struct pw_host *h, const struct pw_token *t);

/*
 * Report a line the plugin skipped on purpose (comment syntax it does not
 * take, a cosmetic adblock rule): counted by reason, never silent.
 * `reason` is a short static slug such as "cosmetic-rule".
 */
PW_EXPORT void pw_skip(struct pw_host *h, unsigned line, const char *reason,
	     const char *val, size_t len);

/* Feed option: does a domain in this feed cover its subdomains by default? */
PW_EXPORT int pw_host_subdomains(const struct pw_host *h, int plugin_default);

/*
 * About the run, for outputs: the file the sink will replace (NULL for
 * stdout; an output may read it, e.g. for the previous zone serial), the
 * generation number of this run (0 outside `update`), and the run's time
 * (unix seconds; SOURCE_DATE_EPOCH when set, for reproducible output).
 */
PW_EXPORT const char *pw_host_target(const struct pw_host *h);
PW_EXPORT uint64_t pw_host_generation(const struct pw_host *h);
PW_EXPORT int64_t pw_host_now(const struct pw_host *h);

/*
 * For apply() of a live output: what the set holds.  REFRESH: the whole
 * result (update); ADD / REMOVE: only the emergency items a `block` or
 * `unblock` just changed, to add to or delete from the live emergency
 * entries without touching anything else.
 */
enum pw_apply_op { PW_APPLY_REFRESH = 0, PW_APPLY_ADD, PW_APPLY_REMOVE };
PW_EXPORT enum pw_apply_op pw_host_apply_op(const struct pw_host *h);

/*
 * An output whose file can keep the emergency entries in a small file of
 * their own, which the main file includes (nft), says so from create():
 * `suffix` (such as ".emerg") names that file beside the target.  The
 * core then writes such an output as two files, calling render() once
 * for each (pw_host_part() tells which), and `block`, `unblock` and
 * `expire` rewrite only the emergency part, from the emergency entries
 * alone, instead of the whole output.  The part must be a valid file on
 * its own: those commands run the validator on it alone.  Without a file
 * target (stdout, `compile`) render() is called once, for the whole.
 * Returns 0, or -EINVAL for a suffix that is not a plain file suffix.
 */
PW_EXPORT int pw_host_split(struct pw_host *h, const char *suffix);
enum pw_part {
	PW_PART_WHOLE = 0,	/* one file with everything */
	PW_PART_MAIN,		/* all but the emergency entries; includes
				   the part at pw_host_part_path() */
	PW_PART_EMERG,		/* the set's emergency entries only */
};
PW_EXPORT enum pw_part pw_host_part(const struct pw_host *h);
/* The emergency part's absolute path while split, else NULL. */
PW_EXPORT const char *pw_host_part_path(const struct pw_host *h);

PW_EXPORT void pw_log(struct pw_host *h, int prio, const char *fmt, ...) PW_PRINTF(3, 4);

PW_EXPORT int pw_sink_write(struct pw_sink *o, const void *buf, size_t len);
PW_EXPORT int pw_sink_printf(struct pw_sink *o, const char *fmt, ...) PW_PRINTF(2, 3);

/* ---- the final set, as outputs see it ---- */

enum pw_ikind {
	PW_I_DOMAIN = 1,
	PW_I_IPV4,
	PW_I_IPV6,
	PW_I_PORT,
	PW_I_URL,
	PW_I_WALLET,
	PW_I_HASH,
};

#define PW_IMASK(k) (1u << (k))
#define PW_IMASK_ALL 0xfeu

/* struct pw_item.flags */
#define PW_F_SUBDOMAINS	0x01u	/* domain: names below are covered too */
#define PW_F_SELF	0x02u	/* domain: the name itself is covered */
#define PW_F_MONITOR	0x04u	/* observe-only tier */
#define PW_F_EMERGENCY	0x08u	/* only emergency blocks name it (with an
				   expiry in `expires`, or permanent) */

enum pw_proto { PW_PROTO_TCP = 1, PW_PROTO_UDP = 2, PW_PROTO_BOTH = 3 };

/*
 * One validated, canonical indicator.  Every string is already in its
 * canonical form and safe for any output syntax.  Valid during the
 * callback only.
 */
struct pw_item {
	enum pw_ikind kind;
	unsigned flags;		/* PW_F_* */
	const char *value;	/* canonical text, as the `ioc` output writes */
	const char *sources;	/* comma-separated source names */
	const char *incident;	/* NULL if none */
	int64_t expires;	/* unix time, 0 = none */
	/* kind-specific detail */
	const char *sub;	/* wallet: coin; hash: md5|sha1|sha256;
				   url: the host part */
	uint8_t addr[16];	/* ipv4 (first 4 bytes) / ipv6, network order */
	unsigned plen;		/* prefix length */
	enum pw_proto proto;	/* port; url: 0 */
	uint16_t port_lo, port_hi;	/* port; url: port (0 if none) */
};

typedef int (*pw_item_cb)(void *ctx, const struct pw_item *it);

/* Visit the items whose kind is in `kinds` (PW_IMASK bits), sorted. */
PW_EXPORT int pw_set_iter(const struct pw_set *s, unsigned kinds, pw_item_cb cb,
		void *ctx);
PW_EXPORT size_t pw_set_count(const struct pw_set *s, enum pw_ikind k);

/* Allow entries under blocked names (outputs that can express exceptions). */
PW_EXPORT int pw_set_iter_allow(const struct pw_set *s, pw_item_cb cb, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* POOLWALL_PLUGIN_H */
