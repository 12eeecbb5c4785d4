/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The header's sync status in words, for every state; no display needed.
 * Runs with TZ=Asia/Yekaterinburg (UTC+5) and the C locale. */

#include <locale.h>

#include "okno-sync-status.h"

static GDateTime *
utc (int day, int hour, int minute)
{
  return g_date_time_new_utc (2026, 11, day, hour, minute, 0);
}

static void
test_states (void)
{
  g_autoptr (GDateTime) now = utc (27, 9, 30);
  g_autoptr (GDateTime) last = utc (27, 9, 5); /* 14:05 in Yekaterinburg */
  OknoSyncReport none = { 0 };
  OknoSyncReport waiting = { .pending = 3 };
  struct
  {
    OknoSyncState state;
    const OknoSyncReport *report;
    GDateTime *last;
    const char *label;
  } cases[] = {
    { OKNO_SYNC_STATE_IDLE, &none, last, "Online · Synced at 14:05" },
    { OKNO_SYNC_STATE_SYNCING, &none, NULL, "Syncing… · Not synced yet" },
    { OKNO_SYNC_STATE_OFFLINE, &waiting, last, "Offline · Synced at 14:05 · 3 to send" },
    { OKNO_SYNC_STATE_WAITING, &waiting, last, "Waiting to retry · Synced at 14:05 · 3 to send" },
    { OKNO_SYNC_STATE_SIGNED_OUT, NULL, NULL, "Signed out · Not synced yet" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label
        = okno_sync_status_label (cases[i].state, cases[i].last, cases[i].report, now);

      g_assert_cmpstr (label, ==, cases[i].label);
      g_assert_nonnull (okno_sync_status_icon_name (cases[i].state));
    }
}

static void
test_describe (void)
{
  g_autoptr (GDateTime) now = utc (27, 9, 30);
  g_autoptr (GDateTime) last = utc (27, 9, 5);
  OknoSyncReport report = { .pending = 3, .quarantined = 1, .conflicts = 1 };
  OknoSyncReport one = { .pending = 1 };
  g_autofree char *offline
    = okno_sync_status_describe (OKNO_SYNC_STATE_OFFLINE, last, &report, now);
  g_autofree char *online = okno_sync_status_describe (OKNO_SYNC_STATE_IDLE, NULL, &one, now);

  g_assert_cmpstr (offline, ==,
                   "Sync status: offline, the server cannot be reached, 3 changes waiting to be "
                   "sent, 2 need attention, last synced at 14:05");
  g_assert_cmpstr (online, ==, "Sync status: online, 1 change waiting to be sent, not synced yet");
}

/* A shared computer: changes someone else made here go when they sign in. */
static void
test_describe_others (void)
{
  g_autoptr (GDateTime) now = utc (27, 9, 30);
  OknoSyncReport three = { .pending = 5, .others = 3 };
  OknoSyncReport one = { .pending = 1, .others = 1 };
  g_autofree char *many = okno_sync_status_describe (OKNO_SYNC_STATE_IDLE, NULL, &three, now);
  g_autofree char *single = okno_sync_status_describe (OKNO_SYNC_STATE_IDLE, NULL, &one, now);

  g_assert_cmpstr (many, ==,
                   "Sync status: online, 5 changes waiting to be sent, 3 of them wait for another "
                   "staff member to sign in, not synced yet");
  g_assert_cmpstr (single, ==,
                   "Sync status: online, 1 change waiting to be sent, 1 of them waits for another "
                   "staff member to sign in, not synced yet");
}

static void
test_last_sync (void)
{
  g_autoptr (GDateTime) now = utc (27, 9, 30);
  g_autoptr (GDateTime) today = utc (27, 9, 5);
  g_autoptr (GDateTime) earlier = utc (25, 9, 5);
  /* 20:30 UTC on the 26th is already the 27th in Yekaterinburg. */
  g_autoptr (GDateTime) local_today = utc (26, 20, 30);
  g_autofree char *a = okno_sync_status_last_sync (today, now);
  g_autofree char *b = okno_sync_status_last_sync (earlier, now);
  g_autofree char *c = okno_sync_status_last_sync (local_today, now);
  g_autofree char *d = okno_sync_status_last_sync (NULL, now);

  g_assert_cmpstr (a, ==, "Synced at 14:05");
  g_assert_true (g_str_has_prefix (b, "Synced on "));
  g_assert_true (g_str_has_suffix (b, " at 14:05"));
  g_assert_cmpstr (c, ==, "Synced at 01:30");
  g_assert_cmpstr (d, ==, "Not synced yet");
}

static void
test_attention (void)
{
  OknoSyncReport none = { .pending = 5 };
  OknoSyncReport one = { .quarantined = 1 };
  OknoSyncReport many = { .quarantined = 2, .conflicts = 1234 };
  g_autofree char *a = okno_sync_status_attention (&none);
  g_autofree char *b = okno_sync_status_attention (&one);
  g_autofree char *c = okno_sync_status_attention (&many);

  g_assert_null (a);
  g_assert_null (okno_sync_status_attention (NULL));
  g_assert_cmpstr (b, ==, "1 needs attention");
  g_assert_cmpstr (c, ==, "1,236 need attention");
}

static void
test_clock (void)
{
  g_autofree char *late = okno_sync_status_clock_warning (-7 * 60);
  g_autofree char *early = okno_sync_status_clock_warning (301);
  g_autofree char *far = okno_sync_status_clock_warning (G_MININT64);

  g_assert_null (okno_sync_status_clock_warning (0));
  g_assert_null (okno_sync_status_clock_warning (300));
  g_assert_null (okno_sync_status_clock_warning (-300));
  g_assert_cmpstr (late, ==, "This computer’s clock differs from the server’s by 7 minutes");
  g_assert_cmpstr (early, ==, "This computer’s clock differs from the server’s by 5 minutes");
  g_assert_nonnull (far);
}

static void
test_entry_labels (void)
{
  g_assert_cmpstr (okno_sync_status_collection_label ("appeals"), ==, "Appeal");
  g_assert_cmpstr (okno_sync_status_collection_label ("readings"), ==, "Meter reading");
  g_assert_cmpstr (okno_sync_status_collection_label ("from_the_future"), ==, "from_the_future");
  g_assert_cmpstr (okno_sync_status_op_label ("create"), ==, "New record");
  g_assert_cmpstr (okno_sync_status_op_label ("patch"), ==, "Change");
  g_assert_cmpstr (okno_sync_status_op_label ("resolve"), ==, "Resolved conflict");
  g_assert_cmpstr (okno_sync_status_op_label ("delete"), ==, "delete");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-status/states", test_states);
  g_test_add_func ("/sync-status/describe", test_describe);
  g_test_add_func ("/sync-status/describe-others", test_describe_others);
  g_test_add_func ("/sync-status/last-sync", test_last_sync);
  g_test_add_func ("/sync-status/attention", test_attention);
  g_test_add_func ("/sync-status/clock", test_clock);
  g_test_add_func ("/sync-status/entry-labels", test_entry_labels);
  return g_test_run ();
}
