/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin loader: finds `feed_NAME.so` / `output_NAME.so` in the plugin
 * directory, checks the ABI, and fills a plugin's configuration from
 * key=value pairs through its option table (by name, stored by offsetof).
 */
#ifndef PW_LOADER_H
#define PW_LOADER_H

#include <stdbool.h>

#include <poolwall/plugin.h>

struct pw_module;	/* a loaded plugin */
struct pw_conf;		/* a plugin's filled configuration */

/* --plugin-dir, else $POOLWALL_PLUGIN_DIR, else the built-in directory. */
const char *pw_plugin_dir(const char *override);

/* Load kind+name from dir.  On error returns NULL with a message in err. */
struct pw_module *pw_module_load(const char *dir, enum pw_kind kind,
				 const char *name, char *err, size_t errlen);
/* Wrap a descriptor linked into the program (tests, static builds). */
struct pw_module *pw_module_static(const struct pw_plugin *p, char *err,
				   size_t errlen);
void pw_module_free(struct pw_module *m);	/* NULL-safe; dlcloses */
const struct pw_plugin *pw_module_plugin(const struct pw_module *m);
const char *pw_module_path(const struct pw_module *m);

/* Check a descriptor as the loader does: 0 or -EINVAL with a message. */
int pw_plugin_check(const struct pw_plugin *p, const char *where,
		    char *err, size_t errlen);

/* Visit every plugin of `kind` found in dir (sorted by name). */
int pw_plugin_scan(const char *dir, enum pw_kind kind,
		   int (*cb)(void *ctx, const char *name, const char *path),
		   void *ctx);

/*
 * Options.  pw_conf_new applies defaults; pw_conf_set parses one value
 * (unknown key, bad value: -EINVAL with a message); pw_conf_finish fails on
 * a required option that was never set.  pw_conf_data is what `create`
 * receives.
 */
struct pw_conf *pw_conf_new(const struct pw_plugin *p, char *err,
			    size_t errlen);
int pw_conf_set(struct pw_conf *c, const char *key, const char *val,
		char *err, size_t errlen);
bool pw_conf_has(const struct pw_plugin *p, const char *key);
int pw_conf_finish(struct pw_conf *c, char *err, size_t errlen);
const void *pw_conf_data(const struct pw_conf *c);
void pw_conf_free(struct pw_conf *c);	/* NULL-safe */

/* Value parsers shared with the configuration file. */
int pw_parse_bool(const char *s, int *out);
int pw_parse_uint(const char *s, unsigned long *out);
int pw_parse_duration(const char *s, int64_t *secs);	/* 90, 15m, 12h, 7d */

const char *pw_opt_type_name(enum pw_opt t);

#endif
