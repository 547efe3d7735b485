// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hand-rolled %g formatters against glibc's snprintf. They replace
 * printf in ss output that must stay byte-identical, so every check here
 * is "same bytes as snprintf", over exhaustive ranges, rounding
 * boundaries and millions of random values.
 */
#include "tap_check.h"
#include "../../src/render/ss_fmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double dbl_of(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/*
 * Plain ifs, not ck_assert: Check writes a checkpoint to a pipe on every
 * assertion, which would be most of the run time here.
 */
static void check_g(double x, int prec)
{
	char want[512], got[512];
	size_t n;

	snprintf(want, sizeof(want), "%.*g", prec, x);
	memset(got, 'X', sizeof(got));
	n = ss_fmt_g(got, x, prec);
	if (strcmp(got, want) || n != strlen(want))
		ck_abort_msg("%%.%dg of %a (%.17g): got '%s' (%zu), want '%s'",
			     prec, x, x, got, n, want);
}

/* The old ss_fmt_bw, printf all the way: the reference. */
static void bw_ref(char *buf, double bw)
{
	if (bw >= 1e12)
		snprintf(buf, 64, "%.3gT", bw / 1e12);
	else if (bw >= 1e9)
		snprintf(buf, 64, "%.3gG", bw / 1e9);
	else if (bw >= 1e6)
		snprintf(buf, 64, "%.3gM", bw / 1e6);
	else if (bw >= 1e3)
		snprintf(buf, 64, "%.3gk", bw / 1e3);
	else
		snprintf(buf, 64, "%g", bw);
}

static void check_bw(double bw)
{
	char want[64], got[64];
	size_t n;

	bw_ref(want, bw);
	n = ss_fmt_bw(got, bw, false);
	if (strcmp(got, want) || n != strlen(want))
		ck_abort_msg("bw %.17g: got '%s', want '%s'", bw, got, want);
}

static void check_ms(uint32_t us)
{
	char want[64], got[64];
	size_t n;

	snprintf(want, sizeof(want), "%g", (double)us / 1000);
	n = ss_fmt_usec_ms(got, us);
	if (strcmp(got, want) || n != strlen(want))
		ck_abort_msg("%u us: got '%s', want '%s'", us, got, want);
}

/* x and its neighbours a few ulps either way. */
static void check_around(double x, int prec)
{
	double lo = x, hi = x;

	check_g(x, prec);
	for (int i = 0; i < 3; i++) {
		lo = nextafter(lo, -INFINITY);
		hi = nextafter(hi, INFINITY);
		check_g(lo, prec);
		check_g(hi, prec);
	}
}

START_TEST(numfmt__edge_values)
{
	static const double v[] = {
		0.0, -0.0, 1.0, 0.5, 1.5, 2.5, 0.125, 0.375, 9.5, 99.5,
		999.9995, 9.9995, 99.995, 99999.95, 999999.5, 9999995.0,
		0.0001, 0.00009999995, 0.000099999, 0.001, 1e6, 1e21, 1e22,
		1e-10, 1e-11, 0x1p73, 0x1p72, 0x1p52, 0x1p53, 4294967.295,
		1234.5675, 0.00390625, 16777215.99609375, 1e15, 1e16,
		123456789.0, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -1.0, -1e-300,
		1e300, 5e-324, 4.9406564584124654e-324,
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (int p = 0; p <= 12; p++)
			check_around(v[i], p);
	check_g(INFINITY, 6);
	check_g(-INFINITY, 3);
	check_g(NAN, 6);
	check_g(-NAN, 3);
}
END_TEST

START_TEST(numfmt__rounding_boundaries_at_every_power_of_ten)
{
	/*
	 * For precision p the boundaries are d.ddd5 * 10^j: check each
	 * candidate digit string (all of them for p <= 3, a sample
	 * otherwise) and the doubles right around it.
	 */
	for (int p = 1; p <= 9; p++) {
		for (int j = -11; j <= 23; j++) {
			double scale = pow(10.0, j - p + 1);
			uint64_t lo = 1, hi = 10;

			for (int k = 1; k < p; k++) {
				lo *= 10;
				hi *= 10;
			}
			for (int n = 0; n < 400; n++) {
				uint64_t d = p <= 3 ? lo + (uint64_t)n % (hi - lo) :
					     lo + rnd() % (hi - lo);
				double x = ((double)d + 0.5) * scale;

				check_around(x, p);
				check_around((double)d * scale, p);
				if (p <= 3 && (uint64_t)n >= hi - lo)
					break;
			}
			/* the top: 9.99..95 rounds up into a new exponent */
			check_around((double)hi * scale - 0.5 * scale, p);
			check_around(pow(10.0, j), p);
		}
	}
}
END_TEST

START_TEST(numfmt__random_doubles_every_precision)
{
	/* exponents from below FAST_MIN to above FAST_MAX, random mantissas */
	for (int i = 0; i < 2000000; i++) {
		uint64_t r = rnd();
		uint64_t ex = 1023 - 40 + (rnd() % 120);
		double x = dbl_of((ex << 52) | (r & ((1ull << 52) - 1)));

		check_g(x, 1 + (int)(r >> 60) % 9);
	}
	/* short mantissas: exact ties are common there */
	for (int i = 0; i < 1000000; i++) {
		uint64_t r = rnd();
		uint64_t ex = 1023 - 36 + (rnd() % 110);
		uint64_t m = (r & ((1ull << 52) - 1)) & ~((1ull << (40 + r % 12)) - 1);
		double x = dbl_of((ex << 52) | m);

		check_g(x, 1 + (int)(r >> 60) % 9);
	}
	/* fully random bit patterns: subnormals, NaNs, negatives */
	for (int i = 0; i < 200000; i++)
		check_g(dbl_of(rnd()), 1 + (int)(rnd() % 9));
}
END_TEST

START_TEST(numfmt__milliseconds_exhaustive_low_and_random_high)
{
	for (uint32_t us = 0; us < 3000000; us++)
		check_ms(us);
	for (uint32_t us = 4294967295u - 200000; us != 0; us++)
		check_ms(us);
	for (int i = 0; i < 2000000; i++)
		check_ms((uint32_t)rnd());
	/* ties of the rounded digit: ...5 at the dropped position */
	for (uint32_t base = 1000000; base < 4000000000u; base = base * 3 + 7)
		for (uint32_t d = 0; d < 2000; d++)
			check_ms(base + d * 10 + 5);
}
END_TEST

START_TEST(numfmt__gains_over_256)
{
	char want[64], got[64];

	for (uint64_t i = 0; i < (1u << 22) + 4000000; i++) {
		uint32_t g = i < (1u << 22) ? (uint32_t)i : (uint32_t)rnd();

		snprintf(want, sizeof(want), "%g", (double)g / 256.0);
		ss_fmt_g(got, (double)g / 256.0, 6);
		if (strcmp(got, want))
			ck_abort_msg("gain %u: got '%s', want '%s'", g, got,
				     want);
	}
}
END_TEST

START_TEST(numfmt__bandwidths_like_ss)
{
	/* bbr bw, pacing and delivery rates: u64 bytes/s * 8 */
	for (int i = 0; i < 3000000; i++) {
		uint64_t r = rnd();

		check_bw((double)(r >> (rnd() % 64)) * 8.0);
	}
	/* send: cwnd * mss * 8e6 / rtt */
	for (int i = 0; i < 2000000; i++) {
		uint32_t cwnd = (uint32_t)(rnd() >> (32 + rnd() % 32));
		uint32_t mss = (uint32_t)(rnd() % 65536);
		uint32_t rtt = (uint32_t)(rnd() >> (32 + rnd() % 32));

		if (!rtt)
			rtt = 1;
		check_bw((double)cwnd * (double)mss * 8000000. / (double)rtt);
	}
	/* unit switches and 3-digit rounding edges */
	for (int j = 0; j <= 21; j++) {
		for (int d = 100; d < 1000; d++) {
			double x = ((double)d + 0.5) * pow(10.0, j - 2);

			check_bw(x);
			check_bw(nextafter(x, 0));
			check_bw(nextafter(x, INFINITY));
			check_bw((double)d * pow(10.0, j - 2));
		}
		check_bw(nextafter(pow(10.0, j), 0));
		check_bw(pow(10.0, j));
		check_bw(999.5 * pow(10.0, j));
		check_bw(nextafter(999.5 * pow(10.0, j), 0));
	}
	check_bw(0.0);
	check_bw(1.8446744073709552e19 * 8.0);
	check_bw(INFINITY);
	check_bw(NAN);
}
END_TEST

START_TEST(numfmt__integers_and_the_16_bit_cut)
{
	static char mem[SS_FIELD_MAX];
	struct ss_field f = { .buf = mem };
	char want[48];

	for (int i = 0; i < 3000000; i++) {
		uint64_t v = i < 100000 ? (uint64_t)i : rnd() >> (rnd() % 64);
		int64_t sv = (int64_t)rnd() >> (rnd() % 64);

		f.len = 0;
		ss_put_u64(&f, v);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		if (f.len != strlen(want) || memcmp(f.buf, want, f.len))
			ck_abort_msg("%s: got '%.*s'", want, (int)f.len, f.buf);
		f.len = 0;
		ss_put_i64(&f, sv);
		snprintf(want, sizeof(want), "%lld", (long long)sv);
		if (f.len != strlen(want) || memcmp(f.buf, want, f.len))
			ck_abort_msg("%s: got '%.*s'", want, (int)f.len, f.buf);
	}
	/* near the cut the digits are trimmed, as ss trims its token */
	for (uint32_t room = 0; room < 24; room++) {
		f.len = SS_FIELD_MAX - room;
		ss_put_u64(&f, 12345678901234567890ull);
		ck_assert_uint_eq(f.len, SS_FIELD_MAX - room + (room < 20 ? room : 20));
		ck_assert(!memcmp(mem + SS_FIELD_MAX - room, "12345678901234567890",
				  room < 20 ? room : 20));
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ss_numfmt");
	TCase *tc = tcase_create("core");

	/* millions of snprintf calls per test */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, numfmt__edge_values);
	tcase_add_test(tc, numfmt__rounding_boundaries_at_every_power_of_ten);
	tcase_add_test(tc, numfmt__random_doubles_every_precision);
	tcase_add_test(tc, numfmt__milliseconds_exhaustive_low_and_random_high);
	tcase_add_test(tc, numfmt__gains_over_256);
	tcase_add_test(tc, numfmt__bandwidths_like_ss);
	tcase_add_test(tc, numfmt__integers_and_the_16_bit_cut);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
