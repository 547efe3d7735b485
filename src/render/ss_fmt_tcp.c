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

static void put_tcp_stats(struct ss_fmt *fmt, struct ss_field *f,
			  const struct sock_rec *s, const struct tcp_info *i)
{
	const struct ss_view *v = fmt->v;
	bool num = v->numeric;
	double rtt;

	/* 6.1 fills the option flags only with -o or -e */
	if (v->timers) {
		if (i->tcpi_options & TCPI_OPT_TIMESTAMPS)
			ss_puts(f, " ts");
		if (i->tcpi_options & TCPI_OPT_SACK)
			ss_puts(f, " sack");
		if (i->tcpi_options & TCPI_OPT_ECN)
			ss_puts(f, " ecn");
		if (i->tcpi_options & TCPI_OPT_ECN_SEEN)
			ss_puts(f, " ecnseen");
		if (i->tcpi_options & TCPI_OPT_SYN_DATA)
			ss_puts(f, " fastopen");
	}
	if (s->has_cong && s->cong[0]) {
		ss_put(f, " ", 1);
		ss_puts(f, s->cong);
	}
	if (i->tcpi_options & TCPI_OPT_WSCALE) {
		ss_put_kv(f, " wscale:", i->tcpi_snd_wscale);
		ss_put_kv(f, ",", i->tcpi_rcv_wscale);
	}
	if (i->tcpi_rto && i->tcpi_rto != 3000000)
		put_ms(f, " rto:", i->tcpi_rto);
	if (i->tcpi_backoff)
		ss_put_kv(f, " backoff:", i->tcpi_backoff);
	if (i->tcpi_rtt) {
		put_ms(f, " rtt:", i->tcpi_rtt);
		put_ms(f, "/", i->tcpi_rttvar);
	}
	if (i->tcpi_ato)
		put_ms(f, " ato:", i->tcpi_ato);
	if (i->tcpi_snd_mss)
		ss_put_kv(f, " mss:", i->tcpi_snd_mss);
	if (i->tcpi_pmtu)
		ss_put_kv(f, " pmtu:", i->tcpi_pmtu);
	if (i->tcpi_rcv_mss)
		ss_put_kv(f, " rcvmss:", i->tcpi_rcv_mss);
	if (i->tcpi_advmss)
		ss_put_kv(f, " advmss:", i->tcpi_advmss);
	if (i->tcpi_snd_cwnd)
		ss_put_kv(f, " cwnd:", i->tcpi_snd_cwnd);
	if (i->tcpi_snd_ssthresh && i->tcpi_snd_ssthresh < 0xFFFF)
		ss_put_kv(f, " ssthresh:", i->tcpi_snd_ssthresh);
	if (i->tcpi_bytes_sent)
		ss_put_kv(f, " bytes_sent:", i->tcpi_bytes_sent);
	if (i->tcpi_bytes_retrans)
		ss_put_kv(f, " bytes_retrans:", i->tcpi_bytes_retrans);
	if (i->tcpi_bytes_acked)
		ss_put_kv(f, " bytes_acked:", i->tcpi_bytes_acked);
	if (i->tcpi_bytes_received)
		ss_put_kv(f, " bytes_received:", i->tcpi_bytes_received);
	if (i->tcpi_segs_out)
		ss_put_kv(f, " segs_out:", i->tcpi_segs_out);
	if (i->tcpi_segs_in)
		ss_put_kv(f, " segs_in:", i->tcpi_segs_in);
	if (i->tcpi_data_segs_out)
		ss_put_kv(f, " data_segs_out:", i->tcpi_data_segs_out);
	if (i->tcpi_data_segs_in)
		ss_put_kv(f, " data_segs_in:", i->tcpi_data_segs_in);
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

	rtt = (double)i->tcpi_rtt;
	if (s->has_vegas && s->vegas.tcpv_enabled && s->vegas.tcpv_rtt &&
	    s->vegas.tcpv_rtt != 0x7fffffff)
		rtt = s->vegas.tcpv_rtt;
	if (rtt > 0 && i->tcpi_snd_mss && i->tcpi_snd_cwnd)
		put_bw(f, " send ", (double)i->tcpi_snd_cwnd *
		       (double)i->tcpi_snd_mss * 8000000. / rtt, num);
	if (i->tcpi_last_data_sent)
		ss_put_kv(f, " lastsnd:", i->tcpi_last_data_sent);
	if (i->tcpi_last_data_recv)
		ss_put_kv(f, " lastrcv:", i->tcpi_last_data_recv);
	if (i->tcpi_last_ack_recv)
		ss_put_kv(f, " lastack:", i->tcpi_last_ack_recv);
	if (i->tcpi_pacing_rate && i->tcpi_pacing_rate != ~0ULL) {
		put_bw(f, " pacing_rate ", (double)i->tcpi_pacing_rate * 8., num);
		if (i->tcpi_max_pacing_rate && i->tcpi_max_pacing_rate != ~0ULL)
			put_bw(f, "/", (double)i->tcpi_max_pacing_rate * 8., num);
	}
	if (i->tcpi_delivery_rate)
		put_bw(f, " delivery_rate ", (double)i->tcpi_delivery_rate * 8., num);
	if (i->tcpi_delivered)
		ss_put_kv(f, " delivered:", i->tcpi_delivered);
	if (i->tcpi_delivered_ce)
		ss_put_kv(f, " delivered_ce:", i->tcpi_delivered_ce);
	if (i->tcpi_delivery_rate_app_limited)
		ss_puts(f, " app_limited");
	if (i->tcpi_busy_time) {
		ss_put_kv(f, " busy:", i->tcpi_busy_time / 1000);
		ss_puts(f, "ms");
		if (i->tcpi_rwnd_limited)
			put_limited(f, " rwnd_limited:", i->tcpi_rwnd_limited,
				    i->tcpi_busy_time);
		if (i->tcpi_sndbuf_limited)
			put_limited(f, " sndbuf_limited:", i->tcpi_sndbuf_limited,
				    i->tcpi_busy_time);
	}
	if (i->tcpi_unacked)
		ss_put_kv(f, " unacked:", i->tcpi_unacked);
	if (i->tcpi_retrans || i->tcpi_total_retrans) {
		ss_put_kv(f, " retrans:", i->tcpi_retrans);
		ss_put_kv(f, "/", i->tcpi_total_retrans);
	}
	if (i->tcpi_lost)
		ss_put_kv(f, " lost:", i->tcpi_lost);
	/* a listener's tcpi_sacked is its backlog limit */
	if (i->tcpi_sacked && s->state != SS_LISTEN)
		ss_put_kv(f, " sacked:", i->tcpi_sacked);
	if (i->tcpi_dsack_dups)
		ss_put_kv(f, " dsack_dups:", i->tcpi_dsack_dups);
	if (i->tcpi_fackets)
		ss_put_kv(f, " fackets:", i->tcpi_fackets);
	if (i->tcpi_reordering != 3) {
		ss_puts(f, " reordering:");
		ss_put_i64(f, (int32_t)i->tcpi_reordering);
	}
	if (i->tcpi_reord_seen) {
		ss_puts(f, " reord_seen:");
		ss_put_i64(f, (int32_t)i->tcpi_reord_seen);
	}
	if (i->tcpi_rcv_rtt)
		put_ms(f, " rcv_rtt:", i->tcpi_rcv_rtt);
	if (i->tcpi_rcv_space) {
		ss_puts(f, " rcv_space:");
		ss_put_i64(f, (int32_t)i->tcpi_rcv_space);
	}
	if (i->tcpi_rcv_ssthresh)
		ss_put_kv(f, " rcv_ssthresh:", i->tcpi_rcv_ssthresh);
	if (i->tcpi_notsent_bytes)
		ss_put_kv(f, " notsent:", i->tcpi_notsent_bytes);
	if (i->tcpi_min_rtt && i->tcpi_min_rtt != ~0U)
		put_ms(f, " minrtt:", i->tcpi_min_rtt);
	if (i->tcpi_rcv_ooopack)
		ss_put_kv(f, " rcv_ooopack:", i->tcpi_rcv_ooopack);
	if (i->tcpi_snd_wnd)
		ss_put_kv(f, " snd_wnd:", i->tcpi_snd_wnd);
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

void ss_fmt_tcp_info(struct ss_fmt *fmt, struct ss_field *f,
		     const struct sock_rec *s)
{
	struct tcp_info info;

	ss_fmt_skmem(f, s, true);
	if (s->netid == NETID_MPTCP) {
		if (s->mptcpi_len && s->mptcpi)
			put_mptcp_stats(f, s);
		return;
	}
	if (sock_tcp_info(s, &info)) {
		struct ss_field lf = *f;  /* see ss_fmt_skmem */

		put_tcp_stats(fmt, &lf, s, &info);
		*f = lf;
	}
	if (s->has_ulp && s->ulp[0]) {
		ss_puts(f, " tcp-ulp-");
		ss_puts(f, s->ulp);
	}
}
