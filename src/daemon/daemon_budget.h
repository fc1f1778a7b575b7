/* SPDX-License-Identifier: BSD-2-Clause */
/* How much one readiness callback may do before it yields to the others,
 * and how much a peer may make us hold. The same numbers on the server and
 * the client: the loop is level-triggered (epoll without EPOLLET), so work
 * left over is picked up at the next iteration, and a budget only decides
 * fairness, never whether a packet is read.
 *
 * - Control reads: a PPTP control message is at most 220 bytes (RFC 2637
 *   §2.1, the largest is Start-Control-Connection-Request/-Reply at 156,
 *   Outgoing-Call-Request at 168) and a control connection carries a few a
 *   minute. 8 reads of 4 KiB (32 KiB, some 200 messages) per round is far
 *   above any honest peer and keeps one flooding connection from starving
 *   thousands of others on the server.
 * - Control output: we only ever answer (replies, echoes, call clearing);
 *   64 KiB is hundreds of messages a peer has not read. A peer that stops
 *   reading its control connection is treated as gone (the connection is
 *   closed), on both sides: carrying on with a dropped control message
 *   would desynchronise the two state machines.
 * - GRE and TUN: 256 packets each per callback (GRE in recvmmsg batches of
 *   32), so neither direction of the data path can starve the other, and
 *   one epoll_wait is spread over at least 256 packets (< 1% overhead). */
#ifndef OPENPPTP_DAEMON_DAEMON_BUDGET_H
#define OPENPPTP_DAEMON_DAEMON_BUDGET_H

#define DAEMON_CTRL_READ_SIZE 4096
#define DAEMON_CTRL_READS_PER_ROUND 8
#define DAEMON_CTRL_OUTPUT_LIMIT (64 * 1024)

#define DAEMON_GRE_BATCH 32
#define DAEMON_GRE_ROUNDS 8          /* 8 x 32 = 256 datagrams per callback */
#define DAEMON_TUN_READS_PER_ROUND 256

/* A stop signal closes every tunnel in order (LCP Terminate, Call-Clear,
 * Stop-Control-Connection); past this the daemon exits anyway. */
#define DAEMON_STOP_GRACE_MS 10000u

/* --up/--down hooks and resolvconf: killed (by PID) after this long. */
#define DAEMON_JOB_TIMEOUT_S 30u

#endif
