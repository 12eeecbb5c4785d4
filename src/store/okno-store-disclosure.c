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
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM disclosures WHERE account_id = ?", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}
