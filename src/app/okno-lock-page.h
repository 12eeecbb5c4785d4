/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-session.h"

G_BEGIN_DECLS

/* What covers the counter after it has been idle: the signed-in staff
 * member's password, checked on this computer (no network needed), or
 * "Sign in as someone else". Emits "unlocked" once the password is right
 * and "switch-user" for the other way out. */
#define OKNO_TYPE_LOCK_PAGE (okno_lock_page_get_type ())
G_DECLARE_FINAL_TYPE (OknoLockPage, okno_lock_page, OKNO, LOCK_PAGE, AdwBin)

GtkWidget *okno_lock_page_new (void);
void okno_lock_page_set_session (OknoLockPage *self, OknoSession *session);
/* Empties the form and names who is signed in; call when it is shown. */
void okno_lock_page_reset (OknoLockPage *self);
/* Focuses the password field. */
void okno_lock_page_focus (OknoLockPage *self);

G_END_DECLS
