/* model.c - aggregation of events into bins, totals, files, processes. */
#include <config.h>

#include "model.h"
#include "access.h"
#include "findings.h"
#include "intern.h"

#include <stdlib.h>
#include <string.h>

/* The fields that do not start at zero. */
static void model_setup(struct model *m, const struct intern *in, int64_t interval_us)
{
	pthread_mutex_init(&m->lock, NULL);
	m->in = in;
	m->interval_us = interval_us > 0 ? interval_us : 1000000;
	m->ring_last = -1;
	m->wr_width_us = WR_BASE_US;
	m->exit_status = -1;
	m->root_cpu_us = -1;
	const char *nt = getenv("IOPSTOP_NO_TRACK");
	m->no_track = nt && *nt == '1';
}

void model_init(struct model *m, const struct intern *in, int64_t interval_us)
{
	memset(m, 0, sizeof *m);
	model_setup(m, in, interval_us);
}

struct model *model_new(const struct intern *in, int64_t interval_us)
{
	/* calloc's fresh pages are zero already: writing 2 MB of zeros
	 * (the ring) cost 10-15 ms of page faults at every start. */
	struct model *m = calloc(1, sizeof *m);
	if (m)
		model_setup(m, in, interval_us);
	return m;
}

void model_destroy(struct model *m)
{
	pthread_mutex_destroy(&m->lock);
	access_free(m->acc);
	findings_free(m->fnd);
	m->acc = NULL;
	m->fnd = NULL;
	free(m->files);
	free(m->procs);
	m->files = NULL;
	m->procs = NULL;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	model_destroy(m);
	free(m);
}

void model_set_start(struct model *m, int64_t start_us)
{
	m->start_us = start_us;
	m->started = 1;
}

void bin_merge(struct bin *dst, const struct bin *src)
{
	for (int d = 0; d < 2; d++) {
		for (int k = 0; k < NBUCKETS; k++) {
			dst->ops[d][k] += src->ops[d][k];
			dst->bytes[d][k] += src->bytes[d][k];
		}
		dst->nbytes[d] += src->nbytes[d];
	}
	for (int c = 0; c < OPC_IO_COUNT; c++) {
		for (int k = 0; k < NLAT; k++)
			dst->lat[c][k] += src->lat[c][k];
		dst->nops[c] += src->nops[c];
	}
	dst->errors += src->errors;
	for (int f = 0; f < FAM_COUNT; f++)
		dst->fam[f] += src->fam[f];
	for (int c = 0; c < SC_COUNT; c++)
		dst->calls[c] += src->calls[c];
}

/* How many ops an event stands for (see event.h). */
static uint32_t ev_ops(const struct io_event *ev)
{
	return ev->count ? ev->count : 1;
}

static void bin_add(struct bin *b, const struct io_event *ev, unsigned sb, unsigned lb)
{
	uint32_t n = ev_ops(ev);
	if (ev->cls == OPC_META && ev->call < SC_COUNT) {
		unsigned f = sc_table[ev->call].fam;
		b->fam[f ? f : FAM_OTHER] += n;
		b->calls[ev->call] += n;
	}
	if (ev->err) {
		b->errors += n;
		return;
	}
	if (ev->cls < 2) {
		b->ops[ev->cls][sb] += n;
		b->bytes[ev->cls][sb] += (uint64_t)ev->bytes;
		b->nbytes[ev->cls] += (uint64_t)ev->bytes;
	}
	b->nops[ev->cls] += n;
	if (!ev->count)
		b->lat[ev->cls][lb]++;	/* counters carry no durations */
	else if (ev->flags & EVF_AGG)
		b->lat[ev->cls][lb] += n;	/* aggregates do */
}

static struct bin *ring_bin(struct model *m, int64_t idx)
{
	if (idx > m->ring_last) {
		int64_t from = m->ring_last + 1;
		if (from < idx - RING_BINS + 1)
			from = idx - RING_BINS + 1;
		for (int64_t i = from; i <= idx; i++)
			memset(&m->ring[i % RING_BINS], 0, sizeof(struct bin));
		m->ring_last = idx;
	}
	if (idx <= m->ring_last - RING_BINS)
		return NULL;
	return &m->ring[idx % RING_BINS];
}

const struct bin *model_ring_bin(const struct model *m, int64_t idx)
{
	if (idx < 0 || idx > m->ring_last || idx <= m->ring_last - RING_BINS)
		return NULL;
	return &m->ring[idx % RING_BINS];
}

/* Whole-run column for relative time t, halving resolution as needed. */
static struct bin *wr_bin(struct model *m, int64_t t)
{
	int64_t col = t / m->wr_width_us;
	while (col >= WR_COLS) {
		for (int i = 0; i < WR_COLS / 2; i++) {
			struct bin merged = m->wr[2 * i];
			bin_merge(&merged, &m->wr[2 * i + 1]);
			m->wr[i] = merged;
		}
		memset(&m->wr[WR_COLS / 2], 0, sizeof(struct bin) * (WR_COLS / 2));
		m->wr_width_us *= 2;
		col = t / m->wr_width_us;
	}
	return &m->wr[col];
}

static struct file_stats *file_get(struct model *m, uint32_t id)
{
	if (id >= m->files_cap) {
		uint32_t cap = m->files_cap ? m->files_cap : 256;
		while (cap <= id)
			cap *= 2;
		struct file_stats *f = realloc(m->files, cap * sizeof *f);
		if (!f)
			return NULL;
		memset(f + m->files_cap, 0, (cap - m->files_cap) * sizeof *f);
		m->files = f;
		m->files_cap = cap;
	}
	return &m->files[id];
}

/* A compact recording's row for one file (EVF_FILEONLY). */
static void file_only(struct file_stats *f, const struct io_event *ev)
{
	uint32_t k = ev_ops(ev);
	if (ev->err) {
		f->errors += k;
	} else {
		f->ops[ev->cls] += k;
		f->dur_us += ev->dur_us;
		if (ev->cls < 2)
			f->bytes[ev->cls] += (uint64_t)ev->bytes;
	}
	f->seen = 1;
	if (!f->origin)
		f->origin = ev->origin;
	else if (ev->origin != f->origin)
		f->shared = 1;
}

/* Does --path let this file's ops count? */
static int file_passes(struct model *m, uint32_t id, struct file_stats *f)
{
	if (!m->path_prefixes)
		return 1;
	if (!f)
		return 0;
	if (!f->filtered) {
		size_t len;
		const char *name = intern_name(m->in, id, &len);
		f->filtered = 2;
		for (const char *const *p = m->path_prefixes; *p; p++) {
			size_t pl = strlen(*p);
			if (len >= pl && memcmp(name, *p, pl) == 0 &&
			    (len == pl || name[pl] == '/' || (pl && (*p)[pl - 1] == '/'))) {
				f->filtered = 1;
				break;
			}
		}
	}
	return f->filtered == 1;
}

/* The kind --kinds judges a file by.  strace names a path relative to a
 * directory it cannot decorate ("d/a" of mkdir) as it was given: that is
 * a file, not a descriptor of another kind ("anon_inode:[eventfd]"). */
static unsigned file_kind(const struct model *m, uint32_t id)
{
	size_t len;
	unsigned k = intern_kind(m->in, id);
	const char *name = intern_name(m->in, id, &len);
	if (k == FDK_OTHER && (id == INTERN_NONE || !memchr(name, ':', len)))
		k = FDK_FILE;	/* unknown or a relative path */
	return k;
}

/* Is this event left out by --skip-threads or --kinds?  Then it is
 * tallied apart, in m->left_threads or m->left_kind. */
static int left_out(struct model *m, const struct io_event *ev, struct file_stats *f)
{
	struct left_out *lo = NULL;
	for (int i = 0; i < m->nskip_tids; i++)
		if (m->skip_tids[i] == ev->tid)
			lo = &m->left_threads;
	if (!lo && m->kinds) {
		unsigned k = f && f->kind_out ? f->kind_out - 1u : file_kind(m, ev->file);
		if (f && !f->kind_out)
			f->kind_out = (uint8_t)(k + 1);
		if (!(m->kinds & (1u << k)))
			lo = &m->left_kind[k];
	}
	if (!lo)
		return 0;
	lo->ops[ev->cls] += ev_ops(ev);
	if (ev->cls < 2 && !ev->err)
		lo->bytes[ev->cls] += (uint64_t)ev->bytes;
	return 1;
}

/* Processes are keyed by (origin, pid): in a merge of recordings from
 * many hosts, two ranks may have the same pid. */
static struct proc_stats *proc_get(struct model *m, uint16_t origin, int32_t pid, int create)
{
	/* The last one looked up, most of the time; else linear from the
	 * newest: processes that do I/O are few and recent. */
	uint32_t *hint = &m->proc_hint[((uint32_t)pid + origin) % PROC_HINTS];
	if (*hint < m->nprocs && m->procs[*hint].pid == pid && m->procs[*hint].origin == origin)
		return &m->procs[*hint];
	for (uint32_t i = m->nprocs; i-- > 0;)
		if (m->procs[i].pid == pid && m->procs[i].origin == origin) {
			*hint = i;
			return &m->procs[i];
		}
	if (!create)
		return NULL;
	if (m->nprocs >= MAX_PROCS) {
		m->procs_overflow++;
		return NULL;
	}
	if ((m->nprocs & (m->nprocs - 1)) == 0 || m->nprocs == 0) {
		uint32_t cap = m->nprocs ? m->nprocs * 2 : 16;
		struct proc_stats *p = realloc(m->procs, cap * sizeof *p);
		if (!p)
			return NULL;
		m->procs = p;
	}
	m->proc_hint[((uint32_t)pid + origin) % PROC_HINTS] = m->nprocs;
	struct proc_stats *p = &m->procs[m->nprocs++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->origin = origin;
	p->exit_status = -1;
	if (!m->root_pid) {
		m->root_pid = pid;
		m->root_origin = origin;
	}
	return p;
}

const struct proc_stats *model_proc(const struct model *m, int32_t pid)
{
	for (uint32_t i = m->nprocs; i-- > 0;)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	return NULL;
}

static void add_proc_event(struct model *m, const struct io_event *ev)
{
	struct proc_stats *p = proc_get(m, ev->origin, ev->pid, 1);
	switch (ev->call) {
	case SC_execve:
		if (p)
			p->comm = ev->file;
		break;
	case SC_FORK: {
		struct proc_stats *c = proc_get(m, ev->origin, (int32_t)ev->bytes, 1);
		p = proc_get(m, ev->origin, ev->pid, 0);	/* the array may have moved */
		if (c && p && !c->comm)
			c->comm = p->comm;
		break;
	}
	case SC_EXIT:
		if (p)
			p->exit_status = (int)ev->bytes;
		if (ev->pid == m->root_pid && ev->origin == m->root_origin) {
			m->exit_status = (int)ev->bytes;
			m->exit_signaled = !!(ev->flags & EVF_SIGNALED);
		}
		break;
	default:
		break;
	}
}

/* Disk I/O is not a call the program made: only its own tally. */
static void add_disk_event(struct model *m, const struct io_event *ev)
{
	struct totals *T = &m->tot;
	if (ev->err) {
		T->disk_errors++;
		return;
	}
	unsigned d = ev->call < SC_COUNT && (sc_table[ev->call].flags & SCF_DISKW) ? 1 : 0;
	T->disk_ops[d]++;
	T->disk_bytes[d] += ev->bytes > 0 ? (uint64_t)ev->bytes : 0;
}

/* ---- access tracking and findings ---------------------------------------- */

static void model_add_events(struct model *m, const struct io_event *ev, size_t n,
			     int track);

static int track_setup(struct model *m)
{
	if (m->no_track)
		return 0;
	if (!m->acc) {
		m->acc = access_new(m->in);
		m->fnd = findings_new();
		if (!m->acc || !m->fnd) {
			access_free(m->acc);
			findings_free(m->fnd);
			m->acc = NULL;
			m->fnd = NULL;
			m->no_track = 1;
			return 0;
		}
	}
	return 1;
}

/* Once per interval of event time, at its boundary, before the first
 * event past it: the same events give the same findings at the same
 * times, however the source batches them (live, replay, recording). */
static void track_tick(struct model *m, int64_t t)
{
	if (t >= m->fnd->next_eval_us)
		findings_eval(m->fnd, m, t / m->interval_us * m->interval_us);
}

struct findings *model_findings(const struct model *m)
{
	if (!m->fnd)
		return NULL;
	/* Stamped with the end of the interval in progress, not the wall
	 * clock: a replay ends where the live run did. */
	int64_t now = model_now(m), next = m->fnd->next_eval_us;
	findings_eval(m->fnd, m, next > 0 && next < now ? next : now);
	return m->fnd;
}

void model_add(struct model *m, const struct io_event *ev, size_t n)
{
	model_add_events(m, ev, n, n && track_setup(m));
}

static void model_add_events(struct model *m, const struct io_event *ev, size_t n, int track)
{
	/* The bins the last event went to, and the times they cover: most
	 * events land in the same ones, and a 64-bit division costs tens of
	 * cycles. */
	struct bin *rb = NULL, *wb = NULL;
	int64_t rb_lo = 1, rb_hi = 0, wb_lo = 1, wb_hi = 0;
	for (size_t i = 0; i < n; i++, ev++) {
		if (!m->started)
			model_set_start(m, ev->t_us);
		int64_t t = ev->t_us - m->start_us;
		if (t < 0)
			t = 0;
		if (track)
			track_tick(m, t);
		if (ev->cls == OPC_PROC) {
			add_proc_event(m, ev);
			if (track)
				access_event(m->acc, ev);
			continue;
		}
		if (ev->cls == OPC_DISK) {
			add_disk_event(m, ev);
			continue;
		}
		if (ev->cls >= OPC_IO_COUNT)
			continue;
		/* A compact recording's aggregates count for their file apart. */
		struct file_stats *f = ev->flags & EVF_AGG ? NULL : file_get(m, ev->file);
		if ((m->kinds || m->nskip_tids) && left_out(m, ev, f))
			continue;
		if (!file_passes(m, ev->file, f)) {
			m->filtered_out++;
			continue;
		}
		if (ev->flags & EVF_FILEONLY) {
			if (f)
				file_only(f, ev);
			continue;
		}
		m->events++;
		if (track)
			access_event(m->acc, ev);
		int64_t end = t + ev->dur_us;
		/* A thread's back-to-back calls, end to end: the per-call cost
		 * of the capture plus the work between (cost.c). */
		if (!ev->count) {
			if (ev->tid == m->cycle_tid && end >= m->cycle_end)
				m->cycle_us[bucket_lat_of((uint64_t)(end - m->cycle_end))]++;
			m->cycle_tid = ev->tid;
			m->cycle_end = end;
		}
		if (end > m->last_us)
			m->last_us = end;

		unsigned c = ev->cls;
		uint32_t k = ev_ops(ev);
		unsigned sb = bucket_of(k > 1 ? (uint64_t)ev->bytes / k : (uint64_t)ev->bytes);
		unsigned lb = bucket_lat_of((ev->flags & EVF_AGG) && k ? ev->dur_us / k : ev->dur_us);
		struct totals *T = &m->tot;
		struct proc_stats *p = proc_get(m, ev->origin, ev->pid, 1);
		if (ev->err) {
			T->errors[c] += k;
			T->err_by_call[ev->call] += k;
			if (f)
				f->errors += k;
			if (p)
				p->errors += k;
		} else {
			T->ops[c] += k;
			T->by_call[ev->call] += k;
			if (!ev->count)
				T->lat[c][lb]++;
			else if (ev->flags & EVF_AGG)
				T->lat[c][lb] += k;
			T->dur_us[c] += ev->dur_us;
			if (c < 2) {
				T->bytes[c] += (uint64_t)ev->bytes;
				T->hist_ops[c][sb] += k;
				T->hist_bytes[c][sb] += (uint64_t)ev->bytes;
				if (ev->fdkind < FDK_COUNT)
					T->kind_ops[ev->fdkind] += k;
			}
			if (f) {
				f->ops[c] += k;
				f->dur_us += ev->dur_us;
				if (c < 2)
					f->bytes[c] += (uint64_t)ev->bytes;
			}
			if (p) {
				p->ops[c] += k;
				p->dur_us += ev->dur_us;
				if (c < 2)
					p->bytes[c] += (uint64_t)ev->bytes;
			}
		}
		if (f) {
			f->seen = 1;
			if (!f->origin)
				f->origin = ev->origin;
			else if (ev->origin != f->origin)
				f->shared = 1;
		}

		if (t < rb_lo || t >= rb_hi) {
			int64_t idx = t / m->interval_us;
			rb = ring_bin(m, idx);
			rb_lo = idx * m->interval_us;
			rb_hi = rb_lo + m->interval_us;
		}
		struct bin *b = rb;
		if (b) {
			bin_add(b, ev, sb, lb);
			if (b->nops[c] > T->peak_ops[c])
				T->peak_ops[c] = b->nops[c];
			if (c < 2 && b->nbytes[c] > T->peak_bytes[c])
				T->peak_bytes[c] = b->nbytes[c];
		}
		if (t < wb_lo || t >= wb_hi) {
			wb = wr_bin(m, t);	/* may widen the columns */
			wb_lo = t / m->wr_width_us * m->wr_width_us;
			wb_hi = wb_lo + m->wr_width_us;
		}
		bin_add(wb, ev, sb, lb);
	}
}

int64_t model_now(const struct model *m)
{
	return m->now_us > m->last_us ? m->now_us : m->last_us;
}

double model_elapsed_s(const struct model *m)
{
	return (double)model_now(m) / 1e6;
}
