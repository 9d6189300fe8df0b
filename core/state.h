/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State (sqlite3, WAL) in the state directory: emergency blocks,
 * incidents, feed status, generations, and the last published set for
 * `check`.  One writer at a time: pw_lock_acquire() on STATE_DIR/lock.
 */
#ifndef PW_STATE_H
#define PW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <poolwall/plugin.h>

#define PW_STATE_SCHEMA 2

struct pw_state;

/* Create the directory (0750) and database if needed, migrate. */
int pw_state_open(struct pw_state **st, const char *dir, bool readonly,
		  char *err, size_t errlen);
void pw_state_close(struct pw_state *st);	/* NULL-safe */

/*
 * The writer lock: flock() on DIR/lock, waiting up to `timeout` seconds,
 * then failing with a message naming the holder's pid and start time.
 */
int pw_lock_acquire(const char *dir, int64_t timeout, int *fd, char *err,
		    size_t errlen);
void pw_lock_release(int fd);

int pw_state_begin(struct pw_state *st);
int pw_state_commit(struct pw_state *st);
void pw_state_rollback(struct pw_state *st);

/* ---- emergency blocks ---- */
struct pw_emerg {
	const char *kind;	/* "domain", "ipv4", ... (ioc kind words) */
	const char *value;	/* canonical text */
	const char *incident, *reason, *who;
	int64_t created, expires;	/* expires 0 = permanent */
};

/* Add, or renew (new expiry, reason, incident) an existing one. */
int pw_state_emerg_add(struct pw_state *st, const struct pw_emerg *e);
/* Remove; returns how many rows went (0 or 1) or a negative errno. */
int pw_state_emerg_del(struct pw_state *st, const char *kind,
		       const char *value);
/* Visit live blocks (expired ones too when `expired`), by expiry. */
int pw_state_emerg_each(struct pw_state *st, int64_t now, bool expired,
			int (*cb)(void *ctx, const struct pw_emerg *e),
			void *ctx);
/* Delete blocks expired at `now`; returns how many, or -errno. */
int pw_state_emerg_expire(struct pw_state *st, int64_t now);

/* ---- feeds ---- */
struct pw_feed_status {
	const char *name, *url, *status, *error, *sha256;
	int64_t fetched_at, checked_at;
	unsigned long accepted, rejected, indicators;
};
int pw_state_feed_put(struct pw_state *st, const struct pw_feed_status *f);
int pw_state_feed_each(struct pw_state *st,
		       int (*cb)(void *ctx, const struct pw_feed_status *f),
		       void *ctx);

/* ---- generations ---- */
struct pw_gen {
	int64_t id, time;
	const char *status;	/* "published", "partial", "refused", ... */
	unsigned long total;	/* indicators published */
	const char *counts;	/* JSON: per kind and per source */
	const char *outputs;	/* JSON: per output result */
	bool forced;
};
/* Record a run; *id gets the new generation number. */
int pw_state_gen_add(struct pw_state *st, const struct pw_gen *g,
		     int64_t *id);
/* The last generation with status published/partial; -ENOENT if none.
   counts/outputs (optional) receive the JSON texts. */
int pw_state_gen_last(struct pw_state *st, struct pw_gen *g, char *counts,
		      size_t cap, char *outputs, size_t ocap);
/* The number the next generation will get. */
int64_t pw_state_gen_next(struct pw_state *st);
/* Guard refusals so far (for metrics). */
unsigned long pw_state_gen_refusals(struct pw_state *st);

/* ---- the published set ---- */
/* Replace the stored set with `s` (first_seen carried over). */
int pw_state_set_store(struct pw_state *st, const struct pw_set *s,
		       int64_t gen, int64_t now);

struct pw_state_hit {
	const char *kind, *value, *sources, *incident;
	unsigned flags;
	int64_t first_seen, last_seen, expires;
};
/*
 * Find what blocks an indicator: exact entry, a parent name covering it
 * (PW_F_SUBDOMAINS), or a prefix containing an address.  Calls cb for
 * each hit; returns the number of hits or -errno.
 */
int pw_state_check(struct pw_state *st, const struct pw_item *q,
		   int (*cb)(void *ctx, const struct pw_state_hit *h),
		   void *ctx);
/* Visit the stored set, optionally one kind, source and incident. */
int pw_state_set_each(struct pw_state *st, const char *kind,
		      const char *source, const char *incident,
		      int (*cb)(void *ctx, const struct pw_state_hit *h),
		      void *ctx);

/*
 * The stored set's emergency-tier rows (PW_F_EMERGENCY, not monitor, not
 * expired at `now`) that a source other than the emergency blocks names
 * (an incident file's entry with an expiry): with the live emergency
 * blocks, what an output's emergency part holds.  A partial index keeps
 * it to those rows, whatever the size of the set.
 */
int pw_state_set_emerg_each(struct pw_state *st, int64_t now,
			    int (*cb)(void *ctx, const struct pw_state_hit *h),
			    void *ctx);

/* Run PRAGMA integrity_check; 0 when "ok". */
int pw_state_integrity(struct pw_state *st, char *err, size_t errlen);

#endif
