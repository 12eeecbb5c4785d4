/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sign-in throttling (okno-throttle.h): a few free tries, then waits that
 * double with each failure up to max_delay, then a lock for a window. */

#include "okno-throttle.h"

void
okno_throttle_policy_init (OknoThrottlePolicy *policy)
{
  policy->slow_after = OKNO_THROTTLE_SLOW_AFTER;
  policy->lock_after = OKNO_THROTTLE_LOCK_AFTER;
  policy->window = OKNO_THROTTLE_WINDOW;
  policy->max_delay = OKNO_THROTTLE_MAX_DELAY;
}

OknoThrottlePolicy
okno_throttle_policy_scaled (const OknoThrottlePolicy *policy, guint factor)
{
  OknoThrottlePolicy scaled = *policy;

  scaled.slow_after = policy->slow_after * factor;
  scaled.lock_after = policy->lock_after * factor;
  return scaled;
}

gboolean
okno_throttle_is_stale (const OknoThrottlePolicy *policy, const OknoThrottleState *state,
                        gint64 now)
{
  /* A clock stepped back forgets nothing: "now - last" is then negative. */
  return state->failures == 0 || now - state->last_failure >= policy->window;
}

/* The wait after n failures (slow_after <= n < lock_after): 1 s, 2 s, 4 s … */
static gint64
delay_for (const OknoThrottlePolicy *policy, guint failures)
{
  guint doublings = failures - policy->slow_after;

  if (doublings >= 62 || ((gint64)1 << doublings) > policy->max_delay)
    return policy->max_delay;
  return (gint64)1 << doublings;
}

gint64
okno_throttle_wait (const OknoThrottlePolicy *policy, const OknoThrottleState *state, gint64 now)
{
  gint64 until;

  if (okno_throttle_is_stale (policy, state, now) || state->failures < policy->slow_after)
    return 0;
  if (state->failures >= policy->lock_after)
    until = state->last_failure + policy->window;
  else
    until = state->last_failure + delay_for (policy, state->failures);
  /* Capped: a clock stepped back must not lock for longer than a window. */
  return until > now ? MIN (until - now, policy->window) : 0;
}

void
okno_throttle_fail (const OknoThrottlePolicy *policy, OknoThrottleState *state, gint64 now)
{
  if (okno_throttle_is_stale (policy, state, now))
    state->failures = 0;
  else if (state->failures >= policy->lock_after)
    return;
  if (state->failures < G_MAXUINT)
    state->failures++;
  state->last_failure = now;
}

gint64
okno_throttle_attempt (const OknoThrottlePolicy *policy, OknoThrottleState *state, gint64 now)
{
  if (okno_throttle_wait (policy, state, now) == 0)
    return 0;
  okno_throttle_fail (policy, state, now);
  return okno_throttle_wait (policy, state, now);
}
