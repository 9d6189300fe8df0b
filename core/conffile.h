/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration (poolwall.conf(5)): [general], [allow], [incidents],
 * [feed NAME], [output NAME], read with inih.  Built-in defaults (the
 * shipped feed catalog, off until enabled; the built-in pool list and
 * stratum ports; a canonical export in the state directory) apply with no
 * file.  Every error names file:line, and all are found before anything
 * is touched.
 */
#ifndef PW_CONFFILE_H
#define PW_CONFFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pw_kv {			/* a plugin option as written */
	char *key, *val;
	const char *file;
	unsigned line;
};

struct pw_feed_cfg {
	char *name;
	char *url;		/* path, file://, http(s)://, "-" */
	char *format;		/* feed plugin */
	bool enabled;
	bool catalog;		/* from the shipped catalog */
	bool monitor;		/* action = monitor */
	int subdomains;		/* -1 plugin default */
	int64_t refresh;	/* s */
	int64_t max_age;	/* s; 0 = [general] max_age */
	unsigned long min_entries;
	char *licence, *description;
	struct pw_kv *opts;
	size_t n_opts;
	const char *file;	/* where it was (last) defined */
	unsigned line;
};

struct pw_output_cfg {
	char *name;
	char *plugin;
	char *path;		/* NULL: stdout is not allowed in update */
	char *validate;		/* command; %f is the candidate file */
	char *reload;		/* command run after a successful swap */
	char *live_add;		/* block: the new items, rendered, on the
				   stdin of this command */
	char *live_remove;	/* unblock: likewise */
	bool enabled;
	bool builtin;		/* the default canonical export */
	struct pw_kv *opts;
	size_t n_opts;
	const char *file;
	unsigned line;
};

struct pw_config {
	/* [general] */
	char *state_dir, *cache_dir;
	uint16_t stratum[64];
	size_t n_stratum;
	uint16_t protected_ports[64];
	size_t n_protected;
	unsigned shrink_guard;		/* percent */
	int64_t max_age;
	int64_t lock_timeout;
	int64_t connect_timeout, total_timeout;
	unsigned long max_body;
	unsigned long parallel;
	char *ca_file, *proxy;
	char **canaries;
	size_t n_canaries;
	char **own_networks;
	size_t n_own;
	bool permit_documentation;
	bool cdn_guard;			/* leave CDN addresses to DNS */
	bool syslog;
	char *user;			/* who, for `block` records */
	/* [allow] */
	char **allow_files;
	size_t n_allow_files;
	char **allow_entries;
	size_t n_allow_entries;
	/* [incidents] */
	char *incidents_dir;

	struct pw_feed_cfg *feeds;
	size_t n_feeds;
	struct pw_output_cfg *outputs;
	size_t n_outputs;

	const char *path;		/* the file read, or NULL */
	char **files;			/* names kept alive for messages */
	size_t n_files;
};

/*
 * Load the defaults, then `path` (NULL: the default path if it exists).
 * State directory override from -S.  Errors are printed to `err` as
 * "file:line: message"; returns 0 or -EINVAL / -ENOENT / -ENOMEM.
 * With plugin_dir, every feed format and output plugin is loaded and its
 * options checked against the plugin's table.
 */
int pw_config_load(struct pw_config **out, const char *path,
		   const char *state_dir, const char *plugin_dir, FILE *err);
void pw_config_free(struct pw_config *c);	/* NULL-safe */

/* Print the effective configuration, defaults included, as INI. */
void pw_config_print(const struct pw_config *c, FILE *f);

const struct pw_feed_cfg *pw_config_feed(const struct pw_config *c,
					 const char *name);
const struct pw_output_cfg *pw_config_output(const struct pw_config *c,
					     const char *name);

/* Value parsers (also used for command-line options). */
int pw_parse_size(const char *s, unsigned long *out);	/* 10M, 1G */
int pw_parse_percent(const char *s, unsigned *out);	/* 50% or 50 */

#define PW_DEFAULT_CONFIG PW_SYSCONFDIR "/poolwall/poolwall.conf"

#endif
