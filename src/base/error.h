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

	/* authentication and crypto */
	ERR_AUTH = -40,        /* authentication failed */
	ERR_CRYPTO = -41,
	ERR_POLICY = -42,      /* the peer's offer is below our policy */
};

const char *error_name(int err);

#endif
