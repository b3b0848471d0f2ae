/*
 * json_reader.c - the JSON and JSON Lines fuzz targets' common part.
 *
 * A file is read twice: as the builder reads it (records prerendered from
 * their bytes by jsonfast.c where they can be), its bytes arriving a few
 * at a time; and by the plain reader, every record parsed by jansson and
 * rendered by sarfs_json_render_max(), all bytes at once. json.h promises
 * both give the same records, locators and messages, whatever the refill
 * boundaries; the target aborts where they do not. For documents, the whole
 * input also goes to sarfs_json_render_text() directly, which must agree
 * with jansson's parse of it whenever it does not decline.
 */
#include "fuzz.h"

#include "../unit/memin.h"
#include "sarfs/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The generic profile's name and time keys (what build.c passes), and two
 * that random data hits more often. */
static const char *const keys[] = {
	"id", "_id", "id_str", "uuid", "guid", "session_user_id", "user_id", "timestamp", "time",
	"created_at", "created_time", "date", "a", "", NULL
};

struct reading {
	struct sarfs_buf out;	/* per record: a line of where, then its text */
	struct sarfs_buf msgs;
	long nrec;
};

/* A prerendered record's value holds exactly the string and integer
 * members of the full parse named in keys (json.h). */
static void check_summary(json_t *summary, json_t *full)
{
	size_t i, want = 0;

	FUZZ_CHECK(json_is_object(summary), "a summary that is not an object");
	for (i = 0; keys[i]; i++) {
		json_t *x = json_is_object(full) ? json_object_get(full, keys[i]) : NULL;

		if (json_is_string(x) || json_is_integer(x)) {
			want++;
			FUZZ_CHECK(json_equal(x, json_object_get(summary, keys[i])),
				   "a summary member differs from the record's");
		}
	}
	FUZZ_CHECK(json_object_size(summary) == want, "a summary holds other members");
}

static void read_all(const uint8_t *data, size_t size, enum sarfs_json_mode mode, size_t step,
		     size_t max_record, int prerender, struct reading *r)
{
	struct memin m = { (const char *)data, size, 0, step };
	struct sarfs_json_reader *jr = NULL;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	int rc;

	sarfs_buf_init(&r->out);
	sarfs_buf_init(&r->msgs);
	r->nrec = 0;
	sarfs_diag_init(&d);
	FUZZ_CHECK(sarfs_in_init(&in, memin_read, &m) == 0, "out of memory");
	FUZZ_CHECK(sarfs_json_open(&in, "f.json", mode, max_record, &jr) == 0, "cannot open");
	if (prerender)
		sarfs_json_prerender(jr, keys);
	while ((rc = sarfs_json_next(jr, &rec, &d)) == 1) {
		r->nrec++;
		FUZZ_CHECK(rec.value && rec.locator, "a record without value or locator");
		sarfs_buf_printf(&r->out, "@%s [%ld:%ld] %s #%ld %zu\n", rec.locator, rec.line,
				 rec.col, rec.group ? rec.group : "-", rec.index, rec.bytes);
		if (rec.text) {
			json_t *full = json_loadb(rec.text, rec.text_len,
						  JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

			FUZZ_CHECK(prerender, "a record came prerendered unasked");
			fuzz_check_rendered(rec.text, rec.text_len, full);
			check_summary(rec.value, full);
			json_decref(full);
			sarfs_buf_add(&r->out, rec.text, rec.text_len);
		} else {
			fuzz_check_utf8_value(rec.value);
			fuzz_render_record(rec.value, rec.bytes, 1, &r->out);
		}
	}
	FUZZ_CHECK(rc == 0, "the reader failed on bytes in memory");
	sarfs_json_close(jr);
	sarfs_in_destroy(&in);
	fuzz_diag_text(&d, &r->msgs);
	sarfs_diag_destroy(&d);
}

static void reading_free(struct reading *r)
{
	sarfs_buf_destroy(&r->out);
	sarfs_buf_destroy(&r->msgs);
}

/* render_text on the whole input against jansson's parse of it. */
static void check_fast_path(const uint8_t *data, size_t size)
{
	struct sarfs_buf fast = SARFS_BUF_INIT, slow = SARFS_BUF_INIT;
	size_t limit = 16 * size + 65536;
	json_t *summary = NULL, *v;
	int f, s;

	f = sarfs_json_render_text((const char *)data, size, &fast, limit, keys, &summary);
	FUZZ_CHECK(f == 0 || f == 1 || f == -EFBIG, "render_text failed");
	/* a text it declines is jansson's alone: nothing to compare */
	v = f == 1 ? NULL : json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (f == 1)
		FUZZ_CHECK(fast.len == 0 && !summary, "render_text declined but wrote");
	if (f == 0)
		FUZZ_CHECK(v, "render_text took a text that jansson refuses");
	if (v) {
		s = sarfs_json_render_max(v, &slow, limit);
		FUZZ_CHECK(s == f, "render_text and render_max disagree on the limit");
		if (f == 0) {
			fuzz_check_same(&fast, &slow, "render_text and render_max texts");
			check_summary(summary, v);
		}
	}
	json_decref(v);
	json_decref(summary);
	sarfs_buf_destroy(&fast);
	sarfs_buf_destroy(&slow);
}

void fuzz_json(const uint8_t *data, size_t size, enum sarfs_json_mode mode)
{
	uint64_t h = fuzz_hash(data, size);
	size_t step = 1 + (h >> 8) % 13;
	/* mostly the default bound; sometimes one small enough to matter */
	size_t max_record = h % 8 == 0 ? 1 + (h >> 32) % 600 : 0;
	struct reading fast, plain;

	read_all(data, size, mode, step, max_record, 1, &fast);
	read_all(data, size, mode, 0, max_record, 0, &plain);
	fuzz_check_same(&fast.out, &plain.out, "prerendered and plain records");
	fuzz_check_same(&fast.msgs, &plain.msgs, "prerendered and plain messages");
	FUZZ_CHECK(fast.nrec == plain.nrec, "record counts differ");
	reading_free(&fast);
	reading_free(&plain);
	if (mode == SARFS_JSON_DOCUMENT)
		check_fast_path(data, size);
}
