/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-central's memory of failed sign-ins (okno-central-throttle.h). */

#include "okno-central-throttle.h"

/* Past this many entries, the stale ones go at the next failure. */
#define PRUNE_ABOVE 4096

struct _OknoCentralThrottle
{
  GObject parent_instance;
  OknoThrottlePolicy login_policy;
  OknoThrottlePolicy address_policy;
  GHashTable *states; /* key (kind_key ()) → OknoThrottleState */
};

G_DEFINE_FINAL_TYPE (OknoCentralThrottle, okno_central_throttle, G_TYPE_OBJECT)

static void
okno_central_throttle_finalize (GObject *object)
{
  OknoCentralThrottle *self = OKNO_CENTRAL_THROTTLE (object);

  g_hash_table_destroy (self->states);
  G_OBJECT_CLASS (okno_central_throttle_parent_class)->finalize (object);
}

static void
okno_central_throttle_class_init (OknoCentralThrottleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_central_throttle_finalize;
}

static void
okno_central_throttle_init (OknoCentralThrottle *self)
{
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

OknoCentralThrottle *
okno_central_throttle_new (const OknoThrottlePolicy *policy)
{
  OknoCentralThrottle *self = g_object_new (OKNO_TYPE_CENTRAL_THROTTLE, NULL);

  self->login_policy = *policy;
  self->address_policy = okno_throttle_policy_scaled (policy, OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR);
  return self;
}

/* The kinds cannot collide: a login or an address never holds a newline. */
static char *
kind_key (const char *kind, const char *name)
{
  return g_strconcat (kind, "\n", name, NULL);
}

static OknoThrottleState *
lookup (OknoCentralThrottle *self, const char *key, gboolean create)
{
  OknoThrottleState *state = g_hash_table_lookup (self->states, key);

  if (state == NULL && create)
    {
      state = g_new0 (OknoThrottleState, 1);
      g_hash_table_insert (self->states, g_strdup (key), state);
    }
  return state;
}

static gboolean
stale_cb (gpointer key, gpointer value, gpointer user_data)
{
  gpointer *args = user_data;
  OknoCentralThrottle *self = args[0];
  const gint64 *now = args[1];

  /* The address policy's window is the login one's: one test for both. */
  return okno_throttle_is_stale (&self->login_policy, value, *now);
}

static void
prune (OknoCentralThrottle *self, gint64 now)
{
  gpointer args[] = { self, &now };

  if (g_hash_table_size (self->states) > PRUNE_ABOVE)
    g_hash_table_foreach_remove (self->states, stale_cb, args);
}

/* The two records an attempt touches: the login's (or, for a refresh,
 * none) and the address's. */
typedef struct
{
  char *keys[2];
  const OknoThrottlePolicy *policies[2];
} Records;

static void
records_init (OknoCentralThrottle *self, Records *records, const char *login, const char *address)
{
  records->keys[0] = login ? kind_key ("login", login) : NULL;
  records->policies[0] = &self->login_policy;
  records->keys[1] = kind_key (login ? "address" : "refresh", address);
  records->policies[1] = &self->address_policy;
}

static void
records_clear (Records *records)
{
  g_free (records->keys[0]);
  g_free (records->keys[1]);
}

static void
fail_records (OknoCentralThrottle *self, Records *records, gint64 now)
{
  prune (self, now);
  for (guint i = 0; i < G_N_ELEMENTS (records->keys); i++)
    if (records->keys[i] != NULL)
      okno_throttle_fail (records->policies[i], lookup (self, records->keys[i], TRUE), now);
}

gint64
okno_central_throttle_check (OknoCentralThrottle *self, const char *login, const char *address,
                             gint64 now)
{
  Records records;
  gint64 wait = 0;

  g_return_val_if_fail (OKNO_IS_CENTRAL_THROTTLE (self), 0);
  g_return_val_if_fail (address != NULL, 0);

  records_init (self, &records, login, address);
  for (guint i = 0; i < G_N_ELEMENTS (records.keys); i++)
    {
      OknoThrottleState *state = records.keys[i] ? lookup (self, records.keys[i], FALSE) : NULL;
      /* An early knock counts for the record that made it wait only: a
       * locked login does not count against everyone at its address. */
      gint64 own = state ? okno_throttle_attempt (records.policies[i], state, now) : 0;

      wait = MAX (wait, own);
    }
  records_clear (&records);
  return wait;
}

void
okno_central_throttle_failed (OknoCentralThrottle *self, const char *login, const char *address,
                              gint64 now)
{
  Records records;

  g_return_if_fail (OKNO_IS_CENTRAL_THROTTLE (self));
  g_return_if_fail (address != NULL);

  records_init (self, &records, login, address);
  fail_records (self, &records, now);
  records_clear (&records);
}

void
okno_central_throttle_succeeded (OknoCentralThrottle *self, const char *login)
{
  g_autofree char *key = kind_key ("login", login);

  g_return_if_fail (OKNO_IS_CENTRAL_THROTTLE (self));
  g_hash_table_remove (self->states, key);
}
