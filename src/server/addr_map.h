/* SPDX-License-Identifier: BSD-2-Clause */
/* Tunnel address -> session, for packets from the shared TUN: open
 * addressing with linear probing and backward-shift deletion, O(1) with
 * 10^4 sessions, no allocation per insert. */
#ifndef OPENPPTP_SERVER_ADDR_MAP_H
#define OPENPPTP_SERVER_ADDR_MAP_H

#include <stddef.h>
#include <stdint.h>

struct addr_map_slot {
	uint32_t addr;  /* 0 = empty */
	void *value;
};

struct addr_map {
	struct addr_map_slot *slots;
	size_t mask;    /* capacity - 1 (a power of two) */
	size_t count;
};

/* Room for at least max_entries at a load factor of one half. */
int addr_map_init(struct addr_map *m, size_t max_entries);
void addr_map_destroy(struct addr_map *m);
/* 0, ERR_EXISTS, ERR_LIMIT (full) or ERR_INVALID (address 0). */
int addr_map_put(struct addr_map *m, uint32_t addr, void *value);
void *addr_map_get(const struct addr_map *m, uint32_t addr);
void addr_map_del(struct addr_map *m, uint32_t addr);

#endif
