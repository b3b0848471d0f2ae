/*
 * main.c - the sarfs command: mounting, and the commands that need no FUSE.
 *
 *   sarfs SOURCE MOUNTPOINT [-f] [-d] [-o opt,...]   mount (ll.c)
 *   sarfs index SOURCE -o OUT.sarfs [options]        build an index
 *   sarfs ls [-l] [-x] INDEX|SOURCE [PATH]           list the tree
 *   sarfs cat INDEX|SOURCE PATH                      print a file
 *   sarfs extract INDEX|SOURCE DIR                   copy the tree out
 *   sarfs diff [--json] [--brief] A B                what changed (diff.h)
 *   sarfs share --view VIEW SOURCE -o OUT.sarfs      a view to give away
 *   sarfs verify SHARE SOURCE [--view VIEW]          was it made from SOURCE?
 *
 * The offline commands use the core alone, as squashfuse_ls does, so the
 * tree can be tested, and used, where FUSE is not available.
 */
#include "config.h"
#include "sarfs/build.h"
#include "sarfs/buf.h"
#include "sarfs/cache.h"
#include "sarfs/diag.h"
#include "sarfs/diff.h"
#include "sarfs/index.h"
#include "sarfs/names.h"
#include "sarfs/share.h"
#include "sarfs/timefmt.h"
#include "sarfs/view.h"

#ifdef SARFS_HAVE_FUSE
#include "ll.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *prog = "sarfs";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: sarfs SOURCE MOUNTPOINT [-f] [-d] [-o opt,...]\n"
		"       sarfs index [--profile P] [--asof TIME] [--max-ratio N] [--expand-floor BYTES]\n"
		"                   [--max-record BYTES] SOURCE [PART...] -o OUT.sarfs\n"
		"       sarfs check [--json] [--subject ID] [--response FILE] INDEX|SOURCE\n"
		"       sarfs ls [-l] [-x] INDEX|SOURCE [PATH]\n"
		"       sarfs cat INDEX|SOURCE PATH\n"
		"       sarfs extract INDEX|SOURCE DIR\n"
		"       sarfs diff [--json] [--brief] INDEX|SOURCE INDEX|SOURCE\n"
		"       sarfs share --view VIEW [--profile P] [--subject ID] [--response FILE]\n"
		"                   [--asof TIME] SOURCE -o OUT.sarfs\n"
		"       sarfs verify [--view VIEW] [--profile P] [--subject ID] [--response FILE]\n"
		"                    [--asof TIME] SHARE.sarfs SOURCE\n"
		"       sarfs --help | --version\n"
		"\n"
		"SOURCE is a personal-data export: a folder, .zip, .tar or .tar.gz. sarfs\n"
		"shows it as a read-only tree (see sarfs(1) and README.txt in the mount).\n");
}

/* Common options of the offline commands. */
struct common {
	struct sarfs_build_options bo;
	const char *cache;
	const char *out;
	const char *view;
	int lflag, xflag, json, brief;
	int share;	/* the index is a share: ls -x shows original_sha256 too */
};

static int parse_size(const char *what, const char *s, unsigned long long *out)
{
	if (sarfs_parse_u64(s, 10, out) == 0)
		return 0;
	fprintf(stderr, "sarfs: --%s=%s is not a number\n", what, s);
	return -1;
}

static int parse_common(int argc, char **argv, struct common *c, int want_out)
{
	unsigned long long v;
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "asof", required_argument, NULL, 'a' },
		{ "cache", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "max-ratio", required_argument, NULL, 'R' },
		{ "subject", required_argument, NULL, 's' },
		{ "response", required_argument, NULL, 'r' },
		{ "no-response", no_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "brief", no_argument, NULL, 'q' },
		{ "expand-floor", required_argument, NULL, 'F' },
		{ "max-record", required_argument, NULL, 'M' },
		{ "view", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(c, 0, sizeof(*c));
	sarfs_build_options_default(&c->bo);
	c->bo.progress = isatty(STDERR_FILENO);
	optind = 1;
	while ((ch = getopt_long(argc, argv, want_out ? "o:p:a:c:s:r:h" : "lxqp:a:c:s:r:h", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'p':
			c->bo.profile = optarg;
			break;
		case 'a':
			c->bo.asof = optarg;
			break;
		case 'c':
			c->cache = optarg;
			break;
		case 'V':
			c->view = optarg;
			break;
		case 'o':
			c->out = optarg;
			break;
		case 's':
			c->bo.subject = optarg;
			break;
		case 'r':
			c->bo.response = optarg;
			break;
		case 'N':
			c->bo.no_response = 1;
			break;
		case 'j':
			c->json = 1;
			break;
		case 'q':
			c->brief = 1;
			break;
		case 'R':
			if (parse_size("max-ratio", optarg, &v))
				return -1;
			c->bo.limits.max_expand_ratio = (double)v;
			break;
		case 'F':
			if (parse_size("expand-floor", optarg, &v))
				return -1;
			c->bo.limits.expand_floor = v;
			break;
		case 'M':
			if (parse_size("max-record", optarg, &v))
				return -1;
			c->bo.max_record = (size_t)v;
			break;
		case 'l':
			c->lflag = 1;
			break;
		case 'x':
			c->xflag = 1;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	return 0;
}

static void report(struct sarfs_diag *d, FILE *f)
{
	sarfs_diag_print(d, f, "sarfs: ");
}

/* Opens an index, building it (in the cache) first if given a source. */
static int open_any(const char *arg, struct common *c, struct sarfs_index **idx)
{
	struct sarfs_diag d;
	char *path = NULL;
	int rc, built = 0;

	sarfs_diag_init(&d);
	if (sarfs_index_sniff(arg))
		path = strdup(arg);
	else if ((rc = sarfs_cache_index(arg, c->cache, &c->bo, &path, &built, &d)) != 0) {
		report(&d, stderr);
		sarfs_diag_destroy(&d);
		return rc;
	}
	if (!path) {
		sarfs_diag_destroy(&d);
		return -ENOMEM;
	}
	rc = sarfs_index_open(path, idx, &d);
	if (rc)
		report(&d, stderr);
	free(path);
	sarfs_diag_destroy(&d);
	return rc;
}

static int cmd_index(int argc, char **argv)
{
	struct sarfs_build_stats st;
	struct sarfs_diag d;
	struct common c;
	int rc;

	if (parse_common(argc, argv, &c, 1) != 0 || optind >= argc || !c.out) {
		fprintf(stderr, "usage: sarfs index [--profile P] [--asof TIME] SOURCE [PART...] "
				"-o OUT.sarfs\n");
		return 2;
	}
	/* several sources are the parts of one export, in their numbers'
	 * order if their names have numbers, else as given */
	if (argc - optind > 1) {
		sarfs_build_parts_order(argv + optind, (size_t)(argc - optind));
		c.bo.more_parts = argv + optind + 1;
		c.bo.nmore_parts = (size_t)(argc - optind - 1);
	}
	sarfs_diag_init(&d);
	rc = sarfs_build(argv[optind], c.out, &c.bo, &st, &d);
	report(&d, stderr);
	if (!rc)
		fprintf(stderr,
			"sarfs: %s: %llu files, %llu records from %llu structured files, "
			"%llu problems\n",
			c.out, (unsigned long long)st.files, (unsigned long long)st.records,
			(unsigned long long)st.structured, (unsigned long long)st.problems);
	sarfs_diag_destroy(&d);
	return rc ? 1 : 0;
}

/* What went wrong, for a message: for -EIO, what is wrong with the index
 * (sarfs_index_error()); buf holds the text if it is made here. */
static const char *why(struct sarfs_index *idx, int rc, char *buf, size_t n)
{
	const char *e = rc == -EIO ? sarfs_index_error(idx) : NULL;

	if (rc != -EIO)
		return strerror(-rc);
	snprintf(buf, n, "the index is damaged%s%s%s", e ? " (" : "", e ? e : "", e ? ")" : "");
	return buf;
}

/* Finds the node at a '/'-separated path. */
static int resolve(struct sarfs_index *idx, const char *path, struct sarfs_node *n)
{
	char *copy = strdup(path), *save = NULL, *part;
	int rc;

	if (!copy)
		return -ENOMEM;
	rc = sarfs_index_node(idx, SARFS_ROOT_ID, n);
	for (part = strtok_r(copy, "/", &save); part && !rc; part = strtok_r(NULL, "/", &save))
		rc = sarfs_index_lookup(idx, n->id, part, n);
	free(copy);
	return rc;
}

static void print_entry(struct sarfs_index *idx, const struct sarfs_node *n, const char *path,
			const struct common *c)
{
	char when[32];

	if (!c->lflag && !c->xflag) {
		printf("%s%s\n", path, n->dir ? "/" : "");
		return;
	}
	sarfs_time_format_utc(n->mtime, when);
	printf("%s%s\t%s\t%llu\t%s", path, n->dir ? "/" : "", n->dir ? "dir" : "file",
	       (unsigned long long)n->size, when);
	if (c->xflag && !n->dir) {
		char buf[4096];
		size_t i;

		/* the last attribute exists in shares only: other listings
		 * keep their three columns */
		for (i = 0; i < (c->share ? SARFS_NXATTR : SARFS_NXATTR - 1); i++) {
			ssize_t k = sarfs_index_getxattr(idx, n, sarfs_xattr_names[i], buf,
							 sizeof(buf) - 1);

			buf[k > 0 && (size_t)k < sizeof(buf) ? k : 0] = '\0';
			printf("\t%s", k > 0 ? buf : "-");
		}
	}
	printf("\n");
}

/* Lists every node below n, depth first in name order. Iterative over an
 * explicit stack, with the path built as it goes. */
struct lister {
	struct sarfs_index *idx;
	const struct common *c;
	struct sarfs_buf path;
	size_t plen;		/* the prefix's length */
};

static int list_one(void *ctx, const struct sarfs_node *n, const char *path, size_t len)
{
	struct lister *l = ctx;

	l->path.len = l->plen;
	if (l->plen && sarfs_buf_addc(&l->path, '/'))
		return -ENOMEM;
	if (sarfs_buf_add(&l->path, path, len))
		return -ENOMEM;
	print_entry(l->idx, n, l->path.data, l->c);
	return 0;
}

static int list_tree(struct sarfs_index *idx, const struct sarfs_node *top, const char *prefix,
		     const struct common *c)
{
	struct lister l = { idx, c, SARFS_BUF_INIT, strlen(prefix) };
	uint64_t bad = 0;
	int rc = sarfs_buf_adds(&l.path, prefix);

	if (!rc)
		rc = sarfs_index_walk(idx, top, list_one, &l, &bad);
	if (rc == -EIO) {
		char b[640];

		fprintf(stderr, "sarfs: ls: node %llu: %s\n", (unsigned long long)bad,
			why(idx, rc, b, sizeof(b)));
	}
	sarfs_buf_destroy(&l.path);
	return rc;
}

static int cmd_ls(int argc, char **argv)
{
	struct sarfs_index *idx = NULL;
	struct sarfs_node n;
	struct common c;
	const char *path;
	int rc;

	if (parse_common(argc, argv, &c, 0) != 0 || optind >= argc || optind + 2 < argc) {
		fprintf(stderr, "usage: sarfs ls [-l] [-x] INDEX|SOURCE [PATH]\n");
		return 2;
	}
	path = optind + 1 < argc ? argv[optind + 1] : "";
	rc = open_any(argv[optind], &c, &idx);
	if (rc)
		return 1;
	{
		char *vs = sarfs_index_meta(idx, "view_sha256");

		c.share = vs != NULL;
		free(vs);
	}
	rc = resolve(idx, path, &n);
	if (rc) {
		char b[640];

		fprintf(stderr, "sarfs: ls: '%s': %s\n", path, why(idx, rc, b, sizeof(b)));
	} else if (!n.dir) {
		print_entry(idx, &n, path, &c);
	} else {
		const char *p = path;

		while (*p == '/')
			p++;
		rc = list_tree(idx, &n, p, &c);
	}
	sarfs_index_close(idx);
	return rc ? 1 : 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int copy_out(struct sarfs_index *idx, const struct sarfs_node *n, int fd)
{
	char *buf = malloc(SARFS_CHUNK);
	uint64_t off = 0;
	size_t got;
	int rc = buf ? 0 : -ENOMEM;

	while (!rc && off < n->size) {
		rc = sarfs_index_read(idx, n, off, SARFS_CHUNK, buf, &got);
		if (!rc && got == 0)
			rc = -EIO;
		if (!rc)
			rc = write_all(fd, buf, got);
		off += got;
	}
	free(buf);
	return rc;
}

static int cmd_cat(int argc, char **argv)
{
	struct sarfs_index *idx = NULL;
	struct sarfs_node n;
	struct common c;
	int rc;

	if (parse_common(argc, argv, &c, 0) != 0 || optind + 2 != argc) {
		fprintf(stderr, "usage: sarfs cat INDEX|SOURCE PATH\n");
		return 2;
	}
	if (open_any(argv[optind], &c, &idx))
		return 1;
	rc = resolve(idx, argv[optind + 1], &n);
	if (!rc && n.dir)
		rc = -EISDIR;
	if (!rc)
		rc = copy_out(idx, &n, STDOUT_FILENO);
	if (rc) {
		char b[640];

		fprintf(stderr, "sarfs: cat: '%s': %s\n", argv[optind + 1], why(idx, rc, b, sizeof(b)));
	}
	sarfs_index_close(idx);
	return rc ? 1 : 0;
}

/* Writes the subtree of dir into the directory fd, recursively (the
 * index's depth is bounded by the tree builder). */
static int extract_dir(struct sarfs_index *idx, const struct sarfs_node *dir, int dfd)
{
	uint64_t id;
	int rc = 0;

	for (id = dir->first; id < dir->first + dir->nchild && !rc; id++) {
		struct sarfs_node n;
		struct timespec ts[2];
		char *name;
		int fd;

		rc = sarfs_index_node(idx, id, &n);
		name = rc ? NULL : sarfs_index_name(idx, id);
		if (!rc && (!name || n.parent != dir->id))
			rc = -EIO;	/* not a well-formed tree: never write it out */
		if (rc) {
			char b[640];

			fprintf(stderr, "sarfs: extract: node %llu: %s\n", (unsigned long long)id,
				why(idx, rc, b, sizeof(b)));
			free(name);
			break;
		}
		ts[0].tv_sec = ts[1].tv_sec = n.mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		if (n.dir) {
			if (mkdirat(dfd, name, 0755) != 0) {
				rc = -errno;
			} else if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
							     O_CLOEXEC)) < 0) {
				rc = -errno;
			} else {
				rc = extract_dir(idx, &n, fd);
				close(fd);
				if (rc) {
					/* said where it happened, below */
					free(name);
					break;
				}
			}
		} else {
			fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				    0644);
			if (fd < 0) {
				rc = -errno;
			} else {
				rc = copy_out(idx, &n, fd);
				if (close(fd) != 0 && !rc)
					rc = -errno;
				/* no file with only some of its bytes (or none) is
				 * left behind looking like the whole of it */
				if (rc)
					unlinkat(dfd, name, 0);
			}
		}
		if (!rc)
			utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW);
		if (rc) {
			char b[640];

			fprintf(stderr, "sarfs: extract: '%s': %s\n", name, why(idx, rc, b, sizeof(b)));
		}
		free(name);
	}
	return rc;
}

static int cmd_extract(int argc, char **argv)
{
	struct sarfs_index *idx = NULL;
	struct sarfs_node root;
	struct common c;
	int rc, fd;

	if (parse_common(argc, argv, &c, 0) != 0 || optind + 2 != argc) {
		fprintf(stderr, "usage: sarfs extract INDEX|SOURCE DIR\n");
		return 2;
	}
	if (mkdir(argv[optind + 1], 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "sarfs: extract: cannot create '%s': %s\n", argv[optind + 1],
			strerror(errno));
		return 1;
	}
	if (open_any(argv[optind], &c, &idx))
		return 1;
	fd = open(argv[optind + 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd < 0 ? -errno : sarfs_index_node(idx, SARFS_ROOT_ID, &root);
	if (!rc)
		rc = extract_dir(idx, &root, fd);
	if (fd >= 0)
		close(fd);
	sarfs_index_close(idx);
	return rc ? 1 : 0;
}

/* `sarfs check`: the gap list, without mounting. Exit status as diff(1):
 * 0 no gaps, 1 gaps, 2 trouble. */
static int cmd_check(int argc, char **argv)
{
	struct sarfs_index *idx = NULL;
	sqlite3_stmt *st = NULL;
	struct common c;
	json_t *out = NULL, *gaps = NULL;
	long n = 0;
	int rc, s;
	char *meta[5] = { NULL };
	static const char *const keys[5] = { "source", "source_sha256", "profile", "subject", "asof" };

	if (parse_common(argc, argv, &c, 0) != 0 || optind + 1 != argc) {
		fprintf(stderr, "usage: sarfs check [--json] [--subject ID] [--response FILE] "
				"INDEX|SOURCE\n");
		return 2;
	}
	if (open_any(argv[optind], &c, &idx))
		return 2;
	for (s = 0; s < 5; s++)
		meta[s] = sarfs_index_meta(idx, keys[s]);
	rc = sqlite3_prepare_v2(sarfs_index_db(idx),
				"SELECT id, path, title, law, said, status FROM gap ORDER BY seq", -1,
				&st, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "sarfs: check: %s\n", sqlite3_errmsg(sarfs_index_db(idx)));
		rc = 2;
		goto out;
	}
	if (c.json) {
		out = json_object();
		gaps = json_array();
		for (s = 0; s < 5; s++)
			json_object_set_new(out, keys[s], json_string(meta[s] ? meta[s] : ""));
	} else {
		printf("%s (profile %s)\n", meta[0] ? meta[0] : "?", meta[2] ? meta[2] : "?");
		if (meta[3] && meta[3][0])
			printf("subject: %s\n", meta[3]);
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[6];
		int i;

		for (i = 0; i < 6; i++)
			col[i] = (const char *)sqlite3_column_text(st, i);
		n++;
		if (c.json) {
			json_t *g = json_object();

			json_object_set_new(g, "id", json_string(col[0]));
			json_object_set_new(g, "path", json_string(col[1]));
			json_object_set_new(g, "title", json_string(col[2]));
			json_object_set_new(g, "law", json_string(col[3]));
			json_object_set_new(g, "controller_said", json_string(col[4]));
			json_object_set_new(g, "status", json_string(col[5]));
			json_array_append_new(gaps, g);
		} else {
			printf("\n%s\n    %s\n    %s\n", col[1], col[2], col[3]);
			if (strcmp(col[5], "missing") != 0)
				printf("    status: %s\n", col[5]);
			if (col[4][0])
				printf("    controller: %s\n", col[4]);
		}
	}
	if (s != SQLITE_DONE) {
		fprintf(stderr, "sarfs: check: %s\n", sqlite3_errmsg(sarfs_index_db(idx)));
		rc = 2;
		goto out;
	}
	if (c.json) {
		char *text;

		json_object_set_new(out, "gaps", gaps);
		gaps = NULL;
		json_object_set_new(out, "gap_count", json_integer(n));
		text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text)
			printf("%s\n", text);
		free(text);
	} else {
		printf("\n%ld gap%s\n", n, n == 1 ? "" : "s");
	}
	rc = n ? 1 : 0;
out:
	json_decref(out);
	json_decref(gaps);
	for (s = 0; s < 5; s++)
		free(meta[s]);
	sqlite3_finalize(st);
	sarfs_index_close(idx);
	return rc;
}

/* Exit status as diff(1)'s: 0 the same, 1 different, 2 trouble. */
static int cmd_diff(int argc, char **argv)
{
	struct sarfs_index *a = NULL, *b = NULL;
	struct sarfs_diff *df = NULL;
	struct sarfs_buf out = SARFS_BUF_INIT;
	struct sarfs_diag d;
	struct common c;
	size_t i;
	int rc = 2;

	if (parse_common(argc, argv, &c, 0) != 0 || optind + 2 != argc) {
		fprintf(stderr, "usage: sarfs diff [--json] [--brief] INDEX|SOURCE INDEX|SOURCE\n");
		return 2;
	}
	sarfs_diag_init(&d);
	if (open_any(argv[optind], &c, &a) != 0 || open_any(argv[optind + 1], &c, &b) != 0)
		goto out;
	if (sarfs_diff_compute(a, b, &df, &d) != 0) {
		report(&d, stderr);
		goto out;
	}
	if (c.json) {
		json_t *j = sarfs_diff_json(a, b, df, !c.brief);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

		json_decref(j);
		if (!text) {
			fprintf(stderr, "sarfs: diff: out of memory, or an index could not be read\n");
			goto out;
		}
		printf("%s\n", text);
		free(text);
	} else {
		if (sarfs_diff_summary(df, &out) != 0)
			goto out;
		for (i = 0; !c.brief && i < df->nfiles; i++) {
			if (sarfs_buf_adds(&out, i ? "" : "\n") ||
			    sarfs_diff_patch(a, b, &df->files[i], &out) != 0) {
				fprintf(stderr, "sarfs: diff: %s: cannot read it from the index\n",
					df->files[i].b.path ? df->files[i].b.path : df->files[i].a.path);
				goto out;
			}
			/* written as it goes: a million changes need not be held */
			if (out.len > (1u << 20)) {
				fwrite(out.data, 1, out.len, stdout);
				sarfs_buf_reset(&out);
			}
		}
		if (out.len)
			fwrite(out.data, 1, out.len, stdout);
	}
	rc = sarfs_diff_any(df);
out:
	sarfs_buf_destroy(&out);
	sarfs_diff_free(df);
	sarfs_index_close(a);
	sarfs_index_close(b);
	sarfs_diag_destroy(&d);
	return rc;
}

/* `sarfs share`: a view of an export, to give away (share.h). */
static int cmd_share(int argc, char **argv)
{
	struct sarfs_share_stats st;
	struct sarfs_view *v = NULL;
	struct sarfs_diag d;
	struct common c;
	int rc;

	if (parse_common(argc, argv, &c, 1) != 0 || optind + 1 != argc || !c.out || !c.view) {
		fprintf(stderr, "usage: sarfs share --view VIEW [--profile P] [--subject ID] "
				"[--response FILE] [--asof TIME] SOURCE -o OUT.sarfs\n");
		return 2;
	}
	sarfs_diag_init(&d);
	rc = sarfs_view_load(c.view, &v, &d);
	if (!rc)
		rc = sarfs_share(argv[optind], v, c.out, &c.bo, c.cache, &st, &d);
	report(&d, stderr);
	if (!rc)
		fprintf(stderr,
			"sarfs: %s: the view '%s' of %s: %llu of %llu files shown (%llu left out, "
			"%llu withheld), %llu altered, %llu values replaced\n",
			c.out, sarfs_view_name(v), argv[optind], (unsigned long long)st.shown,
			(unsigned long long)st.files, (unsigned long long)st.excluded,
			(unsigned long long)st.withheld, (unsigned long long)st.altered,
			(unsigned long long)st.places);
	sarfs_view_free(v);
	sarfs_diag_destroy(&d);
	return rc ? 1 : 0;
}

/* `sarfs verify`: exit status 0 verified, 1 not (the first difference is
 * named), 2 trouble (usage, an unreadable export or view). */
static int cmd_verify(int argc, char **argv)
{
	struct sarfs_buf said = SARFS_BUF_INIT;
	struct sarfs_view *v = NULL;
	struct sarfs_diag d;
	struct common c;
	int rc;

	if (parse_common(argc, argv, &c, 1) != 0 || optind + 2 != argc) {
		fprintf(stderr, "usage: sarfs verify [--view VIEW] [--profile P] [--subject ID] "
				"[--response FILE] [--asof TIME] SHARE.sarfs SOURCE\n");
		return 2;
	}
	c.bo.progress = 0;
	sarfs_diag_init(&d);
	rc = c.view ? sarfs_view_load(c.view, &v, &d) : sarfs_share_view(argv[optind], &v, &d);
	if (rc == -EINVAL && !c.view && sarfs_index_sniff(argv[optind])) {
		/* not a share, or its stored view does not match: not verified */
		report(&d, stderr);
		rc = 1;
		goto out;
	}
	if (rc) {
		report(&d, stderr);
		rc = 2;
		goto out;
	}
	rc = sarfs_share_verify(argv[optind], argv[optind + 1], v, &c.bo, c.cache, &said, &d);
	if (rc < 0) {
		report(&d, stderr);
		fprintf(stderr, "sarfs: verify: cannot rebuild the share from '%s': %s\n",
			argv[optind + 1], strerror(-rc));
		rc = 2;
	} else if (rc == 0) {
		printf("sarfs: %s\n", said.data);
	} else {
		fprintf(stderr, "sarfs: NOT verified: %s\n", said.data ? said.data : "?");
		rc = 1;
	}
out:
	sarfs_view_free(v);
	sarfs_buf_destroy(&said);
	sarfs_diag_destroy(&d);
	return rc;
}

/* What a command printed must have reached its reader: `sarfs diff >
 * /dev/full` is trouble (2), not "the exports differ". */
static int output_written(int rc)
{
	/* a write that failed earlier left only the error flag: its errno is
	 * long gone */
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sarfs: cannot write the output: %s\n", strerror(errno));
		return 2;
	}
	if (ferror(stdout)) {
		fprintf(stderr, "sarfs: cannot write the output\n");
		return 2;
	}
	return rc;
}

int main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	prog = argv[0];
	(void)prog;
	if (!cmd) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "index") == 0)
		return output_written(cmd_index(argc - 1, argv + 1));
	if (strcmp(cmd, "ls") == 0)
		return output_written(cmd_ls(argc - 1, argv + 1));
	if (strcmp(cmd, "check") == 0)
		return output_written(cmd_check(argc - 1, argv + 1));
	if (strcmp(cmd, "cat") == 0)
		return output_written(cmd_cat(argc - 1, argv + 1));
	if (strcmp(cmd, "extract") == 0)
		return output_written(cmd_extract(argc - 1, argv + 1));
	if (strcmp(cmd, "diff") == 0)
		return output_written(cmd_diff(argc - 1, argv + 1));
	if (strcmp(cmd, "share") == 0)
		return output_written(cmd_share(argc - 1, argv + 1));
	if (strcmp(cmd, "verify") == 0)
		return output_written(cmd_verify(argc - 1, argv + 1));
#ifdef SARFS_HAVE_FUSE
	return sarfs_mount_main(argc, argv);
#else
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("sarfs version %s (index format %d), built without FUSE\n", SARFS_VERSION,
		       SARFS_INDEX_FORMAT);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		print_usage(stdout);
		return 0;
	}
	fprintf(stderr, "sarfs: this sarfs was built without FUSE: it cannot mount; "
			"use sarfs index, ls, cat, extract, check, share or verify\n");
	return 1;
#endif
}
