// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder: these scenarios are not staged yet. */
#include "sc.h"

int sc_receiver_not_reading(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}

int sc_app_limited_sender(struct lab *l, struct strbuf *err)
{
	(void)l;
	return error_set(err, "scenario not implemented yet");
}
