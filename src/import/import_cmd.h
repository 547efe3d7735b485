/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_CMD_H
#define SOCKVET_IMPORT_IMPORT_CMD_H

/*
 * A pasted command line, as importers read it: which program made the
 * output (after `sudo` and a path), its arguments up to the first pipe,
 * and whether a later stage (`| grep X`, `| head`) kept only part of it.
 * Quotes group words; redirections (`2>/dev/null`) are dropped.
 */

#include <stdbool.h>
#include <stddef.h>

#include "import.h"

#define IMPORT_CMD_WORDS 32

struct import_cmd {
	char buf[IMPORT_CMD_MAX];
	const char *prog;                    /* basename of the program: "sysctl"; "" if none */
	unsigned argc;                       /* its words, up to the first pipe */
	const char *argv[IMPORT_CMD_WORDS];
	const char *subset;                  /* "grep", "head"...: a later stage keeps a part; NULL */
	const char *piped;                   /* the second stage's program ("wc", "sort"); NULL */
};

/* Split cmd (NULL: an empty command). Never fails; extra words are dropped. */
void import_cmd_parse(struct import_cmd *c, const char *cmd);

/* Whether a short option letter is among the bundles ("-Sn" has 'n'). */
bool import_cmd_flag(const struct import_cmd *c, char letter);

/*
 * Whether the first stage runs program prog (by basename): as c->prog, or
 * as one of its arguments after a wrapper (`ip netns exec NS ss -tan`,
 * `watch -n1 nstat`). -1: it does not; else the index in argv of the
 * first word after it (0 when it is c->prog).
 */
int import_cmd_runs(const struct import_cmd *c, const char *prog);

/* Whether a word is exactly w ("--notime", "-k"). */
bool import_cmd_word(const struct import_cmd *c, const char *w);

/* The first argument starting with prefix ("/proc/sys/"); NULL if none. */
const char *import_cmd_arg_prefix(const struct import_cmd *c, const char *prefix);

/* "sysctl -n", "dmesg -T": the program and its options, for a summary;
 * fallback when there is no command. */
void import_cmd_label(const struct import_cmd *c, const char *fallback, char *buf, size_t size);

/*
 * Detection by content: the share of the non-blank head lines that
 * shaped() accepts, as a score (0 when none: 40..90 otherwise), so a
 * paragraph of prose around one matching line stays low.
 */
int import_head_score(const char *const *head, unsigned n,
		      bool (*shaped)(const char *line, size_t len));

/* Append "; "-separated text to sum->note (cut at its size). */
void import_note_add(struct import_summary *sum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
