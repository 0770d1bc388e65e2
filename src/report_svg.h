/* report_svg.h - --svg: the whole-run heatmap and the size histogram as
 * one standalone SVG document (no scripts, no external references). */
#ifndef IOPSTOP_REPORT_SVG_H
#define IOPSTOP_REPORT_SVG_H

#include <stdio.h>

struct model;

/* Draw to f.  Called after the sampler ended (or under the model lock). */
void report_svg(FILE *f, const struct model *m);

/* Draw to the file path ("-" = stdout); 0, or -1 with a message printed. */
int report_svg_file(const char *path, const struct model *m);

#endif
