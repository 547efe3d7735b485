// SPDX-License-Identifier: GPL-2.0-or-later
#include "procfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int procfs_parse_u64s(const char *text, uint64_t *v, unsigned want)
{
	const char *p = text;
	char *e;
	unsigned n = 0;

	while (n < want) {
		unsigned long long x;

		errno = 0;
		x = strtoull(p, &e, 10);
		if (e == p || errno)
			return -1;
		v[n++] = x;
		p = e;
	}
	return 0;
}

int procfs_read_u64s(const char *path, uint64_t *v, unsigned want)
{
	char buf[256];
	FILE *fp = fopen(path, "r");
	bool ok;

	if (!fp)
		return -1;
	ok = fgets(buf, sizeof(buf), fp) != NULL;
	fclose(fp);
	return ok ? procfs_parse_u64s(buf, v, want) : -1;
}

/* "Max open files            1024                 524288               files" */
bool procfs_parse_nofile_line(const char *line, uint64_t *soft, uint64_t *hard)
{
	char s[32], h[32];

	if (strncmp(line, "Max open files", 14) || sscanf(line + 14, "%31s %31s", s, h) != 2)
		return false;
	*soft = strcmp(s, "unlimited") ? strtoull(s, NULL, 10) : UINT64_MAX;
	*hard = strcmp(h, "unlimited") ? strtoull(h, NULL, 10) : UINT64_MAX;
	return true;
}

bool procfs_read_nofile(const char *proc_root, uint32_t pid, uint64_t *soft, uint64_t *hard)
{
	char path[512], line[256];
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%u/limits", proc_root, pid);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp))
		found = procfs_parse_nofile_line(line, soft, hard);
	fclose(fp);
	return found;
}

/* The header names the columns; returns their indexes (-1 when absent). */
static void conntrack_columns(char *header, int idx[3])
{
	static const char *const want[3] = { "drop", "early_drop", "insert_failed" };
	int col = 0;

	idx[0] = idx[1] = idx[2] = -1;
	for (char *t = strtok(header, " \t\n"); t; t = strtok(NULL, " \t\n"), col++)
		for (int k = 0; k < 3; k++)
			if (!strcmp(t, want[k]))
				idx[k] = col;
}

/* A header naming hex columns, then one line per CPU. */
bool procfs_read_conntrack_stat(const char *proc_root, struct conntrack_stat *st)
{
	char path[512], line[2048];
	uint64_t *dst[3] = { &st->drop, &st->early_drop, &st->insert_failed };
	int idx[3];
	FILE *fp;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/net/stat/nf_conntrack", proc_root);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return false;
	}
	conntrack_columns(line, idx);
	while (fgets(line, sizeof(line), fp)) {
		int col = 0;

		for (char *t = strtok(line, " \t\n"); t; t = strtok(NULL, " \t\n"), col++)
			for (int k = 0; k < 3; k++)
				if (col == idx[k])
					*dst[k] += strtoull(t, NULL, 16);
	}
	fclose(fp);
	return idx[0] >= 0;
}

bool procfs_same_netns(const char *proc_root, uint32_t pid, const char *ours)
{
	char path[512], ns[64];
	ssize_t n;

	if (!ours[0])
		return true;
	snprintf(path, sizeof(path), "%s/%u/ns/net", proc_root, pid);
	n = readlink(path, ns, sizeof(ns) - 1);
	if (n <= 0)
		return true;
	ns[n] = '\0';
	return !strcmp(ns, ours);
}
