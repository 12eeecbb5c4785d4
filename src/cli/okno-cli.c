/* okno-cli: the headless companion of Okno, on the same libraries.
 *
 *   okno-cli [--replica PATH] download --server URL --login LOGIN
 *   okno-cli [--replica PATH] status
 *   okno-cli [--replica PATH] search [--limit N] QUERY...
 *
 * The password comes from $OKNO_PASSWORD or, when unset, from standard
 * input (one line), so it never appears in a process list. */

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "okno-core.h"
#include "okno-sync.h"

static char *opt_replica = NULL;

static int
fail (GError *error)
{
  g_printerr ("okno-cli: %s\n", error->message);
  return 1;
}

static char *
read_password (void)
{
  const char *env = g_getenv ("OKNO_PASSWORD");
  char line[512];

  if (env != NULL)
    return g_strdup (env);
  if (fgets (line, sizeof line, stdin) == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  return g_strdup (line);
}

static OknoStore *
open_store (GError **error)
{
  g_autofree char *path = opt_replica ? g_strdup (opt_replica) : okno_store_default_path ();

  return okno_store_open (path, error);
}

static void
print_progress (gint64 done, gint64 total, gpointer data)
{
  gint64 *start = data;
  double secs = (g_get_monotonic_time () - *start) / 1e6;

  g_printerr ("\r%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " rows, %.0f rows/s   ", done, total,
              secs > 0 ? done / secs : 0.0);
}

static gboolean
save_staff (OknoStore *store, OknoClient *client, const OknoStaff *staff, GError **error)
{
  return okno_store_set_meta (store, "server_url", okno_client_get_base_url (client), error)
         && okno_store_set_meta (store, "staff_id", staff->id, error)
         && okno_store_set_meta (store, "staff_login", staff->login, error)
         && okno_store_set_meta (store, "staff_name", staff->full_name, error)
         && okno_store_set_meta (store, "staff_role", staff->role, error);
}

static int
cmd_download (int argc, char **argv)
{
  g_autofree char *server = NULL, *login = NULL, *password = NULL, *device = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Server address"), "URL" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_ ("Staff login"), "LOGIN" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("download");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoClient) client = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  gint64 start, rows;
  double secs;
  guint n_collections;
  const OknoCollection *const *collections = okno_collection_all (&n_collections);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (server == NULL || login == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("download needs --server and --login"));
      return 2;
    }
  password = read_password ();
  if (password == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("No password given"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL || (client = okno_client_new (server, &error)) == NULL)
    return fail (error);
  device = okno_store_get_meta (store, "device_id", NULL);
  if (device == NULL)
    {
      device = g_uuid_string_random ();
      if (!okno_store_set_meta (store, "device_id", device, &error))
        return fail (error);
    }
  okno_client_set_device_id (client, device);
  staff = okno_client_sign_in (client, login, password, NULL, &error);
  if (staff == NULL || !save_staff (store, client, staff, &error))
    return fail (error);
  start = g_get_monotonic_time ();
  if (!okno_client_download (client, store, print_progress, &start, NULL, &error))
    {
      g_printerr ("\n");
      return fail (error);
    }
  secs = (g_get_monotonic_time () - start) / 1e6;
  rows = 0;
  for (guint i = 0; i < n_collections; i++)
    rows += MAX (0, okno_store_count (store, collections[i]->name, NULL));
  g_printerr ("\n");
  {
    /* Format macros cannot stand inside a translatable string. */
    g_autofree char *n_rows = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
    g_autofree char *n_accounts
      = g_strdup_printf ("%" G_GINT64_FORMAT, okno_store_count (store, "accounts", NULL));
    g_print (_ ("Downloaded %s rows (%s accounts) in %.1f s: %.0f rows/s\n"), n_rows, n_accounts,
             secs, rows / MAX (secs, 1e-6));
  }
  return 0;
}

static int
cmd_status (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = open_store (&error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *meta[] = { "cursor", "server_url", "staff_login", "staff_name", "staff_role" };
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);

  if (store == NULL)
    return fail (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, okno_store_get_path (store));
  json_builder_set_member_name (b, "ready");
  json_builder_add_boolean_value (b, okno_store_is_ready (store));
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      g_autofree char *v = okno_store_get_meta (store, meta[i], NULL);
      json_builder_set_member_name (b, meta[i]);
      if (v)
        json_builder_add_string_value (b, v);
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (b, all[i]->name);
      json_builder_add_int_value (b, okno_store_count (store, all[i]->name, NULL));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
  return 0;
}

static int
cmd_search (int argc, char **argv)
{
  int limit = 20;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("At most this many results"), "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("search QUERY…");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GListModel) model = NULL;
  g_autofree char *query = NULL;
  guint matches;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (argc < 2 || limit < 1)
    {
      g_printerr ("okno-cli: %s\n", _ ("search needs a query"));
      return 2;
    }
  query = g_strjoinv (" ", argv + 1);
  if ((store = open_store (&error)) == NULL
      || (model = okno_store_search (store, query, (guint)limit, &matches, NULL, &error)) == NULL)
    return fail (error);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (OknoAccount) a = g_list_model_get_item (model, i);
      g_print ("%s\t%s\t%s\n", okno_account_get_number (a), okno_account_get_holder (a),
               okno_account_get_address (a));
    }
  return 0;
}

int
main (int argc, char **argv)
{
  const char *cmd;

  setlocale (LC_ALL, "");
  /* OKNO_LOCALEDIR runs an uninstalled build in its translations
   * (build-aux/demo, the tests): build/po holds ru/LC_MESSAGES/okno.mo. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("OKNO_LOCALEDIR") ? g_getenv ("OKNO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 2 && g_str_equal (argv[1], "--replica"))
    {
      opt_replica = argv[2];
      argc -= 2;
      argv += 2;
    }
  cmd = argc > 1 ? argv[1] : "";
  if (g_str_equal (cmd, "download"))
    return cmd_download (argc - 1, argv + 1);
  if (g_str_equal (cmd, "status"))
    return cmd_status (argc - 1, argv + 1);
  if (g_str_equal (cmd, "search"))
    return cmd_search (argc - 1, argv + 1);
  g_printerr ("%s\n", _ ("Usage: okno-cli [--replica PATH] download|status|search …"));
  return 2;
}
