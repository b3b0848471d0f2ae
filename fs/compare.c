/*
 * compare.c - the top of a side-by-side mount (compare.h): README.txt and
 * changes/, made from the comparisons of diff.h.
 *
 * Not the serving of the exports' folders: ll.c grafts each export's own
 * index under its label, so nothing of the exports is copied here but the
 * files that were added or removed, which changes/ shows whole.
 */
#include "sarfs/compare.h"

#include "config.h"
#include "sarfs/buf.h"
#include "sarfs/cache.h"
#include "sarfs/diff.h"
#include "sarfs/hash.h"
#include "sarfs/names.h"
#include "sarfs/timefmt.h"
#include "sarfs/tree.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- building the top index -------------------------------------------- */

struct top {
	struct sarfs_index_writer *w;
	struct sarfs_tree *tree;
	struct sarfs_buf path, text, origin;
	char *buf;		/* SARFS_CHUNK bytes, for copying */
};

static int add_text(struct top *t, int64_t mtime)
{
	struct sarfs_tree_file f;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = sarfs_index_put(t->w, t->text.data ? t->text.data : "", t->text.len, &f.blob, NULL);
	if (rc)
		return rc;
	f.size = t->text.len;
	f.mtime = mtime;
	f.origin = t->origin.data;
	return sarfs_tree_add_file(t->tree, t->path.data, t->path.len, &f);
}

/* Copies file node of idx, as it is, to t->path. */
static int add_copy(struct top *t, struct sarfs_index *idx, uint64_t node)
{
	struct sarfs_tree_file f;
	struct sarfs_node n;
	uint64_t off = 0;
	size_t got;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = sarfs_index_node(idx, node, &n);
	if (rc)
		return rc == -ENOENT ? -EIO : rc;
	if (n.size <= SARFS_CHUNK) {
		rc = n.size ? sarfs_index_read(idx, &n, 0, (size_t)n.size, t->buf, &got) : 0;
		if (!rc && n.size && got != n.size)
			rc = -EIO;
		rc = rc ? rc : sarfs_index_put(t->w, t->buf, (size_t)n.size, &f.blob, NULL);
		f.size = n.size;
	} else {
		rc = sarfs_index_stream_begin(t->w);
		while (!rc && off < n.size) {
			rc = sarfs_index_read(idx, &n, off, SARFS_CHUNK, t->buf, &got);
			if (!rc && got == 0)
				rc = -EIO;
			rc = rc ? rc : sarfs_index_stream_write(t->w, t->buf, got);
			off += got;
		}
		if (!rc)
			rc = sarfs_index_stream_end(t->w, &f.blob, &f.size, NULL);
	}
	if (rc)
		return rc;
	f.mtime = n.mtime;
	f.origin = t->origin.data;
	return sarfs_tree_add_file(t->tree, t->path.data, t->path.len, &f);
}

/* Appends name with ".diff", within SARFS_NAME_MAX bytes: a long name
 * keeps its head (cut at a character boundary) and gets '~' and 8 hex
 * digits of its SHA-256, as names.h shortens names. */
static int add_diff_name(struct sarfs_buf *out, const char *name, size_t n)
{
	uint8_t h[SARFS_SHA256_LEN];
	char hx[SARFS_SHA256_HEX];
	size_t keep;

	if (n + 5 <= SARFS_NAME_MAX)
		return sarfs_buf_add(out, name, n) || sarfs_buf_adds(out, ".diff") ? -ENOMEM : 0;
	keep = SARFS_NAME_MAX - 5 - 9;
	while (keep && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	if (sarfs_sha256(name, n, h))
		return -ENOMEM;
	sarfs_hex(h, 4, hx);
	return sarfs_buf_add(out, name, keep) || sarfs_buf_printf(out, "~%s.diff", hx) ? -ENOMEM :
	       0;
}

static int64_t parse_asof(const char *asof)
{
	struct sarfs_time t = sarfs_time_parse(asof, strlen(asof), SARFS_UNIT_S);

	return t.kind == SARFS_TIME_UTC ? t.sec : 0;
}

/* changes/A..B/: the summary, and a file for each file that changed. */
static int add_pair(struct top *t, struct sarfs_index *a, struct sarfs_index *b, const char *la,
		    const char *lb, struct sarfs_diag *d)
{
	struct sarfs_diff *df = NULL;
	struct sarfs_buf dir = SARFS_BUF_INIT;
	int64_t when;
	size_t i;
	int rc;

	rc = sarfs_diff_compute(a, b, &df, d);
	if (rc)
		return rc;
	when = parse_asof(df->b.asof);
	rc = sarfs_buf_printf(&dir, "changes/%s..%s", la, lb);
	if (!rc) {
		sarfs_buf_reset(&t->path);
		sarfs_buf_reset(&t->text);
		sarfs_buf_reset(&t->origin);
		rc = sarfs_buf_printf(&t->path, "%s/SUMMARY.txt", dir.data) ||
		     sarfs_buf_printf(&t->origin, "written by sarfs: %s compared with %s", lb, la) ?
		     -ENOMEM : 0;
		rc = rc ? rc : sarfs_diff_summary(df, &t->text);
		rc = rc ? rc : add_text(t, when);
	}
	for (i = 0; !rc && i < df->nfiles; i++) {
		const struct sarfs_diff_file *f = &df->files[i];
		const char *slash;

		sarfs_buf_reset(&t->path);
		sarfs_buf_reset(&t->text);
		sarfs_buf_reset(&t->origin);
		switch (f->change) {
		case SARFS_ADDED:
			rc = sarfs_buf_printf(&t->path, "%s/added/%s", dir.data, f->b.path) ||
			     sarfs_buf_printf(&t->origin, "%s/%s, not in %s", lb, f->b.path, la) ?
			     -ENOMEM : add_copy(t, b, f->b.node);
			break;
		case SARFS_REMOVED:
			rc = sarfs_buf_printf(&t->path, "%s/removed/%s", dir.data, f->a.path) ||
			     sarfs_buf_printf(&t->origin, "%s/%s, not in %s", la, f->a.path, lb) ?
			     -ENOMEM : add_copy(t, a, f->a.node);
			break;
		default:
			/* changed/<its later path>.diff */
			slash = strrchr(f->b.path, '/');
			rc = sarfs_buf_printf(&t->path, "%s/changed/", dir.data);
			if (!rc && slash)
				rc = sarfs_buf_add(&t->path, f->b.path, (size_t)(slash + 1 - f->b.path));
			slash = slash ? slash + 1 : f->b.path;
			rc = rc ? rc : add_diff_name(&t->path, slash, strlen(slash));
			rc = rc ? rc : sarfs_buf_printf(&t->origin, "the difference between %s/%s and %s/%s",
							la, f->a.path, lb, f->b.path);
			rc = rc ? rc : sarfs_diff_patch(a, b, f, &t->text);
			rc = rc ? rc : add_text(t, when);
			break;
		}
	}
	if (rc == -EIO)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot read %s or %s: an index is damaged",
			       la, lb);
	sarfs_buf_destroy(&dir);
	sarfs_diff_free(df);
	return rc;
}

static int add_readme(struct top *t, struct sarfs_index *const *idx, char *const *label,
		      size_t n, int64_t when)
{
	struct sarfs_buf *b = &t->text;
	size_t i;
	int rc = 0;

	sarfs_buf_reset(&t->path);
	sarfs_buf_reset(b);
	sarfs_buf_reset(&t->origin);
	rc |= sarfs_buf_adds(&t->path, "README.txt");
	rc |= sarfs_buf_adds(&t->origin, "generated by sarfs");
	rc |= sarfs_buf_printf(b, "%zu exports of one account, side by side (sarfs %s)\n\n", n,
			       SARFS_VERSION);
	for (i = 0; i < n; i++) {
		char *src = sarfs_index_meta(idx[i], "source");
		char *kind = sarfs_index_meta(idx[i], "source_kind");
		char *sha = sarfs_index_meta(idx[i], "source_sha256");
		char *asof = sarfs_index_meta(idx[i], "asof");

		rc |= sarfs_buf_printf(b, "  %s/\n      %s (%s), as of %s\n      SHA-256 %s\n",
				       label[i], src ? src : "?", kind ? kind : "?",
				       asof ? asof : "?", sha ? sha : "?");
		free(src);
		free(kind);
		free(sha);
		free(asof);
	}
	rc |= sarfs_buf_adds(b,
		"\nEach folder is one export as sarfs shows it alone (its own README.txt\n"
		"says more). changes/ holds what changed from one export to the next:\n\n");
	for (i = 0; i + 1 < n; i++)
		rc |= sarfs_buf_printf(b, "  changes/%s..%s/\n", label[i], label[i + 1]);
	rc |= sarfs_buf_adds(b,
		"\n      SUMMARY.txt  what changed, by folder; the gaps closed and opened;\n"
		"                   every file that changed, one a line\n"
		"      added/       the files only in the later export, as they are there\n"
		"      removed/     the files only in the earlier export, as they were\n"
		"      changed/     for each file that differs, NAME.diff: a unified diff\n"
		"                   (diff -u, git's form) from the earlier to the later\n\n"
		"Files are matched by what they are about where the profile says so (a\n"
		"post's id, whatever its file name), else by their path. Each export's\n"
		"README.txt is not compared: it holds the facts that always differ (the\n"
		"export's name and SHA-256, its as-of date), shown above instead.\n"
		"`sarfs diff EARLIER LATER` prints the same from the command line.\n");
	if (rc)
		return -ENOMEM;
	return add_text(t, when);
}

int sarfs_compare_build(struct sarfs_index *const *idx, char *const *label, size_t n,
			const char *out, struct sarfs_diag *d)
{
	struct top t;
	char *asof = NULL;
	int64_t when;
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	t.buf = malloc(SARFS_CHUNK);
	if (!t.buf)
		return -ENOMEM;
	asof = sarfs_index_meta(idx[n - 1], "asof");
	when = asof ? parse_asof(asof) : 0;
	rc = sarfs_index_writer_open(out, &t.w, d);
	if (!rc)
		rc = sarfs_tree_new(t.w, &t.tree);
	if (!rc)
		rc = add_readme(&t, idx, label, n, when);
	for (i = 0; !rc && i + 1 < n; i++)
		rc = add_pair(&t, idx[i], idx[i + 1], label[i], label[i + 1], d);
	if (!rc)
		rc = sarfs_tree_finish(t.tree, when);
	if (!rc)
		rc = sarfs_index_set_meta(t.w, "source", "exports side by side") ||
		     sarfs_index_set_meta(t.w, "source_kind", "comparison") ||
		     sarfs_index_set_meta(t.w, "sarfs_version", SARFS_VERSION) ||
		     sarfs_index_set_meta(t.w, "asof", asof ? asof : "") ? -EIO : 0;
	sarfs_tree_free(t.tree);
	if (!rc)
		rc = sarfs_index_writer_commit(t.w, d);
	else if (t.w)
		sarfs_index_writer_abort(t.w);
	sarfs_buf_destroy(&t.path);
	sarfs_buf_destroy(&t.text);
	sarfs_buf_destroy(&t.origin);
	free(t.buf);
	free(asof);
	return rc;
}

/* ---- finding the exports' order, names and top index ------------------ */

struct member {
	char *path, *asof, *sha;
	struct stat st;
};

static int cmp_member(const void *x, const void *y)
{
	const struct member *p = x, *q = y;
	int c = strcmp(p->asof, q->asof);

	return c ? c : strcmp(p->sha, q->sha);
}

void sarfs_compare_free(struct sarfs_compare *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->index ? c->index[i] : NULL);
		free(c->label ? c->label[i] : NULL);
	}
	free(c->index);
	free(c->label);
	free(c->top);
	free(c);
}

/* Nonzero for an as-of time as sarfs writes it, "2016-02-01T09:30:00Z":
 * an index is data from elsewhere, and its label becomes a name. */
static int asof_ok(const char *a)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (strlen(a) != sizeof(form) - 1)
		return 0;
	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)a[i]) : a[i] != form[i])
			return 0;
	return 1;
}

/* Folder names: the as-of date; the time too where two share a date;
 * "unknown-date" where the time is unknown (or not a time); then ~2, ~3
 * for labels that are still the same. */
static int make_labels(struct sarfs_compare *c, const struct member *m)
{
	size_t i, j, k;

	for (i = 0; i < c->n; i++) {
		const char *a = m[i].asof;
		int same_day = 0;

		for (j = 0; j < c->n && asof_ok(a); j++)
			same_day |= j != i && asof_ok(m[j].asof) && strncmp(a, m[j].asof, 10) == 0;
		if (!asof_ok(a))
			c->label[i] = strdup("unknown-date");
		else
			c->label[i] = same_day ? strdup(a) : strndup(a, 10);
		if (!c->label[i])
			return -ENOMEM;
	}
	/* a base label has no '~': the suffixed ones cannot clash */
	for (i = c->n; i-- > 0;) {
		char *s;

		for (j = 0, k = 1; j < i; j++)
			k += strcmp(c->label[j], c->label[i]) == 0;
		if (k > 1) {
			if (asprintf(&s, "%s~%zu", c->label[i], k) < 0)
				return -ENOMEM;
			free(c->label[i]);
			c->label[i] = s;
		}
	}
	return 0;
}

/* The top index's cache key: what it is made of, the sarfs that makes it,
 * and each export's index by its identity on disk (an index is never
 * changed once written: a new one is a new file). */
static int top_key(const struct sarfs_compare *c, const struct member *m, char key[SARFS_SHA256_HEX])
{
	struct sarfs_sha256 h;
	uint8_t dg[SARFS_SHA256_LEN];
	char line[512];
	size_t i;

	if (sarfs_sha256_init(&h))
		return -ENOMEM;
	snprintf(line, sizeof(line), "sarfs compare\n%s\n%d\n", SARFS_VERSION, SARFS_INDEX_FORMAT);
	sarfs_sha256_update(&h, line, strlen(line));
	for (i = 0; i < c->n; i++) {
		/* label and digest whole (an index's facts have no bound), then
		 * the file's identity */
		sarfs_sha256_update(&h, c->label[i], strlen(c->label[i]) + 1);
		sarfs_sha256_update(&h, m[i].sha, strlen(m[i].sha) + 1);
		snprintf(line, sizeof(line), "%llu %llu %lld %lld.%09ld\n",
			 (unsigned long long)m[i].st.st_dev,
			 (unsigned long long)m[i].st.st_ino, (long long)m[i].st.st_size,
			 (long long)m[i].st.st_mtim.tv_sec, m[i].st.st_mtim.tv_nsec);
		sarfs_sha256_update(&h, line, strlen(line));
	}
	sarfs_sha256_final(&h, dg);
	sarfs_hex(dg, SARFS_SHA256_LEN, key);
	return 0;
}

int sarfs_compare_prepare(char *const *paths, size_t n, const char *cache_dir,
			  struct sarfs_compare **out, struct sarfs_diag *d)
{
	struct sarfs_index *idx[SARFS_COMPARE_MAX] = { NULL };
	struct member m[SARFS_COMPARE_MAX];
	struct sarfs_compare *c = NULL;
	char key[SARFS_SHA256_HEX], *dir = NULL, *tmp = NULL;
	size_t i;
	int rc = 0;

	if (n < 2 || n > SARFS_COMPARE_MAX) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "between 2 and %d exports can be shown side by side, not %zu",
			       SARFS_COMPARE_MAX, n);
		return -EINVAL;
	}
	memset(m, 0, sizeof(m));
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->n = n;
	c->index = calloc(n, sizeof(*c->index));
	c->label = calloc(n, sizeof(*c->label));
	if (!c->index || !c->label) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		rc = sarfs_index_open(paths[i], &idx[i], d);
		if (rc)
			break;
		m[i].path = strdup(paths[i]);
		m[i].asof = sarfs_index_meta(idx[i], "asof");
		m[i].sha = sarfs_index_meta(idx[i], "source_sha256");
		if (!m[i].asof)
			m[i].asof = strdup("");
		if (!m[i].sha)
			m[i].sha = strdup("");
		if (!m[i].path || !m[i].asof || !m[i].sha)
			rc = -ENOMEM;
		else if (stat(paths[i], &m[i].st) != 0)
			rc = -errno;
		sarfs_index_close(idx[i]);
		idx[i] = NULL;
	}
	if (rc)
		goto out;
	qsort(m, n, sizeof(*m), cmp_member);
	for (i = 0; i < n; i++) {
		c->index[i] = m[i].path;
		m[i].path = NULL;
	}
	rc = make_labels(c, m);
	rc = rc ? rc : top_key(c, m, key);
	rc = rc ? rc : sarfs_cache_dir(cache_dir, &dir, d);
	if (rc)
		goto out;
	if (asprintf(&c->top, "%s/compare-%s.sarfs", dir, key) < 0) {
		c->top = NULL;
		rc = -ENOMEM;
		goto out;
	}
	if (access(c->top, R_OK) == 0) {
		struct sarfs_index *x = NULL;

		if (sarfs_index_open(c->top, &x, NULL) == 0) {
			sarfs_index_close(x);
			goto out;	/* built before */
		}
	}
	/* built beside, renamed into place: never a half-built one; named as
	 * the cache's own builds, so that what a killed build left behind
	 * is swept by the next one (cache.c) */
	if (asprintf(&tmp, "%s/build-%ld-%lx.sarfs", dir, (long)getpid(),
		     (unsigned long)pthread_self()) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
		goto out;
	}
	unlink(tmp);
	for (i = 0; i < n && !rc; i++)
		rc = sarfs_index_open(c->index[i], &idx[i], d);
	rc = rc ? rc : sarfs_compare_build(idx, c->label, n, tmp, d);
	if (!rc && rename(tmp, c->top) != 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot store '%s': %s", c->top,
			       strerror(errno));
	}
	if (rc)
		unlink(tmp);
out:
	for (i = 0; i < n; i++) {
		sarfs_index_close(idx[i]);
		free(m[i].path);
		free(m[i].asof);
		free(m[i].sha);
	}
	free(dir);
	free(tmp);
	if (rc) {
		sarfs_compare_free(c);
		return rc;
	}
	*out = c;
	return 0;
}
