/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-account.h"

G_BEGIN_DECLS

/* One meter on the client card: serial, model and zones, the latest
 * reading per zone with its date, and the verification due date, flagged
 * when it has passed. */
#define OKNO_TYPE_METER_ROW (okno_meter_row_get_type ())
G_DECLARE_FINAL_TYPE (OknoMeterRow, okno_meter_row, OKNO, METER_ROW, AdwActionRow)

GtkWidget *okno_meter_row_new (OknoMeter *meter);
gboolean okno_meter_row_is_overdue (OknoMeterRow *self);

G_END_DECLS
