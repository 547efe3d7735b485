// SPDX-License-Identifier: GPL-2.0-or-later
#include "focus_opts.h"

#include <stdio.h>

#include "../filter/filter.h"

void focus_opts_init(struct focus_opts *f)
{
	focus_init(&f->o);
	f->peer_arg = NULL;
	f->text[0] = '\0';
}

int focus_opt_port(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct focus_opts *f = opt->value;

	return filter_port_parse(arg, &f->o.port, err) ? PARSE_CB_ERROR : PARSE_CB_OK;
}

int focus_opt_peer(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct focus_opts *f = opt->value;

	/* the filter language's own address and port parsers */
	if (filter_peer_parse(arg, &f->o.peer, err))
		return PARSE_CB_ERROR;
	f->peer_arg = arg;
	return PARSE_CB_OK;
}

int focus_opt_symptom(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct focus_opts *f = opt->value;

	if (symptom_parse(arg, &f->o.symptom))
		return PARSE_CB_OK;
	return error_set(err, "--symptom: '%s' is not one of refused, timeout, reset, slow, exhaustion", arg);
}

void focus_opts_text(struct focus_opts *f)
{
	struct strbuf sb = STRBUF_INIT;

	sb.max = sizeof(f->text) - 1;
	if (f->o.port >= 0)
		strbuf_addf(&sb, " --port %d", f->o.port);
	if (f->peer_arg)
		strbuf_addf(&sb, " --peer %s", f->peer_arg);
	if (f->o.symptom != SYMPTOM_NONE)
		strbuf_addf(&sb, " --symptom %s", symptom_name(f->o.symptom));
	snprintf(f->text, sizeof(f->text), "%s", sb.len ? sb.buf + 1 : "");
	strbuf_release(&sb);
}
