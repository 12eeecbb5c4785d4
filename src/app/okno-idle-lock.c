/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-idle-lock.h"

struct _OknoIdleLock
{
  GObject parent_instance;
  GSettings *settings;
  int seconds;       /* -1: the setting's minutes */
  gboolean counting; /* between start and stop, until idle */
  gint64 last_input; /* monotonic time of the last key or pointer event */
  guint timeout_id;
};

G_DEFINE_FINAL_TYPE (OknoIdleLock, okno_idle_lock, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_SECONDS,
  N_PROPS
};

enum
{
  IDLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static guint
limit_seconds (OknoIdleLock *self)
{
  if (self->seconds >= 0)
    return (guint)self->seconds;
  return g_settings_get_uint (self->settings, "idle-lock-minutes") * 60;
}

static gboolean timeout_cb (gpointer data);

/* Waits for what is left of the idle time; input only moves last_input,
 * so the timer is set again when it fires, not on every event. */
static void
arm (OknoIdleLock *self)
{
  guint limit = limit_seconds (self);
  gint64 left_us;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!self->counting || limit == 0)
    return;
  left_us = (gint64)limit * G_USEC_PER_SEC - (g_get_monotonic_time () - self->last_input);
  if (left_us > 0)
    {
      self->timeout_id = g_timeout_add ((guint)((left_us + 999) / 1000), timeout_cb, self);
      return;
    }
  self->counting = FALSE;
  g_signal_emit (self, signals[IDLE], 0);
}

static gboolean
timeout_cb (gpointer data)
{
  g_autoptr (OknoIdleLock) self = g_object_ref (OKNO_IDLE_LOCK (data));

  self->timeout_id = 0;
  arm (self);
  return G_SOURCE_REMOVE;
}

static gboolean
event_cb (OknoIdleLock *self, GdkEvent *event, GtkEventControllerLegacy *controller)
{
  switch (gdk_event_get_event_type (event))
    {
      case GDK_KEY_PRESS:
      case GDK_BUTTON_PRESS:
      case GDK_MOTION_NOTIFY:
      case GDK_SCROLL:
      case GDK_TOUCH_BEGIN:
        okno_idle_lock_note_input (self);
        break;
      default:
        break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
set_settings (OknoIdleLock *self, GSettings *settings)
{
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::idle-lock-minutes", G_CALLBACK (arm), self,
                           G_CONNECT_SWAPPED);
}

static void
okno_idle_lock_dispose (GObject *object)
{
  OknoIdleLock *self = OKNO_IDLE_LOCK (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (okno_idle_lock_parent_class)->dispose (object);
}

static void
okno_idle_lock_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoIdleLock *self = OKNO_IDLE_LOCK (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      case PROP_SECONDS:
        g_value_set_int (value, self->seconds);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_idle_lock_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  OknoIdleLock *self = OKNO_IDLE_LOCK (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        set_settings (self, g_value_get_object (value));
        break;
      case PROP_SECONDS:
        okno_idle_lock_set_seconds (self, g_value_get_int (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_idle_lock_class_init (OknoIdleLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_idle_lock_dispose;
  object_class->get_property = okno_idle_lock_get_property;
  object_class->set_property = okno_idle_lock_set_property;

  properties[PROP_SETTINGS]
    = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDS]
    = g_param_spec_int ("seconds", NULL, NULL, -1, G_MAXINT, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 0);
}

static void
okno_idle_lock_init (OknoIdleLock *self)
{
  self->seconds = -1;
  self->last_input = g_get_monotonic_time ();
}

OknoIdleLock *
okno_idle_lock_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (OKNO_TYPE_IDLE_LOCK, "settings", settings, NULL);
}

void
okno_idle_lock_watch (OknoIdleLock *self, GtkWidget *widget)
{
  GtkEventController *controller;

  g_return_if_fail (OKNO_IS_IDLE_LOCK (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* The capture phase: the window sees the input before the focused
   * widget, which may stop it. */
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (event_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);
}

void
okno_idle_lock_note_input (OknoIdleLock *self)
{
  g_return_if_fail (OKNO_IS_IDLE_LOCK (self));
  self->last_input = g_get_monotonic_time ();
}

void
okno_idle_lock_start (OknoIdleLock *self)
{
  g_return_if_fail (OKNO_IS_IDLE_LOCK (self));

  self->counting = TRUE;
  self->last_input = g_get_monotonic_time ();
  arm (self);
}

void
okno_idle_lock_stop (OknoIdleLock *self)
{
  g_return_if_fail (OKNO_IS_IDLE_LOCK (self));

  self->counting = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

gboolean
okno_idle_lock_is_armed (OknoIdleLock *self)
{
  g_return_val_if_fail (OKNO_IS_IDLE_LOCK (self), FALSE);
  return self->timeout_id != 0;
}

void
okno_idle_lock_set_seconds (OknoIdleLock *self, int seconds)
{
  g_return_if_fail (OKNO_IS_IDLE_LOCK (self));

  seconds = MAX (seconds, -1);
  if (self->seconds == seconds)
    return;
  self->seconds = seconds;
  arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS]);
}

int
okno_idle_lock_get_seconds (OknoIdleLock *self)
{
  g_return_val_if_fail (OKNO_IS_IDLE_LOCK (self), -1);
  return self->seconds;
}
