/* SPDX-License-Identifier: GPL-3.0-or-later */

/* OknoSession for okno-cli: the same steps as the app's, with the calling
 * thread waiting for each. okno-cli has no main loop, and no UI to keep
 * answering. Its tokens go to its own keyring items (okno-credentials.h
 * says why), bound to the replica's device id. */

#include "okno-session-private.h"

#include "okno-credentials.h"
#include "okno-meta-keys.h"
#include "okno-password-verifier.h"

OknoSession *
okno_session_new_for_cli (OknoStore *store)
{
  g_return_val_if_fail (OKNO_IS_STORE (store), NULL);

  return g_initable_new (OKNO_TYPE_SESSION, NULL, NULL, "store", store, "keyring",
                         OKNO_SESSION_KEYRING_CLI, NULL);
}

/* A client of server_url with this replica's device id. */
static OknoClient *
new_client (OknoSession *self, OknoSessionStep *step, const char *server_url, GError **error)
{
  OknoClient *client;

  if (!_okno_session_run_job_sync (self, _okno_session_device_id_job, step, error))
    return NULL;
  _okno_session_set_device_id (self, step->device_id);
  if ((client = _okno_session_new_client (self, server_url, error)) == NULL)
    return NULL;
  okno_client_set_device_id (client, step->device_id);
  return client;
}

gboolean
okno_session_sign_in_sync (OknoSession *self, const char *server_url, const char *login,
                           const char *password, GError **error)
{
  g_autoptr (OknoSessionStep) step = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->keyring == OKNO_SESSION_KEYRING_CLI, FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  step = _okno_session_step_new (self, login, password);
  if ((step->client = new_client (self, step, server_url, error)) == NULL
      || (step->staff = okno_client_sign_in (step->client, login, password, NULL, error)) == NULL)
    return FALSE;
  step->server_url = g_strdup (okno_client_get_base_url (step->client));
  if (!_okno_session_run_job_sync (self, _okno_session_remember_job, step, error))
    return FALSE;
  _okno_session_apply_state (self, &step->state);
  _okno_session_set_signed_in (self, step->client, server_url, login, TRUE, FALSE);
  return TRUE;
}

gboolean
okno_session_restore_sync (OknoSession *self, const char *server_url, const char *login,
                           GError **error)
{
  g_autoptr (OknoSessionStep) step = NULL;
  g_autoptr (OknoClient) client = NULL;
  char *access_token = NULL, *refresh_token = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->keyring == OKNO_SESSION_KEYRING_CLI, FALSE);

  step = _okno_session_step_new (self, login, NULL);
  if ((client = new_client (self, step, server_url, error)) == NULL)
    return FALSE;
  /* Signed out, but with where and as whom: okno_session_forget_sync
   * removes what the keyring holds even when it holds nothing usable. */
  _okno_session_set_signed_in (self, client, server_url, login, FALSE, FALSE);
  if (!okno_credentials_cli_lookup (server_url, login, self->device_id, &access_token,
                                    &refresh_token, NULL, error))
    return FALSE;
  okno_client_set_tokens (client, access_token, refresh_token);
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  _okno_session_set_signed_in (self, client, server_url, login, TRUE, FALSE);
  self->keeping = TRUE;
  self->kept_tokens = _okno_session_tokens_checksum (client);
  return TRUE;
}

typedef struct
{
  const char *server_url;
  const char *login;
} Stored;

static gboolean
set_stored_job (OknoStore *store, gpointer data, GError **error)
{
  Stored *stored = data;

  return okno_store_set_meta (store, OKNO_META_CLI_SERVER_URL, stored->server_url, error)
         && okno_store_set_meta (store, OKNO_META_CLI_LOGIN, stored->login, error);
}

gboolean
okno_session_keep_sync (OknoSession *self, GError **error)
{
  char *access_token = NULL, *refresh_token = NULL;
  Stored stored;
  gboolean kept;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->keyring == OKNO_SESSION_KEYRING_CLI, FALSE);
  g_return_val_if_fail (self->signed_in, FALSE);

  okno_client_get_tokens (self->client, &access_token, &refresh_token);
  kept = okno_credentials_cli_store (self->server_url, self->login, self->device_id, access_token,
                                     refresh_token, NULL, error);
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
  if (!kept)
    return FALSE;
  self->keeping = TRUE;
  g_free (self->kept_tokens);
  self->kept_tokens = _okno_session_tokens_checksum (self->client);
  stored = (Stored){ self->server_url, self->login };
  return _okno_session_run_job_sync (self, set_stored_job, &stored, error);
}

gboolean
okno_session_forget_sync (OknoSession *self, GError **error)
{
  Stored stored = { NULL, NULL };

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->keyring == OKNO_SESSION_KEYRING_CLI, FALSE);
  g_return_val_if_fail (self->server_url != NULL && self->login != NULL, FALSE);

  if (!okno_credentials_cli_clear (self->server_url, self->login, self->device_id, NULL, error)
      || !_okno_session_run_job_sync (self, set_stored_job, &stored, error))
    return FALSE;
  _okno_session_set_signed_in (self, NULL, self->server_url, self->login, FALSE, FALSE);
  return TRUE;
}

gboolean
okno_session_keep_verifier_sync (OknoSession *self, const char *password, GError **error)
{
  g_autoptr (OknoSessionStep) step = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->login != NULL && password != NULL, FALSE);

  step = _okno_session_step_new (self, self->login, NULL);
  step->verifier = okno_password_verifier_new (password, error);
  return step->verifier != NULL
         && _okno_session_run_job_sync (self, _okno_session_keep_verifier_job, step, error);
}
