/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-core-error.h"

/* clang-format off */
G_DEFINE_QUARK (okno-core-error-quark, okno_core_error)
/* clang-format on */
