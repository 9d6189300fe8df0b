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

#include "miner-emit.h"

struct xmrig_state {
	struct pw_host *h;
};

static const struct pw_option xmrig_options[] = {
	{ .name = NULL }
};

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
		err = pw_miner_emit(st->h, order[i]);
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
