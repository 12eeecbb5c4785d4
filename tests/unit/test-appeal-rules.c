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

static void
test_due_calendar_days (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2026, 1, 20, 23, 30, 0);
  g_autofree char *due = okno_appeal_due_on (registered, OKNO_APPEAL_ANSWER_DAYS);
  g_autofree char *policy = okno_appeal_due_on (registered, "10");

  /* 30 calendar days, across the end of the month, weekends counted. */
  g_assert_cmpstr (due, ==, "2026-02-19");
  g_assert_cmpstr (policy, ==, "2026-01-30");
}

static void
test_due_across_leap_day (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2028, 2, 15, 8, 0, 0);
  g_autofree char *due = okno_appeal_due_on (registered, "30");

  g_assert_cmpstr (due, ==, "2028-03-16");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/appeal-rules/number", test_number);
  g_test_add_func ("/appeal-rules/numbers-differ-by-id", test_numbers_differ_by_id);
  g_test_add_func ("/appeal-rules/due-calendar-days", test_due_calendar_days);
  g_test_add_func ("/appeal-rules/due-across-leap-day", test_due_across_leap_day);
  return g_test_run ();
}
