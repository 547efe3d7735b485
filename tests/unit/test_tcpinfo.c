// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tcp_info field table (src/model/tcpinfo.c) against the uapi
 * struct it describes, the accessor on crafted replies of every length
 * that matters, the kept connection and both JSON documents it feeds,
 * the docs' unit column, and the name tables (src/model/sock.c).
 */
#include "tap_check.h"
#include "series_fixture.h"
#include "../../src/model/tcpinfo.h"
#include "../../src/render/report.h"
#include "../../src/render/tcpinfo_json.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/tcp.h>

#define TI(f, name) { TCPINFO_##f, #name, offsetof(struct tcp_info, tcpi_##name), \
			    sizeof(((struct tcp_info *)0)->tcpi_##name) }

/* Every whole member, as the uapi header lays it out. */
static const struct {
	enum tcpinfo_field f;
	const char *name;
	size_t off, size;
} uapi[] = {
	TI(STATE, state), TI(CA_STATE, ca_state),
	TI(RETRANSMITS, retransmits), TI(PROBES, probes),
	TI(BACKOFF, backoff), TI(OPTIONS, options),
	TI(RTO, rto), TI(ATO, ato), TI(SND_MSS, snd_mss),
	TI(RCV_MSS, rcv_mss), TI(UNACKED, unacked),
	TI(SACKED, sacked), TI(LOST, lost),
	TI(RETRANS, retrans), TI(FACKETS, fackets),
	TI(LAST_DATA_SENT, last_data_sent),
	TI(LAST_ACK_SENT, last_ack_sent),
	TI(LAST_DATA_RECV, last_data_recv),
	TI(LAST_ACK_RECV, last_ack_recv), TI(PMTU, pmtu),
	TI(RCV_SSTHRESH, rcv_ssthresh), TI(RTT, rtt),
	TI(RTTVAR, rttvar), TI(SND_SSTHRESH, snd_ssthresh),
	TI(SND_CWND, snd_cwnd), TI(ADVMSS, advmss),
	TI(REORDERING, reordering), TI(RCV_RTT, rcv_rtt),
	TI(RCV_SPACE, rcv_space), TI(TOTAL_RETRANS, total_retrans),
	TI(PACING_RATE, pacing_rate),
	TI(MAX_PACING_RATE, max_pacing_rate),
	TI(BYTES_ACKED, bytes_acked),
	TI(BYTES_RECEIVED, bytes_received),
	TI(SEGS_OUT, segs_out), TI(SEGS_IN, segs_in),
	TI(NOTSENT_BYTES, notsent_bytes), TI(MIN_RTT, min_rtt),
	TI(DATA_SEGS_IN, data_segs_in),
	TI(DATA_SEGS_OUT, data_segs_out),
	TI(DELIVERY_RATE, delivery_rate), TI(BUSY_TIME, busy_time),
	TI(RWND_LIMITED, rwnd_limited),
	TI(SNDBUF_LIMITED, sndbuf_limited),
	TI(DELIVERED, delivered), TI(DELIVERED_CE, delivered_ce),
	TI(BYTES_SENT, bytes_sent), TI(BYTES_RETRANS, bytes_retrans),
	TI(DSACK_DUPS, dsack_dups), TI(REORD_SEEN, reord_seen),
	TI(RCV_OOOPACK, rcv_ooopack), TI(SND_WND, snd_wnd),
};

#define N_UAPI (sizeof(uapi) / sizeof(uapi[0]))
/* The original 2.6 struct ended with tcpi_total_retrans. */
#define OLD_LEN 104

START_TEST(table__offsets_and_sizes_match_the_uapi_struct)
{
	/* 46 whole members and 4 bitfields: every row is accounted for */
	ck_assert_uint_eq(N_UAPI + 4, TCPINFO_FIELD_MAX);
	for (size_t i = 0; i < N_UAPI; i++) {
		const struct tcpinfo_def *d = tcpinfo_def(uapi[i].f);

		ck_assert_str_eq(d->name, uapi[i].name);
		ck_assert_uint_eq(d->off, uapi[i].off);
		ck_assert_uint_eq(d->size, uapi[i].size);
		ck_assert_uint_eq(d->bits, 0);
		ck_assert_uint_eq(tcpinfo_min_len(uapi[i].f), uapi[i].off + uapi[i].size);
	}
	ck_assert_uint_eq(tcpinfo_min_len(TCPINFO_SND_WND), sizeof(struct tcp_info));
	ck_assert_uint_eq(OLD_LEN, tcpinfo_min_len(TCPINFO_TOTAL_RETRANS));
	ck_assert_ptr_null(tcpinfo_def(TCPINFO_FIELD_MAX));
	ck_assert(!tcpinfo_present(SIZE_MAX - 1, TCPINFO_FIELD_MAX));
}
END_TEST

/* Struct order: the JSON key order and tcpinfo_load's early stop rely on it. */
START_TEST(table__rows_in_struct_order_with_unique_names)
{
	for (unsigned f = 1; f < TCPINFO_FIELD_MAX; f++) {
		ck_assert_uint_ge(tcpinfo_min_len(f), tcpinfo_min_len(f - 1));
		for (unsigned g = 0; g < f; g++)
			ck_assert_str_ne(tcpinfo_def(f)->name, tcpinfo_def(g)->name);
	}
}
END_TEST

/* The bit positions are the compiler's: check them through the struct. */
START_TEST(get__bitfields_as_the_struct_lays_them_out)
{
	struct tcp_info ti;
	uint64_t v;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_snd_wscale = 10;
	ti.tcpi_rcv_wscale = 7;
	ti.tcpi_delivery_rate_app_limited = 1;
	ti.tcpi_fastopen_client_fail = 2;
	ck_assert(tcpinfo_get(&ti, sizeof(ti), TCPINFO_SND_WSCALE, &v));
	ck_assert_uint_eq(v, 10);
	ck_assert(tcpinfo_get(&ti, sizeof(ti), TCPINFO_RCV_WSCALE, &v));
	ck_assert_uint_eq(v, 7);
	ck_assert(tcpinfo_get(&ti, sizeof(ti), TCPINFO_DELIVERY_RATE_APP_LIMITED, &v));
	ck_assert_uint_eq(v, 1);
	ck_assert(tcpinfo_get(&ti, sizeof(ti), TCPINFO_FASTOPEN_CLIENT_FAIL, &v));
	ck_assert_uint_eq(v, 2);
	/* each field keeps to its own bits */
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rcv_wscale = 15;
	ti.tcpi_fastopen_client_fail = 3;
	tcpinfo_get(&ti, sizeof(ti), TCPINFO_SND_WSCALE, &v);
	ck_assert_uint_eq(v, 0);
	tcpinfo_get(&ti, sizeof(ti), TCPINFO_RCV_WSCALE, &v);
	ck_assert_uint_eq(v, 15);
	tcpinfo_get(&ti, sizeof(ti), TCPINFO_DELIVERY_RATE_APP_LIMITED, &v);
	ck_assert_uint_eq(v, 0);
	tcpinfo_get(&ti, sizeof(ti), TCPINFO_FASTOPEN_CLIENT_FAIL, &v);
	ck_assert_uint_eq(v, 3);
}
END_TEST

/* A reply at an odd address, as a netlink attribute may sit. */
START_TEST(get__crafted_unaligned_reply_and_presence_by_length)
{
	uint8_t buf[1 + sizeof(struct tcp_info)], *ti = buf + 1;
	uint32_t rtt_v = 38265, wnd_v = 8957952;
	uint64_t rate = 0x123456789aULL, v = 99;

	memset(buf, 0, sizeof(buf));
	ti[offsetof(struct tcp_info, tcpi_backoff)] = 6;
	memcpy(ti + offsetof(struct tcp_info, tcpi_rtt), &rtt_v, 4);
	memcpy(ti + offsetof(struct tcp_info, tcpi_pacing_rate), &rate, 8);
	memcpy(ti + offsetof(struct tcp_info, tcpi_snd_wnd), &wnd_v, 4);

	/* a 2.6-era reply: rtt yes, pacing_rate and snd_wnd no */
	ck_assert(tcpinfo_get(ti, OLD_LEN, TCPINFO_RTT, &v));
	ck_assert_uint_eq(v, rtt_v);
	ck_assert(tcpinfo_get(ti, OLD_LEN, TCPINFO_BACKOFF, &v));
	ck_assert_uint_eq(v, 6);
	ck_assert(!tcpinfo_get(ti, OLD_LEN, TCPINFO_PACING_RATE, &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(!tcpinfo_get(ti, OLD_LEN, TCPINFO_SND_WND, &v));
	/* a field cut by the length is absent, not half-read */
	ck_assert(!tcpinfo_get(ti, offsetof(struct tcp_info, tcpi_rtt) + 3, TCPINFO_RTT, &v));
	ck_assert(tcpinfo_get(ti, offsetof(struct tcp_info, tcpi_pacing_rate) + 8,
			      TCPINFO_PACING_RATE, &v));
	ck_assert_uint_eq(v, rate);
	ck_assert(tcpinfo_get(ti, sizeof(struct tcp_info), TCPINFO_SND_WND, &v));
	ck_assert_uint_eq(v, wnd_v);
	/* no reply at all */
	ck_assert(!tcpinfo_get(NULL, 232, TCPINFO_STATE, &v));
	ck_assert(!tcpinfo_get(ti, 0, TCPINFO_STATE, &v));
	/* a newer kernel's longer reply: what the table knows is there */
	ck_assert(tcpinfo_get(ti, 280, TCPINFO_SND_WND, &v));
}
END_TEST

START_TEST(load__stops_at_the_length)
{
	struct tcp_info ti;
	struct tcpinfo_vals v;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_total_retrans = 4;
	ti.tcpi_delivery_rate = 20480;
	tcpinfo_load(&v, &ti, OLD_LEN);
	ck_assert(v.present[TCPINFO_STATE]);
	ck_assert(v.present[TCPINFO_TOTAL_RETRANS]);
	ck_assert_uint_eq(v.v[TCPINFO_TOTAL_RETRANS], 4);
	ck_assert(!v.present[TCPINFO_PACING_RATE]);
	ck_assert(!v.present[TCPINFO_DELIVERY_RATE]);
	ck_assert_uint_eq(v.v[TCPINFO_DELIVERY_RATE], 0);
	tcpinfo_load(&v, &ti, sizeof(ti));
	ck_assert(v.present[TCPINFO_SND_WND]);
	ck_assert_uint_eq(v.v[TCPINFO_DELIVERY_RATE], 20480);
	tcpinfo_load(&v, NULL, 0);
	ck_assert(!v.present[TCPINFO_STATE]);
}
END_TEST

static struct sock_rec conn_rec(const struct tcp_info *ti, size_t len)
{
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.table = TBL_TCP;
	r.family = AF_INET;
	r.state = SS_ESTABLISHED;
	inet_pton(AF_INET, "10.0.0.1", r.saddr);
	inet_pton(AF_INET, "10.0.0.2", r.daddr);
	r.sport = 40000;
	r.dport = 8080;
	r.tcpi = (const uint8_t *)ti;
	r.tcpi_len = (uint16_t)len;
	return r;
}

static void crafted(struct tcp_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	ti->tcpi_backoff = 3;
	ti->tcpi_delivery_rate_app_limited = 1;
	ti->tcpi_rtt = 38265;
	ti->tcpi_snd_cwnd = 22;
	ti->tcpi_total_retrans = 4;
	ti->tcpi_last_data_sent = 120;
	ti->tcpi_delivery_rate = 20480;
	ti->tcpi_busy_time = 27636000;
	ti->tcpi_rwnd_limited = 27144000;
	ti->tcpi_bytes_acked = 65918753;
	ti->tcpi_snd_wnd = 0;
}

/* Each kept member is at least as wide as the field it keeps. */
/* The run-based loader agrees with the one-field accessor at every
 * reply length, on bytes that differ everywhere (so a wrong offset or
 * width shows). */
START_TEST(load__agrees_with_get_at_every_length)
{
	uint8_t buf[sizeof(struct tcp_info) + 16];
	struct tcpinfo_vals v;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof(buf); len++) {
		tcpinfo_load(&v, buf, len);
		for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
			uint64_t x;
			bool has = tcpinfo_get(buf, len, f, &x);

			ck_assert_msg(has == v.present[f] && x == v.v[f],
				      "len %zu field %s: get %d/%llu load %d/%llu", len,
				      tcpinfo_def(f)->name, has, (unsigned long long)x,
				      v.present[f], (unsigned long long)v.v[f]);
		}
	}
}
END_TEST

START_TEST(conn__members_wide_enough)
{
	unsigned kept = 0;

	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
		const struct tcpinfo_def *d = tcpinfo_def(f);

		if (!d->conn_size)
			continue;
		kept++;
		ck_assert_uint_ge(d->conn_size, d->size);
		ck_assert_uint_le(d->conn_off + d->conn_size, sizeof(struct s_conn));
	}
	ck_assert_uint_eq(kept, 27);
}
END_TEST

START_TEST(conn__sample_keeps_fields_through_the_table)
{
	struct sample *s = malloc(sizeof(*s));
	struct tcp_info ti;
	struct sock_rec r;
	const struct s_conn *c;

	crafted(&ti);
	sample_init(s);
	r = conn_rec(&ti, sizeof(ti));
	sample_add_conn(s, &r, true);
	c = &s->conns[0];
	ck_assert(c->has_info);
	ck_assert_uint_eq(c->rtt_us, 38265);
	ck_assert_uint_eq(c->snd_cwnd, 22);
	ck_assert_uint_eq(c->backoff, 3);
	ck_assert(c->app_limited);
	ck_assert_uint_eq(c->delivery_rate, 20480);
	ck_assert_uint_eq(c->busy_us, 27636000);
	ck_assert_uint_eq(c->rwnd_limited_us, 27144000);
	ck_assert_uint_eq(c->bytes_acked, 65918753);
	ck_assert_uint_eq(c->last_data_sent_ms, 120);
	ck_assert(c->has_snd_wnd);   /* a closed window, reported */
	ck_assert_uint_eq(c->snd_wnd, 0);

	/* a pre-5.4 reply: no snd_wnd; what it did not send reads 0 */
	r = conn_rec(&ti, OLD_LEN);
	sample_add_conn(s, &r, true);
	c = &s->conns[1];
	ck_assert(c->has_info);
	ck_assert(!c->has_snd_wnd);
	ck_assert_uint_eq(c->rtt_us, 38265);
	ck_assert_uint_eq(c->delivery_rate, 0);
	ck_assert_uint_eq(c->busy_us, 0);

	/* no tcp_info at all */
	r = conn_rec(NULL, 0);
	sample_add_conn(s, &r, false);
	ck_assert(!s->conns[2].has_info);
	ck_assert_uint_eq(s->conns[2].rtt_us, 0);
	free(s);
}
END_TEST

static char *json_of(const struct tcpinfo_vals *v)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(fp);
	json_writer_init(&w, fp, 0);
	json_obj_begin(&w);
	tcpinfo_json_write(&w, v);
	json_obj_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	fclose(fp);
	strbuf_release(&err);
	return buf;
}

/* A kept connection writes ss --json's keys, units and order. */
START_TEST(json__conn_uses_the_listing_keys_and_units)
{
	struct sample *s = malloc(sizeof(*s));
	struct tcp_info ti;
	struct sock_rec r;
	struct tcpinfo_vals v;
	char *got;

	crafted(&ti);
	sample_init(s);
	r = conn_rec(&ti, sizeof(ti));
	sample_add_conn(s, &r, true);
	tcpinfo_conn_load(&v, &s->conns[0]);
	got = json_of(&v);
	ck_assert_str_eq(got,
		"{\"tcp_info\":{\"probes\":0,\"backoff\":3,"
		"\"delivery_rate_app_limited\":1,\"snd_mss\":0,\"rcv_mss\":0,"
		"\"unacked\":0,\"lost\":0,\"retrans\":0,\"last_data_sent\":120,"
		"\"last_data_recv\":0,\"rtt\":38265,\"rttvar\":0,"
		"\"snd_ssthresh\":0,\"snd_cwnd\":22,\"rcv_space\":0,"
		"\"total_retrans\":4,\"bytes_acked\":65918753,"
		"\"bytes_received\":0,\"notsent_bytes\":0,\"min_rtt\":0,"
		"\"delivery_rate\":20480,\"busy_time\":27636000,"
		"\"rwnd_limited\":27144000,\"sndbuf_limited\":0,"
		"\"bytes_sent\":0,\"bytes_retrans\":0,\"snd_wnd\":0}}\n");
	free(got);
	/* same field, same value as the listing writes from the raw reply */
	tcpinfo_load(&v, &ti, sizeof(ti));
	got = json_of(&v);
	ck_assert_ptr_nonnull(strstr(got, "\"rtt\":38265,"));
	ck_assert_ptr_nonnull(strstr(got, "\"delivery_rate\":20480,"));
	ck_assert_ptr_nonnull(strstr(got, "\"busy_time\":27636000,"));
	free(got);
	/* short reply: snd_wnd is not written rather than written as 0 */
	r = conn_rec(&ti, OLD_LEN);
	sample_add_conn(s, &r, true);
	tcpinfo_conn_load(&v, &s->conns[1]);
	got = json_of(&v);
	ck_assert_ptr_null(strstr(got, "snd_wnd"));
	free(got);
	free(s);
}
END_TEST

static char *report_of(struct fx *f)
{
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(report_view_build(v, &f->ser, &f->out, &f->opts, "", &err), 0);
	ck_assert_int_eq(report_json(fp, v, false, &err), 0);
	fclose(fp);
	strbuf_release(&err);
	free(v);
	return buf;
}

/* The triage report's connection: tcp_info as in the listing, schema 2. */
START_TEST(json__report_connection_has_tcp_info_not_scaled_keys)
{
	struct fx *f = fx_new(1, 1);
	struct tcp_info ti;
	struct sock_rec r;
	char *got;

	crafted(&ti);
	r = conn_rec(&ti, sizeof(ti));
	f->s[0]->have |= HAVE_CONNS;
	sample_add_conn(f->s[0], &r, true);
	got = report_of(f);
	ck_assert_ptr_nonnull(strstr(got, "{\"schema_version\":2,"));
	ck_assert_ptr_nonnull(strstr(got, "\"connections\":[{\"local\":\"10.0.0.1:40000\","
				  "\"remote\":\"10.0.0.2:8080\",\"state\":\"ESTAB\","
				  "\"peer\":true,\"recv_q\":0,\"send_q\":0,"
				  "\"tcp_info\":{\"probes\":0,"));
	ck_assert_ptr_nonnull(strstr(got, "\"rtt\":38265,"));
	ck_assert_ptr_nonnull(strstr(got, "\"delivery_rate\":20480,"));
	ck_assert_ptr_null(strstr(got, "rtt_ms"));
	ck_assert_ptr_null(strstr(got, "_bps"));
	ck_assert_ptr_null(strstr(got, "busy_ms"));
	free(got);
	fx_free(f);
}
END_TEST

/*
 * docs/json-keys.md's tcp_info table: every field has one row (first
 * column, among backticked names) whose unit column is the table's.
 */
START_TEST(docs__tcp_info_units_match_the_table)
{
	FILE *fp = fopen("docs/json-keys.md", "r");
	char line[1024], want[80];
	bool in = false;
	unsigned rows[TCPINFO_FIELD_MAX] = { 0 };

	ck_assert_msg(fp != NULL, "run from the top of the tree");
	while (fgets(line, sizeof(line), fp)) {
		char *keys, *unit, *end;

		if (!strncmp(line, "### `tcp_info`", 14)) {
			in = true;
			continue;
		}
		if (in && !strncmp(line, "## ", 3))
			break;
		if (!in || strncmp(line, "| `", 3))
			continue;
		keys = line + 1;
		unit = strchr(keys, '|');
		ck_assert_ptr_nonnull(unit);
		*unit++ = '\0';
		end = strchr(unit, '|');
		ck_assert_ptr_nonnull(end);
		*end = '\0';
		while (*unit == ' ')
			unit++;
		while (end > unit && end[-1] == ' ')
			*--end = '\0';
		for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
			snprintf(want, sizeof(want), "`%s`", tcpinfo_def(f)->name);
			if (!strstr(keys, want))
				continue;
			rows[f]++;
			ck_assert_msg(!strcmp(unit, tcpinfo_unit_name(tcpinfo_def(f)->unit)),
				      "%s: docs say \"%s\", the table \"%s\"", tcpinfo_def(f)->name,
				      unit, tcpinfo_unit_name(tcpinfo_def(f)->unit));
		}
	}
	fclose(fp);
	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++)
		ck_assert_msg(rows[f] == 1, "%s: %u rows in docs/json-keys.md",
			      tcpinfo_def(f)->name, rows[f]);
}
END_TEST

START_TEST(names__state_spellings)
{
	static const char *const ss61[] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
		"FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK",
		"LISTEN", "CLOSING", "UNKNOWN", "UNKNOWN", "UNKNOWN",
	};

	for (unsigned st = 0; st <= SS_STATE_MAX; st++)
		ck_assert_str_eq(sock_state_spelling(st, SOCK_SPELL_SS61), ss61[st]);
	ck_assert_str_eq(sock_state_spelling(SS_NEW_SYN_RECV, SOCK_SPELL_KERNEL), "NEW-SYN-RECV");
	ck_assert_str_eq(sock_state_spelling(SS_BOUND_INACTIVE, SOCK_SPELL_KERNEL), "BOUND-INACTIVE");
	ck_assert_str_eq(sock_state_spelling(SS_NEW_SYN_RECV, SOCK_SPELL_USER), "SYN-RECV");
	ck_assert_str_eq(sock_state_spelling(SS_BOUND_INACTIVE, SOCK_SPELL_USER), "BOUND-INACTIVE");
	ck_assert_str_eq(sock_state_name(SS_CLOSE_WAIT), "CLOSE-WAIT");
	ck_assert_str_eq(sock_state_name(SS_CLOSE), "UNCONN");
	ck_assert_str_eq(sock_state_spelling(999, SOCK_SPELL_KERNEL), "UNKNOWN");
	/* below NEW_SYN_RECV every spelling agrees */
	for (unsigned st = 0; st < SS_NEW_SYN_RECV; st++) {
		ck_assert_str_eq(sock_state_spelling(st, SOCK_SPELL_KERNEL), ss61[st]);
		ck_assert_str_eq(sock_state_spelling(st, SOCK_SPELL_USER), ss61[st]);
	}
}
END_TEST

START_TEST(names__timers_and_netids)
{
	ck_assert_str_eq(sock_timer_name(0, SOCK_SPELL_SS61), "off");
	ck_assert_str_eq(sock_timer_name(2, SOCK_SPELL_KERNEL), "keepalive");
	ck_assert_str_eq(sock_timer_name(4, SOCK_SPELL_SS61), "persist");
	/* ss 6.1 has no word for delack; the JSON does */
	ck_assert_str_eq(sock_timer_name(5, SOCK_SPELL_SS61), "unknown");
	ck_assert_str_eq(sock_timer_name(5, SOCK_SPELL_KERNEL), "delack");
	ck_assert_str_eq(sock_timer_name(6, SOCK_SPELL_KERNEL), "unknown");
	ck_assert_str_eq(sock_netid_name(NETID_TCP), "tcp");
	ck_assert_str_eq(sock_netid_name(NETID_U_STR), "u_str");
	ck_assert_str_eq(sock_netid_name(NETID_NL), "nl");
	ck_assert_str_eq(sock_netid_name(NETID_MAX), "unknown");
	for (unsigned n = 0; n < NETID_MAX; n++)
		ck_assert_ptr_nonnull(sock_netid_name(n));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tcpinfo");
	TCase *tc = tcase_create("tcpinfo");

	tcase_add_test(tc, table__offsets_and_sizes_match_the_uapi_struct);
	tcase_add_test(tc, load__agrees_with_get_at_every_length);
	tcase_add_test(tc, table__rows_in_struct_order_with_unique_names);
	tcase_add_test(tc, get__bitfields_as_the_struct_lays_them_out);
	tcase_add_test(tc, get__crafted_unaligned_reply_and_presence_by_length);
	tcase_add_test(tc, load__stops_at_the_length);
	tcase_add_test(tc, conn__members_wide_enough);
	tcase_add_test(tc, conn__sample_keeps_fields_through_the_table);
	tcase_add_test(tc, json__conn_uses_the_listing_keys_and_units);
	tcase_add_test(tc, json__report_connection_has_tcp_info_not_scaled_keys);
	tcase_add_test(tc, docs__tcp_info_units_match_the_table);
	tcase_add_test(tc, names__state_spellings);
	tcase_add_test(tc, names__timers_and_netids);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
