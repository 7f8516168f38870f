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


#include <stddef.h>

#include "dp_stats.h"

static const char *dp_stat_names[DP_ST_MAX] = {
	[DP_ST_ESP_UDP_RX] = "esp-udp-rx",
	[DP_ST_ESP_RAW_RX] = "esp-raw-rx",
	[DP_ST_KEEPALIVE] = "nat-keepalive",
	[DP_ST_NON_ESP] = "non-esp-marker",
	[DP_ST_ESP_MALFORMED] = "esp-malformed",
	[DP_ST_ESP_NO_SA] = "esp-no-sa",
	[DP_ST_ESP_SA_DEAD] = "esp-sa-expired",
	[DP_ST_ESP_ERR_SHORT] = "esp-short",
	[DP_ST_ESP_ERR_LENGTH] = "esp-bad-length",
	[DP_ST_ESP_ERR_SPI] = "esp-unknown-spi",
	[DP_ST_ESP_ERR_REPLAY] = "esp-replay",
	[DP_ST_ESP_ERR_STALE] = "esp-stale",
	[DP_ST_ESP_ERR_AUTH] = "esp-auth-failed",
	[DP_ST_ESP_ERR_PAD] = "esp-bad-padding",
	[DP_ST_ESP_ERR_OTHER] = "esp-internal-error",
	[DP_ST_ESP_DUMMY] = "esp-dummy",
	[DP_ST_INNER_NOT_UDP] = "inner-not-udp",
	[DP_ST_INNER_MALFORMED] = "inner-udp-malformed",
	[DP_ST_INNER_PORT] = "inner-wrong-port",
	[DP_ST_L2TP_CLEAR_RX] = "l2tp-clear-rx",
	[DP_ST_L2TP_MALFORMED] = "l2tp-malformed",
	[DP_ST_L2TP_OVERSIZE] = "l2tp-oversize",
	[DP_ST_CTRL_UP] = "l2tp-ctrl-up",
	[DP_ST_CTRL_UP_FAILED] = "l2tp-ctrl-up-failed",
	[DP_ST_CTRL_DOWN] = "l2tp-ctrl-down",
	[DP_ST_CTRL_NO_SA] = "l2tp-ctrl-no-sa",
	[DP_ST_NO_SESSION] = "l2tp-no-session",
	[DP_ST_WRONG_PEER] = "l2tp-wrong-peer",
	[DP_ST_PPP_SHORT] = "ppp-short",
	[DP_ST_PPP_UP] = "ppp-up",
	[DP_ST_PPP_DROPPED] = "ppp-dropped",
	[DP_ST_PPP_TRUNCATED] = "ppp-truncated",
	[DP_ST_IP_MALFORMED] = "ip-malformed",
	[DP_ST_IP_SPOOFED] = "ip-spoofed",
	[DP_ST_TUN_TX] = "tun-tx",
	[DP_ST_TUN_TX_DROPPED] = "tun-tx-dropped",
	[DP_ST_TUN_RX] = "tun-rx",
	[DP_ST_TUN_NOT_IPV4] = "tun-not-ipv4",
	[DP_ST_TUN_NO_ROUTE] = "tun-no-route",
	[DP_ST_SESSION_NO_SA] = "session-no-sa",
	[DP_ST_ESP_ENCAP_FAILED] = "esp-encap-failed",
	[DP_ST_TX_ERRORS] = "tx-errors",
	[DP_ST_RX_TRUNCATED] = "rx-truncated",
};

const char *
dp_stat_name(int st)
{
	if (st < 0 || st >= DP_ST_MAX || dp_stat_names[st] == NULL)
		return ("unknown");
	return (dp_stat_names[st]);
}
