/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/http/http_request (the metrics listener's parser, wire input)
 * and the listener's pure helpers: a table of well-formed and malformed
 * request heads with the verdict and status each must get. */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "daemon/metrics_http.h"
#include "daemon/metrics_text.h"
#include "proto/http/http_request.h"

struct http_case {
	const char *name;
	const char *head;
	enum http_parse verdict;
	int status; /* ERROR: the status; DONE: 0 */
};

#define H11 "Host: x\r\n"

static const struct http_case cases[] = {
	{ "plain GET 1.1", "GET /metrics HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_DONE, 0 },
	{ "GET 1.0 without Host", "GET /metrics HTTP/1.0\r\n\r\n", HTTP_PARSE_DONE, 0 },
	{ "HEAD", "HEAD /metrics HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_DONE, 0 },
	{ "bare LF line ends", "GET /metrics HTTP/1.1\n" H11 "\n", HTTP_PARSE_DONE, 0 },
	{ "query string", "GET /metrics?x=1 HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_DONE, 0 },
	{ "Content-Length 0 is fine", "GET / HTTP/1.1\r\n" H11 "Content-Length: 0\r\n\r\n", HTTP_PARSE_DONE, 0 },
	{ "header with OWS", "GET / HTTP/1.1\r\nHost:   x  \r\nAccept: */*\r\n\r\n", HTTP_PARSE_DONE, 0 },
	{ "no blank line yet", "GET /metrics HTTP/1.1\r\n" H11, HTTP_PARSE_INCOMPLETE, 0 },
	{ "half a request line", "GET /metr", HTTP_PARSE_INCOMPLETE, 0 },
	{ "empty", "", HTTP_PARSE_INCOMPLETE, 0 },
	{ "POST", "POST /metrics HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 405 },
	{ "lower-case method", "get /metrics HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 405 },
	{ "405 but a bad header", "PUT / HTTP/1.1\r\nBad Header: x\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "HTTP/1.1 without Host", "GET /metrics HTTP/1.1\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "two Host headers", "GET / HTTP/1.1\r\n" H11 H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "HTTP/2.0", "GET / HTTP/2.0\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 505 },
	{ "HTTP/0.9 style", "GET /\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "version garbage", "GET / HTTQ/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "version too long", "GET / HTTP/1.10\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "two spaces", "GET  / HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "absolute-form target", "GET http://x/metrics HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "asterisk target", "GET * HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "tab in the target", "GET /a\tb HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "8-bit target", "GET /\xc3\xa9 HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "no method", " / HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "method with a slash", "GE/T / HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "blank first line", "\r\nGET / HTTP/1.1\r\n" H11 "\r\n", HTTP_PARSE_ERROR, 400 },
	{ "bare CR inside", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "obs-fold", "GET / HTTP/1.1\r\n" H11 " folded\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "no colon", "GET / HTTP/1.1\r\n" H11 "Nonsense\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "empty header name", "GET / HTTP/1.1\r\n" H11 ": x\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "control char in a value", "GET / HTTP/1.1\r\nHost: a\x01"
				     "b\r\n\r\n",
	  HTTP_PARSE_ERROR, 400 },
	{ "DEL in a value", "GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "a body announced", "GET / HTTP/1.1\r\n" H11 "Content-Length: 5\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "Transfer-Encoding", "GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "TE in odd case", "GET / HTTP/1.1\r\n" H11 "tRaNsFeR-eNcOdInG: x\r\n\r\n", HTTP_PARSE_ERROR, 400 },
	{ "Content-Length list", "GET / HTTP/1.1\r\n" H11 "Content-Length: 0, 0\r\n\r\n", HTTP_PARSE_ERROR, 400 },
};

static void request_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_request r;
		enum http_parse v = http_request_parse(cases[i].head, strlen(cases[i].head), 4096, &r);
		if (v != cases[i].verdict || (v == HTTP_PARSE_ERROR && r.status != cases[i].status))
			fail_msg("%s: verdict %d status %d, expected %d %d", cases[i].name, v, r.status,
				 cases[i].verdict, cases[i].status);
	}
}

static void nul_byte_is_refused(void **state)
{
	(void)state;
	static const char head[] = "GET /\0x HTTP/1.1\r\nHost: x\r\n\r\n";
	struct http_request r;
	assert_int_equal(http_request_parse(head, sizeof(head) - 1, 4096, &r), HTTP_PARSE_ERROR);
	assert_int_equal(r.status, 400);
}

static void fields_taken(void **state)
{
	(void)state;
	const char *head = "HEAD /metrics?a HTTP/1.1\r\nHost: x\r\n\r\ntrailing";
	struct http_request r;
	assert_int_equal(http_request_parse(head, strlen(head), 4096, &r), HTTP_PARSE_DONE);
	assert_int_equal(r.method, HTTP_METHOD_HEAD);
	assert_int_equal(r.version_minor, 1);
	assert_string_equal(r.target, "/metrics?a");
	assert_int_equal(r.head_len, strlen(head) - strlen("trailing"));
	assert_true(http_request_path_is(&r, "/metrics"));
	assert_false(http_request_path_is(&r, "/metric"));
}

/* The limit: no blank line within it is 431, however much more came. */
static void head_limit(void **state)
{
	(void)state;
	char big[6000];
	memcpy(big, "GET / HTTP/1.1\r\nX-Pad: ", 23);
	memset(big + 23, 'a', sizeof(big) - 23);
	struct http_request r;
	assert_int_equal(http_request_parse(big, 4095, 4096, &r), HTTP_PARSE_INCOMPLETE);
	assert_int_equal(http_request_parse(big, 4096, 4096, &r), HTTP_PARSE_ERROR);
	assert_int_equal(r.status, 431);
	assert_int_equal(http_request_parse(big, sizeof(big), 4096, &r), HTTP_PARSE_ERROR);
	assert_int_equal(r.status, 431);
	/* the blank line just past the limit does not count */
	memcpy(big + 4094, "\r\n\r\n", 4);
	assert_int_equal(http_request_parse(big, 4098, 4096, &r), HTTP_PARSE_ERROR);
	assert_int_equal(r.status, 431);
	/* a long target: 414 */
	memcpy(big, "GET /", 5);
	memset(big + 5, 'b', 300);
	memcpy(big + 305, " HTTP/1.1\r\nHost: x\r\n\r\n", 23);
	assert_int_equal(http_request_parse(big, 328, 4096, &r), HTTP_PARSE_ERROR);
	assert_int_equal(r.status, 414);
}

static void allow_and_listen_words(void **state)
{
	(void)state;
	struct metrics_allow a;
	assert_int_equal(metrics_allow_parse("127.0.0.0/8", &a), 0);
	assert_true(metrics_allow_match(&a, 1, 0x7f000001u));
	assert_false(metrics_allow_match(&a, 1, 0xc0000201u));
	assert_int_equal(metrics_allow_parse("192.0.2.7", &a), 0);
	assert_true(metrics_allow_match(&a, 1, 0xc0000207u));
	assert_false(metrics_allow_match(&a, 1, 0xc0000208u));
	assert_int_equal(metrics_allow_parse("0.0.0.0/0", &a), 0);
	assert_true(metrics_allow_match(&a, 1, 0xcb007101u));
	assert_int_equal(metrics_allow_parse("192.0.2.1/24", &a), ERR_INVALID);
	assert_int_equal(metrics_allow_parse("192.0.2.0/33", &a), ERR_MALFORMED);
	assert_int_equal(metrics_allow_parse("192.0.2.0/", &a), ERR_MALFORMED);
	assert_int_equal(metrics_allow_parse("192.0.2.0/08", &a), ERR_MALFORMED);
	assert_int_equal(metrics_allow_parse("example.net", &a), ERR_MALFORMED);
	uint32_t addr;
	uint16_t port;
	assert_int_equal(metrics_listen_parse("127.0.0.1:9469", &addr, &port), 0);
	assert_int_equal(addr, 0x7f000001u);
	assert_int_equal(port, 9469);
	assert_int_equal(metrics_listen_parse("127.0.0.1", &addr, &port), ERR_MALFORMED);
	assert_int_equal(metrics_listen_parse("127.0.0.1:0", &addr, &port), ERR_MALFORMED);
	assert_int_equal(metrics_listen_parse("127.0.0.1:65536", &addr, &port), ERR_MALFORMED);
	assert_int_equal(metrics_listen_parse("127.0.0.1:80x", &addr, &port), ERR_MALFORMED);
	assert_int_equal(metrics_listen_parse(":9469", &addr, &port), ERR_MALFORMED);
}

static void render_small(void *ctx, struct metrics_text *t)
{
	(void)ctx;
	metrics_counter(t, "x_total", "An x.", 7);
}

/* The answer: status line, headers, body; HEAD without the body; errors
 * with their reason. */
static void answers(void **state)
{
	(void)state;
	struct metrics_http h;
	metrics_http_init(&h, NULL, render_small, NULL);
	char *base;
	const char *out;
	size_t len;
	const char *get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(metrics_http_answer(&h, get, strlen(get), &base, &out, &len), 0);
	char *text = strndup(out, len);
	assert_non_null(strstr(text, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(text, "Content-Type: " METRICS_CONTENT_TYPE "\r\n"));
	assert_non_null(strstr(text, "\r\n\r\n# HELP x_total An x.\n# TYPE x_total counter\nx_total 7\n"));
	free(text);
	free(base);
	assert_int_equal(h.scrapes, 1);
	const char *head = "HEAD /metrics HTTP/1.0\r\n\r\n";
	assert_int_equal(metrics_http_answer(&h, head, strlen(head), &base, &out, &len), 0);
	assert_true(len > 4 && memcmp(out + len - 4, "\r\n\r\n", 4) == 0);
	free(base);
	const char *post = "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(metrics_http_answer(&h, post, strlen(post), &base, &out, &len), 0);
	assert_true(strncmp(out, "HTTP/1.1 405 Method Not Allowed\r\n", 33) == 0);
	assert_non_null(memmem(out, len, "Allow: GET, HEAD\r\n", 18));
	free(base);
	const char *other = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(metrics_http_answer(&h, other, strlen(other), &base, &out, &len), 0);
	assert_true(strncmp(out, "HTTP/1.1 404 ", 13) == 0);
	free(base);
	assert_int_equal(h.refused[METRICS_REFUSED_BAD_REQUEST], 2);
}

/* The writer: a buffer too small says so; the histogram is cumulative. */
static void text_writer(void **state)
{
	(void)state;
	char buf[64];
	struct metrics_text t;
	metrics_text_init(&t, buf, sizeof(buf));
	metrics_counter(&t, "a_very_long_metric_name_total", "Something long enough to overflow.", 1);
	assert_true(t.full);
	char big[1024];
	metrics_text_init(&t, big, sizeof(big));
	static const double bounds[] = { 0.5, 1 };
	static const uint64_t counts[] = { 2, 3, 1 };
	metrics_histogram(&t, "h_seconds", "H.", bounds, 2, counts, 4.25);
	assert_false(t.full);
	assert_string_equal(big, "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
				 "h_seconds_bucket{le=\"0.5\"} 2\nh_seconds_bucket{le=\"1\"} 5\n"
				 "h_seconds_bucket{le=\"+Inf\"} 6\nh_seconds_sum 4.25\nh_seconds_count 6\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_table),
		cmocka_unit_test(nul_byte_is_refused),
		cmocka_unit_test(fields_taken),
		cmocka_unit_test(head_limit),
		cmocka_unit_test(allow_and_listen_words),
		cmocka_unit_test(answers),
		cmocka_unit_test(text_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
