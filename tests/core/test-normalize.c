/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pw_normalize: trimming, byte checks, refanging, classification, domain
 * names (IDNA, public suffixes, prose strictness), URLs, canonical text.
 * Addresses and ports are in test-ip.c, wallets and hashes in
 * test-wallet.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "normalize.h"
#include "tap.h"

/* the example wallet of XMRig's API documentation (shared corpus) */
#define XMR "48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnR" \
	    "oJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD"

static struct pw_arena *arena;
static struct pw_norm_opts opts;
static struct pw_ind out[PW_IND_MAX];

static int norm(const char *tok, enum pw_hint hint, unsigned flags)
{
	memset(out, 0, sizeof(out));
	return pw_normalize(arena, &opts, tok, strlen(tok), hint, flags, out);
}

/* out[i] as canonical text, in one of a few rotating buffers */
static const char *fmt(int i)
{
	static char bufs[4][8192];
	static unsigned k;
	char *b = bufs[k++ % 4];

	if (pw_ind_format(&out[i], b, sizeof(bufs[0])) < 0)
		return "(unformattable)";
	return b;
}

/* accepted, with `want` as the first indicator; returns the count */
static int accept(const char *tok, enum pw_hint hint, unsigned flags,
		  const char *want)
{
	int n = norm(tok, hint, flags);

	if (n < 1) {
		ok(0, "'%s' accepted as '%s' (refused: %s)", tok, want,
		   pw_reason_name(-n));
		return n;
	}
	is_str(fmt(0), want, "'%s' -> '%s'", tok, want);
	return n;
}

static void refuse(const char *tok, enum pw_hint hint, unsigned flags,
		   int reason)
{
	int n = norm(tok, hint, flags);

	if (!tap_ok(n == -reason, "'%s' refused: %s", tok,
		    pw_reason_name(reason)))
		printf("#   got: %s (%d)\n",
		       n < 0 ? pw_reason_name(-n) : fmt(0), n);
}

static void test_domains(void)
{
	char name[300];
	int n;

	n = accept("pool.supportxmr.com", PW_H_ANY, 0, "pool.supportxmr.com");
	is_int(n, 1, "a name yields one indicator");
	is_int(out[0].kind, PW_I_DOMAIN, "kind domain");
	is_int(out[0].mode, PW_D_TREE, "default mode is tree");
	is_int(out[0].note, 0, "no note on a plain name");
	accept("stratum.myBTCcoin.com", PW_H_DOMAIN, 0,
	       "stratum.mybtccoin.com");
	accept("mineXMR.com.", PW_H_ANY, 0, "minexmr.com");
	accept("a_b.minexmr.com", PW_H_DOMAIN, 0, "a_b.minexmr.com");
	accept("000.0x1f4b0.com", PW_H_ANY, 0, "000.0x1f4b0.com");
	accept("  pool.minexmr.com\r\n", PW_H_ANY, 0, "pool.minexmr.com");

	/* modes */
	accept("*.coinhive.com", PW_H_ANY, 0, "*.coinhive.com");
	is_int(out[0].mode, PW_D_SUBS, "*.d is subdomains only");
	is_str(out[0].str, "coinhive.com", "str holds the name without *.");
	accept("coinhive.com", PW_H_DOMAIN, PW_T_EXACT, "coinhive.com");
	is_int(out[0].mode, PW_D_EXACT, "PW_T_EXACT -> exact");
	accept("coinhive.com", PW_H_DOMAIN, PW_T_TREE, "coinhive.com");
	is_int(out[0].mode, PW_D_TREE, "PW_T_TREE -> tree");
	opts.dmode_default = PW_D_EXACT;
	accept("coinhive.com", PW_H_DOMAIN, 0, "coinhive.com");
	is_int(out[0].mode, PW_D_EXACT, "dmode_default exact");
	accept("coinhive.com", PW_H_DOMAIN, PW_T_TREE, "coinhive.com");
	is_int(out[0].mode, PW_D_TREE, "the token flag beats the default");
	opts.dmode_default = 0;
	accept("coinhive.com", PW_H_DOMAIN, 0, "coinhive.com");
	is_int(out[0].mode, PW_D_TREE, "dmode_default 0 -> tree");
	pw_norm_opts_default(&opts);
	accept("coinhive.com", PW_H_DOMAIN, PW_T_MONITOR, "coinhive.com");
	is_int(out[0].monitor, 1, "PW_T_MONITOR marks the indicator");

	/* wildcards */
	refuse("a.*.coinhive.com", PW_H_DOMAIN, 0, PW_R_WILDCARD);
	refuse("*coinhive.com", PW_H_DOMAIN, 0, PW_R_WILDCARD);
	refuse("coin*hive.com", PW_H_ANY, 0, PW_R_WILDCARD);
	refuse("*.*.coinhive.com", PW_H_DOMAIN, 0, PW_R_WILDCARD);
	refuse("*.com", PW_H_DOMAIN, 0, PW_R_SINGLE_LABEL);
	refuse("*.co.uk", PW_H_DOMAIN, 0, PW_R_PUBLIC_SUFFIX);

	/* IDN, from coinblockerlists list.txt and invalid_hosts.txt */
	accept("myètherwället.com", PW_H_ANY, 0, "xn--mytherwllet-r8a0c.com");
	ok(out[0].note & PW_N_IDNA, "IDNA conversion is noted");
	accept("mÿethèrwallét.com", PW_H_DOMAIN, 0,
	       "xn--methrwallt-26ar0z.com");
	accept("lọgrhythm.com", PW_H_DOMAIN, 0, "xn--lgrhythm-y80d.com");
	accept("MYÈTHERWÄLLET.COM", PW_H_DOMAIN, 0,
	       "xn--mytherwllet-r8a0c.com");
	accept("*.myètherwället.com", PW_H_DOMAIN, 0,
	       "*.xn--mytherwllet-r8a0c.com");
	accept("xn--blckchin-5za9o.info", PW_H_DOMAIN, 0,
	       "xn--blckchin-5za9o.info");
	ok(!(out[0].note & PW_N_IDNA), "an A-label is not a conversion");
	accept("XN--BLCKCHIN-5ZA9O.info", PW_H_DOMAIN, 0,
	       "xn--blckchin-5za9o.info");
	refuse("xn--zz.com", PW_H_DOMAIN, 0, PW_R_IDNA);
	refuse("xn--ls8h.com", PW_H_DOMAIN, 0, PW_R_IDNA);
	refuse("pool.xn--a.com", PW_H_DOMAIN, 0, PW_R_IDNA);
	refuse("ex\xe2\x98\x83mple.com", PW_H_DOMAIN, 0, PW_R_IDNA);
	refuse("bad\xc3\xa9 name.com", PW_H_DOMAIN, 0, PW_R_IDNA);

	/* characters */
	refuse("foo bar.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("foo\"bar.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("foo;rm.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("foo{x}.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("foo/bar.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("foo\\bar.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("$(id).evil.com", PW_H_DOMAIN, 0, PW_R_CHARS);
	refuse("user@evil.com", PW_H_ANY, 0, PW_R_CHARS);
	refuse("foo'bar.com", PW_H_DOMAIN, 0, PW_R_CHARS);

	/* labels and lengths */
	refuse("a..com", PW_H_DOMAIN, 0, PW_R_LABEL_EMPTY);
	refuse(".minexmr.com", PW_H_DOMAIN, 0, PW_R_LABEL_EMPTY);
	is_int(pw_norm_domain(arena, &opts, "minexmr.com..", 13, 0, out),
	       -PW_R_LABEL_EMPTY, "pw_norm_domain: two trailing dots");
	/* pw_normalize takes them for sentence punctuation */
	accept("minexmr.com..", PW_H_DOMAIN, 0, "minexmr.com");
	memset(name, 'a', 63);
	memcpy(name + 63, ".com", 5);
	accept(name, PW_H_DOMAIN, 0, name);
	memset(name, 'a', 64);
	memcpy(name + 64, ".com", 5);
	refuse(name, PW_H_DOMAIN, 0, PW_R_LABEL_LEN);
	/* 63 + 1 + 63 + 1 + 63 + 1 + 57 + 4 = 253 */
	memset(name, 'b', 253);
	name[63] = name[127] = name[191] = '.';
	memcpy(name + 249, ".com", 5);
	is_int(strlen(name), 253, "a 253-character name");
	accept(name, PW_H_DOMAIN, 0, name);
	memset(name, 'b', 254);
	name[63] = name[127] = name[191] = '.';
	memcpy(name + 250, ".com", 5);
	refuse(name, PW_H_DOMAIN, 0, PW_R_NAME_LEN);
	refuse("-minexmr.com", PW_H_DOMAIN, 0, PW_R_HYPHEN);
	refuse("minexmr-.com", PW_H_DOMAIN, 0, PW_R_HYPHEN);
	refuse("pool.minexmr.com-", PW_H_DOMAIN, 0, PW_R_HYPHEN);
	accept("pool-1.mine-xmr.com", PW_H_DOMAIN, 0, "pool-1.mine-xmr.com");

	/* what is not a blockable name */
	refuse("minexmr", PW_H_DOMAIN, 0, PW_R_SINGLE_LABEL);
	refuse("com", PW_H_ANY, 0, PW_R_SINGLE_LABEL);
	refuse("co.uk", PW_H_DOMAIN, 0, PW_R_PUBLIC_SUFFIX);
	refuse("com.", PW_H_DOMAIN, 0, PW_R_SINGLE_LABEL);
	refuse("github.io", PW_H_DOMAIN, 0, PW_R_PUBLIC_SUFFIX);
	refuse("duckdns.org", PW_H_DOMAIN, 0, PW_R_PUBLIC_SUFFIX);
	accept("Sysnod.duckdns.org", PW_H_DOMAIN, 0, "sysnod.duckdns.org");
	accept("coinhive.co.uk", PW_H_DOMAIN, 0, "coinhive.co.uk");
	refuse("pool.123", PW_H_DOMAIN, 0, PW_R_NUMERIC_TLD);
	refuse("1.2.3", PW_H_DOMAIN, 0, PW_R_NUMERIC_TLD);
	refuse("185.141.25.35", PW_H_DOMAIN, 0, PW_R_IP_LITERAL);
	refuse("1.2.3[.]4", PW_H_DOMAIN, 0, PW_R_IP_LITERAL);
	refuse("2a01:4f8::1", PW_H_DOMAIN, 0, PW_R_IP_LITERAL);
	ok(pw_is_public_suffix("com"), "com is a public suffix");
	ok(pw_is_public_suffix("co.uk"), "co.uk is a public suffix");
	ok(pw_is_public_suffix("github.io"), "github.io is a public suffix");
	ok(pw_is_public_suffix("minexmr"), "a bare label counts as a TLD");
	ok(!pw_is_public_suffix("pool.supportxmr.com"),
	   "pool.supportxmr.com is not a public suffix");
	ok(!pw_is_public_suffix("supportxmr.com"),
	   "supportxmr.com is not a public suffix");

	/* special-use names */
	refuse("pool.example.test", PW_H_DOMAIN, 0, PW_R_RESERVED);
	refuse("pool.localhost", PW_H_DOMAIN, 0, PW_R_RESERVED);
	refuse("miner.invalid", PW_H_DOMAIN, 0, PW_R_RESERVED);
	opts.allow_doc = true;
	accept("pool.example.test", PW_H_DOMAIN, 0, "pool.example.test");
	refuse("pool.localhost", PW_H_DOMAIN, 0, PW_R_RESERVED);
	opts.allow_doc = false;
	opts.allow_entry = true;
	accept("pool.localhost", PW_H_DOMAIN, 0, "pool.localhost");
	opts.allow_entry = false;
}

static void test_bytes(void)
{
	char big[5000];
	int n;

	refuse("", PW_H_ANY, 0, PW_R_EMPTY);
	refuse(" \t\r\n", PW_H_ANY, 0, PW_R_EMPTY);
	refuse("\"\"", PW_H_ANY, 0, PW_R_EMPTY);
	refuse("<>", PW_H_ANY, 0, PW_R_EMPTY);
	refuse("...", PW_H_ANY, 0, PW_R_EMPTY);
	refuse("a\x01" "b.com", PW_H_ANY, 0, PW_R_BINARY);
	refuse("a\x7f" "b.com", PW_H_ANY, 0, PW_R_BINARY);
	refuse("a\tb.com", PW_H_DOMAIN, 0, PW_R_BINARY);
	n = pw_normalize(arena, &opts, "a\0b.com", 7, PW_H_ANY, 0, out);
	is_int(n, -PW_R_BINARY, "an embedded NUL is binary");
	refuse("\xff" "foo.com", PW_H_ANY, 0, PW_R_UTF8);
	refuse("foo\xc3.com", PW_H_ANY, 0, PW_R_UTF8);
	refuse("foo\xc0\xaf.com", PW_H_ANY, 0, PW_R_UTF8);
	refuse("foo\xed\xa0\x80.com", PW_H_ANY, 0, PW_R_UTF8);
	refuse("foo\xf4\x90\x80\x80.com", PW_H_ANY, 0, PW_R_UTF8);
	refuse("foo.com\xe2\x80", PW_H_ANY, 0, PW_R_UTF8);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refuse(big, PW_H_ANY, 0, PW_R_TOOLONG);
	n = pw_normalize(arena, &opts, big, 4097, PW_H_ANY, 0, out);
	is_int(n, -PW_R_TOOLONG, "4097 bytes are over the cap");
	n = pw_normalize(arena, &opts, big, 4096, PW_H_ANY, 0, out);
	is_int(n, -PW_R_LABEL_LEN, "4096 bytes are judged on content");
	/* invisible characters pasted around values (Sophos CSVs) */
	accept("\xef\xbb\xbf" "ftp.ftp0930.host", PW_H_ANY, 0,
	       "ftp.ftp0930.host");
	accept("pool.minexmr.com\xc2\xa0 ", PW_H_ANY, 0, "pool.minexmr.com");
	accept("pool.minexmr.com\xe2\x80\x8e", PW_H_ANY, 0,
	       "pool.minexmr.com");
}

static void refang_is(const char *in, const char *want, bool want_changed)
{
	char buf[256];
	bool changed = !want_changed;
	ssize_t n = pw_refang(in, strlen(in), buf, sizeof(buf), &changed);

	if (n < 0) {
		ok(0, "refang '%s' fits", in);
		return;
	}
	is_str(buf, want, "refang '%s' -> '%s'", in, want);
	ok(changed == want_changed && (size_t)n == strlen(want),
	   "refang '%s': changed=%d, length %zd", in, want_changed, n);
}

static void test_refang(void)
{
	char small[8];
	bool changed;
	int n;

	refang_is("pool[.]supportxmr[.]com", "pool.supportxmr.com", true);
	refang_is("pool(.)supportxmr{.}com", "pool.supportxmr.com", true);
	refang_is("pool[dot]supportxmr(DOT)com{Dot}x", "pool.supportxmr.com.x",
		  true);
	refang_is("hxxps://x[.]com", "https://x.com", true);
	refang_is("hXXp://x.com", "http://x.com", true);
	refang_is("HXXPS[://]x.com", "https://x.com", true);
	refang_is("educu[.]xyz[:]9999", "educu.xyz:9999", true);
	refang_is("wallet[at]pool.com", "wallet@pool.com", true);
	refang_is("wallet[@]pool.com", "wallet@pool.com", true);
	refang_is("hxxp[://]51[.]178[.]39[.]184[/]kit[.]bin",
		  "http://51.178.39.184/kit.bin", true);
	refang_is("[https://]pastebin.com/raw/4VeXYJAx",
		  "https://pastebin.com/raw/4VeXYJAx", true);
	refang_is("\"pool.com\"", "pool.com", true);
	refang_is("'pool.com',", "pool.com", true);
	refang_is("`pool.com`", "pool.com", true);
	refang_is("<pool.com>", "pool.com", true);
	refang_is("(pool.com)", "pool.com", true);
	refang_is("pool.com).", "pool.com", true);
	refang_is("(see pool.com", "see pool.com", true);
	refang_is("pool.com;", "pool.com", true);
	refang_is("\"<pool.com>\".", "pool.com", true);
	refang_is("http://x.com/a(b)", "http://x.com/a(b)", false);
	refang_is("(x.com)(y)", "(x.com)(y)", false);
	refang_is("((pool.com))", "pool.com", true);
	refang_is("pool.com", "pool.com", false);
	refang_is("hxxpool.com", "hxxpool.com", false);
	refang_is("shxxp://x.com", "shxxp://x.com", false);
	refang_is("[2a01:4f8::1]:3333", "[2a01:4f8::1]:3333", false);
	refang_is("\"pool.com", "\"pool.com", false);
	n = (int)pw_refang("pool[.]supportxmr[.]com", 23, small, sizeof(small),
			   &changed);
	is_int(n, -1, "refang reports a too small buffer");
	n = (int)pw_refang("abcdefg", 7, small, sizeof(small), &changed);
	is_int(n, 7, "refang fills the buffer exactly (7 + NUL)");
	n = (int)pw_refang("abcdefgh", 8, small, sizeof(small), &changed);
	is_int(n, -1, "one byte more does not fit");

	/* through pw_normalize: the note only for real defanging */
	accept("pool[.]supportxmr[.]com", PW_H_ANY, 0, "pool.supportxmr.com");
	ok(out[0].note & PW_N_DEFANGED, "defanged is noted");
	accept("\"pool.supportxmr.com\",", PW_H_ANY, 0, "pool.supportxmr.com");
	ok(!(out[0].note & PW_N_DEFANGED), "quotes are not defanging");
	accept("Sysnod[.]duckdns[.]org", PW_H_ANY, 0, "sysnod.duckdns.org");
	accept("51[.]178[.]39[.]184", PW_H_ANY, 0, "51.178.39.184");
	is_int(out[0].kind, PW_I_IPV4, "a defanged address is an address");
	ok(out[0].note & PW_N_DEFANGED, "and noted as defanged");
	accept("1.2.3[.]4", PW_H_ANY, 0, "1.2.3.4");
	accept("pool.minexmr.com.", PW_H_ANY, 0, "pool.minexmr.com");
	ok(!(out[0].note & PW_N_DEFANGED), "a trailing dot is not defanging");
}

static void test_classify(void)
{
	refuse("2018", PW_H_ANY, 0, PW_R_UNKNOWN);
	refuse("14433-14444", PW_H_ANY, 0, PW_R_UNKNOWN);
	accept("tcp/3333", PW_H_ANY, 0, "tcp/3333");
	is_int(out[0].kind, PW_I_PORT, "tcp/3333 is a port under ANY");
	accept("3333/udp", PW_H_ANY, 0, "udp/3333");
	accept("185.141.25.35", PW_H_ANY, 0, "185.141.25.35");
	accept("185.141.25.0/24", PW_H_ANY, 0, "185.141.25.0/24");
	accept("2a01:4f8:c17:1::5", PW_H_ANY, 0, "2a01:4f8:c17:1::5");
	is_int(out[0].kind, PW_I_IPV6, "an IPv6 address under ANY");
	is_int(norm("185.141.25.0 - 185.141.25.3", PW_H_ANY, 0), 1,
	       "a range under ANY");
	is_str(fmt(0), "185.141.25.0/30", "... becomes its prefix");
	refuse("010.1.1.1", PW_H_ANY, 0, PW_R_IP_SYNTAX);
	refuse("1.2.3", PW_H_ANY, 0, PW_R_IP_SYNTAX);
	accept("D41D8CD98F00B204E9800998ECF8427F", PW_H_ANY, 0,
	       "d41d8cd98f00b204e9800998ecf8427f");
	is_int(out[0].kind, PW_I_HASH, "32 hex digits are a hash");
	accept("0x52908400098527886E0F7030069857D2E4169EE7", PW_H_ANY, 0,
	       "0x52908400098527886e0f7030069857d2e4169ee7");
	is_int(out[0].kind, PW_I_WALLET, "0x + 40 hex is a wallet");
	refuse("12:30", PW_H_ANY, 0, PW_R_CHARS);
	accept("pool.minexmr.com:4444", PW_H_ANY, 0,
	       "stratum+tcp://pool.minexmr.com:4444");
	is_int(out[0].kind, PW_I_URL, "host:port is a URL under ANY");
	accept("185.141.25.35:3333", PW_H_ANY, 0,
	       "stratum+tcp://185.141.25.35:3333");
	refuse("185.141.25.35", PW_H_HASH, 0, PW_R_HASH);
	refuse("pool.com", PW_H_WALLET, 0, PW_R_WALLET);
	refuse("pool.com", PW_H_PORT, 0, PW_R_PORT_SYNTAX);
	refuse("pool.com", PW_H_IP, 0, PW_R_IP_SYNTAX);
	refuse("pool.com", (enum pw_hint)99, 0, PW_R_UNKNOWN);
}

static void test_prose(void)
{
	refuse("install.sh", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	accept("install.sh", PW_H_ANY, 0, "install.sh");
	accept("install[.]sh", PW_H_ANY, PW_T_PROSE, "install.sh");
	refuse("config.json", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	refuse("readme.md", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	refuse("xmrig.exe", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	refuse("libcrypto.so", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	refuse("payload.zip", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	refuse("evil.notatld", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	accept("evil.notatld", PW_H_ANY, 0, "evil.notatld");
	accept("pool.supportxmr.com", PW_H_ANY, PW_T_PROSE,
	       "pool.supportxmr.com");
	accept("xmr.pool.minergate.com", PW_H_ANY, PW_T_PROSE,
	       "xmr.pool.minergate.com");
	refuse("main.py:12", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
	accept("http://evil.sh/x", PW_H_ANY, PW_T_PROSE, "http://evil.sh/x");
	refuse("http://evil.notatld/x", PW_H_ANY, PW_T_PROSE, PW_R_UNKNOWN);
}

static void test_urls(void)
{
	static const char *const schemes[] = {
		"stratum+tcp", "stratum+ssl", "stratum+tls", "stratum2+tcp",
		"stratum2+ssl", "stratum1+tcp", "stratum1+ssl", "http",
		"https", "ws", "wss", "tcp", "ssl", "tls",
	};
	char tok[128], want[128];
	size_t i;
	int n;

	n = accept("stratum+tcp://pool.supportxmr.com:3333", PW_H_ANY, 0,
		   "stratum+tcp://pool.supportxmr.com:3333");
	is_int(n, 3, "a stratum URL gives url, host and port");
	is_int(out[0].kind, PW_I_URL, "out[0] is the url");
	is_str(out[0].host, "pool.supportxmr.com", "url host");
	is_int(out[0].port_lo, 3333, "url port");
	is_int(out[1].kind, PW_I_DOMAIN, "out[1] is the host");
	is_str(fmt(1), "pool.supportxmr.com", "host text");
	is_int(out[1].origin, PW_O_URL, "host origin is the URL");
	is_int(out[2].kind, PW_I_PORT, "out[2] is the stratum port");
	is_str(fmt(2), "tcp/3333", "port text");
	is_int(out[2].origin, PW_O_URL, "port origin is the URL");

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		snprintf(tok, sizeof(tok), "%s://Pool.SupportXMR.com:5555/",
			 schemes[i]);
		snprintf(want, sizeof(want), "%s://pool.supportxmr.com:5555",
			 schemes[i]);
		accept(tok, PW_H_URL, 0, want);
	}
	accept("STRATUM+TCP://pool.supportxmr.com:3333", PW_H_URL, 0,
	       "stratum+tcp://pool.supportxmr.com:3333");
	refuse("ftp://pool.supportxmr.com/x", PW_H_ANY, 0, PW_R_URL_SCHEME);
	refuse("javascript://pool.supportxmr.com/x", PW_H_URL, 0,
	       PW_R_URL_SCHEME);
	refuse("://pool.supportxmr.com", PW_H_URL, 0, PW_R_URL);
	refuse("http://", PW_H_URL, 0, PW_R_URL);
	refuse("http://:80/x", PW_H_URL, 0, PW_R_URL);
	refuse("http://pool.com:0/", PW_H_URL, 0, PW_R_URL);
	refuse("http://pool.com:70000/", PW_H_URL, 0, PW_R_URL);
	refuse("http://pool.com:/", PW_H_URL, 0, PW_R_URL);
	refuse("http://2a01:4f8::1/", PW_H_URL, 0, PW_R_URL);

	/* 443 stays attached to the URL: no global port block */
	n = accept("https://pool.minexmr.com:443/x", PW_H_ANY, 0,
		   "https://pool.minexmr.com:443/x");
	is_int(n, 2, "a URL on 443 gives no port indicator");
	is_int(out[0].port_lo, 443, "but keeps its port");
	n = accept("https://pool.minexmr.com/x", PW_H_ANY, 0,
		   "https://pool.minexmr.com/x");
	is_int(out[0].port_lo, 443, "https implies 443");
	is_int(n, 2, "no port indicator for an implied port");
	n = accept("ws://pool.minexmr.com/", PW_H_ANY, 0,
		   "ws://pool.minexmr.com");
	is_int(out[0].port_lo, 80, "ws implies 80");
	n = accept("stratum+ssl://pool.minexmr.com", PW_H_ANY, 0,
		   "stratum+ssl://pool.minexmr.com");
	is_int(out[0].port_lo, 0, "stratum implies no port");
	is_int(n, 2, "and no port indicator");
	n = accept("tcp://pool.minexmr.com:8080", PW_H_ANY, 0,
		   "tcp://pool.minexmr.com:8080");
	is_int(n, 2, "8080 is not a stratum port");

	/* user-info is dropped; a wallet user becomes an indicator */
	n = accept("stratum+tcp://" XMR ".rig1@pool.supportxmr.com:3333",
		   PW_H_ANY, 0, "stratum+tcp://pool.supportxmr.com:3333");
	is_int(n, 4, "url, host, port and wallet");
	is_int(out[3].kind, PW_I_WALLET, "the user is a wallet");
	is_int(out[3].mode, PW_COIN_XMR, "a Monero wallet");
	is_int(out[3].origin, PW_O_URL, "wallet origin is the URL");
	is_str(out[3].str, XMR, "the wallet without the worker name");
	n = accept("http://user:pass@pool.minexmr.com:8081/p", PW_H_ANY, 0,
		   "http://pool.minexmr.com:8081/p");
	is_int(n, 2, "credentials are dropped, not a wallet");
	n = accept("0x52908400098527886E0F7030069857D2E4169EE7+1000@eth.f2pool.com:6688",
		   PW_H_ANY, 0, "tcp://eth.f2pool.com:6688");
	is_int(n, 3, "a scheme-less URL with an Ethereum user");
	is_int(out[2].mode, PW_COIN_ETH, "an Ethereum wallet");

	/* scheme-less */
	n = accept("pool.supportxmr.com:5555", PW_H_URL, 0,
		   "stratum+tcp://pool.supportxmr.com:5555");
	is_int(n, 3, "scheme-less on a stratum port");
	n = accept("pool.minexmr.com:8081", PW_H_URL, 0,
		   "tcp://pool.minexmr.com:8081");
	is_int(n, 2, "scheme-less on another port is tcp");
	accept("antiqueofsiam.com:80/wp/miner.js", PW_H_ANY, 0,
	       "http://antiqueofsiam.com:80/wp/miner.js");
	accept("pool.minexmr.com:443", PW_H_ANY, 0,
	       "https://pool.minexmr.com:443");
	accept("antiqueofsiam.com/wp/miner.js?x=%5f", PW_H_URL, 0,
	       "http://antiqueofsiam.com/wp/miner.js?x=%5F");
	n = accept("[2a01:4f8:c17:1::5]:3333", PW_H_ANY, 0,
		   "stratum+tcp://[2a01:4f8:c17:1::5]:3333");
	is_int(n, 3, "[v6]:port gives url, host and port");
	is_int(out[1].kind, PW_I_IPV6, "the host is an IPv6 address");
	is_int(out[1].plen, 128, "... a single address");
	is_str(out[0].host, "2a01:4f8:c17:1::5", "host text has no brackets");
	refuse("[2a01:4f8::1", PW_H_URL, 0, PW_R_URL);
	refuse("[2a01:4f8::1]x", PW_H_URL, 0, PW_R_URL);

	/* IP hosts */
	n = accept("http://185.141.25.35", PW_H_ANY, 0,
		   "http://185.141.25.35");
	is_int(out[1].kind, PW_I_IPV4, "IPv4 host");
	is_str(fmt(1), "185.141.25.35", "IPv4 host text");
	accept("http://[::ffff:185.141.25.35]/", PW_H_ANY, 0,
	       "http://185.141.25.35");
	refuse("http://127.0.0.1:9332/", PW_H_ANY, 0, PW_R_RESERVED);
	refuse("http://010.1.1.1/", PW_H_ANY, 0, PW_R_IP_SYNTAX);
	refuse("http://*.minexmr.com/", PW_H_ANY, 0, PW_R_WILDCARD);
	refuse("http://co.uk/", PW_H_ANY, 0, PW_R_PUBLIC_SUFFIX);
	refuse("http://a..b.com/", PW_H_ANY, 0, PW_R_LABEL_EMPTY);
	refuse("stratum+tcp://pool.example.test:3333", PW_H_ANY, 0,
	       PW_R_RESERVED);
	accept("http://myètherwället.com/", PW_H_ANY, 0,
	       "http://xn--mytherwllet-r8a0c.com");
	ok(out[1].note & PW_N_IDNA, "IDN host noted");

	/* path and query: nothing dangerous survives raw */
	accept("http://x.minexmr.com/a b\"c;$(x)*<>\\{}|^'", PW_H_URL, 0,
	       "http://x.minexmr.com/a%20b%22c%3B%24%28x%29%2A%3C%3E%5C%7B%7D%7C%5E%27");
	accept("http://x.minexmr.com/\xc3\xa9t\xc3\xa9", PW_H_URL, 0,
	       "http://x.minexmr.com/%C3%A9t%C3%A9");
	accept("http://x.minexmr.com/a%zz%4", PW_H_URL, 0,
	       "http://x.minexmr.com/a%25zz%254");
	accept("http://x.minexmr.com/p?q=1&r=a:b@c+d,e!~#frag", PW_H_URL, 0,
	       "http://x.minexmr.com/p?q=1&r=a:b@c+d,e!~");
	accept("http://x.minexmr.com?q=1", PW_H_URL, 0,
	       "http://x.minexmr.com?q=1");
	accept("http://x.minexmr.com#top", PW_H_URL, 0,
	       "http://x.minexmr.com");

	/* defanged URLs (Talos, Akamai) */
	n = accept("hxxps://pool[.]example[.]com:443/x", PW_H_ANY, 0,
		   "https://pool.example.com:443/x");
	is_int(n, 2, "defanged https on 443: url and host only");
	ok((out[0].note & PW_N_DEFANGED) && (out[1].note & PW_N_DEFANGED),
	   "every indicator notes the defanging");
	n = accept("educu[.]xyz[:]9999", PW_H_ANY, 0,
		   "stratum+tcp://educu.xyz:9999");
	is_int(n, 3, "defanged host:port on a stratum port");
	accept("hxxp[://]51[.]178[.]39[.]184[/]kit[.]bin", PW_H_ANY, 0,
	       "http://51.178.39.184/kit.bin");
	accept("hxxp[://]51[.]178[.]39[.]184[/]?smd_process_download=1&download_id=90",
	       PW_H_ANY, 0,
	       "http://51.178.39.184/?smd_process_download=1&download_id=90");
	accept("[https://]pastebin.com/raw/4VeXYJAx", PW_H_ANY, 0,
	       "https://pastebin.com/raw/4VeXYJAx");
	accept("\"stratum+tcp://pool.supportxmr.com:3333\",", PW_H_ANY, 0,
	       "stratum+tcp://pool.supportxmr.com:3333");

	/* pw_norm_url directly, NULL options meaning the defaults */
	memset(out, 0, sizeof(out));
	n = pw_norm_url(arena, NULL, "stratum+tcp://pool.minexmr.com:4444",
			35, out);
	is_int(n, 3, "pw_norm_url with default options");
	is_str(out[0].str, "stratum+tcp://pool.minexmr.com:4444",
	       "pw_norm_url canonical text");
}

static void test_format(void)
{
	struct pw_ind in;
	char buf[64];

	memset(&in, 0, sizeof(in));
	in.kind = PW_I_DOMAIN;
	in.mode = PW_D_SUBS;
	in.str = "minexmr.com";
	is_int(pw_ind_format(&in, buf, sizeof(buf)), 13, "format length");
	is_str(buf, "*.minexmr.com", "subs domain text");
	is_int(pw_ind_format(&in, buf, 13), -1, "no room for the NUL");
	is_int(pw_ind_format(&in, buf, 14), 13, "exactly enough room");
	in.mode = PW_D_EXACT;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "minexmr.com", "exact domain text");
	memset(&in, 0, sizeof(in));
	in.kind = PW_I_IPV4;
	in.a.v4 = 0xc0000201u;
	in.plen = 32;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "192.0.2.1", "a /32 has no length");
	in.a.v4 = 0xc0000200u;
	in.plen = 24;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "192.0.2.0/24", "IPv4 prefix text");
	memset(&in, 0, sizeof(in));
	in.kind = PW_I_IPV6;
	in.a.v6[0] = 0x20;
	in.a.v6[1] = 0x01;
	in.a.v6[2] = 0x0d;
	in.a.v6[3] = 0xb8;
	in.plen = 32;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "2001:db8::/32", "IPv6 prefix text");
	in.a.v6[15] = 1;
	in.plen = 128;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "2001:db8::1", "a /128 has no length");
	memset(&in, 0, sizeof(in));
	in.kind = PW_I_PORT;
	in.mode = PW_PROTO_UDP;
	in.port_lo = 14433;
	in.port_hi = 14444;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "udp/14433-14444", "port range text");
	in.mode = PW_PROTO_BOTH;
	in.port_hi = 14433;
	pw_ind_format(&in, buf, sizeof(buf));
	is_str(buf, "any/14433", "any-protocol port text");
	in.kind = 0;
	is_int(pw_ind_format(&in, buf, sizeof(buf)), -1, "unknown kind");
}

int main(void)
{
	arena = pw_arena_new();
	if (!arena)
		return 1;
	pw_norm_opts_default(&opts);
	test_domains();
	test_bytes();
	test_refang();
	test_classify();
	test_prose();
	test_urls();
	test_format();
	pw_arena_free(arena);
	pw_normalize_cleanup();
	return tap_done();
}
