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

uint64_t diag_roundup(uint64_t v, uint64_t unit)
{
	return (v + unit - 1) / unit * unit;
}
