/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink.h"

#define SINK_BUF (64u * 1024u)

struct pw_sink {
	int fd;
	char *path;		/* target; NULL for stdout */
	char *tmp;
	unsigned char buf[SINK_BUF];
	size_t used;
	unsigned long long bytes;
	int err;		/* first write error, -errno */
	bool direct;		/* not a regular file: written in place */
};

static int sink_fail(char *err, size_t errlen, const char *what,
		     const char *path, int e)
{
	snprintf(err, errlen, "%s '%s': %s", what, path, strerror(e));
	return -e;
}

struct pw_sink *pw_sink_open(const char *path, char *err, size_t errlen)
{
	struct pw_sink *o = calloc(1, sizeof(*o));
	char *dirc = NULL, *base = NULL, *real = NULL;
	struct stat sb;
	int n;

	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!path || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return o;
	}
	/*
	 * Not a regular file (/dev/null, a FIFO, a terminal): write to it
	 * directly; replacing it would destroy a device node.
	 */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "'%s' is a directory", path);
			free(o);
			return NULL;
		}
		/* a FIFO nobody reads must not hang a run holding the lock */
		o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY |
				   O_NONBLOCK);
		if (o->fd < 0) {
			sink_fail(err, errlen, "cannot open", path,
				  errno == ENXIO ? EPIPE : errno);
			free(o);
			return NULL;
		}
		fcntl(o->fd, F_SETFL, fcntl(o->fd, F_GETFL) & ~O_NONBLOCK);
		o->direct = true;
		return o;
	}
	/* a symlink to the file: replace the file, keep the link */
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		real = realpath(path, NULL);
		if (real)
			path = real;
	}
	o->path = strdup(path);
	dirc = strdup(path);
	base = strdup(path);
	o->tmp = malloc(PATH_MAX);
	if (!o->path || !dirc || !base || !o->tmp) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	n = snprintf(o->tmp, PATH_MAX, "%s/.%s.XXXXXX", dirname(dirc),
		     basename(base));
	if (n < 0 || n >= PATH_MAX) {
		snprintf(err, errlen, "path too long: '%.64s...'", path);
		goto fail;
	}
	/* O_EXCL under the hood: a planted file or symlink is never reused */
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		sink_fail(err, errlen, "cannot create a temporary file for",
			  path, errno);
		goto fail;
	}
	free(dirc);
	free(base);
	free(real);
	return o;
fail:
	free(dirc);
	free(base);
	free(real);
	free(o->path);
	free(o->tmp);
	free(o);
	return NULL;
}

static int sink_flush(struct pw_sink *o)
{
	size_t off = 0;

	while (off < o->used && !o->err) {
		ssize_t w = write(o->fd, o->buf + off, o->used - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->err = -errno;
			break;
		}
		off += (size_t)w;
	}
	o->used = 0;
	return o->err;
}

int pw_sink_write(struct pw_sink *o, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (o->err)
		return o->err;
	o->bytes += len;
	while (len) {
		size_t room = SINK_BUF - o->used, n = len < room ? len : room;

		memcpy(o->buf + o->used, p, n);
		o->used += n;
		p += n;
		len -= n;
		if (o->used == SINK_BUF && sink_flush(o))
			return o->err;
	}
	return 0;
}

int pw_sink_printf(struct pw_sink *o, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(small))
		return pw_sink_write(o, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (!big)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ret = pw_sink_write(o, big, (size_t)n);
	free(big);
	return ret;
}

unsigned long long pw_sink_bytes(const struct pw_sink *o)
{
	return o->bytes;
}

const char *pw_sink_tmp_path(const struct pw_sink *o)
{
	return o->path ? o->tmp : NULL;
}

int pw_sink_flush(struct pw_sink *o, char *err, size_t errlen)
{
	if (sink_flush(o))
		return sink_fail(err, errlen, "cannot write",
				 o->path ? o->path : "standard output",
				 -o->err);
	if (o->path && fsync(o->fd))
		return sink_fail(err, errlen, "cannot write", o->path, errno);
	return 0;
}

int pw_sink_cleanup(const char *path)
{
	char *dirc = strdup(path), *base = strdup(path), name[PATH_MAX];
	const char *d, *b;
	struct dirent *de;
	size_t bl;
	int n = 0;
	DIR *dir;

	if (!dirc || !base)
		goto out;
	d = dirname(dirc);
	b = basename(base);
	bl = strlen(b);
	dir = opendir(d);
	if (!dir)
		goto out;
	while ((de = readdir(dir))) {
		struct stat sb;
		int k;

		/* exactly "." + base + "." + 6 characters of mkostemp */
		if (de->d_name[0] != '.' || strlen(de->d_name) != bl + 8 ||
		    strncmp(de->d_name + 1, b, bl) != 0 ||
		    de->d_name[bl + 1] != '.')
			continue;
		k = snprintf(name, sizeof(name), "%s/%s", d, de->d_name);
		if (k < 0 || (size_t)k >= sizeof(name) ||
		    lstat(name, &sb) || !S_ISREG(sb.st_mode))
			continue;
		if (unlink(name) == 0)
			n++;
	}
	closedir(dir);
out:
	free(dirc);
	free(base);
	return n;
}

int pw_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (i = 1; i < n; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		buf[i] = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static void sink_release(struct pw_sink *o)
{
	free(o->path);
	free(o->tmp);
	free(o);
}

int pw_sink_commit(struct pw_sink *o, char *err, size_t errlen)
{
	char *dirc;
	int ret, dfd;

	if (sink_flush(o)) {
		ret = sink_fail(err, errlen, "cannot write",
				o->path ? o->path : "standard output",
				-o->err);
		pw_sink_abort(o);
		return ret;
	}
	if (!o->path) {
		if (o->direct)
			close(o->fd);
		free(o);
		return 0;
	}
	if (fchmod(o->fd, 0644) || fsync(o->fd)) {
		ret = sink_fail(err, errlen, "cannot write", o->path, errno);
		pw_sink_abort(o);
		return ret;
	}
	if (close(o->fd)) {
		o->fd = -1;
		ret = sink_fail(err, errlen, "cannot write", o->path, errno);
		pw_sink_abort(o);
		return ret;
	}
	o->fd = -1;
	if (rename(o->tmp, o->path)) {
		ret = sink_fail(err, errlen, "cannot replace", o->path, errno);
		pw_sink_abort(o);
		return ret;
	}
	/* make the rename itself durable */
	dirc = strdup(o->path);
	if (dirc) {
		dfd = open(dirname(dirc), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dirc);
	}
	sink_release(o);
	return 0;
}

void pw_sink_abort(struct pw_sink *o)
{
	if (!o)
		return;
	if (o->path) {
		if (o->fd >= 0)
			close(o->fd);
		unlink(o->tmp);
		sink_release(o);
		return;
	}
	o->used = 0;
	if (o->direct)
		close(o->fd);
	free(o);
}
