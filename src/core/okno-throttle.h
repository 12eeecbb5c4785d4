/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sign-in throttling: how long a login (or an address) must wait after
 * failed attempts. One rule for okno-central and for offline sign-in on
 * the desktop; the clock is the caller's, so tests pass any "now". */

/* Failures before each attempt must wait. */
#define OKNO_THROTTLE_SLOW_AFTER 5
/* Failures that lock for a whole window. */
#define OKNO_THROTTLE_LOCK_AFTER 10
/* Seconds: a lock's length, and how long failures are remembered after
 * the last one. */
#define OKNO_THROTTLE_WINDOW 900
/* Seconds: the longest wait before a lock; the waits double from 1 s. */
#define OKNO_THROTTLE_MAX_DELAY 60

typedef struct
{
  guint slow_after;
  guint lock_after;
  gint64 window;
  gint64 max_delay;
} OknoThrottlePolicy;

/* What is remembered of one login or address: failures in a row, and the
 * time (Unix seconds) of the last one. */
typedef struct
{
  guint failures;
  gint64 last_failure;
} OknoThrottleState;

/* The defaults above. */
void okno_throttle_policy_init (OknoThrottlePolicy *policy);
/* The policy with its counts multiplied by factor (an address that many
 * people share, behind one router, gets more tries than a login). */
OknoThrottlePolicy okno_throttle_policy_scaled (const OknoThrottlePolicy *policy, guint factor);

/* Seconds to wait before the next attempt may be checked; 0: now. */
gint64 okno_throttle_wait (const OknoThrottlePolicy *policy, const OknoThrottleState *state,
                           gint64 now);
/* Counts a failed attempt at now: a wrong password, or one that came
 * before its wait was over. Attempts during a lock do not prolong it. */
void okno_throttle_fail (const OknoThrottlePolicy *policy, OknoThrottleState *state, gint64 now);
/* An attempt at now: 0 if it may be checked, else the seconds to wait.
 * Knocking before the wait is over counts as a failure (okno_throttle_fail)
 * and the wait returned is the one after it, so it names a time that
 * works. */
gint64 okno_throttle_attempt (const OknoThrottlePolicy *policy, OknoThrottleState *state,
                              gint64 now);
/* TRUE when the state is forgotten at now and need not be kept. */
gboolean okno_throttle_is_stale (const OknoThrottlePolicy *policy, const OknoThrottleState *state,
                                 gint64 now);

G_END_DECLS
