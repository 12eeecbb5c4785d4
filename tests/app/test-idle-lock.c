/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The idle lock's clock, without a display: it fires once the idle time
 * has passed since the last input, input postpones it, 0 never fires, and
 * it follows the setting's minutes. Settings in memory
 * (GSETTINGS_BACKEND=memory), the schema from the build tree. */

#include "okno-idle-lock.h"
#include "okno-settings.h"

typedef struct
{
  GSettings *settings;
  OknoIdleLock *idle_lock;
  GMainLoop *loop;
  guint idle_count;
  gint64 idle_at;    /* monotonic time of the first "idle" */
  gint64 last_input; /* of the last okno_idle_lock_note_input before it */
  guint inputs_left; /* how many more inputs the ticker makes */
  guint ticker_id;
} Fixture;

static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
idle_cb (OknoIdleLock *idle_lock, Fixture *f)
{
  if (f->idle_count++ == 0)
    f->idle_at = g_get_monotonic_time ();
  g_main_loop_quit (f->loop);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->settings = g_settings_new (OKNO_SETTINGS_SCHEMA);
  f->idle_lock = okno_idle_lock_new (f->settings);
  f->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (f->idle_lock, "idle", G_CALLBACK (idle_cb), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_handle_id (&f->ticker_id, g_source_remove);
  g_clear_object (&f->idle_lock);
  g_settings_reset (f->settings, "idle-lock-minutes");
  g_clear_object (&f->settings);
  g_main_loop_unref (f->loop);
}

/* The limit is a lower bound the lock itself checks, not a guess at how
 * fast the machine is: "idle" never comes sooner than this after input. */
static void
test_fires_after_limit (Fixture *f, gconstpointer data)
{
  gint64 started;

  okno_idle_lock_set_seconds (f->idle_lock, 1);
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));
  started = g_get_monotonic_time ();
  okno_idle_lock_start (f->idle_lock);
  g_assert_true (okno_idle_lock_is_armed (f->idle_lock));
  g_main_loop_run (f->loop);

  g_assert_cmpuint (f->idle_count, ==, 1);
  g_assert_cmpint (f->idle_at - started, >=, G_USEC_PER_SEC);
  /* Once idle, it waits for the next start. */
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));
}

static gboolean
input_tick_cb (gpointer data)
{
  Fixture *f = data;

  okno_idle_lock_note_input (f->idle_lock);
  f->last_input = g_get_monotonic_time ();
  if (--f->inputs_left > 0)
    return G_SOURCE_CONTINUE;
  f->ticker_id = 0;
  return G_SOURCE_REMOVE;
}

static void
test_input_postpones (Fixture *f, gconstpointer data)
{
  gint64 started;

  okno_idle_lock_set_seconds (f->idle_lock, 1);
  f->inputs_left = 4;
  /* Added before the lock's own timer: when both are due at once, the
   * input comes first, so at least one lands before the lock looks. */
  f->ticker_id = g_timeout_add (300, input_tick_cb, f);
  started = g_get_monotonic_time ();
  f->last_input = started;
  okno_idle_lock_start (f->idle_lock);
  g_main_loop_run (f->loop);

  g_assert_cmpuint (f->idle_count, ==, 1);
  g_assert_cmpint (f->last_input, >, started);
  g_assert_cmpint (f->idle_at - f->last_input, >=, G_USEC_PER_SEC);
}

static void
test_never_and_stop (Fixture *f, gconstpointer data)
{
  okno_idle_lock_set_seconds (f->idle_lock, 0);
  okno_idle_lock_start (f->idle_lock);
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));

  okno_idle_lock_set_seconds (f->idle_lock, 60);
  g_assert_true (okno_idle_lock_is_armed (f->idle_lock));
  okno_idle_lock_stop (f->idle_lock);
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));
  /* Stopped, a new limit does not start it again. */
  okno_idle_lock_set_seconds (f->idle_lock, 30);
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));
  flush_main_context ();
  g_assert_cmpuint (f->idle_count, ==, 0);
}

/* Without seconds set, the minutes in the settings rule, and a change
 * there applies at once. */
static void
test_follows_setting (Fixture *f, gconstpointer data)
{
  g_settings_set_uint (f->settings, "idle-lock-minutes", 0);
  flush_main_context ();
  okno_idle_lock_start (f->idle_lock);
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));

  g_settings_set_uint (f->settings, "idle-lock-minutes", 5);
  flush_main_context ();
  g_assert_true (okno_idle_lock_is_armed (f->idle_lock));

  g_settings_set_uint (f->settings, "idle-lock-minutes", 0);
  flush_main_context ();
  g_assert_false (okno_idle_lock_is_armed (f->idle_lock));
  g_assert_cmpuint (f->idle_count, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/idle-lock/fires-after-limit", Fixture, NULL, fixture_set_up,
              test_fires_after_limit, fixture_tear_down);
  g_test_add ("/app/idle-lock/input-postpones", Fixture, NULL, fixture_set_up, test_input_postpones,
              fixture_tear_down);
  g_test_add ("/app/idle-lock/never-and-stop", Fixture, NULL, fixture_set_up, test_never_and_stop,
              fixture_tear_down);
  g_test_add ("/app/idle-lock/follows-setting", Fixture, NULL, fixture_set_up, test_follows_setting,
              fixture_tear_down);
  return g_test_run ();
}
