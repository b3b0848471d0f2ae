/*
 * index.c - the SQLite index file: schema, reader and writer (index.h).
 *
 * The reader opens the file immutable (no locks, no journal lookups): an
 * index never changes after it is written, and a mount may live on a
 * read-only medium. The writer builds a new file with no journal and no
 * syncs (a crash leaves only a temporary file that is never opened, since
 * the complete mark is written last and the caller renames the file into
 * place afterwards), then fsyncs once.
 */
#include "sarfs/index.h"

#include "sarfs/buf.h"
#include "sarfs/names.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SARFS_STR_(x) #x
#define SARFS_STR(x) SARFS_STR_(x)

/* The schema, format 3. Comments here are the documentation of the file
 * format; docs/design.md refers to them. Format 1 had no blob.data (every
 * blob was in chunks), format 2 no node.key and no node.original. */
static const char schema[] =
	"PRAGMA application_id = 1396789830;\n"	/* 0x53415246, "SARF" */
	"PRAGMA user_version = 3;\n"		/* SARFS_INDEX_FORMAT */
	/* Facts about the whole index: format, sarfs_version, source,
	 * source_sha256, source_kind, profile, asof, asof_basis, counts,
	 * and complete = '1', written last. A share (sarfs share) adds
	 * view, view_sha256, view_text (when the view hides nothing in its
	 * own text) and share_options. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	/* The tree. id is the inode number; the root (id 1) is its own
	 * parent. Children of a directory are first .. first+nchild-1, in
	 * byte order of name. mtime is UTC seconds. Files point at their
	 * content by blob, and, for speed, at its first chunk by chunk0 (0
	 * for an empty file). origin is user.sarfs.source; src the export's
	 * file it was read from (source_file.id), if any. key is the file's
	 * identity across exports of the same account, given by the profile
	 * (a post's id, whatever its name says); NULL: its path is its
	 * identity. sarfs diff matches files by it. original is the SHA-256
	 * of the file's bytes before a view redacted them (sarfs share), NULL
	 * for a file served as the full tree has it. */
	"CREATE TABLE node(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent INTEGER NOT NULL,\n"
	"  name BLOB NOT NULL,\n"
	"  dir INTEGER NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  mtime INTEGER NOT NULL,\n"
	"  first INTEGER,\n"
	"  nchild INTEGER,\n"
	"  nsubdir INTEGER,\n"
	"  chunk0 INTEGER,\n"
	"  blob INTEGER,\n"
	"  origin TEXT,\n"
	"  src INTEGER,\n"
	"  key TEXT,\n"
	"  original BLOB\n"
	");\n"

	/* Contents. A blob of at most 65536 bytes is held in its row (data);
	 * a larger one is the concatenation of chunks chunk0, chunk0+1, ...,
	 * each 65536 bytes but the last (chunk0 = 0: held in the row). The
	 * export's files are stored once per distinct SHA-256 (two byte-
	 * identical photos share one blob); rendered records are not compared. */
	"CREATE TABLE blob(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  sha256 BLOB NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  chunk0 INTEGER NOT NULL,\n"
	"  data BLOB\n"
	");\n"
	"CREATE TABLE chunk(id INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"
	/* The export's own files: raw path bytes as the export names them,
	 * size and SHA-256 (chain of custody). */
	"CREATE TABLE source_file(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  path BLOB NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  sha256 BLOB NOT NULL\n"
	");\n"
	/* What the export lacks, by the profile's expectations: where it is
	 * explained (a missing.txt), what, on which legal basis, what the
	 * controller said, and whether the controller says none exist. */
	"CREATE TABLE gap(\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  id TEXT NOT NULL,\n"
	"  path TEXT NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  law TEXT NOT NULL,\n"
	"  said TEXT NOT NULL,\n"
	"  status TEXT NOT NULL\n"
	");\n"
	/* What went wrong while reading the export, sorted. */
	"CREATE TABLE problem(\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  severity INTEGER NOT NULL,\n"
	"  file TEXT NOT NULL,\n"
	"  line INTEGER NOT NULL,\n"
	"  col INTEGER NOT NULL,\n"
	"  text TEXT NOT NULL\n"
	");\n";

/* Indexes, created once all rows are in (building an index in one pass is
 * much cheaper than keeping it up to date row by row): lookup by name, which
 * also enforces DESIGN invariant 5's uniqueness in the file itself. */
static const char schema_indexes[] =
	"CREATE UNIQUE INDEX node_by_name ON node(parent, name);\n";

int sarfs_sqlite_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_FORMAT:
		return -EINVAL;
	case SQLITE_TOOBIG:
		return -EFBIG;
	default:
		return -EIO;
	}
}

/* ---- reading ---------------------------------------------------------- */

#define NODE_COLS "id, parent, dir, size, mtime, first, nchild, nsubdir, chunk0, blob, name"

/* Blob ids whose chunks were checked against their SHA-256 (open
 * addressing; ids are positive, 0 marks an empty slot). */
struct idset {
	int64_t *v;
	size_t cap, n;
};

struct sarfs_index {
	sqlite3 *db;
	sqlite3_stmt *by_id, *by_name, *range, *xattr, *name_of, *ident, *inline_data, *blob_of;
	sqlite3_blob *chunk;	/* reused across reads with sqlite3_blob_reopen */
	int range_busy;
	struct idset checked;	/* chunked blobs whose bytes match their digest */
	unsigned char *scratch;	/* owned, SARFS_CHUNK bytes: checking chunks */
	char err[512];		/* what the last -EIO was, "" if none */
	int damaged;		/* the file is damaged (not a passing I/O error) */
};

struct sarfs_index_iter {
	struct sarfs_index *idx;
	uint64_t dir;		/* every child must name it as parent */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks the file header before SQLite sees it: magic, application id,
 * format version, and that the file is as long as its page count says
 * (a truncated copy would otherwise fail only when a missing page is
 * read, in the middle of someone's grep). Returns 0 or -EINVAL with a
 * message. */
static int check_header(const char *path, struct sarfs_diag *d)
{
	unsigned char h[100];
	struct stat st;
	uint32_t page, pages;
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open index '%s': %s", path,
			       strerror(e));
		return -e;
	}
	k = pread(fd, h, sizeof(h), 0);
	if (fstat(fd, &st) != 0)
		k = -1;
	close(fd);
	if (k != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0 ||
	    be32(h + 68) != SARFS_INDEX_APPID) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "'%s' is not a sarfs index", path);
		return -EINVAL;
	}
	if (be32(h + 60) < SARFS_INDEX_FORMAT) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "index '%s' has format %u; this sarfs reads format %d "
			       "(rebuild it from its source with this version)",
			       path, be32(h + 60), SARFS_INDEX_FORMAT);
		return -EINVAL;
	}
	if (be32(h + 60) > SARFS_INDEX_FORMAT) {
		/* rebuilding with this version is not the only way out here */
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "index '%s' has format %u, from a newer sarfs; this sarfs reads "
			       "format %d (use a newer sarfs, or rebuild it from its source with "
			       "this version)", path, be32(h + 60), SARFS_INDEX_FORMAT);
		return -EINVAL;
	}
	page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	pages = be32(h + 28);
	if (be32(h + 92) == be32(h + 24) && (uint64_t)st.st_size < (uint64_t)page * pages) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "index '%s' is truncated: %lld bytes of %llu", path,
			       (long long)st.st_size, (unsigned long long)page * pages);
		return -EINVAL;
	}
	return 0;
}

int sarfs_index_sniff(const char *path)
{
	unsigned char h[72];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t k;

	if (fd < 0)
		return 0;
	k = pread(fd, h, sizeof(h), 0);
	close(fd);
	return k == (ssize_t)sizeof(h) && memcmp(h, "SQLite format 3", 16) == 0 &&
	       be32(h + 68) == SARFS_INDEX_APPID;
}

/* "file:" URI for path, with the characters URIs reserve escaped. */
static char *file_uri(const char *path, const char *query)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	const unsigned char *p;
	int rc = sarfs_buf_adds(&b, "file:");

	for (p = (const unsigned char *)path; *p && !rc; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f)
			rc = sarfs_buf_printf(&b, "%%%02X", *p);
		else
			rc = sarfs_buf_addc(&b, (char)*p);
	}
	if (!rc)
		rc = sarfs_buf_adds(&b, query);
	if (rc) {
		sarfs_buf_destroy(&b);
		return NULL;
	}
	return sarfs_buf_detach(&b);
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sarfs_sqlite_errno(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
						     NULL));
}

int sarfs_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sarfs_sqlite_errno(sqlite3_prepare_v2(db, sql, -1, st, NULL));
}

int sarfs_sql_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sarfs_sqlite_errno(rc);
}

/* An index is input too: it may come from someone else (a shared view).
 * Its schema must be exactly ours, so that no view, trigger or odd column
 * can run code or loop when we read it. The expected text is what SQLite
 * itself stores for our schema string, taken from an in-memory database. */
static int check_schema(sqlite3 *db, const char *path, struct sarfs_diag *d)
{
	static const char q[] = "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
				"ORDER BY type, name";
	sqlite3 *ref = NULL;
	sqlite3_stmt *a = NULL, *b = NULL;
	int rc = -EINVAL, ra, rb, i;

	if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(ref, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(ref, schema_indexes, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ref, q, -1, &a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q, -1, &b, NULL) != SQLITE_OK)
		goto out;
	for (;;) {
		ra = sqlite3_step(a);
		rb = sqlite3_step(b);
		if (ra != rb)
			goto out;
		if (ra == SQLITE_DONE) {
			rc = 0;
			goto out;
		}
		if (ra != SQLITE_ROW)
			goto out;
		for (i = 0; i < 4; i++)
			if (strcmp((const char *)sqlite3_column_text(a, i),
				   (const char *)sqlite3_column_text(b, i)) != 0)
				goto out;
	}
out:
	if (rc)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "index '%s' does not have the structure of a sarfs index; not used", path);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	sqlite3_close(ref);
	return rc;
}

int sarfs_index_open(const char *path, struct sarfs_index **out, struct sarfs_diag *d)
{
	struct sarfs_index *idx = NULL;
	char *uri = NULL, *complete = NULL;
	int rc;

	rc = check_header(path, d);
	if (rc)
		return rc;
	idx = calloc(1, sizeof(*idx));
	uri = file_uri(path, "?immutable=1");
	if (!idx || !uri) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sqlite3_open_v2(uri, &idx->db,
			     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open index '%s': %s", path,
			       idx->db ? sqlite3_errmsg(idx->db) : sqlite3_errstr(rc));
		rc = sarfs_sqlite_errno(rc);
		goto out;
	}
	/* No SQL in the file is trusted to run (there is none, check_schema
	 * makes sure), and nothing can be written through this handle. */
	sqlite3_db_config(idx->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(idx->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(idx->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(idx->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	rc = check_schema(idx->db, path, d);
	if (rc)
		goto out;
	/* A bounded page cache keeps the daemon's memory flat whatever the
	 * index size; the kernel's page cache does the rest. */
	sqlite3_exec(idx->db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
	if ((rc = prepare(idx->db, "SELECT " NODE_COLS " FROM node WHERE id = ?", &idx->by_id)) ||
	    (rc = prepare(idx->db, "SELECT " NODE_COLS " FROM node WHERE parent = ? AND name = ?",
			  &idx->by_name)) ||
	    (rc = prepare(idx->db, "SELECT " NODE_COLS " FROM node WHERE id >= ? AND id < ? ORDER BY id",
			  &idx->range)) ||
	    (rc = prepare(idx->db,
			  "SELECT n.origin, hex(b.sha256), hex(s.sha256), hex(n.original) FROM node n "
			  "LEFT JOIN blob b ON b.id = n.blob LEFT JOIN source_file s ON s.id = n.src "
			  "WHERE n.id = ?", &idx->xattr)) ||
	    (rc = prepare(idx->db, "SELECT name FROM node WHERE id = ?", &idx->name_of)) ||
	    (rc = prepare(idx->db, "SELECT n.key, b.sha256 FROM node n LEFT JOIN blob b "
			  "ON b.id = n.blob WHERE n.id = ?", &idx->ident)) ||
	    (rc = prepare(idx->db, "SELECT data, sha256 FROM blob WHERE id = ? AND chunk0 = 0",
			  &idx->inline_data)) ||
	    (rc = prepare(idx->db, "SELECT sha256, size FROM blob WHERE id = ?", &idx->blob_of))) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "index '%s' is damaged: %s", path,
			       sqlite3_errmsg(idx->db));
		rc = -EINVAL;
		goto out;
	}
	complete = sarfs_index_meta(idx, "complete");
	if (!complete || strcmp(complete, "1") != 0) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "index '%s' is incomplete (its build did not finish); not used", path);
		rc = -EINVAL;
		goto out;
	}
out:
	free(uri);
	free(complete);
	if (rc) {
		sarfs_index_close(idx);
		return rc;
	}
	*out = idx;
	return 0;
}

void sarfs_index_close(struct sarfs_index *idx)
{
	if (!idx)
		return;
	sqlite3_blob_close(idx->chunk);
	sqlite3_finalize(idx->by_id);
	sqlite3_finalize(idx->by_name);
	sqlite3_finalize(idx->range);
	sqlite3_finalize(idx->xattr);
	sqlite3_finalize(idx->name_of);
	sqlite3_finalize(idx->ident);
	sqlite3_finalize(idx->inline_data);
	sqlite3_finalize(idx->blob_of);
	sqlite3_close(idx->db);
	free(idx->checked.v);
	free(idx->scratch);
	free(idx);
}

sqlite3 *sarfs_index_db(struct sarfs_index *idx)
{
	return idx->db;
}

char *sarfs_index_meta(struct sarfs_index *idx, const char *key)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(idx->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			v = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return v;
}

static void row_to_node(sqlite3_stmt *st, struct sarfs_node *n)
{
	n->id = (uint64_t)sqlite3_column_int64(st, 0);
	n->parent = (uint64_t)sqlite3_column_int64(st, 1);
	n->dir = sqlite3_column_int(st, 2);
	n->size = (uint64_t)sqlite3_column_int64(st, 3);
	n->mtime = sqlite3_column_int64(st, 4);
	n->first = (uint64_t)sqlite3_column_int64(st, 5);
	n->nchild = (uint64_t)sqlite3_column_int64(st, 6);
	n->nsubdir = (uint64_t)sqlite3_column_int64(st, 7);
	n->chunk0 = sqlite3_column_int64(st, 8);
	n->blob = sqlite3_column_int64(st, 9);
}

/* What every node must satisfy for the tree to be a tree: children after
 * their directory (so there are no cycles), a name that names.h would
 * make, files that point at content. A node that fails is never served. */
static int node_sane(sqlite3_stmt *st, const struct sarfs_node *n)
{
	const char *name = (const char *)sqlite3_column_blob(st, 10);
	int len = sqlite3_column_bytes(st, 10);

	if (n->id == SARFS_ROOT_ID)
		return n->dir && n->parent == SARFS_ROOT_ID && len == 0;
	if (n->parent >= n->id || len < 1 || !sarfs_name_is_safe(name, (size_t)len))
		return 0;
	if (n->dir)
		return n->nchild == 0 || (n->first > n->id && n->first + n->nchild > n->first);
	return n->size == 0 || n->blob > 0;
}

/* Records why an operation failed with -EIO, for sarfs_index_error().
 * SQLite's corruption codes (and a digest that does not match) mean the
 * file itself is damaged; other codes may be a passing I/O error. */
static int fail_io(struct sarfs_index *idx, int sqlite_rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_io(struct sarfs_index *idx, int sqlite_rc, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(idx->err, sizeof(idx->err), fmt, ap);
	va_end(ap);
	if (k >= 0 && (size_t)k < sizeof(idx->err) && sqlite_rc != SQLITE_OK)
		snprintf(idx->err + k, sizeof(idx->err) - (size_t)k, ": %s",
			 sqlite3_errstr(sqlite_rc));
	if (sqlite_rc == SQLITE_OK || (sqlite_rc & 0xff) == SQLITE_CORRUPT ||
	    (sqlite_rc & 0xff) == SQLITE_NOTADB)
		idx->damaged = 1;
	return -EIO;
}

static int step_node(struct sarfs_index *idx, sqlite3_stmt *st, uint64_t key,
		     struct sarfs_node *n)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		row_to_node(st, n);
		rc = node_sane(st, n) ? 0 :
		     fail_io(idx, SQLITE_OK, "node %llu is not a well-formed node of a tree",
			     (unsigned long long)n->id);
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	} else {
		rc = fail_io(idx, rc, "cannot read node %llu", (unsigned long long)key);
	}
	sqlite3_reset(st);
	return rc;
}

int sarfs_index_node(struct sarfs_index *idx, uint64_t id, struct sarfs_node *n)
{
	sqlite3_bind_int64(idx->by_id, 1, (sqlite3_int64)id);
	return step_node(idx, idx->by_id, id, n);
}

int sarfs_index_lookup(struct sarfs_index *idx, uint64_t parent, const char *name,
		       struct sarfs_node *n)
{
	sqlite3_bind_int64(idx->by_name, 1, (sqlite3_int64)parent);
	sqlite3_bind_blob(idx->by_name, 2, name, (int)strlen(name), SQLITE_STATIC);
	return step_node(idx, idx->by_name, parent, n);
}

const char *sarfs_index_error(const struct sarfs_index *idx)
{
	return idx->err[0] ? idx->err : NULL;
}

int sarfs_index_damaged(const struct sarfs_index *idx)
{
	return idx->damaged;
}

char *sarfs_index_name(struct sarfs_index *idx, uint64_t id)
{
	char *s = NULL;

	sqlite3_bind_int64(idx->name_of, 1, (sqlite3_int64)id);
	if (sqlite3_step(idx->name_of) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(idx->name_of, 0);
		const char *p = sqlite3_column_blob(idx->name_of, 0);

		/* the same rule as node_sane(): never hand out a path part */
		if (id == SARFS_ROOT_ID ? n != 0 : !sarfs_name_is_safe(p, (size_t)n)) {
			sqlite3_reset(idx->name_of);
			return NULL;
		}
		s = malloc((size_t)n + 1);
		if (s) {
			if (n)
				memcpy(s, p, (size_t)n);
			s[n] = '\0';
		}
	}
	sqlite3_reset(idx->name_of);
	return s;
}

int sarfs_index_iter_open(struct sarfs_index *idx, const struct sarfs_node *dir,
			  uint64_t from, uint64_t to, struct sarfs_index_iter **out)
{
	struct sarfs_index_iter *it;

	/* One statement serves all iterators: they never nest (readdir
	 * replies are built one at a time). */
	if (idx->range_busy)
		return -EBUSY;
	it = malloc(sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->idx = idx;
	it->dir = dir->id;
	idx->range_busy = 1;
	sqlite3_bind_int64(idx->range, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(idx->range, 2, (sqlite3_int64)to);
	*out = it;
	return 0;
}

int sarfs_index_iter_next(struct sarfs_index_iter *it, struct sarfs_node *n,
			  const char **name)
{
	sqlite3_stmt *st = it->idx->range;
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return fail_io(it->idx, rc, "cannot list folder %llu", (unsigned long long)it->dir);
	row_to_node(st, n);
	if (!node_sane(st, n) || n->parent != it->dir)
		return fail_io(it->idx, SQLITE_OK, "node %llu is not a well-formed child of folder %llu",
			       (unsigned long long)n->id, (unsigned long long)it->dir);
	/* names are stored as BLOBs; asking for text adds the NUL */
	*name = (const char *)sqlite3_column_text(st, 10);
	return *name ? 1 : -ENOMEM;
}

void sarfs_index_iter_close(struct sarfs_index_iter *it)
{
	if (!it)
		return;
	sqlite3_reset(it->idx->range);
	it->idx->range_busy = 0;
	free(it);
}

static size_t idset_slot(const struct idset *s, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 7) & (s->cap - 1);

	while (s->v[i] && s->v[i] != id)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int idset_has(const struct idset *s, int64_t id)
{
	return s->cap && s->v[idset_slot(s, id)] == id;
}

static int idset_add(struct idset *s, int64_t id)
{
	if (2 * (s->n + 1) > s->cap) {
		struct idset t = { calloc(s->cap ? 2 * s->cap : 64, sizeof(int64_t)),
				   s->cap ? 2 * s->cap : 64, 0 };
		size_t i;

		if (!t.v)
			return -ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				t.v[idset_slot(&t, s->v[i])] = s->v[i], t.n++;
		free(s->v);
		*s = t;
	}
	s->v[idset_slot(s, id)] = id;
	s->n++;
	return 0;
}

/* The recorded digest of blob, and its size. */
static int blob_digest(struct sarfs_index *idx, const struct sarfs_node *n,
		       uint8_t sha[SARFS_SHA256_LEN])
{
	int rc;

	sqlite3_bind_int64(idx->blob_of, 1, n->blob);
	rc = sqlite3_step(idx->blob_of);
	if (rc != SQLITE_ROW) {
		rc = fail_io(idx, rc == SQLITE_DONE ? SQLITE_OK : rc,
			     "cannot read the digest of node %llu", (unsigned long long)n->id);
	} else if (sqlite3_column_bytes(idx->blob_of, 0) != SARFS_SHA256_LEN ||
		   (uint64_t)sqlite3_column_int64(idx->blob_of, 1) != n->size) {
		rc = fail_io(idx, SQLITE_OK, "node %llu does not match its blob",
			     (unsigned long long)n->id);
	} else {
		memcpy(sha, sqlite3_column_blob(idx->blob_of, 0), SARFS_SHA256_LEN);
		rc = 0;
	}
	sqlite3_reset(idx->blob_of);
	return rc;
}

static int mismatch(struct sarfs_index *idx, const struct sarfs_node *n)
{
	return fail_io(idx, SQLITE_OK, "the bytes of node %llu do not match their recorded "
		       "SHA-256", (unsigned long long)n->id);
}

/* Opens (or moves the shared handle to) chunk id. */
static int chunk_at(struct sarfs_index *idx, sqlite3_int64 id, const struct sarfs_node *n)
{
	int rc;

	if (idx->chunk)
		rc = sqlite3_blob_reopen(idx->chunk, id);
	else
		rc = sqlite3_blob_open(idx->db, "main", "chunk", "data", id, 0, &idx->chunk);
	if (rc != SQLITE_OK) {
		/* a failed reopen leaves the handle unusable */
		sqlite3_blob_close(idx->chunk);
		idx->chunk = NULL;
		return fail_io(idx, rc == SQLITE_ERROR ? SQLITE_CORRUPT : rc,
			       "cannot read chunk %lld of node %llu", (long long)id,
			       (unsigned long long)n->id);
	}
	return 0;
}

/* A file in chunks is checked whole against its digest the first time any
 * of it is read on this connection, before a byte of it is served; the
 * blobs found sound are remembered. (A chunk has no digest of its own, and
 * a flipped byte inside a page's data is invisible to SQLite.) */
static int check_chunks(struct sarfs_index *idx, const struct sarfs_node *n)
{
	uint8_t want[SARFS_SHA256_LEN], got[SARFS_SHA256_LEN];
	struct sarfs_sha256 h;
	uint64_t off;
	int rc;

	if (idset_has(&idx->checked, n->blob))
		return 0;
	if (!idx->scratch && !(idx->scratch = malloc(SARFS_CHUNK)))
		return -ENOMEM;
	rc = blob_digest(idx, n, want);
	if (rc)
		return rc;
	rc = sarfs_sha256_init(&h);
	for (off = 0; !rc && off < n->size; off += SARFS_CHUNK) {
		int k = (int)(n->size - off < SARFS_CHUNK ? n->size - off : SARFS_CHUNK);

		rc = chunk_at(idx, n->chunk0 + (sqlite3_int64)(off / SARFS_CHUNK), n);
		if (rc)
			break;
		/* every chunk but the last is whole: no more, no less */
		if (sqlite3_blob_bytes(idx->chunk) != k) {
			rc = fail_io(idx, SQLITE_OK, "node %llu: a chunk has the wrong size",
				     (unsigned long long)n->id);
			break;
		}
		rc = sqlite3_blob_read(idx->chunk, idx->scratch, k, 0);
		if (rc != SQLITE_OK) {
			rc = fail_io(idx, rc, "cannot read node %llu", (unsigned long long)n->id);
			break;
		}
		sarfs_sha256_update(&h, idx->scratch, (size_t)k);
	}
	if (rc) {
		sarfs_sha256_destroy(&h);
		return rc;
	}
	sarfs_sha256_final(&h, got);
	sarfs_sha256_destroy(&h);
	if (memcmp(got, want, SARFS_SHA256_LEN) != 0)
		return mismatch(idx, n);
	return idset_add(&idx->checked, n->blob);
}

int sarfs_index_read(struct sarfs_index *idx, const struct sarfs_node *n,
		     uint64_t off, size_t len, void *buf, size_t *got)
{
	unsigned char *out = buf;
	size_t done = 0;
	int rc;

	*got = 0;
	if (n->dir)
		return -EISDIR;
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	if (n->chunk0 == 0) {
		/* Held in the blob row (at most 64 KiB): the row is read whole
		 * and its digest checked at every read, which costs about a
		 * microsecond for a record of a few KB (the kernel keeps the
		 * pages, so a file is rarely read twice). */
		uint8_t dg[SARFS_SHA256_LEN];
		const void *p, *want;

		sqlite3_bind_int64(idx->inline_data, 1, n->blob);
		rc = sqlite3_step(idx->inline_data);
		if (rc != SQLITE_ROW) {
			rc = fail_io(idx, rc == SQLITE_DONE ? SQLITE_OK : rc,
				     "cannot read node %llu", (unsigned long long)n->id);
		} else if (!(p = sqlite3_column_blob(idx->inline_data, 0)) ||
			   (uint64_t)sqlite3_column_bytes(idx->inline_data, 0) != n->size ||
			   sqlite3_column_bytes(idx->inline_data, 1) != SARFS_SHA256_LEN) {
			rc = fail_io(idx, SQLITE_OK, "node %llu does not match its blob",
				     (unsigned long long)n->id);
		} else if ((rc = sarfs_sha256(p, (size_t)n->size, dg)) == 0) {
			want = sqlite3_column_blob(idx->inline_data, 1);
			if (memcmp(dg, want, SARFS_SHA256_LEN) != 0) {
				rc = mismatch(idx, n);
			} else {
				memcpy(out, (const unsigned char *)p + off, len);
				*got = len;
			}
		}
		sqlite3_reset(idx->inline_data);
		return rc;
	}
	rc = check_chunks(idx, n);
	if (rc)
		return rc;
	while (done < len) {
		sqlite3_int64 id = n->chunk0 + (sqlite3_int64)((off + done) / SARFS_CHUNK);
		int in = (int)((off + done) % SARFS_CHUNK);
		int k = (int)(len - done < (size_t)(SARFS_CHUNK - in) ? len - done : (size_t)(SARFS_CHUNK - in));

		rc = chunk_at(idx, id, n);
		if (rc)
			return rc;
		if (sqlite3_blob_bytes(idx->chunk) < in + k)
			return fail_io(idx, SQLITE_OK, "node %llu: a chunk is too short",
				       (unsigned long long)n->id);
		rc = sqlite3_blob_read(idx->chunk, out + done, k, in);
		if (rc != SQLITE_OK)
			return fail_io(idx, rc, "cannot read node %llu", (unsigned long long)n->id);
		done += (size_t)k;
	}
	*got = done;
	return 0;
}

const char *const sarfs_xattr_names[SARFS_NXATTR] = {
	"user.sarfs.source",		/* where the file came from: file, locator */
	"user.sarfs.sha256",		/* SHA-256 of the bytes served */
	"user.sarfs.source_sha256",	/* SHA-256 of the export's file it came from */
	"user.sarfs.original_sha256",	/* a share's redacted file: SHA-256 of its bytes
					 * before redaction */
};

static int load_xattrs(struct sarfs_index *idx, const struct sarfs_node *n,
		       char *vals[SARFS_NXATTR])
{
	int i, rc;

	for (i = 0; i < SARFS_NXATTR; i++)
		vals[i] = NULL;
	sqlite3_bind_int64(idx->xattr, 1, (sqlite3_int64)n->id);
	rc = sqlite3_step(idx->xattr);
	if (rc == SQLITE_ROW) {
		for (i = 0; i < SARFS_NXATTR; i++) {
			const unsigned char *t = sqlite3_column_text(idx->xattr, i);

			if (t && *t) {
				vals[i] = strdup((const char *)t);
				if (i > 0 && vals[i]) {
					char *p;

					for (p = vals[i]; *p; p++)
						*p = (char)(*p >= 'A' && *p <= 'F' ? *p + 32 : *p);
				}
			}
		}
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT :
		     fail_io(idx, rc, "cannot read the attributes of node %llu",
			     (unsigned long long)n->id);
	}
	sqlite3_reset(idx->xattr);
	return rc;
}

ssize_t sarfs_index_listxattr(struct sarfs_index *idx, const struct sarfs_node *n,
			      char *buf, size_t size)
{
	char *vals[SARFS_NXATTR];
	size_t need = 0, i;
	int rc = load_xattrs(idx, n, vals);

	if (rc)
		return rc;
	for (i = 0; i < SARFS_NXATTR; i++)
		if (vals[i])
			need += strlen(sarfs_xattr_names[i]) + 1;
	if (size >= need && buf) {
		char *p = buf;

		for (i = 0; i < SARFS_NXATTR; i++) {
			if (!vals[i])
				continue;
			memcpy(p, sarfs_xattr_names[i], strlen(sarfs_xattr_names[i]) + 1);
			p += strlen(sarfs_xattr_names[i]) + 1;
		}
	}
	for (i = 0; i < SARFS_NXATTR; i++)
		free(vals[i]);
	return (ssize_t)need;
}

ssize_t sarfs_index_getxattr(struct sarfs_index *idx, const struct sarfs_node *n,
			     const char *name, char *buf, size_t size)
{
	char *vals[SARFS_NXATTR];
	ssize_t need = -ENODATA;
	size_t i;
	int rc;

	for (i = 0; i < SARFS_NXATTR; i++)
		if (strcmp(name, sarfs_xattr_names[i]) == 0)
			break;
	if (i == SARFS_NXATTR)
		return -ENODATA;
	rc = load_xattrs(idx, n, vals);
	if (rc)
		return rc;
	if (vals[i]) {
		need = (ssize_t)strlen(vals[i]);
		if (buf && size >= (size_t)need)
			memcpy(buf, vals[i], (size_t)need);
	}
	for (i = 0; i < SARFS_NXATTR; i++)
		free(vals[i]);
	return need;
}

int sarfs_index_walk(struct sarfs_index *idx, const struct sarfs_node *top,
		     sarfs_index_walk_fn fn, void *ctx, uint64_t *bad)
{
	struct frame {
		uint64_t dir, next, end;
		size_t plen;
	} *st = NULL;
	struct sarfs_buf path = SARFS_BUF_INIT;
	size_t depth = 0, cap = 16;
	int rc = 0;

	if (!top->dir || !top->nchild)
		return 0;
	st = malloc(cap * sizeof(*st));
	if (!st || sarfs_buf_reserve(&path, 256)) {
		rc = -ENOMEM;
		goto out;
	}
	st[depth++] = (struct frame){ top->id, top->first, top->first + top->nchild, 0 };
	while (depth && !rc) {
		struct frame *f = &st[depth - 1];
		struct sarfs_node n;
		char *name;

		if (f->next == f->end) {
			depth--;
			continue;
		}
		rc = sarfs_index_node(idx, f->next++, &n);
		/* each node is in its parent's range only: a damaged index whose
		 * folders share a range would otherwise be walked as a graph,
		 * each path once per way to it (exponentially many) */
		if (!rc && n.parent != f->dir)
			rc = -EIO;
		name = rc ? NULL : sarfs_index_name(idx, n.id);
		if (!rc && !name)
			rc = -EIO;
		if (rc) {
			if (bad)
				*bad = f->next - 1;
			break;
		}
		path.len = f->plen;
		if (path.len)
			rc = sarfs_buf_addc(&path, '/');
		rc = rc ? rc : sarfs_buf_adds(&path, name);
		free(name);
		if (!rc && (rc = fn(ctx, &n, path.data, path.len)) != 0 && bad)
			*bad = n.id;
		if (!rc && n.dir && n.nchild) {
			if (depth == cap) {
				struct frame *v = realloc(st, 2 * cap * sizeof(*v));

				if (!v) {
					rc = -ENOMEM;
					break;
				}
				st = v;
				cap *= 2;
			}
			st[depth++] = (struct frame){ n.id, n.first, n.first + n.nchild, path.len };
		}
	}
out:
	free(st);
	sarfs_buf_destroy(&path);
	return rc;
}

int sarfs_index_identity(struct sarfs_index *idx, const struct sarfs_node *n,
			 uint8_t sha[SARFS_SHA256_LEN], char **key)
{
	sqlite3_stmt *st = idx->ident;
	const void *h;
	int rc = -EIO, s;

	*key = NULL;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)n->id);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		h = sqlite3_column_blob(st, 1);
		if (n->size == 0 && !h) {
			/* an empty file has no blob */
			sarfs_sha256("", 0, sha);
			rc = 0;
		} else if (h && sqlite3_column_bytes(st, 1) == SARFS_SHA256_LEN) {
			memcpy(sha, h, SARFS_SHA256_LEN);
			rc = 0;
		}
		if (!rc && sqlite3_column_type(st, 0) != SQLITE_NULL) {
			*key = strdup((const char *)sqlite3_column_text(st, 0));
			if (!*key)
				rc = -ENOMEM;
		}
	} else if (s == SQLITE_DONE) {
		rc = -ENOENT;
	}
	sqlite3_reset(st);
	return rc;
}

int sarfs_index_stats(struct sarfs_index *idx, uint64_t *nodes, uint64_t *bytes)
{
	char *a = sarfs_index_meta(idx, "nodes"), *b = sarfs_index_meta(idx, "bytes");

	*nodes = a ? strtoull(a, NULL, 10) : 0;
	*bytes = b ? strtoull(b, NULL, 10) : 0;
	free(a);
	free(b);
	return 0;
}

/* ---- writing ---------------------------------------------------------- */

struct sarfs_index_writer {
	sqlite3 *db;
	char *path;		/* owned */
	sqlite3_stmt *put_chunk, *put_blob, *find_blob, *del_chunks, *set_meta, *add_src,
		*add_problem, *put_inline, *add_dedup, *fix_src;
	int64_t next_chunk;	/* id the next chunk of the open stream gets */
	int64_t next_side;	/* ids for large blobs stored while a stream is open:
				 * a range of their own, so that the stream's
				 * chunks stay consecutive */

	/* the open stream */
	int streaming;
	struct sarfs_sha256 sh;
	uint64_t ssize;
	int64_t schunk0;
	unsigned char *sbuf;	/* owned, SARFS_CHUNK bytes */
	size_t slen;
};

sqlite3 *sarfs_index_writer_db(struct sarfs_index_writer *w)
{
	return w->db;
}

int sarfs_index_writer_open(const char *path, struct sarfs_index_writer **out,
			    struct sarfs_diag *d)
{
	struct sarfs_index_writer *w;
	char *uri = NULL;
	int rc, fd;

	/* Claim the name first: SQLite would open an existing file. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot create index '%s': %s", path,
			       strerror(-rc));
		return rc;
	}
	close(fd);
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) || !(uri = file_uri(path, "")) ||
	    !(w->sbuf = malloc(SARFS_CHUNK))) {
		rc = -ENOMEM;
		goto out;
	}
	w->next_chunk = 1;
	w->next_side = (int64_t)1 << 40;
	rc = sqlite3_open_v2(uri, &w->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	/* 16 KiB pages: a 2 KB record file shares its page with six others
	 * instead of wasting half of a 4 KiB one.
	 * The cache: rows are appended (blob, chunk, node), which needs a few
	 * pages per table. SQLite's sorter keeps up to main's cache_size of
	 * keys in memory before it writes a sorted run to a temporary file
	 * (temp_store = FILE; in memory, the runs would be unbounded), and no
	 * less than 250 pages (4,000 KiB here). A 32 MB cache built no faster
	 * and took 30 MB more, plus 32 MB for a sort of a million entries
	 * (docs/performance.md). */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->db,
				  "PRAGMA page_size = 16384;"
				  "PRAGMA journal_mode = OFF;"
				  "PRAGMA synchronous = OFF;"
				  "PRAGMA locking_mode = EXCLUSIVE;"
				  "PRAGMA cache_size = -" SARFS_STR(SARFS_WRITE_CACHE_KIB) ";"
				  "PRAGMA temp_store = FILE;",
				  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot create index '%s': %s", path,
			       w->db ? sqlite3_errmsg(w->db) : sqlite3_errstr(rc));
		rc = sarfs_sqlite_errno(rc);
		goto out;
	}
	if ((rc = prepare(w->db, "INSERT INTO chunk(id, data) VALUES (?, ?)", &w->put_chunk)) ||
	    (rc = sarfs_sqlite_errno(sqlite3_exec(w->db,
			"CREATE TEMP TABLE sarfs_dedup(sha BLOB PRIMARY KEY, blob INTEGER) WITHOUT ROWID",
			NULL, NULL, NULL))) ||
	    (rc = prepare(w->db, "INSERT INTO blob(sha256, size, chunk0) VALUES (?, ?, ?)",
			  &w->put_blob)) ||
	    (rc = prepare(w->db, "INSERT INTO blob(sha256, size, chunk0, data) VALUES (?, ?, 0, ?)",
			  &w->put_inline)) ||
	    (rc = prepare(w->db, "SELECT blob FROM temp.sarfs_dedup WHERE sha = ?", &w->find_blob)) ||
	    (rc = prepare(w->db, "INSERT INTO temp.sarfs_dedup(sha, blob) VALUES (?, ?)",
			  &w->add_dedup)) ||
	    (rc = prepare(w->db, "UPDATE source_file SET size = ?, sha256 = ? WHERE id = ?",
			  &w->fix_src)) ||
	    (rc = prepare(w->db, "DELETE FROM chunk WHERE id >= ? AND id < ?", &w->del_chunks)) ||
	    (rc = prepare(w->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
			  &w->set_meta)) ||
	    (rc = prepare(w->db, "INSERT INTO source_file(path, size, sha256) VALUES (?, ?, ?)",
			  &w->add_src)) ||
	    (rc = prepare(w->db,
			  "INSERT INTO problem(severity, file, line, col, text) VALUES (?, ?, ?, ?, ?)",
			  &w->add_problem)))
		goto out;
out:
	free(uri);
	if (rc) {
		if (w && w->path)
			sarfs_index_writer_abort(w);
		else {
			if (w)
				free(w->sbuf);
			free(w);
			unlink(path);
		}
		return rc;
	}
	*out = w;
	return 0;
}

static void finalize_all(struct sarfs_index_writer *w)
{
	sqlite3_finalize(w->put_chunk);
	sqlite3_finalize(w->put_blob);
	sqlite3_finalize(w->find_blob);
	sqlite3_finalize(w->del_chunks);
	sqlite3_finalize(w->set_meta);
	sqlite3_finalize(w->add_src);
	sqlite3_finalize(w->add_problem);
	sqlite3_finalize(w->put_inline);
	sqlite3_finalize(w->add_dedup);
	sqlite3_finalize(w->fix_src);
	w->put_chunk = w->put_blob = w->find_blob = w->del_chunks = w->set_meta = w->add_src =
		w->add_problem = w->put_inline = w->add_dedup = w->fix_src = NULL;
}

static void writer_free(struct sarfs_index_writer *w)
{
	finalize_all(w);
	sarfs_sha256_destroy(&w->sh);
	sqlite3_close(w->db);
	free(w->sbuf);
	free(w->path);
	free(w);
}

void sarfs_index_writer_abort(struct sarfs_index_writer *w)
{
	if (!w)
		return;
	unlink(w->path);
	writer_free(w);
}

static int put_chunk_at(struct sarfs_index_writer *w, int64_t id, const void *p, size_t n)
{
	sqlite3_bind_int64(w->put_chunk, 1, id);
	sqlite3_bind_blob(w->put_chunk, 2, p, (int)n, SQLITE_STATIC);
	return sarfs_sql_run(w->put_chunk);
}

static int put_chunk(struct sarfs_index_writer *w, const void *p, size_t n)
{
	return put_chunk_at(w, w->next_chunk++, p, n);
}

/* The blob stored before with this digest (files and large blobs only),
 * 0 if none, or a negative errno. */
static int64_t find_blob(struct sarfs_index_writer *w, const uint8_t *sha)
{
	int64_t id = 0;
	int rc;

	sqlite3_bind_blob(w->find_blob, 1, sha, SARFS_SHA256_LEN, SQLITE_STATIC);
	rc = sqlite3_step(w->find_blob);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(w->find_blob, 0);
	else if (rc != SQLITE_DONE)
		id = sarfs_sqlite_errno(rc);
	sqlite3_reset(w->find_blob);
	return id;
}

static int add_blob(struct sarfs_index_writer *w, const uint8_t *sha, uint64_t size,
		    int64_t chunk0, int64_t *blob)
{
	int rc;

	sqlite3_bind_blob(w->put_blob, 1, sha, SARFS_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(w->put_blob, 2, (sqlite3_int64)size);
	sqlite3_bind_int64(w->put_blob, 3, chunk0);
	rc = sarfs_sql_run(w->put_blob);
	if (rc)
		return rc;
	*blob = sqlite3_last_insert_rowid(w->db);
	sqlite3_bind_blob(w->add_dedup, 1, sha, SARFS_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(w->add_dedup, 2, *blob);
	return sarfs_sql_run(w->add_dedup);
}

int sarfs_index_put(struct sarfs_index_writer *w, const void *p, size_t n,
		    int64_t *blob, uint8_t sha[SARFS_SHA256_LEN])
{
	uint8_t digest[SARFS_SHA256_LEN];
	int rc = sarfs_sha256(p, n, digest);

	return rc ? rc : sarfs_index_put_hashed(w, p, n, digest, blob, sha);
}

int sarfs_index_put_hashed(struct sarfs_index_writer *w, const void *p, size_t n,
			   const uint8_t known[SARFS_SHA256_LEN], int64_t *blob,
			   uint8_t sha[SARFS_SHA256_LEN])
{
	uint8_t digest[SARFS_SHA256_LEN];
	const unsigned char *s = p;
	int64_t id, chunk0;
	size_t off;
	int rc;

	if (known)
		memcpy(digest, known, SARFS_SHA256_LEN);
	else if ((rc = sarfs_sha256(p, n, digest)) != 0)
		return rc;
	if (sha)
		memcpy(sha, digest, SARFS_SHA256_LEN);
	if (n <= SARFS_CHUNK) {
		/* in the row: one insert, nothing to compare */
		sqlite3_bind_blob(w->put_inline, 1, digest, SARFS_SHA256_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(w->put_inline, 2, (sqlite3_int64)n);
		if (n)
			sqlite3_bind_blob(w->put_inline, 3, p, (int)n, SQLITE_STATIC);
		else
			sqlite3_bind_null(w->put_inline, 3);
		rc = sarfs_sql_run(w->put_inline);
		if (!rc)
			*blob = sqlite3_last_insert_rowid(w->db);
		return rc;
	}
	id = find_blob(w, digest);
	if (id != 0) {
		if (id > 0)
			*blob = id;
		return id > 0 ? 0 : (int)id;
	}
	/* chunks from the side range, which a stream may be open beside */
	chunk0 = w->next_side;
	for (off = 0; off < n; off += SARFS_CHUNK) {
		rc = put_chunk_at(w, w->next_side++, s + off,
				  n - off < SARFS_CHUNK ? n - off : SARFS_CHUNK);
		if (rc)
			return rc;
	}
	return add_blob(w, digest, n, chunk0, blob);
}

int sarfs_index_stream_begin(struct sarfs_index_writer *w)
{
	int rc;

	if (w->streaming)
		return -EBUSY;
	rc = sarfs_sha256_init(&w->sh);
	if (rc)
		return rc;
	w->streaming = 1;
	w->ssize = 0;
	w->slen = 0;
	w->schunk0 = w->next_chunk;
	return 0;
}

int sarfs_index_stream_write(struct sarfs_index_writer *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	int rc;

	sarfs_sha256_update(&w->sh, p, n);
	w->ssize += n;
	while (n) {
		size_t k = SARFS_CHUNK - w->slen;

		if (k > n)
			k = n;
		memcpy(w->sbuf + w->slen, s, k);
		w->slen += k;
		s += k;
		n -= k;
		if (w->slen == SARFS_CHUNK) {
			rc = put_chunk(w, w->sbuf, w->slen);
			if (rc)
				return rc;
			w->slen = 0;
		}
	}
	return 0;
}

int sarfs_index_stream_end(struct sarfs_index_writer *w, int64_t *blob,
			   uint64_t *size, uint8_t sha[SARFS_SHA256_LEN])
{
	uint8_t digest[SARFS_SHA256_LEN];
	int64_t id;
	int rc = 0;

	if (!w->streaming)
		return -EINVAL;
	w->streaming = 0;
	if (w->slen)
		rc = put_chunk(w, w->sbuf, w->slen);
	sarfs_sha256_final(&w->sh, digest);
	if (rc)
		return rc;
	if (sha)
		memcpy(sha, digest, SARFS_SHA256_LEN);
	*size = w->ssize;
	id = find_blob(w, digest);
	if (id < 0)
		return (int)id;
	if (id > 0) {
		/* Seen before: drop the copy just written and reuse its ids, so
		 * no free pages are left behind. */
		sqlite3_bind_int64(w->del_chunks, 1, w->schunk0);
		sqlite3_bind_int64(w->del_chunks, 2, w->next_chunk);
		rc = sarfs_sql_run(w->del_chunks);
		w->next_chunk = w->schunk0;
		*blob = id;
		return rc;
	}
	return add_blob(w, digest, w->ssize, w->ssize ? w->schunk0 : 0, blob);
}

int sarfs_index_fix_source_file(struct sarfs_index_writer *w, int64_t id, uint64_t size,
				const uint8_t sha[SARFS_SHA256_LEN])
{
	sqlite3_bind_int64(w->fix_src, 1, (sqlite3_int64)size);
	sqlite3_bind_blob(w->fix_src, 2, sha, SARFS_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(w->fix_src, 3, id);
	return sarfs_sql_run(w->fix_src);
}

int sarfs_index_writer_secure(struct sarfs_index_writer *w)
{
	return sarfs_sqlite_errno(sqlite3_exec(w->db, "PRAGMA main.secure_delete = ON", NULL, NULL,
					       NULL));
}

int sarfs_index_compact(const char *from, const char *to, struct sarfs_diag *d)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *uri = file_uri(from, "?mode=ro");
	int rc, fd;

	if (!uri)
		return -ENOMEM;
	/* claimed first, private like every index: SQLite fills an empty file */
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot create '%s': %s", to, strerror(-rc));
		free(uri);
		return rc;
	}
	close(fd);
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc != SQLITE_OK)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot write '%s': %s", to,
			       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	rc = sarfs_sqlite_errno(rc);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(uri);
	if (rc) {
		unlink(to);
		return rc;
	}
	fd = open(to, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot write '%s': %s", to, strerror(-rc));
		unlink(to);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int sarfs_index_set_meta(struct sarfs_index_writer *w, const char *key, const char *value)
{
	sqlite3_bind_text(w->set_meta, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->set_meta, 2, value, -1, SQLITE_STATIC);
	return sarfs_sql_run(w->set_meta);
}

int sarfs_index_add_source_file(struct sarfs_index_writer *w, const char *path,
				size_t path_len, uint64_t size,
				const uint8_t sha[SARFS_SHA256_LEN], int64_t *id)
{
	int rc;

	sqlite3_bind_blob(w->add_src, 1, path, (int)path_len, SQLITE_STATIC);
	sqlite3_bind_int64(w->add_src, 2, (sqlite3_int64)size);
	sqlite3_bind_blob(w->add_src, 3, sha, SARFS_SHA256_LEN, SQLITE_STATIC);
	rc = sarfs_sql_run(w->add_src);
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(w->db);
	return rc;
}

int sarfs_index_add_problems(struct sarfs_index_writer *w, const struct sarfs_diag *d)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < d->n && !rc; i++) {
		const struct sarfs_diag_msg *m = &d->msg[i];

		sqlite3_bind_int(w->add_problem, 1, (int)m->severity);
		sqlite3_bind_text(w->add_problem, 2, m->file, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->add_problem, 3, m->line);
		sqlite3_bind_int64(w->add_problem, 4, m->col);
		sqlite3_bind_text(w->add_problem, 5, m->text, -1, SQLITE_STATIC);
		rc = sarfs_sql_run(w->add_problem);
	}
	return rc;
}

int sarfs_index_writer_commit(struct sarfs_index_writer *w, struct sarfs_diag *d)
{
	int rc, fd;

	rc = sarfs_sqlite_errno(sqlite3_exec(w->db, schema_indexes, NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_index_set_meta(w, "complete", "1");
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL));
	if (rc) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot write index '%s': %s", w->path,
			       sqlite3_errmsg(w->db));
		sarfs_index_writer_abort(w);
		return rc;
	}
	/* Close before syncing so every page is in the file. */
	finalize_all(w);
	rc = sarfs_sqlite_errno(sqlite3_close(w->db));
	w->db = NULL;
	fd = open(w->path, O_RDONLY | O_CLOEXEC);
	if (!rc && (fd < 0 || fsync(fd) != 0))
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot write index '%s': %s", w->path,
			       strerror(-rc));
		sarfs_index_writer_abort(w);
		return rc;
	}
	writer_free(w);
	return 0;
}
