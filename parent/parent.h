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


#ifndef L2TPSEC_PARENT_H
#define L2TPSEC_PARENT_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <event.h>
#include <time.h>

#include "common/chan.h"
#include "common/msg.h"
#include "imsg/imsg.h"

struct config;
struct json;

struct proc {
	int			 p_role;
	pid_t			 p_pid;		/* 0 when not running */
	struct chan		 p_chan;
	int			 p_ready;
	int			 p_sandbox;	/* enum sandbox_state */
	uid_t			 p_uid;
	struct parent		*p_parent;
	/* The child's stderr, relayed line by line into our log. */
	int			 p_errfd;
	struct event		 p_errev;
	char			 p_errbuf[512];
	size_t			 p_errlen;
	/* The child's counters as it last sent them, for `show status`. */
	struct msg_stats	 p_stats;
};

struct ctl_conn;
struct psession;

struct parent {
	struct config		*pa_conf;
	const char		*pa_conffile;
	struct event_base	*pa_base;
	struct proc		 pa_procs[PROC_MAX];
	time_t			 pa_started;
	int			 pa_foreground;
	int			 pa_verbose;
	int			 pa_stopping;
	int			 pa_exitcode;
	/* Fixed at start; a reload that changes them asks for a restart. */
	char			 pa_control[108];
	int			 pa_dataplane;
	int			 pa_ctl_fd;
	struct event		 pa_ctl_ev;
	TAILQ_HEAD(, ctl_conn)	 pa_ctl_conns;
	size_t			 pa_nctl_conns;
	uint32_t		 pa_ctl_next_id;
	TAILQ_HEAD(, psession)	 pa_sessions;
	struct event		 pa_ready_timer;
	struct event		 pa_stop_timer;
	struct event		 pa_sig_term, pa_sig_int, pa_sig_hup, pa_sig_chld;
};

/* proc.c */
int	 proc_start(struct parent *, int);
void	 proc_send_config(struct parent *, struct proc *);
int	 proc_compose(struct proc *, uint32_t, const void *, size_t);
int	 proc_compose_fd(struct proc *, uint32_t, int, const void *, size_t);
int	 proc_request(struct proc *, uint32_t, uint32_t, const void *, size_t);
void	 proc_broadcast(struct parent *, uint32_t, const void *, size_t);
void	 proc_reap(struct parent *);
void	 proc_stop_all(struct parent *);
int	 proc_all_gone(const struct parent *);
int	 proc_all_ready(const struct parent *);
__attribute__((noreturn)) void
	 parent_exit(struct parent *, int);

/* sockets.c */
int	 sockets_link(struct parent *, int, int);
int	 sockets_l2tp_clear(struct parent *, int);
int	 sockets_ike(struct parent *);
int	 sockets_esp_userspace(const struct parent *);
int	 sockets_l2tp_kernel(struct parent *);

/* ike.c */
void	 ike_send_config(struct parent *, struct proc *);
int	 ike_spi_alloc(struct parent *, struct proc *, struct imsg *);
int	 ike_sa_add(struct parent *, struct proc *, struct imsg *);
int	 ike_sa_del(struct parent *, struct imsg *);
int	 ike_connect(struct parent *, const char *, char *, size_t);
void	 ike_psa_peer_moved(uint32_t, const struct sockaddr_storage *);

/* dataplane.c */
int	 dataplane_start(struct parent *);
void	 dataplane_stop(void);
int	 dataplane_session_up(struct parent *, uint32_t, struct in_addr);
void	 dataplane_session_down(struct in_addr);
const char *dataplane_tun_name(void);

/* kernel.c: the kernel data path */
int	 kernel_usable(const struct config *, char *, size_t);
int	 kernel_probe(char *, size_t);
int	 kernel_start(struct parent *);
void	 kernel_stop(void);
int	 kernel_spi_alloc(const struct sockaddr_storage *,
	    const struct sockaddr_storage *, uint32_t *,
	    struct in_addr *);
void	 kernel_spi_free(struct in_addr, uint32_t);
int	 kernel_sa_add(const struct msg_sa_add *, struct in_addr, char *,
	    size_t);
void	 kernel_sa_del(uint32_t);
void	 kernel_sa_fill(struct ctl_ipsec_sa *);
void	 kernel_nat_mapping(uint32_t, const struct sockaddr_storage *);
void	 kernel_tunnel_up(struct parent *, const struct msg_tunnel *);
int	 kernel_client_dial(const struct msg_sa_add *, int *,
	    struct sockaddr_storage *, struct sockaddr_storage *, char *,
	    size_t);
void	 kernel_client_release(const char *);
void	 kernel_tunnel_down(uint16_t);
int	 kernel_session_create(struct parent *, const struct msg_session *,
	    int *, int *, int *);
int	 kernel_session_ifup(uint32_t, struct in_addr, struct in_addr);
void	 kernel_session_destroy(uint32_t);
const char *kernel_session_ifname(uint32_t);

/* client.c */
int	 client_connect(struct parent *, const char *, char *, size_t);
int	 client_disconnect(struct parent *, const char *, char *, size_t);
void	 client_sa_up(struct parent *, const struct msg_sa_add *);
int	 client_session_up(struct parent *, const struct msg_session *);
int	 client_ppp_up(struct parent *, uint32_t, struct in_addr,
	    struct in_addr);
void	 client_session_down(struct parent *, uint32_t, const char *);
void	 client_autostart(struct parent *);
void	 client_stop(void);
void	 client_ike_down(struct parent *, const char *, const char *);
void	 client_sa_down(struct parent *, uint32_t);
int	 parent_nat_mapping(struct parent *, struct imsg *);

/* session.c */
void	 session_up(struct parent *, const struct msg_session *);
void	 session_down(struct parent *, const struct msg_session *);
int	 session_ppp_down(struct parent *, const struct msg_session_ref *);
void	 ppp_send_config(struct parent *, struct proc *);
int	 session_ppp_up(struct parent *, const struct msg_ppp_up *);
int	 session_close(struct parent *, uint32_t, const char *);
int	 session_close_user(struct parent *, const char *, const char *);
int	 session_peer_gone(struct parent *, const struct sockaddr_storage *,
	    const char *);
void	 session_counters(struct parent *, const struct msg_dp_counters *);
void	 session_auth_failed(struct parent *, uint32_t);
void	 ike_sa_counters(const struct msg_dp_counters *);
void	 ike_fill_counters(struct parent *, struct ctl_ipsec_sa *);
void	 session_show(struct parent *, void (*)(void *, const void *, size_t),
	    void *);

/* control.c */
int	 control_open(struct parent *, const char *);
void	 control_relay(struct parent *, uint32_t, uint32_t, const void *,
	    size_t);
void	 control_close(struct parent *);

/* audit.c */
int	 audit_open(const char *);
int	 audit_reopen(void);
void	 audit_close(void);
void	 audit_begin(struct json *, const char *);
void	 audit_commit(struct json *);

/* l2tpsecd.c */
int	 parent_reload(struct parent *, char *, size_t);
void	 parent_set_verbose(struct parent *, int);
void	 parent_shutdown(struct parent *, int);
void	 parent_all_ready(struct parent *);

#endif
