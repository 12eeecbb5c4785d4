/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-lock-page.h"

#include <glib/gi18n.h>
#include <string.h>

struct _OknoLockPage
{
  AdwBin parent_instance;
  GCancellable *cancellable;
  OknoSession *session;

  GtkLabel *who_label;
  GtkPasswordEntry *password_entry;
  GtkLabel *error_label;
  GtkButton *unlock_button;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (OknoLockPage, okno_lock_page, ADW_TYPE_BIN)

enum
{
  UNLOCKED,
  SWITCH_USER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (OknoLockPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (OknoLockPage *self, gboolean busy)
{
  /* Not insensitive: GTK 4.8 takes the focus from an insensitive field
   * without telling it, and its cursor then blinks on with a warning. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.unlock", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
unlock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  OknoLockPage *self;

  if (!okno_session_unlock_finish (OKNO_SESSION (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OKNO_LOCK_PAGE (user_data);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  if (error != NULL)
    {
      show_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static void
unlock_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoLockPage *self = OKNO_LOCK_PAGE (widget);
  g_autofree char *password
    = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));

  if (self->session == NULL)
    return;
  if (*password == '\0')
    {
      show_message (self, _ ("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }
  show_message (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  okno_session_unlock_async (self->session, password, self->cancellable, unlock_cb, self);
  explicit_bzero (password, strlen (password));
}

static void
switch_user_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoLockPage *self = OKNO_LOCK_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  g_signal_emit (self, signals[SWITCH_USER], 0);
}

static void
password_activate_cb (OknoLockPage *self, GtkPasswordEntry *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "lock.unlock", NULL);
}

static void
okno_lock_page_map (GtkWidget *widget)
{
  OknoLockPage *self = OKNO_LOCK_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (okno_lock_page_parent_class)->map (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), GTK_WIDGET (self->unlock_button));
}

static void
okno_lock_page_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), NULL);
  GTK_WIDGET_CLASS (okno_lock_page_parent_class)->unmap (widget);
}

static void
okno_lock_page_dispose (GObject *object)
{
  OknoLockPage *self = OKNO_LOCK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_LOCK_PAGE);
  G_OBJECT_CLASS (okno_lock_page_parent_class)->dispose (object);
}

static void
okno_lock_page_class_init (OknoLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_lock_page_dispose;
  widget_class->map = okno_lock_page_map;
  widget_class->unmap = okno_lock_page_unmap;

  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SWITCH_USER] = g_signal_new ("switch-user", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "lock.unlock", NULL, unlock_action_cb);
  gtk_widget_class_install_action (widget_class, "lock.switch-user", NULL, switch_user_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoLockPage, who_label);
  gtk_widget_class_bind_template_child (widget_class, OknoLockPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OknoLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, OknoLockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, password_activate_cb);
}

static void
okno_lock_page_init (OknoLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_lock_page_new (void)
{
  return g_object_new (OKNO_TYPE_LOCK_PAGE, NULL);
}

void
okno_lock_page_set_session (OknoLockPage *self, OknoSession *session)
{
  g_return_if_fail (OKNO_IS_LOCK_PAGE (self));
  g_return_if_fail (OKNO_IS_SESSION (session));

  g_set_object (&self->session, session);
}

void
okno_lock_page_reset (OknoLockPage *self)
{
  const char *name;
  g_autofree char *who = NULL;

  g_return_if_fail (OKNO_IS_LOCK_PAGE (self));

  name = self->session ? okno_session_get_staff_name (self->session) : NULL;
  if (name != NULL)
    who = g_strdup_printf (_ ("%s is signed in. Enter your password to go on where you left off."),
                           name);
  gtk_label_set_text (self->who_label,
                      who ? who : _ ("Enter your password to go on where you left off."));
  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  show_message (self, NULL);
}

void
okno_lock_page_focus (OknoLockPage *self)
{
  g_return_if_fail (OKNO_IS_LOCK_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}
