/*
 * stream.c - the buffered pull stream of stream.h.
 */
#include "sarfs/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sarfs_in_init(struct sarfs_in *in, sarfs_read_fn read, void *ctx)
{
	memset(in, 0, sizeof(*in));
	in->buf = malloc(SARFS_IN_BUFSIZE);
	if (!in->buf)
		return -ENOMEM;
	in->read = read;
	in->ctx = ctx;
	in->line = 1;
	in->col = 1;
	return 0;
}

void sarfs_in_destroy(struct sarfs_in *in)
{
	free(in->buf);
	in->buf = NULL;
}

size_t sarfs_in_fill(struct sarfs_in *in)
{
	ssize_t k;

	if (in->pos < in->len)
		return in->len - in->pos;
	in->pos = in->len = 0;
	if (in->eof || in->err)
		return 0;
	k = in->read(in->ctx, in->buf, SARFS_IN_BUFSIZE);
	if (k < 0) {
		in->err = (int)k;
		return 0;
	}
	if (k == 0) {
		in->eof = 1;
		return 0;
	}
	in->len = (size_t)k;
	return in->len;
}

size_t sarfs_in_ahead(struct sarfs_in *in, size_t n)
{
	ssize_t k;

	if (n > SARFS_IN_BUFSIZE)
		n = SARFS_IN_BUFSIZE;
	if (in->len - in->pos >= n)
		return in->len - in->pos;
	/* one read may return any amount: gather the rest behind what is
	 * buffered, so a look-ahead never depends on where a read ended */
	memmove(in->buf, in->buf + in->pos, in->len - in->pos);
	in->len -= in->pos;
	in->pos = 0;
	while (in->len < n && !in->eof && !in->err) {
		k = in->read(in->ctx, in->buf + in->len, SARFS_IN_BUFSIZE - in->len);
		if (k < 0)
			in->err = (int)k;
		else if (k == 0)
			in->eof = 1;
		else
			in->len += (size_t)k;
	}
	return in->len;
}

int sarfs_in_drain(struct sarfs_in *in)
{
	while (sarfs_in_fill(in)) {
		in->offset += in->len - in->pos;
		in->pos = in->len;
	}
	return in->err;
}
