/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-1 (FIPS 180-4), for name-based UUIDs and stable rule numbers only:
 * nothing here is about security.
 */
#include "config.h"

#include <string.h>

#include "pwo.h"

static uint32_t sha1_rol(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static uint32_t sha1_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void sha1_block(uint32_t h[5], const uint8_t *blk)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = sha1_be32(blk + 4 * i);
	for (; i < 80; i++)
		w[i] = sha1_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = sha1_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = sha1_rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void pwo_sha1_init(struct pwo_sha1 *c)
{
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->n = 0;
}

void pwo_sha1_update(struct pwo_sha1 *c, const void *p, size_t len)
{
	const uint8_t *in = p;
	size_t take;

	c->bytes += len;
	while (len) {
		take = sizeof(c->blk) - c->n;
		if (take > len)
			take = len;
		memcpy(c->blk + c->n, in, take);
		c->n += take;
		in += take;
		len -= take;
		if (c->n == sizeof(c->blk)) {
			sha1_block(c->h, c->blk);
			c->n = 0;
		}
	}
}

void pwo_sha1_final(struct pwo_sha1 *c, uint8_t out[PWO_SHA1_LEN])
{
	uint64_t bits = c->bytes * 8;
	unsigned i;

	c->blk[c->n++] = 0x80;
	if (c->n > 56) {
		memset(c->blk + c->n, 0, sizeof(c->blk) - c->n);
		sha1_block(c->h, c->blk);
		c->n = 0;
	}
	memset(c->blk + c->n, 0, 56 - c->n);
	for (i = 0; i < 8; i++)
		c->blk[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_block(c->h, c->blk);
	for (i = 0; i < 20; i++)
		out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
	memset(c, 0, sizeof(*c));
}

void pwo_sha1(const void *p, size_t len, uint8_t out[PWO_SHA1_LEN])
{
	struct pwo_sha1 c;

	pwo_sha1_init(&c);
	pwo_sha1_update(&c, p, len);
	pwo_sha1_final(&c, out);
}
