/*
 * test_tree.c - the tree builder over a real index file: a folder of many
 * entries added in no order comes out sorted, and writing its node table
 * takes memory that does not grow with the number of entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sarfs/index.h"
#include "sarfs/tree.h"

/* Enough entries that sorting them needs more than one in-memory run of
 * SARFS_WRITE_CACHE_KIB (each sorted key is about 40 bytes), and that the node
 * table they make is larger than the cache the sort runs with. */
#define ENTRIES 300000

static char dir[4096], path[4096 + 16];

/* A new directory under $TMPDIR (or /tmp): mkdtemp() fills in the Xs. */
static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(dir, sizeof(dir), "%s/sarfs-test-tree-XXXXXX", tmp) >= (int)sizeof(dir) ||
	    !mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.sarfs", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void many_entries_sorted_in_bounded_memory(void **state)
{
	struct sarfs_index_writer *w = NULL;
	struct sarfs_tree *t = NULL;
	struct sarfs_diag d;
	struct sarfs_tree_file f = { .mtime = SARFS_MTIME_ASOF };
	sqlite3_int64 cur, finish_high, commit_high;
	sqlite3 *db;
	char name[64];
	uint64_t i;
	int n;

	(void)state;
	sarfs_diag_init(&d);
	assert_int_equal(sarfs_index_writer_open(path, &w, &d), 0);
	assert_int_equal(sarfs_index_put(w, "{}\n", 3, &f.blob, NULL), 0);
	f.size = 3;
	assert_int_equal(sarfs_tree_new(w, &t), 0);
	/* i * 7919 mod ENTRIES visits every number once, far from in order */
	for (i = 0; i < ENTRIES; i++) {
		n = snprintf(name, sizeof(name), "posts/post-%07llu.json",
			     (unsigned long long)(i * 7919 % ENTRIES));
		assert_int_equal(sarfs_tree_add_file(t, name, (size_t)n, &f), 0);
	}
	assert_int_equal(sarfs_tree_count(t), ENTRIES + 1);	/* and posts/ */

	/* SQLite's heap while it sorts the entries and writes the node
	 * table, then while it sorts that table for its index (commit) */
	assert_int_equal(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &finish_high, 1),
			 SQLITE_OK);
	assert_int_equal(sarfs_tree_finish(t, 1420070400), 0);
	sarfs_tree_free(t);
	assert_int_equal(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &finish_high, 1),
			 SQLITE_OK);
	assert_int_equal(sarfs_index_writer_commit(w, &d), 0);
	assert_int_equal(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &commit_high, 0),
			 SQLITE_OK);
	print_message("SQLite heap, %d entries: %lld KiB at most while writing the tree, "
		      "%lld KiB while indexing it\n", ENTRIES, (long long)(finish_high / 1024),
		      (long long)(commit_high / 1024));
	/* Each phase: the page cache and one in-memory run of sorted keys
	 * (SARFS_WRITE_CACHE_KIB each), the other databases' default caches
	 * (2 MB each: stage, temp) and statements. With a 32 MB cache, 19 MB
	 * and 38 MB. The lower bound shows the counter counts: a sort of this
	 * many keys fills its run. */
	assert_true(finish_high > SARFS_WRITE_CACHE_KIB * 1024);
	assert_true(finish_high < 12 * 1024 * 1024);
	assert_true(commit_high > SARFS_WRITE_CACHE_KIB * 1024);
	assert_true(commit_high < 12 * 1024 * 1024);
	assert_int_equal(d.n, 0);
	sarfs_diag_destroy(&d);

	/* the tree it wrote: every file, in byte order of name, with posts/
	 * pointing at the range of its children */
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM node"), ENTRIES + 2);
	assert_int_equal(query_int(db, "SELECT nchild FROM node WHERE name = x'706f737473'"),
			 ENTRIES);
	assert_int_equal(query_int(db, "SELECT count(*) FROM node a JOIN node b"
				       " ON b.id = a.id + 1 AND b.parent = a.parent"
				       " WHERE a.name >= b.name"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM node c JOIN node p"
				       " ON p.id = c.parent AND p.name = x'706f737473'"
				       " WHERE c.id BETWEEN p.first AND p.first + p.nchild - 1"),
			 ENTRIES);
	assert_int_equal(query_int(db, "SELECT count(*) FROM node WHERE name ="
				       " CAST('post-0000000.json' AS BLOB)"
				       " OR name = CAST('post-0299999.json' AS BLOB)"), 2);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(many_entries_sorted_in_bounded_memory, setup,
						teardown),
	};

	/* on in Debian's build, but a build may default it off: then every
	 * figure would read 0 */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1) != SQLITE_OK)
		return 1;

	return cmocka_run_group_tests(tests, NULL, NULL);
}
