// SPDX-License-Identifier: GPL-2.0-or-later
#include "verdict.h"

static const char *const severity_names[] = {
	[SEV_INFO] = "info",
	[SEV_WARNING] = "warning",
	[SEV_CRITICAL] = "critical",
};

/* Lower case for JSON and check lines, capitals for the text report. */
static const struct {
	const char *name;
	const char *label;
} side_names[] = {
	[SIDE_NONE] = { "none", "NONE" },
	[SIDE_APP] = { "app", "APP" },
	[SIDE_KERNEL] = { "kernel", "KERNEL" },
	[SIDE_NETWORK] = { "network", "NETWORK" },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void verdict_of(const struct findings *fs, struct verdict *v)
{
	v->healthy = true;
	v->severity = SEV_INFO;
	v->side = SIDE_NONE;
	for (unsigned i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];

		if (f->severity == SEV_INFO)
			continue;
		if (v->healthy || f->severity > v->severity) {
			v->severity = f->severity;
			v->side = f->side;
		}
		v->healthy = false;
	}
}

const char *verdict_severity_name(enum severity s)
{
	return (unsigned)s < N_OF(severity_names) ? severity_names[s] : "?";
}

const char *verdict_side_name(enum side s)
{
	return (unsigned)s < N_OF(side_names) ? side_names[s].name : "?";
}

const char *verdict_side_label(enum side s)
{
	return (unsigned)s < N_OF(side_names) ? side_names[s].label : "?";
}

const char *verdict_severity_word(const struct verdict *v)
{
	return v->healthy ? "healthy" : verdict_severity_name(v->severity);
}

const char *verdict_side_word(const struct verdict *v)
{
	return v->healthy ? "none" : verdict_side_name(v->side);
}
