/* bucket.h - log2 size and latency buckets (a contract: see docs/DESIGN.md).
 *
 * Bucket 0 holds zero; bucket k >= 1 holds [2^(k-1), 2^k).  The last
 * bucket is open-ended. */
#ifndef IOPSTOP_BUCKET_H
#define IOPSTOP_BUCKET_H

#include <stddef.h>
#include <stdint.h>

#define NBUCKETS 40	/* sizes: last bucket starts at 256 GiB */
#define NLAT 32		/* durations in microseconds: last starts at ~18 min */

static inline unsigned bucket_of(uint64_t n)
{
	if (n == 0)
		return 0;
	unsigned k = 64u - (unsigned)__builtin_clzll(n);
	return k < NBUCKETS ? k : NBUCKETS - 1;
}

static inline unsigned bucket_lat_of(uint64_t us)
{
	if (us == 0)
		return 0;
	unsigned k = 64u - (unsigned)__builtin_clzll(us);
	return k < NLAT ? k : NLAT - 1;
}

static inline uint64_t bucket_lo(unsigned k)
{
	return k == 0 ? 0 : (uint64_t)1 << (k - 1);
}

/* Inclusive upper bound. */
static inline uint64_t bucket_hi(unsigned k)
{
	return k == 0 ? 0 : ((uint64_t)1 << k) - 1;
}

/* Label of a bucket's lower bound with binary units: 0 1 2 4 ... 512 1K 2K
 * ... 1M ...  Writes at most 5 bytes plus NUL. */
void bucket_label(unsigned k, char *buf, size_t len);

/* v in units of base (1024: bytes, 1000: counts), e.g. 1.5K, 12M; units[0]
 * is the unscaled unit (not printed). */
void bucket_fmt_scaled(double v, double base, const char *units, char *buf, size_t len);
/* Human-readable byte count: "1.5M", "312", "4.0G". */
void bucket_fmt_bytes(double v, char *buf, size_t len);

/* Human-readable duration from microseconds: "12us", "3.4ms", "1.2s". */
void bucket_fmt_us(double us, char *buf, size_t len);

/* Approximate quantile q (0..1) of a latency histogram, in microseconds,
 * interpolating inside the bucket. Returns -1 when the histogram is empty. */
double bucket_lat_quantile(const uint64_t *hist, double q);

#endif
