/* SPDX-License-Identifier: BSD-2-Clause */
#include "load/load_icmp.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The filler after the timestamp: changes with the sequence number, so a
 * reply that carries another packet's bytes does not pass. */
static uint8_t pattern_byte(uint16_t seq, size_t i)
{
	return (uint8_t)(i * 7u + seq);
}

int load_icmp_build(uint8_t *buf, size_t cap, size_t size, const struct load_echo *e)
{
	if (size < LOAD_ICMP_MIN_SIZE || size > LOAD_ICMP_MAX_SIZE || size > cap)
		return ERR_INVALID;
	uint8_t *ip = buf, *icmp = buf + 20, *data = buf + LOAD_ICMP_HEADERS;
	memset(ip, 0, 20);
	ip[0] = 0x45; /* IPv4, 20-byte header */
	put16(ip + 2, (uint16_t)size);
	put16(ip + 4, e->seq); /* identification */
	ip[8] = 64;            /* TTL */
	ip[9] = 1;             /* ICMP */
	put32(ip + 12, e->src);
	put32(ip + 16, e->dst);
	put16(ip + 10, inet_checksum(ip, 20));
	icmp[0] = 8; /* echo request */
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, e->id);
	put16(icmp + 6, e->seq);
	put32(data, (uint32_t)(e->sent_us >> 32));
	put32(data + 4, (uint32_t)e->sent_us);
	for (size_t i = 8; i < size - LOAD_ICMP_HEADERS; i++)
		data[i] = pattern_byte(e->seq, i);
	put16(icmp + 2, inet_checksum(icmp, size - 20));
	return (int)size;
}

enum load_icmp_verdict load_icmp_parse_reply(const uint8_t *ip, size_t len, struct load_echo *out)
{
	if (len < 20 || (ip[0] >> 4) != 4)
		return LOAD_ICMP_NOT_ICMP;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8 || ip[9] != 1)
		return LOAD_ICMP_NOT_ICMP;
	const uint8_t *icmp = ip + ihl;
	if (icmp[0] != 0 || icmp[1] != 0)
		return LOAD_ICMP_NOT_ICMP;
	out->src = get32(ip + 12);
	out->dst = get32(ip + 16);
	out->id = get16(icmp + 4);
	out->seq = get16(icmp + 6);
	out->sent_us = 0;
	size_t total = get16(ip + 2);
	if (total != len || inet_checksum(ip, ihl) != 0 || len < ihl + 16)
		return LOAD_ICMP_CORRUPT;
	if (inet_checksum(icmp, len - ihl) != 0)
		return LOAD_ICMP_CORRUPT;
	const uint8_t *data = icmp + 8;
	size_t dlen = len - ihl - 8;
	out->sent_us = (uint64_t)get32(data) << 32 | get32(data + 4);
	for (size_t i = 8; i < dlen; i++)
		if (data[i] != pattern_byte(out->seq, i))
			return LOAD_ICMP_CORRUPT;
	return LOAD_ICMP_REPLY;
}
