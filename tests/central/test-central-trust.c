/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What okno-central believes of a pushed record: only what the session
 * proves. Requests made by hand with the clerk's token: a record naming
 * another staff member or branch is refused and nothing is written; the
 * author fields left out are filled from the session; amounts and readings
 * keep the policy's limits (src/core/okno-limits.h), at and just beyond
 * each limit, at INT64_MAX, zero and below. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-db.h"
#include "okno-limits.h"
#include "test-db.h"
#include "test-http.h"

#define DEVICE "7d3c2b1a-0f9e-4d8c-8b7a-6c5d4e3f2a1b"
#define AT     "2026-11-27T06:00:00Z"

static char *tmp_dir;
static CentralProcess *central;
static SoupSession *session;
static char *token; /* the clerk's */
static char *clerk_id, *clerk_branch, *supervisor_id, *other_branch;
static char *household, *organisation, *meter, *appeal;

static char *
db_path (void)
{
  return g_build_filename (tmp_dir, "central.db", NULL);
}

static char *
query_text (const char *sql, const char *arg)
{
  g_autofree char *path = db_path ();
  char *text = test_db_text (path, sql, arg);

  g_assert_nonnull (text);
  return text;
}

static gint64
count (const char *sql, const char *arg)
{
  g_autofree char *path = db_path ();

  return test_db_count (path, sql, arg);
}

/* Everything a push may write: rows, change log, stored answers, commits. */
static char *
footprint (void)
{
  static const char *const tables[]
    = { "payments", "readings",  "appeal_events", "disclosures", "feedback",
        "changes",  "mutations", "commits",       NULL };
  g_autofree char *path = db_path ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; tables[i]; i++)
    g_string_append_printf (text, "%s=%" G_GINT64_FORMAT " ", tables[i],
                            test_db_count_rows (path, tables[i]));
  return g_string_free (text, FALSE);
}

/* --- pushing --------------------------------------------------------------------- */

/* A create of collection with the row data (JSON members without the id,
 * which is the key). The result object, kept alive by *keep. */
static JsonObject *
push_create (const char *collection, const char *data, char **id, TestAnswer **keep)
{
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  JsonArray *results;

  *id = g_uuid_string_random ();
  body = g_strdup_printf ("{\"device_id\":\"%s\",\"mutations\":[{\"mutation_id\":\"%s\","
                          "\"collection\":\"%s\",\"op\":\"create\",\"key\":\"%s\","
                          "\"base_version\":null,\"data\":{\"id\":\"%s\",%s}}]}",
                          DEVICE, mutation_id, collection, *id, *id, data);
  *keep = test_http_request (session, central->base_url, "POST", "/mutations", token, body);
  g_assert_cmpuint ((*keep)->status, ==, SOUP_STATUS_OK);
  results = json_object_get_array_member (test_answer_object (*keep), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_array_get_object_element (results, 0);
}

/* Pushes the create and checks it is refused with code, leaving nothing. */
static void
expect_refused (const char *collection, const char *data, const char *code)
{
  g_autoptr (TestAnswer) answer = NULL;
  g_autofree char *before = footprint (), *after = NULL, *id = NULL;
  JsonObject *result = push_create (collection, data, &id, &answer);

  if (g_strcmp0 (json_object_get_string_member (result, "status"), "rejected") != 0)
    g_error ("%s %s was not refused", collection, data);
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (result, "message")), >, 0);
  after = footprint ();
  g_assert_cmpstr (after, ==, before);
}

/* Pushes the create and checks it is applied; returns its key. */
static char *
expect_applied (const char *collection, const char *data)
{
  g_autoptr (TestAnswer) answer = NULL;
  g_autofree char *select = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = ?", collection);
  char *id = NULL;
  JsonObject *result = push_create (collection, data, &id, &answer);

  if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
    g_error ("%s %s was not applied: %s", collection, data,
             json_object_get_string_member (result, "message"));
  g_assert_cmpint (count (select, id), ==, 1);
  return id;
}

static char *
payment (const char *account, const char *amount, const char *method, const char *branch,
         const char *staff)
{
  return g_strdup_printf ("\"account_id\":\"%s\",\"amount_kop\":%s,\"paid_at\":\"" AT "\","
                          "\"method\":\"%s\",\"branch_id\":%s,\"receipt\":null,\"staff_id\":%s",
                          account, amount, method, branch, staff);
}

static char *
quoted (const char *text)
{
  return g_strdup_printf ("\"%s\"", text);
}

/* --- authorship ------------------------------------------------------------------ */

static void
test_payment_names_another (void)
{
  g_autofree char *sup = quoted (supervisor_id), *own = quoted (clerk_id);
  g_autofree char *branch = quoted (clerk_branch), *elsewhere = quoted (other_branch);
  g_autofree char *as_supervisor = payment (household, "70000", "card", branch, sup);
  g_autofree char *other = payment (household, "70000", "card", elsewhere, own);
  g_autofree char *nobody = payment (household, "70000", "card", branch, "\"\"");

  expect_refused ("payments", as_supervisor, "not_author");
  expect_refused ("payments", other, "not_author");
  /* No one at all is no identifier. */
  expect_refused ("payments", nobody, "invalid_row");
}

static void
test_disclosure_names_another (void)
{
  g_autofree char *data
    = g_strdup_printf ("\"at\":\"" AT "\",\"staff_id\":\"%s\",\"account_id\":\"%s\","
                       "\"visit_id\":null,\"basis\":\"identified\",\"what\":\"balance\"",
                       supervisor_id, household);

  expect_refused ("disclosures", data, "not_author");
}

static void
test_appeal_event_names_another (void)
{
  g_autofree char *data
    = g_strdup_printf ("\"appeal_id\":\"%s\",\"at\":\"" AT "\",\"staff_id\":\"%s\","
                       "\"kind\":\"comment\",\"text\":\"Позвонить клиенту\"",
                       appeal, supervisor_id);

  expect_refused ("appeal_events", data, "not_author");
}

static void
test_reading_and_feedback_name_another (void)
{
  g_autofree char *reading
    = g_strdup_printf ("\"meter_id\":\"%s\",\"taken_on\":\"2026-11-27\",\"t1\":100,\"t2\":null,"
                       "\"t3\":null,\"source\":\"counter\",\"accepted_at\":\"" AT "\","
                       "\"staff_id\":\"%s\"",
                       meter, supervisor_id);
  g_autofree char *feedback
    = g_strdup_printf ("\"kind\":\"thanks\",\"branch_id\":null,\"account_id\":null,"
                       "\"author\":null,\"text\":\"Спасибо\",\"written_at\":\"" AT "\","
                       "\"urgency\":null,\"reviewed_by\":\"%s\",\"reviewed_at\":null",
                       supervisor_id);

  expect_refused ("readings", reading, "not_author");
  expect_refused ("feedback", feedback, "not_author");
}

/* The normal path: the clerk's own name, or none, which the server fills. */
static void
test_author_from_session (void)
{
  g_autofree char *own = quoted (clerk_id), *branch = quoted (clerk_branch);
  g_autofree char *named = payment (household, "70000", "card", branch, own);
  g_autofree char *unnamed = payment (household, "70000", "card", "null", "null");
  g_autofree char *disclosure
    = g_strdup_printf ("\"at\":\"" AT "\",\"account_id\":\"%s\",\"visit_id\":null,"
                       "\"basis\":\"identified\",\"what\":\"balance\"",
                       household);
  g_autofree char *event = g_strdup_printf (
    "\"appeal_id\":\"%s\",\"at\":\"" AT "\",\"kind\":\"comment\",\"text\":\"Принято\"", appeal);
  g_autofree char *feedback = g_strdup (
    "\"kind\":\"thanks\",\"branch_id\":null,\"account_id\":null,\"author\":null,"
    "\"text\":\"Спасибо\",\"written_at\":\"" AT "\",\"urgency\":null,\"reviewed_by\":null,"
    "\"reviewed_at\":null");
  g_autofree char *p1 = expect_applied ("payments", named);
  g_autofree char *p2 = expect_applied ("payments", unnamed);
  g_autofree char *d = expect_applied ("disclosures", disclosure);
  g_autofree char *e = expect_applied ("appeal_events", event);
  g_autofree char *f = expect_applied ("feedback", feedback);
  g_autofree char *staff = query_text ("SELECT staff_id FROM payments WHERE id = ?", p2);
  g_autofree char *paid_in = query_text ("SELECT branch_id FROM payments WHERE id = ?", p2);
  g_autofree char *discloser = query_text ("SELECT staff_id FROM disclosures WHERE id = ?", d);
  g_autofree char *writer = query_text ("SELECT staff_id FROM appeal_events WHERE id = ?", e);

  g_assert_cmpstr (staff, ==, clerk_id);
  g_assert_cmpstr (paid_in, ==, clerk_branch);
  g_assert_cmpstr (discloser, ==, clerk_id);
  g_assert_cmpstr (writer, ==, clerk_id);
  /* A reviewer left out is nobody: the feedback is not reviewed yet. */
  g_assert_cmpint (count ("SELECT count(*) FROM feedback WHERE id = ? AND reviewed_by IS NULL", f),
                   ==, 1);
}

/* --- bounds ---------------------------------------------------------------------- */

static void
refuse_amount (const char *account, const char *amount, const char *method, const char *code)
{
  g_autofree char *data = payment (account, amount, method, "null", "null");

  expect_refused ("payments", data, code);
}

static void
apply_amount (const char *account, const char *amount, const char *method)
{
  g_autofree char *data = payment (account, amount, method, "null", "null");
  g_autofree char *id = expect_applied ("payments", data);
  g_autofree char *stored = query_text ("SELECT amount_kop FROM payments WHERE id = ?", id);

  g_assert_cmpstr (stored, ==, amount);
}

static void
test_payment_bounds (void)
{
  /* The findings: INT64_MAX kopecks, and 1 000 000 ₽ in cash. */
  refuse_amount (household, "9223372036854775807", "card", "out_of_range");
  refuse_amount (household, "100000000", "cash", "out_of_range");
  /* Beyond 64 bits is no whole number at all. */
  refuse_amount (household, "9223372036854775808", "card", "invalid_row");
  refuse_amount (household, "-9223372036854775808", "card", "invalid_row");
  refuse_amount (household, "-1", "card", "invalid_row");
  refuse_amount (household, "0", "card", "invalid_row");
  /* One payment: 500 000 ₽ by any method. */
  apply_amount (household, OKNO_LIMIT_PAYMENT_MAX_KOP, "card");
  refuse_amount (household, "50000001", "card", "out_of_range");
  refuse_amount (organisation, "50000001", "bank_transfer", "out_of_range");
  /* Cash: 200 000 ₽ from a household, 100 000 ₽ from an organisation. */
  apply_amount (household, OKNO_LIMIT_HOUSEHOLD_CASH_PAYMENT_MAX_KOP, "cash");
  refuse_amount (household, "20000001", "cash", "out_of_range");
  apply_amount (organisation, OKNO_LIMIT_CASH_PAYMENT_MAX_KOP, "cash");
  refuse_amount (organisation, "10000001", "cash", "out_of_range");
  apply_amount (organisation, "10000001", "card");
  apply_amount (household, "1", "cash");
}

static char *
reading (const char *t1, const char *t2)
{
  return g_strdup_printf ("\"meter_id\":\"%s\",\"taken_on\":\"2026-11-27\",\"t1\":%s,\"t2\":%s,"
                          "\"t3\":null,\"source\":\"counter\",\"accepted_at\":\"" AT "\","
                          "\"staff_id\":null",
                          meter, t1, t2);
}

static void
refuse_reading (const char *t1, const char *t2, const char *code)
{
  g_autofree char *data = reading (t1, t2);

  expect_refused ("readings", data, code);
}

static void
test_reading_bounds (void)
{
  g_autofree char *zero = reading ("0", "null");
  g_autofree char *widest = reading ("99999999", "99999999");
  g_autofree char *a = expect_applied ("readings", zero);
  g_autofree char *b = expect_applied ("readings", widest);
  g_autofree char *staff = query_text ("SELECT staff_id FROM readings WHERE id = ?", b);

  g_assert_cmpstr (staff, ==, clerk_id);
  refuse_reading ("9223372036854775807", "null", "out_of_range");
  refuse_reading ("100000000", "null", "out_of_range");
  refuse_reading ("1", "100000000", "out_of_range");
  refuse_reading ("-1", "null", "invalid_row");
  refuse_reading ("1", "-9223372036854775808", "invalid_row");
}

/* The limits are policy data: a changed row changes them at once, and a
 * malformed one leaves the fallback in force rather than no limit. */
static void
set_policy (const char *key, const char *value)
{
  g_autofree char *path = db_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (path, OKNO_DB_READ_WRITE, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = okno_db_prepare (
    db, "INSERT OR REPLACE INTO policy (key, value, note, version) VALUES (?1, ?2, NULL, 1)",
    &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  g_assert_cmpint (okno_db_step (db, stmt, &error), ==, SQLITE_DONE);
  g_assert_no_error (error);
  sqlite3_reset (stmt);
}

static void
test_policy_limits (void)
{
  set_policy ("payment_max_kop", "1000");
  set_policy ("reading_max_digits", "3");
  apply_amount (household, "1000", "card");
  refuse_amount (household, "1001", "card", "out_of_range");
  refuse_reading ("1000", "null", "out_of_range");
  set_policy ("payment_max_kop", "half a million");
  apply_amount (household, "1001", "card");
  refuse_amount (household, "50000001", "card", "out_of_range");
  set_policy ("payment_max_kop", OKNO_LIMIT_PAYMENT_MAX_KOP);
  set_policy ("reading_max_digits", OKNO_LIMIT_READING_MAX_DIGITS);
}

/* --- running --------------------------------------------------------------------- */

static void
start (void)
{
  const char *extra[] = { "--generate", "--accounts", "200",     "--seed", "5",
                          "--today",    "2026-11-27", "--quiet", NULL };
  g_autoptr (TestAnswer) signed_in = NULL;

  central = central_spawn_in_tmp ("okno-central-trust-XXXXXX", extra, &tmp_dir);
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  signed_in = test_http_sign_in (session, central->base_url, "clerk", "clerk", DEVICE);
  token = test_answer_bearer (signed_in);
  clerk_id = query_text ("SELECT id FROM staff WHERE login = ?", "clerk");
  clerk_branch = query_text ("SELECT branch_id FROM staff WHERE login = ?", "clerk");
  supervisor_id = query_text ("SELECT id FROM staff WHERE login = ?", "supervisor");
  other_branch = query_text ("SELECT branch_id FROM staff WHERE login = ?", "clerk2");
  household
    = query_text ("SELECT id FROM accounts WHERE kind = ? ORDER BY id LIMIT 1", "household");
  organisation
    = query_text ("SELECT id FROM accounts WHERE kind = ? ORDER BY id LIMIT 1", "legal_entity");
  meter = query_text ("SELECT id FROM meters WHERE ? ORDER BY id LIMIT 1", "1");
  appeal = query_text ("SELECT id FROM appeals WHERE status != ? ORDER BY id LIMIT 1", "closed");
  g_assert_cmpstr (clerk_branch, !=, other_branch);
}

static void
stop (void)
{
  const char *files[] = { "central.db", "central.db-wal", "central.db-shm" };

  central_finish (central);
  g_object_unref (session);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (token);
  g_free (clerk_id);
  g_free (clerk_branch);
  g_free (supervisor_id);
  g_free (other_branch);
  g_free (household);
  g_free (organisation);
  g_free (meter);
  g_free (appeal);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start ();
  g_test_add_func ("/trust/author/payment-names-another", test_payment_names_another);
  g_test_add_func ("/trust/author/disclosure-names-another", test_disclosure_names_another);
  g_test_add_func ("/trust/author/appeal-event-names-another", test_appeal_event_names_another);
  g_test_add_func ("/trust/author/reading-feedback-name-another",
                   test_reading_and_feedback_name_another);
  g_test_add_func ("/trust/author/from-session", test_author_from_session);
  g_test_add_func ("/trust/bounds/payments", test_payment_bounds);
  g_test_add_func ("/trust/bounds/readings", test_reading_bounds);
  g_test_add_func ("/trust/bounds/policy", test_policy_limits);
  status = g_test_run ();
  stop ();
  return status;
}
