/* SPDX-License-Identifier: BSD-2-Clause */
/* What lcp.c and lcp_options.c share; not part of the LCP interface. */
#ifndef OPENPPTP_PPP_LCP_INTERNAL_H
#define OPENPPTP_PPP_LCP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "proto/ppp/fsm.h"
#include "proto/ppp/lcp.h"

#define LCP_DEFAULT_MRU 1500 /* RFC 1661 §6.1 */
#define LCP_MIN_MRU 128

/* The option handlers, in the order we send them. */
extern const struct ppp_option_handler lcp_options[];
extern const size_t lcp_option_count;

/* Queue an event for the owner (lcp_next_event). */
void lcp_emit(struct lcp *lcp, enum ppp_event_type type, uint32_t value, const char *reason);
/* A fresh non-zero Magic-Number (RFC 1661 §6.4). */
uint32_t lcp_new_magic(struct lcp *lcp);

#endif
