/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Signing in, refreshing the tokens and signing out. */

#include "okno-client-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "okno-wire.h"

/* {"k1": "v1", ...} from NULL-terminated pairs of strings. */
static GBytes *
string_object (const char *first_key, ...)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  va_list ap;

  json_builder_begin_object (b);
  va_start (ap, first_key);
  for (const char *k = first_key; k; k = va_arg (ap, const char *))
    {
      json_builder_set_member_name (b, k);
      json_builder_add_string_value (b, va_arg (ap, const char *));
    }
  va_end (ap);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return _okno_client_node_bytes (root);
}

gboolean
_okno_client_refresh (OknoClient *self, SoupSession *session, GCancellable *cancellable,
                      GError **error)
{
  g_autofree char *old_refresh = NULL, *token = NULL, *refresh_token = NULL;
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  gint64 expires_in;
  GError *local = NULL;

  g_debug ("the access token expired: refreshing it");
  g_mutex_lock (&self->lock);
  old_refresh = g_strdup (self->refresh_token);
  g_mutex_unlock (&self->lock);
  request = string_object ("refresh_token", old_refresh, "device_id", self->device_id, NULL);
  body = _okno_client_send_once (self, session, "POST", "/session/refresh", request, cancellable,
                                 &local);
  if (body == NULL
      || !okno_wire_parse_session (body, &token, &expires_in, &refresh_token, &staff, &local))
    {
      g_debug ("refresh failed: %s", local->message);
      g_propagate_error (error, local);
      return FALSE;
    }
  okno_client_set_tokens (self, token, refresh_token ? refresh_token : old_refresh);
  g_debug ("refreshed: a new access token for %" G_GINT64_FORMAT " s%s", expires_in,
           refresh_token ? ", and a new refresh token" : "");
  _okno_client_tokens_changed (self);
  return TRUE;
}

void
okno_client_get_tokens (OknoClient *self, char **access_token, char **refresh_token)
{
  g_return_if_fail (OKNO_IS_CLIENT (self));
  g_mutex_lock (&self->lock);
  if (access_token)
    *access_token = g_strdup (self->token);
  if (refresh_token)
    *refresh_token = g_strdup (self->refresh_token);
  g_mutex_unlock (&self->lock);
}

void
okno_client_set_tokens (OknoClient *self, const char *access_token, const char *refresh_token)
{
  g_return_if_fail (OKNO_IS_CLIENT (self));
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (access_token);
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
  g_mutex_unlock (&self->lock);
}

gboolean
okno_client_sign_out (OknoClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = _okno_client_new_session ();
  g_autoptr (GBytes) body = NULL;

  g_return_val_if_fail (OKNO_IS_CLIENT (self), FALSE);

  if (!okno_client_is_signed_in (self))
    return TRUE;
  body = _okno_client_send (self, session, "DELETE", "/session", NULL, cancellable, error);
  okno_client_set_tokens (self, NULL, NULL);
  g_debug ("signed out%s; the tokens here are forgotten",
           body ? "" : " without an answer from the server");
  return body != NULL;
}

static void
sign_out_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (okno_client_sign_out (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
okno_client_sign_out_async (OknoClient *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_client_sign_out_async);
  g_task_run_in_thread (task, sign_out_thread);
}

gboolean
okno_client_sign_out_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
okno_client_describe_sign_in_wait (gint64 seconds)
{
  /* Rounded up: after the time said, the next try is checked. */
  gulong minutes = (gulong)((seconds + 59) / 60);
  gulong secs = (gulong)MAX (seconds, 1);

  if (seconds < 60)
    return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Too many failed sign-in attempts. Try again in %lu second.",
                   "Too many failed sign-in attempts. Try again in %lu seconds.", secs),
      secs);
  return g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "Too many failed sign-in attempts. Try again in %lu minute.",
                 "Too many failed sign-in attempts. Try again in %lu minutes.", minutes),
    minutes);
}

/* A 429 (or 503) of POST /session: okno-central throttles failed sign-ins
 * per login and address. The code stays RETRY_LATER; the words say how
 * long, for the sign-in page and okno-cli alike. */
static void
describe_wait (OknoClient *self, GError *error)
{
  if (!g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_RETRY_LATER))
    return;
  g_free (error->message);
  error->message = okno_client_describe_sign_in_wait (okno_client_get_retry_after (self));
}

OknoStaff *
okno_client_sign_in (OknoClient *self, const char *login, const char *password,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = _okno_client_new_session ();
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *token = NULL;
  g_autofree char *refresh_token = NULL;
  OknoStaff *staff = NULL;
  gint64 expires_in;

  g_return_val_if_fail (OKNO_IS_CLIENT (self), NULL);

  request
    = string_object ("login", login, "password", password, "device_id", self->device_id, NULL);
  body = _okno_client_send (self, session, "POST", "/session", request, cancellable, error);
  if (body == NULL)
    {
      if (error != NULL)
        describe_wait (self, *error);
      return NULL;
    }
  if (!okno_wire_parse_session (body, &token, &expires_in, &refresh_token, &staff, error))
    return NULL;
  okno_client_set_tokens (self, token, refresh_token);
  g_debug ("signed in: an access token for %" G_GINT64_FORMAT " s", expires_in);
  return staff;
}

typedef struct
{
  char *login;
  char *password;
} SignInData;

static void
sign_in_data_free (gpointer data)
{
  SignInData *d = data;

  g_free (d->login);
  /* The password leaves memory as soon as it is no longer needed. */
  if (d->password)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
sign_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SignInData *d = task_data;
  GError *error = NULL;
  OknoStaff *staff = okno_client_sign_in (source, d->login, d->password, cancellable, &error);

  if (staff == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, staff, (GDestroyNotify)okno_staff_free);
}

void
okno_client_sign_in_async (OknoClient *self, const char *login, const char *password,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SignInData *d = g_new0 (SignInData, 1);

  d->login = g_strdup (login);
  d->password = g_strdup (password);
  g_task_set_source_tag (task, okno_client_sign_in_async);
  g_task_set_task_data (task, d, sign_in_data_free);
  g_task_run_in_thread (task, sign_in_thread);
}

OknoStaff *
okno_client_sign_in_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
