/* SPDX-License-Identifier: GPL-3.0-or-later */

/* OknoSession: the client's tokens in the keyring, and signing out. */

#include "okno-session-private.h"

#include <glib/gi18n-lib.h>

#include "okno-credentials.h"

static void
tokens_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* The message says what the keyring did; it never holds a token. */
  if (!okno_credentials_store_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The session could not be kept in the keyring: %s", error->message);
}

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

/* The client's tokens' checksum, NULL when it has none. */
char *
_okno_session_tokens_checksum (OknoClient *client)
{
  char *access_token = NULL;
  char *refresh_token = NULL;
  char *checksum;

  okno_client_get_tokens (client, &access_token, &refresh_token);
  checksum = access_token != NULL ? tokens_checksum (access_token, refresh_token) : NULL;
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  return checksum;
}

/* okno-cli has no main loop: it waits for the keyring, and the checksum
 * changes only once the keyring has the new pair. */
static void
store_cli_tokens (OknoSession *self, const char *access_token, const char *refresh_token,
                  char **checksum)
{
  g_autoptr (GError) error = NULL;

  if (okno_credentials_cli_store (self->server_url, self->login, self->device_id, access_token,
                                  refresh_token, NULL, &error))
    {
      g_free (self->kept_tokens);
      self->kept_tokens = g_steal_pointer (checksum);
    }
  else
    g_printerr ("okno-cli: %s: %s\n", _ ("The renewed session could not be kept"), error->message);
}

/* A refresh rotates the tokens, and the server revokes the refresh token it
 * used: the new pair must reach the keyring or the session is lost. Puts
 * them there unless the keyring has them already. */
void
_okno_session_keep_tokens (OknoSession *self)
{
  char *access_token = NULL;
  char *refresh_token = NULL;
  g_autofree char *checksum = NULL;

  if (self->client == NULL || self->login == NULL || !self->keeping)
    return;
  okno_client_get_tokens (self->client, &access_token, &refresh_token);
  checksum = access_token ? tokens_checksum (access_token, refresh_token) : NULL;
  if (access_token != NULL && g_strcmp0 (checksum, self->kept_tokens) != 0)
    {
      if (self->keyring == OKNO_SESSION_KEYRING_CLI)
        store_cli_tokens (self, access_token, refresh_token, &checksum);
      else
        {
          okno_credentials_store_async (okno_client_get_base_url (self->client), self->login,
                                        access_token, refresh_token, self->cancellable,
                                        tokens_stored_cb, NULL);
          g_free (self->kept_tokens);
          self->kept_tokens = g_steal_pointer (&checksum);
        }
    }
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
}

void
okno_session_keep_tokens (OknoSession *self)
{
  g_return_if_fail (OKNO_IS_SESSION (self));
  if (self->signed_in)
    _okno_session_keep_tokens (self);
}

static gboolean
keep_tokens_cb (gpointer data)
{
  _okno_session_keep_tokens (OKNO_SESSION (data));
  return G_SOURCE_REMOVE;
}

/* A refresh may happen in a sync's worker thread: the app's keyring is
 * written from the main loop. okno-cli has none; it keeps them at once,
 * not when the command ends, so that a command killed after a refresh
 * keeps its session. */
void
_okno_session_tokens_changed_cb (OknoSession *self)
{
  if (self->keyring == OKNO_SESSION_KEYRING_CLI)
    _okno_session_keep_tokens (self);
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, keep_tokens_cb, g_object_ref (self), g_object_unref);
}

/* --- offline: the tokens of the last online sign-in --------------------------- */

typedef struct
{
  OknoSession *self;
  OknoClient *client;
} Restore;

static void
tokens_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Restore *restore = user_data;
  g_autoptr (GError) error = NULL;
  char *access_token = NULL;
  char *refresh_token = NULL;

  if (okno_credentials_lookup_finish (result, &access_token, &refresh_token, &error)
      && restore->self->client == restore->client)
    {
      okno_client_set_tokens (restore->client, access_token, refresh_token);
      g_free (restore->self->kept_tokens);
      restore->self->kept_tokens = tokens_checksum (access_token, refresh_token);
      /* The client may sync now: whoever waits for that is told. */
      _okno_session_update_has_tokens (restore->self);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The session could not be read from the keyring: %s", error->message);
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  g_object_unref (restore->self);
  g_object_unref (restore->client);
  g_free (restore);
}

/* Offline: the tokens of the last online sign-in, for when the server is
 * back, so that queued work can go without asking for the password again. */
void
_okno_session_restore_tokens (OknoSession *self)
{
  Restore *restore = g_new0 (Restore, 1);

  restore->self = g_object_ref (self);
  restore->client = g_object_ref (self->client);
  okno_credentials_lookup_async (okno_client_get_base_url (self->client), self->login,
                                 self->cancellable, tokens_found_cb, restore);
}

/* --- signing out ------------------------------------------------------------------ */

static void
tokens_cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GApplication *application = user_data;
  g_autoptr (GError) error = NULL;

  if (!okno_credentials_clear_finish (result, &error))
    g_warning ("The session could not be removed from the keyring: %s", error->message);
  if (application != NULL)
    {
      g_application_release (application);
      g_object_unref (application);
    }
}

/* The tokens must go even if the app quits right after signing out: the
 * request is not cancellable and holds the application until it is done. */
static void
clear_tokens (OknoSession *self)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL)
    {
      g_object_ref (application);
      g_application_hold (application);
    }
  okno_credentials_clear_async (self->server_url, self->login, NULL, tokens_cleared_cb,
                                application);
}

static void
server_signed_out_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GApplication *application = user_data;
  g_autoptr (GError) error = NULL;

  /* Offline, the tokens simply expire on the server; nothing to tell. */
  if (!okno_client_sign_out_finish (OKNO_CLIENT (source), result, &error))
    g_debug ("The server was not told of the sign-out: %s", error->message);
  if (application != NULL)
    {
      g_application_release (application);
      g_object_unref (application);
    }
}

/* Like the keyring, the server hears of the sign-out even when the app
 * quits right after it. */
static void
end_server_session (OknoSession *self)
{
  GApplication *application = g_application_get_default ();

  if (self->client == NULL || !okno_client_is_signed_in (self->client))
    return;
  if (application != NULL)
    {
      g_object_ref (application);
      g_application_hold (application);
    }
  okno_client_sign_out_async (self->client, NULL, server_signed_out_cb, application);
}

void
okno_session_sign_out (OknoSession *self)
{
  g_return_if_fail (OKNO_IS_SESSION (self));
  /* okno-cli ends its stored session with okno_session_forget_sync. */
  g_return_if_fail (self->keyring == OKNO_SESSION_KEYRING_APP);

  if (!self->signed_in)
    return;
  end_server_session (self);
  if (self->server_url != NULL && self->login != NULL)
    clear_tokens (self);
  _okno_session_set_signed_in (self, NULL, NULL, NULL, FALSE, FALSE);
}
