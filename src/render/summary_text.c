// SPDX-License-Identifier: GPL-2.0-or-later
#include "summary_text.h"

#include <errno.h>
#include <string.h>

#include "../model/addr.h"
#include "../util/fmt.h"
#include "../util/textesc.h"

static const char *const table_names[TBL_MAX] = {
	[TBL_NETLINK] = "NETLINK", [TBL_PACKET] = "PACKET", [TBL_UNIX] = "UNIX",
	[TBL_RAW] = "RAW", [TBL_UDP] = "UDP", [TBL_TCP] = "TCP", [TBL_MPTCP] = "MPTCP",
};

int summary_text_print(FILE *fp, const struct snap_meta *m,
		       const struct sock_tally *t, struct strbuf *err)
{
	char b1[32];

	/* Names from the host, escaped: see util/textesc.h. */
	fputs("sockvet: ", fp);
	text_fputs(m->host, fp);
	fputs(", kernel ", fp);
	text_fputs(m->kernel, fp);
	fputs(", netns ", fp);
	text_fputs(m->netns[0] ? m->netns : "unknown", fp);
	fputs("\n\n", fp);
	fprintf(fp, "Sockets: %s\n", fmt_thousands(b1, t->total));
	for (int tb = TBL_MPTCP; tb >= 0; tb--) {
		uint64_t sum = 0;
		bool first = true;

		for (int st = 0; st < SS_STATE_MAX; st++)
			sum += t->by_state[tb][st];
		if (!sum)
			continue;
		fprintf(fp, "  %-7s %10s ", table_names[tb], fmt_thousands(b1, sum));
		for (int st = 0; st < SS_STATE_MAX; st++) {
			if (!t->by_state[tb][st])
				continue;
			fprintf(fp, "%s%s %s", first ? " " : ", ", sock_state_name((unsigned)st),
				fmt_thousands(b1, t->by_state[tb][st]));
			first = false;
		}
		fputc('\n', fp);
	}
	fprintf(fp, "\nTCP listeners: %s", fmt_thousands(b1, t->listeners));
	if (!t->full_listeners) {
		fprintf(fp, ", none with a full accept queue right now.\n");
	} else {
		fprintf(fp, ", %s with a full accept queue (Recv-Q > Send-Q: new "
			"connections are being dropped):\n",
			fmt_thousands(b1, t->full_listeners));
		for (unsigned i = 0; i < t->n_full; i++) {
			const struct sock_rec *s = &t->full[i].sock;

			char ep[ADDR_STR_MAX];

			fprintf(fp, "  %s  Recv-Q %u > Send-Q %u\n",
				addr_endpoint(ep, s->family, s->saddr, s->sport), s->rqueue, s->wqueue);
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
