/*
 * sarfs/record.h - one record read from a structured file.
 *
 * Every format reader (JSON, JSON Lines, CSV/TSV, and later SQL dumps)
 * yields the same thing: a JSON value and where it was found. The tree is
 * built from records only, so a new format needs a reader and nothing else.
 */
#ifndef SARFS_RECORD_H
#define SARFS_RECORD_H

#include <jansson.h>

struct sarfs_record {
	json_t *value;		/* borrowed: valid until the reader's next call */
	const char *group;	/* borrowed: the top-level key (JSON object) or table
				 * (SQL dump) that holds this record, or NULL */
	long index;		/* 0-based position among its siblings, or -1 */
	long line, col;		/* where the record starts in its file, 1-based */
	const char *locator;	/* borrowed: "line 12", "/posts/3", "row 5, line 7" */
	size_t bytes;		/* the record's size as written in its file: the
				 * renderer's budget is proportional to it */
	const char *text;	/* borrowed, or NULL: the record already rendered
				 * (see sarfs_json_prerender()) */
	size_t text_len;
};

#endif
