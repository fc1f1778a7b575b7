/* SPDX-License-Identifier: BSD-2-Clause */
/* netlink_parse_route: replies are kernel input, every length is checked.
 * Pure parser test; no sockets. */
#include "support/test_support.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "base/error.h"
#include "sys/netlink.h"

struct msg {
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t len;
};

static void start(struct msg *m, uint16_t type, uint8_t family, uint8_t dst_len)
{
	memset(m, 0, sizeof(*m));
	struct nlmsghdr h = { .nlmsg_type = type };
	struct rtmsg r = { .rtm_family = family, .rtm_dst_len = dst_len, .rtm_table = RT_TABLE_MAIN };
	memcpy(m->buf, &h, sizeof(h));
	memcpy(m->buf + NLMSG_HDRLEN, &r, sizeof(r));
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(r));
}

static void attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	memcpy(m->buf + m->len, &a, sizeof(a));
	memcpy(m->buf + m->len + RTA_LENGTH(0), data, len);
	m->len += RTA_ALIGN(RTA_LENGTH(len));
}

static void finish(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;
	memcpy(m->buf, &len, sizeof(len));
}

static void parses_a_route_get_reply(void **state)
{
	(void)state;
	struct msg m;
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	uint32_t dst = htonl(0xc6336407), gw = htonl(0x0a010002), src = htonl(0x0a010001);
	uint32_t oif = 5, prio = 100, cache[4] = { 0 };
	attr(&m, RTA_TABLE, &(uint32_t){ 254 }, 4);
	attr(&m, RTA_DST, &dst, 4);
	attr(&m, RTA_OIF, &oif, 4);
	attr(&m, RTA_PREFSRC, &src, 4);
	attr(&m, RTA_GATEWAY, &gw, 4);
	attr(&m, RTA_PRIORITY, &prio, 4);
	attr(&m, RTA_CACHEINFO, cache, sizeof(cache)); /* unknown to us: skipped */
	finish(&m);
	struct netlink_route r;
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), 0);
	assert_int_equal(r.dst, 0xc6336407);
	assert_int_equal(r.dst_len, 32);
	assert_int_equal(r.gateway, 0x0a010002);
	assert_int_equal(r.prefsrc, 0x0a010001);
	assert_int_equal(r.ifindex, 5);
	assert_int_equal(r.metric, 100);
	assert_int_equal(r.table, 254);
}

static void malformed_replies(void **state)
{
	(void)state;
	struct netlink_route r;
	struct msg m;
	uint32_t addr = 0;
	uint8_t three[3] = { 0 };

	/* shorter than a netlink header */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, 10, &r), ERR_TRUNCATED);
	/* nlmsg_len larger than what was received */
	assert_int_equal(netlink_parse_route(m.buf, m.len - 1, &r), ERR_LENGTH);
	/* nlmsg_len smaller than the header */
	uint32_t tiny = 4;
	memcpy(m.buf, &tiny, 4);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_LENGTH);
	/* not a route message */
	start(&m, RTM_NEWADDR, AF_INET, 32);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_UNKNOWN_TYPE);
	/* payload shorter than struct rtmsg */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	m.len = NLMSG_HDRLEN + 4;
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_TRUNCATED);
	/* IPv6 / impossible prefix */
	start(&m, RTM_NEWROUTE, AF_INET6, 32);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_MALFORMED);
	start(&m, RTM_NEWROUTE, AF_INET, 33);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_MALFORMED);
	/* attribute header cut off */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	m.len += 2;
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_TRUNCATED);
	/* attribute longer than the message */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	attr(&m, RTA_DST, &addr, 4);
	m.len -= 4;
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_LENGTH);
	/* rta_len below its own header */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	attr(&m, RTA_DST, &addr, 4);
	m.buf[m.len - 8] = 2;
	m.buf[m.len - 7] = 0;
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_LENGTH);
	/* an address of the wrong size */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	attr(&m, RTA_GATEWAY, three, 3);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_LENGTH);
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	attr(&m, RTA_OIF, three, 3);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_LENGTH);
	/* an interface index that does not fit an int */
	start(&m, RTM_NEWROUTE, AF_INET, 32);
	attr(&m, RTA_OIF, &(uint32_t){ 0x80000000u }, 4);
	finish(&m);
	assert_int_equal(netlink_parse_route(m.buf, m.len, &r), ERR_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_route_get_reply),
		cmocka_unit_test(malformed_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
