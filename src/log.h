/* log.h - the -v debug log: one timestamped line per event worth knowing
 * when a run goes wrong (the tracer's command line, the source chosen,
 * why a stream ended, what the parser skipped).
 *
 * Off unless log_open succeeded; then any thread may call log_msg: each
 * line is one write(2) to an O_APPEND file, so lines never interleave. */
#ifndef IOPSTOP_LOG_H
#define IOPSTOP_LOG_H

#include <stddef.h>

/* Open (append to) path, mode 0600; 0, or -1 with a one-line error. */
int log_open(const char *path, char *err, size_t len);
void log_close(void);
/* printf-like; a newline is added.  Control bytes are written escaped. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line "what: ARG ARG ..." of an argv, each argument quoted when it
 * holds a space or a byte that needs escaping. */
void log_argv(const char *what, char *const *argv);

#endif
