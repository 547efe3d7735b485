// SPDX-License-Identifier: GPL-2.0-or-later
#include "ss_summary.h"

#include <inttypes.h>

/* ss starts from a zeroed struct: an unreported counter prints as 0. */
static int64_t val(const struct counter *c)
{
	return c->present ? c->v : 0;
}

int ss_summary_print(FILE *fp, const struct sockstat_counts *c,
		     struct strbuf *err)
{
	int64_t raw4 = val(&c->raw_inuse), raw6 = val(&c->raw6_inuse);
	int64_t udp4 = val(&c->udp_inuse), udp6 = val(&c->udp6_inuse);
	int64_t tcp4 = val(&c->tcp_inuse), tcp6 = val(&c->tcp6_inuse);
	int64_t frag4 = val(&c->frag_inuse), frag6 = val(&c->frag6_inuse);
	int64_t alloc = val(&c->tcp_alloc), tw = val(&c->tcp_tw);
	int r;

	/*
	 * "closed" is derived, not counted: alloc is global while inuse is
	 * per namespace, so inside a netns it mixes scopes exactly as ss's
	 * does. The rows keep ss's tab-then-two-spaces indent.
	 */
	r = fprintf(fp,
		    "Total: %" PRId64 "\n"
		    "TCP:   %" PRId64 " (estab %" PRId64 ", closed %" PRId64
		    ", orphaned %" PRId64 ", timewait %" PRId64 ")\n"
		    "\n"
		    "Transport Total     IP        IPv6\n"
		    "RAW\t  %-9" PRId64 " %-9" PRId64 " %-9" PRId64 "\n"
		    "UDP\t  %-9" PRId64 " %-9" PRId64 " %-9" PRId64 "\n"
		    "TCP\t  %-9" PRId64 " %-9" PRId64 " %-9" PRId64 "\n"
		    "INET\t  %-9" PRId64 " %-9" PRId64 " %-9" PRId64 "\n"
		    "FRAG\t  %-9" PRId64 " %-9" PRId64 " %-9" PRId64 "\n"
		    "\n",
		    val(&c->sockets_used),
		    alloc + tw, val(&c->tcp_curr_estab),
		    alloc - (tcp4 + tcp6 - tw), val(&c->tcp_orphan), tw,
		    raw4 + raw6, raw4, raw6,
		    udp4 + udp6, udp4, udp6,
		    tcp4 + tcp6, tcp4, tcp6,
		    raw4 + udp4 + tcp4 + raw6 + udp6 + tcp6,
		    raw4 + udp4 + tcp4, raw6 + udp6 + tcp6,
		    frag4 + frag6, frag4, frag6);
	if (r < 0)
		return error_set(err, "cannot write the summary");
	return 0;
}
