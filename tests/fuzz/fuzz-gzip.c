/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer target over the gzip path of server answers. okno-central
 * compresses its answers (--gzip-level); libsoup's SoupContentDecoder,
 * which the client's SoupSession has by default, inflates them with a
 * GZlibDecompressor in a GConverterInputStream, and
 * soup_session_send_and_read (src/sync/okno-client.c, send_once) reads the
 * result whole into memory before a decoder of src/sync/okno-wire.c parses
 * it. This target does the same: the first byte picks the decoder
 * (fuzz-decode.c), the rest is the compressed body. A body that does not
 * inflate is dropped, as the client drops it with a transport error.
 *
 * Random changes to compressed bytes almost never inflate (the gzip trailer
 * holds a CRC of the plain text), so most inputs would stop at the
 * decompressor. A custom mutator therefore mostly changes the plain text
 * and compresses it again, and otherwise the compressed bytes themselves,
 * so both the decompressor and the decoders behind it are fuzzed. */

#include <gio/gio.h>
#include <string.h>

#include "fuzz-decode.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);
size_t LLVMFuzzerMutate (guint8 *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator (guint8 *data, size_t size, size_t max_size, unsigned int seed);

/* The inflated body, or NULL when it does not inflate. */
static GBytes *
inflate (const guint8 *data, size_t size)
{
  g_autoptr (GInputStream) compressed = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr (GZlibDecompressor) gzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) plain = g_converter_input_stream_new (compressed, G_CONVERTER (gzip));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (
        out, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
        NULL)
      < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GBytes) body = NULL;

  if (size < 1)
    return 0;
  body = inflate (data + 1, size - 1);
  if (body != NULL)
    fuzz_decode (data[0], body);
  return 0;
}

/* data compressed as okno-central compresses its answers, or NULL. */
static GBytes *
deflate (const guint8 *data, size_t size)
{
  g_autoptr (GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) packed = g_converter_output_stream_new (out, G_CONVERTER (gzip));

  if (!g_output_stream_write_all (packed, data, size, NULL, NULL, NULL)
      || !g_output_stream_close (packed, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Changes the plain text of an input that inflates and compresses it
 * again; NULL when the input does not inflate. */
static GBytes *
mutate_plain (const guint8 *data, size_t size, size_t max_size)
{
  g_autoptr (GBytes) plain = inflate (data + 1, size - 1);
  g_autofree guint8 *buffer = NULL;
  gsize length, room;

  if (plain == NULL)
    return NULL;
  length = g_bytes_get_size (plain);
  room = MAX (length, max_size) * 2;
  buffer = g_malloc (room);
  if (length > 0)
    memcpy (buffer, g_bytes_get_data (plain, NULL), length);
  return deflate (buffer, LLVMFuzzerMutate (buffer, length, room));
}

size_t
LLVMFuzzerCustomMutator (guint8 *data, size_t size, size_t max_size, unsigned int seed)
{
  g_autoptr (GBytes) packed = NULL;

  /* One time in four, or when there is nothing to inflate: the compressed
   * bytes (and the decoder byte) as they are. */
  if (seed % 4 == 0 || size < 2 || (packed = mutate_plain (data, size, max_size)) == NULL
      || g_bytes_get_size (packed) + 1 > max_size)
    return LLVMFuzzerMutate (data, size, max_size);
  memcpy (data + 1, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
  return g_bytes_get_size (packed) + 1;
}
