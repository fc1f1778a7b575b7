/* SPDX-License-Identifier: BSD-2-Clause */
/* sd_notify(3)'s wire protocol: connect to $NOTIFY_SOCKET, send text. */
#include "sys/sd_notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/error.h"

int sd_notify_open(struct sd_notify *n, const char *name)
{
	n->fd = -1;
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	size_t len = strlen(name);
	/* A path must be absolute; '@' starts an abstract name (its NUL first byte). */
	if (len < 2 || len >= sizeof(sa.sun_path) || (name[0] != '/' && name[0] != '@'))
		return ERR_INVALID;
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '/'));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return ERR_IO;
	if (connect(fd, (struct sockaddr *)&sa, salen) < 0) {
		close(fd);
		return ERR_IO;
	}
	n->fd = fd;
	return 0;
}

int sd_notify_open_env(struct sd_notify *n)
{
	n->fd = -1;
	const char *name = getenv("NOTIFY_SOCKET");
	if (!name || !name[0])
		return 0;
	return sd_notify_open(n, name);
}

int sd_notify_send(struct sd_notify *n, const char *text)
{
	if (n->fd < 0)
		return 0;
	if (send(n->fd, text, strlen(text), MSG_NOSIGNAL) < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? ERR_AGAIN : ERR_IO;
	return 0;
}

void sd_notify_close(struct sd_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

static uint64_t sd_notify_env_number(const char *name)
{
	const char *text = getenv(name);
	if (!text || text[0] < '0' || text[0] > '9')
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	return errno || *end ? 0 : (uint64_t)v;
}

uint64_t sd_notify_watchdog_usec(void)
{
	const char *pid = getenv("WATCHDOG_PID");
	if (pid && pid[0] && sd_notify_env_number("WATCHDOG_PID") != (uint64_t)getpid())
		return 0;
	return sd_notify_env_number("WATCHDOG_USEC");
}
