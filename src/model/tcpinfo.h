/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_TCPINFO_H
#define SOCKVET_MODEL_TCPINFO_H

/*
 * struct tcp_info, one row per member: the only place that knows where a
 * field sits in the kernel's reply, how wide it is, what unit it counts
 * in, and where a kept connection (struct s_conn) stores it. Every
 * reader (the sample builder, ss -i, ss --json, the triage report) goes
 * through tcpinfo_get() or tcpinfo_load(), never through struct
 * tcp_info's members.
 *
 * The kernel's struct only ever grows at the end, and each kernel sends
 * the length it has: a field is present when offset + size <= that
 * length. An older kernel's shorter reply thus lacks the newer fields,
 * and "absent" stays distinct from "zero" for whoever asks.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In struct order; the JSON documents write them in this order. */
enum tcpinfo_field {
	TCPINFO_STATE,
	TCPINFO_CA_STATE,
	TCPINFO_RETRANSMITS,
	TCPINFO_PROBES,
	TCPINFO_BACKOFF,
	TCPINFO_OPTIONS,
	TCPINFO_SND_WSCALE,
	TCPINFO_RCV_WSCALE,
	TCPINFO_DELIVERY_RATE_APP_LIMITED,
	TCPINFO_FASTOPEN_CLIENT_FAIL,
	TCPINFO_RTO,
	TCPINFO_ATO,
	TCPINFO_SND_MSS,
	TCPINFO_RCV_MSS,
	TCPINFO_UNACKED,
	TCPINFO_SACKED,
	TCPINFO_LOST,
	TCPINFO_RETRANS,
	TCPINFO_FACKETS,
	TCPINFO_LAST_DATA_SENT,
	TCPINFO_LAST_ACK_SENT,
	TCPINFO_LAST_DATA_RECV,
	TCPINFO_LAST_ACK_RECV,
	TCPINFO_PMTU,
	TCPINFO_RCV_SSTHRESH,
	TCPINFO_RTT,
	TCPINFO_RTTVAR,
	TCPINFO_SND_SSTHRESH,
	TCPINFO_SND_CWND,
	TCPINFO_ADVMSS,
	TCPINFO_REORDERING,
	TCPINFO_RCV_RTT,
	TCPINFO_RCV_SPACE,
	TCPINFO_TOTAL_RETRANS,
	TCPINFO_PACING_RATE,
	TCPINFO_MAX_PACING_RATE,
	TCPINFO_BYTES_ACKED,
	TCPINFO_BYTES_RECEIVED,
	TCPINFO_SEGS_OUT,
	TCPINFO_SEGS_IN,
	TCPINFO_NOTSENT_BYTES,
	TCPINFO_MIN_RTT,
	TCPINFO_DATA_SEGS_IN,
	TCPINFO_DATA_SEGS_OUT,
	TCPINFO_DELIVERY_RATE,
	TCPINFO_BUSY_TIME,
	TCPINFO_RWND_LIMITED,
	TCPINFO_SNDBUF_LIMITED,
	TCPINFO_DELIVERED,
	TCPINFO_DELIVERED_CE,
	TCPINFO_BYTES_SENT,
	TCPINFO_BYTES_RETRANS,
	TCPINFO_DSACK_DUPS,
	TCPINFO_REORD_SEEN,
	TCPINFO_RCV_OOOPACK,
	TCPINFO_SND_WND,
	TCPINFO_FIELD_MAX,
};

/* The unit a field counts in, as the kernel counts it (docs/json-keys.md). */
enum tcpinfo_unit {
	TCPINFO_U_NONE,          /* a state, a count of events, a shift */
	TCPINFO_U_FLAGS,         /* a bitmask */
	TCPINFO_U_BOOL,          /* 0 or 1 */
	TCPINFO_U_USEC,
	TCPINFO_U_MSEC,
	TCPINFO_U_BYTES,
	TCPINFO_U_BYTES_PER_SEC,
	TCPINFO_U_SEGMENTS,
};

struct tcpinfo_def {
	const char *name;        /* the kernel's name without "tcpi_" */
	uint16_t off;            /* byte offset in the kernel's reply */
	uint8_t size;            /* 1, 4 or 8 bytes */
	uint8_t shift, bits;     /* bitfields: bits within the byte; 0 bits: whole */
	uint8_t unit;            /* enum tcpinfo_unit */
	uint16_t conn_off;       /* where struct s_conn keeps it ... */
	uint8_t conn_size;       /* ... and how wide; 0: not kept */
};

/* Every field's values from one reply; absent fields read 0. */
struct tcpinfo_vals {
	uint64_t v[TCPINFO_FIELD_MAX];
	bool present[TCPINFO_FIELD_MAX];
};

struct s_conn;

const struct tcpinfo_def *tcpinfo_def(enum tcpinfo_field f);
/* The bytes a reply needs for f to be in it. */
size_t tcpinfo_min_len(enum tcpinfo_field f);
static inline bool tcpinfo_present(size_t len, enum tcpinfo_field f)
{
	return tcpinfo_min_len(f) <= len;
}
/* "µs", "bytes/s", ...: the words docs/json-keys.md uses ("" for none). */
const char *tcpinfo_unit_name(enum tcpinfo_unit u);

/*
 * One field of a reply of len bytes (ti may be unaligned). False, and
 * *v = 0, when the reply is too short to hold it.
 */
bool tcpinfo_get(const void *ti, size_t len, enum tcpinfo_field f, uint64_t *v);
/* Every field of a reply at once (ss -i reads most of them). */
void tcpinfo_load(struct tcpinfo_vals *out, const void *ti, size_t len);

/*
 * The fields a kept connection stores, from the reply (those the reply
 * lacks read 0); false when there is no reply. The rest of *c is
 * untouched.
 */
bool tcpinfo_conn_fill(struct s_conn *c, const void *ti, size_t len);
/*
 * What a kept connection stores, as from a reply: present are the
 * fields struct s_conn keeps, when it has tcp_info at all (snd_wnd only
 * when the reply was long enough for it).
 */
void tcpinfo_conn_load(struct tcpinfo_vals *out, const struct s_conn *c);

#endif
