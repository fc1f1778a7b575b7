/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/addr_map.h"

#include <stdlib.h>

#include "base/error.h"

static size_t addr_hash(uint32_t a)
{
	a ^= a >> 16;
	a *= 0x45d9f3bU;
	a ^= a >> 16;
	return a;
}

int addr_map_init(struct addr_map *m, size_t max_entries)
{
	size_t cap = 16;
	while (cap < max_entries * 2)
		cap <<= 1;
	m->slots = calloc(cap, sizeof(*m->slots));
	m->mask = cap - 1;
	m->count = 0;
	return m->slots ? 0 : ERR_NOMEM;
}

void addr_map_destroy(struct addr_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->count = 0;
}

int addr_map_put(struct addr_map *m, uint32_t addr, void *value)
{
	if (addr == 0)
		return ERR_INVALID;
	if (m->count * 2 >= m->mask + 1)
		return ERR_LIMIT;
	for (size_t i = addr_hash(addr) & m->mask;; i = (i + 1) & m->mask) {
		if (m->slots[i].addr == addr)
			return ERR_EXISTS;
		if (m->slots[i].addr == 0) {
			m->slots[i].addr = addr;
			m->slots[i].value = value;
			m->count++;
			return 0;
		}
	}
}

void *addr_map_get(const struct addr_map *m, uint32_t addr)
{
	if (addr == 0 || !m->slots)
		return NULL;
	for (size_t i = addr_hash(addr) & m->mask;; i = (i + 1) & m->mask) {
		if (m->slots[i].addr == addr)
			return m->slots[i].value;
		if (m->slots[i].addr == 0)
			return NULL;
	}
}

void addr_map_del(struct addr_map *m, uint32_t addr)
{
	if (addr == 0 || !m->slots)
		return;
	size_t i = addr_hash(addr) & m->mask;
	while (m->slots[i].addr != addr) {
		if (m->slots[i].addr == 0)
			return;
		i = (i + 1) & m->mask;
	}
	/* Backward-shift: move later entries of the probe run into the hole. */
	size_t hole = i;
	for (size_t j = (hole + 1) & m->mask; m->slots[j].addr != 0; j = (j + 1) & m->mask) {
		size_t home = addr_hash(m->slots[j].addr) & m->mask;
		/* j's entry may move to hole if its home is not in (hole, j]. */
		if (((j - home) & m->mask) >= ((j - hole) & m->mask)) {
			m->slots[hole] = m->slots[j];
			hole = j;
		}
	}
	m->slots[hole].addr = 0;
	m->slots[hole].value = NULL;
	m->count--;
}
