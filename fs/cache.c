/*
 * cache.c - the content-keyed index cache of cache.h.
 */
#include "sarfs/cache.h"

#include "config.h"
#include "sarfs/buf.h"
#include "sarfs/hash.h"
#include "sarfs/index.h"
#include "sarfs/names.h"
#include "sarfs/profile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sarfs_cache_dir(const char *dir, char **out, struct sarfs_diag *d)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct sarfs_buf b = SARFS_BUF_INIT;
	char *p;
	int rc = 0;

	if (dir && !*dir) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "-o cache= needs a folder name");
		return -EINVAL;
	}
	if (dir)
		rc = sarfs_buf_adds(&b, dir);
	else if (xdg && xdg[0] == '/')
		rc = sarfs_buf_printf(&b, "%s/sarfs", xdg);
	else if (home && home[0] == '/')
		rc = sarfs_buf_printf(&b, "%s/.cache/sarfs", home);
	else {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "no cache folder: set XDG_CACHE_HOME or HOME, or give -o cache=DIR");
		return -ENOENT;
	}
	if (rc)
		return rc;
	/* mkdir -p, private: the cache holds copies of personal data */
	for (p = b.data; ; p++) {
		if ((*p == '/' && p > b.data) || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(b.data, 0700) != 0 && errno != EEXIST) {
				rc = -errno;
				sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
					       "cannot create cache folder '%s': %s", b.data,
					       strerror(errno));
				sarfs_buf_destroy(&b);
				return rc;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	/* absolute: the daemon changes to / before it opens the index */
	{
		char real[PATH_MAX];

		if (!realpath(b.data, real)) {
			rc = -errno;
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot use cache folder '%s': %s",
				       b.data, strerror(errno));
			sarfs_buf_destroy(&b);
			return rc;
		}
		sarfs_buf_reset(&b);
		if (sarfs_buf_adds(&b, real)) {
			sarfs_buf_destroy(&b);
			return -ENOMEM;
		}
	}
	/* An index found in the cache is served as the export's own tree:
	 * one put there by someone else would be a forged tree. So the folder
	 * must be the user's and writable by no one else (as ssh asks of
	 * ~/.ssh); a folder sarfs made is, being 0700. */
	{
		struct stat st;

		if (stat(b.data, &st) != 0)
			rc = -errno;
		else if (!S_ISDIR(st.st_mode))
			rc = -ENOTDIR;
		if (rc) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot use cache folder '%s': %s",
				       b.data, strerror(-rc));
			sarfs_buf_destroy(&b);
			return rc;
		}
		if (st.st_uid != geteuid() || (st.st_mode & 022)) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "cache folder '%s' is %s; not used: an index someone else put "
				       "there would be shown as your export (give a folder only you "
				       "can write to)", b.data,
				       st.st_uid != geteuid() ? "not yours" : "writable by others");
			sarfs_buf_destroy(&b);
			return -EPERM;
		}
	}
	*out = sarfs_buf_detach(&b);
	return 0;
}

static void add_stat(struct sarfs_sha256 *h, const char *name, size_t n, const struct stat *st)
{
	int64_t v[7] = {
		(int64_t)st->st_dev, (int64_t)st->st_ino, (int64_t)st->st_size,
		(int64_t)st->st_mtim.tv_sec, (int64_t)st->st_mtim.tv_nsec,
		(int64_t)st->st_ctim.tv_sec, (int64_t)st->st_ctim.tv_nsec,
	};

	sarfs_sha256_update(h, name, n + 1);
	sarfs_sha256_update(h, v, sizeof(v));
}

/* Fingerprint of a folder's entries, in directory order (a change of order
 * alone only costs a rebuild). Depth-limited like the source walk. */
static int walk(struct sarfs_sha256 *h, int dirfd, unsigned depth)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd, rc = 0;

	if (depth > 256)
		return 0;
	dir = fdopendir(dirfd);
	if (!dir) {
		close(dirfd);
		return -errno;
	}
	while (!rc && (de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		add_stat(h, de->d_name, strlen(de->d_name), &st);
		if (S_ISDIR(st.st_mode)) {
			fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				rc = walk(h, fd, depth + 1);
		}
	}
	closedir(dir);
	return rc;
}

/* Hex fingerprint of the source's metadata and of the options. */
static int fingerprint(const char *real, const struct sarfs_build_options *o,
		       char hex[SARFS_SHA256_HEX], int *is_dir)
{
	struct sarfs_sha256 h;
	uint8_t dg[SARFS_SHA256_LEN];
	struct stat st;
	size_t i;
	int rc;

	if (stat(real, &st) != 0)
		return -errno;
	*is_dir = S_ISDIR(st.st_mode);
	rc = sarfs_sha256_init(&h);
	if (rc)
		return rc;
	add_stat(&h, real, strlen(real), &st);
	if (*is_dir) {
		int fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		rc = fd < 0 ? -errno : walk(&h, fd, 0);
	}
	if (o->profile && sarfs_profile_is_file(o->profile) && stat(o->profile, &st) == 0)
		add_stat(&h, o->profile, strlen(o->profile), &st);
	{
		char *resp = sarfs_build_response_path(real, o);

		if (resp && stat(resp, &st) == 0)
			add_stat(&h, resp, strlen(resp), &st);
		else
			sarfs_sha256_update(&h, "no response", 12);
		free(resp);
	}
	if (o->subject)
		sarfs_sha256_update(&h, o->subject, strlen(o->subject) + 1);
	/* the further parts of a multi-part export, in order */
	for (i = 0; !rc && o->more_parts && i < o->nmore_parts; i++) {
		if (stat(o->more_parts[i], &st) != 0)
			rc = -errno;
		else
			add_stat(&h, o->more_parts[i], strlen(o->more_parts[i]), &st);
	}
	if (rc) {
		sarfs_sha256_destroy(&h);
		return rc;
	}
	sarfs_sha256_final(&h, dg);
	sarfs_hex(dg, SARFS_SHA256_LEN, hex);
	return 0;
}

/* The content key: the source's SHA-256 and every option that shapes the
 * tree. label is the source's name shown in README.txt. */
static int content_key(const char *source, const char *source_sha, const char *label,
		       const struct sarfs_build_options *o, char hex[SARFS_SHA256_HEX])
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	uint8_t dg[SARFS_SHA256_LEN];
	char pdig[SARFS_SHA256_HEX] = "", rdig[SARFS_SHA256_HEX] = "";
	char *resp = sarfs_build_response_path(source, o);
	int rc;

	/* the response file shapes missing.txt and REQUESTS.txt */
	if (resp) {
		uint8_t r[SARFS_SHA256_LEN];

		if (sarfs_file_sha256(resp, r) == 0)
			sarfs_hex(r, SARFS_SHA256_LEN, rdig);
		free(resp);
	}

	/* a profile file: its content, not its name, shapes the tree */
	if (o->profile && sarfs_profile_is_file(o->profile)) {
		uint8_t p[SARFS_SHA256_LEN];

		if (sarfs_file_sha256(o->profile, p) == 0)
			sarfs_hex(p, SARFS_SHA256_LEN, pdig);
	}
	rc = sarfs_buf_printf(&b,
		"sarfs %s format %d\nsource %s\nlabel %s\nprofile %s %s\nasof %s\n"
		"subject %s\nresponse %s\nlimits %g %llu %u\nmax_record %zu\n",
		SARFS_VERSION, SARFS_INDEX_FORMAT, source_sha, label,
		o->profile ? o->profile : "(detect)", pdig, o->asof ? o->asof : "",
		o->subject ? o->subject : "(detect)", rdig,
		o->limits.max_expand_ratio, (unsigned long long)o->limits.expand_floor,
		o->limits.max_depth, o->max_record);
	if (!rc)
		rc = sarfs_sha256(b.data, b.len, dg);
	sarfs_buf_destroy(&b);
	if (!rc)
		sarfs_hex(dg, SARFS_SHA256_LEN, hex);
	return rc;
}

/* The SHA-256 of a multi-part export: of what `sha256sum PART...` prints
 * for all its parts, by base name (build.h). Hex into out. */
static int parts_sha256(const char *first, const struct sarfs_build_options *o,
			char out[SARFS_SHA256_HEX])
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	uint8_t dg[SARFS_SHA256_LEN];
	char hex[SARFS_SHA256_HEX];
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i <= o->nmore_parts; i++) {
		const char *part = i ? o->more_parts[i - 1] : first;
		char *base = sarfs_path_base(part);

		rc = base ? sarfs_file_sha256(part, dg) : -ENOMEM;
		if (!rc) {
			sarfs_hex(dg, SARFS_SHA256_LEN, hex);
			rc = sarfs_buf_printf(&b, "%s  %s\n", hex, base);
		}
		free(base);
	}
	if (!rc)
		rc = sarfs_sha256(b.data, b.len, dg);
	if (!rc)
		sarfs_hex(dg, SARFS_SHA256_LEN, out);
	sarfs_buf_destroy(&b);
	return rc;
}

/* Reads "fingerprint key" from the by-path record; 0 if it matches fp. */
static int read_record(const char *rec, const char *fp, char key[SARFS_SHA256_HEX])
{
	char a[SARFS_SHA256_HEX + 1], b[SARFS_SHA256_HEX + 1];
	FILE *f = fopen(rec, "re");
	int ok;

	if (!f)
		return -ENOENT;
	ok = fscanf(f, "%64s %64s", a, b) == 2 && strcmp(a, fp) == 0 && strlen(b) == 64;
	fclose(f);
	if (!ok)
		return -ESTALE;
	memcpy(key, b, SARFS_SHA256_HEX);
	return 0;
}

static void write_record(const char *rec, const char *fp, const char *key)
{
	char *tmp = NULL;
	FILE *f;

	int fd;

	if (asprintf(&tmp, "%s.XXXXXX", rec) < 0)
		return;
	fd = mkostemp(tmp, O_CLOEXEC);	/* 0600, unique even between threads */
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f && fd >= 0)
		close(fd);
	if (f) {
		int ok = fprintf(f, "%s %s\n", fp, key) > 0;

		if (fclose(f) == 0 && ok)
			rename(tmp, rec);
		else
			unlink(tmp);
	}
	free(tmp);
}

/* Removes what builds killed before they finished left behind (a build
 * writes build-PID-TID.sarfs, through a file of that name plus
 * .tmp-PID-TID): such a file is never used, but it holds personal data and
 * may be large. A file is left alone while a process of its PID lives (a
 * PID of another machine or PID namespace sharing the cache can look dead
 * from here: its build then fails to store its index, and says so). */
static void sweep(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		long pid;
		unsigned long tid;
		int end = 0;

		if (sscanf(de->d_name, "build-%ld-%lx.sarfs%n", &pid, &tid, &end) != 2 || !end ||
		    pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		if (de->d_name[end] != '\0' && strncmp(de->d_name + end, ".tmp-", 5) != 0)
			continue;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

static int usable(const char *path)
{
	struct sarfs_index *idx = NULL;
	int rc;

	if (access(path, R_OK) != 0)
		return 0;
	rc = sarfs_index_open(path, &idx, NULL);
	sarfs_index_close(idx);
	return rc == 0;
}

int sarfs_cache_index(const char *source, const char *cache_dir,
		      const struct sarfs_build_options *o, char **index, int *built,
		      struct sarfs_diag *d)
{
	struct sarfs_build_options opts = *o;
	struct sarfs_build_stats stats;
	char real[PATH_MAX], fp[SARFS_SHA256_HEX], key[SARFS_SHA256_HEX], pathkey[SARFS_SHA256_HEX];
	uint8_t dg[SARFS_SHA256_LEN];
	char *dir = NULL, *rec = NULL, *out = NULL, *tmp = NULL, *label = NULL, *known = NULL;
	int rc, is_dir = 0;

	*built = 0;
	if (!realpath(source, real)) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open '%s': %s", source,
			       strerror(errno));
		return rc;
	}
	label = o->label ? strdup(o->label) : sarfs_path_base(real);
	if (!label)
		return -ENOMEM;
	opts.label = label;
	rc = sarfs_cache_dir(cache_dir, &dir, d);
	if (rc)
		goto out;
	rc = fingerprint(real, &opts, fp, &is_dir);
	if (rc) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot read '%s': %s", source,
			       strerror(-rc));
		goto out;
	}
	{
		/* the record is per path, or per list of paths for the parts */
		struct sarfs_buf pk = SARFS_BUF_INIT;
		size_t i;

		rc = sarfs_buf_add(&pk, real, strlen(real) + 1);
		for (i = 0; !rc && o->more_parts && i < o->nmore_parts; i++) {
			char pr[PATH_MAX];

			rc = realpath(o->more_parts[i], pr) ? sarfs_buf_add(&pk, pr, strlen(pr) + 1) :
							      -errno;
		}
		if (!rc)
			rc = sarfs_sha256(pk.data, pk.len, dg);
		sarfs_buf_destroy(&pk);
	}
	if (rc)
		goto out;
	sarfs_hex(dg, SARFS_SHA256_LEN, pathkey);
	if (asprintf(&rec, "%s/by-path", dir) < 0) {
		rec = NULL;
		rc = -ENOMEM;
		goto out;
	}
	mkdir(rec, 0700);
	free(rec);
	if (asprintf(&rec, "%s/by-path/%s", dir, pathkey) < 0) {
		rec = NULL;
		rc = -ENOMEM;
		goto out;
	}
	/* 1. unchanged since last time: no reading at all */
	if (read_record(rec, fp, key) == 0) {
		if (asprintf(&out, "%s/%s.sarfs", dir, key) < 0) {
			out = NULL;
			rc = -ENOMEM;
			goto out;
		}
		if (usable(out))
			goto out;
		free(out);
		out = NULL;
	}
	/* 2. an archive whose content we already indexed under another
	 * name or time: hash it and look */
	if (!is_dir) {
		char sh[SARFS_SHA256_HEX];

		if (o->more_parts && o->nmore_parts) {
			rc = parts_sha256(real, o, sh);
		} else {
			rc = sarfs_file_sha256(real, dg);
			sarfs_hex(dg, SARFS_SHA256_LEN, sh);
		}
		if (rc) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot read '%s': %s", source,
				       strerror(-rc));
			goto out;
		}
		known = strdup(sh);
		if (!known) {
			rc = -ENOMEM;
			goto out;
		}
		/* the build takes a known digest for a single archive only */
		if (!o->nmore_parts)
			opts.known_sha256 = known;
		rc = content_key(real, sh, label, &opts, key);
		if (rc)
			goto out;
		if (asprintf(&out, "%s/%s.sarfs", dir, key) < 0) {
			out = NULL;
			rc = -ENOMEM;
			goto out;
		}
		if (usable(out)) {
			write_record(rec, fp, key);
			goto out;
		}
		free(out);
		out = NULL;
	}
	/* 3. build, then file it under its content key */
	sweep(dir);
	if (asprintf(&tmp, "%s/build-%ld-%lx.sarfs", dir, (long)getpid(),
		     (unsigned long)pthread_self()) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_build(real, tmp, &opts, &stats, d);
	if (rc == -ENOSPC)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "the cache folder '%s' has no room for this index: free some space "
			       "there, or give another folder with -o cache=DIR", dir);
	if (rc)
		goto out;
	*built = 1;
	rc = content_key(real, stats.source_sha256, label, &opts, key);
	if (!rc && asprintf(&out, "%s/%s.sarfs", dir, key) < 0) {
		out = NULL;
		rc = -ENOMEM;
	}
	if (!rc && rename(tmp, out) != 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot store index in '%s': %s", dir,
			       strerror(errno));
	}
	if (rc) {
		unlink(tmp);
		goto out;
	}
	write_record(rec, fp, key);
out:
	free(known);
	free(dir);
	free(rec);
	free(tmp);
	free(label);
	if (rc) {
		free(out);
		return rc;
	}
	*index = out;
	return 0;
}
