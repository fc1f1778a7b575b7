/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link data path: frames in (decode, demux to the control protocols,
 * MPPE receive, IP to the TUN) and IP out (MPPE send, framing). */
#include <string.h>

#include "proto/ip/ip_packet.h"
#include "proto/session/ppp_link_internal.h"

/* Hand an IP packet to the owner's TUN sink (ownership passes). */
static void link_deliver_ip(struct ppp_link *link, struct pkt *p)
{
	if (link->cfg.deliver_ip)
		link->cfg.deliver_ip(link->cfg.ctx, p);
	else
		pkt_free(p);
}

/* RFC 6691 §2: the MSS is the MTU less the fixed IP and TCP headers. */
static uint16_t link_mss_for(uint16_t mtu, unsigned version)
{
	unsigned headers = version == 4 ? 40 : 60;
	return mtu > headers ? (uint16_t)(mtu - headers) : 0;
}

/* Built-in MSS clamping (issue 12 §1) on SYN and SYN-ACK in both
 * directions, so TCP never sends a segment the link would have to drop:
 * what users of other PPTP servers do by hand with iptables TCPMSS. */
static void link_clamp_mss(struct ppp_link *link, struct pkt *p, unsigned version)
{
	if (link->cfg.mss_clamp == PPP_LINK_MSS_OFF)
		return;
	uint16_t mss = link_mss_for(ppp_link_mtu(link), version);
	if (link->cfg.mss_clamp > 0) {
		/* --mss-clamp N: N is the IPv4 MSS; IPv6 headers are 20 bytes more. */
		int n = version == 4 ? link->cfg.mss_clamp : link->cfg.mss_clamp - 20;
		if (n > 0 && n < mss)
			mss = (uint16_t)n;
	}
	if (mss && tcp_mss_clamp(pkt_data(p), p->len, mss))
		link->stats.mss_clamped++;
}

/* Issue 11 item 2: all sessions share the server's TUN, so the kernel's
 * reverse-path filter cannot tell them apart; the session itself admits
 * only its own negotiated source (IPv4: the IPCP address; IPv6: fe80::
 * with the IPV6CP interface identifier, RFC 5072 §5) and only the IP
 * version its PPP protocol names. The client checks the version only: the
 * server forwards packets from anywhere. */
static bool link_source_ok(struct ppp_link *link, const struct pkt *p, uint16_t protocol)
{
	struct ip_peer peer = { 0 };
	const struct ip_peer *check = NULL;
	if (link->cfg.role == PPP_LINK_SERVER) {
		peer.ipv4 = link->ipcp.peer_addr;
		peer.ipv6_up = link->ipv6cp_state == NCP_UP;
		peer.ipv6_iid = link->ipv6cp.peer_id;
		peer.ipv6_has_prefix = link->ipv6.has_prefix;
		memcpy(peer.ipv6_prefix, link->ipv6.prefix, sizeof(peer.ipv6_prefix));
		peer.routes = link->routes;
		peer.route_count = link->route_count;
		check = &peer;
	}
	unsigned version = protocol == PPP_PROTO_IP ? 4 : 6;
	switch (ip_source_check(pkt_data(p), p->len, version, check)) {
	case IP_SOURCE_OK:
		return true;
	case IP_SOURCE_MALFORMED:
		link->stats.dropped_ip_malformed++;
		break;
	case IP_SOURCE_WRONG_VERSION:
		link->stats.dropped_ip_version++;
		break;
	case IP_SOURCE_SPOOFED:
		link->stats.dropped_ip_source++;
		log_limited(&link->limit, link->now, LOG_LEVEL_INFO, link->cfg.tag,
			    "IPv%u packet with a source this session was not given: dropped", version);
		break;
	}
	return false;
}

static void link_deliver(struct ppp_link *link, struct pkt *p, uint16_t protocol)
{
	bool ok = link->phase == PPP_PHASE_NETWORK && link->life == LINK_LIFE_UP &&
		  (protocol == PPP_PROTO_IP ? link->ipcp_state : link->ipv6cp_state) == NCP_UP;
	if (!ok || p->len == 0) {
		link->stats.dropped_not_up++;
		pkt_free(p);
		return;
	}
	if (!link_source_ok(link, p, protocol)) {
		pkt_free(p);
		return;
	}
	if (protocol == PPP_PROTO_IPV6 && link_ipv6_intercept(link, p))
		return;
	link->stats.ip_rx_packets++;
	link->stats.ip_rx_bytes += p->len;
	link_clamp_mss(link, p, protocol == PPP_PROTO_IP ? 4 : 6);
	link_deliver_ip(link, p);
}

static void link_receive_compressed(struct ppp_link *link, struct pkt *p)
{
	if (!link->mppe_on) {
		link->stats.mppe_rx_errors++;
		log_limited(&link->limit, link->now, LOG_LEVEL_DEBUG, link->cfg.tag,
			    "MPPE packet without MPPE negotiated: dropped");
		pkt_free(p);
		return;
	}
	/* MPPC decompresses in place up to the buffer's capacity: a frame in a
	 * tight buffer (the caller's choice) moves to a full-size one first. */
	if (link->mppc && p->cap - p->off < PKT_SIZE - PKT_HEADROOM) {
		struct pkt *big = pkt_new(PKT_SIZE, PKT_HEADROOM);
		if (!big || p->len > PKT_SIZE - PKT_HEADROOM) {
			pkt_free(big);
			pkt_free(p);
			link->stats.mppe_rx_errors++;
			return;
		}
		memcpy(pkt_put(big, p->len), pkt_data(p), p->len);
		pkt_free(p);
		p = big;
	}
	bool reset = false;
	int rc = mppe_channel_receive(&link->mppe, p, link->now, &reset);
	if (reset && link->ccp_state != NCP_OFF) {
		link->stats.mppe_resets_sent++;
		(void)ccp_send_reset_request(&link->ccp);
	}
	if (rc < 0) {
		link->stats.mppe_rx_errors++;
		pkt_free(p);
		return;
	}
	/* The inner protocol field: 2 bytes from Linux/pppd, 1 under PFC. */
	const uint8_t *d = pkt_data(p);
	uint16_t inner;
	size_t hl;
	if (p->len >= 1 && (d[0] & 1)) {
		inner = d[0];
		hl = 1;
	} else if (p->len >= 2) {
		inner = load_be16(d);
		hl = 2;
	} else {
		link->stats.frames_malformed++;
		pkt_free(p);
		return;
	}
	if (inner != PPP_PROTO_IP && inner != PPP_PROTO_IPV6) {
		link->stats.dropped_inner_protocol++;
		log_limited(&link->limit, link->now, LOG_LEVEL_INFO, link->cfg.tag,
			    "MPPE payload of protocol 0x%04x dropped (only IP/IPv6)", inner);
		pkt_free(p);
		return;
	}
	(void)pkt_pull(p, hl);
	link_deliver(link, p, inner);
}

void ppp_link_input(struct ppp_link *link, struct pkt *frame, uint64_t now_ms)
{
	if (link->life == LINK_LIFE_NEW || link->phase == PPP_PHASE_DEAD) {
		pkt_free(frame);
		return;
	}
	link->now = now_ms;
	struct ppp_frame_config fc;
	struct ppp_frame f;
	lcp_frame_config(&link->lcp, &fc);
	/* PPP_QUIRK_RECEIVE_ABOVE_MRU. RFC 1661 §6.1: an implementation must still be able to receive a
	 * full 1500-octet information field even when a smaller MRU was
	 * negotiated (pppd peers do send 1500 + MPPE header: capture frame 197). */
	if (fc.mru < 1500)
		fc.mru = 1500;
	if (fc.mru <= UINT16_MAX - LINK_MPPE_OVERHEAD)
		fc.mru = (uint16_t)(fc.mru + LINK_MPPE_OVERHEAD);
	int rc = ppp_frame_decode(&fc, pkt_data(frame), frame->len, &f, NULL);
	if (rc < 0) {
		link->stats.frames_malformed++;
		log_limited(&link->limit, now_ms, LOG_LEVEL_INFO, link->cfg.tag, "bad PPP frame (%zu bytes): %s",
			    frame->len, error_name(rc));
		pkt_free(frame);
		return;
	}
	lcp_note_rx(&link->lcp, now_ms);
	ppp_link_log_packet(link->cfg.tag, "rcvd", f.protocol, f.info, f.info_len);
	if (f.protocol == PPP_PROTO_CCP || f.protocol == PPP_PROTO_IPCP || f.protocol == PPP_PROTO_IPV6CP)
		ppp_link_eap_success_lost(link, f.protocol);
	bool network = link->phase == PPP_PHASE_NETWORK;
	bool reject = false;
	switch (f.protocol) {
	case PPP_PROTO_LCP:
		(void)lcp_input(&link->lcp, f.info, f.info_len, now_ms);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
	case PPP_PROTO_EAP:
		/* RFC 1661 §3.5: authentication packets only once LCP is Opened;
		 * kept afterwards for CHAP re-challenges. */
		if (link_auth_running(link) && link->auth.ops->ppp_protocol == f.protocol)
			(void)auth_input(&link->auth, f.info, f.info_len, now_ms);
		else if (lcp_is_opened(&link->lcp) && link->phase >= PPP_PHASE_AUTHENTICATE && !link_auth_running(link))
			reject = link->auth_method == AUTH_METHOD_NONE;
		break;
	case PPP_PROTO_CCP:
		if (link->ccp_state != NCP_OFF)
			(void)ccp_input(&link->ccp, f.info, f.info_len, now_ms);
		else
			reject = network;
		break;
	case PPP_PROTO_IPCP:
		if (link->ipcp_state != NCP_OFF)
			(void)ipcp_input(&link->ipcp, f.info, f.info_len, now_ms);
		else
			reject = network;
		break;
	case PPP_PROTO_IPV6CP:
		if (link->ipv6cp_state != NCP_OFF)
			(void)ipv6cp_input(&link->ipv6cp, f.info, f.info_len, now_ms);
		else
			reject = network;
		break;
	case PPP_PROTO_COMP: {
		/* Our CCP gave up while the peer's is Opened: ask it to renegotiate. */
		if (!link->mppe_on && link->ccp_state != NCP_OFF && ccp_compressed_while_down(&link->ccp, now_ms))
			link->stats.ccp_term_acks_sent++;
		size_t hl = (size_t)(f.info - pkt_data(frame));
		(void)pkt_pull(frame, hl);
		link_receive_compressed(link, frame);
		frame = NULL;
		break;
	}
	case PPP_PROTO_IP:
	case PPP_PROTO_IPV6: {
		if (link->mppe_on || ppp_link_mppe_required(link)) {
			/* RFC 3078 §4 spirit: once encryption is on (or demanded),
			 * plaintext datagrams are not accepted. */
			link->stats.dropped_unencrypted++;
			break;
		}
		size_t hl = (size_t)(f.info - pkt_data(frame));
		(void)pkt_pull(frame, hl);
		link_deliver(link, frame, f.protocol);
		frame = NULL;
		break;
	}
	default:
		reject = true;
		break;
	}
	if (reject && lcp_is_opened(&link->lcp)) {
		/* RFC 1661 §5.7 */
		if (lcp_send_protocol_reject(&link->lcp, f.protocol, f.info, f.info_len) == 0)
			link->stats.protocol_rejects_sent++;
	}
	if (frame)
		pkt_free(frame);
	ppp_link_drain(link);
}

/* Frame (and encrypt) one IP packet of `protocol` for the peer. */
int link_send_frame(struct ppp_link *link, struct pkt *p, uint16_t protocol)
{
	size_t ip_len = p->len;
	struct ppp_frame_config fc;
	ppp_link_frame_config(link, &fc);
	int rc;
	if (link->mppe_on) {
		uint8_t *h = pkt_push(p, 2);
		if (!h) {
			pkt_free(p);
			return ERR_NOSPACE;
		}
		store_be16(h, protocol);
		rc = mppe_channel_send(&link->mppe, p);
		if (rc == 0)
			rc = ppp_frame_encode(&fc, p, PPP_PROTO_COMP);
	} else {
		rc = ppp_frame_encode(&fc, p, protocol);
	}
	if (rc < 0) {
		pkt_free(p);
		return rc;
	}
	link->stats.ip_tx_packets++;
	link->stats.ip_tx_bytes += ip_len;
	link->cfg.output(link->cfg.ctx, p);
	return 0;
}

static bool link_icmp_allowed(struct ppp_link *link)
{
	uint64_t second = link->now / 1000;
	if (second != link->icmp_second) {
		link->icmp_second = second;
		link->icmp_in_second = 0;
	}
	if (link->icmp_in_second >= LINK_ICMP_PER_SECOND) {
		link->stats.icmp_rate_limited++;
		return false;
	}
	link->icmp_in_second++;
	return true;
}

/* A packet too big for the link and not to be fragmented: tell its sender
 * (RFC 1191 §4, RFC 8201 §4) through the TUN, as the far end of the link
 * (the peer's address: a source the kernel routes back through the TUN,
 * never one of its own, which it would drop as martian). */
static void link_answer_too_big(struct ppp_link *link, const struct pkt *p, unsigned version, uint16_t mtu)
{
	if (!link->cfg.deliver_ip || !link_icmp_allowed(link))
		return;
	struct pkt *icmp = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!icmp)
		return;
	uint8_t *out = pkt_data(icmp);
	size_t cap = pkt_tailroom(icmp);
	int n;
	if (version == 4) {
		n = icmp4_frag_needed(out, cap, pkt_data(p), p->len, link->ipcp.peer_addr, mtu);
	} else {
		uint8_t from[16] = { 0xfe, 0x80 };
		store_be32(from + 8, (uint32_t)(link->ipv6cp.peer_id >> 32));
		store_be32(from + 12, (uint32_t)link->ipv6cp.peer_id);
		n = icmp6_packet_too_big(out, cap, pkt_data(p), p->len, from, mtu);
	}
	if (n <= 0) {
		pkt_free(icmp);
		return;
	}
	(void)pkt_put(icmp, (size_t)n);
	link->stats.icmp_too_big_sent++;
	link->cfg.deliver_ip(link->cfg.ctx, icmp);
}

/* RFC 791: a router fragments an IPv4 packet without DF. */
static int link_send_fragments(struct ppp_link *link, struct pkt *p, uint16_t mtu)
{
	size_t offset = 0;
	int rc = 0;
	for (;;) {
		struct pkt *f = pkt_new(PKT_SIZE, PKT_HEADROOM);
		if (!f) {
			rc = ERR_NOMEM;
			break;
		}
		int n = ip4_fragment_next(pkt_data(p), p->len, mtu, &offset, pkt_data(f), pkt_tailroom(f));
		if (n <= 0) {
			pkt_free(f);
			rc = n;
			break;
		}
		(void)pkt_put(f, (size_t)n);
		link->stats.fragments_sent++;
		rc = link_send_frame(link, f, PPP_PROTO_IP);
		if (rc < 0)
			break;
	}
	if (rc < 0)
		link->stats.dropped_too_long++;
	pkt_free(p);
	return rc;
}

int ppp_link_send_ip(struct ppp_link *link, struct pkt *ip_packet, uint64_t now_ms)
{
	struct pkt *p = ip_packet;
	link->now = now_ms;
	if (!ppp_link_is_up(link) || p->len == 0) {
		link->stats.dropped_not_up++;
		pkt_free(p);
		return ERR_STATE;
	}
	unsigned version = pkt_data(p)[0] >> 4;
	uint16_t protocol;
	if (version == 4 && link->ipcp_state == NCP_UP) {
		protocol = PPP_PROTO_IP;
	} else if (version == 6 && link->ipv6cp_state == NCP_UP) {
		protocol = PPP_PROTO_IPV6;
	} else {
		link->stats.dropped_not_up++;
		pkt_free(p);
		return ERR_STATE;
	}
	if (ppp_link_mppe_required(link) && !link->mppe_on) {
		link->stats.dropped_not_up++;
		pkt_free(p);
		return ERR_STATE;
	}
	link_clamp_mss(link, p, version);
	uint16_t mtu = ppp_link_mtu(link);
	if (p->len > mtu) {
		/* Issue 12 §1: never a silent drop (the PPTP black hole). */
		struct ip_info ip;
		if (version == 4 && ip_parse(pkt_data(p), p->len, &ip) == 0 && !ip.dont_fragment)
			return link_send_fragments(link, p, mtu);
		link->stats.dropped_too_long++;
		link_answer_too_big(link, p, version, mtu);
		pkt_free(p);
		return ERR_LENGTH;
	}
	return link_send_frame(link, p, protocol);
}

bool ppp_link_ipv6_ids(const struct ppp_link *link, uint64_t *local_id, uint64_t *peer_id)
{
	if (link->ipv6cp_state != NCP_UP)
		return false;
	*local_id = link->ipv6cp.local_id;
	*peer_id = link->ipv6cp.peer_id;
	return true;
}
