/* report.c - the summary table (for people) and the JSON (for scripts). */
#include <config.h>

#include "report.h"
#include "cost.h"
#include "bucket.h"
#include "findings.h"
#include "intern.h"
#include "json.h"
#include "model.h"
#include "origins.h"
#include "outpath.h"
#include "source.h"
#include "syscalls.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double per_s(uint64_t n, double secs)
{
	return secs > 0 ? (double)n / secs : 0;
}

static uint64_t left_ops(const struct left_out *lo)
{
	return lo->ops[0] + lo->ops[1] + lo->ops[2];
}

static const char *const kind_names[FDK_COUNT] = {"file", "pipe", "socket", "tty", "other"};

/* One line: what --kinds and --skip-threads kept out of the counts. */
static void report_left_out(FILE *f, const struct model *m)
{
	if (!m->kinds && !m->nskip_tids)
		return;
	fputs("  left out:", f);
	int shown = 0;
	for (int k = 0; k < FDK_COUNT; k++)
		if (m->kinds && !(m->kinds & (1u << k)))
			fprintf(f, "%s %s %llu", shown++ ? "," : "", kind_names[k],
				(unsigned long long)left_ops(&m->left_kind[k]));
	if (m->nskip_tids)
		fprintf(f, "%s other threads %llu", shown++ ? "," : "",
			(unsigned long long)left_ops(&m->left_threads));
	fputs(" calls\n", f);
}

static void json_left(FILE *f, const char *name, const struct left_out *lo)
{
	fprintf(f, "\"%s\": {\"read_ops\": %llu, \"write_ops\": %llu, \"meta_ops\": %llu, "
		"\"read_bytes\": %llu, \"write_bytes\": %llu}", name,
		(unsigned long long)lo->ops[0], (unsigned long long)lo->ops[1],
		(unsigned long long)lo->ops[2], (unsigned long long)lo->bytes[0],
		(unsigned long long)lo->bytes[1]);
}

/* "left_out": per kind --kinds leaves out, and "threads" for
 * --skip-threads; only when either is given. */
static void json_left_out(FILE *f, const struct model *m)
{
	if (!m->kinds && !m->nskip_tids)
		return;
	fputs(",\n  \"left_out\": {", f);
	int n = 0;
	for (int k = 0; k < FDK_COUNT; k++) {
		if (!m->kinds || (m->kinds & (1u << k)))
			continue;
		fputs(n++ ? ", " : "", f);
		json_left(f, kind_names[k], &m->left_kind[k]);
	}
	if (m->nskip_tids) {
		fputs(n++ ? ", \"thread_ids\": [" : "\"thread_ids\": [", f);
		for (int i = 0; i < m->nskip_tids; i++)
			fprintf(f, "%s%d", i ? ", " : "", m->skip_tids[i]);
		fputs("], ", f);
		json_left(f, "threads", &m->left_threads);
	}
	fputc('}', f);
}

/* The findings section: one block per finding, its id in brackets. */
static void report_findings(FILE *f, const struct model *m)
{
	const struct findings *fs = model_findings(m);
	if (!fs || !fs->n)
		return;
	fprintf(f, "  findings:\n");
	for (int i = 0; i < fs->n; i++)
		findings_print(f, m, &fs->list[i]);
}

/* "merged 4 recordings: 2 hosts, ranks 0-3, 4 finished" */
static void summary_sources(FILE *f, const struct origins *o)
{
	uint32_t n = origins_count(o), hosts = 0, fin = 0;
	long lo = -1, hi = -1;
	char seen[8][64];
	for (uint32_t i = 1; i <= n; i++) {
		struct origin g;
		if (origins_get(o, (uint16_t)i, &g) < 0)
			break;
		fin += g.state == ORIGIN_FINISHED;
		if (g.rank >= 0 && (lo < 0 || g.rank < lo))
			lo = g.rank;
		if (g.rank > hi)
			hi = g.rank;
		uint32_t h = 0;
		while (h < hosts && h < 8 && strcmp(seen[h], g.host) != 0)
			h++;
		if (h == hosts) {
			if (hosts < 8)
				snprintf(seen[hosts], sizeof seen[hosts], "%.63s", g.host);
			hosts++;
		}
	}
	if (hosts > 8)
		fprintf(f, "  merged %u recordings: more than 8 hosts", n);
	else
		fprintf(f, "  merged %u recording%s: %u host%s", n, n == 1 ? "" : "s", hosts,
			hosts == 1 ? "" : "s");
	if (lo >= 0)
		fprintf(f, lo == hi ? ", rank %ld" : ", ranks %ld-%ld", lo, hi);
	fprintf(f, ", %u finished\n", fin);
}

int report_unseen(const struct model *m, struct unseen *u)
{
	memset(u, 0, sizeof *u);
	if (!m->in)
		return 0;
	/* Its row is an FDK_OTHER name the preload source adds; the intern
	 * table cannot be searched from this thread (the sampler adds), but
	 * the names of the model's files can be read. */
	for (uint32_t id = 2; id < m->files_cap; id++) {
		const struct file_stats *fs = &m->files[id];
		if (!fs->seen || (!fs->ops[0] && !fs->ops[1]) || intern_kind(m->in, id) != FDK_OTHER)
			continue;
		size_t len;
		const char *name = intern_name(m->in, id, &len);
		if (len == sizeof REPORT_UNSEEN_FILE - 1 && memcmp(name, REPORT_UNSEEN_FILE, len) == 0) {
			for (int d = 0; d < 2; d++) {
				u->ops[d] = fs->ops[d];
				u->bytes[d] = fs->bytes[d];
			}
			return u->ops[0] || u->ops[1];
		}
	}
	return 0;
}

static int preload_run(const struct run_info *ri)
{
	return ri->check || (ri->backend && strcmp(ri->backend, "preload") == 0);
}

/* The run's length as the reports state it: < 0 when the log had no
 * timestamps (rates unknown, never "N IOPS in 0.000 s"); whole seconds,
 * rounded up, from `strace -t` stamps. */
static double run_secs(const struct run_info *ri)
{
	if (ri->clock == SRC_CLOCK_NONE)
		return -1;
	if (ri->clock == SRC_CLOCK_SECONDS)
		return ri->elapsed_s < 1 ? 1 : ceil(ri->elapsed_s - 1e-9);
	return ri->elapsed_s;
}

/* A rate column: "-" when the time is unknown. */
static void fmt_rate(char *buf, size_t len, double n, double secs)
{
	if (secs < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", per_s((uint64_t)n, secs));
}

static void fmt_throughput(char *buf, size_t len, uint64_t bytes, double secs)
{
	if (secs < 0) {
		snprintf(buf, len, "-");
		return;
	}
	char b[32];
	bucket_fmt_bytes(per_s(bytes, secs), b, sizeof b);
	snprintf(buf, len, "%s/s", b);
}

void report_summary(FILE *f, const struct model *m, const struct run_info *ri)
{
	const struct totals *T = &m->tot;
	double secs = run_secs(ri);
	char b1[32], b2[32], b3[32], r1[32], t1[40];
	fprintf(f, "\niopstop summary (%s)\n", ri->backend);
	if (secs < 0)
		fprintf(f, "  execution time   unknown (the log has no timestamps)\n");
	else if (ri->clock == SRC_CLOCK_SECONDS)
		fprintf(f, "  execution time   %.0f s (whole seconds: strace -t)\n", secs);
	else
		fprintf(f, "  execution time   %.3f s\n", secs);
	if (ri->origins && ri->origins->merged)
		summary_sources(f, ri->origins);
	fprintf(f, "  %-6s %12s %12s %10s %12s %9s %8s\n", "", "ops", "bytes", "IOPS",
		"throughput", "avg size", "errors");
	static const char *const names[] = {"read", "write"};
	for (int d = 0; d < 2; d++) {
		bucket_fmt_bytes((double)T->bytes[d], b1, sizeof b1);
		fmt_throughput(t1, sizeof t1, T->bytes[d], secs);
		fmt_rate(r1, sizeof r1, (double)T->ops[d], secs);
		bucket_fmt_bytes(T->ops[d] ? (double)T->bytes[d] / (double)T->ops[d] : 0,
				 b3, sizeof b3);
		fprintf(f, "  %-6s %12llu %12s %10s %12s %9s %8llu\n", names[d],
			(unsigned long long)T->ops[d], b1, r1, t1, b3,
			(unsigned long long)T->errors[d]);
	}
	uint64_t ops = T->ops[0] + T->ops[1], bytes = T->bytes[0] + T->bytes[1];
	bucket_fmt_bytes((double)bytes, b1, sizeof b1);
	fmt_throughput(t1, sizeof t1, bytes, secs);
	fmt_rate(r1, sizeof r1, (double)ops, secs);
	bucket_fmt_bytes(ops ? (double)bytes / (double)ops : 0, b3, sizeof b3);
	fprintf(f, "  %-6s %12llu %12s %10s %12s %9s %8llu\n", "total",
		(unsigned long long)ops, b1, r1, t1, b3,
		(unsigned long long)(T->errors[0] + T->errors[1]));
	fmt_rate(r1, sizeof r1, (double)T->ops[OPC_META], secs);
	fprintf(f, "  %-6s %12llu %12s %10s %12s %9s %8llu\n", "meta",
		(unsigned long long)T->ops[OPC_META], "", r1,
		"", "", (unsigned long long)T->errors[OPC_META]);
	/* The busiest metadata calls, in table order. */
	int shown = 0, col = 0;
	for (int id = 0; id < SC_COUNT; id++) {
		if (sc_table[id].cls != OPC_META || !T->by_call[id])
			continue;
		char item[64];
		int n = snprintf(item, sizeof item, "%s %llu", sc_table[id].name,
				 (unsigned long long)T->by_call[id]);
		if (!shown) {
			col = fprintf(f, "  meta calls: ");
		} else if (col + 2 + n > 78) {	/* wrap between entries */
			fputs(",\n             ", f);
			col = 13;
		} else {
			col += fprintf(f, ", ");
		}
		col += fprintf(f, "%s", item);
		shown++;
	}
	if (shown)
		fputc('\n', f);
	struct cost cst;
	char cl[128];
	cost_of_model(m, &cst);
	if (cost_line(&cst, ri->backend, cl, sizeof cl)[0])
		fprintf(f, "  %s\n    (%.0f traced calls/s, stopped ~%.1f s of the run; preload may miss\n"
			"    calls made inside libc, e.g. stdio's own, and static programs)\n",
			cl, cst.calls_s, cst.stopped_s);
	struct unseen un;
	if (preload_run(ri) && report_unseen(m, &un)) {
		bucket_fmt_bytes((double)(un.bytes[0] + un.bytes[1]), b1, sizeof b1);
		fprintf(f, "  unseen by preload: %llu reads, %llu writes (%s bytes) the kernel counted;\n"
			"    counted in the totals, without a file: try --backend=strace for a per-call account\n",
			(unsigned long long)un.ops[0], (unsigned long long)un.ops[1], b1);
	}
	if (T->disk_ops[0] || T->disk_ops[1] || T->disk_errors) {
		bucket_fmt_bytes((double)T->disk_bytes[0], b1, sizeof b1);
		bucket_fmt_bytes((double)T->disk_bytes[1], b2, sizeof b2);
		fprintf(f, "  disk I/O (storage level, not calls): read %llu ops %s, "
			"written %llu ops %s, errors %llu\n",
			(unsigned long long)T->disk_ops[0], b1, (unsigned long long)T->disk_ops[1],
			b2, (unsigned long long)T->disk_errors);
	}
	if (m->unparsed || m->unfinished)
		fprintf(f, "  unparsed lines: %llu   unfinished calls: %llu\n",
			(unsigned long long)m->unparsed, (unsigned long long)m->unfinished);
	report_left_out(f, m);
	if (ri->exit_status >= 0)
		fprintf(f, "  exit status: %d\n", ri->exit_status);
	if (ri->output)
		fprintf(f, "  command output: %s\n", ri->output);
	if (ri->storage_bytes) {
		bucket_fmt_bytes((double)ri->storage_bytes[0], b1, sizeof b1);
		bucket_fmt_bytes((double)ri->storage_bytes[1], b2, sizeof b2);
		fprintf(f, "  from /proc counters: sizes are per-interval averages "
			"(approximate)\n  reached storage: read %s, written %s\n", b1, b2);
		if (ri->no_perm)
			fprintf(f, "  no permission: %llu processes' counters unreadable, "
				"not counted\n", (unsigned long long)ri->no_perm);
	}
	if (ri->check && (ri->check->dropped || ri->check->lost))
		fprintf(f, "  event ring overflowed: %llu events dropped, %llu slots lost "
			"(not in the counts above)\n", (unsigned long long)ri->check->dropped,
			(unsigned long long)ri->check->lost);
	if (ri->check && ri->check->reaped)
		fprintf(f, "  kernel counted %llu reads, %llu writes (%llu, %llu by the loader "
			"and iopstop); preload saw %llu, %llu\n",
			(unsigned long long)ri->check->kernel_ops[0],
			(unsigned long long)ri->check->kernel_ops[1],
			(unsigned long long)ri->check->other_ops[0],
			(unsigned long long)ri->check->other_ops[1],
			(unsigned long long)ri->check->seen_ops[0],
			(unsigned long long)ri->check->seen_ops[1]);
	report_findings(f, m);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_dir(FILE *f, const char *name, uint64_t ops, uint64_t bytes,
		     uint64_t errors, double secs, int with_errors)
{
	fprintf(f, "\"%s\": {\"ops\": %llu, \"bytes\": %llu, ", name,
		(unsigned long long)ops, (unsigned long long)bytes);
	if (with_errors)
		fprintf(f, "\"errors\": %llu, ", (unsigned long long)errors);
	if (secs < 0) {
		fputs("\"iops\": null, \"bytes_per_s\": null}", f);
		return;
	}
	fputs("\"iops\": ", f);
	json_num(f, per_s(ops, secs));
	fputs(", \"bytes_per_s\": ", f);
	json_num(f, per_s(bytes, secs));
	fputc('}', f);
}

static const struct model *sort_model;

static uint64_t file_weight(uint32_t id)
{
	const struct file_stats *s = &sort_model->files[id];
	return s->bytes[0] + s->bytes[1] + s->ops[0] + s->ops[1] + s->ops[2];
}

static int by_file_weight(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t wx = file_weight(x), wy = file_weight(y);
	if (wx != wy)
		return wx < wy ? 1 : -1;
	return x < y ? -1 : x > y;
}

static uint64_t proc_weight(const struct proc_stats *p)
{
	return p->bytes[0] + p->bytes[1] + p->ops[0] + p->ops[1] + p->ops[2];
}

static int by_proc_weight(const void *a, const void *b)
{
	const struct proc_stats *x = &sort_model->procs[*(const uint32_t *)a];
	const struct proc_stats *y = &sort_model->procs[*(const uint32_t *)b];
	uint64_t wx = proc_weight(x), wy = proc_weight(y);
	if (wx != wy)
		return wx < wy ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void json_files(FILE *f, const struct model *m, long top)
{
	uint32_t n = 0;
	uint32_t *ids = malloc((m->files_cap ? m->files_cap : 1) * sizeof *ids);
	fputs("\"files\": [", f);
	if (!ids) {
		fputc(']', f);
		return;
	}
	for (uint32_t id = 1; id < m->files_cap; id++) {
		const struct file_stats *s = &m->files[id];
		if (s->seen && s->filtered != 2)
			ids[n++] = id;
	}
	sort_model = m;	/* qsort has no context argument in C99 */
	qsort(ids, n, sizeof *ids, by_file_weight);
	for (uint32_t i = 0; i < n && (top <= 0 || i < (uint32_t)top); i++) {
		const struct file_stats *s = &m->files[ids[i]];
		size_t len;
		const char *name = intern_name(m->in, ids[i], &len);
		static const char *const kinds[] = {"file", "pipe", "socket", "tty", "other"};
		unsigned k = intern_kind(m->in, ids[i]);
		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
		json_str(f, name, len);
		fprintf(f, ", \"kind\": \"%s\", \"read_ops\": %llu, \"write_ops\": %llu, "
			"\"read_bytes\": %llu, \"write_bytes\": %llu, \"meta_ops\": %llu, "
			"\"errors\": %llu, \"time_s\": ",
			kinds[k < FDK_COUNT ? k : FDK_OTHER],
			(unsigned long long)s->ops[0], (unsigned long long)s->ops[1],
			(unsigned long long)s->bytes[0], (unsigned long long)s->bytes[1],
			(unsigned long long)s->ops[2], (unsigned long long)s->errors);
		json_num(f, (double)s->dur_us / 1e6);
		if (s->shared)
			fputs(", \"shared\": true", f);
		fputc('}', f);
	}
	fputc(']', f);
	free(ids);
}

/* A process's host and rank: its recording's, or (live) this machine's. */
static void json_host_rank(FILE *f, const struct origins *o, uint16_t origin,
			   const struct outpath_env *here)
{
	struct origin g;
	const char *host = here ? here->host : "";
	long rank = here ? here->rank : -1;
	if (o && origins_get(o, origin, &g) == 0) {
		host = g.host;
		rank = g.rank;
	}
	fputs(", \"host\": ", f);
	if (*host)
		json_str(f, host, strlen(host));
	else
		fputs("null", f);
	if (rank >= 0)
		fprintf(f, ", \"rank\": %ld", rank);
	else
		fputs(", \"rank\": null", f);
}

/* Every recording a replay read: who wrote it, its time span on the
 * merged clock, how it ended. */
static void json_sources(FILE *f, const struct model *m, const struct origins *o)
{
	uint32_t n = origins_count(o);
	fputs(",\n  \"sources\": [", f);
	for (uint32_t i = 1; i <= n; i++) {
		struct origin g;
		if (origins_get(o, (uint16_t)i, &g) < 0)
			break;
		fputs(i > 1 ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
		json_str(f, g.path, strlen(g.path));
		fputs(", \"host\": ", f);
		if (g.host[0])
			json_str(f, g.host, strlen(g.host));
		else
			fputs("null", f);
		if (g.rank >= 0)
			fprintf(f, ", \"rank\": %ld", g.rank);
		else
			fputs(", \"rank\": null", f);
		fputs(", \"job\": ", f);
		if (g.job[0])
			json_str(f, g.job, strlen(g.job));
		else
			fputs("null", f);
		fprintf(f, ", \"form\": \"%s\", \"state\": \"%s\", \"events\": %llu, "
			"\"start_us\": %lld, \"t_first_s\": ", g.bins ? "bins" : "full",
			origins_state_name(g.state), (unsigned long long)g.events,
			(long long)g.start_us);
		json_num(f, g.first_us ? (double)(g.first_us - m->start_us) / 1e6 : 0);
		fputs(", \"t_last_s\": ", f);
		json_num(f, g.last_us ? (double)(g.last_us - m->start_us) / 1e6 : 0);
		if (g.exit_status >= 0)
			fprintf(f, ", \"exit_status\": %d", g.exit_status);
		/* The rank's own counts: its processes summed. */
		uint64_t ops[OPC_IO_COUNT] = {0}, bytes[2] = {0}, errors = 0, dur = 0;
		for (uint32_t k = 0; k < m->nprocs; k++) {
			const struct proc_stats *p = &m->procs[k];
			if (p->origin != i)
				continue;
			for (int c = 0; c < OPC_IO_COUNT; c++)
				ops[c] += p->ops[c];
			bytes[0] += p->bytes[0];
			bytes[1] += p->bytes[1];
			errors += p->errors;
			dur += p->dur_us;
		}
		fprintf(f, ", \"read_ops\": %llu, \"write_ops\": %llu, \"read_bytes\": %llu, "
			"\"write_bytes\": %llu, \"meta_ops\": %llu, \"errors\": %llu, \"time_s\": ",
			(unsigned long long)ops[0], (unsigned long long)ops[1],
			(unsigned long long)bytes[0], (unsigned long long)bytes[1],
			(unsigned long long)ops[2], (unsigned long long)errors);
		json_num(f, (double)dur / 1e6);
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_procs(FILE *f, const struct model *m, long top, const struct origins *o)
{
	struct outpath_env here;
	if (!o)
		outpath_env_get(&here);
	uint32_t *idx = malloc((m->nprocs ? m->nprocs : 1) * sizeof *idx);
	fputs("\"processes\": [", f);
	if (!idx) {
		fputc(']', f);
		return;
	}
	for (uint32_t i = 0; i < m->nprocs; i++)
		idx[i] = i;
	sort_model = m;
	qsort(idx, m->nprocs, sizeof *idx, by_proc_weight);
	for (uint32_t i = 0; i < m->nprocs && (top <= 0 || i < (uint32_t)top); i++) {
		const struct proc_stats *p = &m->procs[idx[i]];
		size_t len;
		const char *comm = intern_name(m->in, p->comm, &len);
		fprintf(f, "%s{\"pid\": %d, \"comm\": ", i ? ",\n    " : "\n    ", p->pid);
		json_str(f, comm, len);
		fprintf(f, ", \"read_ops\": %llu, \"write_ops\": %llu, \"read_bytes\": %llu, "
			"\"write_bytes\": %llu, \"meta_ops\": %llu, \"errors\": %llu",
			(unsigned long long)p->ops[0], (unsigned long long)p->ops[1],
			(unsigned long long)p->bytes[0], (unsigned long long)p->bytes[1],
			(unsigned long long)p->ops[2], (unsigned long long)p->errors);
		json_host_rank(f, o, p->origin, o ? NULL : &here);
		fputs(", \"time_s\": ", f);
		json_num(f, (double)p->dur_us / 1e6);
		if (p->exit_status >= 0)
			fprintf(f, ", \"exit_status\": %d", p->exit_status);
		fputc('}', f);
	}
	fputc(']', f);
	free(idx);
}

static void json_histogram(FILE *f, const struct totals *T)
{
	fputs("\"histogram\": [", f);
	int first = 1;
	for (unsigned k = 0; k < NBUCKETS; k++) {
		if (!T->hist_ops[0][k] && !T->hist_ops[1][k])
			continue;
		fprintf(f, "%s{\"lo\": %llu, \"hi\": %llu, \"read_ops\": %llu, \"write_ops\": %llu, "
			"\"read_bytes\": %llu, \"write_bytes\": %llu}",
			first ? "\n    " : ",\n    ",
			(unsigned long long)bucket_lo(k), (unsigned long long)bucket_hi(k),
			(unsigned long long)T->hist_ops[0][k], (unsigned long long)T->hist_ops[1][k],
			(unsigned long long)T->hist_bytes[0][k], (unsigned long long)T->hist_bytes[1][k]);
		first = 0;
	}
	fputc(']', f);
}

static void json_heatmap(FILE *f, const struct model *m)
{
	fputs("\"heatmap\": {\"bin_s\": ", f);
	json_num(f, (double)m->wr_width_us / 1e6);
	fputs(", \"cells\": [", f);
	int first = 1;
	for (int c = 0; c < WR_COLS; c++) {
		const struct bin *b = &m->wr[c];
		for (unsigned k = 0; k < NBUCKETS; k++) {
			if (!b->ops[0][k] && !b->ops[1][k])
				continue;
			fputs(first ? "\n    {\"t\": " : ",\n    {\"t\": ", f);
			json_num(f, (double)c * (double)m->wr_width_us / 1e6);
			fprintf(f, ", \"lo\": %llu, \"read_ops\": %u, \"write_ops\": %u, "
				"\"read_bytes\": %llu, \"write_bytes\": %llu}",
				(unsigned long long)bucket_lo(k), b->ops[0][k], b->ops[1][k],
				(unsigned long long)b->bytes[0][k], (unsigned long long)b->bytes[1][k]);
			first = 0;
		}
	}
	fputs("]}", f);
}

void report_json(FILE *f, const struct model *m, const struct run_info *ri)
{
	const struct totals *T = &m->tot;
	double secs = run_secs(ri);
	fprintf(f, "{\"version\": 1, \"backend\": ");
	json_str(f, ri->backend, strlen(ri->backend));
	fputs(", \"command\": ", f);
	if (ri->command) {
		fputc('[', f);
		for (int i = 0; ri->command[i]; i++) {
			if (i)
				fputs(", ", f);
			json_str(f, ri->command[i], strlen(ri->command[i]));
		}
		fputc(']', f);
	} else {
		fputs("null", f);
	}
	fputs(", \"pids\": [", f);
	if (ri->npids)
		for (int i = 0; i < ri->npids; i++)
			fprintf(f, "%s%d", i ? ", " : "", ri->pids[i]);
	else if (m->root_pid)
		fprintf(f, "%d", m->root_pid);
	fputs("], \"exit_status\": ", f);
	if (ri->exit_status >= 0)
		fprintf(f, "%d", ri->exit_status);
	else
		fputs("null", f);
	fputs(", \"elapsed_s\": ", f);
	if (secs < 0)
		fputs("null", f);
	else
		json_num(f, secs);
	fputs(", \"interval_s\": ", f);
	json_num(f, (double)m->interval_us / 1e6);
	fputs(",\n  ", f);
	json_dir(f, "read", T->ops[0], T->bytes[0], T->errors[0], secs, 1);
	fputs(",\n  ", f);
	json_dir(f, "write", T->ops[1], T->bytes[1], T->errors[1], secs, 1);
	fputs(",\n  ", f);
	json_dir(f, "total", T->ops[0] + T->ops[1], T->bytes[0] + T->bytes[1],
		 T->errors[0] + T->errors[1], secs, 1);
	fprintf(f, ",\n  \"meta\": {\"ops\": %llu, \"errors\": %llu, \"by_call\": {",
		(unsigned long long)T->ops[OPC_META], (unsigned long long)T->errors[OPC_META]);
	int first = 1;
	for (int id = 0; id < SC_COUNT; id++) {
		if (sc_table[id].cls != OPC_META || !T->by_call[id])
			continue;
		fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", sc_table[id].name,
			(unsigned long long)T->by_call[id]);
		first = 0;
	}
	fputs("}},\n  \"latency_us\": {", f);
	static const char *const cls[] = {"read", "write", "meta"};
	for (int c = 0; c < OPC_IO_COUNT; c++) {
		fprintf(f, "%s\"%s\": {\"p50\": ", c ? ", " : "", cls[c]);
		double q = bucket_lat_quantile(T->lat[c], 0.5);
		json_num(f, q < 0 ? 0 : q);
		fputs(", \"p99\": ", f);
		q = bucket_lat_quantile(T->lat[c], 0.99);
		json_num(f, q < 0 ? 0 : q);
		fputs(", \"total_s\": ", f);
		json_num(f, (double)T->dur_us[c] / 1e6);
		fputc('}', f);
	}
	static const char *const kinds[] = {"file", "pipe", "socket", "tty", "other"};
	fputs("},\n  \"ops_by_kind\": {", f);
	for (int k = 0; k < FDK_COUNT; k++)
		fprintf(f, "%s\"%s\": %llu", k ? ", " : "", kinds[k],
			(unsigned long long)T->kind_ops[k]);
	fprintf(f, "},\n  \"lines\": %llu, \"unparsed\": %llu, \"unfinished\": %llu,\n  ",
		(unsigned long long)m->lines, (unsigned long long)m->unparsed,
		(unsigned long long)m->unfinished);
	json_histogram(f, T);
	fputs(",\n  ", f);
	json_heatmap(f, m);
	fputs(",\n  ", f);
	json_files(f, m, ri->top);
	fputs(",\n  ", f);
	json_procs(f, m, ri->top, ri->origins);
	if (ri->origins && ri->origins->merged)
		json_sources(f, m, ri->origins);
	if (T->disk_ops[0] || T->disk_ops[1] || T->disk_errors)
		fprintf(f, ",\n  \"disk\": {\"read_ops\": %llu, \"read_bytes\": %llu, "
			"\"write_ops\": %llu, \"write_bytes\": %llu, \"errors\": %llu}",
			(unsigned long long)T->disk_ops[0], (unsigned long long)T->disk_bytes[0],
			(unsigned long long)T->disk_ops[1], (unsigned long long)T->disk_bytes[1],
			(unsigned long long)T->disk_errors);
	json_left_out(f, m);
	if (ri->storage_bytes)
		fprintf(f, ",\n  \"approximate_sizes\": true, \"storage\": {\"read_bytes\": %llu, "
			"\"write_bytes\": %llu}, \"no_permission\": %llu",
			(unsigned long long)ri->storage_bytes[0],
			(unsigned long long)ri->storage_bytes[1], (unsigned long long)ri->no_perm);
	if (ri->check) {
		const struct capture_check *c = ri->check;
		fprintf(f, ",\n  \"dropped_events\": %llu, \"lost_slots\": %llu,\n  "
			"\"kernel_check\": {\"processes\": %u, \"images\": %u, "
			"\"kernel_syscr\": %llu, \"kernel_syscw\": %llu, \"other_reads\": %llu, "
			"\"other_writes\": %llu, \"seen_reads\": %llu, \"seen_writes\": %llu}",
			(unsigned long long)c->dropped, (unsigned long long)c->lost, c->reaped,
			c->images, (unsigned long long)c->kernel_ops[0],
			(unsigned long long)c->kernel_ops[1], (unsigned long long)c->other_ops[0],
			(unsigned long long)c->other_ops[1], (unsigned long long)c->seen_ops[0],
			(unsigned long long)c->seen_ops[1]);
	}
	if (preload_run(ri)) {
		struct unseen un;
		report_unseen(m, &un);
		fprintf(f, ",\n  \"unseen\": {\"read_ops\": %llu, \"write_ops\": %llu, "
			"\"read_bytes\": %llu, \"write_bytes\": %llu}",
			(unsigned long long)un.ops[0], (unsigned long long)un.ops[1],
			(unsigned long long)un.bytes[0], (unsigned long long)un.bytes[1]);
	}
	fputs(",\n  ", f);
	findings_json(f, m, model_findings(m));	/* always there, [] when none */
	fputs("}\n", f);
}
