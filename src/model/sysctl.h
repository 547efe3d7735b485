/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_SYSCTL_H
#define SOCKVET_MODEL_SYSCTL_H

/*
 * The sysctls the triage rules read, one sample's values. A sysctl the
 * kernel does not have (or that a container hides) is recorded as
 * missing with the reason, never as 0: "somaxconn is 0" and "somaxconn
 * could not be read" lead to different verdicts.
 *
 * scope says where a change takes effect (kernel-facts.md "Which sysctls"): a per-netns
 * setting changed inside a container changes only that container; a
 * host-wide one (tcp_mem, tcp_max_orphans, file-max, nf_conntrack_max)
 * can only be changed on the host.
 */

#include <stdbool.h>
#include <stdint.h>

enum sysctl_id {
	SYSCTL_SOMAXCONN,
	SYSCTL_TCP_MAX_SYN_BACKLOG,
	SYSCTL_TCP_SYNCOOKIES,
	SYSCTL_TCP_ABORT_ON_OVERFLOW,
	SYSCTL_IP_LOCAL_PORT_RANGE,
	SYSCTL_IP_LOCAL_RESERVED_PORTS,
	SYSCTL_TCP_TW_REUSE,
	SYSCTL_TCP_FIN_TIMEOUT,
	SYSCTL_TCP_MAX_TW_BUCKETS,
	SYSCTL_TCP_MAX_ORPHANS,
	SYSCTL_TCP_MEM,
	SYSCTL_TCP_RMEM,
	SYSCTL_TCP_WMEM,
	SYSCTL_NF_CONNTRACK_MAX,
	SYSCTL_FILE_MAX,
	SYSCTL_NR_OPEN,
	SYSCTL_TCP_ORPHAN_RETRIES,
	SYSCTL_RMEM_MAX,
	SYSCTL_RMEM_DEFAULT,
	SYSCTL_MAX,
};

enum sysctl_scope {
	SYSCTL_NETNS,   /* per network namespace */
	SYSCTL_HOST,    /* host-wide */
};

#define SYSCTL_VALS 3
#define SYSCTL_TEXT_MAX 256

struct sysctl_val {
	bool present;
	int err;                 /* errno when not present */
	unsigned n;              /* numbers parsed into v[] */
	int64_t v[SYSCTL_VALS];
	char text[SYSCTL_TEXT_MAX]; /* raw text, trailing newline removed */
};

struct sysctl_set {
	struct sysctl_val val[SYSCTL_MAX];
};

struct sysctl_def {
	const char *name;        /* dotted, as `sysctl` takes it */
	enum sysctl_scope scope;
};

extern const struct sysctl_def sysctl_defs[SYSCTL_MAX];

/* Ports a listener-less client may use: the range minus reserved ports
 * inside it. false when the range is missing. */
bool sysctl_ephemeral_ports(const struct sysctl_set *s, uint32_t *count);

#endif
