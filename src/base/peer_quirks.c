/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/peer_quirks.h"

#include <stddef.h>

static const struct peer_quirk_entry peer_quirk_table[PEER_QUIRK_COUNT] = {
	{ PPTP_QUIRK_HEADER_RESERVED0, "header-reserved0-nonzero", "Cisco (per pptp-linux)",
	  "pptp-linux pptp_ctrl.c only logs 'reserved0 field is not zero! Cisco feature?' and accepts "
	  "the message; so do we (logged once per connection)" },
	{ PPTP_QUIRK_ZERO_CAPABILITIES, "start-reply-zero-capabilities", "pptpd 1.4.0",
	  "pptpd sends Start-Control-Connection-Reply with framing and bearer capabilities 0 "
	  "(capture pptp-linux-to-pptpd, frames 13 and 27); accepted" },
	{ PPTP_QUIRK_SET_LINK_INFO_TO_PNS, "set-link-info-to-pns", "Windows RRAS",
	  "RFC 2637 §2.15 says PNS->PAC only, but Windows RRAS PACs send it to the PNS (pptp-linux "
	  "logs 'PPTP_SET_LINK_INFO received ... recv_accm is FFFFFFFF' in NetworkManager-pptp bug "
	  "reports); accepted and surfaced as an event" },
	{ PPTP_QUIRK_DISCONNECT_NOTIFY_OWN_ID, "disconnect-notify-pns-call-id", "pptp-linux",
	  "RFC 2637 §2.13 puts the PAC's Call ID in Call-Disconnect-Notify, but pptp-linux as PAC "
	  "echoes the PNS's ID from the Call-Clear-Request and as PNS looks the notify up by its own "
	  "ID; the PNS matches either" },
	{ PPTP_QUIRK_CALL_CLEAR_THEN_TCP_CLOSE, "call-clear-then-tcp-close", "pptp-linux 1.10.0",
	  "on SIGTERM pppd signals its process group; pptp sends Call-Clear-Request and closes TCP at "
	  "once, with no LCP Terminate and no Stop-Control-Connection (interop harness, client "
	  "hang-up); a TCP close tears everything down without complaint" },
	{ GRE_QUIRK_ZERO_RECEIVE_WINDOW, "gre-zero-receive-window", "Windows (reported)",
	  "a peer advertising receive window 0 would mean 'send nothing'; RFC 2637 §4.2 gives one "
	  "packet as the minimum; we use 64 (docs/gre.md)" },
	{ GRE_QUIRK_FIRST_SEQUENCE_ANY, "gre-first-sequence-any", "pptp-linux 1.10.0",
	  "pptp-linux's first data packet has sequence number 1, pptpd's 0 (capture); the first "
	  "sequence number received is taken as it comes" },
	{ GRE_QUIRK_WINDOW_NOT_ENFORCED, "gre-window-not-enforced", "pptp-linux, pptpd",
	  "both advertise window 3, then have up to 38 (pptp-linux) and 9 (pptpd) packets "
	  "unacknowledged (capture); we send beyond the window by default and count it" },
	{ PPP_QUIRK_LCP_WITHOUT_ADDRESS_CONTROL, "lcp-echo-without-ff03", "pppd 2.4.9",
	  "RFC 1661 §6.6 wants LCP always framed with FF 03, but pppd sends Echo-Request without it "
	  "once ACFC is on; accepted, we always send FF 03 on LCP" },
	{ PPP_QUIRK_RECEIVE_ABOVE_MRU, "receive-above-mru", "pppd 2.4.9",
	  "pppd sends 1500-byte MPPE payloads whatever MRU was negotiated (capture frame 197); frames "
	  "up to 1500 + 4 bytes are always accepted (RFC 1661 §6.1 allows it)" },
	{ PPP_QUIRK_TERMINATE_SAYS_MPPE_DISABLED, "terminate-says-mppe-disabled", "pppd 2.4.9",
	  "pppd ends every link that ran MPPE with LCP Terminate-Request \"MPPE disabled\", twice, "
	  "whatever the reason (SIGTERM; interop harness, server hang-up); once the link was up a "
	  "Terminate-Request is read as a hang-up, never as MPPE refused" },
	{ PPP_QUIRK_ECHO_SAME_INTERVAL, "lcp-echo-same-interval", "pppd 2.4.9",
	  "pppd sends LCP Echo-Request every lcp-echo-interval whatever it receives; had its requests "
	  "postponed ours (as other traffic does), a peer with our interval would have left only one "
	  "side probing (interop harness, lcp-echo check); a peer's Echo-Request postpones nothing" },
	{ MPPE_QUIRK_RESET_CHANGES_KEY, "mppe-reset-changes-key", "Linux ppp_mppe",
	  "Linux changes the session key when it answers a CCP Reset-Request and on every flushed "
	  "packet it receives, where RFC 3078 §8.2 only re-initialises RC4 with the current key; "
	  "stateful mode follows Linux by default (docs/mppe.md)" },
	{ MPPE_QUIRK_STATEFUL_ONLY_BY_REFUSAL, "mppe-stateful-needs-insisting", "pppd 2.4.9",
	  "pppd's mppe-stateful only allows stateful mode and still requests stateless (interop "
	  "harness: two pppds never agree on stateful); --mppe ...,stateful-only refuses stateless" },
};

const struct peer_quirk_entry *peer_quirk_get(enum peer_quirk id)
{
	if ((unsigned)id >= PEER_QUIRK_COUNT)
		return NULL;
	return &peer_quirk_table[id];
}
