/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* Internals of the demo generator shared by its source files. */

#include "okno-demo.h"

G_BEGIN_DECLS

/* Namespaces of generated identifiers and random streams. */
typedef enum
{
  DEMO_BRANCH,
  DEMO_STAFF,
  DEMO_TOPIC,
  DEMO_WINDOW,
  DEMO_KB,
  DEMO_ACCOUNT,
  DEMO_METER,
  DEMO_READING,
  DEMO_PAYMENT,
  DEMO_APPEAL,
  DEMO_APPEAL_EVENT,
  DEMO_FEEDBACK,
  DEMO_APPOINTMENT,
  DEMO_STAFF_NAME,
  DEMO_APPEAL_TOPIC, /* last: the kinds before it keep their ids */
} DemoKind;

typedef enum
{
  DEMO_BRANCH_CENTRAL,  /* ЦОК Центральный */
  DEMO_BRANCH_URALMASH, /* ЦОК Уралмаш */
  DEMO_BRANCH_OFFICE,   /* the service office for special categories */
  DEMO_N_BRANCHES
} DemoBranch;

/* Ekaterinburg is UTC+5 all year: office hours are converted with this. */
#define DEMO_UTC_OFFSET_HOURS 5

/* A small, fast random stream (splitmix64). Each entity gets its own
 * stream derived from the seed and its index, so a later pass can rebuild
 * an entity's facts without keeping them in memory; seeding a GRand per
 * entity would cost more than generating the entity. */
typedef struct
{
  guint64 state;
} DemoRng;

static inline guint64
demo_mix (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
demo_rng_next (DemoRng *rng)
{
  rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return demo_mix (rng->state);
}

/* Uniform in [0, n). */
static inline guint
demo_rng_below (DemoRng *rng, guint n)
{
  return (guint)(((demo_rng_next (rng) >> 32) * (guint64)n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline gint64
demo_rng_range (DemoRng *rng, gint64 lo, gint64 hi)
{
  return lo + (gint64)(demo_rng_next (rng) % (guint64)(hi - lo + 1));
}

static inline double
demo_rng_double (DemoRng *rng)
{
  return (double)(demo_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static inline gboolean
demo_rng_chance (DemoRng *rng, double p)
{
  return demo_rng_double (rng) < p;
}

#define DEMO_PICK(rng, array) ((array)[demo_rng_below ((rng), G_N_ELEMENTS (array))])

/* Picks an index by integer weights. */
guint demo_rng_weighted (DemoRng *rng, const guint *weights, guint n);

typedef struct
{
  char login[48];
  char full_name[128];
  const char *role;
  DemoBranch branch;
  gboolean active;
} DemoStaff;

typedef struct _OknoDemo OknoDemo;

struct _OknoDemo
{
  OknoDemoOptions options;
  guint64 key; /* expanded from the seed */
  int today;   /* days since 1970-01-01 */
  gint64 now;  /* the data's present, Unix seconds */
  OknoDemoSink sink;
  gpointer sink_data;

  /* The batch being filled. */
  const OknoCollection *collection;
  OknoValue *values;
  guint n_rows;
  guint pos;            /* next field of the current row */
  gboolean check_names; /* until the first row is complete */
  GStringChunk *strings;

  /* Sizes of the satellite collections, derived from options.accounts. */
  guint n_staff;
  guint n_appeals;
  guint n_feedback;
  guint n_appointments;

  DemoStaff *staff; /* n_staff of them */
  /* Staff who serve at the counters of each branch, by staff index. */
  GArray *clerks[DEMO_N_BRANCHES];
  guint supervisor;
};

void demo_rng_init (OknoDemo *demo, DemoRng *rng, DemoKind kind, guint64 index);

/* Lower-case RFC 9562 version 7 layout; ordered by (kind, counter), so
 * every table is filled in key order. out holds 37 bytes. */
void demo_uuid (OknoDemo *demo, DemoKind kind, guint64 counter, char *out);

/* --- writing rows (okno-demo.c) ------------------------------------- */
void demo_collection_begin (OknoDemo *demo, const char *name);
gboolean demo_collection_end (OknoDemo *demo, GError **error);
void demo_row_begin (OknoDemo *demo);
gboolean demo_row_end (OknoDemo *demo, GError **error);

void demo_put_text (OknoDemo *demo, const char *field, const char *text); /* copied; NULL = null */
void demo_put_static (OknoDemo *demo, const char *field, const char *text); /* not copied */
void demo_put_printf (OknoDemo *demo, const char *field, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
void demo_put_null (OknoDemo *demo, const char *field);
void demo_put_int (OknoDemo *demo, const char *field, gint64 value);
void demo_put_real (OknoDemo *demo, const char *field, double value);
void demo_put_bool (OknoDemo *demo, const char *field, gboolean value);
void demo_put_uuid (OknoDemo *demo, const char *field, DemoKind kind, guint64 counter);
void demo_put_date (OknoDemo *demo, const char *field, int day);
void demo_put_timestamp (OknoDemo *demo, const char *field, gint64 unix_time);

/* --- time ------------------------------------------------------------- */
int demo_days_from_civil (int year, int month, int day);
void demo_civil_from_days (int days, int *year, int *month, int *day);
int demo_weekday (int days); /* Monday = 0 */
/* A local (Ekaterinburg) wall-clock time as Unix seconds. */
gint64 demo_local_time (int day, int hour, int minute);
int demo_day_of (gint64 unix_time); /* the local day a moment falls on */

/* --- the production calendar (okno-demo-calendar.c) ------------------ */
/* One of okno_calendar_day_kinds, from the shipped calendar
 * (okno_calendar_new_shipped); note gets a holiday's name or NULL. Days
 * outside the calendar's years follow the five-day week. */
const char *demo_calendar_day (int day, const char **note);
gboolean demo_is_working_day (int day);
int demo_add_working_days (int day, guint n);
gboolean demo_emit_calendar (OknoDemo *demo, GError **error);

/* --- words (okno-demo-words.c) ---------------------------------------- */
typedef struct
{
  char surname[64];
  char first[32];
  char patronymic[40];
  gboolean female;
} DemoPerson;

void demo_person (DemoRng *rng, DemoPerson *person);
/* "Surname First Patronymic", or "Surname F. P." when short is set. */
void demo_person_name (const DemoPerson *person, gboolean short_form, char *out, gsize size);
/* ASCII transliteration of a Russian text, lower-case letters and digits. */
void demo_translit (const char *text, char *out, gsize size);

typedef struct
{
  char text[160];
  guint district; /* DEMO_BRANCH_CENTRAL or DEMO_BRANCH_URALMASH */
} DemoAddress;

void demo_address (DemoRng *rng, gboolean private_house, DemoAddress *address);
void demo_street_address (DemoRng *rng, DemoAddress *address); /* a building without a flat */
void demo_org_name (DemoRng *rng, const char *category, char *out, gsize size);
void demo_inn (DemoRng *rng, gboolean person, char *out);   /* 10 or 12 digits + NUL */
void demo_phone (DemoRng *rng, gboolean mobile, char *out); /* "+7" + 10 digits + NUL */
void demo_email (DemoRng *rng, const char *name_hint, char *out, gsize size);

/* --- the passes ------------------------------------------------------- */
gboolean demo_emit_reference (OknoDemo *demo, const char *collection, GError **error);
/* The index of the appeal topic with code (its DEMO_APPEAL_TOPIC id), or -1. */
int demo_appeal_topic_index (const char *code);
gboolean demo_emit_kb_articles (OknoDemo *demo, GError **error);
gboolean demo_emit_accounts (OknoDemo *demo, GError **error);
gboolean demo_emit_meters (OknoDemo *demo, GError **error);
gboolean demo_emit_readings (OknoDemo *demo, GError **error);
gboolean demo_emit_payments (OknoDemo *demo, GError **error);
gboolean demo_emit_appeals (OknoDemo *demo, GError **error);
gboolean demo_emit_appeal_events (OknoDemo *demo, GError **error);
gboolean demo_emit_feedback (OknoDemo *demo, GError **error);
gboolean demo_emit_appointments (OknoDemo *demo, GError **error);

/* Facts shared between passes (okno-demo-reference.c). */
void demo_staff_init (OknoDemo *demo);
void demo_staff_clear (OknoDemo *demo);
guint demo_pick_clerk (OknoDemo *demo, DemoRng *rng, DemoBranch branch);
const char *demo_topic_code (guint topic);
guint demo_n_topics (void);

G_END_DECLS
