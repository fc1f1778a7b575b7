/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, IPv6 once IPV6CP is Opened (RFC 5072): each end's link-local
 * address is fe80::<its interface identifier> (§5), and the server, the
 * router on this link, announces the session's /64 in a Router
 * Advertisement built here (RFC 4861 §6.2; the link's MTU and, when
 * configured, DNS servers, RFC 8106). The client solicits one (§6.3.7)
 * and reports what it says; its owner forms its address from the prefix
 * and the negotiated identifier (RFC 4862 §5.5.3), the one the server's
 * source check admits. ND for the link itself never reaches the TUN. */
#include <string.h>

#include "proto/ip/ip_nd.h"
#include "proto/ip/ip_packet.h"
#include "proto/session/ppp_link_internal.h"

/* RFC 4861 §6.2.1 defaults: MaxRtrAdvInterval 600 s, AdvDefaultLifetime
 * 3 x that; §6.2.4: the first few advertisements (3) at most 16 s apart;
 * §10: MIN_DELAY_BETWEEN_RAS 3 s (so a peer's solicitations cannot make
 * the link an RA flood); §10 host constants: 3 solicitations 4 s apart. */
#define LINK_RA_INTERVAL_MS (600u * 1000u)
#define LINK_RA_INITIAL_INTERVAL_MS (4u * 1000u)
#define LINK_RA_INITIAL_COUNT 3
#define LINK_RA_MIN_DELAY_MS (3u * 1000u)
#define LINK_ROUTER_LIFETIME_S 1800
#define LINK_RS_INTERVAL_MS (4u * 1000u)
#define LINK_RS_COUNT 3
/* RFC 4861 §6.2.1 AdvValidLifetime / AdvPreferredLifetime defaults */
#define LINK_PREFIX_VALID_S (30u * 86400u)
#define LINK_PREFIX_PREFERRED_S (7u * 86400u)
/* RFC 8106 §5.1: at least 3 x MaxRtrAdvInterval */
#define LINK_RDNSS_LIFETIME_S 1800

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };

static bool link_ipv6_usable(const struct ppp_link *link)
{
	return link->life == LINK_LIFE_UP && link->ipv6cp_state == NCP_UP;
}

/* An ND packet of ours into the link (it is IPv6 data, encrypted like any). */
static bool link_ipv6_send(struct ppp_link *link, const uint8_t *pkt, size_t len)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM); /* full size, as a TUN read: MPPC works in place */
	if (!p)
		return false;
	memcpy(pkt_put(p, len), pkt, len);
	return link_send_frame(link, p, PPP_PROTO_IPV6) == 0;
}

static void link_send_ra(struct ppp_link *link)
{
	struct nd_ra ra = { .cur_hop_limit = 64, .router_lifetime = LINK_ROUTER_LIFETIME_S };
	if (link->ipv6.has_prefix) {
		ra.has_prefix = true;
		ra.prefix_len = 64;
		memcpy(ra.prefix, link->ipv6.prefix, 16);
		ra.on_link = true;
		ra.valid_lifetime = LINK_PREFIX_VALID_S;
		ra.preferred_lifetime = LINK_PREFIX_PREFERRED_S;
	}
	ra.mtu = ppp_link_mtu(link);
	ra.dns_count = link->cfg.dns6_count > ND_RDNSS_MAX ? ND_RDNSS_MAX : link->cfg.dns6_count;
	memcpy(ra.dns, link->cfg.dns6, sizeof(ra.dns));
	ra.dns_lifetime = LINK_RDNSS_LIFETIME_S;
	uint8_t src[16], out[ND_RA_MAX];
	nd_link_local(src, link->ipv6.local_id);
	int n = nd_ra_build(out, sizeof(out), &ra, src, all_nodes);
	if (n > 0 && link_ipv6_send(link, out, (size_t)n)) {
		link->stats.nd_ra_sent++;
		link->ra_last_ms = link->now;
	}
}

static void link_send_rs(struct ppp_link *link)
{
	uint8_t src[16], out[ND_RS_LEN];
	nd_link_local(src, link->ipv6.local_id);
	int n = nd_rs_build(out, sizeof(out), src);
	if (n > 0 && link_ipv6_send(link, out, (size_t)n))
		link->stats.nd_rs_sent++;
}

static void link_queue_ipv6(struct ppp_link *link, enum ppp_link_event_type type)
{
	struct link_note n = { .type = type, .ipv6 = link->ipv6 };
	link_queue_event(link, &n);
}

static void link_log_prefix(const struct ppp_link *link, const char *what)
{
	const uint8_t *p = link->ipv6.prefix;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "IPv6 %s %x:%x:%x:%x::/64", what, load_be16(p), load_be16(p + 2),
		load_be16(p + 4), load_be16(p + 6));
}

void link_ipv6_check_up(struct ppp_link *link)
{
	if (link->ipv6_reported || !link_ipv6_usable(link))
		return;
	link->ipv6_reported = true;
	memset(&link->ipv6, 0, sizeof(link->ipv6));
	link->ipv6.local_id = link->ipv6cp.local_id;
	link->ipv6.peer_id = link->ipv6cp.peer_id;
	link->ra_next_ms = link->now;
	if (link->cfg.role == PPP_LINK_SERVER) {
		uint8_t prefix[8];
		if (link->cfg.assign_prefix6 &&
		    link->cfg.assign_prefix6(link->cfg.ctx, link->ipcp.peer_addr, prefix)) {
			memcpy(link->ipv6.prefix, prefix, 8);
			link->ipv6.prefix_len = 64;
			link->ipv6.has_prefix = true;
			link_log_prefix(link, "delegated");
		}
		link->rs_left = LINK_RA_INITIAL_COUNT;
	} else {
		link->rs_left = link->cfg.ipv6_autoconf ? LINK_RS_COUNT : 0;
	}
	link_queue_ipv6(link, PPP_LINK_EVENT_IPV6_UP);
	link_ipv6_on_timeout(link, link->now);
}

void link_ipv6_down(struct ppp_link *link)
{
	link->ipv6_reported = false;
	link->rs_left = 0;
	memset(&link->ipv6, 0, sizeof(link->ipv6));
}

/* The server announces only what it has to announce: a link without
 * prefix delegation (a test, a load generator) sends no RA at all. */
static bool link_is_router(const struct ppp_link *link)
{
	return link->cfg.role == PPP_LINK_SERVER && link->cfg.assign_prefix6;
}

uint64_t link_ipv6_next_deadline(const struct ppp_link *link)
{
	if (!link->ipv6_reported || !link_ipv6_usable(link))
		return DEADLINE_NONE;
	if (link->cfg.role == PPP_LINK_SERVER && !link_is_router(link))
		return DEADLINE_NONE;
	if (link->cfg.role == PPP_LINK_CLIENT && link->rs_left == 0)
		return DEADLINE_NONE;
	return link->ra_next_ms;
}

/* Server: the initial RAs, then one every interval. Client: the
 * solicitations until an RA answers. */
void link_ipv6_on_timeout(struct ppp_link *link, uint64_t now_ms)
{
	if (link_ipv6_next_deadline(link) > now_ms)
		return;
	if (link->cfg.role == PPP_LINK_SERVER) {
		link_send_ra(link);
		if (link->rs_left)
			link->rs_left--;
		link->ra_next_ms = now_ms + (link->rs_left ? LINK_RA_INITIAL_INTERVAL_MS : LINK_RA_INTERVAL_MS);
	} else {
		link_send_rs(link);
		link->rs_left--;
		link->ra_next_ms = now_ms + LINK_RS_INTERVAL_MS;
	}
}

/* Server: a solicitation is answered at once, but at most one RA per
 * MIN_DELAY_BETWEEN_RAS (RFC 4861 §6.2.6). */
static void link_take_rs(struct ppp_link *link, const struct pkt *p)
{
	if (nd_rs_parse(pkt_data(p), p->len) < 0) {
		link->stats.nd_malformed++;
		return;
	}
	link->stats.nd_rs_received++;
	if (link->stats.nd_ra_sent && link->now < link->ra_last_ms + LINK_RA_MIN_DELAY_MS)
		return; /* an RA went out less than 3 s ago: it answers this one too */
	link_send_ra(link);
}

/* Client: an RA from the server's link-local address (RFC 4861 §6.1.2). */
static void link_take_ra(struct ppp_link *link, const struct pkt *p)
{
	struct nd_ra ra;
	uint8_t router[16];
	nd_link_local(router, link->ipv6.peer_id);
	if (nd_ra_parse(pkt_data(p), p->len, &ra) < 0 || memcmp(pkt_data(p) + 8, router, 16) != 0) {
		link->stats.nd_malformed++;
		return;
	}
	link->stats.nd_ra_received++;
	link->rs_left = 0;
	if (!ra.has_prefix)
		return;
	struct ppp_link_ipv6 v = link->ipv6;
	v.has_prefix = true;
	memcpy(v.prefix, ra.prefix, 16);
	v.prefix_len = ra.prefix_len;
	v.valid_lifetime = ra.valid_lifetime;
	v.dns_count = ra.dns_count;
	memset(v.dns, 0, sizeof(v.dns));
	memcpy(v.dns, ra.dns, (size_t)ra.dns_count * 16);
	bool changed = !link->ipv6.has_prefix || memcmp(v.prefix, link->ipv6.prefix, 16) != 0 ||
		       v.dns_count != link->ipv6.dns_count || memcmp(v.dns, link->ipv6.dns, sizeof(v.dns)) != 0;
	link->ipv6 = v;
	if (changed) {
		link_log_prefix(link, "prefix");
		link_queue_ipv6(link, PPP_LINK_EVENT_IPV6_PREFIX);
	}
}

bool link_ipv6_intercept(struct ppp_link *link, struct pkt *p)
{
	const uint8_t *d = pkt_data(p);
	bool take = false;
	if (link->cfg.role == PPP_LINK_SERVER) {
		if (link_is_router(link) && nd_is_icmp6_type(d, p->len, ND_TYPE_ROUTER_SOLICIT)) {
			take = true;
			if (link->ipv6_reported)
				link_take_rs(link, p);
		} else if (nd_is_icmp6_type(d, p->len, ND_TYPE_ROUTER_ADVERT) ||
			   nd_is_icmp6_type(d, p->len, 137)) {
			/* A peer is not a router here: its RA or Redirect
			 * (RFC 4861 §8) must not reach the server's kernel. */
			take = true;
			link->stats.nd_malformed++;
		}
	} else if (nd_is_icmp6_type(d, p->len, ND_TYPE_ROUTER_ADVERT)) {
		take = true;
		if (link->ipv6_reported)
			link_take_ra(link, p);
	}
	if (take)
		pkt_free(p);
	return take;
}
