/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

#include "okno-throttle.h"

G_BEGIN_DECLS

/* An address counts this many times the failures of a login: a branch's
 * clerks may share one address behind a router. */
#define OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR 4

#define OKNO_TYPE_CENTRAL_THROTTLE (okno_central_throttle_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralThrottle, okno_central_throttle, OKNO, CENTRAL_THROTTLE, GObject)

/* The failed sign-ins okno-central remembers, per login and per address
 * (and failed refreshes per address), with the rule of okno-throttle.h.
 * In memory only: a restart forgets them. The clock is the caller's. */
OknoCentralThrottle *okno_central_throttle_new (const OknoThrottlePolicy *policy);

/* Seconds a sign-in as login (NULL: a refresh) from address must wait;
 * 0: check it. A refused attempt counts as a failure of its own. */
gint64 okno_central_throttle_check (OknoCentralThrottle *self, const char *login,
                                    const char *address, gint64 now);
/* A wrong password for login (NULL: an unknown refresh token). */
void okno_central_throttle_failed (OknoCentralThrottle *self, const char *login,
                                   const char *address, gint64 now);
/* The right password: the login starts again from nothing (its address
 * does not, or one good account would clear a guesser's record). */
void okno_central_throttle_succeeded (OknoCentralThrottle *self, const char *login);

G_END_DECLS
