/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OKNO_TYPE_CALENDAR (okno_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OknoCalendar, okno_calendar, OKNO, CALENDAR, GObject)

/* The production calendar: which days are worked. It is data (synced from
 * the server, defaults shipped), never code; a day the data does not name is
 * worked Monday to Friday. */
OknoCalendar *okno_calendar_new (void);

/* kind is one of okno_calendar_day_kinds: working, short, weekend, holiday. */
gboolean okno_calendar_set_day (OknoCalendar *self, const char *iso_date, const char *kind,
                                GError **error);
gboolean okno_calendar_is_working_day (OknoCalendar *self, const GDate *date);

/* The day n working days after start (n >= 1); start itself never counts. */
void okno_calendar_add_working_days (OknoCalendar *self, const GDate *start, guint n, GDate *out);

/* Working days in (from, to]; 0 when to <= from. */
guint okno_calendar_working_days_between (OknoCalendar *self, const GDate *from, const GDate *to);

G_END_DECLS
