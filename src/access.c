/* access.c - open file descriptions, positions, and what each access was. */
#include <config.h>

#include "access.h"
#include "intern.h"
#include "syscalls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One open file description: shared by dup'ed descriptors, forked
 * children and threads, as in the kernel. */
struct acc_desc {
	uint32_t refs;
	uint32_t file;
	int64_t pos;
	int64_t last_end[2];	/* where the last read / write ended */
	uint8_t pos_known, last_known[2], append;
};

struct acc_fd {
	struct acc_desc *d;
	uint8_t cloexec;
};

struct acc_proc {
	int32_t pid;		/* 0 empty, -1 deleted */
	uint32_t nfd;
	struct acc_fd *fds;
};

struct access *access_new(const struct intern *in)
{
	struct access *a = calloc(1, sizeof *a);
	if (a)
		a->in = in;
	return a;
}

static void desc_put(struct acc_desc *d)
{
	if (d && --d->refs == 0)
		free(d);
}

static void proc_clear(struct acc_proc *p)
{
	for (uint32_t i = 0; i < p->nfd; i++)
		desc_put(p->fds[i].d);
	free(p->fds);
	p->fds = NULL;
	p->nfd = 0;
}

void access_free(struct access *a)
{
	if (!a)
		return;
	for (uint32_t i = 0; i < a->pslots; i++)
		if (a->procs[i].pid > 0)
			proc_clear(&a->procs[i]);
	free(a->procs);
	for (uint32_t i = 0; i < a->cap; i++)
		free(a->files[i]);
	free(a->files);
	free(a->ids);
	free(a->hot);
	free(a->mhot);
	free(a->meta);
	free(a);
}

/* ---- processes and descriptors ------------------------------------------ */

static struct acc_proc *proc_find(struct access *a, int32_t pid, int create)
{
	if (pid <= 0)
		return NULL;
	if (create && (a->pused + 1) * 2 > a->pslots) {
		uint32_t live = 0;
		for (uint32_t i = 0; i < a->pslots; i++)
			live += a->procs[i].pid > 0;
		if (live >= ACC_MAX_PROCS)
			create = 0;	/* full: the caller counts it untracked */
		else {
			uint32_t n = 64;
			while ((live + 1) * 4 > n)
				n *= 2;
			struct acc_proc *t = calloc(n, sizeof *t);
			if (!t)
				return NULL;
			for (uint32_t i = 0; i < a->pslots; i++) {
				if (a->procs[i].pid <= 0)
					continue;
				uint32_t j = (uint32_t)a->procs[i].pid * 2654435761u & (n - 1);
				while (t[j].pid)
					j = (j + 1) & (n - 1);
				t[j] = a->procs[i];
			}
			free(a->procs);
			a->procs = t;
			a->pslots = n;
			a->pused = live;
		}
	}
	if (!a->pslots)
		return NULL;
	uint32_t mask = a->pslots - 1, j = (uint32_t)pid * 2654435761u & mask;
	struct acc_proc *grave = NULL;
	for (uint32_t k = 0; k < a->pslots && a->procs[j].pid; k++, j = (j + 1) & mask) {
		if (a->procs[j].pid == pid)
			return &a->procs[j];
		if (a->procs[j].pid < 0 && !grave)
			grave = &a->procs[j];
	}
	if (!create)
		return NULL;
	struct acc_proc *p = grave ? grave : (a->procs[j].pid ? NULL : &a->procs[j]);
	if (!p)
		return NULL;
	if (!grave)
		a->pused++;
	memset(p, 0, sizeof *p);
	p->pid = pid;
	return p;
}

static struct acc_fd *fd_slot(struct acc_proc *p, int32_t fd, int create)
{
	if (!p || fd < 0 || fd >= ACC_MAX_FD)
		return NULL;
	if ((uint32_t)fd >= p->nfd) {
		if (!create)
			return NULL;
		uint32_t n = p->nfd ? p->nfd : 16;
		while (n <= (uint32_t)fd)
			n *= 2;
		struct acc_fd *t = realloc(p->fds, n * sizeof *t);
		if (!t)
			return NULL;
		memset(t + p->nfd, 0, (n - p->nfd) * sizeof *t);
		p->fds = t;
		p->nfd = n;
	}
	return &p->fds[fd];
}

static struct acc_desc *desc_new(uint32_t file, int known)
{
	struct acc_desc *d = calloc(1, sizeof *d);
	if (d) {
		d->refs = 1;
		d->file = file;
		d->pos_known = d->last_known[0] = d->last_known[1] = (uint8_t)known;
	}
	return d;
}

static void slot_set(struct acc_fd *s, struct acc_desc *d, int cloexec)
{
	desc_put(s->d);
	s->d = d;
	s->cloexec = (uint8_t)cloexec;
}

/* fork: the child gets the parent's descriptors, sharing descriptions.
 * Any the child used before the fork was seen (strace prints the child's
 * first calls before the parent's clone returns) are the parent's. */
static void proc_fork(struct access *a, int32_t parent, int32_t child)
{
	struct acc_proc *p = proc_find(a, parent, 0);
	if (!p)
		return;
	uint32_t nfd = p->nfd;
	struct acc_proc *c = proc_find(a, child, 1);
	p = proc_find(a, parent, 0);	/* the table may have moved */
	if (!c || !p)
		return;
	for (uint32_t i = 0; i < nfd; i++) {
		if (!p->fds[i].d)
			continue;
		struct acc_fd *s = fd_slot(c, (int32_t)i, 1);
		if (!s)
			break;
		p->fds[i].d->refs++;
		slot_set(s, p->fds[i].d, p->fds[i].cloexec);
	}
}

static void proc_exec(struct access *a, int32_t pid)
{
	struct acc_proc *p = proc_find(a, pid, 0);
	if (!p)
		return;
	for (uint32_t i = 0; i < p->nfd; i++)
		if (p->fds[i].d && p->fds[i].cloexec)
			slot_set(&p->fds[i], NULL, 0);
}

static void proc_exit(struct access *a, int32_t pid)
{
	struct acc_proc *p = proc_find(a, pid, 0);
	if (!p)
		return;
	proc_clear(p);
	p->pid = -1;
}

/* ---- files ---------------------------------------------------------------- */

static int grow_slow(struct access *a, uint32_t id)
{
	if (id >= INTERN_MAX)
		return -1;
	uint32_t cap = a->cap ? a->cap : 256;
	while (cap <= id)
		cap *= 2;
	struct acc_file **f = realloc(a->files, cap * sizeof *f);
	if (!f)
		return -1;
	a->files = f;
	struct acc_meta *m = realloc(a->meta, cap * sizeof *m);
	if (!m)
		return -1;
	a->meta = m;
	memset(f + a->cap, 0, (cap - a->cap) * sizeof *f);
	memset(m + a->cap, 0, (cap - a->cap) * sizeof *m);
	a->cap = cap;
	return 0;
}

static inline int grow(struct access *a, uint32_t id)
{
	return id < a->cap ? 0 : grow_slow(a, id);
}

static struct acc_meta *meta_get(struct access *a, uint32_t id)
{
	if (id <= INTERN_OTHER || grow(a, id) < 0)
		return NULL;
	return &a->meta[id];
}

/* Regular files only: pipes, sockets, ttys and the kernel's pseudo files
 * have no layout to get wrong. */
static int is_regular(struct access *a, uint32_t id, struct acc_meta *m)
{
	if (!m->regular) {
		m->regular = 2;
		if (a->in && intern_kind(a->in, id) == FDK_FILE) {
			size_t len;
			const char *s = intern_name(a->in, id, &len);
			int pseudo = (len >= 5 && (memcmp(s, "/proc", 5) == 0 ||
						   memcmp(s, "/dev/", 5) == 0)) ||
				     (len >= 4 && memcmp(s, "/sys", 4) == 0 &&
				      (len == 4 || s[4] == '/'));
			m->regular = pseudo ? 2 : 1;
		} else if (!a->in) {
			m->regular = 1;
		}
	}
	return m->regular == 1;
}

static struct acc_file *file_get(struct access *a, uint32_t id)
{
	if (id <= INTERN_OTHER || grow(a, id) < 0)
		return NULL;
	if (!a->files[id]) {
		if (a->nfiles >= ACC_MAX_FILES)
			return NULL;
		if (a->nfiles == a->idcap) {
			uint32_t n = a->idcap ? a->idcap * 2 : 64;
			uint32_t *ids = realloc(a->ids, n * sizeof *ids);
			if (!ids)
				return NULL;
			a->ids = ids;
			a->idcap = n;
		}
		struct acc_file *f = calloc(1, sizeof *f);
		if (!f)
			return NULL;
		a->ids[a->nfiles] = id;
		f->last_dir = -1;
		f->wlo = -1;
		a->files[id] = f;
		a->nfiles++;
	}
	return a->files[id];
}

const struct acc_file *access_file(const struct access *a, uint32_t id)
{
	return a && id < a->cap ? a->files[id] : NULL;
}

const struct acc_meta *access_meta(const struct access *a, uint32_t id)
{
	return a && id < a->cap ? &a->meta[id] : NULL;
}

static void top_add(struct acc_top *t, int64_t v)
{
	int low = 0;
	for (int i = 0; i < ACC_TOP; i++) {
		if (t[i].n && t[i].v == v) {
			t[i].n++;
			return;
		}
		if (!t[i].n) {
			t[i].v = v;
			t[i].n = 1;
			return;
		}
		if (t[i].n < t[low].n)
			low = i;
	}
	t[low].v = v;	/* space-saving: the newcomer inherits the count */
	t[low].n++;
}

int64_t access_top(const struct acc_top *t, uint64_t *n)
{
	int best = 0;
	for (int i = 1; i < ACC_TOP; i++)
		if (t[i].n > t[best].n)
			best = i;
	if (n)
		*n = t[best].n;
	return t[best].v;
}

static int64_t overlap(int64_t lo1, int64_t hi1, int64_t lo2, int64_t hi2)
{
	int64_t lo = lo1 > lo2 ? lo1 : lo2, hi = hi1 < hi2 ? hi1 : hi2;
	return hi > lo ? hi - lo : 0;
}

/* Add [lo, hi) to the read ranges; returns how much of it they held. */
static int64_t ranges_add(struct acc_file *f, int64_t lo, int64_t hi)
{
	int n = f->nranges;
	/* The usual: the read continues the last range. */
	if (n && f->rhi[n - 1] == lo) {
		f->rhi[n - 1] = hi;
		return 0;
	}
	int64_t held = 0;
	int i = 0;
	while (i < n && f->rhi[i] < lo)
		i++;
	int j = i;	/* ranges i..j-1 touch [lo, hi) */
	int64_t nlo = lo, nhi = hi;
	while (j < n && f->rlo[j] <= hi) {
		held += overlap(lo, hi, f->rlo[j], f->rhi[j]);
		if (f->rlo[j] < nlo)
			nlo = f->rlo[j];
		if (f->rhi[j] > nhi)
			nhi = f->rhi[j];
		j++;
	}
	if (j > i) {	/* merge into slot i */
		f->rlo[i] = nlo;
		f->rhi[i] = nhi;
		memmove(&f->rlo[i + 1], &f->rlo[j], (size_t)(n - j) * sizeof f->rlo[0]);
		memmove(&f->rhi[i + 1], &f->rhi[j], (size_t)(n - j) * sizeof f->rhi[0]);
		f->nranges = (uint8_t)(n - (j - i - 1));
		return held;
	}
	if (n == ACC_RANGES) {
		/* Full: forget the shortest range.  Its bytes count as new if
		 * read again, so coverage is understated and re-reads can only
		 * be missed, never invented. */
		int small = 0;
		for (int k = 1; k < n; k++)
			if (f->rhi[k] - f->rlo[k] < f->rhi[small] - f->rlo[small])
				small = k;
		memmove(&f->rlo[small], &f->rlo[small + 1], (size_t)(n - small - 1) * sizeof f->rlo[0]);
		memmove(&f->rhi[small], &f->rhi[small + 1], (size_t)(n - small - 1) * sizeof f->rhi[0]);
		f->nranges = (uint8_t)(n - 1);
		f->ranges_dropped++;
		return ranges_add(f, lo, hi);
	}
	memmove(&f->rlo[i + 1], &f->rlo[i], (size_t)(n - i) * sizeof f->rlo[0]);
	memmove(&f->rhi[i + 1], &f->rhi[i], (size_t)(n - i) * sizeof f->rhi[0]);
	f->rlo[i] = lo;
	f->rhi[i] = hi;
	f->nranges = (uint8_t)(n + 1);
	return 0;
}

/* A write or truncate changes the bytes: reading them again is new data. */
static void ranges_reset(struct acc_file *f)
{
	f->nranges = 0;
}

static int push(uint32_t **list, uint32_t *n, uint32_t *cap, uint32_t id)
{
	if (*n == *cap) {
		uint32_t c = *cap ? *cap * 2 : 64;
		uint32_t *l = realloc(*list, c * sizeof *l);
		if (!l)
			return -1;
		*list = l;
		*cap = c;
	}
	(*list)[(*n)++] = id;
	return 0;
}

static void mhot_check(struct access *a, uint32_t id, struct acc_meta *m)
{
	if (!m->hot && (m->opens >= 10 || m->stats >= 100 || m->syncs) &&
	    push(&a->mhot, &a->nmhot, &a->mhotcap, id) == 0)
		m->hot = 1;
}

static unsigned size_bucket(uint64_t s)
{
	return s ? 64u - (unsigned)__builtin_clzll(s) : 0;	/* s < 2^k */
}

/* Keep size_hist in step with a file's size (first data: counted). */
static void size_update(struct access *a, struct acc_file *f, int first)
{
	uint64_t s = f->size > 0 ? (uint64_t)f->size : (f->bytes[0] > f->bytes[1] ? f->bytes[0] : f->bytes[1]);
	unsigned k = size_bucket(s);
	if (k > 63)
		k = 63;
	if (first) {
		a->size_hist[k]++;
	} else if (k != f->size_bucket) {
		a->size_hist[f->size_bucket]--;
		a->size_hist[k]++;
	}
	f->size_bucket = (uint8_t)k;
}

static void hot_check(struct access *a, uint32_t id, struct acc_file *f)
{
	if (f->hot || (f->data[0] + f->data[1] + f->seeks < 64 && f->bytes[0] < (4u << 20)))
		return;
	if (push(&a->hot, &a->nhot, &a->hotcap, id) == 0)
		f->hot = 1;
}

/* One read or write that moved len bytes from start s (known or not). */
static void data_access(struct access *a, struct acc_file *f, struct acc_desc *d,
			unsigned dir, int known, int64_t s, int64_t len, uint32_t dur)
{
	f->data[dir]++;
	f->bytes[dir] += (uint64_t)len;
	f->dur[dir] += dur;
	a->reg_bytes += (uint64_t)len;
	a->reg_dur += dur;
	if (len < ACC_SMALL_LOCAL) {
		f->small[dir]++;
		f->small_dur[dir] += dur;
	}
	if (len < ACC_SMALL_PFS)
		f->small_pfs[dir]++;
	if (dir == 1 && len < 128)
		f->tiny_w++;
	top_add(f->sizes[dir], len);
	if (f->last_dir >= 0 && (unsigned)f->last_dir != dir)
		f->switches++;
	f->last_dir = (int8_t)dir;
	if (!known)
		return;
	if (d && d->last_known[dir]) {
		int64_t last = d->last_end[dir];
		f->classified[dir]++;
		if (s == last)
			f->consec[dir]++;
		else if (s > last) {
			f->seq[dir]++;
			top_add(f->strides, s - last);
		} else
			f->rnd[dir]++;
	}
	if (d) {
		d->last_end[dir] = s + len;
		d->last_known[dir] = 1;
	}
	if (len >= ACC_ALIGN) {
		f->big[dir]++;
		if (s % ACC_ALIGN)
			f->misaligned[dir]++;
	}
	if (s + len > f->size)
		f->size = s + len;
	if (dir == 0) {
		int64_t held = ranges_add(f, s, s + len);
		f->reread_bytes += (uint64_t)held;
		f->read_distinct += (uint64_t)(len - held);
		if (f->wlo >= 0)
			f->raw_bytes += (uint64_t)overlap(s, s + len, f->wlo, f->whi);
	} else {
		if (f->nranges)
			ranges_reset(f);
		if (f->wlo < 0 || s < f->wlo)
			f->wlo = s;
		if (s + len > f->whi)
			f->whi = s + len;
	}
}

static int is_stat(enum sc_id sc)
{
	return sc == SC_stat || sc == SC_lstat || sc == SC_newfstatat || sc == SC_statx;
}

static int is_sync(enum sc_id sc)
{
	return sc == SC_fsync || sc == SC_fdatasync || sc == SC_sync_file_range;
}

void access_event(struct access *a, const struct io_event *ev)
{
	if (ev->cls == OPC_PROC) {
		if (ev->call == SC_FORK)
			proc_fork(a, ev->pid, (int32_t)ev->bytes);
		else if (ev->call == SC_execve)
			proc_exec(a, ev->pid);
		else if (ev->call == SC_EXIT)
			proc_exit(a, ev->pid);
		return;
	}
	if (ev->cls >= OPC_IO_COUNT || ev->count)
		return;	/* counters (the proc source) carry no positions */
	enum sc_id sc = ev->call;
	unsigned cls = ev->cls;
	const struct sc_info *si = &sc_table[sc < SC_COUNT ? sc : SC_NONE];

	if (cls == OPC_META) {
		a->meta_ops++;
		a->meta_dur += ev->dur_us;
		struct acc_meta *m = meta_get(a, ev->file);
		unsigned args = si->args;
		int lookup = args == SCA_PATH || args == SCA_DIRFD_PATH;
		if (lookup) {
			a->lookups++;
			if (ev->err == ENOENT || ev->err == ENOTDIR) {
				a->lookup_fails++;
				a->lookup_fail_dur += ev->dur_us;
				if (m)
					m->fails++;
			}
		}
		if (is_stat(sc)) {
			a->stats++;
			a->stat_dur += ev->dur_us;
			if (m && !ev->err) {
				m->stats++;
				mhot_check(a, ev->file, m);
			}
		}
		if (ev->err)
			return;
		if (is_sync(sc)) {
			a->syncs++;
			a->sync_dur += ev->dur_us;
			if (m) {
				m->syncs++;
				mhot_check(a, ev->file, m);
			}
		}
		if (si->flags & SCF_RETFD) {
			a->opens++;
			a->open_dur += ev->dur_us;
			if (m) {
				m->opens++;
				mhot_check(a, ev->file, m);
			}
			if (ev->flags & EVF_TRUNC && ev->file < a->cap && a->files[ev->file])
				ranges_reset(a->files[ev->file]);
			if (!(ev->flags & EVF_FD))
				return;
			struct acc_proc *p = proc_find(a, ev->pid, 1);
			struct acc_fd *s = fd_slot(p, ev->fd, 1);
			struct acc_desc *d = s ? desc_new(ev->file, 1) : NULL;
			if (!d) {
				a->untracked++;
				return;
			}
			d->append = (uint8_t)!!(ev->flags & EVF_APPEND);
			slot_set(s, d, !!(ev->flags & EVF_CLOEXEC));
			return;
		}
		if (!(ev->flags & EVF_FD))
			return;
		if (sc == SC_close) {
			struct acc_fd *s = fd_slot(proc_find(a, ev->pid, 0), ev->fd, 0);
			if (s)
				slot_set(s, NULL, 0);
			return;
		}
		if (sc == SC_lseek) {
			a->seeks++;
			a->seek_dur += ev->dur_us;
			struct acc_fd *s = fd_slot(proc_find(a, ev->pid, 1), ev->fd, 1);
			struct acc_file *f = m && is_regular(a, ev->file, m) ? file_get(a, ev->file) : NULL;
			if (s && !s->d)
				s->d = desc_new(ev->file, 0);
			if (f) {
				f->seeks++;
				hot_check(a, ev->file, f);
			}
			if (s && s->d && ev->flags & EVF_OFFSET) {
				if (f && s->d->pos_known && s->d->pos == ev->offset)
					f->seek_noop++;
				s->d->pos = ev->offset;
				s->d->pos_known = 1;
			}
			return;
		}
		if (sc == SC_ftruncate && ev->file < a->cap && a->files[ev->file])
			ranges_reset(a->files[ev->file]);
		return;
	}

	/* A read or a write. */
	a->data_ops++;
	a->data_dur += ev->dur_us;
	struct acc_desc *d = NULL;
	if (ev->flags & EVF_FD) {
		struct acc_fd *s = fd_slot(proc_find(a, ev->pid, 1), ev->fd, 1);
		if (s) {
			/* A descriptor we did not see opened, or one a dup we do
			 * not see replaced: a description of unknown position. */
			if (!s->d || (ev->file > INTERN_OTHER && s->d->file != ev->file))
				slot_set(s, desc_new(ev->file, 0), 0);
			d = s->d;
		} else {
			a->untracked++;
		}
	}
	uint32_t id = ev->file > INTERN_OTHER ? ev->file : d ? d->file : 0;
	struct acc_meta *m = meta_get(a, id);
	if (ev->err || !m || !is_regular(a, id, m))
		return;
	struct acc_file *f = file_get(a, id);
	if (!f) {
		a->untracked++;
		return;
	}
	unsigned dir = cls;
	int64_t len = ev->bytes > 0 ? ev->bytes : 0;
	int known = 0;
	int64_t s = 0;
	if (si->flags & SCF_BOTH) {
		/* sendfile/splice/copy_file_range: offsets are pointers strace
		 * may or may not show; the position is no longer known. */
		if (d)
			d->pos_known = 0;
	} else if (ev->flags & EVF_OFFSET) {
		known = 1;	/* pread/pwrite: the position stays */
		s = ev->offset;
	} else if (d && d->append && dir == 1) {
		/* O_APPEND: at the end of the file, wherever the position was:
		 * always consecutive. */
		known = 1;
		s = f->size;
		d->last_end[1] = s;
		d->last_known[1] = 1;
		d->pos_known = 0;
	} else if (d && d->pos_known) {
		known = 1;
		s = d->pos;
		d->pos += len;
	}
	if (dir == 0 && len == 0) {
		f->zero_reads++;
		if (known) {
			f->size = s;
			f->eof_seen = 1;
		}
		return;
	}
	if (len == 0)
		return;
	for (int i = 0; i < 3; i++) {
		if (f->pids[i] == ev->pid)
			break;
		if (!f->pids[i]) {
			f->pids[i] = ev->pid;
			break;
		}
	}
	int first = !(f->data[0] + f->data[1]);
	data_access(a, f, d, dir, known, s, len, ev->dur_us);
	size_update(a, f, first);
	hot_check(a, id, f);
}
