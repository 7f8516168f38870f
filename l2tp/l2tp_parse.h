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


#ifndef L2TPSEC_L2TP_PARSE_H
#define L2TPSEC_L2TP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The L2TP (RFC 2661) header and AVP wire format, knowing only bytes: no
 * tunnel or session state lives here.  Received bytes are parsed into a
 * struct l2tp_msg whose strings point into the packet (or, for hidden
 * AVPs, into the struct's own scratch space); messages are built into a
 * caller's struct obuf.
 */

struct obuf;

/* Header, RFC 2661 3.1: the first 16 bits. */
#define L2TP_HDR_T		0x8000	/* control message */
#define L2TP_HDR_L		0x4000	/* Length present */
#define L2TP_HDR_S		0x0800	/* Ns and Nr present */
#define L2TP_HDR_O		0x0200	/* Offset Size present */
#define L2TP_HDR_P		0x0100	/* priority (data only) */
#define L2TP_HDR_VER		0x000f
#define L2TP_VERSION		2	/* 1 is L2F, 3 is L2TPv3 */
#define L2TP_CTRL_FLAGS		(L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | \
				 L2TP_VERSION)

/*
 * Every control message we build has the fixed 12-byte header, so the
 * reliable-delivery layer can patch Ns and Nr at these offsets.
 */
#define L2TP_CTRL_HDRLEN	12
#define L2TP_OFF_LENGTH		2
#define L2TP_OFF_NS		8
#define L2TP_OFF_NR		10
#define L2TP_MSG_MAXLEN		65535

/* AVP header, RFC 2661 4.1. */
#define L2TP_AVP_M		0x8000
#define L2TP_AVP_H		0x4000
#define L2TP_AVP_RSVD		0x3c00
#define L2TP_AVP_LENMASK	0x03ff
#define L2TP_AVP_HDRLEN		6
#define L2TP_AVP_MAXLEN		1023
#define L2TP_AVP_MAXVAL		(L2TP_AVP_MAXLEN - L2TP_AVP_HDRLEN)

/* Message types, RFC 2661 3.2. */
#define L2TP_SCCRQ		1
#define L2TP_SCCRP		2
#define L2TP_SCCCN		3
#define L2TP_StopCCN		4
#define L2TP_HELLO		6
#define L2TP_OCRQ		7
#define L2TP_OCRP		8
#define L2TP_OCCN		9
#define L2TP_ICRQ		10
#define L2TP_ICRP		11
#define L2TP_ICCN		12
#define L2TP_CDN		14
#define L2TP_WEN		15
#define L2TP_SLI		16

/* AVP attribute types (vendor 0), RFC 2661 4.4. */
#define L2TP_AVP_MESSAGE_TYPE	0
#define L2TP_AVP_RESULT_CODE	1
#define L2TP_AVP_PROTOCOL_VERSION 2
#define L2TP_AVP_FRAMING_CAP	3
#define L2TP_AVP_BEARER_CAP	4
#define L2TP_AVP_TIE_BREAKER	5
#define L2TP_AVP_FIRMWARE_REV	6
#define L2TP_AVP_HOST_NAME	7
#define L2TP_AVP_VENDOR_NAME	8
#define L2TP_AVP_TUNNEL_ID	9
#define L2TP_AVP_RECV_WINDOW	10
#define L2TP_AVP_CHALLENGE	11
#define L2TP_AVP_Q931_CAUSE	12
#define L2TP_AVP_CHALLENGE_RESP	13
#define L2TP_AVP_SESSION_ID	14
#define L2TP_AVP_CALL_SERIAL	15
#define L2TP_AVP_MIN_BPS	16
#define L2TP_AVP_MAX_BPS	17
#define L2TP_AVP_BEARER_TYPE	18
#define L2TP_AVP_FRAMING_TYPE	19
#define L2TP_AVP_CALLED_NUMBER	21
#define L2TP_AVP_CALLING_NUMBER	22
#define L2TP_AVP_SUB_ADDRESS	23
#define L2TP_AVP_TX_CONNECT_SPEED 24
#define L2TP_AVP_PHYS_CHANNEL	25
#define L2TP_AVP_INIT_RX_LCP	26
#define L2TP_AVP_LAST_TX_LCP	27
#define L2TP_AVP_LAST_RX_LCP	28
#define L2TP_AVP_PROXY_AUTH_TYPE 29
#define L2TP_AVP_PROXY_AUTH_NAME 30
#define L2TP_AVP_PROXY_AUTH_CHAL 31
#define L2TP_AVP_PROXY_AUTH_ID	32
#define L2TP_AVP_PROXY_AUTH_RESP 33
#define L2TP_AVP_CALL_ERRORS	34
#define L2TP_AVP_ACCM		35
#define L2TP_AVP_RANDOM_VECTOR	36
#define L2TP_AVP_PRIVATE_GROUP	37
#define L2TP_AVP_RX_CONNECT_SPEED 38
#define L2TP_AVP_SEQ_REQUIRED	39
#define L2TP_AVP_NTYPES		40

/* Result codes for StopCCN, RFC 2661 4.4.2. */
#define L2TP_STOPCCN_CLEAR	1
#define L2TP_STOPCCN_ERROR	2
#define L2TP_STOPCCN_EXISTS	3
#define L2TP_STOPCCN_NOT_AUTHORIZED 4
#define L2TP_STOPCCN_BAD_VERSION 5
#define L2TP_STOPCCN_SHUTDOWN	6
#define L2TP_STOPCCN_FSM	7

/* Result codes for CDN, RFC 2661 4.4.2. */
#define L2TP_CDN_LOST_CARRIER	1
#define L2TP_CDN_ERROR		2
#define L2TP_CDN_ADMIN		3
#define L2TP_CDN_TEMP_FACILITIES 4
#define L2TP_CDN_PERM_FACILITIES 5
#define L2TP_CDN_BAD_DEST	6
#define L2TP_CDN_NO_CARRIER	7
#define L2TP_CDN_BUSY		8
#define L2TP_CDN_NO_DIALTONE	9
#define L2TP_CDN_TIMEOUT	10
#define L2TP_CDN_NO_FRAMING	11

/* General error codes, RFC 2661 4.4.2 (7 is "try another", RFC 3193). */
#define L2TP_ERR_NONE		0
#define L2TP_ERR_NO_TUNNEL	1
#define L2TP_ERR_LENGTH		2
#define L2TP_ERR_VALUE		3
#define L2TP_ERR_RESOURCES	4
#define L2TP_ERR_SESSION_ID	5
#define L2TP_ERR_VENDOR		6
#define L2TP_ERR_TRY_ANOTHER	7
#define L2TP_ERR_UNKNOWN_M	8

/* Framing and bearer bit masks, RFC 2661 4.4.3 and 4.4.4. */
#define L2TP_FRAMING_SYNC	0x00000001
#define L2TP_FRAMING_ASYNC	0x00000002
#define L2TP_BEARER_DIGITAL	0x00000001
#define L2TP_BEARER_ANALOG	0x00000002

/* Proxy Authen Type values, RFC 2661 4.4.5. */
#define L2TP_PROXY_AUTH_TEXT	1
#define L2TP_PROXY_AUTH_CHAP	2
#define L2TP_PROXY_AUTH_PAP	3
#define L2TP_PROXY_AUTH_NONE	4
#define L2TP_PROXY_AUTH_MSCHAPV1 5

/* Protocol Version AVP contents we speak: version 1, revision 0. */
#define L2TP_PROTO_VER		1
#define L2TP_PROTO_REV		0

#define L2TP_CHAL_RESP_LEN	16

/* Parse results: 0 is success; each error has its own text. */
enum l2tp_perr {
	L2TP_P_OK = 0,
	L2TP_P_SHORT,		/* datagram shorter than its header */
	L2TP_P_VERSION,		/* Ver is not 2 (L2F, L2TPv3, junk) */
	L2TP_P_CTRL_BITS,	/* control without L or S, or with O or P */
	L2TP_P_LENGTH,		/* Length beyond the datagram or inside hdr */
	L2TP_P_OFFSET,		/* offset padding beyond the message */
	L2TP_P_NOT_CTRL,	/* a data message given to the AVP parser */
	L2TP_P_NOT_DATA,	/* a control message given to the data parser */
	L2TP_P_AVP_LENGTH,	/* AVP Length < 6 or beyond the message */
	L2TP_P_NO_MSG_TYPE,	/* first AVP is not Message Type */
	L2TP_P_DUPLICATE,	/* a single-instance AVP appears twice */
	L2TP_P_VALUE_LENGTH,	/* value length wrong for its attribute */
	L2TP_P_VALUE,		/* a value the RFC rules out (zero ID...) */
	L2TP_P_HIDDEN_FORBIDDEN, /* H bit on an AVP that must not be hidden */
	L2TP_P_HIDDEN_NO_SECRET, /* hidden AVP, but no tunnel secret */
	L2TP_P_HIDDEN_NO_RV,	/* hidden AVP without a preceding RV */
	L2TP_P_HIDDEN_BAD,	/* unhidden length wrong (wrong secret?) */
	L2TP_P_HIDDEN_SPACE,	/* hidden values exceed our scratch space */
	L2TP_P_CRYPTO,		/* libcrypto failed */
	L2TP_P_NERRORS
};

/* The parsed header of any L2TP message (control or data). */
struct l2tp_hdr {
	uint16_t	 h_flags;	/* first 16 bits as received */
	uint8_t		 h_ver;
	int		 h_control;	/* T bit */
	int		 h_has_length;	/* L bit */
	int		 h_has_seq;	/* S bit */
	int		 h_has_offset;	/* O bit */
	int		 h_priority;	/* P bit */
	uint16_t	 h_tunnel_id;
	uint16_t	 h_session_id;
	uint16_t	 h_ns;		/* valid when h_has_seq */
	uint16_t	 h_nr;		/* with h_has_seq (data: ignore) */
	uint16_t	 h_offset_size;
	size_t		 h_hdrlen;	/* where AVPs or PPP payload start */
	size_t		 h_msglen;	/* Length, or the datagram without L */
	size_t		 h_trailing;	/* datagram bytes beyond Length */
};

/* A counted byte string in the packet; never NUL-terminated. */
struct l2tp_bytes {
	const uint8_t	*b_p;
	size_t		 b_len;
};

/*
 * Hidden AVP values are decoded into the message's own scratch space, so
 * the parser never allocates.  4 KiB is more than the sum of hidden
 * values any control message we have seen carries; a message that needs
 * more fails with L2TP_P_HIDDEN_SPACE.
 */
#define L2TP_HIDDEN_SPACE	4096

/*
 * A parsed control message.  A value is valid only when its AVP is
 * present: l2tp_msg_has(m, L2TP_AVP_...).  Strings point into the packet
 * or into m_hidden_buf, so the struct must not be copied and the packet
 * must outlive it.  On a parse error the header and everything before
 * the offending AVP are filled in, and m_err_* name that AVP.
 */
struct l2tp_msg {
	struct l2tp_hdr	 m_hdr;
	int		 m_zlb;		/* header only: an explicit ack */
	uint64_t	 m_avps;	/* presence, bit per attribute type */
	uint64_t	 m_hidden;	/* which of them arrived hidden */
	unsigned int	 m_navps;	/* AVPs seen, known or not */

	uint16_t	 m_type;	/* Message Type */
	int		 m_type_mbit;	/* M bit on Message Type (4.4.1) */

	/* Result Code (StopCCN, CDN) */
	uint16_t	 m_result;
	int		 m_has_error;
	uint16_t	 m_error;
	struct l2tp_bytes m_errmsg;

	uint8_t		 m_proto_ver;
	uint8_t		 m_proto_rev;
	uint32_t	 m_framing_cap;
	uint32_t	 m_bearer_cap;
	uint64_t	 m_tie_breaker;
	uint16_t	 m_firmware_rev;
	struct l2tp_bytes m_host_name;
	struct l2tp_bytes m_vendor_name;
	uint16_t	 m_tunnel_id;	/* Assigned Tunnel ID */
	uint16_t	 m_recv_window;
	struct l2tp_bytes m_challenge;
	uint8_t		 m_chal_resp[L2TP_CHAL_RESP_LEN];

	uint16_t	 m_q931_cause;
	uint8_t		 m_q931_msg;
	struct l2tp_bytes m_q931_advisory;
	uint16_t	 m_session_id;	/* Assigned Session ID */
	uint32_t	 m_call_serial;
	uint32_t	 m_min_bps;
	uint32_t	 m_max_bps;
	uint32_t	 m_bearer_type;
	uint32_t	 m_framing_type;
	struct l2tp_bytes m_called_number;
	struct l2tp_bytes m_calling_number;
	struct l2tp_bytes m_sub_address;
	uint32_t	 m_tx_speed;
	uint32_t	 m_rx_speed;
	uint32_t	 m_phys_channel;
	struct l2tp_bytes m_private_group;

	/* Proxy LCP and authentication (4.4.5): kept raw for ppp. */
	struct l2tp_bytes m_init_rx_lcp;
	struct l2tp_bytes m_last_tx_lcp;
	struct l2tp_bytes m_last_rx_lcp;
	uint16_t	 m_proxy_auth_type;
	struct l2tp_bytes m_proxy_auth_name;
	struct l2tp_bytes m_proxy_auth_chal;
	uint8_t		 m_proxy_auth_id;
	struct l2tp_bytes m_proxy_auth_resp;

	/* Call Errors (WEN) and ACCM (SLI) */
	uint32_t	 m_crc_errors;
	uint32_t	 m_framing_errors;
	uint32_t	 m_hw_overruns;
	uint32_t	 m_buf_overruns;
	uint32_t	 m_timeout_errors;
	uint32_t	 m_align_errors;
	uint32_t	 m_send_accm;
	uint32_t	 m_recv_accm;

	/*
	 * The first unrecognised AVP with the M bit (or a reserved bit,
	 * which 4.1 says to treat as unrecognised) set: the caller must
	 * clear the session (CDN) or tunnel (StopCCN) this message belongs
	 * to, RFC 2661 4.1.  Unrecognised AVPs without M are counted.
	 */
	int		 m_unknown_mandatory;
	uint16_t	 m_unknown_vendor;
	uint16_t	 m_unknown_type;
	unsigned int	 m_unknown_ignored;

	/* Where a parse error was found. */
	uint16_t	 m_err_vendor;
	uint16_t	 m_err_type;
	size_t		 m_err_offset;

	size_t		 m_hidden_len;
	uint8_t		 m_hidden_buf[L2TP_HIDDEN_SPACE];
};

/*
 * Parse the header of any L2TP message.  Reserved header bits are
 * ignored, as 3.1 requires.  Datagram bytes beyond Length are not part
 * of the message (3.1 defines Length as the message's total length) and
 * are reported in h_trailing.  Returns L2TP_P_OK or an enum l2tp_perr.
 */
int	l2tp_hdr_parse(const uint8_t *, size_t, struct l2tp_hdr *);

/*
 * Parse a data message header (for the userspace data path): the PPP
 * payload is at pkt + h_hdrlen, h_msglen - h_hdrlen bytes long.
 */
int	l2tp_data_parse(const uint8_t *, size_t, struct l2tp_hdr *);

/*
 * Parse a whole control message.  secret may be NULL (no tunnel secret
 * configured): a hidden AVP is then an error.
 */
int	l2tp_msg_parse(const uint8_t *, size_t, const uint8_t *secret,
	    size_t secretlen, struct l2tp_msg *);
int	l2tp_msg_has(const struct l2tp_msg *, unsigned int avp);
/* Wipe a parsed message: hidden values may be passwords (4.4.5). */
void	l2tp_msg_clear(struct l2tp_msg *);
/*
 * The first AVP that RFC 2661 6.x requires in this message type and that
 * is absent, or -1 when none is missing (or the type is unknown).
 */
int	l2tp_msg_missing(const struct l2tp_msg *);

const char *l2tp_perr_str(int);
/* The RFC 2661 4.4.2 error code to put in a StopCCN/CDN for a perr. */
uint16_t l2tp_perr_code(int);

/*
 * Building a control message: begin writes the 12-byte header and the
 * Message Type AVP; the put functions append AVPs with the M bit the RFC
 * prescribes for each attribute; finish patches the Length and returns
 * the message length, or -1 if anything did not fit or was refused (the
 * error is sticky, so check only the result of finish).  Ns and Nr are
 * at fixed offsets; the reliable layer overwrites both.
 */
struct l2tp_build {
	struct obuf	*lb_ob;
	size_t		 lb_start;
	const uint8_t	*lb_secret;
	size_t		 lb_secretlen;
	size_t		 lb_rv_off;	/* offset of the last RV value in ob */
	size_t		 lb_rv_len;
	int		 lb_has_rv;
	int		 lb_err;
};

void	l2tp_msg_begin(struct l2tp_build *, struct obuf *, uint16_t tunnel_id,
	    uint16_t session_id, uint16_t ns, uint16_t nr, uint16_t type);
/* The tunnel secret for l2tp_avp_put_hidden(); not copied. */
void	l2tp_build_secret(struct l2tp_build *, const uint8_t *, size_t);
/* Any AVP, flags (M, H) as given: for vendor AVPs and tests. */
void	l2tp_avp_put_raw(struct l2tp_build *, uint16_t flags, uint16_t vendor,
	    uint16_t type, const void *, size_t);
void	l2tp_avp_put_bytes(struct l2tp_build *, uint16_t type, const void *,
	    size_t);
void	l2tp_avp_put_u16(struct l2tp_build *, uint16_t type, uint16_t);
void	l2tp_avp_put_u32(struct l2tp_build *, uint16_t type, uint32_t);
void	l2tp_avp_put_u64(struct l2tp_build *, uint16_t type, uint64_t);
void	l2tp_avp_put_result(struct l2tp_build *, uint16_t result,
	    int has_error, uint16_t error, const char *msg);
void	l2tp_avp_put_proto_version(struct l2tp_build *);
/* A Random Vector; later hidden AVPs in this message use it (4.3). */
void	l2tp_avp_put_random_vector(struct l2tp_build *, const uint8_t *,
	    size_t);
/*
 * A hidden AVP (4.3): the value is hidden with the secret and the last
 * Random Vector put in this message, with padlen random padding bytes
 * to mask its length.  Refused (sticky error) without a secret, without
 * a Random Vector, or for an attribute the RFC says must not be hidden.
 */
void	l2tp_avp_put_hidden(struct l2tp_build *, uint16_t type, const void *,
	    size_t, size_t padlen);
int	l2tp_msg_finish(struct l2tp_build *);

/* A Zero-Length Body acknowledgement; returns its length (12) or -1. */
int	l2tp_zlb_build(struct obuf *, uint16_t tunnel_id, uint16_t session_id,
	    uint16_t ns, uint16_t nr);

/*
 * Hiding and unhiding one value (4.3), exposed for tests and for the
 * fuzzer: out receives len bytes.  Returns 0, or -1 if libcrypto fails.
 */
int	l2tp_hide(uint16_t type, const uint8_t *secret, size_t secretlen,
	    const uint8_t *rv, size_t rvlen, const uint8_t *in, uint8_t *out,
	    size_t len);
int	l2tp_unhide(uint16_t type, const uint8_t *secret, size_t secretlen,
	    const uint8_t *rv, size_t rvlen, const uint8_t *in, uint8_t *out,
	    size_t len);

/*
 * Tunnel authentication (5.1.1, Challenge Response AVP in 4.4.3): the
 * CHAP-style MD5(ID + secret + challenge), RFC 1994 4.1, where ID is the
 * Message Type of the message carrying the response: L2TP_SCCRP when we
 * answer an SCCRQ's challenge, L2TP_SCCCN when we answer an SCCRP's.
 */
int	l2tp_chal_response(uint8_t id, const uint8_t *secret, size_t secretlen,
	    const uint8_t *chal, size_t challen,
	    uint8_t out[L2TP_CHAL_RESP_LEN]);
/* 0 when resp is the right answer; compares in constant time. */
int	l2tp_chal_verify(uint8_t id, const uint8_t *secret, size_t secretlen,
	    const uint8_t *chal, size_t challen,
	    const uint8_t resp[L2TP_CHAL_RESP_LEN]);

/* Names for logs. Unknown values give "unknown". */
const char *l2tp_msg_type_name(uint16_t);
const char *l2tp_avp_name(uint16_t);
const char *l2tp_result_name(uint16_t msg_type, uint16_t result);
const char *l2tp_error_name(uint16_t error);
/*
 * Operator words for a StopCCN or CDN result, e.g. "StopCCN result 2
 * (general error), error 8 (unknown AVP with the M bit set)".  Returns
 * what snprintf returns.
 */
int	l2tp_result_words(char *, size_t, uint16_t msg_type, uint16_t result,
	    int has_error, uint16_t error);
/*
 * Copy a peer's string (host name, error message) for a log line: bytes
 * outside printable ASCII become '?', and the result is NUL-terminated
 * and truncated to fit.
 */
void	l2tp_bytes_printable(char *, size_t, const struct l2tp_bytes *);

#endif
