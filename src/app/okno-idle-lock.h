/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The counter's idle time: counts from the last key or pointer input in
 * the widgets it watches and emits "idle" once it reaches the settings'
 * idle-lock-minutes (0: never). It counts only between start and stop;
 * after "idle" it waits for the next start. Holds no widget, so it can be
 * driven without a display (okno_idle_lock_note_input). */
#define OKNO_TYPE_IDLE_LOCK (okno_idle_lock_get_type ())
G_DECLARE_FINAL_TYPE (OknoIdleLock, okno_idle_lock, OKNO, IDLE_LOCK, GObject)

/* settings: of the schema ru.eens.Okno, for idle-lock-minutes. */
OknoIdleLock *okno_idle_lock_new (GSettings *settings);
/* Counts key and pointer input anywhere in widget (a window, say), seen
 * before its children see it. */
void okno_idle_lock_watch (OknoIdleLock *self, GtkWidget *widget);
/* Someone is at the counter: the idle time starts again from now. */
void okno_idle_lock_note_input (OknoIdleLock *self);

/* Counts from now. */
void okno_idle_lock_start (OknoIdleLock *self);
void okno_idle_lock_stop (OknoIdleLock *self);
/* Whether a timer waits to emit "idle": started, not yet idle, and a
 * limit other than 0. */
gboolean okno_idle_lock_is_armed (OknoIdleLock *self);

/* Emits "idle" after this many seconds instead of the setting's minutes;
 * 0 never, -1 goes back to the setting. For tests. */
void okno_idle_lock_set_seconds (OknoIdleLock *self, int seconds);
int okno_idle_lock_get_seconds (OknoIdleLock *self);

G_END_DECLS
