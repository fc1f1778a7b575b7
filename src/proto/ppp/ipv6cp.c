/* SPDX-License-Identifier: BSD-2-Clause */
/* IPV6CP; see ipv6cp.h. */
#include "proto/ppp/ipv6cp.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

static void ipv6cp_emit(struct ipv6cp *x, enum ppp_event_type type, const char *reason)
{
	ppp_fsm_queue_event(&x->fsm, type, 0, reason);
}

bool ipv6cp_next_event(struct ipv6cp *x, struct ppp_event *out)
{
	return ppp_fsm_next_event(&x->fsm, out);
}

static uint64_t ipv6cp_random_id(struct ipv6cp *x, uint64_t avoid1, uint64_t avoid2)
{
	uint64_t id = 0;
	while (id == 0 || id == avoid1 || id == avoid2) {
		random_fill(x->cfg.random, &id, sizeof(id));
		/* RFC 5072 §4.1 / RFC 4291: a random identifier has the
		 * universal/local bit cleared (locally administered). */
		id &= ~(UINT64_C(0x02) << 56);
	}
	return id;
}

static uint64_t load_be64(const uint8_t *p)
{
	return ((uint64_t)load_be32(p) << 32) | load_be32(p + 4);
}

static bool id_build(void *p, struct writer *w)
{
	struct ipv6cp *x = p;
	if (!x->want_id_opt)
		return false;
	writer_u32(w, (uint32_t)(x->want_id >> 32));
	writer_u32(w, (uint32_t)x->want_id);
	return true;
}

static enum ppp_opt_verdict id_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct ipv6cp *x = p;
	uint64_t id = load_be64(opt->value);
	/* RFC 5072 §4.1: a zero identifier, or one equal to ours, is Naked
	 * with a fresh one that differs from ours. */
	if (id == 0 || id == x->want_id) {
		uint64_t suggest = ipv6cp_random_id(x, x->want_id, id);
		writer_u32(nak, (uint32_t)(suggest >> 32));
		writer_u32(nak, (uint32_t)suggest);
		return PPP_OPT_NAK;
	}
	x->peer_id = id;
	return PPP_OPT_ACK;
}

static void id_acked(void *p, const struct ppp_option *opt)
{
	((struct ipv6cp *)p)->local_id = load_be64(opt->value);
}

static void id_naked(void *p, const struct ppp_option *opt)
{
	struct ipv6cp *x = p;
	uint64_t id = load_be64(opt->value);
	/* Take the peer's suggestion unless it is zero or the peer's own. */
	if (id != 0 && id != x->peer_id)
		x->want_id = id;
	else
		x->want_id = ipv6cp_random_id(x, x->peer_id, x->want_id);
}

static void id_rejected(void *p)
{
	((struct ipv6cp *)p)->want_id_opt = false;
}

static const struct ppp_option_handler ipv6cp_options[] = {
	{ IPV6CP_OPT_INTERFACE_ID, "Interface-Identifier", 10, 10, id_build, id_request, id_acked, id_naked,
	  id_rejected },
};

static void ipv6cp_reset_request(void *p)
{
	struct ipv6cp *x = p;
	x->want_id_opt = true;
	x->want_id = x->cfg.interface_id ? x->cfg.interface_id : ipv6cp_random_id(x, 0, 0);
	x->local_id = 0;
}

static void ipv6cp_reset_peer(void *p)
{
	((struct ipv6cp *)p)->peer_id = 0;
}

static void ipv6cp_layer_up(void *p)
{
	struct ipv6cp *x = p;
	if (x->local_id == 0 || x->peer_id == 0) {
		log_msg(LOG_LEVEL_WARN, x->cfg.tag, "IPV6CP: no interface identifier negotiated");
		ipv6cp_emit(x, PPP_EVENT_CONFIG_FAILED, "No interface identifier");
		return;
	}
	ipv6cp_emit(x, PPP_EVENT_UP, NULL);
}

static void ipv6cp_layer_down(void *p) { ipv6cp_emit(p, PPP_EVENT_DOWN, NULL); }
static void ipv6cp_layer_started(void *p) { ipv6cp_emit(p, PPP_EVENT_STARTING, NULL); }
static void ipv6cp_layer_finished(void *p) { ipv6cp_emit(p, PPP_EVENT_FINISHED, NULL); }

static const struct ppp_fsm_ops ipv6cp_ops = {
	.layer_up = ipv6cp_layer_up,
	.layer_down = ipv6cp_layer_down,
	.layer_started = ipv6cp_layer_started,
	.layer_finished = ipv6cp_layer_finished,
	.reset_request = ipv6cp_reset_request,
	.reset_peer = ipv6cp_reset_peer,
};

int ipv6cp_init(struct ipv6cp *x, const struct ipv6cp_config *cfg)
{
	if (!cfg || !cfg->output || !cfg->random)
		return ERR_INVALID;
	memset(x, 0, sizeof(*x));
	x->cfg = *cfg;
	ppp_fsm_init(&x->fsm, PPP_PROTO_IPV6CP, "IPV6CP", &ipv6cp_ops, ipv6cp_options,
		     sizeof(ipv6cp_options) / sizeof(ipv6cp_options[0]), x, &cfg->fsm, cfg->output,
		     cfg->output_ctx);
	x->fsm.tag = cfg->tag;
	ipv6cp_reset_request(x);
	return 0;
}

void ipv6cp_lower_up(struct ipv6cp *x, uint64_t now_ms) { ppp_fsm_lower_up(&x->fsm, now_ms); }
void ipv6cp_lower_down(struct ipv6cp *x, uint64_t now_ms) { ppp_fsm_lower_down(&x->fsm, now_ms); }
void ipv6cp_open(struct ipv6cp *x, uint64_t now_ms) { ppp_fsm_open(&x->fsm, now_ms); }
void ipv6cp_close(struct ipv6cp *x, const char *reason, uint64_t now_ms)
{
	ppp_fsm_close(&x->fsm, reason, now_ms);
}
int ipv6cp_input(struct ipv6cp *x, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	return ppp_fsm_input(&x->fsm, buf, len, now_ms);
}
void ipv6cp_protocol_rejected(struct ipv6cp *x, uint64_t now_ms)
{
	ppp_fsm_protocol_rejected(&x->fsm, now_ms);
}
uint64_t ipv6cp_next_deadline(const struct ipv6cp *x) { return ppp_fsm_next_deadline(&x->fsm); }
void ipv6cp_on_timeout(struct ipv6cp *x, uint64_t now_ms) { ppp_fsm_on_timeout(&x->fsm, now_ms); }
