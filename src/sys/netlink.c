/* SPDX-License-Identifier: BSD-2-Clause */
/* rtnetlink over a plain NETLINK_ROUTE socket, no libmnl. */
#include "sys/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/ipv6_scope.h"
#include "base/log.h"

#define NL_BUF 8192

struct nl_request {
	uint8_t buf[512];
	size_t len;
};

int netlink_open(struct netlink *nl)
{
	nl->seq = 1;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "netlink", "socket: %s", strerror(errno));
		return ERR_IO;
	}
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_msg(LOG_LEVEL_ERROR, "netlink", "bind: %s", strerror(errno));
		close(nl->fd);
		nl->fd = -1;
		return ERR_IO;
	}
	/* Extended acks give the kernel's reason for a refusal; optional. */
	int one = 1;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int netlink_ifindex(const char *name)
{
	unsigned idx = if_nametoindex(name);
	return idx ? (int)idx : ERR_NOT_FOUND;
}

static struct nlmsghdr *req_start(struct nl_request *rq, uint16_t type, uint16_t flags, size_t payload)
{
	memset(rq->buf, 0, sizeof(rq->buf));
	struct nlmsghdr *h = (struct nlmsghdr *)rq->buf;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	rq->len = NLMSG_LENGTH(payload);
	h->nlmsg_len = (uint32_t)rq->len;
	return h;
}

static void *req_payload(struct nl_request *rq)
{
	return rq->buf + NLMSG_HDRLEN;
}

static int req_attr(struct nl_request *rq, uint16_t type, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(rq->len);
	size_t need = RTA_LENGTH(len);
	if (at + RTA_ALIGN(need) > sizeof(rq->buf))
		return ERR_NOSPACE;
	struct rtattr *a = (struct rtattr *)(rq->buf + at);
	a->rta_type = type;
	a->rta_len = (uint16_t)need;
	memcpy(RTA_DATA(a), data, len);
	rq->len = at + RTA_ALIGN(need);
	((struct nlmsghdr *)rq->buf)->nlmsg_len = (uint32_t)rq->len;
	return 0;
}

static int req_attr_u32(struct nl_request *rq, uint16_t type, uint32_t v)
{
	return req_attr(rq, type, &v, sizeof(v));
}

static int req_attr_addr(struct nl_request *rq, uint16_t type, uint32_t host_order)
{
	uint32_t be = htonl(host_order);
	return req_attr(rq, type, &be, sizeof(be));
}

/* RTA_METRICS holds its own attributes: here the one RTAX_MTU (what `ip
 * route ... mtu N` sends), the path MTU the kernel uses for the route. */
static int req_attr_metric_mtu(struct nl_request *rq, uint32_t mtu)
{
	uint8_t nested[RTA_LENGTH(sizeof(uint32_t))];
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(sizeof(uint32_t)), .rta_type = RTAX_MTU };
	memcpy(nested, &a, sizeof(a));
	memcpy(nested + RTA_LENGTH(0), &mtu, sizeof(mtu));
	return req_attr(rq, RTA_METRICS, nested, sizeof(nested));
}

/* The typed view of one reply message's header, copied out of the buffer. */
struct nl_msg_view {
	struct nlmsghdr hdr;
	const uint8_t *payload;
	size_t payload_len;
};

/* Split the next message off buf; 0 when one was found, ERR_TRUNCATED/LENGTH
 * when the lengths do not fit what was received. */
static int next_msg(const uint8_t **buf, size_t *len, struct nl_msg_view *m)
{
	if (*len < sizeof(struct nlmsghdr))
		return ERR_TRUNCATED;
	memcpy(&m->hdr, *buf, sizeof(m->hdr));
	if (m->hdr.nlmsg_len < NLMSG_HDRLEN || m->hdr.nlmsg_len > *len)
		return ERR_LENGTH;
	m->payload = *buf + NLMSG_HDRLEN;
	m->payload_len = m->hdr.nlmsg_len - NLMSG_HDRLEN;
	size_t step = NLMSG_ALIGN(m->hdr.nlmsg_len);
	if (step > *len)
		step = *len;
	*buf += step;
	*len -= step;
	return 0;
}

/* Send one request and read until its ack (or, with reply != NULL, its
 * first data message, copied into reply). */
static int transact(struct netlink *nl, struct nl_request *rq, uint8_t *reply, size_t reply_cap, size_t *reply_len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)rq->buf;
	uint32_t seq = nl->seq++;
	h->nlmsg_seq = seq;
	if (!reply)
		h->nlmsg_flags |= NLM_F_ACK;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(nl->fd, rq->buf, rq->len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		log_msg(LOG_LEVEL_ERROR, "netlink", "send: %s", strerror(errno));
		return ERR_IO;
	}
	static uint8_t buf[NL_BUF] __attribute__((aligned(4)));
	for (;;) {
		struct sockaddr_nl from = { 0 };
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(nl->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_LEVEL_ERROR, "netlink", "recv: %s", strerror(errno));
			return ERR_IO;
		}
		if (fromlen < sizeof(from) || from.nl_pid != 0)
			continue; /* only the kernel answers */
		const uint8_t *p = buf;
		size_t left = (size_t)n;
		struct nl_msg_view m;
		while (left > 0) {
			int rc = next_msg(&p, &left, &m);
			if (rc < 0) {
				log_msg(LOG_LEVEL_WARN, "netlink", "malformed reply (%s)", error_name(rc));
				return ERR_MALFORMED;
			}
			if (m.hdr.nlmsg_seq != seq)
				continue; /* a late answer to something else */
			if (m.hdr.nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;
				if (m.payload_len < sizeof(e.error))
					return ERR_TRUNCATED;
				memcpy(&e.error, m.payload, sizeof(e.error));
				if (e.error == 0)
					return reply ? ERR_NOT_FOUND : 0;
				int err = -e.error;
				if (err == EEXIST)
					return ERR_EXISTS;
				if (err == ESRCH || err == ENOENT || err == EADDRNOTAVAIL || err == ENODEV || err == ENETUNREACH)
					return ERR_NOT_FOUND;
				log_msg(LOG_LEVEL_ERROR, "netlink", "kernel refused request type %u: %s",
					(unsigned)h->nlmsg_type, strerror(err));
				return ERR_IO;
			}
			if (m.hdr.nlmsg_type == NLMSG_DONE)
				return ERR_NOT_FOUND;
			if (reply) {
				if (m.hdr.nlmsg_len > reply_cap)
					return ERR_NOSPACE;
				memcpy(reply, m.payload - NLMSG_HDRLEN, m.hdr.nlmsg_len);
				*reply_len = m.hdr.nlmsg_len;
				/* A get request without NLM_F_DUMP answers with one
				 * message and no ack. */
				return 0;
			}
		}
	}
}

int netlink_link_set(struct netlink *nl, int ifindex, bool up, uint32_t mtu)
{
	struct nl_request rq;
	req_start(&rq, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = req_payload(&rq);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu && req_attr_u32(&rq, IFLA_MTU, mtu) < 0)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}

static int addr_request(struct netlink *nl, uint16_t type, uint16_t flags, int ifindex,
			uint32_t local, uint32_t peer, uint8_t prefixlen)
{
	if (prefixlen > 32)
		return ERR_INVALID;
	struct nl_request rq;
	req_start(&rq, type, flags, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = req_payload(&rq);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	/* IFA_LOCAL is our address; IFA_ADDRESS is the peer on a
	 * point-to-point link and equals IFA_LOCAL otherwise. */
	if (req_attr_addr(&rq, IFA_LOCAL, local) < 0 ||
	    req_attr_addr(&rq, IFA_ADDRESS, peer ? peer : local) < 0)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}

int netlink_addr_add(struct netlink *nl, int ifindex, uint32_t local, uint32_t peer, uint8_t prefixlen)
{
	return addr_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, local, peer, prefixlen);
}

int netlink_addr_del(struct netlink *nl, int ifindex, uint32_t local, uint32_t peer, uint8_t prefixlen)
{
	return addr_request(nl, RTM_DELADDR, 0, ifindex, local, peer, prefixlen);
}

static int route_request(struct netlink *nl, uint16_t type, uint16_t flags, const struct netlink_route *r)
{
	if (r->dst_len > 32)
		return ERR_INVALID;
	struct nl_request rq;
	req_start(&rq, type, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm = req_payload(&rq);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = r->table && r->table < 256 ? (uint8_t)r->table : RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = r->gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	int rc = 0;
	if (r->dst_len)
		rc |= req_attr_addr(&rq, RTA_DST, r->dst);
	if (r->gateway)
		rc |= req_attr_addr(&rq, RTA_GATEWAY, r->gateway);
	if (r->ifindex)
		rc |= req_attr_u32(&rq, RTA_OIF, (uint32_t)r->ifindex);
	if (r->prefsrc)
		rc |= req_attr_addr(&rq, RTA_PREFSRC, r->prefsrc);
	if (r->metric)
		rc |= req_attr_u32(&rq, RTA_PRIORITY, r->metric);
	if (r->table >= 256)
		rc |= req_attr_u32(&rq, RTA_TABLE, r->table);
	if (r->mtu && type != RTM_DELROUTE)
		rc |= req_attr_metric_mtu(&rq, r->mtu);
	if (rc)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}

int netlink_route_add(struct netlink *nl, const struct netlink_route *r)
{
	return route_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int netlink_route_replace(struct netlink *nl, const struct netlink_route *r)
{
	return route_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

int netlink_route_del(struct netlink *nl, const struct netlink_route *r)
{
	return route_request(nl, RTM_DELROUTE, 0, r);
}

static int attr_addr(const uint8_t *data, size_t len, uint32_t *out)
{
	uint32_t be;
	if (len != sizeof(be))
		return ERR_LENGTH;
	memcpy(&be, data, sizeof(be));
	*out = ntohl(be);
	return 0;
}

int netlink_parse_route(const uint8_t *msg, size_t len, struct netlink_route *out)
{
	struct nl_msg_view m;
	const uint8_t *p = msg;
	size_t left = len;
	int rc = next_msg(&p, &left, &m);
	if (rc < 0)
		return rc;
	if (m.hdr.nlmsg_type != RTM_NEWROUTE)
		return ERR_UNKNOWN_TYPE;
	struct rtmsg rtm;
	if (m.payload_len < sizeof(rtm))
		return ERR_TRUNCATED;
	memcpy(&rtm, m.payload, sizeof(rtm));
	if (rtm.rtm_family != AF_INET || rtm.rtm_dst_len > 32)
		return ERR_MALFORMED;
	memset(out, 0, sizeof(*out));
	out->dst_len = rtm.rtm_dst_len;
	out->table = rtm.rtm_table;
	size_t at = NLMSG_ALIGN(sizeof(rtm));
	while (at < m.payload_len) {
		struct rtattr a;
		if (m.payload_len - at < sizeof(a))
			return ERR_TRUNCATED;
		memcpy(&a, m.payload + at, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > m.payload_len - at)
			return ERR_LENGTH;
		const uint8_t *data = m.payload + at + RTA_LENGTH(0);
		size_t dlen = a.rta_len - RTA_LENGTH(0);
		uint32_t v;
		switch (a.rta_type) {
		case RTA_DST:
			rc = attr_addr(data, dlen, &out->dst);
			break;
		case RTA_GATEWAY:
			rc = attr_addr(data, dlen, &out->gateway);
			break;
		case RTA_PREFSRC:
			rc = attr_addr(data, dlen, &out->prefsrc);
			break;
		case RTA_OIF:
		case RTA_PRIORITY:
		case RTA_TABLE:
			if (dlen != sizeof(v))
				return ERR_LENGTH;
			memcpy(&v, data, sizeof(v));
			if (a.rta_type == RTA_OIF) {
				if (v > INT32_MAX)
					return ERR_MALFORMED;
				out->ifindex = (int)v;
			} else if (a.rta_type == RTA_PRIORITY)
				out->metric = v;
			else
				out->table = v;
			rc = 0;
			break;
		default:
			rc = 0;
			break;
		}
		if (rc < 0)
			return rc;
		at += RTA_ALIGN(a.rta_len);
	}
	return 0;
}

int netlink_route_get(struct netlink *nl, uint32_t dst, struct netlink_route *out)
{
	struct nl_request rq;
	req_start(&rq, RTM_GETROUTE, 0, sizeof(struct rtmsg));
	struct rtmsg *rtm = req_payload(&rq);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	if (req_attr_addr(&rq, RTA_DST, dst) < 0)
		return ERR_NOSPACE;
	static uint8_t reply[NL_BUF] __attribute__((aligned(4)));
	size_t reply_len = 0;
	int rc = transact(nl, &rq, reply, sizeof(reply), &reply_len);
	if (rc < 0)
		return rc;
	rc = netlink_parse_route(reply, reply_len, out);
	if (rc < 0) {
		log_msg(LOG_LEVEL_WARN, "netlink", "route get reply: %s", error_name(rc));
		return rc;
	}
	out->dst = dst;
	out->dst_len = 32;
	return 0;
}

int netlink_route_pin_host(struct netlink *nl, uint32_t dst, struct netlink_route *out)
{
	struct netlink_route via;
	int rc = netlink_route_get(nl, dst, &via);
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->dst = dst;
	out->dst_len = 32;
	out->gateway = via.gateway;
	out->ifindex = via.ifindex;
	return netlink_route_add(nl, out);
}

int netlink_addr6_add(struct netlink *nl, int ifindex, const uint8_t addr[16], uint8_t prefixlen)
{
	if (prefixlen > 128)
		return ERR_INVALID;
	struct nl_request rq;
	req_start(&rq, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = req_payload(&rq);
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_scope = ipv6_is_link_local(addr) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	if (req_attr(&rq, IFA_LOCAL, addr, 16) < 0 || req_attr(&rq, IFA_ADDRESS, addr, 16) < 0)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}

int netlink_route6(struct netlink *nl, bool add, const uint8_t dst[16], uint8_t len, int ifindex)
{
	if (len > 128)
		return ERR_INVALID;
	struct nl_request rq;
	req_start(&rq, add ? RTM_NEWROUTE : RTM_DELROUTE, add ? NLM_F_CREATE | NLM_F_REPLACE : 0,
		  sizeof(struct rtmsg));
	struct rtmsg *rtm = req_payload(&rq);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	if ((len && req_attr(&rq, RTA_DST, dst, 16) < 0) || req_attr_u32(&rq, RTA_OIF, (uint32_t)ifindex) < 0)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}

int netlink_link_addrgen_none(struct netlink *nl, int ifindex)
{
	if (access("/proc/sys/net/ipv6", F_OK) != 0)
		return ERR_UNSUPPORTED; /* no IPv6 in this kernel: nothing to turn off, nothing to log */
	struct nl_request rq;
	req_start(&rq, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = req_payload(&rq);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE = NONE } } */
	uint8_t nested[16] = { 0 };
	struct rtattr inner = { .rta_len = RTA_LENGTH(1), .rta_type = IFLA_INET6_ADDR_GEN_MODE };
	struct rtattr af = { .rta_len = (uint16_t)(RTA_LENGTH(0) + RTA_ALIGN(inner.rta_len)), .rta_type = AF_INET6 };
	memcpy(nested, &af, sizeof(af));
	memcpy(nested + RTA_LENGTH(0), &inner, sizeof(inner));
	nested[RTA_LENGTH(0) + RTA_LENGTH(0)] = IN6_ADDR_GEN_MODE_NONE;
	if (req_attr(&rq, IFLA_AF_SPEC, nested, RTA_ALIGN(af.rta_len)) < 0)
		return ERR_NOSPACE;
	return transact(nl, &rq, NULL, 0, NULL);
}
