/* intern.h - file paths (and process names) as small dense ids.
 *
 * Only the sampler thread adds; any thread may read the name of an id it
 * got from the model, because the model's lock orders the two.  Names
 * never move once added.  The table is bounded: past INTERN_MAX names,
 * new paths share INTERN_OTHER, and intern_overflow() says how many. */
#ifndef IOPSTOP_INTERN_H
#define IOPSTOP_INTERN_H

#include <stddef.h>
#include <stdint.h>

#define INTERN_NONE 0	/* no file */
#define INTERN_OTHER 1	/* "[other files]": the table was full */
#define INTERN_MAX (1u << 16)

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *in);

/* Id of the bytes s[0..len) (any bytes but NUL), adding them if new. */
uint32_t intern_get(struct intern *in, const char *s, size_t len, unsigned kind);

const char *intern_name(const struct intern *in, uint32_t id, size_t *len);
unsigned intern_kind(const struct intern *in, uint32_t id);
/* The kind of descriptor a name says (enum fd_kind), as strace -y and
 * readlink(/proc/PID/fd/N) print them: "/dev/pts/1", "pipe:[..]", ... */
unsigned intern_name_kind(const char *s, size_t len);
uint32_t intern_count(const struct intern *in);
uint64_t intern_overflow(const struct intern *in);

#endif
