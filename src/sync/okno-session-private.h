/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-session.h"
#include "okno-throttle.h"

G_BEGIN_DECLS

/* What a worker reads of the replica for the getters; applied on the
 * session's own thread (_okno_session_apply_state). */
typedef struct
{
  char *staff_id;
  char *staff_login;
  char *staff_name;
  char *staff_role;
  char *staff_branch_id;
  char *branch_name;
  char *device_id;
  gboolean ready;
} OknoSessionState;

struct _OknoSession
{
  GObject parent_instance;
  OknoStore *store;
  GSettings *settings;
  OknoSessionKeyring keyring;
  char *ca_file;             /* okno-cli's trust (the app's is in settings) */
  gboolean allow_plain_http; /* the same */
  GCancellable *cancellable; /* keyring work that outlives no session */
  OknoClient *client;
  char *server_url; /* where the signed-in staff member signed in */
  char *login;      /* as whom */
  char *device_id;  /* the replica's, as loaded last */
  gboolean signed_in;
  gboolean has_tokens; /* the client holds tokens: it may sync */
  gboolean offline;
  gboolean keeping; /* the tokens are in the keyring and follow each refresh */
  gboolean ready;
  char *staff_id;
  char *staff_login;
  char *staff_name;
  char *staff_role;
  char *staff_branch_id;
  char *branch_name;
  char *kept_tokens; /* a checksum of the tokens the keyring holds, never the tokens */
  guint dispatched;  /* loads begun, a count: an older one arriving late is dropped */
  guint applied;     /* the latest load applied */
};

/* The work of one step on the replica; runs in a worker thread with the
 * session's store, never touching the session itself. */
typedef gboolean (*OknoSessionJob) (OknoStore *store, gpointer data, GError **error);

void _okno_session_run_job (OknoSession *self, OknoSessionJob job, gpointer data,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean _okno_session_job_finish (GAsyncResult *result, GError **error);
/* The same job, with the calling thread waiting for it (okno-cli, tests). */
gboolean _okno_session_run_job_sync (OknoSession *self, OknoSessionJob job, gpointer data,
                                     GError **error);

/* What every sign-in step carries; the password is wiped when freed. */
typedef struct
{
  OknoClient *client;
  char *server_url;
  char *login;
  char *password;
  char *device_id;
  char *verifier;
  char *branch_chosen; /* in Preferences; NULL: the staff member's */
  OknoStaff *staff;
  OknoSessionState state;
  OknoThrottleState throttle; /* the login's failures on this computer */
} OknoSessionStep;

OknoSessionStep *_okno_session_step_new (OknoSession *self, const char *login,
                                         const char *password);
void _okno_session_step_free (OknoSessionStep *step);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoSessionStep, _okno_session_step_free)

/* Jobs on an OknoSessionStep. */
gboolean _okno_session_device_id_job (OknoStore *store, gpointer data, GError **error);
gboolean _okno_session_remember_job (OknoStore *store, gpointer data, GError **error);
gboolean _okno_session_read_verifier_job (OknoStore *store, gpointer data, GError **error);
gboolean _okno_session_keep_verifier_job (OknoStore *store, gpointer data, GError **error);
gboolean _okno_session_keep_throttle_job (OknoStore *store, gpointer data, GError **error);
gboolean _okno_session_offline_staff_job (OknoStore *store, gpointer data, GError **error);

/* The branch chosen in Preferences; NULL: the staff member's. */
char *_okno_session_branch_chosen (OknoSession *self);
/* In a worker: what the getters show. */
void _okno_session_load_state (OknoStore *store, const char *branch_chosen,
                               OknoSessionState *state);
void _okno_session_state_clear (OknoSessionState *state);
void _okno_session_apply_state (OknoSession *self, const OknoSessionState *state);
void _okno_session_set_device_id (OknoSession *self, const char *device_id);
/* A client of server_url trusting what the settings (the app) or
 * okno_session_set_trust (okno-cli) say. */
OknoClient *_okno_session_new_client (OknoSession *self, const char *server_url, GError **error);
void _okno_session_update_has_tokens (OknoSession *self);
void _okno_session_set_signed_in (OknoSession *self, OknoClient *client, const char *server_url,
                                  const char *login, gboolean signed_in, gboolean offline);
char *_okno_session_tokens_checksum (OknoClient *client);
void _okno_session_keep_tokens (OknoSession *self);
void _okno_session_tokens_changed_cb (OknoSession *self);
void _okno_session_restore_tokens (OknoSession *self);

G_END_DECLS
