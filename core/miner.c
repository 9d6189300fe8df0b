/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `poolwall miner [--config FILE] [--cmdline STRING] [--pid PID
 * [--preserve DIR]] [--binary PATH] [--json]`
 *
 * Reads a miner's configuration, command line, running process or binary
 * with the parsers of the `xmrig` and `cmdline` feeds and prints what it
 * is pointed at as `ioc` lines (`url`, `wallet`, `hash`) with the logins,
 * algorithm and TLS as informational keys, so that
 * `poolwall miner --pid N | poolwall block -` blocks it.  Comments name
 * the miner and the malware family when the binary's name, its pools or
 * its wallets show one (the table below, from the shared IoC corpus).
 *
 * --pid reads /proc/PID/cmdline, /proc/PID/exe (its SHA-256, also when
 * the file was deleted), the config named by -c/--config and config.json
 * in the working directory and next to the binary, through
 * /proc/PID/root so a container's files are its own.  --preserve DIR
 * copies the evidence into a new DIR with a SHA-256 manifest.  Nothing is
 * ever written outside DIR, and no process is signalled.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../feeds/cmdline/cmdline-parse.h"
#include "../feeds/xmrig/xmrig-parse.h"
#include "compile.h"
#include "jsondump.h"
#include "log.h"
#include "miner.h"
#include "sha256.h"

#define MN_MAX_PARTS	16		/* configs and command lines */
#define MN_MAX_FILES	256		/* files preserved */
#define MN_MAX_ARGS	4096		/* words of /proc/PID/cmdline */
#define MN_MAX_PROC	(4ul << 20)	/* bytes of /proc/PID/cmdline */
#define MN_MAX_UNIT	(1ul << 20)	/* bytes of a unit or crontab */
#define MN_MAX_EMBED	16		/* pool URLs found in a binary */
#define MN_RUN		512		/* bytes kept of a string */

/* ---- malware families ---- */

enum mn_match { MM_NAME = 1, MM_HOST, MM_WALLET };

/*
 * What shows a family.  MM_NAME: the binary's or program's name starts
 * with it; MM_HOST: a pool host is it or below it; MM_WALLET: a login's
 * wallet is it.  Each entry names the file of the shared corpus
 * (../shared/corpus, see its PROVENANCE.md) that documents it.
 */
static const struct mn_family {
	const char *family;
	enum mn_match what;
	const char *pattern;
} mn_families[] = {
	/* Kinsing's miner name in public reporting (not in the corpus) */
	{ "Kinsing", MM_NAME, "kdevtmpfsi" },
	/* iocs/maltrail/elf_h2miner.txt: "Aliases: kinsing", /kinsing,
	   /kinsing2, /kinsing_aarch64 */
	{ "Kinsing", MM_NAME, "kinsing" },
	/* iocs/lacework/h2miner.csv: the "kinsing c2" addresses */
	{ "Kinsing", MM_HOST, "45.10.88.102" },
	{ "Kinsing", MM_HOST, "91.215.169.111" },
	{ "Kinsing", MM_HOST, "139.99.50.255" },
	{ "Kinsing", MM_HOST, "46.243.253.167" },
	{ "Kinsing", MM_HOST, "195.123.220.193" },
	/* iocs/lacework/CVE-2022-26134_IOCs.csv: "Kinsing" hosts */
	{ "Kinsing", MM_HOST, "185.191.32.198" },
	{ "Kinsing", MM_HOST, "195.2.79.26" },
	{ "Kinsing", MM_HOST, "185.87.48.183" },
	{ "Kinsing", MM_HOST, "185.154.53.140" },
	{ "Kinsing", MM_HOST, "212.22.77.79" },
	/* H2Miner's miner name in public reporting (not in the corpus) */
	{ "H2Miner", MM_NAME, "kthreaddi" },
	/* iocs/maltrail/elf_h2miner.txt: its download and C2 names */
	{ "H2Miner", MM_HOST, "zzhreceive.top" },
	{ "H2Miner", MM_HOST, "a-dog.top" },
	{ "H2Miner", MM_HOST, "en2an.top" },
	/* iocs/maltrail/sysrvhello_miner.txt ("Aliases: sysrv-hello,
	   z0miner") and iocs/lacework/sysrv_hello_iocs.csv */
	{ "Sysrv-hello", MM_NAME, "sysrv" },
	{ "Sysrv-hello", MM_HOST, "194.145.227.21" },
	{ "Sysrv-hello", MM_HOST, "31.210.20.181" },
	{ "Sysrv-hello", MM_HOST, "194.40.243.98" },
	{ "Sysrv-hello", MM_HOST, "31.42.177.123" },
	{ "Sysrv-hello", MM_HOST, "31.210.20.120" },
	{ "Sysrv-hello", MM_HOST, "185.239.242.71" },
	/* iocs/lacework/teamtnt.csv: "TeamTNT wallet" */
	{ "TeamTNT", MM_WALLET, "46EPFzvnX5GH61ejkPpNcRNm8kVjs8oHS9VwCkKRCrJX"
	  "27XEW2y1NPLfSa54DGHxqnKfzDUVW1jzBfekk3hrCVCmAUrFd3H" },
	/* iocs/maltrail/elf_teamtnt.txt */
	{ "TeamTNT", MM_HOST, "teamtnt.red" },
	{ "TeamTNT", MM_HOST, "borg.wtf" },
	{ "TeamTNT", MM_HOST, "htxreceive.top" },
	{ "TeamTNT", MM_HOST, "chimaera.cc" },
	{ "TeamTNT", MM_HOST, "letmaker.top" },
	{ "TeamTNT", MM_HOST, "c4kdeliver.top" },
	/* iocs/lacework/8220_pwnrig_tsunami.csv: PwnRig, its Monero
	   wallets (type Wallet) and domains */
	{ "8220 Gang", MM_NAME, "pwnrig" },
	{ "8220 Gang", MM_WALLET, "4B3M8rccB8hANDU91SyRdW9pL9PiDb1nyj8ZLZTriSN"
	  "GVpUViwNQuHaepy6QzDvvvwdLzb2zHtRyAaznc3vmbQPHDvL7bZB" },
	{ "8220 Gang", MM_WALLET, "46owoYY3C1X7CaYKctwZSdL2xq73sh3RHTi55ULSo3E"
	  "uNgWay2eDhop9dy1JuH59v7JPHH5tdi4WYAgCdNQQ3ksDHppLmPb" },
	{ "8220 Gang", MM_WALLET, "4Amn3rc3QyHLQmrCJRDdRiSmAKwkS9db2HneFe18RHH"
	  "MSnLquHaz6mxU4XgDiLv9MgJ1spAi5RPtPj5iaEx3YaR3KT846kg" },
	{ "8220 Gang", MM_WALLET, "4Am4XXTGm5oAZQ7ZsoPGMKafWrzwUhWadUTQCxepMNG"
	  "HR59KVPfv1K41RMN1fYYjVS3hUjibPWrXFCktjdii9BMtRoyeXWK" },
	{ "8220 Gang", MM_WALLET, "46iM99N18KTNafBX6X2KMP6GkmBSwLpHKfuNSuLuBvF"
	  "aVNd776wvp7jC1TMiP7t5HL2Bs2ngF1UND6rcEnkwRAsA9nhJ4KH" },
	{ "8220 Gang", MM_WALLET, "46xipGaoGayFaqb6NR7u7Yi1SyHPuNWp2aNRGGsq534"
	  "23HZGDT2hqcdDV9t9RhzftxJccxezn4BTYAj84X9pHCwLRMTxBF4" },
	{ "8220 Gang", MM_WALLET, "453eYj5FmHS83Sj2fTC1eHL5PLVdoHNZT4aFk5V7B4g"
	  "xUUg2MxaLedHHHTabiRLC5tMiJN5wV5wg6MJJX1Xv56Lz9qG9h5i" },
	{ "8220 Gang", MM_WALLET, "46VfQmxKRmjSsMRYux3r6qJvxwdVCmZfUFkPqt1uUfi"
	  "kSSy2wJFbcDzdX2ZuH4hDzs7xS8Nsy5orNTMtQUJADuavC2vV1Rp" },
	{ "8220 Gang", MM_WALLET, "46E9UkTFqALXNh2mSbA7WGDoa2i6h4WVgUgPVdT9Zdt"
	  "weLRvAhWmbvuY1dhEmfjHbsavKXo3eGf5ZRb4qJzFXLVHGYH4moQ" },
	{ "8220 Gang", MM_HOST, "givemexyz.in" },
	{ "8220 Gang", MM_HOST, "givemexyz.xyz" },
	{ "8220 Gang", MM_HOST, "thegov.win" },
	{ "8220 Gang", MM_HOST, "winscp.top" },
	{ "8220 Gang", MM_HOST, "pwndns.pw" },
	/* iocs/maltrail/m8220_miner.txt */
	{ "8220 Gang", MM_HOST, "apacheorg.top" },
	{ "8220 Gang", MM_HOST, "apacheorg.xyz" },
	{ "8220 Gang", MM_HOST, "192.210.200.66" },
	{ "8220 Gang", MM_HOST, "107.172.214.23" },
	/* iocs/maltrail/lemonduck_miner.txt */
	{ "LemonDuck", MM_HOST, "ackng.com" },
	{ "LemonDuck", MM_HOST, "amynx.com" },
	{ "LemonDuck", MM_HOST, "zz3r0.com" },
	{ "LemonDuck", MM_HOST, "zer2.com" },
	{ "LemonDuck", MM_HOST, "zer9g.com" },
	{ "LemonDuck", MM_HOST, "jdjdcjq.top" },
	{ "LemonDuck", MM_HOST, "sqlnetcat.com" },
	{ "LemonDuck", MM_HOST, "netcatkit.com" },
	{ "LemonDuck", MM_HOST, "hwqloan.com" },
	{ "LemonDuck", MM_HOST, "bb3u9.com" },
	/* iocs/maltrail/watchdog_miner.txt */
	{ "WatchDog", MM_HOST, "ipzse.com" },
	{ "WatchDog", MM_HOST, "py2web.store" },
	{ "WatchDog", MM_HOST, "gsearch.com.de" },
	{ "WatchDog", MM_HOST, "gengine.com.de" },
	{ "WatchDog", MM_HOST, "hearme.xyz" },
	{ "WatchDog", MM_HOST, "powreofwish.com" },
	{ "WatchDog", MM_HOST, "redislog.top" },
	/* iocs/unit42/postgresql-delivered-coinminer.json (PGMiner) and
	   iocs/maltrail/systemd_miner.txt */
	{ "PGMiner", MM_HOST,
	  "ojk5zra7b3yq32timb27n4qj5udk4w2l5kqn5ulhnugdscelttfhtoyd.onion" },
	{ "PGMiner", MM_HOST,
	  "nssnkct6udyyx6zlv4l6jhqr5jdf643shyerk246fs27ksrdehl2z3qd.onion" },
	{ "PGMiner", MM_HOST, "dreambusweduybcp.onion" },
};

#define MN_N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the run ---- */

struct mn_part {
	char *source;		/* where it was read, for people */
	struct pw_miner *m;
};

struct mn_pool {		/* one pool, merged over the parts */
	char url[PW_MINER_MAX_URL];
	char host[256];
	unsigned port;
	bool tls;
	const char *user, *wallet, *worker, *pass, *algo, *coin, *source;
	size_t wallet_len, worker_len;
	int nicehash;
};

struct mn_file {		/* a preserved file */
	char name[160];
	char sha[PW_SHA256_HEX];
	uint64_t size;
};

struct mn {
	const struct pw_global *g;
	bool json;
	long pid;		/* -1: no --pid */
	char proc[32];		/* /proc/PID */
	struct mn_part part[MN_MAX_PARTS];
	size_t n_part;
	char *exe;		/* the binary: /proc/PID/exe or --binary */
	bool deleted;
	char sha[PW_SHA256_HEX];	/* "" until hashed */
	uint64_t size;
	char *cwd;
	char *args;		/* /proc/PID/cmdline, NULs between words */
	size_t args_len;
	char *argv[MN_MAX_ARGS];
	size_t argc;
	char *configs[MN_MAX_PARTS];	/* config files read (open paths) */
	size_t n_configs;
	char *embedded[MN_MAX_EMBED];	/* pool URLs in the binary */
	size_t n_embedded;
	bool says_xmrig;	/* the binary's strings name XMRig */
	const char *family;
	char family_why[320];
	const char *kind;
	char kind_why[320];
	struct mn_pool *pools;
	size_t n_pools;
	const char *preserve;
	int dfd;		/* the preserve directory */
	struct mn_file files[MN_MAX_FILES];
	size_t n_files;
	FILE *info;		/* info.txt while preserving */
};

static void mn_usage(FILE *f)
{
	fputs("Usage: poolwall miner [--config FILE]... [--cmdline STRING]...\n"
	      "                      [--pid PID [--preserve DIR]] "
	      "[--binary PATH] [--json]\n"
	      "\n"
	      "Identify a miner (XMRig and its forks, xmr-stak, cpuminer; the\n"
	      "Kinsing, H2Miner, LemonDuck, Sysrv-hello, TeamTNT, WatchDog, "
	      "PGMiner\n"
	      "and 8220 families where its names, pools or wallets show it) "
	      "and\n"
	      "print its pools, wallets, logins, algorithm and binary SHA-256 "
	      "as\n"
	      "`ioc` lines that `poolwall block -` accepts.\n"
	      "\n"
	      "  --config FILE     an XMRig/xmrig-proxy config.json, xmr-stak\n"
	      "                    pools.txt or cpuminer config (- for stdin)\n"
	      "  --cmdline STRING  a command line (also a cron line, sh -c, "
	      "ExecStart=)\n"
	      "  --pid PID         a running process: /proc/PID/cmdline, exe, "
	      "the config\n"
	      "                    it names and config.json in its working "
	      "directory\n"
	      "                    and beside its binary; nothing is stopped\n"
	      "  --preserve DIR    with --pid: copy the binary (also when "
	      "deleted),\n"
	      "                    config, command line, environment, "
	      "working-directory\n"
	      "                    listing, and the crontab lines and systemd "
	      "units that\n"
	      "                    name it into the new DIR, with "
	      "MANIFEST.sha256\n"
	      "  --binary PATH     a miner binary: its SHA-256, name and "
	      "embedded pools\n"
	      "  --json            the same as JSON\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit: 0 something found, 1 error or nothing found, 2 usage.\n",
	      f);
}

/* ---- helpers ---- */

static char *mn_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		pw_msg(LOG_ERR, "miner: out of memory");
	return p;
}

static const char *mn_base(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

static bool mn_prefix_ci(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

/* host is pattern or a name below it */
static bool mn_host_in(const char *host, const char *pattern)
{
	size_t h = strlen(host), n = strlen(pattern);

	if (h == n)
		return !strcasecmp(host, pattern);
	return h > n && host[h - n - 1] == '.' &&
	       !strcasecmp(host + h - n, pattern);
}

static struct pw_miner *mn_part_new(struct mn *mn, const char *source)
{
	struct mn_part *p;

	if (mn->n_part == MN_MAX_PARTS) {
		pw_msg(LOG_ERR, "miner: more than %d configs and command lines",
		       MN_MAX_PARTS);
		return NULL;
	}
	p = &mn->part[mn->n_part];
	p->source = mn_strdup(source);
	p->m = pw_miner_new();
	if (!p->source || !p->m) {
		free(p->source);
		pw_miner_free(p->m);
		pw_msg(LOG_ERR, "miner: out of memory");
		return NULL;
	}
	mn->n_part++;
	return p->m;
}

/* ---- reading ---- */

static int mn_config(struct mn *mn, const char *open_path, const char *label,
		     bool quiet_missing)
{
	struct pw_miner *m;
	char err[512], *buf = NULL;
	size_t len;
	int ret;

	ret = pw_read_file(open_path, PW_MINER_MAX_CONFIG, &buf, &len, err,
			   sizeof(err));
	if (ret) {
		if (!(quiet_missing && ret == -ENOENT))
			pw_msg(LOG_WARNING, "miner: config %s: %s", label, err);
		return ret;
	}
	m = mn_part_new(mn, label);
	if (!m) {
		free(buf);
		return -ENOMEM;
	}
	ret = pw_miner_config_parse(m, buf, len);
	free(buf);
	if (ret)
		pw_msg(LOG_WARNING, "miner: config %s: %s", label, m->err);
	if (mn->n_configs < MN_MAX_PARTS) {
		mn->configs[mn->n_configs] = strdup(open_path);
		if (mn->configs[mn->n_configs])
			mn->n_configs++;
	}
	return ret;
}

static int mn_cmdline(struct mn *mn, const char *s, const char *label)
{
	struct pw_miner *m = mn_part_new(mn, label);
	int err;

	if (!m)
		return -ENOMEM;
	err = pw_miner_cmdline_parse(m, s, strlen(s), 1);
	if (err)
		pw_msg(LOG_ERR, "miner: command line: %s", strerror(-err));
	return err;
}

/* printable runs of a binary: pool URLs and the miner's name */
struct mn_scan {
	char run[MN_RUN + 1];
	size_t n;
	bool long_run;		/* the run went past MN_RUN */
};

static void mn_scan_run(struct mn *mn, struct mn_scan *sc)
{
	static const char *const schemes[] = {
		"stratum+tcp://", "stratum+ssl://", "stratum+tls://",
		"stratum1+tcp://", "stratum2+tcp://",
	};
	char *p, *e;
	size_t i;

	sc->run[sc->n] = '\0';
	if (strcasestr(sc->run, "xmrig"))
		mn->says_xmrig = true;
	for (i = 0; i < MN_N(schemes); i++) {
		p = strstr(sc->run, schemes[i]);
		if (!p || mn->n_embedded == MN_MAX_EMBED)
			continue;
		e = p + strlen(schemes[i]);
		e += strspn(e, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
			    "UVWXYZ0123456789.-_:[]");
		if (e == p + strlen(schemes[i]))
			continue;
		*e = '\0';
		mn->embedded[mn->n_embedded] = strdup(p);
		if (mn->embedded[mn->n_embedded])
			mn->n_embedded++;
		break;
	}
}

static void mn_scan(struct mn *mn, struct mn_scan *sc, const unsigned char *b,
		    size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f) {
			if (sc->n < MN_RUN)
				sc->run[sc->n++] = (char)b[i];
			else
				sc->long_run = true;
			continue;
		}
		if (sc->n >= 8)
			mn_scan_run(mn, sc);
		sc->n = 0;
		sc->long_run = false;
	}
}

/*
 * Read a file to its end: its SHA-256 into hex (and *size), a copy to
 * outfd when it is not -1, its strings to the scanner when sc is not NULL.
 */
static int mn_stream(struct mn *mn, const char *path, int outfd,
		     struct mn_scan *sc, char hex[PW_SHA256_HEX],
		     uint64_t *size)
{
	struct pw_sha256 c;
	uint8_t d[PW_SHA256_LEN];
	unsigned char buf[65536];
	ssize_t r, w, off;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	pw_sha256_init(&c);
	*size = 0;
	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		pw_sha256_update(&c, buf, (size_t)r);
		*size += (uint64_t)r;
		if (sc)
			mn_scan(mn, sc, buf, (size_t)r);
		for (off = 0; outfd >= 0 && off < r; off += w) {
			w = write(outfd, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				err = -errno;
				break;
			}
		}
		if (err)
			break;
	}
	close(fd);
	if (sc && sc->n >= 8)
		mn_scan_run(mn, sc);
	if (err)
		return err;
	pw_sha256_final(&c, d);
	pw_sha256_hex(d, hex);
	return 0;
}

/* the binary: its hash and the strings in it */
static int mn_binary(struct mn *mn, const char *open_path)
{
	struct mn_scan sc = { .n = 0 };
	int err;

	err = mn_stream(mn, open_path, -1, &sc, mn->sha, &mn->size);
	if (err) {
		pw_msg(LOG_WARNING, "miner: cannot read the binary %s: %s",
		       open_path, strerror(-err));
		mn->sha[0] = '\0';
	}
	return err;
}

static char *mn_readlink(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* a path as the process sees it, opened through /proc/PID */
static int mn_proc_path(const struct mn *mn, const char *path, char *out,
			size_t cap)
{
	int n;

	if (path[0] == '/')
		n = snprintf(out, cap, "%s/root%s", mn->proc, path);
	else
		n = snprintf(out, cap, "%s/cwd/%s", mn->proc, path);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static int mn_pid(struct mn *mn)
{
	char path[4200], label[4200], err[512], *dir;
	const char *cfg;
	size_t i, n;
	int ret;
	struct pw_miner *m;

	snprintf(mn->proc, sizeof(mn->proc), "/proc/%ld", mn->pid);
	snprintf(path, sizeof(path), "%s/cmdline", mn->proc);
	ret = pw_read_file(path, MN_MAX_PROC, &mn->args, &mn->args_len, err,
			   sizeof(err));
	if (ret) {
		pw_msg(LOG_ERR, "miner: pid %ld: %s", mn->pid, err);
		return ret;
	}
	if (!mn->args_len) {
		pw_msg(LOG_ERR, "miner: pid %ld has no command line (a kernel "
		       "thread, or a process that has exited)", mn->pid);
		return -ESRCH;
	}
	for (i = 0, n = 0; i < mn->args_len && n < MN_MAX_ARGS; n++) {
		mn->argv[n] = mn->args + i;
		i += strlen(mn->args + i) + 1;
	}
	mn->argc = n;
	snprintf(label, sizeof(label), "command line of pid %ld", mn->pid);
	m = mn_part_new(mn, label);
	if (!m)
		return -ENOMEM;
	ret = pw_miner_argv_parse(m, mn->argv, mn->argc, 1);
	if (ret)
		return ret;

	snprintf(path, sizeof(path), "%s/exe", mn->proc);
	mn->exe = mn_readlink(path);
	if (mn->exe) {
		n = strlen(mn->exe);
		if (n > 10 && !strcmp(mn->exe + n - 10, " (deleted)")) {
			mn->exe[n - 10] = '\0';
			mn->deleted = true;
		}
	} else {
		pw_msg(LOG_WARNING, "miner: pid %ld: cannot read its exe link: "
		       "%s", mn->pid, strerror(errno));
	}
	/* /proc/PID/exe reads the binary even when it was deleted */
	mn_binary(mn, path);
	snprintf(path, sizeof(path), "%s/cwd", mn->proc);
	mn->cwd = mn_readlink(path);

	/* the config it was given, then config.json where XMRig looks */
	cfg = m->config;
	if (cfg && !mn_proc_path(mn, cfg, path, sizeof(path)))
		mn_config(mn, path, path, false);
	snprintf(path, sizeof(path), "%s/cwd/config.json", mn->proc);
	if (!cfg || strcmp(cfg, "config.json"))
		mn_config(mn, path, path, true);
	if (mn->exe && !mn->deleted && mn->exe[0] == '/') {
		dir = strdup(mn->exe);
		if (dir) {
			*(char *)mn_base(dir) = '\0';
			if (!mn->cwd ||
			    strncmp(dir, mn->cwd, strlen(mn->cwd)) ||
			    strlen(dir) != strlen(mn->cwd) + 1) {
				snprintf(path, sizeof(path),
					 "%s/root%sconfig.json", mn->proc, dir);
				mn_config(mn, path, path, true);
			}
			free(dir);
		}
	}
	return 0;
}

/* ---- what it is ---- */

static void mn_family_set(struct mn *mn, const struct mn_family *f,
			  const char *what, const char *value)
{
	if (mn->family)
		return;
	mn->family = f->family;
	snprintf(mn->family_why, sizeof(mn->family_why), "%s %s", what, value);
}

static void mn_family_name(struct mn *mn, const char *name, const char *what)
{
	size_t i;

	for (i = 0; i < MN_N(mn_families) && !mn->family; i++)
		if (mn_families[i].what == MM_NAME &&
		    mn_prefix_ci(name, mn_families[i].pattern))
			mn_family_set(mn, &mn_families[i], what, name);
}

static void mn_identify(struct mn *mn)
{
	const struct pw_miner *m;
	const char *kind;
	size_t i, k;

	/* the family: names first, then pools and wallets */
	if (mn->exe)
		mn_family_name(mn, mn_base(mn->exe), "binary name");
	for (i = 0; i < mn->n_part && !mn->family; i++)
		if (mn->part[i].m->program)
			mn_family_name(mn, mn_base(mn->part[i].m->program),
				       "program name");
	for (i = 0; i < mn->n_pools && !mn->family; i++) {
		for (k = 0; k < MN_N(mn_families); k++) {
			const struct mn_family *f = &mn_families[k];

			if (f->what == MM_HOST &&
			    mn_host_in(mn->pools[i].host, f->pattern))
				mn_family_set(mn, f, "pool", mn->pools[i].host);
			else if (f->what == MM_WALLET && mn->pools[i].wallet &&
				 strlen(f->pattern) ==
					 mn->pools[i].wallet_len &&
				 !memcmp(f->pattern, mn->pools[i].wallet,
					 mn->pools[i].wallet_len))
				mn_family_set(mn, f, "wallet", f->pattern);
		}
	}

	/* the miner itself */
	if (mn->exe && pw_miner_program_kind(mn->exe, &kind) && kind) {
		mn->kind = kind;
		snprintf(mn->kind_why, sizeof(mn->kind_why), "binary name %s",
			 mn_base(mn->exe));
		return;
	}
	for (i = 0; i < mn->n_part; i++) {
		m = mn->part[i].m;
		if (m->kind) {
			mn->kind = m->kind;
			snprintf(mn->kind_why, sizeof(mn->kind_why), "%s%s%s",
				 m->kind_why, m->program ? " " : "",
				 m->program ? mn_base(m->program) : "");
			return;
		}
	}
	if (mn->says_xmrig) {
		mn->kind = "xmrig";
		snprintf(mn->kind_why, sizeof(mn->kind_why),
			 "strings in the binary");
	}
}

static const char *mn_kind_name(const char *kind)
{
	if (!strcmp(kind, "xmrig"))
		return "XMRig";
	if (!strcmp(kind, "xmrig-proxy"))
		return "xmrig-proxy";
	if (!strcmp(kind, "xmr-stak"))
		return "xmr-stak";
	if (!strcmp(kind, "cpuminer"))
		return "cpuminer";
	return kind;
}

/* merge the pools of every part: one entry per URL */
static int mn_collect(struct mn *mn)
{
	struct mn_pool *pools, *q;
	struct pw_murl u;
	const char *w, *rest;
	size_t i, k, j, total = 0, wlen, rlen;
	char url[PW_MINER_MAX_URL];
	int n;

	for (i = 0; i < mn->n_part; i++)
		total += mn->part[i].m->n_pools;
	pools = calloc(total ? total : 1, sizeof(*pools));
	if (!pools)
		return -ENOMEM;
	mn->pools = pools;
	for (i = 0; i < mn->n_part; i++) {
		const struct pw_miner *m = mn->part[i].m;

		for (k = 0; k < m->n_pools; k++) {
			const struct pw_mpool *p = &m->pools[k];

			if (pw_miner_pool_skip(p))
				continue;
			n = pw_miner_pool_url(p, url, sizeof(url));
			if (n < 0)
				continue;
			for (j = 0; j < mn->n_pools; j++)
				if (!strcmp(pools[j].url, url))
					break;
			q = &pools[j];
			if (j == mn->n_pools) {
				mn->n_pools++;
				memcpy(q->url, url, (size_t)n + 1);
				q->tls = pw_miner_pool_tls(p);
				q->nicehash = p->nicehash;
				q->source = mn->part[i].source;
				if (!pw_miner_split_url(url, &u)) {
					snprintf(q->host, sizeof(q->host),
						 "%.*s", (int)u.host_len,
						 u.host);
					q->port = u.port;
				}
			}
			if (!q->user && p->user) {
				q->user = p->user;
				if (pw_miner_login(p->user, &w, &wlen, &rest,
						   &rlen) == PW_ML_WALLET) {
					q->wallet = w;
					q->wallet_len = wlen;
					/* WALLET.worker+difficulty */
					if (rlen && rest[-1] != '+') {
						q->worker = rest;
						q->worker_len = strcspn(rest,
									"+");
					}
				}
			}
			if (!q->worker && p->rig_id && *p->rig_id) {
				q->worker = p->rig_id;
				q->worker_len = strlen(p->rig_id);
			}
			if (!q->pass && p->pass && *p->pass)
				q->pass = p->pass;
			if (!q->algo)
				q->algo = p->algo ? p->algo : m->algo;
			if (!q->coin)
				q->coin = p->coin ? p->coin : m->coin;
		}
	}
	return 0;
}

/* ---- printing ---- */

/* key=value for an ioc line: blanks, `%` and bytes outside ASCII as %XX */
static void mn_kv(FILE *f, const char *key, const char *v, size_t len)
{
	size_t i;

	fprintf(f, " %s=", key);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || c == '%')
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

static void mn_comment(FILE *f, const char *what, const char *s)
{
	size_t i;

	fprintf(f, "# %s: ", what);
	for (i = 0; s[i]; i++)
		fputc(s[i] == '\n' || s[i] == '\r' ? ' ' : s[i], f);
	fputc('\n', f);
}

static bool mn_wallet_seen(const struct mn *mn, size_t upto,
			   const struct mn_pool *p)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (mn->pools[i].wallet &&
		    mn->pools[i].wallet_len == p->wallet_len &&
		    !memcmp(mn->pools[i].wallet, p->wallet, p->wallet_len))
			return true;
	return false;
}

static void mn_print_skips(const struct mn *mn, FILE *f)
{
	size_t i, k;

	for (i = 0; i < mn->n_part; i++) {
		const struct pw_miner *m = mn->part[i].m;

		for (k = 0; k < m->n_pools; k++) {
			const struct pw_mpool *p = &m->pools[k];
			const char *why = pw_miner_pool_skip(p);

			if (!why)
				continue;
			fprintf(f, "# not an indicator (%s): %s%s%s, %s line "
				"%u\n", why, p->url ? p->url : "",
				p->role == PW_MROLE_LISTEN ? " (listens)" : "",
				"", mn->part[i].source, p->line);
		}
	}
}

static int mn_print_ioc(const struct mn *mn)
{
	FILE *f = stdout;
	size_t i, found = 0;
	char line[64];

	fprintf(f, "# poolwall miner %s\n", PACKAGE_VERSION);
	if (mn->pid >= 0) {
		snprintf(line, sizeof(line), "pid %ld", mn->pid);
		mn_comment(f, "process", line);
	}
	if (mn->exe)
		fprintf(f, "# binary: %s%s\n", mn->exe,
			mn->deleted ? " (deleted from disk)" : "");
	if (mn->cwd)
		mn_comment(f, "working directory", mn->cwd);
	for (i = 0; i < mn->n_part; i++)
		mn_comment(f, "read", mn->part[i].source);
	for (i = 0; i < mn->n_part; i++)
		if (mn->part[i].m->config && mn->pid < 0)
			mn_comment(f, "config named on the command line "
				   "(read it with --config)",
				   mn->part[i].m->config);
	if (mn->kind)
		fprintf(f, "# miner: %s (matched: %s)\n",
			mn_kind_name(mn->kind), mn->kind_why);
	if (mn->family)
		fprintf(f, "# family: %s (matched: %s)\n", mn->family,
			mn->family_why);
	for (i = 0; i < mn->n_pools; i++) {
		const struct mn_pool *p = &mn->pools[i];

		fprintf(f, "url %s", p->url);
		if (p->host[0])
			mn_kv(f, "host", p->host, strlen(p->host));
		if (p->port)
			fprintf(f, " port=%u", p->port);
		fprintf(f, " tls=%s", p->tls ? "yes" : "no");
		if (p->algo)
			mn_kv(f, "algo", p->algo, strlen(p->algo));
		if (p->coin)
			mn_kv(f, "coin", p->coin, strlen(p->coin));
		if (p->user && !p->wallet)
			mn_kv(f, "user", p->user, strlen(p->user));
		if (p->worker)
			mn_kv(f, "worker", p->worker, p->worker_len);
		if (p->pass)
			mn_kv(f, "pass", p->pass, strlen(p->pass));
		fputc('\n', f);
		found++;
	}
	for (i = 0; i < mn->n_pools; i++) {
		const struct mn_pool *p = &mn->pools[i];

		if (!p->wallet || mn_wallet_seen(mn, i, p))
			continue;
		fprintf(f, "wallet %.*s", (int)p->wallet_len, p->wallet);
		if (p->coin)
			mn_kv(f, "coin", p->coin, strlen(p->coin));
		fputc('\n', f);
		found++;
	}
	if (mn->sha[0]) {
		fprintf(f, "hash %s type=sha256\n", mn->sha);
		found++;
	}
	mn_print_skips(mn, f);
	return found ? 0 : -ENOENT;
}

/* a JSON string of what a process or a file gave: not always UTF-8 */
static json_t *mn_jstr(const char *s, size_t len)
{
	json_t *j;
	char *c;
	size_t i;

	if (!s)
		return json_null();
	j = json_stringn(s, len);
	if (j)
		return j;
	c = malloc(len + 1);
	if (!c)
		return NULL;
	for (i = 0; i < len; i++)
		c[i] = (unsigned char)s[i] < 0x80 && s[i] ? s[i] : '?';
	j = json_stringn(c, len);
	free(c);
	return j;
}

static json_t *mn_jstrz(const char *s)
{
	return mn_jstr(s, s ? strlen(s) : 0);
}

static int mn_print_json(const struct mn *mn)
{
	json_t *o = json_object(), *pools = json_array();
	json_t *wallets = json_array(), *skipped = json_array();
	json_t *srcs = json_array(), *j;
	size_t i, k, found = 0;
	char *s;

	if (!o || !pools || !wallets || !skipped || !srcs)
		goto nomem;
	if (mn->pid >= 0)
		json_object_set_new(o, "pid", json_integer(mn->pid));
	if (mn->argc) {
		j = json_array();
		for (i = 0; j && i < mn->argc; i++)
			json_array_append_new(j, mn_jstrz(mn->argv[i]));
		json_object_set_new(o, "cmdline", j);
	}
	if (mn->cwd)
		json_object_set_new(o, "cwd", mn_jstrz(mn->cwd));
	if (mn->exe || mn->sha[0]) {
		j = json_object();
		if (j && mn->exe)
			json_object_set_new(j, "path",
					    mn_jstrz(mn->exe));
		if (j)
			json_object_set_new(j, "deleted",
					    json_boolean(mn->deleted));
		if (j && mn->sha[0]) {
			json_object_set_new(j, "sha256",
					    json_string(mn->sha));
			json_object_set_new(j, "size",
					    json_integer((json_int_t)mn->size));
			found++;
		}
		json_object_set_new(o, "binary", j);
	}
	for (i = 0; i < mn->n_part; i++)
		json_array_append_new(srcs, mn_jstrz(mn->part[i].source));
	json_object_set_new(o, "sources", srcs);
	srcs = NULL;
	if (mn->kind)
		json_object_set_new(o, "miner", json_pack("{s:s, s:o}",
				    "name", mn_kind_name(mn->kind), "matched",
				    mn_jstrz(mn->kind_why)));
	if (mn->family)
		json_object_set_new(o, "family", json_pack("{s:s, s:o}",
				    "name", mn->family, "matched",
				    mn_jstrz(mn->family_why)));
	for (i = 0; i < mn->n_pools; i++) {
		const struct mn_pool *p = &mn->pools[i];

		j = json_object();
		if (!j)
			goto nomem;
		json_object_set_new(j, "url", mn_jstrz(p->url));
		json_object_set_new(j, "host", mn_jstrz(p->host));
		json_object_set_new(j, "port", p->port ? json_integer(p->port) :
						json_null());
		json_object_set_new(j, "tls", json_boolean(p->tls));
		json_object_set_new(j, "user", mn_jstr(p->user, p->user ?
						     strlen(p->user) : 0));
		json_object_set_new(j, "wallet", mn_jstr(p->wallet,
							 p->wallet_len));
		json_object_set_new(j, "worker", mn_jstr(p->worker,
							 p->worker_len));
		json_object_set_new(j, "pass", mn_jstr(p->pass, p->pass ?
						     strlen(p->pass) : 0));
		json_object_set_new(j, "algo", mn_jstr(p->algo, p->algo ?
						     strlen(p->algo) : 0));
		json_object_set_new(j, "coin", mn_jstr(p->coin, p->coin ?
						     strlen(p->coin) : 0));
		if (p->nicehash >= 0)
			json_object_set_new(j, "nicehash",
					    json_boolean(p->nicehash));
		json_object_set_new(j, "source",
				    mn_jstrz(p->source));
		json_array_append_new(pools, j);
		found++;
		if (p->wallet && !mn_wallet_seen(mn, i, p))
			json_array_append_new(wallets, mn_jstr(p->wallet,
							      p->wallet_len));
	}
	for (i = 0; i < mn->n_part; i++) {
		const struct pw_miner *m = mn->part[i].m;

		for (k = 0; k < m->n_pools; k++) {
			const char *why = pw_miner_pool_skip(&m->pools[k]);

			if (!why)
				continue;
			json_array_append_new(skipped, json_pack(
				"{s:o, s:s, s:s, s:o, s:i}", "value",
				mn_jstrz(m->pools[k].url ? m->pools[k].url :
							   ""),
				"reason", why, "role",
				m->pools[k].role == PW_MROLE_LISTEN ? "listen" :
								      "pool",
				"source", mn_jstrz(mn->part[i].source), "line",
				(int)m->pools[k].line));
		}
	}
	json_object_set_new(o, "pools", pools);
	json_object_set_new(o, "wallets", wallets);
	json_object_set_new(o, "skipped", skipped);
	pools = wallets = skipped = NULL;
	if (mn->preserve) {
		j = json_array();
		for (i = 0; j && i < mn->n_files; i++)
			json_array_append_new(j, json_pack("{s:o, s:s, s:I}",
				"name", mn_jstrz(mn->files[i].name), "sha256",
				mn->files[i].sha, "size",
				(json_int_t)mn->files[i].size));
		json_object_set_new(o, "preserved", json_pack("{s:o, s:o}",
				    "dir", mn_jstrz(mn->preserve), "files", j));
	}
	s = pw_json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		goto nomem;
	puts(s);
	free(s);
	json_decref(o);
	return found ? 0 : -ENOENT;
nomem:
	json_decref(o);
	json_decref(pools);
	json_decref(wallets);
	json_decref(skipped);
	json_decref(srcs);
	pw_msg(LOG_ERR, "miner: out of memory");
	return -ENOMEM;
}

/* ---- preserving ---- */

/* the system's files, under POOLWALL_MINER_ROOT when the tests set it */
static int mn_sys(char *out, size_t cap, const char *path)
{
	const char *root = getenv("POOLWALL_MINER_ROOT");
	int n = snprintf(out, cap, "%s%s", root ? root : "", path);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static int mn_create(struct mn *mn, const char *name)
{
	int fd = openat(mn->dfd, name, O_WRONLY | O_CREAT | O_EXCL |
			O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		pw_msg(LOG_ERR, "miner: preserve: cannot create %s/%s: %s",
		       mn->preserve, name, strerror(errno));
	return fd;
}

static struct mn_file *mn_file_add(struct mn *mn, const char *name)
{
	struct mn_file *f;

	if (mn->n_files == MN_MAX_FILES)
		return NULL;
	f = &mn->files[mn->n_files++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

/* copy src into DIR/name, hashing what was copied */
static int mn_copy(struct mn *mn, const char *src, const char *name,
		   const char *what)
{
	struct mn_file *f;
	int fd, err;

	if (mn->n_files == MN_MAX_FILES)
		return -ENOSPC;
	fd = mn_create(mn, name);
	if (fd < 0)
		return -errno;
	f = mn_file_add(mn, name);
	err = f ? mn_stream(mn, src, fd, NULL, f->sha, &f->size) : -ENOSPC;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		if (f)
			mn->n_files--;
		unlinkat(mn->dfd, name, 0);
		fprintf(mn->info, "%s: %s: not copied: %s\n", what, src,
			strerror(-err));
		pw_msg(LOG_WARNING, "miner: preserve: %s (%s): %s", what, src,
		       strerror(-err));
		return err;
	}
	fprintf(mn->info, "%s: %s -> %s (%" PRIu64 " bytes)\n", what, src,
		name, f->size);
	return 0;
}

/* write buf to DIR/name and hash it */
static int mn_write(struct mn *mn, const char *name, const char *buf,
		    size_t len)
{
	struct mn_file *f;
	uint8_t d[PW_SHA256_LEN];
	size_t off = 0;
	ssize_t w;
	int fd, err = 0;

	if (mn->n_files == MN_MAX_FILES)
		return -ENOSPC;
	fd = mn_create(mn, name);
	if (fd < 0)
		return -errno;
	while (off < len) {
		w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err = -errno;
			break;
		}
		off += (size_t)w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		pw_msg(LOG_ERR, "miner: preserve: writing %s: %s", name,
		       strerror(-err));
		return err;
	}
	f = mn_file_add(mn, name);
	if (!f)
		return -ENOSPC;
	pw_sha256(buf, len, d);
	pw_sha256_hex(d, f->sha);
	f->size = len;
	return 0;
}

/* an `ls -la` of the working directory, without following links */
static int mn_listing(struct mn *mn, const char *dir, char **out,
		      size_t *outlen)
{
	char *buf = NULL, *nb, tbuf[32], link[4096];
	size_t len = 0, cap = 0;
	struct dirent *de;
	struct stat sb;
	struct tm tm;
	DIR *d;
	int dfd, n;
	ssize_t ln;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW))
			continue;
		gmtime_r(&sb.st_mtime, &tm);
		strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		link[0] = '\0';
		if (S_ISLNK(sb.st_mode)) {
			ln = readlinkat(dfd, de->d_name, link,
					sizeof(link) - 1);
			link[ln > 0 ? ln : 0] = '\0';
		}
		if (cap - len < 8192) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				closedir(d);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = snprintf(buf + len, cap - len,
			     "%06o %5ju %5ju %12jd %s %s%s%.4000s\n",
			     (unsigned)sb.st_mode, (uintmax_t)sb.st_uid,
			     (uintmax_t)sb.st_gid, (intmax_t)sb.st_size, tbuf,
			     de->d_name, link[0] ? " -> " : "", link);
		if (n > 0 && (size_t)n < cap - len)
			len += (size_t)n;
	}
	closedir(d);
	*out = buf;
	*outlen = len;
	return 0;
}

struct mn_needles {
	const char *s[MN_MAX_EMBED + 64];
	size_t n;
};

static void mn_needle(struct mn_needles *nd, const char *s)
{
	static const char *const common[] = {
		"sh", "bash", "dash", "busybox", "python", "python2", "python3",
		"perl", "ruby", "node", "java", "sleep",
	};
	size_t i;

	if (!s || strlen(s) < 5 || nd->n == MN_N(nd->s))
		return;
	for (i = 0; i < MN_N(common); i++)
		if (!strcmp(mn_base(s), common[i]))
			return;
	for (i = 0; i < nd->n; i++)
		if (!strcmp(nd->s[i], s))
			return;
	nd->s[nd->n++] = s;
}

/* what names this miner: its binary and program, its pools and wallets */
static void mn_needles(const struct mn *mn, struct mn_needles *nd,
		       char wallets[][129], size_t nw)
{
	size_t i, k = 0;

	nd->n = 0;
	if (mn->exe) {
		mn_needle(nd, mn->exe);
		mn_needle(nd, mn_base(mn->exe));
	}
	for (i = 0; i < mn->n_part; i++)
		if (mn->part[i].m->program &&
		    !strpbrk(mn->part[i].m->program, " \t")) {
			mn_needle(nd, mn->part[i].m->program);
			mn_needle(nd, mn_base(mn->part[i].m->program));
		}
	for (i = 0; i < mn->n_pools; i++) {
		mn_needle(nd, mn->pools[i].host);
		if (mn->pools[i].wallet && k < nw &&
		    mn->pools[i].wallet_len < 129) {
			snprintf(wallets[k], 129, "%.*s",
				 (int)mn->pools[i].wallet_len,
				 mn->pools[i].wallet);
			mn_needle(nd, wallets[k++]);
		}
	}
}

static const char *mn_mentions(const struct mn_needles *nd, const char *s,
			       size_t len)
{
	size_t i;

	for (i = 0; i < nd->n; i++)
		if (memmem(s, len, nd->s[i], strlen(nd->s[i])))
			return nd->s[i];
	return NULL;
}

/* crontab lines that name the miner, as FILE:LINE: TEXT */
static void mn_cron_file(const struct mn_needles *nd, const char *path,
			 const char *shown, FILE *out, unsigned *hits)
{
	char err[256], *buf = NULL, *p, *e;
	size_t len;
	unsigned line = 0;

	if (pw_read_file(path, MN_MAX_UNIT, &buf, &len, err, sizeof(err)))
		return;
	for (p = buf; p < buf + len; p = e + 1) {
		e = memchr(p, '\n', (size_t)(buf + len - p));
		if (!e)
			e = buf + len;
		line++;
		if (mn_mentions(nd, p, (size_t)(e - p))) {
			fprintf(out, "%s:%u: %.*s\n", shown, line,
				(int)(e - p), p);
			(*hits)++;
		}
	}
	free(buf);
}

static void mn_cron_dir(const struct mn_needles *nd, const char *dir,
			FILE *out, unsigned *hits)
{
	char path[4200], shown[4200];
	struct dirent *de;
	DIR *d;

	if (mn_sys(path, sizeof(path), dir))
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(shown, sizeof(shown), "%s/%s", dir, de->d_name);
		if (!mn_sys(path, sizeof(path), shown))
			mn_cron_file(nd, path, shown, out, hits);
	}
	closedir(d);
}

static int mn_crontabs(struct mn *mn, const struct mn_needles *nd)
{
	static const char *const dirs[] = {
		"/etc/cron.d", "/var/spool/cron", "/var/spool/cron/crontabs",
		"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
		"/etc/cron.monthly",
	};
	char path[4200], *buf = NULL;
	size_t len = 0, i;
	unsigned hits = 0;
	FILE *out;
	int err;

	out = open_memstream(&buf, &len);
	if (!out)
		return -ENOMEM;
	if (!mn_sys(path, sizeof(path), "/etc/crontab"))
		mn_cron_file(nd, path, "/etc/crontab", out, &hits);
	for (i = 0; i < MN_N(dirs); i++)
		mn_cron_dir(nd, dirs[i], out, &hits);
	if (fclose(out)) {
		free(buf);
		return -ENOMEM;
	}
	fprintf(mn->info, "crontab: %u line(s) name the miner\n", hits);
	err = hits ? mn_write(mn, "crontab.txt", buf, len) : 0;
	free(buf);
	return err;
}

static void mn_units_dir(struct mn *mn, const struct mn_needles *nd,
			 const char *dir, unsigned depth, unsigned *hits)
{
	char path[4200], shown[4200], name[160], err[256], *buf;
	const char *hit;
	struct dirent *de;
	struct stat sb;
	size_t len, i;
	DIR *d;

	if (mn_sys(path, sizeof(path), dir))
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(shown, sizeof(shown), "%s/%s", dir, de->d_name);
		if (mn_sys(path, sizeof(path), shown) ||
		    lstat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (depth < 2)
				mn_units_dir(mn, nd, shown, depth + 1, hits);
			continue;
		}
		/* units, drop-ins and timers; a link in *.wants is read
		   where it points */
		if (!S_ISREG(sb.st_mode) ||
		    !(strstr(de->d_name, ".service") ||
		      strstr(de->d_name, ".timer") ||
		      strstr(de->d_name, ".conf")))
			continue;
		if (pw_read_file(path, MN_MAX_UNIT, &buf, &len, err,
				 sizeof(err)))
			continue;
		hit = mn_mentions(nd, buf, len);
		if (hit && mn->n_files < MN_MAX_FILES) {
			/* systemd/etc_systemd_system_x.service */
			snprintf(name, sizeof(name), "systemd/%.140s",
				 shown + 1);
			for (i = 8; name[i]; i++)
				if (name[i] == '/')
					name[i] = '_';
			if (!mn_write(mn, name, buf, len)) {
				fprintf(mn->info, "systemd: %s names %s -> "
					"%s\n", shown, hit, name);
				(*hits)++;
			}
		}
		free(buf);
	}
	closedir(d);
}

static int mn_units(struct mn *mn, const struct mn_needles *nd)
{
	static const char *const dirs[] = {
		"/etc/systemd/system", "/run/systemd/system",
		"/lib/systemd/system", "/usr/lib/systemd/system",
		"/etc/systemd/user", "/usr/lib/systemd/user",
		"/root/.config/systemd/user",
	};
	unsigned hits = 0;
	size_t i;

	if (mkdirat(mn->dfd, "systemd", 0700))
		return -errno;
	for (i = 0; i < MN_N(dirs); i++)
		mn_units_dir(mn, nd, dirs[i], 0, &hits);
	fprintf(mn->info, "systemd: %u unit file(s) name the miner\n", hits);
	if (!hits)
		unlinkat(mn->dfd, "systemd", AT_REMOVEDIR);
	return 0;
}

static int mn_dir(struct mn *mn)
{
	struct dirent *de;
	DIR *d;

	if (!mkdir(mn->preserve, 0700))
		goto open;
	if (errno != EEXIST) {
		pw_msg(LOG_ERR, "miner: preserve: cannot create %s: %s",
		       mn->preserve, strerror(errno));
		return -errno;
	}
	/* never mix two collections */
	d = opendir(mn->preserve);
	if (!d) {
		pw_msg(LOG_ERR, "miner: preserve: %s: %s", mn->preserve,
		       strerror(errno));
		return -errno;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			break;
	closedir(d);
	if (de) {
		pw_msg(LOG_ERR, "miner: preserve: %s is not empty; give a new "
		       "directory", mn->preserve);
		return -EEXIST;
	}
open:
	mn->dfd = open(mn->preserve, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		       O_NOFOLLOW);
	if (mn->dfd < 0) {
		pw_msg(LOG_ERR, "miner: preserve: %s: %s", mn->preserve,
		       strerror(errno));
		return -errno;
	}
	return 0;
}

static int mn_preserve(struct mn *mn)
{
	char path[4200], name[64], *buf = NULL, *info = NULL, ts[32];
	char wallets[MN_MAX_EMBED + 16][129];
	struct mn_needles nd;
	size_t len = 0, ilen = 0, i;
	FILE *man = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int err;

	err = mn_dir(mn);
	if (err)
		return err;
	mn->info = open_memstream(&info, &ilen);
	if (!mn->info) {
		err = -ENOMEM;
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(mn->info, "poolwall miner %s --preserve\npid: %ld\ntime: "
		"%s\nbinary: %s%s\ncwd: %s\n", PACKAGE_VERSION, mn->pid, ts,
		mn->exe ? mn->exe : "(unknown)",
		mn->deleted ? " (deleted from disk)" : "",
		mn->cwd ? mn->cwd : "(unknown)");
	if (mn->sha[0])
		fprintf(mn->info, "binary sha256: %s\n", mn->sha);

	snprintf(path, sizeof(path), "%s/exe", mn->proc);
	mn_copy(mn, path, "exe", "binary");
	snprintf(path, sizeof(path), "%s/cmdline", mn->proc);
	mn_copy(mn, path, "cmdline", "command line");
	snprintf(path, sizeof(path), "%s/environ", mn->proc);
	mn_copy(mn, path, "environ", "environment");
	snprintf(path, sizeof(path), "%s/status", mn->proc);
	mn_copy(mn, path, "status", "status");
	for (i = 0; i < mn->n_configs; i++) {
		snprintf(name, sizeof(name), "config-%zu-%.32s", i + 1,
			 mn_base(mn->configs[i]));
		mn_copy(mn, mn->configs[i], name, "config");
	}
	snprintf(path, sizeof(path), "%s/cwd", mn->proc);
	err = mn_listing(mn, path, &buf, &len);
	if (!err) {
		mn_write(mn, "cwd.txt", buf, len);
		fprintf(mn->info, "working directory listing: %s -> cwd.txt\n",
			mn->cwd ? mn->cwd : path);
	} else {
		fprintf(mn->info, "working directory: not listed: %s\n",
			strerror(-err));
	}
	free(buf);
	buf = NULL;
	mn_needles(mn, &nd, wallets, MN_N(wallets));
	for (i = 0; i < nd.n; i++)
		fprintf(mn->info, "searched for: %s\n", nd.s[i]);
	mn_crontabs(mn, &nd);
	mn_units(mn, &nd);
	if (fclose(mn->info)) {
		mn->info = NULL;
		err = -ENOMEM;
		goto out;
	}
	mn->info = NULL;
	err = mn_write(mn, "info.txt", info, ilen);
	if (err)
		goto out;

	/* sha256sum -c MANIFEST.sha256 checks it */
	man = open_memstream(&buf, &len);
	if (!man) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < mn->n_files; i++)
		fprintf(man, "%s  %s\n", mn->files[i].sha, mn->files[i].name);
	if (fclose(man)) {
		err = -ENOMEM;
		goto out;
	}
	err = mn_write(mn, "MANIFEST.sha256", buf, len);
	if (!err)
		mn->n_files--;	/* the manifest does not list itself */
	if (!err && fsync(mn->dfd))
		err = -errno;
	if (!err)
		pw_msg(LOG_NOTICE, "miner: preserved %zu files in %s "
		       "(MANIFEST.sha256)", mn->n_files, mn->preserve);
out:
	if (mn->info)
		fclose(mn->info);
	mn->info = NULL;
	free(info);
	free(buf);
	close(mn->dfd);
	mn->dfd = -1;
	return err;
}

/* ---- the command ---- */

static void mn_free(struct mn *mn)
{
	size_t i;

	for (i = 0; i < mn->n_part; i++) {
		free(mn->part[i].source);
		pw_miner_free(mn->part[i].m);
	}
	for (i = 0; i < mn->n_configs; i++)
		free(mn->configs[i]);
	for (i = 0; i < mn->n_embedded; i++)
		free(mn->embedded[i]);
	free(mn->pools);
	free(mn->exe);
	free(mn->cwd);
	free(mn->args);
}

static int mn_parse_pid(const char *s, long *pid)
{
	char *end;

	errno = 0;
	*pid = strtol(s, &end, 10);
	return errno || *end || end == s || *pid <= 0 ? -EINVAL : 0;
}

int pw_cmd_miner(const struct pw_global *g, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "cmdline", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'p' },
		{ "binary", required_argument, NULL, 'b' },
		{ "preserve", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *configs[MN_MAX_PARTS], *cmdlines[MN_MAX_PARTS];
	const char *binary = NULL;
	size_t n_configs = 0, n_cmdlines = 0, i;
	struct mn *mn;
	int opt, err, ret = PW_EXIT_ERROR;
	char label[4200];
	struct pw_miner *m;

	mn = calloc(1, sizeof(*mn));
	if (!mn) {
		pw_msg(LOG_ERR, "miner: out of memory");
		return PW_EXIT_ERROR;
	}
	mn->g = g;
	mn->json = g->json;
	mn->pid = -1;
	mn->dfd = -1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'C':
			if ((opt == 'c' ? n_configs : n_cmdlines) ==
			    MN_MAX_PARTS / 2) {
				pw_msg(LOG_ERR, "miner: too many --%s",
				       opt == 'c' ? "config" : "cmdline");
				ret = PW_EXIT_USAGE;
				goto out;
			}
			if (opt == 'c')
				configs[n_configs++] = optarg;
			else
				cmdlines[n_cmdlines++] = optarg;
			break;
		case 'p':
			if (mn_parse_pid(optarg, &mn->pid)) {
				pw_msg(LOG_ERR, "miner: --pid '%s': not a "
				       "process id", optarg);
				ret = PW_EXIT_USAGE;
				goto out;
			}
			break;
		case 'b':
			binary = optarg;
			break;
		case 'P':
			mn->preserve = optarg;
			break;
		case 'j':
			mn->json = true;
			break;
		case 'h':
			mn_usage(stdout);
			ret = PW_EXIT_OK;
			goto out;
		default:
			mn_usage(stderr);
			ret = PW_EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		pw_msg(LOG_ERR, "miner: unexpected argument '%s'",
		       argv[optind]);
		mn_usage(stderr);
		ret = PW_EXIT_USAGE;
		goto out;
	}
	if (!n_configs && !n_cmdlines && mn->pid < 0 && !binary) {
		pw_msg(LOG_ERR, "miner: give --config, --cmdline, --pid or "
		       "--binary");
		mn_usage(stderr);
		ret = PW_EXIT_USAGE;
		goto out;
	}
	if (mn->preserve && mn->pid < 0) {
		pw_msg(LOG_ERR, "miner: --preserve needs --pid");
		ret = PW_EXIT_USAGE;
		goto out;
	}
	if (mn->pid >= 0 && binary) {
		pw_msg(LOG_ERR, "miner: --binary and --pid: the process's "
		       "binary is /proc/PID/exe");
		ret = PW_EXIT_USAGE;
		goto out;
	}

	if (mn->pid >= 0 && mn_pid(mn))
		goto out;
	for (i = 0; i < n_cmdlines; i++)
		if (mn_cmdline(mn, cmdlines[i], n_cmdlines > 1 ?
			       "command line (--cmdline)" : "command line"))
			goto out;
	for (i = 0; i < n_configs; i++)
		mn_config(mn, configs[i], strcmp(configs[i], "-") ?
			  configs[i] : "stdin", false);
	if (binary) {
		mn->exe = strdup(binary);
		if (!mn->exe || mn_binary(mn, binary))
			goto out;
	}
	if (mn->n_embedded) {
		snprintf(label, sizeof(label), "strings of the binary %s",
			 mn->exe ? mn->exe : "");
		m = mn_part_new(mn, label);
		for (i = 0; m && i < mn->n_embedded; i++) {
			struct pw_mpool *p;

			if (pw_miner_add(m, PW_MROLE_POOL, 1, &p) ||
			    pw_miner_set(&p->url, mn->embedded[i],
					 strlen(mn->embedded[i])))
				break;
		}
	}
	if (mn_collect(mn)) {
		pw_msg(LOG_ERR, "miner: out of memory");
		goto out;
	}
	mn_identify(mn);
	if (mn->preserve && mn_preserve(mn))
		goto out;
	err = mn->json ? mn_print_json(mn) : mn_print_ioc(mn);
	if (fflush(stdout)) {
		pw_msg(LOG_ERR, "miner: writing the result: %s",
		       strerror(errno));
		goto out;
	}
	if (err == -ENOENT)
		pw_msg(LOG_NOTICE, "miner: no pool, wallet or binary found");
	ret = err ? PW_EXIT_ERROR : PW_EXIT_OK;
out:
	mn_free(mn);
	free(mn);
	return ret;
}
