/* fuzz_replay.c - libFuzzer target for the whole replay path, as a user
 * runs it: the input is a file, and the program's own entry point runs
 *
 *   iopstop -r FILE --json=J --svg=/dev/null --heatmap --histogram
 *
 * (plus `-b --csv=/dev/null -d 0.05 -n 100` for inputs of odd length: -b prints a
 * line per interval of the log's time span, by design, and a fuzzed log
 * spans years), so recordings,
 * strace logs and fs_usage logs all go through source detection, the
 * replay source, the sampler thread, the model, the summary and every
 * report, exactly as in iopstop(1).  Checks: no crash, no sanitizer
 * report, no leak (LSan), no exit() (iopstop_main returns), an exit status
 * of 0 or 1 (never 2: the command line is fixed), and the JSON report is
 * one syntactically valid JSON object with no NaN or infinity in it.
 *
 * Standard output (heatmap, histogram, batch lines) goes to /dev/null
 * during the run; run the fuzzer with -close_fd_mask=2 (or set
 * FUZZ_REPLAY_QUIET=1) to silence iopstop's one-line warnings on stderr
 * too.  The input and the JSON report are
 * memfds named by /proc/self/fd/N: no disk I/O per execution.
 *
 * Also built into tests/test_fuzz_regress (LLVMFuzzerTestOneInput renamed
 * there), so nothing here may depend on libFuzzer itself. */
#include <config.h>

#include "iopstop.h"
#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FRP_FAIL(...) do { \
		fprintf(stderr, "fuzz_replay: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

/* ---- a strict JSON syntax check (RFC 8259) ---------------------------- */

struct frp_json {
	const char *s;
	size_t len, i;
	int depth;
};

static void frp_ws(struct frp_json *j)
{
	while (j->i < j->len && strchr(" \t\r\n", j->s[j->i]) && j->s[j->i])
		j->i++;
}

static int frp_lit(struct frp_json *j, const char *w)
{
	size_t n = strlen(w);
	if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return -1;
	j->i += n;
	return 0;
}

static int frp_string(struct frp_json *j)
{
	if (j->i >= j->len || j->s[j->i] != '"')
		return -1;
	for (j->i++; j->i < j->len; j->i++) {
		unsigned char c = (unsigned char)j->s[j->i];
		if (c == '"') {
			j->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (++j->i >= j->len)
				return -1;
			c = (unsigned char)j->s[j->i];
			if (c == 'u') {
				for (int k = 0; k < 4; k++)
					if (++j->i >= j->len || !strchr("0123456789abcdefABCDEF",
									 j->s[j->i]) || !j->s[j->i])
						return -1;
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				return -1;
			}
		}
	}
	return -1;
}

static int frp_number(struct frp_json *j)
{
	size_t i0 = j->i;
	if (j->i < j->len && j->s[j->i] == '-')
		j->i++;
	if (j->i >= j->len)
		return -1;
	if (j->s[j->i] == '0') {
		j->i++;
	} else if (j->s[j->i] >= '1' && j->s[j->i] <= '9') {
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	} else {
		return -1;
	}
	if (j->i < j->len && j->s[j->i] == '.') {
		size_t d = ++j->i;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
		if (j->i == d)
			return -1;
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		size_t d = j->i;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
		if (j->i == d)
			return -1;
	}
	return j->i > i0 ? 0 : -1;
}

static int frp_value(struct frp_json *j)
{
	if (++j->depth > 64)
		return -1;
	frp_ws(j);
	if (j->i >= j->len)
		return -1;
	int rc = 0;
	char c = j->s[j->i];
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->i++;
		frp_ws(j);
		if (j->i < j->len && j->s[j->i] == close) {
			j->i++;
		} else {
			for (;;) {
				if (c == '{') {
					frp_ws(j);
					if (frp_string(j) < 0)
						return -1;
					frp_ws(j);
					if (j->i >= j->len || j->s[j->i++] != ':')
						return -1;
				}
				if (frp_value(j) < 0)
					return -1;
				frp_ws(j);
				if (j->i < j->len && j->s[j->i] == ',') {
					j->i++;
					continue;
				}
				if (j->i < j->len && j->s[j->i] == close) {
					j->i++;
					break;
				}
				return -1;
			}
		}
	} else if (c == '"') {
		rc = frp_string(j);
	} else if (c == 't') {
		rc = frp_lit(j, "true");
	} else if (c == 'f') {
		rc = frp_lit(j, "false");
	} else if (c == 'n') {
		rc = frp_lit(j, "null");
	} else {
		rc = frp_number(j);
	}
	j->depth--;
	return rc;
}

static void frp_check_json(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	if (len <= 0)
		FRP_FAIL("the JSON report is empty");
	char *buf = malloc((size_t)len);
	if (!buf || pread(fd, buf, (size_t)len, 0) != len)
		FRP_FAIL("cannot read the JSON report back");
	struct frp_json j = {buf, (size_t)len, 0, 0};
	frp_ws(&j);
	if (j.i >= j.len || buf[j.i] != '{' || frp_value(&j) < 0)
		FRP_FAIL("the JSON report is not valid JSON (at byte %zu): %.*s", j.i,
			 (int)(len < 4000 ? len : 4000), buf);
	frp_ws(&j);
	if (j.i != j.len)
		FRP_FAIL("trailing bytes after the JSON report (at byte %zu)", j.i);
	free(buf);
}

/* ---- the target ------------------------------------------------------- */

static int frp_memfd(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		FRP_FAIL("memfd_create: %s", strerror(errno));
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int in_fd = -1, json_fd = -1, null_fd = -1;
	if (in_fd < 0) {
		in_fd = frp_memfd("fuzz-replay-in");
		json_fd = frp_memfd("fuzz-replay-json");
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null_fd < 0)
			FRP_FAIL("/dev/null: %s", strerror(errno));
	}
	if (ftruncate(in_fd, 0) < 0 || ftruncate(json_fd, 0) < 0 ||
	    (size && pwrite(in_fd, data, size, 0) != (ssize_t)size))
		FRP_FAIL("cannot write the input to its memfd");
	char in_path[64], json_arg[80];
	snprintf(in_path, sizeof in_path, "/proc/self/fd/%d", in_fd);
	snprintf(json_arg, sizeof json_arg, "--json=/proc/self/fd/%d", json_fd);
	char *argv[] = {
		"iopstop", "-r", in_path, json_arg, "--svg=/dev/null", "--heatmap",
		"--histogram", "-b", "--csv=/dev/null", "-d", "0.05", "-n", "100", NULL,
	};
	int argc = size & 1 ? 13 : 7;
	argv[argc] = NULL;

	/* iopstop sets its own signal manners; give the fuzzer its own back. */
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT};
	struct sigaction saved[sizeof sigs / sizeof sigs[0]];
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
		sigaction(sigs[k], NULL, &saved[k]);
	fflush(stdout);
	fflush(stderr);
	int quiet = getenv("FUZZ_REPLAY_QUIET") != NULL;
	int out_fd = dup(1), err_fd = quiet ? dup(2) : -1;
	if (out_fd < 0 || dup2(null_fd, 1) < 0 || (quiet && (err_fd < 0 || dup2(null_fd, 2) < 0)))
		FRP_FAIL("cannot send stdout to /dev/null");

	int rc = iopstop_main(argc, argv);

	fflush(stdout);
	dup2(out_fd, 1);
	close(out_fd);
	if (quiet) {
		fflush(stderr);
		dup2(err_fd, 2);
		close(err_fd);
	}
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
		sigaction(sigs[k], &saved[k], NULL);
	/* A SIGINT/SIGTERM meant for the fuzzer came during the run: iopstop
	 * took it (and would stop every later run at once); pass it on. */
	if (atomic_exchange(&sampler_signal_stop, 0))
		raise(SIGTERM);

	if (rc != 0 && rc != 1)
		FRP_FAIL("exit status %d for a replay (0 or 1 expected)", rc);
	frp_check_json(json_fd);
	return 0;
}
