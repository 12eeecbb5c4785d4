/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo generator's driver: options, batches of rows, identifiers and
 * the order of the passes. */

#include "okno-demo-private.h"

#include <stdio.h>
#include <string.h>

/* clang-format would put spaces into the quark's name. */
/* clang-format off */
G_DEFINE_QUARK (okno-demo-error-quark, okno_demo_error)
/* clang-format on */

void
okno_demo_options_init (OknoDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  options->accounts = OKNO_DEMO_DEFAULT_ACCOUNTS;
  options->seed = 1;
  options->today = NULL;
}

guint
demo_rng_weighted (DemoRng *rng, const guint *weights, guint n)
{
  guint total = 0;
  guint pick;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  pick = demo_rng_below (rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (pick < weights[i])
        return i;
      pick -= weights[i];
    }
  return n - 1;
}

void
demo_rng_init (OknoDemo *demo, DemoRng *rng, DemoKind kind, guint64 index)
{
  rng->state = demo_mix (demo->key ^ demo_mix (((guint64)kind << 48) ^ index));
}

static void
put_hex (char *out, guint64 value, guint digits)
{
  static const char hex[] = "0123456789abcdef";

  for (guint i = digits; i > 0; i--)
    {
      out[i - 1] = hex[value & 0xf];
      value >>= 4;
    }
}

void
demo_uuid (OknoDemo *demo, DemoKind kind, guint64 counter, char *out)
{
  /* The 48-bit "timestamp" is the namespace and the counter, so keys
   * increase in the order rows are generated and every insert appends. */
  guint64 stamp = ((guint64)(0x0190 + kind) << 32) | (counter & 0xffffffff);
  guint64 a = demo_mix (demo->key ^ demo_mix (stamp));
  guint64 b = demo_mix (a);

  put_hex (out, stamp >> 16, 8);
  out[8] = '-';
  put_hex (out + 9, stamp & 0xffff, 4);
  out[13] = '-';
  out[14] = '7';
  put_hex (out + 15, a & 0xfff, 3);
  out[18] = '-';
  put_hex (out + 19, 0x8000 | ((a >> 12) & 0x3fff), 4);
  out[23] = '-';
  put_hex (out + 24, b & G_GUINT64_CONSTANT (0xffffffffffff), 12);
  out[36] = '\0';
}

/* --- time ------------------------------------------------------------- */

/* Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's
 * algorithm): cheap enough to call for every generated date. */
int
demo_days_from_civil (int year, int month, int day)
{
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

void
demo_civil_from_days (int days, int *year, int *month, int *day)
{
  int z = days + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (*month <= 2);
}

int
demo_weekday (int days)
{
  /* 1970-01-01 was a Thursday. */
  return ((days % 7) + 7 + 3) % 7;
}

gint64
demo_local_time (int day, int hour, int minute)
{
  return (gint64)day * 86400 + (gint64)(hour - DEMO_UTC_OFFSET_HOURS) * 3600 + minute * 60;
}

int
demo_day_of (gint64 unix_time)
{
  gint64 local = unix_time + DEMO_UTC_OFFSET_HOURS * 3600;

  return (int)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

/* --- rows --------------------------------------------------------------- */

static gboolean
flush (OknoDemo *demo, GError **error)
{
  gboolean ok;

  if (demo->n_rows == 0)
    return TRUE;
  ok = demo->sink (demo->collection, demo->values, demo->n_rows, demo->sink_data, error);
  demo->n_rows = 0;
  g_string_chunk_clear (demo->strings);
  return ok;
}

void
demo_collection_begin (OknoDemo *demo, const char *name)
{
  demo->collection = okno_collection_lookup (name);
  g_assert (demo->collection != NULL);
  g_free (demo->values);
  demo->values = g_new0 (OknoValue, OKNO_DEMO_BATCH_ROWS * demo->collection->n_fields);
  demo->n_rows = 0;
  demo->check_names = TRUE;
}

gboolean
demo_collection_end (OknoDemo *demo, GError **error)
{
  return flush (demo, error);
}

void
demo_row_begin (OknoDemo *demo)
{
  demo->pos = 0;
}

gboolean
demo_row_end (OknoDemo *demo, GError **error)
{
  /* A pass that skips or adds a field is a programming error. */
  if (demo->pos != demo->collection->n_fields)
    g_error ("demo: a row of %s has %u of %u fields", demo->collection->name, demo->pos,
             demo->collection->n_fields);
  demo->check_names = FALSE;
  if (++demo->n_rows == OKNO_DEMO_BATCH_ROWS)
    return flush (demo, error);
  return TRUE;
}

/* The next value of the current row. The names are checked against the
 * descriptor on the first row of each collection; after that the order is
 * known to be right. */
static OknoValue *
next_value (OknoDemo *demo, const char *field)
{
  OknoValue *value;

  if (demo->check_names)
    {
      if (demo->pos >= demo->collection->n_fields
          || strcmp (demo->collection->fields[demo->pos].name, field) != 0)
        g_error ("demo: field %s of %s is out of order", field, demo->collection->name);
    }
  value = &demo->values[demo->n_rows * demo->collection->n_fields + demo->pos++];
  value->is_null = FALSE;
  value->integer = 0;
  value->real = 0;
  value->text = NULL;
  return value;
}

void
demo_put_static (OknoDemo *demo, const char *field, const char *text)
{
  OknoValue *value = next_value (demo, field);

  value->is_null = text == NULL;
  value->text = text;
}

void
demo_put_text (OknoDemo *demo, const char *field, const char *text)
{
  demo_put_static (demo, field, text ? g_string_chunk_insert (demo->strings, text) : NULL);
}

void
demo_put_printf (OknoDemo *demo, const char *field, const char *format, ...)
{
  char buf[512];
  va_list args;
  int len;

  va_start (args, format);
  len = g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  g_assert (len >= 0 && (gsize)len < sizeof buf);
  demo_put_static (demo, field, g_string_chunk_insert_len (demo->strings, buf, len));
}

void
demo_put_null (OknoDemo *demo, const char *field)
{
  next_value (demo, field)->is_null = TRUE;
}

void
demo_put_int (OknoDemo *demo, const char *field, gint64 integer)
{
  next_value (demo, field)->integer = integer;
}

void
demo_put_real (OknoDemo *demo, const char *field, double real)
{
  next_value (demo, field)->real = real;
}

void
demo_put_bool (OknoDemo *demo, const char *field, gboolean boolean)
{
  next_value (demo, field)->integer = boolean ? 1 : 0;
}

void
demo_put_uuid (OknoDemo *demo, const char *field, DemoKind kind, guint64 counter)
{
  char buf[37];

  demo_uuid (demo, kind, counter, buf);
  demo_put_static (demo, field, g_string_chunk_insert_len (demo->strings, buf, 36));
}

static char *
put_digits (char *out, int value, int digits)
{
  for (int i = digits - 1; i >= 0; i--)
    {
      out[i] = (char)('0' + value % 10);
      value /= 10;
    }
  return out + digits;
}

/* YYYY-MM-DD without printf: dates are a large share of all values. */
static char *
format_date (char *out, int day)
{
  int y, m, d;

  demo_civil_from_days (day, &y, &m, &d);
  out = put_digits (out, y, 4);
  *out++ = '-';
  out = put_digits (out, m, 2);
  *out++ = '-';
  return put_digits (out, d, 2);
}

void
demo_put_date (OknoDemo *demo, const char *field, int day)
{
  char buf[16];
  char *end = format_date (buf, day);

  demo_put_static (demo, field, g_string_chunk_insert_len (demo->strings, buf, end - buf));
}

void
demo_put_timestamp (OknoDemo *demo, const char *field, gint64 unix_time)
{
  int days = (int)(unix_time >= 0 ? unix_time / 86400 : (unix_time - 86399) / 86400);
  int secs = (int)(unix_time - (gint64)days * 86400);
  char buf[32];
  char *end = format_date (buf, days);

  *end++ = 'T';
  end = put_digits (end, secs / 3600, 2);
  *end++ = ':';
  end = put_digits (end, secs / 60 % 60, 2);
  *end++ = ':';
  end = put_digits (end, secs % 60, 2);
  *end++ = 'Z';
  demo_put_static (demo, field, g_string_chunk_insert_len (demo->strings, buf, end - buf));
}

/* --- the run -------------------------------------------------------------- */

static gboolean
parse_today (const char *text, int *day, GError **error)
{
  unsigned y, m, d;

  if (!okno_text_is_date (text) || sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3)
    {
      g_set_error (error, OKNO_DEMO_ERROR, OKNO_DEMO_ERROR_INVALID_OPTIONS,
                   "“%s” is not a date (YYYY-MM-DD)", text);
      return FALSE;
    }
  *day = demo_days_from_civil ((int)y, (int)m, (int)d);
  return TRUE;
}

static gboolean
demo_init (OknoDemo *demo, const OknoDemoOptions *options, GError **error)
{
  guint32 seed[2] = { (guint32)options->seed, (guint32)(options->seed >> 32) };
  g_autoptr (GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  guint accounts = options->accounts;

  if (accounts < 1 || accounts > OKNO_DEMO_MAX_ACCOUNTS)
    {
      g_set_error (error, OKNO_DEMO_ERROR, OKNO_DEMO_ERROR_INVALID_OPTIONS,
                   "The number of accounts must be between 1 and %u", OKNO_DEMO_MAX_ACCOUNTS);
      return FALSE;
    }
  demo->options = *options;
  if (!parse_today (options->today ? options->today : OKNO_DEMO_DEFAULT_TODAY, &demo->today, error))
    return FALSE;
  /* The whole dataset hangs off these 64 bits. */
  demo->key = ((guint64)g_rand_int (rand) << 32) | g_rand_int (rand);
  /* Early morning in Ekaterinburg, before any office opens: whenever the
   * server is started on that day, nothing in the data lies ahead. */
  demo->now = demo_local_time (demo->today, 7, 0);
  demo->strings = g_string_chunk_new (64 * 1024);
  demo->n_staff = 5 + CLAMP (accounts / 5000, 6, 60);
  demo->n_appeals = accounts / 33 + 24;
  demo->n_feedback = accounts / 100 + 30;
  demo->n_appointments = accounts / 250 + 30;
  demo_staff_init (demo);
  return TRUE;
}

static void
demo_clear (OknoDemo *demo)
{
  demo_staff_clear (demo);
  g_clear_pointer (&demo->strings, g_string_chunk_free);
  g_clear_pointer (&demo->values, g_free);
}

typedef gboolean (*DemoPass) (OknoDemo *demo, GError **error);

static DemoPass
pass_for (const char *name)
{
  static const struct
  {
    const char *name;
    DemoPass pass;
  } passes[] = {
    { "calendar_days", demo_emit_calendar }, { "kb_articles", demo_emit_kb_articles },
    { "accounts", demo_emit_accounts },      { "meters", demo_emit_meters },
    { "readings", demo_emit_readings },      { "payments", demo_emit_payments },
    { "appeals", demo_emit_appeals },        { "appeal_events", demo_emit_appeal_events },
    { "feedback", demo_emit_feedback },      { "appointments", demo_emit_appointments },
  };

  for (guint i = 0; i < G_N_ELEMENTS (passes); i++)
    if (strcmp (passes[i].name, name) == 0)
      return passes[i].pass;
  return NULL;
}

static gboolean
emit_collection (OknoDemo *demo, const OknoCollection *collection, GError **error)
{
  DemoPass pass = pass_for (collection->name);

  if (pass != NULL)
    return pass (demo, error);
  return demo_emit_reference (demo, collection->name, error);
}

gboolean
okno_demo_generate (const OknoDemoOptions *options, OknoDemoSink sink, gpointer user_data,
                    GError **error)
{
  OknoDemo demo = { 0 };
  const OknoCollection *const *all = okno_collection_all (NULL);
  gboolean ok = TRUE;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  demo.sink = sink;
  demo.sink_data = user_data;
  if (!demo_init (&demo, options, error))
    {
      demo_clear (&demo);
      return FALSE;
    }
  for (guint i = 0; ok && all[i] != NULL; i++)
    ok = emit_collection (&demo, all[i], error);
  demo_clear (&demo);
  return ok;
}
