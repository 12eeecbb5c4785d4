/* SPDX-License-Identifier: GPL-3.0-or-later */

/* OknoSession: the app's sign-in, online and offline, and the idle lock.
 * Each step on the replica is a job in a worker thread; the steps between
 * run on the main loop. A call that also takes the task's cancellable gets
 * a reference of its own to the task, not the caller's: the order in which
 * arguments are evaluated is unspecified. */

#include "okno-session-private.h"

#include <glib/gi18n-lib.h>

#include "okno-password-verifier.h"

/* --- the throttle on this computer (okno-throttle.h) -------------------------- */

/* Offline sign-in and unlock count failures per login in the replica, by
 * the rule okno-central applies to sign-ins online. */
static OknoThrottlePolicy
throttle_policy (void)
{
  OknoThrottlePolicy policy;

  okno_throttle_policy_init (&policy);
  return policy;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

typedef struct
{
  GTask *task;
  GError *error; /* NULL: the task succeeds */
} Answer;

static void
throttle_kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr (GError) error = NULL;

  /* Not kept: this count is lost, the answer is not. */
  if (!_okno_session_job_finish (result, &error))
    g_warning ("Could not count a failed sign-in on this computer: %s", error->message);
  if (answer->error != NULL)
    g_task_return_error (answer->task, answer->error);
  else
    g_task_return_boolean (answer->task, TRUE);
  g_object_unref (answer->task);
  g_free (answer);
}

/* Keeps the step's count in the replica, then answers with error (taken). */
static void
keep_throttle_then_answer (GTask *task, GError *error)
{
  OknoSession *self = g_task_get_source_object (task);
  Answer *answer = g_new0 (Answer, 1);

  answer->task = task;
  answer->error = error;
  _okno_session_run_job (self, _okno_session_keep_throttle_job, g_task_get_task_data (task), NULL,
                         throttle_kept_cb, answer);
}

/* TRUE when the password may be checked now; else the task is answered
 * with OKNO_SESSION_ERROR_THROTTLED and the wait. */
static gboolean
throttle_allows (GTask *task)
{
  OknoSessionStep *step = g_task_get_task_data (task);
  OknoThrottlePolicy policy = throttle_policy ();
  gint64 wait = okno_throttle_attempt (&policy, &step->throttle, now_seconds ());
  g_autofree char *message = NULL;

  if (wait == 0)
    return TRUE;
  message = okno_client_describe_sign_in_wait (wait);
  keep_throttle_then_answer (
    g_object_ref (task),
    g_error_new_literal (OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_THROTTLED, message));
  return FALSE;
}

/* A wrong password: counted, then the task fails with message. Takes it. */
static void
count_wrong_password (GTask *task, const char *message)
{
  OknoSessionStep *step = g_task_get_task_data (task);
  OknoThrottlePolicy policy = throttle_policy ();

  okno_throttle_fail (&policy, &step->throttle, now_seconds ());
  keep_throttle_then_answer (
    task, g_error_new_literal (OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD, message));
}

static void
online_done (GTask *task)
{
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = g_task_get_task_data (task);

  _okno_session_set_signed_in (self, step->client, okno_client_get_base_url (step->client),
                               step->login, TRUE, FALSE);
  _okno_session_keep_tokens (self);
  g_task_return_boolean (task, TRUE);
}

static void
verifier_kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  /* Without a verifier only offline sign-in is lost: the clerk works on. */
  if (!_okno_session_job_finish (result, &error))
    g_warning ("Offline sign-in will not work for this login: %s", error->message);
  online_done (task);
}

static void
verifier_made_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  step->verifier = okno_password_verifier_new_finish (result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (step->verifier == NULL)
    {
      g_warning ("Offline sign-in will not work for this login: %s", error->message);
      online_done (task);
      return;
    }
  _okno_session_run_job (self, _okno_session_keep_verifier_job, step, NULL, verifier_kept_cb,
                         g_steal_pointer (&task));
}

/* A job that read the staff member ended: their values are the session's
 * now. NULL, with the task returned, when the job failed. */
static OknoSessionStep *
state_read (GTask *task, GAsyncResult *result)
{
  OknoSessionStep *step = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_okno_session_job_finish (result, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  _okno_session_apply_state (g_task_get_source_object (task), &step->state);
  return step;
}

static void
remembered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSessionStep *step = state_read (task, result);

  if (step == NULL)
    return;
  okno_password_verifier_new_async (step->password, g_task_get_cancellable (task), verifier_made_cb,
                                    g_object_ref (task));
}

static void
offline_staff_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = state_read (task, result);

  if (step == NULL)
    return;
  _okno_session_set_signed_in (self, step->client, okno_client_get_base_url (step->client),
                               step->state.staff_login, TRUE, TRUE);
  _okno_session_restore_tokens (self);
  g_task_return_boolean (task, TRUE);
}

static void
offline_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!okno_password_verifier_check_finish (result, NULL))
    {
      count_wrong_password (
        g_steal_pointer (&task),
        _ ("The password is wrong. The server cannot be reached, so Okno checked it against the "
           "password last used on this computer. Check the keyboard layout and Caps Lock."));
      return;
    }
  _okno_session_run_job (self, _okno_session_offline_staff_job, step, NULL, offline_staff_cb,
                         g_steal_pointer (&task));
}

static void
offline_verifier_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSessionStep *step = g_task_get_task_data (task);

  _okno_session_job_finish (result, NULL);
  if (step->verifier == NULL)
    {
      g_task_return_new_error (task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                               _ ("The server cannot be reached, and “%s” has never signed in "
                                  "online on this computer. Sign in online once on this desktop "
                                  "first; after that, signing in works without the network too."),
                               step->login);
      return;
    }
  if (!throttle_allows (task))
    return;
  okno_password_verifier_check_async (step->verifier, step->password, g_task_get_cancellable (task),
                                      offline_checked_cb, g_object_ref (task));
}

static void
online_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = g_task_get_task_data (task);
  GError *error = NULL;

  step->staff = okno_client_sign_in_finish (OKNO_CLIENT (source), result, &error);
  if (step->staff != NULL)
    {
      /* From here on, the login as the server spells it. */
      g_free (step->login);
      step->login = g_strdup (step->staff->login);
      step->server_url = g_strdup (okno_client_get_base_url (step->client));
      _okno_session_run_job (self, _okno_session_remember_job, step, NULL, remembered_cb,
                             g_steal_pointer (&task));
    }
  /* Offline sign-in opens a complete replica only. */
  else if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE)
           && okno_session_is_ready (self))
    {
      g_error_free (error);
      _okno_session_run_job (self, _okno_session_read_verifier_job, step, NULL, offline_verifier_cb,
                             g_steal_pointer (&task));
    }
  else
    g_task_return_error (task, error);
}

static void
device_id_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  OknoSessionStep *step = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_okno_session_job_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  _okno_session_set_device_id (self, step->device_id);
  okno_client_set_device_id (step->client, step->device_id);
  okno_client_sign_in_async (step->client, step->login, step->password,
                             g_task_get_cancellable (task), online_cb, g_object_ref (task));
}

void
okno_session_sign_in_async (OknoSession *self, const char *server_url, const char *login,
                            const char *password, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  OknoSessionStep *step;
  GError *error = NULL;

  g_return_if_fail (OKNO_IS_SESSION (self));
  g_return_if_fail (login != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_session_sign_in_async);
  step = _okno_session_step_new (self, login, password);
  g_task_set_task_data (task, step, (GDestroyNotify)_okno_session_step_free);
  step->client = _okno_session_new_client (self, server_url, &error);
  if (step->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _okno_session_run_job (self, _okno_session_device_id_job, step, NULL, device_id_cb,
                         g_steal_pointer (&task));
}

gboolean
okno_session_sign_in_finish (OknoSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- the idle lock --------------------------------------------------------------- */

static void
unlock_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (okno_password_verifier_check_finish (result, NULL))
    {
      OknoSessionStep *step = g_task_get_task_data (task);

      /* The right password clears the count. */
      step->throttle = (OknoThrottleState){ 0, 0 };
      keep_throttle_then_answer (g_steal_pointer (&task), NULL);
    }
  else
    count_wrong_password (g_steal_pointer (&task),
                          _ ("The password is wrong. Check the keyboard layout and Caps Lock, "
                             "then try again."));
}

static void
cannot_check (GTask *task)
{
  g_task_return_new_error (task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                           _ ("The password cannot be checked on this computer. Sign in "
                              "again."));
}

static void
unlock_verifier_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSessionStep *step = g_task_get_task_data (task);

  _okno_session_job_finish (result, NULL);
  if (step->verifier == NULL)
    {
      cannot_check (task);
      return;
    }
  if (!throttle_allows (task))
    return;
  okno_password_verifier_check_async (step->verifier, step->password, g_task_get_cancellable (task),
                                      unlock_checked_cb, g_object_ref (task));
}

void
okno_session_unlock_async (OknoSession *self, const char *password, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  OknoSessionStep *step;

  g_return_if_fail (OKNO_IS_SESSION (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_session_unlock_async);
  if (!self->signed_in || self->login == NULL)
    {
      cannot_check (task);
      return;
    }
  step = _okno_session_step_new (self, self->login, password);
  g_task_set_task_data (task, step, (GDestroyNotify)_okno_session_step_free);
  _okno_session_run_job (self, _okno_session_read_verifier_job, step, NULL, unlock_verifier_cb,
                         g_steal_pointer (&task));
}

gboolean
okno_session_unlock_finish (OknoSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
