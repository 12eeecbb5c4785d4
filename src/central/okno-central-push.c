/* SPDX-License-Identifier: GPL-3.0-or-later */

/* POST /mutations: a device's outbox applied exactly once. Each accepted
 * mutation is one commit holding its effect, its change-log rows and the
 * answer stored under (device_id, mutation_id), so a resend after any
 * failure finds the answer instead of doing the work again. */

#include "okno-central-push-private.h"

#include <string.h>

#include "okno-central-error.h"
#include "okno-core-error.h"
#include "okno-central-store-private.h"

/* clang-format off */
G_DEFINE_QUARK (okno-central-rejection-quark, okno_central_rejection)
/* clang-format on */

static const char *const rejection_codes[] = {
  [OKNO_CENTRAL_REJECTION_INVALID_MUTATION] = "invalid_mutation",
  [OKNO_CENTRAL_REJECTION_UNSUPPORTED] = "unsupported",
  [OKNO_CENTRAL_REJECTION_INVALID_ROW] = "invalid_row",
  [OKNO_CENTRAL_REJECTION_UNKNOWN_REFERENCE] = "unknown_reference",
  [OKNO_CENTRAL_REJECTION_NOT_FOUND] = "not_found",
  [OKNO_CENTRAL_REJECTION_DUPLICATE_KEY] = "duplicate_key",
  [OKNO_CENTRAL_REJECTION_INVALID_TRANSITION] = "invalid_transition",
  [OKNO_CENTRAL_REJECTION_NOT_AUTHOR] = "not_author",
  [OKNO_CENTRAL_REJECTION_OUT_OF_RANGE] = "out_of_range",
};

/* Facts a branch records; they never conflict. */
static const char *const creatable[] = { "readings",    "payments", "appeal_events",    "feedback",
                                         "disclosures", "appeals",  "appeal_documents", NULL };

/* A field named like this refers to a row of that table, in every
 * collection (NULL) or in one. */
static const struct
{
  const char *collection;
  const char *field;
  const char *table;
} references[] = {
  { "appeals", "topic_id", "appeal_topics" },
  { NULL, "account_id", "accounts" },
  { NULL, "meter_id", "meters" },
  { NULL, "staff_id", "staff" },
  { NULL, "branch_id", "branches" },
  { NULL, "appeal_id", "appeals" },
  { NULL, "assignee_id", "staff" },
  { NULL, "reviewed_by", "staff" },
  { NULL, "topic_id", "queue_topics" },
  { NULL, "raised_by", "staff" },
  { NULL, "changed_by", "staff" },
  { NULL, "resolved_by", "staff" },
  { NULL, "registered_by", "staff" },
};

const char *
okno_central_rejection_code (OknoCentralRejection rejection)
{
  if ((guint)rejection >= G_N_ELEMENTS (rejection_codes))
    return "rejected";
  return rejection_codes[rejection];
}

gboolean
_okno_central_reject (GError **error, OknoCentralRejection code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OKNO_CENTRAL_REJECTION, code, message);
  return FALSE;
}

/* --- decoding rows ------------------------------------------------------------- */

static gboolean
json_type_fits (const OknoField *field, GType type)
{
  switch (field->type)
    {
      case OKNO_FIELD_INTEGER:
        return type == G_TYPE_INT64;
      case OKNO_FIELD_REAL:
        return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
      case OKNO_FIELD_BOOLEAN:
        return type == G_TYPE_BOOLEAN;
      default:
        return type == G_TYPE_STRING;
    }
}

gboolean
_okno_central_decode_value (const OknoField *field, JsonNode *node, OknoValue *value,
                            GError **error)
{
  g_autoptr (GError) problem = NULL;

  memset (value, 0, sizeof *value);
  value->is_null = node == NULL || JSON_NODE_HOLDS_NULL (node);
  if (!value->is_null)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || !json_type_fits (field, json_node_get_value_type (node)))
        return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                     "Field “%s” must be a %s", field->name,
                                     okno_field_type_to_string (field->type));
      if (field->type == OKNO_FIELD_INTEGER)
        value->integer = json_node_get_int (node);
      else if (field->type == OKNO_FIELD_REAL)
        value->real = json_node_get_double (node);
      else if (field->type == OKNO_FIELD_BOOLEAN)
        value->integer = json_node_get_boolean (node);
      else
        value->text = json_node_get_string (node);
    }
  if (!okno_field_check (field, value, &problem))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW, "%s", problem->message);
  return TRUE;
}

static gboolean
is_null_member (JsonObject *data, const char *name)
{
  JsonNode *node = json_object_get_member (data, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* Every field but version; a nullable field may be left out, and so may an
 * author field: the session fills it (claim_authorship). */
static gboolean
decode_row (const OknoCollection *collection, JsonObject *data, OknoValue *values, GError **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &name, NULL))
    if (okno_collection_field_index (collection, name) < 0)
      return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                   "%s have no field “%s”", collection->name, name);
  for (guint f = 0; f < collection->n_fields; f++)
    {
      const OknoField *field = &collection->fields[f];

      if (strcmp (field->name, "version") == 0)
        continue;
      if (okno_field_is_author (collection, field->name) && is_null_member (data, field->name))
        {
          values[f].is_null = TRUE;
          continue;
        }
      if (!json_object_has_member (data, field->name) && !field->nullable)
        return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                     "Field “%s” is required", field->name);
      if (!_okno_central_decode_value (field, json_object_get_member (data, field->name),
                                       &values[f], error))
        return FALSE;
    }
  return TRUE;
}

/* The collection whose descriptor holds field. */
static const char *
field_collection (const OknoField *field)
{
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    if (field >= all[i]->fields && field < all[i]->fields + all[i]->n_fields)
      return all[i]->name;
  return NULL;
}

static const char *
reference_table (const OknoField *field)
{
  const char *collection = field_collection (field);

  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    if (strcmp (references[i].field, field->name) == 0
        && (references[i].collection == NULL
            || g_strcmp0 (references[i].collection, collection) == 0))
      return references[i].table;
  return NULL;
}

gboolean
_okno_central_check_reference (OknoCentralPush *push, const OknoField *field,
                               const OknoValue *value, GError **error)
{
  const char *table = reference_table (field);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (table == NULL || value->is_null)
    return TRUE;
  sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE id = ?1", table);
  stmt = okno_db_prepare (push->db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value->text, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (push->db, stmt, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_UNKNOWN_REFERENCE,
                                 "Field “%s” refers to %s %s, which does not exist", field->name,
                                 table, value->text);
  return rc == SQLITE_ROW;
}

/* The author fields are the session's: filled when left out, refused when
 * they name someone else (okno_authorship_claim). */
static gboolean
claim_authorship (OknoCentralPush *push, const OknoCollection *collection, OknoValue *values,
                  GError **error)
{
  OknoAuthor author = { push->staff_id, push->branch_id };
  g_autoptr (GError) problem = NULL;

  if (!okno_authorship_claim (collection, values, &author, &problem))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_AUTHOR, "%s", problem->message);
  return TRUE;
}

/* Beyond a limit of the policy is out_of_range; a number no record may
 * hold at all (a payment of nothing, a negative reading) an invalid row. */
static gboolean
reject_bound (const GError *problem, GError **error)
{
  return _okno_central_reject (
    error,
    g_error_matches (problem, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE)
      ? OKNO_CENTRAL_REJECTION_OUT_OF_RANGE
      : OKNO_CENTRAL_REJECTION_INVALID_ROW,
    "%s", problem->message);
}

static char *
account_kind (OknoCentralPush *push, const char *account_id, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (push->db, "SELECT kind FROM accounts WHERE id = ?1", error);
  char *kind = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  if (okno_db_step (push->db, stmt, error) == SQLITE_ROW)
    kind = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return kind;
}

static gboolean
check_payment (OknoCentralPush *push, const OknoCollection *collection, const OknoValue *values,
               GError **error)
{
  const OknoValue *account = &values[okno_collection_field_index (collection, "account_id")];
  const OknoValue *method = &values[okno_collection_field_index (collection, "method")];
  const OknoValue *amount = &values[okno_collection_field_index (collection, "amount_kop")];
  g_autofree char *kind = account_kind (push, account->text, error);
  g_autoptr (GError) problem = NULL;

  if (kind == NULL && error && *error)
    return FALSE;
  if (!okno_payment_check (kind, method->text, amount->integer, &push->limits, &problem))
    return reject_bound (problem, error);
  return TRUE;
}

/* Rules beyond the descriptors that a fact must keep: the bounds of its
 * numbers, from the policy (okno-limits.h). */
static gboolean
check_rules (OknoCentralPush *push, const OknoCollection *collection, const OknoValue *values,
             GError **error)
{
  g_autoptr (GError) problem = NULL;

  if (strcmp (collection->name, "payments") == 0)
    return check_payment (push, collection, values, error);
  if (strcmp (collection->name, "appeals") == 0)
    return _okno_central_check_appeal_create (push, collection, values, error);
  if (strcmp (collection->name, "appeal_documents") == 0)
    return _okno_central_check_appeal_document (collection, values, error);
  if (strcmp (collection->name, "readings") == 0
      && !okno_reading_row_check (collection, values, &push->limits, &problem))
    return reject_bound (problem, error);
  return TRUE;
}

/* --- creates ----------------------------------------------------------------------- */

static JsonNode *
value_node (const OknoField *field, const OknoValue *value)
{
  JsonNode *node = json_node_new (value->is_null ? JSON_NODE_NULL : JSON_NODE_VALUE);

  if (value->is_null)
    return node;
  if (field->type == OKNO_FIELD_INTEGER)
    json_node_set_int (node, value->integer);
  else if (field->type == OKNO_FIELD_REAL)
    json_node_set_double (node, value->real);
  else if (field->type == OKNO_FIELD_BOOLEAN)
    json_node_set_boolean (node, value->integer != 0);
  else
    json_node_set_string (node, value->text);
  return node;
}

/* Whether a stored row holds exactly these values (its version aside). */
static gboolean
same_row (const OknoCollection *collection, JsonObject *stored, const OknoValue *values)
{
  for (guint f = 0; f < collection->n_fields; f++)
    {
      g_autoptr (JsonNode) node = NULL;

      if (strcmp (collection->fields[f].name, "version") == 0)
        continue;
      node = value_node (&collection->fields[f], &values[f]);
      if (!json_node_equal (node, json_object_get_member (stored, collection->fields[f].name)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_appeal_number (OknoCentralPush *push, const char *key, const char *number, GError **error)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (push->db, "SELECT id FROM appeals WHERE number = ?1 AND id != ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (push->db, stmt, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_DUPLICATE_KEY,
                                 "Another appeal already has the number %s", number);
  return rc == SQLITE_DONE;
}

static gboolean
insert_row (OknoCentralPush *push, const OknoCollection *collection, const OknoValue *values,
            GError **error)
{
  g_autofree char *sql = _okno_central_insert_sql (collection);
  sqlite3_stmt *stmt = okno_db_prepare (push->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint f = 0; f < collection->n_fields; f++)
    {
      if (strcmp (collection->fields[f].name, "version") == 0)
        sqlite3_bind_int64 (stmt, (int)f + 1, push->seq);
      else
        _okno_central_bind_value (stmt, (int)f + 1, &collection->fields[f], &values[f]);
    }
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return okno_central_store_log_change (push->store, push->seq, collection, values[0].text, FALSE,
                                        error);
}

static gboolean
check_row (OknoCentralPush *push, const OknoCollection *collection, const char *key,
           const OknoValue *values, GError **error)
{
  if (values[0].is_null || strcmp (values[0].text, key) != 0)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                 "The mutation's key is not the row's %s",
                                 collection->fields[0].name);
  for (guint f = 0; f < collection->n_fields; f++)
    if (!_okno_central_check_reference (push, &collection->fields[f], &values[f], error))
      return FALSE;
  return check_rules (push, collection, values, error);
}

/* A create whose row already exists with the same data was applied before
 * under another mutation id: it is applied again without a change. */
static gboolean
apply_create (OknoCentralPush *push, const OknoCollection *collection, const char *key,
              JsonObject *data, gint64 *version, GError **error)
{
  g_autofree OknoValue *values = g_new0 (OknoValue, collection->n_fields);
  g_autoptr (JsonObject) stored = NULL;

  if (!decode_row (collection, data, values, error)
      || !claim_authorship (push, collection, values, error)
      || !check_row (push, collection, key, values, error))
    return FALSE;
  stored = okno_central_store_read_row (push->store, collection, key, error);
  if (stored == NULL && error && *error)
    return FALSE;
  if (stored != NULL && !same_row (collection, stored, values))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_DUPLICATE_KEY,
                                 "%s %s already exists with other data", collection->name, key);
  if (stored != NULL)
    {
      *version = json_object_get_int_member (stored, "version");
      return TRUE;
    }
  if (strcmp (collection->name, "appeals") == 0
      && !check_appeal_number (
        push, key, values[okno_collection_field_index (collection, "number")].text, error))
    return FALSE;
  *version = push->seq;
  return insert_row (push, collection, values, error);
}

/* --- one mutation ------------------------------------------------------------------- */

static const char *
mutation_string (JsonObject *mutation, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (mutation, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                            "The mutation's “%s” must be a string", name);
      return NULL;
    }
  return json_node_get_string (node);
}

static JsonObject *
mutation_data (JsonObject *mutation, GError **error)
{
  JsonNode *node = json_object_get_member (mutation, "data");
  JsonNode *base = json_object_get_member (mutation, "base_version");

  if (base != NULL && !JSON_NODE_HOLDS_NULL (base)
      && (!JSON_NODE_HOLDS_VALUE (base) || json_node_get_value_type (base) != G_TYPE_INT64))
    {
      _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                            "The mutation's “base_version” must be a whole number or null");
      return NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                            "The mutation's “data” must be an object");
      return NULL;
    }
  return json_node_get_object (node);
}

/* Does the mutation's work in the open commit and fills its result. */
static gboolean
apply (OknoCentralPush *push, JsonObject *mutation, JsonObject *result, GError **error)
{
  const char *name, *op, *key;
  const OknoCollection *collection;
  JsonObject *data;
  gint64 version = 0;

  if ((name = mutation_string (mutation, "collection", error)) == NULL
      || (op = mutation_string (mutation, "op", error)) == NULL
      || (key = mutation_string (mutation, "key", error)) == NULL
      || (data = mutation_data (mutation, error)) == NULL)
    return FALSE;
  collection = okno_collection_lookup (name);
  if (collection != NULL && strcmp (op, "patch") == 0 && strcmp (name, "appeals") == 0)
    return _okno_central_patch_appeal (push, key, data, result, error);
  if (collection != NULL && strcmp (op, "resolve") == 0 && strcmp (name, "appeals") == 0)
    return _okno_central_resolve_conflict (push, key, data, result, error);
  if (collection == NULL || strcmp (op, "create") != 0 || !g_strv_contains (creatable, name))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_UNSUPPORTED,
                                 "The collection “%s” does not take the op “%s”", name, op);
  if (!apply_create (push, collection, key, data, &version, error))
    return FALSE;
  json_object_set_string_member (result, "status", "applied");
  json_object_set_int_member (result, "version", version);
  return TRUE;
}

/* The stored answer of a mutation seen before, or NULL. */
static JsonObject *
find_answer (OknoCentralPush *push, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    push->db, "SELECT result FROM mutations WHERE device_id = ?1 AND mutation_id = ?2", error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *stored = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, push->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, push->mutation_id, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (push->db, stmt, error);
  if (rc == SQLITE_ROW
      && json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 0), -1, error)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    stored = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  sqlite3_reset (stmt);
  return stored;
}

static gboolean
store_answer (OknoCentralPush *push, JsonObject *result, GError **error)
{
  g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), result);
  g_autofree char *text = json_to_string (root, FALSE);
  sqlite3_stmt *stmt
    = okno_db_prepare (push->db,
                       "INSERT INTO mutations (device_id, mutation_id, staff_id, seq, result)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, push->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, push->mutation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, push->staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, push->seq);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_TRANSIENT);
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static JsonObject *
duplicate_result (OknoCentralPush *push, JsonObject *stored)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "mutation_id", push->mutation_id);
  json_object_set_string_member (result, "status", "duplicate");
  json_object_set_int_member (result, "version", json_object_get_int_member (stored, "version"));
  return result;
}

static JsonObject *
rejected_result (OknoCentralPush *push, const GError *rejection)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "mutation_id", push->mutation_id);
  json_object_set_string_member (result, "status", "rejected");
  json_object_set_string_member (result, "error", okno_central_rejection_code (rejection->code));
  json_object_set_string_member (result, "message", rejection->message);
  return result;
}

/* Inside the commit: the stored answer, or the work and its answer. A
 * rejection leaves nothing behind: resent, it is judged again. */
static JsonObject *
push_in_commit (OknoCentralPush *push, JsonObject *mutation, gboolean *keep, GError **error)
{
  g_autoptr (JsonObject) stored = find_answer (push, error);
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (GError) rejection = NULL;

  *keep = FALSE;
  if (stored != NULL)
    return duplicate_result (push, stored);
  if (error && *error)
    return NULL;
  result = json_object_new ();
  json_object_set_string_member (result, "mutation_id", push->mutation_id);
  if (apply (push, mutation, result, &rejection))
    {
      *keep = TRUE;
      return store_answer (push, result, error) ? g_steal_pointer (&result) : NULL;
    }
  if (rejection->domain == OKNO_CENTRAL_REJECTION)
    return rejected_result (push, rejection);
  g_propagate_error (error, g_steal_pointer (&rejection));
  return NULL;
}

static JsonObject *
push_one (OknoCentralPush *push, JsonObject *mutation, GError **error)
{
  g_autoptr (JsonObject) result = NULL;
  gboolean keep = FALSE;

  push->mutation_id = json_object_get_string_member (mutation, "mutation_id");
  /* BEGIN IMMEDIATE: a second server process with the same batch waits
   * here and then finds the answers. */
  if (!okno_central_store_begin_commit (push->store, "push", &push->seq, error))
    return NULL;
  result = push_in_commit (push, mutation, &keep, error);
  if (result != NULL && keep && !okno_central_store_end_commit (push->store, error))
    return NULL;
  if (result == NULL || !keep)
    okno_central_store_abort_commit (push->store);
  return g_steal_pointer (&result);
}

/* The staff member's branch: the author's branch of what they write. */
static gboolean
load_branch (OknoCentralPush *push, GError **error)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (push->db, "SELECT branch_id FROM staff WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, push->staff_id, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (push->db, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    push->branch_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* The limits of the policy rows; a malformed one keeps its fallback, so a
 * typo in the policy never lets an unbounded amount through. */
static gboolean
load_limits (OknoCentralPush *push, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (push->db, "SELECT key, value FROM policy", error);
  int rc;

  okno_limits_init (&push->limits);
  if (stmt == NULL)
    return FALSE;
  while ((rc = okno_db_step (push->db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr (GError) problem = NULL;

      if (!okno_limits_set (&push->limits, (const char *)sqlite3_column_text (stmt, 0),
                            (const char *)sqlite3_column_text (stmt, 1), &problem))
        g_warning ("Policy ignored: %s", problem->message);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

JsonArray *
okno_central_push (OknoCentralStore *store, const char *staff_id, const char *device_id,
                   JsonArray *mutations, GError **error)
{
  OknoCentralPush push = { store, okno_central_store_get_db (store), staff_id, device_id, NULL, 0 };
  g_autoptr (JsonArray) results = json_array_new ();
  g_autofree char *branch_id = NULL;

  if (!load_branch (&push, error) || !load_limits (&push, error))
    {
      g_free (push.branch_id);
      return NULL;
    }
  branch_id = push.branch_id;
  for (guint i = 0; i < json_array_get_length (mutations); i++)
    {
      JsonObject *result = push_one (&push, json_array_get_object_element (mutations, i), error);

      if (result == NULL)
        return NULL;
      json_array_add_object_element (results, result);
    }
  return g_steal_pointer (&results);
}
