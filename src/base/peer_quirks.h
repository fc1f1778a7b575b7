/* SPDX-License-Identifier: BSD-2-Clause */
/* Every place where openpptp accepts or does something the RFCs do not say,
 * because a real peer (pppd, pptpd, pptp-linux, Windows, MikroTik) needs it.
 * One table for the whole project, each entry with its evidence, so a
 * reviewer sees all deviations at once and the code cites them by name. */
#ifndef OPENPPTP_BASE_PEER_QUIRKS_H
#define OPENPPTP_BASE_PEER_QUIRKS_H

enum peer_quirk {
	/* PPTP control (src/proto/pptp) */
	PPTP_QUIRK_HEADER_RESERVED0 = 0,
	PPTP_QUIRK_ZERO_CAPABILITIES,
	PPTP_QUIRK_SET_LINK_INFO_TO_PNS,
	PPTP_QUIRK_DISCONNECT_NOTIFY_OWN_ID,
	PPTP_QUIRK_CALL_CLEAR_THEN_TCP_CLOSE,
	/* enhanced GRE (src/proto/gre) */
	GRE_QUIRK_ZERO_RECEIVE_WINDOW,
	GRE_QUIRK_FIRST_SEQUENCE_ANY,
	GRE_QUIRK_WINDOW_NOT_ENFORCED,
	/* PPP (src/proto/ppp, src/proto/session) */
	PPP_QUIRK_LCP_WITHOUT_ADDRESS_CONTROL,
	PPP_QUIRK_RECEIVE_ABOVE_MRU,
	PPP_QUIRK_TERMINATE_SAYS_MPPE_DISABLED,
	PPP_QUIRK_ECHO_SAME_INTERVAL,
	/* MPPE (src/proto/mppe) */
	MPPE_QUIRK_RESET_CHANGES_KEY,
	MPPE_QUIRK_STATEFUL_ONLY_BY_REFUSAL,
	PEER_QUIRK_COUNT,
};

struct peer_quirk_entry {
	enum peer_quirk id;
	const char *name;
	const char *peers;     /* who does it */
	const char *evidence;  /* where we saw it, and what we do */
};

const struct peer_quirk_entry *peer_quirk_get(enum peer_quirk id);

#endif
