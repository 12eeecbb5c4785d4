/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-meter-row.h"

#include <glib/gi18n.h>

#include "okno-format.h"

struct _OknoMeterRow
{
  AdwActionRow parent_instance;
  OknoMeter *meter;
  gboolean overdue;
  GtkLabel *reading_label;
  GtkLabel *reading_date_label;
  GtkLabel *overdue_label;
};

G_DEFINE_FINAL_TYPE (OknoMeterRow, okno_meter_row, ADW_TYPE_ACTION_ROW)

/* "T1 12,345 · T2 6,789" (kWh), zones the meter lacks left out. */
static char *
describe_reading (OknoMeter *meter)
{
  g_autoptr (GString) text = g_string_new (NULL);
  int zones = CLAMP (okno_meter_get_zones (meter), 1, 3);

  for (int zone = 1; zone <= zones; zone++)
    {
      gint64 value = okno_meter_get_last_reading (meter, zone);
      g_autofree char *number = NULL;

      if (value < 0)
        continue;
      number = okno_format_count (value);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: a meter zone and its reading in kWh, e.g. "T1 12,345" */
      g_string_append_printf (text, _ ("T%d %s"), zone, number);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_meter (OknoMeter *meter, const char *due)
{
  int zones = okno_meter_get_zones (meter);
  /* Translators: number of tariff zones of a meter */
  g_autofree char *zones_text = g_strdup_printf (ngettext ("%d zone", "%d zones", zones), zones);
  g_autofree char *verification = g_strdup_printf (_ ("verification due %s"), due ? due : "—");
  const char *location = okno_meter_get_location (meter);

  if (location != NULL && *location != '\0')
    return g_strjoin (" · ", okno_meter_get_model (meter), zones_text, location, verification,
                      NULL);
  return g_strjoin (" · ", okno_meter_get_model (meter), zones_text, verification, NULL);
}

static void
show_reading (OknoMeterRow *self)
{
  const char *taken_on = okno_meter_get_last_taken_on (self->meter);
  g_autofree char *reading = NULL;
  g_autofree char *date = NULL;
  g_autofree char *when = NULL;

  if (taken_on == NULL)
    {
      gtk_label_set_text (self->reading_label, _ ("No readings yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->reading_date_label), FALSE);
      return;
    }
  reading = describe_reading (self->meter);
  date = okno_format_date (taken_on);
  /* Translators: when the latest reading was taken */
  when = g_strdup_printf (_ ("taken %s"), date);
  gtk_label_set_text (self->reading_label, reading);
  gtk_label_set_text (self->reading_date_label, when);
}

static void
show_meter (OknoMeterRow *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  const char *due_iso = okno_meter_get_verification_due (self->meter);
  g_autofree char *due = okno_format_date (due_iso);
  g_autofree char *title
    = g_strdup_printf (_ ("Meter No. %s"), okno_meter_get_serial (self->meter));
  g_autofree char *subtitle = describe_meter (self->meter, due);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  show_reading (self);
  self->overdue = okno_date_is_past (due_iso, now);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_label), self->overdue);
}

static void
okno_meter_row_dispose (GObject *object)
{
  OknoMeterRow *self = OKNO_METER_ROW (object);

  g_clear_object (&self->meter);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_METER_ROW);
  G_OBJECT_CLASS (okno_meter_row_parent_class)->dispose (object);
}

static void
okno_meter_row_class_init (OknoMeterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_meter_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-meter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoMeterRow, reading_label);
  gtk_widget_class_bind_template_child (widget_class, OknoMeterRow, reading_date_label);
  gtk_widget_class_bind_template_child (widget_class, OknoMeterRow, overdue_label);
}

static void
okno_meter_row_init (OknoMeterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_meter_row_new (OknoMeter *meter)
{
  OknoMeterRow *self;

  g_return_val_if_fail (OKNO_IS_METER (meter), NULL);

  self = g_object_new (OKNO_TYPE_METER_ROW, NULL);
  self->meter = g_object_ref (meter);
  show_meter (self);
  return GTK_WIDGET (self);
}

gboolean
okno_meter_row_is_overdue (OknoMeterRow *self)
{
  g_return_val_if_fail (OKNO_IS_METER_ROW (self), FALSE);
  return self->overdue;
}
