/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-client.h"
#include "okno-sync-enums.h"

G_BEGIN_DECLS

typedef enum
{
  OKNO_SYNC_STATE_IDLE, /* in step, or waiting for the next periodic sync */
  OKNO_SYNC_STATE_SYNCING,
  OKNO_SYNC_STATE_OFFLINE,    /* no network, or the server does not answer */
  OKNO_SYNC_STATE_WAITING,    /* the server asked to wait, or failed: retrying later */
  OKNO_SYNC_STATE_SIGNED_OUT, /* the session ended: sign in again to go on */
} OknoSyncState;

#define OKNO_TYPE_SYNC_SCHEDULER (okno_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (OknoSyncScheduler, okno_sync_scheduler, OKNO, SYNC_SCHEDULER, GObject)

/* When to sync: at start, when the network comes back, every
 * interval-minutes, and on demand; after a failure, again after an
 * exponential backoff with full jitter (1 s … 5 min), never sooner than the
 * server's Retry-After. Timer-driven: a waiting queue is retried without any
 * new local write. Runs on the thread-default main context; every read of
 * the replica it makes runs in a worker thread.
 *
 * What it shows are read-only properties that notify only when their value
 * changes: "state" (OknoSyncState), "last-sync" (GDateTime), "last-error",
 * "next-delay" (seconds), and the report's "pushed", "pulled", "pending",
 * "quarantined" and "conflicts". */
OknoSyncScheduler *okno_sync_scheduler_new (OknoClient *client, OknoStore *store);
void okno_sync_scheduler_start (OknoSyncScheduler *self);
/* Which GNetworkMonitor tells of the network and of a route to the server
 * (g_network_monitor_get_default () unless set before start). */
void okno_sync_scheduler_set_network_monitor (OknoSyncScheduler *self, GNetworkMonitor *monitor);
void okno_sync_scheduler_sync_now (OknoSyncScheduler *self);
void okno_sync_scheduler_set_interval (OknoSyncScheduler *self, guint minutes);

OknoSyncState okno_sync_scheduler_get_state (OknoSyncScheduler *self);
/* The end of the last good sync (UTC), or NULL. That of an earlier run is
 * read from the replica in a worker thread: "last-sync" notifies when it
 * arrives. */
GDateTime *okno_sync_scheduler_get_last_sync (OknoSyncScheduler *self);
const OknoSyncReport *okno_sync_scheduler_get_report (OknoSyncScheduler *self);
/* Counts the waiting, refused and conflicting changes again from the
 * replica (after staff settled some in Needs attention), in a worker
 * thread; "pending", "quarantined" and "conflicts" notify when the count
 * returns with a new value. The rest of the report stays. */
void okno_sync_scheduler_recount (OknoSyncScheduler *self);
/* The same, with a callback once the new counts are applied. */
void okno_sync_scheduler_recount_async (OknoSyncScheduler *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_sync_scheduler_recount_finish (OknoSyncScheduler *self, GAsyncResult *result,
                                             GError **error);
const char *okno_sync_scheduler_get_last_error (OknoSyncScheduler *self);
/* Seconds until the next attempt is scheduled (0 when none is). */
guint okno_sync_scheduler_get_next_delay (OknoSyncScheduler *self);

/* The wait before attempt n (1-based) after failures: uniform in
 * [0, min (cap, base · 2^(n-1))], and at least retry_after. */
guint okno_sync_backoff_delay (guint attempt, guint retry_after, GRand *rand);

G_END_DECLS
