/*
 * json.c - streamed JSON / JSON Lines records, and the record renderer.
 *
 * The splitter only finds where records begin and end; it keeps a depth
 * counter and a string flag, never a stack, so no input can exhaust the C
 * stack here. Each record's bytes then go to jansson, whose own depth limit
 * (2048) protects its recursion and ours in the renderer.
 */
#include "sarfs/json.h"

#include "sarfs/names.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RECORD (64u << 20)

enum state {
	ST_START,
	ST_TOP_ARRAY,		/* inside the top-level array */
	ST_TOP_OBJECT,		/* inside the top-level object, before a key */
	ST_MEMBER_ARRAY,	/* inside an array of objects that is a top-level member */
	ST_REST,		/* the top-level object closed: hand out its other members */
	ST_LINES,		/* JSON Lines */
	ST_DONE,
};

struct sarfs_json_reader {
	struct sarfs_in *in;	/* borrowed */
	char *file;		/* owned, for messages */
	enum state st;
	size_t max_record;
	struct sarfs_buf cap;	/* the current record's bytes */
	struct sarfs_buf key;	/* the current top-level key, decoded */
	struct sarfs_buf rawkey;	/* the same, as written (quoted, escaped) */
	json_t *rest;		/* owned: the top-level object's members that are
				 * not arrays of objects, gathered as one record */
	size_t rest_bytes;	/* their size as written, bounded by max_record */
	long obj_line, obj_col;	/* where the top-level object starts */
	struct sarfs_buf loc;	/* the current locator */
	long index;		/* of the next element in the current array */
	int first;		/* no element read yet in the current container */
	int warned_latin1;	/* the Latin-1 warning is given once per file */
	long rec_line, rec_col;
	json_t *cur;		/* owned: the record handed out last */
	const char *const *keys;	/* borrowed: set by sarfs_json_prerender() */
	struct sarfs_buf text;	/* the record handed out last, rendered */
	int rendered;		/* text holds it */
};

int sarfs_json_open(struct sarfs_in *in, const char *file, enum sarfs_json_mode mode,
		    size_t max_record, struct sarfs_json_reader **out)
{
	struct sarfs_json_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->file = strdup(file);
	if (!r->file) {
		free(r);
		return -ENOMEM;
	}
	r->in = in;
	r->st = mode == SARFS_JSON_LINES ? ST_LINES : ST_START;
	r->max_record = max_record ? max_record : DEFAULT_MAX_RECORD;
	*out = r;
	return 0;
}

void sarfs_json_prerender(struct sarfs_json_reader *r, const char *const *keys)
{
	r->keys = keys;
}

void sarfs_json_close(struct sarfs_json_reader *r)
{
	if (!r)
		return;
	json_decref(r->cur);
	sarfs_buf_destroy(&r->cap);
	sarfs_buf_destroy(&r->text);
	sarfs_buf_destroy(&r->key);
	sarfs_buf_destroy(&r->rawkey);
	json_decref(r->rest);
	sarfs_buf_destroy(&r->loc);
	free(r->file);
	free(r);
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int skip_ws(struct sarfs_in *in)
{
	int c;

	while ((c = sarfs_in_peek(in)) >= 0 && is_ws(c))
		sarfs_in_getc(in);
	return c;
}

/* Appends c to the capture unless the record is already too big. */
static int keep(struct sarfs_json_reader *r, int c, int *oversize)
{
	if (r->cap.len >= r->max_record) {
		*oversize = 1;
		return 0;
	}
	return sarfs_buf_addc(&r->cap, (char)c);
}

/* Captures one JSON value starting at the next byte (not whitespace), or,
 * if open_bracket, the rest of an array whose '[' was already consumed at
 * line/col. Returns 1 if captured, 0 if the value was cut short by the end
 * of the file or was too big (reported), or -ENOMEM. */
static int capture_value(struct sarfs_json_reader *r, struct sarfs_diag *d, int open_bracket,
			 long line, long col)
{
	struct sarfs_in *in = r->in;
	long depth = open_bracket ? 1 : 0, deepest = depth;
	int c, in_str = 0, oversize = 0, rc = 0;

	sarfs_buf_reset(&r->cap);
	r->rec_line = open_bracket ? line : in->line;
	r->rec_col = open_bracket ? col : in->col;
	if (open_bracket && sarfs_buf_addc(&r->cap, '['))
		return -ENOMEM;
	c = open_bracket ? '[' : sarfs_in_peek(in);
	if (c != '{' && c != '[' && c != '"') {
		/* a scalar: up to the next delimiter */
		while ((c = sarfs_in_peek(in)) >= 0 && !is_ws(c) && c != ',' && c != ']' &&
		       c != '}' && !rc)
			rc = keep(r, sarfs_in_getc(in), &oversize);
		return rc ? rc : 1;
	}
	/* A container or a string: scan the buffer directly and take each run
	 * whole, with the scanner's state (in a string, after a backslash)
	 * carried across refills. */
	{
		int esc = 0, done = 0;

		c = 0;
		while (!done && !rc) {
			const unsigned char *p, *q, *e;

			if (in->pos == in->len && !sarfs_in_fill(in)) {
				c = -1;
				break;
			}
			p = q = in->buf + in->pos;
			e = in->buf + in->len;
			while (q < e) {
				unsigned char b = *q++;

				if (in_str) {
					if (esc)
						esc = 0;
					else if (b == '\\')
						esc = 1;
					else if (b == '"' && (in_str = 0, depth == 0))
						done = 1;
				} else if (b == '"') {
					in_str = 1;
				} else if (b == '{' || b == '[') {
					if (++depth > deepest)
						deepest = depth;
				} else if ((b == '}' || b == ']') && --depth == 0) {
					done = 1;
				}
				if (done)
					break;
			}
			if (r->cap.len + (size_t)(q - p) > r->max_record)
				oversize = 1;
			else
				rc = sarfs_buf_add(&r->cap, p, (size_t)(q - p));
			sarfs_in_consume(in, (size_t)(q - p));
		}
	}
	if (rc)
		return rc;
	if (c < 0) {
		if (in->err)
			return in->err;
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->rec_line, r->rec_col,
			       "the file ends inside this value (truncated?)");
		return 0;
	}
	if (oversize) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->rec_line, r->rec_col,
			       "record larger than %zu bytes; not split out (it is in raw/)",
			       r->max_record);
		return 0;
	}
	/* Rendering indents by depth: a deep record renders hundreds of times
	 * larger than it is. Real exports nest a dozen levels. */
	if (deepest > SARFS_JSON_MAX_DEPTH) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->rec_line, r->rec_col,
			       "record nested deeper than %d levels; not split out (it is in raw/)",
			       SARFS_JSON_MAX_DEPTH);
		return 0;
	}
	return 1;
}

static int capture(struct sarfs_json_reader *r, struct sarfs_diag *d)
{
	return capture_value(r, d, 0, 0, 0);
}

/* Byte position pos of the capture as an absolute line and column. */
static void where(const struct sarfs_json_reader *r, size_t pos, long *line, long *col)
{
	size_t i;

	*line = r->rec_line;
	*col = r->rec_col;
	for (i = 0; i < pos && i < r->cap.len; i++) {
		if (r->cap.data[i] == '\n' ||
		    (r->cap.data[i] == '\r' && (i + 1 >= r->cap.len || r->cap.data[i + 1] != '\n'))) {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Wraps the number that ends at pos in quotes. Returns 0, 1 if there was
 * no number there, or -ENOMEM. */
static int quote_number(struct sarfs_buf *b, size_t pos, size_t *start_out, size_t *end_out)
{
	size_t s = pos, e = pos;

	if (pos > b->len)
		return 1;
	while (s > 0 && num_char(b->data[s - 1]))
		s--;
	while (e < b->len && num_char(b->data[e]))
		e++;
	if (s == e)
		return 1;
	if (sarfs_buf_reserve(b, 2))
		return -ENOMEM;
	memmove(b->data + e + 2, b->data + e, b->len - e);
	memmove(b->data + s + 1, b->data + s, e - s);
	b->data[s] = '"';
	b->data[e + 1] = '"';
	b->len += 2;
	b->data[b->len] = '\0';
	*start_out = s;
	*end_out = e + 1;
	return 0;
}

/* The quotes parse() put around numbers in a capture, so that messages
 * give the columns of the text as written. Each pair is inserted after the
 * ones before it (jansson reads left to right), at most 64 per record. */
struct quoted {
	size_t at[64], end[64];	/* each pair's quotes, in the capture */
	unsigned n;
};

/* where() for a position of the capture, in the text as written. */
static void where_written(const struct sarfs_json_reader *r, const struct quoted *q, size_t pos,
			  long *line, long *col)
{
	unsigned k;

	where(r, pos, line, col);
	for (k = 0; k < q->n; k++) {
		size_t i;

		if (q->at[k] >= pos)
			continue;
		for (i = q->at[k]; i < pos && r->cap.data[i] != '\n' && r->cap.data[i] != '\r'; i++)
			;
		if (i == pos)	/* on pos's line, before it */
			*col -= pos > q->end[k] ? 2 : 1;
	}
}

/* Quotes the number that ends at (or spans) position at of the capture,
 * and says why. Returns 0, 1 if there is no number there, or -ENOMEM. */
static int keep_number_as_text(struct sarfs_json_reader *r, struct quoted *q, size_t at,
			       const char *why, struct sarfs_diag *d)
{
	size_t s = 0, e = 0;
	long line, col;
	int rc = quote_number(&r->cap, at, &s, &e);

	if (rc)
		return rc;
	where_written(r, q, s, &line, &col);
	if (q->n < 64) {
		q->at[q->n] = s;
		q->end[q->n++] = e;
	}
	sarfs_diag_add(d, SARFS_WARNING, r->file, line, col, "%s", why);
	return 0;
}

/* jansson checks a real for overflow only: one too small for a double
 * (1e-400) would read as 0 and show as 0.0, a different number. Such
 * numbers are kept as text first, as integers beyond 64 bits are. Returns
 * 0 or -ENOMEM. */
static int quote_underflows(struct sarfs_json_reader *r, struct quoted *q, struct sarfs_diag *d)
{
	size_t i;
	int in_str = 0, esc = 0, rc;

	for (i = 0; i < r->cap.len; i++) {
		char c = r->cap.data[i], *tok, *end;
		size_t e;
		int nonzero = 0, real = 0, in_exp = 0;
		double v;

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			continue;
		}
		if (!num_char(c) || c == '+' || c == 'e' || c == 'E' || c == '.')
			continue;
		for (e = i; e < r->cap.len && num_char(r->cap.data[e]); e++) {
			char x = r->cap.data[e];

			if (x == '.' || x == 'e' || x == 'E')
				real = 1;
			if (x == 'e' || x == 'E')
				in_exp = 1;
			else if (!in_exp && x >= '1' && x <= '9')
				nonzero = 1;
		}
		if (real && nonzero) {
			tok = strndup(r->cap.data + i, e - i);
			if (!tok)
				return -ENOMEM;
			v = strtod(tok, &end);
			rc = *end == '\0' && v == 0;
			free(tok);
			if (rc) {
				rc = keep_number_as_text(r, q, e, "number too small for a double (it would "
							 "read as 0); kept as text, digit for digit", d);
				if (rc < 0)
					return rc;
				e += 2;
			}
		}
		i = e - 1;
	}
	return 0;
}

/* Where the token jansson complains about starts: its position is just
 * past the token, and its message quotes the token ("near 'tru'"). */
static size_t error_start(const json_error_t *err)
{
	const char *near = strstr(err->text, " near '");
	size_t len = 1, pos = err->position > 0 ? (size_t)err->position : 1;

	if (near) {
		const char *q = strrchr(near + 7, '\'');

		if (q && q > near + 7)
			len = (size_t)(q - (near + 7));
	}
	return pos >= len ? pos - len : 0;
}

/* Parses the capture. Returns 1 with r->cur set, 0 if it does not parse
 * (reported), or -ENOMEM. */
static int parse(struct sarfs_json_reader *r, int fast, struct sarfs_diag *d)
{
	struct quoted q = { .n = 0 };
	json_error_t err;
	long line, col;
	int tries, repaired = 0, rc;

	json_decref(r->cur);
	r->cur = NULL;
	r->rendered = 0;
	if (fast && r->keys) {
		/* the common case, a well-formed record, is rendered straight
		 * from its bytes; anything else (and a record too big to
		 * render) goes through jansson, which reports or repairs it */
		int f;

		sarfs_buf_reset(&r->text);
		f = sarfs_json_render_text(r->cap.data ? r->cap.data : "", r->cap.len, &r->text,
					   16 * r->cap.len + 65536, r->keys, &r->cur);
		if (f == -ENOMEM)
			return f;
		if (f == 0) {
			r->rendered = 1;
			return 1;
		}
	}
	rc = quote_underflows(r, &q, d);
	if (rc)
		return rc;
	for (tries = 0; tries < 64; tries++) {
		r->cur = json_loadb(r->cap.data ? r->cap.data : "", r->cap.len,
				    JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (r->cur)
			return 1;
		if (json_error_code(&err) == json_error_invalid_utf8 && !repaired) {
			size_t first = sarfs_utf8_first_invalid(r->cap.data, r->cap.len);

			if (!r->warned_latin1) {
				where_written(r, &q, first, &line, &col);
				sarfs_diag_add(d, SARFS_WARNING, r->file, line, col,
					       "bytes that are not UTF-8; read as Latin-1 "
					       "(here first; maybe elsewhere in the file too)");
				r->warned_latin1 = 1;
			}
			if (sarfs_latin1_repair(&r->cap))
				return -ENOMEM;
			/* the repair moves what follows: columns are
			 * approximate from here on */
			q.n = 0;
			repaired = 1;
			continue;
		}
		if (json_error_code(&err) == json_error_numeric_overflow) {
			rc = keep_number_as_text(r, &q, (size_t)err.position,
						 "number beyond 64-bit range; kept as text, digit for digit",
						 d);
			if (rc < 0)
				return rc;
			if (rc == 0)
				continue;
		}
		break;
	}
	where_written(r, &q, error_start(&err), &line, &col);
	sarfs_diag_add(d, SARFS_ERROR, r->file, line, col, "%s", err.text);
	return 0;
}

static int set_loc_pointer(struct sarfs_json_reader *r, int with_key, long index)
{
	int rc = 0;

	sarfs_buf_reset(&r->loc);
	if (with_key) {
		rc |= sarfs_buf_addc(&r->loc, '/');
		rc |= sarfs_json_pointer_escape(&r->loc, r->key.data ? r->key.data : "");
	}
	if (index >= 0)
		rc |= sarfs_buf_printf(&r->loc, "/%ld", index);
	if (!r->loc.data)
		rc |= sarfs_buf_reserve(&r->loc, 1);
	return rc ? -ENOMEM : 0;
}

/* Skips "window.YTD.x.part0 = " and the like: an identifier chain and '='
 * within the first buffered bytes. Anything else (true, false, null, a
 * bad file) is left for the parser. */
static void skip_js_assignment(struct sarfs_in *in)
{
	size_t i, n;
	int c = sarfs_in_peek(in);

	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'))
		return;
	/* the whole window, however the file's reads were cut */
	n = sarfs_in_ahead(in, 4097);
	for (i = 0; i < n && i < 4096; i++) {
		unsigned char b = in->buf[in->pos + i];

		if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
		    b == '_' || b == '$' || b == '.' || b == ' ' || b == '\t')
			continue;
		if (b != '=')
			return;
		break;
	}
	if (i == n || i == 4096)
		return;
	while (i-- > 0)
		sarfs_in_getc(in);
	sarfs_in_getc(in);	/* the '=' */
}

static void skip_bom(struct sarfs_in *in)
{
	if (sarfs_in_ahead(in, 3) >= 3 && in->buf[in->pos] == 0xEF &&
	    in->buf[in->pos + 1] == 0xBB && in->buf[in->pos + 2] == 0xBF) {
		sarfs_in_getc(in);
		sarfs_in_getc(in);
		sarfs_in_getc(in);
		in->col = 1;
	}
}

/* After an element: ',' continues, close ends the container. Returns 1 to
 * continue, 0 at the close, -1 on a syntax error (reported). */
static int after_element(struct sarfs_json_reader *r, int close, struct sarfs_diag *d)
{
	int c = skip_ws(r->in);

	if (c == ',') {
		sarfs_in_getc(r->in);
		return 1;
	}
	if (c == close) {
		sarfs_in_getc(r->in);
		return 0;
	}
	if (c < 0)
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->in->line, r->in->col,
			       "the file ends before '%c' (truncated?)", close);
	else
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->in->line, r->in->col,
			       "expected ',' or '%c' but found '%c'; the rest of the file is not split",
			       close, c);
	return -1;
}

static int read_key(struct sarfs_json_reader *r, struct sarfs_diag *d)
{
	json_t *k;
	int rc;

	rc = capture(r, d);
	if (rc <= 0)
		return rc < 0 ? rc : -EINVAL;
	k = json_loadb(r->cap.data, r->cap.len, JSON_DECODE_ANY, NULL);
	if (!json_is_string(k)) {
		json_decref(k);
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->rec_line, r->rec_col,
			       "expected a member name; the rest of the file is not split");
		return -EINVAL;
	}
	sarfs_buf_reset(&r->key);
	sarfs_buf_reset(&r->rawkey);
	rc = sarfs_buf_add(&r->key, json_string_value(k), strlen(json_string_value(k)));
	rc = rc ? rc : sarfs_buf_add(&r->rawkey, r->cap.data, r->cap.len);
	json_decref(k);
	return rc;
}

/* Adds the captured member to the object's gathered record. Returns 1, 0
 * if it is left out (reported: it does not parse or does not fit), or
 * -ENOMEM. */
static int add_rest(struct sarfs_json_reader *r, struct sarfs_diag *d)
{
	long line = r->rec_line, col = r->rec_col;
	int rc;

	if (r->rest_bytes >= r->max_record)
		return 0;	/* said once, for the first member left out */
	if (r->rest_bytes + r->cap.len > r->max_record) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "the top-level members outgrow %zu bytes; \"%s\" and later ones are "
			       "not split out (they are in raw/)", r->max_record, r->key.data);
		r->rest_bytes = r->max_record;
		return 0;
	}
	rc = parse(r, 0, d);
	if (rc <= 0)
		return rc;
	if (!r->rest && !(r->rest = json_object()))
		return -ENOMEM;
	if (json_object_get(r->rest, r->key.data))
		sarfs_diag_add(d, SARFS_WARNING, r->file, line, col,
			       "member \"%s\" appears twice; the last one is shown", r->key.data);
	r->rest_bytes += r->cap.len;
	rc = json_object_set_new(r->rest, r->key.data, r->cur);
	r->cur = NULL;
	return rc ? -ENOMEM : 1;
}

static int fill_record(struct sarfs_json_reader *r, struct sarfs_record *rec,
		       const char *group, long index)
{
	memset(rec, 0, sizeof(*rec));
	rec->value = r->cur;
	rec->group = group;
	rec->index = index;
	rec->line = r->rec_line;
	rec->col = r->rec_col;
	rec->locator = r->loc.data;
	rec->bytes = r->cap.len;
	if (r->rendered && r->cur) {
		rec->text = r->text.data;
		rec->text_len = r->text.len;
	}
	return 1;
}

static int next_line(struct sarfs_json_reader *r, struct sarfs_record *rec,
		     struct sarfs_diag *d)
{
	struct sarfs_in *in = r->in;
	int c, rc, oversize;

	for (;;) {
		if (in->line == 1 && in->offset == 0)
			skip_bom(in);
		while ((c = sarfs_in_peek(in)) == ' ' || c == '\t')
			sarfs_in_getc(in);
		if (c < 0)
			return in->err ? in->err : 0;
		if (c == '\n' || c == '\r') {
			sarfs_in_getc(in);
			continue;
		}
		sarfs_buf_reset(&r->cap);
		r->rec_line = in->line;
		r->rec_col = in->col;
		oversize = 0;
		rc = 0;
		for (;;) {
			const unsigned char *p, *q, *e, *cr;

			if (in->pos == in->len && !sarfs_in_fill(in))
				break;
			p = in->buf + in->pos;
			e = in->buf + in->len;
			q = memchr(p, '\n', (size_t)(e - p));
			if (!q)
				q = e;
			cr = memchr(p, '\r', (size_t)(q - p));
			if (cr)
				q = cr;
			if (r->cap.len + (size_t)(q - p) > r->max_record)
				oversize = 1;
			else if ((rc = sarfs_buf_add(&r->cap, p, (size_t)(q - p))) != 0)
				return rc;
			sarfs_in_consume_inline(in, (size_t)(q - p));
			if (q < e)
				break;	/* at the line end */
		}
		if (oversize) {
			sarfs_diag_add(d, SARFS_ERROR, r->file, r->rec_line, r->rec_col,
				       "line longer than %zu bytes; not split out (it is in raw/)",
				       r->max_record);
			r->index++;
			continue;
		}
		rc = parse(r, 1, d);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			r->index++;
			continue;
		}
		sarfs_buf_reset(&r->loc);
		if (sarfs_buf_printf(&r->loc, "line %ld", r->rec_line))
			return -ENOMEM;
		return fill_record(r, rec, NULL, r->index++);
	}
}

int sarfs_json_next(struct sarfs_json_reader *r, struct sarfs_record *rec,
		    struct sarfs_diag *d)
{
	struct sarfs_in *in = r->in;
	int c, rc;

	json_decref(r->cur);
	r->cur = NULL;
	r->rendered = 0;
	if (r->st == ST_LINES)
		return next_line(r, rec, d);
	for (;;) {
		switch (r->st) {
		case ST_START:
			skip_bom(in);
			skip_ws(in);
			skip_js_assignment(in);
			c = skip_ws(in);
			if (c < 0) {
				r->st = ST_DONE;
				if (in->err)
					return in->err;
				sarfs_diag_add(d, SARFS_WARNING, r->file, 0, 0, "empty JSON file");
				return 0;
			}
			if (c == '[' || c == '{') {
				r->obj_line = in->line;
				r->obj_col = in->col;
				sarfs_in_getc(in);
				r->st = c == '[' ? ST_TOP_ARRAY : ST_TOP_OBJECT;
				r->first = 1;
				r->index = 0;
				continue;
			}
			r->st = ST_DONE;
			if (!strchr("\"-0123456789tfn", c)) {
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
					       "not JSON: it starts with the byte 0x%02X; not split into records "
					       "(it is in raw/)", c);
				sarfs_in_drain(in);
				return in->err;
			}
			rc = capture(r, d);
			if (rc <= 0)
				return rc;
			rc = parse(r, 1, d);
			if (rc <= 0)
				return rc;
			sarfs_buf_reset(&r->loc);
			if (sarfs_buf_reserve(&r->loc, 1))
				return -ENOMEM;
			return fill_record(r, rec, NULL, -1);

		case ST_TOP_ARRAY:
		case ST_MEMBER_ARRAY: {
			int member = r->st == ST_MEMBER_ARRAY;
			long index;

			c = skip_ws(in);
			if (r->first && c == ']') {
				sarfs_in_getc(in);
				r->st = ST_DONE;
				if (member)
					r->st = after_element(r, '}', d) > 0 ? ST_TOP_OBJECT : ST_REST;
				continue;
			}
			if (!r->first) {
				rc = after_element(r, ']', d);
				if (rc < 0) {
					r->st = member ? ST_REST : ST_DONE;
					if (in->err)
						return in->err;
					continue;
				}
				if (rc == 0) {
					r->st = ST_DONE;
					if (member)
						r->st = after_element(r, '}', d) > 0 ? ST_TOP_OBJECT : ST_REST;
					continue;
				}
				c = skip_ws(in);
			}
			r->first = 0;
			if (c < 0) {
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
					       "the file ends inside an array (truncated?)");
				r->st = ST_DONE;
				return in->err;
			}
			index = r->index++;
			rc = capture(r, d);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				if (c < 0 || sarfs_in_peek(in) < 0)
					r->st = ST_DONE;
				continue;
			}
			rc = parse(r, 1, d);
			if (rc < 0)
				return rc;
			if (rc == 0)
				continue;
			if (set_loc_pointer(r, member, index))
				return -ENOMEM;
			return fill_record(r, rec, member ? r->key.data : NULL, index);
		}

		case ST_TOP_OBJECT: {
			long line, col;

			c = skip_ws(in);
			if (c == '}') {
				sarfs_in_getc(in);
				r->st = ST_REST;
				continue;
			}
			if (c != '"') {
				if (c < 0)
					sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
						       "the file ends inside an object (truncated?)");
				else
					sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
						       "expected a member name but found '%c'; the rest of the file is not split",
						       c);
				sarfs_in_drain(in);
				r->st = ST_REST;
				if (in->err)
					return in->err;
				continue;
			}
			rc = read_key(r, d);
			if (rc == -ENOMEM)
				return rc;
			c = rc ? 0 : skip_ws(in);
			if (!rc && c != ':')
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
					       "expected ':' after a member name; the rest of the file is not split");
			if (rc || c != ':') {
				sarfs_in_drain(in);
				r->st = ST_REST;
				if (in->err)
					return in->err;
				continue;
			}
			sarfs_in_getc(in);
			c = skip_ws(in);
			line = in->line;
			col = in->col;
			if (c == '[') {
				/* an array of objects is a folder of records; any
				 * other array stays a value of the object's record */
				sarfs_in_getc(in);
				if (skip_ws(in) == '{') {
					r->st = ST_MEMBER_ARRAY;
					r->first = 1;
					r->index = 0;
					continue;
				}
				rc = capture_value(r, d, 1, line, col);
			} else if (c < 0) {
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
					       "the file ends inside an object (truncated?)");
				r->st = ST_REST;
				if (in->err)
					return in->err;
				continue;
			} else {
				rc = capture(r, d);
			}
			if (rc > 0)
				rc = add_rest(r, d);
			if (rc < 0)
				return rc;
			/* The other members still make a record: say that it
			 * lacks this one, or it would look whole. */
			if (rc == 0 && r->rest_bytes < r->max_record)
				sarfs_diag_add(d, SARFS_NOTE, r->file, line, col,
					       "so the record of the top-level object is shown "
					       "without member \"%s\"", r->key.data);
			if (after_element(r, '}', d) <= 0)
				r->st = ST_REST;
			continue;
		}

		case ST_REST:
			r->st = ST_DONE;
			if (!r->rest)
				continue;
			r->cur = r->rest;
			r->rest = NULL;
			r->rec_line = r->obj_line;
			r->rec_col = r->obj_col;
			sarfs_buf_reset(&r->loc);
			if (sarfs_buf_reserve(&r->loc, 1))
				return -ENOMEM;
			fill_record(r, rec, NULL, -1);
			/* its size is that of the members gathered, not of whatever
			 * was captured last (which depends on where reads ended and
			 * would set the renderer's budget at random) */
			rec->bytes = r->rest_bytes;
			return 1;

		case ST_DONE:
			c = skip_ws(in);
			if (c == ';') {
				sarfs_in_getc(in);
				c = skip_ws(in);
			}
			if (c >= 0) {
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
					       "unexpected text after the JSON value; ignored");
				sarfs_in_drain(in);
			}
			return in->err;
		default:
			return 0;
		}
	}
}

/* ---- rendering -------------------------------------------------------- */

int sarfs_json_pointer_escape(struct sarfs_buf *out, const char *key)
{
	int rc = 0;

	for (; *key && !rc; key++) {
		if (*key == '~')
			rc = sarfs_buf_add(out, "~0", 2);
		else if (*key == '/')
			rc = sarfs_buf_add(out, "~1", 2);
		else
			rc = sarfs_buf_addc(out, *key);
	}
	return rc;
}

int sarfs_json_format_real(double v, struct sarfs_buf *out)
{
	char tmp[48];
	int prec, lo = 1, hi = 17, exp10;

	/* The fewest significant digits that read back as v, by bisection:
	 * if p digits read back, p + 1 do too (the nearest (p+1)-digit decimal
	 * is at least as near as the p-digit one, which is one of them), and
	 * 17 always do ... */
	while (lo < hi) {
		prec = lo + (hi - lo) / 2;
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			hi = prec;
		else
			lo = prec + 1;
	}
	prec = lo;
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
	/* ... written plainly where that is short (as Python's repr does),
	 * and always with a '.' or an exponent so it stays a real. */
	exp10 = atoi(strchr(tmp, 'e') + 1);
	if (exp10 >= -4 && exp10 < 16) {
		snprintf(tmp, sizeof(tmp), "%.*f", prec - 1 - exp10 > 0 ? prec - 1 - exp10 : 0, v);
		if (!strchr(tmp, '.'))
			strcat(tmp, ".0");
	} else {
		char *e = strchr(tmp, 'e');
		char mant[32];

		/* "1.000e+300" cannot occur (shortest), but "1e+300" needs no '.' */
		snprintf(mant, sizeof(mant), "%.*s", (int)(e - tmp), tmp);
		snprintf(tmp, sizeof(tmp), "%se%s%d", mant, exp10 < 0 ? "-" : "+", abs(exp10));
	}
	return sarfs_buf_adds(out, tmp);
}

static int render_string(const char *s, size_t n, struct sarfs_buf *out)
{
	size_t i, run = 0;
	int rc = sarfs_buf_addc(out, '"');

	for (i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];

		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\r')
			esc = "\\r";
		else if (c < 0x20 || c == 0x7F) {
			snprintf(u, sizeof(u), "\\u%04x", c);
			esc = u;
		}
		if (!esc)
			continue;
		rc = sarfs_buf_add(out, s + run, i - run);
		if (!rc)
			rc = sarfs_buf_adds(out, esc);
		run = i + 1;
	}
	if (!rc)
		rc = sarfs_buf_add(out, s + run, n - run);
	return rc ? rc : sarfs_buf_addc(out, '"');
}

static int indent(struct sarfs_buf *out, int level, size_t limit)
{
	int rc;

	if (out->len > limit)
		return -EFBIG;
	rc = sarfs_buf_addc(out, '\n');
	while (!rc && level-- > 0)
		rc = sarfs_buf_add(out, "  ", 2);
	return rc;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int render(const json_t *v, struct sarfs_buf *out, int level, size_t limit)
{
	int rc = 0;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		const char **keys;
		if (n == 0)
			return sarfs_buf_add(out, "{}", 2);
		keys = malloc(n * sizeof(*keys));
		if (!keys)
			return -ENOMEM;
		/* jansson's iterators take a non-const object; we only read */
		for (void *it = json_object_iter((json_t *)(uintptr_t)v); it;
		     it = json_object_iter_next((json_t *)(uintptr_t)v, it))
			keys[i++] = json_object_iter_key(it);
		qsort(keys, n, sizeof(*keys), cmp_keys);
		rc = sarfs_buf_addc(out, '{');
		for (i = 0; i < n && !rc; i++) {
			rc = indent(out, level + 1, limit);
			rc = rc ? rc : render_string(keys[i], strlen(keys[i]), out);
			rc = rc ? rc : sarfs_buf_add(out, ": ", 2);
			rc = rc ? rc : render(json_object_get(v, keys[i]), out, level + 1, limit);
			if (!rc && i + 1 < n)
				rc = sarfs_buf_addc(out, ',');
		}
		free(keys);
		rc = rc ? rc : indent(out, level, limit);
		return rc ? rc : sarfs_buf_addc(out, '}');
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v), i;

		if (n == 0)
			return sarfs_buf_add(out, "[]", 2);
		rc = sarfs_buf_addc(out, '[');
		for (i = 0; i < n && !rc; i++) {
			rc = indent(out, level + 1, limit);
			rc = rc ? rc : render(json_array_get(v, i), out, level + 1, limit);
			if (!rc && i + 1 < n)
				rc = sarfs_buf_addc(out, ',');
		}
		rc = rc ? rc : indent(out, level, limit);
		return rc ? rc : sarfs_buf_addc(out, ']');
	}
	case JSON_STRING:
		return render_string(json_string_value(v), json_string_length(v), out);
	case JSON_INTEGER:
		return sarfs_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		return sarfs_json_format_real(json_real_value(v), out);
	case JSON_TRUE:
		return sarfs_buf_add(out, "true", 4);
	case JSON_FALSE:
		return sarfs_buf_add(out, "false", 5);
	default:
		return sarfs_buf_add(out, "null", 4);
	}
}

int sarfs_json_render(const json_t *v, struct sarfs_buf *out)
{
	return sarfs_json_render_max(v, out, SIZE_MAX);
}

int sarfs_json_render_max(const json_t *v, struct sarfs_buf *out, size_t limit)
{
	size_t start = out->len;
	int rc = render(v, out, 0, start + limit > start ? start + limit : SIZE_MAX);

	if (!rc && out->len - start > limit)
		rc = -EFBIG;
	return rc ? rc : sarfs_buf_addc(out, '\n');
}
