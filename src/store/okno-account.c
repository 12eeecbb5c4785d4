/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-account.h"

struct _OknoAccount
{
  GObject parent_instance;
  gint64 rowid;
  char *id, *number, *kind, *holder, *address, *special_category;
  double capacity_kw;
  gboolean loaded;
  gboolean complete;
  char *inn, *phones, *email, *answer_channel, *updated_at;
  gint64 balance_kop;
};

G_DEFINE_FINAL_TYPE (OknoAccount, okno_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ROWID,
  PROP_ID,
  PROP_NUMBER,
  PROP_KIND,
  PROP_HOLDER,
  PROP_ADDRESS,
  PROP_SPECIAL_CATEGORY,
  PROP_CAPACITY_KW,
  PROP_LOADED,
  PROP_COMPLETE,
  PROP_INN,
  PROP_PHONES,
  PROP_EMAIL,
  PROP_ANSWER_CHANNEL,
  PROP_BALANCE_KOP,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
okno_account_finalize (GObject *object)
{
  OknoAccount *self = OKNO_ACCOUNT (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->kind);
  g_free (self->holder);
  g_free (self->address);
  g_free (self->special_category);
  g_free (self->inn);
  g_free (self->phones);
  g_free (self->email);
  g_free (self->answer_channel);
  g_free (self->updated_at);
  G_OBJECT_CLASS (okno_account_parent_class)->finalize (object);
}

/* The field behind a string property, or NULL for the others (which
 * get_property lists). */
static char **
string_field (OknoAccount *self, guint prop_id)
{
  switch (prop_id)
    {
      case PROP_ID:
        return &self->id;
      case PROP_NUMBER:
        return &self->number;
      case PROP_KIND:
        return &self->kind;
      case PROP_HOLDER:
        return &self->holder;
      case PROP_ADDRESS:
        return &self->address;
      case PROP_SPECIAL_CATEGORY:
        return &self->special_category;
      case PROP_INN:
        return &self->inn;
      case PROP_PHONES:
        return &self->phones;
      case PROP_EMAIL:
        return &self->email;
      case PROP_ANSWER_CHANNEL:
        return &self->answer_channel;
      case PROP_UPDATED_AT:
        return &self->updated_at;
      default:
        return NULL;
    }
}

static void
okno_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoAccount *self = OKNO_ACCOUNT (object);
  char **string = string_field (self, prop_id);

  if (string != NULL)
    {
      g_value_set_string (value, *string);
      return;
    }
  switch (prop_id)
    {
      case PROP_ROWID:
        g_value_set_int64 (value, self->rowid);
        break;
      case PROP_CAPACITY_KW:
        g_value_set_double (value, self->capacity_kw);
        break;
      case PROP_LOADED:
        g_value_set_boolean (value, self->loaded);
        break;
      case PROP_COMPLETE:
        g_value_set_boolean (value, self->complete);
        break;
      case PROP_BALANCE_KOP:
        g_value_set_int64 (value, self->balance_kop);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
okno_account_class_init (OknoAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = okno_account_finalize;
  object_class->get_property = okno_account_get_property;

  properties[PROP_ROWID]
    = g_param_spec_int64 ("rowid", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ID] = string_property ("id");
  properties[PROP_NUMBER] = string_property ("number");
  properties[PROP_KIND] = string_property ("kind");
  properties[PROP_HOLDER] = string_property ("holder");
  properties[PROP_ADDRESS] = string_property ("address");
  properties[PROP_SPECIAL_CATEGORY] = string_property ("special-category");
  properties[PROP_CAPACITY_KW]
    = g_param_spec_double ("capacity-kw", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  /* FALSE while a search result waits for its page to be read. */
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  properties[PROP_INN] = string_property ("inn");
  properties[PROP_PHONES] = string_property ("phones");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_ANSWER_CHANNEL] = string_property ("answer-channel");
  properties[PROP_BALANCE_KOP]
    = g_param_spec_int64 ("balance-kop", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = string_property ("updated-at");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_account_init (OknoAccount *self)
{
}

/* Notifies only a change, so a row bound to a search result redraws only
 * what its page read brought. */
static void
set_string (OknoAccount *self, guint prop_id, const char *value)
{
  char **field = string_field (self, prop_id);

  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_boolean (OknoAccount *self, guint prop_id, gboolean *field, gboolean value)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

OknoAccount *
_okno_account_new (gint64 rowid, const char *id, const char *number, const char *kind,
                   const char *holder, const char *address, const char *special_category,
                   double capacity_kw)
{
  OknoAccount *self = g_object_new (OKNO_TYPE_ACCOUNT, NULL);

  self->rowid = rowid;
  self->id = g_strdup (id);
  self->number = g_strdup (number);
  self->kind = g_strdup (kind);
  self->holder = g_strdup (holder);
  self->address = g_strdup (address);
  self->special_category = g_strdup (special_category);
  self->capacity_kw = capacity_kw;
  self->loaded = TRUE;
  return self;
}

OknoAccount *
_okno_account_new_placeholder (gint64 rowid)
{
  OknoAccount *self = _okno_account_new (rowid, "", "", "", "", "", "none", 0);

  self->loaded = FALSE;
  return self;
}

void
_okno_account_fill_summary (OknoAccount *self, OknoAccount *from)
{
  g_return_if_fail (OKNO_IS_ACCOUNT (self));
  g_return_if_fail (from == NULL || OKNO_IS_ACCOUNT (from));

  g_object_freeze_notify (G_OBJECT (self));
  if (from != NULL)
    {
      set_string (self, PROP_ID, from->id);
      set_string (self, PROP_NUMBER, from->number);
      set_string (self, PROP_KIND, from->kind);
      set_string (self, PROP_HOLDER, from->holder);
      set_string (self, PROP_ADDRESS, from->address);
      set_string (self, PROP_SPECIAL_CATEGORY, from->special_category);
      if (self->capacity_kw != from->capacity_kw)
        {
          self->capacity_kw = from->capacity_kw;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY_KW]);
        }
    }
  set_boolean (self, PROP_LOADED, &self->loaded, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_okno_account_set_details (OknoAccount *self, const char *inn, const char *phones,
                           const char *email, const char *answer_channel, gint64 balance_kop,
                           const char *updated_at)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, PROP_INN, inn);
  set_string (self, PROP_PHONES, phones);
  set_string (self, PROP_EMAIL, email);
  set_string (self, PROP_ANSWER_CHANNEL, answer_channel);
  set_string (self, PROP_UPDATED_AT, updated_at);
  if (self->balance_kop != balance_kop)
    {
      self->balance_kop = balance_kop;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE_KOP]);
    }
  set_boolean (self, PROP_COMPLETE, &self->complete, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

#define GETTER(type, field)                                                                        \
  type okno_account_get_##field (OknoAccount *self)                                                \
  {                                                                                                \
    g_return_val_if_fail (OKNO_IS_ACCOUNT (self), 0);                                              \
    return self->field;                                                                            \
  }

GETTER (gint64, rowid)
GETTER (const char *, id)
GETTER (const char *, number)
GETTER (const char *, kind)
GETTER (const char *, holder)
GETTER (const char *, inn)
GETTER (const char *, address)
GETTER (const char *, phones)
GETTER (const char *, email)
GETTER (const char *, answer_channel)
GETTER (double, capacity_kw)
GETTER (const char *, special_category)
GETTER (gint64, balance_kop)
GETTER (const char *, updated_at)
#undef GETTER

gboolean
okno_account_is_loaded (OknoAccount *self)
{
  g_return_val_if_fail (OKNO_IS_ACCOUNT (self), FALSE);
  return self->loaded;
}

gboolean
okno_account_is_complete (OknoAccount *self)
{
  g_return_val_if_fail (OKNO_IS_ACCOUNT (self), FALSE);
  return self->complete;
}

struct _OknoMeter
{
  GObject parent_instance;
  char *id, *serial, *model, *location, *verification_due, *last_taken_on;
  int zones;
  gint64 last[3];
};

G_DEFINE_FINAL_TYPE (OknoMeter, okno_meter, G_TYPE_OBJECT)

static void
okno_meter_finalize (GObject *object)
{
  OknoMeter *self = OKNO_METER (object);

  g_free (self->id);
  g_free (self->serial);
  g_free (self->model);
  g_free (self->location);
  g_free (self->verification_due);
  g_free (self->last_taken_on);
  G_OBJECT_CLASS (okno_meter_parent_class)->finalize (object);
}

static void
okno_meter_class_init (OknoMeterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_meter_finalize;
}

static void
okno_meter_init (OknoMeter *self)
{
}

OknoMeter *
_okno_meter_new (const char *id, const char *serial, const char *model, int zones,
                 const char *location, const char *verification_due, const char *last_taken_on,
                 gint64 t1, gint64 t2, gint64 t3)
{
  OknoMeter *self = g_object_new (OKNO_TYPE_METER, NULL);

  self->id = g_strdup (id);
  self->serial = g_strdup (serial);
  self->model = g_strdup (model);
  self->zones = zones;
  self->location = g_strdup (location);
  self->verification_due = g_strdup (verification_due);
  self->last_taken_on = g_strdup (last_taken_on);
  self->last[0] = t1;
  self->last[1] = t2;
  self->last[2] = t3;
  return self;
}

#define GETTER(type, field)                                                                        \
  type okno_meter_get_##field (OknoMeter *self)                                                    \
  {                                                                                                \
    g_return_val_if_fail (OKNO_IS_METER (self), 0);                                                \
    return self->field;                                                                            \
  }

GETTER (const char *, id)
GETTER (const char *, serial)
GETTER (const char *, model)
GETTER (int, zones)
GETTER (const char *, location)
GETTER (const char *, verification_due)
GETTER (const char *, last_taken_on)
#undef GETTER

gint64
okno_meter_get_last_reading (OknoMeter *self, int zone)
{
  g_return_val_if_fail (OKNO_IS_METER (self), -1);
  if (zone < 1 || zone > 3 || zone > self->zones || self->last_taken_on == NULL)
    return -1;
  return self->last[zone - 1];
}
