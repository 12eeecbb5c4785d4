/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli: what its commands share. */

#pragma once

#include <glib.h>

#include "okno-core.h"
#include "okno-session.h"
#include "okno-sync.h"

G_BEGIN_DECLS

#define OKNO_CLI_ERROR (okno_cli_error_quark ())
GQuark okno_cli_error_quark (void);
enum
{
  OKNO_CLI_ERROR_NO_SESSION,
  OKNO_CLI_ERROR_USAGE,
};

/* Prints the error as okno-cli's; the status a command then ends with. */
int okno_cli_fail (GError *error);

/* A password in memory: wiped before it is freed. */
typedef char OknoCliSecret;
void okno_cli_secret_free (OknoCliSecret *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoCliSecret, okno_cli_secret_free)

/* $OKNO_PASSWORD, else a line of standard input. A terminal is asked
 * (without echo) only when prompt is given: the other commands tell the
 * person at it to sign in instead of waiting for a line. */
OknoCliSecret *okno_cli_read_password (const char *prompt);

/* The replica --replica names, else the default one. */
void okno_cli_set_replica (const char *path);
char *okno_cli_replica_path (void);
OknoStore *okno_cli_open_store (GError **error);

/* --ca-file and --allow-plain-http, for the commands that talk to the
 * server; the CA file defaults to $OKNO_CA_FILE, else the system's CAs. */
void okno_cli_add_trust_options (GOptionContext *context);
/* okno-cli's session, trusting what those options say. */
OknoSession *okno_cli_new_session (OknoStore *store);

/* The replica's production calendar, or the shipped one while the replica
 * has none (store may be NULL); the branch's time zone from the replica's
 * policy branch_time_zone, else OKNO_BRANCH_TIME_ZONE. */
OknoCalendar *okno_cli_load_calendar (OknoStore *store, GError **error);
GTimeZone *okno_cli_branch_zone (OknoStore *store, GError **error);

/* No stored session and no password: what to do about it. */
void okno_cli_no_session_error (GError **error);

/* The commands, each with its own options: argv[0] is its name. */
int okno_cli_sign_in (int argc, char **argv);
int okno_cli_sign_out (int argc, char **argv);
int okno_cli_download (int argc, char **argv);
int okno_cli_sync (int argc, char **argv);
int okno_cli_status (int argc, char **argv);
int okno_cli_search (int argc, char **argv);
int okno_cli_reading (int argc, char **argv);
int okno_cli_payment (int argc, char **argv);
int okno_cli_appeal (int argc, char **argv);
int okno_cli_appeal_set (int argc, char **argv);
int okno_cli_deadline (int argc, char **argv);

G_END_DECLS
