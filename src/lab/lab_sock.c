// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void lab_nap_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

uint64_t lab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int lab_addr(struct sockaddr_in *sa, const char *addr, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Close fd keeping the errno that made us give it up; -1. */
static int close_keep_errno(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

int lab_connect(const struct sockaddr_in *src, const struct sockaddr_in *dst, bool nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0)
		return -1;
	if (src && bind(fd, (const struct sockaddr *)src, sizeof(*src)))
		return close_keep_errno(fd);
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) && !(nonblock && errno == EINPROGRESS))
		return close_keep_errno(fd);
	return fd;
}

int lab_lo_connect(int port, bool nonblock)
{
	struct sockaddr_in a;

	lab_addr(&a, LAB_LO, port);
	return lab_connect(NULL, &a, nonblock);
}

int lab_poll_fd(int fd, short events, unsigned ms)
{
	struct pollfd pf = { .fd = fd, .events = events };
	int r;

	while ((r = poll(&pf, 1, (int)ms)) < 0 && errno == EINTR)
		;
	return r;
}

int lab_accept_wait(int l, unsigned ms)
{
	int r = lab_poll_fd(l, POLLIN, ms);

	if (r <= 0) {
		if (r == 0)
			errno = EAGAIN;
		return -1;
	}
	return accept4(l, NULL, NULL, SOCK_CLOEXEC);
}

int lab_tcp_info(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

int lab_nofile(rlim_t soft, bool raise_only)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (raise_only && rl.rlim_cur >= soft)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < soft) {
		errno = EPERM;
		return -1;
	}
	rl.rlim_cur = soft;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

int lab_role_listen(const char *addr, int port, int backlog)
{
	struct sockaddr_in a;
	int one = 1, fd;

	if (lab_addr(&a, addr, port))
		lab_role_fail("bad address '%s'", addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		lab_role_fail("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		lab_role_fail("bind %s:%d: %s", addr, port, strerror(errno));
	if (listen(fd, backlog))
		lab_role_fail("listen %s:%d: %s", addr, port, strerror(errno));
	return fd;
}
