/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How fast okno-central serves snapshot pages over loopback: pages are
 * fetched one after another on one keep-alive connection, as the sync
 * client does, and parsed with json-glib. Prints figures; asserts nothing
 * about time. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "central-spawn.h"
#include "okno-collection.h"

static char *opt_db;
static int opt_accounts = 50000;
static int opt_limit = 5000;
static int opt_gzip_level = -1;
static char *opt_collection;
static gboolean opt_identity;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database (kept; generated when empty)", "PATH" },
  { "accounts", 0, 0, G_OPTION_ARG_INT, &opt_accounts, "Accounts to generate (50000)", "N" },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, "Rows per page (5000)", "N" },
  { "gzip-level", 0, 0, G_OPTION_ARG_INT, &opt_gzip_level, "The server's --gzip-level (-1)", "N" },
  { "collection", 0, 0, G_OPTION_ARG_STRING, &opt_collection, "One collection (default: all)",
    "NAME" },
  { "identity", 0, 0, G_OPTION_ARG_NONE, &opt_identity, "Do not send Accept-Encoding: gzip", NULL },
  { NULL },
};

/* CPU seconds a process has used: on a busy machine a fairer measure of
 * what compression costs than the wall clock. */
static double
process_cpu (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid ? pid : "self");
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  /* utime and stime, fields 14 and 15 of stat(5), in clock ticks. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / (double)sysconf (_SC_CLK_TCK);
}

static JsonNode *
request_json (SoupSession *session, SoupMessage *msg, gsize *wire, GError **error)
{
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, error);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (wire)
    *wire
      += (gsize)soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u: %.*s",
                   soup_message_get_status (msg), (int)length, data);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize)length, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static char *
sign_in (SoupSession *session, const char *base, GError **error)
{
  g_autofree char *url = g_strconcat (base, "/session", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  const char *body = "{\"login\":\"clerk\",\"password\":\"clerk\","
                     "\"device_id\":\"6f1c2d7e-0b5a-4c8e-9f3d-2a1b0c9d8e7f\"}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr (JsonNode) root = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  root = request_json (session, msg, NULL, error);
  if (root == NULL)
    return NULL;
  return g_strdup_printf (
    "Bearer %s", json_object_get_string_member (json_node_get_object (root), "access_token"));
}

static gboolean
fetch_collection (SoupSession *session, const char *base, const char *auth, const char *name,
                  gint64 *rows, gsize *wire, GError **error)
{
  g_autofree char *after = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, TRUE) : NULL;
      g_autofree char *url = g_strdup_printf ("%s/snapshot/%s?limit=%d%s%s", base, name, opt_limit,
                                              after ? "&after=" : "", after ? escaped : "");
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (JsonNode) root = NULL;
      JsonObject *page;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      if (opt_identity)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding",
                                      "identity");
      root = request_json (session, msg, wire, error);
      if (root == NULL)
        return FALSE;
      page = json_node_get_object (root);
      *rows += json_array_get_length (json_object_get_array_member (page, "items"));
      more = json_object_get_boolean_member (page, "has_more");
      g_free (after);
      after = more ? g_strdup (json_object_get_string_member (page, "next_after")) : NULL;
    }
  return TRUE;
}

static int
bench (const char *db)
{
  g_autofree char *accounts = g_strdup_printf ("%d", opt_accounts);
  g_autofree char *gzip = g_strdup_printf ("%d", opt_gzip_level);
  const char *extra[] = { "--generate",   "--accounts", accounts,  "--seed", "1",
                          "--gzip-level", gzip,         "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CentralProcess) central = central_spawn (db, extra, &error);
  g_autoptr (SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *auth = NULL;
  const OknoCollection *const *all = okno_collection_all (NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  gint64 total_rows = 0, total_started;
  double server_cpu, client_cpu;

  if (central == NULL || (auth = sign_in (session, central->base_url, &error)) == NULL)
    {
      g_printerr ("bench-snapshot: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; all[i] != NULL; i++)
    if (opt_collection == NULL || strcmp (opt_collection, all[i]->name) == 0)
      g_ptr_array_add (names, (char *)all[i]->name);
  total_started = g_get_monotonic_time ();
  server_cpu = process_cpu (g_subprocess_get_identifier (central->process));
  client_cpu = process_cpu (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      gint64 rows = 0, started = g_get_monotonic_time ();
      gsize wire = 0;
      double seconds;

      if (!fetch_collection (session, central->base_url, auth, names->pdata[i], &rows, &wire,
                             &error))
        {
          g_printerr ("bench-snapshot: %s: %s\n", (char *)names->pdata[i], error->message);
          return EXIT_FAILURE;
        }
      seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;
      total_rows += rows;
      printf ("%-14s %9" G_GINT64_FORMAT " rows %8.2f s %9.0f rows/s %8.1f MB on the wire\n",
              (char *)names->pdata[i], rows, seconds, (double)rows / MAX (seconds, 1e-6),
              (double)wire / 1048576.0);
    }
  printf ("%-14s %9" G_GINT64_FORMAT " rows %8.2f s; CPU: server %.2f s, client %.2f s\n", "total",
          total_rows, (double)(g_get_monotonic_time () - total_started) / G_USEC_PER_SEC,
          process_cpu (g_subprocess_get_identifier (central->process)) - server_cpu,
          process_cpu (NULL) - client_cpu);
  /* Figures from a server that failed or reported a sanitizer finding as
   * it stopped are not figures. */
  if (central_stop (central) != 0)
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- okno-central page serving rate");
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *db = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-snapshot: %s\n", error->message);
      return 2;
    }
  if (opt_db == NULL)
    {
      tmp = g_dir_make_tmp ("okno-bench-XXXXXX", NULL);
      db = g_build_filename (tmp, "central.db", NULL);
    }
  status = bench (opt_db ? opt_db : db);
  if (tmp != NULL)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      g_remove (db);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (tmp);
    }
  return status;
}
