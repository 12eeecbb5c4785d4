/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a request to the server failed. Cancellation is not among them: a
 * cancelled operation fails with G_IO_ERROR_CANCELLED, as in GIO. */
#define OKNO_SYNC_ERROR (okno_sync_error_quark ())

typedef enum
{
  OKNO_SYNC_ERROR_UNREACHABLE,      /* no answer: network down, refused, timed out */
  OKNO_SYNC_ERROR_BAD_RESPONSE,     /* the server answered something that breaks the contract */
  OKNO_SYNC_ERROR_UNAUTHORIZED,     /* wrong login or password, or the session expired */
  OKNO_SYNC_ERROR_SERVER,           /* the server reported its own failure (5xx) */
  OKNO_SYNC_ERROR_INVALID_URL,      /* not an absolute http(s) address */
  OKNO_SYNC_ERROR_RETRY_LATER,      /* 429 or 503: wait okno_client_get_retry_after () seconds */
  OKNO_SYNC_ERROR_CURSOR_EXPIRED,   /* 410: the change feed no longer reaches our cursor */
  OKNO_SYNC_ERROR_TOO_LARGE,        /* 413: send less at once */
  OKNO_SYNC_ERROR_UPGRADE_REQUIRED, /* 426: this version may no longer push */
  OKNO_SYNC_ERROR_BUSY,             /* another sync of this replica is running */
  OKNO_SYNC_ERROR_TLS,              /* the server's certificate is not trusted, or TLS failed */
  OKNO_SYNC_ERROR_PLAIN_HTTP,       /* http:// to another computer, not allowed in settings */
} OknoSyncErrorEnum;

GQuark okno_sync_error_quark (void);

G_END_DECLS
