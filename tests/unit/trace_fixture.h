/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_TRACE_FIXTURE_H
#define SOCKVET_TEST_TRACE_FIXTURE_H

/* Traces for the trace and watch-view tests. Include after keep_fixture.h. */

#include "../../src/model/trace.h"

/* An empty trace, freed after the test. */
static struct trace *trace_new(void)
{
	struct trace *t = keep(malloc(sizeof(*t)));

	trace_init(t);
	return t;
}

/* A listener with its inode and skmem drops, into sample s. */
static void listener(struct sample *s, const char *ip, uint16_t port, uint32_t inode,
		     uint32_t rq, uint32_t wq, uint32_t drops)
{
	struct s_listener *l = fx_sample_listener(s, ip, port, rq, wq);

	l->inode = inode;
	l->has_drops = true;
	l->drops = drops;
}

#endif
