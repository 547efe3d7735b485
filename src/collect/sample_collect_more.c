// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * UNIX listeners for a triage sample: one dump of the unix table, LISTEN
 * only, with UNIX_DIAG_RQLEN (a listener's Recv-Q is its accept queue,
 * Send-Q the limit: kernel-facts.md "UNIX listener accept queue"). Only
 * listeners are asked for, so a host with thousands of connected UNIX
 * sockets pays for none of them.
 */
#include "sample_collect_more.h"

#include "../model/sock.h"

#define MORE_DUMP_ATTEMPTS 3

struct more_ctx {
	struct sample_builder *b;
	bool torn;
};

static int on_unix(const struct sock_rec *r, void *vctx)
{
	struct more_ctx *c = vctx;

	if (r->netid == NETID_U_STR || r->netid == NETID_U_SEQ)
		sample_build_ulistener(c->b, r);
	return SOCK_CB_OK;
}

static int on_torn(enum sock_table t, void *vctx)
{
	struct more_ctx *c = vctx;

	(void)t;
	c->torn = true;
	return 0;
}

/* One dump, started over (with begin) when torn, MORE_DUMP_ATTEMPTS times at most. */
static int dump_retrying(struct sample_builder *b, const struct diag_query *q,
			 void (*begin)(struct sample_builder *b), sock_cb cb,
			 const char *what, struct strbuf *err)
{
	struct more_ctx c = { .b = b };

	for (int attempt = 0; attempt < MORE_DUMP_ATTEMPTS; attempt++) {
		begin(b);
		c.torn = false;
		if (sockdiag_collect(q, cb, &c, err))
			return -1;
		if (!c.torn)
			return 0;
	}
	return error_set(err, "the %s dump was interrupted %d times in a row", what,
			 MORE_DUMP_ATTEMPTS);
}

int sample_collect_unix(struct sample_builder *b, struct diag_session *ds, struct strbuf *err)
{
	struct diag_query q = {
		.session = ds,
		.tables = TBL_BIT(TBL_UNIX),
		.states = 1u << SS_LISTEN,
		.needs = DIAG_NEED_UNIX_RQ,
		.on_restart = on_torn,
	};

	return dump_retrying(b, &q, sample_build_ulisteners_begin, on_unix, "UNIX listener", err);
}

/*
 * UDP sockets: one dump of every state with socket memory (skmem rb and
 * d are what the UDP rule judges). The builder keeps only those that
 * dropped or hold data, and the bound ports.
 * kernel-facts.md "UDP receive buffer drops"
 */
static int on_udp(const struct sock_rec *r, void *vctx)
{
	struct more_ctx *c = vctx;

	sample_build_udp(c->b, r);
	return SOCK_CB_OK;
}

int sample_collect_udp(struct sample_builder *b, struct diag_session *ds, struct strbuf *err)
{
	struct diag_query q = {
		.session = ds,
		.tables = TBL_BIT(TBL_UDP),
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.states = SS_ALL_STATES,
		.needs = DIAG_NEED_MEM,
		.on_restart = on_torn,
	};

	return dump_retrying(b, &q, sample_build_udp_begin, on_udp, "UDP socket", err);
}
