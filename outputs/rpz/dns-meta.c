/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Header comments shared by the DNS outputs; see dns-meta.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns-meta.h"

static int dns_meta_add(struct dns_meta *m, const char *name, size_t len)
{
	size_t lo = 0, hi = m->n_src, mid;
	char *copy;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strncmp(m->src[mid], name, len);
		if (!cmp && m->src[mid][len] == '\0')
			return 0;
		if (cmp < 0)	/* a longer name sorts after its prefix */
			lo = mid + 1;
		else
			hi = mid;
	}
	if (m->n_src == DNS_META_MAX_SRC) {
		m->more_src++;
		return 0;
	}
	copy = strndup(name, len);
	if (!copy)
		return -ENOMEM;
	memmove(&m->src[lo + 1], &m->src[lo],
		(m->n_src - lo) * sizeof(m->src[0]));
	m->src[lo] = copy;
	m->n_src++;
	return 0;
}

int dns_meta_sources(struct dns_meta *m, const char *sources)
{
	const char *p, *comma;
	char *copy;
	int err;

	if (!sources || !*sources)
		return 0;
	/* the set hands out the same list for long runs of items */
	if (m->last && strcmp(m->last, sources) == 0)
		return 0;
	copy = strdup(sources);
	if (!copy)
		return -ENOMEM;
	free(m->last);
	m->last = copy;
	for (p = sources; *p; p = comma + 1) {
		comma = strchr(p, ',');
		if (!comma)
			comma = p + strlen(p);
		if (comma > p) {
			err = dns_meta_add(m, p, (size_t)(comma - p));
			if (err)
				return err;
		}
		if (!*comma)
			break;
	}
	return 0;
}

void dns_meta_clear(struct dns_meta *m)
{
	size_t i;

	for (i = 0; i < m->n_src; i++)
		free(m->src[i]);
	free(m->last);
	memset(m, 0, sizeof(*m));
}

int dns_meta_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -EINVAL;
	return 0;
}

int dns_meta_write(struct dns_meta *m, struct pw_host *h,
		   struct pw_sink *out, const char *cmt, const char *what)
{
	char when[32];
	size_t i;
	int err;

	err = dns_meta_time(pw_host_now(h), when, sizeof(when));
	if (err)
		return err;
	err = pw_sink_printf(out, "%s %s\n%s generator: poolwall %s\n"
			     "%s generated: %s (generation %llu)\n",
			     cmt, what, cmt, PACKAGE_VERSION, cmt, when,
			     (unsigned long long)pw_host_generation(h));
	if (!err)
		err = pw_sink_printf(out, "%s sources:%s", cmt,
				     m->n_src ? "" : " none");
	for (i = 0; i < m->n_src && !err; i++)
		err = pw_sink_printf(out, "%s%s", i ? ", " : " ", m->src[i]);
	if (!err && m->more_src)
		err = pw_sink_printf(out, " and %lu more", m->more_src);
	if (!err)
		err = pw_sink_write(out, "\n", 1);
	return err;
}

static int dns_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int dns_is_hostname(const char *name, size_t len)
{
	size_t i, start = 0;

	if (!len)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '.') {
			if (!dns_alnum(name[i]) && name[i] != '-')
				return 0;
			continue;
		}
		/* a label [start, i): alphanumeric at both ends */
		if (i == start || !dns_alnum(name[start]) ||
		    !dns_alnum(name[i - 1]))
			return 0;
		start = i + 1;
	}
	return 1;
}
