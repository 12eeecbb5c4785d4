/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Replicas for the store and sync tests, and the local writes they make. */

#include "test-replica.h"

#include <glib/gstdio.h>

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
