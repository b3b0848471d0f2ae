/*
 * share.c - sarfs share and sarfs verify (share.h).
 *
 * What this is: a copy of a finished tree through a view, into a new
 * index, and a comparison of two indexes. What it is not: a second
 * pipeline. The full tree is built by build.c as for any mount (the view
 * only collects field values on the way); the profile's SQL sees the
 * export unredacted, so it still knows whose data is whose.
 *
 * Why a full tree first, and not redaction inside the build: placeholders
 * are numbered in path order of the finished tree, so that they do not
 * depend on the order of an archive's members; a value found in a field
 * of one file must be redacted in raw copies stored before that file was
 * read; and a profile needs the real ids to tell the subject's rows from
 * others'. The full tree lives in the private cache folder (0700, where
 * the user's full indexes already are) and is deleted; the share file
 * itself is new and never holds a redacted byte.
 */
#include "sarfs/share.h"

#include "config.h"
#include "sarfs/cache.h"
#include "sarfs/hash.h"
#include "sarfs/index.h"
#include "sarfs/json.h"
#include "sarfs/names.h"
#include "sarfs/profile.h"
#include "sarfs/timefmt.h"
#include "sarfs/tree.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RECORD_FILE (64u << 20)	/* rendered records are read whole */

/* marks of the full tree's nodes */
#define M_NONE 0
#define M_SHOW 1	/* a file shown, or a folder with one below it */
#define M_HOLD 2	/* a binary file withheld, or a folder with only such below */

struct mentry {
	char *path;
	char hex[SARFS_SHA256_HEX];
};

struct share {
	struct sarfs_view *v;
	struct sarfs_diag *d;
	struct sarfs_index *full;	/* borrowed */
	sqlite3_stmt *node_q, *src_q;
	struct sarfs_index_writer *w;
	struct sarfs_tree *tree;
	const char *raw_dir, *records_dir;
	unsigned char *mark;
	uint64_t nnodes;
	int64_t *srcmap;		/* full source_file id -> share id */
	size_t nsrc;
	struct mentry *man;
	size_t nman, mancap;
	struct sarfs_buf readme;	/* the full tree's README.txt, redacted */
	int have_readme;
	struct sarfs_buf altered, withheld;	/* README.txt lines */
	uint64_t altered_other;
	char *buf;			/* SARFS_CHUNK */
	struct sarfs_share_stats st;
	int64_t asof;
};

/* ---- small helpers ---------------------------------------------------------- */

static int path_join(struct sarfs_buf *b, const char *dir, const char *name)
{
	sarfs_buf_reset(b);
	if (dir[0] && (sarfs_buf_adds(b, dir) || sarfs_buf_addc(b, '/')))
		return -ENOMEM;
	return sarfs_buf_adds(b, name);
}

static int manifest_add(struct share *sh, const char *path, const uint8_t sha[SARFS_SHA256_LEN])
{
	if (sh->nman == sh->mancap) {
		size_t cap = sh->mancap ? 2 * sh->mancap : 256;
		struct mentry *m = realloc(sh->man, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		sh->man = m;
		sh->mancap = cap;
	}
	sh->man[sh->nman].path = strdup(path);
	if (!sh->man[sh->nman].path)
		return -ENOMEM;
	sarfs_hex(sha, SARFS_SHA256_LEN, sh->man[sh->nman].hex);
	sh->nman++;
	return 0;
}

static int mentry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mentry *)a)->path, ((const struct mentry *)b)->path);
}

/* Redacted text as a new string (NUL-terminated; text may hold NULs). */
static char *redacted(struct share *sh, const char *p, size_t n, int *rc)
{
	struct sarfs_buf b = SARFS_BUF_INIT;

	*rc = sarfs_view_redact(sh->v, p, n, &b, NULL);
	if (!*rc && !b.data && sarfs_buf_adds(&b, ""))
		*rc = -ENOMEM;
	if (*rc) {
		sarfs_buf_destroy(&b);
		return NULL;
	}
	return sarfs_buf_detach(&b);
}

/* ---- pass 1: what is shown --------------------------------------------------- */

static int is_binary(const char *p, size_t n)
{
	return memchr(p, '\0', n < 8000 ? n : 8000) != NULL;
}

static void mark_up(struct share *sh, uint64_t id, unsigned char m)
{
	struct sarfs_node n;

	while (id && id < sh->nnodes) {
		if (sh->mark[id] == M_SHOW || sh->mark[id] == m)
			return;
		sh->mark[id] = m;
		if (id == SARFS_ROOT_ID || sarfs_index_node(sh->full, id, &n) != 0)
			return;
		id = n.parent;
	}
}

static int mark_dir(struct share *sh, const struct sarfs_node *dir, struct sarfs_buf *path)
{
	size_t plen = path->len;
	uint64_t id;
	int rc = 0;

	for (id = dir->first; id < dir->first + dir->nchild && !rc; id++) {
		struct sarfs_node n;
		char *name;

		rc = sarfs_index_node(sh->full, id, &n);
		name = rc ? NULL : sarfs_index_name(sh->full, id);
		if (!rc && (!name || n.parent != dir->id || id >= sh->nnodes))
			rc = -EIO;
		path->len = plen;
		if (!rc && ((plen && sarfs_buf_addc(path, '/')) || sarfs_buf_adds(path, name)))
			rc = -ENOMEM;
		free(name);
		if (rc)
			break;
		if (n.dir) {
			rc = mark_dir(sh, &n, path);
			continue;
		}
		sh->st.files++;
		if (!sarfs_view_shows(sh->v, path->data, path->len)) {
			sh->st.excluded++;
			continue;
		}
		if (!sarfs_view_keep_binary(sh->v) && n.size) {
			size_t got = 0;

			rc = sarfs_index_read(sh->full, &n, 0, SARFS_CHUNK, sh->buf, &got);
			if (!rc && is_binary(sh->buf, got)) {
				mark_up(sh, id, M_HOLD);
				continue;
			}
		}
		mark_up(sh, id, M_SHOW);
	}
	path->len = plen;
	if (path->data)
		path->data[plen] = '\0';
	return rc;
}

/* ---- pass 2: the share ------------------------------------------------------- */

/* A share id for the full tree's source_file id, made on first use. */
static int map_src(struct share *sh, int64_t src, int64_t *out)
{
	const void *path;
	int n, rc;
	char *rp;

	*out = 0;
	if (src <= 0 || !sarfs_view_original_hashes(sh->v))
		return 0;
	if ((size_t)src >= sh->nsrc) {
		size_t cap = (size_t)src + 64;
		int64_t *m = realloc(sh->srcmap, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		memset(m + sh->nsrc, 0, (cap - sh->nsrc) * sizeof(*m));
		sh->srcmap = m;
		sh->nsrc = cap;
	}
	if (sh->srcmap[src]) {
		*out = sh->srcmap[src];
		return 0;
	}
	sqlite3_bind_int64(sh->src_q, 1, src);
	if (sqlite3_step(sh->src_q) != SQLITE_ROW ||
	    sqlite3_column_bytes(sh->src_q, 2) != SARFS_SHA256_LEN) {
		sqlite3_reset(sh->src_q);
		return 0;
	}
	path = sqlite3_column_blob(sh->src_q, 0);
	n = sqlite3_column_bytes(sh->src_q, 0);
	/* the export's own name for its file may hold a value */
	rp = redacted(sh, path ? path : "", (size_t)n, &rc);
	if (!rc)
		rc = sarfs_index_add_source_file(sh->w, rp, strlen(rp),
						 (uint64_t)sqlite3_column_int64(sh->src_q, 1),
						 sqlite3_column_blob(sh->src_q, 2), &sh->srcmap[src]);
	sqlite3_reset(sh->src_q);
	free(rp);
	*out = sh->srcmap[src];
	return rc;
}

/* Where the bytes of one file go: held, and put in the index as one blob,
 * unless they outgrow a chunk; then streamed. */
struct sink {
	struct share *sh;
	struct sarfs_buf b;
	int streaming;
};

static int sink_flush(struct sink *k, struct sarfs_buf *out)
{
	int rc = 0;

	if (!out->len)
		return 0;
	if (!k->streaming && k->b.len + out->len > SARFS_CHUNK) {
		rc = sarfs_index_stream_begin(k->sh->w);
		if (!rc && k->b.len)
			rc = sarfs_index_stream_write(k->sh->w, k->b.data, k->b.len);
		k->streaming = 1;
		sarfs_buf_reset(&k->b);
	}
	if (!rc)
		rc = k->streaming ? sarfs_index_stream_write(k->sh->w, out->data, out->len) :
				    sarfs_buf_add(&k->b, out->data, out->len);
	sarfs_buf_reset(out);
	return rc;
}

static int sink_end(struct sink *k, int64_t *blob, uint64_t *size, uint8_t sha[SARFS_SHA256_LEN])
{
	int rc;

	if (k->streaming)
		rc = sarfs_index_stream_end(k->sh->w, blob, size, sha);
	else {
		rc = sarfs_index_put(k->sh->w, k->b.data ? k->b.data : "", k->b.len, blob, sha);
		*size = k->b.len;
	}
	sarfs_buf_destroy(&k->b);
	return rc;
}

/* A rendered record, walked as JSON: 1 if it was, 0 if it is not JSON
 * (then it is redacted as text). */
static int record_json(struct share *sh, const struct sarfs_node *n, struct sarfs_buf *out,
		       uint64_t *hits, uint8_t orig[SARFS_SHA256_LEN])
{
	struct sarfs_buf in = SARFS_BUF_INIT;
	json_t *x = NULL;
	size_t got = 0;
	int rc = sarfs_buf_reserve(&in, (size_t)n->size + 1);

	if (!rc)
		rc = sarfs_index_read(sh->full, n, 0, (size_t)n->size, in.data, &got);
	if (!rc && got != n->size)
		rc = -EIO;
	if (rc)
		goto out;
	in.len = got;
	rc = sarfs_sha256(in.data, in.len, orig);
	if (rc)
		goto out;
	x = json_loadb(in.data, in.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!x) {
		rc = 0;
		goto out;
	}
	rc = sarfs_view_redact_json(sh->v, &x, hits);
	if (!rc && *hits)
		rc = sarfs_json_render(x, out);
	else if (!rc)
		rc = sarfs_buf_add(out, in.data, in.len);
	rc = rc ? rc : 1;
out:
	json_decref(x);
	sarfs_buf_destroy(&in);
	return rc;
}

/* Does the view find anything in a file's bytes? Read in windows that
 * overlap by more than the longest value and a placeholder (64 bytes):
 * a match is judged in the first window that holds it whole, and one that
 * starts in the overlap was judged in the window before. Numbers nothing.
 * 1, 0 or a negative errno. */
static int node_finds(struct sarfs_view *v, struct sarfs_index *idx, const struct sarfs_node *n,
		      char *buf)
{
	size_t ov = sarfs_view_overlap(v) + 64, got = 0;
	struct sarfs_buf w = SARFS_BUF_INIT;
	uint64_t off = 0;
	int rc = 0, first = 1;

	while (!rc && off < n->size) {
		size_t keep = w.len > ov ? ov : w.len;

		if (w.data)
			memmove(w.data, w.data + w.len - keep, keep);
		w.len = keep;
		rc = sarfs_index_read(idx, n, off, SARFS_CHUNK, buf, &got);
		if (!rc && !got)
			rc = -EIO;
		if (!rc)
			rc = sarfs_buf_add(&w, buf, got);
		off += got;
		if (!rc)
			rc = sarfs_view_finds_part(v, w.data, w.len, first ? 0 : 64, off >= n->size);
		first = 0;
	}
	sarfs_buf_destroy(&w);
	return rc;
}

static int binary_finds(struct share *sh, const struct sarfs_node *n)
{
	return node_finds(sh->v, sh->full, n, sh->buf);
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static int emit_file(struct share *sh, const struct sarfs_node *n, const char *fpath,
		     const char *opath)
{
	struct sink k = { sh, SARFS_BUF_INIT, 0 };
	struct sarfs_buf out = SARFS_BUF_INIT;
	struct sarfs_tree_file f;
	struct sarfs_sha256 h = { NULL };
	uint8_t orig[SARFS_SHA256_LEN], sha[SARFS_SHA256_LEN];
	uint64_t hits = 0, size = 0, off = 0;
	int64_t blob = 0, src = 0;
	char *origin = NULL;
	const char *o;
	int rc = 0, json = 0;
	size_t got = 0;

	if (n->size && n->size <= MAX_RECORD_FILE && under(fpath, sh->records_dir) &&
	    strlen(fpath) > 5 && strcmp(fpath + strlen(fpath) - 5, ".json") == 0) {
		rc = record_json(sh, n, &out, &hits, orig);
		json = rc == 1;
		rc = rc == 1 ? 0 : rc;
		if (!rc && json)
			rc = sink_flush(&k, &out);
	}
	if (!rc && !json) {
		struct sarfs_view_stream *s = NULL;

		if (n->size) {
			rc = sarfs_index_read(sh->full, n, 0, SARFS_CHUNK, sh->buf, &got);
			if (!rc && is_binary(sh->buf, got)) {
				/* a kept binary file goes as it is, or not at all */
				rc = binary_finds(sh, n);
				if (rc == 1) {
					rc = 0;
					goto withhold;
				}
			}
		}
		if (!rc)
			rc = sarfs_sha256_init(&h);
		if (!rc)
			rc = sarfs_view_stream_open(sh->v, &s);
		while (!rc && off < n->size) {
			rc = sarfs_index_read(sh->full, n, off, SARFS_CHUNK, sh->buf, &got);
			if (!rc && !got)
				rc = -EIO;
			if (rc)
				break;
			sarfs_sha256_update(&h, sh->buf, got);
			off += got;
			rc = sarfs_view_stream_write(s, sh->buf, got, &out);
			if (!rc)
				rc = sink_flush(&k, &out);
		}
		if (s) {
			int rc2 = sarfs_view_stream_close(s, &out, &hits);

			rc = rc ? rc : rc2;
		}
		if (!rc)
			rc = sink_flush(&k, &out);
		if (h.ctx)
			sarfs_sha256_final(&h, orig);
	}
	if (!rc)
		rc = sink_end(&k, &blob, &size, sha);
	else
		sarfs_buf_destroy(&k.b);
	if (rc)
		goto out;
	/* where it came from, as the full tree says: also redacted */
	sqlite3_bind_int64(sh->node_q, 1, (sqlite3_int64)n->id);
	if (sqlite3_step(sh->node_q) == SQLITE_ROW) {
		src = sqlite3_column_int64(sh->node_q, 0);
		o = (const char *)sqlite3_column_text(sh->node_q, 1);
		if (o)
			origin = redacted(sh, o, strlen(o), &rc);
	}
	sqlite3_reset(sh->node_q);
	if (!rc)
		rc = map_src(sh, src, &src);
	if (rc)
		goto out;
	memset(&f, 0, sizeof(f));
	f.blob = blob;
	f.size = size;
	f.mtime = n->mtime;
	f.origin = origin;
	f.src = src;
	if (hits) {
		sh->st.altered++;
		if (sarfs_view_original_hashes(sh->v))
			f.original = orig;
		if (under(fpath, sh->raw_dir)) {
			rc = sarfs_buf_printf(&sh->altered, "  %s\n", opath);
			if (!rc && sarfs_view_original_hashes(sh->v)) {
				char hex[SARFS_SHA256_HEX];

				sarfs_hex(orig, SARFS_SHA256_LEN, hex);
				rc = sarfs_buf_printf(&sh->altered, "      as the export has it: SHA-256 %s\n",
						      hex);
			}
		} else {
			sh->altered_other++;
		}
	}
	if (!rc)
		rc = sarfs_tree_add_file(sh->tree, opath, strlen(opath), &f);
	if (!rc)
		rc = manifest_add(sh, opath, sha);
	sh->st.shown++;
	goto out;
withhold:
	sarfs_buf_destroy(&k.b);
	sh->st.withheld++;
	rc = sarfs_buf_printf(&sh->withheld, "  %s (%llu bytes; binary, and the view finds a value "
			      "in its bytes)\n", opath, (unsigned long long)n->size);
out:
	sarfs_sha256_destroy(&h);
	sarfs_buf_destroy(&out);
	free(origin);
	return rc;
}

/* A name for the share: redacted, still a safe name, unique in its folder
 * (two names can redact to one: the second gets "~2", as clashes do). */
static int share_name(struct share *sh, const char *name, json_t *used, struct sarfs_buf *out)
{
	struct sarfs_buf base = SARFS_BUF_INIT, r = SARFS_BUF_INIT;
	unsigned long k;
	int rc = sarfs_view_redact(sh->v, name, strlen(name), &r, NULL);

	if (!rc && r.len && sarfs_name_is_safe(r.data, r.len))
		rc = sarfs_buf_add(&base, r.data, r.len);
	else if (!rc)
		rc = sarfs_name_sanitize(&base, r.data ? r.data : "", r.len);
	sarfs_buf_reset(out);
	if (!rc)
		rc = sarfs_buf_add(out, base.data, base.len);
	for (k = 2; !rc && json_object_getn(used, out->data, out->len); k++) {
		sarfs_buf_reset(out);
		rc = sarfs_name_suffixed(out, base.data, base.len, k);
	}
	if (!rc)
		rc = json_object_setn_new_nocheck(used, out->data, out->len, json_true()) ? -ENOMEM : 0;
	sarfs_buf_destroy(&base);
	sarfs_buf_destroy(&r);
	return rc;
}

static int walk(struct share *sh, const struct sarfs_node *dir, const char *fdir,
		const char *odir)
{
	struct sarfs_buf fp = SARFS_BUF_INIT, op = SARFS_BUF_INIT, nm = SARFS_BUF_INIT;
	json_t *used = json_object();
	uint64_t id;
	int rc = used ? 0 : -ENOMEM;

	/* the share's own files at the root */
	if (!rc && dir->id == SARFS_ROOT_ID &&
	    (json_object_set_new(used, "README.txt", json_true()) ||
	     json_object_set_new(used, "MANIFEST.sha256", json_true())))
		rc = -ENOMEM;
	for (id = dir->first; id < dir->first + dir->nchild && !rc; id++) {
		struct sarfs_node n;
		char *name;

		if (id >= sh->nnodes || sh->mark[id] == M_NONE)
			continue;
		rc = sarfs_index_node(sh->full, id, &n);
		name = rc ? NULL : sarfs_index_name(sh->full, id);
		if (!rc && !name)
			rc = -EIO;
		if (!rc)
			rc = path_join(&fp, fdir, name);
		if (!rc && dir->id == SARFS_ROOT_ID && !n.dir && strcmp(name, "README.txt") == 0) {
			/* the full tree's README.txt becomes part of the share's */
			struct sarfs_buf t = SARFS_BUF_INIT;
			size_t got = 0;

			rc = sarfs_buf_reserve(&t, (size_t)n.size + 1);
			if (!rc)
				rc = sarfs_index_read(sh->full, &n, 0, (size_t)n.size, t.data, &got);
			if (!rc)
				rc = sarfs_view_redact(sh->v, t.data, got, &sh->readme, NULL);
			sh->have_readme = !rc;
			sh->st.shown++;
			sarfs_buf_destroy(&t);
			free(name);
			continue;
		}
		if (!rc)
			rc = share_name(sh, name, used, &nm);
		if (!rc)
			rc = path_join(&op, odir, nm.data);
		free(name);
		if (rc)
			break;
		if (n.dir) {
			char *f2 = strdup(fp.data), *o2 = strdup(op.data);

			rc = f2 && o2 ? walk(sh, &n, f2, o2) : -ENOMEM;
			free(f2);
			free(o2);
		} else if (sh->mark[id] == M_HOLD) {
			sh->st.withheld++;
			rc = sarfs_buf_printf(&sh->withheld, "  %s (%llu bytes; binary: sarfs cannot "
					      "redact inside it)\n", op.data, (unsigned long long)n.size);
		} else {
			rc = emit_file(sh, &n, fp.data, op.data);
		}
	}
	json_decref(used);
	sarfs_buf_destroy(&fp);
	sarfs_buf_destroy(&op);
	sarfs_buf_destroy(&nm);
	return rc;
}

/* ---- the rest of the index --------------------------------------------------- */

static int copy_problems(struct share *sh)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	int rc, s;

	if (!sarfs_view_shows(sh->v, "PROBLEMS.txt", 12))
		return 0;
	rc = sarfs_sql_prepare(sarfs_index_db(sh->full),
			       "SELECT severity, file, line, col, text FROM problem ORDER BY seq", &q);
	if (!rc)
		rc = sarfs_sql_prepare(sarfs_index_writer_db(sh->w),
				       "INSERT INTO problem(severity, file, line, col, text)"
				       " VALUES (?, ?, ?, ?, ?)", &ins);
	while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(q, 1);
		const char *t = (const char *)sqlite3_column_text(q, 4);
		char *rf = redacted(sh, f ? f : "", f ? strlen(f) : 0, &rc);
		char *rt = rc ? NULL : redacted(sh, t ? t : "", t ? strlen(t) : 0, &rc);

		if (!rc) {
			sqlite3_bind_int(ins, 1, sqlite3_column_int(q, 0));
			sqlite3_bind_text(ins, 2, rf, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 3, sqlite3_column_int64(q, 2));
			sqlite3_bind_int64(ins, 4, sqlite3_column_int64(q, 3));
			sqlite3_bind_text(ins, 5, rt, -1, SQLITE_STATIC);
			rc = sarfs_sql_run(ins);
		}
		free(rf);
		free(rt);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}

/* The gaps whose missing.txt the share shows, redacted; their count. */
static int copy_gaps(struct share *sh, unsigned *count)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	int rc, s, i;

	*count = 0;
	rc = sarfs_sql_prepare(sarfs_index_db(sh->full),
			       "SELECT id, path, title, law, said, status FROM gap ORDER BY seq", &q);
	if (!rc)
		rc = sarfs_sql_prepare(sarfs_index_writer_db(sh->w),
				       "INSERT INTO gap(id, path, title, law, said, status)"
				       " VALUES (?, ?, ?, ?, ?, ?)", &ins);
	while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(q, 1);
		char *col[6] = { NULL };

		if (!path || !sarfs_view_shows(sh->v, path, strlen(path)))
			continue;
		for (i = 0; i < 6 && !rc; i++) {
			const char *t = (const char *)sqlite3_column_text(q, i);

			col[i] = redacted(sh, t ? t : "", t ? strlen(t) : 0, &rc);
			if (!rc)
				sqlite3_bind_text(ins, i + 1, col[i], -1, SQLITE_STATIC);
		}
		if (!rc)
			rc = sarfs_sql_run(ins);
		for (i = 0; i < 6; i++)
			free(col[i]);
		(*count)++;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}

/* Facts that are not text from the export: copied as they are. */
static int plain_meta(const char *key)
{
	static const char *const keys[] = { "format", "sarfs_version", "source_sha256", "source_kind",
					    "profile", "asof", NULL };
	size_t i;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

static char *share_options(const char *source, const struct sarfs_build_options *o,
			   const char *profile)
{
	char *resp = sarfs_build_response_path(source, o), *s = NULL;
	char hex[SARFS_SHA256_HEX] = "none";

	/* the response file shapes REQUESTS.txt and missing.txt: its digest
	 * says which one was used, not where the user keeps it */
	if (resp) {
		FILE *f = fopen(resp, "rb");
		struct sarfs_sha256 h;
		uint8_t dg[SARFS_SHA256_LEN];
		char b[8192];
		size_t k;

		if (f && sarfs_sha256_init(&h) == 0) {
			while ((k = fread(b, 1, sizeof(b), f)) > 0)
				sarfs_sha256_update(&h, b, k);
			sarfs_sha256_final(&h, dg);
			sarfs_hex(dg, SARFS_SHA256_LEN, hex);
		}
		if (f)
			fclose(f);
	}
	if (asprintf(&s, "profile=%s subject=%s asof=%s response=%s", profile,
		     o->subject ? o->subject : "-", o->asof ? o->asof : "-", hex) < 0)
		s = NULL;
	free(resp);
	return s;
}

static int copy_meta(struct share *sh, unsigned gaps, const char *options)
{
	sqlite3_stmt *q = NULL;
	char num[32], *title = NULL;
	size_t vlen;
	const char *vtext = sarfs_view_text(sh->v, &vlen);
	int rc, s;

	rc = sarfs_sql_prepare(sarfs_index_db(sh->full), "SELECT key, value FROM meta ORDER BY key",
			       &q);
	while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(q, 0);
		const char *val = (const char *)sqlite3_column_text(q, 1);
		char *rv;

		if (!k || !val || strcmp(k, "complete") == 0 || strcmp(k, "nodes") == 0 ||
		    strcmp(k, "bytes") == 0 || strcmp(k, "gaps") == 0)
			continue;
		if (plain_meta(k)) {
			rc = sarfs_index_set_meta(sh->w, k, val);
			continue;
		}
		rv = redacted(sh, val, strlen(val), &rc);
		if (!rc)
			rc = sarfs_index_set_meta(sh->w, k, rv);
		free(rv);
	}
	sqlite3_finalize(q);
	snprintf(num, sizeof(num), "%u", gaps);
	if (!rc)
		rc = sarfs_index_set_meta(sh->w, "gaps", num);
	if (!rc)
		rc = sarfs_index_set_meta(sh->w, "view", sarfs_view_name(sh->v));
	if (!rc)
		rc = sarfs_index_set_meta(sh->w, "view_sha256", sarfs_view_sha256(sh->v));
	if (!rc)
		rc = sarfs_index_set_meta(sh->w, "share_options", options);
	if (!rc) {
		const char *t = sarfs_view_title(sh->v);

		title = redacted(sh, t, strlen(t), &rc);
		if (!rc)
			rc = sarfs_index_set_meta(sh->w, "view_title", title);
		free(title);
	}
	/* the view itself, only if it says nothing the share hides: no listed
	 * values or expressions, and nothing in it a rule would redact */
	if (!rc && sarfs_view_public(sh->v) && strlen(vtext) == vlen &&
	    sarfs_view_finds(sh->v, vtext, vlen) == 0)
		rc = sarfs_index_set_meta(sh->w, "view_text", vtext);
	return rc;
}

static int add_text(struct share *sh, const char *path, const char *text, size_t n,
		    const char *origin, int manifest)
{
	struct sarfs_tree_file f;
	uint8_t sha[SARFS_SHA256_LEN];
	int rc;

	memset(&f, 0, sizeof(f));
	rc = sarfs_index_put(sh->w, text, n, &f.blob, sha);
	f.size = n;
	f.mtime = sh->asof;
	f.origin = origin;
	if (!rc)
		rc = sarfs_tree_add_file(sh->tree, path, strlen(path), &f);
	if (!rc && manifest)
		rc = manifest_add(sh, path, sha);
	return rc;
}

static int write_readme(struct share *sh, const char *label, const char *source_sha,
			const char *profile)
{
	struct sarfs_buf t = SARFS_BUF_INIT, g = SARFS_BUF_INIT;
	const char *title = sarfs_view_title(sh->v);
	char *rtitle = NULL;
	size_t i, k;
	int rc = 0, ex;

	rtitle = redacted(sh, title, strlen(title), &rc);
	if (rc)
		return rc;
	/* a title of several lines, indented under its label */
	for (i = 0; rtitle[i]; i++)
		if (rtitle[i] == '\n')
			rc |= sarfs_buf_adds(&g, "\n            ");
		else
			rc |= sarfs_buf_addc(&g, rtitle[i]);
	free(rtitle);
	rtitle = sarfs_buf_detach(&g);
	if (rc || !rtitle) {
		free(rtitle);
		return -ENOMEM;
	}
	rc |= sarfs_buf_printf(&t,
		"sarfs: a shared view of a personal-data export\n"
		"\n"
		"This tree is a view of an export made with \"sarfs share\": some files are\n"
		"left out and some values are replaced by placeholders, by the rules below.\n"
		"Everything else is exactly as the full tree of the export shows it.\n"
		"\n"
		"View:       %s%s%s\n"
		"View file:  SHA-256 %s\n"
		"Source:     %s\n"
		"SHA-256:    %s\n"
		"Profile:    %s\n"
		"Shown:      %llu of the full tree's %llu files (%llu left out by the view's\n"
		"            globs, %llu withheld); %llu altered by redaction\n"
		"Made by:    sarfs %s, index format %d\n"
		"\n",
		sarfs_view_name(sh->v), rtitle[0] ? ": " : "", rtitle, sarfs_view_sha256(sh->v),
		label, source_sha, profile,
		(unsigned long long)sh->st.shown, (unsigned long long)sh->st.files,
		(unsigned long long)sh->st.excluded, (unsigned long long)sh->st.withheld,
		(unsigned long long)sh->st.altered, SARFS_VERSION, SARFS_INDEX_FORMAT);
	for (ex = 0; ex < 2; ex++) {
		k = sarfs_view_nglobs(sh->v, ex);
		rc |= sarfs_buf_printf(&t, "%s", ex ? "Exclude:    " : "Include:    ");
		if (!k)
			rc |= sarfs_buf_adds(&t, ex ? "nothing\n" : "everything (no include list)\n");
		for (i = 0; i < k; i++) {
			const char *gl = sarfs_view_glob(sh->v, ex, i);

			sarfs_buf_reset(&g);
			rc |= sarfs_view_redact(sh->v, gl, strlen(gl), &g, NULL);
			rc |= sarfs_buf_printf(&t, "%s%s\n", i ? "            " : "", g.data ? g.data : "");
		}
	}
	rc |= sarfs_buf_adds(&t,
		"\n"
		"Redactions. Each value a rule finds is replaced by [redacted:RULE:N]; the\n"
		"same value gets the same N everywhere in this view (names, contents,\n"
		"attributes), numbered in the order the values are met, path by path.\n"
		"Values and names match as whole words, ignoring ASCII case.\n"
		"\n");
	rc |= sarfs_view_report(sh->v, &t);
	rc |= sarfs_buf_adds(&t, "\n");
	rc |= sarfs_buf_adds(&t,
		"Files of the export that this view altered (their bytes are the export's\n"
		"but for the placeholders; getfattr -n user.sarfs.original_sha256 gives the\n"
		"SHA-256 of the export's bytes):\n");
	rc |= sarfs_buf_adds(&t, sh->altered.len ? sh->altered.data : "  none\n");
	if (sh->altered_other)
		rc |= sarfs_buf_printf(&t, "  and %llu file%s sarfs made from the export (records, the "
				       "profile's files)\n", (unsigned long long)sh->altered_other,
				       sh->altered_other == 1 ? "" : "s");
	rc |= sarfs_buf_adds(&t,
		"\n"
		"Withheld: binary files (photos, documents) cannot be redacted inside, so a\n"
		"view leaves them out unless it says \"binary\": \"keep\", and even then\n"
		"leaves out one in whose bytes a rule finds a value:\n");
	rc |= sarfs_buf_adds(&t, sh->withheld.len ? sh->withheld.data : "  none\n");
	rc |= sarfs_buf_adds(&t,
		"\n"
		"Checking this view\n"
		"\n"
		"  MANIFEST.sha256 gives the SHA-256 of every other file (of this one\n"
		"  too). From the root of the mount:\n"
		"      sha256sum -c MANIFEST.sha256\n"
		"  and, with the export and the view file, that this view was made from\n"
		"  that export by that view and nothing else (it is rebuilt and compared):\n"
		"      sarfs verify SHARE.sarfs EXPORT --view VIEW\n");
	if (!sarfs_view_original_hashes(sh->v))
		rc |= sarfs_buf_adds(&t,
			"\n"
			"  This view keeps no SHA-256 of the export's individual files: with the\n"
			"  redacted bytes, a file's original SHA-256 would let anyone test guesses\n"
			"  of a short redacted value (an IP address, a number).\n");
	if (sh->have_readme) {
		rc |= sarfs_buf_adds(&t,
			"\n"
			"------------------------------------------------------------------------\n"
			"The full tree's README.txt, redacted in the same way:\n"
			"\n");
		rc |= sarfs_buf_add(&t, sh->readme.data, sh->readme.len);
	}
	if (!rc)
		rc = add_text(sh, "README.txt", t.data, t.len, "written by sarfs share", 1);
	sarfs_buf_destroy(&t);
	sarfs_buf_destroy(&g);
	free(rtitle);
	return rc ? (rc < 0 ? rc : -ENOMEM) : 0;
}

static int write_manifest(struct share *sh)
{
	struct sarfs_buf t = SARFS_BUF_INIT;
	size_t i;
	int rc = 0;

	if (sh->nman > 1)
		qsort(sh->man, sh->nman, sizeof(*sh->man), mentry_cmp);
	for (i = 0; i < sh->nman && !rc; i++) {
		const char *p = sh->man[i].path;

		/* sha256sum's escapes, for a name with a backslash (names
		 * hold no newline) */
		if (strchr(p, '\\')) {
			rc = sarfs_buf_printf(&t, "\\%s  ", sh->man[i].hex);
			for (; *p && !rc; p++)
				rc = *p == '\\' ? sarfs_buf_adds(&t, "\\\\") : sarfs_buf_addc(&t, *p);
			rc = rc ? rc : sarfs_buf_addc(&t, '\n');
		} else {
			rc = sarfs_buf_printf(&t, "%s  %s\n", sh->man[i].hex, p);
		}
	}
	if (!rc)
		rc = add_text(sh, "MANIFEST.sha256", t.data ? t.data : "", t.len,
			      "written by sarfs share", 0);
	sarfs_buf_destroy(&t);
	return rc;
}

/* ---- the self-check ---------------------------------------------------------- */

static int check_dir(struct sarfs_view *v, struct sarfs_index *idx, const struct sarfs_node *dir,
		     struct sarfs_buf *path, char *buf, struct sarfs_diag *d)
{
	size_t plen = path->len;
	uint64_t id;
	int rc = 0;

	for (id = dir->first; id < dir->first + dir->nchild && !rc; id++) {
		struct sarfs_node n;
		char *name = NULL, xa[4096];
		const char *what = "name";
		ssize_t k;
		int f = 0;

		rc = sarfs_index_node(idx, id, &n);
		name = rc ? NULL : sarfs_index_name(idx, id);
		path->len = plen;
		if (!rc && (!name || (plen && sarfs_buf_addc(path, '/')) || sarfs_buf_adds(path, name)))
			rc = -ENOMEM;
		if (!rc)
			f = sarfs_view_finds(v, name, strlen(name));
		free(name);
		if (!rc && !f && n.dir) {
			rc = check_dir(v, idx, &n, path, buf, d);
			continue;
		}
		if (!rc && !f && (k = sarfs_index_getxattr(idx, &n, "user.sarfs.source", xa,
							   sizeof(xa))) > 0 && (size_t)k < sizeof(xa)) {
			f = sarfs_view_finds(v, xa, (size_t)k);
			what = "user.sarfs.source";
		}
		if (!rc && !f && n.size) {
			f = node_finds(v, idx, &n, buf);
			what = "contents";
		}
		if (!rc && f < 0)
			rc = f;
		if (!rc && f) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "internal check failed: the view still finds a value to redact "
				       "in the %s of %s; the share was not kept", what, path->data);
			rc = -EIO;
		}
	}
	path->len = plen;
	return rc;
}

static int self_check(struct sarfs_view *v, const char *path, struct sarfs_diag *d)
{
	struct sarfs_index *idx = NULL;
	struct sarfs_buf p = SARFS_BUF_INIT;
	struct sarfs_node root;
	sqlite3_stmt *q = NULL;
	char *buf = malloc(SARFS_CHUNK);
	int rc = buf ? sarfs_index_open(path, &idx, d) : -ENOMEM, s;

	if (!rc)
		rc = sarfs_index_node(idx, SARFS_ROOT_ID, &root);
	if (!rc)
		rc = check_dir(v, idx, &root, &p, buf, d);
	/* the tables: meta (but the view's own text, checked when stored),
	 * the export's file names, problems, gaps */
	if (!rc)
		rc = sarfs_sql_prepare(sarfs_index_db(idx),
			"SELECT 'meta ' || key, value FROM meta WHERE key <> 'view_text' "
			"UNION ALL SELECT 'source_file', path FROM source_file "
			"UNION ALL SELECT 'problem', file || ' ' || text FROM problem "
			"UNION ALL SELECT 'gap', path || title || law || said || status FROM gap", &q);
	while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = sqlite3_column_blob(q, 1);
		int f = sarfs_view_finds(v, t ? t : "", (size_t)sqlite3_column_bytes(q, 1));

		if (f) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "internal check failed: the view still finds a value to redact "
				       "in the index's %s; the share was not kept",
				       (const char *)sqlite3_column_text(q, 0));
			rc = f < 0 ? f : -EIO;
		}
	}
	sqlite3_finalize(q);
	sarfs_buf_destroy(&p);
	sarfs_index_close(idx);
	free(buf);
	return rc;
}

/* ---- sarfs share --------------------------------------------------------------- */

static char *scratch_path(const char *cache, const char *what, struct sarfs_diag *d)
{
	char *dir = NULL, *p = NULL;

	if (sarfs_cache_dir(cache, &dir, d) != 0)
		return NULL;
	if (asprintf(&p, "%s/%s-%ld-%lx.sarfs", dir, what, (long)getpid(),
		     (unsigned long)pthread_self()) < 0)
		p = NULL;
	free(dir);
	return p;
}

static int do_share(struct share *sh, const char *source, const char *out,
		    const struct sarfs_build_options *o, const char *scratch)
{
	struct sarfs_profile *prof = NULL;
	struct sarfs_node root;
	char *tmp = NULL, *tmp2 = NULL, *label = NULL, *ssha = NULL, *profile = NULL,
	     *options = NULL;
	unsigned gaps = 0;
	int rc;

	rc = sarfs_index_open(scratch, &sh->full, sh->d);
	if (rc)
		return rc;
	profile = sarfs_index_meta(sh->full, "profile");
	ssha = sarfs_index_meta(sh->full, "source_sha256");
	rc = sarfs_profile_load(o->profile ? o->profile : profile ? profile : "generic", &prof,
				sh->d);
	if (rc)
		goto out;
	sh->raw_dir = prof->raw_dir;
	sh->records_dir = prof->records_dir;
	{
		char *n = sarfs_index_meta(sh->full, "nodes");

		sh->nnodes = n ? strtoull(n, NULL, 10) + 1 : 0;
		free(n);
	}
	sh->mark = calloc(sh->nnodes + 1, 1);
	sh->buf = malloc(SARFS_CHUNK);
	if (!sh->mark || !sh->buf) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_sql_prepare(sarfs_index_db(sh->full), "SELECT src, origin FROM node WHERE id = ?",
			       &sh->node_q);
	if (!rc)
		rc = sarfs_sql_prepare(sarfs_index_db(sh->full),
				       "SELECT path, size, sha256 FROM source_file WHERE id = ?",
				       &sh->src_q);
	if (!rc)
		rc = sarfs_index_node(sh->full, SARFS_ROOT_ID, &root);
	if (rc)
		goto out;
	sh->asof = root.mtime;
	{
		struct sarfs_buf p = SARFS_BUF_INIT;

		rc = mark_dir(sh, &root, &p);
		sarfs_buf_destroy(&p);
	}
	if (rc)
		goto out;
	if (asprintf(&tmp, "%s.tmp-%ld-%lx", out, (long)getpid(), (unsigned long)pthread_self()) < 0 ||
	    asprintf(&tmp2, "%s.tmp2-%ld-%lx", out, (long)getpid(), (unsigned long)pthread_self()) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_index_writer_open(tmp, &sh->w, sh->d);
	if (!rc)
		rc = sarfs_index_writer_secure(sh->w);
	if (!rc)
		rc = sarfs_tree_new(sh->w, &sh->tree);
	if (!rc)
		rc = walk(sh, &root, "", "");
	if (!rc)
		rc = copy_problems(sh);
	if (!rc)
		rc = copy_gaps(sh, &gaps);
	{
		char *src = sarfs_index_meta(sh->full, "source");

		label = src ? redacted(sh, src, strlen(src), &rc) : strdup("?");
		free(src);
		if (!label && !rc)
			rc = -ENOMEM;
	}
	if (!rc)
		rc = write_readme(sh, label, ssha ? ssha : "?", prof->name);
	if (!rc)
		rc = write_manifest(sh);
	if (!rc)
		rc = sarfs_tree_finish(sh->tree, sh->asof);
	options = rc ? NULL : share_options(source, o, prof->name);
	if (!rc && !options)
		rc = -ENOMEM;
	if (!rc)
		rc = copy_meta(sh, gaps, options);
	if (rc)
		goto out;
	sarfs_tree_free(sh->tree);
	sh->tree = NULL;
	rc = sarfs_index_writer_commit(sh->w, sh->d);
	sh->w = NULL;
	/* a fresh copy of the live pages only, then the check of what it holds */
	if (!rc)
		rc = sarfs_index_compact(tmp, tmp2, sh->d);
	unlink(tmp);
	if (!rc)
		rc = self_check(sh->v, tmp2, sh->d);
	if (!rc && rename(tmp2, out) != 0) {
		rc = -errno;
		sarfs_diag_add(sh->d, SARFS_ERROR, "", 0, 0, "cannot move the share into place at "
			       "'%s': %s", out, strerror(errno));
	}
	if (rc)
		unlink(tmp2);
	sh->st.places = sarfs_view_places(sh->v);
out:
	sarfs_tree_free(sh->tree);
	sarfs_index_writer_abort(sh->w);
	sqlite3_finalize(sh->node_q);
	sqlite3_finalize(sh->src_q);
	sarfs_index_close(sh->full);
	sarfs_profile_free(prof);
	free(tmp);
	free(tmp2);
	free(label);
	free(ssha);
	free(profile);
	free(options);
	return rc;
}

int sarfs_share(const char *source, struct sarfs_view *v, const char *out,
		const struct sarfs_build_options *o, const char *cache,
		struct sarfs_share_stats *st, struct sarfs_diag *d)
{
	struct sarfs_build_options bo;
	struct share sh;
	char *scratch = NULL;
	size_t i;
	int rc;

	memset(&sh, 0, sizeof(sh));
	sh.v = v;
	sh.d = d;
	if (sarfs_index_sniff(source)) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "'%s' is an index; sarfs share reads the export itself (field rules "
			       "read its records)", source);
		return -EINVAL;
	}
	rc = sarfs_build_refuse_inside(source, out, d);
	if (rc)
		return rc;
	scratch = scratch_path(cache, "share", d);
	if (!scratch)
		return -ENOMEM;
	bo = *o;
	bo.view = v;
	/* the full tree, with the view collecting field values as it goes */
	rc = sarfs_build(source, scratch, &bo, &sh.st.build, d);
	if (!rc)
		rc = sarfs_view_prepare(v, d);
	if (!rc)
		rc = do_share(&sh, source, out, o, scratch);
	unlink(scratch);
	free(scratch);
	for (i = 0; i < sh.nman; i++)
		free(sh.man[i].path);
	free(sh.man);
	free(sh.mark);
	free(sh.buf);
	free(sh.srcmap);
	sarfs_buf_destroy(&sh.readme);
	sarfs_buf_destroy(&sh.altered);
	sarfs_buf_destroy(&sh.withheld);
	if (!rc && st)
		*st = sh.st;
	return rc;
}

/* ---- sarfs verify ---------------------------------------------------------------- */

int sarfs_share_view(const char *path, struct sarfs_view **out, struct sarfs_diag *d)
{
	struct sarfs_index *idx = NULL;
	char *text = NULL, *sha = NULL;
	int rc = sarfs_index_open(path, &idx, d);

	if (rc)
		return rc;
	sha = sarfs_index_meta(idx, "view_sha256");
	text = sarfs_index_meta(idx, "view_text");
	if (!sha) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "'%s' is not a share (it was not made by "
			       "sarfs share)", path);
		rc = -EINVAL;
	} else if (!text) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "'%s' does not carry its view (the view lists values or expressions "
			       "it hides); give the view file with --view", path);
		rc = -ENOENT;
	} else {
		rc = sarfs_view_parse("the view stored in the share", text, strlen(text), out, d);
		if (!rc && strcmp(sarfs_view_sha256(*out), sha) != 0) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "the view stored in '%s' does not have the SHA-256 the share "
				       "names (%s): the share was altered", path, sha);
			sarfs_view_free(*out);
			*out = NULL;
			rc = -EINVAL;
		}
	}
	free(sha);
	free(text);
	sarfs_index_close(idx);
	return rc;
}

struct cmp {
	struct sarfs_index *a, *b;	/* the share, the rebuilt one */
	struct sarfs_buf *report;
	char *buf1, *buf2;
	uint64_t files;
};

static int differ(struct cmp *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int differ(struct cmp *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sarfs_buf_vprintf(c->report, fmt, ap);
	va_end(ap);
	return 1;
}

/* The SHA-256 of a node's bytes as they read (never the stored digest). */
static int read_hash(struct sarfs_index *idx, const struct sarfs_node *n, char *buf,
		     char hex[SARFS_SHA256_HEX])
{
	struct sarfs_sha256 h;
	uint8_t dg[SARFS_SHA256_LEN];
	uint64_t off = 0;
	size_t got;
	int rc = sarfs_sha256_init(&h);

	while (!rc && off < n->size) {
		rc = sarfs_index_read(idx, n, off, SARFS_CHUNK, buf, &got);
		if (!rc && !got)
			rc = -EIO;
		if (!rc)
			sarfs_sha256_update(&h, buf, got);
		off += got;
	}
	if (rc) {
		sarfs_sha256_destroy(&h);
		return rc;
	}
	sarfs_sha256_final(&h, dg);
	sarfs_hex(dg, SARFS_SHA256_LEN, hex);
	return 0;
}

/* 0 the same, 1 a difference (reported), or a negative errno. */
static int cmp_dir(struct cmp *c, const struct sarfs_node *da, const struct sarfs_node *db,
		   struct sarfs_buf *path)
{
	size_t plen = path->len, i;
	int rc = 0;

	for (i = 0; !rc; i++) {
		struct sarfs_node na, nb;
		char *an = NULL, *bn = NULL;
		int ia = i < da->nchild, ib = i < db->nchild;

		if (!ia && !ib)
			break;
		if (ia && (sarfs_index_node(c->a, da->first + i, &na) != 0 ||
			   !(an = sarfs_index_name(c->a, da->first + i)) || na.parent != da->id)) {
			free(an);
			return differ(c, "the share is damaged under '%s'", plen ? path->data : "/");
		}
		if (ib && (sarfs_index_node(c->b, db->first + i, &nb) != 0 ||
			   !(bn = sarfs_index_name(c->b, db->first + i)))) {
			free(an);
			free(bn);
			return -EIO;
		}
		path->len = plen;
		if (plen)
			sarfs_buf_addc(path, '/');
		if (!ib || (ia && strcmp(an, bn) < 0)) {
			sarfs_buf_adds(path, an);
			rc = differ(c, "%s: in the share, not in a rebuild from the export", path->data);
		} else if (!ia || strcmp(an, bn) > 0) {
			sarfs_buf_adds(path, bn);
			rc = differ(c, "%s: missing from the share", path->data);
		} else {
			sarfs_buf_adds(path, an);
			if (na.dir != nb.dir)
				rc = differ(c, "%s: a %s in the share, a %s in a rebuild", path->data,
					    na.dir ? "folder" : "file", nb.dir ? "folder" : "file");
			else if (na.mtime != nb.mtime)
				rc = differ(c, "%s: modification time %lld in the share, %lld in a "
					    "rebuild", path->data, (long long)na.mtime, (long long)nb.mtime);
			else if (na.dir)
				rc = cmp_dir(c, &na, &nb, path);
			else if (na.size != nb.size)
				rc = differ(c, "%s: %llu bytes in the share, %llu in a rebuild",
					    path->data, (unsigned long long)na.size,
					    (unsigned long long)nb.size);
			else {
				char ha[SARFS_SHA256_HEX], hb[SARFS_SHA256_HEX];
				size_t x;

				c->files++;
				rc = read_hash(c->a, &na, c->buf1, ha);
				if (rc)
					rc = differ(c, "%s: cannot be read from the share", path->data);
				else if ((rc = read_hash(c->b, &nb, c->buf2, hb)) == 0 &&
					 strcmp(ha, hb) != 0)
					rc = differ(c, "%s: the bytes differ (SHA-256 %s in the share, "
						    "%s in a rebuild)", path->data, ha, hb);
				for (x = 0; !rc && x < SARFS_NXATTR; x++) {
					char va[4096], vb[4096];
					ssize_t ka = sarfs_index_getxattr(c->a, &na, sarfs_xattr_names[x],
									  va, sizeof(va));
					ssize_t kb = sarfs_index_getxattr(c->b, &nb, sarfs_xattr_names[x],
									  vb, sizeof(vb));

					if (ka != kb || (ka > 0 && memcmp(va, vb, (size_t)ka) != 0))
						rc = differ(c, "%s: %s differs", path->data,
							    sarfs_xattr_names[x]);
				}
			}
		}
		free(an);
		free(bn);
	}
	path->len = plen;
	return rc;
}

/* Compares a query's rows in both indexes. */
static int cmp_rows(struct cmp *c, const char *sql, const char *what)
{
	sqlite3_stmt *qa = NULL, *qb = NULL;
	int rc, sa, sb, i, n, row = 0;

	rc = sarfs_sql_prepare(sarfs_index_db(c->a), sql, &qa);
	if (rc) {
		sqlite3_finalize(qa);
		return differ(c, "the share's %s cannot be read", what);
	}
	rc = sarfs_sql_prepare(sarfs_index_db(c->b), sql, &qb);
	while (!rc) {
		sa = sqlite3_step(qa);
		sb = sqlite3_step(qb);
		row++;
		if (sa != sb) {
			rc = differ(c, "%s: %s in the share", what,
				    sa == SQLITE_ROW ? "an extra row" : "a row missing");
			break;
		}
		if (sa != SQLITE_ROW)
			break;
		n = sqlite3_column_count(qa);
		for (i = 0; i < n && !rc; i++) {
			int la = sqlite3_column_bytes(qa, i), lb = sqlite3_column_bytes(qb, i);
			const void *pa = sqlite3_column_blob(qa, i), *pb = sqlite3_column_blob(qb, i);

			if (la != lb || (la && memcmp(pa, pb, (size_t)la) != 0)) {
				const char *k = (const char *)sqlite3_column_text(qa, 0);

				rc = strcmp(what, "meta") == 0 ?
				     differ(c, "meta %s differs", k ? k : "?") :
				     differ(c, "%s: row %d differs", what, row);
			}
		}
	}
	sqlite3_finalize(qa);
	sqlite3_finalize(qb);
	return rc;
}

int sarfs_share_verify(const char *path, const char *source, struct sarfs_view *v,
		       const struct sarfs_build_options *o, const char *cache,
		       struct sarfs_buf *report, struct sarfs_diag *d)
{
	struct cmp c;
	struct sarfs_node ra, rb;
	struct sarfs_buf p = SARFS_BUF_INIT;
	char *rebuilt = NULL, *vs = NULL, *ssa = NULL, *ssb = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.report = report;
	rc = sarfs_index_open(path, &c.a, d);
	if (rc) {
		sarfs_buf_printf(report, "'%s' cannot be read as an index", path);
		return 1;
	}
	vs = sarfs_index_meta(c.a, "view_sha256");
	if (!vs) {
		rc = differ(&c, "'%s' is not a share (it was not made by sarfs share)", path);
		goto out;
	}
	if (strcmp(vs, sarfs_view_sha256(v)) != 0) {
		rc = differ(&c, "the share was made with another view (its SHA-256 is %s; the view "
			    "given has %s)", vs, sarfs_view_sha256(v));
		goto out;
	}
	rebuilt = scratch_path(cache, "verify", d);
	if (!rebuilt) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_share(source, v, rebuilt, o, cache, NULL, d);
	if (!rc)
		rc = sarfs_index_open(rebuilt, &c.b, d);
	if (rc)
		goto out;
	ssa = sarfs_index_meta(c.a, "source_sha256");
	ssb = sarfs_index_meta(c.b, "source_sha256");
	if (!ssa || !ssb || strcmp(ssa, ssb) != 0) {
		rc = differ(&c, "the share was made from another export (its SHA-256 is %s; '%s' "
			    "has %s)", ssa ? ssa : "?", source, ssb ? ssb : "?");
		goto out;
	}
	c.buf1 = malloc(SARFS_CHUNK);
	c.buf2 = malloc(SARFS_CHUNK);
	if (!c.buf1 || !c.buf2) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_index_node(c.a, SARFS_ROOT_ID, &ra);
	if (rc) {
		rc = differ(&c, "the share is damaged: it has no root");
		goto out;
	}
	rc = sarfs_index_node(c.b, SARFS_ROOT_ID, &rb);
	if (!rc)
		rc = cmp_dir(&c, &ra, &rb, &p);
	if (!rc)
		rc = cmp_rows(&c, "SELECT key, value FROM meta ORDER BY key", "meta");
	if (!rc)
		rc = cmp_rows(&c, "SELECT path, size, sha256 FROM source_file ORDER BY id",
			      "the export's file list");
	if (!rc)
		rc = cmp_rows(&c, "SELECT severity, file, line, col, text FROM problem ORDER BY seq",
			      "the problem list");
	if (!rc)
		rc = cmp_rows(&c, "SELECT id, path, title, law, said, status FROM gap ORDER BY seq",
			      "the gap list");
	if (!rc)
		sarfs_buf_printf(report, "verified: '%s' is the view '%s' (view file SHA-256 %s) of "
				 "the export '%s' (SHA-256 %s): %llu files, every byte and attribute "
				 "as a rebuild from the export gives it", path, sarfs_view_name(v),
				 sarfs_view_sha256(v), source, ssa, (unsigned long long)c.files);
out:
	sarfs_index_close(c.a);
	sarfs_index_close(c.b);
	if (rebuilt)
		unlink(rebuilt);
	free(rebuilt);
	free(vs);
	free(ssa);
	free(ssb);
	free(c.buf1);
	free(c.buf2);
	sarfs_buf_destroy(&p);
	return rc;
}
