// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet exporter`: the triage rules and the numbers behind them as
 * Prometheus metrics, on HTTP (--listen) and/or as a file for
 * node_exporter's textfile collector (--textfile). Never changes the
 * system.
 *
 * One thread samples (this one, on its own --interval), keeps the last
 * --window whole samples in a ring (at most TRIAGE_KEEP, as triage), runs
 * every rule over them and renders one exposition, which it publishes;
 * the HTTP thread only hands out the last published buffer. A scrape
 * never causes a dump.
 *
 * -N NETNS: the listening socket is created here, in the namespace the
 * exporter started in, before anything moves; for each sample this
 * thread enters NETNS and comes back (setns moves only the calling
 * thread, and /proc/net follows the thread group leader, which is this
 * thread). So the lab's namespace is watched while Prometheus on the
 * host scrapes the host's loopback.
 *
 * --all-netns: each round is exporter_allns.c's (one sample per
 * namespace, families merged); the loop, HTTP and textfile are these.
 *
 * Exit: 0 after SIGINT/SIGTERM (or --once written), 3 could not start
 * or write, 64 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "exporter_allns.h"
#include "exporter_http.h"
#include "owner_cache.h"
#include "triage_run.h"
#include "../collect/netns.h"
#include "../collect/netns_list.h"
#include "../collect/sample_collect.h"
#include "../diagnose/rules.h"
#include "../render/report.h"

#define EXP_LISTEN_DEFAULT "127.0.0.1:19813"
#define EXP_WINDOW_DEFAULT 6
#define EXP_INTERVAL_DEFAULT 10.0
#define EXP_MAX_LISTENERS_DEFAULT 100
#define EXP_ONCE_SAMPLES_MAX 100
#define EXP_MAX_NETNS_DEFAULT 256

struct exp_cmdline {
	const char *listen;
	const char *textfile;
	const char *netns;
	double interval;
	int window;
	int max_listeners;
	int samples;             /* with --once */
	int max_netns;           /* with --all-netns */
	bool once;
	bool all_netns;
};

struct exporter {
	struct exp_cmdline c;
	struct focus fo;
	int ns_fd, home_fd;              /* -1 without -N */
	struct sample *buf[TRIAGE_KEEP];
	unsigned next;                   /* ring slot of the next sample */
	unsigned n_win;                  /* consecutive good samples held, <= window */
	struct findings *fs;
	struct report_view *view;
	struct report_listener *rows;
	struct prom_self self;
	struct exporter_http *http;
	struct owner_cache owners;       /* listener inode -> owner */
	struct exp_allns *allns;         /* --all-netns */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --all-netns: one sample per namespace per round (docs/exporter.md). */
static int check_all_netns(struct exp_cmdline *c, int *code)
{
	const char *bad = NULL;

	if (!c->all_netns) {
		if (c->max_netns)
			bad = "--max-netns goes with --all-netns";
	} else if (c->netns) {
		bad = "--all-netns and -N cannot be combined";
	} else if (c->samples > 1) {
		bad = "--all-netns takes one sample per namespace: not with --samples";
	} else if (c->window) {
		bad = "--all-netns judges one sample per namespace: not with --window";
	}
	if (bad) {
		*code = cmd_fail(SV_EXIT_USAGE, "%s", bad);
		return -1;
	}
	if (c->all_netns)
		c->window = 1;
	if (!c->max_netns)
		c->max_netns = EXP_MAX_NETNS_DEFAULT;
	if (!c->window)
		c->window = EXP_WINDOW_DEFAULT;
	return 0;
}

static int parse_args(struct exp_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_STRING(0, "listen", &c->listen, "ADDR:PORT",
			   "serve /metrics here (default " EXP_LISTEN_DEFAULT ")"),
		OPT_STRING(0, "textfile", &c->textfile, "DIR",
			   "write DIR/sockvet.prom every interval (tmp + rename)"),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC",
			     "seconds between samples (default 10)", cmd_opt_interval),
		OPT_INT(0, "window", &c->window, "N", 1, TRIAGE_KEEP,
			"the rules judge the last N samples (default 6, at most 8)"),
		OPT_INT(0, "max-listeners", &c->max_listeners, "N", 1, SAMPLE_LISTENERS_MAX,
			"listeners with their own series, fullest first (default 100)"),
		OPT_BOOL(0, "once", &c->once, "one exposition, written to --textfile or stdout, then exit"),
		OPT_INT(0, "samples", &c->samples, "N", 1, EXP_ONCE_SAMPLES_MAX,
			"with --once: judge N samples, --interval apart (default 1)"),
		OPT_STRING('N', "net", &c->netns, "NETNS",
			   "sample the named network namespace; HTTP stays in this one"),
		OPT_BOOL(0, "all-netns", &c->all_netns,
			 "sample every network namespace each round (labels netns, netns_owner)"),
		OPT_INT(0, "max-netns", &c->max_netns, "N", 1, NETNS_MAX,
			"with --all-netns: namespaces sampled, the rest counted (default 256)"),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "exporter",
		.usage = "Usage: sockvet exporter [--listen ADDR:PORT] [--textfile DIR] [OPTIONS]\n\n"
			 "Prometheus metrics: listener queues and drops, TCP states, counters, limits\n"
			 "and the triage findings, sampled every interval. Changes nothing.\n\n",
		.opts = opts,
		.width = 26,
		.footer = "\nExit status: 0 stopped by SIGINT/SIGTERM or --once written, 3 failed, 64 usage.\n",
	};

	c->interval = EXP_INTERVAL_DEFAULT;
	c->max_listeners = EXP_MAX_LISTENERS_DEFAULT;
	c->samples = 1;
	if (cmd_parse_options_only(&spec, argc, argv, code) < 0)
		return -1;
	if (check_all_netns(c, code))
		return -1;
	if (c->once && c->listen) {
		*code = cmd_fail(SV_EXIT_USAGE, "--once writes a file or stdout; it does not serve --listen");
		return -1;
	}
	if (c->samples > 1 && !c->once) {
		*code = cmd_fail(SV_EXIT_USAGE, "--samples goes with --once");
		return -1;
	}
	if (c->once)
		c->window = c->samples < TRIAGE_KEEP ? c->samples : TRIAGE_KEEP;
	else if (!c->listen && !c->textfile)
		c->listen = EXP_LISTEN_DEFAULT;
	return 0;
}

/* sample_collect in the watched namespace, and back; -2: could not come back. */
static int exp_collect(struct exporter *e, struct sample *smp, int owners, struct strbuf *err)
{
	struct sample_opts so = { .want_port = -1, .owners = owners, .kmsg = true };
	int rc;

	if (e->ns_fd >= 0 && netns_enter_fd(e->ns_fd, e->c.netns, err))
		return -1;
	rc = sample_collect(smp, &so, err);
	if (e->ns_fd >= 0 && netns_enter_fd(e->home_fd, "the exporter's own", err))
		return -2;
	return rc;
}

/*
 * One sample into the ring. Listener owners come from a full /proc walk
 * only when one is new (owner_cache.h): the sample is taken again
 * with the walk when an unnamed listener shows up, so a listener's
 * process label is right from its first series on.
 */
static int exp_sample(struct exporter *e, struct strbuf *err)
{
	unsigned k = e->next % (unsigned)e->c.window;
	int mode = owner_cache_mode(&e->owners);
	double t0;
	int rc;

	if (!e->buf[k] && !(e->buf[k] = malloc(sizeof(*e->buf[k]))))
		return error_set(err, "out of memory");
	t0 = mono_s();
	rc = exp_collect(e, e->buf[k], mode, err);
	if (!rc && !owner_cache_apply(&e->owners, e->buf[k], mode == SAMPLE_OWNERS_ALWAYS)) {
		rc = exp_collect(e, e->buf[k], SAMPLE_OWNERS_ALWAYS, err);
		if (!rc)
			owner_cache_apply(&e->owners, e->buf[k], true);
	}
	e->self.sample_s = mono_s() - t0;
	if (rc == -2)
		return -2;
	if (rc) {
		e->n_win = 0;    /* a hole: the next window starts after it */
		return -1;
	}
	e->next = k + 1;
	if (e->n_win < (unsigned)e->c.window)
		e->n_win++;
	e->self.last_unix = e->buf[k]->meta.time_unix;
	return 0;
}

/* Rules over the window, the view, the exposition into a new buffer. */
static int exp_render(struct exporter *e, bool have_sample, char **out, size_t *len,
		      struct strbuf *err)
{
	const struct sample *cs[TRIAGE_KEEP];
	struct series ser = { .s = cs, .n = e->n_win, .interval_s = e->c.interval };
	unsigned w = (unsigned)e->c.window;
	const struct report_view *v = NULL;
	double t0 = mono_s();
	FILE *fp;
	int rc;

	for (unsigned i = 0; i < e->n_win; i++)
		cs[i] = e->buf[(e->next + w - e->n_win + i) % w];
	if (have_sample && e->n_win) {
		diagnose_run(&ser, &e->fo, e->fs);
		if (report_view_build(e->view, &ser, e->fs, &e->fo, "", err) ||
		    report_view_set_netns(e->view, e->c.netns, err))
			return -1;
		report_view_set_all_listeners(e->view, &ser, e->rows, (unsigned)e->c.max_listeners);
		v = e->view;
	}
	e->self.window = have_sample ? e->n_win : 0;
	fp = open_memstream(out, len);
	if (!fp)
		return error_set(err, "out of memory");
	rc = report_prom(fp, v, &e->self, err);
	if (fclose(fp) && !rc)
		rc = error_set(err, "cannot write the exposition");
	e->self.render_s = mono_s() - t0;
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* DIR/sockvet.prom, replaced atomically: a reader sees the old file or
 * the new one, never a part. The temporary name does not end in .prom,
 * so node_exporter's collector never reads it. */
static int write_textfile(const char *dir, const char *data, size_t len, struct strbuf *err)
{
	char tmp[4096], dst[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.sockvet.prom.%ld.tmp", dir, (long)getpid()) >=
	    sizeof(tmp) || (size_t)snprintf(dst, sizeof(dst), "%s/sockvet.prom", dir) >= sizeof(dst))
		return error_set(err, "--textfile: directory name too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_set(err, "cannot write %s: %s", tmp, strerror(errno));
	if (write_all(fd, data, len) || fsync(fd)) {
		error_set(err, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, dst)) {
		error_set(err, "cannot rename %s to %s: %s", tmp, dst, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* One sample into the window, the rules and the exposition. 0, -1 (the
 * sample failed: the exposition says so), -2 fatal. */
static int exp_sample_render(struct exporter *e, char **out, size_t *len, struct strbuf *err)
{
	int rc = exp_sample(e, err);

	if (rc == -2)
		return -2;
	if (rc) {
		e->self.errors++;
		fprintf(stderr, "sockvet exporter: sample failed: %s\n", err->buf);
		strbuf_reset(err);
	}
	if (exp_render(e, rc == 0, out, len, err))
		return -2;
	return rc ? -1 : 0;
}

/* Sample, render, publish. 0; -1 a failure the loop survives; -2 fatal. */
static int exp_step(struct exporter *e, struct strbuf *err)
{
	char *out = NULL;
	size_t len = 0;
	int rc, ret = 0;

	e->self.samples++;
	if (e->allns) {
		rc = exp_allns_round(e->allns, &e->self, &out, &len, err);
		if (rc == -1) {
			fprintf(stderr, "sockvet exporter: round failed: %s\n", err->buf);
			strbuf_reset(err);
			ret = -1;
		}
	} else {
		rc = exp_sample_render(e, &out, &len, err);
		ret = rc == -1 ? -1 : 0;
	}
	if (rc == -2) {
		free(out);
		return -2;
	}
	if (e->http && exporter_http_publish(e->http, out, len))
		ret = error_set(err, "out of memory");
	if (!ret && e->c.textfile && write_textfile(e->c.textfile, out, len, err))
		ret = -1;
	if (!e->http && !e->c.textfile && fwrite(out, 1, len, stdout) != len)
		ret = error_set(err, "cannot write the exposition: %s", strerror(errno));
	free(out);
	return ret;
}

/* Sleep until `until` (monotonic) or a signal. */
static void sleep_until(double until)
{
	double now;

	while (!stop_signal && (now = mono_s()) < until) {
		double s = until - now;
		struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };

		nanosleep(&ts, NULL);
	}
}

/* --once --samples N: the first N-1 samples with --interval between
 * one's end and the next one's start, as triage sleeps; the last one is
 * exp_step's. */
static int exp_once_first(struct exporter *e, struct strbuf *err)
{
	for (int i = 1; i < e->c.samples && !stop_signal; i++) {
		e->self.samples++;
		if (exp_sample(e, err))
			return -1;
		sleep_until(mono_s() + e->c.interval);
	}
	return stop_signal ? error_set(err, "interrupted") : 0;
}

static int exp_loop(struct exporter *e, struct strbuf *err)
{
	if (e->c.once && exp_once_first(e, err))
		return cmd_fail(SV_EXIT_FAILED, "exporter: %s", err->buf);
	for (;;) {
		double t0 = mono_s();
		int rc = exp_step(e, err);

		if (rc == -2 || (rc && e->c.once))
			return cmd_fail(SV_EXIT_FAILED, "exporter: %s", err->buf);
		if (rc) {
			fprintf(stderr, "sockvet exporter: %s\n", err->buf);
			strbuf_reset(err);
		}
		if (e->c.once)
			return SV_EXIT_OK;
		sleep_until(t0 + e->c.interval);
		if (stop_signal)
			return SV_EXIT_OK;
	}
}

/* Signals: blocked while the HTTP thread is created (it inherits the
 * mask and never takes them), then handled here without SA_RESTART so
 * the sleep ends at once. */
static int exp_start_http(struct exporter *e, int fd, struct strbuf *err)
{
	struct sigaction sa;
	sigset_t set;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (fd >= 0)
		rc = exporter_http_start(&e->http, fd, err);
	/* This thread takes them, even if the caller started us with them blocked. */
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return rc;
}

static int exp_setup(struct exporter *e, int *listen_fd, struct strbuf *err)
{
	e->fs = malloc(sizeof(*e->fs));
	e->view = malloc(sizeof(*e->view));
	e->rows = calloc((size_t)e->c.max_listeners, sizeof(*e->rows));
	if (!e->fs || !e->view || !e->rows)
		return error_set(err, "out of memory");
	if (e->c.all_netns &&
	    exp_allns_new(&e->allns, (unsigned)e->c.max_netns, (unsigned)e->c.max_listeners, &e->fo, err))
		return -1;
	if (e->c.netns) {
		e->home_fd = netns_open("/proc/self/ns/net", err);
		if (e->home_fd < 0)
			return -1;
		e->ns_fd = netns_open(e->c.netns, err);
		if (e->ns_fd < 0)
			return -1;
	}
	if (e->c.listen) {
		*listen_fd = exporter_http_listen(e->c.listen, err);
		if (*listen_fd < 0)
			return -1;
	}
	return 0;
}

int cmd_exporter(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct exporter *e = calloc(1, sizeof(*e));
	int ret = SV_EXIT_FAILED, fd = -1;

	if (!e)
		return cmd_fail(SV_EXIT_FAILED, "out of memory");
	e->ns_fd = e->home_fd = -1;
	e->self.sample_s = e->self.render_s = -1;
	focus_init(&e->fo);
	if (parse_args(&e->c, argc, argv, &ret))
		goto out;
	ret = SV_EXIT_FAILED;
	if (e->c.all_netns && geteuid() != 0) {
		ret = cmd_fail(SV_EXIT_FAILED, "--all-netns needs root (it enters every "
			       "network namespace with setns)");
		goto out;
	}
	if (exp_setup(e, &fd, &err) || exp_start_http(e, fd, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "exporter: %s", err.buf);
		goto out;
	}
	ret = exp_loop(e, &err);
out:
	exporter_http_stop(e->http);
	exp_allns_free(e->allns);
	for (unsigned i = 0; i < TRIAGE_KEEP; i++)
		free(e->buf[i]);
	if (e->ns_fd >= 0)
		close(e->ns_fd);
	if (e->home_fd >= 0)
		close(e->home_fd);
	free(e->fs);
	free(e->view);
	free(e->rows);
	free(e);
	strbuf_release(&err);
	return ret;
}
