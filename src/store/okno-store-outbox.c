/* Local changes, the outbox and the change feed of OknoStore. */

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>
#include <string.h>

#include "okno-store-private.h"
#include "okno-uuid.h"

static char *
now_utc (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
step_done (OknoDb *db, sqlite3_stmt *stmt, GError **error)
{
  gboolean ok = okno_db_step (db, stmt, error) == SQLITE_DONE;

  sqlite3_reset (stmt);
  return ok;
}

/* json_object ('id', id, ...) over a collection's fields but version, as
 * the server expects a created row; booleans as JSON true/false. */
static char *
row_json_sql (const OknoCollection *c)
{
  GString *sql = g_string_new ("json_object (");

  for (guint i = 0; i < c->n_fields; i++)
    {
      const char *f = c->fields[i].name;

      if (g_str_equal (f, "version"))
        continue;
      if (sql->str[sql->len - 1] != '(')
        g_string_append (sql, ", ");
      if (c->fields[i].type == OKNO_FIELD_BOOLEAN)
        g_string_append_printf (sql, "'%s', json (CASE WHEN %s THEN 'true' ELSE 'false' END)", f,
                                f);
      else
        g_string_append_printf (sql, "'%s', %s", f, f);
    }
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

static gboolean
add_outbox (OknoStore *self, const OknoCollection *c, const char *key, const char *op,
            gint64 base_version, const char *payload_sql, GError **error)
{
  g_autofree char *id = okno_uuid7_new ();
  g_autofree char *at = now_utc ();
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, payload, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, (%s), ?6)",
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
  return step_done (self->writer, stmt, error);
}

/* --- create ------------------------------------------------------------- */

static gboolean
insert_created (OknoStore *self, const OknoCollection *c, const OknoValue *values, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  OknoValue zero = { 0 };

  g_string_append_printf (sql, "INSERT INTO %s (", c->name);
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append_printf (sql, "%s, ", c->fields[i].name);
  g_string_append (sql, "local_state) VALUES (");
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append (sql, "?, ");
  g_string_append (sql, "'created')");
  stmt = okno_db_prepare (self->writer, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < c->n_fields; i++)
    _okno_store_bind_value (stmt, (int)i + 1, &c->fields[i],
                            g_str_equal (c->fields[i].name, "version") ? &zero : &values[i]);
  return step_done (self->writer, stmt, error);
}

static gboolean
check_value (const OknoField *field, const OknoValue *v, GError **error)
{
  if (okno_field_check (field, v, error))
    return TRUE;
  /* The rule broken is the data's, whoever typed it. */
  if (error && *error)
    {
      (*error)->domain = OKNO_STORE_ERROR;
      (*error)->code = OKNO_STORE_ERROR_INVALID;
    }
  return FALSE;
}

static gboolean
check_row (const OknoCollection *c, const OknoValue *values, GError **error)
{
  OknoValue zero = { 0 };

  for (guint i = 0; i < c->n_fields; i++)
    if (!check_value (&c->fields[i],
                      g_str_equal (c->fields[i].name, "version") ? &zero : &values[i], error))
      return FALSE;
  return TRUE;
}

gboolean
okno_store_create (OknoStore *self, const OknoCollection *collection, const OknoValue *values,
                   GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *payload_sql = NULL;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);

  if (!check_row (collection, values, error))
    return FALSE;
  payload = row_json_sql (collection);
  payload_sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ?3", payload, collection->name,
                                 collection->fields[0].name);
  locker = g_mutex_locker_new (&self->writer_lock);
  if (!okno_db_begin (self->writer, error))
    return FALSE;
  if (!insert_created (self, collection, values, error)
      || !add_outbox (self, collection, values[0].text, "create", -1, payload_sql, error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

/* --- patch -------------------------------------------------------------- */

typedef struct
{
  const OknoField *field;
  char *from;
  const char *to;
} FieldChange;

static gboolean
patchable (const OknoCollection *c, const char *name, const OknoField **out, GError **error)
{
  int i = okno_collection_field_index (c, name);

  if (i <= 0 || g_str_equal (name, "version") || c->fields[i].type == OKNO_FIELD_INTEGER
      || c->fields[i].type == OKNO_FIELD_REAL || c->fields[i].type == OKNO_FIELD_BOOLEAN)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID,
                   _ ("Field “%s” cannot be changed"), name);
      return FALSE;
    }
  *out = &c->fields[i];
  return TRUE;
}

/* Reads the current values and keeps the fields that really change. */
static GArray *
collect_changes (OknoStore *self, const OknoCollection *c, const char *key, guint n,
                 const char *const *fields, const char *const *values, gint64 *version,
                 GError **error)
{
  g_autoptr (GArray) changes = g_array_new (FALSE, TRUE, sizeof (FieldChange));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n; i++)
    {
      FieldChange fc = { NULL, NULL, values[i] };
      OknoValue v = { values[i] == NULL, 0, 0, values[i] };
      int rc;

      if (!patchable (c, fields[i], &fc.field, error) || !check_value (fc.field, &v, error))
        return NULL;
      g_free (sql);
      sql = g_strdup_printf ("SELECT %s, version FROM %s WHERE %s = ?", fields[i], c->name,
                             c->fields[0].name);
      if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      rc = okno_db_step (self->writer, stmt, error);
      if (rc == SQLITE_DONE)
        g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                     _ ("The record is not in the local database"));
      if (rc != SQLITE_ROW)
        return NULL;
      fc.from = g_strdup (TEXT (stmt, 0));
      *version = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);
      if (g_strcmp0 (fc.from, fc.to) == 0)
        g_free (fc.from);
      else
        g_array_append_val (changes, fc);
    }
  return g_steal_pointer (&changes);
}

static gboolean
write_patch (OknoStore *self, const OknoCollection *c, const char *key, GArray *changes,
             gint64 version, GError **error)
{
  g_autoptr (GString) payload = g_string_new ("SELECT json_object (");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < changes->len; i++)
    {
      FieldChange *fc = &g_array_index (changes, FieldChange, i);
      g_autofree char *sql = g_strdup_printf (
        "UPDATE %s SET %s = ?1, local_state = CASE local_state WHEN 'created' THEN 'created'"
        " ELSE 'modified' END WHERE %s = ?2",
        c->name, fc->field->name, c->fields[0].name);

      if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, fc->to, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      if (!step_done (self->writer, stmt, error))
        return FALSE;
      /* Values go in as SQL literals quoted by SQLite itself. */
      {
        char *q = sqlite3_mprintf ("%s'%q', json_object ('from', %Q, 'to', %Q)", i ? ", " : "",
                                   fc->field->name, fc->from, fc->to);
        g_string_append (payload, q);
        sqlite3_free (q);
      }
    }
  g_string_append (payload, ")");
  return add_outbox (self, c, key, "patch", version, payload->str, error);
}

static void
free_changes (GArray *changes)
{
  for (guint i = 0; changes && i < changes->len; i++)
    g_free (g_array_index (changes, FieldChange, i).from);
  if (changes)
    g_array_unref (changes);
}

gboolean
okno_store_patch (OknoStore *self, const OknoCollection *collection, const char *key,
                  guint n_fields, const char *const *fields, const char *const *values,
                  GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  GArray *changes;
  gint64 version = 0;
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  changes = collect_changes (self, collection, key, n_fields, fields, values, &version, error);
  ok = changes != NULL
       && (changes->len == 0 || write_patch (self, collection, key, changes, version, error));
  free_changes (changes);
  if (!ok)
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

/* --- resolving an appeal conflict ------------------------------------- */

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
  g_autofree char *field = NULL, *sql = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer, "SELECT appeal_id, field, resolved_at FROM appeal_conflicts WHERE id = ?", error);
  gboolean resolved;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
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
  if (!patchable (appeals, field, &oc->field, error))
    return FALSE;
  sql = g_strdup_printf ("SELECT %s, version FROM appeals WHERE id = ?", oc->field->name);
  if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, oc->appeal_id, -1, SQLITE_STATIC);
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
  g_autofree char *at = now_utc ();
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
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, oc->appeal_id, -1, SQLITE_STATIC);
      if (!step_done (self->writer, stmt, error))
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
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, conflict_id, -1, SQLITE_STATIC);
  if (!step_done (self->writer, stmt, error))
    return FALSE;
  /* Keyed by the appeal: it waits behind a refused change of the appeal,
   * and a pulled copy of the appeal waits until it is answered. */
  payload
    = sqlite3_mprintf ("SELECT json_object ('conflict_id', %Q, 'field', %Q, 'from', %Q, 'to', %Q)",
                       conflict_id, oc->field->name, oc->from, value);
  ok = add_outbox (self, okno_collection_lookup ("appeals"), oc->appeal_id, "resolve", oc->version,
                   payload, error);
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

  locker = g_mutex_locker_new (&self->writer_lock);
  if (!okno_db_begin (self->writer, error))
    return FALSE;
  ok = read_open_conflict (self, conflict_id, &oc, error) && check_value (oc.field, &v, error)
       && write_resolution (self, conflict_id, &oc, value, staff_id, error);
  open_conflict_clear (&oc);
  if (!ok)
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

/* --- the outbox -------------------------------------------------------- */

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

GPtrArray *
okno_store_outbox_next (OknoStore *self, guint max, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader,
    "SELECT " ENTRY_COLUMNS " FROM outbox o WHERE state = 'pending' AND NOT EXISTS ("
    " SELECT 1 FROM outbox q WHERE q.state = 'quarantined' AND q.entity = o.entity"
    " AND q.entity_id = o.entity_id AND q.seq < o.seq) ORDER BY seq LIMIT ?",
    error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int)max);
  return read_entries (self->reader, stmt, error);
}

GPtrArray *
okno_store_outbox_list (OknoStore *self, const char *state, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
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
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
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

static gboolean
has_outbox (OknoStore *self, const char *collection, const char *key, gboolean *out, GError **error)
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

static gboolean
exec_key (OknoStore *self, const char *sql, const char *key, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return step_done (self->writer, stmt, error);
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
        g_string_append_printf (sql, "%sjson_extract (?2, '$.%s')", i ? ", " : "",
                                c->fields[i].name);
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
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (data)
    sqlite3_bind_text (stmt, 2, data, -1, SQLITE_STATIC);
  ok = step_done (self->writer, stmt, error);
  stmt = okno_db_prepare (self->writer, "DELETE FROM server_rows WHERE collection = ? AND key = ?",
                          error);
  if (!ok || stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  return step_done (self->writer, stmt, error);
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
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, version);
      if (!step_done (self->writer, stmt, error))
        return FALSE;
    }
  if (!has_outbox (self, c->name, key, &waiting, error))
    return FALSE;
  if (waiting)
    return TRUE;
  g_free (sql);
  sql = g_strdup_printf ("UPDATE %s SET local_state = 'synced' WHERE %s = ?1", c->name,
                         c->fields[0].name);
  return exec_key (self, sql, key, error) && apply_server_copy (self, c, key, error);
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
      return step_done (self->writer, stmt, error);
    }
  if (!exec_key (self, "DELETE FROM outbox WHERE mutation_id = ?", r->mutation_id, error))
    return FALSE;
  return c == NULL || settle_record (self, c, e->key, r->version, error);
}

gboolean
okno_store_outbox_settle (OknoStore *self, const OknoPushResult *results, guint n, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);

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
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);

  return exec_key (self,
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
      g_autofree char *sql = g_strdup_printf (
        "UPDATE %s SET %s = json_extract (?2, '$.%s.from') WHERE %s = ?1"
        " AND json_type (?2, '$.%s') IS NOT NULL",
        c->name, c->fields[i].name, c->fields[i].name, c->fields[0].name, c->fields[i].name);
      sqlite3_stmt *stmt = okno_db_prepare (self->writer, sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, e->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, e->payload, -1, SQLITE_STATIC);
      if (!step_done (self->writer, stmt, error))
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
  g_autofree char *name = NULL, *sql = NULL;
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
  if (name == NULL || !patchable (c, name, &field, NULL))
    return TRUE; /* not a resolution this replica wrote: nothing to put back */
  sql = g_strdup_printf ("UPDATE %s SET %s = json_extract (?2, '$.from') WHERE %s = ?1"
                         " AND %s IS json_extract (?2, '$.to')",
                         c->name, field->name, c->fields[0].name, field->name);
  if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e->payload, -1, SQLITE_STATIC);
  if (!step_done (self->writer, stmt, error))
    return FALSE;
  stmt = okno_db_prepare (self->writer,
                          "UPDATE appeal_conflicts SET resolved_at = NULL, resolved_by = NULL,"
                          " resolution = NULL WHERE id = json_extract (?1, '$.conflict_id')"
                          " AND resolution IS json_extract (?1, '$.to')",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->payload, -1, SQLITE_STATIC);
  return step_done (self->writer, stmt, error);
}

static gboolean
discard_locked (OknoStore *self, OknoOutboxEntry *e, GError **error)
{
  const OknoCollection *c = okno_collection_lookup (e->collection);
  g_autofree char *sql = NULL;
  gboolean waiting;

  if (!exec_key (self, "DELETE FROM outbox WHERE mutation_id = ?", e->mutation_id, error))
    return FALSE;
  if (c == NULL)
    return TRUE;
  if (g_str_equal (e->op, "patch") && !revert_patch (self, c, e, error))
    return FALSE;
  if (g_str_equal (e->op, "resolve") && !revert_resolution (self, c, e, error))
    return FALSE;
  if (!has_outbox (self, c->name, e->key, &waiting, error))
    return FALSE;
  if (g_str_equal (e->op, "create") && !waiting)
    {
      /* It never reached the server: dropping the entry drops the record. */
      sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1 AND local_state = 'created'", c->name,
                             c->fields[0].name);
      return exec_key (self, sql, e->key, error);
    }
  return settle_record (self, c, e->key, 0, error);
}

gboolean
okno_store_outbox_discard (OknoStore *self, const char *mutation_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
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

/* --- the change feed --------------------------------------------------- */

static gboolean
keep_server_copy (OknoStore *self, const OknoChange *ch, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer,
    "INSERT INTO server_rows (collection, key, version, data) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (collection, key) DO UPDATE SET version = excluded.version,"
    " data = excluded.data WHERE excluded.version >= server_rows.version",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ch->collection->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, ch->key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, ch->version);
  sqlite3_bind_text (stmt, 4, ch->deleted ? NULL : ch->json, -1, SQLITE_STATIC);
  return step_done (self->writer, stmt, error);
}

static gboolean
apply_change (OknoStore *self, const OknoChange *ch, GError **error)
{
  const OknoCollection *c = ch->collection;
  g_autofree char *sql = NULL;
  gboolean waiting;

  if (!has_outbox (self, c->name, ch->key, &waiting, error))
    return FALSE;
  if (waiting)
    return keep_server_copy (self, ch, error);
  if (!ch->deleted)
    return _okno_store_upsert_rows (self, c, ch->values, 1, error);
  sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", c->name, c->fields[0].name);
  return exec_key (self, sql, ch->key, error);
}

static gboolean apply_changes_locked (OknoStore *self, const OknoChange *changes, guint n,
                                      gint64 cursor, GError **error);

gboolean
okno_store_apply_changes (OknoStore *self, const OknoChange *changes, guint n, gint64 cursor,
                          GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  gboolean ok;

  ok = apply_changes_locked (self, changes, n, cursor, error);
  _okno_store_refetchable_end (self);
  return ok;
}

static gboolean
apply_changes_locked (OknoStore *self, const OknoChange *changes, guint n, gint64 cursor,
                      GError **error)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);

  if (!_okno_store_refetchable_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!apply_change (self, &changes[i], error))
      {
        okno_db_rollback (self->writer);
        return FALSE;
      }
  if (!_okno_store_set_meta (self->writer, "cursor", value, error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  return okno_db_commit (self->writer, error);
}

gint64
okno_store_get_cursor (OknoStore *self)
{
  g_autofree char *cursor = NULL;

  if (!okno_store_is_ready (self))
    return -1;
  cursor = okno_store_get_meta (self, "cursor", NULL);
  return cursor ? g_ascii_strtoll (cursor, NULL, 10) : -1;
}

/* Open: unresolved, and no resolution of it waits in the outbox (a pulled
 * copy of the row may have replaced the one resolved here). */
#define OPEN_CONFLICT                                                                              \
  "c.resolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'appeals'"        \
  " AND o.entity_id = c.appeal_id AND o.op = 'resolve'"                                            \
  " AND json_extract (o.payload, '$.conflict_id') = c.id)"

gint64
okno_store_count_conflicts (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
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
      g_string_append_printf (sql, " WHEN '%s' THEN a.%s", appeals->fields[i].name,
                              appeals->fields[i].name);
  g_string_append (sql, " END");
  return g_string_free (sql, FALSE);
}

GPtrArray *
okno_store_list_conflicts (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  g_autoptr (GPtrArray) out
    = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_appeal_conflict_free);
  g_autofree char *current = current_value_sql ();
  g_autofree char *sql = g_strdup_printf (
    "SELECT c.id, c.appeal_id, a.number, c.field, c.ours, c.theirs, c.raised_at, a.id, %s,"
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

/* --- the sync lock ----------------------------------------------------- */

int
okno_store_lock_sync (OknoStore *self, GError **error)
{
  g_autofree char *path = g_strconcat (self->path, ".lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Could not open “%s”: %s"),
                   path, g_strerror (saved));
      return -1;
    }
  /* flock is released by the kernel when the process dies, so a killed
   * sync never leaves the replica locked. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_BUSY,
                   _ ("Another synchronisation of this database is running"));
      return -1;
    }
  return fd;
}

void
okno_store_unlock_sync (int handle)
{
  if (handle >= 0)
    close (handle);
}
