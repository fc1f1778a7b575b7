/* What the client tells its user: an exit code per cause (client.h) and
 * the log lines for the tunnel coming up and going down. */
#include "client/client_session.h"

#include "base/log.h"

int client_exit_code_for(const struct tunnel_event *ev)
{
	switch (ev->cause) {
	case TUNNEL_CLOSE_NONE:
	case TUNNEL_CLOSE_LOCAL:
		return CLIENT_EXIT_OK;
	case TUNNEL_CLOSE_REFUSED:
		return CLIENT_EXIT_REFUSED;
	case TUNNEL_CLOSE_NO_GRE:
		return CLIENT_EXIT_NO_GRE;
	case TUNNEL_CLOSE_PEER_STOP:
	case TUNNEL_CLOSE_TCP_LOST:
		return CLIENT_EXIT_PEER_CLOSED;
	case TUNNEL_CLOSE_KEEPALIVE:
	case TUNNEL_CLOSE_PROTOCOL:
		return CLIENT_EXIT_LINK_FAILED;
	case TUNNEL_CLOSE_LINK_FAILED:
		break;
	}
	switch (ev->has_link ? ev->link.cause : PPP_CAUSE_NONE) {
	case PPP_CAUSE_AUTH_FAILED:
	case PPP_CAUSE_AUTH_PEER_BAD:
	case PPP_CAUSE_NO_AUTH_METHOD:
		return CLIENT_EXIT_AUTH_FAILED;
	case PPP_CAUSE_MPPE_REFUSED:
		return CLIENT_EXIT_MPPE_REFUSED;
	case PPP_CAUSE_PEER_TERMINATE:
	case PPP_CAUSE_LOWER_DOWN:
		return CLIENT_EXIT_PEER_CLOSED;
	case PPP_CAUSE_LOCAL_CLOSE:
		return CLIENT_EXIT_OK;
	default:
		return CLIENT_EXIT_LINK_FAILED;
	}
}

void client_log_link_up(const char *ifname, uint32_t mtu, const struct ppp_link_event *l)
{
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], dns1[IPV4_STR_MAX], dns2[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "tunnel up: %s local %s peer %s mtu %u, auth %s, %s%u%s, dns %s %s", ifname,
		ipv4_format(l->local_address, local), ipv4_format(l->peer_address, peer), mtu,
		ppp_link_auth_name(l->auth), l->mppe_bits ? "MPPE-" : "no encryption", l->mppe_bits ? l->mppe_bits : 0,
		l->mppe_bits ? (l->mppe_stateless ? " stateless" : " stateful") : "", ipv4_format(l->dns[0], dns1),
		ipv4_format(l->dns[1], dns2));
}

void client_log_closed(const struct client_config *cfg, const struct client_settings *settings,
		       const struct tunnel_event *ev, int code)
{
	const char *why = ev->has_link && ev->cause == TUNNEL_CLOSE_LINK_FAILED ? ev->link.reason : ev->reason;
	switch (code) {
	case CLIENT_EXIT_OK:
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "disconnected");
		break;
	case CLIENT_EXIT_REFUSED:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the server refused the connection (PPTP result code %u)",
			ev->result_code);
		break;
	case CLIENT_EXIT_NO_GRE:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG,
			"TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
		break;
	case CLIENT_EXIT_AUTH_FAILED:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "authentication failed: %s", why && why[0] ? why : "refused");
		break;
	case CLIENT_EXIT_MPPE_REFUSED:
		if (settings->tunnel.mppe.required)
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "MPPE required but peer refused%s%s",
				why && why[0] ? ": " : "", why ? why : "");
		else /* the server wants MPPE, our --mppe said no */
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the server requires MPPE and --mppe %s refuses it%s%s",
				cfg->mppe, why && why[0] ? ": " : "", why ? why : "");
		break;
	case CLIENT_EXIT_PEER_CLOSED:
		log_msg(tunnel_close_is_orderly(ev->cause, ev->has_link ? &ev->link : NULL) ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, CLIENT_TAG,
			"the server closed the session%s%s", why && why[0] ? ": " : "", why ? why : "");
		break;
	default:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the link failed: %s", why && why[0] ? why : "unknown cause");
		break;
	}
}

void client_log_drops(const struct daemon_gre_stats *gre, const struct daemon_tun_stats *tun)
{
	uint64_t gre_total = 0, tun_total = 0;
	for (int i = 0; i < DAEMON_GRE_DROP_COUNT; i++)
		gre_total += gre->dropped[i];
	for (int i = 0; i < DAEMON_TUN_DROP_COUNT; i++)
		tun_total += tun->dropped[i];
	if (!gre_total && !tun_total)
		return;
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG,
		"dropped: GRE %llu (%llu for other calls or hosts, %llu malformed, %llu unreadable, %llu no memory), "
		"TUN %llu (%llu no session, %llu no memory, %llu write failed)",
		(unsigned long long)gre_total, (unsigned long long)daemon_gre_foreign(gre),
		(unsigned long long)gre->dropped[DAEMON_GRE_DROP_MALFORMED],
		(unsigned long long)gre->dropped[DAEMON_GRE_DROP_UNREADABLE],
		(unsigned long long)gre->dropped[DAEMON_GRE_DROP_NO_MEMORY], (unsigned long long)tun_total,
		(unsigned long long)tun->dropped[DAEMON_TUN_DROP_NO_SESSION],
		(unsigned long long)tun->dropped[DAEMON_TUN_DROP_NO_MEMORY],
		(unsigned long long)tun->dropped[DAEMON_TUN_DROP_WRITE]);
}
