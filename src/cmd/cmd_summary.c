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

/* -h only, and not listed: the help is the two lines. */
static const struct option_def summary_opts[] = {
	{ .type = OPTION_HELP, .short_name = 'h', .long_name = "help" },
	OPT_END(),
};

static const struct cmd_spec spec = {
	.name = "summary",
	.usage = "usage: sockvet [summary]\n\nCounts this host's sockets per "
		 "table and state, and names listeners whose accept queue is full.\n",
	.opts = summary_opts,
	.footer = "",
};

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
	int n, ret;

	n = cmd_parse_options(&spec, argc, argv, &ret);
	if (n < 0)
		return ret;
	if (n < argc)
		return cmd_fail(SV_EXIT_USAGE, "summary takes no arguments (got '%s')", argv[n]);
	ret = SV_EXIT_FAILED;
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
