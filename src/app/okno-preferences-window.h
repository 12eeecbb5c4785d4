/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-store.h"

G_BEGIN_DECLS

/* Server address, branch, sync interval and idle lock, all in GSettings. */
#define OKNO_TYPE_PREFERENCES_WINDOW (okno_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoPreferencesWindow, okno_preferences_window, OKNO, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* store may be NULL; the branch is then typed in rather than chosen. */
GtkWidget *okno_preferences_window_new (GtkWindow *parent, GSettings *settings, OknoStore *store);

G_END_DECLS
