/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-central-auth.h"
#include "okno-central-faults.h"
#include "okno-central-store.h"

G_BEGIN_DECLS

#define OKNO_CENTRAL_API_VERSION 1

#define OKNO_TYPE_CENTRAL_SERVER (okno_central_server_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralServer, okno_central_server, OKNO, CENTRAL_SERVER, GObject)

/* The HTTP side of okno-central: the routes of docs/api/openapi.yaml under
 * /api/v1, answered on the thread-default main context. */
OknoCentralServer *okno_central_server_new (OknoCentralStore *store, OknoCentralAuth *auth);

/* gzip level for clients that accept it, or -1 (the default) to send
 * bodies as they are. */
/* gzip level 0-9 for every client that accepts it, -1 for none; AUTO (the
 * default): level 1 for clients on other machines, none on loopback. */
#define OKNO_CENTRAL_GZIP_AUTO (-2)
void okno_central_server_set_gzip_level (OknoCentralServer *self, int level);
/* Enables POST and DELETE /_faults for loopback peers (tests only). */
void okno_central_server_set_faults (OknoCentralServer *self, gboolean enabled);
/* One line per request on stderr (on by default). */
void okno_central_server_set_log_requests (OknoCentralServer *self, gboolean log_requests);

/* Serves HTTPS with this certificate (and its private key) from the next
 * okno_central_server_listen on; NULL serves plain HTTP. */
void okno_central_server_set_tls_certificate (OknoCentralServer *self,
                                              GTlsCertificate *certificate);
gboolean okno_central_server_is_https (OknoCentralServer *self);

gboolean okno_central_server_listen (OknoCentralServer *self, GInetAddress *address, guint port,
                                     GError **error);
/* The port actually bound (useful after listening on port 0). */
guint okno_central_server_get_port (OknoCentralServer *self);
void okno_central_server_disconnect (OknoCentralServer *self);

G_END_DECLS
