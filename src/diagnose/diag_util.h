/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_DIAG_UTIL_H
#define SOCKVET_DIAGNOSE_DIAG_UTIL_H

/*
 * What several rules compute the same way, once: text into fixed
 * buffers, owner lookup, the busiest ports, a value across the series,
 * counter deltas. Every helper is bounded by its arguments.
 */

#include <stddef.h>
#include <stdint.h>

#include "../model/sample.h"
#include "../model/series.h"

/* Append to a NUL-terminated fixed buffer; cuts rather than overflows. */
void diag_appendf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sentences are appended with a trailing blank; drop it after the last. */
void diag_trim(char *buf);

/* v rounded up to a multiple of unit (a proposed buffer size in whole MiB). */
uint64_t diag_roundup(uint64_t v, uint64_t unit);

/* The process an owner index (s_listener.owner, s_conn.owner) names in
 * s, or NULL when unknown (-1) or out of range. */
const struct s_proc *diag_owner(const struct sample *s, int32_t owner);

/*
 * The ports with the highest count in by_port (one of a sample's
 * *_by_port arrays), each at least min (min 0 counts as 1), busiest
 * first, equal counts in port order; at most max into out. Returns how
 * many.
 */
unsigned diag_top_ports(const uint32_t by_port[SAMPLE_PORTS], uint64_t min,
			uint16_t *out, unsigned max);

/* The value a rule follows in sample i of the series. */
typedef uint64_t (*diag_value_fn)(const struct series *ser, unsigned i, const void *ctx);

/* Append "12 -> 30 -> 55" (one value per sample, thousands grouped);
 * past shown samples, the middle becomes " -> ... -> " and the last. */
void diag_series_values(char *buf, size_t size, const struct series *ser, unsigned shown,
			diag_value_fn value, const void *ctx);

/* A counter's rise between the first and last sample, 0 when unknown
 * (for sums where a missing counter adds nothing). */
uint64_t diag_mib_delta(const struct series *ser, const char *name);

#endif
