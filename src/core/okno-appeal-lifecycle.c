/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-lifecycle.h"

#include <glib/gi18n-lib.h>

#include "okno-collection.h"
#include "okno-core-error.h"
#include "okno-deadline.h"
#include "okno-labels.h"

const char *const okno_appeal_actions[] = { "register", "assign", "start",  "answer", "refuse",
                                            "decline",  "leave",  "extend", "close",  NULL };
const char *const okno_refusal_reasons[] = { "out_of_scope", NULL };
const char *const okno_decline_reasons[] = { "already_answered", "confidential", NULL };
const char *const okno_no_action_reasons[]
  = { "unreadable", "abusive", "hatred", "unlawful_calls", "no_contacts", NULL };

/* Who may make a move. A clerk handles the appeals assigned to them; the
 * hall administrator registers and hands over; a supervisor may do all,
 * and alone takes the decisions not to answer and extends terms. */
enum
{
  CLERK = 1 << 0,     /* any clerk */
  CLERK_OWN = 1 << 1, /* a clerk who is the appeal's assignee */
  ADMIN = 1 << 2,
  SUPERVISOR = 1 << 3,
};

static const char *const from_new[] = { NULL };
static const char *const from_open[] = { "registered", "assigned", "in_progress", NULL };
static const char *const from_assigned[] = { "assigned", NULL };
static const char *const from_handled[] = { "assigned", "in_progress", NULL };
static const char *const from_in_progress[] = { "in_progress", NULL };
static const char *const from_decided[] = { "answered", "refused", "declined", "no_action", NULL };

typedef struct
{
  const char *action;
  const char *const *from;
  const char *to; /* NULL: the status stays */
  guint who;
  const char *label;
  const char *not_now; /* why not from here; the status follows */
  const char *not_you;
} Move;

static const Move moves[] = {
  { "register", from_new, "registered", CLERK | ADMIN | SUPERVISOR, N_ ("Register the appeal"),
    N_ ("An appeal is registered only once"), NULL },
  { "assign", from_open, "assigned", ADMIN | SUPERVISOR, N_ ("Assign to a specialist"),
    N_ ("Only an open appeal can be assigned"),
    N_ ("Only a hall administrator or a supervisor may assign an appeal") },
  { "start", from_assigned, "in_progress", CLERK_OWN | SUPERVISOR, N_ ("Take into work"),
    N_ ("Only an assigned appeal can be taken into work"),
    N_ ("Only the specialist the appeal is assigned to or a supervisor may take it into work") },
  { "answer", from_in_progress, "answered", CLERK_OWN | SUPERVISOR, N_ ("Record the answer"),
    N_ ("Only an appeal in progress can be answered"),
    N_ ("Only the specialist the appeal is assigned to or a supervisor may answer it") },
  { "refuse", from_handled, "refused", CLERK_OWN | SUPERVISOR, N_ ("Refuse as out of scope"),
    N_ ("Only an assigned appeal or one in progress can be refused"),
    N_ ("Only the specialist the appeal is assigned to or a supervisor may refuse it") },
  { "decline", from_in_progress, "declined", SUPERVISOR, N_ ("Decline on the merits"),
    N_ ("Only an appeal in progress can be declined on the merits"),
    N_ ("Only a supervisor may decline to answer an appeal on the merits") },
  { "leave", from_open, "no_action", SUPERVISOR, N_ ("Leave without action"),
    N_ ("Only an open appeal can be left without action"),
    N_ ("Only a supervisor may leave an appeal without action") },
  { "extend", from_handled, NULL, SUPERVISOR, N_ ("Extend the term"),
    N_ ("Only the term of an assigned appeal or one in progress can be extended"),
    N_ ("Only a supervisor may extend the term of an appeal") },
  { "close", from_decided, "closed", CLERK_OWN | SUPERVISOR, N_ ("Close the appeal"),
    N_ ("Only an appeal with a decision can be closed"),
    N_ ("Only the specialist the appeal is assigned to or a supervisor may close it") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (moves) + 1 == G_N_ELEMENTS (okno_appeal_actions));

static const Move *
find_move (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    if (g_strcmp0 (moves[i].action, action) == 0)
      return &moves[i];
  return NULL;
}

static gboolean
move_starts_at (const Move *move, const char *status)
{
  if (move->from == from_new)
    return status == NULL;
  return status != NULL && okno_choice_is_valid (move->from, status);
}

const char *
okno_appeal_lifecycle_next (const char *status, const char *action)
{
  const Move *move = find_move (action);

  if (move == NULL || !move_starts_at (move, status))
    return NULL;
  return g_intern_static_string (move->to ? move->to : status);
}

gboolean
okno_appeal_lifecycle_role_may (const char *action, const char *role, gboolean is_assignee)
{
  const Move *move = find_move (action);

  if (move == NULL)
    return FALSE;
  if (g_strcmp0 (role, "clerk") == 0)
    return (move->who & CLERK) || ((move->who & CLERK_OWN) && is_assignee);
  if (g_strcmp0 (role, "administrator") == 0)
    return (move->who & ADMIN) != 0;
  if (g_strcmp0 (role, "supervisor") == 0)
    return (move->who & SUPERVISOR) != 0;
  return FALSE;
}

OknoNoticeRule
okno_appeal_lifecycle_notice (const char *action, const char *reason)
{
  /* L146: an unreadable text is left with a notice; L154: without contact
   * details there is no one to tell; L150-L153 oblige no notice. */
  if (g_strcmp0 (action, "leave") == 0)
    {
      if (g_strcmp0 (reason, "unreadable") == 0)
        return OKNO_NOTICE_REQUIRED;
      if (g_strcmp0 (reason, "no_contacts") == 0)
        return OKNO_NOTICE_IMPOSSIBLE;
      return OKNO_NOTICE_OPTIONAL;
    }
  /* The answer itself; L222 and L147 oblige a notice of a refusal and a
   * decline; L222 of an extension. */
  if (g_strcmp0 (action, "answer") == 0 || g_strcmp0 (action, "refuse") == 0
      || g_strcmp0 (action, "decline") == 0 || g_strcmp0 (action, "extend") == 0)
    return OKNO_NOTICE_REQUIRED;
  return OKNO_NOTICE_NONE;
}

const char *
okno_appeal_action_event_kind (const char *action)
{
  static const char *const own[][2] = {
    { "register", "registered" },
    { "assign", "assigned" },
    { "answer", "answered" },
    { "extend", "extended" },
  };

  if (find_move (action) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    if (g_str_equal (own[i][0], action))
      return own[i][1];
  return "status_changed";
}

const char *
okno_appeal_action_label (const char *action)
{
  const Move *move = find_move (action);

  return move ? _ (move->label) : action;
}

static gboolean
fail (GError **error, int code, const char *message)
{
  g_set_error_literal (error, OKNO_CORE_ERROR, code, message);
  return FALSE;
}

static gboolean
check_reason (const OknoAppealAction *a, GError **error)
{
  const char *const *reasons = g_str_equal (a->action, "refuse")    ? okno_refusal_reasons
                               : g_str_equal (a->action, "decline") ? okno_decline_reasons
                                                                    : okno_no_action_reasons;

  if (a->reason == NULL || *a->reason == '\0')
    return fail (error, OKNO_CORE_ERROR_MISSING,
                 _ ("Choose the reason of the decision from the Standard's list"));
  if (!okno_choice_is_valid (reasons, a->reason))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a reason the Standard gives for this decision"), a->reason);
      return FALSE;
    }
  /* L148: the earlier answer is what the decline rests on. */
  if (g_str_equal (a->reason, "already_answered") && (a->reference == NULL || !*a->reference))
    return fail (error, OKNO_CORE_ERROR_MISSING,
                 _ ("Name the earlier appeal whose answer already covers this question"));
  return TRUE;
}

static gboolean
check_extension (const OknoAppealState *s, const OknoAppealAction *a, GError **error)
{
  const OknoDeadlineRule *rule = okno_deadline_rule_lookup ("extension", NULL);
  guint left = s->extended_days < rule->days ? rule->days - s->extended_days : 0;

  if (a->extension_days == 0)
    return fail (error, OKNO_CORE_ERROR_MISSING,
                 _ ("Say by how many working days the term is extended"));
  if (a->extension_days > left)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A term may be extended by %u working days in all; %u day is left",
                                "A term may be extended by %u working days in all; %u days are "
                                "left",
                                left),
                   rule->days, left);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_notice (const OknoAppealState *s, const OknoAppealAction *a, GError **error)
{
  OknoNoticeRule rule = okno_appeal_lifecycle_notice (a->action, a->reason);

  if (rule == OKNO_NOTICE_NONE || (rule == OKNO_NOTICE_OPTIONAL && !a->notified))
    return TRUE;
  if (rule == OKNO_NOTICE_IMPOSSIBLE)
    return a->notified ? fail (error, OKNO_CORE_ERROR_INVALID,
                               _ ("An appeal without contact details cannot have been notified"))
                       : TRUE;
  if (!a->notified)
    return fail (error, OKNO_CORE_ERROR_MISSING,
                 _ ("The client must be notified of this decision: record when and through "
                    "which channel"));
  if (a->notified_at == NULL || *a->notified_at == '\0')
    return fail (error, OKNO_CORE_ERROR_MISSING, _ ("Record when the client was notified"));
  if (!okno_text_is_timestamp (a->notified_at))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a moment in time (YYYY-MM-DDTHH:MM:SSZ)"), a->notified_at);
      return FALSE;
    }
  if (a->notified_via == NULL || *a->notified_via == '\0')
    return fail (error, OKNO_CORE_ERROR_MISSING,
                 _ ("Record through which channel the client was notified"));
  if (!okno_choice_is_valid (okno_channels, a->notified_via))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID, _ ("“%s” is not a channel"),
                   a->notified_via);
      return FALSE;
    }
  /* L139: the answer goes through the channel the client chose. */
  if (s->answer_channel != NULL && !g_str_equal (s->answer_channel, a->notified_via))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("The client chose to be answered by “%s”: notify them through it"),
                   okno_choice_label (s->answer_channel));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_fields (const OknoAppealState *s, const OknoAppealAction *a, GError **error)
{
  if (g_str_equal (a->action, "assign"))
    {
      if (a->assignee_id == NULL || *a->assignee_id == '\0')
        return fail (error, OKNO_CORE_ERROR_MISSING,
                     _ ("Choose the specialist the appeal is assigned to"));
      if (!okno_text_is_uuid (a->assignee_id))
        return fail (error, OKNO_CORE_ERROR_INVALID, _ ("The specialist is not a staff member"));
    }
  if ((g_str_equal (a->action, "refuse") || g_str_equal (a->action, "decline")
       || g_str_equal (a->action, "leave"))
      && !check_reason (a, error))
    return FALSE;
  if (g_str_equal (a->action, "extend") && !check_extension (s, a, error))
    return FALSE;
  return check_notice (s, a, error);
}

gboolean
okno_appeal_lifecycle_check (const OknoAppealState *state, const OknoAppealAction *action,
                             const char **next_status, GError **error)
{
  const Move *move;

  g_return_val_if_fail (state != NULL && action != NULL, FALSE);

  if ((move = find_move (action->action)) == NULL)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not an action on an appeal"), action->action ? action->action : "");
      return FALSE;
    }
  if (!okno_choice_is_valid (okno_roles, action->role))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_FORBIDDEN, _ ("“%s” is not a role"),
                   action->role ? action->role : "");
      return FALSE;
    }
  if (state->status != NULL && !okno_choice_is_valid (okno_appeal_statuses, state->status))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a status of an appeal"), state->status);
      return FALSE;
    }
  if (state->status == NULL && move->from != from_new)
    return fail (error, OKNO_CORE_ERROR_INVALID, _ ("The appeal is not registered yet"));
  if (!move_starts_at (move, state->status))
    {
      /* Translators: a rule of the lifecycle, then the appeal's status */
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID, _ ("%s; this one is “%s”"),
                   _ (move->not_now), okno_choice_label (state->status));
      return FALSE;
    }
  if (!okno_appeal_lifecycle_role_may (move->action, action->role, action->is_assignee))
    return fail (error, OKNO_CORE_ERROR_FORBIDDEN, _ (move->not_you));
  if (!check_fields (state, action, error))
    return FALSE;
  if (next_status != NULL)
    *next_status = okno_appeal_lifecycle_next (state->status, move->action);
  return TRUE;
}
