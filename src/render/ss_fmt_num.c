// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "%.<P>g" without printf. With -i, printf's floating point path was the
 * largest user-space cost per socket (bandwidths, gains, milliseconds).
 *
 * The result must equal printf's byte for byte, so this is exact, not
 * approximate: a double is m * 2^e with integer m, so x * 10^k is the
 * fraction num / den of two integers, and one 128-bit division gives the
 * P significant digits and the exact remainder. The remainder decides
 * the rounding, ties going to the even digit as printf does in the
 * default rounding mode. Values outside the range where num and den
 * provably fit 128 bits (and NaN, infinities, negatives) go to snprintf.
 */
#include "ss_fmt.h"

#include <math.h>
#include <stdio.h>

__extension__ typedef unsigned __int128 u128;

/* x * 10^k fits 128 bits only inside these bounds; see the comments below. */
#define FAST_MIN 1e-10
#define FAST_MAX 0x1p73
#define PREC_MAX 9

static const uint64_t pow10_tab[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull, 10000000000000ull,
	100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
	10000000000000000000ull,
};

static size_t fmt_g_slow(char *buf, double x, int prec)
{
	return (size_t)snprintf(buf, 64, "%.*g", prec, x);
}

/*
 * Rounds x to prec significant digits: *q gets them (prec digits, the
 * first nonzero) and the return value is the decimal exponent of the
 * first one, as %e would print it.
 */
static int round_digits(double x, int prec, uint64_t *q)
{
	uint64_t bits, m, lo = pow10_tab[prec - 1], hi = pow10_tab[prec];
	int e, dexp = (int)floor(log10(x));
	u128 num, den, dq, r;

	memcpy(&bits, &x, sizeof(bits));
	/* FAST_MIN keeps x normal: the implicit bit is there */
	m = (bits & ((1ull << 52) - 1)) | (1ull << 52);
	e = (int)((bits >> 52) & 0x7ff) - 1075;
	/*
	 * log10 may be off by one next to a power of ten; the digit count
	 * of the quotient says which way, so this loop runs once or twice.
	 */
	for (;;) {
		int k = prec - 1 - dexp;

		/*
		 * Bounds: e >= 0 means x >= 2^52 > 10^prec, so k < 0, and
		 * num = m 2^e < FAST_MAX, den = 10^-k <= 10^22. e < 0: den =
		 * 2^-e <= 2^86 (x >= FAST_MIN); k >= 0 then has k <= prec + 9,
		 * num < 2^53 10^18; k < 0 has x >= 10, -e <= 49, -k <= 15.
		 */
		num = m;
		den = 1;
		if (e >= 0)
			num <<= e;
		else
			den <<= -e;
		if (k >= 0) {
			num *= pow10_tab[k];
		} else if (-k < 20) {
			den *= pow10_tab[-k];
		} else {
			den *= pow10_tab[19];
			den *= pow10_tab[-k - 19];
		}
		dq = num / den;
		if (dq < lo) {
			dexp--;
			continue;
		}
		if (dq >= hi) {
			dexp++;
			continue;
		}
		break;
	}
	r = num - dq * den;
	*q = (uint64_t)dq;
	if (2 * r > den || (2 * r == den && (*q & 1)))
		(*q)++;
	if (*q == hi) {
		*q = lo;
		dexp++;
	}
	return dexp;
}

size_t ss_fmt_g(char *buf, double x, int prec)
{
	char dig[24], *o = buf;
	uint64_t q;
	int dexp, nd;

	if (prec == 0)
		prec = 1;
	if (x == 0 && !signbit(x)) {
		memcpy(buf, "0", 2);
		return 1;
	}
	if (prec < 0 || prec > PREC_MAX || !(x >= FAST_MIN && x < FAST_MAX))
		return fmt_g_slow(buf, x, prec);
	dexp = round_digits(x, prec, &q);
	ss_u64_rev(dig + prec, q);
	/* %g drops trailing zeros; the first digit is never zero */
	for (nd = prec; dig[nd - 1] == '0'; nd--)
		;
	if (dexp < -4 || dexp >= prec) {
		unsigned ex = (unsigned)(dexp < 0 ? -dexp : dexp);

		*o++ = dig[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)nd - 1);
			o += nd - 1;
		}
		*o++ = 'e';
		*o++ = dexp < 0 ? '-' : '+';
		if (ex >= 100)
			*o++ = (char)('0' + ex / 100);
		*o++ = (char)('0' + ex / 10 % 10);
		*o++ = (char)('0' + ex % 10);
	} else if (dexp < 0) {
		memcpy(o, "0.0000", (size_t)(1 - dexp));
		o += 1 - dexp;
		memcpy(o, dig, (size_t)nd);
		o += nd;
	} else {
		int ip = dexp + 1;

		memcpy(o, dig, (size_t)ip);
		o += ip;
		if (nd > ip) {
			*o++ = '.';
			memcpy(o, dig + ip, (size_t)(nd - ip));
			o += nd - ip;
		}
	}
	*o = '\0';
	return (size_t)(o - buf);
}
