/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where an output writes (struct pw_sink of plugin.h).  A file target is
 * written to a temporary file created exclusively beside it, fsynced, and
 * renamed over the target only on commit, so a reader sees the old file or
 * the new one, never a partial one.  "-" is standard output.
 */
#ifndef PW_SINK_H
#define PW_SINK_H

#include <sys/types.h>

#include <poolwall/plugin.h>

/* path NULL or "-" writes to stdout.  NULL with a message on failure. */
struct pw_sink *pw_sink_open(const char *path, char *err, size_t errlen);
/* Flush, fsync, rename into place.  0 or -errno (message in err). */
int pw_sink_commit(struct pw_sink *o, char *err, size_t errlen);
/* Flush and fsync the temporary file (for a validator); 0 or -errno. */
int pw_sink_flush(struct pw_sink *o, char *err, size_t errlen);
/* Drop what was written; the target is untouched.  NULL-safe. */
void pw_sink_abort(struct pw_sink *o);
/*
 * Remove temporary files a killed run left beside `path` (.NAME.XXXXXX).
 * Only for callers that hold the writer lock.  Returns how many went.
 */
int pw_sink_cleanup(const char *path);
/* mkdir -p: parents 0755, the last component with `mode`. */
int pw_mkdir_p(const char *path, mode_t mode);
/* Bytes written so far. */
unsigned long long pw_sink_bytes(const struct pw_sink *o);
/* Path of the temporary file (NULL for stdout): for validators. */
const char *pw_sink_tmp_path(const struct pw_sink *o);

#endif
