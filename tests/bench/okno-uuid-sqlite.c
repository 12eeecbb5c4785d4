/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno_uuid_blob () for the sqlite3 shell (.load), so that
 * tests/bench/download-1m.sh can import the same rows into the replica's
 * schema as the download writes them: Debian 12's sqlite3 (3.40) has no
 * unhex (). The conversion is the one the store binds with
 * (okno_uuid_to_bytes), so both sides pay for it alike. */

#include <sqlite3ext.h>
#include <string.h>

#include "okno-uuid.h"

SQLITE_EXTENSION_INIT1

int sqlite3_oknouuidsqlite_init (sqlite3 *db, char **error, const sqlite3_api_routines *api);

static void
uuid_blob (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  guint8 bytes[OKNO_UUID_BYTES];
  const char *text = (const char *)sqlite3_value_text (argv[0]);

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || (text != NULL && *text == '\0'))
    sqlite3_result_null (ctx); /* the CSV's empty field is the row's NULL */
  else if (okno_uuid_to_bytes (text, (gsize)sqlite3_value_bytes (argv[0]), bytes))
    sqlite3_result_blob (ctx, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_result_error (ctx, "okno_uuid_blob: not a UUID", -1);
}

int
sqlite3_oknouuidsqlite_init (sqlite3 *db, char **error, const sqlite3_api_routines *api)
{
  SQLITE_EXTENSION_INIT2 (api);
  return sqlite3_create_function (db, "okno_uuid_blob", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                  uuid_blob, NULL, NULL);
}
