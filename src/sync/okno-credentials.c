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

void
okno_credentials_free_token (char *token)
{
  /* secret_password_free wipes the memory before it frees it. */
  secret_password_free (token);
}

/* --- one request, run in a worker thread ---------------------------------- */

typedef struct
{
  char *server_url;
  char *login;
  char *access_token;
  char *refresh_token;
} Request;

static void
request_free (gpointer data)
{
  Request *r = data;

  g_free (r->server_url);
  g_free (r->login);
  okno_credentials_free_token (r->access_token);
  okno_credentials_free_token (r->refresh_token);
  g_free (r);
}

static GTask *
new_task (gpointer source_tag, const char *server_url, const char *login, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Request *r = g_new0 (Request, 1);

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
  if (kind != NULL)
    g_hash_table_insert (table, (gpointer) "token", (gpointer)kind);
  return table;
}

/* Adds what the keyring said to a sentence the app can show as it is. */
static void
return_keyring_error (GTask *task, GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, cause);
      return;
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("The keyring of this computer did not answer: %s"), cause->message);
  g_error_free (cause);
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
      secret_password_clearv_sync (okno_credentials_get_schema (), attrs, cancellable, &local);
      if (local == NULL)
        return TRUE;
      g_propagate_error (error, local);
      return FALSE;
    }
  /* Translators: the name of a keyring item; the first %s is a login, the
   * second the server's address. */
  label = g_strdup_printf (_ ("Okno session of %s at %s"), r->login, r->server_url);
  return secret_password_storev_sync (okno_credentials_get_schema (), attrs,
                                      SECRET_COLLECTION_DEFAULT, label, token, cancellable, error);
}

static void
store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  GError *error = NULL;

  if (!store_one (r, KIND_ACCESS, r->access_token, cancellable, &error)
      || !store_one (r, KIND_REFRESH, r->refresh_token, cancellable, &error))
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

  return secret_password_lookupv_sync (okno_credentials_get_schema (), attrs, cancellable, error);
}

static void
lookup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  GError *error = NULL;

  r->access_token = lookup_one (r, KIND_ACCESS, cancellable, &error);
  if (error == NULL)
    r->refresh_token = lookup_one (r, KIND_REFRESH, cancellable, &error);
  if (error != NULL)
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

static void
clear_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  g_autoptr (GHashTable) attrs = attributes (r, NULL);
  GError *error = NULL;

  /* Without the "token" attribute this matches both items of the pair. */
  secret_password_clearv_sync (okno_credentials_get_schema (), attrs, cancellable, &error);
  if (error != NULL)
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
