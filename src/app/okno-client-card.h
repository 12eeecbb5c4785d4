/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-session.h"

G_BEGIN_DECLS

/* The card of one client. What identifies the client is always shown;
 * settlements and personal data stay hidden until the clerk confirms the
 * client's identity (the standard, L71 and L143), and that disclosure is
 * recorded. Identification holds for the card while it shows the same
 * client; opening another client hides the data again. */
#define OKNO_TYPE_CLIENT_CARD (okno_client_card_get_type ())
G_DECLARE_FINAL_TYPE (OknoClientCard, okno_client_card, OKNO, CLIENT_CARD, AdwBin)

GtkWidget *okno_client_card_new (void);
void okno_client_card_set_session (OknoClientCard *self, OknoSession *session);

/* Shows the client with this account id, read from the replica in a
 * worker thread; the card changes once all is read. A newer call, clear or
 * mask cancels one under way (G_IO_ERROR_CANCELLED). */
void okno_client_card_show_account_async (OknoClientCard *self, const char *account_id,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean okno_client_card_show_account_finish (OknoClientCard *self, GAsyncResult *result,
                                               GError **error);
/* The same without a callback: returns TRUE at once, and a client that
 * cannot be read is reported by the "load-failed" signal. */
gboolean okno_client_card_show_account (OknoClientCard *self, const char *account_id,
                                        GError **error);
void okno_client_card_clear (OknoClientCard *self);
/* Hides the personal data again and keeps the client open: the next
 * person at the counter (after the idle lock) must be identified anew. */
void okno_client_card_mask (OknoClientCard *self);

OknoAccount *okno_client_card_get_account (OknoClientCard *self);
gboolean okno_client_card_get_identified (OknoClientCard *self);
/* Moves the focus to what the clerk needs next on this card. */
void okno_client_card_focus (OknoClientCard *self);

G_END_DECLS
