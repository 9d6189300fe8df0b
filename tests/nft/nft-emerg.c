/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live half of `poolwall block` / `unblock` for the nft output, alone
 * (for the integration tests and the benchmark):
 *
 *   nft-emerg add|del TABLE TTL_SECONDS IOC...
 *
 * IOC is an address or CIDR (v4 or v6) or tcp/PORT, udp/PORT; add gives
 * each the timeout TTL_SECONDS (0: none).  Exit 0 when the kernel took the
 * batch.  Messages go to stderr as pw_log() writes them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nft-host.h"
#include "nft.h"

static int emerg_ioc(struct pw_set *s, const char *ioc, int64_t expires)
{
	char buf[64], *slash;
	unsigned lo, hi;

	if (!strncmp(ioc, "tcp/", 4) || !strncmp(ioc, "udp/", 4)) {
		if (sscanf(ioc + 4, "%u", &lo) != 1 || !lo || lo > 65535)
			return -EINVAL;
		hi = lo;
		set_port(s, ioc[0] == 't' ? PW_PROTO_TCP : PW_PROTO_UDP, lo,
			 hi, PW_F_EMERGENCY, expires);
		return 0;
	}
	if (strlen(ioc) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, ioc, strlen(ioc) + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	set_ip(s, buf, slash ? (unsigned)atoi(slash) :
			       strchr(buf, ':') ? 128 : 32,
	       PW_F_EMERGENCY, expires);
	return 0;
}

int main(int argc, char **argv)
{
	struct nft_conf c = {
		.mode = "netlink", .hooks = "output,forward",
		.priority = "-10", .action = "drop",
		.log_prefix = "poolwall: ", .offender_timeout = 72 * 3600,
		.exempt = "", .counters = 1,
	};
	struct pw_host h = { .log = stderr, .log_prefix = "nft-emerg: " };
	struct pw_set s = { 0 };
	struct nft_cfg cfg;
	struct nft_run r = {
		.h = &h, .cfg = &cfg, .set = &s, .all_emerg = true,
	};
	char err[256];
	int i, ret;
	long ttl;

	if (argc < 5 || (strcmp(argv[1], "add") && strcmp(argv[1], "del"))) {
		fprintf(stderr,
			"usage: nft-emerg add|del TABLE TTL_SECONDS IOC...\n");
		return 2;
	}
	h.now = (int64_t)time(NULL);
	r.now = h.now;
	c.table = argv[2];
	ttl = atol(argv[3]);
	if (nft_cfg_parse(&cfg, &c, err, sizeof(err))) {
		fprintf(stderr, "nft-emerg: %s\n", err);
		return 2;
	}
	for (i = 4; i < argc; i++) {
		if (emerg_ioc(&s, argv[i], ttl > 0 ? h.now + ttl : 0)) {
			fprintf(stderr, "nft-emerg: bad IOC '%s'\n", argv[i]);
			return 2;
		}
	}
	ret = nft_nl_emerg(&r, argv[1][0] == 'd');
	nft_cfg_free(&cfg);
	free(s.v);
	return ret ? 1 : 0;
}
