/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Replicas for the store and sync tests, and the local writes they make. */

#include "test-replica.h"

#include <glib/gstdio.h>

#include "okno-db.h"
#include "okno-schema.h"
#include "okno-uuid.h"
#include "test-db.h"
#include "test-rows.h"

OknoStore *
test_replica_open (const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  OknoStore *store = okno_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* INSERT INTO main.t (...) SELECT ... FROM cur.t, each 16-byte value
 * back to text; accounts keep their rowids, which the search index uses. */
static char *
copy_table_sql (OknoDb *db, const char *table)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *info = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  sqlite3_stmt *stmt = okno_db_prepare (db, info, &error);
  g_autoptr (GString) names = g_string_new (g_str_equal (table, "accounts") ? "rowid" : "");
  g_autoptr (GString) values = g_string_new (names->str);

  g_assert_no_error (error);
  while (okno_db_step (db, stmt, &error) == SQLITE_ROW)
    {
      const char *c = (const char *)sqlite3_column_text (stmt, 0);
      const char *comma = names->len ? ", " : "";

      g_string_append_printf (names, "%s\"%s\"", comma, c);
      g_string_append_printf (values,
                              "%sCASE typeof (\"%s\") WHEN 'blob' THEN okno_uuid_text (\"%s\")"
                              " ELSE \"%s\" END",
                              comma, c, c, c);
    }
  g_assert_no_error (error);
  sqlite3_reset (stmt);
  return g_strdup_printf ("INSERT INTO main.\"%s\" (%s) SELECT %s FROM cur.\"%s\";", table,
                          names->str, values->str, table);
}

void
test_replica_back_to_v6 (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *old = g_strconcat (path, ".v6", NULL);
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS cur", path);
  g_autoptr (GString) copy = g_string_new ("PRAGMA foreign_keys = OFF; BEGIN;");
  g_autoptr (OknoDb) db = okno_db_open (old, OKNO_DB_READ_WRITE, &error);
  const char *suffixes[] = { "", "-wal", "-shm" };
  sqlite3_stmt *stmt;
  guint n;

  g_assert_no_error (error);
  okno_schema_migrations (&n);
  g_assert_true (okno_db_migrate (db, okno_schema_migrations (&n), 6, &error));
  g_assert_no_error (error);
  g_assert_true (okno_db_exec (db, attach, &error));
  stmt = okno_db_prepare (db,
                          "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'accounts_fts%'"
                          " ORDER BY rowid",
                          &error);
  g_assert_no_error (error);
  while (okno_db_step (db, stmt, &error) == SQLITE_ROW)
    {
      g_autofree char *table = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      g_autofree char *sql = copy_table_sql (db, table);

      g_string_append (copy, sql);
    }
  sqlite3_reset (stmt);
  g_string_append (copy, "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild'); COMMIT;"
                         " DETACH cur;");
  g_assert_true (okno_db_exec (db, copy->str, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_db_get_user_version (db, &error), ==, 6);
  g_clear_object (&db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (old, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (path, suffixes[i], NULL);

      g_remove (to);
      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_assert_cmpint (g_rename (from, to), ==, 0);
    }
}

void
test_replica_setup (TestReplica *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("okno-replica-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = test_replica_open (f->dir, "replica.db");
}

void
test_replica_teardown (TestReplica *f, gconstpointer data)
{
  const char *names[] = { "replica.db", "replica.db-wal", "replica.db-shm" };

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (f->dir, names[i], NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

char *
test_new_payment (OknoStore *store, const char *account, gint64 kop, const char *method)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("payments");
  g_autofree OknoValue *v = test_row_new (c);
  char *id = okno_uuid7_new ();

  test_row_set_text (c, v, "id", id);
  test_row_set_text (c, v, "account_id", account);
  test_row_set_int (c, v, "amount_kop", kop);
  test_row_set_text (c, v, "paid_at", "2026-11-27T07:00:00Z");
  test_row_set_text (c, v, "method", method);
  g_assert_true (okno_store_create (store, c, v, &error));
  g_assert_no_error (error);
  return id;
}

OknoOutboxEntry *
test_only_outbox_entry (OknoStore *store)
{
  g_autoptr (GPtrArray) all = okno_store_outbox_list (store, NULL, NULL);

  g_assert_cmpuint (all->len, ==, 1);
  return g_ptr_array_steal_index (all, 0);
}

gint64
test_payment_copies (const char *db_path, const char *id)
{
  return test_db_count (db_path,
                        "SELECT count(*) FROM payments p JOIN payments q"
                        " ON p.account_id = q.account_id AND p.amount_kop = q.amount_kop"
                        " AND p.paid_at = q.paid_at AND p.method = q.method"
                        " AND p.branch_id IS q.branch_id AND p.receipt IS q.receipt"
                        " AND p.staff_id IS q.staff_id"
                        " WHERE q.id = ?",
                        id);
}
