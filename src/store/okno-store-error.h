/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What went wrong in the replica. A cancelled operation is not one of
 * them: it reports G_IO_ERROR_CANCELLED, as everything in GIO does, so a
 * caller checks one code whatever layer it cancelled. */
#define OKNO_STORE_ERROR (okno_store_error_quark ())

typedef enum
{
  OKNO_STORE_ERROR_FAILED,  /* SQLite said no; the message has its words */
  OKNO_STORE_ERROR_CORRUPT, /* the file is not a database, or damaged */
  OKNO_STORE_ERROR_TOO_NEW, /* written by a newer Okno */
  OKNO_STORE_ERROR_NOT_FOUND,
  OKNO_STORE_ERROR_INVALID, /* a row breaks the replica's rules */
  OKNO_STORE_ERROR_BUSY,    /* another process holds the replica */
} OknoStoreError;

GQuark okno_store_error_quark (void);

G_END_DECLS
