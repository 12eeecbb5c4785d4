#include "okno-session.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-credentials.h"
#include "okno-labels.h"
#include "okno-password-verifier.h"

struct _OknoSession
{
  GObject parent_instance;
  OknoStore *store;
  GSettings *settings;
  GCancellable *cancellable; /* keyring work that outlives no session */
  OknoClient *client;
  char *server_url; /* where the signed-in staff member signed in */
  gboolean signed_in;
  gboolean offline;
  char *staff_id;
  char *staff_login;
  char *staff_name;
  char *staff_role;
  char *staff_branch_id;
  char *branch_name;
  char *kept_tokens; /* a checksum of the tokens the keyring holds, never the tokens */
};

G_DEFINE_FINAL_TYPE (OknoSession, okno_session, G_TYPE_OBJECT)
/* clang-format off */
G_DEFINE_QUARK (okno-session-error-quark, okno_session_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Replica meta keys; the sync layer and okno-cli read the same ones. */
#define META_STAFF_ID        "staff_id"
#define META_STAFF_LOGIN     "staff_login"
#define META_STAFF_NAME      "staff_name"
#define META_STAFF_ROLE      "staff_role"
#define META_STAFF_BRANCH_ID "staff_branch_id"
#define META_SERVER_URL      "server_url"
#define META_DEVICE_ID       "device_id"
/* Per login, "<key>:<login>": what offline sign-in needs of each staff
 * member who signed in online here. Never the password. */
#define META_VERIFIER "verifier"

static char *
read_meta (OknoSession *self, const char *key)
{
  g_autoptr (GError) error = NULL;
  char *value = okno_store_get_meta (self->store, key, &error);

  if (error != NULL)
    g_warning ("Could not read “%s” from the replica: %s", key, error->message);
  return value;
}

static void
load_branch_name (OknoSession *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "branch-id");
  const char *id = *chosen ? chosen : self->staff_branch_id;

  g_free (self->branch_name);
  self->branch_name = okno_store_get_branch_name (self->store, id);
}

void
okno_session_reload (OknoSession *self)
{
  g_return_if_fail (OKNO_IS_SESSION (self));

  g_free (self->staff_id);
  g_free (self->staff_login);
  g_free (self->staff_name);
  g_free (self->staff_role);
  g_free (self->staff_branch_id);
  self->staff_id = read_meta (self, META_STAFF_ID);
  self->staff_login = read_meta (self, META_STAFF_LOGIN);
  self->staff_name = read_meta (self, META_STAFF_NAME);
  self->staff_role = read_meta (self, META_STAFF_ROLE);
  self->staff_branch_id = read_meta (self, META_STAFF_BRANCH_ID);
  load_branch_name (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
branch_changed_cb (OknoSession *self, const char *key, GSettings *settings)
{
  load_branch_name (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
okno_session_constructed (GObject *object)
{
  OknoSession *self = OKNO_SESSION (object);

  G_OBJECT_CLASS (okno_session_parent_class)->constructed (object);
  g_signal_connect_object (self->settings, "changed::branch-id", G_CALLBACK (branch_changed_cb),
                           self, G_CONNECT_SWAPPED);
  okno_session_reload (self);
}

static void
okno_session_dispose (GObject *object)
{
  OknoSession *self = OKNO_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
  g_free (self->server_url);
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
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  properties[PROP_SETTINGS]
    = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
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
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (OKNO_TYPE_SESSION, "store", store, "settings", settings, NULL);
}

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

gboolean
okno_session_is_ready (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  return okno_store_is_ready (self->store);
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
okno_session_get_branch_name (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);
  return self->branch_name;
}

/* "key" alone, or "key:login" for what is kept per login. */
static char *
meta_key (const char *key, const char *login)
{
  return login != NULL ? g_strconcat (key, ":", login, NULL) : g_strdup (key);
}

static gboolean
set_meta_for (OknoSession *self, const char *key, const char *login, const char *value,
              GError **error)
{
  g_autofree char *full_key = meta_key (key, login);

  return okno_store_set_meta (self->store, full_key, value, error);
}

static char *
get_meta_for (OknoSession *self, const char *key, const char *login)
{
  g_autofree char *full_key = meta_key (key, login);

  return read_meta (self, full_key);
}

/* The staff member who is at the counter (login NULL), or the one kept
 * under login for offline sign-in. */
static gboolean
set_staff_meta (OknoSession *self, const char *login, const OknoStaff *staff, GError **error)
{
  return set_meta_for (self, META_STAFF_ID, login, staff->id, error)
         && set_meta_for (self, META_STAFF_LOGIN, login, staff->login, error)
         && set_meta_for (self, META_STAFF_NAME, login, staff->full_name, error)
         && set_meta_for (self, META_STAFF_ROLE, login, staff->role, error)
         && set_meta_for (self, META_STAFF_BRANCH_ID, login, staff->branch_id, error);
}

static OknoStaff *
get_staff_meta (OknoSession *self, const char *login)
{
  g_autoptr (OknoStaff) staff = g_new0 (OknoStaff, 1);

  staff->id = get_meta_for (self, META_STAFF_ID, login);
  staff->login = get_meta_for (self, META_STAFF_LOGIN, login);
  staff->full_name = get_meta_for (self, META_STAFF_NAME, login);
  staff->role = get_meta_for (self, META_STAFF_ROLE, login);
  staff->branch_id = get_meta_for (self, META_STAFF_BRANCH_ID, login);
  if (staff->id == NULL || staff->login == NULL)
    return NULL;
  return g_steal_pointer (&staff);
}

gboolean
okno_session_remember_staff (OknoSession *self, const OknoStaff *staff, const char *server_url,
                             GError **error)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (staff != NULL, FALSE);

  if (!set_staff_meta (self, NULL, staff, error)
      || !set_staff_meta (self, staff->login, staff, error)
      || !okno_store_set_meta (self->store, META_SERVER_URL, server_url, error))
    return FALSE;
  okno_session_reload (self);
  return TRUE;
}

char *
okno_session_ensure_device_id (OknoSession *self, GError **error)
{
  GError *local_error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);

  id = okno_store_get_meta (self->store, META_DEVICE_ID, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id != NULL)
    return g_steal_pointer (&id);
  id = g_uuid_string_random ();
  if (!okno_store_set_meta (self->store, META_DEVICE_ID, id, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* --- the client's tokens, in the keyring ------------------------------------ */

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

static void
set_kept_tokens (OknoSession *self, const char *access_token, const char *refresh_token)
{
  g_free (self->kept_tokens);
  self->kept_tokens = access_token != NULL ? tokens_checksum (access_token, refresh_token) : NULL;
}

/* Puts the client's current tokens in the keyring under (server, login),
 * unless the keyring has them already. */
static void
keep_tokens (OknoSession *self)
{
  char *access_token = NULL;
  char *refresh_token = NULL;
  g_autofree char *checksum = NULL;

  if (self->client == NULL || self->staff_login == NULL)
    return;
  okno_client_get_tokens (self->client, &access_token, &refresh_token);
  checksum = access_token ? tokens_checksum (access_token, refresh_token) : NULL;
  if (access_token != NULL && g_strcmp0 (checksum, self->kept_tokens) != 0)
    {
      okno_credentials_store_async (okno_client_get_base_url (self->client), self->staff_login,
                                    access_token, refresh_token, self->cancellable,
                                    tokens_stored_cb, NULL);
      g_free (self->kept_tokens);
      self->kept_tokens = g_steal_pointer (&checksum);
    }
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);
}

void
okno_session_keep_tokens (OknoSession *self)
{
  g_return_if_fail (OKNO_IS_SESSION (self));
  if (self->signed_in)
    keep_tokens (self);
}

static gboolean
keep_tokens_cb (gpointer data)
{
  keep_tokens (OKNO_SESSION (data));
  return G_SOURCE_REMOVE;
}

/* A refresh may happen in a sync's worker thread: the keyring is written
 * from the main loop. */
static void
tokens_changed_cb (OknoSession *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, keep_tokens_cb, g_object_ref (self), g_object_unref);
}

static void
set_client (OknoSession *self, OknoClient *client)
{
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, tokens_changed_cb, self);
  g_set_object (&self->client, client);
  /* A refresh rotates the tokens: the keyring follows. */
  if (client != NULL)
    g_signal_connect_object (client, "tokens-changed", G_CALLBACK (tokens_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

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
      set_kept_tokens (restore->self, access_token, refresh_token);
      /* The client may sync now: whoever waits for that is told. */
      g_signal_emit (restore->self, signals[CHANGED], 0);
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
static void
restore_tokens (OknoSession *self)
{
  Restore *restore = g_new0 (Restore, 1);

  restore->self = g_object_ref (self);
  restore->client = g_object_ref (self->client);
  okno_credentials_lookup_async (okno_client_get_base_url (self->client), self->staff_login,
                                 self->cancellable, tokens_found_cb, restore);
}

/* --- signing in ------------------------------------------------------------ */

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

gboolean
okno_session_knows_login (OknoSession *self, const char *login)
{
  g_autofree char *verifier = NULL;

  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);

  if (login == NULL || *login == '\0')
    return FALSE;
  verifier = get_meta_for (self, META_VERIFIER, login);
  return verifier != NULL;
}

const char *
okno_session_get_role_label (OknoSession *self)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), NULL);

  /* The same words as everywhere else in the app ("Counter specialist"). */
  return self->staff_role != NULL ? okno_choice_label (self->staff_role) : NULL;
}

typedef struct
{
  OknoClient *client;
  char *login;
  char *password;
} SignIn;

static void
sign_in_free (gpointer data)
{
  SignIn *d = data;

  g_clear_object (&d->client);
  g_free (d->login);
  /* The password leaves memory as soon as it is no longer needed. */
  if (d->password != NULL)
    explicit_bzero (d->password, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
signed_in (OknoSession *self, OknoClient *client, const char *server_url, gboolean offline)
{
  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
  set_client (self, client);
  self->signed_in = TRUE;
  self->offline = offline;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
verifier_made_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  SignIn *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *verifier = okno_password_verifier_new_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;
  /* Without a verifier only offline sign-in is lost: the clerk works on. */
  if (verifier == NULL || !set_meta_for (self, META_VERIFIER, self->staff_login, verifier, &error))
    g_warning ("Offline sign-in will not work for this login: %s", error->message);
  signed_in (self, d->client, okno_client_get_base_url (d->client), FALSE);
  keep_tokens (self);
  g_task_return_boolean (task, TRUE);
}

static void
offline_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  SignIn *d = g_task_get_task_data (task);
  g_autoptr (OknoStaff) staff = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!okno_password_verifier_check_finish (result, NULL))
    {
      g_task_return_new_error (
        task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD,
        _ ("The password is wrong. The server cannot be reached, so Okno checked it against the "
           "password last used on this computer. Check the keyboard layout and Caps Lock."));
      return;
    }
  staff = get_staff_meta (self, d->login);
  if (staff == NULL || !set_staff_meta (self, NULL, staff, &error))
    {
      if (error == NULL)
        g_set_error (&error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                     _ ("This computer does not know who “%s” is. Sign in online once on this "
                        "desktop first."),
                     d->login);
      g_task_return_error (task, error);
      return;
    }
  okno_session_reload (self);
  signed_in (self, d->client, okno_client_get_base_url (d->client), TRUE);
  restore_tokens (self);
  g_task_return_boolean (task, TRUE);
}

static void
sign_in_offline (GTask *task)
{
  OknoSession *self = g_task_get_source_object (task);
  SignIn *d = g_task_get_task_data (task);
  g_autofree char *verifier = get_meta_for (self, META_VERIFIER, d->login);

  if (verifier == NULL)
    {
      g_task_return_new_error (task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                               _ ("The server cannot be reached, and “%s” has never signed in "
                                  "online on this computer. Sign in online once on this desktop "
                                  "first; after that, signing in works without the network too."),
                               d->login);
      return;
    }
  okno_password_verifier_check_async (verifier, d->password, g_task_get_cancellable (task),
                                      offline_checked_cb, g_object_ref (task));
}

static void
online_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OknoSession *self = g_task_get_source_object (task);
  SignIn *d = g_task_get_task_data (task);
  g_autoptr (OknoStaff) staff = NULL;
  GError *error = NULL;

  staff = okno_client_sign_in_finish (OKNO_CLIENT (source), result, &error);
  if (staff == NULL)
    {
      /* Offline sign-in opens a complete replica only. */
      if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE)
          && okno_session_is_ready (self))
        {
          g_error_free (error);
          sign_in_offline (task);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  if (!okno_session_remember_staff (self, staff, okno_client_get_base_url (d->client), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  okno_password_verifier_new_async (d->password, g_task_get_cancellable (task), verifier_made_cb,
                                    g_object_ref (task));
}

void
okno_session_sign_in_async (OknoSession *self, const char *server_url, const char *login,
                            const char *password, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *device_id = NULL;
  GError *error = NULL;
  SignIn *d;

  g_return_if_fail (OKNO_IS_SESSION (self));
  g_return_if_fail (login != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_session_sign_in_async);
  d = g_new0 (SignIn, 1);
  d->login = g_strdup (login);
  d->password = g_strdup (password);
  g_task_set_task_data (task, d, sign_in_free);
  d->client = okno_client_new (server_url, &error);
  if (d->client == NULL || (device_id = okno_session_ensure_device_id (self, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  okno_client_set_device_id (d->client, device_id);
  okno_client_sign_in_async (d->client, login, password, cancellable, online_cb,
                             g_steal_pointer (&task));
}

gboolean
okno_session_sign_in_finish (OknoSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- the idle lock and signing out ------------------------------------------ */

static void
unlock_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (okno_password_verifier_check_finish (result, NULL))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD,
                             _ ("The password is wrong. Check the keyboard layout and Caps Lock, "
                                "then try again."));
}

void
okno_session_unlock_async (OknoSession *self, const char *password, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *verifier = NULL;

  g_return_if_fail (OKNO_IS_SESSION (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_session_unlock_async);
  if (self->signed_in && self->staff_login != NULL)
    verifier = get_meta_for (self, META_VERIFIER, self->staff_login);
  if (verifier == NULL)
    {
      g_task_return_new_error (task, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE,
                               _ ("The password cannot be checked on this computer. Sign in "
                                  "again."));
      return;
    }
  okno_password_verifier_check_async (verifier, password, cancellable, unlock_checked_cb,
                                      g_steal_pointer (&task));
}

gboolean
okno_session_unlock_finish (OknoSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

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
  okno_credentials_clear_async (self->server_url, self->staff_login, NULL, tokens_cleared_cb,
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

  if (!self->signed_in)
    return;
  end_server_session (self);
  if (self->server_url != NULL && self->staff_login != NULL)
    clear_tokens (self);
  set_client (self, NULL);
  g_clear_pointer (&self->kept_tokens, g_free);
  self->signed_in = FALSE;
  self->offline = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
}
