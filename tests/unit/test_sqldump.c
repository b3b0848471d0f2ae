/*
 * test_sqldump.c - the mysqldump reader.
 *
 * Inputs are written by hand in the shape mysqldump gives them. Every
 * input is read three times, delivered 0 (as much as fits), 1 and 7 bytes
 * at a time, and the three readings must agree, so every test also shows
 * that tokens, escapes and CR LF pairs cut by a refill read the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memin.h"
#include "sarfs/json.h"
#include "sarfs/sqldump.h"

/* What one reading gives: the records rendered one after another, each
 * preceded by "@locator [line:col] group#index"; the problems, one per
 * line as sarfs_diag_format() writes them; and the columns of the tables
 * named in cols_of, as "table: a,b" (or "table: -" when not created). */
struct run {
	struct sarfs_buf out;
	struct sarfs_buf diags;
	struct sarfs_buf cols;
	int nrec;
	int rc;
};

static void read_once(struct run *r, const char *text, size_t n, size_t step,
		      size_t max_record, const char *const *cols_of)
{
	struct memin m = { text, n, 0, step };
	struct sarfs_sqldump_reader *sr = NULL;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	size_t i;
	int rc;

	sarfs_buf_init(&r->out);
	sarfs_buf_init(&r->diags);
	sarfs_buf_init(&r->cols);
	sarfs_diag_init(&d);
	r->nrec = 0;
	assert_int_equal(sarfs_in_init(&in, memin_read, &m), 0);
	assert_int_equal(sarfs_sqldump_open(&in, "t.sql", max_record, &sr), 0);
	while ((rc = sarfs_sqldump_next(sr, &rec, &d)) == 1) {
		r->nrec++;
		assert_non_null(rec.value);
		sarfs_buf_printf(&r->out, "@%s [%ld:%ld] %s#%ld\n", rec.locator, rec.line,
				 rec.col, rec.group, rec.index);
		assert_int_equal(sarfs_json_render(rec.value, &r->out), 0);
	}
	r->rc = rc;
	/* the end is sticky */
	assert_int_equal(sarfs_sqldump_next(sr, &rec, &d), rc);
	for (i = 0; cols_of && cols_of[i]; i++) {
		const char *const *c = sarfs_sqldump_columns(sr, cols_of[i]);

		sarfs_buf_printf(&r->cols, "%s:", cols_of[i]);
		if (!c)
			sarfs_buf_adds(&r->cols, " -");
		for (; c && *c; c++)
			sarfs_buf_printf(&r->cols, "%s%s", c == sarfs_sqldump_columns(sr, cols_of[i]) ?
					 " " : ",", *c);
		sarfs_buf_addc(&r->cols, '\n');
	}
	for (i = 0; i < d.n; i++) {
		char *f = sarfs_diag_format(&d.msg[i]);

		assert_non_null(f);
		sarfs_buf_printf(&r->diags, "%s\n", f);
		free(f);
	}
	sarfs_sqldump_close(sr);
	sarfs_in_destroy(&in);
	sarfs_diag_destroy(&d);
	/* empty results compare as "" rather than NULL */
	sarfs_buf_add(&r->out, "", 0);
	sarfs_buf_add(&r->diags, "", 0);
	sarfs_buf_add(&r->cols, "", 0);
}

static void run_free(struct run *r)
{
	sarfs_buf_destroy(&r->out);
	sarfs_buf_destroy(&r->diags);
	sarfs_buf_destroy(&r->cols);
}

/* Reads text at steps 0, 1 and 7; the readings must agree. */
static void run_reader(struct run *r, const char *text, size_t n, size_t max_record,
		       const char *const *cols_of)
{
	static const size_t steps[] = { 1, 7 };
	size_t i;

	read_once(r, text, n, 0, max_record, cols_of);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct run o;

		read_once(&o, text, n, steps[i], max_record, cols_of);
		assert_string_equal(o.out.data, r->out.data);
		assert_string_equal(o.diags.data, r->diags.data);
		assert_string_equal(o.cols.data, r->cols.data);
		assert_int_equal(o.nrec, r->nrec);
		assert_int_equal(o.rc, r->rc);
		run_free(&o);
	}
}

#define RUN(r, lit) run_reader(r, lit, sizeof(lit) - 1, 0, NULL)
#define RUN_COLS(r, lit, ...) \
	run_reader(r, lit, sizeof(lit) - 1, 0, (const char *const[]){ __VA_ARGS__, NULL })

static void mysqldump_shape(void **state)
{
	struct run r;
	const char text[] =
		"-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)\n"
		"--\n"
		"-- Host: localhost    Database: course\n"
		"-- ------------------------------------------------------\n"
		"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
		"/*!40101 SET NAMES utf8 */;\n"
		"DROP TABLE IF EXISTS `forum_posts`;\n"
		"/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
		"CREATE TABLE `forum_posts` (\n"
		"  `id` int(11) NOT NULL AUTO_INCREMENT,\n"			/* 10 */
		"  `thread_id` int(11) NOT NULL,\n"
		"  `post_text` mediumtext NOT NULL,\n"
		"  `edit_time` int(11) NOT NULL DEFAULT '-1',\n"
		"  `text_type` enum('markdown','html') DEFAULT 'html',\n"
		"  PRIMARY KEY (`id`),\n"
		"  KEY `thread_id` (`thread_id`),\n"
		"  CONSTRAINT `fk` FOREIGN KEY (`thread_id`) REFERENCES `forum_threads` (`id`)\n"
		") ENGINE=InnoDB AUTO_INCREMENT=812 DEFAULT CHARSET=utf8mb4;\n"
		"LOCK TABLES `forum_posts` WRITE;\n"
		"/*!40000 ALTER TABLE `forum_posts` DISABLE KEYS */;\n"		/* 20 */
		"INSERT INTO `forum_posts` VALUES (1,3,'It\\'s a \\\"test\\\";\\nline two',-1,"
		"'markdown'),(2,3,'semi; colon (paren)',1420070400,NULL);\n"
		"/*!40000 ALTER TABLE `forum_posts` ENABLE KEYS */;\n"
		"UNLOCK TABLES;\n"
		"/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"
		"\n"
		"-- Dump completed on 2015-01-05 10:00:00\n";

	(void)state;
	RUN_COLS(&r, text, "forum_posts", "forum_threads");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.nrec, 2);
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.cols.data,
			    "forum_posts: id,thread_id,post_text,edit_time,text_type\n"
			    "forum_threads: -\n");
	assert_string_equal(r.out.data,
			    "@table forum_posts, row 1, line 21 [21:34] forum_posts#0\n"
			    "{\n"
			    "  \"edit_time\": -1,\n"
			    "  \"id\": 1,\n"
			    "  \"post_text\": \"It's a \\\"test\\\";\\nline two\",\n"
			    "  \"text_type\": \"markdown\",\n"
			    "  \"thread_id\": 3\n"
			    "}\n"
			    "@table forum_posts, row 2, line 21 [21:84] forum_posts#1\n"
			    "{\n"
			    "  \"edit_time\": 1420070400,\n"
			    "  \"id\": 2,\n"
			    "  \"post_text\": \"semi; colon (paren)\",\n"
			    "  \"text_type\": null,\n"
			    "  \"thread_id\": 3\n"
			    "}\n");
	run_free(&r);
}

static void every_escape(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "CREATE TABLE t (s text);\n"
		"INSERT INTO t VALUES ('a\\'b\\\"c\\\\d\\ne\\rf\\tg\\0h\\Zi\\bj''k\\%l\\_m\\qn'),"
		"(\"dq \"\"x\"\" 'y' \\\"z\\\"\"),('');\n");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 2 [2:22] t#0\n"
			    "{\n  \"s\": \"a'b\\\"c\\\\d\\ne\\rf\\tg\\u0000h\\u001ai\\u0008j'k\\\\%l\\\\_mqn\"\n}\n"
			    "@table t, row 2, line 2 [2:67] t#1\n"
			    "{\n  \"s\": \"dq \\\"x\\\" 'y' \\\"z\\\"\"\n}\n"
			    "@table t, row 3, line 2 [2:90] t#2\n"
			    "{\n  \"s\": \"\"\n}\n");
	run_free(&r);
}

static void column_lists_and_insert_forms(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "CREATE TABLE `u` (`a` int, `b` varchar(9), c int);\n"
		 "INSERT INTO `u` (`c`,`a`) VALUES (1,2);\n"
		 "INSERT IGNORE INTO `u` VALUES (3,'x',4);\n"
		 "REPLACE INTO u (a, b) VALUES (5,'y');\n"
		 "insert low_priority into course.u (`b`) value ('z');\n"
		 "INSERT INTO `u` (`a`) VALUES (6,7);\n"
		 "INSERT INTO `u` (`a`,`b`,`c`) VALUES (8,'w',9) ON DUPLICATE KEY UPDATE a=VALUES(a);\n",
		 "u");
	assert_string_equal(r.cols.data, "u: a,b,c\n");
	assert_string_equal(r.out.data,
			    "@table u, row 1, line 2 [2:34] u#0\n{\n  \"a\": 2,\n  \"c\": 1\n}\n"
			    "@table u, row 2, line 3 [3:31] u#1\n"
			    "{\n  \"a\": 3,\n  \"b\": \"x\",\n  \"c\": 4\n}\n"
			    "@table u, row 3, line 4 [4:30] u#2\n{\n  \"a\": 5,\n  \"b\": \"y\"\n}\n"
			    "@table u, row 4, line 5 [5:47] u#3\n{\n  \"b\": \"z\"\n}\n"
			    "@table u, row 5, line 6 [6:30] u#4\n{\n  \"a\": 6,\n  \"column 2\": 7\n}\n"
			    "@table u, row 6, line 7 [7:38] u#5\n"
			    "{\n  \"a\": 8,\n  \"b\": \"w\",\n  \"c\": 9\n}\n");
	assert_string_equal(r.diags.data,
			    "t.sql:6:30: warning: row has 2 values but its INSERT lists 1 column; "
			    "the extra ones are kept as \"column 2\" and on\n");
	run_free(&r);
}

static void null_and_numbers(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "INSERT INTO n (c01,c02,c03,c04,c05,c06,c07,c08,c09,c10,c11,c12,c13,c14,c15,"
		"c16,c17) VALUES\n"
		"(0,-1,42,85.50,-0.5,1e3,2.5E-3,9223372036854775807,-9223372036854775808,"
		"9223372036854775808,123456789012345678901234567890,007,+5,-0,.5,NULL,null);\n");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.out.data,
			    "@table n, row 1, line 2 [2:1] n#0\n"
			    "{\n"
			    "  \"c01\": 0,\n"
			    "  \"c02\": -1,\n"
			    "  \"c03\": 42,\n"
			    "  \"c04\": \"85.50\",\n"
			    "  \"c05\": \"-0.5\",\n"
			    "  \"c06\": \"1e3\",\n"
			    "  \"c07\": \"2.5E-3\",\n"
			    "  \"c08\": 9223372036854775807,\n"
			    "  \"c09\": -9223372036854775808,\n"
			    "  \"c10\": \"9223372036854775808\",\n"
			    "  \"c11\": \"123456789012345678901234567890\",\n"
			    "  \"c12\": \"007\",\n"
			    "  \"c13\": \"+5\",\n"
			    "  \"c14\": \"-0\",\n"
			    "  \"c15\": \".5\",\n"
			    "  \"c16\": null,\n"
			    "  \"c17\": null\n"
			    "}\n");
	run_free(&r);
}

static void binary_hex_and_bits(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "INSERT INTO b (c01,c02,c03,c04,c05,c06,c07,c08,c09,c10,c11,c12,c13,c14,c15,c16) "
		"VALUES (_binary 'abc',_binary '\\0\\Z',_binary '\xff\xfe',X'4142',x'',0x0A1B,"
		"0xC3A9,0xabc,b'101',0b11,_utf8mb4'caf\xc3\xa9',_latin1 'caf\xe9',"
		"_binary 'tab\\there',_BINARY 0x00ff,X'E282AC',X'0a1b');\n");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.out.data,
			    "@table b, row 1, line 1 [1:88] b#0\n"
			    "{\n"
			    "  \"c01\": \"abc\",\n"
			    "  \"c02\": \"0x001A\",\n"
			    "  \"c03\": \"0xFFFE\",\n"
			    "  \"c04\": \"AB\",\n"
			    "  \"c05\": \"\",\n"
			    "  \"c06\": \"0x0A1B\",\n"
			    "  \"c07\": \"\xc3\xa9\",\n"
			    "  \"c08\": \"0x0ABC\",\n"
			    "  \"c09\": 5,\n"
			    "  \"c10\": 3,\n"
			    "  \"c11\": \"caf\xc3\xa9\",\n"
			    "  \"c12\": \"caf\xc3\xa9\",\n"
			    "  \"c13\": \"tab\\there\",\n"
			    "  \"c14\": \"0x00FF\",\n"
			    "  \"c15\": \"\xe2\x82\xac\",\n"
			    "  \"c16\": \"0x0A1B\"\n"
			    "}\n");
	run_free(&r);
}

static void comments_of_all_kinds(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "-- a comment; with a semicolon\n"
		 "# hash comment; INSERT INTO x VALUES (1);\n"
		 "/* block\n"
		 "   comment; INSERT INTO x VALUES (2); */\n"
		 "/*!40101 SET @a = 'x;y' */;\n"
		 "DELIMITER ;;\n"
		 "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` "
		 "BEFORE INSERT ON `c` FOR EACH ROW BEGIN\n"
		 "  INSERT INTO x VALUES (NEW.id);\n"
		 "END */;;\n"
		 "DELIMITER ;\n"						/* 10 */
		 "CREATE TABLE c (`a` int, /* inline */ `b` varchar(5) COMMENT 'it''s (a) ; col', -- trailing\n"
		 "  `c` int # hash\n"
		 ") COMMENT='x;)' ENGINE=MyISAM;\n"
		 "SET @x = 'INSERT INTO c VALUES (9,9,9);';\n"
		 "LOCK TABLES `c` WRITE, `d` READ;\n"
		 "INSERT INTO c VALUES /* before */ (1, -- one\n"
		 "'x' /* mid */ , # hash\n"
		 "-2)/**/,(2,'y',3)-- tail\n"
		 ";\n"
		 "UNLOCK TABLES;\n"						/* 20 */
		 "DROP TABLE IF EXISTS `x`;\n",
		 "c", "x");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.cols.data, "c: a,b,c\nx: -\n");
	assert_string_equal(r.out.data,
			    "@table c, row 1, line 16 [16:35] c#0\n"
			    "{\n  \"a\": 1,\n  \"b\": \"x\",\n  \"c\": -2\n}\n"
			    "@table c, row 2, line 18 [18:9] c#1\n"
			    "{\n  \"a\": 2,\n  \"b\": \"y\",\n  \"c\": 3\n}\n");
	run_free(&r);
}

static void delimiter_and_routines(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "CREATE TABLE t (`v` int);\n"
		 "DELIMITER ;;\n"
		 "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\n"
		 "BEGIN\n"
		 "  SELECT 1;\n"
		 "  INSERT INTO t VALUES (NEW.x);\n"
		 "  INSERT INTO t VALUES (99);\n"
		 "END ;;\n"
		 "INSERT INTO t VALUES (1);;\n"
		 "DELIMITER ;\n"						/* 10 */
		 "INSERT INTO t VALUES (2);\n",
		 "t");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 9 [9:22] t#0\n{\n  \"v\": 1\n}\n"
			    "@table t, row 2, line 11 [11:22] t#1\n{\n  \"v\": 2\n}\n");
	run_free(&r);
}

static void insert_without_create(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "INSERT INTO `ghost` VALUES (1,'a'),(2,'b',NULL);\n"
		 "INSERT INTO `ghost` VALUES ();\n",
		 "ghost");
	assert_string_equal(r.cols.data, "ghost: -\n");
	assert_string_equal(r.diags.data,
			    "t.sql:1:13: warning: table `ghost` has no CREATE TABLE column list in "
			    "this file; its columns are named \"column 1\", \"column 2\", ...\n");
	assert_string_equal(r.out.data,
			    "@table ghost, row 1, line 1 [1:28] ghost#0\n"
			    "{\n  \"column 1\": 1,\n  \"column 2\": \"a\"\n}\n"
			    "@table ghost, row 2, line 1 [1:36] ghost#1\n"
			    "{\n  \"column 1\": 2,\n  \"column 2\": \"b\",\n  \"column 3\": null\n}\n"
			    "@table ghost, row 3, line 2 [2:28] ghost#2\n{}\n");
	run_free(&r);
}

static void wrong_column_count(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "CREATE TABLE `w` (`a` int, `b` int, `c` int);\n"
		"INSERT INTO `w` VALUES (1,2),(1,2,3,4),(5,6,7);\n");
	assert_string_equal(r.diags.data,
			    "t.sql:2:24: warning: row has 2 values but table `w` has 3 columns; "
			    "the missing ones are left out\n"
			    "t.sql:2:30: warning: row has 4 values but table `w` has 3 columns; "
			    "the extra ones are kept as \"column 4\" and on\n");
	assert_string_equal(r.out.data,
			    "@table w, row 1, line 2 [2:24] w#0\n{\n  \"a\": 1,\n  \"b\": 2\n}\n"
			    "@table w, row 2, line 2 [2:30] w#1\n"
			    "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"column 4\": 4\n}\n"
			    "@table w, row 3, line 2 [2:40] w#2\n"
			    "{\n  \"a\": 5,\n  \"b\": 6,\n  \"c\": 7\n}\n");
	run_free(&r);
}

/* No value is silently overwritten: a column named twice keeps both. */
static void duplicate_column_names(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "CREATE TABLE `t` (`a` int, `a` int, `b` int);\n"
		"INSERT INTO `t` VALUES (1,2,3);\n"
		"INSERT INTO `t` (`x`,`x`,`x`) VALUES (5,6,7);\n");
	assert_string_equal(r.diags.data,
			    "t.sql:2:24: warning: table `t` names column `a` twice; "
			    "the second value is shown as `a~2`\n");
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 2 [2:24] t#0\n"
			    "{\n  \"a\": 1,\n  \"a~2\": 2,\n  \"b\": 3\n}\n"
			    "@table t, row 2, line 3 [3:38] t#1\n"
			    "{\n  \"x\": 5,\n  \"x~2\": 6,\n  \"x~3\": 7\n}\n");
	run_free(&r);
}

static void latin1_repaired(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "CREATE TABLE `l` (`name` varchar(20));\n"
		"INSERT INTO `l` VALUES ('Fran\xe7ois'),('Ren\xe9""e \xe0 caf\xc3\xa9');\n");
	/* one warning per file, at the first bad byte */
	assert_string_equal(r.diags.data,
			    "t.sql:2:30: warning: bytes that are not UTF-8; read as Latin-1 "
			    "(reported once per file)\n");
	assert_string_equal(r.out.data,
			    "@table l, row 1, line 2 [2:24] l#0\n{\n  \"name\": \"Fran\xc3\xa7ois\"\n}\n"
			    "@table l, row 2, line 2 [2:37] l#1\n"
			    "{\n  \"name\": \"Ren\xc3\xa9""e \xc3\xa0 caf\xc3\xa9\"\n}\n");
	run_free(&r);

	/* in a name too; an escape before the bad byte does not shift it */
	RUN_COLS(&r,
		 "CREATE TABLE `caf\xe9` (`x` text);\n"
		 "INSERT INTO `caf\xe9` VALUES ('\\n\xff');\n",
		 "caf\xc3\xa9");
	assert_string_equal(r.cols.data, "caf\xc3\xa9: x\n");
	assert_string_equal(r.diags.data,
			    "t.sql:1:18: warning: bytes that are not UTF-8; read as Latin-1 "
			    "(reported once per file)\n");
	assert_string_equal(r.out.data,
			    "@table caf\xc3\xa9, row 1, line 2 [2:27] caf\xc3\xa9#0\n"
			    "{\n  \"x\": \"\\n\xc3\xbf\"\n}\n");
	run_free(&r);
}

static void truncated_dump(void **state)
{
	struct run r;

	(void)state;
	/* inside a row: the rows before the cut are kept */
	RUN(&r, "-- MySQL dump 10.13\n"
		"CREATE TABLE `t` (`a` int, `b` text);\n"
		"INSERT INTO `t` VALUES (1,'one'),(2,'two'),(3,'thr");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.nrec, 2);
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 3 [3:24] t#0\n{\n  \"a\": 1,\n  \"b\": \"one\"\n}\n"
			    "@table t, row 2, line 3 [3:34] t#1\n{\n  \"a\": 2,\n  \"b\": \"two\"\n}\n");
	assert_string_equal(r.diags.data,
			    "t.sql:3:51: error: the dump ends inside an INSERT statement "
			    "(truncated?); row 3 of table `t` is incomplete and left out\n");
	run_free(&r);

	/* between rows */
	RUN(&r, "INSERT INTO `t` (a) VALUES (1),\n(2),");
	assert_int_equal(r.nrec, 2);
	assert_string_equal(r.diags.data,
			    "t.sql:2:5: error: the dump ends inside an INSERT statement (truncated?)\n");
	run_free(&r);

	/* inside a CREATE TABLE, a comment, another statement */
	RUN(&r, "CREATE TABLE `t` (\n  `a` int,\n  `b` enum('x','y");
	assert_int_equal(r.nrec, 0);
	assert_string_equal(r.diags.data,
			    "t.sql:3:18: error: the dump ends inside a CREATE TABLE statement "
			    "(truncated?)\n");
	run_free(&r);
	RUN(&r, "INSERT INTO t (a) VALUES (1);\n/*!40101 SET NAMES ");
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.diags.data,
			    "t.sql:2:20: error: the dump ends inside a comment (truncated?)\n");
	run_free(&r);
	RUN(&r, "INSERT INTO t (a) VALUES (1);\nUNLOCK TABLES");
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.diags.data,
			    "t.sql:2:14: error: the dump ends inside a statement (truncated?)\n");
	run_free(&r);
}

static void dump_completed_line(void **state)
{
	struct run r;

	(void)state;
	/* cut at a statement's end: only the missing last line tells */
	RUN(&r, "-- MySQL dump 10.13  Distrib 5.5.40\n"
		"INSERT INTO t (a) VALUES (1);\n");
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.diags.data,
			    "t.sql:3:1: warning: no \"-- Dump completed\" line at the end; "
			    "the dump may be truncated\n");
	run_free(&r);
	RUN(&r, "-- MariaDB dump 10.19\n"
		"INSERT INTO t (a) VALUES (1);\n"
		"-- Dump completed on 2016-02-01 12:00:00\n");
	assert_string_equal(r.diags.data, "");
	run_free(&r);
	/* not a mysqldump file: nothing is expected */
	RUN(&r, "INSERT INTO t (a) VALUES (1);\n");
	assert_string_equal(r.diags.data, "");
	run_free(&r);
}

static void crlf_dump(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "-- MySQL dump 10.13\r\n"
		 "CREATE TABLE `t` (\r\n"
		 "  `a` int,\r\n"
		 "  `b` text # note\r\n"
		 ");\r\n"
		 "-- comment\r\n"
		 "INSERT INTO `t` VALUES (1,'x\\r\\ny'),\r\n"
		 "(2,'z'),(3,'raw\r\nline');\r\n"
		 "-- Dump completed\r\n",
		 "t");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.cols.data, "t: a,b\n");
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 7 [7:24] t#0\n{\n  \"a\": 1,\n  \"b\": \"x\\r\\ny\"\n}\n"
			    "@table t, row 2, line 8 [8:1] t#1\n{\n  \"a\": 2,\n  \"b\": \"z\"\n}\n"
			    "@table t, row 3, line 8 [8:9] t#2\n"
			    "{\n  \"a\": 3,\n  \"b\": \"raw\\r\\nline\"\n}\n");
	run_free(&r);
}

static void row_larger_than_max_record(void **state)
{
	const char text[] =
		"CREATE TABLE `t` (`a` int, `b` text);\n"
		"INSERT INTO `t` VALUES (1,'short'),(2,'this one is far longer than forty bytes'),"
		"(3,'ok');\n"
		"INSERT INTO `t` VALUES (4,0x4142434445464748494A4B4C4D4E4F5051525354),(5,'fine'),"
		"(6,123456789012345678901234567890123456789012345),(7,'\\'quoted\\' and ''more'' ok');\n";
	struct run r;

	(void)state;
	run_reader(&r, text, sizeof(text) - 1, 40, NULL);
	assert_string_equal(r.diags.data,
			    "t.sql:2:36: error: row larger than 40 bytes; not split out (it is in raw/)\n"
			    "t.sql:3:24: error: row larger than 40 bytes; not split out (it is in raw/)\n"
			    "t.sql:3:82: error: row larger than 40 bytes; not split out (it is in raw/)\n");
	assert_string_equal(r.out.data,
			    "@table t, row 1, line 2 [2:24] t#0\n{\n  \"a\": 1,\n  \"b\": \"short\"\n}\n"
			    "@table t, row 3, line 2 [2:82] t#2\n{\n  \"a\": 3,\n  \"b\": \"ok\"\n}\n"
			    "@table t, row 5, line 3 [3:71] t#4\n{\n  \"a\": 5,\n  \"b\": \"fine\"\n}\n"
			    "@table t, row 7, line 3 [3:132] t#6\n"
			    "{\n  \"a\": 7,\n  \"b\": \"'quoted' and 'more' ok\"\n}\n");
	run_free(&r);
}

static void two_tables_and_recreate(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "CREATE TABLE `a` (`id` int);\n"
		 "CREATE TABLE `b` (`id` int, `x` text);\n"
		 "INSERT INTO `a` VALUES (1),(2);\n"
		 "INSERT INTO `b` VALUES (10,'p');\n"
		 "INSERT INTO `a` VALUES (3);\n"
		 "DROP TABLE IF EXISTS `a`;\n"
		 "CREATE TABLE IF NOT EXISTS `a` (`k` int);\n"
		 "INSERT INTO `a` VALUES (4);\n",
		 "a", "b", "c");
	assert_string_equal(r.diags.data, "");
	assert_string_equal(r.cols.data, "a: k\nb: id,x\nc: -\n");
	assert_string_equal(r.out.data,
			    "@table a, row 1, line 3 [3:24] a#0\n{\n  \"id\": 1\n}\n"
			    "@table a, row 2, line 3 [3:28] a#1\n{\n  \"id\": 2\n}\n"
			    "@table b, row 1, line 4 [4:24] b#0\n{\n  \"id\": 10,\n  \"x\": \"p\"\n}\n"
			    "@table a, row 3, line 5 [5:24] a#2\n{\n  \"id\": 3\n}\n"
			    "@table a, row 4, line 8 [8:24] a#3\n{\n  \"k\": 4\n}\n");
	run_free(&r);
}

static void create_table_details(void **state)
{
	struct run r;

	(void)state;
	RUN_COLS(&r,
		 "CREATE TEMPORARY TABLE IF NOT EXISTS db.`t1` (\n"
		 "  `a``b` enum('x,y','(z)') NOT NULL DEFAULT 'x,y',\n"
		 "  plain int(11) COMMENT 'a ) and , inside',\n"
		 "  \"ansi\" decimal(10,2),\n"
		 "  `KEY` int,\n"
		 "  PRIMARY KEY (`a``b`,plain),\n"
		 "  UNIQUE KEY `u` (`plain`),\n"
		 "  FULLTEXT KEY `f` (`ansi`),\n"
		 "  INDEX i (plain),\n"
		 "  CHECK (plain > 0)\n"
		 ") ENGINE=InnoDB COMMENT='it''s; done';\n"
		 "CREATE TABLE `t2` LIKE `t1`;\n"
		 "CREATE TABLE `t3` ();\n"
		 "CREATE VIEW `v` AS SELECT 1 AS `a`;\n"
		 "CREATE TABLE `t4` (`a` int, `b` int\n"
		 "INSERT INTO `t4` VALUES (1,2);\n"
		 "INSERT INTO `t4` VALUES (3,4);\n",
		 "t1", "t2", "t3", "v", "t4");
	assert_string_equal(r.cols.data,
			    "t1: a`b,plain,ansi,KEY\nt2: -\nt3:\nv: -\nt4: -\n");
	assert_string_equal(r.diags.data,
			    "t.sql:16:30: error: CREATE TABLE `t4` ends before its ')'; its columns "
			    "are not read\n"
			    "t.sql:17:13: warning: table `t4` has no CREATE TABLE column list in this "
			    "file; its columns are named \"column 1\", \"column 2\", ...\n");
	assert_string_equal(r.out.data,
			    "@table t4, row 1, line 17 [17:25] t4#0\n"
			    "{\n  \"column 1\": 3,\n  \"column 2\": 4\n}\n");
	run_free(&r);
}

static void bad_values_leave_the_row_out(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "CREATE TABLE `t` (`a` int, `b` text);\n"
		"INSERT INTO `t` VALUES (1,NOW()),(2,X'4'),(3,'ok'),(4 5),(5,DEFAULT),(6,'a;b');\n"
		"INSERT INTO `t` VALUES (7,'x') garbage (8,'y');\n"
		"INSERT INTO `t` VALUES (9,1e),(10,'fine');\n"
		"INSERT INTO `t` SELECT * FROM `u`;\n"
		"INSERT INTO `t` VALUES (11,'last');\n");
	assert_string_equal(r.diags.data,
			    "t.sql:2:27: error: cannot read the value 'NOW'; the row is left out\n"
			    "t.sql:2:37: error: bad hex literal; the row is left out\n"
			    "t.sql:2:55: error: expected ',' or ')' after a value; the row is left out\n"
			    "t.sql:2:61: error: cannot read the value 'DEFAULT'; the row is left out\n"
			    "t.sql:3:32: error: expected ',' or ';' after a row; the rest of this "
			    "statement is skipped\n"
			    "t.sql:4:27: error: cannot read this number; the row is left out\n"
			    "t.sql:5:1: error: an INSERT without a VALUES list is not read; the "
			    "statement is skipped\n");
	assert_string_equal(r.out.data,
			    "@table t, row 3, line 2 [2:43] t#2\n{\n  \"a\": 3,\n  \"b\": \"ok\"\n}\n"
			    "@table t, row 6, line 2 [2:70] t#5\n{\n  \"a\": 6,\n  \"b\": \"a;b\"\n}\n"
			    "@table t, row 7, line 3 [3:24] t#6\n{\n  \"a\": 7,\n  \"b\": \"x\"\n}\n"
			    "@table t, row 9, line 4 [4:31] t#8\n{\n  \"a\": 10,\n  \"b\": \"fine\"\n}\n"
			    "@table t, row 10, line 6 [6:24] t#9\n{\n  \"a\": 11,\n  \"b\": \"last\"\n}\n");
	run_free(&r);
}

/* A row far longer than the stream's buffer, so that a step-0 reading
 * also refills in the middle of a string, with an escape at the seam. */
static void long_row_across_refills(void **state)
{
	size_t big = SARFS_IN_BUFSIZE + 1000, i, pre;
	const char *head = "INSERT INTO `t` (`id`,`s`) VALUES (1,'";
	const char *tail = "'),(2,'after');\n";
	char *text = malloc(strlen(head) + big + strlen(tail) + 1);
	char *expect = malloc(big + 256);
	struct run r;

	(void)state;
	strcpy(text, head);
	pre = strlen(head);
	for (i = 0; i < big; i++)
		text[pre + i] = (char)('a' + i % 26);
	/* "\n" escapes astride the buffer's end */
	for (i = SARFS_IN_BUFSIZE - pre - 3; i < SARFS_IN_BUFSIZE - pre + 3; i += 2) {
		text[pre + i] = '\\';
		text[pre + i + 1] = 'n';
	}
	strcpy(text + pre + big, tail);
	run_reader(&r, text, strlen(text), 0, NULL);
	assert_int_equal(r.nrec, 2);
	assert_string_equal(r.diags.data, "");
	/* the record of row 1 is the text with each "\n" pair as the escape */
	strcpy(expect, "@table t, row 1, line 1 [1:35] t#0\n{\n  \"id\": 1,\n  \"s\": \"");
	memcpy(expect + strlen(expect), text + pre, big);
	expect[strlen("@table t, row 1, line 1 [1:35] t#0\n{\n  \"id\": 1,\n  \"s\": \"") + big] = '\0';
	strcat(expect, "\"\n}\n");
	assert_memory_equal(r.out.data, expect, strlen(expect));
	assert_non_null(strstr(r.out.data + strlen(expect),
			       "@table t, row 2, line 1 ["));
	run_free(&r);
	free(text);
	free(expect);
}

/* MySQL allows 4096 columns; a row of 65537 values is refused whatever
 * its size in bytes, and the next row is read. */
static void row_with_too_many_values(void **state)
{
	const char head[] = "INSERT INTO t VALUES (";
	const char tail[] = "0),(1);\n";
	size_t nvals = 65537, i, pos;
	char *text = malloc(sizeof(head) + 2 * nvals + sizeof(tail));
	struct run r;

	(void)state;
	memcpy(text, head, sizeof(head) - 1);
	pos = sizeof(head) - 1;
	for (i = 0; i < nvals - 1; i++) {
		text[pos++] = '0';
		text[pos++] = ',';
	}
	memcpy(text + pos, tail, sizeof(tail));
	run_reader(&r, text, strlen(text), 0, NULL);
	assert_string_equal(r.diags.data,
			    "t.sql:1:13: warning: table `t` has no CREATE TABLE column list in this "
			    "file; its columns are named \"column 1\", \"column 2\", ...\n"
			    "t.sql:1:22: error: row has more than 65536 values; not split out "
			    "(it is in raw/)\n");
	assert_string_equal(r.out.data, "@table t, row 2, line 1 [1:131098] t#1\n"
			    "{\n  \"column 1\": 1\n}\n");
	run_free(&r);
	free(text);
}

/* The names of the schema are bounded as a whole (here by the 1 MiB
 * floor, as max_record is small), and a single name by 1024 bytes. */
static void schema_is_bounded(void **state)
{
	const char head[] = "CREATE TABLE `wide` (";
	const char tail[] = ");\nINSERT INTO `wide` VALUES (1);\n";
	size_t ncols = 1100, namelen = 1000, i, pos;
	char *text = malloc(sizeof(head) + ncols * (namelen + 8) + sizeof(tail) + 4096);
	struct run r;

	(void)state;
	memcpy(text, head, sizeof(head) - 1);
	pos = sizeof(head) - 1;
	for (i = 0; i < ncols; i++) {
		pos += (size_t)sprintf(text + pos, "%s`%04zu", i ? "," : "", i);
		memset(text + pos, 'c', namelen - 4);
		pos += namelen - 4;
		pos += (size_t)sprintf(text + pos, "` int");
	}
	memcpy(text + pos, tail, sizeof(tail));
	pos += sizeof(tail) - 1;
	/* a name over 1024 bytes: the statement goes, the next is read */
	pos += (size_t)sprintf(text + pos, "INSERT INTO `");
	memset(text + pos, 'n', 1025);
	pos += 1025;
	strcpy(text + pos, "` VALUES (1);\nINSERT INTO `wide` VALUES (2);\n");
	run_reader(&r, text, strlen(text), 1000, (const char *const[]){ "wide", NULL });
	assert_string_equal(r.cols.data, "wide: -\n");
	assert_string_equal(r.diags.data,
			    "t.sql:1:14: error: the table and column names of this dump exceed "
			    "1048576 bytes; the columns of table `wide` are not read\n"
			    "t.sql:2:13: warning: table `wide` has no CREATE TABLE column list in "
			    "this file; its columns are named \"column 1\", \"column 2\", ...\n"
			    "t.sql:3:13: error: name longer than 1024 bytes; the statement is skipped\n");
	assert_string_equal(r.out.data,
			    "@table wide, row 1, line 2 [2:27] wide#0\n{\n  \"column 1\": 1\n}\n"
			    "@table wide, row 2, line 4 [4:27] wide#1\n{\n  \"column 1\": 2\n}\n");
	run_free(&r);
	free(text);
}

static ssize_t failing_read(void *ctx, void *buf, size_t n)
{
	int *calls = ctx;
	const char part[] = "INSERT INTO t (a) VALUES (1),(2";

	if ((*calls)++ == 0) {
		memcpy(buf, part, sizeof(part) - 1 < n ? sizeof(part) - 1 : n);
		return (ssize_t)(sizeof(part) - 1 < n ? sizeof(part) - 1 : n);
	}
	return -EIO;
}

static void stream_error_is_returned(void **state)
{
	struct sarfs_sqldump_reader *sr = NULL;
	struct sarfs_record rec;
	struct sarfs_diag d;
	struct sarfs_in in;
	int calls = 0;

	(void)state;
	sarfs_diag_init(&d);
	assert_int_equal(sarfs_in_init(&in, failing_read, &calls), 0);
	assert_int_equal(sarfs_sqldump_open(&in, "t.sql", 0, &sr), 0);
	assert_int_equal(sarfs_sqldump_next(sr, &rec, &d), 1);
	assert_string_equal(rec.locator, "table t, row 1, line 1");
	/* a read error is not a truncated dump */
	assert_int_equal(sarfs_sqldump_next(sr, &rec, &d), -EIO);
	assert_int_equal(d.n, 0);
	sarfs_sqldump_close(sr);
	sarfs_in_destroy(&in);
	sarfs_diag_destroy(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mysqldump_shape),
		cmocka_unit_test(every_escape),
		cmocka_unit_test(column_lists_and_insert_forms),
		cmocka_unit_test(null_and_numbers),
		cmocka_unit_test(binary_hex_and_bits),
		cmocka_unit_test(comments_of_all_kinds),
		cmocka_unit_test(delimiter_and_routines),
		cmocka_unit_test(insert_without_create),
		cmocka_unit_test(wrong_column_count),
		cmocka_unit_test(duplicate_column_names),
		cmocka_unit_test(latin1_repaired),
		cmocka_unit_test(truncated_dump),
		cmocka_unit_test(dump_completed_line),
		cmocka_unit_test(crlf_dump),
		cmocka_unit_test(row_larger_than_max_record),
		cmocka_unit_test(two_tables_and_recreate),
		cmocka_unit_test(create_table_details),
		cmocka_unit_test(bad_values_leave_the_row_out),
		cmocka_unit_test(long_row_across_refills),
		cmocka_unit_test(row_with_too_many_values),
		cmocka_unit_test(schema_is_bounded),
		cmocka_unit_test(stream_error_is_returned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
