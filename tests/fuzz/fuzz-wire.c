/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer target over every decoder of server answers (src/sync/okno-wire.c).
 * The first byte picks the decoder (fuzz-decode.c), the rest is the body. A
 * crash, a leak or an ASan/UBSan report is a finding; an error return is the
 * expected answer to garbage. */

#include "fuzz-decode.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GBytes) body = NULL;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  fuzz_decode (data[0], body);
  return 0;
}
