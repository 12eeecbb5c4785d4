/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The appeal register of the store: numbers, the desktop's sequence, the
 * records and their outbox entries in one transaction, and what is
 * refused with nothing written. */

#include <glib.h>
#include <string.h>

#include "okno-appeal-number.h"
#include "okno-meta-keys.h"
#include "okno-store-error.h"
#include "test-replica.h"
#include "test-rows.h"

#define BRANCH  "0190a1b2-0000-7000-8000-000000000001"
#define STAFF   "0190a1b2-0000-7000-8000-000000000002"
#define TOPIC   "0190a1b2-0000-7000-8000-000000000003"
#define ACCOUNT "0190a1b2-0000-7000-8000-000000000004"

static void
add_branch_and_topic (OknoStore *store)
{
  const OknoCollection *b = okno_collection_lookup ("branches");
  const OknoCollection *t = okno_collection_lookup ("appeal_topics");
  g_autofree OknoValue *bv = test_row_new (b);
  g_autofree OknoValue *tv = test_row_new (t);
  g_autoptr (GError) error = NULL;

  test_row_set_text (b, bv, "id", BRANCH);
  test_row_set_text (b, bv, "code", "ЦОК-01");
  test_row_set_text (b, bv, "name", "ЦОК Центральный");
  test_row_set_text (b, bv, "kind", "service_centre");
  test_row_set_text (b, bv, "address", "г. Екатеринбург");
  test_row_set_int (b, bv, "version", 1);
  g_assert_true (okno_store_apply_snapshot_page (store, b, bv, 1, BRANCH, TRUE, &error));
  g_assert_no_error (error);
  test_row_set_text (t, tv, "id", TOPIC);
  test_row_set_text (t, tv, "code", "recalculation");
  test_row_set_text (t, tv, "title", "Перерасчёт");
  test_row_set_int (t, tv, "sort_order", 1);
  test_row_set_int (t, tv, "active", 1);
  test_row_set_int (t, tv, "version", 1);
  g_assert_true (okno_store_apply_snapshot_page (store, t, tv, 1, TOPIC, TRUE, &error));
  g_assert_no_error (error);
}

static void
setup (TestReplica *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  test_replica_setup (f, data);
  add_branch_and_topic (f->store);
  okno_store_set_author (f->store, STAFF, BRANCH);
  g_assert_true (okno_store_set_meta (f->store, OKNO_META_STAFF_DESK_CODE, "7", &error));
  g_assert_no_error (error);
}

static void
fill (OknoAppealRequest *r, const char *subject)
{
  static const OknoAppealDocumentSpec documents[]
    = { { "Заявление", TRUE, 2 }, { "Копия паспорта", FALSE, 0 } };

  memset (r, 0, sizeof *r);
  r->registration.kind = "complaint";
  r->registration.channel = "in_person";
  r->registration.subject = subject;
  r->registration.applicant_name = "Смирнов Алексей Викторович";
  r->registration.answer_channel = "email";
  r->registration.answer_address = "smirnov@example.ru";
  r->body = "Прошу сделать перерасчёт";
  r->topic_id = TOPIC;
  r->documents = documents;
  r->n_documents = G_N_ELEMENTS (documents);
}

static gint64
count (OknoStore *store, const char *table)
{
  g_autoptr (GError) error = NULL;
  gint64 n = okno_store_count (store, table, &error);

  g_assert_no_error (error);
  return n;
}

/* The number names the branch, the desk and the year in Yekaterinburg,
 * and the sequence goes on by one per appeal. */
static void
test_numbers (TestReplica *f, gconstpointer data)
{
  g_autoptr (GDateTime) at = g_date_time_new_from_iso8601 ("2025-12-31T20:00:00Z", NULL);
  g_autoptr (GError) error = NULL;
  OknoAppealRequest r;
  g_autofree char *first = NULL, *second = NULL, *id = NULL, *code = NULL;
  g_autofree char *key = NULL, *sequence = NULL;
  gint64 desk, n;
  int year;

  fill (&r, "Первое");
  /* 01:00 on 1 January 2026 locally: the year of the number is 26. */
  r.registered_at = at;
  first = okno_store_register_appeal (f->store, &r, &id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "ЦОК-01-07-26-00001");
  g_assert_true (okno_appeal_number_parse (first, &code, &desk, &year, &n, &error));
  g_assert_cmpstr (code, ==, "ЦОК-01");
  g_assert_cmpint (desk, ==, 7);
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (n, ==, 1);
  g_assert_nonnull (id);

  fill (&r, "Второе");
  r.registered_at = at;
  second = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "ЦОК-01-07-26-00002");
  key = g_strdup_printf ("%s:%s:2026", OKNO_STORE_APPEAL_SEQUENCE, BRANCH);
  sequence = okno_store_get_meta (f->store, key, &error);
  g_assert_cmpstr (sequence, ==, "2");

  /* 23:00 on 31 December locally: the old year, its own sequence. */
  {
    g_autoptr (GDateTime) before = g_date_time_new_from_iso8601 ("2025-12-31T18:00:00Z", NULL);
    g_autofree char *old_year = NULL;

    fill (&r, "Третье");
    r.registered_at = before;
    old_year = okno_store_register_appeal (f->store, &r, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (old_year, ==, "ЦОК-01-07-25-00001");
  }
}

/* The appeal, its two documents and its event, each with its outbox
 * entry, in the staff member's name; the due date on the calendar. */
static void
test_records (TestReplica *f, gconstpointer data)
{
  g_autoptr (GDateTime) at = g_date_time_new_from_iso8601 ("2025-12-02T05:00:00Z", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) outbox = NULL;
  g_autofree char *number = NULL, *id = NULL;
  OknoAppealRequest r;

  fill (&r, "Перерасчёт");
  r.registered_at = at;
  number = okno_store_register_appeal (f->store, &r, &id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "appeals"), ==, 1);
  g_assert_cmpint (count (f->store, "appeal_documents"), ==, 2);
  g_assert_cmpint (count (f->store, "appeal_events"), ==, 1);
  outbox = okno_store_outbox_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 4);
  for (guint i = 0; i < outbox->len; i++)
    {
      OknoOutboxEntry *e = outbox->pdata[i];

      g_assert_cmpstr (e->op, ==, "create");
      if (g_str_equal (e->collection, "appeals"))
        {
          g_assert_cmpstr (e->key, ==, id);
          g_assert_nonnull (strstr (e->payload, number));
          g_assert_nonnull (strstr (e->payload, "\"registered_by\":\"" STAFF "\""));
          g_assert_nonnull (strstr (e->payload, "\"branch_id\":\"" BRANCH "\""));
          g_assert_nonnull (strstr (e->payload, "\"topic_id\":\"" TOPIC "\""));
          g_assert_nonnull (strstr (e->payload, "\"answer_address\":\"smirnov@example.ru\""));
          /* + 30 days = 1 January, a holiday: the next working day, 12 January. */
          g_assert_nonnull (strstr (e->payload, "\"due_on\":\"2026-01-12\""));
          g_assert_nonnull (strstr (e->payload, "\"calendar_version\":\"ru-2024-2027.1\""));
        }
      else if (g_str_equal (e->collection, "appeal_events"))
        {
          g_assert_nonnull (strstr (e->payload, "\"kind\":\"registered\""));
          g_assert_nonnull (strstr (e->payload, "\"staff_id\":\"" STAFF "\""));
          g_assert_nonnull (strstr (e->payload, "\"new_value\":\"registered\""));
        }
      else
        g_assert_cmpstr (e->collection, ==, "appeal_documents");
    }
}

static void
assert_nothing_written (TestReplica *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("%s:%s:2026", OKNO_STORE_APPEAL_SEQUENCE, BRANCH);
  g_autofree char *sequence = okno_store_get_meta (f->store, key, &error);

  g_assert_cmpint (count (f->store, "appeals"), ==, 0);
  g_assert_cmpint (count (f->store, "appeal_documents"), ==, 0);
  g_assert_cmpint (count (f->store, "appeal_events"), ==, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, &error), ==, 0);
  g_assert_null (sequence);
}

/* The desk code is the branch's: okno-cli may register as its own staff
 * member while the app's last sign-in was someone of another branch. */
static void
test_desk_code_of_the_branch (TestReplica *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = okno_meta_key_for (OKNO_META_DESK_CODE, BRANCH);
  g_autofree char *number = NULL;
  gint64 desk = 0;
  OknoAppealRequest r;

  /* The app's last sign-in: another branch, desk 7 there. */
  g_assert_true (okno_store_set_meta (f->store, OKNO_META_STAFF_BRANCH_ID,
                                      "00000000-0000-4000-8000-0000000000bb", &error));
  fill (&r, "Без кода филиала");
  number = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_null (number);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  assert_nothing_written (f);
  g_clear_error (&error);

  /* This branch's own code, kept at its staff member's sign-in. */
  g_assert_true (okno_store_set_meta (f->store, key, "3", &error));
  number = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (okno_appeal_number_parse (number, NULL, &desk, NULL, NULL, &error));
  g_assert_cmpint (desk, ==, 3);
}

static void
test_no_desk_code (TestReplica *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  OknoAppealRequest r;

  g_assert_true (okno_store_set_meta (f->store, OKNO_META_STAFF_DESK_CODE, NULL, &error));
  fill (&r, "Без кода");
  number = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_null (number);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Sign in online once"));
  assert_nothing_written (f);
}

/* A registration the core refuses, and a document with no title after
 * the appeal was written: either way nothing stays. */
static void
test_bad_registration (TestReplica *f, gconstpointer data)
{
  static const OknoAppealDocumentSpec untitled[] = { { "Заявление", TRUE, 1 }, { "  ", TRUE, 0 } };
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  OknoAppealRequest r;

  fill (&r, "Без имени");
  r.registration.applicant_name = NULL;
  number = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_null (number);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  assert_nothing_written (f);
  g_clear_error (&error);

  fill (&r, "Без названия документа");
  r.documents = untitled;
  r.n_documents = G_N_ELEMENTS (untitled);
  number = okno_store_register_appeal (f->store, &r, NULL, &error);
  g_assert_null (number);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  assert_nothing_written (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/register/numbers", TestReplica, NULL, setup, test_numbers, test_replica_teardown);
  g_test_add ("/register/records-and-outbox", TestReplica, NULL, setup, test_records,
              test_replica_teardown);
  g_test_add ("/register/no-desk-code", TestReplica, NULL, setup, test_no_desk_code,
              test_replica_teardown);
  g_test_add ("/register/desk-code-of-the-branch", TestReplica, NULL, setup,
              test_desk_code_of_the_branch, test_replica_teardown);
  g_test_add ("/register/bad-registration", TestReplica, NULL, setup, test_bad_registration,
              test_replica_teardown);
  return g_test_run ();
}
