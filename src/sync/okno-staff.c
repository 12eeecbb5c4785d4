/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Who signed in. */

#include "okno-staff.h"

OknoStaff *
okno_staff_copy (const OknoStaff *staff)
{
  OknoStaff *copy = g_new0 (OknoStaff, 1);

  copy->id = g_strdup (staff->id);
  copy->login = g_strdup (staff->login);
  copy->full_name = g_strdup (staff->full_name);
  copy->role = g_strdup (staff->role);
  copy->branch_id = g_strdup (staff->branch_id);
  copy->desk_code = staff->desk_code;
  return copy;
}

void
okno_staff_free (OknoStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->login);
  g_free (staff->full_name);
  g_free (staff->role);
  g_free (staff->branch_id);
  g_free (staff);
}
