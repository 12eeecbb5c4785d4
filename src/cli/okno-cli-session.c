/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli sign-in, sign-out, and the session of download and sync.
 *
 * sign-in keeps the session's tokens in the keyring (okno-credentials.h,
 * okno-cli's own schema: see there why it does not share the app's pair)
 * and who signed in in the replica's meta; sync and download then work
 * without a password, and a refresh's rotated tokens go back to the
 * keyring (OknoSession does both, as for the app). Without a stored
 * session they sign in with the password from $OKNO_PASSWORD or, when
 * standard input is not a terminal, from its first line. The password is
 * never taken from the command line, and the tokens are never written
 * anywhere but the keyring. */

#include "okno-cli-session.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "okno-meta-keys.h"

/* Today's way: a sign-in with the password for this one command. */
static gboolean
sign_in_with_password (OknoSession *s, const char *server, const char *login, GError **error)
{
  g_autoptr (OknoCliSecret) password = okno_cli_read_password (NULL);

  if (password == NULL)
    {
      okno_cli_no_session_error (error);
      return FALSE;
    }
  return okno_session_sign_in_sync (s, server, login, password, error);
}

/* The stored session for (server, login) — by default the one sign-in
 * stored — or else a sign-in with the password. */
static OknoSession *
session_open (OknoStore *store, const char *server_opt, const char *login_opt, GError **error)
{
  g_autofree char *stored_server = okno_store_get_meta (store, OKNO_META_CLI_SERVER_URL, NULL);
  g_autofree char *stored_login = okno_store_get_meta (store, OKNO_META_CLI_LOGIN, NULL);
  const char *server = server_opt ? server_opt : stored_server;
  const char *login = login_opt ? login_opt : stored_login;
  g_autoptr (OknoSession) s = NULL;
  g_autoptr (GError) keyring_error = NULL;

  if (server == NULL || login == NULL)
    {
      okno_cli_no_session_error (error);
      return NULL;
    }
  s = okno_cli_new_session (store);
  /* The keyring is asked only when sign-in stored something here, so that
   * scripts with OKNO_PASSWORD work where there is no keyring at all. */
  if (g_strcmp0 (server, stored_server) == 0 && g_strcmp0 (login, stored_login) == 0
      && okno_session_restore_sync (s, server, login, &keyring_error))
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
  if (!sign_in_with_password (s, server, login, error))
    return NULL;
  return g_steal_pointer (&s);
}

/* After the stored session ended: the password, if one is given, signs in
 * for this command. A terminal is not asked: its user is told to sign in
 * again. */
static gboolean
sign_in_again (OknoSession *s, const char *cause, GError **error)
{
  g_autofree char *server = g_strdup (okno_session_get_server_url (s));
  g_autofree char *login = g_strdup (okno_session_get_login (s));
  GError *local = NULL;

  if ((g_getenv ("OKNO_PASSWORD") != NULL || !isatty (STDIN_FILENO))
      && sign_in_with_password (s, server, login, &local))
    {
      g_printerr ("okno-cli: %s\n", _ ("The stored session has ended; this command signs in "
                                       "with the password given instead."));
      return TRUE;
    }
  if (local != NULL && !g_error_matches (local, OKNO_CLI_ERROR, OKNO_CLI_ERROR_NO_SESSION))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  g_set_error (error, OKNO_CLI_ERROR, OKNO_CLI_ERROR_NO_SESSION,
               _ ("The stored session of “%s” has ended (%s). Run “okno-cli sign-in” again."),
               login, cause);
  return FALSE;
}

gboolean
okno_cli_run (OknoSession *s, OknoCliWork work, gpointer data, GError **error)
{
  GError *local = NULL;
  gboolean stored = okno_session_keeps_tokens (s);
  gboolean ok = work (s, data, &local);
  g_autofree char *cause = NULL;

  okno_session_keep_tokens (s);
  if (ok || !stored || !g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      return ok;
    }
  cause = g_strdup (local->message);
  g_clear_error (&local);
  return sign_in_again (s, cause, error) && work (s, data, error);
}

int
okno_cli_open_session (const char *command, int argc, char **argv, OknoStore **store,
                       OknoSession **session)
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
  okno_cli_add_trust_options (ctx);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if ((server == NULL) != (login == NULL))
    {
      /* Translators: %s is the command, "sync" or "download". */
      g_autofree char *message
        = g_strdup_printf (_ ("%s needs both --server and --login, or neither"), command);

      g_printerr ("okno-cli: %s\n", message);
      return 2;
    }
  if ((*store = okno_cli_open_store (&error)) == NULL
      || (*session = session_open (*store, server, login, &error)) == NULL)
    return okno_cli_fail (error);
  return 0;
}

/* --- sign-in and sign-out -------------------------------------------------------- */

/* Ends the session sign-in stored here, on the server (best effort: offline,
 * its tokens simply expire there) and in the keyring. */
static gboolean
end_stored_session (OknoStore *store, gboolean *told_server, GError **error)
{
  g_autofree char *server = okno_store_get_meta (store, OKNO_META_CLI_SERVER_URL, NULL);
  g_autofree char *login = okno_store_get_meta (store, OKNO_META_CLI_LOGIN, NULL);
  g_autoptr (OknoSession) s = NULL;
  g_autoptr (GError) local = NULL;

  *told_server = FALSE;
  if (server == NULL || login == NULL)
    return TRUE;
  s = okno_cli_new_session (store);
  if (!okno_session_restore_sync (s, server, login, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  else if (okno_client_sign_out (okno_session_get_client (s), NULL, &local))
    *told_server = TRUE;
  else
    g_printerr ("okno-cli: %s (%s)\n",
                _ ("The server was not told of the sign-out; the session there ends when its "
                   "tokens expire"),
                local->message);
  return okno_session_forget_sync (s, error);
}

/* Says why the server refused; the stored session, if any, is untouched. */
static int
sign_in_failed (GError *error)
{
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    g_printerr ("okno-cli: %s\n",
                _ ("The server did not accept this login and password. Check the keyboard "
                   "layout and Caps Lock; the stored session, if any, is unchanged."));
  else
    g_printerr ("okno-cli: %s\n", error->message);
  return 1;
}

/* One stored session per replica: the one it replaces ends, and a session
 * nobody keeps must not stay open on the server. */
static gboolean
replace_stored_session (OknoStore *store, OknoSession *s, GError **error)
{
  gboolean told_server;

  if (end_stored_session (store, &told_server, error) && okno_session_keep_sync (s, error))
    return TRUE;
  okno_client_sign_out (okno_session_get_client (s), NULL, NULL);
  return FALSE;
}

int
okno_cli_sign_in (int argc, char **argv)
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
  g_autoptr (OknoSession) s = NULL;
  g_autoptr (OknoCliSecret) password = NULL;

  g_option_context_set_summary (
    ctx, _ ("Signs in on the server and keeps the session in the keyring, so that sync and "
            "download need no password. The password is read from OKNO_PASSWORD or standard "
            "input, never from the command line."));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  okno_cli_add_trust_options (ctx);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (server == NULL || login == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("sign-in needs --server and --login"));
      return 2;
    }
  if ((store = okno_cli_open_store (&error)) == NULL)
    return okno_cli_fail (error);
  s = okno_cli_new_session (store);
  /* Translators: a prompt on the terminal; the first %s is a login, the
   * second the server's address. */
  prompt = g_strdup_printf (_ ("Password of %s at %s: "), login, server);
  if ((password = okno_cli_read_password (prompt)) == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("No password given"));
      return 2;
    }
  if (!okno_session_sign_in_sync (s, server, login, password, &error))
    return sign_in_failed (error);
  if (!replace_stored_session (store, s, &error))
    return okno_cli_fail (error);
  if (!okno_session_keep_verifier_sync (s, password, &error))
    g_printerr ("okno-cli: %s: %s\n", _ ("Offline sign-in will not work for this login"),
                error->message);
  /* Translators: the first %s is a full name, the second a login, the
   * third the server's address. */
  g_print (_ ("Signed in as %s (%s) at %s; the session is kept in the keyring.\n"),
           okno_session_get_staff_name (s), okno_session_get_staff_login (s), server);
  return 0;
}

int
okno_cli_sign_out (int argc, char **argv)
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
  okno_cli_add_trust_options (ctx);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if ((store = okno_cli_open_store (&error)) == NULL)
    return okno_cli_fail (error);
  login = okno_store_get_meta (store, OKNO_META_CLI_LOGIN, NULL);
  if (login == NULL)
    {
      g_print ("%s\n", _ ("No session is stored for this replica."));
      return 0;
    }
  if (!end_stored_session (store, &told_server, &error))
    return okno_cli_fail (error);
  /* Format macros cannot stand inside a translatable string. */
  waiting = g_strdup_printf ("%" G_GINT64_FORMAT, okno_store_outbox_count (store, NULL, NULL));
  g_print (_ ("%s signed out. Changes waiting in the outbox: %s.\n"), login, waiting);
  return 0;
}
