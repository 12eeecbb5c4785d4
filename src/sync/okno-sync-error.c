/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The sync layer's error domain. */

#include "okno-sync-error.h"

/* clang-format off */
G_DEFINE_QUARK (okno-sync-error-quark, okno_sync_error)
/* clang-format on */
