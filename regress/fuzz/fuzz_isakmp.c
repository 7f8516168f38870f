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
#include "ike/isakmp_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Anything a peer can put in a UDP/500 datagram, or in the plaintext of
 * an encrypted one.  The first byte picks the mode: odd, the rest is a
 * whole datagram (header, then the payload chain); even, the next byte
 * is the first payload type and the rest a decrypted payload area with
 * (byte >> 1) & 31 bytes of padding allowed.  Whatever parses is walked
 * down to every attribute, every pointer the parser handed out is read
 * in full (so ASan sees any that strays), and the chosen-proposal reply
 * built from it must parse again.
 */

static volatile uint8_t	 sink;

static void
touch(const uint8_t *p, size_t len)
{
	size_t	 i;
	uint8_t	 x = 0;

	for (i = 0; i < len; i++)
		x ^= p[i];
	sink ^= x;
}

static void
check_reply(const struct isakmp_prop *pr, const struct isakmp_xform *xf)
{
	static uint8_t		 buf[70000];
	static struct isakmp_msg m;
	struct isakmp_hdr	 h;
	struct isakmp_err	 e;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 spi[4] = { 1, 2, 3, 4 };

	memset(&h, 0, sizeof(h));
	h.ih_xchg = ISAKMP_XCHG_QUICK;
	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_sa_reply(&w, ISAKMP_DOI_IPSEC, IPSEC_SIT_IDENTITY_ONLY,
	    pr, xf, spi, pr->pr_proto == ISAKMP_PROTO_ISAKMP ? 0 : 4);
	isakmp_wr_finish(&w);
	if (obuf_error(&ob) == -1)
		return;		/* a transform near 64k: no room */
	if (isakmp_parse(buf, ob.o_len, &h, &m, &e) == -1)
		abort();
}

static void
walk(const struct isakmp_msg *m, const uint8_t *start, const uint8_t *end)
{
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct isakmp_attr	 at;
	struct cur		 pc, xc, ac;
	const uint8_t		*rest;
	uint64_t		 v;
	size_t			 i, restlen, n;

	if (m->im_end + m->im_pad != end)
		abort();
	for (i = 0; i < m->im_npl; i++) {
		if (m->im_pl[i].pl_hdr < start ||
		    m->im_pl[i].pl_len != m->im_pl[i].pl_blen + ISAKMP_GEN_LEN)
			abort();
		touch(m->im_pl[i].pl_hdr, m->im_pl[i].pl_len);
		isakmp_msg_after(m, i, &rest, &restlen);
		touch(rest, restlen);
		(void)isakmp_payload_name(m->im_pl[i].pl_type);
	}
	for (i = 0; i < m->im_nsa; i++) {
		touch(m->im_sa[i].sa_body, m->im_sa[i].sa_blen);
		isakmp_sa_props(&m->im_sa[i], &pc);
		n = 0;
		while (isakmp_prop_next(&pc, &pr) == 1) {
			n++;
			touch(pr.pr_spi, pr.pr_spisize);
			isakmp_prop_xforms(&pr, &xc);
			while (isakmp_xform_next(&xc, &xf) == 1) {
				isakmp_xform_attrs(&xf, &ac);
				while (isakmp_attr_next(&ac, &at) == 1) {
					touch(at.at_val, at.at_len);
					(void)isakmp_attr_uint(&at, &v);
					(void)ike_attr_name(at.at_type);
				}
				(void)isakmp_xform_attr(&xf,
				    IPSEC_ATTR_LIFE_DUR, &at);
				check_reply(&pr, &xf);
			}
		}
		if (n != m->im_sa[i].sa_nprops)
			abort();
	}
	for (i = 0; i < m->im_nke; i++)
		touch(m->im_ke[i].b_data, m->im_ke[i].b_len);
	for (i = 0; i < m->im_nid; i++) {
		touch(m->im_id[i].id_body, m->im_id[i].id_blen);
		touch(m->im_id[i].id_data, m->im_id[i].id_dlen);
		(void)isakmp_id_name(m->im_id[i].id_type);
	}
	for (i = 0; i < m->im_ncert; i++)
		touch(m->im_cert[i].ce_data, m->im_cert[i].ce_len);
	for (i = 0; i < m->im_ncr; i++)
		touch(m->im_cr[i].ce_data, m->im_cr[i].ce_len);
	for (i = 0; i < m->im_nhash; i++)
		touch(m->im_hash[i].b_data, m->im_hash[i].b_len);
	for (i = 0; i < m->im_nsig; i++)
		touch(m->im_sig[i].b_data, m->im_sig[i].b_len);
	for (i = 0; i < m->im_nnonce; i++)
		touch(m->im_nonce[i].b_data, m->im_nonce[i].b_len);
	for (i = 0; i < m->im_nn; i++) {
		touch(m->im_n[i].n_spi, m->im_n[i].n_spisize);
		touch(m->im_n[i].n_data, m->im_n[i].n_dlen);
		(void)isakmp_notify_name(m->im_n[i].n_type);
	}
	for (i = 0; i < m->im_nd; i++)
		touch(m->im_d[i].d_spis,
		    (size_t)m->im_d[i].d_nspi * m->im_d[i].d_spisize);
	for (i = 0; i < m->im_nvid; i++) {
		touch(m->im_vid[i].b_data, m->im_vid[i].b_len);
		(void)isakmp_vid_name(isakmp_vid_lookup(m->im_vid[i].b_data,
		    m->im_vid[i].b_len));
	}
	for (i = 0; i < m->im_nnatd; i++)
		touch(m->im_natd[i].b_data, m->im_natd[i].b_len);
	for (i = 0; i < m->im_nnatoa; i++)
		touch(m->im_natoa[i].oa_addr, m->im_natoa[i].oa_alen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 h;
	struct isakmp_err	 e;
	uint8_t			 mode;

	if (size < 2)
		return (0);
	mode = data[0];
	data++;
	size--;
	if (mode & 1) {
		if (isakmp_parse(data, size, &h, &m, &e) == 0)
			walk(&m, data + ISAKMP_HDR_LEN, data + size);
		else if (e.ie_why == NULL || e.ie_off > size)
			abort();
	} else {
		if (isakmp_parse_payloads(data[0], data + 1, size - 1,
		    (mode >> 1) & 31, &m, &e) == 0)
			walk(&m, data + 1, data + size);
		else if (e.ie_why == NULL || e.ie_off > size - 1)
			abort();
	}
	return (0);
}
