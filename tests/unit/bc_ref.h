/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_BC_REF_H
#define SOCKVET_TEST_BC_REF_H

/*
 * A model of the kernel's side of inet_diag bytecode, for the compiler's
 * tests and fuzz target: bc_ref_audit() is what inet_diag_bc_audit()
 * refuses with EINVAL (net/ipv4/inet_diag.c, 6.x: op lengths, jump
 * targets on op boundaries or 4 past the end, multiples of 4, hostcond
 * family/prefix), bc_ref_run() what inet_diag_bc_run() answers for one
 * socket. Written from the kernel's documented behaviour, kept apart
 * from src/ on purpose: a test that reused the compiler's own idea of
 * the format could not catch its mistakes.
 */

#include <linux/inet_diag.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* What the kernel knows of a socket when it runs the program. */
struct bc_ref_sock {
	uint8_t family;
	const uint8_t *saddr, *daddr;   /* 4 or 16 bytes, network order */
	uint16_t sport, dport;
	uint32_t ifindex, mark;
	uint64_t cgroup_id;
	bool port_locked;               /* SOCK_BINDPORT_LOCK in userlocks */
};

static inline struct inet_diag_bc_op bc_ref_op(const uint8_t *p)
{
	struct inet_diag_bc_op op;

	memcpy(&op, p, sizeof(op));
	return op;
}

/* Is a jump that leaves cc bytes to go on an op boundary? */
static inline bool bc_ref_valid_cc(const uint8_t *bc, int len, int cc)
{
	while (len >= 0) {
		struct inet_diag_bc_op op = bc_ref_op(bc);

		if (cc > len)
			return false;
		if (cc == len)
			return true;
		if (op.yes < 4 || op.yes & 3)
			return false;
		len -= op.yes;
		bc += op.yes;
	}
	return false;
}

/* Bytes an op needs, or -1 when the kernel refuses it. */
static inline int bc_ref_min_len(const uint8_t *bc, int len)
{
	struct inet_diag_bc_op op = bc_ref_op(bc);
	struct inet_diag_hostcond hc;
	int min = (int)sizeof(op), alen;

	switch (op.code) {
	case INET_DIAG_BC_S_COND: case INET_DIAG_BC_D_COND:
		min += (int)sizeof(hc);
		if (len < min)
			return -1;
		memcpy(&hc, bc + sizeof(op), sizeof(hc));
		alen = hc.family == AF_UNSPEC ? 0 : hc.family == AF_INET ? 4 :
		       hc.family == AF_INET6 ? 16 : -1;
		if (alen < 0 || hc.prefix_len > 8 * alen)
			return -1;
		min += alen;
		break;
	case INET_DIAG_BC_DEV_COND: min += 4; break;
	case INET_DIAG_BC_S_EQ: case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_EQ: case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE:
		min += (int)sizeof(op);
		break;
	case INET_DIAG_BC_MARK_COND: min += (int)sizeof(struct inet_diag_markcond); break;
	case INET_DIAG_BC_CGROUP_COND: min += 8; break;
	case INET_DIAG_BC_AUTO: case INET_DIAG_BC_JMP: case INET_DIAG_BC_NOP: break;
	default: return -1;
	}
	return len < min ? -1 : min;
}

/* 0 when the kernel accepts the program, -1 when it answers EINVAL. */
static inline int bc_ref_audit(const uint8_t *code, int total)
{
	const uint8_t *bc = code;
	int len = total;

	while (len > 0) {
		struct inet_diag_bc_op op = bc_ref_op(bc);
		int min = bc_ref_min_len(bc, len);

		if (min < 0)
			return -1;
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min || op.no > len + 4 || (op.no & 3))
				return -1;
			if (op.no < len && !bc_ref_valid_cc(code, total, len - op.no))
				return -1;
		}
		if (op.yes < min || op.yes > len + 4 || (op.yes & 3))
			return -1;
		bc += op.yes;
		len -= op.yes;
	}
	return len == 0 ? 0 : -1;
}

static inline bool bc_ref_bits(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !rest || ((a[bytes] ^ b[bytes]) >> (8 - rest)) == 0;
}

static inline bool bc_ref_host(const uint8_t *op, const struct bc_ref_sock *s)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct inet_diag_hostcond hc;
	bool src = bc_ref_op(op).code == INET_DIAG_BC_S_COND;
	const uint8_t *addr = src ? s->saddr : s->daddr;
	const uint8_t *want = op + sizeof(struct inet_diag_bc_op) + sizeof(hc);

	memcpy(&hc, op + sizeof(struct inet_diag_bc_op), sizeof(hc));
	if (hc.port != -1 && hc.port != (src ? s->sport : s->dport))
		return false;
	if (hc.family != AF_UNSPEC && hc.family != s->family)
		return s->family == AF_INET6 && hc.family == AF_INET &&
		       !memcmp(addr, mapped, 12) && bc_ref_bits(addr + 12, want, hc.prefix_len);
	return hc.prefix_len == 0 || bc_ref_bits(addr, want, hc.prefix_len);
}

/* One op's verdict on s. */
static inline bool bc_ref_cond(const uint8_t *p, const struct bc_ref_sock *s)
{
	struct inet_diag_bc_op op = bc_ref_op(p), arg = bc_ref_op(p + 4);
	struct inet_diag_markcond mc;
	uint32_t u32;
	uint64_t u64;

	switch (op.code) {
	case INET_DIAG_BC_JMP: return false;
	case INET_DIAG_BC_S_EQ: return s->sport == arg.no;
	case INET_DIAG_BC_S_GE: return s->sport >= arg.no;
	case INET_DIAG_BC_S_LE: return s->sport <= arg.no;
	case INET_DIAG_BC_D_EQ: return s->dport == arg.no;
	case INET_DIAG_BC_D_GE: return s->dport >= arg.no;
	case INET_DIAG_BC_D_LE: return s->dport <= arg.no;
	case INET_DIAG_BC_AUTO: return !s->port_locked;
	case INET_DIAG_BC_S_COND: case INET_DIAG_BC_D_COND: return bc_ref_host(p, s);
	case INET_DIAG_BC_DEV_COND:
		memcpy(&u32, p + 4, 4);
		return u32 == s->ifindex;
	case INET_DIAG_BC_MARK_COND:
		memcpy(&mc, p + 4, sizeof(mc));
		return (s->mark & mc.mask) == mc.mark;
	case INET_DIAG_BC_CGROUP_COND:
		memcpy(&u64, p + 4, 8);
		return u64 == s->cgroup_id;
	}
	return true;   /* NOP */
}

/* Does the program accept s? (Call bc_ref_audit() first.) */
static inline bool bc_ref_run(const uint8_t *bc, int len, const struct bc_ref_sock *s)
{
	while (len > 0) {
		struct inet_diag_bc_op op = bc_ref_op(bc);
		int step = bc_ref_cond(bc, s) ? op.yes : op.no;

		bc += step;
		len -= step;
	}
	return len == 0;
}

#endif
