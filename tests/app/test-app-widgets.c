/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Every composite widget built from its template, and the client card's
 * rule: nothing personal is shown before the clerk confirms the client's
 * identity, and each disclosure is logged once. Runs under Xvfb. */

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "okno-account-row.h"
#include "okno-appeal-clocks.h"
#include "okno-appeal-form.h"
#include "okno-attention-window.h"
#include "okno-format.h"
#include "okno-client-card.h"
#include "okno-download-page.h"
#include "okno-lock-page.h"
#include "okno-meter-row.h"
#include "okno-money.h"
#include "okno-password-verifier.h"
#include "okno-phone.h"
#include "okno-appeal-paper.h"
#include "okno-preferences-window.h"
#include "okno-print.h"
#include "okno-routing.h"
#include "okno-search-panel.h"
#include "okno-session.h"
#include "okno-settings.h"
#include "okno-sign-in-page.h"
#include "okno-sync-indicator.h"
#include "okno-sync-status.h"
#include "okno-throttle.h"
#include "okno-upgrade-window.h"
#include "okno-window.h"
#include "test-widget-tree.h"

#define HOUSEHOLD_ID "0191aaaa-0000-7000-8000-000000000001"
#define LEGAL_ID     "0191aaaa-0000-7000-8000-000000000002"
#define METER_ID     "0191aaaa-0000-7000-8000-0000000000c1"
#define STAFF_ID     "0191aaaa-0000-7000-8000-0000000000a1"
#define PHONE        "+79123456789"
#define EMAIL        "ivanova.secret@example.org"
#define BALANCE_KOP  (-123456)

/* --- a replica filled through the store's snapshot API ------------------ */

typedef struct
{
  const OknoCollection *collection;
  GArray *values;     /* OknoValue, row after row */
  GPtrArray *strings; /* keeps the texts alive */
} Rows;

static void
rows_init (Rows *rows, const char *collection)
{
  rows->collection = okno_collection_lookup (collection);
  g_assert_nonnull (rows->collection);
  rows->values = g_array_new (FALSE, TRUE, sizeof (OknoValue));
  rows->strings = g_ptr_array_new_with_free_func (g_free);
}

static void
rows_clear (Rows *rows)
{
  g_array_unref (rows->values);
  g_ptr_array_unref (rows->strings);
}

static OknoValue *
value_at (Rows *rows, guint row, const char *field)
{
  int index = okno_collection_field_index (rows->collection, field);

  g_assert_cmpint (index, >=, 0);
  return &g_array_index (rows->values, OknoValue, row * rows->collection->n_fields + index);
}

static void
set_text (Rows *rows, guint row, const char *field, const char *text)
{
  OknoValue *v = value_at (rows, row, field);
  char *copy = g_strdup (text);

  if (copy != NULL)
    g_ptr_array_add (rows->strings, copy);
  v->is_null = copy == NULL;
  v->text = copy;
}

static void
set_number (Rows *rows, guint row, const char *field, double number)
{
  OknoValue *v = value_at (rows, row, field);

  v->is_null = FALSE;
  v->integer = (gint64)number;
  v->real = number;
}

/* A row whose every field holds a valid value of its type. */
static guint
add_row (Rows *rows, const char *key)
{
  const OknoCollection *c = rows->collection;
  guint row = rows->values->len / c->n_fields;

  g_array_set_size (rows->values, rows->values->len + c->n_fields);
  for (guint i = 0; i < c->n_fields; i++)
    {
      const OknoField *f = &c->fields[i];
      const char *text = NULL;

      switch (f->type)
        {
          case OKNO_FIELD_TEXT:
            text = "text";
            break;
          case OKNO_FIELD_CHOICE:
            text = f->choices[0];
            break;
          case OKNO_FIELD_DATE:
            text = "2026-01-15";
            break;
          case OKNO_FIELD_TIMESTAMP:
            text = "2026-01-15T09:30:00Z";
            break;
          case OKNO_FIELD_UUID:
            text = "0191aaaa-0000-7000-8000-00000000ffff";
            break;
          default:
            break;
        }
      if (f->nullable && i > 0)
        set_text (rows, row, f->name, NULL);
      else if (text != NULL)
        set_text (rows, row, f->name, text);
      else
        set_number (rows, row, f->name, 1);
    }
  set_text (rows, row, c->fields[0].name, key);
  return row;
}

static void
rows_apply (OknoStore *store, Rows *rows)
{
  g_autoptr (GError) error = NULL;
  guint n = rows->values->len / rows->collection->n_fields;

  okno_store_apply_snapshot_page (store, rows->collection, (OknoValue *)rows->values->data, n, NULL,
                                  TRUE, &error);
  g_assert_no_error (error);
}

static void
fill_accounts (OknoStore *store)
{
  Rows rows;
  guint r;

  rows_init (&rows, "accounts");
  r = add_row (&rows, HOUSEHOLD_ID);
  set_text (&rows, r, "number", "6612345678");
  set_text (&rows, r, "holder", "Иванова Анна Петровна");
  set_text (&rows, r, "address", "г. Екатеринбург, ул. Ленина, д. 1, кв. 2");
  set_text (&rows, r, "phones", PHONE);
  set_text (&rows, r, "email", EMAIL);
  set_text (&rows, r, "answer_channel", "email");
  set_number (&rows, r, "capacity_kw", 15);
  set_number (&rows, r, "balance_kop", BALANCE_KOP);
  r = add_row (&rows, LEGAL_ID);
  set_text (&rows, r, "number", "ЭС-100200");
  set_text (&rows, r, "kind", "legal_entity");
  set_text (&rows, r, "holder", "АО «Мукомольный комбинат»");
  set_text (&rows, r, "address", "г. Екатеринбург, б-р Культуры, д. 3");
  set_number (&rows, r, "capacity_kw", 1048);
  set_number (&rows, r, "balance_kop", 500);
  rows_apply (store, &rows);
  rows_clear (&rows);
}

static void
fill_meters (OknoStore *store)
{
  Rows meters, readings;
  guint r;

  rows_init (&meters, "meters");
  r = add_row (&meters, METER_ID);
  set_text (&meters, r, "account_id", HOUSEHOLD_ID);
  set_text (&meters, r, "serial", "SER-777");
  set_text (&meters, r, "model", "Нева МТ 124");
  set_number (&meters, r, "zones", 2);
  set_text (&meters, r, "verification_due", "2020-01-01");
  rows_apply (store, &meters);
  rows_clear (&meters);

  rows_init (&readings, "readings");
  r = add_row (&readings, "0191aaaa-0000-7000-8000-0000000000f1");
  set_text (&readings, r, "meter_id", METER_ID);
  set_number (&readings, r, "t1", 4242);
  set_number (&readings, r, "t2", 1717);
  rows_apply (store, &readings);
  rows_clear (&readings);
}

static OknoStore *
open_replica (const char *dir, const char *name, gboolean filled)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = okno_store_open (path, &error);

  g_assert_no_error (error);
  if (!filled)
    return g_steal_pointer (&store);
  okno_store_snapshot_begin (store, 1, &error);
  g_assert_no_error (error);
  fill_accounts (store);
  fill_meters (store);
  okno_store_snapshot_finish (store, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static OknoSession *
new_session (OknoStore *store, gboolean signed_in)
{
  g_autoptr (GSettings) settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  OknoSession *session = okno_session_new (store, settings);
  OknoStaff staff = { STAFF_ID, (char *)"clerk", (char *)"Кузнецова Ольга", (char *)"clerk", NULL };
  g_autoptr (GError) error = NULL;

  if (signed_in)
    {
      okno_session_remember_staff (session, &staff, "http://127.0.0.1:1", &error);
      g_assert_no_error (error);
    }
  return session;
}

/* --- looking into widget trees ---------------------------------------------- */

static gboolean
is_stack_with_page (GtkWidget *widget, gconstpointer page)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), page) != NULL;
}

static GtkStack *
find_stack_with_page (GtkWidget *widget, const char *page)
{
  return GTK_STACK (test_widget_find (widget, is_stack_with_page, page));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
quit_loop_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until check() holds; a generous deadline only turns a
 * hang into a failure, it asserts nothing about speed. */
static gboolean
iterate_until (gboolean (*check) (gpointer), gpointer data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (30, quit_loop_cb, &expired);

  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return !expired;
}

static gboolean
no_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

static void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The widgets under test run on this thread as on the app's UI thread: a
 * synchronous store call from them fails the test (the suite runs with
 * OKNO_STORE_THREAD_CHECK=fatal, and criticals are fatal here anyway). */
static void
forbid_store_calls (gboolean forbidden)
{
  okno_store_forbid_thread (forbidden ? g_thread_self () : NULL);
}

/* The test's own look at the store steps aside from that check. */
static gint64
count_outbox (OknoStore *store, const char *state)
{
  gint64 n;

  forbid_store_calls (FALSE);
  n = okno_store_outbox_count (store, state, NULL);
  forbid_store_calls (TRUE);
  return n;
}

static gint64
count_conflicts (OknoStore *store)
{
  gint64 n;

  forbid_store_calls (FALSE);
  n = okno_store_count_conflicts (store, NULL);
  forbid_store_calls (TRUE);
  return n;
}

/* --- the tests ------------------------------------------------------------------ */

typedef struct
{
  char *dir;
  OknoStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer filled)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("okno-test-app-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_replica (f->dir, "replica.db", GPOINTER_TO_INT (filled));
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer filled)
{
  forbid_store_calls (FALSE);
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->dir);
}

static gboolean
shows_status_title (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_STATUS_PAGE (widget)
         && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

static void
test_templates (Fixture *f, gconstpointer data)
{
  GType types[] = { OKNO_TYPE_SIGN_IN_PAGE,   OKNO_TYPE_DOWNLOAD_PAGE, OKNO_TYPE_LOCK_PAGE,
                    OKNO_TYPE_SEARCH_PANEL,   OKNO_TYPE_ACCOUNT_ROW,   OKNO_TYPE_CLIENT_CARD,
                    OKNO_TYPE_SYNC_INDICATOR, OKNO_TYPE_APPEAL_CLOCKS, OKNO_TYPE_APPEAL_FORM };
  g_autoptr (GSettings) settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  g_autoptr (GtkBuilder) builder = NULL;
  g_autoptr (GListModel) meters = NULL;
  g_autoptr (OknoMeter) meter = NULL;
  GtkWidget *preferences;
  GtkWidget *meter_row;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWidget *widget = g_object_ref_sink (g_object_new (types[i], NULL));

      g_assert_nonnull (gtk_widget_get_first_child (widget));
      g_object_unref (widget);
    }

  meters = okno_store_list_meters (f->store, HOUSEHOLD_ID, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (meters), ==, 1);
  meter = g_list_model_get_item (meters, 0);
  meter_row = g_object_ref_sink (okno_meter_row_new (meter));
  g_assert_true (okno_meter_row_is_overdue (OKNO_METER_ROW (meter_row)));
  g_assert_true (test_widget_holds_text (meter_row, "4,242"));
  g_object_unref (meter_row);

  preferences = okno_preferences_window_new (NULL, settings, f->store);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* While a migration runs: what is happening, said in words, and a bar
   * that moves. */
  {
    GtkWidget *upgrade = okno_upgrade_window_new (NULL);
    GtkProgressBar *bar = GTK_PROGRESS_BAR (test_widget_find_type (upgrade, GTK_TYPE_PROGRESS_BAR));

    gtk_window_present (GTK_WINDOW (upgrade));
    g_assert_nonnull (bar);
    g_assert_nonnull (
      test_widget_find (upgrade, shows_status_title, "Updating the Client Database"));
    gtk_window_destroy (GTK_WINDOW (upgrade));
  }

  builder = gtk_builder_new_from_resource ("/ru/eens/Okno/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static const char *
window_page (OknoWindow *window)
{
  GtkStack *stack = find_stack_with_page (GTK_WIDGET (window), "sign-in");

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (stack);
}

static void
test_window_first_start (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, FALSE);
  OknoWindow *window = okno_window_new (NULL, session);

  g_assert_cmpstr (window_page (window), ==, "sign-in");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_later_start (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, TRUE);
  OknoWindow *window = okno_window_new (NULL, session);

  /* Every start asks who works, with the replica already open behind the
   * page; nothing waits for a server. */
  g_assert_cmpstr (window_page (window), ==, "sign-in");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --- signing in offline, the idle lock ------------------------------------------ */

/* Nothing listens on port 1: the server is out of reach. */
#define UNREACHABLE "http://127.0.0.1:1"

/* What an online sign-in of "clerk" with password "clerk" leaves in the
 * replica's meta (see okno-session.c). */
static void
remember_online_sign_in (OknoStore *store)
{
  g_autofree char *verifier = okno_password_verifier_new ("clerk", NULL);
  const char *meta[][2] = { { "verifier:clerk", verifier },
                            { "staff_id:clerk", STAFF_ID },
                            { "staff_login:clerk", "clerk" },
                            { "staff_name:clerk", "Кузнецова Ольга" },
                            { "staff_role:clerk", "supervisor" } };
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (verifier);
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      okno_store_set_meta (store, meta[i][0], meta[i][1], &error);
      g_assert_no_error (error);
    }
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static void
keep_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
sign_in (OknoSession *session, const char *login, const char *password, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  okno_session_sign_in_async (session, UNREACHABLE, login, password, NULL, keep_result_cb, &result);
  g_assert_true (iterate_until (result_arrived, &result));
  return okno_session_sign_in_finish (session, result, error);
}

static gboolean
unlock (OknoSession *session, const char *password, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  okno_session_unlock_async (session, password, NULL, keep_result_cb, &result);
  g_assert_true (iterate_until (result_arrived, &result));
  return okno_session_unlock_finish (session, result, error);
}

static void
test_session_offline (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  g_autoptr (OknoSession) session = okno_session_new (f->store, settings);
  g_autoptr (GError) error = NULL;

  remember_online_sign_in (f->store);
  g_assert_true (okno_session_knows_login (session, "clerk"));
  g_assert_false (okno_session_knows_login (session, "supervisor"));

  /* A login never seen online here cannot sign in offline. */
  g_assert_false (sign_in (session, "supervisor", "supervisor", &error));
  g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE);
  g_assert_nonnull (strstr (error->message, "Sign in online once on this desktop first"));
  g_clear_error (&error);

  g_assert_false (sign_in (session, "clerk", "wrong", &error));
  g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (okno_session_is_signed_in (session));

  g_assert_true (sign_in (session, "clerk", "clerk", &error));
  g_assert_no_error (error);
  g_assert_true (okno_session_is_signed_in (session));
  g_assert_true (okno_session_is_offline (session));
  g_assert_cmpstr (okno_session_get_staff_id (session), ==, STAFF_ID);
  g_assert_cmpstr (okno_session_get_staff_name (session), ==, "Кузнецова Ольга");
  /* The role came from the replica, without the server. */
  g_assert_cmpstr (okno_session_get_role_label (session), ==, "Supervisor");

  /* The lock checks the same person's password on this computer. */
  g_assert_false (unlock (session, "clerk2", &error));
  g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_true (unlock (session, "clerk", &error));
  g_assert_no_error (error);

  /* Signing out keeps the verifier: offline sign-in still works. */
  okno_session_sign_out (session);
  g_assert_false (okno_session_is_signed_in (session));
  g_assert_true (okno_session_knows_login (session, "clerk"));
}

/* The login's count of failures on this computer, as okno-session keeps
 * it: a test moves "last" back to stand for the time that has passed. */
static void
set_failures (OknoStore *store, guint failures, gint64 last)
{
  g_autofree char *value = g_strdup_printf ("%u %" G_GINT64_FORMAT, failures, last);
  g_autoptr (GError) error = NULL;

  okno_store_set_meta (store, "sign_in_failures:clerk", value, &error);
  g_assert_no_error (error);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Offline sign-in is throttled like sign-in on the server (okno-throttle.h):
 * after enough wrong passwords even the right one waits, and says how long. */
static void
test_session_offline_throttled (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  g_autoptr (OknoSession) session = okno_session_new (f->store, settings);
  g_autoptr (GError) error = NULL;

  remember_online_sign_in (f->store);
  for (guint i = 0; i < OKNO_THROTTLE_LOCK_AFTER; i++)
    {
      g_assert_false (sign_in (session, "clerk", "wrong", &error));
      /* The first few are checked; later ones may be refused unchecked. */
      if (i < OKNO_THROTTLE_SLOW_AFTER)
        g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD);
      else if (!g_error_matches (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD))
        g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_THROTTLED);
      g_clear_error (&error);
    }
  g_assert_false (sign_in (session, "clerk", "clerk", &error));
  g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_THROTTLED);
  g_assert_cmpstr (error->message, ==,
                   "Too many failed sign-in attempts. Try again in 15 minutes.");
  g_clear_error (&error);
  g_assert_false (okno_session_is_signed_in (session));

  /* A window later, the right password works. */
  set_failures (f->store, OKNO_THROTTLE_LOCK_AFTER, now_seconds () - OKNO_THROTTLE_WINDOW);
  g_assert_true (sign_in (session, "clerk", "clerk", &error));
  g_assert_no_error (error);

  /* The idle lock counts the same way. */
  for (guint i = 0; i < OKNO_THROTTLE_LOCK_AFTER; i++)
    {
      g_assert_false (unlock (session, "wrong", &error));
      g_clear_error (&error);
    }
  g_assert_false (unlock (session, "clerk", &error));
  g_assert_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_THROTTLED);
  g_clear_error (&error);
  set_failures (f->store, OKNO_THROTTLE_LOCK_AFTER, now_seconds () - OKNO_THROTTLE_WINDOW);
  g_assert_true (unlock (session, "clerk", &error));
  g_assert_no_error (error);
}

/* glibc's gettext caches what it found; this counter tells it to look
 * again after LANGUAGE changed. */
extern int _nl_msg_cat_cntr;

/* gtk_test_init () leaves the locale at "C", where gettext ignores
 * LANGUAGE; "" is the environment's C.UTF-8, where it does not. */
static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_MESSAGES, g_strcmp0 (language, "C") == 0 ? "C" : "");
  ++_nl_msg_cat_cntr;
}

static gboolean
window_says_wait_in_russian (gpointer data)
{
  return test_widget_shows_text (data,
                                 "Слишком много неудачных попыток входа. Повторите через 15 мин.");
}

/* The sign-in page says how long to wait, in Russian, in minutes. */
static void
test_window_sign_in_throttled (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, FALSE);
  OknoWindow *window;

  remember_online_sign_in (f->store);
  set_failures (f->store, OKNO_THROTTLE_LOCK_AFTER, now_seconds ());
  set_language ("ru");
  window = okno_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  okno_window_sign_in (window, UNREACHABLE, "clerk", "clerk");
  g_assert_true (iterate_until (window_says_wait_in_russian, window));
  g_assert_cmpstr (window_page (window), ==, "sign-in");
  g_assert_false (okno_session_is_signed_in (session));
  gtk_window_destroy (GTK_WINDOW (window));
  set_language ("C");
}

/* The first start has no replica to check a password against. */
static void
test_session_first_start_needs_server (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  g_autoptr (OknoSession) session = okno_session_new (f->store, settings);
  g_autoptr (GError) error = NULL;

  remember_online_sign_in (f->store);
  g_assert_false (sign_in (session, "clerk", "clerk", &error));
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE);
}

static gboolean
window_shows_main (gpointer data)
{
  return g_strcmp0 (window_page (data), "main") == 0;
}

static gboolean
window_shows_lock (gpointer data)
{
  return g_strcmp0 (window_page (data), "lock") == 0;
}

static gboolean
window_says_wrong_password (gpointer data)
{
  return test_widget_shows_text (data, "The password is wrong");
}

static gboolean
window_says_offline (gpointer data)
{
  return test_widget_shows_text (data, "Offline · ");
}

static void
unlock_window (OknoWindow *window, const char *password)
{
  GtkWidget *page = test_widget_find_type (GTK_WIDGET (window), OKNO_TYPE_LOCK_PAGE);
  GtkWidget *entry = test_widget_find_type (page, GTK_TYPE_PASSWORD_ENTRY);

  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  gtk_widget_activate_action (page, "lock.unlock", NULL);
}

static void
test_window_offline_and_idle_lock (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, TRUE);
  OknoWindow *window = okno_window_new (NULL, session);

  remember_online_sign_in (f->store);
  gtk_window_present (GTK_WINDOW (window));
  okno_window_sign_in (window, UNREACHABLE, "clerk", "clerk");
  g_assert_true (iterate_until (window_shows_main, window));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (window), "Signed in offline"));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (window), "Кузнецова Ольга · Supervisor"));
  /* The scheduler tried the server at once: the header says it is out of reach. */
  g_assert_true (iterate_until (window_says_offline, window));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (window), "Not synced yet"));

  /* Idle for a second (no input in this test): the lock page. */
  okno_window_set_idle_lock_seconds (window, 1);
  g_assert_true (iterate_until (window_shows_lock, window));
  unlock_window (window, "wrong");
  g_assert_true (iterate_until (window_says_wrong_password, window));
  g_assert_cmpstr (window_page (window), ==, "lock");
  okno_window_set_idle_lock_seconds (window, 0);
  unlock_window (window, "clerk");
  g_assert_true (iterate_until (window_shows_main, window));

  /* Signing out goes back to the sign-in page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  g_assert_cmpstr (window_page (window), ==, "sign-in");
  g_assert_false (okno_session_is_signed_in (session));
  g_assert_false (test_widget_shows_text (GTK_WIDGET (window), "Offline · "));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
results_shown (gpointer data)
{
  GtkWidget *panel = data;

  return test_widget_shows_text (panel, "6612345678")
         && test_widget_find_type (panel, OKNO_TYPE_ACCOUNT_ROW);
}

/* The lazy results reach real rows through the list item template. */
static void
test_search_panel (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = okno_search_panel_new ();
  GtkWidget *entry;

  /* The list view reads its rows through the lazy results, never on
   * this thread. */
  forbid_store_calls (TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  okno_search_panel_set_store (OKNO_SEARCH_PANEL (panel), f->store);
  gtk_window_present (GTK_WINDOW (window));
  entry = test_widget_find_type (panel, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Иванова");
  g_assert_true (iterate_until (results_shown, panel));
  g_assert_true (test_widget_shows_text (panel, "1 client found"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A search result still being read shows a neutral placeholder; the same
 * row fills in when its item is, and follows only the item it shows. */
static void
test_account_row_loading (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = okno_account_row_new ();
  g_autoptr (OknoAccount) item = _okno_account_new_placeholder (1);
  g_autoptr (OknoAccount) next = _okno_account_new_placeholder (2);
  g_autoptr (OknoAccount) read
    = _okno_account_new (1, HOUSEHOLD_ID, "6612345678", "household", "Иванова Анна Петровна",
                         "г. Екатеринбург, ул. Малышева, д. 51", "none", 15);
  g_autoptr (OknoAccount) other
    = _okno_account_new (2, LEGAL_ID, "ЭС-1143780", "legal_entity", "ООО «Уралтехснаб»",
                         "г. Екатеринбург, пр. Космонавтов, д. 18", "none", 150);

  gtk_window_set_child (GTK_WINDOW (window), row);
  okno_account_row_set_account (OKNO_ACCOUNT_ROW (row), item);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_widget_shows_text (row, "Loading…"));
  g_assert_false (test_widget_shows_text (row, "Account"));

  _okno_account_fill_summary (item, read);
  g_assert_false (test_widget_shows_text (row, "Loading…"));
  g_assert_true (test_widget_shows_text (row, "Иванова Анна Петровна"));
  g_assert_true (test_widget_shows_text (row, "Account 6612345678"));
  g_assert_true (test_widget_shows_text (row, "ул. Малышева"));

  /* Rebound (the list view recycles rows): the first item is not followed. */
  okno_account_row_set_account (OKNO_ACCOUNT_ROW (row), next);
  g_assert_true (test_widget_shows_text (row, "Loading…"));
  g_assert_false (test_widget_holds_text (row, "Иванова"));
  _okno_account_fill_summary (item, other);
  g_assert_true (test_widget_shows_text (row, "Loading…"));
  _okno_account_fill_summary (next, other);
  g_assert_true (test_widget_shows_text (row, "Contract ЭС-1143780"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* In a list narrower than the number and the badge together, the number
 * stays whole (the clerk reads it against the client's paper) and the
 * badge gives way, its full text in its tooltip. */
static void
test_account_row_number_whole (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = okno_account_row_new ();
  g_autoptr (OknoAccount) item = _okno_account_new_placeholder (1);
  g_autoptr (OknoAccount) read
    = _okno_account_new (1, LEGAL_ID, "ЭС-0330608", "sole_trader", "ИП Кравченко Юлия Сергеевна",
                         "г. Екатеринбург, ул. Калинина, д. 62, корп. 3", "none", 15);
  GtkLabel *number, *badge;
  int natural;

  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_set_default_size (GTK_WINDOW (window), 120, -1);
  okno_account_row_set_account (OKNO_ACCOUNT_ROW (row), item);
  _okno_account_fill_summary (item, read);
  gtk_window_present (GTK_WINDOW (window));
  number = test_widget_find_label (row, "Contract ЭС-0330608");
  badge = test_widget_find_label (row, "Sole trader");
  g_assert_nonnull (number);
  g_assert_nonnull (badge);
  g_assert_true (iterate_until (is_allocated, number));

  gtk_widget_measure (GTK_WIDGET (number), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL,
                      NULL);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (number)), >=, natural);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (number)));
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (badge)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (badge)), ==, "Sole trader");
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
spawn_output (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The print path itself (GtkPrintOperation, what the print dialog and its
 * preview draw), exported to PDF: the slip on its 80 mm roll as long as
 * the slip, the letter on A4. */
static void
test_print_export (Fixture *f, gconstpointer data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Yekaterinburg");
  g_autoptr (GDateTime) registered = g_date_time_new (tz, 2026, 12, 4, 14, 5, 0);
  g_autoptr (GDateTime) due = g_date_time_new (tz, 2027, 1, 11, 23, 59, 59);
  OknoAppealPaper a = { .number = "ЦОК-01-07-26-00123",
                        .registered_at = registered,
                        .due = due,
                        .kind = "complaint",
                        .channel = "in_person",
                        .applicant = "Романов Степан Романович",
                        .subject = "Перерасчёт",
                        .answer_channel = "in_person",
                        .answer_text = "Перерасчёт выполнен.",
                        .answered_at = due };
  g_autoptr (OknoDocument) slip = okno_appeal_slip_new (&a, OKNO_PAPER_RECEIPT);
  g_autoptr (OknoDocument) letter = okno_appeal_letter_new (&a);
  g_autofree char *slip_pdf = g_build_filename (g_get_tmp_dir (), "okno-print-slip.pdf", NULL);
  g_autofree char *letter_pdf = g_build_filename (g_get_tmp_dir (), "okno-print-letter.pdf", NULL);
  g_autoptr (GError) error = NULL;
  const char *slip_info[] = { "pdfinfo", slip_pdf, NULL };
  const char *slip_text[] = { "pdftotext", slip_pdf, "-", NULL };
  const char *letter_info[] = { "pdfinfo", letter_pdf, NULL };
  g_autofree char *info = NULL, *text = NULL, *info2 = NULL;

  g_assert_true (okno_print_export (slip, slip_pdf, &error));
  g_assert_no_error (error);
  g_assert_true (okno_print_export (letter, letter_pdf, &error));
  g_assert_no_error (error);
  info = spawn_output (slip_info);
  text = spawn_output (slip_text);
  info2 = spawn_output (letter_info);
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (info, "Page size:       226.77"));
  g_assert_nonnull (strstr (text, "Appeal registration slip"));
  g_assert_nonnull (strstr (text, "ЦОК-01-07-26-00123"));
  g_assert_nonnull (strstr (info2, "Page size:       595.276 x 841.89 pts (A4)"));
  g_unlink (slip_pdf);
  g_unlink (letter_pdf);
}

static void
record_activated (OknoSearchPanel *panel, OknoAccount *account, char **id)
{
  g_free (*id);
  *id = g_strdup (okno_account_get_id (account));
}

static gboolean
has_text (gpointer data)
{
  return *(char **)data != NULL;
}

/* Enter before the results: the first one opens once its row is read,
 * which happens after the results are on screen. */
static void
test_search_panel_activate_loading (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = okno_search_panel_new ();
  g_autofree char *activated = NULL;
  GtkWidget *entry;

  forbid_store_calls (TRUE);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  okno_search_panel_set_store (OKNO_SEARCH_PANEL (panel), f->store);
  g_signal_connect (panel, "account-activated", G_CALLBACK (record_activated), &activated);
  gtk_window_present (GTK_WINDOW (window));
  entry = test_widget_find_type (panel, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Иванова");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (iterate_until (has_text, &activated));
  g_assert_cmpstr (activated, ==, HOUSEHOLD_ID);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gint64
disclosures (OknoStore *store, const char *account_id)
{
  g_autoptr (GError) error = NULL;
  gint64 n;

  forbid_store_calls (FALSE);
  n = okno_store_count_disclosures (store, account_id, &error);
  forbid_store_calls (TRUE);

  g_assert_no_error (error);
  return n;
}

static void
store_result_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

/* The card reads the client in a worker thread: waits until it is shown. */
static void
show (OknoClientCard *card, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  okno_client_card_show_account_async (card, id, NULL, store_result_cb, &result);
  g_assert_true (iterate_until (has_result, &result));
  g_assert_true (okno_client_card_show_account_finish (card, result, &error));
  g_assert_no_error (error);
}

static gboolean
card_identified (gpointer card)
{
  return okno_client_card_get_identified (card);
}

/* A widget showing a text, for iterate_until. */
typedef struct
{
  GtkWidget *widget;
  const char *text;
  gboolean shown; /* wait for it to appear, or to go */
} Showing;

static gboolean
showing (gpointer data)
{
  Showing *s = data;

  return test_widget_shows_text (s->widget, s->text) == s->shown;
}

static void
wait_shown (GtkWidget *widget, const char *text, gboolean shown)
{
  Showing s = { widget, text, shown };

  g_assert_true (iterate_until (showing, &s));
}

static gboolean
is_shown_button (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_is_visible (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  return test_widget_find (widget, is_shown_button, label);
}

/* Asks as the clerk does and clicks the dialog's button with that label. */
static void
answer_identity_question (OknoClientCard *card, const char *button_label)
{
  AdwMessageDialog *dialog;
  GtkWidget *button;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "card.confirm-identity", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  button = find_button (GTK_WIDGET (dialog), button_label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (iterate_until (no_dialog, NULL));
  /* Confirmed: the disclosure is recorded and the meters read first. */
  if (g_str_equal (button_label, "Confirm"))
    g_assert_true (iterate_until (card_identified, card));
}

static void
assert_masked (OknoClientCard *card, const char *money)
{
  GtkWidget *widget = GTK_WIDGET (card);
  g_autofree char *phone = okno_phone_format (PHONE);

  g_assert_false (okno_client_card_get_identified (card));
  g_assert_false (test_widget_holds_text (widget, money));
  g_assert_false (test_widget_holds_text (widget, EMAIL));
  g_assert_false (test_widget_holds_text (widget, phone));
  g_assert_false (test_widget_holds_text (widget, "SER-777"));
  g_assert_true (test_widget_shows_text (widget, "Hidden until the client is identified"));
}

static void
assert_revealed (OknoClientCard *card, const char *money)
{
  GtkWidget *widget = GTK_WIDGET (card);
  g_autofree char *phone = okno_phone_format (PHONE);

  g_assert_true (okno_client_card_get_identified (card));
  g_assert_true (test_widget_shows_text (widget, money));
  g_assert_true (test_widget_shows_text (widget, "Debt"));
  g_assert_true (test_widget_shows_text (widget, EMAIL));
  g_assert_true (test_widget_shows_text (widget, phone));
  g_assert_true (test_widget_shows_text (widget, "SER-777"));
  g_assert_true (test_widget_shows_text (widget, "Verification overdue"));
  g_assert_false (test_widget_shows_text (widget, "Hidden until the client is identified"));
}

static void
test_card_masking (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, TRUE);
  g_autofree char *money = okno_money_format (BALANCE_KOP);
  GtkWidget *window = gtk_window_new ();
  OknoClientCard *card = OKNO_CLIENT_CARD (okno_client_card_new ());
  const char *office = okno_route_explain (OKNO_ROUTE_OFFICE_HIGH_CAPACITY);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (card));
  okno_client_card_set_session (card, session);
  gtk_window_present (GTK_WINDOW (window));
  forbid_store_calls (TRUE);

  show (card, HOUSEHOLD_ID);
  assert_masked (card, money);
  g_assert_false (test_widget_shows_text (GTK_WIDGET (card), office));
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 0);

  /* Cancel shows nothing and logs nothing. */
  answer_identity_question (card, "Cancel");
  assert_masked (card, money);
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 0);

  answer_identity_question (card, "Confirm");
  assert_revealed (card, money);
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 1);

  /* Once identified, asking again does nothing; the same card stays open. */
  gtk_widget_activate_action (GTK_WIDGET (card), "card.confirm-identity", NULL);
  g_assert_null (find_message_dialog ());
  show (card, HOUSEHOLD_ID);
  assert_revealed (card, money);
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 1);

  /* Another client masks again, and warns where a service office serves. */
  show (card, LEGAL_ID);
  assert_masked (card, money);
  g_assert_true (test_widget_shows_text (GTK_WIDGET (card), office));
  g_assert_cmpint (disclosures (f->store, LEGAL_ID), ==, 0);

  /* Back to the first client: identification is asked for anew. */
  show (card, HOUSEHOLD_ID);
  assert_masked (card, money);
  answer_identity_question (card, "Confirm");
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  drain_events ();
}

/* Without a signed-in staff member there is nobody to log the disclosure
 * against, so the data cannot be shown at all. */
static void
test_card_needs_staff (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, FALSE);
  GtkWidget *card = g_object_ref_sink (okno_client_card_new ());

  okno_client_card_set_session (OKNO_CLIENT_CARD (card), session);
  forbid_store_calls (TRUE);
  show (OKNO_CLIENT_CARD (card), HOUSEHOLD_ID);
  gtk_widget_activate_action (card, "card.confirm-identity", NULL);
  g_assert_null (find_message_dialog ());
  g_assert_false (okno_client_card_get_identified (OKNO_CLIENT_CARD (card)));
  g_assert_cmpint (disclosures (f->store, HOUSEHOLD_ID), ==, 0);
  g_object_unref (card);
}

/* A card disposed while it reads a client: the read answers cancelled and
 * nothing touches the disposed widgets. */
static void
test_card_gone_while_reading (Fixture *f, gconstpointer data)
{
  g_autoptr (OknoSession) session = new_session (f->store, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GtkWidget *card = g_object_ref_sink (okno_client_card_new ());

  okno_client_card_set_session (OKNO_CLIENT_CARD (card), session);
  forbid_store_calls (TRUE);
  okno_client_card_show_account_async (OKNO_CLIENT_CARD (card), HOUSEHOLD_ID, NULL, store_result_cb,
                                       &result);
  g_object_run_dispose (G_OBJECT (card));
  g_assert_true (iterate_until (has_result, &result));
  g_assert_false (okno_client_card_show_account_finish (OKNO_CLIENT_CARD (card), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (okno_client_card_get_account (OKNO_CLIENT_CARD (card)));
  g_object_unref (card);
}

/* Feedback the server refused, in the store's outbox. */
static char *
quarantine_feedback (OknoStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) next = NULL;
  OknoOutboxEntry *entry;
  OknoPushResult result = { .status = OKNO_PUSH_REJECTED, .message = "The branch is closed" };
  Rows rows;

  rows_init (&rows, "feedback");
  add_row (&rows, "0191aaaa-0000-7000-8000-00000000eeee");
  okno_store_create (store, rows.collection, (OknoValue *)rows.values->data, &error);
  g_assert_no_error (error);
  rows_clear (&rows);
  next = okno_store_outbox_next (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 1);
  entry = g_ptr_array_index (next, 0);
  result.mutation_id = entry->mutation_id;
  okno_store_outbox_settle (store, &result, 1, &error);
  g_assert_no_error (error);
  return g_strdup (entry->mutation_id);
}

static void
test_attention_window (Fixture *f, gconstpointer data)
{
  g_autofree char *mutation_id = NULL;
  GtkWidget *window, *button;

  forbid_store_calls (TRUE);
  window = okno_attention_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  wait_shown (window, "Nothing Needs Attention", TRUE);
  forbid_store_calls (FALSE);
  mutation_id = quarantine_feedback (f->store);
  forbid_store_calls (TRUE);
  okno_attention_window_reload (OKNO_ATTENTION_WINDOW (window));
  wait_shown (window, "Client feedback · New record", TRUE);
  g_assert_true (test_widget_shows_text (window, "The branch is closed"));

  /* Send Again: the entry is pending again and leaves the list. */
  g_assert_nonnull (find_button (window, "_Discard…"));
  button = find_button (window, "_Send Again");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_shown (window, "The branch is closed", FALSE);
  g_assert_cmpint (count_outbox (f->store, "quarantined"), ==, 0);
  g_assert_cmpint (count_outbox (f->store, "pending"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

#define APPEAL_ID "0191aaaa-0000-7000-8000-0000000000b1"

/* An appeal with two conflicts the server raised: its subject (free text)
 * and its status (a choice), each changed here and elsewhere. */
static void
add_conflicts (OknoStore *store)
{
  Rows appeals, conflicts;
  guint r;

  rows_init (&appeals, "appeals");
  r = add_row (&appeals, APPEAL_ID);
  set_text (&appeals, r, "number", "О-2026-000012");
  set_text (&appeals, r, "subject", "Перерасчёт за октябрь");
  set_text (&appeals, r, "status", "assigned");
  rows_apply (store, &appeals);
  rows_clear (&appeals);

  rows_init (&conflicts, "appeal_conflicts");
  r = add_row (&conflicts, "0191aaaa-0000-7000-8000-0000000000d1");
  set_text (&conflicts, r, "appeal_id", APPEAL_ID);
  set_text (&conflicts, r, "field", "subject");
  set_text (&conflicts, r, "ours", "Перерасчёт за ноябрь");
  set_text (&conflicts, r, "theirs", "Перерасчёт за октябрь");
  set_text (&conflicts, r, "raised_at", "2026-11-27T08:00:00Z");
  r = add_row (&conflicts, "0191aaaa-0000-7000-8000-0000000000d2");
  set_text (&conflicts, r, "appeal_id", APPEAL_ID);
  set_text (&conflicts, r, "field", "status");
  set_text (&conflicts, r, "ours", "in_progress");
  set_text (&conflicts, r, "theirs", "assigned");
  set_text (&conflicts, r, "raised_at", "2026-11-27T09:00:00Z");
  rows_apply (store, &conflicts);
  rows_clear (&conflicts);
  okno_store_set_meta (store, "staff_id", STAFF_ID, NULL);
}

static void
count_cb (gpointer instance, guint *n)
{
  (*n)++;
}

static gboolean
changed_twice (gpointer data)
{
  return *(guint *)data >= 2;
}

static char *
appeal_value (OknoStore *store, const char *field)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (okno_store_get_path (store), OKNO_DB_READ_ONLY, &error);
  g_autofree char *sql
    = g_strdup_printf ("SELECT %s FROM appeals WHERE id = okno_uuid_blob ('%s')", field, APPEAL_ID);
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, &error);
  char *value;

  g_assert_no_error (error);
  g_assert_cmpint (okno_db_step (db, stmt, &error), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

/* Every conflict offers both values to keep; free text can be combined in
 * an editor holding both, a choice only picked. Each decision leaves the
 * list at once and asks for a sync. */
static void
test_attention_conflicts (Fixture *f, gconstpointer data)
{
  GtkWidget *window, *button;
  AdwMessageDialog *dialog;
  GtkWidget *editor;
  g_autofree char *subject = NULL, *status = NULL;
  guint changed = 0;

  add_conflicts (f->store);
  forbid_store_calls (TRUE);
  window = okno_attention_window_new (NULL, f->store);
  g_signal_connect (window, "changed", G_CALLBACK (count_cb), &changed);
  gtk_window_present (GTK_WINDOW (window));
  wait_shown (window, "Appeal О-2026-000012 · Subject", TRUE);
  g_assert_true (test_widget_shows_text (window, "Перерасчёт за ноябрь"));
  g_assert_true (test_widget_shows_text (window, "Перерасчёт за октябрь"));
  /* A status reads as words, and a status is only ever picked. */
  g_assert_true (test_widget_shows_text (window, "In progress"));
  g_assert_true (test_widget_shows_text (window, "Assigned"));
  button = find_button (window, "Combine…");
  g_assert_nonnull (button);

  /* Combine: an editor holding both; what the clerk keeps is the value. */
  g_signal_emit_by_name (button, "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  editor = test_widget_find_type (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_ENTRY);
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor)), ==,
                   "Перерасчёт за октябрь; Перерасчёт за ноябрь");
  gtk_editable_set_text (GTK_EDITABLE (editor), "Перерасчёт за октябрь и ноябрь");
  adw_message_dialog_response (dialog, "keep");
  wait_shown (window, "Перерасчёт за ноябрь", FALSE);
  subject = appeal_value (f->store, "subject");
  g_assert_cmpstr (subject, ==, "Перерасчёт за октябрь и ноябрь");
  g_assert_cmpint (count_conflicts (f->store), ==, 1);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_null (find_button (window, "Combine…"));

  /* The status conflict: the second value is the server's, kept as it is. */
  button = find_button (window, "Keep This Value");
  g_assert_nonnull (button);
  button = gtk_widget_get_next_sibling (gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW));
  g_assert_nonnull (button);
  button = find_button (button, "Keep This Value");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (iterate_until (changed_twice, &changed));
  status = appeal_value (f->store, "status");
  g_assert_cmpstr (status, ==, "assigned");
  g_assert_cmpint (count_conflicts (f->store), ==, 0);
  g_assert_cmpint (count_outbox (f->store, "pending"), ==, 2);
  g_assert_cmpuint (changed, ==, 2);
  wait_shown (window, "Nothing Needs Attention", TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
one_conflict_left (gpointer store)
{
  return count_conflicts (store) == 1;
}

/* A decision the clerk made reaches the store even when the window closes
 * before the worker thread wrote it. */
static void
test_attention_closed_while_writing (Fixture *f, gconstpointer data)
{
  GtkWidget *window, *button;

  add_conflicts (f->store);
  forbid_store_calls (TRUE);
  window = okno_attention_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  wait_shown (window, "Appeal О-2026-000012 · Subject", TRUE);
  button = find_button (window, "Keep This Value");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (iterate_until (one_conflict_left, f->store));
  g_assert_cmpint (count_outbox (f->store, "pending"), ==, 1);
}

/* References read as names and numbers, dates as dates: nobody at the
 * counter knows a staff member by a UUID. One not in the replica yet shows
 * as it is rather than as nothing. */
static void
test_attention_references (Fixture *f, gconstpointer data)
{
  Rows staff, appeals, conflicts;
  GtkWidget *window;
  guint r;
  g_autofree char *due = okno_format_date ("2026-12-01");

  rows_init (&staff, "staff");
  r = add_row (&staff, STAFF_ID);
  set_text (&staff, r, "full_name", "Кузнецова Ольга Петровна");
  rows_apply (f->store, &staff);
  rows_clear (&staff);
  rows_init (&appeals, "appeals");
  r = add_row (&appeals, APPEAL_ID);
  set_text (&appeals, r, "number", "О-2026-000013");
  set_text (&appeals, r, "assignee_id", "0191aaaa-0000-7000-8000-0000000000a9");
  set_text (&appeals, r, "due_on", "2026-12-05");
  rows_apply (f->store, &appeals);
  rows_clear (&appeals);
  rows_init (&conflicts, "appeal_conflicts");
  r = add_row (&conflicts, "0191aaaa-0000-7000-8000-0000000000d3");
  set_text (&conflicts, r, "appeal_id", APPEAL_ID);
  set_text (&conflicts, r, "field", "assignee_id");
  set_text (&conflicts, r, "ours", STAFF_ID);
  set_text (&conflicts, r, "theirs", "0191aaaa-0000-7000-8000-0000000000a9");
  r = add_row (&conflicts, "0191aaaa-0000-7000-8000-0000000000d4");
  set_text (&conflicts, r, "appeal_id", APPEAL_ID);
  set_text (&conflicts, r, "field", "due_on");
  set_text (&conflicts, r, "ours", "2026-12-01");
  set_text (&conflicts, r, "theirs", "2026-12-05");
  rows_apply (f->store, &conflicts);
  rows_clear (&conflicts);

  forbid_store_calls (TRUE);
  window = okno_attention_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  wait_shown (window, "Кузнецова Ольга Петровна", TRUE);
  g_assert_false (test_widget_shows_text (window, STAFF_ID));
  g_assert_true (test_widget_shows_text (window, "0191aaaa-0000-7000-8000-0000000000a9"));
  g_assert_true (test_widget_shows_text (window, due));
  g_assert_false (test_widget_shows_text (window, "2026-12-01"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A status the appeal has moved past is shown but not offered: the server
 * would refuse it. */
static void
test_attention_status_backward (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *window, *button;
  Rows conflicts;
  guint r;

  add_conflicts (f->store);
  /* The other branch answered; this one had only started. */
  g_assert_true (okno_store_resolve_conflict (f->store, "0191aaaa-0000-7000-8000-0000000000d1",
                                              "Тема", STAFF_ID, &error));
  g_assert_true (okno_store_resolve_conflict (f->store, "0191aaaa-0000-7000-8000-0000000000d2",
                                              "answered", STAFF_ID, &error));
  g_assert_no_error (error);
  rows_init (&conflicts, "appeal_conflicts");
  r = add_row (&conflicts, "0191aaaa-0000-7000-8000-0000000000d3");
  set_text (&conflicts, r, "appeal_id", APPEAL_ID);
  set_text (&conflicts, r, "field", "status");
  set_text (&conflicts, r, "ours", "in_progress");
  set_text (&conflicts, r, "theirs", "answered");
  rows_apply (f->store, &conflicts);
  rows_clear (&conflicts);

  forbid_store_calls (TRUE);
  window = okno_attention_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  wait_shown (window, "An appeal’s status cannot go back to this one", TRUE);
  button = find_button (window, "Keep This Value");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));
  button = find_button (
    gtk_widget_get_next_sibling (gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW)),
    "Keep This Value");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_null (find_button (window, "Combine…"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The header's sync status follows its scheduler: nothing without one,
 * the state in words with one, and the attention count as soon as a
 * recount finds changes that wait for a decision. */
static void
recounted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_sync_scheduler_recount_finish (OKNO_SYNC_SCHEDULER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *)data = TRUE;
}

static void
test_sync_indicator (Fixture *f, gconstpointer data)
{
  gboolean recounted = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = okno_client_new ("http://127.0.0.1:1", &error);
  g_autoptr (OknoSyncScheduler) scheduler = NULL;
  GtkWidget *indicator = g_object_ref_sink (okno_sync_indicator_new ());
  g_autofree char *label = NULL;

  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (indicator));
  /* Never started: it sends nothing. */
  scheduler = okno_sync_scheduler_new (client, f->store);
  okno_sync_indicator_set_client (OKNO_SYNC_INDICATOR (indicator), client);
  okno_sync_indicator_set_scheduler (OKNO_SYNC_INDICATOR (indicator), scheduler);
  g_assert_true (gtk_widget_get_visible (indicator));
  label = okno_sync_status_label (okno_sync_scheduler_get_state (scheduler),
                                  okno_sync_scheduler_get_last_sync (scheduler),
                                  okno_sync_scheduler_get_report (scheduler), NULL);
  g_assert_true (test_widget_shows_text (indicator, label));
  g_assert_false (test_widget_shows_text (indicator, "attention"));

  add_conflicts (f->store);
  okno_sync_scheduler_recount_async (scheduler, NULL, recounted_cb, &recounted);
  while (!recounted)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (test_widget_shows_text (indicator, "2 need attention"));

  okno_sync_indicator_set_scheduler (OKNO_SYNC_INDICATOR (indicator), NULL);
  g_assert_false (gtk_widget_get_visible (indicator));
  g_object_unref (indicator);
}

static gboolean
shows_tooltip (GtkWidget *widget, gconstpointer text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  return tooltip != NULL && strstr (tooltip, text) != NULL && gtk_widget_is_visible (widget);
}

/* A widget of the tree whose tooltip holds text. */
static gboolean
tree_has_tooltip (GtkWidget *widget, const char *text)
{
  return test_widget_find (widget, shows_tooltip, text) != NULL;
}

/* Plain HTTP to another computer, allowed in settings, is never silent:
 * the header says "Not encrypted" and its tooltip names the server; over
 * loopback or HTTPS it says nothing. No client here ever connects. */
static void
test_plain_http_warning (Fixture *f, gconstpointer data)
{
  OknoClientTrust allow = { NULL, TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) remote
    = okno_client_new_with_trust ("http://192.0.2.1:8080", &allow, &error);
  g_autoptr (OknoClient) loopback = okno_client_new ("http://127.0.0.1:1", &error);
  g_autoptr (OknoClient) https = okno_client_new ("https://192.0.2.1:8443", &error);
  g_autoptr (OknoSyncScheduler) scheduler = NULL;
  GtkWidget *indicator = g_object_ref_sink (okno_sync_indicator_new ());
  OknoSyncIndicator *self = OKNO_SYNC_INDICATOR (indicator);

  g_assert_no_error (error);
  /* Never started: it sends nothing. */
  scheduler = okno_sync_scheduler_new (remote, f->store);
  okno_sync_indicator_set_client (self, remote);
  okno_sync_indicator_set_scheduler (self, scheduler);
  g_assert_true (test_widget_shows_text (indicator, "Not encrypted"));
  g_assert_true (tree_has_tooltip (indicator, "http://192.0.2.1:8080 over plain HTTP"));
  okno_sync_indicator_set_client (self, loopback);
  g_assert_false (test_widget_shows_text (indicator, "Not encrypted"));
  okno_sync_indicator_set_client (self, https);
  g_assert_false (test_widget_shows_text (indicator, "Not encrypted"));
  okno_sync_indicator_set_scheduler (self, NULL);
  g_object_unref (indicator);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The build's own translations, for the tests that read Russian. */
  if (g_getenv ("OKNO_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("OKNO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* GTK 4.8 warns from a field's cursor blink when a busy form makes the
   * focused field insensitive; the warning is harmless but fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add ("/app/templates", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_templates,
              fixture_tear_down);
  g_test_add ("/app/window/first-start", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_window_first_start, fixture_tear_down);
  g_test_add ("/app/window/later-start", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_window_later_start, fixture_tear_down);
  g_test_add ("/app/session/offline", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_session_offline, fixture_tear_down);
  g_test_add ("/app/session/offline-throttled", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_session_offline_throttled, fixture_tear_down);
  g_test_add ("/app/window/sign-in-throttled", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_window_sign_in_throttled, fixture_tear_down);
  g_test_add ("/app/session/first-start-needs-server", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_session_first_start_needs_server, fixture_tear_down);
  g_test_add ("/app/window/offline-and-idle-lock", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_window_offline_and_idle_lock, fixture_tear_down);
  g_test_add ("/app/attention-window", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_attention_window, fixture_tear_down);
  g_test_add ("/app/attention-window/conflicts", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_attention_conflicts, fixture_tear_down);
  g_test_add ("/app/attention-window/status-backward", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_attention_status_backward, fixture_tear_down);
  g_test_add ("/app/attention-window/closed-while-writing", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_attention_closed_while_writing, fixture_tear_down);
  g_test_add ("/app/attention-window/references", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_attention_references, fixture_tear_down);
  g_test_add ("/app/search-panel/results", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_search_panel, fixture_tear_down);
  g_test_add ("/app/search-panel/activate-loading", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_search_panel_activate_loading, fixture_tear_down);
  g_test_add ("/app/account-row/loading", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_account_row_loading, fixture_tear_down);
  g_test_add ("/app/print/export", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_print_export, fixture_tear_down);
  g_test_add ("/app/account-row/number-whole", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_account_row_number_whole, fixture_tear_down);
  g_test_add ("/app/client-card/masking", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_card_masking, fixture_tear_down);
  g_test_add ("/app/client-card/gone-while-reading", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_card_gone_while_reading, fixture_tear_down);
  g_test_add ("/app/client-card/needs-staff", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_card_needs_staff, fixture_tear_down);
  g_test_add ("/app/sync-indicator", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_sync_indicator, fixture_tear_down);
  g_test_add ("/app/plain-http-warning", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_plain_http_warning, fixture_tear_down);
  return g_test_run ();
}
