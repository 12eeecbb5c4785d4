/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The domain layer: money, phones, calendar, routing, field rules, the
 * bounds of amounts and readings, and authorship. */

#include <locale.h>
#include <string.h>

#include "okno-core.h"

static void
test_money_format (void)
{
  struct
  {
    gint64 kop;
    const char *text;
  } cases[] = {
    { 0, "0.00 ₽" },
    { 5, "0.05 ₽" },
    { 123456, "1,234.56 ₽" },
    { -123456, "−1,234.56 ₽" },
    { 100000000, "1,000,000.00 ₽" },
    { G_MININT64, "−92,233,720,368,547,758.08 ₽" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = okno_money_format (cases[i].kop);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_money_parse (void)
{
  struct
  {
    const char *text;
    gint64 kop;
  } good[] = {
    { "0", 0 },
    { "12", 1200 },
    { "12,5", 1250 },
    { "12.05", 1205 },
    { "1 234,56", 123456 },
    { "−7,00", -700 },
    { " 1 000 ₽ ", 100000 },
    { ",5", 50 },
  };
  const char *bad[] = { "", "abc", "1,2,3", "1.234", "12..", "₽", "1e5", "99999999999999" };
  gint64 kop;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (okno_money_parse (good[i].text, &kop, &error));
      g_assert_no_error (error);
      g_assert_cmpint (kop, ==, good[i].kop);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (okno_money_parse (bad[i], &kop, &error));
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
}

static void
test_phone (void)
{
  const char *same[] = { "+7 (912) 345-67-89", "89123456789", "79123456789", "912 345 67 89" };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *n = okno_phone_normalize (same[i]);
      g_autofree char *f = okno_phone_format (same[i]);
      g_assert_cmpstr (n, ==, "9123456789");
      g_assert_cmpstr (f, ==, "+7 912 345-67-89");
    }
  g_assert_null (okno_phone_normalize ("12345"));
  g_assert_null (okno_phone_normalize ("+1 912 345 67 89 0"));
  g_assert_null (okno_phone_normalize (NULL));
}

static GDate *
date (int y, int m, int d)
{
  return g_date_new_dmy (d, m, y);
}

static const char *
kind_on (OknoCalendar *cal, int y, int m, int d)
{
  g_autoptr (GDate) day = date (y, m, d);

  return okno_calendar_get_day_kind (cal, day);
}

static void
test_calendar_shipped (void)
{
  g_autoptr (OknoCalendar) cal = okno_calendar_new_shipped ();
  g_autoptr (GDate) may9 = date (2024, 5, 9);
  g_autoptr (GDate) day = date (2024, 7, 8);
  guint working = 0, shortened = 0;

  g_assert_cmpstr (okno_calendar_get_version (cal), ==, "ru-2024-2027.1");
  g_assert_cmpuint (okno_calendar_get_first_year (cal), ==, 2024);
  g_assert_cmpuint (okno_calendar_get_last_year (cal), ==, 2027);
  /* Decree No. 1314 of 10.08.2023: Saturdays 27 April, 2 November and
   * 28 December worked; 29-30 April, 10 May, 30-31 December off. */
  g_assert_cmpstr (kind_on (cal, 2024, 4, 27), ==, "working");
  g_assert_cmpstr (kind_on (cal, 2024, 11, 2), ==, "short");
  g_assert_cmpstr (kind_on (cal, 2024, 12, 28), ==, "working");
  g_assert_cmpstr (kind_on (cal, 2024, 4, 29), ==, "weekend");
  g_assert_cmpstr (kind_on (cal, 2024, 4, 30), ==, "weekend");
  g_assert_cmpstr (kind_on (cal, 2024, 5, 10), ==, "weekend");
  g_assert_cmpstr (kind_on (cal, 2024, 12, 31), ==, "weekend");
  g_assert_cmpstr (kind_on (cal, 2024, 5, 9), ==, "holiday");
  g_assert_cmpstr (okno_calendar_get_day_note (cal, may9), ==, "День Победы");
  /* Not named in the file: the five-day week. */
  g_assert_cmpstr (kind_on (cal, 2024, 7, 6), ==, "weekend");
  g_assert_cmpstr (kind_on (cal, 2024, 7, 8), ==, "working");
  g_assert_null (okno_calendar_get_day_note (cal, day));

  /* The official figures for 2024: 248 working days, 1979 hours at
   * 40 hours a week, so five shortened days. */
  for (g_date_set_dmy (day, 1, 1, 2024); g_date_get_year (day) == 2024; g_date_add_days (day, 1))
    {
      working += okno_calendar_is_working_day (cal, day);
      shortened += okno_calendar_is_short_day (cal, day);
    }
  g_assert_cmpuint (working, ==, 248);
  g_assert_cmpuint (working * 8 - shortened, ==, 1979);
}

static void
test_calendar_fingerprint (void)
{
  g_autoptr (OknoCalendar) shipped = okno_calendar_new_shipped ();
  g_autoptr (OknoCalendar) rows = okno_calendar_new ();
  g_autoptr (GDate) day = date (2024, 1, 1);
  g_autofree char *before = NULL;

  /* A replica holds a row for every day, the file only the exceptions: both
   * count alike, so both have one fingerprint. */
  for (; g_date_get_year (day) <= 2027; g_date_add_days (day, 1))
    {
      char iso[16];

      g_date_strftime (iso, sizeof iso, "%Y-%m-%d", day);
      g_assert_true (
        okno_calendar_set_day (rows, iso, okno_calendar_get_day_kind (shipped, day), NULL));
    }
  g_assert_null (okno_calendar_get_version (rows));
  g_assert_true (g_str_has_prefix (okno_calendar_get_fingerprint (shipped), "sha256:"));
  g_assert_cmpstr (okno_calendar_get_fingerprint (rows), ==,
                   okno_calendar_get_fingerprint (shipped));
  /* One day moved: another calendar. */
  before = g_strdup (okno_calendar_get_fingerprint (rows));
  g_assert_true (okno_calendar_set_day (rows, "2027-12-31", "working", NULL));
  g_assert_cmpstr (okno_calendar_get_fingerprint (rows), !=, before);
}

static void
test_calendar_file_errors (void)
{
  static const char *const bad[] = {
    "[Days]\n2025-01-01=holiday\n",                               /* no version */
    "[Calendar]\nVersion=x\n",                                    /* no days */
    "[Calendar]\nVersion=x\n[Days]\n2025-02-30=holiday\n",        /* no such day */
    "[Calendar]\nVersion=x\n[Days]\n2025-01-01=feast;Праздник\n", /* no such kind */
    "not a key file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (OknoCalendar) cal = okno_calendar_new ();
      g_autoptr (GError) error = NULL;

      g_assert_false (okno_calendar_load_data (cal, bad[i], -1, &error));
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
}

static void
test_calendar (void)
{
  g_autoptr (OknoCalendar) cal = okno_calendar_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDate) fri = date (2026, 12, 25);
  g_autoptr (GDate) sat = date (2026, 12, 26);
  GDate out;

  /* Default week: Saturday off, Monday worked. */
  g_assert_false (okno_calendar_is_working_day (cal, sat));
  okno_calendar_add_working_days (cal, fri, 1, &out);
  g_assert_cmpint (g_date_get_day (&out), ==, 28);

  /* The data decides: New Year holidays and a worked Saturday. */
  for (int d = 1; d <= 8; d++)
    {
      g_autofree char *iso = g_strdup_printf ("2027-01-%02d", d);
      g_assert_true (okno_calendar_set_day (cal, iso, "holiday", &error));
      g_assert_no_error (error);
    }
  g_assert_true (okno_calendar_set_day (cal, "2026-12-26", "working", &error));
  g_assert_true (okno_calendar_is_working_day (cal, sat));
  {
    g_autoptr (GDate) dec30 = date (2026, 12, 30);
    okno_calendar_add_working_days (cal, dec30, 2, &out);
    /* Dec 31 (Thu), then Jan 1-8 are holidays, Jan 9-10 weekend: Jan 11. */
    g_assert_cmpint (g_date_get_month (&out), ==, 1);
    g_assert_cmpint (g_date_get_day (&out), ==, 11);
    g_assert_cmpuint (okno_calendar_working_days_between (cal, dec30, &out), ==, 2);
  }

  g_assert_false (okno_calendar_set_day (cal, "2027-02-30", "holiday", &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_calendar_set_day (cal, "2027-02-01", "party", &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
}

static void
test_routing (void)
{
  g_assert_cmpint (okno_route_for_client ("none", 15, 670), ==, OKNO_ROUTE_SERVICE_CENTRE);
  g_assert_cmpint (okno_route_for_client ("none", 670, 670), ==, OKNO_ROUTE_OFFICE_HIGH_CAPACITY);
  g_assert_cmpint (okno_route_for_client ("none", 669.9, 670), ==, OKNO_ROUTE_SERVICE_CENTRE);
  g_assert_cmpint (okno_route_for_client ("budget_funded", 5, 670), ==,
                   OKNO_ROUTE_OFFICE_BUDGET_FUNDED);
  g_assert_cmpint (okno_route_for_client ("religious", 5, 670), ==, OKNO_ROUTE_OFFICE_RELIGIOUS);
  g_assert_cmpint (okno_route_for_client ("utility_provider", 5, 670), ==,
                   OKNO_ROUTE_OFFICE_UTILITY_PROVIDER);
  g_assert_null (okno_route_explain (OKNO_ROUTE_SERVICE_CENTRE));
  g_assert_nonnull (okno_route_explain (OKNO_ROUTE_OFFICE_RELIGIOUS));
}

static void
check (const OknoField *f, OknoValue v, gboolean expect)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = okno_field_check (f, &v, &error);

  g_assert_cmpint (ok, ==, expect);
  if (!expect)
    g_assert_nonnull (strstr (error->message, f->name));
}

static void
test_field_rules (void)
{
  const OknoCollection *accounts = okno_collection_lookup ("accounts");
  const OknoField *id = &accounts->fields[0];
  const OknoField *kind = &accounts->fields[okno_collection_field_index (accounts, "kind")];
  const OknoField *email = &accounts->fields[okno_collection_field_index (accounts, "email")];
  const OknoField *updated
    = &accounts->fields[okno_collection_field_index (accounts, "updated_at")];
  OknoValue v = { 0 };
  g_autofree char *huge = g_strnfill (5000, 'a');

  g_assert_nonnull (accounts);
  g_assert_cmpstr (id->name, ==, "id");
  v.text = "0f1e2d3c-4b5a-4697-8877-665544332211";
  check (id, v, TRUE);
  v.text = "0F1E2D3C-4B5A-4697-8877-665544332211";
  check (id, v, FALSE);
  v.text = "not-a-uuid";
  check (id, v, FALSE);
  v.text = "household";
  check (kind, v, TRUE);
  v.text = "alien";
  check (kind, v, FALSE);
  v.text = "2026-11-27T05:19:08Z";
  check (updated, v, TRUE);
  v.text = "2026-11-27T05:19:08+05:00"; /* local time is never stored */
  check (updated, v, FALSE);
  v.text = huge;
  check (email, v, FALSE);
  v.text = "\xff\xfe";
  check (email, v, FALSE);
  v.text = NULL;
  v.is_null = TRUE;
  check (email, v, TRUE);
  check (kind, v, FALSE);
}

/* The checks every downloaded value goes through read the text in place;
 * they keep the rules the GLib parsers gave them. */
static void
test_text_checks (void)
{
  const char *timestamps_ok[]
    = { "2026-11-27T05:19:08Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z",
        "2026-11-27T05:19:08.250Z", "2026-12-31T23:59:60Z" /* GLib takes a leap second */ };
  const char *timestamps_bad[] = { "2026-11-27T05:19:08",
                                   "2026-11-27T05:19:08+05:00",
                                   "2025-02-29T10:00:00Z",
                                   "2026-13-01T10:00:00Z",
                                   "2026-11-27T24:00:00Z",
                                   "2026-11-27T23:60:00Z",
                                   "2026-11-27 05:19:08Z",
                                   "0000-01-01T00:00:00Z",
                                   "2026-11-2xT05:19:08Z",
                                   "2026-1-27T05:19:08ZZ",
                                   "" };
  const char *dates_ok[] = { "2026-11-27", "2024-02-29", "9999-12-31" };
  const char *dates_bad[] = { "2025-02-29", "2026-00-10", "2026-11-00", "2026-11-31",  " 202-11-01",
                              "+202-11-01", "2026-+1-01", "2026-11-1",  "2026-11-011", "" };

  for (guint i = 0; i < G_N_ELEMENTS (timestamps_ok); i++)
    g_assert_true (okno_text_is_timestamp (timestamps_ok[i]));
  for (guint i = 0; i < G_N_ELEMENTS (timestamps_bad); i++)
    g_assert_false (okno_text_is_timestamp (timestamps_bad[i]));
  for (guint i = 0; i < G_N_ELEMENTS (dates_ok); i++)
    g_assert_true (okno_text_is_date (dates_ok[i]));
  for (guint i = 0; i < G_N_ELEMENTS (dates_bad); i++)
    g_assert_false (okno_text_is_date (dates_bad[i]));
  g_assert_true (okno_text_is_uuid ("0f1e2d3c-4b5a-4697-8877-665544332211"));
  g_assert_false (okno_text_is_uuid ("0f1e2d3c-4b5a-4697-8877-66554433221"));
  g_assert_false (okno_text_is_uuid ("0f1e2d3c-4b5a-4697-8877-6655443322110"));
  g_assert_false (okno_text_is_uuid ("0f1e2d3c4b5a-4697-8877-6655443322110"));
  g_assert_false (okno_text_is_uuid ("0f1e2d3c-4b5a-4697-8877-66554433221g"));
  g_assert_false (okno_text_is_uuid (""));
  g_assert_false (okno_text_is_uuid (NULL));
}

static void
test_collections_complete (void)
{
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);

  g_assert_cmpuint (n, >=, 15);
  for (guint i = 0; i < n; i++)
    {
      /* Every collection is versioned by the server and keyed by its first field. */
      g_assert_cmpint (okno_collection_field_index (all[i], "version"), >, 0);
      g_assert_false (all[i]->fields[0].nullable);
      g_assert_true (okno_collection_lookup (all[i]->name) == all[i]);
      for (guint f = 0; f < all[i]->n_fields; f++)
        if (all[i]->fields[f].type == OKNO_FIELD_CHOICE)
          for (guint c = 0; all[i]->fields[f].choices[c]; c++)
            /* A missing label would show a raw code to the clerk. */
            g_assert_cmpstr (okno_choice_label (all[i]->fields[f].choices[c]), !=,
                             all[i]->fields[f].choices[c]);
    }
  g_assert_null (okno_collection_lookup ("nonsense"));
}

/* The domain's enums are registered GTypes, with a nick for each value. */
static void
test_enum_types (void)
{
  g_autoptr (GEnumClass) routes = g_type_class_ref (OKNO_TYPE_ROUTE);
  g_autoptr (GEnumClass) fields = g_type_class_ref (OKNO_TYPE_FIELD_TYPE);

  g_assert_cmpstr (g_enum_get_value (routes, OKNO_ROUTE_OFFICE_RELIGIOUS)->value_nick, ==,
                   "office-religious");
  g_assert_cmpuint (routes->n_values, ==, OKNO_ROUTE_OFFICE_UTILITY_PROVIDER + 1);
  g_assert_cmpstr (g_enum_get_value (fields, OKNO_FIELD_TIMESTAMP)->value_nick, ==, "timestamp");
  g_assert_true (G_TYPE_IS_ENUM (OKNO_TYPE_CORE_ERROR));
}

/* --- sums and bounds (okno-limits.h) ---------------------------------------------- */

static void
test_money_add (void)
{
  g_autoptr (GError) error = NULL;
  const gint64 many[] = { G_MAXINT64 - 2, 1, 1 };
  const gint64 too_many[] = { G_MAXINT64 - 2, 1, 1, 1 };
  gint64 sum = 42;

  g_assert_true (okno_money_add (-5, 5, &sum, &error));
  g_assert_cmpint (sum, ==, 0);
  g_assert_true (okno_money_add (G_MAXINT64, 0, &sum, &error));
  g_assert_cmpint (sum, ==, G_MAXINT64);
  g_assert_true (okno_money_add (G_MININT64, G_MAXINT64, &sum, &error));
  g_assert_cmpint (sum, ==, -1);
  g_assert_true (okno_money_sum (many, G_N_ELEMENTS (many), &sum, &error));
  g_assert_cmpint (sum, ==, G_MAXINT64);
  g_assert_no_error (error);

  /* A sum that does not fit is an error and leaves the result alone. */
  g_assert_false (okno_money_add (G_MAXINT64, 1, &sum, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_money_add (G_MININT64, -1, &sum, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_money_sum (too_many, G_N_ELEMENTS (too_many), &sum, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_assert_cmpint (sum, ==, G_MAXINT64);
}

static void
test_payment_limits (void)
{
  struct
  {
    const char *kind, *method;
    gint64 kop;
    int code; /* -1: accepted */
  } cases[] = {
    { "household", "card", 1, -1 },
    { "household", "card", 0, OKNO_CORE_ERROR_INVALID },
    { "household", "card", -1, OKNO_CORE_ERROR_INVALID },
    { "household", "card", G_MININT64, OKNO_CORE_ERROR_INVALID },
    { "household", "card", G_MAXINT64, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "household", "card", 50000000, -1 },
    { "household", "card", 50000001, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "legal_entity", "bank_transfer", 50000001, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "household", "cash", 20000000, -1 },
    { "household", "cash", 20000001, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "household", "cash", 100000000, OKNO_CORE_ERROR_OUT_OF_RANGE }, /* 1 000 000 ₽ */
    { "legal_entity", "cash", 10000000, -1 },
    { "legal_entity", "cash", 10000001, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "sole_trader", "cash", 10000001, OKNO_CORE_ERROR_OUT_OF_RANGE },
    { "legal_entity", "card", 10000001, -1 },
    { NULL, "cash", 10000001, OKNO_CORE_ERROR_OUT_OF_RANGE }, /* unknown: the stricter */
  };
  OknoLimits limits;

  okno_limits_init (&limits);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok
        = okno_payment_check (cases[i].kind, cases[i].method, cases[i].kop, &limits, &error);

      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, OKNO_CORE_ERROR, cases[i].code);
      g_assert_true (ok == (cases[i].code < 0));
    }
}

static void
test_reading_limits (void)
{
  g_autoptr (GError) error = NULL;
  OknoLimits limits;

  okno_limits_init (&limits);
  g_assert_cmpuint (limits.reading_max_digits, ==, 8);
  g_assert_true (okno_reading_check ("t1", 0, &limits, &error));
  g_assert_true (okno_reading_check ("t1", 99999999, &limits, &error));
  g_assert_no_error (error);
  g_assert_false (okno_reading_check ("t1", 100000000, &limits, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (okno_reading_check ("t2", G_MAXINT64, &limits, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (okno_reading_check ("t3", -1, &limits, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_reading_check ("t1", G_MININT64, &limits, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  /* 18 digits is the widest a gint64 holds with room for 10^18. */
  g_assert_true (okno_limits_set (&limits, "reading_max_digits", "18", &error));
  g_assert_true (okno_reading_check ("t1", 999999999999999999, &limits, &error));
  g_assert_false (okno_reading_check ("t1", G_MAXINT64, &limits, &error));
  g_clear_error (&error);
}

static void
test_limits_from_policy (void)
{
  const char *bad[] = { "0", "-1", "", "12abc", "9223372036854775808", NULL };
  g_autoptr (GError) error = NULL;
  OknoLimits limits;

  okno_limits_init (&limits);
  g_assert_true (okno_limits_set (&limits, "payment_max_kop", "1000", &error));
  g_assert_true (okno_limits_set (&limits, "cash_payment_max_kop", "500", &error));
  g_assert_true (okno_limits_set (&limits, "household_cash_payment_max_kop", "700", &error));
  g_assert_true (okno_limits_set (&limits, "reading_max_digits", "5", &error));
  g_assert_true (okno_limits_set (&limits, "appeal_answer_days", "not mine", &error));
  g_assert_no_error (error);
  g_assert_cmpint (limits.payment_max_kop, ==, 1000);
  g_assert_cmpint (limits.cash_payment_max_kop, ==, 500);
  g_assert_cmpint (limits.household_cash_payment_max_kop, ==, 700);
  g_assert_cmpuint (limits.reading_max_digits, ==, 5);
  for (guint i = 0; bad[i]; i++)
    {
      g_assert_false (okno_limits_set (&limits, "payment_max_kop", bad[i], &error));
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (okno_limits_set (&limits, "reading_max_digits", "19", &error));
  g_clear_error (&error);
  g_assert_false (okno_limits_set (&limits, "reading_max_digits", NULL, &error));
  g_clear_error (&error);
  /* A refused value leaves the limit as it was. */
  g_assert_cmpint (limits.payment_max_kop, ==, 1000);
  g_assert_cmpuint (limits.reading_max_digits, ==, 5);
  for (guint i = 0; okno_limit_keys[i]; i++)
    g_assert_true (okno_limits_set (&limits, okno_limit_keys[i], "7", &error));
  g_assert_cmpint (limits.payment_max_kop, ==, 7);
  g_assert_cmpint (limits.household_cash_payment_max_kop, ==, 7);
}

#define ME    "00000000-0000-4000-8000-0000000000c1"
#define OTHER "00000000-0000-4000-8000-0000000000c2"
#define HERE  "00000000-0000-4000-8000-0000000000d1"
#define THERE "00000000-0000-4000-8000-0000000000d2"

static OknoValue *
null_row (const OknoCollection *c)
{
  OknoValue *v = g_new0 (OknoValue, c->n_fields);

  for (guint i = 0; i < c->n_fields; i++)
    v[i].is_null = TRUE;
  return v;
}

static void
set_text (const OknoCollection *c, OknoValue *v, const char *field, const char *text)
{
  int i = okno_collection_field_index (c, field);

  g_assert_cmpint (i, >=, 0);
  v[i].is_null = text == NULL;
  v[i].text = text;
}

static const char *
text_of (const OknoCollection *c, OknoValue *v, const char *field)
{
  int i = okno_collection_field_index (c, field);

  return v[i].is_null ? NULL : v[i].text;
}

static void
test_authorship (void)
{
  const OknoCollection *payments = okno_collection_lookup ("payments");
  const OknoCollection *feedback = okno_collection_lookup ("feedback");
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  const OknoAuthor me = { ME, HERE }, homeless = { ME, NULL }, nobody = { NULL, NULL };
  g_autofree OknoValue *p = null_row (payments);
  g_autofree OknoValue *f = null_row (feedback);
  g_autofree OknoValue *a = null_row (appeals);
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_field_is_author (payments, "staff_id"));
  g_assert_true (okno_field_is_author (payments, "branch_id"));
  g_assert_true (okno_field_is_author (okno_collection_lookup ("disclosures"), "staff_id"));
  g_assert_true (okno_field_is_author (okno_collection_lookup ("appeal_events"), "staff_id"));
  g_assert_true (okno_field_is_author (okno_collection_lookup ("readings"), "staff_id"));
  g_assert_false (okno_field_is_author (appeals, "branch_id"));
  g_assert_false (okno_field_is_author (appeals, "assignee_id"));
  g_assert_false (okno_field_is_author (payments, "account_id"));

  /* Left out: filled from the session. */
  g_assert_true (okno_authorship_claim (payments, p, &me, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text_of (payments, p, "staff_id"), ==, ME);
  g_assert_cmpstr (text_of (payments, p, "branch_id"), ==, HERE);
  /* Named: the session's own passes, anyone else's does not. */
  g_assert_true (okno_authorship_claim (payments, p, &me, &error));
  set_text (payments, p, "staff_id", OTHER);
  g_assert_false (okno_authorship_claim (payments, p, &me, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  set_text (payments, p, "staff_id", ME);
  set_text (payments, p, "branch_id", THERE);
  g_assert_false (okno_authorship_claim (payments, p, &me, &error));
  g_clear_error (&error);
  /* A staff member without a branch writes for none. */
  g_assert_false (okno_authorship_claim (payments, p, &homeless, &error));
  g_clear_error (&error);
  set_text (payments, p, "branch_id", NULL);
  g_assert_true (okno_authorship_claim (payments, p, &homeless, &error));
  g_assert_null (text_of (payments, p, "branch_id"));
  /* Nobody signed in: nobody may be named. */
  g_assert_false (okno_authorship_claim (payments, p, &nobody, &error));
  g_clear_error (&error);

  /* A reviewer left out stays nobody; named, it must be the session's. */
  g_assert_true (okno_authorship_claim (feedback, f, &me, &error));
  g_assert_null (text_of (feedback, f, "reviewed_by"));
  set_text (feedback, f, "reviewed_by", OTHER);
  g_assert_false (okno_authorship_claim (feedback, f, &me, &error));
  g_clear_error (&error);
  set_text (feedback, f, "reviewed_by", ME);
  g_assert_true (okno_authorship_claim (feedback, f, &me, &error));

  /* An appeal's branch routes it: not the writer's to claim. */
  set_text (appeals, a, "branch_id", THERE);
  g_assert_true (okno_authorship_claim (appeals, a, &me, &error));
  g_assert_cmpstr (text_of (appeals, a, "branch_id"), ==, THERE);
  g_assert_no_error (error);
}

/* The replica's 16 bytes of a UUID: one to one with the canonical text, in
 * the same order. */
static void
test_uuid_bytes (void)
{
  const char *a = "0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b";
  const char *b = "0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6c";
  const char *bad[]
    = { "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6B", "0192a3b4c5d67e8f9a0b1c2d3e4f5a6b",
        "0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6",  "0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6g",
        "0192a3b4+c5d6-7e8f-9a0b-1c2d3e4f5a6b", "" };
  guint8 x[OKNO_UUID_BYTES], y[OKNO_UUID_BYTES];
  char text[OKNO_UUID_TEXT_LENGTH + 1];

  g_assert_true (okno_uuid_to_bytes (a, strlen (a), x));
  g_assert_cmpint (x[0], ==, 0x01);
  g_assert_cmpint (x[15], ==, 0x6b);
  okno_uuid_format (x, text);
  g_assert_cmpstr (text, ==, a);
  g_assert_true (okno_uuid_to_bytes (b, strlen (b), y));
  g_assert_cmpint (memcmp (x, y, sizeof x), <, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (okno_uuid_to_bytes (bad[i], strlen (bad[i]), x));
  g_assert_false (okno_uuid_to_bytes (NULL, 0, x));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/uuid/bytes", test_uuid_bytes);
  g_test_add_func ("/core/money/format", test_money_format);
  g_test_add_func ("/core/money/parse", test_money_parse);
  g_test_add_func ("/core/money/add", test_money_add);
  g_test_add_func ("/core/limits/payment", test_payment_limits);
  g_test_add_func ("/core/limits/reading", test_reading_limits);
  g_test_add_func ("/core/limits/policy", test_limits_from_policy);
  g_test_add_func ("/core/authorship", test_authorship);
  g_test_add_func ("/core/phone", test_phone);
  g_test_add_func ("/core/calendar", test_calendar);
  g_test_add_func ("/core/calendar-shipped", test_calendar_shipped);
  g_test_add_func ("/core/calendar-file-errors", test_calendar_file_errors);
  g_test_add_func ("/core/calendar-fingerprint", test_calendar_fingerprint);
  g_test_add_func ("/core/routing", test_routing);
  g_test_add_func ("/core/fields", test_field_rules);
  g_test_add_func ("/core/text-checks", test_text_checks);
  g_test_add_func ("/core/collections", test_collections_complete);
  g_test_add_func ("/core/enum-types", test_enum_types);
  return g_test_run ();
}
