/*
 * sarfs/sqldump.h - mysqldump text as a stream of records.
 *
 * Reads what mysqldump writes (the Coursera "Spark" dumps are this):
 * CREATE TABLE column lists; INSERT [IGNORE] INTO `t` [(`a`,`b`)] VALUES
 * (...),(...); and REPLACE INTO, with multi-row VALUES, MySQL string escapes
 * (\' \" \\ \n \r \t \0 \Z \b, '' and "" inside quotes; \% and \_ keep
 * their backslash, as in MySQL), NULL, numbers, _binary / _latin1 /
 * _utf8mb4 introducers, X'..' / 0x.. hex and b'..' bit literals; -- and #
 * comments, C comments and /\*!40101 ... *\/ conditional comments (skipped
 * whole: nothing mysqldump puts in them is data), the mysql client's
 * DELIMITER command (dumps of routines), and LOCK TABLES, SET, DROP TABLE
 * and every other statement, which it skips to its delimiter. It is
 * streamed: one row in memory at a time, so a 2 GB dump needs no more
 * memory than its longest row (and the table and column names).
 *
 * Each row is a record: group = the table name ("db.t" counts as "t"),
 * value = a JSON object from column names to values:
 *   - NULL -> null;
 *   - an integer in canonical spelling that fits 64 bits -> integer; any
 *     other number ("85.50", "1e3", "007", beyond 64 bits) -> the number's
 *     text as a string, digit for digit; b'101' -> integer (5);
 *   - a string -> string;
 *   - binary data (_binary '..', X'..', 0x..) -> string if it is UTF-8
 *     without control characters other than tab, LF and CR; else "0x" and
 *     upper-case hex digits, as mysqldump --hex-blob writes them.
 * index = the row's 0-based position within its table in this file (a row
 * that is left out still takes its position). Locator "table T, row N,
 * line L" (N = index + 1; L = the line of the row's '('); line and col are
 * those of the '('.
 *
 * Problems are reported (file:line:col) and reading goes on:
 *   - an INSERT without a column list for a table with no CREATE TABLE
 *     column list before it: keys "column 1", ... (one warning per table);
 *   - a row with the wrong number of values: the values that have a column
 *     are kept, extras get "column N", missing columns are absent;
 *   - bytes that are not UTF-8 in a string or name: read as Latin-1 (one
 *     warning per file, at the first such byte);
 *   - a value that is no literal (NOW(), DEFAULT, ...) or a row longer
 *     than max_record bytes (from its '(' to its ')'): the row is left out;
 *   - a dump cut off mid-statement: the rows completed so far are kept;
 *     a dump that begins with "-- MySQL dump" but lacks the final
 *     "-- Dump completed" line is reported as possibly truncated.
 *
 * Thread safety: a reader belongs to one thread.
 */
#ifndef SARFS_SQLDUMP_H
#define SARFS_SQLDUMP_H

#include "sarfs/diag.h"
#include "sarfs/record.h"
#include "sarfs/stream.h"

struct sarfs_sqldump_reader;

/* file is the name used in messages (copied); in is borrowed and must
 * outlive the reader. max_record bounds one row in bytes of the dump
 * (0: 64 MiB), and all table and column names together (but to no less
 * than 1 MiB). */
int sarfs_sqldump_open(struct sarfs_in *in, const char *file, size_t max_record,
		       struct sarfs_sqldump_reader **out);

/* Returns 1 with *rec filled (borrowed until the next call), 0 at the end,
 * or a negative errno (-ENOMEM, or the stream's error); after a negative
 * errno the reader can only be closed. Problems in the data are never an
 * error here: they go to d. */
int sarfs_sqldump_next(struct sarfs_sqldump_reader *r, struct sarfs_record *rec,
		       struct sarfs_diag *d);

/* The columns of a table as declared by CREATE TABLE in this file so far:
 * a borrowed NULL-terminated array (empty for a table without columns),
 * or NULL if the table was not created. Valid until the next
 * sarfs_sqldump_next() (a second CREATE TABLE replaces it) or close. */
const char *const *sarfs_sqldump_columns(const struct sarfs_sqldump_reader *r,
					 const char *table);

void sarfs_sqldump_close(struct sarfs_sqldump_reader *r);

#endif
