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
#include "l2tp/l2tp_parse.h"
#include "l2tp/l2tp_reliable.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Everything on UDP/1701 before and after IPsec: the first byte picks
 * what the rest is.
 *   0: a control message, no tunnel secret
 *   1: a control message, with a secret (hidden AVPs get decoded)
 *   2: any L2TP header, and a data message
 *   3: a script of events for the reliable-delivery window
 * A parsed message is also rebuilt (hiding some values) and parsed
 * again: the two must agree.
 */

static const uint8_t secret[] = "fuzz-secret";
static const uint8_t rv[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4,
	5, 6 };

static int
same(const struct l2tp_bytes *a, const struct l2tp_bytes *b)
{
	return (a->b_len == b->b_len &&
	    (a->b_len == 0 || memcmp(a->b_p, b->b_p, a->b_len) == 0));
}

static void
rebuild(const struct l2tp_msg *m)
{
	static uint8_t		 buf[8192];
	static struct l2tp_msg	 m2;
	struct obuf		 ob;
	struct l2tp_build	 b;
	uint64_t		 keep;
	int			 len;

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, m->m_hdr.h_tunnel_id, m->m_hdr.h_session_id,
	    m->m_hdr.h_ns, m->m_hdr.h_nr, m->m_type);
	l2tp_build_secret(&b, secret, sizeof(secret) - 1);
	l2tp_avp_put_random_vector(&b, rv, sizeof(rv));
	if (l2tp_msg_has(m, L2TP_AVP_HOST_NAME))
		l2tp_avp_put_bytes(&b, L2TP_AVP_HOST_NAME,
		    m->m_host_name.b_p, m->m_host_name.b_len);
	if (l2tp_msg_has(m, L2TP_AVP_VENDOR_NAME))
		l2tp_avp_put_hidden(&b, L2TP_AVP_VENDOR_NAME,
		    m->m_vendor_name.b_p, m->m_vendor_name.b_len,
		    m->m_vendor_name.b_len % 7);
	if (l2tp_msg_has(m, L2TP_AVP_TUNNEL_ID))
		l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, m->m_tunnel_id);
	if (l2tp_msg_has(m, L2TP_AVP_CALLING_NUMBER))
		l2tp_avp_put_hidden(&b, L2TP_AVP_CALLING_NUMBER,
		    m->m_calling_number.b_p, m->m_calling_number.b_len, 0);
	if (l2tp_msg_has(m, L2TP_AVP_RESULT_CODE))
		l2tp_avp_put_result(&b, m->m_result, m->m_has_error,
		    m->m_error, NULL);
	if ((len = l2tp_msg_finish(&b)) < 0)
		return;		/* hiding grew a value past 1023 */
	if (l2tp_msg_parse(buf, (size_t)len, secret, sizeof(secret) - 1,
	    &m2) != L2TP_P_OK)
		abort();
	keep = 1ULL << L2TP_AVP_MESSAGE_TYPE | 1ULL << L2TP_AVP_HOST_NAME |
	    1ULL << L2TP_AVP_VENDOR_NAME | 1ULL << L2TP_AVP_TUNNEL_ID |
	    1ULL << L2TP_AVP_CALLING_NUMBER | 1ULL << L2TP_AVP_RESULT_CODE;
	if (m2.m_type != m->m_type || m2.m_avps != ((m->m_avps & keep) |
	    1ULL << L2TP_AVP_RANDOM_VECTOR))
		abort();
	if (!same(&m->m_host_name, &m2.m_host_name) ||
	    !same(&m->m_vendor_name, &m2.m_vendor_name) ||
	    !same(&m->m_calling_number, &m2.m_calling_number) ||
	    m->m_tunnel_id != m2.m_tunnel_id || m->m_result != m2.m_result)
		abort();
}

static void
fuzz_msg(const uint8_t *data, size_t size, int with_secret)
{
	static struct l2tp_msg	 m;
	char			 s[256];
	int			 r;

	r = l2tp_msg_parse(data, size, with_secret ? secret : NULL,
	    with_secret ? sizeof(secret) - 1 : 0, &m);
	(void)l2tp_perr_str(r);
	(void)l2tp_perr_code(r);
	if (r != L2TP_P_OK || m.m_zlb)
		return;
	(void)l2tp_msg_missing(&m);
	(void)l2tp_msg_type_name(m.m_type);
	(void)l2tp_result_words(s, sizeof(s), m.m_type, m.m_result,
	    m.m_has_error, m.m_error);
	l2tp_bytes_printable(s, sizeof(s), &m.m_host_name);
	l2tp_bytes_printable(s, sizeof(s), &m.m_errmsg);
	l2tp_bytes_printable(s, sizeof(s), &m.m_proxy_auth_name);
	if (m.m_hdr.h_msglen > size)
		abort();
	rebuild(&m);
}

static void
fuzz_data(const uint8_t *data, size_t size)
{
	struct l2tp_hdr	 h;

	if (l2tp_hdr_parse(data, size, &h) == L2TP_P_OK &&
	    (h.h_hdrlen > h.h_msglen || h.h_msglen > size))
		abort();
	if (l2tp_data_parse(data, size, &h) == L2TP_P_OK &&
	    (h.h_control || h.h_hdrlen > h.h_msglen))
		abort();
}

/* The window: deliveries must come in Ns order, each exactly once. */
struct rel_state {
	struct l2tp_rel	 rs_rel;
	uint16_t	 rs_expect;
	uint64_t	 rs_now;
};

static void
rel_deliver(void *arg, const uint8_t *p, size_t len)
{
	struct rel_state *st = arg;

	if (len < L2TP_CTRL_HDRLEN ||
	    (uint16_t)(p[8] << 8 | p[9]) != st->rs_expect)
		abort();
	st->rs_expect++;
	/* An upper layer that answers some messages at once. */
	if (p[19] & 1) {
		uint8_t	 reply[L2TP_CTRL_HDRLEN + 8];

		memcpy(reply, p, L2TP_CTRL_HDRLEN);
		memcpy(reply + L2TP_CTRL_HDRLEN, "\x80\x08\0\0\0\0\0\x06", 8);
		(void)l2tp_rel_send(&st->rs_rel, reply, sizeof(reply));
	}
}

static void
rel_emit(void *arg, const uint8_t *p, size_t len)
{
	struct rel_state *st = arg;

	/* Every datagram carries our current Nr. */
	if (len < L2TP_CTRL_HDRLEN ||
	    (uint16_t)(p[10] << 8 | p[11]) != l2tp_rel_nr(&st->rs_rel))
		abort();
}

static void
fuzz_rel(const uint8_t *data, size_t size)
{
	static struct rel_state	 st;
	struct l2tp_rel_params	 p;
	uint8_t			 msg[L2TP_CTRL_HDRLEN + 8];
	struct cur		 c;
	uint8_t			 op, a;
	uint16_t		 ns, nr;
	uint64_t		 next;

	cur_init(&c, data, size);
	memset(&st, 0, sizeof(st));
	l2tp_rel_params_default(&p);
	if (cur_get_u8(&c, &a) == 0) {
		p.rp_our_rwin = 1 + (a & 15);
		p.rp_peer_rwin = 1 + (a >> 4);
		p.rp_max_retries = a & 7;
		p.rp_sendq_max = 1 + (a % 13);
	}
	l2tp_rel_init(&st.rs_rel, &p);
	memcpy(msg, "\xc8\x02\x00\x14\x00\x01\x00\x00\x00\x00\x00\x00"
	    "\x80\x08\x00\x00\x00\x00\x00\x06", sizeof(msg));
	while (cur_get_u8(&c, &op) == 0) {
		switch (op % 5) {
		case 0:
			(void)l2tp_rel_send(&st.rs_rel, msg, sizeof(msg));
			break;
		case 1:
		case 4:
			if (cur_get_u16(&c, &ns) == -1 ||
			    cur_get_u16(&c, &nr) == -1)
				goto out;
			msg[8] = ns >> 8;
			msg[9] = ns & 0xff;
			msg[10] = nr >> 8;
			msg[11] = nr & 0xff;
			msg[19] = op;
			(void)l2tp_rel_input(&st.rs_rel, ns, nr, op % 5 == 4,
			    msg, sizeof(msg), st.rs_now, rel_deliver, &st);
			break;
		case 2:
			if (cur_get_u8(&c, &a) == -1)
				goto out;
			st.rs_now += (uint64_t)a * 37;
			next = l2tp_rel_poll(&st.rs_rel, st.rs_now, rel_emit,
			    &st);
			if (next != L2TP_REL_NEVER && next < st.rs_now)
				abort();
			break;
		case 3:
			if (cur_get_u8(&c, &a) == -1)
				goto out;
			l2tp_rel_set_peer_rwin(&st.rs_rel, a);
			break;
		}
		if (l2tp_rel_unacked(&st.rs_rel) > p.rp_sendq_max)
			abort();
	}
 out:
	(void)l2tp_rel_poll(&st.rs_rel, st.rs_now + 100000, rel_emit, &st);
	l2tp_rel_free(&st.rs_rel);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*copy;

	if (size < 1)
		return (0);
	/* An exact-size heap copy, so ASan catches any overread. */
	if ((copy = malloc(size - 1 > 0 ? size - 1 : 1)) == NULL)
		return (0);
	memcpy(copy, data + 1, size - 1);
	switch (data[0] & 3) {
	case 0:
	case 1:
		fuzz_msg(copy, size - 1, data[0] & 1);
		break;
	case 2:
		fuzz_data(copy, size - 1);
		break;
	case 3:
		fuzz_rel(copy, size - 1);
		break;
	}
	free(copy);
	return (0);
}
