/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 1661 §4 option-negotiation automaton; see fsm.h. */
#include "proto/ppp/fsm.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"

struct fsm_cell {
	int8_t next;          /* -1: the RFC's "-" (event cannot occur) */
	uint16_t actions;
};

#define X { -1, 0 }
#define C(next_, acts_) { (next_), (acts_) }
#define TLD PPP_ACT_TLD
#define TLS PPP_ACT_TLS
#define IRC PPP_ACT_IRC
#define ZRC PPP_ACT_ZRC
#define SCR PPP_ACT_SCR
#define SCA PPP_ACT_SCA
#define SCN PPP_ACT_SCN
#define STR PPP_ACT_STR
#define STA PPP_ACT_STA
#define TLU PPP_ACT_TLU
#define TLF PPP_ACT_TLF
#define SCJ PPP_ACT_SCJ
#define SER PPP_ACT_SER

/* RFC 1661 §4.1 state transition table, row per event, column per state
 * 0 Initial .. 9 Opened. The "r" (restart) option of Open in 3/5/9 is not
 * implemented: the state is kept. "p" (passive) and "x" (crossed) only
 * annotate the RFC's prose; the transitions are as in the table. */
static const struct fsm_cell fsm_table[PPP_EV_COUNT][PPP_STATE_COUNT] = {
	/*            0 Initial   1 Starting      2 Closed     3 Stopped            4 Closing   5 Stopping  6 Req-Sent      7 Ack-Rcvd     8 Ack-Sent       9 Opened */
	[PPP_EV_UP]        = { C(2, 0),   C(6, IRC|SCR), X,           X,                   X,          X,          X,              X,             X,               X },
	[PPP_EV_DOWN]      = { X,         X,             C(0, 0),     C(1, TLS),           C(0, 0),    C(1, 0),    C(1, 0),        C(1, 0),       C(1, 0),         C(1, TLD) },
	[PPP_EV_OPEN]      = { C(1, TLS), C(1, 0),       C(6, IRC|SCR), C(3, 0),           C(5, 0),    C(5, 0),    C(6, 0),        C(7, 0),       C(8, 0),         C(9, 0) },
	[PPP_EV_CLOSE]     = { C(0, 0),   C(0, TLF),     C(2, 0),     C(2, 0),             C(4, 0),    C(4, 0),    C(4, IRC|STR),  C(4, IRC|STR), C(4, IRC|STR),   C(4, TLD|IRC|STR) },
	[PPP_EV_TO_PLUS]   = { X,         X,             X,           X,                   C(4, STR),  C(5, STR),  C(6, SCR),      C(6, SCR),     C(8, SCR),       X },
	[PPP_EV_TO_MINUS]  = { X,         X,             X,           X,                   C(2, TLF),  C(3, TLF),  C(3, TLF),      C(3, TLF),     C(3, TLF),       X },
	[PPP_EV_RCR_PLUS]  = { X,         X,             C(2, STA),   C(8, IRC|SCR|SCA),   C(4, 0),    C(5, 0),    C(8, SCA),      C(9, SCA|TLU), C(8, SCA),       C(8, TLD|SCR|SCA) },
	[PPP_EV_RCR_MINUS] = { X,         X,             C(2, STA),   C(6, IRC|SCR|SCN),   C(4, 0),    C(5, 0),    C(6, SCN),      C(7, SCN),     C(6, SCN),       C(6, TLD|SCR|SCN) },
	[PPP_EV_RCA]       = { X,         X,             C(2, STA),   C(3, STA),           C(4, 0),    C(5, 0),    C(7, IRC),      C(6, SCR),     C(9, IRC|TLU),   C(6, TLD|SCR) },
	[PPP_EV_RCN]       = { X,         X,             C(2, STA),   C(3, STA),           C(4, 0),    C(5, 0),    C(6, IRC|SCR),  C(6, SCR),     C(8, IRC|SCR),   C(6, TLD|SCR) },
	[PPP_EV_RTR]       = { X,         X,             C(2, STA),   C(3, STA),           C(4, STA),  C(5, STA),  C(6, STA),      C(6, STA),     C(6, STA),       C(5, TLD|ZRC|STA) },
	[PPP_EV_RTA]       = { X,         X,             C(2, 0),     C(3, 0),             C(2, TLF),  C(3, TLF),  C(6, 0),        C(6, 0),       C(8, 0),         C(6, TLD|SCR) },
	[PPP_EV_RUC]       = { X,         X,             C(2, SCJ),   C(3, SCJ),           C(4, SCJ),  C(5, SCJ),  C(6, SCJ),      C(7, SCJ),     C(8, SCJ),       C(9, SCJ) },
	[PPP_EV_RXJ_PLUS]  = { X,         X,             C(2, 0),     C(3, 0),             C(4, 0),    C(5, 0),    C(6, 0),        C(6, 0),       C(8, 0),         C(9, 0) },
	[PPP_EV_RXJ_MINUS] = { X,         X,             C(2, TLF),   C(3, TLF),           C(2, TLF),  C(3, TLF),  C(3, TLF),      C(3, TLF),     C(3, TLF),       C(5, TLD|IRC|STR) },
	[PPP_EV_RXR]       = { X,         X,             C(2, 0),     C(3, 0),             C(4, 0),    C(5, 0),    C(6, 0),        C(7, 0),       C(8, 0),         C(9, SER) },
};

bool ppp_fsm_transition(enum ppp_fsm_state state, enum ppp_fsm_event event,
			enum ppp_fsm_state *next, unsigned *actions)
{
	if ((unsigned)state >= PPP_STATE_COUNT || (unsigned)event >= PPP_EV_COUNT)
		return false;
	const struct fsm_cell *c = &fsm_table[event][state];
	if (c->next < 0)
		return false;
	*next = (enum ppp_fsm_state)c->next;
	*actions = c->actions;
	return true;
}

const char *ppp_fsm_state_name(enum ppp_fsm_state state)
{
	static const char *const names[PPP_STATE_COUNT] = {
		"Initial", "Starting", "Closed", "Stopped", "Closing",
		"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
	};
	return (unsigned)state < PPP_STATE_COUNT ? names[state] : "?";
}

const char *ppp_fsm_event_name(enum ppp_fsm_event event)
{
	static const char *const names[PPP_EV_COUNT] = {
		"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
		"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
	};
	return (unsigned)event < PPP_EV_COUNT ? names[event] : "?";
}

void ppp_fsm_init(struct ppp_fsm *f, uint16_t protocol, const char *name,
		  const struct ppp_fsm_ops *ops, const struct ppp_option_handler *options,
		  size_t n_options, void *proto, const struct ppp_fsm_config *cfg,
		  ppp_output_fn output, void *output_ctx)
{
	memset(f, 0, sizeof(*f));
	f->protocol = protocol;
	f->name = name;
	f->ops = ops;
	f->options = options;
	f->n_options = n_options;
	f->proto = proto;
	f->output = output;
	f->output_ctx = output_ctx;
	if (cfg)
		f->cfg = *cfg;
	if (!f->cfg.restart_ms)
		f->cfg.restart_ms = 3000;
	if (!f->cfg.max_configure)
		f->cfg.max_configure = 10;
	if (!f->cfg.max_terminate)
		f->cfg.max_terminate = 2;
	if (!f->cfg.max_failure)
		f->cfg.max_failure = 5;
	f->state = PPP_STATE_INITIAL;
	f->next_id = 1;
	f->deadline = DEADLINE_NONE;
	f->limit = (struct log_limit)LOG_LIMIT_INIT(10, 1000);
}

void ppp_fsm_queue_event(struct ppp_fsm *f, enum ppp_event_type type, uint32_t value, const char *reason)
{
	if (f->events_len == PPP_FSM_EVENTS_MAX) {
		f->events_lost++;
		log_msg(LOG_LEVEL_ERROR, f->tag, "%s: event queue full, %s lost", f->name, ppp_event_name(type));
		return;
	}
	unsigned i = (f->events_head + f->events_len) % PPP_FSM_EVENTS_MAX;
	f->events[i] = (struct ppp_event){ .type = type, .protocol = f->protocol, .value = value, .reason = reason };
	f->events_len++;
}

bool ppp_fsm_next_event(struct ppp_fsm *f, struct ppp_event *out)
{
	if (!f->events_len)
		return false;
	*out = f->events[f->events_head];
	f->events_head = (uint8_t)((f->events_head + 1) % PPP_FSM_EVENTS_MAX);
	f->events_len--;
	return true;
}

uint8_t ppp_fsm_new_id(struct ppp_fsm *f)
{
	return f->next_id++;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len)
{
	uint8_t buf[1500];
	struct writer w;
	writer_init(&w, buf, sizeof(buf));
	ppp_cp_begin(&w, code, id);
	writer_bytes(&w, data, len);
	int n = ppp_cp_finish(&w);
	if (n < 0)
		return;
	if (f->output)
		f->output(f->output_ctx, f->protocol, buf, (size_t)n);
}

static const struct ppp_option_handler *fsm_handler(const struct ppp_fsm *f, uint8_t type)
{
	for (size_t i = 0; i < f->n_options; i++)
		if (f->options[i].type == type)
			return &f->options[i];
	return NULL;
}

static bool fsm_negotiating(enum ppp_fsm_state s)
{
	return s == PPP_STATE_REQ_SENT || s == PPP_STATE_ACK_RCVD || s == PPP_STATE_ACK_SENT;
}

static void fsm_arm(struct ppp_fsm *f)
{
	f->deadline = f->now + f->cfg.restart_ms;
}

/* scr: build our option list from the handlers and send it. */
static void fsm_send_conf_req(struct ppp_fsm *f, enum ppp_fsm_state old)
{
	if (!fsm_negotiating(old) && f->ops->reset_request)
		f->ops->reset_request(f->proto);
	struct writer w;
	writer_init(&w, f->last_req, sizeof(f->last_req));
	for (size_t i = 0; i < f->n_options; i++) {
		const struct ppp_option_handler *h = &f->options[i];
		if (!h->build)
			continue;
		uint8_t value[254];
		struct writer vw;
		writer_init(&vw, value, sizeof(value));
		if (h->build(f->proto, &vw) && writer_ok(&vw))
			ppp_option_put(&w, h->type, value, writer_len(&vw));
	}
	f->last_req_len = writer_ok(&w) ? writer_len(&w) : 0;
	f->req_id = ppp_fsm_new_id(f);
	f->req_answered = false;
	f->restart_count--;
	fsm_arm(f);
	ppp_fsm_send(f, PPP_CONF_REQ, f->req_id, f->last_req, f->last_req_len);
}

static void fsm_send_term_req(struct ppp_fsm *f)
{
	f->restart_count--;
	fsm_arm(f);
	ppp_fsm_send(f, PPP_TERM_REQ, ppp_fsm_new_id(f), f->term_reason, strlen(f->term_reason));
}

static void fsm_send_code_reject(struct ppp_fsm *f)
{
	if (!f->rx) {
		ppp_fsm_send(f, PPP_CODE_REJ, ppp_fsm_new_id(f), NULL, 0);
		return;
	}
	/* RFC 1661 §5.6: the rejected packet, header included, truncated to
	 * fit the peer's MRU (we assume the 1500 default). */
	uint8_t buf[1500 - PPP_CP_HEADER_LEN];
	size_t n = PPP_CP_HEADER_LEN + f->rx->data_len;
	if (n > sizeof(buf))
		n = sizeof(buf);
	store_be16(buf + 0, 0);
	buf[0] = f->rx->code;
	buf[1] = f->rx->id;
	store_be16(buf + 2, f->rx->length);
	memcpy(buf + PPP_CP_HEADER_LEN, f->rx->data, n - PPP_CP_HEADER_LEN);
	ppp_fsm_send(f, PPP_CODE_REJ, ppp_fsm_new_id(f), buf, n);
}

void ppp_fsm_event(struct ppp_fsm *f, enum ppp_fsm_event ev)
{
	enum ppp_fsm_state old = f->state, next;
	unsigned a;
	if (!ppp_fsm_transition(old, ev, &next, &a)) {
		log_limited(&f->limit, f->now, LOG_LEVEL_DEBUG, f->tag, "%s: event %s ignored in state %s",
			    f->name, ppp_fsm_event_name(ev), ppp_fsm_state_name(old));
		return;
	}
	f->state = next;
	if (old != next && log_enabled(LOG_LEVEL_DEBUG))
		log_limited(&f->limit, f->now, LOG_LEVEL_DEBUG, f->tag, "%s: %s -> %s on %s", f->name, ppp_fsm_state_name(old),
			ppp_fsm_state_name(next), ppp_fsm_event_name(ev));
	if (a & TLD && f->ops->layer_down)
		f->ops->layer_down(f->proto);
	if (a & TLS && f->ops->layer_started)
		f->ops->layer_started(f->proto);
	if (a & IRC) {
		/* RFC 1661 §4.4: Max-Terminate before a Terminate-Request,
		 * Max-Configure before a Configure-Request. */
		f->restart_count = (a & STR) ? f->cfg.max_terminate : f->cfg.max_configure;
	}
	if (a & ZRC) {
		/* RFC 1661 §4.4: zero the counter but run the timer once, so the
		 * peer gets time to see our Terminate-Ack. */
		f->restart_count = 0;
		fsm_arm(f);
	}
	if (a & SCR)
		fsm_send_conf_req(f, old);
	if (a & SCA) {
		f->nak_loops = 0;
		ppp_fsm_send(f, PPP_CONF_ACK, f->rx ? f->rx->id : 0, f->reply, f->reply ? f->reply_len : 0);
	}
	if (a & SCN) {
		/* reply carries its own code (Nak or Reject) in the first byte */
		if (f->reply && f->reply_len >= 1) {
			if (f->reply[0] == PPP_CONF_NAK)
				f->nak_loops++;
			ppp_fsm_send(f, f->reply[0], f->rx ? f->rx->id : 0, f->reply + 1, f->reply_len - 1);
		} else {
			ppp_fsm_send(f, PPP_CONF_REJ, f->rx ? f->rx->id : 0, NULL, 0);
		}
	}
	if (a & STR)
		fsm_send_term_req(f);
	if (a & STA)
		ppp_fsm_send(f, PPP_TERM_ACK, f->rx ? f->rx->id : ppp_fsm_new_id(f), NULL, 0);
	if (a & TLU) {
		f->nak_loops = 0;
		if (f->ops->layer_up)
			f->ops->layer_up(f->proto);
	}
	if (a & TLF && f->ops->layer_finished)
		f->ops->layer_finished(f->proto);
	if (a & SCJ)
		fsm_send_code_reject(f);
	if (a & SER && f->ops->send_echo_reply)
		f->ops->send_echo_reply(f->proto);
	/* The restart timer runs only in the states that wait for an answer. */
	if (f->state < PPP_STATE_CLOSING || f->state == PPP_STATE_OPENED)
		f->deadline = DEADLINE_NONE;
}

void ppp_fsm_lower_up(struct ppp_fsm *f, uint64_t now_ms)
{
	f->now = now_ms;
	ppp_fsm_event(f, PPP_EV_UP);
}

void ppp_fsm_lower_down(struct ppp_fsm *f, uint64_t now_ms)
{
	f->now = now_ms;
	ppp_fsm_event(f, PPP_EV_DOWN);
}

void ppp_fsm_open(struct ppp_fsm *f, uint64_t now_ms)
{
	f->now = now_ms;
	ppp_fsm_event(f, PPP_EV_OPEN);
}

void ppp_fsm_close(struct ppp_fsm *f, const char *reason, uint64_t now_ms)
{
	f->now = now_ms;
	snprintf(f->term_reason, sizeof(f->term_reason), "%s", reason ? reason : "");
	ppp_fsm_event(f, PPP_EV_CLOSE);
}

void ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now_ms)
{
	f->now = now_ms;
	log_limited(&f->limit, f->now, LOG_LEVEL_INFO, f->tag, "%s: protocol rejected by peer", f->name);
	ppp_fsm_event(f, PPP_EV_RXJ_MINUS);
}

uint64_t ppp_fsm_next_deadline(const struct ppp_fsm *f)
{
	return f->deadline;
}

void ppp_fsm_on_timeout(struct ppp_fsm *f, uint64_t now_ms)
{
	if (f->deadline == DEADLINE_NONE || now_ms < f->deadline)
		return;
	f->now = now_ms;
	f->deadline = DEADLINE_NONE;
	if (f->restart_count > 0) {
		ppp_fsm_event(f, PPP_EV_TO_PLUS);
	} else {
		if (fsm_negotiating(f->state))
			log_msg(LOG_LEVEL_WARN, f->tag, "%s: no answer to %d Configure-Requests, giving up",
				f->name, f->cfg.max_configure);
		ppp_fsm_event(f, PPP_EV_TO_MINUS);
	}
}

static int fsm_discard(struct ppp_fsm *f, int err, const char *what)
{
	f->rx_discarded++;
	if (err == ERR_MALFORMED || err == ERR_LENGTH || err == ERR_TRUNCATED)
		f->rx_malformed++;
	log_limited(&f->limit, f->now, LOG_LEVEL_INFO, f->tag, "%s: discarded %s (%s)",
		    f->name, what, error_name(err));
	return err;
}

/* RCR: judge every option; build the Ack, Nak or Reject in `reply` (first
 * byte = code, then the option list). Returns the reply length or error. */
static int fsm_judge_request(struct ppp_fsm *f, const struct ppp_cp_packet *p, uint8_t *reply,
			     size_t reply_size)
{
	int rc = ppp_options_validate(p->data, p->data_len);
	if (rc < 0)
		return rc;
	if (f->ops->reset_peer)
		f->ops->reset_peer(f->proto);
	struct writer nak, rej;
	uint8_t nak_buf[1500], rej_buf[1500];
	writer_init(&nak, nak_buf, sizeof(nak_buf));
	writer_init(&rej, rej_buf, sizeof(rej_buf));
	bool any_nak = false, any_rej = false;
	uint32_t present[8] = { 0 };
	struct reader r;
	struct ppp_option opt;
	reader_init(&r, p->data, p->data_len);
	while (ppp_option_next(&r, &opt) == 1) {
		present[opt.type / 32] |= 1u << (opt.type % 32);
		const struct ppp_option_handler *h = fsm_handler(f, opt.type);
		enum ppp_opt_verdict v = PPP_OPT_REJECT;
		uint8_t value[254];
		struct writer vw;
		writer_init(&vw, value, sizeof(value));
		if (h && h->request && opt.len >= h->min_len && opt.len <= h->max_len)
			v = h->request(f->proto, &opt, &vw);
		else if (h && h->request)
			log_limited(&f->limit, f->now, LOG_LEVEL_INFO, f->tag,
				    "%s: option %s with bad length %u rejected", f->name, h->name, opt.len);
		else
			log_limited(&f->limit, f->now, LOG_LEVEL_DEBUG, f->tag, "%s: rejecting option %u (len %u)", f->name, opt.type,
				opt.len);
		/* RFC 1661 §4.6 Max-Failure: stop Naking a peer that does not
		 * converge; reject instead. */
		if (v == PPP_OPT_NAK && f->nak_loops >= f->cfg.max_failure)
			v = PPP_OPT_REJECT;
		if (v == PPP_OPT_NAK && !writer_ok(&vw))
			v = PPP_OPT_REJECT;
		if (v == PPP_OPT_REJECT) {
			any_rej = true;
			ppp_option_put(&rej, opt.type, opt.value, opt.value_len);
		} else if (v == PPP_OPT_NAK) {
			any_nak = true;
			ppp_option_put(&nak, opt.type, value, writer_len(&vw));
		}
	}
	/* Options the peer must negotiate but left out, unless it has shown
	 * it will not converge (Max-Failure). */
	if (!any_rej && f->ops->missing_options && f->nak_loops < f->cfg.max_failure &&
	    f->ops->missing_options(f->proto, present, &nak))
		any_nak = true;
	if (!writer_ok(&nak) || !writer_ok(&rej))
		return ERR_NOSPACE;
	const uint8_t *src = p->data;
	size_t n = p->data_len;
	uint8_t code = PPP_CONF_ACK;
	if (any_rej) {
		code = PPP_CONF_REJ;
		src = rej_buf;
		n = writer_len(&rej);
	} else if (any_nak) {
		code = PPP_CONF_NAK;
		src = nak_buf;
		n = writer_len(&nak);
	}
	if (n + 1 > reply_size)
		return ERR_NOSPACE;
	reply[0] = code;
	memcpy(reply + 1, src, n);
	return (int)(n + 1);
}

static bool fsm_option_in_request(const struct ppp_fsm *f, uint8_t type)
{
	struct reader r;
	struct ppp_option opt;
	reader_init(&r, f->last_req, f->last_req_len);
	while (ppp_option_next(&r, &opt) == 1)
		if (opt.type == type)
			return true;
	return false;
}

/* RCA: RFC 1661 §5.2 — the options must be exactly those we sent. */
static int fsm_handle_ack(struct ppp_fsm *f, const struct ppp_cp_packet *p)
{
	if (p->data_len != f->last_req_len || (p->data_len && memcmp(p->data, f->last_req, p->data_len)))
		return ERR_MALFORMED;
	struct reader r;
	struct ppp_option opt;
	reader_init(&r, f->last_req, f->last_req_len);
	while (ppp_option_next(&r, &opt) == 1) {
		const struct ppp_option_handler *h = fsm_handler(f, opt.type);
		if (h && h->acked)
			h->acked(f->proto, &opt);
	}
	return 0;
}

/* RCN: a Nak may suggest values for options we sent or name options we
 * did not (RFC 1661 §5.3); a Reject must be a subset of ours (§5.4). */
static int fsm_handle_nak_rej(struct ppp_fsm *f, const struct ppp_cp_packet *p)
{
	int rc = ppp_options_validate(p->data, p->data_len);
	if (rc < 0)
		return rc;
	struct reader r;
	struct ppp_option opt;
	if (p->code == PPP_CONF_REJ) {
		reader_init(&r, p->data, p->data_len);
		while (ppp_option_next(&r, &opt) == 1)
			if (!fsm_option_in_request(f, opt.type))
				return ERR_MALFORMED;
	}
	reader_init(&r, p->data, p->data_len);
	while (ppp_option_next(&r, &opt) == 1) {
		const struct ppp_option_handler *h = fsm_handler(f, opt.type);
		if (!h)
			continue;
		if (p->code == PPP_CONF_REJ) {
			log_limited(&f->limit, f->now, LOG_LEVEL_DEBUG, f->tag, "%s: peer rejected option %s", f->name, h->name);
			if (h->rejected)
				h->rejected(f->proto);
		} else if (opt.len >= h->min_len && opt.len <= h->max_len && h->naked) {
			h->naked(f->proto, &opt);
		}
	}
	return 0;
}

int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	struct ppp_cp_packet p;
	f->now = now_ms;
	int rc = ppp_cp_parse(buf, len, &p);
	if (rc < 0)
		return fsm_discard(f, rc, "short packet");
	/* RFC 1661 §4: no packets are exchanged before the lower layer is up. */
	if (f->state == PPP_STATE_INITIAL || f->state == PPP_STATE_STARTING)
		return fsm_discard(f, ERR_STATE, ppp_code_name(p.code));
	uint8_t reply[1501];
	/* f->rx points at this frame only while the event runs; it is
	 * cleared on every return below. */
	// cppcheck-suppress autoVariables
	f->rx = &p;
	f->reply = NULL;
	f->reply_len = 0;
	switch (p.code) {
	case PPP_CONF_REQ:
		if (f->state == PPP_STATE_CLOSED || f->state == PPP_STATE_CLOSING ||
		    f->state == PPP_STATE_STOPPING) {
			/* No options are judged where the table answers without them. */
			ppp_fsm_event(f, PPP_EV_RCR_PLUS);
			break;
		}
		rc = fsm_judge_request(f, &p, reply, sizeof(reply));
		if (rc < 0) {
			f->rx = NULL;
			return fsm_discard(f, rc, "Configure-Request with a malformed option list");
		}
		f->reply = reply[0] == PPP_CONF_ACK ? reply + 1 : reply;
		f->reply_len = reply[0] == PPP_CONF_ACK ? (size_t)rc - 1 : (size_t)rc;
		ppp_fsm_event(f, reply[0] == PPP_CONF_ACK ? PPP_EV_RCR_PLUS : PPP_EV_RCR_MINUS);
		break;
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		/* RFC 1661 §5.2-5.4: an answer whose id is not that of our
		 * outstanding request is silently discarded; so is a second
		 * answer to the same request (GRE may duplicate), which in
		 * Opened would otherwise restart the negotiation. */
		if (p.id != f->req_id || f->req_answered ||
		    (!fsm_negotiating(f->state) && f->state != PPP_STATE_OPENED)) {
			if (f->state == PPP_STATE_CLOSED || f->state == PPP_STATE_STOPPED) {
				ppp_fsm_event(f, p.code == PPP_CONF_ACK ? PPP_EV_RCA : PPP_EV_RCN);
				break;
			}
			f->rx = NULL;
			return fsm_discard(f, ERR_LATE, ppp_code_name(p.code));
		}
		rc = p.code == PPP_CONF_ACK ? fsm_handle_ack(f, &p) : fsm_handle_nak_rej(f, &p);
		if (rc < 0) {
			f->rx = NULL;
			return fsm_discard(f, rc, ppp_code_name(p.code));
		}
		f->req_answered = true;
		ppp_fsm_event(f, p.code == PPP_CONF_ACK ? PPP_EV_RCA : PPP_EV_RCN);
		break;
	case PPP_TERM_REQ: {
		if (f->state == PPP_STATE_OPENED || fsm_negotiating(f->state)) {
			char *reason = f->peer_reason;
			size_t n = p.data_len < PPP_FSM_REASON_MAX - 1 ? p.data_len : PPP_FSM_REASON_MAX - 1;
			for (size_t i = 0; i < n; i++)
				reason[i] = (p.data[i] >= 0x20 && p.data[i] < 0x7f) ? (char)p.data[i] : '?';
			reason[n] = 0;
			log_limited(&f->limit, f->now, LOG_LEVEL_DEBUG, f->tag, "%s: peer terminated%s%s", f->name, n ? ": " : "", reason);
			ppp_fsm_queue_event(f, PPP_EVENT_PEER_TERMINATE, 0, reason);
		}
		ppp_fsm_event(f, PPP_EV_RTR);
		break;
	}
	case PPP_TERM_ACK:
		ppp_fsm_event(f, PPP_EV_RTA);
		break;
	case PPP_CODE_REJ: {
		/* RFC 1661 §5.6: rejecting a code we need (1..7) is fatal. */
		uint8_t rejected = p.data_len ? p.data[0] : 0;
		log_limited(&f->limit, f->now, LOG_LEVEL_INFO, f->tag, "%s: peer rejected code %u",
			    f->name, rejected);
		ppp_fsm_event(f, (rejected >= PPP_CONF_REQ && rejected <= PPP_CODE_REJ) ? PPP_EV_RXJ_MINUS
											: PPP_EV_RXJ_PLUS);
		break;
	}
	default:
		rc = f->ops->extra_code ? f->ops->extra_code(f->proto, &p, now_ms) : ERR_UNKNOWN_TYPE;
		if (rc == ERR_UNKNOWN_TYPE) {
			log_limited(&f->limit, f->now, LOG_LEVEL_INFO, f->tag, "%s: unknown code %u, Code-Reject",
				    f->name, p.code);
			ppp_fsm_event(f, PPP_EV_RUC);
		} else if (rc < 0) {
			f->rx = NULL;
			return fsm_discard(f, rc, ppp_code_name(p.code));
		}
		break;
	}
	f->rx = NULL;
	f->reply = NULL;
	return 0;
}
