/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `suricata`: IDS rules that see a miner even when it bypasses the
 * resolver and the proxy (formats.md 7).
 *
 * Per indicator: DNS queries (dns.query) and TLS SNI (tls.sni) for pool
 * names (`dotprefix` + `.name` + `endswith` for a name and its subdomains,
 * `startswith` + `endswith` for an exact name), traffic to pool addresses,
 * JSON-RPC to stratum ports, and a wallet in a stratum message.  Plus the
 * stratum protocol itself, whatever the pool: mining.subscribe,
 * mining.authorize, XMRig-style login with its agent, any login with a
 * miner agent, and XMRig-style share submission.
 *
 * Every rule carries `metadata:poolwall_key KIND/VALUE`.  Its sid is in
 * [sid_base, sid_base + sid_range) and comes from the key: first the sid
 * the previous file (the target) gave the key, so a re-run keeps sids even
 * when a hash collision was resolved differently; else a SHA-1 of the key,
 * probing upwards past sids taken.  `rev` is the previous rev when the rule
 * text (everything before sid) is unchanged, and one more when it changed.
 * Only numbers and digests are taken from the previous file, never text.
 *
 * Values go into msg and content strings unescaped: the core hands over
 * canonical values without `"`, `;`, `\` or `|`, and the plugin refuses
 * anything else rather than write a rule that would match every packet.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#include "pwo.h"

#define SU_SID_MAX 0xffffffffull
#define SU_RANGE_MAX (1ul << 24)	/* the sid bitmap stays small */
#define SU_PREV_MAX (256ul << 20)	/* previous file size cap */
#define SU_LINE_MAX 4096
#define SU_REV_MAX 1000000000ul	/* a larger rev in the file is junk */
#define SU_THRESHOLD "threshold:type limit, track by_src, count 1, " \
		     "seconds 3600; "

struct su_conf {
	unsigned long sid_base;
	unsigned long sid_range;
	const char *classtype;
	const char *incident;
	int dns, tls, addresses, ports, wallets, stratum;
};

static const struct pw_option su_options[] = {
	{ "sid_base", "9100000", PW_OPT_UINT,
	  offsetof(struct su_conf, sid_base), "first sid of the range" },
	{ "sid_range", "900000", PW_OPT_UINT,
	  offsetof(struct su_conf, sid_range),
	  "number of sids in the range (at most 16777216)" },
	{ "classtype", "policy-violation", PW_OPT_STR,
	  offsetof(struct su_conf, classtype),
	  "classtype of every rule (classification.config)" },
	{ "incident", "", PW_OPT_STR, offsetof(struct su_conf, incident),
	  "only the indicators of this incident, and no stratum rules" },
	{ "dns", "yes", PW_OPT_BOOL, offsetof(struct su_conf, dns),
	  "rules for DNS queries of pool names" },
	{ "tls", "yes", PW_OPT_BOOL, offsetof(struct su_conf, tls),
	  "rules for TLS SNI of pool names" },
	{ "addresses", "yes", PW_OPT_BOOL, offsetof(struct su_conf, addresses),
	  "rules for traffic to pool addresses" },
	{ "ports", "yes", PW_OPT_BOOL, offsetof(struct su_conf, ports),
	  "rules for JSON-RPC to stratum ports" },
	{ "wallets", "yes", PW_OPT_BOOL, offsetof(struct su_conf, wallets),
	  "rules for wallets in stratum messages" },
	{ "stratum", "yes", PW_OPT_BOOL, offsetof(struct su_conf, stratum),
	  "rules for the stratum protocol itself" },
	{ NULL, NULL, 0, 0, NULL },
};

struct su_rule {
	char *key;		/* KIND/VALUE */
	char *text;		/* the rule up to, without, "sid:" */
	uint32_t sid;		/* 0: not assigned yet */
	unsigned long rev;
};

struct su_prev {
	uint32_t sid;
	unsigned long rev;
	uint8_t digest[PWO_SHA1_LEN];
};

struct su_state {
	struct pw_host *h;
	struct su_conf c;
	struct su_rule *r;
	size_t n, cap;
	struct pwo_map *prev;	/* key -> struct su_prev */
	struct pwo_map *keys;	/* keys of this run: no duplicates */
	uint8_t *taken;		/* bitmap over the sid range */
	unsigned long kept, bumped, fresh;
	int err;
};

/* ---- building rules ------------------------------------------------------ */


/* Close a rule's options before sid, and keep it. */
static void su_add(struct su_state *s, const char *key, struct pwo_buf *o)
{
	struct su_rule *r;
	int added;

	if (s->err)
		return;
	pwo_put(o, "classtype:%s; metadata:poolwall_key %s; ", s->c.classtype,
	       key);
	if (o->len >= o->cap) {
		s->err = -ENAMETOOLONG;
		return;
	}
	if (!pwo_map_put(s->keys, key, strlen(key), &added)) {
		s->err = -ENOMEM;
		return;
	}
	if (!added)
		return;	/* the same rule twice: once is enough */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct su_rule *nr;

		if (cap > SIZE_MAX / sizeof(*nr)) {
			s->err = -ENOMEM;
			return;
		}
		nr = realloc(s->r, cap * sizeof(*nr));
		if (!nr) {
			s->err = -ENOMEM;
			return;
		}
		s->r = nr;
		s->cap = cap;
	}
	r = &s->r[s->n];
	memset(r, 0, sizeof(*r));
	r->key = strdup(key);
	r->text = strdup(o->b);
	if (!r->key || !r->text) {
		free(r->key);
		free(r->text);
		s->err = -ENOMEM;
		return;
	}
	s->n++;
}

static int su_safe(struct su_state *s, const char *v, const char *allowed)
{
	if (pwo_check_value(v, allowed) == 0)
		return 0;
	pw_log(s->h, LOG_ERR, "refusing value '%.64s': not a canonical "
	       "indicator", v);
	s->err = -EINVAL;
	return -EINVAL;
}

static void su_name_rule(struct su_state *s, const char *proto,
			 const char *buffer, const struct pw_item *it,
			 const char *name)
{
	char line[SU_LINE_MAX];
	struct pwo_buf o = { line, sizeof(line), 0 };
	char key[300];
	const char *what = strcmp(proto, "dns") == 0 ? "DNS query for" :
						      "TLS SNI of";
	const char *tier = it->flags & PW_F_MONITOR ? " (monitor)" : "";

	if (snprintf(key, sizeof(key), "%s/%s", proto, it->value) >=
	    (int)sizeof(key)) {
		s->err = -ENAMETOOLONG;
		return;
	}
	pwo_put(&o, "alert %s any any -> any any (", proto);
	if ((it->flags & PW_F_SELF) && (it->flags & PW_F_SUBDOMAINS))
		pwo_put(&o, "msg:\"POOLWALL %s mining pool %s and subdomains%s"
		       "\"; %s; dotprefix; content:\".%s\"; endswith; nocase; ",
		       what, name, tier, buffer, name);
	else if (it->flags & PW_F_SELF)
		pwo_put(&o, "msg:\"POOLWALL %s mining pool %s%s\"; %s; "
		       "content:\"%s\"; startswith; endswith; nocase; ",
		       what, name, tier, buffer, name);
	else
		pwo_put(&o, "msg:\"POOLWALL %s subdomain of mining pool %s%s"
		       "\"; %s; content:\".%s\"; endswith; nocase; ",
		       what, name, tier, buffer, name);
	su_add(s, key, &o);
}

static void su_domain(struct su_state *s, const struct pw_item *it)
{
	const char *name = it->value;

	if (su_safe(s, it->value, ".-_*"))
		return;
	if (!(it->flags & PW_F_SELF) && strncmp(name, "*.", 2) == 0)
		name += 2;
	if (s->c.dns)
		su_name_rule(s, "dns", "dns.query", it, name);
	if (s->c.tls)
		su_name_rule(s, "tls", "tls.sni", it, name);
}

static void su_address(struct su_state *s, const struct pw_item *it)
{
	char line[SU_LINE_MAX];
	struct pwo_buf o = { line, sizeof(line), 0 };
	char key[80];

	if (!s->c.addresses || su_safe(s, it->value, ".:/"))
		return;
	if (snprintf(key, sizeof(key), "ip/%s", it->value) >=
	    (int)sizeof(key)) {
		s->err = -ENAMETOOLONG;
		return;
	}
	pwo_put(&o, "alert ip $HOME_NET any -> %s any (msg:\"POOLWALL traffic "
	       "to mining pool %s %s%s\"; " SU_THRESHOLD, it->value,
	       strchr(it->value, '/') ? "network" : "address", it->value,
	       it->flags & PW_F_MONITOR ? " (monitor)" : "");
	su_add(s, key, &o);
}

static void su_port_one(struct su_state *s, const struct pw_item *it,
			const char *proto)
{
	char line[SU_LINE_MAX];
	struct pwo_buf o = { line, sizeof(line), 0 };
	char key[40], ports[16], name[24];

	if (it->port_lo == it->port_hi) {
		snprintf(ports, sizeof(ports), "%u", (unsigned)it->port_lo);
		snprintf(name, sizeof(name), "%s/%u", proto,
			 (unsigned)it->port_lo);
	} else {
		snprintf(ports, sizeof(ports), "%u:%u", (unsigned)it->port_lo,
			 (unsigned)it->port_hi);
		snprintf(name, sizeof(name), "%s/%u-%u", proto,
			 (unsigned)it->port_lo, (unsigned)it->port_hi);
	}
	snprintf(key, sizeof(key), "port/%s", name);
	pwo_put(&o, "alert %s $HOME_NET any -> $EXTERNAL_NET %s (msg:\"POOLWALL "
	       "JSON-RPC to stratum port %s%s\"; %scontent:\"{\"; depth:1; "
	       "content:\"|22|method|22|\"; distance:0; " SU_THRESHOLD,
	       proto, ports, name,
	       it->flags & PW_F_MONITOR ? " (monitor)" : "",
	       strcmp(proto, "tcp") == 0 ? "flow:established,to_server; " :
					   "");
	su_add(s, key, &o);
}

static void su_port(struct su_state *s, const struct pw_item *it)
{
	if (!s->c.ports)
		return;
	if (it->proto & PW_PROTO_TCP)
		su_port_one(s, it, "tcp");
	if (it->proto & PW_PROTO_UDP)
		su_port_one(s, it, "udp");
}

static void su_wallet(struct su_state *s, const struct pw_item *it)
{
	char line[SU_LINE_MAX];
	struct pwo_buf o = { line, sizeof(line), 0 };
	char key[160];
	/* hex (0x...) and bech32 addresses are written in either case */
	int nocase = strcmp(it->sub, "eth") == 0 ||
		     strncmp(it->value, "bc1", 3) == 0;

	if (!s->c.wallets || su_safe(s, it->value, ""))
		return;
	if (snprintf(key, sizeof(key), "wallet/%s", it->value) >=
	    (int)sizeof(key)) {
		s->err = -ENAMETOOLONG;
		return;
	}
	pwo_put(&o, "alert tcp $HOME_NET any -> $EXTERNAL_NET any "
	       "(msg:\"POOLWALL stratum message with miner wallet "
	       "%.24s... (%s)%s\"; "
	       "flow:established,to_server; content:\"|22|method|22|\"; "
	       "content:\"%s\"; %sfast_pattern; ", it->value, it->sub,
	       it->flags & PW_F_MONITOR ? " (monitor)" : "", it->value,
	       nocase ? "nocase; " : "");
	su_add(s, key, &o);
}

static int su_item(void *ctx, const struct pw_item *it)
{
	struct su_state *s = ctx;

	if (*s->c.incident &&
	    (!it->incident || strcmp(it->incident, s->c.incident) != 0))
		return 0;
	switch (it->kind) {
	case PW_I_DOMAIN:
		su_domain(s, it);
		break;
	case PW_I_IPV4:
	case PW_I_IPV6:
		su_address(s, it);
		break;
	case PW_I_PORT:
		su_port(s, it);
		break;
	case PW_I_WALLET:
		su_wallet(s, it);
		break;
	default:
		/* URLs come as their host and port; hashes have no rule */
		break;
	}
	return s->err;
}

/* The stratum protocol itself (formats.md 7, tested on a crafted pcap). */
static void su_stratum(struct su_state *s)
{
	static const struct {
		const char *key, *msg, *match;
	} st[] = {
		{ "stratum/mining.subscribe", "stratum v1 mining.subscribe",
		  "content:\"|22|method|22|\"; content:\"|22|mining.subscribe"
		  "|22|\"; distance:0; within:32; " },
		{ "stratum/mining.authorize", "stratum v1 mining.authorize",
		  "content:\"|22|method|22|\"; content:\"|22|mining.authorize"
		  "|22|\"; distance:0; within:32; " },
		{ "stratum/xmrig-login", "XMRig-style stratum login",
		  "content:\"|22|method|22|\"; content:\"|22|login|22|\"; "
		  "distance:0; within:16; content:\"|22|agent|22|\"; "
		  "distance:0; "
		  "pcre:\"/\\x22agent\\x22\\s*:\\s*\\x22XMRig\\//\"; " },
		{ "stratum/login-agent", "stratum login with a miner agent",
		  "content:\"|22|method|22|\"; content:\"|22|login|22|\"; "
		  "distance:0; within:16; content:\"|22|params|22|\"; "
		  "content:\"|22|agent|22|\"; distance:0; "
		  "pcre:\"/\\x22agent\\x22\\s*:\\s*\\x22[^\\x22]*"
		  "(xmrig|xmr-stak|cpuminer|ccminer|minerd|srbminer|"
		  "teamredminer|lolminer|nanominer)/i\"; " },
		{ "stratum/submit", "XMRig-style stratum share submission",
		  "content:\"|22|method|22|\"; content:\"|22|submit|22|\"; "
		  "distance:0; within:16; content:\"|22|job_id|22|\"; "
		  "content:\"|22|nonce|22|\"; content:\"|22|result|22|\"; " },
	};
	size_t i;

	for (i = 0; i < sizeof(st) / sizeof(st[0]) && !s->err; i++) {
		char line[SU_LINE_MAX];
		struct pwo_buf o = { line, sizeof(line), 0 };

		pwo_put(&o, "alert tcp $HOME_NET any -> $EXTERNAL_NET any "
		       "(msg:\"POOLWALL %s\"; flow:established,to_server; %s",
		       st[i].msg, st[i].match);
		su_add(s, st[i].key, &o);
	}
}

/* ---- the previous file --------------------------------------------------- */

static int su_field(const char *line, const char *name, unsigned long *v)
{
	const char *p = strstr(line, name);
	char *end;

	if (!p)
		return -EINVAL;
	p += strlen(name);
	if (*p < '0' || *p > '9')
		return -EINVAL;
	*v = strtoul(p, &end, 10);
	return *end == ';' ? 0 : -EINVAL;
}

static void su_prev_line(struct su_state *s, const char *line)
{
	const char *k, *sidp = strstr(line, " sid:");
	unsigned long sid, rev;
	struct su_prev *p;
	size_t klen;
	int added;

	if (strncmp(line, "alert ", 6) != 0 || !sidp)
		return;
	k = strstr(line, "metadata:poolwall_key ");
	if (!k || k > sidp || su_field(sidp, " sid:", &sid) ||
	    su_field(sidp, " rev:", &rev) || sid < 1 || sid > SU_SID_MAX ||
	    rev < 1 || rev >= SU_REV_MAX)
		return;
	k += strlen("metadata:poolwall_key ");
	klen = strcspn(k, ";, ");
	if (!klen || klen > 512)
		return;
	p = pwo_map_put(s->prev, k, klen, &added);
	if (!p) {
		s->err = -ENOMEM;
		return;
	}
	if (!added)
		return;	/* the first line of a key counts */
	p->sid = (uint32_t)sid;
	p->rev = rev;
	pwo_sha1(line, (size_t)(sidp + 1 - line), p->digest);
}

static int su_load_prev(struct su_state *s)
{
	const char *path = pw_host_target(s->h);
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t len;
	FILE *f;

	if (!path)
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;	/* the first run */
	while (!s->err && (len = getline(&line, &cap, f)) > 0) {
		total += (size_t)len;
		if (total > SU_PREV_MAX) {
			pw_log(s->h, LOG_WARNING, "previous rules '%s' larger "
			       "than %lu bytes: sids and revs start afresh",
			       path, SU_PREV_MAX);
			break;
		}
		if ((size_t)len > SU_LINE_MAX)
			continue;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		su_prev_line(s, line);
	}
	free(line);
	fclose(f);
	return s->err;
}

/* ---- sids and revs ------------------------------------------------------- */

static int su_take(struct su_state *s, uint32_t sid)
{
	unsigned long i = sid - s->c.sid_base;

	if (sid < s->c.sid_base || i >= s->c.sid_range ||
	    s->taken[i / 8] & (1u << (i % 8)))
		return -EEXIST;
	s->taken[i / 8] |= (uint8_t)(1u << (i % 8));
	return 0;
}

static int su_assign(struct su_state *s)
{
	uint8_t d[PWO_SHA1_LEN];
	const struct su_prev *p;
	unsigned long i, h;
	size_t k;

	if (s->n > s->c.sid_range) {
		pw_log(s->h, LOG_ERR, "%zu rules do not fit in %lu sids: raise "
		       "sid_range", s->n, s->c.sid_range);
		return -ENOSPC;
	}
	s->taken = calloc(s->c.sid_range / 8 + 1, 1);
	if (!s->taken)
		return -ENOMEM;
	/* the sids the previous file gave, and the revs */
	for (k = 0; k < s->n; k++) {
		struct su_rule *r = &s->r[k];

		p = pwo_map_get(s->prev, r->key, strlen(r->key));
		r->rev = 1;
		if (!p)
			continue;
		pwo_sha1(r->text, strlen(r->text), d);
		if (memcmp(d, p->digest, sizeof(d)) == 0) {
			r->rev = p->rev;
			s->kept++;
		} else {
			r->rev = p->rev + 1;
			s->bumped++;
		}
		if (su_take(s, p->sid) == 0)
			r->sid = p->sid;
	}
	/* the others: from the key, probing past sids taken */
	for (k = 0; k < s->n; k++) {
		struct su_rule *r = &s->r[k];

		if (r->sid)
			continue;
		pwo_sha1(r->key, strlen(r->key), d);
		h = ((unsigned long)d[0] << 24 | (unsigned long)d[1] << 16 |
		     (unsigned long)d[2] << 8 | d[3]) % s->c.sid_range;
		for (i = 0; i < s->c.sid_range; i++) {
			uint32_t sid = (uint32_t)(s->c.sid_base +
						  (h + i) % s->c.sid_range);

			if (su_take(s, sid) == 0) {
				r->sid = sid;
				break;
			}
		}
		if (!r->sid)
			return -ENOSPC;
		if (r->rev == 1 && !pwo_map_get(s->prev, r->key,
						strlen(r->key)))
			s->fresh++;
	}
	return 0;
}

/* ---- plugin glue --------------------------------------------------------- */

static int su_create(struct pw_host *h, const void *conf, void **state)
{
	const struct su_conf *c = conf;
	struct su_state *s;

	if (c->sid_base < 1 || c->sid_range < 1 ||
	    c->sid_range > SU_RANGE_MAX ||
	    c->sid_base + c->sid_range - 1 > SU_SID_MAX) {
		pw_log(h, LOG_ERR, "sids %lu to %lu: the range must lie in 1 "
		       "to %llu and hold at most %lu sids", c->sid_base,
		       c->sid_base + c->sid_range - 1, SU_SID_MAX,
		       SU_RANGE_MAX);
		return -EINVAL;
	}
	if (!*c->classtype || strlen(c->classtype) > 64 ||
	    pwo_check_value(c->classtype, "-_")) {
		pw_log(h, LOG_ERR, "classtype '%.64s': letters, digits, '-' "
		       "and '_' only", c->classtype);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->c = *c;
	*state = s;
	return 0;
}

static void su_reset(struct su_state *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		free(s->r[k].key);
		free(s->r[k].text);
	}
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
	pwo_map_free(s->prev);
	pwo_map_free(s->keys);
	s->prev = s->keys = NULL;
	free(s->taken);
	s->taken = NULL;
	s->kept = s->bumped = s->fresh = 0;
	s->err = 0;
}

static void su_destroy(void *state)
{
	struct su_state *s = state;

	if (!s)
		return;
	su_reset(s);
	free(s);
}

static int su_render(void *state, const struct pw_set *set,
		     struct pw_sink *out)
{
	struct su_state *s = state;
	size_t k;
	int err;

	su_reset(s);
	s->prev = pwo_map_new(sizeof(struct su_prev));
	s->keys = pwo_map_new(0);
	if (!s->prev || !s->keys)
		return -ENOMEM;
	err = su_load_prev(s);
	if (err)
		return err;
	if (s->c.stratum && !*s->c.incident)
		su_stratum(s);
	err = s->err;
	if (!err)
		err = pw_set_iter(set, PW_IMASK_ALL, su_item, s);
	if (!err)
		err = su_assign(s);
	if (!err)
		err = pw_sink_printf(out, "# poolwall Suricata rules, sids %lu "
				     "to %lu; generated, do not edit\n",
				     s->c.sid_base,
				     s->c.sid_base + s->c.sid_range - 1);
	for (k = 0; !err && k < s->n; k++)
		err = pw_sink_printf(out, "%ssid:%lu; rev:%lu;)\n",
				     s->r[k].text, (unsigned long)s->r[k].sid,
				     s->r[k].rev);
	if (err)
		return err;
	if (s->bumped)
		pw_log(s->h, LOG_INFO, "%lu rules changed (rev bumped), %lu "
		       "unchanged, %lu new", s->bumped, s->kept, s->fresh);
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "suricata",
	.kind = PW_OUTPUT,
	.summary = "Suricata rules: pool names (DNS, TLS SNI), addresses, "
		   "stratum ports, wallets, the stratum protocol",
	.options = su_options,
	.conf_size = sizeof(struct su_conf),
	.create = su_create,
	.destroy = su_destroy,
	.render = su_render,
};
