/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The sign-in throttle's rule (src/core/okno-throttle.c), on an injected
 * clock: the same rule okno-central and offline sign-in apply. */

#include "okno-core.h"

#define T0 1800000000 /* some moment, in Unix seconds */

static OknoThrottlePolicy
defaults (void)
{
  OknoThrottlePolicy policy;

  okno_throttle_policy_init (&policy);
  return policy;
}

/* n failures one second apart, from T0. */
static OknoThrottleState
failed (const OknoThrottlePolicy *policy, guint n)
{
  OknoThrottleState state = { 0, 0 };

  for (guint i = 0; i < n; i++)
    okno_throttle_fail (policy, &state, T0 + i);
  return state;
}

static void
test_free_tries (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = failed (&policy, OKNO_THROTTLE_SLOW_AFTER - 1);

  g_assert_cmpuint (state.failures, ==, OKNO_THROTTLE_SLOW_AFTER - 1);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, T0 + 4), ==, 0);
}

static void
test_delays_double_then_cap (void)
{
  OknoThrottlePolicy policy = defaults ();
  static const struct
  {
    guint failures;
    gint64 wait;
  } cases[] = { { 5, 1 }, { 6, 2 }, { 7, 4 }, { 8, 8 }, { 9, 16 } };
  OknoThrottlePolicy capped = policy;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OknoThrottleState state = { cases[i].failures, T0 };
      g_assert_cmpint (okno_throttle_wait (&policy, &state, T0), ==, cases[i].wait);
      /* Part of the wait is over a second later. */
      if (cases[i].wait > 1)
        g_assert_cmpint (okno_throttle_wait (&policy, &state, T0 + 1), ==, cases[i].wait - 1);
      g_assert_cmpint (okno_throttle_wait (&policy, &state, T0 + cases[i].wait), ==, 0);
    }
  capped.lock_after = 100;
  for (guint n = 12; n < 100; n++)
    {
      OknoThrottleState state = { n, T0 };
      g_assert_cmpint (okno_throttle_wait (&capped, &state, T0), ==, OKNO_THROTTLE_MAX_DELAY);
    }
}

static void
test_lock_for_a_window (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = failed (&policy, OKNO_THROTTLE_LOCK_AFTER);
  gint64 last = T0 + OKNO_THROTTLE_LOCK_AFTER - 1;

  g_assert_cmpint (okno_throttle_wait (&policy, &state, last), ==, OKNO_THROTTLE_WINDOW);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, last + OKNO_THROTTLE_WINDOW - 1), ==, 1);
  /* Attempts during the lock neither count nor prolong it. */
  for (guint i = 0; i < 30; i++)
    okno_throttle_fail (&policy, &state, last + 10 + i);
  g_assert_cmpuint (state.failures, ==, OKNO_THROTTLE_LOCK_AFTER);
  g_assert_cmpint (state.last_failure, ==, last);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, last + OKNO_THROTTLE_WINDOW), ==, 0);
  g_assert_true (okno_throttle_is_stale (&policy, &state, last + OKNO_THROTTLE_WINDOW));
}

/* The finding: forty wrong passwords in a burst lock the login. */
static void
test_forty_in_a_burst (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = { 0, 0 };

  for (guint i = 0; i < 40; i++)
    okno_throttle_fail (&policy, &state, T0);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, T0), ==, OKNO_THROTTLE_WINDOW);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, T0 + OKNO_THROTTLE_WINDOW), ==, 0);
}

static void
test_forgotten_after_a_window (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = failed (&policy, OKNO_THROTTLE_SLOW_AFTER);
  gint64 later = T0 + OKNO_THROTTLE_SLOW_AFTER - 1 + OKNO_THROTTLE_WINDOW;

  g_assert_false (okno_throttle_is_stale (&policy, &state, later - 1));
  /* A failure after the window starts a new count. */
  okno_throttle_fail (&policy, &state, later);
  g_assert_cmpuint (state.failures, ==, 1);
  g_assert_cmpint (okno_throttle_wait (&policy, &state, later), ==, 0);
}

static void
test_clock_stepped_back (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = failed (&policy, OKNO_THROTTLE_LOCK_AFTER);

  /* A day back: the lock stays, but never longer than a window. */
  g_assert_cmpint (okno_throttle_wait (&policy, &state, T0 - 24 * 3600), ==, OKNO_THROTTLE_WINDOW);
}

/* An attempt before its wait is over counts, and says how long to wait
 * after it. */
static void
test_early_attempt_counts (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottleState state = { OKNO_THROTTLE_SLOW_AFTER, T0 };

  g_assert_cmpint (okno_throttle_attempt (&policy, &state, T0), ==, 2);
  g_assert_cmpuint (state.failures, ==, OKNO_THROTTLE_SLOW_AFTER + 1);
  g_assert_cmpint (okno_throttle_attempt (&policy, &state, T0 + 2), ==, 0);
  g_assert_cmpuint (state.failures, ==, OKNO_THROTTLE_SLOW_AFTER + 1);
}

static void
test_scaled (void)
{
  OknoThrottlePolicy policy = defaults ();
  OknoThrottlePolicy address = okno_throttle_policy_scaled (&policy, 4);
  OknoThrottleState state = { OKNO_THROTTLE_LOCK_AFTER, T0 };

  g_assert_cmpuint (address.slow_after, ==, 4 * OKNO_THROTTLE_SLOW_AFTER);
  g_assert_cmpuint (address.lock_after, ==, 4 * OKNO_THROTTLE_LOCK_AFTER);
  g_assert_cmpint (address.window, ==, policy.window);
  /* What locks a login only slows an address down. */
  g_assert_cmpint (okno_throttle_wait (&address, &state, T0), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/throttle/free-tries", test_free_tries);
  g_test_add_func ("/throttle/delays-double-then-cap", test_delays_double_then_cap);
  g_test_add_func ("/throttle/lock-for-a-window", test_lock_for_a_window);
  g_test_add_func ("/throttle/forty-in-a-burst", test_forty_in_a_burst);
  g_test_add_func ("/throttle/forgotten-after-a-window", test_forgotten_after_a_window);
  g_test_add_func ("/throttle/clock-stepped-back", test_clock_stepped_back);
  g_test_add_func ("/throttle/early-attempt-counts", test_early_attempt_counts);
  g_test_add_func ("/throttle/scaled", test_scaled);
  return g_test_run ();
}
