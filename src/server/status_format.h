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
};

struct status_header {
	char version[32];
	uint64_t uptime_s;
	uint32_t sessions;
	uint32_t max_sessions;
	uint32_t control_connections;
	uint64_t gre_socket_drops;  /* datagrams the kernel dropped on our raw socket (SO_RXQ_OVFL) */
};

/* Both return the length written (without the NUL) or ERR_NOSPACE. */
int status_format_table(char *out, size_t cap, const struct status_header *header,
			const struct session_snapshot *sessions, size_t count);
int status_format_json(char *out, size_t cap, const struct status_header *header,
		       const struct session_snapshot *sessions, size_t count);

/* "203.0.113.10" for a host-order address. */
void ipv4_to_text(uint32_t addr, char out[16]);

#endif
