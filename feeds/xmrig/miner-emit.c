/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * miner-emit.h: a miner's pool as tokens, for the xmrig and cmdline feeds.
 */
#include "config.h"

#include <string.h>

#include <poolwall/plugin.h>

#include "miner-emit.h"

static int miner_login(struct pw_host *h, const struct pw_mpool *p)
{
	const char *w, *rest;
	size_t wlen, rlen;

	switch (pw_miner_login(p->user, &w, &wlen, &rest, &rlen)) {
	case PW_ML_WALLET:
		return pw_emit(h, p->line, w, wlen, PW_H_WALLET);
	case PW_ML_PLACEHOLDER:
		/* a pool without a login is not worth a word */
		if (p->user)
			pw_skip(h, p->line, "placeholder", p->user,
				strlen(p->user));
		return 0;
	case PW_ML_NAME:
		pw_skip(h, p->line, "not-a-wallet", p->user,
			strlen(p->user));
		return 0;
	}
	return 0;
}

int pw_miner_emit(struct pw_host *h, const struct pw_mpool *p)
{
	char url[PW_MINER_MAX_URL];
	const char *why = pw_miner_pool_skip(p);
	int n, err;

	if (why) {
		pw_skip(h, p->line, why, p->url ? p->url : "",
			p->url ? strlen(p->url) : 0);
	} else {
		n = pw_miner_pool_url(p, url, sizeof(url));
		/* a port out of range and such: the core says why */
		if (n < 0)
			err = pw_emit(h, p->line, p->url, strlen(p->url),
				      PW_H_URL);
		else
			err = pw_emit(h, p->line, url, (size_t)n, PW_H_URL);
		if (err)
			return err;
	}
	if (p->role != PW_MROLE_POOL)
		return 0;
	return miner_login(h, p);
}
