// SPDX-License-Identifier: GPL-2.0-or-later
#include "series.h"

const struct sample *series_first(const struct series *ser)
{
	return ser->s[0];
}

const struct sample *series_last(const struct series *ser)
{
	return ser->s[ser->n - 1];
}

double series_between_s(const struct series *ser, unsigned i, unsigned j)
{
	const struct sample *a = ser->s[i], *b = ser->s[j];

	if (j <= i)
		return 0;
	if (b->meta.mono_ns > a->meta.mono_ns)
		return (double)(b->meta.mono_ns - a->meta.mono_ns) / 1e9;
	return ser->interval_s * (j - i);
}

double series_span_s(const struct series *ser)
{
	return ser->n < 2 ? 0 : series_between_s(ser, 0, ser->n - 1);
}

uint32_t series_have(const struct series *ser)
{
	uint32_t h = ~0u;

	for (unsigned i = 0; i < ser->n; i++)
		h &= ser->s[i]->have;
	return ser->n ? h : 0;
}

bool series_mib_delta(const struct series *ser, const char *name, uint64_t *delta)
{
	uint64_t a, b;

	if (ser->n < 2)
		return false;
	if (!mib_get(&ser->s[0]->mib, name, &a) || !mib_get(&ser->s[ser->n - 1]->mib, name, &b))
		return false;
	/* Counters only grow; a smaller value means a reset (netns recreated). */
	*delta = b >= a ? b - a : 0;
	return true;
}

struct kev_scan series_kevents(const struct series *ser, enum kevent_kind kind)
{
	const struct sample *first = ser->s[0], *last = ser->s[ser->n - 1];
	struct kev_scan k = { 0, 0, -1 };

	for (uint32_t i = 0; i < last->n_kevents; i++) {
		const struct kevent *e = &last->kevents[i];

		if (e->kind != kind)
			continue;
		k.events++;
		if (e->ts_us >= 0 && e->ts_us >= first->meta.mono_ns / 1000)
			k.recent++;
		if (e->ts_us > k.newest_us)
			k.newest_us = e->ts_us;
	}
	return k;
}
