/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * openioc: OpenIOC 1.0 (Mandiant, http://schemas.mandiant.com/2010/ioc)
 * and 1.1 (http://openioc.org/schemas/OpenIOC_1.1) documents.
 *
 * Every IndicatorItem is looked at, whatever its namespace: the `search`
 * path of its Context says what the Content is (DnsEntryItem/Host,
 * Network/URI, PortItem/remoteIP, FileItem/Sha256sum, ...).  Items of
 * other kinds, negated items and partial URI matches are skipped with a
 * reason, so each item of a file is accounted for.  A process's
 * arguments (ProcessItem/arguments) are cut into words, handed over as
 * found in prose.
 *
 * libxml2 reads the document without the network, without loading a DTD
 * and without substituting entities; a document that declares entities
 * (external ones, or the "billion laughs") is refused whole.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <poolwall/plugin.h>

#define OPENIOC_MAX_BODY (64ul << 20)	/* bytes of one document */

struct openioc_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT for names */
	unsigned last;		/* last line handed over */
	bool entity;		/* the document declares an entity */
	bool nomem;		/* libxml2 ran out of memory */
};

static const struct pw_option openioc_options[] = {
	{ .name = NULL }
};

enum openioc_kind {
	OI_SKIP = 0,
	OI_DOMAIN,
	OI_IP,
	OI_URL,
	OI_PORT,
	OI_HASH,
	OI_ARGS,	/* a command line: words */
};

/* search paths, compared without case */
static const struct {
	const char *search;
	enum openioc_kind kind;
} openioc_map[] = {
	{ "DnsEntryItem/Host", OI_DOMAIN },
	{ "DnsEntryItem/RecordName", OI_DOMAIN },
	{ "DnsEntryItem/RecordData/Host", OI_DOMAIN },
	{ "DnsEntryItem/RecordData/IPv4Address", OI_IP },
	{ "Network/DNS", OI_DOMAIN },
	{ "UrlHistoryItem/HostName", OI_DOMAIN },
	{ "UrlHistoryItem/URL", OI_URL },
	{ "Network/URI", OI_URL },
	{ "PortItem/remoteIP", OI_IP },
	{ "PortItem/remotePort", OI_PORT },
	{ "ProcessItem/PortList/PortItem/remoteIP", OI_IP },
	{ "ProcessItem/PortList/PortItem/remotePort", OI_PORT },
	{ "RouteEntryItem/Destination", OI_IP },
	{ "ProcessItem/arguments", OI_ARGS },
};

static const enum pw_hint openioc_hint[] = {
	[OI_DOMAIN] = PW_H_DOMAIN, [OI_IP] = PW_H_IP, [OI_URL] = PW_H_URL,
	[OI_PORT] = PW_H_PORT, [OI_HASH] = PW_H_HASH, [OI_ARGS] = PW_H_ANY,
};

#define OPENIOC_N(a) (sizeof(a) / sizeof((a)[0]))

static bool openioc_name(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static enum openioc_kind openioc_kind_of(const char *search)
{
	static const char *const sums[] = { "md5sum", "sha1sum", "sha256sum" };
	const char *last = strrchr(search, '/');
	size_t i, n, k;

	for (i = 0; i < OPENIOC_N(openioc_map); i++)
		if (!strcasecmp(search, openioc_map[i].search))
			return openioc_map[i].kind;
	/* FileItem/Md5sum, ServiceItem/serviceDLLsha256sum, ... */
	last = last ? last + 1 : search;
	n = strlen(last);
	for (i = 0; i < OPENIOC_N(sums); i++) {
		k = strlen(sums[i]);
		if (n >= k && !strcasecmp(last + n - k, sums[i]))
			return OI_HASH;
	}
	return OI_SKIP;
}

static void openioc_trim(const char **s, size_t *len)
{
	while (*len && strchr(" \t\r\n", (*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
		(*len)--;
}

static int openioc_emit(struct openioc_state *st, unsigned line,
			const char *s, size_t len, enum openioc_kind kind,
			unsigned flags)
{
	return pw_emit_token(st->h, &(struct pw_token){
		.line = line,
		.tok = s,
		.len = len,
		.hint = openioc_hint[kind],
		.flags = flags,
	});
}

/* ProcessItem/arguments: the words, without options (`--url=` kept) */
static int openioc_args(struct openioc_state *st, unsigned line,
			const char *s, size_t len)
{
	const char *p = s, *end = s + len, *w, *eq;
	int err = 0;

	while (p < end && !err) {
		while (p < end && strchr(" \t\r\n\"'", *p))
			p++;
		w = p;
		while (p < end && !strchr(" \t\r\n\"'", *p))
			p++;
		if (p == w)
			break;
		if (*w == '-') {
			eq = memchr(w, '=', (size_t)(p - w));
			if (!eq || eq + 1 == p)
				continue;
			w = eq + 1;
		}
		/* counts and levels (-t 4, --donate-level=1) */
		if (strspn(w, "0123456789") >= (size_t)(p - w))
			continue;
		err = openioc_emit(st, line, w, (size_t)(p - w), OI_ARGS,
				   PW_T_PROSE | st->flags);
	}
	return err;
}

static int openioc_item(struct openioc_state *st, xmlNode *item)
{
	xmlNode *n, *ctx = NULL, *content = NULL;
	xmlChar *search = NULL, *cond = NULL, *neg = NULL, *text = NULL;
	enum openioc_kind kind;
	const char *v;
	size_t len;
	unsigned line;
	long l;
	int err = 0;

	for (n = item->children; n; n = n->next) {
		if (openioc_name(n, "Context") && !ctx)
			ctx = n;
		else if (openioc_name(n, "Content") && !content)
			content = n;
	}
	l = xmlGetLineNo(item);
	line = l > 0 && (unsigned long)l < 0xffffffffu ? (unsigned)l : 1;
	if (line < st->last)
		line = st->last;
	st->last = line;
	if (ctx)
		search = xmlGetProp(ctx, (const xmlChar *)"search");
	if (content)
		text = xmlNodeGetContent(content);
	v = text ? (const char *)text : "";
	len = strlen(v);
	openioc_trim(&v, &len);
	cond = xmlGetProp(item, (const xmlChar *)"condition");
	neg = xmlGetProp(item, (const xmlChar *)"negate");
	kind = search ? openioc_kind_of((const char *)search) : OI_SKIP;
	if (kind == OI_SKIP) {
		pw_skip(st->h, line, "non-indicator-item", v, len);
		goto out;
	}
	if ((cond && (!strcasecmp((const char *)cond, "isnot") ||
		      !strcasecmp((const char *)cond, "containsnot"))) ||
	    (neg && !strcasecmp((const char *)neg, "true"))) {
		pw_skip(st->h, line, "negated", v, len);
		goto out;
	}
	if (!len) {
		pw_skip(st->h, line, "empty-value", NULL, 0);
		goto out;
	}
	/* a URI that contains, starts or ends with a string is a part */
	if (kind == OI_URL && cond && strcasecmp((const char *)cond, "is") &&
	    !strstr(v, "://")) {
		pw_skip(st->h, line, "partial-match", v, len);
		goto out;
	}
	if (kind == OI_ARGS)
		err = openioc_args(st, line, v, len);
	else
		err = openioc_emit(st, line, v, len, kind,
				   kind == OI_DOMAIN ? st->flags : 0);
out:
	xmlFree(search);
	xmlFree(cond);
	xmlFree(neg);
	xmlFree(text);
	return err;
}

/* every IndicatorItem in document order, without recursion */
static int openioc_walk(struct openioc_state *st, xmlNode *root)
{
	xmlNode *n = root;
	int err = 0;

	while (n && !err) {
		if (openioc_name(n, "IndicatorItem")) {
			err = openioc_item(st, n);
		} else if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && !n->next && n != root)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
	return err;
}

/* SAX hooks: a declared entity stops the parser at once */
static void openioc_entity_decl(void *ctx, const xmlChar *name, int type,
				const xmlChar *public_id,
				const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr c = ctx;
	struct openioc_state *st = c->_private;

	st->entity = true;
	xmlStopParser(c);
}

static void openioc_unparsed_decl(void *ctx, const xmlChar *name,
				  const xmlChar *public_id,
				  const xmlChar *system_id,
				  const xmlChar *notation)
{
	openioc_entity_decl(ctx, name, 0, public_id, system_id, NULL);
}

/*
 * libxml2 reports running out of memory in several ways: through the
 * context (errNo), or, from its buffers, through the global handler only,
 * after which a SAX callback may just have dropped some text while the
 * document still counts as well-formed.  Both handlers below note it (and
 * keep libxml2's messages off stderr); the parse is refused then.
 */
static void openioc_ctxt_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;
	struct openioc_state *st = c ? c->_private : NULL;

	if (st && e && e->code == XML_ERR_NO_MEMORY)
		st->nomem = true;
}

static void openioc_global_error(void *ctx, xmlErrorPtr e)
{
	struct openioc_state *st = ctx;

	if (e && e->code == XML_ERR_NO_MEMORY)
		st->nomem = true;
}

static int openioc_parse(void *state, const char *buf, size_t len)
{
	struct openioc_state *st = state;
	xmlParserCtxtPtr c = NULL;
	xmlDocPtr doc = NULL;
	xmlStructuredErrorFunc old_handler;
	void *old_ctx;
	xmlNode *root;
	const xmlError *e;
	const char *msg;
	size_t n;
	int err = 0;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	st->last = 1;
	st->entity = false;
	if (len > OPENIOC_MAX_BODY) {
		pw_log(st->h, LOG_ERR, "document of %zu bytes refused: more "
		       "than %lu", len, OPENIOC_MAX_BODY);
		return -EFBIG;
	}
	if (len > (size_t)0x7fffffff)
		return -EFBIG;
	xmlInitParser();
	st->nomem = false;
	old_handler = xmlStructuredError;
	old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(st, openioc_global_error);
	c = xmlNewParserCtxt();
	if (!c) {
		err = -ENOMEM;
		goto out;
	}
	c->_private = st;
	c->sax->entityDecl = openioc_entity_decl;
	c->sax->unparsedEntityDecl = openioc_unparsed_decl;
	c->sax->serror = openioc_ctxt_error;
	/* no network, no DTD, no entity substitution, no huge documents;
	   libxml2 writes nothing to stderr */
	doc = xmlCtxtReadMemory(c, buf, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
				XML_PARSE_BIG_LINES);
	if (st->entity) {
		pw_log(st->h, LOG_ERR, "the document declares entities "
		       "(external entities or an entity expansion): refused");
		err = -EINVAL;
		goto out;
	}
	/*
	 * Out of memory in a SAX callback stops the parse but may leave
	 * wellFormed set on a truncated tree: never walk that one.
	 */
	if (st->nomem || c->errNo == XML_ERR_NO_MEMORY) {
		pw_log(st->h, LOG_ERR, "out of memory while parsing");
		err = -ENOMEM;
		goto out;
	}
	if (!doc || !c->wellFormed) {
		e = xmlCtxtGetLastError(c);
		msg = e && e->message ? e->message : "parse error";
		n = strcspn(msg, "\n");
		pw_log(st->h, LOG_ERR, "not well-formed XML: line %d: %.*s",
		       e ? e->line : 0, (int)(n < 200 ? n : 200), msg);
		err = -EINVAL;
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || (strcmp((const char *)root->name, "ioc") &&
		      strcmp((const char *)root->name, "OpenIOC"))) {
		pw_log(st->h, LOG_ERR, "not an OpenIOC document: the root "
		       "element is <%.64s>, not <ioc> or <OpenIOC>",
		       root ? (const char *)root->name : "");
		err = -EINVAL;
		goto out;
	}
	err = openioc_walk(st, root);
	if (!err && st->nomem) {
		pw_log(st->h, LOG_ERR, "out of memory while reading the tree");
		err = -ENOMEM;
	}
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(c);
	xmlSetStructuredErrorFunc(old_ctx, old_handler);
	return err;
}

static int openioc_create(struct pw_host *h, const void *conf, void **state)
{
	struct openioc_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void openioc_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "openioc",
	.kind = PW_FEED,
	.summary = "OpenIOC 1.0 and 1.1 XML: DNS, IP, URL, port, hash and "
		   "process-argument items",
	.options = openioc_options,
	.conf_size = 0,
	.create = openioc_create,
	.destroy = openioc_destroy,
	.parse = openioc_parse,
};
