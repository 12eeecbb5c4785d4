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

/* okno_uuid_blob (text) and okno_uuid_text (blob): a UUID as the replica
 * stores it (16 bytes, see okno_uuid_to_bytes) and as everyone else reads
 * it. For SQL that builds or reads JSON (outbox payloads, the server's
 * copies of rows) and for migrations; rows the store binds or reads field by
 * field convert in C (okno-store-snapshot.c). NULL stays NULL; anything
 * else that is not a UUID is an error, so no query stores or compares text
 * where bytes belong without it showing. */
static void
uuid_blob_sql (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  guint8 bytes[OKNO_UUID_BYTES];
  int type = sqlite3_value_type (argv[0]);

  if (type == SQLITE_NULL)
    sqlite3_result_null (ctx);
  else if (type == SQLITE_TEXT
           && okno_uuid_to_bytes ((const char *)sqlite3_value_text (argv[0]),
                                  (gsize)sqlite3_value_bytes (argv[0]), bytes))
    sqlite3_result_blob (ctx, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_result_error (ctx, "okno_uuid_blob: not a UUID", -1);
}

static void
uuid_text_sql (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  char text[OKNO_UUID_TEXT_LENGTH + 1];
  int type = sqlite3_value_type (argv[0]);

  if (type == SQLITE_NULL)
    sqlite3_result_null (ctx);
  else if (type == SQLITE_BLOB && sqlite3_value_bytes (argv[0]) == OKNO_UUID_BYTES)
    {
      okno_uuid_format (sqlite3_value_blob (argv[0]), text);
      sqlite3_result_text (ctx, text, OKNO_UUID_TEXT_LENGTH, SQLITE_TRANSIENT);
    }
  else
    sqlite3_result_error (ctx, "okno_uuid_text: not a stored UUID", -1);
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
  sqlite3_create_function (self->handle, "okno_uuid_blob", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           uuid_blob_sql, NULL, NULL);
  sqlite3_create_function (self->handle, "okno_uuid_text", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           uuid_text_sql, NULL, NULL);
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

/* Rows of a checking pragma: 0 when all is well. A replica whose download
 * was cut may refer to rows not fetched yet (okno-store-snapshot.c), so a
 * rewrite is judged by the references it broke, not by all of them. */
static gint64
count_problems (OknoDb *self, const char *pragma, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM %s WHERE %s", pragma,
    g_str_equal (pragma, "pragma_integrity_check") ? "integrity_check != 'ok'" : "TRUE");
  sqlite3_stmt *stmt = okno_db_prepare (self, sql, error);
  gint64 n = -1;

  if (stmt != NULL && okno_db_step (self, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

static gboolean
check_rewrite (OknoDb *self, gint64 broken_before, GError **error)
{
  gint64 broken = count_problems (self, "pragma_foreign_key_check", error);
  gint64 damaged = broken < 0 ? -1 : count_problems (self, "pragma_integrity_check", error);

  if (broken < 0 || damaged < 0)
    return FALSE;
  if (broken > broken_before || damaged > 0)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_CORRUPT,
                   _ ("The rewritten tables failed their check (%d broken references, %d "
                      "problems)"),
                   (int)MIN (broken - broken_before, G_MAXINT), (int)MIN (damaged, G_MAXINT));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_step (OknoDb *self, const OknoMigration *step, GError **error)
{
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", step->version);
  gint64 broken_before = 0;
  gboolean ok;

  /* foreign_keys cannot change inside a transaction. */
  if (step->rewrites && !okno_db_exec (self, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  ok = okno_db_begin (self, error);
  if (ok && step->rewrites)
    ok = (broken_before = count_problems (self, "pragma_foreign_key_check", error)) >= 0;
  ok = ok && okno_db_exec (self, step->sql, error) && okno_db_exec (self, bump, error)
       && (!step->rewrites || check_rewrite (self, broken_before, error));
  if (!ok)
    okno_db_rollback (self);
  else
    ok = okno_db_commit (self, error);
  if (step->rewrites)
    okno_db_exec (self, "PRAGMA foreign_keys = ON", NULL);
  if (!ok)
    g_prefix_error (error, _ ("Could not upgrade the local database to version %d: "),
                    step->version);
  return ok;
}

gboolean
okno_db_migrate (OknoDb *self, const OknoMigration *steps, guint n_steps, GError **error)
{
  int current = okno_db_get_user_version (self, error);
  int latest = n_steps ? steps[n_steps - 1].version : 0;
  gboolean rewritten = FALSE;

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
    {
      if (steps[i].version <= current)
        continue;
      if (!run_step (self, &steps[i], error))
        return FALSE;
      rewritten |= steps[i].rewrites && current > 0;
    }
  /* A rewrite leaves the old tables' pages free inside the file: VACUUM
   * gives them back to the disk. Like a step it happens whole or not at
   * all; if it cannot run (no room for its copy), the file only stays as
   * large as it was. */
  if (rewritten
      && (!okno_db_exec (self, "VACUUM", NULL)
          || !okno_db_exec (self, "PRAGMA wal_checkpoint (TRUNCATE)", NULL)))
    g_warning ("The local database keeps the space of its old tables");
  return TRUE;
}
