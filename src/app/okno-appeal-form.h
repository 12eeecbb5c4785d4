/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-appeal-rules.h"

G_BEGIN_DECLS

/* One document the client handed in with an appeal, as the clerk
 * describes it: what it is, original or copy, and how many pages. */
typedef struct
{
  char *what;
  gboolean original;
  guint pages;
} OknoAppealDocument;

void okno_appeal_document_free (OknoAppealDocument *document);

/* What the "submit" signal carries, valid only while it is emitted:
 * copy what is kept. registration passed okno_appeal_registration_check;
 * the rest is what the register keeps beside it. */
typedef struct
{
  OknoAppealRegistration registration;
  const char *topic_id; /* the topic's id (OknoTopicItem), or NULL when not chosen yet */
  const char *text;     /* the appeal's text as the client gave it; may be "" */
  GPtrArray *documents; /* OknoAppealDocument, in the order given; may be empty */
} OknoAppealFormValues;

/* The register form (issue 10, item 1): the kind, the channel the appeal
 * came in by (in person unless told), its topic, the applicant (the
 * client's account the caller gives, or a name), the answer channel the
 * client chose with the address it needs, the subject, the text and the
 * documents handed in. Register (the button, Ctrl+Enter, or Enter in the
 * pages of the last document) checks it with core's
 * okno_appeal_registration_check, shows each problem under its field and
 * focuses the first; Enter in any other one-line field moves on to the
 * next. Escape emits "cancel". The form keeps what was typed after
 * "submit": the caller calls okno_appeal_form_reset () once the appeal is
 * written, so nothing is lost if writing fails. */
#define OKNO_TYPE_APPEAL_FORM (okno_appeal_form_get_type ())
G_DECLARE_FINAL_TYPE (OknoAppealForm, okno_appeal_form, OKNO, APPEAL_FORM, GtkBox)

GtkWidget *okno_appeal_form_new (void);

/* The topics to choose from: a GListModel of OknoTopicItem (from the
 * synced topics collection), or NULL for none. */
void okno_appeal_form_set_topics (OknoAppealForm *self, GListModel *topics);

/* The client the appeal is from, as the client card knows it: shown
 * read-only, with a button to register it without the account. NULL
 * account_id: from someone without an account (a name is asked for). */
void okno_appeal_form_set_account (OknoAppealForm *self, const char *account_id, const char *number,
                                   const char *holder);
const char *okno_appeal_form_get_account_id (OknoAppealForm *self);

/* The answer channel (okno_answer_channels, or NULL: no contact given)
 * and address the client chose before, e.g. from their account. Until it
 * is set or the clerk picks one, the answer goes back the way the appeal
 * came in. */
void okno_appeal_form_set_answer (OknoAppealForm *self, const char *channel, const char *address);

/* Empties every field (the account too) for the next appeal. */
void okno_appeal_form_reset (OknoAppealForm *self);

/* Focuses the first field the clerk types in: the applicant's name, or the
 * subject when the account is given. Done on map as well. */
void okno_appeal_form_focus (OknoAppealForm *self);

/* What the Register action does; TRUE when "submit" was emitted. */
gboolean okno_appeal_form_register (OknoAppealForm *self);

G_END_DECLS
