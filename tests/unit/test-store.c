/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The replica: migrations, snapshot pages, search ranking, lazy results. */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "okno-account-list.h"
#include "okno-schema.h"
#include "okno-store-private.h"
#include "okno-store.h"
#include "test-db.h"

typedef struct
{
  char *dir;
  char *path;
  OknoStore *store;
} Fixture;

static int
latest_schema (void)
{
  guint n;
  const OknoMigration *steps = okno_schema_migrations (&n);

  return steps[n - 1].version;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("okno-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "replica.db", NULL);
  if (data == NULL)
    {
      f->store = okno_store_open (f->path, &error);
      g_assert_no_error (error);
    }
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Builds one accounts row; strings are static or kept by the caller. */
typedef struct
{
  const char *id, *number, *kind, *holder, *address, *phones, *category;
  gint64 balance;
} Acc;

static OknoValue *
account_values (const Acc *rows, guint n)
{
  const OknoCollection *c = okno_collection_lookup ("accounts");
  OknoValue *v = g_new0 (OknoValue, (gsize)n * c->n_fields);

  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < c->n_fields; i++)
      {
        OknoValue *x = &v[(gsize)r * c->n_fields + i];
        const char *name = c->fields[i].name;

#define IS(s) (strcmp (name, s) == 0)
        if (IS ("id"))
          x->text = rows[r].id;
        else if (IS ("number"))
          x->text = rows[r].number;
        else if (IS ("kind"))
          x->text = rows[r].kind ? rows[r].kind : "household";
        else if (IS ("holder"))
          x->text = rows[r].holder;
        else if (IS ("address"))
          x->text = rows[r].address;
        else if (IS ("phones"))
          {
            x->text = rows[r].phones;
            x->is_null = rows[r].phones == NULL;
          }
        else if (IS ("answer_channel"))
          x->text = "in_person";
        else if (IS ("capacity_kw"))
          x->real = 15;
        else if (IS ("special_category"))
          x->text = rows[r].category ? rows[r].category : "none";
        else if (IS ("balance_kop"))
          x->integer = rows[r].balance;
        else if (IS ("updated_at"))
          x->text = "2026-11-01T10:00:00Z";
        else if (IS ("version"))
          x->integer = 1;
        else
          x->is_null = TRUE;
#undef IS
        g_assert_true (okno_field_check (&c->fields[i], x, NULL));
      }
  return v;
}

static const Acc sample[] = {
  { "00000000-0000-4000-8000-000000000001", "660100000017", NULL, "Иванов Иван Петрович",
    "г. Екатеринбург, ул. Ленина, д. 5, кв. 1", "+79123456789", NULL, -123456 },
  { "00000000-0000-4000-8000-000000000002", "660100000018", NULL, "Иванова Мария Сергеевна",
    "г. Екатеринбург, ул. Малышева, д. 51, кв. 12", "+79220001122,+73432101010", NULL, 5000 },
  { "00000000-0000-4000-8000-000000000003", "6601000000", NULL, "Петров Олег Ильич",
    "г. Екатеринбург, ул. Ивановская, д. 51", NULL, NULL, 0 },
  { "00000000-0000-4000-8000-000000000004", "ЭС-1143780", "legal_entity", "ООО «Уралтехснаб»",
    "г. Екатеринбург, пр. Космонавтов, д. 18", "+73432100001", "high_capacity", 0 },
  { "00000000-0000-4000-8000-000000000005", "6601000000170", NULL, "Ёлкина Алёна Викторовна",
    "г. Екатеринбург, ул. 8 Марта, д. 5", NULL, NULL, 0 },
};

static void
load_sample (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree OknoValue *v = account_values (sample, G_N_ELEMENTS (sample));

  g_assert_true (okno_store_snapshot_begin (f->store, 10, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, okno_collection_lookup ("accounts"), v,
                                                 G_N_ELEMENTS (sample), sample[4].id, TRUE,
                                                 &error));
  g_assert_no_error (error);
}

static char **
search_holders (OknoStore *store, const char *query, guint limit, guint *n_matches)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) model = okno_store_search (store, query, limit, n_matches, NULL, &error);
  guint n;
  char **out;

  g_assert_no_error (error);
  n = g_list_model_get_n_items (model);
  out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (OknoAccount) a
        = okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), i, &error);
      g_assert_no_error (error);
      out[i] = g_strdup (okno_account_get_holder (a));
    }
  return out;
}

static void
test_open_new (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (f->path, OKNO_DB_READ_ONLY, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpint (okno_db_get_user_version (db, &error), ==, latest_schema ());
  stmt = okno_db_prepare (db, "PRAGMA journal_mode", &error);
  g_assert_cmpint (okno_db_step (db, stmt, &error), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "wal");
  g_assert_false (okno_store_is_ready (f->store));
  g_assert_cmpint (okno_store_count (f->store, "accounts", &error), ==, 0);
  g_assert_cmpint (okno_store_count (f->store, "no_such_table", &error), ==, -1);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
}

static void
test_migrate_v1 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fixture = g_build_filename (g_getenv ("OKNO_TEST_DATA"), "replica-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr (OknoDb) db = NULL;
  g_auto (GStrv) holders = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr (OknoAccount) account = NULL;
  g_autoptr (GListModel) meters = NULL;
  g_autofree char *typeof_id = NULL;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  db = okno_db_open (f->path, OKNO_DB_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (okno_db_exec (db, sql, &error));
  g_assert_cmpint (okno_db_get_user_version (db, &error), ==, 1);
  /* A disclosure logged under step 1 must reach the server after step 3. */
  g_assert_true (
    okno_db_exec (db,
                  "INSERT INTO disclosure_log (id, at, staff_id, account_id, basis, what)"
                  " VALUES ('00000000-0000-4000-8000-00000000d001',"
                  " '2026-10-25T07:13:00Z', '5b0f6a4e-3c1d-4f7a-9e2b-1a2b3c4d5e6f',"
                  " '0f1e2d3c-4b5a-4697-8877-665544332211', 'identified', 'balance')",
                  &error));
  g_clear_object (&db);

  f->store = okno_store_open (f->path, &error);
  g_assert_no_error (error);
  /* Everything step 1 held is still there, and the new search sees it. */
  g_assert_true (okno_store_is_ready (f->store));
  cursor = okno_store_get_meta (f->store, "cursor", &error);
  g_assert_cmpstr (cursor, ==, "42");
  g_assert_cmpint (okno_store_count (f->store, "accounts", &error), ==, 2);
  g_assert_cmpint (okno_store_count (f->store, "outbox", &error), ==, 2);
  g_assert_cmpint (
    okno_store_count_disclosures (f->store, "0f1e2d3c-4b5a-4697-8877-665544332211", &error), ==, 1);
  holders = search_holders (f->store, "Кузнецова", 10, NULL);
  g_assert_cmpuint (g_strv_length (holders), ==, 1);
  g_clear_pointer (&holders, g_strfreev);
  holders = search_holders (f->store, "912 345", 10, NULL);
  g_assert_cmpuint (g_strv_length (holders), ==, 1);
  g_assert_cmpstr (holders[0], ==, "Кузнецова Анна Сергеевна");

  /* Step 7: the same rows with their UUIDs as bytes, found by their text. */
  account = okno_store_load_account (f->store, "0f1e2d3c-4b5a-4697-8877-665544332211", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (okno_account_get_number (account), ==, "660100000017");
  meters = okno_store_list_meters (f->store, "0f1e2d3c-4b5a-4697-8877-665544332211", &error);
  g_assert_cmpuint (g_list_model_get_n_items (meters), ==, 1);
  typeof_id = test_db_text (f->path,
                            "SELECT group_concat (DISTINCT typeof (meter_id)) FROM readings", NULL);
  g_assert_cmpstr (typeof_id, ==, "blob");
  g_assert_cmpint (test_db_count (f->path, "SELECT count(*) FROM pragma_foreign_key_check", NULL),
                   ==, 0);

  db = okno_db_open (f->path, OKNO_DB_READ_ONLY, &error);
  g_assert_cmpint (okno_db_get_user_version (db, &error), ==, latest_schema ());
}

static void
test_refuse_newer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (f->path, OKNO_DB_READ_WRITE, &error);
  g_autoptr (OknoStore) store = NULL;

  g_assert_true (okno_db_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99", &error));
  store = okno_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_TOO_NEW);
  /* Untouched: a newer Okno can still open it. */
  g_assert_cmpint (okno_db_get_user_version (db, NULL), ==, 99);
}

static void
test_refuse_garbage (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree char *junk = g_strnfill (8192, 'x');

  g_assert_true (g_file_set_contents (f->path, junk, -1, &error));
  store = okno_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_CORRUPT);
}

static void
test_snapshot_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  g_autofree OknoValue *first = account_values (sample, 2);
  g_autofree OknoValue *rest = account_values (sample + 2, 3);
  g_autofree char *after = NULL;
  gboolean done;
  gint64 rows;

  g_assert_true (okno_store_snapshot_begin (f->store, 100, &error));
  g_assert_true (okno_store_snapshot_begin (f->store, 150, &error)); /* resumed later */
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, first, 2, sample[1].id, FALSE, &error));
  g_assert_true (okno_store_snapshot_position (f->store, "accounts", &after, &done, &rows, &error));
  g_assert_cmpstr (after, ==, sample[1].id);
  g_assert_false (done);
  g_assert_cmpint (rows, ==, 2);
  g_assert_false (okno_store_is_ready (f->store));

  /* The same page twice changes nothing. */
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, first, 2, sample[1].id, FALSE, &error));
  g_assert_cmpint (okno_store_count (f->store, "accounts", &error), ==, 2);

  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, rest, 3, sample[4].id, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (okno_store_is_ready (f->store));
  {
    g_autofree char *cursor = okno_store_get_meta (f->store, "cursor", &error);
    /* The earliest snapshot cursor wins, so the feed misses nothing. */
    g_assert_cmpstr (cursor, ==, "100");
  }
}

static void
test_failed_page_leaves_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *meters = okno_collection_lookup ("meters");
  OknoValue v[2 * 9] = { 0 };
  g_autofree char *after = NULL;
  gboolean done;
  gint64 rows;

  load_sample (f);
  /* Two meters; the second has no serial number, which a meter must have. */
  for (guint r = 0; r < 2; r++)
    {
      OknoValue *row = v + r * meters->n_fields;
      row[0].text
        = r ? "00000000-0000-4000-8000-00000000aa02" : "00000000-0000-4000-8000-00000000aa01";
      row[1].text = sample[0].id;
      row[2].text = r ? NULL : "0001";
      row[2].is_null = r == 1;
      row[3].text = "Меркурий 201.8";
      row[4].integer = 1;
      row[5].is_null = TRUE;
      row[6].is_null = TRUE;
      row[7].text = "2030-01-01";
      row[8].integer = 3;
    }
  g_assert_cmpuint (meters->n_fields, ==, 9);
  g_assert_false (okno_store_apply_snapshot_page (f->store, meters, v, 2, v[9].text, TRUE, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_assert_cmpint (okno_store_count (f->store, "meters", NULL), ==, 0);
  g_assert_true (okno_store_snapshot_position (f->store, "meters", &after, &done, &rows, NULL));
  g_assert_null (after);
  g_assert_cmpint (rows, ==, 0);
  g_clear_error (&error);

  /* A snapshot spans time: a meter added on the server after the accounts
   * were fetched names an account that only the change feed brings. The
   * page is stored; the reference is whole once the feed is applied. */
  v[10].text = "00000000-0000-4000-8000-00000000ffff";
  v[11].text = "0002";
  v[11].is_null = FALSE;
  g_assert_true (okno_store_apply_snapshot_page (f->store, meters, v, 2, v[9].text, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_count (f->store, "meters", NULL), ==, 2);
}

static void
test_no_version_regression (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  g_autofree OknoValue *v = account_values (sample, 1);
  int version = okno_collection_field_index (accounts, "version");
  int balance = okno_collection_field_index (accounts, "balance_kop");
  g_autoptr (OknoAccount) a = NULL;

  v[version].integer = 5;
  v[balance].integer = 700;
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, v, 1, sample[0].id, FALSE, &error));
  v[version].integer = 4;
  v[balance].integer = 100;
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, v, 1, sample[0].id, FALSE, &error));
  a = okno_store_load_account (f->store, sample[0].id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (okno_account_get_balance_kop (a), ==, 700);
}

static void
test_search_ranking (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) h = NULL;
  guint n;

  load_sample (f);

  /* Holder matches outrank the street that shares the word. */
  h = search_holders (f->store, "иванов", 10, &n);
  g_assert_cmpuint (g_strv_length (h), ==, 3);
  g_assert_true (g_str_has_prefix (h[0], "Иванов"));
  g_assert_true (g_str_has_prefix (h[1], "Иванов"));
  g_assert_cmpstr (h[2], ==, "Петров Олег Ильич");
  g_clear_pointer (&h, g_strfreev);

  /* Name and address words together narrow down. */
  h = search_holders (f->store, "Иванова Малышева", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_assert_cmpstr (h[0], ==, "Иванова Мария Сергеевна");
  g_clear_pointer (&h, g_strfreev);

  /* Exact account number first, then the numbers that extend it. */
  h = search_holders (f->store, "6601000000", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 4);
  g_assert_cmpstr (h[0], ==, "Петров Олег Ильич");
  g_clear_pointer (&h, g_strfreev);
  h = search_holders (f->store, "660100000017", 10, NULL);
  g_assert_cmpstr (h[0], ==, "Иванов Иван Петрович");
  g_assert_cmpuint (g_strv_length (h), ==, 2); /* ...17 and ...0170 */
  g_clear_pointer (&h, g_strfreev);

  /* A contract number with letters, by its digits or as written. */
  for (guint i = 0; i < 2; i++)
    {
      const char *q[] = { "1143780", "ЭС-1143780" };
      h = search_holders (f->store, q[i], 10, NULL);
      g_assert_cmpuint (g_strv_length (h), ==, 1);
      g_assert_cmpstr (h[0], ==, "ООО «Уралтехснаб»");
      g_clear_pointer (&h, g_strfreev);
    }

  /* A contract number typed in lower case or cut short is found through
   * the number index; a house number with a letter is still a word. */
  for (guint i = 0; i < 3; i++)
    {
      const char *q[] = { "эс-1143780", "ЭС-114", "эс-1" };
      h = search_holders (f->store, q[i], 10, NULL);
      g_assert_cmpuint (g_strv_length (h), ==, 1);
      g_assert_cmpstr (h[0], ==, "ООО «Уралтехснаб»");
      g_clear_pointer (&h, g_strfreev);
    }
  h = search_holders (f->store, "ЭС-9", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 0);
  g_clear_pointer (&h, g_strfreev);

  /* What the search sees while a word is still being typed: one letter. */
  h = search_holders (f->store, "Иванов И", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 3); /* then Иванова, Петров of Ивановская */
  g_assert_cmpstr (h[0], ==, "Иванов Иван Петрович");
  g_clear_pointer (&h, g_strfreev);
  h = search_holders (f->store, "Иванова М", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_assert_cmpstr (h[0], ==, "Иванова Мария Сергеевна");
  g_clear_pointer (&h, g_strfreev);
  h = search_holders (f->store, "П", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 3); /* holders first, then пр. Космонавтов */
  g_assert_cmpstr (h[0], ==, "Иванов Иван Петрович");
  g_assert_cmpstr (h[1], ==, "Петров Олег Ильич");
  g_assert_cmpstr (h[2], ==, "ООО «Уралтехснаб»");
  g_clear_pointer (&h, g_strfreev);

  /* A phone in any spelling, also the second phone of an account. */
  h = search_holders (f->store, "8 (912) 345-67", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_assert_cmpstr (h[0], ==, "Иванов Иван Петрович");
  g_clear_pointer (&h, g_strfreev);
  h = search_holders (f->store, "+7 343 210 10 10", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_assert_cmpstr (h[0], ==, "Иванова Мария Сергеевна");
  g_clear_pointer (&h, g_strfreev);

  /* Ё is found by Е, and a house number is a whole word. */
  h = search_holders (f->store, "елкина", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_clear_pointer (&h, g_strfreev);
  h = search_holders (f->store, "Ленина 5", 10, NULL);
  g_assert_cmpuint (g_strv_length (h), ==, 1);
  g_clear_pointer (&h, g_strfreev);

  /* The limit caps the ids kept and tells that more exist. */
  h = search_holders (f->store, "Екатеринбург", 2, &n);
  g_assert_cmpuint (g_strv_length (h), ==, 2);
  g_assert_cmpuint (n, ==, 3);
}

static void
test_search_bad_input (Fixture *f, gconstpointer data)
{
  const char *queries[]
    = { "",     "   ", "\"",  "Ив*", "NEAR(a b)", "a AND OR NOT", "-", "()", "' OR 1=1 --",
        "\xd0", "😀",   "ул.", "+",   "phones:1" };

  load_sample (f);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) model
        = okno_store_search (f->store, queries[i], 10, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (model);
    }
}

static void
test_lazy_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  const guint n = 1500;
  g_autofree Acc *rows = g_new0 (Acc, n);
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree OknoValue *v = NULL;
  g_autoptr (GListModel) model = NULL;
  guint matches;

  for (guint i = 0; i < n; i++)
    {
      char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      char *num = g_strdup_printf ("55%08u", i);
      g_ptr_array_add (strings, id);
      g_ptr_array_add (strings, num);
      rows[i] = (Acc){ id,   num,  NULL, "Сидоров Сидор", "г. Екатеринбург, ул. Луначарского, д. 1",
                       NULL, NULL, i };
    }
  v = account_values (rows, n);
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, v, n, rows[n - 1].id, TRUE, &error));
  model = okno_store_search (f->store, "Сидоров", 10000, &matches, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches, ==, n);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (okno_account_list_get_pages_read (OKNO_ACCOUNT_LIST (model)), ==, 0);
  /* Read in this thread; test-account-list has the UI's way, a worker. */
  {
    g_autoptr (OknoAccount) last
      = okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), n - 1, &error);
    g_autoptr (OknoAccount) again
      = okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), n - 2, &error);
    g_assert_nonnull (again);
    g_assert_cmpstr (okno_account_get_holder (last), ==, "Сидоров Сидор");
    g_assert_false (okno_account_is_complete (last));
    /* Neighbours share a page: one read, not two. */
    g_assert_cmpuint (okno_account_list_get_pages_read (OKNO_ACCOUNT_LIST (model)), ==, 1);
  }
  for (guint i = 0; i < n; i++)
    g_object_unref (okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), i, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (okno_account_list_get_pages_read (OKNO_ACCOUNT_LIST (model)), ==,
                    (n + 63) / 64 + 1);
  g_assert_null (g_list_model_get_item (model, n));
}

static void
test_account_and_disclosure (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoAccount) a = NULL;
  g_autoptr (GListModel) meters = NULL;

  load_sample (f);
  a = okno_store_load_account (f->store, sample[1].id, &error);
  g_assert_no_error (error);
  g_assert_true (okno_account_is_complete (a));
  g_assert_cmpint (okno_account_get_balance_kop (a), ==, 5000);
  g_assert_cmpstr (okno_account_get_phones (a), ==, "+79220001122,+73432101010");
  meters = okno_store_list_meters (f->store, sample[1].id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (meters), ==, 0);

  g_assert_null (
    okno_store_load_account (f->store, "00000000-0000-4000-8000-0000000000ff", &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (okno_store_count_disclosures (f->store, sample[1].id, NULL), ==, 0);
  /* A disclosure is logged in the name of whoever is signed in. */
  okno_store_set_author (f->store, "00000000-0000-4000-8000-0000000000aa", NULL);
  g_assert_true (okno_store_log_disclosure (f->store, "00000000-0000-4000-8000-0000000000aa",
                                            sample[1].id, "identified", "balance", &error));
  g_assert_cmpint (okno_store_count_disclosures (f->store, sample[1].id, NULL), ==, 1);
}

static void
test_policy_and_calendar (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fallback = okno_store_get_policy (f->store, "high_capacity_kw", "670");
  g_autoptr (OknoCalendar) cal = okno_store_load_calendar (f->store, &error);

  g_assert_cmpstr (fallback, ==, "670");
  g_assert_no_error (error);
  g_assert_nonnull (cal);
}

static gint64
writer_int (OknoStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (store->writer, sql, &error);
  gint64 v;

  g_assert_no_error (error);
  g_assert_cmpint (okno_db_step (store->writer, stmt, &error), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static guint
n_found (OknoStore *store, const char *query)
{
  g_auto (GStrv) holders = search_holders (store, query, 10, NULL);

  return g_strv_length (holders);
}

/* The first download builds the search index once, after its last page of
 * accounts, even when it was cut and resumed in between; a later snapshot
 * over a ready replica keeps the index in step row by row. Pages are written
 * without waiting for the disk, staff's own writes always with. */
static gint64
count_index (Fixture *f, const char *name)
{
  return test_db_count (f->path, "SELECT count(*) FROM sqlite_schema WHERE name = ?", name);
}

/* The indexes the first download defers are those of the schema, as a
 * migrated file has them, and there are no others. */
static void
assert_schema_indexes (Fixture *f)
{
  guint n;
  const OknoSchemaIndex *idx = okno_schema_indexes (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql = test_db_text (
        f->path, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", idx[i].name);

      g_assert_cmpstr (sql, ==, idx[i].sql);
    }
  g_assert_cmpint (
    test_db_count (f->path,
                   "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                   " AND sql IS NOT NULL AND tbl_name NOT IN ('outbox', 'server_rows',"
                   " 'snapshot_progress', 'tickets', 'visits', 'meta')",
                   NULL),
    ==, n);
}

static void
test_schema_indexes (Fixture *f, gconstpointer data)
{
  assert_schema_indexes (f);
}

static void
test_search_index_after_download (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  g_autofree OknoValue *v = account_values (sample, G_N_ELEMENTS (sample));
  g_autofree char *flag = NULL;
  Acc again[3] = { sample[0], sample[1], sample[2] };
  g_autofree OknoValue *r = NULL;

  g_assert_cmpint (writer_int (f->store, "PRAGMA synchronous"), ==, 2 /* FULL */);
  g_assert_true (okno_store_snapshot_begin (f->store, 10, &error));
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, v, 2, sample[1].id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (writer_int (f->store, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (writer_int (f->store, "PRAGMA foreign_keys"), ==, 1);
  flag = okno_store_get_meta (f->store, "search_index_deferred", NULL);
  g_assert_cmpstr (flag, ==, "1");
  g_assert_cmpuint (n_found (f->store, "Иванов"), ==, 0);
  /* The other indexes wait too, each for its collection's last page. */
  g_assert_cmpint (count_index (f, "accounts_number"), ==, 0);
  g_assert_cmpint (count_index (f, "readings_meter"), ==, 0);

  /* The program stops here and starts again: the download resumes. */
  g_clear_object (&f->store);
  f->store = okno_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (okno_store_snapshot_begin (f->store, 10, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, accounts, v + 2 * accounts->n_fields,
                                                 G_N_ELEMENTS (sample) - 2, sample[4].id, TRUE,
                                                 &error));
  g_assert_no_error (error);
  g_clear_pointer (&flag, g_free);
  flag = okno_store_get_meta (f->store, "search_index_deferred", NULL);
  g_assert_null (flag);
  g_assert_cmpint (count_index (f, "accounts_number"), ==, 1);
  g_assert_cmpint (count_index (f, "readings_meter"), ==, 0);
  g_assert_cmpuint (n_found (f->store, "Малышева"), ==, 1);    /* first page */
  g_assert_cmpuint (n_found (f->store, "Космонавтов"), ==, 1); /* after resuming */
  g_assert_cmpuint (n_found (f->store, "Петров Олег"), ==, 1);
  g_assert_cmpuint (n_found (f->store, "912 345"), ==, 1);
  g_assert_true (okno_store_snapshot_finish (f->store, &error));
  g_assert_true (okno_store_is_ready (f->store));
  g_assert_cmpint (count_index (f, "readings_meter"), ==, 1);
  assert_schema_indexes (f);

  /* A new snapshot over the ready replica: the index follows each row. */
  again[2].holder = "Сидоров Олег Ильич";
  r = account_values (again, 3);
  r[3 * accounts->n_fields - 1].integer = 2; /* version */
  g_assert_true (okno_store_snapshot_begin (f->store, 20, &error));
  g_assert_true (
    okno_store_apply_snapshot_page (f->store, accounts, r, 3, again[2].id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (okno_store_get_meta (f->store, "search_index_deferred", NULL));
  g_assert_cmpuint (n_found (f->store, "Сидоров"), ==, 1);
  g_assert_cmpuint (n_found (f->store, "Петров Олег"), ==, 0);
  g_assert_cmpuint (n_found (f->store, "Малышева"), ==, 1);
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
#define ADD_RAW(path, fn)                                                                          \
  g_test_add (path, Fixture, GINT_TO_POINTER (1), fixture_setup, fn, fixture_teardown)

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  ADD ("/store/open-new", test_open_new);
  ADD ("/store/schema-indexes", test_schema_indexes);
  ADD_RAW ("/store/migrate-from-v1", test_migrate_v1);
  ADD_RAW ("/store/refuse-newer", test_refuse_newer);
  ADD_RAW ("/store/refuse-garbage", test_refuse_garbage);
  ADD ("/store/snapshot-pages", test_snapshot_pages);
  ADD ("/store/failed-page-leaves-nothing", test_failed_page_leaves_nothing);
  ADD ("/store/no-version-regression", test_no_version_regression);
  ADD ("/store/search-index-after-download", test_search_index_after_download);
  ADD ("/store/search/ranking", test_search_ranking);
  ADD ("/store/search/bad-input", test_search_bad_input);
  ADD ("/store/search/lazy-list", test_lazy_list);
  ADD ("/store/account-and-disclosure", test_account_and_disclosure);
  ADD ("/store/policy-and-calendar", test_policy_and_calendar);
  return g_test_run ();
}
