/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A thin, strict wrapper around one SQLite connection: every failure is a
 * GError, every transaction can be rolled back, and the schema moves only
 * forward through numbered steps. */

#include "okno-db.h"

#include <glib/gi18n-lib.h>

#include "okno-uuid.h"

struct _OknoDb
{
  GObject parent_instance;
  sqlite3 *handle;
  char *path;
  GHashTable *statements; /* SQL text -> sqlite3_stmt */
  GCancellable *cancellable;
  guint depth;     /* nesting of begin/commit */
  gboolean failed; /* an inner level rolled back */
};

G_DEFINE_FINAL_TYPE (OknoDb, okno_db, G_TYPE_OBJECT)

static void
okno_db_finalize (GObject *object)
{
  OknoDb *self = OKNO_DB (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  if (self->handle)
    sqlite3_close_v2 (self->handle);
  g_free (self->path);
  G_OBJECT_CLASS (okno_db_parent_class)->finalize (object);
}

static void
okno_db_class_init (OknoDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_db_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
okno_db_init (OknoDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

gboolean
okno_db_set_error (OknoDb *self, int rc, GError **error)
{
  int code = OKNO_STORE_ERROR_FAILED;
  const char *msg = self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc);

  /* Only the progress handler interrupts a statement: its cancellable
   * fired. GLib's own words say so, in GIO's one cancellation code. */
  if ((rc & 0xff) == SQLITE_INTERRUPT)
    {
      if (self->cancellable == NULL
          || !g_cancellable_set_error_if_cancelled (self->cancellable, error))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, msg);
      return FALSE;
    }
  switch (rc & 0xff)
    {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        code = OKNO_STORE_ERROR_CORRUPT;
        break;
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        code = OKNO_STORE_ERROR_BUSY;
        break;
      case SQLITE_CONSTRAINT:
        code = OKNO_STORE_ERROR_INVALID;
        break;
      default:
        break;
    }
  g_set_error (error, OKNO_STORE_ERROR, code, _ ("Local database error: %s"), msg);
  return FALSE;
}

static int
progress_cb (void *data)
{
  OknoDb *self = data;

  /* Non-zero makes SQLite stop the statement with SQLITE_INTERRUPT. */
  return self->cancellable && g_cancellable_is_cancelled (self->cancellable);
}

static void
uuid7_sql (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  sqlite3_result_text (ctx, okno_uuid7_new (), -1, g_free);
}

static gboolean
apply_pragmas (OknoDb *self, OknoDbFlags flags, GError **error)
{
  /* foreign_keys and busy_timeout apply to every connection; WAL lets the
   * readers go on while a download writes. synchronous=NORMAL in WAL mode
   * stays consistent across power loss; the last commits may be lost, never
   * half-applied, and the outbox is replayed from what is on disk. */
  if (!okno_db_exec (self, "PRAGMA foreign_keys = ON", error)
      || !okno_db_exec (self, "PRAGMA busy_timeout = 10000", error))
    return FALSE;
  if (flags & OKNO_DB_READ_ONLY)
    return TRUE;
  return okno_db_exec (self, "PRAGMA journal_mode = WAL", error)
         && okno_db_exec (self, "PRAGMA synchronous = NORMAL", error);
}

OknoDb *
okno_db_open (const char *path, OknoDbFlags flags, GError **error)
{
  g_autoptr (OknoDb) self = g_object_new (OKNO_TYPE_DB, NULL);
  int oflags = SQLITE_OPEN_FULLMUTEX;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  oflags |= (flags & OKNO_DB_READ_ONLY) ? SQLITE_OPEN_READONLY
                                        : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->handle, oflags, NULL);
  if (rc != SQLITE_OK)
    {
      okno_db_set_error (self, rc, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_progress_handler (self->handle, 1000, progress_cb, self);
  /* Migrations and queries may make record ids in SQL. */
  sqlite3_create_function (self->handle, "okno_uuid7", 0, SQLITE_UTF8, NULL, uuid7_sql, NULL, NULL);
  if (!apply_pragmas (self, flags, error))
    return NULL;
  return g_steal_pointer (&self);
}

sqlite3 *
okno_db_get_handle (OknoDb *self)
{
  g_return_val_if_fail (OKNO_IS_DB (self), NULL);
  return self->handle;
}

const char *
okno_db_get_path (OknoDb *self)
{
  g_return_val_if_fail (OKNO_IS_DB (self), NULL);
  return self->path;
}

void
okno_db_set_cancellable (OknoDb *self, GCancellable *cancellable)
{
  g_return_if_fail (OKNO_IS_DB (self));
  g_set_object (&self->cancellable, cancellable);
}

gboolean
okno_db_exec (OknoDb *self, const char *sql, GError **error)
{
  char *msg = NULL;
  int rc;

  g_return_val_if_fail (OKNO_IS_DB (self), FALSE);

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &msg);
  if (rc == SQLITE_OK)
    return TRUE;
  sqlite3_free (msg);
  return okno_db_set_error (self, rc, error);
}

sqlite3_stmt *
okno_db_prepare (OknoDb *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OKNO_IS_DB (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      okno_db_set_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

int
okno_db_step (OknoDb *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  okno_db_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

/* Nested begin/commit pairs share one transaction (savepoints would let an
 * inner failure be ignored; here it dooms the whole transaction). */
gboolean
okno_db_begin (OknoDb *self, GError **error)
{
  g_return_val_if_fail (OKNO_IS_DB (self), FALSE);

  if (self->depth++ > 0)
    return TRUE;
  self->failed = FALSE;
  if (okno_db_exec (self, "BEGIN IMMEDIATE", error))
    return TRUE;
  self->depth = 0;
  return FALSE;
}

gboolean
okno_db_commit (OknoDb *self, GError **error)
{
  g_return_val_if_fail (OKNO_IS_DB (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (--self->depth > 0)
    return TRUE;
  if (self->failed)
    {
      okno_db_exec (self, "ROLLBACK", NULL);
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_FAILED,
                   _ ("The change was undone because part of it failed"));
      return FALSE;
    }
  if (okno_db_exec (self, "COMMIT", error))
    return TRUE;
  okno_db_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

void
okno_db_rollback (OknoDb *self)
{
  g_return_if_fail (OKNO_IS_DB (self));

  if (self->depth == 0)
    return;
  if (--self->depth > 0)
    {
      self->failed = TRUE;
      return;
    }
  if (!sqlite3_get_autocommit (self->handle))
    {
      g_autoptr (GError) error = NULL;
      if (!okno_db_exec (self, "ROLLBACK", &error))
        g_warning ("Rollback failed: %s", error->message);
    }
}

int
okno_db_get_user_version (OknoDb *self, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL || okno_db_step (self, stmt, error) != SQLITE_ROW)
    return -1;
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

static gboolean
run_step (OknoDb *self, const OknoMigration *step, GError **error)
{
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", step->version);

  if (!okno_db_begin (self, error))
    return FALSE;
  if (!okno_db_exec (self, step->sql, error) || !okno_db_exec (self, bump, error))
    {
      okno_db_rollback (self);
      g_prefix_error (error, _ ("Could not upgrade the local database to version %d: "),
                      step->version);
      return FALSE;
    }
  return okno_db_commit (self, error);
}

gboolean
okno_db_migrate (OknoDb *self, const OknoMigration *steps, guint n_steps, GError **error)
{
  int current = okno_db_get_user_version (self, error);
  int latest = n_steps ? steps[n_steps - 1].version : 0;

  if (current < 0)
    return FALSE;
  if (current > latest)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_TOO_NEW,
                   _ ("The local database was written by a newer version of Okno (schema %d, "
                      "this version knows %d)"),
                   current, latest);
      return FALSE;
    }
  for (guint i = 0; i < n_steps; i++)
    if (steps[i].version > current && !run_step (self, &steps[i], error))
      return FALSE;
  return TRUE;
}
