/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "tap.h"

struct t_conf {
	const char *name;
	int on;
	unsigned long n;
	int64_t ttl;
	const char *need;
};

static const struct pw_option t_opts[] = {
	{ "name", "abc", PW_OPT_STR, offsetof(struct t_conf, name), "a" },
	{ "on", "yes", PW_OPT_BOOL, offsetof(struct t_conf, on), "b" },
	{ "n", "7", PW_OPT_UINT, offsetof(struct t_conf, n), "c" },
	{ "ttl", "72h", PW_OPT_DUR, offsetof(struct t_conf, ttl), "d" },
	{ "need", NULL, PW_OPT_PATH, offsetof(struct t_conf, need), "e" },
	{ NULL, NULL, 0, 0, NULL },
};

static int t_create(struct pw_host *h, const void *c, void **s)
{
	return 0;
}

static int t_render(void *s, const struct pw_set *set, struct pw_sink *o)
{
	return 0;
}

static const struct pw_plugin t_plugin = {
	.abi = PW_PLUGIN_ABI, .size = sizeof(struct pw_plugin),
	.name = "t", .kind = PW_OUTPUT, .options = t_opts,
	.conf_size = sizeof(struct t_conf), .create = t_create,
	.render = t_render,
};

/* pull the plugin API into this program so dlopened plugins find it
   (a global object: the compiler cannot fold its references away) */
struct api_refs {
	int (*emit)(struct pw_host *, unsigned, const char *, size_t,
		    enum pw_hint);
	int (*emit_token)(struct pw_host *, const struct pw_token *);
	int (*iter)(const struct pw_set *, unsigned, pw_item_cb, void *);
	int (*sink_write)(struct pw_sink *, const void *, size_t);
};
extern const struct api_refs api;
const struct api_refs api = { pw_emit, pw_emit_token, pw_set_iter,
			      pw_sink_write };

static int scan_count(void *ctx, const char *name, const char *path)
{
	(*(int *)ctx)++;
	return 0;
}

int main(void)
{
	struct pw_plugin bad = t_plugin;
	const struct t_conf *tc;
	struct pw_module *m;
	struct pw_conf *c;
	const char *dir;
	char err[512];
	int64_t d;
	int n;

	/* values */
	ok(pw_parse_duration("90", &d) == 0 && d == 90, "duration: seconds");
	ok(pw_parse_duration("15m", &d) == 0 && d == 900, "duration: minutes");
	ok(pw_parse_duration("72h", &d) == 0 && d == 259200,
	   "duration: hours");
	ok(pw_parse_duration("7d", &d) == 0 && d == 604800, "duration: days");
	ok(pw_parse_duration("1x", &d) == -EINVAL, "duration: bad unit");
	ok(pw_parse_duration("h", &d) == -EINVAL, "duration: no number");
	ok(pw_parse_duration("99999999999999999999d", &d) != 0,
	   "duration: overflow refused");

	/* descriptor checks */
	m = pw_module_static(&t_plugin, err, sizeof(err));
	ok(m != NULL, "a good descriptor loads");
	pw_module_free(m);
	bad.abi = PW_PLUGIN_ABI + 1;
	ok(pw_plugin_check(&bad, "x.so", err, sizeof(err)) == -EINVAL &&
	   strstr(err, "ABI"), "a wrong ABI is refused: %s", err);
	bad = t_plugin;
	bad.size = 8;
	ok(pw_plugin_check(&bad, "x.so", err, sizeof(err)) == -EINVAL,
	   "a short descriptor is refused: %s", err);
	bad = t_plugin;
	bad.conf_size = 4;
	ok(pw_plugin_check(&bad, "x.so", err, sizeof(err)) == -EINVAL,
	   "an option outside conf_size is refused: %s", err);

	/* options */
	c = pw_conf_new(&t_plugin, err, sizeof(err));
	ok(c != NULL, "conf with defaults");
	tc = pw_conf_data(c);
	is_str(tc->name, "abc", "string default");
	ok(tc->on == 1 && tc->n == 7 && tc->ttl == 259200,
	   "bool, uint and duration defaults");
	ok(pw_conf_finish(c, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "'need' is required"), "a required option: %s", err);
	ok(pw_conf_set(c, "need", "/tmp/x", err, sizeof(err)) == 0,
	   "set a path");
	ok(pw_conf_set(c, "on", "no", err, sizeof(err)) == 0 && tc->on == 0,
	   "set a bool");
	ok(pw_conf_set(c, "n", "-1", err, sizeof(err)) == -EINVAL,
	   "a bad number is refused: %s", err);
	ok(pw_conf_set(c, "nope", "1", err, sizeof(err)) == -EINVAL &&
	   strstr(err, "known: name, on, n, ttl, need"),
	   "an unknown key lists the known ones: %s", err);
	ok(pw_conf_finish(c, err, sizeof(err)) == 0, "complete");
	is_str(tc->need, "/tmp/x", "stored by offsetof");
	pw_conf_free(c);

	/* the real plugins of this build */
	ok(api.emit && api.emit_token && api.iter && api.sink_write,
	   "the plugin API is linked in");
	dir = getenv("POOLWALL_PLUGIN_DIR");
	if (!dir) {
		printf("ok %d # SKIP POOLWALL_PLUGIN_DIR not set\n", ++tap_n);
		return tap_done();
	}
	m = pw_module_load(dir, PW_OUTPUT, "ioc", err, sizeof(err));
	ok(m != NULL, "dlopen output ioc: %s", m ? "" : err);
	if (m)
		is_str(pw_module_plugin(m)->name, "ioc", "its descriptor");
	pw_module_free(m);
	m = pw_module_load(dir, PW_FEED, "hosts", err, sizeof(err));
	ok(m != NULL && pw_module_plugin(m)->kind == PW_FEED,
	   "dlopen feed hosts");
	pw_module_free(m);
	m = pw_module_load(dir, PW_FEED, "nosuch", err, sizeof(err));
	ok(m == NULL && strstr(err, "no feed plugin 'nosuch'"),
	   "a missing plugin is named: %s", err);
	m = pw_module_load(dir, PW_FEED, "../x", err, sizeof(err));
	ok(m == NULL && strstr(err, "bad plugin name"),
	   "a path in a plugin name is refused");
	n = 0;
	ok(pw_plugin_scan(dir, PW_OUTPUT, scan_count, &n) == 0 && n >= 3,
	   "scan finds the output plugins (%d)", n);
	return tap_done();
}
