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
