/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one lifecycle of an appeal, for the app, okno-cli and okno-central
 * alike (docs/appeals.md):
 *
 *   (new) -register-> registered -assign-> assigned -start-> in_progress
 *   in_progress -answer-> answered
 *   assigned | in_progress -refuse-> refused       (out of scope, L222)
 *   in_progress -decline-> declined                (on the merits, L147-L149)
 *   registered | assigned | in_progress -leave-> no_action   (L146, L150-L154)
 *   answered | refused | declined | no_action -close-> closed
 *   assigned | in_progress -extend-> the same status, a later due date
 *
 * okno_appeal_lifecycle_check () says whether a requested action may be
 * taken from the appeal as it stands and by whom; it changes nothing, so the
 * store and the server call it with the current row before they write. */

/* NULL-terminated lists. Actions: register, assign, start, answer, refuse,
 * decline, leave, extend, close. */
extern const char *const okno_appeal_actions[];
/* The Standard's reasons, exactly its lists. Refusal (out of scope, web
 * reception, L222): out_of_scope. Decline on the merits, with an obligatory
 * notice (L147-L149): already_answered, confidential. No action (L146,
 * L150-L154): unreadable, abusive, hatred, unlawful_calls, no_contacts. */
extern const char *const okno_refusal_reasons[];
extern const char *const okno_decline_reasons[];
extern const char *const okno_no_action_reasons[];

/* The appeal as it stands: the fields of its row the rules read. */
typedef struct
{
  const char *status;         /* NULL for an appeal not yet registered */
  const char *answer_channel; /* the channel the client chose (L139), or NULL */
  guint extended_days;        /* working days its term was already extended by */
} OknoAppealState;

/* What someone asks to do, and what they record with it. */
typedef struct
{
  const char *action;
  const char *role;        /* one of okno_roles: clerk, administrator, supervisor */
  gboolean is_assignee;    /* the person acting is the appeal's assignee */
  const char *assignee_id; /* assign: who is to handle it */
  const char *reason;      /* refuse, decline, leave: one of the lists above */
  const char *reference;   /* decline already_answered: the earlier answer's appeal */
  guint extension_days;    /* extend: working days to add */
  /* The notification record of a decision or an extension. */
  gboolean notified;        /* the client was notified */
  const char *notified_at;  /* when, "YYYY-MM-DDTHH:MM:SSZ" */
  const char *notified_via; /* through which channel (okno_channels) */
} OknoAppealAction;

/* The status action leads to from status, whoever asks; NULL when the
 * lifecycle has no such move. */
const char *okno_appeal_lifecycle_next (const char *status, const char *action);

/* Whether role may take action at all (clerks only on appeals assigned to
 * them: is_assignee), for offering it in the UI. */
gboolean okno_appeal_lifecycle_role_may (const char *action, const char *role,
                                         gboolean is_assignee);

/* Whether a decision must, may or must not be notified to the client. */
typedef enum
{
  OKNO_NOTICE_NONE,      /* the action is no decision: nothing to notify */
  OKNO_NOTICE_OPTIONAL,  /* may be notified (no action for abusive text, …) */
  OKNO_NOTICE_REQUIRED,  /* an answer, a refusal, a decline, an extension, an unreadable text */
  OKNO_NOTICE_IMPOSSIBLE /* no contact details: there is no one to notify */
} OknoNoticeRule;
OknoNoticeRule okno_appeal_lifecycle_notice (const char *action, const char *reason);

/* Validates action against state: the move exists, the role may make it,
 * and the fields it needs are there and valid. On success *next_status
 * (when not NULL) gets the status the appeal moves to (an interned
 * string); otherwise a translated OKNO_CORE_ERROR: INVALID (no such move,
 * a bad value), FORBIDDEN (the role may not), MISSING (a required field),
 * OUT_OF_RANGE (an extension beyond the Standard's 20 working days). */
gboolean okno_appeal_lifecycle_check (const OknoAppealState *state, const OknoAppealAction *action,
                                      const char **next_status, GError **error);

/* The kind of history event (okno_appeal_event_kinds) an action records:
 * registered, assigned, answered, extended, or status_changed for the
 * other moves. */
const char *okno_appeal_action_event_kind (const char *action);

/* A translated label of an action, for buttons and history. */
const char *okno_appeal_action_label (const char *action);

G_END_DECLS
