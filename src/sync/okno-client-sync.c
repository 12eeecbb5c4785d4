/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One whole sync: push, then pull, under the replica's sync lock. */

#include "okno-client-private.h"
#include "okno-meta-keys.h"

gboolean
okno_client_sync (OknoClient *self, OknoStore *store, OknoSyncReport *report,
                  GCancellable *cancellable, GError **error)
{
  OknoSyncReport r = { 0 };
  g_autoptr (GError) local = NULL;
  int lock = okno_store_lock_sync (store, &local);
  gboolean ok;

  if (lock < 0)
    {
      g_debug ("sync: the replica's sync lock is taken: %s", local->message);
      if (g_error_matches (local, OKNO_STORE_ERROR, OKNO_STORE_ERROR_BUSY))
        g_set_error_literal (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BUSY, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_debug ("sync: starting with %s", okno_client_get_base_url (self));
  /* Push first: what the branch did reaches the server, and the pull then
   * brings back the merged state. */
  ok = (okno_store_is_ready (store)
        || okno_client_download (self, store, NULL, NULL, cancellable, error))
       && okno_client_push (self, store, &r.pushed, cancellable, error)
       && okno_client_pull (self, store, &r.pulled, cancellable, error);
  if (ok)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      g_autofree char *skew
        = g_strdup_printf ("%" G_GINT64_FORMAT, okno_client_get_clock_skew (self));

      /* Kept with the replica: a restart (and okno-cli status) still knows
       * how fresh it is and how far off the desktop's clock was. */
      okno_store_set_meta (store, OKNO_META_LAST_SYNC_AT, at, NULL);
      okno_store_set_meta (store, OKNO_META_CLOCK_SKEW, skew, NULL);
    }
  okno_store_unlock_sync (lock);
  r.pending = okno_store_outbox_count (store, "pending", NULL);
  r.quarantined = okno_store_outbox_count (store, "quarantined", NULL);
  r.others = okno_store_outbox_count_others (store, NULL);
  r.conflicts = okno_store_count_conflicts (store, NULL);
  g_debug ("sync: %s; %u pushed, %u pulled; %" G_GINT64_FORMAT " pending, %" G_GINT64_FORMAT
           " quarantined, %" G_GINT64_FORMAT " conflicts",
           ok ? "done" : "failed", r.pushed, r.pulled, r.pending, r.quarantined, r.conflicts);
  if (report)
    *report = r;
  return ok;
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  OknoSyncReport *report = g_new0 (OknoSyncReport, 1);
  GError *error = NULL;

  if (okno_client_sync (source, task_data, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

void
okno_client_sync_async (OknoClient *self, OknoStore *store, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_client_sync_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
okno_client_sync_finish (OknoClient *self, GAsyncResult *result, OknoSyncReport *report,
                         GError **error)
{
  g_autofree OknoSyncReport *r = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r && report)
    *report = *r;
  return r != NULL;
}
