// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenarios for UNIX listeners and UDP receivers: the nginx -> php-fpm
 * socket whose pool does not accept
 * (kernel-facts.md "UNIX listener accept queue"),
 * and a UDP receiver that reads slower than a sender floods it
 * (kernel-facts.md "UDP receive buffer drops").
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
#include <linux/sock_diag.h>
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

/* --- UDP: a slow reader under a flood ------------------------------------ */

#define UDP_PORT 5360
/* The reader takes one datagram per tick (100/s); the sender sends
 * UDP_BURST per tick (20,000/s): the default 208 KiB buffer fills in
 * well under a second and stays full. */
#define UDP_BURST 200
#define UDP_DGRAM 512

struct udp_shared {
	volatile unsigned drops;   /* the reader's SO_MEMINFO drops (ss skmem d) */
	volatile unsigned read;
	volatile unsigned sent;
};

static int role_udp_slow_reader(void *arg)
{
	struct udp_shared *sh = arg;
	struct sockaddr_in sa;
	char buf[UDP_DGRAM];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || lab_addr(&sa, LAB_LO, UDP_PORT) || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		lab_role_fail("udp bind %s:%d: %s", LAB_LO, UDP_PORT, strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		uint32_t mem[SK_MEMINFO_VARS];
		socklen_t mlen = sizeof(mem);

		if (recv(fd, buf, sizeof(buf), 0) > 0)
			sh->read++;
		if (!getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &mlen))
			sh->drops = mem[SK_MEMINFO_DROPS];
		lab_nap_ms(LAB_TICK_MS);
	}
	lab_role_hold();
}

static int role_udp_flood(void *arg)
{
	struct udp_shared *sh = arg;
	struct sockaddr_in sa;
	char buf[UDP_DGRAM] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || lab_addr(&sa, LAB_LO, UDP_PORT))
		lab_role_fail("udp socket: %s", strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		for (int k = 0; k < UDP_BURST; k++)
			if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sa, sizeof(sa)) > 0)
				sh->sent++;
		lab_nap_ms(LAB_TICK_MS);
	}
	lab_role_hold();
}

static int udp_dropping(void *p, struct strbuf *err)
{
	const struct udp_shared *sh = p;

	(void)err;
	return sh->drops > 0;
}

static void udp_tell(void *p, struct strbuf *out)
{
	const struct udp_shared *sh = p;

	strbuf_addf(out, "sent %u, read %u, d%u", sh->sent, sh->read, sh->drops);
}

int sc_udp_slow_reader(struct lab *l, struct strbuf *err)
{
	struct udp_shared *sh = lab_shared(l, sizeof(*sh), err);
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-udp-reader", role_udp_slow_reader, sh },
			   { 0, "lab-udp-sender", role_udp_flood, sh } },
		.until = udp_dropping, .tell = udp_tell, .ctx = sh,
		.what = "UDP receive buffer dropping",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-udp-reader: bound %s:%d with the default buffer, reads 100 datagrams/s",
		LAB_LO, UDP_PORT);
	lab_log(l, "lab-udp-sender: %d x %d-byte datagrams every %d ms; so far sent %u, read %u, skmem d%u",
		UDP_BURST, UDP_DGRAM, LAB_TICK_MS, sh->sent, sh->read, sh->drops);
	return 0;
}
