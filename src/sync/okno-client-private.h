/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* What the files of OknoClient share: its struct and one request. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "okno-client.h"

G_BEGIN_DECLS

#define API_PREFIX      "/api/v1"
#define TIMEOUT_SECONDS 60
/* The most an answer may hold once decompressed. The largest pages of the
 * protocol (5000 rows of accounts, the widest collection) are about 2.5 MB
 * of JSON; this leaves room for long texts in every row, and refuses a
 * gzip bomb (a small body that inflates to gigabytes) before it fills the
 * memory. */
#define ANSWER_MAX_BYTES (64 * 1024 * 1024)

struct _OknoClient
{
  GObject parent_instance;
  char *base_url;
  char *device_id;
  char *ca_file;        /* NULL: the system's CAs */
  gboolean unencrypted; /* http:// to another computer */
  GMutex lock; /* guards the tokens, figures and CA database: requests run in worker threads */
  GTlsDatabase *tls_database; /* read from ca_file by the first request */
  char *token;
  char *refresh_token;
  guint retry_after;
  gint64 clock_skew;
};

SoupSession *_okno_client_new_session (void);
GBytes *_okno_client_send_once (OknoClient *self, SoupSession *session, const char *method,
                                const char *path, GBytes *request_body, GCancellable *cancellable,
                                GError **error);
/* One request; an expired access token is refreshed once and the same
 * request sent again, so a queue survives a long time offline. */
GBytes *_okno_client_send (OknoClient *self, SoupSession *session, const char *method,
                           const char *path, GBytes *request_body, GCancellable *cancellable,
                           GError **error);
gboolean _okno_client_refresh (OknoClient *self, SoupSession *session, GCancellable *cancellable,
                               GError **error);
void _okno_client_tokens_changed (OknoClient *self);
GBytes *_okno_client_node_bytes (JsonNode *root);

G_END_DECLS
