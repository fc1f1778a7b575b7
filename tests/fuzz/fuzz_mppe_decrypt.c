/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The MPPE receive path fed arbitrary packets: header parsing, the
 * stateless/stateful count state machine, key changes, decryption and (when
 * the first byte turns MPPC on) decompression of whatever comes out.
 *
 * Input: one configuration byte, then packets as [len u16 big-endian][bytes]
 * (the bytes after PPP protocol 0x00FD). Configuration byte: bits 0-1 key
 * size (40/56/128/128), bit 2 stateless, bit 3 MPPC, bit 4 the Linux rule
 * "FLUSHED means a key change" (reset_changes_key).
 * Keys: the MPPE-128 session of tests/vectors/mppe/capture_packets.h seen
 * from the client (so real captured packets make good seeds). */
#include <string.h>

#include "base/log.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"

/* The server's send start key in the capture (testuser / testpass123). */
static const uint8_t capture_server_send[16] = {
	0xe2, 0x7b, 0x9c, 0xa3, 0x25, 0x92, 0xdf, 0xec,
	0x35, 0xdb, 0x32, 0xad, 0xc7, 0x71, 0x42, 0x55,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned key_bits[4] = { 40, 56, 128, 128 };
	if (size < 1)
		return 0;
	log_set_level(LOG_LEVEL_ERROR);
	struct mppe_channel_config cfg = {
		.key_bits = key_bits[data[0] & 3],
		.stateless = (data[0] & 4) != 0,
		.compress = (data[0] & 8) != 0,
		.max_rekeys = 64,
		.reset_changes_key = (data[0] & 16) != 0,
	};
	struct mppe_channel ch;
	if (mppe_channel_init(&ch, &cfg, capture_server_send, capture_server_send) < 0)
		return 0;
	size_t at = 1;
	static uint8_t storage[PKT_SIZE];
	while (at + 2 <= size) {
		size_t len = ((size_t)data[at] << 8) | data[at + 1];
		at += 2;
		if (len > size - at)
			len = size - at;
		if (len > PKT_SIZE - PKT_HEADROOM)
			len = PKT_SIZE - PKT_HEADROOM;
		struct pkt p;
		pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
		memcpy(pkt_put(&p, len), data + at, len);
		at += len;
		bool reset = false;
		int rc = mppe_channel_receive(&ch, &p, 0, &reset);
		if (rc == 0 && (p.off + p.len > p.cap))
			__builtin_trap();
	}
	mppe_channel_wipe(&ch);
	return 0;
}
