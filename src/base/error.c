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
	case ERR_AUTH: return "authentication failed";
	case ERR_CRYPTO: return "crypto failure";
	case ERR_POLICY: return "refused by policy";
	}
	return "unknown error";
}
