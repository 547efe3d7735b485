// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet` (and `sockvet triage`): sample the live host more than once,
 * run every rule over the series, print the report. Never changes the
 * system. Exit: 0 healthy, 1 warnings, 2 critical, 3 could not triage,
 * 64 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd.h"
#include "../collect/netns.h"
#include "focus_opts.h"
#include "../render/report.h"
#include "triage_allns.h"
#include "triage_run.h"

#define SAMPLES_MAX TRIAGE_SAMPLES_MAX

struct triage_cmdline {
	struct focus_opts f;
	int samples;
	double interval;
	const char *netns;
	bool all_netns;
	const char *html;        /* --html FILE */
	bool json, pretty;
	int color;               /* CMD_COLOR_* */
};


static int parse_args(struct triage_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		FOCUS_OPTIONS(&c->f),
		OPT_INT(0, "samples", &c->samples, "N", 1, SAMPLES_MAX,
			"samples to take (default 3, at most 3600)"),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC", "seconds between samples (default 1)",
			     cmd_opt_interval),
		OPT_SET_INT(0, "once", &c->samples, 1, "one sample: no trends, no tuning proposals"),
		OPT_STRING('N', "net", &c->netns, "NETNS", "triage the named network namespace"),
		OPT_BOOL(0, "all-netns", &c->all_netns,
			 "triage every network namespace, one report grouped by namespace"),
		OPT_BOOL('j', "json", &c->json, "the report as one JSON document"),
		OPT_BOOL(0, "pretty", &c->pretty, "indent JSON output (with --json)"),
		OPT_STRING(0, "html", &c->html, "FILE",
			   "also write the report with plots as one self-contained HTML file"),
		OPT_CALLBACK(0, "color", &c->color, "WHEN", "auto (default), always, never", cmd_opt_color),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "triage",
		.usage = "Usage: sockvet [triage] [OPTIONS]\n\n"
			 "Samples this host's sockets and counters, then says what they show, the root\n"
			 "cause (application, kernel, network, or nothing), the exact change and how to\n"
			 "verify it. Changes nothing.\n\n",
		.opts = opts,
		.width = 26,
		.footer = "\nExit status: 0 healthy, 1 warnings, 2 critical, 3 could not triage, 64 usage.\n",
	};

	c->samples = 3;
	c->interval = 1.0;
	c->color = CMD_COLOR_AUTO;
	focus_opts_init(&c->f);
	if (cmd_parse_options_only(&spec, argc, argv, code) < 0)
		return -1;
	if (c->all_netns && c->netns) {
		*code = cmd_fail(SV_EXIT_USAGE, "--all-netns and -N cannot be combined");
		return -1;
	}
	if (c->all_netns && c->html) {
		*code = cmd_fail(SV_EXIT_USAGE, "--html reports on one namespace: use -N NETNS with it, "
				 "not --all-netns");
		return -1;
	}
	if (c->pretty && !c->json) {
		*code = cmd_fail(SV_EXIT_USAGE, "--pretty goes with --json");
		return -1;
	}
	focus_opts_text(&c->f);
	return 0;
}

int cmd_triage(int argc, char **argv)
{
	struct triage_cmdline c;
	struct strbuf err = STRBUF_INIT;
	struct triage_run t;
	struct report_view *view = NULL;
	int rc, ret = SV_EXIT_FAILED;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	if (parse_args(&c, argc, argv, &ret))
		return ret;
	if (c.all_netns) {
		struct allns_opts ao = { &c.f, (unsigned)c.samples, c.interval, c.json, c.pretty,
					 !c.json && cmd_use_color(c.color) };

		return triage_all_netns(&ao);
	}
	if (c.netns && netns_enter(c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot triage: %s", err.buf);
		goto out;
	}
	t.o = c.f.o;
	t.samples = (unsigned)c.samples;
	t.interval = c.interval;
	if (triage_run(&t, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot triage: %s", err.buf);
		goto out;
	}
	view = malloc(sizeof(*view));
	if (!view || report_view_build(view, &t.ser, t.fs, &c.f.o, c.f.text, &err) ||
	    report_view_set_netns(view, c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot report: %s", err.len ? err.buf : "out of memory");
		goto out;
	}
	report_view_set_trace(view, t.trace);
	rc = c.json ? report_json(stdout, view, c.pretty, &err)
		    : report_text(stdout, view, !c.json && cmd_use_color(c.color), &err);
	if (!rc && fflush(stdout)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot write the report: %s", strerror(errno));
		goto out;
	}
	if (rc) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.len ? err.buf : "cannot write the report");
		goto out;
	}
	if (c.html && report_html_file(c.html, view, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "--html: %s", err.buf);
		goto out;
	}
	ret = triage_exit_status(t.fs);
out:
	free(view);
	triage_run_release(&t);
	strbuf_release(&err);
	return ret;
}
