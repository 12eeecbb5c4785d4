/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How OknoStore is called: the runner under every _async/_finish pair,
 * and the check that catches a synchronous call on the UI thread. */

#include <stdlib.h>

#include "okno-store-private.h"

/* --- the UI thread ---------------------------------------------------------- */

static GThread *forbidden_thread;

void
okno_store_forbid_thread (GThread *thread)
{
  g_atomic_pointer_set (&forbidden_thread, thread);
}

/* Every synchronous entry point passes here (through _okno_store_lock, or
 * okno_store_open): one place to catch the UI thread waiting on SQLite. */
void
_okno_store_check_thread (const char *function)
{
  GThread *forbidden = g_atomic_pointer_get (&forbidden_thread);

  if (forbidden == NULL || forbidden != g_thread_self ())
    return;
  g_critical ("%s: the store was called on the UI thread; use its _async API", function);
  if (g_strcmp0 (g_getenv ("OKNO_STORE_THREAD_CHECK"), "fatal") == 0)
    abort ();
}

GMutexLocker *
_okno_store_lock (OknoStore *self, GMutex *lock, const char *function)
{
  _okno_store_check_thread (function);
  return g_mutex_locker_new (lock);
}

/* --- the asynchronous API ----------------------------------------------------- */

/* One GTask per call, run in GTask's thread pool, rather than one database
 * thread fed by a queue (GNOME Web's history service): the store already
 * has a connection per kind of work, each behind its own mutex, so a read
 * for the card runs while a sync page holds the writer. One thread would
 * put every read behind that page again, the wait this API is for. Writes
 * still go one at a time through the writer's mutex; a widget issues its
 * next write only from the callback of the last, so their order holds. */
typedef struct
{
  OknoStoreJob job;
  char **args; /* n_args long; a NULL argument stays NULL */
  guint n_args;
  GDestroyNotify free_result;
  gboolean writes;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  for (guint i = 0; i < call->n_args; i++)
    g_free (call->args[i]);
  g_free (call->args);
  g_free (call);
}

static void
run_call (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  gpointer result;

  /* A read nobody waits for any more is skipped; a write always runs, so
   * what staff entered is never dropped because its window closed. */
  if (!call->writes && g_task_return_error_if_cancelled (task))
    return;
  result = call->job (source, (const char *const *)call->args, cancellable, &error);
  if (error == NULL)
    {
      g_task_return_pointer (task, result, call->free_result);
      return;
    }
  if (result != NULL && call->free_result != NULL)
    call->free_result (result);
  g_task_return_error (task, error);
}

static void
run (OknoStore *self, gpointer source_tag, Call *call, GCancellable *cancellable,
     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);
  g_task_run_in_thread (task, run_call);
}

static Call *
call_new (OknoStoreJob job, GDestroyNotify free_result, gboolean writes, guint n_args, va_list ap)
{
  Call *call = g_new0 (Call, 1);

  call->job = job;
  call->free_result = free_result;
  call->writes = writes;
  call->n_args = n_args;
  call->args = g_new0 (char *, n_args + 1);
  for (guint i = 0; i < n_args; i++)
    call->args[i] = g_strdup (va_arg (ap, const char *));
  return call;
}

void
_okno_store_read_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                        GDestroyNotify free_result, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data, guint n_args, ...)
{
  va_list ap;
  Call *call;

  g_return_if_fail (OKNO_IS_STORE (self));
  va_start (ap, n_args);
  call = call_new (job, free_result, FALSE, n_args, ap);
  va_end (ap);
  run (self, source_tag, call, cancellable, callback, user_data);
}

void
_okno_store_read_strv_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                             GDestroyNotify free_result, const char *const *args,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (OKNO_IS_STORE (self));
  call->job = job;
  call->free_result = free_result;
  call->args = g_strdupv ((char **)args);
  call->n_args = args != NULL ? g_strv_length (call->args) : 0;
  if (call->args == NULL)
    call->args = g_new0 (char *, 1);
  run (self, source_tag, call, cancellable, callback, user_data);
}

void
_okno_store_write_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data, guint n_args, ...)
{
  va_list ap;
  Call *call;

  g_return_if_fail (OKNO_IS_STORE (self));
  va_start (ap, n_args);
  call = call_new (job, NULL, TRUE, n_args, ap);
  va_end (ap);
  run (self, source_tag, call, cancellable, callback, user_data);
}

gpointer
_okno_store_finish (OknoStore *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_okno_store_finish_boolean (OknoStore *self, GAsyncResult *result, gpointer source_tag,
                            GError **error)
{
  return _okno_store_finish (self, result, source_tag, error) != NULL;
}

gpointer
_okno_store_int64_result (gint64 n)
{
  return n < 0 ? NULL : g_memdup2 (&n, sizeof n);
}

gint64
_okno_store_finish_int64 (OknoStore *self, GAsyncResult *result, gpointer source_tag,
                          GError **error)
{
  g_autofree gint64 *n = _okno_store_finish (self, result, source_tag, error);

  return n != NULL ? *n : -1;
}
