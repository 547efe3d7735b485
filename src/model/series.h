/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_SERIES_H
#define SOCKVET_MODEL_SERIES_H

/*
 * A series: the samples triage reads, oldest first. Live triage takes
 * them a second apart; an import orders captures by their timestamps.
 * Trends (a counter rising, a pile growing) need n >= 2.
 */

#include <stdbool.h>
#include <stdint.h>

#include "kevent.h"
#include "sample.h"

struct series {
	const struct sample *const *s;
	unsigned n;              /* >= 1 */
	double interval_s;       /* between consecutive samples */
	/*
	 * Imported captures without a time each (no capture header, no
	 * `date`): in the order given, and the seconds between them are not
	 * known. Deltas (counts) still hold; rates do not: series_between_s
	 * gives 0 and a rule that needs a rate says the time is unknown.
	 */
	bool time_unknown;
};

const struct sample *series_first(const struct series *ser);
const struct sample *series_last(const struct series *ser);
/* Seconds between the first and last sample (0 with one sample). */
double series_span_s(const struct series *ser);
/* Seconds from sample i to sample j (j > i), by their monotonic clocks,
 * else their wall clocks (imported captures), else by the nominal
 * interval; 0 when time_unknown. The one place time between samples is
 * computed. */
double series_between_s(const struct series *ser, unsigned i, unsigned j);

/* What every sample of the series has (the intersection of their have sets). */
uint32_t series_have(const struct series *ser);

/* Counter delta between the first and last sample; false if either lacks it
 * or the series has one sample (no trend). */
bool series_mib_delta(const struct series *ser, const char *name, uint64_t *delta);

/* Listener ref (of any sample) in sample i, by identity (family, address,
 * port, inode); hint is the index to try first, as dumps list listeners
 * in the same order each time. NULL when sample i does not hold it. */
const struct s_listener *series_listener_in(const struct series *ser, unsigned i,
					    const struct s_listener *ref, uint32_t hint);

/*
 * A listener's own drop counter (skmem d) over the series: listener idx
 * of the last sample, from the first sample that holds it to the last.
 * The one place this delta is computed: the accept-queue rule judges it
 * and the report shows it.
 */
struct listener_drops {
	unsigned first;          /* index of the first sample holding it */
	unsigned seen;           /* samples holding it */
	bool known;              /* every sample holding it reported skmem d */
	uint32_t from, to;       /* skmem d in the first and the last of those */
	uint32_t delta;          /* to - from; 0 when it went back (a new socket) */
};
/* Fills d; true when the delta means something (known, seen >= 2). */
bool series_listener_drops(const struct series *ser, uint32_t idx, struct listener_drops *d);

/* Kernel-log events of one kind: all in the buffer, and those logged
 * while sockvet was sampling (each sample reads the whole ring buffer,
 * so the last sample holds them all). */
struct kev_scan {
	unsigned events;
	/* during the samples; never when their time is unknown (imported
	 * captures: a pasted dmesg says nothing of when ss was run) */
	unsigned recent;
	bool timed;              /* the samples' times are known */
	int64_t newest_us;       /* -1 when none had a timestamp */
};
struct kev_scan series_kevents(const struct series *ser, enum kevent_kind kind);

#endif
