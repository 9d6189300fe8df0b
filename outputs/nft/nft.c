/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `nft`: pool addresses and stratum ports for the packet filter, in
 * a table of our own (`inet poolwall`; no other table is ever touched).
 *
 * mode=file writes a ruleset for `nft -f` that replaces the table in one
 * transaction.  mode=netlink writes the same text (what was pushed, for the
 * operator to read) and then, in apply(), pushes the table by netlink in
 * one batch: feed sets flushed and refilled, rules replaced, emergency
 * elements swapped where they overlap, offender sets kept.
 *
 * The model (sets, rules, elements) and the text are in nft-render.c, the
 * netlink side in nft-netlink.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <syslog.h>

#include "nft.h"

static const struct pw_option nft_options[] = {
	{ "mode", "file", PW_OPT_STR, offsetof(struct nft_conf, mode),
	  "file: write an nft -f ruleset; netlink: also push it to the "
	  "kernel in one batch" },
	{ "table", "poolwall", PW_OPT_STR, offsetof(struct nft_conf, table),
	  "name of our own inet table (no other table is touched)" },
	{ "hooks", "output,forward", PW_OPT_STR,
	  offsetof(struct nft_conf, hooks),
	  "hooks that get a chain: prerouting, input, forward, output, "
	  "postrouting" },
	{ "priority", "-10", PW_OPT_STR, offsetof(struct nft_conf, priority),
	  "chain priority: before the usual filter chains (0), after DNAT "
	  "(-100)" },
	{ "action", "drop", PW_OPT_STR, offsetof(struct nft_conf, action),
	  "drop, reject (icmpx admin-prohibited) or log (audit: count, log, "
	  "let pass)" },
	{ "log_prefix", "poolwall: ", PW_OPT_STR,
	  offsetof(struct nft_conf, log_prefix),
	  "log prefix of block rules; empty: drop and reject do not log" },
	{ "offender_timeout", "72h", PW_OPT_DUR,
	  offsetof(struct nft_conf, offender_timeout),
	  "how long a host that hit a block stays in the offender sets; 0: "
	  "no tracking" },
	{ "exempt", "", PW_OPT_STR, offsetof(struct nft_conf, exempt),
	  "comma-separated CIDRs never matched, as source or destination" },
	{ "counters", "yes", PW_OPT_BOOL, offsetof(struct nft_conf, counters),
	  "a named counter on every rule" },
	{ NULL, NULL, 0, 0, NULL },
};

struct nft_state {
	struct pw_host *h;
	struct nft_cfg cfg;
	/* mode=netlink: the elements, built once by render() for the text
	 * and sent by apply() */
	struct nft_elembatch *eb;
	const struct pw_set *eb_set;
	/* a split output: the emergency elements the main file left out,
	 * kept for the part (rendered next, from the same set) */
	struct nft_elems emerg[NFT_S_MAX];
	unsigned long emerg_expired;
	const struct pw_set *emerg_set;
};

static int nft_create(struct pw_host *h, const void *conf, void **state)
{
	struct nft_state *s;
	char err[256];
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->h = h;
	ret = nft_cfg_parse(&s->cfg, conf, err, sizeof(err));
	if (ret) {
		pw_log(h, LOG_ERR, "%s", err);
		free(s);
		return ret;
	}
	/* the emergency entries in a file of their own, which the ruleset
	 * includes: block, unblock and expire rewrite only that one.  A path
	 * nft cannot read between quotes keeps everything in one file. */
	if (pw_host_target(h) && nft_path_ok(pw_host_target(h)))
		pw_host_split(h, ".emerg");
	*state = s;
	return 0;
}

static void nft_emerg_free(struct nft_state *s)
{
	size_t i;

	for (i = 0; i < NFT_S_MAX; i++)
		nft_elems_free(&s->emerg[i]);
	s->emerg_set = NULL;
	s->emerg_expired = 0;
}

static void nft_destroy(void *state)
{
	struct nft_state *s = state;

	if (!s)
		return;
	nft_elembatch_free(s->eb);
	nft_emerg_free(s);
	nft_cfg_free(&s->cfg);
	free(s);
}

static void nft_run_init(struct nft_state *s, const struct pw_set *set,
			 struct nft_run *r)
{
	r->h = s->h;
	r->cfg = &s->cfg;
	r->set = set;
	r->now = pw_host_now(s->h);
}

static int nft_keep_cb(void *ctx, const struct nft_elem *e)
{
	return nft_elems_push(ctx, e);
}

static int nft_hold_emerg_cb(void *ctx, enum nft_sid id,
			     const struct nft_elem *e)
{
	struct nft_state *s = ctx;

	if (nft_sets[id].tier != NFT_T_EMERG)
		return 0;
	return nft_elems_push(&s->emerg[id], e);
}

/* The emergency part: from what the main file left out of the same set,
 * else (block, unblock, expire: a set of emergency entries alone) from
 * the set. */
static int nft_render_part(struct nft_state *s, struct nft_run *r,
			   struct pw_sink *out)
{
	const char *mode = s->cfg.netlink ? "netlink" : "file";
	int k, err = 0;

	if (s->emerg_set != r->set) {
		nft_emerg_free(s);
		for (k = NFT_KEY_V4; k <= NFT_KEY_PORT && !err; k++) {
			unsigned long exp = 0;

			err = nft_elems_walk(r, (enum nft_key)k,
					     nft_hold_emerg_cb, s, &exp);
			s->emerg_expired += exp;
		}
		if (err)
			return err;
		s->emerg_set = r->set;
	}
	return nft_render_emerg(r, out, mode, s->emerg,
				s->emerg_expired, pw_host_target(s->h));
}

static int nft_render(void *state, const struct pw_set *set,
		      struct pw_sink *out)
{
	struct nft_state *s = state;
	struct nft_run r = { 0 };
	enum pw_part part = pw_host_part(s->h);
	size_t i;
	int err;

	nft_run_init(s, set, &r);
	if (part == PW_PART_EMERG)
		return nft_render_part(s, &r, out);
	if (part == PW_PART_MAIN) {
		r.part = pw_host_part_path(s->h);
		if (!r.part || !nft_path_ok(r.part)) {
			pw_log(s->h, LOG_ERR, "cannot include '%s' from the "
			       "ruleset", r.part ? r.part : "(none)");
			return -EINVAL;
		}
		nft_emerg_free(s);
		r.keep = s->emerg;
	}
	if (!s->cfg.netlink) {
		err = nft_render_ruleset(&r, out, "file", NULL);
		goto out;
	}
	/* one pass over the set for the text and the batch alike */
	nft_elembatch_free(s->eb);
	s->eb = NULL;
	err = nft_elems_build(&s->eb, &r);
	if (!err) {
		s->eb_set = set;
		err = nft_render_ruleset(&r, out, "netlink", s->eb);
	}
	/* the emergency elements are held in the batch: a few, copied */
	for (i = 0; i < 4 && !err && r.keep; i++)
		err = nft_elembatch_foreach(s->eb, &r, nft_emerg_sets[i],
					    nft_keep_cb,
					    &s->emerg[nft_emerg_sets[i]]);
out:
	if (!err && r.keep) {
		s->emerg_set = set;
		s->emerg_expired = r.st.expired;
	}
	return err;
}

static int nft_apply(void *state, const struct pw_set *set)
{
	struct nft_state *s = state;
	struct nft_run r = { 0 };

	if (!s->cfg.netlink)
		return 0;
	nft_run_init(s, set, &r);
	switch (pw_host_apply_op(s->h)) {
	case PW_APPLY_ADD:
		r.all_emerg = true;
		return nft_nl_emerg(&r, false);
	case PW_APPLY_REMOVE:
		r.all_emerg = true;
		return nft_nl_emerg(&r, true);
	default:
		/* in `update` the run holds every live emergency block (from
		 * the state): the emergency sets are refilled, which also
		 * drops what an unblock could not remove; elsewhere (compile)
		 * live blocks in the kernel are kept */
		return nft_nl_push(&r, s->eb_set == set ? s->eb : NULL,
				   pw_host_generation(s->h) != 0);
	}
}

struct nft_query {
	struct nft_state *s;
	int (*cb)(void *ctx, const struct pw_stat *st);
	void *ctx;
	int af;
};

static int nft_query_counter(void *ctx, const char *name, uint64_t packets,
			     uint64_t bytes)
{
	struct nft_query *q = ctx;
	struct pw_stat st = {
		.name = name, .packets = packets, .bytes = bytes,
		.age = -1, .left = 0,
	};

	return q->cb(q->ctx, &st);
}

static int nft_query_offender(void *ctx, const struct nft_kelem *ke)
{
	struct nft_query *q = ctx;
	char addr[INET6_ADDRSTRLEN];
	int64_t left = (int64_t)(ke->expires_ms / 1000);
	int64_t total = (int64_t)(q->s->cfg.offender_timeout_ms / 1000);
	struct pw_stat st = {
		.name = addr, .packets = ke->packets, .bytes = ke->bytes,
		.left = left,
		/* each hit refreshes the element's timeout */
		.age = total && left <= total ? total - left : -1,
	};

	if (!inet_ntop(q->af, ke->e.lo, addr, sizeof(addr)))
		return 0;
	return q->cb(q->ctx, &st);
}

/* `status` and `hits`: the counters and the offender sets, from the kernel */
static int nft_query(void *state, int what,
		     int (*cb)(void *ctx, const struct pw_stat *st), void *ctx)
{
	struct nft_query q = { .s = state, .cb = cb, .ctx = ctx };
	struct nft_nl *nl = NULL;
	int ret;

	ret = nft_nl_open(&nl, q.s->h);
	if (ret)
		return ret;
	if (what == PW_Q_COUNTERS) {
		ret = nft_nl_read_counters(nl, &q.s->cfg, nft_query_counter,
					   &q);
	} else if (what == PW_Q_OFFENDERS) {
		q.af = AF_INET;
		ret = nft_nl_read_elems(nl, &q.s->cfg, NFT_S_OFF_V4,
					nft_query_offender, &q);
		if (!ret || ret == -ENOENT) {
			q.af = AF_INET6;
			ret = nft_nl_read_elems(nl, &q.s->cfg, NFT_S_OFF_V6,
						nft_query_offender, &q);
		}
		if (ret == -ENOENT)
			ret = 0;
	} else {
		ret = -EINVAL;
	}
	nft_nl_close(nl);
	return ret;
}

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "nft",
	.kind = PW_OUTPUT,
	.summary = "nftables table inet poolwall: ruleset file, or one "
		   "netlink batch",
	.options = nft_options,
	.conf_size = sizeof(struct nft_conf),
	.create = nft_create,
	.destroy = nft_destroy,
	.render = nft_render,
	.apply = nft_apply,
	.query = nft_query,
};
