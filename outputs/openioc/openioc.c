/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `openioc`: one OpenIOC 1.1 document (formats.md 1) for EDR tools,
 * the whole set or, with incident=ID, the indicators of one incident.
 *
 * The criteria are one OR of IndicatorItems with the classic host-audit
 * terms (`mir`): DnsEntryItem/Host for names, PortItem/remoteIP and
 * remotePort for addresses and ports, UrlHistoryItem/URL for web URLs and
 * ProcessItem/arguments for stratum URLs and wallets, FileItem/Md5sum,
 * Sha1sum and Sha256sum for hashes, and ProcessItem/name for known miner
 * binaries; event_terms=yes adds the real-time event terms
 * (dnsLookupEvent, ipv4NetworkEvent, ...).
 * Port ranges are nested ANDs, written after the items as the schema wants.
 *
 * Every id is a version 5 UUID of what the element says (term, condition,
 * content), so the same set gives the same document, and an EDR that keys
 * on ids updates an indicator instead of adding a copy.  libxml2 escapes
 * the text; the values are the core's canonical ones anyway.  With
 * schema=PATH the document is validated in memory against the XSD before
 * one byte reaches the sink.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libxml/entities.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include <poolwall/plugin.h>

#include "pwo.h"

#define OI_NS "http://openioc.org/schemas/OpenIOC_1.1"

/* the usual binary names of common miners (ProcessItem/name) */
#define OI_PROCESSES \
	"xmrig,xmr-stak,xmr-stak-rx,xmrig-proxy,cpuminer,cpuminer-opt,"      \
	"minerd,ccminer,cgminer,bfgminer,ethminer,nbminer,t-rex,lolminer,"   \
	"phoenixminer,srbminer-multi,teamredminer,nanominer"

struct oi_conf {
	const char *authored_by;
	const char *incident;
	const char *incident_url;
	const char *processes;
	const char *schema;
	int event_terms;
};

static const struct pw_option oi_options[] = {
	{ "authored_by", "poolwall", PW_OPT_STR,
	  offsetof(struct oi_conf, authored_by), "metadata authored_by" },
	{ "incident", "", PW_OPT_STR, offsetof(struct oi_conf, incident),
	  "only the indicators of this incident, in a document of its own" },
	{ "incident_url", "", PW_OPT_STR,
	  offsetof(struct oi_conf, incident_url),
	  "incident links point to this URL followed by the incident id" },
	{ "processes", OI_PROCESSES, PW_OPT_STR,
	  offsetof(struct oi_conf, processes),
	  "comma-separated miner binary names for ProcessItem/name; empty: "
	  "none" },
	{ "event_terms", "no", PW_OPT_BOOL,
	  offsetof(struct oi_conf, event_terms),
	  "also write the real-time event terms (FireEye/Trellix HX)" },
	{ "schema", "", PW_OPT_PATH, offsetof(struct oi_conf, schema),
	  "validate the document against this OpenIOC 1.1 XSD before "
	  "writing it" },
	{ NULL, NULL, 0, 0, NULL },
};

struct oi_param {
	char ref[PWO_UUID_STRLEN];
	char *text;
};

struct oi_range {
	uint16_t lo, hi;
	char *comment;
};

struct oi_state {
	struct pw_host *h;
	struct oi_conf c;
	xmlTextWriterPtr w;
	int err;			/* first error; then writes stop */
	struct pw_sink *out;
	int io_err;			/* the sink's error, if it failed */
	struct pwo_map *ids;		/* item ids written (once each) */
	struct pwo_map *incmap;		/* incidents seen */
	char **inc;			/* ... in order, for the links */
	size_t n_inc, cap_inc;
	struct oi_param *par;		/* parameters, for the end */
	size_t n_par, cap_par;
	struct oi_range *rng;		/* port ranges: nested ANDs */
	size_t n_rng, cap_rng;
	xmlSchemaPtr schema;		/* schema=, loaded by create */
	/* libxml2's error handlers, restored after each call */
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	xmlStructuredErrorFunc old_structured;
	void *old_structured_ctx;
	const char *comment;		/* provenance of this indicator */
	char now[PWO_TIME_LEN];
	char or_id[PWO_UUID_STRLEN];
	unsigned long n[PW_I_HASH + 1];	/* indicators per kind */
	unsigned long items, v6_skipped;
	char logbuf[256];
};

/* ---- libxml2 messages go to pw_log, never to stderr ---------------------- */

static void oi_generic_error(void *ctx, const char *msg, ...)
	__attribute__((format(printf, 2, 3)));
static void oi_generic_error(void *ctx, const char *msg, ...)
{
	struct oi_state *s = ctx;
	size_t len = strlen(s->logbuf);
	va_list ap;
	char *nl;

	va_start(ap, msg);
	vsnprintf(s->logbuf + len, sizeof(s->logbuf) - len, msg, ap);
	va_end(ap);
	nl = strchr(s->logbuf, '\n');
	if (!nl && strlen(s->logbuf) < sizeof(s->logbuf) - 1)
		return;
	if (nl)
		*nl = '\0';
	pw_log(s->h, LOG_ERR, "libxml2: %s", s->logbuf);
	s->logbuf[0] = '\0';
}

static void oi_structured_error(void *ctx, xmlErrorPtr e)
{
	struct oi_state *s = ctx;
	char msg[256];
	size_t len;

	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "?");
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	if (e && e->line)
		pw_log(s->h, LOG_ERR, "schema check: line %d: %s", e->line,
		       msg);
	else
		pw_log(s->h, LOG_ERR, "schema check: %s", msg);
}

/* Route libxml2's messages to pw_log while the plugin runs, then restore. */
static void oi_errors_begin(struct oi_state *s)
{
	s->old_generic = xmlGenericError;
	s->old_generic_ctx = xmlGenericErrorContext;
	s->old_structured = xmlStructuredError;
	s->old_structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(s, oi_generic_error);
	xmlSetStructuredErrorFunc(s, oi_structured_error);
}

static void oi_errors_end(struct oi_state *s)
{
	if (s->logbuf[0])
		pw_log(s->h, LOG_ERR, "libxml2: %s", s->logbuf);
	s->logbuf[0] = '\0';
	xmlSetGenericErrorFunc(s->old_generic_ctx, s->old_generic);
	xmlSetStructuredErrorFunc(s->old_structured_ctx, s->old_structured);
}

/* ---- writing ------------------------------------------------------------- */

static void oi_check(struct oi_state *s, int rc)
{
	if (rc < 0 && !s->err)
		s->err = -EIO;
}

static void oi_start(struct oi_state *s, const char *name)
{
	if (!s->err)
		oi_check(s, xmlTextWriterStartElement(s->w, BAD_CAST name));
}

static void oi_attr(struct oi_state *s, const char *name, const char *val)
{
	if (!s->err)
		oi_check(s, xmlTextWriterWriteAttribute(s->w, BAD_CAST name,
							BAD_CAST val));
}

static void oi_text(struct oi_state *s, const char *text)
{
	xmlChar *esc;

	if (s->err)
		return;
	/*
	 * What xmlTextWriterWriteString() does for element content, but a
	 * failure to escape (no memory) is seen: that function then writes
	 * nothing and still returns 0, an empty element.
	 */
	esc = xmlEncodeSpecialChars(NULL, BAD_CAST text);
	if (!esc) {
		s->err = -ENOMEM;
		return;
	}
	oi_check(s, xmlTextWriterWriteRaw(s->w, esc));
	xmlFree(esc);
}

static void oi_end(struct oi_state *s)
{
	if (!s->err)
		oi_check(s, xmlTextWriterEndElement(s->w));
}

static void oi_element(struct oi_state *s, const char *name, const char *text)
{
	oi_start(s, name);
	oi_text(s, text);
	oi_end(s);
}

static int oi_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return 0;
	if (c > SIZE_MAX / size)
		return -ENOMEM;
	nv = realloc(*v, c * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

static void oi_param_add(struct oi_state *s, const char *ref)
{
	struct oi_param *p;

	if (s->err)
		return;
	if (oi_grow((void **)&s->par, &s->cap_par, s->n_par, sizeof(*p))) {
		s->err = -ENOMEM;
		return;
	}
	p = &s->par[s->n_par];
	p->text = strdup(s->comment);
	if (!p->text) {
		s->err = -ENOMEM;
		return;
	}
	memcpy(p->ref, ref, sizeof(p->ref));
	s->n_par++;
}

/*
 * One IndicatorItem.  `search` is the term (its document is the part before
 * the '/'), `ctype` the term's content type, `parent` NULL for the items of
 * the top OR (their id depends on the indicator only) or the id of the
 * nested Indicator.
 */
static void oi_item(struct oi_state *s, const char *parent, const char *cond,
		    const char *search, const char *ctype, const char *content,
		    int preserve)
{
	const char *parts[5] = { "openioc", search, cond, content, parent };
	char id[PWO_UUID_STRLEN], doc[32];
	const char *slash = strchr(search, '/');
	size_t dl = slash ? (size_t)(slash - search) : strlen(search);
	int added;

	if (s->err)
		return;
	pwo_uuid5_parts(pwo_ns_poolwall, parts, parent ? 5 : 4, id);
	if (!pwo_map_put(s->ids, id, strlen(id), &added)) {
		s->err = -ENOMEM;
		return;
	}
	if (!added)
		return;
	if (dl >= sizeof(doc))
		dl = sizeof(doc) - 1;
	memcpy(doc, search, dl);
	doc[dl] = '\0';
	oi_start(s, "IndicatorItem");
	oi_attr(s, "id", id);
	oi_attr(s, "condition", cond);
	oi_attr(s, "preserve-case", preserve ? "true" : "false");
	oi_attr(s, "negate", "false");
	oi_start(s, "Context");
	oi_attr(s, "document", doc);
	oi_attr(s, "search", search);
	oi_attr(s, "type", islower((unsigned char)doc[0]) ? "event" : "mir");
	oi_end(s);
	oi_start(s, "Content");
	oi_attr(s, "type", ctype);
	oi_text(s, content);
	oi_end(s);
	oi_end(s);
	s->items++;
	if (s->comment)
		oi_param_add(s, id);
}

/* ---- IPv4 prefixes as regular expressions -------------------------------- */


/* The numbers lo..hi (0..255) as alternatives, e.g. 64..127 gives
   6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7] */
static void oi_range_alts(struct pwo_buf *o, unsigned lo, unsigned hi)
{
	static const unsigned band[][2] = { { 0, 9 }, { 10, 99 },
					    { 100, 255 } };
	unsigned b, d, step, k, maxend, n, end, a, z, i;
	int first = 1;

	for (b = 0; b < 3; b++) {
		unsigned l = lo > band[b][0] ? lo : band[b][0];
		unsigned h = hi < band[b][1] ? hi : band[b][1];

		d = b + 1;	/* digits in this band */
		while (l <= h) {
			step = 1;
			k = 0;
			while (k + 1 < d && l % (step * 10) == 0 &&
			       l + step * 10 - 1 <= h) {
				step *= 10;
				k++;
			}
			maxend = (l / (step * 10) + 1) * step * 10 - 1;
			if (maxend > h)
				maxend = h;
			n = (maxend - l + 1) / step;
			end = l + n * step - 1;
			a = l / step % 10;
			z = end / step % 10;
			pwo_put(o, "%s", first ? "" : "|");
			first = 0;
			if (l / (step * 10))
				pwo_put(o, "%u", l / (step * 10));
			if (a == z)
				pwo_put(o, "%u", a);
			else
				pwo_put(o, "[%u-%u]", a, z);
			for (i = 0; i < k; i++)
				pwo_put(o, "[0-9]");
			l = end + 1;
		}
	}
}

static int oi_v4_regex(const uint8_t a[4], unsigned plen, char *re,
		       size_t cap)
{
	struct pwo_buf o = { re, cap, 0 };
	unsigned i, full = plen / 8, bits = plen % 8;

	pwo_put(&o, "^");
	for (i = 0; i < 4; i++) {
		if (i)
			pwo_put(&o, "\\.");
		if (i < full) {
			pwo_put(&o, "%u", a[i]);
		} else if (i == full && bits) {
			pwo_put(&o, "(");
			oi_range_alts(&o, a[i], a[i] + (0xffu >> bits));
			pwo_put(&o, ")");
		} else {
			pwo_put(&o, "[0-9]{1,3}");
		}
	}
	pwo_put(&o, "$");
	return o.len < cap ? 0 : -ENAMETOOLONG;
}

/*
 * An IPv6 prefix as the start of the address text: sound only when every
 * 16-bit group of the prefix is non-zero (else `::` may start inside it).
 */
static int oi_v6_prefix(const uint8_t a[16], unsigned plen, char *out,
			size_t cap)
{
	struct pwo_buf o = { out, cap, 0 };
	unsigned i, g;

	if (plen % 16)
		return -EINVAL;
	for (i = 0; i < plen / 16; i++) {
		g = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (!g)
			return -EINVAL;
		pwo_put(&o, "%x:", g);
	}
	return o.len < cap ? 0 : -ENAMETOOLONG;
}

/* ---- one indicator ------------------------------------------------------- */

static int oi_wanted(const struct oi_state *s, const struct pw_item *it)
{
	return !*s->c.incident ||
	       (it->incident && strcmp(it->incident, s->c.incident) == 0);
}

/* Provenance worth a parameter: incident, expiry, monitor tier. */
static void oi_comment(struct oi_state *s, const struct pw_item *it,
		       char *buf, size_t cap)
{
	struct pwo_buf o = { buf, cap, 0 };
	char when[PWO_TIME_LEN];

	s->comment = NULL;
	if (!it->incident && !it->expires && !(it->flags & PW_F_MONITOR))
		return;
	if (it->incident)
		pwo_put(&o, "incident %s; ", it->incident);
	if (it->expires > 0 && pwo_time_utc(it->expires, 0, when) == 0)
		pwo_put(&o, "emergency block until %s; ", when);
	if (it->flags & PW_F_MONITOR)
		pwo_put(&o, "monitor tier (observe only); ");
	if (it->sources && *it->sources)
		pwo_put(&o, "sources %s; ", it->sources);
	if (o.len >= cap)
		o.len = cap - 1;
	while (o.len && (buf[o.len - 1] == ' ' || buf[o.len - 1] == ';'))
		buf[--o.len] = '\0';
	s->comment = buf;
}

static void oi_domain(struct oi_state *s, const struct pw_item *it)
{
	const char *name = it->value;
	char dot[260];

	if (!(it->flags & PW_F_SELF) && strncmp(name, "*.", 2) == 0)
		name += 2;
	if (snprintf(dot, sizeof(dot), ".%s", name) >= (int)sizeof(dot)) {
		s->err = -ENAMETOOLONG;
		return;
	}
	if (it->flags & PW_F_SELF)
		oi_item(s, NULL, "is", "DnsEntryItem/Host", "string", name, 0);
	if (it->flags & PW_F_SUBDOMAINS)
		oi_item(s, NULL, "ends-with", "DnsEntryItem/Host", "string",
			dot, 0);
	if (!s->c.event_terms)
		return;
	if (it->flags & PW_F_SELF)
		oi_item(s, NULL, "is", "dnsLookupEvent/hostname", "string",
			name, 0);
	if (it->flags & PW_F_SUBDOMAINS)
		oi_item(s, NULL, "ends-with", "dnsLookupEvent/hostname",
			"string", dot, 0);
}

static void oi_ip(struct oi_state *s, const struct pw_item *it)
{
	const char *cond = "is", *val = it->value;
	char txt[160];
	int v4 = it->kind == PW_I_IPV4;

	if (v4 && it->plen < 32) {
		if (oi_v4_regex(it->addr, it->plen, txt, sizeof(txt))) {
			s->err = -ENAMETOOLONG;
			return;
		}
		cond = "matches";
		val = txt;
	} else if (!v4 && it->plen < 128) {
		if (oi_v6_prefix(it->addr, it->plen, txt, sizeof(txt))) {
			s->v6_skipped++;
			return;
		}
		cond = "starts-with";
		val = txt;
	}
	oi_item(s, NULL, cond, "PortItem/remoteIP", "IP", val, 0);
	if (s->c.event_terms && v4)
		oi_item(s, NULL, cond, "ipv4NetworkEvent/remoteIP", "IP", val,
			0);
}

static void oi_port(struct oi_state *s, const struct pw_item *it)
{
	struct oi_range *r;
	char num[8];

	if (it->port_lo != it->port_hi) {
		/* a range: a nested AND after the items */
		if (oi_grow((void **)&s->rng, &s->cap_rng, s->n_rng,
			    sizeof(*r))) {
			s->err = -ENOMEM;
			return;
		}
		r = &s->rng[s->n_rng];
		r->lo = it->port_lo;
		r->hi = it->port_hi;
		r->comment = s->comment ? strdup(s->comment) : NULL;
		if (s->comment && !r->comment) {
			s->err = -ENOMEM;
			return;
		}
		s->n_rng++;
		return;
	}
	snprintf(num, sizeof(num), "%u", (unsigned)it->port_lo);
	oi_item(s, NULL, "is", "PortItem/remotePort", "int", num, 0);
	if (s->c.event_terms)
		oi_item(s, NULL, "is", "ipv4NetworkEvent/remotePort", "int",
			num, 0);
}

static void oi_url(struct oi_state *s, const struct pw_item *it)
{
	int web = strncmp(it->value, "http://", 7) == 0 ||
		  strncmp(it->value, "https://", 8) == 0;

	/* a browser visits web URLs; a miner gets stratum URLs as arguments */
	if (web)
		oi_item(s, NULL, "contains", "UrlHistoryItem/URL", "string",
			it->value, 0);
	else
		oi_item(s, NULL, "contains", "ProcessItem/arguments", "string",
			it->value, 0);
	if (!s->c.event_terms)
		return;
	if (web)
		oi_item(s, NULL, "contains", "urlMonitorEvent/requestUrl",
			"string", it->value, 0);
	else
		oi_item(s, NULL, "contains", "processEvent/processCmdLine",
			"string", it->value, 0);
}

static void oi_hash(struct oi_state *s, const struct pw_item *it)
{
	if (strcmp(it->sub, "md5") == 0) {
		oi_item(s, NULL, "is", "FileItem/Md5sum", "md5", it->value, 0);
		if (s->c.event_terms)
			oi_item(s, NULL, "is", "processEvent/md5", "md5",
				it->value, 0);
	} else if (strcmp(it->sub, "sha1") == 0) {
		oi_item(s, NULL, "is", "FileItem/Sha1sum", "sha1", it->value,
			0);
	} else {
		oi_item(s, NULL, "is", "FileItem/Sha256sum", "sha256",
			it->value, 0);
	}
}

static void oi_wallet(struct oi_state *s, const struct pw_item *it)
{
	/* addresses are case-sensitive (base58) */
	oi_item(s, NULL, "contains", "ProcessItem/arguments", "string",
		it->value, 1);
	if (s->c.event_terms)
		oi_item(s, NULL, "contains", "processEvent/processCmdLine",
			"string", it->value, 1);
}

static int oi_indicator(void *ctx, const struct pw_item *it)
{
	struct oi_state *s = ctx;
	char comment[512];

	if (!oi_wanted(s, it))
		return 0;
	oi_comment(s, it, comment, sizeof(comment));
	switch (it->kind) {
	case PW_I_DOMAIN:
		oi_domain(s, it);
		break;
	case PW_I_IPV4:
	case PW_I_IPV6:
		oi_ip(s, it);
		break;
	case PW_I_PORT:
		oi_port(s, it);
		break;
	case PW_I_URL:
		oi_url(s, it);
		break;
	case PW_I_HASH:
		oi_hash(s, it);
		break;
	case PW_I_WALLET:
		oi_wallet(s, it);
		break;
	}
	s->comment = NULL;
	return s->err;
}

/* First pass: counts and the incidents, for the metadata. */
static int oi_survey(void *ctx, const struct pw_item *it)
{
	struct oi_state *s = ctx;
	int added;

	if (!oi_wanted(s, it))
		return 0;
	s->n[it->kind]++;
	if (!it->incident)
		return 0;
	if (!pwo_map_put(s->incmap, it->incident, strlen(it->incident),
			 &added))
		return -ENOMEM;
	if (!added)
		return 0;
	if (oi_grow((void **)&s->inc, &s->cap_inc, s->n_inc,
		    sizeof(*s->inc)))
		return -ENOMEM;
	s->inc[s->n_inc] = strdup(it->incident);
	if (!s->inc[s->n_inc])
		return -ENOMEM;
	s->n_inc++;
	return 0;
}

static int oi_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- the document -------------------------------------------------------- */

static void oi_metadata(struct oi_state *s)
{
	char text[512], href[1024];
	struct pwo_buf o = { text, sizeof(text), 0 };
	size_t i;

	oi_start(s, "metadata");
	if (*s->c.incident)
		snprintf(text, sizeof(text),
			 "poolwall: cryptomining indicators of incident %s",
			 s->c.incident);
	else
		snprintf(text, sizeof(text),
			 "poolwall: cryptomining pool indicators");
	oi_element(s, "short_description", text);
	pwo_put(&o, "Mining-pool infrastructure and miner artefacts compiled "
		   "by poolwall.  Domains: %lu, IPv4 networks: %lu, IPv6 "
		   "networks: %lu, ports: %lu, URLs: %lu, wallets: %lu, file "
		   "hashes: %lu%s.", s->n[PW_I_DOMAIN], s->n[PW_I_IPV4],
	       s->n[PW_I_IPV6], s->n[PW_I_PORT], s->n[PW_I_URL],
	       s->n[PW_I_WALLET], s->n[PW_I_HASH],
	       *s->c.processes ? ", and known miner process names" : "");
	oi_element(s, "description", text);
	oi_element(s, "keywords", "cryptomining mining-pool stratum poolwall");
	oi_element(s, "authored_by", s->c.authored_by);
	oi_element(s, "authored_date", s->now);
	if (s->n_inc) {
		qsort(s->inc, s->n_inc, sizeof(*s->inc), oi_strcmp);
		oi_start(s, "links");
		for (i = 0; i < s->n_inc; i++) {
			oi_start(s, "link");
			oi_attr(s, "rel", "incident");
			if (*s->c.incident_url) {
				if (snprintf(href, sizeof(href), "%s%s",
					     s->c.incident_url, s->inc[i]) >=
				    (int)sizeof(href))
					s->err = -ENAMETOOLONG;
				oi_attr(s, "href", href);
			}
			oi_text(s, s->inc[i]);
			oi_end(s);
		}
		oi_end(s);
	}
	oi_end(s);
}

static void oi_processes(struct oi_state *s)
{
	const char *p = s->c.processes, *comma;
	char name[64], exe[72];
	size_t len;

	while (*p && !s->err) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len && len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			snprintf(exe, sizeof(exe), "%s.exe", name);
			oi_item(s, NULL, "is", "ProcessItem/name", "string",
				name, 0);
			oi_item(s, NULL, "is", "ProcessItem/name", "string",
				exe, 0);
			if (s->c.event_terms) {
				oi_item(s, NULL, "is", "processEvent/process",
					"string", name, 0);
				oi_item(s, NULL, "is", "processEvent/process",
					"string", exe, 0);
			}
		}
		p += len + (comma ? 1 : 0);
	}
}

static void oi_range_and(struct oi_state *s, const struct oi_range *r,
			 const char *search)
{
	const char *parts[4] = { "openioc", "AND", search, NULL };
	char id[PWO_UUID_STRLEN], key[16], lo[8], hi[8];

	snprintf(key, sizeof(key), "%u-%u", (unsigned)r->lo, (unsigned)r->hi);
	parts[3] = key;
	pwo_uuid5_parts(pwo_ns_poolwall, parts, 4, id);
	snprintf(lo, sizeof(lo), "%u", (unsigned)r->lo - 1);
	snprintf(hi, sizeof(hi), "%u", (unsigned)r->hi + 1);
	oi_start(s, "Indicator");
	oi_attr(s, "operator", "AND");
	oi_attr(s, "id", id);
	s->comment = r->comment;
	oi_item(s, id, "greater-than", search, "int", lo, 0);
	oi_item(s, id, "less-than", search, "int", hi, 0);
	s->comment = NULL;
	oi_end(s);
}

static void oi_parameters(struct oi_state *s)
{
	const char *parts[3] = { "openioc", "param", NULL };
	char id[PWO_UUID_STRLEN];
	size_t i;

	oi_start(s, "parameters");
	for (i = 0; i < s->n_par; i++) {
		parts[2] = s->par[i].ref;
		pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, id);
		oi_start(s, "param");
		oi_attr(s, "id", id);
		oi_attr(s, "ref-id", s->par[i].ref);
		oi_attr(s, "name", "comment");
		oi_start(s, "value");
		oi_attr(s, "type", "string");
		oi_text(s, s->par[i].text);
		oi_end(s);
		oi_end(s);
	}
	oi_end(s);
}

static void oi_document(struct oi_state *s, const struct pw_set *set)
{
	const char *parts[3] = { "openioc", "document", s->c.incident };
	char doc_id[PWO_UUID_STRLEN];
	size_t i;

	pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, doc_id);
	parts[1] = "criteria";
	pwo_uuid5_parts(pwo_ns_poolwall, parts, 3, s->or_id);
	oi_check(s, xmlTextWriterSetIndent(s->w, 1));
	oi_check(s, xmlTextWriterSetIndentString(s->w, BAD_CAST "  "));
	if (!s->err)
		oi_check(s, xmlTextWriterStartDocument(s->w, NULL, "UTF-8",
							NULL));
	oi_start(s, "OpenIOC");
	oi_attr(s, "xmlns", OI_NS);
	oi_attr(s, "id", doc_id);
	oi_attr(s, "last-modified", s->now);
	oi_attr(s, "published-date", s->now);
	oi_metadata(s);
	oi_start(s, "criteria");
	oi_start(s, "Indicator");
	oi_attr(s, "operator", "OR");
	oi_attr(s, "id", s->or_id);
	if (!s->err)
		s->err = pw_set_iter(set, PW_IMASK_ALL, oi_indicator, s);
	oi_processes(s);
	for (i = 0; i < s->n_rng; i++) {
		oi_range_and(s, &s->rng[i], "PortItem/remotePort");
		if (s->c.event_terms)
			oi_range_and(s, &s->rng[i],
				     "ipv4NetworkEvent/remotePort");
	}
	oi_end(s);	/* Indicator */
	oi_end(s);	/* criteria */
	if (s->n_par)
		oi_parameters(s);
	oi_end(s);	/* OpenIOC */
	if (!s->err)
		oi_check(s, xmlTextWriterEndDocument(s->w));
}

/* ---- validation ---------------------------------------------------------- */

static int oi_validate(struct oi_state *s, const char *buf, int len)
{
	xmlTextReaderPtr r;
	int rc, err = -EINVAL;

	r = xmlReaderForMemory(buf, len, NULL, "UTF-8", XML_PARSE_NONET);
	if (!r)
		return -ENOMEM;
	xmlTextReaderSetStructuredErrorHandler(r, oi_structured_error, s);
	if (xmlTextReaderSetSchema(r, s->schema) != 0)
		goto out;
	do
		rc = xmlTextReaderRead(r);
	while (rc == 1);
	if (rc != 0 || xmlTextReaderIsValid(r) != 1) {
		pw_log(s->h, LOG_ERR, "the document does not validate against "
		       "'%s'; nothing written", s->c.schema);
		goto out;
	}
	err = 0;
out:
	xmlFreeTextReader(r);
	return err;
}

static int oi_load_schema(struct oi_state *s)
{
	xmlSchemaParserCtxtPtr pc;

	pc = xmlSchemaNewParserCtxt(s->c.schema);
	if (!pc)
		return -ENOMEM;
	xmlSchemaSetParserStructuredErrors(pc, oi_structured_error, s);
	s->schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!s->schema) {
		pw_log(s->h, LOG_ERR, "cannot load the schema '%s'",
		       s->c.schema);
		return -EINVAL;
	}
	return 0;
}

/* ---- plugin glue --------------------------------------------------------- */

static int oi_sink_write(void *ctx, const char *buf, int len)
{
	struct oi_state *s = ctx;
	int err = pw_sink_write(s->out, buf, (size_t)len);

	if (err && !s->io_err)
		s->io_err = err;
	return err ? -1 : len;
}

static int oi_sink_close(void *ctx)
{
	return 0;
}

static void oi_destroy(void *state);

static int oi_create(struct pw_host *h, const void *conf, void **state)
{
	const struct oi_conf *c = conf;
	struct oi_state *s;
	int err = 0;

	if (pwo_check_value(c->processes, ",._-+") ||
	    strlen(c->processes) > 4096) {
		pw_log(h, LOG_ERR, "processes '%.64s': names are letters, "
		       "digits, '.', '_', '-' and '+', separated by commas",
		       c->processes);
		return -EINVAL;
	}
	if (pwo_check_text(c->authored_by, 256) ||
	    pwo_check_text(c->incident, 256) ||
	    pwo_check_text(c->incident_url, 512)) {
		pw_log(h, LOG_ERR, "authored_by, incident and incident_url "
		       "are printable ASCII of at most 256, 256 and 512 "
		       "bytes");
		return -EINVAL;
	}
	xmlInitParser();
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->c = *c;
	if (*c->schema) {
		oi_errors_begin(s);
		err = oi_load_schema(s);
		oi_errors_end(s);
	}
	if (err) {
		oi_destroy(s);
		return err;
	}
	*state = s;
	return 0;
}

/* Free what a render collected (a second render starts afresh). */
static void oi_reset(struct oi_state *s)
{
	size_t i;

	pwo_map_free(s->ids);
	pwo_map_free(s->incmap);
	for (i = 0; i < s->n_inc; i++)
		free(s->inc[i]);
	free(s->inc);
	for (i = 0; i < s->n_par; i++)
		free(s->par[i].text);
	free(s->par);
	for (i = 0; i < s->n_rng; i++)
		free(s->rng[i].comment);
	free(s->rng);
	s->ids = s->incmap = NULL;
	s->inc = NULL;
	s->par = NULL;
	s->rng = NULL;
	s->n_inc = s->cap_inc = s->n_par = s->cap_par = 0;
	s->n_rng = s->cap_rng = 0;
	memset(s->n, 0, sizeof(s->n));
	s->items = s->v6_skipped = 0;
	s->err = 0;
}

static void oi_destroy(void *state)
{
	struct oi_state *s = state;

	if (!s)
		return;
	oi_reset(s);
	xmlSchemaFree(s->schema);
	free(s);
}

static int oi_render(void *state, const struct pw_set *set,
		     struct pw_sink *out)
{
	struct oi_state *s = state;
	xmlOutputBufferPtr ob = NULL;
	xmlBufferPtr mem = NULL;
	int err;

	oi_errors_begin(s);
	oi_reset(s);
	s->out = out;
	s->io_err = 0;
	err = pwo_time_utc(pw_host_now(s->h), 0, s->now);
	if (err)
		goto out;
	err = -ENOMEM;
	s->ids = pwo_map_new(0);
	s->incmap = pwo_map_new(0);
	if (!s->ids || !s->incmap)
		goto out;
	err = pw_set_iter(set, PW_IMASK_ALL, oi_survey, s);
	if (err)
		goto out;
	err = -ENOMEM;
	if (s->schema) {
		/* to memory first: nothing is written unless it validates */
		mem = xmlBufferCreate();
		if (!mem)
			goto out;
		s->w = xmlNewTextWriterMemory(mem, 0);
	} else {
		ob = xmlOutputBufferCreateIO(oi_sink_write, oi_sink_close, s,
					     NULL);
		if (!ob)
			goto out;
		s->w = xmlNewTextWriter(ob);
		if (!s->w)
			xmlOutputBufferClose(ob);
	}
	if (!s->w)
		goto out;
	oi_document(s, set);
	if (!s->err)
		oi_check(s, xmlTextWriterFlush(s->w));
	/* flushes and frees the output buffer */
	xmlFreeTextWriter(s->w);
	s->w = NULL;
	err = s->io_err ? s->io_err : s->err;
	if (err)
		goto out;
	if (mem) {
		err = oi_validate(s, (const char *)xmlBufferContent(mem),
				  xmlBufferLength(mem));
		if (!err)
			err = pw_sink_write(out, xmlBufferContent(mem),
					    (size_t)xmlBufferLength(mem));
	}
	if (!err)
		err = pw_sink_write(out, "\n", 1);
	if (err)
		goto out;
	if (!s->items)
		pw_log(s->h, LOG_WARNING, "the document has no indicator%s%s",
		       *s->c.incident ? " for incident " : "", s->c.incident);
	if (s->v6_skipped)
		pw_log(s->h, LOG_INFO, "%lu IPv6 prefixes have no OpenIOC "
		       "form (a zero group or a length not a multiple of 16)",
		       s->v6_skipped);
out:
	if (s->w)
		xmlFreeTextWriter(s->w);
	s->w = NULL;
	xmlBufferFree(mem);
	oi_errors_end(s);
	return err;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "openioc",
	.kind = PW_OUTPUT,
	.summary = "OpenIOC 1.1 document for EDR tools (names, addresses, "
		   "ports, URLs, wallets, hashes, miner processes)",
	.options = oi_options,
	.conf_size = sizeof(struct oi_conf),
	.create = oi_create,
	.destroy = oi_destroy,
	.render = oi_render,
};
