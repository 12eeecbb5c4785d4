/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli: errors, the password, the replica. */

#include "okno-cli-common.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* clang-format off */
G_DEFINE_QUARK (okno-cli-error-quark, okno_cli_error)
/* clang-format on */

static const char *replica_path = NULL;
static char *ca_file = NULL;
static gboolean allow_plain_http = FALSE;

int
okno_cli_fail (GError *error)
{
  g_printerr ("okno-cli: %s\n", error->message);
  return 1;
}

void
okno_cli_secret_free (OknoCliSecret *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* One line of standard input; on a terminal without echo, after prompt. */
static OknoCliSecret *
read_line (const char *prompt)
{
  char line[512];
  struct termios saved, quiet;
  gboolean hidden = FALSE;
  char *got;

  if (prompt != NULL && isatty (STDIN_FILENO))
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t)ECHO;
          hidden = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  got = fgets (line, sizeof line, stdin);
  if (hidden)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (got == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  got = g_strdup (line);
  explicit_bzero (line, sizeof line);
  return got;
}

OknoCliSecret *
okno_cli_read_password (const char *prompt)
{
  const char *env = g_getenv ("OKNO_PASSWORD");

  if (env != NULL)
    return g_strdup (env);
  if (prompt == NULL && isatty (STDIN_FILENO))
    return NULL;
  return read_line (prompt);
}

void
okno_cli_set_replica (const char *path)
{
  replica_path = path;
}

char *
okno_cli_replica_path (void)
{
  return replica_path ? g_strdup (replica_path) : okno_store_default_path ();
}

OknoStore *
okno_cli_open_store (GError **error)
{
  g_autofree char *path = okno_cli_replica_path ();

  return okno_store_open (path, error);
}

void
okno_cli_add_trust_options (GOptionContext *context)
{
  static const GOptionEntry entries[] = {
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_ ("Trust the server's certificate when this PEM file of CAs signed it (default: "
          "$OKNO_CA_FILE, else the system's CAs)"),
      "FILE" },
    { "allow-plain-http", 0, 0, G_OPTION_ARG_NONE, &allow_plain_http,
      N_ ("Allow an unencrypted http:// server on another computer"), NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

OknoSession *
okno_cli_new_session (OknoStore *store)
{
  OknoSession *session = okno_session_new_for_cli (store);
  const char *env = g_getenv ("OKNO_CA_FILE");

  okno_session_set_trust (session, ca_file ? ca_file : env, allow_plain_http);
  return session;
}

void
okno_cli_no_session_error (GError **error)
{
  g_set_error_literal (error, OKNO_CLI_ERROR, OKNO_CLI_ERROR_NO_SESSION,
                       _ ("No session is stored for this replica and no password was given. Run "
                          "“okno-cli sign-in --server URL --login NAME” first, or give --server, "
                          "--login and the password in OKNO_PASSWORD."));
}
