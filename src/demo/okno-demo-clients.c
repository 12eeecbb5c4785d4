/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Clients and what hangs off them: accounts, meters, readings, payments.
 *
 * Each pass walks the accounts in the same order and rebuilds an account's
 * facts from its own random stream, so the meters pass knows how many
 * meters an account has without keeping a million accounts in memory. */

#include "okno-demo-private.h"

#include <string.h>

typedef struct
{
  const char *kind;     /* okno_client_kinds */
  const char *category; /* okno_special_categories */
  DemoBranch branch;
  DemoAddress address;
  guint n_meters;
  guint months; /* of reading and payment history */
  double kwh;   /* an average month's consumption */
  gboolean household;
  gboolean private_house;
  DemoRng rng; /* continues where the facts stopped */
} DemoAccount;

typedef struct _MeterModel MeterModel;

typedef struct
{
  const MeterModel *model;
  guint zones;
  int installed_on; /* day, or G_MININT when unknown */
  int verification_due;
  const char *location;
  guint64 serial;
} DemoMeter;

/* The first accounts show every kind of client, so even a tiny dataset
 * has each of them. */
static const struct
{
  const char *kind;
  const char *category;
} showcase[] = {
  { "household", "none" },
  { "legal_entity", "none" },
  { "sole_trader", "none" },
  { "legal_entity", "high_capacity" },
  { "legal_entity", "budget_funded" },
  { "legal_entity", "religious" },
  { "legal_entity", "utility_provider" },
};

static const char *const legal_categories[] = {
  "none", "high_capacity", "budget_funded", "religious", "utility_provider",
};
static const guint legal_category_weights[] = { 70, 8, 10, 3, 9 };

static void
choose_kind (DemoAccount *account, guint index)
{
  static const char *const kinds[] = { "household", "legal_entity", "sole_trader" };
  static const guint kind_weights[] = { 85, 10, 5 };

  if (index < G_N_ELEMENTS (showcase))
    {
      account->kind = showcase[index].kind;
      account->category = showcase[index].category;
      return;
    }
  account->kind = kinds[demo_rng_weighted (&account->rng, kind_weights, 3)];
  account->category = "none";
  if (strcmp (account->kind, "legal_entity") == 0)
    account->category = legal_categories[demo_rng_weighted (&account->rng, legal_category_weights,
                                                            G_N_ELEMENTS (legal_category_weights))];
}

static double
monthly_kwh (DemoAccount *account)
{
  DemoRng *rng = &account->rng;

  if (account->household)
    return (double)demo_rng_range (rng, 110, 420) * (account->private_house ? 2.2 : 1.0);
  if (strcmp (account->kind, "sole_trader") == 0)
    return (double)demo_rng_range (rng, 300, 4000);
  if (strcmp (account->category, "high_capacity") == 0)
    return (double)demo_rng_range (rng, 150000, 1500000);
  if (strcmp (account->category, "religious") == 0)
    return (double)demo_rng_range (rng, 300, 2500);
  return (double)demo_rng_range (rng, 1500, 40000);
}

static void
account_facts (OknoDemo *demo, guint index, DemoAccount *account)
{
  DemoRng *rng = &account->rng;

  demo_rng_init (demo, rng, DEMO_ACCOUNT, index);
  choose_kind (account, index);
  account->household = strcmp (account->kind, "household") == 0;
  account->private_house = account->household && demo_rng_chance (rng, 0.12);
  if (account->household)
    demo_address (rng, account->private_house, &account->address);
  else
    demo_street_address (rng, &account->address);
  /* 2.1.1.1: special categories are served in the service office. */
  account->branch = strcmp (account->category, "none") != 0 ? DEMO_BRANCH_OFFICE
                                                            : (DemoBranch)account->address.district;
  account->n_meters = demo_rng_chance (rng, account->household ? 0.1 : 0.45) ? 2 : 1;
  account->months = (guint)demo_rng_range (rng, 6, 12);
  account->kwh = monthly_kwh (account);
}

/* --- accounts ------------------------------------------------------------- */

static void
put_number (OknoDemo *demo, DemoAccount *account, guint index)
{
  /* Multiplying by a power of 3 permutes the residues, so numbers look
   * scattered yet never repeat. */
  guint64 offset = demo->key % 1000000000;

  if (account->household)
    {
      static const char *const prefixes[] = { "6", "66", "660" };
      guint64 n = ((guint64)index * 387420489 + offset) % 1000000000;

      demo_put_printf (demo, "number", "%s%09" G_GUINT64_FORMAT,
                       DEMO_PICK (&account->rng, prefixes), n);
    }
  else
    demo_put_printf (demo, "number", "ЭС-%07" G_GUINT64_FORMAT,
                     ((guint64)index * 1594323 + offset) % 10000000);
}

static void
put_holder (OknoDemo *demo, DemoAccount *account, char *hint, gsize hint_size)
{
  char name[400];
  DemoPerson person;

  if (strcmp (account->kind, "legal_entity") == 0)
    {
      static const char *const mailboxes[] = { "бухгалтерия", "офис", "энергетик", "приемная" };

      demo_org_name (&account->rng, account->category, name, sizeof name);
      demo_put_text (demo, "holder", name);
      g_strlcpy (hint, DEMO_PICK (&account->rng, mailboxes), hint_size);
      return;
    }
  demo_person (&account->rng, &person);
  demo_person_name (&person, FALSE, name, sizeof name);
  if (account->household)
    demo_put_text (demo, "holder", name);
  else
    demo_put_printf (demo, "holder", "ИП %s", name);
  g_strlcpy (hint, person.surname, hint_size);
}

static void
put_phones (OknoDemo *demo, DemoAccount *account)
{
  DemoRng *rng = &account->rng;
  char first[16], second[16];

  if (!demo_rng_chance (rng, account->household ? 0.85 : 0.97))
    {
      demo_put_null (demo, "phones");
      return;
    }
  demo_phone (rng, account->household ? demo_rng_chance (rng, 0.85) : FALSE, first);
  if (demo_rng_chance (rng, account->household ? 0.18 : 0.6))
    {
      demo_phone (rng, TRUE, second);
      demo_put_printf (demo, "phones", "%s,%s", first, second);
    }
  else
    demo_put_text (demo, "phones", first);
}

static const char *
answer_channel (DemoAccount *account, gboolean has_email)
{
  static const char *const household[] = { "in_person", "post", "phone", "web_account" };
  static const guint household_weights[] = { 30, 40, 15, 15 };
  static const char *const business[] = { "post", "in_person", "web_account" };
  static const guint business_weights[] = { 60, 25, 15 };

  if (has_email && demo_rng_chance (&account->rng, 0.5))
    return "email";
  if (account->household)
    return household[demo_rng_weighted (&account->rng, household_weights, 4)];
  return business[demo_rng_weighted (&account->rng, business_weights, 3)];
}

static double
capacity_kw (DemoAccount *account)
{
  static const double household[] = { 5, 7, 10, 15, 15, 15 };
  DemoRng *rng = &account->rng;

  if (account->household)
    return account->private_house ? 15 : DEMO_PICK (rng, household);
  /* Halves of a kilowatt: exact in binary, so they print as written. */
  if (strcmp (account->category, "high_capacity") == 0)
    return (double)demo_rng_range (rng, 670, 6000);
  if (strcmp (account->category, "religious") == 0)
    return (double)demo_rng_range (rng, 20, 160) / 2;
  /* Others stay below the office threshold, or they would be high_capacity. */
  return (double)demo_rng_range (rng, 30, 1200) / 2;
}

static gint64
balance_kop (DemoAccount *account)
{
  static const guint weights[] = { 70, 18, 4, 8 };
  DemoRng *rng = &account->rng;
  gint64 scale = account->household ? 1 : 12;

  switch (demo_rng_weighted (rng, weights, G_N_ELEMENTS (weights)))
    {
      case 0: /* settled, give or take a bill */
        return demo_rng_range (rng, -45000, 25000) * scale;
      case 1: /* a month or two behind */
        return -demo_rng_range (rng, 50000, 1500000) * scale;
      case 2: /* a serious debt, a candidate for a restriction notice */
        return -demo_rng_range (rng, 1500000, 12000000) * scale;
      default: /* paid ahead */
        return demo_rng_range (rng, 50000, 600000) * scale;
    }
}

static void
emit_account (OknoDemo *demo, guint index)
{
  DemoAccount account;
  char hint[64], email[96], inn[16];
  gboolean has_email;

  account_facts (demo, index, &account);
  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_ACCOUNT, index);
  put_number (demo, &account, index);
  demo_put_static (demo, "kind", account.kind);
  put_holder (demo, &account, hint, sizeof hint);
  if (account.household)
    demo_put_null (demo, "inn");
  else
    {
      demo_inn (&account.rng, strcmp (account.kind, "sole_trader") == 0, inn);
      demo_put_text (demo, "inn", inn);
    }
  demo_put_text (demo, "address", account.address.text);
  put_phones (demo, &account);
  has_email = demo_rng_chance (&account.rng, account.household ? 0.35 : 0.9);
  if (has_email)
    demo_email (&account.rng, hint, email, sizeof email);
  demo_put_text (demo, "email", has_email ? email : NULL);
  demo_put_static (demo, "answer_channel", answer_channel (&account, has_email));
  demo_put_real (demo, "capacity_kw", capacity_kw (&account));
  demo_put_static (demo, "special_category", account.category);
  demo_put_int (demo, "balance_kop", balance_kop (&account));
  demo_put_uuid (demo, "branch_id", DEMO_BRANCH, account.branch);
  demo_put_timestamp (demo, "updated_at",
                      demo->now - demo_rng_range (&account.rng, 0, 365 * 86400));
  demo_put_int (demo, "version", 1);
}

gboolean
demo_emit_accounts (OknoDemo *demo, GError **error)
{
  demo_collection_begin (demo, "accounts");
  for (guint i = 0; i < demo->options.accounts; i++)
    {
      emit_account (demo, i);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return demo_collection_end (demo, error);
}

/* --- meters ---------------------------------------------------------------- */

struct _MeterModel
{
  const char *name;
  guint interval_years;      /* between verifications */
  const char *serial_prefix; /* before eight digits */
  gboolean smart;            /* sends its readings by itself every month */
};

static const MeterModel single_zone[] = {
  { "Меркурий 201.8", 16, "", FALSE },
  { "Меркурий 201.5", 16, "", FALSE },
  { "Энергомера CE101", 16, "0113", FALSE },
  { "Нева 103", 16, "", FALSE },
};
static const MeterModel multi_zone[] = {
  { "Нева МТ 114", 16, "", FALSE },           { "Меркурий 200.04", 16, "", FALSE },
  { "Энергомера CE102M", 16, "0095", FALSE }, { "Меркурий 206 PRNO", 16, "", FALSE },
  { "Миртек-12-РУ", 16, "1", TRUE },          { "Матрица NP71L", 16, "", TRUE },
};
static const MeterModel three_phase[] = {
  { "Меркурий 230 ART", 10, "", FALSE },
  { "Энергомера CE301", 10, "0087", FALSE },
  { "Меркурий 234 ARTM", 16, "", TRUE },
  { "Нева МТ 314", 16, "", FALSE },
};

static const MeterModel *
pick_model (DemoRng *rng, const DemoAccount *account, guint zones)
{
  if (!account->household)
    return &DEMO_PICK (rng, three_phase);
  if (zones == 1)
    return &DEMO_PICK (rng, single_zone);
  return &DEMO_PICK (rng, multi_zone);
}

static guint
choose_zones (DemoRng *rng, gboolean household)
{
  static const guint household_weights[] = { 60, 35, 5 };
  static const guint business_weights[] = { 40, 20, 40 };

  return 1 + demo_rng_weighted (rng, household ? household_weights : business_weights, 3);
}

static const char *
meter_location (DemoRng *rng, const DemoAccount *account)
{
  static const char *const flat[] = { "Этажный щит", "Лестничная площадка", "В квартире" };
  static const char *const house[] = { "Фасад дома", "Опора ВЛ-0,4 кВ", "Щит на участке" };
  static const char *const building[] = { "ВРУ-0,4 кВ", "Электрощитовая", "ТП, РУ-0,4 кВ", "ГРЩ" };

  if (demo_rng_chance (rng, 0.08))
    return NULL;
  if (!account->household)
    return DEMO_PICK (rng, building);
  return account->private_house ? DEMO_PICK (rng, house) : DEMO_PICK (rng, flat);
}

static int
add_years (int day, guint years)
{
  int y, m, d;

  demo_civil_from_days (day, &y, &m, &d);
  if (m == 2 && d == 29)
    d = 28;
  return demo_days_from_civil (y + (int)years, m, d);
}

static void
meter_facts (OknoDemo *demo, guint index, guint m, guint64 counter, const DemoAccount *account,
             DemoMeter *meter)
{
  DemoRng rng;

  demo_rng_init (demo, &rng, DEMO_METER, ((guint64)index << 2) | m);
  meter->zones = choose_zones (&rng, account->household);
  meter->model = pick_model (&rng, account, meter->zones);
  meter->installed_on = demo->today - (int)demo_rng_range (&rng, 90, 18 * 365);
  /* Verification is due a whole number of years after installation; the
   * oldest meters are overdue, as in life. */
  meter->verification_due = add_years (meter->installed_on, meter->model->interval_years);
  if (demo_rng_chance (&rng, 0.06))
    meter->installed_on = G_MININT;
  meter->location = meter_location (&rng, account);
  meter->serial = (counter * 2654435761u + demo->key) % 100000000;
}

static gboolean
emit_meter (OknoDemo *demo, guint64 counter, guint64 account, const DemoMeter *meter,
            GError **error)
{
  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_METER, counter);
  demo_put_uuid (demo, "account_id", DEMO_ACCOUNT, account);
  demo_put_printf (demo, "serial", "%s%08" G_GUINT64_FORMAT, meter->model->serial_prefix,
                   meter->serial);
  demo_put_static (demo, "model", meter->model->name);
  demo_put_int (demo, "zones", meter->zones);
  demo_put_static (demo, "location", meter->location);
  if (meter->installed_on == G_MININT)
    demo_put_null (demo, "installed_on");
  else
    demo_put_date (demo, "installed_on", meter->installed_on);
  demo_put_date (demo, "verification_due", meter->verification_due);
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

gboolean
demo_emit_meters (OknoDemo *demo, GError **error)
{
  guint64 counter = 0;

  demo_collection_begin (demo, "meters");
  for (guint i = 0; i < demo->options.accounts; i++)
    {
      DemoAccount account;

      account_facts (demo, i, &account);
      for (guint m = 0; m < account.n_meters; m++, counter++)
        {
          DemoMeter meter;

          meter_facts (demo, i, m, counter, &account, &meter);
          if (!emit_meter (demo, counter, i, &meter, error))
            return FALSE;
        }
    }
  return demo_collection_end (demo, error);
}

/* --- readings ---------------------------------------------------------------- */

/* Ekaterinburg uses more light and heat in winter. */
static const double season[12]
  = { 1.25, 1.15, 1.05, 0.95, 0.85, 0.8, 0.8, 0.85, 0.9, 1.0, 1.15, 1.3 };
/* Shares of the day, night and (for three zones) semi-peak registers. */
static const double zone_share[3][3] = { { 1, 0, 0 }, { 0.7, 0.3, 0 }, { 0.35, 0.3, 0.35 } };

typedef struct
{
  guint64 reading_counter;
  guint64 meter_counter;
  gint64 t[3];
} ReadingState;

/* The first day of the month `back` months before the month of `day`. */
static int
month_start (int day, guint back, int *month_index)
{
  int y, m, d;

  demo_civil_from_days (day, &y, &m, &d);
  m -= (int)back;
  while (m < 1)
    {
      m += 12;
      y--;
    }
  *month_index = m - 1;
  return demo_days_from_civil (y, m, 1);
}

static const char *
reading_source (DemoRng *rng, const DemoAccount *account, const DemoMeter *meter)
{
  static const char *const sources[]
    = { "counter", "phone", "web_account", "terminal", "controller" };
  static const guint household_weights[] = { 15, 10, 45, 8, 12 };
  static const guint business_weights[] = { 10, 5, 60, 0, 25 };

  if (meter->model->smart)
    return "smart_meter";
  return sources[demo_rng_weighted (rng, account->household ? household_weights : business_weights,
                                    G_N_ELEMENTS (sources))];
}

static gint64
accepted_at (OknoDemo *demo, DemoRng *rng, int taken_on)
{
  gint64 at = demo_local_time (taken_on + (int)demo_rng_range (rng, 0, 2),
                               (int)demo_rng_range (rng, 8, 19), (int)demo_rng_range (rng, 0, 59));

  return MIN (at, demo->now - demo_rng_range (rng, 60, 3600));
}

static gboolean
emit_reading (OknoDemo *demo, DemoRng *rng, ReadingState *state, const DemoAccount *account,
              const DemoMeter *meter, int taken_on, GError **error)
{
  const char *source = reading_source (rng, account, meter);
  static const char *const zones[] = { "t1", "t2", "t3" };

  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_READING, state->reading_counter++);
  demo_put_uuid (demo, "meter_id", DEMO_METER, state->meter_counter);
  demo_put_date (demo, "taken_on", taken_on);
  for (guint z = 0; z < 3; z++)
    {
      if (z < meter->zones)
        demo_put_int (demo, zones[z], state->t[z]);
      else
        demo_put_null (demo, zones[z]);
    }
  demo_put_static (demo, "source", source);
  demo_put_timestamp (demo, "accepted_at", accepted_at (demo, rng, taken_on));
  if (strcmp (source, "counter") == 0)
    demo_put_uuid (demo, "staff_id", DEMO_STAFF, demo_pick_clerk (demo, rng, account->branch));
  else
    demo_put_null (demo, "staff_id");
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

static gboolean
emit_meter_history (OknoDemo *demo, ReadingState *state, guint index, guint m,
                    const DemoAccount *account, const DemoMeter *meter, GError **error)
{
  DemoRng rng;
  double report = meter->model->smart ? 1.0 : account->household ? 0.75 : 0.97;

  demo_rng_init (demo, &rng, DEMO_READING, ((guint64)index << 2) | m);
  for (guint z = 0; z < meter->zones; z++)
    state->t[z] = demo_rng_range (&rng, 200, account->household ? 40000 : 900000);
  for (guint back = account->months; back > 0; back--)
    {
      int month;
      int first = month_start (demo->today, back - 1, &month);
      int taken_on = first + (int)demo_rng_range (&rng, 14, 24);
      double kwh = account->kwh * season[month] * (0.8 + 0.4 * demo_rng_double (&rng));

      /* The meter counts whether or not anyone reports it. */
      for (guint z = 0; z < meter->zones; z++)
        state->t[z] += 1 + (gint64)(kwh * zone_share[meter->zones - 1][z]);
      if (taken_on > demo->today || !demo_rng_chance (&rng, report))
        continue;
      if (!emit_reading (demo, &rng, state, account, meter, taken_on, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
demo_emit_readings (OknoDemo *demo, GError **error)
{
  ReadingState state = { 0 };

  demo_collection_begin (demo, "readings");
  for (guint i = 0; i < demo->options.accounts; i++)
    {
      DemoAccount account;

      account_facts (demo, i, &account);
      for (guint m = 0; m < account.n_meters; m++, state.meter_counter++)
        {
          DemoMeter meter;

          meter_facts (demo, i, m, state.meter_counter, &account, &meter);
          if (!emit_meter_history (demo, &state, i, m, &account, &meter, error))
            return FALSE;
        }
    }
  return demo_collection_end (demo, error);
}

/* --- payments ------------------------------------------------------------------ */

typedef struct
{
  const char *method;
  gboolean at_counter;
} PaymentWay;

static PaymentWay
payment_way (DemoRng *rng, const DemoAccount *account)
{
  static const char *const methods[] = { "cash", "card", "bank_transfer", "terminal" };
  static const guint household_weights[] = { 25, 40, 20, 15 };
  static const guint business_weights[] = { 0, 10, 90, 0 };
  PaymentWay way;

  way.method = methods[demo_rng_weighted (
    rng, account->household ? household_weights : business_weights, G_N_ELEMENTS (methods))];
  way.at_counter = strcmp (way.method, "cash") == 0
                   || (strcmp (way.method, "card") == 0 && demo_rng_chance (rng, 0.4));
  return way;
}

static void
put_receipt (OknoDemo *demo, DemoRng *rng, PaymentWay way, const DemoAccount *account, int day)
{
  int y, m, d;

  demo_civil_from_days (day, &y, &m, &d);
  if (way.at_counter)
    demo_put_printf (demo, "receipt", "Кассовый чек № %06u",
                     (guint)demo_rng_range (rng, 1, 999999));
  else if (strcmp (way.method, "terminal") == 0)
    demo_put_printf (demo, "receipt", "Терминал ТП-%02u, чек № %06u",
                     (guint)demo_rng_range (rng, 1, 12), (guint)demo_rng_range (rng, 1, 999999));
  else if (strcmp (way.method, "bank_transfer") == 0 && !account->household)
    demo_put_printf (demo, "receipt", "Платёжное поручение № %u от %02d.%02d.%04d",
                     (guint)demo_rng_range (rng, 1, 9999), d, m, y);
  else if (strcmp (way.method, "bank_transfer") == 0)
    demo_put_printf (demo, "receipt", "Операция № %010u",
                     (guint)demo_rng_range (rng, 1, 999999999));
  else
    demo_put_null (demo, "receipt");
}

static gint64
payment_amount (DemoRng *rng, const DemoAccount *account, int month)
{
  /* Roughly the Sverdlovsk region's tariffs, in kopecks per kWh. */
  double tariff = account->household ? 587 : 845;
  double amount = account->kwh * season[month] * tariff * (0.85 + 0.35 * demo_rng_double (rng));

  if (account->household && demo_rng_chance (rng, 0.5))
    return MAX (1000, (gint64)(amount / 1000) * 1000); /* a round number of rubles */
  return MAX (100, (gint64)amount);
}

static gboolean
emit_payment (OknoDemo *demo, DemoRng *rng, guint64 counter, guint index,
              const DemoAccount *account, int month, int day, GError **error)
{
  PaymentWay way = payment_way (rng, account);
  gint64 at
    = demo_local_time (day, (int)demo_rng_range (rng, 8, 20), (int)demo_rng_range (rng, 0, 59));

  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_PAYMENT, counter);
  demo_put_uuid (demo, "account_id", DEMO_ACCOUNT, index);
  demo_put_int (demo, "amount_kop", payment_amount (rng, account, month));
  demo_put_timestamp (demo, "paid_at", MIN (at, demo->now - demo_rng_range (rng, 60, 7200)));
  demo_put_static (demo, "method", way.method);
  if (way.at_counter || strcmp (way.method, "terminal") == 0)
    demo_put_uuid (demo, "branch_id", DEMO_BRANCH, account->branch);
  else
    demo_put_null (demo, "branch_id");
  put_receipt (demo, rng, way, account, day);
  if (way.at_counter)
    demo_put_uuid (demo, "staff_id", DEMO_STAFF, demo_pick_clerk (demo, rng, account->branch));
  else
    demo_put_null (demo, "staff_id");
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

gboolean
demo_emit_payments (OknoDemo *demo, GError **error)
{
  guint64 counter = 0;

  demo_collection_begin (demo, "payments");
  for (guint i = 0; i < demo->options.accounts; i++)
    {
      DemoAccount account;
      DemoRng rng;
      double pays;

      account_facts (demo, i, &account);
      pays = account.household ? 0.7 : 0.92;
      demo_rng_init (demo, &rng, DEMO_PAYMENT, i);
      /* The counter needs the last few payments, not the whole history. */
      for (guint back = (guint)demo_rng_range (&rng, 3, 6); back > 0; back--)
        {
          int month;
          int day = month_start (demo->today, back - 1, &month) + (int)demo_rng_range (&rng, 0, 27);

          if (day > demo->today || !demo_rng_chance (&rng, pays))
            continue;
          if (!emit_payment (demo, &rng, counter++, i, &account, month, day, error))
            return FALSE;
        }
    }
  return demo_collection_end (demo, error);
}
