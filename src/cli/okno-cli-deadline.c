/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli deadline: a term of the Standard counted by the domain's rules
 * (okno-deadline.h), for scripts and for checking a date by hand. */

#include "okno-cli-common.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

OknoCalendar *
okno_cli_load_calendar (OknoStore *store, GError **error)
{
  g_autoptr (OknoCalendar) calendar = NULL;

  /* A replica before its first download holds no calendar: the shipped one
   * counts until the server's arrives. */
  if (store != NULL && (calendar = okno_store_load_calendar (store, error)) == NULL)
    return NULL;
  if (calendar == NULL || okno_calendar_get_n_days (calendar) == 0)
    return okno_calendar_new_shipped ();
  return g_steal_pointer (&calendar);
}

GTimeZone *
okno_cli_branch_zone (OknoStore *store, GError **error)
{
  g_autofree char *zone = NULL;

  if (store != NULL)
    zone = okno_store_get_policy (store, "branch_time_zone", OKNO_BRANCH_TIME_ZONE);
  return okno_branch_time_zone_new (zone, error);
}

/* The replica if there is one: deadline needs no replica and makes none. */
static gboolean
open_existing_store (OknoStore **store, GError **error)
{
  g_autofree char *path = okno_cli_replica_path ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  return (*store = okno_cli_open_store (error)) != NULL;
}

static void
print_json (const OknoDeadline *deadline, GTimeZone *zone)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *from = okno_deadline_format (deadline->from);
  g_autofree char *due = okno_deadline_format (deadline->due);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, deadline->rule->name);
  json_builder_set_member_name (b, "basis");
  json_builder_add_string_value (b, okno_deadline_rule_get_basis (deadline->rule));
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "due");
  json_builder_add_string_value (b, due);
  json_builder_set_member_name (b, "days");
  json_builder_add_int_value (b, deadline->days);
  json_builder_set_member_name (b, "units");
  json_builder_add_string_value (b, okno_deadline_rule_get_units (deadline->rule));
  json_builder_set_member_name (b, "time_zone");
  json_builder_add_string_value (b, g_time_zone_get_identifier (zone));
  json_builder_set_member_name (b, "calendar_version");
  if (deadline->calendar_version != NULL)
    json_builder_add_string_value (b, deadline->calendar_version);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

int
okno_cli_deadline (int argc, char **argv)
{
  g_autofree char *rule = NULL, *from_text = NULL, *tz = NULL, *days_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule,
      N_ ("register, answer, refusal_notice, extension or termination_notice"), "RULE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_ ("The moment the term runs from, ISO 8601 (without an offset: the branch's time)"),
      "DATETIME" },
    { "days", 0, 0, G_OPTION_ARG_STRING, &days_text,
      N_ ("Another number of days, within the Standard's bound (default: the policy's)"), "N" },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz,
      N_ ("The branch's time zone (default: the replica's policy, else Asia/Yekaterinburg)"),
      "ZONE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the rule, its basis and the calendar"),
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoCalendar) calendar = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (OknoDeadline) deadline = NULL;
  g_autofree char *policy = NULL, *due = NULL;
  const OknoDeadlineRule *r;
  guint days;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (rule == NULL || from_text == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("deadline needs --rule and --from"));
      return 2;
    }
  if ((r = okno_deadline_rule_lookup (rule, &error)) == NULL
      || !open_existing_store (&store, &error)
      || (calendar = okno_cli_load_calendar (store, &error)) == NULL)
    return okno_cli_fail (error);
  zone = tz != NULL ? okno_branch_time_zone_new (tz, &error) : okno_cli_branch_zone (store, &error);
  if (zone == NULL)
    return okno_cli_fail (error);
  if ((from = g_date_time_new_from_iso8601 (from_text, zone)) == NULL)
    {
      g_printerr ("okno-cli: ");
      g_printerr (_ ("“%s” is not an ISO 8601 date and time, such as 2025-12-30T18:00:00+05:00"),
                  from_text);
      g_printerr ("\n");
      return 2;
    }
  /* --days, else the replica's policy, may set another term within the
   * Standard's bound. */
  if (days_text != NULL)
    policy = g_strdup (days_text);
  else if (store != NULL)
    policy = okno_store_get_policy (store, r->policy_key, NULL);
  if (!okno_deadline_rule_parse_days (r, policy, &days, &error)
      || (deadline = okno_deadline_new (rule, days, from, zone, calendar, &error)) == NULL)
    return okno_cli_fail (error);
  if (json)
    print_json (deadline, zone);
  else
    {
      due = okno_deadline_format (deadline->due);
      g_print ("%s\n", due);
    }
  return 0;
}
