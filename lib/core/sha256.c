/* SHA-256 as FIPS 180-4 defines it (section 6.2), in plain C. */
#include "licit/core/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

/* One 64-byte block into the state: the 64 rounds unrolled (8 at a time,
 * the variables renamed instead of moved), the schedule kept as the 16
 * words the next rounds need. */
#define S0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define S1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
#define s0(x) (ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define s1(x) (ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
/* word t of the schedule, from t >= 16 on made of the earlier ones */
#define W(t) (t < 16 ? w[t] : (w[(t) & 15] += s1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
                                             s0(w[((t) - 15) & 15])))
#define ROUND(a, b, c, d, e, f, g, h, t)                                  \
	do {                                                              \
		uint32_t t1 = h + S1(e) + CH(e, f, g) + K[t] + W(t);      \
		d += t1;                                                  \
		h = t1 + S0(a) + MAJ(a, b, c);                            \
	} while (0)
#define ROUNDS8(t)                                \
	do {                                      \
		ROUND(a, b, c, d, e, f, g, h, t);     \
		ROUND(h, a, b, c, d, e, f, g, t + 1); \
		ROUND(g, h, a, b, c, d, e, f, t + 2); \
		ROUND(f, g, h, a, b, c, d, e, t + 3); \
		ROUND(e, f, g, h, a, b, c, d, t + 4); \
		ROUND(d, e, f, g, h, a, b, c, t + 5); \
		ROUND(c, d, e, f, g, h, a, b, t + 6); \
		ROUND(b, c, d, e, f, g, h, a, t + 7); \
	} while (0)

static void block(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[16];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6],
	         h = st[7];
	ROUNDS8(0);
	ROUNDS8(8);
	ROUNDS8(16);
	ROUNDS8(24);
	ROUNDS8(32);
	ROUNDS8(40);
	ROUNDS8(48);
	ROUNDS8(56);
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
	st[4] += e;
	st[5] += f;
	st[6] += g;
	st[7] += h;
}

void licit_sha256_init(struct licit_sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, h0, sizeof h0);
	s->bytes = 0;
	s->nbuf = 0;
}

void licit_sha256_update(struct licit_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->bytes += n;
	if (s->nbuf) {
		size_t take = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf < 64)
			return;
		block(s->h, s->buf);
		s->nbuf = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		block(s->h, p);
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void licit_sha256_final(struct licit_sha256 *s, unsigned char out[LICIT_SHA256_LEN])
{
	uint64_t bits = s->bytes * 8;
	/* 0x80, zeros up to 56 bytes into a block, the length in bits */
	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, 64 - s->nbuf);
		block(s->h, s->buf);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (int i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	block(s->h, s->buf);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

void licit_sha256_hex(const unsigned char d[LICIT_SHA256_LEN], char hex[LICIT_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < LICIT_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

int licit_sha256_file(const char *path, unsigned char out[LICIT_SHA256_LEN], long long *size,
                      struct licit_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return licit_error_set(err, path, 0, NULL, "cannot read to hash it: %s",
		                       strerror(errno));
	static _Thread_local unsigned char buf[1 << 16];
	struct licit_sha256 s;
	licit_sha256_init(&s);
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		licit_sha256_update(&s, buf, got);
	int failed = ferror(f);
	int e = errno;
	fclose(f);
	if (failed)
		return licit_error_set(err, path, 0, NULL, "read error while hashing: %s",
		                       strerror(e ? e : EIO));
	licit_sha256_final(&s, out);
	*size = (long long)s.bytes;
	return LICIT_OK;
}
