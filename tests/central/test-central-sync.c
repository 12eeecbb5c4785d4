/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-central's side of sync over HTTP (docs/sync-protocol.md): sessions
 * with refresh tokens, the change feed, pushed mutations applied exactly
 * once, appeal merges and conflicts, and every staged fault mode. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-appeal-number.h"
#include "okno-central-schema.h"
#include "okno-central-store.h"
#include "okno-collection.h"
#include "okno-db.h"
#include "test-db.h"
#include "test-http.h"

#define DEVICE   "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a88"
#define DEVICE_B "5c1d8e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"

static char *tmp_dir;
static char *db_path;
static CentralProcess *central;
static SoupSession *session;
static char *token;   /* the clerk's, "Bearer …", signed in from DEVICE */
static char *token_b; /* the same clerk's, signed in from DEVICE_B */
static char *clerk_id;

static TestAnswer *
request_at (const char *base, const char *method, const char *path, const char *auth,
            const char *body)
{
  return test_http_request (session, base, method, path, auth, body);
}

static TestAnswer *
request (const char *method, const char *path, const char *auth, const char *body)
{
  return request_at (central->base_url, method, path, auth, body);
}

/* Every answer carries the server's clock. */
static void
assert_dated (TestAnswer *answer)
{
  const char *date = test_answer_header (answer, "Date");
  g_autoptr (GDateTime) parsed = NULL;

  g_assert_nonnull (date);
  parsed = soup_date_time_new_from_http_string (date);
  g_assert_nonnull (parsed);
}

static TestAnswer *
sign_in_at (const char *base, const char *login, const char *device)
{
  return test_http_sign_in (session, base, login, login, device);
}

/* --- the database, as the tests see it ------------------------------------------ */

static OknoDb *
open_db_at (const char *path)
{
  g_autoptr (GError) error = NULL;
  OknoDb *db = okno_db_open (path, OKNO_DB_READ_WRITE, &error);

  g_assert_no_error (error);
  return db;
}

static char *
db_text (OknoDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (okno_db_step (db, stmt, &error) == SQLITE_ROW)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_assert_no_error (error);
  sqlite3_reset (stmt);
  g_assert_nonnull (text);
  return text;
}

static gint64
db_int (OknoDb *db, const char *sql)
{
  g_autofree char *text = db_text (db, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static char *
query_text (const char *sql)
{
  char *text = test_db_text (db_path, sql, NULL);

  g_assert_nonnull (text);
  return text;
}

static gint64 query_int (const char *format, ...) G_GNUC_PRINTF (1, 2);

static gint64
query_int (const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return test_db_count (db_path, sql, NULL);
}

static gint64
server_cursor (void)
{
  g_autoptr (TestAnswer) answer = request ("GET", "/snapshot", token, NULL);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  return json_object_get_int_member (test_answer_object (answer), "cursor");
}

/* --- pushing ----------------------------------------------------------------------- */

static char *
new_uuid (void)
{
  return g_uuid_string_random ();
}

static char *
payment_mutation (const char *mutation_id, const char *id, const char *account, gint64 amount)
{
  return g_strdup_printf (
    "{\"mutation_id\":\"%s\",\"seq\":1,\"collection\":\"payments\",\"op\":\"create\","
    "\"key\":\"%s\",\"base_version\":null,\"data\":{\"id\":\"%s\",\"account_id\":\"%s\","
    "\"amount_kop\":%" G_GINT64_FORMAT ",\"paid_at\":\"2026-11-27T06:00:00Z\","
    "\"method\":\"cash\",\"branch_id\":null,\"receipt\":null,\"staff_id\":\"%s\"}}",
    mutation_id, id, id, account, amount, clerk_id);
}

static char *
patch_mutation (const char *mutation_id, const char *appeal, const char *fields)
{
  return g_strdup_printf ("{\"mutation_id\":\"%s\",\"seq\":2,\"collection\":\"appeals\","
                          "\"op\":\"patch\",\"key\":\"%s\",\"base_version\":1,\"data\":{%s}}",
                          mutation_id, appeal, fields);
}

static char *
batch (const char *device, const char *const *mutations)
{
  g_autofree char *joined = g_strjoinv (",", (char **)mutations);

  return g_strdup_printf ("{\"device_id\":\"%s\",\"mutations\":[%s]}", device, joined);
}

static TestAnswer *
push_at (const char *base, const char *auth, const char *device, const char *const *mutations)
{
  g_autofree char *body = batch (device, mutations);

  return request_at (base, "POST", "/mutations", auth, body);
}

/* The clerk's session on that device: a batch must come with a token
 * signed in from the device that names it. */
static const char *
token_of (const char *device)
{
  return g_str_equal (device, DEVICE_B) ? token_b : token;
}

/* The single result of a one-mutation push. */
static JsonObject *
push_one (const char *device, const char *mutation, TestAnswer **keep)
{
  const char *mutations[] = { mutation, NULL };
  TestAnswer *answer = push_at (central->base_url, token_of (device), device, mutations);
  JsonArray *results;

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  assert_dated (answer);
  results = json_object_get_array_member (test_answer_object (answer), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  *keep = answer;
  return json_array_get_object_element (results, 0);
}

static void
assert_result (JsonObject *result, const char *status, const char *error)
{
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, status);
  if (error)
    {
      g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, error);
      g_assert_true (strlen (json_object_get_string_member (result, "message")) > 0);
    }
}

static char *
some_account (void)
{
  return query_text ("SELECT id FROM accounts ORDER BY id LIMIT 1");
}

/* An appeal in the given status that no test has changed yet (the demo
 * dataset is commit 1). */
static char *
take_appeal (const char *status)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT id FROM appeals WHERE status = '%s' AND version = 1 ORDER BY id LIMIT 1", status);

  return query_text (sql);
}

/* --- sessions ------------------------------------------------------------------------- */

static TestAnswer *
refresh (const char *refresh_token, const char *device)
{
  g_autofree char *body
    = g_strdup_printf ("{\"refresh_token\":\"%s\",\"device_id\":\"%s\"}", refresh_token, device);

  return request ("POST", "/session/refresh", NULL, body);
}

static void
test_refresh_rotation (void)
{
  g_autoptr (TestAnswer) first = sign_in_at (central->base_url, "clerk", DEVICE);
  const char *old_refresh
    = json_object_get_string_member (test_answer_object (first), "refresh_token");
  g_autoptr (TestAnswer) second = NULL;
  g_autoptr (TestAnswer) again = NULL;
  g_autoptr (TestAnswer) other_device = NULL;
  g_autoptr (TestAnswer) info = NULL;
  g_autofree char *auth = NULL;

  g_assert_cmpuint (strlen (old_refresh), ==, 64);
  g_assert_cmpint (json_object_get_int_member (test_answer_object (first), "refresh_expires_in"),
                   ==, 30 * 24 * 3600);
  other_device = refresh (old_refresh, DEVICE_B);
  test_assert_answer_error (other_device, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
  second = refresh (old_refresh, DEVICE);
  g_assert_cmpuint (second->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (test_answer_object (second), "refresh_token"), !=,
                   old_refresh);
  g_assert_cmpstr (json_object_get_string_member (test_answer_object (second), "access_token"), !=,
                   json_object_get_string_member (test_answer_object (first), "access_token"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (test_answer_object (second), "staff"), "login"),
                   ==, "clerk");
  auth = test_answer_bearer (second);
  info = request ("GET", "/snapshot", auth, NULL);
  g_assert_cmpuint (info->status, ==, SOUP_STATUS_OK);
  /* Rotation: the old refresh token is spent. */
  again = refresh (old_refresh, DEVICE);
  test_assert_answer_error (again, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
}

static void
test_refresh_malformed (void)
{
  static const char *const bodies[] = {
    "{}",
    "{\"refresh_token\":\"abc\"}",
    "{\"refresh_token\":42,\"device_id\":\"" DEVICE "\"}",
    "{\"refresh_token\":\"abc\",\"device_id\":\"nope\"}",
  };
  g_autoptr (TestAnswer) unknown = refresh ("0123", DEVICE);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (TestAnswer) answer = request ("POST", "/session/refresh", NULL, bodies[i]);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    }
  test_assert_answer_error (unknown, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
}

static void
test_sign_out (void)
{
  g_autoptr (TestAnswer) signed_in = sign_in_at (central->base_url, "clerk", DEVICE);
  g_autofree char *auth = test_answer_bearer (signed_in);
  g_autoptr (TestAnswer) out = request ("DELETE", "/session", auth, NULL);
  g_autoptr (TestAnswer) after = request ("GET", "/snapshot", auth, NULL);
  g_autoptr (TestAnswer) renewed = refresh (
    json_object_get_string_member (test_answer_object (signed_in), "refresh_token"), DEVICE);
  g_autoptr (TestAnswer) twice = request ("DELETE", "/session", auth, NULL);

  g_assert_no_error (out->error);
  g_assert_cmpuint (out->status, ==, SOUP_STATUS_NO_CONTENT);
  assert_dated (out);
  test_assert_answer_error (after, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
  test_assert_answer_error (renewed, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
  test_assert_answer_error (twice, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
}

static void
test_token_expiry (void)
{
  const char *extra[] = { "--token-ttl", "1", "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CentralProcess) short_lived = central_spawn (db_path, extra, &error);
  g_autoptr (TestAnswer) signed_in = NULL;
  g_autoptr (TestAnswer) expired = NULL;
  g_autofree char *auth = NULL;

  g_assert_no_error (error);
  signed_in = sign_in_at (short_lived->base_url, "clerk", DEVICE);
  g_assert_cmpint (json_object_get_int_member (test_answer_object (signed_in), "expires_in"), ==,
                   1);
  auth = test_answer_bearer (signed_in);
  /* Whole seconds are compared: two of them are certainly past the end. */
  g_usleep (2100 * G_TIME_SPAN_MILLISECOND);
  expired = request_at (short_lived->base_url, "GET", "/snapshot", auth, NULL);
  test_assert_answer_error (expired, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
  g_assert_nonnull (test_answer_header (expired, "WWW-Authenticate"));
  g_assert_cmpint (central_stop (short_lived), ==, 0);
}

/* --- the change feed --------------------------------------------------------------- */

static TestAnswer *
changes (gint64 cursor, guint limit)
{
  g_autofree char *path
    = g_strdup_printf ("/changes?cursor=%" G_GINT64_FORMAT "&limit=%u", cursor, limit);

  return request ("GET", path, token, NULL);
}

static void
test_changes_parameters (void)
{
  static const char *const paths[] = {
    "/changes",
    "/changes?cursor=-1",
    "/changes?cursor=x",
    "/changes?cursor=1&limit=0",
    "/changes?cursor=1&limit=5001",
  };
  gint64 cursor = server_cursor ();
  g_autoptr (TestAnswer) current = changes (cursor, 10);
  g_autoptr (TestAnswer) ahead = changes (cursor + 1000, 10);
  g_autoptr (TestAnswer) no_token = request ("GET", "/changes?cursor=1", NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (TestAnswer) answer = request ("GET", paths[i], token, NULL);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_parameter");
    }
  g_assert_cmpuint (current->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (test_answer_object (current), "changes")),
    ==, 0);
  g_assert_cmpint (json_object_get_int_member (test_answer_object (current), "cursor"), ==, cursor);
  g_assert_false (json_object_get_boolean_member (test_answer_object (current), "has_more"));
  test_assert_answer_error (ahead, SOUP_STATUS_GONE, "cursor_expired");
  test_assert_answer_error (no_token, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
}

/* The demo dataset is commit 1, not logged row by row: only a snapshot
 * can give it, so a cursor before it is expired. */
static void
test_changes_below_demo (void)
{
  g_autoptr (TestAnswer) zero = changes (0, 10);
  g_autoptr (TestAnswer) one = changes (1, 10);

  test_assert_answer_error (zero, SOUP_STATUS_GONE, "cursor_expired");
  assert_dated (zero);
  g_assert_cmpuint (one->status, ==, SOUP_STATUS_OK);
}

/* Every page from cursor on, joined: changes in order, each checked. */
static JsonArray *
read_feed (gint64 cursor, guint limit, guint *n_pages)
{
  JsonArray *all = json_array_new ();
  gboolean more = TRUE;

  *n_pages = 0;
  while (more)
    {
      g_autoptr (TestAnswer) page = changes (cursor, limit);
      JsonArray *list;
      gint64 next;

      g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
      list = json_object_get_array_member (test_answer_object (page), "changes");
      next = json_object_get_int_member (test_answer_object (page), "cursor");
      more = json_object_get_boolean_member (test_answer_object (page), "has_more");
      g_assert_cmpint (next, >=, cursor);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *change = json_array_get_object_element (list, i);
          gint64 version = json_object_get_int_member (change, "version");

          /* Oldest first, nothing past the page's cursor. */
          g_assert_cmpint (version, >, cursor);
          g_assert_cmpint (version, <=, next);
          json_array_add_element (all, json_node_copy (json_array_get_element (list, i)));
        }
      if (more)
        g_assert_cmpint (next, >, cursor);
      cursor = next;
      (*n_pages)++;
    }
  return all;
}

static JsonObject *
find_change (JsonArray *feed, const char *collection, const char *key, guint *count)
{
  JsonObject *found = NULL;

  *count = 0;
  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);

      if (strcmp (json_object_get_string_member (change, "collection"), collection) == 0
          && strcmp (json_object_get_string_member (change, "key"), key) == 0)
        {
          found = change;
          (*count)++;
        }
    }
  return found;
}

static void
assert_versions_ascend (JsonArray *feed)
{
  for (guint i = 1; i < json_array_get_length (feed); i++)
    g_assert_cmpint (
      json_object_get_int_member (json_array_get_object_element (feed, i - 1), "version"), <=,
      json_object_get_int_member (json_array_get_object_element (feed, i), "version"));
}

/* --- mutations ----------------------------------------------------------------------- */

static void
test_push_applied_then_duplicate (void)
{
  g_autofree char *account = some_account ();
  g_autofree char *mutation_id = new_uuid ();
  g_autofree char *id = new_uuid ();
  g_autofree char *mutation = payment_mutation (mutation_id, id, account, 150000);
  g_autoptr (TestAnswer) first = NULL;
  g_autoptr (TestAnswer) second = NULL;
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor ();
  JsonObject *result, *change;
  gint64 version;
  guint pages, count;

  result = push_one (DEVICE, mutation, &first);
  assert_result (result, "applied", NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "mutation_id"), ==, mutation_id);
  version = json_object_get_int_member (result, "version");
  g_assert_cmpint (version, >, cursor);
  g_assert_cmpint (query_int ("SELECT version FROM payments WHERE id = '%s'", id), ==, version);

  result = push_one (DEVICE, mutation, &second);
  assert_result (result, "duplicate", NULL);
  g_assert_cmpint (json_object_get_int_member (result, "version"), ==, version);
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 1);

  feed = read_feed (cursor, 1000, &pages);
  change = find_change (feed, "payments", id, &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "upsert");
  g_assert_cmpint (json_object_get_int_member (change, "version"), ==, version);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (change, "data"), "amount_kop"), ==,
    150000);
}

/* The number of the clerk's sequence-th appeal from DEVICE: ЦОК-01, the
 * desk code the server gave DEVICE there, 2026 (the push checks both). */
static char *
clerk_number (gint64 sequence)
{
  g_autofree char *branch = test_db_text (
    central->db,
    "SELECT b.code FROM staff s JOIN branches b ON b.id = s.branch_id WHERE s.login = ?1", "clerk");
  g_autofree char *desk
    = test_db_text (central->db,
                    "SELECT d.code FROM devices d JOIN staff s ON s.branch_id = d.branch_id"
                    " WHERE s.login = 'clerk' AND d.device_id = ?1",
                    DEVICE);
  g_autoptr (GError) error = NULL;
  char *number;

  g_assert_nonnull (branch);
  g_assert_nonnull (desk);
  number
    = okno_appeal_number_compose (branch, g_ascii_strtoll (desk, NULL, 10), 2026, sequence, &error);
  g_assert_no_error (error);
  return number;
}

static char *
appeal_create (const char *mutation_id, const char *id, const char *number)
{
  return g_strdup_printf (
    "{\"mutation_id\":\"%s\",\"seq\":3,\"collection\":\"appeals\",\"op\":\"create\","
    "\"key\":\"%s\",\"base_version\":null,\"data\":{\"id\":\"%s\",\"number\":\"%s\","
    "\"account_id\":null,\"kind\":\"consultation\",\"channel\":\"in_person\","
    "\"answer_channel\":\"in_person\",\"subject\":\"Старый предмет\",\"body\":\"Текст\","
    "\"status\":\"registered\",\"urgency\":null,\"registered_at\":\"2026-11-27T06:00:00Z\","
    "\"due_on\":\"2026-12-25\",\"assignee_id\":null,\"branch_id\":null,"
    "\"updated_at\":\"2026-11-27T06:00:00Z\",\"applicant_name\":\"Смирнов А. В.\"}}",
    mutation_id, id, id, number);
}

static char *
event_create (const char *mutation_id, const char *id, const char *appeal)
{
  return g_strdup_printf (
    "{\"mutation_id\":\"%s\",\"seq\":4,\"collection\":\"appeal_events\",\"op\":\"create\","
    "\"key\":\"%s\",\"data\":{\"id\":\"%s\",\"appeal_id\":\"%s\",\"at\":\"2026-11-27T06:01:00Z\","
    "\"staff_id\":\"%s\",\"kind\":\"comment\",\"text\":\"Позвонили клиенту\"}}",
    mutation_id, id, id, appeal, clerk_id);
}

/* A record changed twice since the cursor comes once, as it is now. */
static void
test_feed_latest_once (void)
{
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid (), *m3 = new_uuid ();
  g_autofree char *appeal = new_uuid (), *event = new_uuid ();
  g_autofree char *number = clerk_number (1);
  g_autofree char *create = appeal_create (m1, appeal, number);
  g_autofree char *patch
    = patch_mutation (m2, appeal, "\"subject\":{\"from\":\"Старый предмет\",\"to\":\"Новый\"}");
  g_autofree char *comment = event_create (m3, event, appeal);
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL, a3 = NULL;
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor ();
  JsonObject *r2, *change;
  guint pages, count;

  assert_result (push_one (DEVICE, create, &a1), "applied", NULL);
  r2 = push_one (DEVICE, patch, &a2);
  assert_result (r2, "applied", NULL);
  assert_result (push_one (DEVICE, comment, &a3), "applied", NULL);

  feed = read_feed (cursor, 1, &pages);
  g_assert_cmpuint (json_array_get_length (feed), ==, 2);
  g_assert_cmpuint (pages, ==, 2);
  assert_versions_ascend (feed);
  change = find_change (feed, "appeals", appeal, &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (json_object_get_int_member (change, "version"), ==,
                   json_object_get_int_member (r2, "version"));
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (change, "data"), "subject"), ==,
    "Новый");
  find_change (feed, "appeal_events", event, &count);
  g_assert_cmpuint (count, ==, 1);
}

/* --- a big commit and a delete, written the way the server writes ----------------- */

static gint64
direct_commit (OknoDb *db)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_db_exec (db,
                               "INSERT INTO commits (committed_at, origin)"
                               " VALUES ('2026-11-27T06:00:00Z', 'test')",
                               &error));
  g_assert_no_error (error);
  return sqlite3_last_insert_rowid (okno_db_get_handle (db));
}

static void direct_exec (OknoDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
direct_exec (OknoDb *db, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_true (okno_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static gint64
commit_readings (OknoDb *db, const char *meter, guint n, GHashTable *keys)
{
  g_autoptr (GError) error = NULL;
  gint64 seq;

  g_assert_true (okno_db_begin (db, &error));
  seq = direct_commit (db);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = new_uuid ();

      direct_exec (db,
                   "INSERT INTO readings VALUES ('%s', '%s', '2026-11-27', %u, NULL, NULL,"
                   " 'counter', '2026-11-27T06:00:00Z', NULL, %" G_GINT64_FORMAT ");"
                   "INSERT INTO changes VALUES (%" G_GINT64_FORMAT ", 'readings', '%s', 'upsert')",
                   id, meter, i, seq, seq, id);
      g_hash_table_add (keys, g_steal_pointer (&id));
    }
  g_assert_true (okno_db_commit (db, &error));
  g_assert_no_error (error);
  return seq;
}

static gint64
commit_delete (OknoDb *db, const char *table, const char *key)
{
  g_autoptr (GError) error = NULL;
  gint64 seq;

  g_assert_true (okno_db_begin (db, &error));
  seq = direct_commit (db);
  direct_exec (db,
               "DELETE FROM \"%s\" WHERE id = '%s';"
               "INSERT INTO changes VALUES (%" G_GINT64_FORMAT ", '%s', '%s', 'delete')",
               table, key, seq, table, key);
  g_assert_true (okno_db_commit (db, &error));
  return seq;
}

static void
test_feed_big_commit (void)
{
  g_autoptr (OknoDb) db = open_db_at (db_path);
  g_autofree char *meter = db_text (db, "SELECT id FROM meters ORDER BY id LIMIT 1");
  g_autoptr (GHashTable) small = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) big = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor (), big_seq;
  guint pages;

  commit_readings (db, meter, 1, small);
  big_seq = commit_readings (db, meter, 10000, big);
  commit_readings (db, meter, 1, small);
  /* One change a page, but the 10,000-row commit comes whole in one. */
  feed = read_feed (cursor, 1, &pages);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (json_array_get_length (feed), ==, 10002);
  assert_versions_ascend (feed);
  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);
      const char *key = json_object_get_string_member (change, "key");

      if (json_object_get_int_member (change, "version") == big_seq)
        g_assert_true (g_hash_table_remove (big, key));
      else
        g_assert_true (g_hash_table_remove (small, key));
    }
  /* None skipped, none twice. */
  g_assert_cmpuint (g_hash_table_size (big), ==, 0);
  g_assert_cmpuint (g_hash_table_size (small), ==, 0);
}

static void
test_feed_delete (void)
{
  g_autoptr (OknoDb) db = open_db_at (db_path);
  g_autofree char *account = some_account ();
  g_autofree char *mutation_id = new_uuid (), *id = new_uuid ();
  g_autofree char *mutation = payment_mutation (mutation_id, id, account, 500);
  g_autoptr (TestAnswer) pushed = NULL;
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor (), seq;
  JsonObject *change;
  guint pages, count;

  assert_result (push_one (DEVICE, mutation, &pushed), "applied", NULL);
  seq = commit_delete (db, "payments", id);
  feed = read_feed (cursor, 1000, &pages);
  change = find_change (feed, "payments", id, &count);
  /* Created and deleted since the cursor: only the delete is left. */
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "delete");
  g_assert_cmpint (json_object_get_int_member (change, "version"), ==, seq);
  g_assert_true (json_object_get_null_member (change, "data"));
}

static char *
with_replaced (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, 2);

  g_assert_nonnull (parts[1]);
  return g_strconcat (parts[0], to, parts[1], NULL);
}

/* --- retention ------------------------------------------------------------------------ */

static void
remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

static void
test_retention (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "retention.db", NULL);
  const char *extra[]
    = { "--generate", "--accounts", "30", "--retention-seq", "2", "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CentralProcess) server = central_spawn (path, extra, &error);
  g_autoptr (TestAnswer) signed_in = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *account = NULL;

  g_assert_no_error (error);
  {
    g_autoptr (OknoDb) db = open_db_at (path);
    account = db_text (db, "SELECT id FROM accounts LIMIT 1");
  }
  signed_in = sign_in_at (server->base_url, "clerk", DEVICE);
  auth = test_answer_bearer (signed_in);
  /* Commits 2 to 5; the log keeps 4 and 5. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *m = new_uuid (), *id = new_uuid ();
      g_autofree char *mutation = payment_mutation (m, id, account, 100 + i);
      g_autofree char *own = with_replaced (
        mutation, clerk_id,
        json_object_get_string_member (
          json_object_get_object_member (test_answer_object (signed_in), "staff"), "id"));
      const char *list[] = { own, NULL };
      g_autoptr (TestAnswer) pushed = push_at (server->base_url, auth, DEVICE, list);
      JsonObject *result = json_array_get_object_element (
        json_object_get_array_member (test_answer_object (pushed), "results"), 0);

      assert_result (result, "applied", NULL);
      g_assert_cmpint (json_object_get_int_member (result, "version"), ==, 2 + i);
    }
  for (gint64 cursor = 1; cursor <= 5; cursor++)
    {
      g_autofree char *p = g_strdup_printf ("/changes?cursor=%" G_GINT64_FORMAT, cursor);
      g_autoptr (TestAnswer) page = request_at (server->base_url, "GET", p, auth, NULL);

      if (cursor < 3)
        test_assert_answer_error (page, SOUP_STATUS_GONE, "cursor_expired");
      else
        g_assert_cmpuint (json_array_get_length (
                            json_object_get_array_member (test_answer_object (page), "changes")),
                          ==, (guint)(5 - cursor));
    }
  g_assert_cmpint (central_stop (server), ==, 0);
  remove_db (path);
}

/* --- the same batch twice at once, through two server processes -------------------- */

typedef struct
{
  TestAnswer *answers[2];
  guint pending;
} Race;

static void
race_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Race *race = user_data;
  TestAnswer *answer
    = race->answers[0]->msg == soup_session_get_async_result_message (SOUP_SESSION (source), result)
        ? race->answers[0]
        : race->answers[1];
  GBytes *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &answer->error);

  test_answer_finish (answer, bytes);
  race->pending--;
}

static void
test_push_concurrent (void)
{
  const char *extra[] = { "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CentralProcess) twin = central_spawn (db_path, extra, &error);
  g_autofree char *account = some_account ();
  g_autoptr (GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;
  Race race = { { g_new0 (TestAnswer, 1), g_new0 (TestAnswer, 1) }, 2 };
  const char *bases[2] = { central->base_url, NULL };

  g_assert_no_error (error);
  bases[1] = twin->base_url;
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *m = new_uuid ();
      char *id = new_uuid ();
      g_ptr_array_add (mutations, payment_mutation (m, id, account, 1000 + i));
      g_ptr_array_add (ids, id);
    }
  g_ptr_array_add (mutations, NULL);
  body = batch (DEVICE_B, (const char *const *)mutations->pdata);
  for (guint s = 0; s < 2; s++)
    {
      race.answers[s]->msg = test_http_message (bases[s], "POST", "/mutations", token_b, body, -1);
      soup_session_send_and_read_async (session, race.answers[s]->msg, G_PRIORITY_DEFAULT, NULL,
                                        race_cb, &race);
    }
  while (race.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 40; i++)
    {
      JsonObject *a = json_array_get_object_element (
        json_object_get_array_member (test_answer_object (race.answers[0]), "results"), i);
      JsonObject *b = json_array_get_object_element (
        json_object_get_array_member (test_answer_object (race.answers[1]), "results"), i);
      const char *sa = json_object_get_string_member (a, "status");
      const char *sb = json_object_get_string_member (b, "status");

      /* One effect: one answer applied it, the other found it done. */
      g_assert_true ((g_str_equal (sa, "applied") && g_str_equal (sb, "duplicate"))
                     || (g_str_equal (sa, "duplicate") && g_str_equal (sb, "applied")));
      g_assert_cmpint (json_object_get_int_member (a, "version"), ==,
                       json_object_get_int_member (b, "version"));
      g_assert_cmpint (
        query_int ("SELECT count (*) FROM payments WHERE id = '%s'", (char *)ids->pdata[i]), ==, 1);
    }
  g_assert_cmpint (query_int ("SELECT count (*) FROM mutations WHERE device_id = '" DEVICE_B "'"),
                   ==, 40);
  test_answer_free (race.answers[0]);
  test_answer_free (race.answers[1]);
  g_assert_cmpint (central_stop (twin), ==, 0);
}

/* --- appeals: merge, conflict, the status rule ----------------------------------------- */

static char *
appeal_field (const char *appeal, const char *field)
{
  g_autofree char *sql
    = g_strdup_printf ("SELECT coalesce (\"%s\", '') FROM appeals WHERE id = '%s'", field, appeal);

  return query_text (sql);
}

static char *
field_change (const char *field, const char *from, const char *to)
{
  return g_strdup_printf ("\"%s\":{\"from\":\"%s\",\"to\":\"%s\"}", field, from, to);
}

static void
test_merge_different_fields (void)
{
  g_autofree char *appeal = take_appeal ("registered");
  g_autofree char *subject = appeal_field (appeal, "subject");
  g_autofree char *body = appeal_field (appeal, "body");
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid ();
  g_autofree char *f1 = field_change ("subject", subject, "Тема от филиала А");
  g_autofree char *f2 = field_change ("body", body, "Текст от филиала Б");
  g_autofree char *p1 = patch_mutation (m1, appeal, f1);
  g_autofree char *p2 = patch_mutation (m2, appeal, f2);
  g_autofree char *got_subject = NULL, *got_body = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL;
  JsonObject *r2;

  assert_result (push_one (DEVICE, p1, &a1), "applied", NULL);
  /* The other branch saw the appeal before the first edit. */
  r2 = push_one (DEVICE_B, p2, &a2);
  assert_result (r2, "applied", NULL);
  got_subject = appeal_field (appeal, "subject");
  got_body = appeal_field (appeal, "body");
  g_assert_cmpstr (got_subject, ==, "Тема от филиала А");
  g_assert_cmpstr (got_body, ==, "Текст от филиала Б");
  g_assert_cmpint (query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal), ==,
                   json_object_get_int_member (r2, "version"));
}

static void
check_row (const OknoCollection *collection, JsonObject *row)
{
  g_assert_cmpuint (json_object_get_size (row), ==, collection->n_fields);
  for (guint f = 0; f < collection->n_fields; f++)
    {
      const OknoField *field = &collection->fields[f];
      JsonNode *node = json_object_get_member (row, field->name);
      OknoValue value = { 0 };
      g_autoptr (GError) error = NULL;

      g_assert_nonnull (node);
      value.is_null = JSON_NODE_HOLDS_NULL (node);
      if (!value.is_null && field->type == OKNO_FIELD_INTEGER)
        value.integer = json_node_get_int (node);
      else if (!value.is_null)
        value.text = json_node_get_string (node);
      g_assert_true (okno_field_check (field, &value, &error));
      g_assert_no_error (error);
    }
}

static void
test_conflict_same_field (void)
{
  g_autofree char *appeal = take_appeal ("registered");
  g_autofree char *subject = appeal_field (appeal, "subject");
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid ();
  g_autofree char *f1 = field_change ("subject", subject, "Первая правка");
  g_autofree char *second = field_change ("subject", subject, "Вторая правка");
  g_autofree char *f2 = g_strdup_printf ("%s,%s",
                                         "\"status\":{\"from\":\"registered\","
                                         "\"to\":\"in_progress\"}",
                                         second);
  g_autofree char *p1 = patch_mutation (m1, appeal, f1);
  g_autofree char *p2 = patch_mutation (m2, appeal, f2);
  g_autofree char *kept = NULL, *status = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL, page = NULL;
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor ();
  JsonObject *r2, *conflict, *change;
  guint pages, count;

  assert_result (push_one (DEVICE, p1, &a1), "applied", NULL);
  r2 = push_one (DEVICE_B, p2, &a2);
  assert_result (r2, "conflict", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r2, "conflicts")), ==, 1);
  conflict = json_array_get_object_element (json_object_get_array_member (r2, "conflicts"), 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "subject");
  g_assert_cmpstr (json_object_get_string_member (conflict, "base"), ==, subject);
  g_assert_cmpstr (json_object_get_string_member (conflict, "ours"), ==, "Вторая правка");
  g_assert_cmpstr (json_object_get_string_member (conflict, "theirs"), ==, "Первая правка");
  g_assert_cmpstr (json_object_get_string_member (conflict, "changed_by"), ==, clerk_id);
  g_assert_true (okno_text_is_timestamp (json_object_get_string_member (conflict, "changed_at")));
  /* The server keeps its value; the field without conflict is applied. */
  kept = appeal_field (appeal, "subject");
  status = appeal_field (appeal, "status");
  g_assert_cmpstr (kept, ==, "Первая правка");
  g_assert_cmpstr (status, ==, "in_progress");
  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE appeal_id = '%s'"
                              " AND mutation_id = '%s' AND ours = 'Вторая правка'",
                              appeal, m2),
                   ==, 1);
  /* Served to every branch, by the feed and by the snapshot. */
  feed = read_feed (cursor, 1000, &pages);
  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      change = json_array_get_object_element (feed, i);
      if (strcmp (json_object_get_string_member (change, "collection"), "appeal_conflicts") == 0)
        break;
      change = NULL;
    }
  g_assert_nonnull (change);
  find_change (feed, "appeal_conflicts", json_object_get_string_member (change, "key"), &count);
  g_assert_cmpuint (count, ==, 1);
  check_row (okno_collection_lookup ("appeal_conflicts"),
             json_object_get_object_member (change, "data"));
  page = request ("GET", "/snapshot/appeal_conflicts", token, NULL);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (test_answer_object (page), "items")), >=,
    1);
}

/* --- resolving a conflict ------------------------------------------------------------- */

static char *
resolve_mutation (const char *mutation_id, const char *appeal, const char *conflict,
                  const char *field, const char *from, const char *to)
{
  return g_strdup_printf ("{\"mutation_id\":\"%s\",\"seq\":3,\"collection\":\"appeals\","
                          "\"op\":\"resolve\",\"key\":\"%s\",\"base_version\":1,\"data\":{"
                          "\"conflict_id\":\"%s\",\"field\":\"%s\",\"from\":\"%s\","
                          "\"to\":\"%s\"}}",
                          mutation_id, appeal, conflict, field, from, to);
}

/* Branch A edits the subject, branch B edits it too and gets a conflict;
 * returns the conflict's id. */
static char *
raise_subject_conflict (const char *appeal, const char *ours_a, const char *ours_b)
{
  g_autofree char *subject = appeal_field (appeal, "subject");
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid ();
  g_autofree char *f1 = field_change ("subject", subject, ours_a);
  g_autofree char *f2 = field_change ("subject", subject, ours_b);
  g_autofree char *p1 = patch_mutation (m1, appeal, f1);
  g_autofree char *p2 = patch_mutation (m2, appeal, f2);
  g_autofree char *sql = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL;

  assert_result (push_one (DEVICE, p1, &a1), "applied", NULL);
  assert_result (push_one (DEVICE_B, p2, &a2), "conflict", NULL);
  sql = g_strdup_printf ("SELECT id FROM appeal_conflicts WHERE mutation_id = '%s'", m2);
  return query_text (sql);
}

static char *
conflict_field (const char *conflict, const char *field)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT coalesce (\"%s\", '') FROM appeal_conflicts WHERE id = '%s'", field, conflict);

  return query_text (sql);
}

/* Branch A combines both values; the appeal and the settled conflict reach
 * every branch through the feed, a replay is a duplicate, and a later
 * resolution by branch B with another value does not overwrite the first:
 * it becomes a new conflict. */
static void
test_resolve_conflict (void)
{
  g_autofree char *appeal = take_appeal ("in_progress");
  g_autofree char *conflict = raise_subject_conflict (appeal, "Правка А", "Правка Б");
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid (), *m3 = new_uuid ();
  g_autofree char *combine
    = resolve_mutation (m1, appeal, conflict, "subject", "Правка А", "Правка А и Б");
  g_autofree char *other
    = resolve_mutation (m2, appeal, conflict, "subject", "Правка А", "Только Б");
  g_autofree char *agree
    = resolve_mutation (m3, appeal, conflict, "subject", "Правка А", "Правка А и Б");
  g_autofree char *subject = NULL, *resolved_by = NULL, *resolution = NULL, *later = NULL;
  g_autofree char *later_ours = NULL, *later_theirs = NULL, *later_base = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a1_again = NULL, a2 = NULL, a3 = NULL;
  g_autoptr (JsonArray) feed = NULL;
  gint64 cursor = server_cursor ();
  JsonObject *r1, *again, *r2, *change;
  guint pages, count;
  gint64 version;

  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE id = '%s'"
                              " AND resolved_at IS NULL",
                              conflict),
                   ==, 1);
  r1 = push_one (DEVICE, combine, &a1);
  assert_result (r1, "applied", NULL);
  version = json_object_get_int_member (r1, "version");
  subject = appeal_field (appeal, "subject");
  resolved_by = conflict_field (conflict, "resolved_by");
  resolution = conflict_field (conflict, "resolution");
  g_assert_cmpstr (subject, ==, "Правка А и Б");
  g_assert_cmpstr (resolved_by, ==, clerk_id);
  g_assert_cmpstr (resolution, ==, "Правка А и Б");
  g_assert_cmpint (query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal), ==, version);
  g_assert_cmpint (query_int ("SELECT version FROM appeal_conflicts WHERE id = '%s'", conflict), ==,
                   version);

  /* Branch B reads both from the feed: the new subject and the settled row. */
  feed = read_feed (cursor, 1000, &pages);
  change = find_change (feed, "appeals", appeal, &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (change, "data"), "subject"), ==,
    "Правка А и Б");
  change = find_change (feed, "appeal_conflicts", conflict, &count);
  g_assert_cmpuint (count, ==, 1);
  check_row (okno_collection_lookup ("appeal_conflicts"),
             json_object_get_object_member (change, "data"));
  g_assert_false (
    json_object_get_null_member (json_object_get_object_member (change, "data"), "resolved_at"));
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (change, "data"), "resolution"),
    ==, "Правка А и Б");

  /* A resend after a lost answer changes nothing. */
  again = push_one (DEVICE, combine, &a1_again);
  assert_result (again, "duplicate", NULL);
  g_assert_cmpint (json_object_get_int_member (again, "version"), ==, version);
  g_assert_cmpint (query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal), ==, version);

  /* Branch B, which had not seen it, resolves the same conflict otherwise:
   * the first resolution stays, B's choice waits as a new conflict. */
  r2 = push_one (DEVICE_B, other, &a2);
  assert_result (r2, "conflict", NULL);
  g_free (subject);
  subject = appeal_field (appeal, "subject");
  g_free (resolution);
  resolution = conflict_field (conflict, "resolution");
  g_assert_cmpstr (subject, ==, "Правка А и Б");
  g_assert_cmpstr (resolution, ==, "Правка А и Б");
  {
    g_autofree char *sql = g_strdup_printf (
      "SELECT id FROM appeal_conflicts WHERE mutation_id = '%s' AND resolved_at IS NULL", m2);
    later = query_text (sql);
  }
  later_base = conflict_field (later, "base");
  later_ours = conflict_field (later, "ours");
  later_theirs = conflict_field (later, "theirs");
  g_assert_cmpstr (later_base, ==, "Правка А");
  g_assert_cmpstr (later_ours, ==, "Только Б");
  g_assert_cmpstr (later_theirs, ==, "Правка А и Б");
  g_assert_cmpstr (
    json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (r2, "conflicts"), 0), "ours"),
    ==, "Только Б");

  /* A later resolution that agrees with the first has nothing to do. */
  assert_result (push_one (DEVICE_B, agree, &a3), "applied", NULL);
  g_assert_cmpint (
    query_int ("SELECT count (*) FROM appeal_conflicts WHERE appeal_id = '%s'", appeal), ==, 2);
  g_assert_cmpint (query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal), ==, version);
}

/* Keeping the server's value settles the conflict and leaves the appeal
 * as it was; a value changed by someone else in between is not lost. */
static void
test_resolve_keep_and_stale (void)
{
  g_autofree char *appeal = take_appeal ("in_progress");
  g_autofree char *conflict = raise_subject_conflict (appeal, "Сервер", "Филиал");
  g_autofree char *second = NULL;
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid (), *m3 = new_uuid ();
  g_autofree char *keep = resolve_mutation (m1, appeal, conflict, "subject", "Сервер", "Сервер");
  g_autofree char *f3 = field_change ("subject", "Сервер снова", "Третья правка");
  g_autofree char *third = patch_mutation (m3, appeal, f3);
  g_autofree char *stale = NULL;
  g_autofree char *resolution = NULL, *subject = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL, a3 = NULL;
  gint64 appeal_version = query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal);
  JsonObject *r;

  r = push_one (DEVICE_B, keep, &a1);
  assert_result (r, "applied", NULL);
  g_assert_cmpint (json_object_get_int_member (r, "version"), ==, appeal_version);
  g_assert_cmpint (query_int ("SELECT version FROM appeals WHERE id = '%s'", appeal), ==,
                   appeal_version);
  resolution = conflict_field (conflict, "resolution");
  g_assert_cmpstr (resolution, ==, "Сервер");
  g_assert_cmpint (query_int ("SELECT version FROM appeal_conflicts WHERE id = '%s'", conflict), >,
                   appeal_version);

  /* A second conflict, then a third edit before it is resolved: the
   * resolution settles it, and the value it would overwrite raises a new one. */
  second = raise_subject_conflict (appeal, "Сервер снова", "Филиал снова");
  assert_result (push_one (DEVICE, third, &a2), "applied", NULL);
  stale = resolve_mutation (m2, appeal, second, "subject", "Сервер снова", "Филиал снова");
  r = push_one (DEVICE_B, stale, &a3);
  assert_result (r, "conflict", NULL);
  subject = appeal_field (appeal, "subject");
  g_assert_cmpstr (subject, ==, "Третья правка");
  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE id = '%s'"
                              " AND resolved_at IS NOT NULL",
                              second),
                   ==, 1);
  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE mutation_id = '%s'"
                              " AND ours = 'Филиал снова' AND theirs = 'Третья правка'"
                              " AND resolved_at IS NULL",
                              m2),
                   ==, 1);
}

/* Branch A answers, branch B declines at the same moment: the conflict may
 * settle on either answer. Once the appeal is closed, a conflict left on
 * it can only keep the server's value. */
static void
test_resolve_status (void)
{
  g_autofree char *appeal = take_appeal ("assigned");
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) m = NULL;
  g_autofree char *to_answered = NULL, *to_declined = NULL, *to_closed = NULL;
  g_autofree char *first = NULL, *second = NULL, *sql = NULL, *status = NULL;
  g_autofree char *settle_declined = NULL, *reopen = NULL, *keep_closed = NULL;
  g_autoptr (TestAnswer) a0 = NULL, a1 = NULL, a2 = NULL, a3 = NULL, a5 = NULL, a6 = NULL;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = new_uuid ();
      g_strv_builder_add (ids, id);
    }
  m = g_strv_builder_end (ids);
  to_answered
    = patch_mutation (m[0], appeal, "\"status\":{\"from\":\"assigned\",\"to\":\"answered\"}");
  to_declined
    = patch_mutation (m[1], appeal, "\"status\":{\"from\":\"assigned\",\"to\":\"declined\"}");
  to_closed = patch_mutation (m[3], appeal, "\"status\":{\"from\":\"declined\",\"to\":\"closed\"}");

  assert_result (push_one (DEVICE, to_answered, &a0), "applied", NULL);
  assert_result (push_one (DEVICE_B, to_declined, &a1), "conflict", NULL);
  sql = g_strdup_printf ("SELECT id FROM appeal_conflicts WHERE mutation_id = '%s'", m[1]);
  first = query_text (sql);
  settle_declined = resolve_mutation (m[2], appeal, first, "status", "answered", "declined");
  assert_result (push_one (DEVICE, settle_declined, &a2), "applied", NULL);
  status = appeal_field (appeal, "status");
  g_assert_cmpstr (status, ==, "declined");

  /* A subject in conflict, then the appeal is closed: only the server's
   * subject can be kept. */
  second = raise_subject_conflict (appeal, "Тема А", "Тема Б");
  assert_result (push_one (DEVICE, to_closed, &a3), "applied", NULL);
  reopen = resolve_mutation (m[5], appeal, second, "subject", "Тема А", "Тема Б");
  assert_result (push_one (DEVICE_B, reopen, &a5), "rejected", "invalid_transition");
  keep_closed = resolve_mutation (m[6], appeal, second, "subject", "Тема А", "Тема А");
  assert_result (push_one (DEVICE_B, keep_closed, &a6), "applied", NULL);
  g_free (status);
  status = appeal_field (appeal, "status");
  g_assert_cmpstr (status, ==, "closed");
  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE appeal_id = '%s'"
                              " AND resolved_at IS NULL",
                              appeal),
                   ==, 0);
}

/* What a resolution must name, and what it may not do. */
static void
test_resolve_validation (void)
{
  g_autofree char *appeal = take_appeal ("in_progress");
  g_autofree char *other_appeal = take_appeal ("answered");
  g_autofree char *conflict = raise_subject_conflict (appeal, "Раз", "Два");
  g_autofree char *unknown = new_uuid ();
  struct
  {
    char *mutation;
    const char *error;
  } cases[] = {
    { resolve_mutation (unknown, appeal, unknown, "subject", "Раз", "Два"), "not_found" },
    { resolve_mutation (unknown, other_appeal, conflict, "subject", "Раз", "Два"),
      "invalid_mutation" },
    { resolve_mutation (unknown, appeal, conflict, "body", "Раз", "Два"), "invalid_mutation" },
    { g_strdup_printf ("{\"mutation_id\":\"%s\",\"collection\":\"appeals\",\"op\":\"resolve\","
                       "\"key\":\"%s\",\"data\":{\"conflict_id\":\"%s\",\"field\":\"subject\","
                       "\"from\":\"Раз\",\"to\":null}}",
                       unknown, appeal, conflict),
      "invalid_row" },
    { g_strdup_printf ("{\"mutation_id\":\"%s\",\"collection\":\"appeals\",\"op\":\"resolve\","
                       "\"key\":\"%s\",\"data\":{\"conflict_id\":\"%s\",\"field\":\"subject\","
                       "\"to\":\"Два\"}}",
                       unknown, appeal, conflict),
      "invalid_mutation" },
    { g_strdup_printf ("{\"mutation_id\":\"%s\",\"collection\":\"appeals\",\"op\":\"resolve\","
                       "\"key\":\"%s\",\"data\":{\"conflict_id\":\"%s\",\"field\":\"subject\","
                       "\"from\":\"Раз\",\"to\":\"Два\",\"resolved_by\":\"%s\"}}",
                       unknown, appeal, conflict, clerk_id),
      "invalid_mutation" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TestAnswer) answer = NULL;

      assert_result (push_one (DEVICE, cases[i].mutation, &answer), "rejected", cases[i].error);
      g_free (cases[i].mutation);
    }
  /* Nothing of the rejected ones is left: the conflict is still open. */
  g_assert_cmpint (query_int ("SELECT count (*) FROM appeal_conflicts WHERE id = '%s'"
                              " AND resolved_at IS NULL",
                              conflict),
                   ==, 1);
}

static void
test_closed_appeal (void)
{
  g_autofree char *appeal = take_appeal ("closed");
  g_autofree char *subject = appeal_field (appeal, "subject");
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid (), *m3 = new_uuid ();
  g_autofree char *reopen
    = patch_mutation (m1, appeal, "\"status\":{\"from\":\"answered\",\"to\":\"in_progress\"}");
  g_autofree char *f2 = field_change ("subject", subject, "Правка после закрытия");
  g_autofree char *edit = patch_mutation (m2, appeal, f2);
  g_autofree char *again
    = patch_mutation (m3, appeal, "\"status\":{\"from\":\"answered\",\"to\":\"closed\"}");
  g_autofree char *kept = NULL;
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL, a3 = NULL;
  JsonObject *r1;

  r1 = push_one (DEVICE, reopen, &a1);
  assert_result (r1, "rejected", "invalid_transition");
  g_assert_nonnull (strstr (json_object_get_string_member (r1, "message"), "closed"));
  assert_result (push_one (DEVICE, edit, &a2), "rejected", "invalid_transition");
  /* Closing what is already closed changes nothing and is no error. */
  assert_result (push_one (DEVICE, again, &a3), "applied", NULL);
  kept = appeal_field (appeal, "subject");
  g_assert_cmpstr (kept, ==, subject);
  g_assert_cmpint (
    query_int ("SELECT count (*) FROM mutations WHERE mutation_id IN ('%s', '%s')", m1, m2), ==, 0);
}

static void
test_backward_transition (void)
{
  g_autofree char *appeal = take_appeal ("in_progress");
  g_autofree char *m = new_uuid ();
  g_autofree char *back
    = patch_mutation (m, appeal, "\"status\":{\"from\":\"in_progress\",\"to\":\"registered\"}");
  g_autoptr (TestAnswer) answer = NULL;

  assert_result (push_one (DEVICE, back, &answer), "rejected", "invalid_transition");
}

/* --- rejections ------------------------------------------------------------------------- */

static void
expect_rejection (const char *mutation, const char *error)
{
  g_autoptr (TestAnswer) answer = NULL;
  JsonObject *result = push_one (DEVICE, mutation, &answer);

  if (g_strcmp0 (json_object_get_string_member (result, "status"), "rejected") != 0)
    g_error ("expected %s for %s", error, mutation);
  assert_result (result, "rejected", error);
}

static void
test_validation (void)
{
  g_autofree char *account = some_account ();
  g_autofree char *m = new_uuid (), *id = new_uuid ();
  g_autofree char *good = payment_mutation (m, id, account, 700);
  g_autofree char *unknown_field
    = with_replaced (good, "\"receipt\":null", "\"receipt\":null,\"x\":1");
  g_autofree char *wrong_type
    = with_replaced (good, "\"amount_kop\":700", "\"amount_kop\":\"700\"");
  g_autofree char *bad_choice = with_replaced (good, "\"cash\"", "\"gold\"");
  g_autofree char *negative = with_replaced (good, "\"amount_kop\":700", "\"amount_kop\":-5");
  g_autofree char *bad_date = with_replaced (good, "2026-11-27T06:00:00Z", "27.11.2026");
  g_autofree char *missing = with_replaced (good, "\"method\":\"cash\",", "");
  g_autofree char *bad_ref = with_replaced (good, account, "00000000-0000-4000-8000-000000000000");
  g_autofree char *other_key = with_replaced (good, "\"key\":\"", "\"key\":\"0");
  g_autofree char *accounts = with_replaced (good, "\"payments\"", "\"accounts\"");
  g_autofree char *patch_payment = with_replaced (good, "\"create\"", "\"patch\"");
  g_autofree char *no_appeal = patch_mutation (m, "00000000-0000-4000-8000-000000000001",
                                               "\"subject\":{\"from\":\"a\",\"to\":\"b\"}");
  g_autofree char *appeal = take_appeal ("answered");
  g_autofree char *number_patch
    = patch_mutation (m, appeal, "\"number\":{\"from\":\"a\",\"to\":\"b\"}");
  g_autofree char *bad_to = patch_mutation (m, appeal, "\"status\":{\"from\":\"a\",\"to\":\"b\"}");
  g_autofree char *bare = patch_mutation (m, appeal, "\"subject\":\"b\"");

  expect_rejection (unknown_field, "invalid_row");
  expect_rejection (wrong_type, "invalid_row");
  expect_rejection (bad_choice, "invalid_row");
  expect_rejection (negative, "invalid_row");
  expect_rejection (bad_date, "invalid_row");
  expect_rejection (missing, "invalid_row");
  expect_rejection (bad_ref, "unknown_reference");
  expect_rejection (other_key, "invalid_mutation");
  expect_rejection (accounts, "unsupported");
  expect_rejection (patch_payment, "unsupported");
  expect_rejection (no_appeal, "not_found");
  expect_rejection (number_patch, "invalid_mutation");
  expect_rejection (bad_to, "invalid_row");
  expect_rejection (bare, "invalid_mutation");
  /* A rejection leaves nothing behind: fixed, the same id goes through. */
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 0);
  {
    g_autoptr (TestAnswer) answer = NULL;
    assert_result (push_one (DEVICE, good, &answer), "applied", NULL);
  }
}

static void
test_duplicate_key (void)
{
  g_autofree char *account = some_account ();
  g_autofree char *m1 = new_uuid (), *m2 = new_uuid (), *m3 = new_uuid (), *id = new_uuid ();
  g_autofree char *first = payment_mutation (m1, id, account, 900);
  g_autofree char *same = payment_mutation (m2, id, account, 900);
  g_autofree char *different = payment_mutation (m3, id, account, 901);
  g_autoptr (TestAnswer) a1 = NULL, a2 = NULL;
  JsonObject *r1, *r2;

  r1 = push_one (DEVICE, first, &a1);
  assert_result (r1, "applied", NULL);
  /* The same row under another id: applied again, nothing changes. */
  r2 = push_one (DEVICE, same, &a2);
  assert_result (r2, "applied", NULL);
  g_assert_cmpint (json_object_get_int_member (r2, "version"), ==,
                   json_object_get_int_member (r1, "version"));
  expect_rejection (different, "duplicate_key");
  g_assert_cmpint (query_int ("SELECT amount_kop FROM payments WHERE id = '%s'", id), ==, 900);
}

static void
test_malformed_batch (void)
{
  static const char *const bodies[] = {
    "{\"mutations\":[]}",
    "{\"device_id\":\"" DEVICE "\"}",
    "{\"device_id\":\"" DEVICE "\",\"mutations\":[{\"seq\":1}]}",
    "{\"device_id\":\"" DEVICE "\",\"mutations\":[42]}",
    "[]",
  };
  g_autoptr (TestAnswer) empty
    = request ("POST", "/mutations", token, "{\"device_id\":\"" DEVICE "\",\"mutations\":[]}");
  g_autoptr (TestAnswer) no_token
    = request ("POST", "/mutations", NULL, "{\"device_id\":\"" DEVICE "\",\"mutations\":[]}");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (TestAnswer) answer = request ("POST", "/mutations", token, bodies[i]);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    }
  g_assert_cmpuint (empty->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (test_answer_object (empty), "results")),
    ==, 0);
  test_assert_answer_error (no_token, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
}

static void
test_batch_too_large (void)
{
  g_autofree char *account = some_account ();
  g_autoptr (GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) huge = g_string_new (NULL);
  g_autoptr (TestAnswer) count = NULL, bytes = NULL;

  for (guint i = 0; i < 101; i++)
    {
      g_autofree char *m = new_uuid (), *id = new_uuid ();
      g_ptr_array_add (many, payment_mutation (m, id, account, 1));
    }
  g_ptr_array_add (many, NULL);
  count = push_at (central->base_url, token, DEVICE, (const char *const *)many->pdata);
  test_assert_answer_error (count, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "batch_too_large");
  g_string_append (huge, "{\"device_id\":\"" DEVICE "\",\"mutations\":[],\"pad\":\"");
  for (guint i = 0; i < 1100 * 1024; i++)
    g_string_append_c (huge, 'x');
  g_string_append (huge, "\"}");
  bytes = request ("POST", "/mutations", token, huge->str);
  test_assert_answer_error (bytes, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "batch_too_large");
  /* Nothing of the 101 was applied. */
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE amount_kop = 1"), ==, 0);
}

/* --- the device a session signed in from -------------------------------------------------- */

static gint64
ledger_rows (void)
{
  return query_int ("SELECT (SELECT count (*) FROM mutations) + (SELECT count (*) FROM commits)");
}

/* A batch naming a device its token did not sign in from is refused whole:
 * it would be written, and deduplicated, under another device's ledger. */
static void
test_push_wrong_device (void)
{
  g_autofree char *account = some_account ();
  g_autofree char *m1 = new_uuid (), *id1 = new_uuid ();
  g_autofree char *m2 = new_uuid (), *id2 = new_uuid ();
  g_autofree char *first = payment_mutation (m1, id1, account, 4100);
  g_autofree char *second = payment_mutation (m2, id2, account, 4200);
  const char *both[] = { first, second, NULL };
  gint64 before = ledger_rows ();
  g_autoptr (TestAnswer) forged = push_at (central->base_url, token, DEVICE_B, both);
  g_autoptr (TestAnswer) forged_b = push_at (central->base_url, token_b, DEVICE, both);
  g_autoptr (TestAnswer) own = NULL;
  JsonArray *results;

  test_assert_answer_error (forged, SOUP_STATUS_FORBIDDEN, "wrong_device");
  test_assert_answer_error (forged_b, SOUP_STATUS_FORBIDDEN, "wrong_device");
  g_assert_cmpint (ledger_rows (), ==, before);
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id IN ('%s', '%s')", id1, id2),
                   ==, 0);
  /* The same batch from the device the token signed in from is applied. */
  own = push_at (central->base_url, token_b, DEVICE_B, both);
  g_assert_cmpuint (own->status, ==, SOUP_STATUS_OK);
  results = json_object_get_array_member (test_answer_object (own), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  assert_result (json_array_get_object_element (results, 0), "applied", NULL);
  assert_result (json_array_get_object_element (results, 1), "applied", NULL);
  g_assert_cmpint (query_int ("SELECT count (*) FROM mutations WHERE device_id = '" DEVICE_B
                              "' AND mutation_id IN ('%s', '%s')",
                              m1, m2),
                   ==, 2);
}

/* A refreshed session is still the device's: its new token pushes for
 * that device only, and only that device may refresh it. */
static void
test_refresh_keeps_device (void)
{
  g_autoptr (TestAnswer) first = sign_in_at (central->base_url, "clerk", DEVICE_B);
  const char *refresh_token
    = json_object_get_string_member (test_answer_object (first), "refresh_token");
  g_autoptr (TestAnswer) elsewhere = refresh (refresh_token, DEVICE);
  g_autoptr (TestAnswer) renewed = refresh (refresh_token, DEVICE_B);
  g_autofree char *auth = test_answer_bearer (renewed);
  g_autofree char *account = some_account ();
  g_autofree char *m = new_uuid (), *id = new_uuid ();
  g_autofree char *mutation = payment_mutation (m, id, account, 4300);
  const char *list[] = { mutation, NULL };
  gint64 before = ledger_rows ();
  g_autoptr (TestAnswer) forged = push_at (central->base_url, auth, DEVICE, list);
  g_autoptr (TestAnswer) own = NULL;

  test_assert_answer_error (elsewhere, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
  test_assert_answer_error (forged, SOUP_STATUS_FORBIDDEN, "wrong_device");
  g_assert_cmpint (ledger_rows (), ==, before);
  own = push_at (central->base_url, auth, DEVICE_B, list);
  g_assert_cmpuint (own->status, ==, SOUP_STATUS_OK);
  assert_result (json_array_get_object_element (
                   json_object_get_array_member (test_answer_object (own), "results"), 0),
                 "applied", NULL);
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 1);
}

/* --- staged faults ------------------------------------------------------------------------- */

static void
stage (const char *spec)
{
  g_autoptr (TestAnswer) answer = request ("POST", "/_faults", NULL, spec);

  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_NO_CONTENT);
}

static void
clear_faults (void)
{
  g_autoptr (TestAnswer) answer = request ("DELETE", "/_faults", NULL, NULL);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_NO_CONTENT);
}

static void
test_fault_status (void)
{
  g_autoptr (TestAnswer) a = NULL, b = NULL, c = NULL;

  stage ("{\"path\":\"/api/v1/health\",\"mode\":\"status\",\"status\":503,\"count\":2}");
  a = request ("GET", "/health", NULL, NULL);
  b = request ("GET", "/health", NULL, NULL);
  c = request ("GET", "/health", NULL, NULL);
  test_assert_answer_error (a, 503, "injected_fault");
  test_assert_answer_error (b, 503, "injected_fault");
  /* count spent, the fault is gone */
  g_assert_cmpuint (c->status, ==, SOUP_STATUS_OK);
}

static void
test_fault_retry_after (void)
{
  g_autoptr (TestAnswer) a = NULL;

  stage ("{\"path\":\"/api/v1/changes\",\"mode\":\"retry_after\",\"retry_after\":30}");
  a = request ("GET", "/changes?cursor=1", token, NULL);
  test_assert_answer_error (a, 429, "rate_limited");
  g_assert_cmpstr (test_answer_header (a, "Retry-After"), ==, "30");
}

static void
test_fault_reset (void)
{
  g_autoptr (TestAnswer) a = NULL, b = NULL;

  SoupSession *shared = session;

  stage ("{\"path\":\"/api/v1/health\",\"mode\":\"reset\"}");
  /* A fresh connection: libsoup silently resends a GET once when a reused
   * one closes, which would hide the reset. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  a = request ("GET", "/health", NULL, NULL);
  g_object_unref (session);
  session = shared;
  g_assert_nonnull (a->error);
  g_assert_null (a->root);
  b = request ("GET", "/health", NULL, NULL);
  g_assert_cmpuint (b->status, ==, SOUP_STATUS_OK);
}

static void
test_fault_truncate (void)
{
  g_autoptr (TestAnswer) a = NULL;

  stage ("{\"path\":\"/api/v1/snapshot\",\"mode\":\"truncate\"}");
  a = request ("GET", "/snapshot", token, NULL);
  /* The body stops half-way, short of its Content-Length: never JSON.
   * (libsoup 3.2 hands the short body over without an error.) */
  g_assert_null (a->root);
  if (a->error == NULL)
    g_assert_cmpint (
      (gint64)g_bytes_get_size (a->body), <,
      soup_message_headers_get_content_length (soup_message_get_response_headers (a->msg)));
}

static void
test_fault_invalid_json (void)
{
  g_autoptr (TestAnswer) a = NULL;

  stage ("{\"path\":\"/api/v1/snapshot\",\"mode\":\"invalid_json\"}");
  a = request ("GET", "/snapshot", token, NULL);
  g_assert_no_error (a->error);
  g_assert_cmpuint (a->status, ==, SOUP_STATUS_OK);
  g_assert_null (a->root);
}

#define DELAY_MS 300

/* How long since started, in ms. */
static gint64
ms_since (gint64 started)
{
  return (g_get_monotonic_time () - started) / 1000;
}

/* The fault's promise (docs/api/openapi.yaml): wait delay_ms, then answer
 * normally, for `count` requests. The wait is checked as a lower bound
 * only: an answer cannot come before the server waited, however busy the
 * machine. */
static void
test_fault_delay (void)
{
  g_autoptr (TestAnswer) a = NULL, b = NULL, c = NULL, pushed = NULL;
  g_autofree char *account = some_account ();
  g_autofree char *m = new_uuid (), *id = new_uuid ();
  g_autofree char *mutation = payment_mutation (m, id, account, 4300);
  JsonObject *result;
  gint64 started;

  /* A 503 staged behind the delay shows when the delay is spent: faults
   * are taken in the order they were staged. */
  stage (
    "{\"path\":\"/api/v1/health\",\"mode\":\"delay\",\"delay_ms\":" G_STRINGIFY (DELAY_MS) "}");
  stage ("{\"path\":\"/api/v1/health\",\"mode\":\"status\",\"status\":503}");
  started = g_get_monotonic_time ();
  a = request ("GET", "/health", NULL, NULL);
  g_assert_cmpint (ms_since (started), >=, DELAY_MS);
  /* Late, but whole. */
  g_assert_cmpuint (a->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (test_answer_object (a), "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (test_answer_object (a), "api_version"), ==, 1);
  assert_dated (a);
  /* count 1: the next request meets the 503, not the delay again. */
  b = request ("GET", "/health", NULL, NULL);
  test_assert_answer_error (b, 503, "injected_fault");
  c = request ("GET", "/health", NULL, NULL);
  g_assert_cmpuint (c->status, ==, SOUP_STATUS_OK);

  /* A delayed push is then done as ever: applied, once. */
  stage (
    "{\"path\":\"/api/v1/mutations\",\"mode\":\"delay\",\"delay_ms\":" G_STRINGIFY (DELAY_MS) "}");
  started = g_get_monotonic_time ();
  result = push_one (DEVICE, mutation, &pushed);
  g_assert_cmpint (ms_since (started), >=, DELAY_MS);
  assert_result (result, "applied", NULL);
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 1);
}

/* The push is committed, the answer lost: the resend finds it done. */
static void
fail_after_commit_then_resend (const char *spec)
{
  g_autofree char *account = some_account ();
  g_autofree char *m = new_uuid (), *id = new_uuid ();
  g_autofree char *mutation = payment_mutation (m, id, account, 4200);
  const char *list[] = { mutation, NULL };
  g_autoptr (TestAnswer) lost = NULL, resent = NULL;
  JsonObject *result;

  stage (spec);
  lost = push_at (central->base_url, token, DEVICE, list);
  g_assert_true (lost->error != NULL || lost->status == SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 1);
  resent = push_at (central->base_url, token, DEVICE, list);
  g_assert_cmpuint (resent->status, ==, SOUP_STATUS_OK);
  result = json_array_get_object_element (
    json_object_get_array_member (test_answer_object (resent), "results"), 0);
  assert_result (result, "duplicate", NULL);
  g_assert_cmpint (json_object_get_int_member (result, "version"), ==,
                   query_int ("SELECT version FROM payments WHERE id = '%s'", id));
  g_assert_cmpint (query_int ("SELECT count (*) FROM payments WHERE id = '%s'", id), ==, 1);
}

static void
test_fault_fail_after_commit (void)
{
  fail_after_commit_then_resend (
    "{\"path\":\"/api/v1/mutations\",\"mode\":\"fail_after_commit\",\"status\":500}");
  fail_after_commit_then_resend (
    "{\"path\":\"/api/v1/mutations\",\"mode\":\"fail_after_commit\",\"status\":0}");
}

static void
test_fault_admin (void)
{
  static const char *const bad[] = {
    "{\"mode\":\"explode\"}",
    "{\"mode\":\"status\",\"status\":200}",
    "{\"mode\":\"status\",\"count\":0}",
    "{\"mode\":\"delay\",\"path\":\"health\"}",
    "not json",
  };
  g_autoptr (TestAnswer) after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (TestAnswer) answer = request ("POST", "/_faults", NULL, bad[i]);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    }
  stage ("{\"path\":\"/api/v1/health\",\"mode\":\"status\",\"count\":5}");
  clear_faults ();
  after = request ("GET", "/health", NULL, NULL);
  g_assert_cmpuint (after->status, ==, SOUP_STATUS_OK);
}

/* --- migration ----------------------------------------------------------------------------- */

/* A database made by schema step 1 gains step 2; its history so far is
 * below the log's floor. */
static void
test_migrate_step_1 (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "step1.db", NULL);
  g_autoptr (GError) error = NULL;
  guint n_steps;
  const OknoMigration *steps = okno_central_schema_steps (&n_steps);

  g_assert_cmpuint (n_steps, >=, 2);
  {
    g_autoptr (OknoDb) db = open_db_at (path);
    g_assert_true (okno_db_migrate (db, steps, 1, &error));
    g_assert_no_error (error);
    direct_exec (db, "INSERT INTO commits (committed_at, origin) VALUES ('x', 'demo');"
                     "INSERT INTO commits (committed_at, origin) VALUES ('y', 'demo')");
  }
  {
    g_autoptr (OknoCentralStore) store = okno_central_store_open (path, &error);
    gint64 floor = -1;

    g_assert_no_error (error);
    g_assert_true (okno_central_store_get_floor (store, &floor, &error));
    g_assert_cmpint (floor, ==, 2);
    g_assert_cmpint (okno_db_get_user_version (okno_central_store_get_db (store), &error), ==,
                     n_steps);
  }
  remove_db (path);
}

/* Step 3 rebuilds appeal_conflicts with the resolution column: the
 * conflicts a step-2 database holds are kept, still open. */
static void
test_migrate_step_2 (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "step2.db", NULL);
  g_autoptr (GError) error = NULL;
  guint n_steps;
  const OknoMigration *steps = okno_central_schema_steps (&n_steps);

  g_assert_cmpuint (n_steps, >=, 3);
  {
    g_autoptr (OknoDb) db = open_db_at (path);
    g_assert_true (okno_db_migrate (db, steps, 2, &error));
    g_assert_no_error (error);
    direct_exec (
      db, "INSERT INTO appeals (id, number, kind, channel, answer_channel, subject, body, status,"
          " registered_at, due_on, updated_at, version) VALUES ('a', 'О-1', 'complaint', 'visit',"
          " 'email', 'Тема', 'Текст', 'registered', 'x', 'y', 'z', 1);"
          "INSERT INTO appeal_conflicts (id, appeal_id, field, base, ours, theirs, mutation_id,"
          " raised_at, version) VALUES ('c', 'a', 'subject', 'Тема', 'Наша', 'Их', 'm', 'x', 2)");
  }
  {
    g_autoptr (OknoCentralStore) store = okno_central_store_open (path, &error);
    OknoDb *db;

    g_assert_no_error (error);
    db = okno_central_store_get_db (store);
    g_assert_cmpint (okno_db_get_user_version (db, &error), ==, n_steps);
    g_assert_cmpint (db_int (db, "SELECT count (*) FROM appeal_conflicts WHERE id = 'c'"
                                 " AND ours = 'Наша' AND theirs = 'Их' AND version = 2"
                                 " AND resolved_at IS NULL AND resolution IS NULL"),
                     ==, 1);
  }
  remove_db (path);
}

/* --- running ---------------------------------------------------------------------------------- */

static void
start (void)
{
  const char *extra[] = { "--generate", "--accounts", "300",      "--seed",  "11",
                          "--today",    "2026-11-27", "--faults", "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TestAnswer) signed_in = NULL;

  tmp_dir = g_dir_make_tmp ("okno-central-sync-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "central.db", NULL);
  central = central_spawn (db_path, extra, &error);
  g_assert_no_error (error);
  /* Loopback only: no proxy lookups. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  signed_in = sign_in_at (central->base_url, "clerk", DEVICE);
  token = test_answer_bearer (signed_in);
  g_clear_pointer (&signed_in, test_answer_free);
  signed_in = sign_in_at (central->base_url, "clerk", DEVICE_B);
  token_b = test_answer_bearer (signed_in);
  clerk_id = g_strdup (json_object_get_string_member (
    json_object_get_object_member (test_answer_object (signed_in), "staff"), "id"));
}

static void
stop (void)
{
  g_assert_cmpint (central_stop (central), ==, 0);
  g_object_unref (session);
  central_process_free (central);
  remove_db (db_path);
  g_rmdir (tmp_dir);
  g_free (token);
  g_free (token_b);
  g_free (clerk_id);
  g_free (db_path);
  g_free (tmp_dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start ();
  g_test_add_func ("/sync/session-refresh-rotation", test_refresh_rotation);
  g_test_add_func ("/sync/session-refresh-malformed", test_refresh_malformed);
  g_test_add_func ("/sync/session-sign-out", test_sign_out);
  g_test_add_func ("/sync/session-token-expiry", test_token_expiry);
  g_test_add_func ("/sync/changes-parameters", test_changes_parameters);
  g_test_add_func ("/sync/changes-below-demo", test_changes_below_demo);
  g_test_add_func ("/sync/push-applied-then-duplicate", test_push_applied_then_duplicate);
  g_test_add_func ("/sync/changes-latest-once", test_feed_latest_once);
  g_test_add_func ("/sync/changes-big-commit", test_feed_big_commit);
  g_test_add_func ("/sync/changes-delete", test_feed_delete);
  g_test_add_func ("/sync/changes-retention", test_retention);
  g_test_add_func ("/sync/push-concurrent", test_push_concurrent);
  g_test_add_func ("/sync/appeal-merge", test_merge_different_fields);
  g_test_add_func ("/sync/appeal-conflict", test_conflict_same_field);
  g_test_add_func ("/sync/appeal-resolve", test_resolve_conflict);
  g_test_add_func ("/sync/appeal-resolve-keep-and-stale", test_resolve_keep_and_stale);
  g_test_add_func ("/sync/appeal-resolve-validation", test_resolve_validation);
  g_test_add_func ("/sync/appeal-resolve-status", test_resolve_status);
  g_test_add_func ("/sync/appeal-closed", test_closed_appeal);
  g_test_add_func ("/sync/appeal-backward", test_backward_transition);
  g_test_add_func ("/sync/push-validation", test_validation);
  g_test_add_func ("/sync/push-duplicate-key", test_duplicate_key);
  g_test_add_func ("/sync/push-malformed", test_malformed_batch);
  g_test_add_func ("/sync/push-too-large", test_batch_too_large);
  g_test_add_func ("/sync/push-wrong-device", test_push_wrong_device);
  g_test_add_func ("/sync/session-refresh-keeps-device", test_refresh_keeps_device);
  g_test_add_func ("/sync/fault-status", test_fault_status);
  g_test_add_func ("/sync/fault-retry-after", test_fault_retry_after);
  g_test_add_func ("/sync/fault-reset", test_fault_reset);
  g_test_add_func ("/sync/fault-truncate", test_fault_truncate);
  g_test_add_func ("/sync/fault-invalid-json", test_fault_invalid_json);
  g_test_add_func ("/sync/fault-delay", test_fault_delay);
  g_test_add_func ("/sync/fault-fail-after-commit", test_fault_fail_after_commit);
  g_test_add_func ("/sync/fault-admin", test_fault_admin);
  g_test_add_func ("/sync/migrate-step-1", test_migrate_step_1);
  g_test_add_func ("/sync/migrate-step-2", test_migrate_step_2);
  status = g_test_run ();
  stop ();
  return status;
}
