// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/kmsg.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static struct kevent ev;

static bool cls(const char *m)
{
	return kevent_classify(m, strlen(m), &ev);
}

START_TEST(syn_flood__every_wording)
{
	ck_assert(cls("TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:6000. Dropping request."));
	ck_assert_int_eq(ev.kind, KEV_SYN_FLOOD);
	ck_assert_int_eq(ev.action, KEV_ACT_DROPPING);
	ck_assert_uint_eq(ev.port, 6000);
	ck_assert(ev.has_addr);
	ck_assert_str_eq(ev.addr, "0.0.0.0");
	ck_assert(!ev.ipv6);

	ck_assert(cls("TCP: request_sock_TCPv6: Possible SYN flooding on port [::]:6002. Sending cookies."));
	ck_assert_int_eq(ev.action, KEV_ACT_COOKIES);
	ck_assert_uint_eq(ev.port, 6002);
	ck_assert_str_eq(ev.addr, "::");
	ck_assert(ev.ipv6);

	ck_assert(cls("TCP: request_sock_TCP: Possible SYN flooding on port 8009. Sending cookies.  Check SNMP counters."));
	ck_assert_uint_eq(ev.port, 8009);
	ck_assert(!ev.has_addr);
	ck_assert_int_eq(ev.action, KEV_ACT_COOKIES);

	ck_assert(cls("possible SYN flooding on port 80. Sending cookies."));
	ck_assert_uint_eq(ev.port, 80);
	ck_assert(cls("TCP: Possible SYN flooding on port 443. Dropping request."));
	ck_assert_uint_eq(ev.port, 443);
	ck_assert_int_eq(ev.action, KEV_ACT_DROPPING);
}
END_TEST

START_TEST(other_events__old_and_new_wordings)
{
	ck_assert(cls("TCP: out of memory -- consider tuning tcp_mem"));
	ck_assert_int_eq(ev.kind, KEV_TCP_OOM);
	ck_assert(cls("Out of socket memory"));
	ck_assert_int_eq(ev.kind, KEV_TCP_OOM);
	ck_assert(cls("TCP: too many orphaned sockets"));
	ck_assert_int_eq(ev.kind, KEV_ORPHANS);
	ck_assert(cls("TCP: too many of orphaned sockets"));
	ck_assert_int_eq(ev.kind, KEV_ORPHANS);
	ck_assert(cls("nf_conntrack: table full, dropping packet"));
	ck_assert_int_eq(ev.kind, KEV_CONNTRACK_FULL);
	ck_assert(cls("nf_conntrack: nf_conntrack: table full, dropping packet"));
	ck_assert_int_eq(ev.kind, KEV_CONNTRACK_FULL);
	ck_assert(cls("nf_conntrack: table full in netns 4026532281, dropping packet"));
	ck_assert_int_eq(ev.kind, KEV_CONNTRACK_FULL);
	ck_assert(cls("TCP: time wait bucket table overflow"));
	ck_assert_int_eq(ev.kind, KEV_TW_OVERFLOW);
	ck_assert(cls("VFS: file-max limit 2466186 reached"));
	ck_assert_int_eq(ev.kind, KEV_FILE_MAX);
	ck_assert(!cls("e1000: eth0 NIC Link is Up 1000 Mbps Full Duplex"));
	ck_assert(!cls("TCP: bbr registered"));
}
END_TEST

START_TEST(kmsg__record_prefix)
{
	const char *r = "4,1234,5678901,-;TCP: too many orphaned sockets\n SUBSYSTEM=x\n";
	const char *msg;
	size_t len;
	long long ts;

	ck_assert(kmsg_parse_record(r, strlen(r), &msg, &len, &ts));
	ck_assert_int_eq(ts, 5678901);
	ck_assert_uint_eq(len, strlen("TCP: too many orphaned sockets"));
	ck_assert(!kmsg_parse_record("no prefix here", 14, &msg, &len, &ts));
	ck_assert(!kmsg_parse_record("x,y;msg", 7, &msg, &len, &ts));
}
END_TEST

START_TEST(kmsg__file_source_and_unreadable_path)
{
	char path[] = "/tmp/sv-kmsgXXXXXX";
	int fd = mkstemp(path);
	struct kmsg_events *e = calloc(1, sizeof(*e));
	struct strbuf err = STRBUF_INIT;
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("6,1,100,-;Linux version 6.18\n"
	      "4,2,200,-;TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:6000. Dropping request.\n"
	      "4,3,300,-;nf_conntrack: table full, dropping packet\n", fp);
	fclose(fp);
	ck_assert_int_eq(kmsg_read(e, path, &err), 0);
	ck_assert(e->available);
	ck_assert_uint_eq(e->lines, 3);
	ck_assert_uint_eq(e->n, 2);
	ck_assert_uint_eq(e->count[KEV_SYN_FLOOD], 1);
	ck_assert_int_eq(e->ev[0].ts_us, 200);
	ck_assert_uint_eq(e->ev[0].port, 6000);
	unlink(path);
	ck_assert_int_eq(kmsg_read(e, "/nonexistent/kmsg", &err), 0);
	ck_assert(!e->available);
	ck_assert(strstr(e->reason, "cannot open /nonexistent/kmsg") != NULL);
	free(e);
}
END_TEST

START_TEST(kmsg__live_dev_kmsg_does_not_block)
{
	struct kmsg_events *e = calloc(1, sizeof(*e));
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(kmsg_read(e, "/dev/kmsg", &err), 0);
	if (geteuid() == 0)
		ck_assert_msg(e->available && e->lines > 0, "%s", e->reason);
	free(e);
}
END_TEST

/* The logged address decides which listener a line can be about. */
START_TEST(syn_flood__address_match)
{
	uint8_t any4[16] = { 0 }, ten[16] = { 10, 1, 2, 3 }, any6[16] = { 0 };

	ck_assert(cls("TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:8443. Sending cookies."));
	ck_assert(kevent_addr_match(&ev, AF_INET, any4));
	ck_assert(!kevent_addr_match(&ev, AF_INET, ten));
	ck_assert(!kevent_addr_match(&ev, AF_INET6, any6));
	ck_assert(cls("TCP: request_sock_TCP: Possible SYN flooding on port 10.1.2.3:8443. Sending cookies."));
	ck_assert(kevent_addr_match(&ev, AF_INET, ten));
	ck_assert(!kevent_addr_match(&ev, AF_INET, any4));
	ck_assert(cls("TCP: request_sock_TCPv6: Possible SYN flooding on port [::]:8443. Sending cookies."));
	ck_assert(kevent_addr_match(&ev, AF_INET6, any6));
	ck_assert(!kevent_addr_match(&ev, AF_INET, any4));
	/* Before 6.2 the port alone: any listener on it. */
	ck_assert(cls("TCP: request_sock_TCP: Possible SYN flooding on port 8443. Sending cookies."));
	ck_assert(kevent_addr_match(&ev, AF_INET, ten));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kevent");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, syn_flood__every_wording);
	tcase_add_test(tc, syn_flood__address_match);
	tcase_add_test(tc, other_events__old_and_new_wordings);
	tcase_add_test(tc, kmsg__record_prefix);
	tcase_add_test(tc, kmsg__file_source_and_unreadable_path);
	tcase_add_test(tc, kmsg__live_dev_kmsg_does_not_block);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
