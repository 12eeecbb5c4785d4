/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-clocks.h"

#include <glib/gi18n.h>

#include "okno-appeal-rules.h"
#include "okno-format.h"
#include "okno-labels.h"

/* The clocks, in the order they are shown. */
enum
{
  CLOCK_REGISTER,
  CLOCK_ANSWER,
  CLOCK_REFUSAL_NOTICE,
  CLOCK_EXTENSION,
  N_CLOCKS
};

static const char *const clock_rules[N_CLOCKS]
  = { "register", "answer", "refusal_notice", "extension" };

typedef struct
{
  gboolean shown;
  OknoClockState state;
  int left;
} Clock;

struct _OknoAppealClocks
{
  GtkBox parent_instance;

  /* The appeal as last given, kept to count again as time passes. */
  char *status;
  char *channel;
  char *answer_days;
  GDateTime *registered_at;
  guint extended_days;
  OknoCalendar *calendar;
  GTimeZone *zone;
  guint warning_percent;
  GDateTime *now; /* NULL: the current time */
  guint refresh_id;
  Clock clocks[N_CLOCKS];

  GtkListBox *list;
  GtkLabel *empty_label;
};

G_DEFINE_FINAL_TYPE (OknoAppealClocks, okno_appeal_clocks, GTK_TYPE_BOX)

/* --- words -------------------------------------------------------------------- */

/* The time left in the rule's own units: working days for a working-day
 * term, calendar days for the answer's 30 days (docs/appeals.md). */
static char *
describe_left (const OknoDeadlineRule *rule, OknoClockState state, int left)
{
  gboolean working = rule->unit == OKNO_TERM_WORKING_DAYS;
  int n = ABS (left);

  /* A working-day term that ended on Friday is overdue on Saturday, yet no
   * working day has gone past it: left is 0 then. */
  if (left == 0)
    return g_strdup (state == OKNO_CLOCK_OVERDUE ? _ ("The term has run out") : _ ("Due today"));
  if (left > 0)
    return g_strdup_printf (working ? ngettext ("%d working day left", "%d working days left", n)
                                    : ngettext ("%d calendar day left", "%d calendar days left", n),
                            n);
  return g_strdup_printf (
    working ? ngettext ("Overdue by %d working day", "Overdue by %d working days", n)
            : ngettext ("Overdue by %d calendar day", "Overdue by %d calendar days", n),
    n);
}

static const char *
state_icon (OknoClockState state)
{
  switch (state)
    {
      case OKNO_CLOCK_WARNING:
        return "alarm-symbolic";
      case OKNO_CLOCK_OVERDUE:
        return "dialog-error-symbolic";
      case OKNO_CLOCK_OK:
      default:
        return "emblem-ok-symbolic";
    }
}

static const char *
state_class (OknoClockState state)
{
  static const char *const classes[] = { "okno-clock-ok", "okno-clock-warning", "okno-overdue" };

  return classes[state];
}

/* "Due by 12.01.2026 23:59", in the branch's zone whatever the desktop's. */
static char *
describe_due (OknoAppealClocks *self, GDateTime *due, guint extended_days)
{
  g_autoptr (GDateTime) local = g_date_time_to_timezone (due, self->zone);
  g_autofree char *moment = okno_format_date_time (local);

  if (extended_days > 0)
    /* Translators: the extension's row: by how many working days the
     * answer's term was extended, and the new due moment */
    return g_strdup_printf (ngettext ("Extended by %u working day, due by %s",
                                      "Extended by %u working days, due by %s", extended_days),
                            extended_days, moment);
  /* Translators: a deadline's due moment, a date and time */
  return g_strdup_printf (_ ("Due by %s"), moment);
}

/* --- rows ----------------------------------------------------------------------- */

static GtkWidget *
state_badge (OknoClockState state)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name (state_icon (state));
  GtkWidget *word = gtk_label_new (okno_choice_label (okno_clock_state_to_string (state)));

  /* The row's name says it all; the parts are not read on their own. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  okno_choice_label (okno_clock_state_to_string (state)), -1);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_add_css_class (box, "okno-badge");
  gtk_widget_add_css_class (box, state_class (state));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), word);
  return box;
}

static GtkWidget *
clock_row (OknoAppealClocks *self, const OknoDeadline *deadline, guint extended_days,
           const Clock *clock)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *left_label;
  const char *title = okno_deadline_rule_get_label (deadline->rule);
  const char *state = okno_choice_label (okno_clock_state_to_string (clock->state));
  g_autofree char *due = describe_due (self, deadline->due, extended_days);
  g_autofree char *left = describe_left (deadline->rule, clock->state, clock->left);
  g_autofree char *name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), due);
  gtk_widget_set_tooltip_text (row, okno_deadline_rule_get_basis (deadline->rule));
  left_label = gtk_label_new (left);
  gtk_label_set_xalign (GTK_LABEL (left_label), 1);
  gtk_widget_add_css_class (left_label, "caption");
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (suffix), state_badge (clock->state));
  gtk_box_append (GTK_BOX (suffix), left_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);

  /* One name with all of it, in the order a clerk reads the row;
   * libadwaita's own relations to the title and subtitle would be read
   * before it as well. */
  /* Translators: a deadline read aloud: the rule, its due moment, the time
   * left and the state, e.g. "Answer: Due by 12.01.2026 23:59. 3 calendar
   * days left. On time" */
  name = g_strdup_printf (_ ("%s: %s. %s. %s"), title, due, left, state);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
remove_rows (OknoAppealClocks *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < N_CLOCKS; i++)
    self->clocks[i].shown = FALSE;
}

static void
show_message (OknoAppealClocks *self, const char *message)
{
  gtk_label_set_text (self->empty_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->list), message == NULL);
}

/* --- counting --------------------------------------------------------------------- */

/* The term of clock i, counted by core, or NULL when it does not run. */
static OknoDeadline *
count_clock (OknoAppealClocks *self, guint i, GError **error)
{
  g_autoptr (OknoDeadline) answer = NULL;

  switch (i)
    {
      case CLOCK_REGISTER:
      case CLOCK_REFUSAL_NOTICE:
        if (!okno_appeal_clock_runs (clock_rules[i], self->channel, self->status))
          return NULL;
        return okno_deadline_new (clock_rules[i], 0, self->registered_at, self->zone,
                                  self->calendar, error);
      case CLOCK_ANSWER:
        if (!okno_appeal_clock_runs ("answer", self->channel, self->status))
          return NULL;
        return okno_appeal_answer_deadline (self->registered_at, self->answer_days,
                                            self->extended_days, self->zone, self->calendar, error);
      case CLOCK_EXTENSION:
        /* An extension moves the answer's clock: it runs while that does,
         * from the answer's own due day. */
        if (self->extended_days == 0
            || !okno_appeal_clock_runs ("answer", self->channel, self->status))
          return NULL;
        answer = okno_appeal_answer_deadline (self->registered_at, self->answer_days, 0, self->zone,
                                              self->calendar, error);
        if (answer == NULL)
          return NULL;
        return okno_deadline_new ("extension", self->extended_days, answer->due, self->zone,
                                  self->calendar, error);
      default:
        g_assert_not_reached ();
    }
}

static gboolean
refresh (OknoAppealClocks *self, GError **error)
{
  g_autoptr (GDateTime) now = self->now ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  remove_rows (self);
  for (guint i = 0; i < N_CLOCKS; i++)
    {
      GError *local_error = NULL;
      g_autoptr (OknoDeadline) deadline = count_clock (self, i, &local_error);
      Clock *clock = &self->clocks[i];

      if (local_error != NULL)
        {
          g_autofree char *message
            = g_strdup_printf (_ ("The deadlines cannot be counted: %s"), local_error->message);

          remove_rows (self);
          show_message (self, message);
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (deadline == NULL)
        continue;
      clock->shown = TRUE;
      clock->state
        = okno_deadline_clock (deadline->rule, deadline->from, deadline->due, now, self->zone,
                               self->calendar, self->warning_percent, &clock->left);
      gtk_list_box_append (
        self->list,
        clock_row (self, deadline, i == CLOCK_EXTENSION ? self->extended_days : 0, clock));
    }
  if (gtk_widget_get_first_child (GTK_WIDGET (self->list)) == NULL)
    show_message (self, _ ("No term is running: the appeal has been decided"));
  else
    show_message (self, NULL);
  return TRUE;
}

/* The row holding the keyboard focus, -1 for none. */
static int
focused_row (OknoAppealClocks *self)
{
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self->list));

  return GTK_IS_LIST_BOX_ROW (focus) ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)) : -1;
}

static gboolean
refresh_cb (gpointer user_data)
{
  OknoAppealClocks *self = OKNO_APPEAL_CLOCKS (user_data);
  int focused = focused_row (self);
  GtkListBoxRow *row;

  refresh (self, NULL);
  /* A clerk reading the clocks from the keyboard stays on the same row. */
  if (focused >= 0 && (row = gtk_list_box_get_row_at_index (self->list, focused)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  return G_SOURCE_CONTINUE;
}

static void
forget_appeal (OknoAppealClocks *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->answer_days, g_free);
  g_clear_pointer (&self->registered_at, g_date_time_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_object (&self->calendar);
}

/* --- GObject -------------------------------------------------------------------- */

static void
okno_appeal_clocks_dispose (GObject *object)
{
  OknoAppealClocks *self = OKNO_APPEAL_CLOCKS (object);

  forget_appeal (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_APPEAL_CLOCKS);
  G_OBJECT_CLASS (okno_appeal_clocks_parent_class)->dispose (object);
}

static void
okno_appeal_clocks_class_init (OknoAppealClocksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_appeal_clocks_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-appeal-clocks.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoAppealClocks, list);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealClocks, empty_label);
}

static void
okno_appeal_clocks_init (OknoAppealClocks *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_appeal_clocks_new (void)
{
  return g_object_new (OKNO_TYPE_APPEAL_CLOCKS, NULL);
}

gboolean
okno_appeal_clocks_set_appeal (OknoAppealClocks *self, const OknoAppealClockInput *input,
                               GError **error)
{
  g_return_val_if_fail (OKNO_IS_APPEAL_CLOCKS (self), FALSE);
  g_return_val_if_fail (input != NULL && input->registered_at != NULL, FALSE);
  g_return_val_if_fail (OKNO_IS_CALENDAR (input->calendar) && input->zone != NULL, FALSE);
  g_return_val_if_fail (input->warning_percent <= 100, FALSE);

  forget_appeal (self);
  self->status = g_strdup (input->status);
  self->channel = g_strdup (input->channel);
  self->answer_days = g_strdup (input->answer_days);
  self->registered_at = g_date_time_ref (input->registered_at);
  self->extended_days = input->extended_days;
  self->calendar = g_object_ref (input->calendar);
  self->zone = g_time_zone_ref (input->zone);
  self->warning_percent
    = input->warning_percent > 0 ? input->warning_percent : OKNO_DEADLINE_WARNING_PERCENT;
  self->now = input->now ? g_date_time_ref (input->now) : NULL;
  if (!refresh (self, error))
    return FALSE;
  /* Days left and states change as the clock runs; a fixed "now" stays. */
  if (self->now == NULL)
    self->refresh_id = g_timeout_add_seconds (60, refresh_cb, self);
  return TRUE;
}

void
okno_appeal_clocks_clear (OknoAppealClocks *self)
{
  g_return_if_fail (OKNO_IS_APPEAL_CLOCKS (self));

  forget_appeal (self);
  remove_rows (self);
  show_message (self, NULL);
}

gboolean
okno_appeal_clocks_get_clock (OknoAppealClocks *self, const char *rule, OknoClockState *state,
                              int *left)
{
  g_return_val_if_fail (OKNO_IS_APPEAL_CLOCKS (self), FALSE);

  for (guint i = 0; i < N_CLOCKS; i++)
    if (g_strcmp0 (clock_rules[i], rule) == 0 && self->clocks[i].shown)
      {
        if (state != NULL)
          *state = self->clocks[i].state;
        if (left != NULL)
          *left = self->clocks[i].left;
        return TRUE;
      }
  return FALSE;
}
