/* SPDX-License-Identifier: BSD-2-Clause */
/* Packet buffers with headroom: GRE and PPP headers are prepended in place
 * (pkt_push) and MPPE encrypts in place, so a packet moves from TUN to the
 * raw socket without a copy. */
#ifndef OPENPPTP_BASE_PKT_H
#define OPENPPTP_BASE_PKT_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 20 + GRE 16 + PPP address/control/protocol 4 + MPPE 2, rounded up. */
#define PKT_HEADROOM 64
/* An MRU-sized packet plus MPPC's worst-case expansion and headroom. */
#define PKT_SIZE 2048

struct pkt {
	uint8_t *buf;    /* storage */
	size_t cap;      /* bytes of storage */
	size_t off;      /* where the data starts */
	size_t len;      /* bytes of data */
};

/* Use caller-provided storage, data empty at `headroom`. */
void pkt_init(struct pkt *p, uint8_t *storage, size_t cap, size_t headroom);
struct pkt *pkt_new(size_t cap, size_t headroom);
void pkt_free(struct pkt *p);
/* Free the packets pkt_free kept for reuse (this thread's): at exit, so a
 * leak checker sees only real leaks, and around a heap-count baseline. */
void pkt_pool_drain(void);

static inline uint8_t *pkt_data(const struct pkt *p)
{
	return p->buf + p->off;
}

static inline size_t pkt_headroom(const struct pkt *p)
{
	return p->off;
}

static inline size_t pkt_tailroom(const struct pkt *p)
{
	return p->cap - p->off - p->len;
}

/* Prepend n bytes; returns the new start, or NULL when the headroom is short. */
uint8_t *pkt_push(struct pkt *p, size_t n);
/* Strip n bytes from the front; returns the new start, or NULL when too short. */
uint8_t *pkt_pull(struct pkt *p, size_t n);
/* Append n bytes; returns where they go, or NULL when the tailroom is short. */
uint8_t *pkt_put(struct pkt *p, size_t n);
/* Cut the data to len bytes (no-op if already shorter). */
void pkt_trim(struct pkt *p, size_t len);
/* Empty the packet and reset the headroom. */
void pkt_reset(struct pkt *p, size_t headroom);

#endif
