/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/error.h"

const char *error_name(int err)
{
	switch (err) {
	case ERR_OK: return "ok";
	case ERR_INVALID: return "invalid argument";
	case ERR_NOMEM: return "out of memory";
	case ERR_NOSPACE: return "no space in output buffer";
	case ERR_AGAIN: return "try again";
	case ERR_LIMIT: return "limit reached";
	case ERR_STATE: return "not allowed in this state";
	case ERR_TIMEOUT: return "timeout";
	case ERR_CLOSED: return "closed";
	case ERR_IO: return "I/O error";
	case ERR_NOT_FOUND: return "not found";
	case ERR_EXISTS: return "already exists";
	case ERR_UNSUPPORTED: return "unsupported";
	case ERR_TRUNCATED: return "truncated";
	case ERR_LENGTH: return "bad length";
	case ERR_MALFORMED: return "malformed";
	case ERR_MAGIC: return "bad magic cookie";
	case ERR_VERSION: return "unsupported version";
	case ERR_RESERVED: return "reserved field not zero";
	case ERR_UNKNOWN_TYPE: return "unknown type";
	case ERR_UNKNOWN_CALL: return "unknown call";
	case ERR_DUPLICATE: return "duplicate";
	case ERR_LATE: return "late";
	case ERR_PEER: return "not from our peer";
	case ERR_OUT_OF_WINDOW: return "out of window";
	case ERR_AUTH: return "authentication failed";
	case ERR_CRYPTO: return "crypto failure";
	case ERR_POLICY: return "refused by policy";
	case GRE_ERR_SHORT: return "GRE header truncated";
	case GRE_ERR_CHECKSUM: return "GRE checksum bit set";
	case GRE_ERR_ROUTING: return "GRE routing bit set";
	case GRE_ERR_NO_KEY: return "GRE key bit clear";
	case GRE_ERR_STRICT_ROUTE: return "GRE strict source route bit set";
	case GRE_ERR_RECURSION: return "GRE recursion control not zero";
	case GRE_ERR_FLAGS: return "GRE reserved flags not zero";
	case GRE_ERR_VERSION: return "GRE version not 1";
	case GRE_ERR_PROTOCOL: return "GRE protocol not 0x880B";
	case GRE_ERR_PAYLOAD_LENGTH: return "GRE payload length beyond packet";
	case GRE_ERR_ACK_ONLY_PAYLOAD: return "GRE ack-only packet with payload";
	case GRE_ERR_NO_SEQ_NO_ACK: return "GRE packet without sequence or ack";
	case GRE_ERR_EMPTY_PAYLOAD: return "GRE data packet with empty payload";
	case GRE_ERR_IP_SHORT: return "IPv4 header truncated";
	case GRE_ERR_IP_VERSION: return "IP version not 4";
	case GRE_ERR_IP_HEADER_LENGTH: return "IPv4 header length invalid";
	case GRE_ERR_IP_TOTAL_LENGTH: return "IPv4 total length invalid";
	case GRE_ERR_IP_PROTOCOL: return "IPv4 protocol not GRE";
	case GRE_ERR_IP_FRAGMENT: return "IPv4 fragment";
	case GRE_ERR_WRONG_CALL: return "GRE call id not ours";
	}
	return "unknown error";
}
