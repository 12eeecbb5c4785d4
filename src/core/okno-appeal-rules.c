/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-rules.h"

#include <string.h>

char *
okno_appeal_number (const char *registered_at, const char *id)
{
  g_return_val_if_fail (registered_at != NULL && strlen (registered_at) >= 10, NULL);
  g_return_val_if_fail (id != NULL && strlen (id) == 36, NULL);

  return g_strdup_printf ("О-%.4s%.2s%.2s-%.8s", registered_at, registered_at + 5,
                          registered_at + 8, id + 28);
}

char *
okno_appeal_due_on (GDateTime *registered, const char *answer_days)
{
  g_autoptr (GDateTime) due = NULL;

  g_return_val_if_fail (registered != NULL && answer_days != NULL, NULL);

  due = g_date_time_add_days (registered, (int)g_ascii_strtoll (answer_days, NULL, 10));
  return g_date_time_format (due, "%Y-%m-%d");
}
