/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The collections a replica holds, described once for every layer. */

#include "okno-collection.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-core-error.h"

/* Text longer than this is refused unless a field says otherwise: a server
 * answer can never make a replica row grow without bound. */
#define DEFAULT_MAX_TEXT 4096

const char *const okno_client_kinds[] = { "household", "legal_entity", "sole_trader", NULL };
/* 2.1.1.1 of the standard: these clients are served in service offices. */
const char *const okno_special_categories[]
  = { "none", "high_capacity", "budget_funded", "religious", "utility_provider", NULL };
const char *const okno_channels[]
  = { "in_person",   "phone",         "post",   "email",    "fax",      "web_reception",
      "web_account", "feedback_book", "social", "gis_zhkh", "terminal", NULL };
const char *const okno_roles[] = { "clerk", "administrator", "supervisor", NULL };
const char *const okno_appeal_kinds[]
  = { "consultation", "application", "complaint", "suggestion", "thanks", "review", NULL };
const char *const okno_appeal_statuses[]
  = { "registered", "assigned",  "in_progress", "answered", "refused",
      "declined",   "no_action", "closed",      NULL };
/* registered → assigned → in_progress → answered | refused | declined |
 * no_action → closed: the four decisions share a rank (okno-appeal-lifecycle.h
 * says who may make each move). */
int
okno_appeal_status_rank (const char *status)
{
  static const int rank[] = { 0, 1, 2, 3, 3, 3, 3, 4 };

  for (guint i = 0; okno_appeal_statuses[i] != NULL; i++)
    if (g_strcmp0 (okno_appeal_statuses[i], status) == 0)
      return rank[i];
  return -1;
}

const char *const okno_appeal_event_kinds[]
  = { "registered", "assigned", "comment", "status_changed", "extended", "answered", NULL };
const char *const okno_feedback_kinds[] = { "complaint", "thanks", "suggestion", "review", NULL };
const char *const okno_urgencies[] = { "low", "normal", "high", "critical", NULL };
const char *const okno_reading_sources[]
  = { "counter", "phone", "web_account", "terminal", "controller", "smart_meter", NULL };
const char *const okno_payment_methods[] = { "cash", "card", "bank_transfer", "terminal", NULL };
const char *const okno_calendar_day_kinds[] = { "working", "short", "weekend", "holiday", NULL };
const char *const okno_branch_kinds[] = { "service_centre", "service_office", NULL };
const char *const okno_ticket_statuses[]
  = { "waiting", "called", "serving", "done", "no_show", "cancelled", NULL };
const char *const okno_appointment_statuses[]
  = { "booked", "arrived", "served", "missed", "cancelled", NULL };

#define F(n, t)                                                                                    \
  {                                                                                                \
    n, OKNO_FIELD_##t, FALSE, NULL, 0                                                              \
  }
#define N(n, t)                                                                                    \
  {                                                                                                \
    n, OKNO_FIELD_##t, TRUE, NULL, 0                                                               \
  }
#define C(n, c)                                                                                    \
  {                                                                                                \
    n, OKNO_FIELD_CHOICE, FALSE, c, 0                                                              \
  }
#define CN(n, c)                                                                                   \
  {                                                                                                \
    n, OKNO_FIELD_CHOICE, TRUE, c, 0                                                               \
  }
#define LONG(n)                                                                                    \
  {                                                                                                \
    n, OKNO_FIELD_TEXT, FALSE, NULL, 65536                                                         \
  }
#define LONGN(n)                                                                                   \
  {                                                                                                \
    n, OKNO_FIELD_TEXT, TRUE, NULL, 65536                                                          \
  }

static const OknoField branch_fields[] = {
  F ("id", UUID),      F ("code", TEXT),       F ("name", TEXT), C ("kind", okno_branch_kinds),
  F ("address", TEXT), F ("version", INTEGER),
};

static const OknoField staff_fields[] = {
  F ("id", UUID),        F ("login", TEXT),     F ("full_name", TEXT),  C ("role", okno_roles),
  N ("branch_id", UUID), F ("active", BOOLEAN), F ("version", INTEGER),
};

static const OknoField account_fields[] = {
  F ("id", UUID),
  F ("number", TEXT), /* household: account number = contract number */
  C ("kind", okno_client_kinds),
  F ("holder", TEXT), /* full name, or the organisation's name */
  N ("inn", TEXT),
  F ("address", TEXT),
  N ("phones", TEXT), /* comma-separated, +7XXXXXXXXXX */
  N ("email", TEXT),
  C ("answer_channel", okno_channels),
  F ("capacity_kw", REAL),
  C ("special_category", okno_special_categories),
  F ("balance_kop", INTEGER), /* positive: overpayment; negative: debt */
  N ("branch_id", UUID),
  F ("updated_at", TIMESTAMP),
  F ("version", INTEGER),
};

static const OknoField meter_fields[] = {
  F ("id", UUID),           F ("account_id", UUID),       F ("serial", TEXT),
  F ("model", TEXT),        F ("zones", INTEGER),         N ("location", TEXT),
  N ("installed_on", DATE), F ("verification_due", DATE), F ("version", INTEGER),
};

static const OknoField reading_fields[] = {
  F ("id", UUID),
  F ("meter_id", UUID),
  F ("taken_on", DATE),
  F ("t1", INTEGER),
  N ("t2", INTEGER),
  N ("t3", INTEGER),
  C ("source", okno_reading_sources),
  F ("accepted_at", TIMESTAMP),
  N ("staff_id", UUID),
  F ("version", INTEGER),
};

static const OknoField payment_fields[] = {
  F ("id", UUID),
  F ("account_id", UUID),
  F ("amount_kop", INTEGER),
  F ("paid_at", TIMESTAMP),
  C ("method", okno_payment_methods),
  N ("branch_id", UUID),
  N ("receipt", TEXT),
  N ("staff_id", UUID),
  F ("version", INTEGER),
};

static const OknoField appeal_fields[] = {
  F ("id", UUID),
  F ("number", TEXT),
  N ("account_id", UUID),
  C ("kind", okno_appeal_kinds),
  C ("channel", okno_channels),
  C ("answer_channel", okno_channels),
  F ("subject", TEXT),
  LONG ("body"),
  C ("status", okno_appeal_statuses),
  CN ("urgency", okno_urgencies),
  F ("registered_at", TIMESTAMP),
  F ("due_on", DATE),
  N ("assignee_id", UUID),
  N ("branch_id", UUID),
  F ("updated_at", TIMESTAMP),
  /* The register (docs/appeals.md, "Registration"): who it is from when
   * there is no account, where the answer goes, the topic, who registered
   * it and the calendar its due date was counted on. Null in appeals
   * registered before the register. */
  N ("applicant_name", TEXT),
  N ("answer_address", TEXT),
  N ("topic_id", UUID),
  N ("registered_by", UUID),
  N ("calendar_version", TEXT),
  F ("version", INTEGER),
};

/* Topics of appeals, synced data the register picks from. */
static const OknoField appeal_topic_fields[] = {
  F ("id", UUID),        F ("code", TEXT),       F ("title", TEXT), F ("sort_order", INTEGER),
  F ("active", BOOLEAN), F ("version", INTEGER),
};

/* Descriptions of the documents attached to an appeal: the originals and
 * copies the client handed in, and their pages. */
static const OknoField appeal_document_fields[] = {
  F ("id", UUID),          F ("appeal_id", UUID), F ("title", TEXT),
  F ("original", BOOLEAN), N ("pages", INTEGER),  F ("version", INTEGER),
};

static const OknoField appeal_event_fields[] = {
  F ("id", UUID),
  F ("appeal_id", UUID),
  F ("at", TIMESTAMP),
  N ("staff_id", UUID),
  C ("kind", okno_appeal_event_kinds),
  LONGN ("text"),
  /* Every change is an event: which field, its value before and after. */
  N ("field", TEXT),
  LONGN ("old_value"),
  LONGN ("new_value"),
  F ("version", INTEGER),
};

static const OknoField feedback_fields[] = {
  F ("id", UUID),
  C ("kind", okno_feedback_kinds),
  N ("branch_id", UUID),
  N ("account_id", UUID),
  N ("author", TEXT),
  LONG ("text"),
  F ("written_at", TIMESTAMP),
  CN ("urgency", okno_urgencies),
  N ("reviewed_by", UUID),
  N ("reviewed_at", TIMESTAMP),
  F ("version", INTEGER),
};

static const OknoField kb_article_fields[] = {
  F ("id", UUID),   F ("title", TEXT),           LONG ("body"),
  N ("tags", TEXT), F ("updated_at", TIMESTAMP), F ("version", INTEGER),
};

static const OknoField calendar_day_fields[] = {
  F ("day", DATE),
  C ("kind", okno_calendar_day_kinds),
  N ("note", TEXT),
  F ("version", INTEGER),
};

static const OknoField queue_topic_fields[] = {
  F ("id", UUID),
  F ("code", TEXT),
  F ("title", TEXT),
  F ("avg_minutes", INTEGER),
  F ("sort_order", INTEGER),
  F ("active", BOOLEAN),
  F ("version", INTEGER),
};

static const OknoField window_fields[] = {
  F ("id", UUID),          F ("branch_id", UUID), F ("number", INTEGER),  F ("title", TEXT),
  N ("topic_codes", TEXT), F ("active", BOOLEAN), F ("version", INTEGER),
};

static const OknoField appointment_fields[] = {
  F ("id", UUID),          F ("branch_id", UUID),
  F ("topic_id", UUID),    F ("starts_at", TIMESTAMP),
  F ("client_name", TEXT), N ("phone", TEXT),
  N ("account_id", UUID),  C ("status", okno_appointment_statuses),
  F ("version", INTEGER),
};

/* A field of an appeal changed on two sides: the server kept its value
 * ("theirs"), the branch's ("ours") waits here until staff pick or combine;
 * "resolution" is the value they settled on. */
static const OknoField appeal_conflict_fields[] = {
  F ("id", UUID),
  F ("appeal_id", UUID),
  F ("field", TEXT),
  N ("base", TEXT),
  N ("ours", TEXT),
  N ("theirs", TEXT),
  F ("mutation_id", UUID),
  N ("raised_by", UUID),
  N ("changed_by", UUID),
  F ("raised_at", TIMESTAMP),
  N ("resolved_at", TIMESTAMP),
  N ("resolved_by", UUID),
  N ("resolution", TEXT),
  F ("version", INTEGER),
};

/* The personal-data disclosure log, as the central system keeps it. */
static const OknoField disclosure_fields[] = {
  F ("id", UUID),       F ("at", TIMESTAMP), F ("staff_id", UUID), F ("account_id", UUID),
  N ("visit_id", UUID), F ("basis", TEXT),   F ("what", TEXT),     F ("version", INTEGER),
};

static const OknoField policy_fields[] = {
  F ("key", TEXT),
  F ("value", TEXT),
  N ("note", TEXT),
  F ("version", INTEGER),
};

#undef F
#undef N
#undef C
#undef CN
#undef LONG
#undef LONGN

#define COLLECTION(n, f)                                                                           \
  {                                                                                                \
    n, f, G_N_ELEMENTS (f)                                                                         \
  }

/* In snapshot order: what others refer to comes first. */
static const OknoCollection collections[] = {
  COLLECTION ("policy", policy_fields),
  COLLECTION ("calendar_days", calendar_day_fields),
  COLLECTION ("branches", branch_fields),
  COLLECTION ("staff", staff_fields),
  COLLECTION ("queue_topics", queue_topic_fields),
  COLLECTION ("windows", window_fields),
  COLLECTION ("kb_articles", kb_article_fields),
  COLLECTION ("appeal_topics", appeal_topic_fields),
  COLLECTION ("accounts", account_fields),
  COLLECTION ("meters", meter_fields),
  COLLECTION ("readings", reading_fields),
  COLLECTION ("payments", payment_fields),
  COLLECTION ("appeals", appeal_fields),
  COLLECTION ("appeal_events", appeal_event_fields),
  COLLECTION ("appeal_documents", appeal_document_fields),
  COLLECTION ("feedback", feedback_fields),
  COLLECTION ("appointments", appointment_fields),
  COLLECTION ("appeal_conflicts", appeal_conflict_fields),
  COLLECTION ("disclosures", disclosure_fields),
};

static const OknoCollection *collection_ptrs[G_N_ELEMENTS (collections) + 1];

const OknoCollection *const *
okno_collection_all (guint *n_collections)
{
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
        collection_ptrs[i] = &collections[i];
      collection_ptrs[G_N_ELEMENTS (collections)] = NULL;
      g_once_init_leave (&init, 1);
    }
  if (n_collections)
    *n_collections = G_N_ELEMENTS (collections);
  return collection_ptrs;
}

const OknoCollection *
okno_collection_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    if (strcmp (collections[i].name, name) == 0)
      return &collections[i];
  return NULL;
}

int
okno_collection_field_index (const OknoCollection *collection, const char *field_name)
{
  for (guint i = 0; i < collection->n_fields; i++)
    if (strcmp (collection->fields[i].name, field_name) == 0)
      return (int)i;
  return -1;
}

OknoValue *
okno_row_new (const OknoCollection *collection)
{
  OknoValue *row = g_new0 (OknoValue, collection->n_fields);

  for (guint i = 0; i < collection->n_fields; i++)
    row[i].is_null = TRUE;
  return row;
}

static OknoValue *
row_field (const OknoCollection *collection, OknoValue *row, const char *field)
{
  int i = okno_collection_field_index (collection, field);

  g_assert (i >= 0);
  return &row[i];
}

void
okno_row_set_text (const OknoCollection *collection, OknoValue *row, const char *field,
                   const char *text)
{
  OknoValue *v = row_field (collection, row, field);

  v->is_null = text == NULL;
  v->text = text;
}

void
okno_row_set_int (const OknoCollection *collection, OknoValue *row, const char *field, gint64 value)
{
  OknoValue *v = row_field (collection, row, field);

  v->is_null = FALSE;
  v->integer = value;
}

const char *
okno_field_type_label (OknoFieldType type)
{
  switch (type)
    {
      case OKNO_FIELD_TEXT:
        return _ ("text");
      case OKNO_FIELD_INTEGER:
        return _ ("whole number");
      case OKNO_FIELD_REAL:
        return _ ("number");
      case OKNO_FIELD_BOOLEAN:
        return _ ("yes/no value");
      case OKNO_FIELD_CHOICE:
        return _ ("value from its list");
      case OKNO_FIELD_DATE:
        return _ ("date");
      case OKNO_FIELD_TIMESTAMP:
        return _ ("UTC timestamp");
      case OKNO_FIELD_UUID:
        return _ ("identifier");
      default:
        return _ ("value");
    }
}

const char *
okno_field_type_to_string (OknoFieldType type)
{
  switch (type)
    {
      case OKNO_FIELD_TEXT:
        return "text";
      case OKNO_FIELD_INTEGER:
        return "integer";
      case OKNO_FIELD_REAL:
        return "number";
      case OKNO_FIELD_BOOLEAN:
        return "boolean";
      case OKNO_FIELD_CHOICE:
        return "choice";
      case OKNO_FIELD_DATE:
        return "date";
      case OKNO_FIELD_TIMESTAMP:
        return "timestamp";
      case OKNO_FIELD_UUID:
        return "uuid";
      default:
        return "unknown";
    }
}

gboolean
okno_choice_is_valid (const char *const *choices, const char *value)
{
  if (choices == NULL || value == NULL)
    return FALSE;
  for (guint i = 0; choices[i]; i++)
    if (strcmp (choices[i], value) == 0)
      return TRUE;
  return FALSE;
}

/* The checks below run for every value of a first download (millions):
 * they read the text once and allocate nothing. */

static gboolean
is_lower_hex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

gboolean
okno_text_is_uuid (const char *text)
{
  /* Canonical lower-case form only, so that one record has one key. */
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      char c = text[i];

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!is_lower_hex (c)) /* also stops at the end of a shorter text */
        return FALSE;
    }
  return text[36] == '\0';
}

/* n ASCII digits at text, as a number; -1 if any is not a digit. */
static int
digits (const char *text, guint n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return -1;
      value = value * 10 + (text[i] - '0');
    }
  return value;
}

/* YYYY-MM-DD at text, a day of the Gregorian calendar (GDate's rule). */
static gboolean
is_date_prefix (const char *text)
{
  int y = digits (text, 4), m, d;

  if (y < 0 || text[4] != '-' || (m = digits (text + 5, 2)) < 0 || text[7] != '-'
      || (d = digits (text + 8, 2)) < 0)
    return FALSE;
  return m >= 1 && m <= 12 && d >= 1 && g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

gboolean
okno_text_is_date (const char *text)
{
  if (text == NULL || strnlen (text, 11) != 10)
    return FALSE;
  return is_date_prefix (text);
}

gboolean
okno_text_is_timestamp (const char *text)
{
  g_autoptr (GDateTime) dt = NULL;
  gsize len;
  int h, m, s;

  if (text == NULL)
    return FALSE;
  /* UTC only: the replica never stores a local time. */
  len = strlen (text);
  if (len < 20 || text[len - 1] != 'Z' || text[10] != 'T')
    return FALSE;
  /* The form every server row has, YYYY-MM-DDTHH:MM:SSZ, read without
   * allocating; GLib's ISO 8601 parser accepts each such time too. */
  if (len == 20 && is_date_prefix (text) && (h = digits (text + 11, 2)) >= 0 && h < 24
      && text[13] == ':' && (m = digits (text + 14, 2)) >= 0 && m < 60 && text[16] == ':'
      && (s = digits (text + 17, 2)) >= 0 && s < 60)
    return TRUE;
  /* Any other form (fractions of a second, …) as GLib reads it. */
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt != NULL;
}

static gboolean
check_text (const OknoField *field, const char *text, GError **error)
{
  gsize limit = field->max_length ? field->max_length : DEFAULT_MAX_TEXT;
  const char *end;

  if (!g_utf8_validate (text, -1, &end))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("Field “%s” is not valid UTF-8 text"), field->name);
      return FALSE;
    }
  /* A text of no more bytes than the limit has no more characters either. */
  if ((gsize)(end - text) > limit && g_utf8_strlen (text, end - text) > (glong)limit)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("Field “%s” is longer than %u characters"), field->name, (guint)limit);
      return FALSE;
    }
  return TRUE;
}

gboolean
okno_field_check (const OknoField *field, const OknoValue *value, GError **error)
{
  gboolean ok = TRUE;

  if (value->is_null)
    {
      if (field->nullable)
        return TRUE;
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING, _ ("Field “%s” is required"),
                   field->name);
      return FALSE;
    }

  switch (field->type)
    {
      case OKNO_FIELD_INTEGER:
      case OKNO_FIELD_REAL:
        return TRUE;
      case OKNO_FIELD_BOOLEAN:
        ok = value->integer == 0 || value->integer == 1;
        break;
      case OKNO_FIELD_TEXT:
        return value->text != NULL && check_text (field, value->text, error);
      case OKNO_FIELD_CHOICE:
        ok = okno_choice_is_valid (field->choices, value->text);
        break;
      case OKNO_FIELD_DATE:
        ok = okno_text_is_date (value->text);
        break;
      case OKNO_FIELD_TIMESTAMP:
        ok = okno_text_is_timestamp (value->text);
        break;
      case OKNO_FIELD_UUID:
        ok = okno_text_is_uuid (value->text);
        break;
      default:
        ok = FALSE;
    }

  if (!ok)
    g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                 _ ("Field “%s” does not hold a valid %s"), field->name,
                 okno_field_type_to_string (field->type));
  return ok;
}
