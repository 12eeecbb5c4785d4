/* SPDX-License-Identifier: GPL-3.0-or-later */

/* OknoSession: the object, its properties and what the getters answer
 * from. The rest of the class: okno-session-jobs.c (its work on the
 * replica), okno-session-sign-in.c (the app's sign-in and the idle lock),
 * okno-session-keyring.c (the tokens, signing out), okno-session-cli.c
 * (okno-cli's blocking forms). */

#include "okno-session-private.h"

#include "okno-labels.h"

static void initable_iface_init (GInitableIface *iface);
static void async_initable_iface_init (GAsyncInitableIface *iface);

/* The first load is the initialisation: blocking (okno_session_new) or in
 * a worker (okno_session_new_async). */
G_DEFINE_FINAL_TYPE_WITH_CODE (OknoSession, okno_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                                 G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE,
                                                        async_initable_iface_init))
/* clang-format off */
G_DEFINE_QUARK (okno-session-error-quark, okno_session_error)
G_DEFINE_ENUM_TYPE (OknoSessionKeyring, okno_session_keyring,
  G_DEFINE_ENUM_VALUE (OKNO_SESSION_KEYRING_APP, "app"),
  G_DEFINE_ENUM_VALUE (OKNO_SESSION_KEYRING_CLI, "cli"))
/* clang-format on */

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_KEYRING,
  PROP_STAFF_ID,
  PROP_STAFF_LOGIN,
  PROP_STAFF_NAME,
  PROP_STAFF_ROLE,
  PROP_BRANCH_NAME,
  PROP_SIGNED_IN,
  PROP_OFFLINE,
  PROP_READY,
  PROP_CLIENT,
  PROP_HAS_TOKENS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- the values the getters answer from ---------------------------------------- */

static void
set_string (OknoSession *self, char **field, const char *value, guint prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_boolean (OknoSession *self, gboolean *field, gboolean value, guint prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* The client may sync: it holds tokens. They come with an online sign-in,
 * and offline a little after it, from the keyring. */
void
_okno_session_update_has_tokens (OknoSession *self)
{
  set_boolean (self, &self->has_tokens,
               self->client != NULL && okno_client_is_signed_in (self->client), PROP_HAS_TOKENS);
}

static void
apply_values (OknoSession *self, const OknoSessionState *state)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->staff_id, state->staff_id, PROP_STAFF_ID);
  set_string (self, &self->staff_login, state->staff_login, PROP_STAFF_LOGIN);
  set_string (self, &self->staff_name, state->staff_name, PROP_STAFF_NAME);
  set_string (self, &self->staff_role, state->staff_role, PROP_STAFF_ROLE);
  g_free (self->staff_branch_id);
  self->staff_branch_id = g_strdup (state->staff_branch_id);
  set_string (self, &self->branch_name, state->branch_name, PROP_BRANCH_NAME);
  set_boolean (self, &self->ready, state->ready, PROP_READY);
  if (state->device_id != NULL)
    _okno_session_set_device_id (self, state->device_id);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_okno_session_apply_state (OknoSession *self, const OknoSessionState *state)
{
  /* Read after what was written: the loads begun before it are older. */
  self->applied = self->dispatched;
  apply_values (self, state);
}

void
_okno_session_set_device_id (OknoSession *self, const char *device_id)
{
  g_free (self->device_id);
  self->device_id = g_strdup (device_id);
}

static void
set_client (OknoSession *self, OknoClient *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, _okno_session_tokens_changed_cb, self);
  g_set_object (&self->client, client);
  /* A refresh rotates the tokens: the keyring follows. */
  if (client != NULL)
    g_signal_connect_object (client, "tokens-changed", G_CALLBACK (_okno_session_tokens_changed_cb),
                             self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
_okno_session_set_signed_in (OknoSession *self, OknoClient *client, const char *server_url,
                             const char *login, gboolean signed_in, gboolean offline)
{
  gboolean was_offline = self->signed_in && self->offline;
  /* Copied first: the caller may pass the session's own. */
  char *new_server_url = g_strdup (server_url);
  char *new_login = g_strdup (login);

  g_free (self->server_url);
  self->server_url = new_server_url;
  g_free (self->login);
  self->login = new_login;
  /* The app keeps every session in the keyring; okno-cli says when. */
  self->keeping = signed_in && self->keyring == OKNO_SESSION_KEYRING_APP;
  if (!self->keeping)
    g_clear_pointer (&self->kept_tokens, g_free);
  g_object_freeze_notify (G_OBJECT (self));
  set_client (self, client);
  set_boolean (self, &self->signed_in, signed_in, PROP_SIGNED_IN);
  self->offline = offline;
  if (was_offline != (signed_in && offline))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
  _okno_session_update_has_tokens (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- reloading ------------------------------------------------------------------- */

typedef struct
{
  OknoSession *self;
  char *branch_chosen;
  guint serial;
  OknoSessionState state;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_free (load->branch_chosen);
  _okno_session_state_clear (&load->state);
  g_free (load);
}

static gboolean
load_job (OknoStore *store, gpointer data, GError **error)
{
  Load *load = data;

  _okno_session_load_state (store, load->branch_chosen, &load->state);
  return TRUE;
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Load *load = user_data;

  /* Two loads may finish in either order: the later begun wins. */
  if (_okno_session_job_finish (result, NULL) && load->serial > load->self->applied)
    {
      load->self->applied = load->serial;
      apply_values (load->self, &load->state);
    }
  load_free (load);
}

void
okno_session_reload (OknoSession *self)
{
  Load *load;

  g_return_if_fail (OKNO_IS_SESSION (self));

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->branch_chosen = _okno_session_branch_chosen (self);
  load->serial = ++self->dispatched;
  _okno_session_run_job (self, load_job, load, NULL, loaded_cb, load);
}

static void
branch_changed_cb (OknoSession *self, const char *key, GSettings *settings)
{
  okno_session_reload (self);
}

/* --- the first load ----------------------------------------------------------------- */

static gboolean
okno_session_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  OknoSession *self = OKNO_SESSION (initable);
  Load load = { .self = self, .branch_chosen = _okno_session_branch_chosen (self) };
  gboolean ok = _okno_session_run_job_sync (self, load_job, &load, error);

  if (ok)
    _okno_session_apply_state (self, &load.state);
  _okno_session_state_clear (&load.state);
  g_free (load.branch_chosen);
  return ok;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = okno_session_initable_init;
}

static void
first_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_okno_session_job_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  _okno_session_apply_state (load->self, &load->state);
  g_task_return_boolean (task, TRUE);
}

static void
okno_session_init_async (GAsyncInitable *initable, int io_priority, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  OknoSession *self = OKNO_SESSION (initable);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Load *load = g_new0 (Load, 1);

  load->self = g_object_ref (self);
  load->branch_chosen = _okno_session_branch_chosen (self);
  g_task_set_task_data (task, load, (GDestroyNotify)load_free);
  _okno_session_run_job (self, load_job, load, cancellable, first_loaded_cb, task);
}

static gboolean
okno_session_init_finish (GAsyncInitable *initable, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = okno_session_init_async;
  iface->init_finish = okno_session_init_finish;
}

/* --- the object ------------------------------------------------------------------ */

static void
okno_session_constructed (GObject *object)
{
  OknoSession *self = OKNO_SESSION (object);

  G_OBJECT_CLASS (okno_session_parent_class)->constructed (object);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::branch-id", G_CALLBACK (branch_changed_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
okno_session_dispose (GObject *object)
{
  OknoSession *self = OKNO_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, _okno_session_tokens_changed_cb, self);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (okno_session_parent_class)->dispose (object);
}

static void
okno_session_finalize (GObject *object)
{
  OknoSession *self = OKNO_SESSION (object);

  g_free (self->staff_id);
  g_free (self->staff_login);
  g_free (self->staff_name);
  g_free (self->staff_role);
  g_free (self->staff_branch_id);
  g_free (self->kept_tokens);
  g_free (self->branch_name);
  g_free (self->ca_file);
  g_free (self->server_url);
  g_free (self->login);
  g_free (self->device_id);
  G_OBJECT_CLASS (okno_session_parent_class)->finalize (object);
}

static void
okno_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoSession *self = OKNO_SESSION (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      case PROP_KEYRING:
        g_value_set_enum (value, self->keyring);
        break;
      case PROP_STAFF_ID:
        g_value_set_string (value, self->staff_id);
        break;
      case PROP_STAFF_LOGIN:
        g_value_set_string (value, self->staff_login);
        break;
      case PROP_STAFF_NAME:
        g_value_set_string (value, self->staff_name);
        break;
      case PROP_STAFF_ROLE:
        g_value_set_string (value, self->staff_role);
        break;
      case PROP_BRANCH_NAME:
        g_value_set_string (value, self->branch_name);
        break;
      case PROP_SIGNED_IN:
        g_value_set_boolean (value, self->signed_in);
        break;
      case PROP_OFFLINE:
        g_value_set_boolean (value, okno_session_is_offline (self));
        break;
      case PROP_READY:
        g_value_set_boolean (value, self->ready);
        break;
      case PROP_CLIENT:
        g_value_set_object (value, self->client);
        break;
      case PROP_HAS_TOKENS:
        g_value_set_boolean (value, self->has_tokens);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  OknoSession *self = OKNO_SESSION (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      case PROP_KEYRING:
        self->keyring = g_value_get_enum (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
read_only_string (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
read_only_boolean (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
okno_session_class_init (OknoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = okno_session_constructed;
  object_class->dispose = okno_session_dispose;
  object_class->finalize = okno_session_finalize;
  object_class->get_property = okno_session_get_property;
  object_class->set_property = okno_session_set_property;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, OKNO_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL in okno-cli, which has no schema installed. */
  properties[PROP_SETTINGS]
    = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING]
    = g_param_spec_enum ("keyring", NULL, NULL, OKNO_TYPE_SESSION_KEYRING, OKNO_SESSION_KEYRING_APP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF_ID] = read_only_string ("staff-id");
  properties[PROP_STAFF_LOGIN] = read_only_string ("staff-login");
  properties[PROP_STAFF_NAME] = read_only_string ("staff-name");
  properties[PROP_STAFF_ROLE] = read_only_string ("staff-role");
  properties[PROP_BRANCH_NAME] = read_only_string ("branch-name");
  properties[PROP_SIGNED_IN] = read_only_boolean ("signed-in");
  properties[PROP_OFFLINE] = read_only_boolean ("offline");
  properties[PROP_READY] = read_only_boolean ("ready");
  properties[PROP_CLIENT]
    = g_param_spec_object ("client", NULL, NULL, OKNO_TYPE_CLIENT,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The client holds tokens, so it may sync (see okno_session_has_tokens). */
  properties[PROP_HAS_TOKENS] = read_only_boolean ("has-tokens");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_session_init (OknoSession *self)
{
  self->cancellable = g_cancellable_new ();
}

OknoSession *
okno_session_new (OknoStore *store, GSettings *settings)
{
  g_return_val_if_fail (OKNO_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_initable_new (OKNO_TYPE_SESSION, NULL, NULL, "store", store, "settings", settings, NULL);
}

void
okno_session_new_async (OknoStore *store, GSettings *settings, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (OKNO_IS_STORE (store));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_async_initable_new_async (OKNO_TYPE_SESSION, G_PRIORITY_DEFAULT, cancellable, callback,
                              user_data, "store", store, "settings", settings, NULL);
}

OknoSession *
okno_session_new_finish (GAsyncResult *result, GError **error)
{
  g_autoptr (GObject) source = g_async_result_get_source_object (result);
  GObject *object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);

  return object != NULL ? OKNO_SESSION (object) : NULL;
}

/* --- getters ----------------------------------------------------------------------- */

OknoStore *
okno_session_get_store (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->store;
}

GSettings *
okno_session_get_settings (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->settings;
}

void
okno_session_set_trust (OknoSession *self, const char *ca_file, gboolean allow_plain_http)
{
  g_return_if_fail (OKNO_IS_SESSION (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  self->allow_plain_http = allow_plain_http;
}

OknoClient *
_okno_session_new_client (OknoSession *self, const char *server_url, GError **error)
{
  g_autofree char *ca_file = NULL;
  OknoClientTrust trust;

  if (self->settings != NULL)
    {
      ca_file = g_settings_get_string (self->settings, "tls-ca-file");
      trust
        = (OknoClientTrust){ ca_file, g_settings_get_boolean (self->settings, "allow-plain-http") };
    }
  else
    trust = (OknoClientTrust){ self->ca_file, self->allow_plain_http };
  return okno_client_new_with_trust (server_url, &trust, error);
}

gboolean
okno_session_is_ready (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return self->ready;
}

const char *
okno_session_get_staff_id (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->staff_id;
}

const char *
okno_session_get_staff_login (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->staff_login;
}

const char *
okno_session_get_staff_name (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->staff_name;
}

const char *
okno_session_get_staff_role (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->staff_role;
}

const char *
okno_session_get_role_label (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);

  /* The same words as everywhere else in the app ("Counter specialist"). */
  return self->staff_role != NULL ? okno_choice_label (self->staff_role) : NULL;
}

const char *
okno_session_get_branch_name (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->branch_name;
}

gboolean
okno_session_has_tokens (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return self->has_tokens;
}

gboolean
okno_session_is_signed_in (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return self->signed_in;
}

gboolean
okno_session_is_offline (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return self->signed_in && self->offline;
}

OknoClient *
okno_session_get_client (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->client;
}

const char *
okno_session_get_server_url (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->server_url;
}

const char *
okno_session_get_login (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->login;
}

gboolean
okno_session_keeps_tokens (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return self->keeping;
}

/* --- blocking, for okno-cli and tests ------------------------------------------------- */

gboolean
okno_session_remember_staff (OknoSession *self, const OknoStaff *staff, const char *server_url,
                             GError **error)
{
  g_autoptr (OknoSessionStep) step = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (staff != NULL, FALSE);

  step = _okno_session_step_new (self, staff->login, NULL);
  step->staff = okno_staff_copy (staff);
  step->server_url = g_strdup (server_url);
  if (!_okno_session_run_job_sync (self, _okno_session_remember_job, step, error))
    return FALSE;
  _okno_session_apply_state (self, &step->state);
  return TRUE;
}

char *
okno_session_ensure_device_id (OknoSession *self, GError **error)
{
  g_autoptr (OknoSessionStep) step = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);

  step = _okno_session_step_new (self, NULL, NULL);
  if (!_okno_session_run_job_sync (self, _okno_session_device_id_job, step, error))
    return NULL;
  _okno_session_set_device_id (self, step->device_id);
  return g_steal_pointer (&step->device_id);
}

gboolean
okno_session_knows_login (OknoSession *self, const char *login)
{
  g_autoptr (OknoSessionStep) step = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);

  if (login == NULL || *login == '\0')
    return FALSE;
  step = _okno_session_step_new (self, login, NULL);
  _okno_session_run_job_sync (self, _okno_session_read_verifier_job, step, NULL);
  return step->verifier != NULL;
}
