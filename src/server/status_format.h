/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp status`: one snapshot per session, formatted as a table for
 * people or as JSON for scripts. Pure functions over a writer buffer so the
 * daemon answers the control socket without allocating per request. */
#ifndef OPENPPTP_SERVER_STATUS_FORMAT_H
#define OPENPPTP_SERVER_STATUS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session_snapshot {
	char user[64];
	char state[16];           /* "auth", "up", "closing" ... */
	uint32_t peer_address;    /* host order */
	uint32_t tunnel_address;  /* host order, 0 = not yet */
	char ipv6_prefix[48];     /* "2001:db8:1:710a::/64", "" = none */
	uint16_t local_call_id;
	uint16_t peer_call_id;
	uint64_t uptime_s;
	char auth[16];            /* "mschapv2" ... */
	char acct_session_id[20]; /* RADIUS Acct-Session-Id (JSON only) */
	unsigned mppe_bits;       /* 0 = none */
	bool mppe_stateless;
	uint64_t tx_packets, tx_bytes;
	uint64_t rx_packets, rx_bytes;
	uint64_t gre_lost, gre_reordered, gre_duplicate, gre_late;
	/* decapsulated packets dropped before the TUN (ppp_link_stats) */
	uint64_t drop_ip_source, drop_ip_version, drop_ip_malformed;
	/* above the session MTU: ICMP answers, IPv4 fragments; MSS clamps */
	uint64_t icmp_too_big, fragments, mss_clamped;
	/* MPPE receiver: losses, resets asked, bridged, garbage (issue 12 §2) */
	uint64_t mppe_lost, mppe_resets_sent, mppe_recovered, mppe_garbage, mppe_garbage_resyncs;
	uint64_t mppe_over_budget; /* catch-up/resync search refused (issue 11 item 5) */
};

struct status_header {
	char version[32];
	uint64_t uptime_s;
	uint32_t sessions;
	uint32_t max_sessions;
	uint32_t control_connections;
	uint64_t gre_socket_drops;  /* datagrams the kernel dropped on our raw socket (SO_RXQ_OVFL) */
	/* the event loop (sys/loop.h): worst iteration since start and since
	 * the previous status request, iterations over 10 ms */
	uint64_t loop_iterations;
	uint64_t loop_worst_stall_us, loop_recent_stall_us, loop_stalls_over_10ms;
};

/* Both return the length written (without the NUL) or ERR_NOSPACE. */
int status_format_table(char *out, size_t cap, const struct status_header *header,
			const struct session_snapshot *sessions, size_t count);
int status_format_json(char *out, size_t cap, const struct status_header *header,
		       const struct session_snapshot *sessions, size_t count);

/* The same in pieces, for an answer written a part at a time
 * (status_stream.c): the head, one row per session, and for JSON the
 * tail. Each returns the length written or ERR_NOSPACE. */
int status_format_table_head(char *out, size_t cap, const struct status_header *header);
int status_format_table_row(char *out, size_t cap, const struct session_snapshot *session);
int status_format_json_head(char *out, size_t cap, const struct status_header *header);
int status_format_json_row(char *out, size_t cap, const struct session_snapshot *session, bool first);
#define STATUS_JSON_TAIL "]}\n"
/* Room one row needs at most: the JSON escapes of a 63-byte name (6 bytes
 * each) and 20 counters of 20 digits, with their keys. */
#define STATUS_ROW_MAX 2048u

/* "203.0.113.10" for a host-order address. */
void ipv4_to_text(uint32_t addr, char out[16]);

#endif
