/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One value read from a database file, for the checks of a test. */

#include "test-db.h"

#include "okno-db.h"

/* Steps sql once; the statement belongs to db. */
static sqlite3_stmt *
first_row (OknoDb *db, const char *sql, const char *arg, gboolean *found)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  if (arg != NULL)
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

  if (found && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}
