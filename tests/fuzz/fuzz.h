/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput() and nothing else
 * public. It is linked either with libFuzzer (-Dfuzz=true, clang) or with
 * replay.c, which runs it over the committed corpus in every build, so a
 * crash found once stays a regression test everywhere.
 *
 * A target checks the contracts of include/sarfs/ and calls abort() through
 * FUZZ_CHECK when one does not hold: the fuzzer is then looking for wrong
 * answers, not only for crashes. The checks here are written independently
 * of the code under test (a second UTF-8 validator, not names.c's).
 */
#ifndef SARFS_FUZZ_H
#define SARFS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sarfs/buf.h"
#include "sarfs/diag.h"
#include "sarfs/json.h"
#include "sarfs/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints where an invariant failed, and what, then aborts. */
__attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(cond, what) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, what " (" #cond ")"); \
	} while (0)

/* FNV-1a of the input: a deterministic source of the variations a target
 * tries (refill step, options, limits) that needs no bytes of the input
 * itself, so seeds stay plain files. */
uint64_t fuzz_hash(const uint8_t *data, size_t size);

/* Nonzero if the n bytes at p are valid UTF-8 (Unicode 15, table 3-7). */
int fuzz_utf8_valid(const char *p, size_t n);

/* Every string and object key in v is valid UTF-8. Aborts if not. */
void fuzz_check_utf8_value(json_t *v);

/* Renders v as the builder renders a record of `bytes` bytes
 * (sarfs_json_render_max with its budget) and appends the text, or "EFBIG\n",
 * to out. Checks the text: printable UTF-8 that (if read_back, which costs
 * a parse) reads back as v. */
void fuzz_render_record(json_t *v, size_t bytes, int read_back, struct sarfs_buf *out);

/* Checks text as a rendered record: valid UTF-8, no control byte but '\n',
 * one final newline, and it reads back as a value equal to v (if v is not
 * NULL). */
void fuzz_check_rendered(const char *text, size_t n, json_t *v);

/* Appends every message of d, sorted and formatted, one a line. */
void fuzz_diag_text(struct sarfs_diag *d, struct sarfs_buf *out);

/* Aborts, showing where they part, unless a and b hold the same bytes. */
void fuzz_check_bytes(const void *a, size_t an, const void *b, size_t bn, const char *what);
void fuzz_check_same(const struct sarfs_buf *a, const struct sarfs_buf *b, const char *what);

/* The JSON and JSON Lines targets (json_reader.c). */
void fuzz_json(const uint8_t *data, size_t size, enum sarfs_json_mode mode);

/* The profile and mapping targets (mapping_run.c). */
struct fuzz_member {
	const char *path;
	enum sarfs_format format;
	const char *text;
	size_t len;		/* 0: strlen(text) */
};

/* Aborts unless path is safe names joined by single slashes. */
void fuzz_check_safe_path(const char *path, size_t len);

/* Executes p's mapping on the fixed export and the extra members. */
void fuzz_run_mapping(const struct sarfs_profile *p, const char *subject,
		      const struct fuzz_member *extra, size_t nextra, struct sarfs_diag *d);

#endif
