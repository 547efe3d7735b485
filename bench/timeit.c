/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeit: alternated whole-process timing of two or more commands.
 *
 *   timeit [-w WARMUP] [-k ROUNDS] [-T TIMEOUT] [-n NAME] [-o FILE]
 *          CMD_A ARGS... [--- CMD_B ARGS... [--- CMD_C ARGS...]]
 *
 * Each round runs A, then B, then C... once; WARMUP rounds (default 1)
 * come first and are discarded, then ROUNDS (default 7) are kept. Every
 * run is a fork and an execvp with no shell: stdin and stdout are
 * /dev/null, stderr is captured. The wall time is CLOCK_MONOTONIC from
 * just before fork to just after wait4; user, system and peak RSS
 * (ru_maxrss) come from wait4's rusage. A run that does not exit 0, writes
 * anything on stderr, or exceeds TIMEOUT seconds (default 600) stops
 * everything with exit status 1 and the evidence on stderr.
 *
 * Peak RSS includes the anonymous pages this program's forked child holds
 * before exec (Linux keeps the high-water mark across exec); the peak RSS
 * of `true` is printed as the "rss floor" to show how much that is.
 *
 * Output on stdout: a human table (ratios for i < j), then machine lines,
 * also appended to FILE with -o, one per command and one per ordered
 * pair i != j (the median of ratios is not the inverse of the median of
 * the inverse ratios when ROUNDS is even, so both directions are given):
 *
 *   @cmd NAME IDX MEDIAN MIN MAX USER_MED SYS_MED MAXRSS_KIB ROUNDS LABEL
 *   @ratio NAME I J MEDIAN MIN MAX
 *
 * fields separated by one tab, times in seconds, LABEL is the command
 * line joined with spaces, ratio = per-round wall(I) / wall(J).
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#define MAX_CMDS 8
#define MAX_ROUNDS 1000
#define LABEL_MAX 512
#define ERR_KEEP 2048

struct cmd {
	char **argv;
	char label[LABEL_MAX];
	double wall[MAX_ROUNDS];
	double user[MAX_ROUNDS];
	double sys[MAX_ROUNDS];
	long maxrss_kib;
};

struct run {
	double wall, user, sys;
	long maxrss_kib;
};

static struct cmd cmds[MAX_CMDS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_sec(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n-1]; also min and max. Sorts a copy. */
static double median(const double *v, int n, double *min, double *max)
{
	double tmp[MAX_ROUNDS];

	memcpy(tmp, v, (size_t)n * sizeof(*v));
	qsort(tmp, (size_t)n, sizeof(*tmp), cmp_double);
	if (min)
		*min = tmp[0];
	if (max)
		*max = tmp[n - 1];
	return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void die_run(const struct cmd *c, const char *why, const char *err,
		    size_t errlen)
{
	fprintf(stderr, "timeit: FAIL: '%s': %s\n", c->label, why);
	if (errlen) {
		fprintf(stderr, "timeit: its stderr (%zu bytes shown):\n", errlen);
		fwrite(err, 1, errlen, stderr);
		if (err[errlen - 1] != '\n')
			fputc('\n', stderr);
	}
	exit(1);
}

/* Run c once; exit(1) unless it exits 0 with an empty stderr. */
static void run_once(const struct cmd *c, double timeout, struct run *out)
{
	char err[ERR_KEEP], why[128];
	size_t errlen = 0, errtotal = 0;
	struct rusage ru;
	struct pollfd pfd;
	int errpipe[2], status, devnull, timed_out = 0;
	double t0, t1, deadline;
	ssize_t n;
	pid_t pid;

	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		perror("timeit: pipe");
		exit(1);
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		exit(1);
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 ||
		    dup2(errpipe[1], 2) < 0)
			_exit(126);
		if (devnull > 2)
			close(devnull);
		execvp(c->argv[0], c->argv);
		dprintf(2, "timeit: exec %s: %s\n", c->argv[0], strerror(errno));
		_exit(127);
	}
	close(errpipe[1]);

	/* Drain stderr until EOF, keeping the start; bounded by timeout. */
	deadline = t0 + timeout;
	pfd.fd = errpipe[0];
	pfd.events = POLLIN;
	for (;;) {
		double left = deadline - now();
		int r;

		if (left <= 0) {
			kill(pid, SIGKILL);
			timed_out = 1;
			break;
		}
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		if (errlen < sizeof(err))
			n = read(errpipe[0], err + errlen, sizeof(err) - errlen);
		else {
			char sink[512];

			n = read(errpipe[0], sink, sizeof(sink));
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (errlen < sizeof(err))
			errlen += (size_t)n;
		errtotal += (size_t)n;
	}
	close(errpipe[0]);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("timeit: wait4");
			exit(1);
		}
	}
	t1 = now();

	if (timed_out) {
		snprintf(why, sizeof(why), "still running after %.0f s", timeout);
		die_run(c, why, err, errlen);
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, sizeof(why), "killed by signal %d", WTERMSIG(status));
		die_run(c, why, err, errlen);
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(status));
		die_run(c, why, err, errlen);
	}
	if (errtotal) {
		snprintf(why, sizeof(why), "wrote %zu bytes on stderr", errtotal);
		die_run(c, why, err, errlen);
	}
	out->wall = t1 - t0;
	out->user = tv_sec(ru.ru_utime);
	out->sys = tv_sec(ru.ru_stime);
	out->maxrss_kib = ru.ru_maxrss;
}

static long parse_long(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "timeit: bad %s '%s' (%ld..%ld)\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: timeit [-w WARMUP] [-k ROUNDS] [-T TIMEOUT] [-n NAME] "
		"[-o FILE]\n"
		"              CMD ARGS... [--- CMD ARGS...]...\n");
	exit(2);
}

static void emit(FILE *f, const char *name, int ncmd, int rounds,
		 const double *ratio_med, const double *ratio_min,
		 const double *ratio_max)
{
	int i, j;

	for (i = 0; i < ncmd; i++) {
		const struct cmd *c = &cmds[i];
		double mn, mx, med = median(c->wall, rounds, &mn, &mx);

		fprintf(f, "@cmd\t%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%ld\t%d\t%s\n",
			name, i, med, mn, mx, median(c->user, rounds, NULL, NULL),
			median(c->sys, rounds, NULL, NULL), c->maxrss_kib, rounds,
			c->label);
	}
	for (i = 0; i < ncmd; i++)
		for (j = 0; j < ncmd; j++)
			if (i != j)
				fprintf(f, "@ratio\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f\n", name,
				i, j, ratio_med[i * MAX_CMDS + j],
				ratio_min[i * MAX_CMDS + j],
				ratio_max[i * MAX_CMDS + j]);
}

int main(int argc, char **argv)
{
	static double ratio_med[MAX_CMDS * MAX_CMDS];
	static double ratio_min[MAX_CMDS * MAX_CMDS];
	static double ratio_max[MAX_CMDS * MAX_CMDS];
	static double ratios[MAX_ROUNDS];
	const char *name = "-", *outfile = NULL;
	int warmup = 1, rounds = 7, ncmd = 0, opt, i, j, r, a;
	double timeout = 600, t_start = now();
	static char *floor_argv[] = { (char *)"true", NULL };
	static struct cmd floor_cmd;
	struct run run;
	FILE *f;

	while ((opt = getopt(argc, argv, "+w:k:T:n:o:")) != -1) {
		switch (opt) {
		case 'w': warmup = (int)parse_long(optarg, "warm-up count", 0, 100); break;
		case 'k': rounds = (int)parse_long(optarg, "round count", 1, MAX_ROUNDS); break;
		case 'T': timeout = (double)parse_long(optarg, "timeout", 1, 86400); break;
		case 'n': name = optarg; break;
		case 'o': outfile = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();

	/* Split the rest at "---" into commands (argv is ours to cut). */
	for (a = optind; a < argc;) {
		struct cmd *c;
		size_t len = 0;

		if (ncmd == MAX_CMDS) {
			fprintf(stderr, "timeit: at most %d commands\n", MAX_CMDS);
			return 2;
		}
		c = &cmds[ncmd++];
		c->argv = &argv[a];
		while (a < argc && strcmp(argv[a], "---") != 0) {
			int w = snprintf(c->label + len, sizeof(c->label) - len,
					 "%s%s", len ? " " : "", argv[a]);

			if (w > 0 && (size_t)w < sizeof(c->label) - len)
				len += (size_t)w;
			a++;
		}
		if (a < argc)
			argv[a++] = NULL; /* ends this command's argv */
		if (c->argv[0] == NULL)
			usage();
	}

	for (r = 0; r < warmup + rounds; r++)
		for (i = 0; i < ncmd; i++) {
			struct cmd *c = &cmds[i];

			run_once(c, timeout, &run);
			if (r < warmup)
				continue;
			c->wall[r - warmup] = run.wall;
			c->user[r - warmup] = run.user;
			c->sys[r - warmup] = run.sys;
			if (run.maxrss_kib > c->maxrss_kib)
				c->maxrss_kib = run.maxrss_kib;
		}

	for (i = 0; i < ncmd; i++)
		for (j = 0; j < ncmd; j++) {
			if (i == j)
				continue;
			for (r = 0; r < rounds; r++)
				ratios[r] = cmds[i].wall[r] / cmds[j].wall[r];
			ratio_med[i * MAX_CMDS + j] = median(ratios, rounds,
				&ratio_min[i * MAX_CMDS + j],
				&ratio_max[i * MAX_CMDS + j]);
		}

	/* What a do-nothing command shows as peak RSS under this harness. */
	floor_cmd.argv = floor_argv;
	snprintf(floor_cmd.label, sizeof(floor_cmd.label), "true");
	run_once(&floor_cmd, timeout, &run);
	printf("== %s: %d rounds (+%d warm-up), %.1f s, rss floor (true) "
	       "%.1f MiB\n", name, rounds, warmup, now() - t_start,
	       (double)run.maxrss_kib / 1024);
	for (i = 0; i < ncmd; i++) {
		const struct cmd *c = &cmds[i];
		double mn, mx, med = median(c->wall, rounds, &mn, &mx);

		printf("  %c  %8.4f s [%.4f-%.4f]  usr %.3f sys %.3f  "
		       "maxrss %6.1f MiB  %s\n", 'A' + i, med, mn, mx,
		       median(c->user, rounds, NULL, NULL),
		       median(c->sys, rounds, NULL, NULL),
		       (double)c->maxrss_kib / 1024, c->label);
	}
	for (i = 0; i < ncmd; i++)
		for (j = i + 1; j < ncmd; j++)
			printf("  %c/%c  %7.3f [%.3f-%.3f]\n", 'A' + i, 'A' + j,
			       ratio_med[i * MAX_CMDS + j],
			       ratio_min[i * MAX_CMDS + j],
			       ratio_max[i * MAX_CMDS + j]);
	emit(stdout, name, ncmd, rounds, ratio_med, ratio_min, ratio_max);
	fflush(stdout);
	if (outfile) {
		f = fopen(outfile, "a");
		if (!f) {
			fprintf(stderr, "timeit: %s: %s\n", outfile, strerror(errno));
			return 1;
		}
		emit(f, name, ncmd, rounds, ratio_med, ratio_min, ratio_max);
		if (fclose(f) != 0) {
			fprintf(stderr, "timeit: %s: %s\n", outfile, strerror(errno));
			return 1;
		}
	}
	return 0;
}
