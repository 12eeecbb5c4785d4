/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gi18n-lib.h>

#include "okno-upgrade-window.h"

struct _OknoUpgradeWindow
{
  AdwApplicationWindow parent_instance;

  GtkProgressBar *progress;
  guint pulse_id;
};

G_DEFINE_FINAL_TYPE (OknoUpgradeWindow, okno_upgrade_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
pulse_cb (gpointer data)
{
  OknoUpgradeWindow *self = data;

  gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

static void
okno_upgrade_window_dispose (GObject *object)
{
  OknoUpgradeWindow *self = OKNO_UPGRADE_WINDOW (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  G_OBJECT_CLASS (okno_upgrade_window_parent_class)->dispose (object);
}

static void
okno_upgrade_window_class_init (OknoUpgradeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_upgrade_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/eens/Okno/okno-upgrade-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoUpgradeWindow, progress);
}

static void
okno_upgrade_window_init (OknoUpgradeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pulse_id = g_timeout_add (200, pulse_cb, self);
}

GtkWidget *
okno_upgrade_window_new (GtkApplication *application)
{
  return g_object_new (OKNO_TYPE_UPGRADE_WINDOW, "application", application, NULL);
}
