// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet lab`: stage real incidents in throwaway network namespaces,
 * run the live triage inside, check the verdict is the expected one.
 *
 *   sockvet lab list [--json]
 *   sockvet lab run NAME|all [--keep] [--json]
 *   sockvet lab clean [NAME|all]
 *
 * Progress goes to stderr, reports and check lines to stdout. Exit: 0
 * every verdict as expected, 1 some verdict not as expected, 3 could not
 * stage or triage (or not root), 64 usage, 130 interrupted.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "../lab/lab.h"
#include "../render/json_writer.h"
#include "../diagnose/verdict.h"
#include "../render/report.h"
#include "triage_run.h"

/* One scenario's JSON object (report included), and all of them. */
#define LAB_JSON_ONE_MAX (4u << 20)
#define LAB_JSON_ALL_MAX (32u << 20)
/*
 * One lab at a time on a host: two runs of the same scenario would
 * remove each other's namespace as a leftover. A second run waits (at
 * most LAB_LOCK_WAIT_S, Ctrl-C ends the wait).
 */
#define LAB_LOCK_PATH "/run/sockvet-lab.lock"
#define LAB_LOCK_WAIT_S 600

/* Set by SIGINT/SIGTERM; the lab polls it between steps. */
static volatile sig_atomic_t lab_stop;

struct lab_cmdline {
	const char *verb;        /* list, run, clean */
	const char *name;        /* NAME, "all" or NULL */
	bool json, keep;
	/* run NAME only: the HTML report, and samples other than the scenario's */
	const char *html;
	int samples;             /* 0: the scenario's */
	double interval;         /* 0: the scenario's */
};

/* How one scenario's run ended. */
enum lab_outcome { LAB_PASS, LAB_FAIL, LAB_NOT_STAGED, LAB_INTERRUPTED };

struct lab_result {
	enum lab_outcome outcome;
	double seconds;
	char got[160];           /* the findings seen, for the summary */
};

/* The operands: 0, or the usage error's exit status (message printed). */
static int check_args(const struct lab_cmdline *c, const char *extra)
{
	if (extra)
		return cmd_fail(SV_EXIT_USAGE, "lab: unexpected argument '%s'", extra);
	if (!c->verb)
		return cmd_fail(SV_EXIT_USAGE, "lab: say list, run or clean (try 'sockvet lab --help')");
	if (strcmp(c->verb, "list") && strcmp(c->verb, "run") && strcmp(c->verb, "clean"))
		return cmd_fail(SV_EXIT_USAGE, "lab: unknown command '%s' (list, run or clean)", c->verb);
	if (!strcmp(c->verb, "list") && c->name)
		return cmd_fail(SV_EXIT_USAGE, "lab list: unexpected argument '%s'", c->name);
	if (!strcmp(c->verb, "run") && !c->name)
		return cmd_fail(SV_EXIT_USAGE, "lab run: which scenario? (NAME or all; see 'sockvet lab list')");
	if (c->name && strcmp(c->name, "all") && !lab_find(c->name))
		return cmd_fail(SV_EXIT_USAGE, "lab %s: no scenario '%s' (see 'sockvet lab list')",
				c->verb, c->name);
	if (c->keep && (strcmp(c->verb, "run") || !strcmp(c->name, "all")))
		return cmd_fail(SV_EXIT_USAGE, "lab: --keep goes with 'run NAME' (one scenario)");
	if ((c->html || c->samples || c->interval > 0) &&
	    (strcmp(c->verb, "run") || !strcmp(c->name, "all")))
		return cmd_fail(SV_EXIT_USAGE, "lab: --html, --samples and --interval go with 'run NAME' "
				"(one scenario)");
	if (c->json && !strcmp(c->verb, "clean"))
		return cmd_fail(SV_EXIT_USAGE, "lab clean: --json does not apply");
	return SV_EXIT_OK;
}

static int parse_args(struct lab_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_BOOL('j', "json", &c->json, "list / run: one JSON document instead of text"),
		OPT_BOOL(0, "keep", &c->keep,
			 "run NAME: leave the staged incident up (at most 30 min) to look at it"),
		OPT_STRING(0, "html", &c->html, "FILE",
			   "run NAME: also write the report with plots as one HTML file"),
		OPT_INT(0, "samples", &c->samples, "N", 1, TRIAGE_SAMPLES_MAX,
			"run NAME: samples to take (default: the scenario's, mostly 3)"),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC",
			     "run NAME: seconds between samples (default: the scenario's)",
			     cmd_opt_interval),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "lab",
		.usage = "Usage: sockvet lab list [--json]\n"
			 "       sockvet lab run NAME|all [--keep] [--json]\n"
			 "       sockvet lab run NAME [--html FILE] [--samples N] [--interval SEC]\n"
			 "       sockvet lab clean [NAME|all]\n\n"
			 "Stages real socket incidents in throwaway network namespaces (" LAB_NETNS_PREFIX "NAME),\n"
			 "runs the live triage inside and checks that the verdict is the expected one.\n"
			 "Changes nothing outside those namespaces; everything is removed afterwards,\n"
			 "also on Ctrl-C. Needs root.\n\n",
		.opts = opts,
		.width = 22,
		.footer = "\n'sockvet lab list' shows the scenarios.\n"
			  "Exit status: 0 every verdict as expected, 1 some not, 3 could not stage or triage,\n"
			  "64 usage, 130 interrupted.\n",
	};
	int n = cmd_parse_options(&spec, argc, argv, code);

	if (n < 0)
		return -1;
	c->verb = n < argc ? argv[n] : NULL;
	c->name = n + 1 < argc ? argv[n + 1] : NULL;
	if (c->verb && !strcmp(c->verb, "help") && n + 2 >= argc) {
		cmd_usage(stdout, &spec);
		return -1;
	}
	*code = check_args(c, n + 2 < argc ? argv[n + 2] : NULL);
	return *code ? -1 : 0;
}

/* "accept-queue-overflow (APP)", the side in capitals as the text report shows it; "healthy". */
static void expect_text(char *buf, size_t size, const struct lab_scenario *sc)
{
	if (!sc->expect_id) {
		snprintf(buf, size, "healthy");
		return;
	}
	snprintf(buf, size, "%s (%s%s%s)", sc->expect_id, verdict_side_label(sc->expect_side),
		 sc->expect_sev ? ", " : "",
		 sc->expect_sev ? verdict_severity_name((enum severity)(sc->expect_sev - 1)) : "");
}

static void json_expect(struct json_writer *w, const struct lab_scenario *sc)
{
	json_kv_obj_begin(w, "expect");
	json_key(w, "id");
	if (sc->expect_id)
		json_cstr(w, sc->expect_id);
	else
		json_null(w);
	json_kv_cstr(w, "side", verdict_side_name(sc->expect_side));
	json_key(w, "severity");
	if (sc->expect_sev)
		json_cstr(w, verdict_severity_name((enum severity)(sc->expect_sev - 1)));
	else
		json_null(w);
	json_kv_bool(w, "only", sc->only);
	json_obj_end(w);
}

static int cmd_lab_list(const struct lab_cmdline *c)
{
	struct strbuf err = STRBUF_INIT;
	int ret = SV_EXIT_OK;

	if (c->json) {
		struct json_writer w;

		json_writer_init(&w, stdout, 0);
		json_obj_begin(&w);
		json_kv_arr_begin(&w, "scenarios");
		for (size_t i = 0; i < lab_n_scenarios; i++) {
			const struct lab_scenario *sc = &lab_scenarios[i];

			json_obj_begin(&w);
			json_kv_cstr(&w, "name", sc->name);
			json_expect(&w, sc);
			json_kv_cstr(&w, "title", sc->title);
			json_kv_cstr(&w, "story", sc->story);
			json_obj_end(&w);
		}
		json_arr_end(&w);
		json_obj_end(&w);
		if (json_writer_finish(&w, &err))
			ret = cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
	} else {
		printf("%-24s %-36s %s\n", "NAME", "EXPECTED", "TITLE");
		for (size_t i = 0; i < lab_n_scenarios; i++) {
			char ex[96];

			expect_text(ex, sizeof(ex), &lab_scenarios[i]);
			printf("%-24s %-36s %s\n", lab_scenarios[i].name, ex, lab_scenarios[i].title);
		}
	}
	if (fflush(stdout) && ret == SV_EXIT_OK)
		ret = cmd_fail(SV_EXIT_FAILED, "cannot write the list");
	strbuf_release(&err);
	return ret;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The next non-empty line of the staged log from *p: false at the end. */
static bool log_line(const char **p, const char **line, size_t *len)
{
	while (**p) {
		const char *nl = strchr(*p, '\n');

		*line = *p;
		*len = nl ? (size_t)(nl - *p) : strlen(*p);
		*p += *len + (nl ? 1 : 0);
		if (*len)
			return true;
	}
	return false;
}

/* The staged log, one "lab: ready: LINE" per line. */
static void print_log(const struct lab *l)
{
	const char *p = l->log.buf, *line;
	size_t len;

	while (log_line(&p, &line, &len))
		fprintf(stderr, "lab: ready: %.*s\n", (int)len, line);
}

static void json_log(struct json_writer *w, const struct lab *l)
{
	const char *p = l->log.buf, *line;
	size_t len;

	json_kv_arr_begin(w, "staged");
	while (log_line(&p, &line, &len))
		json_str(w, line, len);
	json_arr_end(w);
}

/* len without the trailing newlines of s. */
static size_t trim_newlines(const char *s, size_t len)
{
	while (len && s[len - 1] == '\n')
		len--;
	return len;
}

/* Close a memstream (its buffer is complete only then); *fp is NULL after. */
static int close_stream(FILE **fp, const char *msg, struct strbuf *err)
{
	int bad = fclose(*fp);

	*fp = NULL;
	return bad ? error_set(err, "%s", msg) : 0;
}

/* One scenario's JSON object into out, the report (the document `sockvet
 * --json` prints) nested as its last member. */
static int json_scenario(struct strbuf *out, const struct lab *l, const struct report_view *view,
			 const struct lab_result *res, const char *error, struct strbuf *err)
{
	char *mem = NULL;
	size_t mlen = 0;
	FILE *fp = open_memstream(&mem, &mlen);
	struct json_writer w;
	int ret = -1;

	if (!fp)
		return error_set(err, "out of memory");
	json_writer_init(&w, fp, 0);
	json_obj_begin(&w);
	json_kv_cstr(&w, "scenario", l->sc->name);
	json_expect(&w, l->sc);
	json_kv_bool(&w, "pass", res->outcome == LAB_PASS);
	json_kv_double(&w, "seconds", res->seconds);
	json_log(&w, l);
	if (error || !view) {
		json_kv_cstr(&w, "error", error ? error : "not staged");
	} else {
		json_key(&w, "report");
		report_json_write(&w, view);
	}
	json_obj_end(&w);
	if (json_writer_finish(&w, err))
		goto out;
	if (close_stream(&fp, "cannot write the lab's JSON", err))
		goto out;
	mlen = trim_newlines(mem, mlen);
	if (strbuf_add(out, mem, mlen)) {
		error_set(err, "the lab's JSON is too large");
		goto out;
	}
	ret = 0;
out:
	if (fp)
		fclose(fp);
	free(mem);
	return ret;
}

static void print_keep(const struct lab *l, FILE *fp)
{
	fprintf(fp, "lab: %s stays up (its programs end by themselves within %d min):\n",
		l->sc->name, LAB_KEEP_MAX_S / 60);
	for (unsigned i = 0; i < l->n_ns; i++)
		fprintf(fp, "lab:   enter:  ip netns exec %s bash\n", l->ns[i]);
	fprintf(fp, "lab:   triage: sockvet -N %s%s%s\n", l->ns[l->triage_ns],
		l->focus[0] ? " " : "", l->focus);
	fprintf(fp, "lab:   remove: sockvet lab clean %s\n", l->sc->name);
}

/* Triage the staged scenario in its namespace, as the printed command would. */
static int lab_triage(struct lab *l, struct triage_run *t, struct strbuf *err)
{
	const char *name = l->sc->name;

	if (l->samples < 1 || l->samples > TRIAGE_SAMPLES_MAX)
		l->samples = 3;
	fprintf(stderr, "lab: triage in %s: sockvet -N %s%s%s", l->ns[l->triage_ns],
		l->ns[l->triage_ns], l->focus[0] ? " " : "", l->focus);
	if (l->samples != 3 || l->interval != 1.0)
		fprintf(stderr, " --samples %u --interval %g", l->samples, l->interval);
	fputc('\n', stderr);
	t->o = l->topts;
	t->samples = l->samples;
	t->interval = l->interval;
	if (lab_enter(l, l->triage_ns, err) || triage_run(t, err)) {
		lab_leave(l, err);
		fprintf(stderr, "lab: %s: cannot triage: %s\n", name, err->buf);
		return -1;
	}
	if (lab_leave(l, err)) {
		fprintf(stderr, "lab: %s: %s\n", name, err->buf);
		return -1;
	}
	return 0;
}

/* The report and the check line (text), or the scenario's JSON object. */
static int lab_report(struct lab *l, const struct triage_run *t, struct strbuf *json,
		      const struct lab_result *res, const char *ex, const char *why,
		      const char *html, struct strbuf *err)
{
	const char *name = l->sc->name;
	struct report_view *view = malloc(sizeof(*view));
	int ret = -1;

	if (!view || report_view_build(view, &t->ser, t->fs, &l->topts, l->focus, err) ||
	    report_view_set_netns(view, l->ns[l->triage_ns], err)) {
		fprintf(stderr, "lab: %s: cannot report: %s\n", name, err->len ? err->buf : "out of memory");
		goto out;
	}
	report_view_set_trace(view, t->trace);
	if (html && report_html_file(html, view, err)) {
		fprintf(stderr, "lab: %s: --html: %s\n", name, err->buf);
		goto out;
	}
	if (json) {
		if (json_scenario(json, l, view, res, NULL, err)) {
			fprintf(stderr, "lab: %s: %s\n", name, err->buf);
			goto out;
		}
	} else {
		if (report_text(stdout, view, cmd_use_color(CMD_COLOR_AUTO), err)) {
			fprintf(stderr, "lab: %s: %s\n", name, err->buf);
			goto out;
		}
		if (res->outcome == LAB_PASS)
			printf("lab: %s: sockvet said %s, as expected\n", name, ex);
		else
			printf("lab: %s: expected %s, got: %s\n", name, ex, why);
		fflush(stdout);
	}
	ret = 0;
out:
	free(view);
	return ret;
}

/*
 * Stage, triage, check and tear down one scenario. Text mode prints the
 * report and a check line; JSON mode appends the scenario's object to
 * json (nothing printed).
 */
static void run_one(const struct lab_scenario *sc, const struct lab_cmdline *c,
		    struct strbuf *json, struct lab_result *res)
{
	struct strbuf err = STRBUF_INIT, why = STRBUF_INIT;
	struct triage_run t;
	struct lab l;
	double t0 = now_s();
	bool staged = false, triaged = false;
	char ex[96];

	memset(res, 0, sizeof(*res));
	memset(&t, 0, sizeof(t));
	why.max = 4096;
	expect_text(ex, sizeof(ex), sc);
	lab_init(&l, sc, c->keep, &lab_stop);
	fprintf(stderr, "lab: staging %s ...\n", sc->name);
	if (sc->stage(&l, &err)) {
		if (lab_stop)
			goto interrupted;
		fprintf(stderr, "lab: %s: cannot stage: %s\n", sc->name, err.buf);
		goto failed;
	}
	if (lab_stop)
		goto interrupted;
	staged = true;
	print_log(&l);
	if (c->samples)
		l.samples = (unsigned)c->samples;
	if (c->interval > 0)
		l.interval = c->interval;
	if (lab_triage(&l, &t, &err))
		goto failed;
	if (lab_stop)
		goto interrupted;
	triaged = true;
	res->outcome = lab_verdict_ok(sc, t.fs, &why) ? LAB_PASS : LAB_FAIL;
	snprintf(res->got, sizeof(res->got), "%s", why.buf);
	res->seconds = now_s() - t0;
	if (lab_report(&l, &t, json, res, ex, why.buf, c->html, &err))
		goto failed;
	if (c->keep)
		print_keep(&l, json ? stderr : stdout);
	goto out;

interrupted:
	res->outcome = LAB_INTERRUPTED;
	fprintf(stderr, "lab: %s: interrupted, tearing down\n", sc->name);
	l.keep = false;
	goto out;
failed:
	/* Not staged or not triaged: nothing to keep. */
	if (lab_stop)
		goto interrupted;
	res->outcome = LAB_NOT_STAGED;
	snprintf(res->got, sizeof(res->got), "%s", err.len ? err.buf : "failed");
	res->seconds = now_s() - t0;
	l.keep = false;
	if (json && !triaged) {
		struct strbuf e2 = STRBUF_INIT;

		if (json_scenario(json, &l, NULL, res, err.len ? err.buf : "failed", &e2))
			fprintf(stderr, "lab: %s: %s\n", sc->name, e2.buf);
		strbuf_release(&e2);
	} else if (!json) {
		printf("lab: %s: not %s: %s\n", sc->name, staged ? "triaged" : "staged",
		       err.len ? err.buf : "failed");
		fflush(stdout);
	}
out:
	lab_teardown(&l);
	if (!res->seconds)
		res->seconds = now_s() - t0;
	triage_run_release(&t);
	strbuf_release(&l.log);
	strbuf_release(&why);
	strbuf_release(&err);
}

static int exit_of(unsigned failed, unsigned not_staged, bool interrupted)
{
	if (interrupted)
		return SV_EXIT_INTERRUPTED;
	if (not_staged)
		return SV_EXIT_FAILED;
	return failed ? SV_EXIT_WARNING : SV_EXIT_OK;
}

static int cmd_lab_run(const struct lab_cmdline *c)
{
	const struct lab_scenario *one = strcmp(c->name, "all") ? lab_find(c->name) : NULL;
	struct strbuf json = STRBUF_INIT;
	struct lab_result res[64];
	unsigned n = 0, passed = 0, failed = 0, not_staged = 0;
	bool interrupted = false;
	double t0 = now_s();
	int ret;

	json.max = LAB_JSON_ALL_MAX;
	for (size_t i = 0; i < lab_n_scenarios && n < sizeof(res) / sizeof(res[0]); i++) {
		const struct lab_scenario *sc = &lab_scenarios[i];

		if (one && sc != one)
			continue;
		if (c->json && !one)
			strbuf_addstr(&json, n ? "," : "{\"scenarios\":[");
		run_one(sc, c, c->json ? &json : NULL, &res[n]);
		switch (res[n].outcome) {
		case LAB_PASS: passed++; break;
		case LAB_FAIL: failed++; break;
		case LAB_NOT_STAGED: not_staged++; break;
		case LAB_INTERRUPTED: interrupted = true; break;
		}
		n++;
		if (interrupted)
			break;
	}
	ret = exit_of(failed, not_staged, interrupted);
	if (interrupted)
		goto out;
	if (c->json) {
		if (!one)
			strbuf_addf(&json, "],\"passed\":%u,\"failed\":%u,\"not_staged\":%u,\"seconds\":%.1f}",
				    passed, failed, not_staged, now_s() - t0);
		if (json.truncated) {
			ret = cmd_fail(SV_EXIT_FAILED, "lab: the JSON document is too large");
			goto out;
		}
		if (json.len) {
			fwrite(json.buf, 1, json.len, stdout);
			fputc('\n', stdout);
		}
	} else if (!one) {
		unsigned k = 0;

		printf("\nlab: %-24s %-12s %-36s %s\n", "SCENARIO", "RESULT", "EXPECTED", "TIME");
		for (size_t i = 0; i < lab_n_scenarios && k < n; i++, k++) {
			static const char *const names[] = { "pass", "FAIL", "NOT STAGED", "interrupted" };
			char ex[96];

			expect_text(ex, sizeof(ex), &lab_scenarios[i]);
			printf("lab: %-24s %-12s %-36s %5.1f s\n", lab_scenarios[i].name,
			       names[res[k].outcome], ex, res[k].seconds);
			if (res[k].outcome == LAB_FAIL || res[k].outcome == LAB_NOT_STAGED)
				printf("lab: %-24s   got: %s\n", "", res[k].got);
		}
		printf("lab: %u passed, %u failed, %u not staged in %.1f s\n", passed, failed,
		       not_staged, now_s() - t0);
	}
	if (fflush(stdout))
		ret = cmd_fail(SV_EXIT_FAILED, "lab: cannot write the report: %s", strerror(errno));
out:
	strbuf_release(&json);
	return ret;
}

static int cmd_lab_clean(const struct lab_cmdline *c)
{
	struct strbuf err = STRBUF_INIT;
	int ret = SV_EXIT_OK;

	if (lab_clean(c->name, &err))
		ret = cmd_fail(SV_EXIT_FAILED, "lab clean: %s", err.buf);
	else
		fprintf(stderr, "lab: removed what was left of %s\n",
			c->name && strcmp(c->name, "all") ? c->name : "every scenario");
	strbuf_release(&err);
	return ret;
}

/* The lab lock's fd (held until exit), or -1 with a message printed. */
static int lab_lock(void)
{
	int fd = open(LAB_LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	bool said = false;

	if (fd < 0) {
		cmd_fail(SV_EXIT_FAILED, "lab: cannot open %s: %s", LAB_LOCK_PATH, strerror(errno));
		return -1;
	}
	for (unsigned waited = 0;; waited += 100) {
		struct timespec ts = { 0, 100 * 1000000L };

		if (!flock(fd, LOCK_EX | LOCK_NB))
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			cmd_fail(SV_EXIT_FAILED, "lab: cannot lock %s: %s", LAB_LOCK_PATH, strerror(errno));
			break;
		}
		if (lab_stop)
			break;
		if (waited >= LAB_LOCK_WAIT_S * 1000u) {
			cmd_fail(SV_EXIT_FAILED, "lab: another sockvet lab still runs after %d s", LAB_LOCK_WAIT_S);
			break;
		}
		if (!said)
			fprintf(stderr, "lab: another sockvet lab is running; waiting for it\n");
		said = true;
		nanosleep(&ts, NULL);
	}
	close(fd);
	return -1;
}

static void on_stop(int sig)
{
	(void)sig;
	lab_stop = 1;
}

int cmd_lab(int argc, char **argv)
{
	struct lab_cmdline c;
	struct sigaction sa, old_int, old_term;
	int rc, lock;

	memset(&c, 0, sizeof(c));
	if (parse_args(&c, argc, argv, &rc))
		return rc;
	if (!strcmp(c.verb, "list"))
		return cmd_lab_list(&c);
	if (geteuid() != 0)
		return cmd_fail(SV_EXIT_FAILED, "lab needs root (network namespaces)");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	lock = lab_lock();
	if (lock < 0)
		rc = lab_stop ? SV_EXIT_INTERRUPTED : SV_EXIT_FAILED;
	else
		rc = !strcmp(c.verb, "run") ? cmd_lab_run(&c) : cmd_lab_clean(&c);
	if (lock >= 0)
		close(lock);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}
