/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The client and okno-central over HTTPS (docs/sync-protocol.md, "TLS"),
 * with a test CA and certificates made when the test starts: a download,
 * a push and a pull through a trusted certificate; certificates that are
 * not trusted refused in the handshake, before any request reaches the
 * server; and plain http:// refused for anything but this computer. */

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-sync.h"
#include "test-db.h"
#include "test-replica.h"

static char *tmpdir;
static char *certs; /* the test CA and certificates */

static CentralProcess *
start_https (const char *name, const char *db_name, gboolean log_requests)
{
  const char *extra[]
    = { "--generate", "--accounts", "200", "--seed", "3", log_requests ? NULL : "--quiet", NULL };
  g_autofree char *db = g_build_filename (tmpdir, db_name, NULL);
  g_autoptr (GError) error = NULL;
  CentralProcess *central = central_spawn_https (db, certs, name, extra, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (central->url, "https://127.0.0.1:"));
  return central;
}

static char *
ca_path (const char *name)
{
  return g_build_filename (certs, name, NULL);
}

static OknoClient *
client_trusting (const char *url, const char *ca_file)
{
  OknoClientTrust trust = { ca_file, FALSE };
  g_autoptr (GError) error = NULL;
  OknoClient *client = okno_client_new_with_trust (url, &trust, &error);

  g_assert_no_error (error);
  g_assert_false (okno_client_is_unencrypted (client));
  return client;
}

static OknoClient *
signed_in_client (CentralProcess *central, OknoStore *store)
{
  g_autofree char *ca = ca_path ("ca.pem");
  OknoClient *client = client_trusting (central->url, ca);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);

  g_assert_no_error (error);
  okno_store_set_meta (store, "staff_id", staff->id, NULL);
  return client;
}

/* Download, push and pull through a certificate the CA file vouches for. */
static void
test_sync_over_https (void)
{
  CentralProcess *central = start_https ("server", "sync.db", FALSE);
  g_autoptr (OknoStore) a = test_replica_open (tmpdir, "https-a");
  g_autoptr (OknoStore) b = test_replica_open (tmpdir, "https-b");
  g_autoptr (OknoClient) client_a = signed_in_client (central, a);
  g_autoptr (OknoClient) client_b = signed_in_client (central, b);
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *id = NULL;
  OknoSyncReport report = { 0 };

  /* The first sync of an empty replica is its download. */
  g_assert_true (okno_client_sync (client_a, a, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (okno_client_sync (client_b, b, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (okno_store_is_ready (a));
  g_assert_cmpint (test_db_count_rows (okno_store_get_path (a), "accounts"), ==, 200);

  account = test_db_text (okno_store_get_path (a), "SELECT id FROM accounts LIMIT 1", NULL);
  id = test_new_payment (a, account, 12345, "cash");
  g_assert_true (okno_client_sync (client_a, a, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.pushed, ==, 1);
  g_assert_cmpint (test_payment_copies (central->db, id), ==, 1);

  g_assert_true (okno_client_sync (client_b, b, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (
    test_db_count (okno_store_get_path (b), "SELECT count(*) FROM payments WHERE id = ?", id), ==,
    1);
  central_finish (central);
}

/* What the server wrote of sessions and payments: a refused handshake
 * must leave all of it as it was. */
static gint64
server_rows (CentralProcess *central)
{
  return test_db_count_rows (central->db, "sessions")
         + test_db_count_rows (central->db, "refresh_tokens")
         + test_db_count_rows (central->db, "payments");
}

/* The server's log names every request it read; none may be there. */
static void
assert_no_request_logged (CentralProcess *central)
{
  g_assert_cmpint (central_stop (central), ==, 0);
  g_assert_null (strstr (central->stderr_text->str, "okno-central: POST"));
  g_assert_null (strstr (central->stderr_text->str, "okno-central: GET"));
  central_process_free (central);
}

static void
assert_untrusted (OknoClient *client, const char *problem)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);

  g_assert_null (staff);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "The server's certificate is not trusted: "));
  g_assert_nonnull (strstr (error->message, problem));
  g_assert_false (okno_client_is_signed_in (client));
}

/* A self-signed certificate, with the test CA trusted and with the
 * system's CAs: the sign-in (which carries the password) is never sent. */
static void
test_self_signed_refused (void)
{
  CentralProcess *central = start_https ("self", "self.db", TRUE);
  g_autofree char *ca = ca_path ("ca.pem");
  g_autoptr (OknoClient) with_ca = client_trusting (central->url, ca);
  g_autoptr (OknoClient) with_system = client_trusting (central->url, NULL);
  gint64 before = server_rows (central);

  assert_untrusted (with_ca, "not signed by an authority this computer trusts");
  assert_untrusted (with_system, "not signed by an authority this computer trusts");
  g_assert_cmpint (server_rows (central), ==, before);
  assert_no_request_logged (central);
}

/* The test CA's certificate for another host name, its expired one, and
 * a server whose CA the client was not given (it trusts another one). */
static void
test_wrong_certificate_refused (void)
{
  CentralProcess *other_name = start_https ("other-name", "other-name.db", TRUE);
  CentralProcess *expired = start_https ("expired", "expired.db", TRUE);
  CentralProcess *server = start_https ("server", "wrong-ca.db", TRUE);
  g_autofree char *ca = ca_path ("ca.pem");
  g_autofree char *wrong_ca = ca_path ("self.pem");
  g_autoptr (OknoClient) by_name = client_trusting (other_name->url, ca);
  g_autoptr (OknoClient) by_date = client_trusting (expired->url, ca);
  g_autoptr (OknoClient) by_ca = client_trusting (server->url, wrong_ca);

  assert_untrusted (by_name, "issued for another server name");
  assert_untrusted (by_date, "it has expired");
  assert_untrusted (by_ca, "not signed by an authority this computer trusts");
  assert_no_request_logged (other_name);
  assert_no_request_logged (expired);
  assert_no_request_logged (server);
}

/* A push with a valid session (of the trusted server, whose replica it
 * is) to an untrusted one: the batch stays in the outbox, nothing arrives
 * and no request is read. */
static void
test_push_not_sent (void)
{
  CentralProcess *trusted = start_https ("server", "push-trusted.db", FALSE);
  CentralProcess *central = start_https ("self", "push.db", TRUE);
  g_autofree char *ca = ca_path ("ca.pem");
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "push");
  g_autoptr (OknoClient) good = signed_in_client (trusted, store);
  g_autoptr (OknoClient) client = client_trusting (central->url, ca);
  g_autofree char *access = NULL, *refresh = NULL;
  g_autofree char *account = NULL, *id = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before = server_rows (central);
  guint pushed = 0;

  g_assert_true (okno_client_sync (good, store, NULL, NULL, &error));
  g_assert_no_error (error);
  account = test_db_text (okno_store_get_path (store), "SELECT id FROM accounts LIMIT 1", NULL);
  id = test_new_payment (store, account, 500, "cash");
  okno_client_get_tokens (good, &access, &refresh);
  okno_client_set_tokens (client, access, refresh);
  g_assert_false (okno_client_push (client, store, &pushed, NULL, &error));
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS);
  g_assert_cmpuint (pushed, ==, 0);
  g_assert_cmpint (okno_store_outbox_count (store, "pending", NULL), ==, 1);
  g_assert_cmpint (server_rows (central), ==, before);
  g_assert_cmpint (test_payment_copies (central->db, id), ==, 0);
  assert_no_request_logged (central);
  central_finish (trusted);
}

/* The same refusal in Russian (the .mo of the build). */
static void
test_untrusted_in_russian (void)
{
  CentralProcess *central = start_https ("self", "russian.db", FALSE);
  g_autofree char *ca = ca_path ("ca.pem");
  g_autoptr (OknoClient) client = client_trusting (central->url, ca);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = NULL;

  g_setenv ("LANGUAGE", "ru", TRUE);
  staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "Сертификат сервера не заслуживает доверия: "));
  g_assert_nonnull (strstr (error->message, "не подписан"));
  central_finish (central);
}

/* A CA file that cannot be read fails the first request, in its thread,
 * as a TLS problem, before any connection. */
static void
test_missing_ca_file (void)
{
  CentralProcess *central = start_https ("server", "missing-ca.db", TRUE);
  g_autofree char *ca = ca_path ("no-such-ca.pem");
  g_autoptr (OknoClient) client = client_trusting (central->url, ca);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);

  g_assert_null (staff);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "no-such-ca.pem"));
  assert_no_request_logged (central);
}

/* Plain http:// to another computer is refused when the client is made,
 * so nothing connects at all; TEST-NET-1 (RFC 5737) is never reached. */
static void
test_plain_http_refused (void)
{
  const char *remote[] = { "http://192.0.2.1:8080", "http://branch-server:8080/",
                           "http://[2001:db8::1]:8080", "http://127.example.org", NULL };
  const char *local[] = { "http://127.0.0.1:8080", "http://127.3.2.1", "http://[::1]:8080",
                          "http://localhost:8080", "http://LOCALHOST", NULL };

  for (guint i = 0; remote[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoClient) client = okno_client_new (remote[i], &error);

      g_assert_null (client);
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_PLAIN_HTTP);
      g_assert_true (
        g_str_has_prefix (error->message, "Plain HTTP is allowed only to this computer"));
      g_clear_error (&error);
      g_assert_false (okno_client_check_url (remote[i], FALSE, &error));
      g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_PLAIN_HTTP);
    }
  for (guint i = 0; local[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoClient) client = okno_client_new (local[i], &error);

      g_assert_no_error (error);
      g_assert_false (okno_client_is_unencrypted (client));
    }
}

/* Allowed in settings, the same addresses pass and are marked unencrypted
 * (the header warns); https:// to any host needs no permission. */
static void
test_plain_http_allowed (void)
{
  OknoClientTrust trust = { NULL, TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) allowed
    = okno_client_new_with_trust ("http://192.0.2.1:8080", &trust, &error);
  g_autoptr (OknoClient) https = NULL;

  g_assert_no_error (error);
  g_assert_true (okno_client_is_unencrypted (allowed));
  g_assert_true (okno_client_check_url ("http://192.0.2.1:8080", TRUE, &error));
  g_assert_no_error (error);
  https = okno_client_new ("https://192.0.2.1:8443", &error);
  g_assert_no_error (error);
  g_assert_false (okno_client_is_unencrypted (https));
  g_assert_true (okno_client_check_url ("https://branch-server", FALSE, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *localedir = g_getenv ("OKNO_LOCALEDIR");
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("okno-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certs = g_build_filename (tmpdir, "certs", NULL);
  g_assert_cmpint (g_mkdir (certs, 0700), ==, 0);
  g_assert_true (central_make_certs (certs, &error));
  g_assert_no_error (error);

  g_test_add_func ("/tls/sync-over-https", test_sync_over_https);
  g_test_add_func ("/tls/self-signed-refused", test_self_signed_refused);
  g_test_add_func ("/tls/wrong-certificate-refused", test_wrong_certificate_refused);
  g_test_add_func ("/tls/push-not-sent", test_push_not_sent);
  g_test_add_func ("/tls/untrusted-in-russian", test_untrusted_in_russian);
  g_test_add_func ("/tls/missing-ca-file", test_missing_ca_file);
  g_test_add_func ("/tls/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/tls/plain-http-allowed", test_plain_http_allowed);
  status = g_test_run ();
  g_free (certs);
  g_free (tmpdir);
  return status;
}
