/* app.h - the pieces of one run, handed to the view. */
#ifndef IOPSTOP_APP_H
#define IOPSTOP_APP_H

struct intern;
struct model;
struct options;
struct run;
struct run_info;
struct sampler;
struct source;

struct app {
	const struct options *opt;
	struct intern *in;
	struct model *m;
	struct source *src;
	struct sampler *smp;
	struct run_info *ri;
	struct run *run;		/* its outcome (run.h); NULL in the process list */
};

#endif
