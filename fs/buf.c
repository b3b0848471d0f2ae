/*
 * buf.c - the growable byte buffer of buf.h.
 */
#include "sarfs/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sarfs_buf_init(struct sarfs_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void sarfs_buf_destroy(struct sarfs_buf *b)
{
	free(b->data);
	sarfs_buf_init(b);
}

void sarfs_buf_reset(struct sarfs_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int sarfs_buf_reserve(struct sarfs_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	p[b->len] = '\0';	/* keep the promise of buf.h even before any add */
	b->data = p;
	b->cap = cap;
	return 0;
}

int sarfs_buf_add(struct sarfs_buf *b, const void *p, size_t n)
{
	int rc = sarfs_buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sarfs_buf_addc(struct sarfs_buf *b, char c)
{
	return sarfs_buf_add(b, &c, 1);
}

int sarfs_buf_adds(struct sarfs_buf *b, const char *s)
{
	return sarfs_buf_add(b, s, strlen(s));
}

int sarfs_buf_vprintf(struct sarfs_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	rc = sarfs_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sarfs_buf_printf(struct sarfs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sarfs_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *sarfs_buf_detach(struct sarfs_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	sarfs_buf_init(b);
	return p;
}
