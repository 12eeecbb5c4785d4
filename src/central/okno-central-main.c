/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-central: the reference implementation of the Okno central API,
 * serving a SQLite database that it can fill with demo data. */

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "okno-central-auth.h"
#include "okno-central-error.h"
#include "okno-central-server.h"
#include "okno-central-store.h"

#define EXIT_USAGE 2

typedef struct
{
  char *db;
  int port;
  char *address;
  gboolean allow_remote;
  gboolean generate;
  gboolean generate_only;
  int accounts;
  char *seed;
  char *today;
  int gzip_level;
  gboolean quiet;
  gboolean dump_collections;
  gboolean faults;
  int token_ttl;
  gint64 retention_seq;
  /* The sign-in throttle (okno-throttle.h). */
  int sign_in_slow_after;
  int sign_in_lock_after;
  int sign_in_window;
  int sign_in_max_delay;
  /* TLS: both or neither */
  char *tls_cert;
  char *tls_key;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->db);
  g_free (options->address);
  g_free (options->seed);
  g_free (options->today);
  g_free (options->tls_cert);
  g_free (options->tls_key);
}

static gboolean
parse_options (Options *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options->db, "The database file (required)", "PATH" },
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port, "TCP port; 0 lets the kernel pick (8080)",
      "N" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &options->address, "Address to listen on (127.0.0.1)",
      "ADDR" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &options->allow_remote,
      "Allow an address other than loopback", NULL },
    { "generate", 0, 0, G_OPTION_ARG_NONE, &options->generate,
      "Fill an empty database with demo data", NULL },
    { "generate-only", 0, 0, G_OPTION_ARG_NONE, &options->generate_only,
      "Fill an empty database with demo data and exit", NULL },
    { "accounts", 0, 0, G_OPTION_ARG_INT, &options->accounts, "Demo clients to generate (50000)",
      "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options->seed, "Seed of the demo data (1)", "S" },
    { "today", 0, 0, G_OPTION_ARG_STRING, &options->today,
      "The day the demo data describes (the current date)", "YYYY-MM-DD" },
    { "gzip-level", 0, 0, G_OPTION_ARG_INT, &options->gzip_level,
      "gzip level 0-9 for clients that accept it; -1 sends bodies as they are (default: 1 for"
      " clients on other machines, none on loopback)",
      "N" },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &options->quiet, "Do not log every request", NULL },
    { "faults", 0, 0, G_OPTION_ARG_NONE, &options->faults,
      "Let loopback clients stage failures at /api/v1/_faults (tests only)", NULL },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &options->token_ttl,
      "Seconds an access token stays valid (3600)", "SECONDS" },
    { "retention-seq", 0, 0, G_OPTION_ARG_INT64, &options->retention_seq,
      "Keep the change log of the last N commits only; 0 keeps it all (0)", "N" },
    /* The sign-in throttle; docs/sync-protocol.md "Sign-in throttling". */
    { "sign-in-slow-after", 0, 0, G_OPTION_ARG_INT, &options->sign_in_slow_after,
      "Failed sign-ins of a login before each try must wait (5; 4 times that per address)", "N" },
    { "sign-in-lock-after", 0, 0, G_OPTION_ARG_INT, &options->sign_in_lock_after,
      "Failed sign-ins that lock a login for --sign-in-window (10; 4 times that per address)",
      "N" },
    { "sign-in-window", 0, 0, G_OPTION_ARG_INT, &options->sign_in_window,
      "Seconds a lock lasts, and failures are remembered after the last one (900)", "SECONDS" },
    { "sign-in-max-delay", 0, 0, G_OPTION_ARG_INT, &options->sign_in_max_delay,
      "The longest wait before a lock, in seconds (60)", "SECONDS" },
    /* TLS */
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_cert,
      "Serve HTTPS with this PEM certificate (chain); needs --tls-key", "PEM" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_key,
      "The PEM private key of --tls-cert", "PEM" },
    { "dump-collections", 0, 0, G_OPTION_ARG_NONE, &options->dump_collections,
      "Print the collection descriptors as JSON and exit", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- the Okno central API server");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Serves docs/api/openapi.yaml under /api/v1.");
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
check_sync_options (Options *options, GError **error)
{
  if (options->token_ttl < 1)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--token-ttl must be at least 1 second");
      return FALSE;
    }
  if (options->retention_seq < 0)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--retention-seq must be 0 (keep everything) or more");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_throttle_options (Options *options, GError **error)
{
  if (options->sign_in_slow_after < 1 || options->sign_in_lock_after < options->sign_in_slow_after
      || options->sign_in_lock_after > 1000 || options->sign_in_window < 1
      || options->sign_in_max_delay < 1)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--sign-in-slow-after must be at least 1, --sign-in-lock-after from it to "
                   "1000, --sign-in-window and --sign-in-max-delay at least 1 second");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_options (Options *options, GError **error)
{
  if (options->dump_collections)
    return TRUE;
  if (options->db == NULL)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID, "--db PATH is required");
      return FALSE;
    }
  if (options->port < 0 || options->port > 65535)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--port must be from 0 to 65535");
      return FALSE;
    }
  if (options->accounts < 1 || options->accounts > OKNO_DEMO_MAX_ACCOUNTS)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--accounts must be from 1 to %u", OKNO_DEMO_MAX_ACCOUNTS);
      return FALSE;
    }
  if (options->gzip_level < OKNO_CENTRAL_GZIP_AUTO || options->gzip_level > 9)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--gzip-level must be from -1 to 9");
      return FALSE;
    }
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--tls-cert and --tls-key go together");
      return FALSE;
    }
  return check_sync_options (options, error) && check_throttle_options (options, error);
}

/* --- --dump-collections ----------------------------------------------------- */

static JsonNode *
field_node (const OknoField *field)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, field->name);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, okno_field_type_to_string (field->type));
  json_builder_set_member_name (builder, "nullable");
  json_builder_add_boolean_value (builder, field->nullable);
  json_builder_set_member_name (builder, "max_length");
  json_builder_add_int_value (builder, (gint64)field->max_length);
  json_builder_set_member_name (builder, "choices");
  if (field->choices == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; field->choices[i]; i++)
        json_builder_add_string_value (builder, field->choices[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The descriptors as JSON, for tools that check the API document against
 * them (tests/central/check-openapi.py). max_length 0 means the default
 * limit of okno_field_check. */
static int
dump_collections (void)
{
  const OknoCollection *const *all = okno_collection_all (NULL);
  g_autoptr (JsonArray) collections = json_array_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; all[i] != NULL; i++)
    {
      JsonObject *collection = json_object_new ();
      JsonArray *fields = json_array_new ();

      for (guint f = 0; f < all[i]->n_fields; f++)
        json_array_add_element (fields, field_node (&all[i]->fields[f]));
      json_object_set_string_member (collection, "name", all[i]->name);
      json_object_set_string_member (collection, "key", all[i]->fields[0].name);
      json_object_set_array_member (collection, "fields", fields);
      json_array_add_object_element (collections, collection);
    }
  json_node_set_array (root, collections);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  return EXIT_SUCCESS;
}

/* --- generation ----------------------------------------------------------------- */

typedef struct
{
  gint64 started;
  gint64 last_report;
  gint64 total_rows;
} Progress;

static void
progress_cb (const OknoCollection *collection, gint64 rows, gboolean done, gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  if (done)
    {
      progress->total_rows += rows;
      g_printerr ("okno-central: generated %s: %" G_GINT64_FORMAT " rows\n", collection->name,
                  rows);
      progress->last_report = now;
    }
  else if (now - progress->last_report > 2 * G_USEC_PER_SEC)
    {
      g_printerr ("okno-central: generating %s: %" G_GINT64_FORMAT " rows so far\n",
                  collection->name, rows);
      progress->last_report = now;
    }
}

/* Today in Ekaterinburg (UTC+5), where the demo clients live. */
static char *
local_today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) local = g_date_time_add_hours (now, 5);

  return g_date_time_format (local, "%Y-%m-%d");
}

static gboolean
generate (OknoCentralStore *store, const Options *options, GError **error)
{
  g_autofree char *today = options->today ? g_strdup (options->today) : local_today ();
  Progress progress = { g_get_monotonic_time (), g_get_monotonic_time (), 0 };
  OknoDemoOptions demo;
  guint64 seed = 1;
  gboolean empty = FALSE;

  if (options->seed != NULL
      && !g_ascii_string_to_unsigned (options->seed, 10, 0, G_MAXUINT64, &seed, error))
    {
      g_prefix_error (error, "--seed: ");
      return FALSE;
    }
  if (!okno_central_store_is_empty (store, &empty, error))
    return FALSE;
  if (!empty)
    {
      g_printerr ("okno-central: the database already holds data; not generating\n");
      return TRUE;
    }
  okno_demo_options_init (&demo);
  demo.accounts = (guint)options->accounts;
  demo.seed = seed;
  demo.today = today;
  g_printerr ("okno-central: generating %u accounts (seed %" G_GUINT64_FORMAT ", as of %s)\n",
              demo.accounts, seed, today);
  if (!okno_central_store_generate (store, &demo, progress_cb, &progress, error))
    return FALSE;
  g_printerr ("okno-central: generated %" G_GINT64_FORMAT " rows in %.1f s\n", progress.total_rows,
              (double)(g_get_monotonic_time () - progress.started) / G_USEC_PER_SEC);
  return TRUE;
}

/* --- serving ----------------------------------------------------------------------- */

static GInetAddress *
listen_address (const Options *options, GError **error)
{
  const char *text = options->address ? options->address : "127.0.0.1";
  g_autoptr (GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (text, "localhost") == 0)
    text = "127.0.0.1";
  address = g_inet_address_new_from_string (text);
  if (address == NULL)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "--address: “%s” is not an IP address", text);
      return NULL;
    }
  /* Nothing here is meant for a network: clients and tests talk over
   * loopback unless someone decides otherwise on purpose. */
  if (!g_inet_address_get_is_loopback (address) && !options->allow_remote)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID,
                   "Refusing to listen on %s, which is not a loopback address "
                   "(add --allow-remote to do it anyway)",
                   text);
      return NULL;
    }
  return g_steal_pointer (&address);
}

/* Counting a big collection takes a moment; do it before the first client
 * asks for a snapshot. */
static gboolean
warm_counts (OknoCentralStore *store, GError **error)
{
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    {
      gint64 count;
      if (!okno_central_store_count (store, all[i], &count, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
print_url (GInetAddress *address, guint port, gboolean https)
{
  g_autofree char *host = g_inet_address_to_string (address);
  gboolean ipv6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  /* Tests read this line to learn the scheme and the port: exactly one,
   * flushed. */
  printf ("okno-central listening on %s://%s%s%s:%u\n", https ? "https" : "http", ipv6 ? "[" : "",
          host, ipv6 ? "]" : "", port);
  fflush (stdout);
}

/* The certificate and key of --tls-cert and --tls-key, if given. */
static gboolean
setup_tls (OknoCentralServer *server, const Options *options, GError **error)
{
  g_autoptr (GTlsCertificate) certificate = NULL;

  if (options->tls_cert == NULL)
    return TRUE;
  certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, error);
  if (certificate == NULL)
    {
      g_prefix_error (error, "--tls-cert %s, --tls-key %s: ", options->tls_cert, options->tls_key);
      return FALSE;
    }
  okno_central_server_set_tls_certificate (server, certificate);
  return TRUE;
}

static gboolean
serve (OknoCentralStore *store, const Options *options, GError **error)
{
  g_autoptr (GInetAddress) address = listen_address (options, error);
  g_autoptr (OknoCentralAuth) auth = NULL;
  g_autoptr (OknoCentralServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;

  if (address == NULL || !warm_counts (store, error))
    return FALSE;
  auth = okno_central_auth_new (store);
  okno_central_auth_set_token_ttl (auth, (guint)options->token_ttl);
  okno_central_auth_set_throttle_policy (
    auth, &(OknoThrottlePolicy){ .slow_after = (guint)options->sign_in_slow_after,
                                 .lock_after = (guint)options->sign_in_lock_after,
                                 .window = options->sign_in_window,
                                 .max_delay = options->sign_in_max_delay });
  if (!okno_central_store_set_retention (store, options->retention_seq, error))
    return FALSE;
  server = okno_central_server_new (store, auth);
  okno_central_server_set_faults (server, options->faults);
  okno_central_server_set_gzip_level (server, options->gzip_level);
  okno_central_server_set_log_requests (server, !options->quiet);
  if (!setup_tls (server, options, error)
      || !okno_central_server_listen (server, address, (guint)options->port, error))
    return FALSE;
  /* Okno refuses such a server unless an administrator allowed it. */
  if (!g_inet_address_get_is_loopback (address) && !okno_central_server_is_https (server))
    g_printerr ("okno-central: warning: plain HTTP on a network address: passwords and personal "
                "data cross the network unencrypted; give --tls-cert and --tls-key\n");
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  print_url (address, okno_central_server_get_port (server), okno_central_server_is_https (server));
  g_main_loop_run (loop);
  okno_central_server_disconnect (server);
  g_printerr ("okno-central: stopped\n");
  return TRUE;
}

/* A half-generated dataset is never served. */
static gboolean
check_dataset (OknoCentralStore *store, GError **error)
{
  gboolean empty = FALSE;

  if (!okno_central_store_is_empty (store, &empty, error))
    return FALSE;
  if (empty)
    g_printerr ("okno-central: the database is empty; start with --generate to fill it\n");
  return TRUE;
}

static int
run (Options *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoCentralStore) store = okno_central_store_open (options->db, &error);
  gboolean ok;

  if (store == NULL)
    {
      g_printerr ("okno-central: cannot open %s: %s\n", options->db, error->message);
      return EXIT_FAILURE;
    }
  if (options->generate || options->generate_only)
    ok = generate (store, options, &error);
  else
    ok = check_dataset (store, &error);
  if (ok && !options->generate_only)
    ok = serve (store, options, &error);
  if (!ok)
    {
      g_printerr ("okno-central: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  Options options = { .port = 8080,
                      .accounts = OKNO_DEMO_DEFAULT_ACCOUNTS,
                      .gzip_level = OKNO_CENTRAL_GZIP_AUTO,
                      .token_ttl = OKNO_CENTRAL_TOKEN_LIFETIME,
                      .sign_in_slow_after = OKNO_THROTTLE_SLOW_AFTER,
                      .sign_in_lock_after = OKNO_THROTTLE_LOCK_AFTER,
                      .sign_in_window = OKNO_THROTTLE_WINDOW,
                      .sign_in_max_delay = OKNO_THROTTLE_MAX_DELAY };
  g_autoptr (GError) error = NULL;
  int status;

  /* UTF-8 output where the terminal has it, but English messages (also
   * from the lower layers) and C number formatting, whatever the locale. */
  setlocale (LC_ALL, "");
  setlocale (LC_MESSAGES, "C");
  setlocale (LC_NUMERIC, "C");
  if (!parse_options (&options, &argc, &argv, &error) || !check_options (&options, &error))
    {
      g_printerr ("okno-central: %s\n", error->message);
      options_clear (&options);
      return EXIT_USAGE;
    }
  status = options.dump_collections ? dump_collections () : run (&options);
  options_clear (&options);
  return status;
}
