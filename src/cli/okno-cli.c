/* okno-cli: the headless companion of Okno, on the same libraries.
 *
 *   okno-cli [--replica PATH] download --server URL --login LOGIN
 *   okno-cli [--replica PATH] status
 *   okno-cli [--replica PATH] search [--limit N] QUERY...
 *   okno-cli [--replica PATH] sync --server URL --login LOGIN
 *   okno-cli [--replica PATH] reading --meter ID --t1 N [--t2 N] [--t3 N] [--date DAY]
 *   okno-cli [--replica PATH] payment --account ID --amount SUM [--method METHOD]
 *   okno-cli [--replica PATH] appeal --account ID --kind KIND --subject TEXT --body TEXT
 *   okno-cli [--replica PATH] appeal-set --appeal ID FIELD=VALUE...
 *
 * The record commands write exactly what the counter writes, through the
 * same store functions: the record and its outbox entry in one transaction.
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
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, okno_store_outbox_count (store, "pending", NULL));
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

static OknoClient *
signed_in_client (OknoStore *store, const char *server, const char *login, GError **error)
{
  g_autofree char *password = read_password ();
  g_autofree char *device = okno_store_get_meta (store, "device_id", NULL);
  g_autoptr (OknoClient) client = okno_client_new (server, error);
  g_autoptr (OknoStaff) staff = NULL;

  if (client == NULL)
    return NULL;
  if (password == NULL)
    {
      g_set_error_literal (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED,
                           _ ("No password given"));
      return NULL;
    }
  if (device == NULL)
    {
      device = g_uuid_string_random ();
      if (!okno_store_set_meta (store, "device_id", device, error))
        return NULL;
    }
  okno_client_set_device_id (client, device);
  staff = okno_client_sign_in (client, login, password, NULL, error);
  if (staff == NULL || !save_staff (store, client, staff, error))
    return NULL;
  return g_steal_pointer (&client);
}

static int
cmd_sync (int argc, char **argv)
{
  g_autofree char *server = NULL, *login = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Server address"), "URL" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_ ("Staff login"), "LOGIN" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("sync");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoClient) client = NULL;
  OknoSyncReport r = { 0 };

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (server == NULL || login == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("sync needs --server and --login"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL
      || (client = signed_in_client (store, server, login, &error)) == NULL
      || !okno_client_sync (client, store, &r, NULL, &error))
    return fail (error);
  g_print ("{\"pushed\": %u, \"pulled\": %u, \"pending\": %" G_GINT64_FORMAT
           ", \"quarantined\": %" G_GINT64_FORMAT ", \"conflicts\": %" G_GINT64_FORMAT "}\n",
           r.pushed, r.pulled, r.pending, r.quarantined, r.conflicts);
  return 0;
}

/* Values for a new record: every field null, then set by name. */
static OknoValue *
blank_row (const OknoCollection *c)
{
  OknoValue *v = g_new0 (OknoValue, c->n_fields);

  for (guint i = 0; i < c->n_fields; i++)
    v[i].is_null = TRUE;
  return v;
}

static void
put (const OknoCollection *c, OknoValue *v, const char *field, const char *text)
{
  int i = okno_collection_field_index (c, field);

  g_assert (i >= 0);
  v[i].is_null = text == NULL;
  v[i].text = text;
}

static void
put_int (const OknoCollection *c, OknoValue *v, const char *field, gint64 value)
{
  int i = okno_collection_field_index (c, field);

  g_assert (i >= 0);
  v[i].is_null = FALSE;
  v[i].integer = value;
}

static int
create_and_print (OknoStore *store, const OknoCollection *c, OknoValue *v)
{
  g_autoptr (GError) error = NULL;

  if (!okno_store_create (store, c, v, &error))
    return fail (error);
  g_print ("%s\n", v[0].text);
  return 0;
}

static char *
utc_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static int
cmd_reading (int argc, char **argv)
{
  g_autofree char *meter = NULL, *date = NULL;
  gint64 t[3] = { -1, -1, -1 };
  GOptionEntry entries[] = {
    { "meter", 0, 0, G_OPTION_ARG_STRING, &meter, N_ ("Meter identifier"), "ID" },
    { "t1", 0, 0, G_OPTION_ARG_INT64, &t[0], N_ ("Reading of zone 1, kWh"), "N" },
    { "t2", 0, 0, G_OPTION_ARG_INT64, &t[1], N_ ("Reading of zone 2, kWh"), "N" },
    { "t3", 0, 0, G_OPTION_ARG_INT64, &t[2], N_ ("Reading of zone 3, kWh"), "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("Day the reading was taken"), "YYYY-MM-DD" },
    { NULL },
  };
  const OknoCollection *c = okno_collection_lookup ("readings");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("reading");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = blank_row (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *staff = NULL;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (meter == NULL || t[0] < 0)
    {
      g_printerr ("okno-cli: %s\n", _ ("reading needs --meter and --t1"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL)
    return fail (error);
  staff = okno_store_get_meta (store, "staff_id", NULL);
  if (date == NULL)
    date = g_strndup (now, 10);
  put (c, v, "id", id);
  put (c, v, "meter_id", meter);
  put (c, v, "taken_on", date);
  for (int z = 0; z < 3; z++)
    if (t[z] >= 0)
      put_int (c, v, z == 0 ? "t1" : z == 1 ? "t2" : "t3", t[z]);
  put (c, v, "source", "counter");
  put (c, v, "accepted_at", now);
  put (c, v, "staff_id", staff);
  put_int (c, v, "version", 0);
  return create_and_print (store, c, v);
}

static int
cmd_payment (int argc, char **argv)
{
  g_autofree char *account = NULL, *amount = NULL, *method = NULL;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_ ("Account identifier"), "ID" },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount, N_ ("Amount in roubles"), "SUM" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, N_ ("cash, card, bank_transfer or terminal"),
      "METHOD" },
    { NULL },
  };
  const OknoCollection *c = okno_collection_lookup ("payments");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("payment");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = blank_row (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *staff = NULL;
  gint64 kop;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (account == NULL || amount == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("payment needs --account and --amount"));
      return 2;
    }
  if (!okno_money_parse (amount, &kop, &error) || (store = open_store (&error)) == NULL)
    return fail (error);
  staff = okno_store_get_meta (store, "staff_id", NULL);
  put (c, v, "id", id);
  put (c, v, "account_id", account);
  put_int (c, v, "amount_kop", kop);
  put (c, v, "paid_at", now);
  put (c, v, "method", method ? method : "cash");
  put (c, v, "staff_id", staff);
  put_int (c, v, "version", 0);
  return create_and_print (store, c, v);
}

static int
cmd_appeal (int argc, char **argv)
{
  g_autofree char *account = NULL, *kind = NULL, *subject = NULL, *body = NULL, *answer = NULL;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_ ("Account identifier"), "ID" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_ ("consultation, application, complaint, …"),
      "KIND" },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_ ("Subject"), "TEXT" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_ ("Text of the appeal"), "TEXT" },
    { "answer-channel", 0, 0, G_OPTION_ARG_STRING, &answer, N_ ("How the client wants the answer"),
      "CHANNEL" },
    { NULL },
  };
  const OknoCollection *c = okno_collection_lookup ("appeals");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("appeal");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = blank_row (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *number = NULL, *due = NULL;
  g_autofree char *days = NULL;
  g_autoptr (GDateTime) due_dt = NULL;
  g_autoptr (GDateTime) today = g_date_time_new_now_utc ();

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (kind == NULL || subject == NULL || body == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("appeal needs --kind, --subject and --body"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL)
    return fail (error);
  /* 30 calendar days to answer unless policy says otherwise (L145-L157). */
  days = okno_store_get_policy (store, "appeal_answer_days", "30");
  due_dt = g_date_time_add_days (today, (int)g_ascii_strtoll (days, NULL, 10));
  due = g_date_time_format (due_dt, "%Y-%m-%d");
  /* The time-ordered id makes a unique, readable registration number. */
  number = g_strdup_printf ("О-%.4s%.2s%.2s-%.8s", now, now + 5, now + 8, id + 28);
  put (c, v, "id", id);
  put (c, v, "number", number);
  put (c, v, "account_id", account);
  put (c, v, "kind", kind);
  put (c, v, "channel", "in_person");
  put (c, v, "answer_channel", answer ? answer : "in_person");
  put (c, v, "subject", subject);
  put (c, v, "body", body);
  put (c, v, "status", "registered");
  put (c, v, "registered_at", now);
  put (c, v, "due_on", due);
  put (c, v, "updated_at", now);
  put_int (c, v, "version", 0);
  return create_and_print (store, c, v);
}

static int
cmd_appeal_set (int argc, char **argv)
{
  g_autofree char *appeal = NULL;
  GOptionEntry entries[] = {
    { "appeal", 0, 0, G_OPTION_ARG_STRING, &appeal, N_ ("Appeal identifier"), "ID" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("appeal-set FIELD=VALUE…");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  for (int i = 1; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');

      if (eq == NULL)
        continue;
      g_ptr_array_add (fields, g_strndup (argv[i], eq - argv[i]));
      g_ptr_array_add (values, *(eq + 1) ? g_strdup (eq + 1) : NULL);
    }
  if (appeal == NULL || fields->len == 0)
    {
      g_printerr ("okno-cli: %s\n", _ ("appeal-set needs --appeal and FIELD=VALUE"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL
      || !okno_store_patch (store, okno_collection_lookup ("appeals"), appeal, fields->len,
                            (const char *const *)fields->pdata, (const char *const *)values->pdata,
                            &error))
    return fail (error);
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
  if (g_str_equal (cmd, "sync"))
    return cmd_sync (argc - 1, argv + 1);
  if (g_str_equal (cmd, "reading"))
    return cmd_reading (argc - 1, argv + 1);
  if (g_str_equal (cmd, "payment"))
    return cmd_payment (argc - 1, argv + 1);
  if (g_str_equal (cmd, "appeal"))
    return cmd_appeal (argc - 1, argv + 1);
  if (g_str_equal (cmd, "appeal-set"))
    return cmd_appeal_set (argc - 1, argv + 1);
  g_printerr ("%s\n", _ ("Usage: okno-cli [--replica PATH] "
                         "download|status|search|sync|reading|payment|appeal|appeal-set …"));
  return 2;
}
