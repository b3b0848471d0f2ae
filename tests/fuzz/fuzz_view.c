/*
 * fuzz_view.c - loading a view and redacting with it.
 *
 * The input is a view's text (sarfs_view_parse). A view that loads is
 * asked which of a few paths it shows, collects the fields of a fixed
 * record, and redacts a fixed text three ways: whole, streamed in pieces
 * (sizes chosen from the input's hash), and as a record. Checked:
 *   - every refusal comes with a message;
 *   - the streamed redaction equals the whole one (the texts are far
 *     shorter than SARFS_VIEW_WINDOW, so no match may be lost at a cut);
 *     (a regular expression may look at context a piece lacks: not checked
 *     for views with one);
 *   - a text with no hit comes back byte for byte;
 *   - a redacted record keeps valid UTF-8 strings and keys;
 *   - the README account of the rules is valid UTF-8.
 */
#include "fuzz.h"

#include "sarfs/view.h"

#include <errno.h>
#include <string.h>

static const char record_text[] =
	"{\"user_id\": 2210, \"email\": \"ana@example.org\", \"name\": \"Ana Lima\","
	" \"ip\": \"192.168.10.4\", \"user_agent\": \"Mozilla/5.0 (X11; Linux)\","
	" \"posts\": [{\"author\": 3385, \"text\": \"see 10.0.0.1 or mail bo@x.ch\"}]}";

static const char text[] =
	"2014-10-06T15:22:10Z\t2210\tana@example.org\t192.168.10.4\tMozilla/5.0 (X11; Linux)\n"
	"Reply from 3385 (Ana Lima) at fe80::1: \"see 10.0.0.1\" - a2210 x_2210 ANA@EXAMPLE.ORG\n"
	"caf\xc3\xa9 \xe2\x80\xae 0e6ec167b93b0ac371a846bcd143d1986c22a65a [redacted:ip:1]\n";

static const char *const paths[] = {
	"raw", "raw/identity/photo_1.jpg", "posts/c-001/t-1/x.txt", "README.txt", "", "a/b/c",
};

static int uses_regex(const char *data, size_t size)
{
	return memmem(data, size, "\"regex\"", 7) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sarfs_view *v = NULL;
	struct sarfs_view_found *f = NULL;
	struct sarfs_view_stream *st = NULL;
	struct sarfs_buf whole, streamed, again, report;
	struct sarfs_diag d;
	json_t *rec = NULL;
	uint64_t h = fuzz_hash(data, size), hits = 0, shits = 0;
	size_t i, at, step;
	int rc, rc2;

	sarfs_diag_init(&d);
	sarfs_buf_init(&whole);
	sarfs_buf_init(&streamed);
	sarfs_buf_init(&again);
	sarfs_buf_init(&report);
	rc = sarfs_view_parse("fuzz.view", (const char *)data, size, &v, &d);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM, "view_parse's error");
	if (rc) {
		FUZZ_CHECK(rc != -EINVAL || sarfs_diag_count(&d, SARFS_ERROR), "a refusal without a message");
		goto out;
	}
	FUZZ_CHECK(sarfs_view_name(v) && sarfs_view_sha256(v) && strlen(sarfs_view_sha256(v)) == 64,
		   "a loaded view without its name or hash");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)sarfs_view_shows(v, paths[i], strlen(paths[i]));
	for (i = 0; i < sarfs_view_nglobs(v, 0); i++)
		FUZZ_CHECK(sarfs_view_glob(v, 0, i), "an include glob missing");
	for (i = 0; i < sarfs_view_nglobs(v, 1); i++)
		FUZZ_CHECK(sarfs_view_glob(v, 1, i), "an exclude glob missing");

	rec = json_loads(record_text, 0, NULL);
	FUZZ_CHECK(rec, "the fixed record");
	FUZZ_CHECK(sarfs_view_found_new(v, &f) == 0, "found_new");
	FUZZ_CHECK(sarfs_view_collect(v, rec, f) == 0, "collect");
	FUZZ_CHECK(sarfs_view_absorb(v, f) == 0, "absorb");
	FUZZ_CHECK(sarfs_view_prepare(v, &d) == 0, "prepare");

	rc = sarfs_view_redact(v, text, sizeof(text) - 1, &whole, &hits);
	FUZZ_CHECK(rc == 0 || rc == -EIO || rc == -ENOMEM, "redact's error");
	if (rc)
		goto out;
	if (!hits)
		fuzz_check_bytes(whole.data, whole.len, text, sizeof(text) - 1, "a text without hits");

	/* the same text in pieces: values already numbered keep their numbers */
	FUZZ_CHECK(sarfs_view_stream_open(v, &st) == 0, "stream_open");
	step = 1 + (size_t)(h % 97);
	for (at = 0; at < sizeof(text) - 1; at += step) {
		size_t n = sizeof(text) - 1 - at < step ? sizeof(text) - 1 - at : step;

		rc2 = sarfs_view_stream_write(st, text + at, n, &streamed);
		if (rc2) {
			FUZZ_CHECK(rc2 == -EIO || rc2 == -ENOMEM, "stream_write's error");
			st = NULL;	/* freed on error */
			goto out;
		}
	}
	rc2 = sarfs_view_stream_close(st, &streamed, &shits);
	st = NULL;
	FUZZ_CHECK(rc2 == 0 || rc2 == -EIO || rc2 == -ENOMEM, "stream_close's error");
	if (rc2)
		goto out;
	if (!uses_regex((const char *)data, size)) {
		fuzz_check_same(&whole, &streamed, "streamed and whole redaction");
		FUZZ_CHECK(shits == hits, "streamed and whole hits");
	}

	rc2 = sarfs_view_redact_json(v, &rec, NULL);
	FUZZ_CHECK(rc2 == 0 || rc2 == -EIO || rc2 == -ENOMEM, "redact_json's error");
	FUZZ_CHECK(rec, "redact_json lost the record");
	if (!rc2)
		fuzz_check_utf8_value(rec);
	FUZZ_CHECK(sarfs_view_report(v, &report) == 0, "report");
	FUZZ_CHECK(fuzz_utf8_valid(report.data ? report.data : "", report.len), "the report is not UTF-8");
out:
	if (st)
		(void)sarfs_view_stream_close(st, &again, NULL);
	json_decref(rec);
	sarfs_view_found_free(f);
	sarfs_view_free(v);
	sarfs_buf_destroy(&whole);
	sarfs_buf_destroy(&streamed);
	sarfs_buf_destroy(&again);
	sarfs_buf_destroy(&report);
	sarfs_diag_destroy(&d);
	return 0;
}
