/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Decoders of server answers: good answers decode, bad ones are errors. */

#include <locale.h>
#include <string.h>

#include "okno-sync-scheduler.h"
#include "okno-wire.h"

static GBytes *
b (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static void
test_session (void)
{
  g_autoptr (GBytes) good
    = b ("{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
         "\"staff\":{\"id\":\"00000000-0000-4000-8000-000000000001\","
         "\"login\":\"clerk\",\"full_name\":\"Смирнова Ольга\","
         "\"role\":\"clerk\",\"branch_id\":null}}");
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  gint64 expires;

  g_assert_true (okno_wire_parse_session (good, &token, &expires, NULL, &staff, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "abc");
  g_assert_cmpint (expires, ==, 3600);
  g_assert_cmpstr (staff->full_name, ==, "Смирнова Ольга");
  g_assert_null (staff->branch_id);
  /* An older server gives no desk code. */
  g_assert_cmpint (staff->desk_code, ==, 0);
}

#define SESSION_WITH_DESK(code)                                                                    \
  "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":3600,"                       \
  "\"staff\":{\"id\":\"00000000-0000-4000-8000-000000000001\",\"login\":\"clerk\","                \
  "\"full_name\":\"Смирнова Ольга\",\"role\":\"clerk\",\"branch_id\":null},\"device_code\":" code  \
  "}"

static void
test_session_desk_code (void)
{
  const char *bad[] = { "0", "-1", "10000", "9223372036854775807", "\"7\"", "7.5", "null", "[]" };
  g_autoptr (GBytes) good = b (SESSION_WITH_DESK ("7"));
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  gint64 expires;

  g_assert_true (okno_wire_parse_session (good, &token, &expires, NULL, &staff, &error));
  g_assert_no_error (error);
  g_assert_cmpint (staff->desk_code, ==, 7);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf (SESSION_WITH_DESK ("%s"), bad[i]);
      g_autoptr (GBytes) body = b (text);
      g_autoptr (GError) e = NULL;
      g_autofree char *t = NULL;
      OknoStaff *s = NULL;

      g_assert_false (okno_wire_parse_session (body, &t, &expires, NULL, &s, &e));
      g_assert_error (e, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
      g_assert_null (s);
    }
}

static void
test_session_bad (void)
{
  const char *bad[] = {
    "",
    "null",
    "[]",
    "{",
    "{\"access_token\":1}",
    "{\"access_token\":\"a\",\"token_type\":\"Basic\",\"expires_in\":1,\"staff\":{}}",
    "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"1\",\"staff\":{}}",
    "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":1,\"staff\":[]}",
    "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":1,\"staff\":{\"id\":\"x\","
    "\"login\":\"l\",\"full_name\":\"n\",\"role\":\"clerk\",\"branch_id\":null}}",
    "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":1,\"staff\":{\"id\":"
    "\"00000000-0000-4000-8000-000000000001\",\"login\":\"l\",\"full_name\":\"n\","
    "\"role\":\"king\",\"branch_id\":null}}",
    "{\"access_token\":\"\",\"token_type\":\"Bearer\",\"expires_in\":1,\"staff\":{}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) body = b (bad[i]);
      g_autoptr (GError) error = NULL;
      char *token = NULL;
      OknoStaff *staff = NULL;
      gint64 expires;

      g_assert_false (okno_wire_parse_session (body, &token, &expires, NULL, &staff, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
      g_assert_null (token);
      g_assert_null (staff);
    }
}

static void
test_snapshot_info (void)
{
  g_autoptr (GBytes) good
    = b ("{\"cursor\":77,\"collections\":[{\"name\":\"accounts\",\"count\":2},"
         "{\"name\":\"future_things\",\"count\":0}]}");
  const char *bad[] = {
    "{\"cursor\":-1,\"collections\":[]}",
    "{\"cursor\":1.5,\"collections\":[]}",
    "{\"cursor\":1,\"collections\":{}}",
    "{\"cursor\":1,\"collections\":[{\"name\":\"accounts\",\"count\":-3}]}",
    "{\"cursor\":1,\"collections\":[{\"name\":7,\"count\":3}]}",
    "{\"collections\":[]}",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoWireSnapshotInfo) info = okno_wire_parse_snapshot_info (good, &error);

  g_assert_no_error (error);
  g_assert_cmpint (info->cursor, ==, 77);
  g_assert_cmpuint (info->collections->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) body = b (bad[i]);
      g_autoptr (GError) e = NULL;
      g_assert_null (okno_wire_parse_snapshot_info (body, &e));
      g_assert_error (e, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
    }
}

#define ROW(num, bal)                                                                                               \
  "{\"id\":\"00000000-0000-4000-8000-0000000000" num "\",\"number\":\"66010000" num "\","                           \
  "\"kind\":\"household\",\"holder\":\"Иванов Иван\",\"inn\":null,\"address\":\"ул. Ленина, д. " \
  "5\",\"phones\":\"+79123456789\",\"email\":null,\"answer_channel\":\"phone\",\"capacity_kw\":"                    \
  "15,"                                                                                                             \
  "\"special_category\":\"none\",\"balance_kop\":" bal ",\"branch_id\":null,"                                       \
  "\"updated_at\":\"2026-11-01T10:00:00Z\",\"version\":3}"

/* The two rows of the good pages below, whatever their format. */
static const OknoValue *
assert_two_accounts (OknoWirePage *page)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  guint n;
  const OknoValue *v = okno_wire_page_get_values (page, &n);

  g_assert_cmpuint (n, ==, 2);
  g_assert_true (okno_wire_page_has_more (page));
  g_assert_cmpint (v[okno_collection_field_index (accounts, "balance_kop")].integer, ==, -100);
  g_assert_cmpfloat (v[okno_collection_field_index (accounts, "capacity_kw")].real, ==, 15.0);
  g_assert_true (v[okno_collection_field_index (accounts, "email")].is_null);
  g_assert_cmpstr (v[accounts->n_fields].text, ==, "00000000-0000-4000-8000-000000000002");
  return v;
}

static void
test_page (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  g_autoptr (GBytes) good
    = b ("{\"collection\":\"accounts\",\"items\":[" ROW ("01", "-100") "," ROW (
      "02", "5") "],\"next_after\":"
                 "\"00000000-0000-4000-8000-000000000002\",\"has_more\":true}");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoWirePage) page = okno_wire_parse_snapshot_page (good, accounts, &error);

  g_assert_no_error (error);
  assert_two_accounts (page);
}

static void
test_page_bad (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  const char *bad[] = {
    /* wrong collection */
    "{\"collection\":\"meters\",\"items\":[],\"next_after\":null,\"has_more\":false}",
    /* money as a float */
    "{\"collection\":\"accounts\",\"items\":[" ROW (
      "01", "1.5") "],\"next_after\":\"00000000-0000-4000-8000-000000000001\",\"has_more\":false}",
    /* money as a string */
    "{\"collection\":\"accounts\",\"items\":[" ROW (
      "01",
      "\"5\"") "],\"next_after\":\"00000000-0000-4000-8000-000000000001\",\"has_more\":false}",
    /* next_after skips past the last row */
    "{\"collection\":\"accounts\",\"items\":[" ROW (
      "01", "1") "],\"next_after\":\"00000000-0000-4000-8000-000000000009\",\"has_more\":true}",
    /* rows but no next key */
    "{\"collection\":\"accounts\",\"items\":[" ROW ("01", "1") "],\"next_after\":null,"
                                                               "\"has_more\":false}",
    /* an empty page that says more follow */
    "{\"collection\":\"accounts\",\"items\":[],\"next_after\":null,\"has_more\":true}",
    /* an item that is not an object */
    "{\"collection\":\"accounts\",\"items\":[1],\"next_after\":\"x\",\"has_more\":false}",
    /* a required member missing */
    "{\"collection\":\"accounts\",\"items\":[{\"id\":\"00000000-0000-4000-8000-000000000001\"}],"
    "\"next_after\":\"00000000-0000-4000-8000-000000000001\",\"has_more\":false}",
    /* truncated */
    "{\"collection\":\"accounts\",\"items\":[" ROW ("01", "1"),
    /* has_more is not a boolean */
    "{\"collection\":\"accounts\",\"items\":[],\"next_after\":null,\"has_more\":\"no\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) body = b (bad[i]);
      g_autoptr (GError) error = NULL;
      g_assert_null (okno_wire_parse_snapshot_page (body, accounts, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
    }
}

/* --- the dense page: column names once, rows as arrays ------------------ */

#define COLUMNS                                                                                    \
  "\"columns\":[\"id\",\"number\",\"kind\",\"holder\",\"inn\",\"address\",\"phones\",\"email\","   \
  "\"answer_channel\",\"capacity_kw\",\"special_category\",\"balance_kop\",\"branch_id\","         \
  "\"updated_at\",\"version\"]"
#define DROW(id, bal)                                                                              \
  "[\"00000000-0000-4000-8000-0000000000" id "\",\"66010000" id "\",\"household\","                \
  "\"Иванов \\\"Иван\\\"\",null,\"ул. Ленина, д. "                              \
  "5\",\"+79123456789\",null,\"phone\",15,\"none\"," bal ",null,\"2026-11-01T10:00:00Z\",3]"
#define DENSE(rows, next, more)                                                                    \
  "{\"collection\":\"accounts\"," COLUMNS ",\"rows\":[" rows "],\"next_after\":" next              \
  ",\"has_more\":" more "}"
#define KEY1 "\"00000000-0000-4000-8000-000000000001\""

static void
test_dense_page (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  g_autoptr (GBytes) good = b (DENSE (DROW ("01", "-100") "," DROW ("02", "5"),
                                      "\"00000000-0000-4000-8000-000000000002\"", "true"));
  g_autoptr (GBytes) last
    = b ("{\"collection\":\"accounts\",\"unknown\":{\"a\":[1,{\"b\":2}]}," COLUMNS
         ",\"rows\":[],\"next_after\":null,\"has_more\":false}");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoWirePage) page = okno_wire_parse_snapshot_page (good, accounts, &error);
  g_autoptr (OknoWirePage) empty = NULL;
  const OknoValue *v;
  guint n;

  g_assert_no_error (error);
  v = assert_two_accounts (page);
  g_assert_cmpstr (okno_wire_page_get_next_after (page), ==,
                   "00000000-0000-4000-8000-000000000002");
  g_assert_false (v[okno_collection_field_index (accounts, "phones")].is_null);
  g_assert_cmpstr (v[okno_collection_field_index (accounts, "holder")].text, ==, "Иванов \"Иван\"");
  g_assert_cmpstr (v[accounts->n_fields].text, ==, "00000000-0000-4000-8000-000000000002");
  g_assert_cmpint (
    v[accounts->n_fields + okno_collection_field_index (accounts, "version")].integer, ==, 3);

  /* The last page may be empty; a member this version does not know is
   * left alone. */
  empty = okno_wire_parse_snapshot_page (last, accounts, &error);
  g_assert_no_error (error);
  okno_wire_page_get_values (empty, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (okno_wire_page_has_more (empty));
}

static void
test_dense_page_bad (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  static const struct
  {
    const char *body;
    const char *message;
  } bad[] = {
    /* the column set is not the collection's */
    { "{\"collection\":\"accounts\",\"columns\":[\"id\",\"number\"],\"rows\":[],"
      "\"next_after\":null,\"has_more\":false}",
      "column “kind” is missing" },
    { "{\"collection\":\"accounts\",\"columns\":[\"id\",\"number\",\"colour\"],\"rows\":[],"
      "\"next_after\":null,\"has_more\":false}",
      "column “colour” is unknown" },
    { "{\"collection\":\"accounts\",\"columns\":[\"id\",\"kind\"],\"rows\":[],"
      "\"next_after\":null,\"has_more\":false}",
      "column “kind” is not in its place" },
    { "{\"collection\":\"accounts\",\"columns\":[\"id\",\"number\",\"kind\",\"holder\",\"inn\","
      "\"address\",\"phones\",\"email\",\"answer_channel\",\"capacity_kw\","
      "\"special_category\",\"balance_kop\",\"branch_id\",\"updated_at\",\"version\","
      "\"version\"],\"rows\":[],\"next_after\":null,\"has_more\":false}",
      "column “version” appears twice" },
    { "{\"collection\":\"accounts\",\"columns\":[1],\"rows\":[],\"next_after\":null,"
      "\"has_more\":false}",
      "member “columns” has the wrong type" },
    { "{\"collection\":\"accounts\",\"rows\":[]," COLUMNS ",\"next_after\":null,"
      "\"has_more\":false}",
      "the rows come before their columns" },
    /* a value of the wrong type */
    { DENSE (DROW ("01", "1.5"), KEY1, "false"), "member “balance_kop” has the wrong type" },
    { DENSE (DROW ("01", "\"5\""), KEY1, "false"), "member “balance_kop” has the wrong type" },
    { DENSE (DROW ("01", "[5]"), KEY1, "false"), "member “balance_kop” has the wrong type" },
    { DENSE (DROW ("01", "true"), KEY1, "false"), "member “balance_kop” has the wrong type" },
    /* out of bounds: a number past 64 bits, a value outside its list */
    { DENSE (DROW ("01", "9223372036854775808"), KEY1, "false"), "not valid JSON" },
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"1\",\"alien\",\"h\",null,\"a\",null,"
             "null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1]",
             KEY1, "false"),
      "Field “kind” does not hold a valid choice" },
    /* a required value null */
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",null,\"household\",\"h\",null,\"a\","
             "null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1]",
             KEY1, "false"),
      "Field “number” is required" },
    /* a bad UUID, a bad timestamp */
    { DENSE ("[\"00000000-0000-4000-8000-00000000000X\",\"1\",\"household\",\"h\",null,\"a\","
             "null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1]",
             "\"00000000-0000-4000-8000-00000000000X\"", "false"),
      "Field “id” does not hold a valid uuid" },
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"1\",\"household\",\"h\",null,\"a\","
             "null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00+03:00\",1]",
             KEY1, "false"),
      "Field “updated_at” does not hold a valid timestamp" },
    /* rows of the wrong length */
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"1\"]", KEY1, "false"),
      "a row has fewer values than columns" },
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"1\",\"household\",\"h\",null,\"a\","
             "null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1,2]",
             KEY1, "false"),
      "a row has more values than columns" },
    { DENSE ("{\"id\":1}", KEY1, "false"), "member “rows” has the wrong type" },
    { DENSE ("1", KEY1, "false"), "member “rows” has the wrong type" },
    /* a text with a NUL, text that is not UTF-8 */
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"1\\u0000\",\"household\",\"h\",null,"
             "\"a\",null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1]",
             KEY1, "false"),
      "member “number” has the wrong type" },
    { DENSE ("[\"00000000-0000-4000-8000-000000000001\",\"\xff\",\"household\",\"h\",null,"
             "\"a\",null,null,\"phone\",1,\"none\",1,null,\"2026-11-01T10:00:00Z\",1]",
             KEY1, "false"),
      "not valid JSON" },
    /* paging */
    { DENSE (DROW ("01", "1"), "\"00000000-0000-4000-8000-000000000009\"", "true"),
      "the next key is not the key of the last row" },
    { DENSE (DROW ("01", "1"), "null", "false"), "a page with rows has no next key" },
    { DENSE ("", "null", "true"), "an empty page says more rows follow" },
    { DENSE ("", "null", "\"no\""), "member “has_more” has the wrong type" },
    { DENSE ("", "1", "false"), "member “next_after” has the wrong type" },
    /* the page itself */
    { "{\"collection\":\"meters\"," COLUMNS ",\"rows\":[],\"next_after\":null,"
      "\"has_more\":false}",
      "the page belongs to another collection" },
    { "{\"collection\":\"accounts\",\"collection\":\"accounts\"," COLUMNS ",\"rows\":[],"
      "\"next_after\":null,\"has_more\":false}",
      "member “collection” appears twice" },
    { "{\"collection\":\"accounts\"," COLUMNS ",\"rows\":[],\"rows\":[],\"next_after\":null,"
      "\"has_more\":false}",
      "member “rows” appears twice" },
    { "{\"collection\":\"accounts\"," COLUMNS ",\"rows\":[],\"next_after\":null}",
      "member “has_more” is missing" },
    { "{\"collection\":\"accounts\",\"rows\":[],\"next_after\":null,\"has_more\":false}",
      "the rows come before their columns" },
    { "[]", "the answer is not a JSON object" },
    { "", "the answer is empty" },
    { "{\"collection\":\"accounts\"," COLUMNS ",\"rows\":[],\"next_after\":null,"
      "\"has_more\":false} {}",
      "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) body = b (bad[i].body);
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", bad[i].body);
      g_assert_null (okno_wire_parse_snapshot_page (body, accounts, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, bad[i].message));
    }
}

/* Every proper prefix of a good page is refused: a cut answer never looks
 * like a shorter page. */
static void
test_dense_page_cut (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  const char *good = DENSE (DROW ("01", "-100") "," DROW ("02", "5"),
                            "\"00000000-0000-4000-8000-000000000002\"", "true");

  for (gsize len = 0; len < strlen (good); len++)
    {
      g_autoptr (GBytes) body = g_bytes_new (good, len);
      g_autoptr (GError) error = NULL;

      g_assert_null (okno_wire_parse_snapshot_page (body, accounts, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
    }
}

static void
test_error_body (void)
{
  g_autoptr (GBytes) good
    = b ("{\"error\":\"invalid_credentials\",\"message\":\"Wrong password\"}");
  g_autoptr (GBytes) junk = b ("<html>502</html>");
  g_autofree char *m = okno_wire_parse_error (good);

  g_assert_cmpstr (m, ==, "Wrong password");
  g_assert_null (okno_wire_parse_error (junk));
  g_assert_null (okno_wire_parse_error (NULL));
}

static void
test_client_url (void)
{
  const char *bad[] = { "", "server", "ftp://x", "http://", "http://x/?a=1", "://", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) c = okno_client_new ("http://127.0.0.1:8080/", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (okno_client_get_base_url (c), ==, "http://127.0.0.1:8080");
  g_assert_false (okno_client_is_signed_in (c));
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (OknoClient) x = okno_client_new (bad[i], &e);
      g_assert_null (x);
      g_assert_error (e, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL);
    }
}

static void
test_unreachable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetSocketAddress) addr = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  g_autoptr (OknoClient) c = NULL;
  g_autoptr (OknoStaff) staff = NULL;

  /* A port that was free a moment ago and has nobody listening now. */
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  addr = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_assert_true (g_socket_bind (sock, G_SOCKET_ADDRESS (addr), FALSE, &error));
  bound = g_socket_get_local_address (sock, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (sock, NULL);

  c = okno_client_new (url, &error);
  staff = okno_client_sign_in (c, "clerk", "clerk", NULL, &error);
  g_assert_null (staff);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE);
  g_assert_false (okno_client_is_signed_in (c));
}

static void
test_backoff (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  guint max_seen = 0;

  for (guint attempt = 1; attempt <= 20; attempt++)
    for (int i = 0; i < 200; i++)
      {
        guint d = okno_sync_backoff_delay (attempt, 0, rand);
        guint ceiling = attempt >= 10 ? 300 : MIN (300u, 1u << (attempt - 1));

        g_assert_cmpuint (d, <=, ceiling);
        max_seen = MAX (max_seen, d);
      }
  /* Jitter reaches the cap, and a server's Retry-After is never cut short. */
  g_assert_cmpuint (max_seen, >, 250);
  for (int i = 0; i < 200; i++)
    g_assert_cmpuint (okno_sync_backoff_delay (1, 30, rand), >=, 30);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wire/session", test_session);
  g_test_add_func ("/wire/session-bad", test_session_bad);
  g_test_add_func ("/wire/session-desk-code", test_session_desk_code);
  g_test_add_func ("/wire/snapshot-info", test_snapshot_info);
  g_test_add_func ("/wire/page", test_page);
  g_test_add_func ("/wire/page-bad", test_page_bad);
  g_test_add_func ("/wire/dense-page", test_dense_page);
  g_test_add_func ("/wire/dense-page-bad", test_dense_page_bad);
  g_test_add_func ("/wire/dense-page-cut", test_dense_page_cut);
  g_test_add_func ("/wire/error-body", test_error_body);
  g_test_add_func ("/client/url", test_client_url);
  g_test_add_func ("/client/unreachable", test_unreachable);
  g_test_add_func ("/scheduler/backoff", test_backoff);
  return g_test_run ();
}
