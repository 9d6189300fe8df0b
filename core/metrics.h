/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `metrics` output: Prometheus text format for node_exporter's
 * textfile collector ([output NAME] plugin = metrics, path = DIR/x.prom).
 */
#ifndef PW_METRICS_H
#define PW_METRICS_H

#include "update.h"

/* Write every enabled metrics output; failures are logged. */
void pw_metrics_write(struct pw_run *r, const struct pw_set *s,
		      const struct pw_out_result *res, size_t n);

#endif
