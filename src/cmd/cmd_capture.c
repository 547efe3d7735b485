// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet capture [-o FILE] [--samples N --interval S] [-N NETNS]`: what
 * live triage reads, written as the terminal transcript a person would
 * paste, so that `sockvet analyze` reads it back with the same importers
 * it uses for pasted text, and a person can read it too:
 *
 *   # sockvet capture 1: host web1, kernel 6.1.0-18-amd64, netns net:[4026531840], 2026-12-03T06:10:00.250113Z, sample 1 of 1
 *   $ ss -tanoemp
 *   State  Recv-Q Send-Q ...
 *   $ ss -uanm
 *   $ cat /proc/net/netstat
 *   $ cat /proc/net/snmp
 *   $ cat /proc/net/sockstat
 *   $ sysctl net.core.somaxconn ...
 *   $ cat /proc/sys/fs/file-nr
 *   $ cat /proc/sys/net/netfilter/nf_conntrack_count      (when loaded; _max too)
 *   $ cat /proc/1234/limits   # nginx                    (each TCP listener's owner)
 *   $ ls /proc/1234/fd | wc -l   # nginx
 *   1022
 *   $ dmesg
 *   [ 9001.500000] TCP: out of memory -- consider tuning tcp_mem
 *
 * The first line is the format's version and where and when it was
 * taken (UTC, to the microsecond, so samples 1 s apart are 1 s apart). /proc files are copied as they are; the socket tables are
 * `sockvet ss` output (ss's own format); the kernel log holds only the
 * lines live triage would act on (kevent_classify), in dmesg's format,
 * so no unrelated host text leaves the host. With --samples N the block
 * repeats N times, INTERVAL seconds apart; analyze reads each block as a
 * sample in time (the kernel log is in the first one only: it is the
 * whole ring buffer, and analyze carries it to the others).
 *
 * A capture is whole or absent: with -o FILE it is written to FILE.tmp
 * and renamed when complete; when a socket table cannot be dumped the
 * command fails (exit 3) and FILE is not created.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "cmd.h"
#include "../collect/kmsg.h"
#include "../collect/meta.h"
#include "../collect/netns.h"
#include "../collect/procmap.h"
#include "../collect/procnet_inet.h"
#include "../collect/sysctl_read.h"
#include "../model/kevent.h"
#include "../model/sysctl.h"

#define CAPTURE_VERSION 1
#define CAPTURE_SAMPLES_MAX 8

struct capture_cmdline {
	const char *out;
	const char *netns;
	int samples;
	double interval;
};

/* `$ cat PATH` and the file; note (NULL: none) goes after a '#'. */
static void copy_file_note(const char *path, const char *note)
{
	FILE *fp = fopen(path, "re");
	char buf[4096];
	size_t n;

	printf("$ cat %s%s%s\n", path, note ? "   # " : "", note ? note : "");
	if (!fp) {
		printf("cat: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(fp);
}

static void copy_file(const char *path)
{
	copy_file_note(path, NULL);
}

/* `sysctl A B ...` for every setting the rules read, from /proc/sys. */
static void print_sysctls(void)
{
	fputs("$ sysctl", stdout);
	for (int i = 0; i < SYSCTL_MAX; i++)
		printf(" %s", sysctl_defs[i].name);
	fputc('\n', stdout);
	for (int i = 0; i < SYSCTL_MAX; i++) {
		char path[256], text[256];
		FILE *fp;
		size_t n;

		sysctl_path(path, sizeof(path), "/proc", (enum sysctl_id)i);
		fp = fopen(path, "re");
		if (!fp) {
			printf("sysctl: cannot stat %s: %s\n", path, strerror(errno));
			continue;
		}
		n = fread(text, 1, sizeof(text) - 1, fp);
		fclose(fp);
		text[n] = '\0';
		text[strcspn(text, "\n")] = '\0';
		printf("%s = %s\n", sysctl_defs[i].name, text);
	}
}

/* One record: printed as dmesg does when triage would act on it. */
static void print_record(const char *rec, size_t n, void *ctx)
{
	const char *msg;
	size_t len;
	long long ts;
	struct kevent ev;

	(void)ctx;
	if (kmsg_parse_record(rec, n, &msg, &len, &ts) && kevent_classify(msg, len, &ev))
		printf("[%5lld.%06lld] %.*s\n", ts / 1000000, ts % 1000000, (int)len, msg);
}

/* The kernel log lines triage acts on, as dmesg prints them. */
static void print_klog(void)
{
	char reason[128];

	fputs("$ dmesg\n", stdout);
	if (!kmsg_each("/dev/kmsg", print_record, NULL, reason, sizeof(reason)))
		printf("dmesg: read kernel buffer failed: %s\n", reason);
}

/*
 * sockvet ss, in this process, with its output where ours goes; its exit
 * status (0: the table is whole). Its stderr is held in a temporary file
 * so that a failure is told in one line, ours, with its reason in msg;
 * on success whatever it said is passed on.
 */
static int print_ss(const char *flags, char *msg, size_t size)
{
	char ss[] = "ss", fl[16];
	char *argv[] = { ss, fl, NULL };
	FILE *tf = tmpfile();
	int rc, saved = -1;

	snprintf(fl, sizeof(fl), "%s", flags);
	printf("$ ss %s\n", flags);
	fflush(stdout);
	fflush(stderr);
	if (tf && (saved = dup(STDERR_FILENO)) >= 0)
		dup2(fileno(tf), STDERR_FILENO);
	rc = cmd_ss(2, argv);
	fflush(stdout);
	fflush(stderr);
	msg[0] = '\0';
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
		rewind(tf);
		if (rc && fgets(msg, (int)size, tf))
			msg[strcspn(msg, "\n")] = '\0';
		for (int ch; !rc && (ch = fgetc(tf)) != EOF;)
			fputc(ch, stderr);
	}
	if (tf)
		fclose(tf);
	return rc;
}

/* The conntrack table's size and use, when the module is loaded. */
static void print_conntrack(void)
{
	static const char *const files[] = {
		"/proc/sys/net/netfilter/nf_conntrack_count",
		"/proc/sys/net/netfilter/nf_conntrack_max",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (access(files[i], R_OK) == 0)
			copy_file(files[i]);
}

/* ls /proc/PID/fd | wc -l, without ls: the entries but . and .. */
static long count_fds(uint32_t pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* A name safe after '#' on a prompt line: one word, printable. */
static void comm_word(char *out, size_t size, const char *comm)
{
	size_t i = 0;

	for (; comm && comm[i] && i + 1 < size; i++)
		out[i] = comm[i] > ' ' && comm[i] < 0x7f ? comm[i] : '_';
	out[i] = '\0';
	if (!i)
		snprintf(out, size, "?");
}

/* One process: its RLIMIT_NOFILE and its fd count, as a person would
 * paste them, named by its comm so analyze can say whose they are. */
static void print_proc(uint32_t pid, const char *comm)
{
	char path[64], name[20];
	long n = count_fds(pid);

	comm_word(name, sizeof(name), comm);
	snprintf(path, sizeof(path), "/proc/%u/limits", pid);
	copy_file_note(path, name);
	printf("$ ls /proc/%u/fd | wc -l   # %s\n", pid, name);
	if (n < 0)
		printf("ls: cannot access '/proc/%u/fd': %s\n", pid, strerror(errno));
	else
		printf("%ld\n", n);
}

#define CAPTURE_PROCS_MAX 64

/* Listener inodes of one /proc/net/tcp file into ino[]; the count. */
static size_t listener_inodes(const char *file, int family, uint32_t *ino, size_t n, size_t max)
{
	FILE *fp = fopen(file, "re");
	char line[512];
	unsigned lineno = 0;

	while (fp && n < max && fgets(line, sizeof(line), fp)) {
		struct strbuf err = STRBUF_INIT;
		struct sock_rec r;

		if (++lineno > 1 && !procnet_inet_parse_line(line, strcspn(line, "\n"), family, &r,
							     file, lineno, &err) &&
		    r.state == SS_LISTEN && r.inode)
			ino[n++] = r.inode;
		strbuf_release(&err);
	}
	if (fp)
		fclose(fp);
	return n;
}

/*
 * The processes that own TCP listeners (at most CAPTURE_PROCS_MAX): the
 * fd limit is what stops a server from accepting, and the kernel logs
 * nothing when it is hit (kernel-facts.md "RLIMIT_NOFILE").
 */
static void print_listener_procs(void)
{
	uint32_t ino[CAPTURE_PROCS_MAX * 4], pids[CAPTURE_PROCS_MAX];
	struct strbuf err = STRBUF_INIT;
	struct procmap *m = NULL;
	size_t n = 0, np = 0;

	n = listener_inodes("/proc/net/tcp", AF_INET, ino, n, sizeof(ino) / sizeof(ino[0]));
	n = listener_inodes("/proc/net/tcp6", AF_INET6, ino, n, sizeof(ino) / sizeof(ino[0]));
	if (!n || procmap_build(&m, "/proc", false, &err)) {
		strbuf_release(&err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct sock_owner *o;
		size_t k = procmap_lookup(m, ino[i], &o);

		for (size_t j = 0; j < k && np < CAPTURE_PROCS_MAX; j++) {
			bool seen = false;

			for (size_t q = 0; q < np; q++)
				seen |= pids[q] == o[j].pid;
			if (!seen) {
				pids[np++] = o[j].pid;
				print_proc(o[j].pid, o[j].comm);
			}
		}
	}
	procmap_free(m);
	strbuf_release(&err);
}

/* "2026-12-03T06:10:00.250113Z": the wall clock, to the microsecond. */
static void utc_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	buf[0] = '\0';
	if (clock_gettime(CLOCK_REALTIME, &ts) || !gmtime_r(&ts.tv_sec, &tm) ||
	    !strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm))
		return;
	snprintf(buf, size, "%.20s.%06dZ", sec, (int)(ts.tv_nsec / 1000) % 1000000);
}

/* One sample; a reason in why when a socket table could not be dumped. */
static int capture_one(int i, int n, bool klog, char *why, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct snap_meta m;
	char when[48];
	/* -p on TCP only: analyze attributes TCP rows (listeners, CLOSE-WAIT);
	 * a second /proc walk for UDP owners would be read by nothing. */
	static const char *const tables[] = { "-tanoemp", "-uanm" };

	memset(&m, 0, sizeof(m));
	if (meta_collect(&m, "/proc", &err))
		strbuf_reset(&err);  /* a header with blanks is still a capture */
	strbuf_release(&err);
	utc_now(when, sizeof(when));
	printf("# sockvet capture %d: host %s, kernel %s, netns %s, %s, sample %d of %d\n",
	       CAPTURE_VERSION, m.host, m.kernel, m.netns[0] ? m.netns : "unknown", when, i + 1, n);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		char msg[200];
		int rc = print_ss(tables[t], msg, sizeof(msg));
		const char *said = strncmp(msg, "sockvet: ", 9) ? msg : msg + 9;

		if (rc) {
			snprintf(why, size, "sample %d: sockvet ss %s failed (exit %d)%s%s", i + 1,
				 tables[t], rc, said[0] ? ": " : "", said);
			return -1;
		}
	}
	copy_file("/proc/net/netstat");
	copy_file("/proc/net/snmp");
	copy_file("/proc/net/sockstat");
	print_sysctls();
	copy_file("/proc/sys/fs/file-nr");
	print_conntrack();
	print_listener_procs();
	if (klog)
		print_klog();
	return 0;
}

static int parse_args(struct capture_cmdline *c, int argc, char **argv, int *code)
{
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_STRING('o', "output", &c->out, "FILE", "write the capture to FILE (default: stdout)"),
		OPT_INT(0, "samples", &c->samples, "N", 1, CAPTURE_SAMPLES_MAX,
			"samples to take (default 1, at most 8)"),
		OPT_CALLBACK(0, "interval", &c->interval, "SEC", "seconds between samples (default 1)",
			     cmd_opt_interval),
		OPT_STRING('N', "net", &c->netns, "NETNS", "capture the named network namespace"),
		OPT_END(),
	};
	const struct cmd_spec spec = {
		.name = "capture",
		.usage = "Usage: sockvet capture [-o FILE] [--samples N --interval SEC] [-N NETNS]\n\n"
			 "Writes what live triage reads (socket tables, counters, sysctls, kernel log\n"
			 "lines it acts on) as a readable transcript that `sockvet analyze` reads back\n"
			 "on another machine. Changes nothing.\n\n",
		.opts = opts,
		.width = 26,
		.footer = "\nExit status: 0 written, 3 could not capture or write (no FILE is left), "
			  "64 usage.\n",
	};
	int n;

	c->samples = 1;
	c->interval = 1.0;
	n = cmd_parse_options(&spec, argc, argv, code);
	if (n < 0)
		return -1;
	if (n < argc) {
		*code = cmd_fail(SV_EXIT_USAGE, "capture: unexpected argument '%s'", argv[n]);
		return -1;
	}
	return 0;
}

/* Sleep until start + k * interval (CLOCK_MONOTONIC), so samples are
 * INTERVAL apart however long each one took to write. */
static void wait_sample(const struct timespec *start, int k, double interval)
{
	double at = (double)start->tv_sec + (double)start->tv_nsec / 1e9 + k * interval;
	struct timespec t = { (time_t)at, (long)((at - (double)(time_t)at) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

/* Every sample into stdout; a reason in why when one failed. */
static int capture_all(const struct capture_cmdline *c, char *why, size_t size)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < c->samples; i++) {
		if (i)
			wait_sample(&start, i, c->interval);
		if (capture_one(i, c->samples, i == 0, why, size))
			return -1;
	}
	if (fflush(stdout) || ferror(stdout)) {
		snprintf(why, size, "cannot write the capture: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_capture(int argc, char **argv)
{
	struct capture_cmdline c;
	struct strbuf err = STRBUF_INIT;
	char tmp[4096], why[256] = "";
	int ret = SV_EXIT_FAILED;

	memset(&c, 0, sizeof(c));
	if (parse_args(&c, argc, argv, &ret))
		return ret;
	if (c.netns && netns_enter(c.netns, &err)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot capture: %s", err.buf);
		goto out;
	}
	/* FILE.tmp, renamed when whole: a failed capture leaves no FILE */
	if (c.out && (snprintf(tmp, sizeof(tmp), "%s.tmp", c.out) >= (int)sizeof(tmp) ||
		      !freopen(tmp, "w", stdout))) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (capture_all(&c, why, sizeof(why))) {
		if (c.out)
			unlink(tmp);
		ret = cmd_fail(SV_EXIT_FAILED, "capture: %s%s", why,
			       c.out ? "; nothing written" : "; the output above is incomplete");
		goto out;
	}
	if (c.out && rename(tmp, c.out)) {
		ret = cmd_fail(SV_EXIT_FAILED, "cannot rename '%s' to '%s': %s", tmp, c.out,
			       strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = SV_EXIT_OK;
out:
	strbuf_release(&err);
	return ret;
}
