/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_KEVENT_H
#define SOCKVET_MODEL_KEVENT_H

/*
 * Kernel log lines that matter for sockets, recognised in every wording
 * the kernel has used (kernel-facts.md "Kernel log strings"), so a rule asks "was there a SYN
 * flood warning for port 6000" instead of grepping text. The classifier
 * is pure (a string in, an event out): the live /dev/kmsg reader and the
 * dmesg importer share it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kevent_kind {
	KEV_NONE,
	KEV_SYN_FLOOD,          /* Possible SYN flooding on port ... */
	KEV_TCP_OOM,            /* out of memory -- consider tuning tcp_mem */
	KEV_ORPHANS,            /* too many orphaned sockets */
	KEV_CONNTRACK_FULL,     /* nf_conntrack: table full, dropping packet */
	KEV_TW_OVERFLOW,        /* time wait bucket table overflow (old kernels) */
	KEV_FILE_MAX,           /* VFS: file-max limit N reached */
	KEV_KIND_MAX,
};

enum kevent_action {
	KEV_ACT_NONE,
	KEV_ACT_DROPPING,       /* "Dropping request": syncookies off */
	KEV_ACT_COOKIES,        /* "Sending cookies" */
};

struct kevent {
	enum kevent_kind kind;
	enum kevent_action action;
	int64_t ts_us;          /* since boot; -1 when the line had none */
	uint16_t port;          /* SYN flood: the listener's port */
	bool has_addr;
	char addr[48];          /* SYN flood on >= 6.2: "0.0.0.0", "::" */
	bool ipv6;              /* request_sock_TCPv6 */
};

/* Classify one log message (without the kmsg/dmesg prefix). */
bool kevent_classify(const char *msg, size_t len, struct kevent *ev);

/*
 * Whether a SYN flood line can be about a listener bound to addr
 * (family AF_INET/AF_INET6): the line has no address (kernels before
 * 6.2 log the port alone) or logs this one. The port is the caller's.
 */
bool kevent_addr_match(const struct kevent *ev, uint8_t family, const uint8_t addr[16]);

extern const char *const kevent_names[KEV_KIND_MAX];

#endif
