/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line numbers for the values of a JSON document (jansson keeps none),
 * shared by the JSON feeds (misp, stix, xmrig, cmdline) and `poolwall
 * miner`.
 */
#ifndef PW_JSONPOS_H
#define PW_JSONPOS_H

#include <stddef.h>

/*
 * Locate values in the text a JSON document was parsed from, to give
 * tokens real line numbers (jansson keeps no positions).  The cursor only
 * moves forward; a value that is not found verbatim (escaped in the
 * source) gets the cursor's line.  All the searches together read at most
 * a few times the text, then every value gets the cursor's line.
 */
struct pw_jsonpos {
	const char *buf;
	size_t len;
	size_t pos;		/* cursor */
	size_t budget;		/* bytes the search may still read */
	unsigned line;		/* line of the cursor */
};

void pw_jsonpos_init(struct pw_jsonpos *jp, const char *buf, size_t len);
/*
 * The line of the next `"key": "value"` (any key when key is NULL) at or
 * after the cursor; moves past it.
 */
unsigned pw_jsonpos_find(struct pw_jsonpos *jp, const char *key,
			 const char *value);

#endif
