/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-sync-scheduler.h"

G_BEGIN_DECLS

/* What the header's sync status says, as text: kept apart from the widgets
 * so that every state's wording is tested without a display. now is the
 * present moment (NULL: the clock), for "today" or not. */

/* "Online", "Offline", "Syncing…", "Waiting to retry", "Signed out" */
const char *okno_sync_status_state_label (OknoSyncState state);
/* A symbolic icon for the state. */
const char *okno_sync_status_icon_name (OknoSyncState state);
/* "Synced at 14:05" (local time), "Synced on 12.03.2026 at 14:05" on an
 * earlier day, "Not synced yet" when last_sync is NULL. */
char *okno_sync_status_last_sync (GDateTime *last_sync, GDateTime *now);
/* "2 need attention"; NULL when report has no quarantined changes and no
 * conflicts (or is NULL). */
char *okno_sync_status_attention (const OknoSyncReport *report);
/* The header's short text: "Offline · Synced at 14:05 · 3 to send". */
char *okno_sync_status_label (OknoSyncState state, GDateTime *last_sync,
                              const OknoSyncReport *report, GDateTime *now);
/* The same for a screen reader, as a sentence: "Sync status: offline, 3
 * changes waiting, 2 need attention, last synced at 14:05". */
char *okno_sync_status_describe (OknoSyncState state, GDateTime *last_sync,
                                 const OknoSyncReport *report, GDateTime *now);
/* "This computer's clock differs from the server's by 7 minutes"; NULL
 * while |skew_seconds| is 5 minutes or less. */
char *okno_sync_status_clock_warning (gint64 skew_seconds);

/* An outbox entry as the clerk reads it: "Appeal", "Meter reading"; the
 * collection's name when unknown. */
const char *okno_sync_status_collection_label (const char *collection);
/* "New record", "Change"; the op itself when unknown. */
const char *okno_sync_status_op_label (const char *op);

G_END_DECLS
