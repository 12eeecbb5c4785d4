/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-calendar.h"

G_BEGIN_DECLS

/* The terms of the Standard as policy data, and how a term is counted on
 * the production calendar in the branch's time zone (docs/appeals.md). */

/* A branch's zone when its settings name none (policy branch_time_zone). */
#define OKNO_BRANCH_TIME_ZONE "Asia/Yekaterinburg"
/* The share of a term after which its clock warns (policy
 * deadline_warning_percent). */
#define OKNO_DEADLINE_WARNING_PERCENT 80

typedef enum
{
  OKNO_TERM_WORKING_DAYS,  /* end of the N-th working day after the local date */
  OKNO_TERM_CALENDAR_DAYS, /* end of local date + N, moved to the next working day (Civil Code
                              art. 193) */
} OknoTermUnit;

typedef enum
{
  OKNO_TERM_AT_MOST,  /* a time to act in: a policy may shorten it, never lengthen it */
  OKNO_TERM_AT_LEAST, /* a notice period: a policy may lengthen it, never shorten it */
} OknoTermBound;

typedef struct
{
  const char *name; /* register, answer, refusal_notice, extension, termination_notice */
  OknoTermUnit unit;
  guint days;             /* the Standard's number, shipped as the default */
  OknoTermBound bound;    /* whether days is a maximum or a minimum */
  const char *policy_key; /* the policy entry that may set another number */
  const char *basis;      /* the legal basis, untranslated (okno_deadline_rule_get_basis) */
} OknoDeadlineRule;

/* NULL-terminated names of the rules, for choices and --help. */
extern const char *const okno_deadline_rules[];

/* The rule, or NULL with an error naming the rules there are. */
const OknoDeadlineRule *okno_deadline_rule_lookup (const char *name, GError **error);
/* Translated. */
const char *okno_deadline_rule_get_label (const OknoDeadlineRule *rule);
const char *okno_deadline_rule_get_basis (const OknoDeadlineRule *rule);
/* "working" or "calendar", the units a term and its time left are in. */
const char *okno_deadline_rule_get_units (const OknoDeadlineRule *rule);

/* The number of days a policy text sets for rule ("30"): NULL or empty
 * gives the rule's own; a number that is not one, or beyond the rule's
 * bound, is an error and leaves *days alone. */
gboolean okno_deadline_rule_parse_days (const OknoDeadlineRule *rule, const char *text, guint *days,
                                        GError **error);

/* A branch's time zone by its identifier; NULL or empty gives
 * OKNO_BRANCH_TIME_ZONE. An unknown zone is an error. */
GTimeZone *okno_branch_time_zone_new (const char *identifier, GError **error);

typedef struct
{
  const OknoDeadlineRule *rule;
  guint days;
  GDateTime *from;        /* the moment the term runs from, in the branch's zone */
  GDateTime *due;         /* the last second of the term's last day, in the branch's zone */
  char *calendar_version; /* of the calendar it was counted with: its version, else its
                             fingerprint (okno_calendar_get_fingerprint) */
} OknoDeadline;

/* Counts rule's term of days (0: the rule's own) from the moment from, on
 * calendar, in zone. Changes nothing. */
OknoDeadline *okno_deadline_new (const char *rule, guint days, GDateTime *from, GTimeZone *zone,
                                 OknoCalendar *calendar, GError **error);
void okno_deadline_free (OknoDeadline *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoDeadline, okno_deadline_free)

/* "2025-01-29T23:59:59+05:00": the moment with the branch's offset. */
char *okno_deadline_format (GDateTime *moment);

typedef enum
{
  OKNO_CLOCK_OK,      /* less than the warning share of the term has gone */
  OKNO_CLOCK_WARNING, /* the warning share has gone, the term has not */
  OKNO_CLOCK_OVERDUE, /* the term has passed */
} OknoClockState;

/* "ok", "warning", "overdue": values with labels (okno_choice_label). */
const char *okno_clock_state_to_string (OknoClockState state);

/* Where a term from from to due stands at now. left gets the days left in
 * the rule's units: working days in (today, due day] for a working-day
 * rule, calendar days otherwise; 0 on the due day; after the due day, minus
 * the days it is late. The share of the term is measured in time. */
OknoClockState okno_deadline_clock (const OknoDeadlineRule *rule, GDateTime *from, GDateTime *due,
                                    GDateTime *now, GTimeZone *zone, OknoCalendar *calendar,
                                    guint warning_percent, int *left);

G_END_DECLS
