/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-deadline.h"

#include <glib/gi18n-lib.h>

#include "okno-core-error.h"

/* The Standard's terms (../shared/seed, L155-L156, L222, L259). */
static const OknoDeadlineRule rules[] = {
  { "register", OKNO_TERM_WORKING_DAYS, 1, OKNO_TERM_AT_MOST, "registration_working_days",
    N_ ("Customer Service Standard, 2.2.2: an appeal is registered, classified and handed to a "
        "specialist within 1 working day") },
  { "answer", OKNO_TERM_CALENDAR_DAYS, 30, OKNO_TERM_AT_MOST, "appeal_answer_days",
    N_ ("Customer Service Standard, 2.2.2: an appeal is considered and answered within 30 days, "
        "unless law sets another term; Civil Code, art. 193: a term ending on a day off ends on "
        "the next working day") },
  { "refusal_notice", OKNO_TERM_WORKING_DAYS, 5, OKNO_TERM_AT_MOST, "refusal_notice_working_days",
    N_ ("Customer Service Standard, 2.2.2 (web reception): a question outside the Company's "
        "services is refused with a notice within 5 working days") },
  { "extension", OKNO_TERM_WORKING_DAYS, 20, OKNO_TERM_AT_MOST, "extension_working_days",
    N_ ("Customer Service Standard, 2.2.2 (web reception): the term of an answer is extended, "
        "with notice to the client, by at most 20 working days") },
  { "termination_notice", OKNO_TERM_WORKING_DAYS, 10, OKNO_TERM_AT_LEAST,
    "termination_notice_working_days",
    N_ ("Customer Service Standard, 3.4: the client is notified of unilateral termination of "
        "the contract for non-payment at least 10 working days before") },
};

static const char *const labels[] = {
  N_ ("Registration"),       N_ ("Answer"), N_ ("Refusal notice"), N_ ("Extension"),
  N_ ("Termination notice"),
};

const char *const okno_deadline_rules[]
  = { "register", "answer", "refusal_notice", "extension", "termination_notice", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (rules) == G_N_ELEMENTS (labels));
G_STATIC_ASSERT (G_N_ELEMENTS (rules) + 1 == G_N_ELEMENTS (okno_deadline_rules));

const OknoDeadlineRule *
okno_deadline_rule_lookup (const char *name, GError **error)
{
  g_autofree char *names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (g_strcmp0 (rules[i].name, name) == 0)
      return &rules[i];
  names = g_strjoinv (", ", (char **)okno_deadline_rules);
  g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
               _ ("“%s” is not a deadline rule; the rules are %s"), name ? name : "", names);
  return NULL;
}

const char *
okno_deadline_rule_get_label (const OknoDeadlineRule *rule)
{
  g_return_val_if_fail (rule >= rules && rule < rules + G_N_ELEMENTS (rules), NULL);

  return _ (labels[rule - rules]);
}

const char *
okno_deadline_rule_get_basis (const OknoDeadlineRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  return _ (rule->basis);
}

const char *
okno_deadline_rule_get_units (const OknoDeadlineRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  return rule->unit == OKNO_TERM_WORKING_DAYS ? "working" : "calendar";
}

gboolean
okno_deadline_rule_parse_days (const OknoDeadlineRule *rule, const char *text, guint *days,
                               GError **error)
{
  guint64 n;

  g_return_val_if_fail (rule != NULL && days != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      *days = rule->days;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &n, NULL))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a number of days"), text);
      return FALSE;
    }
  if (rule->bound == OKNO_TERM_AT_MOST && n > rule->days)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                   g_dngettext (GETTEXT_PACKAGE, "The term “%s” is at most %u day, not %s",
                                "The term “%s” is at most %u days, not %s", rule->days),
                   okno_deadline_rule_get_label (rule), rule->days, text);
      return FALSE;
    }
  if (rule->bound == OKNO_TERM_AT_LEAST && n < rule->days)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                   g_dngettext (GETTEXT_PACKAGE, "The term “%s” is at least %u day, not %s",
                                "The term “%s” is at least %u days, not %s", rule->days),
                   okno_deadline_rule_get_label (rule), rule->days, text);
      return FALSE;
    }
  *days = (guint)n;
  return TRUE;
}

GTimeZone *
okno_branch_time_zone_new (const char *identifier, GError **error)
{
  GTimeZone *zone;

  if (identifier == NULL || *identifier == '\0')
    identifier = OKNO_BRANCH_TIME_ZONE;
  if ((zone = g_time_zone_new_identifier (identifier)) != NULL)
    return zone;
  /* Without tzdata the default zone is still known: Yekaterinburg has kept
   * UTC+5 all year since 26 October 2014. */
  if (g_str_equal (identifier, OKNO_BRANCH_TIME_ZONE))
    return g_time_zone_new_offset (5 * 3600);
  g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID, _ ("“%s” is not a time zone"),
               identifier);
  return NULL;
}

static void
local_date (GDateTime *moment, GDate *date)
{
  int y, m, d;

  g_date_time_get_ymd (moment, &y, &m, &d);
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* The last day of a term that starts on start (its own day not counted). */
static void
last_day (const OknoDeadlineRule *rule, guint days, OknoCalendar *calendar, const GDate *start,
          GDate *end)
{
  if (rule->unit == OKNO_TERM_WORKING_DAYS)
    {
      okno_calendar_add_working_days (calendar, start, days, end);
      return;
    }
  *end = *start;
  g_date_add_days (end, days);
  while (!okno_calendar_is_working_day (calendar, end))
    g_date_add_days (end, 1);
}

OknoDeadline *
okno_deadline_new (const char *rule_name, guint days, GDateTime *from, GTimeZone *zone,
                   OknoCalendar *calendar, GError **error)
{
  const OknoDeadlineRule *rule;
  OknoDeadline *self;
  GDate start, end;

  g_return_val_if_fail (from != NULL && zone != NULL && OKNO_IS_CALENDAR (calendar), NULL);

  if ((rule = okno_deadline_rule_lookup (rule_name, error)) == NULL)
    return NULL;
  if (days != 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", days);

      if (!okno_deadline_rule_parse_days (rule, text, &days, error))
        return NULL;
    }
  self = g_new0 (OknoDeadline, 1);
  self->rule = rule;
  self->days = days ? days : rule->days;
  self->from = g_date_time_to_timezone (from, zone);
  local_date (self->from, &start);
  last_day (rule, self->days, calendar, &start, &end);
  self->due = g_date_time_new (zone, g_date_get_year (&end), g_date_get_month (&end),
                               g_date_get_day (&end), 23, 59, 59);
  /* A replica's calendar rows name no version: their fingerprint tells an
   * update apart all the same. */
  self->calendar_version
    = g_strdup (okno_calendar_get_version (calendar) ? okno_calendar_get_version (calendar)
                                                     : okno_calendar_get_fingerprint (calendar));
  return self;
}

void
okno_deadline_free (OknoDeadline *self)
{
  if (self == NULL)
    return;
  g_date_time_unref (self->from);
  g_date_time_unref (self->due);
  g_free (self->calendar_version);
  g_free (self);
}

char *
okno_deadline_format (GDateTime *moment)
{
  g_return_val_if_fail (moment != NULL, NULL);

  return g_date_time_format (moment, "%Y-%m-%dT%H:%M:%S%:z");
}

const char *
okno_clock_state_to_string (OknoClockState state)
{
  static const char *const names[] = { "ok", "warning", "overdue" };

  g_return_val_if_fail (state <= OKNO_CLOCK_OVERDUE, NULL);

  return names[state];
}

/* Days of the rule's units in (from, to]; negative when to is before from. */
static int
days_between (const OknoDeadlineRule *rule, OknoCalendar *calendar, const GDate *from,
              const GDate *to)
{
  if (rule->unit == OKNO_TERM_CALENDAR_DAYS)
    return g_date_days_between (from, to);
  if (g_date_compare (from, to) <= 0)
    return (int)okno_calendar_working_days_between (calendar, from, to);
  return -(int)okno_calendar_working_days_between (calendar, to, from);
}

OknoClockState
okno_deadline_clock (const OknoDeadlineRule *rule, GDateTime *from, GDateTime *due, GDateTime *now,
                     GTimeZone *zone, OknoCalendar *calendar, guint warning_percent, int *left)
{
  g_autoptr (GDateTime) local_now = NULL;
  g_autoptr (GDateTime) local_due = NULL;
  GDate today, due_day;
  GTimeSpan term, gone;

  g_return_val_if_fail (rule != NULL && from != NULL && due != NULL && now != NULL, OKNO_CLOCK_OK);
  g_return_val_if_fail (zone != NULL && OKNO_IS_CALENDAR (calendar), OKNO_CLOCK_OK);
  g_return_val_if_fail (warning_percent <= 100, OKNO_CLOCK_OK);

  local_now = g_date_time_to_timezone (now, zone);
  local_due = g_date_time_to_timezone (due, zone);
  local_date (local_now, &today);
  local_date (local_due, &due_day);
  if (left != NULL)
    *left = days_between (rule, calendar, &today, &due_day);
  if (g_date_time_compare (now, due) > 0)
    return OKNO_CLOCK_OVERDUE;
  /* Integer microseconds: a term of years times 100 stays far inside
   * 64 bits. */
  term = g_date_time_difference (due, from);
  gone = g_date_time_difference (now, from);
  if (term > 0 && gone * 100 >= term * (GTimeSpan)warning_percent)
    return OKNO_CLOCK_WARNING;
  return OKNO_CLOCK_OK;
}
