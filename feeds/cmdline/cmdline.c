/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline: miner command lines, one a line, as an analyst collects them
 * from ps output, crontabs, shell history, systemd units and reports.
 *
 * Each line is read by the parser shared with `poolwall miner`
 * (cmdline-parse.c): shell quoting, `nohup ... &`, `;` `&&` `|`, a cron
 * time spec or @reboot, `ExecStart=`, `sh -c '...'`.  Every pool a miner
 * is pointed at (-o, --url, ...) becomes a URL token (stratum+ssl:// with
 * --tls) and the wallet part of its login (-u) a wallet token.  A line
 * whose command is not a miner gives nothing; sample placeholders and
 * local addresses are skipped with a reason.  `#` starts a comment.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <poolwall/plugin.h>

#include "cmdline-parse.h"
#include "../xmrig/miner-emit.h"

struct cmdline_state {
	struct pw_host *h;
};

static const struct pw_option cmdline_options[] = {
	{ .name = NULL }
};

static int cmdline_line(struct cmdline_state *st, unsigned line,
			const char *s, size_t len)
{
	struct pw_miner *m;
	size_t i;
	int err;

	if (memchr(s, '\0', len)) {
		pw_skip(st->h, line, "nul-byte", s, len);
		return 0;
	}
	m = pw_miner_new();
	if (!m)
		return -ENOMEM;
	err = pw_miner_cmdline_parse(m, s, len, line);
	/* over PW_MINER_MAX_POOLS on one line: what was found still counts */
	if (err == -ENOSPC)
		err = 0;
	for (i = 0; i < m->n_pools && !err; i++)
		err = pw_miner_emit(st->h, &m->pools[i]);
	pw_miner_free(m);
	return err;
}

/* does the line [s, eol) end with a backslash (before a CR)? */
static bool cmdline_continued(const char *s, const char *eol)
{
	if (eol > s && eol[-1] == '\r')
		eol--;
	return eol > s && eol[-1] == '\\';
}

static int cmdline_parse(void *state, const char *buf, size_t len)
{
	struct cmdline_state *st = state;
	const char *p = buf, *end = buf + len, *eol, *q;
	unsigned line = 0, first;
	int err = 0;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		/* a backslash at the end of a line continues it */
		first = line + 1;
		q = p;
		for (;;) {
			eol = memchr(q, '\n', (size_t)(end - q));
			if (!eol)
				eol = end;
			line++;
			if (eol == end || !cmdline_continued(q, eol))
				break;
			q = eol + 1;
		}
		err = cmdline_line(st, first, p, (size_t)(eol - p));
		if (err)
			goto out;
		p = eol < end ? eol + 1 : end;
	}
out:
	return err;
}

static int cmdline_create(struct pw_host *h, const void *conf, void **state)
{
	struct cmdline_state *st;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->h = h;
	*state = st;
	return 0;
}

static void cmdline_destroy(void *state)
{
	free(state);
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "cmdline",
	.kind = PW_FEED,
	.summary = "miner command lines (xmrig, xmr-stak, cpuminer, GPU "
		   "miners), also in cron, sh -c, ExecStart=",
	.options = cmdline_options,
	.conf_size = 0,
	.create = cmdline_create,
	.destroy = cmdline_destroy,
	.parse = cmdline_parse,
};
