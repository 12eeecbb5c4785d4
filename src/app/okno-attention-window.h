/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-store.h"

G_BEGIN_DECLS

/* Needs attention: the changes the server refused (quarantined outbox
 * entries), each with the server's reason, to send again or discard, and
 * the appeal conflicts still unresolved, each to settle by keeping the
 * value entered here, keeping the server's, or (free text) combining them.
 * Emits "changed" after the clerk sent a change again, discarded one or
 * settled a conflict, so that the caller recounts and syncs. */
#define OKNO_TYPE_ATTENTION_WINDOW (okno_attention_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoAttentionWindow, okno_attention_window, OKNO, ATTENTION_WINDOW, AdwWindow)

GtkWidget *okno_attention_window_new (GtkWindow *parent, OknoStore *store);
/* Reads the replica again. */
void okno_attention_window_reload (OknoAttentionWindow *self);

G_END_DECLS
