/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The change feed of OknoStore: pages of server changes and the cursor
 * after them. */

#include "okno-store-private.h"
#include "okno-meta-keys.h"

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
  return _okno_store_step_done (self->writer, stmt, error);
}

static gboolean
apply_change (OknoStore *self, const OknoChange *ch, GError **error)
{
  const OknoCollection *c = ch->collection;
  g_autofree char *sql = NULL;
  gboolean waiting;

  if (!_okno_store_has_outbox (self, c->name, ch->key, &waiting, error))
    return FALSE;
  if (waiting)
    return keep_server_copy (self, ch, error);
  if (!ch->deleted)
    return _okno_store_upsert_rows (self, c, ch->values, 1, error);
  sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", c->name, c->fields[0].name);
  return _okno_store_exec_record (self, sql, c, ch->key, error);
}

static gboolean apply_changes_locked (OknoStore *self, const OknoChange *changes, guint n,
                                      gint64 cursor, GError **error);

gboolean
okno_store_apply_changes (OknoStore *self, const OknoChange *changes, guint n, gint64 cursor,
                          GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
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
  if (!_okno_store_set_meta (self->writer, OKNO_META_CURSOR, value, error))
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
  cursor = okno_store_get_meta (self, OKNO_META_CURSOR, NULL);
  return cursor ? g_ascii_strtoll (cursor, NULL, 10) : -1;
}
