/*
 * sarfs/buf.h - a growable byte buffer.
 *
 * The one string builder of the project: readers accumulate records in it,
 * renderers write files into it. It is not a general container and does
 * no encoding work; see names.h and json.h for that.
 *
 * Thread safety: none; a buffer belongs to one thread at a time.
 */
#ifndef SARFS_BUF_H
#define SARFS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sarfs_buf {
	char *data;	/* owned; always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

#define SARFS_BUF_INIT { NULL, 0, 0 }

void sarfs_buf_init(struct sarfs_buf *b);
/* Releases the memory; the buffer may be reused after sarfs_buf_init(). */
void sarfs_buf_destroy(struct sarfs_buf *b);
/* Keeps the memory, forgets the contents. */
void sarfs_buf_reset(struct sarfs_buf *b);

/* All appenders return 0 or -ENOMEM; on -ENOMEM the buffer is unchanged. */
int sarfs_buf_reserve(struct sarfs_buf *b, size_t extra);
int sarfs_buf_add(struct sarfs_buf *b, const void *p, size_t n);
int sarfs_buf_addc(struct sarfs_buf *b, char c);
int sarfs_buf_adds(struct sarfs_buf *b, const char *s);
int sarfs_buf_printf(struct sarfs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sarfs_buf_vprintf(struct sarfs_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Hands the contents to the caller (a new string to free()), leaving the
 * buffer empty. Returns NULL only if the buffer never held anything and
 * an empty string cannot be allocated. */
char *sarfs_buf_detach(struct sarfs_buf *b);

#endif
