/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo generator: deterministic, valid against the descriptors, and
 * realistic in the ways the application relies on. */

#include <stdlib.h>
#include <string.h>

#include "okno-collection.h"
#include "okno-demo.h"

#define ACCOUNTS 3000
#define TODAY    "2026-11-27"

/* Every row the generator produced, copied out of its batches. */
typedef struct
{
  const OknoCollection *collection;
  GPtrArray *rows; /* of OknoValue[n_fields], strings owned */
} Captured;

typedef struct
{
  GPtrArray *collections; /* of Captured, in the order they came */
  GChecksum *checksum;
  guint batches;
  guint largest_batch;
  GString *problems; /* values that failed okno_field_check */
} Capture;

static void
free_row (gpointer data)
{
  OknoValue *row = data;

  /* The number of fields is not stored with the row: the texts are freed
   * through the captured collection instead (see captured_free). */
  g_free (row);
}

static void
captured_free (gpointer data)
{
  Captured *captured = data;

  for (guint r = 0; r < captured->rows->len; r++)
    {
      OknoValue *row = captured->rows->pdata[r];
      for (guint f = 0; f < captured->collection->n_fields; f++)
        g_free ((char *)row[f].text);
    }
  g_ptr_array_unref (captured->rows);
  g_free (captured);
}

static void
capture_free (Capture *capture)
{
  g_ptr_array_unref (capture->collections);
  g_checksum_free (capture->checksum);
  g_string_free (capture->problems, TRUE);
  g_free (capture);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Capture, capture_free)

static void
checksum_value (GChecksum *checksum, const OknoValue *value)
{
  guchar tag = value->is_null ? 0 : 1;

  g_checksum_update (checksum, &tag, 1);
  g_checksum_update (checksum, (const guchar *)&value->integer, sizeof value->integer);
  g_checksum_update (checksum, (const guchar *)&value->real, sizeof value->real);
  if (value->text)
    g_checksum_update (checksum, (const guchar *)value->text, (gssize)strlen (value->text) + 1);
}

static Captured *
current (Capture *capture, const OknoCollection *collection)
{
  Captured *last
    = capture->collections->len ? capture->collections->pdata[capture->collections->len - 1] : NULL;

  if (last != NULL && last->collection == collection)
    return last;
  last = g_new0 (Captured, 1);
  last->collection = collection;
  last->rows = g_ptr_array_new_with_free_func (free_row);
  g_ptr_array_add (capture->collections, last);
  return last;
}

static gboolean
capture_sink (const OknoCollection *collection, const OknoValue *values, guint n_rows,
              gpointer user_data, GError **error)
{
  Capture *capture = user_data;
  Captured *captured = current (capture, collection);

  capture->batches++;
  capture->largest_batch = MAX (capture->largest_batch, n_rows);
  g_checksum_update (capture->checksum, (const guchar *)collection->name, -1);
  for (guint r = 0; r < n_rows; r++)
    {
      OknoValue *row = g_new0 (OknoValue, collection->n_fields);

      for (guint f = 0; f < collection->n_fields; f++)
        {
          const OknoValue *value = &values[r * collection->n_fields + f];
          g_autoptr (GError) local = NULL;

          row[f] = *value;
          row[f].text = g_strdup (value->text);
          checksum_value (capture->checksum, value);
          if (!okno_field_check (&collection->fields[f], value, &local))
            g_string_append_printf (capture->problems, "%s row %u: %s\n", collection->name,
                                    captured->rows->len, local->message);
        }
      g_ptr_array_add (captured->rows, row);
    }
  return TRUE;
}

static Capture *
generate (guint accounts, guint64 seed)
{
  OknoDemoOptions options;
  g_autoptr (GError) error = NULL;
  Capture *capture = g_new0 (Capture, 1);

  capture->collections = g_ptr_array_new_with_free_func (captured_free);
  capture->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  capture->problems = g_string_new (NULL);
  okno_demo_options_init (&options);
  options.accounts = accounts;
  options.seed = seed;
  options.today = TODAY;
  g_assert_true (okno_demo_generate (&options, capture_sink, capture, &error));
  g_assert_no_error (error);
  return capture;
}

/* One generated dataset shared by the tests that only read it. */
static Capture *shared;

static Captured *
find (Capture *capture, const char *name)
{
  for (guint i = 0; i < capture->collections->len; i++)
    {
      Captured *captured = capture->collections->pdata[i];
      if (strcmp (captured->collection->name, name) == 0)
        return captured;
    }
  g_assert_not_reached ();
  return NULL;
}

static const OknoValue *
field (Captured *captured, guint row, const char *name)
{
  int index = okno_collection_field_index (captured->collection, name);

  g_assert_cmpint (index, >=, 0);
  return &((OknoValue *)captured->rows->pdata[row])[index];
}

/* --- the tests --------------------------------------------------------- */

static void
test_deterministic (void)
{
  g_autoptr (Capture) again = generate (ACCOUNTS, 42);
  g_autoptr (Capture) other = generate (ACCOUNTS, 43);

  g_assert_cmpstr (g_checksum_get_string (shared->checksum), ==,
                   g_checksum_get_string (again->checksum));
  g_assert_cmpstr (g_checksum_get_string (shared->checksum), !=,
                   g_checksum_get_string (other->checksum));
}

static void
test_valid_values (void)
{
  if (shared->problems->len > 0)
    g_test_message ("%s", shared->problems->str);
  g_assert_cmpuint (shared->problems->len, ==, 0);
}

static void
test_collection_order (void)
{
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);
  guint c = 0;

  /* Each collection once, in snapshot order, none empty; conflicts,
   * disclosures and the documents of appeals are made by branches as they
   * register and sync, never by the demo. */
  for (guint i = 0; i < n; i++)
    {
      Captured *captured;

      if (strcmp (all[i]->name, "appeal_conflicts") == 0
          || strcmp (all[i]->name, "disclosures") == 0
          || strcmp (all[i]->name, "appeal_documents") == 0)
        continue;
      g_assert_cmpuint (c, <, shared->collections->len);
      captured = shared->collections->pdata[c++];
      g_assert_true (captured->collection == all[i]);
      g_assert_cmpuint (captured->rows->len, >, 0);
    }
  g_assert_cmpuint (c, ==, shared->collections->len);
  g_assert_cmpuint (shared->largest_batch, <=, OKNO_DEMO_BATCH_ROWS);
  g_assert_cmpuint (find (shared, "accounts")->rows->len, ==, ACCOUNTS);
}

static void
test_unique_keys (void)
{
  for (guint i = 0; i < shared->collections->len; i++)
    {
      Captured *captured = shared->collections->pdata[i];
      g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint r = 0; r < captured->rows->len; r++)
        {
          const char *key = ((OknoValue *)captured->rows->pdata[r])[0].text;
          if (!g_hash_table_add (keys, (gpointer)key))
            g_error ("%s: key %s twice", captured->collection->name, key);
        }
    }
}

static void
test_unique_account_numbers (void)
{
  Captured *accounts = find (shared, "accounts");
  g_autoptr (GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < accounts->rows->len; r++)
    {
      const char *number = field (accounts, r, "number")->text;
      const char *kind = field (accounts, r, "kind")->text;

      if (!g_hash_table_add (numbers, (gpointer)number))
        g_error ("account number %s twice", number);
      if (strcmp (kind, "household") == 0)
        {
          gsize len = strlen (number);
          g_assert_cmpuint (len, >=, 10);
          g_assert_cmpuint (len, <=, 12);
          for (gsize c = 0; c < len; c++)
            g_assert_true (g_ascii_isdigit (number[c]));
          g_assert_true (field (accounts, r, "inn")->is_null);
        }
      else
        g_assert_false (field (accounts, r, "inn")->is_null);
    }
}

static guint
count_value (Captured *captured, const char *name, const char *value)
{
  guint n = 0;

  for (guint r = 0; r < captured->rows->len; r++)
    {
      const OknoValue *v = field (captured, r, name);
      n += !v->is_null && strcmp (v->text, value) == 0;
    }
  return n;
}

static void
test_kinds_and_categories (void)
{
  Captured *accounts = find (shared, "accounts");
  guint households = count_value (accounts, "kind", "household");

  for (guint i = 0; okno_client_kinds[i]; i++)
    g_assert_cmpuint (count_value (accounts, "kind", okno_client_kinds[i]), >, 0);
  for (guint i = 0; okno_special_categories[i]; i++)
    g_assert_cmpuint (count_value (accounts, "special_category", okno_special_categories[i]), >, 0);
  /* About 85 % households. */
  g_assert_cmpuint (households, >, ACCOUNTS * 80 / 100);
  g_assert_cmpuint (households, <, ACCOUNTS * 90 / 100);
  /* 2.1.1.1: high capacity is 670 kW or more, and nobody else reaches it. */
  for (guint r = 0; r < accounts->rows->len; r++)
    {
      gboolean high = strcmp (field (accounts, r, "special_category")->text, "high_capacity") == 0;
      double kw = field (accounts, r, "capacity_kw")->real;

      if (high)
        g_assert_cmpfloat (kw, >=, 670);
      else
        g_assert_cmpfloat (kw, <, 670);
    }
}

static void
test_feminine_names (void)
{
  Captured *accounts = find (shared, "accounts");
  guint checked = 0;

  /* A woman's patronymic ends in -вна/-чна and her surname agrees: no
   * "Иванов Мария Петровна". */
  for (guint r = 0; r < accounts->rows->len; r++)
    {
      g_auto (GStrv) words = NULL;

      if (strcmp (field (accounts, r, "kind")->text, "household") != 0)
        continue;
      words = g_strsplit (field (accounts, r, "holder")->text, " ", -1);
      g_assert_cmpuint (g_strv_length (words), ==, 3);
      if (g_str_has_suffix (words[2], "на"))
        {
          g_assert_false (g_str_has_suffix (words[0], "ов") || g_str_has_suffix (words[0], "ев")
                          || g_str_has_suffix (words[0], "ин")
                          || g_str_has_suffix (words[0], "ский"));
          checked++;
        }
      else
        g_assert_true (g_str_has_suffix (words[2], "ич"));
    }
  g_assert_cmpuint (checked, >, 0);
}

typedef struct
{
  char *taken_on;
  gint64 t[3];
  gboolean has[3];
} Reading;

static gint
compare_readings (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Reading *const *)a)->taken_on, (*(Reading *const *)b)->taken_on);
}

static void
test_readings_monotonic (void)
{
  Captured *meters = find (shared, "meters");
  Captured *readings = find (shared, "readings");
  g_autoptr (GHashTable) zones = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) by_meter
    = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;
  static const char *const t[] = { "t1", "t2", "t3" };

  for (guint r = 0; r < meters->rows->len; r++)
    g_hash_table_insert (zones, (gpointer)field (meters, r, "id")->text,
                         GINT_TO_POINTER ((int)field (meters, r, "zones")->integer));
  for (guint r = 0; r < readings->rows->len; r++)
    {
      const char *meter = field (readings, r, "meter_id")->text;
      int n_zones = GPOINTER_TO_INT (g_hash_table_lookup (zones, meter));
      GPtrArray *list = g_hash_table_lookup (by_meter, meter);
      Reading *reading = g_new0 (Reading, 1);

      g_assert_cmpint (n_zones, >=, 1);
      reading->taken_on = (char *)field (readings, r, "taken_on")->text;
      for (int z = 0; z < 3; z++)
        {
          const OknoValue *v = field (readings, r, t[z]);
          /* A register is present exactly when the meter has that zone. */
          g_assert_true (v->is_null == (z >= n_zones));
          reading->has[z] = !v->is_null;
          reading->t[z] = v->integer;
        }
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_meter, (gpointer)meter, list);
        }
      g_ptr_array_add (list, reading);
    }
  g_assert_cmpuint (g_hash_table_size (by_meter), >, 0);
  g_hash_table_iter_init (&iter, by_meter);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *list = value;

      g_ptr_array_sort (list, compare_readings);
      for (guint i = 1; i < list->len; i++)
        {
          Reading *before = list->pdata[i - 1], *after = list->pdata[i];

          g_assert_cmpstr (before->taken_on, <, after->taken_on);
          for (int z = 0; z < 3; z++)
            if (after->has[z])
              g_assert_cmpint (after->t[z], >, before->t[z]);
        }
    }
}

/* Every reference points at a row that exists. */
static void
assert_refers (const char *child, const char *column, const char *parent)
{
  Captured *from = find (shared, child);
  Captured *to = find (shared, parent);
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < to->rows->len; r++)
    g_hash_table_add (keys, (gpointer)((OknoValue *)to->rows->pdata[r])[0].text);
  for (guint r = 0; r < from->rows->len; r++)
    {
      const OknoValue *v = field (from, r, column);
      if (!v->is_null && !g_hash_table_contains (keys, v->text))
        g_error ("%s.%s = %s is not in %s", child, column, v->text, parent);
    }
}

static void
test_references (void)
{
  assert_refers ("staff", "branch_id", "branches");
  assert_refers ("windows", "branch_id", "branches");
  assert_refers ("accounts", "branch_id", "branches");
  assert_refers ("meters", "account_id", "accounts");
  assert_refers ("readings", "meter_id", "meters");
  assert_refers ("readings", "staff_id", "staff");
  assert_refers ("payments", "account_id", "accounts");
  assert_refers ("payments", "staff_id", "staff");
  assert_refers ("appeals", "account_id", "accounts");
  assert_refers ("appeals", "assignee_id", "staff");
  assert_refers ("appeals", "topic_id", "appeal_topics");
  assert_refers ("appeals", "registered_by", "staff");
  assert_refers ("appeal_events", "appeal_id", "appeals");
  assert_refers ("appeal_events", "staff_id", "staff");
  assert_refers ("feedback", "reviewed_by", "staff");
  assert_refers ("feedback", "account_id", "accounts");
  assert_refers ("appointments", "topic_id", "queue_topics");
  assert_refers ("appointments", "account_id", "accounts");
  /* Every demo appeal is filed under a topic. */
  {
    Captured *appeals = find (shared, "appeals");

    for (guint r = 0; r < appeals->rows->len; r++)
      g_assert_false (field (appeals, r, "topic_id")->is_null);
  }
}

static void
test_special_data (void)
{
  Captured *policy = find (shared, "policy");
  Captured *staff = find (shared, "staff");
  static const char *const expected[][2] = {
    { "appeal_answer_days", "30" },
    { "registration_working_days", "1" },
    { "refusal_notice_working_days", "5" },
    { "extension_working_days", "20" },
    { "termination_notice_working_days", "10" },
    { "deadline_warning_percent", "80" },
    { "branch_time_zone", "Asia/Yekaterinburg" },
    { "phone_answer_minutes", "3" },
    { "high_capacity_kw", "670" },
  };
  const OknoDemoUser *users;
  guint n_users;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;
      for (guint r = 0; r < policy->rows->len; r++)
        if (strcmp (field (policy, r, "key")->text, expected[i][0]) == 0)
          {
            g_assert_cmpstr (field (policy, r, "value")->text, ==, expected[i][1]);
            found = TRUE;
          }
      g_assert_true (found);
    }
  users = okno_demo_users (&n_users);
  g_assert_cmpuint (n_users, >=, 3);
  for (guint u = 0; u < n_users; u++)
    {
      gboolean found = FALSE;
      for (guint r = 0; r < staff->rows->len; r++)
        if (strcmp (field (staff, r, "login")->text, users[u].login) == 0)
          {
            g_assert_cmpstr (field (staff, r, "role")->text, ==, users[u].role);
            g_assert_cmpint (field (staff, r, "active")->integer, ==, 1);
            found = TRUE;
          }
      g_assert_true (found);
    }
  g_assert_cmpuint (find (shared, "kb_articles")->rows->len, >=, 15);
  g_assert_cmpuint (find (shared, "branches")->rows->len, >=, 2);
  g_assert_cmpuint (count_value (find (shared, "appeals"), "status", "closed"), >, 0);
  g_assert_cmpuint (count_value (find (shared, "appeals"), "status", "in_progress"), >, 0);
  for (guint i = 0; okno_feedback_kinds[i]; i++)
    g_assert_cmpuint (count_value (find (shared, "feedback"), "kind", okno_feedback_kinds[i]), >,
                      0);
}

static void
test_calendar (void)
{
  Captured *days = find (shared, "calendar_days");
  guint working[4] = { 0 };

  /* Every day of 2024-2027, the shipped calendar's years; the official
   * counts of working days (decrees No. 1314, No. 1335 and No. 1466) are
   * 248 for 2024 and 247 for 2025 and 2026. */
  g_assert_cmpuint (days->rows->len, ==, 366 + 365 * 3);
  for (guint r = 0; r < days->rows->len; r++)
    {
      const char *day = field (days, r, "day")->text;
      const char *kind = field (days, r, "kind")->text;
      int year = atoi (day);

      if (strcmp (kind, "working") == 0 || strcmp (kind, "short") == 0)
        working[year - 2024]++;
      if (strcmp (day, "2026-01-07") == 0 || strcmp (day, "2026-05-09") == 0)
        g_assert_cmpstr (kind, ==, "holiday");
      if (strcmp (day, "2025-11-01") == 0 || strcmp (day, "2024-11-02") == 0)
        g_assert_cmpstr (kind, ==, "short"); /* a working Saturday */
      if (strcmp (day, "2024-04-27") == 0)
        g_assert_cmpstr (kind, ==, "working"); /* a working Saturday */
      if (strcmp (day, "2026-01-09") == 0)
        g_assert_cmpstr (kind, ==, "weekend"); /* moved from 3 January */
    }
  g_assert_cmpuint (working[0], ==, 248);
  g_assert_cmpuint (working[1], ==, 247);
  g_assert_cmpuint (working[2], ==, 247);
  g_assert_cmpuint (working[3], >, 240);
}

static void
test_nothing_in_the_future (void)
{
  /* The data describes the early morning of TODAY in Ekaterinburg (UTC+5);
   * only bookings lie ahead. */
  const char *now = TODAY "T02:00:00Z";

  for (guint i = 0; i < shared->collections->len; i++)
    {
      Captured *captured = shared->collections->pdata[i];
      const OknoCollection *c = captured->collection;

      for (guint f = 0; f < c->n_fields; f++)
        {
          if (c->fields[f].type != OKNO_FIELD_TIMESTAMP
              || (strcmp (c->name, "appointments") == 0
                  && strcmp (c->fields[f].name, "starts_at") == 0))
            continue;
          for (guint r = 0; r < captured->rows->len; r++)
            {
              const OknoValue *v = &((OknoValue *)captured->rows->pdata[r])[f];
              if (!v->is_null && strcmp (v->text, now) > 0)
                g_error ("%s.%s = %s is after %s", c->name, c->fields[f].name, v->text, now);
            }
        }
    }
}

static void
test_tiny (void)
{
  /* Even the smallest dataset is complete and valid, and seven clients
   * already show every kind and special category. */
  g_autoptr (Capture) one = generate (1, 5);
  g_autoptr (Capture) seven = generate (7, 5);
  Captured *accounts = find (seven, "accounts");

  g_assert_cmpuint (one->problems->len, ==, 0);
  g_assert_cmpuint (seven->problems->len, ==, 0);
  for (guint i = 0; i < one->collections->len; i++)
    g_assert_cmpuint (((Captured *)one->collections->pdata[i])->rows->len, >, 0);
  for (guint i = 0; okno_special_categories[i]; i++)
    g_assert_cmpuint (count_value (accounts, "special_category", okno_special_categories[i]), >, 0);
  for (guint i = 0; okno_client_kinds[i]; i++)
    g_assert_cmpuint (count_value (accounts, "kind", okno_client_kinds[i]), >, 0);
}

static void
test_invalid_options (void)
{
  OknoDemoOptions options;
  g_autoptr (GError) error = NULL;

  okno_demo_options_init (&options);
  options.accounts = 0;
  g_assert_false (okno_demo_generate (&options, capture_sink, NULL, &error));
  g_assert_error (error, OKNO_DEMO_ERROR, OKNO_DEMO_ERROR_INVALID_OPTIONS);
  g_clear_error (&error);
  options.accounts = 10;
  options.today = "2026-02-30";
  g_assert_false (okno_demo_generate (&options, capture_sink, NULL, &error));
  g_assert_error (error, OKNO_DEMO_ERROR, OKNO_DEMO_ERROR_INVALID_OPTIONS);
}

static gboolean
failing_sink (const OknoCollection *collection, const OknoValue *values, guint n_rows,
              gpointer user_data, GError **error)
{
  guint *calls = user_data;

  if (++*calls < 3)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "disk full");
  return FALSE;
}

static void
test_sink_error_stops (void)
{
  OknoDemoOptions options;
  g_autoptr (GError) error = NULL;
  guint calls = 0;

  okno_demo_options_init (&options);
  options.accounts = 100;
  g_assert_false (okno_demo_generate (&options, failing_sink, &calls, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpuint (calls, ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  shared = generate (ACCOUNTS, 42);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/valid-values", test_valid_values);
  g_test_add_func ("/demo/collection-order", test_collection_order);
  g_test_add_func ("/demo/unique-keys", test_unique_keys);
  g_test_add_func ("/demo/unique-account-numbers", test_unique_account_numbers);
  g_test_add_func ("/demo/kinds-and-categories", test_kinds_and_categories);
  g_test_add_func ("/demo/feminine-names", test_feminine_names);
  g_test_add_func ("/demo/readings-monotonic", test_readings_monotonic);
  g_test_add_func ("/demo/references", test_references);
  g_test_add_func ("/demo/special-data", test_special_data);
  g_test_add_func ("/demo/calendar", test_calendar);
  g_test_add_func ("/demo/nothing-in-the-future", test_nothing_in_the_future);
  g_test_add_func ("/demo/tiny", test_tiny);
  g_test_add_func ("/demo/invalid-options", test_invalid_options);
  g_test_add_func ("/demo/sink-error-stops", test_sink_error_stops);
  status = g_test_run ();
  capture_free (shared);
  return status;
}
