/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 addresses as dotted-quad text, for configuration and for the
 * engines (RADIUS carries addresses as text too). Addresses are uint32_t
 * in host byte order. */
#ifndef OPENPPTP_BASE_IPV4_TEXT_H
#define OPENPPTP_BASE_IPV4_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_STR_MAX 16 /* "255.255.255.255" + NUL */

/* Strict dotted quad: four decimal parts 0..255, no leading zeros (which
 * inet_aton would read as octal), nothing else. 0 or ERR_MALFORMED. */
int ipv4_parse(const char *s, uint32_t *out);
int ipv4_parse_n(const char *s, size_t len, uint32_t *out);
/* Writes "a.b.c.d" into out (IPV4_STR_MAX bytes); returns out. */
char *ipv4_format(uint32_t addr, char out[IPV4_STR_MAX]);

/* One decimal number 0..max, no leading zero, at s[*pos] (len bytes in
 * all); advances *pos. 0 or ERR_MALFORMED. */
int ipv4_decimal_parse(const char *s, size_t len, size_t *pos, unsigned max, unsigned *out);

/* "ADDR:PORT", or "ADDR" with default_port (0: the port is required).
 * The port is decimal 1..65535, no sign, no leading zero. 0 or
 * ERR_MALFORMED. */
int ipv4_addr_port_parse(const char *s, uint16_t default_port, uint32_t *addr, uint16_t *port);

/* An IPv4 prefix, host byte order, no host bits set. */
struct ipv4_prefix {
	uint32_t addr;
	uint8_t len; /* 0..32 */
};
#define IPV4_PREFIX_TEXT_MAX 18 /* "255.255.255.255/32" */

/* "A.B.C.D/LEN", exactly: LEN 0..32 decimal without leading zero, no host
 * bits set. 0 or ERR_MALFORMED. */
int ipv4_prefix_parse(const char *s, size_t len, struct ipv4_prefix *out);
/* Whether inner lies wholly inside outer. */
bool ipv4_prefix_contains(const struct ipv4_prefix *outer, const struct ipv4_prefix *inner);

#endif
