/* genlog.c - a synthetic strace -f -ttt -T -y -s 0 log on stdout, fast
 * enough to feed iopstop through a pipe (memory and length tests).
 *
 *   genlog EVENTS SPAN_S [NFILES]
 *
 * EVENTS lines spread evenly over SPAN_S seconds of trace time: reads and
 * writes of assorted sizes on NFILES (default 200) files, with an openat
 * and a close every 16 lines, from 4 processes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: genlog EVENTS SPAN_S [NFILES]\n");
		return 2;
	}
	uint64_t n = strtoull(argv[1], NULL, 10);
	double span = atof(argv[2]);
	unsigned nfiles = argc > 3 ? (unsigned)atoi(argv[3]) : 200;
	if (nfiles == 0)
		nfiles = 1;
	static const unsigned sizes[] = {0, 1, 17, 512, 4096, 8192, 65536, 1048576};
	uint64_t t0 = 1700000000ull * 1000000ull;
	double step = n ? span * 1e6 / (double)n : 0;
	static char out[1 << 20];
	size_t o = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t = t0 + (uint64_t)((double)i * step);
		unsigned pid = 4000 + (unsigned)(i % 4);
		unsigned f = (unsigned)((i / 16) % nfiles);
		unsigned sz = sizes[(i * 7) % 8];
		const char *call = (i & 1) ? "read" : "write";
		if (o > sizeof out - 512) {
			fwrite(out, 1, o, stdout);
			o = 0;
		}
		switch (i % 16) {
		case 0:
			o += (size_t)sprintf(out + o, "%u %" PRIu64 ".%06" PRIu64
				" openat(AT_FDCWD</scratch>, \"/scratch/run/data%04u.bin\", O_RDWR|O_CREAT, 0644) = 3</scratch/run/data%04u.bin> <0.000011>\n",
				pid, t / 1000000, t % 1000000, f, f);
			break;
		case 15:
			o += (size_t)sprintf(out + o, "%u %" PRIu64 ".%06" PRIu64
				" close(3</scratch/run/data%04u.bin>) = 0 <0.000004>\n",
				pid, t / 1000000, t % 1000000, f);
			break;
		default:
			o += (size_t)sprintf(out + o, "%u %" PRIu64 ".%06" PRIu64
				" %s(3</scratch/run/data%04u.bin>, \"\"..., %u) = %u <0.000%03u>\n",
				pid, t / 1000000, t % 1000000, call, f, sz, sz,
				(unsigned)(i % 997));
		}
	}
	fwrite(out, 1, o, stdout);
	return 0;
}
