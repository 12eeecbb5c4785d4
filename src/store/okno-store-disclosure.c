/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The disclosure log of OknoStore (personal data law). */

#include "okno-store-private.h"
#include "okno-uuid.h"

gboolean
okno_store_log_disclosure (OknoStore *self, const char *staff_id, const char *account_id,
                           const char *basis, const char *what, GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("disclosures");
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *id = okno_uuid7_new ();
  OknoValue v[8] = { { 0 } };

  /* id, at, staff_id, account_id, visit_id, basis, what, version: the log
   * reaches the central system through the outbox like any other record. */
  g_assert (c->n_fields == G_N_ELEMENTS (v));
  v[0].text = id;
  v[1].text = at;
  v[2].text = staff_id;
  v[3].text = account_id;
  v[4].is_null = TRUE;
  v[5].text = basis;
  v[6].text = what;
  return okno_store_create (self, c, v, error);
}

gint64
okno_store_count_disclosures (OknoStore *self, const char *account_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM disclosures WHERE account_id = ?", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  _okno_store_bind_uuid (stmt, 1, account_id);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* --- asynchronous ------------------------------------------------------------ */

static gpointer
log_disclosure_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                    GError **error)
{
  return GINT_TO_POINTER (
    okno_store_log_disclosure (self, args[0], args[1], args[2], args[3], error));
}

void
okno_store_log_disclosure_async (OknoStore *self, const char *staff_id, const char *account_id,
                                 const char *basis, const char *what, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  _okno_store_write_async (self, okno_store_log_disclosure_async, log_disclosure_job, cancellable,
                           callback, user_data, 4, staff_id, account_id, basis, what);
}

gboolean
okno_store_log_disclosure_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_boolean (self, result, okno_store_log_disclosure_async, error);
}

static gpointer
count_disclosures_job (OknoStore *self, const char *const *args, GCancellable *cancellable,
                       GError **error)
{
  return _okno_store_int64_result (okno_store_count_disclosures (self, args[0], error));
}

void
okno_store_count_disclosures_async (OknoStore *self, const char *account_id,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  _okno_store_read_async (self, okno_store_count_disclosures_async, count_disclosures_job, g_free,
                          cancellable, callback, user_data, 1, account_id);
}

gint64
okno_store_count_disclosures_finish (OknoStore *self, GAsyncResult *result, GError **error)
{
  return _okno_store_finish_int64 (self, result, okno_store_count_disclosures_async, error);
}
