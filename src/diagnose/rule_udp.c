// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp-receive-buffer: a UDP socket dropping datagrams because its
 * receive buffer is full (skmem d rising, Recv-Q near skmem rb; the
 * namespace's UdpRcvbufErrors counts the same drops,
 * kernel-facts.md "UDP receive buffer drops").
 *
 * Whose fix it is: a queue full in every sample is a reader that cannot
 * keep up, and a bigger buffer only delays the same drops (APP). A queue
 * that drains between samples while drops rise is a buffer too small for
 * the bursts: when rb is twice net.core.rmem_max the app asked for more
 * and the kernel capped it (KERNEL: raise rmem_max); when rb equals
 * net.core.rmem_default the app never set SO_RCVBUF, and otherwise it
 * set a small one (APP: its SO_RCVBUF, which rmem_max caps).
 *
 * udp-send-buffer-errors: the namespace's UdpSndbufErrors rising: some
 * app's non-blocking sendto() fails because its send buffer is full.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/* Proposed buffer: the next power of two at or above four times the
 * current one (room for a burst), at least 8 MiB (what busy syslog and
 * DNS receivers are usually given), at most 256 MiB (beyond that a
 * reader that cannot keep up is only hidden longer). */
#define UDP_BUF_FACTOR 4
#define UDP_BUF_FLOOR (8u << 20)
#define UDP_BUF_CEIL (256u << 20)

enum udp_cause {
	UDP_SLOW_READER,   /* full in every sample */
	UDP_RMEM_MAX,      /* drains; rb = 2 * rmem_max: SO_RCVBUF capped */
	UDP_NO_RCVBUF,     /* drains; rb = rmem_default: SO_RCVBUF never set */
	UDP_SMALL_RCVBUF,  /* drains; the app set a small SO_RCVBUF */
	UDP_ONE_SAMPLE,
};

struct udp_view {
	const struct s_udp *u;     /* in the last sample */
	const struct s_proc *owner;
	unsigned seen, full, first;
	bool full_last;
	uint32_t d_from, d_to, rq_max;
	int64_t rmem_max, rmem_default;
	bool max_known, def_known;
	enum udp_cause cause;
};

static void view_build(const struct series *ser, const struct s_udp *ref, struct udp_view *v)
{
	const struct sample *last = series_last(ser);

	memset(v, 0, sizeof(*v));
	v->u = ref;
	for (unsigned i = 0; i < ser->n; i++)
		for (uint32_t k = 0; k < ser->s[i]->n_udp; k++) {
			const struct s_udp *x = &ser->s[i]->udp[k];

			if (x->cookie != ref->cookie)
				continue;
			if (!v->seen++) {
				v->first = i;
				v->d_from = x->drops;
			}
			v->d_to = x->drops;
			if (sample_udp_full(x)) {
				v->full++;
				v->full_last = i == ser->n - 1;
			}
			if (x->rq > v->rq_max)
				v->rq_max = x->rq;
			if (diag_owner(ser->s[i], x->owner))
				v->owner = diag_owner(ser->s[i], x->owner);
			break;
		}
	v->max_known = sample_sysctl(last, SYSCTL_RMEM_MAX, &v->rmem_max);
	v->def_known = sample_sysctl(last, SYSCTL_RMEM_DEFAULT, &v->rmem_default);
	if (v->seen < 2)
		v->cause = UDP_ONE_SAMPLE;
	else if (v->full == v->seen)
		v->cause = UDP_SLOW_READER;
	else if (v->max_known && (int64_t)ref->rb >= 2 * v->rmem_max)
		v->cause = UDP_RMEM_MAX;
	else if (v->def_known && (int64_t)ref->rb == v->rmem_default)
		v->cause = UDP_NO_RCVBUF;
	else
		v->cause = UDP_SMALL_RCVBUF;
}

static uint64_t propose(uint64_t cur)
{
	uint64_t v = 1;

	while (v < cur * UDP_BUF_FACTOR || v < UDP_BUF_FLOOR)
		v <<= 1;
	return v > UDP_BUF_CEIL ? UDP_BUF_CEIL : v;
}

static void evidence(struct finding *f, const struct series *ser, const struct udp_view *v)
{
	char sp[FINDING_SPAN_MAX];
	const struct s_udp *u = v->u;

	finding_evidence(f, "ss -uanm 'sport = :%u': Recv-Q at most %u of skmem rb%u; full (>= %u %%) in %u of %u samples",
			 u->port, v->rq_max, u->rb, SAMPLE_UDP_FULL_PCT, v->full, v->seen);
	if (v->seen >= 2)
		finding_evidence(f, "ss -uanm 'sport = :%u': skmem d%u -> d%u (+%u %s)", u->port,
				 v->d_from, v->d_to, v->d_to - v->d_from,
				 finding_span(sp, "in", series_between_s(ser, v->first, ser->n - 1)));
	else
		finding_evidence(f, "ss -uanm 'sport = :%u': skmem d%u (drops since the socket was created)",
				 u->port, v->d_to);
	if (ser->n >= 2)
		finding_evidence(f, "nstat -az UdpRcvbufErrors Udp6RcvbufErrors: rose by %llu %s (whole network namespace)",
				 (unsigned long long)(diag_mib_delta(ser, "UdpRcvbufErrors") +
						      diag_mib_delta(ser, "Udp6RcvbufErrors")),
				 finding_span(sp, "in", series_span_s(ser)));
	if (v->max_known && v->def_known)
		finding_evidence(f, "sysctl net.core.rmem_max net.core.rmem_default: %lld, %lld (rb%u is %s)",
				 (long long)v->rmem_max, (long long)v->rmem_default, u->rb,
				 v->cause == UDP_RMEM_MAX ? "2 x rmem_max: SO_RCVBUF was capped" :
				 (int64_t)u->rb == v->rmem_default ? "rmem_default: SO_RCVBUF never set" :
				 "SO_RCVBUF as the app set it, doubled");
}

static void explain(struct finding *f, const struct udp_view *v)
{
	char *x = f->explanation;
	size_t xs = sizeof(f->explanation);

	diag_appendf(x, xs, "A UDP socket queues datagrams until the app reads them, up to its receive buffer (skmem rb, twice SO_RCVBUF); when the queue reaches it the kernel drops each new datagram, counts it in skmem d and UdpRcvbufErrors, and tells nobody: the sender sees no error. ");
	switch (v->cause) {
	case UDP_SLOW_READER:
		diag_appendf(x, xs, "It was full in every sample: the reader cannot keep up with the arrival rate (one thread, slow processing per datagram, or blocked). A bigger buffer would only delay the same drops; read faster (more reader threads or SO_REUSEPORT sockets, recvmmsg(), less work per datagram) or send less. ");
		break;
	case UDP_RMEM_MAX:
		diag_appendf(x, xs, "It drains between samples while drops rise: bursts outgrow the buffer, and rb %u is 2 x net.core.rmem_max: the app asked for a bigger SO_RCVBUF and the kernel capped it. Raise rmem_max (host-wide); the app gets the bigger buffer at its next setsockopt(SO_RCVBUF), usually a restart. ",
			     v->u->rb);
		break;
	case UDP_NO_RCVBUF:
		diag_appendf(x, xs, "It drains between samples while drops rise: bursts outgrow the buffer, and rb %u equals net.core.rmem_default: the app never set SO_RCVBUF. Set it in the app (e.g. unbound so-rcvbuf, rsyslog/syslog-ng so_rcvbuf, SO_RCVBUF in code), within net.core.rmem_max; raising rmem_default instead would grow every socket on the host. ",
			     v->u->rb);
		break;
	case UDP_SMALL_RCVBUF:
		diag_appendf(x, xs, "It drains between samples while drops rise: bursts outgrow the buffer, and rb %u is what the app's own SO_RCVBUF gives (below rmem_max): raise the app's SO_RCVBUF. ",
			     v->u->rb);
		break;
	case UDP_ONE_SAMPLE:
		diag_appendf(x, xs, "Only one sample: whether drops are rising, and whether the reader or the buffer size is the limit, could not be confirmed; rerun with more samples before changing anything. ");
		break;
	}
	diag_trim(x);
}

static void change(struct finding *f, const struct udp_view *v)
{
	uint64_t want = propose(v->u->rb / 2);
	struct change *c;

	if (v->cause == UDP_RMEM_MAX && want > (uint64_t)v->rmem_max) {
		c = finding_change_sysctl(f, "net.core.rmem_max", v->rmem_max, (int64_t)want);
		if (c)
			snprintf(c->effective, sizeof(c->effective),
				 "at the app's next setsockopt(SO_RCVBUF) (restart it); host-wide, sockets already open keep rb%u",
				 v->u->rb);
		return;
	}
	if ((v->cause != UDP_NO_RCVBUF && v->cause != UDP_SMALL_RCVBUF) || !(c = finding_change(f)))
		return;
	if (v->owner)
		snprintf(c->setting, sizeof(c->setting), "SO_RCVBUF of %s[%u] (its config)",
			 v->owner->comm, v->owner->pid);
	else
		snprintf(c->setting, sizeof(c->setting), "SO_RCVBUF of the app on UDP port %u (its config)",
			 v->u->port);
	snprintf(c->current, sizeof(c->current), "%u", v->u->rb / 2);
	snprintf(c->proposed, sizeof(c->proposed), "%llu", (unsigned long long)want);
	snprintf(c->backout, sizeof(c->backout), "set it back to %u (or remove the setting) and restart the app",
		 v->u->rb / 2);
	snprintf(c->effective, sizeof(c->effective),
		 "at the app's restart; net.core.rmem_max (%lld) caps it, so raise that too if it is lower",
		 (long long)v->rmem_max);
}

static void emit(const struct rule *self, const struct series *ser, const struct udp_view *v,
		 struct findings *out)
{
	enum side side = v->cause == UDP_RMEM_MAX ? SIDE_KERNEL : SIDE_APP;
	enum severity sev = v->seen >= 2 && v->full_last ? SEV_CRITICAL : SEV_WARNING;
	struct finding *f = rule_finding(out, self, 0, sev, side);
	char ep[ADDR_STR_MAX];

	if (!f)
		return;
	addr_endpoint(ep, v->u->family, v->u->addr, v->u->port);
	diag_appendf(f->subject, sizeof(f->subject), "UDP socket %s", ep);
	if (v->owner)
		diag_appendf(f->subject, sizeof(f->subject), " (process %s[%u])", v->owner->comm, v->owner->pid);
	evidence(f, ser, v);
	explain(f, v);
	change(f, v);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -uanm 'sport = :%u'; nstat -az UdpRcvbufErrors Udp6RcvbufErrors", v->u->port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "skmem d stops growing and Recv-Q stays well below rb");
}

/* The namespace counted receive-buffer drops, but no socket kept showed
 * them rise (it closed between samples, or the sample's bound was hit). */
static void emit_host(const struct rule *self, const struct series *ser, uint64_t d,
		      struct findings *out)
{
	char sp[FINDING_SPAN_MAX];
	struct finding *f = rule_finding(out, self, 0, SEV_WARNING, SIDE_APP);

	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (network namespace)");
	finding_evidence(f, "nstat -az UdpRcvbufErrors Udp6RcvbufErrors: rose by %llu %s (whole network namespace)",
			 (unsigned long long)d, finding_span(sp, "in", series_span_s(ser)));
	finding_evidence(f, "ss -uanm: no UDP socket showed skmem d rising in any of %u samples", ser->n);
	snprintf(f->explanation, sizeof(f->explanation),
		 "Some UDP socket dropped datagrams on a full receive buffer, but the samples did not catch which one (it closed between samples, or drops came in short bursts). Watch ss -uanm during the load for a socket whose skmem d climbs and whose Recv-Q nears rb.");
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -uanm; nstat -az UdpRcvbufErrors Udp6RcvbufErrors");
	snprintf(f->fixed_when, sizeof(f->fixed_when), "UdpRcvbufErrors and Udp6RcvbufErrors stop growing");
}

/* Send-buffer errors: only the namespace counts them, per socket nothing
 * does (kernel-facts.md "UDP send buffer errors"). */
static void emit_sndbuf(const struct rule *self, const struct series *ser, uint64_t d,
			struct findings *out)
{
	char sp[FINDING_SPAN_MAX];
	struct finding *f = rule_finding(out, self, 1, SEV_WARNING, SIDE_APP);

	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (network namespace)");
	finding_evidence(f, "nstat -az UdpSndbufErrors Udp6SndbufErrors: rose by %llu %s (whole network namespace)",
			 (unsigned long long)d, finding_span(sp, "in", series_span_s(ser)));
	snprintf(f->explanation, sizeof(f->explanation),
		 "An app sends UDP faster than its datagrams leave: they wait in the device queue (a slow, shaped or busy link) and hold the socket's send buffer (SO_SNDBUF, net.core.wmem_default), so a non-blocking sendto() fails with EAGAIN or ENOBUFS, each counted here, and that datagram is not sent unless the app retries. Look for the sender with ss -uanm (Send-Q, skmem w near tb) and check whether it handles EAGAIN; a bigger SO_SNDBUF only absorbs bursts, it does not make the link faster.");
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "nstat -az UdpSndbufErrors Udp6SndbufErrors; ss -uanm");
	snprintf(f->fixed_when, sizeof(f->fixed_when), "UdpSndbufErrors and Udp6SndbufErrors stop growing");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	unsigned found = 0;
	uint64_t d;

	(void)o;
	for (uint32_t i = 0; i < last->n_udp; i++) {
		struct udp_view v;

		view_build(ser, &last->udp[i], &v);
		if ((v.seen >= 2 && v.d_to > v.d_from) || (v.seen < 2 && v.full_last)) {
			emit(self, ser, &v, out);
			found++;
		}
	}
	d = diag_mib_delta(ser, "UdpRcvbufErrors") + diag_mib_delta(ser, "Udp6RcvbufErrors");
	if (!found && ser->n >= 2 && d)
		emit_host(self, ser, d, out);
	d = diag_mib_delta(ser, "UdpSndbufErrors") + diag_mib_delta(ser, "Udp6SndbufErrors");
	if (ser->n >= 2 && d)
		emit_sndbuf(self, ser, d, out);
}

const struct rule rule_udp_receive_buffer = {
	.ids = { "udp-receive-buffer", "udp-send-buffer-errors" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = HAVE_UDP,
	.check = check,
	.summary = "a UDP socket drops datagrams on a full receive buffer (skmem d, UdpRcvbufErrors), or sends fail on a full send buffer",
};
