/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-collection.h"
#include "okno-staff.h"
#include "okno-store.h"
#include "okno-sync-error.h"

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

/* refresh_token may be NULL when the caller does not keep one; a server
 * that sends none leaves *refresh_token NULL. */
gboolean okno_wire_parse_session (GBytes *body, char **access_token, gint64 *expires_in,
                                  char **refresh_token, OknoStaff **staff, GError **error);
OknoWireSnapshotInfo *okno_wire_parse_snapshot_info (GBytes *body, GError **error);
OknoWirePage *okno_wire_parse_snapshot_page (GBytes *body, const OknoCollection *collection,
                                             GError **error);
/* A page of the change feed. Changes of collections this version does not
 * know are left out; every other change is checked like a snapshot row. */
typedef struct _OknoWireChanges OknoWireChanges;

void okno_wire_changes_free (OknoWireChanges *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoWireChanges, okno_wire_changes_free)
OknoWireChanges *okno_wire_parse_changes (GBytes *body, GError **error);
const OknoChange *okno_wire_changes_get (OknoWireChanges *changes, guint *n);
gint64 okno_wire_changes_get_cursor (OknoWireChanges *changes);
gboolean okno_wire_changes_has_more (OknoWireChanges *changes);

/* The answer to a push: one result per mutation sent, in the order sent. */
typedef struct _OknoWirePushResults OknoWirePushResults;

void okno_wire_push_results_free (OknoWirePushResults *results);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoWirePushResults, okno_wire_push_results_free)
OknoWirePushResults *okno_wire_parse_push_results (GBytes *body, const char *const *sent_ids,
                                                   guint n_sent, GError **error);
const OknoPushResult *okno_wire_push_results_get (OknoWirePushResults *results, guint *n);

/* The message of an Error body, or NULL when the body is not one. */
char *okno_wire_parse_error (GBytes *body);

G_END_DECLS
