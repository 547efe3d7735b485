// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Golden tests of the triage report: fixed, fully synthetic series (no
 * /proc, no clock; every meta field pinned) go through the real rules
 * (diagnose_run) and both renderers, and the output must match
 * tests/data/report/<scenario>.{txt,json} byte for byte.
 *
 *   healthy        3 samples, listeners and TIME-WAIT, no finding
 *   healthy-notes  3 samples, only an info finding (old listener drops)
 *   critical       3 samples, accept-queue-overflow (critical, nginx's
 *                  listen() backlog) and close-wait-leak (warning, java)
 *   critical       also rendered with color on: critical.color.txt
 *   once           1 sample (--once): the rules say they could not
 *                  confirm a trend; one source unreadable
 *   symptom        --symptom timeout: a warning the symptom does not
 *                  speak to still comes before an info it does
 *
 * Besides the snapshot, each case checks structure that must hold
 * whatever the wording: section order, verdict words, JSON that parses
 * (jq, when installed) with its keys in the documented order.
 *
 * When a report change is intended, regenerate with scripts/update-golden
 * (it runs this binary with SOCKVET_GOLDEN_UPDATE=1) and review the diff.
 * The data directory is SOCKVET_GOLDEN_DIR when set, else found from
 * __FILE__ (run from the top of the tree, as make check does), else from
 * the test binary's own path.
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/render/report.h"

/* Pinned meta: nothing in a golden may come from the machine running it. */
#define FX_HOST "web-1.example"
#define FX_KERNEL "6.18.0-test"
#define FX_NETNS "net:[4026531840]"
#define FX_TIME 1767225600 /* 2026-01-01T00:00:00Z */

/* ---- locating and comparing golden files ---- */

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* tests/data/report, or NULL. */
static const char *golden_dir(void)
{
	static char dir[PATH_MAX + 32];
	const char *env = getenv("SOCKVET_GOLDEN_DIR");
	const char *slash;
	char exe[PATH_MAX];
	ssize_t n;

	if (env && env[0])
		return env;
	/* __FILE__ is tests/unit/test_report_golden.c as make compiles it. */
	slash = strrchr(__FILE__, '/');
	if (slash) {
		snprintf(dir, sizeof(dir), "%.*s/../data/report", (int)(slash - __FILE__), __FILE__);
		if (is_dir(dir))
			return dir;
	}
	/* Run from elsewhere: the binary sits next to this file. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			snprintf(dir, sizeof(dir), "%.*s/../data/report", (int)(slash - exe), exe);
			if (is_dir(dir))
				return dir;
		}
	}
	return NULL;
}

static bool updating(void)
{
	const char *u = getenv("SOCKVET_GOLDEN_UPDATE");

	return u && u[0] && strcmp(u, "0");
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	FILE *mem;
	char chunk[4096];
	size_t got;

	if (!fp)
		return NULL;
	mem = open_memstream(&buf, &n);
	ck_assert_ptr_nonnull(mem);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fwrite(chunk, 1, got, mem);
	fclose(fp);
	fclose(mem);
	*len = n;
	return buf;
}

/* Line `no` (1-based) of text as [start, end), or false past the end. */
static bool line_at(const char *text, size_t len, unsigned no, const char **start, size_t *n)
{
	const char *p = text, *end = text + len, *nl;

	for (unsigned i = 1; i < no; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
	}
	if (p >= end)
		return false;
	*start = p;
	nl = memchr(p, '\n', (size_t)(end - p));
	*n = (size_t)((nl ? nl : end) - p);
	return true;
}

static void diag_line(char mark, const char *text, size_t len, unsigned no)
{
	const char *s;
	size_t n;

	if (line_at(text, len, no, &s, &n))
		fprintf(stderr, "# %c%.*s\n", mark, (int)n, s);
	else
		fprintf(stderr, "# %c(end of file)\n", mark);
}

/* Compare with <dir>/<file>; on mismatch show the first differing line. */
static void golden_cmp(const char *file, const char *got, size_t got_len)
{
	const char *dir = golden_dir();
	const char *tmpdir;
	char path[PATH_MAX + 160], tmp[PATH_MAX + 160];
	size_t exp_len = 0, i;
	char *exp;
	unsigned line = 1;
	FILE *fp;

	ck_assert_msg(dir != NULL, "cannot find tests/data/report (set SOCKVET_GOLDEN_DIR)");
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (updating()) {
		fp = fopen(path, "wb");
		ck_assert_msg(fp != NULL, "cannot write '%s': %s", path, strerror(errno));
		fwrite(got, 1, got_len, fp);
		ck_assert_int_eq(fclose(fp), 0);
		fprintf(stderr, "# wrote %s\n", path);
		return;
	}
	exp = slurp(path, &exp_len);
	ck_assert_msg(exp != NULL, "cannot read golden '%s': %s; run scripts/update-golden to create it",
		      path, strerror(errno));
	if (exp_len == got_len && !memcmp(exp, got, got_len)) {
		free(exp);
		return;
	}
	for (i = 0; i < exp_len && i < got_len && exp[i] == got[i]; i++)
		if (got[i] == '\n')
			line++;
	/* The whole actual output, for a full diff -u. */
	tmpdir = getenv("TMPDIR");
	snprintf(tmp, sizeof(tmp), "%s/sockvet-golden-%s", tmpdir && tmpdir[0] ? tmpdir : "/tmp", file);
	fp = fopen(tmp, "wb");
	if (fp) {
		fwrite(got, 1, got_len, fp);
		fclose(fp);
	}
	fprintf(stderr, "# --- %s (expected)\n# +++ actual\n# @@ line %u @@\n", path, line);
	if (line > 1)
		diag_line(' ', exp, exp_len, line - 1);
	diag_line('-', exp, exp_len, line);
	diag_line('+', got, got_len, line);
	fprintf(stderr, "# full output: %s (diff -u %s %s)\n", fp ? tmp : "(not written)", path, tmp);
	fprintf(stderr, "# if the report change is intended, run scripts/update-golden and review git diff tests/data/report\n");
	free(exp);
	ck_abort_msg("%s differs from the rendered report at line %u; run scripts/update-golden if the change is intended",
		     file, line);
}

/* ---- rendering ---- */

enum face { FACE_TEXT, FACE_TEXT_COLOR, FACE_JSON, FACE_JSON_COMPACT };

static char *render_in(const struct fx *f, enum face face, const char *netns, size_t *len)
{
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	int rc;

	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(fp);
	rc = report_view_build(v, &f->ser, &f->out, &f->opts, "", &err);
	ck_assert_msg(rc == 0, "report view failed: %s", err.buf);
	ck_assert_int_eq(report_view_set_netns(v, netns, &err), 0);
	if (face == FACE_JSON || face == FACE_JSON_COMPACT)
		rc = report_json(fp, v, face == FACE_JSON, &err);
	else
		rc = report_text(fp, v, face == FACE_TEXT_COLOR, &err);
	ck_assert_msg(rc == 0, "report failed: %s", err.buf);
	ck_assert_int_eq(fclose(fp), 0);
	strbuf_release(&err);
	free(v);
	return buf;
}

static char *render(const struct fx *f, enum face face, size_t *len)
{
	return render_in(f, face, NULL, len);
}

/* ---- fixtures ---- */

static void pin_meta(struct fx *f)
{
	for (unsigned i = 0; i < f->ser.n; i++) {
		struct snap_meta *m = &f->s[i]->meta;

		snprintf(m->host, sizeof(m->host), "%s", FX_HOST);
		snprintf(m->kernel, sizeof(m->kernel), "%s", FX_KERNEL);
		snprintf(m->netns, sizeof(m->netns), "%s", FX_NETNS);
		m->time_unix = FX_TIME + (int64_t)(i * f->ser.interval_s);
		m->mono_ns = 5000000000000LL + (int64_t)(i * f->ser.interval_s * 1e9);
	}
}

static void tcp_state(struct fx *f, unsigned i, int state, uint64_t n)
{
	f->s[i]->tally.by_state[TBL_TCP][state] = n;
}

/* Same counter in every sample: first value, then +step per sample. */
static void mib_ramp(struct fx *f, const char *name, uint64_t first, uint64_t step)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_mib(f, i, name, first + step * i);
}

/* A listener owned by proc index `owner` (-1 none), same inode everywhere. */
static struct s_listener *listener(struct fx *f, unsigned i, const char *addr, uint16_t port,
				   uint32_t rq, uint32_t wq, uint32_t inode, int32_t owner)
{
	struct s_listener *l = fx_listener(f, i, addr, port, rq, wq);

	l->inode = inode;
	l->cookie = inode;
	l->owner = owner;
	l->has_drops = true;
	return l;
}

static struct s_proc *proc(struct fx *f, unsigned i, uint32_t pid, const char *comm,
			   uint32_t fds, uint64_t soft, uint64_t hard)
{
	struct s_proc *p = sample_proc(f->s[i], pid, comm);

	p->fds = fds;
	p->has_limit = true;
	p->nofile_soft = soft;
	p->nofile_hard = hard;
	f->s[i]->have |= HAVE_OWNERS;
	return p;
}

/* The counters a quiet web host moves every second. */
static void quiet_counters(struct fx *f)
{
	mib_ramp(f, "TcpOutSegs", 81234567, 4200);
	mib_ramp(f, "TcpInSegs", 79876543, 4100);
	mib_ramp(f, "TcpRetransSegs", 12345, 2);
	mib_ramp(f, "TcpActiveOpens", 555000, 30);
	mib_ramp(f, "TcpPassiveOpens", 987000, 60);
	mib_ramp(f, "TcpEstabResets", 4321, 0);
	mib_ramp(f, "TcpOutRsts", 6543, 0);
	mib_ramp(f, "TcpAttemptFails", 321, 0);
	mib_ramp(f, "TcpExtListenOverflows", 0, 0);
	mib_ramp(f, "TcpExtListenDrops", 0, 0);
}

/* Healthy: a web host with listeners, some TIME-WAIT, nothing wrong. */
static struct fx *scenario_healthy(void)
{
	struct fx *f = fx_new(3, 1.0);

	pin_meta(f);
	quiet_counters(f);
	for (unsigned i = 0; i < 3; i++) {
		proc(f, i, 812, "nginx", 230, 65536, 65536)->listeners = 2;
		proc(f, i, 1544, "sshd", 12, 1024, 524288)->listeners = 1;
		listener(f, i, "0.0.0.0", 443, i == 2 ? 3 : 0, 511, 1001, 0);
		listener(f, i, "0.0.0.0", 80, 0, 511, 1002, 0);
		listener(f, i, "::", 22, 0, 128, 1003, 1);
		tcp_state(f, i, SS_LISTEN, 3);
		tcp_state(f, i, SS_ESTABLISHED, 182 + i);
		tcp_state(f, i, SS_TIME_WAIT, 480 + 15 * i);
		tcp_state(f, i, SS_FIN_WAIT2, 4);
		tcp_state(f, i, SS_SYN_RECV, 1);
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/* Healthy, but one listener dropped connections before sampling. */
static struct fx *scenario_healthy_notes(void)
{
	struct fx *f = fx_new(3, 2.0);

	pin_meta(f);
	quiet_counters(f);
	for (unsigned i = 0; i < 3; i++) {
		proc(f, i, 812, "nginx", 230, 65536, 65536)->listeners = 1;
		listener(f, i, "0.0.0.0", 443, 0, 511, 1001, 0)->drops = 1287;
		tcp_state(f, i, SS_LISTEN, 1);
		tcp_state(f, i, SS_ESTABLISHED, 97);
		tcp_state(f, i, SS_TIME_WAIT, 310);
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/*
 * Critical: nginx's listen() backlog (511) is below somaxconn (4096); its
 * accept queue is full in the last two samples and skmem d and
 * TcpExtListenOverflows rise. java holds 40 CLOSE-WAIT at every sample.
 */
static struct fx *scenario_critical(void)
{
	static const uint32_t rq[3] = { 37, 512, 512 }, d[3] = { 1000, 1210, 1450 };
	struct fx *f = fx_new(3, 1.0);

	pin_meta(f);
	quiet_counters(f);
	for (unsigned i = 0; i < 3; i++) {
		struct s_proc *java;

		fx_mib(f, i, "TcpExtListenOverflows", d[i] + 20);
		fx_mib(f, i, "TcpExtListenDrops", d[i] + 20);
		fx_mib(f, i, "TcpExtTCPReqQFullDoCookies", 0);
		proc(f, i, 812, "nginx", 1900, 65536, 65536)->listeners = 1;
		java = proc(f, i, 2301, "java", 410, 1048576, 1048576);
		java->listeners = 1;
		java->close_wait = 40;
		java->close_wait_unread = 40;
		listener(f, i, "0.0.0.0", 8080, rq[i], 511, 2001, 0)->drops = d[i];
		listener(f, i, "127.0.0.1", 9000, 0, 4096, 2002, 1);
		f->s[i]->close_wait_by_port[9000] = 40;
		tcp_state(f, i, SS_LISTEN, 2);
		tcp_state(f, i, SS_ESTABLISHED, 1734 + 20 * i);
		tcp_state(f, i, SS_SYN_RECV, 96);
		tcp_state(f, i, SS_TIME_WAIT, 2210);
		tcp_state(f, i, SS_CLOSE_WAIT, 40);
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/* --once: one sample, a full listener and a CLOSE-WAIT pile; no trend. */
static struct fx *scenario_once(void)
{
	struct fx *f = fx_new(1, 1.0);
	struct s_proc *p;

	pin_meta(f);
	quiet_counters(f);
	p = proc(f, 0, 812, "nginx", 1900, 65536, 65536);
	p->listeners = 1;
	p->close_wait = 25;
	p->close_wait_unread = 3;
	listener(f, 0, "0.0.0.0", 8080, 129, 128, 2001, 0)->drops = 77;
	f->s[0]->close_wait_by_port[8080] = 25;
	tcp_state(f, 0, SS_LISTEN, 1);
	tcp_state(f, 0, SS_ESTABLISHED, 640);
	tcp_state(f, 0, SS_CLOSE_WAIT, 25);
	tcp_state(f, 0, SS_TIME_WAIT, 12);
	sample_unavailable(f->s[0], "kernel log",
			   "cannot read /dev/kmsg: Operation not permitted (kernel.dmesg_restrict=1)");
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/*
 * --symptom timeout: an info the symptom speaks to (accept-queue-overflow,
 * old listener drops) and a warning it does not (close-wait-leak). The
 * warning still comes first, and only the info is under the notes.
 */
static struct fx *scenario_symptom(void)
{
	struct fx *f = fx_new(3, 1.0);

	pin_meta(f);
	quiet_counters(f);
	f->opts.symptom = SYMPTOM_TIMEOUT;
	for (unsigned i = 0; i < 3; i++) {
		struct s_proc *java;

		proc(f, i, 812, "nginx", 230, 65536, 65536)->listeners = 1;
		java = proc(f, i, 2301, "java", 410, 1048576, 1048576);
		java->listeners = 1;
		java->close_wait = 40;
		java->close_wait_unread = 40;
		listener(f, i, "0.0.0.0", 443, 0, 511, 1001, 0)->drops = 1287;
		listener(f, i, "127.0.0.1", 9000, 0, 4096, 2002, 1);
		f->s[i]->close_wait_by_port[9000] = 40;
		tcp_state(f, i, SS_LISTEN, 2);
		tcp_state(f, i, SS_ESTABLISHED, 97);
		tcp_state(f, i, SS_CLOSE_WAIT, 40);
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/* ---- structural checks ---- */

static void assert_in_order(const char *text, const char *const *needles, size_t n)
{
	const char *at = text;

	for (size_t i = 0; i < n; i++) {
		const char *p = strstr(at, needles[i]);

		ck_assert_msg(p != NULL, "'%s' missing or out of order", needles[i]);
		at = p + strlen(needles[i]);
	}
}

static bool has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* Color on, escapes stripped, must be the plain text exactly. */
static void assert_color_strips_to(const char *color, const char *plain)
{
	char *s = malloc(strlen(color) + 1), *o = s;

	ck_assert_ptr_nonnull(s);
	for (const char *p = color; *p; p++) {
		if (*p == '\033' && p[1] == '[') {
			p += 2;
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	ck_assert_str_eq(s, plain);
	free(s);
}

/* The top-level keys in the order report_json.c documents. */
static void assert_json_key_order(const char *json)
{
	static const char *const keys[] = {
		"\"schema_version\"", "\"host\"", "\"kernel\"", "\"netns\"", "\"samples\"",
		"\"interval_s\"", "\"verdict\"", "\"findings\"", "\"summary\"", "\"unavailable\"",
	};

	assert_in_order(json, keys, sizeof(keys) / sizeof(keys[0]));
	ck_assert(has(json, "\"host\": \"" FX_HOST "\""));
	ck_assert(has(json, "\"netns\": \"" FX_NETNS "\""));
}

/*
 * jq, when installed (make check installs it): the JSON parses, the
 * compact and pretty forms are the same document, and `expr` is true.
 */
static void assert_jq(const char *pretty, const char *compact, const char *expr)
{
	char dir[] = "/tmp/sockvet-golden-XXXXXX", a[64], b[64], cmd[512];
	FILE *fp;
	int rc;

	if (system("command -v jq >/dev/null 2>&1") != 0) {
		fprintf(stderr, "# jq not installed: JSON parse check skipped\n");
		return;
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/p.json", dir);
	snprintf(b, sizeof(b), "%s/c.json", dir);
	ck_assert_ptr_nonnull(fp = fopen(a, "w"));
	fputs(pretty, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(fp = fopen(b, "w"));
	fputs(compact, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "jq -e '%s' %s >/dev/null && [ \"$(jq -cS . %s)\" = \"$(jq -cS . %s)\" ]",
		 expr, a, a, b);
	rc = system(cmd);
	unlink(a);
	unlink(b);
	rmdir(dir);
	ck_assert_msg(rc == 0, "jq: JSON does not parse, pretty != compact, or false: %s", expr);
}

/* Render every face, compare the goldens, run the shared checks. */
struct rendered {
	char *text, *json, *compact;
	size_t text_len, json_len, compact_len;
};

static void check_scenario(const struct fx *f, const char *name, struct rendered *out,
			   const char *jq_expr)
{
	char file[128];

	out->text = render(f, FACE_TEXT, &out->text_len);
	out->json = render(f, FACE_JSON, &out->json_len);
	out->compact = render(f, FACE_JSON_COMPACT, &out->compact_len);
	snprintf(file, sizeof(file), "%s.txt", name);
	golden_cmp(file, out->text, out->text_len);
	snprintf(file, sizeof(file), "%s.json", name);
	golden_cmp(file, out->json, out->json_len);

	/* Nothing from the machine running the test. */
	ck_assert(!strncmp(out->text, "sockvet triage: " FX_HOST ", kernel " FX_KERNEL ", netns " FX_NETNS
			   ", at 2026-01-01 00:00:00 UTC\n",
			   strlen("sockvet triage: " FX_HOST ", kernel " FX_KERNEL ", netns " FX_NETNS
				  ", at 2026-01-01 00:00:00 UTC\n")));
	ck_assert(out->text_len && out->text[out->text_len - 1] == '\n');
	ck_assert(!has(out->text, "\033"));
	ck_assert(!memchr(out->compact, '\n', out->compact_len - 1));
	assert_json_key_order(out->json);
	assert_jq(out->json, out->compact, jq_expr);
}

static void rendered_free(struct rendered *r)
{
	free(r->text);
	free(r->json);
	free(r->compact);
}

/*
 * Closing-state pile in a child namespace (tcp_max_orphans unreadable):
 * 300 orphaned FIN-WAIT-1 to one peer, probing a zero window, and an old
 * SYN flood line from another namespace's listener on the same port.
 */
static struct fx *scenario_closing(void)
{
	struct fx *f = fx_new(3, 1.0);

	pin_meta(f);
	quiet_counters(f);
	for (unsigned i = 0; i < 3; i++) {
		struct s_closing *c = &f->s[i]->closing[f->s[i]->n_closing++];
		struct kevent *e = &f->s[i]->kevents[f->s[i]->n_kevents++];

		f->s[i]->sysctl.val[SYSCTL_TCP_MAX_ORPHANS].present = false;
		fx_sysctl(f->s[i], SYSCTL_TCP_ORPHAN_RETRIES, 1, (int64_t)0);
		listener(f, i, "0.0.0.0", 8443, 0, 4096, 1001, -1);
		tcp_state(f, i, SS_LISTEN, 1);
		tcp_state(f, i, SS_FIN_WAIT1, 300);
		memset(c, 0, sizeof(*c));
		c->family = AF_INET;
		inet_pton(AF_INET, "192.0.2.7", c->daddr);
		c->n[CL_FIN_WAIT1] = 300;
		c->orphans = 300;
		c->persist = 300;
		c->max_backoff = 4;
		c->send_q = 300 * 4181;
		f->s[i]->have |= HAVE_KLOG;
		memset(e, 0, sizeof(*e));
		e->kind = KEV_SYN_FLOOD;
		e->action = KEV_ACT_COOKIES;
		e->port = 8443;
		e->has_addr = true;
		snprintf(e->addr, sizeof(e->addr), "0.0.0.0");
		e->ts_us = 5000000;
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

/* ---- tests ---- */

START_TEST(report_golden__healthy_says_so)
{
	struct fx *f = scenario_healthy();
	struct rendered r;
	static const char *const order[] = {
		"\n3 samples, 1.0 s apart\n",
		"\nWhat the sockets and counters show\n",
		"  TCP sockets: ",
		"TIME-WAIT 510",
		"  TCP listeners: 3 (0 with a full accept queue)\n",
		"    0.0.0.0:443 ",
		"  Counters that rose over 2.0 s",
		"\nVerdict\n  healthy: nothing here needs a change.\n",
	};

	ck_assert_uint_eq(f->out.n, 0);
	check_scenario(f, "healthy", &r,
		       ".verdict == {\"side\":\"none\",\"severity\":\"healthy\"} and .findings == []"
		       " and .summary.listeners == 3 and .summary.tcp[\"TIME-WAIT\"] == 510");
	assert_in_order(r.text, order, sizeof(order) / sizeof(order[0]));
	/* Healthy: no change proposed, nothing to verify, nothing unread. */
	ck_assert(!has(r.text, "\nChanges"));
	ck_assert(!has(r.text, "\nVerify"));
	ck_assert(!has(r.text, "\nCould not read"));
	rendered_free(&r);
	fx_free(f);
}
END_TEST

START_TEST(report_golden__healthy_with_notes)
{
	struct fx *f = scenario_healthy_notes();
	struct rendered r;

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	check_scenario(f, "healthy-notes", &r,
		       ".verdict.severity == \"healthy\" and (.findings | length) == 1"
		       " and .findings[0].severity == \"info\"");
	ck_assert(has(r.text, "\nVerdict\n  healthy: nothing here needs a change.\n"));
	ck_assert(has(r.text, "\n  info     "));
	ck_assert(!has(r.text, "\nVerify"));
	rendered_free(&r);
	fx_free(f);
}
END_TEST

START_TEST(report_golden__critical_worst_first)
{
	struct fx *f = scenario_critical();
	struct findings alone;
	struct rendered r;
	size_t color_len;
	char *color;
	static const char *const order[] = {
		"\n3 samples, 1.0 s apart\n",
		"\nWhat the sockets and counters show\n",
		"  TCP listeners: 2 (1 with a full accept queue)\n",
		"    0.0.0.0:8080                 Recv-Q 512 / Send-Q 511  FULL  drops +450  nginx[812]\n",
		"    TcpExtListenOverflows        +450 (225.0/s)\n",
		"\nVerdict\n",
		"\n  critical APP      accept-queue-overflow: listener 0.0.0.0:8080 (process nginx[812])\n",
		"\n  warning  APP      close-wait-leak: process java[2301]\n",
		"\nChanges (sockvet changes nothing itself)\n",
		"  [accept-queue-overflow] listen() backlog of nginx[812]: 511 -> ",
		"\nVerify\n",
		"  [accept-queue-overflow] ss -ltnm 'sport = :8080'",
		"  [close-wait-leak] ss -tanp state close-wait",
	};

	/* The real rule alone says critical; diagnose_run puts it first. */
	memset(&alone, 0, sizeof(alone));
	rule_run(&rule_accept_queue_overflow, &f->ser, &f->opts, &alone);
	ck_assert_uint_eq(alone.n, 1);
	ck_assert_int_eq(alone.f[0].severity, SEV_CRITICAL);
	ck_assert_uint_ge(f->out.n, 2);
	ck_assert_str_eq(f->out.f[0].id, "accept-queue-overflow");
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	ck_assert_str_eq(f->out.f[1].id, "close-wait-leak");
	ck_assert_int_eq(f->out.f[1].severity, SEV_WARNING);

	check_scenario(f, "critical", &r,
		       ".verdict == {\"side\":\"app\",\"severity\":\"critical\"}"
		       " and [.findings[].id][0:2] == [\"accept-queue-overflow\",\"close-wait-leak\"]"
		       " and [.findings[].severity][0:2] == [\"critical\",\"warning\"]"
		       " and .summary.full_listeners == 1"
		       " and .summary.counters.TcpExtListenOverflows == 450"
		       " and (.findings[0].changes | length) == 1");
	assert_in_order(r.text, order, sizeof(order) / sizeof(order[0]));
	ck_assert(!has(r.text, "healthy"));

	/* Color: the same text, severity words painted. */
	color = render(f, FACE_TEXT_COLOR, &color_len);
	golden_cmp("critical.color.txt", color, color_len);
	ck_assert(has(color, "\n  \033[1;31mcritical\033[0m APP      accept-queue-overflow: "));
	ck_assert(has(color, "\n  \033[1;33mwarning \033[0m APP      close-wait-leak: "));
	assert_color_strips_to(color, r.text);
	free(color);

	/* -N web: the header names it; verify commands and back-outs run there. */
	color = render_in(f, FACE_TEXT, "web", &color_len);
	ck_assert(has(color, ", netns web (" FX_NETNS "), at "));
	ck_assert(has(color, "\nSampled inside network namespace web: "));
	ck_assert(has(color, "  [accept-queue-overflow] ip netns exec web ss -ltnm 'sport = :8080'; "
			     "ip netns exec web nstat -az TcpExtListenOverflows\n"));
	ck_assert(has(color, "  [close-wait-leak] ip netns exec web ss -tanp state close-wait"));
	free(color);
	color = render_in(f, FACE_JSON, "web", &color_len);
	ck_assert(has(color, "\"netns_name\": \"web\""));
	ck_assert(has(color, "\"command\": \"ip netns exec web ss -ltnm"));
	free(color);
	rendered_free(&r);
	fx_free(f);
}
END_TEST

START_TEST(report_golden__once_cannot_confirm_trend)
{
	struct fx *f = scenario_once();
	const struct finding *aq;
	struct rendered r;
	static const char *const order[] = {
		"\n1 sample (one snapshot: no trend; --once)\n",
		"\nWhat the sockets and counters show\n",
		"  TCP listeners: 1 (1 with a full accept queue)\n",
		"    0.0.0.0:8080                 Recv-Q 129 / Send-Q 128  FULL  nginx[812]\n",
		"  Counters: one sample, no rates",
		"\nVerdict\n",
		"\n  warning  APP      accept-queue-overflow: ",
		"could not be confirmed",
		"\nVerify\n",
		"\nCould not read (the verdict knows less)\n  kernel log: cannot read /dev/kmsg",
	};

	f->out.n = 0;
	rule_run(&rule_accept_queue_overflow, &f->ser, &f->opts, &f->out);
	ck_assert_ptr_nonnull(aq = fx_find(f, "accept-queue-overflow"));
	ck_assert_int_eq(aq->severity, SEV_WARNING);
	ck_assert_uint_eq(aq->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(aq->explanation, "could not be confirmed"));
	diagnose_run(&f->ser, &f->opts, &f->out);

	check_scenario(f, "once", &r,
		       ".samples == 1 and .interval_s == 0 and .verdict.severity == \"warning\""
		       " and .summary.counters == {} and ([.findings[].changes[]] | length) == 0"
		       " and .unavailable[0].what == \"kernel log\"");
	assert_in_order(r.text, order, sizeof(order) / sizeof(order[0]));
	/* One sample proposes no tuning change (rules.h). */
	ck_assert(!has(r.text, "\nChanges"));
	ck_assert(!has(r.text, " apart"));
	rendered_free(&r);
	fx_free(f);
}
END_TEST

START_TEST(report_golden__closing_pile_and_grouped_log_note)
{
	struct fx *f = scenario_closing();
	struct rendered r;

	check_scenario(f, "closing-pile", &r,
		       ".verdict == {\"side\":\"network\",\"severity\":\"warning\"}"
		       " and [.findings[].id] == [\"closing-pile\",\"syn-queue-overflow\"]");
	ck_assert(has(r.text, "\n  warning  NETWORK  closing-pile: peer 192.0.2.7\n"));
	ck_assert(has(r.text, "net.ipv4.tcp_max_orphans (not readable"));
	ck_assert(has(r.text, "syn-queue-overflow: kernel log (earlier or elsewhere)"));
	rendered_free(&r);
	fx_free(f);
}
END_TEST

START_TEST(report_golden__symptom_keeps_severity_order)
{
	struct fx *f = scenario_symptom();
	struct rendered r;
	static const char *const order[] = {
		"\nVerdict\n\n  warning  APP      close-wait-leak: process java[2301]\n",
		"\n  Notes (normal, nothing to do):\n",
		"\n  info     NONE     accept-queue-overflow: listener 0.0.0.0:443",
		"\nVerify\n",
		"  [close-wait-leak] ",
	};

	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_str_eq(f->out.f[0].id, "close-wait-leak");
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_str_eq(f->out.f[1].id, "accept-queue-overflow");
	ck_assert_int_eq(f->out.f[1].severity, SEV_INFO);
	check_scenario(f, "symptom", &r,
		       ".verdict.severity == \"warning\""
		       " and [.findings[].severity] == [\"warning\",\"info\"]");
	assert_in_order(r.text, order, sizeof(order) / sizeof(order[0]));
	/* The notes header appears once, after the warning. */
	ck_assert(!has(strstr(r.text, "Notes (normal") + 1, "Notes (normal"));
	rendered_free(&r);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_golden");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, report_golden__healthy_says_so);
	tcase_add_test(tc, report_golden__healthy_with_notes);
	tcase_add_test(tc, report_golden__critical_worst_first);
	tcase_add_test(tc, report_golden__once_cannot_confirm_trend);
	tcase_add_test(tc, report_golden__closing_pile_and_grouped_log_note);
	tcase_add_test(tc, report_golden__symptom_keeps_severity_order);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
