/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "okno-sync-scheduler.h"

G_BEGIN_DECLS

/* The sync status in the header: a button with the state's icon and short
 * text ("Offline · Synced at 14:05 · 3 to send") that syncs now
 * (win.sync-now), whose accessible name and tooltip say the whole
 * sentence; beside it "2 need attention" (win.needs-attention) while
 * changes wait for a decision. Shows nothing, and takes no room, without a
 * scheduler. The words come from okno-sync-status.h. */
#define OKNO_TYPE_SYNC_INDICATOR (okno_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (OknoSyncIndicator, okno_sync_indicator, OKNO, SYNC_INDICATOR, GtkWidget)

GtkWidget *okno_sync_indicator_new (void);

/* The scheduler whose state it shows; NULL when nobody is signed in. */
void okno_sync_indicator_set_scheduler (OknoSyncIndicator *self, OknoSyncScheduler *scheduler);
OknoSyncScheduler *okno_sync_indicator_get_scheduler (OknoSyncIndicator *self);
/* The scheduler's client, whose clock skew the tooltip warns of. */
void okno_sync_indicator_set_client (OknoSyncIndicator *self, OknoClient *client);
OknoClient *okno_sync_indicator_get_client (OknoSyncIndicator *self);

G_END_DECLS
