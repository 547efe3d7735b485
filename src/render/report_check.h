/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_REPORT_CHECK_H
#define SOCKVET_RENDER_REPORT_CHECK_H

/*
 * `sockvet check`: the report view as a monitoring plugin's output
 * (Nagios, Icinga, Sensu, Zabbix agent), as the Monitoring Plugins
 * development guidelines define it:
 *
 *   SOCKVET CRITICAL - fill 101% at 0.0.0.0:8080 ...; 1 critical finding | 'fill'=101%;80;100;0 ...
 *   CRITICAL accept-queue-overflow (app): listener 0.0.0.0:8080
 *
 * The state is OK, WARNING, CRITICAL or UNKNOWN (exit 0, 1, 2, 3). Each
 * gauge of the view (report_view.h) is compared with a warning and a
 * critical threshold in the guidelines' range syntax:
 *
 *   10      alert when < 0 or > 10        10:     alert when < 10
 *   ~:10    alert when > 10               10:20   alert outside 10..20
 *   @10:20  alert when 10 <= v <= 20 (inside, ends included)
 *
 * The findings count too (unless thresholds_only): the worst of the
 * thresholds and of sockvet's own findings is the state, because a
 * finding can see what no threshold here measures (a SYN flood, tcp_mem
 * pressure, a conntrack table) and a check that said OK while `sockvet`
 * says critical would be wrong. A gauge that could not be read makes
 * the state UNKNOWN unless a measured one is already WARNING or worse.
 */

#include <stdbool.h>
#include <stdio.h>

#include "report_view.h"
#include "../util/strbuf.h"

enum check_state { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

#define CHECK_RANGE_TEXT 48

struct check_range {
	bool set;
	bool inside;             /* '@': alert inside lo..hi */
	bool lo_inf;             /* '~': no lower end */
	bool hi_inf;             /* "10:": no upper end */
	double lo, hi;
	char text[CHECK_RANGE_TEXT];  /* as given, for the perfdata */
};

/* One range; 0, or negative with "bad range 'S': why" in err. */
int check_range_parse(struct check_range *r, const char *s, struct strbuf *err);
/* Whether v is outside the range (inside, with '@'); false when not set. */
bool check_range_alert(const struct check_range *r, double v);

struct check_spec {
	struct check_range warn[GAUGE_MAX], crit[GAUGE_MAX];
	bool skip[GAUGE_MAX];    /* --skip: not judged (perfdata still shown) */
	bool thresholds_only;    /* --no-findings: findings listed, not judged */
};

/* The defaults (man page CHECK): fill 80/100, drops 0/1, close_wait
 * 100/1000, ports 70/90, fds 80/95. */
void check_spec_init(struct check_spec *c);
/* -w / -c: "NAME=RANGE[,NAME=RANGE...]"; 0, or negative with a message. */
int check_spec_thresholds(struct check_spec *c, bool crit, const char *list, struct strbuf *err);
/* --skip: "NAME[,NAME...]". */
int check_spec_skip(struct check_spec *c, const char *list, struct strbuf *err);
/* "fill", "drops", "close_wait", "ports", "fds": the -w/-c names and perfdata labels. */
const char *check_metric_name(enum report_gauge_id id);

/* The state the view earns under c. */
enum check_state report_check_state(const struct report_view *v, const struct check_spec *c);
/* The status line with perfdata, then one line per finding; 0, or
 * negative with a message in err (a write error). */
int report_check(FILE *fp, const struct report_view *v, const struct check_spec *c,
		 struct strbuf *err);
/* "SOCKVET UNKNOWN - reason" and a newline. */
void report_check_unknown(FILE *fp, const char *reason);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *check_state_name(enum check_state s);

#endif
