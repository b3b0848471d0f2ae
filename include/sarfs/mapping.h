/*
 * sarfs/mapping.h - a profile's declarative mapping, executed.
 *
 * A profile (profile.h) may declare, besides the generic mapping:
 *
 *   tables    which files' records are loaded into tables, by path pattern
 *             ("**" any folders, "*" any name part, "{course}" a captured
 *             name part, stored as the column _course), into the table
 *             named by the rule or by the record's own group (the SQL
 *             dump's table);
 *   setup     SQL run once: temporary views over those tables;
 *   subject   a query that says whose export this is (the person the tree
 *             is organized around), given -o subject=ID or not;
 *   nodes     files to write: a path template and a text template filled
 *             from each row of a query; rows giving the same path make one
 *             file, in query order;
 *   expect    what the export should contain, with its legal basis, how to
 *             tell whether it is there, and a sentence to ask for it again:
 *             each one absent becomes a section of a missing.txt in its
 *             folder, and a line of MISSING.txt.
 *
 * Profile SQL runs in the build's own connection under an authorizer that
 * allows reading the loaded tables and nothing else: no writes, no ATTACH,
 * no PRAGMA, no access to the index being written. A profile cannot make
 * sarfs touch anything outside the export.
 *
 * Every loaded row also has _file (the export's file), _loc (the place in
 * it), _src (its source_file id) and _pos (its position in the file), so
 * that a generated file can say where it came from.
 *
 * Thread safety: none.
 */
#ifndef SARFS_MAPPING_H
#define SARFS_MAPPING_H

#include "sarfs/diag.h"
#include "sarfs/profile.h"
#include "sarfs/record.h"
#include "sarfs/response.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct sarfs_mapping;

/* What a table rule says about one file of the export. */
struct sarfs_claim {
	int rule;		/* index of the rule in the profile's "tables" */
	char *captures;		/* owned: "name\0value\0name\0value\0\0", or NULL */
};

void sarfs_claim_destroy(struct sarfs_claim *c);

/* How a build sees the generated files: a file is begin, write..., end. */
struct sarfs_emitter {
	void *ctx;
	int (*begin)(void *ctx);
	int (*write)(void *ctx, const void *p, size_t n);
	/* path is a safe path; mtime is UTC seconds or SARFS_MTIME_ASOF;
	 * origin and src are the provenance (src 0 if none); key the file's
	 * identity across exports (the node's "key"), or NULL. */
	int (*end)(void *ctx, const char *path, size_t len, int64_t mtime,
		   const char *origin, int64_t src, const char *key, uint32_t order);
};

/* Starts executing profile p (borrowed) in db (borrowed). subject may be
 * NULL (detect it); response may be NULL. Returns 0, or -EINVAL for a
 * profile whose mapping is invalid (the message names the profile and the
 * place in it). */
int sarfs_mapping_new(const struct sarfs_profile *p, sqlite3 *db, const char *subject,
		      const struct sarfs_response *response, struct sarfs_mapping **out,
		      struct sarfs_diag *d);
void sarfs_mapping_free(struct sarfs_mapping *m);

/* Nonzero if the profile declares a mapping beyond the generic one. */
int sarfs_mapping_active(const struct sarfs_mapping *m);

/* Does a table rule take this file (its safe path)? Returns 1 and fills c,
 * 0 if not, or -ENOMEM. */
int sarfs_mapping_claim(struct sarfs_mapping *m, const char *path, size_t len,
			struct sarfs_claim *c);

/* Loads one record of a claimed file. file is the export's file as shown
 * in messages; src its source_file id. Returns 0 or a negative errno.
 * *shown_generic is set if the record's table is not one the profile
 * knows, so that it should also be shown as a generic record. */
int sarfs_mapping_load(struct sarfs_mapping *m, const struct sarfs_claim *c,
		       const struct sarfs_record *r, const char *file, int64_t src,
		       int *shown_generic, struct sarfs_diag *d);

/* After every file is loaded: settles the subject, writes the nodes and
 * the missing.txt files through e, and MISSING.txt. Problems in the data
 * or in a query are reported and skip what they concern. Returns 0 or a
 * negative errno (-ENOMEM, -ENOSPC, ...). */
int sarfs_mapping_run(struct sarfs_mapping *m, const struct sarfs_emitter *e,
		      struct sarfs_diag *d);

/* After run: the subject's description ("" if none) and the gap count. */
const char *sarfs_mapping_subject(const struct sarfs_mapping *m);
unsigned sarfs_mapping_gaps(const struct sarfs_mapping *m);

/* After run: the gaps, for the index's gap table: iterate i < gaps. */
struct sarfs_gap {
	const char *id;		/* the expectation's id */
	const char *path;	/* the missing.txt that explains it */
	const char *title;
	const char *law;	/* "GDPR Art. 15(1)(c); FADP Art. 25(2)(g)" */
	const char *said;	/* what the controller said, with its date, or "" */
	const char *status;	/* "missing" or "the controller says none exist" */
};
int sarfs_mapping_gap(const struct sarfs_mapping *m, unsigned i, struct sarfs_gap *g);

#endif
