/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli: the headless companion of Okno, on the same libraries.
 *
 *   okno-cli [--replica PATH] sign-in --server URL --login LOGIN
 *   okno-cli [--replica PATH] sign-out
 *   okno-cli [--replica PATH] download [--server URL --login LOGIN]
 *   okno-cli [--replica PATH] sync [--server URL --login LOGIN]
 *   okno-cli [--replica PATH] status
 *   okno-cli [--replica PATH] search [--limit N] QUERY...
 *   okno-cli [--replica PATH] reading --meter ID --t1 N [--t2 N] [--t3 N] [--date DAY]
 *   okno-cli [--replica PATH] payment --account ID --amount SUM [--method METHOD]
 *   okno-cli [--replica PATH] appeal --account ID --kind KIND --subject TEXT --body TEXT
 *   okno-cli [--replica PATH] appeal-set --appeal ID FIELD=VALUE...
 *   okno-cli [--replica PATH] deadline --rule RULE --from DATETIME [--days N] [--tz ZONE]
 *                                       [--json]
 *
 * This file reads the common options and hands over to the command:
 * okno-cli-session.c (sign-in, sign-out, and the session download and sync
 * share with the app, OknoSession), okno-cli-sync.c (download, sync),
 * okno-cli-status.c (status, search), okno-cli-records.c (reading,
 * payment, appeal, appeal-set), okno-cli-deadline.c (deadline). */

#include <glib/gi18n.h>
#include <locale.h>

#include "okno-cli-common.h"
#include "okno-credentials.h"

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "sign-in", okno_cli_sign_in },   { "sign-out", okno_cli_sign_out },
  { "download", okno_cli_download }, { "status", okno_cli_status },
  { "search", okno_cli_search },     { "sync", okno_cli_sync },
  { "reading", okno_cli_reading },   { "payment", okno_cli_payment },
  { "appeal", okno_cli_appeal },     { "appeal-set", okno_cli_appeal_set },
  { "deadline", okno_cli_deadline },
};

int
main (int argc, char **argv)
{
  const char *cmd;

  setlocale (LC_ALL, "");
  /* OKNO_LOCALEDIR runs an uninstalled build in its translations
   * (build-aux/demo, the tests): build/po holds ru/LC_MESSAGES/okno.mo. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("OKNO_LOCALEDIR") ? g_getenv ("OKNO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 2 && g_str_equal (argv[1], "--replica"))
    {
      okno_cli_set_replica (argv[2]);
      argc -= 2;
      argv += 2;
    }
  cmd = argc > 1 ? argv[1] : "";
  /* --help then says "Usage: okno-cli sync [OPTION…]". */
  if (*cmd)
    {
      g_autofree char *name = g_strconcat ("okno-cli ", cmd, NULL);
      g_set_prgname (name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (cmd, commands[i].name))
      {
        int status = commands[i].run (argc - 1, argv + 1);

        /* Messages the keyring daemon may still be sending are dropped
         * with the connection, not left in flight at exit. */
        okno_credentials_shutdown ();
        return status;
      }
  g_printerr ("%s\n", _ ("Usage: okno-cli [--replica PATH] COMMAND [OPTION…]\n"
                         "\n"
                         "Commands:\n"
                         "  sign-in      sign in and keep the session in the keyring\n"
                         "  sign-out     end the stored session; the outbox is kept\n"
                         "  download     the first download of the replica\n"
                         "  sync         send the outbox, then fetch the changes\n"
                         "  status       the replica and the session, as JSON\n"
                         "  search       find accounts in the replica\n"
                         "  reading      record a meter reading\n"
                         "  payment      record a payment\n"
                         "  appeal       register an appeal\n"
                         "  appeal-set   change fields of an appeal\n"
                         "  deadline     count a term of the Standard on the production calendar\n"
                         "\n"
                         "“okno-cli COMMAND --help” describes a command's options. sync and "
                         "download use the session sign-in stored; without one they need --server, "
                         "--login and the password in OKNO_PASSWORD or on standard input."));
  return 2;
}
