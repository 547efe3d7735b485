// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet watch`: the live view. Every interval one refresh
 * (watch_run.c: a sample, the trace, the rules over the last
 * WATCH_KEEP samples, the report view), then a watch view
 * (watch_view.c) drawn full screen (watch_screen.c) or printed as a
 * text block or one NDJSON line (watch_batch.c).
 *
 * Exit: the newest verdict as triage's (0 healthy, 1 warnings,
 * 2 critical) after q or --count N; 3 when a refresh fails; 64 usage;
 * 130 on SIGINT / SIGTERM. The terminal is restored on every one of
 * those, and on a crash signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
 * SIGILL), whose handler leaves curses mode and re-raises the signal.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "../collect/netns.h"
#include "focus_opts.h"
#include "../render/watch_batch.h"
#include "../render/watch_screen.h"
#include "ss_filter.h"
#include "watch_allns.h"
#include "watch_run.h"

struct watch_cmdline {
	struct focus_opts f;
	double interval;
	int count;               /* 0: until q or a signal */
	bool batch, json;
	int color;
	const char *netns;
	bool all_netns;
	int max_netns;
	int bench;               /* --bench-refreshes N: N refreshes, no wait */
};

/* The whole command's state, so key handlers take one pointer. */
struct watch_ctx {
	struct watch_cmdline c;
	struct watch_run run;
	struct watch_allns allns;        /* --all-netns instead of run */
	struct watch_view *scratch;      /* --all-netns: one namespace's view */
	int pane_ns;                     /* --all-netns: states/counters of; -1 the sum */
	struct watch_view view;
	struct watch_view_opts vo;
	struct watch_ui ui;
	struct watch_detail detail;
	unsigned detail_slot;            /* trace slot the detail pane shows */
	struct ss_filter *cli_filter;    /* FILTER... operands */
	struct filter *ui_filter;        /* from '/', replaces the operands' */
	bool quit;
};

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static void on_crash(int sig)
{
	watch_screen_emergency_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_install(void)
{
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;          /* no SA_RESTART: a wait returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (unsigned i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
}

static int parse_args(struct watch_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC", "seconds between refreshes (default 1)",
			     cmd_opt_interval),
		OPT_INT(0, "count", &c->count, "N", 1, INT_MAX, "stop after N refreshes"),
		OPT_BOOL(0, "batch", &c->batch, "a text block per refresh, no full screen"),
		OPT_BOOL('j', "json", &c->json, "one JSON object per line per refresh (NDJSON)"),
		OPT_CALLBACK(0, "color", &c->color, "WHEN", "auto (default), always, never", cmd_opt_color),
		OPT_STRING('N', "net", &c->netns, "NETNS", "watch the named network namespace"),
		OPT_BOOL(0, "all-netns", &c->all_netns, "every network namespace on one screen"),
		OPT_INT(0, "max-netns", &c->max_netns, "N", 1, 4096,
			"--all-netns: sample at most N namespaces (default 64)"),
		OPT_CALLBACK(0, "port", &c->f, "P", "focus on the service on port P", focus_opt_port),
		/* hidden: bench/run-bench's watch-refresh case */
		OPT_INT(0, "bench-refreshes", &c->bench, "N", 1, 100000, NULL),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "watch",
		.usage = "Usage: sockvet watch [OPTIONS] [FILTER...]\n\n"
			 "A live view of the listeners, TCP states and key counters, with the verdict\n"
			 "of the triage rules over the last 8 samples, refreshed every interval. Full\n"
			 "screen on a terminal; a text block (or NDJSON) per refresh otherwise. FILTER\n"
			 "(the ss filter language) selects the listener rows. Changes nothing.\n\n",
		.opts = opts,
		.width = 26,
		.footer = "\nKeys: q quit, p pause, s sort, / filter, Enter listener detail, v verdict,\n"
			  "j/k or arrows select, ? help; with --all-netns n the next namespace's states\n"
			  "and counters, N their sum. --all-netns judges each namespace's newest sample\n"
			  "alone (trends need -N NETNS).\n"
			  "Exit status: 0 healthy, 1 warnings, 2 critical (the last verdict), 3 could not\n"
			  "sample, 64 usage, 130 interrupted.\n",
	};

	c->interval = 1.0;
	c->color = CMD_COLOR_AUTO;
	c->max_netns = WATCH_MAX_NETNS_DEFAULT;
	focus_opts_init(&c->f);
	return cmd_parse_options(&spec, argc, argv, code);
}

static int filter_setup(struct watch_ctx *x, int argc, char **argv)
{
	int rc = ss_filter_setup(&x->cli_filter, argc, argv, NULL, 0, FILTER_SVC_TCP, false);

	if (rc)
		return rc;
	if (x->cli_filter && x->cli_filter->f.has_states)
		return cmd_fail(SV_EXIT_USAGE, "watch: state words do not apply: the filter selects "
			       "listener rows (try 'sockvet watch --help')");
	x->vo.filter = x->cli_filter ? &x->cli_filter->f : NULL;
	if (argc) {
		size_t len = 0;

		for (int i = 0; i < argc && len + 1 < sizeof(x->ui.filter_text); i++)
			len += (size_t)snprintf(x->ui.filter_text + len, sizeof(x->ui.filter_text) - len,
						"%s%s", i ? " " : "", argv[i]);
	}
	return 0;
}

static void view_build(struct watch_ctx *x)
{
	if (x->c.all_netns) {
		watch_view_build_allns(&x->view, x->scratch, x->allns.src, x->allns.n_ns, x->pane_ns,
				       x->allns.rv, &x->vo);
		x->view.netns_past = x->allns.past;
	} else {
		watch_view_build(&x->view, x->run.trace, x->run.rv, &x->vo);
	}
	if (x->ui.sel >= x->view.n_rows)
		x->ui.sel = x->view.n_rows ? x->view.n_rows - 1 : 0;
}

/* Sleep until deadline (monotonic seconds) or a signal. */
static void wait_until(double deadline)
{
	double left;

	while (!stop_sig && (left = deadline - triage_mono_s()) > 0) {
		struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

		if (nanosleep(&ts, NULL) && errno != EINTR)
			break;
	}
}

static int refresh(struct watch_ctx *x, struct strbuf *err)
{
	return x->c.all_netns ? watch_allns_refresh(&x->allns, err) : watch_run_refresh(&x->run, err);
}

static int status(const struct watch_ctx *x)
{
	return x->c.all_netns ? watch_allns_status(&x->allns) : watch_run_status(&x->run);
}

static int batch_print(struct watch_ctx *x, struct strbuf *err)
{
	if (!x->c.json)
		return watch_batch_text(stdout, &x->view, err);
	if (!x->c.all_netns)
		return watch_batch_json(stdout, &x->view, err);
	return watch_batch_json_allns(stdout, &x->view, x->allns.src, x->allns.n_ns, x->scratch,
				      &x->vo, x->allns.all, x->allns.finding_ino, err);
}

static int run_batch(struct watch_ctx *x)
{
	struct strbuf err = STRBUF_INIT;
	double next = triage_mono_s();
	int ret = SV_EXIT_OK;

	for (int i = 0; !stop_sig && (!x->c.count || i < x->c.count); i++) {
		if (i && !x->c.bench)
			wait_until(next);
		if (stop_sig)
			break;
		next = triage_mono_s() + x->c.interval;
		if (refresh(x, &err)) {
			ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
			goto out;
		}
		view_build(x);
		if (batch_print(x, &err)) {
			ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
			goto out;
		}
	}
	ret = stop_sig ? SV_EXIT_INTERRUPTED : status(x);
out:
	strbuf_release(&err);
	return ret;
}

/* '/' then Enter: the typed filter replaces the one in force; an error
 * stays on the status line and the old filter stays. */
static void filter_apply(struct watch_ctx *x)
{
	struct strbuf err = STRBUF_INIT;
	struct filter *f;

	x->ui.prompt = false;
	x->ui.status[0] = 0;
	x->ui.status_error = false;
	if (!x->ui.input_len) {
		free(x->ui_filter);
		x->ui_filter = NULL;
		x->vo.filter = NULL;
		x->ui.filter_text[0] = 0;
		return;
	}
	f = malloc(sizeof(*f));
	if (f) {
		filter_init(f);
		f->svc_protos = FILTER_SVC_TCP;
	}
	if (!f || filter_parse(f, x->ui.input, &err)) {
		snprintf(x->ui.status, sizeof(x->ui.status), "%s", f ? err.buf : "out of memory");
		x->ui.status_error = true;
		free(f);
	} else {
		free(x->ui_filter);
		x->ui_filter = f;
		x->vo.filter = f;
		snprintf(x->ui.filter_text, sizeof(x->ui.filter_text), "%s", x->ui.input);
	}
	strbuf_release(&err);
}

static void key_prompt(struct watch_ctx *x, int k)
{
	if (k == WATCH_KEY_ENTER) {
		filter_apply(x);
	} else if (k == WATCH_KEY_ESC) {
		x->ui.prompt = false;
	} else if (k == WATCH_KEY_BACKSPACE) {
		if (x->ui.input_len)
			x->ui.input[--x->ui.input_len] = 0;
	} else if (k >= 32 && k < 127 && x->ui.input_len + 1 < sizeof(x->ui.input)) {
		x->ui.input[x->ui.input_len++] = (char)k;
		x->ui.input[x->ui.input_len] = 0;
	}
}

static void select_move(struct watch_ctx *x, int d)
{
	const struct report_view *rv = x->run.rv;
	unsigned *sel = x->ui.pane == WATCH_PANE_FINDING ? &x->ui.finding : &x->ui.sel;
	unsigned n = x->ui.pane == WATCH_PANE_FINDING ? (rv ? rv->n_findings : 0) : x->view.n_rows;

	if (d < 0 && *sel > 0)
		(*sel)--;
	else if (d > 0 && *sel + 1 < n)
		(*sel)++;
}

static void detail_open(struct watch_ctx *x)
{
	if (!x->view.n_rows)
		return;
	if (x->c.all_netns) {
		const struct watch_listener *r = &x->view.rows[x->ui.sel];
		const char *in = r->ns < x->allns.n_ns ? x->allns.ns[r->ns].run_in : "";

		snprintf(x->ui.status, sizeof(x->ui.status), "detail needs one namespace: "
			 "sockvet watch%s%s --port %u", in[0] ? " -N " : "", in, r->port);
		return;
	}
	x->detail_slot = x->view.rows[x->ui.sel].slot;
	watch_run_detail(&x->run, x->detail_slot, &x->detail);
	x->ui.detail = &x->detail;
	x->ui.pane = WATCH_PANE_DETAIL;
}

static void key_main(struct watch_ctx *x, int k)
{
	x->ui.status[0] = 0;
	if (x->ui.pane != WATCH_PANE_MAIN && (k == 'q' || k == WATCH_KEY_ESC)) {
		x->ui.pane = WATCH_PANE_MAIN;
		return;
	}
	switch (k) {
	case 'q': x->quit = true; break;
	case 'p': x->vo.paused = !x->vo.paused; break;
	case 's': x->vo.sort = (enum watch_sort)((x->vo.sort + 1) % WATCH_SORT_MAX); break;
	case '/':
		x->ui.prompt = true;
		x->ui.input_len = 0;
		x->ui.input[0] = 0;
		break;
	case '?': x->ui.pane = WATCH_PANE_HELP; break;
	case 'n':
		if (x->c.all_netns && x->allns.n_ns)
			x->pane_ns = x->pane_ns + 1 >= (int)x->allns.n_ns ? 0 : x->pane_ns + 1;
		break;
	case 'N': x->pane_ns = -1; break;
	case 'v': x->ui.pane = WATCH_PANE_FINDING; x->ui.finding = 0; break;
	case 'k': case WATCH_KEY_UP: select_move(x, -1); break;
	case 'j': case WATCH_KEY_DOWN: select_move(x, 1); break;
	case WATCH_KEY_ENTER: detail_open(x); break;
	default: break;
	}
}

/* One refresh on screen: sample, view, and the open pane's detail. */
static int screen_refresh(struct watch_ctx *x, struct strbuf *err)
{
	if (refresh(x, err))
		return -1;
	if (x->ui.pane == WATCH_PANE_DETAIL && !x->c.all_netns)
		watch_run_detail(&x->run, x->detail_slot, &x->detail);
	return 0;
}

static int run_screen(struct watch_ctx *x)
{
	struct strbuf err = STRBUF_INIT;
	double next = 0;
	int ret = SV_EXIT_OK;

	if (watch_screen_open(cmd_use_color(x->c.color), &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
		goto out;
	}
	while (!x->quit && !stop_sig) {
		double now = triage_mono_s();
		int k;

		if (!x->vo.paused && now >= next) {
			next = now + x->c.interval;
			if (screen_refresh(x, &err)) {
				watch_screen_close();
				ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
				goto out;
			}
			if (x->c.count && (x->c.all_netns ? x->allns.taken : x->run.taken) >=
			    (uint64_t)x->c.count)
				x->quit = true;
		}
		view_build(x);
		watch_screen_draw(&x->view, &x->ui);
		now = triage_mono_s();
		k = watch_screen_key(x->vo.paused ? 1000 : next > now ? (int)((next - now) * 1000) + 1 : 0);
		if (k == WATCH_KEY_NONE || k == WATCH_KEY_RESIZE)
			continue;
		if (x->ui.prompt)
			key_prompt(x, k);
		else
			key_main(x, k);
	}
	watch_screen_close();
	ret = stop_sig ? SV_EXIT_INTERRUPTED : status(x);
out:
	strbuf_release(&err);
	return ret;
}

/* --all-netns: not with -N, root only; the per-namespace state allocated. */
static int allns_setup(struct watch_ctx *x)
{
	struct strbuf err = STRBUF_INIT;
	int ret = SV_EXIT_OK;

	x->pane_ns = -1;
	x->allns.o = x->c.f.o;
	x->allns.interval = x->c.interval;
	x->allns.max_netns = (unsigned)x->c.max_netns;
	if (x->c.netns)
		ret = cmd_fail(SV_EXIT_USAGE, "watch: --all-netns and -N do not go together");
	else if (geteuid() != 0)
		ret = cmd_fail(SV_EXIT_FAILED, "watch: --all-netns needs root (it enters every "
			       "network namespace with setns)");
	else if (!(x->scratch = malloc(sizeof(*x->scratch))) || watch_allns_open(&x->allns, &err))
		ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.len ? err.buf : "out of memory");
	strbuf_release(&err);
	return ret;
}

int cmd_watch(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct watch_ctx *x = calloc(1, sizeof(*x));
	int n, ret = SV_EXIT_FAILED;

	if (!x)
		return cmd_fail(SV_EXIT_FAILED, "watch: out of memory");
	n = parse_args(&x->c, argc, argv, &ret);
	if (n < 0 || (ret = filter_setup(x, argc - n, argv + n)))
		goto out;
	ret = SV_EXIT_FAILED;
	if (x->c.json && x->c.color == CMD_COLOR_ALWAYS) {
		ret = cmd_fail(SV_EXIT_USAGE, "watch: --color=always does not go with --json");
		goto out;
	}
	x->vo.port = x->c.f.o.port;
	x->vo.interval_s = x->c.interval;
	x->run.o = x->c.f.o;
	x->run.interval = x->c.interval;
	x->run.netns = x->c.netns;
	if (x->c.bench)
		x->c.count = x->c.bench;
	if (x->c.all_netns) {
		ret = allns_setup(x);
		if (ret != SV_EXIT_OK)
			goto out;
		ret = SV_EXIT_FAILED;
	} else if (x->c.netns && netns_enter(x->c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
		goto out;
	}
	if (!x->c.all_netns && watch_run_open(&x->run, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "watch: %s", err.buf);
		goto out;
	}
	signals_install();
	if (x->c.batch || x->c.json || x->c.bench || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		ret = run_batch(x);
	else
		ret = run_screen(x);
out:
	watch_run_close(&x->run);
	watch_allns_close(&x->allns);
	free(x->scratch);
	ss_filter_free(x->cli_filter);
	free(x->ui_filter);
	free(x);
	strbuf_release(&err);
	return ret;
}
