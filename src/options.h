/* options.h - the command line, parsed into one struct (pure: no I/O). */
#ifndef IOPSTOP_OPTIONS_H
#define IOPSTOP_OPTIONS_H

#include <stddef.h>

enum run_mode { MODE_LIST, MODE_COMMAND, MODE_PID, MODE_REPLAY };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum backend { BACKEND_AUTO, BACKEND_STRACE, BACKEND_PROC, BACKEND_PRELOAD, BACKEND_FSUSAGE };

#define MAX_PATHS 32
#define MAX_PIDS 64
#define MAX_REPLAYS 64	/* -r given this many times (each may be a dir or glob) */

struct options {
	enum run_mode mode;
	char **command;		/* argv after "--" (MODE_COMMAND) */
	int pids[MAX_PIDS];	/* -p */
	int npids;
	int nskip_tids;		/* of skip_tids, below (here: no padding) */
	const char *replay;	/* -r FILE, "-" = stdin: the first -r */
	const char *replays[MAX_REPLAYS + 1];	/* every -r, NULL-terminated */
	int nreplays;
	int follow;		/* --follow: read recordings as they grow */
	int record_bins;	/* --record=bins: -w writes per-interval aggregates */
	double delay;		/* seconds */
	int delay_set;		/* -d given (else -r adopts a recording's) */
	long iterations;	/* -n, 0 = unlimited */
	int batch;
	int csv;		/* --csv: interval rows as CSV */
	const char *csv_file;	/* --csv=FILE; NULL = stdout (needs -b) */
	const char *json;	/* NULL = off, "-" = stdout */
	const char *svg;
	int heatmap, histogram;
	const char *record;	/* -w */
	int force;
	double speed;		/* replay speed, 0 = as fast as possible */
	enum backend backend;
	const char *output;	/* -o */
	int use_stdin;
	int exit_at_end;
	enum color_mode color;
	int ascii;
	const char *paths[MAX_PATHS + 1];
	int npaths;
	long top;
	int quiet;
	const char *log;	/* -v */
	int help, version;
	int ready_fd;		/* --ready-fd: say "ready" there once capturing (-1 off) */
	unsigned kinds;		/* --kinds: bit (1 << enum fd_kind) per kind counted,
				 * 0 = all */
	int skip_tids[MAX_PIDS];	/* --skip-threads: their calls are left out */
};

/* Fill o from argv.  Returns 0, or 2 with a one-line message in err
 * (usage error).  argv is not modified. */
int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);

/* Write --help to f. */
#include <stdio.h>
void options_usage(FILE *f);

#endif
