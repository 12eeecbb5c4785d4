/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text for the counter screen. Numbers use translatable separators, as
 * okno-money.c does, so a Russian UI reads "12 345" even under the C locale. */
char *okno_format_count (gint64 n);
/* "12,345 of 50,000 records" */
char *okno_format_records_progress (gint64 done, gint64 total);
/* "About 2 minutes left"; NULL while the time is unknown (seconds < 0). */
char *okno_format_time_left (double seconds);
/* A YYYY-MM-DD calendar day in the local date format; NULL for NULL or "". */
char *okno_format_date (const char *iso_date);
/* A UTC ISO 8601 timestamp as local date and time; NULL for NULL or "". */
char *okno_format_timestamp (const char *iso_utc);
/* A moment as date and time in its own zone (a deadline in the branch's). */
char *okno_format_date_time (GDateTime *moment);
/* "15.5 kW" */
char *okno_format_capacity (double kw);
/* TRUE when the YYYY-MM-DD day is before today (local calendar). */
gboolean okno_date_is_past (const char *iso_date, GDateTime *now);

G_END_DECLS
