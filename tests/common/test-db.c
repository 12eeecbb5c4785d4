/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One value read from a database file, for the checks of a test. */

#include "test-db.h"

#include <string.h>

#include "okno-db.h"
#include "okno-uuid.h"

/* A replica (it has snapshot_progress; okno-central's database has not)
 * stores the UUIDs of its collections as 16 bytes from schema step 7 on. */
static gboolean
is_replica (OknoDb *db)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (db,
                       "SELECT 1 FROM sqlite_schema WHERE name = 'snapshot_progress'"
                       " AND (SELECT user_version FROM pragma_user_version) >= 7",
                       NULL);
  gboolean replica = stmt != NULL && okno_db_step (db, stmt, NULL) == SQLITE_ROW;

  if (stmt != NULL)
    sqlite3_reset (stmt);
  return replica;
}

/* Steps sql once; the statement belongs to db. In a replica an argument
 * that is a UUID is bound as its bytes, as the store binds it. */
static sqlite3_stmt *
first_row (OknoDb *db, const char *sql, const char *arg, gboolean *found)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, &error);
  guint8 bytes[OKNO_UUID_BYTES];

  g_assert_no_error (error);
  if (arg != NULL && is_replica (db) && okno_uuid_to_bytes (arg, strlen (arg), bytes))
    sqlite3_bind_blob (stmt, 1, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  *found = okno_db_step (db, stmt, &error) == SQLITE_ROW;
  g_assert_no_error (error);
  return stmt;
}

static OknoDb *
open_read_only (const char *path)
{
  g_autoptr (GError) error = NULL;
  OknoDb *db = okno_db_open (path, OKNO_DB_READ_ONLY, &error);

  g_assert_no_error (error);
  return db;
}

gint64
test_db_count (const char *path, const char *sql, const char *arg)
{
  g_autoptr (OknoDb) db = open_read_only (path);
  gboolean found;
  sqlite3_stmt *stmt = first_row (db, sql, arg, &found);
  gint64 n;

  if (!found)
    g_error ("%s gave no row", sql);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gint64
test_db_count_rows (const char *path, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);

  return test_db_count (path, sql, NULL);
}

char *
test_db_text (const char *path, const char *sql, const char *arg)
{
  g_autoptr (OknoDb) db = open_read_only (path);
  gboolean found;
  sqlite3_stmt *stmt = first_row (db, sql, arg, &found);
  char *text = NULL;

  if (found && sqlite3_column_type (stmt, 0) == SQLITE_BLOB
      && sqlite3_column_bytes (stmt, 0) == OKNO_UUID_BYTES)
    {
      text = g_malloc (OKNO_UUID_TEXT_LENGTH + 1);
      okno_uuid_format (sqlite3_column_blob (stmt, 0), text);
    }
  else if (found && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}
