/* fsusage_parse.c - a hand-written scanner for fs_usage -w lines.
 *
 * A line is read from both ends: the time and the call name from the
 * left, the command and thread id, then the elapsed time, from the right
 * (the command may hold spaces and dots, the path column anything); what
 * lies between is the argument tokens (F=, B=0x, [ err], ...) and then
 * the path.  No sscanf, no allocation on the common path. */
#include <config.h>

#include "fsusage_parse.h"
#include "digits.h"
#include "errnames.h"
#include "intern.h"
#include "syscalls.h"

#include <stdlib.h>
#include <string.h>

#define US_PER_DAY (86400LL * 1000000LL)
#define FD_TRACK_MAX 65536	/* descriptors above this are not followed */
#define FD_CELLS_MAX (1u << 22)	/* all commands' fd tables: 16 MB at most */

/* One command name: its pid and what its descriptors name. */
struct cmd {
	uint32_t name;		/* intern id */
	int32_t pid;
	uint8_t named;		/* its exec event was emitted */
	uint8_t learned;	/* pid told by fsusage_parser_learn */
	uint32_t *fd;		/* fd -> intern id (0 = unknown) */
	uint32_t nfd;
};

struct fsusage_parser {
	struct intern *in;
	struct cmd *cmds;
	uint32_t ncmds, capcmds;
	uint32_t *hash;		/* name id -> index + 1, open addressing */
	uint32_t hsize;
	int32_t next_pid;
	int32_t default_pid;	/* 0: synthetic pids */
	int64_t day_base, newest;	/* midnight: days passed, newest stamp */
	int seen;
	uint64_t waited;
	uint64_t fd_cells;	/* fd table entries, all commands */
};

/* What one line says, before any state is consulted. */
struct fsline {
	int64_t tod_us;
	const char *name;
	size_t nlen;
	int has_fd, has_err, has_b;
	int64_t fd;
	unsigned err;
	uint64_t b;
	const char *path;
	size_t plen;
	uint32_t dur_us;
	int waited;
	const char *cmd;
	size_t clen;
	uint64_t tid;
};

/* ---- small scanners ---------------------------------------------------- */

static const char *fsu_skip_spaces(const char *c, const char *e)
{
	while (c < e && *c == ' ')
		c++;
	return c;
}

/* Up to max decimal digits; *n = how many were read. */
static const char *dec(const char *c, const char *e, int max, uint64_t *v, int *n)
{
	uint64_t x = 0;
	int k = 0;
	while (c < e && k < max && digit_is_dec(*c)) {
		x = x * 10 + (uint64_t)(*c - '0');
		c++;
		k++;
	}
	*v = x;
	*n = k;
	return c;
}

/* Is c the end of a token (a space or the end of the region)? */
static int token_end(const char *c, const char *e)
{
	return c >= e || *c == ' ';
}

/* "HH:MM:SS[.frac]" at the start; NULL when it is not one. */
static const char *parse_tod(const char *c, const char *e, int64_t *us)
{
	uint64_t h, m, s, f = 0;
	int n;
	c = dec(c, e, 2, &h, &n);
	if (!n || c >= e || *c != ':')
		return NULL;
	c = dec(c + 1, e, 2, &m, &n);
	if (n != 2 || c >= e || *c != ':')
		return NULL;
	c = dec(c + 1, e, 2, &s, &n);
	if (n != 2 || h > 23 || m > 59 || s > 60)
		return NULL;
	if (c < e && *c == '.') {
		c = dec(c + 1, e, 6, &f, &n);
		if (!n)
			return NULL;
		for (; n < 6; n++)
			f *= 10;
		while (c < e && digit_is_dec(*c))	/* beyond microseconds */
			c++;
	}
	*us = (int64_t)(((h * 60 + m) * 60 + s) * 1000000 + f);
	return c;
}

/* The right end: "ELAPSED [W] COMMAND.TID" within [lo, e).  Fills the
 * command, thread, elapsed and W; returns where ELAPSED begins, or NULL. */
static const char *parse_tail(const char *lo, const char *e, struct fsline *fl)
{
	const char *d = e;
	while (d > lo && digit_is_dec(d[-1]))
		d--;
	if (d == e || e - d > 19 || d <= lo || d[-1] != '.')
		return NULL;
	uint64_t tid;
	int n;
	dec(d, e, 19, &tid, &n);
	const char *dot = d - 1;
	if (dot - lo < 10)
		return NULL;
	/* The rightmost " SECS.uuuuuu " before the command. */
	for (const char *k = dot - 8; k > lo; k--) {
		if (*k != '.' || k[7] != ' ' || !digit_is_dec(k[-1]))
			continue;
		int ok = 1;
		for (int i = 1; i <= 6 && ok; i++)
			ok = digit_is_dec(k[i]);
		if (!ok)
			continue;
		const char *j = k - 1;
		while (j > lo && digit_is_dec(j[-1]) && k - j < 10)
			j--;
		if (j <= lo || j[-1] != ' ')
			continue;
		uint64_t secs, frac;
		dec(j, k, 10, &secs, &n);
		dec(k + 1, k + 7, 6, &frac, &n);
		uint64_t dur = secs * 1000000 + frac;
		const char *c = fsu_skip_spaces(k + 7, dot);
		fl->waited = 0;
		if (c < dot && *c == 'W' && c + 1 < dot && c[1] == ' ') {
			fl->waited = 1;
			c = fsu_skip_spaces(c + 1, dot);
		}
		fl->cmd = c;
		fl->clen = (size_t)(dot - c);
		fl->tid = tid;
		fl->dur_us = dur > UINT32_MAX ? UINT32_MAX : (uint32_t)dur;
		return j;
	}
	return NULL;
}

/* "0xHEX" at c; NULL unless a whole token (16 digits at most). */
static const char *parse_hex(const char *c, const char *e, uint64_t *v)
{
	if (e - c < 3 || c[0] != '0' || c[1] != 'x')
		return NULL;
	c += 2;
	uint64_t x = 0;
	int n = 0, h;
	while (c < e && (h = digit_hex(*c)) >= 0) {
		if (++n > 16)
			return NULL;
		x = x * 16 + (uint64_t)h;
		c++;
	}
	if (!n || !token_end(c, e))
		return NULL;
	*v = x;
	return c;
}

/* "[  N]": an errno; NULL when it is not one. */
static const char *parse_err(const char *c, const char *e, unsigned *err)
{
	uint64_t v;
	int n;
	c = fsu_skip_spaces(c + 1, e);
	c = dec(c, e, 5, &v, &n);
	if (!n || c >= e || *c != ']')
		return NULL;
	*err = (unsigned)v;
	return c + 1;
}

/* The argument tokens, then the path, in [c, e). */
static void parse_middle(const char *c, const char *e, int disk, struct fsline *fl)
{
	for (;;) {
		c = fsu_skip_spaces(c, e);
		if (c >= e)
			return;
		const char *t = c, *q;
		uint64_t v;
		if (e - c >= 3 && c[0] == 'F' && c[1] == '=') {
			int neg = c[2] == '-', n;
			q = dec(c + 2 + neg, e, 10, &v, &n);
			if (n) {
				fl->has_fd = 1;
				fl->fd = neg ? -(int64_t)v : (int64_t)v;
				if (q < e && *q == '[') {
					const char *r = parse_err(q, e, &fl->err);
					if (r) {
						fl->has_err = 1;
						q = r;
					}
				}
				if (token_end(q, e)) {
					c = q;
					continue;
				}
			}
		} else if (e - c >= 3 && c[0] == 'F' && c[1] == 'D' && c[2] == '=') {
			while (c < e && *c != ' ')	/* FD=AT_FDCWD and the like */
				c++;
			continue;
		} else if (*c == '[') {
			unsigned err;
			q = parse_err(c, e, &err);
			if (q && token_end(q, e)) {
				fl->has_err = 1;
				fl->err = err;
				c = q;
				continue;
			}
		} else if (e - c >= 2 && c[1] == '=' && (c[0] == 'B' || c[0] == 'O' ||
			   c[0] == 'D' || c[0] == 'A')) {
			q = parse_hex(c + 2, e, &v);
			if (q) {
				if (c[0] == 'B') {
					fl->has_b = 1;
					fl->b = v;
				}
				c = q;
				continue;
			}
		} else if (*c == '(' || *c == '<') {
			/* Open modes (R_____), lseek/fcntl words <SEEK_SET>. */
			q = memchr(c, *c == '(' ? ')' : '>', (size_t)(e - c));
			if (q && token_end(q + 1, e)) {
				c = q + 1;
				continue;
			}
		} else if (disk && e - c > 5 && memcmp(c, "/dev/", 5) == 0) {
			while (c < e && *c != ' ')	/* the device, before the path */
				c++;
			continue;
		}
		/* Anything else starts the path column. */
		while (e > t && e[-1] == ' ')
			e--;
		fl->path = t;
		fl->plen = (size_t)(e - t);
		return;
	}
}

/* The fields of one line; -1 when it is not fs_usage's shape. */
static int split_line(const char *line, size_t len, struct fsline *fl)
{
	const char *c = line, *e = line + len;
	memset(fl, 0, sizeof *fl);
	while (e > c && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		e--;
	c = parse_tod(c, e, &fl->tod_us);
	if (!c || c >= e || *c != ' ')
		return -1;
	c = fsu_skip_spaces(c, e);
	fl->name = c;
	while (c < e && *c != ' ' && *c != '(')
		c++;
	fl->nlen = (size_t)(c - fl->name);
	if (!fl->nlen || c >= e || *c != ' ')
		return -1;	/* "NAME(" is strace's */
	const char *tail = parse_tail(c, e, fl);
	if (!tail)
		return -1;
	int disk = memchr(fl->name, '[', fl->nlen) != NULL;
	parse_middle(c, tail, disk, fl);
	return 0;
}

int fsusage_line_looks(const char *line, size_t len)
{
	struct fsline fl;
	return split_line(line, len, &fl) == 0;
}

/* ---- names ------------------------------------------------------------- */

/* The call named by fs_usage's column: "_nocancel" and disk flags "[AT1]"
 * dropped; a name cut at 17 columns found by its prefix. */
static enum sc_id call_of(const char *n, size_t len)
{
	static const char nc[] = "_nocancel";
	const char *b = memchr(n, '[', len);
	if (b)
		len = (size_t)(b - n);
	if (len > sizeof nc - 1 && memcmp(n + len - (sizeof nc - 1), nc, sizeof nc - 1) == 0)
		len -= sizeof nc - 1;
	if (!len)
		return SC_NONE;
	enum sc_id sc = syscalls_lookup(n, len);
	if (sc == SC_NONE && len == 17) {
		for (int id = SC_FORK + 1; id < SC_COUNT; id++)
			if ((sc_table[id].flags & SCF_DARWIN) &&
			    strncmp(sc_table[id].name, n, len) == 0)
				return (enum sc_id)id;
	}
	if (sc_table[sc].cls == OPC_PROC || (sc_table[sc].flags & SCF_BOTH))
		return SC_NONE;	/* not a file call fs_usage -f filesys counts */
	if ((sc_table[sc].cls == OPC_DISK) != (b != NULL))
		return SC_NONE;	/* disk names come with their [flags] */
	return sc;
}

/* Darwin errno values 35..102 in Linux numbering (1..34 are the same). */
static unsigned errno_linux(unsigned e)
{
	static const uint8_t map[] = {
		/* 35 */ 11, 115, 114, 88, 89, 90, 91, 92, 93, 94,
		/* 45 */ 95, 96, 97, 98, 99, 100, 101, 102, 103, 104,
		/* 55 */ 105, 106, 107, 108, 109, 110, 111, 40, 36, 112,
		/* 65 */ 113, 39, 0, 87, 122, 116, 66, 0, 0, 0,
		/* 75 */ 0, 0, 37, 38, 0, 0, 0, 0, 0, 75,
		/* 85 */ 0, 0, 0, 0, 125, 0, 0, 84, 61, 0,
		/* 95 */ 0, 0, 0, 0, 0, 0, 0, 95,
	};
	if (e == 0)
		return 0;
	if (e <= 34)
		return e;
	if (e - 35 < sizeof map && map[e - 35])
		return map[e - 35];
	return ERR_UNKNOWN;
}

static unsigned path_kind(const char *s, size_t len)
{
#define PFX(lit) (len >= sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
	if (PFX("/dev/tty") || PFX("/dev/pts") || PFX("/dev/console"))
		return FDK_TTY;
	return FDK_FILE;	/* fs_usage prints paths of files (maybe cut) */
#undef PFX
}

/* ---- commands ---------------------------------------------------------- */

static struct cmd *cmd_find(struct fsusage_parser *p, uint32_t name, int create)
{
	if (p->hsize) {
		uint32_t mask = p->hsize - 1;
		for (uint32_t j = name * 2654435761u & mask; p->hash[j]; j = (j + 1) & mask)
			if (p->cmds[p->hash[j] - 1].name == name)
				return &p->cmds[p->hash[j] - 1];
	}
	if (!create)
		return NULL;
	if (p->ncmds == p->capcmds) {
		uint32_t cap = p->capcmds ? p->capcmds * 2 : 16;
		struct cmd *c = realloc(p->cmds, cap * sizeof *c);
		if (!c)
			return NULL;
		p->cmds = c;
		p->capcmds = cap;
	}
	if ((p->ncmds + 1) * 2 > p->hsize) {
		uint32_t hs = p->hsize ? p->hsize * 2 : 64;
		uint32_t *h = calloc(hs, sizeof *h);
		if (!h)
			return NULL;
		for (uint32_t i = 0; i < p->ncmds; i++) {
			uint32_t j = p->cmds[i].name * 2654435761u & (hs - 1);
			while (h[j])
				j = (j + 1) & (hs - 1);
			h[j] = i + 1;
		}
		free(p->hash);
		p->hash = h;
		p->hsize = hs;
	}
	struct cmd *c = &p->cmds[p->ncmds++];
	memset(c, 0, sizeof *c);
	c->name = name;
	uint32_t j = name * 2654435761u & (p->hsize - 1);
	while (p->hash[j])
		j = (j + 1) & (p->hsize - 1);
	p->hash[j] = p->ncmds;
	return c;
}

void fsusage_parser_learn(struct fsusage_parser *p, const char *name, size_t len,
			  int32_t pid)
{
	struct cmd *c = cmd_find(p, intern_get(p->in, name, len, FDK_OTHER), 1);
	if (c) {
		c->pid = pid;
		c->learned = 1;
	}
}

/* The command of a line, created with its pid on first sight. */
static struct cmd *cmd_get(struct fsusage_parser *p, const char *name, size_t len)
{
	uint32_t id = intern_get(p->in, name, len, FDK_OTHER);
	struct cmd *c = cmd_find(p, id, 0);
	if (c)
		return c;
	int32_t pid = 0;
	if (len >= 15) {	/* fs_usage may cut a long name: a learned one? */
		for (uint32_t i = 0; i < p->ncmds && !pid; i++) {
			size_t ln;
			const char *n = intern_name(p->in, p->cmds[i].name, &ln);
			if (p->cmds[i].learned && ln > len && memcmp(n, name, len) == 0)
				pid = p->cmds[i].pid;
		}
	}
	c = cmd_find(p, id, 1);
	if (!c)
		return NULL;
	c->pid = pid ? pid : p->default_pid ? p->default_pid : p->next_pid++;
	return c;
}

static uint32_t *fd_slot(struct fsusage_parser *p, struct cmd *c, int64_t fd, int create)
{
	if (fd < 0 || fd >= FD_TRACK_MAX)
		return NULL;
	if ((uint64_t)fd >= c->nfd) {
		if (!create)
			return NULL;
		uint32_t n = c->nfd ? c->nfd : 16;
		while (n <= (uint64_t)fd)
			n *= 2;
		if (p->fd_cells + (n - c->nfd) > FD_CELLS_MAX)
			return NULL;	/* a log of absurd fds: forget their names */
		p->fd_cells += n - c->nfd;
		uint32_t *f = realloc(c->fd, n * sizeof *f);
		if (!f)
			return NULL;
		memset(f + c->nfd, 0, (n - c->nfd) * sizeof *f);
		c->fd = f;
		c->nfd = n;
	}
	return &c->fd[fd];
}

/* ---- lines ------------------------------------------------------------- */

struct fsusage_parser *fsusage_parser_new(struct intern *in)
{
	struct fsusage_parser *p = calloc(1, sizeof *p);
	if (p) {
		p->in = in;
		p->next_pid = FSUSAGE_SYNTH_PID;
	}
	return p;
}

void fsusage_parser_free(struct fsusage_parser *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->ncmds; i++)
		free(p->cmds[i].fd);
	free(p->cmds);
	free(p->hash);
	free(p);
}

void fsusage_parser_default_pid(struct fsusage_parser *p, int32_t pid)
{
	p->default_pid = pid;
}

void fsusage_parser_set_day(struct fsusage_parser *p, int64_t midnight_us)
{
	p->day_base = midnight_us;
}

uint64_t fsusage_parser_waited(const struct fsusage_parser *p)
{
	return p->waited;
}

/* Time of day to the parser's clock, across midnight both ways. */
static int64_t clock_of(struct fsusage_parser *p, int64_t tod)
{
	int64_t t = p->day_base + tod;
	if (!p->seen) {
		p->seen = 1;
		p->newest = t;
	} else if (t + US_PER_DAY / 2 < p->newest) {
		p->day_base += US_PER_DAY;	/* past midnight */
		t += US_PER_DAY;
	} else if (t > p->newest + US_PER_DAY / 2) {
		t -= US_PER_DAY;	/* a late line from before midnight */
	}
	if (t > p->newest)
		p->newest = t;
	return t;
}

int fsusage_parse_line(struct fsusage_parser *p, const char *line, size_t len,
		       struct io_event *out)
{
	const char *c = line, *e = line + len;
	while (c < e && (*c == ' ' || *c == '\n' || *c == '\r'))
		c++;
	if (c == e)
		return 0;
	struct fsline fl;
	if (split_line(line, len, &fl) < 0)
		return -1;
	int64_t t = clock_of(p, fl.tod_us) - fl.dur_us;
	enum sc_id sc = call_of(fl.name, fl.nlen);
	if (sc == SC_NONE)
		return 0;	/* a call iopstop does not count */
	const struct sc_info *si = &sc_table[sc];
	struct cmd *cm = cmd_get(p, fl.cmd, fl.clen);
	if (!cm)
		return -1;
	if (fl.waited)
		p->waited++;

	int n = 0;
	int32_t tid = fl.tid > INT32_MAX ? (int32_t)(fl.tid & INT32_MAX) : (int32_t)fl.tid;
	if (!cm->named) {
		cm->named = 1;
		memset(&out[n], 0, sizeof out[n]);
		out[n].t_us = t;
		out[n].pid = cm->pid;
		out[n].tid = tid;
		out[n].cls = OPC_PROC;
		out[n].call = SC_execve;
		out[n].file = cm->name;
		out[n].fdkind = FDK_OTHER;
		n++;
	}
	struct io_event *ev = &out[n++];
	memset(ev, 0, sizeof *ev);
	ev->t_us = t;
	ev->dur_us = fl.dur_us;
	ev->pid = cm->pid;
	ev->tid = tid;
	ev->call = (uint16_t)sc;
	ev->cls = si->cls;
	ev->fdkind = FDK_OTHER;
	if (fl.has_err && fl.err)
		ev->err = (uint16_t)errno_linux(fl.err);
	if ((si->cls == OPC_READ || si->cls == OPC_WRITE || si->cls == OPC_DISK) &&
	    !ev->err && fl.has_b)
		ev->bytes = fl.b > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fl.b;
	if (si->cls == OPC_DISK)
		return n;	/* storage traffic: no file, no descriptor */

	if (fl.plen) {
		unsigned k = path_kind(fl.path, fl.plen);
		ev->file = intern_get(p->in, fl.path, fl.plen, k);
		ev->fdkind = (uint8_t)k;
	} else if (fl.has_fd) {
		uint32_t *s = fd_slot(p, cm, fl.fd, 0);
		if (s && *s) {
			ev->file = *s;
			ev->fdkind = (uint8_t)intern_kind(p->in, *s);
		}
	}
	/* What a descriptor names: set by a successful open, gone at close. */
	if (fl.has_fd && !ev->err) {
		size_t nl = strlen(si->name);
		if (nl >= 4 && (memcmp(si->name, "open", 4) == 0 ||
				strstr(si->name, "_open") != NULL)) {
			uint32_t *s = fd_slot(p, cm, fl.fd, 1);
			if (s)
				*s = ev->file;
		} else if (strstr(si->name, "close")) {
			uint32_t *s = fd_slot(p, cm, fl.fd, 0);
			if (s)
				*s = INTERN_NONE;
		}
	}
	return n;
}
