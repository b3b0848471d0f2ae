/*
 * diag.c - the bounded problem list of diag.h.
 */
#include "sarfs/diag.h"

#include "sarfs/buf.h"
#include "sarfs/names.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sarfs_diag_init(struct sarfs_diag *d)
{
	memset(d, 0, sizeof(*d));
	d->per_file_limit = 50;
}

void sarfs_diag_destroy(struct sarfs_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->msg[i].file);
		free(d->msg[i].text);
	}
	free(d->msg);
	memset(d, 0, sizeof(*d));
}

static size_t count_for_file(const struct sarfs_diag *d, const char *file)
{
	size_t i, k = 0;

	/* Scanning backwards is enough in practice: messages of one file
	 * arrive together. The bound keeps it linear overall. */
	for (i = d->n; i-- > 0;) {
		if (strcmp(d->msg[i].file, file) != 0)
			break;
		k++;
	}
	return k;
}

static void keep(struct sarfs_diag *d, struct sarfs_diag_msg *m);

static const char *sev_word(enum sarfs_severity s)
{
	switch (s) {
	case SARFS_NOTE:
		return "note";
	case SARFS_WARNING:
		return "warning";
	default:
		return "error";
	}
}

void sarfs_diag_add(struct sarfs_diag *d, enum sarfs_severity sev,
		    const char *file, long line, long col, const char *fmt, ...)
{
	struct sarfs_buf raw = SARFS_BUF_INIT;
	struct sarfs_diag_msg m;
	va_list ap;

	if (!d)
		return;
	memset(&m, 0, sizeof(m));
	m.severity = sev;
	m.line = line;
	m.col = col;
	m.file = sarfs_name_printable(file ? file : "", file ? strlen(file) : 0);
	va_start(ap, fmt);
	if (sarfs_buf_vprintf(&raw, fmt, ap) == 0)
		m.text = sarfs_text_printable(raw.data, raw.len);
	va_end(ap);
	sarfs_buf_destroy(&raw);
	keep(d, &m);
}

/* Takes m (owned strings) into d, or drops it (counted) past the limit. */
static void keep(struct sarfs_diag *d, struct sarfs_diag_msg *m)
{
	enum sarfs_severity sev = m->severity;

	if (!m->file || !m->text)
		goto drop;
	if (d->per_file_limit && count_for_file(d, m->file) >= d->per_file_limit)
		goto drop;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct sarfs_diag_msg *v = realloc(d->msg, cap * sizeof(*v));

		if (!v)
			goto drop;
		d->msg = v;
		d->cap = cap;
	}
	d->msg[d->n++] = *m;
	if (d->echo) {
		char *s = sarfs_diag_format(m);

		if (s)
			fprintf(d->echo, "%s%s\n", d->echo_prefix ? d->echo_prefix : "", s);
		free(s);
	}
	return;
drop:
	d->dropped[sev <= SARFS_ERROR ? sev : SARFS_ERROR]++;
	free(m->file);
	free(m->text);
}

void sarfs_diag_merge(struct sarfs_diag *dst, struct sarfs_diag *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (dst)
			keep(dst, &src->msg[i]);
		else {
			free(src->msg[i].file);
			free(src->msg[i].text);
		}
	}
	for (i = 0; dst && i < 3; i++)
		dst->dropped[i] += src->dropped[i];
	src->n = 0;
	memset(src->dropped, 0, sizeof(src->dropped));
}

static int cmp_msg(const void *a, const void *b)
{
	const struct sarfs_diag_msg *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->text, y->text);
}

void sarfs_diag_sort(struct sarfs_diag *d)
{
	if (d && d->n > 1)
		qsort(d->msg, d->n, sizeof(*d->msg), cmp_msg);
}

size_t sarfs_diag_count(const struct sarfs_diag *d, enum sarfs_severity min)
{
	size_t i, k = 0;

	if (!d)
		return 0;
	for (i = 0; i < d->n; i++)
		if (d->msg[i].severity >= min)
			k++;
	for (i = min; i <= SARFS_ERROR; i++)
		k += d->dropped[i];
	return k;
}

char *sarfs_diag_format(const struct sarfs_diag_msg *m)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	int rc = 0;

	if (m->file[0]) {
		rc |= sarfs_buf_adds(&b, m->file);
		if (m->line > 0)
			rc |= sarfs_buf_printf(&b, ":%ld", m->line);
		if (m->line > 0 && m->col > 0)
			rc |= sarfs_buf_printf(&b, ":%ld", m->col);
		rc |= sarfs_buf_adds(&b, ": ");
	}
	rc |= sarfs_buf_printf(&b, "%s: %s", sev_word(m->severity), m->text);
	if (rc) {
		sarfs_buf_destroy(&b);
		return NULL;
	}
	return sarfs_buf_detach(&b);
}

void sarfs_diag_print(const struct sarfs_diag *d, FILE *f, const char *prefix)
{
	size_t i, dropped;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		char *s = sarfs_diag_format(&d->msg[i]);

		if (s)
			fprintf(f, "%s%s\n", prefix ? prefix : "", s);
		free(s);
	}
	dropped = d->dropped[0] + d->dropped[1] + d->dropped[2];
	if (dropped)
		fprintf(f, "%s%zu more problems not shown\n", prefix ? prefix : "", dropped);
}
