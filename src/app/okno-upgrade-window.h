/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OKNO_TYPE_UPGRADE_WINDOW (okno_upgrade_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoUpgradeWindow, okno_upgrade_window, OKNO, UPGRADE_WINDOW,
                      AdwApplicationWindow)

/* Shown while opening the replica takes long: after an update Okno
 * converts it in place once (the store's migrations), minutes for a
 * million clients, and without it the app would seem not to start. A bar
 * pulses meanwhile; the migration reports no share done. */
GtkWidget *okno_upgrade_window_new (GtkApplication *application);

G_END_DECLS
