/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The helpers shared by the squid, openioc, stix and suricata outputs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pwo.h"
#include "tap.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static const char *sha1_hex(const void *p, size_t len)
{
	static char out[2 * PWO_SHA1_LEN + 1];
	uint8_t d[PWO_SHA1_LEN];

	pwo_sha1(p, len, d);
	hex(d, sizeof(d), out);
	return out;
}

static void test_sha1(void)
{
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t buf[768], d[PWO_SHA1_LEN];
	struct pwo_sha1 c;
	char out[2 * PWO_SHA1_LEN + 1], *a;
	size_t i, step;

	is_str(sha1_hex("", 0), "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	       "SHA-1 of the empty message (FIPS 180 example)");
	is_str(sha1_hex("abc", 3), "a9993e364706816aba3e25717850c26c9cd0d89d",
	       "SHA-1 of abc");
	is_str(sha1_hex(m448, strlen(m448)),
	       "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
	       "SHA-1 of the 448-bit message (padding into a second block)");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	is_str(sha1_hex(buf, sizeof(buf)),
	       "ac2a264c8ec1f4232a40854e8239bc3a697ab1d2",
	       "SHA-1 of 768 bytes 0..255 x3");
	/* a million 'a', fed in uneven pieces */
	a = malloc(1000000);
	if (!a)
		return;
	memset(a, 'a', 1000000);
	pwo_sha1_init(&c);
	for (i = 0, step = 1; i < 1000000; i += step, step = step * 7 % 997 + 1)
		pwo_sha1_update(&c, a + i, i + step > 1000000 ? 1000000 - i :
							       step);
	pwo_sha1_final(&c, d);
	hex(d, sizeof(d), out);
	is_str(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
	       "SHA-1 of a million 'a' in uneven updates");
	free(a);
}

static void test_uuid(void)
{
	/* RFC 4122 appendix C: NameSpace_DNS */
	static const uint8_t ns_dns[16] = {
		0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	const char *parts[3] = { "stix", "indicator",
				 "[ipv4-addr:value = '192.0.2.7']" };
	char u[PWO_UUID_STRLEN], v[PWO_UUID_STRLEN];
	const char *joined = "stix\nindicator\n[ipv4-addr:value = '192.0.2.7']";
	uint8_t b[16];

	pwo_uuid5(ns_dns, "python.org", 10, u);
	is_str(u, "886313e1-3b8a-5372-9b90-0c9aee199e5d",
	       "uuid5(DNS, python.org), as Python's uuid module has it");
	pwo_uuid5(ns_dns, "poolwall.invalid", 16, u);
	ok(pwo_uuid_parse(u, b) == 0 &&
	   memcmp(b, pwo_ns_poolwall, 16) == 0,
	   "the poolwall namespace is uuid5(DNS, poolwall.invalid)");
	pwo_uuid5(pwo_ns_poolwall, joined, strlen(joined), u);
	pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, v);
	is_str(v, u, "uuid5 of parts is uuid5 of the parts joined by newlines");
	is_str(u, "b64adfb9-73da-5fec-80de-4faadb3c5e9a",
	       "a STIX indicator id, as the stix checker recomputes it");
	ok(u[14] == '5' && strchr("89ab", u[19]), "version 5, RFC variant");
	ok(pwo_uuid_parse("886313e1-3b8a-5372-9b90-0c9aee199e5d", b) == 0 &&
	   b[0] == 0x88 && b[15] == 0x5d, "a UUID parses");
	ok(pwo_uuid_parse("886313e1-3b8a-5372-9b90-0c9aee199e5", b) == -EINVAL,
	   "a short UUID does not");
	ok(pwo_uuid_parse("886313e1-3b8a-5372-9b90-0c9aee199e5dd", b) ==
	   -EINVAL, "a long one does not");
	ok(pwo_uuid_parse("886313e1x3b8a-5372-9b90-0c9aee199e5d", b) == -EINVAL,
	   "a misplaced dash does not");
	ok(pwo_uuid_parse("886313g1-3b8a-5372-9b90-0c9aee199e5d", b) == -EINVAL,
	   "a non-hex digit does not");
}

static void test_map(void)
{
	struct pwo_map *m = pwo_map_new(sizeof(unsigned long));
	unsigned long *v, bad = 0;
	char key[32];
	int added, i;

	if (!ok(m != NULL, "a map"))
		return;
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		v = pwo_map_put(m, key, strlen(key), &added);
		if (!v || !added || *v != 0)
			bad++;
		else
			*v = (unsigned long)i + 1;
	}
	ok(bad == 0 && pwo_map_count(m) == 20000,
	   "20000 keys go in, each zeroed on insert");
	for (i = 0, bad = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		v = pwo_map_get(m, key, strlen(key));
		if (!v || *v != (unsigned long)i + 1)
			bad++;
	}
	ok(bad == 0, "and come out with their values after growing");
	v = pwo_map_put(m, "key-7", 5, &added);
	ok(v && !added && *v == 8, "putting a key again finds it");
	ok(!pwo_map_get(m, "key-20000", 9), "a missing key is NULL");
	ok(!pwo_map_get(m, "key-1", 4), "a prefix of a key is another key");
	v = pwo_map_put(m, "a\0b", 3, &added);
	ok(v && added && pwo_map_get(m, "a\0b", 3) && !pwo_map_get(m, "a", 1),
	   "keys are bytes with a length");
	pwo_map_free(m);
	pwo_map_free(NULL);
	ok(1, "pwo_map_free is NULL-safe");
}

static void test_time_and_values(void)
{
	char t[PWO_TIME_LEN];

	ok(pwo_time_utc(0, 0, t) == 0, "the epoch formats");
	is_str(t, "1970-01-01T00:00:00Z", "...as UTC");
	ok(pwo_time_utc(1767225600, 1, t) == 0, "a time with milliseconds");
	is_str(t, "2026-01-01T00:00:00.000Z", "...as STIX wants it");
	ok(pwo_check_value("pool-1.example.test", ".-") == 0,
	   "a name is a canonical value");
	ok(pwo_check_value("a\"b", ".-") == -EINVAL, "a quote is not");
	ok(pwo_check_value("a;b", ".-") == -EINVAL, "a semicolon is not");
	ok(pwo_check_value("a\nb", ".-") == -EINVAL, "a newline is not");
	ok(pwo_check_value("\xc3\xa9", ".-") == -EINVAL, "UTF-8 is not");
	ok(pwo_check_value("", "") == 0, "nothing is");
	ok(pwo_check_text("https://ir.example/case?id=", 64) == 0,
	   "a URL is printable text");
	ok(pwo_check_text("a\tb", 64) == -EINVAL, "a tab is not");
	ok(pwo_check_text("\xc3\xa9", 64) == -EINVAL, "UTF-8 is not");
	ok(pwo_check_text("abcd", 4) == 0 && pwo_check_text("abcde", 4) ==
	   -EINVAL, "the length is capped");
}

int main(void)
{
	test_sha1();
	test_uuid();
	test_map();
	test_time_and_values();
	return tap_done();
}
