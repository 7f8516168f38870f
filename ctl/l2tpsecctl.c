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


#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/json.h"
#include "common/msg.h"
#include "imsg/imsg.h"
#include "parent/config.h"

/*
 * l2tpsecctl: one request to the daemon's control socket, the replies
 * printed as text or (-j) as one JSON document.  Exit codes: 0 ok, 1 the
 * daemon refused or is not running, 2 usage.
 */

enum ctl_show { SHOW_NONE, SHOW_STATUS, SHOW_LIST };

struct ctl_cmd {
	const char	*cm_words[3];
	uint32_t	 cm_type;
	uint32_t	 cm_kind;	/* target kind, 0 if none */
	int		 cm_verbose;	/* for `log`, -1 otherwise */
	const char	*cm_list;	/* JSON key of a `show` list */
};

static const struct ctl_cmd ctl_cmds[] = {
	{ { "show", "status" }, CTL_SHOW_STATUS, 0, -1, NULL },
	{ { "show", "sessions" }, CTL_SHOW_SESSIONS, 0, -1, "sessions" },
	{ { "show", "tunnels" }, CTL_SHOW_TUNNELS, 0, -1, "tunnels" },
	{ { "show", "sa" }, CTL_SHOW_SA, 0, -1, "sa" },
	{ { "disconnect", "session" }, CTL_DISCONNECT, CTL_TGT_SESSION, -1,
	    NULL },
	{ { "disconnect", "user" }, CTL_DISCONNECT, CTL_TGT_USER, -1, NULL },
	{ { "disconnect", "peer" }, CTL_DISCONNECT, CTL_TGT_PEER, -1, NULL },
	{ { "disconnect", "connection" }, CTL_DISCONNECT, CTL_TGT_CONNECTION,
	    -1, NULL },
	{ { "connect" }, CTL_CONNECT, CTL_TGT_CONNECTION, -1, NULL },
	{ { "reload" }, CTL_RELOAD, 0, -1, NULL },
	{ { "log", "verbose" }, CTL_LOG_VERBOSE, 0, 1, NULL },
	{ { "log", "brief" }, CTL_LOG_VERBOSE, 0, 0, NULL },
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: l2tpsecctl [-j] [-s socket] command\n"
	    "commands:\n"
	    "  show status | sessions | tunnels | sa\n"
	    "  disconnect session ID | user NAME | peer ADDR | "
	    "connection NAME\n"
	    "  connect NAME\n"
	    "  reload\n"
	    "  log verbose | brief\n");
	exit(2);
}

/* Matches argv against the table; the target, if any, is the last word. */
static const struct ctl_cmd *
ctl_match(int argc, char **argv, const char **target)
{
	size_t	 i, n;

	*target = NULL;
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++) {
		const struct ctl_cmd *cm = &ctl_cmds[i];

		for (n = 0; n < 3 && cm->cm_words[n] != NULL; n++)
			if ((int)n >= argc || strcmp(argv[n], cm->cm_words[n]))
				break;
		if (n == 3 || cm->cm_words[n] != NULL)
			continue;
		if (cm->cm_kind != 0) {
			if (argc != (int)n + 1)
				continue;
			*target = argv[n];
		} else if (argc != (int)n)
			continue;
		return (cm);
	}
	return (NULL);
}

static void
fmt_duration(uint64_t s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%" PRIu64 "d %" PRIu64 "h %" PRIu64 "m",
		    s / 86400, s % 86400 / 3600, s % 3600 / 60);
	else if (s >= 3600)
		snprintf(buf, len, "%" PRIu64 "h %" PRIu64 "m %" PRIu64 "s",
		    s / 3600, s % 3600 / 60, s % 60);
	else if (s >= 60)
		snprintf(buf, len, "%" PRIu64 "m %" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, len, "%" PRIu64 "s", s);
}

/* Ends a process's JSON object and its counters, if one is open. */
static void
ctl_proc_close(struct json *j, int *proc_open, int *ctr_open)
{
	if (*ctr_open)
		json_obj_close(j);
	if (*proc_open)
		json_obj_close(j);
	*proc_open = *ctr_open = 0;
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		fprintf(stderr, "l2tpsecctl: socket path too long: %s\n", path);
		exit(1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "l2tpsecctl: cannot reach l2tpsecd at %s: %s "
		    "(is it running?)\n", path, strerror(errno));
		exit(1);
	}
	return (fd);
}

int
main(int argc, char *argv[])
{
	const struct ctl_cmd	*cm;
	const char		*sockpath = L2TPSECD_SOCKET, *target, *text;
	struct imsgbuf		 ib;
	struct imsg		 im;
	struct ctl_target	 tgt;
	struct msg_verbose	 mv;
	struct ctl_status	 st;
	struct ctl_proc		 cp;
	struct ctl_counter	 cc;
	struct ctl_result	 res;
	struct ctl_tunnel	 ct;
	struct ctl_tunnel_session cs;
	struct ctl_ike_sa	 ci;
	struct ctl_ipsec_sa	 cp2;
	struct ctl_session	 cn;
	char			 spi[2][12];
	struct json		 j;
	int			 tun_open = 0, proc_open = 0, ctr_open = 0;
	char			 up[64];
	ssize_t			 n;
	int			 ch, jflag = 0, fd, r, done = 0, nitems = 0;

	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			jflag = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((cm = ctl_match(argc, argv, &target)) == NULL)
		usage();

	fd = ctl_connect(sockpath);
	if (imsgbuf_init(&ib, fd, CTL_MAXMSG, 0) == -1) {
		perror("l2tpsecctl");
		return (1);
	}
	if (cm->cm_kind != 0) {
		memset(&tgt, 0, sizeof(tgt));
		tgt.ct_kind = cm->cm_kind;
		if (strlcpy(tgt.ct_name, target, sizeof(tgt.ct_name)) >=
		    sizeof(tgt.ct_name)) {
			fprintf(stderr, "l2tpsecctl: name too long\n");
			return (2);
		}
		r = imsg_compose(&ib, cm->cm_type, 0, getpid(), -1, &tgt,
		    sizeof(tgt));
	} else if (cm->cm_verbose != -1) {
		memset(&mv, 0, sizeof(mv));
		mv.mv_verbose = cm->cm_verbose;
		r = imsg_compose(&ib, cm->cm_type, 0, getpid(), -1, &mv,
		    sizeof(mv));
	} else
		r = imsg_compose(&ib, cm->cm_type, 0, getpid(), -1, NULL, 0);
	if (r == -1 || imsgbuf_flush(&ib) == -1) {
		fprintf(stderr, "l2tpsecctl: sending the request: %s\n",
		    strerror(errno));
		return (1);
	}

	json_init(&j);
	json_obj_open(&j, NULL);
	if (cm->cm_list != NULL)
		json_arr_open(&j, cm->cm_list);
	memset(&res, 0, sizeof(res));
	while (!done) {
		if ((n = imsgbuf_read(&ib)) == -1 && errno != EAGAIN) {
			fprintf(stderr, "l2tpsecctl: reading the reply: %s\n",
			    strerror(errno));
			return (1);
		}
		if (n == 0) {
			fprintf(stderr, "l2tpsecctl: the daemon closed the "
			    "connection without an answer\n");
			return (1);
		}
		while (!done && (r = imsg_get(&ib, &im)) == 1) {
			switch (im.hdr.type) {
			case CTL_STATUS:
				if (imsg_get_exact(&im, &st, sizeof(st)) == -1 ||
				    !msg_str_ok(st.cs_version,
				    sizeof(st.cs_version)) ||
				    !msg_str_ok(st.cs_dataplane,
				    sizeof(st.cs_dataplane)))
					goto bad;
				json_str(&j, "version", st.cs_version);
				json_uint(&j, "uptime_s", st.cs_uptime_s);
				json_str(&j, "dataplane", st.cs_dataplane);
				json_arr_open(&j, "processes");
				fmt_duration(st.cs_uptime_s, up, sizeof(up));
				if (!jflag)
					printf("l2tpsecd %s, up %s, data plane "
					    "%s\n%-10s %8s %8s  %s\n",
					    st.cs_version, up, st.cs_dataplane,
					    "ROLE", "PID", "UID", "SANDBOX");
				break;
			case CTL_PROC:
				if (imsg_get_exact(&im, &cp, sizeof(cp)) == -1 ||
				    !msg_str_ok(cp.cp_role,
				    sizeof(cp.cp_role)) ||
				    !msg_str_ok(cp.cp_sandbox,
				    sizeof(cp.cp_sandbox)))
					goto bad;
				ctl_proc_close(&j, &proc_open, &ctr_open);
				json_obj_open(&j, NULL);
				proc_open = 1;
				json_str(&j, "role", cp.cp_role);
				json_int(&j, "pid", cp.cp_pid);
				json_uint(&j, "uid", cp.cp_uid);
				json_str(&j, "sandbox", cp.cp_sandbox);
				if (!jflag)
					printf("%-10s %8d %8u  %s\n",
					    cp.cp_role, (int)cp.cp_pid,
					    (unsigned)cp.cp_uid, cp.cp_sandbox);
				break;
			case CTL_COUNTER:
				/* A process's counters follow its CTL_PROC. */
				if (!proc_open ||
				    imsg_get_exact(&im, &cc, sizeof(cc)) == -1 ||
				    !msg_stat_name_ok(cc.cc_name,
				    sizeof(cc.cc_name)))
					goto bad;
				if (!ctr_open) {
					json_obj_open(&j, "counters");
					ctr_open = 1;
				}
				json_uint(&j, cc.cc_name, cc.cc_value);
				/* Text: what happened, not every zero. */
				if (!jflag && cc.cc_value != 0)
					printf("%10s %-24s %12" PRIu64 "\n", "",
					    cc.cc_name, cc.cc_value);
				break;
			case CTL_TUNNEL:
				if (imsg_get_exact(&im, &ct, sizeof(ct)) == -1 ||
				    !msg_str_ok(ct.ct_peer, sizeof(ct.ct_peer)) ||
				    !msg_str_ok(ct.ct_host, sizeof(ct.ct_host)) ||
				    !msg_str_ok(ct.ct_vendor,
				    sizeof(ct.ct_vendor)) ||
				    !msg_str_ok(ct.ct_state, sizeof(ct.ct_state)))
					goto bad;
				if (tun_open) {
					json_arr_close(&j);
					json_obj_close(&j);
				}
				json_obj_open(&j, NULL);
				json_uint(&j, "tunnel_id", ct.ct_tid);
				json_uint(&j, "peer_tunnel_id", ct.ct_peer_tid);
				json_str(&j, "peer", ct.ct_peer);
				json_str(&j, "host", ct.ct_host);
				json_str(&j, "vendor", ct.ct_vendor);
				json_str(&j, "state", ct.ct_state);
				json_uint(&j, "age_s", ct.ct_age_s);
				json_uint(&j, "tx_messages", ct.ct_tx);
				json_uint(&j, "rx_messages", ct.ct_rx);
				json_uint(&j, "retransmits", ct.ct_retransmits);
				json_arr_open(&j, "sessions");
				tun_open = 1;
				nitems++;
				fmt_duration(ct.ct_age_s, up, sizeof(up));
				if (!jflag)
					printf("tunnel %u/%u %s host \"%s\" "
					    "vendor \"%s\" %s, up %s, %u "
					    "session(s), %" PRIu64 " retransmits\n",
					    ct.ct_tid, ct.ct_peer_tid, ct.ct_peer,
					    ct.ct_host, ct.ct_vendor, ct.ct_state,
					    up, ct.ct_nsessions,
					    ct.ct_retransmits);
				break;
			case CTL_TUNNEL_SESSION:
				if (!tun_open ||
				    imsg_get_exact(&im, &cs, sizeof(cs)) == -1 ||
				    !msg_str_ok(cs.cs_state, sizeof(cs.cs_state)))
					goto bad;
				json_obj_open(&j, NULL);
				json_uint(&j, "id", cs.cs_id);
				json_uint(&j, "l2tp_session", cs.cs_sid);
				json_uint(&j, "peer_l2tp_session",
				    cs.cs_peer_sid);
				json_str(&j, "state", cs.cs_state);
				json_uint(&j, "age_s", cs.cs_age_s);
				json_obj_close(&j);
				fmt_duration(cs.cs_age_s, up, sizeof(up));
				if (!jflag)
					printf("  session %u (%u/%u) %s, up %s\n",
					    cs.cs_id, cs.cs_sid, cs.cs_peer_sid,
					    cs.cs_state, up);
				break;
			case CTL_IKE_SA:
				if (imsg_get_exact(&im, &ci, sizeof(ci)) == -1 ||
				    !msg_str_ok(ci.ci_peer, sizeof(ci.ci_peer)) ||
				    !msg_str_ok(ci.ci_role, sizeof(ci.ci_role)) ||
				    !msg_str_ok(ci.ci_state,
				    sizeof(ci.ci_state)) ||
				    !msg_str_ok(ci.ci_alg, sizeof(ci.ci_alg)) ||
				    !msg_str_ok(ci.ci_id_peer,
				    sizeof(ci.ci_id_peer)))
					goto bad;
				if (tun_open) {
					json_arr_close(&j);
					json_obj_close(&j);
				}
				json_obj_open(&j, NULL);
				json_uint(&j, "id", ci.ci_id);
				json_str(&j, "peer", ci.ci_peer);
				json_bool(&j, "nat", ci.ci_nat != 0);
				json_str(&j, "role", ci.ci_role);
				json_str(&j, "state", ci.ci_state);
				json_str(&j, "alg", ci.ci_alg);
				json_str(&j, "peer_id", ci.ci_id_peer);
				json_uint(&j, "age_s", ci.ci_age_s);
				json_arr_open(&j, "ipsec");
				tun_open = 1;
				nitems++;
				fmt_duration(ci.ci_age_s, up, sizeof(up));
				if (!jflag)
					printf("ike %u %s%s %s %s %s, id \"%s\", "
					    "up %s\n", ci.ci_id, ci.ci_peer,
					    ci.ci_nat ? " (NAT)" : "",
					    ci.ci_role, ci.ci_state, ci.ci_alg,
					    ci.ci_id_peer, up);
				break;
			case CTL_IPSEC_SA:
				if (!tun_open ||
				    imsg_get_exact(&im, &cp2, sizeof(cp2)) == -1 ||
				    !msg_str_ok(cp2.cp_alg, sizeof(cp2.cp_alg)))
					goto bad;
				snprintf(spi[0], sizeof(spi[0]), "%08x",
				    cp2.cp_spi_in);
				snprintf(spi[1], sizeof(spi[1]), "%08x",
				    cp2.cp_spi_out);
				json_obj_open(&j, NULL);
				json_uint(&j, "id", cp2.cp_id);
				json_str(&j, "spi_in", spi[0]);
				json_str(&j, "spi_out", spi[1]);
				json_str(&j, "alg", cp2.cp_alg);
				json_bool(&j, "udp_encap", cp2.cp_encap != 0);
				json_uint(&j, "age_s", cp2.cp_age_s);
				json_uint(&j, "lifetime_s", cp2.cp_lifetime_s);
				json_uint(&j, "lifetime_kb", cp2.cp_lifetime_kb);
				json_uint(&j, "bytes_in", cp2.cp_bytes_in);
				json_uint(&j, "bytes_out", cp2.cp_bytes_out);
				json_uint(&j, "packets_in", cp2.cp_packets_in);
				json_uint(&j, "packets_out", cp2.cp_packets_out);
				json_obj_close(&j);
				if (!jflag)
					printf("  esp %u in %s out %s %s%s, "
					    "lifetime %us, %" PRIu64 "/%" PRIu64
					    " bytes in/out\n", cp2.cp_id, spi[0],
					    spi[1], cp2.cp_alg, cp2.cp_encap ?
					    " udp-encap" : "",
					    cp2.cp_lifetime_s, cp2.cp_bytes_in,
					    cp2.cp_bytes_out);
				break;
			case CTL_SESSION:
				if (imsg_get_exact(&im, &cn, sizeof(cn)) == -1 ||
				    !msg_str_ok(cn.cn_user, sizeof(cn.cn_user)) ||
				    !msg_str_ok(cn.cn_peer, sizeof(cn.cn_peer)) ||
				    !msg_str_ok(cn.cn_ip, sizeof(cn.cn_ip)) ||
				    !msg_str_ok(cn.cn_ifname,
				    sizeof(cn.cn_ifname)) ||
				    !msg_str_ok(cn.cn_state, sizeof(cn.cn_state)))
					goto bad;
				json_obj_open(&j, NULL);
				json_uint(&j, "id", cn.cn_id);
				json_str(&j, "user", cn.cn_user);
				json_str(&j, "peer", cn.cn_peer);
				json_str(&j, "ip", cn.cn_ip);
				json_str(&j, "ifname", cn.cn_ifname);
				json_str(&j, "state", cn.cn_state);
				json_uint(&j, "age_s", cn.cn_age_s);
				json_uint(&j, "rx_bytes", cn.cn_rx_bytes);
				json_uint(&j, "tx_bytes", cn.cn_tx_bytes);
				json_uint(&j, "rx_packets", cn.cn_rx_packets);
				json_uint(&j, "tx_packets", cn.cn_tx_packets);
				json_obj_close(&j);
				if (!jflag && nitems == 0)
					printf("%-6s %-16s %-22s %-15s %-12s %8s "
					    "%12s %12s\n", "ID", "USER", "PEER",
					    "IP", "STATE", "AGE", "RX BYTES",
					    "TX BYTES");
				nitems++;
				fmt_duration(cn.cn_age_s, up, sizeof(up));
				if (!jflag)
					printf("%-6u %-16s %-22s %-15s %-12s %8s "
					    "%12" PRIu64 " %12" PRIu64 "\n",
					    cn.cn_id, cn.cn_user[0] ? cn.cn_user :
					    "-", cn.cn_peer, cn.cn_ip[0] ?
					    cn.cn_ip : "-", cn.cn_state, up,
					    cn.cn_rx_bytes, cn.cn_tx_bytes);
				break;
			case CTL_RESULT:
				if (imsg_get_exact(&im, &res,
				    sizeof(res)) == -1 ||
				    !msg_str_ok(res.cr_msg, sizeof(res.cr_msg)))
					goto bad;
				done = 1;
				break;
			default:
				goto bad;
			}
			imsg_free(&im);
		}
		if (r == -1)
			goto bad;
	}
	if (tun_open) {
		json_arr_close(&j);
		json_obj_close(&j);
	}
	ctl_proc_close(&j, &proc_open, &ctr_open);
	if (cm->cm_type == CTL_SHOW_STATUS)
		json_arr_close(&j);
	if (cm->cm_list != NULL)
		json_arr_close(&j);
	if (cm->cm_type != CTL_SHOW_STATUS && cm->cm_list == NULL) {
		json_bool(&j, "ok", res.cr_code == 0);
		json_str(&j, "message", res.cr_msg);
	}
	json_obj_close(&j);

	if (res.cr_code != 0) {
		if (jflag && (text = json_text(&j)) != NULL)
			printf("%s\n", text);
		fprintf(stderr, "l2tpsecctl: %s\n", res.cr_msg);
		return (res.cr_code > 0 && res.cr_code < 126 ?
		    res.cr_code : 1);
	}
	if (jflag) {
		if ((text = json_text(&j)) == NULL) {
			fprintf(stderr, "l2tpsecctl: out of memory\n");
			return (1);
		}
		printf("%s\n", text);
	} else if (cm->cm_list != NULL && nitems == 0)
		printf("no %s\n", cm->cm_list);
	else if (cm->cm_type != CTL_SHOW_STATUS && cm->cm_list == NULL)
		printf("%s\n", res.cr_msg);
	json_free(&j);
	imsgbuf_clear(&ib);
	close(fd);
	return (0);
 bad:
	fprintf(stderr, "l2tpsecctl: malformed reply from the daemon\n");
	return (1);
}
