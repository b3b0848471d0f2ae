/*
 * hash.c - SHA-256 over libcrypto's EVP interface.
 */
#include "sarfs/hash.h"

#include <errno.h>
#include <openssl/evp.h>

int sarfs_sha256_init(struct sarfs_sha256 *h)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	h->ctx = NULL;
	if (!c)
		return -ENOMEM;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return -ENOMEM;
	}
	h->ctx = c;
	return 0;
}

void sarfs_sha256_update(struct sarfs_sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, p, n);
}

void sarfs_sha256_final(struct sarfs_sha256 *h, uint8_t out[SARFS_SHA256_LEN])
{
	unsigned int len = SARFS_SHA256_LEN;

	EVP_DigestFinal_ex(h->ctx, out, &len);
	sarfs_sha256_destroy(h);
}

void sarfs_sha256_destroy(struct sarfs_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int sarfs_sha256(const void *p, size_t n, uint8_t out[SARFS_SHA256_LEN])
{
	unsigned int len = SARFS_SHA256_LEN;

	return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 ? 0 : -ENOMEM;
}

void sarfs_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
