/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Reading one client and the reference data of OknoStore: accounts,
 * meters, policy, calendar, branches and the names the app shows. */

#include <glib/gi18n-lib.h>

#include "okno-store-private.h"

gboolean
_okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n, OknoAccount **out,
                            GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt;

  stmt = okno_db_prepare (self->reader,
                          "SELECT okno_uuid_text (id), number, kind, holder, address,"
                          " special_category, capacity_kw FROM accounts WHERE rowid = ?",
                          error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, rowids[i]);
      rc = okno_db_step (self->reader, stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        out[i] = _okno_account_new (rowids[i], TEXT (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2),
                                    TEXT (stmt, 3), TEXT (stmt, 4), TEXT (stmt, 5),
                                    sqlite3_column_double (stmt, 6));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

OknoAccount *
okno_store_load_account (OknoStore *self, const char *id, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  OknoAccount *account = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (
    self->reader,
    "SELECT rowid, okno_uuid_text (id), number, kind, holder, address, special_category,"
    " capacity_kw, inn, phones, email, answer_channel, balance_kop,"
    " updated_at FROM accounts WHERE id = ?",
    error);
  if (stmt == NULL)
    return NULL;
  _okno_store_bind_uuid (stmt, 1, id);
  rc = okno_db_step (self->reader, stmt, error);
  if (rc == SQLITE_ROW)
    {
      account = _okno_account_new (sqlite3_column_int64 (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2),
                                   TEXT (stmt, 3), TEXT (stmt, 4), TEXT (stmt, 5), TEXT (stmt, 6),
                                   sqlite3_column_double (stmt, 7));
      _okno_account_set_details (account, TEXT (stmt, 8), TEXT (stmt, 9), TEXT (stmt, 10),
                                 TEXT (stmt, 11), sqlite3_column_int64 (stmt, 12), TEXT (stmt, 13));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                 _ ("The account is not in the local database"));
  sqlite3_reset (stmt);
  return account;
}

GListModel *
okno_store_list_meters (OknoStore *self, const char *account_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autoptr (GListStore) meters = g_list_store_new (OKNO_TYPE_METER);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (
    self->reader,
    "SELECT okno_uuid_text (m.id), m.serial, m.model, m.zones, m.location, m.verification_due,"
    " r.taken_on, r.t1, r.t2, r.t3 FROM meters m"
    " LEFT JOIN readings r ON r.id = (SELECT id FROM readings WHERE meter_id = m.id"
    "   ORDER BY taken_on DESC, accepted_at DESC LIMIT 1)"
    " WHERE m.account_id = ? ORDER BY m.serial",
    error);
  if (stmt == NULL)
    return NULL;
  _okno_store_bind_uuid (stmt, 1, account_id);
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr (OknoMeter) m = _okno_meter_new (
        TEXT (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2), sqlite3_column_int (stmt, 3),
        TEXT (stmt, 4), TEXT (stmt, 5), TEXT (stmt, 6), sqlite3_column_int64 (stmt, 7),
        sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 8),
        sqlite3_column_type (stmt, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 9));
      g_list_store_append (meters, m);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&meters));
}

char *
okno_store_get_policy (OknoStore *self, const char *key, const char *fallback)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt
    = okno_db_prepare (self->reader, "SELECT value FROM policy WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return g_strdup (fallback);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, NULL) == SQLITE_ROW)
    value = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return value ? value : g_strdup (fallback);
}

OknoCalendar *
okno_store_load_calendar (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autoptr (OknoCalendar) calendar = okno_calendar_new ();
  sqlite3_stmt *stmt = okno_db_prepare (self->reader, "SELECT day, kind FROM calendar_days", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    if (!okno_calendar_set_day (calendar, TEXT (stmt, 0), TEXT (stmt, 1), error))
      {
        sqlite3_reset (stmt);
        return NULL;
      }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&calendar);
}

void
okno_branch_free (OknoBranch *branch)
{
  if (branch == NULL)
    return;
  g_free (branch->id);
  g_free (branch->code);
  g_free (branch->name);
  g_free (branch->kind);
  g_free (branch);
}

GPtrArray *
okno_store_list_branches (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autoptr (GPtrArray) branches
    = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_branch_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (self->reader,
                          "SELECT okno_uuid_text (id), code, name, kind FROM branches"
                          " ORDER BY name, code",
                          error);
  if (stmt == NULL)
    return NULL;
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    {
      OknoBranch *b = g_new0 (OknoBranch, 1);

      b->id = g_strdup (TEXT (stmt, 0));
      b->code = g_strdup (TEXT (stmt, 1));
      b->name = g_strdup (TEXT (stmt, 2));
      b->kind = g_strdup (TEXT (stmt, 3));
      g_ptr_array_add (branches, b);
    }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&branches);
}

/* One text column of the row with that key, or NULL. */
static char *
lookup_text (OknoStore *self, const char *sql, const char *key, const char *function)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, function);
  sqlite3_stmt *stmt;
  char *text = NULL;

  if (key == NULL || *key == '\0')
    return NULL;
  stmt = okno_db_prepare (self->reader, sql, NULL);
  if (stmt == NULL)
    return NULL;
  _okno_store_bind_uuid (stmt, 1, key);
  if (okno_db_step (self->reader, stmt, NULL) == SQLITE_ROW)
    text = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

char *
okno_store_get_branch_name (OknoStore *self, const char *branch_id)
{
  return lookup_text (self, "SELECT name FROM branches WHERE id = ?", branch_id, G_STRFUNC);
}

char *
okno_store_get_staff_name (OknoStore *self, const char *staff_id)
{
  return lookup_text (self, "SELECT full_name FROM staff WHERE id = ?", staff_id, G_STRFUNC);
}

char *
okno_store_get_account_number (OknoStore *self, const char *account_id)
{
  return lookup_text (self, "SELECT number FROM accounts WHERE id = ?", account_id, G_STRFUNC);
}

/* The names of the records with these ids, for showing a reference: a
 * staff member by full name, a branch by name, an account by number. Ids
 * are UUIDs, so one id names one record whatever its table. */
GHashTable *
okno_store_lookup_names (OknoStore *self, const char *const *ids, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = okno_db_prepare (self->reader,
                                        "SELECT full_name FROM staff WHERE id = ?1"
                                        " UNION ALL SELECT name FROM branches WHERE id = ?1"
                                        " UNION ALL SELECT number FROM accounts WHERE id = ?1"
                                        " LIMIT 1",
                                        error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      int rc;

      _okno_store_bind_uuid (stmt, 1, ids[i]);
      rc = okno_db_step (self->reader, stmt, error);
      if (rc < 0)
        return NULL;
      if (rc == SQLITE_ROW && TEXT (stmt, 0) != NULL)
        g_hash_table_insert (names, g_strdup (ids[i]), g_strdup (TEXT (stmt, 0)));
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&names);
}

/* --- asynchronous ------------------------------------------------------------ */

static gpointer
load_account_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                  GError **error)
{
  return okno_store_load_account (self, args[0], error);
}

void
okno_store_load_account_async (OknoStore *self, const char *id, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_load_account_async, load_account_job, g_object_unref,
                          cancellable, callback, user_data, 1, id);
}

OknoAccount *
okno_store_load_account_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_load_account_async, error);
}

static gpointer
list_meters_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                 GError **error)
{
  return okno_store_list_meters (self, args[0], error);
}

void
okno_store_list_meters_async (OknoStore *self, const char *account_id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_list_meters_async, list_meters_job, g_object_unref,
                          cancellable, callback, user_data, 1, account_id);
}

GListModel *
okno_store_list_meters_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_list_meters_async, error);
}

static gpointer
get_policy_job (OknoStore *self, const char *const *args, GCancellable *cancellable, GError **error)
{
  return okno_store_get_policy (self, args[0], args[1]);
}

void
okno_store_get_policy_async (OknoStore *self, const char *key, const char *fallback,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  _okno_store_read_async (self, okno_store_get_policy_async, get_policy_job, g_free, cancellable,
                          callback, user_data, 2, key, fallback);
}

char *
okno_store_get_policy_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_get_policy_async, error);
}

static gpointer
load_calendar_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                   GError **error)
{
  return okno_store_load_calendar (self, error);
}

void
okno_store_load_calendar_async (OknoStore *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_load_calendar_async, load_calendar_job, g_object_unref,
                          cancellable, callback, user_data, 0);
}

OknoCalendar *
okno_store_load_calendar_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_load_calendar_async, error);
}

static gpointer
list_branches_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                   GError **error)
{
  return okno_store_list_branches (self, error);
}

void
okno_store_list_branches_async (OknoStore *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_async (self, okno_store_list_branches_async, list_branches_job,
                          (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data, 0);
}

GPtrArray *
okno_store_list_branches_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_list_branches_async, error);
}

/* The ids travel as the job's strings. */
static gpointer
lookup_names_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                  GError **error)
{
  return okno_store_lookup_names (self, args, error);
}

void
okno_store_lookup_names_async (OknoStore *self, const char *const *ids, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_read_strv_async (self, okno_store_lookup_names_async, lookup_names_job,
                               (GDestroyNotify)g_hash_table_unref, ids, cancellable, callback,
                               user_data);
}

GHashTable *
okno_store_lookup_names_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish (self, result, okno_store_lookup_names_async, error);
}
