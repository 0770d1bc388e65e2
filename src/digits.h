/* digits.h - the digit tests the three parsers share (strace_parse.c,
 * fsusage_parse.c, record_parse.c): inline, as they sit in hot loops. */
#ifndef IOPSTOP_DIGITS_H
#define IOPSTOP_DIGITS_H

/* 1 for '0'..'9'. */
static inline int digit_is_dec(char c)
{
	return (unsigned)c - '0' < 10u;
}

/* The value of a hex digit (0-9, a-f, A-F), or -1. */
static inline int digit_hex(char c)
{
	unsigned d = (unsigned)c - '0';
	if (d < 10u)
		return (int)d;
	d = ((unsigned)c | 0x20u) - 'a';	/* 'A'-'F' fold onto 'a'-'f' */
	return d < 6u ? (int)d + 10 : -1;
}

#endif
