/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/dae_wait.h"

#include <string.h>

#include "base/time.h"

static uint32_t handle_of(const struct dae_waits *t, const struct dae_wait *w)
{
	return ((uint32_t)w->generation << 8) | (uint32_t)(w - t->w + 1);
}

static struct dae_wait *wait_of(struct dae_waits *t, uint32_t handle)
{
	uint32_t i = handle & 0xff;
	if (i == 0 || i > DAE_WAIT_MAX || !t->w[i - 1].in_use || t->w[i - 1].generation != (uint16_t)(handle >> 8))
		return NULL;
	return &t->w[i - 1];
}

uint32_t dae_wait_begin(struct dae_waits *t, const struct radius_packet *req, uint32_t from, uint16_t port,
			uint64_t now_ms)
{
	for (size_t i = 0; i < DAE_WAIT_MAX; i++) {
		struct dae_wait *w = &t->w[i];
		if (w->in_use)
			continue;
		memset(w, 0, sizeof(*w));
		w->in_use = true;
		w->code = req->code;
		w->id = req->id;
		memcpy(w->authenticator, req->authenticator, RADIUS_AUTH_SIZE);
		w->from = from;
		w->port = port;
		w->deadline_ms = now_ms + DAE_WAIT_MS;
		w->generation = ++t->generation;
		return handle_of(t, w);
	}
	return 0;
}

bool dae_wait_is_duplicate(const struct dae_waits *t, const struct radius_packet *req, uint32_t from, uint16_t port)
{
	for (size_t i = 0; i < DAE_WAIT_MAX; i++) {
		const struct dae_wait *w = &t->w[i];
		if (w->in_use && w->from == from && w->port == port && w->id == req->id && w->code == req->code &&
		    memcmp(w->authenticator, req->authenticator, RADIUS_AUTH_SIZE) == 0)
			return true;
	}
	return false;
}

void dae_wait_add_session(struct dae_waits *t, uint32_t handle)
{
	struct dae_wait *w = wait_of(t, handle);
	if (w)
		w->remaining++;
}

static bool finish(struct dae_wait *w, struct dae_wait *done)
{
	*done = *w;
	memset(w, 0, sizeof(*w));
	return true;
}

bool dae_wait_session_down(struct dae_waits *t, uint32_t handle, struct dae_wait *done)
{
	struct dae_wait *w = wait_of(t, handle);
	if (!w || w->remaining == 0)
		return false;
	if (--w->remaining > 0)
		return false;
	return finish(w, done);
}

bool dae_wait_settle(struct dae_waits *t, uint32_t handle, struct dae_wait *done)
{
	struct dae_wait *w = wait_of(t, handle);
	return w && w->remaining == 0 && finish(w, done);
}

bool dae_wait_expired(struct dae_waits *t, uint64_t now_ms, struct dae_wait *done)
{
	for (size_t i = 0; i < DAE_WAIT_MAX; i++)
		if (t->w[i].in_use && t->w[i].deadline_ms <= now_ms)
			return finish(&t->w[i], done);
	return false;
}

uint64_t dae_wait_next_deadline(const struct dae_waits *t)
{
	uint64_t d = DEADLINE_NONE;
	for (size_t i = 0; i < DAE_WAIT_MAX; i++)
		if (t->w[i].in_use && t->w[i].deadline_ms < d)
			d = t->w[i].deadline_ms;
	return d;
}

void dae_wait_request(const struct dae_wait *w, struct radius_packet *out)
{
	memset(out, 0, sizeof(*out));
	out->code = w->code;
	out->id = w->id;
	memcpy(out->authenticator, w->authenticator, RADIUS_AUTH_SIZE);
}
