/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-store-error.h"

/* clang-format off */
G_DEFINE_QUARK (okno-store-error-quark, okno_store_error)
/* clang-format on */
