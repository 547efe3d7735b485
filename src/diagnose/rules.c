// SPDX-License-Identifier: GPL-2.0-or-later
#include "rules.h"
#include "reconcile.h"

#include <stdlib.h>
#include <string.h>

/* One row per rule; order is irrelevant (findings are sorted after). */
const struct rule *const rules[] = {
	&rule_accept_queue_overflow,
	&rule_syn_queue_overflow,
	&rule_close_wait_leak,
	&rule_fin_wait_2_pile,
	&rule_time_wait_pile,
	&rule_ephemeral_port_exhaustion,
	&rule_fd_exhaustion,
	&rule_conntrack_table_full,
	&rule_tcp_memory_pressure,
	&rule_orphan_sockets,
	&rule_connection_resets,
	&rule_retransmits,
	&rule_no_listener,
	&rule_receiver_window_limited,
	&rule_sender_buffer_limited,
	&rule_app_limited,
	&rule_closing_pile,
	&rule_connect_timeouts,
	&rule_unix_accept_queue_overflow,
	&rule_udp_receive_buffer,
	NULL,
};
const size_t n_rules = sizeof(rules) / sizeof(rules[0]) - 1;

bool sample_sysctl(const struct sample *s, enum sysctl_id id, int64_t *v)
{
	const struct sysctl_val *x = &s->sysctl.val[id];

	if (!x->present || !x->n)
		return false;
	*v = x->v[0];
	return true;
}

uint32_t rule_missing(const struct rule *r, const struct series *ser)
{
	return r->needs & ~series_have(ser);
}

bool rule_run(const struct rule *r, const struct series *ser, const struct focus *fo,
	      struct findings *out)
{
	uint32_t missing = rule_missing(r, ser);

	if (missing) {
		if (out->n_not_run < FINDINGS_NOT_RUN_MAX)
			out->not_run[out->n_not_run++] =
				(struct rule_not_run){ .rule = r, .missing = missing };
		if (r->klog != KEV_NONE)
			klog_only_finding(r, ser, out);
		if (r->counted && series_last(ser)->counted_states)
			r->counted(r, ser, out);
		return false;
	}
	r->check(r, ser, fo, out);
	return true;
}

/* Does the rule that made f speak to the symptom? */
static bool relevant(enum symptom sym, const struct finding *f)
{
	return sym != SYMPTOM_NONE && f->rule && (f->rule->symptoms & SYMPTOM_BIT(sym));
}

static int cmp_findings(const void *a, const void *b, void *ctx)
{
	const struct finding *x = a, *y = b;
	enum symptom sym = *(const enum symptom *)ctx;
	bool rx = relevant(sym, x), ry = relevant(sym, y);

	/* Severity first, whatever the focus: a symptom orders findings
	 * within a severity, never puts an info above a warning. */
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (rx != ry)
		return rx ? -1 : 1;
	return strcmp(x->id, y->id);
}

void diagnose_run(const struct series *ser, const struct focus *fo,
		  struct findings *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n_rules; i++)
		rule_run(rules[i], ser, fo, out);
	applog_only_findings(ser, out);
	qsort_r(out->f, out->n, sizeof(out->f[0]), cmp_findings, (void *)&fo->symptom);
	findings_reconcile(out);
}
