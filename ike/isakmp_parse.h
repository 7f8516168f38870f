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


#ifndef L2TPSEC_ISAKMP_PARSE_H
#define L2TPSEC_ISAKMP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The ISAKMP wire format (RFC 2408 section 3) as the IPsec DOI (RFC 2407)
 * and IKE (RFC 2409) use it, knowing only bytes.  The parser fills a fixed
 * struct with pointers and lengths into the caller's buffer and never
 * allocates; the builders write into an obuf.  Nothing here knows keys or
 * state: an encrypted message is decrypted by the caller (ike_crypto.h)
 * and its plaintext payload area handed to isakmp_parse_payloads().
 */

struct obuf;
struct cur;

#define ISAKMP_COOKIE_LEN	8
#define ISAKMP_HDR_LEN		28	/* RFC 2408 3.1 */
#define ISAKMP_GEN_LEN		4	/* RFC 2408 3.2: generic header */
#define ISAKMP_MAJOR		1
#define ISAKMP_MINOR		0
#define ISAKMP_PORT		500
#define ISAKMP_NATT_PORT	4500	/* RFC 3947 4 */

/*
 * Trailing bytes after the last payload of a plaintext message: RFC 2408
 * 3.5 and 3.6 let a sender pad "at the end of the message to make the
 * message 4-octet aligned", so at most 3.  For a decrypted message pass
 * the cipher's block size instead (RFC 2409 Appendix B pads "up to the
 * nearest block size"; strongSwan adds a whole block of zeros when the
 * plaintext is already aligned, as the 5.3 convention does).
 */
#define ISAKMP_PAD_PLAIN	3

/* Next Payload types: RFC 2408 3.1; RFC 3947 9; the NAT-T drafts. */
#define ISAKMP_PL_NONE		0
#define ISAKMP_PL_SA		1
#define ISAKMP_PL_P		2	/* only inside an SA payload */
#define ISAKMP_PL_T		3	/* only inside a proposal */
#define ISAKMP_PL_KE		4
#define ISAKMP_PL_ID		5
#define ISAKMP_PL_CERT		6
#define ISAKMP_PL_CR		7
#define ISAKMP_PL_HASH		8
#define ISAKMP_PL_SIG		9
#define ISAKMP_PL_NONCE		10
#define ISAKMP_PL_N		11
#define ISAKMP_PL_D		12
#define ISAKMP_PL_VID		13
#define ISAKMP_PL_NATD		20	/* RFC 3947 3.2 */
#define ISAKMP_PL_NATOA		21	/* RFC 3947 5.2 */
#define ISAKMP_PL_NATD_DRAFT	130	/* draft-ietf-ipsec-nat-t-ike-02, -03 */
#define ISAKMP_PL_NATOA_DRAFT	131	/* the same drafts */

/* Exchange types: RFC 2408 3.1; RFC 2409 Appendix A. */
#define ISAKMP_XCHG_NONE	0
#define ISAKMP_XCHG_BASE	1
#define ISAKMP_XCHG_IDPROT	2	/* IKE Main Mode */
#define ISAKMP_XCHG_AUTHONLY	3
#define ISAKMP_XCHG_AGGRESSIVE	4
#define ISAKMP_XCHG_INFO	5
#define ISAKMP_XCHG_QUICK	32
#define ISAKMP_XCHG_NGM		33

/* Header flags, RFC 2408 3.1. */
#define ISAKMP_FLAG_E		0x01
#define ISAKMP_FLAG_C		0x02
#define ISAKMP_FLAG_A		0x04

/* DOI and situation: RFC 2408 3.4, RFC 2407 4.2. */
#define ISAKMP_DOI_ISAKMP	0
#define ISAKMP_DOI_IPSEC	1
#define IPSEC_SIT_IDENTITY_ONLY	0x01
#define IPSEC_SIT_SECRECY	0x02
#define IPSEC_SIT_INTEGRITY	0x04

/* Protocol identifiers, RFC 2407 4.4.1. */
#define ISAKMP_PROTO_ISAKMP	1
#define ISAKMP_PROTO_AH		2
#define ISAKMP_PROTO_ESP	3
#define ISAKMP_PROTO_IPCOMP	4

/* Transform identifiers: RFC 2407 4.4.2 and 4.4.4, RFC 3602 5.2. */
#define ISAKMP_XF_KEY_IKE	1
#define ESP_XF_DES		2
#define ESP_XF_3DES		3
#define ESP_XF_NULL		11
#define ESP_XF_AES		12

/* Phase 1 attribute classes, RFC 2409 Appendix A (B basic, V variable). */
#define IKE_ATTR_ENCR		1	/* B */
#define IKE_ATTR_HASH		2	/* B */
#define IKE_ATTR_AUTH		3	/* B */
#define IKE_ATTR_GROUP_DESC	4	/* B */
#define IKE_ATTR_GROUP_TYPE	5	/* B */
#define IKE_ATTR_GROUP_PRIME	6	/* V */
#define IKE_ATTR_GROUP_GEN1	7	/* V */
#define IKE_ATTR_GROUP_GEN2	8	/* V */
#define IKE_ATTR_GROUP_CURVE_A	9	/* V */
#define IKE_ATTR_GROUP_CURVE_B	10	/* V */
#define IKE_ATTR_LIFE_TYPE	11	/* B */
#define IKE_ATTR_LIFE_DUR	12	/* V */
#define IKE_ATTR_PRF		13	/* B */
#define IKE_ATTR_KEY_LEN	14	/* B */
#define IKE_ATTR_FIELD_SIZE	15	/* B */
#define IKE_ATTR_GROUP_ORDER	16	/* V */

/* Encryption algorithms: RFC 2409 Appendix A; AES-CBC RFC 3602 5.1. */
#define IKE_ENCR_DES		1
#define IKE_ENCR_IDEA		2
#define IKE_ENCR_BLOWFISH	3
#define IKE_ENCR_RC5		4
#define IKE_ENCR_3DES		5
#define IKE_ENCR_CAST		6
#define IKE_ENCR_AES		7

/* Hash algorithms: RFC 2409 Appendix A; SHA-2 RFC 4868 (IANA note). */
#define IKE_HASH_MD5		1
#define IKE_HASH_SHA1		2
#define IKE_HASH_TIGER		3
#define IKE_HASH_SHA2_256	4
#define IKE_HASH_SHA2_384	5
#define IKE_HASH_SHA2_512	6

/* Authentication methods, RFC 2409 Appendix A. */
#define IKE_AUTH_PSK		1
#define IKE_AUTH_DSS		2
#define IKE_AUTH_RSA_SIG	3
#define IKE_AUTH_RSA_ENC	4
#define IKE_AUTH_RSA_REVENC	5

/*
 * Group descriptions: RFC 2409 6 and Appendix A (1-4), RFC 3526 2-7
 * (5, 14-18), RFC 5903 8 (19-21).
 */
#define IKE_GROUP_MODP768	1
#define IKE_GROUP_MODP1024	2
#define IKE_GROUP_EC2N155	3
#define IKE_GROUP_EC2N185	4
#define IKE_GROUP_MODP1536	5
#define IKE_GROUP_MODP2048	14
#define IKE_GROUP_MODP3072	15
#define IKE_GROUP_MODP4096	16
#define IKE_GROUP_MODP6144	17
#define IKE_GROUP_MODP8192	18
#define IKE_GROUP_ECP256	19
#define IKE_GROUP_ECP384	20
#define IKE_GROUP_ECP521	21

/* Life types: RFC 2409 Appendix A and RFC 2407 4.5 (same values). */
#define IKE_LIFE_SECONDS	1
#define IKE_LIFE_KILOBYTES	2

/* IPsec DOI SA attributes, RFC 2407 4.5. */
#define IPSEC_ATTR_LIFE_TYPE	1	/* B */
#define IPSEC_ATTR_LIFE_DUR	2	/* V */
#define IPSEC_ATTR_GROUP_DESC	3	/* B */
#define IPSEC_ATTR_ENCAP_MODE	4	/* B */
#define IPSEC_ATTR_AUTH_ALG	5	/* B */
#define IPSEC_ATTR_KEY_LEN	6	/* B */
#define IPSEC_ATTR_KEY_ROUNDS	7	/* B */
#define IPSEC_ATTR_COMP_DICT	8	/* B */
#define IPSEC_ATTR_COMP_PRIV	9	/* V */

/*
 * Encapsulation modes: RFC 2407 4.5 (1, 2); RFC 3947 5.1 (3, 4); the
 * private-use values of draft-ietf-ipsec-nat-t-ike-02/03, which older
 * clients still propose (not checked against the draft text: it is not
 * in our RFC collection).
 */
#define IPSEC_ENCAP_TUNNEL		1
#define IPSEC_ENCAP_TRANSPORT		2
#define IPSEC_ENCAP_UDP_TUNNEL		3
#define IPSEC_ENCAP_UDP_TRANSPORT	4
#define IPSEC_ENCAP_UDP_TUNNEL_DRAFT	61443
#define IPSEC_ENCAP_UDP_TRANSPORT_DRAFT	61444

/* Authentication algorithms: RFC 2407 4.5; SHA-2 RFC 4868 (IANA note). */
#define IPSEC_AUTH_HMAC_MD5	1
#define IPSEC_AUTH_HMAC_SHA	2
#define IPSEC_AUTH_DES_MAC	3
#define IPSEC_AUTH_KPDK		4
#define IPSEC_AUTH_HMAC_SHA2_256	5
#define IPSEC_AUTH_HMAC_SHA2_384	6
#define IPSEC_AUTH_HMAC_SHA2_512	7

/* Identification types, RFC 2407 4.6.2.1. */
#define IPSEC_ID_IPV4_ADDR		1
#define IPSEC_ID_FQDN			2
#define IPSEC_ID_USER_FQDN		3
#define IPSEC_ID_IPV4_ADDR_SUBNET	4
#define IPSEC_ID_IPV6_ADDR		5
#define IPSEC_ID_IPV6_ADDR_SUBNET	6
#define IPSEC_ID_IPV4_ADDR_RANGE	7
#define IPSEC_ID_IPV6_ADDR_RANGE	8
#define IPSEC_ID_DER_ASN1_DN		9
#define IPSEC_ID_DER_ASN1_GN		10
#define IPSEC_ID_KEY_ID			11

/*
 * Notify message types: RFC 2408 3.14.1 (errors 1-30, CONNECTED), RFC
 * 2407 4.6.3 (24576-24578), RFC 3706 5.2 (DPD).
 */
#define ISAKMP_N_INVALID_PAYLOAD_TYPE		1
#define ISAKMP_N_DOI_NOT_SUPPORTED		2
#define ISAKMP_N_SITUATION_NOT_SUPPORTED	3
#define ISAKMP_N_INVALID_COOKIE			4
#define ISAKMP_N_INVALID_MAJOR_VERSION		5
#define ISAKMP_N_INVALID_MINOR_VERSION		6
#define ISAKMP_N_INVALID_EXCHANGE_TYPE		7
#define ISAKMP_N_INVALID_FLAGS			8
#define ISAKMP_N_INVALID_MESSAGE_ID		9
#define ISAKMP_N_INVALID_PROTOCOL_ID		10
#define ISAKMP_N_INVALID_SPI			11
#define ISAKMP_N_INVALID_TRANSFORM_ID		12
#define ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED	13
#define ISAKMP_N_NO_PROPOSAL_CHOSEN		14
#define ISAKMP_N_BAD_PROPOSAL_SYNTAX		15
#define ISAKMP_N_PAYLOAD_MALFORMED		16
#define ISAKMP_N_INVALID_KEY_INFORMATION	17
#define ISAKMP_N_INVALID_ID_INFORMATION		18
#define ISAKMP_N_INVALID_CERT_ENCODING		19
#define ISAKMP_N_INVALID_CERTIFICATE		20
#define ISAKMP_N_CERT_TYPE_UNSUPPORTED		21
#define ISAKMP_N_INVALID_CERT_AUTHORITY		22
#define ISAKMP_N_INVALID_HASH_INFORMATION	23
#define ISAKMP_N_AUTHENTICATION_FAILED		24
#define ISAKMP_N_INVALID_SIGNATURE		25
#define ISAKMP_N_ADDRESS_NOTIFICATION		26
#define ISAKMP_N_NOTIFY_SA_LIFETIME		27
#define ISAKMP_N_CERTIFICATE_UNAVAILABLE	28
#define ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE	29
#define ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS	30
#define ISAKMP_N_CONNECTED			16384
#define IPSEC_N_RESPONDER_LIFETIME		24576
#define IPSEC_N_REPLAY_STATUS			24577
#define IPSEC_N_INITIAL_CONTACT			24578
#define DPD_N_R_U_THERE				36136
#define DPD_N_R_U_THERE_ACK			36137

/* Nonce length bounds, RFC 2409 5. */
#define IKE_NONCE_MIN		8
#define IKE_NONCE_MAX		256

/*
 * How many of each payload one message may carry.  The parser keeps
 * pointers, not copies, so these bound only the struct; a message with
 * more is refused as malformed (it is no L2TP/IPsec client we know).
 */
#define ISAKMP_MAX_PAYLOADS	40
#define ISAKMP_MAX_SA		2	/* RFC 2409 5.5: SA0, SA1 */
#define ISAKMP_MAX_KE		1
#define ISAKMP_MAX_ID		2	/* IDci, IDcr */
#define ISAKMP_MAX_CERT		4
#define ISAKMP_MAX_CR		4
#define ISAKMP_MAX_HASH		1
#define ISAKMP_MAX_SIG		1
#define ISAKMP_MAX_NONCE	1
#define ISAKMP_MAX_N		4
#define ISAKMP_MAX_D		4
#define ISAKMP_MAX_VID		20
#define ISAKMP_MAX_NATD		4
#define ISAKMP_MAX_NATOA	2

struct isakmp_hdr {
	uint8_t		 ih_icookie[ISAKMP_COOKIE_LEN];
	uint8_t		 ih_rcookie[ISAKMP_COOKIE_LEN];
	uint8_t		 ih_next;	/* type of the first payload */
	uint8_t		 ih_major;
	uint8_t		 ih_minor;
	uint8_t		 ih_xchg;
	uint8_t		 ih_flags;
	uint32_t	 ih_msgid;
	uint32_t	 ih_len;
};

/*
 * Why a message was refused: the RFC 2408 3.14.1 notify type that names
 * the problem (a policy may send it back, RFC 2408 5), the payload being
 * read, its offset in the buffer handed to the parser, and a phrase for
 * the log.
 */
struct isakmp_err {
	uint16_t	 ie_notify;
	uint8_t		 ie_pltype;	/* 0: the header */
	size_t		 ie_off;
	const char	*ie_why;
};

/* One payload of the chain, as it sits in the buffer. */
struct isakmp_pl {
	uint8_t		 pl_type;
	const uint8_t	*pl_hdr;	/* the generic header */
	size_t		 pl_len;	/* header included */
	const uint8_t	*pl_body;	/* after the generic header */
	size_t		 pl_blen;
};

/*
 * SA payload (RFC 2408 3.4, RFC 2407 4.6.1).  sa_body is SAi_b of RFC
 * 2409 5 (the payload minus its generic header).  The proposals were
 * walked and checked when the message was parsed; iterate them with
 * isakmp_sa_props() and isakmp_prop_next().
 */
struct isakmp_sa {
	const uint8_t	*sa_body;
	size_t		 sa_blen;
	uint32_t	 sa_doi;
	uint32_t	 sa_sit;
	const uint8_t	*sa_props;
	size_t		 sa_propslen;
	unsigned int	 sa_nprops;
};

struct isakmp_prop {
	const uint8_t	*pr_hdr;	/* its generic header */
	size_t		 pr_len;
	uint8_t		 pr_num;
	uint8_t		 pr_proto;
	uint8_t		 pr_spisize;
	uint8_t		 pr_nxforms;
	const uint8_t	*pr_spi;
	const uint8_t	*pr_xforms;
	size_t		 pr_xformslen;
};

struct isakmp_xform {
	const uint8_t	*xf_hdr;
	size_t		 xf_len;
	uint8_t		 xf_num;
	uint8_t		 xf_id;
	const uint8_t	*xf_attrs;
	size_t		 xf_attrslen;
};

/* A data attribute, RFC 2408 3.3: TV (AF=1) or TLV (AF=0). */
struct isakmp_attr {
	uint16_t	 at_type;	/* without the AF bit */
	int		 at_tv;
	uint16_t	 at_tvval;	/* value of a TV attribute */
	const uint8_t	*at_val;	/* value bytes, either form */
	size_t		 at_len;
};

/* HASH, SIG, NONCE, KE, VID, NAT-D: opaque bytes. */
struct isakmp_blob {
	uint8_t		 b_type;	/* NAT-D: 20 or 130 */
	const uint8_t	*b_data;
	size_t		 b_len;
};

/* ID payload, RFC 2407 4.6.2.  id_body is IDii_b / IDir_b of RFC 2409. */
struct isakmp_id {
	const uint8_t	*id_body;
	size_t		 id_blen;
	uint8_t		 id_type;
	uint8_t		 id_proto;
	uint16_t	 id_port;
	const uint8_t	*id_data;
	size_t		 id_dlen;
};

/* CERT (RFC 2408 3.9) and CR (3.10): encoding byte and raw data. */
struct isakmp_cert {
	uint8_t		 ce_enc;
	const uint8_t	*ce_data;
	size_t		 ce_len;
};

/* N, RFC 2408 3.14; RFC 2409 5.7 hashes it whole (isakmp_msg_after). */
struct isakmp_notify {
	uint32_t	 n_doi;
	uint8_t		 n_proto;
	uint8_t		 n_spisize;
	uint16_t	 n_type;
	const uint8_t	*n_spi;
	const uint8_t	*n_data;
	size_t		 n_dlen;
};

/* D, RFC 2408 3.15: d_nspi SPIs of d_spisize bytes each at d_spis. */
struct isakmp_delete {
	uint32_t	 d_doi;
	uint8_t		 d_proto;
	uint8_t		 d_spisize;
	uint16_t	 d_nspi;
	const uint8_t	*d_spis;
};

/* NAT-OA, RFC 3947 5.2: an ID_IPV4_ADDR or ID_IPV6_ADDR. */
struct isakmp_natoa {
	uint8_t		 oa_pltype;	/* 21 or 131 */
	uint8_t		 oa_idtype;
	const uint8_t	*oa_addr;
	size_t		 oa_alen;
};

struct isakmp_msg {
	struct isakmp_pl	 im_pl[ISAKMP_MAX_PAYLOADS];
	size_t			 im_npl;
	const uint8_t		*im_end;	/* end of last payload */
	size_t			 im_pad;	/* bytes after it */

	struct isakmp_sa	 im_sa[ISAKMP_MAX_SA];
	size_t			 im_nsa;
	struct isakmp_blob	 im_ke[ISAKMP_MAX_KE];
	size_t			 im_nke;
	struct isakmp_id	 im_id[ISAKMP_MAX_ID];
	size_t			 im_nid;
	struct isakmp_cert	 im_cert[ISAKMP_MAX_CERT];
	size_t			 im_ncert;
	struct isakmp_cert	 im_cr[ISAKMP_MAX_CR];
	size_t			 im_ncr;
	struct isakmp_blob	 im_hash[ISAKMP_MAX_HASH];
	size_t			 im_nhash;
	struct isakmp_blob	 im_sig[ISAKMP_MAX_SIG];
	size_t			 im_nsig;
	struct isakmp_blob	 im_nonce[ISAKMP_MAX_NONCE];
	size_t			 im_nnonce;
	struct isakmp_notify	 im_n[ISAKMP_MAX_N];
	size_t			 im_nn;
	struct isakmp_delete	 im_d[ISAKMP_MAX_D];
	size_t			 im_nd;
	struct isakmp_blob	 im_vid[ISAKMP_MAX_VID];
	size_t			 im_nvid;
	struct isakmp_blob	 im_natd[ISAKMP_MAX_NATD];
	size_t			 im_nnatd;
	struct isakmp_natoa	 im_natoa[ISAKMP_MAX_NATOA];
	size_t			 im_nnatoa;
};

/*
 * Reads and checks the 28-byte header of a datagram of len bytes (RFC
 * 2408 3.1 and 5.2): major version 1 and minor 0, no undefined flag, an
 * exchange type outside the reserved range, and a Length field equal to
 * the datagram length (RFC 2408 5.1: "MUST be rejected" otherwise).  The
 * caller strips the RFC 3948 non-ESP marker first.  0 or -1.
 */
int	isakmp_parse_header(const uint8_t *, size_t, struct isakmp_hdr *,
	    struct isakmp_err *);

/*
 * Walks the payload chain that starts with payload type first over the
 * len bytes at buf (the plaintext after the header) into *msg, checking
 * every length against its container and decoding each known payload.
 * At most maxpad bytes may follow the payload whose Next Payload is 0
 * (ISAKMP_PAD_PLAIN, or the block size for a decrypted message); their
 * content is not looked at.  An unknown payload type fails with
 * ie_notify INVALID-PAYLOAD-TYPE and ie_pltype set (RFC 2408 5.3).
 * Offsets in the error are relative to buf.  0 or -1.
 */
int	isakmp_parse_payloads(uint8_t, const uint8_t *, size_t, size_t,
	    struct isakmp_msg *, struct isakmp_err *);

/* Both of the above for a whole plaintext datagram; refuses the E flag. */
int	isakmp_parse(const uint8_t *, size_t, struct isakmp_hdr *,
	    struct isakmp_msg *, struct isakmp_err *);

/* Iterators: 1 and the next item, 0 at the end, -1 if malformed. */
void	isakmp_sa_props(const struct isakmp_sa *, struct cur *);
int	isakmp_prop_next(struct cur *, struct isakmp_prop *);
void	isakmp_prop_xforms(const struct isakmp_prop *, struct cur *);
int	isakmp_xform_next(struct cur *, struct isakmp_xform *);
void	isakmp_xform_attrs(const struct isakmp_xform *, struct cur *);
int	isakmp_attr_next(struct cur *, struct isakmp_attr *);
/*
 * The numeric value of an attribute: TV, or TLV of any length whose value
 * fits 64 bits (life durations come in 1 to 8 bytes).  0 or -1.
 */
int	isakmp_attr_uint(const struct isakmp_attr *, uint64_t *);
/* Finds the first attribute of a type in a transform; 1 found, 0 not. */
int	isakmp_xform_attr(const struct isakmp_xform *, uint16_t,
	    struct isakmp_attr *);

/*
 * The bytes that follow payload i up to the end of the chain (the data of
 * RFC 2409 HASH(1) and HASH(2) when i is the HASH payload).
 */
void	isakmp_msg_after(const struct isakmp_msg *, size_t,
	    const uint8_t **, size_t *);
/* Index of the first payload of a type, or -1. */
int	isakmp_msg_find(const struct isakmp_msg *, uint8_t);

/* Vendor IDs we act on. */
enum isakmp_vid {
	ISAKMP_VID_UNKNOWN = 0,
	ISAKMP_VID_NATT_RFC3947,	/* RFC 3947 3.1 */
	ISAKMP_VID_NATT_DRAFT02,	/* draft-ietf-ipsec-nat-t-ike-02 */
	ISAKMP_VID_NATT_DRAFT02N,	/* the same string with "\n" */
	ISAKMP_VID_NATT_DRAFT03,	/* draft-ietf-ipsec-nat-t-ike-03 */
	ISAKMP_VID_DPD,			/* RFC 3706 5.1, version 1.0 */
	ISAKMP_VID_MAX
};

enum isakmp_vid	 isakmp_vid_lookup(const uint8_t *, size_t);
const uint8_t	*isakmp_vid_bytes(enum isakmp_vid, size_t *);
const char	*isakmp_vid_name(enum isakmp_vid);

/* Names for logs; "UNKNOWN" for values not in the tables. */
const char	*isakmp_payload_name(uint8_t);
const char	*isakmp_xchg_name(uint8_t);
const char	*isakmp_notify_name(uint16_t);
const char	*isakmp_proto_name(uint8_t);
const char	*isakmp_id_name(uint8_t);
const char	*isakmp_cert_name(uint8_t);
const char	*ike_attr_name(uint16_t);
const char	*ike_encr_name(uint16_t);
const char	*ike_hash_name(uint16_t);
const char	*ike_auth_name(uint16_t);
const char	*ike_group_name(uint16_t);
const char	*ipsec_attr_name(uint16_t);
const char	*ipsec_encap_name(uint16_t);
const char	*ipsec_auth_name(uint16_t);
const char	*esp_xform_name(uint8_t);

/*
 * Builders.  A struct isakmp_wr tracks one message being written into an
 * obuf: each payload patches the Next Payload field of the one before
 * (or of the header), and isakmp_wr_finish() patches the header Length.
 * A put that does not fit leaves the obuf's sticky error set; check
 * obuf_error() once at the end.
 */
struct isakmp_wr {
	struct obuf	*w_ob;
	size_t		 w_start;	/* offset of the header */
	size_t		 w_np;		/* Next Payload to patch */
	size_t		 w_pl;		/* the open payload */
	int		 w_open;
};

/* Attribute of a transform to build. */
struct isakmp_attr_desc {
	uint16_t	 ad_type;
	uint64_t	 ad_val;
};

#define ISAKMP_DESC_MAX_ATTRS	12

struct isakmp_xform_desc {
	uint8_t		 xd_num;
	uint8_t		 xd_id;
	size_t		 xd_nattrs;
	struct isakmp_attr_desc xd_attrs[ISAKMP_DESC_MAX_ATTRS];
};

struct isakmp_prop_desc {
	uint8_t		 pd_num;
	uint8_t		 pd_proto;
	uint8_t		 pd_spisize;
	uint8_t		 pd_spi[16];
	size_t		 pd_nxforms;
	const struct isakmp_xform_desc *pd_xforms;
};

struct isakmp_sa_desc {
	uint32_t	 sd_doi;
	uint32_t	 sd_sit;
	size_t		 sd_nprops;
	const struct isakmp_prop_desc *sd_props;
};

/* Writes the header (Next Payload and Length patched later). */
void	isakmp_wr_header(struct isakmp_wr *, struct obuf *,
	    const struct isakmp_hdr *);
/* Starts a payload of a type: links it into the chain, writes its header. */
void	isakmp_wr_begin(struct isakmp_wr *, uint8_t);
/* Ends the open payload: patches its Payload Length. */
void	isakmp_wr_end(struct isakmp_wr *);
/* Patches the header Length with everything written so far. */
void	isakmp_wr_finish(struct isakmp_wr *);
/* The payload area written so far (for encryption in place). */
void	isakmp_wr_payloads(const struct isakmp_wr *, uint8_t **, size_t *);
/* Appends zeros so the payload area is a multiple of bs (RFC 2409 B). */
void	isakmp_wr_pad(struct isakmp_wr *, size_t);

/*
 * One attribute: TV when the value fits two octets, else TLV of 4 or 8.
 * Only a variable attribute (RFC 2409 Appendix A, RFC 2407 4.5) may carry
 * a value above 0xffff: basic ones "MUST NOT be encoded as variable".
 */
void	isakmp_build_attr(struct obuf *, uint16_t, uint64_t);

/* One whole payload each; the data is copied. */
void	isakmp_build_sa(struct isakmp_wr *, const struct isakmp_sa_desc *);
/*
 * An SA reply of RFC 2408 4.2: the chosen proposal with its number and
 * protocol and the chosen transform copied byte for byte (attribute
 * encoding and all, RFC 2409 5), with our SPI (spisize 0 for phase 1).
 */
void	isakmp_build_sa_reply(struct isakmp_wr *, uint32_t, uint32_t,
	    const struct isakmp_prop *, const struct isakmp_xform *,
	    const uint8_t *, size_t);
void	isakmp_build_ke(struct isakmp_wr *, const uint8_t *, size_t);
void	isakmp_build_id(struct isakmp_wr *, uint8_t, uint8_t, uint16_t,
	    const uint8_t *, size_t);
void	isakmp_build_cert(struct isakmp_wr *, uint8_t, uint8_t,
	    const uint8_t *, size_t);
/* HASH with room for len bytes filled in later; returns their offset. */
size_t	isakmp_build_hash(struct isakmp_wr *, const uint8_t *, size_t);
void	isakmp_build_sig(struct isakmp_wr *, const uint8_t *, size_t);
void	isakmp_build_nonce(struct isakmp_wr *, const uint8_t *, size_t);
void	isakmp_build_notify(struct isakmp_wr *, uint32_t, uint8_t,
	    const uint8_t *, uint8_t, uint16_t, const uint8_t *, size_t);
void	isakmp_build_delete(struct isakmp_wr *, uint32_t, uint8_t, uint8_t,
	    uint16_t, const uint8_t *);
void	isakmp_build_vid(struct isakmp_wr *, const uint8_t *, size_t);
void	isakmp_build_vid_known(struct isakmp_wr *, enum isakmp_vid);
/* NAT-D and NAT-OA take the payload type: RFC (20, 21) or draft. */
void	isakmp_build_natd(struct isakmp_wr *, uint8_t, const uint8_t *,
	    size_t);
void	isakmp_build_natoa(struct isakmp_wr *, uint8_t, uint8_t,
	    const uint8_t *, size_t);

#endif
