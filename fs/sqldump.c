/*
 * sqldump.c - mysqldump text as a stream of records (sqldump.h).
 *
 * A tokenizer with one byte of lookahead over sarfs_in, not an SQL parser:
 * it knows the lexical rules that decide where a statement ends (quotes,
 * the three kinds of comment, the client's DELIMITER command), the column
 * names of CREATE TABLE, and the VALUES rows of INSERT / REPLACE. Anything
 * else is skipped to its delimiter. It evaluates no expression: a value is
 * a literal (string, number, hex, bit, NULL) or the row is reported and
 * left out.
 *
 * Memory: the current row (bounded by max_record, measured in dump bytes,
 * and by MAX_VALUES), the current INSERT's column list, and the schema (the
 * table and column names, bounded as a whole by max_record or 1 MiB,
 * whichever is more, so that a hostile dump of endless CREATE TABLEs
 * cannot grow it either).
 */
#include "sarfs/sqldump.h"

#include "sarfs/buf.h"
#include "sarfs/hash.h"
#include "sarfs/names.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RECORD (64u << 20)
#define NAME_MAX_BYTES 1024	/* MySQL allows 64 characters; this is generous */
#define MAX_VALUES 65536	/* MySQL allows 4096 columns per table */
#define DELIM_MAX 16
#define WORD_MAX 32		/* keywords; longer words are never keywords */
#define SCHEMA_MIN (1u << 20)	/* the schema budget when max_record is smaller */

/* What gap() can return besides a byte. */
#define C_EOF (-1)		/* end of the dump, or the stream's error */
#define C_DASH (-2)		/* a '-' that starts no comment was consumed */
#define C_DASHDASH (-3)		/* "--" not followed by a space was consumed */
#define C_SLASH (-4)		/* a '/' that starts no comment was consumed */

/* What the value and row readers return besides 0 and a negative errno. */
#define V_BAD 1			/* reported; the rest of the row is to be skipped */
#define V_EOF 2			/* the dump ended inside the value */
#define NO_NAME 3		/* read_name(): no name starts here */

enum state {
	ST_STMT,		/* between statements */
	ST_ROWS,		/* inside the VALUES list of an INSERT */
	ST_END,
};

enum kind {
	K_TEXT,			/* the dump's own characters: UTF-8, else Latin-1 */
	K_BINARY,		/* _binary, X'..', 0x..: text only if it is text */
	K_LATIN1,		/* _latin1 introducer */
};

/* A growable list of owned strings, kept NULL-terminated. */
struct names {
	char **v;		/* owned, as are its strings */
	size_t n, cap;
	size_t bytes;		/* charged to the schema budget */
};

struct table {
	char *name;		/* owned, UTF-8 */
	struct names cols;	/* v == NULL: no CREATE TABLE column list seen */
	long nrows;		/* rows met so far, including those left out */
	int warned;		/* the "no CREATE TABLE" warning was given */
	int warned_dup;		/* the "column named twice" warning was given */
};

/* An incremental UTF-8 check, fed byte by byte with each byte's position,
 * so that the warning can name the exact line and column of the first bad
 * byte even though escapes make the value differ from the dump's text. */
struct u8chk {
	int need;		/* continuation bytes still expected */
	size_t start;		/* index of the current sequence's lead byte */
	long line, col;		/* of that lead byte */
	int bad;
	long bad_line, bad_col;
};

struct sarfs_sqldump_reader {
	struct sarfs_in *in;	/* borrowed */
	char *file;		/* owned, for messages */
	size_t max_record;
	enum state st;
	char delim[DELIM_MAX + 1];
	struct table **tables;	/* owned, as are the tables */
	size_t ntables, captables;
	size_t schema_bytes, schema_max;
	/* the current INSERT */
	struct table *tbl;	/* borrowed from tables */
	struct names ins_cols;	/* its explicit column list, if has_ins_cols */
	int has_ins_cols;
	int first_row;
	/* the current row */
	long row_line, row_col;
	uint64_t row_off;
	int oversize;
	/* scratch */
	struct sarfs_buf word;	/* a keyword, as written */
	struct sarfs_buf name;	/* an identifier, UTF-8 */
	struct sarfs_buf val;	/* a value's bytes */
	struct sarfs_buf tmp;
	struct sarfs_buf loc;	/* the current locator */
	struct names newcols;	/* the CREATE TABLE being read */
	json_t *cur;		/* owned: the record handed out last */
	/* whole-file facts */
	int latin1_warned;
	int is_dump;		/* "-- MySQL dump" seen: expect "-- Dump completed" */
	int completed;
	int truncated;		/* the end of the dump was reported */
};

/* ---- small helpers ---------------------------------------------------- */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters of an unquoted identifier or keyword (MySQL also allows any
 * non-ASCII character there). */
static int is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || c >= 0x80;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}


/* s equals the upper-case kw, ignoring ASCII case only, so that no locale
 * (Turkish dotless i) changes what a keyword is. */
static int upper_is(const char *s, const char *kw)
{
	for (; *s && *kw; s++, kw++) {
		int c = (unsigned char)*s;

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != *kw)
			return 0;
	}
	return *s == '\0' && *kw == '\0';
}

static int word_is(const struct sarfs_buf *w, const char *kw)
{
	return w->data && upper_is(w->data, kw);
}

/* How many bytes gap() consumed before returning one of its C_ codes. */
static long spent(int c)
{
	return c == C_DASHDASH ? 2 : c == C_DASH || c == C_SLASH ? 1 : 0;
}

static void names_clear(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	ns->n = 0;
	ns->bytes = 0;
	if (ns->v)
		ns->v[0] = NULL;
}

static void names_destroy(struct names *ns)
{
	names_clear(ns);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

static int names_add(struct names *ns, const char *s, size_t len)
{
	char *copy;

	if (ns->n + 2 > ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 16;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	ns->v[ns->n++] = copy;
	ns->v[ns->n] = NULL;
	ns->bytes += len + 1 + sizeof(char *);
	return 0;
}

/* ---- open / close ----------------------------------------------------- */

int sarfs_sqldump_open(struct sarfs_in *in, const char *file, size_t max_record,
		       struct sarfs_sqldump_reader **out)
{
	struct sarfs_sqldump_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->file = strdup(file);
	if (!r->file) {
		free(r);
		return -ENOMEM;
	}
	r->in = in;
	r->st = ST_STMT;
	r->max_record = max_record ? max_record : DEFAULT_MAX_RECORD;
	r->schema_max = r->max_record > SCHEMA_MIN ? r->max_record : SCHEMA_MIN;
	strcpy(r->delim, ";");
	*out = r;
	return 0;
}

void sarfs_sqldump_close(struct sarfs_sqldump_reader *r)
{
	size_t i;

	if (!r)
		return;
	json_decref(r->cur);
	for (i = 0; i < r->ntables; i++) {
		free(r->tables[i]->name);
		names_destroy(&r->tables[i]->cols);
		free(r->tables[i]);
	}
	free(r->tables);
	names_destroy(&r->ins_cols);
	names_destroy(&r->newcols);
	sarfs_buf_destroy(&r->word);
	sarfs_buf_destroy(&r->name);
	sarfs_buf_destroy(&r->val);
	sarfs_buf_destroy(&r->tmp);
	sarfs_buf_destroy(&r->loc);
	free(r->file);
	free(r);
}

static struct table *table_find(const struct sarfs_sqldump_reader *r, const char *name)
{
	size_t i;

	/* Linear: a dump has tens of tables, and this runs once per
	 * statement, not per row. The schema budget bounds the worst case. */
	for (i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i]->name, name) == 0)
			return r->tables[i];
	return NULL;
}

const char *const *sarfs_sqldump_columns(const struct sarfs_sqldump_reader *r,
					 const char *table)
{
	const struct table *t = table_find(r, table);

	return t ? (const char *const *)t->cols.v : NULL;
}

/* The table named r->name, created (without columns) if it is new.
 * Returns 0 with *out set, 1 if the schema budget is spent (reported), or
 * -ENOMEM. */
static int table_get(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, long line,
		     long col, struct table **out)
{
	struct table *t = table_find(r, r->name.data);
	size_t cost;

	if (t) {
		*out = t;
		return 0;
	}
	cost = sizeof(*t) + r->name.len + 1 + sizeof(t);
	if (r->schema_bytes + cost > r->schema_max) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "the table and column names of this dump exceed %zu bytes; "
			       "table `%s` is not read", r->schema_max, r->name.data);
		return 1;
	}
	if (r->ntables == r->captables) {
		size_t cap = r->captables ? 2 * r->captables : 16;
		struct table **v = realloc(r->tables, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->tables = v;
		r->captables = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->name = strdup(r->name.data);
	if (!t->name) {
		free(t);
		return -ENOMEM;
	}
	r->tables[r->ntables++] = t;
	r->schema_bytes += cost;
	*out = t;
	return 0;
}

/* ---- text ------------------------------------------------------------- */

static void u8_init(struct u8chk *u)
{
	memset(u, 0, sizeof(*u));
}

/* Checks the byte just appended to b, which stood at line:col. */
static void u8_step(struct u8chk *u, const struct sarfs_buf *b, long line, long col)
{
	const unsigned char *s = (const unsigned char *)b->data;
	size_t i = b->len - 1;
	unsigned c = s[i];
	uint32_t cp;

	if (u->bad)
		return;
	if (u->need) {
		if ((c & 0xC0) == 0x80) {
			/* overlong forms and surrogates show only once complete */
			if (--u->need == 0 && !sarfs_utf8_decode(s + u->start, i + 1 - u->start, &cp))
				goto bad;
			return;
		}
		goto bad;
	}
	if (c < 0x80)
		return;
	u->start = i;
	u->line = line;
	u->col = col;
	if (c >= 0xC2 && c <= 0xDF)
		u->need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		u->need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		u->need = 3;
	else
		goto bad;
	return;
bad:
	/* the sequence that failed starts at the lead byte, as sarfs_latin1_repair()
	 * will also find it */
	u->bad = 1;
	u->bad_line = u->line;
	u->bad_col = u->col;
}

static int u8_done(struct u8chk *u)
{
	if (u->need && !u->bad) {
		u->bad = 1;
		u->bad_line = u->line;
		u->bad_col = u->col;
	}
	return u->bad;
}

/* Every byte as its Latin-1 character: for the _latin1 introducer, where
 * the dump says so and no warning is due. */
static int latin1_all(struct sarfs_buf *b, struct sarfs_buf *tmp)
{
	size_t i;
	int rc = 0;

	sarfs_buf_reset(tmp);
	for (i = 0; i < b->len && !rc; i++) {
		unsigned char c = (unsigned char)b->data[i];
		char u[2] = { (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)) };

		rc = c < 0x80 ? sarfs_buf_addc(tmp, (char)c) : sarfs_buf_add(tmp, u, 2);
	}
	if (rc)
		return rc;
	sarfs_buf_reset(b);
	return sarfs_buf_add(b, tmp->data ? tmp->data : "", tmp->len);
}

/* Repairs b if u found a bad byte, with one warning per file: a dump in
 * the wrong character set would otherwise fill the problem list with one
 * line per value and push the other problems out of it. */
static int repair(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, struct sarfs_buf *b,
		  struct u8chk *u)
{
	if (!u8_done(u))
		return 0;
	if (sarfs_latin1_repair(b))
		return -ENOMEM;
	if (!r->latin1_warned) {
		r->latin1_warned = 1;
		sarfs_diag_add(d, SARFS_WARNING, r->file, u->bad_line, u->bad_col,
			       "bytes that are not UTF-8; read as Latin-1 "
			       "(reported once per file)");
	}
	return 0;
}

/* Binary data is shown as text when it is text: UTF-8 without control
 * characters other than tab and line ends. A NUL or an ESC says binary,
 * and "0x" and hex keep every byte visible and greppable. */
static int is_text(const struct sarfs_buf *b)
{
	const unsigned char *s = (const unsigned char *)b->data;
	size_t i = 0, k;
	uint32_t cp;

	while (i < b->len) {
		k = sarfs_utf8_decode(s + i, b->len - i, &cp);
		if (!k)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
			return 0;
		i += k;
	}
	return 1;
}

static json_t *hex_string(const struct sarfs_buf *b, struct sarfs_buf *tmp)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	sarfs_buf_reset(tmp);
	if (sarfs_buf_reserve(tmp, 2 * b->len + 3))
		return NULL;
	sarfs_buf_add(tmp, "0x", 2);
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		sarfs_buf_addc(tmp, digits[c >> 4]);
		sarfs_buf_addc(tmp, digits[c & 15]);
	}
	return json_stringn(tmp->data, tmp->len);
}

/* Makes r->val into a JSON string of the given kind. */
static int make_string(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, enum kind k,
		       struct u8chk *u, json_t **out)
{
	struct sarfs_buf *b = &r->val;
	int rc = 0;

	if (k == K_TEXT)
		rc = repair(r, d, b, u);
	else if (k == K_LATIN1)
		rc = latin1_all(b, &r->tmp);
	if (rc)
		return rc;
	if (k == K_BINARY && !is_text(b))
		*out = hex_string(b, &r->tmp);
	else
		*out = json_stringn(b->data ? b->data : "", b->len);
	return *out ? 0 : -ENOMEM;
}

/* ---- lexical skipping ------------------------------------------------- */

/* Consumes the rest of a line (not its end). */
static void skip_line(struct sarfs_in *in)
{
	int c;

	while ((c = sarfs_in_peek(in)) >= 0 && c != '\n' && c != '\r')
		sarfs_in_getc(in);
}

/* After the opening slash-star: consumes up to and including the closing
 * star-slash. MySQL does not nest comments, and a conditional comment
 * (slash-star-bang) counts as one too: what it holds (SET,
 * ALTER TABLE ... DISABLE KEYS, trigger bodies) is nothing we read. Returns
 * 0, or -1 if the dump ends first. */
static int skip_block(struct sarfs_in *in)
{
	int c, star = 0;

	while ((c = sarfs_in_getc(in)) >= 0) {
		if (star && c == '/')
			return 0;
		star = c == '*';
	}
	return -1;
}

/* After the opening quote q: consumes up to and including the closing one.
 * Backquoted names know no backslash escape; doubling works in all three.
 * Returns 0, or -1 if the dump ends first. */
static int skip_quoted(struct sarfs_in *in, int q)
{
	int c;

	while ((c = sarfs_in_getc(in)) >= 0) {
		if (c == q) {
			if (sarfs_in_peek(in) != q)
				return 0;
			sarfs_in_getc(in);
		} else if (c == '\\' && q != '`') {
			if (sarfs_in_getc(in) < 0)
				return -1;
		}
	}
	return -1;
}

/* c has just been consumed: if it opens a quoted text or a comment,
 * consumes that too. Returns 0, or -1 if the dump ends inside it. */
static int skip_lexeme(struct sarfs_in *in, int c)
{
	int n;

	if (c == '\'' || c == '"' || c == '`')
		return skip_quoted(in, c);
	if (c == '#') {
		skip_line(in);
		return 0;
	}
	n = sarfs_in_peek(in);
	if (c == '/' && n == '*') {
		sarfs_in_getc(in);
		return skip_block(in);
	}
	if (c == '-' && n == '-') {
		sarfs_in_getc(in);
		n = sarfs_in_peek(in);
		/* "-- " needs a space or control character after it in MySQL */
		if (n < 0 || n <= ' ')
			skip_line(in);
	}
	return 0;
}

/* The end of the dump was met inside what. Returns the stream's error, or
 * 0 after reporting the cut (once). */
static int ended(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, const char *what)
{
	r->st = ST_END;
	if (r->in->err)
		return r->in->err;
	if (!r->truncated && what)
		sarfs_diag_add(d, SARFS_ERROR, r->file, r->in->line, r->in->col,
			       "the dump ends inside %s (truncated?)", what);
	r->truncated = 1;
	return 0;
}

/* Consumes up to and including the statement's delimiter, outside quotes
 * and comments. Returns 0 (r->st is then ST_STMT), or what ended() does. */
static int skip_statement(struct sarfs_sqldump_reader *r, struct sarfs_diag *d,
			  const char *what)
{
	struct sarfs_in *in = r->in;
	size_t k = 0, dl = strlen(r->delim);
	int c;

	for (;;) {
		c = sarfs_in_peek(in);
		if (c < 0)
			return ended(r, d, what);
		if (c == (unsigned char)r->delim[k]) {
			sarfs_in_getc(in);
			if (++k == dl) {
				r->st = ST_STMT;
				return 0;
			}
			continue;
		}
		if (k) {
			/* a partial match of a longer delimiter: look at c afresh */
			k = 0;
			continue;
		}
		sarfs_in_getc(in);
		if (skip_lexeme(in, c))
			return ended(r, d, what);
	}
}

/* Consumes a "-- " comment, noting mysqldump's first and last lines. */
static void line_comment(struct sarfs_sqldump_reader *r)
{
	struct sarfs_in *in = r->in;
	char head[24];
	size_t n = 0;
	int c;

	while ((c = sarfs_in_peek(in)) >= 0 && c != '\n' && c != '\r') {
		sarfs_in_getc(in);
		if (n < sizeof(head) - 1 && !(n == 0 && (c == ' ' || c == '\t')))
			head[n++] = (char)c;
	}
	head[n] = '\0';
	if (strncmp(head, "MySQL dump", 10) == 0 || strncmp(head, "MariaDB dump", 12) == 0) {
		r->is_dump = 1;
		r->completed = 0;
	} else if (strncmp(head, "Dump completed", 14) == 0) {
		r->completed = 1;
	}
}

/* Skips whitespace and comments. Returns the next byte (not consumed), or
 * one of the C_ codes. A comment cut by the end of the dump is reported
 * here. */
static int gap(struct sarfs_sqldump_reader *r, struct sarfs_diag *d)
{
	struct sarfs_in *in = r->in;
	int c;

	for (;;) {
		c = sarfs_in_peek(in);
		if (c < 0)
			return C_EOF;
		if (is_space(c)) {
			sarfs_in_getc(in);
		} else if (c == '#') {
			skip_line(in);
		} else if (c == '/') {
			sarfs_in_getc(in);
			if (sarfs_in_peek(in) != '*')
				return C_SLASH;
			sarfs_in_getc(in);
			if (skip_block(in)) {
				ended(r, d, "a comment");
				return C_EOF;
			}
		} else if (c == '-') {
			/* one byte of lookahead: the dash is spent either way,
			 * and the caller learns which it was */
			sarfs_in_getc(in);
			if (sarfs_in_peek(in) != '-')
				return C_DASH;
			sarfs_in_getc(in);
			c = sarfs_in_peek(in);
			if (c > ' ')
				return C_DASHDASH;
			line_comment(r);
		} else {
			return c;
		}
	}
}

/* Reads a keyword (or any unquoted word) into r->word; at most WORD_MAX
 * bytes are kept, as no keyword is longer. */
static int read_word(struct sarfs_sqldump_reader *r)
{
	struct sarfs_in *in = r->in;
	int c, rc = 0;

	sarfs_buf_reset(&r->word);
	if (sarfs_buf_add(&r->word, "", 0))
		return -ENOMEM;
	while ((c = sarfs_in_peek(in)) >= 0 && is_word(c)) {
		sarfs_in_getc(in);
		if (r->word.len < WORD_MAX && !rc)
			rc = sarfs_buf_addc(&r->word, (char)c);
	}
	return rc;
}

/* Reads a name (`quoted`, "quoted" or unquoted) into r->name. Returns 0
 * (*quoted says which), NO_NAME if no name starts here (nothing consumed),
 * V_BAD if it is too long (reported), V_EOF, or -ENOMEM. */
static int read_name(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, int *quoted,
		     long *line_out, long *col_out)
{
	struct sarfs_in *in = r->in;
	long line = in->line, col = in->col, bl, bc;
	struct u8chk u;
	int c, q, rc = 0, too_long = 0;

	c = sarfs_in_peek(in);
	q = c == '`' || c == '"' ? c : 0;
	if (!q && (c < 0 || !is_word(c)))
		return NO_NAME;
	if (q)
		sarfs_in_getc(in);
	*quoted = q != 0;
	*line_out = line;
	*col_out = col;
	sarfs_buf_reset(&r->name);
	u8_init(&u);
	for (;;) {
		bl = in->line;
		bc = in->col;
		c = sarfs_in_peek(in);
		if (c < 0 && q)
			return V_EOF;
		if (q) {
			sarfs_in_getc(in);
			if (c == q) {
				if (sarfs_in_peek(in) != q)
					break;
				sarfs_in_getc(in);
			}
		} else if (c >= 0 && is_word(c)) {
			sarfs_in_getc(in);
		} else {
			break;
		}
		if (r->name.len >= NAME_MAX_BYTES) {
			too_long = 1;
			continue;
		}
		rc = sarfs_buf_addc(&r->name, (char)c);
		if (rc)
			return rc;
		u8_step(&u, &r->name, bl, bc);
	}
	if (too_long) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "name longer than %d bytes; the statement is skipped", NAME_MAX_BYTES);
		return V_BAD;
	}
	if (sarfs_buf_add(&r->name, "", 0))
		return -ENOMEM;
	return repair(r, d, &r->name, &u);
}

/* A table name, perhaps qualified by a database ("db.t" reads as "t").
 * Returns as read_name(). */
static int read_table_name(struct sarfs_sqldump_reader *r, struct sarfs_diag *d,
			   int *quoted, long *line, long *col)
{
	int rc;

	rc = read_name(r, d, quoted, line, col);
	while (rc == 0 && sarfs_in_peek(r->in) == '.') {
		sarfs_in_getc(r->in);
		rc = read_name(r, d, quoted, line, col);
	}
	return rc;
}

/* ---- statements ------------------------------------------------------- */

/* "DELIMITER x" is a command of the mysql client, not SQL: it ends at the
 * end of its line, and the new delimiter ends every later statement (dumps
 * of stored routines use ";;" so that bodies can hold ';'). */
static int delimiter_command(struct sarfs_sqldump_reader *r, struct sarfs_diag *d)
{
	struct sarfs_in *in = r->in;
	long line = in->line, col = in->col;
	char nd[DELIM_MAX + 1];
	size_t n = 0;
	int c, too_long = 0;

	while ((c = sarfs_in_peek(in)) == ' ' || c == '\t')
		sarfs_in_getc(in);
	while ((c = sarfs_in_peek(in)) >= 0 && !is_space(c)) {
		sarfs_in_getc(in);
		if (n < DELIM_MAX)
			nd[n++] = (char)c;
		else
			too_long = 1;
	}
	nd[n] = '\0';
	skip_line(in);
	if (too_long || n == 0) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       too_long ? "delimiter longer than %d bytes; ignored"
				        : "DELIMITER without a delimiter; ignored", DELIM_MAX);
		return 0;
	}
	memcpy(r->delim, nd, n + 1);
	return 0;
}

static int is_index_word(const char *s)
{
	static const char *const kw[] = { "PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT",
					  "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK", "PERIOD" };
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (upper_is(s, kw[i]))
			return 1;
	return 0;
}

/* Skips the rest of one element of a CREATE TABLE list. Returns 1 after
 * its ',', 0 after the list's ')', 2 at a delimiter (not consumed: the
 * statement is broken), or -1 at the end of the dump. */
static int skip_element(struct sarfs_sqldump_reader *r)
{
	struct sarfs_in *in = r->in;
	long depth = 0;
	int c;

	for (;;) {
		c = sarfs_in_peek(in);
		if (c < 0)
			return -1;
		if (depth == 0 && (c == ',' || c == ')')) {
			sarfs_in_getc(in);
			return c == ',';
		}
		if (c == (unsigned char)r->delim[0] && r->delim[1] == '\0')
			return 2;
		sarfs_in_getc(in);
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (skip_lexeme(in, c))
			return -1;
	}
}

/* After CREATE: reads the column names of CREATE TABLE; skips all else. */
static int create_statement(struct sarfs_sqldump_reader *r, struct sarfs_diag *d)
{
	static const char what[] = "a CREATE TABLE statement";
	struct sarfs_in *in = r->in;
	long line, col, nl, nc;
	struct table *t = NULL;
	int c, rc, quoted, too_big = 0;

	for (;;) {
		c = gap(r, d);
		if (c < 0 || !is_word(c))
			return skip_statement(r, d, "a statement");
		if ((rc = read_word(r)))
			return rc;
		if (word_is(&r->word, "TABLE"))
			break;
		/* CREATE [OR REPLACE] [TEMPORARY] TABLE; anything else is a
		 * view, routine, database ... */
		if (!word_is(&r->word, "OR") && !word_is(&r->word, "REPLACE") &&
		    !word_is(&r->word, "TEMPORARY"))
			return skip_statement(r, d, "a statement");
	}
	gap(r, d);
	rc = read_table_name(r, d, &quoted, &line, &col);
	if (rc == 0 && !quoted && upper_is(r->name.data, "IF")) {
		/* IF NOT EXISTS: "if" cannot be an unquoted table name */
		for (int i = 0; i < 2 && rc == 0; i++) {
			gap(r, d);
			rc = read_word(r);
		}
		gap(r, d);
		rc = rc ? rc : read_table_name(r, d, &quoted, &line, &col);
	}
	if (rc < 0)
		return rc;
	if (rc)
		return skip_statement(r, d, what);
	c = gap(r, d);
	if (c != '(')	/* CREATE TABLE t LIKE u, ... AS SELECT: no columns */
		return skip_statement(r, d, what);
	sarfs_in_getc(in);
	rc = table_get(r, d, line, col, &t);
	if (rc < 0)
		return rc;
	if (rc)
		return skip_statement(r, d, what);
	names_clear(&r->newcols);
	for (;;) {
		c = gap(r, d);
		if (c == C_EOF)
			return ended(r, d, what);
		if (c == ')') {
			sarfs_in_getc(in);
			break;
		}
		if (c >= 0) {
			rc = read_name(r, d, &quoted, &nl, &nc);
			if (rc < 0)
				return rc;
			if (rc == V_EOF)
				return ended(r, d, what);
			if (rc == V_BAD)
				return skip_statement(r, d, what);
			if (rc == 0 && (quoted || !is_index_word(r->name.data)) && !too_big) {
				rc = names_add(&r->newcols, r->name.data, r->name.len);
				if (rc)
					return rc;
				if (r->schema_bytes - t->cols.bytes + r->newcols.bytes > r->schema_max ||
				    r->newcols.n > MAX_VALUES) {
					too_big = 1;
					sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
						       "the table and column names of this dump exceed %zu "
						       "bytes; the columns of table `%s` are not read",
						       r->schema_max, t->name);
				}
			}
		}
		rc = skip_element(r);
		if (rc < 0)
			return ended(r, d, what);
		if (rc == 2) {
			sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
				       "CREATE TABLE `%s` ends before its ')'; its columns are not read",
				       t->name);
			return skip_statement(r, d, what);
		}
		if (rc == 0)
			break;
	}
	if (!too_big) {
		/* a later CREATE of the same table (DROP, then CREATE again)
		 * replaces the columns; its row count goes on */
		r->schema_bytes = r->schema_bytes - t->cols.bytes + r->newcols.bytes;
		names_destroy(&t->cols);
		t->cols = r->newcols;
		memset(&r->newcols, 0, sizeof(r->newcols));
		if (!t->cols.v) {
			/* no column at all still creates the table: an empty
			 * list, not NULL */
			t->cols.v = calloc(1, sizeof(char *));
			if (!t->cols.v)
				return -ENOMEM;
			t->cols.cap = 1;
		}
	}
	/* the table options (ENGINE=..., COMMENT='...') */
	return skip_statement(r, d, what);
}

/* After INSERT or REPLACE: reads up to VALUES and switches to ST_ROWS. */
static int insert_statement(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, long sline,
			    long scol)
{
	static const char what[] = "an INSERT statement";
	static const char *const mods[] = { "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE",
					    "INTO" };
	struct sarfs_in *in = r->in;
	long line = 0, col = 0, nl, nc;
	int c, rc, quoted = 0;
	size_t i;

	r->tbl = NULL;
	for (;;) {
		c = gap(r, d);
		if (c == C_EOF)
			return ended(r, d, what);
		if (c < 0)
			rc = NO_NAME;
		else
			rc = read_table_name(r, d, &quoted, &line, &col);
		if (rc < 0)
			return rc;
		if (rc == V_EOF)
			return ended(r, d, what);
		if (rc) {
			if (rc == NO_NAME)
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col - spent(c),
					       "expected a table name after INSERT; the statement is skipped");
			return skip_statement(r, d, what);
		}
		for (i = 0; i < sizeof(mods) / sizeof(mods[0]) && !quoted; i++)
			if (upper_is(r->name.data, mods[i]))
				break;
		if (quoted || i == sizeof(mods) / sizeof(mods[0]))
			break;
	}
	rc = table_get(r, d, line, col, &r->tbl);
	if (rc < 0)
		return rc;
	if (rc)
		return skip_statement(r, d, what);
	names_clear(&r->ins_cols);
	r->has_ins_cols = 0;
	c = gap(r, d);
	if (c == '(') {
		/* an explicit column list: mysqldump --complete-insert */
		sarfs_in_getc(in);
		r->has_ins_cols = 1;
		if (!r->ins_cols.v) {
			r->ins_cols.v = calloc(1, sizeof(char *));
			if (!r->ins_cols.v)
				return -ENOMEM;
			r->ins_cols.cap = 1;
		}
		for (;;) {
			c = gap(r, d);
			if (c == ')' && r->ins_cols.n == 0) {	/* INSERT INTO t () */
				sarfs_in_getc(in);
				break;
			}
			if (c == C_EOF)
				return ended(r, d, what);
			rc = c < 0 ? NO_NAME : read_name(r, d, &quoted, &nl, &nc);
			if (rc < 0)
				return rc;
			if (rc == V_EOF)
				return ended(r, d, what);
			if (rc == 0) {
				if (r->ins_cols.bytes + r->name.len > r->max_record ||
				    r->ins_cols.n >= MAX_VALUES) {
					sarfs_diag_add(d, SARFS_ERROR, r->file, nl, nc,
						       "column list longer than %zu bytes; "
						       "the statement is skipped", r->max_record);
					return skip_statement(r, d, what);
				}
				if ((rc = names_add(&r->ins_cols, r->name.data, r->name.len)))
					return rc;
				c = gap(r, d);
				if (c == ',' || c == ')') {
					sarfs_in_getc(in);
					if (c == ')')
						break;
					continue;
				}
				if (c == C_EOF)
					return ended(r, d, what);
			}
			if (rc != V_BAD)
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col - spent(c),
					       "cannot read the column list of this INSERT; "
					       "the statement is skipped");
			return skip_statement(r, d, what);
		}
		c = gap(r, d);
	}
	if (c >= 0 && is_word(c)) {
		if ((rc = read_word(r)))
			return rc;
		if (word_is(&r->word, "VALUES") || word_is(&r->word, "VALUE")) {
			struct table *t = r->tbl;

			if (!r->has_ins_cols && !t->cols.v && !t->warned) {
				t->warned = 1;
				sarfs_diag_add(d, SARFS_WARNING, r->file, line, col,
					       "table `%s` has no CREATE TABLE column list in this file; "
					       "its columns are named \"column 1\", \"column 2\", ...",
					       t->name);
			}
			r->st = ST_ROWS;
			r->first_row = 1;
			return 0;
		}
	}
	if (c == C_EOF)
		return ended(r, d, what);
	/* INSERT ... SELECT, INSERT ... SET, PARTITION (...): not mysqldump */
	sarfs_diag_add(d, SARFS_ERROR, r->file, sline, scol,
		       "an INSERT without a VALUES list is not read; the statement is skipped");
	return skip_statement(r, d, what);
}

static int statement(struct sarfs_sqldump_reader *r, struct sarfs_diag *d)
{
	struct sarfs_in *in = r->in;
	long line, col;
	int c, rc;

	if (in->offset == 0 && sarfs_in_peek(in) == 0xEF) {
		/* a UTF-8 byte order mark, from an editor; if the next bytes
		 * are not BB BF, the statement they start is skipped anyway */
		sarfs_in_getc(in);
		if (sarfs_in_peek(in) == 0xBB && sarfs_in_getc(in) >= 0 &&
		    sarfs_in_peek(in) == 0xBF)
			sarfs_in_getc(in);
		in->col = 1;
	}
	c = gap(r, d);
	if (c == C_EOF) {
		r->st = ST_END;
		if (in->err)
			return in->err;
		if (r->is_dump && !r->completed && !r->truncated)
			sarfs_diag_add(d, SARFS_WARNING, r->file, in->line, in->col,
				       "no \"-- Dump completed\" line at the end; "
				       "the dump may be truncated");
		return 0;
	}
	line = in->line;
	col = in->col;
	if (c < 0 || !is_word(c))
		return skip_statement(r, d, "a statement");
	if ((rc = read_word(r)))
		return rc;
	if (word_is(&r->word, "INSERT") || word_is(&r->word, "REPLACE"))
		return insert_statement(r, d, line, col);
	if (word_is(&r->word, "CREATE"))
		return create_statement(r, d);
	if (word_is(&r->word, "DELIMITER") &&
	    ((c = sarfs_in_peek(in)) == ' ' || c == '\t'))
		return delimiter_command(r, d);
	return skip_statement(r, d, "a statement");
}

/* ---- values and rows -------------------------------------------------- */

static int row_too_big(const struct sarfs_sqldump_reader *r)
{
	return r->in->offset - r->row_off > r->max_record;
}

/* A quoted string; the opening quote is next. */
static int read_string(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, enum kind k,
		       json_t **out)
{
	struct sarfs_in *in = r->in;
	struct u8chk u;
	long line, col;
	int q, c;

	q = sarfs_in_getc(in);
	sarfs_buf_reset(&r->val);
	u8_init(&u);
	for (;;) {
		if (!r->oversize && !u.need && sarfs_in_peek(in) >= 0) {
			/* a run of printable ASCII that is neither the quote
			 * nor a backslash is kept as it is, in one step */
			const unsigned char *p = in->buf + in->pos;
			size_t n = in->len - in->pos, m = 0;

			while (m < n && p[m] >= 0x20 && p[m] < 0x7F && p[m] != q && p[m] != '\\')
				m++;
			if (m > 1) {
				if (sarfs_buf_add(&r->val, p, m))
					return -ENOMEM;
				sarfs_in_consume_inline(in, m);
				if (row_too_big(r))
					r->oversize = 1;
				continue;
			}
		}
		line = in->line;
		col = in->col;
		c = sarfs_in_getc(in);
		if (c < 0)
			return V_EOF;
		if (c == q) {
			if (sarfs_in_peek(in) != q)
				break;
			sarfs_in_getc(in);
		} else if (c == '\\') {
			line = in->line;
			col = in->col;
			c = sarfs_in_getc(in);
			switch (c) {
			case -1:
				return V_EOF;
			case '0': c = 0; break;
			case 'b': c = '\b'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'Z': c = 0x1A; break;
			case '%':
			case '_':
				/* MySQL keeps the backslash of these two outside
				 * LIKE patterns */
				if (!r->oversize && !row_too_big(r) && sarfs_buf_addc(&r->val, '\\'))
					return -ENOMEM;
				break;
			default:
				break;	/* \' \" \\ and any other: the byte itself */
			}
		}
		if (r->oversize || row_too_big(r)) {
			/* keep reading to the closing quote, keep nothing */
			r->oversize = 1;
			continue;
		}
		if (sarfs_buf_addc(&r->val, (char)c))
			return -ENOMEM;
		if (k == K_TEXT)
			u8_step(&u, &r->val, line, col);
	}
	if (r->oversize) {
		*out = NULL;
		return 0;
	}
	return make_string(r, d, k, &u, out);
}

/* Hex digits up to a closing quote (X'..') or a non-digit (0x..), as
 * bytes in r->val; an odd count is padded on the left as MySQL does for
 * 0x (X'..' must be even; the caller checks). Returns 0, V_EOF, or
 * -ENOMEM; *ndigits gets the count. */
static int read_hex(struct sarfs_sqldump_reader *r, int quoted, size_t *ndigits)
{
	struct sarfs_in *in = r->in;
	size_t n = 0, i;
	int c;

	sarfs_buf_reset(&r->tmp);
	for (;;) {
		c = sarfs_in_peek(in);
		if (c < 0)
			return quoted ? V_EOF : 0;
		if (sarfs_hex_digit(c) < 0)
			break;
		sarfs_in_getc(in);
		n++;
		if (r->oversize || row_too_big(r)) {
			r->oversize = 1;
			continue;
		}
		if (sarfs_buf_addc(&r->tmp, (char)c))
			return -ENOMEM;
	}
	*ndigits = n;
	sarfs_buf_reset(&r->val);
	if (r->oversize)
		return 0;
	for (i = 0; i < r->tmp.len;) {
		int hi = 0, lo;

		if (i == 0 && r->tmp.len % 2)
			lo = sarfs_hex_digit(r->tmp.data[i++]);
		else {
			hi = sarfs_hex_digit(r->tmp.data[i++]);
			lo = sarfs_hex_digit(r->tmp.data[i++]);
		}
		if (sarfs_buf_addc(&r->val, (char)(hi << 4 | lo)))
			return -ENOMEM;
	}
	return 0;
}

/* Binary digits as an integer: BIT columns are dumped as b'0101'. */
static int read_bits(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, int quoted,
		     json_t **out)
{
	struct sarfs_in *in = r->in;
	long line = in->line, col = in->col;
	uint64_t v = 0;
	int c, too_big = 0;

	while ((c = sarfs_in_peek(in)) == '0' || c == '1') {
		sarfs_in_getc(in);
		if (v >> 63)
			too_big = 1;
		v = v << 1 | (uint64_t)(c - '0');
	}
	if (quoted) {
		if (c < 0)
			return V_EOF;
		if (c != '\'') {
			sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
				       "bad digit in a bit literal; the row is left out");
			return V_BAD;
		}
		sarfs_in_getc(in);
	}
	if (too_big) {
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "bit literal longer than 64 bits; the row is left out");
		return V_BAD;
	}
	if (v > INT64_MAX) {
		char num[24];

		snprintf(num, sizeof(num), "%" PRIu64, v);
		*out = json_string(num);
	} else {
		*out = json_integer((json_int_t)v);
	}
	return *out ? 0 : -ENOMEM;
}

/* The canonical spelling of an integer: what json_integer() would print
 * back. Others ("007", "+5", "-0") are kept as text so that no digit of
 * the dump is lost. */
static int canonical_int(const char *s)
{
	int neg = *s == '-';

	s += neg;
	if (*s == '0')
		return s[1] == '\0' && !neg;
	if (*s < '1' || *s > '9')
		return 0;
	while (is_digit(*s))
		s++;
	return *s == '\0';
}

/* A number; the first character is next, or sign was consumed by gap(). */
static int read_number(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, int sign,
		       enum kind k, json_t **out)
{
	struct sarfs_in *in = r->in;
	long line = in->line, col = in->col;
	size_t mant = 0, exp = 0, n;
	int c, is_int = 1, rc;

	sarfs_buf_reset(&r->val);
	if (sign && sarfs_buf_addc(&r->val, (char)sign))
		return -ENOMEM;
	if (!sign && ((c = sarfs_in_peek(in)) == '+' || c == '-')) {
		sarfs_in_getc(in);
		if (sarfs_buf_addc(&r->val, (char)c))
			return -ENOMEM;
	}
	while ((c = sarfs_in_peek(in)) >= 0 && (is_digit(c) || (c == '.' && is_int))) {
		sarfs_in_getc(in);
		if (c == '.')
			is_int = 0;
		else
			mant++;
		if (sarfs_buf_addc(&r->val, (char)c))
			return -ENOMEM;
		if (row_too_big(r)) {
			/* only a number this long could be: stop keeping it */
			r->oversize = 1;
			sarfs_buf_reset(&r->val);
		}
	}
	if (mant == 1 && r->val.len == 1 && r->val.data[0] == '0' && (c == 'x' || c == 'X')) {
		sarfs_in_getc(in);
		rc = read_hex(r, 0, &n);
		if (rc)
			return rc;
		if (n == 0 || ((c = sarfs_in_peek(in)) >= 0 && is_word(c)))
			goto bad;
		if (r->oversize) {
			*out = NULL;
			return 0;
		}
		return make_string(r, d, k == K_LATIN1 ? K_LATIN1 : K_BINARY, NULL, out);
	}
	if (mant == 1 && r->val.len == 1 && r->val.data[0] == '0' && (c == 'b' || c == 'B')) {
		sarfs_in_getc(in);
		c = sarfs_in_peek(in);
		if (c != '0' && c != '1')
			goto bad;
		rc = read_bits(r, d, 0, out);
		if (rc)
			return rc;
		if ((c = sarfs_in_peek(in)) >= 0 && is_word(c)) {
			json_decref(*out);
			*out = NULL;
			goto bad;
		}
		return 0;
	}
	if (mant == 0 && !r->oversize)
		goto bad;
	if (c == 'e' || c == 'E') {
		is_int = 0;
		sarfs_in_getc(in);
		if (sarfs_buf_addc(&r->val, (char)c))
			return -ENOMEM;
		if ((c = sarfs_in_peek(in)) == '+' || c == '-') {
			sarfs_in_getc(in);
			if (sarfs_buf_addc(&r->val, (char)c))
				return -ENOMEM;
		}
		while ((c = sarfs_in_peek(in)) >= 0 && is_digit(c)) {
			sarfs_in_getc(in);
			exp++;
			if (sarfs_buf_addc(&r->val, (char)c))
				return -ENOMEM;
		}
		if (!exp)
			goto bad;
	}
	if (c >= 0 && (is_word(c) || c == '.'))
		goto bad;
	if (r->oversize || row_too_big(r)) {
		r->oversize = 1;
		*out = NULL;
		return 0;
	}
	if (is_int && canonical_int(r->val.data)) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(r->val.data, &end, 10);
		if (errno == 0 && *end == '\0') {
			*out = json_integer(v);
			return *out ? 0 : -ENOMEM;
		}
	}
	/* 85.50, 1e3, beyond 64 bits: the text, digit for digit, as a double
	 * would lose digits and DECIMAL columns are exact */
	*out = json_stringn(r->val.data, r->val.len);
	return *out ? 0 : -ENOMEM;
bad:
	sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
		       "cannot read this number; the row is left out");
	return V_BAD;
}

/* One value; c is what gap() returned before it. *out gets a new
 * reference, or NULL if the row has grown too big to keep. Returns 0,
 * V_BAD (reported), V_EOF, or a negative errno. */
static int read_value(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, int c,
		      enum kind k, int introduced, json_t **out)
{
	struct sarfs_in *in = r->in;
	long line = in->line, col = in->col;
	size_t n;
	int rc;

	*out = NULL;
	if (c == C_EOF)
		return V_EOF;
	if (c == C_DASH)
		return read_number(r, d, '-', k, out);
	if (c == '\'' || c == '"')
		return read_string(r, d, k, out);
	if (c == '+' || c == '.' || is_digit(c))
		return read_number(r, d, 0, k, out);
	if (c >= 0 && is_word(c)) {
		if ((rc = read_word(r)))
			return rc;
		c = sarfs_in_peek(in);
		if (c == '\'' && (word_is(&r->word, "X") || word_is(&r->word, "B") ||
				  word_is(&r->word, "N"))) {
			if (word_is(&r->word, "N"))	/* national: the same characters */
				return read_string(r, d, k, out);
			sarfs_in_getc(in);
			if (word_is(&r->word, "B"))
				return read_bits(r, d, 1, out);
			rc = read_hex(r, 1, &n);
			if (rc)
				return rc;
			c = sarfs_in_getc(in);
			if (c < 0)
				return V_EOF;
			if (c != '\'' || n % 2) {
				sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
					       "bad hex literal; the row is left out");
				return V_BAD;
			}
			if (r->oversize)
				return 0;
			return make_string(r, d, k == K_LATIN1 ? K_LATIN1 : K_BINARY, NULL, out);
		}
		if (word_is(&r->word, "NULL")) {
			*out = json_null();
			return 0;
		}
		if (r->word.data[0] == '_' && !introduced) {
			/* a character set introducer: _binary '...', _utf8mb4'...' */
			enum kind nk = word_is(&r->word, "_BINARY") ? K_BINARY :
				       word_is(&r->word, "_LATIN1") ? K_LATIN1 : K_TEXT;

			c = gap(r, d);
			if (c == '\'' || c == '"' || c == '0' || c == 'x' || c == 'X')
				return read_value(r, d, c, nk, 1, out);
		}
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "cannot read the value '%s'; the row is left out", r->word.data);
		return V_BAD;
	}
	if (c == C_DASHDASH || c == C_SLASH)
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col - spent(c),
			       "cannot read the value '%s'; the row is left out",
			       c == C_DASHDASH ? "--" : "/");
	else
		sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
			       "cannot read the value '%c'; the row is left out", c);
	return V_BAD;
}

/* Skips the rest of a row after a bad value, to the ')' that closes it.
 * Returns 1 there, 0 if the statement's delimiter came first (consumed),
 * or V_EOF. */
static int skip_row_rest(struct sarfs_sqldump_reader *r)
{
	struct sarfs_in *in = r->in;
	long depth = 1;
	int c;

	for (;;) {
		c = sarfs_in_peek(in);
		if (c < 0)
			return V_EOF;
		if (c == (unsigned char)r->delim[0] && r->delim[1] == '\0') {
			sarfs_in_getc(in);
			return 0;
		}
		sarfs_in_getc(in);
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return 1;
		else if (skip_lexeme(in, c))
			return V_EOF;
	}
}

/* The key of the i-th value (0-based) of the current row. */
static const char *col_key(const struct sarfs_sqldump_reader *r, size_t i, char *tmp,
			   size_t tmpsz)
{
	const struct names *ns = r->has_ins_cols ? &r->ins_cols : &r->tbl->cols;

	if (ns->v && i < ns->n)
		return ns->v[i];
	snprintf(tmp, tmpsz, "column %zu", i + 1);
	return tmp;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void check_count(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, size_t nvals)
{
	const struct names *ns = r->has_ins_cols ? &r->ins_cols : &r->tbl->cols;
	struct sarfs_buf *w = &r->tmp;

	if (!ns->v || nvals == ns->n)
		return;
	sarfs_buf_reset(w);
	if (r->has_ins_cols)
		sarfs_buf_printf(w, "its INSERT lists %zu column%s", ns->n, plural(ns->n));
	else
		sarfs_buf_printf(w, "table `%s` has %zu column%s", r->tbl->name, ns->n,
				 plural(ns->n));
	if (nvals < ns->n)
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row_line, r->row_col,
			       "row has %zu value%s but %s; the missing ones are left out",
			       nvals, plural(nvals), w->data ? w->data : "");
	else
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row_line, r->row_col,
			       "row has %zu value%s but %s; the extra ones are kept as "
			       "\"column %zu\" and on", nvals, plural(nvals), w->data ? w->data : "",
			       ns->n + 1);
}

/* One row; its '(' is next. Returns 1 with *rec filled, 0 if the row was
 * left out (reported) or the dump ended, or a negative errno. */
/* Sets key in the row, unless the row has it already (a column named twice
 * in CREATE TABLE or in the INSERT's list, or a "column N" that is also a
 * real name): then key~2, key~3, ... , reported once per table, so that no
 * value is silently overwritten. Steals v. Returns 0 or -ENOMEM. */
static int set_unique(struct sarfs_sqldump_reader *r, struct sarfs_diag *d, struct table *t,
		      json_t *obj, const char *key, json_t *v)
{
	char alt[512];
	unsigned k;

	if (!json_object_get(obj, key))
		return json_object_set_new(obj, key, v) ? -ENOMEM : 0;
	for (k = 2;; k++) {
		snprintf(alt, sizeof(alt), "%.480s~%u", key, k);
		if (!json_object_get(obj, alt))
			break;
	}
	if (!t->warned_dup) {
		sarfs_diag_add(d, SARFS_WARNING, r->file, r->row_line, r->row_col,
			       "table `%s` names column `%s` twice; the second value is shown as `%s`",
			       t->name, key, alt);
		t->warned_dup = 1;
	}
	return json_object_set_new(obj, alt, v) ? -ENOMEM : 0;
}

static int read_row(struct sarfs_sqldump_reader *r, struct sarfs_record *rec,
		    struct sarfs_diag *d)
{
	static const char what[] = "an INSERT statement";
	struct sarfs_in *in = r->in;
	struct table *t = r->tbl;
	json_t *obj, *v;
	size_t nvals = 0;
	long index;
	char tmp[32];
	int c, rc;

	r->row_line = in->line;
	r->row_col = in->col;
	r->row_off = in->offset;
	r->oversize = 0;
	sarfs_in_getc(in);
	index = t->nrows++;
	obj = json_object();
	if (!obj)
		return -ENOMEM;
	c = gap(r, d);
	if (c == ')') {		/* INSERT INTO t () VALUES () */
		sarfs_in_getc(in);
		goto done;
	}
	for (;;) {
		rc = read_value(r, d, c, K_TEXT, 0, &v);
		if (rc < 0 || rc == V_EOF || rc == V_BAD)
			break;
		if (++nvals > MAX_VALUES)
			r->oversize = 1;
		if (v && !r->oversize &&
		    set_unique(r, d, t, obj, col_key(r, nvals - 1, tmp, sizeof(tmp)), v)) {
			rc = -ENOMEM;
			break;
		}
		if (r->oversize) {
			json_decref(v);
			json_object_clear(obj);
		}
		c = gap(r, d);
		if (c == ',') {
			sarfs_in_getc(in);
			c = gap(r, d);
			continue;
		}
		if (c == ')') {
			sarfs_in_getc(in);
			goto done;
		}
		if (c == C_EOF) {
			rc = V_EOF;
			break;
		}
		sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col - spent(c),
			       "expected ',' or ')' after a value; the row is left out");
		rc = V_BAD;
		break;
	}
	json_decref(obj);
	if (rc < 0)
		return rc;
	if (rc == V_BAD) {
		rc = skip_row_rest(r);
		if (rc == 0)
			r->st = ST_STMT;
		if (rc != V_EOF)
			return 0;
	}
	if (r->truncated || in->err)
		return ended(r, d, NULL);
	sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col,
		       "the dump ends inside %s (truncated?); row %ld of table `%s` is "
		       "incomplete and left out", what, index + 1, t->name);
	return ended(r, d, NULL);
done:
	if (r->oversize || row_too_big(r)) {
		json_decref(obj);
		if (nvals > MAX_VALUES)
			sarfs_diag_add(d, SARFS_ERROR, r->file, r->row_line, r->row_col,
				       "row has more than %d values; not split out (it is in raw/)",
				       MAX_VALUES);
		else
			sarfs_diag_add(d, SARFS_ERROR, r->file, r->row_line, r->row_col,
				       "row larger than %zu bytes; not split out (it is in raw/)",
				       r->max_record);
		return 0;
	}
	check_count(r, d, nvals);
	sarfs_buf_reset(&r->loc);
	if (sarfs_buf_printf(&r->loc, "table %s, row %ld, line %ld", t->name, index + 1,
			     r->row_line)) {
		json_decref(obj);
		return -ENOMEM;
	}
	r->cur = obj;
	memset(rec, 0, sizeof(*rec));
	rec->value = obj;
	rec->group = t->name;
	rec->index = index;
	rec->line = r->row_line;
	rec->col = r->row_col;
	rec->locator = r->loc.data;
	rec->bytes = (size_t)(r->in->offset - r->row_off);
	return 1;
}

/* In ST_ROWS: the separator before a row, then the row. Returns as
 * read_row(). */
static int rows_step(struct sarfs_sqldump_reader *r, struct sarfs_record *rec,
		     struct sarfs_diag *d)
{
	static const char what[] = "an INSERT statement";
	struct sarfs_in *in = r->in;
	int c = gap(r, d);

	if (c == C_EOF)
		return ended(r, d, what);
	if (!r->first_row) {
		if (c == ',') {
			sarfs_in_getc(in);
			c = gap(r, d);
		} else if (c == (unsigned char)r->delim[0]) {
			return skip_statement(r, d, what);
		} else {
			if (c >= 0 && is_word(c)) {
				long line = in->line, col = in->col;
				int rc = read_word(r);

				if (rc)
					return rc;
				/* ON DUPLICATE KEY UPDATE ..., AS alias: the rows
				 * are read; what MySQL would do with them is not
				 * ours to evaluate */
				if (word_is(&r->word, "ON") || word_is(&r->word, "AS"))
					return skip_statement(r, d, what);
				sarfs_diag_add(d, SARFS_ERROR, r->file, line, col,
					       "expected ',' or '%s' after a row; the rest of this "
					       "statement is skipped", r->delim);
			} else {
				sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col - spent(c),
					       "expected ',' or '%s' after a row; the rest of this "
					       "statement is skipped", r->delim);
			}
			return skip_statement(r, d, what);
		}
	}
	r->first_row = 0;
	if (c == C_EOF)
		return ended(r, d, what);
	if (c != '(') {
		sarfs_diag_add(d, SARFS_ERROR, r->file, in->line, in->col - spent(c),
			       "expected '(' to start a row; the rest of this statement is skipped");
		return skip_statement(r, d, what);
	}
	return read_row(r, rec, d);
}

int sarfs_sqldump_next(struct sarfs_sqldump_reader *r, struct sarfs_record *rec,
		       struct sarfs_diag *d)
{
	int rc;

	json_decref(r->cur);
	r->cur = NULL;
	for (;;) {
		switch (r->st) {
		case ST_STMT:
			rc = statement(r, d);
			break;
		case ST_ROWS:
			rc = rows_step(r, rec, d);
			if (rc == 1)
				return 1;
			break;
		default:
			return r->in->err;
		}
		if (rc < 0) {
			/* the state is unknown now: the reader only closes */
			r->st = ST_END;
			return rc;
		}
	}
}
