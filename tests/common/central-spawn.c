/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Starting and stopping okno-central for tests and benchmarks. */

#include "central-spawn.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* A test that aborts must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
read_line (GSubprocess *process, GError **error)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (process);
  g_autoptr (GDataInputStream) data = g_data_input_stream_new (out);
  char *line;

  /* Unbuffered reads: the stream must not swallow what follows the line. */
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data), 1);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, error);
  if (line == NULL && error && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "okno-central exited before it listened");
  return line;
}

/* Copies the server's stderr to ours (the test log shows it as before)
 * and keeps it; ends when the server closes its end, that is, exits. */
static gpointer
read_stderr (gpointer data)
{
  CentralProcess *central = data;
  GInputStream *err = g_subprocess_get_stderr_pipe (central->process);
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (err, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_string_append_len (central->stderr_text, buffer, n);
      if (write (STDERR_FILENO, buffer, (size_t)n) < 0)
        continue;
    }
  return NULL;
}

/* Waits for the exited server's stderr to be read to its end. */
static void
join_stderr (CentralProcess *central)
{
  if (central->stderr_reader != NULL)
    g_thread_join (g_steal_pointer (&central->stderr_reader));
}

gboolean
central_has_sanitizer_report (const char *text)
{
  static const char *const markers[] = {
    "ERROR: AddressSanitizer",
    "LeakSanitizer",
    "runtime error:",
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (markers); i++)
    if (strstr (text, markers[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* GCC 12's LeakSanitizer crashes at exit ("Tracer caught signal 11") in a
 * process one of whose worker threads made a TLS handshake: it misreads the
 * dynamic thread-local storage of the GnuTLS module GIO loads. An HTTPS
 * server is therefore checked by AddressSanitizer without its leak check;
 * the plain HTTP servers of every other test keep it. */
static void
leak_check_off_for_tls (GSubprocessLauncher *launcher, const char *const *extra)
{
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree char *options = NULL;

  if (asan == NULL || extra == NULL || !g_strv_contains (extra, "--tls-cert"))
    return;
  options = g_strconcat (asan, ":detect_leaks=0", NULL);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
}

CentralProcess *
central_spawn (const char *db, const char *const *extra, GError **error)
{
  const char *exe = g_getenv ("OKNO_CENTRAL");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (CentralProcess) central = g_new0 (CentralProcess, 1);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "okno-central listening on ";
  const char *rest;

  if (exe == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Set OKNO_CENTRAL to the binary");
      return NULL;
    }
  g_ptr_array_add (argv, (char *)exe);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *)db);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, (char *)extra[i]);
  g_ptr_array_add (argv, NULL);
  central->stderr_text = g_string_new (NULL);
  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  leak_check_off_for_tls (launcher, extra);
  central->process
    = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, error);
  if (central->process == NULL)
    return NULL;
  central->stderr_reader = g_thread_new ("central-stderr", read_stderr, central);
  line = read_line (central->process, error);
  if (line == NULL)
    return NULL;
  rest = g_str_has_prefix (line, prefix) ? line + strlen (prefix) : "";
  if (!g_str_has_prefix (rest, "http://127.0.0.1:")
      && !g_str_has_prefix (rest, "https://127.0.0.1:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Unexpected first line: %s", line);
      return NULL;
    }
  central->db = g_strdup (db);
  central->port = (guint)g_ascii_strtoull (strrchr (rest, ':') + 1, NULL, 10);
  central->url = g_strdup (rest);
  central->base_url = g_strconcat (central->url, "/api/v1", NULL);
  return g_steal_pointer (&central);
}

gboolean
central_make_certs (const char *dir, GError **error)
{
  const char *script = g_getenv ("OKNO_MAKE_CERTS");
  const char *argv[] = { "/bin/sh", script ? script : OKNO_MAKE_CERTS, dir, NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                     error)
      || !g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: ", argv[1]);
      return FALSE;
    }
  return TRUE;
}

CentralProcess *
central_spawn_https (const char *db, const char *dir, const char *name, const char *const *extra,
                     GError **error)
{
  g_autofree char *cert_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key_name = g_strconcat (name, "-key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, cert_name, NULL);
  g_autofree char *key = g_build_filename (dir, key_name, NULL);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  CentralProcess *central;

  g_ptr_array_add (args, "--tls-cert");
  g_ptr_array_add (args, cert);
  g_ptr_array_add (args, "--tls-key");
  g_ptr_array_add (args, key);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (args, (char *)extra[i]);
  g_ptr_array_add (args, NULL);
  central = central_spawn (db, (const char *const *)args->pdata, error);
  if (central != NULL)
    central->ca_file = g_build_filename (dir, "ca.pem", NULL);
  return central;
}

SoupSession *
central_session_new (CentralProcess *central, GError **error)
{
  /* Loopback only: no proxy lookups. */
  g_autoptr (SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr (GTlsDatabase) database = NULL;

  if (central->ca_file == NULL)
    return g_steal_pointer (&session);
  if ((database = g_tls_file_database_new (central->ca_file, error)) == NULL)
    return NULL;
  soup_session_set_tls_database (session, database);
  return g_steal_pointer (&session);
}

gboolean
central_add_fault (CentralProcess *central, const char *spec, GError **error)
{
  g_autoptr (SoupSession) session = central_session_new (central, error);
  g_autofree char *url = g_strconcat (central->base_url, "/_faults", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new (spec, strlen (spec));
  g_autoptr (GBytes) answer = NULL;

  if (session == NULL)
    return FALSE;
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return FALSE;
  if (soup_message_get_status (msg) != SOUP_STATUS_NO_CONTENT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "POST /_faults answered %u: %.*s",
                   soup_message_get_status (msg), (int)g_bytes_get_size (answer),
                   (const char *)g_bytes_get_data (answer, NULL));
      return FALSE;
    }
  return TRUE;
}

int
central_stop (CentralProcess *central)
{
  int status;

  if (central->process == NULL)
    return -1;
  g_subprocess_send_signal (central->process, SIGTERM);
  g_subprocess_wait (central->process, NULL, NULL);
  central->waited = TRUE;
  join_stderr (central);
  status = g_subprocess_get_if_exited (central->process)
             ? g_subprocess_get_exit_status (central->process)
             : -1;
  if (status != 0)
    g_printerr ("okno-central did not exit cleanly (status %d)\n", status);
  else if (central_has_sanitizer_report (central->stderr_text->str))
    {
      g_printerr ("okno-central exited 0 but its stderr holds a sanitizer report\n");
      status = 1;
    }
  return status;
}

void
central_process_free (CentralProcess *central)
{
  if (central->process && !central->waited)
    {
      g_subprocess_force_exit (central->process);
      g_subprocess_wait (central->process, NULL, NULL);
    }
  join_stderr (central);
  g_clear_object (&central->process);
  if (central->stderr_text != NULL)
    g_string_free (central->stderr_text, TRUE);
  g_free (central->url);
  g_free (central->base_url);
  g_free (central->ca_file);
  g_free (central->db);
  g_free (central);
}

gboolean
central_test_https (void)
{
  return g_strcmp0 (g_getenv ("OKNO_TEST_HTTPS"), "1") == 0;
}

/* okno-central with the certificate of a test CA made now in dir/certs. */
static CentralProcess *
spawn_https_in (const char *dir, const char *db, const char *const *extra, GError **error)
{
  g_autofree char *certs = g_build_filename (dir, "certs", NULL);

  if (g_mkdir (certs, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", certs,
                   g_strerror (errno));
      return NULL;
    }
  if (!central_make_certs (certs, error))
    return NULL;
  return central_spawn_https (db, certs, "server", extra, error);
}

CentralProcess *
central_spawn_in_tmp (const char *template, const char *const *extra, char **dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  gboolean https = central_test_https ();
  CentralProcess *central;

  *dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  db = g_build_filename (*dir, "central.db", NULL);
  if (https)
    central = spawn_https_in (*dir, db, extra, &error);
  else
    central = central_spawn (db, extra, &error);
  g_assert_no_error (error);
  /* A run that asked for HTTPS and got http:// would prove nothing. */
  g_assert_true (
    g_str_has_prefix (central->url, https ? "https://127.0.0.1:" : "http://127.0.0.1:"));
  g_assert_true (https == (central->ca_file != NULL));
  return central;
}

/* GET /api/v1/health at url: the status (0 when no HTTP answer came) and
 * the certificate the server showed, if any. */
static guint
get_health (SoupSession *session, const char *url, GTlsCertificate **peer)
{
  g_autofree char *health = g_strconcat (url, "/api/v1/health", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", health);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    g_test_message ("GET %s: %s", health, error->message);
  *peer = soup_message_get_tls_peer_certificate (msg);
  if (*peer != NULL)
    g_object_ref (*peer);
  return soup_message_get_status (msg);
}

GTlsCertificate *
central_server_certificate (CentralProcess *central)
{
  g_autofree char *certs = NULL, *cert = NULL, *key = NULL;
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;

  if (central->ca_file == NULL)
    return NULL;
  certs = g_path_get_dirname (central->ca_file);
  cert = g_build_filename (certs, "server.pem", NULL);
  key = g_build_filename (certs, "server-key.pem", NULL);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return certificate;
}

void
central_assert_transport (CentralProcess *central)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupSession) session = central_session_new (central, &error);
  g_autoptr (GTlsCertificate) peer = NULL;
  g_autoptr (GTlsCertificate) clear_peer = NULL;
  g_autoptr (GTlsCertificate) expected = NULL;
  g_autofree char *plain = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (get_health (session, central->url, &peer), ==, SOUP_STATUS_OK);
  if (!central_test_https ())
    {
      g_assert_true (g_str_has_prefix (central->url, "http://"));
      g_assert_null (peer);
      return;
    }
  g_assert_true (g_str_has_prefix (central->url, "https://"));
  g_assert_nonnull (peer);
  expected = central_server_certificate (central);
  g_assert_true (g_tls_certificate_is_same (peer, expected));
  /* The same port in the clear: no HTTP answer, only a failed handshake. */
  plain = g_strdup_printf ("http://127.0.0.1:%u", central->port);
  g_assert_cmpuint (get_health (session, plain, &clear_peer), ==, SOUP_STATUS_NONE);
  g_assert_null (clear_peer);
}

void
central_stage_fault (CentralProcess *central, const char *spec)
{
  g_autoptr (GError) error = NULL;

  central_add_fault (central, spec, &error);
  g_assert_no_error (error);
}

void
central_finish (CentralProcess *central)
{
  g_assert_cmpint (central_stop (central), ==, 0);
  central_process_free (central);
}
