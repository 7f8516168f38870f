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


#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/pool.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"
#include "ppp/users.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Our PPP peer against our PPP authenticator over a test transport: two
 * sessions whose so_send feeds the other's ppp_session_input() through
 * one FIFO that the test pumps, with every timer on a fake clock that
 * jumps to the next deadline when no frame is in flight.  No sleeps.
 */

#define SRV_NAME	"l2tpsecd"
#define PW_ALICE	"wonderland-pw"
#define PW_BOB		"bob-pw-42"
#define PW_CAROL	"carol-pw-7"
#define PW_DAVE		"dave-pw-9"
#define PW_WRONG	"not-the-pw"

static const char users_text[] =
    "# client\tserver\t\tsecret\t\t\taddresses\n"
    "alice\t" SRV_NAME "\t\"" PW_ALICE "\"\t*\n"
    "bob\t*\t\t" PW_BOB "\t\t10.2.0.50\n"
    "carol\totherhost\t" PW_CAROL "\t*\n"
    "dave\t" SRV_NAME "\t" PW_DAVE "\t-\n";

static const char *const secrets[] = {
	PW_ALICE, PW_BOB, PW_CAROL, PW_DAVE, PW_WRONG
};

/* Every log line of the whole run, to look for secrets at the end. */
#define MAX_LINES	20000
static char		*lines[MAX_LINES];
static size_t		 nlines, test_first_line;
static int		 secret_logged;

static void
capture(int pri, const char *line)
{
	size_t	 i;

	(void)pri;
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		if (strstr(line, secrets[i]) != NULL) {
			printf("# secret in log: %s\n", line);
			secret_logged = 1;
		}
	if (nlines < MAX_LINES && (lines[nlines] = strdup(line)) != NULL)
		nlines++;
	if (getenv("TEST_VERBOSE") != NULL)
		printf("# log: %s\n", line);
}

/* A line of the current test containing every one of the strings. */
static int
logged(const char *a, const char *b)
{
	size_t	 i;

	for (i = test_first_line; i < nlines; i++)
		if (strstr(lines[i], a) != NULL &&
		    (b == NULL || strstr(lines[i], b) != NULL))
			return (1);
	printf("# not logged: \"%s\"%s%s%s\n", a, b ? " with \"" : "",
	    b ? b : "", b ? "\"" : "");
	return (0);
}

/* The transport. */

#define MAX_SENT	256
#define FRAME_MAX	1600
#define KEEP_MAX	128	/* of each frame sent, for the asserts */

struct frame {
	uint16_t	 f_proto;
	uint8_t		 f_buf[KEEP_MAX];
	size_t		 f_len;		/* the whole frame's */
};

struct end {
	const char		*e_name;
	struct ppp_session	*e_s;
	struct end		*e_other;
	int64_t			 e_due[PPP_TIMER_COUNT];	/* -1: off */
	int			 e_up;
	struct ppp_up_info	 e_ui;
	char			 e_ui_user[PPP_NAME_MAX + 1];
	int			 e_down;
	char			 e_reason[PPP_REASON_MAX];
	int64_t			 e_down_at;
	int			 e_auth_n;
	int			 e_auth_ok;
	enum conf_auth		 e_auth_method;
	char			 e_auth_user[PPP_NAME_MAX + 1];
	char			 e_auth_reason[PPP_REASON_MAX];
	int			 e_mute;	/* what it sends is lost */
	/* Every frame it sent (whether delivered or not). */
	struct frame		 e_sent[MAX_SENT];
	size_t			 e_nsent;
};

#define QMAX	1024
static struct {
	struct end	*q_to;
	uint8_t		 q_buf[FRAME_MAX + 4];
	size_t		 q_len;
} queue[QMAX];
static size_t		 qhead, qtail;
static int64_t		 now_ms;
static int		 drop_first;	/* frames still to lose */
/* Changes a frame in flight (from, proto, payload); may be NULL. */
static void		(*tamper)(struct end *, uint16_t, uint8_t *, size_t);
/* Loses a frame in flight when it returns 1; may be NULL. */
static int		(*dropper)(struct end *, uint16_t, const uint8_t *,
			    size_t);

static void
net_reset(void)
{
	qhead = qtail = 0;
	now_ms = 0;
	drop_first = 0;
	tamper = NULL;
	dropper = NULL;
	test_first_line = nlines;
}

static void
t_send(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct end	*e = arg;
	struct frame	*f;
	size_t		 i;

	if (len > FRAME_MAX) {
		printf("# %s: frame of %zu octets\n", e->e_name, len);
		t_cur_failed = 1;
		return;
	}
	if (e->e_nsent < MAX_SENT) {
		f = &e->e_sent[e->e_nsent++];
		f->f_proto = proto;
		memcpy(f->f_buf, buf, len < KEEP_MAX ? len : KEEP_MAX);
		f->f_len = len;
	}
	if (e->e_mute || e->e_other == NULL)
		return;
	if (drop_first > 0) {
		drop_first--;
		return;
	}
	if (dropper != NULL && dropper(e, proto, buf, len))
		return;
	if ((qtail + 1) % QMAX == qhead) {
		printf("# queue full\n");
		t_cur_failed = 1;
		return;
	}
	i = qtail;
	qtail = (qtail + 1) % QMAX;
	queue[i].q_to = e->e_other;
	/* With Address and Control in front, as L2TP peers send it. */
	queue[i].q_buf[0] = PPP_ALLSTATIONS;
	queue[i].q_buf[1] = PPP_UI;
	queue[i].q_buf[2] = proto >> 8;
	queue[i].q_buf[3] = proto & 0xff;
	memcpy(queue[i].q_buf + 4, buf, len);
	queue[i].q_len = len + 4;
	if (tamper != NULL)
		tamper(e, proto, queue[i].q_buf + 4, len);
}

static void
t_timer_start(void *arg, enum ppp_timer t, unsigned int ms)
{
	struct end	*e = arg;

	e->e_due[t] = now_ms + ms;
}

static void
t_timer_stop(void *arg, enum ppp_timer t)
{
	struct end	*e = arg;

	e->e_due[t] = -1;
}

static void
t_up(void *arg, const struct ppp_up_info *ui)
{
	struct end	*e = arg;

	e->e_up++;
	e->e_ui = *ui;
	(void)strlcpy(e->e_ui_user, ui->ui_user, sizeof(e->e_ui_user));
	e->e_ui.ui_user = e->e_ui_user;
}

/* The owner frees the session from inside so_down, as allowed. */
static void
t_down(void *arg, const char *reason)
{
	struct end	*e = arg;
	int		 t;

	e->e_down++;
	e->e_down_at = now_ms;
	(void)strlcpy(e->e_reason, reason, sizeof(e->e_reason));
	for (t = 0; t < PPP_TIMER_COUNT; t++)
		if (e->e_due[t] != -1) {
			printf("# %s: timer %d still running at down\n",
			    e->e_name, t);
			t_cur_failed = 1;
		}
	ppp_session_free(e->e_s);
	e->e_s = NULL;
}

static void
t_auth_result(void *arg, const char *user, enum conf_auth m, int ok,
    const char *reason)
{
	struct end	*e = arg;

	e->e_auth_n++;
	e->e_auth_ok = ok;
	e->e_auth_method = m;
	(void)strlcpy(e->e_auth_user, user, sizeof(e->e_auth_user));
	(void)strlcpy(e->e_auth_reason, reason != NULL ? reason : "",
	    sizeof(e->e_auth_reason));
}

static const struct ppp_session_ops t_ops = {
	.so_send = t_send,
	.so_timer_start = t_timer_start,
	.so_timer_stop = t_timer_stop,
	.so_up = t_up,
	.so_down = t_down,
	.so_auth_result = t_auth_result,
};

/* One step: a frame if one is in flight, else the next timer. */
static int
step(struct end **ends, size_t n, int64_t limit)
{
	struct end	*to, *e;
	size_t		 i, h;
	int		 t, bt = -1;
	int64_t		 best = -1;

	if (qhead != qtail) {
		h = qhead;
		qhead = (qhead + 1) % QMAX;
		to = queue[h].q_to;
		if (to->e_s != NULL)
			ppp_session_input(to->e_s, queue[h].q_buf,
			    queue[h].q_len);
		return (1);
	}
	e = NULL;
	for (i = 0; i < n; i++) {
		if (ends[i]->e_s == NULL)
			continue;
		for (t = 0; t < PPP_TIMER_COUNT; t++)
			if (ends[i]->e_due[t] != -1 &&
			    (best == -1 || ends[i]->e_due[t] < best)) {
				best = ends[i]->e_due[t];
				e = ends[i];
				bt = t;
			}
	}
	if (e == NULL || best > limit)
		return (0);
	if (best > now_ms)
		now_ms = best;
	e->e_due[bt] = -1;
	ppp_session_timeout(e->e_s, (enum ppp_timer)bt);
	return (1);
}

/* Pumps until cond holds or nothing is left before now + ms. */
static void
run(struct end *a, struct end *b, int (*cond)(struct end *, struct end *),
    int64_t ms)
{
	struct end	*ends[2] = { a, b };
	int64_t		 limit = now_ms + ms;
	int		 n = 0;

	while ((cond == NULL || !cond(a, b)) && step(ends, 2, limit)) {
		if (++n > 200000) {
			printf("# run: no end in sight\n");
			t_cur_failed = 1;
			break;
		}
	}
	/* The clock moves on to the limit when nothing happened. */
	if (cond == NULL && now_ms < limit)
		now_ms = limit;
}

static int
both_up(struct end *a, struct end *b)
{
	return (a->e_up && b->e_up);
}

static int
both_down(struct end *a, struct end *b)
{
	return (a->e_down && b->e_down);
}

static struct in_addr
A(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return (a);
}

/* The fixtures. */

static struct users_db	*db;

static struct pool *
new_pool(const char *start, const char *end)
{
	struct in_addr	 statics[16];
	size_t		 n;

	n = users_static_addrs(db, statics, 16);
	return (pool_init(A(start), A(end), A("10.2.0.1"), statics, n));
}

static void
srv_params(struct ppp_session_params *p, struct pool *pool, uint32_t id,
    const enum conf_auth *auth, size_t nauth)
{
	ppp_session_params_init(p, PPP_ROLE_SERVER);
	p->sp_id = id;
	p->sp_peer = "192.0.2.2:1701";
	p->sp_name = SRV_NAME;
	p->sp_local = A("10.2.0.1");
	p->sp_dns[0] = A("192.0.2.53");
	p->sp_dns[1] = A("192.0.2.54");
	p->sp_ndns = 2;
	p->sp_wins[0] = A("192.0.2.137");
	p->sp_nwins = 1;
	p->sp_users = db;
	p->sp_pool = pool;
	if (nauth > 0)
		memcpy(p->sp_auth, auth, nauth * sizeof(*auth));
	p->sp_nauth = nauth;
}

static void
cli_params(struct ppp_session_params *p, uint32_t id, const char *user,
    const char *pw, const enum conf_auth *auth, size_t nauth)
{
	ppp_session_params_init(p, PPP_ROLE_CLIENT);
	p->sp_id = id;
	p->sp_peer = "198.51.100.1:1701";
	p->sp_user = user;
	p->sp_password = (const uint8_t *)pw;
	p->sp_password_len = strlen(pw);
	if (nauth > 0)
		memcpy(p->sp_auth, auth, nauth * sizeof(*auth));
	p->sp_nauth = nauth;
}

static int
end_new(struct end *e, const char *name, const struct ppp_session_params *p)
{
	int	 t;

	memset(e, 0, sizeof(*e));
	e->e_name = name;
	for (t = 0; t < PPP_TIMER_COUNT; t++)
		e->e_due[t] = -1;
	e->e_s = ppp_session_new(p, &t_ops, e);
	return (e->e_s != NULL ? 0 : -1);
}

static void
end_free(struct end *e)
{
	ppp_session_free(e->e_s);
	e->e_s = NULL;
}

static void
link_ends(struct end *a, struct end *b)
{
	a->e_other = b;
	b->e_other = a;
	ppp_session_start(a->e_s, now_ms / 1000);
	ppp_session_start(b->e_s, now_ms / 1000);
}

/* A server with the given methods and a client with its own list. */
static int
pair_new(struct end *srv, struct end *cli, struct pool *pool,
    const enum conf_auth *sauth, size_t ns, const char *user, const char *pw,
    const enum conf_auth *cauth, size_t nc)
{
	struct ppp_session_params	 p;

	srv_params(&p, pool, 1, sauth, ns);
	if (end_new(srv, "server", &p) == -1)
		return (-1);
	cli_params(&p, 101, user, pw, cauth, nc);
	if (end_new(cli, "client", &p) == -1)
		return (-1);
	link_ends(srv, cli);
	return (0);
}

/* The last frame of proto an end sent, NULL if none. */
static const struct frame *
last_sent(const struct end *e, uint16_t proto)
{
	size_t	 i;

	for (i = e->e_nsent; i > 0; i--)
		if (e->e_sent[i - 1].f_proto == proto)
			return (&e->e_sent[i - 1]);
	return (NULL);
}

/* Any frame of proto with this code sent? */
static const struct frame *
find_sent(const struct end *e, uint16_t proto, uint8_t code)
{
	size_t	 i;

	for (i = 0; i < e->e_nsent; i++)
		if (e->e_sent[i].f_proto == proto &&
		    e->e_sent[i].f_len >= PPP_CP_HDRLEN &&
		    e->e_sent[i].f_buf[0] == code)
			return (&e->e_sent[i]);
	return (NULL);
}

static int
in_pool_range(struct in_addr a)
{
	uint32_t	 h = ntohl(a.s_addr);

	return (h >= ntohl(A("10.2.0.100").s_addr) &&
	    h <= ntohl(A("10.2.0.109").s_addr));
}

/* The tests. */

/*
 * LCP, then authentication with the one method the server allows, then
 * IPCP: both ends up with matching addresses and name servers, the
 * address back in the pool after the session ends.
 */
static void
up_with(enum conf_auth m, const char *user)
{
	struct end		 srv, cli;
	struct pool		*pool;
	const struct frame	*f;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, user, PW_ALICE, NULL,
	    0) == 0);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
	T_ASSERT(srv.e_down == 0 && cli.e_down == 0);
	/* Only the negotiated protocol went out for authentication. */
	T_ASSERT(last_sent(&srv, m == CONF_AUTH_PAP ? PPP_PROTO_CHAP :
	    PPP_PROTO_PAP) == NULL);
	T_ASSERT(srv.e_ui.ui_auth == m && cli.e_ui.ui_auth == m);
	T_ASSERT(strcmp(srv.e_ui.ui_user, user) == 0);
	T_ASSERT(strcmp(cli.e_ui.ui_user, user) == 0);
	T_ASSERT(in_pool_range(cli.e_ui.ui_local));
	T_ASSERT(cli.e_ui.ui_local.s_addr == srv.e_ui.ui_peer.s_addr);
	T_ASSERT(cli.e_ui.ui_peer.s_addr == A("10.2.0.1").s_addr);
	T_ASSERT(srv.e_ui.ui_local.s_addr == A("10.2.0.1").s_addr);
	T_ASSERT(cli.e_ui.ui_dns[0].s_addr == A("192.0.2.53").s_addr);
	T_ASSERT(cli.e_ui.ui_dns[1].s_addr == A("192.0.2.54").s_addr);
	T_ASSERT(cli.e_ui.ui_wins[0].s_addr == A("192.0.2.137").s_addr);
	T_ASSERT(cli.e_ui.ui_wins[1].s_addr == 0);
	T_ASSERT(srv.e_ui.ui_dns[0].s_addr == A("192.0.2.53").s_addr);
	T_ASSERT(srv.e_ui.ui_static == 0);
	T_ASSERT(srv.e_ui.ui_mtu == 1500 && cli.e_ui.ui_mtu == 1500);
	T_ASSERT(srv.e_auth_n == 1 && srv.e_auth_ok == 1 &&
	    srv.e_auth_method == m && strcmp(srv.e_auth_user, user) == 0);
	T_ASSERT(cli.e_auth_n == 1 && cli.e_auth_ok == 1);
	T_ASSERT(pool_in_use(pool) == 1);
	T_ASSERT(pool_owner(pool, cli.e_ui.ui_local) == 1);
	T_ASSERT(logged("session 1 192.0.2.2:1701: up: user", user));
	T_ASSERT(srv.e_s != NULL && ppp_session_is_up(srv.e_s));
	if (srv.e_s != NULL) {
		T_ASSERT(strcmp(ppp_session_phase_name(srv.e_s), "Network") ==
		    0);
		T_ASSERT(strcmp(ppp_session_user(srv.e_s), user) == 0);
		T_ASSERT(ppp_session_addr(srv.e_s).s_addr ==
		    cli.e_ui.ui_local.s_addr);
		T_ASSERT(strcmp(ppp_session_lcp_state(srv.e_s), "Opened") == 0);
		T_ASSERT(ppp_session_auth(srv.e_s) == m);
	}
	/* MS-CHAPv2: the Success carries "S=<40 hex> M=Access granted". */
	if (m == CONF_AUTH_MSCHAPV2) {
		f = find_sent(&srv, PPP_PROTO_CHAP, CHAP_SUCCESS);
		T_ASSERT(f != NULL && f->f_len == 4 + 42 + 17 &&
		    memcmp(f->f_buf + 4, "S=", 2) == 0 &&
		    memcmp(f->f_buf + 46, " M=Access granted", 17) == 0);
	}
	/* Quiet for a long while: the echoes keep it up. */
	run(&srv, &cli, NULL, 600000);
	T_ASSERT(srv.e_down == 0 && cli.e_down == 0);
	T_ASSERT(find_sent(&srv, PPP_PROTO_LCP, PPP_ECHO_REQ) != NULL);
	T_ASSERT(find_sent(&cli, PPP_PROTO_LCP, PPP_ECHO_REPLY) != NULL);

	ppp_session_close(cli.e_s, "user hung up");
	run(&srv, &cli, both_down, 60000);
	T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
	T_ASSERT(strcmp(cli.e_reason, "user hung up") == 0);
	T_ASSERT(strcmp(srv.e_reason, "peer terminated the link: user hung "
	    "up") == 0);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

static void
test_up_pap(void)
{
	up_with(CONF_AUTH_PAP, "alice");
}

static void
test_up_chap_md5(void)
{
	up_with(CONF_AUTH_CHAP, "alice");
}

static void
test_up_mschapv2(void)
{
	up_with(CONF_AUTH_MSCHAPV2, "alice");
}

/* RFC 2759 4: the DOMAIN\ part is not hashed or looked up, but shown. */
static void
test_up_mschapv2_domain(void)
{
	up_with(CONF_AUTH_MSCHAPV2, "CORP\\alice");
	T_ASSERT(logged("user \"CORP\\alice\" authenticated with MS-CHAPv2",
	    NULL));
}

/* bob's own address from chap-secrets, not one from the pool. */
static void
test_static_address(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 m = CONF_AUTH_MSCHAPV2;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "bob", PW_BOB, NULL,
	    0) == 0);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
	T_ASSERT(cli.e_ui.ui_local.s_addr == A("10.2.0.50").s_addr);
	T_ASSERT(srv.e_ui.ui_peer.s_addr == A("10.2.0.50").s_addr);
	T_ASSERT(srv.e_ui.ui_static == 1);
	T_ASSERT(pool_owner(pool, A("10.2.0.50")) == 1);
	T_ASSERT(pool_available(pool) == 10);	/* .50 is outside */
	ppp_session_close(srv.e_s, "disconnect by admin");
	run(&srv, &cli, both_down, 60000);
	T_ASSERT(pool_owner(pool, A("10.2.0.50")) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/*
 * RFC 1661 6.2: the server asks for its first method; the client Naks
 * what it will not do; the server moves on down its list.
 */
static void
fallback(const enum conf_auth *sauth, size_t ns, const enum conf_auth *cauth,
    size_t nc, enum conf_auth want)
{
	struct end	 srv, cli;
	struct pool	*pool;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, sauth, ns, "alice", PW_ALICE,
	    cauth, nc) == 0);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
	T_ASSERT(srv.e_ui.ui_auth == want && cli.e_ui.ui_auth == want);
	T_ASSERT(find_sent(&cli, PPP_PROTO_LCP, PPP_CONF_NAK) != NULL);
	T_ASSERT(logged("peer refused MS-CHAPv2", NULL));
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

static void
test_auth_fallback(void)
{
	const enum conf_auth	 all[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP,
	    CONF_AUTH_PAP };
	const enum conf_auth	 nomsv2[] = { CONF_AUTH_CHAP, CONF_AUTH_PAP };
	const enum conf_auth	 msv2pap[] = { CONF_AUTH_MSCHAPV2,
	    CONF_AUTH_PAP };
	const enum conf_auth	 paponly[] = { CONF_AUTH_PAP };

	/* The client suggests CHAP-MD5, which the server has. */
	fallback(all, 3, nomsv2, 2, CONF_AUTH_CHAP);
	/* The client suggests CHAP-MD5, not on the list: next is PAP. */
	fallback(msv2pap, 2, nomsv2, 2, CONF_AUTH_PAP);
	fallback(msv2pap, 2, paponly, 1, CONF_AUTH_PAP);
}

/* Nothing in common: both ends go down, the reason says so. */
static void
test_auth_no_common_method(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	const enum conf_auth sauth[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP };
	enum conf_auth	 cauth = CONF_AUTH_PAP;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, sauth, 2, "alice", PW_ALICE,
	    &cauth, 1) == 0);
	run(&srv, &cli, both_down, 120000);
	T_ASSERT(srv.e_up == 0 && cli.e_up == 0);
	T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "peer refused every authentication "
	    "method we offer (MS-CHAPv2, CHAP-MD5)") == 0);
	T_ASSERT(strcmp(cli.e_reason, "peer terminated the link: No common "
	    "authentication protocol") == 0);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/*
 * A failed login: the client gets the method's failure (E=691 R=0 for
 * MS-CHAPv2), the audit hook gets user and reason, both ends go down.
 */
static void
login_fails(enum conf_auth m, const char *user, const char *pw,
    const char *reason)
{
	struct end		 srv, cli;
	struct pool		*pool;
	const struct frame	*f;
	char			 want[256];

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, user, pw, NULL,
	    0) == 0);
	run(&srv, &cli, both_down, 120000);
	T_ASSERT(srv.e_up == 0 && cli.e_up == 0);
	T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
	T_ASSERT(srv.e_auth_n == 1 && srv.e_auth_ok == 0);
	T_ASSERT(strcmp(srv.e_auth_user, user) == 0);
	T_ASSERT(strcmp(srv.e_auth_reason, reason) == 0);
	T_ASSERT(cli.e_auth_n == 1 && cli.e_auth_ok == 0);
	(void)snprintf(want, sizeof(want), "authentication failed for "
	    "\"%s\": %s", user, reason);
	T_ASSERT(strcmp(srv.e_reason, want) == 0);
	/* The log names the peer, the user and why. */
	(void)snprintf(want, sizeof(want), "authentication of \"%s\" with "
	    "%s failed: %s", user, ppp_auth_name(m), reason);
	T_ASSERT(logged("session 1 192.0.2.2:1701: ", want));
	/* What the peer sees says nothing about why. */
	switch (m) {
	case CONF_AUTH_MSCHAPV2:
		f = find_sent(&srv, PPP_PROTO_CHAP, CHAP_FAILURE);
		T_ASSERT_RET(f != NULL);
		T_ASSERT(f->f_len == 4 + 51 + 21);
		T_ASSERT(memcmp(f->f_buf + 4, "E=691 R=0 C=", 12) == 0);
		T_ASSERT(memcmp(f->f_buf + 48, " V=3 M=Authentication failed",
		    28) == 0);
		T_ASSERT(logged("session 101 198.51.100.1:1701: server refused "
		    "authentication: E=691 R=0 C=", "V=3 M=Authentication "
		    "failed"));
		break;
	case CONF_AUTH_CHAP:
		f = find_sent(&srv, PPP_PROTO_CHAP, CHAP_FAILURE);
		T_ASSERT_RET(f != NULL);
		T_ASSERT(f->f_len == 4 + 21 &&
		    memcmp(f->f_buf + 4, "Authentication failed", 21) == 0);
		T_ASSERT(logged("server refused authentication: "
		    "Authentication failed", NULL));
		break;
	default:
		f = find_sent(&srv, PPP_PROTO_PAP, PAP_AUTH_NAK);
		T_ASSERT_RET(f != NULL);
		T_ASSERT(f->f_len == 5 + 21 && f->f_buf[4] == 21 &&
		    memcmp(f->f_buf + 5, "Authentication failed", 21) == 0);
		T_ASSERT(logged("server refused authentication: "
		    "Authentication failed", NULL));
		break;
	}
	/* The server Terminates with a reason that does not say more. */
	f = find_sent(&srv, PPP_PROTO_LCP, PPP_TERM_REQ);
	if (f != NULL && strstr(cli.e_reason, "peer terminated") != NULL)
		T_ASSERT(strcmp(cli.e_reason, "peer terminated the link: "
		    "Authentication failed") == 0);
	T_ASSERT(find_sent(&srv, PPP_PROTO_IPCP, PPP_CONF_REQ) == NULL);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

static void
test_wrong_password(void)
{
	login_fails(CONF_AUTH_MSCHAPV2, "alice", PW_WRONG, "wrong password");
	login_fails(CONF_AUTH_CHAP, "alice", PW_WRONG, "wrong password");
	login_fails(CONF_AUTH_PAP, "alice", PW_WRONG, "wrong password");
}

static void
test_unknown_user(void)
{
	login_fails(CONF_AUTH_MSCHAPV2, "mallory", PW_WRONG, "unknown user");
	login_fails(CONF_AUTH_CHAP, "mallory", PW_WRONG, "unknown user");
	login_fails(CONF_AUTH_PAP, "mallory", PW_WRONG, "unknown user");
	/* carol's entry is for another server. */
	login_fails(CONF_AUTH_MSCHAPV2, "carol", PW_CAROL, "unknown user");
	/* dave has the right password but no address may be used. */
	login_fails(CONF_AUTH_MSCHAPV2, "dave", PW_DAVE, "user not allowed "
	    "on this server (no address in the users file)");
}

/* A pool of one: the second login finds none, cleanly. */
static void
test_pool_exhausted(void)
{
	struct end			 s1, c1, s2, c2;
	struct ppp_session_params	 p;
	struct pool			*pool;
	enum conf_auth			 m = CONF_AUTH_MSCHAPV2;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.100");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&s1, &c1, pool, &m, 1, "alice", PW_ALICE, NULL,
	    0) == 0);
	run(&s1, &c1, both_up, 60000);
	T_ASSERT_RET(s1.e_up == 1 && c1.e_up == 1);
	T_ASSERT(c1.e_ui.ui_local.s_addr == A("10.2.0.100").s_addr);

	srv_params(&p, pool, 2, &m, 1);
	T_ASSERT_RET(end_new(&s2, "server2", &p) == 0);
	cli_params(&p, 102, "alice", PW_ALICE, NULL, 0);
	T_ASSERT_RET(end_new(&c2, "client2", &p) == 0);
	link_ends(&s2, &c2);
	run(&s2, &c2, both_down, 120000);
	T_ASSERT(s2.e_up == 0 && c2.e_up == 0);
	T_ASSERT(s2.e_down == 1 && c2.e_down == 1);
	T_ASSERT(s2.e_auth_ok == 1);
	T_ASSERT(strcmp(s2.e_reason, "no address available") == 0);
	T_ASSERT(strcmp(c2.e_reason, "peer terminated the link: no address "
	    "available") == 0);
	T_ASSERT(logged("session 2 192.0.2.2:1701: pool exhausted", NULL));
	/* The first session is untouched and still holds its address. */
	T_ASSERT(s1.e_down == 0 && c1.e_down == 0);
	T_ASSERT(pool_owner(pool, A("10.2.0.100")) == 1);
	T_ASSERT(pool_in_use(pool) == 1);
	end_free(&s1);
	end_free(&c1);
	end_free(&s2);
	end_free(&c2);
	T_ASSERT(pool_in_use(pool) == 0);
	pool_free(pool);
}

/* Lose the first n frames: the restart timers make up for it. */
static void
test_frame_loss(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 methods[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP,
	    CONF_AUTH_PAP };
	int		 n, i;

	for (i = 0; i < 3; i++)
		for (n = 1; n <= 12; n++) {
			net_reset();
			pool = new_pool("10.2.0.100", "10.2.0.109");
			T_ASSERT_RET(pool != NULL);
			T_ASSERT_RET(pair_new(&srv, &cli, pool, &methods[i],
			    1, "alice", PW_ALICE, NULL, 0) == 0);
			drop_first = n;
			run(&srv, &cli, both_up, 120000);
			if (!(srv.e_up == 1 && cli.e_up == 1))
				printf("# %s, %d frames lost: not up\n",
				    ppp_auth_name(methods[i]), n);
			T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
			T_ASSERT(srv.e_down == 0 && cli.e_down == 0);
			T_ASSERT(cli.e_ui.ui_local.s_addr ==
			    srv.e_ui.ui_peer.s_addr);
			end_free(&srv);
			end_free(&cli);
			T_ASSERT(pool_in_use(pool) == 0);
			pool_free(pool);
		}
}

/*
 * Lose everything in the middle of authentication (each direction in
 * turn): the Challenge, Response and Success resends get it through.
 */
static int	 loss_from_srv;

static int
srv_in_auth(struct end *a, struct end *b)
{
	(void)b;
	return (a->e_s != NULL && ppp_session_phase(a->e_s) ==
	    PPP_PHASE_AUTHENTICATE);
}

static void
test_auth_loss(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 methods[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP,
	    CONF_AUTH_PAP };
	int		 i, n;

	for (i = 0; i < 3; i++)
		for (loss_from_srv = 0; loss_from_srv < 2; loss_from_srv++)
			for (n = 1; n <= 3; n++) {
				net_reset();
				pool = new_pool("10.2.0.100", "10.2.0.109");
				T_ASSERT_RET(pool != NULL);
				T_ASSERT_RET(pair_new(&srv, &cli, pool,
				    &methods[i], 1, "alice", PW_ALICE, NULL,
				    0) == 0);
				run(&srv, &cli, srv_in_auth, 60000);
				/* Lose what one end sends next, n frames. */
				if (loss_from_srv)
					srv.e_mute = 1;
				else
					cli.e_mute = 1;
				run(&srv, &cli, NULL, 3000 * n - 1);
				srv.e_mute = cli.e_mute = 0;
				run(&srv, &cli, both_up, 120000);
				if (!(srv.e_up == 1 && cli.e_up == 1))
					printf("# %s, %s mute %d s: not up\n",
					    ppp_auth_name(methods[i]),
					    loss_from_srv ? "server" :
					    "client", 3 * n);
				T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
				end_free(&srv);
				end_free(&cli);
				pool_free(pool);
			}
}

/* The peer goes silent: after K unanswered echoes the session ends. */
static void
test_echo_timeout(void)
{
	struct end			 srv, cli;
	struct ppp_session_params	 p;
	struct pool			*pool;
	enum conf_auth			 m = CONF_AUTH_CHAP;
	int64_t				 t0;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	srv_params(&p, pool, 1, &m, 1);
	p.sp_echo_interval = 10;
	p.sp_echo_fails = 3;
	p.sp_mru = 1400;
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	cli_params(&p, 101, "alice", PW_ALICE, NULL, 0);
	p.sp_echo_interval = 0;		/* off: only the server probes */
	T_ASSERT_RET(end_new(&cli, "client", &p) == 0);
	link_ends(&srv, &cli);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT_RET(srv.e_up == 1 && cli.e_up == 1);
	/* The server's MRU 1400 limits what the client sends. */
	T_ASSERT(cli.e_ui.ui_mtu == 1400 && srv.e_ui.ui_mtu == 1500);
	T_ASSERT(srv.e_ui.ui_mru == 1400);
	run(&srv, &cli, NULL, 100000);
	T_ASSERT(srv.e_down == 0);

	/* The client's frames stop reaching the server. */
	cli.e_mute = 1;
	t0 = now_ms;
	run(&srv, &cli, NULL, 100000);
	T_ASSERT(srv.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "peer stopped answering LCP echo") ==
	    0);
	/* Three unanswered at 10 s each, the fourth tick gives up. */
	T_ASSERT(srv.e_down_at - t0 >= 30000 && srv.e_down_at - t0 <= 50000);
	T_ASSERT(logged("3 LCP Echo-Requests unanswered", NULL));
	T_ASSERT(find_sent(&srv, PPP_PROTO_LCP, PPP_TERM_REQ) != NULL);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/* Pumps until the server is in the network phase. */
static int
srv_in_network(struct end *a, struct end *b)
{
	(void)b;
	return (a->e_s != NULL && ppp_session_phase(a->e_s) ==
	    PPP_PHASE_NETWORK);
}

/*
 * CCP Configure-Request, as Windows sends it: Protocol-Rejected once the
 * network phase runs (RFC 1661 5.7), dropped while authenticating (3.5);
 * IPv4 reaching ppp is dropped and counted; the session comes up.
 */
static void
test_protocol_reject(void)
{
	struct end		 srv, cli;
	struct pool		*pool;
	enum conf_auth		 m = CONF_AUTH_MSCHAPV2;
	const struct frame	*f;
	static const uint8_t	 ccp[] = {
		0xff, 0x03, 0x80, 0xfd,
		0x01, 0x07, 0x00, 0x0a, 0x12, 0x06, 0x01, 0x00, 0x00, 0x01
	};
	static const uint8_t	 ip[] = {
		0x00, 0x21, 0x45, 0x00, 0x00, 0x14
	};
	size_t			 nsent;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "alice", PW_ALICE, NULL,
	    0) == 0);
	run(&srv, &cli, srv_in_auth, 60000);
	T_ASSERT_RET(srv.e_s != NULL);
	nsent = srv.e_nsent;
	ppp_session_input(srv.e_s, ccp, sizeof(ccp));
	T_ASSERT(srv.e_nsent == nsent);

	run(&srv, &cli, srv_in_network, 60000);
	T_ASSERT_RET(srv.e_s != NULL);
	ppp_session_input(srv.e_s, ccp, sizeof(ccp));
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL);
	/* Code 8, Rejected-Protocol 80fd, the CCP packet after it. */
	T_ASSERT(f->f_buf[0] == PPP_PROTO_REJ);
	T_ASSERT(f->f_len == 4 + 2 + sizeof(ccp) - 4);
	T_ASSERT(f->f_buf[4] == 0x80 && f->f_buf[5] == 0xfd);
	T_ASSERT(memcmp(f->f_buf + 6, ccp + 4, sizeof(ccp) - 4) == 0);
	T_ASSERT(logged("rejecting protocol 0x80fd (CCP)", NULL) ||
	    logged("rejecting protocol 0x80fd", NULL));

	T_ASSERT(ppp_session_dropped(srv.e_s) == 0);
	ppp_session_input(srv.e_s, ip, sizeof(ip));
	T_ASSERT(ppp_session_dropped(srv.e_s) == 1);

	run(&srv, &cli, both_up, 60000);
	T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
	T_ASSERT(logged("session 101 198.51.100.1:1701: peer rejected "
	    "protocol 0x80fd", NULL));
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/* l2tpsecctl disconnect: a Terminate exchange, then down on both. */
static void
test_admin_close(void)
{
	struct end		 srv, cli;
	struct pool		*pool;
	enum conf_auth		 m = CONF_AUTH_PAP;
	const struct frame	*f;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "alice", PW_ALICE, NULL,
	    0) == 0);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT_RET(srv.e_up == 1 && cli.e_up == 1);
	now_ms += 5000;
	T_ASSERT(ppp_session_age(srv.e_s, now_ms / 1000) == 5);
	ppp_session_close(srv.e_s, "disconnect by admin");
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL);
	T_ASSERT(f->f_buf[0] == PPP_TERM_REQ && f->f_len == 4 + 19 &&
	    memcmp(f->f_buf + 4, "disconnect by admin", 19) == 0);
	run(&srv, &cli, both_down, 60000);
	T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "disconnect by admin") == 0);
	T_ASSERT(strcmp(cli.e_reason, "peer terminated the link: disconnect "
	    "by admin") == 0);
	T_ASSERT(find_sent(&cli, PPP_PROTO_LCP, PPP_TERM_ACK) != NULL);
	/*
	 * The server went as soon as the Ack came; the client waits a
	 * Restart time first (RFC 1661 3.7).
	 */
	T_ASSERT(srv.e_down_at + 3000 == cli.e_down_at);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/* The lower layer vanished: down at once, nothing sent. */
static void
test_lower_down(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 m = CONF_AUTH_CHAP;
	size_t		 nsent;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "alice", PW_ALICE, NULL,
	    0) == 0);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT_RET(srv.e_up == 1 && cli.e_up == 1);
	nsent = srv.e_nsent;
	ppp_session_lower_down(srv.e_s, "L2TP session closed by peer (CDN)");
	T_ASSERT(srv.e_down == 1);
	T_ASSERT(srv.e_s == NULL);
	T_ASSERT(srv.e_nsent == nsent);
	T_ASSERT(strcmp(srv.e_reason, "L2TP session closed by peer (CDN)") ==
	    0);
	T_ASSERT(pool_in_use(pool) == 0);
	end_free(&cli);
	pool_free(pool);
}

/* No traffic for `idle` seconds: closed with "idle timeout". */
static void
test_idle_timeout(void)
{
	struct end			 srv, cli;
	struct ppp_session_params	 p;
	struct pool			*pool;
	enum conf_auth			 m = CONF_AUTH_MSCHAPV2;
	uint64_t			 rx = 0;
	int				 i;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	srv_params(&p, pool, 1, &m, 1);
	p.sp_idle = 60;
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	cli_params(&p, 101, "alice", PW_ALICE, NULL, 0);
	T_ASSERT_RET(end_new(&cli, "client", &p) == 0);
	link_ends(&srv, &cli);
	run(&srv, &cli, both_up, 60000);
	T_ASSERT_RET(srv.e_up == 1 && cli.e_up == 1);
	/* Traffic every 10 s for 5 minutes: stays up. */
	for (i = 0; i < 30 && srv.e_s != NULL; i++) {
		rx += 1000;
		ppp_session_counters(srv.e_s, rx, 500, now_ms / 1000);
		run(&srv, &cli, NULL, 10000);
	}
	T_ASSERT_RET(srv.e_down == 0 && srv.e_s != NULL);
	/* Then nothing: the counters stand still. */
	for (i = 0; i < 20 && srv.e_s != NULL && !srv.e_down; i++) {
		ppp_session_counters(srv.e_s, rx, 500, now_ms / 1000);
		run(&srv, &cli, NULL, 10000);
	}
	run(&srv, &cli, both_down, 60000);
	T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "idle timeout") == 0);
	T_ASSERT(strcmp(cli.e_reason, "peer terminated the link: idle "
	    "timeout") == 0);
	T_ASSERT(logged("no traffic for 60 seconds", NULL));
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/* A server that cannot prove it knows our password (RFC 2759 5). */
static void
bad_auth_response(struct end *from, uint16_t proto, uint8_t *buf,
    size_t len)
{
	if (strcmp(from->e_name, "server") == 0 && proto == PPP_PROTO_CHAP &&
	    len > 10 && buf[0] == CHAP_SUCCESS)
		buf[6] = buf[6] == '0' ? '1' : '0';	/* a hex digit of S= */
}

static void
test_mschapv2_bad_server(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 m = CONF_AUTH_MSCHAPV2;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "alice", PW_ALICE, NULL,
	    0) == 0);
	tamper = bad_auth_response;
	run(&srv, &cli, both_down, 120000);
	T_ASSERT(cli.e_up == 0 && cli.e_down == 1);
	T_ASSERT(cli.e_auth_ok == 0);
	T_ASSERT(strstr(cli.e_reason, "server failed to prove it knows our "
	    "password") != NULL);
	T_ASSERT(logged("the server's MS-CHAPv2 authenticator response is "
	    "wrong", NULL));
	T_ASSERT(srv.e_up == 0 && srv.e_down == 1);
	end_free(&srv);
	end_free(&cli);
	pool_free(pool);
}

/*
 * One server alone against hand-made packets: what a Windows client
 * asks for in LCP (MRU 1400, Magic, PFC, ACFC, Callback) gets PFC, ACFC
 * and Callback Rejected; then without them it is Ack'd; a Magic-Number
 * equal to ours is Nak'd; an MRU below 576 is Nak'd up.
 */
static void
feed_lcp(struct end *e, uint8_t code, uint8_t id, const uint8_t *opts,
    size_t len)
{
	uint8_t		 buf[256];
	struct obuf	 o;

	obuf_init(&o, buf, sizeof(buf));
	ppp_frame_put_hdr(&o, 1, PPP_PROTO_LCP);
	ppp_cp_put(&o, code, id, opts, len);
	ppp_session_input(e->e_s, buf, o.o_len);
}

static void
test_lcp_options(void)
{
	struct end			 srv;
	struct ppp_session_params	 p;
	const struct frame		*f;
	enum conf_auth			 m = CONF_AUTH_MSCHAPV2;
	static const uint8_t		 win[] = {
		0x01, 0x04, 0x05, 0x78,			/* MRU 1400 */
		0x05, 0x06, 0x12, 0x34, 0x56, 0x78,	/* Magic */
		0x07, 0x02,				/* PFC */
		0x08, 0x02,				/* ACFC */
		0x0d, 0x03, 0x06,			/* Callback */
	};
	static const uint8_t		 rej[] = {
		0x07, 0x02, 0x08, 0x02, 0x0d, 0x03, 0x06
	};
	uint8_t				 opts[16];
	uint32_t			 magic;
	struct ppp_opt_iter		 it;
	struct ppp_opt			 opt;

	net_reset();
	srv_params(&p, NULL, 1, &m, 1);
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	ppp_session_start(srv.e_s, 0);
	/* Our request: Auth-Protocol CHAP/0x81 and a non-zero Magic. */
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL && f->f_buf[0] == PPP_CONF_REQ);
	T_ASSERT(f->f_len == 4 + 5 + 6);
	T_ASSERT(memcmp(f->f_buf + 4, "\x03\x05\xc2\x23\x81", 5) == 0);
	T_ASSERT(f->f_buf[9] == LCP_OPT_MAGIC && f->f_buf[10] == 6);
	magic = (uint32_t)f->f_buf[11] << 24 | (uint32_t)f->f_buf[12] << 16 |
	    (uint32_t)f->f_buf[13] << 8 | f->f_buf[14];
	T_ASSERT(magic != 0);

	feed_lcp(&srv, PPP_CONF_REQ, 1, win, sizeof(win));
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL);
	T_ASSERT(f->f_buf[0] == PPP_CONF_REJ && f->f_buf[1] == 1);
	T_ASSERT(f->f_len == 4 + sizeof(rej) &&
	    memcmp(f->f_buf + 4, rej, sizeof(rej)) == 0);

	feed_lcp(&srv, PPP_CONF_REQ, 2, win, 10);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_ACK &&
	    f->f_buf[1] == 2 && f->f_len == 14);

	/* Our own Magic-Number back: Nak'd with another. */
	memcpy(opts, "\x05\x06", 2);
	opts[2] = magic >> 24;
	opts[3] = magic >> 16;
	opts[4] = magic >> 8;
	opts[5] = magic;
	feed_lcp(&srv, PPP_CONF_REQ, 3, opts, 6);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL);
	T_ASSERT(f->f_buf[0] == PPP_CONF_NAK && f->f_len == 10);
	T_ASSERT(f->f_buf[4] == LCP_OPT_MAGIC &&
	    memcmp(f->f_buf + 6, opts + 2, 4) != 0);

	/* MRU 296: Nak'd to 576. */
	feed_lcp(&srv, PPP_CONF_REQ, 4, (const uint8_t *)"\x01\x04\x01\x28",
	    4);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_NAK && f->f_len == 8 &&
	    memcmp(f->f_buf + 4, "\x01\x04\x02\x40", 4) == 0);

	/* A client asking the server to authenticate: Rejected. */
	feed_lcp(&srv, PPP_CONF_REQ, 5, (const uint8_t *)"\x03\x04\xc0\x23",
	    4);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_REJ && f->f_len == 8);

	/* Before LCP opens, nothing else is taken or rejected. */
	ppp_session_input(srv.e_s, (const uint8_t *)"\x80\x21\x01\x01\x00\x04",
	    6);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_REJ);
	T_ASSERT(last_sent(&srv, PPP_PROTO_IPCP) == NULL);

	/* Its Reject of our Auth-Protocol: nothing else on the list. */
	ppp_opt_iter_init(&it, srv.e_sent[0].f_buf + 4,
	    srv.e_sent[0].f_len - 4);
	T_ASSERT(ppp_opt_next(&it, &opt) == 1);
	feed_lcp(&srv, PPP_CONF_REJ, srv.e_sent[0].f_buf[1], opt.po_raw,
	    opt.po_len);
	T_ASSERT(srv.e_down == 0);
	T_ASSERT(logged("peer refused every authentication method we offer "
	    "(MS-CHAPv2)", NULL));
	end_free(&srv);
}

/*
 * The client side of LCP: the server asking for MS-CHAP (v1, 0x80) or
 * EAP is Nak'd with our first choice; ACCM is Rejected.
 */
static void
test_lcp_client_naks(void)
{
	struct end			 cli;
	struct ppp_session_params	 p;
	const struct frame		*f;

	net_reset();
	cli_params(&p, 101, "alice", PW_ALICE, NULL, 0);
	T_ASSERT_RET(end_new(&cli, "client", &p) == 0);
	ppp_session_start(cli.e_s, 0);
	f = last_sent(&cli, PPP_PROTO_LCP);
	/* No Auth-Protocol from a client, just Magic. */
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_REQ && f->f_len == 10 &&
	    f->f_buf[4] == LCP_OPT_MAGIC);

	feed_lcp(&cli, PPP_CONF_REQ, 1, (const uint8_t *)"\x03\x05\xc2\x23"
	    "\x80", 5);
	f = last_sent(&cli, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_NAK && f->f_len == 9 &&
	    memcmp(f->f_buf + 4, "\x03\x05\xc2\x23\x81", 5) == 0);

	feed_lcp(&cli, PPP_CONF_REQ, 2, (const uint8_t *)"\x03\x04\xc2\x27",
	    4);
	f = last_sent(&cli, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_NAK);

	feed_lcp(&cli, PPP_CONF_REQ, 3, (const uint8_t *)"\x02\x06\x00\x00"
	    "\x00\x00\x03\x05\xc2\x23\x05", 11);
	f = last_sent(&cli, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_REJ && f->f_len == 10 &&
	    f->f_buf[4] == LCP_OPT_ACCM);

	feed_lcp(&cli, PPP_CONF_REQ, 4, (const uint8_t *)"\x03\x05\xc2\x23"
	    "\x05", 5);
	f = last_sent(&cli, PPP_PROTO_LCP);
	T_ASSERT(f != NULL && f->f_buf[0] == PPP_CONF_ACK);
	end_free(&cli);
}

/* A session that never hears back gives up after Max-Configure. */
static void
test_lcp_no_answer(void)
{
	struct end			 srv, nobody;
	struct ppp_session_params	 p;
	enum conf_auth			 m = CONF_AUTH_PAP;

	net_reset();
	srv_params(&p, NULL, 1, &m, 1);
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	memset(&nobody, 0, sizeof(nobody));
	ppp_session_start(srv.e_s, 0);
	run(&srv, &nobody, NULL, 120000);
	T_ASSERT(srv.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "LCP negotiation failed: no answer "
	    "from the peer") == 0);
	/* RFC 1661 4.6: Max-Configure, 10 Configure-Requests. */
	T_ASSERT(srv.e_nsent == 10);
	T_ASSERT(srv.e_down_at == 30000);
}

static void
test_bad_params(void)
{
	struct ppp_session_params	 p;
	struct end			 e;

	net_reset();
	srv_params(&p, NULL, 1, NULL, 0);
	p.sp_local.s_addr = 0;
	T_ASSERT(end_new(&e, "server", &p) == -1);
	srv_params(&p, NULL, 0, NULL, 0);
	T_ASSERT(end_new(&e, "server", &p) == -1);
	cli_params(&p, 1, "", PW_ALICE, NULL, 0);
	T_ASSERT(end_new(&e, "client", &p) == -1);
	srv_params(&p, NULL, 1, NULL, 0);
	p.sp_auth[0] = p.sp_auth[1] = CONF_AUTH_PAP;
	p.sp_nauth = 2;
	T_ASSERT(end_new(&e, "server", &p) == -1);
	/* Freed before it ever started, and NULL. */
	srv_params(&p, NULL, 1, NULL, 0);
	T_ASSERT_RET(end_new(&e, "server", &p) == 0);
	end_free(&e);
	ppp_session_free(NULL);
}

/* Counts frames of proto/code an end sent. */
static int
count_sent(const struct end *e, uint16_t proto, uint8_t code)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < e->e_nsent; i++)
		if (e->e_sent[i].f_proto == proto &&
		    e->e_sent[i].f_len >= PPP_CP_HDRLEN &&
		    e->e_sent[i].f_buf[0] == code)
			n++;
	return (n);
}

/* Loses the server's first authentication verdict (Success or Ack). */
static int	 verdicts_lost;

static int
lose_first_verdict(struct end *from, uint16_t proto, const uint8_t *buf,
    size_t len)
{
	(void)len;
	if (strcmp(from->e_name, "server") != 0 || verdicts_lost > 0)
		return (0);
	if ((proto == PPP_PROTO_CHAP && buf[0] == CHAP_SUCCESS) ||
	    (proto == PPP_PROTO_PAP && buf[0] == PAP_AUTH_ACK)) {
		verdicts_lost++;
		return (1);
	}
	return (0);
}

/*
 * RFC 1994 4.1 / RFC 1334 2.2.1: the Success (Ack) is lost; the client
 * asks again and the server answers the same, once authenticated.
 */
static void
test_lost_success(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 methods[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP,
	    CONF_AUTH_PAP };
	const struct frame *f1 = NULL, *f2 = NULL;
	uint16_t	 proto;
	uint8_t		 code;
	size_t		 i;
	int		 k;

	for (k = 0; k < 3; k++) {
		net_reset();
		verdicts_lost = 0;
		dropper = lose_first_verdict;
		pool = new_pool("10.2.0.100", "10.2.0.109");
		T_ASSERT_RET(pool != NULL);
		T_ASSERT_RET(pair_new(&srv, &cli, pool, &methods[k], 1,
		    "alice", PW_ALICE, NULL, 0) == 0);
		run(&srv, &cli, both_up, 120000);
		T_ASSERT(verdicts_lost == 1);
		T_ASSERT(srv.e_up == 1 && cli.e_up == 1);
		proto = methods[k] == CONF_AUTH_PAP ? PPP_PROTO_PAP :
		    PPP_PROTO_CHAP;
		code = methods[k] == CONF_AUTH_PAP ? PAP_AUTH_ACK :
		    CHAP_SUCCESS;
		T_ASSERT(count_sent(&srv, proto, code) == 2);
		/* One login, one audit record. */
		T_ASSERT(srv.e_auth_n == 1 && srv.e_auth_ok == 1);
		if (methods[k] == CONF_AUTH_MSCHAPV2) {
			for (i = 0; i < srv.e_nsent; i++)
				if (srv.e_sent[i].f_proto == proto &&
				    srv.e_sent[i].f_buf[0] == code) {
					if (f1 == NULL)
						f1 = &srv.e_sent[i];
					else
						f2 = &srv.e_sent[i];
				}
			T_ASSERT(f1 != NULL && f2 != NULL &&
			    f1->f_len == f2->f_len &&
			    memcmp(f1->f_buf, f2->f_buf, f1->f_len) == 0);
		}
		end_free(&srv);
		end_free(&cli);
		pool_free(pool);
	}
}

/* Opens LCP on a lone server by hand: Ack its request, send ours. */
static void
open_lcp_by_hand(struct end *srv)
{
	const struct frame	*f;

	f = last_sent(srv, PPP_PROTO_LCP);
	if (f == NULL || f->f_buf[0] != PPP_CONF_REQ)
		return;
	feed_lcp(srv, PPP_CONF_ACK, f->f_buf[1], f->f_buf + 4, f->f_len - 4);
	feed_lcp(srv, PPP_CONF_REQ, 1,
	    (const uint8_t *)"\x05\x06\x11\x22\x33\x44", 6);
}

static void
feed_pap(struct end *e, uint8_t id, const char *user, const char *pw)
{
	uint8_t		 buf[600];
	struct obuf	 o;

	obuf_init(&o, buf, sizeof(buf));
	ppp_frame_put_hdr(&o, 1, PPP_PROTO_PAP);
	pap_req_put(&o, id, user, strlen(user), pw, strlen(pw));
	ppp_session_input(e->e_s, buf, o.o_len);
}

/*
 * PAP: the client sets the pace (RFC 1334 2), so a wrong password gets
 * a Nak and another chance, up to max-auth; then the link is ended.
 * A request repeated after the Ack gets the Ack again.
 */
static void
test_pap_attempts(void)
{
	struct end			 srv;
	struct ppp_session_params	 p;
	struct pool			*pool;
	const struct frame		*f;
	enum conf_auth			 m = CONF_AUTH_PAP;

	net_reset();
	pool = new_pool("10.2.0.100", "10.2.0.109");
	T_ASSERT_RET(pool != NULL);
	srv_params(&p, pool, 1, &m, 1);
	p.sp_max_auth = 2;
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	ppp_session_start(srv.e_s, 0);
	open_lcp_by_hand(&srv);
	T_ASSERT_RET(ppp_session_phase(srv.e_s) == PPP_PHASE_AUTHENTICATE);

	feed_pap(&srv, 7, "alice", PW_WRONG);
	f = last_sent(&srv, PPP_PROTO_PAP);
	T_ASSERT(f != NULL && f->f_buf[0] == PAP_AUTH_NAK && f->f_buf[1] == 7);
	T_ASSERT(srv.e_auth_n == 1 && srv.e_auth_ok == 0);
	T_ASSERT(find_sent(&srv, PPP_PROTO_LCP, PPP_TERM_REQ) == NULL);
	T_ASSERT(ppp_session_phase(srv.e_s) == PPP_PHASE_AUTHENTICATE);

	feed_pap(&srv, 8, "alice", PW_WRONG);
	f = last_sent(&srv, PPP_PROTO_PAP);
	T_ASSERT(f != NULL && f->f_buf[0] == PAP_AUTH_NAK && f->f_buf[1] == 8);
	T_ASSERT(srv.e_auth_n == 2 && srv.e_auth_ok == 0);
	f = last_sent(&srv, PPP_PROTO_LCP);
	T_ASSERT_RET(f != NULL && f->f_buf[0] == PPP_TERM_REQ);
	T_ASSERT(f->f_len == 4 + 21 &&
	    memcmp(f->f_buf + 4, "Authentication failed", 21) == 0);
	/* A third try while terminating is not even looked at. */
	feed_pap(&srv, 9, "alice", PW_ALICE);
	T_ASSERT(srv.e_auth_n == 2);
	feed_lcp(&srv, PPP_TERM_ACK, f->f_buf[1], NULL, 0);
	T_ASSERT(srv.e_down == 1);
	T_ASSERT(strcmp(srv.e_reason, "authentication failed for \"alice\": "
	    "wrong password") == 0);

	/* Wrong once, then right; the repeat after the Ack. */
	net_reset();
	srv_params(&p, pool, 1, &m, 1);
	T_ASSERT_RET(end_new(&srv, "server", &p) == 0);
	ppp_session_start(srv.e_s, 0);
	open_lcp_by_hand(&srv);
	feed_pap(&srv, 1, "alice", PW_WRONG);
	feed_pap(&srv, 2, "alice", PW_ALICE);
	f = last_sent(&srv, PPP_PROTO_PAP);
	T_ASSERT(f != NULL && f->f_buf[0] == PAP_AUTH_ACK && f->f_buf[1] == 2);
	T_ASSERT(srv.e_auth_n == 2 && srv.e_auth_ok == 1);
	T_ASSERT(ppp_session_phase(srv.e_s) == PPP_PHASE_NETWORK);
	T_ASSERT(find_sent(&srv, PPP_PROTO_IPCP, PPP_CONF_REQ) != NULL);
	feed_pap(&srv, 3, "alice", PW_ALICE);
	f = last_sent(&srv, PPP_PROTO_PAP);
	T_ASSERT(f != NULL && f->f_buf[0] == PAP_AUTH_ACK && f->f_buf[1] == 3);
	T_ASSERT(srv.e_auth_n == 2);
	end_free(&srv);
	T_ASSERT(pool_in_use(pool) == 0);
	pool_free(pool);
}

static void
feed_cp(struct end *e, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	uint8_t		 buf[256];
	struct obuf	 o;

	obuf_init(&o, buf, sizeof(buf));
	ppp_frame_put_hdr(&o, 0, proto);
	ppp_cp_put(&o, code, id, data, len);
	ppp_session_input(e->e_s, buf, o.o_len);
}

/*
 * After up: the peer closing IPCP, or starting LCP over, ends the
 * session (IPv4 is all it carries; the owner's interface is stale).
 */
static void
test_after_up(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 m = CONF_AUTH_CHAP;
	int		 k;

	for (k = 0; k < 2; k++) {
		net_reset();
		pool = new_pool("10.2.0.100", "10.2.0.109");
		T_ASSERT_RET(pool != NULL);
		T_ASSERT_RET(pair_new(&srv, &cli, pool, &m, 1, "alice",
		    PW_ALICE, NULL, 0) == 0);
		run(&srv, &cli, both_up, 60000);
		T_ASSERT_RET(srv.e_up == 1 && cli.e_up == 1);
		if (k == 0)
			feed_cp(&srv, PPP_PROTO_IPCP, PPP_TERM_REQ, 99,
			    NULL, 0);
		else
			feed_cp(&srv, PPP_PROTO_LCP, PPP_CONF_REQ, 99,
			    (const uint8_t *)"\x05\x06\x01\x02\x03\x04", 6);
		run(&srv, &cli, both_down, 60000);
		T_ASSERT(srv.e_down == 1 && cli.e_down == 1);
		T_ASSERT(strcmp(srv.e_reason, k == 0 ? "peer closed IPCP" :
		    "peer renegotiated LCP") == 0);
		T_ASSERT(srv.e_up == 1);
		T_ASSERT(pool_in_use(pool) == 0);
		end_free(&srv);
		end_free(&cli);
		pool_free(pool);
	}
}

/* A tiny deterministic generator for the garbage test. */
static uint32_t	 rng_state = 12345;

static uint32_t
rng(void)
{
	rng_state = rng_state * 1103515245 + 12345;
	return (rng_state >> 8);
}

/*
 * Frames of the real exchange with octets changed, cut short or grown,
 * fed to both ends at every stage: nothing crashes (the SAN build is the
 * judge), and the sessions end cleanly or carry on.
 */
static void
test_garbage(void)
{
	struct end	 srv, cli;
	struct pool	*pool;
	enum conf_auth	 methods[] = { CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP,
	    CONF_AUTH_PAP };
	struct end	*ends[2];
	uint8_t		 buf[FRAME_MAX];
	const struct frame *f;
	struct end	*from, *to;
	size_t		 len, j;
	int		 round, i, n;

	for (round = 0; round < 60; round++) {
		net_reset();
		pool = new_pool("10.2.0.100", "10.2.0.109");
		T_ASSERT_RET(pool != NULL);
		T_ASSERT_RET(pair_new(&srv, &cli, pool, &methods[round % 3], 1,
		    "alice", PW_ALICE, NULL, 0) == 0);
		ends[0] = &srv;
		ends[1] = &cli;
		for (i = 0; i < 400; i++) {
			if (!step(ends, 2, now_ms + 600000))
				break;
			from = (rng() & 1) ? &srv : &cli;
			to = from->e_other;
			if (to->e_s == NULL || from->e_nsent == 0 ||
			    (rng() % 3) != 0)
				continue;
			f = &from->e_sent[rng() % from->e_nsent];
			len = f->f_len < KEEP_MAX ? f->f_len : KEEP_MAX;
			buf[0] = f->f_proto >> 8;
			buf[1] = f->f_proto & 0xff;
			memcpy(buf + 2, f->f_buf, len);
			len += 2;
			for (n = rng() % 4; n >= 0; n--)
				buf[rng() % len] = rng() & 0xff;
			if (rng() % 4 == 0)
				len = rng() % len;
			else if (rng() % 4 == 0 && len < sizeof(buf) - 64) {
				for (j = 0; j < 64; j++)
					buf[len + j] = rng() & 0xff;
				len += rng() % 64;
			}
			ppp_session_input(to->e_s, buf, len);
		}
		end_free(&srv);
		end_free(&cli);
		T_ASSERT(pool_in_use(pool) == 0);
		pool_free(pool);
	}
}

/* Run last: not one line of the whole run holds a password. */
static void
test_no_secret_logged(void)
{
	T_ASSERT(nlines > 100);
	T_ASSERT(secret_logged == 0);
}

int
main(void)
{
	size_t	 i;

	log_init("test_ppp_session", 1, 2);
	log_set_sink(capture);
	db = users_parse_buf("chap-secrets", (const uint8_t *)users_text,
	    strlen(users_text));
	if (db == NULL) {
		printf("FAIL users_parse_buf\n");
		return (1);
	}

	T_RUN(test_up_pap);
	T_RUN(test_up_chap_md5);
	T_RUN(test_up_mschapv2);
	T_RUN(test_up_mschapv2_domain);
	T_RUN(test_static_address);
	T_RUN(test_auth_fallback);
	T_RUN(test_auth_no_common_method);
	T_RUN(test_wrong_password);
	T_RUN(test_unknown_user);
	T_RUN(test_pool_exhausted);
	T_RUN(test_frame_loss);
	T_RUN(test_auth_loss);
	T_RUN(test_echo_timeout);
	T_RUN(test_protocol_reject);
	T_RUN(test_admin_close);
	T_RUN(test_lower_down);
	T_RUN(test_idle_timeout);
	T_RUN(test_mschapv2_bad_server);
	T_RUN(test_lcp_options);
	T_RUN(test_lcp_client_naks);
	T_RUN(test_lcp_no_answer);
	T_RUN(test_bad_params);
	T_RUN(test_lost_success);
	T_RUN(test_pap_attempts);
	T_RUN(test_after_up);
	T_RUN(test_garbage);
	T_RUN(test_no_secret_logged);

	users_free(db);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	return (T_DONE());
}
