/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno: the counter application of the customer service centres. */

#include <glib/gi18n.h>
#include <locale.h>

#include "okno-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (OknoApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* OKNO_LOCALEDIR runs an uninstalled build in its translations
   * (build-aux/demo, the tests): build/po holds ru/LC_MESSAGES/okno.mo. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("OKNO_LOCALEDIR") ? g_getenv ("OKNO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = okno_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
