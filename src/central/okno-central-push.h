/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "okno-central-store.h"

G_BEGIN_DECLS

#define OKNO_CENTRAL_PUSH_MAX_MUTATIONS 100
#define OKNO_CENTRAL_PUSH_MAX_BYTES     (1024 * 1024)

/* Why a single mutation was refused; the API's code is
 * okno_central_rejection_code (). */
#define OKNO_CENTRAL_REJECTION (okno_central_rejection_quark ())

typedef enum
{
  OKNO_CENTRAL_REJECTION_INVALID_MUTATION, /* the mutation itself is malformed */
  OKNO_CENTRAL_REJECTION_UNSUPPORTED,      /* no such collection or op */
  OKNO_CENTRAL_REJECTION_INVALID_ROW,      /* a field breaks its descriptor or a rule */
  OKNO_CENTRAL_REJECTION_UNKNOWN_REFERENCE,
  OKNO_CENTRAL_REJECTION_NOT_FOUND, /* a patch of a record that does not exist */
  OKNO_CENTRAL_REJECTION_DUPLICATE_KEY,
  OKNO_CENTRAL_REJECTION_INVALID_TRANSITION,
  OKNO_CENTRAL_REJECTION_NOT_AUTHOR,   /* names another staff member or branch */
  OKNO_CENTRAL_REJECTION_OUT_OF_RANGE, /* an amount or a reading beyond its limits */
} OknoCentralRejection;

GQuark okno_central_rejection_quark (void);
const char *okno_central_rejection_code (OknoCentralRejection rejection);

/* Applies a device's mutations in order, each exactly once: every one that
 * is accepted is its own commit, holding its effect and its stored answer.
 * Returns one result per mutation (the API's MutationResult); NULL only
 * when the database failed. Each element of mutations must be an object
 * with a UUID mutation_id (the caller checks the batch's shape). */
JsonArray *okno_central_push (OknoCentralStore *store, const char *staff_id, const char *device_id,
                              JsonArray *mutations, GError **error);

G_END_DECLS
