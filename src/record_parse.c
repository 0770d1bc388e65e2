/* record_parse.c - lines of an iopstop recording to io_events (pure). */
#include <config.h>

#include "record_parse.h"
#include "digits.h"
#include "errnames.h"
#include "intern.h"
#include "syscalls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[] = {"read", "write", "meta", "proc", "disk"};
static const char *const kind_names[] = {"file", "pipe", "socket", "tty", "other"};

const char *record_class_name(unsigned cls)
{
	return cls < 5 ? class_names[cls] : "proc";
}

const char *record_kind_name(unsigned kind)
{
	return kind < FDK_COUNT ? kind_names[kind] : "other";
}

struct record_parser *record_parser_new(struct intern *in)
{
	struct record_parser *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->in = in;
	p->exit_status = -1;
	p->rank = -1;
	return p;
}

static void free_command(char **cmd)
{
	if (!cmd)
		return;
	for (char **a = cmd; *a; a++)
		free(*a);
	free(cmd);
}

void record_parser_free(struct record_parser *p)
{
	if (!p)
		return;
	free_command(p->command);
	for (size_t i = 0; i < RECORD_MAP_CHUNKS; i++)
		free(p->map[i]);
	free(p);
}

int record_is_recording(const char *line, size_t len)
{
	size_t n = sizeof RECORD_MAGIC - 1;
	return len >= n && memcmp(line, RECORD_MAGIC, n) == 0;
}

/* ---- escaping ------------------------------------------------------------ */

size_t record_escape(char *out, size_t cap, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 < cap)
				out[o] = (char)c;
			o++;
		} else {
			if (o + 4 < cap) {
				out[o] = '\\';
				out[o + 1] = 'x';
				out[o + 2] = hex[c >> 4];
				out[o + 3] = hex[c & 15];
			}
			o += 4;
		}
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
	return o;
}

long record_unescape(char *out, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			if (i + 3 >= len || s[i + 1] != 'x')
				return -1;
			int h = digit_hex(s[i + 2]), l = digit_hex(s[i + 3]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return -1;
			out[o++] = (char)(h << 4 | l);
			i += 3;
		} else if (c > 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			return -1;
		}
	}
	return (long)o;
}

/* ---- fields -------------------------------------------------------------- */

struct field {
	const char *s;
	size_t len;
};

#define MAXF 16	/* an A line: 2 + the event fields (10, 13 in version 2) */

/* Split on single spaces; returns the field count, or -1 on an empty
 * field (two spaces, leading or trailing space) or too many fields. */
static int split(const char *line, size_t len, struct field *f)
{
	int n = 0;
	size_t i = 0;
	while (i <= len) {
		size_t j = i;
		while (j < len && line[j] != ' ')
			j++;
		if (j == i || n == MAXF)
			return -1;
		f[n].s = line + i;
		f[n].len = j - i;
		n++;
		i = j + 1;
		if (j == len)
			break;
	}
	return n;
}

static int feq(const struct field *f, const char *s)
{
	return strlen(s) == f->len && memcmp(f->s, s, f->len) == 0;
}

static int num(const struct field *f, int64_t lo, int64_t hi, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	uint64_t x = 0;
	if (f->len && f->s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == f->len || f->len - i > 19)
		return -1;
	for (; i < f->len; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(f->s[i] - '0');
	}
	if (x > (uint64_t)INT64_MAX)
		return -1;
	int64_t r = neg ? -(int64_t)x : (int64_t)x;
	if (r < lo || r > hi)
		return -1;
	*v = r;
	return 0;
}

static int lookup(const struct field *f, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (feq(f, names[i]))
			return i;
	return -1;
}

static int bad(struct record_parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof p->error, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the command: a JSON array of strings -------------------------------- */

static void put_utf8(char *out, size_t *o, unsigned cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(const char *s, size_t left, unsigned *v)
{
	if (left < 4)
		return -1;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int h = digit_hex(s[i]);
		if (h < 0)
			return -1;
		*v = *v << 4 | (unsigned)h;
	}
	return 0;
}

/* One JSON string at s[*i] (the opening quote); malloc'ed bytes. */
static char *json_string(const char *s, size_t len, size_t *i)
{
	char *out = malloc(len * 4 + 1);
	size_t o = 0;
	if (!out || *i >= len || s[*i] != '"')
		goto fail;
	for (size_t k = *i + 1; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == '"') {
			out[o] = '\0';
			*i = k + 1;
			return out;
		}
		if (c < 0x20)
			goto fail;
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		if (++k >= len)
			goto fail;
		unsigned cp;
		switch (s[k]) {
		case '"': case '\\': case '/': out[o++] = s[k]; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (hex4(s + k + 1, len - k - 1, &cp) < 0)
				goto fail;
			k += 4;
			if (cp >= 0xdc80 && cp <= 0xdcff) {
				out[o++] = (char)(cp & 0xff);	/* surrogateescape */
			} else if (cp >= 0xd800 && cp <= 0xdbff && k + 6 < len &&
				   s[k + 1] == '\\' && s[k + 2] == 'u') {
				unsigned lo;
				if (hex4(s + k + 3, len - k - 3, &lo) < 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					goto fail;
				k += 6;
				put_utf8(out, &o, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
			} else if (cp == 0) {
				goto fail;
			} else {
				put_utf8(out, &o, cp);
			}
			break;
		default:
			goto fail;
		}
	}
fail:
	free(out);
	return NULL;
}

static void skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

static int parse_command(struct record_parser *p, const char *s, size_t len)
{
	size_t i = 0;
	skip_ws(s, len, &i);
	if (len - i == 4 && memcmp(s + i, "null", 4) == 0)
		return 0;
	if (i >= len || s[i] != '[')
		return bad(p, "command: not a JSON array");
	i++;
	size_t n = 0, cap = 8;
	char **cmd = calloc(cap, sizeof *cmd);
	if (!cmd)
		return bad(p, "out of memory");
	skip_ws(s, len, &i);
	if (i < len && s[i] == ']') {
		i++;
	} else {
		for (;;) {
			skip_ws(s, len, &i);
			char *a = json_string(s, len, &i);
			if (!a)
				goto fail;
			if (n + 2 > cap) {
				char **c2 = realloc(cmd, (cap *= 2) * sizeof *cmd);
				if (!c2) {
					free(a);
					goto fail;
				}
				cmd = c2;
			}
			cmd[n++] = a;
			cmd[n] = NULL;
			skip_ws(s, len, &i);
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			if (i < len && s[i] == ']') {
				i++;
				break;
			}
			goto fail;
		}
	}
	skip_ws(s, len, &i);
	if (i != len)
		goto fail;
	free_command(p->command);
	p->command = cmd;
	return 0;
fail:
	free_command(cmd);
	return bad(p, "command: invalid JSON string array");
}

/* ---- lines --------------------------------------------------------------- */

/* Header keys that may appear once; a second one would replace what the
 * replay already handed out (the command array) or move the clock. */
enum { REC_SEEN_MAGIC = 1, REC_SEEN_COMMAND = 2, REC_SEEN_START = 4,
       REC_SEEN_INTERVAL = 8, REC_SEEN_BACKEND = 16 };

static int once(struct record_parser *p, unsigned bit, const char *what)
{
	if (p->seen & bit)
		return bad(p, bit == REC_SEEN_MAGIC
			   ? "a second '%s' line: two recordings concatenated? (only the first is replayed)"
			   : "a second '# %s' line (only the first counts)", what);
	p->seen |= bit;
	return 0;
}

static int header(struct record_parser *p, const char *line, size_t len)
{
	if (record_is_recording(line, len)) {
		if (once(p, REC_SEEN_MAGIC, "# iopstop-recording") < 0)
			return -1;
		struct field f = {line + sizeof RECORD_MAGIC - 1, len - (sizeof RECORD_MAGIC - 1)};
		int64_t v;
		if (num(&f, 1, 1000000, &v) < 0)
			return bad(p, "bad version in the magic line");
		if (v > RECORD_VERSION)
			return bad(p, "recording version %lld is newer than this iopstop reads (%d)",
				   (long long)v, RECORD_VERSION);
		p->version = (int)v;
		return 0;
	}
	if (!p->version)
		return bad(p, "not an iopstop recording (no '%s%d' line first)",
			   RECORD_MAGIC, RECORD_VERSION);
	/* "# key value" */
	size_t i = 1;
	while (i < len && line[i] == ' ')
		i++;
	size_t k = i;
	while (i < len && line[i] != ' ')
		i++;
	struct field key = {line + k, i - k};
	if (i < len)
		i++;
	struct field val = {line + i, len - i};
	int64_t v;
	if (feq(&key, "command"))
		return once(p, REC_SEEN_COMMAND, "command") < 0 ? -1
			: parse_command(p, val.s, val.len);
	if (feq(&key, "start_us")) {
		if (once(p, REC_SEEN_START, "start_us") < 0)
			return -1;
		if (num(&val, 0, INT64_MAX / 2, &v) < 0)
			return bad(p, "bad start_us");
		p->start_us = v;
	} else if (feq(&key, "interval_us")) {
		if (once(p, REC_SEEN_INTERVAL, "interval_us") < 0)
			return -1;
		if (num(&val, 1, 3600000000LL, &v) < 0)
			return bad(p, "bad interval_us");
		p->interval_us = v;
	} else if (feq(&key, "backend")) {
		if (once(p, REC_SEEN_BACKEND, "backend") < 0)
			return -1;
		size_t n = val.len < sizeof p->backend - 1 ? val.len : sizeof p->backend - 1;
		memcpy(p->backend, val.s, n);
		p->backend[n] = '\0';
	} else if (feq(&key, "host")) {
		size_t n = val.len < sizeof p->host - 1 ? val.len : sizeof p->host - 1;
		memcpy(p->host, val.s, n);
		p->host[n] = '\0';
	} else if (feq(&key, "job")) {
		size_t n = val.len < sizeof p->job - 1 ? val.len : sizeof p->job - 1;
		memcpy(p->job, val.s, n);
		p->job[n] = '\0';
	} else if (feq(&key, "rank")) {
		if (num(&val, 0, INT32_MAX, &v) < 0)
			return bad(p, "bad rank");
		p->rank = (long)v;
	} else if (feq(&key, "at_us")) {
		if (num(&val, -INT64_MAX / 4, INT64_MAX / 4, &v) < 0)
			return bad(p, "bad at_us");
		p->at_us = p->start_us + v;
	} else if (feq(&key, "form")) {
		if (feq(&val, "bins"))
			p->bins = 1;
		else if (!feq(&val, "full"))
			return bad(p, "unknown recording form (full or bins)");
	}
	return 0;	/* comments and unknown keys: ignored */
}

static int path_line(struct record_parser *p, const struct field *f, int nf)
{
	int64_t id;
	if (nf != 4 || num(&f[1], 2, INTERN_MAX - 1, &id) < 0)
		return bad(p, "bad path definition");
	int kind = lookup(&f[2], kind_names, FDK_COUNT);
	if (kind < 0)
		return bad(p, "bad descriptor kind in a path definition");
	char *buf = malloc(f[3].len + 1);
	if (!buf)
		return bad(p, "out of memory");
	long n = record_unescape(buf, f[3].s, f[3].len);
	if (n <= 0) {
		free(buf);
		return bad(p, "bad escaping in a path");
	}
	/* The map is chunked and filled as ids appear: a short recording
	 * (or a fuzzer's stray high id) costs 4 KB, not a 256 KB table. */
	uint32_t **chunk = &p->map[id / RECORD_MAP_CHUNK];
	if (!*chunk && !(*chunk = calloc(RECORD_MAP_CHUNK, sizeof **chunk))) {
		free(buf);
		return bad(p, "out of memory");
	}
	(*chunk)[id % RECORD_MAP_CHUNK] = intern_get(p->in, buf, (size_t)n, (unsigned)kind);
	free(buf);
	return 0;
}

static int end_line(struct record_parser *p, const struct field *f, int nf)
{
	for (int i = 1; i < nf; i++) {
		const char *eq = memchr(f[i].s, '=', f[i].len);
		if (!eq)
			return bad(p, "bad end line");
		struct field k = {f[i].s, (size_t)(eq - f[i].s)};
		struct field v = {eq + 1, f[i].len - k.len - 1};
		int64_t x;
		if (num(&v, -1, INT64_MAX, &x) < 0)
			return bad(p, "bad value in the end line");
		if (feq(&k, "end_us"))
			p->end_us = x;
		else if (feq(&k, "lines"))
			p->lines = (uint64_t)(x < 0 ? 0 : x);
		else if (feq(&k, "unparsed"))
			p->unparsed = (uint64_t)(x < 0 ? 0 : x);
		else if (feq(&k, "unfinished"))
			p->unfinished = (uint64_t)(x < 0 ? 0 : x);
		else if (feq(&k, "exit_status"))
			p->exit_status = (int)(x > 65535 ? -1 : x);
	}
	p->ended = 1;
	return 0;
}

static int call_of(const struct field *f)
{
	if (feq(f, "?"))
		return SC_NONE;
	if (feq(f, "exit"))
		return SC_EXIT;
	if (feq(f, "fork"))
		return SC_FORK;
	enum sc_id id = syscalls_lookup(f->s, f->len);
	return id == SC_NONE ? -1 : (int)id;
}

static int err_of(const struct field *f)
{
	int64_t v;
	if (num(f, 0, 65535, &v) == 0)
		return (int)v;
	if (feq(f, "?"))
		return ERR_NORETURN;
	if (feq(f, "E?"))
		return ERR_UNKNOWN;
	if (f->len < 2 || f->s[0] != 'E')
		return -1;
	uint16_t e = errnames_lookup(f->s, f->len);
	return e == ERR_UNKNOWN ? -1 : e;
}

/* Version 2's FD OFFSET FLAGS (record_parse.h). */
static int event_extra(struct record_parser *p, const struct field *f, struct io_event *ev)
{
	int64_t v;
	if (!feq(&f[0], "-")) {
		if (num(&f[0], 0, INT32_MAX, &v) < 0)
			return bad(p, "bad descriptor");
		ev->fd = (int32_t)v;
		ev->flags |= EVF_FD;
	}
	if (!feq(&f[1], "-")) {
		if (num(&f[1], 0, INT64_MAX / 2, &v) < 0)
			return bad(p, "bad offset");
		ev->offset = v;
		ev->flags |= EVF_OFFSET;
	}
	if (!feq(&f[2], "-")) {
		for (size_t i = 0; i < f[2].len; i++) {
			switch (f[2].s[i]) {
			case 'a': ev->flags |= EVF_APPEND; break;
			case 'c': ev->flags |= EVF_CLOEXEC; break;
			case 't': ev->flags |= EVF_TRUNC; break;
			case 's': ev->flags |= EVF_SIGNALED; break;
			default: return bad(p, "bad event flags");
			}
		}
	}
	return 0;
}

static int event_line(struct record_parser *p, const struct field *f, int nf,
		      struct io_event *ev)
{
	int64_t t, pid, tid, bytes, dur, file;
	int want = p->version >= 2 ? 13 : 10;
	if (nf != want)
		return bad(p, "an event line has %d fields, not %d", nf, want);
	if (num(&f[0], -INT64_MAX / 4, INT64_MAX / 4, &t) < 0)
		return bad(p, "bad time");
	if (num(&f[1], 0, INT32_MAX, &pid) < 0 || num(&f[2], 0, INT32_MAX, &tid) < 0)
		return bad(p, "bad pid or tid");
	int cls = lookup(&f[3], class_names, 5);
	if (cls < 0)
		return bad(p, "bad class");
	int call = call_of(&f[4]);
	if (call < 0)
		return bad(p, "unknown call name");
	if (num(&f[5], INT64_MIN / 2, INT64_MAX / 2, &bytes) < 0)
		return bad(p, "bad byte count");
	if (cls < 2 && bytes < 0)
		return bad(p, "negative byte count");
	if (num(&f[6], 0, UINT32_MAX, &dur) < 0)
		return bad(p, "bad duration");
	int err = err_of(&f[7]);
	if (err < 0)
		return bad(p, "bad errno");
	int kind = lookup(&f[8], kind_names, FDK_COUNT);
	if (kind < 0)
		return bad(p, "bad descriptor kind");
	if (num(&f[9], 0, INTERN_MAX - 1, &file) < 0)
		return bad(p, "bad path id");
	const uint32_t *chunk = p->map[file / RECORD_MAP_CHUNK];
	uint32_t mapped = chunk ? chunk[file % RECORD_MAP_CHUNK] : 0;
	if (file >= 2 && !mapped)
		return bad(p, "path id %lld used before its P line", (long long)file);
	memset(ev, 0, sizeof *ev);
	ev->t_us = p->start_us + t;
	ev->pid = (int32_t)pid;
	ev->tid = (int32_t)tid;
	ev->cls = (uint8_t)cls;
	ev->call = (uint16_t)call;
	ev->bytes = bytes;
	ev->dur_us = (uint32_t)dur;
	ev->err = (uint16_t)err;
	ev->fdkind = (uint8_t)kind;
	ev->file = file >= 2 ? mapped : (uint32_t)file;
	if (nf == 13 && event_extra(p, &f[10], ev) < 0)
		return -1;
	return 1;
}

int record_parse_line(struct record_parser *p, const char *line, size_t len,
		      struct io_event *ev)
{
	p->error[0] = '\0';
	if (len && line[len - 1] == '\r')
		return bad(p, "carriage return in a line");
	if (len == 0)
		return 0;
	if (line[0] == '#')
		return header(p, line, len);
	if (!p->version)
		return bad(p, "not an iopstop recording (no '%s%d' line first)",
			   RECORD_MAGIC, RECORD_VERSION);
	if (memchr(line, '\0', len))
		return bad(p, "NUL byte in a line");
	struct field f[MAXF];
	int nf = split(line, len, f);
	if (nf < 0)
		return bad(p, "bad field separators");
	if (feq(&f[0], "P"))
		return path_line(p, f, nf);
	if (feq(&f[0], "X"))
		return end_line(p, f, nf);
	if (feq(&f[0], "C")) {	/* a counter event: N ops, bytes their total */
		int64_t ops;
		if (nf < 3 || num(&f[1], 1, 65535, &ops) < 0)
			return bad(p, "bad op count in a counter line");
		int rc = event_line(p, f + 2, nf - 2, ev);
		if (rc == 1) {
			if (ev->cls >= OPC_IO_COUNT)
				return bad(p, "a counter line of a class that is not I/O");
			ev->count = (uint16_t)ops;
		}
		return rc;
	}
	if (feq(&f[0], "A") || feq(&f[0], "F")) {
		int64_t ops;
		if (nf < 3 || num(&f[1], 1, 65535, &ops) < 0)
			return bad(p, "bad op count in an aggregate line");
		int rc = event_line(p, f + 2, nf - 2, ev);
		if (rc == 1) {
			if (ev->cls >= OPC_IO_COUNT)
				return bad(p, "an aggregate line of a class that is not I/O");
			ev->count = (uint16_t)ops;
			ev->flags |= f[0].s[0] == 'A' ? EVF_AGG : EVF_FILEONLY;
		}
		return rc;
	}
	if ((line[0] >= '0' && line[0] <= '9') || line[0] == '-')
		return event_line(p, f, nf, ev);
	return bad(p, "unknown record type");
}
