/* SPDX-License-Identifier: BSD-2-Clause */
/* One error enum for the whole project. Functions return 0 (or a count) on
 * success and a negative enum error on failure. Each layer's block is
 * appended to, never renumbered, so values in logs stay stable. */
#ifndef OPENPPTP_BASE_ERROR_H
#define OPENPPTP_BASE_ERROR_H

enum error {
	ERR_OK = 0,

	/* generic */
	ERR_INVALID = -1,      /* bad argument from our own code */
	ERR_NOMEM = -2,
	ERR_NOSPACE = -3,      /* output buffer too small */
	ERR_AGAIN = -4,        /* nothing now, try later */
	ERR_LIMIT = -5,        /* a configured limit was reached */
	ERR_STATE = -6,        /* not allowed in the current state */
	ERR_TIMEOUT = -7,
	ERR_CLOSED = -8,
	ERR_IO = -9,
	ERR_NOT_FOUND = -10,
	ERR_EXISTS = -11,
	ERR_UNSUPPORTED = -12,

	/* wire input */
	ERR_TRUNCATED = -20,   /* fewer bytes than the format or a length says */
	ERR_LENGTH = -21,      /* a length field that is wrong for the type */
	ERR_MALFORMED = -22,   /* a field with a value the format forbids */
	ERR_MAGIC = -23,       /* PPTP magic cookie */
	ERR_VERSION = -24,     /* protocol version we do not speak */
	ERR_RESERVED = -25,    /* a reserved field that is not zero */
	ERR_UNKNOWN_TYPE = -26,
	ERR_UNKNOWN_CALL = -27,
	ERR_DUPLICATE = -28,
	ERR_LATE = -29,
	ERR_PEER = -30,        /* the peer's packet is valid but not from our peer */
	ERR_OUT_OF_WINDOW = -31, /* a counter too far ahead to believe or afford */

	/* authentication and crypto */
	ERR_AUTH = -40,        /* authentication failed */
	ERR_CRYPTO = -41,
	ERR_POLICY = -42,      /* the peer's offer is below our policy */

	/* GRE and its IPv4 wrapper (src/proto/gre): one code per reason a
	 * packet is refused, contiguous so each has a counter slot. */
	GRE_ERR_FIRST = -1000,
	GRE_ERR_SHORT = -1000,          /* fewer bytes than the header */
	GRE_ERR_CHECKSUM = -1001,       /* C set */
	GRE_ERR_ROUTING = -1002,        /* R set */
	GRE_ERR_NO_KEY = -1003,         /* K clear: no call id */
	GRE_ERR_STRICT_ROUTE = -1004,   /* s set */
	GRE_ERR_RECURSION = -1005,      /* recursion control not 0 */
	GRE_ERR_FLAGS = -1006,          /* flag bits 9-12 not 0 */
	GRE_ERR_VERSION = -1007,        /* version not 1 */
	GRE_ERR_PROTOCOL = -1008,       /* protocol not 0x880B */
	GRE_ERR_PAYLOAD_LENGTH = -1009, /* payload length > bytes present */
	GRE_ERR_ACK_ONLY_PAYLOAD = -1010, /* S clear but payload length not 0 */
	GRE_ERR_NO_SEQ_NO_ACK = -1011,  /* neither S nor A: says nothing */
	GRE_ERR_EMPTY_PAYLOAD = -1012,  /* S set, payload length 0 */
	/* IPv4 wrapper (gre_ipv4.h) */
	GRE_ERR_IP_SHORT = -1013,       /* fewer than 20 bytes */
	GRE_ERR_IP_VERSION = -1014,     /* not IPv4 */
	GRE_ERR_IP_HEADER_LENGTH = -1015, /* IHL < 5 or past the bytes */
	GRE_ERR_IP_TOTAL_LENGTH = -1016,  /* total length < IHL or > bytes */
	GRE_ERR_IP_PROTOCOL = -1017,    /* not 47 */
	GRE_ERR_IP_FRAGMENT = -1018,    /* MF set or offset != 0 */
	/* channel (gre_channel.h) */
	GRE_ERR_WRONG_CALL = -1019,     /* call id is not this channel's */
	GRE_ERR_LAST = -1019,
};

const char *error_name(int err);

#endif
