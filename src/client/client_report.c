/* SPDX-License-Identifier: BSD-2-Clause */
/* What the client tells its user: an exit code per cause (client.h) and
 * the log lines for the tunnel coming up and going down. */
#include "client/client_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text_escape.h"
#include "proto/ppp/lcp.h"

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

/* snprintf's result as the length written (cut to fit). */
static size_t client_text_length(int n, size_t size)
{
	if (n < 0)
		return 0;
	return (size_t)n >= size ? size - 1 : (size_t)n;
}

/* "a.b.c.d" or "a.b.c.d e.f.g.h"; "" when the server pushed none. */
static void client_dns_list(const uint32_t dns[2], char *out, size_t size)
{
	char a[IPV4_STR_MAX], b[IPV4_STR_MAX];
	if (dns[0] && dns[1])
		snprintf(out, size, "%s %s", ipv4_format(dns[0], a), ipv4_format(dns[1], b));
	else if (dns[0] || dns[1])
		snprintf(out, size, "%s", ipv4_format(dns[0] ? dns[0] : dns[1], a));
	else
		out[0] = '\0';
}

/* One line with what a person checks first: the interface and addresses,
 * how the link is protected, and DNS only when it is not applied (--dns
 * says where it wrote the servers on a line of its own). */
size_t client_link_up_text(char *out, size_t size, const char *ifname, uint32_t mtu, const struct ppp_link_event *l,
			   bool dns_applied)
{
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], crypto[40], dns[2 * IPV4_STR_MAX + 2], dns_text[96] = "";
	if (l->mppe_bits)
		snprintf(crypto, sizeof(crypto), "MPPE-%u %s", l->mppe_bits, l->mppe_stateless ? "stateless" : "stateful");
	else
		snprintf(crypto, sizeof(crypto), "NOT ENCRYPTED");
	client_dns_list(l->dns, dns, sizeof(dns));
	if (dns[0] && !dns_applied)
		snprintf(dns_text, sizeof(dns_text), ", server offers DNS %s (--dns uses it)", dns);
	int n = snprintf(out, size, "tunnel up: %s %s -> %s, mtu %u, %s, %s%s", ifname, ipv4_format(l->local_address, local),
			 ipv4_format(l->peer_address, peer), mtu, auth_method_name(l->auth), crypto, dns_text);
	return client_text_length(n, size);
}

void client_log_link_up(const struct client_config *cfg, const char *ifname, uint32_t mtu,
			const struct ppp_link_event *l)
{
	char line[256];
	client_link_up_text(line, sizeof(line), ifname, mtu, l, cfg->dns);
	log_msg(l->mppe_bits ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, CLIENT_TAG, "%s", line);
}

/* MS-CHAP failure codes (RFC 2759 §6, RFC 2433 §6) in words. */
static const char *client_mschap_error_text(long code)
{
	switch (code) {
	case 646: return "the account may not log in at this hour";
	case 647: return "the account is disabled";
	case 648: return "the password has expired";
	case 649: return "the account has no dial-in permission";
	case 691: return "wrong user name or password";
	case 709: return "the password must be changed";
	default: return NULL;
	}
}

size_t client_auth_failed_text(char *out, size_t size, const char *user, const char *why)
{
	if (why && strstr(why, LCP_SPAP_REFUSED_REASON)) /* the whole story, in the words */
		return client_text_length(snprintf(out, size, "%s", LCP_SPAP_REFUSED_REASON), size);
	const char *e = why ? strstr(why, "E=") : NULL;
	const char *words = e ? client_mschap_error_text(strtol(e + 2, NULL, 10)) : NULL;
	int n;
	if (words) {
		/* RFC 2759 §6: the server's own words follow "M=" (a RADIUS
		 * Reply-Message travels there): shown escaped, they are the
		 * peer's. */
		const char *m = strstr(e, "M=");
		char said[TEXT_ESCAPED_SIZE(128)] = "";
		if (m && m[2]) {
			char text[129]; /* up to the quote our engine's reason wraps it in */
			size_t k = 0;
			for (const char *p = m + 2; *p && *p != '"' && k + 1 < sizeof(text); p++)
				text[k++] = *p;
			text[k] = '\0';
			text_escape_str(said, sizeof(said), text);
		}
		n = snprintf(out, size, "authentication failed for user \"%s\": %s (MS-CHAP error %ld)%s%s%s",
			     user ? user : "", words, strtol(e + 2, NULL, 10), said[0] ? "; the server says \"" : "",
			     said, said[0] ? "\"" : "");
	} else
		n = snprintf(out, size, "authentication failed for user \"%s\": %s", user ? user : "",
			     why && why[0] ? why : "refused by the server");
	return client_text_length(n, size);
}

static void client_log_auth_failed(const char *user, const char *why)
{
	char line[768];
	client_auth_failed_text(line, sizeof(line), user, why);
	log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "%s", line);
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
		client_log_auth_failed(cfg->user, why);
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
	if (tun->gso_reads || tun->gro_writes)
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG,
			"TUN offload: %llu super-packets cut into %llu segments, %llu segments merged into %llu",
			(unsigned long long)tun->gso_reads, (unsigned long long)tun->gso_segments,
			(unsigned long long)tun->gro_segments, (unsigned long long)tun->gro_writes);
	if (gre->socket_drops)
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "the kernel dropped %llu GRE datagrams on our socket (receive buffer full)",
			(unsigned long long)gre->socket_drops);
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
