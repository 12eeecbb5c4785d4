/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An appeal's number, which the client quotes: unique across every branch
 * and desktop even when made offline, because each part is owned by one
 * party.
 *
 *   ЦОК-01-07-26-00123
 *   ^^^^^^ the branch's code (branches.code; may itself hold dashes)
 *          ^^ the desk code: the desktop's number in that branch, given
 *             by okno-central at the first sign-in there (0: the server
 *             itself, for what arrives through it, e.g. web reception)
 *             ^^ the year of registration, two digits, branch time
 *                ^^^^^ the desktop's own sequence in that branch and year
 *
 * Two desktops of a branch never share a desk code, and each counts its
 * own sequence, so no two numbers collide without anyone asking anyone. */

#define OKNO_DESK_CODE_MAX       9999
#define OKNO_APPEAL_SEQUENCE_MAX 9999999

/* NULL with error (OKNO_CORE_ERROR_INVALID) when a part is out of range or
 * the branch code is empty or not a printable one-line text. */
char *okno_appeal_number_compose (const char *branch_code, gint64 desk_code, int year,
                                  gint64 sequence, GError **error);

/* The parts of a number okno_appeal_number_compose made; FALSE with error
 * for anything else. Any out parameter may be NULL. */
gboolean okno_appeal_number_parse (const char *number, char **branch_code, gint64 *desk_code,
                                   int *year, gint64 *sequence, GError **error);

G_END_DECLS
