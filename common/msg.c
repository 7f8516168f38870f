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

#include "msg.h"

static const char *const proc_role_names[PROC_MAX] = {
	[PROC_PARENT] = "parent",
	[PROC_IKE] = "ike",
	[PROC_L2TP] = "l2tp",
	[PROC_PPP] = "ppp",
	[PROC_DATAPATH] = "datapath",
};

static const char *const msg_type_names[MSG_TYPE_MAX] = {
	[MSG_NONE] = "NONE",
	[MSG_CHILD_INIT] = "CHILD_INIT",
	[MSG_CONFIG_RESET] = "CONFIG_RESET",
	[MSG_CONFIG_END] = "CONFIG_END",
	[MSG_LOG_VERBOSE] = "LOG_VERBOSE",
	[MSG_SHUTDOWN] = "SHUTDOWN",
	[MSG_SOCKET] = "SOCKET",
	[MSG_L2TP_CONFIG] = "L2TP_CONFIG",
	[MSG_CTL_SHOW] = "CTL_SHOW",
	[MSG_CTL_DISCONNECT] = "CTL_DISCONNECT",
	[MSG_DP_SESSION_ADD] = "DP_SESSION_ADD",
	[MSG_DP_SESSION_DEL] = "DP_SESSION_DEL",
	[MSG_DP_SA_ADD] = "DP_SA_ADD",
	[MSG_DP_SA_DEL] = "DP_SA_DEL",
	[MSG_DP_SA_PEER] = "DP_SA_PEER",
	[MSG_DP_ROUTE] = "DP_ROUTE",
	[MSG_DP_COUNTERS] = "DP_COUNTERS",
	[MSG_DP_SA_EXPIRE] = "DP_SA_EXPIRE",
	[MSG_PPP_START] = "PPP_START",
	[MSG_PPP_UNIT] = "PPP_UNIT",
	[MSG_PPP_STOP] = "PPP_STOP",
	[MSG_PPP_CONFIG] = "PPP_CONFIG",
	[MSG_PPP_USERS] = "PPP_USERS",
	[MSG_PPP_CREDS] = "PPP_CREDS",
	[MSG_PPP_UP] = "PPP_UP",
	[MSG_PPP_DOWN] = "PPP_DOWN",
	[MSG_PPP_CLOSE] = "PPP_CLOSE",
	[MSG_PPP_COUNTERS] = "PPP_COUNTERS",
	[MSG_L2TP_CLOSE] = "L2TP_CLOSE",
	[MSG_L2TP_DIAL] = "L2TP_DIAL",
	[MSG_L2TP_TUNNEL_SOCKET] = "L2TP_TUNNEL_SOCKET",
	[MSG_IKE_CONFIG] = "IKE_CONFIG",
	[MSG_IKE_PSK] = "IKE_PSK",
	[MSG_IKE_INITIATE] = "IKE_INITIATE",
	[MSG_SPI] = "SPI",
	[MSG_SA_ADD_OK] = "SA_ADD_OK",
	[MSG_SA_ADD_FAIL] = "SA_ADD_FAIL",
	[MSG_SA_EXPIRE] = "SA_EXPIRE",
	[MSG_NAT_MAPPING] = "NAT_MAPPING",
	[MSG_SPI_ALLOC] = "SPI_ALLOC",
	[MSG_SA_ADD] = "SA_ADD",
	[MSG_SA_DEL] = "SA_DEL",
	[MSG_IKE_DOWN] = "IKE_DOWN",
	[MSG_CTL_IKE_SA] = "CTL_IKE_SA",
	[MSG_CTL_IPSEC_SA] = "CTL_IPSEC_SA",
	[MSG_AUDIT] = "AUDIT",
	[MSG_CHILD_READY] = "CHILD_READY",
	[MSG_LOG] = "LOG",
	[MSG_STATS] = "STATS",
	[MSG_TUNNEL_UP] = "TUNNEL_UP",
	[MSG_TUNNEL_DOWN] = "TUNNEL_DOWN",
	[MSG_SESSION_UP] = "SESSION_UP",
	[MSG_SESSION_DOWN] = "SESSION_DOWN",
	[MSG_CTL_TUNNEL] = "CTL_TUNNEL",
	[MSG_CTL_TUNNEL_SESSION] = "CTL_TUNNEL_SESSION",
	[MSG_CTL_END] = "CTL_END",
	[MSG_L2TP_CTRL_IN] = "L2TP_CTRL_IN",
	[MSG_L2TP_CTRL_OUT] = "L2TP_CTRL_OUT",
};

static const char *const ctl_type_names[CTL_TYPE_MAX] = {
	[CTL_NONE] = "NONE",
	[CTL_SHOW_STATUS] = "SHOW_STATUS",
	[CTL_SHOW_SESSIONS] = "SHOW_SESSIONS",
	[CTL_SHOW_TUNNELS] = "SHOW_TUNNELS",
	[CTL_SHOW_SA] = "SHOW_SA",
	[CTL_RELOAD] = "RELOAD",
	[CTL_LOG_VERBOSE] = "LOG_VERBOSE",
	[CTL_DISCONNECT] = "DISCONNECT",
	[CTL_CONNECT] = "CONNECT",
	[CTL_STATUS] = "STATUS",
	[CTL_PROC] = "PROC",
	[CTL_RESULT] = "RESULT",
	[CTL_TUNNEL] = "TUNNEL",
	[CTL_TUNNEL_SESSION] = "TUNNEL_SESSION",
	[CTL_IKE_SA] = "IKE_SA",
	[CTL_IPSEC_SA] = "IPSEC_SA",
	[CTL_SESSION] = "SESSION",
	[CTL_COUNTER] = "COUNTER",
};

static const char *const sandbox_state_names[] = {
	[SANDBOX_NONE] = "none",
	[SANDBOX_SECCOMP] = "seccomp",
	[SANDBOX_TRAP] = "trap",
};

const char *
proc_role_name(int role)
{
	if (role < 0 || role >= PROC_MAX)
		return ("unknown");
	return (proc_role_names[role]);
}

int
proc_role_from_name(const char *name)
{
	int	 i;

	for (i = 0; i < PROC_MAX; i++)
		if (strcmp(proc_role_names[i], name) == 0)
			return (i);
	return (-1);
}

const char *
msg_type_name(uint32_t type)
{
	if (type >= MSG_TYPE_MAX || msg_type_names[type] == NULL)
		return ("UNKNOWN");
	return (msg_type_names[type]);
}

const char *
ctl_type_name(uint32_t type)
{
	if (type >= CTL_TYPE_MAX || ctl_type_names[type] == NULL)
		return ("UNKNOWN");
	return (ctl_type_names[type]);
}

const char *
sandbox_state_name(int state)
{
	if (state < SANDBOX_NONE || state > SANDBOX_TRAP)
		return ("unknown");
	return (sandbox_state_names[state]);
}

int
msg_str_ok(const char *s, size_t size)
{
	return (memchr(s, '\0', size) != NULL);
}

/* A counter's name: non-empty, NUL-terminated, [a-z0-9-] only. */
int
msg_stat_name_ok(const char *s, size_t size)
{
	size_t	 i;

	if (!msg_str_ok(s, size) || s[0] == '\0')
		return (0);
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return (0);
	return (1);
}
