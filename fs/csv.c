/*
 * csv.c - streamed CSV / TSV records (csv.h).
 *
 * The first SARFS_CSV_SAMPLE bytes are read into memory once and parsed
 * several times to guess the layout (delimiter, preamble, header). The
 * rows are then parsed by the same row parser from a cursor that yields
 * the sample first and the stream after it, so where the sample happens to
 * end can never change a row, a line number or a message.
 *
 * This is a reader, not a validator and not a type guesser: every cell is
 * a string, and malformed quoting is read as leniently as Python's csv
 * module reads it, with a message saying so. Only '"' quotes; only one row
 * (plus, until it has been read past, the sample) is held in memory.
 */
#include "sarfs/csv.h"

#include "sarfs/names.h"
#include "sarfs/timefmt.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RECORD (64u << 20)

/* A byte source: the sample, then (if in is set) the stream. It tracks
 * lines as stream.h does (LF, CR LF, lone CR), but itself, because the
 * stream's own position is already past the sample. */
struct cursor {
	const unsigned char *buf;	/* borrowed: the sample */
	size_t len, pos;
	struct sarfs_in *in;		/* borrowed; NULL: the input ends with buf */
	uint64_t off;			/* of the next byte, in the file */
	long line, col;			/* of the next byte */
	long bline, bcol;		/* of the byte returned last */
	int after_cr;
};

/* One parsed row: its cells one after another in data, cell i being
 * data[off[i] .. off[i + 1]). */
struct row {
	struct sarfs_buf data;
	size_t *off;		/* owned: n + 1 entries */
	size_t n, cap;
	uint64_t start;		/* file offset of the first byte */
	long line, col;		/* where it starts */
	long qline, qcol;	/* the quote still open at the end of the file */
	long tline, tcol;	/* the first text after a closing quote */
	int open_quote;		/* the file ended inside a quoted cell */
	int after_quote;	/* a quoted cell went on after its closing quote */
	int oversize;		/* longer than the limit: cells incomplete */
	int at_end;		/* ended by the end of the input, not a line end */
};

/* Finds the first byte of the file that is not UTF-8, as the cells are
 * read, so the one warning can say exactly where it is. Fed only until
 * that warning has been given. */
struct utf8_check {
	unsigned char seq[4];
	int have, need;
	long line, col;		/* of seq[0] */
	int found;		/* a bad byte in the current row ... */
	long bad_line, bad_col;	/* ... here */
	int warned;		/* the file's warning has been given */
};

struct sarfs_csv_reader {
	struct sarfs_in *in;	/* borrowed */
	char *file;		/* owned, for messages */
	struct sarfs_csv_options opt;
	size_t max_record;
	unsigned char *sample;	/* owned until the rows have been read past it */
	size_t sample_len;
	int sample_eof;		/* the sample is the whole file */
	size_t bom;		/* 3 if the file starts with a UTF-8 BOM */
	int started;		/* layout detected, header read */
	int done;
	char delim;
	int header;		/* 1 or 0 once started */
	struct sarfs_buf preamble;
	char **names;		/* owned: the unique header names */
	size_t nnames;
	struct cursor cu;
	struct row row;
	struct utf8_check u8;
	struct sarfs_buf scratch;	/* a cell repaired from Latin-1 */
	struct sarfs_buf key;		/* a key built for an extra cell */
	struct sarfs_buf loc;
	long nrow;		/* data rows started so far */
	json_t *cur;		/* owned: the value handed out last */
};

static const char candidates[] = { ',', '\t', ';', '|' };

void sarfs_csv_options_default(struct sarfs_csv_options *o)
{
	o->delimiter = 0;
	o->escape = 0;
	o->header = -1;
}

static int bad_special(char c)
{
	return c == '"' || c == '\r' || c == '\n';
}

int sarfs_csv_open(struct sarfs_in *in, const char *file,
		   const struct sarfs_csv_options *opt, size_t max_record,
		   struct sarfs_csv_reader **out)
{
	struct sarfs_csv_reader *r;

	if (opt && (bad_special(opt->delimiter) || bad_special(opt->escape) ||
		    (opt->escape && opt->escape == opt->delimiter) ||
		    opt->header < -1 || opt->header > 1))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->file = strdup(file);
	if (!r->file) {
		free(r);
		return -ENOMEM;
	}
	r->in = in;
	if (opt)
		r->opt = *opt;
	else
		sarfs_csv_options_default(&r->opt);
	r->max_record = max_record ? max_record : DEFAULT_MAX_RECORD;
	r->delim = r->opt.delimiter;
	r->header = r->opt.header == 1;
	*out = r;
	return 0;
}

static void row_init(struct row *w)
{
	memset(w, 0, sizeof(*w));
	sarfs_buf_init(&w->data);
}

static void row_free(struct row *w)
{
	sarfs_buf_destroy(&w->data);
	free(w->off);
	w->off = NULL;
	w->n = w->cap = 0;
}

static void free_names(struct sarfs_csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	r->names = NULL;
	r->nnames = 0;
}

void sarfs_csv_close(struct sarfs_csv_reader *r)
{
	if (!r)
		return;
	json_decref(r->cur);
	free(r->sample);
	free_names(r);
	row_free(&r->row);
	sarfs_buf_destroy(&r->preamble);
	sarfs_buf_destroy(&r->scratch);
	sarfs_buf_destroy(&r->key);
	sarfs_buf_destroy(&r->loc);
	free(r->file);
	free(r);
}

char sarfs_csv_delimiter(const struct sarfs_csv_reader *r)
{
	return r->delim;
}

int sarfs_csv_has_header(const struct sarfs_csv_reader *r)
{
	return r->header;
}

const char *sarfs_csv_preamble(const struct sarfs_csv_reader *r)
{
	return r->preamble.data ? r->preamble.data : "";
}

/* ---- the byte source --------------------------------------------------- */

/* A cursor at the start of the file (after the BOM); in NULL: sample only. */
static void cursor_init(struct cursor *cu, const struct sarfs_csv_reader *r,
			struct sarfs_in *in)
{
	memset(cu, 0, sizeof(*cu));
	cu->buf = r->sample;
	cu->len = r->sample_len;
	cu->pos = r->bom;
	cu->off = r->bom;
	cu->in = in;
	/* the BOM is not text: the first character is at column 1 */
	cu->line = 1;
	cu->col = 1;
}

static int cur_peek(struct cursor *cu)
{
	if (cu->pos < cu->len)
		return cu->buf[cu->pos];
	return cu->in ? sarfs_in_peek(cu->in) : -1;
}

static int cur_getc(struct cursor *cu)
{
	int c = -1;

	if (cu->pos < cu->len)
		c = cu->buf[cu->pos++];
	else if (cu->in)
		c = sarfs_in_getc(cu->in);
	if (c < 0)
		return -1;
	cu->bline = cu->line;
	cu->bcol = cu->col;
	cu->off++;
	if (c == '\n') {
		if (!cu->after_cr)
			cu->line++;
		cu->col = 1;
		cu->after_cr = 0;
	} else if (c == '\r') {
		cu->line++;
		cu->col = 1;
		cu->after_cr = 1;
	} else {
		cu->col++;
		cu->after_cr = 0;
	}
	return c;
}

/* The bytes from the cursor on that are at hand without reading (filling
 * the stream's buffer if it is empty): *p and the count, 0 at the end. */
static size_t cur_span(struct cursor *cu, const unsigned char **p)
{
	if (cu->pos < cu->len) {
		*p = cu->buf + cu->pos;
		return cu->len - cu->pos;
	}
	if (!cu->in || sarfs_in_peek(cu->in) < 0)
		return 0;
	*p = cu->in->buf + cu->in->pos;
	return cu->in->len - cu->in->pos;
}

/* Moves past n > 0 bytes of a span that holds no line end. */
static void cur_skip(struct cursor *cu, size_t n)
{
	if (cu->pos < cu->len)
		cu->pos += n;
	else
		sarfs_in_consume_inline(cu->in, n);
	cu->off += n;
	cu->col += (long)n;
	cu->bline = cu->line;
	cu->bcol = cu->col - 1;
	cu->after_cr = 0;
}

/* ---- UTF-8 ------------------------------------------------------------- */

static int utf8_need(unsigned char c)
{
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

static void utf8_bad(struct utf8_check *u, long line, long col)
{
	u->found = 1;
	u->bad_line = line;
	u->bad_col = col;
	u->have = 0;
}

/* Takes the next byte of a cell. The verdict on a sequence is left to
 * sarfs_utf8_decode(), so "bad" means here what it means everywhere. */
static void utf8_feed(struct utf8_check *u, unsigned char c, long line, long col)
{
	uint32_t cp;

	if (u->found || u->warned)
		return;
	if (u->have == 0) {
		if (c < 0x80)
			return;
		u->need = utf8_need(c);
		if (!u->need) {
			utf8_bad(u, line, col);
			return;
		}
		u->seq[0] = c;
		u->have = 1;
		u->line = line;
		u->col = col;
		return;
	}
	u->seq[u->have++] = c;
	if ((c & 0xC0) != 0x80) {
		utf8_bad(u, u->line, u->col);
		return;
	}
	if (u->have == u->need) {
		if (!sarfs_utf8_decode(u->seq, (size_t)u->have, &cp))
			utf8_bad(u, u->line, u->col);
		u->have = 0;
	}
}

/* A cell ended: a sequence still open was cut short. */
static void utf8_flush(struct utf8_check *u)
{
	if (u->have && !u->found && !u->warned)
		utf8_bad(u, u->line, u->col);
	u->have = 0;
}

/* Offset of the first byte of p that is not part of valid UTF-8, or n. */
static size_t first_bad(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = sarfs_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/* ---- the row parser ---------------------------------------------------- */

static int row_reset(struct row *w, struct cursor *cu)
{
	sarfs_buf_reset(&w->data);
	/* data stays non-NULL, so a cell pointer is never NULL + 0 */
	if (sarfs_buf_reserve(&w->data, 1))
		return -ENOMEM;
	if (!w->off) {
		w->off = malloc(16 * sizeof(*w->off));
		if (!w->off)
			return -ENOMEM;
		w->cap = 16;
	}
	w->n = 0;
	w->off[0] = 0;
	w->start = cu->off;
	w->line = cu->line;
	w->col = cu->col;
	w->open_quote = w->after_quote = w->oversize = w->at_end = 0;
	return 0;
}

static int cell_end(struct row *w, struct utf8_check *u)
{
	if (u)
		utf8_flush(u);
	if (w->oversize)
		return 0;
	if (w->n + 2 > w->cap) {
		size_t *p = realloc(w->off, 2 * w->cap * sizeof(*w->off));

		if (!p)
			return -ENOMEM;
		w->off = p;
		w->cap *= 2;
	}
	w->off[++w->n] = w->data.len;
	return 0;
}

static const char *cell(const struct row *w, size_t i, size_t *len)
{
	*len = w->off[i + 1] - w->off[i];
	return w->data.data + w->off[i];
}

/* Keeps byte c, the one the cursor returned last, in the current cell. */
static int put(struct row *w, int c, const struct cursor *cu, struct utf8_check *u)
{
	if (w->oversize)
		return 0;
	if (u)
		utf8_feed(u, (unsigned char)c, cu->bline, cu->bcol);
	return sarfs_buf_addc(&w->data, (char)c);
}

/* Keeps, in one step, the run of printable ASCII bytes at the cursor that
 * need no decision: not the delimiter, the escape, or (in quotes) a quote.
 * The byte-at-a-time path stays the reference; this only skips ahead of
 * it where it would do the same thing byte after byte. Returns the count
 * kept (0: take the next byte the slow way) or -ENOMEM. */
static long put_run(struct row *w, struct cursor *cu, char delim, char esc, int quoted,
		    const struct utf8_check *u)
{
	const unsigned char *p;
	size_t n, k = 0;

	if (w->oversize || (u && u->have))
		return 0;
	n = cur_span(cu, &p);
	while (k < n && p[k] >= 0x20 && p[k] < 0x7F && p[k] != (unsigned char)delim &&
	       p[k] != (unsigned char)esc && !(quoted && p[k] == '"'))
		k++;
	if (k < 2)
		return 0;
	if (sarfs_buf_add(&w->data, p, k))
		return -ENOMEM;
	cur_skip(cu, k);
	return (long)k;
}

/* After the escape character: it makes a quote, itself, the delimiter or
 * a line end literal (as MySQL and Python write them); before anything
 * else it is an ordinary character, so "C:\dir" or "\N" survive. */
static int escaped(struct row *w, struct cursor *cu, char delim, char esc,
		   struct utf8_check *u)
{
	int c = cur_peek(cu), rc;

	if (c != '"' && c != (unsigned char)esc && c != (unsigned char)delim &&
	    c != '\r' && c != '\n')
		return put(w, (unsigned char)esc, cu, u);
	cur_getc(cu);
	rc = put(w, c, cu, u);
	if (!rc && c == '\r' && cur_peek(cu) == '\n') {
		cur_getc(cu);
		rc = put(w, '\n', cu, u);
	}
	return rc;
}

static void line_end(struct cursor *cu)
{
	if (cur_getc(cu) == '\r' && cur_peek(cu) == '\n')
		cur_getc(cu);
}

/* Reads the next row, skipping blank lines. A row whose bytes (delimiters
 * and quotes included, its line end not) pass limit is read to its end
 * but not kept: w->oversize. Returns 1, 0 at the end of the input, or
 * -ENOMEM. */
static int read_row(struct cursor *cu, char delim, char esc, size_t limit,
		    struct row *w, struct utf8_check *u)
{
	enum { CELL_START, PLAIN, QUOTED } st = CELL_START;
	int c, rc = 0;

	while ((c = cur_peek(cu)) == '\r' || c == '\n')
		cur_getc(cu);
	if (c < 0)
		return 0;
	if (row_reset(w, cu))
		return -ENOMEM;
	if (u)
		u->have = 0;
	while (!rc) {
		/* cells cost far more in memory than their bytes: bound both */
		if (!w->oversize && (cu->off - w->start > limit || w->n > SARFS_CSV_MAX_CELLS))
			w->oversize = 1;
		c = cur_peek(cu);
		switch (st) {
		case CELL_START:
			if (c == '"') {
				cur_getc(cu);
				w->qline = cu->bline;
				w->qcol = cu->bcol;
				st = QUOTED;
			} else {
				st = PLAIN;
			}
			continue;
		case PLAIN:
			if (c < 0 || c == '\r' || c == '\n') {
				rc = cell_end(w, u);
				if (c < 0)
					w->at_end = 1;
				else
					line_end(cu);
				return rc ? rc : 1;
			}
			if (c != (unsigned char)delim) {
				long k = put_run(w, cu, delim, esc, 0, u);

				if (k < 0)
					return (int)k;
				if (k > 0)
					continue;
			}
			cur_getc(cu);
			if (c == (unsigned char)delim) {
				rc = cell_end(w, u);
				st = CELL_START;
			} else if (esc && c == (unsigned char)esc) {
				rc = escaped(w, cu, delim, esc, u);
			} else {
				rc = put(w, c, cu, u);
			}
			continue;
		case QUOTED:
			if (c < 0) {
				w->open_quote = 1;
				w->at_end = 1;
				rc = cell_end(w, u);
				return rc ? rc : 1;
			}
			if (c != '"') {
				long k = put_run(w, cu, delim, esc, 1, u);

				if (k < 0)
					return (int)k;
				if (k > 0)
					continue;
			}
			cur_getc(cu);
			if (c == '"') {
				c = cur_peek(cu);
				if (c == '"') {
					cur_getc(cu);
					rc = put(w, '"', cu, u);
					continue;
				}
				/* closed; anything up to the delimiter is
				 * kept as plain text, as Python's csv does */
				st = PLAIN;
				if (c >= 0 && c != (unsigned char)delim && c != '\r' && c != '\n' &&
				    !w->after_quote) {
					w->after_quote = 1;
					w->tline = cu->line;
					w->tcol = cu->col;
				}
			} else if (esc && c == (unsigned char)esc) {
				rc = escaped(w, cu, delim, esc, u);
			} else {
				rc = put(w, c, cu, u);
			}
			continue;
		}
	}
	return rc;
}

/* ---- layout detection -------------------------------------------------- */

/* Whether a sample row is complete: a row cut off by the end of the
 * sample (not of the file) would give false counts and values. */
static int complete(const struct sarfs_csv_reader *r, const struct row *w)
{
	return !w->at_end || r->sample_eof;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The most frequent field count > 1 of the sample rows split at delim
 * (*k, 0 if none) and how many rows have it (*score). The larger count
 * wins a tie: a short row is more often a ragged one than a long one. */
static int score_delimiter(const struct sarfs_csv_reader *r, char delim, size_t *k,
			   size_t *score)
{
	struct cursor cu;
	struct row w;
	size_t *counts = NULL, n = 0, cap = 0, i, j, last = 0;
	int rc, have_last = 0;

	row_init(&w);
	cursor_init(&cu, r, NULL);
	*k = 0;
	*score = 0;
	while ((rc = read_row(&cu, delim, r->opt.escape, SIZE_MAX, &w, NULL)) == 1) {
		if (!complete(r, &w)) {
			last = w.n;
			have_last = 1;
			break;
		}
		if (n == cap) {
			size_t *p = realloc(counts, (cap ? 2 * cap : 256) * sizeof(*counts));

			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			counts = p;
			cap = cap ? 2 * cap : 256;
		}
		counts[n++] = w.n;
	}
	if (rc < 0)
		goto out;
	/* a sample that is one long unfinished row: better than nothing */
	if (n == 0 && have_last) {
		counts = malloc(sizeof(*counts));
		if (!counts) {
			rc = -ENOMEM;
			goto out;
		}
		counts[n++] = last;
	}
	if (n)
		qsort(counts, n, sizeof(*counts), cmp_size);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && counts[j] == counts[i]; j++)
			;
		if (counts[i] > 1 && j - i >= *score) {
			*score = j - i;
			*k = counts[i];
		}
	}
	rc = 0;
out:
	free(counts);
	row_free(&w);
	return rc;
}

static int is_blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	return n == 0;
}

static void trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

static size_t digits(const char *p, size_t n, size_t i, size_t max)
{
	size_t k = 0;

	while (i + k < n && k < max && p[i + k] >= '0' && p[i + k] <= '9')
		k++;
	return k;
}

/* 12, -3.5, 0,25 (decimal comma), .5, 6.02e23 */
static int is_number(const char *p, size_t n)
{
	size_t i = 0, a, b = 0, e;

	trim(&p, &n);
	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	a = digits(p, n, i, SIZE_MAX);
	i += a;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		b = digits(p, n, i + 1, SIZE_MAX);
		if (!a && !b)
			return 0;
		i += 1 + b;
	}
	if (!a && !b)
		return 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		size_t j = i + 1;

		if (j < n && (p[j] == '+' || p[j] == '-'))
			j++;
		e = digits(p, n, j, SIZE_MAX);
		if (!e)
			return 0;
		i = j + e;
	}
	return i == n;
}

/* hh:mm[:ss[.fff]] [AM|PM] from p[i]; returns the end, or 0. */
static size_t clock_end(const char *p, size_t n, size_t i)
{
	size_t k = digits(p, n, i, 2);

	if (!k || i + k >= n || p[i + k] != ':' || digits(p, n, i + k + 1, 2) != 2)
		return 0;
	i += k + 3;
	if (i < n && p[i] == ':' && digits(p, n, i + 1, 2) == 2) {
		i += 3;
		if (i < n && (p[i] == '.' || p[i] == ',') && digits(p, n, i + 1, 9))
			i += 1 + digits(p, n, i + 1, 9);
	}
	if (i + 3 == n && p[i] == ' ' && (p[i + 1] == 'A' || p[i + 1] == 'P' ||
					  p[i + 1] == 'a' || p[i + 1] == 'p') &&
	    (p[i + 2] == 'M' || p[i + 2] == 'm'))
		i += 3;
	return i;
}

/* A time that timefmt.h does not take: 12/03/16, 03.12.2016, 1-2-2016,
 * each with an optional clock; or a clock alone. */
static int is_local_time(const char *p, size_t n)
{
	size_t a, b, c, i;
	char sep;

	trim(&p, &n);
	if (clock_end(p, n, 0) == n && n)
		return 1;
	a = digits(p, n, 0, 4);
	if (!a || a >= n)
		return 0;
	sep = p[a];
	if (sep != '/' && sep != '.' && sep != '-')
		return 0;
	b = digits(p, n, a + 1, 2);
	if (!b || a + 1 + b >= n || p[a + 1 + b] != sep)
		return 0;
	i = a + 2 + b;
	c = digits(p, n, i, 4);
	if (!c)
		return 0;
	i += c;
	if (i == n)
		return 1;
	if (p[i] != ' ' && p[i] != 'T')
		return 0;
	return clock_end(p, n, i + 1) == n;
}

static int is_time(const char *p, size_t n)
{
	return sarfs_time_parse(p, n, SARFS_UNIT_AUTO).kind != SARFS_TIME_NONE ||
	       is_local_time(p, n);
}

static int same_cell(const struct row *a, const struct row *b, size_t i)
{
	size_t na, nb;
	const char *pa = cell(a, i, &na), *pb = cell(b, i, &nb);

	return na == nb && memcmp(pa, pb, na) == 0;
}

static int same_row(const struct row *a, const struct row *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!same_cell(a, b, i))
			return 0;
	return 1;
}

/* The header rule of csv.h, for the first table row h and the sample rows
 * that follow it on cu. Returns 1, 0, or -ENOMEM. */
static int looks_like_header(const struct sarfs_csv_reader *r, struct cursor *cu,
			     const struct row *h, struct row *w)
{
	size_t i, n = h->n, len;
	const char *p;
	int rc;

	/* a first row longer than the sample: its last cell may be cut
	 * anywhere ("" or "12" of "12 Main St"), so it has no say */
	if (!complete(r, h) && n > 1)
		n--;
	for (i = 0; i < n; i++) {
		p = cell(h, i, &len);
		if (is_blank(p, len) || is_number(p, len) || is_time(p, len))
			return 0;
	}
	while ((rc = read_row(cu, r->delim, r->opt.escape, SIZE_MAX, w, NULL)) == 1) {
		if (!complete(r, w))
			break;
		/* a header repeated further down (files put end to end)
		 * is still a header */
		if (same_row(h, w))
			continue;
		n = h->n < w->n ? h->n : w->n;
		for (i = 0; i < n; i++)
			if (same_cell(h, w, i))
				return 0;
	}
	return rc < 0 ? rc : 1;
}

static int preamble_shaped(size_t cells, size_t k)
{
	return k > 1 && (cells == 1 || 2 * cells < k);
}

/* Keeps the sample bytes from after the BOM up to to as the preamble,
 * Latin-1 repaired; the first bad byte gets the file's one warning. */
static int take_preamble(struct sarfs_csv_reader *r, size_t to, struct sarfs_diag *d)
{
	const char *p = (const char *)r->sample + r->bom;
	size_t n = to - r->bom, bad = first_bad(p, n);
	struct cursor cu;

	if (bad == n)
		return sarfs_buf_add(&r->preamble, p, n);
	cursor_init(&cu, r, NULL);
	while (cu.off < r->bom + bad)
		cur_getc(&cu);
	sarfs_diag_add(d, SARFS_WARNING, r->file, cu.line, cu.col,
		       "bytes that are not UTF-8; read as Latin-1");
	r->u8.warned = 1;
	return sarfs_latin1_append(&r->preamble, p, n);
}

/* Picks the delimiter, the preamble and whether there is a header, from
 * the sample. *table gets the file offset of the first table row. */
static int detect(struct sarfs_csv_reader *r, uint64_t *table, struct sarfs_diag *d)
{
	struct row h, w;
	size_t k = 0, score, best = 0, kc, i;
	struct cursor cu;
	int rc = 0, npre = 0;

	row_init(&h);
	row_init(&w);
	if (!r->delim) {
		r->delim = candidates[0];
		for (i = 0; i < sizeof(candidates); i++) {
			if (candidates[i] == r->opt.escape)
				continue;
			rc = score_delimiter(r, candidates[i], &kc, &score);
			if (rc)
				goto out;
			/* strictly more: the earlier candidate wins a tie */
			if (score > best) {
				best = score;
				k = kc;
				r->delim = candidates[i];
			}
		}
	} else {
		rc = score_delimiter(r, r->delim, &k, &score);
		if (rc)
			goto out;
	}

	cursor_init(&cu, r, NULL);
	*table = cu.off;
	while ((rc = read_row(&cu, r->delim, r->opt.escape, SIZE_MAX, &h, NULL)) == 1) {
		if (!preamble_shaped(h.n, k))
			break;
		npre++;
	}
	if (rc < 0)
		goto out;
	if (rc == 0) {
		/* no table row in the sample */
		if (r->sample_eof)
			sarfs_diag_add(d, SARFS_WARNING, r->file, 0, 0, "empty CSV file");
		r->header = r->opt.header == 1;
		goto out;
	}
	if (npre) {
		*table = h.start;
		rc = take_preamble(r, (size_t)h.start, d);
		if (rc)
			goto out;
		sarfs_diag_add(d, SARFS_NOTE, r->file, 1, 1,
			       "the text before line %ld is a preamble, not rows", h.line);
	}
	rc = r->opt.header >= 0 ? r->opt.header : looks_like_header(r, &cu, &h, &w);
	if (rc >= 0) {
		r->header = rc;
		rc = 0;
	}
out:
	row_free(&h);
	row_free(&w);
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

static int read_sample(struct sarfs_csv_reader *r)
{
	struct sarfs_in *in = r->in;
	int c;

	r->sample = malloc(SARFS_CSV_SAMPLE);
	if (!r->sample)
		return -ENOMEM;
	while (r->sample_len < SARFS_CSV_SAMPLE && (c = sarfs_in_getc(in)) >= 0)
		r->sample[r->sample_len++] = (unsigned char)c;
	if (in->err)
		return in->err;
	r->sample_eof = sarfs_in_peek(in) < 0;
	if (r->sample_len >= 3 && r->sample[0] == 0xEF && r->sample[1] == 0xBB &&
	    r->sample[2] == 0xBF)
		r->bom = 3;
	return in->err;
}

/* Messages about the row just read that do not depend on the header. */
static void report_row(struct sarfs_csv_reader *r, struct sarfs_diag *d)
{
	struct row *w = &r->row;

	if (w->after_quote)
		sarfs_diag_add(d, SARFS_WARNING, r->file, w->tline, w->tcol,
			       "text after the closing quote of a cell; kept as part of the cell");
	if (w->open_quote)
		sarfs_diag_add(d, SARFS_ERROR, r->file, w->qline, w->qcol,
			       "the file ends inside this quoted cell (truncated?); the row is kept as read");
	if (w->oversize) {
		/* its bad bytes, if any, are not shown: not this warning's */
		r->u8.found = 0;
		return;
	}
	if (r->u8.found && !r->u8.warned) {
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->u8.bad_line, r->u8.bad_col,
			       "bytes that are not UTF-8; read as Latin-1");
		r->u8.warned = 1;
	}
	r->u8.found = 0;
}

/* Cell i of the current row as valid UTF-8 (maybe in r->scratch). */
static const char *text_of(struct sarfs_csv_reader *r, size_t i, size_t *len, int *rc)
{
	const char *p = cell(&r->row, i, len);

	*rc = 0;
	if (sarfs_utf8_valid(p, *len))
		return p;
	sarfs_buf_reset(&r->scratch);
	*rc = sarfs_latin1_append(&r->scratch, p, *len);
	if (!*rc)
		*rc = sarfs_buf_reserve(&r->scratch, 1);
	*len = r->scratch.len;
	return r->scratch.data;
}

/* Puts in out base, or base~2, base~3, ..., whichever is not a key of set
 * yet. For a row's extra cells, which clash only with a header name. */
static int unique_key(struct sarfs_buf *out, const char *base, const json_t *set)
{
	unsigned long k;

	sarfs_buf_reset(out);
	if (sarfs_buf_adds(out, base))
		return -ENOMEM;
	for (k = 2; json_object_get(set, out->data); k++) {
		sarfs_buf_reset(out);
		if (sarfs_buf_printf(out, "%s~%lu", base, k))
			return -ENOMEM;
	}
	return 0;
}

/* Makes base a new name in set, as base or base~k, and records it. set
 * maps each name taken to the next k to try for it, so that a header of
 * a million "x" stays linear. The result is in r->key. */
static int take_name(struct sarfs_csv_reader *r, json_t *set, const char *base)
{
	json_t *next = json_object_get(set, base);
	json_int_t k;

	sarfs_buf_reset(&r->key);
	if (!next)
		return (sarfs_buf_adds(&r->key, base) ||
			json_object_set_new_nocheck(set, base, json_integer(2))) ? -ENOMEM : 0;
	for (k = json_integer_value(next);; k++) {
		sarfs_buf_reset(&r->key);
		if (sarfs_buf_printf(&r->key, "%s~%" JSON_INTEGER_FORMAT, base, k))
			return -ENOMEM;
		if (!json_object_get(set, r->key.data))
			break;
	}
	if (json_integer_set(next, k + 1) ||
	    json_object_set_new_nocheck(set, r->key.data, json_integer(2)))
		return -ENOMEM;
	return 0;
}

/* The header row just read becomes the names: empty ones "column N",
 * repeated ones "name~2", ... Keys are C strings, so a name with a NUL
 * byte is cut there (and then made unique like any other). */
static int take_names(struct sarfs_csv_reader *r)
{
	json_t *set = json_object();
	struct sarfs_buf base = SARFS_BUF_INIT;
	const char *p;
	size_t i, len;
	int rc = 0;

	if (!set)
		return -ENOMEM;
	r->names = calloc(r->row.n ? r->row.n : 1, sizeof(*r->names));
	if (!r->names) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < r->row.n; i++) {
		p = text_of(r, i, &len, &rc);
		if (rc)
			goto out;
		sarfs_buf_reset(&base);
		if (len)
			rc = sarfs_buf_add(&base, p, len);
		else
			rc = sarfs_buf_printf(&base, "column %zu", i + 1);
		rc = rc ? rc : take_name(r, set, base.data);
		if (rc)
			goto out;
		r->names[i] = strdup(r->key.data);
		if (!r->names[i]) {
			rc = -ENOMEM;
			goto out;
		}
		r->nnames++;
	}
out:
	json_decref(set);
	sarfs_buf_destroy(&base);
	return rc;
}

static int start(struct sarfs_csv_reader *r, struct sarfs_diag *d)
{
	uint64_t table = 0;
	int rc;

	r->started = 1;
	rc = read_sample(r);
	if (rc)
		return rc;
	rc = detect(r, &table, d);
	if (rc)
		return rc;
	cursor_init(&r->cu, r, r->in);
	while (r->cu.off < table)
		cur_getc(&r->cu);
	if (!r->header)
		return 0;
	rc = read_row(&r->cu, r->delim, r->opt.escape, r->max_record, &r->row, &r->u8);
	if (rc <= 0)
		return rc < 0 ? rc : r->in->err;
	if (r->in->err)
		return r->in->err;
	report_row(r, d);
	if (r->row.oversize) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->row.line, r->row.col,
			       "header row longer than %zu bytes; the rows are read without names",
			       r->max_record);
		r->header = 0;
		return 0;
	}
	return take_names(r);
}

static int set_cell(struct sarfs_csv_reader *r, json_t *v, size_t i)
{
	size_t len;
	const char *p;
	json_t *s;
	int rc;

	p = text_of(r, i, &len, &rc);
	if (rc)
		return rc;
	s = json_stringn_nocheck(p, len);
	if (!s)
		return -ENOMEM;
	if (json_is_array(v))
		return json_array_append_new(v, s) ? -ENOMEM : 0;
	if (i < r->nnames)
		return json_object_set_new_nocheck(v, r->names[i], s) ? -ENOMEM : 0;
	/* an extra cell: "column N", unless the header took that name */
	sarfs_buf_reset(&r->scratch);
	if (sarfs_buf_printf(&r->scratch, "column %zu", i + 1) ||
	    unique_key(&r->key, r->scratch.data, v)) {
		json_decref(s);
		return -ENOMEM;
	}
	return json_object_set_new_nocheck(v, r->key.data, s) ? -ENOMEM : 0;
}

static void report_ragged(struct sarfs_csv_reader *r, struct sarfs_diag *d)
{
	size_t n = r->row.n, h = r->nnames;

	if (n > h + 1)
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row.line, r->row.col,
			       "more cells (%zu) than header names (%zu); the extra ones are kept as columns %zu to %zu",
			       n, h, h + 1, n);
	else if (n == h + 1)
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row.line, r->row.col,
			       "more cells (%zu) than header names (%zu); the extra one is kept as column %zu",
			       n, h, n);
	else if (n < h)
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row.line, r->row.col,
			       "fewer cells (%zu) than header names (%zu); the missing ones are left out",
			       n, h);
}

int sarfs_csv_next(struct sarfs_csv_reader *r, struct sarfs_record *rec,
		   struct sarfs_diag *d)
{
	json_t *v;
	size_t i;
	int rc;

	json_decref(r->cur);
	r->cur = NULL;
	if (r->done)
		return 0;
	if (!r->started) {
		rc = start(r, d);
		if (rc) {
			r->done = 1;
			return rc;
		}
	}
	for (;;) {
		/* the sample has been read past: let it go */
		if (r->sample && r->cu.pos >= r->cu.len) {
			free(r->sample);
			r->sample = NULL;
			r->cu.buf = NULL;
			r->cu.len = r->cu.pos = 0;
		}
		rc = read_row(&r->cu, r->delim, r->opt.escape, r->max_record, &r->row, &r->u8);
		if (rc < 0)
			return rc;
		if (r->in->err || rc == 0) {
			/* a row cut off by a read error is not shown */
			r->done = 1;
			return r->in->err;
		}
		r->nrow++;
		report_row(r, d);
		if (r->row.oversize) {
			sarfs_diag_add(d, SARFS_ERROR, r->file, r->row.line, r->row.col,
				       "row longer than %zu bytes or with more than %d cells; "
				       "not split out (it is in raw/)", r->max_record, SARFS_CSV_MAX_CELLS);
			continue;
		}
		break;
	}
	if (r->header)
		report_ragged(r, d);
	v = r->header ? json_object() : json_array();
	if (!v)
		return -ENOMEM;
	for (i = 0; i < r->row.n; i++) {
		rc = set_cell(r, v, i);
		if (rc) {
			json_decref(v);
			return rc;
		}
	}
	r->cur = v;
	sarfs_buf_reset(&r->loc);
	if (sarfs_buf_printf(&r->loc, "row %ld, line %ld", r->nrow, r->row.line))
		return -ENOMEM;
	memset(rec, 0, sizeof(*rec));
	rec->value = v;
	rec->index = r->nrow - 1;
	rec->line = r->row.line;
	rec->col = r->row.col;
	rec->locator = r->loc.data;
	rec->bytes = (size_t)(r->cu.off - r->row.start);
	return 1;
}
