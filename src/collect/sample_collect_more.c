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

#define UNIX_DUMP_ATTEMPTS 3

struct unix_ctx {
	struct sample_builder *b;
	bool torn;
};

static int on_unix(const struct sock_rec *r, void *vctx)
{
	struct unix_ctx *c = vctx;

	if (r->netid == NETID_U_STR || r->netid == NETID_U_SEQ)
		sample_build_ulistener(c->b, r);
	return SOCK_CB_OK;
}

static int on_torn(enum sock_table t, void *vctx)
{
	struct unix_ctx *c = vctx;

	(void)t;
	c->torn = true;
	return 0;
}

int sample_collect_unix(struct sample_builder *b, struct diag_session *ds, struct strbuf *err)
{
	struct unix_ctx c = { .b = b };
	struct diag_query q = {
		.session = ds,
		.tables = TBL_BIT(TBL_UNIX),
		.states = 1u << SS_LISTEN,
		.needs = DIAG_NEED_UNIX_RQ,
		.on_restart = on_torn,
	};

	for (int attempt = 0; attempt < UNIX_DUMP_ATTEMPTS; attempt++) {
		sample_build_ulisteners_begin(b);
		c.torn = false;
		if (sockdiag_collect(&q, on_unix, &c, err))
			return -1;
		if (!c.torn)
			return 0;
	}
	return error_set(err, "the UNIX listener dump was interrupted %d times in a row",
			 UNIX_DUMP_ATTEMPTS);
}

/*
 * UDP sockets: one dump of every state with socket memory (skmem rb and
 * d are what the UDP rule judges). The builder keeps only those that
 * dropped or hold data, and the bound ports.
 * kernel-facts.md "UDP receive buffer drops"
 */
static int on_udp(const struct sock_rec *r, void *vctx)
{
	struct unix_ctx *c = vctx;

	sample_build_udp(c->b, r);
	return SOCK_CB_OK;
}

int sample_collect_udp(struct sample_builder *b, struct diag_session *ds, struct strbuf *err)
{
	struct unix_ctx c = { .b = b };
	struct diag_query q = {
		.session = ds,
		.tables = TBL_BIT(TBL_UDP),
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.states = SS_ALL_STATES,
		.needs = DIAG_NEED_MEM,
		.on_restart = on_torn,
	};

	for (int attempt = 0; attempt < UNIX_DUMP_ATTEMPTS; attempt++) {
		sample_build_udp_begin(b);
		c.torn = false;
		if (sockdiag_collect(&q, on_udp, &c, err))
			return -1;
		if (!c.torn)
			return 0;
	}
	return error_set(err, "the UDP socket dump was interrupted %d times in a row",
			 UNIX_DUMP_ATTEMPTS);
}
