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

OknoStore *
okno_cli_open_store (GError **error)
{
  g_autofree char *path = replica_path ? g_strdup (replica_path) : okno_store_default_path ();

  return okno_store_open (path, error);
}

void
okno_cli_no_session_error (GError **error)
{
  g_set_error_literal (error, OKNO_CLI_ERROR, OKNO_CLI_ERROR_NO_SESSION,
                       _ ("No session is stored for this replica and no password was given. Run "
                          "“okno-cli sign-in --server URL --login NAME” first, or give --server, "
                          "--login and the password in OKNO_PASSWORD."));
}
