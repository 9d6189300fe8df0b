/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the squid, openioc, stix and suricata outputs: SHA-1
 * (stable identifiers only, never security), name-based UUIDs (RFC 9562
 * version 5), a string-keyed hash map and UTC time stamps.  Compiled into
 * each plugin that needs them; -fvisibility=hidden and the plugin's export
 * list keep every symbol private to that plugin.
 */
#ifndef PW_OUTPUTS_PWO_H
#define PW_OUTPUTS_PWO_H

#include <stddef.h>
#include <stdint.h>

/* ---- SHA-1 (FIPS 180-4) ---- */
#define PWO_SHA1_LEN 20

struct pwo_sha1 {
	uint32_t h[5];
	uint64_t bytes;		/* message length so far */
	uint8_t blk[64];
	size_t n;		/* bytes waiting in blk */
};

void pwo_sha1_init(struct pwo_sha1 *c);
void pwo_sha1_update(struct pwo_sha1 *c, const void *p, size_t len);
void pwo_sha1_final(struct pwo_sha1 *c, uint8_t out[PWO_SHA1_LEN]);
void pwo_sha1(const void *p, size_t len, uint8_t out[PWO_SHA1_LEN]);

/* ---- UUIDs ---- */
#define PWO_UUID_STRLEN 37	/* 36 characters and the NUL */

/* poolwall's own namespace: every identifier below it is ours */
extern const uint8_t pwo_ns_poolwall[16];

/* Version 5 (SHA-1, name-based) UUID of `name` in namespace `ns`. */
void pwo_uuid5(const uint8_t ns[16], const void *name, size_t len,
	       char out[PWO_UUID_STRLEN]);
/* The same with the name given as parts joined by '\n' (no allocation). */
void pwo_uuid5_parts(const uint8_t ns[16], const char *const *parts,
		     size_t n, char out[PWO_UUID_STRLEN]);
/* 0, or -EINVAL when `s` is not the 36-character text form. */
int pwo_uuid_parse(const char *s, uint8_t out[16]);

/* ---- string-keyed map: key -> a caller-sized value, zeroed on insert ---- */
struct pwo_map;

struct pwo_map *pwo_map_new(size_t value_size);
void pwo_map_free(struct pwo_map *m);
/* The value of `key`, or NULL. */
void *pwo_map_get(const struct pwo_map *m, const char *key, size_t len);
/*
 * The value of `key`, inserted zeroed when missing (*added = 1 then).
 * Returns NULL when out of memory.
 */
void *pwo_map_put(struct pwo_map *m, const char *key, size_t len, int *added);
size_t pwo_map_count(const struct pwo_map *m);

/* ---- time ---- */
#define PWO_TIME_LEN 32

/* `2026-01-01T00:00:00Z`, or with millis=1 `2026-01-01T00:00:00.000Z`. */
int pwo_time_utc(int64_t t, int millis, char out[PWO_TIME_LEN]);

/*
 * Defence in depth for outputs that write a syntax of their own (Squid
 * configuration, Suricata rules): 0 when every byte of `s` is an ASCII
 * letter, a digit or one of `allowed`, else -EINVAL.  The core validates
 * every value; a failure here is a bug in the core, never bad data.
 */
int pwo_check_value(const char *s, const char *allowed);

/* 0 when `s` is printable ASCII (space to `~`) of at most `max` bytes. */
int pwo_check_text(const char *s, size_t max);

/*
 * Text built into a caller's buffer: pwo_put() appends with printf
 * formatting; once the text no longer fits, len >= cap, and the caller
 * treats that as too long.
 */
struct pwo_buf {
	char *b;
	size_t cap, len;
};

void pwo_put(struct pwo_buf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
