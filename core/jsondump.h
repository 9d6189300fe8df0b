/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pw_json_dumps(): json_dumps(), but a failed allocation anywhere gives
 * NULL.  jansson 2.14 ignores the result of writing an object's key and
 * goes on, so json_dumps() can return a text with a key missing, and a
 * published file with it, when its buffer cannot grow.
 */
#ifndef PW_JSONDUMP_H
#define PW_JSONDUMP_H

#include <jansson.h>

/* the text (free() it), or NULL when an allocation failed */
char *pw_json_dumps(const json_t *obj, size_t flags);

#endif
