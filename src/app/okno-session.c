#include "okno-session.h"

struct _OknoSession
{
  GObject parent_instance;
  OknoStore *store;
  GSettings *settings;
  char *staff_id;
  char *staff_login;
  char *staff_name;
  char *staff_role;
  char *staff_branch_id;
  char *branch_name;
};

G_DEFINE_FINAL_TYPE (OknoSession, okno_session, G_TYPE_OBJECT)

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
  g_free (self->branch_name);
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

gboolean
okno_session_remember_staff (OknoSession *self, const OknoStaff *staff, const char *server_url,
                             GError **error)
{
  g_return_val_if_fail (OKNO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (staff != NULL, FALSE);

  if (!okno_store_set_meta (self->store, META_STAFF_ID, staff->id, error)
      || !okno_store_set_meta (self->store, META_STAFF_LOGIN, staff->login, error)
      || !okno_store_set_meta (self->store, META_STAFF_NAME, staff->full_name, error)
      || !okno_store_set_meta (self->store, META_STAFF_ROLE, staff->role, error)
      || !okno_store_set_meta (self->store, META_STAFF_BRANCH_ID, staff->branch_id, error)
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
