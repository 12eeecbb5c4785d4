/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli status and search: reading the replica. */

#include "okno-cli-common.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "okno-account-list.h"
#include "okno-credentials.h"
#include "okno-meta-keys.h"

static void
add_nullable_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* The desktop's clock against the server's at the last good sync: seconds
 * the server was ahead (negative: behind), and whether that is beyond
 * drift. null before the first sync. */
static void
add_clock (JsonBuilder *b, OknoStore *store)
{
  g_autofree char *text = okno_store_get_meta (store, OKNO_META_CLOCK_SKEW, NULL);
  gint64 skew = 0;

  json_builder_set_member_name (b, "clock_skew_seconds");
  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &skew, NULL))
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, skew);
  json_builder_set_member_name (b, "clock_warning");
  json_builder_add_boolean_value (
    b, text != NULL && (skew > OKNO_CLOCK_SKEW_LIMIT || skew < -OKNO_CLOCK_SKEW_LIMIT));
}

/* Whether sign-in stored a session here: where, as whom, and whether the
 * keyring still holds it. Never the tokens. */
static void
add_session (JsonBuilder *b, OknoStore *store)
{
  g_autofree char *server = okno_store_get_meta (store, OKNO_META_CLI_SERVER_URL, NULL);
  g_autofree char *login = okno_store_get_meta (store, OKNO_META_CLI_LOGIN, NULL);
  g_autofree char *device = okno_store_get_meta (store, OKNO_META_DEVICE_ID, NULL);
  g_autofree char *desk = okno_store_get_meta (store, OKNO_META_STAFF_DESK_CODE, NULL);
  g_autoptr (GError) error = NULL;
  gboolean stored = FALSE;

  if (server != NULL && login != NULL && device != NULL)
    {
      stored = okno_credentials_cli_lookup (server, login, device, NULL, NULL, NULL, &error);
      if (error != NULL)
        g_printerr ("okno-cli: %s\n", error->message);
    }
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stored");
  json_builder_add_boolean_value (b, stored);
  add_nullable_string (b, "server_url", server);
  add_nullable_string (b, "login", login);
  /* The desk code this computer numbers appeals with (okno-appeal-number.h). */
  json_builder_set_member_name (b, "desk_code");
  if (desk != NULL)
    json_builder_add_int_value (b, g_ascii_strtoll (desk, NULL, 10));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* What is waiting to be sent, and how many rows each collection holds. */
static void
add_counts (JsonBuilder *b, OknoStore *store)
{
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);

  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, okno_store_outbox_count (store, "pending", NULL));
  /* Of pending: made by someone else here, sent once they sign in. */
  json_builder_set_member_name (b, "pending_other_staff");
  json_builder_add_int_value (b, okno_store_outbox_count_others (store, NULL));
  json_builder_set_member_name (b, "quarantined");
  json_builder_add_int_value (b, okno_store_outbox_count (store, "quarantined", NULL));
  json_builder_set_member_name (b, "conflicts");
  json_builder_add_int_value (b, okno_store_count_conflicts (store, NULL));
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (b, all[i]->name);
      json_builder_add_int_value (b, okno_store_count (store, all[i]->name, NULL));
    }
  json_builder_end_object (b);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

int
okno_cli_status (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = okno_cli_open_store (&error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  /* Each under its meta key's name. */
  const char *meta[] = { OKNO_META_CURSOR, OKNO_META_SERVER_URL, OKNO_META_STAFF_LOGIN,
                         OKNO_META_STAFF_NAME, OKNO_META_STAFF_ROLE };

  if (store == NULL)
    return okno_cli_fail (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, okno_store_get_path (store));
  json_builder_set_member_name (b, "ready");
  json_builder_add_boolean_value (b, okno_store_is_ready (store));
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      g_autofree char *v = okno_store_get_meta (store, meta[i], NULL);
      add_nullable_string (b, meta[i], v);
    }
  add_session (b, store);
  add_clock (b, store);
  add_counts (b, store);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

int
okno_cli_search (int argc, char **argv)
{
  int limit = 20;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("At most this many results"), "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("QUERY…");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GListModel) model = NULL;
  g_autofree char *query = NULL;
  guint matches;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (argc < 2 || limit < 1)
    {
      g_printerr ("okno-cli: %s\n", _ ("search needs a query"));
      return 2;
    }
  query = g_strjoinv (" ", argv + 1);
  if ((store = okno_cli_open_store (&error)) == NULL
      || (model = okno_store_search (store, query, (guint)limit, &matches, NULL, &error)) == NULL)
    return okno_cli_fail (error);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      /* A headless command may wait on SQLite; g_list_model_get_item ()
       * would hand back rows still being read. */
      g_autoptr (OknoAccount) a
        = okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), i, &error);

      if (a == NULL)
        return okno_cli_fail (error);
      g_print ("%s\t%s\t%s\n", okno_account_get_number (a), okno_account_get_holder (a),
               okno_account_get_address (a));
    }
  return 0;
}
