/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The first download against a real okno-central on 127.0.0.1, and against
 * fake servers that answer garbage or a gzip bomb. */

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <zlib.h>

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
 * same rows (by key), each once. A replica's UUIDs are bytes, the
 * server's text; the bytes sort as the text does. */
static char *
keys_digest (const char *db_path, const OknoCollection *c)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT group_concat (CASE typeof (k) WHEN 'blob' THEN okno_uuid_text (k) ELSE k END, ' ')"
    " FROM (SELECT \"%s\" AS k FROM \"%s\" ORDER BY 1)",
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

static const char session_answer[]
  = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60,\"staff\":"
    "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"login\":\"clerk\","
    "\"full_name\":\"Test\",\"role\":\"clerk\",\"branch_id\":null}}";
static const char snapshot_answer[]
  = "{\"cursor\":5,\"collections\":[{\"name\":\"accounts\",\"count\":3}]}";

/* A sign-in and a snapshot of three accounts as okno-central answers them;
 * TRUE when path was one of them. */
static gboolean
answer_honestly (SoupServerMessage *msg, const char *path)
{
  const char *body;

  if (g_str_equal (path, "/api/v1/session"))
    body = session_answer;
  else if (g_str_equal (path, "/api/v1/snapshot"))
    body = snapshot_answer;
  else
    return FALSE;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
  return TRUE;
}

static const char *garbage_page;

static void
garbage_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  if (answer_honestly (msg, path))
    return;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, garbage_page,
                                    strlen (garbage_page));
}

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  SoupServerCallback handler;
  GTlsCertificate *certificate; /* okno-central's of an HTTPS run, else NULL */
  GThread *thread;
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
  soup_server_add_handler (fs->server, NULL, fs->handler, NULL, NULL);
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

/* A fake server answering with handler, over the transport of the run (the
 * certificate of okno-central's test CA in an HTTPS run), as okno-central's
 * answers would come. */
static void
fake_server_start (FakeServer *fs, SoupServerCallback handler)
{
  *fs = (FakeServer){ 0 };
  fs->handler = handler;
  fs->certificate = central_server_certificate (central);
  fs->context = g_main_context_new ();
  fs->loop = g_main_loop_new (fs->context, FALSE);
  g_mutex_init (&fs->lock);
  g_cond_init (&fs->ready);
  g_mutex_lock (&fs->lock);
  fs->thread = g_thread_new ("fake-server", fake_server_thread, fs);
  while (fs->url == NULL)
    g_cond_wait (&fs->ready, &fs->lock);
  g_mutex_unlock (&fs->lock);
  g_assert_true (g_str_has_prefix (fs->url, central_test_https () ? "https://" : "http://"));
}

static void
fake_server_stop (FakeServer *fs)
{
  g_main_loop_quit (fs->loop);
  g_thread_join (fs->thread);
  g_main_loop_unref (fs->loop);
  g_main_context_unref (fs->context);
  g_free (fs->url);
  g_clear_object (&fs->certificate);
  g_mutex_clear (&fs->lock);
  g_cond_clear (&fs->ready);
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
  FakeServer fs;
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "garbage.db");

  fake_server_start (&fs, garbage_cb);
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
  fake_server_stop (&fs);
}

/* --- a gzip bomb ------------------------------------------------------- */

/* A snapshot page of no rows whose JSON is padded with BOMB_CHUNKS MiB of
 * spaces: valid, and 2 GiB once inflated, from about 2 MB of gzip. */
#define BOMB_CHUNK  (1024 * 1024)
#define BOMB_CHUNKS 2048
static const char bomb_head[] = "{\"collection\":\"accounts\",\"items\":[";
static const char bomb_tail[] = "],\"next_after\":null,\"has_more\":false}";
static GBytes *bomb;

/* Raw deflate of data by a compressor of its own: its blocks refer to
 * nothing before them, so such pieces can follow each other in one stream.
 * All but the last end with a sync flush (byte-aligned, not final). */
static void
deflate_piece (GByteArray *out, const void *data, gsize size, gboolean last)
{
  z_stream z = { 0 };
  guint8 buffer[64 * 1024];
  int status;

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)size;
  do
    {
      z.next_out = buffer;
      z.avail_out = sizeof buffer;
      status = deflate (&z, last ? Z_FINISH : Z_SYNC_FLUSH);
      g_assert_cmpint (status, !=, Z_STREAM_ERROR);
      g_byte_array_append (out, buffer, sizeof buffer - z.avail_out);
    }
  while (z.avail_out == 0 || (last && status != Z_STREAM_END));
  deflateEnd (&z);
}

static void
append_le32 (GByteArray *out, guint32 value)
{
  guint8 le[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, le, sizeof le);
}

/* A gzip member (RFC 1952) that inflates to bomb_head, chunks MiB of
 * spaces and bomb_tail, with the right CRC-32 and length: the chunk is
 * compressed once and repeated, so making it costs no inflation. */
static GBytes *
make_bomb (guint chunks, guint64 *inflated)
{
  static const guint8 header[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
  g_autofree char *spaces = g_malloc (BOMB_CHUNK);
  g_autoptr (GByteArray) piece = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  uLong crc, chunk_crc;

  memset (spaces, ' ', BOMB_CHUNK);
  g_byte_array_append (out, header, sizeof header);
  deflate_piece (out, bomb_head, strlen (bomb_head), FALSE);
  deflate_piece (piece, spaces, BOMB_CHUNK, FALSE);
  crc = crc32 (0, (const Bytef *)bomb_head, strlen (bomb_head));
  chunk_crc = crc32 (0, (const Bytef *)spaces, BOMB_CHUNK);
  for (guint i = 0; i < chunks; i++)
    {
      g_byte_array_append (out, piece->data, piece->len);
      crc = crc32_combine (crc, chunk_crc, BOMB_CHUNK);
    }
  deflate_piece (out, bomb_tail, strlen (bomb_tail), TRUE);
  crc = crc32_combine (crc, crc32 (0, (const Bytef *)bomb_tail, strlen (bomb_tail)),
                       strlen (bomb_tail));
  *inflated = strlen (bomb_head) + (guint64)chunks * BOMB_CHUNK + strlen (bomb_tail);
  append_le32 (out, (guint32)crc);
  append_le32 (out, (guint32)(*inflated & 0xffffffff));
  return g_byte_array_free_to_bytes (out);
}

/* The construction is sound: a small bomb made the same way inflates,
 * through GIO's decompressor as libsoup's, to exactly what it says, and
 * its CRC-32 and length check out. */
static void
assert_bomb_inflates (void)
{
  guint64 size = 0;
  g_autoptr (GBytes) small = make_bomb (3, &size);
  g_autoptr (GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) packed = g_memory_input_stream_new_from_bytes (small);
  g_autoptr (GInputStream) in = g_converter_input_stream_new (packed, G_CONVERTER (gunzip));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) plain = NULL;
  const char *text;

  g_assert_cmpint (
    g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error), ==, size);
  g_assert_no_error (error);
  plain = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  text = g_bytes_get_data (plain, NULL);
  g_assert_true (g_str_has_prefix (text, bomb_head));
  g_assert_cmpint (text[strlen (bomb_head) + 3 * BOMB_CHUNK - 1], ==, ' ');
  g_assert_cmpmem (text + size - strlen (bomb_tail), strlen (bomb_tail), bomb_tail,
                   strlen (bomb_tail));
}

static void
bomb_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer data)
{
  if (answer_honestly (msg, path))
    return;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding",
                                "gzip");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb));
}

/* The peak resident memory of this process so far, in bytes. */
static guint64
peak_memory (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (guint64)usage.ru_maxrss * 1024;
}

/* A first download whose snapshot page is a gzip bomb: refused with a
 * message that says so, in Russian too, once the inflated page passes the
 * client's limit; the replica stays as it was and the memory flat (the
 * whole of it would take 2 GiB, its limit 64 MiB). */
static void
test_gzip_bomb_refused (void)
{
  const char *languages[] = { "C", "ru" };
  const char *messages[] = { "sent an answer larger than 64 MB once unpacked",
                             "ответ больше 64 МБ в распакованном виде" };
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "bomb.db");
  guint64 inflated = 0;
  guint64 before;
  FakeServer fs;

  assert_bomb_inflates ();
  bomb = make_bomb (BOMB_CHUNKS, &inflated);
  g_test_message ("the bomb: %" G_GSIZE_FORMAT " bytes of gzip, %" G_GUINT64_FORMAT
                  " bytes inflated",
                  g_bytes_get_size (bomb), inflated);
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 4 * 1024 * 1024);
  g_assert_cmpuint (inflated, >=, (guint64)2 << 30);
  fake_server_start (&fs, bomb_cb);
  before = peak_memory ();
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoClient) client = signed_in_client (fs.url);

      g_setenv ("LANGUAGE", languages[i], TRUE);
      g_assert_false (okno_client_download (client, store, NULL, NULL, NULL, &error));
      g_setenv ("LANGUAGE", "C", TRUE);
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE);
      g_test_message ("the client said: %s", error->message);
      g_assert_nonnull (strstr (error->message, messages[i]));
      g_assert_false (okno_store_is_ready (store));
      g_assert_cmpint (okno_store_count (store, "accounts", NULL), ==, 0);
    }
  g_test_message ("peak memory %" G_GUINT64_FORMAT " MiB before, %" G_GUINT64_FORMAT " MiB after",
                  before >> 20, peak_memory () >> 20);
  /* Room for AddressSanitizer's quarantine of freed memory (it holds
   * about 250 MiB more there), half of what inflating the whole takes. */
  g_assert_cmpuint (peak_memory (), <, before + ((guint64)1 << 30));
  fake_server_stop (&fs);
  g_clear_pointer (&bomb, g_bytes_unref);
}

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  /* The Russian messages come from the .mo of the build. */
  if (g_getenv ("OKNO_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("OKNO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ();
  g_test_add_func ("/download/transport", test_transport);
  g_test_add_func ("/download/wrong-password", test_wrong_password);
  g_test_add_func ("/download/needs-session", test_needs_session);
  g_test_add_func ("/download/full", test_full_download);
  g_test_add_func ("/download/resume", test_resume);
  g_test_add_func ("/download/garbage-leaves-replica-as-it-was",
                   test_garbage_leaves_replica_as_it_was);
  g_test_add_func ("/download/gzip-bomb-refused", test_gzip_bomb_refused);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
