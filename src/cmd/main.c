// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockvet: find out why a service on this host will not accept
 * connections, from the kernel's socket state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int completion(int argc, char **argv);

static const struct command commands[] = {
	{ "triage", cmd_triage, "the default: sample this host, say what is wrong and how to fix it" },
	{ "ss", cmd_ss, "list sockets; the iproute2 ss command line, plus --json" },
	{ "analyze", cmd_analyze, "the triage verdict from captures of another host (ss, nstat, sysctl, dmesg text)" },
	{ "capture", cmd_capture, "write what triage reads as a transcript for analyze elsewhere" },
	{ "watch", cmd_watch, "a live full-screen view: listeners, states, counters, the verdict" },
	{ "summary", cmd_summary, "one sample's per-state socket counts" },
	{ "exporter", cmd_exporter, "Prometheus metrics and the triage verdict, on HTTP or as a textfile" },
	{ "lab", cmd_lab, "stage real incidents in throwaway namespaces and check the verdict" },
	{ "check", cmd_check, "a monitoring plugin: one status line with perfdata, exit 0/1/2/3" },
	{ "completion", completion, NULL },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Hidden: the completion scripts are generated from this table's commands. */
static int completion(int argc, char **argv)
{
	return cmd_completion(argc, argv, commands, N_COMMANDS);
}

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: sockvet [COMMAND] [ARGS...]\n\n"
		"With no command (or only triage options), sockvet triages this host:\n"
		"it samples sockets and counters, says what is wrong, whether the fix is\n"
		"in the application, the kernel or the network, the exact change and how\n"
		"to verify it. It never changes the system.\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		if (commands[i].help)
			fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(fp, "\n'sockvet COMMAND --help' describes a command; man 8 sockvet has everything.\n");
}

/*
 * A closed stdin/stdout/stderr (`>&-`) is held by /dev/null opened
 * read-only: the next open() cannot take the descriptor (a -D file would
 * then receive the listing), and every write to it fails with EBADF.
 */
static void hold_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDONLY) != fd)
			return;
}

/*
 * Every command's output is checked once more on the way out: help,
 * version, summaries. ret stands if the command already failed (it said
 * why); a verdict (0, 1, 2) whose report was not written becomes 3.
 */
static int check_stdout(int ret)
{
	int e = 0;

	if (fflush(stdout))
		e = errno;
	else if (!ferror(stdout))
		return ret;
	if (ret >= SV_EXIT_FAILED)
		return ret;
	if (!e)
		return cmd_fail(SV_EXIT_FAILED, "cannot write the output");
	return cmd_fail(SV_EXIT_FAILED, "cannot write the output: %s", strerror(e));
}

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/*
 * `sockvet -N NS CMD ...` is `sockvet CMD -N NS ...`: the form the
 * report prints its commands in (report_command_in_netns). A command
 * without -N says so itself.
 */
static void net_first(int argc, char **argv)
{
	char *net, *ns;

	if (argc < 4 || (strcmp(argv[1], "-N") && strcmp(argv[1], "--net")) ||
	    !command_find(argv[3]))
		return;
	net = argv[1];
	ns = argv[2];
	argv[1] = argv[3];
	argv[2] = net;
	argv[3] = ns;
}

static int run(int argc, char **argv)
{
	/* sockvet's own options; any other option word is triage's. */
	static const struct option_def opts[] = {
		OPT_HELP(),
		OPT_CALLBACK('V', "version", NULL, NULL, "show the version", cmd_opt_version),
		OPT_END(),
	};
	const struct command *c;

	net_first(argc, argv);
	/* Triage options may come without the command word: `sockvet --port 80`. */
	if (argc < 2 || (argv[1][0] == '-' && !parse_options_find(opts, argv[1])))
		return cmd_triage(argc, argv);
	if (argv[1][0] == '-') {
		struct strbuf err = STRBUF_INIT;

		if (parse_options(2, argv, opts, &err) == PARSE_OPT_HELP)
			usage(stdout);
		strbuf_release(&err);
		return SV_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return SV_EXIT_OK;
	}
	c = command_find(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	return cmd_fail(SV_EXIT_USAGE, "unknown command '%s' (try 'sockvet --help')", argv[1]);
}

int main(int argc, char **argv)
{
	hold_std_fds();
	return check_stdout(run(argc, argv));
}
