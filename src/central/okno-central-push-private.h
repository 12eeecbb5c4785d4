/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-central-push.h"
#include "okno-limits.h"

G_BEGIN_DECLS

/* What okno-central-push.c and okno-central-appeal.c share. */
typedef struct
{
  OknoCentralStore *store;
  OknoDb *db;
  const char *staff_id; /* the token's */
  const char *device_id;
  const char *mutation_id;
  gint64 seq;      /* of the commit in hand */
  char *branch_id; /* the staff member's, as the server knows it; NULL: none */
  OknoLimits limits;
} OknoCentralPush;

gboolean _okno_central_reject (GError **error, OknoCentralRejection code, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* A JSON member decoded as the field's type; strings are borrowed. */
gboolean _okno_central_decode_value (const OknoField *field, JsonNode *node, OknoValue *value,
                                     GError **error);
/* A non-null reference must name an existing record. */
gboolean _okno_central_check_reference (OknoCentralPush *push, const OknoField *field,
                                        const OknoValue *value, GError **error);

/* A patch of an appeal: field merge, status rule and conflicts. Fills the
 * result's version (and conflicts); a rejection comes as an error in
 * OKNO_CENTRAL_REJECTION. */
gboolean _okno_central_patch_appeal (OknoCentralPush *push, const char *key, JsonObject *data,
                                     JsonObject *result, GError **error);

/* A created appeal is a registration (docs/appeals.md, "Registration"):
 * created registered, with what okno_appeal_registration_check needs, and
 * a number of the pushing desktop's branch and desk code there. */
gboolean _okno_central_check_appeal_create (OknoCentralPush *push, const OknoCollection *c,
                                            const OknoValue *values, GError **error);
/* An appeal_documents create is a described document
 * (okno_appeal_document_check). */
gboolean _okno_central_check_appeal_document (const OknoCollection *c, const OknoValue *values,
                                              GError **error);

/* The resolution of an appeal_conflicts row of that appeal: settles it
 * (the first resolution wins) and merges the chosen value like a patch. */
gboolean _okno_central_resolve_conflict (OknoCentralPush *push, const char *key, JsonObject *data,
                                         JsonObject *result, GError **error);

G_END_DECLS
