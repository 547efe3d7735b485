// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-connection scenarios: what limits one connection, as its
 * tcp_info tells the sender. Triage is asked about the receiver with
 * --peer, so it keeps the sender's socket whole in every sample and
 * judges it on the deltas of busy / rwnd_limited / sndbuf_limited time
 * (kernel-facts.md "tcp_info fields", the measured signatures: a receiver that stops reading
 * gives rwnd_limited ~100% with zero-window probes; a sender writing 1 KiB
 * every 50 ms gives app_limited with a tiny busy time).
 *
 * Both ends live on one namespace's loopback: the limits are the
 * sockets' own, no path is needed. Ports 8090-8091.
 */
#include "sc.h"
#include "lab_sock.h"
#include "lab_stage.h"

#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RNR_PORT 8090
#define APP_PORT 8091
#define CHUNK 65536
/* The app-limited sender: 1 KiB every 50 ms (kernel-facts.md "tcp_info fields"). */
#define APP_CHUNK 1024
#define APP_PAUSE_MS 50
/* Enough small writes that the connection has delivery-rate samples. */
#define APP_WRITES_READY 10

struct ti_shared {
	volatile int accepted;        /* the receiver has its connection */
	volatile unsigned writes;     /* sender: writes done */
	volatile unsigned long long sent;
	volatile unsigned snd_wnd;    /* sender's tcpi_snd_wnd, last look */
	volatile unsigned notsent;    /* sender's tcpi_notsent_bytes */
	volatile unsigned rwnd_ms;    /* sender's tcpi_rwnd_limited, ms */
	volatile int app_limited;     /* sender's tcpi_delivery_rate_app_limited */
	volatile int stop_errno;
};

struct ti_role {
	int port;
	bool read;                    /* the receiver reads (app-limited) or not */
	struct ti_shared *sh;
};

static void peek(int fd, struct ti_shared *sh)
{
	struct tcp_info ti;

	if (lab_tcp_info(fd, &ti))
		return;
	sh->snd_wnd = ti.tcpi_snd_wnd;
	sh->notsent = ti.tcpi_notsent_bytes;
	sh->rwnd_ms = (unsigned)(ti.tcpi_rwnd_limited / 1000);
	sh->app_limited = ti.tcpi_delivery_rate_app_limited;
}

/* Accept one connection; read it (discarding) or never touch it. */
static int role_receiver(void *arg)
{
	const struct ti_role *r = arg;
	static char buf[CHUNK];
	int l = lab_role_listen(LAB_LO, r->port, 16), c = -1;

	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS && c < 0; i++)
		c = lab_accept_wait(l, LAB_TICK_MS);
	if (c < 0)
		lab_role_hold();
	r->sh->accepted = 1;
	for (unsigned i = 0; r->read && i < LAB_ROLE_TICKS; i++) {
		ssize_t n = read(c, buf, sizeof(buf));

		if (n <= 0)
			break;
	}
	lab_role_hold();
}

/* Fill the connection as fast as it takes data; keep trying once full. */
static int role_bulk_sender(void *arg)
{
	const struct ti_role *r = arg;
	static char buf[CHUNK];
	int fd = lab_lo_connect(r->port, false);

	if (fd < 0)
		lab_role_fail("connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
	lab_role_ready();
	memset(buf, 'x', sizeof(buf));
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		ssize_t n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			r->sh->sent += (unsigned long long)n;
			r->sh->writes++;
		} else if (errno != EAGAIN && errno != EWOULDBLOCK) {
			r->sh->stop_errno = errno;
			break;
		} else {
			lab_nap_ms(LAB_TICK_MS);
		}
		peek(fd, r->sh);
	}
	lab_role_hold();
}

/* A sender with little to say: APP_CHUNK bytes, then a pause. */
static int role_trickle_sender(void *arg)
{
	const struct ti_role *r = arg;
	char buf[APP_CHUNK];
	int fd = lab_lo_connect(r->port, false);

	if (fd < 0)
		lab_role_fail("connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
	lab_role_ready();
	memset(buf, 'x', sizeof(buf));
	for (unsigned i = 0; i < LAB_ROLE_TICKS / (APP_PAUSE_MS / LAB_TICK_MS); i++) {
		if (send(fd, buf, sizeof(buf), MSG_NOSIGNAL) != (ssize_t)sizeof(buf)) {
			r->sh->stop_errno = errno;
			break;
		}
		r->sh->sent += sizeof(buf);
		r->sh->writes++;
		peek(fd, r->sh);
		lab_nap_ms(APP_PAUSE_MS);
	}
	lab_role_hold();
}

/* What the sender last reported, when a stage waited in vain. */
static void ti_tell(void *p, struct strbuf *out)
{
	const struct ti_shared *sh = p;

	strbuf_addf(out, "accepted %d, writes %u, sent %llu, snd_wnd %u, notsent %u, errno %d",
		    sh->accepted, sh->writes, sh->sent, sh->snd_wnd, sh->notsent, sh->stop_errno);
}

/* The window is shut and the sender has data queued behind it. */
static int window_closed(void *p, struct strbuf *err)
{
	const struct ti_shared *sh = p;

	(void)err;
	return sh->accepted && sh->snd_wnd == 0 && sh->notsent > 0 && sh->rwnd_ms > 0;
}

int sc_receiver_not_reading(struct lab *l, struct strbuf *err)
{
	struct ti_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct ti_role rcv = { RNR_PORT, false, sh }, snd = { RNR_PORT, false, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-receiver", role_receiver, &rcv },
			   { 0, "lab-sender", role_bulk_sender, &snd } },
		.until = window_closed, .tell = ti_tell, .ctx = sh,
		.what = "the receiver's window closed with data waiting",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-receiver: accepted 127.0.0.1:%d, never reads", RNR_PORT);
	lab_log(l, "lab-sender: %llu bytes written, then blocked: snd_wnd %u, notsent %u, "
		"rwnd_limited %u ms", sh->sent, sh->snd_wnd, sh->notsent, sh->rwnd_ms);
	lab_focus_peer(l, RNR_PORT, SYMPTOM_NONE);
	return 0;
}

static int trickling(void *p, struct strbuf *err)
{
	const struct ti_shared *sh = p;

	(void)err;
	return sh->accepted && sh->writes >= APP_WRITES_READY;
}

int sc_app_limited_sender(struct lab *l, struct strbuf *err)
{
	struct ti_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct ti_role rcv = { APP_PORT, true, sh }, snd = { APP_PORT, false, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-receiver", role_receiver, &rcv },
			   { 0, "lab-sender", role_trickle_sender, &snd } },
		.until = trickling, .tell = ti_tell, .ctx = sh,
		.what = "the sender's first small writes",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-receiver: accepted 127.0.0.1:%d, reads everything at once", APP_PORT);
	lab_log(l, "lab-sender: %u writes of %d bytes, %d ms apart (app_limited %d)", sh->writes,
		APP_CHUNK, APP_PAUSE_MS, sh->app_limited);
	/* The user's complaint is "slow": that is the question app-limited answers. */
	lab_focus_peer(l, APP_PORT, SYMPTOM_SLOW);
	return 0;
}
