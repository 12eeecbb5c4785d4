#pragma once

#include <adwaita.h>

#include "okno-session.h"

G_BEGIN_DECLS

/* The main window: sign-in and download on the first start, then the
 * client search beside the client card. */
#define OKNO_TYPE_WINDOW (okno_window_get_type ())
G_DECLARE_FINAL_TYPE (OknoWindow, okno_window, OKNO, WINDOW, AdwApplicationWindow)

OknoWindow *okno_window_new (GtkApplication *application, OknoSession *session);
OknoSession *okno_window_get_session (OknoWindow *self);

/* Fills the sign-in form, if it is showing; with a password, signs in. */
void okno_window_sign_in (OknoWindow *self, const char *server_url, const char *login,
                          const char *password);

G_END_DECLS
