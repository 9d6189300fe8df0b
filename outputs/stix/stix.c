/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `stix`: a STIX 2.1 bundle for MISP, OpenCTI or a TAXII server.
 *
 * One `indicator` per indicator of the set, with a STIX pattern:
 *
 *	domain		[domain-name:value = 'd' OR
 *			 domain-name:value LIKE '%.d']
 *	exact domain	[domain-name:value = 'd']
 *	*.d		[domain-name:value LIKE '%.d']
 *	address		[ipv4-addr:value = 'a']  (ipv6-addr likewise)
 *	prefix		[ipv4-addr:value ISSUBSET 'a/n']
 *	port		[network-traffic:dst_port = p AND
 *			 network-traffic:protocols[*] = 'tcp']
 *			(a range with >= and <=)
 *	url		[url:value = 'u']
 *	hash		[file:hashes.'SHA-256' = 'h']  ('SHA-1', MD5)
 *	wallet		[process:command_line LIKE '%w%'], based on a
 *			`cryptocurrency-wallet` observable (a custom SCO, as
 *			OpenCTI names it) with the address as its value
 *
 * A name holding `_` (a LIKE wildcard) is matched with MATCHES instead.
 * Ids are version 5 UUIDs: of the pattern for indicators, of the address
 * for wallets (in the STIX SCO namespace, as for standard SCOs), so a
 * re-run keeps them.  `created` (= `valid_from`) and `modified` are carried
 * over from the previous bundle at the target path: an unchanged object is
 * written exactly as before, a changed one gets a new `modified`, as STIX
 * versioning wants.  An emergency block's expiry becomes `valid_until`.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <sys/stat.h>

#include <jansson.h>

#include <poolwall/plugin.h>

#include "jsondump.h"
#include "pwo.h"

#define STIX_PREV_MAX (512ul << 20)	/* previous bundle size cap */

/* the namespace STIX 2.1 gives for SCO ids (section 2.9) */
static const uint8_t stix_ns_sco[16] = {
	0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
	0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
};

struct stix_conf {
	const char *identity;
	const char *labels;
	const char *incident;
	const char *incident_url;
	int wallets;
	int families;
};

static const struct pw_option stix_options[] = {
	{ "identity", "poolwall", PW_OPT_STR,
	  offsetof(struct stix_conf, identity),
	  "name of the identity object that creates the indicators" },
	{ "labels", "", PW_OPT_STR, offsetof(struct stix_conf, labels),
	  "comma-separated labels for every indicator (e.g. the miner "
	  "family)" },
	{ "incident", "", PW_OPT_STR, offsetof(struct stix_conf, incident),
	  "only the indicators of this incident" },
	{ "incident_url", "", PW_OPT_STR,
	  offsetof(struct stix_conf, incident_url),
	  "incident references get this URL followed by the incident id" },
	{ "wallets", "yes", PW_OPT_BOOL, offsetof(struct stix_conf, wallets),
	  "write wallets as cryptocurrency-wallet observables too" },
	{ "families", "yes", PW_OPT_BOOL, offsetof(struct stix_conf, families),
	  "label indicators with the miner family their source names" },
	{ NULL, NULL, 0, 0, NULL },
};

/*
 * Miner families, recognised in the name of a source (an IoC file or feed
 * called after the family, like h2miner.csv or elf_teamtnt.txt).
 */
static const struct {
	const char *token, *label;
} stix_families[] = {
	{ "8220", "8220-gang" },	{ "coinhive", "coinhive" },
	{ "crackonosh", "crackonosh" },	{ "guptiminer", "guptiminer" },
	{ "h2miner", "h2miner" },	{ "kinsing", "kinsing" },
	{ "lemonduck", "lemonduck" },	{ "mrbminer", "mrbminer" },
	{ "mykings", "mykings" },	{ "noabot", "noabot" },
	{ "pwnrig", "pwnrig" },		{ "redtail", "redtail" },
	{ "skidmap", "skidmap" },	{ "smominru", "smominru" },
	{ "stantinko", "stantinko" },	{ "sysrv", "sysrv-hello" },
	{ "teamtnt", "teamtnt" },	{ "tor2mine", "tor2mine" },
	{ "watchdog", "watchdog" },	{ "xmrig", "xmrig" },
};

/* what the previous bundle said about an object */
struct stix_prev {
	char created[PWO_TIME_LEN];
	char modified[PWO_TIME_LEN];
	uint8_t digest[PWO_SHA1_LEN];
};

struct stix_state {
	struct pw_host *h;
	struct stix_conf c;
	struct pw_sink *out;
	struct pwo_map *prev;		/* id -> struct stix_prev */
	char now[PWO_TIME_LEN];
	char identity_id[64];
	json_t *labels;			/* array, or NULL */
	unsigned long n, carried, changed, expired_until;
	int first;			/* no object written yet */
	/* pattern and name of one indicator: a URL the core accepts can be
	   4096 bytes, quoted and escaped */
	char pbuf[16384], nbuf[9000];
};

/* ---- small helpers ------------------------------------------------------- */


/* A STIX pattern string literal: ' and \ are escaped. */
static void stix_quote(struct pwo_buf *o, const char *s)
{
	pwo_put(o, "'");
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			pwo_put(o, "\\%c", *s);
		else
			pwo_put(o, "%c", *s);
	}
	pwo_put(o, "'");
}

/* The same with the regular expression of a name: dots escaped for PCRE,
   then the backslash escaped for the literal. */
static void stix_quote_name_re(struct pwo_buf *o, const char *name, int self)
{
	pwo_put(o, "'^%s", self ? "(.+\\\\.)?" : ".+\\\\.");
	for (; *name; name++) {
		if (*name == '.')
			pwo_put(o, "\\\\.");
		else
			pwo_put(o, "%c", *name);
	}
	pwo_put(o, "$'");
}

static void stix_id(const char *type, const char *name, char *out,
		    size_t cap)
{
	const char *parts[3] = { "stix", type, name };
	char u[PWO_UUID_STRLEN];

	pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, u);
	snprintf(out, cap, "%s--%s", type, u);
}

/* SHA-1 of the object without its version dates: did it change? */
static int stix_digest(json_t *obj, uint8_t d[PWO_SHA1_LEN])
{
	json_t *c = json_copy(obj);
	char *txt;

	if (!c)
		return -ENOMEM;
	json_object_del(c, "created");
	json_object_del(c, "modified");
	json_object_del(c, "valid_from");
	txt = pw_json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(c);
	if (!txt)
		return -ENOMEM;
	pwo_sha1(txt, strlen(txt), d);
	free(txt);
	return 0;
}

/* ---- the previous bundle ------------------------------------------------- */

/*
 * A date of the previous bundle, taken only in the exact form this plugin
 * writes (2026-01-01T00:00:00.000Z): nothing else of that file is copied.
 */
static int stix_prev_time(json_t *o, const char *key, char *out)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	const char *v = json_string_value(json_object_get(o, key));
	size_t i;

	if (!v || strlen(v) != sizeof(form) - 1)
		return -EINVAL;
	for (i = 0; form[i]; i++) {
		if (form[i] == 'd' ? v[i] < '0' || v[i] > '9' : v[i] != form[i])
			return -EINVAL;
	}
	memcpy(out, v, sizeof(form));
	return 0;
}

static int stix_load_prev(struct stix_state *s)
{
	const char *path = pw_host_target(s->h);
	json_t *root, *objs, *o;
	json_error_t jerr;
	struct stix_prev *p;
	struct stat st;
	size_t i;
	int added, err = 0;

	s->prev = pwo_map_new(sizeof(struct stix_prev));
	if (!s->prev)
		return -ENOMEM;
	if (!path || stat(path, &st) != 0)
		return 0;	/* none yet: start afresh */
	if ((unsigned long)st.st_size > STIX_PREV_MAX) {
		pw_log(s->h, LOG_WARNING, "previous bundle '%s' larger than "
		       "%lu bytes: every object is dated anew", path,
		       STIX_PREV_MAX);
		return 0;
	}
	root = json_load_file(path, 0, &jerr);
	if (!root)
		return 0;	/* not JSON: start afresh */
	objs = json_object_get(root, "objects");
	json_array_foreach(objs, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		struct stix_prev tmp;

		if (!id || stix_prev_time(o, "created", tmp.created) ||
		    stix_prev_time(o, "modified", tmp.modified))
			continue;
		err = stix_digest(o, tmp.digest);
		if (err)
			break;
		p = pwo_map_put(s->prev, id, strlen(id), &added);
		if (!p) {
			err = -ENOMEM;
			break;
		}
		*p = tmp;
	}
	json_decref(root);
	return err;
}

/*
 * Set created, modified (and valid_from for indicators) of a new object:
 * the previous version's dates when it is unchanged, its creation date and
 * a new modification date when it changed, the run's time when it is new.
 */
static int stix_dates(struct stix_state *s, json_t *obj, int valid_from)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	const struct stix_prev *p = pwo_map_get(s->prev, id, strlen(id));
	const char *created = s->now, *modified = s->now;
	uint8_t d[PWO_SHA1_LEN];
	int err;

	if (p) {
		err = stix_digest(obj, d);
		if (err)
			return err;
		created = p->created;
		if (memcmp(d, p->digest, sizeof(d)) == 0) {
			modified = p->modified;
			s->carried++;
		} else {
			/* never older than the creation */
			if (strcmp(s->now, p->created) < 0)
				modified = p->created;
			s->changed++;
		}
	}
	if (json_object_set_new(obj, "created", json_string(created)) ||
	    json_object_set_new(obj, "modified", json_string(modified)) ||
	    (valid_from && json_object_set_new(obj, "valid_from",
					       json_string(created))))
		return -ENOMEM;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int stix_emit(struct stix_state *s, json_t *obj)
{
	char *txt;
	int err;

	if (!obj)
		return -ENOMEM;
	txt = pw_json_dumps(obj, 0);
	json_decref(obj);
	if (!txt)
		return -ENOMEM;
	err = pw_sink_printf(s->out, "%s    %s", s->first ? "" : ",\n", txt);
	free(txt);
	s->first = 0;
	s->n++;
	return err;
}

static json_t *stix_sdo(struct stix_state *s, const char *type,
			const char *id)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "type", json_string(type)) ||
	    json_object_set_new(o, "spec_version", json_string("2.1")) ||
	    json_object_set_new(o, "id", json_string(id)) ||
	    (strcmp(type, "identity") != 0 &&
	     json_object_set_new(o, "created_by_ref",
				 json_string(s->identity_id)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int stix_identity(struct stix_state *s)
{
	json_t *o = stix_sdo(s, "identity", s->identity_id);
	int err;

	if (!o)
		return -ENOMEM;
	if (json_object_set_new(o, "name", json_string(s->c.identity)) ||
	    json_object_set_new(o, "identity_class", json_string("system"))) {
		json_decref(o);
		return -ENOMEM;
	}
	err = stix_dates(s, o, 0);
	if (err) {
		json_decref(o);
		return err;
	}
	return stix_emit(s, o);
}

/* The pattern and the name of an indicator. */
static int stix_pattern(const struct pw_item *it, struct pwo_buf *pat,
			struct pwo_buf *name)
{
	const char *v = it->value, *proto;

	switch (it->kind) {
	case PW_I_DOMAIN:
		if (!(it->flags & PW_F_SELF) && strncmp(v, "*.", 2) == 0)
			v += 2;
		if (!(it->flags & PW_F_SUBDOMAINS))
			pwo_put(name, "mining pool domain %s", v);
		else if (it->flags & PW_F_SELF)
			pwo_put(name, "mining pool domain %s and subdomains",
				 v);
		else
			pwo_put(name, "mining pool domain %s (subdomains)",
				 v);
		pwo_put(pat, "[");
		if (it->flags & PW_F_SELF) {
			pwo_put(pat, "domain-name:value = ");
			stix_quote(pat, v);
		}
		if ((it->flags & PW_F_SELF) && (it->flags & PW_F_SUBDOMAINS))
			pwo_put(pat, " OR ");
		if ((it->flags & PW_F_SUBDOMAINS) && strchr(v, '_')) {
			/* `_` is a LIKE wildcard: use a regular expression */
			pwo_put(pat, "domain-name:value MATCHES ");
			stix_quote_name_re(pat, v, 0);
		} else if (it->flags & PW_F_SUBDOMAINS) {
			pwo_put(pat, "domain-name:value LIKE '%%.%s'", v);
		}
		pwo_put(pat, "]");
		break;
	case PW_I_IPV4:
	case PW_I_IPV6:
		pwo_put(name, "mining pool %s %s",
			 strchr(v, '/') ? "network" : "address", v);
		pwo_put(pat, "[%s:value %s ",
			 it->kind == PW_I_IPV4 ? "ipv4-addr" : "ipv6-addr",
			 strchr(v, '/') ? "ISSUBSET" : "=");
		stix_quote(pat, v);
		pwo_put(pat, "]");
		break;
	case PW_I_PORT:
		proto = it->proto == PW_PROTO_UDP ? "udp" : "tcp";
		pwo_put(name, "stratum port %s", v);
		if (it->port_lo == it->port_hi)
			pwo_put(pat, "[network-traffic:dst_port = %u",
				 (unsigned)it->port_lo);
		else
			pwo_put(pat, "[network-traffic:dst_port >= %u AND "
				 "network-traffic:dst_port <= %u",
				 (unsigned)it->port_lo, (unsigned)it->port_hi);
		if (it->proto == PW_PROTO_BOTH)
			pwo_put(pat, "]");
		else
			pwo_put(pat, " AND network-traffic:protocols[*] = "
				 "'%s']", proto);
		break;
	case PW_I_URL:
		pwo_put(name, "mining pool URL %s", v);
		pwo_put(pat, "[url:value = ");
		stix_quote(pat, v);
		pwo_put(pat, "]");
		break;
	case PW_I_HASH:
		pwo_put(name, "miner file %s %s", it->sub, v);
		pwo_put(pat, "[file:hashes.%s = ",
			 strcmp(it->sub, "md5") == 0 ? "MD5" :
			 strcmp(it->sub, "sha1") == 0 ? "'SHA-1'" :
							"'SHA-256'");
		stix_quote(pat, v);
		pwo_put(pat, "]");
		break;
	case PW_I_WALLET:
		pwo_put(name, "miner wallet (%s) %s", it->sub, v);
		pwo_put(pat, "[process:command_line LIKE '%%%s%%']", v);
		break;
	}
	return pat->len < pat->cap && name->len < name->cap ? 0 :
								-ENAMETOOLONG;
}

static int stix_wallet(struct stix_state *s, const struct pw_item *it,
		       const char *ind_id)
{
	char json[200], u[PWO_UUID_STRLEN], sco_id[80], rel_id[80];
	char rel_name[200];
	json_t *o, *r;
	int err;

	/* the SCO id rule: UUIDv5 of the canonical JSON of its value */
	if (snprintf(json, sizeof(json), "{\"value\":\"%s\"}", it->value) >=
	    (int)sizeof(json))
		return -ENAMETOOLONG;
	pwo_uuid5(stix_ns_sco, json, strlen(json), u);
	snprintf(sco_id, sizeof(sco_id), "cryptocurrency-wallet--%s", u);
	o = json_object();
	if (!o || json_object_set_new(o, "type",
				      json_string("cryptocurrency-wallet")) ||
	    json_object_set_new(o, "spec_version", json_string("2.1")) ||
	    json_object_set_new(o, "id", json_string(sco_id)) ||
	    json_object_set_new(o, "value", json_string(it->value))) {
		json_decref(o);
		return -ENOMEM;
	}
	err = stix_emit(s, o);
	if (err)
		return err;
	snprintf(rel_name, sizeof(rel_name), "%s\n%s", ind_id, sco_id);
	stix_id("relationship", rel_name, rel_id, sizeof(rel_id));
	r = stix_sdo(s, "relationship", rel_id);
	if (!r || json_object_set_new(r, "relationship_type",
				      json_string("based-on")) ||
	    json_object_set_new(r, "source_ref", json_string(ind_id)) ||
	    json_object_set_new(r, "target_ref", json_string(sco_id))) {
		json_decref(r);
		return -ENOMEM;
	}
	err = stix_dates(s, r, 0);
	if (err) {
		json_decref(r);
		return err;
	}
	return stix_emit(s, r);
}

static int stix_refs(struct stix_state *s, json_t *o, const char *incident)
{
	json_t *refs = json_array(), *ref = json_object();
	char url[1024];

	if (!refs || !ref ||
	    json_object_set_new(ref, "source_name",
				json_string("poolwall-incident")) ||
	    json_object_set_new(ref, "external_id", json_string(incident)))
		goto nomem;
	if (*s->c.incident_url) {
		if (snprintf(url, sizeof(url), "%s%s", s->c.incident_url,
			     incident) >= (int)sizeof(url)) {
			json_decref(ref);
			json_decref(refs);
			return -ENAMETOOLONG;
		}
		if (json_object_set_new(ref, "url", json_string(url)))
			goto nomem;
	}
	if (json_array_append_new(refs, ref)) {
		ref = NULL;
		goto nomem;
	}
	return json_object_set_new(o, "external_references", refs) ?
		       -ENOMEM : 0;
nomem:
	json_decref(ref);
	json_decref(refs);
	return -ENOMEM;
}

static int stix_has(json_t *a, const char *v)
{
	json_t *e;
	size_t i;

	json_array_foreach(a, i, e) {
		if (strcmp(json_string_value(e), v) == 0)
			return 1;
	}
	return 0;
}

static int stix_label_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* labels= and the families the sources name, sorted, once each */
static int stix_labels(struct stix_state *s, json_t *o, const char *sources)
{
	const char *v[64];
	json_t *a, *e;
	size_t i, n = 0;
	char lower[256];

	a = s->labels ? json_deep_copy(s->labels) : json_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; s->c.families && sources && i < strlen(sources) &&
		    i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)sources[i]);
	lower[i] = '\0';
	for (i = 0; s->c.families && sources &&
		    i < sizeof(stix_families) / sizeof(stix_families[0]); i++) {
		if (!strstr(lower, stix_families[i].token) ||
		    stix_has(a, stix_families[i].label))
			continue;
		if (json_array_append_new(a, json_string(
					  stix_families[i].label))) {
			json_decref(a);
			return -ENOMEM;
		}
	}
	if (!json_array_size(a)) {
		json_decref(a);
		return 0;
	}
	json_array_foreach(a, i, e) {
		if (n < sizeof(v) / sizeof(v[0]))
			v[n++] = json_string_value(e);
	}
	qsort(v, n, sizeof(v[0]), stix_label_cmp);
	e = json_array();
	for (i = 0; e && i < n; i++) {
		if (json_array_append_new(e, json_string(v[i]))) {
			json_decref(e);
			e = NULL;
		}
	}
	json_decref(a);
	if (!e || json_object_set_new(o, "labels", e))
		return -ENOMEM;
	return 0;
}

static int stix_indicator(void *ctx, const struct pw_item *it)
{
	struct stix_state *s = ctx;
	char *pbuf = s->pbuf, *nbuf = s->nbuf;
	char id[80], until[PWO_TIME_LEN];
	struct pwo_buf pat = { pbuf, sizeof(s->pbuf), 0 };
	struct pwo_buf name = { nbuf, sizeof(s->nbuf), 0 };
	json_t *o = NULL, *types;
	int err;

	if (*s->c.incident &&
	    (!it->incident || strcmp(it->incident, s->c.incident) != 0))
		return 0;
	err = stix_pattern(it, &pat, &name);
	if (err)
		return err;
	stix_id("indicator", pbuf, id, sizeof(id));
	err = -ENOMEM;
	o = stix_sdo(s, "indicator", id);
	types = json_array();
	if (!o || !types ||
	    json_array_append_new(types, json_string(
				  it->flags & PW_F_MONITOR ?
					  "anomalous-activity" :
					  "malicious-activity"))) {
		json_decref(types);
		goto out;
	}
	if (json_object_set_new(o, "name", json_string(nbuf))) {
		json_decref(types);
		goto out;
	}
	/* o owns types from here, whatever follows */
	if (json_object_set_new(o, "indicator_types", types) ||
	    json_object_set_new(o, "pattern", json_string(pbuf)) ||
	    json_object_set_new(o, "pattern_type", json_string("stix")) ||
	    json_object_set_new(o, "pattern_version", json_string("2.1")))
		goto out;
	err = stix_labels(s, o, it->sources);
	if (err)
		goto out;
	err = -ENOMEM;
	if (it->incident) {
		err = stix_refs(s, o, it->incident);
		if (err)
			goto out;
	}
	err = stix_dates(s, o, 1);
	if (err)
		goto out;
	if (it->expires > 0) {
		const char *from = json_string_value(
			json_object_get(o, "valid_from"));

		err = pwo_time_utc(it->expires, 1, until);
		if (err)
			goto out;
		/* valid_until must be later than valid_from */
		if (strcmp(until, from) > 0) {
			if (json_object_set_new(o, "valid_until",
						json_string(until))) {
				err = -ENOMEM;
				goto out;
			}
		} else {
			s->expired_until++;
		}
	}
	err = stix_emit(s, o);
	o = NULL;
	if (!err && it->kind == PW_I_WALLET && s->c.wallets)
		err = stix_wallet(s, it, id);
out:
	json_decref(o);
	return err;
}

/* ---- plugin glue --------------------------------------------------------- */

static int stix_create(struct pw_host *h, const void *conf, void **state)
{
	const struct stix_conf *c = conf;
	struct stix_state *s;
	const char *p, *comma;
	size_t len;

	if (!*c->identity || pwo_check_value(c->identity, " ._-")) {
		pw_log(h, LOG_ERR, "identity '%.64s': letters, digits, space, "
		       "'.', '_' and '-' only", c->identity);
		return -EINVAL;
	}
	if (pwo_check_text(c->incident, 256) ||
	    pwo_check_text(c->incident_url, 512)) {
		pw_log(h, LOG_ERR, "incident and incident_url are printable "
		       "ASCII of at most 256 and 512 bytes");
		return -EINVAL;
	}
	if (pwo_check_value(c->labels, ",._-") || strlen(c->labels) > 1024) {
		pw_log(h, LOG_ERR, "labels '%.64s': letters, digits, '.', '_' "
		       "and '-', separated by commas", c->labels);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->c = *c;
	stix_id("identity", c->identity, s->identity_id,
		sizeof(s->identity_id));
	for (p = c->labels; *p; p += len + (comma ? 1 : 0)) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len)
			continue;
		if (!s->labels)
			s->labels = json_array();
		if (!s->labels ||
		    json_array_append_new(s->labels, json_stringn(p, len))) {
			json_decref(s->labels);
			free(s);
			return -ENOMEM;
		}
	}
	*state = s;
	return 0;
}

static void stix_destroy(void *state)
{
	struct stix_state *s = state;

	if (!s)
		return;
	pwo_map_free(s->prev);
	json_decref(s->labels);
	free(s);
}

static int stix_render(void *state, const struct pw_set *set,
		       struct pw_sink *out)
{
	struct stix_state *s = state;
	const char *parts[3] = { "stix", "bundle", s->c.incident };
	char bundle[PWO_UUID_STRLEN];
	int err;

	s->out = out;
	s->first = 1;
	s->n = s->carried = s->changed = s->expired_until = 0;
	pwo_map_free(s->prev);
	s->prev = NULL;
	err = pwo_time_utc(pw_host_now(s->h), 1, s->now);
	if (!err)
		err = stix_load_prev(s);
	if (err)
		return err;
	pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, bundle);
	err = pw_sink_printf(out, "{\n  \"type\": \"bundle\",\n"
			     "  \"id\": \"bundle--%s\",\n"
			     "  \"objects\": [\n", bundle);
	if (!err)
		err = stix_identity(s);
	if (!err)
		err = pw_set_iter(set, PW_IMASK_ALL, stix_indicator, s);
	if (!err)
		err = pw_sink_printf(out, "\n  ]\n}\n");
	if (err)
		return err;
	if (s->changed)
		pw_log(s->h, LOG_INFO, "%lu objects changed since the previous "
		       "bundle, %lu unchanged", s->changed, s->carried);
	if (s->expired_until)
		pw_log(s->h, LOG_WARNING, "%lu indicators expired before "
		       "their valid_from: written without valid_until",
		       s->expired_until);
	return 0;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "stix",
	.kind = PW_OUTPUT,
	.summary = "STIX 2.1 bundle of indicators (and wallet observables) "
		   "for MISP, OpenCTI, TAXII",
	.options = stix_options,
	.conf_size = sizeof(struct stix_conf),
	.create = stix_create,
	.destroy = stix_destroy,
	.render = stix_render,
};
