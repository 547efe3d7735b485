/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_KMSG_H
#define SOCKVET_COLLECT_KMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/kevent.h"
#include "../util/strbuf.h"

#define KMSG_EVENTS_MAX 64

/* The socket-relevant kernel log events of one read of the ring buffer. */
struct kmsg_events {
	bool available;          /* false: could not read; why in reason */
	char reason[128];
	size_t lines;            /* records read */
	size_t count[KEV_KIND_MAX];
	size_t n;                /* kept in ev[]: the newest KMSG_EVENTS_MAX */
	struct kevent ev[KMSG_EVENTS_MAX];
};

/*
 * Read every record now in the kernel ring buffer (path: /dev/kmsg, or a
 * file of kmsg records for tests) without blocking, and classify them.
 * An unreadable log (not root, dmesg_restrict, a container) is not an
 * error: available=false with the reason. Returns 0.
 */
int kmsg_read(struct kmsg_events *out, const char *path, struct strbuf *err);

/*
 * The reading loop under kmsg_read: every record now in the buffer (at
 * most 100,000), without blocking, each given to fn as read (NUL-ended).
 * false with why in reason when the log cannot be opened or read.
 */
typedef void (*kmsg_record_fn)(const char *rec, size_t len, void *ctx);
bool kmsg_each(const char *path, kmsg_record_fn fn, void *ctx, char *reason, size_t size);

/*
 * Parse one /dev/kmsg record "PRI,SEQ,TS_US,FLAGS[,...];MESSAGE\n[ KEY=VAL\n...]"
 * into its message and timestamp; false when it is not such a record.
 */
bool kmsg_parse_record(const char *rec, size_t len, const char **msg,
		       size_t *msg_len, long long *ts_us);

#endif
