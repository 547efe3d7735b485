// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules table (src/diagnose/rules.c) against itself and the docs:
 * ids unique and well formed, every id in the man page's TRIAGE RULES
 * and in README.md and every id listed there in the table; needs gate a
 * rule (it does not run, and says what it lacked); --symptom ordering
 * comes from rule->symptoms; findings and changes are bounded.
 *
 * The docs are found from __FILE__ (tests/unit/... as make compiles it,
 * run from the top of the tree like every test).
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <ctype.h>
#include <limits.h>

#define DOC_MAX (256 * 1024)
#define DOC_IDS_MAX 64
#define ID_MAX 48

/* A file of the tree, read whole; NULL (and a failed check) when missing. */
static char *read_doc(const char *rel)
{
	char path[PATH_MAX];
	const char *slash = strrchr(__FILE__, '/');
	char *buf = calloc(1, DOC_MAX);
	FILE *fp;
	size_t n;

	ck_assert_ptr_nonnull(buf);
	if (slash)
		snprintf(path, sizeof(path), "%.*s/../../%s", (int)(slash - __FILE__), __FILE__, rel);
	else
		snprintf(path, sizeof(path), "%s", rel);
	fp = fopen(path, "r");
	if (!fp)
		fp = fopen(rel, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", rel);
	n = fread(buf, 1, DOC_MAX - 1, fp);
	ck_assert_uint_lt(n, DOC_MAX - 1);
	fclose(fp);
	return buf;
}

/* The part of doc from the line starting with start to the next line
 * starting with end (or the end of the text). */
static char *section(char *doc, const char *start, const char *end)
{
	char *s = strstr(doc, start), *e;

	ck_assert_msg(s != NULL, "no section %s", start);
	s = strchr(s, '\n');
	ck_assert_ptr_nonnull(s);
	s++;
	e = strstr(s, end);
	if (e)
		*e = '\0';
	return s;
}

struct idlist {
	unsigned n;
	char id[DOC_IDS_MAX][ID_MAX];
};

/*
 * Ids named in a list section: each line that is only `open id close`
 * items separated by ", " (scdoc "*a*, *b*", markdown "- `a`: ...").
 * A line with anything else before its first item is prose, not a list.
 */
static void ids_of(const char *sec, const char *lead, char open, char close, struct idlist *out)
{
	const char *line = sec;

	out->n = 0;
	while (*line) {
		const char *nl = strchr(line, '\n'), *p = line;
		const char *eol = nl ? nl : line + strlen(line);

		if (!strncmp(p, lead, strlen(lead))) {
			p += strlen(lead);
			while (p < eol && *p == open) {
				const char *q = ++p;

				while (q < eol && (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '-'))
					q++;
				if (q == eol || *q != close || q == p)
					break;
				ck_assert_uint_lt(out->n, DOC_IDS_MAX);
				ck_assert_uint_lt((unsigned)(q - p), ID_MAX);
				snprintf(out->id[out->n++], ID_MAX, "%.*s", (int)(q - p), p);
				p = q + 1;
				if (!strncmp(p, ", ", 2))
					p += 2;
				else
					break;
			}
		}
		line = nl ? nl + 1 : eol;
	}
}

static bool in_list(const struct idlist *l, const char *id)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->id[i], id))
			return true;
	return false;
}

static bool in_table(const char *id)
{
	for (size_t i = 0; i < n_rules; i++)
		for (unsigned k = 0; k < RULE_IDS_MAX && rules[i]->ids[k]; k++)
			if (!strcmp(rules[i]->ids[k], id))
				return true;
	return false;
}

/* Every id of the table in l, and every id of l in the table. */
static void agrees(const struct idlist *l, const char *doc)
{
	unsigned n_ids = 0;

	for (size_t i = 0; i < n_rules; i++)
		for (unsigned k = 0; k < RULE_IDS_MAX && rules[i]->ids[k]; k++) {
			ck_assert_msg(in_list(l, rules[i]->ids[k]), "%s does not list %s",
				      doc, rules[i]->ids[k]);
			n_ids++;
		}
	for (unsigned i = 0; i < l->n; i++)
		ck_assert_msg(in_table(l->id[i]), "%s lists %s, which no rule emits", doc, l->id[i]);
	ck_assert_uint_eq(l->n, n_ids);
}

START_TEST(table__rows_well_formed_ids_unique)
{
	ck_assert_uint_gt(n_rules, 0);
	ck_assert_ptr_null(rules[n_rules]);
	ck_assert_uint_le(n_rules, FINDINGS_NOT_RUN_MAX);
	for (size_t i = 0; i < n_rules; i++) {
		const struct rule *r = rules[i];

		ck_assert_ptr_nonnull(r->ids[0]);
		ck_assert_ptr_nonnull(r->check);
		ck_assert_ptr_nonnull(r->summary);
		ck_assert_uint_gt(strlen(r->summary), 0);
		ck_assert_uint_eq(r->needs & ~((1u << HAVE_BITS) - 1), 0);
		ck_assert_uint_eq(r->symptoms & ~((1u << SYMPTOM_MAX) - 1), 0);
		ck_assert_uint_eq(r->symptoms & SYMPTOM_BIT(SYMPTOM_NONE), 0);
		for (unsigned k = 0; k < RULE_IDS_MAX && r->ids[k]; k++)
			for (size_t j = 0; j < n_rules; j++)
				for (unsigned m = 0; m < RULE_IDS_MAX && rules[j]->ids[m]; m++)
					ck_assert_msg((i == j && k == m) || strcmp(r->ids[k], rules[j]->ids[m]),
						      "id %s twice", r->ids[k]);
		/* No gaps: ids after a NULL would never be reachable by name. */
		for (unsigned k = 1; k < RULE_IDS_MAX; k++)
			ck_assert(!r->ids[k] || r->ids[k - 1]);
	}
}
END_TEST

START_TEST(table__man_page_and_readme_agree)
{
	char *scd = read_doc("docs/sockvet.8.scd"), *roff = read_doc("docs/sockvet.8");
	char *readme = read_doc("README.md"), *man;
	struct idlist l;

	ids_of(section(scd, "# TRIAGE RULES", "\n# "), "", '*', '*', &l);
	agrees(&l, "docs/sockvet.8.scd TRIAGE RULES");
	/* The roff page is generated from it (scdoc): *id* became \fBid\fR. */
	man = section(roff, ".SH TRIAGE RULES", "\n.SH ");
	for (size_t i = 0; i < n_rules; i++)
		for (unsigned k = 0; k < RULE_IDS_MAX && rules[i]->ids[k]; k++) {
			char want[ID_MAX + 8];

			snprintf(want, sizeof(want), "\\fB%s\\fR", rules[i]->ids[k]);
			ck_assert_msg(strstr(man, want) != NULL,
				      "docs/sockvet.8 TRIAGE RULES does not list %s (regenerate it with scdoc)",
				      rules[i]->ids[k]);
		}
	ids_of(section(readme, "## Triage rules", "\n## "), "- ", '`', '`', &l);
	agrees(&l, "README.md Triage rules");
	free(scd);
	free(roff);
	free(readme);
}
END_TEST

/* A full accept queue the rule would report, in every sample. */
static struct fx *full_queue(void)
{
	struct fx *f = fx_new(2, 1.0);

	for (unsigned i = 0; i < 2; i++)
		fx_listener(f, i, "0.0.0.0", 8080, 129, 128);
	return f;
}

START_TEST(table__missing_need_does_not_run_and_names_the_capture)
{
	struct fx *f = full_queue();

	ck_assert(rule_run(&rule_accept_queue_overflow, &f->ser, &f->opts, &f->out));
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_ptr_eq(f->out.f[0].rule, &rule_accept_queue_overflow);
	ck_assert_uint_eq(f->out.n_not_run, 0);
	fx_free(f);

	/* The socket list missing from one sample is missing from the series. */
	f = full_queue();
	f->s[0]->have &= ~(uint32_t)HAVE_SOCKETS;
	ck_assert(!rule_run(&rule_accept_queue_overflow, &f->ser, &f->opts, &f->out));
	ck_assert_uint_eq(f->out.n, 0);
	ck_assert_uint_eq(f->out.n_not_run, 1);
	ck_assert_ptr_eq(f->out.not_run[0].rule, &rule_accept_queue_overflow);
	ck_assert_uint_eq(f->out.not_run[0].missing, HAVE_SOCKETS);
	ck_assert_str_eq(sample_have_source(HAVE_SOCKETS), "ss -tan");
	fx_free(f);
}
END_TEST

START_TEST(table__diagnose_run_records_each_rule_it_skips)
{
	struct fx *f = full_queue();
	bool resets = false, retrans = false;

	/* Counters absent: the counter-only rules do not run; the
	 * accept-queue rule still does, on the socket list. */
	for (unsigned i = 0; i < 2; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_MIB;
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_ptr_nonnull(fx_find(f, "accept-queue-overflow"));
	for (unsigned i = 0; i < f->out.n_not_run; i++) {
		const struct rule_not_run *nr = &f->out.not_run[i];

		ck_assert_uint_ne(nr->missing, 0);
		ck_assert_uint_eq(rule_missing(nr->rule, &f->ser), nr->missing);
		resets |= nr->rule == &rule_connection_resets && nr->missing == HAVE_MIB;
		retrans |= nr->rule == &rule_retransmits && nr->missing == HAVE_MIB;
		ck_assert_ptr_ne(nr->rule, &rule_accept_queue_overflow);
	}
	ck_assert(resets && retrans);
	fx_free(f);
}
END_TEST

/* --symptom puts the findings of the rules that declare it first within
 * a severity; it never lifts an info above a warning. */
START_TEST(table__symptom_order_from_rule_symptoms)
{
	struct fx *f = fx_new(2, 1.0);

	f->opts.port = 9999;    /* no-listener: warning, speaks to "refused" */
	for (unsigned i = 0; i < 2; i++) {
		struct s_listener *l = fx_listener(f, i, "0.0.0.0", 443, 0, 511);

		l->inode = 1001;
		l->has_drops = true;
		l->drops = 70;  /* accept-queue-overflow: info (old drops), not "exhaustion" */
		f->s[i]->tally.by_state[TBL_TCP][SS_TIME_WAIT] = 5000;  /* time-wait-pile: info */
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 3);
	ck_assert_str_eq(f->out.f[0].id, "no-listener");
	ck_assert_str_eq(f->out.f[1].id, "accept-queue-overflow");
	ck_assert_str_eq(f->out.f[2].id, "time-wait-pile");
	ck_assert(rule_time_wait_pile.symptoms & SYMPTOM_BIT(SYMPTOM_EXHAUSTION));
	ck_assert(!(rule_no_listener.symptoms & SYMPTOM_BIT(SYMPTOM_EXHAUSTION)));
	ck_assert(!(rule_accept_queue_overflow.symptoms & SYMPTOM_BIT(SYMPTOM_EXHAUSTION)));
	f->opts.symptom = SYMPTOM_EXHAUSTION;
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_str_eq(f->out.f[0].id, "no-listener");
	ck_assert_str_eq(f->out.f[1].id, "time-wait-pile");
	ck_assert_str_eq(f->out.f[2].id, "accept-queue-overflow");
	fx_free(f);
}
END_TEST

/* Counter evidence is worded as a change; nstat -az prints totals. */
START_TEST(table__counter_evidence_says_rose_by)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	finding_evidence_rise(&f, "TcpExtListenOverflows", 31, 2.0, "whole network namespace");
	finding_evidence_rise(&f, "TcpOutRsts", 12345, 1.0, NULL);
	finding_evidence_rise(&f, "TcpExtListenDrops", 0, 2.0, "");
	finding_evidence_rise2(&f, "TcpRetransSegs", 150, "TcpOutSegs", 5000, 2.0, NULL);
	ck_assert_uint_eq(f.n_evidence, 4);
	ck_assert_str_eq(f.evidence[0], "TcpExtListenOverflows rose by 31 in 2.0 s, whole network "
			 "namespace (nstat -az TcpExtListenOverflows)");
	ck_assert_str_eq(f.evidence[1], "TcpOutRsts rose by 12,345 in 1.0 s (nstat -az TcpOutRsts)");
	ck_assert_str_eq(f.evidence[2], "TcpExtListenDrops did not rise in 2.0 s (nstat -az TcpExtListenDrops)");
	ck_assert_str_eq(f.evidence[3], "TcpRetransSegs rose by 150 and TcpOutSegs by 5,000 in 2.0 s "
			 "(nstat -az TcpRetransSegs TcpOutSegs)");
}
END_TEST

START_TEST(table__finding_and_change_slots_bounded)
{
	struct findings *out = calloc(1, sizeof(*out));
	struct finding *x;

	ck_assert_ptr_null(rule_finding(out, &rule_no_listener, RULE_IDS_MAX, SEV_INFO, SIDE_NONE));
	ck_assert_ptr_null(rule_finding(out, &rule_no_listener, 2, SEV_INFO, SIDE_NONE));
	ck_assert_uint_eq(out->n, 0);
	x = rule_finding(out, &rule_no_listener, 1, SEV_WARNING, SIDE_APP);
	ck_assert_str_eq(x->id, "listener-loopback-only");
	ck_assert_ptr_eq(x->rule, &rule_no_listener);
	for (unsigned i = 0; i < FINDING_CHANGES_MAX; i++)
		ck_assert_ptr_nonnull(finding_change(x));
	ck_assert_ptr_null(finding_change(x));
	ck_assert_uint_eq(x->n_changes, FINDING_CHANGES_MAX);
	for (unsigned i = 1; i < FINDINGS_MAX; i++)
		ck_assert_ptr_nonnull(rule_finding(out, &rule_retransmits, 0, SEV_INFO, SIDE_NONE));
	ck_assert_ptr_null(rule_finding(out, &rule_retransmits, 0, SEV_INFO, SIDE_NONE));
	ck_assert_uint_eq(out->dropped, 1);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rules_table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, table__rows_well_formed_ids_unique);
	tcase_add_test(tc, table__man_page_and_readme_agree);
	tcase_add_test(tc, table__missing_need_does_not_run_and_names_the_capture);
	tcase_add_test(tc, table__diagnose_run_records_each_rule_it_skips);
	tcase_add_test(tc, table__symptom_order_from_rule_symptoms);
	tcase_add_test(tc, table__finding_and_change_slots_bounded);
	tcase_add_test(tc, table__counter_evidence_says_rose_by);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
