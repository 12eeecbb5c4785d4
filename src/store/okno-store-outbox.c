/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The outbox of OknoStore: local changes waiting for the server, its
 * answers, and the staff's decisions on refused ones. */

#include <glib/gi18n-lib.h>

#include "okno-store-private.h"
#include "okno-uuid.h"

gboolean
_okno_store_add_outbox (OknoStore *self, const OknoCollection *c, const char *key, const char *op,
                        gint64 base_version, const char *payload_sql, GError **error)
{
  g_autofree char *id = okno_uuid7_new ();
  g_autofree char *at = _okno_store_now_utc ();
  g_autofree char *author = _okno_store_author (self, self->writer, NULL);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, payload, created_at,"
    " author) VALUES (?1, ?2, ?3, ?4, ?5, (%s), ?6, ?7)",
    payload_sql);
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op, -1, SQLITE_STATIC);
  if (base_version >= 0)
    sqlite3_bind_int64 (stmt, 5, base_version);
  sqlite3_bind_text (stmt, 6, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, author, -1, SQLITE_STATIC);
  return _okno_store_step_done (self->writer, stmt, error);
}

void
okno_outbox_entry_free (OknoOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->mutation_id);
  g_free (entry->collection);
  g_free (entry->key);
  g_free (entry->op);
  g_free (entry->payload);
  g_free (entry->state);
  g_free (entry->last_error);
  g_free (entry);
}

#define ENTRY_COLUMNS                                                                              \
  "seq, mutation_id, entity, entity_id, op, coalesce (base_version, -1), payload, state,"          \
  " last_error"

static GPtrArray *
read_entries (OknoDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) out
    = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_outbox_entry_free);
  int rc;

  while ((rc = okno_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      OknoOutboxEntry *e = g_new0 (OknoOutboxEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->mutation_id = g_strdup (TEXT (stmt, 1));
      e->collection = g_strdup (TEXT (stmt, 2));
      e->key = g_strdup (TEXT (stmt, 3));
      e->op = g_strdup (TEXT (stmt, 4));
      e->base_version = sqlite3_column_int64 (stmt, 5);
      e->payload = g_strdup (TEXT (stmt, 6));
      e->state = g_strdup (TEXT (stmt, 7));
      e->last_error = g_strdup (TEXT (stmt, 8));
      g_ptr_array_add (out, e);
    }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&out);
}

/* An entry of someone else (?1 is the one signed in), or one behind such
 * an entry of the same record: okno-central takes authorship from the
 * token, so it waits, pending, for its author to sign in here. An entry
 * with no author (made before authors were kept) goes with anyone's. */
#define OTHERS(o) "(" o ".author IS NOT NULL AND " o ".author IS NOT ?1)"
#define WAITS_FOR_OTHER                                                                            \
  "(" OTHERS (                                                                                     \
    "o") " OR EXISTS (SELECT 1 FROM outbox q WHERE q.entity = o.entity"                            \
         " AND q.entity_id = o.entity_id AND q.seq < o.seq AND q.state = 'pending' AND " OTHERS (  \
           "q") "))"

GPtrArray *
okno_store_outbox_next (OknoStore *self, guint max, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autofree char *author = _okno_store_author (self, self->reader, NULL);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader,
    "SELECT " ENTRY_COLUMNS " FROM outbox o WHERE state = 'pending' AND NOT " WAITS_FOR_OTHER
    " AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.state = 'quarantined'"
    " AND q.entity = o.entity AND q.entity_id = o.entity_id AND q.seq < o.seq)"
    " ORDER BY seq LIMIT ?2",
    error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, author, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int)max);
  return read_entries (self->reader, stmt, error);
}

gint64
okno_store_outbox_count_others (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autofree char *author = _okno_store_author (self, self->reader, NULL);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM outbox o WHERE state = 'pending' AND " WAITS_FOR_OTHER,
    error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, author, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

GPtrArray *
okno_store_outbox_list (OknoStore *self, const char *state, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader,
    "SELECT " ENTRY_COLUMNS " FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY seq", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  return read_entries (self->reader, stmt, error);
}

gint64
okno_store_outbox_count (OknoStore *self, const char *state, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM outbox WHERE ?1 IS NULL OR state = ?1", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gboolean
_okno_store_has_outbox (OknoStore *self, const char *collection, const char *key, gboolean *out,
                        GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer, "SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  rc = okno_db_step (self->writer, stmt, error);
  sqlite3_reset (stmt);
  *out = rc == SQLITE_ROW;
  return rc >= 0;
}

/* The server's copy of a record that was pulled while the branch had
 * unpushed changes to it, applied once those changes are answered. */
static gboolean
apply_server_copy (OknoStore *self, const OknoCollection *c, const char *key, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  g_autofree char *data = NULL;
  gboolean found, ok;
  int rc;

  stmt = okno_db_prepare (self->writer,
                          "SELECT data FROM server_rows WHERE collection = ? AND key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  rc = okno_db_step (self->writer, stmt, error);
  found = rc == SQLITE_ROW;
  data = found ? g_strdup (TEXT (stmt, 0)) : NULL;
  sqlite3_reset (stmt);
  if (rc < 0 || !found)
    return rc >= 0;

  if (data == NULL)
    g_string_printf (sql, "DELETE FROM %s WHERE %s = ?1", c->name, c->fields[0].name);
  else
    {
      g_string_printf (sql, "INSERT INTO %s (", c->name);
      for (guint i = 0; i < c->n_fields; i++)
        g_string_append_printf (sql, "%s%s", i ? ", " : "", c->fields[i].name);
      g_string_append (sql, ") SELECT ");
      for (guint i = 0; i < c->n_fields; i++)
        {
          g_autofree char *path = g_strdup_printf ("json_extract (?2, '$.%s')", c->fields[i].name);
          g_autofree char *value = _okno_store_from_text_sql (&c->fields[i], path);

          g_string_append_printf (sql, "%s%s", i ? ", " : "", value);
        }
      g_string_append_printf (sql, " WHERE TRUE ON CONFLICT (%s) DO UPDATE SET ",
                              c->fields[0].name);
      for (guint i = 1; i < c->n_fields; i++)
        g_string_append_printf (sql, "%s%s = excluded.%s", i > 1 ? ", " : "", c->fields[i].name,
                                c->fields[i].name);
      g_string_append_printf (sql, " WHERE excluded.version >= %s.version", c->name);
    }
  stmt = okno_db_prepare (self->writer, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  _okno_store_bind_key (stmt, 1, c, key);
  if (data)
    sqlite3_bind_text (stmt, 2, data, -1, SQLITE_STATIC);
  ok = _okno_store_step_done (self->writer, stmt, error);
  stmt = okno_db_prepare (self->writer, "DELETE FROM server_rows WHERE collection = ? AND key = ?",
                          error);
  if (!ok || stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  return _okno_store_step_done (self->writer, stmt, error);
}

/* After an entry left the outbox: the record is in step with the server
 * once no other entry of it waits. */
static gboolean
settle_record (OknoStore *self, const OknoCollection *c, const char *key, gint64 version,
               GError **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean waiting;

  if (version > 0)
    {
      sql = g_strdup_printf ("UPDATE %s SET version = max (version, ?2) WHERE %s = ?1", c->name,
                             c->fields[0].name);
      if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
        return FALSE;
      _okno_store_bind_key (stmt, 1, c, key);
      sqlite3_bind_int64 (stmt, 2, version);
      if (!_okno_store_step_done (self->writer, stmt, error))
        return FALSE;
    }
  if (!_okno_store_has_outbox (self, c->name, key, &waiting, error))
    return FALSE;
  if (waiting)
    return TRUE;
  g_free (sql);
  sql = g_strdup_printf ("UPDATE %s SET local_state = 'synced' WHERE %s = ?1", c->name,
                         c->fields[0].name);
  return _okno_store_exec_record (self, sql, c, key, error)
         && apply_server_copy (self, c, key, error);
}

static OknoOutboxEntry *
entry_by_id (OknoStore *self, const char *mutation_id, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE mutation_id = ?", error);
  g_autoptr (GPtrArray) found = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, mutation_id, -1, SQLITE_STATIC);
  found = read_entries (self->writer, stmt, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

static gboolean
settle_one (OknoStore *self, const OknoPushResult *r, GError **error)
{
  g_autoptr (OknoOutboxEntry) e = entry_by_id (self, r->mutation_id, error);
  const OknoCollection *c;
  sqlite3_stmt *stmt;

  if (e == NULL)
    return error == NULL || *error == NULL; /* answered before: nothing left to do */
  c = okno_collection_lookup (e->collection);
  if (r->status == OKNO_PUSH_REJECTED)
    {
      stmt = okno_db_prepare (self->writer,
                              "UPDATE outbox SET state = 'quarantined', attempts = attempts + 1,"
                              " last_error = ? WHERE mutation_id = ?",
                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, r->message ? r->message : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, r->mutation_id, -1, SQLITE_STATIC);
      return _okno_store_step_done (self->writer, stmt, error);
    }
  if (!_okno_store_exec_key (self, "DELETE FROM outbox WHERE mutation_id = ?", r->mutation_id,
                             error))
    return FALSE;
  return c == NULL || settle_record (self, c, e->key, r->version, error);
}

gboolean
okno_store_outbox_settle (OknoStore *self, const OknoPushResult *results, guint n, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!settle_one (self, &results[i], error))
      {
        okno_db_rollback (self->writer);
        return FALSE;
      }
  return okno_db_commit (self->writer, error);
}

gboolean
okno_store_outbox_retry (OknoStore *self, const char *mutation_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);

  return _okno_store_exec_key (self,
                               "UPDATE outbox SET state = 'pending', last_error = NULL"
                               " WHERE mutation_id = ? AND state = 'quarantined'",
                               mutation_id, error);
}

/* Puts back the values a discarded patch changed. */
static gboolean
revert_patch (OknoStore *self, const OknoCollection *c, OknoOutboxEntry *e, GError **error)
{
  for (guint i = 1; i < c->n_fields; i++)
    {
      g_autofree char *path = g_strdup_printf ("json_extract (?2, '$.%s.from')", c->fields[i].name);
      g_autofree char *from = _okno_store_from_text_sql (&c->fields[i], path);
      g_autofree char *sql = g_strdup_printf (
        "UPDATE %s SET %s = %s WHERE %s = ?1 AND json_type (?2, '$.%s') IS NOT NULL", c->name,
        c->fields[i].name, from, c->fields[0].name, c->fields[i].name);
      sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

      if (stmt == NULL)
        return FALSE;
      _okno_store_bind_key (stmt, 1, c, e->key);
      sqlite3_bind_text (stmt, 2, e->payload, -1, SQLITE_STATIC);
      if (!_okno_store_step_done (self->writer, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Puts back the value a discarded resolution set, unless it changed since,
 * and opens the conflict again. */
static gboolean
revert_resolution (OknoStore *self, const OknoCollection *c, OknoOutboxEntry *e, GError **error)
{
  const OknoField *field;
  g_autofree char *name = NULL, *sql = NULL, *from = NULL, *to = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, "SELECT json_extract (?1, '$.field')", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->payload, -1, SQLITE_STATIC);
  rc = okno_db_step (self->writer, stmt, error);
  name = rc == SQLITE_ROW ? g_strdup (TEXT (stmt, 0)) : NULL;
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (name == NULL || !_okno_store_patchable (c, name, &field, NULL))
    return TRUE; /* not a resolution this replica wrote: nothing to put back */
  from = _okno_store_from_text_sql (field, "json_extract (?2, '$.from')");
  to = _okno_store_from_text_sql (field, "json_extract (?2, '$.to')");
  sql = g_strdup_printf ("UPDATE %s SET %s = %s WHERE %s = ?1 AND %s IS %s", c->name, field->name,
                         from, c->fields[0].name, field->name, to);
  if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
    return FALSE;
  _okno_store_bind_key (stmt, 1, c, e->key);
  sqlite3_bind_text (stmt, 2, e->payload, -1, SQLITE_STATIC);
  if (!_okno_store_step_done (self->writer, stmt, error))
    return FALSE;
  stmt = okno_db_prepare (
    self->writer,
    "UPDATE appeal_conflicts SET resolved_at = NULL, resolved_by = NULL,"
    " resolution = NULL WHERE id = okno_uuid_blob (json_extract (?1, '$.conflict_id'))"
    " AND resolution IS json_extract (?1, '$.to')",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->payload, -1, SQLITE_STATIC);
  return _okno_store_step_done (self->writer, stmt, error);
}

static gboolean
discard_locked (OknoStore *self, OknoOutboxEntry *e, GError **error)
{
  const OknoCollection *c = okno_collection_lookup (e->collection);
  g_autofree char *sql = NULL;
  gboolean waiting;

  if (!_okno_store_exec_key (self, "DELETE FROM outbox WHERE mutation_id = ?", e->mutation_id,
                             error))
    return FALSE;
  if (c == NULL)
    return TRUE;
  if (g_str_equal (e->op, "patch") && !revert_patch (self, c, e, error))
    return FALSE;
  if (g_str_equal (e->op, "resolve") && !revert_resolution (self, c, e, error))
    return FALSE;
  if (!_okno_store_has_outbox (self, c->name, e->key, &waiting, error))
    return FALSE;
  if (g_str_equal (e->op, "create") && !waiting)
    {
      /* It never reached the server: dropping the entry drops the record. */
      sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1 AND local_state = 'created'", c->name,
                             c->fields[0].name);
      return _okno_store_exec_record (self, sql, c, e->key, error);
    }
  return settle_record (self, c, e->key, 0, error);
}

gboolean
okno_store_outbox_discard (OknoStore *self, const char *mutation_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  g_autoptr (OknoOutboxEntry) e = NULL;

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  e = entry_by_id (self, mutation_id, error);
  if (e == NULL || !discard_locked (self, e, error))
    {
      okno_db_rollback (self->writer);
      if (e == NULL && error && *error == NULL)
        g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                     _ ("The change is no longer waiting to be sent"));
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

/* --- asynchronous ------------------------------------------------------------ */

static gpointer
outbox_list_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                 GError **error)
{
  return okno_store_outbox_list (self, args[0], error);
}

void
okno_store_outbox_list_async (OknoStore *self, const char *state, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_outbox_list_async, outbox_list_job,
                          (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data, 1,
                          state);
}

GPtrArray *
okno_store_outbox_list_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_outbox_list_async, error);
}

static gpointer
outbox_count_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                  GError **error)
{
  return _okno_store_int64_result (okno_store_outbox_count (self, args[0], error));
}

void
okno_store_outbox_count_async (OknoStore *self, const char *state, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_outbox_count_async, outbox_count_job, g_free,
                          cancellable, callback, user_data, 1, state);
}

gint64
okno_store_outbox_count_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_int64 (self, result, okno_store_outbox_count_async, error);
}

static gpointer
outbox_retry_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                  GError **error)
{
  return GINT_TO_POINTER (okno_store_outbox_retry (self, args[0], error));
}

void
okno_store_outbox_retry_async (OknoStore *self, const char *mutation_id, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_write_async (self, okno_store_outbox_retry_async, outbox_retry_job, cancellable,
                           callback, user_data, 1, mutation_id);
}

gboolean
okno_store_outbox_retry_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_boolean (self, result, okno_store_outbox_retry_async, error);
}

static gpointer
outbox_discard_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                    GError **error)
{
  return GINT_TO_POINTER (okno_store_outbox_discard (self, args[0], error));
}

void
okno_store_outbox_discard_async (OknoStore *self, const char *mutation_id,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  _okno_store_write_async (self, okno_store_outbox_discard_async, outbox_discard_job, cancellable,
                           callback, user_data, 1, mutation_id);
}

gboolean
okno_store_outbox_discard_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_boolean (self, result, okno_store_outbox_discard_async, error);
}
