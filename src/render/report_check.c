// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitoring-plugin line (report_check.h): thresholds in the
 * Monitoring Plugins range syntax, the state, the status line with
 * perfdata ('label'=value[UOM];[warn];[crit];[min];[max], U when a value
 * could not be read) and one long-output line per finding. Every number
 * is the view's (report_gauges.c); nothing is counted here.
 */
#include "report_check.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct metric {
	const char *name;
	const char *uom;         /* perfdata unit: "%" or "" */
	const char *warn, *crit; /* the defaults */
};

/* Indexed by enum report_gauge_id. */
static const struct metric metrics[GAUGE_MAX] = {
	[GAUGE_LISTENER_FILL] = { "fill", "%", "80", "100" },
	[GAUGE_ACCEPT_DROPS] = { "drops", "", "0", "1" },
	[GAUGE_CLOSE_WAIT] = { "close_wait", "", "100", "1000" },
	[GAUGE_PORTS] = { "ports", "%", "70", "90" },
	[GAUGE_FDS] = { "fds", "%", "80", "95" },
};

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

const char *check_state_name(enum check_state s)
{
	return (unsigned)s <= CHECK_UNKNOWN ? state_names[s] : "UNKNOWN";
}

const char *check_metric_name(enum report_gauge_id id)
{
	return (unsigned)id < GAUGE_MAX ? metrics[id].name : "?";
}

/* A number of the range syntax: the whole text, finite. */
static bool range_number(const char *s, size_t len, double *out)
{
	char buf[CHECK_RANGE_TEXT], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return *end == '\0' && !errno && isfinite(*out) && !strchr(buf, 'x') && !strchr(buf, 'X');
}

int check_range_parse(struct check_range *r, const char *s, struct strbuf *err)
{
	const char *p = s, *colon;

	memset(r, 0, sizeof(*r));
	if (strlen(s) >= sizeof(r->text))
		return error_set(err, "bad range '%s': too long", s);
	snprintf(r->text, sizeof(r->text), "%s", s);
	if (*p == '@') {
		r->inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (!colon) {
		/* "10": 0..10 */
		if (!range_number(p, strlen(p), &r->hi))
			return error_set(err, "bad range '%s': not a number", s);
	} else {
		if (colon == p + 1 && *p == '~')
			r->lo_inf = true;
		else if (colon == p)
			r->lo = 0;
		else if (!range_number(p, (size_t)(colon - p), &r->lo))
			return error_set(err, "bad range '%s': start is not a number or ~", s);
		if (!colon[1])
			r->hi_inf = true;
		else if (!range_number(colon + 1, strlen(colon + 1), &r->hi))
			return error_set(err, "bad range '%s': end is not a number", s);
	}
	if (!r->lo_inf && !r->hi_inf && r->lo > r->hi)
		return error_set(err, "bad range '%s': start is above end", s);
	r->set = true;
	return 0;
}

bool check_range_alert(const struct check_range *r, double v)
{
	bool in;

	if (!r->set)
		return false;
	in = (r->lo_inf || v >= r->lo) && (r->hi_inf || v <= r->hi);
	return r->inside ? in : !in;
}

void check_spec_init(struct check_spec *c)
{
	struct strbuf ignored = STRBUF_INIT;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < GAUGE_MAX; i++) {
		check_range_parse(&c->warn[i], metrics[i].warn, &ignored);
		check_range_parse(&c->crit[i], metrics[i].crit, &ignored);
	}
	strbuf_release(&ignored);
}

static int metric_find(const char *name, size_t len)
{
	for (int i = 0; i < GAUGE_MAX; i++)
		if (strlen(metrics[i].name) == len && !strncmp(metrics[i].name, name, len))
			return i;
	return -1;
}

static int unknown_metric(const char *name, size_t len, struct strbuf *err)
{
	return error_set(err, "unknown metric '%.*s' (fill, drops, close_wait, ports, fds)",
			 (int)len, name);
}

int check_spec_thresholds(struct check_spec *c, bool crit, const char *list, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	const char *p = list;

	do {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char range[CHECK_RANGE_TEXT];
		int m;

		eq = memchr(p, '=', len);
		if (!eq)
			return error_set(err, "'%.*s' is not NAME=RANGE (e.g. fill=80)", (int)len, p);
		m = metric_find(p, (size_t)(eq - p));
		if (m < 0)
			return unknown_metric(p, (size_t)(eq - p), err);
		if ((size_t)(p + len - eq - 1) >= sizeof(range))
			return error_set(err, "bad range for %s: too long", metrics[m].name);
		snprintf(range, sizeof(range), "%.*s", (int)(p + len - eq - 1), eq + 1);
		if (check_range_parse(crit ? &c->crit[m] : &c->warn[m], range, &why)) {
			error_set(err, "%s: %s", metrics[m].name, why.buf);
			strbuf_release(&why);
			return -1;
		}
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

int check_spec_skip(struct check_spec *c, const char *list, struct strbuf *err)
{
	const char *p = list;

	do {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int m = metric_find(p, len);

		if (m < 0)
			return unknown_metric(p, len, err);
		c->skip[m] = true;
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

static enum check_state worse(enum check_state a, enum check_state b)
{
	/* CRITICAL > WARNING > UNKNOWN > OK: a measured problem outranks
	 * a number that could not be read. */
	static const int rank[] = { 0, 2, 3, 1 };

	return rank[b] > rank[a] ? b : a;
}

static enum check_state gauge_state(const struct report_view *v, const struct check_spec *c, int i)
{
	const struct report_gauge *g = &v->gauges[i];

	if (c->skip[i])
		return CHECK_OK;
	if (!g->have)
		return CHECK_UNKNOWN;
	if (check_range_alert(&c->crit[i], g->value))
		return CHECK_CRITICAL;
	if (check_range_alert(&c->warn[i], g->value))
		return CHECK_WARNING;
	return CHECK_OK;
}

static enum check_state findings_state(const struct report_view *v, const struct check_spec *c)
{
	if (c->thresholds_only || v->verdict.healthy)
		return CHECK_OK;
	if (v->verdict.severity == SEV_CRITICAL)
		return CHECK_CRITICAL;
	return v->verdict.severity == SEV_WARNING ? CHECK_WARNING : CHECK_OK;
}

enum check_state report_check_state(const struct report_view *v, const struct check_spec *c)
{
	enum check_state s = findings_state(v, c);

	for (int i = 0; i < GAUGE_MAX; i++)
		s = worse(s, gauge_state(v, c, i));
	return s;
}

/* A perfdata / status number: integers without a point, else two decimals. */
static void fmt_value(char *buf, size_t n, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.2f", v);
}

static void unit_text(char *buf, size_t n, int i, double value)
{
	char num[48];

	fmt_value(num, sizeof(num), value);
	snprintf(buf, n, "%s%s", num, i == GAUGE_ACCEPT_DROPS ? "/s" : metrics[i].uom);
}

/* Whether finding i's id and side were named by an earlier real finding. */
static bool named_before(const struct report_view *v, unsigned i)
{
	const struct finding *f = v->findings[i].f;

	for (unsigned k = 0; k < i; k++) {
		const struct finding *e = v->findings[k].f;

		if (e->severity != SEV_INFO && e->side == f->side && !strcmp(e->id, f->id))
			return true;
	}
	return false;
}

/* "1 critical, 2 warning findings: accept-queue-overflow (app), ..."
 * (each id and side once). */
static void summary_findings(struct strbuf *sb, const struct report_view *v)
{
	unsigned nc = 0, nw = 0, named = 0;

	for (unsigned i = 0; i < v->n_findings; i++) {
		nc += v->findings[i].f->severity == SEV_CRITICAL;
		nw += v->findings[i].f->severity == SEV_WARNING;
	}
	if (!nc && !nw) {
		strbuf_addstr(sb, "healthy");
		return;
	}
	if (nc)
		strbuf_addf(sb, "%u critical", nc);
	if (nw)
		strbuf_addf(sb, "%s%u warning", nc ? ", " : "", nw);
	strbuf_addf(sb, " finding%s:", nc + nw > 1 ? "s" : "");
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		if (f->severity == SEV_INFO || named_before(v, i))
			continue;
		if (named == 3) {
			strbuf_addstr(sb, ", ...");
			break;
		}
		strbuf_addf(sb, "%s %s (%s)", named++ ? "," : "", f->id, verdict_side_name(f->side));
	}
}

/* The summary after "SOCKVET STATE - ": what alerts first, then the findings. */
static void summary(struct strbuf *sb, const struct report_view *v, const struct check_spec *c)
{
	bool any = false;
	char val[64];

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < GAUGE_MAX; i++) {
			const struct report_gauge *g = &v->gauges[i];
			enum check_state st = gauge_state(v, c, i);

			if (pass == 0 && (st == CHECK_OK || st == CHECK_UNKNOWN))
				continue;
			if (pass == 1 && st != CHECK_UNKNOWN)
				continue;
			strbuf_addstr(sb, any ? ", " : "");
			any = true;
			if (st == CHECK_UNKNOWN) {
				strbuf_addf(sb, "%s unknown (%s)", metrics[i].name, g->why);
				continue;
			}
			unit_text(val, sizeof(val), i, g->value);
			strbuf_addf(sb, "%s %s %s (%s)", metrics[i].name, val,
				    st == CHECK_CRITICAL ? "CRITICAL" : "WARNING", g->what);
		}
	}
	if (!any) {
		for (int i = 0; i < GAUGE_MAX; i++) {
			if (!v->gauges[i].have)
				continue;
			unit_text(val, sizeof(val), i, v->gauges[i].value);
			strbuf_addf(sb, "%s%s %s", any ? ", " : "", metrics[i].name, val);
			any = true;
		}
	}
	strbuf_addstr(sb, any ? "; " : "");
	summary_findings(sb, v);
}

static void perfdata(struct strbuf *sb, const struct report_view *v, const struct check_spec *c)
{
	for (int i = 0; i < GAUGE_MAX; i++) {
		const struct report_gauge *g = &v->gauges[i];
		char val[48];

		if (g->have)
			fmt_value(val, sizeof(val), g->value);
		strbuf_addf(sb, "%s%s=%s%s;%s;%s;0", i ? " " : "", metrics[i].name,
			    g->have ? val : "U", g->have ? metrics[i].uom : "",
			    c->skip[i] ? "" : c->warn[i].text, c->skip[i] ? "" : c->crit[i].text);
	}
}

/* Long output: each gauge where it is worst, then each finding. */
static void long_output(struct strbuf *sb, const struct report_view *v)
{
	char val[64];

	for (int i = 0; i < GAUGE_MAX; i++) {
		const struct report_gauge *g = &v->gauges[i];

		if (!g->have) {
			strbuf_addf(sb, "%s: unknown: %s\n", metrics[i].name, g->why);
			continue;
		}
		unit_text(val, sizeof(val), i, g->value);
		strbuf_addf(sb, "%s: %s, %s\n", metrics[i].name, val, g->what);
	}
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		strbuf_addf(sb, "%s %s (%s): %s\n", verdict_severity_name(f->severity), f->id,
			    verdict_side_name(f->side), f->subject);
	}
}

/* '|' starts the perfdata: none may appear in the text before it. */
static void no_pipes(struct strbuf *sb, size_t from)
{
	for (size_t i = from; i < sb->len; i++)
		if (sb->buf[i] == '|')
			sb->buf[i] = '/';
}

int report_check(FILE *fp, const struct report_view *v, const struct check_spec *c,
		 struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum check_state st = report_check_state(v, c);
	size_t at;
	int rc = 0;

	strbuf_addf(&sb, "SOCKVET %s - ", check_state_name(st));
	summary(&sb, v, c);
	no_pipes(&sb, 0);
	strbuf_addstr(&sb, " | ");
	perfdata(&sb, v, c);
	strbuf_addch(&sb, '\n');
	at = sb.len;
	long_output(&sb, v);
	no_pipes(&sb, at);
	if (sb.truncated)
		rc = error_set(err, "check output too large");
	else if (fwrite(sb.buf, 1, sb.len, fp) != sb.len)
		rc = error_set(err, "cannot write the check output");
	strbuf_release(&sb);
	return rc;
}

void report_check_unknown(FILE *fp, const char *reason)
{
	fprintf(fp, "SOCKVET UNKNOWN - %s\n", reason);
}
