/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Appeal numbers: made and read back; no two desktops ever collide. */

#include <locale.h>

#include "okno-appeal-number.h"
#include "okno-core-error.h"

static void
test_compose (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = okno_appeal_number_compose ("ЦОК-01", 7, 2026, 123, &error);
  g_autofree char *server = okno_appeal_number_compose ("ОО-01", 0, 2027, 1, &error);
  g_autofree char *wide = okno_appeal_number_compose ("ЦОК-01", 123, 2026, 1234567, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (n, ==, "ЦОК-01-07-26-00123");
  g_assert_cmpstr (server, ==, "ОО-01-00-27-00001");
  g_assert_cmpstr (wide, ==, "ЦОК-01-123-26-1234567");
}

static void
test_compose_refused (void)
{
  struct
  {
    const char *branch;
    gint64 desk;
    int year;
    gint64 seq;
  } bad[] = {
    { NULL, 1, 2026, 1 },
    { "", 1, 2026, 1 },
    { "ЦОК 01", 1, 2026, 1 },
    { "ЦОК/01", 1, 2026, 1 },
    { "ЦОК-01\n", 1, 2026, 1 },
    { "ЦОК-01", -1, 2026, 1 },
    { "ЦОК-01", OKNO_DESK_CODE_MAX + 1, 2026, 1 },
    { "ЦОК-01", 1, 1999, 1 },
    { "ЦОК-01", 1, 2100, 1 },
    { "ЦОК-01", 1, 2026, 0 },
    { "ЦОК-01", 1, 2026, OKNO_APPEAL_SEQUENCE_MAX + 1 },
    { "ЦОК-01", 1, 2026, G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *n
        = okno_appeal_number_compose (bad[i].branch, bad[i].desk, bad[i].year, bad[i].seq, &error);

      g_assert_null (n);
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
}

static void
test_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *branch = NULL;
  gint64 desk = -1, seq = -1;
  int year = 0;
  const char *bad[] = {
    "",
    "2026/000001",
    "ЦОК-01-07-26",
    "-07-26-00123",
    "ЦОК-01-7-26-00123",
    "ЦОК-01-07-2026-00123",
    "ЦОК-01-07-26-0123",
    "ЦОК-01-07-26-00000",
    "ЦОК-01-07-26-00123x",
    "ЦОК-01-07-26-12345678",
    "ЦОК 01-07-26-00123",
    "ЦОК-01-07-26-+0123",
    "\xff\xfe-07-26-00123",
  };

  g_assert_true (
    okno_appeal_number_parse ("ЦОК-01-07-26-00123", &branch, &desk, &year, &seq, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (branch, ==, "ЦОК-01");
  g_assert_cmpint (desk, ==, 7);
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (seq, ==, 123);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;

      if (okno_appeal_number_parse (bad[i], NULL, NULL, NULL, NULL, &e))
        g_error ("“%s” parsed", bad[i]);
      g_assert_error (e, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
}

/* Two desktops of one branch and one of another, each numbering its own
 * appeals with no network: every number is different, and each reads
 * back as the desktop and sequence that made it. */
static void
test_no_collisions (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const struct
  {
    const char *branch;
    gint64 desk;
  } desks[] = { { "ЦОК-01", 1 }, { "ЦОК-01", 2 }, { "ЦОК-02", 1 }, { "ЦОК-01", 0 } };

  for (guint d = 0; d < G_N_ELEMENTS (desks); d++)
    for (int year = 2026; year <= 2027; year++)
      for (gint64 seq = 1; seq <= 2000; seq++)
        {
          g_autoptr (GError) error = NULL;
          char *n = okno_appeal_number_compose (desks[d].branch, desks[d].desk, year, seq, &error);
          gint64 desk, s;

          g_assert_no_error (error);
          g_assert_true (g_hash_table_add (seen, n));
          g_assert_true (okno_appeal_number_parse (n, NULL, &desk, NULL, &s, NULL));
          g_assert_cmpint (desk, ==, desks[d].desk);
          g_assert_cmpint (s, ==, seq);
        }
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (desks) * 2 * 2000);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/appeal-number/compose", test_compose);
  g_test_add_func ("/appeal-number/compose-refused", test_compose_refused);
  g_test_add_func ("/appeal-number/parse", test_parse);
  g_test_add_func ("/appeal-number/no-collisions", test_no_collisions);
  return g_test_run ();
}
