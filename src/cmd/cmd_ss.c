// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet ss`: the iproute2 ss command line over sockvet's collector.
 *
 * Which tables, families and states a command line selects follows ss
 * 6.1 exactly, because users carry their muscle memory over: a table
 * flag (-t, -u, ...) adds that table and its default states, a family
 * flag (-4, -x, -f) adds the family, its tables (when none of them was
 * named) and its default states, -a/-l/state words replace the states,
 * and the last family flag decides which inet families are dumped. The
 * facts behind these tables were checked against /usr/bin/ss 6.1 in a
 * namespace (docs/testing.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_netns.h"
#include "../collect/cgroup.h"
#include "../collect/netns.h"
#include "../collect/nlcomm.h"
#include "../collect/procmap.h"
#include "../collect/sockdiag.h"
#include "../filter/filter.h"
#include "ss_env.h"
#include "ss_filter.h"
#include "../import/dumpfile.h"
#include "../model/counters.h"
#include "../render/ss_view.h"
#include "../util/strbuf.h"

/* ss's socket "databases": finer than our collector's tables. */
enum ss_db {
	DB_TCP, DB_UDP, DB_RAW, DB_UNIX_ST, DB_UNIX_DG, DB_UNIX_SQ,
	DB_PACKET_R, DB_PACKET_DG, DB_NETLINK, DB_MPTCP,
	/* Accepted for compatibility, never listed (see BUGS in the man page). */
	DB_DCCP, DB_SCTP, DB_VSOCK_ST, DB_VSOCK_DG, DB_XDP,
	DB_MAX,
};
#define DBM(d) (1u << (d))
#define DBM_UNIX (DBM(DB_UNIX_ST) | DBM(DB_UNIX_DG) | DBM(DB_UNIX_SQ))
#define DBM_PACKET (DBM(DB_PACKET_R) | DBM(DB_PACKET_DG))
#define DBM_VSOCK (DBM(DB_VSOCK_ST) | DBM(DB_VSOCK_DG))
#define DBM_INET (DBM(DB_TCP) | DBM(DB_UDP) | DBM(DB_RAW) | DBM(DB_DCCP) | \
		  DBM(DB_SCTP) | DBM(DB_MPTCP))
#define DBM_ALL (DBM_INET | DBM_UNIX | DBM_PACKET | DBM(DB_NETLINK) | \
		 DBM_VSOCK | DBM(DB_XDP))

/* ss's state bits are the kernel's TCP states; 6.1 knows bits 0..11. */
#define ST(s) (1u << (s))
#define SS_ALL_6_1 0xfffu
#define SS_CONN (SS_ALL_6_1 & ~(ST(SS_LISTEN) | ST(SS_CLOSE) | \
				ST(SS_TIME_WAIT) | ST(SS_SYN_RECV)))

#define FAM(af) (1ull << (af))
#define FAM_INET46 (FAM(AF_INET) | FAM(AF_INET6))

struct db_default {
	uint32_t states;
	uint64_t families;
};

static const struct db_default db_defaults[DB_MAX] = {
	[DB_TCP] = { SS_CONN, FAM_INET46 },
	[DB_UDP] = { ST(SS_ESTABLISHED), FAM_INET46 },
	[DB_RAW] = { ST(SS_ESTABLISHED), FAM_INET46 },
	[DB_UNIX_ST] = { SS_CONN, FAM(AF_UNIX) },
	[DB_UNIX_DG] = { ST(SS_CLOSE), FAM(AF_UNIX) },
	[DB_UNIX_SQ] = { SS_CONN, FAM(AF_UNIX) },
	[DB_PACKET_R] = { ST(SS_CLOSE), FAM(AF_PACKET) },
	[DB_PACKET_DG] = { ST(SS_CLOSE), FAM(AF_PACKET) },
	[DB_NETLINK] = { ST(SS_CLOSE), FAM(AF_NETLINK) },
	[DB_MPTCP] = { SS_CONN, FAM_INET46 },
	[DB_DCCP] = { SS_CONN, FAM_INET46 },
	[DB_SCTP] = { SS_CONN, FAM_INET46 },
	[DB_VSOCK_ST] = { SS_CONN, FAM(AF_VSOCK) },
	[DB_VSOCK_DG] = { SS_CONN, FAM(AF_VSOCK) },
	[DB_XDP] = { ST(SS_CLOSE), FAM(AF_XDP) },
};

struct af_default {
	int af;
	unsigned dbs;
	uint32_t states;
};

static const struct af_default af_defaults[] = {
	{ AF_INET, DBM_INET, SS_CONN },
	{ AF_INET6, DBM_INET, SS_CONN },
	{ AF_UNIX, DBM_UNIX, SS_CONN },
	{ AF_PACKET, DBM_PACKET, ST(SS_CLOSE) },
	{ AF_NETLINK, DBM(DB_NETLINK), ST(SS_CLOSE) },
	{ AF_VSOCK, DBM_VSOCK, SS_CONN },
	{ AF_XDP, DBM(DB_XDP), ST(SS_CLOSE) },
};

/* -A / --query names, as ss 6.1 takes them. */
static const struct {
	const char *name;
	unsigned dbs;
} db_names[] = {
	{ "all", DBM_ALL },
	{ "inet", DBM_INET },
	{ "tcp", DBM(DB_TCP) },
	{ "udp", DBM(DB_UDP) },
	{ "raw", DBM(DB_RAW) },
	{ "mptcp", DBM(DB_MPTCP) },
	{ "dccp", DBM(DB_DCCP) },
	{ "sctp", DBM(DB_SCTP) },
	{ "unix", DBM_UNIX },
	{ "unix_stream", DBM(DB_UNIX_ST) },
	{ "u_str", DBM(DB_UNIX_ST) },
	{ "unix_dgram", DBM(DB_UNIX_DG) },
	{ "u_dgr", DBM(DB_UNIX_DG) },
	{ "unix_seqpacket", DBM(DB_UNIX_SQ) },
	{ "u_seq", DBM(DB_UNIX_SQ) },
	{ "packet", DBM_PACKET },
	{ "packet_raw", DBM(DB_PACKET_R) },
	{ "p_raw", DBM(DB_PACKET_R) },
	{ "packet_dgram", DBM(DB_PACKET_DG) },
	{ "p_dgr", DBM(DB_PACKET_DG) },
	{ "netlink", DBM(DB_NETLINK) },
	{ "vsock", DBM_VSOCK },
	{ "vsock_stream", DBM(DB_VSOCK_ST) },
	{ "v_str", DBM(DB_VSOCK_ST) },
	{ "vsock_dgram", DBM(DB_VSOCK_DG) },
	{ "v_dgr", DBM(DB_VSOCK_DG) },
	{ "xdp", DBM(DB_XDP) },
};

/* -f / --family names. */
static const struct {
	const char *name;
	int af;
} family_names[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "link", AF_PACKET },
	{ "unix", AF_UNIX }, { "netlink", AF_NETLINK }, { "vsock", AF_VSOCK },
	{ "xdp", AF_XDP },
};

struct ss_cmdline {
	struct ss_view view;
	unsigned dbs;
	uint32_t states;         /* accumulated table/family defaults */
	uint32_t state_filter;   /* -a, -l, or state words; 0 = none */
	uint64_t families;
	int preferred_family;
	bool do_default;
	bool saw_query;
	bool do_summary;
	bool json;
	bool json_pretty;
	const char *dump_path;
	const char *replay_path;
	const char *netns;
	bool all_netns;
	const char *filter_file;
	int n_expr;              /* words left after the state words */
	char **expr;
	struct ss_filter *filter;  /* the expression, or NULL (ss_filter.c) */
};

static const char ss_usage[] =
	"Usage: sockvet ss [ OPTIONS ]\n"
	"       sockvet ss [ OPTIONS ] [ FILTER ]\n";
static const char ss_footer[] =
	"\n   FILTER := [ state STATE-FILTER ] [ exclude STATE-FILTER ] [ EXPRESSION ]\n"
	"   STATE-FILTER := all | connected | synchronized | bucket | big |\n"
	"                   established | syn-sent | syn-recv | fin-wait-1 |\n"
	"                   fin-wait-2 | time-wait | closed | close-wait |\n"
	"                   last-ack | listening | closing\n"
	"   EXPRESSION: src/dst/sport/dport/dev/fwmark/cgroup/autobound conditions\n"
	"   (sent to the kernel as bytecode) and the extensions (recv-q, send-q,\n"
	"   rtt, fill, ...; user space). See FILTERS in sockvet(8).\n";

static void set_db(struct ss_cmdline *c, enum ss_db db)
{
	c->states |= db_defaults[db].states;
	c->dbs |= DBM(db);
	c->do_default = false;
}

static void set_af(struct ss_cmdline *c, int af)
{
	size_t i;

	for (i = 0; i < sizeof(af_defaults) / sizeof(af_defaults[0]); i++)
		if (af_defaults[i].af == af)
			c->states |= af_defaults[i].states;
	c->families |= FAM(af);
	c->do_default = false;
	c->preferred_family = af;
}

/* A table with none of its families gets them all; a family with none of
 * its tables gets them all. */
static void merge_defaults(struct ss_cmdline *c)
{
	size_t i;
	int db;

	for (db = 0; db < DB_MAX; db++)
		if ((c->dbs & DBM(db)) && !(db_defaults[db].families & c->families))
			c->families |= db_defaults[db].families;
	for (i = 0; i < sizeof(af_defaults) / sizeof(af_defaults[0]); i++)
		if ((c->families & FAM(af_defaults[i].af)) && !(af_defaults[i].dbs & c->dbs))
			c->dbs |= af_defaults[i].dbs;
}

/*
 * The tables, families and states the options add up to, defaults
 * filled in as ss does. false (and ss's note on stderr) when nothing is
 * left to show, which is not an error.
 */
static bool select_sockets(struct ss_cmdline *c)
{
	if (c->do_default) {
		c->state_filter = c->state_filter ? c->state_filter : SS_CONN;
		c->dbs = DBM_ALL;
		for (int db = 0; db < DB_MAX; db++)
			c->states |= db_defaults[db].states;
	}
	if (c->state_filter)
		c->states = c->state_filter;
	merge_defaults(c);
	if (!c->dbs)
		fprintf(stderr, "sockvet: no socket tables to show with such filter.\n");
	else if (!c->families)
		fprintf(stderr, "sockvet: no families to show with such filter.\n");
	else if (!c->states)
		fprintf(stderr, "sockvet: no socket states to show with such filter.\n");
	else
		return true;
	return false;
}

/* -A / --query / --socket: a comma list of table names. */
static int opt_query(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct ss_cmdline *c = opt->value;
	char buf[256];
	char *p, *comma;
	size_t i;

	if (!c->saw_query) {
		c->dbs = 0;
		c->state_filter = c->state_filter ? c->state_filter : SS_CONN;
		c->saw_query = true;
		c->do_default = false;
	}
	if (strlen(arg) >= sizeof(buf))
		return error_set(err, "query too long: '%s'", arg);
	strcpy(buf, arg);
	for (p = buf; p; p = comma ? comma + 1 : NULL) {
		/* ss: a leading '!' takes the tables out again, in list order. */
		bool drop = *p == '!';

		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		for (i = 0; i < sizeof(db_names) / sizeof(db_names[0]); i++)
			if (!strcmp(p + drop, db_names[i].name))
				break;
		if (i == sizeof(db_names) / sizeof(db_names[0]))
			return error_set(err, "\"%s\" is illegal socket table id", p);
		c->dbs = drop ? c->dbs & ~db_names[i].dbs : c->dbs | db_names[i].dbs;
	}
	return PARSE_CB_OK;
}

/* -f / --family NAME. */
static int opt_family(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	size_t i;

	for (i = 0; i < sizeof(family_names) / sizeof(family_names[0]); i++) {
		if (!strcmp(arg, family_names[i].name)) {
			set_af(opt->value, family_names[i].af);
			return PARSE_CB_OK;
		}
	}
	return error_set(err, "\"%s\" is invalid family", arg);
}

/* -4, -6, -0, -x: the family is the row's defval. */
static int opt_af(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	(void)arg;
	(void)err;
	set_af(opt->value, (int)opt->defval);
	return PARSE_CB_OK;
}

/* -t, -M, -u, -w: the table is the row's defval. */
static int opt_db(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	(void)arg;
	(void)err;
	set_db(opt->value, (enum ss_db)opt->defval);
	return PARSE_CB_OK;
}

/* -a, -l: the state mask is the row's defval. */
static int opt_states(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct ss_cmdline *c = opt->value;

	(void)arg;
	(void)err;
	c->state_filter = (uint32_t)opt->defval;
	return PARSE_CB_OK;
}

/* -e shows the timers too; -T the process column too. */
static int opt_extended(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct ss_view *v = opt->value;

	(void)arg;
	(void)err;
	v->timers = true;
	v->extended = true;
	return PARSE_CB_OK;
}

static int opt_threads(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct ss_view *v = opt->value;

	(void)arg;
	(void)err;
	v->show_threads = true;
	v->show_proc = true;
	return PARSE_CB_OK;
}

/* The state and group names are the filter module's (src/filter). */
static int scan_state(const char *word, uint32_t *mask)
{
	if (filter_state_word(word, mask, NULL) == 0)
		return 0;
	return cmd_fail(SV_EXIT_USAGE, "wrong state name: %s", word);
}

/* `state X` / `exclude X` words after the options: 0, or the usage error's exit status. */
static int parse_state_words(struct ss_cmdline *c, int argc, char **argv)
{
	bool saw_states = false;
	int rc;

	while (argc > 0) {
		uint32_t m = 0;
		bool excl;

		if (!strcmp(argv[0], "state"))
			excl = false;
		else if (!strcmp(argv[0], "exclude") || !strcmp(argv[0], "excl"))
			excl = true;
		else
			break;
		if (argc < 2)
			return cmd_fail(SV_EXIT_USAGE, "'%s' needs a state name", argv[0]);
		if ((rc = scan_state(argv[1], &m)))
			return rc;
		if (!saw_states)
			c->state_filter = excl ? SS_ALL_6_1 : 0;
		if (excl)
			c->state_filter &= ~m;
		else
			c->state_filter |= m;
		saw_states = true;
		argc -= 2;
		argv += 2;
	}
	c->n_expr = argc;
	c->expr = argv;
	return 0;
}

/* What the options cannot say together: 0, or the usage error's exit status. */
static int check_args(const struct ss_cmdline *c)
{
	if (c->dump_path && c->replay_path)
		return cmd_fail(SV_EXIT_USAGE, "-D and --replay cannot be combined");
	if (c->json_pretty && !c->json)
		return cmd_fail(SV_EXIT_USAGE, "--pretty goes with --json");
	if (c->json && c->do_summary)
		return cmd_fail(SV_EXIT_USAGE, "--json with -s is not supported yet");
	if (c->all_netns && (c->netns || c->dump_path || c->replay_path || c->do_summary))
		return cmd_fail(SV_EXIT_USAGE, "--all-netns lists live sockets: not with -N, -D, "
				"--replay or -s");
	return SV_EXIT_OK;
}

/* The protocols whose service names a filter port may use (ss: dbs). */
static unsigned svc_protos(const struct ss_cmdline *c)
{
	return (c->dbs & DBM(DB_TCP) ? FILTER_SVC_TCP : 0) |
	       (c->dbs & DBM(DB_UDP) ? FILTER_SVC_UDP : 0);
}

/* 0 to list, or -1 with *code the exit status (help, version, usage error). */
static int parse_args(struct ss_cmdline *c, int argc, char **argv, int *code)
{
	struct ss_view *v = &c->view;
	/* --help lists the rows in this order; t10-cli.t holds the man page to it. */
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_CALLBACK('V', "version", (void *)" (ss-compatible with iproute2 6.1)", NULL,
			     "show the version", cmd_opt_version),
		OPT_BOOL('n', "numeric", &v->numeric, "do not resolve service names"),
		OPT_BOOL('r', "resolve", &v->resolve, "resolve host names"),
		OPT_CALLBACK_VAL('a', "all", c, SS_ALL_6_1, "display all sockets", opt_states),
		OPT_CALLBACK_VAL('l', "listening", c, ST(SS_LISTEN) | ST(SS_CLOSE),
				 "display listening sockets", opt_states),
		OPT_BOOL('o', "options", &v->timers, "show timer information"),
		OPT_CALLBACK('e', "extended", v, NULL, "show detailed socket information", opt_extended),
		OPT_BOOL('m', "memory", &v->mem, "show socket memory usage"),
		OPT_BOOL('p', "processes", &v->show_proc, "show processes using the socket"),
		OPT_CALLBACK('T', "threads", v, NULL, "show threads using the socket", opt_threads),
		OPT_BOOL('i', "info", &v->info, "show internal TCP information"),
		OPT_BOOL(0, "tos", &v->tos, "show tos and priority information"),
		OPT_BOOL('s', "summary", &c->do_summary, "show socket usage summary"),
		OPT_SET_BOOL('H', "no-header", &v->show_header, 0, "suppress the header line"),
		OPT_BOOL('O', "oneline", &v->oneline, "socket's data printed on a single line"),
		OPT_BOOL('j', "json", &c->json, "one JSON document instead of text"),
		OPT_BOOL(0, "pretty", &c->json_pretty, "indent JSON output (with --json)"),
		OPT_CALLBACK_VAL('4', "ipv4", c, AF_INET, "display only IP version 4 sockets", opt_af),
		OPT_CALLBACK_VAL('6', "ipv6", c, AF_INET6, "display only IP version 6 sockets", opt_af),
		OPT_CALLBACK_VAL('0', "packet", c, AF_PACKET, "display PACKET sockets", opt_af),
		OPT_CALLBACK_VAL('t', "tcp", c, DB_TCP, "display only TCP sockets", opt_db),
		OPT_CALLBACK_VAL('M', "mptcp", c, DB_MPTCP, "display only MPTCP sockets", opt_db),
		OPT_CALLBACK_VAL('u', "udp", c, DB_UDP, "display only UDP sockets", opt_db),
		OPT_CALLBACK_VAL('w', "raw", c, DB_RAW, "display only RAW sockets", opt_db),
		OPT_CALLBACK_VAL('x', "unix", c, AF_UNIX, "display only Unix domain sockets", opt_af),
		OPT_CALLBACK('f', "family", c, "FAMILY",
			     "inet, inet6, link, unix, netlink (vsock, xdp: accepted, never listed)", opt_family),
		OPT_CALLBACK('A', "query", c, "QUERY",
			     "comma list of all, inet, tcp, mptcp, udp, raw, unix, unix_stream, unix_dgram,\n"
			     "\t\t\tunix_seqpacket, packet, packet_raw, packet_dgram, netlink", opt_query),
		OPT_CALLBACK(0, "socket", c, "QUERY", NULL, opt_query),
		OPT_STRING('D', "diag", &c->dump_path, "FILE",
			   "dump raw TCP socket information to FILE (- for stdout), as ss -D"),
		OPT_STRING(0, "replay", &c->replay_path, "FILE",
			   "list TCP sockets from a dump written by -D (or ss -D; - for stdin) instead of the kernel"),
		OPT_STRING('N', "net", &c->netns, "NETNS", "switch to the network namespace NETNS"),
		OPT_BOOL(0, "all-netns", &c->all_netns,
			 "list every network namespace, each block after a '# netns INODE OWNER' line"),
		OPT_STRING('F', "filter", &c->filter_file, "FILE",
			   "read the filter expression from FILE (- for stdin)"),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "ss", .usage = ss_usage, .opts = opts, .width = 22, .footer = ss_footer,
	};
	int n;

	c->do_default = true;
	c->view.show_header = true;
	n = cmd_parse_options(&spec, argc, argv, code);
	if (n < 0)
		return -1;
	*code = parse_state_words(c, argc - n, argv + n);
	if (!*code)
		*code = check_args(c);
	if (!*code)
		*code = ss_filter_setup(&c->filter, c->n_expr, c->expr, c->filter_file,
					c->preferred_family, svc_protos(c), !c->replay_path);
	return *code ? -1 : 0;
}

struct ss_run {
	const struct ss_cmdline *c;
	struct ss_text *text;
	struct ss_json *json;
	struct procmap *pm;
	struct cgroup_map *cg;
	bool pm_failed;
	struct strbuf *err;
	uint64_t rows;
};

static bool row_selected(const struct ss_cmdline *c, const struct sock_rec *s)
{
	unsigned db;

	switch (s->netid) {
	case NETID_TCP: db = DB_TCP; break;
	case NETID_UDP: db = DB_UDP; break;
	case NETID_RAW: db = DB_RAW; break;
	case NETID_MPTCP: db = DB_MPTCP; break;
	case NETID_U_STR: db = DB_UNIX_ST; break;
	case NETID_U_DGR: db = DB_UNIX_DG; break;
	case NETID_U_SEQ: db = DB_UNIX_SQ; break;
	case NETID_P_RAW: db = DB_PACKET_R; break;
	case NETID_P_DGR: db = DB_PACKET_DG; break;
	case NETID_NL: db = DB_NETLINK; break;
	default: return false;
	}
	if (!(c->dbs & DBM(db)))
		return false;
	if (s->state >= 32 || !(c->states & ST(s->state)))
		return false;
	return true;
}

static int on_sock(const struct sock_rec *s, void *vctx)
{
	struct ss_run *r = vctx;
	const struct ss_cmdline *c = r->c;
	struct ss_row row = { .sock = s };
	struct sock_rec named;

	if (!row_selected(c, s))
		return SOCK_CB_OK;
	/* ss names a netlink socket's owner from this host's /proc: live rows only. */
	if (s->table == TBL_NETLINK && !c->replay_path) {
		named = *s;
		nlcomm_fill(&named, "/proc");
		row.sock = &named;
	}
	if ((c->view.show_proc || (ss_filter_needs(c->filter) & FILTER_NEED_PROCS)) &&
	    s->inode && !r->pm_failed) {
		/* Built on the first row that needs it, never for a listing
		 * whose rows have no owner to show. */
		if (!r->pm && procmap_build(&r->pm, "/proc", c->view.show_threads, r->err)) {
			r->pm_failed = true;
			return SOCK_CB_ERROR;
		}
		if (c->view.show_proc)
			row.n_owners = procmap_lookup(r->pm, s->inode, &row.owners);
	}
	if (!ss_filter_row(c->filter, row.sock, r->pm))
		return SOCK_CB_OK;
	if (c->view.extended && s->has_cgroup) {
		if (!r->cg && cgroup_map_new(&r->cg, "/proc", r->err))
			return SOCK_CB_ERROR;
		/* ss -N remounts /sys, losing the cgroup2 mount there. */
		if (c->netns)
			cgroup_map_without_sys(r->cg);
		row.cgroup_path = cgroup_map_path(r->cg, s->cgroup_id);
	}
	r->rows++;
	if (r->json)
		return ss_json_row(r->json, &row, r->err) ? SOCK_CB_ERROR : SOCK_CB_OK;
	return ss_text_row(r->text, &row, r->err) ? SOCK_CB_ERROR : SOCK_CB_OK;
}

static unsigned collector_tables(const struct ss_cmdline *c)
{
	unsigned t = 0;

	if ((c->dbs & DBM(DB_NETLINK)) && (c->families & FAM(AF_NETLINK)))
		t |= TBL_BIT(TBL_NETLINK);
	if ((c->dbs & DBM_PACKET) && (c->families & FAM(AF_PACKET)))
		t |= TBL_BIT(TBL_PACKET);
	if ((c->dbs & DBM_UNIX) && (c->families & FAM(AF_UNIX)))
		t |= TBL_BIT(TBL_UNIX);
	if (c->families & FAM_INET46) {
		if (c->dbs & DBM(DB_RAW))
			t |= TBL_BIT(TBL_RAW);
		if (c->dbs & DBM(DB_UDP))
			t |= TBL_BIT(TBL_UDP);
		if (c->dbs & DBM(DB_TCP))
			t |= TBL_BIT(TBL_TCP);
		if (c->dbs & DBM(DB_MPTCP))
			t |= TBL_BIT(TBL_MPTCP);
	}
	return t;
}

static void build_query(const struct ss_cmdline *c, struct diag_query *q)
{
	memset(q, 0, sizeof(*q));
	q->tables = collector_tables(c);
	/* ss dumps v4 then v6, or only the family named last by -4/-6. */
	if (c->preferred_family == AF_INET)
		q->families = DIAG_FAM_INET;
	else if (c->preferred_family == AF_INET6)
		q->families = DIAG_FAM_INET6;
	else
		q->families = DIAG_FAM_INET | DIAG_FAM_INET6;
	/* ... but its /proc/net/raw fallback reads every family flag given. */
	q->proc_families = (c->families & FAM(AF_INET) ? DIAG_FAM_INET : 0) |
			   (c->families & FAM(AF_INET6) ? DIAG_FAM_INET6 : 0);
	q->states = c->states;
	ss_filter_query(c->filter, q);
	q->needs = DIAG_NEED_UNIX_RQ;
	if (c->view.info || (ss_filter_needs(c->filter) & FILTER_NEED_TCPINFO))
		q->needs |= DIAG_NEED_INFO;
	if (c->view.mem)
		q->needs |= DIAG_NEED_MEM | DIAG_NEED_UNIX_MEM;
	if (c->view.tos)
		q->needs |= DIAG_NEED_TOS;
	if (c->view.extended)
		q->needs |= DIAG_NEED_UNIX_VFS;
}

static int run_dump(const struct ss_cmdline *c, struct strbuf *err)
{
	struct diag_query q;
	FILE *fp = stdout;
	int rc;

	build_query(c, &q);
	q.tables = TBL_BIT(TBL_TCP);
	if (strcmp(c->dump_path, "-")) {
		fp = fopen(c->dump_path, "w");
		if (!fp)
			return error_set(err, "cannot create '%s': %s", c->dump_path, strerror(errno));
	}
	q.record = fp;
	q.record_name = c->dump_path;
	rc = sockdiag_collect(&q, NULL, NULL, err);
	if (fflush(fp) && !rc)
		rc = error_set(err, "cannot write '%s': %s", c->dump_path, strerror(errno));
	if (fp != stdout && fclose(fp) && !rc)
		rc = error_set(err, "cannot write '%s': %s", c->dump_path, strerror(errno));
	return rc;
}

/* The renderer for a listing; 0, or -1 with the exit code in *ret (the message printed). */
static int open_renderer(struct ss_cmdline *c, struct ss_run *run, int *ret)
{
	int rc;

	c->view.show_netid = (c->dbs & (c->dbs - 1)) != 0;
	c->view.show_state = (c->states & (c->states - 1)) != 0;
	ss_env_terminal(&c->view);
	if (c->json) {
		c->view.tty = false;
		c->view.json_pretty = c->json_pretty;
		rc = ss_json_new(&run->json, &c->view, stdout, run->err);
	} else {
		rc = ss_text_new(&run->text, &c->view, stdout, run->err);
	}
	if (rc) {
		*ret = cmd_fail(SV_EXIT_FAILED, "%s", run->err->buf);
		return -1;
	}
	return 0;
}

/*
 * The rows, from the kernel of the current namespace or from a
 * recording. 0, or -1 with the exit code in *ret (the message printed).
 */
static int collect_rows(struct ss_cmdline *c, struct ss_run *run, struct diag_stats *stats,
			int *ret)
{
	struct strbuf *err = run->err;
	struct diag_query q;

	build_query(c, &q);
	q.stats = stats;
	c->view.tables = q.tables;
	ss_env_ephemeral(&c->view);
	if (c->replay_path) {
		/* A recording holds TCP sockets only, whatever the flags say. */
		struct dumpfile_filter df = { q.states, q.families };

		if (dumpfile_replay(c->replay_path, &df, on_sock, run, err)) {
			*ret = cmd_fail(run->pm_failed ? SV_EXIT_FAILED : SV_EXIT_DATA, "%s", err->buf);
			return -1;
		}
	} else if (sockdiag_collect(&q, on_sock, run, err)) {
		*ret = cmd_fail(SV_EXIT_FAILED, "%s", err->buf);
		return -1;
	}
	return 0;
}

/* --all-netns: netns_each's state and callback, one block per namespace. */
struct ss_allns {
	struct ss_cmdline *c;
	struct ss_run *run;
	struct diag_stats *stats;
	int ret;
};

static int ss_one_netns(struct netns_entry *e, void *ctx, struct strbuf *err)
{
	struct ss_allns *a = ctx;
	char label[NETNS_LABEL_MAX];
	int rc = 0;

	netns_label(e, label, sizeof(label));
	if (a->run->json)
		ss_json_set_netns(a->run->json, e->ino, label);
	else
		printf("# netns %llu %s\n", (unsigned long long)e->ino, label);
	if ((!a->run->json && open_renderer(a->c, a->run, &a->ret)) ||
	    collect_rows(a->c, a->run, a->stats, &a->ret))
		return error_set(err, "cannot list");
	if (a->run->text) {
		rc = ss_text_finish(a->run->text, err) || fflush(stdout);
		ss_text_free(a->run->text);
		a->run->text = NULL;
	}
	return rc ? error_set(err, "cannot write the listing") : 0;
}

/* -D and --replay: TCP only, and no user-space part in a recording. */
static int dump_usage(const struct ss_cmdline *c)
{
	if (!(c->dbs & DBM(DB_TCP)))
		return cmd_fail(SV_EXIT_USAGE, "%s TCP sockets and no tcp is in the filter",
				c->dump_path ? "-D dumps" : "--replay lists");
	/* The file holds what the kernel sent: it cannot apply send-q & co. */
	if (c->dump_path && ss_filter_user_part(c->filter))
		return cmd_fail(SV_EXIT_USAGE, "-D records what the kernel's filter selects; "
				"apply the extensions (send-q, rtt, pid, ...) to its --replay");
	return SV_EXIT_OK;
}

/* After the listing, on stderr: what the user should know about it. */
static void print_notes(const struct ss_cmdline *c, const struct ss_run *run,
			const struct diag_stats *stats)
{
	/* The rows of a torn attempt were already written: say so. */
	if (stats->intr_retries)
		fprintf(stderr, "sockvet: note: the kernel interrupted the socket dump %u time(s); "
			"it was retried, and rows from the interrupted attempt may repeat above\n",
			stats->intr_retries);
	if (c->view.show_proc && run->pm && procmap_unreadable(run->pm) && geteuid() != 0)
		fprintf(stderr, "sockvet: note: the sockets of %zu processes could not be "
			"attributed (their /proc/PID/fd is not readable; run as root)\n",
			procmap_unreadable(run->pm));
}

int cmd_ss(int argc, char **argv)
{
	struct ss_cmdline c;
	struct strbuf err = STRBUF_INIT;
	struct ss_run run = { .c = &c, .err = &err };
	struct diag_stats stats = { 0 };
	int rc, ret = SV_EXIT_FAILED;

	memset(&c, 0, sizeof(c));
	if (parse_args(&c, argc, argv, &ret))
		return ret;

	if (c.netns && netns_enter(c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
		goto out;
	}

	if (c.do_summary) {
		if (ss_env_summary(&err)) {
			ret = cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
			goto out;
		}
		if (c.do_default) {
			ret = SV_EXIT_OK;
			goto out;
		}
	}

	if (!select_sockets(&c)) {
		ret = SV_EXIT_OK;
		goto out;
	}

	if ((c.dump_path || c.replay_path) && (ret = dump_usage(&c)) != SV_EXIT_OK)
		goto out;
	if (c.dump_path) {
		ret = run_dump(&c, &err) ? cmd_fail(SV_EXIT_FAILED, "%s", err.buf) : SV_EXIT_OK;
		goto out;
	}

	if (c.all_netns) {
		struct ss_allns a = { &c, &run, &stats, SV_EXIT_OK };

		if (c.json && open_renderer(&c, &run, &ret))
			goto out;
		if (cmd_netns_each(ss_one_netns, &a, &err)) {
			ret = a.ret ? a.ret : cmd_fail(SV_EXIT_FAILED, "%s", err.buf);
			goto out;
		}
	} else if (open_renderer(&c, &run, &ret) || collect_rows(&c, &run, &stats, &ret)) {
		goto out;
	}
	rc = run.json ? ss_json_finish(run.json, &err) : run.text ? ss_text_finish(run.text, &err) : 0;
	if (rc || fflush(stdout) || ferror(stdout)) {
		ret = cmd_fail(SV_EXIT_FAILED, "%s", err.len ? err.buf : "cannot write the listing");
		goto out;
	}
	print_notes(&c, &run, &stats);
	ret = SV_EXIT_OK;
out:
	if (run.text)
		ss_text_free(run.text);
	if (run.json)
		ss_json_free(run.json);
	if (run.pm)
		procmap_free(run.pm);
	if (run.cg)
		cgroup_map_free(run.cg);
	ss_filter_free(c.filter);
	strbuf_release(&err);
	return ret;
}
