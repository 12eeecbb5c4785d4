#include "okno-account.h"

struct _OknoAccount
{
  GObject parent_instance;
  gint64 rowid;
  char *id, *number, *kind, *holder, *address, *special_category;
  double capacity_kw;
  gboolean complete;
  char *inn, *phones, *email, *answer_channel, *updated_at;
  gint64 balance_kop;
};

G_DEFINE_FINAL_TYPE (OknoAccount, okno_account, G_TYPE_OBJECT)

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

static void
okno_account_class_init (OknoAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_account_finalize;
}

static void
okno_account_init (OknoAccount *self)
{
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
  return self;
}

void
_okno_account_set_details (OknoAccount *self, const char *inn, const char *phones,
                           const char *email, const char *answer_channel, gint64 balance_kop,
                           const char *updated_at)
{
  g_free (self->inn);
  self->inn = g_strdup (inn);
  g_free (self->phones);
  self->phones = g_strdup (phones);
  g_free (self->email);
  self->email = g_strdup (email);
  g_free (self->answer_channel);
  self->answer_channel = g_strdup (answer_channel);
  g_free (self->updated_at);
  self->updated_at = g_strdup (updated_at);
  self->balance_kop = balance_kop;
  self->complete = TRUE;
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
