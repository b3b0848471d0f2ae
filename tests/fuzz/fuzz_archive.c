/*
 * fuzz_archive.c - the source reader on archives (source.c, libarchive).
 *
 * The input is an export file: zip, tar (plain or compressed), 7z or
 * anything else (a single file). It is written to a memfd and opened by
 * its /proc path, as sarfs_source_open() opens a user's path; every member
 * is listed and every byte of it read, in reads of varying sizes. Limits
 * are small so that a bomb ends in a refusal within milliseconds.
 *
 * Checked: the types and sizes are in range; a zip name decoded as CP437
 * is UTF-8; every member path becomes a safe path (names.h); an error
 * comes with a message; after the end or a fatal error, next() says so
 * again.
 */
#include "fuzz.h"

#include "sarfs/names.h"
#include "sarfs/source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Members looked at per input: the recovery cap (64 reopenings) and the
 * expansion limit bound the work; this bounds a listing of empty members. */
#define MAX_MEMBERS 10000

static void check_member(const struct sarfs_member *m)
{
	struct sarfs_buf p = SARFS_BUF_INIT;
	unsigned flags;
	size_t i, j;

	FUZZ_CHECK(m->path && strlen(m->path) == m->path_len, "a member path's length");
	FUZZ_CHECK(m->type >= SARFS_MEMBER_FILE && m->type <= SARFS_MEMBER_OTHER, "a member type");
	FUZZ_CHECK(m->size >= -1, "a member size");
	FUZZ_CHECK((m->link != NULL) <= (m->type == SARFS_MEMBER_SYMLINK ||
					 m->type == SARFS_MEMBER_HARDLINK), "a link on a non-link");
	if (m->from_cp437)
		FUZZ_CHECK(fuzz_utf8_valid(m->path, m->path_len), "a CP437 name is not UTF-8");
	/* what build.c shows it as */
	FUZZ_CHECK(sarfs_path_sanitize(&p, m->path, m->path_len, &flags) == 0, "out of memory");
	for (i = 0; i < p.len; i = j + 1) {
		for (j = i; j < p.len && p.data[j] != '/'; j++)
			;
		FUZZ_CHECK(sarfs_name_is_safe(p.data + i, j - i), "a member path with an unsafe name");
	}
	sarfs_buf_destroy(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536];
	struct sarfs_source_limits lim;
	struct sarfs_source *s = NULL;
	struct sarfs_member m;
	struct sarfs_diag d;
	uint64_t h = fuzz_hash(data, size);
	char path[64];
	size_t want, n = 0;
	ssize_t k;
	int fd, rc;

	fd = memfd_create("export", MFD_CLOEXEC);
	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size, "write to a memfd");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	sarfs_diag_init(&d);
	sarfs_source_limits_default(&lim);
	lim.expand_floor = 1 << 20;
	lim.max_expand_ratio = 16;
	rc = sarfs_source_open(path, &lim, &s, &d);
	if (rc) {
		FUZZ_CHECK(rc == -EINVAL, "an unreadable archive's error");
		FUZZ_CHECK(d.n > 0, "a refusal without a message");
		goto out;
	}
	while (n++ < MAX_MEMBERS && (rc = sarfs_source_next(s, &m, &d)) == 1) {
		check_member(&m);
		/* read the data in sizes that vary with the input */
		want = 1 + (size_t)(h % sizeof(buf));
		h = h * 6364136223846793005u + 1442695040888963407u;
		while ((k = sarfs_source_read(s, buf, want, &d)) > 0)
			FUZZ_CHECK((size_t)k <= want, "read more than asked");
		if (k < 0)
			FUZZ_CHECK(d.n > 0, "a read error without a message");
	}
	if (rc <= 0) {
		FUZZ_CHECK(rc == 0 || rc == -EIO || rc == -EFBIG, "a source error");
		FUZZ_CHECK(rc == 0 || d.n > 0, "a source error without a message");
		FUZZ_CHECK(sarfs_source_next(s, &m, &d) == rc, "the end is not sticky");
	}
out:
	sarfs_source_close(s);
	sarfs_diag_destroy(&d);
	close(fd);
	return 0;
}
