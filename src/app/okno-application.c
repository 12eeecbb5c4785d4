/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-application.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"
#include "okno-preferences-window.h"
#include "okno-session.h"
#include "okno-settings.h"
#include "okno-upgrade-window.h"
#include "okno-window.h"

struct _OknoApplication
{
  AdwApplication parent_instance;
  GSettings *settings;
  OknoSession *session;
  gboolean opening; /* the replica is being opened (migrations may run) */
  guint upgrade_timeout_id;
  GtkWidget *upgrade_window; /* shown while opening takes long */
  /* What the command line asked for, kept until the window exists. */
  gboolean sign_in;
  char *server;
  char *login;
  char *password;
  int idle_lock_seconds; /* 0: the settings' minutes */
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

/* The command line's requests, once the window is there. */
static void
apply_command_line (OknoApplication *self, OknoWindow *window)
{
  if (self->idle_lock_seconds > 0)
    okno_window_set_idle_lock_seconds (window, self->idle_lock_seconds);
  self->idle_lock_seconds = 0;
  /* OKNO_PASSWORD is for demos and tests: it signs in without typing. */
  if (self->sign_in)
    okno_window_sign_in (window, self->server, self->login,
                         self->login != NULL ? self->password : NULL);
  self->sign_in = FALSE;
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->password, g_free);
}

static void
open_window (OknoApplication *self)
{
  OknoWindow *window = okno_window_new (GTK_APPLICATION (self), self->session);

  apply_command_line (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

/* Opening is done, well or not: the upgrade window goes. */
static void
opening_done (OknoApplication *self)
{
  self->opening = FALSE;
  g_clear_handle_id (&self->upgrade_timeout_id, g_source_remove);
  if (self->upgrade_window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->upgrade_window)));
}

/* Opening a replica takes milliseconds, unless its schema is being
 * converted after an update: then say so rather than seem not to start. */
static gboolean
show_upgrade_window_cb (gpointer data)
{
  OknoApplication *self = data;

  self->upgrade_timeout_id = 0;
  self->upgrade_window = okno_upgrade_window_new (GTK_APPLICATION (self));
  g_object_add_weak_pointer (G_OBJECT (self->upgrade_window), (gpointer *)&self->upgrade_window);
  gtk_window_present (GTK_WINDOW (self->upgrade_window));
  return G_SOURCE_REMOVE;
}

static void
session_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OknoApplication) self = user_data;
  g_autoptr (GError) error = NULL;

  self->session = okno_session_new_finish (result, &error);
  if (self->session == NULL)
    {
      g_autofree char *path = okno_store_default_path ();

      opening_done (self);
      show_fatal_error (self, path, error);
      g_application_release (G_APPLICATION (self));
      return;
    }
  open_window (self);
  opening_done (self);
  g_application_release (G_APPLICATION (self));
}

static void
store_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OknoApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = okno_store_open_finish (result, &error);
  GSettings *settings = self->settings;

  if (store == NULL)
    {
      g_autofree char *path = okno_store_default_path ();

      opening_done (self);
      show_fatal_error (self, path, error);
      g_application_release (G_APPLICATION (self));
      return;
    }
  /* The session's first read of the replica (who signed in last) runs in
   * a worker too; the window opens once it is known. */
  okno_session_new_async (store, settings, NULL, session_ready_cb, g_steal_pointer (&self));
}

static void
okno_application_activate (GApplication *application)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  OknoWindow *window = current_window (self);
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      apply_command_line (self, window);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  if (self->session != NULL)
    {
      open_window (self);
      return;
    }
  if (self->opening)
    return;
  /* Opening runs the migrations: in a worker thread, the application held
   * meanwhile so it does not quit before its first window. */
  self->opening = TRUE;
  g_application_hold (application);
  path = okno_store_default_path ();
  okno_store_open_async (path, NULL, store_opened_cb, g_object_ref (self));
  self->upgrade_timeout_id = g_timeout_add (800, show_upgrade_window_cb, self);
}

static int
okno_application_command_line (GApplication *application, GApplicationCommandLine *command_line)
{
  OknoApplication *self = OKNO_APPLICATION (application);
  GVariantDict *options_dict = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *login = NULL;
  const char *password = g_application_command_line_getenv (command_line, "OKNO_PASSWORD");
  int idle_lock_seconds;

  g_variant_dict_lookup (options_dict, "server", "&s", &server);
  g_variant_dict_lookup (options_dict, "login", "&s", &login);
  if (server != NULL)
    g_settings_set_string (self->settings, "server-url", server);
  if (g_variant_dict_lookup (options_dict, "idle-lock-seconds", "i", &idle_lock_seconds))
    self->idle_lock_seconds = idle_lock_seconds;
  if (server != NULL || login != NULL)
    {
      self->sign_in = TRUE;
      g_free (self->server);
      g_free (self->login);
      g_free (self->password);
      self->server = g_strdup (server);
      self->login = g_strdup (login);
      self->password = g_strdup (password);
    }
  /* Applied by activate, now or once the replica is open. */
  g_application_activate (application);
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
  /* This is the UI thread: the store must not be called on it. */
  okno_store_forbid_thread (g_thread_self ());
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

  g_clear_handle_id (&self->upgrade_timeout_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->password, g_free);
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
