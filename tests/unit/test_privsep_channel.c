/* SPDX-License-Identifier: BSD-2-Clause */
/* The privsep channel end to end: a real helper forked by privsep_start
 * (server role; nothing here needs root), answers as loop events, the
 * secrets file coming back as a sealed memfd, refusals, a malformed request
 * ending the helper, the helper's death reaching the main side, and the
 * main side refusing malformed or out-of-order answers from a fake helper. */
#include "support/test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "privsep/helper_internal.h"
#include "privsep/privsep.h"
#include "sys/loop.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

struct fixture {
	char dir[64];
	char secrets[96];
	char control[96];
	struct privsep_config cfg;
	struct privsep_channel ch;
};

static const char secrets_text[] = "alice * \"secret pass\" *\nbob * bobpw 198.18.0.7\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/openpptp-privsep.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->secrets, sizeof(f->secrets), "%s/secrets", f->dir);
	snprintf(f->control, sizeof(f->control), "%s/ctl", f->dir);
	int fd = open(f->secrets, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, secrets_text, strlen(secrets_text)), (ssize_t)strlen(secrets_text));
	close(fd);
	fd = open(f->control, O_WRONLY | O_CREAT | O_EXCL, 0600);
	close(fd);
	f->cfg.role = PRIVSEP_ROLE_SERVER;
	f->cfg.tun_ifindex = 4242;
	f->cfg.local_ip = IP(203, 0, 113, 1);
	f->cfg.pool.first = IP(203, 0, 113, 10);
	f->cfg.pool.last = IP(203, 0, 113, 50);
	f->cfg.secrets_path = f->secrets;
	f->cfg.control_socket = f->control;
	assert_int_equal(privsep_start(&f->cfg, &f->ch), 0);
	assert_true(f->ch.helper > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	privsep_channel_close(&f->ch, 5000);
	unlink(f->secrets);
	unlink(f->control);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct privsep_request route_req(enum privsep_op op, uint32_t ifindex, uint32_t addr)
{
	struct privsep_request r = { .op = op, .family = PRIVSEP_FAMILY_IPV4, .prefix_len = 32 };
	r.ifindex = ifindex;
	r.addr4 = addr;
	return r;
}

static void secrets_come_back_as_a_sealed_memfd(void **state)
{
	struct fixture *f = *state;
	struct privsep_answer a;
	struct privsep_request r = { .op = PRIVSEP_OP_SECRETS_READ };
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, 0);
	assert_int_equal(a.length, strlen(secrets_text));
	assert_true(a.fd >= 0);
	char buf[256] = { 0 };
	assert_int_equal(read(a.fd, buf, sizeof(buf)), (ssize_t)strlen(secrets_text));
	assert_string_equal(buf, secrets_text);
	/* Sealed: the main process cannot change what it was given. */
	assert_int_equal(fcntl(a.fd, F_GET_SEALS) & F_SEAL_WRITE, F_SEAL_WRITE);
	assert_int_equal(write(a.fd, "x", 1), -1);
	close(a.fd);
}

static void refusals_are_answers(void **state)
{
	struct fixture *f = *state;
	struct privsep_answer a;
	struct privsep_request r = route_req(PRIVSEP_OP_ROUTE_ADD, 1, IP(203, 0, 113, 10));
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, ERR_POLICY);
	r = route_req(PRIVSEP_OP_ROUTE_ADD, 4242, IP(192, 0, 2, 99));
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, ERR_POLICY);
	r = (struct privsep_request){ .op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .mtu = 1400 };
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, ERR_POLICY);
	assert_int_equal(a.fd, -1);
	/* The helper is still serving. */
	r = (struct privsep_request){ .op = PRIVSEP_OP_CONTROL_UNLINK };
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, 0);
	assert_int_equal(access(f->control, F_OK), -1);
}

struct seen {
	int answers;
	int lost;
	enum privsep_op ops[8];
	int status[8];
};

static void on_answer(void *ctx, const struct privsep_answer *a)
{
	struct seen *s = ctx;
	if (s->answers < 8) {
		s->ops[s->answers] = a->op;
		s->status[s->answers] = a->status;
	}
	s->answers++;
	if (a->fd >= 0)
		close(a->fd);
}

static void on_lost(void *ctx)
{
	struct seen *s = ctx;
	s->lost++;
}

static void answers_arrive_as_loop_events_in_order(void **state)
{
	struct fixture *f = *state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct seen seen = { 0 };
	assert_int_equal(privsep_channel_attach(&f->ch, &loop, on_lost, &seen), 0);
	struct privsep_request secrets = { .op = PRIVSEP_OP_SECRETS_READ };
	struct privsep_request bad = route_req(PRIVSEP_OP_ROUTE_DEL, 7, IP(203, 0, 113, 10));
	assert_int_equal(privsep_send(&f->ch, &secrets, on_answer, &seen), 0);
	assert_int_equal(privsep_send(&f->ch, &bad, on_answer, &seen), 0);
	assert_int_equal(privsep_send(&f->ch, &secrets, on_answer, &seen), 0);
	for (int i = 0; i < 100 && seen.answers < 3; i++)
		assert_int_equal(loop_run_once(&loop, 100), 0);
	assert_int_equal(seen.answers, 3);
	assert_int_equal(seen.ops[0], PRIVSEP_OP_SECRETS_READ);
	assert_int_equal(seen.status[0], 0);
	assert_int_equal(seen.ops[1], PRIVSEP_OP_ROUTE_DEL);
	assert_int_equal(seen.status[1], ERR_POLICY);
	assert_int_equal(seen.ops[2], PRIVSEP_OP_SECRETS_READ);
	assert_int_equal(seen.lost, 0);
	assert_int_equal(f->ch.count, 0u);
	privsep_channel_detach(&f->ch);
	loop_destroy(&loop);
}

/* drain returns as soon as the last answer is in, not at its deadline. */
static void drain_returns_when_answered(void **state)
{
	struct fixture *f = *state;
	struct seen seen = { 0 };
	struct privsep_request secrets = { .op = PRIVSEP_OP_SECRETS_READ };
	for (int i = 0; i < 3; i++)
		assert_int_equal(privsep_send(&f->ch, &secrets, on_answer, &seen), 0);
	uint64_t t0 = sys_now_ms();
	assert_int_equal(privsep_drain(&f->ch, 20000), 0);
	assert_true(sys_now_ms() - t0 < 5000);
	assert_int_equal(seen.answers, 3);
	assert_int_equal(f->ch.count, 0u);
	/* Nothing queued: at once. */
	t0 = sys_now_ms();
	assert_int_equal(privsep_drain(&f->ch, 20000), 0);
	assert_true(sys_now_ms() - t0 < 1000);
}

static void static_addresses_follow_the_secrets_file(void **state)
{
	struct fixture *f = *state;
	struct privsep_answer a;
	/* bob's static 198.18.0.7 is routable (not in the pool); an address
	 * next to it is not. The route itself fails without root or without
	 * the interface, but not by policy. */
	struct privsep_request r = route_req(PRIVSEP_OP_ROUTE_ADD, 4242, IP(198, 18, 0, 7));
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_not_equal(a.status, ERR_POLICY);
	r.addr4 = IP(198, 18, 0, 8);
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_equal(a.status, ERR_POLICY);
	/* A reload learns a new static address. */
	FILE *fp = fopen(f->secrets, "a");
	fputs("carol * pw 198.18.0.8\n", fp);
	fclose(fp);
	struct privsep_request read = { .op = PRIVSEP_OP_SECRETS_READ };
	assert_int_equal(privsep_call(&f->ch, &read, &a, 5000), 0);
	close(a.fd);
	assert_int_equal(privsep_call(&f->ch, &r, &a, 5000), 0);
	assert_int_not_equal(a.status, ERR_POLICY);
}

static void malformed_request_ends_the_helper(void **state)
{
	struct fixture *f = *state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct seen seen = { 0 };
	assert_int_equal(privsep_channel_attach(&f->ch, &loop, on_lost, &seen), 0);
	/* What a compromised main process might try: a path after the op. */
	static const uint8_t evil[] = { 1, PRIVSEP_OP_SECRETS_READ, 0, 11, 0, 0, 0, 9, '/', 'e', 't', 'c', '/',
					's', 'h', 'a', 'd', 'o', 'w' };
	assert_int_equal(send(f->ch.fd, evil, sizeof(evil), 0), (ssize_t)sizeof(evil));
	struct privsep_request secrets = { .op = PRIVSEP_OP_SECRETS_READ };
	assert_int_equal(privsep_send(&f->ch, &secrets, on_answer, &seen), 0);
	for (int i = 0; i < 100 && !seen.lost; i++)
		assert_int_equal(loop_run_once(&loop, 100), 0);
	assert_int_equal(seen.lost, 1);
	/* The waiting request was answered "closed", not dropped. */
	assert_int_equal(seen.answers, 1);
	assert_int_equal(seen.status[0], ERR_CLOSED);
	assert_int_equal(privsep_send(&f->ch, &secrets, on_answer, &seen), ERR_CLOSED);
	int status;
	assert_int_equal(waitpid(f->ch.helper, &status, 0), f->ch.helper);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	f->ch.helper = -1;
	/* Undone on the way out: the control socket is gone. */
	assert_int_equal(access(f->control, F_OK), -1);
	privsep_channel_detach(&f->ch);
	loop_destroy(&loop);
}

static void helper_death_reaches_the_main_side(void **state)
{
	struct fixture *f = *state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct seen seen = { 0 };
	assert_int_equal(privsep_channel_attach(&f->ch, &loop, on_lost, &seen), 0);
	assert_int_equal(kill(f->ch.helper, SIGKILL), 0);
	for (int i = 0; i < 100 && !seen.lost; i++)
		assert_int_equal(loop_run_once(&loop, 100), 0);
	assert_int_equal(seen.lost, 1);
	struct privsep_answer a;
	struct privsep_request r = { .op = PRIVSEP_OP_SECRETS_READ };
	assert_int_equal(privsep_call(&f->ch, &r, &a, 1000), ERR_CLOSED);
	privsep_channel_detach(&f->ch);
	loop_destroy(&loop);
}

static void closing_the_channel_ends_the_helper(void **state)
{
	struct fixture *f = *state;
	pid_t helper = f->ch.helper;
	privsep_channel_close(&f->ch, 5000);
	assert_int_equal(kill(helper, 0), -1); /* reaped */
	assert_int_equal(errno, ESRCH);
	assert_int_equal(access(f->control, F_OK), -1);
}

/* ---- the main side against a fake helper ---- */

static void send_answer_bytes(int fd, const uint8_t *b, size_t n, int pass_fd)
{
	union {
		struct cmsghdr h;
		uint8_t space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = (void *)b, .iov_len = n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (pass_fd >= 0) {
		memset(&control, 0, sizeof(control));
		m.msg_control = &control;
		m.msg_controllen = sizeof(control);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	assert_int_equal(sendmsg(fd, &m, 0), (ssize_t)n);
}

static void fake_helper_case(const char *name, void (*answer)(int fd, uint32_t id))
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	struct privsep_channel ch;
	privsep_channel_init_fd(&ch, sv[0]);
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct seen seen = { 0 };
	assert_int_equal(privsep_channel_attach(&ch, &loop, on_lost, &seen), 0);
	struct privsep_request r = route_req(PRIVSEP_OP_ROUTE_ADD, 5, IP(203, 0, 113, 10));
	assert_int_equal(privsep_send(&ch, &r, on_answer, &seen), 0);
	uint8_t req[PRIVSEP_MSG_MAX];
	ssize_t n = recv(sv[1], req, sizeof(req), 0);
	struct privsep_request got;
	assert_int_equal(privsep_request_decode(req, (size_t)n, &got), 0);
	answer(sv[1], got.id);
	for (int i = 0; i < 20 && !seen.lost; i++)
		assert_int_equal(loop_run_once(&loop, 50), 0);
	if (seen.lost != 1)
		fail_msg("%s: the channel should be lost", name);
	assert_int_equal(seen.answers, 1);
	assert_int_equal(seen.status[0], ERR_CLOSED);
	privsep_channel_close(&ch, 0);
	close(sv[1]);
	loop_destroy(&loop);
}

static void answer_wrong_id(int fd, uint32_t id)
{
	struct privsep_answer a = { .op = PRIVSEP_OP_ROUTE_ADD, .id = id + 1, .fd = -1 };
	uint8_t b[PRIVSEP_MSG_MAX];
	send_answer_bytes(fd, b, (size_t)privsep_answer_encode(&a, b, sizeof(b)), -1);
}

static void answer_wrong_op(int fd, uint32_t id)
{
	struct privsep_answer a = { .op = PRIVSEP_OP_ROUTE_DEL, .id = id, .fd = -1 };
	uint8_t b[PRIVSEP_MSG_MAX];
	send_answer_bytes(fd, b, (size_t)privsep_answer_encode(&a, b, sizeof(b)), -1);
}

static void answer_with_a_stray_fd(int fd, uint32_t id)
{
	struct privsep_answer a = { .op = PRIVSEP_OP_ROUTE_ADD, .id = id, .fd = -1 };
	uint8_t b[PRIVSEP_MSG_MAX];
	send_answer_bytes(fd, b, (size_t)privsep_answer_encode(&a, b, sizeof(b)), STDIN_FILENO);
}

static void answer_oversize(int fd, uint32_t id)
{
	struct privsep_answer a = { .op = PRIVSEP_OP_ROUTE_ADD, .id = id, .fd = -1 };
	uint8_t b[PRIVSEP_MSG_MAX * 2];
	memset(b, 0, sizeof(b));
	(void)privsep_answer_encode(&a, b, sizeof(b));
	send_answer_bytes(fd, b, sizeof(b), -1);
}

static void answer_then_close(int fd, uint32_t id)
{
	(void)id;
	shutdown(fd, SHUT_RDWR);
}

static void main_side_refuses_bad_answers(void **state)
{
	(void)state;
	fake_helper_case("wrong id", answer_wrong_id);
	fake_helper_case("wrong op", answer_wrong_op);
	fake_helper_case("stray descriptor", answer_with_a_stray_fd);
	fake_helper_case("oversize datagram", answer_oversize);
	fake_helper_case("EOF", answer_then_close);
}

/* ---- running programs ---- */

static void spawn_exit_code_env_input_and_timeout(void **state)
{
	(void)state;
	char *const env[] = { "IFNAME=ptun0", "PATH=/usr/bin:/bin", NULL };
	char *const exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
	assert_int_equal(helper_spawn_wait("exit3", "/bin/sh", exit3, env, NULL, 0, 5, -1), 3);
	char *const envcheck[] = { "/bin/sh", "-c", "[ \"$IFNAME\" = ptun0 ] && [ -z \"$HOME\" ]", NULL };
	assert_int_equal(helper_spawn_wait("env", "/bin/sh", envcheck, env, NULL, 0, 5, -1), 0);
	char *const input[] = { "/bin/sh", "-c", "read a b; [ \"$a $b\" = 'nameserver 203.0.113.53' ]", NULL };
	static const char text[] = "nameserver 203.0.113.53\n";
	assert_int_equal(helper_spawn_wait("input", "/bin/sh", input, env, text, strlen(text), 5, -1), 0);
	char *const missing[] = { "/nonexistent/hook", NULL };
	assert_int_equal(helper_spawn_wait("missing", "/nonexistent/hook", missing, env, NULL, 0, 5, -1), 127);
	uint64_t t0 = sys_now_ms();
	char *const slow[] = { "/bin/sh", "-c", "sleep 20", NULL };
	assert_int_equal(helper_spawn_wait("slow", "/bin/sh", slow, env, NULL, 0, 1, -1), ERR_TIMEOUT);
	uint64_t took = sys_now_ms() - t0;
	assert_true(took >= 1000 && took < 5000);
	/* The channel's peer hangs up: the program is killed at once, but a
	 * request merely queued on the channel does not end it. */
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(send(sv[0], "queued", 6, 0), 6);
	t0 = sys_now_ms();
	char *const short_sleep[] = { "/bin/sh", "-c", "sleep 1", NULL };
	assert_int_equal(helper_spawn_wait("queued", "/bin/sh", short_sleep, env, NULL, 0, 10, sv[1]), 0);
	assert_true(sys_now_ms() - t0 >= 900);
	close(sv[0]);
	t0 = sys_now_ms();
	assert_int_equal(helper_spawn_wait("orphan", "/bin/sh", slow, env, NULL, 0, 10, sv[1]), ERR_CLOSED);
	assert_true(sys_now_ms() - t0 < 3000);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(secrets_come_back_as_a_sealed_memfd, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_are_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(answers_arrive_as_loop_events_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(drain_returns_when_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(static_addresses_follow_the_secrets_file, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_request_ends_the_helper, setup, teardown),
		cmocka_unit_test_setup_teardown(helper_death_reaches_the_main_side, setup, teardown),
		cmocka_unit_test_setup_teardown(closing_the_channel_ends_the_helper, setup, teardown),
		cmocka_unit_test(main_side_refuses_bad_answers),
		cmocka_unit_test(spawn_exit_code_env_input_and_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
