/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Wallet addresses and file hashes.
 *
 * Wallets are recognized by shape (Monero and Bitcoin base58 lengths and
 * prefixes, Ethereum hex); only bech32/bech32m Bitcoin addresses carry a
 * checksum we verify here (BIP 173 / BIP 350).  Hashes are MD5, SHA-1 and
 * SHA-256 hex digests; the digests of empty input are refused, they name
 * no malware.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "normalize.h"

#define BECH32_CONST	1u
#define BECH32M_CONST	0x2bc830a3u
#define BECH32_MAX_LEN	90
#define WALLET_MAX_LEN	128

static bool wallet_is_b58(unsigned char c)
{
	if (c >= '1' && c <= '9')
		return true;
	if (c >= 'A' && c <= 'Z')
		return c != 'I' && c != 'O';
	if (c >= 'a' && c <= 'z')
		return c != 'l';
	return false;
}

static bool wallet_is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool wallet_all(const char *s, size_t len, bool (*pred)(unsigned char))
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

static char wallet_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/*
 * Monero: 95 characters for a standard address ('4' then [0-9AB]) or a
 * subaddress ('8'), 106 for an integrated address ('4').
 */
static bool wallet_xmr(const char *s, size_t len)
{
	if (!wallet_all(s, len, wallet_is_b58))
		return false;
	if (len == 95 && s[0] == '4')
		return (s[1] >= '0' && s[1] <= '9') || s[1] == 'A' ||
		       s[1] == 'B';
	if (len == 95 && s[0] == '8')
		return true;
	return len == 106 && s[0] == '4';
}

/* Bitcoin legacy P2PKH ('1') and P2SH ('3'). */
static bool wallet_btc58(const char *s, size_t len)
{
	return (s[0] == '1' || s[0] == '3') && len >= 26 && len <= 35 &&
	       wallet_all(s, len, wallet_is_b58);
}

/* one step of the BCH checksum over GF(32) of BIP 173 */
static uint32_t bech32_step(uint32_t chk, unsigned v)
{
	static const uint32_t gen[5] = {
		0x3b6a57b2u, 0x26508e6du, 0x1ea119fau, 0x3d4233ddu,
		0x2a1462b3u,
	};
	uint32_t top = chk >> 25;
	unsigned i;

	chk = ((chk & 0x1ffffffu) << 5) ^ v;
	for (i = 0; i < 5; i++)
		if ((top >> i) & 1u)
			chk ^= gen[i];
	return chk;
}

static int bech32_value(char c)
{
	static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	const char *p = c ? strchr(charset, c) : NULL;

	return p ? (int)(p - charset) : -1;
}

/*
 * A segwit address: hrp "bc", separator '1', witness version, program,
 * six checksum characters.  `s` is already lowercase.  Version 0 uses
 * bech32 and a 20- or 32-byte program; versions 1-16 use bech32m.
 */
static bool wallet_bech32(const char *s, size_t len)
{
	unsigned vals[BECH32_MAX_LEN];
	uint32_t chk = 1;
	size_t i, sep = 2, n, bits, plen;
	unsigned ver;

	if (len < 14 || len > BECH32_MAX_LEN || memcmp(s, "bc1", 3) != 0)
		return false;
	n = len - sep - 1;		/* data characters */
	for (i = 0; i < n; i++) {
		int v = bech32_value(s[sep + 1 + i]);

		if (v < 0)
			return false;
		vals[i] = (unsigned)v;
	}
	/* the expanded hrp: high bits, a zero, low bits */
	for (i = 0; i < sep; i++)
		chk = bech32_step(chk, (unsigned char)s[i] >> 5);
	chk = bech32_step(chk, 0);
	for (i = 0; i < sep; i++)
		chk = bech32_step(chk, (unsigned char)s[i] & 31u);
	for (i = 0; i < n; i++)
		chk = bech32_step(chk, vals[i]);
	ver = vals[0];
	if (ver > 16)
		return false;
	if (chk != (ver == 0 ? BECH32_CONST : BECH32M_CONST))
		return false;
	/* the program, regrouped from 5-bit to 8-bit values */
	bits = (n - 1 - 6) * 5;
	plen = bits / 8;
	if (bits % 8 >= 5 || (vals[n - 7] & ((1u << (bits % 8)) - 1)))
		return false;
	if (plen < 2 || plen > 40)
		return false;
	return ver != 0 || plen == 20 || plen == 32;
}

/* Ethereum: 0x and 40 hex digits (the EIP-55 mixed case is dropped). */
static bool wallet_eth(const char *s, size_t len)
{
	return len == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	       wallet_all(s + 2, 40, wallet_is_hex);
}

static bool wallet_case_uniform(const char *s, size_t len)
{
	bool lower = false, upper = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			lower = true;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			upper = true;
	}
	return !(lower && upper);
}

int pw_norm_wallet(struct pw_arena *a, const char *s, size_t len,
		   struct pw_ind *out)
{
	char buf[WALLET_MAX_LEN + 1];
	const char *val = s;
	uint8_t coin;
	size_t i;

	if (len < 14 || len > WALLET_MAX_LEN)
		return -PW_R_WALLET;
	if (wallet_eth(s, len)) {
		for (i = 0; i < len; i++)
			buf[i] = wallet_lower(s[i]);
		val = buf;
		coin = PW_COIN_ETH;
	} else if (len >= 3 && (memcmp(s, "bc1", 3) == 0 ||
				memcmp(s, "BC1", 3) == 0)) {
		if (len > BECH32_MAX_LEN || !wallet_case_uniform(s, len))
			return -PW_R_WALLET;
		for (i = 0; i < len; i++)
			buf[i] = wallet_lower(s[i]);
		if (!wallet_bech32(buf, len))
			return -PW_R_WALLET;
		val = buf;
		coin = PW_COIN_BTC;
	} else if (wallet_btc58(s, len)) {
		coin = PW_COIN_BTC;
	} else if (wallet_xmr(s, len)) {
		coin = PW_COIN_XMR;
	} else {
		return -PW_R_WALLET;
	}
	memset(out, 0, sizeof(*out));
	out->str = pw_arena_strndup(a, val, len);
	if (!out->str)
		return -PW_R_NOMEM;
	out->kind = PW_I_WALLET;
	out->mode = coin;
	return 0;
}

/* ---- hashes ------------------------------------------------------------ */

static const char *const hash_empty[] = {
	"d41d8cd98f00b204e9800998ecf8427e",
	"da39a3ee5e6b4b0d3255bfef95601890afd80709",
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
};

int pw_norm_hash(struct pw_arena *a, const char *s, size_t len,
		 struct pw_ind *out)
{
	char buf[65];
	uint8_t kind;
	size_t i;

	if (len == 32)
		kind = PW_HASH_MD5;
	else if (len == 40)
		kind = PW_HASH_SHA1;
	else if (len == 64)
		kind = PW_HASH_SHA256;
	else
		return -PW_R_HASH;
	for (i = 0; i < len; i++) {
		if (!wallet_is_hex((unsigned char)s[i]))
			return -PW_R_HASH;
		buf[i] = wallet_lower(s[i]);
	}
	buf[len] = '\0';
	if (strcmp(buf, hash_empty[kind - PW_HASH_MD5]) == 0)
		return -PW_R_HASH_EMPTY;
	memset(out, 0, sizeof(*out));
	out->str = pw_arena_strndup(a, buf, len);
	if (!out->str)
		return -PW_R_NOMEM;
	out->kind = PW_I_HASH;
	out->mode = kind;
	return 0;
}
