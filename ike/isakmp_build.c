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


#include <string.h>

#include "common/cursor.h"
#include "isakmp_parse.h"

/*
 * Writing ISAKMP messages (RFC 2408 3).  Lengths and Next Payload fields
 * are patched in once the thing they describe is complete, so a builder
 * never has to know what comes after it.
 */

static void
patch_u8(struct obuf *ob, size_t off, uint8_t v)
{
	if (ob->o_err || off >= ob->o_len) {
		ob->o_err = 1;
		return;
	}
	ob->o_buf[off] = v;
}

void
isakmp_wr_header(struct isakmp_wr *w, struct obuf *ob,
    const struct isakmp_hdr *h)
{
	memset(w, 0, sizeof(*w));
	w->w_ob = ob;
	w->w_start = ob->o_len;
	obuf_put_bytes(ob, h->ih_icookie, ISAKMP_COOKIE_LEN);
	obuf_put_bytes(ob, h->ih_rcookie, ISAKMP_COOKIE_LEN);
	w->w_np = ob->o_len;
	obuf_put_u8(ob, ISAKMP_PL_NONE);
	obuf_put_u8(ob, (uint8_t)((ISAKMP_MAJOR << 4) | ISAKMP_MINOR));
	obuf_put_u8(ob, h->ih_xchg);
	obuf_put_u8(ob, h->ih_flags);
	obuf_put_u32(ob, h->ih_msgid);
	obuf_put_u32(ob, 0);
}

void
isakmp_wr_begin(struct isakmp_wr *w, uint8_t type)
{
	struct obuf	*ob = w->w_ob;

	if (w->w_open)
		isakmp_wr_end(w);
	patch_u8(ob, w->w_np, type);
	w->w_pl = ob->o_len;
	w->w_np = ob->o_len;
	w->w_open = 1;
	obuf_put_u8(ob, ISAKMP_PL_NONE);
	obuf_put_u8(ob, 0);
	obuf_put_u16(ob, 0);
}

void
isakmp_wr_end(struct isakmp_wr *w)
{
	struct obuf	*ob = w->w_ob;
	size_t		 len;

	if (!w->w_open)
		return;
	w->w_open = 0;
	len = ob->o_len - w->w_pl;
	if (len > 0xffff) {
		ob->o_err = 1;
		return;
	}
	obuf_patch_u16(ob, w->w_pl + 2, (uint16_t)len);
}

void
isakmp_wr_finish(struct isakmp_wr *w)
{
	struct obuf	*ob = w->w_ob;

	isakmp_wr_end(w);
	obuf_patch_u32(ob, w->w_start + 24, (uint32_t)(ob->o_len - w->w_start));
}

void
isakmp_wr_payloads(const struct isakmp_wr *w, uint8_t **p, size_t *len)
{
	struct obuf	*ob = w->w_ob;
	size_t		 start = w->w_start + ISAKMP_HDR_LEN;

	if (ob->o_err || ob->o_len < start) {
		*p = NULL;
		*len = 0;
		return;
	}
	*p = ob->o_buf + start;
	*len = ob->o_len - start;
}

void
isakmp_wr_pad(struct isakmp_wr *w, size_t bs)
{
	struct obuf	*ob = w->w_ob;
	size_t		 n;

	isakmp_wr_end(w);
	if (bs == 0 || ob->o_len < w->w_start + ISAKMP_HDR_LEN)
		return;
	n = (ob->o_len - w->w_start - ISAKMP_HDR_LEN) % bs;
	if (n != 0)
		obuf_put_zero(ob, bs - n);
}

/*
 * RFC 2409 Appendix A and RFC 2407 4.5: basic attributes are always TV;
 * a variable one "MAY be encoded as basic" when it fits two octets, so
 * every value up to 0xffff goes out as TV and larger ones as TLV of 4 or
 * 8 octets (life durations).
 */
void
isakmp_build_attr(struct obuf *ob, uint16_t type, uint64_t val)
{
	if (val <= 0xffff) {
		obuf_put_u16(ob, 0x8000 | type);
		obuf_put_u16(ob, (uint16_t)val);
	} else if (val <= 0xffffffffULL) {
		obuf_put_u16(ob, type & 0x7fff);
		obuf_put_u16(ob, 4);
		obuf_put_u32(ob, (uint32_t)val);
	} else {
		obuf_put_u16(ob, type & 0x7fff);
		obuf_put_u16(ob, 8);
		obuf_put_u64(ob, val);
	}
}

static void
put_sa_head(struct obuf *ob, uint32_t doi, uint32_t sit)
{
	obuf_put_u32(ob, doi);
	obuf_put_u32(ob, sit);
}

void
isakmp_build_sa(struct isakmp_wr *w, const struct isakmp_sa_desc *sd)
{
	struct obuf	*ob = w->w_ob;
	const struct isakmp_prop_desc *pd;
	const struct isakmp_xform_desc *xd;
	size_t		 i, j, k, poff, xoff;

	isakmp_wr_begin(w, ISAKMP_PL_SA);
	put_sa_head(ob, sd->sd_doi, sd->sd_sit);
	for (i = 0; i < sd->sd_nprops; i++) {
		pd = &sd->sd_props[i];
		if (pd->pd_spisize > sizeof(pd->pd_spi) ||
		    pd->pd_nxforms == 0 || pd->pd_nxforms > 255) {
			ob->o_err = 1;
			return;
		}
		poff = ob->o_len;
		obuf_put_u8(ob, i + 1 < sd->sd_nprops ?
		    ISAKMP_PL_P : ISAKMP_PL_NONE);
		obuf_put_u8(ob, 0);
		obuf_put_u16(ob, 0);
		obuf_put_u8(ob, pd->pd_num);
		obuf_put_u8(ob, pd->pd_proto);
		obuf_put_u8(ob, pd->pd_spisize);
		obuf_put_u8(ob, (uint8_t)pd->pd_nxforms);
		obuf_put_bytes(ob, pd->pd_spi, pd->pd_spisize);
		for (j = 0; j < pd->pd_nxforms; j++) {
			xd = &pd->pd_xforms[j];
			if (xd->xd_nattrs > ISAKMP_DESC_MAX_ATTRS) {
				ob->o_err = 1;
				return;
			}
			xoff = ob->o_len;
			obuf_put_u8(ob, j + 1 < pd->pd_nxforms ?
			    ISAKMP_PL_T : ISAKMP_PL_NONE);
			obuf_put_u8(ob, 0);
			obuf_put_u16(ob, 0);
			obuf_put_u8(ob, xd->xd_num);
			obuf_put_u8(ob, xd->xd_id);
			obuf_put_u16(ob, 0);
			for (k = 0; k < xd->xd_nattrs; k++)
				isakmp_build_attr(ob, xd->xd_attrs[k].ad_type,
				    xd->xd_attrs[k].ad_val);
			if (ob->o_len - xoff > 0xffff) {
				ob->o_err = 1;
				return;
			}
			obuf_patch_u16(ob, xoff + 2,
			    (uint16_t)(ob->o_len - xoff));
		}
		if (ob->o_len - poff > 0xffff) {
			ob->o_err = 1;
			return;
		}
		obuf_patch_u16(ob, poff + 2, (uint16_t)(ob->o_len - poff));
	}
	isakmp_wr_end(w);
}

void
isakmp_build_sa_reply(struct isakmp_wr *w, uint32_t doi, uint32_t sit,
    const struct isakmp_prop *pr, const struct isakmp_xform *xf,
    const uint8_t *spi, size_t spisize)
{
	struct obuf	*ob = w->w_ob;
	size_t		 poff, xoff;

	if (spisize > 16 || xf->xf_len < 8) {
		ob->o_err = 1;
		return;
	}
	isakmp_wr_begin(w, ISAKMP_PL_SA);
	put_sa_head(ob, doi, sit);
	poff = ob->o_len;
	obuf_put_u8(ob, ISAKMP_PL_NONE);
	obuf_put_u8(ob, 0);
	obuf_put_u16(ob, 0);
	obuf_put_u8(ob, pr->pr_num);
	obuf_put_u8(ob, pr->pr_proto);
	obuf_put_u8(ob, (uint8_t)spisize);
	obuf_put_u8(ob, 1);
	obuf_put_bytes(ob, spi, spisize);
	/* The transform as received, but now the last of its proposal. */
	xoff = ob->o_len;
	obuf_put_bytes(ob, xf->xf_hdr, xf->xf_len);
	patch_u8(ob, xoff, ISAKMP_PL_NONE);
	if (ob->o_len - poff > 0xffff) {
		ob->o_err = 1;
		return;
	}
	obuf_patch_u16(ob, poff + 2, (uint16_t)(ob->o_len - poff));
	isakmp_wr_end(w);
}

static void
build_raw(struct isakmp_wr *w, uint8_t type, const uint8_t *p, size_t len)
{
	isakmp_wr_begin(w, type);
	obuf_put_bytes(w->w_ob, p, len);
	isakmp_wr_end(w);
}

void
isakmp_build_ke(struct isakmp_wr *w, const uint8_t *p, size_t len)
{
	build_raw(w, ISAKMP_PL_KE, p, len);
}

void
isakmp_build_id(struct isakmp_wr *w, uint8_t type, uint8_t proto,
    uint16_t port, const uint8_t *data, size_t len)
{
	isakmp_wr_begin(w, ISAKMP_PL_ID);
	obuf_put_u8(w->w_ob, type);
	obuf_put_u8(w->w_ob, proto);
	obuf_put_u16(w->w_ob, port);
	obuf_put_bytes(w->w_ob, data, len);
	isakmp_wr_end(w);
}

void
isakmp_build_cert(struct isakmp_wr *w, uint8_t type, uint8_t enc,
    const uint8_t *data, size_t len)
{
	if (type != ISAKMP_PL_CERT && type != ISAKMP_PL_CR) {
		w->w_ob->o_err = 1;
		return;
	}
	isakmp_wr_begin(w, type);
	obuf_put_u8(w->w_ob, enc);
	obuf_put_bytes(w->w_ob, data, len);
	isakmp_wr_end(w);
}

size_t
isakmp_build_hash(struct isakmp_wr *w, const uint8_t *p, size_t len)
{
	size_t	 off;

	isakmp_wr_begin(w, ISAKMP_PL_HASH);
	off = w->w_ob->o_len;
	if (p != NULL)
		obuf_put_bytes(w->w_ob, p, len);
	else
		obuf_put_zero(w->w_ob, len);
	isakmp_wr_end(w);
	return (off);
}

void
isakmp_build_sig(struct isakmp_wr *w, const uint8_t *p, size_t len)
{
	build_raw(w, ISAKMP_PL_SIG, p, len);
}

void
isakmp_build_nonce(struct isakmp_wr *w, const uint8_t *p, size_t len)
{
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX) {
		w->w_ob->o_err = 1;
		return;
	}
	build_raw(w, ISAKMP_PL_NONCE, p, len);
}

void
isakmp_build_notify(struct isakmp_wr *w, uint32_t doi, uint8_t proto,
    const uint8_t *spi, uint8_t spisize, uint16_t type, const uint8_t *data,
    size_t len)
{
	struct obuf	*ob = w->w_ob;

	isakmp_wr_begin(w, ISAKMP_PL_N);
	obuf_put_u32(ob, doi);
	obuf_put_u8(ob, proto);
	obuf_put_u8(ob, spisize);
	obuf_put_u16(ob, type);
	obuf_put_bytes(ob, spi, spisize);
	obuf_put_bytes(ob, data, len);
	isakmp_wr_end(w);
}

void
isakmp_build_delete(struct isakmp_wr *w, uint32_t doi, uint8_t proto,
    uint8_t spisize, uint16_t nspi, const uint8_t *spis)
{
	struct obuf	*ob = w->w_ob;

	if (spisize == 0 || nspi == 0) {
		ob->o_err = 1;
		return;
	}
	isakmp_wr_begin(w, ISAKMP_PL_D);
	obuf_put_u32(ob, doi);
	obuf_put_u8(ob, proto);
	obuf_put_u8(ob, spisize);
	obuf_put_u16(ob, nspi);
	obuf_put_bytes(ob, spis, (size_t)spisize * nspi);
	isakmp_wr_end(w);
}

void
isakmp_build_vid(struct isakmp_wr *w, const uint8_t *p, size_t len)
{
	build_raw(w, ISAKMP_PL_VID, p, len);
}

void
isakmp_build_vid_known(struct isakmp_wr *w, enum isakmp_vid v)
{
	const uint8_t	*p;
	size_t		 len;

	if ((p = isakmp_vid_bytes(v, &len)) == NULL) {
		w->w_ob->o_err = 1;
		return;
	}
	build_raw(w, ISAKMP_PL_VID, p, len);
}

void
isakmp_build_natd(struct isakmp_wr *w, uint8_t type, const uint8_t *hash,
    size_t len)
{
	if (type != ISAKMP_PL_NATD && type != ISAKMP_PL_NATD_DRAFT) {
		w->w_ob->o_err = 1;
		return;
	}
	build_raw(w, type, hash, len);
}

void
isakmp_build_natoa(struct isakmp_wr *w, uint8_t type, uint8_t idtype,
    const uint8_t *addr, size_t len)
{
	if ((type != ISAKMP_PL_NATOA && type != ISAKMP_PL_NATOA_DRAFT) ||
	    !((idtype == IPSEC_ID_IPV4_ADDR && len == 4) ||
	    (idtype == IPSEC_ID_IPV6_ADDR && len == 16))) {
		w->w_ob->o_err = 1;
		return;
	}
	isakmp_wr_begin(w, type);
	obuf_put_u8(w->w_ob, idtype);
	obuf_put_zero(w->w_ob, 3);
	obuf_put_bytes(w->w_ob, addr, len);
	isakmp_wr_end(w);
}
