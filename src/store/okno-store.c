/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The branch's replica of the central system. */

#include "okno-store.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "okno-schema.h"
#include "okno-store-private.h"

/* WAL pages between checkpoints while a download runs (64 MiB). */
G_DEFINE_FINAL_TYPE (OknoStore, okno_store, G_TYPE_OBJECT)

static void
okno_store_finalize (GObject *object)
{
  OknoStore *self = OKNO_STORE (object);

  g_clear_object (&self->searcher);
  g_clear_object (&self->reader);
  if (self->writer)
    okno_db_exec (self->writer, "PRAGMA optimize", NULL);
  g_clear_object (&self->writer);
  g_mutex_clear (&self->writer_lock);
  g_mutex_clear (&self->reader_lock);
  g_mutex_clear (&self->searcher_lock);
  g_mutex_clear (&self->author_lock);
  g_hash_table_unref (self->upsert_sql);
  g_free (self->path);
  g_free (self->author_staff_id);
  g_free (self->author_branch_id);
  G_OBJECT_CLASS (okno_store_parent_class)->finalize (object);
}

static void
okno_store_class_init (OknoStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_store_finalize;
}

static void
okno_store_init (OknoStore *self)
{
  g_mutex_init (&self->writer_lock);
  g_mutex_init (&self->reader_lock);
  g_mutex_init (&self->searcher_lock);
  g_mutex_init (&self->author_lock);
  self->upsert_sql = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

char *
okno_store_default_path (void)
{
  const char *env = g_getenv ("OKNO_REPLICA");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "okno", "replica.db", NULL);
}

OknoStore *
okno_store_open (const char *path, GError **error)
{
  g_autoptr (OknoStore) self = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  const OknoMigration *steps;
  guint n_steps;

  /* Opening runs the migrations, which take long on a large replica. */
  _okno_store_check_thread (G_STRFUNC);
  self = g_object_new (OKNO_TYPE_STORE, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self->path = g_strdup (path);
  self->writer = okno_db_open (path, OKNO_DB_READ_WRITE, error);
  if (self->writer == NULL)
    return NULL;
  steps = okno_schema_migrations (&n_steps);
  if (!okno_db_migrate (self->writer, steps, n_steps, error))
    return NULL;
  /* What staff enter must survive a power cut the moment it is committed,
   * so the writer syncs the WAL at every commit; only what can be fetched
   * again is written with less (see _okno_store_refetchable_begin). */
  if (!okno_db_exec (self->writer, "PRAGMA synchronous = FULL", error))
    return NULL;
  self->reader = okno_db_open (path, OKNO_DB_READ_ONLY, error);
  if (self->reader == NULL)
    return NULL;
  self->searcher = okno_db_open (path, OKNO_DB_READ_ONLY, error);
  if (self->searcher == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
okno_store_get_path (OknoStore *self)
{
  g_return_val_if_fail (OKNO_IS_STORE (self), NULL);
  return self->path;
}

/* --- meta ------------------------------------------------------------- */

char *
_okno_store_get_meta (OknoDb *db, const char *key, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (db, "SELECT value FROM meta WHERE key = ?", error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = okno_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
_okno_store_set_meta (OknoDb *db, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (value == NULL)
    stmt = okno_db_prepare (db, "DELETE FROM meta WHERE key = ?", error);
  else
    stmt = okno_db_prepare (db,
                            "INSERT INTO meta (key, value) VALUES (?, ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  ok = okno_db_step (db, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

char *
okno_store_get_meta (OknoStore *self, const char *key, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);

  return _okno_store_get_meta (self->reader, key, error);
}

gboolean
okno_store_set_meta (OknoStore *self, const char *key, const char *value, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);

  return _okno_store_set_meta (self->writer, key, value, error);
}

gint64
okno_store_count (OknoStore *self, const char *collection, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  if (okno_collection_lookup (collection) == NULL && g_strcmp0 (collection, "outbox") != 0
      && g_strcmp0 (collection, "server_rows") != 0)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                   _ ("There is no collection “%s”"), collection);
      return -1;
    }
  sql = g_strdup_printf ("SELECT count(*) FROM %s", collection);
  stmt = okno_db_prepare (self->reader, sql, error);
  if (stmt != NULL && okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return n;
}

/* --- helpers of every file ------------------------------------------------ */

char *
_okno_store_now_utc (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
_okno_store_step_done (OknoDb *db, sqlite3_stmt *stmt, GError **error)
{
  gboolean ok = okno_db_step (db, stmt, error) == SQLITE_DONE;

  sqlite3_reset (stmt);
  return ok;
}

/* Runs a writer statement whose one parameter is a key. */
gboolean
_okno_store_exec_key (OknoStore *self, const char *sql, const char *key, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return _okno_store_step_done (self->writer, stmt, error);
}

gboolean
_okno_store_exec_record (OknoStore *self, const char *sql, const OknoCollection *c, const char *key,
                         GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

  if (stmt == NULL)
    return FALSE;
  _okno_store_bind_key (stmt, 1, c, key);
  return _okno_store_step_done (self->writer, stmt, error);
}

/* --- asynchronous ------------------------------------------------------------ */

static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  OknoStore *store = okno_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
okno_store_open_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

OknoStore *
okno_store_open_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
get_meta_job (OknoStore *self, const char *const *args, GCancellable *cancellable, GError **error)
{
  return okno_store_get_meta (self, args[0], error);
}

void
okno_store_get_meta_async (OknoStore *self, const char *key, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_get_meta_async, get_meta_job, g_free, cancellable,
                          callback, user_data, 1, key);
}

char *
okno_store_get_meta_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_get_meta_async, error);
}

static gpointer
set_meta_job (OknoStore *self, const char *const *args, GCancellable *cancellable, GError **error)
{
  return GINT_TO_POINTER (okno_store_set_meta (self, args[0], args[1], error));
}

void
okno_store_set_meta_async (OknoStore *self, const char *key, const char *value,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  _okno_store_write_async (self, okno_store_set_meta_async, set_meta_job, cancellable, callback,
                           user_data, 2, key, value);
}

gboolean
okno_store_set_meta_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_boolean (self, result, okno_store_set_meta_async, error);
}
