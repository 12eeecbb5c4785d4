/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The initial download of OknoStore: snapshot pages, their positions, and
 * the rows pulled from the server that the change feed writes too. */

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-store-private.h"
#include "okno-meta-keys.h"
#include "okno-schema.h"
#include "okno-uuid.h"

/* WAL pages between checkpoints while a download runs (64 MiB). */
#define DOWNLOAD_CHECKPOINT 16384

/* Rows pulled from the server (snapshot pages, the change feed) come again
 * if a power cut takes them: they are committed without waiting for the disk
 * (WAL stays consistent), and the next commit of staff's own work syncs them
 * too. Their references are not checked row by row: the feed sends a record
 * at its latest change, not in the order records refer to each other, and a
 * resumed snapshot spans time, so references are whole once the pull is
 * done; a lookup per row would only slow it down. Both pragmas must be set
 * outside a transaction. */
gboolean
_okno_store_refetchable_begin (OknoStore *self, GError **error)
{
  return okno_db_exec (self->writer, "PRAGMA foreign_keys = OFF", error)
         && okno_db_exec (self->writer, "PRAGMA synchronous = NORMAL", error)
         && okno_db_begin (self->writer, error);
}

void
_okno_store_refetchable_end (OknoStore *self)
{
  okno_db_exec (self->writer, "PRAGMA synchronous = FULL", NULL);
  okno_db_exec (self->writer, "PRAGMA foreign_keys = ON", NULL);
}

static gboolean defer_indexes (OknoStore *self, GError **error);

/* The first download into an empty replica builds the search index once,
 * after the last page of accounts, rather than row by row (schema step 4). */
static gboolean
defer_search_index (OknoStore *self, GError **error)
{
  g_autofree char *ready = _okno_store_get_meta (self->writer, OKNO_META_REPLICA_READY, NULL);
  sqlite3_stmt *stmt;
  gboolean empty;

  if (g_strcmp0 (ready, "1") == 0)
    return TRUE;
  stmt = okno_db_prepare (self->writer, "SELECT NOT EXISTS (SELECT 1 FROM accounts)", error);
  if (stmt == NULL || okno_db_step (self->writer, stmt, error) != SQLITE_ROW)
    return FALSE;
  empty = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return !empty
         || (_okno_store_set_meta (self->writer, OKNO_META_SEARCH_DEFERRED, "1", error)
             && defer_indexes (self, error));
}

/* The same for the other indexes: rows sorted by key go into their table
 * at its end, while each index entry would land at a random place; an
 * index built once after the rows (CREATE INDEX sorts) is written once and
 * packed full. Dropped only while the replica is empty. */
static gboolean
defer_indexes (OknoStore *self, GError **error)
{
  const OknoSchemaIndex *idx;
  guint n;

  idx = okno_schema_indexes (&n);
  if (!_okno_store_set_meta (self->writer, OKNO_META_INDEX_DEFERRED, "1", error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX IF EXISTS %s", idx[i].name);

      if (!okno_db_exec (self->writer, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* Builds the deferred indexes of collection (NULL: of every collection)
 * that are not there yet. */
static gboolean
build_deferred_indexes (OknoStore *self, const char *collection, GError **error)
{
  g_autofree char *deferred = _okno_store_get_meta (self->writer, OKNO_META_INDEX_DEFERRED, NULL);
  const OknoSchemaIndex *idx;
  sqlite3_stmt *stmt;
  guint n;

  if (deferred == NULL)
    return TRUE;
  idx = okno_schema_indexes (&n);
  for (guint i = 0; i < n; i++)
    {
      gboolean exists;

      if (collection != NULL && strcmp (collection, idx[i].collection) != 0)
        continue;
      stmt = okno_db_prepare (
        self->writer, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, idx[i].name, -1, SQLITE_STATIC);
      exists = okno_db_step (self->writer, stmt, NULL) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!exists && !okno_db_exec (self->writer, idx[i].sql, error))
        return FALSE;
    }
  return collection != NULL
         || _okno_store_set_meta (self->writer, OKNO_META_INDEX_DEFERRED, NULL, error);
}

static gboolean
build_deferred_search_index (OknoStore *self, GError **error)
{
  g_autofree char *deferred = _okno_store_get_meta (self->writer, OKNO_META_SEARCH_DEFERRED, NULL);

  if (deferred == NULL)
    return TRUE;
  return okno_db_exec (self->writer, "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild')",
                       error)
         && _okno_store_set_meta (self->writer, OKNO_META_SEARCH_DEFERRED, NULL, error);
}

gboolean
okno_store_snapshot_begin (OknoStore *self, gint64 cursor, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  g_autofree char *old = NULL;
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  old = _okno_store_get_meta (self->writer, OKNO_META_SNAPSHOT_CURSOR, NULL);
  /* Resuming keeps the first cursor: rows changed since then were either
   * fetched already in their newer state or will come through the feed. */
  if (((old == NULL || g_ascii_strtoll (old, NULL, 10) > cursor)
       && !_okno_store_set_meta (self->writer, OKNO_META_SNAPSHOT_CURSOR, value, error))
      || !defer_search_index (self, error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  if (!okno_db_commit (self->writer, error))
    return FALSE;
  /* A download writes hundreds of megabytes: checkpointing the WAL less
   * often writes hot index pages to the database once rather than many
   * times. snapshot_finish goes back to SQLite's default. */
  okno_db_exec (self->writer, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (DOWNLOAD_CHECKPOINT),
                NULL);
  return TRUE;
}

gboolean
okno_store_snapshot_position (OknoStore *self, const char *collection, char **after_key,
                              gboolean *done, gint64 *rows, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (
    self->writer, "SELECT after_key, done, rows FROM snapshot_progress WHERE collection = ?",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  rc = okno_db_step (self->writer, stmt, error);
  if (rc < 0)
    return FALSE;
  *after_key = rc == SQLITE_ROW ? g_strdup ((const char *)sqlite3_column_text (stmt, 0)) : NULL;
  *done = rc == SQLITE_ROW && sqlite3_column_int (stmt, 1);
  *rows = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 2) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

const char *
_okno_store_upsert_sql (OknoStore *self, const OknoCollection *c)
{
  GString *sql;
  const char *cached = g_hash_table_lookup (self->upsert_sql, c->name);

  if (cached)
    return cached;
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO %s (", c->name);
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", c->fields[i].name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append_printf (sql, ") ON CONFLICT (%s) DO UPDATE SET ", c->fields[0].name);
  for (guint i = 1; i < c->n_fields; i++)
    g_string_append_printf (sql, "%s%s = excluded.%s", i > 1 ? ", " : "", c->fields[i].name,
                            c->fields[i].name);
  /* A page fetched again must never move a row back to an older version. */
  /* Nor overwrite what the branch changed and has not pushed yet. */
  g_string_append_printf (
    sql, " WHERE excluded.version >= %s.version AND %s.local_state = 'synced'", c->name, c->name);
  cached = g_string_free (sql, FALSE);
  g_hash_table_insert (self->upsert_sql, (gpointer)c->name, (gpointer)cached);
  return cached;
}

/* --- values in and out ----------------------------------------------------
 * The one place where a field's value meets its column: a UUID field is
 * stored as its 16 bytes (schema step 7) and is text everywhere else. Text
 * that is not a UUID is bound as text, which the column's CHECK refuses and
 * no key equals, so a mistake shows instead of storing junk. */

void
_okno_store_bind_uuid (sqlite3_stmt *stmt, int col, const char *text)
{
  guint8 bytes[OKNO_UUID_BYTES];

  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else if (okno_uuid_to_bytes (text, strlen (text), bytes))
    sqlite3_bind_blob (stmt, col, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
}

void
_okno_store_bind_field_text (sqlite3_stmt *stmt, int col, const OknoField *field, const char *text)
{
  if (field->type == OKNO_FIELD_UUID)
    _okno_store_bind_uuid (stmt, col, text);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
}

void
_okno_store_bind_key (sqlite3_stmt *stmt, int col, const OknoCollection *c, const char *key)
{
  _okno_store_bind_field_text (stmt, col, &c->fields[0], key);
}

void
_okno_store_bind_value (sqlite3_stmt *stmt, int col, const OknoField *field, const OknoValue *v)
{
  if (v->is_null)
    sqlite3_bind_null (stmt, col);
  else if (field->type == OKNO_FIELD_INTEGER || field->type == OKNO_FIELD_BOOLEAN)
    sqlite3_bind_int64 (stmt, col, v->integer);
  else if (field->type == OKNO_FIELD_REAL)
    sqlite3_bind_double (stmt, col, v->real);
  else
    _okno_store_bind_field_text (stmt, col, field, v->text);
}

char *
_okno_store_field_sql (const OknoField *field, const char *table)
{
  const char *dot = table ? "." : "";

  if (table == NULL)
    table = "";
  if (field->type == OKNO_FIELD_UUID)
    return g_strdup_printf ("okno_uuid_text (%s%s%s)", table, dot, field->name);
  return g_strdup_printf ("%s%s%s", table, dot, field->name);
}

char *
_okno_store_from_text_sql (const OknoField *field, const char *text_sql)
{
  if (field->type == OKNO_FIELD_UUID)
    return g_strdup_printf ("okno_uuid_blob (%s)", text_sql);
  return g_strdup (text_sql);
}

gboolean
_okno_store_upsert_rows (OknoStore *self, const OknoCollection *c, const OknoValue *values,
                         guint n_rows, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, _okno_store_upsert_sql (self, c), error);

  if (stmt == NULL)
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    {
      const OknoValue *row = values + (gsize)r * c->n_fields;

      for (guint i = 0; i < c->n_fields; i++)
        _okno_store_bind_value (stmt, (int)i + 1, &c->fields[i], &row[i]);
      if (okno_db_step (self->writer, stmt, error) != SQLITE_DONE)
        {
          g_prefix_error (error, _ ("Row “%s” of “%s”: "), row[0].text ? row[0].text : "?",
                          c->name);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
save_position (OknoStore *self, const char *collection, const char *after, gboolean done,
               guint n_rows, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer,
    "INSERT INTO snapshot_progress (collection, after_key, done, rows) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (collection) DO UPDATE SET after_key = coalesce (?2, after_key), done = ?3,"
    " rows = rows + ?4",
    error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, after, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, done ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, n_rows);
  ok = okno_db_step (self->writer, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

/* A page holds every key of its collection in (after, next_after], or in
 * (after, ...) for the last page. So in a new snapshot over an existing
 * replica, a synced row in that range that the page lacks was deleted on the
 * server meanwhile. Rows with local changes are never swept. */
static gboolean
sweep_range (OknoStore *self, const OknoCollection *c, const OknoValue *values, guint n_rows,
             const char *after, const char *next_after, gboolean done, GError **error)
{
  OknoDb *db = self->writer;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!okno_db_exec (db,
                     "CREATE TEMP TABLE IF NOT EXISTS page_keys (k PRIMARY KEY);"
                     "DELETE FROM temp.page_keys",
                     error)
      || (stmt = okno_db_prepare (db, "INSERT OR IGNORE INTO temp.page_keys VALUES (?)", error))
           == NULL)
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    {
      _okno_store_bind_value (stmt, 1, &c->fields[0], &values[(gsize)r * c->n_fields]);
      if (okno_db_step (db, stmt, error) != SQLITE_DONE)
        return FALSE;
      sqlite3_reset (stmt);
    }
  sql = g_strdup_printf ("DELETE FROM %s WHERE (?1 IS NULL OR %s > ?1) AND (?2 IS NULL OR %s <= ?2)"
                         " AND local_state = 'synced' AND %s NOT IN (SELECT k FROM temp.page_keys)",
                         c->name, c->fields[0].name, c->fields[0].name, c->fields[0].name);
  stmt = okno_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  _okno_store_bind_key (stmt, 1, c, after);
  _okno_store_bind_key (stmt, 2, c, done ? NULL : next_after);
  ok = okno_db_step (db, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
apply_page_locked (OknoStore *self, const OknoCollection *collection, const OknoValue *values,
                   guint n_rows, const char *next_after, gboolean done, GError **error)
{
  g_autofree char *ready = _okno_store_get_meta (self->writer, OKNO_META_REPLICA_READY, NULL);
  g_autofree char *after = NULL;
  sqlite3_stmt *stmt;

  if (!_okno_store_upsert_rows (self, collection, values, n_rows, error))
    return FALSE;
  /* Only a snapshot over a replica that was complete before can hold
   * rows the server no longer has. */
  if (g_strcmp0 (ready, "1") == 0)
    {
      stmt = okno_db_prepare (self->writer,
                              "SELECT after_key, done, rows FROM snapshot_progress"
                              " WHERE collection = ?",
                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, collection->name, -1, SQLITE_STATIC);
      if (okno_db_step (self->writer, stmt, error) == SQLITE_ROW)
        after = g_strdup (TEXT (stmt, 0));
      sqlite3_reset (stmt);
      if (!sweep_range (self, collection, values, n_rows, after, next_after, done, error))
        return FALSE;
    }
  /* The index is built in the same transaction as the last page: a
   * download cut while building it fetches that page again. */
  if (done && strcmp (collection->name, "accounts") == 0
      && !build_deferred_search_index (self, error))
    return FALSE;
  if (done && !build_deferred_indexes (self, collection->name, error))
    return FALSE;
  return save_position (self, collection->name, next_after, done, n_rows, error);
}

gboolean
okno_store_apply_snapshot_page (OknoStore *self, const OknoCollection *collection,
                                const OknoValue *values, guint n_rows, const char *next_after,
                                gboolean done, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);
  g_return_val_if_fail (collection != NULL, FALSE);

  ok = _okno_store_refetchable_begin (self, error);
  if (ok && !(ok = apply_page_locked (self, collection, values, n_rows, next_after, done, error)))
    okno_db_rollback (self->writer);
  else if (ok)
    ok = okno_db_commit (self->writer, error);
  _okno_store_refetchable_end (self);
  return ok;
}

/* How many whole snapshots this replica took: the first download, then one
 * per cursor the change feed no longer reached. */
static gboolean
count_snapshot (OknoDb *db, GError **error)
{
  g_autofree char *n = _okno_store_get_meta (db, OKNO_META_SNAPSHOTS, NULL);
  g_autofree char *next
    = g_strdup_printf ("%" G_GINT64_FORMAT, (n ? g_ascii_strtoll (n, NULL, 10) : 0) + 1);

  return _okno_store_set_meta (db, OKNO_META_SNAPSHOTS, next, error);
}

gboolean
okno_store_snapshot_finish (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  g_autofree char *cursor = NULL;

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  cursor = _okno_store_get_meta (self->writer, OKNO_META_SNAPSHOT_CURSOR, error);
  if (cursor == NULL)
    {
      okno_db_rollback (self->writer);
      if (error && *error == NULL)
        g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID,
                     _ ("No download was started"));
      return FALSE;
    }
  if (!count_snapshot (self->writer, error) || !build_deferred_search_index (self, error)
      || !build_deferred_indexes (self, NULL, error)
      || !_okno_store_set_meta (self->writer, OKNO_META_CURSOR, cursor, error)
      || !_okno_store_set_meta (self->writer, OKNO_META_REPLICA_READY, "1", error)
      || !_okno_store_set_meta (self->writer, OKNO_META_SNAPSHOT_CURSOR, NULL, error)
      || !okno_db_exec (self->writer, "DELETE FROM snapshot_progress", error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  if (!okno_db_commit (self->writer, error))
    return FALSE;
  okno_db_exec (self->writer, "PRAGMA wal_autocheckpoint = 1000", NULL);
  okno_db_exec (self->writer, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);
  /* Fresh statistics make the planner pick the search indexes at once. */
  okno_db_exec (self->writer, "PRAGMA optimize", NULL);
  return TRUE;
}

gboolean
okno_store_is_ready (OknoStore *self)
{
  g_autofree char *ready = okno_store_get_meta (self, OKNO_META_REPLICA_READY, NULL);

  return g_strcmp0 (ready, "1") == 0;
}
