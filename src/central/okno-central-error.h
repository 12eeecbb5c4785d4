/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OKNO_CENTRAL_ERROR (okno_central_error_quark ())

typedef enum
{
  OKNO_CENTRAL_ERROR_FAILED,
  OKNO_CENTRAL_ERROR_INVALID, /* a request or an option breaks the rules */
  OKNO_CENTRAL_ERROR_NOT_FOUND,
  OKNO_CENTRAL_ERROR_UNAUTHORIZED,
  OKNO_CENTRAL_ERROR_INTERRUPTED, /* an earlier generation stopped half-way */
  OKNO_CENTRAL_ERROR_GONE,        /* a cursor below the change log's floor */
  OKNO_CENTRAL_ERROR_THROTTLED,   /* too many failed sign-ins: wait (429) */
} OknoCentralError;

GQuark okno_central_error_quark (void);

G_END_DECLS
