/*
 * sarfs/hash.h - SHA-256, from OpenSSL's libcrypto.
 *
 * A thin wrapper so that the rest of the code names one contract: the
 * hash of a byte stream, as raw bytes or as 64 lowercase hex digits (the
 * form sha256sum prints). Not a place for other algorithms.
 */
#ifndef SARFS_HASH_H
#define SARFS_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SARFS_SHA256_LEN 32
#define SARFS_SHA256_HEX 65	/* 64 digits and a NUL */

struct sarfs_sha256 {
	void *ctx;	/* owned EVP_MD_CTX */
};

/* Returns 0 or -ENOMEM. */
int sarfs_sha256_init(struct sarfs_sha256 *h);
void sarfs_sha256_update(struct sarfs_sha256 *h, const void *p, size_t n);
/* Writes the digest and releases the context (init again to reuse). */
void sarfs_sha256_final(struct sarfs_sha256 *h, uint8_t out[SARFS_SHA256_LEN]);
/* Releases the context without a digest; safe on a finalised one. */
void sarfs_sha256_destroy(struct sarfs_sha256 *h);

/* One-shot digest of a buffer. Returns 0 or -ENOMEM. */
int sarfs_sha256(const void *p, size_t n, uint8_t out[SARFS_SHA256_LEN]);

void sarfs_hex(const uint8_t *p, size_t n, char *out /* 2n+1 */);

/* The value of one hex digit (either case), or -1. */
static inline int sarfs_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
