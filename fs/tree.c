/*
 * tree.c - staging entries and writing the node table (tree.h).
 *
 * The staging tables live in a private temporary database attached to the
 * index's connection (ATTACH ''), so they take no room in the index and
 * memory stays bounded by SQLite's cache whatever the export's size.
 */
#include "sarfs/tree.h"

#include "sarfs/buf.h"
#include "sarfs/names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char stage_schema[] =
	"ATTACH DATABASE '' AS stage;\n"
	"PRAGMA stage.journal_mode = OFF;\n"
	/* every directory by path; the root is id 1 with path '' */
	"CREATE TABLE stage.dir(id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE);\n"
	/* every entry: dir is the stage.dir id if the entry is a directory;
	 * mtime NULL means the as-of time */
	"CREATE TABLE stage.entry(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent INTEGER NOT NULL,\n"
	"  name BLOB NOT NULL,\n"
	"  tiebreak BLOB,\n"
	"  dir INTEGER,\n"
	"  blob INTEGER,\n"
	"  size INTEGER,\n"
	"  mtime INTEGER,\n"
	"  origin TEXT,\n"
	"  src INTEGER,\n"
	"  key TEXT,\n"
	"  original BLOB\n"
	");\n"

	"INSERT INTO stage.dir(id, path) VALUES (1, x'');\n";

struct sarfs_tree {
	struct sarfs_index_writer *w;	/* borrowed */
	sqlite3 *db;			/* borrowed from w */
	sqlite3_stmt *find_dir, *add_dir, *add_entry;
	struct sarfs_buf last;		/* path of the last directory looked up */
	int64_t last_id;
	uint64_t count;
};

int sarfs_tree_new(struct sarfs_index_writer *w, struct sarfs_tree **out)
{
	struct sarfs_tree *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	t->w = w;
	t->db = sarfs_index_writer_db(w);
	/* ATTACH cannot run inside a transaction on some builds: the writer
	 * opened one, so step out and back in around it. */
	rc = sarfs_sqlite_errno(sqlite3_exec(t->db, "COMMIT", NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(t->db, stage_schema, NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(t->db, "BEGIN", NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_sql_prepare(t->db, "SELECT id FROM stage.dir WHERE path = ?", &t->find_dir);
	if (!rc)
		rc = sarfs_sql_prepare(t->db, "INSERT INTO stage.dir(path) VALUES (?)", &t->add_dir);
	if (!rc)
		rc = sarfs_sql_prepare(t->db,
			  "INSERT INTO stage.entry(parent, name, tiebreak, dir, blob, size, mtime, origin,"
			  " src, key, original) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &t->add_entry);
	if (rc) {
		sarfs_tree_free(t);
		return rc;
	}
	t->last_id = 1;
	*out = t;
	return 0;
}

void sarfs_tree_free(struct sarfs_tree *t)
{
	if (!t)
		return;
	sqlite3_finalize(t->find_dir);
	sqlite3_finalize(t->add_dir);
	sqlite3_finalize(t->add_entry);
	sarfs_buf_destroy(&t->last);
	free(t);
}

uint64_t sarfs_tree_count(const struct sarfs_tree *t)
{
	return t->count;
}

static int add_entry(struct sarfs_tree *t, int64_t parent, const char *name, size_t n,
		     int64_t dir, const struct sarfs_tree_file *f)
{
	sqlite3_stmt *st = t->add_entry;

	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_blob(st, 2, name, (int)n, SQLITE_STATIC);
	if (f && f->tiebreak)
		sqlite3_bind_blob(st, 3, f->tiebreak, (int)f->tiebreak_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if (dir) {
		sqlite3_bind_int64(st, 4, dir);
		sqlite3_bind_null(st, 5);
		sqlite3_bind_int64(st, 6, 0);
		sqlite3_bind_null(st, 7);
		sqlite3_bind_null(st, 8);
		sqlite3_bind_null(st, 9);
		sqlite3_bind_null(st, 10);
		sqlite3_bind_null(st, 11);
	} else {
		sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, f->blob);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)f->size);
		if (f->mtime == SARFS_MTIME_ASOF)
			sqlite3_bind_null(st, 7);
		else
			sqlite3_bind_int64(st, 7, f->mtime);
		if (f->origin)
			sqlite3_bind_text(st, 8, f->origin, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 8);
		if (f->src)
			sqlite3_bind_int64(st, 9, f->src);
		else
			sqlite3_bind_null(st, 9);
		if (f->key)
			sqlite3_bind_text(st, 10, f->key, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 10);
		if (f->original)
			sqlite3_bind_blob(st, 11, f->original, SARFS_SHA256_LEN, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 11);
	}
	t->count++;
	return sarfs_sql_run(st);
}

/* The stage id of directory path, created (with its parents) if needed.
 * Iterative: finds the deepest existing ancestor, then creates downwards. */
static int ensure_dir(struct sarfs_tree *t, const char *path, size_t len, int64_t *id)
{
	size_t cut = len, depth = 0, i;
	int64_t parent = 1;
	int rc;

	if (len == 0) {
		*id = 1;
		return 0;
	}
	if (t->last.len == len && memcmp(t->last.data, path, len) == 0) {
		*id = t->last_id;
		return 0;
	}
	for (i = 0; i < len; i++)
		if (path[i] == '/')
			depth++;
	if (depth >= SARFS_TREE_MAX_DEPTH)
		return -ENAMETOOLONG;
	/* walk up until a directory exists */
	for (;;) {
		sqlite3_bind_blob(t->find_dir, 1, path, (int)cut, SQLITE_STATIC);
		rc = sqlite3_step(t->find_dir);
		if (rc == SQLITE_ROW)
			parent = sqlite3_column_int64(t->find_dir, 0);
		sqlite3_reset(t->find_dir);
		if (rc == SQLITE_ROW)
			break;
		if (rc != SQLITE_DONE)
			return sarfs_sqlite_errno(rc);
		while (cut > 0 && path[cut - 1] != '/')
			cut--;
		if (cut == 0) {
			parent = 1;
			break;
		}
		cut--;	/* drop the '/' */
	}
	/* create the missing ones below it */
	while (cut < len) {
		size_t start = cut == 0 ? 0 : cut + 1, end = start;
		int64_t nid;

		while (end < len && path[end] != '/')
			end++;
		sqlite3_bind_blob(t->add_dir, 1, path, (int)end, SQLITE_STATIC);
		rc = sarfs_sql_run(t->add_dir);
		if (rc)
			return rc;
		nid = sqlite3_last_insert_rowid(t->db);
		rc = add_entry(t, parent, path + start, end - start, nid, NULL);
		if (rc)
			return rc;
		parent = nid;
		cut = end;
	}
	sarfs_buf_reset(&t->last);
	if (sarfs_buf_add(&t->last, path, len))
		return -ENOMEM;
	t->last_id = parent;
	*id = parent;
	return 0;
}

int sarfs_tree_add_dir(struct sarfs_tree *t, const char *path, size_t len)
{
	int64_t id;

	return ensure_dir(t, path, len, &id);
}

int sarfs_tree_add_file(struct sarfs_tree *t, const char *path, size_t len,
			const struct sarfs_tree_file *f)
{
	size_t slash = len;
	int64_t parent;
	int rc;

	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	if (slash == len)
		return -EINVAL;
	rc = ensure_dir(t, path, slash ? slash - 1 : 0, &parent);
	if (rc)
		return rc;
	return add_entry(t, parent, path + slash, len - slash, 0, f);
}

/* Gives every entry of a clashing group but the first a free "~k" name. */
static int resolve_clashes(struct sarfs_tree *t)
{
	sqlite3_stmt *groups = NULL, *members = NULL, *taken = NULL, *rename = NULL;
	struct sarfs_buf name = SARFS_BUF_INIT, cand = SARFS_BUF_INIT;
	int rc;

	rc = sarfs_sql_prepare(t->db,
		  "SELECT e.parent, e.name FROM stage.entry e JOIN stage.dir d ON d.id = e.parent"
		  " GROUP BY e.parent, e.name HAVING count(*) > 1 ORDER BY d.path, e.name", &groups);
	if (!rc)
		rc = sarfs_sql_prepare(t->db,
			  "SELECT id FROM stage.entry WHERE parent = ? AND name = ?"
			  " ORDER BY dir IS NULL, tiebreak,"
			  " (SELECT sha256 FROM main.blob WHERE main.blob.id = stage.entry.blob), origin, key",
			  &members);
	if (!rc)
		rc = sarfs_sql_prepare(t->db, "SELECT 1 FROM stage.entry WHERE parent = ? AND name = ?", &taken);
	if (!rc)
		rc = sarfs_sql_prepare(t->db, "UPDATE stage.entry SET name = ? WHERE id = ?", &rename);
	if (rc)
		goto out;
	/* Collect the groups first: renaming while grouping would shift it. */
	{
		struct group {
			int64_t parent;
			char *name;
			size_t len;
		} *g = NULL;
		size_t ng = 0, cap = 0, i;

		while ((rc = sqlite3_step(groups)) == SQLITE_ROW) {
			if (ng == cap) {
				struct group *v;

				cap = cap ? 2 * cap : 16;
				v = realloc(g, cap * sizeof(*v));
				if (!v) {
					rc = SQLITE_NOMEM;
					break;
				}
				g = v;
			}
			g[ng].parent = sqlite3_column_int64(groups, 0);
			g[ng].len = (size_t)sqlite3_column_bytes(groups, 1);
			g[ng].name = malloc(g[ng].len + 1);
			if (!g[ng].name) {
				rc = SQLITE_NOMEM;
				break;
			}
			memcpy(g[ng].name, sqlite3_column_blob(groups, 1), g[ng].len);
			g[ng].name[g[ng].len] = '\0';
			ng++;
		}
		rc = rc == SQLITE_DONE ? 0 : sarfs_sqlite_errno(rc);
		for (i = 0; i < ng && !rc; i++) {
			int64_t *ids = NULL;
			size_t nid = 0, idcap = 0, j;
			unsigned long k = 2;

			sqlite3_bind_int64(members, 1, g[i].parent);
			sqlite3_bind_blob(members, 2, g[i].name, (int)g[i].len, SQLITE_STATIC);
			while (sqlite3_step(members) == SQLITE_ROW) {
				if (nid == idcap) {
					int64_t *v;

					idcap = idcap ? 2 * idcap : 8;
					v = realloc(ids, idcap * sizeof(*v));
					if (!v) {
						rc = -ENOMEM;
						break;
					}
					ids = v;
				}
				ids[nid++] = sqlite3_column_int64(members, 0);
			}
			sqlite3_reset(members);
			for (j = 1; j < nid && !rc; j++) {
				/* the smallest k whose name is free */
				for (;;) {
					int hit;

					sarfs_buf_reset(&cand);
					rc = sarfs_name_suffixed(&cand, g[i].name, g[i].len, k++);
					if (rc)
						break;
					sqlite3_bind_int64(taken, 1, g[i].parent);
					sqlite3_bind_blob(taken, 2, cand.data, (int)cand.len, SQLITE_STATIC);
					hit = sqlite3_step(taken) == SQLITE_ROW;
					sqlite3_reset(taken);
					if (!hit)
						break;
				}
				if (rc)
					break;
				sqlite3_bind_blob(rename, 1, cand.data, (int)cand.len, SQLITE_STATIC);
				sqlite3_bind_int64(rename, 2, ids[j]);
				rc = sarfs_sql_run(rename);
			}
			free(ids);
		}
		for (i = 0; i < ng; i++)
			free(g[i].name);
		free(g);
	}
out:
	sqlite3_finalize(groups);
	sqlite3_finalize(members);
	sqlite3_finalize(taken);
	sqlite3_finalize(rename);
	sarfs_buf_destroy(&name);
	sarfs_buf_destroy(&cand);
	return rc;
}

struct qent {
	int64_t stage;	/* stage.dir id */
	int64_t node;	/* node id */
};

int sarfs_tree_finish(struct sarfs_tree *t, int64_t asof)
{
	sqlite3_stmt *kids = NULL, *ins = NULL, *upd = NULL;
	struct qent *q = NULL;
	size_t nq = 0, qcap = 0, qi;
	int64_t next = 2;
	uint64_t bytes = 0;
	char num[32];
	int rc;

	/* built once, after every entry is in: a sort, in runs of at most
	 * SARFS_WRITE_CACHE_KIB */
	rc = sarfs_sqlite_errno(sqlite3_exec(t->db, "CREATE INDEX stage.entry_by_name ON "
						     "entry(parent, name)", NULL, NULL, NULL));
	if (!rc)
		rc = resolve_clashes(t);
	if (!rc)
		rc = sarfs_sql_prepare(t->db,
			  "SELECT e.name, e.dir, e.blob, e.size, e.mtime, e.origin, e.src, b.chunk0,"
			  " e.key, e.original FROM stage.entry e LEFT JOIN main.blob b ON b.id = e.blob"
			  " WHERE e.parent = ? ORDER BY e.name", &kids);
	if (!rc)
		rc = sarfs_sql_prepare(t->db,
			  "INSERT INTO node(id, parent, name, dir, size, mtime, chunk0, blob, origin, src,"
			  " key, original) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins);
	if (!rc)
		rc = sarfs_sql_prepare(t->db,
			  "UPDATE node SET first = ?, nchild = ?, nsubdir = ?, mtime = ? WHERE id = ?",
			  &upd);
	if (rc)
		goto out;

	/* the root */
	sqlite3_bind_int64(ins, 1, SARFS_ROOT_ID);
	sqlite3_bind_int64(ins, 2, SARFS_ROOT_ID);
	sqlite3_bind_blob(ins, 3, "", 0, SQLITE_STATIC);
	sqlite3_bind_int(ins, 4, 1);
	sqlite3_bind_int64(ins, 5, 0);
	sqlite3_bind_int64(ins, 6, asof);
	sqlite3_bind_null(ins, 7);
	sqlite3_bind_null(ins, 8);
	sqlite3_bind_null(ins, 9);
	sqlite3_bind_null(ins, 10);
	sqlite3_bind_null(ins, 11);
	sqlite3_bind_null(ins, 12);
	rc = sarfs_sql_run(ins);
	q = malloc(sizeof(*q) * 16);
	if (!q) {
		rc = -ENOMEM;
		goto out;
	}
	qcap = 16;
	q[nq++] = (struct qent){ 1, SARFS_ROOT_ID };

	for (qi = 0; qi < nq && !rc; qi++) {
		int64_t first = next, newest = INT64_MIN;
		uint64_t nchild = 0, nsub = 0;
		int s;

		sqlite3_bind_int64(kids, 1, q[qi].stage);
		while ((s = sqlite3_step(kids)) == SQLITE_ROW) {
			int isdir = sqlite3_column_type(kids, 1) != SQLITE_NULL;
			int64_t id = next++, mtime;

			nchild++;
			sqlite3_bind_int64(ins, 1, id);
			sqlite3_bind_int64(ins, 2, q[qi].node);
			sqlite3_bind_blob(ins, 3, sqlite3_column_blob(kids, 0),
					  sqlite3_column_bytes(kids, 0), SQLITE_TRANSIENT);
			sqlite3_bind_int(ins, 4, isdir);
			if (isdir) {
				if (nq == qcap) {
					struct qent *v = realloc(q, 2 * qcap * sizeof(*v));

					if (!v) {
						rc = -ENOMEM;
						break;
					}
					q = v;
					qcap *= 2;
				}
				q[nq++] = (struct qent){ sqlite3_column_int64(kids, 1), id };
				nsub++;
				sqlite3_bind_int64(ins, 5, 0);
				sqlite3_bind_int64(ins, 6, asof);
				sqlite3_bind_null(ins, 7);
				sqlite3_bind_null(ins, 8);
				sqlite3_bind_null(ins, 9);
				sqlite3_bind_null(ins, 10);
				sqlite3_bind_null(ins, 11);
				sqlite3_bind_null(ins, 12);
			} else {
				uint64_t size = (uint64_t)sqlite3_column_int64(kids, 3);

				mtime = sqlite3_column_type(kids, 4) == SQLITE_NULL ?
					asof : sqlite3_column_int64(kids, 4);
				if (mtime > newest)
					newest = mtime;
				bytes += size;
				sqlite3_bind_int64(ins, 5, (sqlite3_int64)size);
				sqlite3_bind_int64(ins, 6, mtime);
				sqlite3_bind_int64(ins, 7, size ? sqlite3_column_int64(kids, 7) : 0);
				sqlite3_bind_int64(ins, 8, sqlite3_column_int64(kids, 2));
				if (sqlite3_column_type(kids, 5) == SQLITE_NULL)
					sqlite3_bind_null(ins, 9);
				else
					sqlite3_bind_text(ins, 9, (const char *)sqlite3_column_text(kids, 5),
							  -1, SQLITE_TRANSIENT);
				if (sqlite3_column_type(kids, 6) == SQLITE_NULL)
					sqlite3_bind_null(ins, 10);
				else
					sqlite3_bind_int64(ins, 10, sqlite3_column_int64(kids, 6));
				if (sqlite3_column_type(kids, 8) == SQLITE_NULL)
					sqlite3_bind_null(ins, 11);
				else
					sqlite3_bind_text(ins, 11, (const char *)sqlite3_column_text(kids, 8),
							  -1, SQLITE_TRANSIENT);
				if (sqlite3_column_type(kids, 9) == SQLITE_NULL)
					sqlite3_bind_null(ins, 12);
				else
					sqlite3_bind_blob(ins, 12, sqlite3_column_blob(kids, 9),
							  sqlite3_column_bytes(kids, 9), SQLITE_TRANSIENT);
			}
			rc = sarfs_sql_run(ins);
			if (rc)
				break;
		}
		if (!rc && s != SQLITE_DONE && s != SQLITE_ROW)
			rc = sarfs_sqlite_errno(s);
		sqlite3_reset(kids);
		if (rc)
			break;
		sqlite3_bind_int64(upd, 1, nchild ? first : 0);
		sqlite3_bind_int64(upd, 2, (sqlite3_int64)nchild);
		sqlite3_bind_int64(upd, 3, (sqlite3_int64)nsub);
		sqlite3_bind_int64(upd, 4, newest == INT64_MIN ? asof : newest);
		sqlite3_bind_int64(upd, 5, q[qi].node);
		rc = sarfs_sql_run(upd);
	}
	if (rc)
		goto out;
	snprintf(num, sizeof(num), "%lld", (long long)(next - 1));
	rc = sarfs_index_set_meta(t->w, "nodes", num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)bytes);
	if (!rc)
		rc = sarfs_index_set_meta(t->w, "bytes", num);
out:
	free(q);
	sqlite3_finalize(kids);
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	/* the staging data is not needed any more: drop it with its file */
	sqlite3_finalize(t->find_dir);
	sqlite3_finalize(t->add_dir);
	sqlite3_finalize(t->add_entry);
	t->find_dir = t->add_dir = t->add_entry = NULL;
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(t->db, "COMMIT; DETACH DATABASE stage; BEGIN",
						     NULL, NULL, NULL));
	return rc;
}
