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

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "imsg/imsg.h"
#include "ike.h"
#include "ike_crypto.h"

/*
 * The ike child: negotiates the IPsec SAs that protect L2TP (IKEv1).
 * This file talks to the parent: configuration and keys in, the UDP
 * 500/4500 sockets, `connect`, SPIs and SA_ADD answers, expiry and NAT
 * mapping reports, `show sa` and `disconnect`; SPI_ALLOC, SA_ADD,
 * SA_DEL, audit records and control answers out.
 */

static struct ike_ctx	 ike_ctx;

int
ike_parent_send(struct ike_ctx *ix, uint32_t type, const void *data,
    size_t len)
{
	return (child_compose(ix->ix_child, type, 0, -1, data, len));
}

int
ike_parent_send_peer(struct ike_ctx *ix, uint32_t type, uint32_t peerid,
    const void *data, size_t len)
{
	return (child_compose(ix->ix_child, type, peerid, -1, data, len));
}

/*
 * Audit records (the parent writes them): peer as "addr:port", the
 * identity the peer proved (or claimed) as user.
 */
void
ike_audit(struct ike_ctx *ix, const char *event, const struct ike_sa *sa,
    const struct sockaddr_storage *peer, const char *reason)
{
	struct msg_audit	 au;

	memset(&au, 0, sizeof(au));
	strlcpy(au.au_event, event, sizeof(au.au_event));
	if (peer == NULL && sa != NULL)
		peer = &sa->sa_peer;
	if (peer != NULL)
		sockaddr_str(peer, au.au_peer, sizeof(au.au_peer));
	if (sa != NULL)
		strlcpy(au.au_user, sa->sa_peer_idstr, sizeof(au.au_user));
	strlcpy(au.au_method, "psk", sizeof(au.au_method));
	if (reason != NULL)
		strlcpy(au.au_reason, reason, sizeof(au.au_reason));
	(void)ike_parent_send(ix, MSG_AUDIT, &au, sizeof(au));
}

const struct ike_psk *
ike_psk_find(struct ike_ctx *ix, const char *name)
{
	struct ike_psk	*pk;

	TAILQ_FOREACH(pk, &ix->ix_psks, pk_entry)
		if (strcmp(pk->pk_name, name) == 0)
			return (pk);
	return (NULL);
}

static void
ike_psk_wipe(struct ike_ctx *ix)
{
	struct ike_psk	*pk;

	while ((pk = TAILQ_FIRST(&ix->ix_psks)) != NULL) {
		TAILQ_REMOVE(&ix->ix_psks, pk, pk_entry);
		explicit_bzero(pk, sizeof(*pk));
		free(pk);
	}
}

static int
ike_psk_add(struct ike_ctx *ix, struct imsg *im)
{
	struct msg_ike_psk	 ik;
	struct ike_psk		*pk;
	int			 rv = -1;

	if (imsg_get_exact(im, &ik, sizeof(ik)) == -1)
		goto done;
	if (!msg_str_ok(ik.ik_name, sizeof(ik.ik_name)) || ik.ik_len == 0 ||
	    ik.ik_len > sizeof(ik.ik_key))
		goto done;
	if ((pk = (struct ike_psk *)ike_psk_find(ix, ik.ik_name)) == NULL) {
		if ((pk = calloc(1, sizeof(*pk))) == NULL)
			fatal("calloc");
		strlcpy(pk->pk_name, ik.ik_name, sizeof(pk->pk_name));
		TAILQ_INSERT_TAIL(&ix->ix_psks, pk, pk_entry);
	}
	explicit_bzero(pk->pk_key, sizeof(pk->pk_key));
	memcpy(pk->pk_key, ik.ik_key, ik.ik_len);
	pk->pk_len = ik.ik_len;
	rv = 0;
 done:
	explicit_bzero(&ik, sizeof(ik));
	return (rv);
}

static int
ike_config(struct ike_ctx *ix, struct imsg *im)
{
	struct msg_ike_config	 ic;
	struct ike_p1		 p1;
	char			 list[1024] = "", name[64];
	uint32_t		 i;

	memset(&p1, 0, sizeof(p1));
	if (imsg_get_exact(im, &ic, sizeof(ic)) == -1 ||
	    ic.ic_nike > MSG_MAX_SUITES || ic.ic_nesp > MSG_MAX_SUITES)
		return (-1);
	ix->ix_conf = ic;
	ix->ix_have_conf = 1;
	for (i = 0; i < ic.ic_nike; i++) {
		p1.p1_encr = ic.ic_ike[i].is_enc;
		p1.p1_keybits = ic.ic_ike[i].is_keylen;
		p1.p1_hash = ic.ic_ike[i].is_hash;
		p1.p1_group = ic.ic_ike[i].is_group;
		proposal_p1_name(&p1, IKE_AUTH_PSK, name, sizeof(name));
		strlcat(list, i == 0 ? name : ", ", sizeof(list));
		if (i > 0)
			strlcat(list, name, sizeof(list));
	}
	log_debug("ike suites: %s; esp suites: %u; legacy %s", list,
	    ic.ic_nesp, ic.ic_legacy ? "yes" : "no");
	return (0);
}

static int
ike_socket(struct ike_ctx *ix, struct imsg *im)
{
	struct msg_socket	 ms;
	int			 fd;

	fd = imsg_take_fd(im);
	if (fd == -1 || imsg_get_exact(im, &ms, sizeof(ms)) == -1 ||
	    ms.ms_kind != SOCKET_IKE ||
	    ike_io_add(ix, fd, &ms.ms_local) == -1) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	return (0);
}

/* `l2tpsecctl connect NAME`: Main Mode, then Quick Mode (client role). */
static int
ike_initiate(struct ike_ctx *ix, struct imsg *im)
{
	struct msg_ike_initiate	 ii;
	struct ike_sa		*sa;

	if (imsg_get_exact(im, &ii, sizeof(ii)) == -1 ||
	    !msg_str_ok(ii.ii_name, sizeof(ii.ii_name)) ||
	    ii.ii_name[0] == '\0' || sockaddr_len(&ii.ii_peer) == 0)
		return (-1);
	if (sockaddr_port(&ii.ii_peer) == 0)
		sockaddr_set_port(&ii.ii_peer, ISAKMP_PORT);
	TAILQ_FOREACH(sa, &ix->ix_sas, sa_entry) {
		if (strcmp(sa->sa_conn, ii.ii_name) != 0 ||
		    sa->sa_state == IKE_SA_EXPIRED)
			continue;
		if (sa->sa_state != IKE_SA_ESTABLISHED) {
			log_info("connection %s: already negotiating",
			    ii.ii_name);
			return (0);
		}
		if (sa->sa_nchildren > 0 || !TAILQ_EMPTY(&sa->sa_qms)) {
			log_info("connection %s: already connected",
			    ii.ii_name);
			return (0);
		}
		(void)quick_mode_initiate(sa, 0);
		return (0);
	}
	(void)main_mode_initiate(ix, ii.ii_name, &ii.ii_peer, 0);
	return (0);
}

static int
ike_dispatch_parent(struct child *ch, struct imsg *im)
{
	struct ike_ctx		*ix = &ike_ctx;
	struct msg_ctl_show	 cw;
	struct ctl_target	 tgt;
	struct msg_spi		 ms;
	struct msg_sa_result	 sr;
	struct msg_sa_expire	 sx;
	struct msg_nat_mapping	 nm;

	(void)ch;
	switch (im->hdr.type) {
	case MSG_CONFIG_RESET:
		if (im->datalen != 0)
			return (-1);
		/* Old keys go; live SAs keep their derived keys. */
		ike_psk_wipe(ix);
		return (0);
	case MSG_CONFIG_END:
		return (im->datalen == 0 ? 0 : -1);
	case MSG_IKE_CONFIG:
		return (ike_config(ix, im));
	case MSG_IKE_PSK:
		return (ike_psk_add(ix, im));
	case MSG_SOCKET:
		return (ike_socket(ix, im));
	case MSG_IKE_INITIATE:
		return (ike_initiate(ix, im));
	case MSG_SPI:
		if (imsg_get_exact(im, &ms, sizeof(ms)) == -1)
			return (-1);
		quick_mode_spi(ix, &ms);
		return (0);
	case MSG_SA_ADD_OK:
	case MSG_SA_ADD_FAIL:
		if (imsg_get_exact(im, &sr, sizeof(sr)) == -1 ||
		    !msg_str_ok(sr.sr_reason, sizeof(sr.sr_reason)))
			return (-1);
		quick_mode_sa_result(ix, sr.sr_id,
		    im->hdr.type == MSG_SA_ADD_OK, sr.sr_reason);
		return (0);
	case MSG_SA_EXPIRE:
		if (imsg_get_exact(im, &sx, sizeof(sx)) == -1)
			return (-1);
		ike_sa_expire_child(ix, sx.sx_id, sx.sx_hard != 0);
		return (0);
	case MSG_NAT_MAPPING:
		if (imsg_get_exact(im, &nm, sizeof(nm)) == -1 ||
		    sockaddr_len(&nm.nm_peer) == 0)
			return (-1);
		ike_nat_mapping(ix, nm.nm_id, &nm.nm_peer);
		return (0);
	case MSG_CTL_SHOW:
		if (imsg_get_exact(im, &cw, sizeof(cw)) == -1 ||
		    cw.cw_what != CTL_SHOW_SA)
			return (-1);
		ike_ctl_show(ix, im->hdr.peerid);
		return (0);
	case MSG_CTL_DISCONNECT:
		if (imsg_get_exact(im, &tgt, sizeof(tgt)) == -1 ||
		    !msg_str_ok(tgt.ct_name, sizeof(tgt.ct_name)) ||
		    (tgt.ct_kind != CTL_TGT_PEER &&
		    tgt.ct_kind != CTL_TGT_CONNECTION))
			return (-1);
		(void)ike_ctl_disconnect(ix, im->hdr.peerid, &tgt);
		return (0);
	default:
		return (-1);
	}
}

static int
ike_start(struct child *ch)
{
	struct ike_ctx	*ix = &ike_ctx;

	memset(ix, 0, sizeof(*ix));
	ix->ix_child = ch;
	ix->ix_base = ch->ch_base;
	TAILQ_INIT(&ix->ix_psks);
	TAILQ_INIT(&ix->ix_socks);
	TAILQ_INIT(&ix->ix_spireqs);
	ike_sa_init_table(ix);
	return (0);
}

/* SIGTERM: every peer hears a Delete (DESIGN.md), then keys are wiped. */
static void
ike_shutdown(struct child *ch)
{
	struct ike_ctx	*ix = &ike_ctx;

	(void)ch;
	ike_sa_free_all(ix);
	ike_psk_wipe(ix);
}

/* Datagrams on 500/4500 and what became of the ones we dropped. */
static void
ike_stats(struct child *ch, struct msg_stats *ss)
{
	const struct ike_stats	*st = &ike_ctx.ix_stats;

	(void)ch;
	child_stat(ss, "ike-rx", st->st_rx);
	child_stat(ss, "ike-malformed", st->st_malformed);
	child_stat(ss, "ike-no-sa", st->st_no_sa);
	child_stat(ss, "ike-halfopen-dropped", st->st_halfopen_drop);
	child_stat(ss, "ike-retransmits", st->st_retransmits);
	child_stat(ss, "nat-keepalive", st->st_keepalive);
	child_stat(ss, "ike-natt-unmarked", st->st_unmarked);
}

static const struct child_role ike_role = {
	.cr_role = PROC_IKE,
	.cr_policy = &ike_sandbox_policy,
	/* OpenSSL reads its config and fetches algorithms before chroot. */
	.cr_preload = ike_crypto_init,
	.cr_dispatch = ike_dispatch_parent,
	.cr_start = ike_start,
	.cr_shutdown = ike_shutdown,
	.cr_stats = ike_stats,
};

int
ike_main(void)
{
	child_main(&ike_role);
}
