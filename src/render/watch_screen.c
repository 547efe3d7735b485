// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The full screen of `sockvet watch`, drawn from a watch view. Layout,
 * top to bottom: header (host, kernel, namespace, time, interval, what
 * the last refresh cost), the verdict line, listeners (one row each,
 * with a fill bar and a fill sparkline), TCP states and key counters
 * (two columns, each with a sparkline), the findings, the status line.
 * Enter, v and ? replace the body with a pane.
 *
 * Colour is never the only carrier: severities are also words, the
 * selection is reverse video, and NO_COLOR / --color=never draw with
 * bold and reverse only. Sparklines use the eight block characters when
 * the locale is UTF-8 (tmux and ssh pass them through), ASCII otherwise.
 * Text from the system (process names, findings) is escaped first.
 */
#include "watch_screen.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../diagnose/verdict.h"
#include "../util/textesc.h"

enum { PAIR_CRIT = 1, PAIR_WARN, PAIR_OK, PAIR_HEAD };
enum { NETNS_COL = 28 };

static bool screen_on;
static bool use_color;
static bool utf8;

static const char *const blocks_utf8[8] = { "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
static const char blocks_ascii[8] = { '_', '.', ':', '-', '=', '+', '*', '#' };

int watch_screen_open(bool color, struct strbuf *err)
{
	const char *cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	utf8 = cs && !strcmp(cs, "UTF-8");
	if (!newterm(NULL, stdout, stdin))
		return error_set(err, "cannot start the full screen (TERM=%s)",
				 getenv("TERM") ? getenv("TERM") : "unset");
	screen_on = true;
	cbreak();                /* Ctrl-C still sends SIGINT */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	use_color = color && has_colors();
	if (use_color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_CRIT, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
	}
	return 0;
}

void watch_screen_close(void)
{
	if (!screen_on)
		return;
	screen_on = false;
	curs_set(1);
	endwin();
}

void watch_screen_emergency_restore(void)
{
	if (screen_on)
		endwin();
}

static attr_t pair(int p)
{
	return use_color ? COLOR_PAIR(p) : 0;
}

/* Draw fmt at (y, x), escaped, cut at the screen's edge. */
static void put(int y, int x, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void put(int y, int x, attr_t a, const char *fmt, ...)
{
	char raw[1024], esc[1024];
	va_list ap;

	if (y < 0 || y >= LINES || x >= COLS)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_escape(esc, sizeof(esc), raw);
	attron(a);
	mvaddnstr(y, x, esc, COLS - x);
	attroff(a);
}

/* A sparkline of sp at (y, x), width cells (the newest points), 0..max. */
static void spark(int y, int x, int width, const struct watch_spark *sp, double max)
{
	unsigned first;

	if (width <= 0)
		return;
	first = sp->n > (unsigned)width ? sp->n - (unsigned)width : 0;
	if (max <= 0)
		for (unsigned i = first; i < sp->n; i++)
			if (sp->known[i] && sp->v[i] > max)
				max = sp->v[i];
	move(y, x);
	for (unsigned i = first; i < sp->n && x < COLS; i++, x++) {
		int lvl = !sp->known[i] || max <= 0 ? 0 : (int)(sp->v[i] * 7.0 / max + 0.5);

		lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
		if (!sp->known[i])
			addch(' ');
		else if (utf8)
			addstr(blocks_utf8[lvl]);
		else
			addch((chtype)blocks_ascii[lvl]);
	}
}

static attr_t severity_attr(enum severity s)
{
	if (s == SEV_CRITICAL)
		return pair(PAIR_CRIT) | A_BOLD;
	return s == SEV_WARNING ? pair(PAIR_WARN) | A_BOLD : pair(PAIR_OK);
}

static void draw_header(const struct watch_view *v)
{
	char when[32] = "-";
	time_t t = (time_t)v->time_unix;
	struct tm tm;

	if (v->time_unix && localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	put(0, 0, A_REVERSE, "%-*s", COLS, "");
	put(0, 0, A_REVERSE | A_BOLD, " sockvet watch  %s  %s  netns %s  %s  every %gs  refresh %.1f ms%s",
	    v->host, v->kernel, v->all_netns ? "(all)" : v->netns[0] ? v->netns : "(this one)", when, v->interval_s,
	    v->cost_s * 1e3, v->paused ? "  [PAUSED]" : "");
}

static void draw_verdict(int y, const struct watch_view *v)
{
	const struct report_view *rv = v->rv;
	const struct finding *f;

	if (!rv)
		return;
	if (rv->verdict.healthy) {
		put(y, 0, pair(PAIR_OK) | A_BOLD, "Verdict: healthy (rules over the last %u samples)",
		    v->judged);
		return;
	}
	f = rv->n_findings ? rv->findings[0].f : NULL;
	put(y, 0, severity_attr(rv->verdict.severity), "Verdict: %s (%s) %s: %s%s",
	    verdict_severity_name(rv->verdict.severity), verdict_side_name(rv->verdict.side),
	    f ? f->id : "", f ? f->subject : "",
	    rv->n_findings > 1 ? "  (v: every finding)" : "  (v: evidence, change, verify)");
}

static void fill_bar(int y, int x, double pct)
{
	int n = pct >= 100 ? 8 : (int)(pct * 8 / 100 + 0.5);

	move(y, x);
	addch('[');
	for (int i = 0; i < 8; i++) {
		if (i < n)
			utf8 ? addstr("\u2588") : addch('#');
		else
			addch(' ');
	}
	addch(']');
}

static void draw_listener(int y, const struct watch_listener *r, bool selected, int off)
{
	attr_t a = selected ? A_REVERSE : 0;
	char proc[32] = "?";
	char drops[16] = "-", total[16] = "-";

	if (r->has_drops)
		snprintf(total, sizeof(total), "%u", r->drops);
	if (r->comm[0])
		snprintf(proc, sizeof(proc), "%s[%u]", r->comm, r->pid);
	if (r->drops_known)
		snprintf(drops, sizeof(drops), "%.1f", r->drops_per_s);
	if (off)
		put(y, 0, a, "%-*.*s ", off - 1, off - 1, r->netns);
	if (!r->present) {
		put(y, off, a | A_DIM, "%-26.26s %-18.18s (gone)", r->endpoint, proc);
		return;
	}
	if (r->rq > r->wq)
		a |= pair(PAIR_CRIT) | A_BOLD;
	put(y, off, a, "%-26.26s %-18.18s %6u %6u", r->endpoint, proc, r->rq, r->wq);
	fill_bar(y, off + 60, r->fill_pct);
	put(y, off + 71, a, "%4.0f%% %4.0f%% %8s %8s %8u ", r->fill_pct, r->peak_fill_pct, total, drops,
	    r->syn_recv);
	spark(y, off + 111, COLS - off - 111, &r->fill, 100);
}

static int draw_listeners(int y, int max_rows, const struct watch_view *v,
			  const struct watch_ui *ui)
{
	unsigned first = 0;
	int off = v->all_netns ? NETNS_COL + 1 : 0;

	put(y, 0, pair(PAIR_HEAD) | A_BOLD, "LISTENERS  %u shown of %u tracked%s  sort: %s%s%s",
	    v->n_rows, v->n_tracked, v->untracked || v->rows_folded ? " (more not tracked)" : "",
	    watch_sort_name(v->sort), ui->filter_text[0] ? "  filter: " : "", ui->filter_text);
	if (off)
		put(y + 1, 0, A_BOLD, "%-*s", off, "NETNS");
	put(y + 1, off, A_BOLD, "%-26s %-18s %6s %6s %-10s %5s %5s %8s %8s %8s  %s", "ADDRESS:PORT",
	    "PROCESS", "RECV-Q", "SEND-Q", "FILL", "NOW", "PEAK", "DROPS", "DROPS/S", "SYN-RECV",
	    "FILL OVER TIME");
	if (max_rows < 1)
		return y + 2;
	if (ui->sel >= (unsigned)max_rows)
		first = ui->sel - (unsigned)max_rows + 1;
	for (unsigned i = first; i < v->n_rows && i < first + (unsigned)max_rows; i++)
		draw_listener(y + 2 + (int)(i - first), &v->rows[i], i == ui->sel, off);
	if (!v->n_rows)
		put(y + 2, 2, A_DIM, "%s", v->filtered ? "(no listener matches)" : "(no listener)");
	return y + 2 + (v->n_rows < (unsigned)max_rows ? (int)(v->n_rows ? v->n_rows : 1) : max_rows);
}

static int draw_states_counters(int y, int rows, const struct watch_view *v)
{
	int half = COLS / 2;

	put(y, 0, pair(PAIR_HEAD) | A_BOLD, "TCP STATES   now  change  %s", v->pane_netns);
	put(y, half, pair(PAIR_HEAD) | A_BOLD, "COUNTERS          per second");
	for (int i = 0; i < rows; i++) {
		if ((unsigned)i < v->n_states) {
			const struct watch_state *s = &v->states[i];

			if (s->delta_known)
				put(y + 1 + i, 0, 0, "%-11s %6llu %+6lld ", s->name,
				    (unsigned long long)s->n, (long long)s->delta);
			else
				put(y + 1 + i, 0, 0, "%-11s %6llu %6s ", s->name, (unsigned long long)s->n, "");
			spark(y + 1 + i, 27, half - 29, &s->spark, 0);
		}
		if ((unsigned)i < v->n_counters) {
			const struct watch_counter *c = &v->counters[i];

			if (c->known)
				put(y + 1 + i, half, c->per_s > 0 ? A_BOLD : 0, "%-16s %9.1f ", c->label,
				    c->per_s);
			else
				put(y + 1 + i, half, A_DIM, "%-16s %9s ", c->label, "-");
			spark(y + 1 + i, half + 28, COLS - half - 28, &c->spark, 0);
		}
	}
	if (!v->have_states)
		put(y + 1, 0, A_DIM, "(no socket list)");
	return y + 1 + rows;
}

static void draw_findings(int y, int rows, const struct watch_view *v)
{
	const struct report_view *rv = v->rv;

	if (v->all_netns)
		put(y, 0, pair(PAIR_HEAD) | A_BOLD, "FINDINGS  (each namespace's newest sample; "
		    "%u namespaces, %u not sampled)", v->n_netns, v->netns_past);
	else
		put(y, 0, pair(PAIR_HEAD) | A_BOLD, "FINDINGS  (the rules over the last %u samples)",
		    v->judged);
	for (int i = 0; rv && i < rows && (unsigned)i < rv->n_findings; i++) {
		const struct finding *f = rv->findings[i].f;

		put(y + 1 + i, 0, severity_attr(f->severity), "%-8s %-7s %-26s %s",
		    verdict_severity_name(f->severity), verdict_side_name(f->side), f->id, f->subject);
	}
}

static void draw_status(const struct watch_ui *ui)
{
	int y = LINES - 1;

	move(y, 0);
	clrtoeol();
	if (ui->prompt) {
		put(y, 0, A_BOLD, "filter: %s", ui->input);
		return;
	}
	if (ui->status[0]) {
		put(y, 0, ui->status_error ? pair(PAIR_CRIT) | A_BOLD : A_BOLD, "%s", ui->status);
		return;
	}
	put(y, 0, A_DIM, "q quit  p pause  s sort  / filter  Enter listener  v verdict  j/k select  ? help");
}

static void draw_main(const struct watch_view *v, const struct watch_ui *ui)
{
	int body = LINES - 4;    /* header, verdict, blank, status */
	int fixed_states = (int)(v->n_states > v->n_counters ? v->n_states : v->n_counters) + 1;
	int nf = v->rv ? (int)v->rv->n_findings : 0;
	int frows = nf > 4 ? 4 : nf;
	int lrows = body - 2 - fixed_states - 1 - (frows + 1) - 1;
	int y;

	if (lrows < 1)
		lrows = 1;
	draw_verdict(1, v);
	y = draw_listeners(3, lrows, v, ui);
	y = draw_states_counters(y + 1, fixed_states - 1, v);
	if (y + 1 < LINES - 1)
		draw_findings(y + 1, LINES - 1 - (y + 2) < frows ? LINES - 1 - (y + 2) : frows, v);
}

static int put_wrapped(int y, int indent, attr_t a, const char *text)
{
	char esc[2048];
	const char *s;
	int w = COLS - indent;

	if (w < 10)
		return y;
	text_escape(esc, sizeof(esc), text);
	s = esc;
	while (*s && y < LINES - 1) {
		int n = (int)strlen(s);

		if (n > w) {
			n = w;
			while (n > w / 2 && s[n] != ' ')
				n--;
		}
		attron(a);
		mvaddnstr(y++, indent, s, n);
		attroff(a);
		s += n;
		while (*s == ' ')
			s++;
	}
	return y;
}

static void draw_finding_pane(const struct watch_view *v, const struct watch_ui *ui)
{
	const struct report_view *rv = v->rv;
	const struct report_finding *rf;
	const struct finding *f;
	int y = 3;

	draw_verdict(1, v);
	if (!rv || !rv->n_findings) {
		put(3, 0, 0, "No finding: every rule that could run says healthy.");
		return;
	}
	rf = &rv->findings[ui->finding < rv->n_findings ? ui->finding : 0];
	f = rf->f;
	put(y++, 0, severity_attr(f->severity), "[%u/%u] %s %s (%s): %s", ui->finding + 1,
	    rv->n_findings, verdict_severity_name(f->severity), f->id, verdict_side_name(f->side),
	    f->subject);
	y = put_wrapped(y + 1, 2, 0, f->explanation);
	put(++y, 0, A_BOLD, "Evidence");
	y++;
	for (unsigned i = 0; i < f->n_evidence && y < LINES - 1; i++)
		y = put_wrapped(y, 2, 0, f->evidence[i]);
	put(++y, 0, A_BOLD, "Change (sockvet changes nothing itself)");
	y++;
	for (unsigned k = 0; k < f->n_changes && k < FINDING_CHANGES_MAX && y < LINES - 1; k++) {
		const struct change *c = &f->changes[k];

		put(y++, 2, 0, "%s: %s -> %s", c->setting, c->current, c->proposed);
		if (c->backout[0])
			put(y++, 4, 0, "back out: %s", rf->backout[k]);
	}
	if (!f->n_changes)
		put(y++, 2, A_DIM, "(none proposed)");
	put(++y, 0, A_BOLD, "Verify");
	y = put_wrapped(y + 1, 2, 0, rf->verify[0] ? rf->verify : "(nothing to run)");
	if (f->fixed_when[0])
		put_wrapped(y, 2, A_DIM, f->fixed_when);
}

static void draw_detail_pane(const struct watch_view *v, const struct watch_detail *d)
{
	int y = 3;
	int col = 0;

	draw_verdict(1, v);
	if (!d)
		return;
	put(y++, 0, A_BOLD, "Listener %s  process %s[%u]", d->endpoint, d->comm[0] ? d->comm : "?",
	    d->pid);
	if (d->error[0])
		put(y++, 2, pair(PAIR_CRIT), "connections: %s", d->error);
	if (d->have_states) {
		put(++y, 0, A_BOLD, "TCP sockets on port %u by state (sport = :%u): %llu", d->port, d->port,
		    (unsigned long long)d->total);
		y++;
		for (unsigned s = 1; s < SS_STATE_MAX; s++) {
			if (!d->states[s])
				continue;
			put(y, 2 + col * 26, 0, "%-12s %10llu", sock_state_name(s),
			    (unsigned long long)d->states[s]);
			col = (col + 1) % 3;
			y += col == 0;
		}
		y += col != 0;
	}
	if (d->have_fds && d->has_limit)
		put(++y, 0, 0, "open fds %u of RLIMIT_NOFILE %llu (hard %llu): %.0f%%", d->fds,
		    (unsigned long long)d->nofile_soft, (unsigned long long)d->nofile_hard,
		    d->nofile_soft ? d->fds * 100.0 / d->nofile_soft : 0.0);
	else if (d->have_fds)
		put(++y, 0, 0, "open fds %u (limit not readable)", d->fds);
	else
		put(++y, 0, A_DIM, "fds: the process is not known yet (next attribution walk)");
	put(y + 2, 0, A_DIM, "Esc or q: back");
}

static void draw_help(void)
{
	static const char *const lines[] = {
		"q          quit (in a pane: back)",
		"p          pause / resume sampling",
		"s          cycle the listener sort: fill, drops, port, process",
		"/          filter listener rows with the ss filter language, e.g.",
		"             sport = :8080     ( sport = :80 or sport = :443 )     fill > 50",
		"           Enter applies, Esc cancels, an empty filter clears it",
		"Enter      the selected listener: its connections by state, its fds",
		"v          the verdict: each finding's evidence, change and verify command",
		"j k arrows select (a listener, or a finding in the verdict pane)",
		"n N        --all-netns: states and counters of the next namespace; N their sum",
		"?          this help",
		"",
		"The verdict comes from the same rules as `sockvet`, over the last 8 samples.",
		"The filter runs in user space on the listener rows only: states, counters",
		"and the verdict always cover the whole namespace.",
		"--all-netns: rows of every namespace (NETNS: its owner), fullest first; each",
		"namespace is judged on its newest sample only (trends: watch -N NETNS).",
	};

	for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		put(2 + (int)i, 2, 0, "%s", lines[i]);
}

void watch_screen_draw(const struct watch_view *v, const struct watch_ui *ui)
{
	erase();
	draw_header(v);
	switch (ui->pane) {
	case WATCH_PANE_DETAIL:
		draw_detail_pane(v, ui->detail);
		break;
	case WATCH_PANE_FINDING:
		draw_finding_pane(v, ui);
		break;
	case WATCH_PANE_HELP:
		draw_help();
		break;
	default:
		draw_main(v, ui);
		break;
	}
	draw_status(ui);
	refresh();
}

int watch_screen_key(int timeout_ms)
{
	int c;

	timeout(timeout_ms);
	c = getch();
	switch (c) {
	case ERR: return WATCH_KEY_NONE;
	case KEY_UP: return WATCH_KEY_UP;
	case KEY_DOWN: return WATCH_KEY_DOWN;
	case KEY_PPAGE: return WATCH_KEY_PGUP;
	case KEY_NPAGE: return WATCH_KEY_PGDN;
	case KEY_ENTER: case '\n': case '\r': return WATCH_KEY_ENTER;
	case 27: return WATCH_KEY_ESC;
	case KEY_BACKSPACE: case 127: case 8: return WATCH_KEY_BACKSPACE;
	case KEY_RESIZE: return WATCH_KEY_RESIZE;
	default: return c >= 0 && c < 256 ? c : WATCH_KEY_NONE;
	}
}
