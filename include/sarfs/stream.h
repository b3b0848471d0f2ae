/*
 * sarfs/stream.h - a buffered pull stream with line and column tracking.
 *
 * The format readers pull bytes through this, never from a file or archive
 * directly: the builder's read function behind it hashes and stores every
 * byte on the way (so a file is read once), and the readers get positions
 * for their messages for free. Lines end at LF, CR LF or a lone CR; columns
 * count bytes from 1.
 *
 * Thread safety: none.
 */
#ifndef SARFS_STREAM_H
#define SARFS_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SARFS_IN_BUFSIZE (64 * 1024)

/* Returns a byte count, 0 at the end, or a negative errno. */
typedef ssize_t (*sarfs_read_fn)(void *ctx, void *buf, size_t n);

struct sarfs_in {
	sarfs_read_fn read;	/* borrowed */
	void *ctx;		/* borrowed */
	unsigned char *buf;	/* owned, SARFS_IN_BUFSIZE bytes */
	size_t pos, len;
	int err;		/* the first negative errno of read(), sticky */
	int eof;
	int after_cr;		/* the last byte was CR: a following LF ends no new line */
	long line, col;		/* of the next byte, 1-based */
	uint64_t offset;	/* of the next byte */
};

/* Returns 0 or -ENOMEM. */
int sarfs_in_init(struct sarfs_in *in, sarfs_read_fn read, void *ctx);
void sarfs_in_destroy(struct sarfs_in *in);

/* Refills the buffer; returns the number of bytes available (0 at the end
 * or on error; see in->err). Used by the inline functions below. */
size_t sarfs_in_fill(struct sarfs_in *in);

/* Makes at least n bytes available in the buffer (n at most
 * SARFS_IN_BUFSIZE), unless the stream ends or fails first, and returns
 * how many are: for a reader that looks ahead (a BOM, a JavaScript
 * assignment), which must see the same bytes however the reads were cut.
 * It moves the unread bytes to the start of the buffer. */
size_t sarfs_in_ahead(struct sarfs_in *in, size_t n);

/* The next byte without consuming it, or -1 at the end (or on error). */
static inline int sarfs_in_peek(struct sarfs_in *in)
{
	if (in->pos == in->len && !sarfs_in_fill(in))
		return -1;
	return in->buf[in->pos];
}

/* Consumes and returns the next byte, or -1. */
static inline int sarfs_in_getc(struct sarfs_in *in)
{
	int c;

	if (in->pos == in->len && !sarfs_in_fill(in))
		return -1;
	c = in->buf[in->pos++];
	in->offset++;
	if (c == '\n') {
		if (!in->after_cr)
			in->line++;
		in->col = 1;
		in->after_cr = 0;
	} else if (c == '\r') {
		in->line++;
		in->col = 1;
		in->after_cr = 1;
	} else {
		in->col++;
		in->after_cr = 0;
	}
	return c;
}

/* Consumes the next n bytes, which must all be in the buffer (n <=
 * in->len - in->pos), keeping line and column exact. For readers that
 * scan the buffer themselves and take a whole run at once. */
static inline void sarfs_in_consume(struct sarfs_in *in, size_t n)
{
	const unsigned char *p = in->buf + in->pos, *e = p + n;
	long line = in->line, col = in->col;
	int after_cr = in->after_cr;

	for (; p < e; p++) {
		if (*p == '\n') {
			if (!after_cr)
				line++;
			col = 1;
			after_cr = 0;
		} else if (*p == '\r') {
			line++;
			col = 1;
			after_cr = 1;
		} else {
			col++;
			after_cr = 0;
		}
	}
	in->line = line;
	in->col = col;
	in->after_cr = after_cr;
	in->pos += n;
	in->offset += n;
}

/* sarfs_in_consume() for n bytes the caller knows hold no CR or LF. */
static inline void sarfs_in_consume_inline(struct sarfs_in *in, size_t n)
{
	if (!n)
		return;
	in->col += (long)n;
	in->after_cr = 0;
	in->pos += n;
	in->offset += n;
}

/* Reads and discards everything left. Returns 0 or the stream's error. */
int sarfs_in_drain(struct sarfs_in *in);

#endif
