/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The session's tokens in the keyring: see okno-credentials.h. */

#include "okno-credentials.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define KIND_ACCESS  "access"
#define KIND_REFRESH "refresh"

const SecretSchema *
okno_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    OKNO_CREDENTIALS_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "token", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

const SecretSchema *
okno_credentials_get_cli_schema (void)
{
  static const SecretSchema schema = {
    OKNO_CREDENTIALS_CLI_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "token", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "device", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

void
okno_credentials_free_token (char *token)
{
  /* secret_password_free wipes the memory before it frees it. */
  secret_password_free (token);
}

/* --- one request ---------------------------------------------------------- */

typedef struct
{
  const SecretSchema *schema;
  char *server_url;
  char *login;
  char *device_id; /* okno-cli's items only */
  char *access_token;
  char *refresh_token;
} Request;

static void
request_clear (Request *r)
{
  g_free (r->server_url);
  g_free (r->login);
  g_free (r->device_id);
  okno_credentials_free_token (r->access_token);
  okno_credentials_free_token (r->refresh_token);
}

static void
request_free (gpointer data)
{
  request_clear (data);
  g_free (data);
}

static GTask *
new_task (gpointer source_tag, const char *server_url, const char *login, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Request *r = g_new0 (Request, 1);

  r->schema = okno_credentials_get_schema ();
  r->server_url = g_strdup (server_url);
  r->login = g_strdup (login);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, r, request_free);
  return task;
}

static GHashTable *
attributes (const Request *r, const char *kind)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (table, (gpointer) "server", r->server_url);
  g_hash_table_insert (table, (gpointer) "login", r->login);
  if (r->device_id != NULL)
    g_hash_table_insert (table, (gpointer) "device", r->device_id);
  if (kind != NULL)
    g_hash_table_insert (table, (gpointer) "token", (gpointer)kind);
  return table;
}

/* Adds what the keyring said to a sentence the app can show as it is. */
static void
explain_keyring_error (GError **error)
{
  GError *cause = *error;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  *error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                        _ ("The keyring of this computer did not answer: %s"), cause->message);
  g_error_free (cause);
}

static void
return_keyring_error (GTask *task, GError *cause)
{
  explain_keyring_error (&cause);
  g_task_return_error (task, cause);
}

static gboolean
store_one (const Request *r, const char *kind, const char *token, GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GHashTable) attrs = attributes (r, kind);
  g_autofree char *label = NULL;

  if (token == NULL)
    {
      GError *local = NULL;

      /* FALSE without an error only says there was nothing to remove. */
      secret_password_clearv_sync (r->schema, attrs, cancellable, &local);
      if (local == NULL)
        return TRUE;
      g_propagate_error (error, local);
      return FALSE;
    }
  /* Translators: the name of a keyring item; the first %s is a login, the
   * second the server's address. */
  label = g_strdup_printf (_ ("Okno session of %s at %s"), r->login, r->server_url);
  return secret_password_storev_sync (r->schema, attrs, SECRET_COLLECTION_DEFAULT, label, token,
                                      cancellable, error);
}

static gboolean
store_both (const Request *r, GCancellable *cancellable, GError **error)
{
  return store_one (r, KIND_ACCESS, r->access_token, cancellable, error)
         && store_one (r, KIND_REFRESH, r->refresh_token, cancellable, error);
}

static void
store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (!store_both (task_data, cancellable, &error))
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
okno_credentials_store_async (const char *server_url, const char *login, const char *access_token,
                              const char *refresh_token, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Request *r;

  g_return_if_fail (server_url != NULL && login != NULL && access_token != NULL);

  task
    = new_task (okno_credentials_store_async, server_url, login, cancellable, callback, user_data);
  r = g_task_get_task_data (task);
  r->access_token = g_strdup (access_token);
  r->refresh_token = g_strdup (refresh_token);
  g_task_run_in_thread (task, store_thread);
}

gboolean
okno_credentials_store_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- lookup --------------------------------------------------------------- */

static char *
lookup_one (const Request *r, const char *kind, GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attrs = attributes (r, kind);

  return secret_password_lookupv_sync (r->schema, attrs, cancellable, error);
}

/* Fills r's tokens; FALSE with error set when the keyring failed. */
static gboolean
lookup_both (Request *r, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;

  r->access_token = lookup_one (r, KIND_ACCESS, cancellable, &local);
  if (local == NULL)
    r->refresh_token = lookup_one (r, KIND_REFRESH, cancellable, &local);
  if (local == NULL)
    return TRUE;
  g_propagate_error (error, local);
  return FALSE;
}

static void
lookup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  GError *error = NULL;

  if (!lookup_both (r, cancellable, &error))
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, r->access_token != NULL || r->refresh_token != NULL);
}

void
okno_credentials_lookup_async (const char *server_url, const char *login, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (server_url != NULL && login != NULL);

  task
    = new_task (okno_credentials_lookup_async, server_url, login, cancellable, callback, user_data);
  g_task_run_in_thread (task, lookup_thread);
}

gboolean
okno_credentials_lookup_finish (GAsyncResult *result, char **access_token, char **refresh_token,
                                GError **error)
{
  Request *r;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  r = g_task_get_task_data (G_TASK (result));
  if (access_token != NULL)
    *access_token = g_steal_pointer (&r->access_token);
  if (refresh_token != NULL)
    *refresh_token = g_steal_pointer (&r->refresh_token);
  return TRUE;
}

/* --- clear ---------------------------------------------------------------- */

static gboolean
clear_both (const Request *r, GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attrs = attributes (r, NULL);
  GError *local = NULL;

  /* Without the "token" attribute this matches both items of the pair. */
  secret_password_clearv_sync (r->schema, attrs, cancellable, &local);
  if (local == NULL)
    return TRUE;
  g_propagate_error (error, local);
  return FALSE;
}

static void
clear_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (!clear_both (task_data, cancellable, &error))
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
okno_credentials_clear_async (const char *server_url, const char *login, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (server_url != NULL && login != NULL);

  task
    = new_task (okno_credentials_clear_async, server_url, login, cancellable, callback, user_data);
  g_task_run_in_thread (task, clear_thread);
}

gboolean
okno_credentials_clear_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- okno-cli's session, blocking ------------------------------------------ */

static void
cli_request_init (Request *r, const char *server_url, const char *login, const char *device_id)
{
  r->schema = okno_credentials_get_cli_schema ();
  r->server_url = g_strdup (server_url);
  r->login = g_strdup (login);
  r->device_id = g_strdup (device_id);
}

gboolean
okno_credentials_cli_store (const char *server_url, const char *login, const char *device_id,
                            const char *access_token, const char *refresh_token,
                            GCancellable *cancellable, GError **error)
{
  Request r = { NULL };
  gboolean ok;

  g_return_val_if_fail (server_url != NULL && login != NULL && device_id != NULL, FALSE);
  g_return_val_if_fail (access_token != NULL, FALSE);

  cli_request_init (&r, server_url, login, device_id);
  r.access_token = g_strdup (access_token);
  r.refresh_token = g_strdup (refresh_token);
  ok = store_both (&r, cancellable, error);
  if (!ok)
    explain_keyring_error (error);
  request_clear (&r);
  return ok;
}

gboolean
okno_credentials_cli_lookup (const char *server_url, const char *login, const char *device_id,
                             char **access_token, char **refresh_token, GCancellable *cancellable,
                             GError **error)
{
  Request r = { NULL };
  gboolean found = FALSE;

  g_return_val_if_fail (server_url != NULL && login != NULL && device_id != NULL, FALSE);

  cli_request_init (&r, server_url, login, device_id);
  if (lookup_both (&r, cancellable, error))
    found = r.access_token != NULL || r.refresh_token != NULL;
  else
    explain_keyring_error (error);
  if (found && access_token != NULL)
    *access_token = g_steal_pointer (&r.access_token);
  if (found && refresh_token != NULL)
    *refresh_token = g_steal_pointer (&r.refresh_token);
  request_clear (&r);
  return found;
}

gboolean
okno_credentials_cli_clear (const char *server_url, const char *login, const char *device_id,
                            GCancellable *cancellable, GError **error)
{
  Request r = { NULL };
  gboolean ok;

  g_return_val_if_fail (server_url != NULL && login != NULL && device_id != NULL, FALSE);

  cli_request_init (&r, server_url, login, device_id);
  ok = clear_both (&r, cancellable, error);
  if (!ok)
    explain_keyring_error (error);
  request_clear (&r);
  return ok;
}

void
okno_credentials_shutdown (void)
{
  secret_service_disconnect ();
}
