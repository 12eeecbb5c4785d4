/* SPDX-License-Identifier: GPL-3.0-or-later */

/* OknoSession: its work on the replica, each step a job for a worker
 * thread (okno-session-private.h), and what the meta says of who signed
 * in (okno-meta-keys.h). */

#include "okno-session-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-meta-keys.h"

/* --- jobs on the replica, in worker threads --------------------------------- */

typedef struct
{
  OknoSessionJob job;
  OknoStore *store;
  gpointer data; /* owned by the caller, alive until the callback */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_object_unref (job->store);
  g_free (job);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (job->job (job->store, job->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GTask *
job_task_new (OknoSession *self, OknoSessionJob job_func, gpointer data, GCancellable *cancellable,
              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->job = job_func;
  job->store = g_object_ref (self->store);
  job->data = data;
  g_task_set_task_data (task, job, job_free);
  return task;
}

void
_okno_session_run_job (OknoSession *self, OknoSessionJob job, gpointer data,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = job_task_new (self, job, data, cancellable, callback, user_data);

  g_task_run_in_thread (task, job_thread);
}

gboolean
_okno_session_job_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_okno_session_run_job_sync (OknoSession *self, OknoSessionJob job, gpointer data, GError **error)
{
  g_autoptr (GTask) task = job_task_new (self, job, data, NULL, NULL, NULL);

  g_task_run_in_thread_sync (task, job_thread);
  return g_task_propagate_boolean (task, error);
}

/* --- what the replica's meta says ------------------------------------------- */

static char *
read_meta (OknoStore *store, const char *key, const char *login)
{
  g_autofree char *full_key = okno_meta_key_for (key, login);
  g_autoptr (GError) error = NULL;
  char *value = okno_store_get_meta (store, full_key, &error);

  if (error != NULL)
    g_warning ("Could not read “%s” from the replica: %s", full_key, error->message);
  return value;
}

static gboolean
write_meta (OknoStore *store, const char *key, const char *login, const char *value, GError **error)
{
  g_autofree char *full_key = okno_meta_key_for (key, login);

  return okno_store_set_meta (store, full_key, value, error);
}

void
_okno_session_state_clear (OknoSessionState *state)
{
  g_free (state->staff_id);
  g_free (state->staff_login);
  g_free (state->staff_name);
  g_free (state->staff_role);
  g_free (state->staff_branch_id);
  g_free (state->branch_name);
  g_free (state->device_id);
  memset (state, 0, sizeof *state);
}

void
_okno_session_load_state (OknoStore *store, const char *branch_chosen, OknoSessionState *state)
{
  _okno_session_state_clear (state);
  state->staff_id = read_meta (store, OKNO_META_STAFF_ID, NULL);
  state->staff_login = read_meta (store, OKNO_META_STAFF_LOGIN, NULL);
  state->staff_name = read_meta (store, OKNO_META_STAFF_NAME, NULL);
  state->staff_role = read_meta (store, OKNO_META_STAFF_ROLE, NULL);
  state->staff_branch_id = read_meta (store, OKNO_META_STAFF_BRANCH_ID, NULL);
  state->device_id = read_meta (store, OKNO_META_DEVICE_ID, NULL);
  state->branch_name = okno_store_get_branch_name (
    store, branch_chosen != NULL ? branch_chosen : state->staff_branch_id);
  state->ready = okno_store_is_ready (store);
}

/* The staff member who is at the counter (login NULL), or the one kept
 * under login for offline sign-in. */
static gboolean
write_staff (OknoStore *store, const char *login, const OknoStaff *staff, GError **error)
{
  g_autofree char *desk
    = staff->desk_code > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, staff->desk_code) : NULL;

  return write_meta (store, OKNO_META_STAFF_ID, login, staff->id, error)
         && write_meta (store, OKNO_META_STAFF_DESK_CODE, login, desk, error)
         && (staff->branch_id == NULL || desk == NULL
             || write_meta (store, OKNO_META_DESK_CODE, staff->branch_id, desk, error))
         && write_meta (store, OKNO_META_STAFF_LOGIN, login, staff->login, error)
         && write_meta (store, OKNO_META_STAFF_NAME, login, staff->full_name, error)
         && write_meta (store, OKNO_META_STAFF_ROLE, login, staff->role, error)
         && write_meta (store, OKNO_META_STAFF_BRANCH_ID, login, staff->branch_id, error);
}

static OknoStaff *
read_staff (OknoStore *store, const char *login)
{
  g_autoptr (OknoStaff) staff = g_new0 (OknoStaff, 1);
  g_autofree char *desk = NULL;

  staff->id = read_meta (store, OKNO_META_STAFF_ID, login);
  staff->login = read_meta (store, OKNO_META_STAFF_LOGIN, login);
  staff->full_name = read_meta (store, OKNO_META_STAFF_NAME, login);
  staff->role = read_meta (store, OKNO_META_STAFF_ROLE, login);
  staff->branch_id = read_meta (store, OKNO_META_STAFF_BRANCH_ID, login);
  desk = read_meta (store, OKNO_META_STAFF_DESK_CODE, login);
  staff->desk_code = desk ? g_ascii_strtoll (desk, NULL, 10) : 0;
  if (staff->id == NULL || staff->login == NULL)
    return NULL;
  return g_steal_pointer (&staff);
}

/* --- the steps of signing in --------------------------------------------------- */

char *
_okno_session_branch_chosen (OknoSession *self)
{
  g_autofree char *chosen = NULL;

  if (self->settings == NULL)
    return NULL;
  chosen = g_settings_get_string (self->settings, "branch-id");
  return *chosen ? g_steal_pointer (&chosen) : NULL;
}

OknoSessionStep *
_okno_session_step_new (OknoSession *self, const char *login, const char *password)
{
  OknoSessionStep *step = g_new0 (OknoSessionStep, 1);

  step->login = g_strdup (login);
  step->password = g_strdup (password);
  step->branch_chosen = _okno_session_branch_chosen (self);
  return step;
}

void
_okno_session_step_free (OknoSessionStep *step)
{
  g_clear_object (&step->client);
  g_free (step->server_url);
  g_free (step->login);
  /* The password leaves memory as soon as it is no longer needed. */
  if (step->password != NULL)
    explicit_bzero (step->password, strlen (step->password));
  g_free (step->password);
  g_free (step->device_id);
  g_free (step->verifier);
  g_free (step->branch_chosen);
  g_clear_pointer (&step->staff, okno_staff_free);
  _okno_session_state_clear (&step->state);
  g_free (step);
}

/* This computer's id, created on first use. */
gboolean
_okno_session_device_id_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;
  GError *local_error = NULL;

  step->device_id = okno_store_get_meta (store, OKNO_META_DEVICE_ID, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (step->device_id != NULL)
    return TRUE;
  step->device_id = g_uuid_string_random ();
  return okno_store_set_meta (store, OKNO_META_DEVICE_ID, step->device_id, error);
}

/* Who signed in and where, then what the getters show of it. */
gboolean
_okno_session_remember_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;

  /* The right password online clears the count of failures offline. */
  if (!write_staff (store, NULL, step->staff, error)
      || !write_staff (store, step->staff->login, step->staff, error)
      || !write_meta (store, OKNO_META_SIGN_IN_FAILURES, step->staff->login, "0 0", error)
      || !okno_store_set_meta (store, OKNO_META_SERVER_URL, step->server_url, error))
    return FALSE;
  _okno_session_load_state (store, step->branch_chosen, &step->state);
  return TRUE;
}

/* "FAILURES LAST" of OKNO_META_SIGN_IN_FAILURES; anything else is none. */
static void
parse_throttle (const char *text, OknoThrottleState *state)
{
  g_auto (GStrv) parts = text ? g_strsplit (text, " ", 3) : NULL;
  guint64 failures = 0;
  gint64 last = 0;

  memset (state, 0, sizeof *state);
  if (parts == NULL || g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT, &failures, NULL)
      || !g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, &last, NULL))
    return;
  state->failures = (guint)failures;
  state->last_failure = last;
}

/* The verifier kept under the login, or NULL: never signed in online here;
 * and the login's failed attempts on this computer. */
gboolean
_okno_session_read_verifier_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;
  g_autofree char *throttle = read_meta (store, OKNO_META_SIGN_IN_FAILURES, step->login);

  step->verifier = read_meta (store, OKNO_META_VERIFIER, step->login);
  parse_throttle (throttle, &step->throttle);
  return TRUE;
}

/* The login's failed attempts as counted now (okno-throttle.h). */
gboolean
_okno_session_keep_throttle_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;
  g_autofree char *text = g_strdup_printf ("%u %" G_GINT64_FORMAT, step->throttle.failures,
                                           step->throttle.last_failure);

  return write_meta (store, OKNO_META_SIGN_IN_FAILURES, step->login, text, error);
}

gboolean
_okno_session_keep_verifier_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;

  return write_meta (store, OKNO_META_VERIFIER, step->login, step->verifier, error);
}

/* Offline, the staff member kept under the login is the one at the counter. */
gboolean
_okno_session_offline_staff_job (OknoStore *store, gpointer data, GError **error)
{
  OknoSessionStep *step = data;
  g_autoptr (OknoStaff) staff = read_staff (store, step->login);

  if (staff == NULL)
    {
      g_set_error (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                   _ ("This computer does not know who “%s” is. Sign in online once on this "
                      "desktop first."),
                   step->login);
      return FALSE;
    }
  /* The right password clears the count of failures. */
  if (!write_staff (store, NULL, staff, error)
      || !write_meta (store, OKNO_META_SIGN_IN_FAILURES, step->login, "0 0", error))
    return FALSE;
  _okno_session_load_state (store, step->branch_chosen, &step->state);
  return TRUE;
}
