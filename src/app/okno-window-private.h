/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-window.h"

#include "okno-client-card.h"
#include "okno-download-page.h"
#include "okno-idle-lock.h"
#include "okno-lock-page.h"
#include "okno-search-panel.h"
#include "okno-sign-in-page.h"
#include "okno-sync-indicator.h"

G_BEGIN_DECLS

/* OknoWindow spans okno-window.c (its pages, syncing and locking) and
 * okno-window-actions.c (the win.* actions and when each is enabled). */
struct _OknoWindow
{
  AdwApplicationWindow parent_instance;
  OknoSession *session;
  OknoIdleLock *idle_lock;
  GtkWidget *focus_before_lock; /* weak */
  OknoSyncScheduler *scheduler; /* while someone is signed in */
  OknoSyncState sync_state;     /* as last seen, to tell when a sync ends */
  gboolean clock_warned;        /* the clock skew toast was shown */
  GtkWidget *attention_window;  /* weak */

  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkWidget *offline_label;
  OknoSyncIndicator *sync_indicator;
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  OknoSignInPage *sign_in_page;
  OknoDownloadPage *download_page;
  OknoLockPage *lock_page;
  AdwLeaflet *leaflet;
  OknoSearchPanel *search_panel;
  OknoClientCard *client_card;
};

/* okno-window-actions.c */
void _okno_window_class_actions_init (OknoWindowClass *klass);
/* Enables each action for the page shown and who is signed in. */
void _okno_window_actions_update (OknoWindow *self);

/* okno-window.c */
gboolean _okno_window_showing_main (OknoWindow *self);
/* Covers the main view with the lock page. */
void _okno_window_lock (OknoWindow *self);
/* Nothing of the last staff member's work stays on screen; the sign-in
 * page shows message, with login filled in (NULL: the last one). */
void _okno_window_sign_out (OknoWindow *self, const char *message, const char *login);

G_END_DECLS
