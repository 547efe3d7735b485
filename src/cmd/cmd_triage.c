// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet` (and `sockvet triage`): sample the live host more than once,
 * run every rule over the series, print the report. Never changes the
 * system. Exit: 0 healthy, 1 warnings, 2 critical, 3 could not triage,
 * 64 usage.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_opts.h"
#include "../collect/netns.h"
#include "../render/report.h"
#include "triage_run.h"

#define SAMPLES_MAX TRIAGE_SAMPLES_MAX
#define INTERVAL_MAX 60.0

enum { OPT_PORT = 256, OPT_PEER, OPT_SYMPTOM, OPT_SAMPLES, OPT_INTERVAL,
       OPT_ONCE, OPT_COLOR, OPT_PRETTY };

static const struct cmd_optdef optdefs[] = {
	{ 'h', "help", no_argument, NULL, "show this help" },
	{ OPT_PORT, "port", required_argument, "P", "focus on the service on TCP port P" },
	{ OPT_PEER, "peer", required_argument, "ADDR[:PORT]", "connections whose remote end is ADDR, judged on their tcp_info" },
	{ OPT_SYMPTOM, "symptom", required_argument, "S",
	  "what users see: refused, timeout, reset, slow, exhaustion" },
	{ OPT_SAMPLES, "samples", required_argument, "N", "samples to take (default 3, at most 8)" },
	{ OPT_INTERVAL, "interval", required_argument, "SEC", "seconds between samples (default 1)" },
	{ OPT_ONCE, "once", no_argument, NULL, "one sample: no trends, no tuning proposals" },
	{ 'N', "net", required_argument, "NETNS", "triage the named network namespace" },
	{ 'j', "json", no_argument, NULL, "the report as one JSON document" },
	{ OPT_PRETTY, "pretty", no_argument, NULL, "indent JSON output (with --json)" },
	{ OPT_COLOR, "color", required_argument, "WHEN", "auto (default), always, never" },
};
#define N_OPTDEFS (sizeof(optdefs) / sizeof(optdefs[0]))

struct triage_cmdline {
	struct focus o;
	unsigned samples;
	double interval;
	const char *netns;
	bool json, pretty;
	int color;               /* -1 auto, 0 never, 1 always */
	char focus[160];
};

static void triage_usage(FILE *fp)
{
	fprintf(fp, "Usage: sockvet [triage] [OPTIONS]\n\n"
		"Samples this host's sockets and counters, then says what they show, the root\n"
		"cause (application, kernel, network, or nothing), the exact change and how to\n"
		"verify it. Changes nothing.\n\n");
	cmd_print_options(fp, optdefs, N_OPTDEFS, 26);
	fprintf(fp, "\nExit status: 0 healthy, 1 warnings, 2 critical, 3 could not triage, 64 usage.\n");
}

static int parse_peer(struct focus *o, const char *arg)
{
	char buf[128];
	char *host = buf, *port = NULL;

	if (strlen(arg) >= sizeof(buf))
		return cmd_fail(SV_EXIT_USAGE, "--peer: too long: '%s'", arg);
	strcpy(buf, arg);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close)
			return cmd_fail(SV_EXIT_USAGE, "--peer: missing ']' in '%s'", arg);
		*close = '\0';
		host = buf + 1;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return cmd_fail(SV_EXIT_USAGE, "--peer: unexpected '%s' after ']'", close + 1);
	} else if (strchr(buf, ':') == strrchr(buf, ':') && strchr(buf, ':')) {
		port = strchr(buf, ':');
		*port++ = '\0';
	}
	if (inet_pton(AF_INET, host, o->peer.addr) == 1) {
		o->peer.family = AF_INET;
	} else if (inet_pton(AF_INET6, host, o->peer.addr) == 1) {
		o->peer.family = AF_INET6;
	} else {
		return cmd_fail(SV_EXIT_USAGE, "--peer: '%s' is not an IPv4 or IPv6 address", host);
	}
	o->peer.port = -1;
	if (port) {
		char *e;
		long p = strtol(port, &e, 10);

		if (!*port || *e || p < 1 || p > 65535)
			return cmd_fail(SV_EXIT_USAGE, "--peer: bad port '%s'", port);
		o->peer.port = (int)p;
	}
	o->peer.set = true;
	return 0;
}

static int parse_args(struct triage_cmdline *c, int argc, char **argv)
{
	struct option longopts[N_OPTDEFS + 1];
	char *e;
	int opt, rc;

	cmd_longopts(longopts, optdefs, N_OPTDEFS);
	c->samples = 3;
	c->interval = 1.0;
	c->color = -1;
	c->o.port = -1;
	c->o.peer.port = -1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "hN:j", longopts, NULL)) != -1) {
		size_t fl = strlen(c->focus);

		switch (opt) {
		case 'h':
			triage_usage(stdout);
			return 1;
		case OPT_PORT: {
			long p = strtol(optarg, &e, 10);

			if (!*optarg || *e || p < 1 || p > 65535)
				return -cmd_fail(SV_EXIT_USAGE, "--port: '%s' is not a port (1-65535)", optarg);
			c->o.port = (int)p;
			snprintf(c->focus + fl, sizeof(c->focus) - fl, "%s--port %ld", fl ? " " : "", p);
			break;
		}
		case OPT_PEER:
			if ((rc = parse_peer(&c->o, optarg)))
				return -rc;
			snprintf(c->focus + fl, sizeof(c->focus) - fl, "%s--peer %s", fl ? " " : "", optarg);
			break;
		case OPT_SYMPTOM: {
			if (!symptom_parse(optarg, &c->o.symptom))
				return -cmd_fail(SV_EXIT_USAGE, "--symptom: '%s' is not one of refused, "
						 "timeout, reset, slow, exhaustion", optarg);
			snprintf(c->focus + fl, sizeof(c->focus) - fl, "%s--symptom %s", fl ? " " : "", optarg);
			break;
		}
		case OPT_SAMPLES: {
			long n = strtol(optarg, &e, 10);

			if (!*optarg || *e || n < 1 || n > SAMPLES_MAX)
				return -cmd_fail(SV_EXIT_USAGE, "--samples: '%s' is not 1 to %d", optarg, SAMPLES_MAX);
			c->samples = (unsigned)n;
			break;
		}
		case OPT_INTERVAL: {
			double d = strtod(optarg, &e);

			if (!*optarg || *e || !(d >= 0.1 && d <= INTERVAL_MAX))
				return -cmd_fail(SV_EXIT_USAGE, "--interval: '%s' is not 0.1 to %.0f seconds",
						 optarg, INTERVAL_MAX);
			c->interval = d;
			break;
		}
		case OPT_ONCE:
			c->samples = 1;
			break;
		case 'N':
			c->netns = optarg;
			break;
		case 'j':
			c->json = true;
			break;
		case OPT_PRETTY:
			c->pretty = true;
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				c->color = -1;
			else if (!strcmp(optarg, "always"))
				c->color = 1;
			else if (!strcmp(optarg, "never"))
				c->color = 0;
			else
				return -cmd_fail(SV_EXIT_USAGE, "--color: '%s' is not auto, always or never", optarg);
			break;
		default:
			if (optopt && optopt < 256)
				return -cmd_fail(SV_EXIT_USAGE, "unknown option -%c (try 'sockvet --help')", optopt);
			return -cmd_fail(SV_EXIT_USAGE, "unknown or incomplete option '%s' (try 'sockvet --help')",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return -cmd_fail(SV_EXIT_USAGE, "unexpected argument '%s' (try 'sockvet --help')", argv[optind]);
	if (c->pretty && !c->json)
		return -cmd_fail(SV_EXIT_USAGE, "--pretty goes with --json");
	return 0;
}

static bool use_color(int mode)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (mode >= 0)
		return mode == 1;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO);
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
	rc = parse_args(&c, argc, argv);
	if (rc)
		return rc > 0 ? SV_EXIT_OK : -rc;
	if (c.netns && netns_enter(c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot triage: %s", err.buf);
		goto out;
	}
	t.o = c.o;
	t.samples = c.samples;
	t.interval = c.interval;
	if (triage_run(&t, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot triage: %s", err.buf);
		goto out;
	}
	view = malloc(sizeof(*view));
	if (!view || report_view_build(view, &t.ser, t.fs, &c.o, c.focus, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot report: %s", err.len ? err.buf : "out of memory");
		goto out;
	}
	rc = c.json ? report_json(stdout, view, c.pretty, &err)
		    : report_text(stdout, view, use_color(c.color), &err);
	if (rc || fflush(stdout)) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.len ? err.buf : "cannot write the report");
		goto out;
	}
	ret = triage_exit_status(t.fs);
out:
	free(view);
	triage_run_release(&t);
	strbuf_release(&err);
	return ret;
}
