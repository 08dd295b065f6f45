#ifndef NIANBAO_SHA256_H
#define NIANBAO_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), for the content hashes a summed draft records in `sources:`. */
struct sha256 {
	uint32_t h[8];
	uint64_t length;        /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
};

#define SHA256_HEX_SIZE 65  /* 64 lowercase hex digits and a NUL */

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
/* Finishes and writes the digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(struct sha256 *ctx, char out[SHA256_HEX_SIZE]);
/* The hex digest of a buffer in one call. */
void sha256_hex_of(const void *data, size_t len, char out[SHA256_HEX_SIZE]);

#endif
