/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 against the FIPS 180-2 test vectors, and streaming == one shot. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static void hex_of(const void *buf, size_t len, char out[PW_SHA256_HEX])
{
	uint8_t d[PW_SHA256_LEN];

	pw_sha256(buf, len, d);
	pw_sha256_hex(d, out);
}

/* the FIPS 180-2 appendix B digests, and those of the one-million-'a'
   message */
static const char *const fips[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
};

static void test_vectors(void)
{
	static const char *const msg[] = {
		"",
		"abc",
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		 "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
	};
	static const char *const what[] = {
		"the empty message", "\"abc\"", "the 448-bit message",
		"the 896-bit message",
	};
	char hex[PW_SHA256_HEX], *million;
	struct pw_sha256 c;
	uint8_t d[PW_SHA256_LEN];
	unsigned i;

	for (i = 0; i < 4; i++) {
		hex_of(msg[i], strlen(msg[i]), hex);
		is_str(hex, fips[i], "%s", what[i]);
	}
	million = malloc(1000000);
	if (!million) {
		ok(0, "out of memory");
		return;
	}
	memset(million, 'a', 1000000);
	hex_of(million, 1000000, hex);
	is_str(hex, fips[4], "one million 'a' in one call");
	/* and in uneven pieces */
	pw_sha256_init(&c);
	for (i = 0; i < 1000000;) {
		unsigned n = 1 + i % 997;

		if (n > 1000000 - i)
			n = 1000000 - i;
		pw_sha256_update(&c, million + i, n);
		i += n;
	}
	pw_sha256_final(&c, d);
	pw_sha256_hex(d, hex);
	is_str(hex, fips[4], "one million 'a' in pieces of 1 to 997 bytes");
	free(million);
}

/* lengths around the padding boundaries (55/56 bytes, one block, two),
   digests from an independent implementation */
static const char *const boundary[] = {
	"e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
	"4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27",
	"81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
	"39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
	"aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
	"9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
	"7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
};

static void test_boundaries(void)
{
	static const size_t lens[] = { 55, 56, 63, 64, 65, 119, 120 };
	uint8_t msg[128];
	char hex[PW_SHA256_HEX];
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		hex_of(msg, lens[i], hex);
		is_str(hex, boundary[i], "a %zu-byte message", lens[i]);
	}
}

static void test_streaming(void)
{
	uint8_t msg[300], one[PW_SHA256_LEN], two[PW_SHA256_LEN];
	struct pw_sha256 c;
	size_t len, cut, same = 1;

	for (len = 0; len < sizeof(msg); len++)
		msg[len] = (uint8_t)(len ^ 0x5a);
	for (len = 0; len <= sizeof(msg); len += 7) {
		pw_sha256(msg, len, one);
		for (cut = 0; cut <= len; cut++) {
			pw_sha256_init(&c);
			pw_sha256_update(&c, msg, cut);
			pw_sha256_update(&c, msg + cut, len - cut);
			pw_sha256_final(&c, two);
			if (memcmp(one, two, sizeof(one)))
				same = 0;
		}
	}
	ok(same, "two updates at every cut give the one-shot digest");
}

int main(void)
{
	test_vectors();
	test_boundaries();
	test_streaming();
	return tap_done();
}
