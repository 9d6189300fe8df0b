/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Normalization: raw token -> validated indicators (formats.md section 0).
 *
 * This file holds the dispatch (pw_normalize), refanging, domain names
 * (IDNA 2008 through libidn2, public suffixes through libpsl), URLs and the
 * canonical text of an indicator.  Addresses and ports are in ip.c, wallets
 * and hashes in wallet.c.
 *
 * Allocation failure: the normalizers return negative enum pw_reason values
 * only; when the arena cannot hold a string they return -PW_R_NOMEM, which
 * the host treats as fatal for the run (never as a rejected token).
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <idn2.h>
#include <libpsl.h>

#include "normalize.h"

#define PW_TOK_MAX 4096		/* longest token accepted, in bytes */
#define NAME_MAX_LEN 253	/* longest domain name, without `*.` */
#define LABEL_MAX_LEN 63

/* internal token flags, above the public PW_T_* bits */
#define PW_T_PUBLIC	0xffu
#define NF_DEFANGED	0x100u	/* the token was defanged */
#define NF_URLHOST	0x200u	/* a URL host: no `*.` */
#define NF_NOEXT	0x400u	/* prose: skip the file-extension rule */

static const uint16_t norm_stratum[] = {
	3333, 3334, 3357, 4444, 5555, 6666, 7777, 9999, 10128, 10343, 14433,
	14444, 45560, 45700,
};

static const uint16_t norm_protected[] = {
	1080, 1194, 1433, 1521, 1723, 2049, 3306, 3389, 5060, 5432, 5900,
	6379, 8000, 8008, 8080, 8443, 8888, 9000, 9090, 9200, 9443, 27017,
};

void pw_norm_opts_default(struct pw_norm_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->stratum = norm_stratum;
	o->n_stratum = sizeof(norm_stratum) / sizeof(norm_stratum[0]);
	o->protected_ports = norm_protected;
	o->n_protected = sizeof(norm_protected) / sizeof(norm_protected[0]);
	o->allow_doc = false;
	o->allow_entry = false;
	o->dmode_default = PW_D_TREE;
}

static const struct pw_norm_opts *norm_opts(const struct pw_norm_opts *o,
					    struct pw_norm_opts *def)
{
	if (o)
		return o;
	pw_norm_opts_default(def);
	return def;
}

/* ---- small byte helpers ------------------------------------------------ */

static bool norm_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool norm_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool norm_is_hex(unsigned char c)
{
	return norm_is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool norm_is_alnum(unsigned char c)
{
	return norm_is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static unsigned char norm_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* case-insensitive compare of n bytes against a lowercase literal */
static bool norm_ieq(const char *s, const char *lit, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (norm_lower((unsigned char)s[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

static const char *norm_find(const char *s, size_t len, const char *pat)
{
	size_t m = strlen(pat), i;

	if (m > len)
		return NULL;
	for (i = 0; i + m <= len; i++)
		if (s[i] == pat[0] && memcmp(s + i, pat, m) == 0)
			return s + i;
	return NULL;
}

static const char *norm_rchr(const char *s, size_t len, char c)
{
	while (len--)
		if (s[len] == c)
			return s + len;
	return NULL;
}

static bool norm_all(const char *s, size_t len, bool (*pred)(unsigned char))
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return len > 0;
}

/*
 * Invisible Unicode that copy-paste leaves at the ends of values (seen in
 * the Sophos CSVs): NO-BREAK SPACE, BOM, ZERO WIDTH SPACE, LRM, RLM.
 */
static size_t norm_invisible_at(const char *s, size_t len)
{
	static const char *const inv[] = {
		"\xc2\xa0", "\xef\xbb\xbf", "\xe2\x80\x8b", "\xe2\x80\x8e",
		"\xe2\x80\x8f",
	};
	size_t i, m;

	for (i = 0; i < sizeof(inv) / sizeof(inv[0]); i++) {
		m = strlen(inv[i]);
		if (len >= m && memcmp(s, inv[i], m) == 0)
			return m;
	}
	return 0;
}

static size_t norm_invisible_before(const char *s, size_t len)
{
	size_t m;

	for (m = 2; m <= 3 && m <= len; m++)
		if (norm_invisible_at(s + len - m, m) == m)
			return m;
	return 0;
}

/* length of the blank (whitespace or invisible) at the start / end */
static size_t norm_blank_at(const char *s, size_t len)
{
	if (!len)
		return 0;
	if (norm_is_space((unsigned char)s[0]))
		return 1;
	return (unsigned char)s[0] >= 0xc2 ? norm_invisible_at(s, len) : 0;
}

static size_t norm_blank_before(const char *s, size_t len)
{
	if (!len)
		return 0;
	if (norm_is_space((unsigned char)s[len - 1]))
		return 1;
	return (unsigned char)s[len - 1] >= 0x80 ? norm_invisible_before(s, len)
						 : 0;
}

/* Trim ASCII whitespace and the invisible characters above. */
static void norm_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len, m;

	for (m = norm_blank_at(p, n); m; m = norm_blank_at(p, n)) {
		p += m;
		n -= m;
	}
	for (m = norm_blank_before(p, n); m; m = norm_blank_before(p, n))
		n -= m;
	*s = p;
	*len = n;
}

/* Control bytes and strict UTF-8 (no overlongs, surrogates, > U+10FFFF). */
static int norm_check_bytes(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, need;

	while (i < len) {
		unsigned char c = p[i];
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x20 || c == 0x7f)
			return -PW_R_BINARY;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return -PW_R_UTF8;
		}
		if (len - i <= need)
			return -PW_R_UTF8;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return -PW_R_UTF8;
		for (k = 2; k <= need; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return -PW_R_UTF8;
		i += need + 1;
	}
	return 0;
}

/* ---- refang ---------------------------------------------------------- */

static int norm_paren_balance(const char *s, size_t len)
{
	int bal = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '(')
			bal++;
		else if (s[i] == ')')
			bal--;
	}
	return bal;
}

/* does the `(` at p[0] close at p[n - 1]? */
static bool norm_paren_wraps(const char *p, size_t n)
{
	int depth = 0;
	size_t i;

	if (n < 2 || p[0] != '(' || p[n - 1] != ')')
		return false;
	for (i = 0; i < n - 1; i++) {
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')')
			depth--;
		if (depth == 0)
			return false;
	}
	return depth == 1;
}

static bool norm_sentence_punct(char c)
{
	return c == ',' || c == ';' || c == '.';
}

/*
 * Peel what surrounds a value in prose: whitespace, one level of quotes,
 * one level of <...>, (...) pairs, an unbalanced leading `(` and trailing
 * sentence punctuation `,;.)` (a `)` only when it closes nothing inside).
 */
static bool norm_unwrap(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	bool quoted = false, angled = false, changed = false, again = true;
	int bal = 0;

	if (memchr(p, '(', n) || memchr(p, ')', n))
		bal = norm_paren_balance(p, n);

	while (again) {
		again = false;
		norm_trim(&p, &n);
		while (n && (norm_sentence_punct(p[n - 1]) ||
			     (p[n - 1] == ')' && bal < 0))) {
			if (p[n - 1] == ')')
				bal++;
			n--;
			again = true;
		}
		if (n && p[0] == '(' && bal > 0) {
			bal--;
			p++;
			n--;
			again = true;
		}
		if (n >= 2 && !quoted && p[0] == p[n - 1] &&
		    (p[0] == '"' || p[0] == '\'' || p[0] == '`')) {
			p++;
			n -= 2;
			quoted = true;
			again = true;
		}
		if (n >= 2 && !angled && p[0] == '<' && p[n - 1] == '>') {
			p++;
			n -= 2;
			angled = true;
			again = true;
		}
		if (norm_paren_wraps(p, n)) {
			p++;
			n -= 2;
			again = true;
		}
		changed |= again;
	}
	*s = p;
	*len = n;
	return changed;
}

struct norm_defang {
	const char *from;	/* lowercase */
	const char *to;
};

static const struct norm_defang norm_defangs[] = {
	{ "[.]", "." },    { "(.)", "." },    { "{.}", "." },
	{ "[dot]", "." },  { "(dot)", "." },  { "{dot}", "." },
	{ "[://]", "://" }, { "[:]", ":" },   { "[/]", "/" },
	{ "[at]", "@" },   { "[@]", "@" },
};

/* `[https://]host` (Akamai's IoC tables): index of the `]` or 0 */
static size_t norm_bracket_scheme(const char *s, size_t len)
{
	size_t i;

	if (len < 6 || s[0] != '[')
		return 0;
	for (i = 1; i < len && i < 24; i++) {
		unsigned char c = (unsigned char)s[i];

		if (norm_is_alnum(c) || c == '+' || c == '-' || c == '.')
			continue;
		if (i > 1 && len - i >= 4 && memcmp(s + i, "://]", 4) == 0)
			return i + 3;
		return 0;
	}
	return 0;
}

/* `hxxp:` `hXXps[://]` at a word start: the scheme it stands for */
static const char *norm_hxxp(const char *in, size_t len, size_t i,
			     size_t *used)
{
	size_t k = i + 4;

	if (len - i < 5 || !norm_ieq(in + i, "hxxp", 4))
		return NULL;
	if (i > 0 && norm_is_alnum((unsigned char)in[i - 1]))
		return NULL;
	if (in[k] == 's' || in[k] == 'S')
		k++;
	if (k >= len || (in[k] != ':' && in[k] != '['))
		return NULL;
	*used = k - i;
	return k - i == 5 ? "https" : "http";
}

/* bytes that may start a defanged spelling (`h` only before an `x`) */
static const bool norm_dstart[256] = {
	['['] = true, ['('] = true, ['{'] = true, ['h'] = true, ['H'] = true,
};

static bool norm_defang_at(const char *in, size_t len, size_t k)
{
	if (!norm_dstart[(unsigned char)in[k]])
		return false;
	if (in[k] != 'h' && in[k] != 'H')
		return true;
	return k + 1 < len && (in[k + 1] == 'x' || in[k + 1] == 'X');
}

/*
 * Bytes after which norm_refang() has nothing to do on a token: not a
 * first or last byte that norm_unwrap() peels (blanks, quotes, `<`, `(`,
 * `)`, `,;.`, non-ASCII that may be invisible), and no byte anywhere that
 * unwraps or may start a defanging (`(` `)` `[` `{`, `h` before `x`).
 * 1: fine anywhere; 2: fine inside only; 0: never; 3: `h`/`H`.
 */
static const unsigned char norm_plain_byte[256] = {
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['*'] = 1,
	['+'] = 1, ['-'] = 1, ['/'] = 1, [':'] = 1, ['='] = 1, ['>'] = 1,
	['?'] = 1, ['@'] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1,
	['|'] = 1, ['}'] = 1, ['~'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 3, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 3, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	/* inside only: peeled at an end, harmless within */
	['.'] = 2, [','] = 2, [';'] = 2, ['"'] = 2, ['\''] = 2, ['`'] = 2,
	['<'] = 2, [' '] = 2, ['\t'] = 2, ['\n'] = 2, ['\r'] = 2,
	['\v'] = 2, ['\f'] = 2,
};

/* non-ASCII counts as inside only: it may be invisible at an end */
static unsigned norm_plain_class(unsigned char c)
{
	return c >= 0x80 ? 2 : norm_plain_byte[c];
}

/* Would norm_refang() copy this token unchanged?  (Most feed lines.) */
static bool norm_plain(const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i;

	if (!len || norm_plain_class(p[0]) == 2 ||
	    norm_plain_class(p[len - 1]) == 2)
		return false;
	for (i = 0; i < len; i++) {
		switch (norm_plain_class(p[i])) {
		case 0:
			return false;
		case 3:
			if (i + 1 < len && (p[i + 1] == 'x' || p[i + 1] == 'X'))
				return false;
			break;
		}
	}
	return true;
}

static ssize_t norm_refang(const char *in, size_t len, char *buf, size_t cap,
			   bool *changed, bool *defanged)
{
	size_t i = 0, o = 0, skip = 0, k, m;
	bool chg, dfg = false;

	if (norm_plain(in, len)) {
		/* what the loop below ends with for such a token */
		if (len >= cap)
			return -1;
		memcpy(buf, in, len);
		buf[len] = '\0';
		if (changed)
			*changed = false;
		if (defanged)
			*defanged = false;
		return (ssize_t)len;
	}
	chg = norm_unwrap(&in, &len);
	skip = norm_bracket_scheme(in, len);
	if (skip)
		i = 1;
	while (i < len) {
		const char *rep = NULL;
		size_t used = 1;

		if (skip && i == skip) {
			i++;
			dfg = true;
			continue;
		}
		if (in[i] == '[' || in[i] == '(' || in[i] == '{') {
			for (k = 0; k < sizeof(norm_defangs) /
					sizeof(norm_defangs[0]); k++) {
				m = strlen(norm_defangs[k].from);
				if (len - i >= m &&
				    norm_ieq(in + i, norm_defangs[k].from, m)) {
					rep = norm_defangs[k].to;
					used = m;
					break;
				}
			}
		} else if (norm_defang_at(in, len, i)) {
			rep = norm_hxxp(in, len, i, &used);
		}
		if (rep) {
			m = strlen(rep);
			if (o + m >= cap)
				return -1;
			memcpy(buf + o, rep, m);
			o += m;
			i += used;
			dfg = true;
			continue;
		}
		/* copy up to the next byte that may start a defanging */
		for (k = i + 1; k < len && k != skip; k++)
			if (norm_defang_at(in, len, k))
				break;
		if (o + (k - i) >= cap)
			return -1;
		memcpy(buf + o, in + i, k - i);
		o += k - i;
		i = k;
	}
	if (o >= cap)
		return -1;
	buf[o] = '\0';
	if (changed)
		*changed = chg || dfg;
	if (defanged)
		*defanged = dfg;
	return (ssize_t)o;
}

ssize_t pw_refang(const char *in, size_t len, char *buf, size_t cap,
		  bool *changed)
{
	if (changed)
		*changed = false;
	if (!cap)
		return -1;
	return norm_refang(in, len, buf, cap, changed, NULL);
}

/* ---- name bytes -------------------------------------------------------- */

#define NORM_AZ(c) [c] = c, [c - 'a' + 'A'] = c

/* the bytes of a name, lowercased; 0 for anything else */
static const unsigned char norm_dns[256] = {
	NORM_AZ('a'), NORM_AZ('b'), NORM_AZ('c'), NORM_AZ('d'), NORM_AZ('e'),
	NORM_AZ('f'), NORM_AZ('g'), NORM_AZ('h'), NORM_AZ('i'), NORM_AZ('j'),
	NORM_AZ('k'), NORM_AZ('l'), NORM_AZ('m'), NORM_AZ('n'), NORM_AZ('o'),
	NORM_AZ('p'), NORM_AZ('q'), NORM_AZ('r'), NORM_AZ('s'), NORM_AZ('t'),
	NORM_AZ('u'), NORM_AZ('v'), NORM_AZ('w'), NORM_AZ('x'), NORM_AZ('y'),
	NORM_AZ('z'),
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['-'] = '-', ['_'] = '_', ['.'] = '.',
};

/* ---- public suffixes ----------------------------------------------------- */

/*
 * libpsl answers psl_is_public_suffix2() with up to two walks of its
 * DAFSA (the name, then the name less its first label for a `*.` rule),
 * each a linear scan of child lists: about 3,500 instructions a name,
 * close to half of a whole compile.  So a filter sits in front of it that
 * only ever answers what libpsl would, and asks libpsl otherwise.
 *
 * What libpsl (0.x, is_public_suffix() in psl.c) does for an ASCII name
 * of two labels or more, with PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE: if
 * the name is a stored rule, the answer is "not an exception"; else, if
 * the name less its first label is a stored `*.` rule, yes; else no.
 * Both strings end in the name's last two labels.  So when no stored rule
 * of two labels or more ends in those two labels, libpsl's answer is no
 * for three labels or more, and for two labels it depends on the TLD
 * alone (whether `*.tld` is a rule), which we ask once per TLD.
 *
 * The filter is the set of "last two labels" of every rule in every file
 * psl_latest() may have loaded: the files it considers (ours, the
 * distribution's, the one the built-in data came from) that are newer
 * than the built-in data, read again here.  A superset is enough, so
 * taking them all is safe; the file is checked to be the one psl_latest()
 * saw (same inode, size and mtime before and after it).  There is no
 * filter, and every question goes to libpsl, when the built-in data was
 * picked (we cannot read it), when a text list has a non-ASCII rule (its
 * A-label, made by libpsl's IDNA library, could end in anything) or an
 * odd line, when a file does not parse, on allocation failure, and with
 * a libpsl past 0.x (whose lookup we have not read).  The set keeps
 * 64-bit hashes: a collision only sends a name to libpsl.  It is built
 * once PSL_FILTER_AFTER names were asked, so short runs do not pay for
 * reading the list (about 5 million instructions).
 * tests/core/test-psl.c compares both answers over the corpus names and
 * every rule of the list.
 */

#define PSL_FILES 3
#define PSL_FILE_CAP (16u << 20)	/* the list is 250 kB as text */
#define PSL_RULE_MAX 256
#define PSL_RULES_MAX (1u << 20)
#define PSL_TLD_SLOTS 256		/* memo per TLD, open addressing */
#define PSL_TLD_PROBE 8
#define PSL_FILTER_AFTER 256		/* names asked before it is built */

struct psl_file {
	const char *path;
	bool exists;
	struct stat st;
};

struct psl_tld {
	char name[LABEL_MAX_LEN + 1];
	uint8_t len;			/* 0: free slot */
	int8_t wild;			/* "x.tld" when no rule ends so; -1 unknown */
	int8_t known;			/* "tld" itself; -1 unknown */
};

struct psl_filter {
	uint64_t *k2;			/* hashes of last two labels; 0 = free */
	size_t mask;
	size_t n;
	size_t seen;			/* strings walked, bounded */
	bool fail;			/* a parse failed: no filter */
};

static psl_ctx_t *norm_psl;
static bool norm_psl_loaded;
static struct psl_file norm_psl_files[PSL_FILES];
static bool norm_psl_same;		/* candidates unchanged by psl_latest */
static bool norm_psl_tried;		/* the filter was built (or refused) */
static unsigned norm_psl_asked;
static struct psl_filter norm_psl_filter;
static struct psl_tld norm_psl_tld[PSL_TLD_SLOTS];

static void psl_stat_files(struct psl_file *f)
{
	const char *path[PSL_FILES] = { PW_PSL_FILE, psl_dist_filename(),
					psl_builtin_filename() };
	unsigned i;

	for (i = 0; i < PSL_FILES; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].path = path[i];
		f[i].exists = path[i] && *path[i] &&
			      stat(path[i], &f[i].st) == 0;
	}
}

static bool psl_same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static uint64_t psl_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	h ^= h >> 29;
	return h ? h : 1;
}

/* the last two labels of s (all of s if it has no more); NULL if one */
static const char *psl_last2(const char *s, size_t len, size_t *klen)
{
	size_t i, dots = 0;

	for (i = len; i > 0; i--) {
		if (s[i - 1] == '.' && ++dots == 2)
			break;
	}
	if (!dots)
		return NULL;
	*klen = len - i;
	return s + i;
}

static bool psl_k2_has(const struct psl_filter *f, uint64_t h)
{
	size_t i;

	for (i = h & f->mask; f->k2[i]; i = (i + 1) & f->mask)
		if (f->k2[i] == h)
			return true;
	return false;
}

static void psl_add_rule(struct psl_filter *f, const char *s, size_t len)
{
	const char *k;
	uint64_t *nt, h;
	size_t klen = 0, cap, i, j;

	if (++f->seen > PSL_RULES_MAX) {
		f->fail = true;
		return;
	}
	k = psl_last2(s, len, &klen);
	if (!k)
		return;
	h = psl_hash(k, klen);
	if (f->k2 && psl_k2_has(f, h))
		return;
	if (!f->k2 || (f->n + 1) * 2 > f->mask + 1) {
		/* keep the table at most half full */
		cap = f->k2 ? (f->mask + 1) * 2 : 4096;
		nt = calloc(cap, sizeof(*nt));
		if (!nt) {
			f->fail = true;
			return;
		}
		for (i = 0; f->k2 && i <= f->mask; i++) {
			if (!f->k2[i])
				continue;
			for (j = f->k2[i] & (cap - 1); nt[j];
			     j = (j + 1) & (cap - 1))
				;
			nt[j] = f->k2[i];
		}
		free(f->k2);
		f->k2 = nt;
		f->mask = cap - 1;
	}
	for (i = h & f->mask; f->k2[i]; i = (i + 1) & f->mask)
		;
	f->k2[i] = h;
	f->n++;
}

/*
 * Every string of a libpsl DAFSA (the format of make_dafsa.py that
 * LookupStringInFixedSet() reads), depth first.  `list` is a list of child
 * offsets, each relative to the one before; a child is characters, the
 * last with bit 7 set and followed by its own list, or ending in a return
 * value (0x80..0x8f) that ends a string.  Bounds are checked as the lookup
 * does; anything it could not follow is a failure, so no string it could
 * find is missed.
 */
static void psl_dafsa_walk(struct psl_filter *f, const unsigned char *g,
			   size_t size, size_t list, char *buf, size_t len)
{
	size_t pos = list, off = list, at, d, used;
	unsigned char b;

	while (!f->fail && pos < size) {
		if (pos + 2 >= size)
			return;		/* GetNextOffset() stops here too */
		b = g[pos];
		switch (b & 0x60) {
		case 0x60:
			d = (size_t)(b & 0x1f) << 16 |
			    (size_t)g[pos + 1] << 8 | g[pos + 2];
			used = 3;
			break;
		case 0x40:
			d = (size_t)(b & 0x1f) << 8 | g[pos + 1];
			used = 2;
			break;
		default:
			d = b & 0x3f;
			used = 1;
		}
		off += d;
		pos = (b & 0x80) ? size : pos + used;
		for (at = off, used = len;; at++) {
			if (at >= size || used >= PSL_RULE_MAX) {
				f->fail = true;
				return;
			}
			b = g[at];
			if ((b & 0xe0) == 0x80) {
				psl_add_rule(f, buf, used);
				break;
			}
			buf[used++] = (char)(b & 0x7f);
			if (b & 0x80) {
				psl_dafsa_walk(f, g, size, at + 1, buf, used);
				break;
			}
		}
	}
}

/* A text list as psl_load_fp() reads it, or a failure if in doubt. */
static void psl_text_rules(struct psl_filter *f, const char *t, size_t size)
{
	const char *line = t, *end = t + size, *nl, *p, *q;

	for (; line < end && !f->fail; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		/* fgets() into 256 bytes would split a long line */
		if (nl - line >= 200 || memchr(line, '\0', (size_t)(nl - line))) {
			f->fail = true;
			return;
		}
		for (p = line; p < nl && (*p == ' ' || *p == '\t' ||
					  *p == '\r'); p++)
			;
		if (p == nl || (nl - p >= 2 && p[0] == '/' && p[1] == '/'))
			continue;
		for (q = p; q < nl && *q != ' ' && *q != '\t' && *q != '\r'; q++) {
			if ((unsigned char)*q >= 0x80) {
				f->fail = true;
				return;
			}
		}
		if (*p == '!') {
			p++;
		} else if (*p == '*') {
			if (q - p < 2 || p[1] != '.')
				continue;
			p += 2;
		}
		psl_add_rule(f, p, (size_t)(q - p));
	}
}

static void psl_file_rules(struct psl_filter *f, const struct psl_file *pf)
{
	char rule[PSL_RULE_MAX], head[17];
	unsigned char *buf = NULL;
	struct stat st;
	size_t size, got = 0, first;
	ssize_t n;
	int fd;

	fd = open(pf->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !psl_same_stat(&st, &pf->st) ||
	    !S_ISREG(st.st_mode) || st.st_size > PSL_FILE_CAP)
		goto fail;
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf)
		goto fail;
	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	/* psl_load_fp(): the first line, as fgets(buf, 255) reads it */
	for (first = 0; first < size && first < 254; first++)
		if (buf[first] == '\n') {
			first++;
			break;
		}
	if (first == 16 && memcmp(buf, ".DAFSA@PSL_", 11) == 0 &&
	    !memchr(buf, '\0', 16)) {
		memcpy(head, buf, 16);
		head[16] = '\0';
		if (atoi(head + 11) == 0)
			psl_dafsa_walk(f, buf + 16, size - 16, 0, rule, 0);
		/* else libpsl refuses it: nothing it can answer from */
	} else if (memchr(buf, '\0', first) &&
		   strnlen((const char *)buf, first) == 16) {
		goto fail;		/* a header cut short by a NUL */
	} else {
		psl_text_rules(f, (const char *)buf, size);
	}
	free(buf);
	close(fd);
	return;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	f->fail = true;
}

static void psl_filter_build(void)
{
	struct psl_filter *f = &norm_psl_filter;
	unsigned i, j;

	norm_psl_tried = true;
	if (!norm_psl || norm_psl == psl_builtin() || !norm_psl_same ||
	    psl_check_version_number(0) >= 0x010000)
		return;
	for (i = 0; i < PSL_FILES && !f->fail; i++) {
		const struct psl_file *pf = &norm_psl_files[i];

		/* psl_latest() only loads files newer than its built-in data */
		if (!pf->exists || pf->st.st_mtime <= psl_builtin_file_time())
			continue;
		for (j = 0; j < i; j++)
			if (norm_psl_files[j].exists &&
			    psl_same_stat(&norm_psl_files[j].st, &pf->st))
				break;
		if (j == i)
			psl_file_rules(f, pf);
	}
	if (f->fail || !f->k2) {
		free(f->k2);
		memset(f, 0, sizeof(*f));
	}
}

/*
 * Loaded once, lazily (not thread-safe: one thread normalizes).  The
 * distribution's list wins over the library's built-in copy when newer.
 */
static const psl_ctx_t *norm_psl_get(void)
{
	struct psl_file after[PSL_FILES];
	unsigned i;

	if (!norm_psl_loaded) {
		norm_psl_loaded = true;
		psl_stat_files(norm_psl_files);
		norm_psl = psl_latest(PW_PSL_FILE);
		psl_stat_files(after);
		norm_psl_same = true;
		for (i = 0; i < PSL_FILES; i++)
			if (after[i].exists != norm_psl_files[i].exists ||
			    (after[i].exists &&
			     !psl_same_stat(&after[i].st,
					    &norm_psl_files[i].st)))
				norm_psl_same = false;
	}
	return norm_psl ? norm_psl : psl_builtin();
}

/* the memo slot of a TLD, NULL when the table is crowded */
static struct psl_tld *psl_tld_slot(const char *tld, size_t len)
{
	struct psl_tld *t;
	size_t i, k;

	if (!len || len > LABEL_MAX_LEN)
		return NULL;
	i = (size_t)psl_hash(tld, len);
	for (k = 0; k < PSL_TLD_PROBE; k++) {
		t = &norm_psl_tld[(i + k) % PSL_TLD_SLOTS];
		if (!t->len) {
			memcpy(t->name, tld, len);
			t->len = (uint8_t)len;
			t->wild = t->known = -1;
			return t;
		}
		if (t->len == len && memcmp(t->name, tld, len) == 0)
			return t;
	}
	return NULL;
}

/*
 * libpsl's answer when the filter knows it, 0 or 1; else -1.  The name is
 * checked: lowercase letters, digits, `-` and `_` in two labels or more,
 * none empty, at most NAME_MAX_LEN bytes (what norm_name_scan() lets
 * through).  The filter is built only once enough names were asked, so
 * a run that checks a handful of names does not pay for it.
 */
static int psl_fast(const psl_ctx_t *psl, const char *name, size_t len)
{
	struct psl_tld *t;
	size_t d1, k;

	if (!norm_psl_tried) {
		if (++norm_psl_asked < PSL_FILTER_AFTER)
			return -1;
		psl_filter_build();
	}
	if (!norm_psl_filter.k2)
		return -1;
	for (d1 = len - 1; name[d1] != '.'; d1--)
		;
	for (k = d1; k > 0 && name[k - 1] != '.'; k--)
		;
	if (psl_k2_has(&norm_psl_filter, psl_hash(name + k, len - k)))
		return -1;
	if (k > 0)
		return 0;	/* three labels or more */
	t = psl_tld_slot(name + d1 + 1, len - d1 - 1);
	if (!t)
		return -1;
	if (t->wild < 0)
		t->wild = psl_is_public_suffix2(psl, name, PSL_TYPE_ANY |
						PSL_TYPE_NO_STAR_RULE) != 0;
	return t->wild;
}

/* pw_is_public_suffix() for a name norm_name_scan() accepted, with a dot */
static bool norm_public_suffix(const char *name, size_t len)
{
	const psl_ctx_t *psl = norm_psl_get();
	int r;

	if (!psl)
		return false;
	r = psl_fast(psl, name, len);
	if (r >= 0)
		return r;
	return psl_is_public_suffix2(psl, name,
				     PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

bool pw_is_public_suffix(const char *name)
{
	const psl_ctx_t *psl;
	size_t len, dot = SIZE_MAX;
	unsigned char c;

	if (!strchr(name, '.'))
		return true;
	/* the filter's shape of name (norm_dns maps these bytes to themselves) */
	for (len = 0; (c = (unsigned char)name[len]) != '\0'; len++) {
		if (norm_dns[c] != c || len >= NAME_MAX_LEN)
			goto slow;
		if (c == '.') {
			if (len == dot + 1)
				goto slow;	/* empty label */
			dot = len;
		}
	}
	if (dot == len - 1)
		goto slow;
	return norm_public_suffix(name, len);
slow:
	psl = norm_psl_get();
	if (!psl)
		return false;
	return psl_is_public_suffix2(psl, name,
				     PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

bool pw_is_public_suffix_uncached(const char *name)
{
	const psl_ctx_t *psl;

	if (!strchr(name, '.'))
		return true;
	psl = norm_psl_get();
	if (!psl)
		return false;
	return psl_is_public_suffix2(psl, name,
				     PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

bool pw_psl_filter_active(void)
{
	if (!norm_psl_get())
		return false;
	if (!norm_psl_tried)
		psl_filter_build();
	return norm_psl_filter.k2 != NULL;
}

/*
 * A TLD the list knows (PSL_TYPE_NO_STAR_RULE: no implicit `*` rule),
 * remembered per TLD: the answer is libpsl's for that same string.
 */
static bool norm_known_tld(const char *tld)
{
	const psl_ctx_t *psl = norm_psl_get();
	struct psl_tld *t;

	if (!psl)
		return true;
	t = psl_tld_slot(tld, strlen(tld));
	if (t && t->known >= 0)
		return t->known;
	if (!t)
		return psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY |
					     PSL_TYPE_NO_STAR_RULE) != 0;
	t->known = psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY |
					 PSL_TYPE_NO_STAR_RULE) != 0;
	return t->known;
}

void pw_normalize_cleanup(void)
{
	psl_free(norm_psl);
	norm_psl = NULL;
	norm_psl_loaded = false;
	norm_psl_tried = false;
	norm_psl_asked = 0;
	free(norm_psl_filter.k2);
	memset(&norm_psl_filter, 0, sizeof(norm_psl_filter));
	memset(norm_psl_tld, 0, sizeof(norm_psl_tld));
}

/* ---- domain names ---------------------------------------------------- */

/*
 * One pass over an ASCII name of at most PW_TOK_MAX bytes: lowercase it
 * into out (len + 1 bytes) and check characters, labels and length.  *xn
 * tells whether a label starts with `xn--` (it must then go through
 * libidn2).
 */
static int norm_name_scan(const char *s, size_t len, char *out, bool *xn)
{
	bool bad = false, empty = false, hyph = false, longlab = false;
	size_t i = 0, start, lab;
	unsigned char c;

	*xn = false;
	if (len > PW_TOK_MAX)
		return -PW_R_NAME_LEN;
	if (memchr(s, '*', len))
		return -PW_R_WILDCARD;
	for (;;) {
		start = i;
		while (i < len && s[i] != '.') {
			c = norm_dns[(unsigned char)s[i]];
			if (!c)
				bad = true;
			out[i++] = (char)c;
		}
		lab = i - start;
		if (!lab) {
			empty = true;
		} else {
			longlab |= lab > LABEL_MAX_LEN;
			hyph |= out[start] == '-' || out[i - 1] == '-';
			if (lab >= 4 && memcmp(out + start, "xn--", 4) == 0)
				*xn = true;
		}
		if (i == len)
			break;
		out[i++] = '.';
	}
	if (bad)
		return -PW_R_CHARS;
	if (empty)
		return -PW_R_LABEL_EMPTY;
	if (longlab)
		return -PW_R_LABEL_LEN;
	if (len > NAME_MAX_LEN)
		return -PW_R_NAME_LEN;
	if (hyph)
		return -PW_R_HYPHEN;
	out[len] = '\0';
	return 0;
}

static int norm_idn2_reason(int rc)
{
	if (rc == IDN2_TOO_BIG_DOMAIN)
		return -PW_R_NAME_LEN;
	if (rc == IDN2_TOO_BIG_LABEL)
		return -PW_R_LABEL_LEN;
	return -PW_R_IDNA;
}

/*
 * IDNA 2008 lookup (UTS #46 non-transitional mapping, NFC input) into
 * out[NAME_MAX_LEN + 1].  Also validates existing A-labels.
 */
static int norm_idna(const char *s, size_t len, char *out, size_t *outlen)
{
	char in[PW_TOK_MAX + 1];
	uint8_t *res = NULL;
	size_t n;
	int rc, err = 0;

	if (len > PW_TOK_MAX)
		return -PW_R_NAME_LEN;
	memcpy(in, s, len);
	in[len] = '\0';
	rc = idn2_lookup_u8((const uint8_t *)in, &res,
			    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		err = norm_idn2_reason(rc);
		goto out;
	}
	n = strlen((const char *)res);
	if (n > NAME_MAX_LEN) {
		err = -PW_R_NAME_LEN;
		goto out;
	}
	memcpy(out, res, n + 1);
	*outlen = n;
out:
	idn2_free(res);
	return err;
}

static bool norm_is_quad(const char *s, size_t len)
{
	unsigned parts = 1, digits = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (!digits)
				return false;
			parts++;
			digits = 0;
		} else if (norm_is_digit((unsigned char)s[i]) && digits < 3) {
			digits++;
		} else {
			return false;
		}
	}
	return parts == 4 && digits;
}

static bool norm_is_v6_literal(const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char a6[16];

	if (len >= sizeof(buf) || !memchr(s, ':', len))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, a6) == 1;
}

static bool norm_in_list(const char *s, size_t len, const char *const *list,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* file extensions that free text mistakes for names (`install.sh`) */
static const char *const norm_file_ext[] = {
	"sh", "py", "js", "json", "exe", "zip", "mov", "php", "txt", "so",
	"rs", "pl", "md", "conf", "yml", "yaml", "xml", "html", "log", "dll",
	"bin", "png", "jpg",
};

/* special-use names (RFC 6761): documentation, and never blockable */
static const char *const norm_doc_tld[] = { "test", "example" };
/*
 * Never blockable, whatever a feed says: RFC 6761 special-use names, the
 * reverse-lookup and home-network trees under .arpa (RFC 8375), and
 * multicast DNS's .local.
 */
static const char *const norm_special_tld[] = { "arpa", "invalid", "local",
						"localhost" };

#define NORM_N(x) (sizeof(x) / sizeof((x)[0]))

/* Rules on the whole, already lowercase and well-formed name. */
static int norm_name_rules(const struct pw_norm_opts *o, const char *name,
			   size_t len, unsigned flags)
{
	const char *dot = norm_rchr(name, len, '.');
	const char *tld;
	size_t tlen;

	if (!dot)
		return -PW_R_SINGLE_LABEL;
	tld = dot + 1;
	tlen = len - (size_t)(tld - name);
	if (norm_all(tld, tlen, norm_is_digit))
		return norm_is_quad(name, len) ? -PW_R_IP_LITERAL
					       : -PW_R_NUMERIC_TLD;
	if (!o->allow_entry) {
		if (norm_in_list(tld, tlen, norm_special_tld,
				 NORM_N(norm_special_tld)))
			return -PW_R_RESERVED;
		if (!o->allow_doc &&
		    norm_in_list(tld, tlen, norm_doc_tld, NORM_N(norm_doc_tld)))
			return -PW_R_RESERVED;
	}
	if (norm_public_suffix(name, len))
		return -PW_R_PUBLIC_SUFFIX;
	if (flags & PW_T_PROSE) {
		if (!(flags & (NF_DEFANGED | NF_NOEXT)) &&
		    norm_in_list(tld, tlen, norm_file_ext,
				 NORM_N(norm_file_ext)))
			return -PW_R_UNKNOWN;
		/* documentation TLDs count as known where they are allowed */
		if (!norm_known_tld(tld) &&
		    !(o->allow_doc && norm_in_list(tld, tlen, norm_doc_tld,
						   NORM_N(norm_doc_tld))))
			return -PW_R_UNKNOWN;
	}
	return 0;
}

static int norm_domain(struct pw_arena *a, const struct pw_norm_opts *o,
		       const char *s, size_t len, unsigned flags,
		       struct pw_ind *out)
{
	char name[PW_TOK_MAX + 1], conv[NAME_MAX_LEN + 1];
	bool subs = false, ascii = true, xn = false, idna = false;
	size_t i, n;
	int err;

	if (len >= 2 && s[0] == '*' && s[1] == '.') {
		if (flags & NF_URLHOST)
			return -PW_R_WILDCARD;
		subs = true;
		s += 2;
		len -= 2;
	}
	if (len && s[len - 1] == '.')
		len--;
	if (!len)
		return subs ? -PW_R_LABEL_EMPTY : -PW_R_EMPTY;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80) {
			ascii = false;
			break;
		}
	}
	if (!ascii) {
		if (memchr(s, '*', len))
			return -PW_R_WILDCARD;
		err = norm_idna(s, len, conv, &n);
		if (err)
			return err;
		s = conv;
		len = n;
		idna = true;
	}
	err = norm_name_scan(s, len, name, &xn);
	if (err) {
		if (err == -PW_R_CHARS && norm_is_v6_literal(s, len))
			err = -PW_R_IP_LITERAL;
		return err;
	}
	if (xn && !idna) {
		/* only names with an A-label pay for libidn2 */
		err = norm_idna(name, len, conv, &n);
		if (err)
			return err;
		if (n != len || memcmp(conv, name, n) != 0) {
			err = norm_name_scan(conv, n, name, &xn);
			if (err)
				return err;
			len = n;
		}
	}
	err = norm_name_rules(o, name, len, flags);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->str = pw_arena_strndup(a, name, len);
	if (!out->str)
		return -PW_R_NOMEM;
	out->kind = PW_I_DOMAIN;
	if (subs)
		out->mode = PW_D_SUBS;
	else if (flags & PW_T_TREE)
		out->mode = PW_D_TREE;
	else if (flags & PW_T_EXACT)
		out->mode = PW_D_EXACT;
	else if (o->dmode_default)
		out->mode = (uint8_t)o->dmode_default;
	else
		out->mode = PW_D_TREE;
	if (idna)
		out->note |= PW_N_IDNA;
	return 0;
}

int pw_norm_domain(struct pw_arena *a, const struct pw_norm_opts *o,
		   const char *s, size_t len, unsigned flags,
		   struct pw_ind *out)
{
	struct pw_norm_opts def;

	return norm_domain(a, norm_opts(o, &def), s, len, flags & PW_T_PUBLIC,
			   out);
}

/* ---- URLs -------------------------------------------------------------- */

struct norm_scheme {
	const char *name;
	uint16_t port;		/* implied port, 0 none */
};

static const struct norm_scheme norm_schemes[] = {
	{ "stratum+tcp", 0 },  { "stratum+ssl", 0 },  { "stratum+tls", 0 },
	{ "stratum2+tcp", 0 }, { "stratum2+ssl", 0 },
	{ "stratum1+tcp", 0 }, { "stratum1+ssl", 0 },
	{ "http", 80 },        { "https", 443 },
	{ "ws", 80 },          { "wss", 443 },
	{ "tcp", 0 },          { "ssl", 0 },          { "tls", 0 },
};

static int norm_u16cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

static bool norm_is_stratum(const struct pw_norm_opts *o, uint16_t port)
{
	if (!o->stratum || !o->n_stratum)
		return false;
	return bsearch(&port, o->stratum, o->n_stratum, sizeof(port),
		       norm_u16cmp) != NULL;
}

/* "1".."65535", no sign, no leading zero; -1 otherwise */
static long norm_port_num(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (!len || len > 5 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (!norm_is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}

/* bytes that survive raw in a canonical path or query */
static bool norm_url_safe(unsigned char c)
{
	return norm_is_alnum(c) || (c != '\0' && strchr("-._~/?=&%:@+,!", c));
}



static char norm_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/*
 * Percent-encode every byte outside the safe set into out (NULL: only
 * count).  A `%` stays raw only as the start of a %XX escape, whose hex
 * digits are uppercased.
 */
static size_t norm_url_encode(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' && i + 2 < len &&
		    norm_is_hex((unsigned char)s[i + 1]) &&
		    norm_is_hex((unsigned char)s[i + 2])) {
			if (out) {
				out[n] = '%';
				out[n + 1] = norm_upper(s[i + 1]);
				out[n + 2] = norm_upper(s[i + 2]);
			}
			n += 3;
			i += 2;
		} else if (c != '%' && norm_url_safe(c)) {
			if (out)
				out[n] = (char)c;
			n++;
		} else {
			if (out) {
				out[n] = '%';
				out[n + 1] = hex[c >> 4];
				out[n + 2] = hex[c & 15];
			}
			n += 3;
		}
	}
	return n;
}

struct norm_url {
	const struct norm_scheme *scheme;	/* NULL: scheme-less */
	const char *user;	/* user-info, without the `@` */
	size_t ulen;
	const char *host;	/* without brackets */
	size_t hlen;
	bool bracketed;		/* `[v6]` */
	long port;		/* explicit port, or -1 */
	const char *path;	/* path and query, fragment dropped */
	size_t plen;
};

static int norm_url_parse(const char *s, size_t len, struct norm_url *u)
{
	const char *end = s + len, *p = s, *sep, *auth, *at, *hp, *colon;
	const char *frag;
	size_t i, slen;

	memset(u, 0, sizeof(*u));
	u->port = -1;
	sep = norm_find(s, len, "://");
	if (sep) {
		slen = (size_t)(sep - s);
		if (!slen)
			return -PW_R_URL;
		for (i = 0; i < NORM_N(norm_schemes); i++) {
			if (strlen(norm_schemes[i].name) == slen &&
			    norm_ieq(s, norm_schemes[i].name, slen)) {
				u->scheme = &norm_schemes[i];
				break;
			}
		}
		if (!u->scheme)
			return -PW_R_URL_SCHEME;
		p = sep + 3;
	}
	for (auth = p; auth < end; auth++)
		if (*auth == '/' || *auth == '?' || *auth == '#')
			break;
	at = norm_rchr(p, (size_t)(auth - p), '@');
	hp = p;
	if (at) {
		u->user = p;
		u->ulen = (size_t)(at - p);
		hp = at + 1;
	}
	if (hp == auth)
		return -PW_R_URL;
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(auth - hp));

		if (!rb)
			return -PW_R_URL;
		u->host = hp + 1;
		u->hlen = (size_t)(rb - hp - 1);
		u->bracketed = true;
		if (!memchr(u->host, ':', u->hlen))
			return -PW_R_URL;
		colon = rb + 1 < auth ? rb + 1 : NULL;
		if (colon && *colon != ':')
			return -PW_R_URL;
	} else {
		colon = memchr(hp, ':', (size_t)(auth - hp));
		u->host = hp;
		u->hlen = (size_t)((colon ? colon : auth) - hp);
		if (colon && memchr(colon + 1, ':', (size_t)(auth - colon - 1)))
			return -PW_R_URL;
	}
	if (!u->hlen)
		return -PW_R_URL;
	if (colon) {
		u->port = norm_port_num(colon + 1, (size_t)(auth - colon - 1));
		if (u->port < 0)
			return -PW_R_URL;
	}
	frag = memchr(auth, '#', (size_t)(end - auth));
	u->path = auth;
	u->plen = (size_t)((frag ? frag : end) - auth);
	/* sentence punctuation before a fragment, as refang drops it */
	while (u->plen > 1 && (u->path[u->plen - 1] == '.' ||
			       u->path[u->plen - 1] == ','))
		u->plen--;
	if (u->plen == 1 && u->path[0] == '/')
		u->plen = 0;
	return 0;
}

static bool norm_v4char(unsigned char c)
{
	return norm_is_digit(c) || c == '.';
}

static bool norm_v6char(unsigned char c)
{
	return norm_is_hex(c) || c == ':' || c == '.';
}

/* The URL's host as an indicator in *h, its text in *host. */
static int norm_url_host(struct pw_arena *a, const struct pw_norm_opts *o,
			 const struct norm_url *u, unsigned flags,
			 struct pw_ind *h, const char **host)
{
	char buf[INET6_ADDRSTRLEN];
	int err;

	if (!u->bracketed && !norm_all(u->host, u->hlen, norm_v4char)) {
		if (!u->scheme)
			flags &= ~NF_NOEXT;
		else
			flags |= NF_NOEXT;
		err = norm_domain(a, o, u->host, u->hlen, flags | NF_URLHOST,
				  h);
		if (err)
			return err;
		*host = h->str;
		return 0;
	}
	err = pw_norm_ip(o, u->host, u->hlen, h);
	if (err)
		return err;
	if (pw_ind_format(h, buf, sizeof(buf)) < 0)
		return -PW_R_URL;
	*host = pw_arena_strndup(a, buf, strlen(buf));
	return *host ? 0 : -PW_R_NOMEM;
}

/*
 * Scheme-less `host:port[/path]` (miner command lines, pool lists, IoC
 * tables) gets a scheme in its canonical form: stratum+tcp when the port is
 * one of the stratum ports, http for port 80 or no port at all (Unit 42's
 * scheme-less lists are web pages), https for 443, and plain tcp for any
 * other port.  The explicit port is kept in the text.
 */
static const char *norm_url_guess(const struct pw_norm_opts *o, long port)
{
	if (port < 0 || port == 80)
		return "http";
	if (norm_is_stratum(o, (uint16_t)port))
		return "stratum+tcp";
	if (port == 443)
		return "https";
	return "tcp";
}

static int norm_url(struct pw_arena *a, const struct pw_norm_opts *o,
		    const char *s, size_t len, unsigned flags,
		    struct pw_ind out[PW_IND_MAX])
{
	struct norm_url u;
	const char *scheme, *host = NULL;
	char pbuf[16], *url;
	size_t slen, hlen, total, n, wlen;
	uint16_t port;
	bool v6;
	int err, m, k = 2;

	err = norm_url_parse(s, len, &u);
	if (err)
		return err;
	err = norm_url_host(a, o, &u, flags, &out[1], &host);
	if (err)
		return err;
	out[1].origin |= PW_O_URL;
	v6 = out[1].kind == PW_I_IPV6;
	if (u.scheme) {
		scheme = u.scheme->name;
		port = u.port > 0 ? (uint16_t)u.port : u.scheme->port;
	} else {
		scheme = norm_url_guess(o, u.port);
		port = u.port > 0 ? (uint16_t)u.port : 80;
	}
	pbuf[0] = '\0';
	if (u.port > 0) {
		m = snprintf(pbuf, sizeof(pbuf), ":%u", (unsigned)u.port);
		if (m < 0 || (size_t)m >= sizeof(pbuf))
			return -PW_R_URL;
	}
	slen = strlen(scheme);
	hlen = strlen(host);
	total = slen + 3 + hlen + (v6 ? 2 : 0) + strlen(pbuf) +
		norm_url_encode(u.path, u.plen, NULL);
	/*
	 * The cap holds for the canonical text too: percent-encoding can
	 * make it up to three times the raw token, and a URL poolwall
	 * publishes must read back through poolwall.
	 */
	if (total > PW_TOK_MAX)
		return -PW_R_TOOLONG;
	url = pw_arena_alloc(a, total + 1);
	if (!url)
		return -PW_R_NOMEM;
	n = 0;
	memcpy(url, scheme, slen);
	n += slen;
	memcpy(url + n, "://", 3);
	n += 3;
	if (v6)
		url[n++] = '[';
	memcpy(url + n, host, hlen);
	n += hlen;
	if (v6)
		url[n++] = ']';
	memcpy(url + n, pbuf, strlen(pbuf));
	n += strlen(pbuf);
	n += norm_url_encode(u.path, u.plen, url + n);
	url[n] = '\0';

	memset(&out[0], 0, sizeof(out[0]));
	out[0].kind = PW_I_URL;
	out[0].str = url;
	out[0].host = host;
	out[0].port_lo = out[0].port_hi = port;

	/*
	 * A port block only for stratum ports: a pool on 443 must never
	 * block HTTPS for everyone.
	 */
	if (port && norm_is_stratum(o, port)) {
		m = snprintf(pbuf, sizeof(pbuf), "tcp/%u", (unsigned)port);
		if (m > 0 && (size_t)m < sizeof(pbuf) &&
		    pw_norm_port(o, pbuf, (size_t)m, &out[k]) == 0) {
			out[k].origin |= PW_O_URL;
			k++;
		}
	}
	if (u.ulen) {
		for (wlen = 0; wlen < u.ulen; wlen++)
			if (u.user[wlen] == '.' || u.user[wlen] == '+' ||
			    u.user[wlen] == ':')
				break;
		if (pw_norm_wallet(a, u.user, wlen, &out[k]) == 0) {
			out[k].origin |= PW_O_URL;
			k++;
		}
	}
	return k;
}

int pw_norm_url(struct pw_arena *a, const struct pw_norm_opts *o,
		const char *s, size_t len, struct pw_ind out[PW_IND_MAX])
{
	struct pw_norm_opts def;

	return norm_url(a, norm_opts(o, &def), s, len, 0, out);
}

/* ---- classification and dispatch --------------------------------------- */

enum norm_class {
	NC_DOMAIN,
	NC_URL,
	NC_IP,
	NC_RANGE,
	NC_PORT,
	NC_HASH,
	NC_WALLET,
	NC_NUMBER,
};

static size_t norm_count(const char *s, size_t len, char c)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* an address by its characters only (the parser decides validity) */
static bool norm_addr_shape(const char *s, size_t len)
{
	if (norm_all(s, len, norm_v4char))
		return memchr(s, '.', len) != NULL;
	return norm_all(s, len, norm_v6char) && norm_count(s, len, ':') >= 2;
}

static bool norm_prefix_shape(const char *s, size_t len)
{
	const char *sl = memchr(s, '/', len);

	if (sl) {
		size_t rest = len - (size_t)(sl - s) - 1;

		if (rest && !norm_all(sl + 1, rest, norm_is_digit))
			return false;
		len = (size_t)(sl - s);
	}
	return norm_addr_shape(s, len);
}

static bool norm_range_shape(const char *s, size_t len)
{
	const char *dash = memchr(s, '-', len);
	const char *l = s, *r;
	size_t ll, rl;

	if (!dash)
		return false;
	ll = (size_t)(dash - s);
	r = dash + 1;
	rl = len - ll - 1;
	norm_trim(&l, &ll);
	norm_trim(&r, &rl);
	return norm_addr_shape(l, ll) && norm_addr_shape(r, rl);
}

static bool norm_number_shape(const char *s, size_t len)
{
	const char *dash = memchr(s, '-', len);

	if (!dash)
		return norm_all(s, len, norm_is_digit);
	return norm_all(s, (size_t)(dash - s), norm_is_digit) &&
	       norm_all(dash + 1, len - (size_t)(dash - s) - 1, norm_is_digit);
}

static bool norm_proto_word(const char *s)
{
	return norm_ieq(s, "tcp", 3) || norm_ieq(s, "udp", 3) ||
	       norm_ieq(s, "any", 3);
}

static bool norm_port_shape(const char *s, size_t len)
{
	if (len < 5)
		return false;
	if (s[3] == '/' && norm_proto_word(s) &&
	    norm_is_digit((unsigned char)s[4]))
		return true;
	return s[len - 4] == '/' && norm_proto_word(s + len - 3) &&
	       norm_is_digit((unsigned char)s[len - 5]);
}

/* host:port, [v6]:port, user@host:port, each with an optional /path */
static bool norm_url_shape(const char *s, size_t len)
{
	const char *end = s + len, *auth, *at, *p, *colon;
	size_t n;

	for (auth = s; auth < end && *auth != '/'; auth++)
		;
	at = norm_rchr(s, (size_t)(auth - s), '@');
	p = at ? at + 1 : s;
	n = (size_t)(auth - p);
	if (n && p[0] == '[') {
		const char *rb = memchr(p, ']', n);

		return rb && rb + 1 < auth && rb[1] == ':';
	}
	colon = memchr(p, ':', n);
	if (!colon || colon == p ||
	    norm_all(p, (size_t)(colon - p), norm_is_digit))
		return false;
	n = (size_t)(auth - colon - 1);
	return n >= 1 && n <= 5 && norm_all(colon + 1, n, norm_is_digit);
}

static bool norm_wallet_shape(const char *s, size_t len)
{
	if (len == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return true;
	if (!norm_all(s, len, norm_is_alnum))
		return false;
	if ((s[0] == '4' || s[0] == '8') && (len == 95 || len == 106))
		return true;
	if ((s[0] == '1' || s[0] == '3') && len >= 26 && len <= 35)
		return true;
	return len >= 14 && len <= 90 && norm_ieq(s, "bc1", 3);
}

static enum norm_class norm_classify(const char *s, size_t len)
{
	if (norm_find(s, len, "://"))
		return NC_URL;
	if (norm_port_shape(s, len))
		return NC_PORT;
	if (norm_number_shape(s, len))
		return NC_NUMBER;
	if (norm_url_shape(s, len))
		return NC_URL;
	if (norm_range_shape(s, len))
		return NC_RANGE;
	if (norm_prefix_shape(s, len))
		return NC_IP;
	if ((len == 32 || len == 40 || len == 64) &&
	    norm_all(s, len, norm_is_hex))
		return NC_HASH;
	if (norm_wallet_shape(s, len))
		return NC_WALLET;
	return NC_DOMAIN;
}

static int norm_one(int err)
{
	return err ? err : 1;
}

static int norm_dispatch(struct pw_arena *a, const struct pw_norm_opts *o,
			 const char *s, size_t len, enum pw_hint hint,
			 unsigned flags, struct pw_ind out[PW_IND_MAX])
{
	enum norm_class c;

	switch (hint) {
	case PW_H_DOMAIN:
		return norm_one(norm_domain(a, o, s, len, flags, out));
	case PW_H_IP:
		if (memchr(s, '-', len))
			return pw_norm_range(o, s, len, out, PW_IND_MAX);
		return norm_one(pw_norm_ip(o, s, len, out));
	case PW_H_URL:
		return norm_url(a, o, s, len, flags, out);
	case PW_H_PORT:
		return norm_one(pw_norm_port(o, s, len, out));
	case PW_H_WALLET:
		return norm_one(pw_norm_wallet(a, s, len, out));
	case PW_H_HASH:
		return norm_one(pw_norm_hash(a, s, len, out));
	case PW_H_ANY:
		break;
	default:
		return -PW_R_UNKNOWN;
	}
	c = norm_classify(s, len);
	switch (c) {
	case NC_URL:
		return norm_url(a, o, s, len, flags, out);
	case NC_PORT:
		return norm_one(pw_norm_port(o, s, len, out));
	case NC_RANGE:
		return pw_norm_range(o, s, len, out, PW_IND_MAX);
	case NC_IP:
		return norm_one(pw_norm_ip(o, s, len, out));
	case NC_HASH:
		return norm_one(pw_norm_hash(a, s, len, out));
	case NC_WALLET:
		return norm_one(pw_norm_wallet(a, s, len, out));
	case NC_NUMBER:
		/* a year or a count in prose, never a port by accident */
		return -PW_R_UNKNOWN;
	case NC_DOMAIN:
	default:
		return norm_one(norm_domain(a, o, s, len, flags, out));
	}
}

int pw_normalize(struct pw_arena *a, const struct pw_norm_opts *o,
		 const char *tok, size_t len, enum pw_hint hint,
		 unsigned flags, struct pw_ind out[PW_IND_MAX])
{
	struct pw_norm_opts def;
	char buf[PW_TOK_MAX + 1];
	bool changed = false, defanged = false;
	const char *s = tok;
	size_t n = len;
	ssize_t r;
	int ret, i;

	o = norm_opts(o, &def);
	norm_trim(&s, &n);
	if (!n)
		return -PW_R_EMPTY;
	if (n > PW_TOK_MAX)
		return -PW_R_TOOLONG;
	ret = norm_check_bytes(s, n);
	if (ret)
		return ret;
	r = norm_refang(s, n, buf, sizeof(buf), &changed, &defanged);
	if (r < 0)
		return -PW_R_TOOLONG;
	if (r == 0)
		return -PW_R_EMPTY;
	flags &= PW_T_PUBLIC;
	if (defanged)
		flags |= NF_DEFANGED;
	ret = norm_dispatch(a, o, buf, (size_t)r, hint, flags, out);
	for (i = 0; i < ret; i++) {
		if (defanged)
			out[i].note |= PW_N_DEFANGED;
		if (flags & PW_T_MONITOR)
			out[i].monitor = 1;
	}
	return ret;
}

/* ---- canonical text -------------------------------------------------- */

static const char *norm_proto_name(unsigned proto)
{
	switch (proto) {
	case PW_PROTO_UDP:
		return "udp";
	case PW_PROTO_BOTH:
		return "any";
	default:
		return "tcp";
	}
}

int pw_ind_format(const struct pw_ind *in, char *buf, size_t cap)
{
	char ab[INET6_ADDRSTRLEN];
	struct in_addr a4;
	int n = -1;

	if (!buf || !cap)
		return -1;
	switch (in->kind) {
	case PW_I_DOMAIN:
		if (!in->str)
			return -1;
		n = snprintf(buf, cap, "%s%s",
			     in->mode == PW_D_SUBS ? "*." : "", in->str);
		break;
	case PW_I_IPV4:
		a4.s_addr = htonl(in->a.v4);
		if (!inet_ntop(AF_INET, &a4, ab, sizeof(ab)))
			return -1;
		if (in->plen >= 32)
			n = snprintf(buf, cap, "%s", ab);
		else
			n = snprintf(buf, cap, "%s/%u", ab, in->plen);
		break;
	case PW_I_IPV6:
		if (!inet_ntop(AF_INET6, in->a.v6, ab, sizeof(ab)))
			return -1;
		if (in->plen >= 128)
			n = snprintf(buf, cap, "%s", ab);
		else
			n = snprintf(buf, cap, "%s/%u", ab, in->plen);
		break;
	case PW_I_PORT:
		if (in->port_lo == in->port_hi)
			n = snprintf(buf, cap, "%s/%u",
				     norm_proto_name(in->mode), in->port_lo);
		else
			n = snprintf(buf, cap, "%s/%u-%u",
				     norm_proto_name(in->mode), in->port_lo,
				     in->port_hi);
		break;
	case PW_I_URL:
	case PW_I_WALLET:
	case PW_I_HASH:
		if (!in->str)
			return -1;
		n = snprintf(buf, cap, "%s", in->str);
		break;
	default:
		return -1;
	}
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}
