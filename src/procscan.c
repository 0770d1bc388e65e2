/* procscan.c - the reader configure chose, behind one handle, and the
 * name escaping both readers share. */
#include <config.h>

#include "procscan.h"

#include <ctype.h>
#include <langinfo.h>
#include <stdlib.h>
#include <strings.h>

struct procscan {
	const struct procscan_ops *ops;
	void *impl;
};

#ifdef HAVE_LIBPROC2
#define PROCSCAN_DEFAULT procscan_libproc2_ops
#else
#define PROCSCAN_DEFAULT procscan_builtin_ops
#endif

struct procscan *procscan_new_with(const struct procscan_ops *ops, unsigned want)
{
	struct procscan *ps = calloc(1, sizeof *ps);
	if (!ps)
		return NULL;
	ps->ops = ops;
	if (!(ps->impl = ops->open(want))) {
		free(ps);
		return NULL;
	}
	return ps;
}

struct procscan *procscan_new(unsigned want)
{
	return procscan_new_with(&PROCSCAN_DEFAULT, want);
}

int procscan_read(struct procscan *ps, const struct procscan_proc **procs)
{
	return ps->ops->read(ps->impl, procs);
}

void procscan_free(struct procscan *ps)
{
	if (!ps)
		return;
	ps->ops->close(ps->impl);
	free(ps);
}

const char *procscan_name(void)
{
	return PROCSCAN_DEFAULT.name;
}

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), or -1. */
static int procscan_u8len(const unsigned char *s, size_t n)
{
	if (s[0] <= 0x7f)
		return 1;
	if (n < 2 || (s[1] & 0xc0) != 0x80)
		return -1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return 2;
	if (n < 3 || (s[2] & 0xc0) != 0x80)
		return -1;
	unsigned x = (unsigned)s[0] << 6 | (s[1] & 0x3f);
	/* E0 A0..EF BF without the surrogates ED A0..ED BF */
	if ((x >= 0x3820 && x <= 0x3b5f) || (x >= 0x3b80 && x <= 0x3bff))
		return 3;
	if (n < 4 || (s[3] & 0xc0) != 0x80)
		return -1;
	if (x >= 0x3c10 && x <= 0x3d0f)	/* F0 90 .. F4 8F */
		return 4;
	return -1;
}

size_t procscan_escape(char *dst, size_t cap, const char *src, size_t n)
{
	if (n > cap - 1)
		n = cap - 1;
	const char *cs = nl_langinfo(CODESET);
	int utf8 = cs && strcasecmp(cs, "UTF-8") == 0;
	unsigned char *d = (unsigned char *)dst;
	size_t i = 0;
	for (; i < n && src[i]; i++)
		d[i] = (unsigned char)src[i];
	d[i] = '\0';
	n = i;
	for (i = 0; i < n;) {
		if (!utf8) {
			if (!isprint(d[i]))
				d[i] = '?';
			i++;
			continue;
		}
		int k = procscan_u8len(d + i, n - i);
		if (k < 0 || d[i] < 0x20 || d[i] == 0x7f ||
		    (d[i] == 0xc2 && d[i + 1] >= 0x80 && d[i + 1] <= 0x9f)) {
			d[i] = '?';
			k = 1;
		}
		i += (size_t)k;
	}
	return n;
}
