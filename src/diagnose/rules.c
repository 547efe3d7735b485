// SPDX-License-Identifier: GPL-2.0-or-later
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row per rule; order is irrelevant (findings are sorted after). */
const struct rule rules[] = {
	{ "accept-queue-overflow", rule_accept_queue_overflow,
	  "a listener's accept queue is full or dropping (Recv-Q > Send-Q, skmem d)" },
	{ "syn-queue-overflow", rule_syn_queue_overflow,
	  "SYN queue at Send-Q+1: flood, small backlog, or syncookies off" },
	{ "close-wait-leak", rule_close_wait_leak, "CLOSE-WAIT persisting or growing, per process" },
	{ "fin-wait-2-pile", rule_fin_wait_2_pile, "peers not closing their side" },
	{ "time-wait-pile", rule_time_wait_pile, "TIME-WAIT: normal unless a destination nears the port range" },
	{ "ephemeral-port-exhaustion", rule_ephemeral_port_exhaustion,
	  "client tuples per destination vs the usable port range" },
	{ "fd-exhaustion", rule_fd_exhaustion, "a process near RLIMIT_NOFILE, or file-nr near file-max" },
	{ "conntrack-table-full", rule_conntrack_table_full, "conntrack count near max, drops" },
	{ "tcp-memory-pressure", rule_tcp_memory_pressure, "TCP memory vs tcp_mem" },
	{ "orphan-sockets", rule_orphan_sockets, "orphans vs tcp_max_orphans (x2/x4 penalty)" },
	{ "connection-resets", rule_connection_resets, "resets and failed attempts rising" },
	{ "retransmits", rule_retransmits, "retransmitted share of segments; local failures" },
	{ "no-listener", rule_no_listener, "--port: nothing listens, or only on loopback" },
	{ "receiver-window-limited", rule_receiver_window_limited,
	  "a connection held back by the peer's receive window (closed: the reader; small: its buffer)" },
	{ "sender-buffer-limited", rule_sender_buffer_limited,
	  "a connection held back by its own send buffer (tcp_wmem max, or SO_SNDBUF)" },
	{ "app-limited", rule_app_limited, "--peer: the sending application leaves the connection idle" },
	{ NULL, NULL, NULL },
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

/* Which rules speak to a symptom, so they sort first under --symptom. */
static bool relevant(enum symptom sym, const char *id)
{
	static const struct {
		enum symptom sym;
		const char *ids;
	} map[] = {
		{ SYMPTOM_REFUSED, " no-listener listener-loopback-only accept-queue-overflow syn-queue-overflow " },
		{ SYMPTOM_TIMEOUT, " accept-queue-overflow syn-queue-overflow conntrack-table-full retransmits fd-exhaustion " },
		{ SYMPTOM_RESET, " connection-resets accept-queue-overflow tcp-memory-pressure orphan-sockets " },
		{ SYMPTOM_SLOW, " retransmits receiver-window-limited sender-buffer-limited app-limited accept-queue-overflow " },
		{ SYMPTOM_EXHAUSTION, " ephemeral-port-exhaustion fd-exhaustion conntrack-table-full time-wait-pile close-wait-leak tcp-memory-pressure orphan-sockets " },
	};
	char key[64];

	snprintf(key, sizeof(key), " %s ", id);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sym == sym)
			return strstr(map[i].ids, key) != NULL;
	return false;
}

static int cmp_findings(const void *a, const void *b, void *ctx)
{
	const struct finding *x = a, *y = b;
	enum symptom sym = *(const enum symptom *)ctx;
	bool rx = relevant(sym, x->id), ry = relevant(sym, y->id);

	if (rx != ry)
		return rx ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

void diagnose_run(const struct series *ser, const struct focus *o,
		  struct findings *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n_rules; i++)
		rules[i].check(ser, o, out);
	qsort_r(out->f, out->n, sizeof(out->f[0]), cmp_findings, (void *)&o->symptom);
}
