/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-db.h"

G_BEGIN_DECLS

/* The replica's numbered schema steps, oldest first. */
const OknoMigration *okno_schema_migrations (guint *n_steps);

/* A secondary index of a collection's table as the last step left it. */
typedef struct
{
  const char *collection;
  const char *name;
  const char *sql;
} OknoSchemaIndex;

/* The secondary indexes of the schema's collections (not primary keys,
 * not the search index), which the first download builds after their
 * rows. A step that changes one of them changes this list too. */
const OknoSchemaIndex *okno_schema_indexes (guint *n_indexes);

G_END_DECLS
