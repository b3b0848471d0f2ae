/*
 * memin.h - a sarfs_in over a byte array, for the reader tests.
 *
 * It hands out at most `step` bytes per read so that tokens, escapes and
 * line ends fall across buffer refills, as they do in real files.
 */
#ifndef SARFS_TEST_MEMIN_H
#define SARFS_TEST_MEMIN_H

#include <string.h>
#include <sys/types.h>

#include "sarfs/stream.h"

struct memin {
	const char *p;
	size_t n, pos, step;
};

static inline ssize_t memin_read(void *ctx, void *buf, size_t n)
{
	struct memin *m = ctx;
	size_t k = m->n - m->pos;

	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

#endif
