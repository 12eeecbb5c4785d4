/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-uuid.h"

char *
okno_uuid7_from (gint64 unix_ms, GRand *rand)
{
  guint8 b[16];

  for (int i = 0; i < 6; i++)
    b[i] = (guint8)(((guint64)unix_ms >> (40 - 8 * i)) & 0xff);
  for (int i = 6; i < 16; i++)
    b[i] = (guint8)g_rand_int_range (rand, 0, 256);
  b[6] = 0x70 | (b[6] & 0x0f); /* version 7 */
  b[8] = 0x80 | (b[8] & 0x3f); /* variant 10 */
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                          b[12], b[13], b[14], b[15]);
}

char *
okno_uuid7_new (void)
{
  static GRand *rand = NULL;
  static GMutex lock;
  char *uuid;

  /* GRand is seeded from /dev/urandom; ids need uniqueness, not secrecy. */
  g_mutex_lock (&lock);
  if (rand == NULL)
    rand = g_rand_new ();
  uuid = okno_uuid7_from (g_get_real_time () / 1000, rand);
  g_mutex_unlock (&lock);
  return uuid;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gboolean
okno_uuid_to_bytes (const char *text, gsize length, guint8 out[OKNO_UUID_BYTES])
{
  guint n = 0;

  if (text == NULL || length != OKNO_UUID_TEXT_LENGTH)
    return FALSE;
  for (guint i = 0; i < OKNO_UUID_TEXT_LENGTH; i += 2)
    {
      int hi, lo;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          i++;
        }
      hi = hex_digit (text[i]);
      lo = hex_digit (text[i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[n++] = (guint8)(hi << 4 | lo);
    }
  return n == OKNO_UUID_BYTES;
}

void
okno_uuid_format (const guint8 bytes[OKNO_UUID_BYTES], char out[OKNO_UUID_TEXT_LENGTH + 1])
{
  static const char digits[] = "0123456789abcdef";
  char *p = out;

  for (guint i = 0; i < OKNO_UUID_BYTES; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = digits[bytes[i] >> 4];
      *p++ = digits[bytes[i] & 0x0f];
    }
  *p = '\0';
}
