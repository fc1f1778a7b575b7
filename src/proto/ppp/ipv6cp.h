/* SPDX-License-Identifier: BSD-2-Clause */
/* IPV6CP (RFC 5072): the Interface-Identifier option; the peer's link-local
 * address is fe80::<its identifier>. */
#ifndef OPENPPTP_PROTO_PPP_IPV6CP_H
#define OPENPPTP_PROTO_PPP_IPV6CP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/random.h"
#include "proto/ppp/fsm.h"

enum ipv6cp_option_type {
	IPV6CP_OPT_INTERFACE_ID = 1,
	IPV6CP_OPT_COMPRESSION = 2,   /* rejected */
};

struct ipv6cp_config {
	const char *tag;
	struct ppp_fsm_config fsm;
	uint64_t interface_id;        /* ours; 0 = random */
	const struct random_source *random;
	ppp_output_fn output;
	void *output_ctx;
};

struct ipv6cp {
	struct ppp_fsm fsm;
	struct ipv6cp_config cfg;
	uint64_t want_id;
	bool want_id_opt;
	uint64_t local_id;   /* valid after PPP_EVENT_UP */
	uint64_t peer_id;
};

int ipv6cp_init(struct ipv6cp *x, const struct ipv6cp_config *cfg);
void ipv6cp_lower_up(struct ipv6cp *x, uint64_t now_ms);
void ipv6cp_lower_down(struct ipv6cp *x, uint64_t now_ms);
void ipv6cp_open(struct ipv6cp *x, uint64_t now_ms);
void ipv6cp_close(struct ipv6cp *x, const char *reason, uint64_t now_ms);
int ipv6cp_input(struct ipv6cp *x, const uint8_t *buf, size_t len, uint64_t now_ms);
void ipv6cp_protocol_rejected(struct ipv6cp *x, uint64_t now_ms);
uint64_t ipv6cp_next_deadline(const struct ipv6cp *x);
void ipv6cp_on_timeout(struct ipv6cp *x, uint64_t now_ms);
/* Events out (ppp.h): the oldest undrained event; false when none. */
bool ipv6cp_next_event(struct ipv6cp *x, struct ppp_event *out);

#endif
