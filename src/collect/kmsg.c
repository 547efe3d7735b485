// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/kmsg: each read() returns exactly one record,
 *
 *   6,1234,5678901,-;TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:6000. Dropping request.
 *    SUBSYSTEM=...            (optional continuation lines, leading space)
 *
 * fields before ';' are priority (facility<<3|level), sequence number,
 * microseconds since boot, flags. A fresh open starts at the oldest
 * record still in the buffer; with O_NONBLOCK the read after the newest
 * fails with EAGAIN. EPIPE means records were overwritten while reading:
 * skip on. A regular file of such records (one per line) reads the same
 * way, for tests.
 */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KMSG_RECORD_MAX 8192
#define KMSG_RECORDS_MAX 100000  /* bound the loop on a huge or endless source */

bool kmsg_parse_record(const char *rec, size_t len, const char **msg,
		       size_t *msg_len, long long *ts_us)
{
	const char *semi = memchr(rec, ';', len), *nl, *p = rec;
	int field = 0;
	long long ts = -1;

	if (!semi)
		return false;
	while (p < semi) {
		char *e;
		long long v = strtoll(p, &e, 10);

		if (e == p && field < 3)
			return false;
		if (field == 2)
			ts = v;
		field++;
		p = memchr(p, ',', (size_t)(semi - p));
		if (!p)
			break;
		p++;
	}
	if (field < 3)
		return false;
	*msg = semi + 1;
	nl = memchr(*msg, '\n', len - (size_t)(*msg - rec));
	*msg_len = nl ? (size_t)(nl - *msg) : len - (size_t)(*msg - rec);
	*ts_us = ts;
	return true;
}

static void add_event(struct kmsg_events *out, const struct kevent *ev)
{
	out->count[ev->kind]++;
	if (out->n == KMSG_EVENTS_MAX) {
		memmove(&out->ev[0], &out->ev[1], sizeof(out->ev[0]) * (KMSG_EVENTS_MAX - 1));
		out->n--;
	}
	out->ev[out->n++] = *ev;
}

static void classify_record(const char *rec, size_t len, void *ctx)
{
	struct kmsg_events *out = ctx;
	const char *msg;
	size_t mlen;
	long long ts;
	struct kevent ev;

	out->lines++;
	if (!kmsg_parse_record(rec, len, &msg, &mlen, &ts))
		return;
	if (kevent_classify(msg, mlen, &ev)) {
		ev.ts_us = ts;
		add_event(out, &ev);
	}
}

bool kmsg_each(const char *path, kmsg_record_fn fn, void *ctx, char *reason, size_t size)
{
	char rec[KMSG_RECORD_MAX];
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(reason, size, "cannot open %s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		FILE *fp = fdopen(fd, "r");

		if (!fp) {
			close(fd);
			return true;
		}
		for (size_t i = 0; i < KMSG_RECORDS_MAX && fgets(rec, sizeof(rec), fp); i++)
			fn(rec, strlen(rec), ctx);
		fclose(fp);
		return true;
	}
	for (size_t i = 0; i < KMSG_RECORDS_MAX; i++) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0) {
			if (errno == EPIPE || errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				snprintf(reason, size, "cannot read %s: %s", path, strerror(errno));
				close(fd);
				return false;
			}
			break;
		}
		if (n == 0)
			break;
		rec[n] = '\0';
		fn(rec, (size_t)n, ctx);
	}
	close(fd);
	return true;
}

int kmsg_read(struct kmsg_events *out, const char *path, struct strbuf *err)
{
	(void)err;
	memset(out, 0, sizeof(*out));
	out->available = kmsg_each(path, classify_record, out, out->reason, sizeof(out->reason));
	return 0;
}
