// SPDX-License-Identifier: GPL-2.0-or-later
#include "triage_run.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "../collect/sample_collect.h"
#include "../collect/sockdiag.h"
#include "../diagnose/rules.h"
#include "../diagnose/verdict.h"

void triage_sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Where sample i goes: slot 0 keeps the first, the rest is a ring. */
static unsigned keep_slot(unsigned i)
{
	return i == 0 ? 0 : 1 + (i - 1) % (TRIAGE_KEEP - 1);
}

double triage_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The kept samples in time order: the first, then the newest ones. */
static void keep_order(struct triage_run *t)
{
	unsigned n = t->samples < TRIAGE_KEEP ? t->samples : TRIAGE_KEEP;
	unsigned first = t->samples - (n - 1);

	t->cs[0] = t->buf[0];
	for (unsigned k = 1; k < n; k++)
		t->cs[k] = t->buf[keep_slot(first + k - 1)];
	t->ser.s = t->cs;
	t->ser.n = n;
	t->ser.interval_s = t->interval;
}

static int prepare(struct triage_run *t, struct strbuf *err)
{
	if (!t->fs)
		t->fs = calloc(1, sizeof(*t->fs));
	if (!t->trace && (t->trace = malloc(sizeof(*t->trace))))
		trace_init(t->trace);
	if (!t->fs || !t->trace)
		return error_set(err, "out of memory");
	if (t->o.peer.set && !t->peer_bc) {
		t->peer_bc = malloc(sizeof(*t->peer_bc));
		if (!t->peer_bc || filter_peer_compile(&t->o.peer, t->peer_bc, err))
			return t->peer_bc ? -1 : error_set(err, "out of memory");
	}
	return 0;
}

int triage_run(struct triage_run *t, struct strbuf *err)
{
	/* One sock_diag socket for every sample of the run, opened in the
	 * namespace being triaged and closed before the caller leaves it. */
	struct diag_session *ds = NULL;
	int ret = -1;

	if (prepare(t, err) || sockdiag_session_open(&ds, err))
		return -1;
	for (unsigned i = 0; i < t->samples; i++) {
		struct sample_opts so = { .want_port = t->o.port, .session = ds };
		bool lastone = i + 1 == t->samples;
		unsigned k = keep_slot(i);
		double t0;

		/* Owners and the kernel log once, in the last sample: enough
		 * for attribution, and the walk is the expensive part. fd
		 * counts in every sample (one stat per process), so a leak's
		 * climb is seen (rule_fd). */
		so.owners = lastone ? SAMPLE_OWNERS_AUTO : SAMPLE_OWNERS_COUNTS;
		so.kmsg = lastone;
		so.peer = t->o.peer;
		if (t->peer_bc) {
			so.peer_bc = t->peer_bc->code;
			so.peer_bc_len = t->peer_bc->len;
		}
		if (!t->buf[k])
			t->buf[k] = malloc(sizeof(*t->buf[k]));
		if (!t->buf[k]) {
			error_set(err, "out of memory");
			goto out;
		}
		if (i)
			triage_sleep_s(t->interval);
		t0 = triage_mono_s();
		if (sample_collect(t->buf[k], &so, err))
			goto out;
		trace_add(t->trace, t->buf[k], triage_mono_s() - t0);
	}
	ret = 0;
out:
	sockdiag_session_close(ds);
	if (ret)
		return ret;
	keep_order(t);
	diagnose_run(&t->ser, &t->o, t->fs);
	return 0;
}

void triage_run_release(struct triage_run *t)
{
	for (unsigned i = 0; i < TRIAGE_KEEP; i++) {
		free(t->buf[i]);
		t->buf[i] = NULL;
	}
	free(t->fs);
	free(t->peer_bc);
	free(t->trace);
	t->trace = NULL;
	t->fs = NULL;
}

int triage_exit_status(const struct findings *fs)
{
	struct verdict v;

	verdict_of(fs, &v);
	if (v.healthy)
		return SV_EXIT_OK;
	return v.severity == SEV_CRITICAL ? SV_EXIT_CRITICAL : SV_EXIT_WARNING;
}
