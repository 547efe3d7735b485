// SPDX-License-Identifier: GPL-2.0-or-later
#include "tcpinfo.h"

#include <string.h>
#include <linux/tcp.h>

#include "sample.h"

#define TI_SIZE(f) sizeof(((struct tcp_info *)0)->tcpi_##f)
#define SC_SIZE(m) sizeof(((struct s_conn *)0)->m)

/* A whole member; K() also names the struct s_conn member keeping it. */
#define F(f, u) { #f, offsetof(struct tcp_info, tcpi_##f), TI_SIZE(f), 0, 0, \
		  TCPINFO_U_##u, 0, 0 }
#define K(f, u, m) { #f, offsetof(struct tcp_info, tcpi_##f), TI_SIZE(f), 0, 0, \
		     TCPINFO_U_##u, offsetof(struct s_conn, m), SC_SIZE(m) }

/*
 * The four bitfields share bytes 6 and 7, and offsetof cannot name a
 * bitfield. Their bit positions follow the ABI the kernel was built
 * with: GCC fills a byte from bit 0 on little-endian targets, from bit 7
 * on big-endian ones. test_tcpinfo checks them against the struct.
 */
#define WSCALE_BYTE 6
#define FLAGS_BYTE 7
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BITPOS(le, be, n) (le)
#else
#define BITPOS(le, be, n) (be)
#endif
#define B(name, byte, le, be, n, u) { name, byte, 1, BITPOS(le, be, n), n, \
				      TCPINFO_U_##u, 0, 0 }

_Static_assert(offsetof(struct tcp_info, tcpi_options) == WSCALE_BYTE - 1,
	       "the wscale bitfields follow tcpi_options");
_Static_assert(offsetof(struct tcp_info, tcpi_rto) == FLAGS_BYTE + 1,
	       "tcpi_rto follows the second bitfield byte");

static const struct tcpinfo_def defs[TCPINFO_FIELD_MAX] = {
	[TCPINFO_STATE] = F(state, NONE),
	[TCPINFO_CA_STATE] = F(ca_state, NONE),
	[TCPINFO_RETRANSMITS] = F(retransmits, NONE),
	[TCPINFO_PROBES] = K(probes, NONE, probes),
	[TCPINFO_BACKOFF] = K(backoff, NONE, backoff),
	[TCPINFO_OPTIONS] = F(options, FLAGS),
	[TCPINFO_SND_WSCALE] = B("snd_wscale", WSCALE_BYTE, 0, 4, 4, NONE),
	[TCPINFO_RCV_WSCALE] = B("rcv_wscale", WSCALE_BYTE, 4, 0, 4, NONE),
	[TCPINFO_DELIVERY_RATE_APP_LIMITED] = {
		"delivery_rate_app_limited", FLAGS_BYTE, 1, BITPOS(0, 7, 1), 1,
		TCPINFO_U_BOOL, offsetof(struct s_conn, app_limited),
		SC_SIZE(app_limited) },
	[TCPINFO_FASTOPEN_CLIENT_FAIL] = B("fastopen_client_fail", FLAGS_BYTE, 1, 5, 2, NONE),
	[TCPINFO_RTO] = F(rto, USEC),
	[TCPINFO_ATO] = F(ato, USEC),
	[TCPINFO_SND_MSS] = K(snd_mss, BYTES, snd_mss),
	[TCPINFO_RCV_MSS] = K(rcv_mss, BYTES, rcv_mss),
	[TCPINFO_UNACKED] = K(unacked, SEGMENTS, unacked),
	[TCPINFO_SACKED] = F(sacked, SEGMENTS),
	[TCPINFO_LOST] = K(lost, SEGMENTS, lost),
	[TCPINFO_RETRANS] = K(retrans, SEGMENTS, retrans),
	[TCPINFO_FACKETS] = F(fackets, SEGMENTS),
	[TCPINFO_LAST_DATA_SENT] = K(last_data_sent, MSEC, last_data_sent_ms),
	[TCPINFO_LAST_ACK_SENT] = F(last_ack_sent, MSEC),
	[TCPINFO_LAST_DATA_RECV] = K(last_data_recv, MSEC, last_data_recv_ms),
	[TCPINFO_LAST_ACK_RECV] = F(last_ack_recv, MSEC),
	[TCPINFO_PMTU] = F(pmtu, BYTES),
	[TCPINFO_RCV_SSTHRESH] = F(rcv_ssthresh, BYTES),
	[TCPINFO_RTT] = K(rtt, USEC, rtt_us),
	[TCPINFO_RTTVAR] = K(rttvar, USEC, rttvar_us),
	[TCPINFO_SND_SSTHRESH] = K(snd_ssthresh, SEGMENTS, snd_ssthresh),
	[TCPINFO_SND_CWND] = K(snd_cwnd, SEGMENTS, snd_cwnd),
	[TCPINFO_ADVMSS] = F(advmss, BYTES),
	[TCPINFO_REORDERING] = F(reordering, SEGMENTS),
	[TCPINFO_RCV_RTT] = F(rcv_rtt, USEC),
	[TCPINFO_RCV_SPACE] = K(rcv_space, BYTES, rcv_space),
	[TCPINFO_TOTAL_RETRANS] = K(total_retrans, SEGMENTS, total_retrans),
	[TCPINFO_PACING_RATE] = F(pacing_rate, BYTES_PER_SEC),
	[TCPINFO_MAX_PACING_RATE] = F(max_pacing_rate, BYTES_PER_SEC),
	[TCPINFO_BYTES_ACKED] = K(bytes_acked, BYTES, bytes_acked),
	[TCPINFO_BYTES_RECEIVED] = K(bytes_received, BYTES, bytes_received),
	[TCPINFO_SEGS_OUT] = F(segs_out, SEGMENTS),
	[TCPINFO_SEGS_IN] = F(segs_in, SEGMENTS),
	[TCPINFO_NOTSENT_BYTES] = K(notsent_bytes, BYTES, notsent_bytes),
	[TCPINFO_MIN_RTT] = K(min_rtt, USEC, min_rtt_us),
	[TCPINFO_DATA_SEGS_IN] = F(data_segs_in, SEGMENTS),
	[TCPINFO_DATA_SEGS_OUT] = F(data_segs_out, SEGMENTS),
	[TCPINFO_DELIVERY_RATE] = K(delivery_rate, BYTES_PER_SEC, delivery_rate),
	[TCPINFO_BUSY_TIME] = K(busy_time, USEC, busy_us),
	[TCPINFO_RWND_LIMITED] = K(rwnd_limited, USEC, rwnd_limited_us),
	[TCPINFO_SNDBUF_LIMITED] = K(sndbuf_limited, USEC, sndbuf_limited_us),
	[TCPINFO_DELIVERED] = F(delivered, SEGMENTS),
	[TCPINFO_DELIVERED_CE] = F(delivered_ce, SEGMENTS),
	[TCPINFO_BYTES_SENT] = K(bytes_sent, BYTES, bytes_sent),
	[TCPINFO_BYTES_RETRANS] = K(bytes_retrans, BYTES, bytes_retrans),
	[TCPINFO_DSACK_DUPS] = F(dsack_dups, SEGMENTS),
	[TCPINFO_REORD_SEEN] = F(reord_seen, NONE),
	[TCPINFO_RCV_OOOPACK] = F(rcv_ooopack, SEGMENTS),
	[TCPINFO_SND_WND] = K(snd_wnd, BYTES, snd_wnd),
};

const struct tcpinfo_def *tcpinfo_def(enum tcpinfo_field f)
{
	return (unsigned)f < TCPINFO_FIELD_MAX ? &defs[f] : NULL;
}

size_t tcpinfo_min_len(enum tcpinfo_field f)
{
	/* past the table: a length no reply reaches, so never present */
	return (unsigned)f < TCPINFO_FIELD_MAX ? (size_t)defs[f].off + defs[f].size
					       : (size_t)-1;
}

const char *tcpinfo_unit_name(enum tcpinfo_unit u)
{
	static const char *const names[] = {
		[TCPINFO_U_NONE] = "", [TCPINFO_U_FLAGS] = "bitmask",
		[TCPINFO_U_BOOL] = "0/1", [TCPINFO_U_USEC] = "µs",
		[TCPINFO_U_MSEC] = "ms", [TCPINFO_U_BYTES] = "bytes",
		[TCPINFO_U_BYTES_PER_SEC] = "bytes/s",
		[TCPINFO_U_SEGMENTS] = "segments",
	};

	return (unsigned)u < sizeof(names) / sizeof(names[0]) ? names[u] : "";
}

/* Host byte order, as the kernel wrote it; memcpy since ti may be unaligned. */
static uint64_t read_def(const uint8_t *p, const struct tcpinfo_def *d)
{
	uint32_t u32;
	uint64_t u64;

	switch (d->size) {
	case 1:
		if (!d->bits)
			return p[d->off];
		return (p[d->off] >> d->shift) & ((1u << d->bits) - 1);
	case 4:
		memcpy(&u32, p + d->off, 4);
		return u32;
	default:
		memcpy(&u64, p + d->off, 8);
		return u64;
	}
}

bool tcpinfo_get(const void *ti, size_t len, enum tcpinfo_field f, uint64_t *v)
{
	*v = 0;
	if (!ti || !tcpinfo_present(len, f))
		return false;
	*v = read_def(ti, &defs[f]);
	return true;
}

/*
 * Once per row of ss -i: rows are in struct order, so the fields the
 * reply holds are a prefix; fill it, then clear the rest, without a
 * per-field call or a clear of what is about to be written.
 */
void tcpinfo_load(struct tcpinfo_vals *out, const void *ti, size_t len)
{
	unsigned n = 0;

	if (ti)
		for (; n < TCPINFO_FIELD_MAX && (size_t)defs[n].off + defs[n].size <= len; n++)
			out->v[n] = read_def(ti, &defs[n]);
	memset(out->present, 1, n);
	memset(out->present + n, 0, TCPINFO_FIELD_MAX - n);
	memset(out->v + n, 0, (TCPINFO_FIELD_MAX - n) * sizeof(out->v[0]));
}

bool tcpinfo_conn_fill(struct s_conn *c, const void *ti, size_t len)
{
	uint8_t *base = (uint8_t *)c;

	if (!ti || !len)
		return false;
	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
		const struct tcpinfo_def *d = &defs[f];
		uint64_t v;
		uint32_t u32;
		uint8_t u8;

		if (!d->conn_size)
			continue;
		tcpinfo_get(ti, len, f, &v);
		/* a member is at least as wide as the field it keeps (test_tcpinfo) */
		switch (d->conn_size) {
		case 1:
			u8 = (uint8_t)v;
			memcpy(base + d->conn_off, &u8, 1);
			break;
		case 4:
			u32 = (uint32_t)v;
			memcpy(base + d->conn_off, &u32, 4);
			break;
		default:
			memcpy(base + d->conn_off, &v, 8);
			break;
		}
	}
	return true;
}

void tcpinfo_conn_load(struct tcpinfo_vals *out, const struct s_conn *c)
{
	const uint8_t *base = (const uint8_t *)c;

	memset(out, 0, sizeof(*out));
	if (!c->has_info)
		return;
	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
		const struct tcpinfo_def *d = &defs[f];
		uint32_t u32;

		if (!d->conn_size || (f == TCPINFO_SND_WND && !c->has_snd_wnd))
			continue;
		switch (d->conn_size) {
		case 1:
			out->v[f] = base[d->conn_off];
			break;
		case 4:
			memcpy(&u32, base + d->conn_off, 4);
			out->v[f] = u32;
			break;
		default:
			memcpy(&out->v[f], base + d->conn_off, 8);
			break;
		}
		out->present[f] = true;
	}
}
