/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The words of the header's sync status. */

#include "okno-sync-status.h"

#include <glib/gi18n.h>

#include "okno-format.h"

const char *
okno_sync_status_state_label (OknoSyncState state)
{
  switch (state)
    {
      case OKNO_SYNC_STATE_IDLE:
        return _ ("Online");
      case OKNO_SYNC_STATE_SYNCING:
        return _ ("Syncing…");
      case OKNO_SYNC_STATE_OFFLINE:
        return _ ("Offline");
      case OKNO_SYNC_STATE_WAITING:
        return _ ("Waiting to retry");
      case OKNO_SYNC_STATE_SIGNED_OUT:
        return _ ("Signed out");
      default:
        return "";
    }
}

const char *
okno_sync_status_icon_name (OknoSyncState state)
{
  switch (state)
    {
      case OKNO_SYNC_STATE_SYNCING:
        return "view-refresh-symbolic";
      case OKNO_SYNC_STATE_OFFLINE:
        return "network-offline-symbolic";
      case OKNO_SYNC_STATE_WAITING:
      case OKNO_SYNC_STATE_SIGNED_OUT:
        return "dialog-warning-symbolic";
      case OKNO_SYNC_STATE_IDLE:
      default:
        return "emblem-ok-symbolic";
    }
}

static gboolean
same_day (GDateTime *a, GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* The time (and the day when not today) of last_sync, in local time. */
static void
local_time (GDateTime *last_sync, GDateTime *now, char **time, char **day)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (last_sync);
  g_autoptr (GDateTime) clock = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  g_autofree char *iso_day = g_date_time_format (local, "%Y-%m-%d");

  *time = g_date_time_format (local, "%H:%M");
  *day = same_day (local, clock) ? NULL : okno_format_date (iso_day);
}

char *
okno_sync_status_last_sync (GDateTime *last_sync, GDateTime *now)
{
  g_autofree char *time = NULL;
  g_autofree char *day = NULL;

  if (last_sync == NULL)
    return g_strdup (_ ("Not synced yet"));
  local_time (last_sync, now, &time, &day);
  if (day != NULL)
    /* Translators: "Synced on 12.03.2026 at 14:05" */
    return g_strdup_printf (_ ("Synced on %s at %s"), day, time);
  /* Translators: "Synced at 14:05", local time of the last good sync */
  return g_strdup_printf (_ ("Synced at %s"), time);
}

/* The same, inside a sentence. */
static char *
last_sync_in_sentence (GDateTime *last_sync, GDateTime *now)
{
  g_autofree char *time = NULL;
  g_autofree char *day = NULL;

  if (last_sync == NULL)
    return g_strdup (_ ("not synced yet"));
  local_time (last_sync, now, &time, &day);
  if (day != NULL)
    /* Translators: part of "Sync status: offline, last synced on 12.03.2026 at 14:05" */
    return g_strdup_printf (_ ("last synced on %s at %s"), day, time);
  /* Translators: part of "Sync status: offline, last synced at 14:05" */
  return g_strdup_printf (_ ("last synced at %s"), time);
}

static gint64
attention_count (const OknoSyncReport *report)
{
  return report ? MAX (report->quarantined, 0) + MAX (report->conflicts, 0) : 0;
}

char *
okno_sync_status_attention (const OknoSyncReport *report)
{
  gint64 n = attention_count (report);
  g_autofree char *count = okno_format_count (n);

  if (n == 0)
    return NULL;
  /* Translators: changes the server refused and appeal conflicts */
  return g_strdup_printf (ngettext ("%s needs attention", "%s need attention", (gulong)n), count);
}

static char *
pending_short (const OknoSyncReport *report)
{
  gint64 n = report ? report->pending : 0;
  g_autofree char *count = okno_format_count (n);

  if (n <= 0)
    return NULL;
  /* Translators: in the header, changes made here that the server has not got yet */
  return g_strdup_printf (ngettext ("%s to send", "%s to send", (gulong)n), count);
}

static char *
pending_long (const OknoSyncReport *report)
{
  gint64 n = report ? report->pending : 0;
  g_autofree char *count = okno_format_count (n);

  if (n <= 0)
    return NULL;
  return g_strdup_printf (
    ngettext ("%s change waiting to be sent", "%s changes waiting to be sent", (gulong)n), count);
}

/* Pending changes only another staff member's sign-in here sends:
 * okno-central takes a record's author from the pushing session. */
static char *
others_long (const OknoSyncReport *report)
{
  gint64 n = report ? report->others : 0;
  g_autofree char *count = okno_format_count (n);

  if (n <= 0)
    return NULL;
  /* Translators: follows "5 changes waiting to be sent" */
  return g_strdup_printf (ngettext ("%s of them waits for another staff member to sign in",
                                    "%s of them wait for another staff member to sign in",
                                    (gulong)n),
                          count);
}

/* Joins the non-NULL parts with sep. */
static char *
join (const char *sep, const char *const *parts, guint n)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (parts[i] == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, sep);
      g_string_append (out, parts[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
okno_sync_status_label (OknoSyncState state, GDateTime *last_sync, const OknoSyncReport *report,
                        GDateTime *now)
{
  g_autofree char *when = okno_sync_status_last_sync (last_sync, now);
  g_autofree char *pending = pending_short (report);
  const char *parts[] = { okno_sync_status_state_label (state), when, pending };

  return join (" · ", parts, G_N_ELEMENTS (parts));
}

static const char *
state_in_sentence (OknoSyncState state)
{
  switch (state)
    {
      case OKNO_SYNC_STATE_IDLE:
        return _ ("online");
      case OKNO_SYNC_STATE_SYNCING:
        return _ ("syncing");
      case OKNO_SYNC_STATE_OFFLINE:
        return _ ("offline, the server cannot be reached");
      case OKNO_SYNC_STATE_WAITING:
        return _ ("the server did not accept the last sync, Okno will retry");
      case OKNO_SYNC_STATE_SIGNED_OUT:
        return _ ("signed out on the server, sign in again to sync");
      default:
        return "";
    }
}

char *
okno_sync_status_describe (OknoSyncState state, GDateTime *last_sync, const OknoSyncReport *report,
                           GDateTime *now)
{
  g_autofree char *pending = pending_long (report);
  g_autofree char *others = others_long (report);
  g_autofree char *attention = okno_sync_status_attention (report);
  g_autofree char *when = last_sync_in_sentence (last_sync, now);
  const char *parts[] = { state_in_sentence (state), pending, others, attention, when };
  g_autofree char *joined = join (", ", parts, G_N_ELEMENTS (parts));

  /* Translators: "Sync status: offline, 3 changes waiting to be sent, last synced at 14:05" */
  return g_strdup_printf (_ ("Sync status: %s"), joined);
}

char *
okno_sync_status_clock_warning (gint64 skew_seconds)
{
  guint64 off = (guint64)(skew_seconds < 0 ? -(skew_seconds + 1) + 1 : skew_seconds);
  guint minutes = (guint)MIN ((off + 30) / 60, G_MAXUINT);

  if (off <= OKNO_CLOCK_SKEW_LIMIT)
    return NULL;
  return g_strdup_printf (ngettext ("This computer’s clock differs from the server’s by %u minute",
                                    "This computer’s clock differs from the server’s by %u minutes",
                                    minutes),
                          minutes);
}

const char *
okno_sync_status_collection_label (const char *collection)
{
  static const struct
  {
    const char *name;
    const char *label;
  } labels[] = {
    { "appeals", N_ ("Appeal") },           { "appeal_events", N_ ("Appeal history entry") },
    { "readings", N_ ("Meter reading") },   { "payments", N_ ("Payment") },
    { "feedback", N_ ("Client feedback") }, { "disclosures", N_ ("Disclosure record") },
    { "appointments", N_ ("Appointment") }, { "appeal_documents", N_ ("Appeal document") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (collection, labels[i].name) == 0)
      return _ (labels[i].label);
  return collection ? collection : "";
}

const char *
okno_sync_status_op_label (const char *op)
{
  if (g_strcmp0 (op, "create") == 0)
    return _ ("New record");
  if (g_strcmp0 (op, "patch") == 0)
    return _ ("Change");
  if (g_strcmp0 (op, "resolve") == 0)
    return _ ("Resolved conflict");
  return op ? op : "";
}
