/* strace_parse.c - a hand-written scanner for strace lines.
 *
 * One pass over each line with pointers, no sscanf and no allocation on
 * the common path: this runs once per traced system call. */
#include <config.h>

#include "strace_parse.h"
#include "digits.h"
#include "errnames.h"
#include "intern.h"
#include "syscalls.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define US_PER_DAY (86400LL * 1000000LL)

/* What a thread was doing when its line was cut by <unfinished ...>. */
struct task {
	int32_t tid;		/* 0 = empty slot, -1 = deleted */
	int32_t tgid;
	int64_t t_us;		/* start of the pending call */
	uint32_t file, file2;	/* files found in the printed arguments */
	uint16_t call;		/* SC_NONE = nothing pending */
	uint8_t kind, kind2;
	uint8_t clone_thread;	/* the pending call is clone(CLONE_THREAD) */
	/* Access tracking (event.h's EVF_* fields), from the arguments. */
	uint16_t evflags;	/* EVF_FD/EVF_OFFSET/EVF_APPEND/... known */
	uint8_t fd2_ok;
	int32_t fd, fd2;	/* the descriptors in the arguments */
	int64_t off;		/* pread/pwrite's offset argument */
};

/* A decoration seen lately: its name (the intern table's copy, which has
 * no '\\' or '>'), id and kind. */
struct deco {
	const char *name;
	uint32_t len, id;
	uint8_t kind;
};
#define DECO_SLOTS 64

struct strace_parser {
	struct intern *in;
	struct deco deco[DECO_SLOTS];	/* by thread and descriptor */
	int32_t tid;			/* the line's */
	struct task *tasks;
	uint32_t nslots, used;	/* used counts live and deleted slots */
	int32_t last_clone_tid;	/* newest thread with a pending clone */
	uint64_t unfinished_lost;
	int64_t tod_base, tod_last; /* -t/-tt: days passed, for midnight */
	enum strace_clock clock;	/* the first stamped line's kind */
	enum strace_clock line_clock;	/* this line's (UNSEEN: no stamp stage) */
	int relative;		/* -r: SECS.FRAC are deltas, summed into rel_us */
	int64_t rel_us;
	char *buf;		/* decoded path scratch */
	size_t bufcap;
	char *held;		/* a line cut by strace's own message */
	size_t heldlen;
};

/* ---- small scanners ---------------------------------------------------- */

static const char *skip_spaces(const char *c, const char *e);

/* fcntl counts only its lock commands: the second argument, after the
 * descriptor and its <path> decoration. */
static int lock_cmd_ok(const char *a, const char *e)
{
	int depth = 0;
	for (; a < e; a++) {
		if (*a == '<')
			depth++;
		else if (*a == '>' && depth)
			depth--;
		else if (*a == ',' && !depth)
			break;
	}
	if (a >= e)
		return 0;
	a = skip_spaces(a + 1, e);
	const char *b = a;
	while (b < e && *b != ',' && *b != ')')
		b++;
	return syscalls_lock_cmd(a, (size_t)(b - a));
}

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_spaces(const char *c, const char *e)
{
	while (c < e && *c == ' ')
		c++;
	return c;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_DIGITS 1
/* Eight bytes as one word, the first in the low byte. */
static inline uint64_t load8(const char *c)
{
	uint64_t w;
	memcpy(&w, c, 8);
	return w;
}

/* Are all eight bytes of w ASCII digits? */
static inline int digits8_ok(uint64_t w)
{
	return ((w & 0xf0f0f0f0f0f0f0f0ull) |
		(((w + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) >> 4)) ==
	       0x3333333333333333ull;
}

/* The value of eight ASCII digits: three multiplies, not eight. */
static inline __attribute__((always_inline)) uint64_t digits8_value(uint64_t w)
{
	w -= 0x3030303030303030ull;
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffull;	/* digit pairs */
	w = (w * (1 + (100ull << 16))) >> 16 & 0x0000ffff0000ffffull; /* fours */
	return (w * (1 + (10000ull << 32))) >> 32;
}
#endif

/* Unsigned decimal; *ok = 0 when there is no digit. */
static const char *parse_u64(const char *c, const char *e, uint64_t *v, int *ok)
{
	uint64_t n = 0;
	const char *s = c, *lim = e - c > 19 ? c + 19 : e;
	unsigned d;
	while (c < lim && (d = (unsigned)(unsigned char)*c - '0') < 10) {
		n = n * 10 + d;
		c++;
	}
	*ok = c > s;
	*v = n;
	return c;
}

/* Fraction digits after the point, scaled to microseconds. */
static const char *parse_frac_us(const char *c, const char *e, int64_t *us)
{
	/* strace's -ttt and -T print exactly six: no loop, no counting. */
	if (e - c >= 6 && (e - c == 6 || !is_digit(c[6]))) {
#ifdef SWAR_DIGITS
		/* The word ending with them, its first two bytes made '0' (the
		 * callers have passed at least "N." before c). */
		uint64_t w = (load8(c - 2) & ~0xffffull) | 0x3030u;
		if (digits8_ok(w)) {
			*us = (int64_t)digits8_value(w);
			return c + 6;
		}
#endif
		unsigned d0 = (unsigned)(unsigned char)c[0] - '0', d1 = (unsigned)(unsigned char)c[1] - '0',
			 d2 = (unsigned)(unsigned char)c[2] - '0', d3 = (unsigned)(unsigned char)c[3] - '0',
			 d4 = (unsigned)(unsigned char)c[4] - '0', d5 = (unsigned)(unsigned char)c[5] - '0';
		if ((d0 < 10) & (d1 < 10) & (d2 < 10) & (d3 < 10) & (d4 < 10) & (d5 < 10)) {
			*us = ((((int64_t)d0 * 10 + d1) * 10 + d2) * 10 + d3) * 100 + d4 * 10 + d5;
			return c + 6;
		}
	}
	int64_t v = 0;
	int n = 0;
	unsigned d;
	const char *lim = e - c > 6 ? c + 6 : e;
	for (; c < lim && (d = (unsigned)(unsigned char)*c - '0') < 10; c++, n++)
		v = v * 10 + d;
	while (c < e && is_digit(*c))	/* beyond microseconds: ignored */
		c++;
	for (; n < 6; n++)
		v *= 10;
	*us = v;
	return c;
}

/* The first byte in [c, e) that is q or '\\', or e.  Sixteen bytes a
 * step where SSE2 is (x86-64 always): one pass instead of a memchr for
 * each, and no library call for these short spans. */
static inline const char *find_or_bs(const char *c, const char *e, char q)
{
#ifdef __SSE2__
	const __m128i vq = _mm_set1_epi8(q), vb = _mm_set1_epi8('\\');
	for (; e - c >= 16; c += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)c);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_cmpeq_epi8(x, vb)));
		if (m)
			return c + __builtin_ctz(m);
	}
#endif
	for (; c < e; c++)
		if (*c == q || *c == '\\')
			return c;
	return e;
}

/* Skip from the opening c[0] past the first unescaped q; returns the char
 * after it (or e).  *esc is set when a backslash came before it. */
static const char *skip_quoted(const char *c, const char *e, char q, int *esc)
{
	for (c++;;) {
		c = find_or_bs(c, e, q);
		if (c == e)
			return e;
		if (*c == q)
			return c + 1;
		*esc = 1;
		if (e - c <= 2)
			return e;
		c += 2;
	}
}

/* Skip a quoted string starting at the opening quote; returns the char
 * after the closing quote (or e). */
static const char *skip_string(const char *c, const char *e)
{
	int esc = 0;
	return skip_quoted(c, e, '"', &esc);
}

/* Skip a -y decoration starting at '<'; '>' inside names is printed
 * escaped, so the first bare '>' ends it. */
static const char *skip_decoration(const char *c, const char *e)
{
	int esc = 0;
	return skip_quoted(c, e, '>', &esc);
}

/* From inside an argument list, find the ',' or ')' that ends the current
 * argument at nesting depth 0.  Returns e when neither is found. */
static const unsigned char arg_special[256] = {
	['"'] = 1, ['<'] = 1, ['('] = 1, ['['] = 1, ['{'] = 1,
	[']'] = 1, ['}'] = 1, [')'] = 1, [','] = 1,
};

static const char *arg_end(const char *c, const char *e)
{
	int depth = 0;
	while (c < e) {
		/* Most bytes are none of the above: step over them at once. */
		while (!arg_special[(unsigned char)*c])
			if (++c == e)
				return e;
		switch (*c) {
		case '"':
			c = skip_string(c, e);
			continue;
		case '<':
			c = skip_decoration(c, e);
			continue;
		case '(': case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			if (depth > 0)
				depth--;
			break;
		case ')':
			if (depth == 0)
				return c;
			depth--;
			break;
		case ',':
			if (depth == 0)
				return c;
			break;
		default:
			break;
		}
		c++;
	}
	return e;
}

/* Find the ')' closing the argument list that starts at c: arg_end over
 * each argument in turn, in one loop that need not stop at commas. */
static const unsigned char close_special[256] = {
	['"'] = 1, ['<'] = 1, ['('] = 1, ['['] = 1, ['{'] = 1,
	[']'] = 1, ['}'] = 1, [')'] = 1,
};

/* The first byte in [c, e) that args_close must look at, or e. */
static inline const char *next_close_special(const char *c, const char *e)
{
#ifdef __SSE2__
	/* " < ( ) [ ] { }: x|0x20 folds [] onto {}, x|1 ( onto ). */
	const __m128i b20 = _mm_set1_epi8(0x20), b01 = _mm_set1_epi8(0x01),
		      lbr = _mm_set1_epi8('{'), rbr = _mm_set1_epi8('}'),
		      par = _mm_set1_epi8(')'), quo = _mm_set1_epi8('"'),
		      lt = _mm_set1_epi8('<');
	for (; e - c >= 16; c += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)c);
		__m128i x20 = _mm_or_si128(x, b20), x01 = _mm_or_si128(x, b01);
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x20, lbr), _mm_cmpeq_epi8(x20, rbr)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x01, par),
						  _mm_cmpeq_epi8(x, quo)),
				     _mm_cmpeq_epi8(x, lt)));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return c + __builtin_ctz(m);
	}
#endif
	for (; c < e; c++)
		if (close_special[(unsigned char)*c])
			return c;
	return e;
}

static const char *args_close(const char *c, const char *e)
{
	int depth = 0;
	while (c < e) {
		if (!close_special[(unsigned char)*c] &&
		    (c = next_close_special(c + 1, e)) == e)
			return e;
		switch (*c) {
		case '"':
			c = skip_string(c, e);
			continue;
		case '<':
			c = skip_decoration(c, e);
			continue;
		case '(': case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			if (depth > 0)
				depth--;
			break;
		default:	/* ')' */
			if (depth == 0)
				return c;
			depth--;
			break;
		}
		c++;
	}
	return e;
}

/* ---- names ------------------------------------------------------------- */

static int ensure_buf(struct strace_parser *p, size_t need)
{
	if (need <= p->bufcap)
		return 0;
	size_t cap = p->bufcap ? p->bufcap : 4096;
	while (cap < need)
		cap *= 2;
	char *b = realloc(p->buf, cap);
	if (!b)
		return -1;
	p->buf = b;
	p->bufcap = cap;
	return 0;
}

/* Undo strace's escaping of s[0..len) into p->buf at offset off; returns
 * the decoded length (off included), or -1 out of memory. */
static long unescape(struct strace_parser *p, size_t off, const char *s, size_t len)
{
	if (ensure_buf(p, off + len + 1) < 0)
		return -1;
	char *o = p->buf + off;
	const char *e = s + len;
	while (s < e) {
		if (*s != '\\' || s + 1 >= e) {
			*o++ = *s++;
			continue;
		}
		s++;
		char c = *s++;
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'v': *o++ = '\v'; break;
		case 'f': *o++ = '\f'; break;
		case 'a': *o++ = '\a'; break;
		case 'b': *o++ = '\b'; break;
		case 'x': {
			unsigned v = 0;
			int n = 0;
			for (; n < 2 && s < e; n++, s++) {
				int d = digit_hex(*s);
				if (d < 0)
					break;
				v = v * 16 + (unsigned)d;
			}
			*o++ = (char)(n ? v : 'x');
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = (unsigned)(c - '0');
				for (int n = 1; n < 3 && s < e && *s >= '0' && *s <= '7'; n++)
					v = v * 8 + (unsigned)(*s++ - '0');
				*o++ = (char)v;
			} else {
				*o++ = c;	/* \" \\ and anything unknown */
			}
		}
	}
	return (long)(o - p->buf);
}

static unsigned kind_of(const char *s, size_t len)
{
	return intern_name_kind(s, len);
}

/* Intern the name inside a decoration <...> found in [c, e). */
static uint32_t take_decoration(struct strace_parser *p, const char *c,
				const char *e, uint8_t *kind)
{
	const char *lt = c;	/* a few bytes on: "3<", "AT_FDCWD<" */
	while (lt < e && *lt != '<')
		lt++;
	if (lt == e)
		return INTERN_NONE;
	/* Threads use the same descriptors over and over: when the name is
	 * the one this thread's descriptor had last time, we know its end,
	 * that it has no escapes, its id and kind without a search. */
	unsigned key = ((unsigned)p->tid * 31u + (unsigned char)lt[-(lt > c)] * 7u +
			(unsigned char)lt[-2 * (lt - c > 1)]) % DECO_SLOTS;
	struct deco *d = &p->deco[key];
	if (d->name && (size_t)(e - lt) > d->len + 1 && lt[d->len + 1] == '>' &&
	    memcmp(lt + 1, d->name, d->len) == 0) {
		if (kind)
			*kind = d->kind;
		return d->id;
	}
	int esc = 0;
	const char *gt = skip_quoted(lt, e, '>', &esc);
	size_t len = (size_t)(gt - lt - 1);
	if (gt[-1] == '>' && gt - lt >= 2)
		len--;	/* the closing '>' */
	const char *s = lt + 1;
	if (esc) {
		long n = unescape(p, 0, s, len);
		if (n < 0)
			return INTERN_OTHER;
		s = p->buf;
		len = (size_t)n;
	}
	unsigned k = kind_of(s, len);
	if (kind)
		*kind = (uint8_t)k;
	uint32_t id = intern_get(p->in, s, len, k);
	if (!esc && id > INTERN_OTHER) {
		d->name = intern_name(p->in, id, NULL);
		d->len = (uint32_t)len;
		d->id = id;
		d->kind = (uint8_t)k;
	}
	return id;
}

/* Intern a path argument "..." at [c, e), joined to the directory dir
 * (an intern id, for the *at calls) when relative. */
static uint32_t take_path(struct strace_parser *p, const char *c, const char *e,
			  uint32_t dir, uint8_t *kind)
{
	c = skip_spaces(c, e);
	if (c >= e || *c != '"')
		return INTERN_NONE;
	int esc = 0;
	const char *end = skip_quoted(c, e, '"', &esc);
	const char *s = c + 1;
	size_t len = (size_t)(end - s) - (end[-1] == '"' && end > s ? 1 : 0);
	size_t off = 0;
	if ((len == 0 || s[0] != '/') && dir > INTERN_OTHER) {
		size_t dlen;
		const char *d = intern_name(p->in, dir, &dlen);
		if (len == 0) {	/* AT_EMPTY_PATH: the descriptor itself */
			if (kind)
				*kind = (uint8_t)intern_kind(p->in, dir);
			return dir;
		}
		if (ensure_buf(p, dlen + 2) < 0)
			return INTERN_OTHER;
		memcpy(p->buf, d, dlen);
		off = dlen;
		if (off == 0 || p->buf[off - 1] != '/')
			p->buf[off++] = '/';
	} else if (!esc) {
		/* Absolute and unescaped, the usual case: no copy. */
		if (len == 0)
			return INTERN_NONE;
		unsigned k = kind_of(s, len);
		if (kind)
			*kind = (uint8_t)k;
		return intern_get(p->in, s, len, k);
	}
	long n = unescape(p, off, s, len);
	if (n <= 0)
		return INTERN_NONE;
	unsigned k = kind_of(p->buf, (size_t)n);
	if (kind)
		*kind = (uint8_t)k;
	return intern_get(p->in, p->buf, (size_t)n, k);
}

/* ---- tasks ------------------------------------------------------------- */

static struct task *task_find(struct strace_parser *p, int32_t tid, int create)
{
	if (!p->tasks || (create && (p->used + 1) * 2 > p->nslots)) {
		uint32_t n = p->nslots ? p->nslots : 64;
		uint32_t live = 0;
		for (uint32_t i = 0; i < p->nslots; i++)
			live += p->tasks[i].tid > 0;
		while ((live + 1) * 4 > n)
			n *= 2;
		struct task *t = calloc(n, sizeof *t);
		if (!t)
			return NULL;
		for (uint32_t i = 0; i < p->nslots; i++) {
			if (p->tasks[i].tid <= 0)
				continue;
			uint32_t j = (uint32_t)p->tasks[i].tid * 2654435761u & (n - 1);
			while (t[j].tid)
				j = (j + 1) & (n - 1);
			t[j] = p->tasks[i];
		}
		free(p->tasks);
		p->tasks = t;
		p->nslots = n;
		p->used = live;
	}
	uint32_t mask = p->nslots - 1;
	uint32_t j = (uint32_t)tid * 2654435761u & mask;
	struct task *grave = NULL;
	for (; p->tasks[j].tid; j = (j + 1) & mask) {
		if (p->tasks[j].tid == tid)
			return &p->tasks[j];
		if (p->tasks[j].tid < 0 && !grave)
			grave = &p->tasks[j];
	}
	if (!create)
		return NULL;
	struct task *t = grave ? grave : &p->tasks[j];
	if (!grave)
		p->used++;
	memset(t, 0, sizeof *t);
	t->tid = tid;
	t->tgid = tid;
	return t;
}

void strace_parser_learn(struct strace_parser *p, int32_t tid, int32_t tgid)
{
	struct task *t = task_find(p, tid, 1);
	if (t)
		t->tgid = tgid;
}

/* The task of a line's tid, created on first sight.  A task first seen
 * while another has a clone in flight is that clone's child: strace often
 * prints the child's first call before the parent's clone returns. */
static struct task *task_get(struct strace_parser *p, int32_t tid)
{
	struct task *t = task_find(p, tid, 0);
	if (t)
		return t;
	int32_t parent_tgid = 0, thread = 0;
	if (p->last_clone_tid) {
		struct task *c = task_find(p, p->last_clone_tid, 0);
		if (c && sc_table[c->call].flags & SCF_CLONE) {
			parent_tgid = c->tgid;
			thread = c->clone_thread;
		}
	}
	t = task_find(p, tid, 1);
	if (t && thread)
		t->tgid = parent_tgid;
	return t;
}

/* ---- lines ------------------------------------------------------------- */

struct strace_parser *strace_parser_new(struct intern *in)
{
	struct strace_parser *p = calloc(1, sizeof *p);
	if (p)
		p->in = in;
	return p;
}

void strace_parser_free(struct strace_parser *p)
{
	if (!p)
		return;
	free(p->tasks);
	free(p->buf);
	free(p->held);
	free(p);
}

enum strace_clock strace_parser_clock(const struct strace_parser *p)
{
	return p->clock;
}

uint64_t strace_parser_unfinished(const struct strace_parser *p)
{
	uint64_t n = p->unfinished_lost;
	for (uint32_t i = 0; i < p->nslots; i++)
		if (p->tasks[i].tid > 0 && p->tasks[i].call != SC_NONE &&
		    sc_table[p->tasks[i].call].cls != OPC_PROC)
			n++;
	return n;
}

static int sig_number(const char *c, const char *e)
{
	static const char *const names[] = {
		"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
		"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
		"STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
		"URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
		"PWR", "SYS",
	};
	if (e - c < 4 || memcmp(c, "SIG", 3) != 0)
		return 0;
	c += 3;
	const char *s = c;
	while (c < e && ((*c >= 'A' && *c <= 'Z') || is_digit(*c)))
		c++;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == (size_t)(c - s) &&
		    memcmp(names[i], s, (size_t)(c - s)) == 0)
			return (int)i + 1;
	return 0;
}

/* "+++ exited with N +++", "+++ killed by SIGX ... +++", "+++ superseded". */
static int parse_exit(struct strace_parser *p, int32_t tid, int64_t t,
		      const char *c, const char *e, struct io_event *out)
{
	c += 4;
	int64_t status;
	if (e - c > 12 && memcmp(c, "exited with ", 12) == 0) {
		uint64_t v;
		int ok;
		parse_u64(c + 12, e, &v, &ok);
		if (!ok)
			return -1;
		status = (int64_t)v;
	} else if (e - c > 10 && memcmp(c, "killed by ", 10) == 0) {
		int sig = sig_number(c + 10, e);
		status = 128 + (sig ? sig : 0);
	} else if (e - c > 10 && memcmp(c, "superseded", 10) == 0) {
		return 0;
	} else {
		return -1;
	}
	struct task *tk = task_find(p, tid, 0);
	int32_t tgid = tk ? tk->tgid : tid;
	if (tk) {
		if (tk->call != SC_NONE && sc_table[tk->call].cls != OPC_PROC)
			p->unfinished_lost++;
		tk->tid = -1;	/* the tid may be reused: forget it */
	}
	if (tgid != tid)
		return 0;	/* a thread ended, not the process */
	memset(out, 0, sizeof *out);
	out->t_us = t;
	out->pid = tgid;
	out->tid = tid;
	out->cls = OPC_PROC;
	out->call = SC_EXIT;
	out->bytes = status;
	out->flags = c[0] == 'k' ? EVF_SIGNALED : 0;	/* "killed by", not "exited with" */
	return 1;
}

/* Where a call's first arguments are: [a[i], x[i]) for i < n. */
struct argpos {
	const char *a[3], *x[3];
	int n;
};

/* Find the arguments of call sc that name files, from a (up to e).
 * Returns where the scan stopped (the ',' or ')' after the last one, or
 * a), so the search for the closing ')' need not go over them again. */
static const char *scan_args(enum sc_id sc, const char *a, const char *e,
			     struct argpos *ap)
{
	static const uint8_t want[] = {
		[SCA_FD] = 1, [SCA_PATH] = 1, [SCA_DIRFD_PATH] = 2,
		[SCA_FD_IN1_OUT0] = 2, [SCA_FD_IN0_OUT2] = 3,
	};
	unsigned args = sc_table[sc].args;
	int n = args < sizeof want ? want[args] : 0;
	const char *x = a;
	ap->n = 0;
	while (ap->n < n) {
		x = arg_end(a, e);
		ap->a[ap->n] = a;
		ap->x[ap->n++] = x;
		if (x >= e || *x != ',')
			break;
		a = x + 1;
	}
	return x;
}

/* A descriptor argument "3</path>" (or "3"): its number. */
static int arg_fd(const char *c, const char *e, int32_t *fd)
{
	uint64_t v;
	int ok;
	c = skip_spaces(c, e);
	const char *q = parse_u64(c, e, &v, &ok);
	if (!ok || v > INT32_MAX || (q < e && *q != '<' && *q != ',' && *q != ')'))
		return 0;
	*fd = (int32_t)v;
	return 1;
}

/* What access tracking needs from the rest of the argument list [a, close):
 * pread/pwrite's offset (the last argument), an open's O_APPEND/O_CLOEXEC/
 * O_TRUNC.  The flags are searched after the path, so no name can fake
 * them. */
static void take_access_args(enum sc_id sc, const char *a, const char *close,
			     struct task *tk)
{
	const struct sc_info *si = &sc_table[sc];
	if (si->flags & SCF_RETFD) {
		if (sc == SC_creat)
			tk->evflags |= EVF_TRUNC;
		/* One pass over the "O_..." words (memmem thrice cost more). */
		for (const char *q = a; (q = memchr(q, 'O', (size_t)(close - q))) != NULL; q++) {
			size_t left = (size_t)(close - q);
			if (left < 7 || q[1] != '_')
				continue;
			if (left >= 8 && memcmp(q + 2, "APPEND", 6) == 0)
				tk->evflags |= EVF_APPEND;
			else if (left >= 9 && memcmp(q + 2, "CLOEXEC", 7) == 0)
				tk->evflags |= EVF_CLOEXEC;
			else if (memcmp(q + 2, "TRUNC", 5) == 0)
				tk->evflags |= EVF_TRUNC;
		}
		return;
	}
	if (sc != SC_pread64 && sc != SC_pwrite64 && sc != SC_preadv && sc != SC_pwritev)
		return;
	const char *d = close;
	while (d > a && is_digit(d[-1]))
		d--;
	if (d == close || d - a < 2 || d[-1] != ' ' || d[-2] != ',')
		return;
	uint64_t v;
	int ok;
	parse_u64(d, close, &v, &ok);
	if (ok && v <= (uint64_t)INT64_MAX) {
		tk->off = (int64_t)v;
		tk->evflags |= EVF_OFFSET;
	}
}

/* The files named by the arguments at ap of call sc, into tk's slots. */
static void take_args(struct strace_parser *p, enum sc_id sc,
		      const struct argpos *ap, struct task *tk)
{
	tk->file = tk->file2 = INTERN_NONE;
	tk->kind = tk->kind2 = FDK_OTHER;
	tk->evflags = 0;
	tk->fd2_ok = 0;
	switch (sc_table[sc].args) {
	case SCA_FD:
		if (arg_fd(ap->a[0], ap->x[0], &tk->fd))
			tk->evflags |= EVF_FD;
		tk->file = take_decoration(p, ap->a[0], ap->x[0], &tk->kind);
		break;
	case SCA_PATH:
		tk->file = take_path(p, ap->a[0], ap->x[0], INTERN_NONE, &tk->kind);
		break;
	case SCA_DIRFD_PATH: {
		uint32_t dir = take_decoration(p, ap->a[0], ap->x[0], NULL);
		if (ap->n > 1)
			tk->file = take_path(p, ap->a[1], ap->x[1], dir, &tk->kind);
		break;
	}
	case SCA_FD_IN1_OUT0:	/* sendfile(out, in, ...) */
		tk->fd2_ok = (uint8_t)arg_fd(ap->a[0], ap->x[0], &tk->fd2);
		tk->file2 = take_decoration(p, ap->a[0], ap->x[0], &tk->kind2);
		if (ap->n > 1) {
			if (arg_fd(ap->a[1], ap->x[1], &tk->fd))
				tk->evflags |= EVF_FD;
			tk->file = take_decoration(p, ap->a[1], ap->x[1], &tk->kind);
		}
		break;
	case SCA_FD_IN0_OUT2:	/* copy_file_range/splice(in, off, out, ...) */
		if (arg_fd(ap->a[0], ap->x[0], &tk->fd))
			tk->evflags |= EVF_FD;
		tk->file = take_decoration(p, ap->a[0], ap->x[0], &tk->kind);
		if (ap->n > 2) {
			tk->fd2_ok = (uint8_t)arg_fd(ap->a[2], ap->x[2], &tk->fd2);
			tk->file2 = take_decoration(p, ap->a[2], ap->x[2], &tk->kind2);
		}
		break;
	default:
		break;
	}
}

/* Does the clone whose arguments are [a, e) make a thread? */
static void take_clone(enum sc_id sc, const char *a, const char *e, struct task *tk)
{
	if (sc_table[sc].flags & SCF_CLONE) {
		static const char flag[] = "CLONE_THREAD";
		tk->clone_thread = (uint8_t)(memmem(a, (size_t)(e - a), flag,
						   sizeof flag - 1) != NULL);
	}
}

/* Parse " = RET[<decoration>] [ERRNO (text)] [<dur>]" after the ')'.
 * Fills ret/err/dur and the returned descriptor's name. */
static int parse_result(struct strace_parser *p, const char *c, const char *e,
			int want_fd, int64_t *ret, uint16_t *err, uint32_t *dur,
			uint32_t *file, uint8_t *kind)
{
	c = skip_spaces(c, e);
	if (c >= e || *c != '=')
		return -1;
	c = skip_spaces(c + 1, e);
	if (c >= e)
		return -1;
	*err = 0;
	*ret = 0;
	if (*c == '?') {
		*err = ERR_NORETURN;
		c++;
	} else {
		int neg = 0, ok;
		uint64_t v;
		if (*c == '-') {
			neg = 1;
			c++;
		}
		if (e - c > 2 && c[0] == '0' && c[1] == 'x') {
			v = 0;
			int d;
			for (c += 2; c < e && (d = digit_hex(*c)) >= 0; c++)
				v = v * 16 + (uint64_t)d;
		} else {
			c = parse_u64(c, e, &v, &ok);
			if (!ok)
				return -1;
		}
		if (v > (uint64_t)INT64_MAX)
			v = (uint64_t)INT64_MAX;	/* saturate: never negate INT64_MIN */
		*ret = neg ? -(int64_t)v : (int64_t)v;
		if (neg) {
			c = skip_spaces(c, e);
			const char *s = c;
			while (c < e && ((*c >= 'A' && *c <= 'Z') || is_digit(*c)))
				c++;
			*err = errnames_lookup(s, (size_t)(c - s));
		} else if (want_fd && c < e && *c == '<') {
			*file = take_decoration(p, c, e, kind);
		}
	}
	/* Duration: a trailing "<digits.digits>". */
	*dur = 0;
#ifdef SWAR_DIGITS
	uint64_t w;
	if (e - c >= 10 && e[-10] == '<' && e[-8] == '.' && e[-1] == '>' &&
	    is_digit(e[-9]) && digits8_ok(w = (load8(e - 9) & ~0xffffull) | 0x3030u)) {
		*dur = (uint32_t)(e[-9] - '0') * 1000000u + (uint32_t)digits8_value(w);
		return 0;	/* "<S.UUUUUU>", under ten seconds: the usual */
	}
#endif
	if (e > c && e[-1] == '>') {
		const char *lt = e - 1;
		while (lt > c && *lt != '<')
			lt--;
		if (*lt == '<' && lt + 1 < e && is_digit(lt[1])) {
			uint64_t s;
			int ok;
			int64_t us = 0;
			const char *q = parse_u64(lt + 1, e, &s, &ok);
			if (q < e && *q == '.') {
				q = parse_frac_us(q + 1, e, &us);
				if (q == e - 1) {
					uint64_t d = s > UINT32_MAX ? UINT32_MAX
						   : s * 1000000u + (uint64_t)us;
					*dur = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
				}
			}
		}
	}
	return 0;
}

static int emit(struct strace_parser *p, enum sc_id sc, struct task *tk,
		int64_t t, const char *res, const char *e, struct io_event *out)
{
	const struct sc_info *si = &sc_table[sc];
	int64_t ret;
	uint16_t err;
	uint32_t dur, rfile = INTERN_NONE;
	uint8_t rkind = FDK_OTHER;
	if (parse_result(p, res, e, si->flags & SCF_RETFD, &ret, &err, &dur,
			 &rfile, &rkind) < 0)
		return -1;

	struct io_event *ev = out;
	memset(ev, 0, sizeof *ev);
	ev->t_us = t;
	ev->pid = tk->tgid;
	ev->tid = tk->tid;
	ev->call = (uint16_t)sc;
	ev->cls = si->cls;
	ev->dur_us = dur;
	ev->err = err;
	ev->file = tk->file;
	ev->fdkind = tk->kind;
	if (si->cls != OPC_PROC) {
		ev->flags = tk->evflags;
		ev->fd = tk->evflags & EVF_FD ? tk->fd : 0;
		ev->offset = tk->evflags & EVF_OFFSET ? tk->off : 0;
	}

	if (si->cls == OPC_PROC) {
		if (err)
			return 0;
		if (si->flags & SCF_EXEC) {
			size_t len;
			const char *name = intern_name(p->in, tk->file, &len);
			size_t base = len;
			while (base > 0 && name[base - 1] != '/')
				base--;
			name += base;
			len -= base;
			ev->file = intern_get(p->in, name, len, FDK_OTHER);
			ev->call = SC_execve;
			return 1;
		}
		/* clone family: the return value is the new task. */
		if (ret <= 0)
			return 0;
		int32_t child = (int32_t)ret;
		struct task *c = task_find(p, child, 0);
		int fresh = c == NULL;
		if (!c)
			c = task_find(p, child, 1);
		if (!c)
			return 0;
		tk = task_find(p, ev->tid, 0);	/* table may have moved */
		if (!tk)
			return 0;
		if (tk->clone_thread) {
			c->tgid = tk->tgid;
			return 0;
		}
		if (!fresh && c->tgid != child)
			c->tgid = child;	/* the guess said thread; it was a process */
		ev->call = SC_FORK;
		ev->bytes = child;
		ev->file = INTERN_NONE;
		return 1;
	}

	if (si->flags & SCF_RETFD) {
		if (!err && rfile != INTERN_NONE) {
			ev->file = rfile;
			ev->fdkind = rkind;
		}
		/* The descriptor an open made, not the directory's. */
		ev->flags &= (uint16_t)~(EVF_FD | EVF_OFFSET);
		ev->fd = 0;
		if (!err && ret >= 0 && ret <= INT32_MAX) {
			ev->fd = (int32_t)ret;
			ev->flags |= EVF_FD;
		}
		return 1;
	}
	if (sc == SC_lseek) {
		ev->flags &= (uint16_t)~EVF_OFFSET;
		if (!err && ret >= 0) {
			ev->offset = ret;
			ev->flags |= EVF_OFFSET;
		}
	}
	if (si->cls == OPC_META)
		return 1;

	ev->bytes = err || ret < 0 ? 0 : ret;
	if (!(si->flags & SCF_BOTH))
		return 1;
	/* The read half on the input, the write half on the output. */
	ev->cls = OPC_READ;
	out[1] = *ev;
	out[1].cls = OPC_WRITE;
	out[1].file = tk->file2;
	out[1].fdkind = tk->kind2;
	out[1].flags = (uint16_t)(tk->fd2_ok ? EVF_FD : 0);
	out[1].fd = tk->fd2_ok ? tk->fd2 : 0;
	out[0].flags &= (uint16_t)~EVF_OFFSET;
	return 2;
}

static int parse_line(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out);

/* memmem(s, len, msg, mlen) where msg[colon] is its only ':': hop from
 * colon to colon (rare in a -ttt line) instead of a general search, which
 * was a tenth of replay time. */
static const char *find_msg(const char *s, size_t len, const char *msg,
			    size_t mlen, size_t colon)
{
	if (len < mlen)
		return NULL;
	const char *c = s + colon, *last = s + len - (mlen - colon);
	while (c <= last && (c = memchr(c, ':', (size_t)(last - c) + 1))) {
		if (memcmp(c - colon, msg, mlen) == 0)
			return c - colon;
		c++;
	}
	return NULL;
}

/* Written to stderr, strace's "Process N attached" can land in the middle
 * of a call's line: "...vfork(strace: Process 5 attached\n <unfinished
 * ...>".  Hold the first part and glue the continuation to it. */
static int parse_held(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out);

/* The first line that gives an event tells the log's clock kind (strace
 * prints one kind per run); junk and uncounted calls do not. */
int strace_parse_line(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out)
{
	p->line_clock = STRACE_CLOCK_UNSEEN;
	int n = parse_held(p, line, len, out);
	if (n > 0 && p->clock == STRACE_CLOCK_UNSEEN && p->line_clock != STRACE_CLOCK_UNSEEN)
		p->clock = p->line_clock;
	return n;
}

static int parse_held(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out)
{
	static const char msg[] = "strace: Process ";
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (p->held) {
		char *joined = realloc(p->held, p->heldlen + len + 1);
		if (!joined)
			return -1;
		memcpy(joined + p->heldlen, line, len);
		p->held = NULL;
		int n = parse_line(p, joined, p->heldlen + len, out);
		free(joined);
		return n;
	}
	/* strace ends the message with its newline: only a line ending in a
	 * word ("attached") can hold one. */
	const char *m = len > sizeof msg && line[len - 1] >= 'a' && line[len - 1] <= 'z'
		? find_msg(line + 1, len - 1, msg, sizeof msg - 1, 6) : NULL;
	if (m && m[-1] != '"') {
		p->heldlen = (size_t)(m - line);
		p->held = malloc(p->heldlen + 1);
		if (!p->held)
			return -1;
		memcpy(p->held, line, p->heldlen);
		return 0;
	}
	return parse_line(p, line, len, out);
}

static int64_t sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX / 4 - b ? INT64_MAX / 4 : a + b;	/* b >= 0 */
}

/* Is the log's first SECS.FRAC stamp a -r delta rather than -ttt?  -r
 * starts at exactly 0.000000, and prints deltas right-aligned in six
 * columns ("     0.000389" at the line's start or after the pid column's
 * space); no -ttt stamp of a real run is before 1973. */
static int rel_looks(const char *line, const char *stamp, uint64_t secs, int64_t us)
{
	if (secs == 0 && us == 0)
		return 1;
	if (secs >= 100000000)
		return 0;
	if (stamp == line || stamp[-1] != ' ')
		return 0;
	const char *b = stamp;
	while (b > line && b[-1] == ' ')
		b--;
	return b == line || stamp - b >= 2;
}

static int parse_line(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out)
{
	const char *c = line, *e = line + len;
	while (e > c && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	c = skip_spaces(c, e);
	if (c >= e)
		return 0;

	/* Which thread: "[pid  N] " or a leading pid column. */
	int32_t tid = 0;
	uint64_t v;
	int ok;
	if (*c == '[') {
		if (e - c < 6 || memcmp(c, "[pid", 4) != 0)
			return -1;
		c = parse_u64(skip_spaces(c + 4, e), e, &v, &ok);
		if (!ok || c >= e || *c != ']')
			return -1;
		tid = (int32_t)v;
		c = skip_spaces(c + 1, e);
	} else if (is_digit(*c)) {
		const char *q = parse_u64(c, e, &v, &ok);
		if (q < e && *q == ' ') {
			tid = (int32_t)v;
			c = skip_spaces(q, e);
		}
	} else if (e - c >= 8 && memcmp(c, "strace: ", 8) == 0) {
		return 0;	/* strace's own messages, in a stderr log */
	}

	p->tid = tid;

	/* When: -ttt/-r "SECS.FRAC", -t "HH:MM:SS", -tt "HH:MM:SS.FRAC";
	 * none at all (plain strace) leaves every event at time 0. */
	int64_t t = 0;
	const char *stamp = c;
	p->line_clock = STRACE_CLOCK_NONE;
#ifdef SWAR_DIGITS
	/* This era's -ttt, "DDDDDDDDDD.DDDDDD ", in two words. */
	uint64_t w1, w2;
	if (e - c >= 18 && c[10] == '.' && c[17] == ' ' &&
	    is_digit(c[8]) && is_digit(c[9]) && digits8_ok(w1 = load8(c)) &&
	    digits8_ok(w2 = (load8(c + 9) & ~0xffffull) | 0x3030u)) {
		uint64_t secs = digits8_value(w1) * 100 + (uint64_t)(c[8] - '0') * 10 +
				(uint64_t)(c[9] - '0');
		t = (int64_t)secs * 1000000 + (int64_t)digits8_value(w2);
		p->line_clock = STRACE_CLOCK_EPOCH;
		if (p->relative) {	/* not this era: a 10-digit -r delta */
			p->rel_us = sat_add(p->rel_us, t);
			t = p->rel_us;
			p->line_clock = STRACE_CLOCK_RELATIVE;
		}
		c = skip_spaces(c + 17, e);
	} else
#endif
	if (c < e && is_digit(*c)) {
		c = parse_u64(c, e, &v, &ok);
		if (c < e && *c == ':') {
			uint64_t mm, ss;
			c = parse_u64(c + 1, e, &mm, &ok);
			if (!ok || c >= e || *c != ':')
				return -1;
			c = parse_u64(c + 1, e, &ss, &ok);
			if (!ok)
				return -1;
			int64_t us = 0;
			int frac = c < e && *c == '.';
			if (frac)
				c = parse_frac_us(c + 1, e, &us);
			if (v > 23 || mm > 59 || ss > 60)
				return -1;	/* not a time of day (and would overflow) */
			int64_t tod = (int64_t)((v * 60 + mm) * 60 + ss) * 1000000 + us;
			if (tod + US_PER_DAY / 2 < p->tod_last)
				p->tod_base += US_PER_DAY;	/* past midnight */
			p->tod_last = tod;
			t = p->tod_base + tod;
			p->line_clock = frac ? STRACE_CLOCK_TOD_US : STRACE_CLOCK_TOD_S;
		} else {
			int64_t us = 0;
			if (c < e && *c == '.')
				c = parse_frac_us(c + 1, e, &us);
			if (v > (uint64_t)(INT64_MAX / 1000000 - 1))
				return -1;	/* seconds beyond year 292277: not strace's */
			t = (int64_t)v * 1000000 + us;
			if (p->clock == STRACE_CLOCK_UNSEEN && !p->relative &&
			    rel_looks(line, stamp, v, us))
				p->relative = 1;
			p->line_clock = STRACE_CLOCK_EPOCH;
			if (p->relative) {
				p->rel_us = sat_add(p->rel_us, t);
				t = p->rel_us;
				p->line_clock = STRACE_CLOCK_RELATIVE;
			}
		}
		if (c >= e || *c != ' ')
			return -1;
		c = skip_spaces(c, e);
	}
	/* -r beside -t/-tt/-ttt: "(+     0.000273) "; the stamp before it rules. */
	if (e - c >= 3 && c[0] == '(' && c[1] == '+' && p->line_clock != STRACE_CLOCK_NONE) {
		const char *q = c + 2;
		while (q < e && (*q == ' ' || *q == '.' || is_digit(*q)))
			q++;
		if (q >= e || *q != ')')
			return -1;
		c = skip_spaces(q + 1, e);
	}
	if (c >= e)
		return -1;

	struct task *tk;
	if (*c == '+') {
		if (e - c < 8 || memcmp(c, "+++ ", 4) != 0)
			return -1;
		return parse_exit(p, tid, t, c, e, out);
	}
	if (*c == '-') {	/* "--- SIGCHLD {...} ---", "--- stopped by ---" */
		return e - c >= 4 && memcmp(c, "--- ", 4) == 0 ? 0 : -1;
	}
	if (*c == '<') {	/* "<... NAME resumed>REST) = RET" */
		if (e - c < 6 || memcmp(c, "<... ", 5) != 0)
			return -1;
		const char *n = c + 5, *ne = n;
		while (ne < e && *ne != ' ')
			ne++;
		static const char rs[] = " resumed>";
		if (e - ne < (long)sizeof rs - 1 || memcmp(ne, rs, sizeof rs - 1) != 0)
			return -1;
		enum sc_id sc = syscalls_lookup(n, (size_t)(ne - n));
		if (sc_table[sc].flags & SCF_DARWIN)
			sc = SC_NONE;	/* macOS names: not strace's to count */
		const char *rest = ne + sizeof rs - 1;
		tk = task_get(p, tid);
		if (!tk)
			return -1;
		if ((sc_table[sc].flags & SCF_LOCKCMD) && tk->call != sc)
			sc = SC_NONE;	/* its start was not a lock command */
		int64_t t0 = t;
		if (tk->call == sc && sc != SC_NONE) {
			t0 = tk->t_us;
		} else if (sc != SC_NONE) {
			/* Began before we were watching: the arguments are lost. */
			tk->file = tk->file2 = INTERN_NONE;
			tk->kind = tk->kind2 = FDK_OTHER;
			tk->clone_thread = 0;
			tk->evflags = 0;
			tk->fd2_ok = 0;
		}
		tk->call = SC_NONE;
		if (sc == SC_NONE)
			return 0;
		/* Killed again inside the resumed part: "<unfinished ...>) = ?" */
		const char *close = args_close(rest, e);
		if (close >= e)
			return -1;
		if (!(sc_table[sc].flags & SCF_RETFD))	/* pread's offset is here */
			take_access_args(sc, rest, close, tk);
		return emit(p, sc, tk, t0, close + 1, e, out);
	}

	/* "NAME(ARGS) = RET ..." */
	static const unsigned char name_char[256] = {
		['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
		['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
		['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
		['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
		['y'] = 1, ['z'] = 1,
	};
	const char *n = c;
	while (c < e && name_char[(unsigned char)*c])
		c++;
	if (c == n || c >= e || *c != '(')
		return -1;
	enum sc_id sc = syscalls_lookup(n, (size_t)(c - n));
	if (sc_table[sc].flags & SCF_DARWIN)
		sc = SC_NONE;	/* macOS names: not strace's to count */
	if (sc == SC_NONE)
		return 0;	/* a call iopstop does not count */
	const char *a = c + 1;
	if ((sc_table[sc].flags & SCF_LOCKCMD) && !lock_cmd_ok(a, e))
		return 0;	/* fcntl's bookkeeping, not a lock */
	tk = task_get(p, tid);
	if (!tk)
		return -1;

	static const char unf[] = "<unfinished ...>";
	static const char det[] = "<detached ...>";
	if (e - a >= (long)sizeof unf - 1 &&
	    memcmp(e - (sizeof unf - 1), unf, sizeof unf - 1) == 0) {
		if (tk->call != SC_NONE && sc_table[tk->call].cls != OPC_PROC)
			p->unfinished_lost++;
		struct argpos ap;
		scan_args(sc, a, e - (sizeof unf - 1), &ap);
		take_args(p, sc, &ap, tk);
		take_clone(sc, a, e - (sizeof unf - 1), tk);
		if (sc_table[sc].flags & SCF_RETFD)	/* the flags are printed */
			take_access_args(sc, ap.n ? ap.x[ap.n - 1] : a, e, tk);
		tk->call = (uint16_t)sc;
		tk->t_us = t;
		if (sc_table[sc].flags & SCF_CLONE)
			p->last_clone_tid = tid;
		return 0;
	}
	if (e - a >= (long)sizeof det - 1 &&
	    memcmp(e - (sizeof det - 1), det, sizeof det - 1) == 0)
		return 0;	/* we stopped watching before it returned */

	/* The arguments first (their scan stops at an argument's end), then
	 * the rest of the list from there. */
	struct argpos ap;
	const char *close = args_close(scan_args(sc, a, e, &ap), e);
	if (close >= e)
		return -1;
	take_args(p, sc, &ap, tk);
	take_clone(sc, a, close, tk);
	take_access_args(sc, ap.n ? ap.x[ap.n - 1] : a, close, tk);
	return emit(p, sc, tk, t, close + 1, e, out);
}
