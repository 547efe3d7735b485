// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sysctls from /proc/sys: one small text file each, the dotted name with
 * dots turned into slashes. Values are one integer ("4096\n"), or a few
 * separated by tabs ("32768\t60999\n" for ip_local_port_range,
 * "287901\t383868\t575802\n" for tcp_mem), or a list
 * (ip_local_reserved_ports: "" or "8080,9000-9010\n"), kept as text.
 */
#include "sysctl_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sysctl_parse(struct sysctl_val *v, const char *text, const char *fname,
		 bool numeric, struct strbuf *err)
{
	const char *p = text;
	size_t len = strlen(text);

	if (len >= sizeof(v->text))
		return error_set(err, "%s: value longer than %zu bytes", fname, sizeof(v->text) - 1);
	memcpy(v->text, text, len + 1);
	while (len && (v->text[len - 1] == '\n' || v->text[len - 1] == ' '))
		v->text[--len] = '\0';
	v->present = true;
	v->n = 0;
	if (!numeric)
		return 0;
	while (*p && *p != '\n') {
		char *end;
		long long x;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		errno = 0;
		x = strtoll(p, &end, 10);
		if (end == p || errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return error_set(err, "%s:1:%zu: expected an integer", fname,
					 (size_t)(p - text) + 1);
		if (v->n == SYSCTL_VALS)
			return error_set(err, "%s:1:%zu: more than %d values", fname,
					 (size_t)(p - text) + 1, SYSCTL_VALS);
		v->v[v->n++] = x;
		p = end;
	}
	if (!v->n)
		return error_set(err, "%s:1:1: empty value", fname);
	return 0;
}

void sysctl_path(char *path, size_t size, const char *proc_root, enum sysctl_id id)
{
	size_t o = (size_t)snprintf(path, size, "%s/sys/", proc_root);

	for (const char *c = sysctl_defs[id].name; *c && o + 1 < size; c++)
		path[o++] = *c == '.' ? '/' : *c;
	path[o < size ? o : size - 1] = '\0';
}

int sysctl_read_one(struct sysctl_set *s, const char *proc_root, enum sysctl_id id,
		    struct strbuf *err)
{
	char path[512], buf[SYSCTL_TEXT_MAX + 1];
	struct sysctl_val *v = &s->val[id];
	ssize_t n;
	int fd;

	memset(v, 0, sizeof(*v));
	sysctl_path(path, sizeof(path), proc_root, id);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		v->err = errno;
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		v->err = errno;
		return 0;
	}
	buf[n] = '\0';
	return sysctl_parse(v, buf, path, id != SYSCTL_IP_LOCAL_RESERVED_PORTS, err);
}

int sysctl_read_all(struct sysctl_set *s, const char *proc_root, struct strbuf *err)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SYSCTL_MAX; i++)
		if (sysctl_read_one(s, proc_root, (enum sysctl_id)i, err))
			return -1;
	return 0;
}
