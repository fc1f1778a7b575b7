/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/sys_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

/* The body of sys_read_file on an open descriptor (closed here); name is
 * for log lines. */
static int read_fd(int fd, const char *name, size_t limit, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_msg(LOG_LEVEL_ERROR, "file", "%s: not a regular file", name);
		close(fd);
		return ERR_IO;
	}
	if ((uint64_t)st.st_size > limit) {
		log_msg(LOG_LEVEL_ERROR, "file", "%s: larger than %zu bytes", name, limit);
		close(fd);
		return ERR_LIMIT;
	}
	/* The size may change under us: read until EOF, never past limit. */
	size_t cap = (size_t)st.st_size + 1, used = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return ERR_NOMEM;
	}
	for (;;) {
		if (used + 1 == cap) {
			if (used >= limit) {
				char probe;
				ssize_t more = read(fd, &probe, 1);
				if (more == 0)
					break;
				log_msg(LOG_LEVEL_ERROR, "file", "%s: larger than %zu bytes", name, limit);
				free(buf);
				close(fd);
				return ERR_LIMIT;
			}
			size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			if (ncap <= cap) { /* cannot grow: treat as over the limit */
				free(buf);
				close(fd);
				return ERR_LIMIT;
			}
			char *grown = realloc(buf, ncap);
			if (!grown) {
				free(buf);
				close(fd);
				return ERR_NOMEM;
			}
			buf = grown;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + used, cap - 1 - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_LEVEL_ERROR, "file", "%s: read: %s", name, strerror(errno));
			free(buf);
			close(fd);
			return ERR_IO;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

int sys_read_file(const char *path, size_t limit, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		/* A missing file is the caller's to judge (user add creates it,
		 * --dns backs up a resolv.conf that may not exist); other errors
		 * carry detail that ERR_IO would lose. */
		if (e == ENOENT)
			return ERR_NOT_FOUND;
		log_msg(LOG_LEVEL_ERROR, "file", "%s: %s", path, strerror(e));
		return ERR_IO;
	}
	return read_fd(fd, path, limit, out, len);
}

int sys_read_fd(int fd, const char *name, size_t limit, char **out, size_t *len)
{
	return read_fd(fd, name, limit, out, len);
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool sys_file_is_shared(const char *path, mode_t *mode)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	*mode = st.st_mode & 07777;
	return (st.st_mode & 077) != 0;
}

int sys_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return ERR_INVALID;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "file", "%s: %s", tmp, strerror(errno));
		return ERR_IO;
	}
	/* fchmod before any byte is written: secrets never sit at a wider mode. */
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		log_msg(LOG_LEVEL_ERROR, "file", "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return ERR_IO;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		log_msg(LOG_LEVEL_ERROR, "file", "%s: %s", path, strerror(errno));
		unlink(tmp);
		return ERR_IO;
	}
	/* Make the rename itself durable. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int sys_write_setting(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	size_t len = strlen(value);
	ssize_t n;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	close(fd);
	return n == (ssize_t)len ? 0 : ERR_IO;
}
