/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-calendar.h"

#include <glib/gi18n-lib.h>

#include "okno-collection.h"
#include "okno-core-error.h"

struct _OknoCalendar
{
  GObject parent_instance;
  GHashTable *days; /* julian day -> GINT_TO_POINTER (TRUE when worked) */
};

G_DEFINE_FINAL_TYPE (OknoCalendar, okno_calendar, G_TYPE_OBJECT)

static void
okno_calendar_finalize (GObject *object)
{
  OknoCalendar *self = OKNO_CALENDAR (object);

  g_hash_table_unref (self->days);
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
}

OknoCalendar *
okno_calendar_new (void)
{
  return g_object_new (OKNO_TYPE_CALENDAR, NULL);
}

gboolean
okno_calendar_set_day (OknoCalendar *self, const char *iso_date, const char *kind, GError **error)
{
  GDate date;
  gboolean worked;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);

  if (!okno_text_is_date (iso_date))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a calendar date"), iso_date ? iso_date : "");
      return FALSE;
    }
  if (!okno_choice_is_valid (okno_calendar_day_kinds, kind))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a kind of calendar day"), kind ? kind : "");
      return FALSE;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay)g_ascii_strtoull (iso_date + 8, NULL, 10),
                  (GDateMonth)g_ascii_strtoull (iso_date + 5, NULL, 10),
                  (GDateYear)g_ascii_strtoull (iso_date, NULL, 10));
  worked = g_str_equal (kind, "working") || g_str_equal (kind, "short");
  g_hash_table_insert (self->days, GUINT_TO_POINTER (g_date_get_julian (&date)),
                       GINT_TO_POINTER (worked ? 2 : 1));
  return TRUE;
}

gboolean
okno_calendar_is_working_day (OknoCalendar *self, const GDate *date)
{
  gpointer v;
  GDateWeekday wd;

  g_return_val_if_fail (OKNO_IS_CALENDAR (self), FALSE);

  v = g_hash_table_lookup (self->days, GUINT_TO_POINTER (g_date_get_julian (date)));
  if (v != NULL)
    return GPOINTER_TO_INT (v) == 2;
  wd = g_date_get_weekday (date);
  return wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
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
