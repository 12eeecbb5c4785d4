/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The counter application: one window over the branch's replica.
 *   okno [--server URL] [--login LOGIN] [--idle-lock-seconds N]
 * --server is stored in the settings for the sign-in form. For demos and
 * automated tests only: with --login and OKNO_PASSWORD in the environment,
 * the app signs in by itself (online, or offline when the server is out
 * of reach); --idle-lock-seconds replaces the idle-lock-minutes setting. */
#define OKNO_TYPE_APPLICATION (okno_application_get_type ())
G_DECLARE_FINAL_TYPE (OknoApplication, okno_application, OKNO, APPLICATION, AdwApplication)

OknoApplication *okno_application_new (void);

G_END_DECLS
