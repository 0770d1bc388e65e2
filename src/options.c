/* options.c - getopt_long over the CLI of iopstop(1). */
#include <config.h>

#include "options.h"
#include "event.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_JSON = 256, OPT_CSV, OPT_SVG, OPT_HEATMAP, OPT_HISTOGRAM, OPT_FORCE,
	OPT_SPEED, OPT_BACKEND, OPT_STDIN, OPT_EXIT, OPT_COLOR, OPT_ASCII,
	OPT_PATH, OPT_TOP, OPT_READY_FD, OPT_KINDS, OPT_SKIP_THREADS,
	OPT_FOLLOW, OPT_RECORD,
};

static const struct option longopts[] = {
	{"delay", required_argument, NULL, 'd'},
	{"batch", no_argument, NULL, 'b'},
	{"iterations", required_argument, NULL, 'n'},
	{"pid", required_argument, NULL, 'p'},
	{"read", required_argument, NULL, 'r'},
	{"write", required_argument, NULL, 'w'},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", optional_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"json", optional_argument, NULL, OPT_JSON},
	{"csv", optional_argument, NULL, OPT_CSV},
	{"svg", required_argument, NULL, OPT_SVG},
	{"heatmap", no_argument, NULL, OPT_HEATMAP},
	{"histogram", no_argument, NULL, OPT_HISTOGRAM},
	{"force", no_argument, NULL, OPT_FORCE},
	{"speed", required_argument, NULL, OPT_SPEED},
	{"backend", required_argument, NULL, OPT_BACKEND},
	{"stdin", no_argument, NULL, OPT_STDIN},
	{"exit", no_argument, NULL, OPT_EXIT},
	{"color", required_argument, NULL, OPT_COLOR},
	{"colour", required_argument, NULL, OPT_COLOR},
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"path", required_argument, NULL, OPT_PATH},
	{"top", required_argument, NULL, OPT_TOP},
	{"ready-fd", required_argument, NULL, OPT_READY_FD},
	{"kinds", required_argument, NULL, OPT_KINDS},
	{"skip-threads", required_argument, NULL, OPT_SKIP_THREADS},
	{"follow", no_argument, NULL, OPT_FOLLOW},
	{"record", required_argument, NULL, OPT_RECORD},
	{NULL, 0, NULL, 0},
};

void options_usage(FILE *f)
{
	fputs(
"Usage: iopstop [OPTION]... -- COMMAND [ARG]...   trace a new command\n"
"       iopstop [OPTION]... -p PID[,PID]...       attach to running processes\n"
"       iopstop [OPTION]... -r FILE               replay a recording or strace log\n"
"       iopstop [OPTION]...                       list processes by I/O rate\n"
"Show how a program does file I/O: operations per second, their sizes, and when.\n"
"\n"
"  -d, --delay=SECONDS    interval between updates, 0.05-60 (default 1)\n"
"  -b, --batch            no full-screen view: one line per interval on stdout\n"
"  -n, --iterations=N     stop after N intervals\n"
"      --json[=FILE]      write a JSON summary at exit (to stdout, or FILE)\n"
"      --csv[=FILE]       print CSV with a header line, one row per interval:\n"
"                         to stdout with -b, or to FILE (then stdout stays the\n"
"                         command's, with or without -b)\n"
"      --svg=FILE         draw the whole-run heatmap and histogram as SVG\n"
"      --heatmap          print a text heatmap at exit\n"
"      --histogram        print a text size histogram at exit\n"
"  -w, --write=FILE       record every event to FILE (never overwrites\n"
"                         unless --force); in -w, --json, --svg paths\n"
"                         %h is the host, %p iopstop's pid, %r the MPI/Slurm\n"
"                         rank, %j the Slurm job id (nojob), %% a %\n"
"      --record=FORM      what -w writes: full (every event, the default) or\n"
"                         bins (per-interval aggregates: small at any rate)\n"
"      --force            let -w overwrite an existing file\n"
"  -r, --read=FILE        replay FILE (\"-\" = standard input); repeat it, or\n"
"                         give a directory or a quoted glob, to merge many\n"
"                         recordings (the ranks of a job) into one\n"
"      --follow           with -r, keep reading recordings as they grow, pick\n"
"                         up new ones, end when every one has its end record\n"
"                         (on a terminal in the view, the whole run at once)\n"
"      --speed=N          replay N times faster than recorded (in the view:\n"
"                         play it in time)\n"
"  -p, --pid=PID[,PID]    attach to processes, their threads and children\n"
"      --backend=NAME     auto, strace, proc, preload or fs_usage (default auto:\n"
"                         preload for dynamic commands, else strace, else proc)\n"
"  -o, --output=FILE      in the view, append COMMAND's output to FILE (never\n"
"                         through a symbolic link; default: a new private\n"
"                         file, named at exit unless it stayed empty)\n"
"      --stdin            give COMMAND the terminal as input: no view, and\n"
"                         COMMAND stays in the terminal's foreground group\n"
"      --exit             leave the view as soon as COMMAND exits\n"
"      --color=WHEN       auto, always or never (NO_COLOR is honoured);\n"
"                         also spelt --colour=WHEN\n"
"      --ascii            draw with ASCII characters only\n"
"      --path=PREFIX      count only files under PREFIX (repeatable)\n"
"      --top=N            list at most N files and processes in reports\n"
"                         (default: all)\n"
"      --kinds=LIST       count only calls on these descriptor kinds: file,\n"
"                         pipe, socket, tty, other (the rest is reported as\n"
"                         left out)\n"
"      --skip-threads=TID[,TID]  leave out these threads' calls\n"
"      --ready-fd=N       write one line to descriptor N once capturing (with\n"
"                         -p: once every thread is attached), then close it\n"
"  -q, --quiet            no summary table on standard error at exit\n"
"  -v, --verbose[=FILE]   append a debug log to FILE (default iopstop.log)\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"With COMMAND, the exit status is COMMAND's (128+N if signal N killed it);\n"
"otherwise 0, 1 on a runtime error, 2 on a usage error.\n"
"COMMAND runs in a process group of its own: a hangup (a dropped connection)\n"
"never reaches it, and iopstop passes Ctrl-C, Ctrl-\\ and Ctrl-Z on to it.\n"
"In the view, q asks before it ends a running COMMAND.\n"
"The summary, --json, -b and --svg name I/O anti-patterns found (small reads,\n"
"random access, stat storms...) with advice; see FINDINGS in iopstop(1).\n"
"See iopstop(1) for the keys of the full-screen view and the JSON format.\n",
	      f);
}

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return 2;
}

/* Whole-string number parses: "-d abc", "-d 1x" and "" are errors. */
static int parse_double(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && *v == *v;
}

static int parse_long(const char *s, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno;
}

/* A comma list of PIDs (or TIDs) into out[*n]. */
static int parse_idlist(int *out, int *n, const char *arg, const char *what,
			char *err, size_t len)
{
	const char *s = arg;
	while (*s) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno || v <= 0 || v > 0x3fffffff ||
		    (*end && *end != ','))
			return fail(err, len, "invalid %s list '%s'", what, arg);
		if (*n >= MAX_PIDS)
			return fail(err, len, "too many %ss (at most %d)", what, MAX_PIDS);
		out[(*n)++] = (int)v;
		s = *end ? end + 1 : end;
		if (*end == ',' && !*s)
			return fail(err, len, "invalid %s list '%s'", what, arg);
	}
	return 0;
}

static int parse_pids(struct options *o, const char *arg, char *err, size_t len)
{
	if (!*arg)
		return fail(err, len, "empty PID list (-p PID[,PID]...)");
	return parse_idlist(o->pids, &o->npids, arg, "PID", err, len);
}

/* "file,pipe" -> a bit per enum fd_kind. */
static int parse_kinds(struct options *o, const char *arg, char *err, size_t len)
{
	static const char *const names[FDK_COUNT] = {"file", "pipe", "socket", "tty", "other"};
	const char *s = arg;
	o->kinds = 0;
	for (;;) {
		size_t n = strcspn(s, ",");
		int k = 0;
		while (k < FDK_COUNT && (strlen(names[k]) != n || strncmp(s, names[k], n) != 0))
			k++;
		if (k == FDK_COUNT)
			return fail(err, len, "invalid --kinds '%s' (a list of file, pipe, "
				    "socket, tty, other)", arg);
		o->kinds |= 1u << k;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

/* Machine output never mixes with other output on one stream: at most one
 * of --json, --svg=-, --csv on stdout, and none of them beside -b's lines,
 * --heatmap or --histogram there; no two reports into one FILE (but
 * /dev/null). */
static int streams_check(const struct options *o, char *err, size_t len)
{
	const char *name[8], *path[8];
	int n = 0;
	if (o->json) {
		name[n] = "--json";
		path[n++] = o->json;
	}
	if (o->svg) {
		name[n] = "--svg";
		path[n++] = o->svg;
	}
	if (o->csv) {
		name[n] = "--csv";
		path[n++] = o->csv_file ? o->csv_file : "-";
	}
	if (o->record) {
		name[n] = "-w";
		path[n++] = o->record;
	}
	int machine = n;
	if (o->batch && !o->csv) {
		name[n] = "-b";
		path[n++] = "-";
	}
	if (o->heatmap) {
		name[n] = "--heatmap";
		path[n++] = "-";
	}
	if (o->histogram) {
		name[n] = "--histogram";
		path[n++] = "-";
	}
	for (int i = 0; i < machine; i++)
		for (int j = i + 1; j < n; j++) {
			if (strcmp(path[i], path[j]) != 0 || strcmp(path[i], "/dev/null") == 0)
				continue;
			if (strcmp(path[i], "-") == 0)
				return fail(err, len, "%s and %s would both write to standard "
					    "output: send %s to a file (%s=FILE)", name[i],
					    name[j], name[i], name[i]);
			return fail(err, len, "%s and %s would both write to '%s'",
				    name[i], name[j], path[i]);
		}
	return 0;
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t len)
{
	memset(o, 0, sizeof *o);
	o->delay = 1.0;
	o->top = 0;
	o->mode = MODE_LIST;
	o->ready_fd = -1;
	opterr = 0;
	optind = 1;
	int c;
	double d;
	long l;
	/* '+': stop at the first non-option, so a COMMAND needs no "--". */
	while ((c = getopt_long(argc, argv, "+:d:bn:p:r:w:o:qv::hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!parse_double(optarg, &d) || d < 0.05 || d > 60)
				return fail(err, len, "invalid interval '%s' (seconds, 0.05-60)", optarg);
			o->delay = d;
			o->delay_set = 1;
			break;
		case 'b': o->batch = 1; break;
		case 'n':
			if (!parse_long(optarg, &l) || l < 1)
				return fail(err, len, "invalid iteration count '%s' (a number >= 1)", optarg);
			o->iterations = l;
			break;
		case 'p':
			if (parse_pids(o, optarg, err, len))
				return 2;
			break;
		case 'r':
			if (o->nreplays >= MAX_REPLAYS)
				return fail(err, len, "too many -r (at most %d; give a directory or a glob)",
					    MAX_REPLAYS);
			if (!o->replay)
				o->replay = optarg;
			o->replays[o->nreplays++] = optarg;
			break;
		case 'w': o->record = optarg; break;
		case 'o': o->output = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->log = optarg ? optarg : "iopstop.log"; break;
		case 'h': o->help = 1; break;
		case 'V': o->version = 1; break;
		case OPT_JSON: o->json = optarg ? optarg : "-"; break;
		case OPT_CSV:
			o->csv = 1;
			o->csv_file = optarg && strcmp(optarg, "-") != 0 ? optarg : NULL;
			if (optarg && !*optarg)
				return fail(err, len, "empty --csv file name");
			break;
		case OPT_SVG: o->svg = optarg; break;
		case OPT_HEATMAP: o->heatmap = 1; break;
		case OPT_HISTOGRAM: o->histogram = 1; break;
		case OPT_FORCE: o->force = 1; break;
		case OPT_SPEED:
			if (!parse_double(optarg, &d) || d <= 0 || d > 1e6)
				return fail(err, len, "invalid speed '%s' (a number > 0)", optarg);
			o->speed = d;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "auto")) o->backend = BACKEND_AUTO;
			else if (!strcmp(optarg, "strace")) o->backend = BACKEND_STRACE;
			else if (!strcmp(optarg, "proc")) o->backend = BACKEND_PROC;
			else if (!strcmp(optarg, "preload")) o->backend = BACKEND_PRELOAD;
			else if (!strcmp(optarg, "fs_usage")) o->backend = BACKEND_FSUSAGE;
			else return fail(err, len, "invalid backend '%s' (auto, strace, proc, preload or fs_usage)", optarg);
			break;
		case OPT_STDIN: o->use_stdin = 1; break;
		case OPT_EXIT: o->exit_at_end = 1; break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto")) o->color = COLOR_AUTO;
			else if (!strcmp(optarg, "always")) o->color = COLOR_ALWAYS;
			else if (!strcmp(optarg, "never")) o->color = COLOR_NEVER;
			else return fail(err, len, "invalid --color '%s' (auto, always or never)", optarg);
			break;
		case OPT_ASCII: o->ascii = 1; break;
		case OPT_PATH:
			if (o->npaths >= MAX_PATHS)
				return fail(err, len, "too many --path prefixes (at most %d)", MAX_PATHS);
			if (!*optarg)
				return fail(err, len, "empty --path prefix");
			o->paths[o->npaths++] = optarg;
			break;
		case OPT_TOP:
			if (!parse_long(optarg, &l) || l < 1)
				return fail(err, len, "invalid --top '%s' (a number >= 1)", optarg);
			o->top = l;
			break;
		case OPT_READY_FD:
			if (!parse_long(optarg, &l) || l < 0 || l > 65535)
				return fail(err, len, "invalid --ready-fd '%s' (a descriptor number)", optarg);
			o->ready_fd = (int)l;
			break;
		case OPT_KINDS:
			if (parse_kinds(o, optarg, err, len))
				return 2;
			break;
		case OPT_SKIP_THREADS:
			if (parse_idlist(o->skip_tids, &o->nskip_tids, optarg, "thread ID", err, len))
				return 2;
			break;
		case OPT_FOLLOW: o->follow = 1; break;
		case OPT_RECORD:
			if (!strcmp(optarg, "full")) o->record_bins = 0;
			else if (!strcmp(optarg, "bins")) o->record_bins = 1;
			else return fail(err, len, "invalid --record '%s' (full or bins)", optarg);
			break;
		case ':':
			return fail(err, len, "option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return fail(err, len, "unknown option '-%c'", optopt);
			return fail(err, len, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->help || o->version)
		return 0;
	int sources = (optind < argc) + (o->npids > 0) + (o->replay != NULL);
	if (sources > 1)
		return fail(err, len, "give only one of COMMAND, -p and -r");
	if (optind < argc) {
		o->mode = MODE_COMMAND;
		o->command = argv + optind;
	} else if (o->npids) {
		o->mode = MODE_PID;
	} else if (o->replay) {
		o->mode = MODE_REPLAY;
	}
	if (o->follow && o->mode != MODE_REPLAY)
		return fail(err, len, "--follow needs -r");
	if (o->nreplays > 1 || o->follow)
		for (int i = 0; i < o->nreplays; i++)
			if (!strcmp(o->replays[i], "-"))
				return fail(err, len, "-r - (standard input) cannot be merged or followed");
	if (o->record_bins && !o->record)
		return fail(err, len, "--record=bins needs -w");
	if (o->csv && !o->csv_file && !o->batch)
		return fail(err, len, "--csv needs -b (or --csv=FILE)");
	if (streams_check(o, err, len))
		return 2;
	/* The list watches one process after another: one line cannot say. */
	if (o->ready_fd >= 0 && o->mode == MODE_LIST)
		return fail(err, len, "--ready-fd needs a COMMAND, -p or -r");
	if (o->mode == MODE_REPLAY && o->record)
		return fail(err, len, "-w cannot record a replay");
	if (o->backend == BACKEND_PRELOAD && o->mode != MODE_COMMAND)
		return fail(err, len, "--backend=preload needs a COMMAND (it cannot attach)");
	return 0;
}
