/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who signed in, as the server told us. */
typedef struct
{
  char *id;
  char *login;
  char *full_name;
  char *role;      /* clerk | administrator | supervisor */
  char *branch_id; /* may be NULL */
  /* This computer's desk code in that branch (okno-appeal-number.h), given
   * by the server at sign-in; 0 when it gave none (an older server). */
  gint64 desk_code;
} OknoStaff;

OknoStaff *okno_staff_copy (const OknoStaff *staff);
void okno_staff_free (OknoStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoStaff, okno_staff_free)

G_END_DECLS
