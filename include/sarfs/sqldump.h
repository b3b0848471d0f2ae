/*
 * sarfs/sqldump.h - mysqldump text as a stream of records.
 *
 * Reads what mysqldump writes (the Coursera "Spark" dumps are this):
 * CREATE TABLE column lists; INSERT INTO `t` [(`a`,`b`)] VALUES (...),(...);
 * with multi-row VALUES, MySQL string escapes (\' \" \\ \n \r \t \0 \Z \b
 * and '' inside quotes), NULL, numbers, _binary / _utf8mb4 introducers and
 * X'..' / 0x.. hex literals; -- and # comments, /* ... *\/ and
 * /*!40101 ... *\/ conditional comments, LOCK TABLES / UNLOCK TABLES, SET,
 * DROP TABLE and everything else it does not need, which it skips. It is
 * streamed: one row in memory at a time, so a 2 GB dump needs no more
 * memory than its longest row.
 *
 * Each row is a record: group = the table name, value = a JSON object from
 * column names to values (NULL -> null; an integer that fits 64 bits ->
 * integer; any other number -> the number's text as a string, digit for
 * digit; a string -> string; binary data that is not UTF-8 -> "0x" and hex
 * digits). index = the row's 0-based position within its table in this
 * file. Locator "table T, row N, line L" (N from 1).
 *
 * Problems are reported (file:line:col) and reading goes on:
 *   - an INSERT for a table with no CREATE TABLE: keys "column 1", ...;
 *   - a row with the wrong number of values: the values that have a column
 *     are kept, extras get "column N", missing columns are absent;
 *   - bytes that are not UTF-8 in a string: read as Latin-1;
 *   - a dump cut off mid-statement: the rows completed so far are kept.
 *
 * Thread safety: a reader belongs to one thread.
 */
#ifndef SARFS_SQLDUMP_H
#define SARFS_SQLDUMP_H

#include "sarfs/diag.h"
#include "sarfs/record.h"
#include "sarfs/stream.h"

struct sarfs_sqldump_reader;

/* file is the name used in messages (copied); in is borrowed. max_record
 * bounds one row in bytes (0: 64 MiB). */
int sarfs_sqldump_open(struct sarfs_in *in, const char *file, size_t max_record,
		       struct sarfs_sqldump_reader **out);

/* Returns 1 with *rec filled (borrowed until the next call), 0 at the end,
 * or a negative errno (-ENOMEM, or the stream's error). */
int sarfs_sqldump_next(struct sarfs_sqldump_reader *r, struct sarfs_record *rec,
		       struct sarfs_diag *d);

/* The columns of a table as declared by CREATE TABLE in this file so far:
 * a borrowed NULL-terminated array, or NULL if the table was not created. */
const char *const *sarfs_sqldump_columns(const struct sarfs_sqldump_reader *r,
					 const char *table);

void sarfs_sqldump_close(struct sarfs_sqldump_reader *r);

#endif
