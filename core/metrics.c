/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "log.h"
#include "metrics.h"
#include "ops.h"
#include "sink.h"

struct mctx {
	struct pw_sink *o;
	int64_t now;
	int64_t max_age;
	const struct pw_config *cfg;
	unsigned long n;
	int64_t next;
};

static int m_feed(void *ctx, const struct pw_feed_status *f)
{
	struct mctx *m = ctx;
	const struct pw_feed_cfg *fc = pw_config_feed(m->cfg, f->name);
	int64_t age = f->fetched_at ? m->now - f->fetched_at : -1;
	int stale = !f->status || strcmp(f->status, "fresh") != 0;

	if (fc && f->status && !strcmp(f->status, "unchanged"))
		stale = 0;
	pw_sink_printf(m->o,
		       "poolwall_feed_age_seconds{feed=\"%s\"} %lld\n"
		       "poolwall_feed_stale{feed=\"%s\"} %d\n"
		       "poolwall_feed_indicators{feed=\"%s\"} %lu\n"
		       "poolwall_feed_rejected{feed=\"%s\"} %lu\n",
		       f->name, (long long)age, f->name, stale, f->name,
		       f->indicators, f->name, f->rejected);
	return 0;
}

static int m_emerg(void *ctx, const struct pw_emerg *e)
{
	struct mctx *m = ctx;

	m->n++;
	if (e->expires && (!m->next || e->expires < m->next))
		m->next = e->expires;
	return 0;
}

static const char *const kinds[] = {
	[PW_I_DOMAIN] = "domain", [PW_I_IPV4] = "ipv4", [PW_I_IPV6] = "ipv6",
	[PW_I_PORT] = "port",	  [PW_I_URL] = "url",	[PW_I_WALLET] = "wallet",
	[PW_I_HASH] = "hash",
};

static int m_counter(void *ctx, const struct pw_stat *st)
{
	struct live_q *lq = ctx;
	struct pw_sink *o = lq->user;

	pw_sink_printf(o, "poolwall_rule_packets_total{output=\"%s\","
		       "counter=\"%s\"} %llu\n"
		       "poolwall_rule_bytes_total{output=\"%s\","
		       "counter=\"%s\"} %llu\n", lq->output, st->name,
		       (unsigned long long)st->packets, lq->output, st->name,
		       (unsigned long long)st->bytes);
	return 0;
}

static int m_offender(void *ctx, const struct pw_stat *st)
{
	struct live_q *lq = ctx;

	lq->n++;
	return 0;
}

static int m_write(struct pw_run *r, const struct pw_set *s,
		   const struct pw_out_result *res, size_t n,
		   struct pw_sink *o)
{
	struct mctx m = { .o = o, .now = r->now, .cfg = r->cfg };
	size_t i;
	int k;

	pw_sink_printf(o, "# HELP poolwall_indicators Indicators published, "
		       "by kind.\n# TYPE poolwall_indicators gauge\n");
	for (k = PW_I_DOMAIN; k <= PW_I_HASH; k++)
		pw_sink_printf(o, "poolwall_indicators{kind=\"%s\"} %zu\n",
			       kinds[k], pw_set_count(s, (enum pw_ikind)k));
	pw_sink_printf(o, "# HELP poolwall_last_publish_timestamp_seconds "
		       "When the last generation was published.\n"
		       "# TYPE poolwall_last_publish_timestamp_seconds gauge\n"
		       "poolwall_last_publish_timestamp_seconds %lld\n",
		       (long long)r->now);
	pw_sink_printf(o, "# HELP poolwall_guard_refusals_total Runs refused "
		       "by a safety guard.\n"
		       "# TYPE poolwall_guard_refusals_total counter\n"
		       "poolwall_guard_refusals_total %lu\n",
		       pw_state_gen_refusals(r->st));
	pw_sink_printf(o, "# HELP poolwall_feed_age_seconds Age of the copy "
		       "of each feed in use.\n"
		       "# TYPE poolwall_feed_age_seconds gauge\n"
		       "# TYPE poolwall_feed_stale gauge\n"
		       "# TYPE poolwall_feed_indicators gauge\n"
		       "# TYPE poolwall_feed_rejected gauge\n");
	pw_state_feed_each(r->st, m_feed, &m);
	pw_state_emerg_each(r->st, r->now, false, m_emerg, &m);
	pw_sink_printf(o, "# HELP poolwall_emergency_blocks Active emergency "
		       "blocks.\n# TYPE poolwall_emergency_blocks gauge\n"
		       "poolwall_emergency_blocks %lu\n"
		       "# HELP poolwall_emergency_next_expiry_seconds Time "
		       "until the nearest emergency block expires (0: none).\n"
		       "# TYPE poolwall_emergency_next_expiry_seconds gauge\n"
		       "poolwall_emergency_next_expiry_seconds %lld\n",
		       m.n, (long long)(m.next ? m.next - r->now : 0));
	{
		struct live_q lq = { .user = o };

		pw_sink_printf(o, "# HELP poolwall_rule_packets_total Packets "
			       "that hit a poolwall rule (live outputs).\n"
			       "# TYPE poolwall_rule_packets_total counter\n"
			       "# TYPE poolwall_rule_bytes_total counter\n");
		pw_live_each(r, PW_Q_COUNTERS, m_counter, &lq);
		lq.n = 0;
		pw_live_each(r, PW_Q_OFFENDERS, m_offender, &lq);
		pw_sink_printf(o, "# HELP poolwall_offenders Internal hosts "
			       "that hit a block and are still remembered.\n"
			       "# TYPE poolwall_offenders gauge\n"
			       "poolwall_offenders %lu\n", lq.n);
	}
	pw_sink_printf(o, "# HELP poolwall_output_ok Whether each output was "
		       "published by the last run.\n"
		       "# TYPE poolwall_output_ok gauge\n");
	for (i = 0; i < n; i++)
		if (res[i].o && res[i].result &&
		    strcmp(res[i].result, "skipped") &&
		    strcmp(res[i].o->plugin, "metrics"))
			pw_sink_printf(o, "poolwall_output_ok{output=\"%s\"} "
				       "%d\n", res[i].o->name,
				       !strcmp(res[i].result, "published"));
	return 0;
}

void pw_metrics_write(struct pw_run *r, const struct pw_set *s,
		      const struct pw_out_result *res, size_t n)
{
	size_t i;

	for (i = 0; i < r->cfg->n_outputs; i++) {
		const struct pw_output_cfg *oc = &r->cfg->outputs[i];
		struct pw_sink *o;
		char err[512];

		if (!oc->enabled || strcmp(oc->plugin, "metrics") ||
		    !oc->path)
			continue;
		pw_sink_cleanup(oc->path);	/* what a killed run left */
		o = pw_sink_open(oc->path, err, sizeof(err));
		if (!o) {
			pw_msg(LOG_ERR, "output %s: %s", oc->name, err);
			continue;
		}
		m_write(r, s, res, n, o);
		if (pw_sink_commit(o, err, sizeof(err)))
			pw_msg(LOG_ERR, "output %s: %s", oc->name, err);
	}
}
