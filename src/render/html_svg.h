/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_HTML_SVG_H
#define SOCKVET_RENDER_HTML_SVG_H

/*
 * Line plots as inline SVG for the HTML report: a y axis from 0 to a
 * round number above the largest value, the x axis in seconds since the
 * first sample, at most SVG_SERIES_MAX series. No script, no font, no
 * fetch: the picture is in the markup, so it prints as it shows.
 *
 * Every series differs by colour (a CSS class, light and dark), dash
 * pattern and marker shape, so it reads in grey print and for people
 * who do not tell the colours apart; the legend (svg_legend) names
 * each in text, and the <desc> says each series' range in words.
 *
 * Elements the browser test counts: one <path class="series ..."> per
 * series in each <svg class="plot">, whose data-series says how many.
 * Long series are thinned to at most SVG_BUCKETS min/max pairs (a spike
 * stays visible); gaps (a value not known) break the line.
 */

#include <stdbool.h>
#include <stdio.h>

#define SVG_SERIES_MAX 8
#define SVG_BUCKETS 320
#define SVG_LABEL_MAX 96

struct svg_series {
	char label[SVG_LABEL_MAX];  /* raw text; escaped when written */
	const double *y;            /* n values */
	const bool *known;          /* n flags; NULL: every value known */
};

struct svg_plot {
	const char *id;             /* unique in the page, [a-z0-9-] only */
	const char *title;          /* raw text */
	const char *y_label;        /* "connections", "per second" */
	const double *x;            /* n values, seconds since the first sample, rising */
	unsigned n;                 /* >= 2 */
	unsigned n_series;          /* 1..SVG_SERIES_MAX */
	struct svg_series s[SVG_SERIES_MAX];
};

/* The plot as one <svg>; 0, or EOF on a write error. */
int svg_plot_write(FILE *fp, const struct svg_plot *p);
/* Its legend: one <li> per series with a swatch of its line and marker. */
int svg_legend_write(FILE *fp, const struct svg_plot *p);

/* A "nice" step (1, 2 or 5 times a power of ten) for about `ticks` ticks over range. */
double svg_nice_step(double range, unsigned ticks);

#endif
