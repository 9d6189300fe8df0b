/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xmrig: miner configurations found on a compromised host.
 *
 * XMRig and xmrig-proxy config.json (also the old ones with `//`
 * comments), xmr-stak pools.txt and cpuminer JSON configs, read by the
 * parser shared with `poolwall miner` (xmrig-parse.c).  Every pool
 * becomes a URL token (stratum+tcp://host:port, stratum+ssl:// with TLS)
 * from which the core takes the host, the address and the stratum port;
 * the login's wallet part becomes a wallet token.  Listen addresses,
 * local addresses, the built-in donation pools and sample-config
 * placeholders are skipped with a reason.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <poolwall/plugin.h>

#include "xmrig-parse.h"

struct xmrig_state {
	struct pw_host *h;
};

static const struct pw_option xmrig_options[] = {
	{ .name = NULL }
};

static int xmrig_login(struct xmrig_state *st, const struct pw_mpool *p)
{
	const char *w, *rest;
	size_t wlen, rlen;

	switch (pw_miner_login(p->user, &w, &wlen, &rest, &rlen)) {
	case PW_ML_WALLET:
		return pw_emit(st->h, p->line, w, wlen, PW_H_WALLET);
	case PW_ML_PLACEHOLDER:
		/* a pool without a login is not worth a word */
		if (p->user)
			pw_skip(st->h, p->line, "placeholder", p->user,
				strlen(p->user));
		return 0;
	case PW_ML_NAME:
		pw_skip(st->h, p->line, "not-a-wallet", p->user,
			strlen(p->user));
		return 0;
	}
	return 0;
}

static int xmrig_entry(struct xmrig_state *st, const struct pw_mpool *p)
{
	char url[PW_MINER_MAX_URL];
	const char *why = pw_miner_pool_skip(p);
	int n, err;

	if (why) {
		pw_skip(st->h, p->line, why, p->url ? p->url : "",
			p->url ? strlen(p->url) : 0);
	} else {
		n = pw_miner_pool_url(p, url, sizeof(url));
		/* a port out of range and such: the core says why */
		if (n < 0)
			err = pw_emit(st->h, p->line, p->url, strlen(p->url),
				      PW_H_URL);
		else
			err = pw_emit(st->h, p->line, url, (size_t)n, PW_H_URL);
		if (err)
			return err;
	}
	if (p->role != PW_MROLE_POOL)
		return 0;
	return xmrig_login(st, p);
}

static int xmrig_by_line(const void *a, const void *b)
{
	const struct pw_mpool *const *x = a, *const *y = b;

	if ((*x)->line != (*y)->line)
		return (*x)->line < (*y)->line ? -1 : 1;
	/* keep the order of the file */
	return *x < *y ? -1 : *x > *y;
}

static int xmrig_parse(void *state, const char *buf, size_t len)
{
	struct xmrig_state *st = state;
	const struct pw_mpool **order = NULL;
	struct pw_miner *m;
	size_t i;
	int err;

	m = pw_miner_new();
	if (!m)
		return -ENOMEM;
	err = pw_miner_config_parse(m, buf, len);
	if (err) {
		if (err != -ENOMEM)
			pw_log(st->h, LOG_ERR, "%s", m->err);
		goto out;
	}
	if (!m->kind)
		pw_log(st->h, LOG_NOTICE, "no pools, pool_list or url: not a "
		       "miner configuration");
	order = calloc(m->n_pools ? m->n_pools : 1, sizeof(*order));
	if (!order) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < m->n_pools; i++)
		order[i] = &m->pools[i];
	qsort(order, m->n_pools, sizeof(*order), xmrig_by_line);
	for (i = 0; i < m->n_pools && !err; i++)
		err = xmrig_entry(st, order[i]);
out:
	free(order);
	pw_miner_free(m);
	return err;
}

static int xmrig_create(struct pw_host *h, const void *conf, void **state)
{
	struct xmrig_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void xmrig_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "xmrig",
	.kind = PW_FEED,
	.summary = "miner configs: XMRig/xmrig-proxy config.json, xmr-stak "
		   "pools.txt, cpuminer JSON",
	.options = xmrig_options,
	.conf_size = 0,
	.create = xmrig_create,
	.destroy = xmrig_destroy,
	.parse = xmrig_parse,
};
