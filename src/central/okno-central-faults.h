/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Failures okno-central stages on purpose for tests (--faults), as
 * docs/sync-protocol.md lists them. */
typedef enum
{
  OKNO_CENTRAL_FAULT_STATUS,            /* answer a status, do nothing */
  OKNO_CENTRAL_FAULT_DELAY,             /* wait, then answer normally */
  OKNO_CENTRAL_FAULT_RESET,             /* close the connection, do nothing */
  OKNO_CENTRAL_FAULT_TRUNCATE,          /* do the work, send half the body */
  OKNO_CENTRAL_FAULT_INVALID_JSON,      /* do the work, send a body that is not JSON */
  OKNO_CENTRAL_FAULT_RETRY_AFTER,       /* 429 with Retry-After, do nothing */
  OKNO_CENTRAL_FAULT_FAIL_AFTER_COMMIT, /* do the work, then answer status (0: reset) */
  OKNO_CENTRAL_FAULT_GZIP_CORRUPT,      /* do the work, gzip it, damage the deflate stream */
  OKNO_CENTRAL_FAULT_GZIP_BAD_CRC,      /* do the work, gzip it, damage only the CRC-32 */
  OKNO_CENTRAL_FAULT_GZIP_CUT,          /* do the work, send half the gzip stream, honestly sized */
} OknoCentralFaultMode;

typedef struct
{
  char *path; /* a prefix of the request path */
  OknoCentralFaultMode mode;
  guint count;
  guint status;
  guint delay_ms;
  guint retry_after;
} OknoCentralFault;

OknoCentralFault *okno_central_fault_copy (const OknoCentralFault *fault);
void okno_central_fault_free (OknoCentralFault *fault);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoCentralFault, okno_central_fault_free)

#define OKNO_TYPE_CENTRAL_FAULTS (okno_central_faults_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralFaults, okno_central_faults, OKNO, CENTRAL_FAULTS, GObject)

OknoCentralFaults *okno_central_faults_new (void);

/* Adds the fault a POST /_faults body describes; a bad description is
 * OKNO_CENTRAL_ERROR_INVALID and changes nothing. */
gboolean okno_central_faults_add (OknoCentralFaults *self, JsonObject *spec, GError **error);
void okno_central_faults_clear (OknoCentralFaults *self);

/* The first fault whose path prefixes path, counted against its count (it
 * clears itself at zero); NULL when none applies. */
OknoCentralFault *okno_central_faults_take (OknoCentralFaults *self, const char *path);

G_END_DECLS
