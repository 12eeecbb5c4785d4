/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* Requests of a test itself to okno-central (not of the client under
 * test), and the answers as the checks read them. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint status;
  JsonNode *root; /* NULL when the body is empty or not JSON */
  GBytes *body;   /* NULL when no answer came whole */
  SoupMessage *msg;
  GError *error; /* the transport's, when no answer came whole */
} TestAnswer;

void test_answer_free (TestAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAnswer, test_answer_free)

/* base + path; auth is the whole Authorization header; body is JSON of
 * body_length bytes (-1: up to its NUL). */
SoupMessage *test_http_message (const char *base, const char *method, const char *path,
                                const char *auth, const char *body, gssize body_length);
/* Fills the answer to answer->msg from its body (taken; NULL when none
 * came whole), for a test that sends the message itself. */
void test_answer_finish (TestAnswer *answer, GBytes *body);
/* Sends msg (taking it) and reads the whole answer. */
TestAnswer *test_http_send (SoupSession *session, SoupMessage *msg);
TestAnswer *test_http_request (SoupSession *session, const char *base, const char *method,
                               const char *path, const char *auth, const char *body);

/* The JSON object of an answer that came whole; fails the test otherwise. */
JsonObject *test_answer_object (TestAnswer *answer);
const char *test_answer_header (TestAnswer *answer, const char *name);
/* An error answer of the contract: the status, and {"error": code,
 * "message": something} with nothing else. */
void test_assert_answer_error (TestAnswer *answer, guint status, const char *code);

/* POST /session with the password, from the device; asserts 200. */
TestAnswer *test_http_sign_in (SoupSession *session, const char *base, const char *login,
                               const char *password, const char *device);
/* "Bearer <access token>" of a sign-in answer. */
char *test_answer_bearer (TestAnswer *signed_in);

G_END_DECLS
