/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The appeal rules of the register (src/core/okno-appeal-rules.c) and the
 * lifecycle every layer checks (src/core/okno-appeal-lifecycle.c). */

#include "okno-core.h"

static char *
due_on (GDateTime *registered, const char *days, GError **error)
{
  g_autoptr (OknoCalendar) calendar = okno_calendar_new_shipped ();
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);

  return okno_appeal_due_on (registered, days, zone, calendar, error);
}

static void
test_due_calendar_days (void)
{
  /* 04:30 on 21 January in Yekaterinburg, still the 20th in UTC. */
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2026, 1, 20, 23, 30, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *due = due_on (registered, OKNO_APPEAL_ANSWER_DAYS, &error);
  g_autofree char *policy = due_on (registered, "10", &error);

  g_assert_no_error (error);
  /* 30 calendar days from the local date, across the end of the month,
   * weekends counted: Friday 20 February (not the 19th, as counting from
   * the UTC date did). */
  g_assert_cmpstr (due, ==, "2026-02-20");
  /* 10 days end on Saturday 31 January: moved to Monday (Civil Code,
   * art. 193). */
  g_assert_cmpstr (policy, ==, "2026-02-02");
}

static void
test_due_across_leap_day (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2028, 2, 15, 8, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *due = due_on (registered, "30", &error);

  /* Beyond the shipped years: the five-day week, Thursday 16 March. */
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2028-03-16");
}

static void
test_due_bad_policy (void)
{
  g_autoptr (GDateTime) registered = g_date_time_new_utc (2026, 3, 2, 8, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *longer = due_on (registered, "45", &error);
  g_autofree char *word = NULL;

  /* A policy may shorten the Standard's 30 days, never lengthen them. */
  g_assert_null (longer);
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  word = due_on (registered, "thirty", &error);
  g_assert_null (word);
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
}

static void
test_answer_extended (void)
{
  g_autoptr (OknoCalendar) calendar = okno_calendar_new_shipped ();
  g_autoptr (GTimeZone) zone = okno_branch_time_zone_new (NULL, NULL);
  g_autoptr (GDateTime) registered
    = g_date_time_new_from_iso8601 ("2025-03-26T11:00:00+05:00", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDeadline) plain
    = okno_appeal_answer_deadline (registered, NULL, 0, zone, calendar, &error);
  g_autoptr (OknoDeadline) longer
    = okno_appeal_answer_deadline (registered, NULL, 20, zone, calendar, &error);
  g_autoptr (OknoDeadline) too_long = NULL;
  g_autofree char *a = NULL, *b = NULL, *from = NULL;

  /* 26 March + 30 = 25 April 2025 (Friday); 20 working days after it skip
   * 1-2 and 8-9 May: 29 May. */
  g_assert_no_error (error);
  a = okno_deadline_format (plain->due);
  b = okno_deadline_format (longer->due);
  from = okno_deadline_format (longer->from);
  g_assert_cmpstr (a, ==, "2025-04-25T23:59:59+05:00");
  g_assert_cmpstr (b, ==, "2025-05-29T23:59:59+05:00");
  g_assert_cmpstr (from, ==, "2025-03-26T11:00:00+05:00");
  g_assert_cmpstr (longer->rule->name, ==, "answer");
  too_long = okno_appeal_answer_deadline (registered, NULL, 21, zone, calendar, &error);
  g_assert_null (too_long);
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
}

static void
test_clock_runs (void)
{
  /* register: only until handed over; answer: until a decision; the
   * refusal notice: web reception only. */
  g_assert_true (okno_appeal_clock_runs ("register", "post", "registered"));
  g_assert_false (okno_appeal_clock_runs ("register", "post", "assigned"));
  g_assert_true (okno_appeal_clock_runs ("answer", "post", "in_progress"));
  g_assert_false (okno_appeal_clock_runs ("answer", "post", "answered"));
  g_assert_false (okno_appeal_clock_runs ("answer", "post", "refused"));
  g_assert_false (okno_appeal_clock_runs ("answer", "post", "closed"));
  g_assert_true (okno_appeal_clock_runs ("refusal_notice", "web_reception", "assigned"));
  g_assert_false (okno_appeal_clock_runs ("refusal_notice", "email", "assigned"));
  g_assert_false (okno_appeal_clock_runs ("refusal_notice", "web_reception", "refused"));
  g_assert_false (okno_appeal_clock_runs ("extension", "post", "in_progress"));
  g_assert_false (okno_appeal_clock_runs ("termination_notice", "post", "in_progress"));
  g_assert_false (okno_appeal_clock_runs ("answer", "post", "lost"));
}

static void
test_answer_channels (void)
{
  static const struct
  {
    const char *channel, *address;
    int code; /* -1: accepted */
  } cases[] = {
    { "email", "ivanova@example.ru", -1 },
    { "web_reception", "ivanova@example.ru", -1 }, /* L221: to the form's e-mail */
    { "email", "8 912 345-67-89", OKNO_CORE_ERROR_INVALID },
    { "email", "", OKNO_CORE_ERROR_MISSING },
    { "phone", "8 (912) 345-67-89", -1 },
    { "phone", "ivanova@example.ru", OKNO_CORE_ERROR_INVALID },
    { "fax", "+7 343 215-00-00", -1 },
    { "post", "620014, Екатеринбург, ул. Малышева, 36", -1 },
    { "post", "   ", OKNO_CORE_ERROR_MISSING },
    { "in_person", NULL, -1 },
    { "web_account", NULL, -1 },
    { "gis_zhkh", NULL, -1 },
    { "feedback_book", NULL, OKNO_CORE_ERROR_INVALID }, /* takes appeals in only */
    { "terminal", NULL, OKNO_CORE_ERROR_INVALID },
    { "telegraph", NULL, OKNO_CORE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = okno_answer_channel_check (cases[i].channel, cases[i].address, &error);

      g_test_message ("%s: %s", cases[i].channel, cases[i].address ? cases[i].address : "(none)");
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        g_assert_error (error, OKNO_CORE_ERROR, cases[i].code);
    }
  /* Every answer channel is a channel, with a label. */
  for (guint i = 0; okno_answer_channels[i]; i++)
    {
      g_assert_true (okno_choice_is_valid (okno_channels, okno_answer_channels[i]));
      g_assert_cmpstr (okno_choice_label (okno_answer_channels[i]), !=, okno_answer_channels[i]);
    }
  g_assert_cmpuint (g_strv_length ((char **)okno_answer_channels), ==,
                    g_strv_length ((char **)okno_channels) - 2);
}

static void
test_registration (void)
{
  OknoAppealRegistration ok = { "complaint",
                                "post",
                                "Неверное начисление",
                                NULL,
                                "Иванова А. П.",
                                "post",
                                "620014, Екатеринбург, ул. Малышева, 36" };
  OknoAppealRegistration r;
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_appeal_registration_check (&ok, &error));
  g_assert_no_error (error);
  /* With an account instead of a name, and no contact at all: registered
   * all the same (L138), to be left without action (L154). */
  r = ok;
  r.account_id = "0195b8f2-7c1a-7def-8abc-1234567890ab";
  r.applicant_name = NULL;
  r.answer_channel = NULL;
  g_assert_true (okno_appeal_registration_check (&r, &error));

  r = ok;
  r.kind = NULL;
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING);
  g_clear_error (&error);
  r.kind = "gossip";
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  r = ok;
  r.channel = "telepathy";
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  r = ok;
  r.subject = "  ";
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING);
  g_clear_error (&error);
  r = ok;
  r.applicant_name = "";
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING);
  g_clear_error (&error);
  r = ok;
  r.account_id = "6606419";
  g_assert_false (okno_appeal_registration_check (&r, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  r = ok;
  r.answer_channel = "email";
  g_assert_false (okno_appeal_registration_check (&r, &error)); /* a postal address */
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
}

/* --- the lifecycle ---------------------------------------------------- */

#define STAFF "0195b8f2-7c1a-7def-8abc-1234567890ab"

/* The lifecycle as docs/appeals.md tables it, written out independently of
 * the code: every move, and who may make it ("clerk*": a clerk who is the
 * appeal's assignee). */
static const struct
{
  const char *action;
  const char *from[4]; /* NULL-terminated; "" for an appeal not yet registered */
  const char *to;      /* NULL: the status stays */
  const char *who;
} spec[] = {
  { "register", { "" }, "registered", "clerk clerk* administrator supervisor" },
  { "assign", { "registered", "assigned", "in_progress" }, "assigned", "administrator supervisor" },
  { "start", { "assigned" }, "in_progress", "clerk* supervisor" },
  { "answer", { "in_progress" }, "answered", "clerk* supervisor" },
  { "refuse", { "assigned", "in_progress" }, "refused", "clerk* supervisor" },
  { "decline", { "in_progress" }, "declined", "supervisor" },
  { "leave", { "registered", "assigned", "in_progress" }, "no_action", "supervisor" },
  { "extend", { "assigned", "in_progress" }, NULL, "supervisor" },
  { "close", { "answered", "refused", "declined", "no_action" }, "closed", "clerk* supervisor" },
};

/* An action with every field it could need, valid. */
static OknoAppealAction
complete (const char *action, const char *role, gboolean own)
{
  OknoAppealAction a = { 0 };

  a.action = action;
  a.role = role;
  a.is_assignee = own;
  a.assignee_id = STAFF;
  a.reason = g_str_equal (action, "refuse")    ? "out_of_scope"
             : g_str_equal (action, "decline") ? "confidential"
             : g_str_equal (action, "leave")   ? "abusive"
                                               : NULL;
  a.extension_days = 10;
  a.notified = TRUE;
  a.notified_at = "2026-03-02T10:00:00Z";
  a.notified_via = "email";
  return a;
}

static const OknoAppealState *
state (const char *status)
{
  static OknoAppealState s;

  s.status = status;
  s.answer_channel = "email";
  s.extended_days = 0;
  return &s;
}

static gboolean
spec_from (guint m, const char *status)
{
  for (guint f = 0; f < G_N_ELEMENTS (spec[m].from) && spec[m].from[f]; f++)
    if (g_str_equal (spec[m].from[f], status ? status : ""))
      return TRUE;
  return FALSE;
}

static gboolean
spec_who (guint m, const char *role, gboolean own)
{
  g_auto (GStrv) who = g_strsplit (spec[m].who, " ", -1);
  g_autofree char *key = g_strconcat (role, own && g_str_equal (role, "clerk") ? "*" : "", NULL);

  return g_strv_contains ((const char *const *)who, key)
         || g_strv_contains ((const char *const *)who, role);
}

static void
test_lifecycle_every_move (void)
{
  guint allowed = 0, checked = 0;

  g_assert_cmpuint (G_N_ELEMENTS (spec), ==, g_strv_length ((char **)okno_appeal_actions));
  for (guint m = 0; m < G_N_ELEMENTS (spec); m++)
    for (int st = -1; okno_appeal_statuses[st < 0 ? 0 : st] != NULL; st++)
      for (guint r = 0; okno_roles[r] != NULL; r++)
        for (int own = 0; own <= 1; own++)
          {
            const char *status = st < 0 ? NULL : okno_appeal_statuses[st];
            OknoAppealAction a = complete (spec[m].action, okno_roles[r], own);
            g_autoptr (GError) error = NULL;
            const char *next = "unset";
            gboolean ok = okno_appeal_lifecycle_check (state (status), &a, &next, &error);

            g_test_message ("%s from %s by %s%s", spec[m].action, status ? status : "(new)",
                            okno_roles[r], own ? " (assignee)" : "");
            checked++;
            if (!spec_from (m, status))
              {
                g_assert_false (ok);
                g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
                g_assert_null (okno_appeal_lifecycle_next (status, spec[m].action));
                g_assert_cmpstr (next, ==, "unset"); /* nothing changed */
              }
            else if (!spec_who (m, okno_roles[r], own))
              {
                g_assert_false (ok);
                g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_FORBIDDEN);
                g_assert_false (
                  okno_appeal_lifecycle_role_may (spec[m].action, okno_roles[r], own));
              }
            else
              {
                g_assert_no_error (error);
                g_assert_true (ok);
                g_assert_cmpstr (next, ==, spec[m].to ? spec[m].to : status);
                g_assert_true (okno_appeal_lifecycle_role_may (spec[m].action, okno_roles[r], own));
                allowed++;
              }
          }
  /* 9 actions x 9 states x 3 roles x 2. */
  g_assert_cmpuint (checked, ==, 9 * 9 * 3 * 2);
  g_assert_cmpuint (allowed, >, 40);
}

static void
test_lifecycle_messages (void)
{
  OknoAppealAction a = complete ("answer", "clerk", TRUE);
  OknoAppealAction b = complete ("decline", "clerk", TRUE);
  OknoAppealAction c = complete ("fly", "supervisor", FALSE);
  OknoAppealAction d = complete ("answer", "janitor", FALSE);
  g_autoptr (GError) error = NULL;

  g_assert_false (okno_appeal_lifecycle_check (state ("assigned"), &a, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "Only an appeal in progress can be answered; this one is “Assigned”");
  g_clear_error (&error);
  g_assert_false (okno_appeal_lifecycle_check (state ("in_progress"), &b, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "Only a supervisor may decline to answer an appeal on the merits");
  g_clear_error (&error);
  g_assert_false (okno_appeal_lifecycle_check (state ("in_progress"), &c, NULL, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (okno_appeal_lifecycle_check (state ("in_progress"), &d, NULL, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (okno_appeal_lifecycle_check (state ("lost"), &a, NULL, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
  g_assert_cmpstr (okno_appeal_action_label ("leave"), ==, "Leave without action");
  /* Every action is an event of the appeal's history. */
  for (guint i = 0; okno_appeal_actions[i]; i++)
    g_assert_true (okno_choice_is_valid (okno_appeal_event_kinds,
                                         okno_appeal_action_event_kind (okno_appeal_actions[i])));
  g_assert_cmpstr (okno_appeal_action_event_kind ("extend"), ==, "extended");
  g_assert_cmpstr (okno_appeal_action_event_kind ("decline"), ==, "status_changed");
  g_assert_null (okno_appeal_action_event_kind ("fly"));
}

/* The Standard's lists, exactly (L145-L157, L222). */
static void
test_lifecycle_reasons (void)
{
  static const char *const refusal[] = { "out_of_scope", NULL };
  static const char *const decline[] = { "already_answered", "confidential", NULL };
  static const char *const none[]
    = { "unreadable", "abusive", "hatred", "unlawful_calls", "no_contacts", NULL };

  g_assert_true (g_strv_equal (okno_refusal_reasons, refusal));
  g_assert_true (g_strv_equal (okno_decline_reasons, decline));
  g_assert_true (g_strv_equal (okno_no_action_reasons, none));
  for (guint i = 0; okno_no_action_reasons[i]; i++)
    g_assert_cmpstr (okno_choice_label (okno_no_action_reasons[i]), !=, okno_no_action_reasons[i]);
  g_assert_cmpstr (okno_choice_label ("refused"), ==, "Refused: out of scope");
}

static void
expect (const char *status, const OknoAppealAction *a, int code)
{
  g_autoptr (GError) error = NULL;
  const char *next = "unset";
  gboolean ok = okno_appeal_lifecycle_check (state (status), a, &next, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, OKNO_CORE_ERROR, code);
  g_assert_cmpstr (next, ==, "unset");
}

static void
test_lifecycle_fields (void)
{
  OknoAppealAction a;

  a = complete ("assign", "supervisor", FALSE);
  a.assignee_id = NULL;
  expect ("registered", &a, OKNO_CORE_ERROR_MISSING);
  a.assignee_id = "Иванова";
  expect ("registered", &a, OKNO_CORE_ERROR_INVALID);

  /* A reason from the right list, and only from it. */
  a = complete ("refuse", "supervisor", FALSE);
  a.reason = NULL;
  expect ("in_progress", &a, OKNO_CORE_ERROR_MISSING);
  a.reason = "confidential";
  expect ("in_progress", &a, OKNO_CORE_ERROR_INVALID);
  a = complete ("decline", "supervisor", FALSE);
  a.reason = "unreadable";
  expect ("in_progress", &a, OKNO_CORE_ERROR_INVALID);
  a.reason = "already_answered";
  expect ("in_progress", &a, OKNO_CORE_ERROR_MISSING); /* which earlier answer? */
  a.reference = "О-20260105-567890ab";
  expect ("in_progress", &a, -1);
  a = complete ("leave", "supervisor", FALSE);
  a.reason = "out_of_scope";
  expect ("registered", &a, OKNO_CORE_ERROR_INVALID);
}

static void
test_lifecycle_notice (void)
{
  OknoAppealAction a;

  /* An answer, a refusal, a decline and an extension are notified: when,
   * and through the channel the client chose. */
  a = complete ("answer", "clerk", TRUE);
  a.notified = FALSE;
  expect ("in_progress", &a, OKNO_CORE_ERROR_MISSING);
  a = complete ("refuse", "clerk", TRUE);
  a.notified_at = NULL;
  expect ("assigned", &a, OKNO_CORE_ERROR_MISSING);
  a.notified_at = "вчера";
  expect ("assigned", &a, OKNO_CORE_ERROR_INVALID);
  a = complete ("decline", "supervisor", FALSE);
  a.notified_via = NULL;
  expect ("in_progress", &a, OKNO_CORE_ERROR_MISSING);
  a.notified_via = "pigeon";
  expect ("in_progress", &a, OKNO_CORE_ERROR_INVALID);
  a.notified_via = "post"; /* the client chose e-mail */
  expect ("in_progress", &a, OKNO_CORE_ERROR_INVALID);
  a = complete ("extend", "supervisor", FALSE);
  a.notified = FALSE;
  expect ("in_progress", &a, OKNO_CORE_ERROR_MISSING);

  /* No action: an unreadable text is notified (L146), one without
   * contacts cannot be (L154), the others may be. */
  a = complete ("leave", "supervisor", FALSE);
  a.reason = "unreadable";
  a.notified = FALSE;
  expect ("registered", &a, OKNO_CORE_ERROR_MISSING);
  a.reason = "no_contacts";
  expect ("registered", &a, -1);
  a.notified = TRUE;
  expect ("registered", &a, OKNO_CORE_ERROR_INVALID);
  for (guint i = 1; i <= 3; i++)
    {
      a = complete ("leave", "supervisor", FALSE);
      a.reason = okno_no_action_reasons[i];
      a.notified = FALSE;
      expect ("in_progress", &a, -1);
      g_assert_cmpint (okno_appeal_lifecycle_notice ("leave", a.reason), ==, OKNO_NOTICE_OPTIONAL);
    }
  g_assert_cmpint (okno_appeal_lifecycle_notice ("close", NULL), ==, OKNO_NOTICE_NONE);
}

static void
test_lifecycle_extension (void)
{
  OknoAppealAction a = complete ("extend", "supervisor", FALSE);
  OknoAppealState s = { "in_progress", "email", 0 };
  g_autoptr (GError) error = NULL;

  /* At most 20 working days in all (L222). */
  a.extension_days = 0;
  g_assert_false (okno_appeal_lifecycle_check (&s, &a, NULL, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING);
  g_clear_error (&error);
  a.extension_days = 20;
  g_assert_true (okno_appeal_lifecycle_check (&s, &a, NULL, &error));
  a.extension_days = 21;
  g_assert_false (okno_appeal_lifecycle_check (&s, &a, NULL, &error));
  g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  s.extended_days = 15;
  a.extension_days = 5;
  g_assert_true (okno_appeal_lifecycle_check (&s, &a, NULL, &error));
  a.extension_days = 6;
  g_assert_false (okno_appeal_lifecycle_check (&s, &a, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "A term may be extended by 20 working days in all; 5 days are left");
}

/* A document described: a title, and pages from 1 to the most when
 * counted. */
static void
test_document_check (void)
{
  const gint64 one = 1, most = OKNO_APPEAL_DOCUMENT_MAX_PAGES, none = 0, below = -1,
               over = OKNO_APPEAL_DOCUMENT_MAX_PAGES + 1, huge = G_MAXINT64;
  const gint64 *bad_pages[] = { &none, &below, &over, &huge };
  const char *bad_titles[] = { NULL, "", "   ", "\t\n" };

  g_assert_true (okno_appeal_document_check ("Заявление", NULL, NULL));
  g_assert_true (okno_appeal_document_check (" Копия паспорта ", &one, NULL));
  g_assert_true (okno_appeal_document_check ("Акт", &most, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_titles); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (okno_appeal_document_check (bad_titles[i], &one, &error));
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_pages); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (okno_appeal_document_check ("Заявление", bad_pages[i], &error));
      g_assert_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/appeal-rules/due-calendar-days", test_due_calendar_days);
  g_test_add_func ("/appeal-rules/due-across-leap-day", test_due_across_leap_day);
  g_test_add_func ("/appeal-rules/due-bad-policy", test_due_bad_policy);
  g_test_add_func ("/appeal-rules/answer-channels", test_answer_channels);
  g_test_add_func ("/appeal-rules/answer-extended", test_answer_extended);
  g_test_add_func ("/appeal-rules/clock-runs", test_clock_runs);
  g_test_add_func ("/appeal-rules/registration", test_registration);
  g_test_add_func ("/appeal-lifecycle/every-move", test_lifecycle_every_move);
  g_test_add_func ("/appeal-lifecycle/messages", test_lifecycle_messages);
  g_test_add_func ("/appeal-lifecycle/reasons", test_lifecycle_reasons);
  g_test_add_func ("/appeal-lifecycle/fields", test_lifecycle_fields);
  g_test_add_func ("/appeal-lifecycle/notice", test_lifecycle_notice);
  g_test_add_func ("/appeal-lifecycle/extension", test_lifecycle_extension);
  g_test_add_func ("/appeal-rules/document-check", test_document_check);
  return g_test_run ();
}
