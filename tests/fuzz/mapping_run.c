/*
 * mapping_run.c - executing a profile's mapping on a small export, for
 * the profile and mapping fuzz targets (fuzz.h).
 *
 * The export is a course's dumps in miniature, in the shape of the
 * Coursera ones; the mapping is executed as build.c executes it: claims,
 * loads through the real readers, setup, subject, nodes, expectations,
 * MISSING.txt, in an in-memory database. Every generated path must be a
 * safe path, every file begun must be ended.
 *
 * A profile is SQL: a query may run as long as it likes. A progress
 * handler interrupts whatever runs past a bound, so the fuzzers look for
 * crashes and broken paths, not for slow queries (which the user's own
 * profile may legitimately have).
 */
#include "fuzz.h"

#include "../unit/memin.h"
#include "sarfs/csv.h"
#include "sarfs/json.h"
#include "sarfs/mapping.h"
#include "sarfs/names.h"
#include "sarfs/profile.h"
#include "sarfs/sqldump.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

/* VM steps a profile's SQL may take per input, in units of 1000 */
#define SQL_BUDGET 20000

/* A course's dumps in miniature: a CREATE TABLE with its rows, rows of a
 * table without one (named by position through the schema), a
 * JSON Lines clickstream, a headerless CSV, and files no rule claims. */
static const struct fuzz_member export[] = {
	{ "c-001/c-001_hash_mapping.sql", SARFS_FORMAT_SQL,
	  "-- MySQL dump 10.13\n"
	  "CREATE TABLE `hash_mapping` (\n  `user_id` int(11) NOT NULL,\n"
	  "  `eventing_user_id` varchar(40),\n  `session_user_id` varchar(40),\n"
	  "  `public_user_id` varchar(40)\n);\n"
	  "INSERT INTO `hash_mapping` VALUES (23906,'e7','s5','p9');\n"
	  "-- Dump completed on 2016-01-12 10:41:07\n", 0 },
	{ "c-001/c-001_anonymized_forum.sql", SARFS_FORMAT_SQL,
	  "INSERT INTO `forum_threads` VALUES (1,2,23906,1412608930,1412629544,23906,0,0,0,1,0,0,"
	  "2,512,0,0,0,'PA2: lexer',0,NULL,0,NULL);\n"
	  "INSERT INTO `forum_posts` VALUES (1,1,23906,1412608930,-1,0,0,1,0,1,0,0,"
	  "'My lexer fails on (* nested *) comments','Mozilla/5.0','markdown'),"
	  "(2,1,31002,1412629544,1412630000,1,1,0,0,0,0,3,'Use a counter','curl','html');\n"
	  "INSERT INTO `forum_comments` VALUES (7,1,2,23906,1412700000,0,0,1,0,'thanks!',NULL,"
	  "'markdown');\n"
	  "INSERT INTO `forum_reporting` VALUES (3,31002,'spam','post',1,'rude',1412700001);\n", 0 },
	{ "c-001/c-001_anonymized_general.sql", SARFS_FORMAT_SQL,
	  "INSERT INTO `users` VALUES ('s5','en_US','Europe/Berlin',1,1409252565,1416861012,"
	  "1,0,0,0,1,0,0,NULL);\n"
	  "INSERT INTO `access_groups` VALUES (1,'Student',0,0,0);\n"
	  "INSERT INTO `course_grades` VALUES ('s5',62.00,0.00,'normal',0,0.00,0);\n"
	  "INSERT INTO `activity_log` VALUES (12877,23906,'forum','post',2,"
	  "'{\\\"post_id\\\":2}',1412629544);\n"
	  "INSERT INTO `lecture_submission_metadata` VALUES (2051,1,'s5',1410894725,1,NULL,"
	  "'view');\n", 0 },
	{ "c-001/c-001_clickstream_export.jsonl", SARFS_FORMAT_JSONL,
	  "{\"key\":\"pageview\",\"value\":\"{}\",\"username\":\"e7\",\"timestamp\":1410894710004,"
	  "\"page_url\":\"https://class.example.org/c-001/lecture\",\"user_ip\":\"192.0.2.17\"}\n"
	  "{\"key\":\"user.video\",\"username\":\"e7\",\"timestamp\":1410894728331}\n", 0 },
	{ "identity/typing_samples.csv", SARFS_FORMAT_CSV,
	  "06/05/14 10:02,2014-05-06 10:02:37|0d73|113u73,198.51.100.23\r"
	  "19/05/14 21:40,2014-05-19 21:40:12|0d73|125u73,NULL\r", 0 },
	{ "c-001/c-001_login_history.csv", SARFS_FORMAT_CSV,
	  "time,ip\n2014-05-06T10:02:37Z,192.0.2.1\n", 0 },
	{ "account/profile.json", SARFS_FORMAT_JSON,
	  "{\"id\": \"u1\", \"name\": \"Ann\", \"posts\": [{\"id\": 1}, {\"id\": 2}]}", 0 },
	{ "notes/readme.txt", SARFS_FORMAT_NONE, "", 0 },
};

static int interrupt(void *ctx)
{
	long *left = ctx;

	return --*left < 0;
}

void fuzz_check_safe_path(const char *path, size_t len)
{
	size_t i = 0, j;

	FUZZ_CHECK(len > 0, "an empty path");
	while (i <= len) {
		for (j = i; j < len && path[j] != '/'; j++)
			;
		FUZZ_CHECK(sarfs_name_is_safe(path + i, j - i), "a generated path with an unsafe name");
		i = j + 1;
	}
}

static int em_begin(void *ctx)
{
	int *open = ctx;

	FUZZ_CHECK(!*open, "a file begun twice");
	*open = 1;
	return 0;
}

static int em_write(void *ctx, const void *p, size_t n)
{
	int *open = ctx;

	(void)p;
	(void)n;
	FUZZ_CHECK(*open, "a write outside a file");
	return 0;
}

static int em_end(void *ctx, const char *path, size_t len, int64_t mtime, const char *origin,
		  int64_t src, const char *key, uint32_t order)
{
	int *open = ctx;

	(void)mtime;
	(void)src;
	(void)order;
	FUZZ_CHECK(!key || *key, "an empty key");
	FUZZ_CHECK(*open, "a file ended that was not begun");
	*open = 0;
	fuzz_check_safe_path(path, len);
	FUZZ_CHECK(origin, "a generated file without an origin");
	return 0;
}

/* Reads one member with its format's reader and loads each record. */
static int load_member(struct sarfs_mapping *m, const struct fuzz_member *mb,
		       const struct sarfs_claim *c, struct sarfs_diag *d)
{
	struct memin mi = { mb->text, mb->len ? mb->len : strlen(mb->text), 0, 0 };
	struct sarfs_json_reader *jr = NULL;
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_sqldump_reader *sr = NULL;
	struct sarfs_record rec;
	struct sarfs_in in;
	int rc, generic;

	FUZZ_CHECK(sarfs_in_init(&in, memin_read, &mi) == 0, "out of memory");
	if (mb->format == SARFS_FORMAT_JSON || mb->format == SARFS_FORMAT_JSONL)
		rc = sarfs_json_open(&in, mb->path, mb->format == SARFS_FORMAT_JSON ?
				     SARFS_JSON_DOCUMENT : SARFS_JSON_LINES, 0, &jr);
	else if (mb->format == SARFS_FORMAT_CSV)
		rc = sarfs_csv_open(&in, mb->path, NULL, 0, &cr);
	else
		rc = sarfs_sqldump_open(&in, mb->path, 0, &sr);
	FUZZ_CHECK(rc == 0, "cannot open a reader");
	for (;;) {
		if (jr)
			rc = sarfs_json_next(jr, &rec, d);
		else if (cr)
			rc = sarfs_csv_next(cr, &rec, d);
		else
			rc = sarfs_sqldump_next(sr, &rec, d);
		if (rc <= 0)
			break;
		rc = sarfs_mapping_load(m, c, &rec, mb->path, 1, &generic, d);
		if (rc)
			break;
	}
	sarfs_json_close(jr);
	sarfs_csv_close(cr);
	sarfs_sqldump_close(sr);
	sarfs_in_destroy(&in);
	return rc;
}

/* Claims and loads one member; returns 0 or a negative errno. */
static int claim_load(struct sarfs_mapping *m, const struct fuzz_member *mb, struct sarfs_diag *d)
{
	struct sarfs_claim c;
	int rc;

	rc = sarfs_mapping_claim(m, mb->path, strlen(mb->path), &c);
	FUZZ_CHECK(rc == 0 || rc == 1, "claim failed");
	if (rc == 1 && mb->format != SARFS_FORMAT_NONE)
		rc = load_member(m, mb, &c, d);
	sarfs_claim_destroy(&c);
	return rc < 0 ? rc : 0;
}

void fuzz_run_mapping(const struct sarfs_profile *p, const char *subject,
		      const struct fuzz_member *extra, size_t nextra, struct sarfs_diag *d)
{
	struct sarfs_mapping *m = NULL;
	struct sarfs_gap g;
	sqlite3 *db = NULL;
	long left = SQL_BUDGET;
	int rc, open = 0;
	size_t i;
	struct sarfs_emitter em = { &open, em_begin, em_write, em_end };

	FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "cannot open a database");
	sqlite3_progress_handler(db, 1000, interrupt, &left);
	rc = sarfs_mapping_new(p, db, subject, NULL, &m, d);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM, "mapping_new's error");
	FUZZ_CHECK(rc != -EINVAL || sarfs_diag_count(d, SARFS_ERROR), "a refusal without a message");
	if (rc)
		goto out;
	for (i = 0; i < sizeof(export) / sizeof(export[0]) && !rc; i++)
		rc = claim_load(m, &export[i], d);
	for (i = 0; i < nextra && !rc; i++)
		rc = claim_load(m, &extra[i], d);
	/* only the database's own failures stop a load (mapping.h) */
	FUZZ_CHECK(rc == 0 || rc == -ENOMEM, "a record made loading fail");
	if (!rc) {
		rc = sarfs_mapping_run(m, &em, d);
		FUZZ_CHECK(rc <= 0, "mapping_run's result");
		FUZZ_CHECK(!open, "a file begun and never ended");
	}
	for (i = 0; sarfs_mapping_gap(m, (unsigned)i, &g) == 0; i++)
		FUZZ_CHECK(g.id && g.path && g.title && g.law && g.said && g.status,
			   "a gap with a field missing");
	FUZZ_CHECK(i == sarfs_mapping_gaps(m), "gap count");
	FUZZ_CHECK(sarfs_mapping_subject(m), "no subject text");
out:
	sarfs_mapping_free(m);
	FUZZ_CHECK(sqlite3_close(db) == SQLITE_OK, "a statement left unfinalized");
}
