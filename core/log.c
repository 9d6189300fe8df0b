/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>

#include "log.h"

static int log_level = LOG_NOTICE;
static bool log_syslog;

void pw_log_syslog(bool on)
{
	if (on && !log_syslog)
		openlog("poolwall", LOG_PID, LOG_DAEMON);
	else if (!on && log_syslog)
		closelog();
	log_syslog = on;
}

void pw_log_set_level(int prio)
{
	log_level = prio;
}

int pw_log_level(void)
{
	return log_level;
}

void pw_vmsg(int prio, const char *prefix, const char *fmt, va_list ap)
{
	if (log_syslog && prio <= LOG_NOTICE) {
		char msg[1024];
		va_list cp;

		va_copy(cp, ap);
		vsnprintf(msg, sizeof(msg), fmt, cp);
		va_end(cp);
		syslog(prio, "%s%s", prefix ? prefix : "", msg);
	}
	if (prio > log_level)
		return;
	fputs("poolwall: ", stderr);
	if (prefix)
		fputs(prefix, stderr);
	if (prio <= LOG_ERR)
		fputs("error: ", stderr);
	else if (prio == LOG_WARNING)
		fputs("warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pw_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pw_vmsg(prio, NULL, fmt, ap);
	va_end(ap);
}
