/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-sync-indicator.h"

#include <glib/gi18n.h>

#include "okno-sync-status.h"

struct _OknoSyncIndicator
{
  GtkWidget parent_instance;
  OknoSyncScheduler *scheduler;
  OknoClient *client;

  GtkWidget *plain_http_warning;
  GtkWidget *attention_button;
  GtkWidget *sync_button;
  GtkImage *sync_icon;
  GtkLabel *sync_label;
};

G_DEFINE_FINAL_TYPE (OknoSyncIndicator, okno_sync_indicator, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SCHEDULER,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The description, what went wrong, the clock, and what a click does. */
static void
show_tooltip (OknoSyncIndicator *self, OknoSyncState state, const char *describe)
{
  const char *error = okno_sync_scheduler_get_last_error (self->scheduler);
  g_autofree char *skew = NULL;
  g_autoptr (GString) tooltip = g_string_new (describe);

  if (self->client != NULL)
    skew = okno_sync_status_clock_warning (okno_client_get_clock_skew (self->client));
  if (error != NULL && state != OKNO_SYNC_STATE_IDLE)
    g_string_append_printf (tooltip, "\n%s", error);
  if (skew != NULL)
    g_string_append_printf (tooltip, "\n%s", skew);
  g_string_append_printf (tooltip, "\n%s", _ ("Click to sync now (Ctrl+R)"));
  gtk_widget_set_tooltip_text (self->sync_button, tooltip->str);
}

static void
show_state (OknoSyncIndicator *self)
{
  OknoSyncState state = okno_sync_scheduler_get_state (self->scheduler);
  const OknoSyncReport *report = okno_sync_scheduler_get_report (self->scheduler);
  GDateTime *last_sync = okno_sync_scheduler_get_last_sync (self->scheduler);
  g_autofree char *label = okno_sync_status_label (state, last_sync, report, NULL);
  g_autofree char *describe = okno_sync_status_describe (state, last_sync, report, NULL);

  gtk_label_set_text (self->sync_label, label);
  gtk_image_set_from_icon_name (self->sync_icon, okno_sync_status_icon_name (state));
  if (state == OKNO_SYNC_STATE_IDLE || state == OKNO_SYNC_STATE_SYNCING)
    gtk_widget_remove_css_class (self->sync_button, "okno-sync-problem");
  else
    gtk_widget_add_css_class (self->sync_button, "okno-sync-problem");
  show_tooltip (self, state, describe);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  describe, -1);
}

static void
show_attention (OknoSyncIndicator *self)
{
  const OknoSyncReport *report = okno_sync_scheduler_get_report (self->scheduler);
  g_autofree char *attention = okno_sync_status_attention (report);

  gtk_widget_set_visible (self->attention_button, attention != NULL);
  if (attention != NULL)
    gtk_button_set_label (GTK_BUTTON (self->attention_button), attention);
}

/* Allowed by an administrator, but never silent. */
static void
show_plain_http (OknoSyncIndicator *self)
{
  gboolean unencrypted = self->client != NULL && okno_client_is_unencrypted (self->client);
  g_autofree char *why = NULL;

  gtk_widget_set_visible (self->plain_http_warning, unencrypted);
  if (!unencrypted)
    return;
  why = g_strdup_printf (_ ("Okno talks to %s over plain HTTP: what it sends, personal data "
                            "included, can be read on the network. Plain HTTP is allowed in "
                            "Preferences."),
                         okno_client_get_base_url (self->client));
  gtk_widget_set_tooltip_text (self->plain_http_warning, why);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->plain_http_warning),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
}

static void
update (OknoSyncIndicator *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), self->scheduler != NULL);
  if (self->scheduler == NULL)
    return;
  show_state (self);
  show_attention (self);
  show_plain_http (self);
}

static void
okno_sync_indicator_dispose (GObject *object)
{
  OknoSyncIndicator *self = OKNO_SYNC_INDICATOR (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_SYNC_INDICATOR);
  G_OBJECT_CLASS (okno_sync_indicator_parent_class)->dispose (object);
}

static void
okno_sync_indicator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoSyncIndicator *self = OKNO_SYNC_INDICATOR (object);

  switch (prop_id)
    {
      case PROP_SCHEDULER:
        g_value_set_object (value, self->scheduler);
        break;
      case PROP_CLIENT:
        g_value_set_object (value, self->client);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_sync_indicator_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  OknoSyncIndicator *self = OKNO_SYNC_INDICATOR (object);

  switch (prop_id)
    {
      case PROP_SCHEDULER:
        okno_sync_indicator_set_scheduler (self, g_value_get_object (value));
        break;
      case PROP_CLIENT:
        okno_sync_indicator_set_client (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_sync_indicator_class_init (OknoSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_sync_indicator_dispose;
  object_class->get_property = okno_sync_indicator_get_property;
  object_class->set_property = okno_sync_indicator_set_property;

  properties[PROP_SCHEDULER]
    = g_param_spec_object ("scheduler", NULL, NULL, OKNO_TYPE_SYNC_SCHEDULER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT]
    = g_param_spec_object ("client", NULL, NULL, OKNO_TYPE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/eens/Okno/okno-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoSyncIndicator, plain_http_warning);
  gtk_widget_class_bind_template_child (widget_class, OknoSyncIndicator, attention_button);
  gtk_widget_class_bind_template_child (widget_class, OknoSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, OknoSyncIndicator, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, OknoSyncIndicator, sync_label);
}

static void
okno_sync_indicator_init (OknoSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_sync_indicator_new (void)
{
  return g_object_new (OKNO_TYPE_SYNC_INDICATOR, NULL);
}

void
okno_sync_indicator_set_scheduler (OknoSyncIndicator *self, OknoSyncScheduler *scheduler)
{
  g_return_if_fail (OKNO_IS_SYNC_INDICATOR (self));
  g_return_if_fail (scheduler == NULL || OKNO_IS_SYNC_SCHEDULER (scheduler));

  if (self->scheduler == scheduler)
    return;
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  /* All the indicator hears of the scheduler. */
  if (scheduler != NULL)
    g_signal_connect_object (scheduler, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

OknoSyncScheduler *
okno_sync_indicator_get_scheduler (OknoSyncIndicator *self)
{
  g_return_val_if_fail (OKNO_IS_SYNC_INDICATOR (self), NULL);
  return self->scheduler;
}

void
okno_sync_indicator_set_client (OknoSyncIndicator *self, OknoClient *client)
{
  g_return_if_fail (OKNO_IS_SYNC_INDICATOR (self));
  g_return_if_fail (client == NULL || OKNO_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

OknoClient *
okno_sync_indicator_get_client (OknoSyncIndicator *self)
{
  g_return_val_if_fail (OKNO_IS_SYNC_INDICATOR (self), NULL);
  return self->client;
}
