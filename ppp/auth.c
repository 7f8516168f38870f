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


#include <openssl/crypto.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/chap_ms.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"
#include "ppp/users.h"

/*
 * The authentication phase (RFC 1661 3.5), both ends of PAP (RFC 1334
 * 2), CHAP with MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759).
 *
 * Authenticator: a Challenge of 16 random octets with our name (RFC 2759
 * 4 requires 16; MD5 gets as many), a new Identifier and value on every
 * resend (RFC 1994 4.1: both "MUST be changed each time a Challenge is
 * sent"), every PPP_AUTH_RESTART_MS up to PPP_AUTH_TRIES times.  A
 * Response is checked against chap-secrets with our name as the server;
 * the reply is kept, and a repeated Response to the same Challenge gets
 * it again (RFC 1994 4.1: "MUST return the same reply Code"), also once
 * the network phase runs, since the Success may have been lost.  A
 * failed CHAP login ends the session: MS-CHAPv2's Failure says R=0, so
 * the client will not retry, and CHAP-MD5 clients give up on Failure
 * anyway.  PAP leaves the pace to the client (RFC 1334 2), so a session
 * may Nak up to max-auth wrong logins before it ends.  Which login
 * failed and why (unknown user, wrong password) goes to our log and the
 * audit hook; the peer only ever learns "Authentication failed".
 *
 * Client: answers every Challenge (RFC 1994 4.1: "Whenever a Challenge
 * packet is received, the peer MUST transmit a CHAP packet with the
 * Code field set to 2") and resends its Response on the timer until the
 * verdict arrives, which a server following RFC 1994 answers with the
 * same verdict; resends its PAP Authenticate-Request with a new
 * Identifier likewise (RFC 1334 2.2.1).  With MS-CHAPv2 it checks the
 * server's authenticator response (RFC 2759 5): a server that cannot
 * produce it does not know our password, and we leave.
 */

#define AUTH_MSG_OK	"Access granted"
#define AUTH_MSG_FAIL	"Authentication failed"

static const char *const auth_state_names[] = {
	"Idle", "Wait-PAP", "Challenge-Sent", "Wait-Challenge", "PAP-Sent",
	"Response-Sent", "Success", "Failed"
};

const char *
ppp_auth_state_name(enum ppp_auth_state st)
{
	if ((unsigned int)st >= sizeof(auth_state_names) /
	    sizeof(auth_state_names[0]))
		return ("unknown");
	return (auth_state_names[st]);
}

static void
auth_set_state(struct ppp_session *s, enum ppp_auth_state st)
{
	struct ppp_auth	*a = &s->ses_au;

	if (a->au_state != st)
		ppp_session_log(s, LOG_DEBUG, "auth: %s -> %s",
		    ppp_auth_state_name(a->au_state), ppp_auth_state_name(st));
	a->au_state = st;
}

static uint16_t
auth_proto(enum conf_auth m)
{
	return (m == CONF_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP);
}

/* The kept packet out again (a resend, or the reply to a repeat). */
static void
auth_send_kept(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;

	if (a->au_pktlen > 0)
		ppp_session_send(s, auth_proto(a->au_method), a->au_pkt,
		    a->au_pktlen);
}

/* Builds into au_pkt; -1 when it does not fit (cannot happen). */
static int
auth_keep(struct ppp_session *s, struct obuf *o)
{
	struct ppp_auth	*a = &s->ses_au;

	if (obuf_error(o) == -1) {
		explicit_bzero(a->au_pkt, sizeof(a->au_pkt));
		a->au_pktlen = 0;
		ppp_session_log(s, LOG_ERR, "auth: packet does not fit");
		return (-1);
	}
	a->au_pktlen = o->o_len;
	return (0);
}

static void
auth_timer(struct ppp_session *s)
{
	ppp_session_timer_start(s, PPP_TIMER_AUTH, PPP_AUTH_RESTART_MS);
}

/* A name from the wire, for logs and so_auth_result: printable bytes. */
static void
auth_set_user(struct ppp_session *s, const uint8_t *name, size_t len)
{
	size_t	 i;

	if (len > PPP_NAME_MAX)
		len = PPP_NAME_MAX;
	for (i = 0; i < len; i++)
		s->ses_user[i] = name[i] >= 0x20 && name[i] != 0x7f ?
		    (char)name[i] : '?';
	s->ses_user[len] = '\0';
}

static void
auth_report(struct ppp_session *s, int ok, const char *reason)
{
	if (s->ses_ops->so_auth_result != NULL)
		s->ses_ops->so_auth_result(s->ses_arg, s->ses_user,
		    s->ses_au.au_method, ok, reason);
}

/* Authenticator side. */

static void
auth_srv_challenge(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;
	struct obuf	 o;

	a->au_id++;
	a->au_challen = MSCHAPV2_CHAL_LEN;
	arc4random_buf(a->au_chal, a->au_challen);
	a->au_replied = 0;
	obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
	chap_chal_put(&o, CHAP_CHALLENGE, a->au_id, a->au_chal, a->au_challen,
	    s->ses_name, strlen(s->ses_name));
	if (auth_keep(s, &o) == -1)
		return;
	a->au_tries++;
	auth_set_state(s, AUTH_SRV_CHAL_SENT);
	ppp_session_log(s, LOG_DEBUG, "auth: %s Challenge id %u (try %u)",
	    ppp_auth_name(a->au_method), a->au_id, a->au_tries);
	auth_send_kept(s);
	auth_timer(s);
}

/*
 * The login succeeded or failed; reason is for our log and the audit
 * only.  Failure ends the session unless PAP may try again.
 */
static void
auth_srv_verdict(struct ppp_session *s, int ok, const char *reason)
{
	struct ppp_auth	*a = &s->ses_au;

	ppp_session_timer_stop(s, PPP_TIMER_AUTH);
	a->au_replied = 1;
	if (ok) {
		auth_set_state(s, AUTH_SUCCESS);
		ppp_session_log(s, LOG_INFO, "user \"%s\" authenticated with "
		    "%s", s->ses_user, ppp_auth_name(a->au_method));
		auth_report(s, 1, NULL);
		ppp_session_auth_done(s);
		return;
	}
	a->au_fails++;
	ppp_session_log(s, LOG_NOTICE, "authentication of \"%s\" with %s "
	    "failed: %s", s->ses_user, ppp_auth_name(a->au_method), reason);
	(void)snprintf(a->au_last_fail, sizeof(a->au_last_fail),
	    "authentication failed for \"%.64s\": %s", s->ses_user, reason);
	auth_report(s, 0, reason);
	if (a->au_method == CONF_AUTH_PAP && a->au_fails < s->ses_max_auth) {
		/* RFC 1334 2: the client may try again; wait for it. */
		auth_set_state(s, AUTH_SRV_WAIT_PAP);
		a->au_replied = 0;
		a->au_tries = 0;
		auth_timer(s);
		return;
	}
	auth_set_state(s, AUTH_FAILED);
	ppp_session_fail(s, AUTH_MSG_FAIL, "%s", a->au_last_fail);
}

/*
 * The chap-secrets entry for name (as the database wants it) with us as
 * the server: the secret, or NULL with *reason set.  Also remembers what
 * the entry allows for IPCP.
 */
static const struct users_match *
auth_srv_lookup(struct ppp_session *s, const uint8_t *name, size_t len,
    struct users_match *m, const char **reason)
{
	struct ppp_auth	*a = &s->ses_au;

	switch (users_lookup(s->ses_users, name, len, s->ses_name, m)) {
	case USERS_FOUND:
		a->au_addr_kind = m->um_addr;
		a->au_static = m->um_static;
		return (m);
	case USERS_REFUSED:
		*reason = "user not allowed on this server";
		return (NULL);
	default:
		*reason = "unknown user";
		return (NULL);
	}
}

/*
 * A right password is not enough: users.h says an entry whose address
 * column is "-" or empty cannot carry IP, and the login is refused.
 */
static int
auth_srv_addr_ok(struct ppp_session *s, const char **reason)
{
	if (s->ses_au.au_addr_kind == USERS_ADDR_NONE) {
		*reason = "user not allowed on this server (no address in "
		    "the users file)";
		return (0);
	}
	return (1);
}

/* RFC 1334 2.2.1, 2.2.2. */
static void
auth_srv_pap(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth		*a = &s->ses_au;
	struct pap_req		 pr;
	struct users_match	 m;
	struct obuf		 o;
	const char		*reason = NULL, *msg;
	int			 ok = 0;

	if (cp->cp_code != PAP_AUTH_REQ || pap_req_parse(cp, &pr) == -1) {
		ppp_session_log(s, LOG_DEBUG, "auth: PAP %s dropped",
		    ppp_code_name(PPP_PROTO_PAP, cp->cp_code));
		return;
	}
	switch (a->au_state) {
	case AUTH_SRV_WAIT_PAP:
		break;
	case AUTH_SUCCESS:
		/* RFC 1334 2.2.1: the Ack was lost; the same answer. */
		obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
		pap_reply_put(&o, PAP_AUTH_ACK, cp->cp_id, AUTH_MSG_OK,
		    strlen(AUTH_MSG_OK));
		if (auth_keep(s, &o) == 0)
			auth_send_kept(s);
		return;
	default:
		ppp_session_log(s, LOG_DEBUG, "auth: PAP request in state %s "
		    "dropped", ppp_auth_state_name(a->au_state));
		return;
	}
	auth_set_user(s, pr.pr_peerid, pr.pr_peeridlen);
	if (auth_srv_lookup(s, pr.pr_peerid, pr.pr_peeridlen, &m,
	    &reason) != NULL) {
		if (m.um_secret_len == pr.pr_passwdlen &&
		    CRYPTO_memcmp(m.um_secret, pr.pr_passwd,
		    pr.pr_passwdlen) == 0)
			ok = auth_srv_addr_ok(s, &reason);
		else
			reason = "wrong password";
	}
	msg = ok ? AUTH_MSG_OK : AUTH_MSG_FAIL;
	obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
	pap_reply_put(&o, ok ? PAP_AUTH_ACK : PAP_AUTH_NAK, cp->cp_id, msg,
	    strlen(msg));
	if (auth_keep(s, &o) == 0)
		auth_send_kept(s);
	auth_srv_verdict(s, ok, reason);
}

/* RFC 1994 4.1: MD5 over Identifier, secret and Challenge. */
static int
auth_srv_md5(struct ppp_session *s, const struct ppp_cp *cp,
    const struct chap_chal *r, const char **reason)
{
	struct ppp_auth		*a = &s->ses_au;
	struct users_match	 m;
	int			 rv;

	if (auth_srv_lookup(s, r->cc_name, r->cc_namelen, &m, reason) == NULL)
		return (0);
	rv = chap_md5_verify(cp->cp_id, m.um_secret, m.um_secret_len,
	    a->au_chal, a->au_challen, r->cc_value, r->cc_valuelen);
	if (rv == -1) {
		*reason = "internal error: MD5 unavailable";
		return (0);
	}
	if (rv == 0) {
		*reason = "wrong password";
		return (0);
	}
	return (auth_srv_addr_ok(s, reason));
}

/*
 * RFC 2759 4, 8.1, 8.7: check the NT-Response and make the authenticator
 * response for the Success.  The user name hashed and looked up is the
 * one without a "DOMAIN\" in front (8.2); the one logged is as sent.
 */
static int
auth_srv_mschapv2(struct ppp_session *s, const struct chap_chal *r,
    char authstr[MSCHAPV2_AUTHSTR_LEN + 1], const char **reason)
{
	struct ppp_auth		*a = &s->ses_au;
	struct users_match	 m;
	struct mschapv2_resp	 mr;
	const uint8_t		*user;
	size_t			 userlen;
	int			 rv;

	if (mschapv2_resp_parse(r->cc_value, r->cc_valuelen, &mr) == -1) {
		*reason = "malformed MS-CHAPv2 response";
		return (0);
	}
	chap_ms_user_name(r->cc_name, r->cc_namelen, &user, &userlen);
	if (auth_srv_lookup(s, user, userlen, &m, reason) == NULL)
		return (0);
	rv = chap_ms_verify_nt_response(a->au_chal, mr.mr_peer_chal,
	    (const char *)user, userlen, (const char *)m.um_secret,
	    m.um_secret_len, mr.mr_nt_resp);
	if (rv == -1) {
		*reason = "internal error: MS-CHAPv2 unavailable (MD4?) or "
		    "the secret is not UTF-8";
		return (0);
	}
	if (rv == 0) {
		*reason = "wrong password";
		return (0);
	}
	if (!auth_srv_addr_ok(s, reason))
		return (0);
	if (chap_ms_generate_auth_response((const char *)m.um_secret,
	    m.um_secret_len, mr.mr_nt_resp, mr.mr_peer_chal, a->au_chal,
	    (const char *)user, userlen, NULL, authstr) == -1) {
		*reason = "internal error: cannot make the authenticator "
		    "response";
		return (0);
	}
	return (1);
}

static void
auth_srv_chap(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth		*a = &s->ses_au;
	struct chap_chal	 r;
	struct obuf		 o;
	char			 authstr[MSCHAPV2_AUTHSTR_LEN + 1];
	uint8_t			 chal[MSCHAPV2_CHAL_LEN];
	const char		*reason = NULL, *msg;
	int			 ok;

	if (cp->cp_code != CHAP_RESPONSE) {
		ppp_session_log(s, LOG_DEBUG, "auth: CHAP %s dropped",
		    ppp_code_name(PPP_PROTO_CHAP, cp->cp_code));
		return;
	}
	if (cp->cp_id != a->au_id || (a->au_state != AUTH_SRV_CHAL_SENT &&
	    a->au_state != AUTH_SUCCESS && a->au_state != AUTH_FAILED)) {
		ppp_session_log(s, LOG_DEBUG, "auth: Response id %u in state "
		    "%s (challenge id %u) dropped", cp->cp_id,
		    ppp_auth_state_name(a->au_state), a->au_id);
		return;
	}
	if (a->au_replied) {
		/* RFC 1994 4.1: the same Code again, for a lost reply. */
		auth_send_kept(s);
		return;
	}
	if (chap_chal_parse(cp, &r) == -1 || (a->au_method == CONF_AUTH_CHAP &&
	    r.cc_valuelen != CHAP_MD5_VALUE_LEN)) {
		ppp_session_log(s, LOG_DEBUG, "auth: malformed Response "
		    "dropped");
		return;
	}
	auth_set_user(s, r.cc_name, r.cc_namelen);
	memset(authstr, 0, sizeof(authstr));
	obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
	if (a->au_method == CONF_AUTH_MSCHAPV2) {
		ok = auth_srv_mschapv2(s, &r, authstr, &reason);
		if (ok) {
			size_t off = ppp_cp_begin(&o, CHAP_SUCCESS, cp->cp_id);

			mschapv2_success_put(&o, authstr, AUTH_MSG_OK);
			ppp_cp_end(&o, off);
		} else {
			/*
			 * RFC 2759 6: E=691 whatever the cause, so the
			 * peer cannot tell unknown users from wrong
			 * passwords; R=0, no retry on this link.
			 */
			size_t off = ppp_cp_begin(&o, CHAP_FAILURE, cp->cp_id);

			arc4random_buf(chal, sizeof(chal));
			mschapv2_failure_put(&o,
			    MSCHAPV2_E_AUTHENTICATION_FAILURE, 0, chal,
			    AUTH_MSG_FAIL);
			ppp_cp_end(&o, off);
		}
	} else {
		ok = auth_srv_md5(s, cp, &r, &reason);
		msg = ok ? AUTH_MSG_OK : AUTH_MSG_FAIL;
		chap_status_put(&o, ok ? CHAP_SUCCESS : CHAP_FAILURE,
		    cp->cp_id, msg, strlen(msg));
	}
	if (auth_keep(s, &o) == 0)
		auth_send_kept(s);
	auth_srv_verdict(s, ok, reason);
}

/* Client side. */

static void
auth_cli_pap_send(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;
	struct obuf	 o;

	a->au_id++;
	obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
	pap_req_put(&o, a->au_id, s->ses_user, strlen(s->ses_user),
	    s->ses_passwd, s->ses_passwd_len);
	if (auth_keep(s, &o) == -1)
		return;
	a->au_tries++;
	auth_set_state(s, AUTH_CLI_PAP_SENT);
	auth_send_kept(s);
	auth_timer(s);
}

static void
auth_cli_failed(struct ppp_session *s, const char *wire, const char *why)
{
	struct ppp_auth	*a = &s->ses_au;

	ppp_session_timer_stop(s, PPP_TIMER_AUTH);
	explicit_bzero(a->au_pkt, sizeof(a->au_pkt));
	a->au_pktlen = 0;
	auth_set_state(s, AUTH_FAILED);
	auth_report(s, 0, why);
	ppp_session_fail(s, wire, "%s", why);
}

static void
auth_cli_success(struct ppp_session *s, const uint8_t *msg, size_t len)
{
	struct ppp_auth	*a = &s->ses_au;

	ppp_session_timer_stop(s, PPP_TIMER_AUTH);
	explicit_bzero(a->au_pkt, sizeof(a->au_pkt));
	a->au_pktlen = 0;
	auth_set_state(s, AUTH_SUCCESS);
	ppp_session_log(s, LOG_INFO, "authenticated to the server as \"%s\" "
	    "with %s: %.*s", s->ses_user, ppp_auth_name(a->au_method),
	    (int)(len > 200 ? 200 : len), len > 0 ? (const char *)msg : "");
	auth_report(s, 1, NULL);
	ppp_session_auth_done(s);
}

static void
auth_cli_refused(struct ppp_session *s, const uint8_t *msg, size_t len)
{
	char	 why[PPP_REASON_MAX];

	if (len > 200)
		len = 200;
	ppp_session_log(s, LOG_NOTICE, "server refused authentication: %.*s",
	    (int)len, len > 0 ? (const char *)msg : "(no message)");
	(void)snprintf(why, sizeof(why), "server refused authentication: "
	    "%.*s", (int)len, len > 0 ? (const char *)msg : "(no message)");
	auth_cli_failed(s, AUTH_MSG_FAIL, why);
}

static void
auth_cli_pap(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth		*a = &s->ses_au;
	struct pap_reply	 pp;

	if ((cp->cp_code != PAP_AUTH_ACK && cp->cp_code != PAP_AUTH_NAK) ||
	    a->au_state != AUTH_CLI_PAP_SENT || cp->cp_id != a->au_id ||
	    pap_reply_parse(cp, &pp) == -1) {
		ppp_session_log(s, LOG_DEBUG, "auth: PAP %s id %u in state %s "
		    "dropped", ppp_code_name(PPP_PROTO_PAP, cp->cp_code),
		    cp->cp_id, ppp_auth_state_name(a->au_state));
		return;
	}
	if (cp->cp_code == PAP_AUTH_ACK)
		auth_cli_success(s, pp.pp_msg, pp.pp_msglen);
	else
		auth_cli_refused(s, pp.pp_msg, pp.pp_msglen);
}

/* RFC 1994 4.1, RFC 2759 4: our Response to a Challenge. */
static void
auth_cli_challenge(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth		*a = &s->ses_au;
	struct chap_chal	 c;
	struct mschapv2_resp	 mr;
	struct obuf		 o;
	uint8_t			 value[MSCHAPV2_RESP_LEN];
	size_t			 vlen, off, userlen;
	const uint8_t		*user;
	int			 rv;

	if (a->au_state != AUTH_CLI_WAIT_CHAL &&
	    a->au_state != AUTH_CLI_RESP_SENT && a->au_state != AUTH_SUCCESS) {
		ppp_session_log(s, LOG_DEBUG, "auth: Challenge in state %s "
		    "dropped", ppp_auth_state_name(a->au_state));
		return;
	}
	if (chap_chal_parse(cp, &c) == -1 ||
	    (a->au_method == CONF_AUTH_MSCHAPV2 &&
	    c.cc_valuelen != MSCHAPV2_CHAL_LEN)) {
		ppp_session_log(s, LOG_INFO, "auth: malformed Challenge "
		    "dropped");
		return;
	}
	if (a->au_method == CONF_AUTH_MSCHAPV2) {
		memcpy(a->au_chal, c.cc_value, MSCHAPV2_CHAL_LEN);
		a->au_challen = MSCHAPV2_CHAL_LEN;
		arc4random_buf(a->au_peer_chal, sizeof(a->au_peer_chal));
		chap_ms_user_name((const uint8_t *)s->ses_user,
		    strlen(s->ses_user), &user, &userlen);
		rv = chap_ms_generate_nt_response(a->au_chal, a->au_peer_chal,
		    (const char *)user, userlen, (const char *)s->ses_passwd,
		    s->ses_passwd_len, a->au_ntresp);
		memset(&mr, 0, sizeof(mr));
		memcpy(mr.mr_peer_chal, a->au_peer_chal, MSCHAPV2_CHAL_LEN);
		memcpy(mr.mr_nt_resp, a->au_ntresp, MSCHAPV2_NTRESP_LEN);
		obuf_init(&o, value, sizeof(value));
		mschapv2_resp_put(&o, &mr);
		vlen = o.o_len;
	} else {
		rv = chap_md5_response(cp->cp_id, s->ses_passwd,
		    s->ses_passwd_len, c.cc_value, c.cc_valuelen, value);
		vlen = CHAP_MD5_VALUE_LEN;
	}
	if (rv == -1) {
		explicit_bzero(value, sizeof(value));
		auth_cli_failed(s, AUTH_MSG_FAIL, "cannot compute the "
		    "response (MD4/MD5 unavailable, or the password is not "
		    "UTF-8)");
		return;
	}
	if (c.cc_namelen > 0)
		ppp_session_log(s, LOG_DEBUG, "auth: Challenge id %u from "
		    "\"%.*s\"", cp->cp_id, (int)c.cc_namelen,
		    (const char *)c.cc_name);
	a->au_id = cp->cp_id;
	a->au_tries = 1;
	obuf_init(&o, a->au_pkt, sizeof(a->au_pkt));
	off = ppp_cp_begin(&o, CHAP_RESPONSE, cp->cp_id);
	obuf_put_u8(&o, (uint8_t)vlen);
	obuf_put_bytes(&o, value, vlen);
	obuf_put_bytes(&o, s->ses_user, strlen(s->ses_user));
	ppp_cp_end(&o, off);
	explicit_bzero(value, sizeof(value));
	if (auth_keep(s, &o) == -1)
		return;
	auth_set_state(s, AUTH_CLI_RESP_SENT);
	auth_send_kept(s);
	auth_timer(s);
}

/* RFC 2759 5 and 8.8: the server proves it knows our password too. */
static void
auth_cli_success_mschapv2(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth			*a = &s->ses_au;
	struct mschapv2_success		 ms;
	const uint8_t			*user;
	size_t				 userlen;
	int				 rv;

	if (mschapv2_success_parse(cp->cp_data, cp->cp_datalen, &ms) == -1) {
		ppp_session_log(s, LOG_NOTICE, "server's MS-CHAPv2 Success "
		    "carries no valid authenticator response");
		auth_cli_failed(s, "Server not authenticated", "server sent "
		    "an MS-CHAPv2 Success without an authenticator response");
		return;
	}
	chap_ms_user_name((const uint8_t *)s->ses_user, strlen(s->ses_user),
	    &user, &userlen);
	rv = chap_ms_check_auth_response((const char *)s->ses_passwd,
	    s->ses_passwd_len, a->au_ntresp, a->au_peer_chal, a->au_chal,
	    (const char *)user, userlen, ms.ms_auth);
	if (rv != 1) {
		ppp_session_log(s, LOG_NOTICE, "the server's MS-CHAPv2 "
		    "authenticator response is wrong: the server does not "
		    "know our password (an impostor?)");
		auth_cli_failed(s, "Server not authenticated", "server failed "
		    "to prove it knows our password (bad MS-CHAPv2 "
		    "authenticator response)");
		return;
	}
	auth_cli_success(s, ms.ms_msg, ms.ms_msglen);
}

static void
auth_cli_chap(struct ppp_session *s, const struct ppp_cp *cp)
{
	struct ppp_auth	*a = &s->ses_au;

	if (cp->cp_code == CHAP_CHALLENGE) {
		auth_cli_challenge(s, cp);
		return;
	}
	if ((cp->cp_code != CHAP_SUCCESS && cp->cp_code != CHAP_FAILURE) ||
	    a->au_state != AUTH_CLI_RESP_SENT || cp->cp_id != a->au_id) {
		ppp_session_log(s, LOG_DEBUG, "auth: CHAP %s id %u in state %s "
		    "dropped", ppp_code_name(PPP_PROTO_CHAP, cp->cp_code),
		    cp->cp_id, ppp_auth_state_name(a->au_state));
		return;
	}
	if (cp->cp_code == CHAP_FAILURE)
		auth_cli_refused(s, cp->cp_data, cp->cp_datalen);
	else if (a->au_method == CONF_AUTH_MSCHAPV2)
		auth_cli_success_mschapv2(s, cp);
	else
		auth_cli_success(s, cp->cp_data, cp->cp_datalen);
}

/* Entry points. */

void
ppp_auth_start(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;

	a->au_tries = 0;
	a->au_replied = 0;
	a->au_pktlen = 0;
	if (a->au_id == 0)
		a->au_id = (uint8_t)arc4random();
	ppp_session_log(s, LOG_INFO, "authenticating %s with %s",
	    s->ses_role == PPP_ROLE_SERVER ? "the peer" : "to the server",
	    ppp_auth_name(a->au_method));
	if (s->ses_role == PPP_ROLE_SERVER) {
		if (a->au_method == CONF_AUTH_PAP) {
			auth_set_state(s, AUTH_SRV_WAIT_PAP);
			auth_timer(s);
		} else
			auth_srv_challenge(s);
	} else {
		if (a->au_method == CONF_AUTH_PAP)
			auth_cli_pap_send(s);
		else {
			auth_set_state(s, AUTH_CLI_WAIT_CHAL);
			auth_timer(s);
		}
	}
}

void
ppp_auth_stop(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;

	ppp_session_timer_stop(s, PPP_TIMER_AUTH);
	explicit_bzero(a->au_pkt, sizeof(a->au_pkt));
	a->au_pktlen = 0;
	a->au_replied = 0;
	if (a->au_state != AUTH_FAILED)
		auth_set_state(s, AUTH_IDLE);
}

void
ppp_auth_wipe(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;

	explicit_bzero(a->au_pkt, sizeof(a->au_pkt));
	a->au_pktlen = 0;
	explicit_bzero(a->au_ntresp, sizeof(a->au_ntresp));
}

void
ppp_auth_input(struct ppp_session *s, uint16_t proto, const uint8_t *buf,
    size_t len)
{
	struct ppp_auth	*a = &s->ses_au;
	struct ppp_cp	 cp;

	if (ppp_cp_parse(buf, len, &cp) == -1) {
		s->ses_dropped++;
		ppp_session_log(s, LOG_DEBUG, "malformed %s packet dropped",
		    ppp_proto_name(proto));
		return;
	}
	/* Only the protocol LCP agreed on; the other is "supported". */
	if (a->au_method == CONF_AUTH_NONE ||
	    proto != auth_proto(a->au_method) || s->ses_term_pending) {
		ppp_session_log(s, LOG_DEBUG, "%s %s not expected, dropped",
		    ppp_proto_name(proto), ppp_code_name(proto, cp.cp_code));
		return;
	}
	if (s->ses_role == PPP_ROLE_SERVER) {
		if (proto == PPP_PROTO_PAP)
			auth_srv_pap(s, &cp);
		else
			auth_srv_chap(s, &cp);
	} else {
		if (proto == PPP_PROTO_PAP)
			auth_cli_pap(s, &cp);
		else
			auth_cli_chap(s, &cp);
	}
}

/*
 * RFC 1661 3.5: "SHOULD NOT fail authentication simply due to timeout
 * or lack of response", so resend, and give up after PPP_AUTH_TRIES.
 */
void
ppp_auth_timeout(struct ppp_session *s)
{
	struct ppp_auth	*a = &s->ses_au;

	switch (a->au_state) {
	case AUTH_SRV_CHAL_SENT:
		if (a->au_tries >= PPP_AUTH_TRIES) {
			ppp_session_fail(s, AUTH_MSG_FAIL, "peer did not "
			    "answer the %s Challenge",
			    ppp_auth_name(a->au_method));
			return;
		}
		auth_srv_challenge(s);
		break;
	case AUTH_SRV_WAIT_PAP:
		if (++a->au_tries >= PPP_AUTH_TRIES) {
			ppp_session_fail(s, AUTH_MSG_FAIL, "peer sent no PAP "
			    "Authenticate-Request");
			return;
		}
		auth_timer(s);
		break;
	case AUTH_CLI_WAIT_CHAL:
		if (++a->au_tries >= PPP_AUTH_TRIES) {
			auth_cli_failed(s, AUTH_MSG_FAIL, "server sent no "
			    "CHAP Challenge");
			return;
		}
		auth_timer(s);
		break;
	case AUTH_CLI_PAP_SENT:
		if (a->au_tries >= PPP_AUTH_TRIES) {
			auth_cli_failed(s, AUTH_MSG_FAIL, "server did not "
			    "answer our PAP Authenticate-Request");
			return;
		}
		/* RFC 1334 2.2.1: a new Identifier each time. */
		auth_cli_pap_send(s);
		break;
	case AUTH_CLI_RESP_SENT:
		if (a->au_tries >= PPP_AUTH_TRIES) {
			auth_cli_failed(s, AUTH_MSG_FAIL, "server did not "
			    "answer our CHAP Response");
			return;
		}
		a->au_tries++;
		auth_send_kept(s);
		auth_timer(s);
		break;
	default:
		break;
	}
}
