/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sink.h"
#include "state.h"

struct pw_state {
	sqlite3 *db;
	char path[PATH_MAX];
};

/* Schema migrations: index i brings the database from version i to i+1. */
static const char *const migrations[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE emergency(kind TEXT NOT NULL, value TEXT NOT NULL,"
	" incident TEXT, reason TEXT, who TEXT, created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL, PRIMARY KEY(kind, value));"
	"CREATE INDEX emergency_expires ON emergency(expires);"
	"CREATE TABLE incidents(id TEXT PRIMARY KEY, created INTEGER,"
	" source TEXT);"
	"CREATE TABLE feeds(name TEXT PRIMARY KEY, url TEXT, status TEXT,"
	" error TEXT, fetched_at INTEGER, checked_at INTEGER,"
	" accepted INTEGER, rejected INTEGER, indicators INTEGER,"
	" sha256 TEXT);"
	"CREATE TABLE generations(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" time INTEGER NOT NULL, status TEXT NOT NULL, total INTEGER,"
	" counts TEXT, outputs TEXT, forced INTEGER);"
	"CREATE TABLE indicators(kind TEXT NOT NULL, value TEXT NOT NULL,"
	" flags INTEGER, sources TEXT, incident TEXT, expires INTEGER,"
	" first_seen INTEGER, last_seen INTEGER, gen INTEGER, lo BLOB,"
	" hi BLOB, PRIMARY KEY(kind, value)) WITHOUT ROWID;"
	"CREATE INDEX indicators_lo ON indicators(kind, lo);"
	"CREATE INDEX indicators_gen ON indicators(gen);",
	/* 2: the emergency-tier rows of the published set, for block */
	"CREATE INDEX IF NOT EXISTS indicators_emerg ON indicators(kind, value)"
	" WHERE flags & 8 != 0;",
};

/* the partial index above and pw_state_set_emerg_each() test this bit */
_Static_assert(PW_F_EMERGENCY == 8, "PW_F_EMERGENCY is 8 in the schema");

static int st_err(sqlite3 *db, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "state: %s: %s", what,
		 db ? sqlite3_errmsg(db) : "out of memory");
	return -EIO;
}

static int st_exec(struct pw_state *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
		       0 : -EIO;
}

static int st_version(struct pw_state *st)
{
	sqlite3_stmt *q;
	int v = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL))
		return -EIO;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int st_migrate(struct pw_state *st, char *err, size_t errlen)
{
	int v = st_version(st);
	char sql[64];

	if (v < 0)
		return st_err(st->db, err, errlen, "reading the schema version");
	if (v > PW_STATE_SCHEMA) {
		snprintf(err, errlen, "state: schema version %d is newer than "
			 "this poolwall (%d)", v, PW_STATE_SCHEMA);
		return -EPROTO;
	}
	for (; v < PW_STATE_SCHEMA; v++) {
		if (st_exec(st, "BEGIN IMMEDIATE"))
			return st_err(st->db, err, errlen, "migration");
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		if (st_exec(st, migrations[v]) || st_exec(st, sql)) {
			st_exec(st, "ROLLBACK");
			return st_err(st->db, err, errlen, "migration");
		}
		if (st_exec(st, "COMMIT"))
			return st_err(st->db, err, errlen, "migration");
	}
	return 0;
}

int pw_state_open(struct pw_state **out, const char *dir, bool readonly,
		  char *err, size_t errlen)
{
	struct pw_state *st;
	int n, flags, ret;

	*out = NULL;
	if (!readonly && mkdir(dir, 0750) && errno != EEXIST) {
		snprintf(err, errlen, "state: cannot create '%s': %s", dir,
			 strerror(errno));
		return -errno;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	n = snprintf(st->path, sizeof(st->path), "%s/state.db", dir);
	if (n < 0 || (size_t)n >= sizeof(st->path)) {
		snprintf(err, errlen, "state: path too long");
		free(st);
		return -ENAMETOOLONG;
	}
	flags = readonly ? SQLITE_OPEN_READONLY :
			   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(st->path, &st->db, flags | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		ret = st_err(st->db, err, errlen, st->path);
		if (readonly && access(st->path, F_OK))
			ret = -ENOENT;
		pw_state_close(st);
		return ret;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (!readonly) {
		chmod(st->path, 0640);
		if (st_exec(st, "PRAGMA journal_mode=WAL") ||
		    st_exec(st, "PRAGMA synchronous=FULL")) {
			ret = st_err(st->db, err, errlen, "opening");
			pw_state_close(st);
			return ret;
		}
		ret = st_migrate(st, err, errlen);
		if (ret) {
			pw_state_close(st);
			return ret;
		}
	} else if (st_version(st) != PW_STATE_SCHEMA) {
		snprintf(err, errlen, "state: '%s' has no current schema (run "
			 "`poolwall update` once)", st->path);
		pw_state_close(st);
		return -ENOENT;
	}
	*out = st;
	return 0;
}

void pw_state_close(struct pw_state *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

int pw_state_begin(struct pw_state *st)
{
	return st_exec(st, "BEGIN IMMEDIATE");
}

int pw_state_commit(struct pw_state *st)
{
	return st_exec(st, "COMMIT");
}

void pw_state_rollback(struct pw_state *st)
{
	st_exec(st, "ROLLBACK");
}

/* ---- lock ---- */

int pw_lock_acquire(const char *dir, int64_t timeout, int *fd, char *err,
		    size_t errlen)
{
	char path[PATH_MAX], holder[128] = "";
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int64_t waited = 0;
	int n, f;
	ssize_t r;

	n = pw_mkdir_p(dir, 0750);
	if (n) {
		snprintf(err, errlen, "cannot create '%s': %s", dir,
			 strerror(-n));
		return n;
	}
	n = snprintf(path, sizeof(path), "%s/lock", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (f < 0) {
		snprintf(err, errlen, "cannot open the lock '%s': %s", path,
			 strerror(errno));
		return -errno;
	}
	while (flock(f, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "lock '%s': %s", path,
				 strerror(errno));
			close(f);
			return -errno;
		}
		if (waited >= timeout * 10) {
			r = pread(f, holder, sizeof(holder) - 1, 0);
			holder[r > 0 ? r : 0] = '\0';
			holder[strcspn(holder, "\n")] = '\0';
			snprintf(err, errlen,
				 "another poolwall holds the lock '%s' (%s); "
				 "gave up after %llds", path,
				 holder[0] ? holder : "unknown holder",
				 (long long)timeout);
			close(f);
			return -EBUSY;
		}
		nanosleep(&ts, NULL);
		waited++;
	}
	n = snprintf(holder, sizeof(holder), "pid %ld since %lld\n",
		     (long)getpid(), (long long)time(NULL));
	if (ftruncate(f, 0) == 0 && n > 0)
		r = pwrite(f, holder, (size_t)n, 0);
	(void)r;
	*fd = f;
	return 0;
}

void pw_lock_release(int fd)
{
	if (fd >= 0) {
		if (ftruncate(fd, 0) != 0) {
			/* the holder line stays; the lock itself goes */
		}
		flock(fd, LOCK_UN);
		close(fd);
	}
}

/* ---- small statement helpers ---- */

static sqlite3_stmt *st_prep(struct pw_state *st, const char *sql)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	return q;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* ---- emergency ---- */

int pw_state_emerg_add(struct pw_state *st, const struct pw_emerg *e)
{
	sqlite3_stmt *q = st_prep(st,
		"INSERT INTO emergency(kind, value, incident, reason, who,"
		" created, expires) VALUES(?,?,?,?,?,?,?)"
		" ON CONFLICT(kind, value) DO UPDATE SET"
		" incident=coalesce(excluded.incident, incident),"
		" reason=coalesce(excluded.reason, reason), who=excluded.who,"
		" expires=excluded.expires");
	int rc;

	if (!q)
		return -EIO;
	bind_text(q, 1, e->kind);
	bind_text(q, 2, e->value);
	bind_text(q, 3, e->incident);
	bind_text(q, 4, e->reason);
	bind_text(q, 5, e->who);
	sqlite3_bind_int64(q, 6, e->created);
	sqlite3_bind_int64(q, 7, e->expires);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -EIO;
	if (e->incident) {
		q = st_prep(st, "INSERT OR IGNORE INTO incidents(id, created,"
			    " source) VALUES(?,?,'block')");
		if (!q)
			return -EIO;
		bind_text(q, 1, e->incident);
		sqlite3_bind_int64(q, 2, e->created);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return -EIO;
	}
	return 0;
}

int pw_state_emerg_del(struct pw_state *st, const char *kind,
		       const char *value)
{
	sqlite3_stmt *q = st_prep(st, "DELETE FROM emergency WHERE kind=? "
				      "AND value=?");
	int rc;

	if (!q)
		return -EIO;
	bind_text(q, 1, kind);
	bind_text(q, 2, value);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -EIO;
	return sqlite3_changes(st->db);
}

int pw_state_emerg_each(struct pw_state *st, int64_t now, bool expired,
			int (*cb)(void *ctx, const struct pw_emerg *e),
			void *ctx)
{
	sqlite3_stmt *q = st_prep(st,
		"SELECT kind, value, incident, reason, who, created, expires"
		" FROM emergency WHERE ? OR expires = 0 OR expires > ?"
		" ORDER BY expires = 0, expires, kind, value");
	int rc, ret = 0;

	if (!q)
		return -EIO;
	sqlite3_bind_int(q, 1, expired);
	sqlite3_bind_int64(q, 2, now);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct pw_emerg e = {
			.kind = col_text(q, 0), .value = col_text(q, 1),
			.incident = col_text(q, 2), .reason = col_text(q, 3),
			.who = col_text(q, 4),
			.created = sqlite3_column_int64(q, 5),
			.expires = sqlite3_column_int64(q, 6),
		};

		ret = cb(ctx, &e);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(q);
	return ret;
}

int pw_state_emerg_expire(struct pw_state *st, int64_t now)
{
	sqlite3_stmt *q = st_prep(st, "DELETE FROM emergency WHERE expires "
				      "!= 0 AND expires <= ?");
	int rc;

	if (!q)
		return -EIO;
	sqlite3_bind_int64(q, 1, now);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -EIO;
	return sqlite3_changes(st->db);
}

/* ---- feeds ---- */

int pw_state_feed_put(struct pw_state *st, const struct pw_feed_status *f)
{
	sqlite3_stmt *q = st_prep(st,
		"INSERT INTO feeds(name, url, status, error, fetched_at,"
		" checked_at, accepted, rejected, indicators, sha256)"
		" VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET"
		" url=excluded.url, status=excluded.status,"
		" error=excluded.error, fetched_at=excluded.fetched_at,"
		" checked_at=excluded.checked_at, accepted=excluded.accepted,"
		" rejected=excluded.rejected, indicators=excluded.indicators,"
		" sha256=excluded.sha256");
	int rc;

	if (!q)
		return -EIO;
	bind_text(q, 1, f->name);
	bind_text(q, 2, f->url);
	bind_text(q, 3, f->status);
	bind_text(q, 4, f->error);
	sqlite3_bind_int64(q, 5, f->fetched_at);
	sqlite3_bind_int64(q, 6, f->checked_at);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)f->accepted);
	sqlite3_bind_int64(q, 8, (sqlite3_int64)f->rejected);
	sqlite3_bind_int64(q, 9, (sqlite3_int64)f->indicators);
	bind_text(q, 10, f->sha256);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int pw_state_feed_each(struct pw_state *st,
		       int (*cb)(void *ctx, const struct pw_feed_status *f),
		       void *ctx)
{
	sqlite3_stmt *q = st_prep(st,
		"SELECT name, url, status, error, sha256, fetched_at,"
		" checked_at, accepted, rejected, indicators FROM feeds"
		" ORDER BY name");
	int rc, ret = 0;

	if (!q)
		return -EIO;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct pw_feed_status f = {
			.name = col_text(q, 0), .url = col_text(q, 1),
			.status = col_text(q, 2), .error = col_text(q, 3),
			.sha256 = col_text(q, 4),
			.fetched_at = sqlite3_column_int64(q, 5),
			.checked_at = sqlite3_column_int64(q, 6),
			.accepted = (unsigned long)sqlite3_column_int64(q, 7),
			.rejected = (unsigned long)sqlite3_column_int64(q, 8),
			.indicators = (unsigned long)sqlite3_column_int64(q, 9),
		};

		ret = cb(ctx, &f);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(q);
	return ret;
}

/* ---- generations ---- */

int pw_state_gen_add(struct pw_state *st, const struct pw_gen *g,
		     int64_t *id)
{
	sqlite3_stmt *q = st_prep(st,
		"INSERT INTO generations(time, status, total, counts, outputs,"
		" forced) VALUES(?,?,?,?,?,?)");
	int rc;

	if (!q)
		return -EIO;
	sqlite3_bind_int64(q, 1, g->time);
	bind_text(q, 2, g->status);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)g->total);
	bind_text(q, 4, g->counts);
	bind_text(q, 5, g->outputs);
	sqlite3_bind_int(q, 6, g->forced);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -EIO;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int pw_state_gen_last(struct pw_state *st, struct pw_gen *g, char *counts,
		      size_t cap, char *outputs, size_t ocap)
{
	sqlite3_stmt *q = st_prep(st,
		"SELECT id, time, total, counts, forced, outputs FROM generations"
		" WHERE status IN ('published', 'partial', 'stale')"
		" ORDER BY id DESC LIMIT 1");
	int rc, ret = -ENOENT;

	if (!q)
		return -EIO;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *c = col_text(q, 3);

		g->id = sqlite3_column_int64(q, 0);
		g->time = sqlite3_column_int64(q, 1);
		g->total = (unsigned long)sqlite3_column_int64(q, 2);
		g->forced = sqlite3_column_int(q, 4);
		g->status = "published";
		g->outputs = NULL;
		g->counts = NULL;
		if (counts && cap) {
			snprintf(counts, cap, "%s", c ? c : "");
			g->counts = counts;
		}
		c = col_text(q, 5);
		if (outputs && ocap) {
			snprintf(outputs, ocap, "%s", c ? c : "");
			g->outputs = outputs;
		}
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = -EIO;
	}
	sqlite3_finalize(q);
	return ret;
}

int64_t pw_state_gen_next(struct pw_state *st)
{
	sqlite3_stmt *q = st_prep(st, "SELECT coalesce(max(id), 0) + 1 FROM "
				      "generations");
	int64_t n = 1;

	if (!q)
		return 1;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

unsigned long pw_state_gen_refusals(struct pw_state *st)
{
	sqlite3_stmt *q = st_prep(st, "SELECT count(*) FROM generations "
				      "WHERE status = 'refused'");
	unsigned long n = 0;

	if (!q)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = (unsigned long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* ---- the published set ---- */

static const char *const kind_word[] = {
	[PW_I_DOMAIN] = "domain", [PW_I_IPV4] = "ipv4", [PW_I_IPV6] = "ipv6",
	[PW_I_PORT] = "port",	  [PW_I_URL] = "url",	[PW_I_WALLET] = "wallet",
	[PW_I_HASH] = "hash",
};

/* [lo, hi] of a prefix as big-endian bytes, so BLOB order is address order */
static void item_range(const struct pw_item *it, uint8_t lo[16],
		       uint8_t hi[16], size_t *len)
{
	size_t n = it->kind == PW_I_IPV4 ? 4 : 16, i;
	unsigned plen = it->plen;

	*len = n;
	for (i = 0; i < n; i++) {
		unsigned bits = plen >= 8 ? 8 : plen;
		uint8_t mask = (uint8_t)(bits ? 0xff << (8 - bits) : 0);

		lo[i] = it->addr[i] & mask;
		hi[i] = (uint8_t)(it->addr[i] | (uint8_t)~mask);
		plen -= bits;
	}
}

struct store_ctx {
	sqlite3_stmt *q;
	int64_t gen, now;
	int err;
};

static int store_one(void *ctx, const struct pw_item *it)
{
	struct store_ctx *c = ctx;
	sqlite3_stmt *q = c->q;
	const char *value = it->value;
	uint8_t lo[16], hi[16];
	size_t n;

	/* names are stored bare; the flags say what they cover */
	if (it->kind == PW_I_DOMAIN && value[0] == '*' && value[1] == '.')
		value += 2;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	sqlite3_bind_text(q, 1, kind_word[it->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, (int)it->flags);
	bind_text(q, 4, it->sources);
	bind_text(q, 5, it->incident);
	sqlite3_bind_int64(q, 6, it->expires);
	sqlite3_bind_int64(q, 7, c->now);
	sqlite3_bind_int64(q, 8, c->gen);
	if (it->kind == PW_I_IPV4 || it->kind == PW_I_IPV6) {
		item_range(it, lo, hi, &n);
		sqlite3_bind_blob(q, 9, lo, (int)n, SQLITE_TRANSIENT);
		sqlite3_bind_blob(q, 10, hi, (int)n, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(q) != SQLITE_DONE) {
		c->err = -EIO;
		return -EIO;
	}
	return 0;
}

/*
 * The published set is rewritten as a whole each generation: rows go into
 * a fresh table with no index (appends only), first_seen is carried over
 * from the old table through one indexed join, and the new table replaces
 * the old one, all inside the caller's transaction.  Upserting a million
 * rows into the indexed table in the set's order took 20-40 s here; this
 * takes a few seconds.
 */
int pw_state_set_store(struct pw_state *st, const struct pw_set *s,
		       int64_t gen, int64_t now)
{
	struct store_ctx c = { .gen = gen, .now = now };
	int ret;

	if (st_exec(st, "DROP TABLE IF EXISTS indicators_next") ||
	    st_exec(st, "CREATE TABLE indicators_next(kind TEXT NOT NULL,"
			" value TEXT NOT NULL, flags INTEGER, sources TEXT,"
			" incident TEXT, expires INTEGER, first_seen INTEGER,"
			" last_seen INTEGER, gen INTEGER, lo BLOB, hi BLOB)"))
		return -EIO;
	c.q = st_prep(st,
		"INSERT INTO indicators_next(kind, value, flags, sources,"
		" incident, expires, first_seen, last_seen, gen, lo, hi)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?7,?8,?9,?10)");
	if (!c.q)
		return -EIO;
	ret = pw_set_iter(s, PW_IMASK_ALL, store_one, &c);
	sqlite3_finalize(c.q);
	if (ret)
		return c.err ? c.err : ret;
	if (st_exec(st, "UPDATE indicators_next AS n SET first_seen ="
			" o.first_seen FROM indicators AS o WHERE"
			" o.kind = n.kind AND o.value = n.value") ||
	    st_exec(st, "DROP TABLE indicators") ||
	    st_exec(st, "ALTER TABLE indicators_next RENAME TO indicators") ||
	    st_exec(st, "CREATE UNIQUE INDEX indicators_key ON "
			"indicators(kind, value)") ||
	    st_exec(st, "CREATE INDEX indicators_lo ON indicators(kind, lo)") ||
	    st_exec(st, "CREATE INDEX indicators_emerg ON indicators(kind,"
			" value) WHERE flags & 8 != 0"))
		return -EIO;
	return 0;
}

static int hit_row(sqlite3_stmt *q,
		   int (*cb)(void *ctx, const struct pw_state_hit *h),
		   void *ctx)
{
	struct pw_state_hit h = {
		.kind = col_text(q, 0), .value = col_text(q, 1),
		.flags = (unsigned)sqlite3_column_int(q, 2),
		.sources = col_text(q, 3), .incident = col_text(q, 4),
		.expires = sqlite3_column_int64(q, 5),
		.first_seen = sqlite3_column_int64(q, 6),
		.last_seen = sqlite3_column_int64(q, 7),
	};

	return cb(ctx, &h);
}

/* every row of q through cb, then q finalized: cb's error, -EIO, or 0 */
static int hit_rows(sqlite3_stmt *q,
		    int (*cb)(void *ctx, const struct pw_state_hit *h),
		    void *ctx)
{
	int rc, ret = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ret = hit_row(q, cb, ctx);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(q);
	return ret;
}

#define HIT_COLS "kind, value, flags, sources, incident, expires, " \
		 "first_seen, last_seen"

int pw_state_check(struct pw_state *st, const struct pw_item *qi,
		   int (*cb)(void *ctx, const struct pw_state_hit *h),
		   void *ctx)
{
	sqlite3_stmt *q;
	int hits = 0, ret = 0, rc;

	if (qi->kind == PW_I_DOMAIN) {
		const char *name = qi->value;

		if (name[0] == '*' && name[1] == '.')
			name += 2;
		q = st_prep(st, "SELECT " HIT_COLS " FROM indicators WHERE "
				"kind = 'domain' AND value = ?");
		if (!q)
			return -EIO;
		/* the name itself, then each parent that covers names below */
		for (const char *p = name; p && !ret;
		     p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, p, -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(q);
			if (rc != SQLITE_ROW)
				continue;
			if (p == name && !(sqlite3_column_int(q, 2) & PW_F_SELF) &&
			    name == qi->value)
				continue;
			if (p != name &&
			    !(sqlite3_column_int(q, 2) & PW_F_SUBDOMAINS))
				continue;
			hits++;
			ret = hit_row(q, cb, ctx);
		}
		sqlite3_finalize(q);
		return ret ? ret : hits;
	}
	if (qi->kind == PW_I_IPV4 || qi->kind == PW_I_IPV6) {
		uint8_t lo[16], hi[16];
		size_t n;

		item_range(qi, lo, hi, &n);
		q = st_prep(st, "SELECT " HIT_COLS ", hi FROM indicators WHERE "
				"kind = ? AND lo <= ? ORDER BY lo DESC LIMIT 1");
		if (!q)
			return -EIO;
		sqlite3_bind_text(q, 1, kind_word[qi->kind], -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 2, lo, (int)n, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW &&
		    sqlite3_column_bytes(q, 8) == (int)n &&
		    memcmp(sqlite3_column_blob(q, 8), hi, n) >= 0) {
			hits = 1;
			ret = hit_row(q, cb, ctx);
		}
		sqlite3_finalize(q);
		return ret ? ret : hits;
	}
	q = st_prep(st, "SELECT " HIT_COLS " FROM indicators WHERE kind = ? "
			"AND value = ?");
	if (!q)
		return -EIO;
	sqlite3_bind_text(q, 1, kind_word[qi->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, qi->value, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) == SQLITE_ROW) {
		hits = 1;
		ret = hit_row(q, cb, ctx);
	}
	sqlite3_finalize(q);
	return ret ? ret : hits;
}

int pw_state_set_each(struct pw_state *st, const char *kind,
		      const char *source, const char *incident,
		      int (*cb)(void *ctx, const struct pw_state_hit *h),
		      void *ctx)
{
	sqlite3_stmt *q = st_prep(st,
		"SELECT " HIT_COLS " FROM indicators WHERE (?1 IS NULL OR "
		"kind = ?1) AND (?2 IS NULL OR ','||sources||',' LIKE "
		"'%,'||?2||',%') AND (?3 IS NULL OR incident = ?3)"
		" ORDER BY kind, lo, value");

	if (!q)
		return -EIO;
	bind_text(q, 1, kind);
	bind_text(q, 2, source);
	bind_text(q, 3, incident);
	return hit_rows(q, cb, ctx);
}

int pw_state_set_emerg_each(struct pw_state *st, int64_t now,
			    int (*cb)(void *ctx, const struct pw_state_hit *h),
			    void *ctx)
{
	/* `flags & 8 != 0` as in the partial index, so that it is used: a
	 * handful of rows, whatever the size of the set */
	sqlite3_stmt *q = st_prep(st,
		"SELECT " HIT_COLS " FROM indicators WHERE flags & 8 != 0"
		" AND (flags & ?1) = 0 AND sources != 'emergency'"
		" AND (expires = 0 OR expires > ?2) ORDER BY kind, value");

	if (!q)
		return -EIO;
	sqlite3_bind_int(q, 1, (int)PW_F_MONITOR);
	sqlite3_bind_int64(q, 2, now);
	return hit_rows(q, cb, ctx);
}

int pw_state_integrity(struct pw_state *st, char *err, size_t errlen)
{
	sqlite3_stmt *q = st_prep(st, "PRAGMA integrity_check");
	int ret = -EIO;

	if (!q)
		return -EIO;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *r = col_text(q, 0);

		ret = r && !strcmp(r, "ok") ? 0 : -EIO;
		if (ret)
			snprintf(err, errlen, "integrity: %s", r ? r : "?");
	}
	sqlite3_finalize(q);
	return ret;
}
