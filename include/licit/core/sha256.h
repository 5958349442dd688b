/* SHA-256 (FIPS 180-4), incremental: the digests of a run's files in
 * its manifest (include/licit/core/manifest.h). */
#ifndef LICIT_SHA256_H
#define LICIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "licit/core/error.h"

#define LICIT_SHA256_LEN 32
#define LICIT_SHA256_HEX 65 /* 64 hex digits and a NUL */

/* The state of one digest (caller-owned, on the stack or in a struct). */
struct licit_sha256 {
	uint32_t h[8];
	uint64_t bytes;       /* hashed so far */
	unsigned char buf[64];
	size_t nbuf;          /* bytes waiting in buf */
};

void licit_sha256_init(struct licit_sha256 *s);
void licit_sha256_update(struct licit_sha256 *s, const void *p, size_t n);
/* The digest of everything given to update; s must be initialised again
 * before another use. */
void licit_sha256_final(struct licit_sha256 *s, unsigned char out[LICIT_SHA256_LEN]);
/* out as 64 lowercase hex digits. */
void licit_sha256_hex(const unsigned char d[LICIT_SHA256_LEN], char hex[LICIT_SHA256_HEX]);
/* The digest and size of the file at path (read to its end); LICIT_OK,
 * or LICIT_ERR with err naming the file. */
int licit_sha256_file(const char *path, unsigned char out[LICIT_SHA256_LEN], long long *size,
                      struct licit_error *err);

#endif
