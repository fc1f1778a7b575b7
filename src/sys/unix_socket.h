/* SPDX-License-Identifier: BSD-2-Clause */
/* Unix stream sockets for the daemon's control socket (`openpptp status`). */
#ifndef OPENPPTP_SYS_UNIX_SOCKET_H
#define OPENPPTP_SYS_UNIX_SOCKET_H

#include <stddef.h>
#include <sys/types.h>

/* Listen on path (an old socket file is replaced; the directory is made
 * 0755 if missing; the socket is 0600). Nonblocking. fd or negative error. */
int unix_listen(const char *path);
/* Accept one connection, nonblocking: fd, ERR_AGAIN when none, ERR_LIMIT
 * when out of descriptors, ERR_IO. */
int unix_accept(int listen_fd);
/* Who is on the other end (SO_PEERCRED): 0 or ERR_IO. */
int unix_peer_cred(int fd, uid_t *uid, gid_t *gid);
/* The group of the socket file at path: 0 or ERR_IO. */
int unix_socket_group(const char *path, gid_t *gid);
/* Connect (blocking). fd or negative error. */
int unix_connect(const char *path);
/* Write everything / read until EOF or cap; return bytes or negative error. */
int unix_write_all(int fd, const void *buf, size_t len);
int unix_read_all(int fd, void *buf, size_t cap);

#endif
