/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `nft`: what nft.c, nft-render.c and nft-netlink.c share.
 *
 * The ruleset is described once, by tables: the sets (nft_sets[]) and the
 * rules of every chain (nft_rules()).  nft-render.c turns that description
 * into the text of an `nft -f` file; nft-netlink.c into one netlink batch
 * built with libnftnl and libmnl.  Both take the elements from
 * nft_elems_walk(), so the file and the batch always hold the same.
 *
 * Nothing here is exported from the plugin: only `poolwall_plugin` is.
 */
#ifndef PW_NFT_H
#define PW_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <poolwall/plugin.h>

struct nft_elembatch;

#define NFT_NAME_MAX	32	/* table name, with its NUL */
#define NFT_PREFIX_MAX	128	/* log prefix with its NUL: NF_LOG_PREFIXLEN */
#define NFT_MON_SUFFIX	"monitor "	/* appended for observe-only rules */
#define NFT_OFFENDERS_SIZE 65535	/* most hosts an offender set holds */

/* The options as the core fills them (see nft_options in nft.c). */
struct nft_conf {
	const char *mode;
	const char *table;
	const char *hooks;
	const char *priority;
	const char *action;
	const char *log_prefix;
	int64_t offender_timeout;
	const char *exempt;
	int counters;
};

enum nft_action { NFT_A_DROP, NFT_A_REJECT, NFT_A_LOG };

/* An inclusive range of keys, network byte order; keylen 4, 16 or 2. */
struct nft_elem {
	uint8_t lo[16], hi[16];
	uint64_t timeout_ms;	/* 0: none (the set's default) */
};

/* The options, checked and parsed. */
struct nft_cfg {
	bool netlink;
	char table[NFT_NAME_MAX];
	unsigned hooks;		/* bit NF_INET_* per chain */
	int32_t prio;
	enum nft_action action;
	char log_prefix[NFT_PREFIX_MAX];
	uint64_t offender_timeout_ms;	/* 0: no offender tracking */
	bool counters;
	/* exempt networks, sorted, merged: never matched */
	struct nft_elem *exempt4, *exempt6;
	size_t n_exempt4, n_exempt6;
};

int nft_cfg_parse(struct nft_cfg *cfg, const struct nft_conf *c, char *err,
		  size_t errlen);
void nft_cfg_free(struct nft_cfg *cfg);

/* ---- the sets of the table ---- */

enum nft_sid {
	NFT_S_EXEMPT_V4,
	NFT_S_EXEMPT_V6,
	NFT_S_FEED_V4,
	NFT_S_EMERG_V4,
	NFT_S_MON_V4,
	NFT_S_FEED_V6,
	NFT_S_EMERG_V6,
	NFT_S_MON_V6,
	NFT_S_PORTS,		/* every udp set follows its tcp set */
	NFT_S_PORTS_UDP,
	NFT_S_EMERG_PORTS,
	NFT_S_EMERG_PORTS_UDP,
	NFT_S_MON_PORTS,
	NFT_S_MON_PORTS_UDP,
	NFT_S_OFF_V4,
	NFT_S_OFF_V6,
	NFT_S_MAX
};

enum nft_key { NFT_KEY_V4, NFT_KEY_V6, NFT_KEY_PORT };

enum nft_tier {
	NFT_T_EXEMPT,		/* from the `exempt` option */
	NFT_T_MONITOR,		/* observe-only items: count and log */
	NFT_T_EMERG,		/* emergency / expiring items, with timeouts */
	NFT_T_FEED,		/* everything else */
	NFT_T_OFFENDERS,	/* filled by the kernel: who hit a block */
};

struct nft_setdef {
	const char *name;
	enum nft_key key;
	enum nft_tier tier;
	uint8_t l4proto;	/* ports: IPPROTO_TCP or IPPROTO_UDP */
};

extern const struct nft_setdef nft_sets[NFT_S_MAX];

/* NFT_SET_* flags, nft datatype id and key length of a set. */
uint32_t nft_set_flags(enum nft_sid id);
uint32_t nft_set_keytype(enum nft_sid id);
uint32_t nft_set_keylen(enum nft_sid id);
/* The feed-like sets a refresh flushes and fills again. */
bool nft_set_refilled(enum nft_sid id);

/* ---- the rules of a chain ---- */

enum nft_match {
	NFT_M_SADDR,		/* ip saddr / ip6 saddr */
	NFT_M_DADDR,		/* ip daddr / ip6 daddr */
	NFT_M_DPORT,		/* tcp dport / udp dport */
};

enum nft_verdict {
	NFT_V_RETURN,		/* exempt */
	NFT_V_NONE,		/* monitor, action=log: continue */
	NFT_V_DROP,
	NFT_V_REJECT,		/* icmpx admin-prohibited */
};

struct nft_rule {
	enum nft_sid set;
	enum nft_match match;
	uint8_t nfproto;	/* port rules: NFPROTO_IPV4/IPV6, 0 = both */
	bool counter;		/* counter name "<set>" */
	int offenders;		/* -1, or NFT_S_OFF_V4/V6 to update */
	bool log;
	const char *prefix;	/* log prefix (into struct nft_rules) */
	enum nft_verdict verdict;
};

#define NFT_RULES_MAX 32

struct nft_rules {
	struct nft_rule r[NFT_RULES_MAX];
	size_t n;
	char mon_prefix[NFT_PREFIX_MAX];
};

/* The rules every chain holds, in order. */
void nft_rules(const struct nft_cfg *cfg, struct nft_rules *out);

/* Chain name of a hook (NF_INET_*), or NULL. */
const char *nft_hook_name(unsigned hook);
/* The named counters: one per set with rules, when counters=yes. */
bool nft_set_counted(const struct nft_cfg *cfg, enum nft_sid id);

/* ---- the elements of one run ---- */

struct nft_stats {
	unsigned long n[NFT_S_MAX];	/* elements per set */
	unsigned long expired;		/* past their expiry: left out */
	unsigned long other[PW_I_HASH + 1];	/* kinds nft cannot use */
};

struct nft_run {
	struct pw_host *h;
	const struct nft_cfg *cfg;
	const struct pw_set *set;
	int64_t now;
	bool all_emerg;		/* block/unblock: every item is emergency */
	struct nft_stats st;
	/* the main file of a split output: the emergency part's path, which
	 * it includes at its end; its emergency sets stay empty */
	const char *part;
	/* if set (with part): the emergency elements the text leaves out
	 * are moved here, per set, for the part */
	struct nft_elems *keep;
};

typedef int (*nft_elem_cb)(void *ctx, const struct nft_elem *e);
typedef int (*nft_sid_cb)(void *ctx, enum nft_sid id,
			  const struct nft_elem *e);

/* Count what goes where (fills r->st).  0 or -errno. */
int nft_run_count(struct nft_run *r);

/*
 * One pass over the items of one kind of key: cb gets the elements of
 * every set of that kind (feed, emergency, monitor; not exempt, not
 * offenders) as they come, each set's in key order, interleaved.  A pass
 * costs as much as the core's iteration, so the file and the batch take
 * one pass per kind, not one per set.  `expired` (may be NULL) counts the
 * items already past their expiry, which are left out.
 */
int nft_elems_walk(const struct nft_run *r, enum nft_key key, nft_sid_cb cb,
		   void *ctx, unsigned long *expired);
/* The sets a walk of `key` feeds, the feed set first.  Returns how many. */
size_t nft_kind_sets(enum nft_key key, enum nft_sid *out);
/* The elements of one set, in key order (a whole pass: small sets only). */
int nft_elems_foreach(const struct nft_run *r, enum nft_sid id,
		      nft_elem_cb cb, void *ctx);

/* Elements held in memory. */
struct nft_elems {
	struct nft_elem *v;
	size_t n, alloc;
};

int nft_elems_push(struct nft_elems *a, const struct nft_elem *e);
void nft_elems_free(struct nft_elems *a);

/* Keys of klen bytes, big-endian: +1 (returns 1 when it wrapped) and -1. */
int nft_key_next(uint8_t *k, size_t klen);
void nft_key_prev(uint8_t *k, size_t klen);

/* ---- text ---- */

/* "192.0.2.0/24", "192.0.2.7", "192.0.2.7-192.0.2.9", "3333", "5000-5010" */
int nft_elem_fmt(const struct nft_elem *e, enum nft_key key, char *buf,
		 size_t len);
/* nft time: 72h -> "3d", 90061 s -> "1d1h1m1s"; 0 -> "0s". */
void nft_dur_fmt(uint64_t secs, char *buf, size_t len);

/*
 * The whole `nft -f` file: replaces the table's content in one step.  The
 * elements come from eb when given (r->st filled by nft_elems_build()),
 * else from two passes over the set (count, then write).
 */
int nft_render_ruleset(struct nft_run *r, struct pw_sink *out,
		       const char *mode, const struct nft_elembatch *eb);

/* The emergency sets, in the order of the file. */
extern const enum nft_sid nft_emerg_sets[4];

/*
 * The emergency part of a split output (v: the elements of each set, by
 * nft_sid; expired: how many were left out): the main file includes it at
 * its end, and loaded alone it replaces the content of the emergency sets
 * (declared when missing) in one transaction, nothing else.  `main` is
 * the main file's path, for the reader.
 */
int nft_render_emerg(const struct nft_run *r, struct pw_sink *out,
		     const char *mode, const struct nft_elems *v,
		     unsigned long expired, const char *mainpath);
/* Is `path` safe inside the double quotes of an nft `include`? */
bool nft_path_ok(const char *path);

/* ---- netlink (nft-netlink.c) ---- */

/* What the kernel holds of our table, read before a refresh. */
struct nft_kstate {
	uint32_t genid;			/* ruleset generation read; 0 none */
	bool table;			/* the table exists */
	bool compatible;		/* chains and sets are as configured */
	bool set[NFT_S_MAX];		/* the set exists (and matches) */
	/* emergency elements now in the kernel, per emergency set */
	struct nft_elem *emerg[NFT_S_MAX];
	size_t n_emerg[NFT_S_MAX];
	char why[160];			/* why not compatible */
};

void nft_kstate_free(struct nft_kstate *ks);

struct nft_batch;

/*
 * The elements of a run, in one pass over the set per kind of key: those
 * of the big sets (feed_v4, feed_v6, ports) straight into netlink
 * messages, the others held.  Fills r->st (the counts).  The text of
 * mode=netlink is rendered from it, and the refresh batch sends its pages
 * as they are: nothing is walked or encoded twice.
 */
int nft_elems_build(struct nft_elembatch **out, struct nft_run *r);
void nft_elembatch_free(struct nft_elembatch *eb);	/* NULL-safe */
/* The elements of set `id` in it (exempt: from the options). */
int nft_elembatch_foreach(const struct nft_elembatch *eb,
			  const struct nft_run *r, enum nft_sid id,
			  nft_elem_cb cb, void *ctx);

/*
 * Build the refresh batch: from nothing (ks->table false), by replacing the
 * table (ks->compatible false) or in place (flush and refill the feed sets,
 * replace the rules, swap overlapping emergency elements).  With
 * flush_emerg the emergency sets are flushed too (their live content is in
 * the run: `update` with the state).  The batch sends the pages of eb,
 * which must outlive it.
 */
int nft_batch_refresh(struct nft_batch **out, const struct nft_run *r,
		      const struct nft_elembatch *eb,
		      const struct nft_kstate *ks, bool flush_emerg);
/* Delete, then add, elements of one set: nothing else. */
int nft_batch_elems(struct nft_batch **out, const struct nft_cfg *cfg,
		    enum nft_sid id, const struct nft_elem *del, size_t n_del,
		    const struct nft_elem *add, size_t n_add);
void nft_batch_free(struct nft_batch *b);	/* NULL-safe */

/* The batch as the iovecs one sendmsg() takes, and its size. */
int nft_batch_iov(struct nft_batch *b, struct iovec **iov, size_t *n_iov,
		  size_t *len);
size_t nft_batch_msgs(const struct nft_batch *b);	/* with NLM_F_ACK */
/* What message `seq` of the batch does, for an error message. */
void nft_batch_describe(const struct nft_batch *b, uint32_t seq, char *buf,
			size_t len);

struct nft_nl;

int nft_nl_open(struct nft_nl **out, struct pw_host *h);
void nft_nl_close(struct nft_nl *nl);	/* NULL-safe */
/* One sendmsg(), every ack read and checked; errors told with pw_log. */
int nft_nl_send(struct nft_nl *nl, struct nft_batch *b);
/* Read the table's chains, sets and emergency elements. */
int nft_nl_read_state(struct nft_nl *nl, const struct nft_cfg *cfg,
		      struct nft_kstate *ks);

/* One element of a set as read back from the kernel. */
struct nft_kelem {
	struct nft_elem e;
	uint64_t expires_ms;		/* time left; 0 none */
	uint64_t packets, bytes;	/* its counter, if it has one */
};

typedef int (*nft_kelem_cb)(void *ctx, const struct nft_kelem *ke);

/* Dump set `id` of the table: ranges in key order.  -ENOENT: no set. */
int nft_nl_read_elems(struct nft_nl *nl, const struct nft_cfg *cfg,
		      enum nft_sid id, nft_kelem_cb cb, void *ctx);

typedef int (*nft_counter_cb)(void *ctx, const char *name, uint64_t packets,
			      uint64_t bytes);

/* The named counters of the table. */
int nft_nl_read_counters(struct nft_nl *nl, const struct nft_cfg *cfg,
			 nft_counter_cb cb, void *ctx);

/*
 * The refresh: read the state, build one batch around the elements (eb,
 * or built here when NULL), send it.  Retried when the ruleset changed
 * between the read and the commit (ERESTART).
 */
int nft_nl_push(struct nft_run *r, const struct nft_elembatch *eb,
		bool flush_emerg);

/*
 * Emergency blocks (`block` / `unblock`): one batch that changes only the
 * emergency sets, the feed sets untouched, whatever their size.  Adding
 * replaces the kernel's elements that overlap the new ones (the new
 * timeout wins); deleting removes exactly the given ranges and tells
 * which were not there.  When the table does not exist, adding creates it
 * (with the emergency elements only: the next update fills the rest).
 */
int nft_nl_emerg(struct nft_run *r, bool del);

#endif
