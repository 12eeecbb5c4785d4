/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-central-error.h"

/* clang-format would put spaces into the quark's name. */
/* clang-format off */
G_DEFINE_QUARK (okno-central-error-quark, okno_central_error)
/* clang-format on */
