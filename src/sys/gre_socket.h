/* SPDX-License-Identifier: BSD-2-Clause */
/* The raw IP socket for protocol 47 (GRE). Received packets start with the
 * IPv4 header (the GRE layer parses it); sent packets start at GRE (the
 * kernel adds the IPv4 header). Addresses are uint32_t in host order. */
#ifndef OPENPPTP_SYS_GRE_SOCKET_H
#define OPENPPTP_SYS_GRE_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"

#define GRE_BATCH_MAX 64

/* A nonblocking, close-on-exec raw GRE socket; bound to local_addr unless
 * it is 0. Returns the fd or a negative error. */
int gre_socket_open(uint32_t local_addr);

/* Receive up to n packets into pkts[i] (each at its current headroom;
 * len set to the datagram size) and their source addresses. Returns the
 * count (>= 1), ERR_AGAIN when nothing is waiting, ERR_IO. A datagram longer
 * than a packet's tailroom is truncated by the kernel: such packets get
 * len = 0 and should be dropped by the caller. */
int gre_socket_recv_batch(int fd, struct pkt *const pkts[], uint32_t src_addrs[], size_t n);
/* The same, and the socket's running count of datagrams the kernel dropped
 * for want of buffer (SO_RXQ_OVFL, set by gre_socket_open): *have_drops is
 * true when a datagram carried it (the kernel adds it once it is non-zero). */
int gre_socket_recv_batch_drops(int fd, struct pkt *const pkts[], uint32_t src_addrs[], size_t n,
				uint32_t *drops, bool *have_drops);

/* Send pkts[i] to dst_addrs[i]; returns how many went out (>= 0), stopping
 * at the first that the kernel would block on (ERR_AGAIN if none). */
int gre_socket_send_batch(int fd, struct pkt *const pkts[], const uint32_t dst_addrs[], size_t n);
int gre_socket_send(int fd, const struct pkt *p, uint32_t dst_addr);

#endif
