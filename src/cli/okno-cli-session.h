/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli: the session download and sync work in. */

#pragma once

#include "okno-cli-common.h"
#include "okno-session.h"

G_BEGIN_DECLS

/* The options of the commands that talk to the server (download, sync):
 * --server and --login, both or neither; then the replica and the session
 * sign-in stored for them, or a sign-in with the password. 0, or the
 * status the command ends with. */
int okno_cli_open_session (const char *command, int argc, char **argv, OknoStore **store,
                           OknoSession **session);

typedef gboolean (*OknoCliWork) (OknoSession *session, gpointer data, GError **error);

/* work with the session; when the stored one has ended on the server, the
 * password (if one is given) signs in again and work runs once more. */
gboolean okno_cli_run (OknoSession *session, OknoCliWork work, gpointer data, GError **error);

G_END_DECLS
