// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet check`: a monitoring plugin (Nagios, Icinga, Sensu, Zabbix
 * agent). The same samples and rules as `sockvet`, printed as one status
 * line with perfdata and one long-output line per finding
 * (src/render/report_check.h says which numbers and how they are judged).
 *
 * As the Monitoring Plugins guidelines ask, every way out is one of
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, with a status line on stdout:
 * a bad option or threshold is UNKNOWN (3, not sockvet's usual 64), and
 * so is a run that cannot read what it needs or outlives --timeout.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../collect/netns.h"
#include "focus_opts.h"
#include "../render/report_check.h"
#include "triage_run.h"

#define CHECK_SAMPLES_MAX 60
#define CHECK_TIMEOUT_DEFAULT 10
#define CHECK_TIMEOUT_MAX 3600

struct check_cmdline {
	struct focus_opts f;
	struct check_spec spec;
	int samples;
	double interval;
	int timeout;
	const char *netns;
};

/*
 * The timeout: SIGALRM writes the UNKNOWN line and exits at once,
 * whatever the run is doing (a netns that hangs, a slow /proc walk).
 * The handler may only write(2), so the line is made before the alarm
 * is armed and the stage is an index into constant strings.
 */
enum check_stage { STAGE_NETNS, STAGE_SAMPLING, STAGE_REPORT };
static const char *const stage_text[] = {
	[STAGE_NETNS] = "entering the network namespace\n",
	[STAGE_SAMPLING] = "sampling sockets, counters and /proc\n",
	[STAGE_REPORT] = "writing the report\n",
};
static volatile sig_atomic_t check_stage;
static char timeout_line[96];

static void on_alarm(int sig)
{
	const char *s = stage_text[check_stage];
	ssize_t w;

	(void)sig;
	w = write(STDOUT_FILENO, timeout_line, strlen(timeout_line));
	w = write(STDOUT_FILENO, s, strlen(s));
	(void)w;
	_exit(SV_EXIT_FAILED);
}

static void arm_timeout(int seconds)
{
	struct sigaction sa;

	snprintf(timeout_line, sizeof(timeout_line), "SOCKVET UNKNOWN - timed out after %d s while ",
		 seconds);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);
}

static int opt_threshold(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = PARSE_CB_OK;

	if (check_spec_thresholds(opt->value, opt->short_name == 'c', arg, &why)) {
		error_set(err, "-%c: %s", opt->short_name, why.buf);
		rc = PARSE_CB_ERROR;
	}
	strbuf_release(&why);
	return rc;
}

static int opt_skip(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	int rc = PARSE_CB_OK;

	if (check_spec_skip(opt->value, arg, &why)) {
		error_set(err, "--skip: %s", why.buf);
		rc = PARSE_CB_ERROR;
	}
	strbuf_release(&why);
	return rc;
}

static const char check_usage[] =
	"Usage: sockvet check [-w NAME=RANGE,...] [-c NAME=RANGE,...] [OPTIONS]\n\n"
	"A monitoring plugin (Nagios, Icinga, Sensu, Zabbix): samples this host as\n"
	"`sockvet` does and prints one status line with perfdata, then the findings.\n"
	"NAME is fill (worst listener Recv-Q/Send-Q, %), drops (ListenOverflows per s),\n"
	"close_wait (sockets), ports (busiest destination's share of the local ports, %),\n"
	"fds (fullest process's share of RLIMIT_NOFILE, %). RANGE is the monitoring-plugins\n"
	"range: 10 (alert above 10 or below 0), 10: (below 10), ~:10 (above 10),\n"
	"10:20 (outside), @10:20 (inside). A critical finding is CRITICAL and a warning\n"
	"WARNING even within the thresholds (--no-findings: thresholds only).\n\n";

static const char check_footer[] =
	"\nDefaults: -w fill=80,drops=0,close_wait=100,ports=70,fds=80\n"
	"          -c fill=100,drops=1,close_wait=1000,ports=90,fds=95\n"
	"Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also a bad option or threshold,\n"
	"a timeout, or an input it cannot read: the line says which).\n";

/* 0, or the exit status (printed) of --help, a usage error. */
static int parse_args(struct check_cmdline *c, int argc, char **argv)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_CALLBACK('w', "warning", &c->spec, "LIST", "warning thresholds: NAME=RANGE[,NAME=RANGE...]",
			     opt_threshold),
		OPT_CALLBACK('c', "critical", &c->spec, "LIST", "critical thresholds, as -w",
			     opt_threshold),
		OPT_CALLBACK(0, "skip", &c->spec, "LIST", "do not judge these NAMEs (perfdata still shown)",
			     opt_skip),
		OPT_BOOL(0, "no-findings", &c->spec.thresholds_only,
			 "judge the thresholds only; findings are still listed"),
		OPT_INT('t', "timeout", &c->timeout, "SEC", 1, CHECK_TIMEOUT_MAX,
			"UNKNOWN after SEC seconds (default 10)"),
		FOCUS_OPTIONS(&c->f),
		OPT_INT(0, "samples", &c->samples, "N", 1, CHECK_SAMPLES_MAX,
			"samples to take (default 2; one gives no drop rate)"),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC", "seconds between samples (default 1)",
			     cmd_opt_interval),
		OPT_STRING('N', "net", &c->netns, "NETNS", "check the named network namespace"),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "check", .usage = check_usage, .opts = opts, .width = 28,
		.footer = check_footer,
	};
	struct strbuf err = STRBUF_INIT;
	int n, ret = SV_EXIT_OK;

	c->samples = 2;
	c->interval = 1.0;
	c->timeout = CHECK_TIMEOUT_DEFAULT;
	check_spec_init(&c->spec);
	focus_opts_init(&c->f);
	n = cmd_parse_options_err(&spec, argc, argv, &err);
	if (n >= 0 && n < argc)
		error_set(&err, "unexpected argument '%s'", argv[n]);
	if (n == PARSE_OPT_FAILED || (n >= 0 && n < argc)) {
		strbuf_addstr(&err, " (try 'sockvet check --help')");
		report_check_unknown(stdout, err.buf);
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
	} else if (n < 0) {
		ret = -1;
	}
	strbuf_release(&err);
	focus_opts_text(&c->f);
	return ret;
}

/* UNKNOWN with a reason: the status line on stdout, the same on stderr. */
static int unknown(const char *what, const struct strbuf *err)
{
	char line[512];

	snprintf(line, sizeof(line), "%s: %s", what, err->len ? err->buf : "out of memory");
	report_check_unknown(stdout, line);
	return SV_EXIT_FAILED;
}

static int run(struct check_cmdline *c, struct triage_run *t, struct report_view *view,
	       struct strbuf *err)
{
	check_stage = STAGE_NETNS;
	if (c->netns && netns_enter(c->netns, err))
		return unknown("cannot enter the network namespace", err);
	check_stage = STAGE_SAMPLING;
	t->o = c->f.o;
	t->samples = (unsigned)c->samples;
	t->interval = c->interval;
	if (triage_run(t, err))
		return unknown("cannot sample", err);
	check_stage = STAGE_REPORT;
	if (report_view_build(view, &t->ser, t->fs, &c->f.o, c->f.text, err) ||
	    report_view_set_netns(view, c->netns, err))
		return unknown("cannot report", err);
	if (report_check(stdout, view, &c->spec, err))
		return cmd_fail(SV_EXIT_FAILED, "%s", err->buf);
	return (int)report_check_state(view, &c->spec);
}

int cmd_check(int argc, char **argv)
{
	struct check_cmdline c;
	struct strbuf err = STRBUF_INIT;
	struct triage_run t;
	struct report_view *view;
	int ret;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	ret = parse_args(&c, argc, argv);
	if (ret)
		return ret < 0 ? SV_EXIT_OK : ret;
	arm_timeout(c.timeout);
	view = malloc(sizeof(*view));
	ret = view ? run(&c, &t, view, &err) : unknown("cannot report", &err);
	if (fflush(stdout))
		ret = SV_EXIT_FAILED;
	alarm(0);
	free(view);
	triage_run_release(&t);
	strbuf_release(&err);
	return ret;
}
