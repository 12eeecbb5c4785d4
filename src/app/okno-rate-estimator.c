/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-rate-estimator.h"

#include <string.h>

/* Older samples than this no longer describe the current speed. */
#define WINDOW_US (30 * G_USEC_PER_SEC)
/* Below this span a few pages arriving together would look like a flood. */
#define MIN_SPAN_US (2 * G_USEC_PER_SEC)

void
okno_rate_estimator_reset (OknoRateEstimator *self)
{
  memset (self, 0, sizeof *self);
}

static guint
index_of (const OknoRateEstimator *self, guint i)
{
  return (self->first + i) % OKNO_RATE_ESTIMATOR_SAMPLES;
}

void
okno_rate_estimator_add (OknoRateEstimator *self, gint64 time_us, gint64 done)
{
  guint last;

  if (self->len == OKNO_RATE_ESTIMATOR_SAMPLES)
    {
      self->first = index_of (self, 1);
      self->len--;
    }
  last = index_of (self, self->len);
  self->time_us[last] = time_us;
  self->done[last] = done;
  self->len++;
  /* Keep two samples at least, however old, so a stalled download still
   * has a (falling) rate rather than none. */
  while (self->len > 2 && time_us - self->time_us[self->first] > WINDOW_US)
    {
      self->first = index_of (self, 1);
      self->len--;
    }
}

double
okno_rate_estimator_seconds_left (const OknoRateEstimator *self, gint64 total)
{
  guint oldest, newest;
  gint64 span_us, rows;

  if (self->len < 2)
    return -1;
  oldest = self->first;
  newest = index_of (self, self->len - 1);
  span_us = self->time_us[newest] - self->time_us[oldest];
  rows = self->done[newest] - self->done[oldest];
  if (span_us < MIN_SPAN_US || rows <= 0)
    return -1;
  if (self->done[newest] >= total)
    return 0;
  return (double)(total - self->done[newest]) * span_us / rows / G_USEC_PER_SEC;
}
