/* SPDX-License-Identifier: BSD-2-Clause */
/* The privsep wire codec (format in privsep_msg.h). Pure: no syscalls. */
#include "privsep/privsep_msg.h"

#include <string.h>

#include "base/error.h"
#include "base/reader.h"
#include "base/writer.h"

#define ROUTE_BODY 24 /* family, prefix, mtu u16 (add; 0 on delete), ifindex, 16-byte address */
#define TUN_BODY 12   /* local, peer, mtu, reserved u16 */
#define DNS_BODY 8    /* dns1, dns2 */
#define HOOK_BODY 20  /* hook, 3 reserved, local, peer, dns1, dns2 */
#define PIN_BODY 4    /* the server address */

/* Indexed by op: each request's exact body length, and the result body of a
 * successful answer (after its i32 status). */
static const struct {
	const char *name;
	uint16_t request_body;
	uint16_t result_body;
	bool passes_fd;
} op_table[PRIVSEP_OP_MAX + 1] = {
	[PRIVSEP_OP_ROUTE_ADD] = { "route-add", ROUTE_BODY, 0, false },
	[PRIVSEP_OP_ROUTE_DEL] = { "route-del", ROUTE_BODY, 0, false },
	[PRIVSEP_OP_SECRETS_READ] = { "secrets-read", 0, 4, true },
	[PRIVSEP_OP_CONTROL_UNLINK] = { "control-unlink", 0, 0, false },
	[PRIVSEP_OP_TUN_OPEN] = { "tun-open", TUN_BODY, 4 + PRIVSEP_IFNAME_SIZE + 4, true },
	[PRIVSEP_OP_ROUTES_UP] = { "routes-up", 0, 8, false },
	[PRIVSEP_OP_SERVER_PIN] = { "server-pin", PIN_BODY, 0, false },
	[PRIVSEP_OP_SERVER_UNPIN] = { "server-unpin", 0, 0, false },
	[PRIVSEP_OP_DNS_APPLY] = { "dns-apply", DNS_BODY, 0, false },
	[PRIVSEP_OP_DNS_RESTORE] = { "dns-restore", 0, 0, false },
	[PRIVSEP_OP_HOOK_RUN] = { "hook-run", HOOK_BODY, 4, false },
	[PRIVSEP_OP_ADDR6_ADD] = { "addr6-add", ROUTE_BODY, 0, false },
	[PRIVSEP_OP_ROUTES6_UP] = { "routes6-up", 0, 8, false },
	[PRIVSEP_OP_DNS6_ADD] = { "dns6-add", ROUTE_BODY, 0, false },
};

static bool op_known(unsigned op)
{
	return op >= 1 && op <= PRIVSEP_OP_MAX && op_table[op].name;
}

const char *privsep_op_name(enum privsep_op op)
{
	return op_known((unsigned)op) ? op_table[op].name : "unknown";
}

bool privsep_op_passes_fd(enum privsep_op op)
{
	return op_known((unsigned)op) && op_table[op].passes_fd;
}

static void header_encode(struct writer *w, enum privsep_op op, uint16_t body, uint32_t id)
{
	writer_u8(w, PRIVSEP_VERSION);
	writer_u8(w, (uint8_t)op);
	writer_u16(w, body);
	writer_u32(w, id);
}

int privsep_request_encode(const struct privsep_request *r, uint8_t *buf, size_t cap)
{
	if (!op_known((unsigned)r->op))
		return ERR_INVALID;
	struct writer w;
	writer_init(&w, buf, cap);
	header_encode(&w, r->op, op_table[r->op].request_body, r->id);
	switch (r->op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
	case PRIVSEP_OP_ADDR6_ADD:
	case PRIVSEP_OP_DNS6_ADD:
		writer_u8(&w, (uint8_t)r->family);
		writer_u8(&w, r->prefix_len);
		writer_u16(&w, r->op == PRIVSEP_OP_ROUTE_ADD ? r->mtu : 0);
		writer_u32(&w, r->ifindex);
		if (r->family == PRIVSEP_FAMILY_IPV4) {
			writer_u32(&w, r->addr4);
			writer_zeros(&w, 12);
		} else {
			writer_bytes(&w, r->addr6, 16);
		}
		break;
	case PRIVSEP_OP_TUN_OPEN:
		writer_u32(&w, r->local);
		writer_u32(&w, r->peer);
		writer_u16(&w, r->mtu);
		writer_u16(&w, 0);
		break;
	case PRIVSEP_OP_DNS_APPLY:
		writer_u32(&w, r->dns[0]);
		writer_u32(&w, r->dns[1]);
		break;
	case PRIVSEP_OP_SERVER_PIN:
		writer_u32(&w, r->peer);
		break;
	case PRIVSEP_OP_HOOK_RUN:
		writer_u8(&w, (uint8_t)r->hook);
		writer_zeros(&w, 3);
		writer_u32(&w, r->local);
		writer_u32(&w, r->peer);
		writer_u32(&w, r->dns[0]);
		writer_u32(&w, r->dns[1]);
		break;
	case PRIVSEP_OP_SECRETS_READ:
	case PRIVSEP_OP_CONTROL_UNLINK:
	case PRIVSEP_OP_ROUTES_UP:
	case PRIVSEP_OP_ROUTES6_UP:
	case PRIVSEP_OP_SERVER_UNPIN:
	case PRIVSEP_OP_DNS_RESTORE:
		break;
	}
	return writer_ok(&w) ? (int)writer_len(&w) : ERR_NOSPACE;
}

/* The header, and the body length checked against what is really there. */
static int header_decode(struct reader *r, unsigned *op, uint16_t *body, uint32_t *id)
{
	if (!reader_has(r, PRIVSEP_HEADER_SIZE))
		return ERR_TRUNCATED;
	uint8_t version = reader_u8(r);
	*op = reader_u8(r);
	*body = reader_u16(r);
	*id = reader_u32(r);
	if (version != PRIVSEP_VERSION)
		return ERR_VERSION;
	if (!op_known(*op))
		return ERR_UNKNOWN_TYPE;
	if (reader_remaining(r) < *body)
		return ERR_TRUNCATED;
	if (reader_remaining(r) > *body)
		return ERR_LENGTH;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int route_decode(struct reader *r, struct privsep_request *out)
{
	uint8_t family = reader_u8(r);
	out->prefix_len = reader_u8(r);
	uint16_t mtu = reader_u16(r);
	out->ifindex = reader_u32(r);
	const uint8_t *addr = reader_ptr(r, 16);
	if (!addr)
		return ERR_TRUNCATED;
	/* Issue 12 §1: an add may carry the route's MTU; a delete has none. */
	if (mtu && out->op != PRIVSEP_OP_ROUTE_ADD)
		return ERR_RESERVED;
	out->mtu = mtu;
	if (family == PRIVSEP_FAMILY_IPV4) {
		/* The 12 bytes after an IPv4 address are padding: zero, so one
		 * request has one encoding. */
		if (!all_zero(addr + 4, 12))
			return ERR_MALFORMED;
		out->family = PRIVSEP_FAMILY_IPV4;
		out->addr4 = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 | (uint32_t)addr[2] << 8 | addr[3];
	} else if (family == PRIVSEP_FAMILY_IPV6) {
		out->family = PRIVSEP_FAMILY_IPV6;
		memcpy(out->addr6, addr, 16);
	} else {
		return ERR_MALFORMED;
	}
	return 0;
}

int privsep_request_decode(const uint8_t *buf, size_t len, struct privsep_request *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r;
	reader_init(&r, buf, len);
	unsigned op;
	uint16_t body;
	int rc = header_decode(&r, &op, &body, &out->id);
	if (rc < 0)
		return rc;
	if (body != op_table[op].request_body)
		return ERR_LENGTH;
	out->op = (enum privsep_op)op;
	switch (out->op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
	case PRIVSEP_OP_ADDR6_ADD:
	case PRIVSEP_OP_DNS6_ADD:
		rc = route_decode(&r, out);
		break;
	case PRIVSEP_OP_TUN_OPEN:
		out->local = reader_u32(&r);
		out->peer = reader_u32(&r);
		out->mtu = reader_u16(&r);
		rc = reader_u16(&r) ? ERR_RESERVED : 0;
		break;
	case PRIVSEP_OP_DNS_APPLY:
		out->dns[0] = reader_u32(&r);
		out->dns[1] = reader_u32(&r);
		break;
	case PRIVSEP_OP_SERVER_PIN:
		out->peer = reader_u32(&r);
		break;
	case PRIVSEP_OP_HOOK_RUN: {
		uint8_t hook = reader_u8(&r);
		uint8_t reserved[3];
		reader_bytes(&r, reserved, sizeof(reserved));
		out->local = reader_u32(&r);
		out->peer = reader_u32(&r);
		out->dns[0] = reader_u32(&r);
		out->dns[1] = reader_u32(&r);
		if (!all_zero(reserved, sizeof(reserved)))
			rc = ERR_RESERVED;
		else if (hook != PRIVSEP_HOOK_UP && hook != PRIVSEP_HOOK_DOWN)
			rc = ERR_MALFORMED;
		else
			out->hook = (enum privsep_hook)hook;
		break;
	}
	case PRIVSEP_OP_SECRETS_READ:
	case PRIVSEP_OP_CONTROL_UNLINK:
	case PRIVSEP_OP_ROUTES_UP:
	case PRIVSEP_OP_ROUTES6_UP:
	case PRIVSEP_OP_SERVER_UNPIN:
	case PRIVSEP_OP_DNS_RESTORE:
		break;
	}
	if (rc == 0 && (!reader_ok(&r) || reader_remaining(&r) != 0))
		rc = ERR_TRUNCATED; /* unreachable: the body length was checked */
	return rc;
}

int privsep_answer_encode(const struct privsep_answer *a, uint8_t *buf, size_t cap)
{
	if (!op_known((unsigned)a->op))
		return ERR_INVALID;
	uint16_t result = a->status == 0 ? op_table[a->op].result_body : 0;
	struct writer w;
	writer_init(&w, buf, cap);
	header_encode(&w, a->op, (uint16_t)(4 + result), a->id);
	writer_u32(&w, (uint32_t)a->status);
	if (a->status == 0) {
		switch (a->op) {
		case PRIVSEP_OP_TUN_OPEN:
			writer_u32(&w, a->ifindex);
			writer_padded_string(&w, a->ifname, PRIVSEP_IFNAME_SIZE);
			writer_u32(&w, a->tun_vnet_hdr ? 1 : 0);
			break;
		case PRIVSEP_OP_SECRETS_READ:
			writer_u32(&w, a->length);
			break;
		case PRIVSEP_OP_HOOK_RUN:
			writer_u32(&w, (uint32_t)a->exit_code);
			break;
		case PRIVSEP_OP_ROUTES_UP:
		case PRIVSEP_OP_ROUTES6_UP:
			writer_u32(&w, a->routes_added);
			writer_u32(&w, a->routes_failed);
			break;
		default:
			break;
		}
	}
	return writer_ok(&w) ? (int)writer_len(&w) : ERR_NOSPACE;
}

bool privsep_ifname_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= PRIVSEP_IFNAME_SIZE || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return false;
	}
	return true;
}

int privsep_answer_decode(const uint8_t *buf, size_t len, bool has_fd, struct privsep_answer *out)
{
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	struct reader r;
	reader_init(&r, buf, len);
	unsigned op;
	uint16_t body;
	int rc = header_decode(&r, &op, &body, &out->id);
	if (rc < 0)
		return rc;
	out->op = (enum privsep_op)op;
	if (body < 4)
		return ERR_LENGTH;
	out->status = (int)(int32_t)reader_u32(&r);
	if (out->status > 0)
		return ERR_MALFORMED;
	uint16_t result = out->status == 0 ? op_table[op].result_body : 0;
	if (body != 4 + result)
		return ERR_LENGTH;
	if (has_fd != (out->status == 0 && op_table[op].passes_fd))
		return ERR_MALFORMED;
	if (out->status < 0)
		return 0;
	switch (out->op) {
	case PRIVSEP_OP_TUN_OPEN: {
		char name[PRIVSEP_IFNAME_SIZE + 1] = { 0 };
		out->ifindex = reader_u32(&r);
		if (!reader_padded_string(&r, PRIVSEP_IFNAME_SIZE, name, sizeof(name)) || !privsep_ifname_ok(name) ||
		    out->ifindex == 0 || out->ifindex > INT32_MAX)
			return ERR_MALFORMED;
		memcpy(out->ifname, name, sizeof(out->ifname));
		uint32_t vnet = reader_u32(&r);
		if (vnet > 1)
			return ERR_MALFORMED;
		out->tun_vnet_hdr = vnet == 1;
		break;
	}
	case PRIVSEP_OP_SECRETS_READ:
		out->length = reader_u32(&r);
		break;
	case PRIVSEP_OP_HOOK_RUN:
		out->exit_code = (int32_t)reader_u32(&r);
		break;
	case PRIVSEP_OP_ROUTES_UP:
	case PRIVSEP_OP_ROUTES6_UP:
		out->routes_added = reader_u32(&r);
		out->routes_failed = reader_u32(&r);
		break;
	default:
		break;
	}
	return reader_ok(&r) ? 0 : ERR_TRUNCATED;
}
