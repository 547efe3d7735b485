// SPDX-License-Identifier: GPL-2.0-or-later
#include "summary_text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static const char *const table_names[TBL_MAX] = {
	[TBL_NETLINK] = "NETLINK", [TBL_PACKET] = "PACKET", [TBL_UNIX] = "UNIX",
	[TBL_RAW] = "RAW", [TBL_UDP] = "UDP", [TBL_TCP] = "TCP", [TBL_MPTCP] = "MPTCP",
};

/* 12345678 -> "12,345,678": counts are read by tired people. */
static const char *grouped(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static void print_endpoint(FILE *fp, const struct sock_rec *s)
{
	char a[INET6_ADDRSTRLEN];

	if (s->family == AF_INET6) {
		inet_ntop(AF_INET6, s->saddr, a, sizeof(a));
		fprintf(fp, "[%s]:%u", a, s->sport);
	} else {
		inet_ntop(AF_INET, s->saddr, a, sizeof(a));
		fprintf(fp, "%s:%u", a, s->sport);
	}
}

int summary_text_print(FILE *fp, const struct snap_meta *m,
		       const struct sock_tally *t, struct strbuf *err)
{
	char b1[32];

	fprintf(fp, "sockvet: %s, kernel %s, netns %s\n\n", m->host, m->kernel,
		m->netns[0] ? m->netns : "unknown");
	fprintf(fp, "Sockets: %s\n", grouped(t->total, b1, sizeof(b1)));
	for (int tb = TBL_MPTCP; tb >= 0; tb--) {
		uint64_t sum = 0;
		bool first = true;

		for (int st = 0; st < SS_STATE_MAX; st++)
			sum += t->by_state[tb][st];
		if (!sum)
			continue;
		fprintf(fp, "  %-7s %10s ", table_names[tb], grouped(sum, b1, sizeof(b1)));
		for (int st = 0; st < SS_STATE_MAX; st++) {
			if (!t->by_state[tb][st])
				continue;
			fprintf(fp, "%s%s %s", first ? " " : ", ", sock_state_name((unsigned)st),
				grouped(t->by_state[tb][st], b1, sizeof(b1)));
			first = false;
		}
		fputc('\n', fp);
	}
	fprintf(fp, "\nTCP listeners: %s", grouped(t->listeners, b1, sizeof(b1)));
	if (!t->full_listeners) {
		fprintf(fp, ", none with a full accept queue right now.\n");
	} else {
		fprintf(fp, ", %s with a full accept queue (Recv-Q > Send-Q: new "
			"connections are being dropped):\n",
			grouped(t->full_listeners, b1, sizeof(b1)));
		for (unsigned i = 0; i < t->n_full; i++) {
			const struct sock_rec *s = &t->full[i].sock;

			fputs("  ", fp);
			print_endpoint(fp, s);
			fprintf(fp, "  Recv-Q %u > Send-Q %u\n", s->rqueue, s->wqueue);
		}
		if (t->full_listeners > t->n_full)
			fprintf(fp, "  ... and %llu more\n",
				(unsigned long long)(t->full_listeners - t->n_full));
	}
	fprintf(fp, "\nThis is a one-sample count, not a diagnosis: triage (cause, fix and\n"
		"how to verify it) is coming. Inspect with 'sockvet ss -tlnp' meanwhile.\n");
	if (ferror(fp))
		return error_set(err, "cannot write the summary: %s", strerror(errno));
	return 0;
}
