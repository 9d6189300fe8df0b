/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The array set of fake-host.h (the render benchmark has its own). */
#include "config.h"

#include "fake-host.h"

int pw_set_iter(const struct pw_set *s, unsigned kinds, pw_item_cb cb,
		void *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < s->n_items; i++) {
		if (!(kinds & PW_IMASK(s->items[i].kind)))
			continue;
		err = cb(ctx, &s->items[i]);
		if (err)
			return err;
	}
	return 0;
}

int pw_set_iter_allow(const struct pw_set *s, pw_item_cb cb, void *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < s->n_allow; i++) {
		err = cb(ctx, &s->allow[i]);
		if (err)
			return err;
	}
	return 0;
}

size_t pw_set_count(const struct pw_set *s, enum pw_ikind k)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_items; i++)
		n += s->items[i].kind == k;
	return n;
}
