/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Local changes of OknoStore: records created and patched at the branch,
 * each written together with its outbox entry. */

#include <glib/gi18n-lib.h>

#include "okno-limits.h"
#include "okno-meta-keys.h"
#include "okno-store-private.h"

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
      else if (c->fields[i].type == OKNO_FIELD_UUID)
        g_string_append_printf (sql, "'%s', okno_uuid_text (%s)", f, f);
      else
        g_string_append_printf (sql, "'%s', %s", f, f);
    }
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
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
  return _okno_store_step_done (self->writer, stmt, error);
}

static gboolean as_invalid (GError **error);

gboolean
_okno_store_check_value (const OknoField *field, const OknoValue *v, GError **error)
{
  /* The rule broken is the data's, whoever typed it. */
  return okno_field_check (field, v, error) || as_invalid (error);
}

static gboolean
check_row (const OknoCollection *c, const OknoValue *values, GError **error)
{
  OknoValue zero = { 0 };

  for (guint i = 0; i < c->n_fields; i++)
    if (!_okno_store_check_value (
          &c->fields[i], g_str_equal (c->fields[i].name, "version") ? &zero : &values[i], error))
      return FALSE;
  return TRUE;
}

/* The store's errors say the record broke the replica's rules. */
static gboolean
as_invalid (GError **error)
{
  if (error && *error)
    {
      (*error)->domain = OKNO_STORE_ERROR;
      (*error)->code = OKNO_STORE_ERROR_INVALID;
    }
  return FALSE;
}

void
okno_store_set_author (OknoStore *self, const char *staff_id, const char *branch_id)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (OKNO_IS_STORE (self));

  locker = g_mutex_locker_new (&self->author_lock);
  g_free (self->author_staff_id);
  g_free (self->author_branch_id);
  self->author_staff_id = g_strdup (staff_id);
  self->author_branch_id = g_strdup (branch_id);
}

char *
_okno_store_author (OknoStore *self, OknoDb *db, char **branch_id)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->author_lock);
  char *staff;

  if (self->author_staff_id != NULL)
    {
      if (branch_id)
        *branch_id = g_strdup (self->author_branch_id);
      return g_strdup (self->author_staff_id);
    }
  g_clear_pointer (&locker, g_mutex_locker_free);
  staff = _okno_store_get_meta (db, OKNO_META_STAFF_ID, NULL);
  if (branch_id)
    *branch_id = _okno_store_get_meta (db, OKNO_META_STAFF_BRANCH_ID, NULL);
  return staff;
}

/* With the writer's lock: the author set, else the session's meta. */
static gboolean
claim_author (OknoStore *self, const OknoCollection *c, OknoValue *row, char **staff, char **branch,
              GError **error)
{
  OknoAuthor author;

  *staff = _okno_store_author (self, self->writer, branch);
  author.staff_id = *staff;
  author.branch_id = *staff != NULL ? *branch : NULL;
  return okno_authorship_claim (c, row, &author, error) || as_invalid (error);
}

/* The policy's limits as the replica has them; a malformed value keeps
 * the fallback. */
static void
load_limits (OknoStore *self, OknoLimits *limits)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, "SELECT key, value FROM policy", NULL);

  okno_limits_init (limits);
  while (stmt != NULL && okno_db_step (self->writer, stmt, NULL) == SQLITE_ROW)
    {
      g_autoptr (GError) problem = NULL;

      if (!okno_limits_set (limits, TEXT (stmt, 0), TEXT (stmt, 1), &problem))
        g_warning ("Policy ignored: %s", problem->message);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
}

static gboolean
check_payment (OknoStore *self, const OknoCollection *c, const OknoValue *row,
               const OknoLimits *limits, GError **error)
{
  const OknoValue *account = &row[okno_collection_field_index (c, "account_id")];
  const OknoValue *method = &row[okno_collection_field_index (c, "method")];
  const OknoValue *amount = &row[okno_collection_field_index (c, "amount_kop")];
  sqlite3_stmt *stmt
    = okno_db_prepare (self->writer, "SELECT kind FROM accounts WHERE id = ?", error);
  g_autofree char *kind = NULL;

  if (stmt == NULL)
    return FALSE;
  _okno_store_bind_uuid (stmt, 1, account->text);
  if (okno_db_step (self->writer, stmt, NULL) == SQLITE_ROW)
    kind = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return okno_payment_check (kind, method->text, amount->integer, limits, error)
         || as_invalid (error);
}

/* The bounds of a record's numbers (okno-limits.h), as okno-central will
 * judge them. */
static gboolean
check_bounds (OknoStore *self, const OknoCollection *c, const OknoValue *row, GError **error)
{
  OknoLimits limits;

  if (!g_str_equal (c->name, "payments") && !g_str_equal (c->name, "readings"))
    return TRUE;
  load_limits (self, &limits);
  if (g_str_equal (c->name, "payments"))
    return check_payment (self, c, row, &limits, error);
  return okno_reading_row_check (c, row, &limits, error) || as_invalid (error);
}

/* SELECT of the created row as the server expects it, by its key (?3). */
static char *
create_payload_sql (const OknoCollection *collection)
{
  g_autofree char *payload = row_json_sql (collection);
  g_autofree char *key = _okno_store_from_text_sql (&collection->fields[0], "?3");

  return g_strdup_printf ("SELECT %s FROM %s WHERE %s = %s", payload, collection->name,
                          collection->fields[0].name, key);
}

gboolean
_okno_store_create_in_transaction (OknoStore *self, const OknoCollection *collection,
                                   const OknoValue *values, GError **error)
{
  /* A copy, for the author fields the session fills. */
  g_autofree OknoValue *row = g_memdup2 (values, collection->n_fields * sizeof *values);
  g_autofree char *staff = NULL, *branch = NULL;
  g_autofree char *payload_sql = NULL;

  if (!claim_author (self, collection, row, &staff, &branch, error)
      || !check_row (collection, row, error) || !check_bounds (self, collection, row, error))
    return FALSE;
  payload_sql = create_payload_sql (collection);
  return insert_created (self, collection, row, error)
         && _okno_store_add_outbox (self, collection, row[0].text, "create", -1, payload_sql,
                                    error);
}

gboolean
okno_store_create (OknoStore *self, const OknoCollection *collection, const OknoValue *values,
                   GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);

  locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  if (!okno_db_begin (self->writer, error))
    return FALSE;
  if (!_okno_store_create_in_transaction (self, collection, values, error))
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

gboolean
_okno_store_patchable (const OknoCollection *c, const char *name, const OknoField **out,
                       GError **error)
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
      g_autofree char *column = NULL;
      int rc;

      if (!_okno_store_patchable (c, fields[i], &fc.field, error)
          || !_okno_store_check_value (fc.field, &v, error))
        return NULL;
      g_free (sql);
      column = _okno_store_field_sql (fc.field, NULL);
      sql = g_strdup_printf ("SELECT %s, version FROM %s WHERE %s = ?", column, c->name,
                             c->fields[0].name);
      if ((stmt = okno_db_prepare (self->writer, sql, error)) == NULL)
        return NULL;
      _okno_store_bind_key (stmt, 1, c, key);
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
      _okno_store_bind_field_text (stmt, 1, fc->field, fc->to);
      _okno_store_bind_key (stmt, 2, c, key);
      if (!_okno_store_step_done (self->writer, stmt, error))
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
  return _okno_store_add_outbox (self, c, key, "patch", version, payload->str, error);
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
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
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
