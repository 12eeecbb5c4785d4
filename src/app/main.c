/* okno: the counter application of the customer service centres. */

#include <glib/gi18n.h>
#include <locale.h>

#include "okno-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (OknoApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = okno_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
