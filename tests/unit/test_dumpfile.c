// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump-file importer's "whole or an error": a recording that is cut
 * at a message boundary, empty, holds an unknown message type or a socket
 * of an impossible family fails with the byte offset before any record
 * reaches the callback; a whole one replays from a file or from a stream
 * that cannot seek (stdin, a pipe).
 *
 * tests/data/tcp_v4v6_plain.dump holds, at these offsets: three v4
 * sockets (0, 124, 248), DONE (372), three v6 sockets (392, 524, 648),
 * DONE (772); 792 bytes.
 */
#include "tap_check.h"
#include "../../src/import/dumpfile.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DATA "tests/data/"
#define PLAIN_LEN 792
#define V6_SOCK2 524        /* the second v6 socket's nlmsghdr */
#define LAST_DONE 772       /* the v6 NLMSG_DONE */

static uint8_t plain[4096];

static int count(const struct sock_rec *s, void *ctx)
{
	(void)s;
	(*(unsigned *)ctx)++;
	return SOCK_CB_OK;
}

static void load_plain(void)
{
	FILE *fp = fopen(DATA "tcp_v4v6_plain.dump", "rb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fread(plain, 1, sizeof(plain), fp), PLAIN_LEN);
	fclose(fp);
}

/* Replay len bytes of buf from a memory stream; *rows counts records. */
static int replay_bytes(const uint8_t *buf, size_t len, unsigned *rows,
			struct strbuf *err)
{
	FILE *fp = tmpfile();
	int r;

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(buf, 1, len, fp), len);
	rewind(fp);
	*rows = 0;
	r = dumpfile_replay_stream(fp, "rec", NULL, count, rows, err);
	fclose(fp);
	return r;
}

static void expect_error(const uint8_t *buf, size_t len, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	unsigned rows;

	ck_assert_int_lt(replay_bytes(buf, len, &rows, &err), 0);
	ck_assert_msg(strstr(err.buf, want), "'%s' lacks '%s'", err.buf, want);
	ck_assert_uint_eq(rows, 0);
	strbuf_release(&err);
}

START_TEST(whole_file_replays_six_sockets)
{
	struct strbuf err = STRBUF_INIT;
	unsigned rows;

	load_plain();
	ck_assert_int_eq(replay_bytes(plain, PLAIN_LEN, &rows, &err), 0);
	ck_assert_uint_eq(rows, 6);
	strbuf_release(&err);
}
END_TEST

START_TEST(empty_file_is_an_error)
{
	expect_error(plain, 0, "rec: empty recording at byte 0");
}
END_TEST

START_TEST(cut_before_the_last_done_is_an_error)
{
	load_plain();
	expect_error(plain, LAST_DONE, "without NLMSG_DONE");
	expect_error(plain, LAST_DONE, "at byte 772");
	/* v4 part whole, v6 part cut after its first socket. */
	expect_error(plain, V6_SOCK2, "at byte 524");
}
END_TEST

START_TEST(only_the_v4_part_with_its_done_is_whole)
{
	struct strbuf err = STRBUF_INIT;
	unsigned rows;

	load_plain();
	ck_assert_int_eq(replay_bytes(plain, 392, &rows, &err), 0);
	ck_assert_uint_eq(rows, 3);
	strbuf_release(&err);
}
END_TEST

START_TEST(unknown_message_type_is_an_error)
{
	load_plain();
	plain[V6_SOCK2 + 4] = 99;
	expect_error(plain, PLAIN_LEN, "unknown netlink message type 99 at byte 524");
}
END_TEST

START_TEST(impossible_family_is_an_error)
{
	load_plain();
	plain[V6_SOCK2 + 16] = 77;
	expect_error(plain, PLAIN_LEN, "socket of family 77 at byte 540");
	load_plain();
	plain[V6_SOCK2 + 16] = AF_UNIX;
	expect_error(plain, PLAIN_LEN, "family 1 at byte 540");
}
END_TEST

/* Replay the first len bytes of plain through a pipe, a stream that cannot seek. */
static int replay_pipe(size_t len, unsigned *rows, struct strbuf *err)
{
	int fd[2], r;
	FILE *fp;

	load_plain();
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], plain, len), (ssize_t)len);
	close(fd[1]);
	fp = fdopen(fd[0], "rb");
	ck_assert_ptr_nonnull(fp);
	*rows = 0;
	r = dumpfile_replay_stream(fp, "stdin", NULL, count, rows, err);
	fclose(fp);
	return r;
}

START_TEST(a_pipe_replays_whole)
{
	struct strbuf err = STRBUF_INIT;
	unsigned rows;

	ck_assert_int_eq(replay_pipe(PLAIN_LEN, &rows, &err), 0);
	ck_assert_uint_eq(rows, 6);
	strbuf_release(&err);
}
END_TEST

START_TEST(a_cut_pipe_gives_no_row)
{
	struct strbuf err = STRBUF_INIT;
	unsigned rows;

	ck_assert_int_lt(replay_pipe(LAST_DONE, &rows, &err), 0);
	ck_assert_uint_eq(rows, 0);
	ck_assert_msg(strstr(err.buf, "stdin: the recording ends at byte 772"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dumpfile");
	TCase *tc = tcase_create("whole");

	tcase_add_test(tc, whole_file_replays_six_sockets);
	tcase_add_test(tc, empty_file_is_an_error);
	tcase_add_test(tc, cut_before_the_last_done_is_an_error);
	tcase_add_test(tc, only_the_v4_part_with_its_done_is_whole);
	tcase_add_test(tc, unknown_message_type_is_an_error);
	tcase_add_test(tc, impossible_family_is_an_error);
	tcase_add_test(tc, a_pipe_replays_whole);
	tcase_add_test(tc, a_cut_pipe_gives_no_row);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
