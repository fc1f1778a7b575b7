/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server/status_stream: a status answer written a part at a time from
 * the loop is byte for byte the answer formatted at once; a reader that
 * goes away frees it; the number in flight is bounded. */
#include "support/test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "server/status_stream.h"

#define ROWS 1234u /* more than two parts of STATUS_STREAM_ROWS */

static const struct status_header header = {
	.version = "0.1.0", .uptime_s = 7, .sessions = ROWS, .max_sessions = 20000, .control_connections = ROWS,
};

static struct session_snapshot *make_snaps(size_t n)
{
	struct session_snapshot *s = calloc(n, sizeof(*s));
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		snprintf(s[i].user, sizeof(s[i].user), "user%zu\"", i);
		snprintf(s[i].state, sizeof(s[i].state), "up");
		snprintf(s[i].auth, sizeof(s[i].auth), "mschapv2");
		s[i].peer_address = 0xC0000202;
		s[i].tunnel_address = 0xCB007100u + (uint32_t)i;
		s[i].local_call_id = (uint16_t)i;
		s[i].tx_bytes = i * 1000u;
	}
	return s;
}

/* Run the loop, reading the other end, until it reports EOF. */
static char *read_answer(struct loop *loop, int fd, size_t *len, unsigned *iterations)
{
	size_t cap = 8u << 20, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	*iterations = 0;
	for (;;) {
		assert_int_equal(loop_run_once(loop, 100), 0);
		(*iterations)++;
		assert_true(*iterations < 100000);
		ssize_t r = read(fd, buf + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			assert_true(errno == EAGAIN);
			continue;
		}
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static void check_stream(bool json)
{
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct status_streams list = { 0 };
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	const char *trailer = "GRE dropped: 0\n";
	assert_int_equal(status_stream_start(&list, &loop, sv[0], json, &header, make_snaps(ROWS), ROWS,
					     json ? NULL : trailer), 0);
	assert_int_equal(list.count, 1);

	size_t len;
	unsigned iterations;
	char *got = read_answer(&loop, sv[1], &len, &iterations);
	/* At least one iteration per part: head, three of rows, tail. */
	assert_true(iterations >= 5);
	assert_int_equal(list.count, 0);

	struct session_snapshot *snaps = make_snaps(ROWS);
	size_t cap = 4096 + ROWS * STATUS_ROW_MAX;
	char *want = malloc(cap + strlen(trailer));
	assert_non_null(want);
	int n = json ? status_format_json(want, cap, &header, snaps, ROWS)
		     : status_format_table(want, cap, &header, snaps, ROWS);
	assert_true(n > 0);
	if (!json) {
		memcpy(want + n, trailer, strlen(trailer));
		n += (int)strlen(trailer);
	}
	assert_int_equal(len, (size_t)n);
	assert_memory_equal(got, want, len);
	free(snaps);
	free(want);
	free(got);
	close(sv[1]);
	loop_destroy(&loop);
}

static void json_in_parts_equals_json_at_once(void **state)
{
	(void)state;
	check_stream(true);
}

static void table_in_parts_equals_table_at_once(void **state)
{
	(void)state;
	check_stream(false);
}

static void reader_gone_frees_the_answer(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct status_streams list = { 0 };
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(status_stream_start(&list, &loop, sv[0], true, &header, make_snaps(ROWS), ROWS, NULL), 0);
	close(sv[1]);
	for (unsigned i = 0; i < 100 && list.count; i++)
		assert_int_equal(loop_run_once(&loop, 100), 0);
	assert_int_equal(list.count, 0);
	loop_destroy(&loop);
}

static void answers_in_flight_are_bounded(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct status_streams list = { 0 };
	int readers[STATUS_STREAMS_MAX];
	for (unsigned i = 0; i <= STATUS_STREAMS_MAX; i++) {
		int sv[2];
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
		int rc = status_stream_start(&list, &loop, sv[0], true, &header, make_snaps(4), 4, NULL);
		if (i < STATUS_STREAMS_MAX) {
			assert_int_equal(rc, 0);
			readers[i] = sv[1];
		} else {
			assert_int_equal(rc, ERR_LIMIT);
			/* refused: its fd was closed, so the reader sees EOF */
			char c;
			assert_int_equal(read(sv[1], &c, 1), 0);
			close(sv[1]);
		}
	}
	assert_int_equal(list.count, STATUS_STREAMS_MAX);
	status_streams_free(&list, &loop);
	assert_int_equal(list.count, 0);
	assert_null(list.head);
	for (unsigned i = 0; i < STATUS_STREAMS_MAX; i++)
		close(readers[i]);
	loop_destroy(&loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_in_parts_equals_json_at_once),
		cmocka_unit_test(table_in_parts_equals_table_at_once),
		cmocka_unit_test(reader_gone_frees_the_answer),
		cmocka_unit_test(answers_in_flight_are_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
