/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, the Network phase (RFC 1661 §3.5): CCP with MPPE (RFC 3078,
 * keys RFC 3079), IPCP (RFC 1332, DNS RFC 1877), IPV6CP (RFC 5072), and
 * the moment the link is up. */
#include <stdio.h>
#include <string.h>

#include "base/text_escape.h"
#include "proto/session/ppp_link_internal.h"

uint16_t ppp_link_mtu(const struct ppp_link *link)
{
	uint16_t rx = link->lcp.local.mru ? link->lcp.local.mru : 1500;
	uint16_t tx = link->lcp.peer.mru ? link->lcp.peer.mru : 1500;
	uint16_t mtu = rx < tx ? rx : tx;
	/* Conservative: the overhead is reserved whenever CCP runs, so the MTU
	 * the TUN got at UP stays valid when MPPE comes up after IPCP. */
	if (link->ccp_state != NCP_OFF && mtu > LINK_MPPE_OVERHEAD)
		mtu = (uint16_t)(mtu - LINK_MPPE_OVERHEAD);
	/* RADIUS Framed-MTU (RFC 2865 §5.12): LCP is already done when it
	 * arrives, so it caps what we send and what the TUN gets, not the MRU. */
	if (link->mtu_cap && mtu > link->mtu_cap)
		mtu = link->mtu_cap;
	return mtu;
}

bool ppp_link_mppe_required(const struct ppp_link *link)
{
	return link->cfg.mppe.required;
}

static void link_mppe_off(struct ppp_link *link)
{
	if (link->mppe_on) {
		mppe_channel_wipe(&link->mppe);
		link->mppe_on = false;
	}
}

void link_ncps_down(struct ppp_link *link)
{
	uint64_t now = link->now;
	if (link->ccp_state != NCP_OFF)
		ccp_lower_down(&link->ccp, now);
	if (link->ipcp_state != NCP_OFF)
		ipcp_lower_down(&link->ipcp, now);
	if (link->ipv6cp_state != NCP_OFF)
		ipv6cp_lower_down(&link->ipv6cp, now);
	/* Their DOWN events are moot now (link_engine_event drops them). */
	link->ccp_state = link->ipcp_state = link->ipv6cp_state = NCP_OFF;
	link_ipv6_down(link);
	link_mppe_off(link);
}

/* UP once IPCP is Opened and, when MPPE is required, MPPE is on. */
static void link_check_up(struct ppp_link *link)
{
	if (link->life != LINK_LIFE_STARTED || link->phase != PPP_PHASE_NETWORK || link->ipcp_state != NCP_UP)
		return;
	if (ppp_link_mppe_required(link) && !link->mppe_on)
		return;
	link->life = LINK_LIFE_UP;
	struct link_note n = { .type = PPP_LINK_EVENT_UP };
	n.local_address = link->ipcp.local_addr;
	n.peer_address = link->ipcp.peer_addr;
	if (link->cfg.role == PPP_LINK_CLIENT) {
		n.dns[0] = link->ipcp.dns[IPCP_DNS1];
		n.dns[1] = link->ipcp.dns[IPCP_DNS2];
		n.nbns[0] = link->ipcp.dns[IPCP_NBNS1];
		n.nbns[1] = link->ipcp.dns[IPCP_NBNS2];
	} else {
		memcpy(n.dns, link->cfg.dns, sizeof(n.dns));
		memcpy(n.nbns, link->cfg.nbns, sizeof(n.nbns));
	}
	n.mtu = ppp_link_mtu(link);
	n.mppe_bits = (uint16_t)(link->mppe_on ? link->mppe_bits : 0);
	n.mppe_stateless = link->mppe_on && link->mppe_stateless;
	n.mppc = link->mppe_on && link->mppc;
	uint32_t l = n.local_address, r = n.peer_address;
	log_msg(LOG_LEVEL_DEBUG, link->cfg.tag, "link up: %u.%u.%u.%u <-> %u.%u.%u.%u mtu %u mppe %u%s%s",
		l >> 24, (l >> 16) & 255, (l >> 8) & 255, l & 255, r >> 24, (r >> 16) & 255, (r >> 8) & 255, r & 255,
		n.mtu, n.mppe_bits, n.mppe_bits ? (n.mppe_stateless ? " stateless" : " stateful") : "",
		n.mppc ? " mppc" : "");
	link_queue_event(link, &n);
	link_ipv6_check_up(link);
}

/* ---- CCP / MPPE ---- */

static unsigned mppe_bits_strength(uint32_t bits)
{
	if (bits & CCP_MPPE_BIT_S)
		return 128;
	if (bits & CCP_MPPE_BIT_M)
		return 56;
	if (bits & CCP_MPPE_BIT_L)
		return 40;
	return 0;
}

/* RFC 3079: the start keys from the MS-CHAP exchange. */
static int link_mppe_keys(struct ppp_link *link, unsigned bits, uint8_t *send_key, uint8_t *recv_key)
{
	if (!link_has_mppe_keys(link))
		return ERR_STATE;
	const struct auth_mppe_material *m = &link->material;
	if (m->raw_keys) /* RFC 2548 §2.4.2-3: Send-Key is the authenticator's (ours) */
		return mppe_keys_from_raw(m->send_key, m->send_key_len, m->recv_key, m->recv_key_len, bits, send_key,
					  recv_key);
	if (link->auth_method == AUTH_METHOD_MSCHAPV2 || m->mschapv2)
		return mppe_keys_from_mschapv2(m->password_hash_hash, m->nt_response, m->is_server, bits, send_key,
					       recv_key);
	return mppe_keys_from_mschapv1(m->password_hash_hash, m->challenge, bits, send_key, recv_key);
}

static void link_ccp_up(struct ppp_link *link)
{
	uint32_t rx = link->ccp.rx_bits, tx = link->ccp.tx_bits;
	const uint32_t relevant = CCP_MPPE_STRENGTH_BITS | CCP_MPPE_BIT_H | CCP_MPPE_BIT_C;
	link->ccp_state = NCP_UP;
	if (!rx && !tx) {
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "CCP up without MPPE: data unencrypted");
		return;
	}
	if ((rx & relevant) != (tx & relevant)) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON,
			  "MPPE negotiated differently per direction (rx 0x%08x, tx 0x%08x): not supported", rx, tx);
		return;
	}
	unsigned bits = mppe_bits_strength(tx);
	uint8_t send_key[MPPE_START_KEY_SIZE] = { 0 }, recv_key[MPPE_START_KEY_SIZE] = { 0 };
	if (bits && link_mppe_keys(link, bits, send_key, recv_key) < 0) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON, "MPPE negotiated but no keys from %s",
			  auth_method_name(link->auth_method));
		return;
	}
	struct mppe_channel_config mc = {
		.key_bits = bits,
		.stateless = (tx & CCP_MPPE_BIT_H) != 0,
		.compress = (tx & CCP_MPPE_BIT_C) != 0,
		.reset_changes_key = link->cfg.mppe_reset_changes_key >= 0,
	};
	link_mppe_off(link);
	int rc = mppe_channel_init(&link->mppe, &mc, send_key, recv_key);
	crypto_wipe(send_key, sizeof(send_key));
	crypto_wipe(recv_key, sizeof(recv_key));
	if (rc < 0) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON, "MPPE channel setup failed: %s",
			  error_name(rc));
		return;
	}
	link->mppe_on = true;
	link->mppe_bits = bits;
	link->mppe_stateless = mc.stateless;
	link->mppc = mc.compress;
	log_msg(LOG_LEVEL_DEBUG, link->cfg.tag, "MPPE up: %u-bit %s%s", bits, mc.stateless ? "stateless" : "stateful",
		mc.compress ? ", MPPC" : "");
	struct link_note n = { .type = PPP_LINK_EVENT_MPPE_UP, .mppe_bits = (uint16_t)bits,
			       .mppe_stateless = mc.stateless, .mppc = mc.compress };
	link_queue_event(link, &n);
	link_check_up(link);
}

void link_ccp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link_ccp_up(link);
		break;
	case PPP_EVENT_DOWN:
		link->ccp_state = NCP_NEGOTIATING;
		link_mppe_off(link);
		break;
	case PPP_EVENT_MPPE_REFUSED:
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, ev->reason ? ev->reason : CCP_MPPE_REFUSED_REASON, "%s",
			  ev->reason ? ev->reason : CCP_MPPE_REFUSED_REASON);
		break;
	case PPP_EVENT_RESET_REQUEST:
		/* RFC 1962 §5.7 / RFC 3078 §8.2: the next packet we send is FLUSHED. */
		link->stats.mppe_resets_received++;
		if (link->mppe_on)
			mppe_channel_reset_request(&link->mppe);
		ccp_send_reset_ack(&link->ccp, (uint8_t)ev->value);
		break;
	default:
		break;
	}
}

/* ---- IPCP / IPV6CP ---- */

void link_ipcp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link->ipcp_state = NCP_UP;
		link_check_up(link);
		break;
	case PPP_EVENT_DOWN:
		link->ipcp_state = NCP_NEGOTIATING;
		break;
	case PPP_EVENT_CONFIG_FAILED:
		link_fail(link, PPP_CAUSE_IPCP_FAILED, NULL, "IPCP: %s", ev->reason ? ev->reason : "failed");
		break;
	case PPP_EVENT_FINISHED:
		if (link->phase == PPP_PHASE_NETWORK)
			link_fail(link, PPP_CAUSE_IPCP_FAILED, "No network protocols running",
				  link->life == LINK_LIFE_UP ? "IPCP closed" : "IPCP negotiation failed");
		break;
	default:
		break;
	}
}

void link_ipv6cp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link->ipv6cp_state = NCP_UP;
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "IPV6CP up");
		link_ipv6_check_up(link);
		break;
	case PPP_EVENT_DOWN:
		link->ipv6cp_state = NCP_NEGOTIATING;
		link_ipv6_down(link);
		break;
	case PPP_EVENT_CONFIG_FAILED:
	case PPP_EVENT_FINISHED:
		/* IPv6 is optional: the link stays up for IPv4. */
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "IPV6CP not available%s%s", ev->reason ? ": " : "",
			ev->reason ? ev->reason : "");
		break;
	default:
		break;
	}
}

/* ---- entering the phase ---- */

/* Server: the address the peer gets (configured, the owner's pool, or the
 * secrets file's static one); 0 = none. */
static uint32_t link_peer_address(struct ppp_link *link)
{
	const struct ppp_link_config *c = &link->cfg;
	if (c->peer_address)
		return c->peer_address;
	if (c->assign_address)
		return c->assign_address(c->ctx, link->user, link->static_address);
	return link->static_address;
}

static void link_start_ccp(struct ppp_link *link, const struct ppp_fsm_config *fsm, bool keys)
{
	const struct ppp_link_config *c = &link->cfg;
	const struct ppp_mppe_policy *m = &c->mppe;
	enum ccp_policy strength = m->required ? CCP_REQUIRED : CCP_ALLOWED;
	struct ccp_config cc = { 0 };
	cc.tag = c->tag;
	cc.fsm = *fsm;
	cc.mppe40 = keys && m->allow_40 ? strength : CCP_REFUSED;
	cc.mppe56 = keys && m->allow_56 ? strength : CCP_REFUSED;
	cc.mppe128 = keys && m->allow_128 ? strength : CCP_REFUSED;
	cc.stateless = m->stateful_only ? CCP_REFUSED : (m->allow_stateful ? CCP_ALLOWED : CCP_REQUIRED);
	cc.mppc = m->allow_mppc;
	cc.output = link_send_control;
	cc.output_ctx = link;
	if (ccp_init(&link->ccp, &cc) == 0) {
		link->ccp_state = NCP_NEGOTIATING;
		ccp_lower_up(&link->ccp, link->now);
		ccp_open(&link->ccp, link->now);
	}
}

static void link_start_ipcp(struct ppp_link *link, const struct ppp_fsm_config *fsm, uint32_t peer_addr)
{
	const struct ppp_link_config *c = &link->cfg;
	struct ipcp_config ic = { 0 };
	ic.tag = c->tag;
	ic.fsm = *fsm;
	ic.output = link_send_control;
	ic.output_ctx = link;
	ic.local_addr = c->local_address;
	if (c->role == PPP_LINK_SERVER) {
		ic.peer_addr = peer_addr;
		ic.serve[IPCP_DNS1] = c->dns[0];
		ic.serve[IPCP_DNS2] = c->dns[1];
		ic.serve[IPCP_NBNS1] = c->nbns[0];
		ic.serve[IPCP_NBNS2] = c->nbns[1];
	} else {
		ic.peer_addr = c->peer_address;
		ic.accept_local = true;
		ic.accept_remote = true;
		ic.request_dns = true;
		ic.request_nbns = true;
	}
	if (ipcp_init(&link->ipcp, &ic) == 0) {
		link->ipcp_state = NCP_NEGOTIATING;
		ipcp_lower_up(&link->ipcp, link->now);
		ipcp_open(&link->ipcp, link->now);
	}
}

static void link_start_ipv6cp(struct ppp_link *link, const struct ppp_fsm_config *fsm)
{
	struct ipv6cp_config vc = { 0 };
	vc.tag = link->cfg.tag;
	vc.fsm = *fsm;
	vc.random = &link->cfg.random;
	vc.interface_id = link->cfg.ipv6_interface_id;
	vc.output = link_send_control;
	vc.output_ctx = link;
	if (ipv6cp_init(&link->ipv6cp, &vc) == 0) {
		link->ipv6cp_state = NCP_NEGOTIATING;
		ipv6cp_lower_up(&link->ipv6cp, link->now);
		ipv6cp_open(&link->ipv6cp, link->now);
	}
}

void link_enter_network(struct ppp_link *link)
{
	const struct ppp_link_config *c = &link->cfg;
	bool keys = link_has_mppe_keys(link);
	const struct ppp_mppe_policy *m = &c->mppe;
	bool any_strength = m->allow_40 || m->allow_56 || m->allow_128;

	if (m->required && keys && !any_strength) {
		/* RADIUS MS-MPPE-Encryption-Types left none of ours (RFC 2548 §2.4.5). */
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but no encryption strength allowed",
			  "MPPE required, but no MPPE strength is both allowed here and by the authenticator");
		return;
	}
	if (m->required && !keys) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but MS-CHAP auth not performed",
			  "MPPE required, but %s gives no MPPE keys (MS-CHAP needed)",
			  auth_method_name(link->auth_method));
		return;
	}

	uint32_t peer_addr = 0;
	if (c->role == PPP_LINK_SERVER) {
		peer_addr = link_peer_address(link);
		if (!peer_addr) {
			char shown[TEXT_ESCAPED_SIZE(AUTH_MAX_NAME)];
			text_escape_str(shown, sizeof(shown), link->user);
			link_fail(link, PPP_CAUSE_IPCP_FAILED, "No IP address available",
				  "no IP address available for \"%s\"", shown);
			return;
		}
		link->assigned_address = peer_addr;
	}

	link_set_phase(link, PPP_PHASE_NETWORK);
	struct ppp_fsm_config fsm = { .restart_ms = c->restart_ms,
				      .max_configure = (uint8_t)(c->max_configure > 255 ? 255 : c->max_configure) };
	if ((keys && any_strength) || m->allow_mppc)
		link_start_ccp(link, &fsm, keys);
	link_start_ipcp(link, &fsm, peer_addr);
	if (c->ipv6)
		link_start_ipv6cp(link, &fsm);
}
