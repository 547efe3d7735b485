// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysctl importer: settings as people paste them.
 *
 * `sysctl -a` and `sysctl NAME...` (procps-ng 3.3 and 4.0, Debian 12
 * ships 4.0.2) print one setting a line, the dotted name, " = ", and
 * the value as the /proc/sys file holds it, several numbers separated by
 * TABs, a list kept as text, or nothing at all:
 *
 *   net.core.somaxconn = 4096
 *   net.ipv4.ip_local_port_range = 32768	60999
 *   net.ipv4.ip_local_reserved_ports =
 *   net.ipv4.tcp_mem = 18879	25173	37758
 *   fs.file-nr = 1088	0	9223372036854775807
 *
 * Variants:
 * - `name: value` (busybox and the BSD-style tools some scripts copy);
 *   `grep -r . /proc/sys/net/core` prints `/proc/sys/net/core/somaxconn:4096`.
 *   Names may come with slashes (sysctl accepts `net/core/somaxconn`).
 * - `sysctl -n NAME...` prints values only, one line per name in the
 *   order given; `cat /proc/sys/A /proc/sys/B` the same, per file. The
 *   command line names them, so a bare value is read only there.
 * - `sysctl: cannot stat /proc/sys/X: No such file or directory` (or
 *   cat's `cat: /proc/sys/X: No such file...`): the setting is missing
 *   (ENOENT), which is not 0; with -n it uses that name's turn.
 * - `sysctl -N` prints names only: nothing to read.
 * - `cat /etc/sysctl.conf` (or sysctl.d files) has the same lines, but
 *   they are what boot should set, not what runs: nothing is read.
 * - `ulimit -n` / `-Sn` / `-Hn` print `1024` or `unlimited`, and
 *   `ulimit -a` a row `open files (-n) 1024`. That is a shell's limit,
 *   not any process's: it goes in the note, never into the model.
 *
 * Which settings are kept is the model's table (sysctl_defs); values
 * are parsed by the collector's parser (sysctl_parse), so a pasted value
 * means what the live read would. Besides the table, fs.file-nr (the
 * file-handle count, HAVE_FILE_NR) and nf_conntrack_count (HAVE_CONNTRACK,
 * with nf_conntrack_max; its legacy alias net.nf_conntrack_max is the
 * same setting) are read. Any other name is skipped and counted; a known
 * name whose value does not parse (text, overflow, too long) is refused,
 * counted and named in the note, never stored as a wrapped number.
 */
#include "import.h"
#include "import_cmd.h"
#include "../collect/procfs.h"
#include "../collect/sysctl_read.h"
#include "../model/sample.h"
#include "../util/fmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 128
#define CMD_NAMES 16
#define LINE_MAX_LEN 1024         /* a name and its value fit; longer is not a setting */

enum { ID_FILE_NR = SYSCTL_MAX, ID_CT_COUNT, ID_UNKNOWN = -1 };

/* Settings read beside the model's table, and one alias of it. */
static const struct { const char *name; int id; } extra_names[] = {
	{ "fs.file-nr", ID_FILE_NR },
	{ "net.netfilter.nf_conntrack_count", ID_CT_COUNT },
	{ "net.nf_conntrack_max", SYSCTL_NF_CONNTRACK_MAX },
};

/* The first component of every sysctl name (for detection only). */
static const char *const top_levels[] = {
	"net", "fs", "kernel", "vm", "dev", "abi", "user", "debug", "crypto", "sunrpc",
};

enum src_kind { SRC_TEXT, SRC_SYSCTL, SRC_CAT, SRC_ULIMIT };

struct sysctl_import {
	struct sample_builder *b;
	enum src_kind src;
	bool bare;                        /* bare values take names[] in turn */
	bool names_only;                  /* sysctl -N */
	bool config;                      /* /etc/sysctl.conf: wanted, not running, values */
	bool hard;                        /* ulimit -H */
	const char *subset;
	char label[48];
	char names[CMD_NAMES][NAME_MAX_LEN];
	unsigned n_names, next_name;
	struct sysctl_set set;
	bool file_nr_seen, ct_count_seen;
	uint64_t file_nr[3], ct_count;
	char ulimit[24];
	uint64_t rows, skipped, unknown, refused;
	char refused_at[192];
};

/* "/proc/sys/net/core/somaxconn" or "net/core/somaxconn" -> dotted, in out. */
static bool name_norm(const char *s, size_t len, char out[NAME_MAX_LEN])
{
	if (len >= 10 && !memcmp(s, "/proc/sys/", 10))
		s += 10, len -= 10;
	if (!len || len >= NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = s[i] == '/' ? '.' : s[i];
	out[len] = '\0';
	return true;
}

static int name_id(const char *name)
{
	for (int i = 0; i < SYSCTL_MAX; i++)
		if (!strcmp(sysctl_defs[i].name, name))
			return i;
	for (size_t i = 0; i < sizeof(extra_names) / sizeof(extra_names[0]); i++)
		if (!strcmp(extra_names[i].name, name))
			return extra_names[i].id;
	return ID_UNKNOWN;
}

/* Dotted, at least two non-empty parts, the first a sysctl tree's. */
static bool name_shaped(const char *name)
{
	size_t top = strcspn(name, ".");
	bool known = false;

	if (!name[top])
		return false;
	for (size_t i = 0; i < sizeof(top_levels) / sizeof(top_levels[0]); i++)
		if (strlen(top_levels[i]) == top && !strncmp(name, top_levels[i], top))
			known = true;
	for (const char *p = name; known && *p; p++)
		if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
			return false;
	return known;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '/' || c == '*';
}

/*
 * Split "name = value" / "name: value" / "/proc/sys/x:value". false when
 * the line does not start with a sysctl-shaped name and a separator.
 */
static bool split_kv(const char *s, char name[NAME_MAX_LEN], const char **val)
{
	const char *p = s, *n0;

	while (*p == ' ' || *p == '\t')
		p++;
	n0 = p;
	while (name_char(*p))
		p++;
	if (!name_norm(n0, (size_t)(p - n0), name) || !name_shaped(name))
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=' && *p != ':')
		return false;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	*val = p;
	return true;
}

static void refuse(struct sysctl_import *st, const char *name, const struct import_pos *pos,
		   size_t col, const char *why)
{
	st->refused++;
	if (!st->refused_at[0])
		snprintf(st->refused_at, sizeof(st->refused_at), "%.48s:%u:%zu: %.64s %s", pos->file,
			 pos->line, col, name, why);
}

/* Up to `want` non-negative integers, none overflowing. */
static bool parse_u64s(const char *val, uint64_t *v, unsigned want)
{
	return !strchr(val, '-') && procfs_parse_u64s(val, v, want) == 0;
}

/* A value for a known id; col is the value's column, for the note. */
static void set_value(struct sysctl_import *st, int id, const char *name, const char *val,
		      const struct import_pos *pos, size_t col)
{
	struct strbuf e = STRBUF_INIT;
	struct sysctl_val v;
	uint64_t n[3];

	if (id == ID_FILE_NR || id == ID_CT_COUNT) {
		if (!parse_u64s(val, n, id == ID_FILE_NR ? 3 : 1)) {
			refuse(st, name, pos, col, "not a count");
			return;
		}
		if (id == ID_FILE_NR)
			memcpy(st->file_nr, n, sizeof(n)), st->file_nr_seen = true;
		else
			st->ct_count = n[0], st->ct_count_seen = true;
		st->rows++;
		return;
	}
	memset(&v, 0, sizeof(v));
	if (sysctl_parse(&v, val, name, id != SYSCTL_IP_LOCAL_RESERVED_PORTS, &e) < 0)
		refuse(st, name, pos, col, "not the numbers it holds");
	else
		st->set.val[id] = v, st->rows++;
	strbuf_release(&e);
}

/* "sysctl: cannot stat /proc/sys/X: No such file..." and cat's kind. */
static bool missing_line(struct sysctl_import *st, const char *s)
{
	const char *p = strstr(s, "/proc/sys/"), *end;
	char name[NAME_MAX_LEN];
	int id;

	if (!p || (strncmp(s, "sysctl: ", 8) && strncmp(s, "cat: ", 5)))
		return false;
	end = strchr(p, ':');
	if (!end || !name_norm(p, (size_t)(end - p), name))
		return false;
	id = name_id(name);
	if (id >= 0 && id < SYSCTL_MAX && !st->set.val[id].present)
		st->set.val[id].err = ENOENT;
	if (st->bare && st->next_name < st->n_names && !strcmp(st->names[st->next_name], name))
		st->next_name++;
	st->skipped++;
	return true;
}

/* ulimit: "1024", "unlimited", or ulimit -a's "open files (-n) 1024". */
static void ulimit_line(struct sysctl_import *st, const char *s)
{
	const char *v = strstr(s, "(-n)");
	char word[24];

	v = v ? v + 4 : s;
	if (sscanf(v, " %23s", word) == 1 && !st->ulimit[0] &&
	    (!strcmp(word, "unlimited") || strspn(word, "0123456789") == strlen(word)) &&
	    (strstr(s, "(-n)") || !strchr(s, ' '))) {
		snprintf(st->ulimit, sizeof(st->ulimit), "%s", word);
		st->rows++;
		return;
	}
	st->skipped++;
}

static int sysctl_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		       struct strbuf *err)
{
	struct sysctl_import *st = vst;
	char name[NAME_MAX_LEN], buf[LINE_MAX_LEN];
	const char *val;
	int id;

	(void)err;
	if (len >= sizeof(buf) || memchr(s, '\0', len) || strspn(s, " \t\r") == len) {
		st->skipped++;
		return 0;
	}
	memcpy(buf, s, len);
	while (len && (buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	s = buf;
	if (st->src == SRC_ULIMIT) {
		ulimit_line(st, s);
		return 0;
	}
	if (st->names_only || st->config) {
		st->skipped++;
		return 0;
	}
	if (missing_line(st, s))
		return 0;
	if (split_kv(s, name, &val)) {
		id = name_id(name);
	} else if (st->bare && st->next_name < st->n_names) {
		snprintf(name, sizeof(name), "%s", st->names[st->next_name++]);
		id = name_id(name);
		val = s + strspn(s, " \t");
	} else {
		st->skipped++;
		return 0;
	}
	if (id == ID_UNKNOWN) {
		st->unknown++;
		st->skipped++;
		return 0;
	}
	set_value(st, id, name, val, pos, (size_t)(val - s) + 1);
	return 0;
}

/* The names a `sysctl -n A B` or `cat /proc/sys/A /proc/sys/B` reads, in order. */
static void cmd_names(struct sysctl_import *st, const struct import_cmd *c)
{
	for (unsigned i = 0; i < c->argc && st->n_names < CMD_NAMES; i++) {
		const char *a = c->argv[i];
		size_t n = strcspn(a, "=");

		if (a[0] == '-' || (st->src == SRC_CAT && strncmp(a, "/proc/sys/", 10)))
			continue;
		if (name_norm(a, n, st->names[st->n_names]))
			st->n_names++;
	}
}

static int sysctl_begin(void **out, struct sample_builder *b, const char *cmd, uint32_t prior,
			struct strbuf *err)
{
	struct sysctl_import *st = calloc(1, sizeof(*st));
	struct import_cmd c;

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	import_cmd_parse(&c, cmd);
	st->subset = c.subset;
	import_cmd_label(&c, "sysctl settings", st->label, sizeof(st->label));
	if (!strcmp(c.prog, "sysctl")) {
		st->src = SRC_SYSCTL;
		st->bare = import_cmd_flag(&c, 'n') || import_cmd_word(&c, "--values");
		st->names_only = import_cmd_flag(&c, 'N') || import_cmd_word(&c, "--names");
	} else if (!strcmp(c.prog, "ulimit")) {
		st->src = SRC_ULIMIT;
		st->hard = import_cmd_flag(&c, 'H');
	} else if (import_cmd_arg_prefix(&c, "/proc/sys/") && strcmp(c.prog, "grep")) {
		st->src = SRC_CAT;
		st->bare = true;
	}
	/* sysctl -p FILE prints what it set: running values; cat FILE does not */
	st->config = st->src != SRC_SYSCTL && (import_cmd_arg_prefix(&c, "/etc/sysctl") ||
					       import_cmd_arg_prefix(&c, "/usr/lib/sysctl.d") ||
					       import_cmd_arg_prefix(&c, "/run/sysctl.d"));
	if (st->bare)
		cmd_names(st, &c);
	if (st->src == SRC_CAT && st->n_names)   /* "cat" says nothing: name the setting */
		snprintf(st->label, sizeof(st->label), "%.40s%s", st->names[0],
			 st->n_names > 1 ? " ..." : "");
	*out = st;
	return 0;
}

/* The values into the sample: the table's, file-nr, the conntrack count. */
static uint32_t sysctl_push(struct sysctl_import *st)
{
	struct sample *s = st->b->s;
	const struct sysctl_val *ctmax = &st->set.val[SYSCTL_NF_CONNTRACK_MAX];
	uint32_t have = 0;

	for (int i = 0; i < SYSCTL_MAX; i++) {
		if (st->set.val[i].present) {
			s->sysctl.val[i] = st->set.val[i];
			have |= HAVE_SYSCTL;
		} else if (st->set.val[i].err && !s->sysctl.val[i].present) {
			s->sysctl.val[i].err = st->set.val[i].err;
		}
	}
	if (ctmax->present && ctmax->n && ctmax->v[0] >= 0)
		s->conntrack_max = (uint64_t)ctmax->v[0];
	if (st->file_nr_seen) {
		s->file_nr_alloc = st->file_nr[0];
		s->file_nr_max = st->file_nr[2];
		have |= HAVE_FILE_NR;
	}
	if (st->ct_count_seen) {
		s->conntrack_count = st->ct_count;
		have |= HAVE_CONNTRACK;
	}
	if (have)
		sample_build_mark(st->b, have);
	return have;
}

static void sysctl_note(const struct sysctl_import *st, struct import_summary *sum)
{
	char a[32];

	if (st->subset)
		import_note_add(sum, "a subset (| %s): settings not shown are unknown, not zero",
				st->subset);
	if (st->src == SRC_ULIMIT && st->ulimit[0])
		import_note_add(sum, "the shell's %s open-files limit is %s: not a server's (a "
				"service's comes from its unit, e.g. LimitNOFILE=); give cat "
				"/proc/PID/limits", st->hard ? "hard" : "soft", st->ulimit);
	if (st->names_only)
		import_note_add(sum, "names only (sysctl -N): no values");
	if (st->config)
		import_note_add(sum, "a configuration file: what is wanted at boot, not the running "
				"values (give sysctl -a)");
	if (st->refused)
		import_note_add(sum, "%s value(s) refused, first %s", fmt_thousands(a, st->refused),
				st->refused_at);
}

static int sysctl_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct sysctl_import *st = vst;
	char a[32], c[32];

	(void)err;
	sum->have = sysctl_push(st);
	sum->rows = st->rows;
	sum->skipped = st->skipped + st->refused;
	if (st->src == SRC_ULIMIT)
		snprintf(sum->what, sizeof(sum->what), "%.48s: shell limit", st->label);
	else
		snprintf(sum->what, sizeof(sum->what), "%.40s: %s setting%s read%s%s%s", st->label,
			 fmt_thousands(a, st->rows), st->rows == 1 ? "" : "s",
			 st->unknown ? ", " : "", st->unknown ? fmt_thousands(c, st->unknown) : "",
			 st->unknown ? " others skipped" : "");
	sysctl_note(st, sum);
	return 0;
}

static void sysctl_free(void *st)
{
	free(st);
}

static bool sysctl_shaped(const char *line, size_t len)
{
	char name[NAME_MAX_LEN];
	const char *val;

	(void)len;
	return split_kv(line, name, &val);
}

/* Command first; then the share of head lines shaped like settings. */
static int sysctl_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd c;

	import_cmd_parse(&c, cmd);
	if (!strcmp(c.prog, "sysctl"))
		return 95;
	if (!strcmp(c.prog, "ulimit") && (import_cmd_flag(&c, 'n') || import_cmd_flag(&c, 'a')))
		return 85;
	if (import_cmd_arg_prefix(&c, "/proc/sys/"))
		return 90;
	return import_head_score(head, n, sysctl_shaped);
}

const struct importer import_sysctl = {
	.name = "sysctl",
	.detect = sysctl_detect,
	.begin = sysctl_begin,
	.line = sysctl_line,
	.end = sysctl_end,
	.free = sysctl_free,
};
