/*
 * ll.c - the FUSE glue: serves an index over the low-level API.
 *
 * Thin on purpose: every operation asks the index (index.h) and replies
 * exactly once. The inode number is the node id. Because an index never
 * changes, the kernel may cache everything forever: entries, attributes,
 * negative lookups, directory listings and file pages (DESIGN: "each knob
 * taken away cost about 20 us per file"). open and opendir answer ENOSYS
 * where the kernel supports that, so they cost no round trip at all; the
 * kernel then keeps the page cache and caches readdir (FOPEN_KEEP_CACHE and
 * FOPEN_CACHE_DIR are its defaults for no-open).
 *
 * One thread serves all requests: the index's SQLite connection is not
 * shared, and DESIGN's probe found that a second thread gains nothing for
 * one client on two cores.
 *
 * Several exports side by side (compare.h) are slots: slot 0 is the top
 * index (README.txt, changes/), slot k the k-th export's own index, whose
 * root is grafted into the top's root under the export's label. An inode
 * number is the slot in its top 16 bits and the node id below, so a single
 * export's inode numbers are its node ids, as before.
 */
#define FUSE_USE_VERSION 35

#include "ll.h"

#include "config.h"
#include "sarfs/build.h"
#include "sarfs/cache.h"
#include "sarfs/compare.h"
#include "sarfs/diag.h"
#include "sarfs/index.h"
#include "sarfs/names.h"

#include <errno.h>
#include <float.h>
#include <fuse_lowlevel.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* Forever, as far as the kernel is concerned (libfuse clamps it). */
static const double TIMEOUT = 1e9;

/* How far the pusher keeps ahead of a reader going through a folder. */
#define PUSH_FILES 64
#define PUSH_BYTES (8u << 20)
#define PUSH_MAX_FILE (1u << 20)
/* Two pushers: a reader such as grep leaves most of a core idle, and each
 * push costs more CPU (reading the index, filling pages) than the reader
 * spends on the file. */
#define NPUSH 2

/* Inode numbers: slot << SLOT_SHIFT | node id. */
#define SLOT_SHIFT 48
#define ID_MASK ((UINT64_C(1) << SLOT_SHIFT) - 1)
#define NSLOTS (SARFS_COMPARE_MAX + 1)

struct sarfs_fs {
	struct sarfs_index *idx[NSLOTS];
	unsigned nslots;		/* 1: one export; else the top and the exports */
	char *label[NSLOTS];		/* slots 1..: the names grafted into the root */
	struct fuse_session *se;
	/* The pusher: a reader that goes through a folder's files in order
	 * (grep -r, cat *, diff -r) would pay one round trip per file. Each
	 * READ tells the pusher where the reader is; it stores the next files
	 * of that folder in the kernel's page cache ahead of it
	 * (FUSE_NOTIFY_STORE), so those reads never reach us. It runs on its
	 * own thread with its own connection to the index: storing into a
	 * page that a pending READ holds locked must not block the thread
	 * that would answer that READ. */
	struct pusher {
		struct sarfs_fs *fs;
		struct sarfs_index *idx[NSLOTS];	/* its own connections */
		pthread_t th;
		unsigned k;			/* it pushes the files with id % NPUSH == k */
		uint64_t hint;			/* the file read last (inode), 0 if none */
		uint64_t upto;			/* the last inode it has covered */
		int started;
	} push[NPUSH];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int push_on, push_stop;
	uid_t uid;
	gid_t gid;
	mode_t umask;
	int no_open, no_opendir;	/* the kernel accepts ENOSYS for them */
	char *buf;			/* read buffer, grown as needed */
	size_t bufsize;
	char *path[NSLOTS];		/* borrowed: the slots' index files */
	int cached[NSLOTS];		/* the index is sarfs's own, in the cache */
	int evicted[NSLOTS];		/* ... and was removed from it, damaged */
	unsigned logged;		/* read errors logged so far */
};

static struct sarfs_fs *fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* Replies to a request that failed. A reader only sees "Input/output
 * error": what was wrong with the index is logged (on stderr, in syslog
 * once daemonized), up to 20 times. An index of the cache found damaged
 * (SQLite found a page malformed, or bytes did not match their digest) is
 * removed from it, so that the next mount builds it again from the export;
 * this mount goes on serving what it can read. Main thread only. */
static void reply_err(fuse_req_t req, struct sarfs_fs *fs, unsigned slot, int rc)
{
	const char *why = rc == -EIO && slot < fs->nslots ? sarfs_index_error(fs->idx[slot]) : NULL;

	if (why && fs->logged < 20) {
		fuse_log(FUSE_LOG_ERR, "sarfs: index '%s' is damaged: %s%s\n", fs->path[slot], why,
			 ++fs->logged == 20 ? " (further errors are not logged)" : "");
	}
	if (why && fs->cached[slot] && !fs->evicted[slot] && sarfs_index_damaged(fs->idx[slot])) {
		fs->evicted[slot] = 1;
		if (unlink(fs->path[slot]) == 0)
			fuse_log(FUSE_LOG_ERR, "sarfs: removed the damaged index '%s' from the cache: "
				 "the next mount builds it again\n", fs->path[slot]);
	}
	fuse_reply_err(req, -rc);
}

/* Replies EIO to a request that found the index's tree malformed where
 * the index itself cannot see it (a child outside its folder, an id too
 * large for an inode), and logs that (up to 20 times, as reply_err). */
static void reply_malformed(fuse_req_t req, struct sarfs_fs *fs, unsigned slot, uint64_t id)
{
	if (fs->logged < 20)
		fuse_log(FUSE_LOG_ERR, "sarfs: index '%s' is damaged: node %llu is not where "
			 "its folder's children are, or its ids do not fit an inode%s\n",
			 slot < fs->nslots ? fs->path[slot] : "?", (unsigned long long)id,
			 ++fs->logged == 20 ? " (further errors are not logged)" : "");
	fuse_reply_err(req, EIO);
}

static fuse_ino_t ino_of(unsigned slot, uint64_t id)
{
	return (fuse_ino_t)((uint64_t)slot << SLOT_SHIFT | id);
}

/* The slot and node of inode ino, in the connections idx. Returns 0,
 * -ENOENT, or -EIO (an index whose ids do not fit an inode number). */
static int node_of(struct sarfs_index *const *idx, unsigned nslots, fuse_ino_t ino,
		   unsigned *slot, struct sarfs_node *n)
{
	unsigned s = (unsigned)((uint64_t)ino >> SLOT_SHIFT);
	int rc;

	if (s >= nslots || ((uint64_t)ino & ID_MASK) == 0)
		return -ENOENT;
	rc = sarfs_index_node(idx[s], (uint64_t)ino & ID_MASK, n);
	if (!rc && ((n->first + n->nchild) & ~ID_MASK))
		rc = -EIO;
	*slot = s;
	return rc;
}

/* Whether (slot, id) is the root of the whole mount, which holds the
 * exports' folders too when there are several. */
static int is_top_root(const struct sarfs_fs *fs, unsigned slot, uint64_t id)
{
	return fs->nslots > 1 && slot == 0 && id == SARFS_ROOT_ID;
}

static void fill_stat(const struct sarfs_fs *fs, unsigned slot, const struct sarfs_node *n,
		      struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino_of(slot, n->id);
	if (n->dir) {
		st->st_mode = S_IFDIR | (0555 & ~fs->umask);
		st->st_nlink = 2 + n->nsubdir;
		if (is_top_root(fs, slot, n->id))
			st->st_nlink += fs->nslots - 1;
	} else {
		st->st_mode = S_IFREG | (0444 & ~fs->umask);
		st->st_nlink = 1;
		st->st_size = (off_t)n->size;
		st->st_blocks = (blkcnt_t)((n->size + 511) / 512);
	}
	st->st_blksize = 4096;
	st->st_uid = fs->uid;
	st->st_gid = fs->gid;
	st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = n->mtime;
}

static void fill_entry(const struct sarfs_fs *fs, unsigned slot, const struct sarfs_node *n,
		       struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = ino_of(slot, n->id);
	e->generation = 1;
	e->attr_timeout = TIMEOUT;
	e->entry_timeout = TIMEOUT;
	fill_stat(fs, slot, n, &e->attr);
}

/* The slot grafted at name in the mount's root, or 0. */
static unsigned graft_of(const struct sarfs_fs *fs, const char *name)
{
	unsigned k;

	for (k = 1; k < fs->nslots; k++)
		if (strcmp(fs->label[k], name) == 0)
			return k;
	return 0;
}

static void op_init(void *data, struct fuse_conn_info *conn)
{
	struct sarfs_fs *fs = data;

	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	/* always "plus": a listing then fills the attribute cache in one go */
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	/* nothing ever changes: no reason to drop pages on an mtime check */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	fs->no_open = !!(conn->capable & FUSE_CAP_NO_OPEN_SUPPORT);
	fs->no_opendir = !!(conn->capable & FUSE_CAP_NO_OPENDIR_SUPPORT);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct sarfs_fs *fs = fs_of(req);
	struct fuse_entry_param e;
	struct sarfs_node n;
	unsigned slot = 0, k;
	int rc;

	if (strlen(name) > 255) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	rc = node_of(fs->idx, fs->nslots, parent, &slot, &n);
	if (!rc && is_top_root(fs, slot, n.id) && (k = graft_of(fs, name)) != 0) {
		rc = sarfs_index_node(fs->idx[k], SARFS_ROOT_ID, &n);
		slot = k;
	} else if (!rc) {
		struct sarfs_node dir = n;

		rc = sarfs_index_lookup(fs->idx[slot], dir.id, name, &n);
		/* a child is in its folder's range (a damaged index could name
		 * another node, even one whose id reaches into another slot) */
		if (!rc && (n.id < dir.first || n.id - dir.first >= dir.nchild)) {
			reply_malformed(req, fs, slot, n.id);
			return;
		}
	}
	if (!rc && ((n.id | (n.first + n.nchild)) & ~ID_MASK)) {
		reply_malformed(req, fs, slot, n.id);
		return;
	}
	if (rc == -ENOENT) {
		/* a negative entry, cached forever too */
		memset(&e, 0, sizeof(e));
		e.entry_timeout = TIMEOUT;
		fuse_reply_entry(req, &e);
		return;
	}
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	fill_entry(fs, slot, &n, &e);
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	struct stat st;
	unsigned slot = 0;
	int rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);

	(void)fi;
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	fill_stat(fs, slot, &n, &st);
	fuse_reply_attr(req, &st, TIMEOUT);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	unsigned slot = 0;
	int rc;

	if (fs->no_open) {
		fuse_reply_err(req, ENOSYS);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EROFS);
		return;
	}
	rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	if (n.dir) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	fi->keep_cache = 1;
	fuse_reply_open(req, fi);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	unsigned slot = 0;
	int rc;

	if (fs->no_opendir) {
		fuse_reply_err(req, ENOSYS);
		return;
	}
	rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	if (!n.dir) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	fi->keep_cache = 1;
	fi->cache_readdir = 1;
	fuse_reply_open(req, fi);
}

static int grow(struct sarfs_fs *fs, size_t size)
{
	char *p;

	if (size <= fs->bufsize)
		return 0;
	p = realloc(fs->buf, size);
	if (!p)
		return -ENOMEM;
	fs->buf = p;
	fs->bufsize = size;
	return 0;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	size_t got = 0;
	unsigned slot = 0;
	int rc;

	(void)fi;
	rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);
	if (!rc)
		rc = grow(fs, size);
	if (!rc)
		rc = sarfs_index_read(fs->idx[slot], &n, (uint64_t)off, size, fs->buf, &got);
	if (rc)
		reply_err(req, fs, slot, rc);
	else
		fuse_reply_buf(req, fs->buf, got);
	if (!rc && off == 0 && fs->push_on) {
		unsigned k;

		pthread_mutex_lock(&fs->mu);
		for (k = 0; k < NPUSH; k++)
			fs->push[k].hint = ino;
		pthread_cond_broadcast(&fs->cv);
		pthread_mutex_unlock(&fs->mu);
	}
}

/* Stores one file's bytes in the kernel's page cache. */
static int push_file(struct pusher *p, unsigned slot, const struct sarfs_node *n, char *buf)
{
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(0);
	size_t got = 0;
	int rc;

	rc = sarfs_index_read(p->idx[slot], n, 0, (size_t)n->size, buf, &got);
	if (rc || got != n->size)
		return rc ? rc : -EIO;
	bv.buf[0].mem = buf;
	bv.buf[0].size = got;
	/* -ENOENT: the kernel does not hold this inode (never looked up) */
	return fuse_lowlevel_notify_store(p->fs->se, ino_of(slot, n->id), 0, &bv, 0);
}

static void *pusher_main(void *arg)
{
	struct pusher *p = arg;
	struct sarfs_fs *fs = p->fs;
	char *buf = malloc(PUSH_MAX_FILE);

	if (!buf)
		return NULL;
	pthread_mutex_lock(&fs->mu);
	for (;;) {
		struct sarfs_node at, n;
		uint64_t hint, id, end, bytes = 0;
		unsigned slot, s2;

		while (!p->hint && !fs->push_stop)
			pthread_cond_wait(&fs->cv, &fs->mu);
		if (fs->push_stop)
			break;
		hint = p->hint;
		p->hint = 0;
		/* already ahead of this reader: nothing to do */
		if (p->upto > hint + PUSH_FILES / 2 && p->upto <= hint + PUSH_FILES * 4)
			continue;
		id = p->upto > hint && p->upto <= hint + PUSH_FILES * 4 ? p->upto + 1 : hint + 1;
		end = hint + PUSH_FILES;
		pthread_mutex_unlock(&fs->mu);
		if (node_of(p->idx, fs->nslots, hint, &slot, &at) == 0) {
			/* the siblings after it: consecutive ids (and inode
			 * numbers), same parent */
			for (; id <= end && bytes < PUSH_BYTES / NPUSH; id++) {
				if (id % NPUSH != p->k)
					continue;
				if (node_of(p->idx, fs->nslots, id, &s2, &n) != 0 || s2 != slot ||
				    n.parent != at.parent)
					break;
				if (n.dir || n.size == 0 || n.size > PUSH_MAX_FILE)
					continue;
				if (push_file(p, slot, &n, buf) == 0)
					bytes += n.size;
			}
		}
		pthread_mutex_lock(&fs->mu);
		p->upto = id - 1;
	}
	pthread_mutex_unlock(&fs->mu);
	free(buf);
	return NULL;
}

/* Adds one entry to the reply; returns 0 if it does not fit. */
static size_t add_entry(fuse_req_t req, struct sarfs_fs *fs, size_t used, size_t size,
			const char *name, unsigned slot, const struct sarfs_node *n, off_t next,
			int plus)
{
	struct fuse_entry_param e;
	size_t k;

	fill_entry(fs, slot, n, &e);
	if (plus)
		k = fuse_add_direntry_plus(req, fs->buf + used, size - used, name, &e, next);
	else
		k = fuse_add_direntry(req, fs->buf + used, size - used, name, &e.attr, next);
	return k > size - used ? 0 : k;
}

struct top_entry {
	char *name;
	unsigned slot;
	struct sarfs_node n;
};

static int cmp_top_entry(const void *x, const void *y)
{
	return strcmp(((const struct top_entry *)x)->name, ((const struct top_entry *)y)->name);
}

/* The mount's root with several exports: the top index's own entries and
 * the exports' folders, in byte order of name (a few entries: built for
 * each call). Returns the count, or a negative errno. */
static ssize_t top_entries(struct sarfs_fs *fs, const struct sarfs_node *root,
			   struct top_entry **out)
{
	struct sarfs_index_iter *it = NULL;
	struct top_entry *v = calloc(root->nchild + fs->nslots, sizeof(*v));
	const char *name;
	size_t n = 0, i;
	unsigned k;
	int rc;

	if (!v)
		return -ENOMEM;
	rc = sarfs_index_iter_open(fs->idx[0], root, root->first, root->first + root->nchild, &it);
	while (!rc && n < root->nchild && (rc = sarfs_index_iter_next(it, &v[n].n, &name)) == 1) {
		v[n].name = strdup(name);
		rc = v[n++].name ? 0 : -ENOMEM;
	}
	sarfs_index_iter_close(it);
	for (k = 1; rc >= 0 && k < fs->nslots; k++) {
		rc = sarfs_index_node(fs->idx[k], SARFS_ROOT_ID, &v[n].n);
		v[n].slot = k;
		v[n].name = strdup(fs->label[k]);
		if (!rc && !v[n].name)
			rc = -ENOMEM;
		n++;
	}
	if (rc < 0) {
		for (i = 0; i < n; i++)
			free(v[i].name);
		free(v);
		return rc;
	}
	qsort(v, n, sizeof(*v), cmp_top_entry);
	*out = v;
	return (ssize_t)n;
}

/* Offsets: 0 is the start; "." is at 0 and leads to 1, ".." to 2; child
 * k (0-based) leads to 3 + k. */
static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, int plus)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_index_iter *it = NULL;
	struct sarfs_node dir, n;
	const char *name;
	size_t used = 0, k;
	unsigned slot = 0;
	int rc;

	rc = node_of(fs->idx, fs->nslots, ino, &slot, &dir);
	if (!rc && !dir.dir)
		rc = -ENOTDIR;
	if (!rc)
		rc = grow(fs, size);
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	while (off < 2) {
		struct sarfs_node self = dir;
		unsigned ss = slot;

		/* an export's root is a folder of the mount's root */
		if (off == 1 && slot > 0 && dir.id == SARFS_ROOT_ID) {
			ss = 0;
			if (sarfs_index_node(fs->idx[0], SARFS_ROOT_ID, &self) != 0)
				self = dir, ss = slot;
		} else if (off == 1 && sarfs_index_node(fs->idx[slot], dir.parent, &self) != 0) {
			self = dir;
		}
		k = add_entry(req, fs, used, size, off == 0 ? "." : "..", ss, &self, off + 1, plus);
		if (!k)
			goto reply;
		used += k;
		off++;
	}
	if (is_top_root(fs, slot, dir.id)) {
		struct top_entry *v = NULL;
		ssize_t nv = top_entries(fs, &dir, &v), i;

		if (nv < 0) {
			fuse_reply_err(req, (int)-nv);
			return;
		}
		for (i = off - 2; i < nv; i++) {
			k = add_entry(req, fs, used, size, v[i].name, v[i].slot, &v[i].n, off + 1,
				      plus);
			if (!k)
				break;
			used += k;
			off++;
		}
		for (i = 0; i < nv; i++)
			free(v[i].name);
		free(v);
		goto reply;
	}
	if ((uint64_t)off - 2 >= dir.nchild)
		goto reply;
	rc = sarfs_index_iter_open(fs->idx[slot], &dir, dir.first + (uint64_t)off - 2,
				   dir.first + dir.nchild, &it);
	while (!rc && (rc = sarfs_index_iter_next(it, &n, &name)) == 1) {
		rc = 0;
		k = add_entry(req, fs, used, size, name, slot, &n, off + 1, plus);
		if (!k)
			break;
		used += k;
		off++;
	}
	sarfs_index_iter_close(it);
	if (rc < 0) {
		reply_err(req, fs, slot, rc);
		return;
	}
reply:
	fuse_reply_buf(req, fs->buf, used);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, 0);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, 1);
}

/* The xattr protocol: size 0 asks for the length; a buffer too small is
 * ERANGE. need is what the index said (a length, or a negative errno). */
static void reply_xattr(fuse_req_t req, struct sarfs_fs *fs, unsigned slot, ssize_t need,
			size_t size)
{
	if (need < 0)
		reply_err(req, fs, slot, (int)need);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)need);
	else if ((size_t)need > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, fs->buf, (size_t)need);
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	unsigned slot = 0;
	int rc;

	/* sarfs keeps no security labels and no ACLs: "not supported" for
	 * every namespace but user.* (not "no such attribute") lets ls -l,
	 * cp -a and tar stop asking after the first file of the mount, where
	 * they otherwise cost two round trips a file (coreutils remembers it
	 * per device); the kernel passes the answer on as it is */
	if (strncmp(name, "user.", 5) != 0) {
		fuse_reply_err(req, EOPNOTSUPP);
		return;
	}
	rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);
	if (!rc)
		rc = grow(fs, size);
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	reply_xattr(req, fs, slot, sarfs_index_getxattr(fs->idx[slot], &n, name, size ? fs->buf : NULL,
						  size),
		    size);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct sarfs_fs *fs = fs_of(req);
	struct sarfs_node n;
	unsigned slot = 0;
	int rc = node_of(fs->idx, fs->nslots, ino, &slot, &n);

	if (!rc)
		rc = grow(fs, size);
	if (rc) {
		reply_err(req, fs, slot, rc);
		return;
	}
	reply_xattr(req, fs, slot, sarfs_index_listxattr(fs->idx[slot], &n, size ? fs->buf : NULL, size),
		    size);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct sarfs_fs *fs = fs_of(req);
	struct statvfs sv;
	uint64_t nodes = 0, bytes = 0, a, b;
	unsigned k;

	(void)ino;
	for (k = 0; k < fs->nslots; k++) {
		a = b = 0;
		sarfs_index_stats(fs->idx[k], &a, &b);
		nodes += a;
		bytes += b;
	}
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = 4096;
	sv.f_frsize = 4096;
	sv.f_blocks = (fsblkcnt_t)((bytes + 4095) / 4096);
	sv.f_files = (fsfilcnt_t)nodes;
	sv.f_namemax = 255;
	sv.f_flag = ST_RDONLY;
	fuse_reply_statfs(req, &sv);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	/* nodes live as long as the index: nothing to count */
	(void)ino;
	(void)nlookup;
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	(void)count;
	(void)forgets;
	fuse_reply_none(req);
}

/* Every call that would change something. The mount is also read-only
 * (MS_RDONLY), so the kernel refuses most of them before they get here. */
static void rofs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
			 struct fuse_file_info *fi)
{
	(void)ino, (void)attr, (void)to_set, (void)fi;
	fuse_reply_err(req, EROFS);
}

static void rofs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		       dev_t rdev)
{
	(void)parent, (void)name, (void)mode, (void)rdev;
	fuse_reply_err(req, EROFS);
}

static void rofs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	(void)parent, (void)name, (void)mode;
	fuse_reply_err(req, EROFS);
}

static void rofs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent, (void)name;
	fuse_reply_err(req, EROFS);
}

static void rofs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	(void)link, (void)parent, (void)name;
	fuse_reply_err(req, EROFS);
}

static void rofs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	(void)parent, (void)name, (void)newparent, (void)newname, (void)flags;
	fuse_reply_err(req, EROFS);
}

static void rofs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	(void)ino, (void)newparent, (void)newname;
	fuse_reply_err(req, EROFS);
}

static void rofs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	(void)ino, (void)buf, (void)size, (void)off, (void)fi;
	fuse_reply_err(req, EROFS);
}

static void rofs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			struct fuse_file_info *fi)
{
	(void)parent, (void)name, (void)mode, (void)fi;
	fuse_reply_err(req, EROFS);
}

static void rofs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			  size_t size, int flags)
{
	(void)ino, (void)name, (void)value, (void)size, (void)flags;
	fuse_reply_err(req, EROFS);
}

static void rofs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	(void)ino, (void)name;
	fuse_reply_err(req, EROFS);
}

static void rofs_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset,
			   off_t length, struct fuse_file_info *fi)
{
	(void)ino, (void)mode, (void)offset, (void)length, (void)fi;
	fuse_reply_err(req, EROFS);
}

static const struct fuse_lowlevel_ops ops = {
	.init = op_init,
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.open = op_open,
	.opendir = op_opendir,
	.read = op_read,
	.readdir = op_readdir,
	.readdirplus = op_readdirplus,
	.getxattr = op_getxattr,
	.listxattr = op_listxattr,
	.statfs = op_statfs,
	.setattr = rofs_setattr,
	.mknod = rofs_mknod,
	.mkdir = rofs_mkdir,
	.unlink = rofs_unlink,
	.rmdir = rofs_unlink,
	.symlink = rofs_symlink,
	.rename = rofs_rename,
	.link = rofs_link,
	.write = rofs_write,
	.create = rofs_create,
	.setxattr = rofs_setxattr,
	.removexattr = rofs_removexattr,
	.fallocate = rofs_fallocate,
};

/* ---- command line ------------------------------------------------------ */

struct opts {
	char *arg[NSLOTS + 1];		/* the sources, then the mount point */
	int nonopts;
	char *profile, *asof, *cache, *max_ratio, *expand_floor, *max_record, *subject, *response;
	int noresponse, nopush, parts, compare;
	char *uid, *gid, *umask;
	int show_help, show_version, quiet;
	int allow_other;	/* asked for; passed on to libfuse as it is */
};

#define OPT(t, p) { t, offsetof(struct opts, p), 1 }
enum { KEY_HELP, KEY_VERSION, KEY_ALLOW_OTHER };

static const struct fuse_opt opt_spec[] = {
	OPT("profile=%s", profile),
	OPT("asof=%s", asof),
	OPT("cache=%s", cache),
	OPT("max_ratio=%s", max_ratio),
	OPT("expand_floor=%s", expand_floor),
	OPT("max_record=%s", max_record),
	OPT("uid=%s", uid),
	OPT("gid=%s", gid),
	OPT("umask=%s", umask),
	OPT("quiet", quiet),
	OPT("subject=%s", subject),
	OPT("response=%s", response),
	OPT("noresponse", noresponse),
	OPT("nopush", nopush),
	OPT("parts", parts),
	OPT("compare", compare),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_KEY("-V", KEY_VERSION),
	FUSE_OPT_KEY("--version", KEY_VERSION),
	FUSE_OPT_KEY("allow_other", KEY_ALLOW_OTHER),
	FUSE_OPT_END
};

static int opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct opts *o = data;

	(void)outargs;
	switch (key) {
	case FUSE_OPT_KEY_NONOPT:
		/* the last is the mount point: given back to libfuse later */
		if (o->nonopts == NSLOTS) {
			fprintf(stderr, "sarfs: at most %d exports side by side\n", SARFS_COMPARE_MAX);
			return -1;
		}
		o->arg[o->nonopts] = strdup(arg);
		return o->arg[o->nonopts++] ? 0 : -1;
	case KEY_HELP:
		o->show_help = 1;
		return 0;
	case KEY_VERSION:
		o->show_version = 1;
		return 0;
	case KEY_ALLOW_OTHER:
		o->allow_other = 1;
		return 1;	/* libfuse's option: kept for it */
	default:
		return 1;
	}
}

static void usage(const char *prog)
{
	printf("usage: %s SOURCE [SOURCE...] MOUNTPOINT [options]\n"
	       "\n"
	       "Shows SOURCE, a personal-data export (a folder, a .zip, a .tar, a .tar.gz,\n"
	       "or an index built by 'sarfs index'), read-only at MOUNTPOINT. Several\n"
	       "exports of one account are shown side by side, one folder each, named by\n"
	       "its as-of date, with changes/ between each and the next.\n"
	       "\n"
	       "sarfs options:\n"
	       "    -o profile=NAME|FILE   how to map the export (default: generic)\n"
	       "    -o asof=TIME           the export's as-of time (default: from the data)\n"
	       "    -o cache=DIR           where indexes are kept (default: $XDG_CACHE_HOME/sarfs)\n"
	       "    -o max_ratio=N         refuse archives expanding more than N times (250)\n"
	       "    -o expand_floor=BYTES  ... once past this many bytes (1073741824)\n"
	       "    -o max_record=BYTES    largest record split out of a file (67108864)\n"
	       "    -o uid=USER,gid=GROUP  owner shown for every file, a name or a number\n"
	       "                           (default: yours)\n"
	       "    -o umask=M             permission bits to clear (default: 0; files are\n"
	       "                           0444, folders 0555 before it)\n"
	       "    -o allow_other         let other users in (a lawyer's account): only\n"
	       "                           with user_allow_other in /etc/fuse.conf, or as\n"
	       "                           root; the kernel checks uid, gid and umask\n"
	       "    -o subject=ID          whose export it is, where the profile cannot tell\n"
	       "    -o response=FILE       your record of the controller's answers (default:\n"
	       "                           EXPORT.response.json beside the export, if any)\n"
	       "    -o noresponse          do not look for one beside the export\n"
	       "    -o quiet               no summary after indexing\n"
	       "    -o nopush              do not store files ahead of a reader going\n"
	       "                           through a folder (for measurements)\n"
	       "    -o parts               the SOURCEs are parts of one export (Takeout's\n"
	       "                           -001.zip, -002.zip ...): one tree (the default\n"
	       "                           when their names say so)\n"
	       "    -o compare             the SOURCEs are exports of one account: side by\n"
	       "                           side (the default otherwise)\n"
	       "\n"
	       "Other commands: sarfs index | ls | cat | extract | check | share | verify\n"
	       "(see sarfs(1)).\n"
	       "\n", prog);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

static void log_to_syslog(enum fuse_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_to_syslog(enum fuse_log_level level, const char *fmt, va_list ap)
{
	/* fuse_log_level has syslog's values */
	vsyslog((int)level, fmt, ap);
}

/* Escapes ',' and '\' for a -o value. */
static char *opt_escape(const char *s)
{
	char *o = malloc(2 * strlen(s) + 1), *p = o;

	if (!o)
		return NULL;
	for (; *s; s++) {
		if (*s == ',' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return o;
}

/* A user or group, by name or number. */
static int parse_owner(const char *what, const char *s, unsigned long long *out)
{
	if (sarfs_parse_u64(s, 10, out) == 0)
		return 0;
	if (strcmp(what, "uid") == 0) {
		struct passwd *pw = getpwnam(s);

		if (pw) {
			*out = pw->pw_uid;
			return 0;
		}
	} else {
		struct group *gr = getgrnam(s);

		if (gr) {
			*out = gr->gr_gid;
			return 0;
		}
	}
	fprintf(stderr, "sarfs: -o %s=%s: no such %s\n", what, s,
		strcmp(what, "uid") == 0 ? "user" : "group");
	return -1;
}

/* Where fusermount3 reads whether users may ask for allow_other. Tests
 * point SARFS_FUSE_CONF elsewhere: the file only decides whether sarfs
 * stops early with a clear message; fusermount3 enforces the rule. */
static const char *fuse_conf(void)
{
	const char *p = getenv("SARFS_FUSE_CONF");

	return p && *p ? p : "/etc/fuse.conf";
}

/* -o allow_other lets every user of the machine into the mount, so
 * fusermount3 allows it to a user only if fuse.conf has a line
 * "user_allow_other". Checked before indexing, so that the refusal comes
 * at once and says how to fix it. */
static int allow_other_ok(void)
{
	const char *conf = fuse_conf();
	char line[512];
	FILE *f;
	int ok = 0;

	if (geteuid() == 0)
		return 1;
	f = fopen(conf, "r");
	while (f && !ok && fgets(line, sizeof(line), f)) {
		char *a = line, *b = line + strlen(line);

		while (*a == ' ' || *a == '\t')
			a++;
		while (b > a && (b[-1] == '\n' || b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
			b--;
		ok = (size_t)(b - a) == strlen("user_allow_other") &&
		     strncmp(a, "user_allow_other", (size_t)(b - a)) == 0;
	}
	if (f)
		fclose(f);
	if (!ok)
		fprintf(stderr,
			"sarfs: -o allow_other: %s does not let users other than root use it;\n"
			"sarfs: add the line 'user_allow_other' to it (as root:\n"
			"sarfs:     echo user_allow_other >> %s), or mount as root\n",
			conf, conf);
	return ok;
}

static int parse_num(const char *what, const char *s, int base, unsigned long long *out)
{
	if (sarfs_parse_u64(s, base, out) == 0)
		return 0;
	fprintf(stderr, "sarfs: -o %s=%s is not a number\n", what, s);
	return -1;
}

/* The index of one source: the source itself if it is an index, else
 * found or built in the cache. A new string, or NULL (reported). */
static char *index_of(const char *source, const struct opts *o,
		      const struct sarfs_build_options *bo)
{
	struct sarfs_diag d;
	char real[PATH_MAX], *index = NULL;
	int built = 0;

	sarfs_diag_init(&d);
	if (sarfs_index_sniff(source)) {
		if (!realpath(source, real))
			fprintf(stderr, "sarfs: cannot open '%s': %s\n", source, strerror(errno));
		else
			index = strdup(real);
	} else if (sarfs_cache_index(source, o->cache, bo, &index, &built, &d) != 0) {
		sarfs_diag_print(&d, stderr, "sarfs: ");
		fprintf(stderr, "sarfs: cannot index '%s'\n", source);
		index = NULL;
	} else if (built && !o->quiet && d.n) {
		size_t shown = d.n < 10 ? d.n : 10, i;

		for (i = 0; i < shown; i++) {
			char *t = sarfs_diag_format(&d.msg[i]);

			fprintf(stderr, "sarfs: %s\n", t ? t : "?");
			free(t);
		}
		if (sarfs_diag_count(&d, SARFS_NOTE) > shown)
			fprintf(stderr, "sarfs: ... %zu problems in all: see PROBLEMS.txt in the mount\n",
				sarfs_diag_count(&d, SARFS_NOTE));
	}
	sarfs_diag_destroy(&d);
	return index;
}

/* Opens the slots' indexes (idx[k] from path[k]). Returns 0 or a
 * negative errno (reported to d). */
static int open_slots(struct sarfs_index **idx, char *const *path, unsigned n,
		      struct sarfs_diag *d)
{
	unsigned k;
	int rc = 0;

	for (k = 0; k < n && !rc; k++)
		rc = sarfs_index_open(path[k], &idx[k], d);
	return rc;
}

static void close_slots(struct sarfs_index **idx, unsigned n)
{
	unsigned k;

	for (k = 0; k < n; k++) {
		sarfs_index_close(idx[k]);
		idx[k] = NULL;
	}
}

int sarfs_mount_main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts cmd;
	struct sarfs_build_options bo;
	struct sarfs_compare *cmp = NULL;
	struct sarfs_fs fs;
	struct opts o;
	struct sarfs_diag d;
	struct fuse_session *se = NULL;
	char *index[NSLOTS] = { NULL }, *slot_path[NSLOTS] = { NULL };
	char *fsname = NULL, *esc = NULL;
	unsigned long long v;
	unsigned k, nsrc = 0;
	int ret = 1, rc, i;

	memset(&o, 0, sizeof(o));
	memset(&fs, 0, sizeof(fs));
	memset(&cmd, 0, sizeof(cmd));
	sarfs_diag_init(&d);
	sarfs_build_options_default(&bo);
	if (fuse_opt_parse(&args, &o, opt_spec, opt_proc) != 0)
		goto err_out1;
	if (o.show_help) {
		usage(argv[0]);
		ret = 0;
		goto err_out1;
	}
	if (o.show_version) {
		printf("sarfs version %s (index format %d)\n", SARFS_VERSION, SARFS_INDEX_FORMAT);
		printf("FUSE library version %s\n", fuse_pkgversion());
		fuse_lowlevel_version();
		ret = 0;
		goto err_out1;
	}
	if (o.nonopts < 2) {
		fprintf(stderr, "usage: %s SOURCE [SOURCE...] MOUNTPOINT [options]  (see --help)\n",
			argv[0]);
		ret = 2;
		goto err_out1;
	}
	nsrc = (unsigned)o.nonopts - 1;
	if (fuse_opt_add_arg(&args, o.arg[nsrc]) != 0 || fuse_parse_cmdline(&args, &cmd) != 0)
		goto err_out1;
	if (o.allow_other && !allow_other_ok())
		goto err_out1;
	fs.uid = getuid();
	fs.gid = getgid();
	if (o.uid) {
		if (parse_owner("uid", o.uid, &v))
			goto err_out1;
		fs.uid = (uid_t)v;
	}
	if (o.gid) {
		if (parse_owner("gid", o.gid, &v))
			goto err_out1;
		fs.gid = (gid_t)v;
	}
	if (o.umask) {
		if (parse_num("umask", o.umask, 8, &v))
			goto err_out1;
		fs.umask = (mode_t)(v & 0777);
	}
	if (o.allow_other && !(fs.umask & 0004) && !o.quiet)
		fprintf(stderr, "sarfs: note: -o allow_other, and files readable by all: every user "
				"of this machine can read the mount (-o gid=GROUP,umask=0227 lets in "
				"that group only)\n");
	if (o.max_ratio) {
		if (parse_num("max_ratio", o.max_ratio, 10, &v))
			goto err_out1;
		bo.limits.max_expand_ratio = (double)v;
	}
	if (o.expand_floor) {
		if (parse_num("expand_floor", o.expand_floor, 10, &v))
			goto err_out1;
		bo.limits.expand_floor = v;
	}
	if (o.max_record) {
		if (parse_num("max_record", o.max_record, 10, &v))
			goto err_out1;
		bo.max_record = (size_t)v;
	}
	bo.profile = o.profile;
	bo.subject = o.subject;
	bo.response = o.response;
	bo.no_response = o.noresponse;
	bo.asof = o.asof;
	bo.progress = isatty(STDERR_FILENO);

	if (o.parts && o.compare) {
		fprintf(stderr, "sarfs: -o parts and -o compare exclude each other\n");
		ret = 2;
		goto err_out1;
	}
	/* parts of one export: one tree, from the parts in their order */
	if (nsrc > 1 && !o.compare && (sarfs_build_parts_order(o.arg, nsrc) || o.parts)) {
		bo.more_parts = o.arg + 1;
		bo.nmore_parts = nsrc - 1;
		nsrc = 1;
	}
	/* Index first, while errors can still reach the terminal. */
	for (k = 0; k < nsrc; k++)
		if (!(index[k] = index_of(o.arg[k], &o, &bo)))
			goto err_out1;
	if (nsrc == 1) {
		fs.nslots = 1;
		slot_path[0] = index[0];
	} else {
		rc = sarfs_compare_prepare(index, nsrc, o.cache, &cmp, &d);
		if (rc) {
			sarfs_diag_print(&d, stderr, "sarfs: ");
			fprintf(stderr, "sarfs: cannot compare the exports\n");
			goto err_out1;
		}
		fs.nslots = nsrc + 1;
		slot_path[0] = cmp->top;
		for (k = 0; k < nsrc; k++) {
			slot_path[k + 1] = cmp->index[k];
			fs.label[k + 1] = cmp->label[k];
		}
	}
	/* which indexes are sarfs's own, in the cache (a damaged one is
	 * removed from it, to be built again: reply_err()) */
	{
		char *cdir = NULL;
		size_t n;

		if (sarfs_cache_dir(o.cache, &cdir, NULL) == 0) {
			n = strlen(cdir);
			for (k = 0; k < fs.nslots; k++)
				fs.cached[k] = strncmp(slot_path[k], cdir, n) == 0 &&
					       slot_path[k][n] == '/';
		}
		free(cdir);
		for (k = 0; k < fs.nslots; k++)
			fs.path[k] = slot_path[k];
	}
	/* Validate now; reopen after daemonizing (no SQLite handle crosses
	 * the fork). */
	rc = open_slots(fs.idx, slot_path, fs.nslots, &d);
	close_slots(fs.idx, fs.nslots);
	if (rc) {
		sarfs_diag_print(&d, stderr, "sarfs: ");
		goto err_out1;
	}

	esc = opt_escape(o.arg[0]);
	if (!esc || asprintf(&fsname, "-ofsname=sarfs:%s%s,subtype=sarfs,ro,default_permissions",
			     esc, nsrc > 1 ? "+" : "") < 0) {
		fsname = NULL;
		goto err_out1;
	}
	if (fuse_opt_add_arg(&args, fsname) != 0)
		goto err_out1;
	se = fuse_session_new(&args, &ops, sizeof(ops), &fs);
	if (!se)
		goto err_out1;
	if (fuse_set_signal_handlers(se) != 0)
		goto err_out2;
	if (fuse_session_mount(se, cmd.mountpoint) != 0)
		goto err_out3;
	fuse_daemonize(cmd.foreground);
	/* stderr is /dev/null from here on in the background: what goes
	 * wrong later (a damaged index) is told to syslog */
	if (!cmd.foreground) {
		openlog("sarfs", LOG_PID, LOG_USER);
		fuse_set_log_func(log_to_syslog);
	}
	rc = open_slots(fs.idx, slot_path, fs.nslots, &d);
	if (rc) {
		sarfs_diag_print(&d, stderr, "sarfs: ");
		goto err_out4;
	}
	fs.se = se;
	pthread_mutex_init(&fs.mu, NULL);
	pthread_cond_init(&fs.cv, NULL);
	for (k = 0; k < NPUSH && !o.nopush; k++) {
		struct pusher *p = &fs.push[k];

		p->fs = &fs;
		p->k = k;
		if (open_slots(p->idx, slot_path, fs.nslots, NULL) != 0)
			break;
		if (pthread_create(&p->th, NULL, pusher_main, p) != 0)
			break;
		p->started = 1;
	}
	fs.push_on = k == NPUSH;
	ret = fuse_session_loop(se) != 0;
	pthread_mutex_lock(&fs.mu);
	fs.push_stop = 1;
	pthread_cond_broadcast(&fs.cv);
	pthread_mutex_unlock(&fs.mu);
	for (k = 0; k < NPUSH; k++) {
		if (fs.push[k].started)
			pthread_join(fs.push[k].th, NULL);
		close_slots(fs.push[k].idx, NSLOTS);
	}
	pthread_mutex_destroy(&fs.mu);
	pthread_cond_destroy(&fs.cv);
err_out4:
	fuse_session_unmount(se);
err_out3:
	fuse_remove_signal_handlers(se);
err_out2:
	fuse_session_destroy(se);
err_out1:
	close_slots(fs.idx, NSLOTS);
	sarfs_compare_free(cmp);
	free(fs.buf);
	free(cmd.mountpoint);
	fuse_opt_free_args(&args);
	for (i = 0; i < o.nonopts; i++)
		free(o.arg[i]);
	free(o.profile);
	free(o.asof);
	free(o.cache);
	free(o.max_ratio);
	free(o.expand_floor);
	free(o.max_record);
	free(o.subject);
	free(o.response);
	free(o.uid);
	free(o.gid);
	free(o.umask);
	for (k = 0; k < NSLOTS; k++)
		free(index[k]);
	free(fsname);
	free(esc);
	sarfs_diag_destroy(&d);
	return ret;
}
