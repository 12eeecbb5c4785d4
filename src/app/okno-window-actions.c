/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The window's win.* actions, their shortcuts, and when each is enabled.
 * The work each one starts lives with the window (okno-window.c). */

#include "okno-window-private.h"

#include <glib/gi18n.h>

#include "okno-attention-window.h"

static void
search_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "search");
  okno_search_panel_focus_search (self->search_panel);
}

static void
back_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  search_cb (widget, action_name, parameter);
}

/* Ctrl+I works wherever the focus is, not only inside the card. */
static void
confirm_identity_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->client_card), "card.confirm-identity", NULL);
}

static void
lock_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _okno_window_lock (OKNO_WINDOW (widget));
}

static void
sign_out_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _okno_window_sign_out (OKNO_WINDOW (widget),
                         _ ("You have signed out. The next staff member can sign in."), "");
}

static void
sync_now_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);

  if (self->scheduler != NULL)
    okno_sync_scheduler_sync_now (self->scheduler);
}

/* Staff settled something: the header's counts and the server follow. */
static void
attention_changed_cb (OknoWindow *self, OknoAttentionWindow *window)
{
  if (self->scheduler == NULL)
    return;
  okno_sync_scheduler_recount (self->scheduler);
  okno_sync_scheduler_sync_now (self->scheduler);
}

static void
needs_attention_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoWindow *self = OKNO_WINDOW (widget);
  GtkWidget *window;

  if (self->attention_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->attention_window));
      return;
    }
  window = okno_attention_window_new (GTK_WINDOW (self), okno_session_get_store (self->session));
  g_set_weak_pointer (&self->attention_window, window);
  g_signal_connect_object (window, "changed", G_CALLBACK (attention_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

void
_okno_window_actions_update (OknoWindow *self)
{
  gboolean main = _okno_window_showing_main (self);
  gboolean in = okno_session_is_signed_in (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", main);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.confirm-identity", main);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 main && gtk_widget_get_visible (self->back_button));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", main && in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now", self->scheduler != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.needs-attention",
                                 main && self->scheduler != NULL);
}

void
_okno_window_class_actions_init (OknoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_cb);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_cb);
  gtk_widget_class_install_action (widget_class, "win.confirm-identity", NULL, confirm_identity_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.confirm-identity", NULL);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_cb);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Q, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.sign-out", NULL);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_cb);
  gtk_widget_class_install_action (widget_class, "win.needs-attention", NULL, needs_attention_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-now",
                                       NULL);
}
