/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nldump: the sock_diag floor for the benchmarks.
 *
 * One NETLINK_SOCK_DIAG inet_diag dump of TCP sockets per address family
 * (AF_INET, then AF_INET6, the order ss uses), all states. Each socket is
 * counted and otherwise discarded, so the time this program takes is the
 * kernel's cost of building the messages plus the bare minimum of user
 * work to receive them. Anything that lists sockets from sock_diag cannot
 * be faster than this.
 *
 *   nldump [-4|-6] [-i] [-v]
 *
 *   -4, -6  dump only that family
 *   -i      also ask for INET_DIAG_INFO, VEGASINFO and CONG, the set that
 *           `ss -i` requests, so the kernel fills struct tcp_info
 *   -v      print a count per TCP state as well
 *
 * Output (stdout): "sockets N" and, with -v, one "STATE N" line per state
 * seen. Errors go to stderr and exit 1.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* The kernel fills at most about 32 KiB per recvmsg; 1 MiB is plenty. */
#define RECV_BUF_SIZE (1u << 20)
#define SOCK_RCVBUF (8 << 20)
#define N_STATES 16

/* TCP states 1..11 plus NEW_SYN_RECV; bit 0 is unused. */
#define ALL_STATES 0x1ffeu

static const char *const state_names[N_STATES] = {
	[1] = "ESTABLISHED", [2] = "SYN-SENT",   [3] = "SYN-RECV",
	[4] = "FIN-WAIT-1",  [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
	[7] = "CLOSE",       [8] = "CLOSE-WAIT", [9] = "LAST-ACK",
	[10] = "LISTEN",     [11] = "CLOSING",   [12] = "NEW-SYN-RECV",
};

struct counts {
	unsigned long total;
	unsigned long by_state[N_STATES];
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counts *c = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return MNL_CB_ERROR;
	c->total++;
	c->by_state[m->idiag_state % N_STATES]++;
	return MNL_CB_OK;
}

static int dump_family(struct mnl_socket *nl, char *buf, uint8_t family,
		       uint8_t ext, struct counts *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	unsigned int seq = (unsigned int)family;
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ALL_STATES;
	req->idiag_ext = ext;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		fprintf(stderr, "nldump: send: %s\n", strerror(errno));
		return -1;
	}
	/* Ends at NLMSG_DONE (MNL_CB_STOP); every recv is one more chunk. */
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, RECV_BUF_SIZE);
		if (n < 0) {
			fprintf(stderr, "nldump: recv: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "nldump: recv: unexpected end of stream\n");
			return -1;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, data_cb, c);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0) {
			/* ENOENT: the kernel has no tcp_diag for this family. */
			if (errno == ENOENT)
				return 0;
			fprintf(stderr, "nldump: dump of family %u: %s\n",
				family, strerror(errno));
			return -1;
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nldump [-4|-6] [-i] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	struct mnl_socket *nl;
	struct counts c;
	uint8_t ext = 0;
	int want4 = 1, want6 = 1, verbose = 0, opt, rcvbuf = SOCK_RCVBUF;
	char *buf;
	size_t i;

	while ((opt = getopt(argc, argv, "46iv")) != -1) {
		switch (opt) {
		case '4': want6 = 0; break;
		case '6': want4 = 0; break;
		case 'i':
			ext = (uint8_t)(1u << (INET_DIAG_INFO - 1) |
					1u << (INET_DIAG_VEGASINFO - 1) |
					1u << (INET_DIAG_CONG - 1));
			break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (optind != argc || (!want4 && !want6))
		usage();

	buf = malloc(RECV_BUF_SIZE);
	if (!buf) {
		fprintf(stderr, "nldump: out of memory\n");
		return 1;
	}
	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "nldump: netlink socket: %s\n", strerror(errno));
		return 1;
	}
	/* A large receive queue, forced if we may; failure is harmless. */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF,
				 &rcvbuf, sizeof(rcvbuf));

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(families); i++) {
		if ((families[i] == AF_INET && !want4) ||
		    (families[i] == AF_INET6 && !want6))
			continue;
		if (dump_family(nl, buf, families[i], ext, &c) < 0)
			return 1;
	}
	mnl_socket_close(nl);
	free(buf);

	printf("sockets %lu\n", c.total);
	if (verbose)
		for (i = 0; i < N_STATES; i++)
			if (c.by_state[i])
				printf("%s %lu\n",
				       state_names[i] ? state_names[i] : "?",
				       c.by_state[i]);
	return 0;
}
