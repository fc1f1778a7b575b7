/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared between pptp_ctrl.c (control connection) and pptp_call.c (calls);
 * not part of the public API. */
#ifndef OPENPPTP_PROTO_PPTP_CTRL_INTERNAL_H
#define OPENPPTP_PROTO_PPTP_CTRL_INTERNAL_H

#include "proto/pptp/pptp_ctrl.h"

/* pptp_ctrl_events.c: queue an event for the owner */
void pptp_ctrl_emit(struct pptp_ctrl *c, const struct pptp_event *ev);

/* pptp_ctrl.c */
void pptp_ctrl_send(struct pptp_ctrl *c, const struct pptp_msg *m);
/* The reply to request `req` with a failure result and RFC 2637 §2.16 error. */
void pptp_ctrl_send_error_reply(struct pptp_ctrl *c, const struct pptp_msg *req, uint8_t result,
				uint8_t error);

/* pptp_call.c */
void pptp_call_down(struct pptp_ctrl *c, struct pptp_call *call, enum pptp_call_down_reason reason,
		    uint8_t result, uint8_t error, uint16_t cause);
void pptp_call_timeout(struct pptp_ctrl *c, struct pptp_call *call);
void pptp_call_on_out_call_request(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms);
void pptp_call_on_in_call_request(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms);
/* A call message that passed the role/state and body checks. */
void pptp_call_dispatch(struct pptp_ctrl *c, const struct pptp_msg *m, const struct pptp_msg_desc *d,
			uint64_t now_ms);

#endif
