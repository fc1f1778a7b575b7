/* SPDX-License-Identifier: BSD-2-Clause */
/* The RFC 1661 §4.1 state transition table, walked cell by cell: every
 * state x event is driven through the real automaton and the actions it
 * performs are compared with the RFC's table, transcribed here as text
 * independently of the implementation's table. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"
#include "proto/ppp/fsm.h"

/* RFC 1661 §4.1, verbatim cells ("-" = cannot occur). */
static const char *const rfc_table[PPP_EV_COUNT][PPP_STATE_COUNT] = {
	/*            0          1            2        3              4        5        6            7            8            9 */
	/* Up   */ { "2",       "irc,scr/6", "-",     "-",           "-",     "-",     "-",         "-",         "-",         "-" },
	/* Down */ { "-",       "-",         "0",     "tls/1",       "0",     "1",     "1",         "1",         "1",         "tld/1" },
	/* Open */ { "tls/1",   "1",         "irc,scr/6", "3r",      "5r",    "5r",    "6",         "7",         "8",         "9r" },
	/* Close*/ { "0",       "tlf/0",     "2",     "2",           "4",     "4",     "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4" },
	/* TO+  */ { "-",       "-",         "-",     "-",           "str/4", "str/5", "scr/6",     "scr/6",     "scr/8",     "-" },
	/* TO-  */ { "-",       "-",         "-",     "-",           "tlf/2", "tlf/3", "tlf/3p",    "tlf/3p",    "tlf/3p",    "-" },
	/* RCR+ */ { "-",       "-",         "sta/2", "irc,scr,sca/8", "4",   "5",     "sca/8",     "sca,tlu/9", "sca/8",     "tld,scr,sca/8" },
	/* RCR- */ { "-",       "-",         "sta/2", "irc,scr,scn/6", "4",   "5",     "scn/6",     "scn/7",     "scn/6",     "tld,scr,scn/6" },
	/* RCA  */ { "-",       "-",         "sta/2", "sta/3",       "4",     "5",     "irc/7",     "scr/6x",    "irc,tlu/9", "tld,scr/6x" },
	/* RCN  */ { "-",       "-",         "sta/2", "sta/3",       "4",     "5",     "irc,scr/6", "scr/6x",    "irc,scr/8", "tld,scr/6x" },
	/* RTR  */ { "-",       "-",         "sta/2", "sta/3",       "sta/4", "sta/5", "sta/6",     "sta/6",     "sta/6",     "tld,zrc,sta/5" },
	/* RTA  */ { "-",       "-",         "2",     "3",           "tlf/2", "tlf/3", "6",         "6",         "8",         "tld,scr/6" },
	/* RUC  */ { "-",       "-",         "scj/2", "scj/3",       "scj/4", "scj/5", "scj/6",     "scj/7",     "scj/8",     "scj/9" },
	/* RXJ+ */ { "-",       "-",         "2",     "3",           "4",     "5",     "6",         "6",         "8",         "9" },
	/* RXJ- */ { "-",       "-",         "tlf/2", "tlf/3",       "tlf/2", "tlf/3", "tlf/3",     "tlf/3",     "tlf/3",     "tld,irc,str/5" },
	/* RXR  */ { "-",       "-",         "2",     "3",           "4",     "5",     "6",         "7",         "8",         "ser/9" },
};

struct rec {
	char acts[128];
	int scr, str;
};

static struct rec g_rec;

static void rec_add(const char *a)
{
	if (g_rec.acts[0])
		strcat(g_rec.acts, ",");
	strcat(g_rec.acts, a);
}

static void on_up(void *p) { (void)p; rec_add("tlu"); }
static void on_down(void *p) { (void)p; rec_add("tld"); }
static void on_started(void *p) { (void)p; rec_add("tls"); }
static void on_finished(void *p) { (void)p; rec_add("tlf"); }
static void on_echo(void *p) { (void)p; rec_add("ser"); }

static void rec_output(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)protocol;
	assert_true(len >= 4);
	switch (pkt[0]) {
	case PPP_CONF_REQ: rec_add("scr"); g_rec.scr++; break;
	case PPP_CONF_ACK: rec_add("sca"); break;
	case PPP_CONF_NAK:
	case PPP_CONF_REJ: rec_add("scn"); break;
	case PPP_TERM_REQ: rec_add("str"); g_rec.str++; break;
	case PPP_TERM_ACK: rec_add("sta"); break;
	case PPP_CODE_REJ: rec_add("scj"); break;
	default: fail_msg("unexpected code %u", pkt[0]);
	}
}

static const struct ppp_fsm_ops rec_ops = {
	.layer_up = on_up, .layer_down = on_down, .layer_started = on_started,
	.layer_finished = on_finished, .send_echo_reply = on_echo,
};

/* Split "irc,scr/6x" into the action list without irc/zrc, the next state
 * and the flags. */
static void parse_cell(const char *cell, char *acts, size_t acts_size, int *next, bool *irc, bool *zrc)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", cell);
	char *slash = strchr(buf, '/');
	const char *state = buf;
	acts[0] = 0;
	*irc = *zrc = false;
	if (slash) {
		*slash = 0;
		state = slash + 1;
		char *save = NULL;
		for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (!strcmp(t, "irc")) { *irc = true; continue; }
			if (!strcmp(t, "zrc")) { *zrc = true; continue; }
			if (acts[0])
				strncat(acts, ",", acts_size - strlen(acts) - 1);
			strncat(acts, t, acts_size - strlen(acts) - 1);
		}
	}
	*next = state[0] - '0';
}

static void fsm_walks_the_whole_rfc1661_table(void **state)
{
	(void)state;
	const struct ppp_fsm_config cfg = { .restart_ms = 3000, .max_configure = 10, .max_terminate = 2,
					    .max_failure = 5 };
	int cells = 0, impossible = 0;
	for (int ev = 0; ev < PPP_EV_COUNT; ev++) {
		for (int st = 0; st < PPP_STATE_COUNT; st++) {
			struct ppp_fsm f;
			ppp_fsm_init(&f, 0xC021, "T", &rec_ops, NULL, 0, NULL, &cfg, rec_output, NULL);
			f.state = (enum ppp_fsm_state)st;
			f.restart_count = 100;
			f.now = 1000;
			memset(&g_rec, 0, sizeof(g_rec));
			ppp_fsm_event(&f, (enum ppp_fsm_event)ev);
			const char *cell = rfc_table[ev][st];
			cells++;
			if (!strcmp(cell, "-")) {
				impossible++;
				assert_int_equal(f.state, st);
				assert_string_equal(g_rec.acts, "");
				continue;
			}
			char acts[64];
			int next;
			bool irc, zrc;
			parse_cell(cell, acts, sizeof(acts), &next, &irc, &zrc);
			if ((int)f.state != next || strcmp(g_rec.acts, acts) != 0)
				fail_msg("%s in %s: got %s/%d, RFC says %s", ppp_fsm_event_name(ev),
					 ppp_fsm_state_name(st), g_rec.acts, f.state, cell);
			int expect_count = 100;
			if (irc)
				expect_count = g_rec.str ? cfg.max_terminate : cfg.max_configure;
			if (zrc)
				expect_count = 0;
			expect_count -= g_rec.scr + g_rec.str;
			if (f.restart_count != expect_count)
				fail_msg("%s in %s: restart counter %d, expected %d", ppp_fsm_event_name(ev),
					 ppp_fsm_state_name(st), f.restart_count, expect_count);
			/* The restart timer runs exactly in Closing..Ack-Sent. */
			bool timer = f.state >= PPP_STATE_CLOSING && f.state <= PPP_STATE_ACK_SENT;
			if (timer && (g_rec.scr || g_rec.str || zrc))
				assert_int_equal(f.deadline, 1000 + 3000);
			if (!timer)
				assert_int_equal(f.deadline, DEADLINE_NONE);
		}
	}
	assert_int_equal(cells, 160);
	assert_int_equal(impossible, 40);
}

static void fsm_pure_table_matches_rfc_next_states(void **state)
{
	(void)state;
	for (int ev = 0; ev < PPP_EV_COUNT; ev++)
		for (int st = 0; st < PPP_STATE_COUNT; st++) {
			enum ppp_fsm_state next;
			unsigned actions;
			bool ok = ppp_fsm_transition(st, ev, &next, &actions);
			const char *cell = rfc_table[ev][st];
			assert_int_equal(ok, strcmp(cell, "-") != 0);
			if (ok) {
				const char *slash = strchr(cell, '/');
				assert_int_equal(next, (slash ? slash[1] : cell[0]) - '0');
			}
		}
	assert_string_equal(ppp_fsm_state_name(PPP_STATE_ACK_RCVD), "Ack-Rcvd");
	assert_string_equal(ppp_fsm_event_name(PPP_EV_RXJ_MINUS), "RXJ-");
}

static void fsm_timer_counts_down_max_configure(void **state)
{
	(void)state;
	const struct ppp_fsm_config cfg = { .restart_ms = 3000, .max_configure = 4 };
	struct ppp_fsm f;
	ppp_fsm_init(&f, 0xC021, "T", &rec_ops, NULL, 0, NULL, &cfg, rec_output, NULL);
	memset(&g_rec, 0, sizeof(g_rec));
	ppp_fsm_lower_up(&f, 0);
	ppp_fsm_open(&f, 0);
	assert_int_equal(f.state, PPP_STATE_REQ_SENT);
	uint64_t now = 0;
	while (ppp_fsm_next_deadline(&f) != DEADLINE_NONE) {
		now = ppp_fsm_next_deadline(&f);
		ppp_fsm_on_timeout(&f, now);
	}
	assert_int_equal(g_rec.scr, 4);
	assert_int_equal(now, 4 * 3000);
	assert_int_equal(f.state, PPP_STATE_STOPPED);
	assert_string_equal(g_rec.acts, "scr,scr,scr,scr,tlf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fsm_walks_the_whole_rfc1661_table),
		cmocka_unit_test(fsm_pure_table_matches_rfc_next_states),
		cmocka_unit_test(fsm_timer_counts_down_max_configure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
