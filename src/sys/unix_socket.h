/* SPDX-License-Identifier: BSD-2-Clause */
/* Unix stream sockets for the daemon's control socket (`openpptp status`). */
#ifndef OPENPPTP_SYS_UNIX_SOCKET_H
#define OPENPPTP_SYS_UNIX_SOCKET_H

#include <stddef.h>

/* Listen on path (an old socket file is replaced; the directory is made
 * 0755 if missing; the socket is 0600). Nonblocking. fd or negative error. */
int unix_listen(const char *path);
/* Accept one connection (blocking I/O on it, with a 2 s timeout). */
int unix_accept(int listen_fd);
/* Connect (blocking). fd or negative error. */
int unix_connect(const char *path);
/* Write everything / read until EOF or cap; return bytes or negative error. */
int unix_write_all(int fd, const void *buf, size_t len);
int unix_read_all(int fd, void *buf, size_t cap);

#endif
