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


#ifndef L2TPSEC_DP_STATS_H
#define L2TPSEC_DP_STATS_H

#include <stdint.h>

/*
 * The datapath's global counters, for `show status`: one array indexed
 * by enum dp_stat, each with a stable name (dp_stat_name) so the parent
 * and l2tpsecctl can print them without knowing the list.  Every packet
 * the datapath drops is counted under exactly one reason here; the
 * per-SA and per-session byte counters are separate (MSG_DP_COUNTERS).
 */
enum dp_stat {
	/* UDP 4500 and raw ESP in */
	DP_ST_ESP_UDP_RX = 0,	/* datagrams read on UDP 4500 */
	DP_ST_ESP_RAW_RX,	/* datagrams read on the raw ESP socket */
	DP_ST_KEEPALIVE,	/* 0xff NAT keepalives (dropped, RFC 3948) */
	DP_ST_NON_ESP,		/* non-ESP marker: IKE, steered wrongly */
	DP_ST_ESP_MALFORMED,	/* too short, bad raw IPv4 header */
	DP_ST_ESP_NO_SA,	/* no SA for (peer, port, SPI) */
	DP_ST_ESP_SA_DEAD,	/* the SA passed its hard lifetime */
	/* esp_decap() refusals, one per enum esp_err (esp_strerror) */
	DP_ST_ESP_ERR_SHORT,
	DP_ST_ESP_ERR_LENGTH,
	DP_ST_ESP_ERR_SPI,
	DP_ST_ESP_ERR_REPLAY,
	DP_ST_ESP_ERR_STALE,
	DP_ST_ESP_ERR_AUTH,
	DP_ST_ESP_ERR_PAD,
	DP_ST_ESP_ERR_OTHER,	/* no-space, crypto-error: our fault */
	DP_ST_ESP_DUMMY,	/* Next Header 59 (RFC 4303 2.6) */
	DP_ST_INNER_NOT_UDP,	/* Next Header other than UDP */
	DP_ST_INNER_MALFORMED,	/* inner UDP header */
	DP_ST_INNER_PORT,	/* not the SA's UDP/1701 selector */
	/* L2TP */
	DP_ST_L2TP_CLEAR_RX,	/* datagrams on UDP/1701 in the clear */
	DP_ST_L2TP_MALFORMED,	/* not an L2TPv2 header */
	DP_ST_L2TP_OVERSIZE,	/* control over MSG_L2TP_CTRL_MAX */
	DP_ST_CTRL_UP,		/* control relayed to l2tp */
	DP_ST_CTRL_UP_FAILED,	/* ... and the channel refused it */
	DP_ST_CTRL_DOWN,	/* control sent for l2tp */
	DP_ST_CTRL_NO_SA,	/* for an SA (or peer) with no usable SA */
	DP_ST_NO_SESSION,	/* data for an unknown session */
	DP_ST_WRONG_PEER,	/* data for a session from elsewhere */
	/* PPP */
	DP_ST_PPP_SHORT,	/* no Protocol field */
	DP_ST_PPP_UP,		/* frames to ppp */
	DP_ST_PPP_DROPPED,	/* ppp's socket was full or closed */
	DP_ST_PPP_TRUNCATED,	/* a frame from ppp too large for us */
	/* IPv4 between sessions and the TUN */
	DP_ST_IP_MALFORMED,	/* IPv4 from a peer with a bad header */
	DP_ST_IP_SPOOFED,	/* source not the session's address */
	DP_ST_TUN_TX,		/* packets written to the TUN */
	DP_ST_TUN_TX_DROPPED,	/* TUN write failed (full) */
	DP_ST_TUN_RX,		/* packets read from the TUN */
	DP_ST_TUN_NOT_IPV4,	/* not IPv4, or a bad IPv4 header */
	DP_ST_TUN_NO_ROUTE,	/* no session owns the destination */
	DP_ST_SESSION_NO_SA,	/* the session has no usable SA */
	/* out */
	DP_ST_ESP_ENCAP_FAILED,	/* esp_encap() refused */
	DP_ST_TX_ERRORS,	/* send failed (full buffer, no route) */
	DP_ST_RX_TRUNCATED,	/* a datagram larger than our buffers */
	DP_ST_MAX
};

const char	*dp_stat_name(int);

struct dp_stats {
	uint64_t	st_count[DP_ST_MAX];
};

#endif
