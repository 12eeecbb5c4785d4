/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-db.h"

G_BEGIN_DECLS

/* The central database's numbered schema (see okno_db_migrate). */
const OknoMigration *okno_central_schema_steps (guint *n_steps);

/* Checks that every collection's table has exactly the descriptor's
 * columns, in order, with NOT NULL where the field is required, so a
 * descriptor that moved on without a migration fails at start-up rather
 * than in a client. */
gboolean okno_central_schema_check (OknoDb *db, GError **error);

G_END_DECLS
