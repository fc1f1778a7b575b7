/* SPDX-License-Identifier: BSD-2-Clause */
/* --sources PREFIX: the underlay source addresses the load generator
 * spreads its sessions over (session i uses address i mod count), so the
 * server sees many peers as in the field — per-source limits and its
 * (peer address, call ID) table get exercised. Every address of the prefix
 * is used, network and broadcast included (the test adds each as a /32, so
 * none is special); the prefix is at most LOAD_SOURCES_MAX addresses. Only
 * 198.18.0.0/15 (RFC 2544 benchmarking) is accepted: the generator must
 * never put load on addresses that belong to someone. Pure. */
#ifndef OPENPPTP_LOAD_LOAD_SOURCES_H
#define OPENPPTP_LOAD_LOAD_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#define LOAD_SOURCES_MAX 4096

/* "198.18.0.16/28" -> 16 addresses (host order) in out[], *count set.
 * ERR_INVALID: not a prefix; ERR_LIMIT: more than max addresses;
 * ERR_UNSUPPORTED: outside 198.18.0.0/15. */
int load_sources_expand(const char *text, uint32_t *out, size_t max, size_t *count);

#endif
