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


#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * What a PPP peer sends reaches the ppp child as frames: parse each as
 * far as its protocol and code say, through every option decoder and
 * body parser, rebuild what we can and insist it comes out the same,
 * and feed LCP/IPCP packets to an automaton driven into a state chosen
 * by the data.
 */

static uint8_t	 sink_buf[FSM_PKT_MAX];

static void
quiet(int pri, const char *line)
{
	(void)pri;
	(void)line;
}

static void
fz_build_req(struct fsm *fs, struct obuf *o)
{
	(void)fs;
	lcp_opt_put_mru(o, 1400);
	lcp_opt_put_magic(o, 0x11223344);
}

/* A little policy: Nak a bad MRU, Reject unknown options. */
static int
fz_check_req(struct fsm *fs, const uint8_t *opts, size_t len,
    struct obuf *reply, int nak_ok)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct lcp_optval	 v;
	struct ipcp_optval	 iv;
	int			 verdict = PPP_CONF_ACK, rv;

	ppp_opt_iter_init(&it, opts, len);
	while ((rv = ppp_opt_next(&it, &opt)) == 1) {
		if (fs->fs_proto == PPP_PROTO_LCP) {
			if (lcp_opt_decode(&opt, &v) == -1 ||
			    (v.lo_type == LCP_OPT_MRU && v.lo_mru < 576)) {
				if (nak_ok && verdict != PPP_CONF_REJ) {
					verdict = PPP_CONF_NAK;
					lcp_opt_put_mru(reply, 1400);
				}
			} else if (v.lo_type > LCP_OPT_ACFC) {
				if (verdict != PPP_CONF_REJ)
					reply->o_len = 0;
				verdict = PPP_CONF_REJ;
				ppp_opt_put_raw(reply, &opt);
			}
		} else if (ipcp_opt_decode(&opt, &iv) == -1) {
			verdict = PPP_CONF_REJ;
			ppp_opt_put_raw(reply, &opt);
		}
	}
	/* fsm_input checked the list before calling us. */
	if (rv != 0)
		abort();
	return (verdict);
}

static int
fz_recv(struct fsm *fs, const uint8_t *opts, size_t len)
{
	(void)fs;
	return (ppp_opts_valid(opts, len) == 0 ? 0 : (abort(), -1));
}

static int
fz_extcode(struct fsm *fs, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	struct ppp_cp		 cp;
	struct lcp_echo		 e;
	struct lcp_protorej	 pr;

	(void)id;
	if (fs->fs_proto != PPP_PROTO_LCP)
		return (FSM_EV_RUC);
	memset(&cp, 0, sizeof(cp));
	cp.cp_code = code;
	cp.cp_data = data;
	cp.cp_datalen = len;
	switch (code) {
	case PPP_PROTO_REJ:
		if (lcp_protorej_parse(&cp, &pr) == -1)
			return (-1);
		return (pr.lpr_proto == PPP_PROTO_LCP ? FSM_EV_RXJ_MINUS :
		    FSM_EV_RXJ_PLUS);
	case PPP_ECHO_REQ:
	case PPP_ECHO_REPLY:
	case PPP_DISC_REQ:
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		return (lcp_echo_parse(&cp, &e) == 0 ? FSM_EV_RXR : -1);
	default:
		return (FSM_EV_RUC);
	}
}

static void
fz_ser(struct fsm *fs, uint8_t id, const uint8_t *data, size_t len)
{
	struct obuf	 o;

	obuf_init(&o, sink_buf, sizeof(sink_buf));
	lcp_echo_put(&o, PPP_ECHO_REPLY, id, 0x11223344,
	    len >= 4 ? data + 4 : data, len >= 4 ? len - 4 : 0);
	if (obuf_error(&o) == 0)
		fs->fs_cb->fc_send(fs, sink_buf, o.o_len);
}

static void
fz_send(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_cp	 cp;

	(void)fs;
	/* Whatever we send must parse back as a well-formed packet. */
	if (ppp_cp_parse(buf, len, &cp) == -1 || cp.cp_len != len ||
	    len > FSM_PKT_MAX)
		abort();
}

static const struct fsm_callbacks fz_cb = {
	.fc_build_req = fz_build_req,
	.fc_check_req = fz_check_req,
	.fc_recv_ack = fz_recv,
	.fc_recv_nak = fz_recv,
	.fc_recv_rej = fz_recv,
	.fc_extcode = fz_extcode,
	.fc_ser = fz_ser,
	.fc_send = fz_send,
};

static void
options(const uint8_t *opts, size_t len)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct lcp_optval	 v;
	struct ipcp_optval	 iv;
	uint8_t			 buf[300];
	struct obuf		 o;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		(void)lcp_opt_decode(&opt, &v);
		(void)ipcp_opt_decode(&opt, &iv);
		(void)lcp_opt_name(opt.po_type);
		(void)ipcp_opt_name(opt.po_type);
		obuf_init(&o, buf, sizeof(buf));
		ppp_opt_put(&o, opt.po_type, opt.po_data, opt.po_datalen);
		if (obuf_error(&o) == -1 || o.o_len != opt.po_len ||
		    memcmp(buf, opt.po_raw, o.o_len) != 0)
			abort();
	}
}

static void
bodies(uint16_t proto, const struct ppp_cp *cp)
{
	struct lcp_protorej	 pr;
	struct lcp_echo		 e;
	struct ppp_coderej	 cr;
	struct pap_req		 preq;
	struct pap_reply	 prep;
	struct chap_chal	 cc;
	struct mschapv2_resp	 mr;
	struct mschapv2_success	 ms;
	struct mschapv2_failure	 mf;
	uint8_t			 buf[FSM_PKT_MAX + 8];
	struct obuf		 o;

	(void)ppp_code_name(proto, cp->cp_code);
	obuf_init(&o, buf, sizeof(buf));
	switch (proto) {
	case PPP_PROTO_PAP:
		if (cp->cp_code == PAP_AUTH_REQ &&
		    pap_req_parse(cp, &preq) == 0) {
			pap_req_put(&o, cp->cp_id, preq.pr_peerid,
			    preq.pr_peeridlen, preq.pr_passwd,
			    preq.pr_passwdlen);
			if (obuf_error(&o) == 0 && (o.o_len != cp->cp_len ||
			    memcmp(buf + 4, cp->cp_data, cp->cp_datalen)))
				abort();
		} else
			(void)pap_reply_parse(cp, &prep);
		return;
	case PPP_PROTO_CHAP:
		switch (cp->cp_code) {
		case CHAP_CHALLENGE:
		case CHAP_RESPONSE:
			if (chap_chal_parse(cp, &cc) == -1)
				return;
			chap_chal_put(&o, cp->cp_code, cp->cp_id, cc.cc_value,
			    cc.cc_valuelen, cc.cc_name, cc.cc_namelen);
			if (obuf_error(&o) == 0 && (o.o_len != cp->cp_len ||
			    memcmp(buf + 4, cp->cp_data, cp->cp_datalen)))
				abort();
			if (mschapv2_resp_parse(cc.cc_value, cc.cc_valuelen,
			    &mr) == 0) {
				obuf_init(&o, buf, sizeof(buf));
				mschapv2_resp_put(&o, &mr);
				if (memcmp(buf, cc.cc_value, o.o_len) != 0)
					abort();
			}
			break;
		case CHAP_SUCCESS:
			(void)mschapv2_success_parse(cp->cp_data,
			    cp->cp_datalen, &ms);
			break;
		case CHAP_FAILURE:
			if (mschapv2_failure_parse(cp->cp_data,
			    cp->cp_datalen, &mf) == 0 && mf.mf_has_chal) {
				mschapv2_failure_put(&o, mf.mf_error,
				    mf.mf_retry, mf.mf_chal, "");
				if (obuf_error(&o) == -1)
					abort();
			}
			break;
		}
		return;
	default:
		break;
	}
	switch (cp->cp_code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		options(cp->cp_data, cp->cp_datalen);
		break;
	case PPP_CODE_REJ:
		if (ppp_coderej_parse(cp, &cr) == 0)
			ppp_coderej_put(&o, cp->cp_id, cr.pcr_pkt,
			    cr.pcr_pktlen, 1500);
		break;
	case PPP_PROTO_REJ:
		if (lcp_protorej_parse(cp, &pr) == 0) {
			(void)ppp_proto_name(pr.lpr_proto);
			lcp_protorej_put(&o, cp->cp_id, pr.lpr_proto,
			    pr.lpr_info, pr.lpr_infolen, 1500);
		}
		break;
	default:
		if (lcp_echo_parse(cp, &e) == 0) {
			lcp_echo_put(&o, cp->cp_code, cp->cp_id, e.le_magic,
			    e.le_data, e.le_datalen);
			if (cp->cp_code != PPP_TIME_REMAINING &&
			    obuf_error(&o) == 0 && (o.o_len != cp->cp_len ||
			    memcmp(buf + 4, cp->cp_data, cp->cp_datalen)))
				abort();
		}
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_frame	 f;
	struct ppp_cp		 cp;
	struct mschapv2_success	 ms;
	struct mschapv2_failure	 mf;
	struct fsm		 fs;
	static int		 init;

	if (!init) {
		log_init("fuzz", 1, 0);
		log_set_sink(quiet);
		init = 1;
	}
	/* The message parsers also take the raw bytes. */
	(void)mschapv2_success_parse(data, size, &ms);
	(void)mschapv2_failure_parse(data, size, &mf);

	if (ppp_frame_parse(data, size, &f) == -1)
		return (0);
	(void)ppp_proto_valid(f.pf_proto);
	(void)ppp_proto_name(f.pf_proto);
	if (ppp_cp_parse(f.pf_info, f.pf_infolen, &cp) == -1)
		return (0);
	if (cp.cp_len > f.pf_infolen)
		abort();
	bodies(f.pf_proto, &cp);

	if (f.pf_proto != PPP_PROTO_LCP && f.pf_proto != PPP_PROTO_IPCP)
		return (0);
	/* The automaton in a state picked by the identifier. */
	fsm_init(&fs, "fuzz", f.pf_proto, &fz_cb, NULL);
	fs.fs_state = (enum fsm_state)(cp.cp_id % FSM_NSTATES);
	fs.fs_restart = cp.cp_id & 3;
	fs.fs_reqid = cp.cp_id;
	fs.fs_reqlen = cp.cp_datalen < sizeof(fs.fs_req) ?
	    cp.cp_datalen : 0;
	memcpy(fs.fs_req, cp.cp_data, fs.fs_reqlen);
	fs.fs_peer_mru = (uint16_t)(64 + cp.cp_id * 8);
	(void)fsm_input_packet(&fs, f.pf_info, f.pf_infolen);
	fsm_timeout(&fs);
	fsm_input(&fs, cp.cp_code, cp.cp_id, cp.cp_data, cp.cp_datalen);
	fsm_close(&fs, "fuzz");
	fsm_down(&fs);
	return (0);
}
