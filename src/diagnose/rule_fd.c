// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fd-exhaustion: a process close to its RLIMIT_NOFILE, or the host close
 * to fs.file-max.
 *
 * Per process the limit is the soft RLIMIT_NOFILE; reaching it makes
 * open(), socket() and accept() fail with EMFILE, and the kernel logs
 * nothing (kernel-facts.md "RLIMIT_NOFILE"), so the fd count against the limit is the
 * only trace. A listener whose owner is at the limit stops accepting and
 * its accept queue fills (same section): the kernel shows the symptom, the fault
 * is the app's (a leak, or a limit too low for the load).
 *
 * Host-wide, fs.file-max caps every open file: ENFILE, and "VFS:
 * file-max limit N reached" in the kernel log. That limit is the
 * kernel's to raise, after checking that no process is leaking.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/kevent.h"

/* Past 80% a burst of connections (each an fd) can reach the limit
 * within seconds; node_exporter and awesome-prometheus-alerts warn at a
 * similar share (70-80%). */
#define FD_WARN_FRAC 0.80
/* Past 95% EMFILE is a matter of the next burst: treat as failing. */
#define FD_CRIT_FRAC 0.95
/* Proposed limits put today's count at or below half the new limit, so
 * the next load peak has room; the value is rounded up to a power of
 * two because that is how limits are usually written. */
#define FD_HEADROOM 2
/* Only the worst few processes get a finding: the list of findings is
 * shared by every rule, and the fix is the same for the rest. */
#define FD_REPORT_MAX 4
/* The host: the same shares against fs.file-max (node-mixin warns at
 * 70%, netdata goes critical at 90%). */
#define FILE_MAX_WARN_FRAC 0.80
#define FILE_MAX_CRIT_FRAC 0.95
/* A climb is a leak only when it is at least this many fds over the run:
 * a server's fd count moves by a few with every connection that comes
 * and goes, so +1 per sample is noise, +10 in a couple of seconds is not. */
#define FD_LEAK_MIN_RISE 10u
/* A leak that reaches the limit within a minute at its measured rate
 * fails before anyone acts on a warning: critical. */
#define FD_LEAK_SOON_S 60.0

static uint64_t pow2_at_least(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p < (UINT64_C(1) << 62))
		p <<= 1;
	return p;
}

static void fmt_limit(char *buf, size_t len, uint64_t v)
{
	if (v == UINT64_MAX)
		snprintf(buf, len, "infinity");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* The same process in sample s, by pid; NULL when it was not seen. */
static const struct s_proc *find_proc(const struct sample *s, uint32_t pid)
{
	for (uint32_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

/* Whether the fd count rose at every step of the series, where the
 * process was seen in every sample: a leak looks like that, a load
 * peak goes up and down. */
static bool fds_growing(const struct series *ser, uint32_t pid, uint32_t *first)
{
	uint32_t prev = 0;

	if (ser->n < 2)
		return false;
	for (unsigned i = 0; i < ser->n; i++) {
		const struct s_proc *p = find_proc(ser->s[i], pid);

		if (!p || (i && p->fds <= prev))
			return false;
		if (!i)
			*first = p->fds;
		prev = p->fds;
	}
	return prev - *first >= FD_LEAK_MIN_RISE;
}

/* Seconds until p reaches its soft limit at the rate it climbed from
 * first over span; negative when unknown. */
static double leak_eta_s(const struct s_proc *p, uint32_t first, double span)
{
	double rate = span > 0 ? (p->fds - first) / span : 0;

	if (rate <= 0 || !p->has_limit || p->nofile_soft == UINT64_MAX)
		return -1;
	return p->fds >= p->nofile_soft ? 0 : (double)(p->nofile_soft - p->fds) / rate;
}

static const char *trend_words(const struct series *ser, bool growing, bool at_limit)
{
	if (growing)
		return "The count rose at every sample: the process leaks fds (opened and never "
		       "closed), or its load is still ramping up; a leak fills any limit, so no "
		       "limit change is proposed: find what is leaking (ls -l /proc/PID/fd | sort "
		       "by target) and fix the app; restarting it frees them for now. ";
	if (ser->n < 2)
		return "With one sample it is unknown whether the count is growing (a leak) or "
		       "steady (a limit too low for the load); run again with more samples before "
		       "changing the limit. ";
	if (at_limit)
		return "The count is flat AT the limit: a limit too low for the load, or a leak "
		       "that has already used it up; after raising it, a leak climbs again and a "
		       "low limit stays put. ";
	return "The count is not climbing steadily, so this looks like a limit too low for the "
	       "load rather than a leak. ";
}

/*
 * A listener of p whose accept queue is full in the last sample. With p
 * at its limit that is accept() failing with EMFILE, and
 * accept-queue-overflow already reports it as critical with this very
 * cause and the same RLIMIT_NOFILE change: one cause, one critical
 * finding; this one then says where to look and stays a warning.
 */
static const struct s_listener *full_listener_of(const struct sample *s, const struct s_proc *p)
{
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];

		if (diag_owner(s, l->owner) == p && l->rq > l->wq)
			return l;
	}
	return NULL;
}

/* The same raised limit twice: for good in the unit, now with prlimit.
 * nr_open: fs.nr_open, 0 when unknown (the hard limit cannot pass it). */
static void change_nofile(struct finding *f, const struct s_proc *p, int64_t nr_open)
{
	uint64_t want = pow2_at_least((uint64_t)p->fds * FD_HEADROOM);
	char soft[24], hard[24], nh[24];
	struct change *c;

	if (want <= p->nofile_soft)
		want = pow2_at_least(p->nofile_soft + 1);
	if (nr_open > 0 && want > (uint64_t)nr_open)
		want = (uint64_t)nr_open;
	if (want <= p->nofile_soft)
		return;
	fmt_limit(soft, sizeof(soft), p->nofile_soft);
	fmt_limit(hard, sizeof(hard), p->nofile_hard);
	fmt_limit(nh, sizeof(nh), p->nofile_hard > want ? p->nofile_hard : want);
	c = finding_change(f);
	if (!c)
		return;
	snprintf(c->setting, sizeof(c->setting), "LimitNOFILE= in the unit of PID %u", p->pid);
	snprintf(c->knob, sizeof(c->knob), "RLIMIT_NOFILE pid %u", p->pid);
	snprintf(c->current, sizeof(c->current), "%s:%s", soft, hard);
	snprintf(c->proposed, sizeof(c->proposed), "%llu:%s", (unsigned long long)want, nh);
	snprintf(c->backout, sizeof(c->backout),
		 "rm /etc/systemd/system/UNIT.d/override.conf; systemctl daemon-reload; "
		 "systemctl restart UNIT (UNIT: systemctl status %u)", p->pid);
	snprintf(c->effective, sizeof(c->effective),
		 "at the service restart: systemctl edit UNIT, add [Service] "
		 "LimitNOFILE=%llu:%s, then systemctl restart UNIT",
		 (unsigned long long)want, nh);

	c = finding_change(f);
	if (!c)
		return;
	snprintf(c->setting, sizeof(c->setting), "RLIMIT_NOFILE of PID %u (prlimit)", p->pid);
	snprintf(c->knob, sizeof(c->knob), "RLIMIT_NOFILE pid %u", p->pid);
	snprintf(c->current, sizeof(c->current), "%s:%s", soft, hard);
	snprintf(c->proposed, sizeof(c->proposed), "%llu:%s", (unsigned long long)want, nh);
	snprintf(c->backout, sizeof(c->backout), "prlimit --pid %u --nofile=%s:%s",
		 p->pid, soft, hard);
	snprintf(c->effective, sizeof(c->effective),
		 "immediately (prlimit --pid %u --nofile=%llu:%s), this process only; "
		 "lost at its next restart",
		 p->pid, (unsigned long long)want, nh);
}

static void report_proc(const struct rule *self, const struct series *ser, const struct s_proc *p,
			struct findings *out)
{
	char sp[FINDING_SPAN_MAX], rate_s[32] = "rate unknown";
	const struct sample *last = series_last(ser);
	double frac = sample_proc_fd_frac(p), span = series_span_s(ser);
	bool at_limit = p->fds >= p->nofile_soft;
	const struct s_listener *full = full_listener_of(last, p);
	uint32_t first = 0;
	bool growing = fds_growing(ser, p->pid, &first);
	double eta = growing ? leak_eta_s(p, first, span) : -1;
	bool soon = eta >= 0 && eta <= FD_LEAK_SOON_S;
	enum severity sev = (at_limit || frac >= FD_CRIT_FRAC || soon) && !full ? SEV_CRITICAL
										 : SEV_WARNING;
	char soft[24], hard[24], nr_open_s[24];
	struct finding *f;
	int64_t nr_open = 0;
	bool has_nr_open = sample_sysctl(last, SYSCTL_NR_OPEN, &nr_open) && nr_open > 0;

	f = rule_finding(out, self, 0, sev, SIDE_APP);
	if (!f)
		return;
	if (has_nr_open)
		snprintf(nr_open_s, sizeof(nr_open_s), "%lld", (long long)nr_open);
	else
		snprintf(nr_open_s, sizeof(nr_open_s), "not readable here");
	fmt_limit(soft, sizeof(soft), p->nofile_soft);
	fmt_limit(hard, sizeof(hard), p->nofile_hard);
	snprintf(f->subject, sizeof(f->subject), "process %s[%u]", p->comm, p->pid);
	finding_evidence(f, "ls /proc/%u/fd | wc -l: %u open, %.0f%% of Max open files %s (soft; hard %s)",
			 p->pid, p->fds, frac * 100, soft, hard);
	if (growing && span > 0)
		snprintf(rate_s, sizeof(rate_s), "+%.1f/s", (p->fds - first) / span);
	if (growing)
		finding_evidence(f, "ls /proc/%u/fd | wc -l: %u -> %u %s, up at every sample "
				 "(%s%s)", p->pid, first, p->fds, finding_span(sp, "over", span),
				 rate_s, soon ? ", at the limit within a minute at this rate" : "");
	else if (ser->n >= 2)
		finding_evidence(f, "ls /proc/%u/fd | wc -l: not rising at every one of %u samples",
				 p->pid, ser->n);
	if (p->listeners)
		finding_evidence(f, "ss -ltnp: %s[%u] owns %u listening socket%s",
				 p->comm, p->pid, p->listeners, p->listeners == 1 ? "" : "s");
	if (full)
		finding_evidence(f, "ss -ltn 'sport = :%u': Recv-Q %u > Send-Q %u: accept() fails, "
				 "reported as critical under accept-queue-overflow (same cause)",
				 full->port, full->rq, full->wq);

	snprintf(f->explanation, sizeof(f->explanation),
		 "%s[%u] holds %u file descriptors against a soft limit of %s. %s"
		 "Each socket, file and pipe is one fd; at the limit socket(), open() and accept() "
		 "fail with EMFILE (\"Too many open files\"), and the kernel logs nothing for it%s. "
		 "%s"
		 "The limit usually comes from systemd's LimitNOFILE= (or docker --ulimit nofile, or "
		 "ulimit -n in a start script); the hard limit cannot exceed fs.nr_open (%s).",
		 p->comm, p->pid, p->fds, soft,
		 at_limit ? "It is AT the limit: new connections are failing now. " : "",
		 p->listeners ? "; its listeners stop accepting and their accept queues fill "
				"(TcpExtListenOverflows climbs)" : "",
		 trend_words(ser, growing, at_limit), nr_open_s);

	/* A leak's fix is in the app: a higher limit only moves the failure. */
	if (ser->n >= 2 && !growing)
		change_nofile(f, p, has_nr_open ? nr_open : 0);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ls /proc/%u/fd | wc -l; grep 'Max open files' /proc/%u/limits", p->pid, p->pid);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the fd count stays below %.0f%% of the soft limit and does not rise from run to run",
		 FD_WARN_FRAC * 100);
}

static void check_procs(const struct rule *self, const struct series *ser, struct findings *out)
{
	const struct sample *last = series_last(ser);
	const struct s_proc *worst[FD_REPORT_MAX];
	unsigned n = 0;

	if (!(last->have & HAVE_FDS))
		return;
	/* Keep the FD_REPORT_MAX fullest, fullest first (insertion sort). */
	for (uint32_t i = 0; i < last->n_procs; i++) {
		const struct s_proc *p = &last->procs[i];
		double frac = sample_proc_fd_frac(p);
		unsigned j;

		if (frac < FD_WARN_FRAC)
			continue;
		if (n == FD_REPORT_MAX && frac <= sample_proc_fd_frac(worst[n - 1]))
			continue;
		if (n < FD_REPORT_MAX)
			n++;
		for (j = n - 1; j > 0 && sample_proc_fd_frac(worst[j - 1]) < frac; j--)
			worst[j] = worst[j - 1];
		worst[j] = p;
	}
	for (unsigned i = 0; i < n; i++)
		report_proc(self, ser, worst[i], out);
}

static void check_host(const struct rule *self, const struct series *ser, struct findings *out)
{
	char sp[FINDING_SPAN_MAX];
	const struct sample *first = series_first(ser), *last = series_last(ser);
	struct kev_scan k = series_kevents(ser, KEV_FILE_MAX);
	const struct s_proc *top = NULL;
	double frac = 0, span = series_span_s(ser);
	enum severity sev;
	struct finding *f;
	struct change *c;

	if ((last->have & HAVE_FILE_NR) && last->file_nr_max)
		frac = (double)last->file_nr_alloc / (double)last->file_nr_max;
	if (frac >= FILE_MAX_CRIT_FRAC || k.recent)
		sev = SEV_CRITICAL;
	else if (frac >= FILE_MAX_WARN_FRAC || k.events)
		sev = SEV_WARNING;
	else
		return;

	f = rule_finding(out, self, 0, sev, SIDE_KERNEL);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (fs.file-max)");
	if ((last->have & HAVE_FILE_NR))
		finding_evidence(f, "cat /proc/sys/fs/file-nr: %llu allocated of fs.file-max %llu (%.0f%%)",
				 (unsigned long long)last->file_nr_alloc,
				 (unsigned long long)last->file_nr_max, frac * 100);
	if (ser->n >= 2 && (first->have & HAVE_FILE_NR) && (last->have & HAVE_FILE_NR))
		finding_evidence(f, "cat /proc/sys/fs/file-nr: allocated %llu -> %llu %s",
				 (unsigned long long)first->file_nr_alloc,
				 (unsigned long long)last->file_nr_alloc, finding_span(sp, "in", span));
	finding_kevents(f, &k, last->meta.mono_ns / 1000, "VFS: file-max limit ... reached");
	for (uint32_t i = 0; i < last->n_procs; i++)
		if (!top || last->procs[i].fds > top->fds)
			top = &last->procs[i];
	if (top)
		finding_evidence(f, "largest fd holder among socket owners: %s[%u] with %u fds",
				 top->comm, top->pid, top->fds);

	snprintf(f->explanation, sizeof(f->explanation),
		 "The host as a whole is %s its open-file limit fs.file-max: at the limit every "
		 "process gets ENFILE (\"Too many open files in system\") on open(), socket() and "
		 "accept(), and the kernel logs \"VFS: file-max limit N reached\". fs.file-max is "
		 "host-wide: in a container it can only be changed on the host. Before raising it, "
		 "check that no single process is leaking (compare ls /proc/PID/fd | wc -l of the "
		 "biggest holders between runs): a leak fills any limit.%s",
		 frac >= FILE_MAX_WARN_FRAC ? "close to" : "not near now but has hit",
		 ser->n < 2 ? " With one sample the trend could not be confirmed; no change is "
			      "proposed until a second sample shows it." : "");

	if (ser->n >= 2 && last->file_nr_max) {
		uint64_t cur = last->file_nr_max;
		uint64_t want = cur * 2 > last->file_nr_alloc * FD_HEADROOM ? cur * 2
									 : last->file_nr_alloc * FD_HEADROOM;

		c = finding_change_sysctl(f, "fs.file-max", (int64_t)cur, (int64_t)want);
		if (c)
			snprintf(c->effective, sizeof(c->effective),
				 "immediately (sysctl -w fs.file-max=%llu), host-wide; persist it in "
				 "/etc/sysctl.d/ or it is lost at reboot", (unsigned long long)want);
	}
	snprintf(f->verify_command, sizeof(f->verify_command), "cat /proc/sys/fs/file-nr; dmesg | grep -i 'file-max limit'");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "allocated (first number) stays below %.0f%% of the third and no new file-max lines appear",
		 FILE_MAX_WARN_FRAC * 100);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	(void)o;
	check_procs(self, ser, out);
	check_host(self, ser, out);
}

const struct rule rule_fd_exhaustion = {
	.ids = { "fd-exhaustion" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	/* Either input is enough: the processes (HAVE_FDS, fd counts in
	 * every sample of a live triage) or the host's file-nr / kernel
	 * log; each part checks its own. */
	.needs = 0,
	.check = check,
	.summary = "a process near RLIMIT_NOFILE, or file-nr near file-max",
};
