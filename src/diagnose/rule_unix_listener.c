// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unix-accept-queue-overflow: a UNIX stream or seqpacket listener (the
 * nginx -> php-fpm / uwsgi / gunicorn socket) whose accept queue is full.
 * Its queue works as TCP's: Recv-Q is the connections waiting for
 * accept(), Send-Q the limit min(backlog, somaxconn), and the queue holds
 * Send-Q + 1, so "full" is Recv-Q > Send-Q
 * (kernel-facts.md "UNIX listener accept queue"). A full queue makes a
 * non-blocking connect() fail with EAGAIN ("11: Resource temporarily
 * unavailable" in nginx's log) and a blocking one wait. There is no
 * per-socket drop counter and no SNMP counter for UNIX sockets, so the
 * queue in each sample is all the evidence there is.
 *
 * As for TCP, the verdict leans away from "raise somaxconn": a queue
 * full in every sample is a pool that does not accept (too few workers,
 * all busy); only a queue capped by somaxconn that drains between
 * samples is the kernel's limit.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

/*
 * Proposed somaxconn or backlog: the next power of two at or above four
 * times the current cap (room for a burst without hiding a pool that
 * cannot keep up), at least UX_PROPOSE_FLOOR (the kernel's default
 * somaxconn since 5.4) and at most UX_PROPOSE_CEIL (older kernels keep
 * the backlog in 16 bits).
 */
#define UX_PROPOSE_FACTOR 4
#define UX_PROPOSE_FLOOR 4096
#define UX_PROPOSE_CEIL 65535

enum ux_cause {
	UX_STALLED,     /* full in every sample: the pool does not accept */
	UX_APP_BACKLOG, /* Send-Q below somaxconn: the app's backlog is the cap */
	UX_SOMAXCONN,   /* Send-Q == somaxconn and the queue drains between samples */
	UX_BURST,       /* one sample, or the cap unknown */
};

struct ux_view {
	const struct s_ulistener *u;    /* in the last sample */
	const struct s_proc *owner;
	unsigned seen, full;
	bool full_last;
	uint32_t rq_max;
	bool somax_known;
	int64_t somaxconn;
	enum ux_cause cause;
};

static void view_build(const struct series *ser, const struct s_ulistener *ref,
		       struct ux_view *v)
{
	memset(v, 0, sizeof(*v));
	v->u = ref;
	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];

		for (uint32_t k = 0; k < s->n_ulisteners; k++) {
			const struct s_ulistener *x = &s->ulisteners[k];

			if (x->inode != ref->inode)
				continue;
			v->seen++;
			if (x->rq > x->wq) {
				v->full++;
				v->full_last = i == ser->n - 1;
			}
			if (x->rq > v->rq_max)
				v->rq_max = x->rq;
			if (diag_owner(s, x->owner))
				v->owner = diag_owner(s, x->owner);
			break;
		}
	}
	v->somax_known = sample_sysctl(series_last(ser), SYSCTL_SOMAXCONN, &v->somaxconn);
	if (v->seen >= 2 && v->full == v->seen)
		v->cause = UX_STALLED;
	else if (v->seen >= 2 && v->somax_known && (int64_t)ref->wq < v->somaxconn)
		v->cause = UX_APP_BACKLOG;
	else if (v->seen >= 2 && v->somax_known && (int64_t)ref->wq == v->somaxconn)
		v->cause = UX_SOMAXCONN;
	else
		v->cause = UX_BURST;
}

static uint64_t propose(uint64_t cur, uint64_t ceil)
{
	uint64_t v = 1;

	while (v < cur * UX_PROPOSE_FACTOR || v < UX_PROPOSE_FLOOR)
		v <<= 1;
	return v > ceil ? ceil : v;
}

static void evidence(struct finding *f, const struct ux_view *v)
{
	const struct s_ulistener *u = v->u;

	finding_evidence(f, "ss -xl 'src %s': Recv-Q %u > Send-Q %u (full) in %u of %u samples",
			 u->path, v->rq_max, u->wq, v->full, v->seen);
	if (v->somax_known)
		finding_evidence(f, "sysctl net.core.somaxconn: %lld (Send-Q %u %s it)",
				 (long long)v->somaxconn, u->wq,
				 (int64_t)u->wq == v->somaxconn ? "equals" :
				 (int64_t)u->wq < v->somaxconn ? "is below" : "is above");
	if (v->owner)
		finding_evidence(f, "ss -xlp 'src %s': owned by %s[%u]", u->path,
				 v->owner->comm, v->owner->pid);
}

static void explain(struct finding *f, const struct ux_view *v)
{
	char *x = f->explanation;
	size_t xs = sizeof(f->explanation);
	const struct s_ulistener *u = v->u;

	diag_appendf(x, xs, "A UNIX listener's accept queue holds Send-Q+1 = %u connections until the app calls accept(); when it is full a non-blocking connect() fails with EAGAIN (nginx logs \"connect() to unix:... failed (11: Resource temporarily unavailable)\") and a blocking one waits. ",
		     u->wq + 1);
	switch (v->cause) {
	case UX_STALLED:
		diag_appendf(x, xs, "It was full in every sample: the app behind it does not accept fast enough (all workers busy, too few workers, or the accept loop blocked). Give the pool more workers (php-fpm pm.max_children, gunicorn --workers, uwsgi processes) or find what they wait on; a bigger backlog or somaxconn would only delay the errors. ");
		break;
	case UX_APP_BACKLOG:
		diag_appendf(x, xs, "It drained between samples, and Send-Q %u is below net.core.somaxconn %lld: the cap is the backlog the app passed to listen() (php-fpm listen.backlog, gunicorn --backlog, uwsgi --listen). Raise that; somaxconn caps whatever it asks for. ",
			     u->wq, (long long)v->somaxconn);
		break;
	case UX_SOMAXCONN:
		diag_appendf(x, xs, "It drained between samples, and Send-Q %u equals net.core.somaxconn: the kernel's cap cut the app's backlog (php-fpm listen.backlog, gunicorn --backlog, uwsgi --listen) down. Raise somaxconn, and the app's backlog with it; both apply at the next listen(). ",
			     u->wq);
		break;
	case UX_BURST:
		diag_appendf(x, xs, "Only one sample: whether the pool is stalled or the limit too small for a burst could not be confirmed; rerun with more samples before changing anything. ");
		break;
	}
	diag_trim(x);
}

static void emit(const struct rule *self, const struct ux_view *v, struct findings *out)
{
	enum side side = v->cause == UX_SOMAXCONN ? SIDE_KERNEL : SIDE_APP;
	enum severity sev = v->seen >= 2 && v->full_last ? SEV_CRITICAL : SEV_WARNING;
	struct finding *f = rule_finding(out, self, 0, sev, side);
	struct change *c;

	if (!f)
		return;
	diag_appendf(f->subject, sizeof(f->subject), "UNIX listener %s", v->u->path[0] ? v->u->path : "(unnamed)");
	if (v->owner)
		diag_appendf(f->subject, sizeof(f->subject), " (process %s[%u])", v->owner->comm, v->owner->pid);
	evidence(f, v);
	explain(f, v);
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -xl 'src %s'", v->u->path);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "Recv-Q stays at or below Send-Q and clients stop logging EAGAIN (11: Resource temporarily unavailable)");
	if (v->cause == UX_APP_BACKLOG) {
		finding_change_backlog(f, v->owner, v->u->wq,
				       propose(v->u->wq, (uint64_t)v->somaxconn), v->somaxconn);
	} else if (v->cause == UX_SOMAXCONN &&
		   propose((uint64_t)v->somaxconn, UX_PROPOSE_CEIL) > (uint64_t)v->somaxconn) {
		c = finding_change_sysctl(f, "net.core.somaxconn", v->somaxconn,
					  (int64_t)propose((uint64_t)v->somaxconn, UX_PROPOSE_CEIL));
		if (c)
			snprintf(c->effective, sizeof(c->effective),
				 "only at the next listen(): raise the app's backlog too and restart it; the listener keeps Send-Q %u until then",
				 v->u->wq);
	}
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);

	(void)o;
	for (uint32_t i = 0; i < last->n_ulisteners; i++) {
		struct ux_view v;

		view_build(ser, &last->ulisteners[i], &v);
		if (v.full)
			emit(self, &v, out);
	}
}

const struct rule rule_unix_accept_queue_overflow = {
	.ids = { "unix-accept-queue-overflow" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_REFUSED) | SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = HAVE_UNIX_LISTENERS,
	.check = check,
	.summary = "a UNIX stream listener's accept queue is full (ss -xl Recv-Q > Send-Q): connect() gets EAGAIN",
};
