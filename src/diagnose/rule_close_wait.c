// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * close-wait-leak: connections the peer has closed and the local
 * application has not (kernel-facts.md "CLOSE-WAIT and the unread FIN").
 * The kernel cannot finish them on its own, so the fault is always the
 * application's.
 *
 * Attribution, in order of usefulness:
 *  1. per owning program (processes grouped by comm, so a prefork pool of
 *     php-fpm workers holding five each is seen as one leak), with the
 *     Recv-Q split that says *how* the app fails;
 *  2. only when no program qualifies (owners unknown, not root): per
 *     local port, then whatever is left spread over many ports (client
 *     connections, each on its own ephemeral port).
 * Grouping by comm also keeps the trend stable when workers are recycled
 * between samples.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * A CLOSE-WAIT normally lasts from the peer's FIN to the app's close():
 * microseconds in an event loop, one request's handling in a thread pool.
 * Ten present at every sample 1 s apart would need more than ten closes
 * per millisecond of handling lag; below ten is the noise a busy
 * keep-alive server shows at any instant.
 */
#define CW_PERSIST_MIN 10u
/* Rising at every sample by at least this much in total is a leak in
 * progress even before the pile is big (one stray socket is not). */
#define CW_GROWTH_MIN 10u
/* Growth counts only when at least this many sockets of the pile were
 * already there one sample earlier: a leak's pile is mostly old sockets,
 * while a pile that comes and goes (a sawtooth sampled out of phase) is
 * all new at every sample. Half the growth mark, so a leak that started
 * between the first two samples still qualifies. */
#define CW_GROWTH_CARRIED_MIN 5u
/* A thousand leaked sockets are a thousand fds: the common 1,024 soft
 * RLIMIT_NOFILE is gone, and no transient explains that many even in a
 * single sample. */
#define CW_CRITICAL 1000u
/* Report bounds: worst first, enough to name every culprit on a real host. */
#define CW_PROC_FINDINGS_MAX 8
#define CW_PORT_FINDINGS_MAX 4
#define CW_PORTS_SHOWN 3
#define CW_SERIES_SHOWN 6

enum cw_kind { CW_GROUP, CW_PORT, CW_REST };

/* What one finding counts, so every sample can be asked the same thing. */
struct cw_key {
	enum cw_kind kind;
	char comm[16];          /* CW_GROUP */
	uint32_t pid;           /* CW_GROUP with an empty comm */
	uint16_t port;          /* CW_PORT */
	unsigned n_excl;        /* CW_REST: ports already reported */
	uint16_t excl[CW_PORT_FINDINGS_MAX];
};

struct cw_trend {
	uint32_t first, last, min;
	uint32_t prev;          /* the value one sample before the last */
	bool rising;            /* strictly, at every step */
};

struct cw_group {
	uint32_t count, unread, pids;
	const struct s_proc *one;  /* a member, for pid/fd details */
};

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Accepted CLOSE-WAIT only: the children still in an accept queue were
 * never accepted, no fd holds them and no close() can be missing
 * (kernel-facts.md "CLOSE-WAIT children in the accept queue"); the
 * accept queue's rule owns them. */
static uint32_t host_close_wait(const struct sample *s)
{
	uint32_t all = clamp32(s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT]);

	return all > s->close_wait_unaccepted ? all - s->close_wait_unaccepted : 0;
}

/* An empty comm (unreadable) must not merge unrelated processes. */
static bool in_group(const struct s_proc *p, const char *comm, uint32_t pid)
{
	if (strncmp(p->comm, comm, sizeof(p->comm)))
		return false;
	return comm[0] || p->pid == pid;
}

static void group_of(const struct sample *s, const char *comm, uint32_t pid,
		     struct cw_group *g)
{
	memset(g, 0, sizeof(*g));
	for (uint32_t i = 0; i < s->n_procs; i++) {
		const struct s_proc *p = &s->procs[i];

		if (!p->close_wait || !in_group(p, comm, pid))
			continue;
		g->count += p->close_wait;
		g->unread += p->close_wait_unread;
		g->pids++;
		if (!g->one || p->close_wait > g->one->close_wait)
			g->one = p;
	}
}

static uint32_t key_count(const struct sample *s, const struct cw_key *k)
{
	struct cw_group g;
	uint32_t n;

	switch (k->kind) {
	case CW_GROUP:
		group_of(s, k->comm, k->pid, &g);
		return g.count;
	case CW_PORT:
		return s->close_wait_by_port[k->port];
	case CW_REST:
		n = host_close_wait(s);
		for (unsigned i = 0; i < k->n_excl; i++) {
			uint32_t p = s->close_wait_by_port[k->excl[i]];

			n = p < n ? n - p : 0;
		}
		return n;
	}
	return 0;
}

/* Whether the series tracked every accepted CLOSE-WAIT socket by cookie,
 * so persistence is judged per socket rather than by counts. */
static bool per_socket(const struct series *ser)
{
	for (unsigned i = 0; i < ser->n; i++)
		if (!ser->s[i]->cw_tracked || ser->s[i]->cw_dropped)
			return false;
	return true;
}

static bool cw_matches(const struct sample *last, const struct s_cw *c, const struct cw_key *k)
{
	switch (k->kind) {
	case CW_GROUP:
		return c->owner >= 0 && (uint32_t)c->owner < last->n_procs &&
		       in_group(&last->procs[c->owner], k->comm, k->pid);
	case CW_PORT:
		return c->port == k->port;
	case CW_REST:
		for (unsigned i = 0; i < k->n_excl; i++)
			if (c->port == k->excl[i])
				return false;
		return true;
	}
	return false;
}

/*
 * Per socket: how many of the key's sockets in the last sample were
 * already in CLOSE-WAIT at sample i (same cookie). A pile that persists
 * reads flat, a leak rises, one that comes and goes reads near 0 before
 * the last sample, whatever the counts did.
 */
static uint32_t key_kept_at(const struct series *ser, unsigned i, const struct cw_key *k)
{
	const struct sample *last = series_last(ser), *s = ser->s[i];
	uint32_t n = 0;

	for (uint32_t j = 0; j < last->n_cw; j++)
		if (cw_matches(last, &last->cw[j], k) &&
		    (s == last || sample_cw_find(s, last->cw[j].cookie)))
			n++;
	return n;
}

/*
 * The key's count in sample i. The triage looks up owners in the last
 * sample only (the /proc walk is the expensive part), so in a sample
 * without owners a program's share is unknown: it is taken as the
 * namespace's whole CLOSE-WAIT count, capped at what the program holds
 * in the last sample. A pile that persisted or grew on the host and is
 * the program's now reads as the program's; one that came and went
 * does not.
 */
static uint32_t key_count_at(const struct series *ser, unsigned i, const struct cw_key *k)
{
	const struct sample *s = ser->s[i];
	uint32_t now, host;

	if (per_socket(ser))
		return key_kept_at(ser, i, k);
	if (k->kind != CW_GROUP || (s->have & HAVE_OWNERS) || i + 1 == ser->n)
		return key_count(s, k);
	now = key_count(series_last(ser), k);
	host = host_close_wait(s);
	return host < now ? host : now;
}

static bool owners_only_last(const struct series *ser)
{
	for (unsigned i = 0; i + 1 < ser->n; i++)
		if (!(ser->s[i]->have & HAVE_OWNERS))
			return true;
	return false;
}

static void trend_of(const struct series *ser, const struct cw_key *k, struct cw_trend *t)
{
	memset(t, 0, sizeof(*t));
	t->rising = ser->n >= 2;
	for (unsigned i = 0; i < ser->n; i++) {
		uint32_t v = key_count_at(ser, i, k);

		if (i == 0)
			t->first = t->min = v;
		else if (v <= t->last)
			t->rising = false;
		if (v < t->min)
			t->min = v;
		t->prev = t->last;
		t->last = v;
	}
}

/*
 * Whether the pile is a finding, and how bad. With one sample nothing
 * persists yet: it is described (INFO), except a pile so large that no
 * transient explains it, which still cannot be called critical unseen.
 */
static bool judge(const struct series *ser, const struct cw_trend *t, enum severity *sev)
{
	bool persisting, growing;

	if (ser->n < 2) {
		*sev = t->last >= CW_CRITICAL ? SEV_WARNING : SEV_INFO;
		return t->last >= CW_PERSIST_MIN;
	}
	persisting = t->min >= CW_PERSIST_MIN;
	growing = t->rising && t->last - t->first >= CW_GROWTH_MIN &&
		  t->prev >= CW_GROWTH_CARRIED_MIN;
	*sev = (t->min >= CW_CRITICAL || (persisting && growing)) ? SEV_CRITICAL : SEV_WARNING;
	return persisting || (growing && t->last >= CW_PERSIST_MIN);
}

static uint64_t key_value(const struct series *ser, unsigned i, const void *k)
{
	return key_count_at(ser, i, k);
}

/* "12 -> 30 -> 55 in 3 samples over 2.0 s", "55 (one sample)". */
static void trend_text(char *buf, size_t size, const struct series *ser, const struct cw_key *k)
{
	char sp[FINDING_SPAN_MAX];
	buf[0] = '\0';
	diag_series_values(buf, size, ser, CW_SERIES_SHOWN, key_value, k);
	if (ser->n < 2)
		diag_appendf(buf, size, " (one sample)");
	else
		diag_appendf(buf, size, " in %u samples %s", ser->n,
			     finding_span(sp, "over", series_span_s(ser)));
}

static void explain_trend(char *buf, size_t size, const struct series *ser,
			  const struct cw_trend *t)
{
	char sp[FINDING_SPAN_MAX];
	char a[32];

	if (ser->n < 2) {
		diag_appendf(buf, size, "Only one sample was taken, so whether they persist could "
			"not be confirmed; a normal CLOSE-WAIT lasts milliseconds, so re-run "
			"with more samples. ");
		return;
	}
	if (t->min >= CW_PERSIST_MIN)
		diag_appendf(buf, size, "They persisted across %u samples %s",
			ser->n, finding_span(sp, "over", series_span_s(ser)));
	else
		diag_appendf(buf, size, "The pile rose at every sample %s",
			finding_span(sp, "over", series_span_s(ser)));
	if (t->rising && t->last > t->first)
		diag_appendf(buf, size, " and grew by %s", fmt_thousands(a, t->last - t->first));
	diag_appendf(buf, size, "; a normal CLOSE-WAIT lasts milliseconds. ");
}

static const char NO_SYSCTL[] =
	"No sysctl fixes this: CLOSE-WAIT has no timeout, and TCP keepalive can at "
	"most reset the connection; the socket and its fd stay until the app calls "
	"close() or exits. Restarting it frees them now; the real fix is in its code.";

/* The N ports with the most CLOSE-WAIT in s, at least CW_PERSIST_MIN each. */
static unsigned top_ports(const struct sample *s, uint16_t *out, unsigned max)
{
	return diag_top_ports(s->close_wait_by_port, CW_PERSIST_MIN, out, max);
}

static void finish(struct finding *f, const char *verify)
{
	snprintf(f->verify_command, sizeof(f->verify_command), "%s", verify);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the count drops to near 0 and stays there");
}

static bool report_group(const struct rule *self, const struct series *ser,
			 const struct sample *last, const struct cw_group *g, struct findings *out)
{
	const struct s_proc *p = g->one;
	struct cw_key k = { .kind = CW_GROUP, .pid = p->pid };
	struct cw_trend t;
	enum severity sev;
	struct finding *f;
	char grep[64], tr[FINDING_TEXT], a[32], b[32];
	uint16_t ports[CW_PORTS_SHOWN];
	unsigned np;
	uint32_t read_not_closed = g->count - g->unread;

	memcpy(k.comm, p->comm, sizeof(k.comm));
	trend_of(ser, &k, &t);
	if (!judge(ser, &t, &sev))
		return false;
	f = rule_finding(out, self, 0, sev, SIDE_APP);
	if (!f)
		return false;
	if (g->pids == 1 || !p->comm[0]) {
		snprintf(f->subject, sizeof(f->subject), "process %s[%u]", p->comm, p->pid);
		snprintf(grep, sizeof(grep), "grep -c 'pid=%u,'", p->pid);
	} else {
		snprintf(f->subject, sizeof(f->subject), "processes %s (%u pids)", p->comm, g->pids);
		snprintf(grep, sizeof(grep), "grep -c '\"%s\",pid='", p->comm);
	}
	trend_text(tr, sizeof(tr), ser, &k);
	finding_evidence(f, "ss -tanp state close-wait | %s: %s", grep, tr);
	if (ser->n >= 2 && per_socket(ser))
		finding_evidence(f, "matched per socket (cookie): of the sockets in CLOSE-WAIT in the "
				 "last sample, how many were already in CLOSE-WAIT at each sample");
	else if (ser->n >= 2 && owners_only_last(ser))
		finding_evidence(f, "owners were looked up in the last sample only: earlier counts are "
				 "the namespace's CLOSE-WAIT, capped at what %s holds now", f->subject);
	finding_evidence(f, "Recv-Q >= 1 (EOF never read): %s; Recv-Q 0 (EOF read, close() "
			 "not called): %s (last sample)", fmt_thousands(a, g->unread), fmt_thousands(b, read_not_closed));
	if (g->pids == 1 && p->has_limit)
		finding_evidence(f, "ls /proc/%u/fd | wc -l: %s; /proc/%u/limits Max open files "
				 "(soft): %s", p->pid, fmt_thousands(a, p->fds), p->pid,
				 fmt_thousands(b, p->nofile_soft));
	np = top_ports(last, ports, CW_PORTS_SHOWN);
	for (unsigned i = 0; i < np; i++)
		finding_evidence(f, "ss -tan state close-wait 'sport = :%u': %s in the last "
				 "sample (all owners)", ports[i],
				 fmt_thousands(a, last->close_wait_by_port[ports[i]]));

	snprintf(f->explanation, sizeof(f->explanation),
		 "The %s %s %s TCP connections in CLOSE-WAIT: the peer closed its side and "
		 "the kernel waits for the app to call close(). ", f->subject,
		 g->pids > 1 ? "hold" : "holds", fmt_thousands(a, g->count));
	explain_trend(f->explanation, sizeof(f->explanation), ser, &t);
	if (g->unread)
		diag_appendf(f->explanation, sizeof(f->explanation),
			"%s have Recv-Q >= 1: the app never read the end-of-file, so it stopped "
			"reading them (blocked elsewhere, dropped from its poll set, or idle pool "
			"connections nobody checks). ", fmt_thousands(a, g->unread));
	if (read_not_closed)
		diag_appendf(f->explanation, sizeof(f->explanation),
			"%s have Recv-Q 0: the app read the EOF (read() returned 0) but never "
			"called close(), a missing close() on an EOF or error path. ",
			fmt_thousands(a, read_not_closed));
	diag_appendf(f->explanation, sizeof(f->explanation), "%s", NO_SYSCTL);
	snprintf(tr, sizeof(tr), "ss -tanp state close-wait | %s", grep);
	finish(f, tr);
	return true;
}

/* Programs ranked by the CLOSE-WAIT they hold in the last sample. */
static bool by_program(const struct rule *self, const struct series *ser, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct cw_group top[CW_PROC_FINDINGS_MAX];
	unsigned n = 0;
	bool any = false;

	for (uint32_t i = 0; i < last->n_procs; i++) {
		const struct s_proc *p = &last->procs[i];
		struct cw_group g;
		bool seen = false;
		unsigned at;

		if (!p->close_wait)
			continue;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = last->procs[j].close_wait && in_group(&last->procs[j], p->comm, p->pid);
		if (seen)
			continue;
		group_of(last, p->comm, p->pid, &g);
		if (g.count < CW_PERSIST_MIN)
			continue;
		for (at = n; at > 0 && top[at - 1].count < g.count; at--)
			;
		if (at >= CW_PROC_FINDINGS_MAX)
			continue;
		if (n < CW_PROC_FINDINGS_MAX)
			n++;
		memmove(&top[at + 1], &top[at], (n - 1 - at) * sizeof(top[0]));
		top[at] = g;
	}
	for (unsigned i = 0; i < n; i++)
		any |= report_group(self, ser, last, &top[i], out);
	return any;
}

static const char *owner_gap(const struct sample *s, char *buf, size_t size)
{
	for (uint32_t i = 0; i < s->n_unavailable; i++)
		if (!strcmp(s->unavailable[i].what, "process owners"))
			return s->unavailable[i].why;
	if (!(s->have & HAVE_OWNERS))
		return "the process map was not built";
	for (uint32_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].close_wait) {
			snprintf(buf, size, "no single program holds %u or more of them",
				 CW_PERSIST_MIN);
			return buf;
		}
	return "no process in the process map held them";
}

static void port_finding(const struct rule *self, const struct series *ser, const struct cw_key *k,
			 const struct cw_trend *t, enum severity sev, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct finding *f = rule_finding(out, self, 0, sev, SIDE_APP);
	char tr[FINDING_TEXT], filt[32] = "", a[32], gap[64];

	if (!f)
		return;
	if (k->kind == CW_PORT) {
		snprintf(filt, sizeof(filt), " 'sport = :%u'", k->port);
		snprintf(f->subject, sizeof(f->subject), "local port %u", k->port);
	} else {
		snprintf(f->subject, sizeof(f->subject), "host");
	}
	trend_text(tr, sizeof(tr), ser, k);
	finding_evidence(f, "ss -tan state close-wait%s: %s%s", filt, tr,
			 k->kind == CW_REST && k->n_excl ? " (ports reported separately excluded)" : "");
	finding_evidence(f, "owning process not attributed: %s", owner_gap(last, gap, sizeof(gap)));
	if (ser->n >= 2 && per_socket(ser))
		finding_evidence(f, "matched per socket (cookie): of the sockets in CLOSE-WAIT in the "
				 "last sample, how many were already in CLOSE-WAIT at each sample");

	if (k->kind == CW_PORT)
		snprintf(f->explanation, sizeof(f->explanation),
			 "%s TCP connections on local port %u%s are in CLOSE-WAIT: the peer "
			 "closed and the application using the port has not called close(). ",
			 fmt_thousands(a, t->last), k->port,
			 sample_port_listening(last, k->port)
				 ? " (a port this host listens on)" : "");
	else
		snprintf(f->explanation, sizeof(f->explanation),
			 "%s TCP connections in CLOSE-WAIT are spread over many local ports, "
			 "typically client connections whose server closed first, which the "
			 "application has not closed. ", fmt_thousands(a, t->last));
	explain_trend(f->explanation, sizeof(f->explanation), ser, t);
	diag_appendf(f->explanation, sizeof(f->explanation),
		"The owner is unknown, so check Recv-Q in the verify command: >= 1 means the "
		"app never read the EOF, 0 means it read it but never called close(). %s",
		NO_SYSCTL);
	snprintf(tr, sizeof(tr), "ss -tanp state close-wait%s", filt);
	finish(f, tr);
}

/* Without owners: the busiest ports, then the rest of the host. */
static void by_port(const struct rule *self, const struct series *ser, struct findings *out)
{
	const struct sample *last = series_last(ser);
	uint16_t ports[CW_PORT_FINDINGS_MAX];
	unsigned np = top_ports(last, ports, CW_PORT_FINDINGS_MAX);
	struct cw_key rest = { .kind = CW_REST };
	struct cw_trend t;
	enum severity sev;

	for (unsigned i = 0; i < np; i++) {
		struct cw_key k = { .kind = CW_PORT, .port = ports[i] };

		trend_of(ser, &k, &t);
		if (!judge(ser, &t, &sev))
			continue;
		port_finding(self, ser, &k, &t, sev, out);
		rest.excl[rest.n_excl++] = ports[i];
	}
	trend_of(ser, &rest, &t);
	if (judge(ser, &t, &sev))
		port_finding(self, ser, &rest, &t, sev, out);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	(void)o;
	if (!ser->n)
		return;
	if (!by_program(self, ser, out))
		by_port(self, ser, out);
}

const struct rule rule_close_wait_leak = {
	.ids = { "close-wait-leak" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "CLOSE-WAIT persisting or growing, per process",
};
