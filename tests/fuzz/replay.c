/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay inputs through a fuzz target without libFuzzer, so that plain
 * `make check` keeps every harness building and every seed and saved
 * crash passing:
 *
 *	fuzz-NAME FILE|DIR...
 *
 * A directory stands for its files (sorted, dot files left out).  Each
 * input is one TAP test point; a crash ends the run, which the caller
 * (replay.sh) reports.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_INPUT (16ul << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned replay_n, replay_failed;

static void replay_result(int ok, const char *path, const char *why)
{
	printf("%sok %u - %s%s%s\n", ok ? "" : "not ", ++replay_n, path,
	       why ? ": " : "", why ? why : "");
	fflush(stdout);
	if (!ok)
		replay_failed++;
}

/* read the whole file into a buffer of exactly its size */
static int replay_read(const char *path, uint8_t **bufp, size_t *lenp)
{
	uint8_t *buf = NULL;
	struct stat sb;
	size_t len;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &sb)) {
		err = -errno;
		goto out;
	}
	if (sb.st_size < 0 ||
	    (unsigned long long)sb.st_size > REPLAY_MAX_INPUT) {
		err = -EFBIG;
		goto out;
	}
	len = (size_t)sb.st_size;
	buf = malloc(len ? len : 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	if (len && fread(buf, 1, len, f) != len) {
		err = -EIO;
		goto out;
	}
	*bufp = buf;
	*lenp = len;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return err;
}

static void replay_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	err = replay_read(path, &buf, &len);
	if (err) {
		replay_result(0, path, strerror(-err));
		return;
	}
	printf("# %s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	replay_result(1, path, NULL);
}

static int replay_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void replay_dir(const char *dir)
{
	struct dirent **names = NULL;
	size_t need;
	char *path;
	int i, n;

	n = scandir(dir, &names, replay_visible, alphasort);
	if (n < 0) {
		replay_result(0, dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		need = strlen(dir) + strlen(names[i]->d_name) + 2;
		path = malloc(need);
		if (!path) {
			replay_result(0, names[i]->d_name, strerror(ENOMEM));
		} else if ((size_t)snprintf(path, need, "%s/%s", dir,
					    names[i]->d_name) >= need) {
			replay_result(0, names[i]->d_name, "path too long");
			free(path);
		} else {
			replay_file(path);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	struct stat sb;
	int i;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb)) {
			replay_result(0, argv[i], strerror(errno));
			continue;
		}
		if (S_ISDIR(sb.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("1..%u\n", replay_n);
	return replay_failed ? 1 : 0;
}
