/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A running okno-central started for a test on a kernel-chosen port of
 * 127.0.0.1. */
typedef struct
{
  GSubprocess *process;
  char *url;      /* http(s)://127.0.0.1:PORT, what OknoClient takes */
  char *base_url; /* http(s)://127.0.0.1:PORT/api/v1 */
  char *ca_file;  /* the CA that signed its certificate, when it serves HTTPS */
  char *db;       /* its database file */
  guint port;
  gboolean waited;
  /* The server's stderr, passed on to the test's own as it comes and kept
   * whole for central_stop() to read. */
  GThread *stderr_reader;
  GString *stderr_text;
} CentralProcess;

/* Starts the binary named by $OKNO_CENTRAL with --db db --port 0 and the
 * extra arguments, and waits for its "listening" line. */
CentralProcess *central_spawn (const char *db, const char *const *extra, GError **error);

/* A test CA and certificates made now in dir (tests/common/make-test-certs.sh
 * says which): ca.pem, and NAME.pem with NAME-key.pem for NAME "server"
 * (127.0.0.1, signed by the CA), "self" (self-signed), "other-name"
 * (signed by the CA for another host) and "expired" (in 2020). */
gboolean central_make_certs (const char *dir, GError **error);
/* central_spawn serving HTTPS with dir's certificate NAME (made by
 * central_make_certs); ca_file is dir's ca.pem. */
CentralProcess *central_spawn_https (const char *db, const char *dir, const char *name,
                                     const char *const *extra, GError **error);
/* Stages failures through POST /api/v1/_faults (the server runs with
 * --faults); spec is the JSON object docs/api/openapi.yaml describes. */
gboolean central_add_fault (CentralProcess *central, const char *spec, GError **error);
/* SIGTERM, then waits. 0 only when the server exited with status 0 and
 * wrote no sanitizer report to its stderr (a sanitizer may report at exit
 * and still exit 0, e.g. UBSan's recoverable checks); otherwise says why
 * on stderr and returns non-zero. */
int central_stop (CentralProcess *central);
/* Whether text holds a report of AddressSanitizer, LeakSanitizer or
 * UndefinedBehaviorSanitizer. */
gboolean central_has_sanitizer_report (const char *text);
void central_process_free (CentralProcess *central);

/* Whether the test runs over HTTPS: $OKNO_TEST_HTTPS is 1 (meson sets it
 * for the "-https" variants of the integration tests). */
gboolean central_test_https (void);
/* For a test program: okno-central on central.db in a new temporary folder
 * made from template (its path in *dir); the test fails when the server
 * cannot start. When central_test_https(), the server serves HTTPS with a
 * test CA made now in *dir/certs (central->ca_file), and the test fails
 * unless its address is https://. */
CentralProcess *central_spawn_in_tmp (const char *template, const char *const *extra, char **dir);
/* A session for a test's own requests (not the client's under test): no
 * proxy, and trusting central's CA when it serves HTTPS. */
SoupSession *central_session_new (CentralProcess *central, GError **error);
/* The test fails unless central speaks only what central_test_https()
 * asks for: over HTTPS, a request through central_session_new() is
 * answered with the test CA's certificate for 127.0.0.1 and a plain HTTP
 * request to the same port gets no HTTP answer at all; over HTTP, the
 * answer comes in the clear. */
void central_assert_transport (CentralProcess *central);
/* The certificate and key central_spawn_in_tmp() gave an HTTPS server (for
 * a fake server of a test to serve the same); NULL over HTTP. */
GTlsCertificate *central_server_certificate (CentralProcess *central);
/* The same as central_add_fault(); the test fails when the server refuses. */
void central_stage_fault (CentralProcess *central, const char *spec);
/* For the end of a test program: the test fails unless the server stops
 * cleanly (central_stop() returns 0); frees it. */
void central_finish (CentralProcess *central);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CentralProcess, central_process_free)

G_END_DECLS
