/*
 * fuzz_sqldump.c - the mysqldump reader: statements, literals, escapes,
 * comments, DELIMITER, column lists, truncation and the row bound.
 *
 * Each input is read twice, all at once and a few bytes at a time, and
 * the readings must agree (sqldump.h streams; refill boundaries must not
 * show). Values are only null, integers and strings (sqldump.h), all
 * UTF-8; each is rendered as the builder renders it.
 */
#include "fuzz.h"

#include "../unit/memin.h"
#include "sarfs/sqldump.h"

#include <string.h>

struct reading {
	struct sarfs_buf out;
	struct sarfs_buf msgs;
};

static void check_values(json_t *v)
{
	const char *key;
	json_t *x;

	FUZZ_CHECK(json_is_object(v), "a row that is not an object");
	json_object_foreach(v, key, x)
		FUZZ_CHECK(json_is_null(x) || json_is_integer(x) || json_is_string(x),
			   "a value that is not null, an integer or a string");
}

static void read_all(const uint8_t *data, size_t size, size_t max_record, size_t step,
		     struct reading *r)
{
	struct memin m = { (const char *)data, size, 0, step };
	struct sarfs_sqldump_reader *sr = NULL;
	const char *const *cols;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	int rc;

	sarfs_buf_init(&r->out);
	sarfs_buf_init(&r->msgs);
	sarfs_diag_init(&d);
	FUZZ_CHECK(sarfs_in_init(&in, memin_read, &m) == 0, "out of memory");
	FUZZ_CHECK(sarfs_sqldump_open(&in, "f.sql", max_record, &sr) == 0, "cannot open");
	while ((rc = sarfs_sqldump_next(sr, &rec, &d)) == 1) {
		FUZZ_CHECK(rec.value && rec.locator && rec.group, "a row without value, place or table");
		FUZZ_CHECK(rec.index >= 0, "a row without a position");
		FUZZ_CHECK(fuzz_utf8_valid(rec.group, strlen(rec.group)), "a table name is not UTF-8");
		check_values(rec.value);
		fuzz_check_utf8_value(rec.value);
		sarfs_buf_printf(&r->out, "@%s [%ld:%ld] %s #%ld %zu\n", rec.locator, rec.line, rec.col,
				 rec.group, rec.index, rec.bytes);
		cols = sarfs_sqldump_columns(sr, rec.group);
		for (; cols && *cols; cols++) {
			FUZZ_CHECK(fuzz_utf8_valid(*cols, strlen(*cols)), "a column name is not UTF-8");
			sarfs_buf_printf(&r->out, "(%s)", *cols);
		}
		fuzz_render_record(rec.value, rec.bytes, 1, &r->out);
	}
	/* bytes in memory cannot fail to be read: only the end is possible */
	FUZZ_CHECK(rc == 0, "the reader failed on bytes in memory");
	FUZZ_CHECK(sarfs_sqldump_next(sr, &rec, &d) == 0, "the end is not sticky");
	sarfs_sqldump_close(sr);
	sarfs_in_destroy(&in);
	fuzz_diag_text(&d, &r->msgs);
	sarfs_diag_destroy(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = fuzz_hash(data, size);
	/* sqldump.h raises a bound on names below 1 MiB; rows it takes as is */
	size_t max_record = h % 4 == 0 ? 1 + (h >> 32) % 400 : 0;
	struct reading a, b;

	read_all(data, size, max_record, 0, &a);
	read_all(data, size, max_record, 1 + (h >> 8) % 11, &b);
	fuzz_check_same(&a.out, &b.out, "rows read at once and in steps");
	fuzz_check_same(&a.msgs, &b.msgs, "messages read at once and in steps");
	sarfs_buf_destroy(&a.out);
	sarfs_buf_destroy(&a.msgs);
	sarfs_buf_destroy(&b.out);
	sarfs_buf_destroy(&b.msgs);
	return 0;
}
