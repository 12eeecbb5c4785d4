/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Appeals feature's widgets in Russian, as a counter clerk sees and
 * hears them: every clock of an appeal with its time left in the rule's
 * units, counted on the shipped production calendar with an injected
 * "now"; and the register form, refusing each bad field next to it and
 * filled and registered from the keyboard. Runs under Xvfb; each widget
 * also leaves a screenshot in the build directory (OKNO_SCREENSHOT_DIR). */

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "okno-appeal-clocks.h"
#include "okno-calendar.h"

#define ZONE "Asia/Yekaterinburg"

/* --- looking into widget trees ---------------------------------------------- */

static gboolean
tree_shows_text (GtkWidget *widget, const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (tree_shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* The row of list whose accessible name starts with title. */
static GtkWidget *
find_row (GtkWidget *widget, const char *title)
{
  if (ADW_IS_ACTION_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_name (GtkWidget *widget, const char *expected)
{
  g_autofree char *problem = gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);

  if (problem != NULL)
    g_error ("accessible name of %s: %s", G_OBJECT_TYPE_NAME (widget), problem);
}

static void
drain_events (void)
{
  for (int i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* --- screenshots -------------------------------------------------------------- */

/* The window as drawn, saved as a PNG for a person to look at. */
static void
save_screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("OKNO_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  drain_events ();
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The app's style sheet, which AdwApplication would load: the badges'
 * colours are in it. */
static void
load_style (void)
{
  static GtkCssProvider *provider;

  if (provider != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/ru/eens/Okno/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static GtkWidget *
window_with (GtkWidget *child, int width, int height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  load_style ();
  gtk_widget_set_margin_top (child, 18);
  gtk_widget_set_margin_bottom (child, 18);
  gtk_widget_set_margin_start (child, 18);
  gtk_widget_set_margin_end (child, 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  adw_window_set_content (ADW_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  drain_events ();
  return window;
}

/* --- the clocks ----------------------------------------------------------------- */

typedef struct
{
  OknoCalendar *calendar;
  GTimeZone *zone;
} Clocks;

static void
clocks_set_up (Clocks *f, gconstpointer data)
{
  f->calendar = okno_calendar_new_shipped ();
  f->zone = g_time_zone_new_identifier (ZONE);
  g_assert_nonnull (f->zone);
}

static void
clocks_tear_down (Clocks *f, gconstpointer data)
{
  g_object_unref (f->calendar);
  g_time_zone_unref (f->zone);
}

static GDateTime *
at (Clocks *f, const char *local)
{
  GDateTime *moment = g_date_time_new_from_iso8601 (local, f->zone);

  g_assert_nonnull (moment);
  return moment;
}

/* The clocks of an appeal registered at registered (local time), seen at
 * now (local time). */
static OknoAppealClocks *
clocks_at (Clocks *f, const char *status, const char *channel, const char *registered,
           guint extended_days, const char *now)
{
  OknoAppealClocks *clocks = g_object_ref_sink (OKNO_APPEAL_CLOCKS (okno_appeal_clocks_new ()));
  g_autoptr (GDateTime) registered_at = at (f, registered);
  g_autoptr (GDateTime) now_at = at (f, now);
  OknoAppealClockInput input = { .status = status,
                                 .channel = channel,
                                 .registered_at = registered_at,
                                 .extended_days = extended_days,
                                 .calendar = f->calendar,
                                 .zone = f->zone,
                                 .warning_percent = 80,
                                 .now = now_at };
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_appeal_clocks_set_appeal (clocks, &input, &error));
  g_assert_no_error (error);
  return clocks;
}

static void
assert_clock (OknoAppealClocks *clocks, const char *rule, OknoClockState state, int left)
{
  OknoClockState shown_state;
  int shown_left;

  g_assert_true (okno_appeal_clocks_get_clock (clocks, rule, &shown_state, &shown_left));
  g_assert_cmpint (shown_state, ==, state);
  g_assert_cmpint (shown_left, ==, left);
}

static void
assert_row (OknoAppealClocks *clocks, const char *title, const char *due, const char *left,
            const char *state)
{
  GtkWidget *row = find_row (GTK_WIDGET (clocks), title);
  g_autofree char *name = g_strdup_printf ("%s: %s. %s. %s", title, due, left, state);

  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, due);
  g_assert_true (tree_shows_text (row, left));
  g_assert_true (tree_shows_text (row, state));
  assert_name (row, name);
}

/* Registered on 30 December 2025 at 18:00: 31 December was moved off,
 * 1-8 January are holidays, 9 January was moved off from 3 January, so
 * the registration is due on Monday 12 January 2026 and the answer on
 * 29 January. */
static void
test_clocks_new_year (Clocks *f, gconstpointer data)
{
  g_autoptr (OknoAppealClocks) clocks = NULL;

  /* Sunday 11 January: 89 % of the registration's term has gone. */
  clocks
    = clocks_at (f, "registered", "in_person", "2025-12-30T18:00:00", 0, "2026-01-11T12:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_WARNING, 1);
  assert_clock (clocks, "answer", OKNO_CLOCK_OK, 18);
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "refusal_notice", NULL, NULL));
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "extension", NULL, NULL));
  assert_row (clocks, "Регистрация", "до 12.01.2026 23:59", "Остался 1 рабочий день",
              "Срок подходит");
  assert_row (clocks, "Ответ", "до 29.01.2026 23:59", "Осталось 18 календарных дней", "В срок");
  g_clear_object (&clocks);

  /* 9 January is no working day either: still one to go, and on time. */
  clocks
    = clocks_at (f, "registered", "in_person", "2025-12-30T18:00:00", 0, "2026-01-05T10:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_OK, 1);
  g_clear_object (&clocks);

  /* On the due day. */
  clocks
    = clocks_at (f, "registered", "in_person", "2025-12-30T18:00:00", 0, "2026-01-12T09:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_WARNING, 0);
  assert_row (clocks, "Регистрация", "до 12.01.2026 23:59", "Срок сегодня", "Срок подходит");
  g_clear_object (&clocks);

  /* Two working days late, and the answer in two to four days. */
  clocks
    = clocks_at (f, "registered", "in_person", "2025-12-30T18:00:00", 0, "2026-01-14T10:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_OVERDUE, -2);
  assert_row (clocks, "Регистрация", "до 12.01.2026 23:59", "Просрочено на 2 рабочих дня",
              "Просрочено");
  assert_row (clocks, "Ответ", "до 29.01.2026 23:59", "Осталось 15 календарных дней", "В срок");
  g_clear_object (&clocks);

  /* Handed over: the registration's clock stops, the answer's runs on. */
  clocks = clocks_at (f, "assigned", "in_person", "2025-12-30T18:00:00", 0, "2026-01-26T10:00:00");
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "register", NULL, NULL));
  assert_clock (clocks, "answer", OKNO_CLOCK_WARNING, 3);
  assert_row (clocks, "Ответ", "до 29.01.2026 23:59", "Осталось 3 календарных дня",
              "Срок подходит");
}

/* Saturday 1 November 2025 is worked (shortened); 3 November was moved
 * off and 4 November is a holiday. */
static void
test_clocks_working_saturday (Clocks *f, gconstpointer data)
{
  g_autoptr (OknoAppealClocks) clocks = NULL;

  clocks = clocks_at (f, "registered", "post", "2025-10-31T10:00:00", 0, "2025-11-01T18:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_WARNING, 0);
  assert_row (clocks, "Регистрация", "до 01.11.2025 23:59", "Срок сегодня", "Срок подходит");
  g_clear_object (&clocks);

  /* Monday 3 November: late, yet no working day has passed since. */
  clocks = clocks_at (f, "registered", "post", "2025-10-31T10:00:00", 0, "2025-11-03T12:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_OVERDUE, 0);
  assert_row (clocks, "Регистрация", "до 01.11.2025 23:59", "Срок истёк", "Просрочено");
  g_clear_object (&clocks);

  clocks = clocks_at (f, "registered", "post", "2025-10-31T10:00:00", 0, "2025-11-05T12:00:00");
  assert_clock (clocks, "register", OKNO_CLOCK_OVERDUE, -1);
  assert_row (clocks, "Регистрация", "до 01.11.2025 23:59", "Просрочено на 1 рабочий день",
              "Просрочено");
}

/* 2 December 2025 + 30 days is 1 January, a holiday: due on 12 January. */
static void
test_clocks_answer_overdue (Clocks *f, gconstpointer data)
{
  g_autoptr (OknoAppealClocks) clocks = NULL;

  clocks = clocks_at (f, "in_progress", "email", "2025-12-02T10:00:00", 0, "2026-01-14T10:00:00");
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "register", NULL, NULL));
  assert_clock (clocks, "answer", OKNO_CLOCK_OVERDUE, -2);
  assert_row (clocks, "Ответ", "до 12.01.2026 23:59", "Просрочено на 2 календарных дня",
              "Просрочено");
  g_clear_object (&clocks);

  clocks = clocks_at (f, "in_progress", "email", "2025-12-02T10:00:00", 0, "2026-01-07T10:00:00");
  assert_row (clocks, "Ответ", "до 12.01.2026 23:59", "Осталось 5 календарных дней",
              "Срок подходит");
  g_clear_object (&clocks);

  clocks = clocks_at (f, "in_progress", "email", "2025-12-02T10:00:00", 0, "2025-12-12T10:00:00");
  assert_row (clocks, "Ответ", "до 12.01.2026 23:59", "Остался 31 календарный день", "В срок");
  g_clear_object (&clocks);

  /* A decision stops every clock. */
  clocks = clocks_at (f, "answered", "email", "2025-12-02T10:00:00", 0, "2026-01-14T10:00:00");
  for (guint i = 0; okno_deadline_rules[i] != NULL; i++)
    g_assert_false (okno_appeal_clocks_get_clock (clocks, okno_deadline_rules[i], NULL, NULL));
  g_assert_true (tree_shows_text (GTK_WIDGET (clocks), "Сроки не идут"));
}

/* Web reception, 6 May 2026: the refusal notice is due on 14 May (9 May a
 * holiday, 11 May moved off); only web reception has that clock. */
static void
test_clocks_web_reception (Clocks *f, gconstpointer data)
{
  g_autoptr (OknoAppealClocks) clocks = NULL;

  clocks
    = clocks_at (f, "assigned", "web_reception", "2026-05-06T09:00:00", 0, "2026-05-07T10:00:00");
  assert_clock (clocks, "refusal_notice", OKNO_CLOCK_OK, 4);
  assert_row (clocks, "Уведомление об отказе", "до 14.05.2026 23:59", "Осталось 4 рабочих дня",
              "В срок");
  g_clear_object (&clocks);

  clocks = clocks_at (f, "assigned", "in_person", "2026-05-06T09:00:00", 0, "2026-05-07T10:00:00");
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "refusal_notice", NULL, NULL));
  g_assert_null (find_row (GTK_WIDGET (clocks), "Уведомление об отказе"));
  assert_clock (clocks, "answer", OKNO_CLOCK_OK, 29);
}

/* 26 March 2025 + 30 days is Friday 25 April; 20 working days more, past
 * 1-2 and 8-9 May, end on 29 May. */
static void
test_clocks_extension (Clocks *f, gconstpointer data)
{
  g_autoptr (OknoAppealClocks) clocks = NULL;
  GtkWidget *window;

  clocks = clocks_at (f, "in_progress", "web_reception", "2025-03-26T11:00:00", 20,
                      "2025-05-20T10:00:00");
  assert_clock (clocks, "answer", OKNO_CLOCK_WARNING, 9);
  assert_clock (clocks, "extension", OKNO_CLOCK_OK, 7);
  assert_row (clocks, "Ответ", "до 29.05.2025 23:59", "Осталось 9 календарных дней",
              "Срок подходит");
  assert_row (clocks, "Продление", "Продлено на 20 рабочих дней, до 29.05.2025 23:59",
              "Осталось 7 рабочих дней", "В срок");
  /* The refusal notice of 5 working days went by long ago. */
  assert_clock (clocks, "refusal_notice", OKNO_CLOCK_OVERDUE, -30);

  window = window_with (GTK_WIDGET (clocks), 720, 420);
  save_screenshot (window, "appeal-clocks.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A policy beyond the Standard is no term to count with. */
static void
test_clocks_bad_policy (Clocks *f, gconstpointer data)
{
  OknoAppealClocks *clocks = g_object_ref_sink (OKNO_APPEAL_CLOCKS (okno_appeal_clocks_new ()));
  g_autoptr (GDateTime) registered_at = at (f, "2026-01-15T10:00:00");
  OknoAppealClockInput input = { .status = "registered",
                                 .channel = "in_person",
                                 .registered_at = registered_at,
                                 .answer_days = "45",
                                 .calendar = f->calendar,
                                 .zone = f->zone,
                                 .now = registered_at };
  g_autoptr (GError) error = NULL;

  g_assert_false (okno_appeal_clocks_set_appeal (clocks, &input, &error));
  g_assert_nonnull (error);
  g_assert_false (okno_appeal_clocks_get_clock (clocks, "register", NULL, NULL));
  g_assert_true (tree_shows_text (GTK_WIDGET (clocks), "Сроки нельзя рассчитать"));
  g_object_unref (clocks);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init () leaves the locale at "C", where gettext ignores
   * LANGUAGE (ru, from meson): the environment's C.UTF-8 honours it. It is
   * set before any translation is asked for, since g_dgettext () decides
   * at its first call, once, whether to translate at all. */
  setlocale (LC_ALL, "");
  if (g_getenv ("OKNO_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("OKNO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add ("/appeal-clocks/new-year", Clocks, NULL, clocks_set_up, test_clocks_new_year,
              clocks_tear_down);
  g_test_add ("/appeal-clocks/working-saturday", Clocks, NULL, clocks_set_up,
              test_clocks_working_saturday, clocks_tear_down);
  g_test_add ("/appeal-clocks/answer-overdue", Clocks, NULL, clocks_set_up,
              test_clocks_answer_overdue, clocks_tear_down);
  g_test_add ("/appeal-clocks/web-reception", Clocks, NULL, clocks_set_up,
              test_clocks_web_reception, clocks_tear_down);
  g_test_add ("/appeal-clocks/extension", Clocks, NULL, clocks_set_up, test_clocks_extension,
              clocks_tear_down);
  g_test_add ("/appeal-clocks/bad-policy", Clocks, NULL, clocks_set_up, test_clocks_bad_policy,
              clocks_tear_down);
  return g_test_run ();
}
