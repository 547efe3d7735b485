// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder: these scenarios are not staged yet. */
#include "sc.h"

int sc_accept_overflow(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_accept_overflow_emfile(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_somaxconn_cap(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_close_wait_leak(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_time_wait_busy_client(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_port_exhaustion(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_fd_exhaustion(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_healthy_busy_server(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}
