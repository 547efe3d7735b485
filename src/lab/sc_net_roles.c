// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The misbehaving programs of the two-namespace scenarios (sc_net.h).
 * Each runs as a lab role: a forked child inside one scenario namespace
 * whose stdio is /dev/null, so failures go to lab_role_fail() and nothing
 * is printed. Every loop ends at a deadline (active_s) or after a count;
 * the role's alarm and the lab's SIGKILL bound the holding that follows.
 */
#include "sc_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lab.h"
#include "lab_sock.h"

/* The flood closes a SYN-SENT socket this many sockets later: at 2,000/s
 * that is ~130 ms, well before the first SYN retransmit (1 s), so each
 * socket sends exactly one SYN and the kernel sends nothing on close. */
#define FLOOD_RING 256
/* The flooder and the clients catch up in batches every few ms; a batch is
 * capped so a stalled clock cannot turn into one huge burst. */
#define PACE_MS 5
#define BATCH_MAX 256
/* One connect or one answer is a veth round trip; a second is a failure. */
#define STEP_MS 1000
/* Ready once the flood has sent this many SYNs, the clients seen this
 * many resets, the sender written this much. */
#define FLOOD_READY 100
#define RESETS_READY 5
#define BULK_READY (1u << 20)
#define BULK_CHUNK 65536
/* Bulk flows at most (net_role.count). */
#define BULK_FLOWS_MAX 16
/* fds beyond the connections: stdio, listener, the lab's pipe, slack. */
#define FD_SLACK 64
/* All of the fin-wait-2 connections must be up within this. */
#define CONNECT_ALL_MS 10000
/* One RTM_NEWADDR and its ack (MNL_SOCKET_BUFFER_SIZE is not a constant). */
#define NL_BUF 8192

/* The end of r's busy part: active_s from now. */
static uint64_t deadline(const struct net_role *r)
{
	return lab_now_ms() + (uint64_t)r->active_s * 1000u;
}

/* r's address as a destination (a bad one fails the role). */
static void dst_of(struct sockaddr_in *sa, const struct net_role *r)
{
	if (lab_addr(sa, r->addr, r->port))
		lab_role_fail("bad address '%s'", r->addr);
}

static int listener(const struct net_role *r)
{
	return lab_role_listen(r->addr, r->port, r->backlog);
}

/* Outcome of a started connect after at most ms: 0 connected, else errno
 * (ETIMEDOUT when it is still pending). */
static int connect_result(int fd, unsigned ms)
{
	int e = 0;
	socklen_t len = sizeof(e);
	int r = lab_poll_fd(fd, POLLOUT, ms);

	if (r < 0)
		return errno;
	if (r == 0)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len))
		return errno;
	return e;
}

/* Room for need descriptors: raise the soft RLIMIT_NOFILE, not the hard
 * one, and leave ample headroom so the scenario never looks like an fd
 * limit problem to the triage. */
static void fds_for(unsigned need)
{
	rlim_t want = (rlim_t)need * 4 + FD_SLACK;

	if (lab_nofile(want, true))
		lab_role_fail("cannot raise RLIMIT_NOFILE to %llu: %s", (unsigned long long)want,
			      strerror(errno));
}

int net_role_listen(void *arg)
{
	const struct net_role *r = arg;

	listener(r);
	lab_role_ready();
	lab_role_hold();
}

int net_role_fin_server(void *arg)
{
	const struct net_role *r = arg;
	uint64_t end = deadline(r);
	unsigned done = 0;
	int lfd, *fds;

	fds_for(r->count);
	fds = calloc(r->count ? r->count : 1, sizeof(*fds));
	if (!fds)
		lab_role_fail("out of memory");
	lfd = listener(r);
	lab_role_ready();
	while (done < r->count && lab_now_ms() < end) {
		int fd = lab_accept_wait(lfd, 100);

		if (fd < 0)
			continue;
		/* The FIN goes out and is ACKed; the fd stays open, so the
		 * socket is not an orphan and tcp_fin_timeout never ends it. */
		if (shutdown(fd, SHUT_WR))
			lab_role_fail("shutdown: %s", strerror(errno));
		fds[done++] = fd;
	}
	lab_role_hold();
}

int net_role_connect_hold(void *arg)
{
	const struct net_role *r = arg;
	struct sockaddr_in dst;
	struct pollfd *pf;
	uint64_t end;
	unsigned up = 0;

	fds_for(r->count);
	pf = calloc(r->count ? r->count : 1, sizeof(*pf));
	if (!pf)
		lab_role_fail("out of memory");
	dst_of(&dst, r);
	for (unsigned i = 0; i < r->count; i++) {
		pf[i].fd = lab_connect(NULL, &dst, true);
		if (pf[i].fd < 0)
			lab_role_fail("connect %s:%d (#%u): %s", r->addr, r->port, i + 1, strerror(errno));
		pf[i].events = POLLOUT;
	}
	end = lab_now_ms() + CONNECT_ALL_MS;
	while (up < r->count && lab_now_ms() < end) {
		int n = poll(pf, r->count, 100);

		if (n < 0 && errno != EINTR)
			lab_role_fail("poll: %s", strerror(errno));
		for (unsigned i = 0; n > 0 && i < r->count; i++) {
			int e = 0;
			socklen_t len = sizeof(e);

			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			if (getsockopt(pf[i].fd, SOL_SOCKET, SO_ERROR, &e, &len) || e)
				lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(e ? e : errno));
			/* Established: stop polling it (a negative fd is skipped). */
			pf[i].fd = -pf[i].fd - 1;
			up++;
		}
	}
	if (up < r->count)
		lab_role_fail("only %u of %u connections to %s:%d established in %u s", up,
			      r->count, r->addr, r->port, CONNECT_ALL_MS / 1000);
	lab_role_ready();
	lab_role_hold();
}

/* Add addr/plen to ifname in this namespace (RTM_NEWADDR); EEXIST is fine. */
static void addr_add(const char *ifname, struct in_addr addr, unsigned plen)
{
	char buf[NL_BUF];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned idx = if_nametoindex(ifname);
	int n;

	if (!idx)
		lab_role_fail("no interface '%s': %s", ifname, strerror(errno));
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID))
		lab_role_fail("rtnetlink: %s", strerror(errno));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		lab_role_fail("rtnetlink send: %s", strerror(errno));
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		lab_role_fail("rtnetlink recv: %s", strerror(errno));
	if (mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL, NULL) < 0 &&
	    errno != EEXIST)
		lab_role_fail("cannot add %s/%u to %s: %s", inet_ntoa(addr), plen, ifname,
			      strerror(errno));
	mnl_socket_close(nl);
}

int net_role_syn_flood(void *arg)
{
	const struct net_role *r = arg;
	struct sockaddr_in dst, src;
	struct in_addr base;
	int ring[FLOOD_RING];
	unsigned slot = 0, next_src = 0;
	uint64_t sent = 0, t0, end;

	if (!r->n_src || inet_pton(AF_INET, r->src_base, &base) != 1)
		lab_role_fail("bad flood sources '%s' x %u", r->src_base, r->n_src);
	for (unsigned i = 0; i < r->n_src; i++) {
		struct in_addr a = { htonl(ntohl(base.s_addr) + i) };

		addr_add(r->ifname, a, r->plen);
	}
	for (unsigned i = 0; i < FLOOD_RING; i++)
		ring[i] = -1;
	dst_of(&dst, r);
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	t0 = lab_now_ms();
	end = deadline(r);
	while (lab_now_ms() < end) {
		uint64_t due = (lab_now_ms() - t0) * r->rate / 1000u;
		unsigned batch = 0;

		while (sent < due && batch++ < BATCH_MAX) {
			int fd;

			src.sin_addr.s_addr = htonl(ntohl(base.s_addr) + next_src);
			next_src = (next_src + 1) % r->n_src;
			fd = lab_connect(&src, &dst, true);
			if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS))
				break;
			if (fd < 0)
				lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(errno));
			/* Closing in SYN-SENT sends nothing: the SYN is all the
			 * server ever hears from this socket. */
			if (ring[slot] >= 0)
				close(ring[slot]);
			ring[slot] = fd;
			slot = (slot + 1) % FLOOD_RING;
			if (++sent == FLOOD_READY)
				lab_role_ready();
		}
		lab_nap_ms(PACE_MS);
	}
	if (sent < FLOOD_READY)
		lab_role_fail("sent only %llu SYNs", (unsigned long long)sent);
	lab_role_hold();
}

int net_role_refused(void *arg)
{
	const struct net_role *r = arg;
	struct sockaddr_in dst;
	uint64_t end = deadline(r);
	bool ready = false;

	dst_of(&dst, r);
	while (lab_now_ms() < end) {
		int e, fd = lab_connect(NULL, &dst, true);

		e = fd < 0 ? errno : connect_result(fd, STEP_MS);
		if (fd >= 0)
			close(fd);
		if (e == ECONNREFUSED && !ready) {
			lab_role_ready();
			ready = true;
		} else if (!ready && e == 0) {
			lab_role_fail("connect %s:%d succeeded: something listens there",
				      r->addr, r->port);
		} else if (!ready && e != ETIMEDOUT) {
			lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(e));
		}
		lab_nap_ms(r->interval_ms);
	}
	if (!ready)
		lab_role_fail("connect %s:%d was never refused", r->addr, r->port);
	lab_role_hold();
}

int net_role_abort_server(void *arg)
{
	const struct net_role *r = arg;
	uint64_t end = deadline(r);
	struct linger lg = { 1, 0 };
	int lfd = listener(r);

	lab_role_ready();
	while (lab_now_ms() < end) {
		int fd = lab_accept_wait(lfd, 100);

		if (fd < 0)
			continue;
		/* Zero linger: close() aborts, a RST instead of a FIN. */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	lab_role_hold();
}

int net_role_reset_clients(void *arg)
{
	const struct net_role *r = arg;
	struct sockaddr_in dst;
	uint64_t t0 = lab_now_ms(), end = deadline(r), done = 0;
	unsigned resets = 0;

	dst_of(&dst, r);
	while (lab_now_ms() < end) {
		uint64_t due = (lab_now_ms() - t0) * r->rate / 1000u;
		unsigned batch = 0;

		while (done < due && batch++ < BATCH_MAX) {
			int e, fd = lab_connect(NULL, &dst, true);
			char c;

			done++;
			e = fd < 0 ? errno : connect_result(fd, STEP_MS);
			/* The RST can beat our poll for the connect: SO_ERROR
			 * then reports it, and it is a reset like any other. */
			if (e == ECONNRESET) {
				if (fd >= 0)
					close(fd);
				if (++resets == RESETS_READY)
					lab_role_ready();
				continue;
			}
			if (e) {
				if (fd >= 0)
					close(fd);
				if (!resets)
					lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(e));
				continue;
			}
			/* The server aborts right after accept(): wait for its RST. */
			if (lab_poll_fd(fd, POLLIN, STEP_MS) > 0 && read(fd, &c, 1) < 0 &&
			    errno == ECONNRESET && ++resets == RESETS_READY)
				lab_role_ready();
			close(fd);
		}
		lab_nap_ms(PACE_MS);
	}
	if (resets < RESETS_READY)
		lab_role_fail("only %u of %llu connections were reset", resets,
			      (unsigned long long)done);
	lab_role_hold();
}

/* Read what is there on fd; false once the peer closed or it failed. */
static bool sink_drain(int fd, char *buf, size_t size)
{
	for (;;) {
		ssize_t n = read(fd, buf, size);

		if (n > 0)
			continue;
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	}
}

int net_role_sink(void *arg)
{
	const struct net_role *r = arg;
	uint64_t end = deadline(r);
	static char buf[BULK_CHUNK];
	struct pollfd p[1 + BULK_FLOWS_MAX];
	unsigned n = 1;

	p[0].fd = listener(r);
	p[0].events = POLLIN;
	lab_role_ready();
	while (lab_now_ms() < end) {
		if (poll(p, n, 100) <= 0)
			continue;
		for (unsigned i = 1; i < n; i++)
			if (p[i].fd >= 0 && p[i].revents && !sink_drain(p[i].fd, buf, sizeof(buf)))
				p[i].fd = -1;  /* poll() skips it from now on */
		if ((p[0].revents & POLLIN) && n < 1 + BULK_FLOWS_MAX) {
			int fd = accept4(p[0].fd, NULL, NULL, SOCK_NONBLOCK);

			if (fd >= 0)
				p[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
	}
	lab_role_hold();
}

/* count (at least 1) nonblocking connections to r, established. */
static unsigned bulk_connect(const struct net_role *r, int *fds)
{
	unsigned k = r->count ? r->count : 1;
	struct sockaddr_in dst;

	if (k > BULK_FLOWS_MAX)
		k = BULK_FLOWS_MAX;
	dst_of(&dst, r);
	for (unsigned i = 0; i < k; i++) {
		int e;

		fds[i] = lab_connect(NULL, &dst, true);
		/* A dropped SYN is resent after 1 s: give the connect a few tries. */
		e = fds[i] < 0 ? errno : connect_result(fds[i], 5 * STEP_MS);
		if (e)
			lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(e));
	}
	return k;
}

/*
 * Several flows, not one: a single connection on a lossy path now and
 * then sits in RTO backoff for a second or more, and a triage that
 * samples then sees almost no segments at all.
 */
int net_role_bulk(void *arg)
{
	const struct net_role *r = arg;
	static char buf[BULK_CHUNK];
	int fds[BULK_FLOWS_MAX];
	struct pollfd p[BULK_FLOWS_MAX];
	uint64_t t0, end, sent = 0;
	unsigned k = bulk_connect(r, fds), next = 0;

	memset(buf, 'x', sizeof(buf));
	for (unsigned i = 0; i < k; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLOUT };
	t0 = lab_now_ms();
	end = deadline(r);
	while (lab_now_ms() < end) {
		uint64_t due = (lab_now_ms() - t0) * r->rate * 1024u / 1000u;
		unsigned i;
		ssize_t n = -1;

		if (sent >= due) {
			lab_nap_ms(PACE_MS);
			continue;
		}
		/* Round robin over the flows that take data now. */
		for (i = 0; i < k && n < 0; i++, next = (next + 1) % k) {
			n = write(fds[next], buf, sizeof(buf));
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				lab_role_fail("send to %s:%d: %s", r->addr, r->port, strerror(errno));
		}
		if (n < 0) {
			poll(p, k, 10);
			continue;
		}
		if (sent < BULK_READY && sent + (uint64_t)n >= BULK_READY)
			lab_role_ready();
		sent += (uint64_t)n;
	}
	if (sent < BULK_READY)
		lab_role_fail("sent only %llu bytes", (unsigned long long)sent);
	lab_role_hold();
}
