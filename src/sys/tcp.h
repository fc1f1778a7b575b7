/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP for the PPTP control connection (port 1723): listen/accept, a
 * nonblocking connect, reads, and an output buffer for partial writes.
 * Addresses are uint32_t in host order; all sockets are nonblocking and
 * close-on-exec. */
#ifndef OPENPPTP_SYS_TCP_H
#define OPENPPTP_SYS_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Listening socket with SO_REUSEADDR; addr 0 = any. Returns fd or error. */
int tcp_listen(uint32_t addr, uint16_t port, int backlog);
/* One pending connection: fd, ERR_AGAIN when none, ERR_LIMIT when out of
 * descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM: not logged), ERR_IO.
 * peer may be NULL. */
int tcp_accept(int listen_fd, uint32_t *peer_addr, uint16_t *peer_port);

/* Start a connection (local_addr 0 = any). Returns the fd: watch it for
 * LOOP_WRITE, then call tcp_connect_result(). The timeout is a loop timer
 * the caller arms; on expiry just close the fd. */
int tcp_connect_start(uint32_t addr, uint16_t port, uint32_t local_addr);
/* 0 connected, ERR_AGAIN still in progress, ERR_IO / ERR_CLOSED refused. */
int tcp_connect_result(int fd);

/* Read up to len bytes: count > 0, ERR_AGAIN, ERR_CLOSED on EOF, ERR_IO. */
int tcp_read(int fd, void *buf, size_t len);

/* Keepalive after idle_s seconds, probes every interval_s, count probes. */
int tcp_set_keepalive(int fd, int idle_s, int interval_s, int count);
/* Disable Nagle: control messages are small and latency matters. */
int tcp_set_nodelay(int fd);
int tcp_local_address(int fd, uint32_t *addr, uint16_t *port);
int tcp_peer_address(int fd, uint32_t *addr, uint16_t *port);

/* Bytes the socket could not take yet. `limit` bounds what a slow peer can
 * make us hold: beyond it, tcp_out_write returns ERR_LIMIT (drop the peer). */
struct tcp_out {
	uint8_t *data;
	size_t off, len, cap;
	size_t limit;
};

void tcp_out_init(struct tcp_out *o, size_t limit);
void tcp_out_destroy(struct tcp_out *o);
static inline bool tcp_out_pending(const struct tcp_out *o)
{
	return o->len > 0;
}
/* Write now what the socket takes, queue the rest (in order behind anything
 * already queued). 0, ERR_LIMIT, ERR_NOMEM, ERR_IO / ERR_CLOSED. */
int tcp_out_write(struct tcp_out *o, int fd, const void *buf, size_t len);
/* Flush the queue: 0 when empty, ERR_AGAIN when bytes remain (watch for
 * LOOP_WRITE), ERR_IO / ERR_CLOSED. */
int tcp_out_flush(struct tcp_out *o, int fd);

#endif
