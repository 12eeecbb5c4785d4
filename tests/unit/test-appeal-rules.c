/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The appeal rules okno-cli applies (src/core/okno-appeal-rules.c). */

#include "okno-core.h"

static void
test_number (void)
{
  g_autofree char *number
    = okno_appeal_number ("2026-03-07T09:15:00Z", "0195b8f2-7c1a-7def-8abc-1234567890ab");

  /* The registration day, then the id's random tail. */
  g_assert_cmpstr (number, ==, "О-20260307-567890ab");
}

static void
test_numbers_differ_by_id (void)
{
  g_autofree char *a
    = okno_appeal_number ("2026-03-07T09:15:00Z", "0195b8f2-7c1a-7def-8abc-000000000001");
  g_autofree char *b
    = okno_appeal_number ("2026-03-07T09:15:00Z", "0195b8f2-7c1a-7def-8abc-000000000002");

  g_assert_cmpstr (a, !=, b);
}

static char *
due_on (GDateTime *registered, const char *days, GError **error)
{
  g_autoptr (OknoCalendar) calendar = okno_calendar_new_shipped ();
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);

  return okno_appeal_due_on (registered, days, zone, calendar, error);
}

static void
test_due_calendar_days (void)
{
  /* 04:30 on 21 January in Yekaterinburg, still the 20th in UTC. */
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2026, 1, 20, 23, 30, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *due = due_on (registered, OKNO_APPEAL_ANSWER_DAYS, &error);
  g_autofree char *policy = due_on (registered, "10", &error);

  g_assert_no_error (error);
  /* 30 calendar days from the local date, across the end of the month,
   * weekends counted: Friday 20 February (not the 19th, as counting from
   * the UTC date did). */
  g_assert_cmpstr (due, ==, "2026-02-20");
  /* 10 days end on Saturday 31 January: moved to Monday (Civil Code,
   * art. 193). */
  g_assert_cmpstr (policy, ==, "2026-02-02");
}

static void
test_due_across_leap_day (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2028, 2, 15, 8, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *due = due_on (registered, "30", &error);

  /* Beyond the shipped years: the five-day week, Thursday 16 March. */
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2028-03-16");
}

static void
test_due_bad_policy (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *longer = due_on (registered, "45", &error);
  g_autofree char *word = NULL;

  /* A policy may shorten the Standard's 30 days, never lengthen them. */
  g_assert_null (longer);
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  word = due_on (registered, "thirty", &error);
  g_assert_null (word);
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/appeal-rules/number", test_number);
  g_test_add_func ("/appeal-rules/numbers-differ-by-id", test_numbers_differ_by_id);
  g_test_add_func ("/appeal-rules/due-calendar-days", test_due_calendar_days);
  g_test_add_func ("/appeal-rules/due-across-leap-day", test_due_across_leap_day);
  g_test_add_func ("/appeal-rules/due-bad-policy", test_due_bad_policy);
  return g_test_run ();
}
