// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Prometheus exposition (report_prom.c over the report view) and the
 * exporter's owner cache. These would catch an input the sample lacks
 * exported as 0 (an alert firing on "unknown"), a listener past
 * --max-listeners lost instead of folded into "other", the wrong
 * listeners kept (not the fullest), a label value that breaks the
 * format, a finding repeated as a duplicate series, and listener owners
 * forgotten between samples (a process label that comes and goes).
 */
#include "tap_check.h"
#include "series_fixture.h"
#include "../../src/render/report.h"
#include "../../src/cmd/owner_cache.c"

struct out {
	char *buf;
	size_t len;
};

/* The view of f's series with every listener up to max, rendered. */
static void render(struct fx *f, unsigned max, struct out *o)
{
	struct report_view *v = malloc(sizeof(*v));
	struct report_listener *rows = calloc(max, sizeof(*rows));
	struct prom_self self = { .window = f->ser.n, .samples = 1, .sample_s = -1, .render_s = -1 };
	struct strbuf err = STRBUF_INIT;
	FILE *fp = open_memstream(&o->buf, &o->len);

	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_int_eq(report_view_build(v, &f->ser, &f->out, &f->opts, "", &err), 0);
	report_view_set_all_listeners(v, &f->ser, rows, max);
	ck_assert_int_eq(report_prom(fp, v, &self, &err), 0);
	fclose(fp);
	free(rows);
	free(v);
	strbuf_release(&err);
}

static bool has(const struct out *o, const char *s)
{
	return strstr(o->buf, s) != NULL;
}

START_TEST(absent_inputs_are_absent)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };

	f->s[0]->have &= ~(uint32_t)(HAVE_CONNTRACK | HAVE_SYSCTL | HAVE_MIB);
	render(f, 10, &o);
	ck_assert(!has(&o, "sockvet_conntrack_entries"));
	ck_assert(!has(&o, "sockvet_files_open"));
	ck_assert(!has(&o, "sockvet_somaxconn"));
	ck_assert(!has(&o, "sockvet_tcp_memory_limit_bytes"));
	ck_assert(!has(&o, "sockvet_mib_total"));
	ck_assert(has(&o, "sockvet_samples_total 1\n"));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(present_inputs_have_their_values)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };

	f->s[0]->have |= HAVE_FILE_NR;
	f->s[0]->file_nr_alloc = 905;
	f->s[0]->file_nr_max = 1000;
	f->s[0]->conntrack_count = 7;
	f->s[0]->conntrack_max = 262144;
	fx_mib(f, 0, "TcpExtListenOverflows", 177);
	render(f, 10, &o);
	ck_assert(has(&o, "sockvet_files_open 905\n"));
	ck_assert(has(&o, "sockvet_files_max 1000\n"));
	ck_assert(has(&o, "sockvet_conntrack_entries 7\n"));
	ck_assert(has(&o, "sockvet_somaxconn 4096\n"));
	ck_assert(has(&o, "sockvet_mib_total{name=\"TcpExtListenOverflows\"} 177\n"));
	ck_assert(has(&o, "# TYPE sockvet_mib_total counter\n"));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(listeners_past_the_bound_fold_into_other)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };
	struct s_listener *l;

	fx_listener(f, 0, "0.0.0.0", 80, 0, 128)->has_drops = true;
	l = fx_listener(f, 0, "0.0.0.0", 8080, 9, 8);          /* full: first */
	l->has_drops = true;
	l->drops = 93;
	fx_listener(f, 0, "127.0.0.1", 5432, 60, 100);         /* 60% */
	l = fx_listener(f, 0, "::", 443, 1, 4096);
	l->has_drops = true;
	l->drops = 5;
	l->syn_recv = 3;
	render(f, 2, &o);
	ck_assert(has(&o, "sockvet_listener_accept_queue{address=\"0.0.0.0\",port=\"8080\","));
	ck_assert(has(&o, "sockvet_listener_accept_queue{address=\"127.0.0.1\",port=\"5432\","));
	ck_assert(!has(&o, "port=\"80\""));
	ck_assert(!has(&o, "port=\"443\""));
	/* 80 and 443 summed: queue 0+1, backlog 128+4096, drops 0+5, SYN-RECV 3 */
	ck_assert(has(&o, "sockvet_listener_accept_queue{address=\"other\",port=\"\",process=\"\",netns=\"\"} 1\n"));
	ck_assert(has(&o, "sockvet_listener_backlog{address=\"other\",port=\"\",process=\"\",netns=\"\"} 4224\n"));
	ck_assert(has(&o, "sockvet_listener_drops_total{address=\"other\",port=\"\",process=\"\",netns=\"\"} 5\n"));
	ck_assert(has(&o, "sockvet_listener_syn_recv{address=\"other\",port=\"\",process=\"\",netns=\"\"} 3\n"));
	ck_assert(has(&o, "sockvet_listener_drops_total{address=\"0.0.0.0\",port=\"8080\",process=\"\",netns=\"\"} 93\n"));
	/* 5432 has no skmem d: no drops series, not a 0 */
	ck_assert(!has(&o, "sockvet_listener_drops_total{address=\"127.0.0.1\""));
	ck_assert(has(&o, "sockvet_listeners 4\n"));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(label_values_are_escaped)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };
	struct s_proc *p = sample_proc(f->s[0], 42, "a\"b\\c\nd");

	fx_listener(f, 0, "0.0.0.0", 80, 0, 128)->owner = (int32_t)(p - f->s[0]->procs);
	render(f, 10, &o);
	ck_assert(has(&o, "process=\"a\\\"b\\\\c\\nd\""));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(states_are_all_there_without_close)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };

	f->s[0]->tally.by_state[TBL_TCP][SS_ESTABLISHED] = 12;
	f->s[0]->tally.by_state[TBL_TCP][SS_NEW_SYN_RECV] = 5;
	render(f, 10, &o);
	ck_assert(has(&o, "sockvet_tcp_sockets{state=\"ESTAB\"} 12\n"));
	ck_assert(has(&o, "sockvet_tcp_sockets{state=\"SYN-RECV\"} 5\n"));
	ck_assert(has(&o, "sockvet_tcp_sockets{state=\"CLOSE-WAIT\"} 0\n"));
	ck_assert(!has(&o, "UNCONN"));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(a_full_queue_is_a_finding_series)
{
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 };

	fx_listener(f, 0, "0.0.0.0", 8080, 9, 8);
	render(f, 10, &o);
	ck_assert(has(&o, "sockvet_finding{id=\"accept-queue-overflow\","));
	ck_assert(has(&o, "sockvet_healthy 0\n"));
	free(o.buf);
	fx_free(f);
}
END_TEST

START_TEST(owners_are_kept_between_samples)
{
	struct owner_cache *c = calloc(1, sizeof(*c));
	struct fx *f = fx_new(3, 1.0);
	struct s_proc *p = sample_proc(f->s[0], 812, "nginx");
	struct s_listener *l;

	ck_assert_int_eq(owner_cache_mode(c), SAMPLE_OWNERS_ALWAYS);
	l = fx_listener(f, 0, "0.0.0.0", 80, 0, 128);
	l->inode = 1000;
	l->owner = (int32_t)(p - f->s[0]->procs);
	fx_listener(f, 0, "0.0.0.0", 81, 0, 128)->inode = 1001;   /* nobody we can see */
	ck_assert(owner_cache_apply(c, f->s[0], true));
	ck_assert_int_eq(owner_cache_mode(c), SAMPLE_OWNERS_AUTO);

	/* A sample that did not name owners gets them back by inode. */
	sample_proc(f->s[1], 812, "nginx")->fds = 77;
	fx_listener(f, 1, "0.0.0.0", 80, 0, 128)->inode = 1000;
	fx_listener(f, 1, "0.0.0.0", 81, 0, 128)->inode = 1001;
	ck_assert(owner_cache_apply(c, f->s[1], false));
	l = &f->s[1]->listeners[0];
	ck_assert_int_ge(l->owner, 0);
	ck_assert_str_eq(f->s[1]->procs[l->owner].comm, "nginx");
	ck_assert_uint_eq(f->s[1]->procs[l->owner].fds, 77);
	ck_assert_uint_eq(f->s[1]->procs[l->owner].listeners, 1);
	ck_assert_int_eq(f->s[1]->listeners[1].owner, -1);

	/* A new listener nobody named: the sample must be taken again. */
	fx_listener(f, 2, "0.0.0.0", 80, 0, 128)->inode = 1000;
	fx_listener(f, 2, "0.0.0.0", 9000, 0, 128)->inode = 2000;
	ck_assert(!owner_cache_apply(c, f->s[2], false));
	free(c);
	fx_free(f);
}
END_TEST

START_TEST(owners_are_walked_again_now_and_then)
{
	struct owner_cache *c = calloc(1, sizeof(*c));
	struct fx *f = fx_new(1, 1.0);

	ck_assert(owner_cache_apply(c, f->s[0], true));
	for (unsigned i = 0; i < OWNERS_REFRESH - 1; i++) {
		ck_assert(owner_cache_apply(c, f->s[0], false));
		ck_assert_int_eq(owner_cache_mode(c), SAMPLE_OWNERS_AUTO);
	}
	ck_assert(owner_cache_apply(c, f->s[0], false));
	ck_assert_int_eq(owner_cache_mode(c), SAMPLE_OWNERS_ALWAYS);
	free(c);
	fx_free(f);
}
END_TEST

/* One namespace's part (PROM_PART_* of f's single sample) into o. */
static void render_part(struct fx *f, enum prom_part part, const char *const *labels,
			struct out *o)
{
	struct report_view *v = malloc(sizeof(*v));
	struct report_listener *rows = calloc(10, sizeof(*rows));
	struct strbuf err = STRBUF_INIT;
	FILE *fp = open_memstream(&o->buf, &o->len);

	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_int_eq(report_view_build(v, &f->ser, &f->out, &f->opts, "", &err), 0);
	report_view_set_all_listeners(v, &f->ser, rows, 10);
	ck_assert_int_eq(report_prom_part(fp, v, part, labels, &err), 0);
	fclose(fp);
	free(rows);
	free(v);
	strbuf_release(&err);
}

START_TEST(netns_part_labels_every_series_and_leaves_host_values_out)
{
	static const char *const labels[] = { "netns", "4026532178", "netns_owner", "named a", NULL };
	struct fx *f = fx_new(1, 1.0);
	struct out o = { 0 }, h = { 0 };
	unsigned series = 0;

	fx_listener(f, 0, "0.0.0.0", 8080, 9, 8);
	f->s[0]->file_nr_alloc = 100;
	f->s[0]->file_nr_max = 1000;
	f->s[0]->have |= HAVE_FILE_NR;
	render_part(f, PROM_PART_NETNS, labels, &o);
	for (char *l = strtok(o.buf, "\n"); l; l = strtok(NULL, "\n")) {
		if (l[0] == '#')
			continue;
		series++;
		ck_assert_msg(strstr(l, "{netns=\"4026532178\",netns_owner=\"named a\"") ==
			      strchr(l, '{'), "%s", l);
		ck_assert_msg(!strstr(l, ",netns=\""), "netns twice: %s", l);
		ck_assert_msg(strncmp(l, "sockvet_files_", 14) && strncmp(l, "sockvet_tcp_memory", 18) &&
			      strncmp(l, "sockvet_tcp_orphans", 19), "host-wide in a namespace: %s", l);
	}
	ck_assert_uint_gt(series, 10);
	render_part(f, PROM_PART_HOST, NULL, &h);
	ck_assert(has(&h, "\nsockvet_files_open 100\n"));
	ck_assert(has(&h, "sockvet_tcp_memory_limit_bytes{level=\"min\"}"));
	ck_assert(!has(&h, "netns"));
	free(o.buf);
	free(h.buf);
	fx_free(f);
}
END_TEST

/* Every sample's family is the one whose TYPE came last, each TYPE once. */
static void check_grouped(const char *text)
{
	char *copy = strdup(text), fam[128] = "", seen[4096] = " ";

	for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n")) {
		char name[128], key[132];

		if (!strncmp(l, "# TYPE ", 7)) {
			ck_assert_int_eq(sscanf(l + 7, "%127s", fam), 1);
			snprintf(key, sizeof(key), " %s ", fam);
			ck_assert_msg(!strstr(seen, key), "%s typed twice", fam);
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			continue;
		}
		if (l[0] == '#')
			continue;
		ck_assert_int_eq(sscanf(l, "%127[^{ ]", name), 1);
		ck_assert_msg(!strcmp(name, fam), "%s outside its family (after %s)", name, fam);
	}
	free(copy);
}

START_TEST(merged_namespaces_have_each_family_once)
{
	static const char *const a[] = { "netns", "1", "netns_owner", "host", NULL };
	static const char *const b[] = { "netns", "2", "netns_owner", "named b", NULL };
	struct fx *f1 = fx_new(1, 1.0), *f2 = fx_new(1, 1.0);
	struct out o1 = { 0 }, o2 = { 0 }, h = { 0 }, m = { 0 };
	struct prom_merge *pm = prom_merge_new();
	struct strbuf err = STRBUF_INIT;
	FILE *fp;

	fx_listener(f1, 0, "0.0.0.0", 22, 0, 128);
	fx_listener(f2, 0, "127.0.0.1", 8080, 9, 8);
	render_part(f1, PROM_PART_NETNS, a, &o1);
	render_part(f1, PROM_PART_HOST, NULL, &h);
	render_part(f2, PROM_PART_NETNS, b, &o2);
	ck_assert_int_eq(prom_merge_add(pm, o1.buf, o1.len, &err), 0);
	ck_assert_int_eq(prom_merge_add(pm, h.buf, h.len, &err), 0);
	ck_assert_int_eq(prom_merge_add(pm, o2.buf, o2.len, &err), 0);
	fp = open_memstream(&m.buf, &m.len);
	ck_assert_int_eq(prom_merge_write(pm, fp), 0);
	fclose(fp);
	check_grouped(m.buf);
	ck_assert(has(&m, "sockvet_listener_accept_queue{netns=\"1\",netns_owner=\"host\",address=\"0.0.0.0\",port=\"22\""));
	ck_assert(has(&m, "sockvet_listener_accept_queue{netns=\"2\",netns_owner=\"named b\",address=\"127.0.0.1\",port=\"8080\",process=\"\"} 9\n"));
	ck_assert(has(&m, "sockvet_finding{netns=\"2\",netns_owner=\"named b\",id=\"accept-queue-overflow\""));
	ck_assert(has(&m, "\nsockvet_somaxconn{netns=\"1\",netns_owner=\"host\"} 4096\nsockvet_somaxconn{netns=\"2\""));
	/* Reset: the next round starts empty. */
	prom_merge_reset(pm);
	free(m.buf);
	m.buf = NULL;
	fp = open_memstream(&m.buf, &m.len);
	ck_assert_int_eq(prom_merge_write(pm, fp), 0);
	fclose(fp);
	ck_assert_uint_eq(m.len, 0);
	prom_merge_free(pm);
	free(o1.buf);
	free(o2.buf);
	free(h.buf);
	free(m.buf);
	strbuf_release(&err);
	fx_free(f1);
	fx_free(f2);
}
END_TEST

START_TEST(merge_refuses_what_is_not_an_exposition)
{
	static const char orphan[] = "sockvet_x 1\n";
	static const char g[] = "# HELP sockvet_x x\n# TYPE sockvet_x gauge\nsockvet_x 1\n";
	static const char c[] = "# HELP sockvet_x x\n# TYPE sockvet_x counter\nsockvet_x 2\n";
	static const char other[] = "# HELP sockvet_y y\n# TYPE sockvet_y gauge\nsockvet_x 2\n";
	struct prom_merge *pm = prom_merge_new();
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(prom_merge_add(pm, orphan, strlen(orphan), &err), 0);
	ck_assert_int_eq(prom_merge_add(pm, g, strlen(g), &err), 0);
	ck_assert_int_lt(prom_merge_add(pm, c, strlen(c), &err), 0);
	ck_assert_int_lt(prom_merge_add(pm, other, strlen(other), &err), 0);
	prom_merge_free(pm);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_prom");
	TCase *tc = tcase_create("report_prom");

	tcase_add_test(tc, absent_inputs_are_absent);
	tcase_add_test(tc, present_inputs_have_their_values);
	tcase_add_test(tc, listeners_past_the_bound_fold_into_other);
	tcase_add_test(tc, label_values_are_escaped);
	tcase_add_test(tc, states_are_all_there_without_close);
	tcase_add_test(tc, a_full_queue_is_a_finding_series);
	tcase_add_test(tc, owners_are_kept_between_samples);
	tcase_add_test(tc, owners_are_walked_again_now_and_then);
	tcase_add_test(tc, netns_part_labels_every_series_and_leaves_host_values_out);
	tcase_add_test(tc, merged_namespaces_have_each_family_once);
	tcase_add_test(tc, merge_refuses_what_is_not_an_exposition);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
