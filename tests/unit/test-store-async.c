/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The store's asynchronous API, its one cancellation code, and the check
 * that catches a synchronous call on the UI thread. */

#include <glib/gstdio.h>
#include <locale.h>

#include "okno-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("okno-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "replica.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  okno_store_forbid_thread (NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

/* Runs the main loop until the call answered. No deadline: meson's
 * timeout turns a hang into a failure. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static OknoStore *
open_async (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  OknoStore *store;

  okno_store_open_async (path, NULL, result_cb, &slot);
  result = wait_result (&slot);
  store = okno_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* The check is off until the app names its UI thread. */
static void
test_sync_allowed_by_default (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = okno_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (okno_store_set_meta (store, "k", "v", &error));
  g_assert_no_error (error);
}

/* In a child: a synchronous call on the forbidden thread. */
static void
call_sync_on_forbidden_thread (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = okno_store_open (path, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  okno_store_forbid_thread (g_thread_self ());
  value = okno_store_get_meta (store, "staff_id", NULL);
}

/* Criticals are not fatal in the child, so only the variable can make the
 * check abort: without it the call is logged and goes on; with it the run
 * fails. */
static void
test_sync_on_ui_thread (Fixture *f, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      if (g_strcmp0 (g_getenv ("OKNO_TEST_FATAL"), "1") == 0)
        g_setenv ("OKNO_STORE_THREAD_CHECK", "fatal", TRUE);
      else
        g_unsetenv ("OKNO_STORE_THREAD_CHECK");
      call_sync_on_forbidden_thread (g_getenv ("OKNO_TEST_REPLICA"));
      return;
    }
  g_setenv ("OKNO_TEST_REPLICA", f->path, TRUE);

  g_setenv ("OKNO_TEST_FATAL", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr (
    "*CRITICAL*okno_store_get_meta: the store was called on the UI thread*");

  g_setenv ("OKNO_TEST_FATAL", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*okno_store_get_meta*the store was called on the UI thread*");
}

/* Opening runs migrations: it is checked too. */
static void
test_open_on_ui_thread (Fixture *f, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      g_autoptr (OknoStore) store = NULL;

      g_setenv ("OKNO_STORE_THREAD_CHECK", "fatal", TRUE);
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      okno_store_forbid_thread (g_thread_self ());
      store = okno_store_open (g_getenv ("OKNO_TEST_REPLICA"), NULL);
      return;
    }
  g_setenv ("OKNO_TEST_REPLICA", f->path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*okno_store_open*UI thread*");
}

static void
set_meta (OknoStore *store, const char *key, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  okno_store_set_meta_async (store, key, value, NULL, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (okno_store_set_meta_finish (store, result, &error));
  g_assert_no_error (error);
}

static char *
get_meta (OknoStore *store, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  char *value;

  okno_store_get_meta_async (store, key, NULL, result_cb, &slot);
  result = wait_result (&slot);
  value = okno_store_get_meta_finish (store, result, &error);
  g_assert_no_error (error);
  return value;
}

/* With the UI thread forbidden (criticals are fatal here), the whole
 * async API works from it: nothing trips the check. */
static void
test_async_on_ui_thread (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (OknoAccount) account = NULL;
  g_autoptr (GHashTable) names = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autofree char *value = NULL;
  g_autofree char *unset = NULL;
  const char *ids[] = { "0191aaaa-0000-7000-8000-000000000001", NULL };
  GAsyncResult *slot = NULL;

  g_setenv ("OKNO_STORE_THREAD_CHECK", "fatal", TRUE);
  okno_store_forbid_thread (g_thread_self ());
  store = open_async (f->path);

  set_meta (store, "staff_id", "s1");
  value = get_meta (store, "staff_id");
  g_assert_cmpstr (value, ==, "s1");
  /* NULL without an error: an unset key, as the synchronous call says. */
  unset = get_meta (store, "nothing");
  g_assert_null (unset);

  okno_store_load_account_async (store, ids[0], NULL, result_cb, &slot);
  result = wait_result (&slot);
  account = okno_store_load_account_finish (store, result, &error);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
  g_assert_null (account);
  g_clear_error (&error);
  g_clear_object (&result);

  okno_store_lookup_names_async (store, ids, NULL, result_cb, &slot);
  result = wait_result (&slot);
  names = okno_store_lookup_names_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (names), ==, 0);
  g_clear_object (&result);

  okno_store_count_conflicts_async (store, NULL, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_cmpint (okno_store_count_conflicts_finish (store, result, &error), ==, 0);
  g_assert_no_error (error);
  g_clear_object (&result);

  okno_store_list_conflicts_async (store, NULL, result_cb, &slot);
  result = wait_result (&slot);
  conflicts = okno_store_list_conflicts_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_object (&result);

  okno_store_resolve_conflict_async (store, "none", "x", "s1", NULL, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_false (okno_store_resolve_conflict_finish (store, result, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  okno_store_forbid_thread (NULL);
  g_unsetenv ("OKNO_STORE_THREAD_CHECK");
}

/* Cancelled: a read gives G_IO_ERROR_CANCELLED; a write gives it too, yet
 * what it writes is stored. */
static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoStore) store = open_async (f->path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *value = NULL;
  GAsyncResult *slot = NULL;

  g_cancellable_cancel (cancellable);
  okno_store_get_meta_async (store, "staff_id", cancellable, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_null (okno_store_get_meta_finish (store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  okno_store_set_meta_async (store, "staff_id", "kept", cancellable, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_false (okno_store_set_meta_finish (store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  value = get_meta (store, "staff_id");
  g_assert_cmpstr (value, ==, "kept");
}

/* A statement interrupted by its cancellable reports GIO's code, not one
 * of the store's own. */
static void
test_interrupted_statement (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (f->path, OKNO_DB_READ_WRITE, &error);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  okno_db_set_cancellable (db, cancellable);
  g_assert_false (okno_db_exec (db,
                                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                " WHERE i < 10000000) SELECT count (*) FROM n",
                                &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The store's enums have GTypes, for enum properties. */
static void
test_enum_types (void)
{
  g_autoptr (GEnumClass) push = g_type_class_ref (OKNO_TYPE_PUSH_STATUS);
  g_autoptr (GEnumClass) errors = g_type_class_ref (OKNO_TYPE_STORE_ERROR);

  g_assert_true (G_TYPE_IS_ENUM (OKNO_TYPE_PUSH_STATUS));
  g_assert_cmpint (g_enum_get_value_by_nick (push, "conflict")->value, ==, OKNO_PUSH_CONFLICT);
  g_assert_cmpint (g_enum_get_value_by_nick (errors, "busy")->value, ==, OKNO_STORE_ERROR_BUSY);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store-async/thread-check/off-by-default", test_sync_allowed_by_default);
  ADD ("/store-async/thread-check/sync-call", test_sync_on_ui_thread);
  ADD ("/store-async/thread-check/open", test_open_on_ui_thread);
  ADD ("/store-async/thread-check/async-calls", test_async_on_ui_thread);
  ADD ("/store-async/cancelled", test_cancelled);
  ADD ("/store-async/interrupted-statement", test_interrupted_statement);
#undef ADD
  g_test_add_func ("/store-async/enum-types", test_enum_types);
  return g_test_run ();
}
