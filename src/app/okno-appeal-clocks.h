/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-deadline.h"

G_BEGIN_DECLS

/* Every clock of one appeal at once (issue 10, item 4): registration, the
 * answer, the web reception's refusal notice and an extension, each as a
 * row with the rule's label, the due moment in the branch's local time,
 * the time left in the rule's own units and its state, said by an icon
 * and a word, never by colour alone. The counting is core's
 * (okno_appeal_clock_runs, okno_appeal_answer_deadline, okno_deadline_new,
 * okno_deadline_clock); this widget only says what it found. */
#define OKNO_TYPE_APPEAL_CLOCKS (okno_appeal_clocks_get_type ())
G_DECLARE_FINAL_TYPE (OknoAppealClocks, okno_appeal_clocks, OKNO, APPEAL_CLOCKS, GtkBox)

/* What the clocks are counted from: the fields of the appeal's row and the
 * branch's policy. Borrowed for the call; the widget keeps what it needs. */
typedef struct
{
  const char *status;       /* okno_appeal_statuses */
  const char *channel;      /* okno_channels: how the appeal came in */
  GDateTime *registered_at; /* the registration moment (any zone) */
  guint extended_days;      /* working days the answer's term was extended by */
  const char *answer_days;  /* policy appeal_answer_days; NULL: the Standard's 30 */
  OknoCalendar *calendar;   /* the production calendar of the replica */
  GTimeZone *zone;          /* the branch's (okno_branch_time_zone_new) */
  guint warning_percent;    /* policy deadline_warning_percent; 0: the default 80 */
  GDateTime *now;           /* NULL: the current time, refreshed every minute */
} OknoAppealClockInput;

GtkWidget *okno_appeal_clocks_new (void);

/* Counts and shows the appeal's clocks. A policy that cannot be counted
 * with (answer_days beyond the Standard) is an error, shown in the widget
 * as well, and leaves no clock on screen. */
gboolean okno_appeal_clocks_set_appeal (OknoAppealClocks *self, const OknoAppealClockInput *input,
                                        GError **error);
void okno_appeal_clocks_clear (OknoAppealClocks *self);

/* Whether the clock of rule (register, answer, refusal_notice, extension)
 * is shown, and where it stands: its state and the days left in the
 * rule's units (okno_deadline_clock). For the appeal page's header and
 * the list's badges as well as tests. */
gboolean okno_appeal_clocks_get_clock (OknoAppealClocks *self, const char *rule,
                                       OknoClockState *state, int *left);

G_END_DECLS
