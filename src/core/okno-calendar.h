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

/* The calendar shipped with Okno (data/calendar/ru-2024-2027.calendar,
 * compiled into the library): what a replica counts with before its first
 * download and what okno-central and the demo data start from. */
OknoCalendar *okno_calendar_new_shipped (void);

/* Reads a calendar file (GKeyFile: [Calendar] Version, FirstYear, LastYear;
 * [Days] YYYY-MM-DD=KIND;NOTE) into self. On error self may hold part of
 * the file. */
gboolean okno_calendar_load_data (OknoCalendar *self, const char *data, gssize length,
                                  GError **error);

/* kind is one of okno_calendar_day_kinds: working, short, weekend, holiday. */
gboolean okno_calendar_set_day (OknoCalendar *self, const char *iso_date, const char *kind,
                                GError **error);
gboolean okno_calendar_is_working_day (OknoCalendar *self, const GDate *date);
/* A working day one hour shorter (Labour Code, art. 95); still a whole
 * working day for a term. */
gboolean okno_calendar_is_short_day (OknoCalendar *self, const GDate *date);
/* One of okno_calendar_day_kinds, for any day. */
const char *okno_calendar_get_day_kind (OknoCalendar *self, const GDate *date);
/* Why the day differs from the five-day week ("День Победы"), or NULL. */
const char *okno_calendar_get_day_note (OknoCalendar *self, const GDate *date);

/* Which edition of the data this is: stored with every deadline counted
 * with it, so a calendar update can find the ones to recount. NULL when
 * the data named none. */
const char *okno_calendar_get_version (OknoCalendar *self);
void okno_calendar_set_version (OknoCalendar *self, const char *version);

/* "sha256:" and 16 hex digits of the days and their kinds (not the
 * notes): two calendars that count alike have the same one. What a
 * deadline records when the data named no version (a replica's rows). */
const char *okno_calendar_get_fingerprint (OknoCalendar *self);

/* How many days the data names; 0 for a calendar with no data yet (a
 * replica before its first download). */
guint okno_calendar_get_n_days (OknoCalendar *self);

/* The years the data describes (0 when it does not say); days outside are
 * counted on the five-day week until an update brings them. */
guint okno_calendar_get_first_year (OknoCalendar *self);
guint okno_calendar_get_last_year (OknoCalendar *self);

/* The day n working days after start (n >= 1); start itself never counts. */
void okno_calendar_add_working_days (OknoCalendar *self, const GDate *start, guint n, GDate *out);

/* Working days in (from, to]; 0 when to <= from. */
guint okno_calendar_working_days_between (OknoCalendar *self, const GDate *from, const GDate *to);

G_END_DECLS
