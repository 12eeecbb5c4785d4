/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-session.h"

G_BEGIN_DECLS

/* Server address, login and password. Signs in through the session
 * (online, else offline on a complete replica) and emits "signed-in" once
 * the session is signed in. */
#define OKNO_TYPE_SIGN_IN_PAGE (okno_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (OknoSignInPage, okno_sign_in_page, OKNO, SIGN_IN_PAGE, AdwBin)

GtkWidget *okno_sign_in_page_new (void);

void okno_sign_in_page_set_server_url (OknoSignInPage *self, const char *url);
const char *okno_sign_in_page_get_server_url (OknoSignInPage *self);
void okno_sign_in_page_set_login (OknoSignInPage *self, const char *login);
void okno_sign_in_page_set_password (OknoSignInPage *self, const char *password);
/* Shows a message above the button, e.g. why the clerk is here again. */
void okno_sign_in_page_show_message (OknoSignInPage *self, const char *message);
/* Signs in with what the fields hold, as the Sign In button does. */
void okno_sign_in_page_submit (OknoSignInPage *self);
/* Focuses the first field the clerk still has to fill in. */
void okno_sign_in_page_focus (OknoSignInPage *self);

/* The session to sign in to; needed before submit. */
void okno_sign_in_page_set_session (OknoSignInPage *self, OknoSession *session);
/* Words the page for a first start or a later one, from the session. */
void okno_sign_in_page_update (OknoSignInPage *self);

G_END_DECLS
