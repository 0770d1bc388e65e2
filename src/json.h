/* json.h - just enough JSON writing for reports. */
#ifndef IOPSTOP_JSON_H
#define IOPSTOP_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Write s[0..len) as a JSON string.  Valid UTF-8 passes through; control
 * characters are escaped; each byte that is not valid UTF-8 is written as
 * \udcXX (the "surrogateescape" convention of Python), so any file name
 * survives a round trip through the JSON. */
void json_str(FILE *f, const char *s, size_t len);

/* Write a double with up to 6 decimals, never NaN or inf. */
void json_num(FILE *f, double v);

#endif
