/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Russian production calendar the demo server serves: the years of the
 * calendar file Okno ships (data/calendar/ru-2024-2027.calendar). Replicas
 * get it as data because it changes every year. */

#include "okno-demo-private.h"

#include "okno-calendar.h"

#include <string.h>

/* The calendar shipped with Okno (data/calendar, read by core), so the
 * demo server serves exactly the days every replica starts from. */
static OknoCalendar *
shipped (void)
{
  static OknoCalendar *calendar;

  if (g_once_init_enter (&calendar))
    g_once_init_leave (&calendar, okno_calendar_new_shipped ());
  return calendar;
}

const char *
demo_calendar_day (int day, const char **note)
{
  int y, m, d;
  GDate date;

  demo_civil_from_days (day, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
  if (note)
    *note = okno_calendar_get_day_note (shipped (), &date);
  return okno_calendar_get_day_kind (shipped (), &date);
}

gboolean
demo_is_working_day (int day)
{
  const char *kind = demo_calendar_day (day, NULL);

  return strcmp (kind, "working") == 0 || strcmp (kind, "short") == 0;
}

int
demo_add_working_days (int day, guint n)
{
  while (n > 0)
    if (demo_is_working_day (++day))
      n--;
  return day;
}

gboolean
demo_emit_calendar (OknoDemo *demo, GError **error)
{
  int first = demo_days_from_civil ((int)okno_calendar_get_first_year (shipped ()), 1, 1);
  int last = demo_days_from_civil ((int)okno_calendar_get_last_year (shipped ()), 12, 31);

  demo_collection_begin (demo, "calendar_days");
  for (int day = first; day <= last; day++)
    {
      const char *note;
      const char *kind = demo_calendar_day (day, &note);

      demo_row_begin (demo);
      demo_put_date (demo, "day", day);
      demo_put_static (demo, "kind", kind);
      demo_put_static (demo, "note", note);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return demo_collection_end (demo, error);
}
