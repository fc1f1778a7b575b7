/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/unix_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/error.h"

static int unix_address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return ERR_INVALID;
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

int unix_listen(const char *path)
{
	struct sockaddr_un sa;
	if (unix_address(path, &sa) < 0)
		return ERR_INVALID;
	char dir[sizeof(sa.sun_path)];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ERR_IO;
	(void)unlink(path);
	/* The file is 0600 from the moment bind makes it (umask), not only
	 * after the chmod: nobody else can connect in between. */
	mode_t old_mask = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
		close(fd);
		return ERR_IO;
	}
	return fd;
}

int unix_accept(int listen_fd)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? ERR_AGAIN
		       : errno == EMFILE || errno == ENFILE    ? ERR_LIMIT
							       : ERR_IO;
	return fd;
}

int unix_peer_cred(int fd, uid_t *uid, gid_t *gid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || len != sizeof(cred))
		return ERR_IO;
	*uid = cred.uid;
	*gid = cred.gid;
	return 0;
}

int unix_socket_group(const char *path, gid_t *gid)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return ERR_IO;
	*gid = st.st_gid;
	return 0;
}

int unix_connect(const char *path)
{
	struct sockaddr_un sa;
	if (unix_address(path, &sa) < 0)
		return ERR_INVALID;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ERR_IO;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return errno == ENOENT || errno == ECONNREFUSED ? ERR_NOT_FOUND : ERR_IO;
	}
	return fd;
}

int unix_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ERR_IO;
		done += (size_t)n;
	}
	return (int)done;
}

int unix_read_all(int fd, void *buf, size_t cap)
{
	char *p = buf;
	size_t done = 0;
	while (done < cap) {
		ssize_t n = read(fd, p + done, cap - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (int)done : ERR_IO;
		if (n == 0)
			break;
		done += (size_t)n;
		if (memchr(p, '\n', done))
			break;
	}
	return (int)done;
}
