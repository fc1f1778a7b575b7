/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_ctrl.h"

#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "daemon/daemon_budget.h"

const char *daemon_ctrl_state_name(enum daemon_ctrl_state state)
{
	static const char *const names[] = {
		[DAEMON_CTRL_IDLE] = "idle", [DAEMON_CTRL_OPEN] = "open",
		[DAEMON_CTRL_LOST] = "lost", [DAEMON_CTRL_DONE] = "done",
	};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

static void ctrl_ready(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct daemon_ctrl *c = ctx;
	(void)loop;
	(void)w;
	uint64_t now = sys_now_ms();
	daemon_ctrl_pump(c, events, now);
	if (c->ops->after)
		c->ops->after(c->ctx, now);
}

void daemon_ctrl_init(struct daemon_ctrl *c, struct loop *loop, const struct daemon_ctrl_ops *ops, void *ctx,
		      const char *tag)
{
	*c = (struct daemon_ctrl){ .state = DAEMON_CTRL_IDLE, .fd = -1, .tag = tag, .loop = loop, .ops = ops, .ctx = ctx };
	loop_fd_init(&c->watch);
	tcp_out_init(&c->out, DAEMON_CTRL_OUTPUT_LIMIT);
}

int daemon_ctrl_attach(struct daemon_ctrl *c, int fd)
{
	if (c->state != DAEMON_CTRL_IDLE || fd < 0)
		return ERR_STATE;
	int rc = loop_fd_add(c->loop, &c->watch, fd, LOOP_READ, ctrl_ready, c);
	if (rc < 0)
		return rc;
	c->fd = fd;
	c->state = DAEMON_CTRL_OPEN;
	return 0;
}

/* OPEN -> LOST: no more reads (the watch goes), the owner reports it. */
static void ctrl_lose(struct daemon_ctrl *c, int why)
{
	if (c->state != DAEMON_CTRL_OPEN)
		return;
	c->state = DAEMON_CTRL_LOST;
	c->lost_error = why;
	loop_fd_remove(c->loop, &c->watch);
	if (why == ERR_LIMIT)
		log_msg(LOG_LEVEL_WARN, c->tag, "peer does not read its control connection: closing it");
	else if (why != ERR_CLOSED)
		log_msg(LOG_LEVEL_INFO, c->tag, "control connection failed: %s", error_name(why));
}

int daemon_ctrl_write(struct daemon_ctrl *c, const uint8_t *bytes, size_t len)
{
	if (c->state != DAEMON_CTRL_OPEN)
		return ERR_STATE;
	int rc = tcp_out_write(&c->out, c->fd, bytes, len);
	if (rc < 0) {
		ctrl_lose(c, rc);
		return rc;
	}
	if (tcp_out_pending(&c->out))
		(void)loop_fd_modify(c->loop, &c->watch, LOOP_READ | LOOP_WRITE);
	return 0;
}

void daemon_ctrl_pump(struct daemon_ctrl *c, uint32_t events, uint64_t now_ms)
{
	if (c->state != DAEMON_CTRL_OPEN)
		return;
	if (events & LOOP_WRITE) {
		int rc = tcp_out_flush(&c->out, c->fd);
		if (rc == 0)
			(void)loop_fd_modify(c->loop, &c->watch, LOOP_READ);
		else if (rc != ERR_AGAIN)
			ctrl_lose(c, rc);
	}
	if (!(events & (LOOP_READ | LOOP_ERROR)))
		return;
	uint8_t buf[DAEMON_CTRL_READ_SIZE];
	for (int i = 0; i < DAEMON_CTRL_READS_PER_ROUND && c->state == DAEMON_CTRL_OPEN; i++) {
		int n = tcp_read(c->fd, buf, sizeof(buf));
		if (n > 0) {
			c->ops->input(c->ctx, buf, (size_t)n, now_ms);
			continue;
		}
		if (n != ERR_AGAIN)
			ctrl_lose(c, n);
		break;
	}
}

bool daemon_ctrl_take_loss(struct daemon_ctrl *c)
{
	if (c->state != DAEMON_CTRL_LOST)
		return false;
	c->state = DAEMON_CTRL_DONE;
	return true;
}

void daemon_ctrl_stop(struct daemon_ctrl *c)
{
	if (c->state == DAEMON_CTRL_IDLE)
		return;
	loop_fd_remove(c->loop, &c->watch);
	c->state = DAEMON_CTRL_DONE;
}

void daemon_ctrl_close(struct daemon_ctrl *c)
{
	loop_fd_remove(c->loop, &c->watch);
	if (c->fd >= 0) {
		(void)tcp_out_flush(&c->out, c->fd);
		close(c->fd);
	}
	c->fd = -1;
	tcp_out_destroy(&c->out);
	c->state = DAEMON_CTRL_IDLE;
}
