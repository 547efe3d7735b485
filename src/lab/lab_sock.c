// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void lab_nap_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct sockaddr_in lab_lo_addr(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int lab_lo_listen(int port, int backlog)
{
	struct sockaddr_in a = lab_lo_addr(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int lab_lo_connect(int port, bool nonblock)
{
	struct sockaddr_in a = lab_lo_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) && !(nonblock && errno == EINPROGRESS)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int lab_accept_wait(int l, unsigned ms)
{
	struct pollfd p = { .fd = l, .events = POLLIN };

	if (poll(&p, 1, (int)ms) <= 0) {
		errno = EAGAIN;
		return -1;
	}
	return accept4(l, NULL, NULL, SOCK_CLOEXEC);
}

void *lab_shared_new(size_t size, struct strbuf *err)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		error_set(err, "cannot map a shared page: %s", strerror(errno));
		return NULL;
	}
	return p;
}

void lab_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

void lab_focus_port(struct lab *l, unsigned ns, int port)
{
	l->triage_ns = ns;
	l->topts.port = port;
	snprintf(l->focus, sizeof(l->focus), "--port %d", port);
}
