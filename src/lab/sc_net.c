// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder: these scenarios are not staged yet. */
#include "sc.h"

int sc_syn_flood(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_syn_flood_nocookies(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_fin_wait_2(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_nothing_listening(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_loopback_only(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_lossy_path(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_resets(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}
