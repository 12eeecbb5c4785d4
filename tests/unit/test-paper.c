/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Documents on paper: one layout for A4 and the 80 mm roll, exported to
 * PDF and read back with pdftotext, in Russian. */

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "okno-document.h"
#include "okno-paper-text.h"

static char *
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  return run (argv);
}

static char *
pdf_info (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  return run (argv);
}

/* Kept in the build directory, to be looked at. */
static char *
output_pdf (const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_BUILT), name, NULL);
}

/* In Russian, as the documents are read: the month in the genitive. The
 * translation is the only one looked up in this program (glibc caches a
 * message's translation per locale, whatever LANGUAGE says later). */
static void
test_date_words (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Yekaterinburg");
  g_autoptr (GDateTime) late = g_date_time_new (tz, 2026, 12, 31, 23, 59, 0);
  g_autoptr (GDateTime) utc = g_date_time_to_utc (late);
  g_autoptr (GDateTime) may = g_date_time_new (tz, 2026, 5, 9, 8, 5, 0);
  g_autoptr (GDateTime) new_year = g_date_time_new (tz, 2027, 1, 1, 2, 0, 0);
  g_autoptr (GDateTime) new_year_utc = g_date_time_to_utc (new_year);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  g_setenv ("LANGUAGE", "ru", TRUE);
  a = okno_paper_format_datetime (late);
  b = okno_paper_format_datetime (may);
  c = okno_paper_format_date (utc);
  d = okno_paper_format_date (new_year_utc);
  g_setenv ("LANGUAGE", "C", TRUE);

  g_assert_cmpstr (a, ==, "31 декабря 2026 г., 23:59");
  g_assert_cmpstr (b, ==, "9 мая 2026 г., 08:05");
  /* The moment's own zone decides the day: 02:00 of 1 January in
   * Yekaterinburg is still 31 December in UTC. */
  g_assert_cmpstr (c, ==, "31 декабря 2026 г.");
  g_assert_cmpstr (d, ==, "31 декабря 2026 г.");
}

static OknoDocument *
slip (OknoPaper paper)
{
  OknoDocument *doc = okno_document_new (paper, "Талон о регистрации обращения");

  okno_document_add_letterhead (doc, "АО «ЭнергосбыТ Плюс», ЦОК «Центральный», "
                                     "г. Екатеринбург, ул. Малышева, д. 51");
  okno_document_add_field (doc, "Номер обращения", "ЕКБ1-07-26-000123");
  okno_document_add_field (doc, "Дата регистрации", "4 декабря 2026 г., 14:05");
  okno_document_add_field (doc, "Срок ответа", "14 января 2027 г.");
  okno_document_add_field (doc, "Ответ", NULL);
  okno_document_add_rule (doc);
  okno_document_add_note (doc, "Не является фискальным документом");
  okno_document_add_signature (doc, "Принял", "Иванова М. С.");
  return doc;
}

static void
test_receipt_roll (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDocument) doc = slip (OKNO_PAPER_RECEIPT);
  g_autofree char *path = output_pdf ("okno-test-receipt.pdf");
  g_autofree char *text = NULL, *info = NULL;

  g_assert_true (okno_document_export_pdf (doc, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  info = pdf_info (path);

  /* 80 mm wide, one page as long as the slip, far shorter than A4. */
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (info, "Page size:       226.772 x "));
  g_assert_cmpfloat (okno_document_get_height (doc), <, 400);
  g_assert_cmpfloat (okno_document_get_height (doc), >, 150);
  g_assert_nonnull (strstr (info, "Title:           Талон о регистрации обращения"));

  /* Every word on the narrow roll, nothing cut; a blank is a dash. */
  g_assert_nonnull (strstr (text, "Талон о регистрации"));
  g_assert_nonnull (strstr (text, "ЕКБ1-07-26-000123"));
  g_assert_nonnull (strstr (text, "14 января 2027 г."));
  g_assert_nonnull (strstr (text, "Не является фискальным документом"));
  g_assert_nonnull (strstr (text, "Иванова М. С."));
  g_assert_nonnull (strstr (text, "—"));
}

static void
test_a4_pages (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDocument) doc = slip (OKNO_PAPER_A4);
  g_autofree char *path = output_pdf ("okno-test-a4.pdf");
  g_autofree char *text = NULL, *info = NULL, *plain = NULL;

  okno_document_add_heading (doc, "Ответ по существу");
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *p = g_strdup_printf (
        "Абзац %u. Рассмотрев ваше обращение, сообщаем, что показания прибора учёта приняты "
        "и учтены при расчёте платы за электрическую энергию за ноябрь 2026 года.",
        i);
      okno_document_add_paragraph (doc, p);
    }
  g_assert_true (okno_document_export_pdf (doc, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  info = pdf_info (path);

  /* A4, and forty paragraphs break onto further pages, none lost. */
  g_assert_nonnull (strstr (info, "Page size:       595.276 x 841.89 pts (A4)"));
  g_assert_null (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (text, "Абзац 1."));
  g_assert_nonnull (strstr (text, "Абзац 40."));
  g_assert_nonnull (strstr (text, "Номер обращения"));
  g_assert_nonnull (strstr (text, "\f"));
  plain = okno_document_to_text (doc);
  g_assert_nonnull (strstr (plain, "Номер обращения: ЕКБ1-07-26-000123\n"));
  g_assert_nonnull (strstr (plain, "Ответ: —\n"));
}

static void
test_unwritable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDocument) doc = slip (OKNO_PAPER_A4);

  g_assert_false (okno_document_export_pdf (doc, "/nonexistent-dir/slip.pdf", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/slip.pdf"));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("OKNO_LOCALEDIR");

  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (localedir)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/paper/date-words", test_date_words);
  g_test_add_func ("/paper/receipt-roll", test_receipt_roll);
  g_test_add_func ("/paper/a4-pages", test_a4_pages);
  g_test_add_func ("/paper/unwritable", test_unwritable);
  return g_test_run ();
}
