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

#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "imsg/imsg.h"
#include "ike_crypto.h"

/*
 * The ike child: negotiates the IPsec SAs (IKEv1); its protocol machines arrive with the IKEv1 issue.
 * Until then it accepts the parent's configuration pushes and nothing else.
 */

static int
ike_dispatch_parent(struct child *ch, struct imsg *im)
{
	(void)ch;
	switch (im->hdr.type) {
	case MSG_CONFIG_RESET:
	case MSG_CONFIG_END:
		if (im->datalen != 0)
			return (-1);
		return (0);
	default:
		return (-1);
	}
}

static const struct child_role ike_role = {
	.cr_role = PROC_IKE,
	.cr_policy = &ike_sandbox_policy,
	/* OpenSSL reads its config and fetches algorithms before chroot. */
	.cr_preload = ike_crypto_init,
	.cr_dispatch = ike_dispatch_parent,
};

int
ike_main(void)
{
	child_main(&ike_role);
}
