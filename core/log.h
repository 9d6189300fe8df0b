/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: stderr by default, syslog priorities, a verbosity threshold. */
#ifndef PW_LOG_H
#define PW_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>

#include <poolwall/plugin.h>

/* Messages above this priority are dropped (LOG_NOTICE by default;
   -q lowers it to LOG_ERR, -v raises it to LOG_DEBUG). */
void pw_log_set_level(int prio);
int pw_log_level(void);

/* Mirror messages (notice and worse) to syslog, facility daemon. */
void pw_log_syslog(bool on);

/* A core message, "poolwall: " prefixed. */
void pw_msg(int prio, const char *fmt, ...) PW_PRINTF(2, 3);
void pw_vmsg(int prio, const char *prefix, const char *fmt, va_list ap)
	PW_PRINTF(3, 0);

#endif
