// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenarios for UNIX listeners: the nginx -> php-fpm socket whose pool
 * does not accept (kernel-facts.md "UNIX listener accept queue").
 * The listener's name is abstract, so it lives and dies with the lab's
 * namespace and leaves no file behind.
 */
#include "sc.h"
#include "lab_sock.h"
#include "lab_stage.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* "@sockvet-lab-fpm.sock" as ss prints it. */
#define UX_NAME "sockvet-lab-fpm.sock"
#define UX_BACKLOG 8
/* More clients than the queue holds (UX_BACKLOG + 1), so some get EAGAIN. */
#define UX_CLIENTS 20

struct ux_shared {
	volatile int made;        /* connect() that succeeded */
	volatile int eagain;      /* connect() that failed with EAGAIN: the queue was full */
	volatile int other_errno; /* any other failure */
};

static socklen_t ux_addr(struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* sun_path[0] stays NUL: an abstract name. */
	memcpy(sa->sun_path + 1, UX_NAME, sizeof(UX_NAME) - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + sizeof(UX_NAME) - 1);
}

/* listen(UX_BACKLOG) on the abstract name and never accept(). */
static int role_ux_never_accept(void *arg)
{
	struct sockaddr_un sa;
	socklen_t len = ux_addr(&sa);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	(void)arg;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) || listen(fd, UX_BACKLOG))
		lab_role_fail("unix listener @%s: %s", UX_NAME, strerror(errno));
	lab_role_ready();
	lab_role_hold();
}

/* UX_CLIENTS non-blocking connects, held open, as nginx makes them. */
static int role_ux_clients(void *arg)
{
	struct ux_shared *sh = arg;
	struct sockaddr_un sa;
	socklen_t len = ux_addr(&sa);

	for (int i = 0; i < UX_CLIENTS; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			lab_role_fail("socket: %s", strerror(errno));
		if (!connect(fd, (struct sockaddr *)&sa, len)) {
			sh->made++;
			continue;
		}
		if (errno == EAGAIN)
			sh->eagain++;
		else
			sh->other_errno = errno;
		close(fd);
	}
	lab_role_ready();
	lab_role_hold();
}

static int ux_refused(void *p, struct strbuf *err)
{
	const struct ux_shared *sh = p;

	if (sh->other_errno)
		return error_set(err, "connect() failed with %s", strerror(sh->other_errno));
	return sh->eagain > 0;
}

static void ux_tell(void *p, struct strbuf *out)
{
	const struct ux_shared *sh = p;

	strbuf_addf(out, "made %d, EAGAIN %d", sh->made, sh->eagain);
}

int sc_unix_accept_overflow(struct lab *l, struct strbuf *err)
{
	struct ux_shared *sh = lab_shared(l, sizeof(*sh), err);
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-fpm", role_ux_never_accept, sh },
			   { 0, "lab-nginx", role_ux_clients, sh } },
		.until = ux_refused, .tell = ux_tell, .ctx = sh,
		.what = "UNIX connect() failing with EAGAIN",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-fpm: listen(%d) on @%s, never calls accept()", UX_BACKLOG, UX_NAME);
	lab_log(l, "lab-nginx: %d non-blocking connects: %d queued, %d failed with EAGAIN",
		UX_CLIENTS, sh->made, sh->eagain);
	return 0;
}
