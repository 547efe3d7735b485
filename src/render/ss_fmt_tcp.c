// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -m and -i text of ss 6.1 (print_skmeminfo, tcp_show_info,
 * tcp_stats_print, mptcp_stats_print): tokens, order and conditions as
 * 6.1 prints them, which has snd_wnd and rcv_ooopack but none of the
 * later rcv_wnd, rehash or usec_ts.
 */
#include "ss_fmt.h"

#include <math.h>
#include <stdio.h>
#include <linux/mptcp.h>

/*
 * "%g" of usec / 1000. Below 1000 ms the value has at most six
 * significant digits, so the exact decimal is what %g prints; larger
 * values need %g's rounding.
 */
size_t ss_fmt_usec_ms(char *buf, uint32_t usec)
{
	uint32_t frac = usec % 1000, ms = usec / 1000;
	unsigned n;
	char *o = buf;

	if (usec >= 1000000)
		return ss_fmt_g(buf, (double)usec / 1000, 6);
	n = ss_u64_digits(ms);
	ss_u64_at(o, ms, n);
	o += n;
	if (frac) {
		*o++ = '.';
		*o++ = (char)('0' + frac / 100);
		if (frac % 100) {
			*o++ = (char)('0' + frac / 10 % 10);
			if (frac % 10)
				*o++ = (char)('0' + frac % 10);
		}
	}
	*o = '\0';
	return (size_t)(o - buf);
}

static size_t bw_unit(char *buf, double v, char unit)
{
	size_t n = ss_fmt_g(buf, v, 3);

	buf[n] = unit;
	buf[n + 1] = '\0';
	return n + 1;
}

/* Rates: "%.3g" with k/M/G/T (powers of 1000); -n prints "%.0f". */
size_t ss_fmt_bw(char *buf, double bw, bool numeric)
{
	if (numeric) {
		double r = nearbyint(bw);  /* %.0f rounds to even, so does this */
		unsigned n;

		if (!(r >= 0 && r < 9.2e18))
			return (size_t)snprintf(buf, 64, "%.0f", bw);
		n = ss_u64_digits((uint64_t)r);
		ss_u64_at(buf, (uint64_t)r, n);
		buf[n] = '\0';
		return n;
	}
	if (bw >= 1e12)
		return bw_unit(buf, bw / 1e12, 'T');
	if (bw >= 1e9)
		return bw_unit(buf, bw / 1e9, 'G');
	if (bw >= 1e6)
		return bw_unit(buf, bw / 1e6, 'M');
	if (bw >= 1e3)
		return bw_unit(buf, bw / 1e3, 'k');
	return ss_fmt_g(buf, bw, 6);
}

static void put_skmem(struct ss_field *f, const struct sock_rec *s,
		      bool meminfo)
{
	unsigned n = s->skmem_n ? s->skmem_n : SK_MEMINFO_VARS;

	if (!s->has_skmem) {
		if (meminfo && s->has_meminfo) {
			ss_put_kv(f, " mem:(r", s->meminfo.idiag_rmem);
			ss_put_kv(f, ",w", s->meminfo.idiag_wmem);
			ss_put_kv(f, ",f", s->meminfo.idiag_fmem);
			ss_put_kv(f, ",t", s->meminfo.idiag_tmem);
			ss_put(f, ")", 1);
		}
		return;
	}
	ss_put_kv(f, " skmem:(r", s->skmem[SK_MEMINFO_RMEM_ALLOC]);
	ss_put_kv(f, ",rb", s->skmem[SK_MEMINFO_RCVBUF]);
	ss_put_kv(f, ",t", s->skmem[SK_MEMINFO_WMEM_ALLOC]);
	ss_put_kv(f, ",tb", s->skmem[SK_MEMINFO_SNDBUF]);
	ss_put_kv(f, ",f", s->skmem[SK_MEMINFO_FWD_ALLOC]);
	ss_put_kv(f, ",w", s->skmem[SK_MEMINFO_WMEM_QUEUED]);
	ss_put_kv(f, ",o", s->skmem[SK_MEMINFO_OPTMEM]);
	if (n > SK_MEMINFO_BACKLOG)
		ss_put_kv(f, ",bl", s->skmem[SK_MEMINFO_BACKLOG]);
	if (n > SK_MEMINFO_DROPS)
		ss_put_kv(f, ",d", s->skmem[SK_MEMINFO_DROPS]);
	ss_put(f, ")", 1);
}

/*
 * The writers work on a copy of the field kept in this frame: its length
 * then stays in a register, where stores through the field's char buffer
 * would otherwise force a reload after every byte written.
 */
void ss_fmt_skmem(struct ss_field *f, const struct sock_rec *s, bool meminfo)
{
	struct ss_field lf = *f;

	put_skmem(&lf, s, meminfo);
	*f = lf;
}

SS_INLINE void put_ms(struct ss_field *f, const char *key, uint32_t usec)
{
	char buf[64], *o;

	ss_puts(f, key);
	if ((o = ss_room(f, 64)) != NULL)
		f->len += (uint32_t)ss_fmt_usec_ms(o, usec);
	else
		ss_put(f, buf, ss_fmt_usec_ms(buf, usec));
}

SS_INLINE void put_bw(struct ss_field *f, const char *key, double bw,
		      bool numeric)
{
	char buf[64], *o;

	ss_puts(f, key);
	if ((o = ss_room(f, 64)) != NULL)
		f->len += (uint32_t)ss_fmt_bw(o, bw, numeric);
	else
		ss_put(f, buf, ss_fmt_bw(buf, bw, numeric));
	ss_put(f, "bps", 3);
}

static void put_limited(struct ss_field *f, const char *key, uint64_t t,
			uint64_t busy)
{
	char buf[64];
	int n;

	ss_puts(f, key);
	ss_put_u64(f, t / 1000);
	n = snprintf(buf, sizeof(buf), "ms(%.1f%%)", 100.0 * (double)t / (double)busy);
	ss_put(f, buf, (size_t)n);
}

static void put_gain(struct ss_field *f, const char *key, uint32_t gain)
{
	char buf[64];
	size_t n = ss_fmt_g(buf, (double)gain / 256.0, 6);

	ss_puts(f, key);
	ss_put(f, buf, n);
}

static void put_bbr(struct ss_field *f, const struct tcp_bbr_info *b,
		    bool numeric)
{
	uint64_t bw = ((uint64_t)b->bbr_bw_hi << 32) | b->bbr_bw_lo;

	put_bw(f, " bbr:(bw:", (double)bw * 8.0, numeric);
	/* ",mrtt:%g" of min_rtt / 1000.0: the same value put_ms formats */
	put_ms(f, ",mrtt:", b->bbr_min_rtt);
	if (b->bbr_pacing_gain)
		put_gain(f, ",pacing_gain:", b->bbr_pacing_gain);
	if (b->bbr_cwnd_gain)
		put_gain(f, ",cwnd_gain:", b->bbr_cwnd_gain);
	ss_put(f, ")", 1);
}

/* Literal keys, one line each: ss_put_kv then folds each key's length. */
#define PUT_NONZERO(f, key, t, field) \
	do { if ((t)[field]) ss_put_kv(f, key, (t)[field]); } while (0)

/*
 * ss 6.1's tcp_show_info() in four parts, in its order. Values come
 * from the field table (src/model/tcpinfo.c), absent ones as 0, which is
 * what ss prints from its zero-filled copy of a short reply.
 */
static void put_tcp_opts(const struct ss_view *v, struct ss_field *f,
			 const struct sock_rec *s, const uint64_t *t)
{
	uint64_t opt = t[TCPINFO_OPTIONS];

	/* 6.1 fills the option flags only with -o or -e */
	if (v->timers) {
		if (opt & TCPI_OPT_TIMESTAMPS)
			ss_puts(f, " ts");
		if (opt & TCPI_OPT_SACK)
			ss_puts(f, " sack");
		if (opt & TCPI_OPT_ECN)
			ss_puts(f, " ecn");
		if (opt & TCPI_OPT_ECN_SEEN)
			ss_puts(f, " ecnseen");
		if (opt & TCPI_OPT_SYN_DATA)
			ss_puts(f, " fastopen");
	}
	if (s->has_cong && s->cong[0]) {
		ss_put(f, " ", 1);
		ss_puts(f, s->cong);
	}
	if (opt & TCPI_OPT_WSCALE) {
		ss_put_kv(f, " wscale:", t[TCPINFO_SND_WSCALE]);
		ss_put_kv(f, ",", t[TCPINFO_RCV_WSCALE]);
	}
	if (t[TCPINFO_RTO] && t[TCPINFO_RTO] != 3000000)
		put_ms(f, " rto:", (uint32_t)t[TCPINFO_RTO]);
	PUT_NONZERO(f, " backoff:", t, TCPINFO_BACKOFF);
	if (t[TCPINFO_RTT]) {
		put_ms(f, " rtt:", (uint32_t)t[TCPINFO_RTT]);
		put_ms(f, "/", (uint32_t)t[TCPINFO_RTTVAR]);
	}
	if (t[TCPINFO_ATO])
		put_ms(f, " ato:", (uint32_t)t[TCPINFO_ATO]);
}

static void put_tcp_counts(struct ss_field *f, const struct sock_rec *s,
			   const uint64_t *t, bool num)
{
	PUT_NONZERO(f, " mss:", t, TCPINFO_SND_MSS);
	PUT_NONZERO(f, " pmtu:", t, TCPINFO_PMTU);
	PUT_NONZERO(f, " rcvmss:", t, TCPINFO_RCV_MSS);
	PUT_NONZERO(f, " advmss:", t, TCPINFO_ADVMSS);
	PUT_NONZERO(f, " cwnd:", t, TCPINFO_SND_CWND);
	if (t[TCPINFO_SND_SSTHRESH] && t[TCPINFO_SND_SSTHRESH] < 0xFFFF)
		ss_put_kv(f, " ssthresh:", t[TCPINFO_SND_SSTHRESH]);
	PUT_NONZERO(f, " bytes_sent:", t, TCPINFO_BYTES_SENT);
	PUT_NONZERO(f, " bytes_retrans:", t, TCPINFO_BYTES_RETRANS);
	PUT_NONZERO(f, " bytes_acked:", t, TCPINFO_BYTES_ACKED);
	PUT_NONZERO(f, " bytes_received:", t, TCPINFO_BYTES_RECEIVED);
	PUT_NONZERO(f, " segs_out:", t, TCPINFO_SEGS_OUT);
	PUT_NONZERO(f, " segs_in:", t, TCPINFO_SEGS_IN);
	PUT_NONZERO(f, " data_segs_out:", t, TCPINFO_DATA_SEGS_OUT);
	PUT_NONZERO(f, " data_segs_in:", t, TCPINFO_DATA_SEGS_IN);
	if (s->has_dctcp && s->dctcp.dctcp_enabled) {
		ss_put_kv(f, " dctcp:(ce_state:", s->dctcp.dctcp_ce_state);
		ss_put_kv(f, ",alpha:", s->dctcp.dctcp_alpha);
		ss_put_kv(f, ",ab_ecn:", s->dctcp.dctcp_ab_ecn);
		ss_put_kv(f, ",ab_tot:", s->dctcp.dctcp_ab_tot);
		ss_put(f, ")", 1);
	} else if (s->has_dctcp) {
		ss_puts(f, " dctcp:fallback_mode");
	}
	if (s->has_bbr)
		put_bbr(f, &s->bbr, num);
}

static void put_tcp_rates(struct ss_field *f, const struct sock_rec *s,
			  const uint64_t *t, bool num)
{
	double rtt = (double)t[TCPINFO_RTT];
	uint64_t pacing = t[TCPINFO_PACING_RATE], max = t[TCPINFO_MAX_PACING_RATE];

	if (s->has_vegas && s->vegas.tcpv_enabled && s->vegas.tcpv_rtt &&
	    s->vegas.tcpv_rtt != 0x7fffffff)
		rtt = s->vegas.tcpv_rtt;
	if (rtt > 0 && t[TCPINFO_SND_MSS] && t[TCPINFO_SND_CWND])
		put_bw(f, " send ", (double)t[TCPINFO_SND_CWND] *
		       (double)t[TCPINFO_SND_MSS] * 8000000. / rtt, num);
	PUT_NONZERO(f, " lastsnd:", t, TCPINFO_LAST_DATA_SENT);
	PUT_NONZERO(f, " lastrcv:", t, TCPINFO_LAST_DATA_RECV);
	PUT_NONZERO(f, " lastack:", t, TCPINFO_LAST_ACK_RECV);
	if (pacing && pacing != UINT64_MAX) {
		put_bw(f, " pacing_rate ", (double)pacing * 8., num);
		if (max && max != UINT64_MAX)
			put_bw(f, "/", (double)max * 8., num);
	}
	if (t[TCPINFO_DELIVERY_RATE])
		put_bw(f, " delivery_rate ", (double)t[TCPINFO_DELIVERY_RATE] * 8., num);
	PUT_NONZERO(f, " delivered:", t, TCPINFO_DELIVERED);
	PUT_NONZERO(f, " delivered_ce:", t, TCPINFO_DELIVERED_CE);
	if (t[TCPINFO_DELIVERY_RATE_APP_LIMITED])
		ss_puts(f, " app_limited");
	if (t[TCPINFO_BUSY_TIME]) {
		ss_put_kv(f, " busy:", t[TCPINFO_BUSY_TIME] / 1000);
		ss_puts(f, "ms");
		if (t[TCPINFO_RWND_LIMITED])
			put_limited(f, " rwnd_limited:", t[TCPINFO_RWND_LIMITED],
				    t[TCPINFO_BUSY_TIME]);
		if (t[TCPINFO_SNDBUF_LIMITED])
			put_limited(f, " sndbuf_limited:", t[TCPINFO_SNDBUF_LIMITED],
				    t[TCPINFO_BUSY_TIME]);
	}
}

/* ss prints these u32 fields signed ("%d"). */
static void put_signed(struct ss_field *f, const char *key, uint64_t v)
{
	ss_puts(f, key);
	ss_put_i64(f, (int32_t)(uint32_t)v);
}

static void put_tcp_tail(struct ss_field *f, const struct sock_rec *s,
			 const uint64_t *t)
{
	PUT_NONZERO(f, " unacked:", t, TCPINFO_UNACKED);
	if (t[TCPINFO_RETRANS] || t[TCPINFO_TOTAL_RETRANS]) {
		ss_put_kv(f, " retrans:", t[TCPINFO_RETRANS]);
		ss_put_kv(f, "/", t[TCPINFO_TOTAL_RETRANS]);
	}
	PUT_NONZERO(f, " lost:", t, TCPINFO_LOST);
	/* a listener's tcpi_sacked is its backlog limit */
	if (t[TCPINFO_SACKED] && s->state != SS_LISTEN)
		ss_put_kv(f, " sacked:", t[TCPINFO_SACKED]);
	PUT_NONZERO(f, " dsack_dups:", t, TCPINFO_DSACK_DUPS);
	PUT_NONZERO(f, " fackets:", t, TCPINFO_FACKETS);
	if (t[TCPINFO_REORDERING] != 3)
		put_signed(f, " reordering:", t[TCPINFO_REORDERING]);
	if (t[TCPINFO_REORD_SEEN])
		put_signed(f, " reord_seen:", t[TCPINFO_REORD_SEEN]);
	if (t[TCPINFO_RCV_RTT])
		put_ms(f, " rcv_rtt:", (uint32_t)t[TCPINFO_RCV_RTT]);
	if (t[TCPINFO_RCV_SPACE])
		put_signed(f, " rcv_space:", t[TCPINFO_RCV_SPACE]);
	PUT_NONZERO(f, " rcv_ssthresh:", t, TCPINFO_RCV_SSTHRESH);
	PUT_NONZERO(f, " notsent:", t, TCPINFO_NOTSENT_BYTES);
	if (t[TCPINFO_MIN_RTT] && t[TCPINFO_MIN_RTT] != UINT32_MAX)
		put_ms(f, " minrtt:", (uint32_t)t[TCPINFO_MIN_RTT]);
	PUT_NONZERO(f, " rcv_ooopack:", t, TCPINFO_RCV_OOOPACK);
	PUT_NONZERO(f, " snd_wnd:", t, TCPINFO_SND_WND);
}

static void put_tcp_stats(struct ss_fmt *fmt, struct ss_field *f,
			  const struct sock_rec *s, const uint64_t *t)
{
	put_tcp_opts(fmt->v, f, s, t);
	put_tcp_counts(f, s, t, fmt->v->numeric);
	put_tcp_rates(f, s, t, fmt->v->numeric);
	put_tcp_tail(f, s, t);
}

static void put_mptcp_stats(struct ss_field *f, const struct sock_rec *s)
{
	struct mptcp_info m;
	size_t n = s->mptcpi_len < sizeof(m) ? s->mptcpi_len : sizeof(m);

	memset(&m, 0, sizeof(m));
	memcpy(&m, s->mptcpi, n);
	if (m.mptcpi_subflows)
		ss_put_kv(f, " subflows:", m.mptcpi_subflows);
	if (m.mptcpi_add_addr_signal)
		ss_put_kv(f, " add_addr_signal:", m.mptcpi_add_addr_signal);
	if (m.mptcpi_add_addr_accepted)
		ss_put_kv(f, " add_addr_accepted:", m.mptcpi_add_addr_accepted);
	if (m.mptcpi_subflows_max)
		ss_put_kv(f, " subflows_max:", m.mptcpi_subflows_max);
	if (m.mptcpi_add_addr_signal_max)
		ss_put_kv(f, " add_addr_signal_max:", m.mptcpi_add_addr_signal_max);
	if (m.mptcpi_add_addr_accepted_max)
		ss_put_kv(f, " add_addr_accepted_max:",
			  m.mptcpi_add_addr_accepted_max);
	if (m.mptcpi_flags & MPTCP_INFO_FLAG_FALLBACK)
		ss_puts(f, " fallback");
	if (m.mptcpi_flags & MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED)
		ss_puts(f, " remote_key");
	if (m.mptcpi_token) {
		ss_puts(f, " token:");
		ss_put_hex(f, m.mptcpi_token);
	}
	if (m.mptcpi_write_seq) {
		ss_puts(f, " write_seq:");
		ss_put_hex(f, m.mptcpi_write_seq);
	}
	if (m.mptcpi_snd_una) {
		ss_puts(f, " snd_una:");
		ss_put_hex(f, m.mptcpi_snd_una);
	}
	if (m.mptcpi_rcv_nxt) {
		ss_puts(f, " rcv_nxt:");
		ss_put_hex(f, m.mptcpi_rcv_nxt);
	}
}

#define SF_HAS(s, a) ((s)->mptcp_sf.present & (1u << MPTCP_SUBFLOW_ATTR_##a))
#define SF(s, a) ((s)->mptcp_sf.val[MPTCP_SUBFLOW_ATTR_##a])

/* " KEY" and v in hex with at least `width` digits, as printf("%0*x"). */
static void put_hex_w(struct ss_field *f, const char *key, uint64_t v, int width)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%0*llx", width, (unsigned long long)v);
	ss_puts(f, key);
	ss_puts(f, buf);
}

/*
 * An MPTCP subflow's ULP details, as ss 6.1's mptcp_subflow_info():
 * flag letters, then "token:REM(id:N)/LOC(id:N)" only when all four
 * are there, then seq, sfseq, ssnoff, maplen in hex.
 */
static void put_mptcp_subflow(struct ss_field *f, const struct sock_rec *s)
{
	static const char letters[] = "MmJjBbecv";  /* MPTCP_SUBFLOW_FLAG_* bits 0..8 */
	char caps[sizeof(letters)];
	size_t n = 0;

	if (SF_HAS(s, FLAGS) && SF(s, FLAGS)) {
		for (unsigned b = 0; b < sizeof(letters) - 1; b++)
			if (SF(s, FLAGS) & (1u << b))
				caps[n++] = letters[b];
		caps[n] = '\0';
		ss_puts(f, " flags:");
		ss_puts(f, caps);
	}
	if (SF_HAS(s, TOKEN_REM) && SF_HAS(s, TOKEN_LOC) && SF_HAS(s, ID_REM) &&
	    SF_HAS(s, ID_LOC)) {
		put_hex_w(f, " token:", SF(s, TOKEN_REM), 4);
		ss_puts(f, "(id:");
		ss_put_u64(f, SF(s, ID_REM));
		put_hex_w(f, ")/", SF(s, TOKEN_LOC), 4);
		ss_puts(f, "(id:");
		ss_put_u64(f, SF(s, ID_LOC));
		ss_puts(f, ")");
	}
	if (SF_HAS(s, MAP_SEQ))
		put_hex_w(f, " seq:", SF(s, MAP_SEQ), 1);
	if (SF_HAS(s, MAP_SFSEQ))
		put_hex_w(f, " sfseq:", SF(s, MAP_SFSEQ), 1);
	if (SF_HAS(s, SSN_OFFSET))
		put_hex_w(f, " ssnoff:", SF(s, SSN_OFFSET), 1);
	if (SF_HAS(s, MAP_DATALEN))
		put_hex_w(f, " maplen:", SF(s, MAP_DATALEN), 1);
}

/*
 * " md5keys:ADDR/PREFIX=,..." in the kernel's order, as ss prints them.
 * ss 6.1 then writes each key, escaped, straight to stdout ahead of its
 * buffered rows (not into the row); a secret has no business on a
 * terminal, so the key is left out and the row ends at '='.
 */
static void put_md5keys(struct ss_field *f, const struct sock_rec *s)
{
	size_t n = sock_md5key_count(s);

	for (size_t i = 0; i < n; i++) {
		struct sock_md5key k;

		sock_md5key_get(s, i, &k);
		ss_puts(f, i ? "," : " md5keys:");
		ss_puts(f, k.addr);
		ss_puts(f, "/");
		ss_put_u64(f, k.prefixlen);
		ss_puts(f, "=");
	}
}

void ss_fmt_tcp_info(struct ss_fmt *fmt, struct ss_field *f,
		     const struct sock_rec *s)
{
	struct tcpinfo_vals info;

	ss_fmt_skmem(f, s, true);
	if (s->netid == NETID_MPTCP) {
		if (s->mptcpi_len && s->mptcpi)
			put_mptcp_stats(f, s);
		return;
	}
	if (s->tcpi_len && s->tcpi) {
		struct ss_field lf = *f;  /* see ss_fmt_skmem */

		tcpinfo_load(&info, s->tcpi, s->tcpi_len);
		put_tcp_stats(fmt, &lf, s, info.v);
		*f = lf;
	}
	put_md5keys(f, s);
	if (s->has_ulp && s->ulp[0]) {
		ss_puts(f, " tcp-ulp-");
		ss_puts(f, s->ulp);
	}
	put_mptcp_subflow(f, s);
}
