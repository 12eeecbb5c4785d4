/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Staged failures for tests: every way a sync client can be let down
 * (docs/sync-protocol.md, "Fault modes of okno-central"). */

#include "okno-central-faults.h"

#include <string.h>

#include "okno-central-error.h"

#define MAX_DELAY_MS    60000
#define MAX_RETRY_AFTER 3600

struct _OknoCentralFaults
{
  GObject parent_instance;
  GPtrArray *faults; /* of OknoCentralFault, in the order added */
};

G_DEFINE_FINAL_TYPE (OknoCentralFaults, okno_central_faults, G_TYPE_OBJECT)

static const char *const mode_names[] = {
  [OKNO_CENTRAL_FAULT_STATUS] = "status",
  [OKNO_CENTRAL_FAULT_DELAY] = "delay",
  [OKNO_CENTRAL_FAULT_RESET] = "reset",
  [OKNO_CENTRAL_FAULT_TRUNCATE] = "truncate",
  [OKNO_CENTRAL_FAULT_INVALID_JSON] = "invalid_json",
  [OKNO_CENTRAL_FAULT_RETRY_AFTER] = "retry_after",
  [OKNO_CENTRAL_FAULT_FAIL_AFTER_COMMIT] = "fail_after_commit",
  [OKNO_CENTRAL_FAULT_GZIP_CORRUPT] = "gzip_corrupt",
  [OKNO_CENTRAL_FAULT_GZIP_BAD_CRC] = "gzip_bad_crc",
  [OKNO_CENTRAL_FAULT_GZIP_CUT] = "gzip_cut",
};

OknoCentralFault *
okno_central_fault_copy (const OknoCentralFault *fault)
{
  OknoCentralFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->path = g_strdup (fault->path);
  return copy;
}

void
okno_central_fault_free (OknoCentralFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->path);
  g_free (fault);
}

static void
okno_central_faults_finalize (GObject *object)
{
  OknoCentralFaults *self = OKNO_CENTRAL_FAULTS (object);

  g_ptr_array_unref (self->faults);
  G_OBJECT_CLASS (okno_central_faults_parent_class)->finalize (object);
}

static void
okno_central_faults_class_init (OknoCentralFaultsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_central_faults_finalize;
}

static void
okno_central_faults_init (OknoCentralFaults *self)
{
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_central_fault_free);
}

OknoCentralFaults *
okno_central_faults_new (void)
{
  return g_object_new (OKNO_TYPE_CENTRAL_FAULTS, NULL);
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INVALID, message);
  return FALSE;
}

/* A whole-number member from min to max, or the default when absent. */
static gboolean
number_member (JsonObject *spec, const char *name, gint64 min, gint64 max, guint fallback,
               guint *value)
{
  JsonNode *node = json_object_get_member (spec, name);

  *value = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < min || json_node_get_int (node) > max)
    return FALSE;
  *value = (guint)json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_mode (JsonObject *spec, OknoCentralFaultMode *mode)
{
  JsonNode *node = json_object_get_member (spec, "mode");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (strcmp (mode_names[i], json_node_get_string (node)) == 0)
      {
        *mode = (OknoCentralFaultMode)i;
        return TRUE;
      }
  return FALSE;
}

static const char *
parse_path (JsonObject *spec)
{
  JsonNode *node = json_object_get_member (spec, "path");

  if (node == NULL)
    return "/api/v1/";
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || json_node_get_string (node)[0] != '/')
    return NULL;
  return json_node_get_string (node);
}

gboolean
okno_central_faults_add (OknoCentralFaults *self, JsonObject *spec, GError **error)
{
  g_autoptr (OknoCentralFault) fault = g_new0 (OknoCentralFault, 1);
  const char *path = parse_path (spec);

  g_return_val_if_fail (OKNO_IS_CENTRAL_FAULTS (self), FALSE);

  if (!parse_mode (spec, &fault->mode))
    return invalid (error, "“mode” must be one of status, delay, reset, truncate, invalid_json, "
                           "retry_after, fail_after_commit, gzip_corrupt, gzip_bad_crc, gzip_cut");
  if (path == NULL)
    return invalid (error, "“path” must be a path starting with /");
  /* fail_after_commit takes 0 to mean a reset instead of an answer. */
  if (!number_member (spec, "count", 1, G_MAXINT, 1, &fault->count)
      || !number_member (spec, "status",
                         fault->mode == OKNO_CENTRAL_FAULT_FAIL_AFTER_COMMIT ? 0 : 400, 599, 500,
                         &fault->status)
      || !number_member (spec, "delay_ms", 0, MAX_DELAY_MS, 0, &fault->delay_ms)
      || !number_member (spec, "retry_after", 0, MAX_RETRY_AFTER, 30, &fault->retry_after))
    return invalid (error, "“count” must be at least 1, “status” an HTTP error status, "
                           "“delay_ms” at most 60000 and “retry_after” at most 3600");
  if (fault->status != 0 && fault->status < 400)
    return invalid (error, "“status” must be an HTTP error status");
  fault->path = g_strdup (path);
  g_ptr_array_add (self->faults, g_steal_pointer (&fault));
  return TRUE;
}

void
okno_central_faults_clear (OknoCentralFaults *self)
{
  g_return_if_fail (OKNO_IS_CENTRAL_FAULTS (self));
  g_ptr_array_set_size (self->faults, 0);
}

OknoCentralFault *
okno_central_faults_take (OknoCentralFaults *self, const char *path)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_FAULTS (self), NULL);

  for (guint i = 0; i < self->faults->len; i++)
    {
      OknoCentralFault *fault = self->faults->pdata[i];
      OknoCentralFault *hit;

      if (!g_str_has_prefix (path, fault->path))
        continue;
      hit = okno_central_fault_copy (fault);
      if (--fault->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return hit;
    }
  return NULL;
}
