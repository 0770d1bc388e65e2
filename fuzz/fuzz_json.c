/* fuzz_json.c - libFuzzer target for json_str (and json_num).
 *
 * json_str must turn any bytes into a valid JSON string that decodes back
 * to the same bytes (invalid UTF-8 bytes as \udcXX, the surrogateescape
 * convention).  A small strict validator/decoder below checks that:
 * no raw byte < 0x20, only the escapes JSON allows, raw bytes valid UTF-8
 * (no overlongs, no surrogates, <= U+10FFFF), and an exact round trip.
 * The input's first 8 bytes are also given to json_num as a double, whose
 * output must be a JSON number.
 *
 * Also built into tests/test_fuzz_regress (LLVMFuzzerTestOneInput renamed
 * there), so nothing here may depend on libFuzzer itself. */
#include <config.h>

#include "digits.h"
#include "fuzz_check.h"
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FJ_FAIL(...) fuzz_fail("fuzz_json", __VA_ARGS__)

/* Strict UTF-8: length of the sequence at s, 0 if invalid. */
static size_t fj_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; v = s[0] & 0x1fu; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; v = s[0] & 0x0fu; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; v = s[0] & 0x07u; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static size_t fj_put_utf8(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Validate the JSON string j[0..n) and decode it into out (at least n
 * bytes); returns the decoded length.  Aborts on anything invalid. */
static size_t fj_check_string(const unsigned char *j, size_t n, unsigned char *out)
{
	size_t o = 0;
	if (n < 2 || j[0] != '"' || j[n - 1] != '"')
		FJ_FAIL("not a quoted string");
	for (size_t i = 1; i < n - 1;) {
		unsigned c = j[i];
		if (c < 0x20)
			FJ_FAIL("raw control byte 0x%02x at %zu", c, i);
		if (c == '"')
			FJ_FAIL("unescaped quote at %zu", i);
		if (c == '\\') {
			if (i + 1 >= n - 1)
				FJ_FAIL("dangling backslash");
			unsigned x = j[i + 1];
			i += 2;
			switch (x) {
			case '"': out[o++] = '"'; break;
			case '\\': out[o++] = '\\'; break;
			case '/': out[o++] = '/'; break;
			case 'b': out[o++] = '\b'; break;
			case 'f': out[o++] = '\f'; break;
			case 'n': out[o++] = '\n'; break;
			case 'r': out[o++] = '\r'; break;
			case 't': out[o++] = '\t'; break;
			case 'u': {
				if (i + 4 > n - 1)
					FJ_FAIL("short \\u escape");
				uint32_t cp = 0;
				for (int k = 0; k < 4; k++) {
					int h = digit_hex(j[i + (size_t)k]);
					if (h < 0)
						FJ_FAIL("bad hex in \\u escape");
					cp = cp << 4 | (uint32_t)h;
				}
				i += 4;
				if (cp >= 0xdc80 && cp <= 0xdcff) {
					out[o++] = (unsigned char)(cp & 0xff);	/* escaped raw byte */
				} else if (cp >= 0xd800 && cp <= 0xdfff) {
					FJ_FAIL("surrogate \\u%04x outside the escaped-byte range", (unsigned)cp);
				} else {
					o += fj_put_utf8(out + o, cp);
				}
				break;
			}
			default:
				FJ_FAIL("bad escape \\%c", (int)x);
			}
			continue;
		}
		uint32_t cp;
		size_t l = fj_utf8(j + i, n - 1 - i, &cp);
		if (l == 0)
			FJ_FAIL("invalid UTF-8 at %zu", i);
		memcpy(out + o, j + i, l);
		o += l;
		i += l;
	}
	return o;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static void fj_check_number(const char *s)
{
	const char *c = s;
	if (*c == '-')
		c++;
	if (*c == '0') {
		c++;
	} else if (*c >= '1' && *c <= '9') {
		while (*c >= '0' && *c <= '9')
			c++;
	} else {
		FJ_FAIL("bad number \"%s\"", s);
	}
	if (*c == '.') {
		c++;
		if (!(*c >= '0' && *c <= '9'))
			FJ_FAIL("bad fraction \"%s\"", s);
		while (*c >= '0' && *c <= '9')
			c++;
	}
	if (*c == 'e' || *c == 'E') {
		c++;
		if (*c == '+' || *c == '-')
			c++;
		if (!(*c >= '0' && *c <= '9'))
			FJ_FAIL("bad exponent \"%s\"", s);
		while (*c >= '0' && *c <= '9')
			c++;
	}
	if (*c)
		FJ_FAIL("trailing garbage in number \"%s\"", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return 0;
	json_str(f, (const char *)data, size);
	if (fclose(f) != 0) {
		free(buf);
		return 0;
	}
	/* Worst case: 6 output bytes per input byte, plus the quotes. */
	if (blen > 6 * size + 2)
		FJ_FAIL("output too long: %zu for %zu input bytes", blen, size);
	unsigned char *dec = malloc(blen + 1);
	if (!dec)
		FJ_FAIL("out of memory");
	size_t dlen = fj_check_string((const unsigned char *)buf, blen, dec);
	if (dlen != size || (size && memcmp(dec, data, size) != 0))
		FJ_FAIL("round trip changed the bytes (%zu -> %zu)", size, dlen);
	free(dec);
	free(buf);

	if (size >= sizeof(double)) {
		double v;
		memcpy(&v, data, sizeof v);
		buf = NULL;
		f = open_memstream(&buf, &blen);
		if (!f)
			return 0;
		json_num(f, v);
		if (fclose(f) == 0) {
			fj_check_number(buf);
			/* The value itself, to the 6 decimals promised. */
			double back = strtod(buf, NULL);
			double want = isfinite(v) ? v : 0;
			if (fabs(back - want) > 1e-6 + fabs(want) * 1e-15)
				FJ_FAIL("json_num(%.17g) wrote \"%s\"", want, buf);
		}
		free(buf);
	}
	return 0;
}
