/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-central over HTTP, as a client sees it: the binary is started on a
 * free port of 127.0.0.1 with a small generated dataset, and every answer
 * is checked against the contract and against the database itself. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-collection.h"
#include "okno-db.h"
#include "test-db.h"
#include "test-http.h"

#define DEVICE "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a88"

static char *tmp_dir;
static char *db_path;
static CentralProcess *central;
static SoupSession *session;
static char *token; /* the clerk's, "Bearer …" */

/* Sends a request; the body must be JSON whatever the status. */
static TestAnswer *
request_full (const char *base, const char *method, const char *path, const char *auth,
              const char *body, gssize body_length, const char *accept_encoding)
{
  SoupMessage *msg = test_http_message (base, method, path, auth, body, body_length);
  TestAnswer *answer;
  const char *data;
  gsize length = 0;

  if (accept_encoding)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding",
                                  accept_encoding);
  answer = test_http_send (session, msg);
  g_assert_no_error (answer->error);
  data = g_bytes_get_data (answer->body, &length);
  if (answer->root == NULL)
    g_error ("%s %s answered %u with non-JSON: %.*s", method, path, answer->status, (int)length,
             data);
  /* Complete bodies with a length, never chunked. */
  g_assert_cmpint (
    soup_message_headers_get_encoding (soup_message_get_response_headers (answer->msg)), ==,
    SOUP_ENCODING_CONTENT_LENGTH);
  return answer;
}

static TestAnswer *
request (const char *method, const char *path, const char *auth, const char *body)
{
  return request_full (central->base_url, method, path, auth, body, -1, NULL);
}

static char *
sign_in (const char *login, const char *password)
{
  g_autoptr (TestAnswer) answer
    = test_http_sign_in (session, central->base_url, login, password, DEVICE);

  return test_answer_bearer (answer);
}

/* --- service and session ------------------------------------------------- */

static void
test_health (void)
{
  g_autoptr (TestAnswer) answer = request ("GET", "/health", NULL, NULL);
  JsonObject *body = test_answer_object (answer);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (body, "api_version"), ==, 1);
  g_assert_true (okno_text_is_timestamp (json_object_get_string_member (body, "server_time")));
}

static void
test_sign_in (void)
{
  g_autoptr (TestAnswer) answer = request ("POST", "/session", NULL,
                                           "{\"login\":\"clerk\",\"password\":\"clerk\","
                                           "\"device_id\":\"" DEVICE "\"}");
  JsonObject *body = test_answer_object (answer);
  JsonObject *staff;
  const char *access;

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  access = json_object_get_string_member (body, "access_token");
  g_assert_cmpuint (strlen (access), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (body, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (body, "expires_in"), ==, 3600);
  staff = json_object_get_object_member (body, "staff");
  g_assert_true (okno_text_is_uuid (json_object_get_string_member (staff, "id")));
  g_assert_cmpstr (json_object_get_string_member (staff, "login"), ==, "clerk");
  g_assert_cmpstr (json_object_get_string_member (staff, "role"), ==, "clerk");
  g_assert_true (strlen (json_object_get_string_member (staff, "full_name")) > 0);
  g_assert_true (okno_text_is_uuid (json_object_get_string_member (staff, "branch_id")));
  g_assert_cmpuint (json_object_get_size (staff), ==, 5);
  g_assert_cmpint (json_object_get_int_member (body, "device_code"), ==, 1);
}

/* Signs login in on device; returns the answer's desk code, and its
 * refresh token in *refresh when asked. */
static gint64
desk_code_of (const char *login, const char *device, char **refresh)
{
  g_autofree char *body = g_strdup_printf (
    "{\"login\":\"%s\",\"password\":\"%s\",\"device_id\":\"%s\"}", login, login, device);
  g_autoptr (TestAnswer) answer = request ("POST", "/session", NULL, body);
  JsonObject *o = test_answer_object (answer);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  if (refresh)
    *refresh = g_strdup (json_object_get_string_member (o, "refresh_token"));
  return json_object_get_int_member (o, "device_code");
}

/* Every desktop gets its own desk code in a branch, kept across sign-ins
 * and refreshes, so the appeal numbers it makes offline never collide. */
static void
test_desk_codes (void)
{
  const char *d3 = "5b7d1e2a-0c4f-4a8e-9b1d-3f6a2c8e7d10";
  const char *d4 = "7c2e4f6a-1b3d-4c5e-8f7a-9b0c1d2e3f40";
  g_autofree char *refresh = NULL, *body = NULL;
  g_autoptr (TestAnswer) answer = NULL;
  gint64 c3 = desk_code_of ("clerk", d3, &refresh);
  gint64 c4 = desk_code_of ("clerk", d4, NULL);

  g_assert_cmpint (c3, >=, 1);
  g_assert_cmpint (c4, ==, c3 + 1);
  /* The same desktop keeps its code, whoever of the branch signs in. */
  g_assert_cmpint (desk_code_of ("clerk", d3, NULL), ==, c3);
  g_assert_cmpint (desk_code_of ("admin", d4, NULL), ==, c4);
  /* Another branch numbers its desktops on its own. */
  g_assert_cmpint (desk_code_of ("office", d4, NULL), ==, 1);
  g_assert_cmpint (desk_code_of ("office", d3, NULL), ==, 2);
  /* A refresh says the same code. */
  body = g_strdup_printf ("{\"refresh_token\":\"%s\",\"device_id\":\"%s\"}", refresh, d3);
  answer = request ("POST", "/session/refresh", NULL, body);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (test_answer_object (answer), "device_code"), ==, c3);
  /* No branch has two desktops under one code. */
  g_assert_cmpint (test_db_count (db_path,
                                  "SELECT count (*) FROM (SELECT branch_id, code FROM devices"
                                  " GROUP BY branch_id, code HAVING count (*) > 1)",
                                  NULL),
                   ==, 0);
}

static void
test_demo_users (void)
{
  static const char *const users[][2] = {
    { "admin", "administrator" },
    { "supervisor", "supervisor" },
    { "clerk2", "clerk" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\","
                                               "\"device_id\":\"" DEVICE "\"}",
                                               users[i][0], users[i][0]);
      g_autoptr (TestAnswer) answer = request ("POST", "/session", NULL, body);
      JsonObject *staff;

      g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
      staff = json_object_get_object_member (test_answer_object (answer), "staff");
      g_assert_cmpstr (json_object_get_string_member (staff, "role"), ==, users[i][1]);
    }
}

static void
test_sign_in_refused (void)
{
  g_autoptr (TestAnswer) wrong = request ("POST", "/session", NULL,
                                          "{\"login\":\"clerk\",\"password\":\"clerk!\","
                                          "\"device_id\":\"" DEVICE "\"}");
  g_autoptr (TestAnswer) nobody = request ("POST", "/session", NULL,
                                           "{\"login\":\"nobody\",\"password\":\"nobody\","
                                           "\"device_id\":\"" DEVICE "\"}");

  test_assert_answer_error (wrong, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials");
  test_assert_answer_error (nobody, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials");
  /* The same words whether the login exists or not. */
  g_assert_cmpstr (json_object_get_string_member (test_answer_object (wrong), "message"), ==,
                   json_object_get_string_member (test_answer_object (nobody), "message"));
}

static void
test_sign_in_malformed (void)
{
  static const char *const bodies[] = {
    "{\"login\":\"clerk\",",
    "[\"clerk\",\"clerk\"]",
    "",
    "null",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (TestAnswer) answer = request ("POST", "/session", NULL, bodies[i]);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    }
}

static void
test_sign_in_missing_fields (void)
{
  static const char *const bodies[] = {
    "{\"login\":\"clerk\",\"device_id\":\"" DEVICE "\"}",
    "{\"password\":\"clerk\",\"device_id\":\"" DEVICE "\"}",
    "{\"login\":\"clerk\",\"password\":\"clerk\"}",
    "{\"login\":\"clerk\",\"password\":\"clerk\",\"device_id\":\"not-a-uuid\"}",
    "{\"login\":42,\"password\":\"clerk\",\"device_id\":\"" DEVICE "\"}",
    "{\"login\":\"\",\"password\":\"clerk\",\"device_id\":\"" DEVICE "\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (TestAnswer) answer = request ("POST", "/session", NULL, bodies[i]);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    }
}

static void
test_body_too_large (void)
{
  gsize size = 200 * 1024;
  g_autofree char *body = g_malloc (size);
  g_autoptr (TestAnswer) answer = NULL;

  memset (body, ' ', size);
  body[0] = '{';
  body[size - 1] = '}';
  answer = request_full (central->base_url, "POST", "/session", NULL, body, (gssize)size, NULL);
  test_assert_answer_error (answer, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
}

static void
test_needs_token (void)
{
  static const char *const headers[] = {
    NULL,
    "Bearer",
    "Bearer 1234",
    "Basic Y2xlcms6Y2xlcms=",
    "Bearer 0000000000000000000000000000000000000000000000000000000000000000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr (TestAnswer) info = request ("GET", "/snapshot", headers[i], NULL);
      g_autoptr (TestAnswer) page = request ("GET", "/snapshot/accounts", headers[i], NULL);

      test_assert_answer_error (info, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
      test_assert_answer_error (page, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
    }
}

/* --- snapshots ------------------------------------------------------------- */

static OknoDb *
open_db (void)
{
  g_autoptr (GError) error = NULL;
  OknoDb *db = okno_db_open (db_path, OKNO_DB_READ_ONLY, &error);

  g_assert_no_error (error);
  return db;
}

static gint64
db_count (const char *table)
{
  return test_db_count_rows (db_path, table);
}

/* The demo dataset has none of these: branches make them as they sync. */
static gboolean
made_by_sync (const OknoCollection *collection)
{
  return strcmp (collection->name, "appeal_conflicts") == 0
         || strcmp (collection->name, "disclosures") == 0
         || strcmp (collection->name, "appeal_documents") == 0;
}

static void
test_snapshot_info (void)
{
  g_autoptr (TestAnswer) answer = request ("GET", "/snapshot", token, NULL);
  JsonArray *collections;
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (test_answer_object (answer), "cursor"), >=, 1);
  collections = json_object_get_array_member (test_answer_object (answer), "collections");
  g_assert_cmpuint (json_array_get_length (collections), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (collections, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, all[i]->name);
      g_assert_cmpint (json_object_get_int_member (entry, "count"), ==, db_count (all[i]->name));
      if (!made_by_sync (all[i]))
        g_assert_cmpint (json_object_get_int_member (entry, "count"), >, 0);
    }
}

static GPtrArray *
db_keys (OknoDb *db, const OknoCollection *collection)
{
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" ORDER BY 1",
                                          collection->fields[0].name, collection->name);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, &error);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  while (okno_db_step (db, stmt, &error) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  g_assert_no_error (error);
  sqlite3_reset (stmt);
  return keys;
}

/* Pages through a collection; returns the keys in the order received. */
static GPtrArray *
page_through (const OknoCollection *collection, guint limit)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, TRUE) : NULL;
      g_autofree char *path = g_strdup_printf ("/snapshot/%s?limit=%u%s%s", collection->name, limit,
                                               after ? "&after=" : "", after ? escaped : "");
      g_autoptr (TestAnswer) answer = request ("GET", path, token, NULL);
      JsonObject *page = test_answer_object (answer);
      JsonArray *items;
      guint n;

      g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
      g_assert_cmpstr (json_object_get_string_member (page, "collection"), ==, collection->name);
      g_assert_cmpuint (json_object_get_size (page), ==, 4);
      items = json_object_get_array_member (page, "items");
      n = json_array_get_length (items);
      more = json_object_get_boolean_member (page, "has_more");
      g_assert_cmpuint (n, <=, limit);
      /* A full page may or may not have a successor; a short one never does. */
      if (n < limit)
        g_assert_false (more);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (
          keys, g_strdup (json_object_get_string_member (json_array_get_object_element (items, i),
                                                         collection->fields[0].name)));
      g_free (after);
      if (n == 0)
        {
          g_assert_true (json_object_get_null_member (page, "next_after"));
          after = NULL;
        }
      else
        {
          after = g_strdup (json_object_get_string_member (page, "next_after"));
          g_assert_cmpstr (after, ==, keys->pdata[keys->len - 1]);
        }
    }
  return keys;
}

static void
test_paging (void)
{
  g_autoptr (OknoDb) db = open_db ();
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) expected = db_keys (db, all[i]);
      g_autoptr (GPtrArray) got = page_through (all[i], 37);

      /* Every row exactly once, in key order. */
      g_assert_cmpuint (got->len, ==, expected->len);
      for (guint k = 0; k < got->len; k++)
        g_assert_cmpstr (got->pdata[k], ==, expected->pdata[k]);
    }
}

static void
test_paging_exact_end (void)
{
  const OknoCollection *branches = okno_collection_lookup ("branches");
  gint64 n = db_count ("branches");
  g_autofree char *path = g_strdup_printf ("/snapshot/branches?limit=%" G_GINT64_FORMAT, n);
  g_autoptr (TestAnswer) answer = request ("GET", path, token, NULL);
  g_autoptr (GPtrArray) keys = page_through (branches, (guint)n);

  /* A page that ends exactly at the last row says there is no more. */
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_false (json_object_get_boolean_member (test_answer_object (answer), "has_more"));
  g_assert_cmpuint (keys->len, ==, (guint)n);
}

static void
test_default_limit (void)
{
  g_autoptr (TestAnswer) answer = request ("GET", "/snapshot/readings", token, NULL);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (test_answer_object (answer), "items")), ==,
    1000);
  g_assert_true (json_object_get_boolean_member (test_answer_object (answer), "has_more"));
}

static void
test_bad_parameters (void)
{
  static const char *const paths[] = {
    "/snapshot/accounts?limit=0",
    "/snapshot/accounts?limit=5001",
    "/snapshot/accounts?limit=-1",
    "/snapshot/accounts?limit=abc",
    "/snapshot/accounts?limit=1.5",
    "/snapshot/accounts?limit=",
    ("/snapshot/"
     "accounts?after=0123456789012345678901234567890123456789012345678901234567890123456789"),
    "/snapshot/accounts?format=tree",
    "/snapshot/accounts?format=",
    "/snapshot/accounts?format=DENSE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (TestAnswer) answer = request ("GET", paths[i], token, NULL);
      test_assert_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "invalid_parameter");
    }
}

static void
test_not_found (void)
{
  static const char *const paths[] = {
    "/snapshot/nothing", "/snapshot/accounts/extra", "/snapshot/", "/_faults", "/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (TestAnswer) answer = request ("GET", paths[i], token, NULL);
      test_assert_answer_error (answer, SOUP_STATUS_NOT_FOUND, "not_found");
    }
}

static void
test_wrong_method (void)
{
  g_autoptr (TestAnswer) health = request ("POST", "/health", NULL, "{}");
  g_autoptr (TestAnswer) session_get = request ("GET", "/session", NULL, NULL);
  g_autoptr (TestAnswer) snapshot = request ("DELETE", "/snapshot", token, NULL);

  test_assert_answer_error (health, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  test_assert_answer_error (session_get, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  test_assert_answer_error (snapshot, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  g_assert_cmpstr (test_answer_header (session_get, "Allow"), ==, "POST, DELETE");
}

/* A JSON member decoded the way the sync client decodes it. */
static void
check_member (const OknoField *field, JsonNode *node, const char *collection)
{
  OknoValue value = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    value.is_null = TRUE;
  else
    {
      GType type = json_node_get_value_type (node);

      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      switch (field->type)
        {
          case OKNO_FIELD_INTEGER:
            g_assert_true (type == G_TYPE_INT64);
            value.integer = json_node_get_int (node);
            break;
          case OKNO_FIELD_REAL:
            g_assert_true (type == G_TYPE_DOUBLE || type == G_TYPE_INT64);
            value.real = json_node_get_double (node);
            break;
          case OKNO_FIELD_BOOLEAN:
            g_assert_true (type == G_TYPE_BOOLEAN);
            value.integer = json_node_get_boolean (node);
            break;
          default:
            g_assert_true (type == G_TYPE_STRING);
            value.text = json_node_get_string (node);
        }
    }
  if (!okno_field_check (field, &value, &error))
    g_error ("%s.%s: %s", collection, field->name, error->message);
}

static void
test_item_types (void)
{
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/snapshot/%s?limit=300", all[i]->name);
      g_autoptr (TestAnswer) answer = request ("GET", path, token, NULL);
      JsonArray *items = json_object_get_array_member (test_answer_object (answer), "items");

      if (!made_by_sync (all[i]))
        g_assert_cmpuint (json_array_get_length (items), >, 0);
      for (guint r = 0; r < json_array_get_length (items); r++)
        {
          JsonObject *item = json_array_get_object_element (items, r);

          /* Exactly the descriptor's fields, no more, no fewer. */
          g_assert_cmpuint (json_object_get_size (item), ==, all[i]->n_fields);
          for (guint f = 0; f < all[i]->n_fields; f++)
            check_member (&all[i]->fields[f], json_object_get_member (item, all[i]->fields[f].name),
                          all[i]->name);
        }
    }
}

/* A dense page is its items page: the descriptor's names once, in its
 * order, and each row's values in that order. */
static void
test_dense_page (void)
{
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/snapshot/%s?limit=300", all[i]->name);
      g_autofree char *dense_path = g_strconcat (path, "&format=dense", NULL);
      g_autoptr (TestAnswer) answer = request ("GET", path, token, NULL);
      g_autoptr (TestAnswer) dense = request ("GET", dense_path, token, NULL);
      JsonObject *page = test_answer_object (dense);
      JsonArray *items = json_object_get_array_member (test_answer_object (answer), "items");
      JsonArray *columns = json_object_get_array_member (page, "columns");
      JsonArray *rows = json_object_get_array_member (page, "rows");

      g_assert_cmpuint (dense->status, ==, SOUP_STATUS_OK);
      g_assert_cmpuint (json_object_get_size (page), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (page, "collection"), ==, all[i]->name);
      g_assert_cmpuint (json_array_get_length (columns), ==, all[i]->n_fields);
      for (guint f = 0; f < all[i]->n_fields; f++)
        g_assert_cmpstr (json_array_get_string_element (columns, f), ==, all[i]->fields[f].name);
      g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (items));
      for (guint r = 0; r < json_array_get_length (rows); r++)
        {
          JsonArray *row = json_array_get_array_element (rows, r);
          JsonObject *item = json_array_get_object_element (items, r);

          g_assert_cmpuint (json_array_get_length (row), ==, all[i]->n_fields);
          for (guint f = 0; f < all[i]->n_fields; f++)
            g_assert_true (json_node_equal (json_array_get_element (row, f),
                                            json_object_get_member (item, all[i]->fields[f].name)));
        }
      g_assert_cmpstr (json_object_get_string_member_with_default (page, "next_after", "-"), ==,
                       json_object_get_string_member_with_default (test_answer_object (answer),
                                                                   "next_after", "-"));
      g_assert_cmpint (json_object_get_boolean_member (page, "has_more"), ==,
                       json_object_get_boolean_member (test_answer_object (answer), "has_more"));
    }
}

/* --- processes -------------------------------------------------------------------- */

static void
test_gzip (void)
{
  const char *extra[] = { "--gzip-level", "1", "--generate", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CentralProcess) packed = central_spawn (db_path, extra, &error);
  g_autoptr (TestAnswer) plain = NULL;
  g_autoptr (TestAnswer) zipped = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  plain = request_full (central->base_url, "GET", "/snapshot/accounts?limit=200", token, NULL, -1,
                        "identity");
  /* The same database, and so the same session, through the second server. */
  zipped = request_full (packed->base_url, "GET", "/snapshot/accounts?limit=200", token, NULL, -1,
                         "gzip");
  g_assert_cmpuint (zipped->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (test_answer_header (zipped, "Content-Encoding"), ==, "gzip");
  g_assert_null (test_answer_header (plain, "Content-Encoding"));
  /* By default a client on this machine gets pages as they are, even when
   * it accepts gzip: over loopback compression only costs time. */
  {
    g_autoptr (TestAnswer) local = request_full (
      central->base_url, "GET", "/snapshot/accounts?limit=200", token, NULL, -1, "gzip");

    g_assert_cmpuint (local->status, ==, SOUP_STATUS_OK);
    g_assert_null (test_answer_header (local, "Content-Encoding"));
  }
  a = json_to_string (plain->root, FALSE);
  b = json_to_string (zipped->root, FALSE);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (central_stop (packed), ==, 0);
}

static void
test_refuses_remote_address (void)
{
  const char *exe = g_getenv ("OKNO_CENTRAL");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL, *err = NULL;

  process
    = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        exe, "--db", db_path, "--port", "0", "--address", "0.0.0.0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  /* It refuses with a message, not with a sanitizer's report. */
  g_test_message ("okno-central said: %s", err);
  g_assert_false (central_has_sanitizer_report (err));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_assert_null (strstr (out, "listening"));
}

static void
test_stops_on_sigterm (void)
{
  /* Run last: stops the shared server and expects a clean exit. */
  g_assert_cmpint (central_stop (central), ==, 0);
}

static void
remove_tree (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_remove (path);
    }
  g_rmdir (tmp_dir);
}

int
main (int argc, char **argv)
{
  const char *extra[]
    = { "--generate", "--accounts", "600", "--seed", "7", "--today", "2026-11-27", NULL };
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("okno-central-test-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "central.db", NULL);
  central = central_spawn (db_path, extra, &error);
  g_assert_no_error (error);
  /* Loopback only: no proxy lookups. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  token = sign_in ("clerk", "clerk");

  g_test_add_func ("/central/health", test_health);
  g_test_add_func ("/central/session-ok", test_sign_in);
  g_test_add_func ("/central/session-demo-users", test_demo_users);
  g_test_add_func ("/central/session-desk-codes", test_desk_codes);
  g_test_add_func ("/central/session-refused", test_sign_in_refused);
  g_test_add_func ("/central/session-malformed", test_sign_in_malformed);
  g_test_add_func ("/central/session-missing-fields", test_sign_in_missing_fields);
  g_test_add_func ("/central/session-too-large", test_body_too_large);
  g_test_add_func ("/central/snapshot-needs-token", test_needs_token);
  g_test_add_func ("/central/snapshot-info", test_snapshot_info);
  g_test_add_func ("/central/snapshot-paging", test_paging);
  g_test_add_func ("/central/snapshot-paging-exact-end", test_paging_exact_end);
  g_test_add_func ("/central/snapshot-default-limit", test_default_limit);
  g_test_add_func ("/central/snapshot-bad-parameters", test_bad_parameters);
  g_test_add_func ("/central/snapshot-not-found", test_not_found);
  g_test_add_func ("/central/snapshot-item-types", test_item_types);
  g_test_add_func ("/central/snapshot-dense-page", test_dense_page);
  g_test_add_func ("/central/wrong-method", test_wrong_method);
  g_test_add_func ("/central/gzip", test_gzip);
  g_test_add_func ("/central/refuses-remote-address", test_refuses_remote_address);
  g_test_add_func ("/central/stops-on-sigterm", test_stops_on_sigterm);
  status = g_test_run ();

  g_object_unref (session);
  central_process_free (central);
  remove_tree ();
  g_free (token);
  g_free (db_path);
  g_free (tmp_dir);
  return status;
}
