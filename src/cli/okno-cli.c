/* okno-cli: the headless companion of Okno, on the same libraries.
 *
 *   okno-cli [--replica PATH] sign-in --server URL --login LOGIN
 *   okno-cli [--replica PATH] sign-out
 *   okno-cli [--replica PATH] download [--server URL --login LOGIN]
 *   okno-cli [--replica PATH] sync [--server URL --login LOGIN]
 *   okno-cli [--replica PATH] status
 *   okno-cli [--replica PATH] search [--limit N] QUERY...
 *   okno-cli [--replica PATH] reading --meter ID --t1 N [--t2 N] [--t3 N] [--date DAY]
 *   okno-cli [--replica PATH] payment --account ID --amount SUM [--method METHOD]
 *   okno-cli [--replica PATH] appeal --account ID --kind KIND --subject TEXT --body TEXT
 *   okno-cli [--replica PATH] appeal-set --appeal ID FIELD=VALUE...
 *
 * The record commands write exactly what the counter writes, through the
 * same store functions: the record and its outbox entry in one transaction.
 *
 * sign-in keeps the session's tokens in the keyring (okno-credentials.h,
 * okno-cli's own schema: see there why it does not share the app's pair)
 * and who signed in in the replica's meta; sync and download then work
 * without a password, and a refresh's rotated tokens go back to the
 * keyring. Without a stored session they sign in with the password from
 * $OKNO_PASSWORD or, when standard input is not a terminal, from its first
 * line, as before. The password is never taken from the command line, and
 * the tokens are never written anywhere but the keyring. */

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "okno-core.h"
#include "okno-credentials.h"
#include "okno-password-verifier.h"
#include "okno-sync.h"

/* Replica meta keys shared with the app (src/app/okno-session.c). */
#define META_SERVER_URL      "server_url"
#define META_DEVICE_ID       "device_id"
#define META_STAFF_ID        "staff_id"
#define META_STAFF_LOGIN     "staff_login"
#define META_STAFF_NAME      "staff_name"
#define META_STAFF_ROLE      "staff_role"
#define META_STAFF_BRANCH_ID "staff_branch_id"
#define META_VERIFIER        "verifier"
/* okno-cli's stored session: where and as whom. The tokens are in the
 * keyring under these and the device id; never here. */
#define META_CLI_SERVER "cli_server_url"
#define META_CLI_LOGIN  "cli_login"

#define CLI_ERROR (cli_error_quark ())
GQuark cli_error_quark (void);
enum
{
  CLI_ERROR_NO_SESSION,
  CLI_ERROR_USAGE,
};
/* clang-format off */
G_DEFINE_QUARK (okno-cli-error-quark, cli_error)
/* clang-format on */

static char *opt_replica = NULL;

static int
fail (GError *error)
{
  g_printerr ("okno-cli: %s\n", error->message);
  return 1;
}

/* A password in memory: wiped before it is freed. */
typedef char Secret;

static void
secret_free (Secret *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Secret, secret_free)

/* One line of standard input; on a terminal without echo, after prompt. */
static Secret *
read_line (const char *prompt)
{
  char line[512];
  struct termios saved, quiet;
  gboolean hidden = FALSE;
  char *got;

  if (prompt != NULL && isatty (STDIN_FILENO))
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t)ECHO;
          hidden = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  got = fgets (line, sizeof line, stdin);
  if (hidden)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (got == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  got = g_strdup (line);
  explicit_bzero (line, sizeof line);
  return got;
}

/* $OKNO_PASSWORD, else a line of standard input. A terminal is asked
 * (without echo) only when prompt is given: the other commands tell the
 * person at it to sign in instead of waiting for a line. */
static Secret *
read_password (const char *prompt)
{
  const char *env = g_getenv ("OKNO_PASSWORD");

  if (env != NULL)
    return g_strdup (env);
  if (prompt == NULL && isatty (STDIN_FILENO))
    return NULL;
  return read_line (prompt);
}

static OknoStore *
open_store (GError **error)
{
  g_autofree char *path = opt_replica ? g_strdup (opt_replica) : okno_store_default_path ();

  return okno_store_open (path, error);
}

static char *
ensure_device_id (OknoStore *store, GError **error)
{
  GError *local = NULL;
  g_autofree char *id = okno_store_get_meta (store, META_DEVICE_ID, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (id != NULL)
    return g_steal_pointer (&id);
  id = g_uuid_string_random ();
  if (!okno_store_set_meta (store, META_DEVICE_ID, id, error))
    return NULL;
  return g_steal_pointer (&id);
}

static void
print_progress (gint64 done, gint64 total, gpointer data)
{
  gint64 *start = data;
  double secs = (g_get_monotonic_time () - *start) / 1e6;

  g_printerr ("\r%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " rows, %.0f rows/s   ", done, total,
              secs > 0 ? done / secs : 0.0);
}

/* "key" alone, or "key:login" for what is kept per login. */
static gboolean
set_meta_for (OknoStore *store, const char *key, const char *login, const char *value,
              GError **error)
{
  g_autofree char *full_key = login != NULL ? g_strconcat (key, ":", login, NULL) : g_strdup (key);

  return okno_store_set_meta (store, full_key, value, error);
}

static char *
get_meta_for (OknoStore *store, const char *key, const char *login)
{
  g_autofree char *full_key = g_strconcat (key, ":", login, NULL);

  return okno_store_get_meta (store, full_key, NULL);
}

static gboolean
set_staff_meta (OknoStore *store, const char *login, const OknoStaff *staff, GError **error)
{
  return set_meta_for (store, META_STAFF_ID, login, staff->id, error)
         && set_meta_for (store, META_STAFF_LOGIN, login, staff->login, error)
         && set_meta_for (store, META_STAFF_NAME, login, staff->full_name, error)
         && set_meta_for (store, META_STAFF_ROLE, login, staff->role, error)
         && set_meta_for (store, META_STAFF_BRANCH_ID, login, staff->branch_id, error);
}

/* As the app does after an online sign-in: who is at this replica now, and
 * the same under the login for the app's offline sign-in. */
static gboolean
remember_staff (OknoStore *store, OknoClient *client, const OknoStaff *staff, GError **error)
{
  return okno_store_set_meta (store, META_SERVER_URL, okno_client_get_base_url (client), error)
         && set_staff_meta (store, NULL, staff, error)
         && set_staff_meta (store, staff->login, staff, error);
}

static void
no_session_error (GError **error)
{
  g_set_error_literal (error, CLI_ERROR, CLI_ERROR_NO_SESSION,
                       _ ("No session is stored for this replica and no password was given. Run "
                          "“okno-cli sign-in --server URL --login NAME” first, or give --server, "
                          "--login and the password in OKNO_PASSWORD."));
}

/* --- the session -------------------------------------------------------------- */

typedef struct
{
  OknoStore *store; /* not owned */
  OknoClient *client;
  char *server_url;
  char *login;
  char *device_id;
  gboolean stored; /* the tokens came from the keyring and go back to it */
  char *kept;      /* a checksum of the tokens the keyring holds, never the tokens */
} Session;

static void
session_free (Session *s)
{
  if (s->client != NULL)
    g_signal_handlers_disconnect_by_data (s->client, s);
  g_clear_object (&s->client);
  g_free (s->server_url);
  g_free (s->login);
  g_free (s->device_id);
  g_free (s->kept);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

/* Enough to tell whether the tokens changed, without another copy of them. */
static char *
tokens_checksum (const char *access_token, const char *refresh_token)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *)(access_token ? access_token : ""), -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)(refresh_token ? refresh_token : ""), -1);
  return g_strdup (g_checksum_get_string (checksum));
}

/* A refresh rotates the tokens, and the server revokes the refresh token it
 * used: the new pair must reach the keyring or the session is lost. */
static void
session_keep_tokens (Session *s)
{
  char *access_token = NULL, *refresh_token = NULL;
  g_autofree char *checksum = NULL;
  g_autoptr (GError) error = NULL;

  if (!s->stored)
    return;
  okno_client_get_tokens (s->client, &access_token, &refresh_token);
  if (access_token != NULL)
    checksum = tokens_checksum (access_token, refresh_token);
  if (checksum != NULL && g_strcmp0 (checksum, s->kept) != 0)
    {
      if (okno_credentials_cli_store (s->server_url, s->login, s->device_id, access_token,
                                      refresh_token, NULL, &error))
        {
          g_free (s->kept);
          s->kept = g_steal_pointer (&checksum);
        }
      else
        g_printerr ("okno-cli: %s: %s\n", _ ("The renewed session could not be kept"),
                    error->message);
    }
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
}

static Session *
session_new (OknoStore *store, const char *server_url, const char *login, GError **error)
{
  g_autoptr (Session) s = g_new0 (Session, 1);

  s->store = store;
  s->server_url = g_strdup (server_url);
  s->login = g_strdup (login);
  if ((s->device_id = ensure_device_id (store, error)) == NULL
      || (s->client = okno_client_new (server_url, error)) == NULL)
    return NULL;
  okno_client_set_device_id (s->client, s->device_id);
  /* The keyring follows each refresh at once, not when the command ends:
   * a command killed after a refresh keeps its session. */
  g_signal_connect_swapped (s->client, "tokens-changed", G_CALLBACK (session_keep_tokens), s);
  return g_steal_pointer (&s);
}

/* The tokens sign-in stored for (server, login) on this replica, if any. */
static gboolean
session_restore (Session *s, GError **error)
{
  char *access_token = NULL, *refresh_token = NULL;

  if (!okno_credentials_cli_lookup (s->server_url, s->login, s->device_id, &access_token,
                                    &refresh_token, NULL, error))
    return FALSE;
  okno_client_set_tokens (s->client, access_token, refresh_token);
  s->stored = TRUE;
  s->kept = tokens_checksum (access_token, refresh_token);
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  return TRUE;
}

/* Today's way: a sign-in with the password for this one command. */
static gboolean
session_sign_in_with_password (Session *s, GError **error)
{
  g_autoptr (Secret) password = read_password (NULL);
  g_autoptr (OknoStaff) staff = NULL;

  if (password == NULL)
    {
      no_session_error (error);
      return FALSE;
    }
  s->stored = FALSE;
  staff = okno_client_sign_in (s->client, s->login, password, NULL, error);
  return staff != NULL && remember_staff (s->store, s->client, staff, error);
}

/* The stored session for (server, login) — by default the one sign-in
 * stored — or else a sign-in with the password. */
static Session *
session_open (OknoStore *store, const char *server_opt, const char *login_opt, GError **error)
{
  g_autofree char *stored_server = okno_store_get_meta (store, META_CLI_SERVER, NULL);
  g_autofree char *stored_login = okno_store_get_meta (store, META_CLI_LOGIN, NULL);
  const char *server = server_opt ? server_opt : stored_server;
  const char *login = login_opt ? login_opt : stored_login;
  g_autoptr (Session) s = NULL;
  g_autoptr (GError) keyring_error = NULL;

  if (server == NULL || login == NULL)
    {
      no_session_error (error);
      return NULL;
    }
  if ((s = session_new (store, server, login, error)) == NULL)
    return NULL;
  /* The keyring is asked only when sign-in stored something here, so that
   * scripts with OKNO_PASSWORD work where there is no keyring at all. */
  if (g_strcmp0 (server, stored_server) == 0 && g_strcmp0 (login, stored_login) == 0
      && session_restore (s, &keyring_error))
    return g_steal_pointer (&s);
  if (keyring_error != NULL)
    {
      if (g_getenv ("OKNO_PASSWORD") == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return NULL;
        }
      g_printerr ("okno-cli: %s\n", keyring_error->message);
    }
  if (!session_sign_in_with_password (s, error))
    return NULL;
  return g_steal_pointer (&s);
}

typedef gboolean (*SessionWork) (Session *s, gpointer data, GError **error);

/* work with the session; when the stored one has ended on the server, the
 * password (if one is given) signs in again and work runs once more. */
static gboolean
session_run (Session *s, SessionWork work, gpointer data, GError **error)
{
  GError *local = NULL;
  gboolean ok = work (s, data, &local);
  g_autofree char *cause = NULL;

  session_keep_tokens (s);
  if (ok || !s->stored || !g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      return ok;
    }
  cause = g_strdup (local->message);
  g_clear_error (&local);
  /* A terminal is not asked: its user is told to sign in again. */
  if ((g_getenv ("OKNO_PASSWORD") != NULL || !isatty (STDIN_FILENO))
      && session_sign_in_with_password (s, &local))
    {
      g_printerr ("okno-cli: %s\n", _ ("The stored session has ended; this command signs in "
                                       "with the password given instead."));
      return work (s, data, error);
    }
  if (local != NULL && !g_error_matches (local, CLI_ERROR, CLI_ERROR_NO_SESSION))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  g_set_error (error, CLI_ERROR, CLI_ERROR_NO_SESSION,
               _ ("The stored session of “%s” has ended (%s). Run “okno-cli sign-in” again."),
               s->login, cause);
  return FALSE;
}

/* --- download, status, search ---------------------------------------------------- */

/* The --help summary of the commands that talk to the server. */
/* The options of the commands that talk to the server (download, sync):
 * --server and --login, both or neither; then the replica and the session.
 * 0, or the status the command ends with. */
static int
open_session_from_options (const char *command, int argc, char **argv, OknoStore **store,
                           Session **session)
{
  g_autofree char *server = NULL, *login = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Server address"), "URL" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_ ("Staff login"), "LOGIN" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (
    ctx, _ ("Uses the session “okno-cli sign-in” stored. Without one, --server and --login are "
            "needed and the password is read from OKNO_PASSWORD or, when it is not a terminal, "
            "standard input."));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if ((server == NULL) != (login == NULL))
    {
      /* Translators: %s is the command, "sync" or "download". */
      g_autofree char *message
        = g_strdup_printf (_ ("%s needs both --server and --login, or neither"), command);

      g_printerr ("okno-cli: %s\n", message);
      return 2;
    }
  if ((*store = open_store (&error)) == NULL
      || (*session = session_open (*store, server, login, &error)) == NULL)
    return fail (error);
  return 0;
}

static gboolean
download_work (Session *s, gpointer data, GError **error)
{
  return okno_client_download (s->client, s->store, print_progress, data, NULL, error);
}

static int
cmd_download (int argc, char **argv)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (Session) session = NULL; /* freed before the store it uses */
  g_autoptr (GError) error = NULL;
  gint64 start, rows;
  double secs;
  guint n_collections;
  const OknoCollection *const *collections = okno_collection_all (&n_collections);
  int status = open_session_from_options ("download", argc, argv, &store, &session);

  if (status != 0)
    return status;
  start = g_get_monotonic_time ();
  if (!session_run (session, download_work, &start, &error))
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
  g_autofree char *text = okno_store_get_meta (store, "clock_skew", NULL);
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
  g_autofree char *server = okno_store_get_meta (store, META_CLI_SERVER, NULL);
  g_autofree char *login = okno_store_get_meta (store, META_CLI_LOGIN, NULL);
  g_autofree char *device = okno_store_get_meta (store, META_DEVICE_ID, NULL);
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
  json_builder_end_object (b);
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
      add_nullable_string (b, meta[i], v);
    }
  add_session (b, store);
  add_clock (b, store);
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
  g_autoptr (GOptionContext) ctx = g_option_context_new ("QUERY…");
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

/* --- sync ---------------------------------------------------------------------- */

static gboolean
sync_work (Session *s, gpointer data, GError **error)
{
  return okno_client_sync (s->client, s->store, data, NULL, error);
}

static int
cmd_sync (int argc, char **argv)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (Session) session = NULL; /* freed before the store it uses */
  g_autoptr (GError) error = NULL;
  OknoSyncReport r = { 0 };
  int status = open_session_from_options ("sync", argc, argv, &store, &session);

  if (status != 0)
    return status;
  if (!session_run (session, sync_work, &r, &error))
    return fail (error);
  g_print ("{\"pushed\": %u, \"pulled\": %u, \"pending\": %" G_GINT64_FORMAT
           ", \"quarantined\": %" G_GINT64_FORMAT ", \"conflicts\": %" G_GINT64_FORMAT "}\n",
           r.pushed, r.pulled, r.pending, r.quarantined, r.conflicts);
  return 0;
}

/* --- sign-in and sign-out -------------------------------------------------------- */

/* Ends the session sign-in stored here, on the server (best effort: offline,
 * its tokens simply expire there) and in the keyring. */
static gboolean
end_stored_session (OknoStore *store, gboolean *told_server, GError **error)
{
  g_autofree char *server = okno_store_get_meta (store, META_CLI_SERVER, NULL);
  g_autofree char *login = okno_store_get_meta (store, META_CLI_LOGIN, NULL);
  g_autoptr (Session) s = NULL;
  g_autoptr (GError) local = NULL;

  *told_server = FALSE;
  if (server == NULL || login == NULL)
    return TRUE;
  if ((s = session_new (store, server, login, error)) == NULL)
    return FALSE;
  if (!session_restore (s, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  else if (okno_client_sign_out (s->client, NULL, &local))
    *told_server = TRUE;
  else
    g_printerr ("okno-cli: %s (%s)\n",
                _ ("The server was not told of the sign-out; the session there ends when its "
                   "tokens expire"),
                local->message);
  return okno_credentials_cli_clear (server, login, s->device_id, NULL, error)
         && okno_store_set_meta (store, META_CLI_SERVER, NULL, error)
         && okno_store_set_meta (store, META_CLI_LOGIN, NULL, error);
}

/* The yescrypt verifier the app's offline sign-in checks. */
static void
keep_verifier (OknoStore *store, const char *login, const char *password)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *verifier = okno_password_verifier_new (password, &error);

  if (verifier == NULL || !set_meta_for (store, META_VERIFIER, login, verifier, &error))
    g_printerr ("okno-cli: %s: %s\n", _ ("Offline sign-in will not work for this login"),
                error->message);
}

static int
cmd_sign_in (int argc, char **argv)
{
  g_autofree char *server = NULL, *login = NULL, *prompt = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Server address"), "URL" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_ ("Staff login"), "LOGIN" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (Session) s = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  g_autoptr (Secret) password = NULL;
  char *access_token = NULL, *refresh_token = NULL;
  gboolean told_server, kept;

  g_option_context_set_summary (
    ctx, _ ("Signs in on the server and keeps the session in the keyring, so that sync and "
            "download need no password. The password is read from OKNO_PASSWORD or standard "
            "input, never from the command line."));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if (server == NULL || login == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("sign-in needs --server and --login"));
      return 2;
    }
  if ((store = open_store (&error)) == NULL
      || (s = session_new (store, server, login, &error)) == NULL)
    return fail (error);
  /* Translators: a prompt on the terminal; the first %s is a login, the
   * second the server's address. */
  prompt = g_strdup_printf (_ ("Password of %s at %s: "), login, server);
  if ((password = read_password (prompt)) == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("No password given"));
      return 2;
    }
  staff = okno_client_sign_in (s->client, login, password, NULL, &error);
  if (staff == NULL)
    {
      if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
        g_printerr ("okno-cli: %s\n",
                    _ ("The server did not accept this login and password. Check the keyboard "
                       "layout and Caps Lock; the stored session, if any, is unchanged."));
      else
        g_printerr ("okno-cli: %s\n", error->message);
      return 1;
    }
  /* One stored session per replica: the one it replaces ends. */
  if (!end_stored_session (store, &told_server, &error))
    {
      okno_client_sign_out (s->client, NULL, NULL);
      return fail (error);
    }
  okno_client_get_tokens (s->client, &access_token, &refresh_token);
  kept = okno_credentials_cli_store (server, login, s->device_id, access_token, refresh_token, NULL,
                                     &error);
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  if (!kept)
    {
      /* A session nobody keeps must not stay open on the server. */
      okno_client_sign_out (s->client, NULL, NULL);
      return fail (error);
    }
  if (!remember_staff (store, s->client, staff, &error)
      || !okno_store_set_meta (store, META_CLI_SERVER, server, &error)
      || !okno_store_set_meta (store, META_CLI_LOGIN, login, &error))
    return fail (error);
  keep_verifier (store, login, password);
  /* Translators: the first %s is a full name, the second a login, the
   * third the server's address. */
  g_print (_ ("Signed in as %s (%s) at %s; the session is kept in the keyring.\n"),
           staff->full_name, staff->login, server);
  return 0;
}

static int
cmd_sign_out (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree char *login = NULL;
  g_autofree char *waiting = NULL;
  gboolean told_server;

  g_option_context_set_summary (ctx, _ ("Ends the stored session on the server and removes it "
                                        "from the keyring. Changes not yet sent stay in the "
                                        "outbox."));
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return fail (error);
  if ((store = open_store (&error)) == NULL)
    return fail (error);
  login = okno_store_get_meta (store, META_CLI_LOGIN, NULL);
  if (login == NULL)
    {
      g_print ("%s\n", _ ("No session is stored for this replica."));
      return 0;
    }
  if (!end_stored_session (store, &told_server, &error))
    return fail (error);
  /* Format macros cannot stand inside a translatable string. */
  waiting = g_strdup_printf ("%" G_GINT64_FORMAT, okno_store_outbox_count (store, NULL, NULL));
  g_print (_ ("%s signed out. Changes waiting in the outbox: %s.\n"), login, waiting);
  return 0;
}

/* Who writes a record: the person sign-in stored here, else whoever last
 * signed in online on this replica (the way it has always been). */
static char *
author (OknoStore *store, GError **error)
{
  g_autofree char *login = okno_store_get_meta (store, META_CLI_LOGIN, NULL);
  char *staff = login ? get_meta_for (store, META_STAFF_ID, login) : NULL;

  if (staff == NULL)
    staff = okno_store_get_meta (store, META_STAFF_ID, NULL);
  if (staff == NULL)
    no_session_error (error);
  return staff;
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
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
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
  if ((store = open_store (&error)) == NULL || (staff = author (store, &error)) == NULL)
    return fail (error);
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
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
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
  if (!okno_money_parse (amount, &kop, &error) || (store = open_store (&error)) == NULL
      || (staff = author (store, &error)) == NULL)
    return fail (error);
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
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = blank_row (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *number = NULL, *due = NULL;
  g_autofree char *days = NULL, *staff = NULL;
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
  /* An appeal names no staff member, but only someone signed in registers one. */
  if ((store = open_store (&error)) == NULL || (staff = author (store, &error)) == NULL)
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
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FIELD=VALUE…");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *staff = NULL;

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
  if ((store = open_store (&error)) == NULL || (staff = author (store, &error)) == NULL
      || !okno_store_patch (store, okno_collection_lookup ("appeals"), appeal, fields->len,
                            (const char *const *)fields->pdata, (const char *const *)values->pdata,
                            &error))
    return fail (error);
  return 0;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "sign-in", cmd_sign_in },       { "sign-out", cmd_sign_out }, { "download", cmd_download },
  { "status", cmd_status },         { "search", cmd_search },     { "sync", cmd_sync },
  { "reading", cmd_reading },       { "payment", cmd_payment },   { "appeal", cmd_appeal },
  { "appeal-set", cmd_appeal_set },
};

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
  /* --help then says "Usage: okno-cli sync [OPTION…]". */
  if (*cmd)
    {
      g_autofree char *name = g_strconcat ("okno-cli ", cmd, NULL);
      g_set_prgname (name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (cmd, commands[i].name))
      {
        int status = commands[i].run (argc - 1, argv + 1);

        /* Messages the keyring daemon may still be sending are dropped
         * with the connection, not left in flight at exit. */
        okno_credentials_shutdown ();
        return status;
      }
  g_printerr ("%s\n", _ ("Usage: okno-cli [--replica PATH] COMMAND [OPTION…]\n"
                         "\n"
                         "Commands:\n"
                         "  sign-in      sign in and keep the session in the keyring\n"
                         "  sign-out     end the stored session; the outbox is kept\n"
                         "  download     the first download of the replica\n"
                         "  sync         send the outbox, then fetch the changes\n"
                         "  status       the replica and the session, as JSON\n"
                         "  search       find accounts in the replica\n"
                         "  reading      record a meter reading\n"
                         "  payment      record a payment\n"
                         "  appeal       register an appeal\n"
                         "  appeal-set   change fields of an appeal\n"
                         "\n"
                         "“okno-cli COMMAND --help” describes a command's options. sync and "
                         "download use the session sign-in stored; without one they need --server, "
                         "--login and the password in OKNO_PASSWORD or on standard input."));
  return 2;
}
