// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTML report (src/render/report_html.c, html_plots.c, html_svg.c,
 * html_escape.c): the verdict is on the page, each plot draws as many
 * series as it says, one sample says "no plot" instead of a dot, long
 * series are thinned, many listeners are capped with a note, hostile
 * names are escaped, and nothing in the page can fetch anything.
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/render/html_escape.h"
#include "../../src/render/html_plots.h"
#include "../../src/render/html_svg.h"
#include "../../src/render/report.h"
#include "../../src/util/textesc.h"

/* html_escape_n of len bytes, as a malloc'd string. */
static char *esc_of(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(html_escape_n(fp, s, len), 0);
	fclose(fp);
	return buf;
}

static bool valid_utf8(const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = text_utf8_len((const unsigned char *)s + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

START_TEST(escape__markup_and_quotes)
{
	const char in[] = "<script>alert(\"x\")</script> & 'y' <img src=x onerror=alert(1)>";
	char *out = esc_of(in, strlen(in));

	ck_assert_str_eq(out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; "
			      "&lt;img src=x onerror=alert(1)&gt;");
	free(out);
}
END_TEST

START_TEST(escape__controls_nul_and_invalid_utf8)
{
	/* NUL, ESC, newline, DEL, a C1 CSI, a lone continuation byte, an
	 * overlong '/', a surrogate, a cut sequence, 0xff, a right-to-left
	 * override; then valid UTF-8 that must pass as it is. */
	const char in[] = "a\0b\x1b[2J\n\x7f\xc2\x9b\x80\xc0\xaf\xed\xa0\x80\xe2\x82"
			  "\xff\xe2\x80\xae" "caf\xc3\xa9 \xe2\x86\x92";
	char *out = esc_of(in, sizeof(in) - 1);

	ck_assert_str_eq(out, "a\\x00b\\x1b[2J\\x0a\\x7f\\xc2\\x9b\\x80\\xc0\\xaf\\xed\\xa0\\x80"
			      "\\xe2\\x82\\xff\\xe2\\x80\\xae" "caf\xc3\xa9 \xe2\x86\x92");
	ck_assert(valid_utf8(out));
	ck_assert_ptr_null(memchr(out, '\0', strlen(out)));
	free(out);
}
END_TEST

START_TEST(escape__null_and_empty)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	ck_assert_int_eq(html_escape(fp, NULL), 0);
	ck_assert_int_eq(html_escape(fp, ""), 0);
	fclose(fp);
	ck_assert_uint_eq(n, 0);
	free(buf);
}
END_TEST

START_TEST(svg__nice_steps)
{
	ck_assert(svg_nice_step(9, 4) == 5);
	ck_assert(svg_nice_step(19.2, 8) == 5);
	ck_assert(svg_nice_step(3600, 8) == 500);
	ck_assert(svg_nice_step(0.9, 4) == 0.5);
	ck_assert(svg_nice_step(0, 4) == 1);
}
END_TEST

/* The page for a view whose trace is t (NULL: none), as a string. */
static char *page_of(struct report_view *v, const struct trace *t)
{
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(fp);
	v->trace = t;
	ck_assert_msg(report_html(fp, v, &err) == 0, "report_html: %s", err.buf);
	fclose(fp);
	strbuf_release(&err);
	return buf;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Every plot draws data-series paths, and as many legend entries. */
static unsigned check_plots(const char *html)
{
	unsigned plots = 0;

	for (const char *p = html; (p = strstr(p, "<svg class=\"plot\"")); p++) {
		const char *end = strstr(p, "</svg>");
		const char *ul = strstr(end, "<ul class=\"legend\">");
		const char *ulend = ul ? strstr(ul, "</ul>") : NULL;
		unsigned want = (unsigned)atoi(strstr(p, "data-series=\"") + 13), got = 0, leg = 0;

		for (const char *q = p; (q = strstr(q, "<path class=\"series ")) && q < end; q++) {
			ck_assert_msg(strstr(q, " d=\"M") && strstr(q, " d=\"M") < end,
				      "a series path without data");
			got++;
		}
		for (const char *q = ul; q && (q = strstr(q, "<li>")) && q < ulend; q++)
			leg++;
		ck_assert_uint_gt(want, 0);
		ck_assert_uint_eq(got, want);
		ck_assert_uint_eq(leg, want);
		plots++;
	}
	return plots;
}

/* No attribute or CSS that fetches: src/href only to #anchors or data:. */
static void check_no_fetch(const char *html)
{
	static const char *const attrs[] = { "src=", "href=", "action=", "srcset=", "poster=" };

	for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++) {
		for (const char *p = html; (p = strstr(p, attrs[a])); p++) {
			const char *v = p + strlen(attrs[a]);

			if (p > html && p[-1] != ' ')
				continue;     /* inside text, e.g. an escaped "img src=x" */
			ck_assert_msg(v[0] == '"' && (v[1] == '#' || !strncmp(v + 1, "data:", 5)),
				      "fetching attribute: %.60s", p);
		}
	}
	for (const char *p = html; (p = strstr(p, "url(")); p++)
		ck_assert_msg(p[4] == '#', "url() to something else: %.40s", p);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "@import"));
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_null(strstr(html, "<iframe"));
	ck_assert_ptr_nonnull(strstr(html, "default-src 'none'"));
}

/* Three samples: a full listener whose queue and drops rise, states, counters. */
static struct fx *overflow_fx(void)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		struct s_listener *l = fx_listener(f, i, "127.0.0.1", 8080, 7 + i, 8);

		l->inode = 42;
		l->has_drops = true;
		l->drops = 100 * i;
		l->owner = 0;
		f->s[i]->n_procs = 1;
		f->s[i]->procs[0].pid = 4242;
		snprintf(f->s[i]->procs[0].comm, sizeof(f->s[i]->procs[0].comm), "<b>x\"'");
		f->s[i]->tally.by_state[TBL_TCP][SS_ESTABLISHED] = 10 + i;
		f->s[i]->tally.by_state[TBL_TCP][SS_SYN_SENT] = 30;
		f->s[i]->tally.by_state[TBL_TCP][SS_LISTEN] = 1;
		fx_mib(f, i, "TcpExtListenOverflows", 100 * i);
		fx_mib(f, i, "TcpExtListenDrops", 100 * i);
		snprintf(f->s[i]->meta.host, sizeof(f->s[i]->meta.host), "<script>alert(1)</script>\xff");
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	return f;
}

static struct trace *trace_of(const struct fx *f)
{
	struct trace *t = malloc(sizeof(*t));

	ck_assert_ptr_nonnull(t);
	trace_init(t);
	for (unsigned i = 0; i < f->ser.n; i++)
		trace_add(t, f->s[i], 0);
	return t;
}

static struct report_view *view_of(struct fx *f)
{
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(v);
	ck_assert(report_view_build(v, &f->ser, &f->out, &f->opts, "--port 8080", &err) == 0);
	strbuf_release(&err);
	return v;
}

START_TEST(page__verdict_in_four_parts_and_each_plot_drawn)
{
	struct fx *f = overflow_fx();
	struct trace *t = trace_of(f);
	struct report_view *v = view_of(f);
	char *html = page_of(v, t);

	ck_assert_ptr_nonnull(strstr(html, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(html, "Verdict: <span class=\"sev\">critical</span>"));
	ck_assert_ptr_nonnull(strstr(html, "<code>accept-queue-overflow</code>"));
	for (const char *id = "shows\0cause\0change\0verify\0plots\0evidence\0host\0unread\0"; *id;
	     id += strlen(id) + 1) {
		char want[40];

		snprintf(want, sizeof(want), "id=\"%s\"", id);
		ck_assert_msg(strstr(html, want), "no %s", want);
	}
	/* queue (Recv-Q, Send-Q), drops, states (ESTAB, SYN-SENT), drop counters */
	ck_assert_uint_eq(check_plots(html), 4);
	ck_assert_ptr_nonnull(strstr(html, "id=\"listener-0\" data-series=\"2\""));
	ck_assert_ptr_nonnull(strstr(html, "id=\"listener-drops\" data-series=\"1\""));
	ck_assert_ptr_nonnull(strstr(html, "id=\"tcp-states\" data-series=\"2\""));
	ck_assert_ptr_nonnull(strstr(html, "id=\"counters-drops\" data-series=\"2\""));
	ck_assert_ptr_nonnull(strstr(html, "3 samples over 2.0 s"));
	/* equal series: the hidden line is named, not lost */
	ck_assert_ptr_nonnull(strstr(html, "TcpExtListenDrops <span class=\"same\">(the same values "
					   "as TcpExtListenOverflows"));
	check_no_fetch(html);
	free(html);
	free(v);
	free(t);
	fx_free(f);
}
END_TEST

START_TEST(page__hostile_names_are_text)
{
	struct fx *f = overflow_fx();
	struct trace *t = trace_of(f);
	struct report_view *v = view_of(f);
	char *html = page_of(v, t);

	ck_assert_ptr_null(strstr(html, "<script>"));
	ck_assert_ptr_null(strstr(html, "<b>x"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;\\xff"));
	/* in the listener table, the plot's title and its legend */
	ck_assert_uint_ge(count(html, "&lt;b&gt;x&quot;&#39;[4242]"), 3);
	ck_assert(valid_utf8(html));
	check_no_fetch(html);
	free(html);
	free(v);
	free(t);
	fx_free(f);
}
END_TEST

START_TEST(page__one_sample_says_no_plot)
{
	struct fx *f = fx_new(1, 1.0);
	struct trace *t;
	struct report_view *v;
	char *html;

	fx_listener(f, 0, "0.0.0.0", 80, 9, 8);
	diagnose_run(&f->ser, &f->opts, &f->out);
	t = trace_of(f);
	v = view_of(f);
	html = page_of(v, t);
	ck_assert_ptr_nonnull(strstr(html, "No plot: one sample is one snapshot"));
	ck_assert_ptr_null(strstr(html, "<svg class=\"plot\""));
	check_no_fetch(html);
	free(html);
	html = page_of(v, NULL);
	ck_assert_ptr_nonnull(strstr(html, "No plot: no samples in time were kept"));
	free(html);
	free(v);
	free(t);
	fx_free(f);
}
END_TEST

/* The x-axis labels of the first plot (ticks centred under the axis). */
static unsigned x_ticks(const char *html)
{
	const char *p = strstr(html, "<svg class=\"plot\"");
	const char *end = strstr(p, "</svg>");
	unsigned n = 0;

	for (; (p = strstr(p, "<text class=\"tick\"")) && p < end; p++)
		n += strstr(p, "text-anchor=\"middle\"") < strchr(p, '>');
	return n;
}

/* One busy-listener trace of n points, 1 s apart, with `listeners` busy ones. */
static struct trace *long_trace(struct fx *f, unsigned n, unsigned listeners)
{
	struct trace *t = malloc(sizeof(*t));
	struct sample *s = f->s[0];

	trace_init(t);
	for (unsigned k = 0; k < listeners; k++)
		fx_listener(f, 0, "10.0.0.1", (uint16_t)(8000 + k), 1, 128)->inode = 100 + k;
	for (unsigned i = 0; i < n; i++) {
		s->meta.mono_ns = (int64_t)i * 1000000000;
		for (unsigned k = 0; k < listeners; k++)
			s->listeners[k].rq = (i * 7 + k) % 129;
		trace_add(t, s, 0);
	}
	return t;
}

START_TEST(page__sixty_samples_readable)
{
	struct fx *f = fx_new(1, 1.0);
	struct trace *t = long_trace(f, 60, 1);
	struct report_view *v = view_of(f);
	char *html = page_of(v, t);

	ck_assert_uint_le(x_ticks(html), 8);
	ck_assert_uint_ge(x_ticks(html), 4);
	ck_assert_ptr_nonnull(strstr(html, "marker-mid=\"url(#listener-0-m0)\""));
	ck_assert_ptr_nonnull(strstr(html, "60 samples over 59.0 s"));
	check_plots(html);
	free(html);
	free(v);
	free(t);
	fx_free(f);
}
END_TEST

START_TEST(page__an_hour_is_thinned_and_listeners_capped)
{
	struct fx *f = fx_new(1, 1.0);
	struct trace *t = long_trace(f, TRACE_POINTS_MAX, 12);
	struct report_view *v = view_of(f);
	char *html = page_of(v, t);
	const char *d = strstr(strstr(html, "<path class=\"series s0"), " d=\"");
	char note[96];

	/* per bucket its low and high point, never all 3600 */
	ck_assert_uint_le((unsigned)(strchr(d + 4, '"') - d), 2 * SVG_BUCKETS * 14);
	ck_assert_ptr_null(strstr(html, "marker-mid"));
	ck_assert_uint_le(x_ticks(html), 8);
	ck_assert_ptr_nonnull(strstr(html, "minutes since the first sample"));
	ck_assert_uint_eq(check_plots(html), HTML_LISTENER_PLOTS + 0u);
	snprintf(note, sizeof(note), "12 listeners followed: %u plotted; %u more with a queue",
		 HTML_LISTENER_PLOTS, 12 - HTML_LISTENER_PLOTS);
	ck_assert_msg(strstr(html, note), "no note: %s", note);
	free(html);
	free(v);
	free(t);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("report_html");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, escape__markup_and_quotes);
	tcase_add_test(tc, escape__controls_nul_and_invalid_utf8);
	tcase_add_test(tc, escape__null_and_empty);
	tcase_add_test(tc, svg__nice_steps);
	tcase_add_test(tc, page__verdict_in_four_parts_and_each_plot_drawn);
	tcase_add_test(tc, page__hostile_names_are_text);
	tcase_add_test(tc, page__one_sample_says_no_plot);
	tcase_add_test(tc, page__sixty_samples_readable);
	tcase_add_test(tc, page__an_hour_is_thinned_and_listeners_capped);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
