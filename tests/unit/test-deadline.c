/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The terms of the Standard on the shipped production calendar
 * (src/core/okno-deadline.c). Every expected date below was counted by
 * hand on the official calendars (decrees No. 1314 of 10.08.2023, No. 1335
 * of 04.10.2024, No. 1466 of 24.09.2025); docs/appeals.md shows the
 * counting. */

#include <string.h>

#include "okno-core.h"

typedef struct
{
  const char *rule;
  guint days; /* 0: the rule's own */
  const char *from;
  const char *due;
  const char *why;
} Case;

static const Case cases[] = {
  /* register: the end of the first working day after the local date. */
  { "register", 0, "2025-12-30T18:00:00+05:00", "2026-01-12T23:59:59+05:00",
    "31 Dec 2025 moved off, 1-8 Jan holidays, 9 Jan moved off, then a weekend" },
  { "register", 0, "2026-12-30T18:00:00+05:00", "2027-01-11T23:59:59+05:00",
    "31 Dec 2026 moved off, 1-8 Jan 2027 holidays, 9-10 Jan weekend" },
  { "register", 0, "2024-04-26T10:00:00+05:00", "2024-04-27T23:59:59+05:00",
    "Saturday 27 April 2024 is worked" },
  { "register", 0, "2024-11-01T22:00:00Z", "2024-11-05T23:59:59+05:00",
    "03:00 on Saturday 2 November in Yekaterinburg, still 1 November in UTC" },
  { "register", 0, "2024-12-27T23:59:59+05:00", "2024-12-28T23:59:59+05:00",
    "a second before midnight on Friday: Saturday 28 December is worked" },
  { "register", 0, "2024-12-28T00:00:00+05:00", "2025-01-09T23:59:59+05:00",
    "midnight of 28 December: 30-31 Dec moved off, 1-8 Jan holidays" },
  { "register", 0, "2024-12-27T19:00:00Z", "2025-01-09T23:59:59+05:00",
    "00:00 on 28 December in Yekaterinburg, 27 December in UTC" },

  /* answer: local date + 30, moved to the next working day. */
  { "answer", 0, "2025-12-30T18:00:00+05:00", "2026-01-29T23:59:59+05:00",
    "Thursday 29 January is worked" },
  { "answer", 0, "2025-12-02T10:00:00+05:00", "2026-01-12T23:59:59+05:00",
    "1 January 2026 is a holiday: the next working day is 12 January" },
  { "answer", 0, "2024-03-30T12:00:00+05:00", "2024-05-02T23:59:59+05:00",
    "29-30 April 2024 moved off, 1 May a holiday" },
  { "answer", 0, "2025-05-12T20:00:00Z", "2025-06-16T23:59:59+05:00",
    "01:00 on 13 May locally: 12 June a holiday, 13 June moved off, a weekend" },
  { "answer", 0, "2026-11-30T23:30:00Z", "2027-01-11T23:59:59+05:00",
    "04:30 on 1 December locally: + 30 = 31 December 2026, moved off, then the holidays; "
    "from the UTC date it would be 30 December" },
  { "answer", 0, "2024-12-09T23:59:59+05:00", "2025-01-09T23:59:59+05:00",
    "a second before midnight: + 30 = 8 January 2025, a holiday" },
  { "answer", 10, "2026-01-20T23:30:00Z", "2026-02-02T23:59:59+05:00",
    "a policy of 10 days: Saturday 31 January moves to Monday" },

  /* refusal_notice: the end of the fifth working day. */
  { "refusal_notice", 0, "2026-05-06T09:00:00+05:00", "2026-05-14T23:59:59+05:00",
    "8 May 2026 shortened but worked, 9 May a holiday, 11 May moved off" },
  { "refusal_notice", 0, "2024-12-26T15:00:00+05:00", "2025-01-13T23:59:59+05:00",
    "27 and 28 December worked, then the New Year holidays" },

  { "refusal_notice", 0, "2025-06-09T23:00:00Z", "2025-06-19T23:59:59+05:00",
    "04:00 on 10 June locally: 11 June shortened, 12 June a holiday, 13 June moved off" },
  { "refusal_notice", 0, "2025-12-29T12:00:00+05:00", "2026-01-15T23:59:59+05:00",
    "30 December, then 12-15 January 2026" },

  /* extension: up to 20 working days after the current due day. */
  { "extension", 0, "2025-04-25T23:59:59+05:00", "2025-05-29T23:59:59+05:00",
    "2 and 8 May 2025 moved off, 1 and 9 May holidays" },
  { "extension", 5, "2025-02-19T23:59:59+05:00", "2025-02-26T23:59:59+05:00",
    "a shorter extension; 23 February 2025 is a Sunday and moves nothing" },

  { "extension", 0, "2024-04-26T23:59:59+05:00", "2024-05-30T23:59:59+05:00",
    "Saturday 27 April 2024 worked; 29-30 April and 10 May moved off; 1 and 9 May holidays" },
  { "extension", 0, "2026-12-15T23:59:59+05:00", "2027-01-21T23:59:59+05:00",
    "across the end of 2026: 31 December moved off, 1-8 January holidays" },

  /* termination_notice: at least 10 working days. */
  { "termination_notice", 0, "2025-10-27T10:00:00+05:00", "2025-11-11T23:59:59+05:00",
    "Saturday 1 November 2025 worked, 3 November moved off, 4 November a holiday" },
  { "termination_notice", 15, "2024-06-03T10:00:00+05:00", "2024-06-25T23:59:59+05:00",
    "a longer notice; 12 June 2024 a holiday" },
  { "termination_notice", 0, "2026-02-15T19:30:00Z", "2026-03-03T23:59:59+05:00",
    "00:30 on Monday 16 February locally, still Sunday in UTC; 23 February a holiday" },
  { "termination_notice", 0, "2024-12-20T10:00:00+05:00", "2025-01-14T23:59:59+05:00",
    "Saturday 28 December 2024 worked, then the New Year holidays" },
};

static OknoCalendar *
shipped (void)
{
  static OknoCalendar *calendar;

  if (calendar == NULL)
    calendar = okno_calendar_new_shipped ();
  return calendar;
}

static GDateTime *
moment (const char *iso)
{
  GDateTime *t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return t;
}

static void
test_cases (void)
{
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) from = moment (cases[i].from);
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoDeadline) d
        = okno_deadline_new (cases[i].rule, cases[i].days, from, zone, shipped (), &error);
      g_autofree char *due = NULL;

      g_test_message ("%s from %s: %s", cases[i].rule, cases[i].from, cases[i].why);
      g_assert_no_error (error);
      due = okno_deadline_format (d->due);
      g_assert_cmpstr (due, ==, cases[i].due);
      g_assert_cmpstr (d->calendar_version, ==, "ru-2024-2027.1");
      g_assert_cmpuint (d->days, ==, cases[i].days ? cases[i].days : d->rule->days);
    }
}

static void
test_rules (void)
{
  static const struct
  {
    const char *name;
    OknoTermUnit unit;
    guint days;
    OknoTermBound bound;
    const char *policy_key; /* as okno-central's policy rows name them */
  } expected[] = {
    { "register", OKNO_TERM_WORKING_DAYS, 1, OKNO_TERM_AT_MOST, "registration_working_days" },
    { "answer", OKNO_TERM_CALENDAR_DAYS, 30, OKNO_TERM_AT_MOST, "appeal_answer_days" },
    { "refusal_notice", OKNO_TERM_WORKING_DAYS, 5, OKNO_TERM_AT_MOST,
      "refusal_notice_working_days" },
    { "extension", OKNO_TERM_WORKING_DAYS, 20, OKNO_TERM_AT_MOST, "extension_working_days" },
    { "termination_notice", OKNO_TERM_WORKING_DAYS, 10, OKNO_TERM_AT_LEAST,
      "termination_notice_working_days" },
  };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const OknoDeadlineRule *rule = okno_deadline_rule_lookup (expected[i].name, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (okno_deadline_rules[i], ==, expected[i].name);
      g_assert_cmpint (rule->unit, ==, expected[i].unit);
      g_assert_cmpuint (rule->days, ==, expected[i].days);
      g_assert_nonnull (strstr (okno_deadline_rule_get_basis (rule), "Standard"));
      g_assert_cmpint (rule->bound, ==, expected[i].bound);
      g_assert_cmpstr (rule->policy_key, ==, expected[i].policy_key);
    }
  g_assert_null (okno_deadline_rule_lookup ("answr", &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "termination_notice"));
}

static void
test_bounds (void)
{
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);
  g_autoptr (GDateTime) from = moment ("2025-03-03T09:00:00+05:00");
  const OknoDeadlineRule *extension = okno_deadline_rule_lookup ("extension", NULL);
  const OknoDeadlineRule *notice = okno_deadline_rule_lookup ("termination_notice", NULL);
  g_autoptr (GError) error = NULL;
  guint days = 7;

  /* An extension is at most 20 working days; a notice at least 10. */
  g_assert_null (okno_deadline_new ("extension", 21, from, zone, shipped (), &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_null (okno_deadline_new ("termination_notice", 9, from, zone, shipped (), &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);

  /* A policy's text: empty is the rule's own; junk changes nothing. */
  g_assert_true (okno_deadline_rule_parse_days (extension, NULL, &days, &error));
  g_assert_cmpuint (days, ==, 20);
  g_assert_false (okno_deadline_rule_parse_days (extension, "20 дней", &days, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_deadline_rule_parse_days (extension, "0", &days, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (okno_deadline_rule_parse_days (notice, "30", &days, &error));
  g_assert_cmpuint (days, ==, 30);
}

static void
test_other_zone (void)
{
  g_autoptr (GTimeZone) moscow = okno_branch_time_zone_new ("Europe/Moscow", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = moment ("2025-12-30T18:00:00+05:00");
  g_autoptr (GDateTime) late = moment ("2025-03-06T22:30:00+05:00");
  g_autoptr (OknoDeadline) d = NULL;
  g_autoptr (OknoDeadline) e = NULL;
  g_autofree char *due = NULL, *due_e = NULL;

  /* The same moment is 16:00 in Moscow: the same day, Moscow's offset. */
  d = okno_deadline_new ("register", 0, from, moscow, shipped (), &error);
  g_assert_no_error (error);
  due = okno_deadline_format (d->due);
  g_assert_cmpstr (due, ==, "2026-01-12T23:59:59+03:00");
  /* 22:30 on Thursday 6 March in Yekaterinburg is 20:30 in Moscow, both
   * the 6th: Friday 7 March 2025 (shortened) is the next working day. */
  e = okno_deadline_new ("register", 0, late, moscow, shipped (), &error);
  due_e = okno_deadline_format (e->due);
  g_assert_cmpstr (due_e, ==, "2025-03-07T23:59:59+03:00");

  g_assert_null (okno_branch_time_zone_new ("Mars/Olympus", &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
}

static void
test_replica_calendar_version (void)
{
  g_autoptr (OknoCalendar) rows = okno_calendar_new ();
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);
  g_autoptr (GDateTime) from = moment ("2025-12-30T18:00:00+05:00");
  g_autoptr (OknoDeadline) d = NULL;

  /* Rows as a replica holds them name no version: the deadline records the
   * calendar's fingerprint instead. */
  g_assert_true (okno_calendar_set_day (rows, "2025-12-31", "weekend", NULL));
  d = okno_deadline_new ("register", 0, from, zone, rows, NULL);
  g_assert_cmpstr (d->calendar_version, ==, okno_calendar_get_fingerprint (rows));
  g_assert_true (g_str_has_prefix (d->calendar_version, "sha256:"));
}

static void
test_clock (void)
{
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);
  g_autoptr (GDateTime) from = moment ("2025-03-03T09:00:00+05:00");
  g_autoptr (OknoDeadline) d = okno_deadline_new ("register", 0, from, zone, shipped (), NULL);
  static const struct
  {
    const char *now;
    guint percent;
    OknoClockState state;
    int left;
  } at[] = {
    { "2025-03-03T12:00:00+05:00", 80, OKNO_CLOCK_OK, 1 },
    /* 35 of the term's 39 hours have gone: past 80 %. */
    { "2025-03-04T20:00:00+05:00", 80, OKNO_CLOCK_WARNING, 0 },
    { "2025-03-04T20:00:00+05:00", 95, OKNO_CLOCK_OK, 0 },
    { "2025-03-04T23:59:59+05:00", 100, OKNO_CLOCK_WARNING, 0 },
    { "2025-03-05T00:00:00+05:00", 80, OKNO_CLOCK_OVERDUE, -1 },
    /* Late by Wednesday, Thursday, shortened Friday and Monday 10 March:
     * the holiday of Saturday 8 March 2025 was moved to 13 June... */
    { "2025-03-10T10:00:00+05:00", 80, OKNO_CLOCK_OVERDUE, -4 },
    /* ...and 02:00 on the 11th locally, still the 10th in UTC, one more. */
    { "2025-03-10T21:00:00Z", 80, OKNO_CLOCK_OVERDUE, -5 },
  };

  g_autofree char *due = okno_deadline_format (d->due);

  /* Monday 9:00: due at the end of Tuesday, 39 hours later. */
  g_assert_cmpstr (due, ==, "2025-03-04T23:59:59+05:00");
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_autoptr (GDateTime) now = moment (at[i].now);
      int left = 99;
      OknoClockState state = okno_deadline_clock (d->rule, d->from, d->due, now, zone, shipped (),
                                                  at[i].percent, &left);

      g_test_message ("at %s with %u %%", at[i].now, at[i].percent);
      g_assert_cmpstr (okno_clock_state_to_string (state), ==,
                       okno_clock_state_to_string (at[i].state));
      g_assert_cmpint (left, ==, at[i].left);
    }
}

static void
test_clock_calendar_days (void)
{
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);
  g_autoptr (GDateTime) from = moment ("2025-12-02T10:00:00+05:00");
  g_autoptr (OknoDeadline) d = okno_deadline_new ("answer", 0, from, zone, shipped (), NULL);
  g_autoptr (GDateTime) before = moment ("2025-12-31T12:00:00+05:00");
  g_autoptr (GDateTime) after = moment ("2026-01-15T12:00:00+05:00");
  int left = 0;

  /* Due 12 January: on 31 December 12 calendar days are left, and the
   * share gone (29 of 41 days) is below 80 %. */
  g_assert_cmpint (
    okno_deadline_clock (d->rule, d->from, d->due, before, zone, shipped (), 80, &left), ==,
    OKNO_CLOCK_OK);
  g_assert_cmpint (left, ==, 12);
  g_assert_cmpint (
    okno_deadline_clock (d->rule, d->from, d->due, after, zone, shipped (), 80, &left), ==,
    OKNO_CLOCK_OVERDUE);
  g_assert_cmpint (left, ==, -3);
  g_assert_cmpstr (okno_choice_label (okno_clock_state_to_string (OKNO_CLOCK_OVERDUE)), ==,
                   "Overdue");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deadline/cases", test_cases);
  g_test_add_func ("/deadline/rules", test_rules);
  g_test_add_func ("/deadline/bounds", test_bounds);
  g_test_add_func ("/deadline/other-zone", test_other_zone);
  g_test_add_func ("/deadline/replica-calendar-version", test_replica_calendar_version);
  g_test_add_func ("/deadline/clock", test_clock);
  g_test_add_func ("/deadline/clock-calendar-days", test_clock_calendar_days);
  return g_test_run ();
}
