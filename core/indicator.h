/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The indicator model (design.md "Indicators").  A struct pw_ind is the
 * normalized, validated form of one token; strings live in the run's arena.
 */
#ifndef PW_INDICATOR_H
#define PW_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <poolwall/plugin.h>

/* kinds are the public enum pw_ikind (PW_I_DOMAIN ... PW_I_HASH) */

/* domain coverage modes (pw_ind.mode for PW_I_DOMAIN) */
enum pw_dmode {
	PW_D_EXACT = 1,		/* the name only (hosts-file semantics) */
	PW_D_SUBS = 2,		/* `*.d`: names below d, not d itself */
	PW_D_TREE = 3,		/* d and every name below (EXACT|SUBS) */
};

enum pw_coin { PW_COIN_XMR = 1, PW_COIN_BTC, PW_COIN_ETH };
enum pw_hash { PW_HASH_MD5 = 1, PW_HASH_SHA1, PW_HASH_SHA256 };

/* pw_ind.note: accepted, but worth a diagnostic */
#define PW_N_HOSTBITS	0x01u	/* host bits were set and are cleared */
#define PW_N_MAPPED	0x02u	/* ::ffff:a.b.c.d became IPv4 */
#define PW_N_DEFANGED	0x04u	/* defanged spelling was refanged */
#define PW_N_IDNA	0x08u	/* converted to A-labels */

/* pw_ind.origin: how the indicator arose */
#define PW_O_URL	0x01u	/* host or port taken from a URL */

struct pw_ind {
	uint8_t kind;		/* enum pw_ikind */
	uint8_t mode;		/* domain: enum pw_dmode; wallet: enum pw_coin;
				   hash: enum pw_hash; port: enum pw_proto */
	uint8_t plen;		/* ip prefix length */
	uint8_t note;		/* PW_N_* */
	uint8_t origin;		/* PW_O_* */
	uint8_t monitor;	/* observe-only tier */
	uint8_t emergency;	/* from an emergency block */
	uint16_t port_lo, port_hi;	/* port kind; url: its port (0 none) */
	union {
		uint32_t v4;		/* host byte order */
		uint8_t v6[16];		/* network order */
	} a;
	/* domain: name without `*.`; url: whole canonical URL;
	   wallet: address; hash: lowercase hex; NULL for ip/port */
	const char *str;
	const char *host;	/* url: host part (domain or ip text) */
};

/*
 * Maximum indicators one token can yield: a url gives url, host and port;
 * an IPv6 a-b range at most 254 prefixes.
 */
#define PW_IND_MAX 256

#endif
