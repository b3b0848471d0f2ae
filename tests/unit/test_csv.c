/*
 * test_csv.c - the CSV / TSV reader: layout detection, quoting, line ends,
 * encodings, and the messages for data that does not fit.
 *
 * Every case is read three times, with the bytes arriving all at once, one
 * by one and three by three, and must give the same records and messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memin.h"
#include "sarfs/csv.h"
#include "sarfs/json.h"

struct run {
	struct sarfs_buf out;	/* "@locator [line:col] #index" and the value, per record */
	struct sarfs_buf msgs;	/* the sorted messages, one a line */
	int nrec;
	char delim;
	int header;
	char *preamble;
};

static void run_csv(struct run *r, const char *text, size_t n,
		    const struct sarfs_csv_options *opt, size_t max_record, size_t step)
{
	struct memin m = { text, n, 0, step };
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	sarfs_diag_init(&d);
	assert_int_equal(sarfs_in_init(&in, memin_read, &m), 0);
	assert_int_equal(sarfs_csv_open(&in, "t.csv", opt, max_record, &cr), 0);
	while ((rc = sarfs_csv_next(cr, &rec, &d)) == 1) {
		r->nrec++;
		assert_null(rec.group);
		assert_int_equal(sarfs_buf_printf(&r->out, "@%s [%ld:%ld] #%ld\n", rec.locator,
						  rec.line, rec.col, rec.index), 0);
		assert_int_equal(sarfs_json_render(rec.value, &r->out), 0);
	}
	assert_int_equal(rc, 0);
	/* the end is sticky */
	assert_int_equal(sarfs_csv_next(cr, &rec, &d), 0);
	r->delim = sarfs_csv_delimiter(cr);
	r->header = sarfs_csv_has_header(cr);
	r->preamble = strdup(sarfs_csv_preamble(cr));
	sarfs_csv_close(cr);
	sarfs_in_destroy(&in);
	sarfs_diag_sort(&d);
	for (i = 0; i < d.n; i++) {
		char *s = sarfs_diag_format(&d.msg[i]);

		assert_non_null(s);
		sarfs_buf_printf(&r->msgs, "%s\n", s);
		free(s);
	}
	assert_int_equal(d.dropped[0] + d.dropped[1] + d.dropped[2], 0);
	sarfs_diag_destroy(&d);
	/* compare with "" rather than NULL when nothing was written */
	assert_int_equal(sarfs_buf_add(&r->out, "", 0), 0);
	assert_int_equal(sarfs_buf_add(&r->msgs, "", 0), 0);
}

static void run_free(struct run *r)
{
	sarfs_buf_destroy(&r->out);
	sarfs_buf_destroy(&r->msgs);
	free(r->preamble);
}

/* Reads text with steps 0, 1 and 3 and checks the records, messages and
 * the detected layout each time. */
static void check_opt(const char *text, size_t n, const struct sarfs_csv_options *opt,
		      size_t max_record, const char *records, const char *msgs,
		      char delim, int header, const char *preamble)
{
	static const size_t steps[] = { 0, 1, 3 };
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		run_csv(&r, text, n, opt, max_record, steps[i]);
		assert_string_equal(r.out.data, records);
		assert_string_equal(r.msgs.data, msgs);
		assert_int_equal(r.delim, delim);
		assert_int_equal(r.header, header);
		assert_string_equal(r.preamble, preamble);
		run_free(&r);
	}
}

#define CHECK(lit, records, msgs, delim, header) \
	check_opt(lit, sizeof(lit) - 1, NULL, 0, records, msgs, delim, header, "")

static void header_gives_objects(void **state)
{
	(void)state;
	CHECK("id,name,joined\n1,Ann,2016-03-12\n2,Bob,2016-03-13\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"id\": \"1\",\n  \"joined\": \"2016-03-12\",\n  \"name\": \"Ann\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n"
	      "{\n  \"id\": \"2\",\n  \"joined\": \"2016-03-13\",\n  \"name\": \"Bob\"\n}\n",
	      "", ',', 1);
}

/* The typing-sample shape: CR line ends, no header, a keystroke log with
 * '|' inside a ',' file, NULL for a missing address. */
static void headerless_cr_typing_sample(void **state)
{
	(void)state;
	CHECK("12/03/16 14:05,2016-03-12 14:05:09|120d65|180u65|260d66,192.0.2.7\r"
	      "12/03/16 14:06,2016-03-12 14:06:41|95d72|170u72,NULL\r"
	      "13/03/16 09:30,2016-03-13 09:30:02|101d65|166u65|240d32|300u32,NULL\r",
	      "@row 1, line 1 [1:1] #0\n"
	      "[\n  \"12/03/16 14:05\",\n  \"2016-03-12 14:05:09|120d65|180u65|260d66\",\n"
	      "  \"192.0.2.7\"\n]\n"
	      "@row 2, line 2 [2:1] #1\n"
	      "[\n  \"12/03/16 14:06\",\n  \"2016-03-12 14:06:41|95d72|170u72\",\n  \"NULL\"\n]\n"
	      "@row 3, line 3 [3:1] #2\n"
	      "[\n  \"13/03/16 09:30\",\n  \"2016-03-13 09:30:02|101d65|166u65|240d32|300u32\",\n"
	      "  \"NULL\"\n]\n",
	      "", ',', 0);
}

static void each_delimiter(void **state)
{
	(void)state;
	/* commas in the text do not split consistently; tabs do */
	CHECK("name\tnote\nAnn\tlikes a, b, c\nBob\tx, y\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"name\": \"Ann\",\n  \"note\": \"likes a, b, c\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"name\": \"Bob\",\n  \"note\": \"x, y\"\n}\n",
	      "", '\t', 1);
	/* decimal commas in a ';' file */
	CHECK("a;b;c\n1,5;2,5;x\n3,0;4;y\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1,5\",\n  \"b\": \"2,5\",\n  \"c\": \"x\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"3,0\",\n  \"b\": \"4\",\n  \"c\": \"y\"\n}\n",
	      "", ';', 1);
	CHECK("a|b\n1|2\n3|4\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"3\",\n  \"b\": \"4\"\n}\n",
	      "", '|', 1);
	/* a tie goes to the earlier of , \t ; | */
	CHECK("a,b;c\n1,2;3\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b;c\": \"2;3\"\n}\n",
	      "", ',', 1);
	/* a delimiter inside quotes does not count */
	CHECK("a;b\n\"x,y,z\";1\n\"p,q,r\";2\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"x,y,z\",\n  \"b\": \"1\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"p,q,r\",\n  \"b\": \"2\"\n}\n",
	      "", ';', 1);
}

static void quotes_and_newlines_in_cells(void **state)
{
	(void)state;
	CHECK("id,text,n\n"
	      "1,\"hello, world\",a\n"
	      "2,\"she said \"\"hi\"\"\nand left\r\nagain\",b\n"
	      "3,\"\",c\n"
	      "4,plain \"quote\" inside,d\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"id\": \"1\",\n  \"n\": \"a\",\n  \"text\": \"hello, world\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n"
	      "{\n  \"id\": \"2\",\n  \"n\": \"b\",\n"
	      "  \"text\": \"she said \\\"hi\\\"\\nand left\\r\\nagain\"\n}\n"
	      "@row 3, line 6 [6:1] #2\n"
	      "{\n  \"id\": \"3\",\n  \"n\": \"c\",\n  \"text\": \"\"\n}\n"
	      "@row 4, line 7 [7:1] #3\n"
	      "{\n  \"id\": \"4\",\n  \"n\": \"d\",\n  \"text\": \"plain \\\"quote\\\" inside\"\n}\n",
	      "", ',', 1);
}

static void crlf_cr_lf_mixed_and_blank_lines(void **state)
{
	(void)state;
	CHECK("a,b\r\n1,2\r3,4\n\n5,6\r\n\r\n7,\"x\ry\"\r8,9",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"3\",\n  \"b\": \"4\"\n}\n"
	      "@row 3, line 5 [5:1] #2\n{\n  \"a\": \"5\",\n  \"b\": \"6\"\n}\n"
	      "@row 4, line 7 [7:1] #3\n{\n  \"a\": \"7\",\n  \"b\": \"x\\ry\"\n}\n"
	      "@row 5, line 9 [9:1] #4\n{\n  \"a\": \"8\",\n  \"b\": \"9\"\n}\n",
	      "", ',', 1);
}

static void bom_skipped(void **state)
{
	(void)state;
	CHECK("\xef\xbb\xbfname,age\nAnn,30\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"age\": \"30\",\n  \"name\": \"Ann\"\n}\n",
	      "", ',', 1);
	/* columns count from 1 after the BOM */
	CHECK("\xef\xbb\xbf\"a\"b,1\n",
	      "@row 1, line 1 [1:1] #0\n[\n  \"ab\",\n  \"1\"\n]\n",
	      "t.csv:1:4: warning: text after the closing quote of a cell; kept as part of the cell\n",
	      ',', 0);
}

static void preamble_before_header(void **state)
{
	static const char text[] =
		"Notes:\n"
		"\"When exporting your data, you may notice that some addresses are missing.\"\n"
		"\n"
		"First Name,Last Name,Connected On\n"
		"Ann,Lee,01 Mar 2020\n"
		"Bob,Ng,02 Mar 2020\n";
	static const char text2[] =
		"Report generated on 2020-01-01, by sarfs\n"
		"id,a,b,c,d\n"
		"1,2,3,4,5\n";

	(void)state;
	check_opt(text, sizeof(text) - 1, NULL, 0,
		  "@row 1, line 5 [5:1] #0\n"
		  "{\n  \"Connected On\": \"01 Mar 2020\",\n  \"First Name\": \"Ann\",\n"
		  "  \"Last Name\": \"Lee\"\n}\n"
		  "@row 2, line 6 [6:1] #1\n"
		  "{\n  \"Connected On\": \"02 Mar 2020\",\n  \"First Name\": \"Bob\",\n"
		  "  \"Last Name\": \"Ng\"\n}\n",
		  "t.csv:1:1: note: the text before line 4 is a preamble, not rows\n",
		  ',', 1,
		  "Notes:\n"
		  "\"When exporting your data, you may notice that some addresses are missing.\"\n"
		  "\n");
	/* a preamble line may be split by the delimiter, if much less than a row */
	check_opt(text2, sizeof(text2) - 1, NULL, 0,
		  "@row 1, line 3 [3:1] #0\n"
		  "{\n  \"a\": \"2\",\n  \"b\": \"3\",\n  \"c\": \"4\",\n  \"d\": \"5\",\n  \"id\": \"1\"\n}\n",
		  "t.csv:1:1: note: the text before line 2 is a preamble, not rows\n",
		  ',', 1, "Report generated on 2020-01-01, by sarfs\n");
}

/* A header one cell shorter than the rows (rows with a trailing ',') is
 * not a preamble: it is a header, and the rows are ragged. */
static void short_header_is_not_preamble(void **state)
{
	(void)state;
	CHECK("a,b,c\n1,2,3,\n4,5,6,\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"a\": \"1\",\n  \"b\": \"2\",\n  \"c\": \"3\",\n  \"column 4\": \"\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n"
	      "{\n  \"a\": \"4\",\n  \"b\": \"5\",\n  \"c\": \"6\",\n  \"column 4\": \"\"\n}\n",
	      "t.csv:2:1: warning: more cells (4) than header names (3); the extra one is kept as column 4\n"
	      "t.csv:3:1: warning: more cells (4) than header names (3); the extra one is kept as column 4\n",
	      ',', 1);
}

static void duplicate_and_empty_names(void **state)
{
	static const char forced[] = "x,,column 2,x~2,x\n1,2,3,4,5\n";
	struct sarfs_csv_options o;

	(void)state;
	CHECK("a,b,a,a\n1,2,3,4\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"a\": \"1\",\n  \"a~2\": \"3\",\n  \"a~3\": \"4\",\n  \"b\": \"2\"\n}\n",
	      "", ',', 1);
	/* an empty name stops detection (csv.h), so the header is forced */
	sarfs_csv_options_default(&o);
	o.header = 1;
	check_opt(forced, sizeof(forced) - 1, &o, 0,
		  "@row 1, line 2 [2:1] #0\n"
		  "{\n  \"column 2\": \"2\",\n  \"column 2~2\": \"3\",\n  \"x\": \"1\",\n"
		  "  \"x~2\": \"4\",\n  \"x~3\": \"5\"\n}\n",
		  "", ',', 1, "");
}

static void ragged_rows_reported(void **state)
{
	(void)state;
	CHECK("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,13,14\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"2\",\n  \"c\": \"3\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"4\",\n  \"b\": \"5\"\n}\n"
	      "@row 3, line 4 [4:1] #2\n"
	      "{\n  \"a\": \"6\",\n  \"b\": \"7\",\n  \"c\": \"8\",\n  \"column 4\": \"9\"\n}\n"
	      "@row 4, line 5 [5:1] #3\n"
	      "{\n  \"a\": \"10\",\n  \"b\": \"11\",\n  \"c\": \"12\",\n  \"column 4\": \"13\",\n"
	      "  \"column 5\": \"14\"\n}\n",
	      "t.csv:3:1: warning: fewer cells (2) than header names (3); the missing ones are left out\n"
	      "t.csv:4:1: warning: more cells (4) than header names (3); the extra one is kept as column 4\n"
	      "t.csv:5:1: warning: more cells (5) than header names (3); the extra ones are kept as columns 4 to 5\n",
	      ',', 1);
	/* an extra cell's name yields to a header name */
	CHECK("a,column 3\nx,y,z\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"a\": \"x\",\n  \"column 3\": \"y\",\n  \"column 3~2\": \"z\"\n}\n",
	      "t.csv:2:1: warning: more cells (3) than header names (2); the extra one is kept as column 3\n",
	      ',', 1);
}

static void latin1_read_once_warned(void **state)
{
	(void)state;
	/* the first bad byte is on the second line of a quoted cell */
	CHECK("name,city\n"
	      "\"Dupont\nFran\xe7ois\",Gen\xe8ve\n"
	      "Zo\xeb,Z\xfcrich\n"
	      "Ren\xc3\xa9,Z\xc3\xbcrich\n",
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"city\": \"Gen\xc3\xa8ve\",\n  \"name\": \"Dupont\\nFran\xc3\xa7ois\"\n}\n"
	      "@row 2, line 4 [4:1] #1\n"
	      "{\n  \"city\": \"Z\xc3\xbcrich\",\n  \"name\": \"Zo\xc3\xab\"\n}\n"
	      "@row 3, line 5 [5:1] #2\n"
	      "{\n  \"city\": \"Z\xc3\xbcrich\",\n  \"name\": \"Ren\xc3\xa9\"\n}\n",
	      "t.csv:3:5: warning: bytes that are not UTF-8; read as Latin-1\n",
	      ',', 1);
	/* a sequence cut short by the end of its cell, in a header name */
	CHECK("caf\xc3,b\n1,2\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"b\": \"2\",\n  \"caf\xc3\x83\": \"1\"\n}\n",
	      "t.csv:1:4: warning: bytes that are not UTF-8; read as Latin-1\n",
	      ',', 1);
}

static void unterminated_quote_kept(void **state)
{
	(void)state;
	CHECK("a,b\n1,\"open\nstill open",
	      "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"open\\nstill open\"\n}\n",
	      "t.csv:2:3: error: the file ends inside this quoted cell (truncated?); the row is kept as read\n",
	      ',', 1);
}

static void backslash_escape_option(void **state)
{
	static const char text[] =
		"a,b,c,d\n"
		"\"say \\\"hi\\\"\",x\\,y,C:\\dir\\\\,\\N\n"
		"1,x\\\ny,3,4\n"
		"e\\q,\\\\,\\,,z\\";
	static const char plain[] = "a,b,c,d\n\"say \\\"hi\\\"\",x\\,y,C:\\dir\\\\,\\N\n";
	struct sarfs_csv_options o;

	(void)state;
	sarfs_csv_options_default(&o);
	o.escape = '\\';
	check_opt(text, sizeof(text) - 1, &o, 0,
		  "@row 1, line 2 [2:1] #0\n"
		  "{\n  \"a\": \"say \\\"hi\\\"\",\n  \"b\": \"x,y\",\n  \"c\": \"C:\\\\dir\\\\\",\n"
		  "  \"d\": \"\\\\N\"\n}\n"
		  "@row 2, line 3 [3:1] #1\n"
		  "{\n  \"a\": \"1\",\n  \"b\": \"x\\ny\",\n  \"c\": \"3\",\n  \"d\": \"4\"\n}\n"
		  "@row 3, line 5 [5:1] #2\n"
		  "{\n  \"a\": \"e\\\\q\",\n  \"b\": \"\\\\\",\n  \"c\": \",\",\n  \"d\": \"z\\\\\"\n}\n",
		  "", ',', 1, "");
	/* without the option a backslash is an ordinary character */
	CHECK(plain,
	      "@row 1, line 2 [2:1] #0\n"
	      "{\n  \"a\": \"say \\\\hi\\\\\\\"\\\"\",\n  \"b\": \"x\\\\\",\n  \"c\": \"y\",\n"
	      "  \"column 5\": \"\\\\N\",\n  \"d\": \"C:\\\\dir\\\\\\\\\"\n}\n",
	      "t.csv:2:1: warning: more cells (5) than header names (4); the extra one is kept as column 5\n"
	      "t.csv:2:8: warning: text after the closing quote of a cell; kept as part of the cell\n",
	      ',', 1);
}

/* A row of 70,000 empty cells is tiny in bytes but huge in memory: refused
 * by its cell count, and the row after it is read. */
static void too_many_cells(void **state)
{
	size_t n = 4 + 70000 + 1 + 4, i = 0;
	char *text = malloc(n + 1);

	(void)state;
	memcpy(text, "a,b\n", 4);
	i = 4;
	memset(text + i, ',', 70000);
	i += 70000;
	text[i++] = '\n';
	memcpy(text + i, "1,2\n", 4);
	check_opt(text, n, NULL, 0,
		  "@row 2, line 3 [3:1] #1\n{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n",
		  "t.csv:2:1: error: row longer than 67108864 bytes or with more than 65536 cells; "
		  "not split out (it is in raw/)\n",
		  ',', 1, "");
	free(text);
}

static void oversize_row_skipped(void **state)
{
	static const char text[] =
		"a,b\n"
		"1,2\n"
		"3,\"\xe9 this cell is far too long\"\n"
		"1234567,90123456\n"
		"5,\xe9\n";
	static const char head[] = "abcdef,g\n1,2\n";

	(void)state;
	/* 16 bytes is still allowed; the bad byte of the skipped row is not
	 * the one the warning points at */
	check_opt(text, sizeof(text) - 1, NULL, 16,
		  "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n"
		  "@row 3, line 4 [4:1] #2\n{\n  \"a\": \"1234567\",\n  \"b\": \"90123456\"\n}\n"
		  "@row 4, line 5 [5:1] #3\n{\n  \"a\": \"5\",\n  \"b\": \"\xc3\xa9\"\n}\n",
		  "t.csv:3:1: error: row longer than 16 bytes or with more than 65536 cells; not split out (it is in raw/)\n"
		  "t.csv:5:3: warning: bytes that are not UTF-8; read as Latin-1\n",
		  ',', 1, "");
	check_opt(head, sizeof(head) - 1, NULL, 4,
		  "@row 1, line 2 [2:1] #0\n[\n  \"1\",\n  \"2\"\n]\n",
		  "t.csv:1:1: error: header row longer than 4 bytes; the rows are read without names\n",
		  ',', 0, "");
}

static void empty_files(void **state)
{
	(void)state;
	CHECK("", "", "t.csv: warning: empty CSV file\n", ',', 0);
	CHECK("\r\n\n\r", "", "t.csv: warning: empty CSV file\n", ',', 0);
	CHECK("\xef\xbb\xbf", "", "t.csv: warning: empty CSV file\n", ',', 0);
}

static void header_only(void **state)
{
	(void)state;
	CHECK("id,name,email\n", "", "", ',', 1);
	CHECK("id,name,email", "", "", ',', 1);
	/* one column, so no delimiter is seen */
	CHECK("name\nAnn\nBob\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"name\": \"Ann\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"name\": \"Bob\"\n}\n",
	      "", ',', 1);
}

static void header_rules(void **state)
{
	(void)state;
	/* a number */
	CHECK("1,Ann\n2,Bob\n",
	      "@row 1, line 1 [1:1] #0\n[\n  \"1\",\n  \"Ann\"\n]\n"
	      "@row 2, line 2 [2:1] #1\n[\n  \"2\",\n  \"Bob\"\n]\n",
	      "", ',', 0);
	/* a time */
	CHECK("2016-03-12 14:05:09,login\n2016-03-12 15:00:00,logout\n",
	      "@row 1, line 1 [1:1] #0\n[\n  \"2016-03-12 14:05:09\",\n  \"login\"\n]\n"
	      "@row 2, line 2 [2:1] #1\n[\n  \"2016-03-12 15:00:00\",\n  \"logout\"\n]\n",
	      "", ',', 0);
	/* an empty cell */
	CHECK(",a\n1,b\n",
	      "@row 1, line 1 [1:1] #0\n[\n  \"\",\n  \"a\"\n]\n"
	      "@row 2, line 2 [2:1] #1\n[\n  \"1\",\n  \"b\"\n]\n",
	      "", ',', 0);
	/* a value that recurs in its column */
	CHECK("alpha,NULL\nbeta,x\ngamma,NULL\n",
	      "@row 1, line 1 [1:1] #0\n[\n  \"alpha\",\n  \"NULL\"\n]\n"
	      "@row 2, line 2 [2:1] #1\n[\n  \"beta\",\n  \"x\"\n]\n"
	      "@row 3, line 3 [3:1] #2\n[\n  \"gamma\",\n  \"NULL\"\n]\n",
	      "", ',', 0);
	/* but a whole header repeated (files put end to end) is a header */
	CHECK("name,kind\nann,a\nname,kind\nbob,b\n",
	      "@row 1, line 2 [2:1] #0\n{\n  \"kind\": \"a\",\n  \"name\": \"ann\"\n}\n"
	      "@row 2, line 3 [3:1] #1\n{\n  \"kind\": \"kind\",\n  \"name\": \"name\"\n}\n"
	      "@row 3, line 4 [4:1] #2\n{\n  \"kind\": \"b\",\n  \"name\": \"bob\"\n}\n",
	      "", ',', 1);
}

static void fixed_options(void **state)
{
	static const char text[] = "a,b;c\n1,2;3\n";
	static const char pipes[] = "a|b|c\n1|2|3\n";
	struct sarfs_csv_options o;
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_in in;
	struct memin m = { "", 0, 0, 0 };

	(void)state;
	sarfs_csv_options_default(&o);
	o.delimiter = ';';
	o.header = 0;
	check_opt(text, sizeof(text) - 1, &o, 0,
		  "@row 1, line 1 [1:1] #0\n[\n  \"a,b\",\n  \"c\"\n]\n"
		  "@row 2, line 2 [2:1] #1\n[\n  \"1,2\",\n  \"3\"\n]\n",
		  "", ';', 0, "");
	/* the escape character is never guessed to be the delimiter */
	sarfs_csv_options_default(&o);
	o.escape = '|';
	check_opt(pipes, sizeof(pipes) - 1, &o, 0,
		  "@row 1, line 2 [2:1] #0\n{\n  \"a|b|c\": \"1|2|3\"\n}\n",
		  "", ',', 1, "");
	assert_int_equal(sarfs_in_init(&in, memin_read, &m), 0);
	o.delimiter = '"';
	assert_int_equal(sarfs_csv_open(&in, "t.csv", &o, 0, &cr), -EINVAL);
	o.delimiter = ',';
	o.escape = ',';
	assert_int_equal(sarfs_csv_open(&in, "t.csv", &o, 0, &cr), -EINVAL);
	o.escape = 0;
	o.header = 2;
	assert_int_equal(sarfs_csv_open(&in, "t.csv", &o, 0, &cr), -EINVAL);
	assert_null(cr);
	sarfs_in_destroy(&in);
}

static void nul_byte_kept(void **state)
{
	static const char text[] = "a,b\n1,x\0y\n";

	(void)state;
	check_opt(text, sizeof(text) - 1, NULL, 0,
		  "@row 1, line 2 [2:1] #0\n{\n  \"a\": \"1\",\n  \"b\": \"x\\u0000y\"\n}\n",
		  "", ',', 1, "");
}

/* ---- the sample boundary --------------------------------------------- */

/* Builds "id,text" + eol, 16-byte filler rows and one padding row, so that
 * byte at of special lands at file offset target; then special, then
 * `after` filler rows. *before gets the number of rows before special. */
static void build(struct sarfs_buf *b, const char *eol, const char *special, size_t at,
		  size_t target, int after, int *before)
{
	size_t start = target - at, fill = 16 - strlen(eol);
	int k = 0, i;

	sarfs_buf_init(b);
	sarfs_buf_printf(b, "id,text%s", eol);
	while (b->len + 16 + 32 <= start) {
		/* "000001,row-text\n" */
		sarfs_buf_printf(b, "%06d,%.*s%s", ++k, (int)(fill - 7), "row-textrow-text", eol);
		assert_int_equal(b->len, 7 + strlen(eol) + 16 * (size_t)k);
	}
	/* one padding row of the exact remaining length */
	sarfs_buf_printf(b, "%06d,", ++k);
	while (b->len + strlen(eol) < start)
		sarfs_buf_addc(b, 'x');
	sarfs_buf_adds(b, eol);
	assert_int_equal(b->len, start);
	*before = k;
	sarfs_buf_adds(b, special);
	for (i = 0; i < after; i++)
		sarfs_buf_printf(b, "%06d,%.*s%s", ++k + 1, (int)(fill - 7), "row-textrow-text", eol);
	sarfs_buf_printf(b, "last,row%s", eol);
}

/* The record of row n (1-based) in rendered output, up to the next '@'. */
static char *record_at(const char *out, int n)
{
	char head[64], *p, *e;

	snprintf(head, sizeof(head), "@row %d, ", n);
	p = strstr(out, head);
	assert_non_null(p);
	e = strchr(p + 1, '@');
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static void sample_boundary_invisible(void **state)
{
	/* the boundary falls between the two quotes of "" */
	static const char special[] = "straddle,\"first line\nsecond, line \"\"q\"\"\nthird\"\n";
	static const char small[] = "id,text\nstraddle,\"first line\nsecond, line \"\"q\"\"\nthird\"\n";
	static const size_t steps[] = { 0, 1, 3 };
	struct sarfs_buf b;
	struct run r, ref;
	char *rec, *want, *last;
	size_t at = strstr(special, "\"\"q") - special, i;
	int before;

	(void)state;
	build(&b, "\n", special, at, SARFS_CSV_SAMPLE - 1, 3000, &before);
	assert_true(b.len > SARFS_CSV_SAMPLE + 40000);
	assert_memory_equal(b.data + SARFS_CSV_SAMPLE - 1, "\"\"q", 3);

	/* the same row, far from any boundary */
	run_csv(&ref, small, sizeof(small) - 1, NULL, 0, 0);
	assert_string_equal(ref.out.data,
			    "@row 1, line 2 [2:1] #0\n"
			    "{\n  \"id\": \"straddle\",\n"
			    "  \"text\": \"first line\\nsecond, line \\\"q\\\"\\nthird\"\n}\n");
	want = strdup(strchr(ref.out.data, '\n') + 1);

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char head[160];

		run_csv(&r, b.data, b.len, NULL, 0, steps[i]);
		assert_string_equal(r.msgs.data, "");
		assert_int_equal(r.delim, ',');
		assert_int_equal(r.header, 1);
		assert_int_equal(r.nrec, before + 1 + 3000 + 1);
		rec = record_at(r.out.data, before + 1);
		snprintf(head, sizeof(head), "@row %d, line %d [%d:1] #%d\n", before + 1,
			 before + 2, before + 2, before);
		assert_memory_equal(rec, head, strlen(head));
		assert_string_equal(rec + strlen(head), want);
		free(rec);
		/* the embedded line ends are counted once: the row after starts
		 * three lines on, and so does every row to the end */
		rec = record_at(r.out.data, before + 2);
		snprintf(head, sizeof(head), "@row %d, line %d [", before + 2, before + 5);
		assert_memory_equal(rec, head, strlen(head));
		free(rec);
		last = record_at(r.out.data, before + 3002);
		snprintf(head, sizeof(head), "@row %d, line %d [%d:1] #%d\n{\n  \"id\": \"last\",\n"
			 "  \"text\": \"row\"\n}\n", before + 3002, before + 3005, before + 3005,
			 before + 3001);
		assert_string_equal(last, head);
		free(last);
		run_free(&r);
	}
	free(want);
	run_free(&ref);
	sarfs_buf_destroy(&b);
}

/* A CR LF split by the boundary is one line end, not two. */
static void sample_boundary_splits_crlf(void **state)
{
	static const char special[] = "straddle,crlf\r\n";
	struct sarfs_buf b;
	struct run r;
	char *rec, head[160];
	int before;

	(void)state;
	build(&b, "\r\n", special, strlen(special) - 2, SARFS_CSV_SAMPLE - 1, 10, &before);
	assert_memory_equal(b.data + SARFS_CSV_SAMPLE - 1, "\r\n", 2);
	run_csv(&r, b.data, b.len, NULL, 0, 0);
	assert_string_equal(r.msgs.data, "");
	assert_int_equal(r.nrec, before + 1 + 10 + 1);
	rec = record_at(r.out.data, before + 1);
	snprintf(head, sizeof(head), "@row %d, line %d [%d:1] #%d\n{\n  \"id\": \"straddle\",\n"
		 "  \"text\": \"crlf\"\n}\n", before + 1, before + 2, before + 2, before);
	assert_string_equal(rec, head);
	free(rec);
	rec = record_at(r.out.data, before + 2);
	snprintf(head, sizeof(head), "@row %d, line %d [%d:1] #%d\n", before + 2, before + 3,
		 before + 3, before + 1);
	assert_memory_equal(rec, head, strlen(head));
	free(rec);
	run_free(&r);
	sarfs_buf_destroy(&b);
}

/* The sample ends inside "identifier": the cut-off "id" must not count as
 * the header's "id" recurring in its column. */
static void sample_cut_row_not_judged(void **state)
{
	static const char special[] = "identifier,x\n";
	struct sarfs_buf b;
	struct run r;
	char *rec, head[160];
	int before, i;

	(void)state;
	build(&b, "\n", special, 2, SARFS_CSV_SAMPLE, 0, &before);
	assert_memory_equal(b.data + SARFS_CSV_SAMPLE - 3, "\nid", 3);
	run_csv(&r, b.data, b.len, NULL, 0, 0);
	assert_string_equal(r.msgs.data, "");
	assert_int_equal(r.header, 1);
	rec = record_at(r.out.data, before + 1);
	snprintf(head, sizeof(head), "@row %d, line %d [%d:1] #%d\n{\n  \"id\": \"identifier\",\n"
		 "  \"text\": \"x\"\n}\n", before + 1, before + 2, before + 2, before);
	assert_string_equal(rec, head);
	free(rec);
	run_free(&r);
	sarfs_buf_destroy(&b);

	/* a header longer than the sample, cut just after a ',': the empty
	 * last cell seen there is not an empty name */
	sarfs_buf_init(&b);
	for (i = 0; i < 10000; i++)
		sarfs_buf_printf(&b, "c%06d%c", i, i + 1 < 10000 ? ',' : '\n');
	assert_int_equal(b.data[SARFS_CSV_SAMPLE - 1], ',');
	sarfs_buf_adds(&b, "1,2\n");
	run_csv(&r, b.data, b.len, NULL, 0, 0);
	assert_int_equal(r.header, 1);
	assert_string_equal(r.out.data,
			    "@row 1, line 2 [2:1] #0\n{\n  \"c000000\": \"1\",\n  \"c000001\": \"2\"\n}\n");
	assert_string_equal(r.msgs.data,
			    "t.csv:2:1: warning: fewer cells (2) than header names (10000); the missing ones are left out\n");
	run_free(&r);
	sarfs_buf_destroy(&b);
}

/* ---- read errors ------------------------------------------------------ */

struct failing {
	size_t n, fail_at;
};

static ssize_t failing_read(void *ctx, void *buf, size_t n)
{
	struct failing *f = ctx;
	size_t k = n < 4096 ? n : 4096;

	if (f->n >= f->fail_at)
		return -EIO;
	if (k > f->fail_at - f->n)
		k = f->fail_at - f->n;
	/* "1,2\n" over and over: a headerless file */
	for (size_t i = 0; i < k; i++)
		((char *)buf)[i] = "1,2\n"[(f->n + i) % 4];
	f->n += k;
	return (ssize_t)k;
}

static void read_error_returned(void **state)
{
	static const size_t fail_at[] = { 100, SARFS_CSV_SAMPLE + 4002 };
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_record rec;
	struct sarfs_in in;
	size_t i;
	long n;
	int rc;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct failing f = { 0, fail_at[i] };

		assert_int_equal(sarfs_in_init(&in, failing_read, &f), 0);
		assert_int_equal(sarfs_csv_open(&in, "t.csv", NULL, 0, &cr), 0);
		n = 0;
		while ((rc = sarfs_csv_next(cr, &rec, NULL)) == 1)
			n++;
		assert_int_equal(rc, -EIO);
		/* within the sample, nothing; after it, the complete rows
		 * and not the one cut short */
		assert_int_equal(n, i == 0 ? 0 : (long)(fail_at[i] / 4));
		sarfs_csv_close(cr);
		sarfs_in_destroy(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_gives_objects),
		cmocka_unit_test(headerless_cr_typing_sample),
		cmocka_unit_test(each_delimiter),
		cmocka_unit_test(quotes_and_newlines_in_cells),
		cmocka_unit_test(crlf_cr_lf_mixed_and_blank_lines),
		cmocka_unit_test(bom_skipped),
		cmocka_unit_test(preamble_before_header),
		cmocka_unit_test(short_header_is_not_preamble),
		cmocka_unit_test(duplicate_and_empty_names),
		cmocka_unit_test(ragged_rows_reported),
		cmocka_unit_test(latin1_read_once_warned),
		cmocka_unit_test(unterminated_quote_kept),
		cmocka_unit_test(backslash_escape_option),
		cmocka_unit_test(oversize_row_skipped),
		cmocka_unit_test(too_many_cells),
		cmocka_unit_test(empty_files),
		cmocka_unit_test(header_only),
		cmocka_unit_test(header_rules),
		cmocka_unit_test(fixed_options),
		cmocka_unit_test(nul_byte_kept),
		cmocka_unit_test(sample_boundary_invisible),
		cmocka_unit_test(sample_boundary_splits_crlf),
		cmocka_unit_test(sample_cut_row_not_judged),
		cmocka_unit_test(read_error_returned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
