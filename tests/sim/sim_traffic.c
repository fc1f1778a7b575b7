/* SPDX-License-Identifier: BSD-2-Clause */
#include "sim_traffic.h"

#include <string.h>

#include "base/bytes.h"
#include "base/inet_checksum.h"

#define TAG_MAGIC 0x53494D31u /* "SIM1" */
#define TAG_LEN 20u           /* magic, client, dir, epoch, seq, check */

static uint32_t tag_check(const uint8_t *payload, size_t len)
{
	uint32_t h = 2166136261u;
	/* Every byte but the check field itself (16..19), in order. */
	for (size_t i = 0; i < len && i < 16; i++)
		h = (h ^ payload[i]) * 16777619u;
	for (size_t i = 20; i < len; i++)
		h = (h ^ payload[i]) * 16777619u;
	return h;
}

void sim_ledger_reset(struct sim_ledger *l, uint32_t epoch)
{
	memset(l, 0, sizeof(*l));
	l->epoch = epoch;
}

static bool bit(const uint8_t *map, uint32_t n)
{
	return (map[n / 8] >> (n % 8)) & 1u;
}

static void set_bit(uint8_t *map, uint32_t n)
{
	map[n / 8] |= (uint8_t)(1u << (n % 8));
}

bool sim_ledger_was_delivered(const struct sim_ledger *l, uint32_t seq)
{
	return seq < SIM_TRAFFIC_MAX_SEQ && bit(l->delivered, seq);
}

struct pkt *sim_traffic_make(struct sim_ledger *l, uint16_t client, enum sim_dir dir, uint32_t src, uint32_t dst,
			     size_t pad_len, uint32_t *seq_out)
{
	if (l->next_seq >= SIM_TRAFFIC_MAX_SEQ || pad_len >= 1200)
		return NULL;
	uint32_t seq = l->next_seq++;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		return NULL;
	size_t payload_len = TAG_LEN + pad_len;
	size_t total = 28 + payload_len;
	uint8_t *ip = pkt_put(p, total);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)total);
	ip[8] = 64;
	ip[9] = 17; /* UDP */
	store_be32(ip + 12, src);
	store_be32(ip + 16, dst);
	store_be16(ip + 10, inet_checksum(ip, 20));
	store_be16(ip + 20, 40000);
	store_be16(ip + 22, 9);
	store_be16(ip + 24, (uint16_t)(8 + payload_len));
	uint8_t *pl = ip + 28;
	store_be32(pl, TAG_MAGIC);
	store_be16(pl + 4, client);
	store_be16(pl + 6, (uint16_t)dir);
	store_be32(pl + 8, l->epoch);
	store_be32(pl + 12, seq);
	for (size_t i = 0; i < pad_len; i++)
		pl[TAG_LEN + i] = (uint8_t)(seq * 31u + i);
	uint32_t check = tag_check(pl, payload_len);
	store_be32(pl + 16, check);
	if (l->made && (l->made_client != client || l->made_dir != (uint16_t)dir))
		l->mixed = true;
	l->made = true;
	l->made_client = client;
	l->made_dir = (uint16_t)dir;
	l->check[seq] = check;
	l->pad[seq] = (uint16_t)pad_len;
	set_bit(l->sent, seq);
	l->sent_count++;
	if (seq_out)
		*seq_out = seq;
	return p;
}

/* Are these exactly the bytes sim_traffic_make wrote into a packet of this
 * ledger (its header, check value and pad)? Then their check holds without
 * hashing them. Only a ledger whose packets were all made for one client
 * and direction (the world's are) knows its header. */
static bool as_made(const struct sim_ledger *l, const uint8_t *pl, size_t payload_len)
{
	if (!l->made || l->mixed)
		return false;
	uint32_t seq = load_be32(pl + 12);
	if (seq >= SIM_TRAFFIC_MAX_SEQ || !bit(l->sent, seq) || load_be16(pl + 4) != l->made_client ||
	    load_be16(pl + 6) != l->made_dir || load_be32(pl + 8) != l->epoch || load_be32(pl + 16) != l->check[seq] ||
	    payload_len != TAG_LEN + (size_t)l->pad[seq])
		return false;
	uint8_t diff = 0;
	for (size_t i = 0; i < l->pad[seq]; i++)
		diff |= (uint8_t)(pl[TAG_LEN + i] ^ (uint8_t)(seq * 31u + i));
	return diff == 0;
}

enum sim_receipt sim_traffic_receive(struct sim_ledger *l, uint16_t client, enum sim_dir dir, const uint8_t *ip,
				     size_t len)
{
	if (len < 28 + TAG_LEN || (ip[0] >> 4) != 4)
		return SIM_RECEIPT_CORRUPT;
	size_t ihl = (size_t)(ip[0] & 15u) * 4;
	if (ihl != 20 || ip[9] != 17 || load_be16(ip + 2) != len)
		return SIM_RECEIPT_CORRUPT;
	const uint8_t *pl = ip + 28;
	size_t payload_len = len - 28;
	if (load_be32(pl) != TAG_MAGIC || (!as_made(l, pl, payload_len) && load_be32(pl + 16) != tag_check(pl, payload_len)))
		return SIM_RECEIPT_CORRUPT;
	if (load_be16(pl + 4) != client || load_be16(pl + 6) != (uint16_t)dir)
		return SIM_RECEIPT_FOREIGN;
	uint32_t seq = load_be32(pl + 12);
	if (load_be32(pl + 8) != l->epoch || seq >= SIM_TRAFFIC_MAX_SEQ || !bit(l->sent, seq))
		return SIM_RECEIPT_NEVER_SENT;
	if (bit(l->delivered, seq))
		return SIM_RECEIPT_DUPLICATE;
	set_bit(l->delivered, seq);
	l->delivered_count++;
	return SIM_RECEIPT_OK;
}

const char *sim_receipt_name(enum sim_receipt r)
{
	switch (r) {
	case SIM_RECEIPT_OK:
		return "ok";
	case SIM_RECEIPT_CORRUPT:
		return "corrupted";
	case SIM_RECEIPT_FOREIGN:
		return "another session's packet";
	case SIM_RECEIPT_NEVER_SENT:
		return "never sent (or from an earlier life)";
	case SIM_RECEIPT_DUPLICATE:
		return "delivered twice";
	}
	return "?";
}
