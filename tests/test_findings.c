/* test_findings.c - each rule on a synthetic model: it fires on its
 * pattern, not below its minimum, not on healthy I/O; the specific rule
 * replaces the general one; severity follows the share of time; the file
 * system decides what "small" means. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "intern.h"
#include "model.h"
#include "origins.h"
#include "syscalls.h"

struct run {
	struct intern *in;
	struct model *m;
	int64_t t;
};

static void run_init(struct run *r)
{
	r->in = intern_new();
	r->m = model_new(r->in, 1000000);
	model_set_start(r->m, 0);
	r->t = 0;
}

static void run_free(struct run *r)
{
	model_destroy(r->m);
	free(r->m);
	intern_free(r->in);
}

static uint32_t file(struct run *r, const char *path)
{
	return intern_get(r->in, path, strlen(path), FDK_FILE);
}

/* One call: t advances by the duration, so time passes as calls do. */
static void call(struct run *r, int cls, enum sc_id sc, uint32_t f, int32_t fd, int64_t bytes,
		 int64_t off, uint16_t flags, uint16_t err, uint32_t dur)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.t_us = r->t;
	e.pid = e.tid = 100;
	e.cls = (uint8_t)cls;
	e.call = (uint16_t)sc;
	e.file = f;
	e.fdkind = FDK_FILE;
	e.fd = fd;
	e.flags = flags;
	if (fd >= 0)
		e.flags |= EVF_FD;
	if (off >= 0) {
		e.offset = off;
		e.flags |= EVF_OFFSET;
	}
	e.bytes = bytes;
	e.err = err;
	e.dur_us = dur;
	r->t += dur + 1;
	model_add(r->m, &e, 1);
}

static void op_open(struct run *r, uint32_t f, int32_t fd)
{
	call(r, OPC_META, SC_openat, f, fd, 0, -1, 0, 0, 5);
}

static void op_close(struct run *r, uint32_t f, int32_t fd)
{
	call(r, OPC_META, SC_close, f, fd, 0, -1, 0, 0, 2);
}

static void op_read(struct run *r, uint32_t f, int32_t fd, int64_t n)
{
	call(r, OPC_READ, SC_read, f, fd, n, -1, 0, 0, 10);
}

static void op_write(struct run *r, uint32_t f, int32_t fd, int64_t n)
{
	call(r, OPC_WRITE, SC_write, f, fd, n, -1, 0, 0, 10);
}

static void op_pread(struct run *r, uint32_t f, int32_t fd, int64_t n, int64_t off)
{
	call(r, OPC_READ, SC_pread64, f, fd, n, off, 0, 0, 10);
}

/* The fired ids, space-separated, in table order. */
static const char *fired(struct run *r)
{
	static char buf[512];
	const struct findings *fs = model_findings(r->m);
	buf[0] = '\0';
	for (int i = 0; fs && i < fs->n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, findings_rules[fs->list[i].rule].id);
	}
	return buf;
}

static void test_small_reads(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/data/x.dat");
	op_open(&r, f, 3);
	for (int i = 0; i < 999; i++)
		op_read(&r, f, 3, 512);
	op_pread(&r, f, 3, 0, 1LL << 34);	/* an EOF probe is not a small read */
	assert_string_equal(fired(&r), "");
	op_read(&r, f, 3, 512);
	assert_string_equal(fired(&r), "small-reads");
	const struct finding *w = findings_worst(r.m->fnd);
	assert_non_null(w);
	assert_int_equal(w->nfiles, 1);
	assert_int_equal(w->files[0], f);
	assert_int_equal(w->severity, FSEV_HIGH);	/* nearly all the time */
	assert_non_null(strstr(w->evidence, "1,000 reads on /data/x.dat"));
	run_free(&r);
}

/* 64 KiB reads are small on Lustre (1 MiB), not on a local disk. */
static int all_remote(void *arg, uint32_t id)
{
	(void)arg;
	(void)id;
	return 1;
}

static void test_small_depends_on_fs(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/lustre/x.dat");
	op_open(&r, f, 3);
	for (int i = 0; i < 2000; i++)
		op_read(&r, f, 3, 65536);
	assert_string_equal(fired(&r), "");
	r.m->fnd->remote = all_remote;
	assert_string_equal(fired(&r), "small-reads");
	run_free(&r);
}

static void test_small_writes_and_severity(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/out/log.txt"), g = file(&r, "/out/big.dat");
	op_open(&r, f, 3);
	op_open(&r, g, 4);
	for (int i = 0; i < 1000; i++)
		op_write(&r, f, 3, 6);
	/* The rest of the time goes to large writes: 1000 x 10 us of 11000. */
	call(&r, OPC_WRITE, SC_write, g, 4, 1 << 20, -1, 0, 0, 90000);
	assert_string_equal(fired(&r), "small-writes");
	const struct finding *w = findings_worst(r.m->fnd);
	assert_int_equal(w->severity, FSEV_INFO);
	assert_non_null(strstr(w->evidence, "unbuffered"));
	run_free(&r);
}

static void test_random_and_strided(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/d/rand"), g = file(&r, "/d/stride");
	op_open(&r, f, 3);
	op_open(&r, g, 4);
	for (int i = 0; i < 2000; i++) {
		op_pread(&r, f, 3, 65536, (int64_t)((i * 7919) % 2000) * 65536);
		op_pread(&r, g, 4, 4096, (int64_t)i * 16384);
	}
	assert_string_equal(fired(&r), "random-access strided-access");
	run_free(&r);
}

/* Many files each read once, in order: not random (Drishti's pitfall). */
static void test_many_files_once_not_random(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	char name[32];
	for (int i = 0; i < 1500; i++) {
		snprintf(name, sizeof name, "/d/f%d", i);
		uint32_t f = file(&r, name);
		op_open(&r, f, 3);
		op_read(&r, f, 3, 1 << 20);
		op_read(&r, f, 3, 0);
		op_close(&r, f, 3);
	}
	/* 1500 files of 1 MiB: not small, not random, nothing. */
	assert_string_equal(fired(&r), "");
	run_free(&r);
}

static void test_many_small_files_suppresses_meta(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	char name[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "/d/f%d", i);
		uint32_t f = file(&r, name);
		call(&r, OPC_META, SC_newfstatat, f, -1, 0, -1, 0, 0, 5);
		op_open(&r, f, 3);
		op_read(&r, f, 3, 1024);
		op_read(&r, f, 3, 0);
		op_close(&r, f, 3);
	}
	assert_string_equal(fired(&r), "many-small-files");
	run_free(&r);
}

static void test_metadata_rules(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t s = file(&r, "/etc/flag");
	for (int i = 0; i < 5000; i++)
		call(&r, OPC_META, SC_newfstatat, s, -1, 0, -1, 0, 0, 5);
	/* repeated-stat explains metadata-heavy, which is not shown. */
	assert_string_equal(fired(&r), "repeated-stat");
	run_free(&r);

	run_init(&r);
	char name[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof name, "/usr/lib/py/m%d.so", i);
		call(&r, OPC_META, SC_openat, file(&r, name), -1, 0, -1, 0, ENOENT, 5);
	}
	assert_string_equal(fired(&r), "failed-lookups");
	run_free(&r);

	run_init(&r);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof name, "/tmp/t%d", i);
		uint32_t f = file(&r, name);
		op_open(&r, f, 3);
		op_close(&r, f, 3);
		call(&r, OPC_META, SC_unlink, f, -1, 0, -1, 0, 0, 5);
	}
	assert_string_equal(fired(&r), "metadata-heavy");
	run_free(&r);

	run_init(&r);
	uint32_t l = file(&r, "/var/log/app.log");
	for (int i = 0; i < 1000; i++) {
		call(&r, OPC_META, SC_openat, l, 3, 0, -1, EVF_APPEND, 0, 5);
		op_write(&r, l, 3, 8192);
		op_close(&r, l, 3);
	}
	assert_string_equal(fired(&r), "open-close-churn");
	run_free(&r);
}

static void test_sync_storm(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/db/x.db");
	op_open(&r, f, 3);
	for (int i = 0; i < 99; i++) {
		op_write(&r, f, 3, 65536);
		call(&r, OPC_META, SC_fsync, f, 3, 0, -1, 0, 0, 2000);
	}
	assert_string_equal(fired(&r), "");
	op_write(&r, f, 3, 65536);
	call(&r, OPC_META, SC_fsync, f, 3, 0, -1, 0, 0, 2000);
	assert_string_equal(fired(&r), "sync-storm");
	run_free(&r);
}

static void test_reread_piecemeal_raw(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/d/eight");
	op_open(&r, f, 3);
	for (int pass = 0; pass < 3; pass++) {
		call(&r, OPC_META, SC_lseek, f, 3, 0, 0, 0, 0, 1);
		for (int i = 0; i < 8; i++)
			op_read(&r, f, 3, 1 << 20);
		op_read(&r, f, 3, 0);
	}
	assert_string_equal(fired(&r), "reread");
	run_free(&r);

	run_init(&r);
	f = file(&r, "/d/one");
	op_open(&r, f, 3);
	for (int i = 0; i < 4096; i++)
		op_read(&r, f, 3, 256);
	op_read(&r, f, 3, 0);
	/* piecemeal-read, and small-reads does not repeat it. */
	assert_string_equal(fired(&r), "piecemeal-read");
	run_free(&r);

	run_init(&r);
	f = file(&r, "/tmp/scratch");
	op_open(&r, f, 3);
	for (int i = 0; i < 32; i++)
		op_write(&r, f, 3, 1 << 20);
	call(&r, OPC_META, SC_lseek, f, 3, 0, 0, 0, 0, 1);
	for (int i = 0; i < 32; i++)
		op_read(&r, f, 3, 1 << 20);
	assert_string_equal(fired(&r), "read-after-write");
	run_free(&r);
}

static void test_pingpong_seek_misaligned(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/d/pp");
	op_open(&r, f, 3);
	for (int i = 0; i < 1000; i++) {
		op_pread(&r, f, 3, 8192, (int64_t)i * 8192);
		call(&r, OPC_WRITE, SC_pwrite64, f, 3, 8192, (int64_t)i * 8192, 0, 0, 10);
	}
	assert_string_equal(fired(&r), "rw-pingpong");
	run_free(&r);

	run_init(&r);
	f = file(&r, "/d/seek");
	op_open(&r, f, 3);
	for (int i = 0; i < 1000; i++) {
		call(&r, OPC_META, SC_lseek, f, 3, 0, (int64_t)i * 65536, 0, 0, 1);
		op_read(&r, f, 3, 65536);
	}
	assert_string_equal(fired(&r), "seek-storm");
	run_free(&r);

	/* A 100-byte header, then 64 KiB records: misaligned, where it costs. */
	run_init(&r);
	f = file(&r, "/lustre/h5");
	op_open(&r, f, 3);
	op_write(&r, f, 3, 100);
	for (int i = 0; i < 1000; i++)
		op_write(&r, f, 3, 65536);
	assert_string_equal(fired(&r), "");
	r.m->fnd->remote = all_remote;
	/* 64 KiB is also small there. */
	assert_string_equal(fired(&r), "small-writes misaligned");
	run_free(&r);
}

/* Large sequential reads and writes and one fsync: nothing. */
static void test_healthy(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	uint32_t f = file(&r, "/d/in"), g = file(&r, "/d/out");
	op_open(&r, f, 3);
	op_open(&r, g, 4);
	for (int i = 0; i < 5000; i++) {
		op_read(&r, f, 3, 1 << 20);
		op_write(&r, g, 4, 1 << 20);
	}
	op_read(&r, f, 3, 0);
	call(&r, OPC_META, SC_fsync, g, 4, 0, -1, 0, 0, 5000);
	op_close(&r, f, 3);
	op_close(&r, g, 4);
	assert_string_equal(fired(&r), "");
	run_free(&r);
}

/* A finding, once fired, stays; first_us is the interval it fired in;
 * JSON always has the key. */
static void test_sticky_and_json(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	char *buf = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&buf, &len);
	findings_json(mf, r.m, NULL);
	fclose(mf);
	assert_string_equal(buf, "\"findings\": []");
	free(buf);
	uint32_t f = file(&r, "/d/x"), g = file(&r, "/d/y");
	op_open(&r, f, 3);
	for (int i = 0; i < 1000; i++)
		op_read(&r, f, 3, 100);
	r.t = 5000000;
	op_open(&r, g, 4);
	for (int i = 0; i < 100000; i++)	/* small reads are now 1% */
		op_read(&r, g, 4, 1 << 20);
	assert_string_equal(fired(&r), "small-reads");
	assert_int_equal(r.m->fnd->list[0].first_us, 5000000);
	mf = open_memstream(&buf, &len);
	findings_json(mf, r.m, r.m->fnd);
	fclose(mf);
	assert_non_null(strstr(buf, "\"id\": \"small-reads\""));
	assert_non_null(strstr(buf, "\"files\": [\"/d/x\"]"));
	free(buf);
	run_free(&r);
}

/* Writes of n bytes each taking dur us, by recording (rank) origin. */
static void rank_writes(struct run *r, uint16_t origin, uint32_t f, int count, int64_t n,
			uint32_t dur)
{
	for (int i = 0; i < count; i++) {
		struct io_event e;
		memset(&e, 0, sizeof e);
		e.t_us = r->t;
		e.pid = e.tid = 100;	/* the same pid on every node */
		e.origin = origin;
		e.cls = OPC_WRITE;
		e.call = SC_write;
		e.file = f;
		e.fdkind = FDK_FILE;
		e.fd = 3;
		e.flags = EVF_FD;
		e.bytes = n;
		e.dur_us = dur;
		r->t += dur + 1;
		model_add(r->m, &e, 1);
	}
}

static struct origins *job(int ranks, enum origin_state st)
{
	struct origins *o = origins_new();
	assert_non_null(o);
	for (int i = 0; i < ranks; i++) {
		char path[32];
		snprintf(path, sizeof path, "%d.rec", i);
		uint16_t idx = origins_add(o, path);
		struct origin g;
		assert_int_equal(origins_get(o, idx, &g), 0);
		snprintf(g.host, sizeof g.host, "node%d", i);
		g.rank = i;
		g.state = st;
		origins_set(o, idx, &g);
	}
	return o;
}

static const struct finding *find(struct run *r, const char *id)
{
	const struct findings *fs = model_findings(r->m);
	for (int i = 0; fs && i < fs->n; i++)
		if (strcmp(findings_rules[fs->list[i].rule].id, id) == 0)
			return &fs->list[i];
	return NULL;
}

static void test_rank_imbalance(void **state)
{
	(void)state;
	/* Rank 2 writes 4 MiB in 0.4 s, ranks 0 and 1 write 1 MiB in 0.1 s:
	 * slowest - fastest = 0.3 s of the job's 0.6 s (50 %). */
	struct run r;
	run_init(&r);
	struct origins *o = job(3, ORIGIN_FINISHED);
	r.m->origins = o;
	uint32_t f = file(&r, "/lustre/out");
	rank_writes(&r, 1, f, 16, 65536, 6250);
	rank_writes(&r, 2, f, 16, 65536, 6250);
	rank_writes(&r, 3, f, 64, 65536, 6250);
	const struct finding *fi = find(&r, "rank-imbalance");
	assert_non_null(fi);
	assert_non_null(strstr(fi->evidence, "rank 2 on node2"));
	assert_non_null(strstr(fi->evidence, "on node0"));
	assert_int_equal(fi->num[0], 2);		/* slowest_rank */
	assert_int_equal(fi->num[1], 0);		/* fastest_rank */
	assert_int_equal(fi->num[2], 400000);		/* slowest_us */
	assert_int_equal(fi->num[3], 100000);		/* fastest_us */
	assert_int_equal(fi->num[4], 4 << 20);		/* slowest_bytes */
	assert_int_equal(fi->num[5], 1 << 20);
	assert_int_equal(fi->severity, FSEV_HIGH);
	/* The helper the ranks view draws with says the same. */
	struct rank_load l[3] = {{1, 100000, 1 << 20}, {2, 100000, 1 << 20}, {3, 400000, 4 << 20}};
	struct imbalance im;
	findings_imbalance(l, 3, &im);
	assert_int_equal(im.slow, 2);
	assert_true(im.by_time && im.by_bytes);
	assert_true(im.time_share > 0.49 && im.time_share < 0.51);
	run_free(&r);
	origins_free(o);

	/* An even job does not fire. */
	run_init(&r);
	o = job(3, ORIGIN_FINISHED);
	r.m->origins = o;
	f = file(&r, "/lustre/out");
	for (uint16_t k = 1; k <= 3; k++)
		rank_writes(&r, k, f, 32, 65536, 6250 + k * 100);
	assert_null(find(&r, "rank-imbalance"));
	run_free(&r);
	origins_free(o);

	/* Ranks still running: not yet (the first to start is not a straggler). */
	run_init(&r);
	o = job(2, ORIGIN_ACTIVE);
	r.m->origins = o;
	f = file(&r, "/lustre/out");
	rank_writes(&r, 1, f, 64, 65536, 6250);
	rank_writes(&r, 2, f, 4, 65536, 6250);
	assert_null(find(&r, "rank-imbalance"));
	r.m->source_done = 1;
	assert_non_null(find(&r, "rank-imbalance"));
	run_free(&r);
	origins_free(o);

	/* One recording, however lopsided its processes, never does. */
	run_init(&r);
	o = job(1, ORIGIN_FINISHED);
	r.m->origins = o;
	r.m->source_done = 1;
	f = file(&r, "/lustre/out");
	rank_writes(&r, 1, f, 64, 65536, 6250);
	assert_null(find(&r, "rank-imbalance"));
	run_free(&r);
	origins_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_reads),
		cmocka_unit_test(test_small_depends_on_fs),
		cmocka_unit_test(test_small_writes_and_severity),
		cmocka_unit_test(test_random_and_strided),
		cmocka_unit_test(test_many_files_once_not_random),
		cmocka_unit_test(test_many_small_files_suppresses_meta),
		cmocka_unit_test(test_metadata_rules),
		cmocka_unit_test(test_sync_storm),
		cmocka_unit_test(test_reread_piecemeal_raw),
		cmocka_unit_test(test_pingpong_seek_misaligned),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_sticky_and_json),
		cmocka_unit_test(test_rank_imbalance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
