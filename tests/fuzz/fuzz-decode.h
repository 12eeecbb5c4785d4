/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

/* Decodes body as the answer which selects: session, snapshot info, a
 * snapshot page of one collection, changes, push results or an error
 * (which % 6; which / 6 picks the collection or the batch size). A decoder
 * that fails frees what it made; one that succeeds is freed here. */
void fuzz_decode (guint8 which, GBytes *body);
