/* SPDX-License-Identifier: BSD-2-Clause */
/* The in-process traffic of `openpptp load`: an IPv4 ICMP echo request
 * (RFC 792) from a session's tunnel address to the server's, built in
 * userspace and handed to the tunnel engine (which encrypts it), and the
 * check of what comes back decrypted: an echo reply (type 0) with our
 * identifier and a sequence number we sent, checksums right (RFC 1071),
 * and the payload we put in — a 64-bit send time in microseconds then a
 * pattern derived from the sequence number — intact. Pure. */
#ifndef OPENPPTP_LOAD_LOAD_ICMP_H
#define OPENPPTP_LOAD_LOAD_ICMP_H

#include <stddef.h>
#include <stdint.h>

#define LOAD_ICMP_HEADERS 28 /* IPv4 (20, no options) + ICMP (8) */
#define LOAD_ICMP_MIN_SIZE (LOAD_ICMP_HEADERS + 8)
#define LOAD_ICMP_MAX_SIZE 1400 /* under a PPTP MTU with MPPE */

struct load_echo {
	uint32_t src, dst; /* host order */
	uint16_t id, seq;
	uint64_t sent_us;
};

/* Write an echo request of `size` bytes (LOAD_ICMP_MIN_SIZE..MAX) into buf.
 * Returns size, or ERR_INVALID. */
int load_icmp_build(uint8_t *buf, size_t cap, size_t size, const struct load_echo *e);

enum load_icmp_verdict {
	LOAD_ICMP_REPLY = 0, /* a good echo reply: *out filled */
	LOAD_ICMP_NOT_ICMP,  /* not IPv4/ICMP, or not an echo reply: not ours */
	LOAD_ICMP_CORRUPT,   /* ours in shape, but a checksum, length or payload is wrong */
};

/* Check one decrypted IP packet. out->id/seq/src/dst/sent_us come from the
 * packet (the caller matches id and dst to its session). */
enum load_icmp_verdict load_icmp_parse_reply(const uint8_t *ip, size_t len, struct load_echo *out);

#endif
