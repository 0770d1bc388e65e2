/* report_text.h - --heatmap and --histogram: ASCII renderings of the
 * whole run for logs and terminals without a full-screen view.  Both fit
 * in 80 columns and are called after the sampler ended. */
#ifndef IOPSTOP_REPORT_TEXT_H
#define IOPSTOP_REPORT_TEXT_H

#include <stdio.h>

struct model;

void report_text_heatmap(FILE *f, const struct model *m);
void report_text_histogram(FILE *f, const struct model *m);

/* Whole-run columns in use (at least 1, at most WR_COLS); shared with the
 * SVG. */
int report_wr_cols(const struct model *m);

#endif
