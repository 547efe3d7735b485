// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch's view: what one refresh shows, from the trace. These would
 * catch a drop rate or counter rate taken from the wrong point, a peak
 * that forgets the burst, a sort that puts the quiet listener first, a
 * filter that hides the wrong rows (or that narrows the state counts,
 * which always cover the namespace), and a state change per interval
 * computed against the wrong point.
 */
#include "tap_check.h"
#include "series_fixture.h"
#include "keep_fixture.h"
#include "trace_fixture.h"
#include "../../src/render/watch_view.h"

/* Three samples a second apart: 8080 fills and drops, 22 idles, 443 in between. */
static struct trace *busy_trace(void)
{
	struct fx *f = keep_fx(fx_new(3, 1.0));
	struct trace *t = trace_new();
	const uint32_t rq8080[3] = { 2, 9, 5 }, d8080[3] = { 0, 10, 40 };

	for (int i = 0; i < 3; i++) {
		listener(f->s[i], "0.0.0.0", 22, 1, 0, 128, 0);
		listener(f->s[i], "0.0.0.0", 8080, 2, rq8080[i], 8, d8080[i]);
		listener(f->s[i], "127.0.0.1", 443, 3, 64, 128, 3 + (uint32_t)i);
		f->s[i]->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] = 10 * (uint64_t)i;
		f->s[i]->tally.by_state[TBL_TCP][SS_ESTABLISHED] = 100;
		mib_set(&f->s[i]->mib, "TcpExtListenOverflows", 21, 1000 + 30 * (uint64_t)i * i);
		mib_sort(&f->s[i]->mib);
		if (i == 2) {
			f->s[i]->procs[0].pid = 77;
			snprintf(f->s[i]->procs[0].comm, 16, "nginx");
			f->s[i]->n_procs = 1;
			f->s[i]->listeners[0].owner = 0;   /* 22 is nginx's, for the comm filter */
		}
		trace_add(t, f->s[i], 0.002);
	}
	return t;
}

static const struct watch_listener *row_of(const struct watch_view *w, uint16_t port)
{
	for (unsigned i = 0; i < w->n_rows; i++)
		if (w->rows[i].port == port)
			return &w->rows[i];
	return NULL;
}

static struct watch_view *view_new(const struct trace *t, enum watch_sort sort,
				   const struct filter *f, int port)
{
	struct watch_view *w = keep(malloc(sizeof(*w)));
	struct watch_view_opts o = { .sort = sort, .filter = f, .port = port, .interval_s = 1 };

	watch_view_build(w, t, NULL, &o);
	return w;
}

START_TEST(rates_fill_and_peak)
{
	struct trace *t = busy_trace();
	struct watch_view *w = view_new(t, WATCH_SORT_FILL, NULL, -1);
	const struct watch_listener *r = row_of(w, 8080);

	ck_assert_uint_eq(w->n_rows, 3);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->rq, 5);
	ck_assert_double_eq_tol(r->fill_pct, 62.5, 1e-9);
	ck_assert_double_eq_tol(r->peak_fill_pct, 112.5, 1e-9);   /* 9 of 8 at the second */
	ck_assert(r->drops_known);
	ck_assert_double_eq_tol(r->drops_per_s, 30.0, 1e-9);      /* 10 -> 40 in 1 s */
	ck_assert_uint_eq(r->drops, 40);
	ck_assert_uint_eq(r->fill.n, 3);
	ck_assert_double_eq_tol(r->fill.v[0], 25.0, 1e-9);
	ck_assert_double_eq_tol(w->cost_s, 0.002, 1e-12);
	ck_assert_uint_eq(w->refreshes, 3);
	/* counter: 1030 -> 1120 over the last second */
	ck_assert(w->n_counters > 0);
	ck_assert_str_eq(w->counters[0].name, "TcpExtListenOverflows");
	ck_assert(w->counters[0].known);
	ck_assert_double_eq_tol(w->counters[0].per_s, 90.0, 1e-9);
	ck_assert(!w->counters[0].spark.known[0]);
	ck_assert_double_eq_tol(w->counters[0].spark.v[1], 30.0, 1e-9);
}
END_TEST

START_TEST(state_change_per_interval)
{
	struct trace *t = busy_trace();
	struct watch_view *w = view_new(t, WATCH_SORT_FILL, NULL, -1);
	const struct watch_state *cw = NULL;

	ck_assert(w->have_states);
	for (unsigned i = 0; i < w->n_states; i++)
		if (w->states[i].state == SS_CLOSE_WAIT)
			cw = &w->states[i];
	ck_assert_ptr_nonnull(cw);
	ck_assert_uint_eq(cw->n, 20);
	ck_assert(cw->delta_known);
	ck_assert_int_eq(cw->delta, 10);
	ck_assert_uint_eq(cw->spark.n, 3);
	ck_assert_double_eq_tol(cw->spark.v[1], 10.0, 1e-9);
	ck_assert_str_eq(w->states[0].name, "ESTAB");
}
END_TEST

START_TEST(sort_orders)
{
	struct trace *t = busy_trace();
	struct watch_view *w;

	w = view_new(t, WATCH_SORT_FILL, NULL, -1);         /* 443 50%, 8080 62.5% */
	ck_assert_uint_eq(w->rows[0].port, 8080);
	ck_assert_uint_eq(w->rows[1].port, 443);
	ck_assert_uint_eq(w->rows[2].port, 22);
	w = view_new(t, WATCH_SORT_DROPS, NULL, -1);        /* 30/s, 1/s, 0/s */
	ck_assert_uint_eq(w->rows[0].port, 8080);
	ck_assert_uint_eq(w->rows[1].port, 443);
	w = view_new(t, WATCH_SORT_PORT, NULL, -1);
	ck_assert_uint_eq(w->rows[0].port, 22);
	ck_assert_uint_eq(w->rows[1].port, 443);
	ck_assert_uint_eq(w->rows[2].port, 8080);
	w = view_new(t, WATCH_SORT_PROC, NULL, -1);         /* named first, unknown last */
	ck_assert_uint_eq(w->rows[0].port, 22);
	ck_assert_str_eq(w->rows[0].comm, "nginx");
	ck_assert_str_eq(watch_sort_name(WATCH_SORT_DROPS), "drops");
}
END_TEST

static struct filter *parse(const char *text)
{
	struct filter *f = keep(malloc(sizeof(*f)));
	struct strbuf err = STRBUF_INIT;

	filter_init(f);
	f->svc_protos = FILTER_SVC_TCP;
	ck_assert_msg(!filter_parse(f, text, &err), "%s: %s", text, err.buf);
	strbuf_release(&err);
	return f;
}

START_TEST(filter_selects_rows_not_states)
{
	struct trace *t = busy_trace();
	struct watch_view *w;

	w = view_new(t, WATCH_SORT_PORT, parse("sport = :8080"), -1);
	ck_assert_uint_eq(w->n_rows, 1);
	ck_assert_uint_eq(w->rows[0].port, 8080);
	ck_assert(w->filtered);
	ck_assert_uint_eq(w->n_tracked, 3);
	ck_assert(w->have_states);                            /* states still whole */
	ck_assert_uint_eq(w->states[0].n, 100);
	w = view_new(t, WATCH_SORT_PORT, parse("src 127.0.0.1"), -1);
	ck_assert_uint_eq(w->n_rows, 1);
	ck_assert_uint_eq(w->rows[0].port, 443);
	w = view_new(t, WATCH_SORT_PORT, parse("fill > 50"), -1);   /* 5 of 8 */
	ck_assert_uint_eq(w->n_rows, 1);
	ck_assert_uint_eq(w->rows[0].port, 8080);
	w = view_new(t, WATCH_SORT_PORT, parse("comm nginx"), -1);
	ck_assert_uint_eq(w->n_rows, 1);
	ck_assert_uint_eq(w->rows[0].port, 22);
	w = view_new(t, WATCH_SORT_PORT, parse("not sport = :22"), 443);  /* --port too */
	ck_assert_uint_eq(w->n_rows, 1);
	ck_assert_uint_eq(w->rows[0].port, 443);
	w = view_new(t, WATCH_SORT_PORT, NULL, -1);
	ck_assert(!w->filtered);
	ck_assert_uint_eq(w->n_rows, 3);
}
END_TEST

START_TEST(gone_listener_is_shown_as_gone)
{
	struct fx *f = keep_fx(fx_new(2, 1.0));
	struct trace *t = trace_new();
	struct watch_view *w;

	listener(f->s[0], "0.0.0.0", 9000, 5, 1, 16, 0);
	listener(f->s[0], "0.0.0.0", 9001, 6, 0, 16, 0);
	listener(f->s[1], "0.0.0.0", 9001, 6, 0, 16, 0);
	trace_add(t, f->s[0], 0);
	trace_add(t, f->s[1], 0);
	w = view_new(t, WATCH_SORT_FILL, NULL, -1);
	ck_assert_uint_eq(w->n_rows, 2);
	ck_assert_uint_eq(w->rows[1].port, 9000);            /* gone ones last */
	ck_assert(!w->rows[1].present);
	ck_assert(!w->rows[1].drops_known);
	ck_assert_double_eq_tol(w->rows[1].peak_fill_pct, 6.25, 1e-9);
}
END_TEST

/* --all-netns: two namespaces' traces on one view. Rows of both, fullest
 * first, each named by its namespace; the states pane sums them or shows
 * the chosen one; a small trace keeps only its newest points. */
START_TEST(all_netns_merge_and_sum)
{
	struct trace *a = busy_trace(), *b = busy_trace();
	struct trace *small = keep(malloc(trace_size(2)));
	struct watch_view *w = keep(malloc(sizeof(*w))), *scratch = keep(malloc(sizeof(*scratch)));
	struct watch_view_opts o = { .sort = WATCH_SORT_FILL, .port = -1, .interval_s = 1 };
	const struct watch_ns_src ns[2] = { { a, "host", 1, "" },
					    { b, "named lab-x", 2, "lab-x" } };
	char buf[WATCH_NETNS_SHORT];

	ck_assert_str_eq(watch_netns_short("named lab-x", buf, sizeof(buf)), "lab-x");
	ck_assert_str_eq(watch_netns_short("pid 42 nginx (docker 0123)", buf, sizeof(buf)),
			 "pid 42 nginx");
	watch_view_build_allns(w, scratch, ns, 2, -1, NULL, &o);
	ck_assert(w->all_netns);
	ck_assert_uint_eq(w->n_rows, 6);
	ck_assert_uint_eq(w->n_tracked, 6);
	ck_assert_uint_eq(w->rows[0].port, 8080);         /* 62.5 % in both, fullest first */
	ck_assert_uint_eq(w->rows[1].port, 8080);
	ck_assert(strcmp(w->rows[0].netns, w->rows[1].netns) != 0);
	ck_assert_uint_eq(w->rows[2].port, 443);
	ck_assert_uint_eq(w->rows[5].port, 22);
	for (unsigned i = 0; i < w->n_states; i++)
		if (w->states[i].state == SS_CLOSE_WAIT) {
			ck_assert_uint_eq(w->states[i].n, 40);     /* 20 + 20 */
			ck_assert_int_eq(w->states[i].delta, 20);
			ck_assert_double_eq_tol(w->states[i].spark.v[1], 20.0, 1e-9);
		}
	ck_assert_double_eq_tol(w->counters[0].per_s, 180.0, 1e-9);
	ck_assert_str_eq(w->pane_netns, "sum of 2 namespaces");
	watch_view_build_allns(w, scratch, ns, 2, 1, NULL, &o);
	ck_assert_str_eq(w->pane_netns, "netns lab-x");
	ck_assert_double_eq_tol(w->counters[0].per_s, 90.0, 1e-9);
	/* a 2-point trace: the third point pushes out the first */
	trace_init_cap(small, 2);
	for (unsigned i = 0; i < 3; i++)
		trace_add(small, keep_fx(fx_new(1, 1.0))->s[0], 0);
	ck_assert_uint_eq(small->n, 2);
	ck_assert_uint_eq(small->taken, 3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("watch_view");
	TCase *tc = tcase_create("watch_view");

	tcase_add_checked_fixture(tc, NULL, keep_teardown);

	tcase_add_test(tc, rates_fill_and_peak);
	tcase_add_test(tc, state_change_per_interval);
	tcase_add_test(tc, sort_orders);
	tcase_add_test(tc, filter_selects_rows_not_states);
	tcase_add_test(tc, gone_listener_is_shown_as_gone);
	tcase_add_test(tc, all_netns_merge_and_sum);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
