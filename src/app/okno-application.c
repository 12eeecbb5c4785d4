#include "okno-application.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"
#include "okno-preferences-window.h"
#include "okno-session.h"
#include "okno-settings.h"
#include "okno-window.h"

struct _OknoApplication
{
  AdwApplication parent_instance;
  GSettings *settings;
  OknoSession *session;
};

G_DEFINE_FINAL_TYPE (OknoApplication, okno_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[]
  = { { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
        N_ ("Address of the central server, stored for later starts"), N_ ("URL") },
      { "login", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
        N_ ("Login to fill in on the sign-in page; for demos, with the password in OKNO_PASSWORD, "
            "signs in by itself"),
        N_ ("LOGIN") },
      { "idle-lock-seconds", '\0', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, NULL,
        N_ ("For automated tests: lock after this many seconds without input instead of the "
            "minutes in the settings"),
        N_ ("SECONDS") },
      { NULL } };

static OknoWindow *
current_window (OknoApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return OKNO_IS_WINDOW (window) ? OKNO_WINDOW (window) : NULL;
}

static void
show_fatal_error (OknoApplication *self, const char *path, const GError *error)
{
  g_autofree char *body = g_strdup_printf (
    _ ("The local client database “%s” cannot be opened: %s\n\nTell your administrator."), path,
    error->message);
  GtkWidget *dialog = adw_message_dialog_new (NULL, _ ("Okno Cannot Start"), body);

  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("Close"));
  okno_a11y_fix_message_dialog (ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
ensure_session (OknoApplication *self)
{
  g_autofree char *path = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if (self->session != NULL)
    return TRUE;
  path = okno_store_default_path ();
  store = okno_store_open (path, &error);
  if (store == NULL)
    {
      show_fatal_error (self, path, error);
      return FALSE;
    }
  self->session = okno_session_new (store, self->settings);
  return TRUE;
}

static void
okno_application_activate (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  OknoWindow *window = current_window (self);

  if (window == NULL)
    {
      if (!ensure_session (self))
        return;
      window = okno_window_new (GTK_APPLICATION (self), self->session);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static int
okno_application_command_line (GApplication *application, GApplicationCommandLine *command_line)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  GVariantDict *options_dict = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *login = NULL;
  const char *password = g_application_command_line_getenv (command_line, "OKNO_PASSWORD");
  OknoWindow *window;
  int idle_lock_seconds;

  g_variant_dict_lookup (options_dict, "server", "&s", &server);
  g_variant_dict_lookup (options_dict, "login", "&s", &login);
  if (server != NULL)
    g_settings_set_string (self->settings, "server-url", server);
  g_application_activate (application);
  window = current_window (self);
  if (window != NULL
      && g_variant_dict_lookup (options_dict, "idle-lock-seconds", "i", &idle_lock_seconds))
    okno_window_set_idle_lock_seconds (window, idle_lock_seconds);
  /* OKNO_PASSWORD is for demos and tests: it signs in without typing. */
  if (window != NULL && (server != NULL || login != NULL))
    okno_window_sign_in (window, server, login, login != NULL ? password : NULL);
  return EXIT_SUCCESS;
}

static void
preferences_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  OknoApplication *self = OKNO_APPLICATION (user_data);
  OknoWindow *window = current_window (self);
  OknoStore *store = self->session ? okno_session_get_store (self->session) : NULL;
  GtkWidget *preferences = okno_preferences_window_new (GTK_WINDOW (window), self->settings, store);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  OknoApplication *self = OKNO_APPLICATION (user_data);
  static const char *developers[] = { "EEnS", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about, "transient-for", current_window (self), "modal", TRUE, "application-name",
                _ ("Okno"), "application-icon", OKNO_APP_ID, "version", OKNO_VERSION,
                "developer-name", _ ("EEnS"), "developers", developers, "website",
                "https://okno.eens.ru", "issue-url", "https://okno.eens.ru/issues", "license-type",
                GTK_LICENSE_GPL_3_0, "comments",
                _ ("The counter application of the customer service centres: find a client, "
                   "check settlements and serve visitors, with or without the network."),
                /* Translators: your names, one a line, to be credited in About */
                "translator-credits", _ ("translator-credits"), NULL);
  okno_a11y_name_library_controls (about);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *application = G_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (application)));

  /* Closing rather than destroying lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_cb },
  { "about", about_cb },
  { "quit", quit_cb },
};

static void
okno_application_startup (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (okno_application_parent_class)->startup (application);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

static void
okno_application_dispose (GObject *object)
{
  OknoApplication *self = OKNO_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (okno_application_parent_class)->dispose (object);
}

static void
okno_application_class_init (OknoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = okno_application_dispose;
  app_class->activate = okno_application_activate;
  app_class->command_line = okno_application_command_line;
  app_class->startup = okno_application_startup;
}

static void
okno_application_init (OknoApplication *self)
{
  self->settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _ ("The customer service counter application."));
}

OknoApplication *
okno_application_new (void)
{
  return g_object_new (OKNO_TYPE_APPLICATION, "application-id", OKNO_APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, "resource-base-path", OKNO_RESOURCE_BASE,
                       NULL);
}
