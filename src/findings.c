/* findings.c - the rule table, the engine that runs it, and how a finding
 * is printed (summary block, JSON). */
#include <config.h>

#include "findings.h"
#include "finding_rule.h"
#include "intern.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

/* Specific rules first: each names the general rule it explains, which
 * is then not shown (a reader needs the cause, not its symptom twice). */
const struct finding_rule findings_rules[] = {
	{"piecemeal-read", "a small file read in many small pieces",
	 "Read the whole file in one call: in Python f.read() (or "
	 "pathlib.Path.read_bytes()), in C one read() of st_size bytes or mmap.",
	 finding_piecemeal_read, NULL},
	{"small-reads", "many small reads",
	 "Read in larger pieces, 1 MiB or more per call: in Python open(path, 'rb', "
	 "buffering=1 << 20) or f.read() whole; in C a larger buffer (setvbuf) or one "
	 "pread of the whole range; on Lustre/GPFS a multiple of the stripe size.",
	 finding_small_reads, NULL},
	{"small-writes", "many small writes",
	 "Buffer the output and write large blocks: in Python keep the default "
	 "buffering (no buffering=0, no flush() per line) or join lines and write once; "
	 "in C use stdio with setvbuf(f, NULL, _IOFBF, 1 << 20) instead of write() per record.",
	 finding_small_writes, NULL},
	{"random-access", "random access",
	 "Access the file in order: sort the requests by offset, or read the needed "
	 "region in one large call and index it in memory; for scattered small records "
	 "posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) stops useless read-ahead.",
	 finding_random_access, NULL},
	{"strided-access", "strided access",
	 "Read the whole span in one call and pick the records in memory, or change the "
	 "layout so each reader gets contiguous records (HDF5 chunking, MPI-IO collective reads).",
	 finding_strided_access, NULL},
	{"reread", "the same bytes read again",
	 "Read the data once and keep it in memory (or mmap the file); a file larger "
	 "than memory can often be processed in one pass.",
	 finding_reread, NULL},
	{"read-after-write", "data written, then read back",
	 "Keep the intermediate data in memory or pipe it to the next step; if it must "
	 "go through a file, put it on local disk or tmpfs (/dev/shm).",
	 finding_read_after_write, NULL},
	{"rw-pingpong", "reads and writes alternate",
	 "Separate the phases: read what you need, then write (or write to another "
	 "file); each switch defeats read-ahead and write-behind.",
	 finding_rw_pingpong, NULL},
	{"misaligned", "requests off the file-system block",
	 "Align requests to the block: pad the header to the stripe size (Lustre, GPFS) "
	 "or read the header apart from the data.",
	 finding_misaligned, NULL},
	{"seek-storm", "a seek per access",
	 "Drop the seeks: pread/pwrite take the offset, and the position can be kept "
	 "by the program instead of asked for (in Python, no f.tell() after each read).",
	 finding_seek_storm, NULL},
	{"sync-storm", "fsync after (almost) every write",
	 "Sync once per batch, not per write: group rows into one transaction, call "
	 "os.fsync only at checkpoints; every sync waits for the storage.",
	 finding_sync_storm, "metadata-heavy"},
	{"failed-lookups", "many lookups of missing files",
	 "Something searches for files that do not exist: shorten the search path "
	 "(PYTHONPATH, sys.path, LD_LIBRARY_PATH), or check once and remember the answer.",
	 finding_failed_lookups, "metadata-heavy"},
	{"repeated-stat", "the same path stat'ed over and over",
	 "Stat each path once and keep the result: in Python os.scandir() entries carry "
	 "the type and fewer os.stat calls are needed; in C keep the struct stat.",
	 finding_repeated_stat, "metadata-heavy"},
	{"open-close-churn", "a file reopened for every access",
	 "Open the file once and keep it open for the whole run (in Python, open "
	 "outside the loop); each open is a path lookup, and a server round trip on "
	 "network file systems.",
	 finding_open_close_churn, "metadata-heavy"},
	{"many-small-files", "many small files",
	 "Pack the small files into one container (tar, zip, HDF5, a SQLite database) "
	 "and read it with few large calls; on parallel file systems every file costs "
	 "a metadata server round trip.",
	 finding_many_small_files, "metadata-heavy"},
	{"rank-imbalance", "one rank does far more I/O than another",
	 "Balance the decomposition so each rank reads and writes a like share, or "
	 "aggregate the I/O through fewer ranks or MPI-IO collective calls "
	 "(MPI_File_write_at_all) so the job does not wait for its slowest rank.",
	 finding_rank_imbalance, NULL},
	{"metadata-heavy", "metadata calls dominate",
	 "Do fewer file-system calls per byte: list a directory once (os.scandir), "
	 "keep files open, and cache what stat says.",
	 finding_metadata_heavy, NULL},
};
const int findings_nrules = (int)(sizeof findings_rules / sizeof findings_rules[0]);
_Static_assert(sizeof findings_rules / sizeof findings_rules[0] <= FINDINGS_MAX,
	       "every rule fits in the fired list");
_Static_assert(sizeof findings_rules / sizeof findings_rules[0] <= 32,
	       "announced is a 32-bit mask");

struct findings *findings_new(void)
{
	struct findings *f = calloc(1, sizeof *f);
	if (f)
		f->use_statfs = 1;
	return f;
}

void findings_free(struct findings *f)
{
	if (!f)
		return;
	free(f->fskind);
	free(f);
}

const char *findings_sev_name(int sev)
{
	static const char *const n[] = {"info", "warn", "high"};
	return sev >= 0 && sev <= FSEV_HIGH ? n[sev] : "info";
}

/* ---- helpers for the rules ------------------------------------------------ */

const char *finding_count(char *buf, size_t len, uint64_t n)
{
	char tmp[32];
	int k = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < k && o + 2 < len; i++) {
		if (i && (k - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *finding_bytes(char *buf, size_t len, double n)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	while (n >= 1024 && u < 4) {
		n /= 1024;
		u++;
	}
	if (u == 0 || n >= 100 || n == (double)(int64_t)n)
		snprintf(buf, len, "%.0f %s", n, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", n, unit[u]);
	return buf;
}

const char *finding_name(const struct finding_ctx *c, uint32_t id)
{
	size_t len;
	const char *s = c->m->in ? intern_name(c->m->in, id, &len) : NULL;
	return s && *s ? s : "?";
}

#define FS_LUSTRE 0x0BD00BD0
#define FS_GPFS 0x47504653
#define FS_NFS 0x6969
#define FS_BEEGFS 0x19830326
#define FS_CEPH 0x00C36400
#define FS_SMB2 0xFE534D42
#define FS_CIFS 0xFF534D42

/* statfs of the file (or its directory, for a file since removed). */
static int fs_remote(struct findings *fs, const struct model *m, uint32_t id)
{
#ifdef __linux__
	if (!fs->use_statfs || !m->in || id >= INTERN_MAX)
		return 0;
	if (id >= fs->fscap) {
		uint32_t cap = fs->fscap ? fs->fscap : 1024;
		while (cap <= id)
			cap *= 2;
		uint8_t *k = realloc(fs->fskind, cap);
		if (!k)
			return 0;
		memset(k + fs->fscap, 0, cap - fs->fscap);
		fs->fskind = k;
		fs->fscap = cap;
	}
	if (!fs->fskind[id]) {
		size_t len;
		const char *name = intern_name(m->in, id, &len);
		struct statfs sf;
		int r = statfs(name, &sf);
		if (r < 0) {
			char *dir = strndup(name, len);
			char *slash = dir ? strrchr(dir, '/') : NULL;
			if (slash && slash > dir) {
				*slash = '\0';
				r = statfs(dir, &sf);
			}
			free(dir);
		}
		unsigned long t = r == 0 ? (unsigned long)sf.f_type : 0;
		fs->fskind[id] = t == FS_LUSTRE || t == FS_GPFS || t == FS_NFS || t == FS_BEEGFS ||
				 t == FS_CEPH || t == FS_SMB2 || t == FS_CIFS ? 2 : 1;
	}
	return fs->fskind[id] == 2;
#else
	(void)fs;
	(void)m;
	(void)id;
	return 0;
#endif
}

int finding_remote(const struct finding_ctx *c, uint32_t id)
{
	if (c->fs->remote)
		return c->fs->remote(c->fs->remote_arg, id);
	return fs_remote(c->fs, c->m, id);
}

int finding_small(const struct finding_ctx *c, uint32_t id, const struct acc_file *f, int d,
		  uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	if (f->small_pfs[d] < 1000)
		return 0;
	uint64_t n = finding_remote(c, id) ? f->small_pfs[d] : f->small[d];
	if (n < 1000 || n * 2 < f->data[d])
		return 0;
	*hit = n;
	*of = f->data[d];
	*dur = n == f->small[d] ? f->small_dur[d] : f->dur[d];
	return 1;
}

void finding_files(const struct finding_ctx *c, finding_pick pick, struct finding_agg *ag)
{
	memset(ag, 0, sizeof *ag);
	const struct access *a = c->m->acc;
	if (!a)
		return;
	/* Every per-file rule needs 64 calls or 4 MiB read: only the hot
	 * files have them. */
	for (uint32_t i = 0; i < a->nhot; i++) {
		uint32_t id = a->hot[i];
		const struct acc_file *f = a->files[id];
		uint64_t hit = 0, of = 0, dur = 0;
		if (!pick(c, id, f, &hit, &of, &dur))
			continue;
		ag->hit += hit;
		ag->of += of;
		ag->dur += dur;
		ag->nfiles++;
		int k = ag->ntop < FIND_FILES ? ag->ntop++ : FIND_FILES;
		while (k > 0 && ag->tophit[k - 1] < hit) {
			if (k < FIND_FILES) {
				ag->top[k] = ag->top[k - 1];
				ag->tophit[k] = ag->tophit[k - 1];
			}
			k--;
		}
		if (k < FIND_FILES) {
			ag->top[k] = id;
			ag->tophit[k] = hit;
		}
	}
}

void finding_take_files(const struct finding_ctx *c, const struct finding_agg *ag,
			struct finding *out)
{
	out->nfiles = 0;
	out->npids = 0;
	for (int i = 0; i < ag->ntop; i++) {
		out->files[out->nfiles++] = ag->top[i];
		const struct acc_file *f = access_file(c->m->acc, ag->top[i]);
		for (int j = 0; f && j < 3 && f->pids[j]; j++) {
			int dup = 0;
			for (int k = 0; k < out->npids; k++)
				dup |= out->pids[k] == f->pids[j];
			if (!dup && out->npids < FIND_FILES)
				out->pids[out->npids++] = f->pids[j];
		}
	}
}

void finding_severity(const struct finding_ctx *c, struct finding *out, uint64_t dur)
{
	const struct access *a = c->m->acc;
	uint64_t all = a ? a->meta_dur + a->data_dur : 0;
	out->share = all ? (double)dur / (double)all : 0;
	if (out->share > 1)
		out->share = 1;
	out->severity = out->share >= 0.5 ? FSEV_HIGH : out->share >= 0.2 ? FSEV_WARN : FSEV_INFO;
}

void finding_num(struct finding *out, const char *key, double v)
{
	if (out->nnum < FIND_NUMS) {
		out->num_key[out->nnum] = key;
		out->num[out->nnum++] = v;
	}
}

/* ---- the engine ------------------------------------------------------------ */

static int rule_index(const char *id)
{
	for (int i = 0; i < findings_nrules; i++)
		if (strcmp(findings_rules[i].id, id) == 0)
			return i;
	return -1;
}

void findings_eval(struct findings *fs, const struct model *m, int64_t now_us)
{
	struct finding_ctx c = {.m = m, .now_us = now_us, .fs = fs};
	struct finding prev[FINDINGS_MAX];
	int nprev = fs->n;
	memcpy(prev, fs->list, sizeof prev);
	uint32_t fired = 0;
	struct finding got[FINDINGS_MAX];
	for (int r = 0; r < findings_nrules; r++) {
		struct finding *out = &got[r];
		memset(out, 0, sizeof *out);
		out->rule = r;
		int old = -1;
		for (int i = 0; i < nprev; i++)
			if (prev[i].rule == r)
				old = i;
		/* Counts decide whether a pattern is there; a finding whose
		 * calls take under FINDINGS_MIN_SHARE of the I/O time is not
		 * worth a reader's attention (sqlite's 16-byte header reads
		 * beside its fsyncs). */
		if (m->acc && findings_rules[r].eval(&c, out) && out->share >= FINDINGS_MIN_SHARE) {
			out->first_us = old >= 0 ? prev[old].first_us : now_us;
			fired |= 1u << r;
		} else if (old >= 0) {
			*out = prev[old];	/* once fired, it stays */
			fired |= 1u << r;
		}
	}
	for (int r = 0; r < findings_nrules; r++) {
		const char *s = findings_rules[r].suppresses;
		int g = s && fired & (1u << r) ? rule_index(s) : -1;
		if (g >= 0)
			fired &= ~(1u << g);
	}
	fs->n = 0;
	for (int r = 0; r < findings_nrules; r++)
		if (fired & (1u << r))
			fs->list[fs->n++] = got[r];
	fs->next_eval_us = (now_us / m->interval_us + 1) * m->interval_us;
}

const struct finding *findings_worst(const struct findings *fs)
{
	const struct finding *w = NULL;
	for (int i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->list[i];
		if (!w || f->severity > w->severity ||
		    (f->severity == w->severity && f->share > w->share))
			w = f;
	}
	return w;
}

/* ---- output ------------------------------------------------------------------ */

void findings_print(FILE *out, const struct model *m, const struct finding *fi)
{
	const struct finding_rule *r = &findings_rules[fi->rule];
	fprintf(out, "  [%s] %s (%s, %.0f%% of I/O time)\n", r->id, fi->evidence,
		findings_sev_name(fi->severity), fi->share * 100);
	for (int i = 0; i < fi->nfiles; i++) {
		size_t len;
		const char *name = m->in ? intern_name(m->in, fi->files[i], &len) : "?";
		fprintf(out, "      file: %s\n", name);
	}
	if (fi->npids) {
		fputs("      processes:", out);
		for (int i = 0; i < fi->npids; i++)
			fprintf(out, " %d", fi->pids[i]);
		fputc('\n', out);
	}
	fprintf(out, "      advice: %s\n", r->advice);
}

void findings_json(FILE *out, const struct model *m, const struct findings *fs)
{
	fputs("\"findings\": [", out);
	for (int i = 0; fs && i < fs->n; i++) {
		const struct finding *fi = &fs->list[i];
		const struct finding_rule *r = &findings_rules[fi->rule];
		fprintf(out, "%s{\"id\": \"%s\", \"severity\": \"%s\", \"title\": ",
			i ? ",\n    " : "\n    ", r->id, findings_sev_name(fi->severity));
		json_str(out, r->title, strlen(r->title));
		fputs(", \"summary\": ", out);
		json_str(out, fi->evidence, strlen(fi->evidence));
		fputs(", \"share_of_io_time\": ", out);
		json_num(out, fi->share);
		fputs(", \"first_s\": ", out);
		json_num(out, (double)fi->first_us / 1e6);
		fputs(", \"evidence\": {", out);
		for (int k = 0; k < fi->nnum; k++) {
			fprintf(out, "%s\"%s\": ", k ? ", " : "", fi->num_key[k]);
			json_num(out, fi->num[k]);
		}
		fputs("}, \"files\": [", out);
		for (int k = 0; k < fi->nfiles; k++) {
			size_t len = 1;
			const char *name = m->in ? intern_name(m->in, fi->files[k], &len) : "?";
			if (k)
				fputs(", ", out);
			json_str(out, name, len);
		}
		fputs("], \"pids\": [", out);
		for (int k = 0; k < fi->npids; k++)
			fprintf(out, "%s%d", k ? ", " : "", fi->pids[k]);
		fputs("], \"advice\": ", out);
		json_str(out, r->advice, strlen(r->advice));
		fputc('}', out);
	}
	fputs(fs && fs->n ? "\n  ]" : "]", out);
}
