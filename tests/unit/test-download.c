/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The first download against a real okno-central on 127.0.0.1, and against
 * a server that answers garbage. */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-sync.h"
#include "test-client.h"
#include "test-db.h"
#include "test-replica.h"

#define N_ACCOUNTS 1500

static CentralProcess *central;
static char *tmpdir;

static void
start_central (void)
{
  g_autofree char *accounts = g_strdup_printf ("%d", N_ACCOUNTS);
  const char *extra[] = { "--generate", "--accounts", accounts, "--seed", "7", NULL };

  central = central_spawn_in_tmp ("okno-download-XXXXXX", extra, &tmpdir);
}

/* Over HTTPS in test-download-https, over HTTP in test-download. */
static void
test_transport (void)
{
  test_assert_transport (central);
}

static gint64
central_count (const char *table)
{
  return test_db_count_rows (central->db, table);
}

/* The keys of a table, in order, as one digest: equal digests mean the
 * same rows (by key), each once. */
static char *
keys_digest (const char *db_path, const OknoCollection *c)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT group_concat (k, ' ') FROM (SELECT \"%s\" AS k FROM \"%s\" ORDER BY 1)",
    c->fields[0].name, c->name);
  g_autofree char *keys = test_db_text (db_path, sql, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, keys ? keys : "", -1);
}

/* A client of url (okno-central's or a fake server's), trusting the test
 * CA of an HTTPS run. */
static OknoClient *
signed_in_client (const char *url)
{
  g_autoptr (GError) error = NULL;
  OknoClient *client = test_client_new_for_url (url, central->ca_file);
  g_autoptr (OknoStaff) staff = NULL;

  staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (staff->role, ==, "clerk");
  g_assert_true (okno_client_is_signed_in (client));
  return client;
}

static void
test_wrong_password (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = test_client_new (central);
  g_autoptr (OknoStaff) staff = okno_client_sign_in (client, "clerk", "wrong", NULL, &error);

  g_assert_null (staff);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED);
  g_assert_false (okno_client_is_signed_in (client));
}

static void
test_needs_session (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = test_client_new (central);
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "anonymous.db");

  g_assert_false (okno_client_download (client, store, NULL, NULL, NULL, &error));
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED);
  g_assert_false (okno_store_is_ready (store));
}

static void
test_full_download (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = signed_in_client (central->url);
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "full.db");
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);

  g_assert_true (okno_client_download (client, store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (okno_store_is_ready (store));
  /* Every row of every collection arrived, once: the same count and the
   * same keys as the server's. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *ours = keys_digest (okno_store_get_path (store), all[i]);
      g_autofree char *theirs = keys_digest (central->db, all[i]);

      g_test_message ("%s: %" G_GINT64_FORMAT " rows", all[i]->name, central_count (all[i]->name));
      g_assert_cmpint (okno_store_count (store, all[i]->name, NULL), ==,
                       central_count (all[i]->name));
      g_assert_cmpstr (ours, ==, theirs);
    }
  g_assert_cmpint (okno_store_count (store, "accounts", NULL), ==, N_ACCOUNTS);
}

typedef struct
{
  GCancellable *cancellable;
  gint64 cancel_at;
  gint64 first_done; /* -1 until the first report */
  gint64 last_done, last_total;
  guint calls;
} Watch;

static void
watch_progress (gint64 done, gint64 total, gpointer data)
{
  Watch *w = data;

  g_assert_cmpint (done, >=, w->last_done);
  g_assert_cmpint (done, <=, total);
  if (w->first_done < 0)
    w->first_done = done;
  w->last_done = done;
  w->last_total = total;
  w->calls++;
  if (w->cancel_at > 0 && done >= w->cancel_at)
    g_cancellable_cancel (w->cancellable);
}

static void
test_resume (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = signed_in_client (central->url);
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "resume.db");
  g_autoptr (OknoStore) whole = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Watch w = { cancellable, 1, -1, 0, 0, 0 };
  gint64 partial;
  guint pages_cut, pages_resumed;

  /* Cut the download after its first page. */
  g_assert_false (okno_client_download (client, store, watch_progress, &w, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (okno_store_is_ready (store));
  partial = w.last_done;
  pages_cut = w.calls - 1;
  g_assert_cmpint (partial, >, 0);
  g_assert_cmpint (partial, <, w.last_total);

  /* Resume: it starts where it stopped (its first report counts the rows
   * the cut download stored, and it fetches only the pages that download
   * did not store), and ends with each row once. */
  w = (Watch){ NULL, 0, -1, 0, 0, 0 };
  g_assert_true (okno_client_download (client, store, watch_progress, &w, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (w.first_done, ==, partial);
  pages_resumed = w.calls - 1;
  g_assert_true (okno_store_is_ready (store));
  g_assert_cmpint (w.last_done, ==, w.last_total);
  g_assert_cmpint (okno_store_count (store, "accounts", NULL), ==, N_ACCOUNTS);
  g_assert_cmpint (okno_store_count (store, "readings", NULL), ==, central_count ("readings"));

  /* A download that is not cut: one report before its first page and one
   * after each. The two halves together fetched no page twice. */
  whole = test_replica_open (tmpdir, "resume-whole.db");
  w = (Watch){ NULL, 0, -1, 0, 0, 0 };
  g_assert_true (okno_client_download (client, whole, watch_progress, &w, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages_cut + pages_resumed, ==, w.calls - 1);
}

/* --- a server that lies ---------------------------------------------- */

static const char *garbage_page;

static void
garbage_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  const char *body;

  if (g_str_equal (path, "/api/v1/session"))
    body = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60,\"staff\":"
           "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"login\":\"clerk\","
           "\"full_name\":\"Test\",\"role\":\"clerk\",\"branch_id\":null}}";
  else if (g_str_equal (path, "/api/v1/snapshot"))
    body = "{\"cursor\":5,\"collections\":[{\"name\":\"accounts\",\"count\":3}]}";
  else
    body = garbage_page;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GTlsCertificate *certificate; /* okno-central's of an HTTPS run, else NULL */
  char *url;
  GMutex lock;
  GCond ready;
} FakeServer;

/* The fake server runs on its own thread and main context, so the test can
 * call the client's blocking API as okno-cli does. */
static gpointer
fake_server_thread (gpointer data)
{
  FakeServer *fs = data;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fs->context);
  fs->server = soup_server_new ("tls-certificate", fs->certificate, NULL);
  soup_server_add_handler (fs->server, NULL, garbage_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (
    fs->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | (fs->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
    &error));
  uris = soup_server_get_uris (fs->server);
  g_mutex_lock (&fs->lock);
  fs->url = g_uri_to_string (uris->data);
  g_cond_signal (&fs->ready);
  g_mutex_unlock (&fs->lock);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_main_loop_run (fs->loop);
  g_clear_object (&fs->server);
  g_main_context_pop_thread_default (fs->context);
  return NULL;
}

static void
test_garbage_leaves_replica_as_it_was (void)
{
  const char *pages[] = {
    /* truncated */
    "{\"collection\":\"accounts\",\"items\":[{\"id\":\"00000000-0000-4000-8000-0000000000",
    "not json at all",
    /* a row without most of its fields */
    "{\"collection\":\"accounts\",\"items\":[{\"id\":\"00000000-0000-4000-8000-000000000001\","
    "\"number\":\"1\"}],\"next_after\":\"00000000-0000-4000-8000-000000000001\","
    "\"has_more\":false}",
  };
  FakeServer fs = { 0 };
  GThread *thread;
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "garbage.db");

  /* The lies come over the transport of the run, as okno-central's would. */
  fs.certificate = central_server_certificate (central);
  fs.context = g_main_context_new ();
  fs.loop = g_main_loop_new (fs.context, FALSE);
  g_mutex_init (&fs.lock);
  g_cond_init (&fs.ready);
  g_mutex_lock (&fs.lock);
  thread = g_thread_new ("fake-server", fake_server_thread, &fs);
  while (fs.url == NULL)
    g_cond_wait (&fs.ready, &fs.lock);
  g_mutex_unlock (&fs.lock);
  g_assert_true (g_str_has_prefix (fs.url, central_test_https () ? "https://" : "http://"));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoClient) client = NULL;

      garbage_page = pages[i];
      client = signed_in_client (fs.url);
      g_assert_false (okno_client_download (client, store, NULL, NULL, NULL, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
      g_assert_false (okno_store_is_ready (store));
      g_assert_cmpint (okno_store_count (store, "accounts", NULL), ==, 0);
    }

  g_main_loop_quit (fs.loop);
  g_thread_join (thread);
  g_main_loop_unref (fs.loop);
  g_main_context_unref (fs.context);
  g_free (fs.url);
  g_clear_object (&fs.certificate);
  g_mutex_clear (&fs.lock);
  g_cond_clear (&fs.ready);
}

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ();
  g_test_add_func ("/download/transport", test_transport);
  g_test_add_func ("/download/wrong-password", test_wrong_password);
  g_test_add_func ("/download/needs-session", test_needs_session);
  g_test_add_func ("/download/full", test_full_download);
  g_test_add_func ("/download/resume", test_resume);
  g_test_add_func ("/download/garbage-leaves-replica-as-it-was",
                   test_garbage_leaves_replica_as_it_was);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
