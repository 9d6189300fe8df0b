/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>

#include "log.h"

static int log_level = LOG_NOTICE;

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
