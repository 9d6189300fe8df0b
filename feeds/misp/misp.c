/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * misp: MISP event JSON, as a MISP feed, an event download or the REST
 * API gives it: `{"Event": {...}}`, a bare event, `{"response": [...]}`
 * (events, or `{"Attribute": [...]}` of an attribute search) or an array
 * of events.
 *
 * The attributes of an event and of its objects that mark a network
 * destination, a file hash or a wallet are handed over; the event is the
 * incident (`misp-<event id>`).  Attributes not meant for detection
 * (`to_ids` false), deleted ones, sources (ip-src) and other types are
 * skipped with a reason.  A token's line is the line of its attribute's
 * "uuid" in the source.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <jansson.h>

#include <poolwall/plugin.h>

#include "../common/jsonpos.h"

#define MISP_MAX_BODY (256ul << 20)	/* bytes of one download */
#define MISP_MAX_VALUE 4096		/* bytes of a rebuilt ip:port */

struct misp_state {
	struct pw_host *h;
	unsigned flags;		/* PW_T_TREE or PW_T_EXACT for names */
	struct pw_jsonpos jp;	/* the source, for line numbers */
	char incident[96];	/* misp-<event id>, "" for none */
};

static const struct pw_option misp_options[] = {
	{ .name = NULL }
};

enum misp_kind {
	MI_SKIP = 0,
	MI_DOMAIN,	/* domain, hostname */
	MI_IP,		/* ip-dst */
	MI_URL,		/* url, uri */
	MI_HASH,	/* md5, sha1, sha256 */
	MI_WALLET,	/* btc, xmr, ... */
	MI_PORT,
	MI_DOMAIN_IP,	/* domain|ip: both */
	MI_HOST_PORT,	/* ip-dst|port, hostname|port: host:port */
	MI_FILE_HASH,	/* filename|sha256: the hash */
};

static const struct {
	const char *type;
	enum misp_kind kind;
} misp_types[] = {
	{ "domain", MI_DOMAIN },
	{ "hostname", MI_DOMAIN },
	{ "ip-dst", MI_IP },
	{ "url", MI_URL },
	{ "uri", MI_URL },
	{ "md5", MI_HASH },
	{ "sha1", MI_HASH },
	{ "sha256", MI_HASH },
	{ "btc", MI_WALLET },
	{ "xmr", MI_WALLET },
	{ "dash", MI_WALLET },
	{ "eth", MI_WALLET },
	{ "ltc", MI_WALLET },
	{ "bch", MI_WALLET },
	{ "zec", MI_WALLET },
	{ "port", MI_PORT },
	{ "domain|ip", MI_DOMAIN_IP },
	{ "ip-dst|port", MI_HOST_PORT },
	{ "hostname|port", MI_HOST_PORT },
	{ "filename|md5", MI_FILE_HASH },
	{ "filename|sha1", MI_FILE_HASH },
	{ "filename|sha256", MI_FILE_HASH },
};

#define MISP_N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- lines ---- */

/* the line of the next `"key": "value"` (jsonpos.h); an empty value has
   the cursor's */
static unsigned misp_line_of(struct misp_state *st, const char *key,
			     const char *value)
{
	return *value ? pw_jsonpos_find(&st->jp, key, value) : st->jp.line;
}

/* ---- attributes ---- */

/* MISP writes booleans as true/false, and older versions as "0"/"1" */
static int misp_bool(json_t *v)
{
	const char *s;

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	s = json_string_value(v);
	if (s && (!strcmp(s, "1") || !strcasecmp(s, "true")))
		return 1;
	if (s && (!strcmp(s, "0") || !strcasecmp(s, "false")))
		return 0;
	return -1;
}

static int misp_emit(struct misp_state *st, unsigned line, const char *s,
		     size_t len, enum pw_hint hint)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len) {
		pw_skip(st->h, line, "empty-value", NULL, 0);
		return 0;
	}
	return pw_emit_token(st->h, &(struct pw_token){
		.line = line,
		.tok = s,
		.len = len,
		.hint = hint,
		.flags = hint == PW_H_DOMAIN ? st->flags : 0,
		.incident = st->incident[0] ? st->incident : NULL,
	});
}

static int misp_attribute(struct misp_state *st, json_t *a, bool gone)
{
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *value = json_string_value(json_object_get(a, "value"));
	const char *uuid = json_string_value(json_object_get(a, "uuid"));
	enum misp_kind kind = MI_SKIP;
	char hp[MISP_MAX_VALUE];
	const char *bar;
	size_t vlen, i;
	unsigned line;
	int err, n;

	if (!json_is_object(a))
		return 0;
	line = uuid ? misp_line_of(st, "uuid", uuid) :
	       value ? misp_line_of(st, "value", value) : st->jp.line;
	if (!value)
		value = "";
	vlen = strlen(value);
	if (gone || misp_bool(json_object_get(a, "deleted")) == 1) {
		pw_skip(st->h, line, "deleted", value, vlen);
		return 0;
	}
	if (misp_bool(json_object_get(a, "to_ids")) == 0) {
		pw_skip(st->h, line, "not-to-ids", value, vlen);
		return 0;
	}
	for (i = 0; type && i < MISP_N(misp_types); i++)
		if (!strcmp(type, misp_types[i].type)) {
			kind = misp_types[i].kind;
			break;
		}
	bar = strchr(value, '|');
	switch (kind) {
	case MI_SKIP:
		pw_skip(st->h, line, "non-indicator-type", type ? type : "",
			type ? strlen(type) : 0);
		return 0;
	case MI_DOMAIN:
		return misp_emit(st, line, value, vlen, PW_H_DOMAIN);
	case MI_IP:
		return misp_emit(st, line, value, vlen, PW_H_IP);
	case MI_URL:
		return misp_emit(st, line, value, vlen, PW_H_URL);
	case MI_HASH:
		return misp_emit(st, line, value, vlen, PW_H_HASH);
	case MI_WALLET:
		return misp_emit(st, line, value, vlen, PW_H_WALLET);
	case MI_PORT:
		return misp_emit(st, line, value, vlen, PW_H_PORT);
	case MI_DOMAIN_IP:
		if (!bar)
			return misp_emit(st, line, value, vlen, PW_H_DOMAIN);
		err = misp_emit(st, line, value, (size_t)(bar - value),
				PW_H_DOMAIN);
		if (!err)
			err = misp_emit(st, line, bar + 1, strlen(bar + 1),
					PW_H_IP);
		return err;
	case MI_HOST_PORT:
		if (!bar)
			return misp_emit(st, line, value, vlen, PW_H_URL);
		/* 2001:db8::1|3333 is [2001:db8::1]:3333 */
		n = snprintf(hp, sizeof(hp),
			     memchr(value, ':', (size_t)(bar - value)) ?
			     "[%.*s]:%s" : "%.*s:%s", (int)(bar - value),
			     value, bar + 1);
		if (n < 0 || (size_t)n >= sizeof(hp)) {
			pw_skip(st->h, line, "too-long", value, vlen);
			return 0;
		}
		return misp_emit(st, line, hp, (size_t)n, PW_H_URL);
	case MI_FILE_HASH:
		if (!bar)
			return misp_emit(st, line, value, vlen, PW_H_HASH);
		return misp_emit(st, line, bar + 1, strlen(bar + 1),
				 PW_H_HASH);
	}
	return 0;
}

/* gone: the attributes of a deleted object */
static int misp_attributes(struct misp_state *st, json_t *arr, bool gone)
{
	json_t *a;
	size_t i;
	int err;

	json_array_foreach(arr, i, a) {
		err = misp_attribute(st, a, gone);
		if (err)
			return err;
	}
	return 0;
}

static int misp_event(struct misp_state *st, json_t *ev)
{
	json_t *id = json_object_get(ev, "id"), *v, *o;
	const char *k;
	size_t i;
	int err = 0, n = 0;

	if (json_is_string(id))
		n = snprintf(st->incident, sizeof(st->incident), "misp-%s",
			     json_string_value(id));
	else if (json_is_integer(id))
		n = snprintf(st->incident, sizeof(st->incident), "misp-%lld",
			     (long long)json_integer_value(id));
	else
		st->incident[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof(st->incident))
		st->incident[0] = '\0';
	/* in the order of the source, so lines only go forward */
	json_object_foreach(ev, k, v) {
		if (!strcmp(k, "Attribute")) {
			err = misp_attributes(st, v, false);
		} else if (!strcmp(k, "Object")) {
			json_array_foreach(v, i, o) {
				err = misp_attributes(st,
					json_object_get(o, "Attribute"),
					misp_bool(json_object_get(o,
						"deleted")) == 1);
				if (err)
					break;
			}
		}
		if (err)
			return err;
	}
	return 0;
}

static bool misp_is_event(json_t *o)
{
	return json_is_object(o) &&
	       (json_object_get(o, "Attribute") ||
		json_object_get(o, "Object") || json_object_get(o, "info"));
}

/* a list of {"Event": ...} or bare events */
static int misp_events(struct misp_state *st, json_t *arr, unsigned *n)
{
	json_t *e, *ev;
	size_t i;
	int err;

	json_array_foreach(arr, i, e) {
		ev = json_object_get(e, "Event");
		if (!json_is_object(ev))
			ev = misp_is_event(e) ? e : NULL;
		if (!ev)
			continue;
		(*n)++;
		err = misp_event(st, ev);
		if (err)
			return err;
	}
	return 0;
}

static int misp_parse(void *state, const char *buf, size_t len)
{
	struct misp_state *st = state;
	json_t *root, *ev, *resp;
	json_error_t e;
	unsigned n = 0;
	int err = 0;

	st->flags = pw_host_subdomains(st->h, 1) ? PW_T_TREE : PW_T_EXACT;
	pw_jsonpos_init(&st->jp, buf, len);
	st->incident[0] = '\0';
	if (len > MISP_MAX_BODY) {
		pw_log(st->h, LOG_ERR, "download of %zu bytes refused: more "
		       "than %lu", len, MISP_MAX_BODY);
		return -EFBIG;
	}
	root = json_loadb(buf, len, 0, &e);
	if (!root) {
		pw_log(st->h, LOG_ERR, "not JSON: line %d, column %d: %s",
		       e.line, e.column, e.text);
		return json_error_code(&e) == json_error_out_of_memory ?
		       -ENOMEM : -EINVAL;
	}
	ev = json_object_get(root, "Event");
	resp = json_object_get(root, "response");
	if (json_is_object(ev)) {
		n++;
		err = misp_event(st, ev);
	} else if (json_is_array(resp)) {
		err = misp_events(st, resp, &n);
	} else if (json_is_object(resp) &&
		   json_is_array(json_object_get(resp, "Attribute"))) {
		/* an attribute search: no event, no incident */
		n++;
		err = misp_attributes(st, json_object_get(resp, "Attribute"),
				      false);
	} else if (json_is_array(root)) {
		err = misp_events(st, root, &n);
	} else if (misp_is_event(root)) {
		n++;
		err = misp_event(st, root);
	}
	if (!err && !n) {
		pw_log(st->h, LOG_ERR, "not a MISP event: no \"Event\", "
		       "\"response\" or \"Attribute\"");
		err = -EINVAL;
	}
	json_decref(root);
	st->jp.buf = NULL;
	return err;
}

static int misp_create(struct pw_host *h, const void *conf, void **state)
{
	struct misp_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void misp_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "misp",
	.kind = PW_FEED,
	.summary = "MISP event JSON: destination, URL, hash and wallet "
		   "attributes, the event as incident",
	.options = misp_options,
	.conf_size = 0,
	.create = misp_create,
	.destroy = misp_destroy,
	.parse = misp_parse,
};
