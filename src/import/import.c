// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The analyze dispatcher: inputs into sections, sections into importers,
 * importers into one sample (import.h says how a section is found and
 * detected).
 *
 * A pasted transcript looks like this:
 *
 *   root@web1:~# ss -s
 *   Total: 1204
 *   TCP:   1187 (estab 311, closed 812, orphaned 0, timewait 805)
 *   ...
 *   $ sudo nstat -az | grep -i listen
 *   TcpExtListenOverflows           18092              0.0
 *
 * A prompt is `$ `, `# `, `user@host:dir$ `, `[user@host dir]# ` and the
 * like, followed by a command whose first word (after sudo) is a tool
 * whose output we may know; so a `# comment` in a sysctl.conf is not a
 * prompt. Text before the first prompt, or a file without any, is a
 * section with no command.
 *
 * Samples in time. A second capture of the same kind (the same importer
 * and the same command) is a second point in time, never merged into the
 * first (that would double every count): it starts the next sample. So
 * does a `sockvet capture` header, and a `date` when the sample being
 * read already has its time (`date` before or after each round of
 * commands both work). Past IMPORT_SAMPLES_MAX samples the rest is
 * listed as not read. import_series.c then orders the samples and makes
 * them comparable.
 */
#include "import_run.h"
#include "import_cmd.h"
#include "import_dump.h"
#include "import_series.h"
#include "import_time.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct importer *const importers[] = {
	&import_ss, &import_netstat, &import_counters, &import_sysctl, &import_klog, &import_applog,
	&import_procnet, &import_limits, &import_count,
};
#define N_IMPORTERS (sizeof(importers) / sizeof(importers[0]))

/* Tools whose output may follow a prompt (the first word, after sudo). */
static const char *const prompt_tools[] = {
	"ss", "netstat", "nstat", "sysctl", "dmesg", "journalctl", "cat", "ulimit",
	"conntrack", "ip", "grep", "egrep", "tail", "head", "less", "more", "awk",
	"wc", "ls", "lsof", "sockvet", "zcat", "sort", "uniq", "date",
	/* where application logs come from */
	"docker", "podman", "kubectl", "systemctl",
};

#define READ_BLOCK 65536
#define USED_MAX 32              /* (importer, command) pairs per sample */

struct reader {
	FILE *fp;
	char blk[READ_BLOCK];
	size_t pos, len;
	bool eof;
	char line[IMPORT_LINE_MAX + 1];
	size_t line_len;
	bool cut;                /* the line was longer than IMPORT_LINE_MAX */
};

/* The next line, without its newline (and a trailing \r); false at EOF. */
static bool reader_next(struct reader *r)
{
	bool any = false;

	r->line_len = 0;
	r->cut = false;
	for (;;) {
		const char *nl;
		size_t n, room;

		if (r->pos == r->len) {
			if (r->eof)
				break;
			r->len = fread(r->blk, 1, sizeof(r->blk), r->fp);
			r->pos = 0;
			if (r->len == 0) {
				r->eof = true;
				break;
			}
		}
		any = true;
		/* a run of bytes up to the newline, copied while there is room */
		nl = memchr(r->blk + r->pos, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - (r->blk + r->pos)) : r->len - r->pos;
		room = IMPORT_LINE_MAX - r->line_len;
		if (n > room)
			r->cut = true;
		memcpy(r->line + r->line_len, r->blk + r->pos, n < room ? n : room);
		r->line_len += n < room ? n : room;
		r->pos += n + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (r->line_len && r->line[r->line_len - 1] == '\r')
		r->line_len--;
	r->line[r->line_len] = '\0';
	return any;
}

/* The last command of a `;` or `&&` list (`sleep 10; date`): its output
 * is the one that ends the section. */
static const char *last_command(const char *cmd)
{
	const char *semi = strrchr(cmd, ';'), *amp = NULL;

	for (const char *p = strstr(cmd, "&&"); p; p = strstr(p + 2, "&&"))
		amp = p + 1;
	if (amp && (!semi || amp > semi))
		semi = amp;
	return semi ? semi + 1 : cmd;
}

/* Is the command's program (after sudo, env, a path: import_cmd) one we may know? */
static bool is_tool(const char *cmd)
{
	struct import_cmd c, l;

	import_cmd_parse(&c, cmd);
	import_cmd_parse(&l, last_command(cmd));
	for (size_t i = 0; i < sizeof(prompt_tools) / sizeof(prompt_tools[0]); i++)
		if (!strcmp(c.prog, prompt_tools[i]) || !strcmp(l.prog, prompt_tools[i]))
			return true;
	return false;
}

bool import_prompt(const char *line, char *cmd, size_t size)
{
	const char *p = line, *c = NULL;

	while (*p == ' ' || *p == '\t')
		p++;
	/* the common case, a line of output: no prompt sign up front, no '@' */
	if (p[0] != '$' && p[0] != '#' && p[0] != '[' && !memchr(p, '@', strnlen(p, 96)))
		return false;
	if ((p[0] == '$' || p[0] == '#') && p[1] == ' ') {
		c = p + 2;
	} else {
		/* user@host:dir$ / [user@host dir]# : the prompt has an '@' */
		for (const char *q = p; *q && q - p < 96; q++) {
			if ((*q == '$' || *q == '#') && q[1] == ' ' && memchr(p, '@', (size_t)(q - p))) {
				bool bracket = *p == '[';
				bool spaces = memchr(p, ' ', (size_t)(q - p)) != NULL;

				if (!spaces || (bracket && q[-1] == ']'))
					c = q + 2;
				break;
			}
		}
	}
	if (!c || !is_tool(c))
		return false;
	while (*c == ' ')
		c++;
	snprintf(cmd, size, "%s", c);
	return true;
}

/* One run: the builder, what was used, the list for the report. */
struct run {
	struct sample_builder b;
	const struct sample_build_opts *bo;
	struct import_series *out;  /* samples in read order until the end */
	bool building;           /* b fills out->s[out->n - 1] */
	bool full;               /* IMPORT_SAMPLES_MAX reached: the rest is not read */
	unsigned used_in[IMPORT_SAMPLES_MAX];  /* sections used per sample */
	struct capture_list *cl;
	uint32_t prior;          /* HAVE_* bits filled so far in this sample */
	unsigned used_n;
	struct { const struct importer *imp; char cmd[IMPORT_CMD_MAX]; } used[USED_MAX];
	int n_used;
};

/* The section being read. */
struct section {
	struct import_pos pos;   /* pos.line: the line being read */
	uint32_t first_line;
	char cmd[IMPORT_CMD_MAX];
	bool has_cmd;
	char *head[IMPORT_HEAD_LINES];
	unsigned n_head;
	unsigned nonblank;
	const struct importer *imp;  /* chosen; NULL until detected */
	void *st;
	bool skip;               /* repeat, unknown or failed: lines are dropped */
	struct capture_read *rec;
};

static struct capture_read *run_record(struct run *r, const struct section *sec)
{
	struct capture_read *c;

	if (r->cl->n == CAPTURE_READ_MAX) {
		r->cl->dropped++;
		return NULL;
	}
	c = &r->cl->r[r->cl->n++];
	memset(c, 0, sizeof(*c));
	c->sample = -1;
	snprintf(c->file, sizeof(c->file), "%s", sec->pos.file);
	c->line = sec->first_line;
	snprintf(c->cmd, sizeof(c->cmd), "%.*s", (int)sizeof(c->cmd) - 1, sec->has_cmd ? sec->cmd : "");
	return c;
}

static void section_error(struct section *sec, const char *msg)
{
	if (sec->rec) {
		sec->rec->status = CAPTURE_ERROR;
		snprintf(sec->rec->note, sizeof(sec->rec->note), "%s", msg);
	}
	sec->skip = true;
}

/* A second capture of the same kind in this sample? Otherwise note it. */
static bool run_repeat(struct run *r, const struct importer *imp, const char *cmd)
{
	for (unsigned i = 0; i < r->used_n; i++)
		if (r->used[i].imp == imp && !strcmp(r->used[i].cmd, cmd))
			return true;
	if (r->used_n < USED_MAX) {
		r->used[r->used_n].imp = imp;
		snprintf(r->used[r->used_n].cmd, sizeof(r->used[0].cmd), "%s", cmd);
		r->used_n++;
	}
	return false;
}

/* The next sample starts (the first one too); full past the maximum. */
static int run_next(struct run *r, struct strbuf *err)
{
	struct sample *s;

	if (r->out->n == IMPORT_SAMPLES_MAX) {
		r->full = true;
		return 0;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return error_set(err, "out of memory");
	if (r->building)
		sample_build_finish(&r->b);
	r->building = false;
	if (sample_build_begin(&r->b, s, r->bo, err)) {
		free(s);
		return -1;
	}
	r->out->s[r->out->n++] = s;
	r->building = true;
	r->used_n = 0;
	r->prior = 0;
	return 0;
}

/*
 * A time for the sample being read. A capture header begins a sample, so
 * it starts the next one unless this one is still empty; a `date` starts
 * the next one only when this one already has its time.
 */
static int run_time(struct run *r, int64_t ns, bool header, struct strbuf *err)
{
	unsigned cur = r->out->n - 1;
	struct sample *s = r->out->s[cur];

	if (r->full)
		return 0;
	if (s->meta.wall_ns || (header && r->used_in[cur])) {
		if (run_next(r, err) < 0)
			return -1;
		if (r->full)
			return 0;
		s = r->out->s[r->out->n - 1];
	}
	s->meta.wall_ns = ns;
	s->meta.time_unix = ns / 1000000000LL;
	return 0;
}

static void section_beyond(struct section *sec, const char *what)
{
	sec->skip = true;
	if (sec->rec) {
		sec->rec->status = CAPTURE_REPEAT;
		snprintf(sec->rec->what, sizeof(sec->rec->what), "%s", what);
		snprintf(sec->rec->note, sizeof(sec->rec->note),
			 "past %d samples in time: only the first %d are read", IMPORT_SAMPLES_MAX,
			 IMPORT_SAMPLES_MAX);
	}
}

static bool is_date(const char *cmd)
{
	struct import_cmd c;

	import_cmd_parse(&c, last_command(cmd));
	return !strcmp(c.prog, "date") && !c.subset;
}

/* A `date` section: the time of the sample being read, or of the next. */
static int section_date(struct run *r, struct section *sec, struct strbuf *err)
{
	int64_t ns;

	sec->skip = true;
	if (!sec->n_head || !import_time_date(sec->head[0], &ns)) {
		if (sec->rec) {
			sec->rec->status = CAPTURE_UNKNOWN;
			snprintf(sec->rec->what, sizeof(sec->rec->what), "date: not a time we know");
		}
		return 0;
	}
	if (run_time(r, ns, false, err) < 0)
		return -1;
	if (r->full) {
		section_beyond(sec, "date");
		return 0;
	}
	if (sec->rec) {
		sec->rec->status = CAPTURE_USED;
		snprintf(sec->rec->what, sizeof(sec->rec->what), "date: when this sample was taken");
		sec->rec->rows = 1;
		sec->rec->skipped = sec->n_head - 1;
		sec->rec->sample = (int)r->out->n - 1;
	}
	return 0;
}

static int feed(struct section *sec, const char *s, size_t len, struct strbuf *err)
{
	if (sec->skip)
		return 0;
	if (sec->imp->line(sec->st, s, len, &sec->pos, err) < 0) {
		section_error(sec, err->buf ? err->buf : "error");
		strbuf_reset(err);
	}
	return 0;
}

/* "tried ss, netstat, ...": every importer by name, for "not recognised". */
static void tried_list(char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "tried");

	for (size_t i = 0; i < N_IMPORTERS && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s %s", i ? "," : "",
					importers[i]->name);
	if (len < size)
		snprintf(buf + len, size - len, ", date");
}

/* Detect the section from its head, start its importer, feed the head. */
static int section_start(struct run *r, struct section *sec, struct strbuf *err)
{
	const char *cmd = sec->has_cmd ? sec->cmd : NULL;
	int best = 0, score;
	unsigned saved = sec->pos.line;

	sec->rec = run_record(r, sec);
	if (cmd && is_date(cmd))
		return section_date(r, sec, err);
	for (size_t i = 0; i < N_IMPORTERS; i++) {
		if (!importers[i]->detect)
			continue;
		score = importers[i]->detect(cmd, (const char *const *)sec->head, sec->n_head);
		if (score > best) {
			best = score;
			sec->imp = importers[i];
		}
	}
	if (best < IMPORT_MIN_SCORE) {
		sec->imp = NULL;
		sec->skip = true;
		if (sec->rec) {
			sec->rec->status = CAPTURE_UNKNOWN;
			tried_list(sec->rec->what, sizeof(sec->rec->what));
		}
		return 0;
	}
	/* a second capture of the same kind: the next sample in time */
	if (!r->full && run_repeat(r, sec->imp, sec->has_cmd ? sec->cmd : "")) {
		if (run_next(r, err) < 0)
			return -1;
		if (!r->full)
			run_repeat(r, sec->imp, sec->has_cmd ? sec->cmd : "");
	}
	if (r->full) {
		section_beyond(sec, sec->imp->name);
		sec->imp = NULL;
		return 0;
	}
	if (sec->rec)
		sec->rec->sample = (int)r->out->n - 1;
	if (sec->imp->begin(&sec->st, &r->b, cmd, r->prior, err) < 0) {
		section_error(sec, err->buf ? err->buf : "error");
		strbuf_reset(err);
		return 0;
	}
	/* the head again, with the line numbers it had */
	sec->pos.line = sec->first_line;
	for (unsigned i = 0; i < sec->n_head; i++, sec->pos.line++)
		feed(sec, sec->head[i], strlen(sec->head[i]), err);
	sec->pos.line = saved;
	return 0;
}

static int section_end(struct run *r, struct section *sec, struct strbuf *err)
{
	struct import_summary sum;
	int ret = 0;

	if (sec->nonblank && !sec->imp && !sec->skip)
		ret = section_start(r, sec, err);
	if (sec->imp && sec->st) {
		memset(&sum, 0, sizeof(sum));
		if (!sec->skip && sec->imp->end(sec->st, &sum, err) < 0) {
			section_error(sec, err->buf ? err->buf : "error");
			strbuf_reset(err);
		} else if (!sec->skip && sec->rec) {
			sec->rec->status = CAPTURE_USED;
			snprintf(sec->rec->what, sizeof(sec->rec->what), "%s", sum.what);
			snprintf(sec->rec->note, sizeof(sec->rec->note), "%s", sum.note);
			sec->rec->have = sum.have;
			sec->rec->rows = sum.rows;
			sec->rec->skipped = sum.skipped;
			r->prior |= sum.have;
			r->n_used++;
			r->used_in[r->out->n - 1]++;
		}
		sec->imp->free(sec->st);
	}
	for (unsigned i = 0; i < sec->n_head; i++)
		free(sec->head[i]);
	sec->n_head = 0;
	sec->nonblank = 0;
	sec->imp = NULL;
	sec->st = NULL;
	sec->skip = false;
	sec->rec = NULL;
	sec->has_cmd = false;
	sec->cmd[0] = '\0';
	return ret;
}

static bool blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* One line of the current section: held for detection, or fed. */
static int section_line(struct run *r, struct section *sec, const char *s, size_t len,
			struct strbuf *err)
{
	if (!sec->nonblank && blank(s))
		return 0;                 /* leading blank lines */
	if (sec->nonblank == 0)
		sec->first_line = sec->pos.line;
	sec->nonblank++;
	if (!sec->imp && !sec->skip) {
		if (sec->n_head < IMPORT_HEAD_LINES) {
			sec->head[sec->n_head] = strdup(s);
			if (!sec->head[sec->n_head])
				return error_set(err, "out of memory");
			sec->n_head++;
			if (sec->n_head < IMPORT_HEAD_LINES)
				return 0;
		}
		return section_start(r, sec, err);
	}
	return feed(sec, s, len, err);
}

static int import_stream(struct run *r, FILE *fp, const char *name, struct strbuf *err)
{
	struct reader *rd = malloc(sizeof(*rd));
	struct section *sec = calloc(1, sizeof(*sec));
	char cmd[IMPORT_CMD_MAX];
	int ret = -1;

	if (!rd || !sec) {
		error_set(err, "out of memory");
		goto out;
	}
	memset(rd, 0, offsetof(struct reader, blk));
	rd->fp = fp;
	rd->pos = rd->len = 0;
	rd->eof = false;
	sec->pos.file = name;
	while (reader_next(rd)) {
		sec->pos.line++;
		if (import_prompt(rd->line, cmd, sizeof(cmd))) {
			unsigned at = sec->pos.line;
			int64_t ns;

			if (section_end(r, sec, err) < 0)
				goto out;
			sec->pos.file = name;
			sec->pos.line = at;
			sec->first_line = at + 1;
			/* `# sockvet capture 1: ...`: a sample begins, at its time */
			if (import_time_header(cmd, &ns)) {
				if (run_time(r, ns, true, err) < 0)
					goto out;
				continue;
			}
			sec->has_cmd = true;
			snprintf(sec->cmd, sizeof(sec->cmd), "%s", cmd);
			continue;
		}
		if (section_line(r, sec, rd->line, rd->line_len, err) < 0)
			goto out;
	}
	if (ferror(fp)) {
		error_set(err, "%s: read error: %s", name, strerror(errno));
		goto out;
	}
	if (section_end(r, sec, err) < 0)
		goto out;
	ret = 0;
out:
	free(rd);
	free(sec);
	return ret;
}

/* A file that could not be read is listed, not fatal. */
static void run_unreadable(struct run *r, const char *path, const char *why)
{
	struct section sec = { .pos = { .file = path } };
	struct capture_read *c = run_record(r, &sec);

	if (c) {
		c->status = CAPTURE_ERROR;
		snprintf(c->note, sizeof(c->note), "%s: %s", path, why);
	}
}

static int import_file(struct run *r, const char *path, struct strbuf *err)
{
	FILE *fp;
	int ret;

	if (!strcmp(path, "-"))
		return import_stream(r, stdin, "<stdin>", err);
	fp = fopen(path, "re");
	if (!fp) {
		run_unreadable(r, path, strerror(errno));
		return 0;
	}
	if (import_dump(fp, path, &r->b, r->cl, &r->prior, &r->n_used)) {
		fclose(fp);
		return 0;
	}
	ret = import_stream(r, fp, path, err);
	fclose(fp);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files, by name (hidden ones skipped); bounded. */
#define DIR_FILES_MAX 256
static int import_dir(struct run *r, const char *path, struct strbuf *err)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char *names[DIR_FILES_MAX];
	unsigned n = 0;
	int ret = 0;

	if (!d) {
		run_unreadable(r, path, strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) && n < DIR_FILES_MAX) {
		char full[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		if (stat(full, &st) || !S_ISREG(st.st_mode))
			continue;
		names[n] = strdup(full);
		if (!names[n]) {
			ret = error_set(err, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (unsigned i = 0; i < n; i++) {
		if (!ret)
			ret = import_file(r, names[i], err);
		free(names[i]);
	}
	return ret;
}

/* paths, or fp when paths is NULL (fuzzing, tests). */
static int run_inputs(const char *const *paths, unsigned n, FILE *fp, const char *name,
		      const struct sample_build_opts *bo, struct import_series *out,
		      struct capture_list *cl, struct strbuf *err)
{
	struct run *r = calloc(1, sizeof(*r));
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(cl, 0, sizeof(*cl));
	if (!r)
		return error_set(err, "out of memory");
	r->cl = cl;
	r->bo = bo;
	r->out = out;
	if (run_next(r, err))
		goto out;
	for (unsigned i = 0; i < (paths ? n : 1); i++) {
		struct stat st;
		int rc;

		if (!paths)
			rc = import_stream(r, fp, name, err);
		else if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = import_dir(r, paths[i], err);
		else
			rc = import_file(r, paths[i], err);
		if (rc < 0) {
			sample_build_abort(&r->b);
			r->building = false;
			goto out;
		}
	}
	sample_build_finish(&r->b);
	r->building = false;
	import_series_finish(out, r->used_in, cl);
	ret = r->n_used;
out:
	free(r);
	return ret;
}

int import_run(const char *const *paths, unsigned n, const struct sample_build_opts *bo,
	       struct import_series *out, struct capture_list *cl, struct strbuf *err)
{
	return run_inputs(paths, n, NULL, NULL, bo, out, cl, err);
}

int import_run_stream(FILE *fp, const char *name, const struct sample_build_opts *bo,
		      struct import_series *out, struct capture_list *cl, struct strbuf *err)
{
	return run_inputs(NULL, 0, fp, name, bo, out, cl, err);
}

void import_series_release(struct import_series *out)
{
	for (unsigned i = 0; i < out->n; i++)
		free(out->s[i]);
	memset(out, 0, sizeof(*out));
}
