/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_HTML_PLOTS_H
#define SOCKVET_RENDER_HTML_PLOTS_H

/*
 * The HTML report's plots, from the view's trace (report_view.trace):
 * each busy listener's accept queue against its backlog, listener drops
 * per second, TCP states, the watched counters that moved (per second,
 * in three groups of like scale), and the --peer connections' rtt, cwnd
 * and retransmits. One sample (or no trace) says so instead of a plot.
 */

#include <stdio.h>

#include "report_view.h"

/* Busy listeners plotted one plot each; the rest are named in a note. */
#define HTML_LISTENER_PLOTS 6

/* The plots section's body; 0, or EOF on a write error or out of memory. */
int html_plots_write(FILE *fp, const struct report_view *v);

#endif
