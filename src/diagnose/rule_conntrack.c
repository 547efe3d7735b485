// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack-table-full: the netfilter connection-tracking table near
 * nf_conntrack_max, or already dropping.
 *
 * When the table is full and no unassured entry can be evicted
 * (early_drop), the kernel drops the packet that would have created a new
 * entry, bumps the drop column of /proc/net/stat/nf_conntrack and logs
 * "nf_conntrack: table full, dropping packet" (kernel-facts.md "Kernel log strings"). To the
 * user that is a new connection timing out while old ones keep working.
 *
 * nf_conntrack_count is per network namespace, nf_conntrack_max is one
 * global value that each namespace's count is compared against, and it is
 * read-only inside a child netns (kernel-facts.md "conntrack"): the change is the host's. The log
 * line does not say which namespace (before a 2025 patch), so a line with
 * a low count here may come from another namespace.
 *
 * The side is KERNEL (a limit too small for the traffic). A flood would
 * be NETWORK, but a count alone cannot tell a flood from growth, so the
 * explanation names the check instead of guessing.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/kevent.h"

/* awesome-prometheus-alerts warns at 80% (node-mixin at 75%): enough
 * room to act before a traffic peak fills the rest. */
#define CT_WARN_FRAC 0.80
/* netdata goes critical at 95%: one burst from dropping new flows. */
#define CT_CRIT_FRAC 0.95
/* The proposed max puts today's count at or below half of it. */
#define CT_HEADROOM 2

static uint64_t delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

static void change_max(struct finding *f, const struct sample *last, uint64_t max)
{
	uint64_t want = max * 2;
	struct change *c;

	if (last->conntrack_count * CT_HEADROOM > want)
		want = last->conntrack_count * CT_HEADROOM;
	c = finding_change_sysctl(f, "net.netfilter.nf_conntrack_max", (int64_t)max, (int64_t)want);
	if (!c)
		return;
	snprintf(c->effective, sizeof(c->effective),
		 "immediately, on the host (read-only in a container); persist it in "
		 "/etc/sysctl.d/. Past nf_conntrack_buckets, hash chains grow: raise "
		 "/sys/module/nf_conntrack/parameters/hashsize too");
}

/* The conntrack -S drop counters' rise (drop always, the others when they moved). */
static void stats_evidence(struct finding *f, double span, uint64_t d_drop, uint64_t d_early,
			   uint64_t d_insf)
{
	char sp[FINDING_SPAN_MAX];

	finding_span(sp, "in", span);
	finding_evidence(f, "conntrack -S (/proc/net/stat/nf_conntrack) drop: +%llu %s",
			 (unsigned long long)d_drop, sp);
	if (d_early)
		finding_evidence(f, "conntrack -S early_drop: +%llu %s",
				 (unsigned long long)d_early, sp);
	if (d_insf)
		finding_evidence(f, "conntrack -S insert_failed: +%llu %s",
				 (unsigned long long)d_insf, sp);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	char sp[FINDING_SPAN_MAX];
	const struct sample *first = series_first(ser), *last = series_last(ser);
	struct kev_scan k = series_kevents(ser, KEV_CONNTRACK_FULL);
	bool stats = ser->n >= 2 && (first->have & HAVE_CONNTRACK_STAT) && (last->have & HAVE_CONNTRACK_STAT);
	uint64_t d_drop = 0, d_early = 0, d_insf = 0, max = last->conntrack_max;
	double frac = 0, span = series_span_s(ser);
	int64_t sysmax;
	enum severity sev;
	struct finding *f;

	(void)o;
	if (!max && sample_sysctl(last, SYSCTL_NF_CONNTRACK_MAX, &sysmax) && sysmax > 0)
		max = (uint64_t)sysmax;
	if ((last->have & HAVE_CONNTRACK) && max)
		frac = (double)last->conntrack_count / (double)max;
	if (stats) {
		d_drop = delta(first->conntrack_drop, last->conntrack_drop);
		d_early = delta(first->conntrack_early_drop, last->conntrack_early_drop);
		d_insf = delta(first->conntrack_insert_failed, last->conntrack_insert_failed);
	}

	if (d_drop || k.recent || frac >= CT_CRIT_FRAC)
		sev = SEV_CRITICAL;
	else if (d_early || k.events || frac >= CT_WARN_FRAC)
		sev = SEV_WARNING;
	else
		return;

	f = rule_finding(out, self, 0, sev, SIDE_KERNEL);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (nf_conntrack_max)");
	if ((last->have & HAVE_CONNTRACK) && max)
		finding_evidence(f, "sysctl net.netfilter.nf_conntrack_count: %llu of nf_conntrack_max %llu (%.0f%%)",
				 (unsigned long long)last->conntrack_count, (unsigned long long)max,
				 frac * 100);
	if (ser->n >= 2 && (first->have & HAVE_CONNTRACK) && (last->have & HAVE_CONNTRACK))
		finding_evidence(f, "sysctl net.netfilter.nf_conntrack_count: %llu -> %llu %s",
				 (unsigned long long)first->conntrack_count,
				 (unsigned long long)last->conntrack_count, finding_span(sp, "in", span));
	if (stats)
		stats_evidence(f, span, d_drop, d_early, d_insf);
	finding_kevents(f, &k, last->meta.mono_ns / 1000, "nf_conntrack: table full, dropping packet");

	snprintf(f->explanation, sizeof(f->explanation),
		 "The connection-tracking table %s. When it is full the kernel first evicts "
		 "unconfirmed entries (early_drop) and then drops the packet that would start a new "
		 "flow (drop, and the \"table full\" log line): new connections time out while "
		 "existing ones keep working. nf_conntrack_max is host-wide: each network namespace's "
		 "count is compared against the same max, and in a container it can only be changed "
		 "on the host%s. Before raising it, check that the entries are real traffic and not a "
		 "flood or a leak of long-lived idle entries (conntrack -L | awk '{print $1,$3}' | "
		 "sort | uniq -c | sort -rn | head).%s",
		 d_drop ? "is full and dropping packets now"
		 : frac >= CT_WARN_FRAC ? "is close to nf_conntrack_max"
		 : k.events ? "was full earlier (kernel log); it is not near the max in this namespace now"
		 : "is evicting entries to make room (early_drop)",
		 k.events && frac < CT_WARN_FRAC
			 ? "; the log line may come from another namespace, whose count is not visible here"
			 : "",
		 ser->n < 2 ? " With one sample the drop counters' trend could not be confirmed; "
			      "no change is proposed until a second sample shows it." : "");

	if (ser->n >= 2 && max)
		change_max(f, last, max);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "cat /proc/sys/net/netfilter/nf_conntrack_count /proc/sys/net/netfilter/nf_conntrack_max; "
		 "conntrack -S");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the count stays below %.0f%% of the max and the drop counters of conntrack -S stop rising",
		 CT_WARN_FRAC * 100);
}

const struct rule rule_conntrack_table_full = {
	.ids = { "conntrack-table-full" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	/* Without the count, a kernel-log line alone would read as "not
	 * near the max here": the count is the gauge everything is read
	 * against. */
	.needs = HAVE_CONNTRACK,
	.check = check,
	.summary = "conntrack count near max, drops",
	.klog = KEV_CONNTRACK_FULL,
};
