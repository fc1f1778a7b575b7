/* SPDX-License-Identifier: BSD-2-Clause */
/* IPCP; see ipcp.h. */
#include "proto/ppp/ipcp.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

static void ipcp_emit(struct ipcp *ipcp, enum ppp_event_type type, const char *reason)
{
	ppp_fsm_queue_event(&ipcp->fsm, type, 0, reason);
}

bool ipcp_next_event(struct ipcp *ipcp, struct ppp_event *out)
{
	return ppp_fsm_next_event(&ipcp->fsm, out);
}

/* ---- IP-Address (RFC 1332 §3.3) ---- */

static bool addr_build(void *p, struct writer *w)
{
	struct ipcp *ipcp = p;
	if (!ipcp->want_addr_opt)
		return false;
	writer_u32(w, ipcp->want_addr);
	return true;
}

static enum ppp_opt_verdict addr_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct ipcp *ipcp = p;
	uint32_t addr = load_be32(opt->value);
	if (ipcp->cfg.peer_addr) {
		if (addr == ipcp->cfg.peer_addr || (addr && ipcp->cfg.accept_remote)) {
			ipcp->peer_addr = addr;
			return PPP_OPT_ACK;
		}
		/* The peer asks 0.0.0.0 (assign me one) or wants another one. */
		writer_u32(nak, ipcp->cfg.peer_addr);
		return PPP_OPT_NAK;
	}
	if (addr == 0)
		return PPP_OPT_REJECT; /* nothing to assign */
	if (!ipcp->cfg.accept_remote && addr == ipcp->want_addr)
		return PPP_OPT_REJECT;
	ipcp->peer_addr = addr;
	return PPP_OPT_ACK;
}

static void addr_acked(void *p, const struct ppp_option *opt)
{
	struct ipcp *ipcp = p;
	ipcp->local_addr = load_be32(opt->value);
}

static void addr_naked(void *p, const struct ppp_option *opt)
{
	struct ipcp *ipcp = p;
	uint32_t addr = load_be32(opt->value);
	/* RFC 1332 §3.3: the Nak carries the address the peer assigns us. */
	if (addr && (ipcp->cfg.accept_local || ipcp->want_addr == 0))
		ipcp->want_addr = addr;
}

static void addr_rejected(void *p)
{
	((struct ipcp *)p)->want_addr_opt = false;
}

/* ---- DNS / NBNS (RFC 1877) ---- */

static bool dns_build_i(struct ipcp *ipcp, int i, struct writer *w)
{
	if (!ipcp->want_dns_opt[i])
		return false;
	writer_u32(w, ipcp->want_dns[i]);
	return true;
}

static enum ppp_opt_verdict dns_request_i(struct ipcp *ipcp, int i, const struct ppp_option *opt,
					  struct writer *nak)
{
	uint32_t value = load_be32(opt->value);
	uint32_t serve = ipcp->cfg.serve[i];
	/* RFC 1877 §1.1: we only answer with what we are configured to give. */
	if (!serve)
		return PPP_OPT_REJECT;
	if (value == serve)
		return PPP_OPT_ACK;
	writer_u32(nak, serve);
	return PPP_OPT_NAK;
}

static void dns_acked_i(struct ipcp *ipcp, int i, const struct ppp_option *opt)
{
	ipcp->dns[i] = load_be32(opt->value);
}

static void dns_naked_i(struct ipcp *ipcp, int i, const struct ppp_option *opt)
{
	if (ipcp->want_dns_opt[i])
		ipcp->want_dns[i] = load_be32(opt->value);
}

#define DNS_HANDLERS(name, idx)                                                                      \
	static bool name##_build(void *p, struct writer *w) { return dns_build_i(p, idx, w); }        \
	static enum ppp_opt_verdict name##_request(void *p, const struct ppp_option *o, struct writer *n) \
	{ return dns_request_i(p, idx, o, n); }                                                      \
	static void name##_acked(void *p, const struct ppp_option *o) { dns_acked_i(p, idx, o); }     \
	static void name##_naked(void *p, const struct ppp_option *o) { dns_naked_i(p, idx, o); }     \
	static void name##_rejected(void *p) { ((struct ipcp *)p)->want_dns_opt[idx] = false; }

DNS_HANDLERS(dns1, IPCP_DNS1)
DNS_HANDLERS(dns2, IPCP_DNS2)
DNS_HANDLERS(nbns1, IPCP_NBNS1)
DNS_HANDLERS(nbns2, IPCP_NBNS2)

#define DNS_ENTRY(type, label, name) \
	{ type, label, 6, 6, name##_build, name##_request, name##_acked, name##_naked, name##_rejected }

/* IP-Addresses (1) and IP-Compression-Protocol (2, VJ) have no handler:
 * rejected. */
static const struct ppp_option_handler ipcp_options[] = {
	{ IPCP_OPT_ADDRESS, "IP-Address", 6, 6, addr_build, addr_request, addr_acked, addr_naked,
	  addr_rejected },
	DNS_ENTRY(IPCP_OPT_DNS1, "Primary-DNS", dns1),
	DNS_ENTRY(IPCP_OPT_NBNS1, "Primary-NBNS", nbns1),
	DNS_ENTRY(IPCP_OPT_DNS2, "Secondary-DNS", dns2),
	DNS_ENTRY(IPCP_OPT_NBNS2, "Secondary-NBNS", nbns2),
};

static void ipcp_reset_request(void *p)
{
	struct ipcp *ipcp = p;
	ipcp->want_addr = ipcp->cfg.local_addr;
	ipcp->want_addr_opt = true;
	ipcp->local_addr = 0;
	for (int i = 0; i < IPCP_DNS_COUNT; i++) {
		bool dns = i == IPCP_DNS1 || i == IPCP_DNS2;
		ipcp->want_dns_opt[i] = dns ? ipcp->cfg.request_dns : ipcp->cfg.request_nbns;
		ipcp->want_dns[i] = 0;
		ipcp->dns[i] = 0;
	}
}

static bool ipcp_missing_options(void *p, const uint32_t present[8], struct writer *nak)
{
	struct ipcp *ipcp = p;
	/* RFC 1332 §3.3: when we must assign the peer an address and it did
	 * not ask for one, the IP-Address option SHOULD be appended to a Nak. */
	if (!ipcp->cfg.peer_addr || (present[IPCP_OPT_ADDRESS / 32] & (1u << (IPCP_OPT_ADDRESS % 32))))
		return false;
	uint8_t value[4];
	store_be32(value, ipcp->cfg.peer_addr);
	ppp_option_put(nak, IPCP_OPT_ADDRESS, value, sizeof(value));
	return true;
}

static void ipcp_reset_peer(void *p)
{
	((struct ipcp *)p)->peer_addr = 0;
}

static void ipcp_layer_up(void *p)
{
	struct ipcp *ipcp = p;
	if (ipcp->local_addr == 0) {
		/* pppd's message: nothing to configure the interface with. */
		log_msg(LOG_LEVEL_WARN, ipcp->cfg.tag, "IPCP: could not determine local IP address");
		ipcp_emit(ipcp, PPP_EVENT_CONFIG_FAILED, "Could not determine local IP address");
		return;
	}
	log_msg(LOG_LEVEL_DEBUG, ipcp->cfg.tag, "IPCP up: local %u.%u.%u.%u remote %u.%u.%u.%u",
		ipcp->local_addr >> 24, (ipcp->local_addr >> 16) & 255, (ipcp->local_addr >> 8) & 255,
		ipcp->local_addr & 255, ipcp->peer_addr >> 24, (ipcp->peer_addr >> 16) & 255,
		(ipcp->peer_addr >> 8) & 255, ipcp->peer_addr & 255);
	ipcp_emit(ipcp, PPP_EVENT_UP, NULL);
}

static void ipcp_layer_down(void *p)
{
	ipcp_emit(p, PPP_EVENT_DOWN, NULL);
}

static void ipcp_layer_started(void *p)
{
	ipcp_emit(p, PPP_EVENT_STARTING, NULL);
}

static void ipcp_layer_finished(void *p)
{
	ipcp_emit(p, PPP_EVENT_FINISHED, NULL);
}

static const struct ppp_fsm_ops ipcp_ops = {
	.layer_up = ipcp_layer_up,
	.layer_down = ipcp_layer_down,
	.layer_started = ipcp_layer_started,
	.layer_finished = ipcp_layer_finished,
	.reset_request = ipcp_reset_request,
	.reset_peer = ipcp_reset_peer,
	.missing_options = ipcp_missing_options,
};

int ipcp_init(struct ipcp *ipcp, const struct ipcp_config *cfg)
{
	if (!cfg || !cfg->output)
		return ERR_INVALID;
	memset(ipcp, 0, sizeof(*ipcp));
	ipcp->cfg = *cfg;
	ppp_fsm_init(&ipcp->fsm, PPP_PROTO_IPCP, "IPCP", &ipcp_ops, ipcp_options,
		     sizeof(ipcp_options) / sizeof(ipcp_options[0]), ipcp, &cfg->fsm, cfg->output,
		     cfg->output_ctx);
	ipcp->fsm.tag = cfg->tag;
	ipcp_reset_request(ipcp);
	return 0;
}

void ipcp_lower_up(struct ipcp *ipcp, uint64_t now_ms) { ppp_fsm_lower_up(&ipcp->fsm, now_ms); }
void ipcp_lower_down(struct ipcp *ipcp, uint64_t now_ms) { ppp_fsm_lower_down(&ipcp->fsm, now_ms); }
void ipcp_open(struct ipcp *ipcp, uint64_t now_ms) { ppp_fsm_open(&ipcp->fsm, now_ms); }

void ipcp_close(struct ipcp *ipcp, const char *reason, uint64_t now_ms)
{
	ppp_fsm_close(&ipcp->fsm, reason, now_ms);
}

int ipcp_input(struct ipcp *ipcp, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	return ppp_fsm_input(&ipcp->fsm, buf, len, now_ms);
}

void ipcp_protocol_rejected(struct ipcp *ipcp, uint64_t now_ms)
{
	ppp_fsm_protocol_rejected(&ipcp->fsm, now_ms);
}

uint64_t ipcp_next_deadline(const struct ipcp *ipcp) { return ppp_fsm_next_deadline(&ipcp->fsm); }
void ipcp_on_timeout(struct ipcp *ipcp, uint64_t now_ms) { ppp_fsm_on_timeout(&ipcp->fsm, now_ms); }
