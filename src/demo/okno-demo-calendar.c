/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Russian production calendar for 2025-2027: public holidays (Labour
 * Code, art. 112), days off moved by the Government's decrees and the
 * shortened days before holidays. Replicas get it as data because it
 * changes every year. */

#include "okno-demo-private.h"

#include <string.h>

#define NEW_YEAR  "Новогодние каникулы"
#define CHRISTMAS "Рождество Христово"
#define DEFENDER  "День защитника Отечества"
#define WOMEN     "Международный женский день"
#define LABOUR    "Праздник Весны и Труда"
#define VICTORY   "День Победы"
#define RUSSIA    "День России"
#define UNITY     "День народного единства"
#define SHORT     "Предпраздничный день, сокращён на один час"

/* Days that differ from the five-day week. 2025: decree of 04.10.2024
 * No. 1335; 2026: decree of 24.09.2025 No. 1466; 2027: the holidays and
 * the moves art. 112 makes by itself, with the January days placed as the
 * published draft proposes, until the decree is adopted. */
static const struct
{
  int year;
  int month;
  int day;
  const char *kind;
  const char *note;
} exceptions[] = {
  { 2025, 1, 1, "holiday", NEW_YEAR },
  { 2025, 1, 2, "holiday", NEW_YEAR },
  { 2025, 1, 3, "holiday", NEW_YEAR },
  { 2025, 1, 4, "holiday", NEW_YEAR },
  { 2025, 1, 5, "holiday", NEW_YEAR },
  { 2025, 1, 6, "holiday", NEW_YEAR },
  { 2025, 1, 7, "holiday", CHRISTMAS },
  { 2025, 1, 8, "holiday", NEW_YEAR },
  { 2025, 2, 23, "holiday", DEFENDER },
  { 2025, 3, 7, "short", SHORT },
  { 2025, 3, 8, "holiday", WOMEN },
  { 2025, 4, 30, "short", SHORT },
  { 2025, 5, 1, "holiday", LABOUR },
  { 2025, 5, 2, "weekend", "Выходной перенесён с субботы 4 января" },
  { 2025, 5, 8, "weekend", "Выходной перенесён с воскресенья 23 февраля" },
  { 2025, 5, 9, "holiday", VICTORY },
  { 2025, 6, 11, "short", SHORT },
  { 2025, 6, 12, "holiday", RUSSIA },
  { 2025, 6, 13, "weekend", "Выходной перенесён с субботы 8 марта" },
  { 2025, 11, 1, "short", "Рабочая суббота (выходной перенесён на 3 ноября), сокращённый день" },
  { 2025, 11, 3, "weekend", "Выходной перенесён с субботы 1 ноября" },
  { 2025, 11, 4, "holiday", UNITY },
  { 2025, 12, 31, "weekend", "Выходной перенесён с воскресенья 5 января" },

  { 2026, 1, 1, "holiday", NEW_YEAR },
  { 2026, 1, 2, "holiday", NEW_YEAR },
  { 2026, 1, 3, "holiday", NEW_YEAR },
  { 2026, 1, 4, "holiday", NEW_YEAR },
  { 2026, 1, 5, "holiday", NEW_YEAR },
  { 2026, 1, 6, "holiday", NEW_YEAR },
  { 2026, 1, 7, "holiday", CHRISTMAS },
  { 2026, 1, 8, "holiday", NEW_YEAR },
  { 2026, 1, 9, "weekend", "Выходной перенесён с субботы 3 января" },
  { 2026, 2, 23, "holiday", DEFENDER },
  { 2026, 3, 8, "holiday", WOMEN },
  { 2026, 3, 9, "weekend", "Выходной перенесён с воскресенья 8 марта" },
  { 2026, 4, 30, "short", SHORT },
  { 2026, 5, 1, "holiday", LABOUR },
  { 2026, 5, 8, "short", SHORT },
  { 2026, 5, 9, "holiday", VICTORY },
  { 2026, 5, 11, "weekend", "Выходной перенесён с субботы 9 мая" },
  { 2026, 6, 11, "short", SHORT },
  { 2026, 6, 12, "holiday", RUSSIA },
  { 2026, 11, 3, "short", SHORT },
  { 2026, 11, 4, "holiday", UNITY },
  { 2026, 12, 31, "weekend", "Выходной перенесён с воскресенья 4 января" },

  { 2027, 1, 1, "holiday", NEW_YEAR },
  { 2027, 1, 2, "holiday", NEW_YEAR },
  { 2027, 1, 3, "holiday", NEW_YEAR },
  { 2027, 1, 4, "holiday", NEW_YEAR },
  { 2027, 1, 5, "holiday", NEW_YEAR },
  { 2027, 1, 6, "holiday", NEW_YEAR },
  { 2027, 1, 7, "holiday", CHRISTMAS },
  { 2027, 1, 8, "holiday", NEW_YEAR },
  { 2027, 2, 22, "short", SHORT },
  { 2027, 2, 23, "holiday", DEFENDER },
  { 2027, 3, 8, "holiday", WOMEN },
  { 2027, 4, 30, "short", SHORT },
  { 2027, 5, 1, "holiday", LABOUR },
  { 2027, 5, 3, "weekend", "Выходной перенесён с субботы 1 мая" },
  { 2027, 5, 9, "holiday", VICTORY },
  { 2027, 5, 10, "weekend", "Выходной перенесён с воскресенья 9 мая" },
  { 2027, 6, 11, "short", SHORT },
  { 2027, 6, 12, "holiday", RUSSIA },
  { 2027, 6, 14, "weekend", "Выходной перенесён с субботы 12 июня" },
  { 2027, 11, 3, "short", SHORT },
  { 2027, 11, 4, "holiday", UNITY },
  { 2027, 11, 5, "weekend", "Выходной перенесён с субботы 2 января (проект постановления)" },
  { 2027, 12, 31, "weekend", "Выходной перенесён с воскресенья 3 января (проект постановления)" },
};

const char *
demo_calendar_day (int day, const char **note)
{
  int y, m, d;

  demo_civil_from_days (day, &y, &m, &d);
  for (guint i = 0; i < G_N_ELEMENTS (exceptions); i++)
    if (exceptions[i].year == y && exceptions[i].month == m && exceptions[i].day == d)
      {
        if (note)
          *note = exceptions[i].note;
        return exceptions[i].kind;
      }
  if (note)
    *note = NULL;
  return demo_weekday (day) >= 5 ? "weekend" : "working";
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
  int first = demo_days_from_civil (DEMO_CALENDAR_FIRST_YEAR, 1, 1);
  int last = demo_days_from_civil (DEMO_CALENDAR_LAST_YEAR, 12, 31);

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
