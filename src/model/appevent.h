/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_APPEVENT_H
#define SOCKVET_MODEL_APPEVENT_H

/*
 * Application and service log lines that carry a socket errno
 * ("accept4: too many open files", "connect() failed (111: Connection
 * refused)", "OSError: [Errno 99] Cannot assign requested address"),
 * reduced to the errno, the call that failed when the line says which,
 * the address when it has one, and the process when its prefix names
 * it. The classifier is pure (a message in, an event out); the sample
 * keeps them grouped and counted (SAMPLE_APPEVENTS_MAX groups), never
 * one per line.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum app_errno {
	APE_NONE,
	APE_EMFILE,             /* Too many open files: the process's RLIMIT_NOFILE */
	APE_ENFILE,             /* Too many open files in system: fs.file-max */
	APE_EADDRNOTAVAIL,      /* Cannot assign requested address */
	APE_EADDRINUSE,         /* Address already in use */
	APE_ECONNREFUSED,       /* Connection refused */
	APE_ECONNRESET,         /* Connection reset by peer */
	APE_ETIMEDOUT,          /* Connection timed out, i/o timeout */
	APE_MAX,
};

enum app_call {
	APC_NONE,               /* the line does not say */
	APC_ACCEPT,
	APC_CONNECT,
	APC_BIND,               /* bind() or listen() */
	APC_SOCKET,
	APC_OPEN,
	APC_READ,               /* read/recv */
	APC_WRITE,              /* write/send */
	APC_MAX,
};

#define APPEVENT_LINE_MAX 160   /* the first line of a group, cut */
#define APPEVENT_ADDR_MAX 56    /* "[2001:db8::1]:5432" */
#define APPEVENT_PROC_MAX 32    /* "nginx[812]" */

/* One group: the same errno from the same call in the same process. */
struct app_event {
	enum app_errno kind;
	enum app_call call;
	uint32_t count;         /* lines (one error may span a few: a wrapped exception) */
	char first_line[APPEVENT_LINE_MAX];
	char addr[APPEVENT_ADDR_MAX];  /* "" when no line had one */
	bool addr_local;        /* accept/bind: the address is ours, not a peer */
	bool addr_mixed;        /* lines of the group named other addresses too */
	char proc[APPEVENT_PROC_MAX];  /* "" when the prefix did not name it */
};

/*
 * Classify one message (the log prefix already off; proc is the caller's).
 * ev->first_line is filled from msg (printable bytes only); count is 1.
 */
bool appevent_classify(const char *msg, size_t len, struct app_event *ev);

/* Replace ev->first_line with len bytes at s (the whole log line, prefix
 * included), non-printable bytes as '?'. */
void appevent_set_line(struct app_event *ev, const char *s, size_t len);

/* Whether two events belong in one group (kind, call and process). */
bool appevent_same(const struct app_event *a, const struct app_event *b);

/* Fold e into g (same group): counts add, a differing address marks it mixed. */
void appevent_merge(struct app_event *g, const struct app_event *e);

extern const char *const appevent_names[APE_MAX];   /* "EMFILE" */
extern const char *const appevent_calls[APC_MAX];   /* "accept" */

#endif
