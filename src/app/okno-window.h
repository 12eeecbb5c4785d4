/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-session.h"

G_BEGIN_DECLS

/* The main window: the sign-in page on every start (and the download on
 * the first), then the client search beside the client card; the lock page
 * covers them after the idle time. */
#define OKNO_TYPE_WINDOW (okno_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoWindow, okno_window, OKNO, WINDOW, AdwApplicationWindow)

OknoWindow *okno_window_new (GtkApplication *application, OknoSession *session);
OknoSession *okno_window_get_session (OknoWindow *self);

/* Fills the sign-in form, if it is showing; with a password, signs in. */
void okno_window_sign_in (OknoWindow *self, const char *server_url, const char *login,
                          const char *password);

/* Locks after this many seconds without input instead of the setting's
 * minutes; 0 never locks, -1 goes back to the setting. For tests. */
void okno_window_set_idle_lock_seconds (OknoWindow *self, int seconds);
/* Covers the main view with the lock page, as the idle time does. */
void okno_window_lock (OknoWindow *self);

G_END_DECLS
