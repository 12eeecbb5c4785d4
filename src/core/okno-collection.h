/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A collection is one kind of record the central system shares with every
 * replica (accounts, meters, appeals, ...). Its description is data: the sync
 * layer validates what the server sends against it, the store binds rows with
 * it, and the reference server encodes rows with it, so the three can never
 * disagree about a field's name or type. */

typedef enum
{
  OKNO_FIELD_TEXT,
  OKNO_FIELD_INTEGER, /* 64-bit; money is always integer kopecks */
  OKNO_FIELD_REAL,
  OKNO_FIELD_BOOLEAN,   /* stored as 0/1 */
  OKNO_FIELD_CHOICE,    /* text from a closed list (see OknoField.choices) */
  OKNO_FIELD_DATE,      /* YYYY-MM-DD, a calendar day without a zone */
  OKNO_FIELD_TIMESTAMP, /* ISO 8601 in UTC, e.g. 2026-11-27T05:19:08Z */
  OKNO_FIELD_UUID,      /* canonical lower-case 8-4-4-4-12 */
} OknoFieldType;

typedef struct
{
  const char *name;
  OknoFieldType type;
  gboolean nullable;
  const char *const *choices; /* NULL-terminated, for OKNO_FIELD_CHOICE */
  gsize max_length;           /* in characters for text; 0 = default limit */
} OknoField;

typedef struct
{
  const char *name;        /* as in the API path and the replica's table */
  const OknoField *fields; /* fields[0] is the key */
  guint n_fields;
} OknoCollection;

/* One value of a row, as decoded from the wire or read from a database.
 * Strings are borrowed from whoever decoded them. */
typedef struct
{
  gboolean is_null;
  gint64 integer;   /* INTEGER, BOOLEAN */
  double real;      /* REAL */
  const char *text; /* TEXT, CHOICE, DATE, TIMESTAMP, UUID */
} OknoValue;

const OknoCollection *okno_collection_lookup (const char *name);
const OknoCollection *const *okno_collection_all (guint *n_collections);
int okno_collection_field_index (const OknoCollection *collection, const char *field_name);

/* A new record's values, built by field name: every field null, g_free
 * it. Naming a field the collection lacks is a programming error. The
 * strings are borrowed and must outlive the row. */
OknoValue *okno_row_new (const OknoCollection *collection);
void okno_row_set_text (const OknoCollection *collection, OknoValue *row, const char *field,
                        const char *text);
void okno_row_set_int (const OknoCollection *collection, OknoValue *row, const char *field,
                       gint64 value);

const char *okno_field_type_to_string (OknoFieldType type);
const char *okno_field_type_label (OknoFieldType type);

/* Checks a decoded value against its field; the message names the field. */
gboolean okno_field_check (const OknoField *field, const OknoValue *value, GError **error);

gboolean okno_text_is_uuid (const char *text);
gboolean okno_text_is_date (const char *text);
gboolean okno_text_is_timestamp (const char *text);
gboolean okno_choice_is_valid (const char *const *choices, const char *value);

/* The closed lists of the customer service Standard: client kinds, the
 * special categories routed to service offices, appeal channels, roles. */
extern const char *const okno_client_kinds[];
extern const char *const okno_special_categories[];
extern const char *const okno_channels[];
extern const char *const okno_roles[];
extern const char *const okno_appeal_kinds[];
extern const char *const okno_appeal_statuses[];
/* An appeal status's place in its state machine (registered 0 … closed 4;
 * the answers answered, declined and no_action share 3), -1 if unknown. A
 * status only moves to a higher rank; a conflict may also be settled on
 * another answer of the same rank. */
int okno_appeal_status_rank (const char *status);
extern const char *const okno_appeal_event_kinds[];
extern const char *const okno_feedback_kinds[];
extern const char *const okno_urgencies[];
extern const char *const okno_reading_sources[];
extern const char *const okno_payment_methods[];
extern const char *const okno_calendar_day_kinds[];
extern const char *const okno_branch_kinds[];
extern const char *const okno_ticket_statuses[];
extern const char *const okno_appointment_statuses[];

G_END_DECLS
