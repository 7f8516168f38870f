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


#ifndef L2TPSEC_PPP_PARSE_H
#define L2TPSEC_PPP_PARSE_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"

/*
 * PPP wire format: frames as L2TP carries them, the control packet header
 * shared by LCP, IPCP, PAP and CHAP, Configuration Option lists, and the
 * bodies of every packet we read or write.  Bytes only: no state, no
 * policy, no allocation.  Every parser returns 0 on success and -1 when
 * the bytes are malformed (the caller drops the packet); pointers in the
 * results point into the caller's buffer.  Every builder appends to an
 * obuf and leaves its sticky error set when the packet does not fit.
 */

/* Protocol field values (RFC 1661 2, RFC 1332, RFC 1994, RFC 5072). */
#define PPP_PROTO_PAD		0x0001
#define PPP_PROTO_IP		0x0021
#define PPP_PROTO_VJC		0x002d	/* Van Jacobson compressed TCP */
#define PPP_PROTO_VJUC		0x002f	/* Van Jacobson uncompressed TCP */
#define PPP_PROTO_IPV6		0x0057
#define PPP_PROTO_CCP_DATA	0x00fd
#define PPP_PROTO_IPCP		0x8021
#define PPP_PROTO_IPV6CP	0x8057
#define PPP_PROTO_CCP		0x80fd
#define PPP_PROTO_LCP		0xc021
#define PPP_PROTO_PAP		0xc023
#define PPP_PROTO_LQR		0xc025
#define PPP_PROTO_CHAP		0xc223
#define PPP_PROTO_EAP		0xc227

/* RFC 1662 3.1: the HDLC-like Address and Control fields. */
#define PPP_ALLSTATIONS		0xff
#define PPP_UI			0x03

/* RFC 1661 6.1: the default MRU; the floor an MRU may be Nak'd down to. */
#define PPP_MRU_DEFAULT		1500

/* Control packet codes (RFC 1661 5, RFC 1570 1). */
#define PPP_CONF_REQ		1
#define PPP_CONF_ACK		2
#define PPP_CONF_NAK		3
#define PPP_CONF_REJ		4
#define PPP_TERM_REQ		5
#define PPP_TERM_ACK		6
#define PPP_CODE_REJ		7
#define PPP_PROTO_REJ		8	/* LCP only, 8 to 13 */
#define PPP_ECHO_REQ		9
#define PPP_ECHO_REPLY		10
#define PPP_DISC_REQ		11
#define PPP_IDENTIFICATION	12
#define PPP_TIME_REMAINING	13

#define PPP_CP_HDRLEN		4	/* Code, Identifier, Length */

/* LCP Configuration Options (RFC 1661 6, RFC 1662 7, RFC 1570 2). */
#define LCP_OPT_MRU		1
#define LCP_OPT_ACCM		2
#define LCP_OPT_AUTH		3
#define LCP_OPT_QUALITY		4
#define LCP_OPT_MAGIC		5
#define LCP_OPT_PFC		7
#define LCP_OPT_ACFC		8
#define LCP_OPT_FCS_ALT		9
#define LCP_OPT_SDP		10
#define LCP_OPT_CALLBACK	13
#define LCP_OPT_MRRU		17	/* multilink, RFC 1990 */
#define LCP_OPT_SSNHF		18
#define LCP_OPT_ENDPOINT	19

/* CHAP Algorithm octet of the Authentication-Protocol option. */
#define CHAP_ALG_MD5		0x05	/* RFC 1994 */
#define CHAP_ALG_MSCHAP		0x80	/* RFC 2433, never accepted */
#define CHAP_ALG_MSCHAPV2	0x81	/* RFC 2759 */

/* IPCP Configuration Options (RFC 1332 3, RFC 1877 1). */
#define IPCP_OPT_ADDRESSES	1	/* deprecated */
#define IPCP_OPT_COMPRESS	2
#define IPCP_OPT_ADDRESS	3
#define IPCP_OPT_DNS1		129
#define IPCP_OPT_NBNS1		130
#define IPCP_OPT_DNS2		131
#define IPCP_OPT_NBNS2		132

/* PAP codes (RFC 1334 2.2). */
#define PAP_AUTH_REQ		1
#define PAP_AUTH_ACK		2
#define PAP_AUTH_NAK		3

/* CHAP codes (RFC 1994 4, RFC 2759 7). */
#define CHAP_CHALLENGE		1
#define CHAP_RESPONSE		2
#define CHAP_SUCCESS		3
#define CHAP_FAILURE		4
#define CHAP_CHANGE_PASSWORD	7	/* MS-CHAPv2, never accepted */

#define CHAP_MD5_VALUE_LEN	16

/* MS-CHAPv2 sizes (RFC 2759 4, 5, 6). */
#define MSCHAPV2_CHAL_LEN	16
#define MSCHAPV2_NTRESP_LEN	24
#define MSCHAPV2_RESP_LEN	49
#define MSCHAPV2_AUTHRESP_LEN	20	/* the number behind "S=" */
#define MSCHAPV2_AUTHSTR_LEN	42	/* "S=" and 40 hex digits */

/*
 * A frame as the L2TP data channel (or the kernel's PPP channel) hands it
 * to us: optional Address/Control, the Protocol field, the Information
 * field with any padding.
 */
struct ppp_frame {
	uint16_t	 pf_proto;
	int		 pf_acf;	/* FF 03 was present */
	const uint8_t	*pf_info;
	size_t		 pf_infolen;
};

int	ppp_frame_parse(const uint8_t *, size_t, struct ppp_frame *);
/* RFC 1661 2: Protocol values must be odd with an even high octet. */
int	ppp_proto_valid(uint16_t);
/* Appends Address/Control (when acf) and the two-octet Protocol field. */
void	ppp_frame_put_hdr(struct obuf *, int acf, uint16_t);

/*
 * The Code/Identifier/Length header of LCP, NCPs, PAP and CHAP.  cp_data
 * holds Length - 4 octets; the octets past Length are padding, ignored.
 */
struct ppp_cp {
	uint8_t		 cp_code;
	uint8_t		 cp_id;
	uint16_t	 cp_len;
	const uint8_t	*cp_data;
	size_t		 cp_datalen;
};

int	ppp_cp_parse(const uint8_t *, size_t, struct ppp_cp *);
/* Header and data in one go. */
void	ppp_cp_put(struct obuf *, uint8_t code, uint8_t id, const void *,
	    size_t);
/* Header now, Length patched by ppp_cp_end() once the data is written. */
size_t	ppp_cp_begin(struct obuf *, uint8_t code, uint8_t id);
void	ppp_cp_end(struct obuf *, size_t);

/*
 * Configuration Options (RFC 1661 6).  po_raw/po_len is the whole option
 * (Type, Length, Data), to copy into a Configure-Nak/Reject unchanged.
 */
struct ppp_opt {
	uint8_t		 po_type;
	uint8_t		 po_len;
	const uint8_t	*po_data;
	size_t		 po_datalen;
	const uint8_t	*po_raw;
};

struct ppp_opt_iter {
	struct cur	 oi_cur;
	int		 oi_err;
};

/*
 * RFC 1661 6: an option whose Data would run past the packet makes the
 * whole packet silently discarded, so check the whole list with
 * ppp_opts_valid() before acting on any option of it.
 */
int	ppp_opts_valid(const uint8_t *, size_t);
void	ppp_opt_iter_init(struct ppp_opt_iter *, const uint8_t *, size_t);
/* 1 and *opt filled, 0 at the end, -1 on a malformed option (sticky). */
int	ppp_opt_next(struct ppp_opt_iter *, struct ppp_opt *);
/* Appends one option; data may be NULL when len is 0. */
void	ppp_opt_put(struct obuf *, uint8_t type, const void *, size_t);
void	ppp_opt_put_raw(struct obuf *, const struct ppp_opt *);

/*
 * Decoded LCP option.  For a type we do not decode (and for Data beyond
 * what we decode) use the raw option.  lcp_opt_decode() returns -1 when
 * the Length is wrong for the type: RFC 1661 6 says to Configure-Nak it
 * with a correct one.
 */
struct lcp_optval {
	uint8_t		 lo_type;
	uint16_t	 lo_mru;
	uint32_t	 lo_accm;
	uint16_t	 lo_auth;	/* Authentication-Protocol */
	uint8_t		 lo_chap_alg;	/* when lo_auth is CHAP */
	uint16_t	 lo_quality;
	uint32_t	 lo_magic;
	const uint8_t	*lo_data;	/* everything after Type/Length */
	size_t		 lo_datalen;
};

int	lcp_opt_decode(const struct ppp_opt *, struct lcp_optval *);
void	lcp_opt_put_mru(struct obuf *, uint16_t);
void	lcp_opt_put_accm(struct obuf *, uint32_t);
/* alg is only written for CHAP. */
void	lcp_opt_put_auth(struct obuf *, uint16_t proto, uint8_t alg);
void	lcp_opt_put_magic(struct obuf *, uint32_t);
/* PFC, ACFC: options without data. */
void	lcp_opt_put_flag(struct obuf *, uint8_t);

/* Decoded IPCP option; addresses in network byte order. */
struct ipcp_optval {
	uint8_t		 io_type;
	struct in_addr	 io_addr;	/* 3, 129 to 132 */
	struct in_addr	 io_addr2;	/* 1: the second address */
	uint16_t	 io_comp;	/* 2: IP-Compression-Protocol */
	const uint8_t	*io_data;
	size_t		 io_datalen;
};

int	ipcp_opt_decode(const struct ppp_opt *, struct ipcp_optval *);
void	ipcp_opt_put_addr(struct obuf *, uint8_t type, struct in_addr);

/* LCP Protocol-Reject (RFC 1661 5.7). */
struct lcp_protorej {
	uint16_t	 lpr_proto;
	const uint8_t	*lpr_info;
	size_t		 lpr_infolen;
};

int	lcp_protorej_parse(const struct ppp_cp *, struct lcp_protorej *);
/* The copy of the rejected packet is cut so the packet fits in mru. */
void	lcp_protorej_put(struct obuf *, uint8_t id, uint16_t proto,
	    const uint8_t *, size_t, uint16_t mru);

/*
 * Echo-Request, Echo-Reply, Discard-Request (RFC 1661 5.8, 5.9) and
 * Identification (RFC 1570 1.1): Magic-Number and data.  Time-Remaining
 * (RFC 1570 1.2) adds Seconds-Remaining before the message.
 */
struct lcp_echo {
	uint32_t	 le_magic;
	uint32_t	 le_seconds;	/* Time-Remaining only */
	const uint8_t	*le_data;
	size_t		 le_datalen;
};

int	lcp_echo_parse(const struct ppp_cp *, struct lcp_echo *);
void	lcp_echo_put(struct obuf *, uint8_t code, uint8_t id, uint32_t magic,
	    const void *, size_t);

/* Code-Reject (RFC 1661 5.6): the rejected packet, maybe truncated. */
struct ppp_coderej {
	uint8_t		 pcr_code;	/* Code of the rejected packet */
	const uint8_t	*pcr_pkt;
	size_t		 pcr_pktlen;
};

int	ppp_coderej_parse(const struct ppp_cp *, struct ppp_coderej *);
void	ppp_coderej_put(struct obuf *, uint8_t id, const uint8_t *, size_t,
	    uint16_t mru);

/* PAP (RFC 1334 2.2). */
struct pap_req {
	const uint8_t	*pr_peerid;
	size_t		 pr_peeridlen;
	const uint8_t	*pr_passwd;
	size_t		 pr_passwdlen;
};

int	pap_req_parse(const struct ppp_cp *, struct pap_req *);
void	pap_req_put(struct obuf *, uint8_t id, const void *, size_t,
	    const void *, size_t);
/* Authenticate-Ack/Nak: one length-prefixed message. */
struct pap_reply {
	const uint8_t	*pp_msg;
	size_t		 pp_msglen;
};

int	pap_reply_parse(const struct ppp_cp *, struct pap_reply *);
void	pap_reply_put(struct obuf *, uint8_t code, uint8_t id, const void *,
	    size_t);

/* CHAP Challenge and Response (RFC 1994 4.1). */
struct chap_chal {
	const uint8_t	*cc_value;
	size_t		 cc_valuelen;
	const uint8_t	*cc_name;
	size_t		 cc_namelen;
};

int	chap_chal_parse(const struct ppp_cp *, struct chap_chal *);
void	chap_chal_put(struct obuf *, uint8_t code, uint8_t id, const void *,
	    size_t, const void *, size_t);
/* Success, Failure (RFC 1994 4.2): the whole Data is the message. */
void	chap_status_put(struct obuf *, uint8_t code, uint8_t id,
	    const void *, size_t);

/* The 49-octet MS-CHAPv2 Response Value (RFC 2759 4). */
struct mschapv2_resp {
	uint8_t		 mr_peer_chal[MSCHAPV2_CHAL_LEN];
	uint8_t		 mr_nt_resp[MSCHAPV2_NTRESP_LEN];
	uint8_t		 mr_flags;
};

int	mschapv2_resp_parse(const uint8_t *, size_t, struct mschapv2_resp *);
void	mschapv2_resp_put(struct obuf *, const struct mschapv2_resp *);

/*
 * Success message "S=<40 hex> M=<msg>" (RFC 2759 5).  The parser takes
 * the raw Message field and returns the authenticator response as bytes
 * and the message (possibly empty).
 */
struct mschapv2_success {
	uint8_t		 ms_auth[MSCHAPV2_AUTHRESP_LEN];
	const uint8_t	*ms_msg;
	size_t		 ms_msglen;
};

int	mschapv2_success_parse(const uint8_t *, size_t,
	    struct mschapv2_success *);
/* authstr is the 42-character "S=..." from chap_ms; msg is text. */
void	mschapv2_success_put(struct obuf *, const char *authstr,
	    const char *msg);

/* Failure message "E=%d R=%d C=<32 hex> V=%d M=<msg>" (RFC 2759 6). */
struct mschapv2_failure {
	uint32_t	 mf_error;
	int		 mf_retry;
	int		 mf_has_chal;
	uint8_t		 mf_chal[MSCHAPV2_CHAL_LEN];
	int		 mf_has_version;
	uint32_t	 mf_version;
	const uint8_t	*mf_msg;
	size_t		 mf_msglen;
};

#define MSCHAPV2_E_RESTRICTED_LOGON_HOURS	646
#define MSCHAPV2_E_ACCT_DISABLED		647
#define MSCHAPV2_E_PASSWD_EXPIRED		648
#define MSCHAPV2_E_NO_DIALIN_PERMISSION		649
#define MSCHAPV2_E_AUTHENTICATION_FAILURE	691
#define MSCHAPV2_E_CHANGING_PASSWORD		709

int	mschapv2_failure_parse(const uint8_t *, size_t,
	    struct mschapv2_failure *);
void	mschapv2_failure_put(struct obuf *, uint32_t error, int retry,
	    const uint8_t chal[MSCHAPV2_CHAL_LEN], const char *msg);

/* Names for logs; never NULL (unknown values print as "unknown"). */
const char	*ppp_proto_name(uint16_t);
/* The code's name in that protocol: PAP and CHAP have their own codes. */
const char	*ppp_code_name(uint16_t proto, uint8_t code);
const char	*lcp_opt_name(uint8_t);
const char	*ipcp_opt_name(uint8_t);
const char	*chap_alg_name(uint8_t);

#endif
