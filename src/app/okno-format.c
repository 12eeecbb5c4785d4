/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Formatting of counts, dates and estimates for the counter screen. */

#include "okno-format.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *
group_separator (void)
{
  return C_ ("number thousands separator", ",");
}

char *
okno_format_count (gint64 n)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint64 abs_n = n < 0 ? (guint64)(-(n + 1)) + 1 : (guint64)n;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, abs_n);
  gsize len = strlen (digits);

  if (n < 0)
    g_string_append (out, "−");
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group_separator ());
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
okno_format_records_progress (gint64 done, gint64 total)
{
  g_autofree char *d = okno_format_count (done);
  g_autofree char *t = okno_format_count (total);

  /* Translators: "12,345 of 50,000 records" */
  return g_strdup_printf (ngettext ("%s of %s record", "%s of %s records", (gulong)MAX (total, 0)),
                          d, t);
}

char *
okno_format_time_left (double seconds)
{
  guint n;

  if (seconds < 0 || isnan (seconds))
    return NULL;
  if (seconds < 45)
    return g_strdup (_ ("Less than a minute left"));
  if (seconds < 90 * 60)
    {
      n = MAX (1, (guint)lround (seconds / 60));
      return g_strdup_printf (ngettext ("About %u minute left", "About %u minutes left", n), n);
    }
  n = (guint)lround (seconds / 3600);
  return g_strdup_printf (ngettext ("About %u hour left", "About %u hours left", n), n);
}

char *
okno_format_date (const char *iso_date)
{
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d;

  if (iso_date == NULL || *iso_date == '\0')
    return NULL;
  if (sscanf (iso_date, "%4d-%2d-%2d", &y, &m, &d) != 3
      || (dt = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    return g_strdup (iso_date);
  /* Translators: a date in g_date_time_format () notation; %x is the
   * locale's own. Russian may prefer "%d.%m.%Y". */
  /* xgettext:no-c-format */
  return g_date_time_format (dt, _ ("%x"));
}

char *
okno_format_timestamp (const char *iso_utc)
{
  g_autoptr (GTimeZone) utc_zone = g_time_zone_new_utc ();
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (iso_utc == NULL || *iso_utc == '\0')
    return NULL;
  /* A timestamp without a zone is UTC by the collection's rules. */
  utc = g_date_time_new_from_iso8601 (iso_utc, utc_zone);
  if (utc == NULL)
    return g_strdup (iso_utc);
  local = g_date_time_to_local (utc);
  return okno_format_date_time (local);
}

char *
okno_format_date_time (GDateTime *moment)
{
  g_return_val_if_fail (moment != NULL, NULL);

  /* Translators: a date and time in g_date_time_format () notation. */
  /* xgettext:no-c-format */
  return g_date_time_format (moment, _ ("%x %H:%M"));
}

char *
okno_format_capacity (double kw)
{
  gint64 tenths = llround (fabs (kw) * 10);
  g_autofree char *whole = okno_format_count (tenths / 10);
  g_autofree char *number
    = g_strdup_printf ("%s%s%d", whole, C_ ("number decimal separator", "."), (int)(tenths % 10));

  /* Translators: connected capacity in kilowatts, e.g. "15.5 kW" */
  return g_strdup_printf (_ ("%s kW"), number);
}

gboolean
okno_date_is_past (const char *iso_date, GDateTime *now)
{
  g_autofree char *today = NULL;

  if (iso_date == NULL || strlen (iso_date) < 10)
    return FALSE;
  today = g_date_time_format (now, "%Y-%m-%d");
  return strncmp (iso_date, today, 10) < 0;
}
