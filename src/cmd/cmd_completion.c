// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet completion bash|zsh`: the shell completion scripts, generated
 * from the option tables themselves so they cannot drift. The committed
 * copies in contrib/completion/ are this output (`make completion`), and
 * tests/e2e/t63-completion.t fails when they differ.
 *
 * How one place reaches every table: each option table lives in its
 * command's function, next to the variables its rows point at, and every
 * command already answers `sockvet CMD --list-options` from that table
 * (parse_options_list). So the generator walks the subcommand table
 * (main.c's commands[], passed in) and runs each command's own entry
 * point with --list-options in a child process, reading the list from a
 * pipe. No table is copied, registered or turned into a global, and a
 * command added to commands[] is completed with nothing else to do.
 *
 * Option arguments are completed by their placeholder (the row's argh):
 * FILE files, DIR directories, NETNS `ip netns list`, WHEN and S
 * (--symptom) their words. Operands by the command: lab's verbs and
 * scenarios, completion's shells, analyze's files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "../lab/lab.h"
#include "../model/focus.h"

#define COMP_LIST_MAX (64u << 10)

struct comp_opt {
	char shrt[3];            /* "-t" or "" */
	char lng[48];            /* "--tcp" or "" */
	char argh[32];           /* "FAMILY" or "": takes no argument */
};

struct comp_cmd {
	const struct command *c;
	unsigned n;
	struct comp_opt opt[PARSE_OPTIONS_MAX];
};

/* `sockvet NAME --list-options`, in a child, into out. */
static int list_options(const struct command *c, struct strbuf *out, struct strbuf *err)
{
	char *argv[] = { (char *)c->name, (char *)"--list-options", NULL };
	int fd[2], status;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd))
		return error_set(err, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return error_set(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fd[0]);
		if (dup2(fd[1], STDOUT_FILENO) < 0)
			_exit(SV_EXIT_FAILED);
		close(fd[1]);
		n = c->fn(2, argv);
		fflush(stdout);
		_exit((int)n);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && strbuf_add(out, buf, (size_t)n))
			break;
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->truncated)
		return error_set(err, "'sockvet %s --list-options' failed", c->name);
	return 0;
}

/* One line of --list-options: "-f --family=FAMILY", "--socket=QUERY", "-x ARG". */
static int parse_line(struct comp_opt *o, char *line, struct strbuf *err)
{
	char *save = NULL, *tok;

	memset(o, 0, sizeof(*o));
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!strncmp(tok, "--", 2)) {
			if (eq) {
				snprintf(o->argh, sizeof(o->argh), "%s", eq + 1);
				*eq = '\0';
			}
			snprintf(o->lng, sizeof(o->lng), "%s", tok);
		} else if (tok[0] == '-' && tok[1] && !tok[2]) {
			snprintf(o->shrt, sizeof(o->shrt), "%s", tok);
		} else if (o->shrt[0] && !o->lng[0]) {
			snprintf(o->argh, sizeof(o->argh), "%s", tok);
		} else {
			return error_set(err, "cannot read option list line '%s'", line);
		}
	}
	return 0;
}

static int load(struct comp_cmd *cc, const struct command *c, struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT;
	char *p, *nl;
	int rc;

	out.max = COMP_LIST_MAX;
	cc->c = c;
	cc->n = 0;
	rc = list_options(c, &out, err);
	for (p = out.buf; !rc && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (cc->n == PARSE_OPTIONS_MAX)
			rc = error_set(err, "%s: more than %d options", c->name, PARSE_OPTIONS_MAX);
		else
			rc = parse_line(&cc->opt[cc->n++], p, err);
	}
	strbuf_release(&out);
	return rc;
}

/* The words an option's argument takes, or a marker for a dynamic list. */
static void value_words(struct strbuf *sb, const char *argh)
{
	if (!strcmp(argh, "WHEN")) {
		strbuf_addstr(sb, "auto always never");
	} else if (!strcmp(argh, "S")) {
		for (int s = SYMPTOM_NONE + 1; s < SYMPTOM_MAX; s++)
			strbuf_addf(sb, "%s%s", s > SYMPTOM_NONE + 1 ? " " : "",
				    symptom_name((enum symptom)s));
	}
}

/* Operand words of a command (first, second), "" when none. */
static void operand_words(struct strbuf *sb, const char *cmd, int pos)
{
	if (!strcmp(cmd, "lab") && pos == 1) {
		strbuf_addstr(sb, "list run clean help");
	} else if (!strcmp(cmd, "lab") && pos == 2) {
		strbuf_addstr(sb, "all");
		for (size_t i = 0; i < lab_n_scenarios; i++)
			strbuf_addf(sb, " %s", lab_scenarios[i].name);
	} else if (!strcmp(cmd, "completion") && pos == 1) {
		strbuf_addstr(sb, "bash zsh");
	}
}

/* The command names, sep between them. */
static void print_names(const struct comp_cmd *cmds, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? sep : "", cmds[i].c->name);
}

static const char header[] =
	"# Generated by `sockvet completion %s` from sockvet's option tables: do not\n"
	"# edit. `make completion` regenerates it; tests/e2e/t63-completion.t checks it.\n";

static void bash_values(const struct comp_cmd *cmds, size_t n)
{
	printf("\t# the argument of the option before the cursor\n\tcase \"$cmd:$prev\" in\n");
	for (size_t i = 0; i < n; i++) {
		for (unsigned k = 0; k < cmds[i].n; k++) {
			const struct comp_opt *o = &cmds[i].opt[k];
			struct strbuf w = STRBUF_INIT;

			if (!o->argh[0])
				continue;
			if (o->shrt[0])
				printf("\t%s:%s", cmds[i].c->name, o->shrt);
			if (o->lng[0])
				printf("%s%s:%s", o->shrt[0] ? "|" : "\t", cmds[i].c->name, o->lng);
			putchar(')');
			value_words(&w, o->argh);
			if (w.len)
				printf(" COMPREPLY=($(compgen -W '%s' -- \"$cur\")) ;;\n", w.buf);
			else if (!strcmp(o->argh, "FILE"))
				printf(" COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n");
			else if (!strcmp(o->argh, "DIR"))
				printf(" COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n");
			else if (!strcmp(o->argh, "NETNS"))
				printf(" COMPREPLY=($(compgen -W \"$(ip netns list 2>/dev/null | "
				       "cut -d' ' -f1)\" -- \"$cur\")) ;;\n");
			else
				printf(" COMPREPLY=() ;;\n");
			strbuf_release(&w);
		}
	}
	printf("\t*) false ;;\n\tesac && return\n");
}

static void bash_lists(const struct comp_cmd *cmds, size_t n)
{
	printf("\tcase $cmd in\n");
	for (size_t i = 0; i < n; i++) {
		struct strbuf w1 = STRBUF_INIT, w2 = STRBUF_INIT;

		printf("\t%s) opts='", cmds[i].c->name);
		for (unsigned k = 0; k < cmds[i].n; k++)
			printf("%s%s%s%s", k ? " " : "", cmds[i].opt[k].shrt,
			       cmds[i].opt[k].shrt[0] && cmds[i].opt[k].lng[0] ? " " : "",
			       cmds[i].opt[k].lng);
		operand_words(&w1, cmds[i].c->name, 1);
		operand_words(&w2, cmds[i].c->name, 2);
		printf("' ops1='%s' ops2='%s'%s ;;\n", w1.buf, w2.buf,
		       !strcmp(cmds[i].c->name, "analyze") ? " files=1" : "");
		strbuf_release(&w1);
		strbuf_release(&w2);
	}
	printf("\tesac\n");
}

static void gen_bash(const struct comp_cmd *cmds, size_t n)
{
	printf("# bash completion for sockvet\n");
	printf(header, "bash");
	printf("_sockvet()\n{\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "\tlocal cmd=triage first=1 opts ops1 ops2 files= i nops=0\n"
	       "\tif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
	       "\tif [[ $cur == = ]]; then cur=; fi\n"
	       "\tcase ${COMP_WORDS[1]} in\n\t");
	print_names(cmds, n, "|");
	printf(") ((COMP_CWORD > 1)) && { cmd=${COMP_WORDS[1]}; first=2; } ;;\n\tesac\n");
	bash_values(cmds, n);
	bash_lists(cmds, n);
	printf("\tif [[ $cur == -* ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	       "\tif ((COMP_CWORD == 1)); then\n\t\tCOMPREPLY=($(compgen -W '");
	print_names(cmds, n, " ");
	printf("' -- \"$cur\"))\n\t\treturn\n\tfi\n"
	       "\t# operands: count the words before the cursor that are not options\n"
	       "\tfor ((i = first; i < COMP_CWORD; i++)); do\n"
	       "\t\t[[ ${COMP_WORDS[i]} == -* || ${COMP_WORDS[i]} == = ]] || ((nops++))\n"
	       "\tdone\n"
	       "\tif ((nops == 0)) && [[ -n $ops1 ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$ops1\" -- \"$cur\"))\n"
	       "\telif ((nops == 1)) && [[ -n $ops2 ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$ops2\" -- \"$cur\"))\n"
	       "\telif [[ -n $files ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	       "\tfi\n}\ncomplete -F _sockvet sockvet\n");
}

/* s inside zsh single quotes; colon: also escape ':' (an _arguments message). */
static void zsh_quoted(const char *s, bool colon)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else if (colon && *s == ':')
			fputs("\\:", stdout);
		else
			putchar(*s);
	}
}

static void zsh_action(const char *argh)
{
	struct strbuf w = STRBUF_INIT;

	value_words(&w, argh);
	if (w.len)
		printf("(%s)", w.buf);
	else if (!strcmp(argh, "FILE"))
		printf("_files");
	else if (!strcmp(argh, "DIR"))
		printf("_files -/");
	else if (!strcmp(argh, "NETNS"))
		printf("_sockvet_netns");
	else
		printf(" ");
	strbuf_release(&w);
}

static void zsh_command(const struct comp_cmd *cc)
{
	struct strbuf w1 = STRBUF_INIT, w2 = STRBUF_INIT;

	printf("_sockvet_%s() {\n\t_arguments -s -S", cc->c->name);
	for (unsigned k = 0; k < cc->n; k++) {
		const struct comp_opt *o = &cc->opt[k];

		for (int form = 0; form < 2; form++) {
			const char *name = form ? o->lng : o->shrt;

			if (!name[0])
				continue;
			printf(" \\\n\t\t'");
			if (o->shrt[0] && o->lng[0])
				printf("(%s %s)", o->shrt, o->lng);
			printf("%s", name);
			if (o->argh[0]) {
				/* -N+: the argument in the same or the next word; --net= likewise. */
				printf("%s:", form ? "=" : "+");
				zsh_quoted(o->argh, true);
				printf(":");
				zsh_action(o->argh);
			}
			printf("'");
		}
	}
	operand_words(&w1, cc->c->name, 1);
	operand_words(&w2, cc->c->name, 2);
	if (w1.len)
		printf(" \\\n\t\t'1:operand:(%s)'", w1.buf);
	if (w2.len)
		printf(" \\\n\t\t'2:operand:(%s)'", w2.buf);
	if (!strcmp(cc->c->name, "analyze"))
		printf(" \\\n\t\t'*:capture:_files'");
	printf("\n}\n\n");
	strbuf_release(&w1);
	strbuf_release(&w2);
}

static void gen_zsh(const struct comp_cmd *cmds, size_t n)
{
	printf("#compdef sockvet\n# zsh completion for sockvet\n");
	printf(header, "zsh");
	printf("\n_sockvet_netns() {\n\tlocal -a ns\n"
	       "\tns=(${(f)\"$(ip netns list 2>/dev/null | cut -d' ' -f1)\"})\n"
	       "\tcompadd -a ns\n}\n\n");
	for (size_t i = 0; i < n; i++)
		zsh_command(&cmds[i]);
	printf("_sockvet() {\n\tlocal -a commands\n\tcommands=(");
	for (size_t i = 0; i < n; i++) {
		printf("\n\t\t'%s:", cmds[i].c->name);
		zsh_quoted(cmds[i].c->help ? cmds[i].c->help : "", false);
		printf("'");
	}
	printf("\n\t)\n"
	       "\tif (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then\n"
	       "\t\t_describe -t commands 'sockvet command' commands\n\t\treturn\n\tfi\n"
	       "\tcase $words[2] in\n\t");
	print_names(cmds, n, "|");
	printf(")\n\t\tlocal cmd=$words[2]\n"
	       "\t\tshift words\n\t\t(( CURRENT-- ))\n\t\t_sockvet_$cmd ;;\n"
	       "\t*) _sockvet_triage ;;\n\tesac\n}\n\n_sockvet \"$@\"\n");
}

int cmd_completion(int argc, char **argv, const struct command *commands, size_t n)
{
	static const struct option_def opts[] = {
		OPT_HELP(),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "completion",
		.usage = "Usage: sockvet completion bash|zsh\n\n"
			 "Prints the shell completion script, made from every command's option table\n"
			 "(contrib/completion/ holds the same, installed by make install).\n\n",
		.opts = opts, .width = 16, .footer = "",
	};
	struct strbuf err = STRBUF_INIT;
	struct comp_cmd *cmds;
	int k, ret = SV_EXIT_OK;

	k = cmd_parse_options(&spec, argc, argv, &ret);
	if (k < 0)
		return ret;
	if (k + 1 != argc || (strcmp(argv[k], "bash") && strcmp(argv[k], "zsh")))
		return cmd_fail(SV_EXIT_USAGE, "completion: say bash or zsh");
	cmds = calloc(n, sizeof(*cmds));
	if (!cmds)
		return cmd_fail(SV_EXIT_FAILED, "out of memory");
	for (size_t i = 0; i < n && !ret; i++)
		if (load(&cmds[i], &commands[i], &err))
			ret = cmd_fail(SV_EXIT_FAILED, "completion: %s", err.buf);
	if (!ret && !strcmp(argv[k], "bash"))
		gen_bash(cmds, n);
	else if (!ret)
		gen_zsh(cmds, n);
	free(cmds);
	strbuf_release(&err);
	return ret;
}
