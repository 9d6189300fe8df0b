/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4), small and portable: the core needs a digest for the
 * feed cache and links no crypto library of its own.
 */
#ifndef PW_SHA256_H
#define PW_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PW_SHA256_LEN 32		/* digest bytes */
#define PW_SHA256_HEX (2 * PW_SHA256_LEN + 1)	/* hex digits and NUL */

struct pw_sha256 {
	uint32_t h[8];
	uint64_t bytes;			/* message length so far */
	uint8_t block[64];
	size_t used;			/* bytes waiting in block */
};

void pw_sha256_init(struct pw_sha256 *c);
void pw_sha256_update(struct pw_sha256 *c, const void *buf, size_t len);
void pw_sha256_final(struct pw_sha256 *c, uint8_t out[PW_SHA256_LEN]);

/* One call: the digest of buf. */
void pw_sha256(const void *buf, size_t len, uint8_t out[PW_SHA256_LEN]);

/* Lowercase hex of a digest, NUL-terminated. */
void pw_sha256_hex(const uint8_t d[PW_SHA256_LEN], char out[PW_SHA256_HEX]);

#endif
