/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-db.h"

G_BEGIN_DECLS

/* The replica's numbered schema steps, oldest first. */
const OknoMigration *okno_schema_migrations (guint *n_steps);

G_END_DECLS
