/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_FOCUS_OPTS_H
#define SOCKVET_CMD_FOCUS_OPTS_H

/*
 * --port, --peer and --symptom, shared by `sockvet` (live triage) and
 * `sockvet analyze`: one parser each (ports and addresses through the
 * filter language) and the focus line the report header shows.
 */

#include "parse_options.h"
#include "../model/focus.h"

struct focus_opts {
	struct focus o;
	const char *peer_arg;    /* --peer as given */
	char text[160];          /* "--port 8080 --symptom refused", after focus_opts_text */
};

void focus_opts_init(struct focus_opts *f);
/* Option callbacks; opt->value is the struct focus_opts. */
int focus_opt_port(const struct option_def *opt, const char *arg, struct strbuf *err);
int focus_opt_peer(const struct option_def *opt, const char *arg, struct strbuf *err);
int focus_opt_symptom(const struct option_def *opt, const char *arg, struct strbuf *err);
/* After parsing: f->text. */
void focus_opts_text(struct focus_opts *f);

#define FOCUS_OPTIONS(f) \
	OPT_CALLBACK(0, "port", (f), "P", "focus on the service on port P (a number or a " \
		     "service name)", focus_opt_port), \
	OPT_CALLBACK(0, "peer", (f), "ADDR[:PORT]", \
		     "connections whose remote end is ADDR, judged on their tcp_info", \
		     focus_opt_peer), \
	OPT_CALLBACK(0, "symptom", (f), "S", \
		     "what users see: refused, timeout, reset, slow, exhaustion", focus_opt_symptom)

#endif
