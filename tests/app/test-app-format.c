/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The app's text formatting and the download estimate; no display needed. */

#include <locale.h>
#include <string.h>

#include "okno-format.h"
#include "okno-rate-estimator.h"

static void
test_count (void)
{
  g_autofree char *zero = okno_format_count (0);
  g_autofree char *small = okno_format_count (999);
  g_autofree char *big = okno_format_count (1234567);
  g_autofree char *negative = okno_format_count (-12345);

  g_assert_cmpstr (zero, ==, "0");
  g_assert_cmpstr (small, ==, "999");
  g_assert_cmpstr (big, ==, "1,234,567");
  g_assert_cmpstr (negative, ==, "−12,345");
}

static void
test_records_progress (void)
{
  g_autofree char *text = okno_format_records_progress (12345, 50000);
  g_autofree char *one = okno_format_records_progress (0, 1);

  g_assert_cmpstr (text, ==, "12,345 of 50,000 records");
  g_assert_cmpstr (one, ==, "0 of 1 record");
}

static void
test_time_left (void)
{
  g_autofree char *unknown = okno_format_time_left (-1);
  g_autofree char *seconds = okno_format_time_left (20);
  g_autofree char *one = okno_format_time_left (70);
  g_autofree char *two = okno_format_time_left (115);
  g_autofree char *hours = okno_format_time_left (3 * 3600);

  g_assert_null (unknown);
  g_assert_cmpstr (seconds, ==, "Less than a minute left");
  g_assert_cmpstr (one, ==, "About 1 minute left");
  g_assert_cmpstr (two, ==, "About 2 minutes left");
  g_assert_cmpstr (hours, ==, "About 3 hours left");
}

static void
test_capacity (void)
{
  g_autofree char *small = okno_format_capacity (15);
  g_autofree char *big = okno_format_capacity (1048.04);

  g_assert_cmpstr (small, ==, "15.0 kW");
  g_assert_cmpstr (big, ==, "1,048.0 kW");
}

static void
test_dates (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_local (2026, 11, 27, 12, 0, 0);
  g_autofree char *empty = okno_format_date ("");
  g_autofree char *garbage = okno_format_date ("soon");
  g_autofree char *day = okno_format_date ("2026-03-05");
  g_autofree char *stamp = okno_format_timestamp ("2026-03-05T10:00:00Z");

  g_assert_null (empty);
  g_assert_cmpstr (garbage, ==, "soon");
  g_assert_nonnull (day);
  g_assert_nonnull (strstr (day, "05"));
  g_assert_nonnull (stamp);
  g_assert_true (okno_date_is_past ("2026-11-26", now));
  g_assert_false (okno_date_is_past ("2026-11-27", now));
  g_assert_false (okno_date_is_past ("2027-01-01", now));
  g_assert_false (okno_date_is_past (NULL, now));
}

/* The UTC timestamp is shown in the local zone. */
static void
test_timestamp_is_local (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) moment = g_date_time_new (utc, 2026, 3, 5, 10, 0, 0);
  g_autoptr (GDateTime) local = g_date_time_to_local (moment);
  g_autofree char *expected = g_date_time_format (local, "%x %H:%M");
  g_autofree char *shown = okno_format_timestamp ("2026-03-05T10:00:00Z");

  g_assert_cmpstr (shown, ==, expected);
}

#define S(n) ((gint64)(n)*G_USEC_PER_SEC)

static void
test_estimator (void)
{
  OknoRateEstimator rate;

  okno_rate_estimator_reset (&rate);
  g_assert_cmpfloat (okno_rate_estimator_seconds_left (&rate, 1000), <, 0);
  okno_rate_estimator_add (&rate, S (100), 0);
  okno_rate_estimator_add (&rate, S (101), 100);
  /* One second of data is too little to go by. */
  g_assert_cmpfloat (okno_rate_estimator_seconds_left (&rate, 1000), <, 0);
  okno_rate_estimator_add (&rate, S (104), 400);
  /* 100 rows a second, 600 to go. */
  g_assert_cmpfloat_with_epsilon (okno_rate_estimator_seconds_left (&rate, 1000), 6.0, 0.01);
  g_assert_cmpfloat (okno_rate_estimator_seconds_left (&rate, 400), ==, 0);
}

static void
test_estimator_forgets (void)
{
  OknoRateEstimator rate;

  okno_rate_estimator_reset (&rate);
  /* Slow at first: 10 rows a second for a minute... */
  for (int t = 0; t <= 60; t++)
    okno_rate_estimator_add (&rate, S (t), t * 10);
  /* ...then 1000 rows a second for a minute: only the recent speed counts. */
  for (int t = 61; t <= 120; t++)
    okno_rate_estimator_add (&rate, S (t), 600 + (t - 60) * 1000);
  g_assert_cmpfloat_with_epsilon (okno_rate_estimator_seconds_left (&rate, 60600 + 10000), 10.0,
                                  0.01);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/format/count", test_count);
  g_test_add_func ("/app/format/records-progress", test_records_progress);
  g_test_add_func ("/app/format/time-left", test_time_left);
  g_test_add_func ("/app/format/capacity", test_capacity);
  g_test_add_func ("/app/format/dates", test_dates);
  g_test_add_func ("/app/format/timestamp-is-local", test_timestamp_is_local);
  g_test_add_func ("/app/estimator/rate", test_estimator);
  g_test_add_func ("/app/estimator/forgets-old-speed", test_estimator_forgets);
  return g_test_run ();
}
