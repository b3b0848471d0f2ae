/*
 * sarfs/names.h - safe, deterministic names (DESIGN invariant 5).
 *
 * Every directory entry sarfs serves is valid UTF-8, contains no '/' and
 * no NUL, is neither "." nor "..", and is at most 255 bytes. The mapping
 * from the bytes an export uses to such a name is a pure function of those
 * bytes, so that two machines, locales or time zones give the same tree:
 *
 *   - a byte that is not part of valid UTF-8, a control character (C0, DEL,
 *     C1), '/', and the Unicode bidirectional overrides (U+202A-U+202E,
 *     U+2066-U+2069, which can make "txt.exe" display as "exe.txt") are
 *     written as %XX, one escape per byte;
 *   - a '%' that would otherwise read as such an escape is written %25, so
 *     the mapping stays one-to-one;
 *   - "." and ".." become "%2E" and "%2E%2E"; an empty name becomes "%00";
 *   - a name over 255 bytes keeps its head and extension and gets "~" and
 *     the first 8 hex digits of the SHA-256 of its original bytes.
 *
 * Uniqueness within a directory is the tree builder's job (tree.h); the
 * suffix it uses for a clash comes from sarfs_name_suffixed() here.
 */
#ifndef SARFS_NAMES_H
#define SARFS_NAMES_H

#include "sarfs/buf.h"

#include <stddef.h>
#include <stdint.h>

#define SARFS_NAME_MAX 255

/* Decodes one UTF-8 sequence at p, with n > 0 bytes available. Returns its
 * length (1-4) and stores the code point, or returns 0 if the bytes there
 * are not valid UTF-8 (stray continuation, overlong form, surrogate, above
 * U+10FFFF, or cut short). */
size_t sarfs_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* Nonzero if all n bytes are valid UTF-8. */
int sarfs_utf8_valid(const char *p, size_t n);

/* The offset of the first byte of p that is not part of valid UTF-8, or n. */
size_t sarfs_utf8_first_invalid(const char *p, size_t n);

/* Appends p with each byte that is not part of valid UTF-8 read as the
 * Latin-1 character it would be: the readers' one repair for exports in
 * the wrong character set. Returns 0 or -ENOMEM. */
int sarfs_latin1_append(struct sarfs_buf *out, const char *p, size_t n);

/* The same in place. Returns 0 or -ENOMEM (b unchanged). */
int sarfs_latin1_repair(struct sarfs_buf *b);

/* Parses a whole string as an unsigned decimal (base 10) or octal (base 8)
 * number: no sign, no spaces, no overflow. Returns 0 or -EINVAL. */
int sarfs_parse_u64(const char *s, int base, unsigned long long *out);

/* The last part of a path, trailing slashes ignored: a new string, or NULL
 * on ENOMEM. "/" gives "/". */
char *sarfs_path_base(const char *path);

/* Nonzero if the n bytes at name could be a name sarfs makes: 1 to 255
 * bytes of valid UTF-8, none of the characters escaped above, not "." or
 * "..". (Reading an index checks this: an index may come from someone
 * else.) */
int sarfs_name_is_safe(const char *name, size_t n);

/* Appends the safe name for the n raw bytes at raw. Returns 0 or -ENOMEM. */
int sarfs_name_sanitize(struct sarfs_buf *out, const char *raw, size_t n);

/* The same, followed by ext (at most 32 bytes, e.g. ".json"), the whole
 * within 255 bytes: the name is shortened to leave room. */
int sarfs_name_sanitize_ext(struct sarfs_buf *out, const char *raw, size_t n, const char *ext);

/* Appends the safe relative path for an archive member or file path:
 * components split at '/', empty and "." components dropped, each other
 * component sanitized (so ".." becomes a visible "%2E%2E" entry and can
 * never climb out), joined with '/'. *flags (may be NULL) receives
 * SARFS_PATH_ABSOLUTE if raw began with '/', SARFS_PATH_DOTDOT if a ".."
 * component was met, SARFS_PATH_ALTERED if any component was changed.
 * An input with no component gives an empty path. Returns 0 or -ENOMEM. */
#define SARFS_PATH_ABSOLUTE 1u
#define SARFS_PATH_DOTDOT 2u
#define SARFS_PATH_ALTERED 4u
int sarfs_path_sanitize(struct sarfs_buf *out, const char *raw, size_t n,
			unsigned *flags);

/* Appends name with a clash suffix: "stem~k.ext" (or "name~k" when it has no
 * extension), shortening the stem so the result stays within 255 bytes.
 * name must already be safe. k >= 2. Returns 0 or -ENOMEM. */
int sarfs_name_suffixed(struct sarfs_buf *out, const char *name, size_t n,
			unsigned long k);

/* A new string (to free()) in which bytes that are not printable UTF-8 are
 * %XX, as in names, but '/' is kept and there is no length limit: for
 * messages and listings. NULL on ENOMEM. */
char *sarfs_name_printable(const char *s, size_t n);

/* The same for free text (messages): only what could harm a terminal or
 * mislead a reader is escaped (invalid UTF-8, control characters, bidi
 * overrides); '%' is left alone, so a path already shown in its safe form
 * is not escaped twice. */
char *sarfs_text_printable(const char *s, size_t n);

#endif
