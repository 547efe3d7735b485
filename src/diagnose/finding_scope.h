/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_FINDING_SCOPE_H
#define SOCKVET_DIAGNOSE_FINDING_SCOPE_H

/*
 * Whether a finding is about the whole host or about the network
 * namespace it was found in. A triage of every namespace (--all-netns)
 * reports a host-wide finding once, not once per namespace, because
 * every namespace reads the same value. Which values are which on 6.18:
 * kernel-facts.md "MIB counters and sockstat: what is per network namespace"
 * and kernel-facts.md "Which sysctls are per network namespace".
 */

#include <stdbool.h>

#include "finding.h"

/*
 * true when f judges only host-wide values; why (may be NULL) is then
 * set to what they are ("tcp_mem and sockstat mem"), for a report.
 */
bool finding_host_wide(const struct finding *f, const char **why);

/*
 * Move every host-wide finding out of fs into hw, once: one already in
 * hw (same id and subject) is dropped. hw's bound counts in its
 * `dropped`. Returns how many were taken out of fs.
 */
unsigned findings_take_host_wide(struct findings *fs, struct findings *hw);

/* The per-namespace and host-wide values, one line each, for a report. */
extern const char findings_scope_per_netns[];
extern const char findings_scope_host[];

#endif
