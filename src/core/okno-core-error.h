/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OKNO_CORE_ERROR (okno_core_error_quark ())

typedef enum
{
  OKNO_CORE_ERROR_INVALID,      /* a value breaks a rule of the domain or the contract */
  OKNO_CORE_ERROR_MISSING,      /* a required value is absent */
  OKNO_CORE_ERROR_OUT_OF_RANGE, /* a number beyond a limit of the policy */
  OKNO_CORE_ERROR_FORBIDDEN,    /* the person's role may not do this */
} OknoCoreError;

GQuark okno_core_error_quark (void);

G_END_DECLS
