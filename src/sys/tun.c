/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/netlink.h"

/* TUNSETOFFLOAD: what we can take from the kernel. Checksums left partial
 * (TUN_F_CSUM: virtio NEEDS_CSUM) and TCP segmentation over IPv4 and
 * IPv6; not TUN_F_TSO_ECN (the kernel segments CWR super-packets itself)
 * nor UFO/USO (UDP is sent as the application wrote it). */
#define TUN_OFFLOADS (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)

static int open_once(struct tun *tun, const char *name, bool vnet, bool *offload_refused)
{
	memset(tun, 0, sizeof(*tun));
	tun->fd = -1;
	if (name && strlen(name) >= IF_NAMESIZE)
		return ERR_INVALID;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "tun", "/dev/net/tun: %s", strerror(errno));
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(IFF_TUN | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name && *name ? name : "pptp%d");
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		log_msg(LOG_LEVEL_ERROR, "tun", "TUNSETIFF %s: %s", ifr.ifr_name, strerror(errno));
		close(fd);
		return errno == EBUSY ? ERR_EXISTS : ERR_IO;
	}
	if (vnet && ioctl(fd, TUNSETOFFLOAD, (unsigned long)TUN_OFFLOADS) < 0) {
		log_msg(LOG_LEVEL_INFO, "tun", "TUNSETOFFLOAD %s: %s: no TUN offloads", ifr.ifr_name, strerror(errno));
		*offload_refused = true;
		close(fd);
		return ERR_UNSUPPORTED;
	}
	snprintf(tun->name, sizeof(tun->name), "%.*s", (int)sizeof(tun->name) - 1, ifr.ifr_name);
	int idx = netlink_ifindex(tun->name);
	if (idx < 0) {
		close(fd);
		return idx;
	}
	tun->fd = fd;
	tun->ifindex = idx;
	tun->vnet_hdr = vnet;
	return 0;
}

int tun_open(struct tun *tun, const char *name, bool offload)
{
	bool refused = false;
	int rc = open_once(tun, name, offload, &refused);
	if (rc < 0 && offload && (refused || rc == ERR_IO))
		rc = open_once(tun, name, false, &refused);
	return rc;
}

void tun_close(struct tun *tun)
{
	if (tun->fd >= 0)
		close(tun->fd);
	tun->fd = -1;
}

int tun_configure(struct tun *tun, uint32_t mtu, uint32_t local, uint32_t peer, uint8_t prefixlen)
{
	struct netlink nl;
	int rc = netlink_open(&nl);
	if (rc < 0)
		return rc;
	/* Before up: no kernel link-local (nor its solicitations) on a PPP
	 * link, whose link-local comes from IPV6CP (RFC 5072 §5). Best
	 * effort: a kernel without IPv6 refuses it, and needs none. */
	(void)netlink_link_addrgen_none(&nl, tun->ifindex);
	rc = netlink_link_set(&nl, tun->ifindex, true, mtu);
	if (rc == 0 && local)
		rc = netlink_addr_add(&nl, tun->ifindex, local, peer, prefixlen);
	netlink_close(&nl);
	return rc;
}

int tun_read(struct tun *tun, struct pkt *p)
{
	size_t room = pkt_tailroom(p);
	for (;;) {
		ssize_t n = read(tun->fd, pkt_data(p), room);
		if (n >= 0) {
			p->len = (size_t)n;
			return (int)n;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_AGAIN;
		return ERR_IO;
	}
}

int tun_write(struct tun *tun, const struct pkt *p)
{
	static const uint8_t no_offload[10]; /* virtio v1.1 §5.1.6: flags 0, GSO_NONE */
	struct iovec iov[2] = { { (void *)no_offload, sizeof(no_offload) }, { pkt_data(p), p->len } };
	for (;;) {
		ssize_t n = tun->vnet_hdr ? writev(tun->fd, iov, 2) : write(tun->fd, pkt_data(p), p->len);
		if (n >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_AGAIN;
		return ERR_IO;
	}
}
