#pragma once

#include <gio/gio.h>

#include "okno-client.h"
#include "okno-collection.h"

G_BEGIN_DECLS

/* Decoders of everything the server sends. They trust nothing: a missing or
 * mistyped member, a value outside its field's rules, or text that is not
 * JSON is an OKNO_SYNC_ERROR_BAD_RESPONSE, never a crash. They are pure
 * (bytes in, values out), which is what the fuzz targets exercise. */

typedef struct
{
  char *name;
  gint64 count;
} OknoWireCollection;

typedef struct
{
  gint64 cursor;
  GPtrArray *collections; /* of OknoWireCollection */
} OknoWireSnapshotInfo;

void okno_wire_snapshot_info_free (OknoWireSnapshotInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoWireSnapshotInfo, okno_wire_snapshot_info_free)

/* One page of a collection. values holds n_rows * collection->n_fields
 * values whose strings point into the parsed document kept by the page. */
typedef struct _OknoWirePage OknoWirePage;

void okno_wire_page_free (OknoWirePage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoWirePage, okno_wire_page_free)
const OknoValue *okno_wire_page_get_values (OknoWirePage *page, guint *n_rows);
const char *okno_wire_page_get_next_after (OknoWirePage *page);
gboolean okno_wire_page_has_more (OknoWirePage *page);

gboolean okno_wire_parse_session (GBytes *body, char **access_token, gint64 *expires_in,
                                  OknoStaff **staff, GError **error);
OknoWireSnapshotInfo *okno_wire_parse_snapshot_info (GBytes *body, GError **error);
OknoWirePage *okno_wire_parse_snapshot_page (GBytes *body, const OknoCollection *collection,
                                             GError **error);
/* The message of an Error body, or NULL when the body is not one. */
char *okno_wire_parse_error (GBytes *body);

G_END_DECLS
