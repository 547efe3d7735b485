/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_SERIES_H
#define SOCKVET_IMPORT_IMPORT_SERIES_H

/* Imported samples made into a series (import_series.c says how). */

#include "import_run.h"

/*
 * After the inputs: drop samples no section went to (used_in[i]: sections
 * used in sample i, in read order), order by time when every sample has
 * one, carry settings and the kernel log, total plain-nstat increments,
 * set out->ser, and give each used section of cl its sample (oldest: 0)
 * and time. cl's records hold read-order indices on entry.
 */
void import_series_finish(struct import_series *out, const unsigned *used_in,
			  struct capture_list *cl);

#endif
