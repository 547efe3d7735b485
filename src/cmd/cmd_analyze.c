// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet analyze FILE... | DIR | -`: the triage verdict from captures
 * taken on another host (pasted ss, nstat, netstat -s, sysctl, dmesg
 * output, a terminal transcript of them). The same rules and report as
 * live triage, on the imported samples (several captures of one kind are
 * samples in time; import_run.h); the report starts with what was read,
 * into which sample, and what was not. Exit: as triage (0, 1, 2), 3 when nothing in the
 * input could be read, 64 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "focus_opts.h"
#include "triage_run.h"
#include "../diagnose/rules.h"
#include "../import/import_run.h"
#include "../render/report.h"

struct analyze_cmdline {
	struct focus_opts f;
	const char *html;        /* --html FILE */
	bool json, pretty;
	int color;
};

struct analyze_state {
	struct import_series is;
	struct capture_list cl;
	struct findings fs;
	struct report_view view;
};

static int parse_args(struct analyze_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		FOCUS_OPTIONS(&c->f),
		OPT_BOOL(0, "json", &c->json, "print the report as JSON"),
		OPT_BOOL(0, "pretty", &c->pretty, "indent JSON output (with --json)"),
		OPT_STRING(0, "html", &c->html, "FILE",
			   "also write the report as one self-contained HTML file"),
		OPT_CALLBACK(0, "color", &c->color, "WHEN", "auto (default), always, never", cmd_opt_color),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "analyze",
		.usage = "Usage: sockvet analyze [OPTIONS] FILE... | DIR | -\n\n"
			 "The triage verdict from captures of another host: ss, nstat, netstat -s,\n"
			 "/proc/net/{snmp,netstat,sockstat}, sysctl and kernel log output, as files\n"
			 "or as a pasted terminal transcript ($ cmd lines before each output).\n"
			 "Each input's format is detected from its content.\n\n",
		.opts = opts,
		.width = 26,
		.footer = "\nExit status: 0 healthy, 1 warnings, 2 critical, 3 nothing could be read, "
			  "64 usage.\n",
	};
	int n;

	c->color = CMD_COLOR_AUTO;
	focus_opts_init(&c->f);
	n = cmd_parse_options(&spec, argc, argv, code);
	if (n < 0)
		return -1;
	if (n == argc) {
		*code = cmd_fail(SV_EXIT_USAGE, "analyze: give the capture files, a directory, or - "
				 "for stdin (try 'sockvet analyze --help')");
		return -1;
	}
	if (c->pretty && !c->json) {
		*code = cmd_fail(SV_EXIT_USAGE, "--pretty goes with --json");
		return -1;
	}
	focus_opts_text(&c->f);
	return n;
}

/* Nothing usable: one line, with the first section's reason. */
static int nothing_read(const struct capture_list *cl)
{
	const struct capture_read *r = cl->n ? &cl->r[0] : NULL;
	unsigned unknown = 0, errors = 0;

	for (uint32_t i = 0; i < cl->n; i++) {
		unknown += cl->r[i].status == CAPTURE_UNKNOWN;
		errors += cl->r[i].status == CAPTURE_ERROR;
	}
	if (!r)
		return cmd_fail(SV_EXIT_FAILED, "analyze: nothing could be read: the input is empty");
	return cmd_fail(SV_EXIT_FAILED, "analyze: nothing could be read (%u section%s: %u not "
			"recognised, %u with errors); %s:%u%s%s: %s", cl->n, cl->n == 1 ? "" : "s",
			unknown, errors, r->file, r->line, r->cmd[0] ? " $ " : "", r->cmd,
			r->status == CAPTURE_UNKNOWN ? r->what : r->note);
}

static int print_report(const struct analyze_cmdline *c, const struct report_view *v,
			struct strbuf *err)
{
	int rc = c->json ? report_json(stdout, v, c->pretty, err)
			 : report_text(stdout, v, cmd_use_color(c->color), err);

	if (!rc && fflush(stdout))
		return error_set(err, "cannot write the report: %s", strerror(errno));
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_cmdline c;
	struct strbuf err = STRBUF_INIT;
	struct analyze_state *st = calloc(1, sizeof(*st));
	struct sample_build_opts bo;
	int n, used, ret = SV_EXIT_FAILED;

	memset(&c, 0, sizeof(c));
	if (!st)
		return cmd_fail(SV_EXIT_FAILED, "out of memory");
	n = parse_args(&c, argc, argv, &ret);
	if (n < 0)
		goto out;
	memset(&bo, 0, sizeof(bo));
	bo.peer = c.f.o.peer;
	bo.want_port = c.f.o.port;
	bo.owners = true;        /* ss -p and netstat -p rows name their process */
	used = import_run((const char *const *)argv + n, (unsigned)(argc - n), &bo, &st->is,
			  &st->cl, &err);
	if (used < 0) {
		ret = cmd_fail(SV_EXIT_FAILED, "analyze: %s", err.buf);
		goto out;
	}
	if (used == 0) {
		ret = nothing_read(&st->cl);
		goto out;
	}
	diagnose_run(&st->is.ser, &c.f.o, &st->fs);
	if (report_view_build(&st->view, &st->is.ser, &st->fs, &c.f.o, c.f.text, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot report: %s", err.buf);
		goto out;
	}
	report_view_set_read(&st->view, &st->cl);
	if (print_report(&c, &st->view, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.len ? err.buf : "cannot write the report");
		goto out;
	}
	if (c.html && report_html_file_series(c.html, &st->view, &st->is.ser, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "--html: %s", err.buf);
		goto out;
	}
	ret = triage_exit_status(&st->fs);
out:
	import_series_release(&st->is);
	free(st);
	strbuf_release(&err);
	return ret;
}
