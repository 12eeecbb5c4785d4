/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sync test 5 (docs/sync-tests.md) for compressed answers: a gzip body that is corrupt (the deflate
 * stream damaged, or only its CRC-32), or cut short with an honest
 * Content-Length, from a real okno-central to the real client. Nothing is
 * half-applied, the stored position does not move, and a retry succeeds.
 *
 * libsoup 3.2 reports a damaged stream and a wrong CRC as a read error,
 * but hands over a cut stream (and a body shorter than its Content-Length)
 * as if it were whole: only the strict decoders stand between such a
 * prefix and the replica, so every prefix of real answers is tried too. */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-sync.h"
#include "okno-wire.h"
#include "test-db.h"
#include "test-http.h"
#include "test-replica.h"

/* Five pages of readings with the client's 5000 (22,999 rows). The fault
 * is staged once the first readings page is committed; by then the
 * download's fetcher may have asked for up to three more (it keeps
 * PIPELINE_DEPTH, 2, parsed pages ahead of the writer and starts the next
 * as soon as a page is stored), so the fifth is the first one the fault
 * can still reach: with three pages, a slow writer (ASan) saw every page
 * fetched before the fault was staged and the download succeeded. Size is
 * otherwise not the point, and under ASan every row costs: the test
 * downloads the replica six times. */
#define N_ACCOUNTS "3000"

static const char *const modes[] = { "gzip_corrupt", "gzip_bad_crc", "gzip_cut", "truncate" };

static char *tmpdir;
static CentralProcess *central;
static SoupSession *session; /* the test's own requests */

static void
start_central (void)
{
  const char *extra[] = { "--generate", "--accounts", N_ACCOUNTS,     "--seed", "11",
                          "--faults",   "--quiet",    "--gzip-level", "6",      NULL };

  central = central_spawn_in_tmp ("okno-gzip-XXXXXX", extra, &tmpdir);
}

static void
stage (const char *path, const char *mode)
{
  g_autofree char *spec = g_strdup_printf ("{\"path\":\"%s\",\"mode\":\"%s\"}", path, mode);

  central_stage_fault (central, spec);
}

static void
clear_faults (void)
{
  g_autoptr (TestAnswer) answer
    = test_http_request (session, central->base_url, "DELETE", "/_faults", NULL, NULL);

  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_NO_CONTENT);
}

static OknoClient *
signed_in_client (void)
{
  g_autoptr (GError) error = NULL;
  OknoClient *client = okno_client_new (central->url, &error);
  g_autoptr (OknoStaff) staff = NULL;

  g_assert_no_error (error);
  staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  return client;
}

/* An error the client reports for an answer it cannot trust. */
static void
assert_unusable_answer (const GError *error)
{
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
}

/* --- snapshot pages ------------------------------------------------------------------ */

typedef struct
{
  OknoStore *store;
  const char *mode;
  gboolean staged;
  gint64 rows_when_staged;
} PageWatch;

/* Once readings have a committed page, the next readings page goes bad. */
static void
stage_mid_collection (gint64 done, gint64 total, gpointer data)
{
  PageWatch *w = data;
  g_autofree char *after = NULL;
  gboolean finished = FALSE;
  gint64 rows = 0;

  if (w->staged
      || !okno_store_snapshot_position (w->store, "readings", &after, &finished, &rows, NULL)
      || rows == 0 || finished)
    return;
  stage ("/api/v1/snapshot/readings", w->mode);
  w->staged = TRUE;
  w->rows_when_staged = rows;
}

static void
test_snapshot_page (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *name = g_strdup_printf ("page-%s.db", modes[i]);
      g_autoptr (OknoStore) store = test_replica_open (tmpdir, name);
      g_autoptr (OknoClient) client = signed_in_client ();
      g_autoptr (GError) error = NULL;
      g_autofree char *after = NULL, *last_key = NULL;
      gboolean finished = TRUE;
      gint64 rows = -1;
      PageWatch w = { store, modes[i], FALSE, 0 };

      g_test_message ("snapshot page answered %s", modes[i]);
      g_assert_false (okno_client_download (client, store, stage_mid_collection, &w, NULL, &error));
      g_assert_true (w.staged);
      assert_unusable_answer (error);
      g_test_message ("  the client said: %s", error->message);
      g_clear_error (&error);
      g_assert_false (okno_store_is_ready (store));

      /* The position is a committed page's, and the rows are exactly those
       * up to it: nothing of the broken page was applied. */
      g_assert_true (
        okno_store_snapshot_position (store, "readings", &after, &finished, &rows, &error));
      g_assert_false (finished);
      g_assert_cmpint (rows, >=, w.rows_when_staged);
      g_assert_cmpint (okno_store_count (store, "readings", NULL), ==, rows);
      last_key = test_db_text (okno_store_get_path (store), "SELECT max (id) FROM readings", NULL);
      g_assert_cmpstr (last_key, ==, after);

      /* Tried again, it finishes, with every row once. */
      g_assert_true (okno_client_download (client, store, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (okno_store_is_ready (store));
      g_assert_cmpint (okno_store_count (store, "readings", NULL), ==,
                       test_db_count (central->db, "SELECT count(*) FROM readings", NULL));
      g_assert_cmpint (okno_store_count (store, "accounts", NULL), ==,
                       test_db_count (central->db, "SELECT count(*) FROM accounts", NULL));
    }
}

/* --- the change feed and the push ---------------------------------------------------- */

static OknoStore *
synced_replica (OknoClient *client, const char *name)
{
  g_autoptr (GError) error = NULL;
  OknoStore *store = test_replica_open (tmpdir, name);

  g_assert_true (okno_client_sync (client, store, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* The replica (and its signed-in client) that writes payments for the
 * change feed and then pushes under faults: downloaded once, by the first
 * test that needs it. Each test leaves its outbox empty. */
static OknoClient *writer;
static OknoStore *writer_store;

static OknoStore *
writer_replica (OknoClient **client)
{
  if (writer_store == NULL)
    {
      writer = signed_in_client ();
      writer_store = synced_replica (writer, "writer.db");
    }
  g_assert_cmpint (okno_store_outbox_count (writer_store, NULL, NULL), ==, 0);
  *client = writer;
  return writer_store;
}

static void
test_change_feed (void)
{
  OknoClient *writer_client;
  OknoStore *a = writer_replica (&writer_client);
  g_autoptr (OknoClient) reader = signed_in_client ();
  g_autoptr (OknoStore) b = synced_replica (reader, "feed-b.db");
  g_autofree char *account
    = test_db_text (okno_store_get_path (a), "SELECT min (id) FROM accounts", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *cursor = NULL, *cursor_after = NULL;

      /* Enough new rows that the feed's answer is worth compressing. */
      for (int k = 0; k < 8; k++)
        g_free (test_new_payment (a, account, 100 + k, "cash"));
      id = test_new_payment (a, account, 99, "cash");
      g_assert_true (okno_client_sync (writer_client, a, NULL, NULL, &error));
      g_assert_no_error (error);

      g_test_message ("change feed answered %s", modes[i]);
      cursor = okno_store_get_meta (b, "cursor", NULL);
      stage ("/api/v1/changes", modes[i]);
      g_assert_false (okno_client_pull (reader, b, NULL, NULL, &error));
      assert_unusable_answer (error);
      g_clear_error (&error);
      cursor_after = okno_store_get_meta (b, "cursor", NULL);
      g_assert_cmpstr (cursor, ==, cursor_after);
      g_assert_cmpint (
        test_db_count (okno_store_get_path (b), "SELECT count(*) FROM payments WHERE id = ?", id),
        ==, 0);

      g_assert_true (okno_client_pull (reader, b, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (
        test_db_count (okno_store_get_path (b), "SELECT count(*) FROM payments WHERE id = ?", id),
        ==, 1);
    }
}

/* The server did the work; the answer is lost in a bad gzip stream. The
 * same mutation goes again and is answered duplicate: one payment. */
static void
test_push_answer (void)
{
  OknoClient *client;
  OknoStore *store = writer_replica (&client);
  g_autofree char *account
    = test_db_text (okno_store_get_path (store), "SELECT min (id) FROM accounts", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = test_new_payment (store, account, 700 + i, "cash");
      g_autoptr (GPtrArray) before = okno_store_outbox_list (store, NULL, &error);
      g_autoptr (GPtrArray) after = NULL;
      OknoOutboxEntry *entry;
      OknoSyncReport report = { 0 };

      g_test_message ("push answered %s", modes[i]);
      g_assert_cmpuint (before->len, ==, 1);
      stage ("/api/v1/mutations", modes[i]);
      g_assert_false (okno_client_push (client, store, NULL, NULL, &error));
      assert_unusable_answer (error);
      g_clear_error (&error);
      after = okno_store_outbox_list (store, NULL, &error);
      g_assert_cmpuint (after->len, ==, 1);
      entry = after->pdata[0];
      g_assert_cmpstr (entry->mutation_id, ==, ((OknoOutboxEntry *)before->pdata[0])->mutation_id);
      g_assert_cmpstr (entry->state, ==, "pending");
      g_assert_cmpint (test_payment_copies (central->db, id), ==, 1);

      g_assert_true (okno_client_sync (client, store, &report, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.pushed, ==, 1);
      g_assert_cmpint (okno_store_outbox_count (store, NULL, NULL), ==, 0);
      g_assert_cmpint (test_payment_copies (central->db, id), ==, 1);
      g_assert_cmpint (test_db_count (central->db,
                                      "SELECT count(*) FROM mutations WHERE mutation_id = ?",
                                      entry->mutation_id),
                       ==, 1);
    }
}

/* --- no prefix of a real answer is taken for the whole ------------------------------- */

/* "Bearer <access token>" of a new session. */
static char *
bearer (void)
{
  g_autoptr (OknoClient) client = signed_in_client ();
  g_autofree char *token = NULL;

  okno_client_get_tokens (client, &token, NULL);
  return g_strconcat ("Bearer ", token, NULL);
}

/* A page in either format (the client asks for dense ones), and each of
 * its proper prefixes refused. */
static void
assert_no_page_prefix_accepted (const char *auth, const char *path)
{
  g_autoptr (TestAnswer) answer = NULL;
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  GBytes *page;
  const char *data;
  gsize size;

  /* The server compresses what a client accepts: this is the path the
   * faults above damage. */
  answer = test_http_request (session, central->base_url, "GET", path, auth, NULL);
  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (test_answer_header (answer, "Content-Encoding"), ==, "gzip");
  page = answer->body;
  data = g_bytes_get_data (page, &size);
  {
    g_autoptr (OknoWirePage) whole = okno_wire_parse_snapshot_page (page, accounts, NULL);
    g_assert_nonnull (whole);
  }
  for (gsize n = 0; n < size; n++)
    {
      g_autoptr (GBytes) prefix = g_bytes_new (data, n);
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoWirePage) parsed = okno_wire_parse_snapshot_page (prefix, accounts, &error);

      if (parsed != NULL)
        g_error ("%s cut after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes was accepted", path,
                 n, size);
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
    }
}

static void
test_no_prefix_accepted (void)
{
  g_autofree char *auth = bearer ();
  g_autoptr (TestAnswer) changes = NULL;
  g_autofree char *floor = NULL, *path = NULL;
  GBytes *feed;
  const char *data;
  gsize size;

  assert_no_page_prefix_accepted (auth, "/snapshot/accounts?limit=4");
  assert_no_page_prefix_accepted (auth, "/snapshot/accounts?format=dense&limit=4");

  /* From the oldest commit the feed still keeps: the tests above made some. */
  floor = test_db_text (central->db, "SELECT value FROM meta WHERE key = 'changes_floor'", NULL);
  path = g_strdup_printf ("/changes?cursor=%s&limit=3", floor);
  changes = test_http_request (session, central->base_url, "GET", path, auth, NULL);
  g_assert_no_error (changes->error);
  g_assert_cmpuint (changes->status, ==, 200);
  feed = changes->body;
  data = g_bytes_get_data (feed, &size);
  {
    g_autoptr (OknoWireChanges) whole = okno_wire_parse_changes (feed, NULL);
    guint n = 0;

    g_assert_nonnull (whole);
    okno_wire_changes_get (whole, &n);
    g_assert_cmpuint (n, >, 0);
  }
  for (gsize n = 0; n < size; n++)
    {
      g_autoptr (GBytes) prefix = g_bytes_new (data, n);
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoWireChanges) parsed = okno_wire_parse_changes (prefix, &error);

      if (parsed != NULL)
        g_error ("a change feed page cut after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                 " bytes was accepted",
                 n, size);
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
    }
}

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ();
  /* Loopback only: no proxy lookups. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_test_add_func ("/gzip/snapshot-page", test_snapshot_page);
  g_test_add_func ("/gzip/change-feed", test_change_feed);
  g_test_add_func ("/gzip/push-answer", test_push_answer);
  g_test_add_func ("/gzip/no-prefix-accepted", test_no_prefix_accepted);
  rc = g_test_run ();
  g_clear_object (&writer);
  g_clear_object (&writer_store);
  clear_faults ();
  g_clear_object (&session);
  central_finish (g_steal_pointer (&central));
  return rc;
}
