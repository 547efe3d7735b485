// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Imported samples into a series the rules can read (import.c fills the
 * samples; this orders them and makes them comparable).
 *
 * Order. By their times when every sample has one (a capture header, a
 * `date`), else as given: a time for some samples only cannot place the
 * others. Without times the seconds between samples are unknown; the
 * series says so (time_unknown) rather than assume an interval, so a
 * rule compares counts but never divides by a guessed span.
 *
 * Carry. What a person pastes once holds for every sample: settings
 * (sysctls) do not change between two `ss` runs a second apart, and
 * the kernel log is cumulative (a `dmesg` holds everything up to when it
 * ran; series_kevents reads the last sample). Socket tables, counters,
 * sockstat, file-nr, fd counts and conntrack counts are never carried:
 * they are what the samples measure, and a copy would read as "did not
 * move". series_have() (the intersection) then lets the sysctl rules run
 * on a series whose only sysctl -a was pasted once.
 *
 * Increments. Plain `nstat` (no -a) prints what rose since its previous
 * run and updates its history, so `nstat` twice prints two increments,
 * the second one exactly the rise between them. Such a sample's mib is
 * turned into running totals from the sample before it (a name it does
 * not print rose by 0: nstat hides zeros), so series_mib_delta's last
 * minus first is the rise over the series, as with absolute values.
 */
#include "import_series.h"

#include <stdlib.h>
#include <string.h>

#define NS 1000000000LL

/* Samples that got no section (a trailing `date`) are dropped; map[]
 * takes each read index to its new one (-1: dropped). */
static void drop_empty(struct import_series *out, const unsigned *used_in, int *map)
{
	unsigned k = 0, used = 0;

	for (unsigned i = 0; i < out->n; i++)
		used += used_in[i] > 0;
	for (unsigned i = 0; i < out->n; i++) {
		map[i] = -1;
		if (!used_in[i] && (used || i > 0)) {
			free(out->s[i]);
			continue;
		}
		map[i] = (int)k;
		out->s[k++] = out->s[i];
	}
	out->n = k;
}

/* Stable sort by wall time when every sample has one; map[] follows. */
static bool order_by_time(struct import_series *out, int *map, unsigned n_read)
{
	int pos[IMPORT_SAMPLES_MAX];

	for (unsigned i = 0; i < out->n; i++) {
		if (!out->s[i]->meta.wall_ns)
			return false;
		pos[i] = (int)i;
	}
	for (unsigned i = 1; i < out->n; i++) {
		struct sample *s = out->s[i];
		int p = pos[i];
		unsigned j = i;

		for (; j > 0 && out->s[j - 1]->meta.wall_ns > s->meta.wall_ns; j--) {
			out->s[j] = out->s[j - 1];
			pos[j] = pos[j - 1];
		}
		out->s[j] = s;
		pos[j] = p;
	}
	for (unsigned r = 0; r < n_read; r++)
		for (unsigned j = 0; map[r] >= 0 && j < out->n; j++)
			if (pos[j] == map[r]) {
				map[r] = (int)j;
				break;
			}
	return true;
}

/* Settings and the kernel log, from the nearest sample that has them. */
static void carry(struct import_series *out)
{
	for (unsigned i = 0; i < out->n; i++) {
		struct sample *s = out->s[i];

		for (unsigned d = 1; d < out->n; d++) {
			for (int side = -1; side <= 1; side += 2) {
				long j = (long)i + side * (long)d;
				const struct sample *o;

				if (j < 0 || j >= (long)out->n)
					continue;
				o = out->s[j];
				for (int k = 0; k < SYSCTL_MAX; k++)
					if (!s->sysctl.val[k].present && o->sysctl.val[k].present)
						s->sysctl.val[k] = o->sysctl.val[k];
				if (!(s->have & HAVE_KLOG) && (o->have & HAVE_KLOG)) {
					memcpy(s->kevents, o->kevents, sizeof(s->kevents));
					s->n_kevents = o->n_kevents;
					s->have |= HAVE_KLOG;
				}
				s->have |= o->have & HAVE_SYSCTL;
			}
		}
	}
}

/* Plain-nstat increments into running totals from the sample before. */
static void increments(struct import_series *out)
{
	for (unsigned i = 1; i < out->n; i++) {
		struct sample *s = out->s[i];
		const struct mib *prev = &out->s[i - 1]->mib;

		if (!s->mib_increments || !(s->have & HAVE_MIB) || !(out->s[i - 1]->have & HAVE_MIB))
			continue;
		for (size_t k = 0; k < prev->n; k++) {
			const struct mib_ent *e = &prev->ent[k];
			uint64_t v = 0;

			mib_get(&s->mib, e->name, &v);
			mib_set(&s->mib, e->name, strlen(e->name), e->value + v);
		}
		mib_sort(&s->mib);
		s->mib_increments = false;   /* totals now, from sample 0's base */
	}
}

void import_series_finish(struct import_series *out, const unsigned *used_in,
			  struct capture_list *cl)
{
	int map[IMPORT_SAMPLES_MAX];
	unsigned n_read = out->n;
	bool timed;

	drop_empty(out, used_in, map);
	timed = order_by_time(out, map, n_read);
	carry(out);
	increments(out);
	for (unsigned i = 0; i < out->n; i++)
		out->order[i] = out->s[i];
	out->ser.s = out->order;
	out->ser.n = out->n;
	out->ser.time_unknown = out->n > 1 && !timed;
	out->ser.interval_s = 0;
	if (out->n > 1 && timed)
		out->ser.interval_s = (double)(out->s[out->n - 1]->meta.wall_ns -
					       out->s[0]->meta.wall_ns) / 1e9 / (out->n - 1);
	cl->samples = out->n;
	cl->by_time = out->n > 1 && timed;
	for (uint32_t i = 0; i < cl->n; i++) {
		struct capture_read *c = &cl->r[i];

		if (c->status != CAPTURE_USED || c->sample < 0 || c->sample >= (int)n_read ||
		    map[c->sample] < 0) {
			c->sample = -1;
			c->time_ns = 0;
			continue;
		}
		c->sample = map[c->sample];
		c->time_ns = out->s[c->sample]->meta.wall_ns;
	}
}
