// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inline SVG line plots (see html_svg.h). Geometry is in the SVG's own
 * units (a 720 x 260 viewBox that CSS scales to the page); colours,
 * dashes and markers come from CSS classes, so the page's light, dark
 * and print styles restyle every plot at once.
 */
#include "html_svg.h"

#include <math.h>
#include <stdlib.h>

#include "html_escape.h"

#define W 720
#define H 260
#define ML 62
#define MR 18
#define MT 14
#define MB 44
#define PW (W - ML - MR)
#define PH (H - MT - MB)
/* Markers on every point up to this many samples; past it only lines. */
#define MARKERS_MAX_N 60

/* Marker shapes in a 10 x 10 box: filled ones first, then outlines. */
static const char *const marker_d[SVG_SERIES_MAX] = {
	"M5,1.5A3.5,3.5 0 1,1 4.99,1.5Z", "M1.8,1.8H8.2V8.2H1.8Z", "M5,0.8L9.2,8.6H0.8Z",
	"M5,0.3L9.7,5L5,9.7L0.3,5Z", "M0.8,1.4H9.2L5,9.2Z", "M5,0.5V9.5M0.5,5H9.5",
	"M1.2,1.2L8.8,8.8M8.8,1.2L1.2,8.8", "M1.5,1.5H8.5V8.5H1.5Z",
};

double svg_nice_step(double range, unsigned ticks)
{
	double raw, mag, f;

	if (!(range > 0) || !ticks)
		return 1;
	raw = range / ticks;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static bool known_at(const struct svg_series *s, unsigned i)
{
	return (!s->known || s->known[i]) && isfinite(s->y[i]);
}

static double y_top(const struct svg_plot *p, double *step)
{
	double max = 0;

	for (unsigned k = 0; k < p->n_series; k++)
		for (unsigned i = 0; i < p->n; i++)
			if (known_at(&p->s[k], i) && p->s[k].y[i] > max)
				max = p->s[k].y[i];
	if (max <= 0) {
		*step = 1;
		return 1;
	}
	*step = svg_nice_step(max, 4);
	return ceil(max / *step - 1e-9) * *step;
}

static double px(const struct svg_plot *p, double x)
{
	double span = p->x[p->n - 1] - p->x[0];

	return ML + (span > 0 ? (x - p->x[0]) / span : 0.5) * PW;
}

static double py(double y, double top)
{
	if (y < 0)
		y = 0;
	return MT + PH - (y / top) * PH;
}

/* A tick value with as many decimals as the step needs. */
static void tick_text(FILE *fp, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	fprintf(fp, "%.*f", dec > 6 ? 6 : dec, v);
}

static void write_y_axis(FILE *fp, const struct svg_plot *p, double top, double step)
{
	for (unsigned i = 0; i * step <= top * (1 + 1e-9) && i < 64; i++) {
		double v = i * step, y = py(v, top);

		fprintf(fp, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", ML, y,
			W - MR, y);
		fprintf(fp, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", ML - 6,
			y + 4);
		tick_text(fp, v, step);
		fputs("</text>", fp);
	}
	fprintf(fp, "<text class=\"axis-title\" transform=\"translate(14 %d) rotate(-90)\" "
		"text-anchor=\"middle\">", MT + PH / 2);
	html_escape(fp, p->y_label);
	fputs("</text>", fp);
}

/* Ticks at a round step, at most ~8 labels however long the series. */
static void write_x_axis(FILE *fp, const struct svg_plot *p)
{
	double span = p->x[p->n - 1] - p->x[0];
	bool minutes = span >= 180;
	double unit = minutes ? 60 : 1;
	double step = svg_nice_step(span / unit, 8) * unit;
	double first = ceil(p->x[0] / step - 1e-9) * step;

	fprintf(fp, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ML, MT + PH,
		W - MR, MT + PH);
	fprintf(fp, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ML, MT, ML,
		MT + PH);
	for (unsigned i = 0; first + i * step <= p->x[p->n - 1] + 1e-9 && i < 64; i++) {
		double v = first + i * step, x = px(p, v);

		fprintf(fp, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x,
			MT + PH, x, MT + PH + 4);
		fprintf(fp, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
			MT + PH + 17);
		tick_text(fp, v / unit, step / unit);
		fputs("</text>", fp);
	}
	fprintf(fp, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s since "
		"the first sample</text>", ML + PW / 2, H - 6, minutes ? "minutes" : "seconds");
}

static void point(FILE *fp, const struct svg_plot *p, const struct svg_series *s, unsigned i,
		  double top, bool *pen)
{
	fprintf(fp, "%c%.1f,%.1f", *pen ? 'L' : 'M', px(p, p->x[i]), py(s->y[i], top));
	*pen = true;
}

/* The path's data: every point, or per bucket its lowest and highest. */
static void series_d(FILE *fp, const struct svg_plot *p, const struct svg_series *s, double top)
{
	unsigned per = p->n > 2 * SVG_BUCKETS ? (p->n + SVG_BUCKETS - 1) / SVG_BUCKETS : 1;
	bool pen = false;

	for (unsigned lo = 0; lo < p->n; lo += per) {
		unsigned hi = lo + per < p->n ? lo + per : p->n;
		int mn = -1, mx = -1;

		for (unsigned i = lo; i < hi; i++) {
			if (!known_at(s, i))
				continue;
			if (mn < 0 || s->y[i] < s->y[mn])
				mn = (int)i;
			if (mx < 0 || s->y[i] > s->y[mx])
				mx = (int)i;
		}
		if (mn < 0) {
			pen = false;     /* nothing known here: a gap */
			continue;
		}
		point(fp, p, s, (unsigned)(mn < mx ? mn : mx), top, &pen);
		if (mn != mx)
			point(fp, p, s, (unsigned)(mn < mx ? mx : mn), top, &pen);
	}
}

static void write_defs(FILE *fp, const struct svg_plot *p)
{
	fputs("<defs>", fp);
	for (unsigned k = 0; k < p->n_series; k++)
		fprintf(fp, "<marker id=\"%s-m%u\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" "
			"markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\">"
			"<path class=\"mk k%u s%u\" d=\"%s\"/></marker>", p->id, k, k, k, marker_d[k]);
	fputs("</defs>", fp);
}

/* "Recv-Q: 0 to 9, last 9": the picture in words, for readers without it. */
static void write_desc(FILE *fp, const struct svg_plot *p)
{
	fputs("<desc>", fp);
	for (unsigned k = 0; k < p->n_series; k++) {
		const struct svg_series *s = &p->s[k];
		double mn = 0, mx = 0, last = 0;
		bool any = false;

		for (unsigned i = 0; i < p->n; i++) {
			if (!known_at(s, i))
				continue;
			mn = any && mn < s->y[i] ? mn : s->y[i];
			mx = any && mx > s->y[i] ? mx : s->y[i];
			last = s->y[i];
			any = true;
		}
		html_escape(fp, s->label);
		if (any)
			fprintf(fp, ": %g to %g, last %g. ", mn, mx, last);
		else
			fputs(": not known. ", fp);
	}
	fputs("</desc>", fp);
}

int svg_plot_write(FILE *fp, const struct svg_plot *p)
{
	double step, top = y_top(p, &step);
	bool markers = p->n <= MARKERS_MAX_N;

	fprintf(fp, "<svg class=\"plot\" id=\"%s\" data-series=\"%u\" data-points=\"%u\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-labelledby=\"%s-t\"><title id=\"%s-t\">",
		p->id, p->n_series, p->n, W, H, W, H, p->id, p->id);
	html_escape(fp, p->title);
	fputs("</title>", fp);
	write_desc(fp, p);
	write_defs(fp, p);
	write_y_axis(fp, p, top, step);
	write_x_axis(fp, p);
	for (unsigned k = 0; k < p->n_series; k++) {
		fprintf(fp, "<path class=\"series s%u d%u\" data-label=\"", k, k);
		html_escape(fp, p->s[k].label);
		fputs("\" d=\"", fp);
		series_d(fp, p, &p->s[k], top);
		fputc('"', fp);
		if (markers)
			fprintf(fp, " marker-start=\"url(#%s-m%u)\" marker-mid=\"url(#%s-m%u)\" "
				"marker-end=\"url(#%s-m%u)\"", p->id, k, p->id, k, p->id, k);
		fputs("/>", fp);
	}
	fputs("</svg>", fp);
	return ferror(fp) ? EOF : 0;
}

/* An earlier series with the same value at every point (its line is hidden
 * under series k's), or -1. */
static int same_as(const struct svg_plot *p, unsigned k)
{
	for (unsigned j = 0; j < k; j++) {
		unsigned i;

		for (i = 0; i < p->n; i++) {
			bool a = known_at(&p->s[j], i), b = known_at(&p->s[k], i);

			if (a != b || (a && p->s[j].y[i] != p->s[k].y[i]))
				break;
		}
		if (i == p->n)
			return (int)j;
	}
	return -1;
}

int svg_legend_write(FILE *fp, const struct svg_plot *p)
{
	bool markers = p->n <= MARKERS_MAX_N;

	fputs("<ul class=\"legend\">", fp);
	for (unsigned k = 0; k < p->n_series; k++) {
		fprintf(fp, "<li><svg class=\"swatch\" width=\"44\" height=\"12\" viewBox=\"0 0 44 12\" "
			"aria-hidden=\"true\"><path class=\"line s%u d%u\" d=\"M2,6H22H42\"", k, k);
		if (markers)
			fprintf(fp, " marker-mid=\"url(#%s-m%u)\"", p->id, k);
		int same = same_as(p, k);

		fputs("/></svg> ", fp);
		html_escape(fp, p->s[k].label);
		if (same >= 0) {
			fputs(" <span class=\"same\">(the same values as ", fp);
			html_escape(fp, p->s[same].label);
			fputs(": its line is under this one)</span>", fp);
		}
		fputs("</li>", fp);
	}
	fputs("</ul>", fp);
	return ferror(fp) ? EOF : 0;
}
