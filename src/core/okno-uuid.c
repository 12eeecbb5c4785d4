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
