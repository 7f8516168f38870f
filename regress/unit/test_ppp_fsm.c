/*
 * Copyright (c) 2026 The l2tpsecd developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * RFC 1661 4.1, the state transition table, transcribed here from the
 * RFC text on its own (not from ppp/fsm.c): rows are events, columns
 * the states 0 Initial .. 9 Opened, cells "actions/state" as printed,
 * footnote letters included.
 */
static const char *const rfc_events[16] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

static const char *const rfc_table[16][10] = {
/*		Initial   Starting   Closed   Stopped  Closing   Stopping
 *		Req-Sent  Ack-Rcvd   Ack-Sent Opened */
/* Up   */ { "2", "irc,scr/6", "-", "-", "-", "-",
		"-", "-", "-", "-" },
/* Down */ { "-", "-", "0", "tls/1", "0", "1",
		"1", "1", "1", "tld/1" },
/* Open */ { "tls/1", "1", "irc,scr/6", "3r", "5r", "5r",
		"6", "7", "8", "9r" },
/* Close*/ { "0", "tlf/0", "2", "2", "4", "4",
		"irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4" },
/* TO+  */ { "-", "-", "-", "-", "str/4", "str/5",
		"scr/6", "scr/6", "scr/8", "-" },
/* TO-  */ { "-", "-", "-", "-", "tlf/2", "tlf/3",
		"tlf/3p", "tlf/3p", "tlf/3p", "-" },
/* RCR+ */ { "-", "-", "sta/2", "irc,scr,sca/8", "4", "5",
		"sca/8", "sca,tlu/9", "sca/8", "tld,scr,sca/8" },
/* RCR- */ { "-", "-", "sta/2", "irc,scr,scn/6", "4", "5",
		"scn/6", "scn/7", "scn/6", "tld,scr,scn/6" },
/* RCA  */ { "-", "-", "sta/2", "sta/3", "4", "5",
		"irc/7", "scr/6x", "irc,tlu/9", "tld,scr/6x" },
/* RCN  */ { "-", "-", "sta/2", "sta/3", "4", "5",
		"irc,scr/6", "scr/6x", "irc,scr/8", "tld,scr/6x" },
/* RTR  */ { "-", "-", "sta/2", "sta/3", "sta/4", "sta/5",
		"sta/6", "sta/6", "sta/6", "tld,zrc,sta/5" },
/* RTA  */ { "-", "-", "2", "3", "tlf/2", "tlf/3",
		"6", "6", "8", "tld,scr/6" },
/* RUC  */ { "-", "-", "scj/2", "scj/3", "scj/4", "scj/5",
		"scj/6", "scj/7", "scj/8", "scj/9" },
/* RXJ+ */ { "-", "-", "2", "3", "4", "5",
		"6", "6", "8", "9" },
/* RXJ- */ { "-", "-", "tlf/2", "tlf/3", "tlf/2", "tlf/3",
		"tlf/3", "tlf/3", "tlf/3", "tld,irc,str/5" },
/* RXR  */ { "-", "-", "2", "3", "4", "5",
		"6", "7", "8", "ser/9" },
};

/* The fake protocol: a recorder behind every callback. */
#define MAXSENT	64

struct sent {
	uint8_t		 s_buf[FSM_PKT_MAX];
	size_t		 s_len;
};

struct fake {
	struct fsm	 f_fsm;
	char		 f_trace[256];
	int		 f_timer;		/* as the owner sees it */
	unsigned int	 f_timer_ms;
	int		 f_verdict;		/* for fc_check_req */
	int		 f_last_nak_ok;
	int		 f_rej_invalid;		/* fc_recv_rej says -1 */
	int		 f_resets;
	int		 f_ups, f_downs, f_starts, f_finishes;
	struct sent	 f_sent[MAXSENT];
	int		 f_nsent;
	struct fake	*f_peer;		/* back to back */
};

static const uint8_t	 our_opts[] = { 1, 4, 0x05, 0xdc, 5, 6, 1, 2, 3, 4 };

/* Appends to a NUL-terminated buffer, cutting what does not fit. */
static void
cat(char *dst, size_t size, const char *s)
{
	size_t	 n = strlen(dst);

	if (n + 1 < size)
		snprintf(dst + n, size - n, "%s", s);
}

static void
trace(struct fake *f, const char *a)
{
	if (f->f_trace[0] != '\0')
		cat(f->f_trace, sizeof(f->f_trace), ",");
	cat(f->f_trace, sizeof(f->f_trace), a);
}

static void
cb_build_req(struct fsm *fs, struct obuf *o)
{
	(void)fs;
	obuf_put_bytes(o, our_opts, sizeof(our_opts));
}

static int
cb_check_req(struct fsm *fs, const uint8_t *opts, size_t len,
    struct obuf *reply, int nak_ok)
{
	struct fake	*f = fs->fs_arg;

	(void)opts;
	(void)len;
	f->f_last_nak_ok = nak_ok;
	if (f->f_verdict == PPP_CONF_NAK && !nak_ok) {
		obuf_put_bytes(reply, "\x05\x06\0\0\0\0", 6);
		return (PPP_CONF_REJ);
	}
	if (f->f_verdict != PPP_CONF_ACK)
		obuf_put_bytes(reply, "\x05\x06\x09\x09\x09\x09", 6);
	return (f->f_verdict);
}

static int
cb_recv_ack(struct fsm *fs, const uint8_t *opts, size_t len)
{
	(void)fs;
	(void)opts;
	(void)len;
	return (0);
}

static int
cb_recv_nak(struct fsm *fs, const uint8_t *opts, size_t len)
{
	(void)fs;
	(void)opts;
	(void)len;
	return (0);
}

static int
cb_recv_rej(struct fsm *fs, const uint8_t *opts, size_t len)
{
	struct fake	*f = fs->fs_arg;

	(void)opts;
	(void)len;
	return (f->f_rej_invalid ? -1 : 0);
}

static void
cb_reset(struct fsm *fs)
{
	((struct fake *)fs->fs_arg)->f_resets++;
}

static void
cb_up(struct fsm *fs)
{
	struct fake	*f = fs->fs_arg;

	f->f_ups++;
	trace(f, "tlu");
}

static void
cb_down(struct fsm *fs)
{
	struct fake	*f = fs->fs_arg;

	f->f_downs++;
	trace(f, "tld");
}

static void
cb_started(struct fsm *fs)
{
	struct fake	*f = fs->fs_arg;

	f->f_starts++;
	trace(f, "tls");
}

static void
cb_finished(struct fsm *fs)
{
	struct fake	*f = fs->fs_arg;

	f->f_finishes++;
	trace(f, "tlf");
}

/* LCP-like: Echo and Discard are RXR, Protocol-Reject RXJ+. */
static int
cb_extcode(struct fsm *fs, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	(void)fs;
	(void)id;
	(void)data;
	(void)len;
	switch (code) {
	case PPP_ECHO_REQ:
	case PPP_ECHO_REPLY:
	case PPP_DISC_REQ:
		return (FSM_EV_RXR);
	case PPP_PROTO_REJ:
		return (FSM_EV_RXJ_PLUS);
	case 200:
		return (-1);		/* "drop this" */
	default:
		return (FSM_EV_RUC);
	}
}

static void
cb_ser(struct fsm *fs, uint8_t id, const uint8_t *data, size_t len)
{
	struct fake	*f = fs->fs_arg;

	(void)id;
	(void)data;
	(void)len;
	trace(f, "ser");
}

static void
cb_timer_start(struct fsm *fs, unsigned int ms)
{
	struct fake	*f = fs->fs_arg;

	f->f_timer = 1;
	f->f_timer_ms = ms;
}

static void
cb_timer_stop(struct fsm *fs)
{
	((struct fake *)fs->fs_arg)->f_timer = 0;
}

static void
cb_send(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct fake	*f = fs->fs_arg;
	static const char *const names[] = { "?", "scr", "sca", "scn",
	    "scn", "str", "sta", "scj" };

	trace(f, len > 0 && buf[0] <= 7 ? names[buf[0]] : "send?");
	if (f->f_nsent < MAXSENT && len <= FSM_PKT_MAX) {
		memcpy(f->f_sent[f->f_nsent].s_buf, buf, len);
		f->f_sent[f->f_nsent].s_len = len;
		f->f_nsent++;
	}
}

static const struct fsm_callbacks fake_cb = {
	.fc_build_req = cb_build_req,
	.fc_check_req = cb_check_req,
	.fc_recv_ack = cb_recv_ack,
	.fc_recv_nak = cb_recv_nak,
	.fc_recv_rej = cb_recv_rej,
	.fc_reset = cb_reset,
	.fc_up = cb_up,
	.fc_down = cb_down,
	.fc_started = cb_started,
	.fc_finished = cb_finished,
	.fc_extcode = cb_extcode,
	.fc_ser = cb_ser,
	.fc_timer_start = cb_timer_start,
	.fc_timer_stop = cb_timer_stop,
	.fc_send = cb_send,
};

/* Log lines, to check what set_state says. */
static char	 logbuf[8192];

static void
log_capture(int pri, const char *line)
{
	if (pri == LOG_DEBUG)
		return;
	cat(logbuf, sizeof(logbuf), line);
	cat(logbuf, sizeof(logbuf), "\n");
}

static void
fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	fsm_init(&f->f_fsm, "fake", PPP_PROTO_LCP, &fake_cb, f);
	f->f_verdict = PPP_CONF_ACK;
}

static void
fake_clear(struct fake *f)
{
	f->f_trace[0] = '\0';
	f->f_nsent = 0;
}

/* The states in which RFC 1661 4.1 has TO events. */
static int
timer_state(int s)
{
	return (s >= 4 && s <= 8);
}

/* Sorted comma list, so "irc,scr" and "scr,irc" compare equal. */
static int
cmpstr(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

static void
canon(const char *in, char *out, size_t outlen)
{
	char	 tmp[256], *tok[16], *p, *save = NULL;
	int	 n = 0, i;

	snprintf(tmp, sizeof(tmp), "%s", in);
	for (p = strtok_r(tmp, ",", &save); p != NULL && n < 16;
	    p = strtok_r(NULL, ",", &save))
		tok[n++] = p;
	qsort(tok, n, sizeof(tok[0]), cmpstr);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			cat(out, outlen, ",");
		cat(out, outlen, tok[i]);
	}
}

/*
 * Splits an RFC cell into the actions the recorder can see (irc and zrc
 * are checked through the restart counter instead), the flags irc/zrc
 * and the next state.  Returns -1 for '-'.
 */
static int
parse_cell(const char *cell, char *acts, size_t actslen, int *irc, int *zrc)
{
	char	 tmp[64], *slash, *p, *save = NULL, vis[64];
	int	 next;

	*irc = *zrc = 0;
	acts[0] = '\0';
	if (strcmp(cell, "-") == 0)
		return (-1);
	snprintf(tmp, sizeof(tmp), "%s", cell);
	if ((slash = strchr(tmp, '/')) != NULL) {
		*slash = '\0';
		next = slash[1] - '0';
	} else {
		next = tmp[0] - '0';
		tmp[0] = '\0';
	}
	vis[0] = '\0';
	for (p = strtok_r(tmp, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (strcmp(p, "irc") == 0)
			*irc = 1;
		else if (strcmp(p, "zrc") == 0)
			*zrc = 1;
		else {
			if (vis[0] != '\0')
				cat(vis, sizeof(vis), ",");
			cat(vis, sizeof(vis), p);
		}
	}
	canon(vis, acts, actslen);
	return (next);
}

/* Puts the automaton in state s as if it had got there by itself. */
static void
place(struct fake *f, int s)
{
	struct fsm	*fs = &f->f_fsm;

	fake_init(f);
	fs->fs_state = (enum fsm_state)s;
	fs->fs_restart = 3;
	fs->fs_timer_on = timer_state(s);
	f->f_timer = timer_state(s);
	memcpy(fs->fs_req, our_opts, sizeof(our_opts));
	fs->fs_reqlen = sizeof(our_opts);
	fs->fs_reqid = 0x40;
	fs->fs_id = 0x41;
	fs->fs_reply_seen = 0;
}

/* The owner's one-shot restart timer fires. */
static void
fire(struct fake *f)
{
	f->f_timer = 0;
	fsm_timeout(&f->f_fsm);
}

static void
inject(struct fake *f, int ev)
{
	struct fsm	*fs = &f->f_fsm;
	static const uint8_t	 peer_opts[] = { 1, 4, 0x05, 0xd4 };
	static const uint8_t	 echo[] = { 0, 0, 0, 0, 'h', 'i' };
	uint8_t			 rej[8];

	switch (ev) {
	case FSM_EV_UP:
		fsm_up(fs);
		break;
	case FSM_EV_DOWN:
		fsm_down(fs);
		break;
	case FSM_EV_OPEN:
		fsm_open(fs);
		break;
	case FSM_EV_CLOSE:
		fsm_close(fs, "bye");
		break;
	case FSM_EV_TO_PLUS:
		fs->fs_restart = 3;
		fire(f);
		break;
	case FSM_EV_TO_MINUS:
		fs->fs_restart = 0;
		fire(f);
		break;
	case FSM_EV_RCR_PLUS:
		f->f_verdict = PPP_CONF_ACK;
		fsm_input(fs, PPP_CONF_REQ, 7, peer_opts, sizeof(peer_opts));
		break;
	case FSM_EV_RCR_MINUS:
		f->f_verdict = PPP_CONF_NAK;
		fsm_input(fs, PPP_CONF_REQ, 7, peer_opts, sizeof(peer_opts));
		break;
	case FSM_EV_RCA:
		fsm_input(fs, PPP_CONF_ACK, 0x40, our_opts, sizeof(our_opts));
		break;
	case FSM_EV_RCN:
		fsm_input(fs, PPP_CONF_NAK, 0x40, peer_opts,
		    sizeof(peer_opts));
		break;
	case FSM_EV_RTR:
		fsm_input(fs, PPP_TERM_REQ, 9, NULL, 0);
		break;
	case FSM_EV_RTA:
		fsm_input(fs, PPP_TERM_ACK, 9, NULL, 0);
		break;
	case FSM_EV_RUC:
		fsm_input(fs, 0x42, 3, echo, sizeof(echo));
		break;
	case FSM_EV_RXJ_PLUS:
		/* A Code-Reject of Identification (RFC 1570 1.1: RXJ+). */
		memcpy(rej, "\x0c\x01\x00\x08\0\0\0\0", 8);
		fsm_input(fs, PPP_CODE_REJ, 4, rej, 8);
		break;
	case FSM_EV_RXJ_MINUS:
		/* A Code-Reject of Configure-Request (RFC 1661 4.3). */
		memcpy(rej, "\x01\x40\x00\x04", 4);
		fsm_input(fs, PPP_CODE_REJ, 4, rej, 4);
		break;
	case FSM_EV_RXR:
		fsm_input(fs, PPP_ECHO_REQ, 5, echo, sizeof(echo));
		break;
	}
}

/*
 * Every (state, event) pair of the RFC table: the visible actions, the
 * restart counter (irc/zrc), the next state and the restart timer.
 */
static void
test_transition_table(void)
{
	struct fake	 f;
	char		 want[128], got[128];
	int		 s, e, next, irc, zrc, bad = 0;
	unsigned int	 rc;

	for (e = 0; e < 16; e++) {
		for (s = 0; s < 10; s++) {
			next = parse_cell(rfc_table[e][s], want, sizeof(want),
			    &irc, &zrc);
			place(&f, s);
			inject(&f, e);
			canon(f.f_trace, got, sizeof(got));
			if (next == -1)
				next = s;	/* illegal: nothing happens */
			/* What the counter must be now. */
			rc = e == FSM_EV_TO_MINUS ? 0 : 3;
			if (irc)
				rc = strstr(want, "str") ? FSM_MAX_TERMINATE :
				    FSM_MAX_CONFIGURE;
			if (zrc)
				rc = 0;
			if ((strstr(want, "scr") || strstr(want, "str")) &&
			    rc > 0)
				rc--;
			if (strcmp(want, got) != 0 ||
			    (int)f.f_fsm.fs_state != next ||
			    f.f_fsm.fs_restart != rc ||
			    f.f_fsm.fs_timer_on != timer_state(next) ||
			    f.f_timer != timer_state(next)) {
				printf("# %s in state %d: want \"%s\"/%d "
				    "rc %u timer %d, got \"%s\"/%d rc %u "
				    "timer %d/%d\n", rfc_events[e], s, want,
				    next, rc, timer_state(next), got,
				    f.f_fsm.fs_state, f.f_fsm.fs_restart,
				    f.f_fsm.fs_timer_on, f.f_timer);
				bad++;
			}
		}
	}
	T_ASSERT(bad == 0);
}

/* The implementation options [p] and [r], when turned on. */
static void
test_options_p_r(void)
{
	struct fake	 f;
	int		 s;

	/* [p]: TO- in Req-Sent, Ack-Rcvd, Ack-Sent: Stopped, no tlf. */
	for (s = FSM_REQSENT; s <= FSM_ACKSENT; s++) {
		place(&f, s);
		f.f_fsm.fs_flags = FSM_F_PASSIVE;
		inject(&f, FSM_EV_TO_MINUS);
		T_ASSERT(f.f_fsm.fs_state == FSM_STOPPED);
		T_ASSERT(f.f_finishes == 0 && f.f_trace[0] == '\0');
	}
	/* [r]: Open in Opened renegotiates: tld, then irc,scr/6. */
	place(&f, FSM_OPENED);
	f.f_fsm.fs_flags = FSM_F_RESTART;
	inject(&f, FSM_EV_OPEN);
	T_ASSERT(strcmp(f.f_trace, "tld,scr") == 0);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT);
	T_ASSERT(f.f_fsm.fs_restart == FSM_MAX_CONFIGURE - 1);
	/* In Stopped: Down (tls/1) then Up (irc,scr/6). */
	place(&f, FSM_STOPPED);
	f.f_fsm.fs_flags = FSM_F_RESTART;
	inject(&f, FSM_EV_OPEN);
	T_ASSERT(strcmp(f.f_trace, "tls,scr") == 0);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT);
	/* Without the option, Open in Opened does nothing. */
	place(&f, FSM_OPENED);
	inject(&f, FSM_EV_OPEN);
	T_ASSERT(f.f_trace[0] == '\0' && f.f_fsm.fs_state == FSM_OPENED);
}

/* Delivers queued packets between two automatons until both are idle. */
static void
pump(struct fake *a, struct fake *b)
{
	struct sent	 q[MAXSENT];
	struct fake	*from, *to;
	int		 n, i, rounds, moved;

	for (rounds = 0; rounds < 50; rounds++) {
		moved = 0;
		for (i = 0; i < 2; i++) {
			from = i == 0 ? a : b;
			to = i == 0 ? b : a;
			n = from->f_nsent;
			memcpy(q, from->f_sent, sizeof(q[0]) * n);
			from->f_nsent = 0;
			for (int k = 0; k < n; k++)
				T_ASSERT(fsm_input_packet(&to->f_fsm,
				    q[k].s_buf, q[k].s_len) == 0);
			moved += n;
		}
		if (moved == 0)
			return;
	}
	T_ASSERT(0 && "no convergence");
}

static void
test_back_to_back(void)
{
	struct fake	 a, b;

	fake_init(&a);
	fake_init(&b);
	logbuf[0] = '\0';
	fsm_open(&a.f_fsm);
	fsm_open(&b.f_fsm);
	T_ASSERT(a.f_fsm.fs_state == FSM_STARTING && a.f_starts == 1);
	fsm_up(&a.f_fsm);
	fsm_up(&b.f_fsm);
	T_ASSERT(a.f_fsm.fs_state == FSM_REQSENT);
	pump(&a, &b);
	T_ASSERT(a.f_fsm.fs_state == FSM_OPENED);
	T_ASSERT(b.f_fsm.fs_state == FSM_OPENED);
	T_ASSERT(a.f_ups == 1 && b.f_ups == 1);
	T_ASSERT(!a.f_timer && !b.f_timer);
	/* set_state logged every change, in the documented form. */
	T_ASSERT(strstr(logbuf, "fake: Initial -> Starting") != NULL);
	T_ASSERT(strstr(logbuf, "fake: Starting -> Req-Sent") != NULL);
	T_ASSERT(strstr(logbuf, "fake: Ack-Sent -> Opened") != NULL ||
	    strstr(logbuf, "fake: Ack-Rcvd -> Opened") != NULL);

	/* Terminate exchange: a closes, b acks and waits, both finish. */
	fake_clear(&a);
	fake_clear(&b);
	fsm_close(&a.f_fsm, "admin");
	T_ASSERT(a.f_fsm.fs_state == FSM_CLOSING && a.f_downs == 1);
	T_ASSERT(a.f_nsent == 1 && a.f_sent[0].s_buf[0] == PPP_TERM_REQ);
	/* The reason rides in the Terminate-Request. */
	T_ASSERT(a.f_sent[0].s_len == 4 + 5 &&
	    memcmp(a.f_sent[0].s_buf + 4, "admin", 5) == 0);
	pump(&a, &b);
	T_ASSERT(a.f_fsm.fs_state == FSM_CLOSED && a.f_finishes == 1);
	/* b: RTR in Opened is tld,zrc,sta/5; its timer then runs out. */
	T_ASSERT(b.f_fsm.fs_state == FSM_STOPPING && b.f_downs == 1);
	T_ASSERT(b.f_fsm.fs_restart == 0 && b.f_timer);
	fire(&b);
	T_ASSERT(b.f_fsm.fs_state == FSM_STOPPED && b.f_finishes == 1);
	T_ASSERT(!b.f_timer);
	/* b re-opens when a does: Stopped answers a new request. */
	fake_clear(&a);
	fsm_open(&a.f_fsm);
	T_ASSERT(a.f_fsm.fs_state == FSM_REQSENT);
	pump(&a, &b);
	T_ASSERT(a.f_fsm.fs_state == FSM_OPENED);
	T_ASSERT(b.f_fsm.fs_state == FSM_OPENED);
	T_ASSERT(a.f_ups == 2 && b.f_ups == 2);
}

/* Nobody answers: 10 Configure-Requests, then TO- and tlf. */
static void
test_max_configure(void)
{
	struct fake	 f;
	int		 i, reqs = 0;

	fake_init(&f);
	fsm_up(&f.f_fsm);
	fsm_open(&f.f_fsm);
	T_ASSERT(f.f_timer && f.f_timer_ms == FSM_RESTART_MS);
	for (i = 0; i < 20 && f.f_fsm.fs_state == FSM_REQSENT; i++)
		fire(&f);
	for (i = 0; i < f.f_nsent; i++)
		if (f.f_sent[i].s_buf[0] == PPP_CONF_REQ)
			reqs++;
	T_ASSERT(reqs == FSM_MAX_CONFIGURE);
	T_ASSERT(f.f_fsm.fs_state == FSM_STOPPED);
	T_ASSERT(f.f_finishes == 1 && !f.f_timer);
	/* Each retransmission carries a fresh identifier. */
	T_ASSERT(f.f_sent[0].s_buf[1] != f.f_sent[1].s_buf[1]);
	/* A configured smaller Max-Configure is honoured. */
	fake_init(&f);
	f.f_fsm.fs_max_configure = 3;
	fsm_up(&f.f_fsm);
	fsm_open(&f.f_fsm);
	for (i = 0; i < 20 && f.f_fsm.fs_state == FSM_REQSENT; i++)
		fire(&f);
	T_ASSERT(f.f_nsent == 3 && f.f_fsm.fs_state == FSM_STOPPED);
}

/* Close with no answer: Max-Terminate Terminate-Requests, then Closed. */
static void
test_max_terminate(void)
{
	struct fake	 f;
	int		 i;

	place(&f, FSM_OPENED);
	f.f_timer = 0;
	fsm_close(&f.f_fsm, NULL);
	for (i = 0; i < 10 && f.f_fsm.fs_state == FSM_CLOSING; i++)
		fire(&f);
	T_ASSERT(f.f_nsent == FSM_MAX_TERMINATE);
	T_ASSERT(f.f_fsm.fs_state == FSM_CLOSED && f.f_finishes == 1);
	/* A stale timer after that changes nothing. */
	fire(&f);
	T_ASSERT(f.f_fsm.fs_state == FSM_CLOSED && f.f_nsent == 2);
}

/* RFC 1661 5.2: wrong identifier or options: silently discarded. */
static void
test_wrong_id_ack(void)
{
	struct fake	 f;
	uint8_t		 other[sizeof(our_opts)];
	uint8_t		 id;

	fake_init(&f);
	fsm_up(&f.f_fsm);
	fsm_open(&f.f_fsm);
	id = f.f_sent[0].s_buf[1];
	fake_clear(&f);
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id + 1, our_opts,
	    sizeof(our_opts));
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT && f.f_trace[0] == '\0');
	fsm_input(&f.f_fsm, PPP_CONF_NAK, id - 1, NULL, 0);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT && f.f_trace[0] == '\0');
	/* Right identifier, options not those we sent. */
	memcpy(other, our_opts, sizeof(other));
	other[3] ^= 1;
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id, other, sizeof(other));
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT);
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id, our_opts, 4);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT);
	/* A Reject the owner finds invalid (RFC 1661 5.4). */
	f.f_rej_invalid = 1;
	fsm_input(&f.f_fsm, PPP_CONF_REJ, id, our_opts, 4);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT && f.f_trace[0] == '\0');
	/* Malformed options (length 1, past the end): dropped. */
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id, (const uint8_t *)"\x01\x01",
	    2);
	fsm_input(&f.f_fsm, PPP_CONF_NAK, id, (const uint8_t *)"\x01\x08\0",
	    3);
	T_ASSERT(f.f_fsm.fs_state == FSM_REQSENT && f.f_trace[0] == '\0');
	/* The right one is taken... */
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id, our_opts, sizeof(our_opts));
	T_ASSERT(f.f_fsm.fs_state == FSM_ACKRCVD);
	/* ...and a duplicate of it is stale, not a crossed connection. */
	fsm_input(&f.f_fsm, PPP_CONF_ACK, id, our_opts, sizeof(our_opts));
	T_ASSERT(f.f_fsm.fs_state == FSM_ACKRCVD && f.f_trace[0] == '\0');
}

/* A malformed Configure-Request gets no answer at all. */
static void
test_bad_request_dropped(void)
{
	struct fake	 f;

	place(&f, FSM_REQSENT);
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 1, (const uint8_t *)"\x01\x00", 2);
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 1, (const uint8_t *)"\x01\x04\x05",
	    3);
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 1, (const uint8_t *)"\x07", 1);
	T_ASSERT(f.f_nsent == 0 && f.f_fsm.fs_state == FSM_REQSENT);
	/* A bad header through fsm_input_packet. */
	T_ASSERT(fsm_input_packet(&f.f_fsm, (const uint8_t *)"\x01\x01\x00",
	    3) == -1);
	T_ASSERT(fsm_input_packet(&f.f_fsm,
	    (const uint8_t *)"\x01\x01\x00\x03", 4) == -1);
	T_ASSERT(fsm_input_packet(&f.f_fsm,
	    (const uint8_t *)"\x01\x01\x00\x09\x01\x04", 6) == -1);
	T_ASSERT(f.f_nsent == 0);
	/* Padding after Length is ignored (RFC 1661 5). */
	T_ASSERT(fsm_input_packet(&f.f_fsm,
	    (const uint8_t *)"\x01\x01\x00\x04\xff\xff", 6) == 0);
	T_ASSERT(f.f_nsent == 1 && f.f_sent[0].s_buf[0] == PPP_CONF_ACK &&
	    f.f_sent[0].s_len == 4);
}

/* The Ack echoes the request; the Nak carries the owner's options. */
static void
test_replies(void)
{
	struct fake	 f;
	static const uint8_t	 req[] = { 1, 4, 0x05, 0xd4, 7, 2 };

	place(&f, FSM_REQSENT);
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 0x99, req, sizeof(req));
	T_ASSERT_RET(f.f_nsent == 1);
	T_ASSERT(f.f_sent[0].s_len == 4 + sizeof(req));
	T_ASSERT(memcmp(f.f_sent[0].s_buf, "\x02\x99\x00\x0a", 4) == 0);
	T_ASSERT(memcmp(f.f_sent[0].s_buf + 4, req, sizeof(req)) == 0);
	place(&f, FSM_REQSENT);
	f.f_verdict = PPP_CONF_REJ;
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 0x98, req, sizeof(req));
	T_ASSERT(f.f_sent[0].s_buf[0] == PPP_CONF_REJ &&
	    f.f_sent[0].s_buf[1] == 0x98 && f.f_sent[0].s_len == 10);
	/* Terminate-Ack copies the Terminate-Request's identifier. */
	place(&f, FSM_REQSENT);
	fsm_input(&f.f_fsm, PPP_TERM_REQ, 0x77, NULL, 0);
	T_ASSERT(memcmp(f.f_sent[0].s_buf, "\x06\x77\x00\x04", 4) == 0);
}

/* RFC 1661 4.6 Max-Failure: after 5 Naks, the owner is told to Reject. */
static void
test_max_failure(void)
{
	struct fake	 f;
	static const uint8_t	 req[] = { 1, 4, 0x05, 0xd4 };
	int		 i, naks = 0, rejs = 0;

	place(&f, FSM_REQSENT);
	f.f_verdict = PPP_CONF_NAK;
	for (i = 0; i < 8; i++) {
		fsm_input(&f.f_fsm, PPP_CONF_REQ, (uint8_t)i, req,
		    sizeof(req));
		T_ASSERT(f.f_last_nak_ok == (i < FSM_MAX_FAILURE));
	}
	for (i = 0; i < f.f_nsent; i++) {
		naks += f.f_sent[i].s_buf[0] == PPP_CONF_NAK;
		rejs += f.f_sent[i].s_buf[0] == PPP_CONF_REJ;
	}
	T_ASSERT(naks == FSM_MAX_FAILURE && rejs == 3);
	/* An Ack sent resets the count. */
	f.f_verdict = PPP_CONF_ACK;
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 20, req, sizeof(req));
	f.f_verdict = PPP_CONF_NAK;
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 21, req, sizeof(req));
	T_ASSERT(f.f_last_nak_ok == 1);
}

/* Code-Reject: of a code we need is RXJ-, of an extension is RXJ+. */
static void
test_code_reject(void)
{
	struct fake	 f;

	place(&f, FSM_OPENED);
	f.f_timer = 0;
	fsm_input(&f.f_fsm, PPP_CODE_REJ, 1,
	    (const uint8_t *)"\x05\x03\x00\x04", 4);	/* Terminate-Request */
	T_ASSERT(f.f_fsm.fs_state == FSM_STOPPING);
	T_ASSERT(strcmp(f.f_trace, "tld,str") == 0);
	T_ASSERT(f.f_fsm.fs_restart == FSM_MAX_TERMINATE - 1);

	place(&f, FSM_ACKSENT);
	fsm_input(&f.f_fsm, PPP_CODE_REJ, 1, (const uint8_t *)"\x01", 1);
	T_ASSERT(f.f_fsm.fs_state == FSM_STOPPED && f.f_finishes == 1);

	/* Echo-Request rejected: the peer lacks it, nothing fatal. */
	place(&f, FSM_OPENED);
	fsm_input(&f.f_fsm, PPP_CODE_REJ, 1,
	    (const uint8_t *)"\x09\x03\x00\x08\0\0\0\0", 8);
	T_ASSERT(f.f_fsm.fs_state == FSM_OPENED && f.f_trace[0] == '\0');
	/* An empty Code-Reject says nothing: dropped. */
	fsm_input(&f.f_fsm, PPP_CODE_REJ, 1, NULL, 0);
	T_ASSERT(f.f_fsm.fs_state == FSM_OPENED && f.f_nsent == 0);
	/* Protocol-Reject via the owner: RXJ+ here. */
	fsm_input(&f.f_fsm, PPP_PROTO_REJ, 1,
	    (const uint8_t *)"\x80\x57\x01", 3);
	T_ASSERT(f.f_fsm.fs_state == FSM_OPENED && f.f_nsent == 0);
}

/* RUC: Code-Reject with the packet as received, cut to the MRU. */
static void
test_unknown_code(void)
{
	struct fake	 f;
	uint8_t		 data[200];

	memset(data, 0xab, sizeof(data));
	place(&f, FSM_OPENED);
	fsm_input(&f.f_fsm, 0x42, 0x33, data, 10);
	T_ASSERT_RET(f.f_nsent == 1);
	T_ASSERT(f.f_sent[0].s_buf[0] == PPP_CODE_REJ);
	T_ASSERT(f.f_sent[0].s_len == 4 + 4 + 10);
	T_ASSERT(memcmp(f.f_sent[0].s_buf + 4, "\x42\x33\x00\x0e", 4) == 0);
	T_ASSERT(f.f_sent[0].s_buf[8] == 0xab);
	/* Truncated to the peer's MRU. */
	place(&f, FSM_OPENED);
	f.f_fsm.fs_peer_mru = 64;
	fsm_input(&f.f_fsm, 0x42, 0x34, data, sizeof(data));
	T_ASSERT(f.f_sent[0].s_len == 64);
	T_ASSERT(f.f_sent[0].s_buf[2] == 0 && f.f_sent[0].s_buf[3] == 64);
	/* An NCP (no extension codes): Echo-Request is RUC too. */
	place(&f, FSM_OPENED);
	{
		struct fsm_callbacks	 cb = fake_cb;

		cb.fc_extcode = NULL;
		f.f_fsm.fs_cb = &cb;
		fsm_input(&f.f_fsm, PPP_ECHO_REQ, 1,
		    (const uint8_t *)"\0\0\0\0", 4);
		T_ASSERT(f.f_nsent == 1 &&
		    f.f_sent[0].s_buf[0] == PPP_CODE_REJ);
		f.f_fsm.fs_cb = &fake_cb;
	}
	/* The owner may drop a packet outright. */
	place(&f, FSM_OPENED);
	fsm_input(&f.f_fsm, 200, 1, NULL, 0);
	T_ASSERT(f.f_nsent == 0 && f.f_trace[0] == '\0');
	/* Only an Echo-Request is answered (ser), not a Reply or Discard. */
	place(&f, FSM_OPENED);
	fsm_input(&f.f_fsm, PPP_ECHO_REPLY, 1, (const uint8_t *)"\0\0\0\0",
	    4);
	fsm_input(&f.f_fsm, PPP_DISC_REQ, 1, (const uint8_t *)"\0\0\0\0", 4);
	T_ASSERT(f.f_trace[0] == '\0');
}

/* Packets with the lower layer down are dropped without a sound. */
static void
test_input_when_down(void)
{
	struct fake	 f;

	fake_init(&f);
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 1, NULL, 0);
	fsm_input(&f.f_fsm, 0x42, 1, NULL, 0);
	T_ASSERT(f.f_nsent == 0 && f.f_fsm.fs_state == FSM_INITIAL);
	fsm_open(&f.f_fsm);
	fsm_input(&f.f_fsm, PPP_TERM_REQ, 1, NULL, 0);
	T_ASSERT(f.f_nsent == 0 && f.f_fsm.fs_state == FSM_STARTING);
}

/* fc_reset marks every fresh negotiation, not retransmissions. */
static void
test_reset_callback(void)
{
	struct fake	 f;

	fake_init(&f);
	fsm_up(&f.f_fsm);
	fsm_open(&f.f_fsm);
	T_ASSERT(f.f_resets == 1);
	fire(&f);
	T_ASSERT(f.f_resets == 1);
	/* A Nak (irc,scr/6) keeps what fc_recv_nak just learnt. */
	fsm_input(&f.f_fsm, PPP_CONF_NAK, f.f_fsm.fs_reqid, NULL, 0);
	T_ASSERT(f.f_resets == 1 && f.f_fsm.fs_state == FSM_REQSENT);
	/* Stopped, then a request from the peer: afresh. */
	place(&f, FSM_STOPPED);
	inject(&f, FSM_EV_RCR_PLUS);
	T_ASSERT(f.f_resets == 1 && f.f_fsm.fs_state == FSM_ACKSENT);
	/* Max-Failure counts across the peer's Naks too. */
	place(&f, FSM_REQSENT);
	f.f_verdict = PPP_CONF_NAK;
	fsm_input(&f.f_fsm, PPP_CONF_REQ, 1, NULL, 0);
	fsm_input(&f.f_fsm, PPP_CONF_NAK, f.f_fsm.fs_reqid, NULL, 0);
	T_ASSERT(f.f_fsm.fs_naks == 1);
}

static void
test_names(void)
{
	T_ASSERT(strcmp(fsm_state_name(FSM_ACKRCVD), "Ack-Rcvd") == 0);
	T_ASSERT(strcmp(fsm_state_name(FSM_NSTATES), "unknown") == 0);
	T_ASSERT(strcmp(fsm_event_name(FSM_EV_RXJ_MINUS), "RXJ-") == 0);
	T_ASSERT(strcmp(fsm_event_name(FSM_NEVENTS), "unknown") == 0);
}

int
main(void)
{
	log_init("test", 1, 2);
	log_set_sink(log_capture);
	T_RUN(test_transition_table);
	T_RUN(test_options_p_r);
	T_RUN(test_back_to_back);
	T_RUN(test_max_configure);
	T_RUN(test_max_terminate);
	T_RUN(test_wrong_id_ack);
	T_RUN(test_bad_request_dropped);
	T_RUN(test_replies);
	T_RUN(test_max_failure);
	T_RUN(test_code_reject);
	T_RUN(test_unknown_code);
	T_RUN(test_input_when_down);
	T_RUN(test_reset_callback);
	T_RUN(test_names);
	return (T_DONE());
}
