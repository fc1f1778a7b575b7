/* SPDX-License-Identifier: BSD-2-Clause */
/* IPCP (RFC 1332) with the DNS/NBNS extensions (RFC 1877). Addresses are
 * host-order uint32_t; 0 means "none / please assign". */
#ifndef OPENPPTP_PROTO_PPP_IPCP_H
#define OPENPPTP_PROTO_PPP_IPCP_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/ppp/fsm.h"

enum ipcp_option_type {
	IPCP_OPT_ADDRESSES = 1,       /* deprecated (RFC 1332 §3.1): rejected */
	IPCP_OPT_COMPRESSION = 2,     /* Van Jacobson: rejected */
	IPCP_OPT_ADDRESS = 3,
	IPCP_OPT_DNS1 = 129,
	IPCP_OPT_NBNS1 = 130,
	IPCP_OPT_DNS2 = 131,
	IPCP_OPT_NBNS2 = 132,
};

enum ipcp_dns_index { IPCP_DNS1, IPCP_DNS2, IPCP_NBNS1, IPCP_NBNS2, IPCP_DNS_COUNT };

struct ipcp_config {
	const char *tag;
	struct ppp_fsm_config fsm;
	uint32_t local_addr;      /* address we want; 0 = ask the peer to assign one */
	uint32_t peer_addr;       /* address we assign to the peer; 0 = take the peer's */
	bool accept_local;        /* take the address the peer naks us (client: true) */
	bool accept_remote;       /* ack a nonzero peer address other than peer_addr */
	bool request_dns;         /* client: ask for DNS1/DNS2 */
	bool request_nbns;        /* client: ask for NBNS1/NBNS2 */
	uint32_t serve[IPCP_DNS_COUNT]; /* server: values to hand out (0 = reject the option) */
	ppp_output_fn output;
	void *output_ctx;
};

struct ipcp {
	struct ppp_fsm fsm;
	struct ipcp_config cfg;
	/* request state */
	uint32_t want_addr;
	bool want_addr_opt;
	uint32_t want_dns[IPCP_DNS_COUNT];
	bool want_dns_opt[IPCP_DNS_COUNT];
	/* results, valid after PPP_EVENT_UP */
	uint32_t local_addr;
	uint32_t peer_addr;
	uint32_t dns[IPCP_DNS_COUNT];   /* learned from the peer */
};

int ipcp_init(struct ipcp *ipcp, const struct ipcp_config *cfg);
void ipcp_lower_up(struct ipcp *ipcp, uint64_t now_ms);
void ipcp_lower_down(struct ipcp *ipcp, uint64_t now_ms);
void ipcp_open(struct ipcp *ipcp, uint64_t now_ms);
void ipcp_close(struct ipcp *ipcp, const char *reason, uint64_t now_ms);
int ipcp_input(struct ipcp *ipcp, const uint8_t *buf, size_t len, uint64_t now_ms);
void ipcp_protocol_rejected(struct ipcp *ipcp, uint64_t now_ms);
uint64_t ipcp_next_deadline(const struct ipcp *ipcp);
void ipcp_on_timeout(struct ipcp *ipcp, uint64_t now_ms);
/* Events out (ppp.h): the oldest undrained event; false when none. */
bool ipcp_next_event(struct ipcp *ipcp, struct ppp_event *out);

#endif
