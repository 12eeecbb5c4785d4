#pragma once

#include <gio/gio.h>

#include "okno-client.h"
#include "okno-store.h"

G_BEGIN_DECLS

/* Who works at this counter and with which replica. Today it only reads
 * and records the staff member kept in the replica; signing in on later
 * starts, the keyring, offline sign-in and sync scheduling belong here. */
#define OKNO_TYPE_SESSION (okno_session_get_type ())
G_DECLARE_FINAL_TYPE (OknoSession, okno_session, OKNO, SESSION, GObject)

OknoSession *okno_session_new (OknoStore *store, GSettings *settings);

OknoStore *okno_session_get_store (OknoSession *self);
GSettings *okno_session_get_settings (OknoSession *self);
/* TRUE once the replica holds a whole download. */
gboolean okno_session_is_ready (OknoSession *self);

/* NULL until someone has signed in on this replica. */
const char *okno_session_get_staff_id (OknoSession *self);
const char *okno_session_get_staff_login (OknoSession *self);
const char *okno_session_get_staff_name (OknoSession *self);
const char *okno_session_get_staff_role (OknoSession *self);
/* The branch from Preferences, else the staff member's; NULL if unknown. */
const char *okno_session_get_branch_name (OknoSession *self);

/* Records who signed in and where, in the replica, so later starts know. */
gboolean okno_session_remember_staff (OknoSession *self, const OknoStaff *staff,
                                      const char *server_url, GError **error);
/* This computer's id in the replica's meta, created on first use. */
char *okno_session_ensure_device_id (OknoSession *self, GError **error);
/* Reads the staff and branch again (after a download); emits "changed". */
void okno_session_reload (OknoSession *self);

G_END_DECLS
