/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6 address scopes, one test for every layer (RFC 4291 §2.4, §2.5.6). */
#ifndef OPENPPTP_BASE_IPV6_SCOPE_H
#define OPENPPTP_BASE_IPV6_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

/* Link-local unicast: fe80::/10. */
static inline bool ipv6_is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

#endif
