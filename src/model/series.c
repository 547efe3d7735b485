// SPDX-License-Identifier: GPL-2.0-or-later
#include "series.h"

#include <string.h>

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
	if (a->meta.wall_ns > 0 && b->meta.wall_ns >= a->meta.wall_ns)
		return (double)(b->meta.wall_ns - a->meta.wall_ns) / 1e9;
	if (ser->time_unknown)
		return 0;
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
	struct kev_scan k = { 0, 0, first->meta.mono_ns > 0, -1 };

	for (uint32_t i = 0; i < last->n_kevents; i++) {
		const struct kevent *e = &last->kevents[i];

		if (e->kind != kind)
			continue;
		k.events++;
		if (k.timed && e->ts_us >= 0 && e->ts_us >= first->meta.mono_ns / 1000)
			k.recent++;
		if (e->ts_us > k.newest_us)
			k.newest_us = e->ts_us;
	}
	return k;
}

static bool same_listener(const struct s_listener *a, const struct s_listener *b)
{
	return a->family == b->family && a->port == b->port && a->inode == b->inode &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

const struct s_listener *series_listener_in(const struct series *ser, unsigned i,
					    const struct s_listener *ref, uint32_t hint)
{
	const struct sample *s = ser->s[i];

	if (hint < s->n_listeners && same_listener(&s->listeners[hint], ref))
		return &s->listeners[hint];
	for (uint32_t k = 0; k < s->n_listeners; k++)
		if (same_listener(&s->listeners[k], ref))
			return &s->listeners[k];
	return NULL;
}

bool series_listener_drops(const struct series *ser, uint32_t idx, struct listener_drops *d)
{
	const struct sample *last = series_last(ser);
	const struct s_listener *ref;

	memset(d, 0, sizeof(*d));
	d->first = ser->n - 1;
	if (idx >= last->n_listeners)
		return false;
	ref = &last->listeners[idx];
	for (unsigned i = 0; i < ser->n; i++) {
		const struct s_listener *x = series_listener_in(ser, i, ref, idx);

		if (!x)
			continue;
		if (!d->seen) {
			d->first = i;
			d->known = x->has_drops;
			d->from = x->drops;
		}
		d->seen++;
		d->known = d->known && x->has_drops;
		d->to = x->drops;
	}
	d->delta = d->to >= d->from ? d->to - d->from : 0;
	return d->known && d->seen >= 2;
}
