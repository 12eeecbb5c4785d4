/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "okno-collection.h"

G_BEGIN_DECLS

/* A deterministic generator of realistic demo data: Ekaterinburg
 * addresses, Russian names, organisations of every special category,
 * meters with plausible reading histories, payments, appeals, feedback, a
 * knowledge base, the production calendar and the service's own
 * reference data. The same options always give the same rows, byte for
 * byte, so a bug seen on one machine can be reproduced on another. */

#define OKNO_DEMO_ERROR (okno_demo_error_quark ())

typedef enum
{
  OKNO_DEMO_ERROR_INVALID_OPTIONS,
} OknoDemoError;

GQuark okno_demo_error_quark (void);

/* Rows are handed to the sink in batches of at most this many. */
#define OKNO_DEMO_BATCH_ROWS 1000

#define OKNO_DEMO_DEFAULT_ACCOUNTS 50000
#define OKNO_DEMO_MAX_ACCOUNTS     10000000
/* The day the data describes when the options name none. */
#define OKNO_DEMO_DEFAULT_TODAY "2026-11-27"

typedef struct
{
  guint accounts; /* clients; every other collection scales with it */
  guint64 seed;
  const char *today; /* YYYY-MM-DD the data is "as of"; NULL for the default */
} OknoDemoOptions;

/* Receives n_rows rows of one collection, row after row, each
 * collection->n_fields values in the descriptor's order; every value passes
 * okno_field_check. The values and their strings are only valid during the
 * call. Collections come in okno_collection_all() order, each exactly once
 * (possibly in several batches, never interleaved with another). */
typedef gboolean (*OknoDemoSink) (const OknoCollection *collection, const OknoValue *values,
                                  guint n_rows, gpointer user_data, GError **error);

void okno_demo_options_init (OknoDemoOptions *options);

/* Stops at the first error of the sink and returns it. */
gboolean okno_demo_generate (const OknoDemoOptions *options, OknoDemoSink sink, gpointer user_data,
                             GError **error);

/* The staff members every demo dataset has, whatever the seed. Each demo
 * staff member (these and the generated ones) signs in with the login as
 * the password. */
typedef struct
{
  const char *login;
  const char *full_name;
  const char *role; /* one of okno_roles */
  const char *branch_name;
} OknoDemoUser;

const OknoDemoUser *okno_demo_users (guint *n_users);

G_END_DECLS
