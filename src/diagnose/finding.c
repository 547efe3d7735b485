// SPDX-License-Identifier: GPL-2.0-or-later
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct finding *findings_add(struct findings *fs, const char *id,
			     enum severity sev, enum side side)
{
	struct finding *f;

	if (fs->n == FINDINGS_MAX) {
		fs->dropped++;
		return NULL;
	}
	f = &fs->f[fs->n++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = sev;
	f->side = side;
	return f;
}

void finding_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f->n_evidence == FINDING_EVIDENCE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(f->evidence[f->n_evidence++], FINDING_TEXT, fmt, ap);
	va_end(ap);
}

const struct sample *series_first(const struct series *ser)
{
	return ser->s[0];
}

const struct sample *series_last(const struct series *ser)
{
	return ser->s[ser->n - 1];
}

double series_span_s(const struct series *ser)
{
	const struct sample *a = series_first(ser), *b = series_last(ser);

	if (ser->n < 2)
		return 0;
	if (b->meta.mono_ns > a->meta.mono_ns)
		return (double)(b->meta.mono_ns - a->meta.mono_ns) / 1e9;
	return ser->interval_s * (ser->n - 1);
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


void diag_appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
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

uint64_t diag_roundup(uint64_t v, uint64_t unit)
{
	return (v + unit - 1) / unit * unit;
}
