// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet` with no command (and `sockvet summary`): one sample of every
 * inet and unix socket, counted per state, nothing kept. Live triage
 * replaces this as the default; the summary stays as its "plain read".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../collect/meta.h"
#include "../collect/sockdiag.h"
#include "../model/tally.h"
#include "../render/summary_text.h"

static int count_sock(const struct sock_rec *s, void *ctx)
{
	tally_add(ctx, s);
	return SOCK_CB_OK;
}

int cmd_summary(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct sock_tally *t = NULL;
	struct snap_meta m;
	struct diag_query q = {
		.tables = TBL_BIT(TBL_UNIX) | TBL_BIT(TBL_UDP) | TBL_BIT(TBL_TCP) |
			  TBL_BIT(TBL_MPTCP) | TBL_BIT(TBL_RAW),
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.states = SS_ALL_STATES,
	};
	int ret = SV_EXIT_FAILED;

	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			printf("usage: sockvet [summary]\n\nCounts this host's sockets per "
			       "table and state, and names listeners whose accept queue is full.\n");
			return SV_EXIT_OK;
		}
		return cmd_fail(SV_EXIT_USAGE, "summary takes no arguments (got '%s')", argv[1]);
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return cmd_fail(SV_EXIT_FAILED, "out of memory");
	tally_init(t);
	if (meta_collect(&m, "/proc", &err) ||
	    sockdiag_collect(&q, count_sock, t, &err) ||
	    summary_text_print(stdout, &m, t, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
		goto out;
	}
	ret = SV_EXIT_OK;
out:
	free(t);
	strbuf_release(&err);
	return ret;
}
