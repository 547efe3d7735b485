/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_RECONCILE_H
#define SOCKVET_DIAGNOSE_RECONCILE_H

#include "finding.h"

/*
 * One knob, one proposal: two findings that change the same setting for
 * the same subject (struct change.knob) must not propose two values.
 * Run on the sorted findings: the first finding that proposes a knob
 * keeps its changes; a later one loses its changes to that knob and
 * says, once, where the proposal is.
 */
void findings_reconcile(struct findings *fs);

#endif
