/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `poolwall` command: global options, then one command. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "log.h"
#include "miner.h"
#include "normalize.h"
#include "ops.h"
#include "update.h"

struct command {
	const char *name;
	int (*run)(const struct pw_global *g, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "update", pw_cmd_update,
	  "fetch the feeds and refresh every output (what cron runs)" },
	{ "compile", pw_cmd_compile,
	  "turn feed files into output files (stateless)" },
	{ "block", pw_cmd_block, "block indicators now (emergency, with a TTL)" },
	{ "unblock", pw_cmd_unblock, "remove emergency blocks" },
	{ "expire", pw_cmd_expire,
	  "drop expired emergency blocks from the file outputs" },
	{ "list", pw_cmd_list, "the published indicators, or the emergency "
			       "blocks" },
	{ "check", pw_cmd_check, "is an indicator blocked, and why" },
	{ "status", pw_cmd_status, "feeds, outputs, emergency blocks, last run" },
	{ "hits", pw_cmd_hits,
	  "internal hosts that hit a block (nft offender sets)" },
	{ "export", pw_cmd_export,
	  "render the published set or one incident with any output" },
	{ "config", pw_cmd_config, "check and print the configuration" },
	{ "extract", pw_cmd_extract,
	  "find indicators in free text, print them as ioc lines" },
	{ "miner", pw_cmd_miner,
	  "a miner's pools, wallets and binary hash, as ioc lines" },
	{ "plugins", pw_cmd_plugins, "list plugins, or describe one" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	const struct command *c;

	fputs("Usage: poolwall [-c FILE] [-S STATEDIR] [--plugin-dir DIR] "
	      "[-q|-v] [--json]\n"
	      "                COMMAND [ARGS]...\n"
	      "\n"
	      "Block cryptocurrency-mining pools at every layer: firewall,\n"
	      "resolver, proxy and endpoint.\n"
	      "\n"
	      "Commands:\n", f);
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\n"
	      "Options:\n"
	      "  -c, --config FILE     configuration file\n"
	      "  -S, --state-dir DIR   state directory\n"
	      "      --plugin-dir DIR  where plugins are (default: "
	      "$POOLWALL_PLUGIN_DIR,\n"
	      "                        else " PW_PLUGINDIR ")\n"
	      "  -q, --quiet           errors only\n"
	      "  -v, --verbose         more detail (all diagnostics)\n"
	      "      --json            JSON output where a command supports it\n"
	      "  -h, --help            this help; `poolwall COMMAND --help` for a "
	      "command\n"
	      "  -V, --version         version and enabled plugins\n"
	      "\n"
	      "Exit: 0 success, 1 error, 2 usage; update also 3 (published "
	      "with stale\nfeeds) and 4 (refused by a safety guard).\n", f);
}

static void version(void)
{
	printf("poolwall %s\nplugins:%s\n", PACKAGE_VERSION,
	       PW_ENABLED_PLUGINS);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "plugin-dir", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct pw_global g = { 0 };
	const struct command *c;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+c:S:qvhV", lopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			g.config = optarg;
			break;
		case 'S':
			g.state_dir = optarg;
			break;
		case 'P':
			g.plugin_dir = optarg;
			break;
		case 'q':
			g.verbosity = -1;
			break;
		case 'v':
			g.verbosity = 1;
			break;
		case 'j':
			g.json = true;
			break;
		case 'h':
			usage(stdout);
			return PW_EXIT_OK;
		case 'V':
			version();
			return PW_EXIT_OK;
		default:
			usage(stderr);
			return PW_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return PW_EXIT_USAGE;
	}
	pw_log_set_level(g.verbosity < 0 ? LOG_ERR :
			 g.verbosity > 0 ? LOG_DEBUG : LOG_NOTICE);
	for (c = commands; c->name; c++)
		if (strcmp(c->name, argv[optind]) == 0)
			break;
	if (!c->name) {
		pw_msg(LOG_ERR, "unknown command '%s'", argv[optind]);
		usage(stderr);
		return PW_EXIT_USAGE;
	}
	ret = c->run(&g, argc - optind, argv + optind);
	pw_normalize_cleanup();
	return ret;
}
