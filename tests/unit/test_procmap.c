// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procmap over a fake proc tree built at run time (symlinks in git are
 * awkward). Directory order on the test's filesystem is whatever it is,
 * so expected owner orders are derived from readdir(): the contract is
 * "reverse of scan order", which is what ss 6.1 prints.
 */
#include "tap_check.h"
#include "../../src/collect/procmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void mk(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s", p);
}

static void ln(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_msg(symlink(target, p) == 0, "symlink %s", p);
}

static void put(const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/*
 *  100: fds 3,7 -> socket:[500], 4 -> socket:[501], 5 -> pipe:[600];
 *       comm `we"ird) na,me`; thread 101 "worker" shares fd 3
 *  200: fd 3 -> socket:[500]; comm "nginx"
 *  300: no fd directory (exited); 301: fd is a file (unreadable)
 *  400: fd 9 -> socket:[502]; stat "400 ()x) S": comm empty, as in ss
 *  500: fd 1 -> socket:[503]; comm longer than 15 bytes, cut
 *  self, abc: not PIDs, skipped
 */
static void build_tree(void)
{
	strcpy(root, "/tmp/sockvet-procmap-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	mk("100");
	mk("100/fd");
	ln("socket:[500]", "100/fd/3");
	ln("socket:[501]", "100/fd/4");
	ln("pipe:[600]", "100/fd/5");
	ln("socket:[500]", "100/fd/7");
	put("100/stat", "100 (we\"ird) na,me) S 1 100 100 0 -1\n");
	mk("100/task");
	mk("100/task/100");
	mk("100/task/100/fd");
	ln("socket:[500]", "100/task/100/fd/3");
	put("100/task/100/stat", "100 (leader) S 1\n");
	mk("100/task/101");
	mk("100/task/101/fd");
	ln("socket:[500]", "100/task/101/fd/3");
	put("100/task/101/stat", "101 (worker) S 1\n");
	mk("200");
	mk("200/fd");
	ln("socket:[500]", "200/fd/3");
	put("200/stat", "200 (nginx) S 1\n");
	mk("300");
	mk("301");
	put("301/fd", "not a directory\n");
	mk("400");
	mk("400/fd");
	ln("socket:[502]", "400/fd/9");
	put("400/stat", "400 ()x) S 1\n");
	mk("500");
	mk("500/fd");
	ln("socket:[503]", "500/fd/1");
	put("500/stat", "500 (abcdefghijklmnopqrstuvwxyz) S 1\n");
	mk("abc");
	ln("100", "self");
}

static void rm_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

/* Numeric names of a directory, in readdir order. */
static int dir_ids(const char *rel, unsigned *ids, int max)
{
	char p[512];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	dir = opendir(p);
	ck_assert_ptr_nonnull(dir);
	while ((d = readdir(dir)) && n < max)
		if (d->d_name[0] >= '0' && d->d_name[0] <= '9')
			ids[n++] = (unsigned)atoi(d->d_name);
	closedir(dir);
	return n;
}

START_TEST(procmap__owners_in_reverse_scan_order)
{
	struct strbuf err = STRBUF_INIT;
	const struct sock_owner *o;
	struct procmap *m;
	unsigned pids[16], fds[16], want_pid[8];
	int want_fd[8], np, nf, i, j, n = 0;
	size_t cnt;

	build_tree();
	ck_assert_int_eq(procmap_build(&m, root, false, &err), 0);
	/* Scan order of inode 500: pid 100 fds 3,7 (fd dir order), pid 200 fd 3. */
	np = dir_ids(".", pids, 16);
	for (i = 0; i < np; i++) {
		if (pids[i] == 100) {
			nf = dir_ids("100/fd", fds, 16);
			for (j = 0; j < nf; j++)
				if (fds[j] == 3 || fds[j] == 7) {
					want_pid[n] = 100;
					want_fd[n++] = (int)fds[j];
				}
		} else if (pids[i] == 200) {
			want_pid[n] = 200;
			want_fd[n++] = 3;
		}
	}
	ck_assert_int_eq(n, 3);
	cnt = procmap_lookup(m, 500, &o);
	ck_assert_uint_eq(cnt, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(o[i].pid, want_pid[2 - i]);
		ck_assert_int_eq(o[i].fd, want_fd[2 - i]);
		ck_assert_uint_eq(o[i].tid, 0);
		ck_assert_str_eq(o[i].comm, o[i].pid == 100 ? "we\"ird" : "nginx");
	}
	ck_assert_uint_eq(procmap_lookup(m, 501, &o), 1);
	ck_assert_int_eq(o[0].fd, 4);
	procmap_free(m);
	rm_tree();
	strbuf_release(&err);
}
END_TEST

/*
 * The true name, for JSON: from the first '(' to the LAST ')', where
 * ss's text cuts at the first ')'. `we"ird) na,me` is "we\"ird" in the
 * table and whole in JSON; "()x)" is empty for ss and ")x" for real.
 */
START_TEST(procmap__true_comm_ends_at_the_last_paren)
{
	struct strbuf err = STRBUF_INIT;
	const struct sock_owner *o;
	struct procmap *m;

	build_tree();
	ck_assert_int_eq(procmap_build(&m, root, false, &err), 0);
	ck_assert_uint_eq(procmap_lookup(m, 501, &o), 1);
	ck_assert_str_eq(o[0].comm, "we\"ird");
	ck_assert_str_eq(o[0].comm_true, "we\"ird) na,me");
	ck_assert_uint_eq(procmap_lookup(m, 502, &o), 1);
	ck_assert_str_eq(o[0].comm, "");
	ck_assert_str_eq(o[0].comm_true, ")x");
	ck_assert_uint_eq(procmap_lookup(m, 500, &o), 3);
	for (unsigned i = 0; i < 3; i++)
		if (o[i].pid == 200)
			ck_assert_str_eq(o[i].comm_true, "nginx");
	procmap_free(m);
	rm_tree();
	strbuf_release(&err);
}
END_TEST

START_TEST(procmap__comm_quirks_of_ss)
{
	struct strbuf err = STRBUF_INIT;
	const struct sock_owner *o;
	struct procmap *m;

	build_tree();
	ck_assert_int_eq(procmap_build(&m, root, false, &err), 0);
	ck_assert_uint_eq(procmap_lookup(m, 502, &o), 1);
	ck_assert_str_eq(o[0].comm, "");        /* "%[^)]" matched nothing */
	ck_assert_uint_eq(o[0].pid, 400);
	ck_assert_int_eq(o[0].fd, 9);
	ck_assert_uint_eq(procmap_lookup(m, 503, &o), 1);
	ck_assert_str_eq(o[0].comm, "abcdefghijklmno");
	ck_assert_str_eq(o[0].comm_true, "abcdefghijklmno");
	procmap_free(m);
	rm_tree();
	strbuf_release(&err);
}
END_TEST

START_TEST(procmap__missing_and_non_socket_inodes)
{
	struct strbuf err = STRBUF_INIT;
	const struct sock_owner *o = (const void *)&err;
	struct procmap *m;

	build_tree();
	ck_assert_int_eq(procmap_build(&m, root, false, &err), 0);
	ck_assert_uint_eq(procmap_lookup(m, 999, &o), 0);
	ck_assert_ptr_null(o);
	ck_assert_uint_eq(procmap_lookup(m, 600, &o), 0);   /* pipe:[600] */
	ck_assert_uint_eq(procmap_lookup(m, 0, &o), 0);
	/* 300 has no fd dir, 301's is a file; "abc" and "self" are not PIDs. */
	ck_assert_uint_eq(procmap_unreadable(m), 2);
	ck_assert_str_eq(err.buf, "");
	procmap_free(m);
	rm_tree();
	strbuf_release(&err);
}
END_TEST

START_TEST(procmap__threads_walk_task_dirs_like_ss_T)
{
	struct strbuf err = STRBUF_INIT;
	const struct sock_owner *o;
	struct procmap *m;
	size_t cnt, i;
	int worker = 0, leader = 0;

	build_tree();
	ck_assert_int_eq(procmap_build(&m, root, true, &err), 0);
	cnt = procmap_lookup(m, 500, &o);
	/* 100/fd (3,7), 100/task/101/fd (3), 200/fd (3); never task/100. */
	ck_assert_uint_eq(cnt, 4);
	for (i = 0; i < cnt; i++) {
		if (o[i].tid == 101) {
			worker++;
			ck_assert_uint_eq(o[i].pid, 100);
			ck_assert_str_eq(o[i].comm, "worker");
		} else {
			ck_assert_uint_eq(o[i].tid, o[i].pid);
			if (o[i].pid == 100) {
				leader++;
				ck_assert_str_eq(o[i].comm, "we\"ird");
			}
		}
	}
	ck_assert_int_eq(worker, 1);
	ck_assert_int_eq(leader, 2);
	/* Within pid 100 the thread is scanned after the leader's fds. */
	for (i = 0; i < cnt; i++)
		if (o[i].pid == 100)
			break;
	ck_assert_uint_eq(o[i].tid, 101);
	procmap_free(m);
	rm_tree();
	strbuf_release(&err);
}
END_TEST

/*
 * Live /proc: the counts-only census (stat st_size of the fd directory on
 * procfs) must agree with listing the directory, for a process whose fd
 * count we control: this one, with 37 extra fds open.
 */
START_TEST(procmap__counts_match_listing_on_live_proc)
{
	struct strbuf err = STRBUF_INIT;
	struct procmap *m = NULL;
	const struct procmap_proc *pp;
	int extra[37];
	uint32_t listed = 0, counted = 0;
	bool found = false;
	DIR *d;
	struct dirent *de;
	size_t n;

	for (int i = 0; i < 37; i++)
		ck_assert_int_ge(extra[i] = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	ck_assert_int_eq(procmap_build_counts(&m, "/proc", &err), 0);
	d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			listed++;
	closedir(d);
	listed--;               /* the directory's own fd, open only while listing */
	n = procmap_procs(m, &pp);
	for (size_t i = 0; i < n; i++)
		if (pp[i].pid == (uint32_t)getpid()) {
			counted = pp[i].fds;
			found = true;
		}
	ck_assert(found);
	/* The census itself holds /proc open while it counts us. */
	ck_assert_uint_eq(counted, listed + 1);
	ck_assert_uint_ge(counted, 40);
	for (int i = 0; i < 37; i++)
		close(extra[i]);
	procmap_free(m);
	strbuf_release(&err);
}
END_TEST

START_TEST(procmap__bad_root_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	struct procmap *m = (void *)&err;

	ck_assert_int_lt(procmap_build(&m, "/nonexistent/proc", false, &err), 0);
	ck_assert_ptr_null(m);
	ck_assert_str_eq(err.buf,
			 "cannot open '/nonexistent/proc': No such file or directory");
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("procmap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, procmap__owners_in_reverse_scan_order);
	tcase_add_test(tc, procmap__comm_quirks_of_ss);
	tcase_add_test(tc, procmap__true_comm_ends_at_the_last_paren);
	tcase_add_test(tc, procmap__missing_and_non_socket_inodes);
	tcase_add_test(tc, procmap__threads_walk_task_dirs_like_ss_T);
	tcase_add_test(tc, procmap__bad_root_is_an_error);
	tcase_add_test(tc, procmap__counts_match_listing_on_live_proc);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
