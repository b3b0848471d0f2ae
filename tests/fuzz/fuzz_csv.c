/*
 * fuzz_csv.c - the CSV / TSV reader: layout detection, quoting, escapes,
 * line ends, Latin-1 repair, and the limits.
 *
 * Each input is read twice with the same options, all at once and a few
 * bytes at a time; csv.h promises the same rows, layout and messages, so
 * the target aborts where they differ. The options (fixed or detected
 * delimiter and header, a backslash escape, a small row bound, a file
 * longer than the layout sample) come from a hash of the input, so the
 * committed seeds stay plain CSV files.
 */
#include "fuzz.h"

#include "../unit/memin.h"
#include "sarfs/csv.h"

#include <stdlib.h>
#include <string.h>

struct reading {
	struct sarfs_buf out;	/* the layout, then per record its place and text */
	struct sarfs_buf msgs;
};

/* Cells are always strings (csv.h): a record is an object of strings
 * (with a header) or an array of strings. */
static void check_cells(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, x)
			FUZZ_CHECK(json_is_string(x), "a cell that is not a string");
	} else {
		FUZZ_CHECK(json_is_array(v), "a record that is neither object nor array");
		json_array_foreach(v, i, x)
			FUZZ_CHECK(json_is_string(x), "a cell that is not a string");
	}
}

static void read_all(const uint8_t *data, size_t size, const struct sarfs_csv_options *opt,
		     size_t max_record, size_t step, int is_long, struct reading *r)
{
	struct memin m = { (const char *)data, size, 0, step };
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	const char *pre;
	long last = -1;
	int rc;

	sarfs_buf_init(&r->out);
	sarfs_buf_init(&r->msgs);
	sarfs_diag_init(&d);
	FUZZ_CHECK(sarfs_in_init(&in, memin_read, &m) == 0, "out of memory");
	FUZZ_CHECK(sarfs_csv_open(&in, "f.csv", opt, max_record, &cr) == 0, "cannot open");
	while ((rc = sarfs_csv_next(cr, &rec, &d)) == 1) {
		FUZZ_CHECK(rec.value && rec.locator, "a record without value or locator");
		FUZZ_CHECK(!rec.group, "a CSV record with a group");
		/* skipped rows keep their positions: indexes only grow */
		FUZZ_CHECK(rec.index > last, "row indexes do not grow");
		last = rec.index;
		check_cells(rec.value);
		fuzz_check_utf8_value(rec.value);
		sarfs_buf_printf(&r->out, "@%s [%ld:%ld] #%ld %zu\n", rec.locator, rec.line, rec.col,
				 rec.index, rec.bytes);
		/* a long file repeats its rows: reading back some is enough */
		fuzz_render_record(rec.value, rec.bytes, !is_long || rec.index % 64 == 0, &r->out);
	}
	FUZZ_CHECK(rc == 0, "the reader failed on bytes in memory");
	FUZZ_CHECK(sarfs_csv_next(cr, &rec, &d) == 0, "the end is not sticky");
	pre = sarfs_csv_preamble(cr);
	FUZZ_CHECK(pre && fuzz_utf8_valid(pre, strlen(pre)), "the preamble is not UTF-8");
	sarfs_buf_printf(&r->out, "delimiter %d header %d preamble [%s]\n", sarfs_csv_delimiter(cr),
			 sarfs_csv_has_header(cr), pre);
	sarfs_csv_close(cr);
	sarfs_in_destroy(&in);
	fuzz_diag_text(&d, &r->msgs);
	sarfs_diag_destroy(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, ',', '\t', ';', '|' };
	uint64_t h = fuzz_hash(data, size);
	struct sarfs_csv_options opt;
	struct reading a, b;
	size_t max_record = 0;
	uint8_t *long_file = NULL;

	sarfs_csv_options_default(&opt);
	/* half the inputs as the builder reads a .csv, the rest varied */
	if (h & 1) {
		opt.delimiter = delims[(h >> 1) % sizeof(delims)];
		opt.escape = (h >> 4) & 1 ? '\\' : 0;
		opt.header = (int)((h >> 5) % 3) - 1;
		if ((h >> 7) % 4 == 0)
			max_record = 1 + (h >> 32) % 300;
	}
	/* One input in 32 is repeated past the layout sample, so that rows
	 * also come from the stream after it and one straddles its end. */
	if ((h >> 12) % 32 == 0 && size) {
		size_t n = 0, want = SARFS_CSV_SAMPLE + size;

		long_file = malloc(want);
		FUZZ_CHECK(long_file, "out of memory");
		for (; n < want; n += size)
			memcpy(long_file + n, data, want - n < size ? want - n : size);
		data = long_file;
		size = want;
	}
	read_all(data, size, &opt, max_record, 0, long_file != NULL, &a);
	read_all(data, size, &opt, max_record, 1 + (h >> 9) % 11, long_file != NULL, &b);
	fuzz_check_same(&a.out, &b.out, "records read at once and in steps");
	fuzz_check_same(&a.msgs, &b.msgs, "messages read at once and in steps");
	sarfs_buf_destroy(&a.out);
	sarfs_buf_destroy(&a.msgs);
	sarfs_buf_destroy(&b.out);
	sarfs_buf_destroy(&b.msgs);
	free(long_file);
	return 0;
}
