/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-calendar.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-collection.h"
#include "okno-core-error.h"

/* The calendar file compiled into the library (build-aux/embed-text.py). */
extern const char okno_calendar_shipped_data[];

struct _OknoCalendar
{
  GObject parent_instance;
  GHashTable *days;  /* julian day -> GINT_TO_POINTER (index in okno_calendar_day_kinds + 1) */
  GHashTable *notes; /* julian day -> note */
  char *version;
  char *fingerprint; /* NULL until asked for, and after a change */
  guint first_year, last_year;
};

G_DEFINE_FINAL_TYPE (OknoCalendar, okno_calendar, G_TYPE_OBJECT)

static void
okno_calendar_finalize (GObject *object)
{
  OknoCalendar *self = OKNO_CALENDAR (object);

  g_hash_table_unref (self->days);
  g_hash_table_unref (self->notes);
  g_free (self->version);
  g_free (self->fingerprint);
  G_OBJECT_CLASS (okno_calendar_parent_class)->finalize (object);
}

static void
okno_calendar_class_init (OknoCalendarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_calendar_finalize;
}

static void
okno_calendar_init (OknoCalendar *self)
{
  self->days = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->notes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

OknoCalendar *
okno_calendar_new (void)
{
  return g_object_new (OKNO_TYPE_CALENDAR, NULL);
}

static gboolean
parse_day (const char *iso_date, GDate *date, GError **error)
{
  if (!okno_text_is_date (iso_date))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a calendar date"), iso_date ? iso_date : "");
      return FALSE;
    }
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)g_ascii_strtoull (iso_date + 8, NULL, 10),
                  (GDateMonth)g_ascii_strtoull (iso_date + 5, NULL, 10),
                  (GDateYear)g_ascii_strtoull (iso_date, NULL, 10));
  return TRUE;
}

static int
kind_index (const char *kind)
{
  for (int i = 0; kind != NULL && okno_calendar_day_kinds[i] != NULL; i++)
    if (g_str_equal (okno_calendar_day_kinds[i], kind))
      return i;
  return -1;
}

static gboolean
set_day (OknoCalendar *self, const char *iso_date, const char *kind, const char *note,
         GError **error)
{
  GDate date;
  int index = kind_index (kind);
  gpointer key;

  if (!parse_day (iso_date, &date, error))
    return FALSE;
  if (index < 0)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a kind of calendar day"), kind ? kind : "");
      return FALSE;
    }
  key = GUINT_TO_POINTER (g_date_get_julian (&date));
  g_hash_table_insert (self->days, key, GINT_TO_POINTER (index + 1));
  g_clear_pointer (&self->fingerprint, g_free);
  if (note != NULL && *note != '\0')
    g_hash_table_insert (self->notes, key, g_strdup (note));
  else
    g_hash_table_remove (self->notes, key);
  return TRUE;
}

gboolean
okno_calendar_set_day (OknoCalendar *self, const char *iso_date, const char *kind, GError **error)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);

  return set_day (self, iso_date, kind, NULL, error);
}

static gboolean
bad_file (GError **error, const char *what)
{
  g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
               _ ("The production calendar file is not valid: %s"), what);
  return FALSE;
}

static gboolean
load_days (OknoCalendar *self, GKeyFile *file, GError **error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (file, "Days", NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (file, "Days", keys[i], NULL);
      g_auto (GStrv) parts = g_strsplit (value ? value : "", ";", 2);

      if (!set_day (self, keys[i], parts[0], parts[0] ? parts[1] : NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
okno_calendar_load_data (OknoCalendar *self, const char *data, gssize length, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  g_autofree char *version = NULL;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!g_key_file_load_from_data (file, data, length < 0 ? strlen (data) : (gsize)length,
                                  G_KEY_FILE_NONE, &local))
    return bad_file (error, local->message);
  version = g_key_file_get_string (file, "Calendar", "Version", NULL);
  if (version == NULL || *version == '\0')
    return bad_file (error, _ ("it names no version"));
  if (!g_key_file_has_group (file, "Days"))
    return bad_file (error, _ ("it has no days"));
  okno_calendar_set_version (self, version);
  self->first_year = (guint)g_key_file_get_uint64 (file, "Calendar", "FirstYear", NULL);
  self->last_year = (guint)g_key_file_get_uint64 (file, "Calendar", "LastYear", NULL);
  return load_days (self, file, error);
}

OknoCalendar *
okno_calendar_new_shipped (void)
{
  g_autoptr (OknoCalendar) self = okno_calendar_new ();
  g_autoptr (GError) error = NULL;

  /* The file is part of the build, and test-core reads it: failing here is
   * a broken build, not bad input. */
  if (!okno_calendar_load_data (self, okno_calendar_shipped_data, -1, &error))
    g_error ("The shipped production calendar: %s", error->message);
  return g_steal_pointer (&self);
}

static const char *
default_kind (const GDate *date)
{
  GDateWeekday wd = g_date_get_weekday (date);

  return wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY ? "weekend" : "working";
}

static int
lookup (OknoCalendar *self, const GDate *date)
{
  return GPOINTER_TO_INT (
           g_hash_table_lookup (self->days, GUINT_TO_POINTER (g_date_get_julian (date))))
         - 1;
}

const char *
okno_calendar_get_day_kind (OknoCalendar *self, const GDate *date)
{
  int index;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if ((index = lookup (self, date)) >= 0)
    return okno_calendar_day_kinds[index];
  return default_kind (date);
}

gboolean
okno_calendar_is_working_day (OknoCalendar *self, const GDate *date)
{
  const char *kind = okno_calendar_get_day_kind (self, date);

  return g_strcmp0 (kind, "working") == 0 || g_strcmp0 (kind, "short") == 0;
}

gboolean
okno_calendar_is_short_day (OknoCalendar *self, const GDate *date)
{
  return g_strcmp0 (okno_calendar_get_day_kind (self, date), "short") == 0;
}

const char *
okno_calendar_get_day_note (OknoCalendar *self, const GDate *date)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  return g_hash_table_lookup (self->notes, GUINT_TO_POINTER (g_date_get_julian (date)));
}

const char *
okno_calendar_get_version (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  return self->version;
}

void
okno_calendar_set_version (OknoCalendar *self, const char *version)
{
  g_return_if_fail (OKNO_IS_CALENDAR (self));

  g_free (self->version);
  self->version = g_strdup (version);
}

static int
compare_julian (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;

  return x < y ? -1 : x > y;
}

const char *
okno_calendar_get_fingerprint (OknoCalendar *self)
{
  g_autoptr (GChecksum) sum = NULL;
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), NULL);

  if (self->fingerprint != NULL)
    return self->fingerprint;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_hash_table_iter_init (&iter, self->days);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint julian = GPOINTER_TO_UINT (key);

      g_array_append_val (days, julian);
    }
  g_array_sort (days, compare_julian);
  for (guint i = 0; i < days->len; i++)
    {
      guint julian = g_array_index (days, guint, i);
      GDate date;
      char line[32];
      int index = GPOINTER_TO_INT (g_hash_table_lookup (self->days, GUINT_TO_POINTER (julian))) - 1;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, julian);
      /* A day named as the five-day week has it counts as one not named:
       * the replica holds every day, the shipped file only the others. */
      if (g_str_equal (okno_calendar_day_kinds[index], default_kind (&date)))
        continue;
      g_snprintf (line, sizeof line, "%04u-%02u-%02u=%s\n", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date), okno_calendar_day_kinds[index]);
      g_checksum_update (sum, (const guchar *)line, -1);
    }
  self->fingerprint = g_strdup_printf ("sha256:%.16s", g_checksum_get_string (sum));
  return self->fingerprint;
}

guint
okno_calendar_get_n_days (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), 0);

  return g_hash_table_size (self->days);
}

guint
okno_calendar_get_first_year (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), 0);

  return self->first_year;
}

guint
okno_calendar_get_last_year (OknoCalendar *self)
{
  g_return_val_if_fail (OKNO_IS_CALENDAR (self), 0);

  return self->last_year;
}

void
okno_calendar_add_working_days (OknoCalendar *self, const GDate *start, guint n, GDate *out)
{
  *out = *start;
  while (n > 0)
    {
      g_date_add_days (out, 1);
      if (okno_calendar_is_working_day (self, out))
        n--;
    }
}

guint
okno_calendar_working_days_between (OknoCalendar *self, const GDate *from, const GDate *to)
{
  GDate d = *from;
  guint n = 0;

  while (g_date_compare (&d, to) < 0)
    {
      g_date_add_days (&d, 1);
      if (okno_calendar_is_working_day (self, &d))
        n++;
    }
  return n;
}
