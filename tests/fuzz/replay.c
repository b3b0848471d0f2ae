/*
 * replay.c - runs a fuzz target over files, without libFuzzer.
 *
 *   replay_<target> DIR|FILE...
 *
 * Every file of each DIR (not recursive, in byte order of names) and each
 * FILE is given to LLVMFuzzerTestOneInput() once, in a buffer of exactly
 * its size so that ASan and valgrind see a read past the end. The target
 * aborts on a broken invariant; replay itself fails if it ran nothing, so
 * an empty or missing corpus cannot pass as a test.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *data = NULL;
	FILE *f = NULL;
	int rc = -1;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		goto out;
	}
	/* malloc(0) may give NULL: keep one byte, pass a size of zero */
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		goto out;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, (size_t)st.st_size);
	rc = 0;
out:
	free(data);
	if (f)
		fclose(f);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir; returns how many, or -1. */
static long run_dir(const char *dir)
{
	char **names = NULL, **v, path[4096];
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	long count = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(names, cap * sizeof(*names));
			if (!v) {
				count = -1;
				break;
			}
			names = v;
		}
		if (!(names[n] = strdup(de->d_name))) {
			count = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (count == 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && count >= 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		count = run_file(path) == 0 ? count + 1 : -1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	struct stat st;
	long total = 0, k;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			k = run_dir(argv[i]);
		else
			k = run_file(argv[i]) == 0 ? 1 : -1;
		if (k < 0)
			return 1;
		total += k;
	}
	printf("replayed %ld inputs\n", total);
	return total > 0 ? 0 : 1;
}
