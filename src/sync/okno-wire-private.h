/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "okno-wire.h"

G_BEGIN_DECLS

struct _OknoWirePage
{
  JsonParser *parser;    /* object format: owns every string the values point to */
  GStringChunk *strings; /* dense format: the page's arena of strings */
  OknoValue *values;
  guint n_rows;
  char *next_after;
  gboolean has_more;
};

gboolean _okno_wire_bad (GError **error, const char *what);
gboolean _okno_wire_wrong_type (const char *name, GError **error);
/* okno_field_check, its error the server's: OKNO_SYNC_ERROR_BAD_RESPONSE. */
gboolean _okno_wire_check_value (const OknoField *field, const OknoValue *v, GError **error);
/* The rules every page obeys whatever its format: next_after is the key of
 * the last row, and only a page with rows says more follow. */
gboolean _okno_wire_page_check_paging (OknoWirePage *page, const OknoCollection *collection,
                                       GError **error);

/* A dense page (docs/sync-protocol.md); *is_object set, and NULL returned
 * without an error, when the body is a page of the object format. */
OknoWirePage *_okno_wire_parse_dense_page (GBytes *body, const OknoCollection *collection,
                                           gboolean *is_object, GError **error);

G_END_DECLS
