/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The initial download of the replica: a pipeline of a fetcher and a writer. */

#include "okno-client-private.h"

#include <glib/gi18n-lib.h>

#include "okno-wire.h"

#define PAGE_LIMIT 5000

typedef struct
{
  OknoDownloadProgress progress;
  gpointer data;
  gint64 done, total;
} Progress;

/* The download is a pipeline of two threads: a fetcher asks the server for
 * the next page and parses it while the caller's thread writes the previous
 * one into SQLite, so the network, json-glib and SQLite work at the same
 * time. At most PIPELINE_DEPTH parsed pages wait between them: memory stays
 * flat whatever the size of the replica. */
#define PIPELINE_DEPTH 2

typedef struct
{
  const OknoCollection *collection;
  char *after; /* where this collection resumes; NULL from the start */
} Planned;

typedef struct
{
  const OknoCollection *collection; /* NULL: the fetcher has finished */
  OknoWirePage *page;
  GError *error; /* the fetcher failed */
} Fetched;

typedef struct
{
  OknoClient *self;
  GPtrArray *plan;           /* of Planned, in the server's order */
  GAsyncQueue *pages;        /* of Fetched, fetcher → writer */
  GAsyncQueue *slots;        /* free places for pages, writer → fetcher */
  GCancellable *cancellable; /* stops the fetcher */
} Pipeline;

static void
planned_free (gpointer data)
{
  Planned *p = data;

  g_free (p->after);
  g_free (p);
}

static void
fetched_free (Fetched *f)
{
  g_clear_pointer (&f->page, okno_wire_page_free);
  g_clear_error (&f->error);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetched, fetched_free)

static void
hand_over (Pipeline *pl, const OknoCollection *c, OknoWirePage *page, GError *error)
{
  Fetched *f = g_new0 (Fetched, 1);

  f->collection = c;
  f->page = page;
  f->error = error;
  g_async_queue_push (pl->pages, f);
}

static OknoWirePage *
fetch_page (Pipeline *pl, SoupSession *session, const OknoCollection *c, const char *after,
            GError **error)
{
  g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, FALSE) : NULL;
  g_autofree char *path
    = g_strdup_printf ("/snapshot/%s?format=dense&limit=%d%s%s", c->name, PAGE_LIMIT,
                       escaped ? "&after=" : "", escaped ? escaped : "");
  g_autoptr (GBytes) body
    = _okno_client_send (pl->self, session, "GET", path, NULL, pl->cancellable, error);
  g_autoptr (OknoWirePage) page = NULL;

  if (body == NULL || (page = okno_wire_parse_snapshot_page (body, c, error)) == NULL)
    return NULL;
  /* A server that answers the same key again would loop forever. */
  if (okno_wire_page_has_more (page) && after
      && g_strcmp0 (okno_wire_page_get_next_after (page), after) <= 0)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                   _ ("The server sent an invalid answer: %s"),
                   _ ("the pages do not move forward"));
      return NULL;
    }
  return g_steal_pointer (&page);
}

static gpointer
fetcher_thread (gpointer data)
{
  Pipeline *pl = data;
  g_autoptr (SoupSession) session = _okno_client_new_session ();

  for (guint i = 0; i < pl->plan->len; i++)
    {
      Planned *p = g_ptr_array_index (pl->plan, i);
      g_autofree char *after = g_strdup (p->after);
      gboolean more = TRUE;

      while (more)
        {
          GError *error = NULL;
          OknoWirePage *page;

          /* Wait for a free place; the writer gives one back per page. */
          g_async_queue_pop (pl->slots);
          if (g_cancellable_set_error_if_cancelled (pl->cancellable, &error)
              || (page = fetch_page (pl, session, p->collection, after, &error)) == NULL)
            {
              hand_over (pl, p->collection, NULL, error);
              return NULL;
            }
          more = okno_wire_page_has_more (page);
          g_free (after);
          after = g_strdup (okno_wire_page_get_next_after (page));
          hand_over (pl, p->collection, page, NULL);
        }
    }
  hand_over (pl, NULL, NULL, NULL);
  return NULL;
}

static void
cancel_pipeline (GCancellable *cancellable, gpointer data)
{
  g_cancellable_cancel (data);
}

/* The writer's side: stores each page the fetcher parsed, in order. */
static gboolean
write_pages (Pipeline *pl, OknoStore *store, Progress *p, GError **error)
{
  for (;;)
    {
      g_autoptr (Fetched) f = g_async_queue_pop (pl->pages);
      const OknoValue *values;
      guint n_rows;

      if (f->error)
        {
          g_propagate_error (error, g_steal_pointer (&f->error));
          return FALSE;
        }
      if (f->collection == NULL)
        return TRUE;
      values = okno_wire_page_get_values (f->page, &n_rows);
      g_debug ("download: %s: a page of %u rows%s", f->collection->name, n_rows,
               okno_wire_page_has_more (f->page) ? "" : ", the last");
      if (!okno_store_apply_snapshot_page (store, f->collection, values, n_rows,
                                           okno_wire_page_get_next_after (f->page),
                                           !okno_wire_page_has_more (f->page), error))
        return FALSE;
      g_async_queue_push (pl->slots, GUINT_TO_POINTER (1));
      p->done += n_rows;
      if (p->progress)
        p->progress (MIN (p->done, p->total), p->total, p->data);
    }
}

static gboolean
run_pipeline (OknoClient *self, OknoStore *store, GPtrArray *plan, Progress *p,
              GCancellable *cancellable, GError **error)
{
  Pipeline pl = { self, plan, g_async_queue_new_full ((GDestroyNotify)fetched_free),
                  g_async_queue_new (), g_cancellable_new () };
  gulong handler = 0;
  GThread *fetcher;
  gboolean ok;

  for (guint i = 0; i < PIPELINE_DEPTH; i++)
    g_async_queue_push (pl.slots, GUINT_TO_POINTER (1));
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_pipeline),
                                     g_object_ref (pl.cancellable), g_object_unref);
  fetcher = g_thread_new ("okno-fetch", fetcher_thread, &pl);
  ok = write_pages (&pl, store, p, error);
  /* Stop the fetcher wherever it is: in a request, or waiting for a place. */
  g_cancellable_cancel (pl.cancellable);
  g_async_queue_push (pl.slots, GUINT_TO_POINTER (1));
  g_thread_join (fetcher);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);
  g_async_queue_unref (pl.pages); /* frees what the writer did not take */
  g_async_queue_unref (pl.slots);
  g_object_unref (pl.cancellable);
  return ok;
}

static gint64
rows_already_stored (OknoStore *store, OknoWireSnapshotInfo *info)
{
  gint64 sum = 0;

  for (guint i = 0; i < info->collections->len; i++)
    {
      OknoWireCollection *wc = g_ptr_array_index (info->collections, i);
      g_autofree char *after = NULL;
      gboolean done;
      gint64 rows = 0;

      if (okno_store_snapshot_position (store, wc->name, &after, &done, &rows, NULL))
        sum += rows;
    }
  return sum;
}

gboolean
okno_client_download (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                      gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = _okno_client_new_session ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (OknoWireSnapshotInfo) info = NULL;
  g_autoptr (GPtrArray) plan = g_ptr_array_new_with_free_func (planned_free);
  Progress p = { progress, progress_data, 0, 0 };

  g_return_val_if_fail (OKNO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (OKNO_IS_STORE (store), FALSE);

  body = _okno_client_send (self, session, "GET", "/snapshot", NULL, cancellable, error);
  if (body == NULL || (info = okno_wire_parse_snapshot_info (body, error)) == NULL)
    return FALSE;
  if (!okno_store_snapshot_begin (store, info->cursor, error))
    return FALSE;
  for (guint i = 0; i < info->collections->len; i++)
    p.total += ((OknoWireCollection *)g_ptr_array_index (info->collections, i))->count;
  p.done = rows_already_stored (store, info);
  g_debug ("download: snapshot at cursor %" G_GINT64_FORMAT ", %u collections, %" G_GINT64_FORMAT
           " rows, %" G_GINT64_FORMAT " of them already here",
           info->cursor, info->collections->len, p.total, p.done);
  if (progress)
    progress (MIN (p.done, p.total), p.total, progress_data);

  for (guint i = 0; i < info->collections->len; i++)
    {
      OknoWireCollection *wc = g_ptr_array_index (info->collections, i);
      const OknoCollection *c = okno_collection_lookup (wc->name);
      g_autofree char *after = NULL;
      gboolean done;
      gint64 rows;
      Planned *planned;

      /* A newer server may share more than this version knows; what we
       * cannot store we leave, without failing the rest. */
      if (c == NULL)
        {
          g_debug ("download: %s is unknown to this version: left out", wc->name);
          continue;
        }
      if (!okno_store_snapshot_position (store, c->name, &after, &done, &rows, error))
        return FALSE;
      if (done)
        continue;
      planned = g_new0 (Planned, 1);
      planned->collection = c;
      planned->after = g_steal_pointer (&after);
      g_ptr_array_add (plan, planned);
    }
  if (!run_pipeline (self, store, plan, &p, cancellable, error))
    return FALSE;
  return okno_store_snapshot_finish (store, error);
}

typedef struct
{
  OknoStore *store;
  OknoDownloadProgress progress;
  gpointer progress_data;
  GMainContext *context;
} DownloadData;

typedef struct
{
  DownloadData *dd;
  gint64 done, total;
  GTask *task;
} ProgressEvent;

static void
download_data_free (gpointer data)
{
  DownloadData *dd = data;

  g_object_unref (dd->store);
  g_main_context_unref (dd->context);
  g_free (dd);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressEvent *ev = data;

  if (!g_task_get_completed (ev->task))
    ev->dd->progress (ev->done, ev->total, ev->dd->progress_data);
  g_object_unref (ev->task);
  g_free (ev);
  return G_SOURCE_REMOVE;
}

static void
thread_progress (gint64 done, gint64 total, gpointer data)
{
  GTask *task = data;
  DownloadData *dd = g_task_get_task_data (task);
  ProgressEvent *ev;

  if (dd->progress == NULL)
    return;
  ev = g_new0 (ProgressEvent, 1);
  ev->dd = dd;
  ev->done = done;
  ev->total = total;
  ev->task = g_object_ref (task);
  g_main_context_invoke (dd->context, deliver_progress, ev);
}

static void
download_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DownloadData *dd = task_data;
  GError *error = NULL;

  if (okno_client_download (source, dd->store, thread_progress, task, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
okno_client_download_async (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                            gpointer progress_data, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  DownloadData *dd = g_new0 (DownloadData, 1);

  dd->store = g_object_ref (store);
  dd->progress = progress;
  dd->progress_data = progress_data;
  dd->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, okno_client_download_async);
  g_task_set_task_data (task, dd, download_data_free);
  g_task_run_in_thread (task, download_thread);
}

gboolean
okno_client_download_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
