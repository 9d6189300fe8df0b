/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Wallet addresses (Monero, Bitcoin base58 and bech32/bech32m, Ethereum)
 * and file hashes, plus the count of valid addresses in the Unit 42
 * Monero list of the shared corpus.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "normalize.h"
#include "tap.h"

/* XMRig's documentation example; an integrated address from Unit 42 */
#define XMR_STD "48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnR" \
		"oJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD"
#define XMR_INT "4BrL51JCc9NGQ71kWhnYoDRffsDZy7m1HUU7MRU4nUMXAHNFBEJhkTZV9Hda" \
		"L4gfuNBxLPc3BeMkLGaPbF5vWtANQnM2XjL7BeJ3umLDEe"

static struct pw_arena *arena;

static void wallet_ok(const char *tok, int coin, const char *want)
{
	struct pw_ind in;
	int err = pw_norm_wallet(arena, tok, strlen(tok), &in);

	if (err) {
		ok(0, "wallet '%s' accepted (refused: %s)", tok,
		   pw_reason_name(-err));
		return;
	}
	ok(in.kind == PW_I_WALLET && in.mode == coin,
	   "wallet '%.20s...' is coin %d", tok, coin);
	is_str(in.str, want, "wallet '%.20s...' canonical text", tok);
}

static void wallet_bad(const char *tok, const char *why)
{
	struct pw_ind in;
	int err = pw_norm_wallet(arena, tok, strlen(tok), &in);

	is_int(err, -PW_R_WALLET, "wallet refused: %s", why);
}

static void hash_ok(const char *tok, int kind, const char *want)
{
	struct pw_ind in;
	int err = pw_norm_hash(arena, tok, strlen(tok), &in);

	if (err) {
		ok(0, "hash '%s' accepted (refused: %s)", tok,
		   pw_reason_name(-err));
		return;
	}
	ok(in.kind == PW_I_HASH && in.mode == kind, "hash '%.16s...' kind %d",
	   tok, kind);
	is_str(in.str, want, "hash '%.16s...' is lowercase", tok);
}

static void hash_bad(const char *tok, int reason, const char *why)
{
	struct pw_ind in;
	int err = pw_norm_hash(arena, tok, strlen(tok), &in);

	is_int(err, -reason, "hash refused (%s): %s", pw_reason_name(reason),
	       why);
}

static void test_monero(void)
{
	char buf[128];

	wallet_ok(XMR_STD, PW_COIN_XMR, XMR_STD);
	wallet_ok(XMR_INT, PW_COIN_XMR, XMR_INT);
	/* a subaddress: '8', 95 characters (shape only: no checksum) */
	snprintf(buf, sizeof(buf), "8%s", XMR_STD + 1);
	wallet_ok(buf, PW_COIN_XMR, buf);
	snprintf(buf, sizeof(buf), "%s", XMR_STD);
	buf[1] = 'C';
	wallet_bad(buf, "a standard address has [0-9AB] second");
	snprintf(buf, sizeof(buf), "%s", XMR_STD);
	buf[10] = '0';
	wallet_bad(buf, "'0' is not base58");
	buf[10] = 'O';
	wallet_bad(buf, "'O' is not base58");
	buf[10] = 'I';
	wallet_bad(buf, "'I' is not base58");
	buf[10] = 'l';
	wallet_bad(buf, "'l' is not base58");
	wallet_bad(XMR_STD "x", "96 characters");
	snprintf(buf, sizeof(buf), "%.94s", XMR_STD);
	wallet_bad(buf, "94 characters");
	snprintf(buf, sizeof(buf), "5%s", XMR_STD + 1);
	wallet_bad(buf, "a Monero address starts with 4 or 8");
	snprintf(buf, sizeof(buf), "8%s", XMR_INT + 1);
	wallet_bad(buf, "an integrated address starts with 4");
}

static void test_bitcoin(void)
{
	wallet_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", PW_COIN_BTC,
		  "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
	wallet_ok("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", PW_COIN_BTC,
		  "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
	wallet_bad("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "'0' in base58");
	wallet_bad("1A1zP1eP5QGefi2DMPTfT", "too short for base58");
	wallet_bad("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNaXX",
		   "36 characters are too long");
	wallet_bad("2A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "a 2 prefix");

	/* bech32 (BIP 173) and bech32m (BIP 350) */
	wallet_ok("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", PW_COIN_BTC,
		  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
	wallet_ok("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", PW_COIN_BTC,
		  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
	wallet_ok("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", PW_COIN_BTC,
		  "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
	wallet_ok("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
		  PW_COIN_BTC,
		  "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
	/* the vectors below were made with a separate Python encoder */
	wallet_ok("bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sg5tmnz",
		  PW_COIN_BTC,
		  "bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sg5tmnz");
	wallet_ok("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345", PW_COIN_BTC,
		  "bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345");
	wallet_bad("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
		   "one checksum character changed");
	wallet_bad("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f4t3",
		   "two characters swapped");
	wallet_bad("bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mixed case");
	wallet_bad("bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sagmhkq",
		   "version 1 with a bech32 (not bech32m) checksum");
	wallet_bad("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysnqslask",
		   "version 0 with a bech32m checksum");
	wallet_bad("bc1qqqqsyqcyq5rqwzqfpg9scrgwpuk7nx3h",
		   "version 0 with a 16-byte program");
	wallet_bad("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb",
		   "'b' is not in the bech32 charset");
	wallet_bad("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
		   "testnet hrp");
}

static void test_ethereum(void)
{
	wallet_ok("0x52908400098527886E0F7030069857D2E4169EE7", PW_COIN_ETH,
		  "0x52908400098527886e0f7030069857d2e4169ee7");
	wallet_ok("0X52908400098527886e0f7030069857d2e4169ee7", PW_COIN_ETH,
		  "0x52908400098527886e0f7030069857d2e4169ee7");
	wallet_bad("0x52908400098527886E0F7030069857D2E4169EE", "39 hex");
	wallet_bad("0x52908400098527886E0F7030069857D2E4169EEG", "not hex");
	wallet_bad("hello", "junk");
	wallet_bad("", "empty");
	wallet_bad("YOUR_WALLET_ADDRESS", "a config placeholder");
}

static void test_hashes(void)
{
	struct pw_ind out[PW_IND_MAX];
	const char *tok;
	int n;

	hash_ok("D41D8CD98F00B204E9800998ECF8427F", PW_HASH_MD5,
		"d41d8cd98f00b204e9800998ecf8427f");
	hash_ok("13dd0b7f3bbea1a4b7e6b2e4e41ec8e3cba5fbe9", PW_HASH_SHA1,
		"13dd0b7f3bbea1a4b7e6b2e4e41ec8e3cba5fbe9");
	hash_ok("3A1FA39B47697402DF3EAA56B0E765ADDEB83F244AEB80EE0BCD434AE98BA5C3",
		PW_HASH_SHA256,
		"3a1fa39b47697402df3eaa56b0e765addeb83f244aeb80ee0bcd434ae98ba5c3");
	hash_bad("d41d8cd98f00b204e9800998ecf8427e", PW_R_HASH_EMPTY,
		 "md5 of nothing");
	hash_bad("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", PW_R_HASH_EMPTY,
		 "sha1 of nothing, uppercase");
	hash_bad("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		 PW_R_HASH_EMPTY, "sha256 of nothing (Sophos Troj-Miner-AED)");
	hash_bad("d41d8cd98f00b204e9800998ecf8427", PW_R_HASH, "31 digits");
	hash_bad("d41d8cd98f00b204e9800998ecf8427ee", PW_R_HASH, "33 digits");
	hash_bad("g41d8cd98f00b204e9800998ecf8427e", PW_R_HASH, "not hex");
	hash_bad("", PW_R_HASH, "empty");

	/* through pw_normalize, classified under ANY */
	tok = " sha256-like 3a1fa39b47697402df3eaa56b0e765addeb83f244aeb80ee0bcd434ae98ba5c3";
	n = pw_normalize(arena, NULL, tok, strlen(tok), PW_H_ANY, 0, out);
	ok(n < 0, "a hash with words around it is no hash");
	tok = "3ad9da0a6a8ea1a5db2a03eae41a5bd5cde0bde50bd5a8f3e4e46c4ba5e9a1e2 ";
	n = pw_normalize(arena, NULL, tok, strlen(tok), PW_H_ANY, 0, out);
	is_int(n, 1, "a hash with a trailing space (Sophos)");
	is_int(out[0].mode, PW_HASH_SHA256, "... is a sha256");
	tok = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
	n = pw_normalize(arena, NULL, tok, strlen(tok), PW_H_ANY, 0, out);
	is_int(n, -PW_R_HASH_EMPTY, "empty sha256 refused under ANY");
	n = pw_normalize(arena, NULL, XMR_STD, strlen(XMR_STD), PW_H_ANY, 0,
			 out);
	ok(n == 1 && out[0].kind == PW_I_WALLET && out[0].mode == PW_COIN_XMR,
	   "a Monero address under ANY");
	tok = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
	n = pw_normalize(arena, NULL, tok, strlen(tok), PW_H_ANY, 0, out);
	ok(n == 1 && out[0].kind == PW_I_WALLET && out[0].mode == PW_COIN_BTC,
	   "a bech32 address under ANY");
	tok = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz";
	n = pw_normalize(arena, NULL, tok, strlen(tok), PW_H_ANY, 0, out);
	is_int(n, -PW_R_WALLET, "a broken bech32 address under ANY");
	n = pw_normalize(arena, NULL, XMR_STD, strlen(XMR_STD), PW_H_WALLET,
			 0, out);
	is_int(n, 1, "a Monero address with the wallet hint");
}

/*
 * The Unit 42 list: 2341 lines (the last one unterminated).  Counted once
 * independently of this code with
 *   LC_ALL=C awk '/^[1-9A-HJ-NP-Za-km-z]+$/ &&
 *     ((length($0)==95 && ($0 ~ /^4[0-9AB]/ || $0 ~ /^8/)) ||
 *      (length($0)==106 && $0 ~ /^4/)) {v++} END {print v}' xmr_wallets.txt
 * which prints 2339: line 1239 (47fEcV1Op..., has 0 O I l) and line 1869
 * (4judgzvrm..., all lowercase, has l) are the two invalid ones.
 */
static void test_corpus(void)
{
	const char *dir = getenv("PW_CORPUS");
	char path[4096], line[512];
	unsigned total = 0, valid = 0, first_bad = 0, second_bad = 0;
	FILE *f;
	int m;

	if (!dir || !*dir)
		dir = "/work/shared/corpus";
	m = snprintf(path, sizeof(path), "%s/iocs/unit42/xmr_wallets.txt",
		     dir);
	f = m > 0 && (size_t)m < sizeof(path) ? fopen(path, "r") : NULL;
	if (!f) {
		printf("ok %d - Unit 42 wallet count # SKIP %s not found\n",
		       ++tap_n, path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");
		struct pw_ind in;

		total++;
		if (pw_norm_wallet(arena, line, len, &in) == 0 &&
		    in.mode == PW_COIN_XMR) {
			valid++;
		} else if (!first_bad) {
			first_bad = total;
		} else if (!second_bad) {
			second_bad = total;
		}
	}
	fclose(f);
	is_int(total, 2341, "xmr_wallets.txt has 2341 addresses");
	is_int(valid, 2339, "2339 of them are valid Monero addresses");
	ok(first_bad == 1239 && second_bad == 1869,
	   "the invalid ones are lines 1239 and 1869 (got %u, %u)", first_bad,
	   second_bad);
}

int main(void)
{
	arena = pw_arena_new();
	if (!arena)
		return 1;
	test_monero();
	test_bitcoin();
	test_ethereum();
	test_hashes();
	test_corpus();
	pw_arena_free(arena);
	pw_normalize_cleanup();
	return tap_done();
}
