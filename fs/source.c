/*
 * source.c - folders and archives as member sequences (source.h).
 *
 * Folders are walked with openat() relative to the parent's descriptor and
 * O_NOFOLLOW at every step, so a symbolic link inside the export can never
 * lead the walk (or a read) outside it. Archives are read with libarchive;
 * zip, tar and 7z formats and the usual compression filters are enabled,
 * nothing else, so an export is never mistaken for an ISO image or a shell
 * archive.
 */
#include "sarfs/source.h"

#include "sarfs/buf.h"
#include "sarfs/hash.h"
#include "sarfs/names.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SARFS_MAX_RECOVERIES 64

struct frame {
	int fd;			/* the directory, O_DIRECTORY */
	char **names;		/* owned; sorted byte-wise */
	size_t n, i;
	size_t path_len;	/* length of the member path of this directory */
};

struct sarfs_source {
	enum sarfs_source_kind kind;
	char *path;		/* owned; as given */
	struct sarfs_source_limits lim;

	/* folder */
	struct frame *stack;	/* owned */
	size_t depth, cap;
	struct sarfs_buf cur;	/* path of the current member */
	struct sarfs_buf link;
	int file_fd;		/* the current member's data, or -1 */

	/* archive or single file: the export's one descriptor, opened once
	 * (following the user's own path, even if it is a symlink), shared by
	 * libarchive (read/lseek) and the hash (pread) */
	int fd;
	struct archive *a;
	locale_t utf8;
	int single_done;
	uint64_t archive_size;
	uint64_t expanded;	/* bytes produced so far, all members */
	unsigned long nmember;
	int dead;		/* a fatal archive error was reported */
	int ended;		/* the archive's end was seen: libarchive must not be
				 * asked again (it answers with a fatal error) */
	int streamable;		/* zip read member by member (no central directory) */
	int recover;		/* reopen and skip to the next member before next() */
	struct sarfs_buf why;	/* libarchive's message for a damaged header */
	int member_done;	/* the current member's data was read to its end,
				 * or failed, or there is no current member */
	char *scratch;		/* owned, 64 KiB: for passing over data */
	unsigned recoveries;	/* reopenings so far: each costs a pass over the
				 * headers before it, so they are capped */
};

void sarfs_source_limits_default(struct sarfs_source_limits *l)
{
	l->max_expand_ratio = 250;
	l->expand_floor = 1ull << 30;
	l->max_depth = 256;
}

const char *sarfs_source_kind_name(enum sarfs_source_kind k)
{
	switch (k) {
	case SARFS_SOURCE_FOLDER:
		return "folder";
	case SARFS_SOURCE_ZIP:
		return "zip archive";
	case SARFS_SOURCE_TAR:
		return "tar archive";
	case SARFS_SOURCE_TAR_COMPRESSED:
		return "compressed tar archive";
	case SARFS_SOURCE_ARCHIVE_OTHER:
		return "archive";
	default:
		return "single file";
	}
}

enum sarfs_source_kind sarfs_source_kind(const struct sarfs_source *s)
{
	return s->kind;
}

/* Opens a file for reading without following a final symlink, without
 * blocking on a FIFO, and without touching its atime where we may. */
static int open_ro(int dirfd, const char *name, int extra)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra;
	int fd = openat(dirfd, name, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, flags);
	return fd;
}

static int fd_sha256(int fd, uint8_t out[32]);

int sarfs_file_sha256(const char *path, uint8_t out[32])
{
	int fd, rc;

	fd = open_ro(AT_FDCWD, path, 0);
	if (fd < 0)
		return -errno;
	rc = fd_sha256(fd, out);
	close(fd);
	return rc;
}

/* SHA-256 of a whole file by pread(): safe while another reader uses the
 * same descriptor's offset. */
static int fd_sha256(int fd, uint8_t out[32])
{
	struct sarfs_sha256 h;
	char *buf = NULL;
	off_t off = 0;
	ssize_t k;
	int rc;

	rc = sarfs_sha256_init(&h);
	if (rc)
		goto out;
	buf = malloc(1 << 20);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while ((k = pread(fd, buf, 1 << 20, off)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		sarfs_sha256_update(&h, buf, (size_t)k);
		off += k;
	}
	sarfs_sha256_final(&h, out);
out:
	sarfs_sha256_destroy(&h);
	free(buf);
	return rc;
}

/* ---- folders ---------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_frame(struct frame *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	if (f->fd >= 0)
		close(f->fd);
}

/* Pushes a frame for the directory fd (taken over). */
static int push_dir(struct sarfs_source *s, int fd)
{
	struct frame f = { fd, NULL, 0, 0, s->cur.len };
	size_t cap = 0;
	struct dirent *de;
	DIR *dir;
	int dfd, rc = 0;

	dfd = dup(fd);
	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		rc = -errno;
		if (dfd >= 0)
			close(dfd);
		close(fd);
		return rc;
	}
	while ((errno = 0, de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (f.n == cap) {
			char **v;

			cap = cap ? cap * 2 : 32;
			v = realloc(f.names, cap * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			f.names = v;
		}
		if (!(f.names[f.n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		f.n++;
	}
	if (!rc && errno)
		rc = -errno;
	closedir(dir);
	if (!rc && s->depth == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		struct frame *v = realloc(s->stack, nc * sizeof(*v));

		if (!v)
			rc = -ENOMEM;
		else {
			s->stack = v;
			s->cap = nc;
		}
	}
	if (rc) {
		free_frame(&f);
		return rc;
	}
	if (f.n > 1)
		qsort(f.names, f.n, sizeof(*f.names), cmp_names);
	s->stack[s->depth++] = f;
	return 0;
}

static int folder_next(struct sarfs_source *s, struct sarfs_member *m,
		       struct sarfs_diag *d)
{
	struct frame *f;
	struct stat st;
	const char *name;
	int fd;

	if (s->file_fd >= 0) {
		close(s->file_fd);
		s->file_fd = -1;
	}
	for (;;) {
		if (s->depth == 0)
			return 0;
		f = &s->stack[s->depth - 1];
		if (f->i == f->n) {
			free_frame(f);
			s->depth--;
			s->cur.len = f->path_len;
			continue;
		}
		name = f->names[f->i++];
		s->cur.len = f->path_len;
		if ((s->cur.len && sarfs_buf_addc(&s->cur, '/')) || sarfs_buf_adds(&s->cur, name))
			return -ENOMEM;
		memset(m, 0, sizeof(*m));
		m->path = s->cur.data;
		m->path_len = s->cur.len;
		m->size = -1;
		if (fstatat(f->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0, "cannot stat: %s",
				       strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			m->type = SARFS_MEMBER_DIR;
			if (s->depth >= s->lim.max_depth) {
				sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0,
					       "folder nested deeper than %u levels; its contents are skipped",
					       s->lim.max_depth);
				return 1;
			}
			fd = openat(f->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || push_dir(s, fd) != 0) {
				sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0,
					       "cannot read folder: %s", strerror(errno));
			}
			/* cur now also serves as the new frame's prefix */
			m->path = s->cur.data;
			return 1;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t k = readlinkat(f->fd, name, target, sizeof(target) - 1);

			m->type = SARFS_MEMBER_SYMLINK;
			sarfs_buf_reset(&s->link);
			if (k >= 0 && sarfs_buf_add(&s->link, target, (size_t)k) == 0)
				m->link = s->link.data;
			return 1;
		}
		if (!S_ISREG(st.st_mode)) {
			m->type = SARFS_MEMBER_OTHER;
			return 1;
		}
		fd = open_ro(f->fd, name, O_NOFOLLOW);
		if (fd < 0) {
			sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0, "cannot open: %s",
				       strerror(errno));
			continue;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			/* replaced between stat and open: do not read it */
			close(fd);
			sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0,
				       "changed while being read; skipped");
			continue;
		}
		s->file_fd = fd;
		m->type = SARFS_MEMBER_FILE;
		m->size = st.st_size;
		return 1;
	}
}

static ssize_t folder_read(struct sarfs_source *s, void *buf, size_t n,
			   struct sarfs_diag *d)
{
	ssize_t k;

	if (s->file_fd < 0)
		return 0;
	do
		k = read(s->file_fd, buf, n);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		int e = errno;

		sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0, "read error: %s", strerror(e));
		return -e;
	}
	return k;
}

/* ---- archives --------------------------------------------------------- */

/* CP437 code points for bytes 0x80-0xFF: the zip default before UTF-8. */
static const uint16_t cp437[128] = {
	0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
	0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xA2, 0xA3, 0xA5, 0x20A7, 0x192,
	0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0x2310, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
	0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
	0x3B1, 0xDF, 0x393, 0x3C0, 0x3A3, 0x3C3, 0xB5, 0x3C4, 0x3A6, 0x398, 0x3A9, 0x3B4, 0x221E, 0x3C6, 0x3B5, 0x2229,
	0x2261, 0xB1, 0x2265, 0x2264, 0x2320, 0x2321, 0xF7, 0x2248, 0xB0, 0x2219, 0xB7, 0x221A, 0x207F, 0xB2, 0x25A0, 0xA0,
};

static int add_utf8(struct sarfs_buf *b, uint32_t cp)
{
	char u[3];
	size_t k;

	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	}
	return sarfs_buf_add(b, u, k);
}

static int from_cp437(struct sarfs_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p && !rc; p++)
		rc = *p < 0x80 ? sarfs_buf_addc(out, (char)*p) : add_utf8(out, cp437[*p - 0x80]);
	return rc;
}

static int sniff(int fd, enum sarfs_source_kind *kind, uint64_t *size)
{
	unsigned char h[512];
	struct stat st;
	ssize_t k;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -EINVAL;
	*size = (uint64_t)st.st_size;
	memset(h, 0, sizeof(h));
	k = pread(fd, h, sizeof(h), 0);
	if (k < 0)
		return -errno;
	if (k >= 4 && h[0] == 'P' && h[1] == 'K' && (h[2] == 3 || h[2] == 5 || h[2] == 7))
		*kind = SARFS_SOURCE_ZIP;
	else if (k >= 2 && ((h[0] == 0x1f && h[1] == 0x8b) || (h[0] == 'B' && h[1] == 'Z') ||
			    (h[0] == 0xFD && h[1] == '7') || (h[0] == 0x28 && h[1] == 0xB5)))
		*kind = SARFS_SOURCE_TAR_COMPRESSED;
	else if (k >= 262 && memcmp(h + 257, "ustar", 5) == 0)
		*kind = SARFS_SOURCE_TAR;
	else if (k >= 6 && memcmp(h, "7z\xBC\xAF\x27\x1C", 6) == 0)
		*kind = SARFS_SOURCE_ARCHIVE_OTHER;
	else
		*kind = SARFS_SOURCE_FILE;
	return 0;
}

/* A new reader of the archive at fd, or NULL; why (if not NULL) then
 * receives libarchive's reason. */
static struct archive *archive_open(int fd, int streamable, struct sarfs_buf *why)
{
	struct archive *a;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return NULL;
	a = archive_read_new();
	if (!a)
		return NULL;
	if (streamable)
		archive_read_support_format_zip_streamable(a);
	else
		archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_7zip(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	/* libarchive reads through our descriptor and does not close it */
	if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
		if (why) {
			sarfs_buf_reset(why);
			sarfs_buf_adds(why, archive_error_string(a) ? archive_error_string(a) :
					    "unknown error");
		}
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Most retries in a row before the rest of an archive is given up: a tar
 * reader consumes a 512-byte block per retry, so this is 512 MiB of
 * damage, and it bounds a reader that would retry without moving on. */
#define SARFS_MAX_RETRIES (1ul << 20)

/* archive_read_next_header() that passes over damaged headers.
 * ARCHIVE_RETRY, which compares above ARCHIVE_WARN, is not a member: the
 * tar reader returns it for a header whose checksum fails, having consumed
 * that block, and the next call looks at the block after it. (Taking it for
 * a member once showed each damaged block as a nameless "member-N".) The
 * number of retries is added to *retries, and the first one's message is
 * copied to why (if not NULL). */
static int next_header(struct archive *a, struct archive_entry **e, unsigned long *retries,
		       struct sarfs_buf *why)
{
	unsigned long k = 0;
	int r;

	while ((r = archive_read_next_header(a, e)) == ARCHIVE_RETRY) {
		if (k++ == 0 && why) {
			sarfs_buf_reset(why);
			sarfs_buf_adds(why, archive_error_string(a) ? archive_error_string(a) :
					    "unknown error");
		}
		if (k > SARFS_MAX_RETRIES) {
			r = ARCHIVE_FATAL;
			break;
		}
	}
	*retries += k;
	return r;
}

/* Opens the archive afresh and passes over the members already seen. */
static int reopen_after(struct sarfs_source *s)
{
	struct archive_entry *e;
	unsigned long i, retries = 0;
	locale_t old;
	int r = ARCHIVE_OK;

	archive_read_free(s->a);
	s->a = archive_open(s->fd, 0, NULL);
	if (!s->a)
		return -EIO;
	old = s->utf8 ? uselocale(s->utf8) : (locale_t)0;
	for (i = 0; i < s->nmember && (r == ARCHIVE_OK || r == ARCHIVE_WARN); i++)
		r = next_header(s->a, &e, &retries, NULL);
	if (s->utf8)
		uselocale(old);
	return r == ARCHIVE_OK || r == ARCHIVE_WARN ? 0 : -EIO;
}

static ssize_t archive_read_member(struct sarfs_source *s, void *buf, size_t n,
				   struct sarfs_diag *d);

static int archive_next(struct sarfs_source *s, struct sarfs_member *m,
			struct sarfs_diag *d)
{
	struct archive_entry *e;
	unsigned long retries = 0;
	locale_t old;
	const char *p;
	int r;

	if (s->recover) {
		s->recover = 0;
		if (++s->recoveries > SARFS_MAX_RECOVERIES) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "%s has more than %d damaged members; the members after "
				       "member %lu are not shown", sarfs_source_kind_name(s->kind),
				       SARFS_MAX_RECOVERIES, s->nmember);
			s->dead = -EIO;
		} else if (reopen_after(s) != 0) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "%s cannot be read past member %lu; the rest is not shown",
				       sarfs_source_kind_name(s->kind), s->nmember);
			s->dead = -EIO;
		}
	}
	if (s->dead)
		return s->dead;
	if (s->ended)
		return 0;
	/* Passing over a member's data inflates it as much as reading it,
	 * and libarchive would do that without a limit (profile detection
	 * reads names only: a 40 MB tar.gz of zeros cost 100 s there before
	 * the build refused it). So in a stream the rest is read here,
	 * counted against the bomb limits. A zip or a plain tar seeks. */
	if (!s->member_done && s->kind != SARFS_SOURCE_TAR &&
	    !(s->kind == SARFS_SOURCE_ZIP && !s->streamable)) {
		if (!s->scratch && !(s->scratch = malloc(1 << 16)))
			return -ENOMEM;
		while (archive_read_member(s, s->scratch, 1 << 16, d) > 0)
			;
		if (s->dead)
			return s->dead;
	}
	old = s->utf8 ? uselocale(s->utf8) : (locale_t)0;
	r = next_header(s->a, &e, &retries, &s->why);
	/* the conversion to the locale's charset happens when the name is
	 * asked for: ask while LC_CTYPE is still pinned */
	p = r == ARCHIVE_OK || r == ARCHIVE_WARN ? archive_entry_pathname(e) : NULL;
	if ((r == ARCHIVE_OK || r == ARCHIVE_WARN) && !p)
		p = archive_entry_pathname_utf8(e);
	if (s->utf8)
		uselocale(old);
	if (retries)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "%s is damaged after member %lu: %s; skipped to the next member "
			       "that can be read", sarfs_source_kind_name(s->kind), s->nmember,
			       s->why.data ? s->why.data : "unknown error");
	if (r == ARCHIVE_EOF) {
		s->ended = 1;
		return 0;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "%s is corrupt or truncated after %lu members: %s; the rest is not shown",
			       sarfs_source_kind_name(s->kind), s->nmember,
			       archive_error_string(s->a) ? archive_error_string(s->a) : "unknown error");
		s->dead = -EIO;
		return s->dead;
	}
	s->nmember++;
	s->member_done = 0;
	memset(m, 0, sizeof(m[0]));
	sarfs_buf_reset(&s->cur);
	if (!p) {
		sarfs_buf_printf(&s->cur, "member-%lu", s->nmember);
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "member %lu has a name that cannot be decoded; shown as %s",
			       s->nmember, s->cur.data);
	} else if (s->kind == SARFS_SOURCE_ZIP && !sarfs_utf8_valid(p, strlen(p))) {
		if (from_cp437(&s->cur, p))
			return -ENOMEM;
		m->from_cp437 = 1;
	} else if (sarfs_buf_adds(&s->cur, p)) {
		return -ENOMEM;
	}
	if (!s->cur.data && sarfs_buf_reserve(&s->cur, 1))
		return -ENOMEM;
	m->path = s->cur.data;
	m->path_len = s->cur.len;
	m->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	if (archive_entry_hardlink(e)) {
		m->type = SARFS_MEMBER_HARDLINK;
		m->link = archive_entry_hardlink(e);
	} else {
		switch (archive_entry_filetype(e)) {
		case AE_IFREG:
			m->type = SARFS_MEMBER_FILE;
			break;
		case AE_IFDIR:
			m->type = SARFS_MEMBER_DIR;
			break;
		case AE_IFLNK:
			m->type = SARFS_MEMBER_SYMLINK;
			m->link = archive_entry_symlink(e);
			break;
		default:
			m->type = SARFS_MEMBER_OTHER;
			break;
		}
	}
	return 1;
}

static ssize_t archive_read_member(struct sarfs_source *s, void *buf, size_t n,
				   struct sarfs_diag *d)
{
	la_ssize_t k;
	double limit;

	if (s->dead)
		return s->dead;
	if (s->member_done)
		return 0;
	k = archive_read_data(s->a, buf, n);
	if (k <= 0)
		s->member_done = 1;
	if (k < 0) {
		sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0, "cannot read from %s: %s",
			       sarfs_source_kind_name(s->kind),
			       archive_error_string(s->a) ? archive_error_string(s->a) : "unknown error");
		if (k == ARCHIVE_FATAL) {
			/* libarchive's handle is now unusable. A zip read through
			 * its central directory can be reopened at the next member;
			 * a stream (tar.gz, a zip without directory) cannot. */
			if (s->kind == SARFS_SOURCE_ZIP && !s->streamable)
				s->recover = 1;
			else
				s->dead = -EIO;
		}
		return -EIO;
	}
	s->expanded += (uint64_t)k;
	limit = s->lim.max_expand_ratio * (double)s->archive_size;
	if (s->expanded > s->lim.expand_floor && (double)s->expanded > limit) {
		sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0,
			       "refused: the %s expands to more than %g times its size (%llu bytes) "
			       "and past %llu bytes: an archive bomb? (the limits are max_ratio and "
			       "expand_floor; see sarfs(1))",
			       sarfs_source_kind_name(s->kind), s->lim.max_expand_ratio,
			       (unsigned long long)s->archive_size,
			       (unsigned long long)s->lim.expand_floor);
		s->dead = -EFBIG;
		return s->dead;
	}
	return k;
}

/* ---- a single plain file ---------------------------------------------- */

static int single_next(struct sarfs_source *s, struct sarfs_member *m,
		       struct sarfs_diag *d)
{
	const char *base;
	struct stat st;

	if (s->single_done)
		return 0;
	s->single_done = 1;
	base = strrchr(s->path, '/');
	base = base ? base + 1 : s->path;
	sarfs_buf_reset(&s->cur);
	if (sarfs_buf_adds(&s->cur, base))
		return -ENOMEM;
	/* from the start: an archive that could not be opened was read some */
	if (fstat(s->fd, &st) != 0 || lseek(s->fd, 0, SEEK_SET) != 0) {
		sarfs_diag_add(d, SARFS_ERROR, s->cur.data, 0, 0, "cannot read: %s", strerror(errno));
		return -EIO;
	}
	s->file_fd = s->fd;	/* borrowed: closed with the source */
	memset(m, 0, sizeof(*m));
	m->path = s->cur.data;
	m->path_len = s->cur.len;
	m->type = SARFS_MEMBER_FILE;
	m->size = st.st_size;
	return 1;
}

/* ---- the interface ---------------------------------------------------- */

int sarfs_source_open(const char *path, const struct sarfs_source_limits *limits,
		      struct sarfs_source **out, struct sarfs_diag *d)
{
	struct sarfs_source *s;
	struct stat st;
	int rc = 0, fd;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->file_fd = -1;
	s->fd = -1;
	s->member_done = 1;
	if (limits)
		s->lim = *limits;
	else
		sarfs_source_limits_default(&s->lim);
	s->path = strdup(path);
	if (!s->path) {
		rc = -ENOMEM;
		goto out;
	}
	if (stat(path, &st) != 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		s->kind = SARFS_SOURCE_FOLDER;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || (rc = push_dir(s, fd)) != 0) {
			rc = rc ? rc : -errno;
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot read folder '%s': %s",
				       path, strerror(-rc));
			goto out;
		}
		goto out;
	}
	s->fd = open_ro(AT_FDCWD, path, 0);
	rc = s->fd < 0 ? -errno : sniff(s->fd, &s->kind, &s->archive_size);
	if (rc) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot read '%s': %s", path,
			       rc == -EINVAL ? "not a regular file or folder" : strerror(-rc));
		goto out;
	}
	if (s->kind == SARFS_SOURCE_FILE)
		goto out;
	s->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!s->utf8)
		sarfs_diag_add(d, SARFS_WARNING, "", 0, 0,
			       "the C.UTF-8 locale is missing; non-ASCII member names may be lost");
	s->a = archive_open(s->fd, 0, &s->why);
	if (!s->a && s->kind == SARFS_SOURCE_ZIP) {
		/* No readable central directory (a truncated zip): read the
		 * local headers one by one to recover what is there. */
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "zip archive has no readable central directory (truncated?); "
			       "reading its members one by one");
		s->a = archive_open(s->fd, 1, &s->why);
		s->streamable = 1;
	}
	if (!s->a) {
		/* Bad input never stops a mount: an archive that cannot be
		 * opened at all (a tar.gz cut before its first 64 KiB inflate)
		 * is still the export's bytes, shown as one file. (No path in
		 * the message: it goes into the tree, which depends on the
		 * export's bytes alone.) */
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "the export cannot be read as a %s (%s); "
			       "it is shown as one file", sarfs_source_kind_name(s->kind),
			       s->why.data ? s->why.data : "unknown error");
		s->kind = SARFS_SOURCE_FILE;
		goto out;
	}
	if (s->kind == SARFS_SOURCE_TAR_COMPRESSED || s->kind == SARFS_SOURCE_TAR) {
		/* the format is known only after the first header; the filter now */
		s->kind = archive_filter_code(s->a, 0) == ARCHIVE_FILTER_NONE ?
			  SARFS_SOURCE_TAR : SARFS_SOURCE_TAR_COMPRESSED;
	}
out:
	if (rc) {
		sarfs_source_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int sarfs_source_next(struct sarfs_source *s, struct sarfs_member *m,
		      struct sarfs_diag *d)
{
	switch (s->kind) {
	case SARFS_SOURCE_FOLDER:
		return folder_next(s, m, d);
	case SARFS_SOURCE_FILE:
		return single_next(s, m, d);
	default:
		return archive_next(s, m, d);
	}
}

ssize_t sarfs_source_read(struct sarfs_source *s, void *buf, size_t n,
			  struct sarfs_diag *d)
{
	if (s->kind == SARFS_SOURCE_FOLDER || s->kind == SARFS_SOURCE_FILE)
		return folder_read(s, buf, n, d);
	return archive_read_member(s, buf, n, d);
}

void sarfs_source_close(struct sarfs_source *s)
{
	if (!s)
		return;
	while (s->depth)
		free_frame(&s->stack[--s->depth]);
	free(s->stack);
	if (s->file_fd >= 0 && s->file_fd != s->fd)
		close(s->file_fd);
	if (s->a)
		archive_read_free(s->a);
	if (s->fd >= 0)
		close(s->fd);
	if (s->utf8)
		freelocale(s->utf8);
	sarfs_buf_destroy(&s->cur);
	sarfs_buf_destroy(&s->link);
	sarfs_buf_destroy(&s->why);
	free(s->scratch);
	free(s->path);
	free(s);
}

int sarfs_source_sha256(struct sarfs_source *s, uint8_t out[32])
{
	if (s->fd < 0)
		return -EINVAL;
	return fd_sha256(s->fd, out);
}
