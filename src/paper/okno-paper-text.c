/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gi18n-lib.h>

#include "okno-paper-text.h"

/* Not strftime's %B: its genitive depends on the C library's locale data
 * being installed, and a counter computer may lack ru_RU. */
static const char *
month_genitive (int month)
{
  switch (month)
    {
      case 1:
        return C_ ("date in a document", "January");
      case 2:
        return C_ ("date in a document", "February");
      case 3:
        return C_ ("date in a document", "March");
      case 4:
        return C_ ("date in a document", "April");
      case 5:
        return C_ ("date in a document", "May");
      case 6:
        return C_ ("date in a document", "June");
      case 7:
        return C_ ("date in a document", "July");
      case 8:
        return C_ ("date in a document", "August");
      case 9:
        return C_ ("date in a document", "September");
      case 10:
        return C_ ("date in a document", "October");
      case 11:
        return C_ ("date in a document", "November");
      default:
        return C_ ("date in a document", "December");
    }
}

char *
okno_paper_format_date (GDateTime *moment)
{
  g_return_val_if_fail (moment != NULL, NULL);

  /* Translators: a date in a printed document: day, month (the word above),
   * year; Russian "4 декабря 2026 г." */
  return g_strdup_printf (C_ ("date in a document", "%1$s %2$d, %3$d"),
                          month_genitive (g_date_time_get_month (moment)),
                          g_date_time_get_day_of_month (moment), g_date_time_get_year (moment));
}

char *
okno_paper_format_datetime (GDateTime *moment)
{
  g_autofree char *date = okno_paper_format_date (moment);

  /* Translators: a date (as above) and a 24-hour time in a printed document */
  return g_strdup_printf (C_ ("date in a document", "%s, %02d:%02d"), date,
                          g_date_time_get_hour (moment), g_date_time_get_minute (moment));
}
