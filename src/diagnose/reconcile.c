// SPDX-License-Identifier: GPL-2.0-or-later
#include "reconcile.h"

#include <stdio.h>
#include <string.h>

#include "diag_util.h"

/* The first change to knob in findings before f, with its finding. */
static const struct change *earlier_change(const struct findings *fs, const struct finding *f,
					   const char *knob, const struct finding **owner)
{
	for (const struct finding *g = fs->f; g < f; g++)
		for (unsigned i = 0; i < g->n_changes; i++)
			if (!strcmp(g->changes[i].knob, knob)) {
				*owner = g;
				return &g->changes[i];
			}
	return NULL;
}

static void drop_change(struct finding *f, unsigned i)
{
	memmove(&f->changes[i], &f->changes[i + 1], (f->n_changes - i - 1) * sizeof(f->changes[0]));
	f->n_changes--;
}

/* Take f's changes to knobs an earlier finding already proposes. */
static void reconcile_one(const struct findings *fs, struct finding *f)
{
	char said[FINDING_CHANGES_MAX][sizeof(f->changes[0].knob)];
	unsigned n_said = 0, i = 0;

	while (i < f->n_changes) {
		const struct finding *g;
		const struct change *c;
		bool seen = false;
		char knob[sizeof(said[0])];

		if (!f->changes[i].knob[0] ||
		    !(c = earlier_change(fs, f, f->changes[i].knob, &g))) {
			i++;
			continue;
		}
		snprintf(knob, sizeof(knob), "%s", f->changes[i].knob);
		drop_change(f, i);
		for (unsigned k = 0; k < n_said; k++)
			seen |= !strcmp(said[k], knob);
		if (seen || n_said == FINDING_CHANGES_MAX)
			continue;
		snprintf(said[n_said++], sizeof(said[0]), "%s", knob);
		diag_appendf(f->explanation, sizeof(f->explanation),
			     " The same setting (%s) is changed under %s (%s): %s -> %s; one value "
			     "for it, proposed there.", c->setting, g->id, g->subject,
			     c->current, c->proposed);
	}
}

void findings_reconcile(struct findings *fs)
{
	for (unsigned i = 1; i < fs->n; i++)
		reconcile_one(fs, &fs->f[i]);
}
