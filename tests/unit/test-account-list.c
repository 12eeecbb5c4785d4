/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The lazy search results as the UI uses them: g_list_model_get_item () on
 * the main thread answers at once with a placeholder, a worker reads the
 * page, the main context fills the same object; the cache stays bounded and
 * a dropped list cancels its reads.
 *
 * The store's _okno_store_read_summaries () is wrapped at link time
 * (-Wl,--wrap) so the test sees which thread reads, can hold a read in
 * flight, and can make one fail. */

#include <locale.h>
#include <string.h>

#include "okno-account-list.h"
#include "okno-store.h"
#include "test-replica.h"
#include "test-rows.h"

#define N_ACCOUNTS 1500
#define PAGE_SIZE  64 /* as okno-account-list.c pages */
#define MAX_PAGES  8  /* as okno-account-list.c caches */

/* --- the wrapped store call -------------------------------------------------- */

static GThread *main_thread;
static gint reads, reads_done, reads_failed, reads_on_main;
static gboolean fail_reads;
static GMutex gate_lock;
static GCond gate_cond;
static gboolean gate_closed, read_waiting;

gboolean __real__okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n,
                                            OknoAccount **out, GError **error);
gboolean __wrap__okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n,
                                            OknoAccount **out, GError **error);

static void
pass_gate (void)
{
  g_mutex_lock (&gate_lock);
  read_waiting = TRUE;
  g_cond_broadcast (&gate_cond);
  while (gate_closed)
    g_cond_wait (&gate_cond, &gate_lock);
  read_waiting = FALSE;
  g_mutex_unlock (&gate_lock);
}

gboolean
__wrap__okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n,
                                   OknoAccount **out, GError **error)
{
  g_atomic_int_inc (&reads);
  /* The gate holds workers only: a read on the main thread is a failure to
   * report, not a hang. */
  if (g_thread_self () == main_thread)
    g_atomic_int_inc (&reads_on_main);
  else
    pass_gate ();
  if (g_atomic_int_get (&fail_reads))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
      g_atomic_int_inc (&reads_failed);
      return FALSE;
    }
  if (!__real__okno_store_read_summaries (self, rowids, n, out, error))
    return FALSE;
  g_atomic_int_inc (&reads_done);
  return TRUE;
}

static void
close_gate (void)
{
  g_mutex_lock (&gate_lock);
  gate_closed = TRUE;
  g_mutex_unlock (&gate_lock);
}

static void
wait_at_gate (void)
{
  g_mutex_lock (&gate_lock);
  while (!read_waiting)
    g_cond_wait (&gate_cond, &gate_lock);
  g_mutex_unlock (&gate_lock);
}

static void
open_gate (void)
{
  g_mutex_lock (&gate_lock);
  gate_closed = FALSE;
  g_cond_broadcast (&gate_cond);
  g_mutex_unlock (&gate_lock);
}

/* --- a replica with N_ACCOUNTS namesakes ------------------------------------ */

typedef struct
{
  TestReplica replica;
  OknoStore *store; /* replica's */
  GListModel *model;
  gint freed; /* items weakly watched that went, up to teardown */
} Fixture;

static char *
holder_at (guint i)
{
  /* Results come sorted by holder: position i holds account i. */
  return g_strdup_printf ("Сидоров Сидор %04u", i);
}

static void
load_accounts (OknoStore *store)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("accounts");
  g_autofree OknoValue *rows = g_new0 (OknoValue, (gsize)N_ACCOUNTS * c->n_fields);
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  const char *last_id = NULL;

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      OknoValue *row = &rows[(gsize)i * c->n_fields];
      g_autofree OknoValue *empty = test_row_new (c);
      char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      char *number = g_strdup_printf ("55%08u", i);
      char *holder = holder_at (i);

      memcpy (row, empty, c->n_fields * sizeof (OknoValue));
      g_ptr_array_add (strings, id);
      g_ptr_array_add (strings, number);
      g_ptr_array_add (strings, holder);
      last_id = id;
      test_row_set_text (c, row, "id", id);
      test_row_set_text (c, row, "number", number);
      test_row_set_text (c, row, "kind", "household");
      test_row_set_text (c, row, "holder", holder);
      test_row_set_text (c, row, "address", "г. Екатеринбург, ул. Луначарского, д. 1");
      test_row_set_text (c, row, "answer_channel", "in_person");
      test_row_set_int (c, row, "capacity_kw", 15);
      test_row_set_text (c, row, "special_category", "none");
      test_row_set_text (c, row, "updated_at", "2026-11-01T10:00:00Z");
      test_row_set_int (c, row, "version", 1);
    }
  g_assert_true (okno_store_snapshot_begin (store, 1, &error));
  g_assert_true (
    okno_store_apply_snapshot_page (store, c, rows, N_ACCOUNTS, last_id, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (store, &error));
  g_assert_no_error (error);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint matches = 0;

  test_replica_setup (&f->replica, data);
  f->store = f->replica.store;
  load_accounts (f->store);
  f->model = okno_store_search (f->store, "Сидоров", 10000, &matches, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches, ==, N_ACCOUNTS);
  g_assert_cmpuint (g_list_model_get_n_items (f->model), ==, N_ACCOUNTS);
  g_atomic_int_set (&reads, 0);
  g_atomic_int_set (&reads_done, 0);
  g_atomic_int_set (&reads_on_main, 0);
  g_atomic_int_set (&fail_reads, FALSE);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->model);
  /* Let reads still running end before the store goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  test_replica_teardown (&f->replica, data);
  g_assert_cmpint (g_atomic_int_get (&reads_on_main), ==, 0);
}

static OknoAccountList *
list (Fixture *f)
{
  return OKNO_ACCOUNT_LIST (f->model);
}

static void
wait_loaded (OknoAccount *item)
{
  while (!okno_account_is_loaded (item))
    g_main_context_iteration (NULL, TRUE);
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
assert_item_is (OknoAccount *item, guint position)
{
  g_autofree char *holder = holder_at (position);
  g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", position);
  g_autofree char *number = g_strdup_printf ("55%08u", position);

  g_assert_true (okno_account_is_loaded (item));
  g_assert_cmpstr (okno_account_get_holder (item), ==, holder);
  g_assert_cmpstr (okno_account_get_id (item), ==, id);
  g_assert_cmpstr (okno_account_get_number (item), ==, number);
  g_assert_cmpstr (okno_account_get_kind (item), ==, "household");
}

/* --- the tests ------------------------------------------------------------------ */

/* (a) at once a placeholder, (b) the same object filled on the main
 * context, its properties notified, (c) read in a worker only. */
static void
test_placeholder_then_filled (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoAccount) item = NULL;
  g_autoptr (OknoAccount) again = NULL;
  g_autofree char *holder = NULL;
  guint loaded_notes = 0, holder_notes = 0;
  gboolean loaded = TRUE;

  close_gate ();
  item = g_list_model_get_item (f->model, 70);
  g_assert_nonnull (item);
  g_assert_false (okno_account_is_loaded (item));
  g_object_get (item, "loaded", &loaded, NULL);
  g_assert_false (loaded);
  g_assert_cmpstr (okno_account_get_id (item), ==, "");
  g_assert_cmpint (okno_account_get_rowid (item), >, 0);
  g_signal_connect (item, "notify::loaded", G_CALLBACK (count_notify), &loaded_notes);
  g_signal_connect (item, "notify::holder", G_CALLBACK (count_notify), &holder_notes);

  /* The worker has read nothing yet; nothing is filled in behind the
   * main context's back either once it has. */
  wait_at_gate ();
  g_assert_false (okno_account_is_loaded (item));
  open_gate ();
  while (g_atomic_int_get (&reads_done) < 1)
    g_thread_yield ();
  g_assert_false (okno_account_is_loaded (item));

  wait_loaded (item);
  assert_item_is (item, 70);
  g_object_get (item, "holder", &holder, NULL);
  g_assert_cmpstr (holder, ==, okno_account_get_holder (item));
  g_assert_cmpuint (loaded_notes, ==, 1);
  g_assert_cmpuint (holder_notes, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&reads), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&reads_on_main), ==, 0);

  /* Cached now: the same object, no read. */
  again = g_list_model_get_item (f->model, 70);
  g_assert_true (again == item);
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, 1);
  g_assert_null (g_list_model_get_item (f->model, N_ACCOUNTS));
}

/* One read per page, even for a page that dropped out of the cache while
 * its read was under way. */
static void
test_one_read_per_page (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoAccount) first = NULL;
  g_autoptr (OknoAccount) neighbour = NULL;
  g_autoptr (OknoAccount) first_again = NULL;

  close_gate ();
  first = g_list_model_get_item (f->model, 0);
  neighbour = g_list_model_get_item (f->model, 1);
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, 1);
  for (guint p = 1; p <= MAX_PAGES; p++)
    g_object_unref (g_list_model_get_item (f->model, p * PAGE_SIZE));
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, MAX_PAGES + 1);
  first_again = g_list_model_get_item (f->model, 0);
  g_assert_true (first_again == first);
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, MAX_PAGES + 1);

  open_gate ();
  wait_loaded (first);
  wait_loaded (neighbour);
  assert_item_is (first, 0);
  assert_item_is (neighbour, 1);
}

/* An item may go in a worker thread, with the task that read its page. */
static void
weak_notify_count (gpointer data, GObject *gone)
{
  g_atomic_int_inc ((gint *)data);
  g_main_context_wakeup (NULL);
}

/* (d) Scrolling through every page keeps at most MAX_PAGES of items. */
static void
test_cache_bounded (Fixture *f, gconstpointer data)
{
  guint n_pages = (N_ACCOUNTS + PAGE_SIZE - 1) / PAGE_SIZE;

  g_assert_cmpuint (n_pages, >, 2 * MAX_PAGES);
  for (guint p = 0; p < n_pages; p++)
    {
      /* As a list view does: the rows of a screen, kept while shown. */
      g_autoptr (OknoAccount) top = g_list_model_get_item (f->model, p * PAGE_SIZE);
      g_autoptr (OknoAccount) bottom = g_list_model_get_item (f->model, p * PAGE_SIZE + 20);

      g_object_weak_ref (G_OBJECT (top), weak_notify_count, &f->freed);
      wait_loaded (top);
      wait_loaded (bottom);
      assert_item_is (top, p * PAGE_SIZE);
      assert_item_is (bottom, p * PAGE_SIZE + 20);
    }
  /* Everything but the last MAX_PAGES pages was let go. */
  g_assert_cmpint (g_atomic_int_get (&f->freed), ==, n_pages - MAX_PAGES);
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, n_pages);

  /* Back at the top: read again, a new placeholder. */
  {
    g_autoptr (OknoAccount) top = g_list_model_get_item (f->model, 0);
    g_assert_false (okno_account_is_loaded (top));
    g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, n_pages + 1);
    wait_loaded (top);
    assert_item_is (top, 0);
  }
  /* The items of the newest pages are still those of the cache. */
  g_object_unref (g_list_model_get_item (f->model, (n_pages - 1) * PAGE_SIZE));
  g_assert_cmpuint (okno_account_list_get_pages_read (list (f)), ==, n_pages + 1);
  g_assert_cmpint (g_atomic_int_get (&reads_on_main), ==, 0);
}

/* (e) A list dropped while its read runs: not kept alive by the read, and
 * the read's end neither fills the items nor touches the gone list. */
static void
test_drop_while_reading (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoAccount) held = NULL;
  GListModel *model = g_steal_pointer (&f->model);
  OknoAccount *other;

  close_gate ();
  held = g_list_model_get_item (model, 3);
  other = g_list_model_get_item (model, 4);
  g_object_weak_ref (G_OBJECT (other), weak_notify_count, &f->freed);
  g_object_unref (other);
  wait_at_gate ();

  g_object_add_weak_pointer (G_OBJECT (model), (gpointer *)&model);
  g_object_unref (model);
  g_assert_null (model);

  open_gate ();
  /* The read's task holds the page; it ends when the task has run its
   * callback on this context. */
  while (g_atomic_int_get (&f->freed) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (okno_account_is_loaded (held));
  g_assert_cmpstr (okno_account_get_holder (held), ==, "");
}

static gint warned;

static void
note_warning (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  g_printerr ("%s\n", message);
  if (strstr (message, "Could not read search results") != NULL)
    g_atomic_int_set (&warned, TRUE);
  g_main_context_wakeup (NULL);
}

/* A page that cannot be read: a warning, its items stay placeholders; the
 * next page is read as usual. In a subprocess, where the warning is not
 * fatal, whatever log domain the store has. */
static void
test_failed_read (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoAccount) item = NULL;
  g_autoptr (OknoAccount) later = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*Could not read search results: disk on fire*");
      return;
    }
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_log_set_default_handler (note_warning, NULL);
  g_atomic_int_set (&fail_reads, TRUE);
  item = g_list_model_get_item (f->model, 200);
  while (g_atomic_int_get (&reads_failed) < 1)
    g_thread_yield ();
  g_atomic_int_set (&fail_reads, FALSE);
  later = g_list_model_get_item (f->model, 1000);
  wait_loaded (later);
  assert_item_is (later, 1000);
  while (!g_atomic_int_get (&warned))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (okno_account_is_loaded (item));
  g_assert_cmpstr (okno_account_get_id (item), ==, "");
}

/* Headless callers (okno-cli) read in the calling thread, into the same
 * items a worker may be filling too. */
static void
test_sync_read (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoAccount) placeholder = NULL;
  g_autoptr (OknoAccount) item = NULL;
  guint loaded_notes = 0;

  close_gate ();
  placeholder = g_list_model_get_item (f->model, 500);
  g_signal_connect (placeholder, "notify::loaded", G_CALLBACK (count_notify), &loaded_notes);
  wait_at_gate ();
  /* Past the gate: the worker's read goes on, and so does this one. */
  open_gate ();
  item = okno_account_list_get_item_sync (list (f), 501, &error);
  g_assert_no_error (error);
  assert_item_is (item, 501);
  g_assert_cmpint (g_atomic_int_get (&reads_on_main), ==, 1);
  /* The page's other items were filled without the main context. */
  assert_item_is (placeholder, 500);
  g_assert_cmpuint (loaded_notes, ==, 1);

  /* The worker's read, when it ends, changes nothing. */
  while (g_atomic_int_get (&reads_done) < 2)
    g_thread_yield ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_item_is (placeholder, 500);
  g_assert_cmpuint (loaded_notes, ==, 1);
  g_atomic_int_set (&reads_on_main, 0); /* this test's own, on purpose */
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/account-list/placeholder-then-filled", test_placeholder_then_filled);
  ADD ("/account-list/one-read-per-page", test_one_read_per_page);
  ADD ("/account-list/cache-bounded", test_cache_bounded);
  ADD ("/account-list/drop-while-reading", test_drop_while_reading);
  ADD ("/account-list/failed-read", test_failed_read);
  ADD ("/account-list/sync-read", test_sync_read);
#undef ADD
  return g_test_run ();
}
