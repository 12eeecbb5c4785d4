/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Patches of appeals: each field is merged against the value the desktop
 * last saw, statuses follow the appeal's state machine, and a field changed
 * on both sides becomes an appeal_conflicts row every branch receives.
 * Resolving a conflict settles the row and merges the chosen value into the
 * appeal the same way, in one commit. */

#include <string.h>

#include "okno-appeal-number.h"
#include "okno-appeal-rules.h"
#include "okno-central-push-private.h"
#include "okno-central-store-private.h"

/* The number, the registration time and the bookkeeping fields are the
 * server's; everything else a branch may edit. */
static const char *const patchable[]
  = { "account_id", "kind",           "channel",        "answer_channel", "subject",
      "body",       "status",         "urgency",        "due_on",         "assignee_id",
      "branch_id",  "applicant_name", "answer_address", "topic_id",       NULL };

typedef enum
{
  FIELD_SET,      /* the server still had "from" */
  FIELD_SAME,     /* the server already has "to" */
  FIELD_CONFLICT, /* someone else changed it */
} FieldOutcome;

typedef struct
{
  const OknoField *field;
  JsonNode *from; /* borrowed from the request */
  JsonNode *to;
  OknoValue value; /* "to", decoded */
  FieldOutcome outcome;
} FieldPatch;

static gboolean
nodes_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null && b_null;
  return json_node_equal (a, b);
}

static const char *
node_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A change of one field from one value to another, checked like a row's. */
static gboolean
field_patch_init (OknoCentralPush *push, const char *name, JsonNode *from, JsonNode *to,
                  FieldPatch *patch, GError **error)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  int index = okno_collection_field_index (appeals, name);

  if (index < 0 || !g_strv_contains (patchable, name))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                 "The field “%s” of an appeal cannot be patched", name);
  patch->field = &appeals->fields[index];
  patch->from = from;
  patch->to = to;
  return _okno_central_decode_value (patch->field, patch->to, &patch->value, error)
         && _okno_central_check_reference (push, patch->field, &patch->value, error);
}

static gboolean
parse_field (OknoCentralPush *push, const char *name, JsonNode *node, FieldPatch *patch,
             GError **error)
{
  JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (change == NULL || json_object_get_size (change) != 2
      || !json_object_has_member (change, "from") || !json_object_has_member (change, "to"))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                 "The patch of “%s” must be an object with “from” and “to”", name);
  return field_patch_init (push, name, json_object_get_member (change, "from"),
                           json_object_get_member (change, "to"), patch, error);
}

static gboolean
parse_patch (OknoCentralPush *push, JsonObject *data, GArray *fields, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (json_object_get_size (data) == 0)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                 "A patch must name at least one field");
  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &name, &node))
    {
      FieldPatch patch = { 0 };

      if (!parse_field (push, name, node, &patch, error))
        return FALSE;
      g_array_append_val (fields, patch);
    }
  return TRUE;
}

/* Closing wins: a closed appeal takes no change at all. A status moves
 * forward only; settling a conflict may also pick another answer of the
 * same rank (two branches answered differently at once). */
static gboolean
judge (FieldPatch *patch, JsonObject *current, gboolean settling, GError **error)
{
  JsonNode *server = json_object_get_member (current, patch->field->name);
  const char *status = json_object_get_string_member (current, "status");
  gboolean is_status = strcmp (patch->field->name, "status") == 0;

  patch->outcome = FIELD_SAME;
  if (nodes_equal (server, patch->to))
    return TRUE;
  if (strcmp (status, "closed") == 0 && is_status)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_TRANSITION,
                                 "An appeal in status closed cannot become %s", patch->value.text);
  if (strcmp (status, "closed") == 0)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_TRANSITION,
                                 "An appeal in status closed cannot change its %s",
                                 patch->field->name);
  patch->outcome = nodes_equal (server, patch->from) ? FIELD_SET : FIELD_CONFLICT;
  if (patch->outcome == FIELD_SET && is_status
      && (okno_appeal_status_rank (patch->value.text) < okno_appeal_status_rank (status)
          || (!settling
              && okno_appeal_status_rank (patch->value.text) == okno_appeal_status_rank (status))))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_TRANSITION,
                                 "An appeal in status %s cannot become %s", status,
                                 patch->value.text);
  return TRUE;
}

/* --- writing ------------------------------------------------------------------------ */

static gboolean
note_field_change (OknoCentralPush *push, const char *key, const char *field, const char *now,
                   GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    push->db,
    "INSERT OR REPLACE INTO appeal_field_changes (appeal_id, field, changed_by, changed_at)"
    " VALUES (?1, ?2, ?3, ?4)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, push->staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
update_sql (GArray *fields)
{
  GString *sql = g_string_new ("UPDATE appeals SET ");

  for (guint i = 0; i < fields->len; i++)
    {
      FieldPatch *patch = &g_array_index (fields, FieldPatch, i);
      if (patch->outcome == FIELD_SET)
        g_string_append_printf (sql, "\"%s\" = ?%u, ", patch->field->name, i + 4);
    }
  g_string_append (sql, "updated_at = ?1, version = ?2 WHERE id = ?3");
  return g_string_free (sql, FALSE);
}

static gboolean
update_appeal (OknoCentralPush *push, const char *key, GArray *fields, GError **error)
{
  g_autofree char *sql = update_sql (fields);
  g_autofree char *now = _okno_central_now_iso8601 ();
  sqlite3_stmt *stmt = okno_db_prepare (push->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, push->seq);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < fields->len; i++)
    {
      FieldPatch *patch = &g_array_index (fields, FieldPatch, i);
      if (patch->outcome == FIELD_SET)
        _okno_central_bind_value (stmt, (int)i + 4, patch->field, &patch->value);
    }
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  for (guint i = 0; i < fields->len; i++)
    {
      FieldPatch *patch = &g_array_index (fields, FieldPatch, i);
      if (patch->outcome == FIELD_SET
          && !note_field_change (push, key, patch->field->name, now, error))
        return FALSE;
    }
  return okno_central_store_log_change (push->store, push->seq, okno_collection_lookup ("appeals"),
                                        key, FALSE, error);
}

/* Who set the server's value and when, as far as the server knows. */
static gboolean
last_change (OknoCentralPush *push, const char *key, FieldPatch *patch, JsonObject *current,
             JsonObject *entry, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    push->db,
    "SELECT changed_by, changed_at FROM appeal_field_changes WHERE appeal_id = ?1 AND field = ?2",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, patch->field->name, -1, SQLITE_STATIC);
  rc = okno_db_step (push->db, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    json_object_set_string_member (entry, "changed_by",
                                   (const char *)sqlite3_column_text (stmt, 0));
  else
    json_object_set_null_member (entry, "changed_by");
  json_object_set_string_member (entry, "changed_at",
                                 rc == SQLITE_ROW
                                   ? (const char *)sqlite3_column_text (stmt, 1)
                                   : json_object_get_string_member (current, "updated_at"));
  sqlite3_reset (stmt);
  return rc >= 0;
}

static void
bind_node_text (sqlite3_stmt *stmt, int column, JsonNode *node)
{
  const char *text = node_text (node);

  if (text)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
insert_conflict (OknoCentralPush *push, const char *key, FieldPatch *patch, JsonObject *entry,
                 GError **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = _okno_central_now_iso8601 ();
  sqlite3_stmt *stmt = okno_db_prepare (
    push->db,
    "INSERT INTO appeal_conflicts (id, appeal_id, field, base, ours, theirs, mutation_id,"
    " raised_by, changed_by, raised_at, resolved_at, resolved_by, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL, ?11)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, patch->field->name, -1, SQLITE_STATIC);
  bind_node_text (stmt, 4, patch->from);
  bind_node_text (stmt, 5, patch->to);
  bind_node_text (stmt, 6, json_object_get_member (entry, "theirs"));
  sqlite3_bind_text (stmt, 7, push->mutation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, push->staff_id, -1, SQLITE_TRANSIENT);
  bind_node_text (stmt, 9, json_object_get_member (entry, "changed_by"));
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, push->seq);
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return okno_central_store_log_change (
    push->store, push->seq, okno_collection_lookup ("appeal_conflicts"), id, FALSE, error);
}

/* The conflict as the result lists it, and as a row every branch receives. */
static JsonObject *
raise_conflict (OknoCentralPush *push, const char *key, FieldPatch *patch, JsonObject *current,
                GError **error)
{
  g_autoptr (JsonObject) entry = json_object_new ();

  json_object_set_string_member (entry, "field", patch->field->name);
  json_object_set_member (entry, "base", json_node_copy (patch->from));
  json_object_set_member (entry, "ours", json_node_copy (patch->to));
  json_object_set_member (entry, "theirs",
                          json_node_copy (json_object_get_member (current, patch->field->name)));
  if (!last_change (push, key, patch, current, entry, error)
      || !insert_conflict (push, key, patch, entry, error))
    return NULL;
  return g_steal_pointer (&entry);
}

static gboolean
write_outcome (OknoCentralPush *push, const char *key, GArray *fields, JsonObject *current,
               JsonObject *result, GError **error)
{
  g_autoptr (JsonArray) conflicts = json_array_new ();
  gboolean changed = FALSE;

  for (guint i = 0; i < fields->len; i++)
    changed |= g_array_index (fields, FieldPatch, i).outcome == FIELD_SET;
  if (changed && !update_appeal (push, key, fields, error))
    return FALSE;
  for (guint i = 0; i < fields->len; i++)
    {
      FieldPatch *patch = &g_array_index (fields, FieldPatch, i);
      JsonObject *entry;

      if (patch->outcome != FIELD_CONFLICT)
        continue;
      if ((entry = raise_conflict (push, key, patch, current, error)) == NULL)
        return FALSE;
      json_array_add_object_element (conflicts, entry);
    }
  json_object_set_string_member (result, "status",
                                 json_array_get_length (conflicts) ? "conflict" : "applied");
  json_object_set_int_member (
    result, "version", changed ? push->seq : json_object_get_int_member (current, "version"));
  if (json_array_get_length (conflicts))
    json_object_set_array_member (result, "conflicts", g_steal_pointer (&conflicts));
  return TRUE;
}

gboolean
_okno_central_patch_appeal (OknoCentralPush *push, const char *key, JsonObject *data,
                            JsonObject *result, GError **error)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  g_autoptr (JsonObject) current = okno_central_store_read_row (push->store, appeals, key, error);
  g_autoptr (GArray) fields = g_array_new (FALSE, TRUE, sizeof (FieldPatch));

  if (current == NULL)
    return (error && *error) ? FALSE
                             : _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_FOUND,
                                                     "There is no appeal %s", key);
  if (!parse_patch (push, data, fields, error))
    return FALSE;
  for (guint i = 0; i < fields->len; i++)
    if (!judge (&g_array_index (fields, FieldPatch, i), current, FALSE, error))
      return FALSE;
  return write_outcome (push, key, fields, current, result, error);
}

/* --- resolving a conflict --------------------------------------------------------- */

static const char *const resolve_members[] = { "conflict_id", "field", "from", "to", NULL };

/* {conflict_id, field, from, to}, nothing else. */
static gboolean
parse_resolve (JsonObject *data, const char **conflict_id, const char **field, GError **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &name, NULL))
    if (!g_strv_contains (resolve_members, name))
      return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                   "A resolution has no member “%s”", name);
  *conflict_id = node_text (json_object_get_member (data, "conflict_id"));
  *field = node_text (json_object_get_member (data, "field"));
  if (*conflict_id == NULL || *field == NULL || !json_object_has_member (data, "from")
      || !json_object_has_member (data, "to"))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                                 "A resolution needs “conflict_id”, “field”, “from” and “to”");
  return TRUE;
}

/* The conflict must be this appeal's and about this field. */
static JsonObject *
read_conflict (OknoCentralPush *push, const char *key, const char *conflict_id, const char *field,
               GError **error)
{
  g_autoptr (JsonObject) conflict = okno_central_store_read_row (
    push->store, okno_collection_lookup ("appeal_conflicts"), conflict_id, error);

  if (conflict == NULL)
    {
      if (error == NULL || *error == NULL)
        _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_FOUND, "There is no conflict %s",
                              conflict_id);
      return NULL;
    }
  if (g_strcmp0 (json_object_get_string_member (conflict, "appeal_id"), key) != 0
      || g_strcmp0 (json_object_get_string_member (conflict, "field"), field) != 0)
    {
      _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_MUTATION,
                            "The conflict %s is not about the %s of appeal %s", conflict_id, field,
                            key);
      return NULL;
    }
  return g_steal_pointer (&conflict);
}

static gboolean
settle_conflict (OknoCentralPush *push, const char *conflict_id, FieldPatch *patch, GError **error)
{
  g_autofree char *now = _okno_central_now_iso8601 ();
  sqlite3_stmt *stmt = okno_db_prepare (
    push->db,
    "UPDATE appeal_conflicts SET resolved_at = ?1, resolved_by = ?2, resolution = ?3,"
    " version = ?4 WHERE id = ?5 AND resolved_at IS NULL",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, push->staff_id, -1, SQLITE_TRANSIENT);
  bind_node_text (stmt, 3, patch->to);
  sqlite3_bind_int64 (stmt, 4, push->seq);
  sqlite3_bind_text (stmt, 5, conflict_id, -1, SQLITE_TRANSIENT);
  if (okno_db_step (push->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return okno_central_store_log_change (
    push->store, push->seq, okno_collection_lookup ("appeal_conflicts"), conflict_id, FALSE, error);
}

gboolean
_okno_central_resolve_conflict (OknoCentralPush *push, const char *key, JsonObject *data,
                                JsonObject *result, GError **error)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  g_autoptr (JsonObject) current = NULL;
  g_autoptr (JsonObject) conflict = NULL;
  g_autoptr (GArray) fields = g_array_new (FALSE, TRUE, sizeof (FieldPatch));
  const char *conflict_id = NULL, *name = NULL;
  FieldPatch patch = { 0 };
  gboolean open;

  if (!parse_resolve (data, &conflict_id, &name, error))
    return FALSE;
  current = okno_central_store_read_row (push->store, appeals, key, error);
  if (current == NULL)
    return (error && *error) ? FALSE
                             : _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_FOUND,
                                                     "There is no appeal %s", key);
  if ((conflict = read_conflict (push, key, conflict_id, name, error)) == NULL
      || !field_patch_init (push, name, json_object_get_member (data, "from"),
                            json_object_get_member (data, "to"), &patch, error)
      || !judge (&patch, current, TRUE, error))
    return FALSE;
  /* The first resolution wins: a later one that chose another value does
   * not overwrite it but becomes a new conflict, so neither is lost. */
  open = json_object_get_null_member (conflict, "resolved_at");
  if (!open && patch.outcome == FIELD_SET)
    patch.outcome = FIELD_CONFLICT;
  g_array_append_val (fields, patch);
  return write_outcome (push, key, fields, current, result, error)
         && (!open || settle_conflict (push, conflict_id, &patch, error));
}

/* --- registration ------------------------------------------------------------------- */

static const char *
text_of (const OknoCollection *c, const OknoValue *values, const char *field)
{
  const OknoValue *v = &values[okno_collection_field_index (c, field)];

  return v->is_null ? NULL : v->text;
}

/* One text column of the first row of sql with ?1 and ?2 bound; NULL
 * when there is none (an error only when SQLite failed). */
static char *
lookup_text (OknoCentralPush *push, const char *sql, const char *a, const char *b, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (push->db, sql, error);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (okno_db_step (push->db, stmt, error) == SQLITE_ROW)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

/* The number is the pushing desktop's: its branch's code, the desk code
 * the server gave this device in that branch. Uniqueness is the
 * caller's (check_appeal_number), as it holds for every create. */
static gboolean
check_number (OknoCentralPush *push, const char *number, GError **error)
{
  g_autoptr (GError) problem = NULL;
  g_autofree char *code = NULL, *branch_code = NULL, *desk = NULL;
  gint64 desk_code;

  if (!okno_appeal_number_parse (number, &code, &desk_code, NULL, NULL, &problem))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                 "The appeal's number %s is not one: %s", number, problem->message);
  if (push->branch_id == NULL)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_AUTHOR,
                                 "Only staff of a branch register appeals");
  branch_code
    = lookup_text (push, "SELECT code FROM branches WHERE id = ?1", push->branch_id, NULL, error);
  if (branch_code == NULL && error && *error)
    return FALSE;
  if (g_strcmp0 (branch_code, code) != 0)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_AUTHOR,
                                 "The appeal's number %s names branch %s, not %s", number, code,
                                 branch_code ? branch_code : "(none)");
  desk = lookup_text (push, "SELECT code FROM devices WHERE device_id = ?1 AND branch_id = ?2",
                      push->device_id, push->branch_id, error);
  if (desk == NULL && error && *error)
    return FALSE;
  if (desk == NULL || g_ascii_strtoll (desk, NULL, 10) != desk_code)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_NOT_AUTHOR,
                                 "The appeal's number %s names desk %" G_GINT64_FORMAT
                                 ", not this device's desk in branch %s",
                                 number, desk_code, code);
  return TRUE;
}

gboolean
_okno_central_check_appeal_create (OknoCentralPush *push, const OknoCollection *c,
                                   const OknoValue *values, GError **error)
{
  OknoAppealRegistration registration = {
    text_of (c, values, "kind"),           text_of (c, values, "channel"),
    text_of (c, values, "subject"),        text_of (c, values, "account_id"),
    text_of (c, values, "applicant_name"), text_of (c, values, "answer_channel"),
    text_of (c, values, "answer_address"),
  };
  const char *status = text_of (c, values, "status");
  g_autoptr (GError) problem = NULL;

  if (g_strcmp0 (status, "registered") != 0)
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_TRANSITION,
                                 "An appeal is created registered, not %s", status);
  if (!okno_appeal_registration_check (&registration, &problem))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                 "The appeal cannot be registered: %s", problem->message);
  return check_number (push, text_of (c, values, "number"), error);
}

/* A described document: what the desktop's form and store ask too. */
gboolean
_okno_central_check_appeal_document (const OknoCollection *c, const OknoValue *values,
                                     GError **error)
{
  const OknoValue *pages = &values[okno_collection_field_index (c, "pages")];
  g_autoptr (GError) problem = NULL;

  if (!okno_appeal_document_check (text_of (c, values, "title"),
                                   pages->is_null ? NULL : &pages->integer, &problem))
    return _okno_central_reject (error, OKNO_CENTRAL_REJECTION_INVALID_ROW,
                                 "The document is not described: %s", problem->message);
  return TRUE;
}
