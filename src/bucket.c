/* bucket.c - labels and formatting for size and latency buckets. */
#include <config.h>

#include "bucket.h"

#include <stdio.h>

void bucket_label(unsigned k, char *buf, size_t len)
{
	static const char units[] = " KMGTPE";
	uint64_t v = bucket_lo(k);
	int u = 0;
	while (v >= 1024 && units[u + 1]) {
		v /= 1024;
		u++;
	}
	if (u)
		snprintf(buf, len, "%u%c", (unsigned)v, units[u]);
	else
		snprintf(buf, len, "%u", (unsigned)v);
}

void bucket_fmt_scaled(double v, double base, const char *units, char *buf, size_t len)
{
	int u = 0;
	while (v >= base && units[u + 1]) {
		v /= base;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", v);
	else if (v < 10)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
}

void bucket_fmt_bytes(double v, char *buf, size_t len)
{
	bucket_fmt_scaled(v, 1024.0, "BKMGTPE", buf, len);
}

void bucket_fmt_us(double us, char *buf, size_t len)
{
	if (us < 0)
		snprintf(buf, len, "-");
	else if (us < 1000)
		snprintf(buf, len, "%.0fus", us);
	else if (us < 1e6)
		snprintf(buf, len, "%.*fms", us < 1e4 ? 1 : 0, us / 1e3);
	else
		snprintf(buf, len, "%.*fs", us < 1e7 ? 1 : 0, us / 1e6);
}

double bucket_lat_quantile(const uint64_t *hist, double q)
{
	uint64_t total = 0;
	for (unsigned k = 0; k < NLAT; k++)
		total += hist[k];
	if (total == 0)
		return -1;
	double want = q * (double)total, seen = 0;
	for (unsigned k = 0; k < NLAT; k++) {
		if (hist[k] == 0)
			continue;
		if (seen + (double)hist[k] >= want) {
			double lo = (double)bucket_lo(k), hi = (double)bucket_hi(k) + 1;
			if (k == 0)
				return 0;
			double f = (want - seen) / (double)hist[k];
			return lo + f * (hi - lo);
		}
		seen += (double)hist[k];
	}
	return (double)bucket_lo(NLAT - 1);
}
