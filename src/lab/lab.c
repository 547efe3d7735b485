// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab's machinery: namespaces, veths, namespace sysctls and
 * nftables through iproute2/nft (run as child processes, their output
 * kept for the error message), roles as forked children that live in a
 * scenario namespace, and a teardown that leaves nothing behind.
 *
 * Safety: nothing here may touch the host's network settings. Sysctls are
 * written by a child that entered the scenario namespace and checked it
 * is really there before opening /proc/sys; the lab process itself only
 * visits a scenario namespace between lab_enter() and lab_leave().
 */
#include "lab.h"
#include "lab_sock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../collect/netns.h"
#include "../diagnose/verdict.h"

#define NETNS_DIR "/run/netns"
/* What a helper command may say before we stop listening (one error). */
#define CMD_OUTPUT_MAX 2048
/* How long teardown waits for processes it killed to go (not our children). */
#define GONE_WAIT_MS 2000
#define ROLE_MSG_MAX 512

/* In a role child: the pipe back to the lab, -1 once ready was sent. */
static int role_fd = -1;

static pid_t wait_child(pid_t pid, int *status)
{
	pid_t r;

	while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	return r;
}

/*
 * fork() with a pipe from the child back to us (p[0] ours, p[1] the
 * child's; both close-on-exec). stdio is flushed first so nothing
 * buffered is written twice. The pid, or -1 with "WHAT NAME: ..." in err.
 */
static pid_t fork_piped(int p[2], const char *what, const char *name, struct strbuf *err)
{
	pid_t pid;
	int e;

	if (pipe2(p, O_CLOEXEC))
		return error_set(err, "%s %s: pipe: %s", what, name, strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid >= 0)
		return pid;
	e = errno;
	close(p[0]);
	close(p[1]);
	return error_set(err, "%s %s: fork: %s", what, name, strerror(e));
}

void lab_init(struct lab *l, const struct lab_scenario *sc, bool keep,
	      volatile sig_atomic_t *stop)
{
	memset(l, 0, sizeof(*l));
	l->sc = sc;
	l->keep = keep;
	l->stop = stop;
	l->samples = 3;
	l->interval = 1.0;
	l->topts.port = -1;
	l->topts.peer.port = -1;
	l->home_fd = -1;
	strbuf_init(&l->log, 16384);
}

static bool stopped(const struct lab *l)
{
	return l->stop && *l->stop;
}

void *lab_shared(struct lab *l, size_t size, struct strbuf *err)
{
	void *p;

	if (l->shared) {
		error_set(err, "a lab has one shared page");
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		error_set(err, "cannot map a shared page: %s", strerror(errno));
		return NULL;
	}
	l->shared = p;
	l->shared_size = size;
	return p;
}

bool lab_sleep(struct lab *l, unsigned ms)
{
	while (ms && !stopped(l)) {
		unsigned step = ms < 50 ? ms : 50;

		lab_nap_ms(step);
		ms -= step;
	}
	return stopped(l);
}

/* --- running ip / nft ---------------------------------------------------- */

/* Write all of text to fd; a reader that went away ends it early. */
static void write_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

/* Read fd to its end, keeping the first size-1 bytes (the rest is read
 * and dropped, so the child never blocks on a full pipe). */
static size_t read_bounded(int fd, char *buf, size_t size)
{
	size_t got = 0;

	for (;;) {
		char sink[256];
		size_t room = size - 1 - got;
		ssize_t r = room ? read(fd, buf + got, room) : read(fd, sink, sizeof(sink));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (room)
			got += (size_t)r;
	}
	return got;
}

/*
 * Run argv (PATH lookup), feeding it `input` on stdin when non-NULL;
 * 0 when it exits 0, else the message names the command and quotes what
 * it printed. The child gets its own process group so a Ctrl-C at the
 * terminal, meant for the lab, cannot kill a teardown step half-way.
 */
static int run_cmd(char *const argv[], const char *input, struct strbuf *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	char buf[CMD_OUTPUT_MAX];
	size_t got = 0;
	pid_t pid;
	int status, ret = -1;

	if (pipe2(out, O_CLOEXEC) || (input && pipe2(in, O_CLOEXEC))) {
		error_set(err, "cannot run '%s': pipe: %s", argv[0], strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		error_set(err, "cannot run '%s': fork: %s", argv[0], strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(input ? in[0] : null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	out[1] = -1;
	if (input) {
		close(in[0]);
		in[0] = -1;
		write_all(in[1], input);
		close(in[1]);
		in[1] = -1;
	}
	got = read_bounded(out[0], buf, sizeof(buf));
	buf[got] = '\0';
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = '\0';
	if (wait_child(pid, &status) < 0) {
		error_set(err, "cannot run '%s': waitpid: %s", argv[0], strerror(errno));
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		error_set(err, "cannot run '%s': not installed (iproute2 and nftables are needed)", argv[0]);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		struct strbuf cmd = STRBUF_INIT;

		cmd.max = 256;
		for (unsigned i = 0; argv[i]; i++)
			strbuf_addf(&cmd, "%s%s", i ? " " : "", argv[i]);
		error_set(err, "'%s' failed (%s %d)%s%s", cmd.buf,
			  WIFEXITED(status) ? "exit" : "signal",
			  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			  got ? ": " : "", buf);
		strbuf_release(&cmd);
		goto out;
	}
	ret = 0;
out:
	for (unsigned i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return ret;
}

/* --- namespaces ---------------------------------------------------------- */

static int ns_path(char *path, size_t size, const char *name)
{
	if ((size_t)snprintf(path, size, "%s/%s", NETNS_DIR, name) >= size)
		return -1;
	return 0;
}

/* Identity of a namespace file, to find every process inside it. */
static int ns_id(const char *path, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/*
 * SIGKILL every process whose network namespace is the one at path (not
 * this process), then wait (bounded) until they are gone. Returns how
 * many were signalled. Used for kept scenarios and for grandchildren a
 * role may have left in another process group.
 */
static unsigned ns_kill_all(const char *path)
{
	pid_t pids[256];
	unsigned n = 0;
	dev_t dev;
	ino_t ino;
	DIR *d;
	struct dirent *de;

	if (ns_id(path, &dev, &ino))
		return 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < sizeof(pids) / sizeof(pids[0])) {
		char p[64], *e;
		long pid = strtol(de->d_name, &e, 10);
		struct stat st;

		if (*e || pid <= 1 || pid == (long)getpid())
			continue;
		snprintf(p, sizeof(p), "/proc/%ld/ns/net", pid);
		if (stat(p, &st) || st.st_dev != dev || st.st_ino != ino)
			continue;
		if (!kill((pid_t)pid, SIGKILL))
			pids[n++] = (pid_t)pid;
	}
	closedir(d);
	for (unsigned i = 0; i < n; i++) {
		unsigned waited = 0;

		/* Reap it if it is ours; otherwise wait for init to. */
		while (waitpid(pids[i], NULL, WNOHANG) == 0 || !kill(pids[i], 0)) {
			if (waited >= GONE_WAIT_MS)
				break;
			lab_nap_ms(20);
			waited += 20;
		}
	}
	return n;
}

static int ns_delete(const char *name, struct strbuf *err)
{
	char path[128];
	char *argv[] = { (char *)"ip", (char *)"netns", (char *)"del", (char *)name, NULL };
	struct strbuf e = STRBUF_INIT;
	int ret = 0;

	if (ns_path(path, sizeof(path), name))
		return error_set(err, "namespace name too long: '%s'", name);
	if (access(path, F_OK))
		return 0;
	ns_kill_all(path);
	if (run_cmd(argv, NULL, &e) && !access(path, F_OK)) {
		error_set(err, "%s", e.buf);
		ret = -1;
	}
	strbuf_release(&e);
	return ret;
}

int lab_ns_add(struct lab *l, const char *suffix, struct strbuf *err)
{
	char name[sizeof(l->ns[0])];
	char *add[] = { (char *)"ip", (char *)"netns", (char *)"add", name, NULL };
	char *lo[] = { (char *)"ip", (char *)"-n", name, (char *)"link", (char *)"set",
		       (char *)"lo", (char *)"up", NULL };
	int n;

	if (l->n_ns >= LAB_NS_MAX)
		return error_set(err, "a scenario has at most %d namespaces", LAB_NS_MAX);
	n = snprintf(name, sizeof(name), "%s%s%s%s", LAB_NETNS_PREFIX, l->sc->name,
		     suffix ? "-" : "", suffix ? suffix : "");
	if (n < 0 || (size_t)n >= sizeof(name))
		return error_set(err, "namespace name too long for scenario '%s'", l->sc->name);
	if (ns_delete(name, err))
		return -1;
	if (run_cmd(add, NULL, err))
		return -1;
	/* Recorded before anything else can fail, so teardown removes it. */
	memcpy(l->ns[l->n_ns], name, sizeof(name));
	l->n_ns++;
	if (run_cmd(lo, NULL, err))
		return -1;
	return (int)l->n_ns - 1;
}

int lab_veth(struct lab *l, unsigned a, const char *addr_a, unsigned b,
	     const char *addr_b, struct strbuf *err)
{
	char *add[] = { (char *)"ip", (char *)"link", (char *)"add", (char *)"lab0",
			(char *)"netns", l->ns[a], (char *)"type", (char *)"veth",
			(char *)"peer", (char *)"name", (char *)"lab1", (char *)"netns",
			l->ns[b], NULL };
	const char *dev[2] = { "lab0", "lab1" }, *addr[2] = { addr_a, addr_b };
	unsigned idx[2] = { a, b };

	if (a >= l->n_ns || b >= l->n_ns || a == b)
		return error_set(err, "veth between namespaces %u and %u: no such pair", a, b);
	if (run_cmd(add, NULL, err))
		return -1;
	for (unsigned i = 0; i < 2; i++) {
		char *ad[] = { (char *)"ip", (char *)"-n", l->ns[idx[i]], (char *)"addr",
			       (char *)"add", (char *)addr[i], (char *)"dev", (char *)dev[i], NULL };
		char *up[] = { (char *)"ip", (char *)"-n", l->ns[idx[i]], (char *)"link",
			       (char *)"set", (char *)dev[i], (char *)"up", NULL };

		if ((addr[i] && run_cmd(ad, NULL, err)) || run_cmd(up, NULL, err))
			return -1;
	}
	return 0;
}

int lab_nft(struct lab *l, unsigned ns, const char *ruleset, struct strbuf *err)
{
	char *argv[] = { (char *)"ip", (char *)"netns", (char *)"exec", NULL, (char *)"nft",
			 (char *)"-f", (char *)"-", NULL };

	if (ns >= l->n_ns)
		return error_set(err, "nft: no namespace %u", ns);
	argv[3] = l->ns[ns];
	return run_cmd(argv, ruleset, err);
}

/*
 * Enter the named namespace and make sure it took: a role or a sysctl
 * writer that stayed home would touch the host.
 */
static int ns_join(const char *name, struct strbuf *err)
{
	char path[128];
	struct stat have;
	dev_t dev;
	ino_t ino;

	if (ns_path(path, sizeof(path), name))
		return error_set(err, "namespace name too long: '%s'", name);
	if (netns_enter(path, err))
		return -1;
	if (ns_id(path, &dev, &ino) || stat("/proc/self/ns/net", &have) ||
	    have.st_ino != ino || have.st_dev != dev)
		return error_set(err, "entered '%s' but /proc/self/ns/net is not it", path);
	return 0;
}

/* Only names of the form net.a.b (no path tricks), and only per-namespace
 * ones: a key that does not exist inside the namespace is host-wide. */
static bool sysctl_key_ok(const char *key)
{
	if (strncmp(key, "net.", 4) || strstr(key, "..") || key[strlen(key) - 1] == '.')
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return false;
	return true;
}

int lab_sysctl(struct lab *l, unsigned ns, const char *key, const char *value,
	       struct strbuf *err)
{
	char path[160], msg[256] = "";
	int p[2];
	pid_t pid;
	int status;
	ssize_t r;

	if (ns >= l->n_ns)
		return error_set(err, "sysctl %s: no namespace %u", key, ns);
	if (!sysctl_key_ok(key) || strlen(key) + 10 >= sizeof(path))
		return error_set(err, "sysctl '%s': only per-namespace net.* keys are allowed", key);
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (char *c = path + 10; *c; c++)
		if (*c == '.')
			*c = '/';
	pid = fork_piped(p, "sysctl", key, err);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct strbuf e = STRBUF_INIT;
		int fd;
		size_t len = strlen(value);

		close(p[0]);
		e.max = sizeof(msg) - 1;
		if (ns_join(l->ns[ns], &e)) {
			if (write(p[1], e.buf, e.len) < 0)
				_exit(1);
			_exit(1);
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				dprintf(p[1], "not a per-namespace sysctl (no %s inside the namespace)", path);
			else
				dprintf(p[1], "cannot open %s: %s", path, strerror(errno));
			_exit(1);
		}
		if (write(fd, value, len) != (ssize_t)len) {
			dprintf(p[1], "cannot write '%s' to %s: %s", value, path, strerror(errno));
			_exit(1);
		}
		_exit(close(fd) ? 1 : 0);
	}
	close(p[1]);
	while ((r = read(p[0], msg, sizeof(msg) - 1)) < 0 && errno == EINTR)
		;
	msg[r > 0 ? r : 0] = '\0';
	close(p[0]);
	if (wait_child(pid, &status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return error_set(err, "sysctl %s=%s in %s: %s", key, value, l->ns[ns],
				 msg[0] ? msg : "the writer died");
	return 0;
}

/* --- roles ------------------------------------------------------------- */

void lab_role_ready(void)
{
	if (role_fd < 0)
		return;
	if (write(role_fd, "R", 1) < 0) {
		/* The lab is gone; the death signal or alarm ends us. */
	}
	close(role_fd);
	role_fd = -1;
}

void lab_role_fail(const char *fmt, ...)
{
	char msg[ROLE_MSG_MAX];
	va_list ap;
	int n;

	msg[0] = 'F';
	va_start(ap, fmt);
	n = vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 2)
		n = (int)sizeof(msg) - 2;
	if (role_fd >= 0 && write(role_fd, msg, (size_t)n + 1) < 0)
		_exit(1);
	_exit(1);
}

void lab_role_hold(void)
{
	/* Bounded by the role's alarm (SIGALRM ends it) or the lab's SIGKILL. */
	for (;;)
		pause();
}

static void role_child(struct lab *l, unsigned ns, const char *name, int fd,
		       int (*fn)(void *arg), void *arg, pid_t parent)
{
	struct strbuf e = STRBUF_INIT;
	int null;

	role_fd = fd;
	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (!l->keep) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
	}
	alarm(l->keep ? LAB_KEEP_MAX_S : LAB_ROLE_MAX_S);
	prctl(PR_SET_NAME, name);
	/* A role must not hold the lab's stdout: `x=$(sockvet lab run ... --keep)`
	 * would wait for it for half an hour. */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	/* Nothing the lab inherited (a shell's stray fds) counts against a
	 * role that stages an fd limit. */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	e.max = ROLE_MSG_MAX - 2;
	if (ns_join(l->ns[ns], &e))
		lab_role_fail("%s", e.buf);
	_exit(fn(arg) ? 1 : 0);
}

int lab_spawn(struct lab *l, unsigned ns, const char *name,
	      int (*fn)(void *arg), void *arg, struct strbuf *err)
{
	char msg[ROLE_MSG_MAX];
	size_t got = 0;
	int p[2], status, ret = -1;
	unsigned waited = 0;
	pid_t pid, parent = getpid();

	if (l->n_roles >= LAB_ROLES_MAX)
		return error_set(err, "a scenario has at most %d roles", LAB_ROLES_MAX);
	if (ns >= l->n_ns)
		return error_set(err, "role %s: no namespace %u", name, ns);
	pid = fork_piped(p, "role", name, err);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		role_child(l, ns, name, p[1], fn, arg, parent);
	}
	close(p[1]);
	/* Both sides set the group, so killpg() works whoever runs first. */
	setpgid(pid, pid);
	l->roles[l->n_roles] = pid;
	snprintf(l->role_names[l->n_roles], sizeof(l->role_names[0]), "%s", name);
	l->n_roles++;

	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		int pr;
		ssize_t r;

		if (stopped(l)) {
			error_set(err, "interrupted");
			goto out;
		}
		if (waited >= LAB_READY_TIMEOUT_S * 1000u) {
			error_set(err, "role %s was not ready within %d s", name, LAB_READY_TIMEOUT_S);
			goto out;
		}
		pr = poll(&pf, 1, 100);
		if (pr < 0 && errno != EINTR) {
			error_set(err, "role %s: poll: %s", name, strerror(errno));
			goto out;
		}
		if (pr <= 0) {
			waited += 100;
			continue;
		}
		r = read(p[0], msg + got, sizeof(msg) - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			got += (size_t)r;
			if (msg[0] == 'R')
				break;
			if (got < sizeof(msg) - 1)
				continue;
		}
		/* EOF (or a full message): the role failed or died. */
		msg[got] = '\0';
		if (got && msg[0] == 'F') {
			error_set(err, "role %s failed: %s", name, msg + 1);
		} else if (waitpid(pid, &status, WNOHANG) == pid) {
			l->roles[--l->n_roles] = 0;   /* reaped: never signal a recycled pid */
			if (WIFSIGNALED(status))
				error_set(err, "role %s died (signal %d) before it was ready", name,
					  WTERMSIG(status));
			else
				error_set(err, "role %s exited (status %d) before it was ready", name,
					  WEXITSTATUS(status));
		} else {
			error_set(err, "role %s closed its pipe before it was ready", name);
		}
		goto out;
	}
	ret = 0;
out:
	close(p[0]);
	return ret;
}

/* --- entering for the triage ------------------------------------------- */

int lab_enter(struct lab *l, unsigned ns, struct strbuf *err)
{
	if (ns >= l->n_ns)
		return error_set(err, "no namespace %u to enter", ns);
	if (l->home_fd < 0) {
		l->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (l->home_fd < 0)
			return error_set(err, "cannot open /proc/self/ns/net: %s", strerror(errno));
	}
	return ns_join(l->ns[ns], err);
}

int lab_leave(struct lab *l, struct strbuf *err)
{
	int ret = 0;

	if (l->home_fd < 0)
		return 0;
	if (setns(l->home_fd, CLONE_NEWNET))
		ret = error_set(err, "cannot return to the original network namespace: %s",
				strerror(errno));
	close(l->home_fd);
	l->home_fd = -1;
	return ret;
}

void lab_teardown(struct lab *l)
{
	struct strbuf e = STRBUF_INIT;

	lab_leave(l, &e);
	if (l->keep)
		goto out;
	for (unsigned i = 0; i < l->n_roles; i++) {
		if (l->roles[i] <= 0)
			continue;
		kill(-l->roles[i], SIGKILL);
		kill(l->roles[i], SIGKILL);
		wait_child(l->roles[i], NULL);
		l->roles[i] = 0;
	}
	l->n_roles = 0;
	for (unsigned i = 0; i < l->n_ns; i++)
		ns_delete(l->ns[i], &e);
	l->n_ns = 0;
out:
	/* Ours alone: the roles' copies of the page are theirs. */
	if (l->shared)
		munmap(l->shared, l->shared_size);
	l->shared = NULL;
	strbuf_release(&e);
}

int lab_clean(const char *name, struct strbuf *err)
{
	size_t plen = strlen(LAB_NETNS_PREFIX);
	char want[64] = "";
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (name && strcmp(name, "all") &&
	    (size_t)snprintf(want, sizeof(want), "%s%s", LAB_NETNS_PREFIX, name) >= sizeof(want))
		return error_set(err, "scenario name too long: '%s'", name);
	d = opendir(NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : error_set(err, "cannot list %s: %s", NETNS_DIR, strerror(errno));
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		size_t wl = strlen(want);

		if (strncmp(n, LAB_NETNS_PREFIX, plen))
			continue;
		/* NAME, or NAME-suffix: a scenario's second namespace. A different
		 * scenario whose name merely starts with NAME- is not ours. */
		if (wl && strcmp(n, want)) {
			bool other = false;

			if (strncmp(n, want, wl) || n[wl] != '-')
				continue;
			for (size_t i = 0; i < lab_n_scenarios; i++) {
				char full[96];

				snprintf(full, sizeof(full), "%s%s", LAB_NETNS_PREFIX, lab_scenarios[i].name);
				if (strlen(full) > wl && !strncmp(n, full, strlen(full)) &&
				    (!n[strlen(full)] || n[strlen(full)] == '-'))
					other = true;
			}
			if (other)
				continue;
		}
		if (ns_delete(n, err))
			ret = -1;
	}
	closedir(d);
	return ret;
}

bool lab_verdict_ok(const struct lab_scenario *sc, const struct findings *fs,
		    struct strbuf *why)
{
	bool found = false, other_bad = false;
	int max_info = lab_max_info(sc);
	unsigned n_info = 0;

	for (unsigned i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		bool match = sc->expect_id && !strcmp(f->id, sc->expect_id) &&
			     f->side == sc->expect_side &&
			     (!sc->expect_sev || EXPECT_SEV(f->severity) == sc->expect_sev);
		enum severity worst_other = sc->expect_id && !sc->only ? SEV_WARNING : SEV_INFO;

		if (match)
			found = true;
		else if (f->severity > worst_other)
			other_bad = true;
		if (f->severity == SEV_INFO)
			n_info++;
	}
	if (max_info >= 0 && n_info > (unsigned)max_info)
		other_bad = true;
	if (why) {
		unsigned shown = 0;

		for (unsigned i = 0; i < fs->n; i++) {
			const struct finding *f = &fs->f[i];

			strbuf_addf(why, "%s%s (%s, %s)", shown++ ? ", " : "", f->id,
				    verdict_side_name(f->side), verdict_severity_name(f->severity));
		}
		if (!shown)
			strbuf_addstr(why, "no finding");
	}
	return (sc->expect_id ? found : true) && !other_bad;
}
