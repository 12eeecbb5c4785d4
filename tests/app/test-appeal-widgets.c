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
#include "okno-appeal-form.h"
#include "okno-calendar.h"
#include "okno-topic-item.h"
#include "test-widget-tree.h"

#define ZONE       "Asia/Yekaterinburg"
#define ACCOUNT_ID "0191aaaa-0000-7000-8000-000000000001"
#define TOPIC_ID   "0191aaaa-0000-7000-8000-0000000000a2"

/* --- looking into widget trees ---------------------------------------------- */

/* The row of list whose accessible name starts with title. */
static gboolean
is_row_titled (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget *widget, const char *title)
{
  return test_widget_find (widget, is_row_titled, title);
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

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *)user_data)++;
  return G_SOURCE_CONTINUE;
}

/* Lets the window lay itself out and draw: a few frames of its clock. */
static void
wait_for_frames (GtkWidget *window, guint n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (window, count_frame_cb, &frames, NULL);

  gtk_widget_queue_draw (window);
  while (frames < n)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (window, id);
}

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
  wait_for_frames (window, 3);
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
  g_assert_true (test_widget_shows_text (row, left));
  g_assert_true (test_widget_shows_text (row, state));
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
  g_assert_true (test_widget_shows_text (GTK_WIDGET (clocks), "Сроки не идут"));
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
  g_assert_true (test_widget_shows_text (GTK_WIDGET (clocks), "Сроки нельзя рассчитать"));
  g_object_unref (clocks);
}

/* --- the register form ------------------------------------------------------------ */

typedef struct
{
  GtkWidget *window;
  OknoAppealForm *form;
  guint n_submitted;
  guint n_cancelled;
  /* Copies of what the last "submit" carried. */
  char *kind, *channel, *subject, *account_id, *applicant_name, *answer_channel, *answer_address;
  char *topic_id, *text;
  GPtrArray *documents; /* OknoAppealDocument */
} Form;

static OknoAppealDocument *
copy_document (const OknoAppealDocument *document, gpointer user_data)
{
  OknoAppealDocument *copy = g_new0 (OknoAppealDocument, 1);

  copy->what = g_strdup (document->what);
  copy->original = document->original;
  copy->pages = document->pages;
  return copy;
}

static void
forget_submitted (Form *f)
{
  g_clear_pointer (&f->kind, g_free);
  g_clear_pointer (&f->channel, g_free);
  g_clear_pointer (&f->subject, g_free);
  g_clear_pointer (&f->account_id, g_free);
  g_clear_pointer (&f->applicant_name, g_free);
  g_clear_pointer (&f->answer_channel, g_free);
  g_clear_pointer (&f->answer_address, g_free);
  g_clear_pointer (&f->topic_id, g_free);
  g_clear_pointer (&f->text, g_free);
  g_clear_pointer (&f->documents, g_ptr_array_unref);
}

static void
submit_cb (OknoAppealForm *form, OknoAppealFormValues *values, Form *f)
{
  const OknoAppealRegistration *r = &values->registration;

  forget_submitted (f);
  f->n_submitted++;
  f->kind = g_strdup (r->kind);
  f->channel = g_strdup (r->channel);
  f->subject = g_strdup (r->subject);
  f->account_id = g_strdup (r->account_id);
  f->applicant_name = g_strdup (r->applicant_name);
  f->answer_channel = g_strdup (r->answer_channel);
  f->answer_address = g_strdup (r->answer_address);
  f->topic_id = g_strdup (values->topic_id);
  f->text = g_strdup (values->text);
  f->documents = g_ptr_array_copy (values->documents, (GCopyFunc)copy_document, NULL);
  g_ptr_array_set_free_func (f->documents, (GDestroyNotify)okno_appeal_document_free);
}

static void
cancel_cb (OknoAppealForm *form, Form *f)
{
  f->n_cancelled++;
}

static GListModel *
some_topics (void)
{
  GListStore *topics = g_list_store_new (OKNO_TYPE_TOPIC_ITEM);
  g_autoptr (OknoTopicItem) bills
    = okno_topic_item_new ("0191aaaa-0000-7000-8000-0000000000t1", "Начисления и перерасчёт");
  g_autoptr (OknoTopicItem) meters = okno_topic_item_new (TOPIC_ID, "Приборы учёта");

  g_list_store_append (topics, bills);
  g_list_store_append (topics, meters);
  return G_LIST_MODEL (topics);
}

static void
form_set_up (Form *f, gconstpointer data)
{
  g_autoptr (GListModel) topics = some_topics ();

  f->form = OKNO_APPEAL_FORM (okno_appeal_form_new ());
  okno_appeal_form_set_topics (f->form, topics);
  g_signal_connect (f->form, "submit", G_CALLBACK (submit_cb), f);
  g_signal_connect (f->form, "cancel", G_CALLBACK (cancel_cb), f);
  f->window = window_with (GTK_WIDGET (f->form), 760, 900);
}

static void
form_tear_down (Form *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  forget_submitted (f);
  drain_events ();
}

/* The field a visible label names (its mnemonic widget). */
static gboolean
is_field_label (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0
         && gtk_label_get_mnemonic_widget (GTK_LABEL (widget)) != NULL;
}

static GtkWidget *
field_named (GtkWidget *widget, const char *label)
{
  GtkWidget *found = test_widget_find (widget, is_field_label, label);

  return found ? gtk_label_get_mnemonic_widget (GTK_LABEL (found)) : NULL;
}

static GtkWidget *
field (Form *f, const char *label)
{
  GtkWidget *widget = field_named (GTK_WIDGET (f->form), label);

  if (widget == NULL)
    g_error ("no field labelled “%s”", label);
  return widget;
}

static GtkWidget *
focus_of (Form *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

static gboolean
has_focus_in (Form *f, GtkWidget *widget)
{
  GtkWidget *focus = focus_of (f);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The message shown right under field: the next visible sibling label. */
static const char *
problem_of (GtkWidget *field_widget)
{
  GtkWidget *next = gtk_widget_get_next_sibling (field_widget);

  if (GTK_IS_SCROLLED_WINDOW (gtk_widget_get_parent (field_widget)))
    next = gtk_widget_get_next_sibling (gtk_widget_get_parent (field_widget));
  if (!GTK_IS_LABEL (next) || !gtk_widget_get_visible (next))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (next));
}

static void
choose (GtkWidget *drop, const char *label)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (drop));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      const char *text = GTK_IS_STRING_OBJECT (item)
                           ? gtk_string_object_get_string (GTK_STRING_OBJECT (item))
                           : okno_topic_item_get_title (OKNO_TOPIC_ITEM (item));

      if (g_strcmp0 (text, label) == 0)
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), i);
          return;
        }
    }
  g_error ("no choice “%s”", label);
}

static void
type_into (GtkWidget *entry, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

/* Nothing chosen or written: each missing field says so under itself, and
 * the first takes the focus. */
static void
test_form_refuses_empty (Form *f, gconstpointer data)
{
  GtkWidget *kind = field (f, "Вид");

  g_assert_true (has_focus_in (f, field (f, "ФИО или наименование")));
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_cmpuint (f->n_submitted, ==, 0);
  g_assert_cmpstr (problem_of (kind), ==, "Выберите вид обращения");
  g_assert_cmpstr (problem_of (field (f, "ФИО или наименование")), ==,
                   "Выберите лицевой счёт клиента или укажите имя заявителя");
  g_assert_cmpstr (problem_of (field (f, "Краткое содержание")), ==, "Укажите, о чём обращение");
  g_assert_null (problem_of (field (f, "Поступило")));
  g_assert_true (has_focus_in (f, kind));
  g_assert_true (gtk_widget_has_css_class (kind, "error"));
  g_autofree char *problem = gtk_test_accessible_check_state (
    GTK_ACCESSIBLE (kind), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_null (problem);

  /* One fixed, the others still refused; the focus goes to the next. */
  choose (kind, "Жалоба");
  g_assert_null (problem_of (kind));
  g_assert_nonnull (problem_of (field (f, "Краткое содержание")));
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_null (problem_of (kind));
  g_assert_false (gtk_widget_has_css_class (kind, "error"));
  g_assert_true (has_focus_in (f, field (f, "ФИО или наименование")));

  type_into (field (f, "ФИО или наименование"), "   ");
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_nonnull (problem_of (field (f, "ФИО или наименование")));
  save_screenshot (f->window, "appeal-form-refused.png");
}

/* An answer by e-mail needs an address, and a real one. */
static void
test_form_email_needs_address (Form *f, gconstpointer data)
{
  GtkWidget *address;

  choose (field (f, "Вид"), "Заявление");
  type_into (field (f, "ФИО или наименование"), "Петров Пётр Петрович");
  type_into (field (f, "Краткое содержание"), "Перерасчёт за май");
  /* In person, answered in person: no address is asked for. */
  g_assert_null (field_named (GTK_WIDGET (f->form), "Адрес электронной почты"));
  choose (field (f, "Способ ответа"), "Эл. почта");
  address = field (f, "Адрес электронной почты");
  g_assert_true (gtk_widget_is_visible (address));

  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_cmpstr (problem_of (address), ==,
                   "Для ответа по каналу «Эл. почта» нужен адрес клиента");
  g_assert_true (has_focus_in (f, address));
  save_screenshot (f->window, "appeal-form-email.png");

  type_into (address, "+7 912 345-67-89");
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_cmpstr (problem_of (address), ==, "«+7 912 345-67-89» — не адрес электронной почты");

  /* By phone the same field asks for a number. */
  choose (field (f, "Способ ответа"), "Телефон");
  address = field (f, "Номер телефона");
  type_into (address, "12345");
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_cmpstr (problem_of (address), ==, "«12345» — не российский номер телефона");

  choose (field (f, "Способ ответа"), "Эл. почта");
  type_into (field (f, "Адрес электронной почты"), "petrov@example.org");
  g_assert_true (okno_appeal_form_register (f->form));
  g_assert_cmpuint (f->n_submitted, ==, 1);
  g_assert_cmpstr (f->answer_channel, ==, "email");
  g_assert_cmpstr (f->answer_address, ==, "petrov@example.org");
}

/* Until someone picks one, the answer goes back the way the appeal came
 * in; the feedback book carries none. A choice made is kept. */
static void
test_form_answer_follows_channel (Form *f, gconstpointer data)
{
  GtkWidget *answer = field (f, "Способ ответа");

  choose (field (f, "Поступило"), "Интернет-приёмная");
  g_assert_cmpstr (
    gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (answer))), ==,
    "Интернет-приёмная");
  /* A web reception answer goes to the e-mail given in the form (L221). */
  g_assert_true (gtk_widget_is_visible (field (f, "Адрес электронной почты")));
  choose (field (f, "Поступило"), "Книга отзывов и предложений");
  g_assert_cmpstr (
    gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (answer))), ==,
    "Контакты не оставлены");
  g_assert_false (gtk_widget_is_visible (field (f, "Адрес электронной почты")));

  choose (answer, "Факс");
  g_assert_true (gtk_widget_is_visible (field (f, "Номер факса")));
  choose (field (f, "Поступило"), "Телефон");
  g_assert_cmpstr (
    gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (answer))), ==,
    "Факс");

  /* What the client chose before, given by the caller, counts as chosen. */
  okno_appeal_form_reset (f->form);
  okno_appeal_form_set_answer (f->form, "email", "ivanova@example.org");
  choose (field (f, "Поступило"), "Почта");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "Адрес электронной почты"))), ==,
                   "ivanova@example.org");
}

/* From the client card: the account is given; the answer channel follows
 * the incoming one until chosen; every value reaches "submit". */
static void
test_form_submits_values (Form *f, gconstpointer data)
{
  OknoAppealDocument *document;

  okno_appeal_form_set_account (f->form, ACCOUNT_ID, "6612345678", "Иванова Анна Петровна");
  okno_appeal_form_focus (f->form);
  g_assert_true (has_focus_in (f, field (f, "Краткое содержание")));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (f->form), "6612345678"));
  g_assert_false (gtk_widget_is_visible (field (f, "ФИО или наименование")));

  choose (field (f, "Вид"), "Консультация");
  choose (field (f, "Поступило"), "Почта");
  choose (field (f, "Тема"), "Приборы учёта");
  type_into (field (f, "Почтовый адрес"), "620014, г. Екатеринбург, ул. Ленина, д. 1, кв. 2");
  type_into (field (f, "Краткое содержание"), "Замена счётчика");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field (f, "Текст обращения"))),
                            "Прошу заменить счётчик.\nСрок поверки истёк.", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->form), "appeal-form.add-document", NULL);
  wait_for_frames (f->window, 2);
  type_into (focus_of (f), "Акт поверки");
  save_screenshot (f->window, "appeal-form.png");

  g_assert_true (okno_appeal_form_register (f->form));
  g_assert_cmpuint (f->n_submitted, ==, 1);
  g_assert_cmpstr (f->kind, ==, "consultation");
  g_assert_cmpstr (f->channel, ==, "post");
  g_assert_cmpstr (f->account_id, ==, ACCOUNT_ID);
  g_assert_null (f->applicant_name);
  g_assert_cmpstr (f->answer_channel, ==, "post");
  g_assert_cmpstr (f->answer_address, ==, "620014, г. Екатеринбург, ул. Ленина, д. 1, кв. 2");
  g_assert_cmpstr (f->subject, ==, "Замена счётчика");
  g_assert_cmpstr (f->topic_id, ==, TOPIC_ID);
  g_assert_cmpstr (f->text, ==, "Прошу заменить счётчик.\nСрок поверки истёк.");
  g_assert_cmpuint (f->documents->len, ==, 1);
  document = g_ptr_array_index (f->documents, 0);
  g_assert_cmpstr (document->what, ==, "Акт поверки");
  g_assert_false (document->original);
  g_assert_cmpuint (document->pages, ==, 1);

  /* Without the account, a name is needed again. */
  gtk_widget_activate_action (GTK_WIDGET (f->form), "appeal-form.clear-account", NULL);
  g_assert_null (okno_appeal_form_get_account_id (f->form));
  g_assert_true (has_focus_in (f, field (f, "ФИО или наименование")));
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_cmpuint (f->n_submitted, ==, 1);

  okno_appeal_form_reset (f->form);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "Краткое содержание"))), ==, "");
  g_assert_true (test_widget_shows_text (GTK_WIDGET (f->form), "Документы не приложены"));
}

/* The shortcut bound to key on the form, activated as GTK would. */
static void
press_shortcut (Form *f, guint key, GdkModifierType modifiers)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->form));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == key
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           GTK_WIDGET (f->form), NULL));
              return;
            }
        }
    }
  g_error ("no shortcut for %s", gdk_keyval_name (key));
}

static void
clicked_cb (GtkButton *button, gboolean *clicked)
{
  *clicked = TRUE;
}

/* Activates a button as Enter or Space would: it shows itself pressed for
 * a moment, then clicks. */
static void
click (GtkWidget *button)
{
  g_autoptr (GtkWidget) kept = g_object_ref (button); /* the click may remove it */
  gboolean clicked = FALSE;
  gulong id = g_signal_connect (button, "clicked", G_CALLBACK (clicked_cb), &clicked);

  g_assert_true (gtk_widget_activate (button));
  while (!clicked)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (button, id);
}

/* Enter on the focused widget: a text field's "activate" (its Enter key
 * binding), a button's activation otherwise. */
static void
press_enter (Form *f)
{
  GtkWidget *focus = focus_of (f);

  g_assert_nonnull (focus);
  if (GTK_IS_TEXT (focus))
    {
      g_signal_emit_by_name (focus, "activate");
      return;
    }
  click (focus);
}

static void
press_tab (Form *f)
{
  /* The tab order follows where things are on screen: a field that
   * just appeared needs a layout first, as it has by a person's next key. */
  wait_for_frames (f->window, 2);
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
}

/* A clerk with no mouse: the focus starts in the name; Enter moves on,
 * Tab past the choices, Enter in the last field registers, Escape
 * cancels. */
static void
test_form_keyboard_only (Form *f, gconstpointer data)
{
  GtkWidget *drop;

  g_assert_true (has_focus_in (f, field (f, "ФИО или наименование")));
  type_into (focus_of (f), "Сидорова Мария Ивановна");
  press_enter (f);
  drop = field (f, "Способ ответа");
  g_assert_true (has_focus_in (f, drop));
  choose (drop, "Телефон"); /* the list a clerk opens with Enter and arrows */
  press_tab (f);
  g_assert_true (has_focus_in (f, field (f, "Номер телефона")));
  type_into (focus_of (f), "8 (912) 345-67-89");
  press_enter (f);
  g_assert_true (has_focus_in (f, field (f, "Краткое содержание")));
  type_into (focus_of (f), "Отключение электроэнергии");
  press_enter (f);
  g_assert_true (has_focus_in (f, field (f, "Текст обращения")));
  press_tab (f);
  g_assert_true (GTK_IS_BUTTON (focus_of (f)));
  press_enter (f); /* Add Document */
  type_into (focus_of (f), "Копия квитанции");
  press_enter (f);
  press_tab (f);
  g_assert_nonnull (gtk_widget_get_ancestor (focus_of (f), GTK_TYPE_SPIN_BUTTON));
  type_into (focus_of (f), "2");

  /* Enter in the last field registers, and the kind is missing. */
  press_enter (f);
  g_assert_cmpuint (f->n_submitted, ==, 0);
  drop = field (f, "Вид");
  g_assert_true (has_focus_in (f, drop));
  choose (drop, "Жалоба");
  press_shortcut (f, GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpuint (f->n_submitted, ==, 1);
  g_assert_cmpstr (f->kind, ==, "complaint");
  g_assert_cmpstr (f->channel, ==, "in_person");
  g_assert_cmpstr (f->applicant_name, ==, "Сидорова Мария Ивановна");
  g_assert_cmpstr (f->answer_channel, ==, "phone");
  g_assert_cmpstr (f->answer_address, ==, "8 (912) 345-67-89");
  g_assert_null (f->topic_id);
  g_assert_cmpuint (f->documents->len, ==, 1);
  g_assert_cmpuint (((OknoAppealDocument *)g_ptr_array_index (f->documents, 0))->pages, ==, 2);

  g_assert_cmpuint (f->n_cancelled, ==, 0);
  press_shortcut (f, GDK_KEY_Escape, 0);
  g_assert_cmpuint (f->n_cancelled, ==, 1);
}

/* A document row left blank is pointed out; removing it is enough. */
static void
test_form_documents (Form *f, gconstpointer data)
{
  GtkWidget *what;

  choose (field (f, "Вид"), "Благодарность");
  type_into (field (f, "ФИО или наименование"), "Кузьмин Олег");
  type_into (field (f, "Краткое содержание"), "Спасибо за быстрый ответ");
  gtk_widget_activate_action (GTK_WIDGET (f->form), "appeal-form.add-document", NULL);
  wait_for_frames (f->window, 2);
  what = focus_of (f);
  g_assert_false (okno_appeal_form_register (f->form));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (f->form), "Опишите документ или уберите его"));
  g_assert_true (has_focus_in (f, gtk_widget_get_ancestor (what, GTK_TYPE_ENTRY)));
  what = gtk_widget_get_ancestor (what, GTK_TYPE_ENTRY);
  click (gtk_widget_get_last_child (gtk_widget_get_parent (what)));
  g_assert_true (test_widget_shows_text (GTK_WIDGET (f->form), "Документы не приложены"));
  g_assert_true (okno_appeal_form_register (f->form));
  g_assert_cmpuint (f->documents->len, ==, 0);
}

/* Every control a clerk reaches has a name: its label's (labelled-by) or
 * its own. */
static void
assert_named (GtkWidget *widget, guint *n_controls)
{
  gboolean control = GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget)
                     || GTK_IS_DROP_DOWN (widget) || GTK_IS_BUTTON (widget);

  /* What is hidden (a closed drop-down's list, a field not needed) is
   * not reached. */
  if (!gtk_widget_get_visible (widget))
    return;
  /* The text inside an entry or a spin button is named by its parent. */
  if (GTK_IS_TEXT (widget))
    control = FALSE;
  if (control)
    {
      gboolean named
        = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
          || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                               GTK_ACCESSIBLE_RELATION_LABELLED_BY);

      if (!named)
        g_error ("%s in %s has no accessible name", G_OBJECT_TYPE_NAME (widget),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
      (*n_controls)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_named (child, n_controls);
}

static void
test_form_accessible_names (Form *f, gconstpointer data)
{
  GtkWidget *kind = field (f, "Вид");
  guint n_controls = 0;

  okno_appeal_form_set_account (f->form, ACCOUNT_ID, "6612345678", "Иванова Анна Петровна");
  choose (field (f, "Способ ответа"), "Эл. почта");
  gtk_widget_activate_action (GTK_WIDGET (f->form), "appeal-form.add-document", NULL);
  assert_named (GTK_WIDGET (f->form), &n_controls);
  /* kind, channel, topic, answer and their buttons, the account's button,
   * address, subject, text, the document's four, add, cancel, register */
  g_assert_cmpuint (n_controls, >=, 17);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (kind), GTK_ACCESSIBLE_ROLE_COMBO_BOX);
  choose (kind, "Жалоба");
  assert_name (gtk_widget_get_first_child (kind), "Вид: Жалоба");
  assert_name (gtk_widget_get_first_child (field (f, "Тема")), "Тема: Ещё не выбрана");
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
  g_test_add ("/appeal-form/refuses-empty", Form, NULL, form_set_up, test_form_refuses_empty,
              form_tear_down);
  g_test_add ("/appeal-form/email-needs-address", Form, NULL, form_set_up,
              test_form_email_needs_address, form_tear_down);
  g_test_add ("/appeal-form/answer-follows-channel", Form, NULL, form_set_up,
              test_form_answer_follows_channel, form_tear_down);
  g_test_add ("/appeal-form/submits-values", Form, NULL, form_set_up, test_form_submits_values,
              form_tear_down);
  g_test_add ("/appeal-form/keyboard-only", Form, NULL, form_set_up, test_form_keyboard_only,
              form_tear_down);
  g_test_add ("/appeal-form/documents", Form, NULL, form_set_up, test_form_documents,
              form_tear_down);
  g_test_add ("/appeal-form/accessible-names", Form, NULL, form_set_up, test_form_accessible_names,
              form_tear_down);
  return g_test_run ();
}
