/*
 * diff.c - comparing two indexes (diff.h).
 *
 * Both trees are walked into a scratch SQLite database on disk (so a
 * comparison of two exports of a million files each stays within a few
 * megabytes of memory), matched there by identity, then by path for
 * files that have no key on one side (an index built with a profile that
 * had no keys yet), and read back sorted. Unified diffs come from libgit2,
 * which writes the format everyone's tools read; it is not a place where
 * sarfs should have its own opinion.
 *
 * This module is not the changes/ folder of a mount (compare.c builds that
 * from what is here), nor the `sarfs diff` command (main.c).
 */
#include "sarfs/diff.h"

#include "sarfs/names.h"

#include <errno.h>
#include <git2.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading ---------------------------------------------------------- */

static const char scratch_schema[] =
	"PRAGMA journal_mode = OFF;\n"
	"PRAGMA synchronous = OFF;\n"
	"PRAGMA cache_size = -16384;\n"
	/* every file of both trees; ident is 'k' || key, or 'p' || path */
	"CREATE TABLE f(side INTEGER NOT NULL, ident TEXT NOT NULL, path TEXT NOT NULL,\n"
	"  key TEXT, sha BLOB NOT NULL, size INTEGER NOT NULL, node INTEGER NOT NULL);\n"
	/* matched pairs: rowids of f */
	"CREATE TABLE m(ra INTEGER PRIMARY KEY, rb INTEGER NOT NULL UNIQUE);\n";

struct loader {
	struct sarfs_index *idx;
	sqlite3_stmt *ins;
	int side;
};

static int load_one(void *ctx, const struct sarfs_node *n, const char *path, size_t len)
{
	struct loader *l = ctx;
	uint8_t sha[SARFS_SHA256_LEN];
	char *key = NULL, *ident = NULL;
	int rc;

	if (n->dir)
		return 0;
	/* the volatile facts, shown in the header instead */
	if (len == 10 && memcmp(path, "README.txt", 10) == 0)
		return 0;
	rc = sarfs_index_identity(l->idx, n, sha, &key);
	if (rc)
		return rc == -ENOENT ? -EIO : rc;
	if (key ? asprintf(&ident, "k%s", key) < 0 : asprintf(&ident, "p%.*s", (int)len, path) < 0) {
		free(key);
		return -ENOMEM;
	}
	sqlite3_bind_int(l->ins, 1, l->side);
	sqlite3_bind_text(l->ins, 2, ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(l->ins, 3, path, (int)len, SQLITE_STATIC);
	if (key)
		sqlite3_bind_text(l->ins, 4, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(l->ins, 4);
	sqlite3_bind_blob(l->ins, 5, sha, sizeof(sha), SQLITE_STATIC);
	sqlite3_bind_int64(l->ins, 6, (sqlite3_int64)n->size);
	sqlite3_bind_int64(l->ins, 7, (sqlite3_int64)n->id);
	rc = sarfs_sql_run(l->ins);
	free(key);
	free(ident);
	return rc;
}

static int load(sqlite3 *db, struct sarfs_index *idx, int side, struct sarfs_diag *d)
{
	struct loader l = { idx, NULL, side };
	struct sarfs_node root;
	uint64_t bad = 0;
	int rc;

	rc = sarfs_index_node(idx, SARFS_ROOT_ID, &root);
	if (!rc)
		rc = sarfs_sql_prepare(db, "INSERT INTO f VALUES (?, ?, ?, ?, ?, ?, ?)", &l.ins);
	if (!rc)
		rc = sarfs_index_walk(idx, &root, load_one, &l, &bad);
	sqlite3_finalize(l.ins);
	if (rc == -EIO)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "the %s index is damaged (node %llu); not compared",
			       side ? "second" : "first", (unsigned long long)bad);
	return rc;
}

/* ---- the export's facts ----------------------------------------------- */

/* A fact of the index, shown as text and in JSON: an index is data from
 * elsewhere (a source's name need not be UTF-8), so anything that could
 * harm a terminal or is not UTF-8 is escaped. */
static char *meta(struct sarfs_index *idx, const char *key)
{
	char *v = sarfs_index_meta(idx, key), *p;

	if (!v)
		return strdup("");
	/* the subject is lines of text; the others are one line each */
	if (strcmp(key, "subject") == 0 && sarfs_utf8_valid(v, strlen(v)))
		return v;
	p = sarfs_text_printable(v, strlen(v));
	free(v);
	return p;
}

static int load_export(struct sarfs_index *idx, struct sarfs_diff_export *e)
{
	e->source = meta(idx, "source");
	e->kind = meta(idx, "source_kind");
	e->sha256 = meta(idx, "source_sha256");
	e->asof = meta(idx, "asof");
	e->profile = meta(idx, "profile");
	e->subject = meta(idx, "subject");
	if (e->subject) {
		/* README.txt's indentation is not part of it: one line each */
		char *r = e->subject, *w = e->subject;

		while (*r) {
			*w++ = *r;
			if (*r++ == '\n')
				while (*r == ' ')
					r++;
		}
		*w = '\0';
	}
	return e->source && e->kind && e->sha256 && e->asof && e->profile && e->subject ? 0 :
	       -ENOMEM;
}

static void free_export(struct sarfs_diff_export *e)
{
	free(e->source);
	free(e->kind);
	free(e->sha256);
	free(e->asof);
	free(e->profile);
	free(e->subject);
}

/* Whether two subject descriptions (one "course: forum user N, ..." a
 * line) have a line in common: the same account seen in both. */
static int share_a_line(const char *x, const char *y)
{
	const char *p = x;

	while (*p) {
		const char *e = strchr(p, '\n'), *q = y;
		size_t n;

		e = e ? e : p + strlen(p);
		while (*p == ' ')
			p++;
		n = (size_t)(e - p);
		while (n && *q) {
			const char *f = strchr(q, '\n');

			f = f ? f : q + strlen(q);
			while (*q == ' ')
				q++;
			if ((size_t)(f - q) == n && memcmp(p, q, n) == 0)
				return 1;
			q = *f ? f + 1 : f;
		}
		p = *e ? e + 1 : e;
	}
	return 0;
}

static int make_notes(struct sarfs_diff *df)
{
	int k = 0;

	if (strcmp(df->a.profile, df->b.profile) != 0) {
		if (asprintf(&df->notes[k++],
			     "the exports were read with different profiles (%s and %s): they may "
			     "come from different platforms; compared anyway",
			     df->a.profile, df->b.profile) < 0)
			return -ENOMEM;
	} else if (df->a.subject[0] && df->b.subject[0] &&
		   !share_a_line(df->a.subject, df->b.subject)) {
		if (asprintf(&df->notes[k++],
			     "the exports seem to be of different accounts (see the subjects "
			     "above); compared anyway") < 0)
			return -ENOMEM;
	}
	if (df->a.asof[0] && df->b.asof[0] && strcmp(df->b.asof, df->a.asof) < 0) {
		if (asprintf(&df->notes[k++],
			     "the second export is older than the first: what it lacks is shown "
			     "as removed") < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- files ------------------------------------------------------------ */

/* Where a change is counted: the top folder ("posts"), the folder of a
 * generic record ("records/posts/posts.jsonl"), or "(top level)". */
static char *folder_of(const char *path)
{
	const char *slash = strchr(path, '/'), *last = strrchr(path, '/');

	if (!slash)
		return strdup("(top level)");
	if ((size_t)(slash - path) == 7 && memcmp(path, "records", 7) == 0)
		return strndup(path, (size_t)(last - path));
	return strndup(path, (size_t)(slash - path));
}

static int read_side(sqlite3_stmt *st, int col, struct sarfs_diff_side *s)
{
	const void *sha = sqlite3_column_blob(st, col + 1);

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	s->path = strdup((const char *)sqlite3_column_text(st, col));
	if (!s->path)
		return -ENOMEM;
	if (sha && sqlite3_column_bytes(st, col + 1) == SARFS_SHA256_LEN)
		memcpy(s->sha, sha, SARFS_SHA256_LEN);
	s->size = (uint64_t)sqlite3_column_int64(st, col + 2);
	s->node = (uint64_t)sqlite3_column_int64(st, col + 3);
	return 0;
}

static const char *primary(const struct sarfs_diff_file *f)
{
	return f->b.path ? f->b.path : f->a.path;
}

static int cmp_file(const void *x, const void *y)
{
	const struct sarfs_diff_file *p = x, *q = y;
	int c = strcmp(p->folder, q->folder);

	if (!c)
		c = strcmp(primary(p), primary(q));
	if (!c)
		c = strcmp(p->a.path ? p->a.path : "", q->a.path ? q->a.path : "");
	return c;
}

/* The changed, removed and added files, each as (a side, b side): path,
 * sha, size, node for each, NULL where absent. */
static const char changes_sql[] =
	"SELECT a.path, a.sha, a.size, a.node, b.path, b.sha, b.size, b.node"
	" FROM m JOIN f a ON a.rowid = m.ra JOIN f b ON b.rowid = m.rb"
	" WHERE a.sha != b.sha OR a.path != b.path"
	" UNION ALL"
	" SELECT path, sha, size, node, NULL, NULL, NULL, NULL FROM f"
	" WHERE side = 0 AND rowid NOT IN (SELECT ra FROM m)"
	" UNION ALL"
	" SELECT NULL, NULL, NULL, NULL, path, sha, size, node FROM f"
	" WHERE side = 1 AND rowid NOT IN (SELECT rb FROM m)";

static int collect_files(sqlite3 *db, struct sarfs_diff *df)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, s;

	rc = sarfs_sql_prepare(db, changes_sql, &st);
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		struct sarfs_diff_file *f;

		if (df->nfiles == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct sarfs_diff_file *v = realloc(df->files, nc * sizeof(*v));

			if (!v) {
				rc = -ENOMEM;
				break;
			}
			df->files = v;
			cap = nc;
		}
		f = &df->files[df->nfiles++];
		memset(f, 0, sizeof(*f));
		rc = read_side(st, 0, &f->a);
		rc = rc ? rc : read_side(st, 4, &f->b);
		if (rc)
			break;
		if (!f->a.path)
			f->change = SARFS_ADDED;
		else if (!f->b.path)
			f->change = SARFS_REMOVED;
		else if (memcmp(f->a.sha, f->b.sha, SARFS_SHA256_LEN) == 0)
			f->change = SARFS_RENAMED;
		else
			f->change = SARFS_CHANGED;
		f->folder = folder_of(primary(f));
		if (!f->folder)
			rc = -ENOMEM;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sarfs_sqlite_errno(s);
	sqlite3_finalize(st);
	if (!rc && df->nfiles)
		qsort(df->files, df->nfiles, sizeof(*df->files), cmp_file);
	return rc;
}

static int match(sqlite3 *db, struct sarfs_diff *df)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sarfs_sqlite_errno(sqlite3_exec(db,
		/* a key given to two files of one tree identifies neither:
		 * they are matched by path */
		"CREATE INDEX f_key ON f(side, key);\n"
		"UPDATE f SET ident = 'p' || path WHERE key IS NOT NULL AND EXISTS"
		" (SELECT 1 FROM f g WHERE g.side = f.side AND g.key = f.key AND g.rowid != f.rowid);\n"
		"CREATE INDEX f_ident ON f(side, ident);\n"
		"CREATE INDEX f_path ON f(side, path);\n"
		"INSERT INTO m SELECT a.rowid, b.rowid FROM f a JOIN f b"
		" ON b.side = 1 AND b.ident = a.ident WHERE a.side = 0;\n"
		/* then by path, where one side has no key (an index built
		 * before the profile gave keys) or a key that identifies
		 * nothing (given twice in its tree) */
		"INSERT OR IGNORE INTO m SELECT a.rowid, b.rowid FROM f a JOIN f b"
		" ON b.side = 1 AND b.path = a.path WHERE a.side = 0"
		" AND (a.key IS NULL OR b.key IS NULL"
		"  OR substr(a.ident, 1, 1) = 'p' OR substr(b.ident, 1, 1) = 'p')"
		" AND a.rowid NOT IN (SELECT ra FROM m) AND b.rowid NOT IN (SELECT rb FROM m);\n",
		NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_sql_prepare(db, "SELECT count(*) FROM m JOIN f a ON a.rowid = m.ra"
				       " JOIN f b ON b.rowid = m.rb"
				       " WHERE a.sha = b.sha AND a.path = b.path", &st);
	if (!rc && sqlite3_step(st) == SQLITE_ROW)
		df->unchanged = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* ---- gaps ------------------------------------------------------------- */

struct gap_row {
	char *id, *path, *title, *law, *said, *status;
};

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return strdup(t ? (const char *)t : "");
}

static void free_gap_rows(struct gap_row *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].id);
		free(g[i].path);
		free(g[i].title);
		free(g[i].law);
		free(g[i].said);
		free(g[i].status);
	}
	free(g);
}

static int load_gaps(struct sarfs_index *idx, struct gap_row **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct gap_row *g = NULL;
	size_t cap = 0;
	int rc, s;

	*out = NULL;
	*n = 0;
	rc = sarfs_sql_prepare(sarfs_index_db(idx),
			       "SELECT id, path, title, law, said, status FROM gap ORDER BY path, id",
			       &st);
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 32;
			struct gap_row *v = realloc(g, nc * sizeof(*v));

			if (!v) {
				rc = -ENOMEM;
				break;
			}
			g = v;
			cap = nc;
		}
		g[*n] = (struct gap_row){ col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
					  col(st, 5) };
		(*n)++;
		if (!g[*n - 1].id || !g[*n - 1].path || !g[*n - 1].title || !g[*n - 1].law ||
		    !g[*n - 1].said || !g[*n - 1].status)
			rc = -ENOMEM;
	}
	if (!rc && s != SQLITE_DONE)
		rc = sarfs_sqlite_errno(s);
	sqlite3_finalize(st);
	if (rc) {
		free_gap_rows(g, *n);
		*n = 0;
		return rc;
	}
	*out = g;
	return 0;
}

static int add_gap(struct sarfs_diff *df, size_t *cap, enum sarfs_gap_change c,
		   const struct gap_row *x, const struct gap_row *y)
{
	const struct gap_row *any = x ? x : y;
	struct sarfs_diff_gap *g;

	if (df->ngaps == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct sarfs_diff_gap *v = realloc(df->gaps, nc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		df->gaps = v;
		*cap = nc;
	}
	g = &df->gaps[df->ngaps++];
	memset(g, 0, sizeof(*g));
	g->change = c;
	g->id = strdup(any->id);
	g->path = strdup(any->path);
	g->title = strdup((y ? y : x)->title);
	g->law = strdup((y ? y : x)->law);
	if (x) {
		g->status_a = strdup(x->status);
		g->said_a = strdup(x->said);
	}
	if (y) {
		g->status_b = strdup(y->status);
		g->said_b = strdup(y->said);
	}
	if (!g->id || !g->path || !g->title || !g->law || (x && (!g->status_a || !g->said_a)) ||
	    (y && (!g->status_b || !g->said_b)))
		return -ENOMEM;
	return 0;
}

static int cmp_gap_row(const struct gap_row *x, const struct gap_row *y)
{
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->id, y->id);
}

static int gap_order(const struct sarfs_diff_gap *g)
{
	return g->change == SARFS_GAP_CLOSED ? 0 : g->change == SARFS_GAP_OPENED ? 1 : 2;
}

static int cmp_gap(const void *x, const void *y)
{
	const struct sarfs_diff_gap *p = x, *q = y;
	int c = gap_order(p) - gap_order(q);

	if (!c)
		c = strcmp(p->path, q->path);
	return c ? c : strcmp(p->id, q->id);
}

static int compare_gaps(struct sarfs_index *a, struct sarfs_index *b, struct sarfs_diff *df)
{
	struct gap_row *ga = NULL, *gb = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0, cap = 0;
	int rc;

	rc = load_gaps(a, &ga, &na);
	rc = rc ? rc : load_gaps(b, &gb, &nb);
	/* both sorted by (path, id), as SQLite compares text: byte order */
	while (!rc && (i < na || j < nb)) {
		int c = i == na ? 1 : j == nb ? -1 : cmp_gap_row(&ga[i], &gb[j]);

		if (c < 0) {
			rc = add_gap(df, &cap, SARFS_GAP_CLOSED, &ga[i++], NULL);
		} else if (c > 0) {
			rc = add_gap(df, &cap, SARFS_GAP_OPENED, NULL, &gb[j++]);
		} else {
			/* what the controller said is the user's record, not the
			 * export's: when only that differs, the missing.txt
			 * shows it among the files */
			if (strcmp(ga[i].status, gb[j].status) != 0)
				rc = add_gap(df, &cap, SARFS_GAP_CHANGED, &ga[i], &gb[j]);
			i++;
			j++;
		}
	}
	free_gap_rows(ga, na);
	free_gap_rows(gb, nb);
	if (!rc && df->ngaps)
		qsort(df->gaps, df->ngaps, sizeof(*df->gaps), cmp_gap);
	return rc;
}

/* ---- the comparison --------------------------------------------------- */

int sarfs_diff_compute(struct sarfs_index *a, struct sarfs_index *b, struct sarfs_diff **out,
		       struct sarfs_diag *d)
{
	struct sarfs_diff *df = calloc(1, sizeof(*df));
	sqlite3 *db = NULL;
	size_t said = sarfs_diag_count(d, SARFS_ERROR);
	int rc;

	if (!df)
		return -ENOMEM;
	git_libgit2_init();
	rc = load_export(a, &df->a);
	rc = rc ? rc : load_export(b, &df->b);
	rc = rc ? rc : make_notes(df);
	/* "": a temporary database on disk, deleted when closed */
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_open_v2("", &db, SQLITE_OPEN_READWRITE |
								 SQLITE_OPEN_CREATE, NULL));
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(db, scratch_schema, NULL, NULL, NULL));
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL));
	rc = rc ? rc : load(db, a, 0, d);
	rc = rc ? rc : load(db, b, 1, d);
	rc = rc ? rc : match(db, df);
	rc = rc ? rc : collect_files(db, df);
	rc = rc ? rc : compare_gaps(a, b, df);
	/* load() names a damaged node itself; anything else is said here */
	if (rc && sarfs_diag_count(d, SARFS_ERROR) == said)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot compare: %s",
			       db && rc != -ENOMEM && sqlite3_errcode(db) != SQLITE_OK &&
			       sqlite3_errcode(db) != SQLITE_DONE && sqlite3_errcode(db) != SQLITE_ROW ?
			       sqlite3_errmsg(db) : strerror(-rc));
	sqlite3_close(db);
	if (rc) {
		sarfs_diff_free(df);
		return rc;
	}
	*out = df;
	return 0;
}

void sarfs_diff_free(struct sarfs_diff *df)
{
	size_t i;

	if (!df)
		return;
	for (i = 0; i < df->nfiles; i++) {
		free(df->files[i].folder);
		free(df->files[i].a.path);
		free(df->files[i].b.path);
	}
	free(df->files);
	for (i = 0; i < df->ngaps; i++) {
		struct sarfs_diff_gap *g = &df->gaps[i];

		free(g->id);
		free(g->path);
		free(g->title);
		free(g->law);
		free(g->status_a);
		free(g->said_a);
		free(g->status_b);
		free(g->said_b);
	}
	free(df->gaps);
	free_export(&df->a);
	free_export(&df->b);
	free(df->notes[0]);
	free(df->notes[1]);
	free(df);
	git_libgit2_shutdown();
}

int sarfs_diff_any(const struct sarfs_diff *df)
{
	return df->nfiles || df->ngaps;
}

const char *sarfs_change_name(enum sarfs_change c)
{
	static const char *const names[] = { "added", "removed", "changed", "renamed" };

	return names[c];
}

const char *sarfs_gap_change_name(enum sarfs_gap_change c)
{
	static const char *const names[] = { "opened", "closed", "changed" };

	return names[c];
}

/* ---- the summary ------------------------------------------------------ */

static int put_export(struct sarfs_buf *out, const char *label, const struct sarfs_diff_export *e)
{
	int rc = 0;

	rc |= sarfs_buf_printf(out, "%-7s %s (%s)\n", label, e->source, e->kind);
	rc |= sarfs_buf_printf(out, "        SHA-256 %s\n", e->sha256);
	rc |= sarfs_buf_printf(out, "        as of %s, read with the profile %s\n", e->asof,
			       e->profile);
	if (e->subject[0]) {
		/* one line of the subject a line, aligned under the first */
		const char *p = e->subject;

		rc |= sarfs_buf_adds(out, "        whose: ");
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			rc |= sarfs_buf_add(out, p, n);
			rc |= sarfs_buf_adds(out, "\n");
			if (!nl)
				break;
			p = nl + 1;
			while (*p == ' ')
				p++;
			rc |= sarfs_buf_adds(out, "               ");
		}
	}
	return rc;
}

/* The date part of an ISO 8601 time, for the title. */
static int put_date(struct sarfs_buf *out, const char *asof)
{
	const char *t = strchr(asof, 'T');

	return t ? sarfs_buf_add(out, asof, (size_t)(t - asof)) : sarfs_buf_adds(out, asof);
}

int sarfs_diff_summary(const struct sarfs_diff *df, struct sarfs_buf *out)
{
	uint64_t tot[4] = { 0, 0, 0, 0 };
	size_t i, j;
	int rc = 0, k;

	rc |= sarfs_buf_adds(out, "Changes from the export as of ");
	rc |= put_date(out, df->a.asof);
	rc |= sarfs_buf_adds(out, " to the export as of ");
	rc |= put_date(out, df->b.asof);
	rc |= sarfs_buf_adds(out, "\n\n");
	rc |= put_export(out, "From:", &df->a);
	rc |= put_export(out, "To:", &df->b);
	for (k = 0; k < 2; k++)
		if (df->notes[k])
			rc |= sarfs_buf_printf(out, "Note:   %s\n", df->notes[k]);
	rc |= sarfs_buf_adds(out, "\n");
	if (!sarfs_diff_any(df)) {
		rc |= sarfs_buf_printf(out, "No differences: the %llu files are the same, and so "
				       "are the gaps.\n", (unsigned long long)df->unchanged);
		return rc ? -ENOMEM : 0;
	}

	rc |= sarfs_buf_printf(out, "Files, by folder:\n  %-40s %7s %7s %7s %7s\n", "folder",
			       "added", "removed", "changed", "renamed");
	for (i = 0; i < df->nfiles; i = j) {
		uint64_t c[4] = { 0, 0, 0, 0 };

		for (j = i; j < df->nfiles && strcmp(df->files[j].folder, df->files[i].folder) == 0;
		     j++)
			c[df->files[j].change]++;
		rc |= sarfs_buf_printf(out, "  %-40s %7llu %7llu %7llu %7llu\n", df->files[i].folder,
				       (unsigned long long)c[0], (unsigned long long)c[1],
				       (unsigned long long)c[2], (unsigned long long)c[3]);
		for (k = 0; k < 4; k++)
			tot[k] += c[k];
	}
	rc |= sarfs_buf_printf(out, "  %-40s %7llu %7llu %7llu %7llu\n", "total",
			       (unsigned long long)tot[0], (unsigned long long)tot[1],
			       (unsigned long long)tot[2], (unsigned long long)tot[3]);
	rc |= sarfs_buf_printf(out, "  and %llu file%s the same in both.\n\n",
			       (unsigned long long)df->unchanged, df->unchanged == 1 ? "" : "s");

	rc |= sarfs_buf_adds(out, "Gaps (what the export owes and does not give):\n");
	if (!df->ngaps)
		rc |= sarfs_buf_adds(out, "  none opened or closed\n");
	for (i = 0; i < df->ngaps; i++) {
		const struct sarfs_diff_gap *g = &df->gaps[i];

		rc |= sarfs_buf_printf(out, "  %-8s %s\n           %s (%s)\n",
				       sarfs_gap_change_name(g->change), g->path, g->title, g->law);
		if (g->change == SARFS_GAP_CLOSED)
			rc |= sarfs_buf_adds(out, "           the second export no longer lacks it\n");
		else if (g->change == SARFS_GAP_OPENED)
			rc |= sarfs_buf_adds(out, "           the second export lacks it; the first "
						  "did not\n");
		else
			rc |= sarfs_buf_printf(out, "           was %s%s%s, now %s%s%s\n", g->status_a,
					       g->said_a[0] ? ": " : "", g->said_a, g->status_b,
					       g->said_b[0] ? ": " : "", g->said_b);
	}

	rc |= sarfs_buf_adds(out, "\nFiles:\n");
	for (i = 0; i < df->nfiles; i++) {
		const struct sarfs_diff_file *f = &df->files[i];

		rc |= sarfs_buf_printf(out, "  %-8s %s\n", sarfs_change_name(f->change), primary(f));
		if (f->a.path && f->b.path && strcmp(f->a.path, f->b.path) != 0)
			rc |= sarfs_buf_printf(out, "           (was %s)\n", f->a.path);
	}
	return rc ? -ENOMEM : 0;
}

/* ---- patches ---------------------------------------------------------- */

static void hex(const uint8_t *h, char out[2 * SARFS_SHA256_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SARFS_SHA256_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * SARFS_SHA256_LEN] = '\0';
}

static int read_all(struct sarfs_index *idx, const struct sarfs_diff_side *s, char **out)
{
	struct sarfs_node n;
	size_t got = 0;
	char *p;
	int rc;

	rc = sarfs_index_node(idx, s->node, &n);
	if (rc)
		return rc == -ENOENT ? -EIO : rc;
	p = malloc(n.size ? n.size : 1);
	if (!p)
		return -ENOMEM;
	rc = n.size ? sarfs_index_read(idx, &n, 0, n.size, p, &got) : 0;
	if (!rc && got != n.size)
		rc = -EIO;
	if (rc) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int sarfs_diff_patch(struct sarfs_index *a, struct sarfs_index *b,
		     const struct sarfs_diff_file *f, struct sarfs_buf *out)
{
	const char *pa = f->a.path ? f->a.path : f->b.path, *pb = f->b.path ? f->b.path : f->a.path;
	git_diff_options opts;
	git_patch *patch = NULL;
	git_buf gb = { NULL, 0, 0 };
	char *x = NULL, *y = NULL, ha[65], hb[65];
	int rc = 0;

	if (f->change == SARFS_RENAMED)
		return sarfs_buf_printf(out, "diff --git a/%s b/%s\nsimilarity index 100%%\n"
					"rename from %s\nrename to %s\n", pa, pb, pa, pb);
	if (f->a.size > SARFS_DIFF_MAX_TEXT || f->b.size > SARFS_DIFF_MAX_TEXT) {
		hex(f->a.sha, ha);
		hex(f->b.sha, hb);
		rc |= sarfs_buf_printf(out, "diff --git a/%s b/%s\n", pa, pb);
		rc |= sarfs_buf_printf(out, "Files a/%s and b/%s differ, too large to show here: ",
				       pa, pb);
		if (f->a.path)
			rc |= sarfs_buf_printf(out, "%llu bytes, SHA-256 %s",
					       (unsigned long long)f->a.size, ha);
		else
			rc |= sarfs_buf_adds(out, "absent");
		rc |= sarfs_buf_adds(out, " -> ");
		if (f->b.path)
			rc |= sarfs_buf_printf(out, "%llu bytes, SHA-256 %s\n",
					       (unsigned long long)f->b.size, hb);
		else
			rc |= sarfs_buf_adds(out, "absent\n");
		return rc ? -ENOMEM : 0;
	}
	if (f->a.path)
		rc = read_all(a, &f->a, &x);
	if (!rc && f->b.path)
		rc = read_all(b, &f->b, &y);
	if (!rc && git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) != 0)
		rc = -ENOMEM;
	if (!rc) {
		/* a NULL buffer is "no such file": git's "new file" and
		 * "deleted file" forms */
		if (git_patch_from_buffers(&patch, x, x ? f->a.size : 0, pa, y, y ? f->b.size : 0,
					   pb, &opts) != 0 ||
		    git_patch_to_buf(&gb, patch) != 0)
			rc = -ENOMEM;
	}
	if (!rc)
		rc = sarfs_buf_add(out, gb.ptr ? gb.ptr : "", gb.size);
	git_buf_dispose(&gb);
	git_patch_free(patch);
	free(x);
	free(y);
	return rc;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *export_json(const struct sarfs_diff_export *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "source", e->source, "kind", e->kind,
			 "sha256", e->sha256, "asof", e->asof, "profile", e->profile, "subject",
			 e->subject);
}

static json_t *side_json(const struct sarfs_diff_side *s)
{
	char h[65];

	if (!s->path)
		return json_null();
	hex(s->sha, h);
	return json_pack("{s:s, s:I, s:s}", "path", s->path, "size", (json_int_t)s->size,
			 "sha256", h);
}

static json_t *base64(const char *p, size_t n)
{
	unsigned char *out = malloc(4 * ((n + 2) / 3) + 1);
	json_t *j;

	if (!out)
		return NULL;
	EVP_EncodeBlock(out, (const unsigned char *)p, (int)n);
	j = json_string((const char *)out);
	free(out);
	return j;
}

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *sarfs_diff_json(struct sarfs_index *a, struct sarfs_index *b,
			const struct sarfs_diff *df, int patches)
{
	json_t *j, *files, *gaps, *folders, *notes;
	struct sarfs_buf p = SARFS_BUF_INIT;
	size_t i;
	int k, bad = 0;

	files = json_array();
	gaps = json_array();
	folders = json_object();
	notes = json_array();
	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:o}", "from", export_json(&df->a), "to",
		      export_json(&df->b), "notes", notes, "folders", folders, "gaps", gaps,
		      "unchanged", (json_int_t)df->unchanged, "files", files);
	if (!j)
		return NULL;
	for (k = 0; k < 2; k++)
		if (df->notes[k])
			bad |= json_array_append_new(notes, json_string(df->notes[k]));
	for (i = 0; i < df->nfiles && !bad; i++) {
		const struct sarfs_diff_file *f = &df->files[i];
		json_t *fo = json_object_get(folders, f->folder), *x;

		if (!fo) {
			fo = json_pack("{s:i, s:i, s:i, s:i}", "added", 0, "removed", 0, "changed", 0,
				       "renamed", 0);
			bad |= json_object_set_new(folders, f->folder, fo);
		}
		x = json_object_get(fo, sarfs_change_name(f->change));
		bad |= !x || json_integer_set(x, json_integer_value(x) + 1);
		x = json_pack("{s:s, s:s, s:o, s:o}", "change", sarfs_change_name(f->change),
			      "folder", f->folder, "from", side_json(&f->a), "to", side_json(&f->b));
		if (x && patches) {
			sarfs_buf_reset(&p);
			if (sarfs_diff_patch(a, b, f, &p) != 0)
				bad = 1;
			else if (sarfs_utf8_valid(p.data ? p.data : "", p.len))
				bad |= json_object_set_new(x, "patch", json_stringn(p.data ? p.data : "",
										    p.len));
			else	/* a JSON string is text: bytes that are not go as they are */
				bad |= json_object_set_new(x, "patch_base64", base64(p.data, p.len));
		}
		bad |= !x || json_array_append_new(files, x);
	}
	for (i = 0; i < df->ngaps && !bad; i++) {
		const struct sarfs_diff_gap *g = &df->gaps[i];
		json_t *x = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:o, s:o}, s:{s:o, s:o}}",
				      "change", sarfs_gap_change_name(g->change), "id", g->id, "path",
				      g->path, "title", g->title, "law", g->law,
				      "from", "status", opt_string(g->status_a), "said",
				      opt_string(g->said_a),
				      "to", "status", opt_string(g->status_b), "said",
				      opt_string(g->said_b));

		bad |= !x || json_array_append_new(gaps, x);
	}
	sarfs_buf_destroy(&p);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}
