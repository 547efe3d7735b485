// SPDX-License-Identifier: GPL-2.0-or-later
/* The namespace list's decoders, dedupe, order and labels (netns_list.h). */
#include "tap_check.h"
#include "../../src/collect/netns_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(decode_link__inode_and_garbage)
{
	uint64_t ino = 7;

	ck_assert_int_eq(netns_decode_link("net:[4026531840]", 16, &ino), 0);
	ck_assert_uint_eq(ino, 4026531840ull);
	ino = 7;
	ck_assert_int_lt(netns_decode_link("net:[]", 6, &ino), 0);
	ck_assert_int_lt(netns_decode_link("mnt:[4026531840]", 16, &ino), 0);
	ck_assert_int_lt(netns_decode_link("net:[40265x1840]", 16, &ino), 0);
	ck_assert_int_lt(netns_decode_link("net:[4026531840", 15, &ino), 0);
	ck_assert_int_lt(netns_decode_link("net:[0]", 7, &ino), 0);
	ck_assert_int_lt(netns_decode_link("net:[99999999999999999999999]", 29, &ino), 0);
	ck_assert_uint_eq(ino, 7);
}
END_TEST

static const char *container(const char *text)
{
	static char out[NETNS_CONTAINER_MAX];

	netns_decode_container(text, out, sizeof(out));
	return out;
}

START_TEST(decode_container__runtimes_units_and_none)
{
	ck_assert_str_eq(container("0::/system.slice/docker-0123456789abcdef0123456789abcdef"
				   "0123456789abcdef0123456789abcdef.scope\n"),
			 "docker 0123456789ab");
	ck_assert_str_eq(container("0::/docker/fedcba9876543210fedcba9876543210"
				   "fedcba9876543210fedcba9876543210\n"),
			 "docker fedcba987654");
	ck_assert_str_eq(container("0::/kubepods.slice/kubepods-burstable.slice/"
				   "kubepods-burstable-pod1234_5678.slice/cri-containerd-"
				   "aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111"
				   ".scope\n"),
			 "kubepods containerd aaaabbbbcccc");
	ck_assert_str_eq(container("0::/kubepods/besteffort/pod0c5e/"
				   "bbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111aaaa\n"),
			 "kubepods container bbbbccccdddd");
	ck_assert_str_eq(container("0::/machine.slice/libpod-"
				   "1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff.scope/"
				   "container\n"),
			 "libpod 111122223333");
	ck_assert_str_eq(container("0::/system.slice/crio-"
				   "9999888877776666555544443333222211110000ffffeeeeddddccccbbbbaaaa.scope\n"),
			 "cri-o 999988887777");
	ck_assert_str_eq(container("0::/system.slice/nginx.service\n"), "nginx.service");
	ck_assert_str_eq(container("0::/user.slice/user-0.slice/session-3.scope\n"),
			 "session-3.scope");
	/* v1 only: the name=systemd line */
	ck_assert_str_eq(container("12:memory:/\n1:name=systemd:/system.slice/sshd.service\n"),
			 "sshd.service");
	/* the v2 line wins over v1 lines before it */
	ck_assert_str_eq(container("1:name=systemd:/system.slice/a.service\n"
				   "0::/system.slice/b.service\n"),
			 "b.service");
	ck_assert_str_eq(container("0::/\n"), "");
	ck_assert_str_eq(container("0::/init.scope\n"), "init.scope");
	ck_assert_str_eq(container(""), "");
	/* "docker-" with a short id is not a container */
	ck_assert_str_eq(container("0::/system.slice/docker-abc.scope\n"), "docker-abc.scope");
}
END_TEST

START_TEST(note__dedupes_keeps_lowest_pid_and_first_name)
{
	struct netns_list l;
	struct strbuf err = STRBUF_INIT;

	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(netns_list_note(&l, 4, 100, NULL, 1, true, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 200, NULL, 900, false, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 200, NULL, 812, false, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 200, NULL, 1000, false, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 300, "zeta", 0, false, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 300, "alpha", 0, false, &err), 0);
	ck_assert_int_eq(netns_list_note(&l, 4, 300, NULL, 77, false, &err), 0);
	/* same inode, another device: another namespace */
	ck_assert_int_eq(netns_list_note(&l, 5, 200, NULL, 5, false, &err), 0);
	ck_assert_uint_eq(l.n, 4);
	netns_list_sort(&l);
	ck_assert(l.e[0].host);
	ck_assert_uint_eq(l.e[0].ino, 100);
	ck_assert_str_eq(l.e[1].name, "alpha");
	ck_assert_int_eq(l.e[1].pid, 77);
	ck_assert_int_eq(l.e[2].pid, 5);
	ck_assert_uint_eq(l.e[2].dev, 5);
	ck_assert_int_eq(l.e[3].pid, 812);
	/* the hash still finds entries after the sort */
	ck_assert_int_eq(netns_list_note(&l, 4, 200, NULL, 3, false, &err), 0);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.e[3].pid, 3);
	netns_list_free(&l);
	strbuf_release(&err);
}
END_TEST

START_TEST(note__bounded_at_netns_max)
{
	struct netns_list l;
	struct strbuf err = STRBUF_INIT;

	memset(&l, 0, sizeof(l));
	for (unsigned i = 0; i < NETNS_MAX + 10; i++)
		ck_assert_int_eq(netns_list_note(&l, 4, 1000 + i, NULL, (int)i + 1, false, &err), 0);
	ck_assert_uint_eq(l.n, NETNS_MAX);
	ck_assert_uint_eq(l.dropped, 10);
	/* a known one still merges */
	ck_assert_int_eq(netns_list_note(&l, 4, 1000, "x", 0, false, &err), 0);
	ck_assert_uint_eq(l.dropped, 10);
	netns_list_free(&l);
	strbuf_release(&err);
}
END_TEST

START_TEST(label__host_named_pid)
{
	struct netns_entry e;
	char buf[NETNS_LABEL_MAX];

	memset(&e, 0, sizeof(e));
	e.host = true;
	e.pid = 1;
	ck_assert_str_eq(netns_label(&e, buf, sizeof(buf)), "host");
	ck_assert_str_eq(netns_run_name(&e, buf, sizeof(buf)), "");
	e.host = false;
	snprintf(e.name, sizeof(e.name), "blue");
	ck_assert_str_eq(netns_label(&e, buf, sizeof(buf)), "named blue");
	ck_assert_str_eq(netns_run_name(&e, buf, sizeof(buf)), "blue");
	e.name[0] = '\0';
	e.pid = 812;
	ck_assert_str_eq(netns_label(&e, buf, sizeof(buf)), "pid 812 ?");
	snprintf(e.comm, sizeof(e.comm), "nginx");
	snprintf(e.container, sizeof(e.container), "docker 0123456789ab");
	ck_assert_str_eq(netns_label(&e, buf, sizeof(buf)), "pid 812 nginx (docker 0123456789ab)");
	ck_assert_str_eq(netns_run_name(&e, buf, sizeof(buf)), "/proc/812/ns/net");
}
END_TEST

/* A fake /proc: pids whose ns/net links say net:[N], with comm and cgroup. */
static char root[64];

static void mk(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void fake_pid(int pid, const char *link, const char *comm, const char *cgroup)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%d", root, pid);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/%d/ns", root, pid);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/%d/ns/net", root, pid);
	ck_assert_int_eq(symlink(link, p), 0);
	snprintf(p, sizeof(p), "%d/comm", pid);
	mk(p, comm);
	snprintf(p, sizeof(p), "%d/cgroup", pid);
	mk(p, cgroup);
}

START_TEST(scan__fake_proc_dedupes_and_labels)
{
	struct netns_list l;
	struct strbuf err = STRBUF_INIT;
	char p[256], buf[NETNS_LABEL_MAX];

	snprintf(root, sizeof(root), "/tmp/sv-netns-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/self", root);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/self/ns", root);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	mk("self/ns/net", "");
	fake_pid(1, "net:[100]", "systemd\n", "0::/init.scope\n");
	fake_pid(700, "net:[200]", "worker\n", "0::/system.slice/app.service\n");
	fake_pid(650, "net:[200]", "nginx\n",
		 "0::/system.slice/docker-0123456789abcdef0123456789abcdef"
		 "0123456789abcdef0123456789abcdef.scope\n");
	fake_pid(900, "net:[100]", "sshd\n", "0::/system.slice/ssh.service\n");
	fake_pid(901, "mnt:[300]", "odd\n", "");
	mk("notapid", "");

	memset(&l, 0, sizeof(l));
	snprintf(p, sizeof(p), "%s/run-netns-absent", root);
	ck_assert_int_eq(netns_list_scan(&l, root, p, &err), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(netns_label(&l.e[0], buf, sizeof(buf)), "host");
	ck_assert_uint_eq(l.e[0].ino, 100);
	ck_assert_int_eq(l.e[0].pid, 1);
	ck_assert_str_eq(netns_label(&l.e[1], buf, sizeof(buf)),
			 "pid 650 nginx (docker 0123456789ab)");
	ck_assert_uint_eq(l.e[1].ino, 200);
	netns_list_free(&l);
	strbuf_release(&err);
	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	ck_assert_int_eq(system(p), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("netns_list");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, decode_link__inode_and_garbage);
	tcase_add_test(tc, decode_container__runtimes_units_and_none);
	tcase_add_test(tc, note__dedupes_keeps_lowest_pid_and_first_name);
	tcase_add_test(tc, note__bounded_at_netns_max);
	tcase_add_test(tc, label__host_named_pid);
	tcase_add_test(tc, scan__fake_proc_dedupes_and_labels);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
