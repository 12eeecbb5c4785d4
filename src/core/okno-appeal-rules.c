/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-rules.h"

#include <string.h>

#include "okno-deadline.h"

char *
okno_appeal_number (const char *registered_at, const char *id)
{
  g_return_val_if_fail (registered_at != NULL && strlen (registered_at) >= 10, NULL);
  g_return_val_if_fail (id != NULL && strlen (id) == 36, NULL);

  return g_strdup_printf ("О-%.4s%.2s%.2s-%.8s", registered_at, registered_at + 5,
                          registered_at + 8, id + 28);
}

char *
okno_appeal_due_on (GDateTime *registered, const char *answer_days, GTimeZone *zone,
                    OknoCalendar *calendar, GError **error)
{
  const OknoDeadlineRule *rule = okno_deadline_rule_lookup ("answer", NULL);
  g_autoptr (OknoDeadline) due = NULL;
  guint days;

  g_return_val_if_fail (registered != NULL && zone != NULL && OKNO_IS_CALENDAR (calendar), NULL);

  if (!okno_deadline_rule_parse_days (rule, answer_days, &days, error)
      || (due = okno_deadline_new ("answer", days, registered, zone, calendar, error)) == NULL)
    return NULL;
  return g_date_time_format (due->due, "%Y-%m-%d");
}
