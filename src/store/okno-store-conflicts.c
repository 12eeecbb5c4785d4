/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Appeal conflicts of OknoStore: listing them and settling one. */

#include <glib/gi18n-lib.h>

#include "okno-store-private.h"

/* --- resolving ----------------------------------------------------------- */

typedef struct
{
  char *appeal_id;
  const OknoField *field;
  char *from; /* the appeal's value as the desk shows it */
  gint64 version;
} OpenConflict;

static void
open_conflict_clear (OpenConflict *oc)
{
  g_free (oc->appeal_id);
  g_free (oc->from);
}

/* The conflict, still open, and the appeal's current value of its field. */
static gboolean
read_open_conflict (OknoStore *self, const char *conflict_id, OpenConflict *oc, GError **error)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  g_autofree char *field = NULL, *sql = NULL, *column = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer,
    "SELECT okno_uuid_text (appeal_id), field, resolved_at FROM appeal_conflicts WHERE id = ?",
    error);
  gboolean resolved;
  int rc;

  if (stmt == NULL)
    return FALSE;
  _okno_store_bind_uuid (stmt, 1, conflict_id);
  rc = okno_db_step (self->writer, stmt, error);
  if (rc == SQLITE_ROW)
    {
      oc->appeal_id = g_strdup (TEXT (stmt, 0));
      field = g_strdup (TEXT (stmt, 1));
      resolved = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                 _ ("The conflict is not in the local database"));
  if (rc != SQLITE_ROW)
    return FALSE;
  if (resolved)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID,
                   _ ("The conflict has already been resolved"));
      return FALSE;
    }
  if (!_okno_store_patchable (appeals, field, &oc->field, error))
    return FALSE;
  column = _okno_store_field_sql (oc->field, NULL);
  sql = g_strdup_printf ("SELECT %s, version FROM appeals WHERE id = ?", column);
  if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
    return FALSE;
  _okno_store_bind_uuid (stmt, 1, oc->appeal_id);
  rc = okno_db_step (self->writer, stmt, error);
  if (rc == SQLITE_ROW)
    {
      oc->from = g_strdup (TEXT (stmt, 0));
      oc->version = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                 _ ("The record is not in the local database"));
  return rc == SQLITE_ROW;
}

static gboolean
write_resolution (OknoStore *self, const char *conflict_id, OpenConflict *oc, const char *value,
                  const char *staff_id, GError **error)
{
  g_autofree char *at = _okno_store_now_utc ();
  g_autofree char *sql = NULL;
  char *payload;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (g_strcmp0 (oc->from, value) != 0)
    {
      sql = g_strdup_printf (
        "UPDATE appeals SET %s = ?1, local_state = CASE local_state WHEN 'created' THEN 'created'"
        " ELSE 'modified' END WHERE id = ?2",
        oc->field->name);
      if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
        return FALSE;
      _okno_store_bind_field_text (stmt, 1, oc->field, value);
      _okno_store_bind_uuid (stmt, 2, oc->appeal_id);
      if (!_okno_store_step_done (self->writer, stmt, error))
        return FALSE;
    }
  /* The row stays 'synced': the server's copy, whoever resolved it first,
   * replaces it when pulled. Until the entry is answered the conflict is
   * kept out of the lists by the entry itself (okno_store_list_conflicts). */
  stmt = okno_db_prepare (self->writer,
                          "UPDATE appeal_conflicts SET resolved_at = ?1, resolved_by = ?2,"
                          " resolution = ?3 WHERE id = ?4",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_STATIC);
  _okno_store_bind_uuid (stmt, 2, staff_id);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  _okno_store_bind_uuid (stmt, 4, conflict_id);
  if (!_okno_store_step_done (self->writer, stmt, error))
    return FALSE;
  /* Keyed by the appeal: it waits behind a refused change of the appeal,
   * and a pulled copy of the appeal waits until it is answered. */
  payload
    = sqlite3_mprintf ("SELECT json_object ('conflict_id', %Q, 'field', %Q, 'from', %Q, 'to', %Q)",
                       conflict_id, oc->field->name, oc->from, value);
  ok = _okno_store_add_outbox (self, okno_collection_lookup ("appeals"), oc->appeal_id, "resolve",
                               oc->version, payload, error);
  sqlite3_free (payload);
  return ok;
}

gboolean
okno_store_resolve_conflict (OknoStore *self, const char *conflict_id, const char *value,
                             const char *staff_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  OpenConflict oc = { 0 };
  OknoValue v = { value == NULL, 0, 0, value };
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);

  locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  if (!okno_db_begin (self->writer, error))
    return FALSE;
  ok = read_open_conflict (self, conflict_id, &oc, error)
       && _okno_store_check_value (oc.field, &v, error)
       && write_resolution (self, conflict_id, &oc, value, staff_id, error);
  open_conflict_clear (&oc);
  if (!ok)
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

/* --- listing ------------------------------------------------------------- */

/* Open: unresolved, and no resolution of it waits in the outbox (a pulled
 * copy of the row may have replaced the one resolved here). */
#define OPEN_CONFLICT                                                                              \
  "c.resolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'appeals'"        \
  " AND o.entity_id = okno_uuid_text (c.appeal_id) AND o.op = 'resolve'"                           \
  " AND json_extract (o.payload, '$.conflict_id') = okno_uuid_text (c.id))"

gint64
okno_store_count_conflicts (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM appeal_conflicts c WHERE " OPEN_CONFLICT, error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

void
okno_appeal_conflict_free (OknoAppealConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->appeal_id);
  g_free (conflict->appeal_number);
  g_free (conflict->field);
  g_free (conflict->ours);
  g_free (conflict->theirs);
  g_free (conflict->current);
  g_free (conflict->raised_by_name);
  g_free (conflict->raised_at);
  g_free (conflict);
}

/* The appeal's value of the conflict's field, as the replica has it now. */
static char *
current_value_sql (void)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  GString *sql = g_string_new ("CASE c.field");

  for (guint i = 1; i < appeals->n_fields; i++)
    if (appeals->fields[i].type != OKNO_FIELD_INTEGER && appeals->fields[i].type != OKNO_FIELD_REAL
        && appeals->fields[i].type != OKNO_FIELD_BOOLEAN)
      {
        g_autofree char *column = _okno_store_field_sql (&appeals->fields[i], "a");

        g_string_append_printf (sql, " WHEN '%s' THEN %s", appeals->fields[i].name, column);
      }
  g_string_append (sql, " END");
  return g_string_free (sql, FALSE);
}

GPtrArray *
okno_store_list_conflicts (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autoptr (GPtrArray) out
    = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_appeal_conflict_free);
  g_autofree char *current = current_value_sql ();
  g_autofree char *sql = g_strdup_printf (
    "SELECT okno_uuid_text (c.id), okno_uuid_text (c.appeal_id), a.number, c.field, c.ours, "
    "c.theirs, c.raised_at, a.id, %s,"
    " s.full_name FROM appeal_conflicts c LEFT JOIN appeals a ON a.id = c.appeal_id"
    " LEFT JOIN staff s ON s.id = c.raised_by"
    " WHERE " OPEN_CONFLICT " ORDER BY c.raised_at, c.id",
    current);
  sqlite3_stmt *stmt = okno_db_prepare (self->reader, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    {
      OknoAppealConflict *c = g_new0 (OknoAppealConflict, 1);

      c->id = g_strdup (TEXT (stmt, 0));
      c->appeal_id = g_strdup (TEXT (stmt, 1));
      c->appeal_number = g_strdup (TEXT (stmt, 2));
      c->field = g_strdup (TEXT (stmt, 3));
      c->ours = g_strdup (TEXT (stmt, 4));
      c->theirs = g_strdup (TEXT (stmt, 5));
      c->raised_at = g_strdup (TEXT (stmt, 6));
      c->in_replica = sqlite3_column_type (stmt, 7) != SQLITE_NULL;
      c->current = c->in_replica ? g_strdup (TEXT (stmt, 8)) : g_strdup (c->theirs);
      c->raised_by_name = g_strdup (TEXT (stmt, 9));
      g_ptr_array_add (out, c);
    }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&out);
}

/* --- asynchronous ------------------------------------------------------------ */

static gpointer
count_conflicts_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                     GError **error)
{
  return _okno_store_int64_result (okno_store_count_conflicts (self, error));
}

void
okno_store_count_conflicts_async (OknoStore *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_count_conflicts_async, count_conflicts_job, g_free,
                          cancellable, callback, user_data, 0);
}

gint64
okno_store_count_conflicts_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_int64 (self, result, okno_store_count_conflicts_async, error);
}

static gpointer
list_conflicts_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                    GError **error)
{
  return okno_store_list_conflicts (self, error);
}

void
okno_store_list_conflicts_async (OknoStore *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_list_conflicts_async, list_conflicts_job,
                          (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data, 0);
}

GPtrArray *
okno_store_list_conflicts_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_list_conflicts_async, error);
}

static gpointer
resolve_conflict_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                      GError **error)
{
  return GINT_TO_POINTER (okno_store_resolve_conflict (self, args[0], args[1], args[2], error));
}

void
okno_store_resolve_conflict_async (OknoStore *self, const char *conflict_id, const char *value,
                                   const char *staff_id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_write_async (self, okno_store_resolve_conflict_async, resolve_conflict_job,
                           cancellable, callback, user_data, 3, conflict_id, value, staff_id);
}

gboolean
okno_store_resolve_conflict_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_boolean (self, result, okno_store_resolve_conflict_async, error);
}
