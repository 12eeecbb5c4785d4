/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "okno-store-error.h"

G_BEGIN_DECLS

typedef enum
{
  OKNO_DB_READ_WRITE = 0,
  OKNO_DB_READ_ONLY = 1 << 0,
} OknoDbFlags;

/* One numbered step of a schema. Steps are frozen once released: a change
 * to the schema is always a new step. */
typedef struct
{
  int version;
  const char *sql;
  /* The step rewrites tables (create, copy, drop, rename): it runs with
   * foreign keys off, as dropping a table would otherwise delete what
   * refers to it, and commits only if the file then passes PRAGMA
   * integrity_check and holds no more broken references than before. */
  gboolean rewrites;
} OknoMigration;

#define OKNO_TYPE_DB (okno_db_get_type ())
G_DECLARE_FINAL_TYPE (OknoDb, okno_db, OKNO, DB, GObject)

/* A single SQLite connection. It is not shared between threads at the same
 * time: whoever owns an OknoDb serialises access to it (OknoStore keeps one
 * mutex per connection). */
OknoDb *okno_db_open (const char *path, OknoDbFlags flags, GError **error);
sqlite3 *okno_db_get_handle (OknoDb *self);
const char *okno_db_get_path (OknoDb *self);

gboolean okno_db_exec (OknoDb *self, const char *sql, GError **error);

/* Prepared once per connection and cached; the statement comes back reset
 * with its bindings cleared. Owned by the connection: do not finalize. */
sqlite3_stmt *okno_db_prepare (OknoDb *self, const char *sql, GError **error);

/* SQLITE_ROW or SQLITE_DONE, or -1 with error set. */
int okno_db_step (OknoDb *self, sqlite3_stmt *stmt, GError **error);

gboolean okno_db_begin (OknoDb *self, GError **error);
gboolean okno_db_commit (OknoDb *self, GError **error);
void okno_db_rollback (OknoDb *self);

int okno_db_get_user_version (OknoDb *self, GError **error);

/* Runs every step above the file's user_version, each in its own
 * transaction together with the new user_version. A file newer than the
 * last step is refused untouched. */
gboolean okno_db_migrate (OknoDb *self, const OknoMigration *steps, guint n_steps, GError **error);

/* Interrupts a running statement when cancellable fires (from any thread). */
void okno_db_set_cancellable (OknoDb *self, GCancellable *cancellable);

gboolean okno_db_set_error (OknoDb *self, int rc, GError **error);

G_END_DECLS
