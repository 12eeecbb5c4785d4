/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Estimates the time left of a download from the rate measured over the
 * last half minute, so a slow start or a change of collection (small
 * policy rows, then large accounts) does not skew it for long. Times are
 * passed in, never read here, so tests need no clock. */

#define OKNO_RATE_ESTIMATOR_SAMPLES 64

typedef struct
{
  gint64 time_us[OKNO_RATE_ESTIMATOR_SAMPLES];
  gint64 done[OKNO_RATE_ESTIMATOR_SAMPLES];
  guint first; /* index of the oldest sample */
  guint len;
} OknoRateEstimator;

void okno_rate_estimator_reset (OknoRateEstimator *self);
void okno_rate_estimator_add (OknoRateEstimator *self, gint64 time_us, gint64 done);
/* Seconds until done reaches total, or -1 while there is too little to go by. */
double okno_rate_estimator_seconds_left (const OknoRateEstimator *self, gint64 total);

G_END_DECLS
