/* report_svg.h - --svg: title, totals, the whole-run heatmap with its
 * metadata band, and the ops and bytes size histograms as
 * one standalone SVG document (no scripts, no external references). */
#ifndef IOPSTOP_REPORT_SVG_H
#define IOPSTOP_REPORT_SVG_H

#include <stdio.h>

struct model;
struct run_info;

/* Draw to f; ri (may be NULL) gives the title: command, backend, elapsed.
 * Called after the sampler ended (or under the model lock). */
void report_svg(FILE *f, const struct model *m, const struct run_info *ri);

/* Draw to the file path ("-" = stdout); 0, or -1 with a message printed. */
int report_svg_file(const char *path, const struct model *m, const struct run_info *ri);

#endif
