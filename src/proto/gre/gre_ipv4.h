/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPv4 header in front of each GRE packet read from a raw
 * IPPROTO_GRE socket (Linux raw IPv4 sockets deliver the IP header).
 * A pure parser: checks the header and finds the GRE bytes. */
#ifndef OPENPPTP_GRE_IPV4_H
#define OPENPPTP_GRE_IPV4_H

#include <stddef.h>
#include <stdint.h>

#define GRE_IP_PROTOCOL 47u
#define GRE_IPV4_HEADER_MIN 20u

struct gre_ipv4 {
	uint32_t src;       /* host order: 192.0.2.1 is 0xC0000201 */
	uint32_t dst;
	uint8_t ttl;
	size_t header_len;  /* IHL * 4: where the GRE bytes start */
	const uint8_t *gre; /* points into the input buffer */
	size_t gre_len;     /* total length - header length */
};

/* Parse the IPv4 header at buf (len bytes received). Checks version 4,
 * 5 <= IHL with the header within the bytes, header length <= total
 * length <= bytes received (bytes after total length are ignored),
 * protocol 47 and not a fragment. Returns the header length or a
 * negative gre_error (GRE_ERR_IP_*). The IP checksum is not checked: the
 * kernel drops bad ones before raw delivery. */
int gre_ipv4_parse(const uint8_t *buf, size_t len, struct gre_ipv4 *out);

struct pkt;
/* gre_ipv4_parse on p's data, then strip in place: afterwards p holds
 * exactly the GRE bytes. p is untouched on error. */
int gre_ipv4_strip(struct pkt *p, struct gre_ipv4 *out);

#endif
