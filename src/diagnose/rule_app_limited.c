// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app-limited: a --peer connection that is slow because the sending
 * application gives it little to send. tcp_info's busy time only runs
 * while data is queued or in flight (kernel-facts.md "tcp_info fields": the sender writing
 * 1 KB every 50 ms showed app_limited and busy:12ms), so busy time far
 * below the wall clock, with the delivery-rate samples marked
 * app-limited, nothing unsent and no window or buffer limit, means the
 * network and the kernel are waiting on the application.
 *
 * Only for --peer connections: most connections are idle most of the
 * time, and that is normal. Only when this end is the sender (it got
 * more bytes acknowledged than it received): app_limited describes our
 * sending, so on the receiving end of a download it says nothing, and a
 * request/response client waiting for its answer would otherwise be
 * blamed for the server's slowness.
 */
#include "rules.h"

#include <stdio.h>

#include "../model/addr.h"
#include "conn_track.h"

/*
 * Busy time below this share of the elapsed window: the connection had
 * nothing to send at least four fifths of the time. A bulk sender limited
 * by anything else (path, window, buffer) is busy close to 100 %.
 */
#define APP_BUSY_MAX_PCT 20

/*
 * Send-Q at most this many bytes: a few small writes in flight. A sender
 * with a backlog keeps its buffer full (hundreds of KiB to MiB on any
 * autotuned socket); 64 KiB is below the smallest autotuned buffer of a
 * connection that ever ran at speed.
 */
#define APP_SENDQ_SMALL 65536

/*
 * rwnd_limited + sndbuf_limited below this share of the busy time: the
 * peer's window and our buffer were not in the way either (their own
 * rules start at 50 % and 25 %; a tenth leaves room for brief stalls).
 */
#define OTHER_LIMIT_MAX_PCT 10

/* Findings are bounded (shared FINDINGS_MAX); each lists its worst few. */
#define GROUPS_MAX 4
#define CONNS_PER_FINDING 3
#define CANDIDATES_MAX 256

/* Busy share of the window in 0.1 %; 0 without a trend (no window). */
static unsigned busy_permille(const struct conn_track *t)
{
	if (!t->trend || t->span <= 0)
		return 0;
	return (unsigned)((double)t->busy_us / (t->span * 1e6) * 1000.0 + 0.5);
}

static uint64_t other_limits(const struct conn_track *t)
{
	return t->rwnd_limited_us + t->sndbuf_limited_us;
}

static bool qualifies(struct conn_track *t, const void *ctx)
{
	const struct s_conn *c = t->c;
	uint64_t limited = other_limits(t);
	unsigned permille = busy_permille(t);

	(void)ctx;
	/* Only what was a --peer connection when first seen. */
	if (!t->c0->peer)
		return false;
	if (!c->peer || !c->app_limited || c->notsent_bytes || c->wq > APP_SENDQ_SMALL)
		return false;
	if (c->has_snd_wnd && !c->snd_wnd)
		return false;
	/* This end must be the sender, and have sent something. */
	if (!t->bytes_acked || t->bytes_acked <= t->bytes_received)
		return false;
	if (limited * 100 >= t->busy_us * OTHER_LIMIT_MAX_PCT && limited)
		return false;
	if (t->trend && !(t->span > 0 && permille < APP_BUSY_MAX_PCT * 10))
		return false;
	/* With a trend before without, then the idlest. */
	t->kind = t->trend;
	t->rank[0] = t->trend;
	t->rank[1] = UINT64_MAX - permille;
	return true;
}

static void conn_evidence(struct finding *f, const struct conn_track *t, const void *ctx)
{
	const struct s_conn *c = t->c;
	unsigned permille = busy_permille(t);
	char ss[160], who[48];

	(void)ctx;
	conn_track_who(who, sizeof(who), t);
	conn_track_ss(ss, sizeof(ss), c);
	if (t->trend)
		finding_evidence(f, "%s: busy %llu ms of %.0f ms (%u.%u%%), app_limited, delivery_rate %llubps, notsent %u, Send-Q %u%s",
				 ss, (unsigned long long)(t->busy_us / 1000), t->span * 1000.0,
				 permille / 10, permille % 10,
				 (unsigned long long)c->delivery_rate * 8, c->notsent_bytes, c->wq, who);
	else
		finding_evidence(f, "%s: busy %llu ms over the connection's life, app_limited, delivery_rate %llubps, notsent %u, Send-Q %u%s",
				 ss, (unsigned long long)(t->busy_us / 1000),
				 (unsigned long long)c->delivery_rate * 8, c->notsent_bytes, c->wq, who);
}

static void emit(const struct rule *self, const struct series *ser, const struct focus *o,
		 struct conn_track *cand, unsigned n_cand, unsigned lead, struct findings *out)
{
	struct conn_track *v = &cand[lead];
	const struct s_conn *c = v->c;
	char r[ADDR_STR_MAX];
	bool slow = o && o->symptom == SYMPTOM_SLOW;
	unsigned permille = busy_permille(v);
	struct finding *f;
	char *x;
	size_t xs;

	f = rule_finding(out, self, 0, slow && v->trend ? SEV_WARNING : SEV_INFO, SIDE_APP);
	if (!f)
		return;
	addr_endpoint(r, c->family, c->daddr, c->dport);
	conn_track_subject(f, v);
	conn_track_list(ser, cand, n_cand, lead, CONNS_PER_FINDING, f, conn_evidence, NULL);

	x = f->explanation;
	xs = sizeof(f->explanation);
	if (v->trend)
		diag_appendf(x, xs, "This end had data queued only %u.%u%% of the time: the rest of the time the connection sat idle because the application had given it nothing to send. ",
			     permille / 10, permille % 10);
	else
		diag_appendf(x, xs, "At the moment sampled this end had nothing queued and its recent rate samples were marked app-limited: the connection was waiting for the application to give it data. ");
	diag_appendf(x, xs, "The network and the kernel are not the bottleneck here: the peer's window and the send buffer were not in the way and nothing waited unsent. The sender writes too little or too rarely (small writes with pauses, or it waits on something upstream such as a database, a disk or another service before writing). Look at what the sending application does between writes. Nagle or TCP_CORK are not the fix unless the complaint is per-message latency of many tiny writes; no sysctl changes this. ");
	if (!v->trend)
		diag_appendf(x, xs, "Only one look at this connection: how much of the time it sits idle could not be measured, so no trend was confirmed.");
	else if (slow)
		diag_appendf(x, xs, "This is the likely answer to \"why is it slow\" for this connection.");

	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tin dst %s", r);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "busy time grows about as fast as the wall clock between runs (the sender always has data queued) and app_limited is gone");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	struct conn_track cand[CANDIDATES_MAX];
	unsigned n_cand = conn_track_collect(ser, cand, CANDIDATES_MAX, qualifies, NULL);

	for (unsigned k = 0, groups = 0; groups < GROUPS_MAX &&
	     (k = conn_track_next_lead(cand, n_cand, k)) < n_cand; groups++)
		emit(self, ser, o, cand, n_cand, k, out);
}

const struct rule rule_app_limited = {
	.ids = { "app-limited" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = 0,              /* not HAVE_CONNS: see conn_track.h */
	.check = check,
	.summary = "--peer: the sending application leaves the connection idle",
};
